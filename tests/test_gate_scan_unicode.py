"""The residual scan reads through Unicode disguises (issue 8): an identifier split by a zero-width or format
character, or written in full-width or Arabic-Indic digits, is flagged, and its offsets cover the characters of the
text as given, disguise included. The scan does this with its own normalisation (gate/normalize.py)."""

from __future__ import annotations

import pytest

from cipher_pipeline.gate.normalize import normalize_for_scan
from cipher_pipeline.gate.residual import scan_text

ZWSP, WORD_JOINER, SOFT_HYPHEN = "\u200b", "\u2060", "\u00ad"


def _fullwidth(digits: str) -> str:
    return "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in digits)


def _arabic_indic(digits: str) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in digits)


# (prefix, identifier as written, suffix, category): every identifier differs from the one that motivated the rule.
CASES = [
    ("Caller: you can reach me at ", f"408{ZWSP}555{ZWSP}0173", ", that's my cell.", "PHONE"),
    ("Caller: the number is (", f"212) 555{WORD_JOINER}-{WORD_JOINER}0199", " after six.", "PHONE"),
    ("Caller: my cell is ", f"713-55{SOFT_HYPHEN}5-0126", ".", "PHONE"),
    ("Caller: call back on ", _arabic_indic("305 555 0147"), " please.", "PHONE"),
    ("Caller: it's ", _fullwidth("646-555-0108"), ".", "PHONE"),
    ("Caller: my social is ", f"219{ZWSP}-09{WORD_JOINER}-9999", ".", "SSN"),
    ("Caller: social security ", _fullwidth("078-05-1120"), " on the card.", "SSN"),
    ("Caller: social security ", _arabic_indic("132-44-5678"), ".", "SSN"),
    ("Caller: email me at ", f"dana.w{ZWSP}ells@{SOFT_HYPHEN}yahoo.com", " tonight.", "EMAIL"),
    ("Caller: it's ", f"r.ortiz{WORD_JOINER}77@out{ZWSP}look.com", ".", "EMAIL"),
]


@pytest.mark.parametrize(("prefix", "identifier", "suffix", "category"), CASES)
def test_disguised_identifier_is_flagged_over_its_original_characters(
    prefix: str, identifier: str, suffix: str, category: str
) -> None:
    text = prefix + identifier + suffix
    start, end = len(prefix), len(prefix) + len(identifier)
    hits = [r for r in scan_text(text) if r.category == category]
    assert hits, f"{category} not flagged"
    # The finding covers every character of the identifier as written, zero-width ones included ...
    assert any(r.start <= start and r.end >= end for r in hits), [(r.start, r.end) for r in hits]
    # ... and does not run past the sentence around it.
    assert all(0 <= r.start < r.end <= len(text) for r in hits)


def test_plain_text_offsets_are_unchanged_by_a_disguise_elsewhere() -> None:
    plain = "Caller: my number is 619 555 0142 and my email is kim.lee@gmail.com thanks."
    disguised = plain + f" Also {_fullwidth('858')}{ZWSP}555 0190."
    before = [(r.start, r.end, r.category) for r in scan_text(plain)]
    after = [(r.start, r.end, r.category) for r in scan_text(disguised)]
    assert before and after[: len(before)] == before
    # the disguised phone after it maps back onto its own characters
    extra = after[len(before) :]
    assert [c for *_, c in extra] == ["PHONE"]
    assert disguised[extra[0][0] : extra[0][1]] == f"{_fullwidth('858')}{ZWSP}555 0190"


def test_ascii_text_is_not_copied_and_offsets_map_through_removed_and_expanded_characters() -> None:
    assert normalize_for_scan("Agent: hello\nCaller: hi\t").starts is None
    text = f"a{ZWSP}b\u00bdc\x07\n\u0663"  # zero-width, "½" (NFKC "1⁄2"), a bell, newline kept, Arabic-Indic 3
    norm = normalize_for_scan(text)
    assert norm.text == "ab1\u20442c\n3"
    assert norm.to_original(0, 2) == (0, 3)  # "ab" covers the zero-width space between them
    assert norm.to_original(2, 5) == (3, 4)  # "1⁄2" is the one "½"
    assert norm.to_original(7, 8) == (len(text) - 1, len(text))


def test_combining_marks_compose_and_map_to_their_base_character() -> None:
    text = "Jose\u0301 said"  # decomposed "José"
    norm = normalize_for_scan(text)
    assert norm.text == "José said"
    assert norm.to_original(0, 4) == (0, 5)  # "José" covers the base "e" and its combining accent
