"""Places in raw speech that the development halves of several corpora showed (session 10, issue 8, branch place10): a
landmark described by the place it is in or by, a road of the rural grid said without "road", and an apartment's
letter said apart from its number. Every example is invented here, with other towns, roads and landmarks than the
calls that showed the class (those are scored, never tested against). Each positive case fails on main before this
change; the guard cases beside them are everyday phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography
from tests.test_deid_call_classes import _covered, _readable


def _found(name: str, text: str) -> list[str]:
    (recognizer,) = [r for r in geography.RECOGNIZERS if r.name == name]
    return [text[s.start : s.end] for s in recognizer.find(text)]


# ------------------------------------------------------------------------------ a landmark at a found place
@pytest.mark.parametrize(
    "text,landmark",
    [
        ("caller: he got jumped at the skating rink in tupelo, and he never reported it", "skating rink in tupelo"),
        ("caller: she works nights above the laundromat by riverside park.", "laundromat by riverside park"),
        ("caller: we met at the feed store on route 9 last spring", "feed store on route 9"),
        ("caller: i was sleeping behind the pawn shop in lubbock", "pawn shop in lubbock"),
    ],
)
def test_a_landmark_described_by_its_place_is_one_place_with_it(redactor, text, landmark):
    assert _covered(redactor, text, landmark)


@pytest.mark.parametrize(
    "text,readable",
    [
        # a kind of place where one lives or is treated stays readable; the town alone is masked
        ("caller: he was at the hospital in tupelo for a week", "at the hospital in"),
        ("caller: she's been at the shelter in lubbock since june", "at the shelter in"),
        # no cue that places someone at the landmark: "the x in <town>" is only the town
        ("caller: my cousin in tupelo said to call", "my cousin in"),
        # function words are no landmark ("at the end of it in ...")
        ("caller: at the most in tupelo it costs forty", "at the most in"),
    ],
)
def test_a_kind_of_place_or_no_landmark_before_a_town_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------------ roads of the rural grid
@pytest.mark.parametrize(
    "text,road",
    [
        ("caller: the farm is on county 38, past the grain bins", "county 38"),
        ("caller: we live off county seventeen", "county seventeen"),
        ("caller: it's off mile 6 road, the blue trailer", "mile 6 road"),
        ("caller: turn on mile fourteen north and keep going", "mile fourteen north"),
        ("caller: she's by the 9 mile line", "9 mile line"),
    ],
)
def test_a_road_of_the_grid_said_without_road(text, road):
    assert _found("grid_road", text) == [road]


@pytest.mark.parametrize(
    "text",
    [
        "caller: he's been in county 3 times this year",  # a jail stay counted, not a road
        "caller: the county 12 miles north of here",  # a distance
        "caller: i ran mile 2 in ten minutes",  # a count of a run
        "caller: harris county 2019 was the worst year",  # no cue of place before it
    ],
)
def test_a_county_or_mile_said_as_a_count_is_no_road(text):
    assert _found("grid_road", text) == []


def test_a_grid_road_is_masked_in_a_call(redactor):
    assert _covered(redactor, "caller: we're out on county 44, by the big red barn", "county 44")


# ------------------------------------------------------------------------------ the unit's letter
@pytest.mark.parametrize(
    "text,unit",
    [
        ("caller: it's 12 harbor street, apartment 7 d, upstairs", "apartment 7 d"),
        ("caller: lot twelve f. the one with the fence", "lot twelve f"),
        ("caller: unit 30 a.", "unit 30 a"),
    ],
)
def test_a_unit_letter_said_apart_goes_with_its_number(redactor, text, unit):
    assert _found("unit_letter", text) == [unit]
    assert _covered(redactor, text, unit)


@pytest.mark.parametrize(
    "text",
    [
        "caller: apartment 4 a little ways down from the store",  # "a" is an article here
        "caller: he was in room 4 b of the hospital",  # a room is no address of a caller
        "caller: lot of people say that",  # no number
    ],
)
def test_an_article_or_a_room_after_a_number_is_no_unit_letter(text):
    assert _found("unit_letter", text) == []


# ------------------------------------------------------------------------------ a place named for its water or land
@pytest.mark.parametrize(
    "text,place",
    [
        ("caller: we fish out past the tulare sea most weekends", "tulare sea"),
        ("caller: she lives up by kettle reservoir with her boyfriend", "kettle reservoir"),
        ("caller: it's in pahala homesteads, the green house", "pahala homesteads"),
        ("caller: she dropped her phone in bishop swamp, out fishing", "bishop swamp"),
    ],
)
def test_a_found_name_with_the_water_or_land_it_names_is_one_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: he's been lost at sea for a while, mentally", "lost at sea"),
        ("caller: the marsh behind the house floods", "the marsh behind the house"),
        ("caller: we used to swim in the reservoir", "in the reservoir"),
    ],
)
def test_a_feature_word_alone_names_no_place(redactor, text, readable):
    assert _readable(redactor, text, readable)
