"""Tier 3: aggregate, de-identified output built from Tier 2 and the SQL specs in ``assets/tier3``.

The SQL files are the contract of what leaves the gate (an auditor reads them); this module only prepares
their input relations and runs them in DuckDB.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl
import yaml

from cipher_pipeline.insights.suppression import small_cell_k
from cipher_pipeline.vocabulary import CALLER

PLACEHOLDER = re.compile(r"\[([A-Z_]+)(?::([a-z0-9_]+))?\]")
PLACEHOLDER_SPLIT = re.compile(r"\[[A-Z_]+(?::[a-z0-9_]+)?\]")  # no groups: re.split would return them


def run_spec(specs_dir: Path, name: str, relations: dict[str, pl.DataFrame], params: dict | None = None) -> pl.DataFrame:
    sql = (specs_dir / "tier3" / f"{name}.sql").read_text()
    con = duckdb.connect()
    try:
        for rel_name, frame in relations.items():
            con.register(rel_name, frame.to_arrow())
        return con.sql(sql, params=params or None).pl()
    finally:
        con.close()


_CALLER_PREFIX = f"{CALLER}:"


def _caller_lines(redacted_text: str) -> list[str]:
    return [line[len(_CALLER_PREFIX) :] for line in redacted_text.splitlines() if line.startswith(_CALLER_PREFIX)]


def entity_tags(redacted: pl.DataFrame, kinds: tuple[str, ...] = ("COMPETITOR", "INSURER")) -> pl.DataFrame:
    """Competitor and insurer tags the callers said. The agent's side is left out: its greeting names the center
    itself, which Whisper can spell so that the lexicon reads it as an unlisted competitor, and an agent naming a
    payer or a program is not what callers compare."""
    records = []
    for day, transcript_id, text in redacted.select("day", "transcript_id", "redacted_text").iter_rows():
        for match in PLACEHOLDER.finditer("\n".join(_caller_lines(text))):
            kind, entity = match.group(1), match.group(2)
            if kind in kinds:
                records.append((day, transcript_id, kind, entity or "unlisted"))
    return pl.DataFrame(
        records, schema={"day": pl.String, "transcript_id": pl.String, "kind": pl.String, "entity": pl.String}, orient="row"
    )


@lru_cache(maxsize=4)
def concern_vocabularies(specs_dir: Path) -> tuple[dict[str, re.Pattern], dict[str, re.Pattern]]:
    """Compiled whole-word patterns for each concern and caller type in ``assets/tier3/concerns.yaml``."""
    spec = yaml.safe_load((specs_dir / "tier3" / "concerns.yaml").read_text())

    def compile_terms(terms: list) -> re.Pattern:
        alternatives = sorted((re.escape(str(t).lower()) for t in terms), key=len, reverse=True)
        return re.compile(r"(?<![a-z'])(?:" + "|".join(alternatives) + r")(?![a-z'])")

    concerns = {name: compile_terms(terms) for name, terms in spec["concerns"].items()}
    caller_types = {name: compile_terms(terms) for name, terms in spec["caller_types"].items()}
    return concerns, caller_types


def call_concerns(redacted: pl.DataFrame, specs_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per call: the concerns its caller raised ranked by first mention, and the caller type.

    The caller's lines are read in order as one stream; a concern's position is where its first term starts,
    so two concerns in one sentence keep the order in which they were said.
    """
    concerns, caller_types = concern_vocabularies(specs_dir)
    concern_rows, type_rows = [], []
    for day, transcript_id, text in redacted.select("day", "transcript_id", "redacted_text").iter_rows():
        caller = "\n".join(PLACEHOLDER_SPLIT.sub(" ", line) for line in _caller_lines(text)).lower()
        first_seen = {}
        for name, pattern in concerns.items():
            match = pattern.search(caller)
            if match:
                first_seen[name] = match.start()
        for rank, name in enumerate(sorted(first_seen, key=lambda n: (first_seen[n], n)), start=1):
            concern_rows.append((day, transcript_id, name, rank))
        kind = next((name for name, pattern in caller_types.items() if pattern.search(caller)), "unclear")
        type_rows.append((day, transcript_id, kind))
    concern_frame = pl.DataFrame(
        concern_rows, schema={"day": pl.String, "transcript_id": pl.String, "concern": pl.String, "rank": pl.Int32}, orient="row"
    )
    type_frame = pl.DataFrame(
        type_rows, schema={"day": pl.String, "transcript_id": pl.String, "caller_type": pl.String}, orient="row"
    )
    return concern_frame, type_frame


def concern_order(specs_dir: Path, redacted: pl.DataFrame) -> pl.DataFrame:
    """The concern order table alone (the caller_concerns asset), small-cell suppressed."""
    concerns, _ = call_concerns(redacted, specs_dir)
    min_calls = small_cell_k(specs_dir)
    return run_spec(specs_dir, "caller_concerns", {"call_concerns": concerns}, {"min_calls": min_calls})


def caller_types(specs_dir: Path, redacted: pl.DataFrame) -> pl.DataFrame:
    """The caller type table alone (the caller_types asset), small-cell suppressed."""
    _, types = call_concerns(redacted, specs_dir)
    min_calls = small_cell_k(specs_dir)
    return run_spec(specs_dir, "caller_types", {"call_types": types}, {"min_calls": min_calls})


def caller_concerns(specs_dir: Path, redacted: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(concern order table, caller type table), both small-cell suppressed."""
    min_calls = small_cell_k(specs_dir)
    concerns, types = call_concerns(redacted, specs_dir)
    return (
        run_spec(specs_dir, "caller_concerns", {"call_concerns": concerns}, {"min_calls": min_calls}),
        run_spec(specs_dir, "caller_types", {"call_types": types}, {"min_calls": min_calls}),
    )


def competitor_mentions(specs_dir: Path, redacted: pl.DataFrame) -> pl.DataFrame:
    return run_spec(
        specs_dir, "competitor_mentions", {"entity_tags": entity_tags(redacted)}, {"min_calls": small_cell_k(specs_dir)}
    )


def marketing_calls(specs_dir: Path, raw_calls: pl.DataFrame, marketing_id) -> pl.DataFrame:
    """The marketing view. ``marketing_id`` maps a Tier 1 call id to its pseudonym; the SQL never sees the id."""
    calls = raw_calls.with_columns(
        pl.col("call_id").map_elements(marketing_id, return_dtype=pl.String).alias("marketing_call_id")
    ).drop("call_id")
    return run_spec(specs_dir, "marketing_calls", {"calls": calls})
