"""Train the residual scan's learned token model (``thresholds.token_model_path()``) on development data only.

The scan's rules were written from the redactor's misses and miss what it misses; this model is the scan's one
detector fitted rather than written, so its errors need not follow the redactor's rules. Training text, all of
it development data (never calls_dev even-B, PhysioNet's even patients, presidio's odd positions, Whisper's text
of even-B, or a corpus's held-out half):

- calls_dev's development calls (odd + even-A), as written, and as Whisper base heard them
  (``--whisper-dir``, the wideband and phone bands of ``/work/cache/calls_dev_whisper``);
- the odd calls of any further calls_dev-format file (``--calls-file``: the red-team, third and fourth corpora),
  and Whisper's text of them (``--calls-whisper-dir CORPUS=DIR``, e.g. ``/work/cache/redteam8_whisper/<band>``);
- the presidio-research sentences at even positions (``--split dev``);
- PhysioNet's odd patients (``--physionet``, a mirror of cliffordlab/DEID-2023).

The shipped model (session 10, ``--redacted-only``) reads what the scan reads: the current redactor's output of
each document (the redactor runs here as a black box, as in ``scan_eval``; ``--cache`` keeps its output) with the
identifiers it left labelled and its placeholders in place. Without ``--redacted-only`` each document's raw text,
every gold identifier labelled, is added (session 8's recipe). Labels: NAME, LOC, DATE, NUM (every number-like
identifier), O. Same data and settings give the same file (documents in a fixed order, L-BFGS with fixed
iterations).

``--cross-validate T1,T2,...`` writes no model: it leaves one corpus out at a time (a corpus as written and as
Whisper heard it is one corpus), trains on the rest, and scores each held-back source with the rules alone and
with rules + model at each threshold (misses caught, false alarms per 10,000 correctly redacted tokens; counts
only). checks/HISTORY.md ("Session 10") holds the curve and the command:

    python -m cipher_devtools.train_scan_model --redacted-only --cache /tmp/scan11/cache \\
        --physionet /work/.mirror/cliffordlab+DEID-2023/repo \\
        --whisper-dir /work/cache/calls_dev_whisper/wideband --whisper-dir /work/cache/calls_dev_whisper/phone \\
        --calls-file tests/data/calls_redteam/calls_redteam.md --calls-file tests/data/calls_redteam/calls_redteam8.md \\
        --calls-file tests/data/calls_redteam/calls_redteam9.md \\
        --calls-whisper-dir calls_redteam8=/work/cache/redteam8_whisper/wideband \\
        --calls-whisper-dir calls_redteam8=/work/cache/redteam8_whisper/phone [--cross-validate 0.5,0.9,0.95]

scan13 (session 12) ran the cross-validation on every development source on its machine (session 10's Whisper
caches of calls_dev dev and the third corpus were gone; checks/HISTORY.md, "scan13"; the model stayed off and the
shipped file is session 10's):

    python -m cipher_devtools.train_scan_model --redacted-only --cache /tmp/scan13/cache \
        --physionet /work/.mirror/cliffordlab+DEID-2023/repo \
        --whisper-dir /work/cache/calls_dev_whisper_odd_s11/wideband --whisper-dir /work/cache/calls_dev_whisper_odd_s11/phone \
        --calls-file tests/data/calls_redteam/calls_redteam.md --calls-file tests/data/calls_redteam/calls_redteam8.md \
        --calls-file tests/data/calls_redteam/calls_redteam9.md --calls-file tests/data/calls_redteam/calls_redteam10.md \
        --calls-file tests/data/calls_redteam/calls_redteam11.md \
        --calls-whisper-dir calls_redteam10=/work/cache/redteam10_whisper_odd_w11/wideband \
        --calls-whisper-dir calls_redteam10=/work/cache/redteam10_whisper_odd_w11/phone \
        --cross-validate 0.5,0.6,0.7,0.8,0.9,0.95,0.98
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence


from cipher_devtools import scan_eval
from cipher_devtools.crf_training import fit, labelled_lines
from cipher_pipeline.gate import residual
from cipher_pipeline.gate.thresholds import token_model_path

GOLD_TO_LABEL = {"NAME": "NAME", "GEO": "LOC", "DATE": "DATE"}  # every other identifier category is NUM
# L1 keeps the file small and drops features seen on a few tokens only (a training text's own quirks); L2 and
# the iteration cap were chosen on the development data's own cross-check (checks/HISTORY.md, "Session 10").
TRAINER_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
DEFAULT_OUTPUT = Path(str(token_model_path()))


@dataclass
class Example:
    """One text with labelled character ranges: (start, end, model label)."""

    source: str
    text: str
    labelled: list[tuple[int, int, str]]


@dataclass
class Source:
    """One development source: its documents, the redactor's output of each (None where it failed), and the
    corpus it comes from (``group``): a corpus as written and as Whisper heard it is one group, so a
    cross-validation fold never trains on the text of the calls it scores."""

    name: str
    group: str
    docs: list[scan_eval.Doc]
    redacted: list[scan_eval.Redacted | None]


def _label(category: str) -> str:
    return GOLD_TO_LABEL.get(category, "NUM")


def examples_from_source(source: Source, raw: bool = True) -> list[Example]:
    """(``raw``) the raw text of each document with its identifiers, then the redactor's output of it with the
    identifiers the redactor left, projected as ``scan_eval`` projects them (what the scan really reads)."""
    out = []
    if raw:
        for doc in source.docs:
            ranges = [(s, e, _label(g.category)) for g in doc.gold if g.category not in ("IGNORED", "NOT_IDENTIFIER") for s, e in g.required]
            out.append(Example(f"{source.name}:raw", doc.text, ranges))
    for doc, red in zip(source.docs, source.redacted):
        if red is None:
            continue  # the redactor failed on it (counted by scan_eval's own runs)
        misses, _ = scan_eval.residual_gold(doc, red)
        ranges = [(s, e, _label(g.category)) for g, mapped in misses for s, e in mapped]
        out.append(Example(f"{source.name}:redacted", red.text, ranges))
    return out


def sequences(example: Example) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, labels) per line of the example, as the scan will read it."""
    tokens, per_line = residual.token_model_features(example.text)
    return labelled_lines(tokens, per_line, example.labelled)


def train(examples: Sequence[Example], output: Path, params: dict | None = None) -> dict:
    """Train on ``examples`` in the order given and write the model to ``output``; returns counts and the
    file's size and sha256 (no text)."""
    fitted = fit((pair for example in examples for pair in sequences(example)), output, {**TRAINER_PARAMS, **(params or {})})
    return {
        "examples": len(examples),
        "sequences": fitted["sequences"],
        "tokens": sum(fitted["labels"].values()),
        "labels": dict(sorted(fitted["labels"].items())),
        "bytes": fitted["bytes"],
        "sha256": fitted["sha256"],
    }


def development_sources(args: argparse.Namespace) -> list[Source]:
    """Every development source the arguments name, each with the redactor's output (kept in ``--cache``)."""
    cache = Path(args.cache) if getattr(args, "cache", None) else None
    half = getattr(args, "calls_dev_half", "dev")
    # (name, group, documents, whether Whisper wrote them): Whisper's text is redacted as the pipeline redacts it,
    # as a speech recognizer's output, the way ``scan_eval --corpus asr`` scores it (and shares its cache)
    specs: list[tuple[str, str, list[scan_eval.Doc], bool]] = [("calls_dev", "calls_dev", scan_eval.load_calls_dev(half=half), False)]
    for directory in args.whisper_dir or []:
        specs.append((f"calls_dev:whisper_{Path(directory).name}", "calls_dev", scan_eval.load_asr_corpus(Path(directory), half), True))
    for path in args.calls_file or []:
        specs.append((Path(path).stem, Path(path).stem, scan_eval.load_calls_dev(Path(path), half="odd"), False))
    for spec in getattr(args, "calls_whisper_dir", None) or []:
        corpus, _, directory = spec.partition("=")
        if not directory:
            raise SystemExit(f"--calls-whisper-dir takes CORPUS=DIR, e.g. calls_redteam8=/work/cache/redteam8_whisper/phone: {spec!r}")
        specs.append((f"{corpus}:whisper_{Path(directory).name}", corpus, scan_eval.load_asr_corpus(Path(directory), "odd"), True))
    specs.append(("presidio", "presidio", scan_eval.load_presidio(None, "dev"), False))
    if args.physionet:
        specs.append(("physionet", "physionet", scan_eval.load_physionet(Path(args.physionet), "dev"), False))
    return [Source(name, group, docs, scan_eval.redact_docs(docs, cache, speech_recognized=asr)) for name, group, docs, asr in specs]


def development_examples(sources: Sequence[Source], raw: bool = True) -> list[Example]:
    return [example for source in sources for example in examples_from_source(source, raw=raw)]


# ------------------------------------------------------------------ leave-one-corpus-out cross-validation
@dataclass
class _ScoredDoc:
    """A held-back document, prepared once: its redacted text, the rules' findings on it, the misses' ranges and
    the characters where a finding is no false alarm."""

    text: str
    chart: bool  # read in the scan's chart register, where the learned family is off
    rules: list[residual.Residual]
    misses: list[list[tuple[int, int]]]
    gold_chars: set[int]
    tokens: int


def _prepare(source: Source) -> list[_ScoredDoc]:
    out = []
    for doc, red in zip(source.docs, source.redacted):
        if red is None:
            continue
        misses, gold_chars = scan_eval.residual_gold(doc, red)
        out.append(_ScoredDoc(red.text, not residual.learned_family_reads(red.text), residual.scan_text(red.text), [m for _, m in misses], gold_chars,
                              residual.count_tokens(red.text)))
    return out


def _model_findings(text: str, tagger: object, thresholds: Sequence[float]) -> dict[float, list[residual.Residual]]:
    """The learned family's findings at each threshold, from one pass of the model (offsets into ``text``)."""
    normalized = residual.normalize_for_scan(text)
    plain = normalized.text if normalized.starts is not None else text
    marginals = residual.token_model_marginals(plain, tagger)
    out = {}
    for t in thresholds:
        found = residual.learned_findings_from_marginals(plain, marginals, t)
        if normalized.starts is not None:
            found = [residual.Residual(*normalized.to_original(r.start, r.end), r.category, r.rule) for r in found]
        out[t] = found
    return out


def _tally(docs: Sequence[_ScoredDoc], findings_per_doc: Sequence[list[residual.Residual]]) -> dict:
    caught = fa = misses = tokens = 0
    for doc, findings in zip(docs, findings_per_doc):
        tokens += doc.tokens
        for ranges in doc.misses:
            misses += 1
            caught += any(f.start < e and s < f.end for f in findings for s, e in ranges)
        fa += sum(1 for f in findings if not any(p in doc.gold_chars for p in range(f.start, f.end)))
    return {"misses": misses, "caught": caught, "catch": round(caught / misses, 3) if misses else None,
            "false_alarms": fa, "tokens": tokens, "false_alarms_per_10k": round(10_000 * fa / max(tokens, 1), 2)}


def cross_validate(sources: Sequence[Source], thresholds: Sequence[float], raw: bool = True,
                   params: dict | None = None, workdir: Path | None = None) -> dict:
    """Leave one corpus out: for each group, train on every other group's sources, score each of its sources with
    the rules alone and with rules + model at each threshold. Counts only (no text)."""
    import tempfile

    import pycrfsuite

    prepared = {source.name: _prepare(source) for source in sources}
    result: dict = {"thresholds": list(thresholds), "folds": {}}
    groups = sorted({source.group for source in sources})
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for group in groups:
            training = development_examples([s for s in sources if s.group != group], raw=raw)
            model = Path(tmp) / f"fold-{group}.crfsuite"
            summary = train(training, model, params)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            fold = {"train_tokens": summary["tokens"], "sources": {}}
            for source in (s for s in sources if s.group == group):
                docs = prepared[source.name]
                per_doc = [{t: [] for t in thresholds} if d.chart else _model_findings(d.text, tagger, thresholds) for d in docs]
                row = {"rules": _tally(docs, [d.rules for d in docs])}
                for t in thresholds:
                    row[str(t)] = _tally(docs, [residual.resolve_overlaps(d.rules + m[t]) for d, m in zip(docs, per_doc)])
                fold["sources"][source.name] = row
                print(json.dumps({"group": group, "source": source.name, **{k: (v["caught"], v["misses"], v["false_alarms_per_10k"]) for k, v in row.items()}}), file=sys.stderr)
            tagger.close()
            result["folds"][group] = fold
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--physionet", help="git mirror or checkout of cliffordlab/DEID-2023 (its odd patients are read)")
    parser.add_argument("--whisper-dir", action="append", help="a directory of Whisper's calls_dev transcripts "
                        "(call_NNN.json); only the development calls are read. Repeatable")
    parser.add_argument("--calls-file", action="append", help="a further calls_dev-format file; only its odd calls "
                        "are read. Repeatable")
    parser.add_argument("--calls-whisper-dir", action="append", help="CORPUS=DIR: Whisper's transcripts of a "
                        "--calls-file corpus (its file's stem, e.g. calls_redteam8=/work/cache/redteam8_whisper/phone); "
                        "only the odd calls are read. Repeatable")
    parser.add_argument("--calls-dev-half", choices=["dev", "odd"], default="dev", help="calls_dev's calls read (as "
                        "written and in --whisper-dir): dev (odd + even-A), or odd only")
    parser.add_argument("--redacted-only", action="store_true", help="train on the redactor's output only (what the "
                        "scan reads), not also on the raw text with every identifier")
    parser.add_argument("--cache", help="scan_eval's cache of the redactor's output (outside the repository)")
    parser.add_argument("--cross-validate", metavar="THRESHOLDS", help="instead of writing the model: leave one corpus "
                        "out at these marginal-probability thresholds (comma-separated) and print the curve as JSON")
    parser.add_argument("--json", help="write the summary (or the cross-validation) here too")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help="model file (default: the scan's own)")
    args = parser.parse_args(argv)
    sources = development_sources(args)
    if args.cross_validate:
        thresholds = [float(v) for v in args.cross_validate.split(",")]
        summary = cross_validate(sources, thresholds, raw=not args.redacted_only)
    else:
        examples = development_examples(sources, raw=not args.redacted_only)
        summary = train(examples, Path(args.output))
        summary["sources"] = dict(sorted(Counter(e.source for e in examples).items()))
    print(json.dumps(summary, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
