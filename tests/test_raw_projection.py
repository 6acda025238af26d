"""The raw-style projection of punctuated calls (cipher_devtools/raw_projection.py): invented calls, exact spans."""

import pytest

from cipher_devtools import evaluate as ev
from cipher_devtools.evaluate import GoldDoc, GoldSpan, Score, score_doc
from cipher_devtools.raw_projection import project_piece, project_raw, rendering

TEXT = ("Agent: Thanks for calling, this is Rhonda. Date of birth?\n"
        "Caller: It's June 3rd, 1985. I'm in Laurel Hollow, off Route 25A; call 631-555-0177 or jo@example.com.\n")


def _spans(text: str, values: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for category, value in values:
        start = text.index(value, pos)
        out.append((start, start + len(value), category))
        pos = start + len(value)
    return out


GOLD = [("NAME", "Rhonda"), ("DATE", "June 3rd, 1985"), ("GEO", "Laurel Hollow"), ("GEO", "Route 25A"),
        ("PHONE", "631-555-0177"), ("EMAIL", "jo@example.com")]


def test_spans_stay_exact_and_text_is_raw_style():
    for doc_id in ("call_001", "call_002", "call_003", "call_004"):
        text, spans = project_raw(doc_id, TEXT, _spans(TEXT, GOLD))
        assert [s[2] for s in spans] == [c for c, _ in GOLD]
        for start, end, _, value in spans:
            assert text[start:end] == value and value == value.strip()
        body = text.replace("Agent:", "").replace("Caller:", "")
        assert body == body.lower() and not any(ch in body for ch in ".,?;")
        assert text.startswith("Agent: ") and "\nCaller: " in text  # the speaker prefix the engine reads stays
        assert "jo at example dot com" in text


def test_both_renderings_say_numbers_as_the_raw_half_does():
    assert {rendering(f"call_{n:03d}") for n in range(1, 9)} == {"words", "digits"}
    assert project_piece("631-555-0177", "PHONE", words=True) == "six three one five five five oh one seven seven"
    assert project_piece("631-555-0177", "PHONE", words=False) == "6 3 1 5 5 5 0 1 7 7"
    assert project_piece("XKT 448 20", "HEALTH_PLAN_ID", words=False) == "x k t 4 4 8 2 0"
    assert project_piece("June 3rd, 1985", "DATE", words=True) == "june third nineteen eighty five"
    assert project_piece("7/22/87", "DATE", words=True) == "seven twenty two eighty seven"
    assert project_piece("about 28 to 30 days, $4,500.", None, words=True) == "about twenty eight to thirty days four thousand five hundred dollars "
    assert project_piece("off Highway 99", "GEO", words=True) == "off highway 99"


def test_the_projection_is_scored_like_any_call():
    text, spans = project_raw("call_002", TEXT, _spans(TEXT, GOLD))
    doc = GoldDoc("call_002_raw", text, [GoldSpan(*s) for s in spans])
    score = Score()
    score_doc(score, doc, [(s.start, s.end) for s in doc.spans])
    assert score.entity_recall == 1.0 and score.token_precision == 1.0


CALLS_DEV = ev.CALLS_DEV_DEFAULT_PATH


@pytest.mark.skipif(not CALLS_DEV.exists(), reason=f"calls_dev corpus not at {CALLS_DEV} (shared data)")
def test_calls_dev_projected_keeps_every_identifier_of_the_punctuated_calls():
    clean = ev.load_calls_dev(half="dev", style="clean")
    projected = ev.load_calls_dev(half="dev", style="projected")
    assert [d.id + "_raw" for d in clean] == [d.id for d in projected]
    for before, after in zip(clean, projected):
        assert [g.category for g in before.spans] == [g.category for g in after.spans]
        assert all(after.text[g.start : g.end] == g.value for g in after.spans)
