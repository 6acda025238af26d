"""Session 21 (plan21, issue 8): a plan product said in everyday words right after a carrier the lexicon found, in the
same turn ("<carrier>, <x> choice.", "<carrier>, the <x> plus network i think", "<carrier>, the State of <x> Retiree
Health Plan."): ``vertical.plan_after_carrier``, an after-merge step. Every sentence is invented (no corpus sentence);
each positive case fails without the step, and guards of the same shape must stay unmasked."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import vertical
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from tests.test_deid_vertical18 import _covered, _spans, _touched

_ASKED = "agent: and what insurance does he have\\n"


@pytest.mark.parametrize(
    "text, product",
    [
        (_ASKED + "caller: blue cross blue shield of ohio, the everyday choice plan. the number is on the back", "everyday choice plan"),
        (_ASKED + "caller: cigna, the local plus network i think", "local plus network"),
        (_ASKED + "caller: humana, river valley select. he got it at work", "river valley select"),
        ("Agent: Insurance?\\nCaller: Anthem Blue Cross, the State of Kansas Retiree Health Plan. ID is on the card.", "State of Kansas Retiree Health Plan"),
        ("Agent: Insurance?\\nCaller: It's Aetna, Heartland Choice. She switched in May.", "Heartland Choice"),
        (_ASKED + "caller: aetna. the prairie wind benefit plan. group is on it", "prairie wind benefit plan"),
    ],
)
def test_a_plan_after_its_carrier_is_the_insurer(redactor, text, product):
    assert _covered(redactor, text, product, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, phrase",
    [
        (_ASKED + "caller: blue cross, but they denied it last time", "but they denied it"),
        (_ASKED + "caller: aetna and my wife's on medicaid", "and my wife's"),
        (_ASKED + "caller: aetna, good plan though", "good plan"),
        (_ASKED + "caller: cigna. the family plan. through my job", "family plan"),
        (_ASKED + "caller: humana. it's the marketplace plan. the card is here", "the marketplace plan"),
        (_ASKED + "caller: aetna plan. and dental", "plan. and dental"),
    ],
)
def test_talk_after_a_carrier_stays(redactor, text, phrase):
    assert not _touched(redactor, text, phrase), _spans(redactor, text)


def test_nothing_without_a_found_carrier():
    text = "caller: aetna, the river valley select plan."
    spans = [Span(8, 13, "NAME", "names", None, "names")]  # found, but no carrier
    assert vertical.plan_after_carrier(text, spans) == spans


def test_another_line_is_not_the_product():
    text = "caller: aetna\ncaller: gold river choice plan."
    spans = [Span(8, 13, "INSURER", "lexicon", None, "insurers")]
    assert vertical.plan_after_carrier(text, spans) == spans


def test_a_chart_note_is_left_alone():
    text = "S: pt resting, vss, afebrile.\nO: prn tylenol, npo, gtt off.\nA/P: ins Aetna, Valley Choice plan. cont, f/u prn."
    start = text.index("Aetna")
    spans = [Span(start, start + 5, "INSURER", "lexicon", None, "insurers")]
    out = vertical.plan_after_carrier(text, spans)
    assert is_chart(text) and out == spans


def test_the_step_is_in_the_chain():
    from pathlib import Path

    import yaml

    chain = yaml.safe_load((Path(vertical.__file__).parent / "layers.yaml").read_text())
    assert "plan_after_carrier" in [s["step"] for s in chain["after_merge"]]


@pytest.mark.parametrize(
    "unit",
    [
        "aetna, the river valley select plan plus network choice ",
        "cigna, of of the the plan ",
        "humana. star star star star star star star star ",
    ],
)
def test_linear_on_repeats(unit):
    text = "caller: " + unit * 1000
    spans = []
    for i in range(0, len(text)):
        if text.startswith(("aetna", "cigna", "humana"), i):
            n = 5 if text.startswith(("aetna", "cigna"), i) else 6
            spans.append(Span(i, i + n, "INSURER", "lexicon", None, "insurers"))
    started = time.process_time()
    vertical.plan_after_carrier(text, spans)
    assert time.process_time() - started < 2.0
