"""Session 17 (rules17, issue 8): three classes the eleventh corpus's odd half pointed at, each checked on other
development halves before it was kept.

- E, a piece of an identifier said before its whole ("it starts k r t, hang on, the card's in the car" ... "k r t 5 5
  2 0 ..."), and the end of one a caller says to correct a read-back ("no, it ends 9-4-6"): ``rules.id_pieces_said_first``,
  a part of the ``identifier_rest`` step.
- H, a house number said alone after an address question ("dayton. on west elm. four twelve"; "he says the number is
  2214"): ``slots.HouseNumberSlot``.
- A, a listed holiday closed by a plural's possessive apostrophe ("the day after April Fools'"): ``rules.Holiday``.

Every example is invented here, with other letters, digits, towns and streets than the calls that showed the
classes. Each positive case failed on main before this change (3d6a8de); the guards beside them are the same shapes
that must stay readable: letters that are words or too few to be a code's start, a read-back that is a question, a
number after an address question that is a count, a price, an age or a year.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import rules
from cipher_pipeline.deid.spans import Span
from tests.test_deid_call_classes import _covered, _readable


# ------------------------------------------------------------------ E: a piece said first, the whole said after it
@pytest.mark.parametrize(
    "text,piece",
    [
        # the caller's letters, an aside, the other side more than an acknowledgement, the digits; the agent reads
        # the whole back
        ("agent: what insurance\ncaller: medical mutual. um. k r t. hang on my wallet is in the car\n"
         "agent: no problem, take your time\ncaller: ok. 5 5 2 0 9 1 4 4\nagent: so k r t 5 5 2 0 9 1 4 4\ncaller: yes\n",
         "k r t"),
        # said first, with an aside, by the same caller who then reads the whole after the agent's answer
        ("agent: and the member id\ncaller: first part's b w q, wait, my glasses\nagent: sure, no rush, i'll hold\n"
         "caller: b w q 4 4 0 9 1 7 2\n", "b w q"),
        # a caller correcting the agent's read-back by the identifier's end
        ("agent: the id\ncaller: it is ZKP 551230946.\nagent: let me read it back. z k p 5 5 1 2 3 0 9 4 7.\n"
         "caller: no, it ends 9-4-6. six at the end.\n", "9-4-6"),
    ],
)
def test_a_piece_of_an_identifier_said_before_its_whole_is_that_identifier(redactor, text, piece):
    assert _covered(redactor, text, piece)


@pytest.mark.parametrize(
    "text,readable",
    [
        # a count said before an identifier that does not start with it
        ("agent: how many kids\ncaller: two. hold on\nagent: okay\ncaller: my id is 2 9 4 4 1 0 7 7\n", "two. hold on"),
        # two letters alone are initials or a grade, though a code found later starts with them
        ("agent: how's school\ncaller: he got a c. hang on\nagent: sure\ncaller: the member id is a c 7 7 2 0 1 9\n",
         "got a c. hang"),
        # letters that begin no identifier found near them
        ("agent: the plan\ncaller: it's the p p o. hold on\nagent: okay\ncaller: member id 4 4 8 1 0 2 7 7\n", "p p o"),
        # a read-back that is a question, answered "no" with a number that is no identifier's end
        ("agent: the id\ncaller: it is ZKP 551230946.\nagent: z k p 5 5 1 2 3 0 9 4 6, and is he over 18?\n"
         "caller: no, 1 7. he's seventeen.\n", "1 7. he's"),
        # a piece said after the whole, not before it, and not as a correction
        ("agent: the id\ncaller: r w d 3 3 0 1 8 4\nagent: got it\ncaller: r w d. that's my initials too\n",
         "r w d. that's"),
    ],
)
def test_letters_and_counts_that_begin_no_identifier_near_them_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


def test_the_piece_takes_the_whole_identifiers_category_and_names_itself():
    text = "caller: the number is four seven dash. hold on\nagent: okay\ncaller: four seven dash two two one dash eight oh six three.\n"
    whole = text.index("four seven dash two")
    found = [Span(whole, text.index(".", whole), "LICENSE", "rules")]
    pieces = rules.id_pieces_said_first(text, found)
    assert [(text[s.start : s.end], s.category, s.recognizer) for s in pieces] == [("four seven dash", "LICENSE", "id_piece")]
    assert rules.id_pieces_said_first("caller: four seven dash. hold on, four seven dash two two one", found) == []


# ---------------------------------------------------------------- H: a house number said alone after an address question
@pytest.mark.parametrize(
    "text,number",
    [
        ("agent: where does she live exactly\ncaller: old mill creek road. three forty\nagent: okay\n", "three forty"),
        ("agent: where do you live\ncaller: dayton. on west elm. four oh two. no four twelve\n", "four twelve"),
        ("agent: where does he live\ncaller: Centerville. He says the number is 2214.\n", "2214"),
        ("caller: oh, and the address. It's 517, and the ZIP is 45402.\n", "517"),
        ("agent: where does he live\ncaller: out on the old county road. forty one twenty. by the feed store\n",
         "forty one twenty"),
        ("agent: where do you live\ncaller: Brookville. It's 2231, the street I'll have to spell for you.\n", "2231"),
    ],
)
def test_a_house_number_said_alone_after_an_address_question_is_a_place(redactor, text, number):
    assert _covered(redactor, text, number)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("agent: where do you live\ncaller: fairborn. we've been there. twelve years\n", "twelve years"),
        ("agent: where do you live\ncaller: fairborn. forty bucks a week for the room\n", "forty bucks"),
        ("agent: Where do you live?\ncaller: Fairborn. 2018, we moved there.\n", "2018, we moved"),
        ("agent: where do you live\ncaller: fairborn. he's 34 and he lives with me\n", "he's 34"),
        # no address question and no "address" said: a number opening a clause is anything
        ("agent: how much does he drink\ncaller: a lot. twelve, fifteen a night\n", "twelve, fifteen"),
    ],
)
def test_a_count_a_price_an_age_or_a_year_after_an_address_question_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


# ---------------------------------------------------------------- A: a holiday closed by a possessive apostrophe
@pytest.mark.parametrize(
    "text,holiday",
    [
        ("caller: he was born the day after April Fools', so we joke about it\n", "April Fools"),
    ],
)
def test_a_holiday_closed_by_a_possessive_apostrophe_is_a_date(redactor, text, holiday):
    assert _covered(redactor, text, holiday)


def test_a_possessive_apostrophe_makes_no_holiday_of_an_ordinary_word(redactor):
    assert _readable(redactor, "caller: it was a fools' errand to call him\n", "a fools' errand")
