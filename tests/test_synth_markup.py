"""`cipher synth speak`: a [[CATEGORY|text]] corpus parsed, voiced and written with its gold."""

import hashlib
import json
import wave
from pathlib import Path

import pytest

from cipher_devtools.evaluate import load_calls_dev
from cipher_pipeline.settings import shared_data_dir
from cipher_devtools.synth.audio import PiperVoice, Voice
from cipher_devtools.synth.markup import (
    MarkedCall,
    MarkupError,
    parse_call_numbers,
    parse_corpus,
    select_calls,
    speak_call,
    spoken_text,
    voices_for,
)

CORPUS = """# a heading the parser skips

## call 001

Agent: Admissions, this is [[NAME|Rosa]].

Caller: I have [[INSURER|Aetna]], member ID [[HEALTH_PLAN_ID|W12 345]]. Call me at [[PHONE|602-555-0114]].

## call 002

Agent: Were you at [[COMPETITOR|Canyon Gate Recovery]] before?

Caller: Yes, in [[DATE|May]].
"""
CALLS_DEV = shared_data_dir() / "calls_dev" / "calls_dev.md"
REDTEAM = Path(__file__).parent / "data" / "calls_redteam"


def test_spans_come_out_with_offsets_into_the_plain_text():
    calls = parse_corpus(CORPUS)
    assert [c.number for c in calls] == [1, 2]
    caller = calls[0].turns[1]
    assert caller.speaker == "caller" and "[[" not in caller.text
    assert [(s.category, caller.text[s.start:s.end]) for s in caller.spans] == [
        ("INSURER", "Aetna"), ("HEALTH_PLAN_ID", "W12 345"), ("PHONE", "602-555-0114")]


def test_identifier_digits_are_said_one_by_one_and_the_rest_as_written():
    caller = parse_corpus(CORPUS)[0].turns[1]
    said = spoken_text(caller)
    assert "six zero two, five five five, zero one one four" in said
    assert "W one two three four five" in said and "I have Aetna" in said


@pytest.mark.parametrize("bad", ["no header at all", "## call 001\n\nNarrator: hello", "## call 001\n\nAgent: [[NAME|Rosa]"])
def test_malformed_corpus_is_a_clear_error(bad):
    with pytest.raises(MarkupError):
        parse_corpus(bad)


def test_call_lists():
    assert parse_call_numbers("2-10:2") == {2, 4, 6, 8, 10}
    assert parse_call_numbers("1,3, 20") == {1, 3, 20}
    with pytest.raises(ValueError):
        parse_call_numbers("two")


def test_every_call_has_an_espeak_side_and_a_piper_side_and_both_sides_get_piper_across_calls():
    sides = []
    for number in range(1, 9):
        voices = voices_for(MarkedCall(number, []), seed=12)
        assert {type(v) for v in voices.values()} == {Voice, PiperVoice}
        sides.append("caller" if isinstance(voices["caller"], PiperVoice) else "agent")
        assert voices == voices_for(MarkedCall(number, []), seed=12)  # seeded: the same every run
    odd, even = sides[0::2], sides[1::2]
    assert set(odd) == set(even) == {"agent", "caller"}


@pytest.mark.skipif(not CALLS_DEV.exists(), reason=f"shared dev corpus not found at {CALLS_DEV}")
def test_the_dev_corpus_parses_whole():
    calls = parse_corpus(CALLS_DEV.read_text(encoding="utf-8"))
    assert [c.number for c in calls] == list(range(1, 81))
    for call in calls:
        assert {t.speaker for t in call.turns} == {"agent", "caller"}
        for turn in call.turns:
            assert all(turn.text[s.start:s.end] == s.text for s in turn.spans)


def _digest(items) -> str:
    """A fingerprint of what a call holds, so a mismatch on a held-out call is reported without its text."""
    return hashlib.sha256(repr(items).encode("utf-8")).hexdigest()[:12]


@pytest.mark.parametrize("name", ["calls_redteam.md", "calls_redteam8.md"])
def test_a_red_team_corpus_is_spoken_with_the_calls_and_spans_its_scorer_reads(name):
    """`cipher synth speak` takes the red-team corpora as they are (their numbering skips 017-040 or 021-040): the
    calls, turns and marked spans it voices and writes as gold are the ones `cipher eval --corpus calls_dev --path`
    and `scan_eval --path` score, so Whisper's text of them is scored against the same identifiers. Compared by
    fingerprint only: the even calls are held out and no text of theirs may reach a failure message."""
    path = REDTEAM / name
    spoken = parse_corpus(path.read_text(encoding="utf-8"))
    scored = load_calls_dev(path)
    assert [c.call_id for c in spoken] == [d.id for d in scored]
    for call, doc in zip(spoken, scored):
        assert {t.speaker for t in call.turns} == {"agent", "caller"}, call.call_id
        voiced = [(s.category, t.text[s.start:s.end]) for t in call.turns for s in t.spans]
        gold = [(g.category, doc.text[g.start:g.end]) for g in doc.spans]
        assert _digest(voiced) == _digest(gold), f"{call.call_id}: spans differ between synth and the scorer"
        assert _digest([t.text for t in call.turns]) == _digest(
            [line.split(": ", 1)[1] for line in doc.text.splitlines()]), f"{call.call_id}: turn text differs"
    numbers = {c.number for c in spoken}
    assert select_calls(spoken, {n for n in numbers if n % 2 == 0}) == [c for c in spoken if c.number % 2 == 0]
    with pytest.raises(MarkupError, match="not in the corpus"):  # "2-64:2" names calls these corpora do not have
        select_calls(spoken, parse_call_numbers("2-64:2"))


@pytest.mark.slow
def test_a_call_is_spoken_into_both_bands_with_its_gold(tmp_path):
    call = parse_corpus(CORPUS)[0]
    spoken = speak_call(call, tmp_path, ("wideband", "phone"), seed=12)
    for band, rate in (("wideband", 16000), ("phone", 8000)):
        with wave.open(str(spoken.audio[band]), "rb") as w:
            assert (w.getnchannels(), w.getframerate()) == (2, rate)
            assert abs(w.getnframes() / rate - spoken.duration_s) < 0.01
    gold = json.loads(spoken.gold_path.read_text())
    assert [t["text"] for t in gold["turns"]] == [t.text for t in call.turns]
    assert gold["turns"][1]["spans"][0] == {"start": 7, "end": 12, "category": "INSURER", "text": "Aetna"}
    assert {v["engine"] for v in gold["voices"].values()} == {"espeak-ng", "piper"}
    assert all(t["end"] > t["start"] for t in gold["turns"])
    assert not list(tmp_path.rglob(".*.part"))  # nothing half-written left behind


def test_cli_reports_a_bad_corpus_without_a_traceback(tmp_path, capsys):
    from cipher_pipeline.cli import main

    bad = tmp_path / "bad.md"
    bad.write_text("## call 001\n\nNarrator: hello\n")
    assert main(["synth", "speak", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "Agent:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing created for a corpus that does not parse
    assert main(["synth", "speak", str(tmp_path / "missing.md"), "--out", str(tmp_path / "out")]) == 2
