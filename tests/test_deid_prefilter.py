"""The first-character gate (cipher_pipeline/deid/prefilter.py) finds exactly what the ungated pattern finds."""

import re

import pytest

from cipher_pipeline.deid import rules
from cipher_pipeline.deid.prefilter import first_chars, gate
from re import _parser as sre_parser

TEXTS = [
    "on Monday the 3rd we spoke; TUESDAY, March 4th? mon. 5/6 and ſunday",
    "call back at 619-555-0142 x 12, or on the corner of Elm and Pine",
    "KELVIN K and k, İstanbul, straße, Ωmega, 'quoted', tab\tand new\nline",
    "",
    "x" * 50 + " Wednesday " + "9" * 20,
]


@pytest.mark.parametrize(
    "source, flags, gated",
    [
        (r"\b(?:Monday|Tuesday|Wed)\b", re.I, True),  # alternation behind a boundary: small first set
        (r"(?<=\bon\s)(?:[A-C][a-z]+\s+)?Street", 0, True),  # optional part: its letters and the next literal
        (r"(?:kelvin|sunday)", re.I, True),  # case folding: "K" (Kelvin sign) and "ſ" match under re.I
        (r"\w+day", re.I, False),  # a category: no claim
        (r"(?:a)?", 0, False),  # may match nothing: no claim
        (r"(?i:mon)day|Tue", 0, False),  # scoped flags: no claim
        (r"[a-z0-9]+\.com", re.I, False),  # 36 first characters: not worth a class test
        (r"(?i)\b(?:mon|tue)", 0, True),  # a global inline flag stays at the front
    ],
)
def test_gate_finds_the_same_matches(source, flags, gated):
    pattern = re.compile(source, flags)
    fast = gate(pattern)
    assert (fast is not pattern) == gated
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_first_chars_of_a_branch_and_a_repeat():
    assert first_chars(sre_parser.parse(r"(?:ab|c)d")) == {ord("a"), ord("c")}
    assert first_chars(sre_parser.parse(r"x*y")) == {ord("x"), ord("y")}
    assert first_chars(sre_parser.parse(r".y")) is None


def test_rules_patterns_are_gated_without_changing_their_findings():
    # the date rules all begin with a month, a weekday, a holiday or a cue word: every one is gated
    assert all(p.regex.pattern.startswith("(?=[") for p in rules.MonthDay.patterns[:4])
    text = "Seen on Monday, March 3rd, 2024 at 10:30; his IBAN GB29 NWBK 6016 1331 9268 19 and 94 years old."
    spans = {(s.category, text[s.start : s.end]) for s in rules.find(text)}
    assert ("DATE", "Monday, March 3rd") in spans or any(c == "DATE" and "March 3rd" in t for c, t in spans)
    assert any(c == "ACCOUNT" and t.startswith("GB29") for c, t in spans)  # the IBAN rule still found by its shape
