"""Vertical classes added in session 5 (issue 8): programs, plans and facilities in the shapes callers use when no
lexicon lists the name, each tested on invented names and phrasings (calls_dev is scored, never tested against),
with the ordinary phrases each class must leave alone. Also the raw-style projection of the evaluation."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor.default()


def _spans(redactor: Redactor, text: str) -> list[tuple[str, str]]:
    text = text.replace("\\n", "\n")
    text = text if text.endswith("\n") else text + "\n"
    return [(text[s.start : s.end], s.category) for s in redactor.redact(text).spans]


def _found(redactor: Redactor, text: str, phrase: str, category: str) -> bool:
    return any(phrase in got and cat == category for got, cat in _spans(redactor, text))


def _untouched(redactor: Redactor, text: str, word: str) -> bool:
    return not any(word in got for got, _ in _spans(redactor, text))


# ----------------------------------------------------------------- a bare treatment head after common words
@pytest.mark.parametrize(
    "text, name",
    [
        ("caller: he did two weeks somewhere\\nagent: where was that\\ncaller: silver birch detox over in the valley", "silver birch detox"),
        ("caller: my daughter was at the pines recovery for a while, she hated the program", "pines recovery"),
        ("caller: he needs help. the program said copper canyon recovery was cheaper", "copper canyon recovery"),
        ("caller: she did detox last spring then quail run rehab for a month", "quail run rehab"),
    ],
)
def test_a_lower_case_program_before_a_bare_treatment_head_is_a_competitor(redactor, text, name):
    assert _found(redactor, text, name, "COMPETITOR")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: she's in recovery now, long term recovery, like twelve step recovery, no program", "recovery"),
        ("caller: he needs medical detox, maybe inpatient alcohol detox first, then a program", "detox"),
        ("caller: they do medication assisted treatment and court ordered treatment in that program", "treatment"),
        ("caller: is this drug rehab or mental health rehab, he needs a program", "rehab"),
        ("caller: i'm in early recovery, my own recovery matters, i need a program", "recovery"),
        ("caller: he needs fentanyl detox and then residential treatment", "detox"),
        ("caller: her sister's recovery is going well since the program", "recovery"),
    ],
)
def test_kinds_of_treatment_stay(redactor, text, word):
    assert _untouched(redactor, text, word)


# ----------------------------------------------------------------- a name said again by its first words
@pytest.mark.parametrize(
    "text, again, category",
    [
        ("caller: he was at harbor light behavioral health last year\\nagent: how was harbor light for him", "harbor light", "PROVIDER"),
        ("caller: she has neighborhood health plan of rhode island through work\\nagent: ok, neighborhood health members need a referral", "neighborhood health", "INSURER"),
    ],
)
def test_a_name_said_again_by_its_first_words_is_the_same_one(redactor, text, again, category):
    found = _spans(redactor, text)
    assert sum(1 for got, cat in found if again in got and cat == category) == 2


def test_a_shortened_name_of_shared_words_is_not_said_again(redactor):
    text = "caller: he has community health choice insurance\\nagent: community health centers are different from us"
    assert not any("centers" in got or got == "community health" for got, _ in _spans(redactor, text)[1:])


# ----------------------------------------------------------------- a service after a treatment cue
@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: we called the crisis line twice, he needs treatment", "crisis"),
        ("caller: she was at the psych ward for a week, she needs treatment", "psych"),
    ],
)
def test_a_service_after_a_treatment_cue_is_no_program(redactor, text, word):
    assert _untouched(redactor, text, word)


# ----------------------------------------------------------------- the center's own names
@pytest.mark.parametrize(
    "text",
    [
        "caller: harborview recovery was cheaper than the other detox program",
        "caller: we looked at harborview recovery center for his treatment",
        "caller: is harbor view recovery center in network, i need treatment",
    ],
)
def test_the_centers_own_name_is_never_a_competitor(redactor, text):
    assert not any("harbor" in got.lower() for got, _ in _spans(redactor, text))
