"""Asset metadata helpers: counts, categories, rates and schemas only, never Tier 1 text."""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg
import polars as pl

_DAGSTER_TYPES = {pl.String: "string", pl.Int64: "int", pl.Int32: "int", pl.Float64: "float", pl.Boolean: "bool"}


def table_schema(df: pl.DataFrame) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(name, _DAGSTER_TYPES.get(dtype, str(dtype).lower())) for name, dtype in df.schema.items()]
    )


def counts_table(title: str, counts: Mapping[str, int | float], key: str = "category", value: str = "count") -> str:
    lines = [f"**{title}**", "", f"| {key} | {value} |", "| --- | ---: |"]
    lines += [f"| {k} | {v} |" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if not counts:
        lines.append("| (none) | 0 |")
    return "\n".join(lines)


def frame_preview(df: pl.DataFrame, limit: int = 15) -> str:
    """Markdown preview, for Tier 3 output only (already aggregated and de-identified)."""
    head = df.head(limit)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + " --- |" * len(head.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in head.iter_rows()]
    return "\n".join(lines)


def standard(df: pl.DataFrame, receipt) -> dict:
    return {
        "dagster/row_count": dg.MetadataValue.int(len(df)),
        "dagster/column_schema": table_schema(df),
        "path": dg.MetadataValue.path(str(receipt.path)),
        "bytes": dg.MetadataValue.int(receipt.bytes),
    }
