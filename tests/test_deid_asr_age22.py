"""Session 22 (asr22, issue 8): an age over 89 as Whisper writes it.

A caller says an elder relative's age ("my grandmother lives with us. She's 93."); Whisper splits the two digits with a
hyphen ("She's 9-3") or hears "she's" before the age as "shoes" ("my grandma lives with her shoes 96"). The written
forms are ``rules.AgeOver89``'s; ``asr_shapes``' ``heard_age`` reads these two. Every input here is invented (other
ages, relatives and wordings than the development decodes that showed the class).
"""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.asr_shapes import _heard_age_spans, find


def _ages(text: str) -> list[str]:
    return [text[s.start : s.end] for s in _heard_age_spans(text)]


@pytest.mark.parametrize(
    "text, age",
    [
        # the two digits split by a hyphen after the pronoun
        ("caller: my great aunt moved in with us. She's 9-7, so someone has to stay home.", "9-7"),
        ("caller: he's 9-1 and still drives, believe it or not", "9-1"),
        ("caller: our nana? she's 1-0-1 this spring", "1-0-1"),
        # "she's" heard as "shoes" after an elder relative on the same line
        ("caller: and my grandpa stays with me shoes 94, she can't be alone", "94"),
        ("caller: Well, his mother lives with them, shoes 92.", "92"),
        ("caller: my step-grandmother is in the back room. Shoes 103 if you can believe it", "103"),
    ],
)
def test_an_age_over_89_as_whisper_wrote_it(text: str, age: str) -> None:
    assert _ages(text) == [age]


@pytest.mark.parametrize(
    "text",
    [
        # "shoes" as shoes: no relative, an owner or article before it, money, a size, a count
        "caller: I need new shoes 95 would be too much",
        "caller: my mom bought shoes 95 dollars at the outlet",
        "caller: my grandma's shoes 96 are by the door",
        "caller: my dad said the shoes 90 percent were fake",
        "caller: my grandmother gave me shoes 9.5 wide",
        "caller: my uncle sold shoes 95 pairs a week",
        # an age under 90, a number run, a pronoun with no split digits (the written rule's), a phone piece
        "caller: my grandma lives with me, shoes 86 and sharp",
        "caller: she's 8-5 and still gardening",
        "caller: she's 9-3-4-4, that's her pin",
        "caller: he's 93",
        # the relative on the line before: the age is for the sentence it is said in
        "caller: my grandma is coming too.\ncaller: the shoes 96 fit",
    ],
)
def test_ordinary_shoes_and_numbers_stay(text: str) -> None:
    assert _ages(text) == []


def test_the_redactor_masks_it_in_whisper_text() -> None:
    redactor = Redactor.default()
    text = "caller: and my grandfather lives with her shoes 97, he can't be left alone.\n"
    redacted = redactor.redact(text, speech_recognized=True).redacted_text
    assert "97" not in redacted and "grandfather" in redacted and "shoes" in redacted


def test_cost_stays_linear() -> None:
    unit = "caller: my grandma lives with her shoes 96, and his mom said she's 9-4 and the new shoes 95 dollars.\n"

    def timed(n: int) -> float:
        text = unit * n
        t0 = time.perf_counter()
        find(text)
        return time.perf_counter() - t0

    timed(50)
    small, large = timed(250), timed(1000)
    assert large < 16 * max(small, 1e-3)
    assert len(_ages(unit * 1000)) == 2000
