"""Session 16 (vertical16, issue 8): the regional insurance market listed state by state, and the facility and
program shapes widened. Every sentence is invented (no corpus sentence); each positive case failed on main ac146fa,
and each has a guard of the same shape that must stay as it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor


def _spans(redactor: Redactor, text: str):
    text = text.replace("\\n", "\n")
    text = text if text.endswith("\n") else text + "\n"
    return [(text[s.start : s.end], s.category, s.canonical) for s in redactor.redact(text).spans]


# ------------------------------------------------------------ the regional market, said outside the insurance question
@pytest.mark.parametrize(
    "name, canonical",
    [
        ("firstcare health plans", "firstcare_health_plans"),  # TX Medicaid / CHIP plan
        ("Health Colorado", "health_colorado"),  # CO regional accountable entity
        ("freedom blue", "bcbs"),  # PA Medicare Advantage product (Highmark)
        ("BlueOptions", "bcbs"),  # FL marketplace product (Florida Blue)
        ("generations advantage", "martins_point"),  # ME / NH Medicare Advantage product
        ("summacare", "summacare"),  # OH carrier
        ("Community Care Behavioral Health", "community_care_behavioral_health"),  # PA behavioral-health plan
        ("connectorcare", "massachusetts_health_connector"),  # MA subsidised marketplace program
        ("EOCCO", "moda_health"),  # OR coordinated care organisation
        ("Humana Medical Plan", "humana"),  # FL Medicaid plan
    ],
)
def test_a_regional_plan_said_in_passing_is_its_carrier(redactor, name, canonical):
    text = f"caller: my brother switched to {name} last month, the new card came"
    hits = [(got, canonical_id) for got, cat, canonical_id in _spans(redactor, text) if cat == "INSURER"]
    assert (name, canonical) in hits, hits


@pytest.mark.parametrize(
    "text, word",
    [
        ("agent: address\\ncaller: it's the yellow house on the corner", "address"),  # a carrier's sound-alike
        ("caller: he hurt his back at the keystone plant last year", "keystone"),  # no carrier's form
        ("caller: we went to the community blue grass festival", "community"),  # an ambiguous product, no cue
        ("caller: he wore the security blue shirt at work", "security"),
        # a brand joined from everyday words is not listed alone: said apart in insurance talk they are the words
        ("caller: my insurance card is here. he needs care plus a place to stay", "care plus"),
        ("caller: my insurance card is here. first care for him is detox", "first care"),
        ("caller: my insurance card is here. she needs all care, day and night", "all care"),
    ],
)
def test_ordinary_words_near_the_new_names_stay_no_carrier(redactor, text, word):
    assert not any(word in got.lower() and cat == "INSURER" for got, cat, _ in _spans(redactor, text))


# ------------------------------------------------------------------------------------ facilities by their heads
@pytest.mark.parametrize(
    "text, name",
    [
        # a school with a name's word before a generic one, or two words a name is made of where the talk is school
        ("caller: she was the best swimmer in her class at okee county high before all this", "okee county high"),
        ("caller: he's a junior at maple hollow high in town, the coach called me", "maple hollow high"),
        # a facility said alone, at a turn's start or after a full stop, where the talk is of what it is
        ("caller: i'm in the school office. kessler high. the principal is here with me", "kessler high"),
        ("caller: Brookfield Regional in Dover. I'm on the third floor, the nurse gave me the phone", "Brookfield Regional"),
        # a county's trial court by its kind
        ("caller: his hearing is in meigs county common pleas court on the ninth", "meigs county common pleas court"),
        ("caller: she has a date in harlan county general sessions court next week", "harlan county general sessions court"),
    ],
)
def test_a_facility_the_shapes_missed_is_masked(redactor, text, name):
    assert any(name in got for got, _, _ in _spans(redactor, text)), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: he goes to the county high, he's a senior", "high"),  # a generic word only before the head
        ("caller: i'm at school. high school is hard. my coach is here", "high"),
        ("caller: we were at the party getting high and the coach found out", "high"),
        ("caller: off campus college is cheaper for him, the school said", "college"),
        ("caller: Northern Regional. that's the conference his team plays in", "Regional"),  # no hospital talk
        ("caller: the county common pleas court sent a letter", "court"),  # no name before the county
        ("caller: i'm the court liaison for meigs county common pleas court", "liaison"),  # the role is no name
    ],
)
def test_facility_heads_without_a_name_stay_readable(redactor, text, word):
    assert not any(word in got for got, _, _ in _spans(redactor, text)), _spans(redactor, text)


# ------------------------------------------------------------------ a name begun, then said in full right away
@pytest.mark.parametrize(
    "text, short",
    [
        ("agent: which plan?\\ncaller: community health plan, community health plan of washington", "community health plan"),
        ("caller: he switched to horizon, uh, horizon blue cross blue shield last year", "horizon"),
        ("agent: which plan?\\ncaller: first choice. i mean first choice by select health", "first choice"),
    ],
)
def test_a_carrier_begun_then_said_in_full_is_the_carrier(redactor, text, short):
    assert any(got == short and cat == "INSURER" for got, cat, _ in _spans(redactor, text)), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, short",
    [
        # the same words said apart from the full name are ordinary words
        ("caller: we wanted a community health plan, but he has community health plan of washington now", "community health plan"),
        ("caller: the card says horizon blue cross. horizon was the old name of the plan", "horizon"),
    ],
)
def test_shared_words_said_apart_from_the_full_name_stay(redactor, text, short):
    spans = _spans(redactor, text)
    assert not any(got == short for got, _, _ in spans), spans
