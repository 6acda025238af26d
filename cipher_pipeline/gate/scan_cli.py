"""``cipher scan INPUT.jsonl -o OUTPUT.jsonl``: the independent residual scan over a file of redacted texts.

Input: one JSON object a line, ``{"id": ..., "text": ...}`` (text already redacted). Output: one line per input
line, in order, ``{"id": ..., "findings": [{"start", "end", "category", "direct"}]}`` with character offsets into
that input text. A line that cannot be scanned (not UTF-8, not JSON, no id, no text, too long, blank) still gets its
output line, with ``"findings": null`` and an ``"error"`` saying why, so a consumer can never read a bad record as a
clean one and one bad record never sinks the file. Neither the text nor a finding's text is ever written or printed:
offsets only, because a residual finding is an identifier that leaked into Tier 2.

Exit status: 0 when every line was scanned, 1 when at least one line was a bad record, 2 for an unreadable input file
or an invalid thresholds file. The learned token model is on when the thresholds in force (`CIPHER_CHECKS_DIR`) say so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import IO, Iterable, Iterator

from cipher_pipeline.gate.residual import scan_text
from cipher_pipeline.gate.thresholds import ThresholdsError, thresholds_in_force
from cipher_pipeline.settings import Settings

# A call transcript is a few thousand characters; 1 MB of text is a bad record, and bounding it keeps the time one
# line can take bounded too (the scan is linear in the text, so this caps one line at well under a second or two).
MAX_TEXT_CHARS = 1_000_000
MAX_LINE_BYTES = 4 * MAX_TEXT_CHARS + 4096  # JSON escapes can quadruple a text's bytes


def _record_id(record: dict) -> str | int | None:
    rid = record.get("id")
    if isinstance(rid, bool) or not isinstance(rid, (str, int)):
        return None
    return rid


def scan_line(
    raw: bytes, lineno: int, max_chars: int = MAX_TEXT_CHARS, learned_min_probability: float | None = None
) -> dict:
    """The output object for one input line; never raises for bad input, never quotes the line's text.
    ``learned_min_probability``: the learned family's threshold in force (None: rules only)."""
    if not raw.strip():
        return {"id": None, "findings": None, "error": f"line {lineno}: blank line"}
    if len(raw) > MAX_LINE_BYTES:
        return {"id": None, "findings": None, "error": f"line {lineno}: record too large ({len(raw)} bytes)"}
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"id": None, "findings": None, "error": f"line {lineno}: not UTF-8 (byte {exc.start})"}
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" ({exc.msg} at column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        return {"id": None, "findings": None, "error": f"line {lineno}: not JSON{where}"}
    if not isinstance(record, dict):
        return {"id": None, "findings": None, "error": f"line {lineno}: not a JSON object"}
    rid = _record_id(record)
    if rid is None:
        return {"id": None, "findings": None, "error": f"line {lineno}: no string or integer id"}
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": rid, "findings": None, "error": f"line {lineno}: no text"}
    if len(text) > max_chars:
        return {"id": rid, "findings": None, "error": f"line {lineno}: text too long ({len(text)} chars, limit {max_chars})"}
    findings = [
        {"start": r.start, "end": r.end, "category": r.category, "direct": r.is_direct}
        for r in scan_text(text, learned_min_probability=learned_min_probability)
    ]
    return {"id": rid, "findings": findings}


def _lines(src: IO[bytes]) -> Iterator[bytes]:
    for raw in src:
        yield raw.rstrip(b"\r\n") if raw.endswith(b"\n") else raw


def scan_lines(
    lines: Iterable[bytes], max_chars: int = MAX_TEXT_CHARS, learned_min_probability: float | None = None
) -> Iterator[dict]:
    """One output object per input line, in order."""
    for lineno, raw in enumerate(lines, start=1):
        yield scan_line(raw, lineno, max_chars, learned_min_probability)


def run_scan(
    input_path: Path,
    output_path: Path,
    max_chars: int = MAX_TEXT_CHARS,
    stderr: IO[str] | None = None,
    learned_min_probability: float | None = None,
) -> tuple[int, int, int]:
    """Scan every line of ``input_path`` into ``output_path``. Returns (records, failed, findings).

    The output is written to a temporary file beside the target and renamed at the end, so a crash or an
    interrupt never leaves a truncated output that looks complete.
    """
    stderr = stderr or sys.stderr
    output_path.parent.mkdir(parents=True, exist_ok=True)
    partial = output_path.with_name(output_path.name + ".partial")
    records = failed = findings = 0
    t0 = time.perf_counter()
    try:
        with input_path.open("rb") as src, partial.open("w", encoding="utf-8") as dst:
            for out in scan_lines(_lines(src), max_chars, learned_min_probability):
                records += 1
                if out["findings"] is None:
                    failed += 1
                else:
                    findings += len(out["findings"])
                # ensure_ascii: an id may hold a lone surrogate, which UTF-8 cannot encode
                dst.write(json.dumps(out, ensure_ascii=True) + "\n")
        partial.replace(output_path)
    finally:
        partial.unlink(missing_ok=True)
    print(
        f"scan: {records} lines, {failed} bad records, {findings} findings, {time.perf_counter() - t0:.1f} s",
        file=stderr,
        flush=True,
    )
    return records, failed, findings


def _scan(args: argparse.Namespace) -> int:
    input_path = Path(args.input)
    if not input_path.is_file():
        print(f"scan: no such input file: {input_path}", file=sys.stderr)
        return 2
    try:  # the scan the gate runs: the learned family as the deployment's thresholds in force set it
        learned = thresholds_in_force(Settings.from_env()).learned_min_probability
    except ThresholdsError as exc:
        print(f"scan: {exc}", file=sys.stderr)
        return 2
    _, failed, _ = run_scan(input_path, Path(args.output), max_chars=args.max_chars, learned_min_probability=learned)
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``scan``."""
    scan = subparsers.add_parser(
        "scan", help="independent residual-identifier scan of redacted text ({id, text} per line)"
    )
    scan.add_argument("input", help="input .jsonl, one {\"id\", \"text\"} object a line (redacted text)")
    scan.add_argument("-o", "--output", required=True, help="output .jsonl: {\"id\", \"findings\"} per input line")
    scan.add_argument("--max-chars", type=int, default=MAX_TEXT_CHARS, help="longer texts are rejected as bad records")
    scan.set_defaults(func=_scan)


__all__ = ["MAX_TEXT_CHARS", "register", "run_scan", "scan_line", "scan_lines"]
