"""Session 16 (rules16b, issue 8): a description that singles a person out, "<person> is the only <role> ...", said
with no place found after it (rules15's ``quasi_before_found`` then has nothing to stop at), runs to the end of its
clause (quasi.yaml's rules16b pattern). The ninth to eleventh corpora's odd halves showed it.

Every example is invented here, with other roles, words and places than the calls that showed the class. Each positive
case failed on main before this change (48598cb); the guards beside them are the same shape said of an ordinary thing,
a relation, the time itself, or what anyone does, and must stay readable.
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,description",
    [
        # "the only one (there) who" + what singles one out, to a comma before "so"
        ("Caller: I work at the mill. I'm the only one there who restores the pipe organ, so they'd notice.",
         "the only one there who restores the pipe organ"),
        # a role with a shift word, to the full stop
        # (a trailing frequency, "most weeks", is no part of it since rules17b: tests/test_deid_rules17b.py)
        ("Caller: she's the only overnight medic working the county ambulance most weeks. and she took some.",
         "the only overnight medic working the county ambulance"),
        # a filler after the copula; the clause ends at a comma
        ("Caller: he's um the only freshman who ever pitched varsity for them, so everybody knows.",
         "the only freshman who ever pitched varsity"),
        # raw style: no punctuation, "so" ends the clause
        ("caller: i'm the only woman on third shift sanding so yeah", "the only woman on third shift sanding"),
        ("caller: i'm the only guy they got on weekends during harvest so if i go they know",
         "the only guy they got on weekends during harvest"),
        # "night" as a role's word, not the time
        ("Caller: he's the only night clerk at the motel most weeks, so.", "the only night clerk"),
        # "and" before a new subject ends the clause
        # (a trailing beneficiary, "for them", is no part of it since rules17b)
        ("caller: she was the only girl welding pipe for them and everybody there knows her",
         "the only girl welding pipe"),
    ],
)
def test_the_only_role_said_of_a_person_runs_to_its_clause_end(redactor, text, description):
    assert _covered(redactor, text, description)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("Caller: he's the only thing keeping me going, honestly.", "the only thing keeping me going"),
        ("Caller: she's the only one who calls me anymore.", "the only one who calls me anymore"),
        ("Caller: that's the only way I can get there, so.", "the only way I can get there"),
        ("Caller: he's the only friend I have left.", "the only friend I have left"),
        ("Caller: I'm the only one in my family who drinks.", "the only one in my family who drinks"),
        ("Caller: she's the only person I trust.", "the only person I trust"),
        # the time itself, not a role
        ("Caller: she's the only night I slept through.", "the only night I slept through"),
        # no person described: an ordinary program, no personal copula
        ("Caller: it's the only program that takes our insurance, so.", "the only program that takes our insurance"),
        # longer than fourteen words before the clause ends: nothing
        ("caller: he's the only one who ever tried to fix the old pump out back with the blue tape and wire every "
         "single time it broke", "the only one who ever tried"),
    ],
)
def test_an_ordinary_only_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# Session 17 (integrator): quasi.yaml's "the only <x> in/at/on <place>" pattern meant a capitalised place's name, but
# the file's patterns are compiled case-insensitively, so "[A-Z][a-z]+" read any word and every "the only <x> in the
# <room>" was masked (the fourth corpus's development half: token precision 0.919 -> 0.933 with the class read
# case-sensitively, no identifier lost on any development half). A named place and the listed place words still count.
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("Caller: he felt like the only new kid in the building, you know.", "the only new kid in the building"),
        ("Caller: it was the only open window in the house.", "the only open window in the house"),
        ("Caller: she felt like the only sober person at the party.", "the only sober person at the party"),
    ],
)
def test_the_only_thing_in_an_ordinary_place_stays_readable(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,description",
    [
        ("Caller: he was always the only paramedic in Wheeler County.", "the only paramedic in Wheeler County"),
        ("Caller: we know him as the only barber in town, honestly.", "the only barber in town"),
    ],
)
def test_the_only_role_in_a_named_or_listed_place_is_still_masked(redactor, text, description):
    assert _covered(redactor, text, description)
