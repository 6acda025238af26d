"""read21 (session 21's read-through of the merged engine changes): the edges and guards it fixed, on invented inputs."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import geography
from cipher_pipeline.deid.lexicon import LexiconLayer


@pytest.fixture(scope="module")
def layer() -> LexiconLayer:
    return LexiconLayer()


def _site_towns(layer: LexiconLayer, text: str) -> list[str]:
    caseless = text == text.lower()
    return [text[s.start : s.end] for s in layer.find(text, caseless=caseless) if s.recognizer == "site_name"]


# geo21's town after a site noun measured its span on the words joined by one space: a run of spaces or a tab between
# a town's two words cut the span inside the second word, and a town that ended the sentence ("<town>.") was missed
@pytest.mark.parametrize(
    "text, town",
    [
        ("agent: our nearest campus is  fort  smith, about an hour", "fort  smith"),
        ("agent: we have campuses in dellwood\tand grand  forks", "grand  forks"),
        ("Agent: Our closest site is Tupelo.", "Tupelo"),
        ("agent: the nearest campus is in fort smith. okay", "fort smith"),
    ],
)
def test_a_sites_town_after_the_noun_ends_on_its_last_letter(layer: LexiconLayer, text: str, town: str) -> None:
    found = _site_towns(layer, text)
    assert town in found, found
    assert all(text[text.index(f) + len(f) : text.index(f) + len(f) + 1] in ("", " ", ",", ".", "\n", "\t") for f in found)


def _features(text: str) -> list[str]:
    return [text[a:b] for a, b in geography._named_features(text)]


# geo21's "<preposition> mount <x>" read "to mount" as a place whatever came before "to"; after a word of wanting,
# needing or knowing how, "to mount" is the verb ("i need someone to mount the shelves" was guarded only for "the")
@pytest.mark.parametrize(
    "text",
    [
        "caller: we need someone to mount shelving in the dayroom",
        "caller: he was trying to mount brackets for the tv",
        "caller: i had to mount drywall all week",
        "caller: they showed me how to mount cameras outside",
    ],
)
def test_mount_after_a_verb_of_wanting_is_the_verb(text: str) -> None:
    assert _features(text) == []


@pytest.mark.parametrize(
    "text, place",
    [
        ("caller: we drove up to mount quillane last summer", "mount quillane"),
        ("caller: he's going to mount quillane with his cousin", "mount quillane"),
        ("caller: the cabin is over mount harrowick", "mount harrowick"),
    ],
)
def test_mount_after_a_word_of_travel_stays_a_place(text: str, place: str) -> None:
    assert place in _features(text)


def test_the_mount_verb_guard_is_linear() -> None:
    text = "we need someone to mount shelving and drove up to mount quillane " * 1000
    t0 = time.perf_counter()
    geography._named_features(text)
    assert time.perf_counter() - t0 < 2.0


def test_site_towns_with_spaced_words_are_linear(layer: LexiconLayer) -> None:
    text = "our campus is  fort  smith. and the site is dellwood.  " * 1000
    t0 = time.perf_counter()
    layer._site_spans(text)
    assert time.perf_counter() - t0 < 2.0
