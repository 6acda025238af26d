"""Tier 1, clinical (42 CFR Part 2 records): recordings, call-tracking metadata and transcripts.

Everything here is encrypted at rest and every read and write lands in the access audit log. Metadata shown in
the UI is counts and rates only. The work is ``ingest_day`` and ``transcribe_day`` in ``cipher_pipeline.pipeline``;
these assets add Dagster's view of it.
"""


import dagster as dg

from cipher_pipeline.defs.metadata import counts_table, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.ingest import DayMissing
from cipher_pipeline.pipeline import InboxGone, ingest_day, transcribe_day
from cipher_pipeline.retention import PurgedDay

TIER1 = "tier1_clinical"
TRANSCRIPTION_POOL = "transcription"


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER1,
    kinds={"parquet", "python"},
    tags={"tier": "1"},
    code_version="1",
)
def raw_calls(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Every call-tracking row of the day joined to its recording.

    Recordings are copied into the encrypted Tier 1 audio vault. A recording that cannot be decoded, or that has
    no metadata row, is quarantined (kept encrypted, with its reason) and the rest of the day goes on.
    """
    day = context.partition_key
    try:
        ingested = ingest_day(cipher.settings, cipher.store, day)
    except (InboxGone, PurgedDay, DayMissing) as gone:  # a purged day is final: Tier 2 and 3 stay as they are
        raise dg.Failure(description=str(gone)) from None
    df, reasons, status = ingested.raw_calls, ingested.quarantine_reasons, ingested.recording_status
    if ingested.quarantined:
        context.log.warning(f"{len(ingested.quarantined)} item(s) quarantined for {day}: {dict(reasons)}")
    return dg.MaterializeResult(
        metadata={
            **standard(df, ingested.receipt),
            "calls": len(df),
            "answered": int(df["answered"].sum()),
            "recordings_ok": status.get("ok", 0),
            "quarantined": len(ingested.quarantined),
            "quarantine_note": ingested.quarantine_note or "none",
            "audio_minutes": round(ingested.audio_minutes, 2),
            "summary": dg.MetadataValue.md(
                counts_table("Recording status", status, "status") + "\n\n" + counts_table("Quarantine reasons", reasons, "reason")
            ),
        }
    )


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER1,
    deps=[raw_calls],
    kinds={"parquet", "python"},
    tags={"tier": "1"},
    code_version="1",
    # Transcription is where the CPU goes: the pool's limit (dagster.yaml, or `dagster instance concurrency set
    # transcription N`) caps how many days transcribe at once, while other steps of other runs go on.
    pool=TRANSCRIPTION_POOL,
)
def transcripts(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Local faster-whisper transcripts, one pass per channel (agent left, caller right), with timestamps and
    per-segment confidence. The model name and compute type are recorded on every row."""

    def on_call(index: int, total: int, error: str | None, audio_seconds: float) -> None:
        if error:
            context.log.error(f"transcription failed for call {index}/{total}: {error}")
        else:
            context.log.info(f"transcribed {index}/{total} calls ({audio_seconds / 60:.1f} audio minutes)")

    transcriber = cipher.transcriber()
    crashes_before = transcriber.crashes
    done = transcribe_day(cipher.settings, cipher.store, transcriber, context.partition_key, on_call)
    df = done.transcripts
    return dg.MaterializeResult(
        metadata={
            **standard(df, done.receipt),
            "calls_transcribed": len(df),
            "failed": sum(done.failures.values()),
            # error class -> calls; TranscriberCrashed: the recording killed the decoder's worker twice
            "failed_by_class": dg.MetadataValue.json(dict(sorted(done.failures.items()))),
            "transcription_note": done.note or "none",
            "decoder_worker_crashes": transcriber.crashes - crashes_before,  # incl. ones the fallback decode recovered
            "audio_minutes": round(done.audio_seconds / 60, 2),
            "compute_seconds": round(done.compute_seconds, 1),
            "realtime_factor": round(done.compute_seconds / done.audio_seconds, 3) if done.audio_seconds else 0.0,
            "mean_confidence": float(df["mean_confidence"].mean() or 0.0) if len(df) else 0.0,
            "asr_model": f"faster-whisper/{done.model_name} ({done.compute_type})",
        }
    )
