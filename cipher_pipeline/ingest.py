"""Tier 1 ingest: what the call-tracking vendor dropped in the inbox for one day.

Inbox layout (one folder per day, as the vendor's SFTP drop or a sync job writes it)::

    inbox/2026-11-19/call_tracking.csv     # CallRail / CallTrackingMetrics style export
    inbox/2026-11-19/CAL....wav            # recordings named in the export's recording_file column

Every metadata row that parses becomes a ``raw_calls`` row (missed calls too: marketing needs them). A bad
row, a recording that cannot be decoded, is truncated (against its header, its size or the call's talk time)
or silent, a recording with no metadata row, a row whose recording is missing, and a second copy of the same
recording (same sha256) are each quarantined with a reason; the rest of the day proceeds. Nothing is dropped
silently: quarantined bytes are kept encrypted under ``tier1/quarantine/``. ``ingested`` names every inbox
file and the sha256 of the bytes read, so retention deletes only what was ingested.

Recordings stream: each is read, hashed, probed and handed to the caller's ``keep`` callbacks (which encrypt it
into the vault) before the next is read, and the day's batch holds metadata only. Peak memory is one recording
(plus what encrypting it costs) and the day's call-tracking rows, whatever the number of calls (issue 13).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import av
import numpy as np

from cipher_pipeline.digests import sha256_file

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
    kept: bool = False  # its bytes went to ``keep_quarantined`` (False: nothing to keep, or left in the inbox)


@dataclass
class DayBatch:
    """What ingest learned about a day: metadata only; the recordings' bytes went to the keep callbacks."""

    day: str
    rows: list[dict]  # one per metadata row, audio fields filled where a readable recording exists
    audio: dict[str, str] = field(default_factory=dict)  # call_id -> sha256 of the recording kept for it
    quarantined: list[Quarantined] = field(default_factory=list)
    ingested: dict[str, str] = field(default_factory=dict)  # inbox file name -> sha256 of the bytes ingested


KeepAudio = Callable[[str, bytes], None]  # (call_id, recording bytes): a recording accepted for the call
KeepQuarantined = Callable[[Quarantined, bytes], None]  # (its record, its bytes): to be kept encrypted, aside


class DayMissing(FileNotFoundError):
    """No inbox folder for the day: never an empty, 'ok' day."""


SILENCE_PEAK = 10 ** (-50 / 20)  # -50 dBFS: below any speech on a phone line, above dither and line hiss
TALK_TIME_SLACK_S = 2.0  # call-tracking rounds talk time and counts ring-to-hangup; a little less audio is normal
TALK_TIME_SLACK_FRACTION = 0.05


def _wav_declared_seconds(payload: bytes) -> tuple[float, float] | None:
    """(seconds the WAV header declares, seconds the bytes can hold), or None when not a RIFF/WAVE file."""
    if len(payload) < 12 or payload[:4] != b"RIFF" or payload[8:12] != b"WAVE":
        return None
    offset, byte_rate = 12, None
    while offset + 8 <= len(payload):
        chunk, size = payload[offset : offset + 4], int.from_bytes(payload[offset + 4 : offset + 8], "little")
        if chunk == b"fmt " and offset + 16 <= len(payload):
            byte_rate = int.from_bytes(payload[offset + 16 : offset + 20], "little") or None
        if chunk == b"data":
            if byte_rate is None:
                raise ValueError("WAV data chunk before its fmt chunk")
            held = len(payload) - offset - 8
            if size in (0, 0xFFFFFFFF):  # streaming writers leave the size open; nothing to compare
                return held / byte_rate, held / byte_rate
            return size / byte_rate, held / byte_rate
        offset += 8 + size + (size & 1)
    return None


def probe_audio(payload: bytes, talk_seconds: int | None = None) -> AudioInfo:
    """Decode the whole stream once; raise ValueError with a reason for anything that is not a whole call.

    Truncation is judged three ways: against what a WAV header declares, against the bytes the file holds, and
    against the call-tracking talk time. A recording whose loudest sample is below -50 dBFS is silent.
    """
    declared = _wav_declared_seconds(payload)
    if declared and declared[0] > declared[1] + 0.05:
        raise ValueError(f"truncated: the WAV header declares {declared[0]:.1f} s, the file holds {declared[1]:.1f} s")
    try:
        container = av.open(io.BytesIO(payload), mode="r")
    except Exception as exc:  # av raises many types for corrupt media; all mean the same here
        raise ValueError(f"undecodable audio: {_short(exc)}") from None
    with container:
        if not container.streams.audio:
            raise ValueError("undecodable audio: no audio stream")
        stream = container.streams.audio[0]
        samples, peak = 0, 0.0
        try:
            for frame in container.decode(stream):
                samples += frame.samples
                array = frame.to_ndarray()
                if array.size:
                    top = float(np.abs(array).max())
                    if np.issubdtype(array.dtype, np.integer):
                        top /= float(np.iinfo(array.dtype).max)
                    peak = max(peak, top)
        except Exception as exc:
            raise ValueError(f"undecodable audio: {_short(exc)}") from None
        rate = stream.codec_context.sample_rate or stream.rate
        if not rate or samples == 0:
            raise ValueError("undecodable audio: the stream holds no samples")
        duration = samples / rate
        if container.duration and container.duration > 0:
            header_s = container.duration / 1_000_000
            if duration < 0.9 * header_s - 0.1:
                raise ValueError(f"truncated: the container declares {header_s:.1f} s, {duration:.1f} s decode")
        if talk_seconds and duration < talk_seconds - max(TALK_TIME_SLACK_S, TALK_TIME_SLACK_FRACTION * talk_seconds):
            raise ValueError(f"truncated: {duration:.1f} s of audio for {talk_seconds} s of call-tracking talk time")
        if peak < SILENCE_PEAK:
            raise ValueError(f"silent: {duration:.1f} s with no sample above -50 dBFS")
        return AudioInfo(duration, stream.codec_context.channels, rate, stream.codec_context.name)


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "answered"}


def _parse_int(value: str) -> int:
    if not value.strip():
        return 0
    try:
        number = float(value)
    except ValueError:
        raise ValueError("a duration that is not a number") from None
    if not math.isfinite(number) or number < 0 or number > 86_400:
        raise ValueError("a duration outside 0..86400 seconds")
    return int(number)


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


def _read_recording(path: Path) -> bytes:
    """The recording's bytes, refusing (ValueError) one over the size limit before reading it: memory stays
    bounded by ``MAX_RECORDING_BYTES`` whatever lands in the inbox."""
    try:
        size = path.stat().st_size
        if size > MAX_RECORDING_BYTES:
            raise ValueError(f"over the byte limit: {size} bytes is over the {MAX_RECORDING_BYTES} byte limit")
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"unreadable file: {type(exc).__name__}") from None


def collect_day(
    inbox: Path, day: str, keep_audio: KeepAudio | None = None, keep_quarantined: KeepQuarantined | None = None
) -> DayBatch:
    """Judge the day's drop one file at a time; each recording's bytes go to ``keep_audio`` (accepted) or
    ``keep_quarantined`` (to be kept aside) as soon as they are judged and are released before the next file is
    read. Without callbacks the day is only judged (nothing kept). A file too large or unreadable is quarantined
    with its reason and left in the inbox: it is not in ``ingested``, so retention never deletes it."""
    day_dir = inbox / day
    if not day_dir.is_dir():
        raise DayMissing(f"no inbox folder for {day} ({day_dir}): nothing to ingest; a day is never 'ok' without its drop")
    batch = DayBatch(day=day, rows=[])

    def quarantine(file_name: str, reason: str, sha: str | None, payload: bytes | None = None) -> None:
        item = Quarantined(file_name, reason, sha, kept=payload is not None)
        if payload is not None and keep_quarantined is not None:
            keep_quarantined(item, payload)
        batch.quarantined.append(item)

    recordings = {p.name: p for p in day_dir.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES}
    metadata_path = day_dir / METADATA_FILE
    rows: list[dict] = []
    if metadata_path.exists():
        export = metadata_path.read_bytes()  # per-call metadata: a few hundred bytes a call
        sha = hashlib.sha256(export).hexdigest()
        batch.ingested[METADATA_FILE] = sha
        parsed = parse_call_tracking(export)
        rows = parsed.rows
        problems = ([(METADATA_FILE, f"unusable call-tracking export: {parsed.fatal}")] if parsed.fatal else []) + [
            (METADATA_FILE, f"call-tracking export: {note}") for note in parsed.notes
        ] + [(f"{METADATA_FILE}:{line_no}", f"bad call-tracking row: {reason}") for line_no, reason in parsed.bad]
        for index, (name, reason) in enumerate(problems):
            # The export is kept once (with the first problem) so rejected rows can be recovered from it.
            quarantine(name, reason, sha, export if index == 0 else None)
    else:
        quarantine(METADATA_FILE, "no call-tracking export in the day's drop", None)

    first_row_by_sha: dict[str, str] = {}

    def judge_recording(row: dict, file_name: str, path: Path) -> None:
        """One recording, read, judged and handed on; its bytes are released when this returns."""
        try:
            payload = _read_recording(path)
        except ValueError as exc:  # left in the inbox for a person: hashed in blocks, never held whole
            row["audio_status"] = "quarantined"
            quarantine(file_name, str(exc), _sha256_or_none(path))
            return
        sha = hashlib.sha256(payload).hexdigest()
        batch.ingested[file_name] = sha
        row["audio_sha256"] = sha
        if sha in first_row_by_sha:
            # One recording under two call ids: transcribed and counted once, the second row flagged.
            row["audio_status"] = "duplicate"
            quarantine(file_name, "duplicate recording: same sha256 as an earlier row's recording", sha)
            return
        first_row_by_sha[sha] = row["call_id"]
        try:
            info = probe_audio(payload, row.get("talk_seconds"))
        except ValueError as exc:
            row["audio_status"] = "quarantined"
            quarantine(file_name, str(exc), sha, payload)
            return
        row.update(
            audio_status="ok", duration_s=round(info.duration_s, 3), channels=info.channels, sample_rate=info.sample_rate
        )  # fmt: skip
        if keep_audio is not None:
            keep_audio(row["call_id"], payload)
        batch.audio[row["call_id"]] = sha

    claimed: set[str] = set()
    for row in rows:
        file_name = row.pop("recording_file")
        row.update(audio_status="no_recording", audio_sha256=None, duration_s=None, channels=None, sample_rate=None)
        batch.rows.append(row)
        if not file_name:
            continue
        claimed.add(file_name)
        path = recordings.get(file_name)
        if path is None:
            row["audio_status"] = "missing"
            quarantine(file_name, "recording named in the export is not in the drop (late or lost)", None)
        else:
            judge_recording(row, file_name, path)

    for name, path in sorted(recordings.items()):
        if name not in claimed:
            try:
                orphan = _read_recording(path)
            except ValueError as exc:
                quarantine(name, str(exc), _sha256_or_none(path))
                continue
            sha = hashlib.sha256(orphan).hexdigest()
            batch.ingested[name] = sha
            quarantine(name, "recording has no call-tracking metadata row", sha, orphan)
            del orphan  # released before the next file is read
    return batch


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]


ESSENTIAL_COLUMNS = ("call_id", "recording_file")
INT_COLUMNS = ("ring_seconds", "talk_seconds")


@dataclass
class ParsedExport:
    rows: list[dict]
    bad: list[tuple[int, str]]  # (line number, reason)
    notes: list[str]  # problems of the whole export that did not stop it (missing optional columns)
    fatal: str | None = None  # the export could not be read at all (no usable header)


def parse_call_tracking(payload: bytes) -> ParsedExport:
    """Row-level parser of a call-tracking CSV export.

    Each physical line is parsed on its own (strict quoting), so a stray quote, a short row or a non-UTF-8
    byte costs that row alone and can never swallow the next one; the price is that a field may not span
    lines, which call-tracking exports never do. Only a header without ``call_id`` and ``recording_file``
    makes the whole export unusable; other missing columns are left empty and reported.
    """
    lines = payload.split(b"\n")
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    header_line = lines[0].rstrip(b"\r") if lines else b""
    try:
        header = _parse_line(header_line)
    except ValueError as exc:
        return ParsedExport([], [], [], f"header: {exc}")
    header = [h.strip() for h in header]
    missing_essential = [c for c in ESSENTIAL_COLUMNS if c not in header]
    if missing_essential:
        return ParsedExport([], [], [], f"header lacks {missing_essential}")
    result = ParsedExport([], [], [])
    absent = [c for c in REQUIRED_COLUMNS if c not in header]
    if absent:
        result.notes.append(f"columns {absent} absent: left empty on every row")
    position = {name: header.index(name) for name in REQUIRED_COLUMNS if name in header}
    seen: set[str] = set()
    for line_no, line in enumerate(lines[1:], start=2):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            fields = _parse_line(line)
            if len(fields) != len(header):
                raise ValueError(f"{len(fields)} fields where the header has {len(header)}")
            raw = {name: fields[index].strip() for name, index in position.items()}
            call_id = raw["call_id"]
            if not call_id:
                raise ValueError("empty call_id")
            if call_id in seen:
                raise ValueError("call_id repeats an earlier row")
            row = {name: raw.get(name) for name in REQUIRED_COLUMNS}
            row["answered"] = _parse_bool(raw["answered"]) if "answered" in raw else None
            for name in INT_COLUMNS:
                row[name] = _parse_int(raw[name]) if name in raw else None
            row["recording_file"] = raw["recording_file"]
            if "/" in row["recording_file"] or "\\" in row["recording_file"]:
                raise ValueError("recording_file names a path, not a file of the drop")
            seen.add(call_id)
            result.rows.append(row)
        except ValueError as exc:
            result.bad.append((line_no, _short(exc)))
    return result


def _parse_line(line: bytes) -> list[str]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    if "\x00" in text:
        raise ValueError("NUL byte in the row")
    try:
        return next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration) as exc:
        raise ValueError(f"malformed CSV quoting: {_short(exc)}") from None


def reason_class(reason: str) -> str:
    """The class of a quarantine reason (the text before its first colon): safe to show anywhere."""
    return reason.split(":")[0]


def describe_quarantine(reasons: list[str]) -> str:
    """'' for a clean day, else 'PARTIAL: N quarantined (class n, ...)': never plain 'ok' with a quarantine."""
    if not reasons:
        return ""
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason_class(reason)] = counts.get(reason_class(reason), 0) + 1
    return f"PARTIAL: {len(reasons)} quarantined (" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")"
