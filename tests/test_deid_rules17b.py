"""Session 17 (rules17b, issue 8): dates anchored to named days and local events, a bare ordinal after a verb that
schedules, and what trails a description of one person (rules16b's false tokens).

Every example is invented here, with other days, events, roles and places than the development calls that showed each
class. Each positive case failed on main before this change (3d6a8de); the guards beside them are the same shape with
no date or no one singled out, and must stay readable.
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


# ------------------------------------------------------------------------- named days the holiday list lacked
@pytest.mark.parametrize(
    "text,day",
    [
        ("caller: he got picked up on pearl harbor day drunk at the vfw", "pearl harbor day"),
        ("caller: she was born on v-e day the anniversary one", "v-e day"),
        ("caller: september twenty second the first day of fall she says", "first day of fall"),
        ("Caller: He came home on the winter solstice, the longest night.", "winter solstice"),
        ("Caller: His birthday is Patriot Day, so it's a hard one.", "Patriot Day"),
        # a listed regional day said with its Hawaiian vowels
        ("caller: born on prince kūhiō day he always says", "kūhiō day"),
    ],
)
def test_a_named_day_of_the_calendar_is_a_date(redactor, text, day):
    assert _covered(redactor, text, day)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("Caller: The first day of detox was the worst.", "The first day of detox was the worst"),
        ("caller: the first day of school he was fine", "the first day of school"),
        ("Caller: He likes the spring weather out here.", "the spring weather"),
    ],
)
def test_a_first_day_of_something_else_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------------- a local event said as a time
@pytest.mark.parametrize(
    "text,event",
    [
        ("caller: he started using again the week after the peach festival", "peach festival"),
        ("Caller: She was doing fine until homecoming, then it got bad.", "homecoming"),
        ("caller: it was around the county fair he stopped going", "county fair"),
        ("Caller: He was born during Okra Days over in the next county.", "Okra Days"),
        ("caller: he's been drinking since the rodeo", "rodeo"),
        ("Caller: The Saturday after prom she didn't come home.", "prom"),
        ("caller: she was clean till fall break", "fall break"),
    ],
)
def test_a_local_event_said_as_a_time_is_a_date(redactor, text, event):
    assert _covered(redactor, text, event)


@pytest.mark.parametrize(
    "text,readable",
    [
        # no time cue: the event as a place or a thing
        ("Caller: We met at the county fair years ago.", "at the county fair years ago"),
        ("caller: she sold pies at the peach festival", "at the peach festival"),
        # "fair" as a word, after a cue
        ("Caller: After a fair hearing he got probation.", "a fair hearing"),
        # a count of days, capitalised at a sentence's start
        ("Caller: After Two Days he left the shelter.", "Two Days"),
        # a person's own event
        ("caller: after my cousin's prom he drank", "my cousin's prom"),
    ],
)
def test_an_event_with_no_time_cue_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------ a bare ordinal after a verb that schedules
@pytest.mark.parametrize(
    "text,day",
    [
        ("caller: she moves out the first and has nowhere to go", "the first"),
        ("Caller: If he starts the 2nd, his court date is after that.", "the 2nd"),
        ("caller: rent's due the first so we have to hurry", "the first"),
        ("caller: the lease ends the second and then we're out", "the second"),
    ],
)
def test_a_bare_ordinal_after_a_scheduling_verb_is_a_date(redactor, text, day):
    assert _covered(redactor, text, day)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: she starts the first grade in the fall", "the first grade"),
        ("Caller: He was kicked out the first time too.", "the first time"),
        ("caller: she starts the second semester at the college", "the second semester"),
        ("caller: he moves the first one and then he stops", "the first one"),
    ],
)
def test_an_ordinal_of_something_else_after_the_verb_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# -------------------------------------------- what trails a description of one person (rules16b's false tokens)
@pytest.mark.parametrize(
    "text,description,tail",
    [
        ("caller: she's the only vet doing large animals most nights and she's tired",
         "the only vet doing large animals", "most nights"),
        ("Caller: He's the only farrier shoeing the draft teams for them, so they'd know.",
         "the only farrier shoeing the draft teams", "for them"),
        ("caller: she's the only welder who does pipe there", "the only welder who does pipe", "there"),
    ],
)
def test_what_trails_a_description_stays_readable(redactor, text, description, tail):
    assert _covered(redactor, text, description)
    assert _readable(redactor, text, tail)


@pytest.mark.parametrize(
    "text,description",
    [
        # the same words inside the description, not trailing it, stay part of it
        ("caller: she's the only nurse who works there on weekends so", "the only nurse who works there on weekends"),
        ("caller: he's the only one who hauls for them on sundays so", "the only one who hauls for them on sundays"),
    ],
)
def test_the_same_words_inside_a_description_are_part_of_it(redactor, text, description):
    assert _covered(redactor, text, description)
