"""Tier 3, analysis: aggregated, de-identified output for marketing.

The work is ``publish_insight`` and ``publish_marketing_calls`` in ``cipher_pipeline.pipeline``. Every
transcript-derived asset first asks the gate ledger whether its day's redacted partition was released (checks
passed on exactly the bytes on disk now, QA complete when required). That question is asked inside the asset, so it holds however the run was started: UI, backfill, sensor, schedule or CLI.
"""


import dagster as dg
import polars as pl

from cipher_pipeline.defs.metadata import frame_preview, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls
from cipher_pipeline.defs.tier2 import qa_sample, redacted_transcripts
from cipher_pipeline.gate.ledger import GateClosed
from cipher_pipeline.pipeline import MarketingViewRejected, Published, publish_insight, publish_marketing_calls

TIER3 = "tier3_analysis"
MARKETING_GX_CHECK = "marketing_view_expectations"


def _gated(**kwargs):
    """Decorator for the transcript-derived Tier 3 assets: same partitions, group, lineage and tags."""
    return dg.asset(
        partitions_def=daily_partitions,
        group_name=TIER3,
        deps=[redacted_transcripts, qa_sample],
        kinds={"parquet", "duckdb"},
        tags={"tier": "3"},
        code_version="1",
        **kwargs,
    )


def _publish(cipher: CipherResource, table: str, day: str) -> Published:
    """``publish_insight``, with the gate's refusal as a step failure that names the reason (counts only)."""
    try:
        return publish_insight(cipher.settings, cipher.store, table, day)
    except GateClosed as closed:
        raise dg.Failure(
            description=f"Release refused: {closed}. Tier 3 output for {day} is unchanged.",
            metadata={"gate": "closed", "reason": closed.reason},
        ) from None


def _metadata(published: Published, **extra) -> dict:
    evidence = published.evidence
    return {
        **standard(published.frame, published.receipt),
        "released_from_fingerprint": evidence.fingerprint[:16],
        "gate_evaluated_at": evidence.evaluated_at,
        # Where the released redacted partition was promoted for readers off the server (CIPHER_TIER2_RELEASE_ROOT):
        # the object and the store's ETag, never content.
        **({"released_tier2_copy": dg.MetadataValue.url(copy["url"]), "released_tier2_etag": copy["etag"]}
           if (copy := published.extra.get("released_tier2_copy")) else {}),
        **extra,
    }


@_gated()
def competitor_mentions(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Competitors and insurers callers name, by canonical lexicon tag, over distinct calls, small cells
    suppressed (assets/tier3/competitor_mentions.sql)."""
    published = _publish(cipher, "competitor_mentions", context.partition_key)
    return dg.MaterializeResult(metadata=_metadata(published, preview=dg.MetadataValue.md(frame_preview(published.frame))))


@_gated()
def caller_concerns(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """What callers worry about and in which order: per concern, calls raising it, calls raising it first,
    and its mean rank (assets/tier3/concerns.yaml, caller_concerns.sql); small cells suppressed."""
    published = _publish(cipher, "caller_concerns", context.partition_key)
    return dg.MaterializeResult(
        metadata=_metadata(published, concern_order=dg.MetadataValue.md(frame_preview(published.frame)))
    )


@_gated()
def caller_types(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Who calls: the patient, a parent, a partner, an adult child, a sibling, a friend (caller_types.sql);
    small cells suppressed."""
    published = _publish(cipher, "caller_types", context.partition_key)
    return dg.MaterializeResult(metadata=_metadata(published, preview=dg.MetadataValue.md(frame_preview(published.frame))))


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
