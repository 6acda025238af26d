"""Unit tests of the engine's parts that need no model: spoken numbers, span resolution, casing, safe words."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.numbers import find_number_runs
from cipher_pipeline.deid.words import near_clinical_word as _near_clinical
from cipher_pipeline.deid.spans import Span, apply, resolve
from cipher_pipeline.deid.words import casing_style, is_safe_word, truecase


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("619-555-0142", "6195550142"),
        ("(619) 555 0142", "6195550142"),
        ("six one nine, five five five, oh one four two", "6195550142"),
        ("oh three twenty-six sixty-three", "032663"),
        ("eight hundred five five five double two one two", "8005552212"),
        ("XWB-448,172,093", "448172093"),
        ("174,402", "174402"),
        ("forty-two oh five", "4205"),
    ],
)
def test_number_runs(text: str, digits: str) -> None:
    runs = find_number_runs(text)
    assert [r.digits for r in runs] == [digits]
    assert text[runs[0].start : runs[0].end].strip()


@pytest.mark.parametrize("text", ["I was there 3, 4 times", "oh, one more thing", "about 15 or 20 minutes", "two kids"])
def test_number_runs_leave_ordinary_speech(text: str) -> None:
    assert [r.digits for r in find_number_runs(text) if len(r.digits) >= 4] == []


def test_resolve_merges_overlaps_by_trust_and_clips_structure() -> None:
    text = "agent: hi\ncaller: Derek Holloway 619-555-0142\n"
    a = text.index("Derek")
    spans = [
        Span(a, a + 5, "NAME", "safeword"),
        Span(a, a + 14, "NAME", "ner"),
        Span(a + 15, a + 27, "PHONE", "rules"),
        Span(a + 10, a + 27, "OTHER_ID", "lexicon"),  # overlaps both: merged, labelled by the rules finding
        Span(text.index("hi"), text.index("Derek"), "NAME", "ner"),  # crosses a newline and a turn prefix
    ]
    out = resolve(spans, text)
    assert [(text[s.start : s.end], s.category, s.layer) for s in out] == [
        ("hi", "NAME", "ner"),
        ("Derek Holloway 619-555-0142", "PHONE", "rules"),
    ]
    assert apply(text, out) == "agent: [NAME]\ncaller: [PHONE]\n"


def test_span_validation() -> None:
    with pytest.raises(ValueError):
        Span(3, 3, "NAME", "ner")
    with pytest.raises(ValueError):
        Span(0, 3, "NOT_A_CATEGORY", "ner")
    assert Span(0, 4, "COMPETITOR", "lexicon", "seaside_recovery").placeholder == "[COMPETITOR:seaside_recovery]"


def test_casing_and_truecase_keep_offsets() -> None:
    lower = "caller: my name is derek holloway and i use suboxone every day in escondido\n"
    assert casing_style(lower) == "caseless"
    assert casing_style(lower.upper()) == "upper"
    assert casing_style("caller: My name is Derek and I use Suboxone every day.\n") == "mixed"
    cased = truecase(lower)
    assert len(cased) == len(lower)
    assert "Derek Holloway" in cased and "Escondido" in cased
    assert " suboxone " in cased and " every day " in cased and " I " in cased


def test_safe_words_and_clinical_spellings() -> None:
    for word in ("recovery", "Hope", "medication-assisted", "Suboxone", "IOP", "narcan", "mm-hm"):
        assert is_safe_word(word), word
    for word in ("holloway", "escondido", "okafor"):
        assert not is_safe_word(word), word
    for heard in ("saboxone", "vivatrol", "narcon", "methadon"):
        assert _near_clinical(heard), heard
    for name in ("derek", "maria", "brandon", "holloway"):
        assert not _near_clinical(name), name


def test_whisper_writes_digits_one_by_one() -> None:
    runs = find_number_runs("It's 916, 5, 5, 6, 6, 2, 3.")
    assert [(r.digits, r.listed) for r in runs] == [("916556623", True)]
    assert [r.digits for r in find_number_runs("in 2019, 2020 and 2021")] == ["2019", "2020", "2021"]
