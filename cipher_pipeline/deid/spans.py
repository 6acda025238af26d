"""Spans found by the layers, and how overlapping findings are resolved into one clean, non-overlapping set."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from cipher_pipeline.deid.categories import CATEGORIES, placeholder
from cipher_pipeline.deid.turns import LABEL


# When two findings overlap, the merged span takes the category of the most trusted finding: the ``priority`` each
# layer declares in ``layers.yaml`` (a structured identifier from the rules beats a lexicon tag, which beats a model
# guess, which beats the safe-word fallback), and the finer ``priorities`` a layer declares for some of its findings
# (``Ranking``). A layer that declares none ranks last.
UNDECLARED_PRIORITY = 9.0
LAYERS_YAML = Path(__file__).parent / "layers.yaml"
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


# Place shapes of call talk that a written chart note reads otherwise, each judged there before the merge by what the
# shape is (``safeword.chart_filter``); a recognizer marks its findings with the one it finds (``Span.call_talk_shape``).
CALL_TALK_SHAPES: Mapping[str, str] = {
    "street": "a street in a caller's grammar: in a chart it is a place only with a street type written out (\"SR 50\" "
    "is a sinus rhythm, \"FM 93\" a face mask)",
    "cued_word": "an unknown word after a weak place cue: in a chart a lower-case word in a cased note or a word the "
    "lists know is no place (\"by thermodilution\", \"from intubation\")",
}


# ``Span.evidence`` of a NAME the safe-word layer found only because no dictionary knows the word (Philter's rule): a
# step after the merge may read it as an unknown proper noun ("Alaska Careline") without knowing which judge said so
NO_DICTIONARY_WORD = "no_dictionary_word"


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
    # what the recognizer saw around the finding that the ranking reads (``Ranking``): "place_preposition", a town
    # said right after "in", "near" or "outside of"
    evidence: str | None = field(default=None, compare=False)
    # the call-talk place shape the finding is, as its recognizer declares it (one of ``CALL_TALK_SHAPES``), which a
    # chart note judges before the merge (``safeword.chart_filter``) without knowing which recognizer found it
    call_talk_shape: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown identifier category {self.category!r}")
        if self.call_talk_shape is not None and self.call_talk_shape not in CALL_TALK_SHAPES:
            raise ValueError(f"unknown call-talk shape {self.call_talk_shape!r}; known: {sorted(CALL_TALK_SHAPES)}")
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


@dataclass(frozen=True)
class Ranking:
    """How far each finding is trusted when findings overlap (lower wins), as ``layers.yaml`` declares it: each
    layer's ``priority``, and the finer ``priorities`` a layer declares for some of its findings, by category and
    by the evidence its recognizer marked on the span (``Span.evidence``); the first finer entry that fits a finding
    ranks it."""

    layers: Mapping[str, float]
    # per layer: (category or None for any, evidence or None for any, priority), in the order declared
    finer: Mapping[str, tuple[tuple[str | None, str | None, float], ...]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: dict, defaults: "Ranking | None" = None) -> "Ranking":
        """The ranking a layer chain declares; a layer that declares no priority takes its ``defaults`` one."""
        layers = dict(defaults.layers) if defaults else {}
        finer = dict(defaults.finer) if defaults else {}
        for layer in config["layers"]:
            if "priority" in layer:
                layers[layer["name"]] = float(layer["priority"])
                finer[layer["name"]] = tuple(
                    (entry.get("category"), entry.get("evidence"), float(entry["priority"]))
                    for entry in layer.get("priorities", ())
                )
        return cls(layers, finer)

    def priority(self, span: Span) -> float:
        for category, evidence, priority in self.finer.get(span.layer, ()):
            if category in (None, span.category) and evidence in (None, span.evidence):
                return priority
        return self.layers.get(span.layer, UNDECLARED_PRIORITY)


@functools.lru_cache(maxsize=1)
def default_ranking() -> Ranking:
    """The ranking the shipped ``layers.yaml`` declares (the engine reads its own config; this serves ``resolve``
    called on its own)."""
    return Ranking.from_config(yaml.safe_load(LAYERS_YAML.read_text(encoding="utf-8")))


# What a layer may declare about its findings in layers.yaml (``capabilities``): a step that treats some findings
# apart reads the declaration of the layer that found them, never that layer's name, so a renamed or a new layer
# declares what it is and is treated as such
CAPABILITIES: Mapping[str, str] = {
    "shaped": "its findings are identifiers by their shape (an address, a phone, a date): the center's own name inside "
    "one does not cut it, and a chart note's vocabulary never drops one",
    "call_talk_organisations": "its treatment-center, clinic and employer findings without a dictionary id are "
    "shapes of call talk: in a chart note they are dropped before the merge",
    "call_talk_places": "its findings its recognizers mark with a call_talk_shape (CALL_TALK_SHAPES: a street, a "
    "cued word) are shapes of call talk, judged in a chart note before the merge (a street with no street type "
    "written out, a cue before a drug or a dictionary word)",
    "organisation_names": "its program, carrier and facility findings name the whole organisation, which "
    "names_said_again masks where it recurs by its first words",
}


@dataclass(frozen=True)
class Capabilities:
    """The capabilities each layer of a chain declares (``CAPABILITIES`` says what each means)."""

    by_layer: Mapping[str, frozenset[str]]

    @classmethod
    def from_config(cls, config: dict) -> "Capabilities":
        by_layer = {}
        for layer in config["layers"]:
            declared = layer.get("capabilities") or []
            unknown = sorted(set(declared) - set(CAPABILITIES))
            if unknown:
                raise ValueError(
                    f"layer {layer.get('name')!r} declares unknown capabilities {unknown}; known: {sorted(CAPABILITIES)}"
                )
            by_layer[layer.get("name")] = frozenset(declared)
        return cls(by_layer)

    def of(self, span: Span, capability: str) -> bool:
        """Whether the layer that found ``span`` declares ``capability``."""
        return capability in self.by_layer.get(span.layer, ())


@functools.lru_cache(maxsize=1)
def default_capabilities() -> Capabilities:
    """The capabilities the shipped ``layers.yaml`` declares (for a step called on its own, outside the engine)."""
    return Capabilities.from_config(yaml.safe_load(LAYERS_YAML.read_text(encoding="utf-8")))


def _rank(span: Span, ranking: Ranking) -> tuple:
    # a canonical dictionary hit ("[INSURER:aetna]") labels the merged span whatever found the rest of it
    return (
        0 if span.canonical else 1,
        ranking.priority(span),
        _CATEGORY_PRIORITY.get(span.category, 99),
        -(span.end - span.start),
    )


def protected_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges no span may cover: newlines and the ``agent:``/``caller:`` turn prefixes."""
    # a speaker label (``turns.LABEL``) is transcript structure, never an identifier
    regions = [(m.start(), m.end()) for m in LABEL.finditer(text) if m.end() > m.start()]
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
            out.append(Span(s, e, span.category, span.layer, span.canonical, span.recognizer, span.evidence))
    return out


def resolve(spans: list[Span], text: str, ranking: Ranking | Mapping[str, float] | None = None) -> list[Span]:
    """Merge overlapping findings into their union (recall first), labelled by the most trusted finding.

    ``ranking`` (lower is more trusted) is what ``layers.yaml`` declares (``Ranking``; the engine passes the one its
    config declares); a plain mapping gives layer priorities only; without it, ``default_ranking()``.

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
    if ranking is None:
        ranking = default_ranking()
    elif not isinstance(ranking, Ranking):
        ranking = Ranking(dict(ranking))
    for group in groups:
        if len(group) == 1:
            merged.append(group[0])  # most groups are one finding: nothing to rank
            continue
        best = min(group, key=lambda s: _rank(s, ranking))
        start, end = min(s.start for s in group), max(s.end for s in group)
        merged.append(Span(start, end, best.category, best.layer, best.canonical, best.recognizer, best.evidence))
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
