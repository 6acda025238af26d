"""Session 20 (quasi20, issue 8): a one-person description licensed by a clause that says the person is recognisable.

Callers who describe themselves or a relative in a way that singles them out very often say so in the next breath:
"..., so everybody sees it", "everybody in town knows me", "so people will notice". ``lexicon.quasi_licensed`` masks
a description of a person said beside such a clause, ending after the preposition before a found place (that place is
its own span) or at the end of its clause. Development evidence: calls_dev and the twelfth, thirteenth, fifteenth,
sixteenth, nineteenth and twentieth corpora's odd halves.

Every example is invented here (other people, things, towns and wordings than the calls that showed the class). Each
positive case fails on dd11fa7 (before this change); the guards are a clause with no description, an ordinary thing
after "only", what anyone does after "who", a clinician's shift.
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,description",
    [
        # a known act after "who does the": quasi_before_found refuses "does" as what anyone does
        ("caller: she's the one who does the raffle drawing at Saint Wendelin Hall, so everybody in Marlow knows her voice.",
         "the one who does the raffle drawing at"),
        # "the one <x> in town who ..." (no "only", no "who" right after "the one")
        ("caller: i'm the one baker in town who does the kolache sale at the Wilber Fairgrounds. so people will notice.",
         "the one baker in town who does the kolache sale at"),
        # no place found after it: the description runs to the end of its clause
        ("caller: uh, the only man driving the overnight snowplow route, so if i'm gone everybody's gonna know why.",
         "the only man driving the overnight snowplow route"),
        ("caller: he's the guy with the orange kayak rental trailer out by the old quarry you know. everybody in town knows him.",
         "the guy with the orange kayak rental trailer out by the old quarry"),
        # a feat run to the end of its clause, not cut at its first "at"
        ("caller: i'm the girl who won the log rolling contest at the lumberjack days three years straight, so people know me.",
         "the girl who won the log rolling contest at the lumberjack days three years straight"),
        ("caller: i won the county demolition derby in 2021, so people kinda know me around here.",
         "won the county demolition derby in 2021"),
        # the clause in the sentence before the description
        ("caller: i can't show my face where people in ridgeview would know me. i was the model on the front of the 2017 "
         "open house flyer, it was up in every store.",
         "the model on the front of the 2017 open house flyer"),
    ],
)
def test_a_description_beside_a_recognisability_clause_is_masked(redactor, text, description):
    assert _covered(redactor, text, description)


def test_the_description_ends_at_the_preposition_before_a_found_place(redactor):
    text = "caller: he's the one who does the announcing at the Tollison Speedway every friday, so everybody sees it.\n"
    spans = [s for s in redactor.redact(text).spans if s.recognizer == "quasi_licensed"]
    assert [text[s.start:s.end] for s in spans] == ["the one who does the announcing at"]


@pytest.mark.parametrize(
    "text,phrase",
    [
        # the clause with no description near it masks nothing
        ("caller: everybody knows me here, i've been coming for years.", "everybody knows me here"),
        ("caller: everybody knows me here, i've been coming for years. the only thing i want is to get clean.",
         "the only thing i want is to get clean"),
        ("caller: the one time i tried to stop, everybody saw it.", "the one time i tried to stop"),
        # what anyone does after "who"
        ("caller: he's the guy who lives in the blue house, so everybody knows him.", "lives in the blue house"),
        # a thing anyone has after "with"; what one does here after "the one"
        ("caller: he's the one with the problem, everybody sees it.", "the one with the problem"),
        ("caller: i'm the one paying for all of this, so everybody will know.", "the one paying for all of this"),
        # a clinician on a shift is not one person (session 19's guard)
        ("caller: she's the nurse on the night shift at Corliss General, everybody knows her.", "the nurse on the night shift"),
    ],
)
def test_a_clause_without_a_one_person_description_masks_nothing(redactor, text, phrase):
    assert _readable(redactor, text, phrase)
