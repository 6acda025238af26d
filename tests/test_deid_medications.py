"""Medications callers name stay readable (issue 8's precision; Tier 3's drug counts).

Before session 15, 82 of about a hundred medications an admissions line hears (ADHD stimulants, antidepressants,
antipsychotics, mood stabilisers, sleep and detox comfort medications) were masked as unknown words or by the NER
model, so a caller's "she's on Latuda and Trileptal" reached Tier 2 as two places. ``clinical_safe.txt`` now lists
them in a medications section, which also makes them drugs for the dose class (``doses.py``). Every sentence here is
invented; the guards check that a person or a place beside a medication is still masked.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.doses import drug_strength_ranges
from cipher_pipeline.deid.words import LEXICON_DIR, drug_words
from tests.test_deid_call_classes import _covered, _readable


def _added_section() -> list[str]:
    lines = (LEXICON_DIR / "clinical_safe.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# --- more medications callers name"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("# ---"))
    return [w for w in lines[start + 1 : end] if w and not w.startswith("#")]


def test_the_section_is_read_as_drugs():
    added = _added_section()
    assert len(added) >= 80
    assert set(added) <= drug_words()


def test_every_added_medication_survives_said_in_lower_case_and_capitalised(redactor):
    added = _added_section()
    lower = "\n".join(f"caller: and he takes {w} every day now" for w in added) + "\n"
    cased = "\n".join(f"Caller: And he takes {w.capitalize()} every day now." for w in added) + "\n"
    for text in (lower, cased):
        result = redactor.redact(text)
        masked = [text[s.start : s.end] for s in result.spans]
        assert masked == [], masked


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: she was on focalin xr 10 and concerta 36, then intuniv 2 mg", "focalin xr 10 and concerta 36, then intuniv 2 mg"),
        ("Caller: The psychiatrist switched her from Latuda to Vraylar last spring.", "from Latuda to Vraylar"),
        ("caller: detox gave him zofran and robaxin and he still couldn't sleep", "zofran and robaxin"),
    ],
)
def test_medications_in_a_sentence_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


@pytest.mark.parametrize(
    "text,phrase",
    [
        # a prescriber's surname beside the drug is still a name
        ("Caller: Dr. Okonkwo-Brandt started him on Trileptal in March.", "Okonkwo-Brandt"),
        # a town the pharmacy is in is still a place
        ("caller: we fill his sertraline at the pharmacy in quillmont", "quillmont"),
        # the added medications are read exactly: a name an edit or two from one is not forgiven as a misheard drug
        ("Caller: My sister Concetta drove me to the ER.", "Concetta"),
        ("caller: my cousin bentley is the one who found him", "bentley"),
        # a made-up word the lists do not know is masked as before: the list adds medications, it is not a pattern
        ("caller: he takes something called vorquellix every night", "vorquellix"),
    ],
)
def test_what_sits_beside_a_medication_is_still_masked(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


# ------------------------------------------------------------------ a drug's strength without a release form
@pytest.mark.parametrize(
    "text,readable",
    [
        # on caseless text the learned layer read "<drug> <number>" as a road and masked the pair whole
        ("caller: he takes zoloft 50 and lexapro 10 in the morning", "zoloft 50 and lexapro 10"),
        ("caller: suboxone 8 twice a day and seroquel 100 at night", "suboxone 8 twice a day and seroquel 100"),
        ("caller: she was on concerta 36 then intuniv 2", "concerta 36 then intuniv 2"),
    ],
)
def test_a_drug_with_its_strength_is_a_dose(redactor, text, readable):
    assert _readable(redactor, text, readable)


@pytest.mark.parametrize(
    "text",
    [
        "call molly 3 times",  # a drug that is also a given name keeps the release form's stricter reading
        "crystal 12 years old",
        "co 2 on the chart",  # the chart's shorthand
        "seroquel 555 0142",  # more digits after it: a number said after a drug, not a strength
        "suboxone five five five zero one four two",
        "restarted coumadin 5/12 per team",  # a slash after the number: a date, not a strength
        "extubated 11/02 this am",  # the chart sections' words are not drugs to the bare form
        "on heroin 20 years now",  # nor are street drugs and drinks
    ],
)
def test_no_bare_dose_where_the_word_is_a_name_shorthand_or_a_longer_number(text):
    assert drug_strength_ranges(text) == []


def test_a_phone_number_said_after_a_drug_is_still_masked(redactor):
    assert _covered(redactor, "caller: the seroquel 555 0142 is the pharmacy line", "555 0142")
