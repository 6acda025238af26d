"""Vertical classes added in session 12 (vertical12, issue 8): the local office of probation or parole said by its
place, county or tribe, and small employers named by the heads of their trade. Every case is invented (no corpus
sentence), and each class has guards of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor


def _spans(redactor: Redactor, text: str) -> list[str]:
    text = text.replace("\\n", "\n") + "\n"
    return [text[s.start : s.end] for s in redactor.redact(text).spans]


def _covered(redactor: Redactor, text: str, phrase: str) -> bool:
    return any(phrase in got for got in _spans(redactor, text))


def _untouched(redactor: Redactor, text: str, word: str) -> bool:
    return not any(word in got.split() for got in _spans(redactor, text))


# ------------------------------------------------------------ probation and parole offices by place, county or tribe
@pytest.mark.parametrize(
    "text, office",
    [
        ("caller: his agent at oneida tribal probation wants an update", "oneida tribal probation"),
        ("caller: she reports to stark county adult parole every week", "stark county adult parole"),
        ("Caller: Her officer works out of the Fresno District Office downtown.", "Fresno District Office"),
        ("caller: we got a letter from the yuma field office about her parole", "yuma field office"),
        ("Caller: I'm with Navajo Tribal Probation, calling about a client.", "Navajo Tribal Probation"),
    ],
)
def test_a_local_supervision_office_by_its_place_is_a_facility(redactor, text, office):
    assert _covered(redactor, text, office), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: she's on federal probation till march", "probation"),
        ("caller: he's on drug court probation and doing good", "probation"),
        ("caller: he got medical parole last year", "parole"),
        ("caller: she's on felony probation and parole", "parole"),
        ("caller: the district office said he has to call every week", "office"),
        ("caller: ray kowalczyk parole officer for the state told him to call", "parole"),
    ],
)
def test_a_kind_of_supervision_or_an_officers_role_stays(redactor, text, word):
    assert _untouched(redactor, text, word), _spans(redactor, text)


# ------------------------------------------------------------ small employers by their trade's head
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: i drive for mesa sand and gravel out of pueblo", "mesa sand and gravel"),
        ("caller: i work on a rig for high plains well service", "high plains well service"),
        ("caller: she owns lucky nails and spa by the mall", "lucky nails and spa"),
        ("Caller: He hauls for Redrock Sand & Gravel now.", "Redrock Sand & Gravel"),
        ("caller: we drove for coyote creek growers two seasons", "coyote creek growers"),
    ],
)
def test_an_employer_named_by_its_trades_head_is_a_facility(redactor, text, employer):
    assert _covered(redactor, text, employer), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: i drive for a living, long haul", "living"),
        ("caller: we drove for two hours to get here", "hours"),
        ("caller: he works on a rig for weeks at a time, well, that's the job", "well"),
        ("caller: she went to the nail salon and the spa for her birthday", "spa"),
        ("caller: they sell sand and gravel by the yard", "gravel"),
        ("caller: he owns a truck and runs it himself", "truck"),
    ],
)
def test_trade_words_and_driving_said_plainly_stay(redactor, text, word):
    assert _untouched(redactor, text, word), _spans(redactor, text)


# ------------------------------------------------------------ the payer lexicon: derived forms and new entries
def _insurer(redactor: Redactor, text: str, phrase: str) -> str | None:
    text = text.replace("\\n", "\n") + "\n"
    for s in redactor.redact(text).spans:
        if s.category == "INSURER" and phrase in text[s.start : s.end]:
            return s.canonical
    return None


def test_derived_forms_say_and_for_ampersand_and_the_state_for_its_code():
    from cipher_pipeline.deid.lexicon import _derived_forms

    assert "Pennsylvania Health and Wellness" in _derived_forms("PA Health & Wellness")
    assert "Pennsylvania Health & Wellness" in _derived_forms("PA Health & Wellness")
    assert _derived_forms("Humana") == []
    assert _derived_forms("OK Boomer Health") == ["Oklahoma Boomer Health"]  # a code only where it leads the name
    assert _derived_forms("Plan OK") == []


@pytest.mark.parametrize(
    "text, phrase, carrier",
    [
        ("agent: insurance\\ncaller: pennsylvania health and wellness, through the state", "pennsylvania health and wellness", "centene"),
        ("agent: insurance\\ncaller: the arkansas health and wellness one", "arkansas health and wellness", "centene"),
        ("agent: what insurance\\ncaller: medstar family choice i think", "medstar family choice", "medstar_family_choice"),
        ("agent: insurance\\ncaller: she's got vista health plan", "vista health plan", "vista_health_plan"),
        ("agent: insurance\\ncaller: network health, through his work", "network health", "network_health"),
        ("caller: the va sent us through the community care network for this", "community care network", "va_health"),
        ("agent: any insurance\\ncaller: florida kidcare for the little one", "florida kidcare", "medicaid"),
    ],
)
def test_payers_the_country_wide_check_found_missing_are_insurers(redactor, text, phrase, carrier):
    assert _insurer(redactor, text, phrase) == carrier, _spans(redactor, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: the network health team at the hospital was great", "network"),
        ("caller: all kids deserve a calm house, that's what i want", "kids"),
        ("caller: she has a quartz necklace from her grandma", "quartz"),
        ("caller: the blue select shirts are on sale", "select"),
    ],
)
def test_everyday_words_of_new_payer_names_need_an_insurance_cue(redactor, text, word):
    assert _untouched(redactor, text, word), _spans(redactor, text)


# ------------------------------------------------------------ a workplace said by its kind, then by its name
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: he works at the potash mine, red mesa minerals", "red mesa minerals"),
        ("agent: insurance\\ncaller: aetna through the plant, cold creek foods. his id is on the card", "cold creek foods"),
        ("caller: he drives a truck. the company, um lone pine freight lines in laramie, they fired him", "lone pine freight lines"),
    ],
)
def test_a_workplace_named_after_its_kind_is_a_facility(redactor, text, employer):
    assert _covered(redactor, text, employer), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: he works at the plant, second shift", "shift"),
        ("caller: she's at the warehouse, forklift driver.", "forklift"),
        ("caller: he's at the mine, monday through friday", "monday"),
        ("caller: he works at the refinery, mostly nights", "mostly"),
        ("caller: the company, they don't care about him", "care"),
        ("caller: he was at the plant, like ten years", "years"),
    ],
)
def test_a_shift_role_or_time_after_a_workplace_stays(redactor, text, word):
    assert _untouched(redactor, text, word), _spans(redactor, text)
