"""Session 20 (repair20): the reparandum of a caught identifier, a first form the caller corrected, restarted or said
again in its sound (``repairs.reparandum``, a step after the merge).

Every example is invented here (other names, places, programs and wordings than the development calls that showed
the class: the eighth, tenth, seventeenth and eighteenth corpora's odd halves). Each positive case failed on main
before this change (2eae714); the guards beside them are the nearest shapes that must stay readable.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.repairs import reparandum
from cipher_pipeline.deid.spans import Span
from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,first_form",
    [
        # corrected, with an aside between the marker and the form kept: a word they share that names
        ("caller: she did driftwood cove? no, the other one, i mean driftwood springs recovery in tenaya.",
         "driftwood cove"),
        # corrected with "or": a word they share
        ("caller: it's crossroads, or crossroads treatment center in dayton", "crossroads"),
        # a place's abbreviation then the word in full
        ("caller: it's in st. helens. no. saint helens, oregon.", "st. helens"),
        # a name begun as function words whose letters run together are the name's
        ("caller: my name is and i. andy. andy hollowell.", "and i"),
        # re-said after, as it sounds
        ("caller: i live in ogallala. oh gallala. out past the truck stop.", "oh gallala"),
    ],
)
def test_the_first_form_of_a_repaired_identifier_is_masked(redactor, text, first_form):
    assert _covered(redactor, text, first_form)


@pytest.mark.parametrize(
    "text,readable",
    [
        # a state said before the place corrected to stays (Safe Harbor keeps states)
        ("caller: my son went to new jersey, no, new york city for a while", "new jersey"),
        # a month corrected to another month is no repeat of it (who22: "it was <month>," now states a date itself,
        # so the month is said here with no date cue)
        ("caller: i think march, no, april is when he started", "march"),
        # a kin word before a name said twice is no part of the name
        ("caller: my uncle rodrick. roderick ferris. he's the one drinking.", "my uncle"),
        # a marker and a filler are the repair's, never the form's
        ("caller: yeah, no, kyle does the driving", "yeah, no,"),
        # a title before a surname said twice stays, as the engine keeps titles
        ("caller: ms. yarbrough, danielle yarbrough, she's the lawyer", "ms."),
    ],
)
def test_the_repairs_own_words_and_what_is_no_form_of_the_finding_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


def test_never_over_a_turn():
    # the agent's question on the line before is another speaker's: the step reads the finding's own line only
    text = "agent: so that's quillan lane?\ncaller: no, quillan. quillan ridge recovery in harlowe.\n"
    spans = [Span(text.index("quillan ridge"), text.index(" in harlowe"), "COMPETITOR", "lexicon")]
    added = [s for s in reparandum(text, spans) if s.recognizer == "reparandum"]
    assert [text[s.start : s.end] for s in added] == ["quillan"]
    assert all(s.start > text.index("\n") for s in added)


def test_bounded_on_a_long_line():
    # a finding said at the end of a line of thousands of words reads only the few words before it
    text = "caller: " + "serenity " * 5000 + "no, serenity ridge recovery\n"
    spans = [Span(text.index("serenity ridge"), len(text) - 1, "COMPETITOR", "lexicon")]
    added = [s for s in reparandum(text, spans) if s.recognizer == "reparandum"]
    assert all(s.end - s.start < 40 for s in added)


def test_a_chart_note_is_left_alone():
    text = "HPI: pt seen at st. helens. no. saint helens clinic. BP 120/80, HR 72, cont metoprolol 25 mg PO BID.\n"
    spans = [Span(text.index("saint helens"), text.index(" clinic"), "LOCATION", "lexicon")]
    assert reparandum(text, spans) == spans


def _word_edges(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins and ends on a word's edge (no letter of a word left readable beside it)."""
    return not (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) and not (
        end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    )


@pytest.mark.parametrize("pad", range(0, 110, 1))
def test_a_window_edge_never_cuts_a_word_or_ends_a_form_said_after(pad):
    # read20: the 90 characters read after a finding were cut mid-word; a form the window's end cut ("at a scade") was
    # masked leaving its last letters, and one running on into the clause ("at a scadero yesterday") read as said alone
    text = "caller: she moved out to atascadero." + " " * pad + "at a scadero yesterday.\n"
    spans = [Span(text.index("atascadero"), text.index("atascadero") + 10, "LOCATION", "lexicon")]
    added = [s for s in reparandum(text, spans) if s.recognizer == "reparandum"]
    assert added == []
    # said alone, to the line's end, the form is the finding's wherever the window ends
    text = "caller: she moved out to atascadero." + " " * pad + "at a scadero.\n"
    added = [s for s in reparandum(text, spans) if s.recognizer == "reparandum"]
    assert all(_word_edges(text, s.start, s.end) for s in added)
    if pad < 70:
        assert [text[s.start : s.end] for s in added] == ["at a scadero"]


@pytest.mark.parametrize("pad", range(0, 100, 1))
def test_the_window_start_never_begins_a_form_inside_a_word(pad):
    # read20: the 90 characters read before a finding began mid-word, so a word's tail alike the finding ("xxmeadowlark"
    # read as "meadowlark") was masked from inside the word
    text = "caller: it was xxmeadowlark," + " " * pad + "or meadowlark recovery in fresno\n"
    start = text.index("meadowlark recovery")
    spans = [Span(start, start + len("meadowlark recovery"), "COMPETITOR", "lexicon")]
    added = [s for s in reparandum(text, spans) if s.recognizer == "reparandum"]
    assert all(_word_edges(text, s.start, s.end) for s in added)


@pytest.mark.parametrize(
    "text,finding",
    [
        ("atascadero", "atascadero"),  # a finding that is the whole text
        ("atascadero. at a scadero", "atascadero"),  # at offset 0, its form said after to the text's end
        ("at a scadero? no, atascadero", "atascadero"),  # at the text's end, no line end after it
        ("\n\ncaller:\natascadero\n", "atascadero"),  # a label alone on the line before
        ("é atascadero ß", "atascadero"),  # letters the tokens do not read beside it
    ],
)
def test_odd_positions_and_lines_never_raise_and_stay_in_the_text(text, finding):
    start = text.index(finding)
    spans = [Span(start, start + len(finding), "LOCATION", "lexicon")]
    for s in reparandum(text, spans):
        assert 0 <= s.start < s.end <= len(text)
