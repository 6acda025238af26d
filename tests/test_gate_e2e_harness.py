"""The gate end-to-end harness (cipher_devtools/gate_e2e.py) without Whisper: spoken calls become an inbox drop
with call-tracking rows, and a call's gold spans are projected onto a transcript the way Whisper writes it."""

from __future__ import annotations

import csv
import json
import wave
from pathlib import Path

import pytest

from cipher_devtools import gate_e2e
from cipher_devtools.asr_corpus import project
from cipher_devtools.synth.calls import CSV_COLUMNS, CSV_NAME

TURNS = [
    {"speaker": "agent", "text": "Admissions, this is Dana.", "speech": "Admissions, this is Dana.",
     "spans": [{"start": 20, "end": 24, "category": "NAME", "text": "Dana"}]},
    {"speaker": "caller", "text": "Hi, I live in Twin Forks, off Route 9.", "speech": "Hi, I live in Twin Forks, off Route 9.",
     "spans": [{"start": 14, "end": 24, "category": "GEO", "text": "Twin Forks"},
               {"start": 30, "end": 37, "category": "GEO", "text": "Route 9"}]},
]  # fmt: skip


def _speech_dir(tmp_path: Path, n: int = 3) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        number = 2 * (i + 1)
        record = {"call_id": f"call_{number:03d}", "number": number, "seed": 1, "duration_s": 0.5, "voices": {}, "turns": TURNS}
        (tmp_path / f"call_{number:03d}.json").write_text(json.dumps(record))
        for band, rate in (("wideband", 16000), ("phone", 8000)):
            (tmp_path / band).mkdir(exist_ok=True)
            with wave.open(str(tmp_path / band / f"call_{number:03d}.wav"), "wb") as w:
                w.setnchannels(2)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(bytes(2 * 2 * (rate // 2)))
    return tmp_path


def test_spoken_calls_alternate_bands_and_land_in_the_inbox_with_tracking_rows(tmp_path: Path) -> None:
    spoken = gate_e2e.load_spoken(_speech_dir(tmp_path / "speech"), 3)
    assert [c["band"] for c in spoken] == ["wideband", "phone", "wideband"]
    by_id = gate_e2e.write_inbox(tmp_path / "inbox", [("2026-10-20", spoken[:2]), ("2026-10-21", spoken[2:])])
    assert len(by_id) == 3
    with open(tmp_path / "inbox" / "2026-10-20" / CSV_NAME, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == 2
    for row in rows:
        assert (tmp_path / "inbox" / "2026-10-20" / row["recording_file"]).exists() and row["answered"] == "true"


def test_gold_spans_are_projected_onto_what_whisper_wrote(tmp_path: Path) -> None:
    spoken = gate_e2e.load_spoken(_speech_dir(tmp_path), 1)[0]
    asr_text = "agent: Admissions, this is Dana.\ncaller: Hi, I live in Twin Forks off Route nine."
    projection = project(gate_e2e.gold_record(spoken), asr_text)
    values = sorted(s["value"] for s in projection.spans)
    assert values == ["Dana", "Route nine", "Twin Forks"], values


def test_a_rescore_plans_the_same_days_as_the_run_and_needs_the_run_s_workdir(tmp_path: Path) -> None:
    """``--rescore`` measures a finished run again: it must cut the calls into the same days as the run did (else it
    would judge one day's transcripts with another's gold), and without a run's data root it refuses."""
    spoken = gate_e2e.load_spoken(_speech_dir(tmp_path / "speech"), 3)
    days = gate_e2e.plan_days(spoken, 2)
    assert [(day, [c["number"] for c in calls]) for day, calls in days] == [
        ("2026-10-20", [spoken[0]["number"], spoken[1]["number"]]), ("2026-10-21", [spoken[2]["number"]])]
    with pytest.raises(SystemExit):
        gate_e2e.main(["--speech", str(tmp_path / "speech"), "--rescore", "--workdir", str(tmp_path / "no_run")])


def test_a_residual_counts_as_said_only_when_one_of_the_identifier_s_own_words_survives() -> None:
    """The stricter of the two leak counts: a word of the identifier as it was said (digits and number words alike),
    not Whisper's mishearing of it, and never a function word it shares."""
    assert gate_e2e.left_as_said("Dana Whitlock", "Dana")
    assert gate_e2e.left_as_said("555-0142", "five five five, oh one four two")
    assert gate_e2e.left_as_said("Route 9", "route nine")
    assert not gate_e2e.left_as_said("Malik", "mailing")  # misheard into an ordinary word
    assert not gate_e2e.left_as_said("the Old Mill", "the")  # a shared function word is no trace of the place
    assert not gate_e2e.left_as_said("", "Dana")
    assert not gate_e2e.left_as_said("555-0142", "at 2")  # one digit in common is chance
