"""Session 19 (quasi19, issue 8): a one-person description as a class, two openings of ``quasi_before_found`` it lacked.

1. The role a person holds in one named thing, "<person> is the <role> on / of the <team, boat, cover ...> at / for /
   out of <found place>": a team has one goalie, a boat one captain, a cover one face. The development shapes
   were on four corpora (fifth, seventh, tenth, fourteenth odd halves).
2. "<the one / the lady> who's <done>" (who has): the feat said with a contraction, "the one who's run <x> at"
   (tenth and twelfth odd halves).

Every example is invented here (other roles, teams, towns and names than the calls that showed the class). Each
positive case failed on main before this change (422a02e); the guards beside them are the same shapes that single no
one out: a kin word, a clinician on a ward or a shift, a bare "is", a state after "who's".
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,description",
    [
        ("caller: he's the bowman on the varsity rowing squad at Pell Academy, so the coach knows.",
         "the bowman on the varsity rowing squad at"),
        ("caller: she was the face of the spring enrollment poster for Halvorsen Memorial Hospital.",
         "the face of the spring enrollment poster for"),
        ("caller: he's the skipper of the only oyster barge out of Marlow Harbor, everybody knows him.",
         "the skipper of the only oyster barge out of"),
        ("caller: she's the one who's organized the quilt auction at Saint Brendan Church for years.",
         "the one who's organized the quilt auction at"),
        ("caller: he's the man who's coached the chess club in Ellery Falls since the nineties.",
         "the man who's coached the chess club in"),
    ],
)
def test_a_role_in_one_named_thing_or_a_feat_after_whos_is_a_quasi_identifier(redactor, text, description):
    assert _covered(redactor, text, description)


@pytest.mark.parametrize(
    "text,readable",
    [
        # a relation singles no one out
        ("caller: i'm the mother of the girl at Pell Academy who called you.", "the mother of the girl at"),
        # a clinician on a ward or a shift: every hospital has one
        ("caller: she's the nurse on the night shift at Halvorsen Memorial Hospital.", "the nurse on the night shift at"),
        ("caller: he's the aide on the third floor at Halvorsen Memorial Hospital.", "the aide on the third floor at"),
        ("caller: i'm the case manager on the surgical unit at Halvorsen Memorial Hospital in Ellery Falls.",
         "the case manager on the surgical unit at"),
        # a place found inside it, then a new clause: the description ended there, the next place is no part of it
        ("caller: he's the skipper of the only oyster barge out of Marlow Harbor, so everybody in Ellery Falls knows him.",
         "so everybody in"),
        # a bare "is" opens no one's description
        ("caller: the problem is the price of the program at Halvorsen Memorial Hospital.", "the price of the program at"),
        # a state after "who's", no feat
        ("caller: she's the one who's stuck in Ellery Falls with no car.", "the one who's stuck in"),
        ("caller: he's the guy who's been drinking at Marlow Harbor every night.", "the guy who's been drinking at"),
    ],
)
def test_a_relation_a_ward_a_bare_is_or_a_state_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)
