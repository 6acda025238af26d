"""Train the redactor's learned token layer (``cipher_pipeline/deid/learned.py``) on development data only, and judge
it leave-one-corpus-out through the whole engine.

Training text (all development data, never calls_dev even-B, a red-team corpus's even half, PhysioNet or presidio's
held-out positions): calls_dev dev (odd + even-A, clean and raw), the odd halves of the red-team corpora
(``--calls-file``), and presidio-research's even positions (``--presidio``, off by default). Each document's raw
text with every gold identifier labelled (NAME, LOC, DATE, NUM; COMPETITOR, INSURER, FACILITY as ORG, never masked;
an annotated non-identifier as O). Same data and settings give the same file (documents in a fixed order, L-BFGS
with fixed iterations).

``--cross-validate T1,T2,...`` writes no model: for each corpus it trains on the others, and scores the held-back
corpus through the whole engine, the layer off and on at each threshold (entity recall, token precision,
identifiers gained, false tokens added; counts only, no text). The engine's other layers are run once per corpus
and their findings kept: the learned layer runs last (``find_after``), so they do not depend on it, and what the
engine does after its layers (the merge and every step) is run for each threshold.

    python -m cipher_devtools.train_deid_model \\
        --calls-file tests/data/calls_redteam/calls_redteam.md --calls-file tests/data/calls_redteam/calls_redteam8.md \\
        --calls-file tests/data/calls_redteam/calls_redteam9.md --calls-file tests/data/calls_redteam/calls_redteam10.md \\
        [--cross-validate 0.3,0.5,0.7,0.9]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence


from cipher_devtools import evaluate as ev
from cipher_devtools.crf_training import fit, labelled_lines
from cipher_pipeline.deid import learned

# L1 drops features seen on a few tokens only (a training text's quirks) and keeps the file small
TRAINER_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 120, "feature.possible_transitions": True}
VERTICAL = {"COMPETITOR", "INSURER", "FACILITY", "PROVIDER"}
DIRECT_TO_LABEL = {"NAME": "NAME", "GEO": "LOC", "LOCATION": "LOC", "DATE": "DATE", "OTHER_UNIQUE": "QUASI"}


def label_of(category: str | None) -> str:
    if category is None:
        return "O"
    if category in VERTICAL:
        return "ORG"
    return DIRECT_TO_LABEL.get(category, "NUM")


@dataclass
class Corpus:
    name: str
    docs: list[ev.GoldDoc]


def sequences(doc: ev.GoldDoc):
    """(features, labels) per line of ``doc``, as the layer will read it."""
    tokens, per_line = learned.features(doc.text)
    labelled = sorted((g.start, g.end, label_of(g.category)) for g in doc.spans)
    return labelled_lines(tokens, per_line, labelled)


def train(docs: Sequence[ev.GoldDoc], output: Path, params: dict | None = None) -> dict:
    """Train on ``docs`` in the order given and write the model; returns counts, size and sha256 (no text)."""
    fitted = fit((pair for doc in docs for pair in sequences(doc)), output, {**TRAINER_PARAMS, **(params or {})})
    return {"docs": len(docs), "sequences": fitted["sequences"], "labels": dict(sorted(fitted["labels"].items())),
            "bytes": fitted["bytes"], "sha256": fitted["sha256"]}


def development_corpora(args: argparse.Namespace) -> list[Corpus]:
    out = [Corpus("calls_dev dev", ev.load_calls_dev(ev.CALLS_DEV_DEFAULT_PATH, half="dev"))]
    for path in args.calls_file or []:
        out.append(Corpus(Path(path).stem + " odd", ev.load_calls_dev(Path(path), half="odd")))
    if args.presidio:
        docs = ev.load_presidio(ev.PRESIDIO_DEFAULT_PATH)
        out.append(Corpus("presidio dev", [d for i, d in enumerate(docs) if i % 2 == 0]))  # scan_eval's dev split
    return out


# ------------------------------------------------------------------ the whole engine, its other layers run once
class EngineRun:
    """The engine's findings on some texts before its merge, kept so the merge and its steps can be run again with
    the learned layer's spans added (``Redactor._redact_plain`` split at the point the learned layer joins)."""

    def __init__(self, redactor, texts: Sequence[str]) -> None:
        from cipher_pipeline.deid.engine import normalize

        self.redactor = redactor
        normalised = [normalize(t) for t in texts]
        self.indexes = [index for _, index in normalised]
        self.docs = [redactor._document(n) for n, _ in normalised]
        self.found = [redactor._pre_spans(doc) for doc in self.docs]
        for name, layer in redactor._late_layers:
            if name == learned.LAYER:
                continue
            late = layer.find_after(self.docs, self.found, 64)
            for doc, spans, more in zip(self.docs, self.found, late):
                spans += redactor._own(name, more, doc, False)

    def spans(self, extra: Sequence[Sequence] | None = None) -> list[list[tuple[int, int]]]:
        """Final spans (offsets into the original texts) with ``extra[i]`` added to document i's findings."""
        from cipher_pipeline.deid.engine import to_original

        out = []
        for i, (doc, found, index) in enumerate(zip(self.docs, self.found, self.indexes)):
            more = [replace(s, layer=learned.LAYER) for s in (extra[i] if extra else [])]
            final = self.redactor._finish(doc, list(found) + more)
            out.append([to_original(index, s.start, s.end) if index is not None else (s.start, s.end) for s in final])
        return out


def _score(docs: Sequence[ev.GoldDoc], predictions: Sequence[Sequence[tuple[int, int]]]) -> dict:
    score = ev.Score()
    for doc, pred in zip(docs, predictions):
        ev.score_doc(score, doc, pred)
        score.docs += 1
    safe_harbor = sum(v for k, v in score.entities_found.items() if k not in ev.VERTICAL_GOLD)
    false_tokens = score.predicted_tokens - score.predicted_true - score.predicted_ignored
    return {"entity_recall": round(score.entity_recall, 4), "token_precision": round(score.token_precision, 4),
            "found": safe_harbor, "entities": sum(v for k, v in score.entities.items() if k not in ev.VERTICAL_GOLD),
            "false_tokens": false_tokens, "predicted_tokens": score.predicted_tokens, "vertical_recall": score.vertical_recall}


def cross_validate(corpora: Sequence[Corpus], thresholds: Sequence[float], params: dict | None = None,
                   caseless_only: bool = True) -> list[dict]:
    from cipher_pipeline.deid import Redactor

    redactor = Redactor.default(disabled_layers={learned.LAYER})  # the baseline: the engine without it
    rows = []
    for k, held in enumerate(corpora):
        t0 = time.perf_counter()
        training = [d for j, c in enumerate(corpora) if j != k for d in c.docs]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fold.crfsuite"
            info = train(training, path, params)
            tagger = learned.open_tagger(path)
            marks = [learned.marginals(d.text, tagger) for d in held.docs]
        run = EngineRun(redactor, [d.text for d in held.docs])
        styles = sorted({getattr(d, "style", "all") for d in held.docs})
        off = run.spans()
        for threshold in [None, *thresholds]:
            if threshold is None:
                predicted = off
            else:
                reader = learned.CrfTokens(None, threshold, caseless_only)  # which documents the layer reads
                extra = [learned.spans_from_marginals(d.text, m, threshold) if reader.reads(doc) else []
                         for d, doc, m in zip(held.docs, run.docs, marks)]
                predicted = run.spans(extra)
            for style in ["all", *styles] if len(styles) > 1 else ["all"]:
                keep = [i for i, d in enumerate(held.docs) if style == "all" or getattr(d, "style", "all") == style]
                row = {"held_back": held.name, "style": style, "threshold": threshold,
                       **_score([held.docs[i] for i in keep], [predicted[i] for i in keep])}
                rows.append(row)
        print(f"fold {held.name}: trained on {info['docs']} docs ({info['bytes']} bytes) in {time.perf_counter() - t0:.0f}s",
              file=sys.stderr)
    base = {(r["held_back"], r["style"]): r for r in rows if r["threshold"] is None}
    for r in rows:
        b = base[(r["held_back"], r["style"])]
        r["gained"] = r["found"] - b["found"]
        r["false_added"] = r["false_tokens"] - b["false_tokens"]
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m cipher_devtools.train_deid_model", description=__doc__.split("\n\n")[0])
    p.add_argument("--calls-file", action="append", help="a calls_dev-format corpus; its odd calls are trained on")
    p.add_argument("--presidio", action="store_true", help="add presidio-research's even positions (its dev split)")
    p.add_argument("--output", default=str(learned.MODEL_PATH))
    p.add_argument("--cross-validate", help="thresholds, e.g. 0.3,0.5,0.7,0.9: leave one corpus out, write no model")
    p.add_argument("--json", help="write the cross-validation rows here")
    p.add_argument("--all-text", action="store_true", help="cross-validate the layer on cased transcripts too (caseless_only: false)")
    args = p.parse_args(argv)
    corpora = development_corpora(args)
    if args.cross_validate:
        rows = cross_validate(corpora, [float(t) for t in args.cross_validate.split(",")], caseless_only=not args.all_text)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        print(f"{'held back':24s} {'style':6s} {'thr':>5s} {'recall':>7s} {'prec':>7s} {'found':>6s} {'gain':>5s} {'false+':>6s}")
        for r in rows:
            thr = "off" if r["threshold"] is None else f"{r['threshold']:.2f}"
            print(f"{r['held_back']:24s} {r['style']:6s} {thr:>5s} {r['entity_recall']:7.4f} {r['token_precision']:7.4f} "
                  f"{r['found']:6d} {r['gained']:5d} {r['false_added']:6d}")
        return 0
    info = train([d for c in corpora for d in c.docs], Path(args.output))
    print(json.dumps({**info, "corpora": [c.name for c in corpora]}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
