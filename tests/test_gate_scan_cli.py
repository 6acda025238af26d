"""`cipher scan`: one output line per input line, in order, offsets into the input text, bad records kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cipher_pipeline.cli import main
from cipher_pipeline.gate.residual import scan_text
from cipher_pipeline.gate.scan_cli import scan_line


def _write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_scan_writes_one_line_per_input_line_in_order(tmp_path: Path) -> None:
    texts = {
        "a": "Agent: best number? Caller: 713-555-0148, and it's [NAME].",
        "b": "Caller: we live off pearl road by the big lots.",
        "c": "Agent: thanks. Caller: [NAME] [DATE] [PHONE]",
    }
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": k, "text": v}).encode() for k, v in texts.items()]
                 + [b"not json", json.dumps({"id": 7}).encode()])
    out = tmp_path / "out" / "found.jsonl"
    rc = main(["scan", str(src), "-o", str(out)])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rc == 1  # two bad records
    assert [r["id"] for r in rows] == ["a", "b", "c", None, 7]
    for row in rows[:3]:
        text = texts[row["id"]]
        expected = [(r.start, r.end, r.category, r.is_direct) for r in scan_text(text)]
        assert [(f["start"], f["end"], f["category"], f["direct"]) for f in row["findings"]] == expected
    assert rows[0]["findings"][0]["category"] == "PHONE" and rows[0]["findings"][0]["direct"] is True
    phone = rows[0]["findings"][0]
    assert texts["a"][phone["start"] : phone["end"]] == "713-555-0148"
    assert {f["category"] for f in rows[1]["findings"]} == {"LOCATION"}
    assert rows[2]["findings"] == []  # placeholders are already redacted
    assert rows[3]["findings"] is None and "not JSON" in rows[3]["error"]
    assert rows[4]["findings"] is None and "no text" in rows[4]["error"]
    assert not list(out.parent.glob("*.partial"))


def test_bad_records_never_quote_the_text() -> None:
    secret = "Marcus Delgado 713-555-0148"
    for raw in (
        json.dumps({"id": "x", "text": secret}).encode()[:-3],  # truncated JSON
        json.dumps([secret]).encode(),
        json.dumps({"text": secret}).encode(),
        b"\xff\xfe" + secret.encode(),
    ):
        out = scan_line(raw, 3)
        assert out["findings"] is None and "Marcus" not in out["error"] and "0148" not in out["error"]


def test_text_over_the_limit_is_a_bad_record() -> None:
    out = scan_line(json.dumps({"id": "big", "text": "word " * 50}).encode(), 1, max_chars=100)
    assert out == {"id": "big", "findings": None, "error": "line 1: text too long (250 chars, limit 100)"}


@pytest.mark.slow
def test_missing_input_file_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cipher_pipeline", "scan", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and not (tmp_path / "o.jsonl").exists()
