"""who22 (session 22): Safe Harbor classes other than places, on invented inputs with guards.

A nickname said beside the legal name or in a frame of what everyone knows a person as, and an age over 89 said bare
(after "still living" or said again right after a found age)."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import names, rules


def _ages(text: str) -> list[str]:
    return [text[s.start : s.end] for s in rules.AgeOver89().find(text)]


def _framed(text: str) -> list[str]:
    return [text[s.start : s.end] for s in names.NameFrameRecognizer().find(text)]


@pytest.mark.parametrize(
    "text, age",
    [
        ("caller: and my grandfather is still living, 97, out at the old farm.", "97"),
        ("caller: his aunt's still alive, ninety-six, and sharp as a tack", "ninety-six"),
        ("caller: her dad is still living one hundred two\n", "one hundred two"),
        ("caller: and grandpa is still living ninety eight at the vets home", "ninety eight"),
        ("caller: my great aunt. she's ninety. ninety one in october", "ninety one"),
        ("caller: he's 93, no, 94. lives alone", "94"),
        ("caller: grandma's a hundred. a hundred and three next spring", "a hundred and three"),
    ],
)
def test_a_bare_age_over_89_is_found(text: str, age: str) -> None:
    assert age in _ages(text), _ages(text)


@pytest.mark.parametrize(
    "text",
    [
        "caller: he's still living at 101 elm street",  # an address, not an age
        "caller: she's still living, 100 percent sure of it",
        "caller: i'm still alive, 95 days clean",  # a count of days
        "caller: he's still around, 42, and working",  # an age under 90
        "caller: she's 92. 93 dollars a month for the meds",  # money after a found age
        "caller: he's ninety. a hundred and fifty bucks is the copay",
        "caller: the bill was a hundred. a hundred and five with tax",  # no age before it
    ],
)
def test_a_number_that_is_no_age_stays(text: str) -> None:
    found = _ages(text)
    assert not any(n in found for n in ("101", "100", "95", "42", "93", "a hundred and five", "a hundred and fifty")), found


@pytest.mark.parametrize(
    "text, nickname",
    [
        ("caller: everybody knows me as biscuit. on the forms it's ray dunleavy.", "biscuit"),
        ("caller: he's better known as moose around the yard", "moose"),
        ("Caller: Folks know her as Pickles at the diner.", "Pickles"),
        ('Caller: Raymond "Biscuit" Dunleavy, fifty-two, came in last night.', "Biscuit"),
        ("Caller: I'm Bubba. Well, Gerald Ostrowski. My wife's here too.", "Bubba"),
        ("caller: this is skeeter, i mean dwayne hollis, and my brother's with me", "skeeter"),
    ],
)
def test_a_nickname_beside_the_name_or_known_as_is_a_name(text: str, nickname: str) -> None:
    assert nickname in _framed(text), _framed(text)


@pytest.mark.parametrize(
    "text",
    [
        "caller: everybody knows him as a hard worker",
        "caller: it's known as the shakes, right?",
        "caller: people know me as sober now",
        "caller: i'm sorry. well, gerald ostrowski said to call",  # a very common word before the correction
        "caller: i'm good. well, gerald ostrowski, my sponsor, says hi",
        "caller: i'm worried. actually, mary jones and i both are",
        "caller: i'm nervous. well, mary jones.",
        'caller: the sign said "closed" monday',  # quotes with no name around them
        'Caller: Main "Street" Diner is where I work.',
    ],
)
def test_ordinary_speech_in_those_frames_stays(text: str) -> None:
    found = [f.lower() for f in _framed(text)]
    assert not set(found) & {"a", "the", "sober", "sorry", "good", "worried", "nervous", "closed", "street"}, found


def test_a_nickname_found_once_is_masked_where_it_is_said_again(redactor) -> None:
    text = "caller: i'm bubba well gerald ostrowski and my wife is here\nagent: okay bubba what's going on\n"
    redacted = redactor.redact(text).redacted_text
    assert "bubba" not in redacted, redacted


def _months(text: str) -> list[str]:
    return [text[s.start : s.end] for s in rules.MonthName().find(text)]


@pytest.mark.parametrize(
    "text, month",
    [
        ("caller: she runs the quilt booth at the county fair every August.", "August"),
        ("caller: we go up to the lake each may for a week", "may"),
        ("caller: he relapsed in the fall, no wait, it was march.", "march"),
        ("caller: that was may, right after his court date", "may"),
    ],
)
def test_a_month_alone_after_every_or_stated_is_a_date(text: str, month: str) -> None:
    assert month in _months(text), _months(text)


@pytest.mark.parametrize(
    "text",
    [
        "caller: it was march madness at the bar",
        "caller: it's may be the last chance he gets",
        "caller: they march every day at boot camp",
        "caller: each of them may have to sign",  # the verb after a pronoun
    ],
)
def test_a_months_word_that_goes_on_as_a_word_stays(text: str) -> None:
    assert not _months(text), _months(text)
