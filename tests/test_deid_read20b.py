"""Session 20 (read20b): the read-through of fp20 and init20. Each test is a behaviour the read-through fixed, on
invented inputs (other names, other wordings than the development calls), with the nearest thing that must stay as it
was beside it."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import rules
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
