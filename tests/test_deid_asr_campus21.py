"""Session 21 (asr21, issue 8): the centre's campus named by its town in Whisper's text of a call.

The agent names a campus by its town ("our <town> campus is about an hour from you"); Whisper turns the town into
ordinary words and often the campus too: "compass", "campers", a hyphen joining the last word to it ("-campus"), and
"our" heard as "hour". ``lexicon.site_names`` reads those forms as it reads "campus". Every input here is invented
(no corpus phrase): made-up towns, or towns garbled into words the way Whisper garbles them.
"""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.lexicon import site_names


def _spans(redactor: Redactor, text: str) -> list[tuple[int, int]]:
    text = text if text.endswith("\n") else text + "\n"
    return sorted((s.start, s.end) for s in redactor.redact(text, speech_recognized=True).spans)


def _covered(redactor: Redactor, text: str, phrase: str) -> bool:
    text = text if text.endswith("\n") else text + "\n"
    start = text.index(phrase)
    pos = start
    for s, e in _spans(redactor, text):
        if s <= pos < e:
            pos = e
    return pos >= start + len(phrase)


def _readable(redactor: Redactor, text: str, phrase: str) -> bool:
    text = text if text.endswith("\n") else text + "\n"
    return phrase in redactor.redact(text, speech_recognized=True).redacted_text


@pytest.mark.parametrize(
    "text,phrase",
    [
        # "campus" heard as "compass" or "campers", the town as ordinary words
        ("agent: Okay, our salt over there compass is about two hours from you.", "salt over there"),
        ("agent: Yeah, our pickle ferry campers has a bed on Friday.", "pickle ferry"),
        ("agent: our Quarlington compass takes court referrals", "Quarlington"),
        # the plural, after words ("our <x> campuses are about an hour out")
        ("agent: detox first, then our sails with campuses are an hour out.", "sails with"),
        # the last word joined to the campus by a hyphen
        ("agent: Our not far-to-campus is up past the lake.", "far-to"),
    ],
)
def test_a_campus_town_whisper_heard_as_words_is_a_place(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("agent: Okay, our salt over there compass is about two hours from you.", " compass"),
        ("agent: Our not far-to-campus is up past the lake.", "-campus"),
    ],
)
def test_the_campus_word_itself_stays_readable(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: honestly our moral compass is broken right now", "moral compass"),
        ("caller: the happy campers at the lake were loud", "happy campers"),  # Happy is a Texas town too
        ("caller: he lives off-campus with two roommates", "off-campus"),
        ("caller: the on-campus housing is full", "on-campus"),
        ("agent: it's about an hour campus to campus", "hour campus"),
        ("agent: our main compass is the detox side", "main compass"),
        ("agent: our beautiful campers love the lake", "beautiful campers"),
        ("caller: we have a compass in the truck", "compass in the truck"),
        ("agent: our main campuses are full this week", "main campuses"),
    ],
)
def test_near_misses_stay(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_site_names_reads_whispers_campus_forms():
    text = "agent: our tarmow compass. hour gilly row campers. the westly-campus.\n"
    assert [name for _, _, name in site_names(text)] == ["tarmow", "gilly row", "westly"]


def test_adversarial_repeats_stay_linear():
    for phrase in ("our bread over our compass ", "hour can row campers ", "our a-b-c-campus ", "the x-" * 3):
        text = "agent: " + phrase * 1000 + "\n"
        t0 = time.process_time()
        site_names(text)
        assert time.process_time() - t0 < 2.0
