"""Tier 1 ingest: what the call-tracking vendor dropped in the inbox for one day.

Inbox layout (one folder per day, as the vendor's SFTP drop or a sync job writes it)::

    inbox/2026-11-19/call_tracking.csv     # CallRail / CallTrackingMetrics style export
    inbox/2026-11-19/CAL....wav            # recordings named in the export's recording_file column

Every metadata row becomes a ``raw_calls`` row (missed calls too: marketing needs them). A recording is
quarantined, with a reason, when it cannot be decoded or has no metadata row; the rest of the day proceeds.
Nothing is dropped silently: quarantined bytes are kept encrypted under ``tier1/quarantine/``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import av

METADATA_FILE = "call_tracking.csv"
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus"}
REQUIRED_COLUMNS = [
    "call_id", "start_time", "direction", "answered", "ring_seconds", "talk_seconds", "tracking_number",
    "caller_number", "caller_name", "caller_city", "caller_state", "source", "medium", "campaign", "keyword",
    "landing_page", "recording_file",
]  # fmt: skip
MAX_RECORDING_BYTES = 512 * 1024 * 1024  # a 4-hour stereo WAV at 16 kHz is ~920 MB; anything above is not a call


@dataclass(frozen=True)
class AudioInfo:
    duration_s: float
    channels: int
    sample_rate: int
    codec: str


@dataclass
class Quarantined:
    file_name: str
    reason: str
    sha256: str | None
    payload: bytes | None = field(default=None, repr=False)


@dataclass
class DayBatch:
    day: str
    rows: list[dict]  # one per metadata row, audio fields filled where a readable recording exists
    audio: dict[str, bytes] = field(default_factory=dict, repr=False)  # call_id -> recording bytes
    quarantined: list[Quarantined] = field(default_factory=list)


def probe_audio(payload: bytes) -> AudioInfo:
    """Decode the whole stream once: a truncated file must fail here, not half-way through transcription."""
    with av.open(io.BytesIO(payload), mode="r") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        stream = container.streams.audio[0]
        samples = 0
        for frame in container.decode(stream):
            samples += frame.samples
        rate = stream.codec_context.sample_rate or stream.rate
        if not rate or samples == 0:
            raise ValueError("audio stream holds no samples")
        return AudioInfo(samples / rate, stream.codec_context.channels, rate, stream.codec_context.name)


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "answered"}


def _parse_int(value: str) -> int:
    return int(float(value)) if value.strip() else 0


def day_fingerprint(day_dir: Path) -> str:
    """Changes whenever a file in the day folder is added, replaced or removed (the sensor's cursor value)."""
    digest = hashlib.sha256()
    for path in sorted(day_dir.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def inbox_days(inbox: Path) -> dict[str, str]:
    """Day folder name -> fingerprint, for every well-named day folder in the inbox."""
    days = {}
    if not inbox.exists():
        return days
    for child in sorted(inbox.iterdir()):
        name = child.name
        if child.is_dir() and len(name) == 10 and name[4] == "-" and name[7] == "-" and name.replace("-", "").isdigit():
            days[name] = day_fingerprint(child)
    return days


def collect_day(inbox: Path, day: str) -> DayBatch:
    day_dir = inbox / day
    batch = DayBatch(day=day, rows=[])
    if not day_dir.is_dir():
        return batch

    recordings = {p.name: p for p in day_dir.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES}
    metadata_path = day_dir / METADATA_FILE
    rows: list[dict] = []
    if metadata_path.exists():
        payload = metadata_path.read_bytes()
        sha = hashlib.sha256(payload).hexdigest()
        try:
            rows, bad_lines = _read_metadata(payload)
        except ValueError as exc:
            batch.quarantined.append(Quarantined(METADATA_FILE, f"unreadable call-tracking export: {exc}", sha, payload))
        else:
            for index, (line_no, reason) in enumerate(bad_lines):
                # The export is kept once (with the first bad line) so the rejected rows can be recovered.
                batch.quarantined.append(
                    Quarantined(f"{METADATA_FILE}:{line_no}", f"bad call-tracking row: {reason}", sha, payload if index == 0 else None)
                )

    claimed: set[str] = set()
    for row in rows:
        file_name = row.pop("recording_file")
        row.update(audio_status="no_recording", audio_sha256=None, duration_s=None, channels=None, sample_rate=None)
        if file_name:
            claimed.add(file_name)
            path = recordings.get(file_name)
            if path is None:
                row["audio_status"] = "missing"
            else:
                payload = path.read_bytes()
                sha = hashlib.sha256(payload).hexdigest()
                try:
                    if len(payload) > MAX_RECORDING_BYTES:
                        raise ValueError(f"{len(payload)} bytes is over the {MAX_RECORDING_BYTES} byte limit")
                    info = probe_audio(payload)
                except Exception as exc:  # av raises many types for corrupt media; all mean the same here
                    row["audio_status"] = "quarantined"
                    batch.quarantined.append(Quarantined(file_name, f"undecodable audio: {_short(exc)}", sha, payload))
                else:
                    row.update(
                        audio_status="ok", audio_sha256=sha, duration_s=round(info.duration_s, 3),
                        channels=info.channels, sample_rate=info.sample_rate,
                    )  # fmt: skip
                    batch.audio[row["call_id"]] = payload
        batch.rows.append(row)

    for name, path in sorted(recordings.items()):
        if name not in claimed:
            payload = path.read_bytes()
            batch.quarantined.append(
                Quarantined(name, "recording has no call-tracking metadata row", hashlib.sha256(payload).hexdigest(), payload)
            )
    return batch


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]


def _read_metadata(payload: bytes) -> tuple[list[dict], list[tuple[int, str]]]:
    """Rows that parse, and (line number, reason) for those that do not; raises only if the file is unusable."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("not UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"missing columns {missing}")
    rows, bad, seen = [], [], set()
    for line_no, raw in enumerate(reader, start=2):
        try:
            call_id = raw["call_id"].strip()
            if not call_id or call_id in seen:
                raise ValueError("empty or duplicate call_id")
            seen.add(call_id)
            rows.append(
                {
                    "call_id": call_id,
                    "start_time": raw["start_time"].strip(),
                    "direction": raw["direction"].strip(),
                    "answered": _parse_bool(raw["answered"]),
                    "ring_seconds": _parse_int(raw["ring_seconds"]),
                    "talk_seconds": _parse_int(raw["talk_seconds"]),
                    "tracking_number": raw["tracking_number"].strip(),
                    "caller_number": raw["caller_number"].strip(),
                    "caller_name": raw["caller_name"].strip(),
                    "caller_city": raw["caller_city"].strip(),
                    "caller_state": raw["caller_state"].strip(),
                    "source": raw["source"].strip(),
                    "medium": raw["medium"].strip(),
                    "campaign": raw["campaign"].strip(),
                    "keyword": raw["keyword"].strip(),
                    "landing_page": raw["landing_page"].strip(),
                    "recording_file": (raw["recording_file"] or "").strip(),
                }
            )
        except (ValueError, KeyError, AttributeError) as exc:
            bad.append((line_no, _short(exc)))
    return rows, bad
