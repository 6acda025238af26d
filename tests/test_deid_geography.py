"""Geography recognizer and gazetteer: streets, numbered roads, intersections and landmarks in any case, on phrasings
other than those of calls_dev (which is scored, not tested against)."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography
from cipher_pipeline.deid.lexicon import LexiconLayer


def _found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in geography.find(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("we're out on sycamore hollow road now", "sycamore hollow road"),
        ("She lives off Bellweather Avenue.", "Bellweather Avenue"),
        ("take county road 45 past the church", "county road 45"),
        ("he's at the pilot off i-70, exit 212", "pilot off i-70, exit 212"),
        ("meet me at ninth and main", "ninth and main"),
        ("by the dollar general on birch street", "dollar general on birch street"),
        ("Highway 287 by the feed store", "Highway 287"),
        ("i grew up on old quarry lane", "old quarry lane"),
    ],
)
def test_street_shapes_found_in_any_case(text, expected):
    assert any(expected in f for f in _found(text)), _found(text)


@pytest.mark.parametrize(
    "text",
    ["it's a long drive down the road", "we took a dirt road", "he has drug court on monday",
     "the back road was closed", "i was in my place all week", "that's the way it is"],
)
def test_generic_roads_stay(text):
    assert _found(text) == []


def test_gazetteer_knows_small_towns_in_lower_case():
    layer = LexiconLayer()
    text = "caller: we moved to mcminnville last year, then out past hiawassee\n"
    found = {text[s.start : s.end] for s in layer.find(text, caseless=True) if s.category == "LOCATION"}
    assert {"mcminnville", "hiawassee"} <= found


@pytest.mark.parametrize(
    "text,expected",
    [
        ("it's blue cross blue shield of kansas through his job", "blue cross blue shield of kansas"),
        ("She has Ambetter from Sunflower.", "Ambetter from Sunflower"),
        ("we're on indiana medicaid", "indiana medicaid"),
        ("he has Tricare Select", "Tricare Select"),
        ("my plan is superior, the medicaid one", "superior"),
    ],
)
def test_plan_names_run_over_state_and_product(text, expected):
    layer = LexiconLayer(gazetteer=False)
    found = [text[s.start : s.end] for s in layer.find(text, caseless=text == text.lower()) if s.category == "INSURER"]
    assert expected in found, found


def test_ambiguous_plan_words_need_an_insurance_cue():
    layer = LexiconLayer(gazetteer=False)
    text = "caller: the food there was superior and she's a star\n"
    assert not [s for s in layer.find(text, caseless=True) if s.category == "INSURER"]


def test_part_of_town_joins_the_place():
    layer = LexiconLayer()
    text = "caller: we're in north chattanooga, he stays in Downtown Knoxville\n"
    found = {text[s.start : s.end] for s in layer.find(text, caseless=False) if s.category == "LOCATION"}
    assert {"north chattanooga", "Downtown Knoxville"} <= found, found
