"""QA sampling is reproducible and at least 10%; the QA log is append-only; coverage counts the right reviews."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from cipher_pipeline.gate.qa_log import CHECKLIST, Finding, QALogError, QAReview, append_review, qa_coverage, read_reviews
from cipher_pipeline.qa.regression import read_regression_cases, regression_cases, write_regression_cases
from cipher_pipeline.qa.sample import draw_sample, read_sample, write_sample
from tests.test_gate_fixtures import transcript_id

DAY = "2026-03-02"
IDS = [transcript_id(i, DAY) for i in range(57)]


def passing(tid: str, fingerprint: str = "f1", reviewer: str = "qa-tester") -> QAReview:
    return QAReview(DAY, tid, reviewer, "pass", {k: False for k in CHECKLIST}, fingerprint=fingerprint)


def failing(tid: str, fingerprint: str = "f1") -> QAReview:
    return QAReview(
        DAY, tid, "qa-tester", "fail", {"names": True}, (Finding("NAME", 4, "caller's first name"),), fingerprint=fingerprint
    )


def test_sample_is_reproducible_whatever_the_input_order() -> None:
    first = draw_sample(IDS, DAY, 0.10, seed=11)
    shuffled = IDS[:]
    random.Random(3).shuffle(shuffled)
    assert draw_sample(shuffled, DAY, 0.10, seed=11) == first
    assert draw_sample(IDS + IDS[:5], DAY, 0.10, seed=11) == first  # duplicates do not change it
    assert len(first) == math.ceil(0.10 * 57) == 6
    assert set(first) <= set(IDS)
    # Another seed or another day draws another sample (a fixed subset would not be random review).
    assert draw_sample(IDS, DAY, 0.10, seed=12) != first
    assert draw_sample(IDS, "2026-03-03", 0.10, seed=11) != first


@pytest.mark.parametrize(("n", "fraction", "expected"), [(1, 0.1, 1), (3, 0.1, 1), (10, 0.1, 1), (11, 0.1, 2), (40, 0.25, 10), (5, 1.0, 5), (0, 0.1, 0)])
def test_sample_size_is_at_least_ten_percent_and_at_least_one(n: int, fraction: float, expected: int) -> None:
    assert len(draw_sample(IDS[:n], DAY, fraction, seed=0)) == expected


def test_sample_is_drawn_from_the_transcripts_the_scan_did_not_flag() -> None:
    """The flagged transcripts are reviewed anyway: the random sample is drawn among the others, so it says
    something about what the scan cannot see; its size is still counted on the whole day (at least 10% of it)."""
    for seed in range(40):  # whatever the seed (the partition's bytes), a flagged transcript is never drawn
        flagged = IDS[seed % 57: seed % 57 + 3]
        sample = draw_sample(IDS, DAY, 0.10, seed=seed, exclude=flagged)
        assert len(sample) == 6 and not set(sample) & set(flagged) and set(sample) <= set(IDS)
    # Of four transcripts, one flagged: the one-transcript sample is one of the three others, every time.
    four = IDS[:4]
    assert all(draw_sample(four, DAY, 0.10, seed=s, exclude=four[:1])[0] != four[0] for s in range(40))
    # Every transcript flagged: nothing is left to draw (all of them are in the reviewer's queue already).
    assert draw_sample(four, DAY, 0.10, seed=1, exclude=four) == []
    # Nothing flagged: the same draw as before (a day without flags keeps its sample).
    assert draw_sample(IDS, DAY, 0.10, seed=11, exclude=()) == draw_sample(IDS, DAY, 0.10, seed=11)


def test_sample_refuses_under_ten_percent() -> None:
    with pytest.raises(ValueError):
        draw_sample(IDS, DAY, 0.05, seed=0)


def test_sample_round_trips_through_its_parquet_file(tmp_path: Path) -> None:
    sample = draw_sample(IDS, DAY, 0.10, seed="s")
    path = write_sample(tmp_path / "qa_sample" / f"{DAY}.parquet", sample, DAY, "s")
    assert read_sample(path) == sample


def test_log_is_append_only(tmp_path: Path) -> None:
    log = tmp_path / "qa" / "qa_log.jsonl"
    append_review(log, passing(IDS[0]))
    first_bytes = log.read_bytes()
    append_review(log, failing(IDS[1]))
    assert log.read_bytes().startswith(first_bytes)  # earlier lines are never rewritten
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["verdict"] for r in records] == ["pass", "fail"]
    assert records[1]["findings"] == [{"category": "NAME", "turn": 4, "note": "caller's first name"}]
    assert records[0]["reviewed_at"].endswith("+00:00") and records[0]["reviewer"] == "qa-tester"
    assert [r.transcript_id for r in read_reviews(log, day=DAY)] == IDS[:2]
    assert read_reviews(log, day="2026-03-03") == []


def test_a_review_is_consistent_and_a_note_cannot_carry_the_identifier() -> None:
    with pytest.raises(QALogError, match="at least one finding"):
        QAReview(DAY, IDS[0], "qa-tester", "fail", {"names": True})
    with pytest.raises(QALogError, match="no finding"):
        QAReview(DAY, IDS[0], "qa-tester", "pass", {"names": True})
    with pytest.raises(QALogError, match="PHONE"):
        Finding("PHONE", 3, "the number 555-013-2749 is still there")
    with pytest.raises(QALogError, match="unknown finding category"):
        Finding("SHOE_SIZE", 3)
    assert Finding("PHONE", 3, "caller's callback number, turn 3").turn == 3


def test_coverage_flips_to_complete_and_a_finding_blocks() -> None:
    sample = IDS[:3]
    coverage = qa_coverage(sample, [passing(sample[0])], fingerprint="f1")
    assert (coverage.required, coverage.reviewed, coverage.findings, coverage.complete) == (3, 1, 0, False)
    reviews = [passing(t) for t in sample]
    assert qa_coverage(sample, reviews, fingerprint="f1").passed
    # Reviews of another partition version or outside the sample do not count.
    assert qa_coverage(sample, [passing(t, "old") for t in sample], fingerprint="f1").reviewed == 0
    assert qa_coverage(sample, [passing(IDS[10])], fingerprint="f1").reviewed == 0
    # A finding blocks, even if a later review of the same transcript passes it.
    blocked = qa_coverage(sample, reviews + [failing(sample[1]), passing(sample[1])], fingerprint="f1")
    assert blocked.complete and blocked.findings == 1 and not blocked.passed
    assert blocked.finding_categories == {"NAME": 1}


def test_finding_becomes_a_regression_case_without_text(tmp_path: Path) -> None:
    review = failing(IDS[4])
    cases = regression_cases(review, engine_version="deid-test-1")
    paths = write_regression_cases(tmp_path / "cases", cases)
    write_regression_cases(tmp_path / "cases", cases)  # idempotent
    (case,) = read_regression_cases(tmp_path / "cases")
    assert (case.category, case.day, case.transcript_id, case.turn, case.engine_version) == (
        "NAME", DAY, IDS[4], 4, "deid-test-1"
    )  # fmt: skip
    assert set(json.loads(paths[0].read_text())) == {
        "case_id", "day", "transcript_id", "turn", "category", "engine_version", "partition_fingerprint",
        "reviewer", "reported_at", "note",
    }  # fmt: skip
