"""Session 18 (vertical18, issue 8): employers after a trade's verb, "of" inside an employer's name, a school after a
student's year, the VA's community-care program said bare. Every sentence is invented (no corpus sentence); each
positive case fails on main 2bb3833, and each has a guard of the same shape that must stay as it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.lexicon import _verb_forms


def _prepared(text: str) -> str:
    text = text.replace("\\n", "\n")
    return text if text.endswith("\n") else text + "\n"


def _spans(redactor: Redactor, text: str):
    text = _prepared(text)
    return [(text[s.start : s.end], s.category, s.canonical) for s in redactor.redact(text).spans]


def _covered(redactor: Redactor, text: str, phrase: str, category: str | None = None) -> bool:
    """Whether every character of ``phrase`` in ``text`` lies inside a span (of ``category`` when given)."""
    text = _prepared(text)
    start = text.index(phrase)
    inside = [(s.start, s.end) for s in redactor.redact(text).spans if category is None or s.category == category]
    return all(any(a <= i < b for a, b in inside) for i in range(start, start + len(phrase)) if not text[i].isspace())


def _touched(redactor: Redactor, text: str, phrase: str) -> bool:
    """Whether any span touches ``phrase`` in ``text``."""
    text = _prepared(text)
    start = text.index(phrase)
    return any(s.start < start + len(phrase) and start < s.end for s in redactor.redact(text).spans)


# ------------------------------------------------------------ an employer after a trade said by its verb
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: he plows for ohio dot out of the north garage, nights", "ohio dot"),
        ("caller: he was setting fence posts for birch creek timber till the season ended", "birch creek timber"),
        ("caller: he boils syrup at hollis hill sugarhouse every march", "hollis hill sugarhouse"),
        ("caller: she tends bar at the blue heron on weekends", "blue heron"),
        ("caller: i was tapping maples at sugar hollow last spring", "sugar hollow"),
        ("Caller: He plows for Vermont AOT out of the Barre shed.", "Vermont AOT"),
    ],
)
def test_an_employer_after_a_trade_verb_is_found(redactor, text, employer):
    assert _covered(redactor, text, employer, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he hauls for a living, always has", "a living"),
        ("caller: she cleans at night mostly, then sleeps", "night"),
        ("caller: i cook for the kids every night", "the kids"),
        ("caller: he drove me for an hour to get there", "an hour"),
        ("caller: she cleans up at the house on weekends", "the house"),
        ("caller: i set a date for court already", "court"),
        ("Agent: Your authorization came in, so we're all set for Thursday.", "Thursday"),  # "set" needs what it works on
        ("caller: he paints for fun now, he's retired", "fun"),
    ],
)
def test_a_trade_verb_before_no_name_finds_nothing(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_trade_verb_forms_are_written_out():
    assert _verb_forms("haul") == ("haul", "hauls", "hauled", "hauling")
    assert _verb_forms("set") == ("set", "sets", "setting")
    assert _verb_forms("drive") == ("drive", "drives", "drived", "driving", "drove", "driven")
    assert _verb_forms("fish") == ("fish", "fishes", "fished", "fishing")


# ------------------------------------------------------------ "of" inside an employer's name
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: my wife works at house of ribs in the valley", "house of ribs"),
        ("caller: she got hired on at port of astoria loading ships", "port of astoria"),
        ("caller: she's at work at the port of olympia till noon", "port of olympia"),
    ],
)
def test_of_inside_an_employer_name_is_kept(redactor, text, employer):
    assert _covered(redactor, text, employer, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he works at the end of the day shift", "end of"),
        ("caller: she works at the top of the hill by the school", "top of"),
        ("caller: he got hired on at port of astoria loading ships", "loading ships"),  # what is done there
        ("caller: she's at work at the port of olympia till noon", "till noon"),
    ],
)
def test_of_and_what_follows_a_name_stay_out_of_it(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ a school after a student's year
@pytest.mark.parametrize(
    "text, school",
    [
        ("caller: he's a junior at wsu, he plays baseball", "wsu"),
        ("caller: my daughter's a sophomore at umkc in the nursing program", "umkc"),
        ("caller: i'm a grad student at ndsu and i can't stop", "ndsu"),
    ],
)
def test_a_school_after_a_students_year_is_found(redactor, text, school):
    assert _covered(redactor, text, school, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he's a junior at college now, he plays baseball", "college"),
        ("caller: she's a senior at heart, she loves bingo", "heart"),
        ("caller: my mom's a senior with dementia and she lives alone", "dementia"),
    ],
)
def test_a_students_year_before_no_name_finds_nothing(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ the VA's community-care program said bare
@pytest.mark.parametrize(
    "text",
    [
        "agent: does he get care through the va\\ncaller: yes, the va in tulsa. they said he can use community care here",
        "caller: i got community care from the v a, they sent the paperwork last week",
        "caller: i'm a vet. the lady at the veterans affairs office said you take community care",
    ],
)
def test_community_care_where_the_talk_is_of_the_va_is_the_va_program(redactor, text):
    assert ("community care", "INSURER", "va_health") in _spans(redactor, text), _spans(redactor, text)


@pytest.mark.parametrize(
    "text",
    [
        "caller: she needs community care after discharge, the nurse said",  # no VA in the talk
        "caller: the va sent a community care referral to the clinic",  # an article: a kind of referral
        "caller: my brother's a vet. he believes in community care, church and all that",  # a veteran, not the VA
    ],
)
def test_community_care_in_prose_stays(redactor, text):
    assert not _touched(redactor, text, "community care"), _spans(redactor, text)


# ------------------------------------------------------------ trial courts and a college's counseling center by name
@pytest.mark.parametrize(
    "text, facility",
    [
        ("caller: his hearing is at the tarrant county court at law on the fifth", "tarrant county court at law"),
        ("caller: he's due in pueblo county combined court next week", "pueblo county combined court"),
        ("caller: the paper says court of common pleas, criminal division", "court of common pleas"),
        ("caller: i saw someone at lakeshore counseling and psychological services once", "counseling and psychological services"),
        ("caller: i'm a counselor at counseling and psychological services at the university", "counseling and psychological services"),
    ],
)
def test_a_court_or_a_counseling_center_by_its_name_is_found(redactor, text, facility):
    assert _covered(redactor, text, facility), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: the court said he needs treatment first", "court"),
        ("caller: he needs a lawyer, this is a court of law after all", "court of law"),
        ("caller: she wants counseling and psychological help, not a program", "counseling and psychological help"),
    ],
)
def test_a_court_or_counseling_said_as_a_kind_stays(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------ "working at / for": the gerund of the plain work cue (integrator)
# "works at" and "worked at" were cues since session 14; the gerund was not ("she's working at <x> now"). Shown by the
# thirteenth corpus's development half only, kept as the same cue's missing form, with no false token on any
# development source.
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: he's working at renfro's again, days", "renfro's"),
        ("caller: she was working at marlowe's on the night shift", "marlowe's"),
    ],
)
def test_an_employer_after_working_at_or_for_is_found(redactor, text, employer):
    assert _covered(redactor, text, employer)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he's working at home right now", "home right now"),
        ("caller: she's working for herself these days", "herself these days"),
        ("caller: i'm working at it, i swear", "working at it"),
        ("caller: he's been working at getting clean", "getting clean"),
    ],
)
def test_working_at_before_no_name_finds_nothing(redactor, text, words):
    assert not _touched(redactor, text, words)
