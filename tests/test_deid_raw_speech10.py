"""Names, dates and numbers in raw speech that the development halves of several corpora showed (session 10, issue 8,
branch names10): a code's letters read out in lower case before or after its digits, a worker's own number said as
the call opens (an interpreter's, a relay operator's), a Spanish date with its article and a year said by its last two
digits, a feast said by a saint of two names or in Spanish, and a name a speaker starts, stops and says again whole.
Every example is invented here, with other names, numbers and days than the calls that showed the class (those are
scored, never tested against). Each positive case fails before this change; the guard cases beside them are everyday
phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import names, rules
from cipher_pipeline.deid.spans import Span
from tests.test_deid_call_classes import _covered, _readable


def _found(name: str, text: str) -> list[str]:
    (recognizer,) = [r for r in rules.RECOGNIZERS if r.name == name]
    return [text[s.start : s.end] for s in recognizer.find(text)]


# ------------------------------------------------------------------- a code's letters read out in lower case
@pytest.mark.parametrize(
    "text,code",
    [
        # after the digits, ending the clause or the line: even an "a", which as an article would need its noun
        ("agent: what's on the card\ncaller: member number is 4 7 2 0 9 1 3 3 r\n", "4 7 2 0 9 1 3 3 r"),
        ("agent: and the policy\ncaller: policy is 8 8 1 0 2 4 6 7 a. that's all of it\n", "8 8 1 0 2 4 6 7 a"),
        ("caller: the claim number is five two two oh one nine eight x j, if you need it\n",
         "five two two oh one nine eight x j"),
        # before the digits: two letters or more, an "a" among them a letter since another follows it
        ("caller: the number on the letter is a m 7 7 3 0 1 9 4 2 if that matters\n", "a m 7 7 3 0 1 9 4 2"),
        ("caller: his state id number is d r 5 5 0 1 8 2 2 and it expires\n", "d r 5 5 0 1 8 2 2"),
    ],
)
def test_letters_read_out_with_a_long_number_belong_to_it(text, code):
    assert code in _found("number_run", text)


@pytest.mark.parametrize(
    "text,run",
    [
        # an article before its noun, a pronoun, a lone article before the digits: no letters of the code
        ("caller: my member number is 4 7 2 0 9 1 3 3 a lot of people have it\n", "4 7 2 0 9 1 3 3"),
        ("caller: call me at 6 0 2 5 5 5 0 1 9 8 i think that's right\n", "6 0 2 5 5 5 0 1 9 8"),
        ("caller: the member number is a 4 7 2 0 9 1 3 3\n", "4 7 2 0 9 1 3 3"),
    ],
)
def test_a_word_beside_a_long_number_is_no_letter_of_it(text, run):
    assert _found("number_run", text) == [run]


# ------------------------------------------------------------------- a worker's own number
@pytest.mark.parametrize(
    "text,number",
    [
        ("caller: good afternoon, interpreter number 6 1 9 0 4. i have the family on the line\n", "6 1 9 0 4"),
        ("caller: hi, this is the relay operator, number 2286, with a call from a deaf caller\n", "2286"),
        ("caller: operator id three three one five, go ahead\n", "three three one five"),
    ],
)
def test_an_interpreter_or_relay_operator_number_is_an_id(text, number):
    assert _found("number_run", text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "caller: the interpreter came in 2021 and 3 of us sat with her\n",
        "caller: she needed an interpreter 2 or 3 times\n",
    ],
)
def test_a_year_or_a_count_beside_an_interpreter_stays(text):
    assert _found("number_run", text) == []


def test_the_pronoun_after_a_read_out_number_is_no_letter_of_a_code():
    assert _found("spoken_code", "caller: interpreter number 6 1 9 0 4. i have the family\n") == []


# ------------------------------------------------------------------- a Spanish date
@pytest.mark.parametrize(
    "text,date",
    [
        ("caller: nació el doce de marzo del ochenta y cuatro. march twelfth", "el doce de marzo del ochenta y cuatro"),
        ("caller: el tres de julio del 79, he says", "el tres de julio del 79"),
        ("caller: el veinte de enero de dos mil tres", "el veinte de enero de dos mil tres"),
    ],
)
def test_a_spanish_date_with_its_article_and_a_two_digit_year(text, date):
    assert _found("spanish_date", text) == [date]


@pytest.mark.parametrize(
    "text",
    ["caller: el doctor dice que el lunes viene", "caller: tiene el ochenta por ciento", "caller: del ochenta y cuatro"],
)
def test_spanish_words_with_no_day_and_month_are_no_date(text):
    assert _found("spanish_date", text) == []


# ------------------------------------------------------------------- feasts by a saint of two names, in Spanish
@pytest.mark.parametrize(
    "text,feast",
    [
        ("caller: she was born on St. Paul the Apostle day, so we remember it", "St. Paul the Apostle day"),
        ("caller: his birthday is san pedro apostol day which", "san pedro apostol day"),
        ("caller: después del día de la asunción, yes, after that", "día de la asunción"),
        ("caller: we go after el día de san isidro", "el día de san isidro"),
    ],
)
def test_a_feast_by_a_saint_of_two_names_or_in_spanish_is_a_date(text, feast):
    assert _found("holiday", text) == [feast]


@pytest.mark.parametrize(
    "text",
    [
        "caller: we drive to st louis every day for work",
        "caller: he was in san diego the next day",
        "caller: el día de hoy no puede venir",
        "caller: el día de la semana que quiera",
    ],
)
def test_a_saints_town_before_a_day_and_spanish_for_today_are_no_feast(text):
    assert _found("holiday", text) == []


# ------------------------------------------------------------------- a name started, stopped and said again whole
def _restarted(text: str, name: str) -> list[str]:
    start = text.rindex(name)  # the whole name is said last
    spans = [Span(start, start + len(name), "NAME", "names", None, "name_list")]
    return [text[s.start : s.end] for s in names.restarted_names(text, spans) if s.recognizer == "name_restarted"]


@pytest.mark.parametrize(
    "text,name,first_try",
    [
        ("caller: hi this is amber. amber kowalski, calling for my son", "amber kowalski", "amber"),
        ("caller: my fiance hunter hunter bledsoe he relapsed", "hunter bledsoe", "hunter"),
        ("caller: ask for j. j rowe at the front desk", "j rowe", "j"),
        ("caller: it's for my sister um, dawn, um dawn pruitt", "dawn pruitt", "dawn"),
    ],
)
def test_the_first_try_at_a_restarted_name_is_that_name(text, name, first_try):
    assert _restarted(text, name) == [first_try]


@pytest.mark.parametrize(
    "text,name",
    [
        ("caller: it was really really hard, amber kowalski said", "amber kowalski"),  # another word said twice
        ("caller: i talked to hunter. and hunter", "hunter"),  # a name of one word: a restart needs the whole name
        ("agent: hunter\ncaller: hunter bledsoe, yes", "hunter bledsoe"),  # another turn
    ],
)
def test_no_restart_without_the_same_word_before_a_whole_name(text, name):
    assert _restarted(text, name) == []


@pytest.mark.parametrize(
    "text,first_try",
    [
        ("caller: the one you want is dawn um dawn pruitt at the front\n", "dawn"),
        ("caller: ask for j. j rowe at the front desk\n", "j"),
    ],
)
def test_a_restarted_name_is_masked_in_a_call(redactor, text, first_try):
    assert _covered(redactor, text, first_try)


def test_a_common_word_said_twice_before_no_name_stays(redactor):
    assert _readable(redactor, "caller: it was bad bad, my sponsor said call\n", "bad bad")
