"""Dates and numbers in raw speech that the development halves of several corpora showed (session 10, issue 8, branch
names10): a code's letters read out in lower case before or after its digits, a worker's own number said as the call
opens (an interpreter's, a relay operator's), a Spanish date with its article and a year said by its last two digits,
and a feast said by a saint of two names or in Spanish; a day the answer to the date of birth names in a sentence of
its own. Every example is invented here, with other numbers and days than the calls that showed the class (those are
scored, never tested against). Each positive case fails before this change; the guard cases beside them are everyday
phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import rules, slots


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


# ------------------------------------------------------------------- a day named in the answer to the date of birth
def _date_slot(text: str) -> list[str]:
    (recognizer,) = [r for r in slots.RECOGNIZERS if r.name == "date_slot"]
    return [text[s.start : s.end] for s in recognizer.find(text)]


@pytest.mark.parametrize(
    "text,day",
    [
        ("agent: and her date of birth\ncaller: november 11 1988. armistice centenary day. she loves that\n",
         "armistice centenary day"),
        ("agent: his birthday?\ncaller: the 4th of may 2001. star wars day, he says\n", "star wars day"),
        ("agent: date of birth\ncaller: march 21 1979. first day of spring\n", "first day of spring"),
        ("agent: when was she born\ncaller: bastille day. july 14th 1992\n", "bastille day"),
        ("agent: date of birth\ncaller: twelve twenty four eighty. ukrainian christmas eve\n", "ukrainian christmas eve"),
    ],
)
def test_a_day_the_birthday_answer_names_in_a_sentence_of_its_own_is_a_date(text, day):
    assert day in _date_slot(text)


@pytest.mark.parametrize(
    "text",
    [
        "agent: date of birth\ncaller: june 3 1990. same day as my sister\n",
        "agent: date of birth\ncaller: march 2 1980. the other day he asked me that\n",
        "agent: date of birth\ncaller: it's the day after new year's day. january 2nd\n",
        "agent: date of birth\ncaller: may 9 1971. a good day\n",
        "agent: where does he live\ncaller: pearl harbor. by the base. memorial day weekend he moved\n",
    ],
)
def test_a_time_around_a_day_or_a_day_outside_the_birthday_answer_names_no_new_date(text):
    assert not any("day" in said for said in _date_slot(text))
