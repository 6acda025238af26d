"""Tests for the synthetic admissions-call generator (``cipher synth``).

The audio tests synthesize real speech with espeak-ng and sox, kept to one day of two calls.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import wave
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from cipher_pipeline.deid.categories import CATEGORIES
from cipher_devtools.synth import CSV_COLUMNS, generate_calls, plan_calls
from cipher_devtools.synth.script import build_script

DAY = date(2026, 11, 19)


def _seed_with_one_missed() -> int:
    """A seed whose two calls on DAY are one answered, one missed (found from the plan, not hard-coded)."""
    for seed in range(200):
        answered = [c.answered for c in plan_calls([DAY], 2, seed)]
        if answered.count(True) == 1:
            return seed
    raise AssertionError("no seed in range gives one missed call of two")


SEED = _seed_with_one_missed()


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_calls(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("synth")
    seen: list[tuple[int, int]] = []
    result = generate_calls(inbox=root / "inbox", gold=root / "gold", days=[DAY], calls_per_day=2, seed=SEED,
                            progress=lambda done, total: seen.append((done, total)))
    return root, result, seen


def _read_csv(root: Path) -> list[dict[str, str]]:
    with (root / "inbox" / DAY.isoformat() / "call_tracking.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_exactly_the_vendor_columns(two_calls):
    root, result, _ = two_calls
    with (root / "inbox" / DAY.isoformat() / "call_tracking.csv").open(newline="") as fh:
        header = next(csv.reader(fh))
    assert header == CSV_COLUMNS
    assert header == ("call_id,start_time,direction,answered,ring_seconds,talk_seconds,tracking_number,caller_number,"
                      "caller_name,caller_city,caller_state,source,medium,campaign,keyword,landing_page,recording_file"
                      ).split(",")
    rows = _read_csv(root)
    assert [r["call_id"] for r in rows] == [c.call_id for c in result.calls]
    for row in rows:
        assert row["call_id"].startswith("CAL") and len(row["call_id"]) == 23
        int(row["call_id"][3:], 16)
        assert row["direction"] == "inbound"
        assert row["start_time"].startswith(DAY.isoformat() + "T") and row["start_time"].endswith("-08:00")
        assert 8 <= int(row["start_time"][11:13]) < 19
        assert row["caller_number"].startswith("+1") and row["caller_number"][5:8] == "555"


def test_missed_call_has_no_recording(two_calls):
    root, result, _ = two_calls
    rows = {r["call_id"]: r for r in _read_csv(root)}
    missed = [c for c in result.calls if not c.answered]
    answered = [c for c in result.calls if c.answered]
    assert len(missed) == 1 and len(answered) == 1
    row = rows[missed[0].call_id]
    assert row["answered"] == "false" and row["talk_seconds"] == "0" and row["recording_file"] == ""
    assert missed[0].path is None
    assert not (root / "inbox" / DAY.isoformat() / f"{missed[0].call_id}.wav").exists()
    gold = json.loads(missed[0].gold_path.read_text())
    assert gold["turns"] == [] and gold["metadata_identifiers"]


def test_wav_is_stereo_wideband_and_matches_talk_seconds(two_calls):
    root, result, _ = two_calls
    call = next(c for c in result.calls if c.answered)
    row = next(r for r in _read_csv(root) if r["call_id"] == call.call_id)
    assert row["recording_file"] == call.path.name and row["answered"] == "true"
    with wave.open(str(call.path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 16000)
        duration = w.getnframes() / w.getframerate()
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2)
    assert int(row["talk_seconds"]) == round(duration)
    assert 50 <= duration <= 170
    gold = json.loads(call.gold_path.read_text())
    assert 14 <= len(gold["turns"]) <= 30
    # each side speaks only on its own channel: during a caller turn the agent channel is silent, and vice versa
    for turn in gold["turns"]:
        a, b = int(turn["start"] * 16000) + 80, int(turn["end"] * 16000) - 80
        own, other = (0, 1) if turn["speaker"] == "agent" else (1, 0)
        assert np.abs(frames[a:b, own].astype(np.int32)).max() > 1000
        assert np.abs(frames[a:b, other].astype(np.int32)).max() < 200
    assert gold["turns"][-1]["end"] <= duration


def test_gold_is_kept_out_of_the_inbox_and_spans_are_exact(two_calls):
    root, result, seen = two_calls
    assert seen == [(1, 2), (2, 2)]
    inbox_files = {p.name for p in (root / "inbox").rglob("*") if p.is_file()}
    assert not any(name.endswith(".json") for name in inbox_files)
    assert not any(name.startswith(".") for name in inbox_files)  # no temp files left behind
    call = next(c for c in result.calls if c.answered)
    gold = json.loads(call.gold_path.read_text())
    assert gold["identifiers"] and gold["must_survive"]
    for span in gold["identifiers"]:
        assert span["category"] in CATEGORIES
        assert gold["turns"][span["turn"]]["text"][span["start"]:span["end"]] == span["value"]
    for span in gold["must_survive_spans"]:
        assert gold["turns"][span["turn"]]["text"][span["start"]:span["end"]] == span["value"]
    row = next(r for r in _read_csv(root) if r["call_id"] == call.call_id)
    meta = {m["field"]: m["value"] for m in gold["metadata_identifiers"]}
    assert meta["caller_number"] == row["caller_number"] and meta["caller_city"] == row["caller_city"]


def test_same_seed_gives_byte_identical_files(two_calls, tmp_path):
    root, _, _ = two_calls
    generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=[DAY], calls_per_day=2, seed=SEED)
    assert _tree_digest(tmp_path) == _tree_digest(root)
    # and re-running into the same place rewrites the same bytes
    generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=[DAY], calls_per_day=2, seed=SEED)
    assert _tree_digest(tmp_path) == _tree_digest(root)


def test_other_seed_gives_other_calls(two_calls):
    ids = {c.call_id for c in plan_calls([DAY], 2, SEED)}
    assert ids.isdisjoint({c.call_id for c in plan_calls([DAY], 2, SEED + 1)})


def test_phone_band_is_8khz_and_band_limited(tmp_path):
    result = generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=[DAY], calls_per_day=2, seed=SEED,
                            phone_band=True)
    call = next(c for c in result.calls if c.answered)
    with wave.open(str(call.path), "rb") as w:
        assert (w.getnchannels(), w.getframerate()) == (2, 8000)
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2).astype(np.float64)
    row = next(r for r in _read_csv(tmp_path) if r["call_id"] == call.call_id)
    assert int(row["talk_seconds"]) == round(len(frames) / 8000)
    spectrum = np.abs(np.fft.rfft(frames[:, 0] + frames[:, 1])) ** 2
    freqs = np.fft.rfftfreq(len(frames), 1 / 8000)
    in_band = spectrum[(freqs > 400) & (freqs < 3300)].sum()
    low = spectrum[freqs < 200].sum()
    high = spectrum[freqs > 3600].sum()
    # wideband espeak speech has a few percent of its in-band energy in each of these regions (measured 4-5%)
    assert low < 0.01 * in_band  # the 300 Hz high-pass took out the bottom of the voice
    assert high < 0.001 * in_band  # and the 3400 Hz low-pass the top


def test_scripts_vary_the_order_of_concerns():
    orders = {tuple(build_script(DAY, random.Random(i)).facts["concerns"]) for i in range(40)}
    assert len(orders) > 25
    firsts = {order[0] for order in orders if order}
    assert len(firsts) >= 5


def test_script_text_is_clean_prose():
    """No template syntax or spacing slips reach the transcript or the speech."""
    import re

    for i in range(300):
        for turn in build_script(DAY, random.Random(i)).turns:
            for text in (turn.text, turn.speech):
                assert not re.search(r"[\[\]{}]| [?.,!]|  |,,|\.\.", text), text
                assert text == text.strip(), text
                assert text[0].isupper() or text[0].isdigit() or text[0] in "($", text


def test_script_offsets_are_exact_and_turn_counts_bounded():
    for i in range(200):
        script = build_script(DAY, random.Random(i))
        rendered = script.render()
        assert 14 <= len(rendered) <= 30
        speakers = [t.speaker for t in rendered]
        assert all(a != b for a, b in zip(speakers, speakers[1:])), "turns alternate between agent and caller"
        for turn in rendered:
            for span in turn.identifiers + turn.must_survive:
                assert turn.text[span["start"]:span["end"]] == span["value"]


# --- text corpus ------------------------------------------------------------------------------------------------

from cipher_pipeline.cli import main as cipher_main  # noqa: E402
from cipher_devtools.synth.corpus import generate_corpus  # noqa: E402
from cipher_devtools.synth.script import MUST_SURVIVE_KINDS, PLANTED_CATEGORIES  # noqa: E402


@pytest.fixture(scope="module")
def corpus_pair() -> tuple[list[dict], list[dict]]:
    return generate_corpus(300, 7), generate_corpus(300, 7, asr_style=True)


def _check_spans(record: dict) -> None:
    text = record["text"]
    for span in record["spans"]:
        assert set(span) >= {"start", "end", "category", "value"}
        assert text[span["start"]:span["end"]] == span["value"], span
        assert span["value"] and span["value"] == span["value"].strip(), span
        assert span["category"] in CATEGORIES
    for span in record["must_survive"]:
        assert text[span["start"]:span["end"]] == span["value"], span
        assert span["kind"] in MUST_SURVIVE_KINDS
    # no identifier overlaps another or a must-survive phrase
    ranges = sorted((s["start"], s["end"]) for s in record["spans"] + record["must_survive"])
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(ranges, ranges[1:]))


def test_corpus_offsets_exact_in_both_styles(corpus_pair):
    for records in corpus_pair:
        assert len(records) == 300 and len({r["id"] for r in records}) == 300
        for record in records:
            _check_spans(record)
            lines = record["text"].split("\n")
            assert all(line.startswith(("agent: ", "caller: ")) for line in lines)


def test_every_planted_category_appears_across_300_calls(corpus_pair):
    for records in corpus_pair:
        seen = {span["category"] for r in records for span in r["spans"]}
        assert seen == PLANTED_CATEGORIES
        kinds = {span["kind"] for r in records for span in r["must_survive"]}
        assert kinds == MUST_SURVIVE_KINDS
        words = {span["value"].lower() for r in records for span in r["must_survive"] if span["kind"] == "common_word"}
        assert {"hope", "will", "mark", "grant"} <= words


def test_word_names_are_planted_as_names(corpus_pair):
    clean, _ = corpus_pair
    names = {span["value"].split()[0] for r in clean for span in r["spans"] if span["category"] == "NAME"}
    assert {"Will", "Hope", "Rose", "Mark", "Faith", "Grant", "Bill", "April", "Summer", "Hunter", "Dawn"} <= names


def test_asr_style_rewrites_the_same_calls(corpus_pair):
    clean, asr = corpus_pair
    assert [r["id"] for r in clean] == [r["id"] for r in asr]
    assert [[s["category"] for s in r["spans"]] for r in clean] == [[s["category"] for s in r["spans"]] for r in asr]
    changed = sum(a["value"] != b["value"] for r1, r2 in zip(clean, asr) for a, b in zip(r1["spans"], r2["spans"]))
    total = sum(len(r["spans"]) for r in clean)
    assert 0.2 * total < changed < 0.8 * total
    asr_values = [s for r in asr for s in r["spans"]]
    # IDs with thousands separators or hyphens, as Whisper writes long spoken numbers
    assert any("," in s["value"] and "-" in s["value"] for s in asr_values if s["category"] == "HEALTH_PLAN")
    # names in lower and upper case, and misheard names that differ from the clean ones beyond case
    names = [(a["value"], b["value"]) for r1, r2 in zip(clean, asr) for a, b in zip(r1["spans"], r2["spans"])
             if a["category"] == "NAME" and a["value"] != b["value"]]
    assert any(b == a.lower() for a, b in names) and any(b == a.upper() for a, b in names)
    assert any(b.lower() != a.lower() for a, b in names)
    # punctuation goes missing
    assert sum(r["text"].count(",") for r in asr) < 0.8 * sum(r["text"].count(",") for r in clean)


def test_corpus_is_deterministic():
    assert generate_corpus(20, 3) == generate_corpus(20, 3)
    assert generate_corpus(20, 3, asr_style=True) == generate_corpus(20, 3, asr_style=True)
    assert generate_corpus(20, 3)[0]["text"] != generate_corpus(20, 4)[0]["text"]


def test_cli_corpus_writes_jsonl(tmp_path, capsys):
    out = tmp_path / "corpus.jsonl"
    assert cipher_main(["synth", "corpus", "--n", "12", "--seed", "7", "-o", str(out), "--asr-style"]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records == json.loads(json.dumps(generate_corpus(12, 7, asr_style=True)))
    err = capsys.readouterr().err
    assert "12 calls" in err
    # the summary line names counts, never the planted values
    assert not any(span["value"] in err for r in records for span in r["spans"] if len(span["value"]) > 3)


def test_cli_calls_reports_progress(tmp_path, capsys):
    args = ["synth", "calls", "--inbox", str(tmp_path / "inbox"), "--gold", str(tmp_path / "gold"), "--days", "1",
            "--start", DAY.isoformat(), "--calls-per-day", "2", "--seed", str(SEED)]
    assert cipher_main(args) == 0
    err = capsys.readouterr().err
    assert "2/2 calls" in err
    assert (tmp_path / "inbox" / DAY.isoformat() / "call_tracking.csv").exists()
    assert len(list((tmp_path / "gold" / DAY.isoformat()).glob("*.json"))) == 2


def test_plan_matches_generated_calls_and_follows_daylight_saving(two_calls):
    _, result, _ = two_calls
    planned = plan_calls([DAY], 2, SEED)
    assert [(p.call_id, p.answered, p.start.isoformat()) for p in planned] == [
        (c.call_id, c.answered, c.start_time) for c in result.calls]
    summer = plan_calls([date(2026, 7, 15)], 5, SEED)
    assert all(p.start.isoformat().endswith("-07:00") for p in summer)
    assert [p.start for p in summer] == sorted(p.start for p in summer)


def test_smaller_rerun_replaces_the_days_drop(tmp_path):
    days = [DAY]
    seed = next(s for s in range(200) if all(c.answered for c in plan_calls(days, 2, s)))
    big = generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=days, calls_per_day=2, seed=seed)
    (tmp_path / "inbox" / DAY.isoformat() / "notes.txt").write_text("not ours")
    small = generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=days, calls_per_day=1, seed=seed)
    assert len(big.calls) == 2 and len(small.calls) == 1
    day_dir = tmp_path / "inbox" / DAY.isoformat()
    wavs = {p.stem for p in day_dir.glob("*.wav")}
    assert wavs == {c.call_id for c in small.calls if c.answered}
    assert {p.stem for p in (tmp_path / "gold" / DAY.isoformat()).glob("*.json")} == {small.calls[0].call_id}
    assert (day_dir / "notes.txt").exists()  # files the generator did not write are left alone


def test_gold_helpers_round_trip(two_calls):
    from cipher_devtools.synth.gold import identifier_values, load_gold, record_from_gold

    root, result, _ = two_calls
    records = load_gold(root / "gold", DAY)
    assert [r["call_id"] for r in records] == [c.call_id for c in result.calls]
    answered = next(r for r in records if r["answered"])
    doc = record_from_gold(answered)
    _check_spans(doc)
    assert len(doc["spans"]) == len(answered["identifiers"])
    values = identifier_values(answered)
    sources = {v["source"] for v in values}
    assert "script" in sources and "csv:caller_number" in sources
    phone = next(v for v in values if v["source"] == "csv:caller_number")
    assert phone["normalized"].isdigit() and len(phone["normalized"]) == 10


def test_missing_tts_tools_fail_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    seed = next(s for s in range(200) if plan_calls([DAY], 1, s)[0].answered)
    with pytest.raises(RuntimeError, match="espeak-ng"):
        generate_calls(inbox=tmp_path / "inbox", gold=tmp_path / "gold", days=[DAY], calls_per_day=1, seed=seed)
    assert not list((tmp_path / "inbox").rglob("*.wav"))
