"""The lexicon layer, recognizer by recognizer (``cipher_pipeline/deid/lexicon.py``): each finds its shape under its
own name. Every input is invented here (the fictional market of the shipped lexicons); what the vertical phrase
readers find in detail is tested in tests/test_deid_vertical*.py, the shapes in tests/test_deid_shapes.py."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.lexicon import LexiconLayer
from cipher_pipeline.deid.spans import Span


@pytest.fixture(scope="module")
def layer() -> LexiconLayer:
    return LexiconLayer()


def _by(layer: LexiconLayer, text: str, recognizer: str) -> list[str]:
    caseless = text == text.lower()
    return [text[s.start : s.end] for s in layer.find(text, caseless=caseless) if s.recognizer == recognizer]


def test_the_chain_names_every_dictionary_file_and_every_span(layer: LexiconLayer) -> None:
    names = [r.name for r in layer.name_recognizers + layer.place_recognizers]
    assert len(names) == len(set(names))
    assert {"competitors", "insurers", "providers", "staff", "quasi", "facilities"} <= set(names)
    text = "Caller: He was at Seaside Recovery, we're on Aetna, he works at Coastline Logistics in Bakersfield."
    spans = layer.find(text)
    assert spans and all(isinstance(s, Span) and s.layer == "lexicon" and s.recognizer in names + ["repeated_head"]
                         for s in spans)


@pytest.mark.parametrize(
    "text, phrase, recognizer",
    [
        ("Caller: We're on Blue Cross Blue Shield of Texas.", "Blue Cross Blue Shield of Texas", "insurers"),
        ("caller: she has human a through work", "human a", "asr_spelling"),
        ("Caller: He did thirty days at Larkspur Ridge Recovery.", "Larkspur Ridge Recovery", "program_shape"),
        ("Caller: Her doctor is at Quillby Family Clinic.", "Quillby Family Clinic", "clinic_shape"),
        ("Caller: It's through Tallgrass Health Plan.", "Tallgrass Health Plan", "insurer_shape"),
        ("Caller: He drives for Okonkwo Freight now.", "Okonkwo Freight", "business_shape"),
        ("caller: he works nights at golden harvest", "golden harvest", "employer_after_cue"),
        ("Caller: We moved up from Bakersfield last year.", "Bakersfield", "gazetteer"),
        ("Caller: Is that your Bend campus?", "Bend", "site_name"),
    ],
)
def test_each_recognizer_finds_its_shape(layer: LexiconLayer, text: str, phrase: str, recognizer: str) -> None:
    assert any(phrase in found for found in _by(layer, text, recognizer)), [
        (text[s.start : s.end], s.recognizer) for s in layer.find(text, caseless=text == text.lower())
    ]


def test_a_name_shape_keeps_its_dictionary_id(layer: LexiconLayer) -> None:
    text = "Caller: He was at Seaside Recovery before."
    shapes = [s for s in layer.find(text) if s.recognizer == "program_shape"]
    assert shapes and all(s.canonical for s in shapes)


def test_generic_workplaces_and_mutual_help_stay(layer: LexiconLayer) -> None:
    assert _by(layer, "caller: he works at the gas station", "employer_after_cue") == []
    assert _by(layer, "Caller: He goes to Celebrate Recovery on Tuesdays.", "program_shape") == []


def test_without_the_gazetteer_no_place_recognizer_runs() -> None:
    bare = LexiconLayer(gazetteer=False)
    assert bare.place_recognizers == ()
    assert not any(s.category == "LOCATION" for s in bare.find("Caller: We moved up from Bakersfield last year."))


# geo21: a site's town said after the site noun
@pytest.mark.parametrize(
    "text,towns",
    [
        ("Agent: our nearest campus is tupelo, about two hours from you", ["tupelo"]),
        ("Agent: we have campuses in kalispell and grand forks", ["kalispell", "grand forks"]),
        ("Agent: The closest site is Bozeman, if that works.", ["Bozeman"]),
    ],
)
def test_a_sites_town_after_the_site_noun(layer: LexiconLayer, text: str, towns: list[str]) -> None:
    found = _by(layer, text, "site_name")
    assert all(any(t in f for f in found) for t in towns), found


@pytest.mark.parametrize(
    "text",
    [
        "Agent: the campus is open all week",
        "Agent: our campus is beautiful, right on the water",
        "Agent: the location is about an hour from you",
        "Agent: our campus is home to forty beds",
        "Agent: the site is in may, i think",
    ],
)
def test_a_site_noun_before_an_ordinary_word_names_no_town(layer: LexiconLayer, text: str) -> None:
    assert _by(layer, text, "site_name") == []


def test_towns_after_site_nouns_are_linear(layer: LexiconLayer) -> None:
    import time

    text = "our campuses are in tupelo and oxford and " * 1000
    t0 = time.process_time()
    layer._site_spans(text)
    assert time.process_time() - t0 < 2.0
