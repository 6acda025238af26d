"""``cipher bench --only tier3``: Tier 3 over a month of 1,000-call days, built and rolled up with DuckDB.

The month is written directly in the shape the gate releases (no audio, no Whisper): a pool of synthetic call
transcripts (``cipher_devtools.synth.corpus``) is de-identified once by the real redactor, and each day draws
``calls`` of them under fresh transcript ids into a ``redacted_transcripts`` partition, plus a marketing view of
the same size. Then, per day, the real insight engine builds, checks and writes the day's insights
(``insights.publish.build_period`` + ``write_period``: buyer phrases, concerns, entities, objection clusters,
caller types...); and over the month the queries an analyst runs go through ``analyst_connection`` (DuckDB
views ``insight_<table>`` and ``marketing_calls`` over the Parquet), each timed cold (first query of a new
connection) and warm (the median of three more).

A pool reused across days has fewer distinct entities and concern rows than a month of distinct calls would:
the roll-up input is smaller than a real month's; the report gives the row counts so that the figure can be
scaled. The weekly and monthly insight roll-ups through Dagster are measured by
``cipher bench --only insights-volume``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from cipher_devtools.synth.corpus import generate_corpus
from cipher_pipeline.deid import Redactor
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.insights import publish
from cipher_pipeline.insights.suppression import small_cell_k
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore, analyst_connection

INTERACTIVE_SECONDS = 2.0  # a roll-up an analyst waits for without leaving the page
START = date(2026, 10, 1)

ROLLUPS = {
    # Each insight file is suppressed for its own period: these read the published daily cells as they are.
    "entities_month": (
        "SELECT kind, entity, sum(calls) AS calls FROM insight_entity_mentions WHERE calls IS NOT NULL "
        "GROUP BY ALL ORDER BY calls DESC LIMIT 50"
    ),
    "entity_mentions_by_week": (
        "SELECT date_trunc('week', CAST(period AS DATE)) AS week, kind, entity, sum(calls) AS calls FROM insight_entity_mentions "
        "GROUP BY ALL ORDER BY week, calls DESC"
    ),
    "concerns_month": "SELECT * FROM insight_concerns",
    "caller_types_by_week": (
        "SELECT date_trunc('week', CAST(period AS DATE)) AS week, caller_type, sum(calls) AS calls FROM insight_caller_types "
        "GROUP BY ALL ORDER BY week, calls DESC"
    ),
    "top_buyer_phrases_month": (
        "SELECT phrase, sum(calls) AS calls FROM insight_buyer_phrases GROUP BY ALL ORDER BY calls DESC LIMIT 50"
    ),
    "calls_by_source_and_campaign": (
        "SELECT source, campaign, count(*) AS calls, avg(talk_seconds) AS mean_talk_s, avg(answered::INT) AS answer_rate "
        "FROM marketing_calls GROUP BY ALL ORDER BY calls DESC"
    ),
}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _redacted_pool(pool: int, seed: int) -> list[tuple[str, int]]:
    redactor = Redactor.default()
    docs = generate_corpus(pool, seed, asr_style=False) + generate_corpus(pool, seed + 1, asr_style=True)
    out = []
    for index, doc in enumerate(docs, start=1):
        result = redactor.redact(doc["text"])
        out.append((result.redacted_text, len(result.redacted_text.split())))
        if index % 100 == 0:
            _say(f"tier3: redacted {index}/{len(docs)} pool transcripts")
    return out


def _day_frames(day: str, calls: int, pool: list[tuple[str, int]], rng: random.Random) -> tuple[pl.DataFrame, pl.DataFrame]:
    picks = [pool[rng.randrange(len(pool))] for _ in range(calls)]
    redacted = pl.DataFrame(
        {
            "transcript_id": [f"t{day.replace('-', '')}{i:05d}" for i in range(calls)],
            "day": [day] * calls,
            "redacted_text": [text for text, _ in picks],
            "turn_count": [text.count("\n") + 1 for text, _ in picks],
            "token_count": [tokens for _, tokens in picks],
        }
    )
    sources = [("google", "cpc"), ("bing", "cpc"), ("facebook", "paid_social"), ("direct", "none"), ("referral", "partner")]
    campaigns = ["brand", "alcohol-detox", "opioid-treatment", "family", "insurance"]
    marketing = pl.DataFrame(
        {
            "marketing_call_id": [f"m{day.replace('-', '')}{i:05d}" for i in range(calls)],
            "day": [day] * calls,
            "campaign": [rng.choice(campaigns) for _ in range(calls)],
            "source": [rng.choice(sources)[0] for _ in range(calls)],
            "medium": ["cpc"] * calls,
            "keyword": [rng.choice(["rehab near me", "detox", "alcohol treatment", None]) for _ in range(calls)],
            "landing_page": ["/admissions"] * calls,
            "talk_seconds": [rng.randint(0, 900) for _ in range(calls)],
            "ring_seconds": [rng.randint(2, 40) for _ in range(calls)],
            "answered": [rng.random() > 0.15 for _ in range(calls)],
        }
    )
    return redacted, marketing


def bench_tier3(days: int, calls: int, seed: int, pool: int = 150, data_root: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="cipher-bench-tier3-") as tmp:
        root = data_root or Path(tmp) / "data"
        settings = Settings(data_root=root, inbox=root / "inbox")
        store = PartitionStore(settings)
        _say(f"tier3: de-identifying a pool of {2 * pool} synthetic transcripts (written and ASR-style)")
        texts = _redacted_pool(pool, seed)
        rng = random.Random(seed)
        taxonomy, k = publish.taxonomy_for(settings.specs_dir), small_cell_k(settings.specs_dir)
        build_seconds: dict[str, list[float]] = {"insights": []}
        rows: dict[str, int] = {"marketing_calls": 0}
        for offset in range(days):
            day = (START + timedelta(days=offset)).isoformat()
            redacted, marketing = _day_frames(day, calls, texts, rng)
            store.write("redacted_transcripts", day, redacted)
            store.write("marketing_calls", day, marketing)
            rows["marketing_calls"] += marketing.height
            t0 = time.perf_counter()
            insights = publish.build_period(day, {day: publish.call_features(redacted, taxonomy)}, taxonomy, k)
            publish.write_period(GatePaths.of(settings).insights(), insights)
            build_seconds["insights"].append(time.perf_counter() - t0)
            for table, frame in insights.tables.items():
                rows[table] = rows.get(table, 0) + frame.height
            _say(f"tier3: day {offset + 1}/{days} built")
        rollups = {}
        con = analyst_connection(settings)
        for name, sql in ROLLUPS.items():
            t0 = time.perf_counter()
            result = con.execute(sql).fetchall()
            cold = time.perf_counter() - t0
            warm = []
            for _ in range(3):
                t0 = time.perf_counter()
                con.execute(sql).fetchall()
                warm.append(time.perf_counter() - t0)
            rollups[name] = {"cold_seconds": round(cold, 3), "warm_seconds": round(statistics.median(warm), 3), "result_rows": len(result)}
        con.close()
        parquet_bytes = sum(p.stat().st_size for p in (root / "tier3").rglob("*.parquet"))
    return {
        "days": days,
        "calls_per_day": calls,
        "distinct_transcripts_in_pool": len(texts),
        "tier3_rows": rows,
        "tier3_parquet_mib": round(parquet_bytes / 2**20, 1),
        "daily_build_seconds": {t: {"median": round(statistics.median(s), 2), "max": round(max(s), 2)} for t, s in build_seconds.items()},
        "daily_build_seconds_total_median": round(sum(statistics.median(s) for s in build_seconds.values()), 2),
        "rollups": rollups,
        "interactive_target_seconds": INTERACTIVE_SECONDS,
    }


def format_tier3(t3: dict) -> list[str]:
    lines = ["", f"Tier 3: {t3['days']} days x {t3['calls_per_day']} calls ({t3['tier3_parquet_mib']} MiB of Tier 3 Parquet)"]
    lines.append(f"daily build (median s per day of {t3['calls_per_day']} calls): {t3['daily_build_seconds_total_median']}  "
                 + ", ".join(f"{k} {v['median']}" for k, v in t3["daily_build_seconds"].items()))  # fmt: skip
    lines.append(f"{'roll-up over the month':<32} {'cold s':>7} {'warm s':>7} {'rows':>6}")
    for name, r in t3["rollups"].items():
        lines.append(f"{name:<32} {r['cold_seconds']:>7} {r['warm_seconds']:>7} {r['result_rows']:>6}")
    lines.append(f"target: every roll-up under {t3['interactive_target_seconds']} s (interactive)")
    return lines
