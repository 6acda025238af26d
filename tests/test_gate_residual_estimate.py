"""The residual-rate estimate an auditor reads: scan flags plus the random QA sample, with an exact upper bound."""

from __future__ import annotations

import math

import pytest

from cipher_pipeline.gate.residual_estimate import clopper_pearson_upper, estimate_residual_rate


def test_clopper_pearson_matches_known_values() -> None:
    # zero findings in n: the exact one-sided bound is 1 - alpha**(1/n) (the "rule of three" for large n)
    for n in (1, 10, 30, 300):
        assert clopper_pearson_upper(0, n, 0.95) == pytest.approx(1 - 0.05 ** (1 / n), abs=1e-9)
    # 1 in 10 at 95%, one-sided: 0.3942 (tabled value)
    assert clopper_pearson_upper(1, 10, 0.95) == pytest.approx(0.3942, abs=1e-4)
    assert clopper_pearson_upper(5, 5) == 1.0
    assert clopper_pearson_upper(0, 0) == 1.0


def test_before_review_nothing_is_known_beyond_the_scan() -> None:
    est = estimate_residual_rate(transcripts=10, scan_flagged=2)
    assert est.rate == pytest.approx(0.2) and est.upper == 1.0


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
