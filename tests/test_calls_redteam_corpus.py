"""The red-team corpora parse with the calls_dev loader.

Seventeen hand-written sets of 40 admissions calls live in tests/data/calls_redteam/: ``calls_redteam.md`` (session 7,
clean calls 001-020 and raw ASR calls 041-060), ``calls_redteam8.md`` (session 8, clean 001-016 and raw 041-064,
more raw calls on purpose), ``calls_redteam9.md`` (session 9, clean 001-012 and raw 041-068) and ``calls_redteam10.md``
(session 10, clean 001-012 and raw 041-068, written without reading the engine, the scan or the earlier corpora) and
``calls_redteam11.md`` (session 11, the same numbering, written the same way) and ``calls_redteam12.md`` (session 12,
clean 001-020 and raw 041-060, written the same way) and ``calls_redteam13.md`` (session 13, the same numbering,
written the same way in calls_dev's own regions) and ``calls_redteam14.md`` (session 14, the same numbering and
regions, written fast in two halves: the clean calls first, the raw ones after) and ``calls_redteam15.md`` (session 15,
the same numbering, regions and two-step writing) and ``calls_redteam16.md`` (session 16, the same numbering, regions
and two-step writing) and ``calls_redteam17.md`` (session 17, the same numbering, regions and two-step writing, with
twice calls_dev's density of competitor, insurer and facility names) and ``calls_redteam18.md`` (session 18, the same
numbering, regions and two-step writing, heavy on the raw recognizer style) and ``calls_redteam19.md`` (session 19,
the same numbering, regions and two-step writing, to calls_dev's own recipe: the held-out set that replaces calls_dev's
even-b quarter) and ``calls_redteam20.md`` (session 20, the same numbering, regions, recipe and two-step
writing, its calls written in odd/even pairs so that the two halves have alike callers, regions and span counts) and
``calls_redteam21.md`` (session 21, a second corpus written the same way, by another hand) and
``calls_redteam22.md`` (session 22, a third written the same way, by yet another hand). All
are scored with ``cipher eval --corpus calls_dev --path ...`` and
``scan_eval --path ...``, so what matters is that the loader the scorers use sees every call, every span and the same
odd (development) / even (held out) halves. Only structure is checked here; no call text is asserted or printed.
"""

import re
from pathlib import Path

import pytest

from cipher_devtools.evaluate import CALLS_DEV_ASR_FIRST, load_calls_dev

HERE = Path(__file__).parent / "data" / "calls_redteam"
CATEGORIES = {
    "NAME", "GEO", "DATE", "PHONE", "FAX", "EMAIL", "URL", "IP", "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT",
    "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID", "OTHER_UNIQUE", "FACILITY", "COMPETITOR", "INSURER",
}
# corpus file -> (clean call numbers, raw ASR call numbers)
CORPORA = {
    "calls_redteam.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam8.md": (list(range(1, 17)), list(range(41, 65))),
    "calls_redteam9.md": (list(range(1, 13)), list(range(41, 69))),
    "calls_redteam10.md": (list(range(1, 13)), list(range(41, 69))),
    "calls_redteam11.md": (list(range(1, 13)), list(range(41, 69))),
    "calls_redteam12.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam13.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam14.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam15.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam16.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam17.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam18.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam19.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam20.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam21.md": (list(range(1, 21)), list(range(41, 61))),
    "calls_redteam22.md": (list(range(1, 21)), list(range(41, 61))),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request):
    path = HERE / request.param
    clean, raw = CORPORA[request.param]
    return path, clean, raw, load_calls_dev(path)


def test_every_call_loads_numbered_as_the_loader_expects(corpus):
    _, clean, raw, docs = corpus
    assert [d.id for d in docs] == [f"call_{n:03d}" for n in clean + raw]
    assert {d.style for d in docs if int(d.id[5:]) < CALLS_DEV_ASR_FIRST} == {"clean"}
    assert {d.style for d in docs if int(d.id[5:]) >= CALLS_DEV_ASR_FIRST} == ({"asr"} if raw else set())


def test_odd_and_even_halves_hold_half_the_calls_each_in_both_styles(corpus):
    path, clean, raw, _ = corpus
    styles = {"clean"} | ({"asr"} if raw else set())
    for half, parity in (("odd", 1), ("even", 0)):
        subset = load_calls_dev(path, half=half)
        assert len(subset) == (len(clean) + len(raw)) // 2
        assert all(int(d.id[5:]) % 2 == parity for d in subset)
        assert {d.style for d in subset} == styles


def test_every_call_has_agent_and_caller_turns_and_only_those(corpus):
    path, clean, raw, _ = corpus
    bodies = re.split(r"^## call \d{3}\s*$", path.read_text(encoding="utf-8"), flags=re.M)[1:]
    assert len(bodies) == len(clean) + len(raw)
    for body in bodies:
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        speakers = {p.split(":", 1)[0] for p in paragraphs}
        assert speakers == {"Agent", "Caller"}


def test_spans_are_non_empty_trimmed_valid_and_point_at_their_text(corpus):
    docs = corpus[3]
    for doc in docs:
        assert doc.spans, doc.id
        for span in doc.spans:
            assert span.category in CATEGORIES, (doc.id, span.category)
            assert span.value and span.value == span.value.strip(), doc.id
            assert doc.text[span.start : span.end] == span.value, doc.id
    assert {s.category for d in docs for s in d.spans} == CATEGORIES  # every kind occurs somewhere


def test_no_markup_is_left_unparsed(corpus):
    for doc in corpus[3]:
        assert "[[" not in doc.text and "]]" not in doc.text, doc.id


@pytest.mark.parametrize("name", ["calls_redteam20.md", "calls_redteam21.md", "calls_redteam22.md"])
def test_the_paired_corpora_halves_are_alike_in_size_per_style(name):
    """calls_redteam20, calls_redteam21 and calls_redteam22 were written in odd/even pairs: each half's span count per
    style is within 10% of the other's."""
    path = HERE / name
    counts = {}
    for half in ("odd", "even"):
        for doc in load_calls_dev(path, half=half):
            counts[half, doc.style] = counts.get((half, doc.style), 0) + len(doc.spans)
    for style in ("clean", "asr"):
        odd, even = counts["odd", style], counts["even", style]
        assert abs(odd - even) <= 0.1 * max(odd, even), (style, odd, even)
