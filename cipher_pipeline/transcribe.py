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
from cipher_pipeline.vocabulary import SPEAKERS, turn_line

SAMPLE_RATE = 16_000
CHANNEL_SPEAKERS = SPEAKERS


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
        return "".join(turn_line(speaker, text) for speaker, _, _, text in self.turns())


PAUSE_SPLIT_S = 1.0


def _split_at_pauses(piece) -> list[tuple[float, float, str]]:
    """Cut a Whisper segment wherever its words pause for a second or more.

    With the VAD on, the silence while the agent speaks is removed before decoding, so one caller segment can
    hold the answer before and the answer after the agent's question ("Dana. ... Okay, 3104."). Kept whole, it
    would sort before the question and a cue like "last four of your social" would follow its answer.
    """
    words = [w for w in (piece.words or []) if w.word.strip()]
    if not words:
        text = piece.text.strip()
        return [(piece.start, piece.end, text)] if text else []
    parts, current = [], [words[0]]
    for previous, word in zip(words, words[1:]):
        if word.start - previous.end >= PAUSE_SPLIT_S:
            parts.append(current)
            current = []
        current.append(word)
    parts.append(current)
    return [(p[0].start, p[-1].end, "".join(w.word for w in p).strip()) for p in parts]


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
                # Word times let a segment that spans the other party's turn be cut at the pause (below).
                word_timestamps=True,
                # No temperature fallback: it re-decodes by random sampling, so the same recording could give
                # a different transcript (and a different gate outcome) on a re-run.
                temperature=0.0,
            )
            language = info.language
            for piece in pieces:
                for start, end, text in _split_at_pauses(piece):
                    segments.append(Segment(speaker, round(start, 2), round(end, 2), text, piece.avg_logprob, piece.no_speech_prob))
        segments.sort(key=lambda s: (s.start, s.speaker))
        return Transcript(segments, len(left) / SAMPLE_RATE, language)
