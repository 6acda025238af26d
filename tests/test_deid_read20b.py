"""Session 20 (read20b): the read-through of fp20 and init20. Each test is a behaviour the read-through fixed, on
invented inputs (other names, other wordings than the development calls), with the nearest thing that must stay as it
was beside it."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import rules, vertical
from cipher_pipeline.deid.spans import Span


def _kept(text: str, *found: str, category: str = "NAME") -> list[str]:
    spans = []
    for words in found:
        at = text.index(words)
        spans.append(Span(at, at + len(words), category, "names"))
    return [text[s.start : s.end] for s in rules.vehicle_names(text, spans)]


# ------------------------------------------------------------------------------ a make is no description of its own
@pytest.mark.parametrize(
    "text, name",
    [
        ("Caller: my stepson Harley Ford is the one who needs help", "Harley Ford"),
        ("caller: this is kia dodge, i'm calling for my husband", "kia dodge"),
        ("Caller: her caseworker, Tesla Buick, gave me this number", "Tesla Buick"),
    ],
)
def test_a_name_of_two_vehicle_words_is_kept(text: str, name: str) -> None:
    # fp20 read the first word of the finding as the second's description ("a ... honda civic"), so a person called
    # by a make and a make was dropped whatever stood before them
    assert _kept(text, name) == [name]


def test_a_name_of_two_vehicle_words_is_still_masked_by_the_engine(redactor) -> None:
    text = "Caller: my stepson Harley Ford is the one who needs help, he's nineteen"
    at = text.index("Harley Ford")
    assert any(s.start <= at and at + len("Harley Ford") <= s.end for s in redactor.redact(text).spans)


@pytest.mark.parametrize(
    "text, found",
    [
        # the guard: a make before a model, described, is still the vehicle, as one finding or as two
        ("caller: she drives a gold hyundai elantra now", ("hyundai elantra",)),
        ("caller: she drives a gold hyundai elantra now", ("hyundai", "elantra")),
        ("Caller: he sold his old Chevy Impala last spring", ("old Chevy Impala",)),
    ],
)
def test_a_described_make_and_model_is_still_the_vehicle(text: str, found: tuple[str, ...]) -> None:
    assert _kept(text, *found) == []


def test_a_make_and_model_without_a_description_is_read_alike_as_one_finding_or_two() -> None:
    # without an article, possessive, colour, age or year before them the two words are read the same way whether a
    # layer found them together or apart (fp20 dropped the pair and kept the model found alone)
    text = "caller: his name is honda accord, it's on the paperwork"
    assert _kept(text, "honda accord") == ["honda accord"]
    assert _kept(text, "accord") == ["accord"]


def test_vehicle_names_stays_linear_in_the_findings() -> None:
    # every finding a make right after another: fp20 walked back over every make before each one (quadratic)
    def seconds(n: int) -> float:
        text = " ".join(["honda"] * n)
        spans = [Span(6 * k, 6 * k + 5, "NAME", "names") for k in range(n)]
        t0 = time.process_time()
        rules.vehicle_names(text, spans)
        return time.process_time() - t0

    small, large = seconds(1000), seconds(4000)
    assert large < max(8 * small, 0.5), (small, large)


# ------------------------------------------------------------------------------ the generic initialisms' homes
def test_the_generic_initialism_list_holds_only_what_no_other_home_holds() -> None:
    from cipher_pipeline.deid.safeword import CALENDAR_AND_PUBLIC
    from cipher_pipeline.deid.words import is_safe_word

    for word in vertical._GENERIC_INITIALISMS:
        assert not is_safe_word(word) and word not in CALENDAR_AND_PUBLIC, word
        # and each is one the rule can read after "at" (no hyphen, two to four letters)
        assert vertical._INITIALISM_AT.fullmatch(f"at {word}"), word


@pytest.mark.parametrize(
    "text, letters",
    [
        # public names no one is identified by (safeword.CALENDAR_AND_PUBLIC), which init20's list did not read
        ("caller: he had a hearing at doj about it", "doj"),
        ("caller: my cousin works at the fda in maryland", "fda"),
        ("caller: she left her coat at mr okafor's office", "mr"),
    ],
)
def test_a_public_name_after_at_is_no_initialism(text: str, letters: str) -> None:
    assert [text[s.start : s.end] for s in vertical.initialism_spans(text, True, lambda w: False)] == []


def test_an_organisations_initialism_after_at_is_still_found() -> None:
    text = "caller: she did her residency at q r h and then at the bvmc"
    assert [text[s.start : s.end] for s in vertical.initialism_spans(text, True, lambda w: False)] == ["q r h", "bvmc"]


def test_an_initialism_is_read_on_the_line_of_its_at() -> None:
    # "at" ending one speaker's line is no "at" before the next speaker's label
    text = "caller: yeah she's at\nkb: okay, and the date of birth"
    assert vertical.initialism_spans(text, True, lambda w: False) == []


@pytest.mark.parametrize("text", ["lorazepam 1 mg given at qhs, tylenol at prn", "pt to take meds at bid intervals"])
def test_a_charting_abbreviation_after_at_is_no_initialism(text: str) -> None:
    # a chart's notation (register.is_chart_word) is a time or a dose; a hospital's letters beside it are still read
    assert vertical.initialism_spans(text, False, lambda w: False) == []
    text += ", transferred at kvmc"
    assert [text[s.start : s.end] for s in vertical.initialism_spans(text, False, lambda w: False)] == ["kvmc"]
