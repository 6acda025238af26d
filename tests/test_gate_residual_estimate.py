"""The residual-rate estimate an auditor reads: scan flags plus the random QA sample, with an exact upper bound."""

from __future__ import annotations

import math

import pytest

from cipher_pipeline.gate.residual_estimate import (
    NOT_ESTIMATED, clopper_pearson_upper, describe_estimate, estimate_residual_rate,
)  # fmt: skip


def test_clopper_pearson_matches_known_values() -> None:
    # zero findings in n: the exact one-sided bound is 1 - alpha**(1/n) (the "rule of three" for large n)
    for n in (1, 10, 30, 300):
        assert clopper_pearson_upper(0, n, 0.95) == pytest.approx(1 - 0.05 ** (1 / n), abs=1e-9)
    # 1 in 10 at 95%, one-sided: 0.3942 (tabled value)
    assert clopper_pearson_upper(1, 10, 0.95) == pytest.approx(0.3942, abs=1e-4)
    assert clopper_pearson_upper(5, 5) == 1.0
    assert clopper_pearson_upper(0, 0) == 1.0


def test_before_review_nothing_is_known_beyond_the_scan() -> None:
    """No unflagged transcript reviewed: the rate is not estimated (None, not 0, and not the flagged share, which
    is only a floor); the upper bound stays 1."""
    est = estimate_residual_rate(transcripts=10, scan_flagged=2)
    assert est.rate is None and est.upper == 1.0
    assert est.as_dict()["rate"] is None and est.as_dict()["rate_note"] == NOT_ESTIMATED
    clean = estimate_residual_rate(transcripts=10, scan_flagged=0)  # nothing flagged, nothing reviewed
    assert clean.rate is None and clean.upper == 1.0
    assert describe_estimate(clean.as_dict()).startswith(f"Estimated residual rate: {NOT_ESTIMATED} (upper bound 1.000")


def test_a_day_the_scan_flagged_whole_needs_no_sample_to_be_estimated() -> None:
    """Every transcript flagged and none cleared: nothing is unseen, so the rate is known (1) without a sample."""
    est = estimate_residual_rate(transcripts=4, scan_flagged=4)
    assert (est.rate, est.upper) == (1.0, 1.0)
    assert describe_estimate(est.as_dict()).startswith("Estimated residual rate: 1.000")
    assert estimate_residual_rate(0, 0).rate == 0.0  # an empty day holds nothing


def test_a_record_written_before_the_estimate_could_be_unknown_reads_as_not_estimated() -> None:
    """Evidence of schema 1 stored rate 0 with nothing unflagged reviewed: the reader goes by the counts, so an
    old record prints "not estimated" too, and a measured 0 of an old record prints as measured."""
    old = {"transcripts": 10, "scan_flagged": 0, "sample_unflagged_reviewed": 0, "sample_unflagged_with_finding": 0,
           "confidence": 0.95, "rate": 0.0, "upper": 1.0}  # fmt: skip
    assert NOT_ESTIMATED in describe_estimate(old)
    measured = {**old, "sample_unflagged_reviewed": 3, "upper": 0.631597}
    assert describe_estimate(measured).startswith("Estimated residual rate: 0.000 (upper bound 0.632 at 95% confidence")
    assert "not recorded" in describe_estimate(None)


def test_clean_review_bounds_the_rate_the_scan_cannot_see() -> None:
    est = estimate_residual_rate(transcripts=100, scan_flagged=0, sample_unflagged_reviewed=30, sample_unflagged_with_finding=0)
    assert est.rate == 0.0
    assert est.upper == pytest.approx(1 - 0.05 ** (1 / 30), abs=1e-9)  # about 0.095: a tenth of the day is not zero
    flagged = estimate_residual_rate(100, 5, 30, 1)
    assert flagged.rate == pytest.approx(0.05 + 0.95 / 30)
    assert flagged.upper > flagged.rate and math.isfinite(flagged.upper)
    assert flagged.as_dict()["scan_flagged"] == 5


@pytest.mark.parametrize("args", [(10, 11), (10, 2, 9, 0), (10, 2, 3, 4), (-1, 0)])
def test_impossible_counts_are_refused(args) -> None:
    with pytest.raises(ValueError):
        estimate_residual_rate(*args)
