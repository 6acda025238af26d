"""The one home of "a determiner comes before this word" (``words.DETERMINER_BEFORE_*``): each pattern, named for
what it guards, stands a rule down after its words and lets it fire after any other word. Invented examples."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import words
from cipher_pipeline.deid.words import (
    DETERMINER_BEFORE_ACRONYM,
    DETERMINER_BEFORE_RECURRENCE,
    DETERMINER_BEFORE_WEAK_SUBJECT,
)


def test_the_word_list_is_the_union_of_its_kinds():
    assert words.DETERMINERS == words.ARTICLES | words.POSSESSIVES | words.DEMONSTRATIVES | words.QUANTIFIERS
    assert {"a", "the", "its", "that", "every"} <= words.DETERMINERS


@pytest.mark.parametrize(
    "pattern, before, stands_down",
    [
        # an acronym after an article or any possessive is a thing's short name ("its CPAP", "a DUI")
        (DETERMINER_BEFORE_ACRONYM, "she wore a ", True),
        (DETERMINER_BEFORE_ACRONYM, "checked its ", True),
        (DETERMINER_BEFORE_ACRONYM, "talked to ", False),
        (DETERMINER_BEFORE_ACRONYM, "some ", False),  # a quantifier is not in this rule's set
        # a found name said again after a determiner or a quantifier is the word ("each penny", "pay the bill")
        (DETERMINER_BEFORE_RECURRENCE, "pay the ", True),
        (DETERMINER_BEFORE_RECURRENCE, "counted each ", True),
        (DETERMINER_BEFORE_RECURRENCE, "called ", False),
        (DETERMINER_BEFORE_RECURRENCE, "o-the ", False),  # "the" as the tail of a hyphenated word opens nothing
        (DETERMINER_BEFORE_RECURRENCE, "its ", False),  # "its" is said of things, never before a person's name
        # a rare-word name as a subject: "cheap brandy was", "some of brandy's"
        (DETERMINER_BEFORE_WEAK_SUBJECT, "that cheap ", True),
        (DETERMINER_BEFORE_WEAK_SUBJECT, "none of ", True),
        (DETERMINER_BEFORE_WEAK_SUBJECT, "so ", False),
        (DETERMINER_BEFORE_WEAK_SUBJECT, "last ", False),  # a time word belongs to the coordinate's set only
    ],
)
def test_each_determiner_pattern_stands_its_rule_down_after_its_words_only(pattern, before, stands_down):
    assert (pattern.search(before) is not None) is stands_down
    assert (pattern.search(before.upper()) is not None) is stands_down  # any case: raw and cased text alike
    assert pattern.search(before.rstrip()) is None  # the word must end what is searched, space and all


def test_the_patterns_read_a_window_given_by_position():
    """safeword searches ``pattern.search(text, start - n, start)``: the determiner must end right at the window."""
    text = "he lost his DOC card"
    start = text.index("DOC")
    assert DETERMINER_BEFORE_ACRONYM.search(text, max(0, start - 12), start)
    assert not DETERMINER_BEFORE_ACRONYM.search(text, 0, text.index("card"))
