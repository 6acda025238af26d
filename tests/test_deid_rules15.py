"""Session 15 (rules15, issue 8): directions given by landmark, the class the ninth corpus's development half showed
and the sixth to eighth corpora's share; a room, bed, unit, lot or building said on its own (the fifth, seventh and
eighth corpora's); a description that singles someone out said up to the place or employer found after it (the
seventh and eighth corpora's, and the ninth's); and drug strengths that are no places.

Every example is invented here, with other towns, roads, landmarks and names than the calls that showed the class
(those are scored, never tested against). Each positive case failed on main before this change (aae54fa); the guard
cases beside them are everyday phrases of the same shape that must stay readable, or real roads that must stay masked.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.doses import drug_strength_ranges
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


# ------------------------------------------------------------------------ a unit said on its own
@pytest.mark.parametrize(
    "text,unit",
    [
        ("caller: she's on the cardiac floor, room 612, bed A, since tuesday.", "room 612"),
        ("caller: she's on the cardiac floor, room 612, bed A, since tuesday.", "bed A"),
        ("caller: Cedar Hollow Road, Lot 23 in the Pine Acres park.", "Lot 23"),
        ("caller: over the laundromat. apartment four c. she said i can stay", "apartment four c"),
        ("caller: hope valley, the oaks at mill creek apartments, building d. not far", "building d"),
        ("agent: what room is he in?\ncaller: Room 4417.", "Room 4417"),
    ],
)
def test_a_room_bed_lot_or_building_with_its_number_is_a_place(redactor, text, unit):
    assert _covered(redactor, text, unit)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: he stays in his room one night a week at least", "room one night"),
        ("caller: we're building a house out there", "building a house"),
        ("caller: she went to bed 2 hours ago", "bed 2 hours"),
        ("caller: he drinks a lot 5 days a week", "lot 5 days"),
        ("caller: there's no room for two more", "room for two"),
        ("caller: he was in bed i guess by ten", "bed i guess"),
        ("caller: she's in unit a. the locked one", "unit a."),
        ("caller: the group room 2 is where we meet", "room 2"),
        ("agent: our women's campus has beds. could you get there?", "beds."),
    ],
)
def test_a_time_a_count_a_kind_of_room_or_a_plural_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------ a description up to what it names
@pytest.mark.parametrize(
    "text,description",
    [
        ("caller: I drive for Kessler Lumber. I'm the only woman hauling for Kessler Lumber, so please don't call there.",
         "the only woman hauling for"),
        ("caller: he was the last bread driver on the Tully route for Marston Bakery.", "the last bread driver on the Tully route for"),
        ("caller: she's the only lifeguard in her crew at Gorham Beach.", "the only lifeguard in her crew at"),
        ("caller: he's the guy who paints the signs out to Brimfield every spring", "the guy who paints the signs out to"),
    ],
)
def test_a_description_said_up_to_the_place_or_employer_it_names_is_a_quasi_identifier(redactor, text, description):
    assert _covered(redactor, text, description)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: she's the only one who lives in Brimfield now", "the only one who lives in"),
        ("caller: he's the guy who works at Kessler Lumber on nights", "the guy who works at"),
        ("caller: it's the only place in Brimfield that takes his insurance", "the only place in"),
        ("caller: that was the last time at Gorham Beach for him", "the last time at"),
        ("caller: she's the only one who talks to Marcy anymore", "the only one who talks to"),
        ("caller: he was the first in line at the Dollar General on Route 9", "the first in line at"),
    ],
)
def test_an_ordinary_thing_what_anyone_does_or_a_person_after_it_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------ drug strengths are no places
@pytest.mark.parametrize(
    "text,dose",
    [
        ("caller: he's been on Adderall XR 20 since the spring.", "Adderall XR 20"),
        ("caller: she takes Wellbutrin SR 150 in the morning.", "Wellbutrin SR 150"),
        ("caller: um he's on seroquel xr 300 at night", "seroquel xr 300"),
        ("caller: the doctor put her on Depakote ER 500 milligrams twice a day.", "Depakote ER 500 milligrams"),
        ("caller: he was on wellbutrin sr one fifty and then adderall xr twenty", "adderall xr twenty"),
        ("caller: ambien cr 12.5 and lamictal odt 100 mg", "ambien cr 12.5 and lamictal odt 100 mg"),
        ("caller: she's on Lamictal XR 200mg and Seroquel XR 50.", "Lamictal XR 200mg and Seroquel XR 50"),
        ("caller: her meds are wellbutrin xl three hundred, that's it", "wellbutrin xl three hundred"),
    ],
)
def test_a_drug_with_its_release_form_and_strength_stays_readable(redactor, text, dose):
    assert _readable(redactor, text, dose)


@pytest.mark.parametrize(
    "text,road",
    [
        # a real State Route after a word that is no drug stays masked, however the talk goes on
        ("caller: we live off SR 150 past the dollar store.", "SR 150"),
        ("caller: my dad drives out on sr 44 every morning", "sr 44"),
        ("caller: we're on state route 9 out by the quarry.", "state route 9"),
    ],
)
def test_a_state_route_after_another_word_stays_masked(redactor, text, road):
    assert _covered(redactor, text, road)


def test_the_phrase_needs_a_listed_drug_a_release_form_and_a_strength():
    assert drug_strength_ranges("on Adderall XR 20 now") == [(3, 17)]
    assert drug_strength_ranges("seroquel xr three hundred milligrams") == [(0, 36)]
    # no strength, no listed drug before the form, or a form that is a word's part: nothing
    assert drug_strength_ranges("he's on adderall xr now") == []
    assert drug_strength_ranges("off sr 150 by the quarry") == []
    assert drug_strength_ranges("lives off Maple SR 150") == []
    assert drug_strength_ranges("adderall xray 20") == []
