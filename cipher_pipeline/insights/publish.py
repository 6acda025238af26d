"""Engine entry points the Dagster assets call: build, check and write one period's insights.

A period is a day, an ISO week or a month. Its tables are built from the period's calls, re-checked
(suppression rules, no-verbatim rule) and only then written, each table to
``<tier 3>/insights/<table>/<period>.parquet`` and, for weeks and months, the HTML report to
``<tier 3>/insights/reports/<period>.html``, through Tier 3's storage root (``object_store``: a local folder, or
an ``s3://`` prefix with ``CIPHER_TIER3_ROOT``). Each file is written whole (a renamed temporary file, or one PUT),
so a re-run replaces a period whole. A failed check writes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from cipher_pipeline.insights import aggregate, features, intake, periods, report, suppression, verbatim
from cipher_pipeline.insights import taxonomy as tx
from cipher_pipeline.object_store import StorageRoot, as_root


class InsightCheckFailed(Exception):
    def __init__(self, period: str, problems: list[str]):
        super().__init__(f"{period}: " + "; ".join(problems[:5]))
        self.problems = problems


@dataclass
class PeriodInsights:
    period: str
    tables: dict[str, pl.DataFrame]
    intake: dict[str, pl.DataFrame] = field(default_factory=dict)
    calls: list = field(default_factory=list)  # features; never written

    def summary(self) -> dict:
        """Numbers that trend (for Dagster metadata plotted over partitions)."""
        t = self.tables
        # The operator's view (Dagster UI) gets the true call count, as Tier 2's row count already shows it.
        out = {"calls": len(self.calls)}
        count_cols = aggregate.COUNT_COLUMNS
        out["withheld_cells"] = int(sum(t[n][c].null_count() for n, cols in count_cols.items() if n in t for c in cols if c in t[n].columns))
        for row in t["concerns"].iter_rows(named=True):
            if row["concern"] != "none" and row["first_share"] is not None:
                out[f"first_share_{row['concern']}"] = float(row["first_share"])
        for kind in ("COMPETITOR", "INSURER"):
            any_row = t["entity_mentions"].filter((pl.col("kind") == kind) & (pl.col("entity") == "any"))
            if not any_row.is_empty() and any_row["share"][0] is not None:
                out[f"{kind.lower()}_share"] = float(any_row["share"][0])
        out["objection_clusters"] = t["objection_clusters"].height
        out["phrases_published"] = t["buyer_phrases"].height
        return out


def taxonomy_for(specs_dir: Path) -> tx.Taxonomy:
    return tx.load(tx.default_path(specs_dir))


def call_features(redacted: pl.DataFrame, taxonomy: tx.Taxonomy) -> list:
    """Features of a day's released redacted transcripts, with the campaign and channel the gate joined into each
    Tier 2 row (``redact_day``): the join with call-tracking metadata happens inside the gate, and only
    aggregates leave."""
    feats = features.extract_frame(redacted, taxonomy)
    if "campaign" in redacted.columns and "source" in redacted.columns:
        for f, campaign, channel in zip(feats, redacted["campaign"], redacted["source"]):
            f.campaign, f.source = campaign or "unknown", channel or "unknown"
    return feats


def build_period(period: str, feats_by_day: dict[str, list], taxonomy: tx.Taxonomy, k: int, tracking: pl.DataFrame | None = None) -> PeriodInsights:
    """Tables for a period from per-day features. A roll-up is checked against its days, and a month also
    against its ISO weeks (each built here exactly as ``insights_weekly`` builds and publishes it, from the same
    days: the same input gives the same tables, whichever is materialized first)."""
    k = suppression.effective_k(k)
    calls = [f for day in sorted(feats_by_day) for f in feats_by_day[day]]
    days_tables = None
    if len(feats_by_day) > 1 or (feats_by_day and next(iter(feats_by_day)) != period):
        daily = {day: aggregate.build(fs, taxonomy, k, day) for day, fs in sorted(feats_by_day.items())}
        weeks = {}
        if len(period) == 7:  # a month: its weeks are published parts too
            for week in periods.weeks_of_month(period):
                of_week = {d: t for d, t in daily.items() if periods.week_of(d) == week}
                if of_week:
                    week_calls = [f for d in sorted(of_week) for f in feats_by_day[d]]
                    weeks[week] = aggregate.build(week_calls, taxonomy, k, week, aggregate.constituents(of_week))
        days_tables = aggregate.constituents(daily, weeks) if daily else None
    tables = aggregate.build(calls, taxonomy, k, period, days_tables)
    problems = aggregate.check(tables, k, days_tables)
    quotes = verbatim.find_quotes(verbatim.table_strings(tables), calls, k)
    problems += [f"no-verbatim: a published string carries a run of 6+ words said in fewer than {k} calls" for _ in quotes[:1]]
    intake_tables = {}
    if tracking is not None and not tracking.is_empty():
        intake_tables = intake.metrics(tracking, k)
        if period[4:5] == "-" and len(period) == 10:  # a day: the ad-platform export is per campaign and day
            intake_tables["conversion_export"] = intake.conversion_export(tracking, k)
        for name, t in intake_tables.items():
            ints = [c for c, d in t.schema.items() if d == pl.Int64]
            problems += [f"{name}.{p}" for p in suppression.check_cells(t, ints, k)]
    if problems:
        raise InsightCheckFailed(period, problems)
    return PeriodInsights(period, tables, intake_tables, calls)


REPORTS = "reports"  # the folder of HTML reports beside the table folders


def _parquet_bytes(df: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.write_parquet(buffer, statistics=False)
    return buffer.getvalue()


def write_period(root: StorageRoot | Path, insights: PeriodInsights, trend: list[tuple[str, int | None]] | None = None, k: int = 11) -> dict[str, str]:
    """Write every table (and, with ``trend``, the HTML report) under ``root`` (Tier 3's insights root, local
    files 0644 in 0755 folders for the marketing role); returns where each was written (path or URL)."""
    root = as_root(root)
    # The report is rendered and checked before anything is written: a failure leaves the period as it was.
    page = None
    if trend is not None:
        page = report.render(insights.period, insights.tables, trend, insights.intake or None, k)
        if verbatim.find_quotes(report.phrases_in(page), insights.calls, k):
            raise InsightCheckFailed(insights.period, ["no-verbatim: the report shows a phrase said in fewer than k calls"])
    written = {}
    for name, df in {**insights.tables, **insights.intake}.items():
        root.write_bytes(_parquet_bytes(df), name, f"{insights.period}.parquet")
        written[name] = root.url_of(name, f"{insights.period}.parquet")
    if page is not None:
        root.write_bytes(page.encode("utf-8"), REPORTS, f"{insights.period}.html")
        written["report"] = root.url_of(REPORTS, f"{insights.period}.html")
    return written


def competitor_calls(tables: dict[str, pl.DataFrame]) -> int | None:
    row = tables["entity_mentions"].filter((pl.col("kind") == "COMPETITOR") & (pl.col("entity") == "any"))
    return None if row.is_empty() else row["calls"][0]


def audit_month(root: StorageRoot | Path, month: str, k: int = 11) -> list[str]:
    """Re-check, on the files published under ``root``, that the month's cells cannot be differenced against
    its published weeks and days down to a count of 1..k-1 (suppression rule 3 across all three grains). An
    empty list means it holds; a month not published has nothing to audit."""
    root = as_root(root)
    month_tables = read_period(root, month)
    if "overview" not in month_tables:
        return []
    daily = {d: t for d in periods.days_of_month(month) if "overview" in (t := read_period(root, d))}
    weeks = {w: t for w in periods.weeks_of_month(month) if "overview" in (t := read_period(root, w))}
    parts = aggregate.constituents(daily, weeks)
    problems = []
    for name, (keys, columns) in aggregate.ROLLUP_KEYS.items():
        for column in columns:
            if name in month_tables:
                problems += [f"{month} {name}.{p}" for p in suppression.check_rollup(month_tables[name], keys, column, parts.get(name), k)]
    return problems


def read_period(root: StorageRoot | Path, period: str) -> dict[str, pl.DataFrame]:
    """The published tables of one period (what the report and the demo read): one read per table folder."""
    root = as_root(root)
    tables = {}
    for name in root.folders():
        if name == REPORTS:
            continue
        try:
            tables[name] = pl.read_parquet(io.BytesIO(root.read_bytes(name, f"{period}.parquet")))
        except FileNotFoundError:
            continue
    return tables


def insight_lines(root: StorageRoot | Path, periods_: list[str]) -> str:
    """Plain-language lines per published period, and where its report is (``cipher demo`` prints them)."""
    root = as_root(root)
    out = ["insights a marketer reads (weekly roll-up, k-suppressed, no quotes):"]
    for period in periods_:
        tables = read_period(root, period)
        if "overview" not in tables:
            out.append(f"  {period}: not published (held by the gate or not materialized)")
            continue
        lines = report.headlines(tables)
        out.append(f"  {period} ({int(tables['overview']['calls'][0])} calls):")
        out += [f"    - {line}" for line in lines] or ["    - every cell is under the small-cell threshold at this volume"]
        if root.exists(REPORTS, f"{period}.html"):
            out.append(f"    report: {root.url_of(REPORTS, f'{period}.html')}")
    return "\n".join(out)
