"""Generate a call-tracking vendor's daily drop: stereo call recordings plus a CallRail-style CSV, and the gold.

Layout (``day`` is YYYY-MM-DD):

* ``<inbox>/<day>/<call_id>.wav`` - answered calls only, channel 0 agent, channel 1 caller
* ``<inbox>/<day>/call_tracking.csv`` - one row per call, answered or missed (Tier 1 metadata)
* ``<gold>/<day>/<call_id>.json`` - the script with timed turns, labelled identifiers, must-survive phrases and
  the identifiers of the CSV row; never placed in the inbox

Everything comes from ``random.Random`` seeded with strings derived from the seed, the day and the call's index,
so a seed gives byte-identical files and adding a day leaves the other days unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cipher_devtools.synth import vocab
from cipher_devtools.synth.audio import Voice, render_call
from cipher_devtools.synth.script import CallScript, build_script

CSV_COLUMNS = [
    "call_id", "start_time", "direction", "answered", "ring_seconds", "talk_seconds", "tracking_number",
    "caller_number", "caller_name", "caller_city", "caller_state", "source", "medium", "campaign", "keyword",
    "landing_page", "recording_file",
]
CSV_NAME = "call_tracking.csv"
CENTER_TZ = ZoneInfo("America/Los_Angeles")
MISSED_RATE = 0.15
OPEN_HOUR, CLOSE_HOUR = 8, 19  # the admissions line's staffed hours, local time


@dataclass
class CallRecord:
    """One generated call: where its files are and what the CSV says about it."""

    call_id: str
    day: date
    start_time: str
    answered: bool
    path: Path | None  # the recording, None for a missed call
    duration_s: float
    gold_path: Path


@dataclass
class SynthResult:
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def audio_seconds(self) -> float:
        return sum(c.duration_s for c in self.calls)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target under a hidden name, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.replace(part, path)


_CALL_FILE = re.compile(r"^CAL[0-9a-f]{20}$")


def _remove_stale(folder: Path, keep: set[str], suffix: str) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.suffix == suffix and _CALL_FILE.match(path.stem) and path.stem not in keep:
            path.unlink()


def _call_rng(seed: int, day: date, index: int) -> random.Random:
    return random.Random(f"cipher-synth:{seed}:{day.isoformat()}:{index}")


@dataclass(frozen=True)
class PlannedCall:
    """What the seed decides before any audio exists: the call's id, when it rang, whether anyone answered."""

    day: date
    index: int
    call_id: str
    start: datetime
    answered: bool


def _plan_one(rng: random.Random) -> tuple[str, bool]:
    call_id = "CAL" + f"{rng.getrandbits(80):020x}"
    answered = rng.random() >= MISSED_RATE
    return call_id, answered


def plan_calls(days: Iterable[date], calls_per_day: int, seed: int) -> list[PlannedCall]:
    """The calls ``generate_calls`` will write for these arguments, cheaply, without synthesizing anything."""
    planned = []
    for day in days:
        for index, start in enumerate(_start_times(seed, day, calls_per_day)):
            call_id, answered = _plan_one(_call_rng(seed, day, index))
            planned.append(PlannedCall(day, index, call_id, start, answered))
    return planned


def _start_times(seed: int, day: date, n: int) -> list[datetime]:
    """``n`` sorted start times within business hours, in the center's time zone."""
    rng = random.Random(f"cipher-synth:{seed}:{day.isoformat()}:times")
    span = (CLOSE_HOUR - OPEN_HOUR) * 3600
    seconds = sorted(rng.sample(range(span), n))
    opening = datetime.combine(day, time(OPEN_HOUR), tzinfo=CENTER_TZ)
    return [opening + timedelta(seconds=s) for s in seconds]


def _voices(script: CallScript, rng: random.Random) -> dict[str, Voice]:
    """Voices that match who speaks: "this is Marcus" in a male voice, a mother in a female one."""
    agent_sex = vocab.STAFF_SEX[script.persona.agent_first]
    agent = Voice(*rng.choice([v for v in vocab.VOICES_AGENT if vocab.voice_sex(v[0]) == agent_sex]))
    caller = Voice(*rng.choice([v for v in vocab.VOICES_CALLER
                                if v[0] != agent.name and vocab.voice_sex(v[0]) == script.persona.caller.sex]))
    # small per-call jitter so two callers with the same base voice still differ
    caller = Voice(caller.name, caller.speed + rng.randint(-10, 10), max(0, min(99, caller.pitch + rng.randint(-8, 8))))
    return {"agent": agent, "caller": caller}


def _cnam(script: CallScript, rng: random.Random) -> str:
    """Caller ID name as carriers deliver it: "LOPEZ MARIA", sometimes "WIRELESS CALLER"."""
    caller = script.persona.caller
    roll = rng.random()
    if roll < 0.25:
        return "WIRELESS CALLER"
    if roll < 0.85:
        return f"{caller.last.upper()} {caller.first.upper()}"[:15]
    return caller.full


def _tracking_row(call_id: str, start: datetime, answered: bool, talk_seconds: int, script: CallScript,
                  rng: random.Random) -> dict[str, str]:
    source = rng.choices(list(vocab.SOURCE_WEIGHTS), weights=list(vocab.SOURCE_WEIGHTS.values()))[0]
    medium, campaign, keyword = rng.choice(vocab.CAMPAIGNS[source])
    persona = script.persona
    return {
        "call_id": call_id,
        "start_time": start.isoformat(),
        "direction": "inbound",
        "answered": "true" if answered else "false",
        "ring_seconds": str(rng.randint(3, 18) if answered else rng.randint(20, 45)),
        "talk_seconds": str(talk_seconds),
        "tracking_number": "+1" + rng.choice(vocab.TRACKING_NUMBERS),
        "caller_number": "+1" + persona.caller.phone,
        "caller_name": _cnam(script, rng),
        "caller_city": persona.home.city,
        "caller_state": persona.home.state_abbr,
        "source": source,
        "medium": medium,
        "campaign": campaign,
        "keyword": keyword,
        "landing_page": vocab.CENTER_SITE + rng.choice(vocab.LANDING_PAGES) if source != "direct" else "",
        "recording_file": f"{call_id}.wav" if answered else "",
    }


def _metadata_identifiers(row: dict[str, str]) -> list[dict]:
    """The CSV row's Tier 1 identifiers, so tests can check none of them reaches Tier 3."""
    out = [{"field": "caller_number", "category": "PHONE", "value": row["caller_number"],
            "normalized": row["caller_number"][-10:]}]
    if row["caller_name"] != "WIRELESS CALLER":
        out.append({"field": "caller_name", "category": "NAME", "value": row["caller_name"],
                    "normalized": row["caller_name"].lower()})
    out.append({"field": "caller_city", "category": "LOCATION", "value": row["caller_city"],
                "normalized": row["caller_city"].lower()})
    return out


def _gold(call_id: str, day: date, row: dict[str, str], script: CallScript, timed: list | None,
          duration: float, rate: int | None, voices: dict[str, Voice]) -> dict:
    rendered = script.render() if timed is not None else []
    turns, identifiers, keeps = [], [], []
    for i, turn in enumerate(rendered):
        t = timed[i]  # type: ignore[index]
        entry = {"speaker": turn.speaker, "text": turn.text, "start": t.start, "end": t.end}
        if t.text != turn.text:
            entry["speech"] = t.text  # what espeak-ng was given, when the transcript writes a number or date differently
        turns.append(entry)
        identifiers += [{"turn": i, **span} for span in turn.identifiers]
        keeps += [{"turn": i, **span} for span in turn.must_survive]
    return {
        "call_id": call_id,
        "day": day.isoformat(),
        "answered": timed is not None,
        "start_time": row["start_time"],
        "duration_s": round(duration, 3),
        "sample_rate": rate,
        "channels": ["agent", "caller"],
        "voices": {k: {"name": v.name, "speed": v.speed, "pitch": v.pitch} for k, v in voices.items()},
        "turns": turns,
        "identifiers": identifiers,
        "must_survive": sorted({k["value"] for k in keeps}),
        "must_survive_spans": keeps,
        "metadata_identifiers": _metadata_identifiers(row),
        "facts": script.facts if timed is not None else {"caller_role": script.facts["caller_role"]},
    }


def generate_calls(
    inbox: Path,
    gold: Path,
    days: Iterable[date],
    calls_per_day: int = 4,
    seed: int = 42,
    phone_band: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SynthResult:
    """Write ``calls_per_day`` synthetic calls for each day into ``inbox`` (audio + CSV) and ``gold`` (labels).

    Deterministic: the same arguments rewrite the same bytes. ``progress(done, total)`` is called after every
    call. About 15% of calls are missed: a CSV row with ``answered=false``, no recording.
    """
    inbox, gold = Path(inbox), Path(gold)
    days = list(days)
    total = len(days) * calls_per_day
    result = SynthResult()
    done = 0
    for day in days:
        rows: list[dict[str, str]] = []
        for index, start in enumerate(_start_times(seed, day, calls_per_day)):
            rng = _call_rng(seed, day, index)
            call_id, answered = _plan_one(rng)
            script = build_script(day, rng)
            voices = _voices(script, rng)
            audio_rng = random.Random(f"cipher-synth:{seed}:{day.isoformat()}:{index}:audio")
            wav_path = inbox / day.isoformat() / f"{call_id}.wav"
            timed, duration, rate = None, 0.0, None
            if answered:
                timed, duration, rate = render_call([(t.speaker, t.speech) for t in script.turns], voices, wav_path,
                                                    audio_rng, phone_band=phone_band)
            row = _tracking_row(call_id, start, answered, round(duration), script, rng)
            rows.append(row)
            gold_path = gold / day.isoformat() / f"{call_id}.json"
            record = _gold(call_id, day, row, script, timed, duration, rate, voices)
            _write_atomic(gold_path, (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            result.calls.append(CallRecord(call_id, day, row["start_time"], answered, wav_path if answered else None,
                                           round(duration, 3), gold_path))
            done += 1
            if progress is not None:
                progress(done, total)
        # a smaller re-run replaces the day's drop: recordings and gold from a larger earlier run would otherwise be
        # orphans (the ingest quarantines a recording with no CSV row). Only files named like ours are touched.
        current = {row["call_id"] for row in rows}
        _remove_stale(inbox / day.isoformat(), current, ".wav")
        _remove_stale(gold / day.isoformat(), current, ".json")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        _write_atomic(inbox / day.isoformat() / CSV_NAME, buffer.getvalue().encode("utf-8"))
    return result
