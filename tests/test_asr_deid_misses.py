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
    # a folder of decodes is a blind corpus's unless said otherwise: only its odd calls may be read
    for half in ("even-b", "even", "dev", "even-a"):
        with pytest.raises(SystemExit):
            main(["--transcripts-dir", str(tmp_path), "--half", half, "--show-leaks"])
        assert "held out" in capsys.readouterr().err


def test_calls_dev_decodes_may_be_read_in_every_half_since_the_swap(tmp_path, capsys):
    (tmp_path / "phone").mkdir()
    (tmp_path / "phone" / "call_004.json").write_text(json.dumps(
        {"id": "call_004", "text": "caller: hi\n", "spans": [], "must_survive": []}))
    assert main(["--transcripts-dir", str(tmp_path), "--half", "even-b", "--bands", "phone", "--show-leaks",
                 "--calls-dev"]) == 0
    assert "phone half=even-b calls=1" in capsys.readouterr().out


def test_records_are_picked_by_half(tmp_path):
    (tmp_path / "phone").mkdir()
    for number in (1, 2, 4):
        (tmp_path / "phone" / f"call_{number:03d}.json").write_text(json.dumps({"id": f"call_{number:03d}"}))
    assert [r["id"] for r in load_records(tmp_path, "phone", "dev")] == ["call_001", "call_002"]
    assert [r["id"] for r in load_records(tmp_path, "phone", "even-b")] == ["call_004"]


def _record(call: str, text: str, heard: str, said: str, category: str = "GEO") -> dict:
    return {"id": call, "text": text, "spans": [
        {"start": text.index(heard), "end": text.index(heard) + len(heard), "category": category, "gold_value": said}]}


def test_two_decodes_compared_span_by_span_heard_the_same_or_not():
    from cipher_devtools.asr_deid_misses import _span_outcomes, compare_decodes

    # decode A: the town heard as said and masked; the name heard as said and masked
    a_text = "caller: I live in Keller. My son Tobias drives.\n"
    a = [_record("call_901", a_text, "Keller", "Keller"), _record("call_903", a_text, "Tobias", "Tobias", "NAME")]
    # decode B: the town heard as "color" and left; the name heard the same and left (new surroundings); a third
    # call's town heard only in B
    b_text = "caller: I live in color. My son Tobias drives.\n"
    c_text = "caller: out past Denton.\n"
    b = [_record("call_901", b_text, "color", "Keller"), _record("call_903", b_text, "Tobias", "Tobias", "NAME"),
         _record("call_905", c_text, "Denton", "Denton")]
    masked = lambda record: [(s["start"], s["end"]) for s in record["spans"]]  # noqa: E731
    got = compare_decodes(_span_outcomes(a, [masked(r) for r in a]),
                          _span_outcomes(b, [[], [], masked(b[2])]))
    assert got["caught"] == {"A": 2, "B": 1} and got["projected"] == {"A": 2, "B": 3}
    assert got["flips_by_kind"] == {"caught in A, missed in B, heard differently": 1,
                                    "caught in A, missed in B, heard the same": 1, "projected in B only": 1}
    # the same outcome both ways is no flip
    assert compare_decodes(_span_outcomes(a, [masked(r) for r in a]),
                           _span_outcomes(a, [masked(r) for r in a]))["flips"] == []


def test_two_decodes_are_compared_on_development_calls_only(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--transcripts-dir", str(tmp_path), "--half", "even-b", "--against", str(tmp_path)])
    assert "held out" in capsys.readouterr().err
