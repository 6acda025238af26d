"""A reproducible random QA sample of a partition's transcripts.

Reproducible means: the same ids, day, fraction and seed give the same sample, in whatever order the ids arrive
(a re-run, a backfill or an auditor re-drawing it all agree). Each id is ranked by a keyed hash of
``seed:day:id`` and the lowest ranks are taken, which is a uniform random draw without replacement that does not
depend on input order or on Python's ``random`` implementation.

The sample is drawn from the transcripts the residual scan did **not** flag (its size still counted on the whole
day): every flagged transcript joins the reviewer's queue anyway, so a sampled one would be read twice and tell
nothing about what the scan cannot see, which is what the random sample is for (``residual_estimate`` reads it
so), and what a release on review clearance rests on besides the flags (session 13).
"""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import polars as pl

if TYPE_CHECKING:
    from cipher_pipeline.gate.thresholds import GateThresholds

MIN_FRACTION = 0.10


def sample_size(n: int, fraction: float, minimum: int = 1) -> int:
    """``ceil(fraction * n)``, at least ``minimum``, at most ``n``."""
    if n <= 0:
        return 0
    return min(n, max(minimum, math.ceil(fraction * n - 1e-9)))


def draw_sample(
    transcript_ids: Iterable[str], day: str, fraction: float = MIN_FRACTION, seed: int | str = 0, minimum: int = 1,
    exclude: Iterable[str] = (),
) -> list[str]:
    """Draw the QA sample of one partition; returns the sampled ids sorted, empty only for an empty partition (or
    one whose every transcript is in ``exclude``). ``exclude``: ids reviewed anyway (the scan's flags), never drawn;
    the sample's size is still counted on the whole partition."""
    if not MIN_FRACTION <= fraction <= 1:
        raise ValueError(f"QA sample fraction must be in [{MIN_FRACTION}, 1], got {fraction}")
    if minimum < 1:
        raise ValueError("a QA sample has at least one transcript")
    unique = set(transcript_ids)
    eligible = sorted(unique - set(exclude))
    k = min(len(eligible), sample_size(len(unique), fraction, minimum))
    ranked = sorted(eligible, key=lambda tid: hashlib.sha256(f"{seed}:{day}:{tid}".encode()).hexdigest())
    return sorted(ranked[:k])


def sample_seed_for(partition_fingerprint: str) -> str:
    """The seed convention: the first 16 hex of the partition's fingerprint. The same redacted bytes always give
    the same sample, and a re-redacted partition (new bytes) gets a fresh one that reviewers have not seen."""
    return partition_fingerprint[:16]


def draw_day_sample(
    transcript_ids: Iterable[str], day: str, fingerprint: str | None, thresholds: "GateThresholds", seed: str | None = None,
    scan_flagged: Iterable[str] = (),
) -> tuple[list[str], str]:
    """The day's QA sample as Cipher draws it everywhere (the gate when it judges the day, the ``qa_sample`` asset,
    ``cipher qa sample``): the thresholds' fraction and minimum, seeded by the partition's fingerprint unless
    ``seed`` is given, drawn from the transcripts not in ``scan_flagged`` (the evidence's ``qa.scan_flagged``).
    Returns the sample and its seed."""
    seed = seed or (sample_seed_for(fingerprint) if fingerprint else "none")
    sample = draw_sample(transcript_ids, day, thresholds.qa_sample_fraction, seed, thresholds.qa_min_sample, scan_flagged)
    return sample, seed


def write_sample(path: str | Path, sample: Sequence[str], day: str, seed: int | str) -> Path:
    """Write the ``qa_sample`` partition (transcript_id, day, sample_seed) atomically as Parquet."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pl.DataFrame(
        {"transcript_id": list(sample), "day": [day] * len(sample), "sample_seed": [str(seed)] * len(sample)},
        schema={"transcript_id": pl.String, "day": pl.String, "sample_seed": pl.String},
    )
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.write_parquet(tmp)
    os.replace(tmp, path)
    return path


def read_sample(path: str | Path) -> list[str]:
    """The sampled transcript ids of a ``qa_sample`` partition file."""
    return sorted(pl.read_parquet(path, columns=["transcript_id"])["transcript_id"].to_list())
