"""The safe-word layer's chain of word judges (``cipher_pipeline/deid/safeword.py``, ``WORD_JUDGES``): the first
judge that decides a word masks it under its own name or leaves it (shorthand, vocabulary). Every input is invented
for this file; none is copied from calls_dev. Chart-register behaviour: tests/test_deid_chart.py."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import safeword

NOTE = (
    "nsg note 7p-7a\n"
    "neuro: a&ox3, mae, given tylenol 650mg po w/ relief.\n"
    "cv: hr 80s sr, bp 100-120/60s, k 3.9 repleted w/ 40meq kcl.\n"
    "resp: ls clear, sats 97% on 2l nc, rr 18.\n"
)


def _named(text: str, caseless: bool) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.recognizer) for s in safeword.find(text, caseless)]


@pytest.mark.parametrize(
    "text, caseless, phrase, judge",
    [
        ("Caller: I drove over with Quillek yesterday.", False, "Quillek", "unknown_word"),
        ("caller: i drove over with quillek yesterday", True, "quillek", "unknown_word"),
        ("Caller: I drove over with tiffany yesterday.", False, "tiffany", "lowercase_proper_noun"),
        ("Caller: Dominic's mom drove.", False, "Dominic", "possessive_proper_noun"),
        ("Agent: Hi, this is ROBIN with intake.", False, "ROBIN", "shouted_word"),
        (NOTE + "social: daughter wrenna called twice.\n", True, "wrenna", "chart_named"),
        pytest.param("We were at Pine Harbor Recovery Center (PHRC) and PHRC said no.", False, "PHRC", "abbreviation",
                     marks=pytest.mark.slow),  # loads scispacy's abbreviation detector
    ],
)
def test_each_judge_masks_its_words_under_its_name(text: str, caseless: bool, phrase: str, judge: str) -> None:
    assert (phrase, judge) in _named(text, caseless)
    assert all(s.layer == "safeword" for s in safeword.find(text, caseless))


@pytest.mark.parametrize(
    "text, caseless",
    [
        ("caller: pt bp ok gtt", True),  # shorthand: no vowel, two letters
        ("Caller: We talked about the CDL and an HSA.", False),  # acronyms in a cased sentence
        ("Agent: CARDIAC: stable.", False),  # a section header, decided by shouted_word
        ("Caller: I was in the garden.", False),  # a lower-case safe word
        (NOTE + "plan: cont zorvadil gtt.\n", True),  # chart vocabulary
    ],
)
def test_exclusions_decide_a_word_with_no_span(text: str, caseless: bool) -> None:
    assert safeword.find(text, caseless) == []


def test_the_first_judge_decides() -> None:
    # "Dominic's" is a possessive proper noun; the unknown-word rule after it never sees it
    text = "Caller: Dominic's mom drove."
    assert safeword.PossessiveProperNoun().find(text) and safeword.UnknownWord().find(text) == []
    # a judge's find is its share of the layer's reading
    text = "Caller: Quillek and tiffany came."
    assert [text[s.start : s.end] for s in safeword.UnknownWord().find(text)] == ["Quillek"]
    assert [text[s.start : s.end] for s in safeword.LowercaseProperNoun().find(text)] == ["tiffany"]


def test_every_judge_has_a_distinct_name() -> None:
    names = [j.name for j in safeword.WORD_JUDGES]
    assert len(names) == len(set(names)) and all(names)
