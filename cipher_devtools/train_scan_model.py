"""Train the residual scan's learned token model (``thresholds.token_model_path()``) on development data only.

The scan's rules were written from the redactor's misses and miss what it misses; this model is the scan's one
detector fitted rather than written, so its errors need not follow the redactor's rules. Training text, all of
it development data (never calls_dev even-B, PhysioNet's even patients, presidio's odd positions, Whisper's text
of even-B, or a corpus's held-out half):

- calls_dev's development calls (odd + even-A), as written, and as Whisper base heard them
  (``--whisper-dir``, the wideband and phone bands of ``/work/cache/calls_dev_whisper``);
- the presidio-research sentences at even positions (``--split dev``);
- PhysioNet's odd patients (``--physionet``, a mirror of cliffordlab/DEID-2023);
- the odd calls of any further calls_dev-format file (``--calls-file``, e.g. the redteam corpus).

Each document is used twice: its raw text with every gold identifier labelled, and the current redactor's output
(the redactor runs here as a black box, as in ``scan_eval``) with the identifiers it left labelled and its
placeholders in place. Labels: NAME, LOC, DATE, NUM (every number-like identifier), O. Same data and settings give
the same file (documents in a fixed order, L-BFGS with fixed iterations).

    python -m cipher_devtools.train_scan_model --physionet /work/.mirror/cliffordlab+DEID-2023/repo \\
        --whisper-dir /work/cache/calls_dev_whisper/wideband --whisper-dir /work/cache/calls_dev_whisper/phone
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pycrfsuite

from cipher_devtools import scan_eval
from cipher_pipeline.gate import residual
from cipher_pipeline.gate.thresholds import token_model_path

GOLD_TO_LABEL = {"NAME": "NAME", "GEO": "LOC", "DATE": "DATE"}  # every other identifier category is NUM
# L1 keeps the file small and drops features seen on a few tokens only (a training text's own quirks); L2 and
# the iteration cap were chosen on the development data's own cross-check (checks/README.md).
TRAINER_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
DEFAULT_OUTPUT = Path(str(token_model_path()))


@dataclass
class Example:
    """One text with labelled character ranges: (start, end, model label)."""

    source: str
    text: str
    labelled: list[tuple[int, int, str]]


def _label(category: str) -> str:
    return GOLD_TO_LABEL.get(category, "NUM")


def examples_from_docs(source: str, docs: Sequence[scan_eval.Doc], redact: bool = True) -> list[Example]:
    """The raw text of each document with its identifiers, then (``redact``) the redactor's output of it with
    the identifiers the redactor left, projected as ``scan_eval`` projects them."""
    out = []
    for doc in docs:
        ranges = [(s, e, _label(g.category)) for g in doc.gold if g.category not in ("IGNORED", "NOT_IDENTIFIER") for s, e in g.required]
        out.append(Example(f"{source}:raw", doc.text, ranges))
    if not redact:
        return out
    for doc, red in zip(docs, scan_eval.redact_docs(docs)):
        if red is None:
            continue  # the redactor failed on it (counted by scan_eval's own runs)
        ranges = []
        for g in doc.gold:
            if g.category in ("IGNORED", "NOT_IDENTIFIER"):
                continue
            for s, e in g.required:
                rs, re_ = red.to_redacted(s), red.to_redacted(e - 1)
                if rs is not None and re_ is not None:
                    ranges.append((rs, re_ + 1, _label(g.category)))
        out.append(Example(f"{source}:redacted", red.text, ranges))
    return out


def sequences(example: Example) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, labels) per line of the example, as the scan will read it."""
    tokens, per_line = residual.token_model_features(example.text)
    cursor = 0
    for line_features in per_line:
        labels = []
        for _ in line_features:
            token = tokens[cursor]
            cursor += 1
            label = "O"
            for s, e, name in example.labelled:
                if s < token.end and token.start < e:
                    label = name
                    break
            labels.append(label)
        if line_features:
            yield line_features, labels


def train(examples: Sequence[Example], output: Path, params: dict | None = None) -> dict:
    """Train on ``examples`` in the order given and write the model to ``output``; returns counts and the
    file's size and sha256 (no text)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({**TRAINER_PARAMS, **(params or {})})
    labels: Counter = Counter()
    n_sequences = 0
    for example in examples:
        for features, line_labels in sequences(example):
            trainer.append(features, line_labels)
            labels.update(line_labels)
            n_sequences += 1
    if not n_sequences:
        raise ValueError("no training text")
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    data = output.read_bytes()
    return {
        "examples": len(examples),
        "sequences": n_sequences,
        "tokens": sum(labels.values()),
        "labels": dict(sorted(labels.items())),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def development_examples(args: argparse.Namespace) -> list[Example]:
    half = getattr(args, "calls_dev_half", "dev")
    examples = examples_from_docs("calls_dev", scan_eval.load_calls_dev(half=half))
    for directory in args.whisper_dir or []:
        examples += examples_from_docs(f"whisper:{Path(directory).name}", scan_eval.load_asr_corpus(Path(directory), half))
    for path in args.calls_file or []:
        examples += examples_from_docs(f"calls:{Path(path).stem}", scan_eval.load_calls_dev(Path(path), half="odd"))
    examples += examples_from_docs("presidio", scan_eval.load_presidio(None, "dev"))
    if args.physionet:
        examples += examples_from_docs("physionet", scan_eval.load_physionet(Path(args.physionet), "dev"))
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--physionet", help="git mirror or checkout of cliffordlab/DEID-2023 (its odd patients are read)")
    parser.add_argument("--whisper-dir", action="append", help="a directory of Whisper's calls_dev transcripts "
                        "(call_NNN.json); only the development calls are read. Repeatable")
    parser.add_argument("--calls-file", action="append", help="a further calls_dev-format file; only its odd calls "
                        "are read. Repeatable")
    parser.add_argument("--calls-dev-half", choices=["dev", "odd"], default="dev", help="calls_dev's calls read (as "
                        "written and in --whisper-dir): dev (odd + even-A), or odd only, for a model that leaves "
                        "even-A out so the threshold is chosen out of fold")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help="model file (default: the scan's own)")
    args = parser.parse_args(argv)
    examples = development_examples(args)
    summary = train(examples, Path(args.output))
    summary["sources"] = dict(sorted(Counter(e.source for e in examples).items()))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
