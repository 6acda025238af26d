"""The scan's measurement harness: gold spans land where the markup put them, and offsets map into redacted text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cipher_devtools import scan_eval
from cipher_devtools.scan_eval import _make_mapper, _required_tokens, load_calls_dev, score
from tests.conftest import SHARED_DATA

CALLS_DEV = SHARED_DATA / "calls_dev" / "calls_dev.md"


@pytest.mark.skipif(not CALLS_DEV.is_file(), reason=f"shared data not found at {CALLS_DEV} (set CIPHER_SHARED_DATA)")
def test_calls_dev_gold_spans_match_the_markup() -> None:
    source = CALLS_DEV.read_text(encoding="utf-8")
    values = re.findall(r"\[\[([A-Z_]+)\|(.*?)\]\]", source)
    odd, even = load_calls_dev(half="odd"), load_calls_dev(half="even")
    assert len(odd) == len(even) == 40
    assert all(int(d.id[-3:]) % 2 == 1 for d in odd) and all(int(d.id[-3:]) % 2 == 0 for d in even)
    spans = [(g.category, d.text[g.start : g.end]) for d in load_calls_dev(half="all") for g in d.gold]
    assert len(spans) == len(values) == 1697
    assert [v for _, v in spans] == [v for _, v in values]
    assert {c for c, _ in spans} <= {"NAME", "GEO", "DATE", "PHONE", "FAX", "EMAIL", "URL", "IP", "SSN", "MRN",
                                     "HEALTH_PLAN_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID",
                                     "OTHER_UNIQUE", "IGNORED", "NOT_IDENTIFIER"}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "category", "required"),
    [
        ("October 14th, 1991", "DATE", ["October", "14th"]),  # the year may stay
        ("august ninth, sixty six", "DATE", ["august", "ninth"]),
        ("the twenty sixth", "DATE", ["twenty", "sixth"]),  # an ordinal day is no year
        ("Walmart on Oglethorpe Highway", "GEO", ["Walmart", "Oglethorpe", "Highway"]),
        ("Colorado Springs, CO", "GEO", ["Colorado", "Springs"]),  # the state may stay
        # session 9: a two-digit year said after the day or the month with no comma; a country in an address
        ("may first ninety eight", "DATE", ["may", "first"]),
        ("the second of june eighty nine", "DATE", ["second", "june"]),
        ("june twenty", "DATE", ["june", "twenty"]),  # "twenty" after a month, alone, is a day
        ("Rua Augusta 12, Lisboa, Portugal", "GEO", ["Rua", "Augusta", "12", "Lisboa"]),
        ("Flat 3, 9 Kings Road, London, the United Kingdom", "GEO", ["Flat", "3", "9", "Kings", "Road", "London"]),
    ],
)
def test_required_tokens(value: str, category: str, required: list[str]) -> None:
    assert [value[s:e] for s, e in _required_tokens(value, 0, len(value), category)] == required


def test_offsets_map_around_redacted_spans() -> None:
    raw = "Call Dana at 713-555-0148 today."
    spans = [(5, 9, "[NAME]"), (13, 25, "[PHONE]")]
    redacted = "Call [NAME] at [PHONE] today."
    mapper = _make_mapper(spans)
    assert mapper(0) == 0 and mapper(5) is None and mapper(20) is None
    assert redacted[mapper(10) : mapper(12)] == "at"
    assert redacted[mapper(26) : mapper(31)] == "today"


def test_score_raw_only_counts_flags_and_false_alarms() -> None:
    from cipher_devtools.scan_eval import Doc, Gold

    text = "Caller: my number is 713-555-0148 and I feel okay."
    start = text.index("713")
    doc = Doc("d1", text, [Gold(start, start + 12, "PHONE", _required_tokens(text, start, start + 12, "PHONE"))])
    tally = score([doc], None)
    summary = tally.summary()
    assert summary["raw_recall"] == 1.0 and summary["raw_identifiers"] == 1
    assert summary["raw_false_alarms_per_10k"] == 0.0


def test_asr_corpus_loader_keeps_whisper_offsets() -> None:
    from pathlib import Path

    from cipher_devtools.scan_eval import load_asr_corpus

    path = Path(__file__).parent / "data" / "asr_corpus" / "tiny_wideband.jsonl"
    docs = load_asr_corpus(path)
    assert len(docs) == 20
    identifiers = [g for d in docs for g in d.gold if g.required]
    assert identifiers and all(g.category not in ("INSURER", "COMPETITOR", "PROVIDER") for g in identifiers)
    tally = score(docs, None)
    assert 0.5 < tally.summary()["raw_recall"] <= 1.0


def test_whisper_directory_loader_picks_calls_by_half_and_ignores_facilities(tmp_path) -> None:
    """A directory of Whisper's calls_dev transcripts (call_NNN.json): --half picks the calls, FACILITY is ignored
    and INSURER is no identifier, as for calls_dev as written. Records invented for the test."""
    import json

    from cipher_devtools.scan_eval import load_asr_corpus

    text = "caller: I work at Dollar Barn in Fairhope, insured by Acme."
    for number in (1, 2, 4):
        record = {"id": f"call_{number:03d}", "text": text, "spans": [
            {"start": 18, "end": 29, "category": "FACILITY"}, {"start": 33, "end": 41, "category": "GEO"},
            {"start": 54, "end": 58, "category": "INSURER"}]}  # fmt: skip
        (tmp_path / f"call_{number:03d}.json").write_text(json.dumps(record), encoding="utf-8")
    assert [d.id for d in load_asr_corpus(tmp_path, "dev")] == ["call_001", "call_002"]  # 004 is even-b
    assert [d.id for d in load_asr_corpus(tmp_path, "even-b")] == ["call_004"]
    (doc,) = load_asr_corpus(tmp_path, "odd")
    assert [g.category for g in doc.gold] == ["IGNORED", "GEO", "NOT_IDENTIFIER"]


def test_operating_curve_enables_detector_families_in_turn() -> None:
    from collections import Counter

    from cipher_devtools.scan_eval import operating_curve

    misses = [["us_place_list"], ["cross_street", "us_place_list"], ["site_place"], ["campus_name"], ["elder_age"], [],
              ["slot_answer_word"], ["digit_sounds"], ["month_spanish"], ["surname_after_cut"],
              ["opening_name_slot"], ["ack_said_back_name"]]  # fmt: skip
    false_alarms = Counter({"vocative": 1, "take_road_number": 2, "glued_to_cut": 1, "near_place": 1, "rare_word": 3,
                            "month_spanish": 1, "ack_said_back_name": 1})  # fmt: skip
    curve = operating_curve(misses, false_alarms, 20_000)
    assert [p["missed_flagged"] for p in curve] == [2, 2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 11, 11, 11]
    assert [p["false_alarms"] for p in curve] == [1, 1, 3, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 7, 7, 7, 10]
    assert curve[-1]["miss_recall"] == round(11 / 12, 4) and curve[-1]["false_alarms_per_10k"] == 5.0
    assert curve[-6]["with"] == "evidence beside a placeholder (session 12)"
    assert curve[-5]["with"] == "opening name and birth-date rest (session 14)"
    assert curve[-4]["with"] == "name said back (session 15)"
    assert curve[-3]["with"] == "learned token model (session 7)"


def test_point_without_session5_context_families() -> None:
    from collections import Counter

    from cipher_devtools.scan_eval import SESSION5_CONTEXT_FAMILIES, point_without

    misses = [["remnant_beside_cut"], ["slot_answer_word", "us_place_list"], ["slot_answer_number"], ["learned_token"], []]
    false_alarms = Counter({"remnant_beside_cut": 2, "slot_answer_word": 1, "vocative": 1, "learned_token": 1})
    point = point_without(misses, false_alarms, 10_000, SESSION5_CONTEXT_FAMILIES)
    assert (point["missed_flagged"], point["false_alarms"]) == (2, 2)  # the place list and the model keep theirs
    assert point["miss_recall"] == 0.4 and point["false_alarms_per_10k"] == 2.0


def test_rarity_curve_rescans_at_each_threshold_and_restores_the_gate_setting() -> None:
    from cipher_devtools.scan_eval import Doc, Gold, Redacted, rarity_curve
    from cipher_pipeline.gate import residual

    text = "caller: honestly the thing with tallowmere got out of hand"
    start = text.index("tallowmere")
    doc = Doc("d", text, [Gold(start, start + 10, "GEO", [(start, start + 10)])])
    unredacted = Redacted(text, [], lambda offset: offset)
    before = (residual.RARE_WORD_MAX_ZIPF, residual.UNGRADED_RARITY)
    points = rarity_curve([doc], [unredacted], [0.0, 2.0])
    assert [p["missed_flagged"] for p in points] == [0, 1]  # a word wordfreq has never seen is below 2.0, not 0
    assert points[1]["operating_curve"][-1]["missed_flagged"] == 1 and points[1]["operating_curve"][-3]["missed_flagged"] == 0
    assert (residual.RARE_WORD_MAX_ZIPF, residual.UNGRADED_RARITY) == before


def test_presidio_countries_may_stay_and_splits_halve_the_set(tmp_path) -> None:
    """A country is no smaller than a state, so Safe Harbor lets it stay; the dev and held-out halves split the
    sentences by position and together hold all of them."""
    items = [
        {"full_text": "She moved here from Estonia last year.", "spans": [
            {"entity_type": "GPE", "start_position": 20, "end_position": 27}]},
        {"full_text": "He lives in Kerrville now.", "spans": [
            {"entity_type": "GPE", "start_position": 12, "end_position": 21}]},
        {"full_text": "We flew in from Cyprus (Greek) today.", "spans": [
            {"entity_type": "GPE", "start_position": 16, "end_position": 30}]},
    ]  # fmt: skip
    path = tmp_path / "presidio.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    docs = scan_eval.load_presidio(path)
    assert [g.category for d in docs for g in d.gold] == ["NOT_IDENTIFIER", "GEO", "NOT_IDENTIFIER"]
    dev, held = scan_eval.load_presidio(path, "dev"), scan_eval.load_presidio(path, "held-out")
    assert [d.id for d in dev] == ["presidio_0000", "presidio_0002"] and [d.id for d in held] == ["presidio_0001"]


def test_physionet_is_read_through_the_deid_scorer_with_its_types(monkeypatch) -> None:
    """One PhysioNet reader (the de-id scorer's, typed): a year alone may stay, a place is GEO, and the split is
    passed through."""
    from cipher_devtools import evaluate

    text = "Pt from Calvert Hospital, MI in 1992, seen 7/22 by Dr Lander."
    calls = []

    def fake_load(root, limit=None, split=None):
        calls.append(split)
        return [evaluate.GoldDoc("3-1", text, [
            evaluate.GoldSpan(8, 15, "LOCATION", "Calvert"), evaluate.GoldSpan(32, 36, None, "1992"),
            evaluate.GoldSpan(43, 47, "DATE", "7/22"), evaluate.GoldSpan(54, 60, "NAME", "Lander")])]  # fmt: skip

    monkeypatch.setattr(evaluate, "load_physionet", fake_load)
    [doc] = scan_eval.load_physionet(Path("unused"), "dev")
    assert calls == ["dev"] and doc.id == "physionet_3-1"
    assert [(text[g.start : g.end], g.category) for g in doc.gold] == [
        ("Calvert", "GEO"), ("1992", "NOT_IDENTIFIER"), ("7/22", "DATE"), ("Lander", "NAME")]


# The honest ceiling: what a text-only reader can see of each miss (invented text).
@pytest.mark.parametrize(
    ("text", "fragment", "visibility"),
    [
        ("caller: we're out past Quillmont now", "Quillmont", "shape"),  # no English word
        ("caller: it's 4 1 7, then the rest", "4 1 7", "shape"),
        ("caller: it was march when he left", "march", "shape"),  # a month
        ("caller: we live off [LOCATION] road now", "road", "slot"),  # touches a cut
        ("agent: And where does he stay?\ncaller: down by the old church", "old church", "slot"),  # an answer
        ("caller: he flipped his rig on the turnpike last week", "turnpike", "ordinary"),
        ("agent: how are you?\ncaller: he walked out, honestly", "walked out", "ordinary"),
        # session 9: a contraction or a hyphenated common word is English; a speaker label is no cut
        ("caller: in the end I'll figure it out", "I'll figure", "ordinary"),
        ("caller: she doesn't have Wi-Fi there", "Wi-Fi", "ordinary"),
        ("caller: Rusty next door could help", "Rusty", "ordinary"),  # a capital opening a turn says nothing
        ("caller: honestly no idea", "honestly", "ordinary"),
    ],
)
def test_miss_visibility_says_what_text_alone_shows(text: str, fragment: str, visibility: str) -> None:
    start = text.index(fragment)
    assert scan_eval.miss_visibility(text, [(start, start + len(fragment))]) == visibility


def test_redactor_output_is_cached_and_reused(tmp_path, monkeypatch) -> None:
    """``--cache``: the second run reads the redactor's spans back and rebuilds the same redacted text and map."""
    docs = load_calls_dev(half="odd")[:2]
    first = scan_eval.redact_docs(docs, tmp_path)
    assert len(list(tmp_path.glob("redacted-*.json"))) == 1

    def no_redactor(*_args, **_kwargs):
        raise AssertionError("the cached redaction was not reused")

    monkeypatch.setattr("cipher_pipeline.deid.Redactor.default", no_redactor)
    second = scan_eval.redact_docs(docs, tmp_path)
    assert [r.text for r in second] == [r.text for r in first]
    probe = [p for p in range(len(docs[0].text)) if first[0].to_redacted(p) is not None][-1]
    assert second[0].to_redacted(probe) == first[0].to_redacted(probe)
