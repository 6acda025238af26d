"""Every table Cipher writes: its name, its tier and (for the tables the engine builds row by row) its schema.

One home, so that the storage layer (which encrypts Tier 1 and audits it), the day functions that build the
rows (``cipher_pipeline.pipeline``), the Dagster assets and the tests agree. Tier 3 tables take their columns
from their SQL specs in ``assets/tier3/``.
"""

from __future__ import annotations

import polars as pl

TABLE_TIERS = {
    "raw_calls": 1,
    "quarantined_recordings": 1,
    "inbox_manifest": 1,  # which inbox files (by sha256) a day's ingest read: retention deletes only those
    "transcripts": 1,
    "redacted_transcripts": 2,
    "qa_sample": 2,
    "marketing_calls": 3,
}
TIER1_TABLES = tuple(t for t, tier in TABLE_TIERS.items() if tier == 1)
# Tier 3 built from redacted transcripts is the insights (cipher_pipeline/insights/): one folder per insight table,
# one file per period, tier3/insights/<table>/<day | YYYY-Www | YYYY-MM>.parquet, and the weekly and monthly
# reports in tier3/insights/reports/. Released only through the gate, withdrawn on a QA finding. A day is released
# when its insight tables exist; every publish writes the overview with the rest.
# (marketing_calls is built from call-tracking metadata under its own suite, not from transcripts.)
INSIGHTS_DIR = "insights"
INSIGHT_RELEASE_TABLE = "overview"

# Call-tracking rows joined to their recordings (Tier 1).
RAW_CALLS_SCHEMA = {
    "call_id": pl.String, "day": pl.String, "start_time": pl.String, "direction": pl.String,
    "answered": pl.Boolean, "ring_seconds": pl.Int64, "talk_seconds": pl.Int64, "tracking_number": pl.String,
    "caller_number": pl.String, "caller_name": pl.String, "caller_city": pl.String, "caller_state": pl.String,
    "source": pl.String, "medium": pl.String, "campaign": pl.String, "keyword": pl.String,
    "landing_page": pl.String, "audio_status": pl.String, "audio_sha256": pl.String, "audio_file": pl.String,
    "duration_s": pl.Float64, "channels": pl.Int64, "sample_rate": pl.Int64,
}  # fmt: skip

# What ingest could not use, and why (Tier 1; the files themselves stay encrypted under tier1/quarantine/).
QUARANTINE_SCHEMA = {"day": pl.String, "file_name": pl.String, "reason": pl.String, "sha256": pl.String}

_TURN = pl.Struct({"speaker": pl.String, "start_s": pl.Float64, "end_s": pl.Float64, "text": pl.String})
_SEGMENT = pl.Struct(
    {"speaker": pl.String, "start_s": pl.Float64, "end_s": pl.Float64, "text": pl.String,
     "avg_logprob": pl.Float64, "no_speech_prob": pl.Float64}
)  # fmt: skip
# faster-whisper output per call (Tier 1).
TRANSCRIPTS_SCHEMA = {
    "call_id": pl.String, "day": pl.String, "text": pl.String, "turns": pl.List(_TURN),
    "segments": pl.List(_SEGMENT), "turn_count": pl.Int64, "duration_s": pl.Float64,
    "mean_confidence": pl.Float64, "asr_model": pl.String, "compute_type": pl.String, "language": pl.String,
}  # fmt: skip

# De-identified transcripts under an id derived from the row's own content (Tier 2).
REDACTED_TRANSCRIPTS_SCHEMA = {
    "transcript_id": pl.String, "day": pl.String, "redacted_text": pl.String, "turn_count": pl.Int64,
    "token_count": pl.Int64, "redaction_counts": pl.String, "engine_version": pl.String, "asr_model": pl.String,
    # Attribution labels from call-tracking metadata, joined here inside the gate because Tier 2 ids are content-derived
    # and cannot be joined to a call afterwards: Tier 3 breaks insights down by campaign and channel from these alone.
    "campaign": pl.String, "source": pl.String,
}  # fmt: skip
