"""Speak a ``[[CATEGORY|text]]`` call corpus (such as ``calls_dev.md``) into stereo call recordings with gold.

The corpus format: ``## call NNN`` headers, one paragraph per turn starting ``Agent:`` or ``Caller:``, every
identifier marked inline as ``[[CATEGORY|text]]`` (see ../shared/data/calls_dev/README.md). Each call becomes
``<out>/<band>/call_NNN.wav`` (channel 0 agent, channel 1 caller) and ``<out>/call_NNN.json`` with the plain
reference text of every turn, its start and end in the audio, the marked spans (offsets into the turn's text),
the voices and rates used, so word error rate and identifier / vertical-term recognition can be scored.

Voices are mixed per call and per side: every call has one espeak-ng side and one Piper side, which side gets
which alternates every two calls (so odd and even calls both have Piper agents and Piper callers), and the
espeak-ng variant, its pitch and both engines' speaking rates are drawn from a generator seeded by the call
number. Both bands are cut from one 22,050 Hz master, so wideband and phone band hear the same performance.

Identifier digits are said the way people read numbers out (digit by digit: "seven one three, five five five");
everything else is spoken as written. The reference text stays the written form; the scorer's digit
normalisation makes the two comparable.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cipher_devtools.synth.audio import (
    ESPEAK_RATE,
    PiperVoice,
    Voice,
    layout_turns,
    require_tools,
    speak,
    write_band,
    write_wav,
)
from cipher_devtools.synth.spoken import DIGIT_WORDS

BANDS = ("wideband", "phone")
_HEADER = re.compile(r"^## call (\d+)\s*$", re.MULTILINE)
_TURN = re.compile(r"^(Agent|Caller):\s*(.*)$")
_SPAN = re.compile(r"\[\[([A-Z_]+)\|([^\]]*)\]\]")
# categories whose digits a person reads out one by one
DIGIT_BY_DIGIT = frozenset({"PHONE", "FAX", "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
                            "OTHER_ID", "OTHER_UNIQUE", "IP"})
# espeak-ng variants a center's callers and agents could sound like (the generator's tested set, vocab.py)
ESPEAK_VOICES = ["en-us+f2", "en-us+m3", "en-us+f3", "en-us+m1", "en-us+f1", "en-us+m2", "en-gb+m4", "en-us+f5",
                 "en-us-nyc+m5", "en-gb-x-rp+f2", "en-029+m3", "en-gb+f1"]


class MarkupError(ValueError):
    """The corpus does not follow the ``## call NNN`` / ``Agent:`` / ``[[CATEGORY|text]]`` format."""


@dataclass(frozen=True)
class MarkedSpan:
    start: int
    end: int
    category: str
    text: str


@dataclass
class MarkedTurn:
    speaker: str  # "agent" or "caller"
    text: str  # plain text, markup removed
    spans: list[MarkedSpan] = field(default_factory=list)


@dataclass
class MarkedCall:
    number: int
    turns: list[MarkedTurn]

    @property
    def call_id(self) -> str:
        return f"call_{self.number:03d}"


def parse_turn(speaker: str, marked: str) -> MarkedTurn:
    text, spans, pos = [], [], 0
    length = 0
    for match in _SPAN.finditer(marked):
        plain = marked[pos:match.start()]
        text.append(plain)
        length += len(plain)
        value = match.group(2)
        spans.append(MarkedSpan(length, length + len(value), match.group(1), value))
        text.append(value)
        length += len(value)
        pos = match.end()
    text.append(marked[pos:])
    joined = "".join(text)
    if "[[" in joined or "]]" in joined:
        raise MarkupError(f"unbalanced span markup in a {speaker} turn")
    return MarkedTurn(speaker, joined, spans)


def parse_corpus(text: str) -> list[MarkedCall]:
    """All calls of a marked-up corpus, in order."""
    headers = list(_HEADER.finditer(text))
    if not headers:
        raise MarkupError("no '## call NNN' headers found")
    calls = []
    for header, following in zip(headers, headers[1:] + [None]):
        body = text[header.end(): following.start() if following else len(text)]
        turns = []
        for paragraph in (p.strip() for p in body.split("\n\n")):
            if not paragraph:
                continue
            match = _TURN.match(paragraph.replace("\n", " "))
            if not match:
                raise MarkupError(f"call {header.group(1)}: a paragraph does not start with 'Agent:' or 'Caller:'")
            turns.append(parse_turn(match.group(1).lower(), match.group(2).strip()))
        if not turns:
            raise MarkupError(f"call {header.group(1)} has no turns")
        calls.append(MarkedCall(int(header.group(1)), turns))
    return calls


def select_calls(calls: list[MarkedCall], numbers: set[int] | None) -> list[MarkedCall]:
    if numbers is None:
        return calls
    missing = numbers - {c.number for c in calls}
    if missing:
        raise MarkupError(f"calls not in the corpus: {sorted(missing)}")
    return [c for c in calls if c.number in numbers]


def parse_call_numbers(spec: str) -> set[int]:
    """'2,4,6' or '2-24:2' (from 2 to 24 in steps of 2) or a mix: '1-11:2,20'."""
    numbers: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = re.fullmatch(r"(\d+)(?:-(\d+)(?::(\d+))?)?", part)
        if not match:
            raise ValueError(f"bad call list {part!r}: use 2,4,6 or 2-24:2")
        first, last, step = int(match.group(1)), int(match.group(2) or match.group(1)), int(match.group(3) or 1)
        numbers.update(range(first, last + 1, step))
    return numbers


def spoken_text(turn: MarkedTurn) -> str:
    """What the voice says: identifier digits one by one, the rest as written."""
    out, pos = [], 0
    for span in turn.spans:
        out.append(turn.text[pos:span.start])
        value = span.text
        if span.category in DIGIT_BY_DIGIT and re.search(r"\d", value):
            # "713-555-0148" -> "7 1 3, 5 5 5, 0 1 4 8"; separators become pauses
            value = re.sub(r"\d", lambda m: f" {DIGIT_WORDS[m.group()]} ", value)
            value = re.sub(r"\s*[-./]\s*", ", ", value)
            value = re.sub(r"\s+", " ", value).strip()
        out.append(value)
        pos = span.end
    out.append(turn.text[pos:])
    return "".join(out)


def voices_for(call: MarkedCall, seed: int) -> dict[str, Voice | PiperVoice]:
    """One espeak-ng side and one Piper side; which is which alternates every two calls."""
    rng = random.Random(f"{seed}:voices:{call.number}")
    espeak = Voice(rng.choice(ESPEAK_VOICES), rng.randint(150, 185), rng.randint(35, 70))
    piper = PiperVoice(length_scale=round(rng.uniform(0.9, 1.15), 2))
    if (call.number // 2) % 2 == 0:
        return {"agent": espeak, "caller": piper}
    return {"agent": piper, "caller": espeak}


def voice_label(voice: Voice | PiperVoice) -> dict:
    if isinstance(voice, PiperVoice):
        return {"engine": "piper", "name": voice.name, "length_scale": voice.length_scale}
    return {"engine": "espeak-ng", "name": voice.name, "speed_wpm": voice.speed, "pitch": voice.pitch}


@dataclass(frozen=True)
class SpokenCall:
    call_id: str
    gold_path: Path
    audio: dict[str, Path]  # band -> wav
    duration_s: float


def speak_call(call: MarkedCall, out: Path, bands: tuple[str, ...], seed: int, workers: int = 2) -> SpokenCall:
    """Render one call into each band plus its gold JSON; files appear atomically under their final names."""
    require_tools()
    voices = voices_for(call, seed)
    turns = [(t.speaker, spoken_text(t)) for t in call.turns]
    rng = random.Random(f"{seed}:layout:{call.number}")
    audio: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="cipher-markup-") as tmp:
        tmp_dir = Path(tmp)
        # espeak-ng runs as subprocesses (threads overlap them); Piper's ONNX session is shared and serialised
        with ThreadPoolExecutor(max_workers=workers) as pool:
            clips = list(pool.map(
                lambda item: speak(item[1][1], voices[item[1][0]], tmp_dir / f"turn{item[0]:03d}.wav"),
                enumerate(turns),
            ))
        stereo, timed = layout_turns(turns, clips, rng)
        raw = tmp_dir / "master_22k.wav"
        write_wav(raw, stereo, ESPEAK_RATE)
        for band in bands:
            target = out / band / f"{call.call_id}.wav"
            target.parent.mkdir(parents=True, exist_ok=True)
            write_band(raw, target, band == "phone", tmp_dir)
            audio[band] = target
    with wave.open(str(next(iter(audio.values()))), "rb") as w:
        duration = w.getnframes() / w.getframerate()
    gold = {
        "call_id": call.call_id,
        "number": call.number,
        "seed": seed,
        "duration_s": round(duration, 2),
        "voices": {side: voice_label(v) for side, v in voices.items()},
        "turns": [
            {"speaker": t.speaker, "text": t.text, "speech": speech, "start": tt.start, "end": tt.end,
             "spans": [{"start": s.start, "end": s.end, "category": s.category, "text": s.text} for s in t.spans]}
            for t, (_, speech), tt in zip(call.turns, turns, timed)
        ],
    }
    gold_path = out / f"{call.call_id}.json"
    part = gold_path.with_name(f".{gold_path.name}.part")
    part.write_text(json.dumps(gold, indent=1, ensure_ascii=False), encoding="utf-8")
    part.replace(gold_path)
    return SpokenCall(call.call_id, gold_path, audio, duration)


def speak_corpus(corpus: Path, out: Path, numbers: set[int] | None = None, bands: tuple[str, ...] = BANDS,
                 seed: int = 12, progress=None) -> list[SpokenCall]:
    """Speak the selected calls of ``corpus`` into ``out``; a call already spoken with the same seed is reused."""
    unknown = set(bands) - set(BANDS)
    if unknown:
        raise ValueError(f"unknown band(s) {sorted(unknown)}; choose from {BANDS}")
    calls = select_calls(parse_corpus(corpus.read_text(encoding="utf-8")), numbers)
    spoken = []
    for index, call in enumerate(calls, start=1):
        gold_path = out / f"{call.call_id}.json"
        wavs = {band: out / band / f"{call.call_id}.wav" for band in bands}
        if gold_path.exists() and all(p.exists() for p in wavs.values()):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            if gold.get("seed") == seed:
                spoken.append(SpokenCall(call.call_id, gold_path, wavs, gold["duration_s"]))
                if progress:
                    progress(index, len(calls))
                continue
        spoken.append(speak_call(call, out, bands, seed))
        if progress:
            progress(index, len(calls))
    return spoken
