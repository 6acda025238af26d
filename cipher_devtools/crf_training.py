"""What training a linear-chain CRF token model takes, whichever model it is: the residual scan's
(``train_scan_model``) and the redactor's learned layer (``train_deid_model``). Each trainer keeps its own features
(the scan's and the redactor's stay independent at run time); this module only pairs tokens with labels and fits."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

import pycrfsuite


def labelled_lines(tokens: Sequence[Any], per_line: Sequence[list[list[str]]],
                   ranges: Sequence[tuple[int, int, str]]) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, labels) per non-empty line: a token (``.start``/``.end``) takes the label of the first of ``ranges``
    (start, end, label) it overlaps, "O" when none; ``tokens`` are all lines' tokens in order."""
    cursor = 0
    for line_features in per_line:
        labels = []
        for _ in line_features:
            token = tokens[cursor]
            cursor += 1
            label = "O"
            for s, e, name in ranges:
                if s < token.end and token.start < e:
                    label = name
                    break
            labels.append(label)
        if line_features:
            yield line_features, labels


def fit(pairs: Iterable[tuple[list[list[str]], list[str]]], output: Path, params: dict) -> dict:
    """Train L-BFGS on the (features, labels) sequences in the order given and write the model to ``output``; returns
    the sequence count, the label counts, the file's size and sha256 (no text). Same pairs and params, same file."""
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params(params)
    labels: Counter = Counter()
    n_sequences = 0
    for features, line_labels in pairs:
        trainer.append(features, line_labels)
        labels.update(line_labels)
        n_sequences += 1
    if not n_sequences:
        raise ValueError("no training text")
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    data = output.read_bytes()
    return {"sequences": n_sequences, "labels": labels, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
