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
