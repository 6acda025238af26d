"""Tier 3, analysis: aggregated, de-identified output for marketing.

Every transcript-derived asset here first asks the gate ledger whether its day's redacted partition was
released (checks passed on exactly the bytes on disk now, QA complete when required). That question is asked
inside the asset, so it holds however the run was started: UI, backfill, sensor, schedule or CLI.
"""


import dagster as dg
import polars as pl

from cipher_pipeline import analysis
from cipher_pipeline.defs.metadata import frame_preview, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls
from cipher_pipeline.defs.tier2 import gate_paths, qa_sample, redacted_transcripts, released_redacted
from cipher_pipeline.gate.expectations import run_suite
from cipher_pipeline.pseudonyms import assign_ids

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


def _publish(cipher: CipherResource, table: str, day: str, df: pl.DataFrame, evidence_meta: dict, **extra) -> dict:
    receipt = cipher.store.write(table, day, df)
    return {**standard(df, receipt), **evidence_meta, **extra}


@_gated()
def phrase_counts(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The words callers use: 1–3 word phrases from the callers' side, counted over distinct calls, with
    small-cell suppression (assets/tier3/phrase_counts.sql, assets/tier3/release.yaml)."""
    day = context.partition_key
    redacted, evidence_meta = released_redacted(cipher, day)
    df = analysis.phrase_counts(cipher.settings.specs_dir, redacted)
    preview = frame_preview(df.sort(["calls", "words"], descending=True))
    return dg.MaterializeResult(
        metadata=_publish(cipher, "phrase_counts", day, df, evidence_meta, phrases_published=len(df), top_phrases=dg.MetadataValue.md(preview))
    )


@_gated()
def competitor_mentions(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Competitors and insurers callers name, by canonical lexicon tag, over distinct calls, small cells
    suppressed (assets/tier3/competitor_mentions.sql)."""
    day = context.partition_key
    redacted, evidence_meta = released_redacted(cipher, day)
    df = analysis.competitor_mentions(cipher.settings.specs_dir, redacted)
    return dg.MaterializeResult(
        metadata=_publish(cipher, "competitor_mentions", day, df, evidence_meta, preview=dg.MetadataValue.md(frame_preview(df)))
    )


@_gated()
def caller_concerns(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """What callers worry about and in which order: per concern, calls raising it, calls raising it first,
    and its mean rank (assets/tier3/concerns.yaml, caller_concerns.sql); small cells suppressed."""
    day = context.partition_key
    redacted, evidence_meta = released_redacted(cipher, day)
    concerns, _ = analysis.caller_concerns(cipher.settings.specs_dir, redacted)
    return dg.MaterializeResult(
        metadata=_publish(cipher, "caller_concerns", day, concerns, evidence_meta, concern_order=dg.MetadataValue.md(frame_preview(concerns)))
    )


@_gated()
def caller_types(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Who calls: the patient, a parent, a partner, an adult child, a sibling, a friend (caller_types.sql);
    small cells suppressed."""
    day = context.partition_key
    redacted, evidence_meta = released_redacted(cipher, day)
    _, types = analysis.caller_concerns(cipher.settings.specs_dir, redacted)
    return dg.MaterializeResult(
        metadata=_publish(cipher, "caller_types", day, types, evidence_meta, preview=dg.MetadataValue.md(frame_preview(types)))
    )


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
            description="checks/gx/marketing_calls.json: exact column set (nothing that can hold a phone number), "
            "one-way call id shape, value sets, no phone or email in any field.",
        )
    ],
)
def marketing_calls(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """The marketing view: campaign, channel, keyword, landing page, durations and answered, under a one-way
    call id that joins to nothing else (assets/tier3/marketing_calls.sql). Built from call-tracking metadata
    alone; the transcript gate does not apply, its own Great Expectations suite does."""
    day = context.partition_key
    store = cipher.store
    raw = store.read("raw_calls", day, purpose="marketing view")
    candidate = analysis.marketing_calls(cipher.settings.specs_dir, raw, lambda _call_id: "")
    # The id comes from the released row's own fields, never from the call id (no link back to Tier 1).
    candidate = assign_ids(candidate, "marketing_call_id", "marketing", day, [c for c in candidate.columns if c != "marketing_call_id"])
    gx = run_suite(candidate, "marketing_calls", data_docs_dir=gate_paths(cipher).data_docs_dir,
                   checks_dir=cipher.settings.checks_dir, run_name=day)  # fmt: skip
    gx_meta = {
        "failed_expectations": dg.MetadataValue.json(gx.summary()["failed"]),
        **{f"gx_{k}": v for k, v in gx.statistics.items() if isinstance(v, (int, float))},
    }
    if not gx.success:
        # Validated before writing: a failing view is never published, the day's previous release stays.
        raise dg.Failure(description="marketing_calls failed checks/gx/marketing_calls.json; nothing was written", metadata=gx_meta)
    receipt = store.write("marketing_calls", day, candidate)
    return dg.MaterializeResult(
        metadata={
            **standard(candidate, receipt),
            "answered_rate": round(float(candidate["answered"].mean() or 0.0), 3) if len(candidate) else 0.0,
            "talk_minutes": round(float(candidate["talk_seconds"].sum()) / 60, 1),
            "by_source": dg.MetadataValue.md(
                frame_preview(candidate.group_by("source").agg(pl.len().alias("calls")).sort("calls", descending=True))
            ),
        },
        check_results=[dg.AssetCheckResult(check_name=MARKETING_GX_CHECK, passed=True, metadata=gx_meta)],
    )
