"""A drug said with its release form and its strength is a dose, never an identifier (session 15, rules15).

"Adderall XR 20", "Wellbutrin SR 150", "seroquel xr three hundred", "Depakote ER 500 milligrams": the release form
("XR", "SR", "ER", "XL", "CR", "LA", "ODT", "DR", in either case) reads to the other layers as a road ("SR 150": State
Route 150), an emergency room or a clinic ("Depakote ER"), a name the allow list does not know ("XR 20") or a learned
identifier, and Tier 3 counts the drug only where it survives. This is the one place that says so: a step before the
merge (``layers.yaml``) takes every layer's finding off the phrase, whichever layer found it, and drops a finding left
with nothing but function words and punctuation. The drug must be one ``words.drug_words`` lists, and the form must be
followed by a strength (digits, a decimal, or number words, with an optional unit), so a real State Route after any
other word ("off SR 150 past the dollar store", "state route 9") and a release form said alone stay as they were.

Without a release form ("zoloft 50", "suboxone eight", "concerta 36 mg") the phrase is a dose too (session 15, the
integrator): on caseless text the learned layer read "<unknown word> <number>" as a road and masked "zoloft 50 and
lexapro 10" whole. The bare form is read only for a drug of five letters or more that is no given name or surname
("molly 3", "crystal 12") and the sections written for charts ("extubated 11/02") keep the release form's stricter
reading, as do street drugs and drinks ("heroin 20 years"); a number followed by a slash or a colon is a date or a time ("heparin 2/7"), not a strength.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from cipher_pipeline.deid.rules import NUM_WORD
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.words import FUNCTION_WORDS, drug_words

RELEASE_FORMS = ("xr", "sr", "er", "xl", "cr", "la", "odt", "dr")
# A strength is at most three number words ("three hundred", "twenty five", "one point five"), and is not followed by
# more digits or number words: "seroquel 555 0142" or "suboxone five five five zero one four two" is a number said
# after a drug, and stays with the layers that read numbers.
_STRENGTH = (
    rf"(?:\d{{1,4}}(?:\.\d{{1,3}})?|{NUM_WORD}(?:[\s-]+{NUM_WORD}|\s+point\s+{NUM_WORD}){{0,2}})"
    r"(?:\s*(?:mg|mgs|milligrams?|mcg|micrograms?|grams?|g)\b)?"
    rf"(?![\s,-]*(?:\d|{NUM_WORD}\b))(?![/:]\d)"  # "heparin 2/7", "lasix 6/30": a date or a time, not a strength
)


def _alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=1)
def _bare_drugs() -> frozenset[str]:
    """Medications whose name alone before a number reads as a dose: five letters or more, no person's name, none of
    the street drugs or drinks, and none of the chart sections' words."""
    from cipher_pipeline.deid.names import first_names, surnames  # names' lists load faker: only when a drug is said

    people = first_names() | surnames()
    return frozenset(w for w in drug_words(charts=False, substances=False) if len(w) >= 5 and w.isalpha() and w not in people)


@functools.lru_cache(maxsize=1)
def _phrase() -> re.Pattern[str]:
    forms = "|".join(RELEASE_FORMS)
    with_form = rf"(?:{_alternation(drug_words())})[\s-]+(?:{forms})(?:[\s-]+|-?(?=\d))"
    bare = rf"(?:{_alternation(_bare_drugs())})(?:[\s-]+|-?(?=\d))"
    return re.compile(rf"(?<![\w'-])(?:{with_form}|{bare}){_STRENGTH}(?![\w'-])", re.I)


def drug_strength_ranges(text: str) -> list[tuple[int, int]]:
    """Where a listed drug is said with a strength, after its release form or, for most drugs, without one."""
    if drug_words().isdisjoint(w.lower() for w in re.findall(r"[A-Za-z]+", text)):
        return []  # most texts name no drug: skip the long pattern
    return [(m.start(), m.end()) for m in _phrase().finditer(text)]


# How often a dose is taken, said right after it ("suboxone 8 twice a day"): a finding cut at the dose that keeps only
# these, function words and punctuation held no identifier.
SCHEDULE_WORDS = frozenset(
    "once twice thrice daily nightly weekly times time day days night nights morning mornings evening evenings bedtime "
    "tab tabs tablet tablets pill pills strip strips film films shot shots dose doses".split()
)


def _only_glue(piece: str) -> bool:
    """Nothing left worth masking: function words, a dose's schedule words, fillers, punctuation."""
    words = re.findall(r"[A-Za-z']+", piece)
    return all(w.lower() in FUNCTION_WORDS or w.lower() in SCHEDULE_WORDS for w in words) and not re.search(r"\d", piece)


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
