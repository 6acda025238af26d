"""Intake metrics and the ad-platform conversion export, from call-tracking metadata only.

Nothing here reads a transcript. Input is the Tier 1 call-tracking table (``raw_calls``: call_id,
start_time, answered, ring_seconds, talk_seconds, caller_number, source, medium, campaign, landing_page...);
output is counts and medians per campaign, channel, hour or landing page, each count of calls small-cell
suppressed like every Tier 3 table. Caller numbers are used inside this function only, to find the
center's callback to an unanswered caller; they never reach an output.
"""

from __future__ import annotations

import polars as pl

from cipher_pipeline.insights import suppression

BUSINESS_HOURS = (8, 20)  # local hours [start, end) when admissions is staffed in person
QUALIFIED_TALK_SECONDS = 90  # an answered call this long counts as a conversion for ad platforms


def _prepare(calls: pl.DataFrame) -> pl.DataFrame:
    # The center's wall clock as call tracking writes it ("2026-11-25T09:36:02-08:00"): the hour of day that
    # staffing follows. The offset is dropped, so a callback across a DST change is off by an hour.
    start = pl.col("start_time").cast(pl.String).str.slice(0, 19).str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
    df = calls.with_columns(
        start.alias("_start"),
        pl.col("answered").cast(pl.Boolean),
        pl.col("ring_seconds").cast(pl.Float64),
        pl.col("talk_seconds").cast(pl.Float64),
        pl.col("start_time").cast(pl.String).str.slice(0, 10).alias("day") if "day" not in calls.columns else pl.col("day").cast(pl.String),
        pl.col("direction").cast(pl.String).str.to_lowercase().fill_null("inbound") if "direction" in calls.columns else pl.lit("inbound").alias("direction"),
        pl.col("source").cast(pl.String).fill_null("unknown"),
        pl.col("campaign").cast(pl.String).fill_null("unknown"),
        pl.col("landing_page").cast(pl.String).fill_null("").str.replace(r"[?#].*$", "").str.replace(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", ""),
    )
    return df.with_columns(
        pl.col("_start").dt.hour().alias("hour"),
        ((pl.col("_start").dt.hour() < BUSINESS_HOURS[0]) | (pl.col("_start").dt.hour() >= BUSINESS_HOURS[1])).alias("after_hours"),
    )


def metrics(calls: pl.DataFrame, k: int) -> dict[str, pl.DataFrame]:
    """Speed to answer and abandonment by channel and hour, after-hours callback latency, calls by campaign
    and landing page. Counts of 1..k-1 calls are withheld together with what they would reveal."""
    k = suppression.effective_k(k)
    df = _prepare(calls)
    inbound = df.filter(pl.col("direction") == "inbound")
    by_channel = inbound.group_by("source").agg(
        pl.len().alias("calls"),
        (~pl.col("answered")).sum().alias("abandoned"),
        pl.col("ring_seconds").filter(pl.col("answered")).median().alias("median_seconds_to_answer"),
    )
    by_hour = inbound.group_by("hour").agg(pl.len().alias("calls"), (~pl.col("answered")).sum().alias("abandoned"))
    # After-hours callback: for an unanswered after-hours inbound call, minutes until the first later outbound
    # call to the same number (inside this function only; the number is dropped before anything is returned).
    missed = inbound.filter(~pl.col("answered") & pl.col("after_hours")).select("caller_number", "_start")
    outbound = df.filter(pl.col("direction") == "outbound").select(pl.col("caller_number"), pl.col("_start").alias("_callback"))
    latency = missed.join(outbound, on="caller_number", how="left").filter(
        pl.col("_callback").is_null() | (pl.col("_callback") > pl.col("_start"))
    ).group_by("caller_number", "_start").agg(pl.col("_callback").min())
    callback = pl.DataFrame({
        "missed_after_hours_calls": [latency.height],
        "called_back": [int(latency["_callback"].is_not_null().sum())],
        "median_callback_minutes": [(latency.filter(pl.col("_callback").is_not_null()).select(((pl.col("_callback") - pl.col("_start")).dt.total_seconds() / 60).median()).item()) if latency.height else None],
    })  # fmt: skip
    by_campaign = df.group_by("campaign", "landing_page").agg(pl.len().alias("calls"), pl.col("answered").sum().alias("answered"))
    tables = {
        "intake_by_channel": by_channel.sort("calls", descending=True),
        "intake_by_hour": by_hour.sort("hour"),
        "intake_callbacks": callback,
        "intake_by_campaign": by_campaign.sort("calls", descending=True),
    }
    for name, counts in (("intake_by_channel", ["calls", "abandoned"]), ("intake_by_hour", ["calls", "abandoned"]),
                         ("intake_callbacks", ["missed_after_hours_calls", "called_back"]), ("intake_by_campaign", ["calls", "answered"])):  # fmt: skip
        t = tables[name].with_columns(pl.col(c).cast(pl.Int64) for c in counts)
        t = suppression.primary(t, counts, k)
        # abandoned + answered split calls: withhold both or neither (two-cell complement).
        second = counts[1]
        complement = pl.col(counts[0]) - pl.col(second)
        t = t.with_columns(pl.when(pl.col(counts[0]).is_null() | ((complement > 0) & (complement < k))).then(None).otherwise(pl.col(second)).alias(second))
        if "median_seconds_to_answer" in t.columns:
            t = t.with_columns(pl.when(pl.col("calls").is_null()).then(None).otherwise(pl.col("median_seconds_to_answer")).alias("median_seconds_to_answer"))
        if "median_callback_minutes" in t.columns:
            t = t.with_columns(pl.when(pl.col("called_back").is_null()).then(None).otherwise(pl.col("median_callback_minutes")).alias("median_callback_minutes"))
        tables[name] = t
    return tables


def conversion_export(calls: pl.DataFrame, k: int) -> pl.DataFrame:
    """Per day and campaign: calls, answered calls and qualified calls, for upload to ad platforms.

    Carries no phone number, recording, transcript, click id or anything read from what was said (no
    individual-level SUD signal): only counts of calls over at least k calls per row, from metadata.
    """
    k = suppression.effective_k(k)
    df = _prepare(calls).filter(pl.col("direction") == "inbound")
    out = df.group_by("day", "campaign").agg(
        pl.len().cast(pl.Int64).alias("calls"),
        pl.col("answered").sum().cast(pl.Int64).alias("answered_calls"),
        (pl.col("answered") & (pl.col("talk_seconds") >= QUALIFIED_TALK_SECONDS)).sum().cast(pl.Int64).alias("qualified_calls"),
    )
    out = out.filter(pl.col("calls") >= k)  # a row for fewer than k calls is not exported at all
    out = suppression.primary(out, ["answered_calls", "qualified_calls"], k)
    return out.sort("day", "campaign")
