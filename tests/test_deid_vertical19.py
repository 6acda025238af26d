"""Session 19 (evenbvert19, issue 8): the vertical-name classes that calls_dev even-b's misses share with other
development sources: a jail or prison named by its place and a head the facility shapes lacked ("detention facility",
a bare "correctional", a county's "DJJ", a county and "jail" split by a pause); an ambiguous carrier said after a payer
verb ("verify <carrier>", "takes <carrier>") and never after a determiner; a carrier's product tail ("medicare
preferred", a network spelled "p p o", a state's postal code); an employee assistance program by its initials. Every
sentence is invented (no corpus sentence); each positive case fails on main 46a2ef8, and each has a guard of the same
shape that must stay untouched."""

from __future__ import annotations

import pytest

# whether every character of a phrase lies inside spans (of a category), whether any span touches it, and the spans
from tests.test_deid_vertical18 import _covered, _spans, _touched


# ------------------------------------------------------------ a jail or prison by its place and head
@pytest.mark.parametrize(
    "text, facility",
    [
        ("caller: i'm the discharge planner at the moffat county detention facility, he gets out friday", "moffat county detention facility"),
        ("Caller: He got out of Cedar Hollow Correctional in June and relapsed.", "Cedar Hollow Correctional"),
        ("caller: he did eighteen months at granite peak correctional", "granite peak correctional"),
        ("Caller: The Marrow County DJJ worker wants an assessment.", "Marrow County DJJ"),
        ("caller: he's still in the Delta County, jail until the hearing", "Delta County, jail"),
        # a name run before "juvenile" keeps it ("<x> juvenile detention center", as before this session)
        ("caller: she spent a month at tamarack juvenile detention facility", "tamarack juvenile detention facility"),
    ],
)
def test_a_jail_by_its_place_and_head_is_found(redactor, text, facility):
    assert _covered(redactor, text, facility, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he's a correctional officer at the prison up north", "correctional"),
        ("caller: his dad was a state correctional nurse for years", "correctional"),
        ("caller: they kept him in juvenile detention facility for a week", "detention facility"),
        ("caller: he was in youth detention center twice", "detention center"),
        ("caller: he has an open DJJ file from last spring", "DJJ"),
        ("caller: he was in county, jail is no place for him", "jail"),
    ],
)
def test_a_jail_head_without_a_name_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ an ambiguous carrier after a payer verb
@pytest.mark.parametrize(
    "text, carrier",
    [
        ("agent: got it. i'll verify sunflower and text you back tonight", "sunflower"),
        ("agent: okay, our west campus accepts independence, it's a long drive though", "independence"),
        ("agent: thanks. once we've verified magnolia we'll mail the welcome packet", "magnolia"),
        ("caller: he's got that personal choice ppo from his job", "personal choice ppo"),
    ],
)
def test_an_ambiguous_carrier_after_a_payer_verb_is_found(redactor, text, carrier):
    assert _covered(redactor, text, carrier, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("agent: let me verify that with my superior first", "superior"),
        ("caller: she takes her independence seriously", "independence"),
        ("caller: getting sober is a personal choice, his insurance is aetna", "personal choice"),
        ("caller: she takes magnesium at night", "magnesium"),
    ],
)
def test_an_everyday_word_after_a_determiner_is_no_carrier(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ a carrier's product tail
@pytest.mark.parametrize(
    "text, plan",
    [
        ("Caller: My mother is on Aetna Medicare Preferred since last year.", "Aetna Medicare Preferred"),
        ("caller: her card says humana gold h m o on the front", "humana gold h m o"),
        ("Caller: CareFirst DC. The member number is on the back.", "CareFirst DC"),
        ("caller: carefirst dc, the member number is on the back", "carefirst dc"),
    ],
)
def test_a_carriers_product_tail_is_part_of_its_name(redactor, text, plan):
    assert _covered(redactor, text, plan, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("Caller: Aetna preferred providers only, they said.", "preferred providers"),
        ("Caller: It was Aetna OR Cigna, I forget which.", "OR"),
        ("caller: aetna in ohio, through his wife", "in ohio"),
        ("caller: cigna h and m, whatever it is", "and m"),
    ],
)
def test_words_after_a_carrier_that_are_no_product_are_left(redactor, text, words):
    assert not _covered(redactor, text, words, "INSURER"), _spans(redactor, text)


# ------------------------------------------------------------ an employee assistance program by its initials
@pytest.mark.parametrize(
    "text, program",
    [
        ("Caller: Hi, this is Dana from Hollow Creek EAP. We have a referral.", "Hollow Creek EAP"),
        ("caller: hi, this is dana with tamarack valley eap, i have a referral", "tamarack valley eap"),
        ("caller: this is lou from prairie wind eap services, i have someone with me", "prairie wind eap services"),
    ],
)
def test_an_eap_by_its_name_is_found(redactor, text, program):
    assert _covered(redactor, text, program, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he talked to the company eap already", "company eap"),
        ("caller: his work eap gave him five sessions", "work eap"),
        ("caller: the union rep said eap counselors can't prescribe", "eap counselors"),
        ("caller: they offer the eap services through his job", "eap services"),
    ],
)
def test_a_generic_eap_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ read19: a verifying word is a cue only in the name's clause
@pytest.mark.parametrize(
    "text, words",
    [
        # an intake call verifies many things: a "verify" sentences away is no cue for an everyday word
        ("agent: let me verify your date of birth.\ncaller: i simply can't remember it", "simply"),
        ("agent: once we verify everything, it's simply a matter of a bed", "simply"),
        ("caller: he values independence and we verified his id", "independence"),
        ("caller: verification took forever, he wants independence from us", "independence"),
        ("agent: okay, so she's verified. buckeye state is where she grew up", "buckeye"),
    ],
)
def test_a_verifying_word_outside_the_names_clause_is_no_payer_cue(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, carrier",
    [
        ("agent: let me verify with paramount and call you back", "paramount"),
        ("agent: i can run eligibility on magnolia tonight", "magnolia"),
    ],
)
def test_a_verifying_word_a_few_words_before_the_carrier_is_a_payer_cue(redactor, text, carrier):
    assert _covered(redactor, text, carrier, "INSURER"), _spans(redactor, text)
