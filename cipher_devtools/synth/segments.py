"""The building blocks of a synthetic call script: turns made of segments, some of them labelled.

A turn is a list of segments. A plain segment is ordinary speech; an identifier segment carries a Safe Harbor
category; a must-survive segment marks a phrase the de-identifier must leave alone (a drug name, a program, a
duration, a price). Offsets are never written by hand: they fall out of joining the segments, so they are exact
by construction in both the clean and the ASR-style rendering.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace

from cipher_pipeline.deid.categories import CATEGORIES


@dataclass(frozen=True)
class Seg:
    """One piece of a turn.

    ``category`` labels an identifier (a key of ``CATEGORIES``); ``keep`` names the kind of a must-survive phrase.
    ``asr`` holds other ways an ASR system could write the same words; ``normalized`` is a canonical form of the
    value (digits only, ISO date, lower-cased name) for leak checks that must not depend on formatting.
    """

    text: str
    category: str | None = None
    keep: str | None = None
    asr: tuple[str, ...] = ()
    normalized: str | None = None
    canonical: str | None = None  # lexicon tag: COMPETITOR / INSURER ("seaside_recovery"), program ("iop")
    say: str | None = None  # how the words are pronounced when ``text`` is a written form ("619-555-0142")

    def __post_init__(self) -> None:
        if self.category is not None and self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.category and self.keep:
            raise ValueError("a segment is either an identifier or a must-survive phrase, not both")


Part = str | Seg


@dataclass
class ScriptTurn:
    """One speaker's turn: the segments in order."""

    speaker: str  # "agent" | "caller"
    segs: list[Seg] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)

    @property
    def speech(self) -> str:
        """What the text-to-speech engine is given: written numbers, dates and addresses spelled out as said.

        A transcriber writes "619-555-0142" for a number said digit by digit; espeak-ng would read the written
        form as arithmetic, so the audio gets the spoken form while the gold keeps the written one."""
        return "".join(s.say if s.say is not None else s.text for s in self.segs)


def make_turn(speaker: str, parts: tuple[Part, ...]) -> ScriptTurn:
    """Join parts (plain strings and labelled segments) into a turn, merging neighbouring plain text."""
    segs: list[Seg] = []
    for part in parts:
        seg = Seg(part) if isinstance(part, str) else part
        if not seg.text:
            continue
        if _starts_sentence(segs) and seg.category not in ("EMAIL", "URL"):
            # a spoken value opening a sentence is written with a capital: "Six one nine, five five five ..."
            seg = replace(seg, text=_capitalize(seg.text), say=_capitalize(seg.say) if seg.say else seg.say)
        if seg.category is None and seg.keep is None and segs and segs[-1].category is None and segs[-1].keep is None:
            segs[-1] = Seg(segs[-1].text + seg.text)
        else:
            segs.append(seg)
    if segs and segs[-1].category is None and segs[-1].keep is None:
        segs[-1] = Seg(segs[-1].text.rstrip())  # a dropped optional sentence leaves no trailing space
    return ScriptTurn(speaker, segs)


def _capitalize(text: str) -> str:
    return text[0].upper() + text[1:] if text[:1].islower() else text


def _starts_sentence(segs: list[Seg]) -> bool:
    text = "".join(s.text for s in segs[-3:])
    return not segs or text.endswith((". ", "? ", "! "))


@dataclass
class RenderedTurn:
    speaker: str
    text: str
    identifiers: list[dict]
    must_survive: list[dict]


def render_turn(turn: ScriptTurn, segs: list[Seg] | None = None) -> RenderedTurn:
    """Text plus identifier and must-survive spans (char offsets into this turn's text)."""
    segs = turn.segs if segs is None else segs
    pieces: list[str] = []
    identifiers: list[dict] = []
    keeps: list[dict] = []
    pos = 0
    for seg in segs:
        start, end = pos, pos + len(seg.text)
        if seg.category:
            span = {"start": start, "end": end, "category": seg.category, "value": seg.text}
            if seg.normalized is not None:
                span["normalized"] = seg.normalized
            if seg.canonical is not None:
                span["canonical"] = seg.canonical
            identifiers.append(span)
        elif seg.keep:
            keep = {"start": start, "end": end, "kind": seg.keep, "value": seg.text}
            if seg.canonical is not None:
                keep["canonical"] = seg.canonical
            keeps.append(keep)
        pieces.append(seg.text)
        pos = end
    return RenderedTurn(turn.speaker, "".join(pieces), identifiers, keeps)


# ---------------------------------------------------------------------------------------------------------------
# ASR-style re-rendering: how Whisper writes a phone call. Plain text loses punctuation and capitals now and
# then; labelled segments switch to one of their recorded ASR variants.

_PUNCT_DROP = re.compile(r"[,.;!?]")


def asr_plain(text: str, rng: random.Random, drop_punct: bool, lower: bool) -> str:
    """Plain speech as a careless transcript: no punctuation, lower case, "ok" for "okay"."""
    if drop_punct:
        text = _PUNCT_DROP.sub("", text)
        text = re.sub(r"  +", " ", text)
    if lower:
        text = text.lower()
    if rng.random() < 0.3:
        text = text.replace("Okay", "OK").replace("okay", "ok")
    return text


def asr_segments(turn: ScriptTurn, rng: random.Random, rate: float = 0.6) -> list[Seg]:
    """The turn's segments re-rendered ASR-style; labels and categories are kept on the new text."""
    drop_punct = rng.random() < 0.45
    lower = rng.random() < 0.12
    out: list[Seg] = []
    for seg in turn.segs:
        if seg.category is None and seg.keep is None:
            text = asr_plain(seg.text, rng, drop_punct, lower)
        elif seg.asr and rng.random() < rate:
            text = rng.choice(seg.asr)
        else:
            text = seg.text
        if drop_punct and (seg.category or seg.keep):
            # trailing commas inside spoken groups survive; ASR rarely writes them mid-number
            text = text.replace(", ", " ") if rng.random() < 0.5 else text
        if not text:
            text = seg.text
        out.append(Seg(text, seg.category, seg.keep, (), seg.normalized, seg.canonical))
    # keep words from gluing together when punctuation at a boundary vanished
    fixed: list[Seg] = []
    for seg in out:
        if fixed and fixed[-1].text and seg.text and fixed[-1].text[-1].isalnum() and seg.text[0].isalnum():
            prev = fixed[-1]
            if prev.category is None and prev.keep is None:
                fixed[-1] = Seg(prev.text + " ")
            else:
                fixed.append(Seg(" "))
        fixed.append(seg)
    return fixed
