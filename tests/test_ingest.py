"""Inbox ingest: every metadata row kept, bad recordings quarantined with a reason, nothing dropped."""

import csv
import io
import math
import struct
import tracemalloc
import wave

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cipher_pipeline import ingest
from cipher_pipeline.ingest import (
    REQUIRED_COLUMNS,
    DayMissing,
    collect_day,
    describe_quarantine,
    inbox_days,
    parse_call_tracking,
    probe_audio,
)

DAY = "2026-11-18"


def _wav(seconds: float = 0.5, rate: int = 16000, channels: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) * channels for i in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return buffer.getvalue()


def _row(call_id: str, recording: str, answered: bool = True) -> dict:
    row = {c: "" for c in REQUIRED_COLUMNS}
    row.update(
        call_id=call_id, start_time=f"{DAY}T09:00:00-08:00", direction="inbound", answered=str(answered).lower(),
        ring_seconds="4", talk_seconds="1", source="google_ads", recording_file=recording,
    )  # fmt: skip
    return row


def _write_day(inbox, rows, files):
    day_dir = inbox / DAY
    day_dir.mkdir(parents=True)
    with (day_dir / "call_tracking.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REQUIRED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    for name, payload in files.items():
        (day_dir / name).write_bytes(payload)
    return day_dir


def test_probe_reads_real_audio_properties():
    info = probe_audio(_wav(seconds=0.5, rate=8000, channels=2))
    assert (info.channels, info.sample_rate) == (2, 8000)
    assert abs(info.duration_s - 0.5) < 0.01


def test_corrupt_and_orphan_recordings_are_quarantined_and_the_day_goes_on(tmp_path):
    good, corrupt = _wav(), b"RIFF\x00\x00\x00\x00WAVEgarbage" * 10
    _write_day(
        tmp_path,
        [_row("CAL1", "CAL1.wav"), _row("CAL2", "CAL2.wav"), _row("CAL3", "", answered=False), _row("CAL4", "CAL4.wav")],
        {"CAL1.wav": good, "CAL2.wav": corrupt, "ORPHAN.wav": good},
    )
    batch = collect_day(tmp_path, DAY)
    status = {row["call_id"]: row["audio_status"] for row in batch.rows}
    assert status == {"CAL1": "ok", "CAL2": "quarantined", "CAL3": "no_recording", "CAL4": "missing"}
    assert set(batch.audio) == {"CAL1"}
    reasons = {q.file_name: q.reason for q in batch.quarantined}
    assert reasons["CAL2.wav"].startswith("undecodable audio")
    assert reasons["ORPHAN.wav"] == "recording has no call-tracking metadata row"
    assert reasons["CAL4.wav"].startswith("recording named in the export is not in the drop")
    # Every file of the drop is kept (encrypted later), not dropped; the missing one has no bytes to keep.
    assert all(q.kept for q in batch.quarantined if q.file_name != "CAL4.wav")


def test_a_bad_metadata_row_is_quarantined_alone(tmp_path):
    bad = _row("CAL2", "")
    bad["ring_seconds"] = "four"
    _write_day(tmp_path, [_row("CAL1", "CAL1.wav"), bad], {"CAL1.wav": _wav()})
    batch = collect_day(tmp_path, DAY)
    assert [r["call_id"] for r in batch.rows] == ["CAL1"]
    assert [q.file_name for q in batch.quarantined] == ["call_tracking.csv:3"]
    assert "bad call-tracking row" in batch.quarantined[0].reason


def test_an_export_without_call_id_or_recording_columns_quarantines_the_export_and_its_recordings(tmp_path):
    day_dir = tmp_path / DAY
    day_dir.mkdir()
    (day_dir / "call_tracking.csv").write_text("call_id,start_time\nCAL1,2026-11-18T09:00:00-08:00\n")  # no recording_file
    (day_dir / "CAL1.wav").write_bytes(_wav())
    batch = collect_day(tmp_path, DAY)
    assert batch.rows == []
    assert {q.file_name for q in batch.quarantined} == {"call_tracking.csv", "CAL1.wav"}


def test_day_fingerprint_changes_when_a_late_recording_lands(tmp_path):
    day_dir = _write_day(tmp_path, [_row("CAL1", "CAL1.wav")], {"CAL1.wav": _wav()})
    (tmp_path / "not-a-day").mkdir()
    before = inbox_days(tmp_path)
    assert list(before) == [DAY]
    (day_dir / "CAL9.wav").write_bytes(_wav())
    assert inbox_days(tmp_path)[DAY] != before[DAY]


# Faults: each probe of issue 10 as a test ---------------------------------------------------------------


def test_a_wav_truncated_to_half_is_quarantined_against_its_header(tmp_path):
    whole = _wav(seconds=4.0)
    _write_day(tmp_path, [_row("CAL1", "CAL1.wav")], {"CAL1.wav": whole[: len(whole) // 2]})
    batch = collect_day(tmp_path, DAY)
    assert batch.rows[0]["audio_status"] == "quarantined" and not batch.audio
    assert batch.quarantined[0].reason.startswith("truncated: the WAV header declares 4.0 s")
    assert batch.quarantined[0].kept


def test_a_recording_shorter_than_its_talk_time_is_truncated_even_with_a_consistent_header(tmp_path):
    row = _row("CAL1", "CAL1.wav")
    row["talk_seconds"] = "30"  # the header was rewritten to match the cut file, the call lasted 30 s
    _write_day(tmp_path, [row], {"CAL1.wav": _wav(seconds=3.0)})
    batch = collect_day(tmp_path, DAY)
    assert batch.rows[0]["audio_status"] == "quarantined"
    assert "truncated: 3.0 s of audio for 30 s of call-tracking talk time" in batch.quarantined[0].reason


def test_a_silent_recording_is_quarantined_as_silent(tmp_path):
    silent = _wav(seconds=2.0).replace(b"data", b"data", 1)
    header, frames = silent[:44], silent[44:]
    _write_day(tmp_path, [_row("CAL1", "CAL1.wav")], {"CAL1.wav": header + bytes(len(frames))})
    batch = collect_day(tmp_path, DAY)
    assert batch.rows[0]["audio_status"] == "quarantined"
    assert batch.quarantined[0].reason.startswith("silent:")


def test_one_recording_under_two_call_ids_is_processed_once(tmp_path):
    audio = _wav()
    _write_day(tmp_path, [_row("CAL1", "A.wav"), _row("CAL2", "B.wav")], {"A.wav": audio, "B.wav": audio})
    batch = collect_day(tmp_path, DAY)
    assert set(batch.audio) == {"CAL1"}
    assert {r["call_id"]: r["audio_status"] for r in batch.rows} == {"CAL1": "ok", "CAL2": "duplicate"}
    assert [q.reason for q in batch.quarantined] == ["duplicate recording: same sha256 as an earlier row's recording"]


def test_each_recording_goes_to_its_keeper_once_with_its_own_bytes(tmp_path):
    audio, orphan, corrupt = _wav(), _wav(seconds=0.6), b"RIFF\x00\x00\x00\x00WAVEgarbage" * 10
    _write_day(tmp_path, [_row("CAL1", "A.wav"), _row("CAL2", "B.wav"), _row("CAL3", "C.wav")],
               {"A.wav": audio, "B.wav": audio, "C.wav": corrupt, "ORPHAN.wav": orphan})  # fmt: skip
    kept_audio, kept_aside = [], []
    batch = collect_day(tmp_path, DAY, lambda call_id, payload: kept_audio.append((call_id, payload)),
                        lambda item, payload: kept_aside.append((item.file_name, payload)))  # fmt: skip
    assert kept_audio == [("CAL1", audio)]  # the duplicate's bytes are not kept twice
    assert sorted(kept_aside) == [("C.wav", corrupt), ("ORPHAN.wav", orphan)]
    assert {q.file_name for q in batch.quarantined if q.kept} == {"C.wav", "ORPHAN.wav"}


def _day_of_distinct_recordings(inbox, calls: int, seconds: float = 8.0) -> int:
    """``calls`` decodable recordings of the same length, each with its own sha256 (the last sample differs)."""
    base = _wav(seconds=seconds, channels=1)
    files = {f"CAL{i}.wav": base[:-2] + struct.pack("<h", i + 1) for i in range(calls)}
    _write_day(inbox, [_row(f"CAL{i}", f"CAL{i}.wav") for i in range(calls)], files)
    return len(base)


def _peak_bytes_while_collecting(inbox) -> tuple[int, int]:
    seen = []
    tracemalloc.start()
    try:
        batch = collect_day(inbox, DAY, lambda call_id, payload: seen.append(len(payload)), lambda item, payload: None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(batch.audio) == len(seen)
    return peak, len(seen)


def test_ingest_memory_is_one_recording_whatever_the_number_of_calls(tmp_path):
    # Issue 13: the day streams. With 3 or 12 recordings of 256 KB, the peak traced allocation stays under three
    # recordings (the bytes read plus decode buffers), where holding the day would need all of them at once.
    size = _day_of_distinct_recordings(tmp_path / "small", 3)
    _day_of_distinct_recordings(tmp_path / "large", 12)
    small_peak, small_calls = _peak_bytes_while_collecting(tmp_path / "small")
    large_peak, large_calls = _peak_bytes_while_collecting(tmp_path / "large")
    assert (small_calls, large_calls) == (3, 12)
    assert large_peak < 3 * size, f"peak {large_peak} B for 12 recordings of {size} B"
    assert large_peak < small_peak + size // 2  # does not grow with the day (per-call metadata is a few KB)


def test_a_recording_over_the_size_limit_is_refused_unread_and_left_in_the_inbox(tmp_path, monkeypatch):
    audio = _wav()
    _write_day(tmp_path, [_row("CAL1", "CAL1.wav"), _row("CAL2", "CAL2.wav")], {"CAL1.wav": audio, "CAL2.wav": audio + b"\x00" * 64})
    monkeypatch.setattr(ingest, "MAX_RECORDING_BYTES", len(audio) + 32)
    batch = collect_day(tmp_path, DAY, lambda call_id, payload: None, lambda item, payload: None)
    assert {r["call_id"]: r["audio_status"] for r in batch.rows} == {"CAL1": "ok", "CAL2": "quarantined"}
    refused = [q for q in batch.quarantined if q.file_name == "CAL2.wav"][0]
    assert refused.reason.startswith("over the byte limit") and not refused.kept and refused.sha256
    assert "CAL2.wav" not in batch.ingested  # not ingested, so retention leaves it in the inbox for a person


def test_a_day_without_an_inbox_folder_is_an_error_not_an_empty_ok_day(tmp_path):
    with pytest.raises(DayMissing, match="no inbox folder"):
        collect_day(tmp_path, DAY)


def _csv(rows: list[list[str]], header: list[str] = REQUIRED_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _fields(call_id: str) -> list[str]:
    return [_row(call_id, f"{call_id}.wav")[c] for c in REQUIRED_COLUMNS]


def test_a_bad_quote_costs_its_row_only_and_never_swallows_the_next_one():
    good = _csv([_fields("CAL1"), _fields("CAL2"), _fields("CAL3")]).split(b"\n")
    good[2] = good[2].replace(b"google_ads", b'goo"gle_ads', 1).replace(b"CAL2,", b'"CAL2,', 1)
    parsed = parse_call_tracking(b"\n".join(good))
    assert [r["call_id"] for r in parsed.rows] == ["CAL1", "CAL3"]
    assert [line for line, _ in parsed.bad] == [3] and "quoting" in parsed.bad[0][1]


def test_a_non_utf8_byte_and_a_short_row_cost_their_rows_only():
    lines = _csv([_fields("CAL1"), _fields("CAL2"), _fields("CAL3")]).split(b"\n")
    lines[1] = lines[1].replace(b"inbound", b"inb\xffound")
    lines[3] = b",".join(lines[3].split(b",")[:-3])
    parsed = parse_call_tracking(b"\n".join(lines))
    assert [r["call_id"] for r in parsed.rows] == ["CAL2"]
    reasons = dict(parsed.bad)
    assert reasons[2].startswith("not UTF-8") and "fields where the header has" in reasons[4]


def test_a_missing_optional_column_is_reported_and_the_rows_proceed():
    header = [c for c in REQUIRED_COLUMNS if c != "keyword"]
    parsed = parse_call_tracking(_csv([[_row("CAL1", "CAL1.wav")[c] for c in header]], header))
    assert [r["call_id"] for r in parsed.rows] == ["CAL1"] and parsed.rows[0]["keyword"] is None
    assert parsed.notes == ["columns ['keyword'] absent: left empty on every row"]


def test_a_bad_row_reaches_the_quarantine_with_a_reason_and_good_rows_their_recordings(tmp_path):
    day_dir = tmp_path / DAY
    day_dir.mkdir()
    lines = _csv([_fields("CAL1"), _fields("CAL2")]).split(b"\n")
    lines[2] = lines[2].replace(b"inbound", b"\xfe")
    (day_dir / "call_tracking.csv").write_bytes(b"\n".join(lines))
    (day_dir / "CAL1.wav").write_bytes(_wav())
    (day_dir / "CAL2.wav").write_bytes(_wav(seconds=0.6))
    batch = collect_day(tmp_path, DAY)
    assert set(batch.audio) == {"CAL1"}
    reasons = {q.file_name: q.reason for q in batch.quarantined}
    assert reasons["call_tracking.csv:3"].startswith("bad call-tracking row: not UTF-8")
    assert reasons["CAL2.wav"] == "recording has no call-tracking metadata row"  # kept, not lost
    assert set(batch.ingested) == {"call_tracking.csv", "CAL1.wav", "CAL2.wav"}


# Fuzz: no crash, no hang, a reason for every refusal -------------------------------------------------------

line_bytes = st.lists(st.sampled_from([b"a", b",", b'"', b"\xff", b"\r", b" ", b"CAL", b"1", b"\xc3", b"\x00"]), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line_bytes.map(b"".join), max_size=12), st.booleans())
def test_fuzz_call_tracking_parser_accounts_for_every_line(lines, with_header):
    header = ",".join(REQUIRED_COLUMNS).encode()
    payload = b"\n".join(([header] if with_header else []) + lines)
    parsed = parse_call_tracking(payload)
    if parsed.fatal:
        assert not parsed.rows and parsed.fatal.strip()
        return
    body = [line for line in payload.split(b"\n")[1:] if line.rstrip(b"\r").strip()]
    assert len(parsed.rows) + len(parsed.bad) == len(body)  # every line is a row or a refusal, none swallowed
    assert all(reason.strip() for _, reason in parsed.bad)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_audio_probe_refuses_with_a_reason_or_returns_a_sane_duration(data):
    base = _wav(seconds=0.3, rate=8000, channels=1)
    cut = data.draw(st.integers(0, len(base)))
    payload = bytearray(base[:cut])
    for _ in range(data.draw(st.integers(0, 4))):
        if payload:
            payload[data.draw(st.integers(0, len(payload) - 1))] = data.draw(st.integers(0, 255))
    payload = bytes(payload) + data.draw(st.binary(max_size=64))
    try:
        info = probe_audio(payload, talk_seconds=data.draw(st.sampled_from([None, 0, 1, 60])))
    except ValueError as exc:
        assert str(exc).split(":")[0] in {"undecodable audio", "truncated", "silent", "WAV data chunk before its fmt chunk"}
    else:
        assert 0 < info.duration_s < 3600 and info.sample_rate > 0


def test_a_day_with_a_quarantine_is_reported_partial_by_class_never_plain_ok():
    assert describe_quarantine([]) == ""
    note = describe_quarantine(["truncated: 3.0 s of audio for 30 s", "bad call-tracking row: not UTF-8", "truncated: x"])
    assert note == "PARTIAL: 3 quarantined (bad call-tracking row 1, truncated 2)"
