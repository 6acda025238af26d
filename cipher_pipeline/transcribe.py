"""Local speech-to-text with faster-whisper, one pass per stereo channel.

Call recorders put the agent and the caller on separate channels. Transcribing each channel on its own gives
speaker labels for free (no diarization model) and keeps a caller's words from being attributed to the agent.
Mono recordings get one pass and the speaker ``unknown``.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

from cipher_pipeline.asr_models import whisper_model

SAMPLE_RATE = 16_000
CHANNEL_SPEAKERS = ("agent", "caller")


@dataclass(frozen=True)
class Segment:
    speaker: str
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float

    @property
    def confidence(self) -> float:
        return math.exp(self.avg_logprob)


@dataclass(frozen=True)
class Transcript:
    segments: list[Segment]  # ordered by start time across both channels
    duration_s: float
    language: str

    def turns(self) -> list[tuple[str, float, float, str]]:
        """Consecutive segments of one speaker merged: (speaker, start, end, text)."""
        merged: list[list] = []
        for seg in self.segments:
            if merged and merged[-1][0] == seg.speaker:
                merged[-1][2] = seg.end
                merged[-1][3] = f"{merged[-1][3]} {seg.text}"
            else:
                merged.append([seg.speaker, seg.start, seg.end, seg.text])
        return [tuple(turn) for turn in merged]

    def text(self) -> str:
        """The call as one turn per line, ``agent: ...`` / ``caller: ...``, the form the redactor reads."""
        return "".join(f"{speaker}: {text}\n" for speaker, _, _, text in self.turns())


def _same_signal(left: np.ndarray, right: np.ndarray) -> bool:
    """True when both channels carry the same speech (a mono source), not two sides of a call."""
    scale = float(np.mean(np.abs(left)) + np.mean(np.abs(right))) or 1.0
    return float(np.mean(np.abs(left - right))) < 0.05 * scale


class Transcriber:
    def __init__(self, model_name: str = "base", compute_type: str = "int8", cpu_threads: int | None = None):
        info = whisper_model(model_name)
        self.model_name = model_name
        self.compute_type = compute_type
        self._model = WhisperModel(
            str(info.path), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads or os.cpu_count() or 2
        )
        self._english_only = model_name.endswith(".en")

    def transcribe(self, audio: bytes) -> Transcript:
        channels = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE, split_stereo=True)
        left, right = channels
        if _same_signal(left, right):  # mono (or a mono mix saved as stereo): one speaker track
            tracks = [("unknown", left)]
        else:
            tracks = list(zip(CHANNEL_SPEAKERS, (left, right)))
        segments: list[Segment] = []
        language = "en"
        for speaker, samples in tracks:
            if not np.any(np.abs(samples) > 1e-4):
                continue  # a silent channel (one-sided recording) would only invite hallucinated text
            pieces, info = self._model.transcribe(
                samples,
                language="en",
                beam_size=5,
                vad_filter=True,  # skips the long silences where the other party speaks
                condition_on_previous_text=False,  # stops one misheard turn from derailing the next
            )
            language = info.language
            for piece in pieces:
                text = piece.text.strip()
                if text:
                    segments.append(
                        Segment(speaker, round(piece.start, 2), round(piece.end, 2), text, piece.avg_logprob, piece.no_speech_prob)
                    )
        segments.sort(key=lambda s: (s.start, s.speaker))
        return Transcript(segments, len(left) / SAMPLE_RATE, language)
