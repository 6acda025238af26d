"""Dialogue slots widened for speech recognition (session 18, asrslots18): the questions agents ask in forms the slots
did not read ("where's she from originally?", "what part of <town>?", "who's the client?", a question ending on the
name of the person asked), and a name answer made of everyday words, as Whisper writes a name it does not know. Every
input is invented for this file in the shapes Whisper writes (no corpus sentence); each positive case fails on the
code before this change, and each has a negative guard of the same shape."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import slots


def _slot_spans(text: str, recognizer: str) -> list[str]:
    return [text[s.start : s.end] for s in slots.find(text) if s.recognizer == recognizer]


@pytest.mark.parametrize(
    "text, place",
    [
        # the contraction has no space before its "'s"
        ("agent: okay, where's she from originally?\ncaller: tallowick.\n", "tallowick"),
        ("agent: got it. where's she living?\ncaller: brisco falls, with her aunt.\n", "brisco falls"),
        # the agent names whom it asks after the question
        ("agent: and where do you live, marcus?\ncaller: pellington.\n", "pellington"),
        ("agent: okay, what part of lorain?\ncaller: harrow point.\n", "harrow point"),
        ("agent: and where's their house?\ncaller: lindon, by the lake.\n", "lindon"),
        ("agent: where will she go when she's out?\ncaller: rock wall. his dad's.\n", "rock wall"),
    ],
)
def test_place_questions_read(text: str, place: str) -> None:
    assert place in _slot_spans(text, "place_slot")


@pytest.mark.parametrize(
    "text",
    [
        # the same frames answered with no place
        "agent: okay, where's she from originally?\ncaller: i don't know.\n",
        "agent: and where do you live, marcus?\ncaller: at home, with my mom.\n",
        "agent: where will she go when she's out?\ncaller: home.\n",
        # a where-question about something else is no slot
        "agent: where's he going with this, you think?\ncaller: downtown for work.\n",
        "agent: where's the paperwork, marcus?\ncaller: pellington has it.\n",
    ],
)
def test_place_questions_guards(text: str) -> None:
    assert _slot_spans(text, "place_slot") == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("agent: okay, who's the client?\ncaller: dorian vessel, he's 29.\n", "dorian vessel"),
        ("agent: can i get a first name?\ncaller: marlo.\n", "marlo"),
        # everyday words standing alone as the whole answer: the name Whisper did not know
        ("agent: could i get a name, even just a first name?\ncaller: morning.\n", "morning"),
        ("agent: what's your son's name?\ncaller: beacon! his name is beacon.\n", "beacon"),
        ("agent: and who am i speaking with?\ncaller: candle wick.\n", "candle wick"),
    ],
)
def test_name_questions_read(text: str, name: str) -> None:
    assert any(found.startswith(name) for found in _slot_spans(text, "name_slot"))


@pytest.mark.parametrize(
    "text",
    [
        # the same questions answered with no name: a refusal, a reply, a question back, a relation, a sentence
        "agent: could i get a name, even just a first name?\ncaller: i'd rather not.\n",
        "agent: what's your son's name?\ncaller: why?\n",
        "agent: and who am i speaking with?\ncaller: hold on.\n",
        "agent: what's your name?\ncaller: it's for my son.\n",
        "agent: what's his name?\ncaller: my brother.\n",
        "agent: okay, who's the client?\ncaller: yeah.\n",
        # everyday words of four or more, or running on past the sentence: no standalone name
        "agent: what's your name?\ncaller: we are in a blitz right now\n",
        # a title and a surname: the title is no part of the name
        "agent: okay, who's the client?\ncaller: officer.\n",
        # a question about something else that ends on "name"
        "agent: what's the program's name?\ncaller: morning.\n",
    ],
)
def test_name_questions_guards(text: str) -> None:
    assert _slot_spans(text, "name_slot") == []


# ------------------------------------------------------------ read18: Windows line ends and a typographic apostrophe
@pytest.mark.parametrize(
    "text, recognizer, found",
    [
        # an answer with no full stop on a CRLF line: the "\r" is no part of the answer and does not hide its end
        ("agent: what's your son's name?\r\ncaller: lantern\r\n", "name_slot", "lantern"),
        ("agent: and who am i speaking with?\r\ncaller: kettle brook\r\n", "name_slot", "kettle brook"),
        ("agent: what insurance does she have?\r\ncaller: moss harbor\r\n", "payer_slot", "moss harbor"),
        # the answer on the caller's next CRLF line
        ("agent: where's she from originally?\r\ncaller: uh,\r\ncaller: tallowick.\r\n", "place_slot", "tallowick"),
        # the question written with "’"
        ("agent: okay, who’s the client?\ncaller: dorian vessel, he’s 29.\n", "name_slot", "dorian vessel"),
        ("agent: where will she go when she’s out?\ncaller: rock wall.\n", "place_slot", "rock wall"),
        ("agent: what’s your son’s name?\ncaller: beacon.\n", "name_slot", "beacon"),
    ],
)
def test_crlf_and_typographic_apostrophe_questions_read(text: str, recognizer: str, found: str) -> None:
    assert found in _slot_spans(text, recognizer)


@pytest.mark.parametrize(
    "text, recognizer",
    [
        # the same frames answered with no name, carrier or place
        ("agent: what's your son's name?\r\ncaller: why\r\n", "name_slot"),
        ("agent: what insurance does she have?\r\ncaller: i don't know\r\n", "payer_slot"),
        ("agent: okay, who’s the client?\ncaller: yeah.\n", "name_slot"),
        ("agent: where will she go when she’s out?\ncaller: home.\n", "place_slot"),
        # a one-line text ending in "\r", and an empty one: nothing to read, nothing raised
        ("agent: what's your name?\r", "name_slot"),
        ("", "name_slot"),
    ],
)
def test_crlf_and_typographic_apostrophe_guards(text: str, recognizer: str) -> None:
    assert _slot_spans(text, recognizer) == []
