"""Session 16 (rules16, issue 8): an identifier read out over two turns of the same speaker, the other side saying
only "uh huh", "go ahead", "okay" or reading the letters back between them (the third to tenth corpora's raw halves
showed it: a member ID's letters end one turn and its digits open the next, or a case number left open with "dash"
runs on after "uh huh"). Masked whole by ``rules.id_across_turns``, a part of the ``identifier_rest`` step.

Every example is invented here, with other letters, digits and words than the calls that showed the class (those are
scored, never tested against). Each positive case failed on main before this change (ac146fa); the guards beside them
are turns of the same shape that must stay readable: an ordinary number after an agent's "okay", a caller's letters
that are words or programs, a number after the other side's question, a phone already whole.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import rules
from cipher_pipeline.deid.spans import Span
from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,piece",
    [
        # the letters end a turn, the digits (found) open the speaker's next turn after an acknowledgement
        ("agent: and the member id on the card\ncaller: it's on the back. w k t\nagent: go ahead\ncaller: 5 5 0 3 8 1 2\n",
         "w k t"),
        # after a plate cue both pieces are one plate, though neither was found alone
        ("agent: and the car\ncaller: a gray civic, plate m d q\nagent: okay\ncaller: 7 7 2 0. sorry, the dog\n", "m d q"),
        ("agent: and the car\ncaller: a gray civic, plate m d q\nagent: okay\ncaller: 7 7 2 0. sorry, the dog\n", "7 7 2 0"),
        # a number left open at the turn's end ("dash", "uh") runs on after "uh huh" / "go ahead"
        ("agent: what's the docket number\ncaller: docket number is c f 3 1 dash\nagent: uh huh\ncaller: 2 2 0 9. and he got thirty days\n",
         "2 2 0 9"),
        ("agent: a good number for you\ncaller: 480 555, uh\nagent: go ahead\ncaller: 0 1 9 6. that's my cell\n", "0 1 9 6"),
        # the rest said in words
        ("agent: and yours\ncaller: mine was four oh two 555 01\nagent: okay\ncaller: sixty seven but it's my old one\n",
         "sixty seven"),
        # the agent reads the letters back between the two turns
        ("agent: your patient number from last time\ncaller: on my paper. r d v\nagent: r d v, okay\ncaller: 3 3 0 1 8 4\n", "r d v"),
        # two turns of the caller with nothing between them
        ("agent: what's the plate\ncaller: it's ohio, um, x k d\ncaller: six six one oh\n", "x k d"),
    ],
)
def test_an_identifier_read_over_two_turns_is_masked_whole(redactor, text, piece):
    assert _covered(redactor, text, piece)


@pytest.mark.parametrize(
    "text,readable",
    [
        # an agent's "okay" and then an ordinary number: a count before its noun is no identifier's rest
        ("agent: your cell\ncaller: 480 555 0196\nagent: okay\ncaller: 30 days clean before this\n", "30 days clean"),
        ("agent: the case number\ncaller: c f 3 1 dash 2 2 0 9 dash\nagent: okay\ncaller: 2 years he's been on probation\n",
         "2 years he's been"),
        # a phone with all ten digits is whole: what follows the "okay" is something else
        ("agent: a number\ncaller: call me at 480 555 0196\nagent: okay\ncaller: 1 2, that's the best time\n", "1 2, that's"),
        # a time's "a m" before a found phone is no code's letters
        ("agent: a number for you\ncaller: call me after nine a m\nagent: okay\ncaller: 480 555 0196\n", "after nine a m"),
        # a caller's letters that are a program or a grade, with no identifier's keyword before them
        ("agent: where is he now\ncaller: he's in i o p\nagent: okay\ncaller: 2 4. he's doing good\n", "i o p"),
        ("agent: how's school\ncaller: he got a c\nagent: okay\ncaller: 7 5. not bad\n", "a c"),
        ("agent: how's school\ncaller: he got a c\nagent: okay\ncaller: 7 5. not bad\n", "7 5. not bad"),
        # the other side's turn is a question, even with a read-back in it: the next turn answers it
        ("agent: member id\ncaller: it's w k t 5 5 0 3\nagent: w k t, and how old is he?\ncaller: 3 8. he's my brother\n",
         "3 8. he's"),
    ],
)
def test_an_ordinary_number_words_a_whole_phone_or_an_answer_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


def test_the_step_names_itself_and_reads_one_line_as_no_turns():
    text = "caller: docket number is c f 3 1 dash\nagent: uh huh\ncaller: 2 2 0 9.\n"
    code = text.index("c f 3 1")
    found = [Span(code, code + len("c f 3 1"), "ACCOUNT", "rules")]
    rest = rules.id_across_turns(text, found)
    assert [(text[s.start : s.end], s.category, s.recognizer) for s in rest] == [("2 2 0 9", "ACCOUNT", "id_across_turns")]
    assert rules.id_across_turns("caller: docket c f 3 1 dash uh huh 2 2 0 9.", found) == []


# ------------------------------------------------- rules15's description class: the way there after a comma
@pytest.mark.parametrize(
    "text,description,readable",
    [
        ("caller: I'm the only woman baling at Corliss Creek Farm, out on the Tenmile Highway, so I can't be gone long.",
         "the only woman baling at Corliss Creek Farm", ", out on the"),
        ("caller: He's the only welder at Castellan Boatworks, up in Coos Bay, so they'd notice.",
         "the only welder at Castellan Boatworks", ", up in"),
    ],
)
def test_a_description_ends_before_the_way_there_said_after_a_comma(redactor, text, description, readable):
    assert _covered(redactor, text, description)
    assert _readable(redactor, text, readable)


# ------------------------------------------------------------------------------ a rural route's box
@pytest.mark.parametrize(
    "text,box",
    [
        ("caller: his mail goes to RR 3 Box 27, Lindale.", "RR 3 Box 27"),
        ("caller: it's rural route 3 box 19, past the grain elevator", "rural route 3 box 19"),
        ("caller: mailing address is rr four box one one six and then the zip", "rr four box one one six"),
        ("caller: we get mail at HC 64 Box 12 since the fire", "HC 64 Box 12"),
    ],
)
def test_a_rural_routes_box_is_an_address(redactor, text, box):
    assert _covered(redactor, text, box)


@pytest.mark.parametrize(
    "text,readable",
    [
        # "rr" with no box after it is a breathing rate in a chart, and a box alone is a box
        ("Resp: LS clear, sats 97% on 2L NC, RR 18, no distress.\nNeuro: alert.", "RR 18"),
        ("caller: we moved him to the rr 2 group and he put his stuff in a box by the door", "box by the door"),
    ],
)
def test_a_rate_or_a_box_alone_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)
