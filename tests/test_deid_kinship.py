"""Relatives have one home (`words.KIN`, `kin_pattern`, `kin_tokens`): every cue that reads a relation reads its
compound forms too ("-in-law", "step-", "half-", "grand-", "great-"). Every text here is invented."""

from __future__ import annotations

import re

import pytest

from cipher_pipeline.deid import rules
from cipher_pipeline.deid.words import ELDER_KIN, KIN, kin_pattern, kin_tokens
from tests.test_deid_chart import LOWER_NOTE, SHOUTING_NOTE

_KIN_ONLY = re.compile(rf"(?i)^(?:{kin_pattern('dtr', plural=True)})$")


@pytest.mark.parametrize(
    "word",
    ["sister-in-law", "mother in law", "step mom", "stepson", "half-brother", "great aunt", "great-great-grandma",
     "grand son", "godmother", "daughters-in-law", "dtr-in-law", "stepdtr"],
)  # fmt: skip
def test_a_relatives_compound_forms_are_relatives(word):
    assert _KIN_ONLY.match(word)


@pytest.mark.parametrize("word", ["sonar", "grandstand", "stepped", "halfway", "great job", "grand rapids", "law", "in-law"])
def test_words_built_like_a_relative_are_not_one(word):
    assert not _KIN_ONLY.match(word)


def test_the_token_forms_hold_every_base_and_compound_word():
    tokens = kin_tokens()
    assert set(KIN) <= tokens and {"stepdad", "sister-in-law", "great-aunt", "greatgrandma", "half-sister"} <= tokens
    assert not {"in", "law", "great", "step", "half", "grand"} & tokens  # no prefix alone is a relative
    assert "granny" not in tokens and "granny" in kin_tokens(words=ELDER_KIN)


def _masked(redactor, text: str, after: int = 0) -> list[str]:
    return [text[s.start : s.end] for s in redactor.redact(text).spans if s.start >= after]


def test_an_in_law_before_a_word_in_an_all_caps_note_names_it(redactor):
    text = SHOUTING_NOTE + "SISTER-IN-LAW HOLLY IN TO VISIT, UPDATED.\n"
    assert "HOLLY" in _masked(redactor, text, len(SHOUTING_NOTE))
    guard = SHOUTING_NOTE + "SISTER-IN-LAW AWARE OF PLAN, UPDATED.\n"
    assert _masked(redactor, guard, len(SHOUTING_NOTE)) == []  # what a note writes after a cue that names no one


def test_a_step_relation_glued_to_a_charts_shorthand_is_no_part_of_the_name(redactor):
    text = LOWER_NOTE + "social: stepdtr Brook called for update.\n"
    assert _masked(redactor, text, len(LOWER_NOTE)) == ["Brook"]


@pytest.mark.parametrize(
    "line, age",
    [("my mother in law's 93 and she lives with us", "93"), ("my stepmom's 91 now", "91"),
     ("her father-in-law's 94 this year", "94")],
)  # fmt: skip
def test_an_age_over_89_after_a_compound_elder_is_an_age(line, age):
    text = f"agent: how old is she?\ncaller: {line}\n"
    assert [text[s.start : s.end] for s in rules.find(text) if s.category == "AGE"] == [age]


@pytest.mark.parametrize("line", ["my mother in law's 73 and she lives with us", "my stepmom's 61 now"])
def test_an_age_under_90_after_a_compound_elder_stays(line):
    text = f"agent: how old is she?\ncaller: {line}\n"
    assert [s for s in rules.find(text) if s.category == "AGE"] == []


def test_an_ordinal_before_a_compound_relative_is_no_day_of_the_month():
    text = "caller: it was the third grandkid she had, then the second stepson\n"
    assert [s for s in rules.find(text) if s.category == "DATE"] == []
    guard = "caller: i moved in on the third, then the second stepson came\n"
    assert [guard[s.start : s.end] for s in rules.find(guard) if s.category == "DATE"] == ["the third"]


def test_a_given_name_owning_a_step_relative_is_a_person_in_lower_case(redactor):
    text = "caller: hunter's stepdad has been driving me\n"
    assert "hunter" in _masked(redactor, text)
    guard = "caller: the hunter's stepdad has been driving me\n"  # an article: a person's role, not a name
    assert "hunter" not in _masked(redactor, guard)
