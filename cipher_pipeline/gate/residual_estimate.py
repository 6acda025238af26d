"""The auditor's number: how many transcripts of a partition still hold an identifier, with an upper bound.

Neither the scan nor the QA sample alone can say it. The scan misses part of what the redactor leaves (its catch
rate on the redactor's real misses is measured in ``checks/README.md``), and the random QA sample sees only a
tenth of the day. Together they can, because every scan finding goes to the reviewer in addition to the random
sample:

- transcripts the scan flagged are counted as holding a residual unless a reviewer cleared every finding in them
  (conservative: an unreviewed flag counts);
- among the transcripts the scan did *not* flag, the random QA sample is a simple random sample, so the share of
  them with a reviewer's finding estimates the residual rate the scan cannot see, and its one-sided exact
  (Clopper-Pearson) bound is the upper confidence bound.

    rate  = flagged/N + (N - flagged)/N * k/m
    upper = flagged/N + (N - flagged)/N * upper_CP(k, m, confidence)

with N transcripts, ``flagged`` the uncleared scan-flagged ones, and k findings among m reviewed unflagged sample
transcripts. Before any review, m = 0: nothing is known about what the scan cannot see, so the rate is not
estimated (``None``, "not estimated: no unflagged transcript reviewed") and the upper bound is 1. Reporting 0 there
would be a claim no one measured: a day released on the reviewer's clearance of the scan's flags alone, with QA off,
read 0 before session 13. Plain Python, no Dagster; counts only, no text.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Mapping

DEFAULT_CONFIDENCE = 0.95


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in log space (n is a day's sample: hundreds at most)."""
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if k >= n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(0, k + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q)
    return min(total, 1.0)


def clopper_pearson_upper(k: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> float:
    """One-sided exact upper confidence bound of a binomial proportion (k successes in n trials)."""
    if n < 0 or k < 0 or k > n:
        raise ValueError("need 0 <= k <= n")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be in (0, 1)")
    if n == 0 or k == n:
        return 1.0
    alpha = 1.0 - confidence
    lo, hi = k / n, 1.0
    for _ in range(80):  # bisection to well below 1e-12
        mid = (lo + hi) / 2
        if _binomial_cdf(k, n, mid) > alpha:
            lo = mid
        else:
            hi = mid
    return hi


@dataclass(frozen=True)
class ResidualEstimate:
    transcripts: int
    scan_flagged: int  # transcripts with a scan finding no reviewer cleared
    sample_unflagged_reviewed: int  # random-sample transcripts the scan did not flag, reviewed
    sample_unflagged_with_finding: int
    confidence: float
    rate: float | None  # None: not estimated (no unflagged transcript reviewed while some exist)
    upper: float

    def as_dict(self) -> dict[str, float | int | str | None]:
        record: dict[str, float | int | str | None] = {
            k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()
        }
        if self.rate is None:  # the evidence says why in words, beside the null
            record["rate_note"] = NOT_ESTIMATED
        return record


NOT_ESTIMATED = "not estimated: no unflagged transcript reviewed"


def estimate_is_known(record: Mapping[str, object]) -> bool:
    """Whether a stored estimate (``ResidualEstimate.as_dict()``, of any evidence version) measured the rate: some
    unflagged transcript was reviewed, or none was left unflagged. Records written before session 13 stored rate 0
    where nothing was measured; this reads them by their counts, not by that 0."""
    unflagged = int(record.get("transcripts", 0)) - int(record.get("scan_flagged", 0))
    return unflagged <= 0 or int(record.get("sample_unflagged_reviewed", 0)) > 0


def describe_estimate(record: Mapping[str, object] | None) -> str:
    """One line for ``cipher qa status`` and the evidence's Markdown view: the estimated share of transcripts with a
    residual identifier and its upper bound, or that it was not estimated. Counts only."""
    if not record:
        return "Estimated residual rate: not recorded (the gate evidence predates the estimate)"
    confidence = float(record.get("confidence", DEFAULT_CONFIDENCE))
    bound = f"upper bound {float(record.get('upper', 1.0)):.3f} at {confidence:.0%} confidence"
    counts = (f"{record.get('scan_flagged', 0)} of {record.get('transcripts', 0)} transcripts flagged and not cleared, "
              f"{record.get('sample_unflagged_with_finding', 0)} finding(s) in "
              f"{record.get('sample_unflagged_reviewed', 0)} reviewed unflagged sample transcripts")  # fmt: skip
    if not estimate_is_known(record) or record.get("rate") is None:
        return f"Estimated residual rate: {NOT_ESTIMATED} ({bound}; {counts})"
    return f"Estimated residual rate: {float(record['rate']):.3f} ({bound}; {counts})"


def estimate_residual_rate(
    transcripts: int,
    scan_flagged: int,
    sample_unflagged_reviewed: int = 0,
    sample_unflagged_with_finding: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
) -> ResidualEstimate:
    """Estimated share of a partition's transcripts with a residual identifier, and its upper confidence bound."""
    if transcripts < 0 or not 0 <= scan_flagged <= transcripts:
        raise ValueError("need 0 <= scan_flagged <= transcripts")
    if not 0 <= sample_unflagged_with_finding <= sample_unflagged_reviewed <= transcripts - scan_flagged:
        raise ValueError("need 0 <= findings <= reviewed <= unflagged transcripts")
    if transcripts == 0:
        return ResidualEstimate(0, 0, 0, 0, confidence, 0.0, 0.0)
    flagged_share = scan_flagged / transcripts
    unflagged_share = 1.0 - flagged_share
    m, k = sample_unflagged_reviewed, sample_unflagged_with_finding
    unseen_upper = clopper_pearson_upper(k, m, confidence) if m else 1.0
    if m:
        rate: float | None = flagged_share + unflagged_share * k / m
    else:  # nothing unflagged reviewed: unknown, unless the scan flagged every transcript (then nothing is unseen)
        rate = flagged_share if scan_flagged == transcripts else None
    return ResidualEstimate(
        transcripts=transcripts,
        scan_flagged=scan_flagged,
        sample_unflagged_reviewed=m,
        sample_unflagged_with_finding=k,
        confidence=confidence,
        rate=rate,
        upper=min(1.0, flagged_share + unflagged_share * unseen_upper),
    )


__all__ = [
    "DEFAULT_CONFIDENCE", "NOT_ESTIMATED", "ResidualEstimate", "clopper_pearson_upper", "describe_estimate",
    "estimate_is_known", "estimate_residual_rate",
]  # fmt: skip
