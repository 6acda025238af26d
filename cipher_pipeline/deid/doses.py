"""A drug said with its release form and its strength is a dose, never an identifier (session 15, rules15).

"Adderall XR 20", "Wellbutrin SR 150", "seroquel xr three hundred", "Depakote ER 500 milligrams": the release form
("XR", "SR", "ER", "XL", "CR", "LA", "ODT", "DR", in either case) reads to the other layers as a road ("SR 150": State
Route 150), an emergency room or a clinic ("Depakote ER"), a name the allow list does not know ("XR 20") or a learned
identifier, and Tier 3 counts the drug only where it survives. This is the one place that says so: a step before the
merge (``layers.yaml``) takes every layer's finding off the phrase, whichever layer found it, and drops a finding left
with nothing but function words and punctuation. The drug must be one ``words.drug_words`` lists, and the form must be
followed by a strength (digits, a decimal, or number words, with an optional unit), so a real State Route after any
other word ("off SR 150 past the dollar store", "state route 9") and a release form said alone stay as they were.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from cipher_pipeline.deid.rules import NUM_WORD
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.words import FUNCTION_WORDS, drug_words

RELEASE_FORMS = ("xr", "sr", "er", "xl", "cr", "la", "odt", "dr")
_STRENGTH = (
    rf"(?:\d{{1,4}}(?:\.\d{{1,3}})?|{NUM_WORD}(?:[\s-]+{NUM_WORD}|\s+point\s+{NUM_WORD})*)"
    r"(?:\s*(?:mg|mgs|milligrams?|mcg|micrograms?|grams?|g)\b)?"
)


@functools.lru_cache(maxsize=1)
def _phrase() -> re.Pattern[str]:
    drugs = "|".join(sorted((re.escape(w) for w in drug_words()), key=lambda w: (-len(w), w)))
    forms = "|".join(RELEASE_FORMS)
    return re.compile(rf"(?<![\w'-])(?:{drugs})[\s-]+(?:{forms})(?:[\s-]+|-?(?=\d)){_STRENGTH}(?![\w'-])", re.I)


def drug_strength_ranges(text: str) -> list[tuple[int, int]]:
    """Where a listed drug is said with a release form and a strength."""
    if not re.search(r"(?<![\w'-])(?:xr|sr|er|xl|cr|la|odt|dr)(?![\w'-])", text, re.I):
        return []  # most texts name no release form: skip the long pattern
    return [(m.start(), m.end()) for m in _phrase().finditer(text)]


def _only_glue(piece: str) -> bool:
    """Nothing left worth masking: function words, fillers, punctuation."""
    return all(w.lower() in FUNCTION_WORDS for w in re.findall(r"[A-Za-z']+", piece)) and not re.search(r"\d", piece)


def drug_strengths(text: str, spans: list[Span]) -> list[Span]:
    """Every finding minus the drug-strength phrases it overlaps (see the module's docstring)."""
    ranges = drug_strength_ranges(text)
    if not ranges:
        return spans
    out: list[Span] = []
    for span in spans:
        pieces = [(span.start, span.end)]
        for a, b in ranges:
            pieces = [p for s, e in pieces for p in ((s, min(e, a)), (max(s, b), e)) if p[0] < p[1]] if any(
                s < b and a < e for s, e in pieces) else pieces
        if pieces == [(span.start, span.end)]:
            out.append(span)
            continue
        for s, e in pieces:
            piece = text[s:e]
            if _only_glue(piece):
                continue
            lead = len(piece) - len(piece.lstrip(" ,.;:-"))
            trail = len(piece) - len(piece.rstrip(" ,.;:-"))
            out.append(replace(span, start=s + lead, end=e - trail))
    return out
