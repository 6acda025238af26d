"""Tier 3 insights in Dagster: daily partitions plus weekly and monthly roll-ups (thin wrappers over
``cipher_pipeline.insights``).

Every asset here reads transcripts only through ``read_released`` (the gate's release check,
``require_release``) for each day it covers, so a held day stops the daily partition and every roll-up that
contains it. The join with call-tracking metadata (campaign, channel) happens inside the asset; only
suppressed aggregates are written. Each asset re-checks small-cell suppression and the no-verbatim rule on
what it is about to publish and writes nothing if either fails.
"""


from datetime import timedelta

import dagster as dg
import polars as pl

from cipher_pipeline.defs.metadata import frame_preview
from cipher_pipeline.defs.partitions import CALL_DAY_TIMEZONE, daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls
from cipher_pipeline.defs.tier2 import qa_sample, redacted_transcripts
from cipher_pipeline.gate.ledger import GateClosed
from cipher_pipeline.insights import periods
from cipher_pipeline.insights.publish import InsightCheckFailed
from cipher_pipeline.pipeline import publish_insights_period

INSIGHTS = "tier3_analysis"
ROLLUPS = "tier3_rollups"
SUPPRESSION_CHECK = "small_cells_suppressed"
VERBATIM_CHECK = "no_verbatim_quotes"

_start = daily_partitions.start.strftime("%Y-%m-%d")
weekly_partitions = dg.WeeklyPartitionsDefinition(start_date=_start, timezone=CALL_DAY_TIMEZONE, day_offset=1, end_offset=1)  # ISO weeks
# Months of whole ISO weeks (periods.py): a month's partition starts on its first Monday, so its window holds
# exactly the weeks that start in it, and the built-in time-window mapping gives the monthly asset those weeks and
# their days (a calendar month would cut a week in two).
monthly_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 * * 1#1", fmt="%Y-%m", start=periods.first_month_from(_start), timezone=CALL_DAY_TIMEZONE, end_offset=1
)


def _checks(asset_name: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(SUPPRESSION_CHECK, asset=asset_name, blocking=True,
                          description="No published count of distinct calls is 1..k-1, withheld cells of an exclusive split add to 0 or >= k, "
                          "and a roll-up differs from its published days by 0 or >= k (k from assets/insights/release.yaml, >= 11)."),
        dg.AssetCheckSpec(VERBATIM_CHECK, asset=asset_name, blocking=True,
                          description="No published string carries a run of 6+ consecutive words said in fewer than k distinct calls."),
    ]  # fmt: skip


def _materialize(cipher: CipherResource, period: str, days: list[str], with_report: bool) -> dg.MaterializeResult:
    """``publish_insights_period``, with the gate's refusal and a failed insight check as step failures."""
    try:
        published = publish_insights_period(cipher.settings, cipher.store, period, days, with_report)
    except GateClosed as closed:
        raise dg.Failure(
            description=f"Release refused: {closed}. Tier 3 output for {period} is unchanged.",
            metadata={"gate": "closed", "reason": closed.reason},
        ) from None
    except InsightCheckFailed as failed:
        raise dg.Failure(description=f"Insight checks failed for {period}; nothing was written: {failed}",
                         metadata={"problems": dg.MetadataValue.json(failed.problems[:20])}) from None  # fmt: skip
    t, summary = published.tables, published.summary
    metadata = {
        **{key: dg.MetadataValue.float(v) if isinstance(v, float) else dg.MetadataValue.int(v) for key, v in summary.items()},
        "dagster/row_count": dg.MetadataValue.int(sum(df.height for df in t.values())),
        "first_concern": dg.MetadataValue.md(frame_preview(t["concerns"].select("label", "calls", "first_calls", "first_share"))),
        "buyer_phrases": dg.MetadataValue.md(frame_preview(t["buyer_phrases"].select("phrase", "calls", "share", "log10_lift"))),
        "competitors_and_insurers": dg.MetadataValue.md(frame_preview(t["entity_mentions"].drop("period"))),
        "objection_clusters": dg.MetadataValue.md(frame_preview(t["objection_clusters"].drop("period"))),
        "family_vs_patient": dg.MetadataValue.md(frame_preview(t["family_vs_patient"].select("item", "family_share", "patient_share", "family_only"))),
        "tables_dir": dg.MetadataValue.path(published.root.url),  # a folder, or an s3:// prefix
    }  # fmt: skip
    if "report" in published.written:
        metadata["report"] = dg.MetadataValue.path(published.written["report"])
    if copy := published.released_tier2_copy:  # the object and the store's ETag, never content
        metadata["released_tier2_copy"] = dg.MetadataValue.url(copy["url"])
        metadata["released_tier2_etag"] = copy["etag"]
    checks = [
        dg.AssetCheckResult(check_name=SUPPRESSION_CHECK, passed=True, metadata={"k": published.k, "withheld_cells": summary["withheld_cells"]}),
        dg.AssetCheckResult(check_name=VERBATIM_CHECK, passed=True, metadata={"strings_checked": sum(df.select(pl.col(pl.String)).width * df.height for df in t.values())}),
    ]  # fmt: skip
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
    return _materialize(cipher, day, [day], with_report=False)


@dg.asset(partitions_def=weekly_partitions, group_name=ROLLUPS, kinds={"parquet", "html"}, tags={"tier": "3"}, code_version="1",
          deps=[dg.AssetDep(insights_daily, partition_mapping=dg.TimeWindowPartitionMapping())], check_specs=_checks("insights_weekly"))  # fmt: skip
def insights_weekly(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The week's insights (ISO week, Monday to Sunday), aggregated from its calls, checked against its
    published days so differencing recovers nothing small, plus the offline HTML report."""
    days = _days(context)
    return _materialize(cipher, periods.week_of(days[0]), days, with_report=True)


@dg.asset(partitions_def=monthly_partitions, group_name=ROLLUPS, kinds={"parquet", "html"}, tags={"tier": "3"}, code_version="2",
          deps=[dg.AssetDep(insights_daily, partition_mapping=dg.TimeWindowPartitionMapping()),
                dg.AssetDep(insights_weekly, partition_mapping=dg.TimeWindowPartitionMapping())],
          check_specs=_checks("insights_monthly"))  # fmt: skip
def insights_monthly(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The month's insights, as the week's, plus the HTML report. A month is the ISO weeks that start in it
    (first Monday to the Sunday before the next month's first Monday), so it is exactly the sum of its weeks."""
    return _materialize(cipher, context.partition_key, _days(context), with_report=True)


insight_rollups_job = dg.define_asset_job(
    "insight_rollups", selection=dg.AssetSelection.assets(insights_weekly),
    description="Weekly insights and report for a week whose days are released.",
)  # fmt: skip
insight_monthly_job = dg.define_asset_job(
    "insight_monthly", selection=dg.AssetSelection.assets(insights_monthly),
    description="Monthly insights and report.",
)  # fmt: skip
