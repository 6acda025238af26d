"""Facility and quasi-identifier shapes, on phrasings other than calls_dev's (holidays, Spanish dates and spoken IP
addresses: tests/test_deid_rules.py)."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.lexicon import LexiconLayer


@pytest.fixture(scope="module")
def layer() -> LexiconLayer:
    return LexiconLayer(gazetteer=False)


def _other(layer: LexiconLayer, text: str) -> list[str]:
    return [text[s.start : s.end] for s in layer.find(text, caseless=text == text.lower()) if s.category == "OTHER_ID"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("he's in the Pima County Adult Detention Center", "Pima County Adult Detention Center"),
        ("caller: summit county probation wants a letter", "summit county probation"),
        ("she has a date at Akron Municipal Court", "Akron Municipal Court"),
        ("he was at fort carson before", "fort carson"),
        ("call Keystone Employee Assistance Program", "Keystone Employee Assistance Program"),
        ("she's the head coach at", "the head coach at"),
        ("the woman who owns the bakery on", "the woman who owns the bakery on"),
        ("he won state in cross country", "won state in cross"),
    ],
)
def test_facility_and_quasi_shapes(layer, text, expected):
    assert any(expected in f for f in _other(layer, text)), _other(layer, text)


@pytest.mark.parametrize("text", ["he has drug court on the 5th", "she's in the county jail", "fort worth traffic",
                                  "i talked to the pastor", "we went to the court house"])
def test_generic_mentions_stay(layer, text):
    assert _other(layer, text) == []
