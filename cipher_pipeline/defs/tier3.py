"""Tier 3, analysis: the marketing view (``publish_marketing_calls`` in ``cipher_pipeline.pipeline``).

What is built from transcripts is the insights (``defs/insights.py``): every one of those assets first asks the
gate ledger whether its days' redacted partitions were released (checks passed on exactly the bytes on disk now,
QA complete when required), inside the asset, so it holds however the run was started: UI, backfill, sensor,
schedule or CLI.
"""


import dagster as dg
import polars as pl

from cipher_pipeline.defs.metadata import frame_preview, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls
from cipher_pipeline.pipeline import MarketingViewRejected, publish_marketing_calls

TIER3 = "tier3_analysis"
MARKETING_GX_CHECK = "marketing_view_expectations"


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER3,
    deps=[raw_calls],
    kinds={"parquet", "duckdb"},
    tags={"tier": "3"},
    code_version="1",
    check_specs=[
        dg.AssetCheckSpec(
            MARKETING_GX_CHECK,
            asset="marketing_calls",
            blocking=True,
            partitions_def=daily_partitions,
            description="checks/gx/marketing_calls.json: exact column set (nothing that can hold a phone number), "
            "one-way call id shape, value sets, no phone or email in any field.",
        )
    ],
)
def marketing_calls(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The marketing view: campaign, channel, keyword, landing page, durations and answered, under a one-way
    call id that joins to nothing else (assets/tier3/marketing_calls.sql). Built from call-tracking metadata
    alone; the transcript gate does not apply, its own Great Expectations suite does."""
    try:
        published = publish_marketing_calls(cipher.settings, cipher.store, context.partition_key)
    except MarketingViewRejected as rejected:
        # Validated before writing: a failing view is never published, the day's previous release stays.
        raise dg.Failure(description=str(rejected), metadata=_gx_metadata(rejected.gx)) from None
    candidate, gx = published.frame, published.extra["gx"]
    return dg.MaterializeResult(
        metadata={
            **standard(candidate, published.receipt),
            "answered_rate": round(float(candidate["answered"].mean() or 0.0), 3) if len(candidate) else 0.0,
            "talk_minutes": round(float(candidate["talk_seconds"].sum()) / 60, 1),
            "by_source": dg.MetadataValue.md(
                frame_preview(candidate.group_by("source").agg(pl.len().alias("calls")).sort("calls", descending=True))
            ),
        },
        check_results=[dg.AssetCheckResult(check_name=MARKETING_GX_CHECK, passed=True, metadata=_gx_metadata(gx))],
    )


def _gx_metadata(gx) -> dict:
    return {
        "failed_expectations": dg.MetadataValue.json(gx.summary()["failed"]),
        **{f"gx_{k}": v for k, v in gx.statistics.items() if isinstance(v, (int, float))},
    }
