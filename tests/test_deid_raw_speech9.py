"""Places and numbers in raw speech that the four red-team corpora's development halves showed in more than one corpus
(session 9, issue 8, branch raw9): a town said with its own state, a phone read out in Spanish, and the pause that
parts a landmark from the place before it. Every example is invented here, with other towns, numbers and landmarks
than the calls that showed the class (those are scored, never tested against). Each positive case fails on main
before this change; the guard cases beside them are everyday phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography, numbers
from tests.test_deid_call_classes import _covered, _readable
from tests.test_deid_name_frames import _masked_in


def _found(name: str, text: str) -> list[str]:
    (recognizer,) = [r for r in geography.RECOGNIZERS if r.name == name]
    return [text[s.start : s.end] for s in recognizer.find(text)]


# ------------------------------------------------------------------------------ a town said with its own state
@pytest.mark.parametrize(
    "text,town",
    [
        ("caller: yeah i know. boring oregon. it's a real town", "boring"),
        ("caller: we're out in Normal, Illinois, by the college", "Normal"),
        ("caller: she grew up in paradise pennsylvania", "paradise"),
        # a town named like a state, said with its own state
        ("caller: I live in Kansas City, Missouri.", "Kansas City"),
    ],
)
def test_a_town_said_with_its_own_state(text, town):
    assert _found("town_with_state", text) == [town]


@pytest.mark.parametrize(
    "text",
    [
        "caller: he went to the university of minnesota",
        "caller: we live in rural arkansas now",
        "caller: she's somewhere in northern michigan",
        "caller: i love oregon, but the rain",
        "caller: he's back in texas with his dad",
        "caller: it's hard in this economy ohio is expensive",
    ],
)
def test_a_state_with_no_town_of_its_own_before_it_names_no_town(text):
    assert _found("town_with_state", text) == []


def test_a_town_with_its_state_is_masked_in_a_call(redactor):
    assert _masked_in(redactor, "caller: we moved. yeah. boring oregon. off the main road", "boring oregon", "boring")


# ------------------------------------------------------------------------------ a phone read out in Spanish
@pytest.mark.parametrize(
    "text,phone",
    [
        ("caller: mi número es siete uno tres, cinco cinco cinco, cero dos nueve ocho. gracias",
         "siete uno tres, cinco cinco cinco, cero dos nueve ocho"),
        ("caller: el de mi hija es ocho tres dos cinco cinco cinco cuatro cuatro uno seis", "ocho tres dos cinco cinco cinco cuatro cuatro uno seis"),
    ],
)
def test_a_phone_read_out_in_spanish(redactor, text, phone):
    assert _covered(redactor, text, phone)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we played uno and ate tres leches", "uno and ate tres leches"),
        ("caller: she said dos veces, twice, and hung up", "dos veces"),
    ],
)
def test_a_spanish_number_word_alone_is_no_number(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_spanish_digit_words_spell_a_run():
    (run,) = numbers.find_number_runs("es nueve cero dos, cuatro cuatro uno")
    assert run.digits == "902441" and run.spoken


# ------------------------------------------------------------------------------ a pause before a landmark
@pytest.mark.parametrize(
    "text,place,landmark",
    [
        ("caller: we live in selden by the um the shop rite plaza", "selden", "shop rite plaza"),
        ("caller: off route nine past the uh, the dollar general", "route nine", "dollar general"),
    ],
)
def test_a_landmark_after_a_pause_is_masked_and_the_connector_stays(redactor, text, place, landmark):
    assert _covered(redactor, text, place) and _covered(redactor, text, landmark)
    joiner = text[text.index(place) + len(place) : text.index(landmark)]
    assert _readable(redactor, text, joiner.strip(" ,"))


def test_a_landmark_in_one_breath_with_its_place_is_still_one_span(redactor):
    text = "caller: he's in selden by the shop rite plaza\n"
    spans = redactor.redact(text).spans
    start, end = text.index("selden"), text.index("plaza") + len("plaza")
    assert any(s.start <= start and end <= s.end for s in spans)


# ------------------------------------------------------------------------------ a town said again on its own
@pytest.mark.parametrize(
    "text,context,word",
    [
        ("caller: we live in surprise. yeah, surprise. it's a real place", "yeah, surprise.", "surprise"),
        ("caller: we live in what cheer. i know. what cheer. it's a town.", "know. what cheer.", "what cheer"),
        ("caller: i'm from truth or consequences. yeah truth or consequences", "yeah truth or consequences", "truth or consequences"),
    ],
)
def test_a_found_town_said_again_as_a_fragment_of_its_own(redactor, text, context, word):
    assert _masked_in(redactor, text, context, word)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we live in surprise now. it was a surprise to me, what a surprise", "it was a surprise to me, what a surprise"),
        ("caller: we live in surprise. the party was a real surprise.", "the party was a real surprise."),
    ],
)
def test_the_word_itself_inside_a_sentence_stays_readable(redactor, text, phrase):
    assert _readable(redactor, text, phrase)
