"""Session 22's read-through (read22, issue 8) of the merged engine work of vert22, who22, fp22 and geo22: each test
shows an edge a reviewer found, on invented inputs (no corpus sentence), with a guard of the same shape that must stay
as it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import vertical
from cipher_pipeline.deid.rules import AgeOver89
from tests.test_deid_vertical18 import _covered, _spans


def _ages(text: str) -> list[str]:
    return sorted({text[s.start : s.end] for s in AgeOver89().find(text)})


# ------------------------------------------------- who22: an age said again, corrected more than once
@pytest.mark.parametrize(
    "text, ages",
    [
        ("caller: grandpa? he's 92, no, 93, no, 94", ["92", "93", "94"]),
        ("caller: she's ninety-one. ninety-two, or ninety-three", ["ninety-one", "ninety-three", "ninety-two"]),
        ("caller: my aunt's still living, 96, no, 97, i mean 98.", ["96", "97", "98"]),
    ],
)
def test_an_age_corrected_again_and_again_is_found_each_time(text, ages):
    assert _ages(text) == ages


@pytest.mark.parametrize(
    "text, ages",
    [
        ("caller: he's 92, no, 93 pounds lighter", ["92"]),  # a quantity after the correction stays
        ("caller: he's 92.\nagent: 93 is the room", ["92"]),  # the next speaker's number is not the age said again
        ("caller: she's 40, no, 41", []),  # a younger age is no identifier
    ],
)
def test_a_number_after_a_corrected_age_that_is_no_age_stays(text, ages):
    assert _ages(text) == ages


# ----------------------------------- vert22: the organisation a caller speaks for, with a curly apostrophe or a role
def _orgs(text: str) -> list[str]:
    return [text[s.start : s.end] for s in vertical.speaker_organisation_spans(text, True, lambda _: False)]


@pytest.mark.parametrize(
    "text, organisation",
    [
        # "I’m" as a phone's keyboard or a transcriber writes it
        ("caller: hi i’m an interpreter with red mesa language bridge interpreter id 7 7 0 1", "red mesa language bridge"),
        ("caller: hi i’m the navigator with prairie crossing families", "prairie crossing families"),
        # a curly "that’s" after the name ends it as the straight one does
        ("caller: hey this is ozzie with saltgrass youth partners that’s p a r", "saltgrass youth partners"),
        # a two-word role's last word said after the name ends it (its first word, "case", is still read as the name's)
        ("caller: i'm the case manager with willow fork outreach manager number 4 1", "willow fork outreach"),
    ],
)
def test_the_organisation_ends_where_a_curly_apostrophe_or_a_role_ends_it(text, organisation):
    assert _orgs(text) == [organisation]


@pytest.mark.parametrize(
    "text",
    [
        "caller: i’m okay with that",
        "caller: i’m living with my sister",
        "caller: i’m the caseworker with the county",
    ],
)
def test_what_a_person_is_with_stays_with_a_curly_apostrophe(text):
    assert _orgs(text) == []


def test_the_organisation_with_a_curly_apostrophe_is_masked(redactor):
    text = "agent: admissions\ncaller: hi i’m a translator with dove creek language access interpreter id 3 0 2"
    assert _covered(redactor, text, "dove creek language access", "OTHER_ID"), _spans(redactor, text)


# ----------------------------------- geo22: a half-numbered road the learned layer stopped inside
@pytest.mark.parametrize(
    "text, road",
    [
        ("caller: she lives out on county road 16 and a half", "county road 16 and a half"),
        ("caller: they're off county road 11 and a half.", "county road 11 and a half"),
    ],
)
def test_a_half_numbered_road_at_a_sentences_end_is_whole(redactor, text, road):
    assert _covered(redactor, text, road, "LOCATION"), _spans(redactor, text)


def test_a_road_before_a_distance_in_halves_stays_a_road(redactor):
    text = "caller: take county road 16 and a half miles past the gin"
    found = [t for t, category, _ in _spans(redactor, text) if category == "LOCATION"]
    assert any("county road 16" in t for t in found)
    assert not any(t.endswith("and a") for t in found), found
