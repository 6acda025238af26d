"""Places in the raw and projected styles (session 20, branch geo20): a near-miss of a grammar that exists. A road and
the landmark said with it are one place ("<road> by the <x> auction", "<street> across from the opera house": five
development sources); after a road, a landmark named only by its kind, with "the" and a word that says which one
("<road> past the sorting house", "<street> across from the old cannery", "<street> by the border patrol office"), was left
out because the landmark grammar wanted a name word before the head.

Every example is invented here, with other towns, roads and landmarks than the calls that showed the class. Each
positive case fails on main before this change; the guard cases are the nearest everyday phrases that must stay
readable."""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


# ------------------------------------------------------------------- a landmark named by its kind after a road
@pytest.mark.parametrize(
    "text,place",
    [
        ("caller: we're out off county road nine past the sorting house", "county road nine past the sorting house"),
        ("caller: on highway three forty past the peach place, the blue trailer", "highway three forty past the peach place"),
        ("caller: he stays with his aunt on elm street across from the old cannery.", "elm street across from the old cannery"),
        ("caller: she's on second avenue by the border patrol office, the new one", "second avenue by the border patrol office"),
    ],
)
def test_a_road_with_a_landmark_named_by_its_kind_is_one_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        # no head of a landmark after the road: a time, a manner
        ("caller: i was on elm street by the time he called", "by the time"),
        ("caller: he lives on elm street by the way, near his mom", "by the way"),
        # a kind of place where one is treated or lives, named by nothing more, stays readable
        ("caller: she lives on oak street by the hospital now", "by the hospital"),
        ("caller: he's on oak street near the big church", "near the big church"),
        # a landmark's head alone after a road says no more than the road does
        ("caller: off cedar road, by the river, the blue house", "the river"),
        ("caller: it's parked on mill creek road near the mill. no address", "the mill"),
        # no road before it: a landmark by its kind alone places nobody ("the store by the church" in a story)
        ("caller: he relapsed at the store by the church last year", "the store by the church"),
    ],
)
def test_a_kind_of_place_after_a_road_without_a_landmark_head_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------- Main Street said without its type
@pytest.mark.parametrize(
    "text,place",
    [
        ("caller: she rents the blue house on main, across from the bank", "main"),
        ("caller: we're by main and sycamore, at the bus stop", "main and sycamore"),
        ("Caller: He lives in Marlow on West Main, above the bakery.", "West Main"),
        ("caller: no, it's north main. the other end of town", "north main"),
    ],
)
def test_main_street_without_its_type_is_a_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        # before a noun "main" is the adjective, whatever word comes before it
        ("caller: she's on main campus this semester", "main campus"),
        ("Caller: He's on the east main unit, bed four.", "east main unit"),
        ("caller: call the main desk and ask for the charge nurse", "the main desk"),
        ("caller: the main thing is he's scared", "the main thing"),
        # no street cue or compass direction before it
        ("caller: that's the main. call the other one", "the main."),
        # a function word after "and" is no cross street: only "main" is the place
        ("caller: go on main and then left at the light", " and then left"),
    ],
)
def test_main_as_an_adjective_or_without_a_street_cue_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------- what anyone did, before a found street
def test_what_anyone_used_to_do_at_a_place_on_a_street_is_no_description(redactor):
    # a place on a street found after it made "the lady who used to work at" a one-person description on main; what
    # anyone does, done as a habit in the past, singles no one out
    text = "Caller: She's the lady who used to work at the diner on Oak Street."
    assert _readable(redactor, text, "the lady who used to work at")
    assert not _readable(redactor, text, "Oak Street")


def test_a_feat_done_in_the_past_is_still_a_description(redactor):
    assert _covered(redactor, "caller: he's the one who used to carve the totems on the ferry dock", "the one who used to carve the totems on")


@pytest.mark.parametrize(
    "text, place, grows",
    [
        # read20: a road's number closes it; a town whose first word is a street type's abbreviation is no road, and
        # nor is a place a street's name begins ("st joseph", "elm street apartments" took the landmark of its kind)
        ("caller: we live in st joseph across from the old grain yard.", "st joseph", False),
        ("caller: she's at the elm street apartments across from the old grain yard.", "elm street apartments", False),
        ("caller: he lives on route 9 across from the old grain yard.", "route 9", True),
        ("caller: he lives off county road nine past the old grain yard.", "county road nine", True),
    ],
)
def test_a_landmark_by_its_kind_joins_a_road_by_its_type_or_number_only(text, place, grows):
    from cipher_pipeline.deid.geography import grow_places
    from cipher_pipeline.deid.spans import Span

    start = text.index(place)
    spans = grow_places(text, [Span(start, start + len(place), "LOCATION", "geography")])
    joined = any("grain yard" in text[s.start : s.end] for s in spans)
    assert joined == grows, [(text[s.start : s.end], s.recognizer) for s in spans]
