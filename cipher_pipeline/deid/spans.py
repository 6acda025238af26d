"""Spans found by the layers, and how overlapping findings are resolved into one clean, non-overlapping set."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from cipher_pipeline.deid.categories import CATEGORIES, placeholder

# A turn prefix such as "agent: " or "caller: " at the start of a line is transcript structure, never an identifier.
_TURN_PREFIX = re.compile(r"^[ \t]*(?:agent|caller|speaker[ _]?\d+|rep|operator|patient)[ \t]*:[ \t]*", re.I | re.M)

# When two findings overlap, the merged span takes the category of the most trusted finding: a structured
# identifier from the rules beats a lexicon tag, which beats a model guess, which beats the safe-word fallback.
LAYER_PRIORITY = {"rules": 0, "asr": 1, "lexicon": 1, "context": 1, "slots": 1, "ner": 2, "names": 2, "safeword": 3}
_CATEGORY_PRIORITY = {  # among equals, the more specific/direct category wins
    name: i
    for i, name in enumerate(
        [
            "SSN", "PHONE", "FAX", "EMAIL", "URL", "IP", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE",
            "DEVICE", "BIOMETRIC", "PHOTO", "ZIP", "AGE", "DATE", "COMPETITOR", "INSURER", "PROVIDER", "LOCATION",
            "NAME", "OTHER_ID",
        ]
    )
}


@dataclass(frozen=True, order=True)
class Span:
    """One identifier found in the input: ``text[start:end]`` is replaced by ``placeholder(category, canonical)``."""

    start: int
    end: int
    category: str
    layer: str
    canonical: str | None = None
    # the detector inside the layer that found it ("place_slot", "street"), where the layer is made of recognizers
    recognizer: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown identifier category {self.category!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")

    @property
    def placeholder(self) -> str:
        return placeholder(self.category, self.canonical)

    def to_dict(self) -> dict:
        out = {"start": self.start, "end": self.end, "category": self.category, "layer": self.layer}
        if self.canonical:
            out["canonical"] = self.canonical
        if self.recognizer:
            out["recognizer"] = self.recognizer
        return out


# a place preposition right before a word: what follows it is a place, not a person ("we live in houston", "out near
# tyler"); "from" and "to" are left out, people come after them too ("a call from tyler", "talked to jackson")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|outside(?:\s+of)?)\s+$", re.I)


def _rank(span: Span, layer_priority: dict[str, float], text: str) -> tuple:
    layer_rank = layer_priority.get(span.layer, 9)
    if span.layer == "lexicon" and span.category == "LOCATION":
        # a gazetteer hit on "Brandon" yields to the model or a cue that says it is a name, unless a place
        # preposition says it is the place ("in houston": Houston is a surname too); either way it yields to the
        # layer's own finds, which read more of the phrase ("the head nurse at the hospital in Brawley")
        place_said = span.recognizer == "gazetteer" and _PLACE_PREPOSITION_BEFORE.search(
            text, max(0, span.start - 16), span.start
        )
        layer_rank = 1.5 if place_said else 2.5
    return (
        0 if span.canonical else 1,
        layer_rank,
        _CATEGORY_PRIORITY.get(span.category, 99),
        -(span.end - span.start),
    )


def protected_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges no span may cover: newlines and the ``agent:``/``caller:`` turn prefixes."""
    regions = [(m.start(), m.end()) for m in _TURN_PREFIX.finditer(text) if m.end() > m.start()]
    regions += [(m.start(), m.end()) for m in re.finditer(r"\n", text)]
    return sorted(regions)


def _clip(span: Span, text: str, regions: list[tuple[int, int]]) -> list[Span]:
    """Cut a span around protected regions and trim whitespace/punctuation edges; may yield several pieces."""
    pieces = [(span.start, span.end)]
    # regions are sorted and disjoint: start at the first one that ends after the span starts (linear, not
    # spans x regions, on a text of many short lines)
    first = bisect.bisect_right(regions, (span.start, span.start))
    if first:
        first -= 1
    for i in range(first, len(regions)):
        r_start, r_end = regions[i]
        if r_start >= span.end:
            break
        if r_end <= span.start:
            continue
        new = []
        for s, e in pieces:
            if r_end <= s or r_start >= e:
                new.append((s, e))
                continue
            if s < r_start:
                new.append((s, r_start))
            if r_end < e:
                new.append((r_end, e))
        pieces = new
    out = []
    for s, e in pieces:
        while s < e and (text[s].isspace() or text[s] in ",;:!?\"'()[]"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:!?\"'()[]."):
            e -= 1
        if e > s:
            out.append(Span(s, e, span.category, span.layer, span.canonical, span.recognizer))
    return out


def resolve(spans: list[Span], text: str, layer_priority: dict[str, float] | None = None) -> list[Span]:
    """Merge overlapping findings into their union (recall first), labelled by the most trusted finding.

    ``layer_priority`` (lower is more trusted) comes from the ``priority`` each layer declares in ``layers.yaml``;
    without it, ``LAYER_PRIORITY``.

    The result is sorted, non-overlapping, and never covers a newline or a turn prefix.
    """
    regions = protected_regions(text)
    clipped: list[Span] = []
    for span in spans:
        clipped.extend(_clip(span, text, regions))
    clipped.sort(key=lambda s: (s.start, -s.end))
    groups: list[list[Span]] = []
    group_end = -1
    for span in clipped:
        if groups and span.start < group_end:
            groups[-1].append(span)
            group_end = max(group_end, span.end)
        else:
            groups.append([span])
            group_end = span.end
    merged: list[Span] = []
    priority = LAYER_PRIORITY if layer_priority is None else layer_priority
    for group in groups:
        if len(group) == 1:
            merged.append(group[0])  # most groups are one finding: nothing to rank
            continue
        best = min(group, key=lambda s: _rank(s, priority, text))
        start = min(s.start for s in group)
        end = max(s.end for s in group)
        merged.append(Span(start, end, best.category, best.layer, best.canonical, best.recognizer))
    return merged


def apply(text: str, spans: list[Span]) -> str:
    """Replace each (resolved) span by its placeholder."""
    out: list[str] = []
    cursor = 0
    for span in spans:
        out.append(text[cursor : span.start])
        out.append(span.placeholder)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)
