"""``cipher qa review`` and ``cipher qa status``, driven through stdin as a reviewer would type."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path


import pytest

from cipher_pipeline.gate.ledger import evaluate_partition, fingerprint_file, read_evidence, write_evidence
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.thresholds import load_thresholds
from cipher_pipeline.gate.qa_log import read_corrections, read_reviews
from cipher_pipeline.qa.regression import read_regression_cases
from cipher_pipeline.qa.review import plan_review, run_review, status_lines
from cipher_pipeline.qa.sample import draw_sample, write_sample
from tests.test_gate_fixtures import PLANTED, redacted_frame, tier1_call_id

# Slow: drives `cipher qa` through subprocesses, each loading the engine. `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

DAY = "2026-03-02"
REPO = Path(__file__).resolve().parents[1]
CLEAN_ANSWERS = "n\n" * 6  # one "no" per checklist question


def prepare(root: Path, n: int = 25, planted: dict[int, str] | None = None) -> tuple[GatePaths, list[str]]:
    """A data root with the day's redacted partition, its QA sample and passing gate evidence."""
    paths = GatePaths(root)
    frame = redacted_frame(DAY, n, planted)
    partition = paths.redacted_partition(DAY)
    partition.parent.mkdir(parents=True)
    frame.write_parquet(partition)
    thresholds = load_thresholds()
    sample = draw_sample(frame["transcript_id"].to_list(), DAY, thresholds.qa_sample_fraction, seed="t")
    write_sample(paths.qa_sample_partition(DAY), sample, DAY, "t")
    tier1 = [tier1_call_id(i, DAY) for i in range(n)]
    evidence = evaluate_partition(DAY, frame, fingerprint_file(partition), thresholds, tier1, qa_sample=sample)
    write_evidence(paths.gate_evidence_dir, evidence)
    return paths, sample


def cipher(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CIPHER_DATA_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "cipher_pipeline", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )  # fmt: skip


def test_review_through_stdin_appends_to_the_log_and_completes_coverage(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path)
    assert len(sample) == 3
    result = cipher(tmp_path, "qa", "review", "--day", DAY, "--reviewer", "qa-tester", stdin=CLEAN_ANSWERS * 3)
    assert result.returncode == 0, result.stderr
    assert "1/3 reviewed" in result.stdout and "3/3 reviewed" in result.stdout
    assert "caller: " in result.stdout  # the reviewer sees the redacted text ...
    assert "Coverage: 3/3 reviewed (complete), 0 findings: releasable." in result.stdout
    reviews = read_reviews(paths.qa_log, day=DAY)
    assert sorted(r.transcript_id for r in reviews) == sample
    assert {r.reviewer for r in reviews} == {"qa-tester"} and {r.verdict for r in reviews} == {"pass"}
    assert reviews[0].fingerprint == fingerprint_file(paths.redacted_partition(DAY))
    evidence = read_evidence(paths.gate_evidence_dir, DAY)
    assert evidence.qa["coverage"]["passed"] is True  # the auditor's snapshot follows the review

    status = cipher(tmp_path, "qa", "status", "--day", DAY)
    assert status.returncode == 0, status.stderr
    assert "Release to Tier 3: RELEASABLE" in status.stdout


def test_review_can_stop_and_resume(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path)
    out = io.StringIO()
    coverage = run_review(paths, DAY, "qa-tester", io.StringIO(CLEAN_ANSWERS + "n\nq\n"), out)
    assert (coverage.reviewed, coverage.complete) == (1, False)
    assert "Stopped; reviews so far are saved." in out.getvalue()
    assert any("QA Coverage: 1/3 reviewed (incomplete)" in line for line in status_lines(paths, DAY))
    assert any("Release to Tier 3: HELD (human QA is incomplete: 1/3 reviewed)" in l for l in status_lines(paths, DAY))
    out = io.StringIO()
    coverage = run_review(paths, DAY, "qa-second", io.StringIO(CLEAN_ANSWERS * 2), out)
    assert coverage.passed and "2 of 2 pending" in out.getvalue()  # only what was left is shown again


def test_finding_through_stdin_blocks_release_and_files_a_regression_case(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path)
    # First transcript: a name left in turn 2 (the reviewer first tries to paste a number into the note and is
    # refused), then clean answers; the other two clean.
    answers = (
        "y\n" "2\n" "callback 555-013-2749\n" "caller's first name after the greeting\n" "n\n"  # names: finding
        + "n\n" * 5
        + CLEAN_ANSWERS * 2
    )
    result = cipher(tmp_path, "qa", "review", "--day", DAY, "--reviewer", "qa-tester", stdin=answers)
    assert result.returncode == 1, result.stderr  # not releasable
    assert "do not type the identifier" in result.stdout and "seems to contain a PHONE" in result.stdout
    assert "BLOCKED by findings" in result.stdout
    reviews = read_reviews(paths.qa_log, day=DAY)
    assert [r.verdict for r in reviews] == ["fail", "pass", "pass"]
    assert reviews[0].findings[0].category == "NAME" and reviews[0].findings[0].turn == 2
    assert "555-013" not in paths.qa_log.read_text()
    (case,) = read_regression_cases(paths.regression_cases_dir)
    assert (case.transcript_id, case.turn, case.category, case.engine_version) == (sample[0], 2, "NAME", "deid-test-1")
    status = cipher(tmp_path, "qa", "status", "--day", DAY)
    assert "Release to Tier 3: HELD (human QA found 1 residual identifier(s): NAME 1)" in status.stdout
    demo = subprocess.run(
        [sys.executable, "-m", "cipher_pipeline", "qa", "status", "--day", DAY],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, "CIPHER_DATA_ROOT": str(tmp_path), "CIPHER_REQUIRE_QA": "false"},
    )  # fmt: skip
    assert "Release to Tier 3: HELD (human QA found 1" in demo.stdout  # a finding blocks even with QA off


def test_review_shows_the_scanner_flags_to_guide_the_reviewer(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path, n=10, planted={i: PLANTED["NAME_CUE"] for i in range(10)})
    first = plan_review(paths, DAY).pending[0]
    out = io.StringIO()
    run_review(paths, DAY, "qa-tester", io.StringIO("q\n"), out)
    import polars as pl

    frame = pl.read_parquet(paths.redacted_partition(DAY))
    text = frame.filter(pl.col("transcript_id") == first)["redacted_text"][0]
    planted_turn = text.count("\n")  # the planted line is the last one
    shown = out.getvalue()
    assert f"the scan flagged the turns marked >> (check these first): turn {planted_turn} NAME" in shown
    flagged_line = next(line for line in shown.splitlines() if line.startswith(f">>{planted_turn}"))
    assert "<-- scan: NAME" in flagged_line  # the flagged turn itself is highlighted ...
    assert not any(line.startswith(">>0 ") for line in shown.splitlines())  # ... and only that one
    assert "Dana Whitfield" in flagged_line  # Tier 2 text as stored: the reviewer must see what leaked


def test_every_scan_flagged_transcript_joins_the_random_sample_in_the_queue(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path, n=25, planted={i: PLANTED["NAME_CUE"] for i in range(25)})
    evidence = read_evidence(paths.gate_evidence_dir, DAY)
    flagged = set(evidence.qa["scan_flagged"])
    assert len(sample) == 3 and len(flagged) == 25  # every planted transcript is flagged, far beyond the sample
    plan = plan_review(paths, DAY)
    assert set(plan.sample) == flagged | set(sample)
    status = status_lines(paths, DAY)
    assert "QA Coverage: 0/25 reviewed (incomplete), 0 findings: waiting on review." in status


def test_a_mistaken_finding_is_corrected_by_an_audited_line(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path)
    # The reviewer wrongly reports a name in turn 0 of the first transcript, then passes the other two.
    mistaken = "y\n" "0\n" "placeholder misread\n" "n\n" + "n\n" * 5
    result = cipher(tmp_path, "qa", "review", "--day", DAY, "--reviewer", "qa-tester", stdin=mistaken + CLEAN_ANSWERS * 2)
    assert result.returncode == 1 and "BLOCKED by findings" in result.stdout
    wrong_id = next(r.transcript_id for r in read_reviews(paths.qa_log, day=DAY) if r.findings)
    clean_id = next(tid for tid in sample if tid != wrong_id)

    nothing = cipher(tmp_path, "qa", "correct", "--day", DAY, "--transcript", clean_id, "--reason", "no finding there")
    assert nothing.returncode == 2 and "no standing finding" in nothing.stderr

    fixed = cipher(tmp_path, "qa", "correct", "--day", DAY, "--transcript", wrong_id, "--reviewer", "privacy-officer",
                   "--reason", "the reviewer read the [NAME] placeholder as a name")  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    assert "Release to Tier 3: RELEASABLE" in fixed.stdout
    lines = paths.qa_log.read_text().splitlines()
    assert len(lines) == 4  # three reviews and the correction: nothing rewritten
    raw = read_reviews(paths.qa_log, day=DAY, apply_corrections=False)
    assert [r.verdict for r in raw if r.transcript_id == wrong_id] == ["fail"]  # the original stays as written
    (correction,) = read_corrections(paths.qa_log, day=DAY)
    assert (correction.reviewer, correction.transcript_id) == ("privacy-officer", wrong_id)
    evidence = read_evidence(paths.gate_evidence_dir, DAY)
    assert evidence.qa["coverage"]["findings"] == 0 and evidence.qa["coverage"]["passed"] is True


def test_review_without_a_sample_says_what_to_do(tmp_path: Path) -> None:
    result = cipher(tmp_path, "qa", "review", "--day", DAY)
    assert result.returncode == 2
    assert "no redacted_transcripts partition for 2026-03-02" in result.stderr
    bad = cipher(tmp_path, "qa", "status", "--day", "03/02/2026")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_sample_command_draws_the_same_sample_as_the_library(tmp_path: Path) -> None:
    from cipher_pipeline.qa.sample import read_sample, sample_seed_for

    paths, sample = prepare(tmp_path)
    paths.qa_sample_partition(DAY).unlink()
    result = cipher(tmp_path, "qa", "sample", "--day", DAY, "--seed", "t")
    assert result.returncode == 0, result.stderr
    assert "3 of 25 transcripts" in result.stdout
    assert read_sample(paths.qa_sample_partition(DAY)) == sample
    # Without --seed the seed is the partition fingerprint's prefix, and the evidence records the new sample.
    assert cipher(tmp_path, "qa", "sample", "--day", DAY).returncode == 0
    fingerprint = fingerprint_file(paths.redacted_partition(DAY))
    redrawn = read_sample(paths.qa_sample_partition(DAY))
    frame_ids = redacted_frame(DAY, 25)["transcript_id"].to_list()
    assert redrawn == draw_sample(frame_ids, DAY, 0.10, sample_seed_for(fingerprint))
    assert read_evidence(paths.gate_evidence_dir, DAY).qa["sample"] == redrawn


def test_review_follows_the_sample_the_gate_evidence_records(tmp_path: Path) -> None:
    paths, sample = prepare(tmp_path)
    paths.qa_sample_partition(DAY).unlink()  # only the evidence knows the sample now
    coverage = run_review(paths, DAY, "qa-tester", io.StringIO(CLEAN_ANSWERS * 3), io.StringIO())
    assert coverage.passed and coverage.required == len(sample)
