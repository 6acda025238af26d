"""Inbox ingest: every metadata row kept, bad recordings quarantined with a reason, nothing dropped."""

import csv
import io
import math
import struct
import wave

from cipher_pipeline.ingest import REQUIRED_COLUMNS, collect_day, inbox_days, probe_audio

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
    assert all(q.payload is not None for q in batch.quarantined)  # kept, not dropped


def test_a_bad_metadata_row_is_quarantined_alone(tmp_path):
    bad = _row("CAL2", "")
    bad["ring_seconds"] = "four"
    _write_day(tmp_path, [_row("CAL1", "CAL1.wav"), bad], {"CAL1.wav": _wav()})
    batch = collect_day(tmp_path, DAY)
    assert [r["call_id"] for r in batch.rows] == ["CAL1"]
    assert [q.file_name for q in batch.quarantined] == ["call_tracking.csv:3"]
    assert "bad call-tracking row" in batch.quarantined[0].reason


def test_an_export_missing_columns_quarantines_the_export_and_its_recordings(tmp_path):
    day_dir = tmp_path / DAY
    day_dir.mkdir()
    (day_dir / "call_tracking.csv").write_text("call_id,start_time\nCAL1,2026-11-18T09:00:00-08:00\n")
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
