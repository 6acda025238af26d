"""The spoken-number words have one home, cipher_pipeline.vocabulary; the engine's patterns are built from it.

Each reader keeps its own additions ("oh" as a spoken zero, "hundred" without "thousand" for a house number, the
ordinals to "tenth" for a repair); these tests pin what each reader matches on inputs written for them, and that the
learned model's frozen feature list is still the shared words plus its own.
"""

from __future__ import annotations

import re

from cipher_pipeline.deid import geography, learned, repairs, rules, slots
from cipher_pipeline.vocabulary import ONES, ORDINALS, SCALE_WORDS, TENS


def _full(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text, re.I) is not None


def test_every_cardinal_is_a_num_word_and_oh_is_a_spoken_digit():
    for word in (*ONES, *TENS[2:], *SCALE_WORDS, "oh"):
        assert _full(rules.NUM_WORD, word), word
    assert _full(rules.DIGIT_WORD, "oh") and _full(rules.DIGIT_WORD, "seven")
    assert not _full(rules.DIGIT_WORD, "seventeen")  # a digit word is one digit
    assert not _full(rules.NUM_WORD, "fourty")  # numbers.py reads the misspelling; the rules' words do not
    assert not _full(rules.NUM_WORD, "double")


def test_days_of_the_month_in_words():
    for said in ("twenty-eight", "thirty one", "nineteen", "four"):
        assert _full(rules.CARD_DAY, said), said
    for said in ("thirty-first", "twentieth", "thirteenth", "ninth"):
        assert _full(rules.ORD_WORD, said), said
    # a day goes to thirty-one: "forty" takes no unit and is no day
    assert not _full(rules.CARD_DAY, "forty two")
    assert not _full(rules.ORD_WORD, "fortieth")


def test_a_house_number_takes_hundred_but_not_thousand():
    assert _full(geography._HOUSE_NUMBER_WORD, "hundred")
    assert _full(geography._HOUSE_NUMBER_WORD, "oh")
    assert not _full(geography._HOUSE_NUMBER_WORD, "thousand")


def test_a_birth_date_said_in_words_is_date_tokens():
    said = "the twelfth of march nineteen eighty oh two thousand"
    assert all(slots._DATE_TOKEN.fullmatch(w) for w in said.split())
    assert slots._DATE_TOKEN.fullmatch("seventeenth")  # the teen ordinals by their ending
    assert not slots._DATE_TOKEN.fullmatch("dozen")


def test_repairs_number_words_leave_oh_to_the_interjection():
    assert {"seventeen", "thousand", "tenth", "zero"} <= repairs._NUMBER_WORDS
    assert "oh" not in repairs._NUMBER_WORDS
    assert "eleventh" not in repairs._NUMBER_WORDS


def test_code_pairs_and_digit_set():
    assert rules._SPOKEN_PAIR_WORDS == frozenset((*ONES[10:], *TENS[2:]))
    assert rules._DIGIT_WORD_SET == {"zero", "oh", *ONES[1:10]}
    assert re.search(rules._CODE_TOKEN, "forty", re.I) and not re.fullmatch(rules._CODE_TOKEN, "hundred")


def test_learned_feature_lists_are_frozen_copies_of_the_shared_words():
    # the model's features are written out in learned.py; if the shared list grows, this says so and the model
    # keeps its words until it is retrained
    assert learned._NUMBER_WORDS == frozenset(("oh", *ONES, *TENS[2:], *SCALE_WORDS, "double", "triple"))
    assert learned._ORDINAL_WORDS == frozenset(ORDINALS.values())


def test_number_runs_read_the_shared_words_and_their_own():
    from cipher_pipeline.deid.numbers import DIGIT_WORDS, TEEN_WORDS, TENS_WORDS, find_number_runs

    assert TEEN_WORDS["seventeen"] == "17" and TENS_WORDS["seventy"] == "7" and DIGIT_WORDS["nine"] == "9"
    # the run's own additions: the letter "o", the Spanish digits, the misspelling "fourty"
    assert DIGIT_WORDS["o"] == "0" and DIGIT_WORDS["nueve"] == "9" and TENS_WORDS["fourty"] == "4"
    runs = find_number_runs("call me at three one two, fourty seven, o eight")
    assert [r.digits for r in runs] == ["3124708"]
    assert find_number_runs("she is seventeen") == []  # two digits are no run
