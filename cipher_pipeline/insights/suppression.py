"""Small-cell suppression: no published count of distinct calls lies between 1 and k-1, nor can be worked out.

Three rules, each enforced here and each re-proved by a check (``check_*``) that the assets run on what they
publish:

1. **Primary**: a count of 1..k-1 distinct calls is withheld (null, or the row is left out where absence is
   the only signal, as for phrases). 0 and k or more are shown. k defaults to 11 (the CMS cell-size policy)
   and may only be raised (:func:`effective_k`).
2. **Complementary**: where cells split a published total (caller types, first concerns, a cluster's calls
   by caller group), the withheld cells must add up to 0 or at least k; otherwise the smallest published cell
   is withheld too, until they do. A lone withheld cell can then not be recovered as total minus the rest.
   A split of fewer than k calls is withheld whole, zeros included.
3. **Across roll-ups**: a weekly or monthly cell is withheld when it minus the published daily cells for the
   same key comes to 1..k-1, so that differencing a week against its days recovers nothing small.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl
import yaml

DEFAULT_K = 11


def effective_k(configured: int | None) -> int:
    """The threshold in force: the configured value, which may raise k above 11 but never lower it."""
    if configured is None:
        return DEFAULT_K
    if int(configured) < DEFAULT_K:
        raise ValueError(f"small-cell threshold {configured} is below {DEFAULT_K}; it may only be raised")
    return int(configured)


def small_cell_k(specs_dir: Path) -> int:
    """The one small-cell threshold of every Tier 3 output (``assets/insights/release.yaml``), never under 11."""
    config = yaml.safe_load((specs_dir / "insights" / "release.yaml").read_text())
    return effective_k(int(config["small_cell"]["min_calls"]))


def is_small(n, k: int) -> bool:
    return n is not None and 0 < n < k


def primary(df: pl.DataFrame, columns: Iterable[str], k: int) -> pl.DataFrame:
    """Null every count in ``columns`` that is 1..k-1."""
    return df.with_columns(
        [pl.when((pl.col(c) > 0) & (pl.col(c) < k)).then(None).otherwise(pl.col(c)).alias(c) for c in columns]
    )


def complementary(df: pl.DataFrame, column: str, totals: dict, k: int, group: str | None = None) -> pl.DataFrame:
    """Withhold more cells of ``column`` until, per group, total minus published is 0 or >= k.

    ``df[column]`` must already be primary-suppressed; ``totals`` maps a group value (or None without groups)
    to the published total the cells split. Cells are withheld smallest first.
    """
    if df.is_empty():
        return df
    rows = df.with_row_index("_row")
    withheld: set[int] = set()
    keys = [None] if group is None else rows[group].unique().to_list()
    for key in keys:
        part = rows if group is None else rows.filter(pl.col(group) == key)
        total = totals.get(key)
        if total is None:  # the total itself is not published: nothing to difference against
            continue
        if total < k:
            # Every cell of a split of fewer than k calls is under k; its zeros are withheld too, or the one
            # non-zero cell would be the total.
            withheld.update(part["_row"].to_list())
            continue
        published = [(v, r) for r, v in zip(part["_row"], part[column]) if v is not None and v > 0]
        published.sort()
        residual = total - sum(v for v, _ in published)
        while is_small(residual, k) and published:
            value, row = published.pop(0)
            withheld.add(row)
            residual += value
    return rows.with_columns(
        pl.when(pl.col("_row").is_in(sorted(withheld))).then(None).otherwise(pl.col(column)).alias(column)
    ).drop("_row")


def against_constituents(rollup: pl.DataFrame, keys: list[str], column: str, daily: pl.DataFrame | None, k: int) -> pl.DataFrame:
    """Rule 3: withhold a roll-up cell when it minus the published daily cells of the same key is 1..k-1."""
    if daily is None or daily.is_empty() or rollup.is_empty() or column not in daily.columns:
        return rollup
    published = daily.group_by(keys).agg(pl.col(column).fill_null(0).sum().alias("_days"))
    joined = rollup.join(published, on=keys, how="left").with_columns(pl.col("_days").fill_null(0))
    residual = pl.col(column) - pl.col("_days")
    return joined.with_columns(
        pl.when((residual > 0) & (residual < k)).then(None).otherwise(pl.col(column)).alias(column)
    ).drop("_days")


# --- checks: re-prove the rules on what is about to be published -------------------------------------------


def check_cells(df: pl.DataFrame, columns: Iterable[str], k: int) -> list[str]:
    problems = []
    for c in columns:
        if c in df.columns:
            small = df.filter((pl.col(c) > 0) & (pl.col(c) < k)).height
            if small:
                problems.append(f"{c}: {small} published cell(s) between 1 and {k - 1}")
    return problems


def check_partition(df: pl.DataFrame, column: str, totals: dict, k: int, group: str | None = None) -> list[str]:
    problems = []
    keys = [None] if group is None else df[group].unique().to_list()
    for key in keys:
        part = df if group is None else df.filter(pl.col(group) == key)
        total = totals.get(key)
        if total is None:
            continue
        if total < k:
            if part[column].null_count() < part.height:
                problems.append(f"{column}{'' if key is None else f' ({group}={key})'}: a split of {total} calls (< {k}) shows a cell")
            continue
        residual = total - int(part[column].fill_null(0).sum())
        if is_small(residual, k):
            problems.append(f"{column}{'' if key is None else f' ({group}={key})'}: total minus published is {residual}, below {k}")
    return problems


def check_rollup(rollup: pl.DataFrame, keys: list[str], column: str, daily: pl.DataFrame | None, k: int) -> list[str]:
    if daily is None or daily.is_empty() or rollup.is_empty() or column not in daily.columns:
        return []
    published = daily.group_by(keys).agg(pl.col(column).fill_null(0).sum().alias("_days"))
    joined = rollup.filter(pl.col(column).is_not_null()).join(published, on=keys, how="left").with_columns(pl.col("_days").fill_null(0))
    bad = joined.filter(((pl.col(column) - pl.col("_days")) > 0) & ((pl.col(column) - pl.col("_days")) < k)).height
    return [f"{column}: {bad} roll-up cell(s) differ from their published days by 1..{k - 1}"] if bad else []
