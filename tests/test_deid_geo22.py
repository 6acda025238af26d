"""Places still missed on development data (session 22, branch geo22): a chain's name a found place covers only in
part ("the dollar <general in town>"), a mile marker or milepost by its number, a county road numbered in halves, and
the business a home on a road is over ("<street> over the laundromat").

Every example is invented here, with other towns, roads, chains and businesses than the calls that showed the class;
the guard cases are the nearest everyday phrases that must stay readable."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import geography
from cipher_pipeline.deid.spans import Span
from tests.test_deid_call_classes import _covered, _readable


# ------------------------------------------------------------------- a chain's name covered in part
def test_a_place_starting_inside_a_chains_name_grows_over_the_whole_name():
    text = "caller: i'm parked behind the family dollar in chipola right now"
    start = text.index("dollar in chipola")
    grown = geography._chains_around_places(text, [Span(start, start + len("dollar in chipola"), "LOCATION", "learned", None, "x")])
    assert [text[s.start : s.end] for s in grown] == ["family dollar in chipola"]


def test_a_place_ending_inside_a_chains_name_grows_over_its_end():
    text = "Caller: We're by the Loaf 'N Jug on Purcell Boulevard."
    start = text.index("Loaf")
    grown = geography._chains_around_places(text, [Span(start, start + len("Loaf 'N"), "LOCATION", "lexicon", None, "x")])
    assert [text[s.start : s.end] for s in grown] == ["Loaf 'N Jug"]


@pytest.mark.parametrize(
    "text,place",
    [
        ("Caller: We're in Avondale, by the Loaf 'N Jug on Purcell Boulevard.", "Loaf 'N Jug on Purcell Boulevard"),
        ("caller: she's behind the dollar general in marianna right now", "dollar general in marianna"),
    ],
)
def test_a_chain_with_its_street_or_town_is_one_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        # a chain alone places nobody; one said apart from the town stays readable
        ("caller: the dollar general closed last year. we live in marianna", "the dollar general closed"),
        ("caller: i paid twenty dollars general admission at the fair", "twenty dollars general admission"),
    ],
)
def test_a_chain_apart_from_a_place_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------- mile markers and half-numbered roads
@pytest.mark.parametrize(
    "text,place",
    [
        ("caller: the truck broke down at mile marker two forty three, he's still there", "mile marker two forty three"),
        ("Caller: We live at Milepost 12, the cabin with the green roof.", "Milepost 12"),
        ("caller: his camp is at milepost 6 and a half, by the river", "milepost 6 and a half"),
        ("Caller: He's out on County Road 22 and a half, near the grain bins.", "County Road 22 and a half"),
        ("caller: we're on county road seven and a half. the white trailer", "county road seven and a half"),
    ],
)
def test_a_mile_marker_or_a_half_numbered_road_is_a_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: we were maybe a mile or two out of town", "a mile or two"),
        ("caller: every mile marker looks the same out there", "every mile marker looks"),
        ("caller: he was on highway 50 and a half hour later he crashed", "and a half hour later"),
    ],
)
def test_a_distance_or_a_marker_without_its_number_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


@pytest.mark.parametrize("after", ["and a half miles on", "and a half hours", "and a half of it"])
def test_and_a_half_before_a_unit_is_no_roads_number(after):
    # (the learned layer reads "route 9 and a half mile later turn left" as one run on its own, before this change too)
    text = f"caller: take route 9 {after}"
    road = Span(text.index("route"), text.index(" and"), "LOCATION", "geography", None, "street")
    assert geography._half_road_numbers(text, [road]) == []


# ------------------------------------------------------------------- the business a home on a road is over
@pytest.mark.parametrize(
    "text,place",
    [
        ("Caller: She lives in Malden, on Ferry Street over the laundromat.", "Ferry Street over the laundromat"),
        ("caller: he rents on dunmore avenue above the tattoo shop, the side door", "dunmore avenue above the tattoo shop"),
        ("Caller: 41 Pell Road, apartment 2. Over the nail salon by the train station.", "nail salon by the train station"),
        ("caller: on larch lane, um, over the barber shop", "barber shop"),
        ("caller: 12 quarry road. above the bakery by the old depot", "bakery by the old depot"),
    ],
)
def test_the_business_a_home_on_a_road_is_over_is_part_of_the_place(redactor, text, place):
    assert _covered(redactor, text, place)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("caller: we live on elm street over the weekend it gets loud", "over the weekend"),
        ("caller: i talked to him on route 9 over the phone", "over the phone"),
        ("caller: he lives on birch road over the hill from us", "over the hill"),
        # after a pause a business by its kind alone places no one
        ("caller: on tenth avenue and pine, over the bodega. apartment two", "the bodega"),
        # no road or address before it: a town is no street a home is over a shop on
        ("caller: we live in tulsa over the bar scene now", "over the bar scene"),
    ],
)
def test_over_without_a_business_after_a_road_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


def test_geo22_readers_are_linear():
    text = "on ferry street over the old pizza shop by the train mile marker two forty three county road 9 and a half " * 300
    found = geography.find(text)
    t0 = time.process_time()
    geography.grow_places(text, found)
    geography._mile_markers(text)
    assert time.process_time() - t0 < 2.0
