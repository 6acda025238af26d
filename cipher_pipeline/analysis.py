"""Tier 3's marketing view, from call-tracking metadata and the SQL spec ``assets/tier3/marketing_calls.sql``.

The SQL file is the contract of what leaves (an auditor reads it); this module only prepares its input relation
and runs it in DuckDB. What is built from transcripts is the insights (``cipher_pipeline/insights/``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl


def run_spec(specs_dir: Path, name: str, relations: dict[str, pl.DataFrame], params: dict | None = None) -> pl.DataFrame:
    sql = (specs_dir / "tier3" / f"{name}.sql").read_text()
    con = duckdb.connect()
    try:
        for rel_name, frame in relations.items():
            con.register(rel_name, frame.to_arrow())
        return con.sql(sql, params=params or None).pl()
    finally:
        con.close()


def marketing_calls(specs_dir: Path, raw_calls: pl.DataFrame, marketing_id) -> pl.DataFrame:
    """The marketing view. ``marketing_id`` maps a Tier 1 call id to its pseudonym; the SQL never sees the id."""
    calls = raw_calls.with_columns(
        pl.col("call_id").map_elements(marketing_id, return_dtype=pl.String).alias("marketing_call_id")
    ).drop("call_id")
    return run_spec(specs_dir, "marketing_calls", {"calls": calls})
