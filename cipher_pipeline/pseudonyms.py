"""Ids for Tier 2 and Tier 3 rows that carry no link to a Tier 1 call.

The seed's rule: no mapping between de-identified transcripts and the caller. Earlier ids were keyed HMACs of
the call id, so anyone holding the key folder could recompute the mapping for every row. Now an id is a hash
of the released row's own content (its day, its de-identified text or marketing fields) plus its position
among rows with identical content; there is no key and the Tier 1 call id never enters it. So the id tells
nothing that the row does not already show, a holder of every key gains nothing from it, and ids from two
tables never join (they hash different content under different prefixes).

Deterministic on purpose: the same de-identified bytes give the same ids, so re-running a day reproduces the
partition fingerprint the gate evidence and the QA reviews are pinned to (docs/security.md, "Severed link").
What does remain is the content itself (see docs/security.md for that residual and how retention bounds it).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence

import polars as pl

PREFIXES = {"transcript": "T", "marketing": "M"}


def content_id(purpose: str, day: str, content: Sequence[object], occurrence: int = 0) -> str:
    """``T``/``M`` + 16 hex of SHA-256 over the purpose, day, the row's released content and its occurrence."""
    body = json.dumps([purpose, day, list(content), occurrence], sort_keys=True, default=str, separators=(",", ":"))
    return PREFIXES[purpose] + hashlib.sha256(body.encode()).hexdigest()[:16]


def content_ids(purpose: str, day: str, contents: Sequence[Sequence[object]]) -> list[str]:
    """One id per row; rows with identical content are told apart by occurrence, in content order only."""
    seen: Counter[str] = Counter()
    ids = []
    for content in contents:
        key = json.dumps(list(content), default=str)
        ids.append(content_id(purpose, day, content, seen[key]))
        seen[key] += 1
    return ids


def assign_ids(frame: pl.DataFrame, column: str, purpose: str, day: str, content_columns: Sequence[str]) -> pl.DataFrame:
    """Replace ``column`` by content ids and sort by it (row order must not mirror Tier 1 order either).

    Rows are first ordered by their content so the occurrence number of duplicates never depends on the
    Tier 1 order they came in.
    """
    ordered = frame.sort(list(content_columns), nulls_last=True)
    ids = content_ids(purpose, day, ordered.select(content_columns).rows())
    return ordered.with_columns(pl.Series(column, ids, dtype=pl.String)).sort(column)
