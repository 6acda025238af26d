"""``cipher deid`` (redact a JSONL file of transcripts) and ``cipher eval`` (score the engine on a corpus).

Neither command prints transcript text or identifiers, except ``cipher eval --show-leaks`` on synthetic corpora,
which lists what was missed so a developer can fix it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

MAX_TEXT_CHARS = 2_000_000  # a transcript longer than this is a bad record, not a call
MAX_LINE_BYTES = 8_000_000


def _parse_line(raw: bytes, lineno: int, max_chars: int) -> tuple[str | None, str | None, str | None]:
    """(id, text, error) for one input line; the error never quotes the record's text."""
    if len(raw) > MAX_LINE_BYTES:
        return None, None, f"line {lineno}: record too large ({len(raw)} bytes)"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, f"line {lineno}: not UTF-8 (byte {exc.start})"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"line {lineno}: not JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(record, dict):
        return None, None, f"line {lineno}: not a JSON object"
    rid = record.get("id")
    rid = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else None
    text = record.get("text")
    if rid is None:
        return None, None, f"line {lineno}: no string id"
    if not isinstance(text, str):
        return rid, None, f"line {lineno}: no text"
    if len(text) > max_chars:
        return rid, None, f"line {lineno}: text too long ({len(text)} chars, limit {max_chars})"
    return rid, text, None


def run_deid(input_path: Path, output_path: Path, redactor, batch_size: int = 64, max_chars: int = MAX_TEXT_CHARS,
             progress_every: int = 500, stderr=None) -> tuple[int, int]:
    """Redact every line of ``input_path`` into ``output_path``, in order. Returns (records, failed)."""
    stderr = stderr or sys.stderr
    output_path.parent.mkdir(parents=True, exist_ok=True)
    records = failed = 0
    t0 = time.perf_counter()
    with input_path.open("rb") as src, output_path.open("w", encoding="utf-8") as dst:
        pending: list[tuple[int, str | None, str | None, str | None]] = []

        def flush() -> None:
            nonlocal failed
            texts = [p[2] for p in pending if p[3] is None]
            results = iter(redactor.redact_many(texts)) if texts else iter(())
            for _, rid, text, error in pending:
                if error is not None:
                    out = {"id": rid, "error": error}
                    failed += 1
                else:
                    res = next(results)
                    out = {"id": rid, "redacted_text": res.redacted_text, "spans": [s.to_dict() for s in res.spans]}
                dst.write(json.dumps(out, ensure_ascii=False) + "\n")
            pending.clear()

        for lineno, raw in enumerate(src, start=1):
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            records += 1
            rid, text, error = _parse_line(raw, lineno, max_chars)
            pending.append((lineno, rid, text, error))
            if len(pending) >= batch_size:
                flush()
            if records % progress_every == 0:
                rate = records / max(time.perf_counter() - t0, 1e-9)
                print(f"deid: {records} records, {failed} failed, {rate:.0f}/s", file=stderr, flush=True)
        flush()
    elapsed = time.perf_counter() - t0
    print(f"deid: done, {records} records, {failed} failed, {elapsed:.1f} s", file=stderr, flush=True)
    return records, failed


def _deid(args: argparse.Namespace) -> int:
    from cipher_pipeline.deid import Redactor

    redactor = Redactor.default(disabled_layers=set(args.disable_layer or []),
                                lexicon_dir=Path(args.lexicon_dir) if args.lexicon_dir else None)
    print(f"deid: engine {redactor.version}, layers {','.join(redactor.active_layers)}", file=sys.stderr)
    _, failed = run_deid(Path(args.input), Path(args.output), redactor, batch_size=args.batch_size, max_chars=args.max_chars)
    return 1 if failed else 0


def _eval(args: argparse.Namespace) -> int:
    from cipher_pipeline.deid import Redactor
    from cipher_devtools import evaluate as ev

    synthetic = True
    if args.corpus == "presidio":
        docs = ev.load_presidio(Path(args.path) if args.path else ev.PRESIDIO_DEFAULT_PATH, limit=args.limit)
    elif args.corpus == "synth":
        docs = ev.load_synth(args.n, args.seed, asr_style=args.asr_style)
    else:
        docs = ev.load_jsonl(Path(args.corpus))
        synthetic = args.synthetic
    if args.limit:
        docs = docs[: args.limit]
    t0 = time.perf_counter()
    redactor = Redactor.default(disabled_layers=set(args.disable_layer or []))
    load_s = time.perf_counter() - t0
    report: dict = {"corpus": args.corpus, "engine_version": redactor.version, "layers": redactor.active_layers,
                    "load_seconds": round(load_s, 2)}
    cipher = ev.run(docs, ev.cipher_predictor(redactor), batch_size=args.batch_size)
    report["cipher"] = cipher.summary(with_leaks=args.show_leaks and synthetic)
    if args.compare_presidio:
        presidio = ev.run(docs, ev.presidio_predictor(), batch_size=args.batch_size)
        report["presidio"] = presidio.summary()
        if presidio.seconds and cipher.seconds:
            report["speedup_vs_presidio"] = round(presidio.seconds / cipher.seconds, 2)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    _print_report(report)
    return 0


def _print_report(report: dict) -> None:
    def line(name: str, s: dict) -> str:
        return (f"{name:9s} docs={s['docs']} entities={s['entities']} entity_recall={s['entity_recall']:.4f} "
                f"token_recall={s['token_recall']:.4f} token_precision={s['token_precision']:.4f} "
                f"docs/s={s['docs_per_sec']} chars/s={s['chars_per_sec']} "
                f"must_survive_masked={s['must_survive_masked']}/{s['must_survive']}")

    print(f"engine {report['engine_version']} layers={','.join(report['layers'])} corpus={report['corpus']}")
    print(line("cipher", report["cipher"]))
    if "presidio" in report:
        print(line("presidio", report["presidio"]))
        print(f"speedup vs presidio: {report.get('speedup_vs_presidio')}x")
    print(f"{'category':12s} {'n':>5s} {'cipher_ent':>10s} {'cipher_tok':>10s}" + (" presidio_ent presidio_tok" if "presidio" in report else ""))
    for cat, row in report["cipher"]["per_category"].items():
        extra = ""
        if "presidio" in report:
            p = report["presidio"]["per_category"].get(cat, {})
            extra = f" {p.get('entity_recall', 0):12.4f} {p.get('token_recall', 0):12.4f}"
        print(f"{cat:12s} {row['entities']:5d} {row['entity_recall']:10.4f} {row['token_recall']:10.4f}{extra}")
    for leak in report["cipher"].get("leaks", []):
        print(f"LEAK {leak['id']} {leak['category']}: {leak['value']!r} missed {leak['missed']}")
    for kept in report["cipher"].get("masked_must_survive", []):
        print(f"OVERMASK {kept['id']} {kept['kind']}: {kept['value']!r}")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``deid`` and ``eval``."""
    deid = subparsers.add_parser("deid", help="de-identify a JSONL file of transcripts ({id, text} per line)")
    deid.add_argument("input", help="input .jsonl, one {\"id\", \"text\"} object a line")
    deid.add_argument("-o", "--output", required=True, help="output .jsonl")
    deid.add_argument("--batch-size", type=int, default=64)
    deid.add_argument("--max-chars", type=int, default=MAX_TEXT_CHARS, help="longer texts are rejected as bad records")
    deid.add_argument("--disable-layer", action="append", choices=["rules", "ner", "safeword", "lexicon"])
    deid.add_argument("--lexicon-dir", help="a center's own lexicon directory (default: the packaged one)")
    deid.set_defaults(func=_deid)

    ev = subparsers.add_parser("eval", help="score de-identification on an annotated corpus")
    ev.add_argument("--corpus", default="presidio", help="'presidio', 'synth', or an annotated .jsonl path")
    ev.add_argument("--path", help="path of the presidio-research dataset (default: shared data)")
    ev.add_argument("--n", type=int, default=300, help="synth: number of calls")
    ev.add_argument("--seed", type=int, default=11, help="synth: random seed (hold out seeds you tuned on)")
    ev.add_argument("--asr-style", action="store_true", help="synth: render like Whisper output")
    ev.add_argument("--limit", type=int, help="score only the first N documents")
    ev.add_argument("--batch-size", type=int, default=64)
    ev.add_argument("--compare-presidio", action="store_true", help="also run presidio-analyzer on the same texts")
    ev.add_argument("--disable-layer", action="append", choices=["rules", "ner", "safeword", "lexicon"])
    ev.add_argument("--show-leaks", action="store_true", help="list missed identifiers (synthetic corpora only)")
    ev.add_argument("--synthetic", action="store_true", help="declare a .jsonl corpus synthetic so leaks may be listed")
    ev.add_argument("--json", help="also write the full report as JSON here")
    ev.set_defaults(func=_eval)
