"""Session 15 (rules15, issue 8): directions given by landmark, the class the ninth corpus's development half showed
and the sixth to eighth corpora's share.

Every example is invented here, with other towns, roads, landmarks and names than the calls that showed the class
(those are scored, never tested against). Each positive case failed on main before this change (aae54fa); the guard
cases beside them are everyday phrases of the same shape that must stay readable, or real roads that must stay masked.
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


# ------------------------------------------------------------------------ a landmark at a found landmark
@pytest.mark.parametrize(
    "text,landmark",
    [
        # the landmark it is at is a found name with a landmark's head, no town the gazetteer knows
        ("caller: you go north on the county road, past the feed store at the Quillan bridge, then left.",
         "feed store at the Quillan bridge"),
        # "next to", "across from" and "behind" join the two as "by" does
        ("caller: she's living in a camper behind the tire shop next to the Ransom bridge", "tire shop next to the Ransom bridge"),
        # after "in", a landmark's head or a lot with a word that is not generic
        ("caller: they found him passed out in his truck in the Harlan Foods lot on Route 31.", "Harlan Foods lot on Route 31"),
    ],
)
def test_a_landmark_described_by_the_landmark_it_is_at_is_one_place(redactor, text, landmark):
    assert _covered(redactor, text, landmark)


@pytest.mark.parametrize(
    "text,readable",
    [
        # "in" a car, a room or a generic lot places nobody at a landmark
        ("caller: i was in the car on route 9 when he called", "in the car on"),
        ("caller: he overdosed in the parking lot at Brookfield Mall last week", "in the parking lot at"),
        # a chain alone is no landmark that places someone
        ("caller: we met at the diner by the Walmart.", "at the diner by the"),
        # over the phone is no place
        ("caller: he talked to me over the phone at the shop on Route 9", "over the phone at the"),
        # a kind of place where one lives or is treated stays readable
        ("caller: she was in the hospital in tulsa for a week", "in the hospital in"),
    ],
)
def test_a_car_a_generic_lot_a_chain_or_the_phone_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------ the sights directions name
@pytest.mark.parametrize(
    "text,landmark",
    [
        ("caller: he lives in Marlow, past the old Wexford Museum.", "Wexford Museum"),
        ("caller: it's a blue house across from the kenmore museum", "kenmore museum"),
        ("caller: they live on Abbey Lane, by the Lititz Cloister.", "Lititz Cloister"),
        # a name the street it is on was merged with ("on <street> by the <name>") still takes the head
        ("caller: a sober living house on north peoria avenue by the lincoln bowl", "lincoln bowl"),
        ("caller: she stays out past the Harmon Hill bowl", "Harmon Hill bowl"),
    ],
)
def test_a_found_place_or_name_with_a_sights_head_is_one_place(redactor, text, landmark):
    assert _covered(redactor, text, landmark)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: he eats cereal out of a big bowl every morning", "a big bowl"),
        ("caller: she went to the museum with her class last week.", "the museum"),
        ("caller: we watched the super bowl at his brother's", "the super bowl"),
        ("caller: he takes the metro to work most days", "the metro"),
    ],
)
def test_the_heads_alone_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)
