"""Session 20 (vert20, issue 8): vertical names in the raw and projected styles. Two classes that development misses
share across sources: a workplace named after a work cue whose words, with no full stop in a raw transcript, read on
into what is said next ("a lineman for <x> electric meth and ..."): the name ends at its last business or clinic head;
and business heads the list lacked ("<x> brothers", "<x> cellars", "<x> tobacco", a co-op said as two words "<x> co
op"). Every sentence is invented (no corpus sentence); each positive case fails on main 2eae714, and each has a guard
of the same shape that must stay untouched."""

from __future__ import annotations

import pytest

from tests.test_deid_vertical18 import _covered, _spans, _touched


# ------------------------------------------------------------ a workplace whose words read on into the next clause
@pytest.mark.parametrize(
    "text, employer, after",
    [
        ("caller: my son is a welder for river bend fabrication pills and drinking mostly since the layoff",
         "river bend fabrication", "pills"),
        ("caller: he's a mechanic for blue ridge trucking cocaine mostly and some pills", "blue ridge trucking", "cocaine"),
    ],
)
def test_a_workplace_ends_at_its_last_head_in_raw_text(redactor, text, employer, after):
    assert _covered(redactor, text, employer, "OTHER_ID"), _spans(redactor, text)
    assert not _touched(redactor, text, after), _spans(redactor, text)


def test_a_coined_name_keeps_its_last_word_after_a_head(redactor):
    # a word no dictionary knows makes the run a name, and the head may then be inside it: nothing is cut
    text = "caller: he's a welder at brannigan pipe fab in the valley"
    assert _covered(redactor, text, "brannigan pipe fab", "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        # one head word alone is no name (the name ends at a head two words or more in)
        ("caller: he's a cook for logging crews summers winters whatever comes", "logging crews"),
        ("caller: she is a teacher at hospital classrooms downtown mostly", "hospital classrooms"),
        # no work cue: the words after "for" are no workplace
        ("caller: we were looking for blue river pharmacy cards and stuff at the house", "blue river pharmacy cards"),
    ],
)
def test_a_run_on_without_a_named_workplace_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ business heads the list lacked
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: he runs a skidder for the delmont brothers out past prescott", "delmont brothers"),
        ("caller: yeah he's been with wexley brothers since spring, drives the dump truck", "wexley brothers"),
        ("caller: he drinks after his shift at orchard hollow cellars every night", "orchard hollow cellars"),
        ("caller: i'm the nurse for the plant, we contract with carolina leaf tobacco for the screening", "carolina leaf tobacco"),
        ("caller: he loads trucks at the prairie rose co op up by the tracks", "prairie rose co op"),
    ],
)
def test_a_business_by_its_new_head_is_found(redactor, text, employer):
    assert _covered(redactor, text, employer, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: both my older brothers drink too, it runs in the family", "older brothers"),
        ("caller: he keeps the jars down in the root cellars at the farm", "root cellars"),
        ("caller: she quit chewing tobacco last year but not the pills", "chewing tobacco"),
        ("caller: the insurance is cigna through the co op, the id is on the card", "the co op"),
    ],
)
def test_a_new_head_without_a_name_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ a prison's, a court's or the VA's unit by its place
@pytest.mark.parametrize(
    "text, unit",
    [
        ("caller: he just got out of ferguson unit in midway and he's already drinking", "ferguson unit"),
        ("caller: the letter says district court chittenden unit on the top", "chittenden unit"),
        ("caller: the eugene va turned him down for the residential program", "eugene va"),
    ],
)
def test_a_unit_named_by_its_place_is_found(redactor, text, unit):
    assert _covered(redactor, text, unit), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he goes to the va in lynchburg on tuesdays", "the va"),
        ("caller: his brother works the night shift on the burn unit at the hospital", "burn unit"),
        ("agent: our boise office can fax the forms over", "office"),
    ],
)
def test_a_unit_word_without_a_named_place_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_a_town_and_its_state_stay_a_place(redactor):
    # "<town> va" without "the" is a town and its state (the place layer's), never the VA's unit
    text = "caller: he was stationed near norfolk va for a while"
    assert not any(cat == "OTHER_ID" for _, cat, _ in _spans(redactor, text)), _spans(redactor, text)


@pytest.mark.parametrize("spaces", range(1, 9))
def test_a_unit_word_is_read_whole_whatever_the_spaces_before_it(spaces):
    # read20: the unit word was looked for in the eight characters after the place, and a longer word that window cut
    # ("va" of "vacation", "unit" of "united") read as the unit word
    from cipher_pipeline.deid.lexicon import expand_locations
    from cipher_pipeline.deid.spans import Span

    for after in ("vacation crowd", "united way", "value store"):
        text = "we met the marlow" + " " * spaces + after
        spans = expand_locations(text, [Span(11, 17, "LOCATION", "lexicon")])
        assert not [s for s in spans if s.recognizer == "place_unit"], (text, spans)
    text = "we met at the marlow" + " " * spaces + "va, then left"
    units = [s for s in expand_locations(text, [Span(14, 20, "LOCATION", "lexicon")]) if s.recognizer == "place_unit"]
    assert [text[s.start : s.end] for s in units] == ([text[14 : text.index(",")]] if spaces <= 6 else [])
