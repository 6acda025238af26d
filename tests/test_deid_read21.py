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
    t0 = time.process_time()
    geography._named_features(text)
    assert time.process_time() - t0 < 2.0


def test_site_towns_with_spaced_words_are_linear(layer: LexiconLayer) -> None:
    text = "our campus is  fort  smith. and the site is dellwood.  " * 1000
    t0 = time.process_time()
    layer._site_spans(text)
    assert time.process_time() - t0 < 2.0


# name21's surname said again in a new introduction reads a 40-character window before each mention
# (``_turn_opening_introduction``): its own adversarial repeat (the given-name path had one)
def test_propagation_of_an_introduced_word_surname_stays_linear() -> None:
    from cipher_pipeline.deid import ner
    from cipher_pipeline.deid.spans import Span

    head = "caller: this is orrin tallow\n"
    unit = "caller: yeah. um hi this is tallow again. the tallow candle. "
    for n in (250, 1000):
        text = head + unit * n
        spans = [Span(text.index("orrin"), text.index("tallow") + len("tallow"), "NAME", "ner")]
        t0 = time.process_time()
        out = ner.propagate_names(text, spans, caseless=True)
        seconds = time.process_time() - t0
        again = [s for s in out if s.recognizer == "name_again"]
        assert len(again) >= n  # each unit's "this is tallow", never "the tallow candle"
        assert not any(text[s.start - 4 : s.start] == "the " for s in again)
    assert seconds < 2.0


# geo21's pass/inlet reader split the name before its head into words with a lower-case-only tail under an ignore-case
# match: a word with a capital inside ("iPhone", "McKenzie") was read as two, and a span could start inside a word
@pytest.mark.parametrize(
    "text, place",
    [
        ("caller: we drove over McThornquist Pass in the snow", "McThornquist Pass"),
        ("caller: the boats out of DUNNOCK INLET", "DUNNOCK INLET"),
    ],
)
def test_a_named_feature_with_inner_capitals_is_one_word(text: str, place: str) -> None:
    assert place in _features(text)


def test_a_named_feature_never_starts_inside_a_word() -> None:
    text = "caller: we waited through the eKiosk pass line"
    for a, _ in geography._named_features(text):
        assert a == 0 or not text[a - 1].isalpha()
