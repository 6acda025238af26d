"""Tier 3 insights in Dagster: daily partitions plus weekly and monthly roll-ups (thin wrappers over
``cipher_pipeline.insights``).

Every asset here reads transcripts only through ``released_redacted`` (the gate's release check,
``require_release``) for each day it covers, so a held day stops the daily partition and every roll-up that
contains it. The join with call-tracking metadata (campaign, channel) happens inside the asset; only
suppressed aggregates are written. Each asset re-checks small-cell suppression and the no-verbatim rule on
what it is about to publish and writes nothing if either fails.
"""


from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import dagster as dg
import polars as pl
import yaml

from cipher_pipeline.defs.metadata import frame_preview
from cipher_pipeline.defs.partitions import CALL_DAY_TIMEZONE, daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls
from cipher_pipeline.defs.tier2 import gate_paths, qa_sample, redacted_transcripts, released_redacted
from cipher_pipeline.insights import periods, publish
from cipher_pipeline.storage import PartitionNotFound

INSIGHTS = "tier3_analysis"
ROLLUPS = "tier3_rollups"
SUPPRESSION_CHECK = "small_cells_suppressed"
VERBATIM_CHECK = "no_verbatim_quotes"

_start = daily_partitions.start.strftime("%Y-%m-%d")
weekly_partitions = dg.WeeklyPartitionsDefinition(start_date=_start, timezone=CALL_DAY_TIMEZONE, day_offset=1, end_offset=1)  # ISO weeks
monthly_partitions = dg.MonthlyPartitionsDefinition(start_date=_start[:8] + "01", timezone=CALL_DAY_TIMEZONE, end_offset=1)


@lru_cache(maxsize=4)
def _k(specs_dir: Path) -> int:
    return int(yaml.safe_load((specs_dir / "insights" / "release.yaml").read_text())["small_cell"]["min_calls"])


def _root(cipher: CipherResource) -> Path:
    return cipher.settings.tier_dir(3) / "insights"


def _checks(asset_name: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(SUPPRESSION_CHECK, asset=asset_name, blocking=True,
                          description="No published count of distinct calls is 1..k-1, withheld cells of an exclusive split add to 0 or >= k, "
                          "and a roll-up differs from its published days by 0 or >= k (k from assets/insights/release.yaml, >= 11)."),
        dg.AssetCheckSpec(VERBATIM_CHECK, asset=asset_name, blocking=True,
                          description="No published string carries a run of 6+ consecutive words said in fewer than k distinct calls."),
    ]  # fmt: skip


def _day_features(cipher: CipherResource, day: str, taxonomy) -> tuple[list, pl.DataFrame | None, dict]:
    """One day's features (after the gate's release check) and its call-tracking metadata."""
    redacted, evidence_meta = released_redacted(cipher, day)
    try:
        tracking = cipher.store.read("raw_calls", day, purpose="insights: campaign join and intake metrics")
    except PartitionNotFound:
        tracking = None
    feats = publish.call_features(redacted, taxonomy, tracking, cipher.pseudonyms.transcript_id)
    return feats, tracking, evidence_meta


def _materialize(context, cipher: CipherResource, period: str, days: list[str], with_report: bool) -> dg.MaterializeResult:
    settings = cipher.settings
    taxonomy = publish.taxonomy_for(settings.specs_dir)
    k = _k(settings.specs_dir)
    feats_by_day, tracking_frames = {}, []
    paths = gate_paths(cipher)
    for day in days:
        # A day with no redacted partition had no calls processed; any day that has one must be released.
        if len(days) > 1 and not paths.redacted_partition(day).exists():
            continue
        feats, tracking, _ = _day_features(cipher, day, taxonomy)
        feats_by_day[day] = feats
        if tracking is not None:
            tracking_frames.append(tracking)
    tracking = pl.concat(tracking_frames, how="diagonal_relaxed") if tracking_frames else None
    try:
        result = publish.build_period(period, feats_by_day, taxonomy, k, tracking)
    except publish.InsightCheckFailed as failed:
        raise dg.Failure(description=f"Insight checks failed for {period}; nothing was written: {failed}",
                         metadata={"problems": dg.MetadataValue.json(failed.problems[:20])}) from None  # fmt: skip
    trend = None
    if with_report:
        # The competitor trend: by day within a week, by ISO week within a month.
        by_step: dict[str, dict[str, list]] = {}
        for day, fs in sorted(feats_by_day.items()):
            step = day if len(days) <= 7 else periods.week_of(day)
            by_step.setdefault(step, {})[day] = fs
        trend = [(step, publish.competitor_calls(publish.build_period(step, group, taxonomy, k).tables)) for step, group in by_step.items()]
    written = publish.write_period(_root(cipher), result, trend, k)
    t = result.tables
    summary = result.summary()
    metadata = {
        **{key: dg.MetadataValue.float(v) if isinstance(v, float) else dg.MetadataValue.int(v) for key, v in summary.items()},
        "dagster/row_count": dg.MetadataValue.int(sum(df.height for df in t.values())),
        "first_concern": dg.MetadataValue.md(frame_preview(t["concerns"].select("label", "calls", "first_calls", "first_share"))),
        "buyer_phrases": dg.MetadataValue.md(frame_preview(t["buyer_phrases"].select("phrase", "calls", "share", "log10_lift"))),
        "competitors_and_insurers": dg.MetadataValue.md(frame_preview(t["entity_mentions"].drop("period"))),
        "objection_clusters": dg.MetadataValue.md(frame_preview(t["objection_clusters"].drop("period"))),
        "family_vs_patient": dg.MetadataValue.md(frame_preview(t["family_vs_patient"].select("item", "family_share", "patient_share", "family_only"))),
        "tables_dir": dg.MetadataValue.path(str(_root(cipher))),
    }
    if "report" in written:
        metadata["report"] = dg.MetadataValue.path(str(written["report"]))
    checks = [
        dg.AssetCheckResult(check_name=SUPPRESSION_CHECK, passed=True, metadata={"k": k, "withheld_cells": summary["withheld_cells"]}),
        dg.AssetCheckResult(check_name=VERBATIM_CHECK, passed=True, metadata={"strings_checked": sum(df.select(pl.col(pl.String)).width * df.height for df in t.values())}),
    ]
    return dg.MaterializeResult(metadata=metadata, check_results=checks)


def _days(context: dg.AssetExecutionContext) -> list[str]:
    window = context.partition_time_window
    start, end = window.start.date(), window.end.date()
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days)]


@dg.asset(partitions_def=daily_partitions, group_name=INSIGHTS, deps=[redacted_transcripts, qa_sample, raw_calls],
          kinds={"parquet"}, tags={"tier": "3"}, code_version="1", check_specs=_checks("insights_daily"))  # fmt: skip
def insights_daily(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """One day's insights: buyer phrases, concern order, competitors and insurers, objection clusters, caller
    types, family vs patient, by campaign and channel, intake metrics and the ad-platform conversion export
    (docs/insights.md). Small cells suppressed at k; nothing quoted."""
    day = context.partition_key
    return _materialize(context, cipher, day, [day], with_report=False)


@dg.asset(partitions_def=weekly_partitions, group_name=ROLLUPS, kinds={"parquet", "html"}, tags={"tier": "3"}, code_version="1",
          deps=[dg.AssetDep(insights_daily, partition_mapping=dg.TimeWindowPartitionMapping())], check_specs=_checks("insights_weekly"))  # fmt: skip
def insights_weekly(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The week's insights (ISO week, Monday to Sunday), aggregated from its calls, checked against its
    published days so differencing recovers nothing small, plus the offline HTML report."""
    days = _days(context)
    return _materialize(context, cipher, periods.week_of(days[0]), days, with_report=True)


@dg.asset(partitions_def=monthly_partitions, group_name=ROLLUPS, kinds={"parquet", "html"}, tags={"tier": "3"}, code_version="1",
          deps=[dg.AssetDep(insights_daily, partition_mapping=dg.TimeWindowPartitionMapping())], check_specs=_checks("insights_monthly"))  # fmt: skip
def insights_monthly(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The month's insights, as the week's, plus the HTML report."""
    days = _days(context)
    return _materialize(context, cipher, periods.month_of(days[0]), days, with_report=True)


insight_rollups_job = dg.define_asset_job(
    "insight_rollups", selection=dg.AssetSelection.assets(insights_weekly),
    description="Weekly insights and report for a week whose days are released.",
)  # fmt: skip
insight_monthly_job = dg.define_asset_job(
    "insight_monthly", selection=dg.AssetSelection.assets(insights_monthly),
    description="Monthly insights and report.",
)  # fmt: skip
