"""Over-masking classes of session 20 (fp20): ordinary words the development sets' false tokens showed masked as
identifiers, each fixed as a class with the nearest true identifier still masked beside it. Every input is invented for
this file (other names, places, wordings); none is copied from calls_dev or the red-team calls."""

from __future__ import annotations

import re

import pytest

from cipher_pipeline import asr_terms
from cipher_pipeline.deid import Redactor, lexicon, safeword, slots


def _masked(redactor: Redactor, text: str) -> list[str]:
    return [text[s.start : s.end] for s in redactor.redact(text).spans]


def _covers(redactor: Redactor, text: str, word: str) -> bool:
    at = text.index(word)
    return any(s.start < at + len(word) and at < s.end for s in redactor.redact(text).spans)


# ------------------------------------------------------------------------------ street names of pills; a licence's word
@pytest.mark.parametrize(
    "text, word",
    [
        ("Caller: he's been buying oxys off a guy at the laundromat", "oxys"),
        ("caller: she takes percs when her back goes out", "percs"),
        ("Caller: Mostly roxies, and xans to sleep.", "roxies"),
        ("caller: he needs his cdl back for the grain route", "cdl"),
        ("Caller: I can't lose my CDL over this.", "CDL"),
    ],
)
def test_street_pill_names_and_cdl_are_no_names(redactor: Redactor, text: str, word: str) -> None:
    assert not _covers(redactor, text, word)


def test_a_cdl_number_is_still_masked(redactor: Redactor) -> None:
    text = "Caller: my cdl number is w 8 3 0 6 5 1 2 9 4"
    assert any("8 3 0 6 5 1 2 9 4" in m for m in _masked(redactor, text))


# ------------------------------------------------------------------------------ relatives as families say them
@pytest.mark.parametrize("word", ["mamaw", "papaw", "meemaw", "granddaddy", "auntie's", "mémère", "abuelita"])
def test_home_kin_words_are_safe(word: str) -> None:
    text = f"caller: i been staying with my {word} since june"
    assert [text[s.start : s.end] for s in safeword.find(text, True)] == []


def test_a_name_after_a_home_kin_word_is_still_a_name() -> None:
    text = "caller: i been staying with my papaw quillek since june"
    assert [text[s.start : s.end] for s in safeword.find(text, True)] == ["quillek"]


# ------------------------------------------------------------------------------ the word after "i" in "i <verb> this is"
@pytest.mark.parametrize("verb", ["suppose", "figure", "reckon", "imagine"])
def test_a_callers_verb_after_i_is_no_greeted_name(redactor: Redactor, verb: str) -> None:
    text = f"Agent: admissions, this is marlo, how can i help\nCaller: i {verb} this is the right line. my son drinks."
    assert not _covers(redactor, text, verb)


def test_whispers_i_for_hi_still_greets_a_name(redactor: Redactor) -> None:
    text = "Agent: admissions, this is marlo, how can i help\nCaller: i marlo, this is quincy."
    assert _masked(redactor, text).count("marlo") == 2


# ------------------------------------------------------------------------------ what is done after a work cue
@pytest.mark.parametrize(
    "text, activity",
    [
        ("caller: i work at staying clean one day at a time", "staying clean"),
        ("caller: he's working at keeping calm these days", "keeping calm"),
        ("caller: she works at getting sober", "getting sober"),
    ],
)
def test_an_activity_after_a_work_cue_is_no_workplace(redactor: Redactor, text: str, activity: str) -> None:
    assert not _covers(redactor, text, activity.split()[0])


def test_a_workplace_after_a_work_cue_is_still_masked(redactor: Redactor) -> None:
    text = "caller: he works at copper ridge fabrication on the night shift"
    assert any("copper ridge" in m for m in _masked(redactor, text))


def test_activity_reader_spares_business_gerunds() -> None:
    assert lexicon._activity_after_cue("staying") and lexicon._activity_after_cue("getting")
    assert not any(lexicon._activity_after_cue(w) for w in ("roofing", "wending", "sterling", "spring", "morning"))


def test_a_school_after_a_students_cue_is_still_masked(redactor) -> None:
    text = "caller: she's a junior at wending ridge and she's scared"
    assert any("wending ridge" in m for m in _masked(redactor, text))


# ------------------------------------------------------------------------------ an insurer's word as an ordinary noun
@pytest.mark.parametrize(
    "text",
    [
        "Caller: my daughter, she takes independence seriously now that she has her own place",
        "Caller: honestly he accepts independence is hard for her",
    ],
)
def test_a_person_taking_an_insurer_word_is_no_payer(redactor: Redactor, text: str) -> None:
    assert not _covers(redactor, text, "independence")


def test_a_center_taking_the_carrier_is_still_a_payer(redactor: Redactor) -> None:
    text = "Agent: our bucks county site takes independence, so that works."
    assert _covers(redactor, text, "independence")


# ------------------------------------------------------------------------------ the plan words' one home
def test_plan_words_have_one_home() -> None:
    assert asr_terms.PLAN_WORDS <= asr_terms._PLAN_WORD_AFTER and asr_terms.PLAN_WORDS <= asr_terms._SLOT_AFTER
    for word in asr_terms.PLAN_WORDS:
        assert slots._HEARD_PLAN_WORD.match(f" {word}"), word
    assert not slots._HEARD_PLAN_WORD.match(" planner")
    assert re.fullmatch(r"\[ \\t\]\+\(\?:[a-z|]+\)\\b", slots._HEARD_PLAN_WORD.pattern)


# ------------------------------------------------------------------------------ a vehicle's make or model
@pytest.mark.parametrize(
    "text, word",
    [
        ("Caller: He drives a maroon Tundra, plate 7FJ 2281.", "Tundra"),
        ("caller: my sister's got a gray subaru, the plate is k w t four four nine", "subaru"),
        ("Caller: It's an old Malibu with a cracked windshield.", "Malibu"),
        ("caller: his 2014 tacoma got towed off the lot", "tacoma"),
        ("Caller: a white Toyota Camry, Oregon plate 339 RBK.", "Toyota"),
    ],
)
def test_a_vehicle_make_or_model_is_no_name_or_town(redactor, text: str, word: str) -> None:
    assert not _covers(redactor, text, word)


def test_the_plate_and_the_town_of_the_same_name_are_still_masked(redactor) -> None:
    text = "Caller: He drives a maroon Tundra, plate 7FJ 2281. We moved here from Tacoma in May."
    masked = _masked(redactor, text)
    assert "Tacoma" in masked and any("2281" in m for m in masked)


def test_vehicle_names_keeps_a_name_that_goes_on_past_the_make() -> None:
    from cipher_pipeline.deid import rules
    from cipher_pipeline.deid.spans import Span

    text = "Caller: my buddy ford pruitt drives a blue ford"
    first, last = text.index("ford pruitt"), text.rindex("ford")
    spans = [Span(first, first + len("ford pruitt"), "NAME", "names"), Span(last, last + 4, "NAME", "safeword")]
    assert [text[s.start : s.end] for s in rules.vehicle_names(text, spans)] == ["ford pruitt"]
