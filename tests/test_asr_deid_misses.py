"""``cipher_devtools.asr_deid_misses``: what Whisper did to an identifier the redactor missed, and the held-out
quarter refused (invented values; no transcript read)."""

from __future__ import annotations

import json

import pytest

from cipher_devtools.asr_deid_misses import _record_misses, load_records, main, whisper_class


@pytest.mark.parametrize(
    "heard, said, kind",
    [
        ("Ray\ncaller: Dillard", "Ray Dillard", "line split"),
        ("8, 1, 4, five five", "814-55", "number words mixed with digits"),
        ("814, 55, 1, 22", "814-551-22", "digits split into groups"),
        ("six one nine", "619", "number words"),
        ("k, j, r", "KJR", "letters one by one"),
        ("color", "Keller", "misheard"),
        ("dunmore", "Dunmore", "lower case"),
        ("Mary Beth", "Mary-Beth", "lost punctuation"),
        ("Dunmore", "Dunmore", "heard as said"),
    ],
)
def test_whisper_class(heard, said, kind):
    assert whisper_class(heard, said) == kind


def test_a_miss_is_scored_span_by_span_as_the_scorer_does():
    text = "caller: I live in color, by the lake\n"
    record = {"id": "call_999", "text": text, "spans": [
        {"start": text.index("color"), "end": text.index("color") + 5, "category": "GEO", "gold_value": "Keller"}]}
    misses = _record_misses(record, [])
    assert [(m["category"], m["class"], m["missed"]) for m in misses] == [("GEO", "misheard", ["color"])]
    assert _record_misses(record, [(text.index("color"), text.index("color") + 5)]) == []


def test_held_out_calls_are_never_listed(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--transcripts-dir", str(tmp_path), "--half", "even-b", "--show-leaks"])
    assert "held out" in capsys.readouterr().err


def test_records_are_picked_by_half(tmp_path):
    (tmp_path / "phone").mkdir()
    for number in (1, 2, 4):
        (tmp_path / "phone" / f"call_{number:03d}.json").write_text(json.dumps({"id": f"call_{number:03d}"}))
    assert [r["id"] for r in load_records(tmp_path, "phone", "dev")] == ["call_001", "call_002"]
    assert [r["id"] for r in load_records(tmp_path, "phone", "even-b")] == ["call_004"]
