"""Session 22 (home22, issue 8): a care or residential home named by a head no shelter list held ("<x> manor",
"<x> masonic", "<x> residential"), said where the talk is of where an elder or a resident lives, after a preposition,
at a turn's start or after a speaker's correction ("<x> regional i mean no, <y> manor"). Every sentence is invented
(no corpus sentence); each positive case fails on main 052c503, and each has a guard of the same shape that must stay
as it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import vertical
from tests.test_deid_vertical18 import _covered, _spans, _touched


@pytest.mark.parametrize(
    "text, home",
    [
        # after a speaker's correction, the kind of home said after it
        ("agent: okay\ncaller: she been getting pills from the home. carver regional i mean no, elm hollow manor, the nursing home",
         "elm hollow manor"),
        ("agent: okay\ncaller: his grandma's still alive, at brightwater, no, brightwater masonic in dalton", "brightwater masonic"),
        # at a turn's start, answering where someone lives
        ("Agent: Where does she live?\nCaller: Tuscarora Creek Residential, on Elm Street. The staff called me.",
         "Tuscarora Creek Residential"),
        # after a preposition
        ("agent: okay\ncaller: my mother lives at quillfeather manor in ashby now", "quillfeather manor"),
        ("agent: okay\ncaller: she's at silver lake residential in salem, the staff are great", "silver lake residential"),
        ("agent: okay\ncaller: my grandpa is ninety and he's in the harwick masonic home.", "harwick masonic home"),
    ],
)
def test_a_care_home_by_its_head_is_found(redactor, text, home):
    assert _covered(redactor, text, home, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        # a head with a noun after it
        ("agent: okay\ncaller: we toured the manor house on the hill, my mother loved it", "manor"),
        ("agent: okay\ncaller: he needs a residential program, he lives with me", "residential"),
        ("agent: okay\ncaller: my mother is in the masonic lodge auxiliary", "masonic"),
        # a kind of place, no name
        ("agent: okay\ncaller: my grandma lives in the old manor.", "old manor"),
        ("agent: okay\ncaller: he went to inpatient residential, he lives in a group home", "inpatient residential"),
        ("agent: okay\ncaller: my mother is at the manor in town, she lives there", "manor"),
        # the brief's guard: a union's hall
        ("agent: okay\ncaller: the meeting is at the union hall, my dad goes", "union hall"),
    ],
)
def test_a_home_s_head_as_a_word_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_the_home_s_name_ends_at_its_head():
    text = "agent: where does he live\ncaller: tuscarora creek residential on elm street, the staff found it\n"
    spans = vertical.facility_spans(text, True, lambda _p: False)
    assert "tuscarora creek residential" in [text[s.start : s.end] for s in spans]


def test_no_home_where_nobody_lives_there():
    # a venue by the same head where the talk is of an event (the place readers may still take it as a place)
    text = "agent: okay\ncaller: the wedding was at willow bend manor, it rained\n"
    assert not [s for s in vertical.facility_spans(text, True, lambda _p: False) if "manor" in text[s.start : s.end]]
