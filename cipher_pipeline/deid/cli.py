"""``cipher deid``: redact a JSONL file of transcripts. It never prints transcript text or identifiers.

Scoring the engine on an annotated corpus (``cipher eval``) is dev tooling and lives with it, not here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from cipher_pipeline.deid.engine import layer_names

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


def _redact_each(redactor, texts: list[str]) -> list:
    """Results for ``texts`` in order, batched; when the batch raises, each record alone, so one record that
    breaks the engine costs only itself (its slot holds the exception)."""
    try:
        return list(redactor.redact_many(texts))
    except Exception:  # noqa: BLE001 - whatever one record raised, the others must still be written
        out: list = []
        for text in texts:
            try:
                out.append(redactor.redact(text))
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out


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
            results = iter(_redact_each(redactor, texts)) if texts else iter(())
            for lineno, rid, text, error in pending:
                if error is None:
                    res = next(results)
                    if isinstance(res, Exception):
                        # the error class only: an exception's message may quote the transcript
                        error = f"line {lineno}: redaction failed ({type(res).__name__})"
                if error is not None:
                    out = {"id": rid, "error": error}
                    failed += 1
                else:
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


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``deid``."""
    deid = subparsers.add_parser("deid", help="de-identify a JSONL file of transcripts ({id, text} per line)")
    deid.add_argument("input", help="input .jsonl, one {\"id\", \"text\"} object a line")
    deid.add_argument("-o", "--output", required=True, help="output .jsonl")
    deid.add_argument("--batch-size", type=int, default=64)
    deid.add_argument("--max-chars", type=int, default=MAX_TEXT_CHARS, help="longer texts are rejected as bad records")
    deid.add_argument("--disable-layer", action="append", choices=layer_names(), help="switch a layer of layers.yaml off")
    deid.add_argument("--lexicon-dir", help="a center's own lexicon directory (default: the packaged one)")
    deid.set_defaults(func=_deid)
