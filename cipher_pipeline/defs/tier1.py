"""Tier 1, clinical (42 CFR Part 2 records): recordings, call-tracking metadata and transcripts.

Everything here is encrypted at rest and every read and write lands in the access audit log. Metadata shown in
the UI is counts and rates only.
"""


import time
from collections import Counter
from pathlib import Path

import dagster as dg
import polars as pl

from cipher_pipeline.defs.metadata import counts_table, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.ingest import DayMissing, collect_day, describe_quarantine, reason_class
from cipher_pipeline.retention import PurgedDay, manifest_frame, refuse_if_purged

TIER1 = "tier1_clinical"
RAW_CALLS_SCHEMA = {
    "call_id": pl.String, "day": pl.String, "start_time": pl.String, "direction": pl.String,
    "answered": pl.Boolean, "ring_seconds": pl.Int64, "talk_seconds": pl.Int64, "tracking_number": pl.String,
    "caller_number": pl.String, "caller_name": pl.String, "caller_city": pl.String, "caller_state": pl.String,
    "source": pl.String, "medium": pl.String, "campaign": pl.String, "keyword": pl.String,
    "landing_page": pl.String, "audio_status": pl.String, "audio_sha256": pl.String, "audio_file": pl.String,
    "duration_s": pl.Float64, "channels": pl.Int64, "sample_rate": pl.Int64,
}  # fmt: skip


def _sync_folder(folder: Path, keep: set[str], store, table: str, day: str) -> None:
    """Drop vault files of a day that the current ingest no longer produced (a re-run replaces the day whole)."""
    if folder.exists():
        stale = [path for path in folder.iterdir() if path.name not in keep]
        for path in stale:
            path.unlink()
        if stale:
            store.audit("delete", table, day, len(stale), "re-ingest replaced the day")


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
    settings, store = cipher.settings, cipher.store
    try:
        refuse_if_purged(settings, day)  # a purged day is final: Tier 2 and 3 stay as they are
    except PurgedDay as gone:
        raise dg.Failure(description=str(gone)) from None
    if not (settings.inbox / day).is_dir() and store.exists("raw_calls", day):
        # Retention removed the plaintext drop after ingest; re-ingesting nothing would wipe the day.
        raise dg.Failure(description=f"the inbox folder for {day} is gone (retention); the ingested day is kept as it is")
    try:
        batch = collect_day(settings.inbox, day)
    except DayMissing as missing:
        raise dg.Failure(description=str(missing)) from None
    store.vault  # noqa: B018  a missing or wrong key stops here, before anything is written

    audio_dir = settings.audio_vault / day
    kept = set()
    for row in batch.rows:
        row["day"] = day
        row["audio_file"] = None
        payload = batch.audio.get(row["call_id"])
        if payload is not None:
            name = f"{row['call_id']}.audio.enc"
            store.write_blob(audio_dir / name, payload, "recordings", day, "ingest")
            row["audio_file"] = name
            kept.add(name)
    _sync_folder(audio_dir, kept, store, "recordings", day)

    quarantine_dir = settings.tier_dir(1) / "quarantine" / day
    q_kept = set()
    for item in batch.quarantined:
        if item.payload is not None:
            name = f"{item.sha256[:16]}.enc"
            store.write_blob(quarantine_dir / name, item.payload, "quarantine", day, "ingest quarantine")
            q_kept.add(name)
    _sync_folder(quarantine_dir, q_kept, store, "quarantine", day)
    quarantine = pl.DataFrame(
        [{"day": day, "file_name": q.file_name, "reason": q.reason, "sha256": q.sha256} for q in batch.quarantined],
        schema={"day": pl.String, "file_name": pl.String, "reason": pl.String, "sha256": pl.String},
    )
    store.write("quarantined_recordings", day, quarantine, purpose="ingest quarantine")
    store.write("inbox_manifest", day, manifest_frame(day, batch.ingested), purpose="ingest manifest")

    df = pl.DataFrame(batch.rows, schema=RAW_CALLS_SCHEMA).sort("call_id")
    receipt = store.write("raw_calls", day, df, purpose="ingest")

    status = Counter(df["audio_status"].to_list())
    reasons = Counter(reason_class(q.reason) for q in batch.quarantined)
    if batch.quarantined:
        context.log.warning(f"{len(batch.quarantined)} item(s) quarantined for {day}: {dict(reasons)}")
    audio_minutes = float(df["duration_s"].fill_null(0).sum()) / 60
    return dg.MaterializeResult(
        metadata={
            **standard(df, receipt),
            "calls": len(df),
            "answered": int(df["answered"].sum()),
            "recordings_ok": status.get("ok", 0),
            "quarantined": len(batch.quarantined),
            "quarantine_note": describe_quarantine([q.reason for q in batch.quarantined]) or "none",
            "audio_minutes": round(audio_minutes, 2),
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
)
def transcripts(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Local faster-whisper transcripts, one pass per channel (agent left, caller right), with timestamps and
    per-segment confidence. The model name and compute type are recorded on every row."""
    day = context.partition_key
    store = cipher.store
    calls = store.read("raw_calls", day, purpose="transcription").filter(pl.col("audio_status") == "ok")
    transcriber = cipher.transcriber()
    audio_dir = cipher.settings.audio_vault / day

    rows, failures = [], Counter()
    started = time.monotonic()
    audio_seconds = 0.0
    for index, (call_id, audio_file) in enumerate(calls.select("call_id", "audio_file").iter_rows(), start=1):
        payload = store.read_blob(audio_dir / audio_file, "recordings", day, "transcription")
        try:
            result = transcriber.transcribe(payload)
        except Exception as exc:  # one bad file must not sink the day; it is counted and surfaced
            failures[type(exc).__name__] += 1
            context.log.error(f"transcription failed for call {index}/{len(calls)}: {type(exc).__name__}")
            continue
        audio_seconds += result.duration_s
        turns = result.turns()
        rows.append(
            {
                "call_id": call_id,
                "day": day,
                "text": result.text(),
                "turns": [{"speaker": s, "start_s": a, "end_s": b, "text": t} for s, a, b, t in turns],
                "segments": [
                    {
                        "speaker": seg.speaker, "start_s": seg.start, "end_s": seg.end, "text": seg.text,
                        "avg_logprob": seg.avg_logprob, "no_speech_prob": seg.no_speech_prob,
                    }  # fmt: skip
                    for seg in result.segments
                ],
                "turn_count": len(turns),
                "duration_s": round(result.duration_s, 3),
                "mean_confidence": (
                    round(sum(seg.confidence for seg in result.segments) / len(result.segments), 4) if result.segments else None
                ),
                "asr_model": f"faster-whisper/{transcriber.model_name}",
                "compute_type": transcriber.compute_type,
                "language": result.language,
            }
        )
        context.log.info(f"transcribed {index}/{len(calls)} calls ({audio_seconds / 60:.1f} audio minutes)")
    elapsed = time.monotonic() - started
    df = pl.DataFrame(rows) if rows else _empty_transcripts()
    df = df.sort("call_id")
    receipt = store.write("transcripts", day, df, purpose="transcription")
    return dg.MaterializeResult(
        metadata={
            **standard(df, receipt),
            "calls_transcribed": len(df),
            "failed": sum(failures.values()),
            "audio_minutes": round(audio_seconds / 60, 2),
            "compute_seconds": round(elapsed, 1),
            "realtime_factor": round(elapsed / audio_seconds, 3) if audio_seconds else 0.0,
            "mean_confidence": float(df["mean_confidence"].mean() or 0.0) if len(df) else 0.0,
            "asr_model": f"faster-whisper/{transcriber.model_name} ({transcriber.compute_type})",
        }
    )


def _empty_transcripts() -> pl.DataFrame:
    turn = pl.Struct({"speaker": pl.String, "start_s": pl.Float64, "end_s": pl.Float64, "text": pl.String})
    segment = pl.Struct(
        {"speaker": pl.String, "start_s": pl.Float64, "end_s": pl.Float64, "text": pl.String,
         "avg_logprob": pl.Float64, "no_speech_prob": pl.Float64}
    )  # fmt: skip
    return pl.DataFrame(
        schema={
            "call_id": pl.String, "day": pl.String, "text": pl.String, "turns": pl.List(turn),
            "segments": pl.List(segment), "turn_count": pl.Int64, "duration_s": pl.Float64,
            "mean_confidence": pl.Float64, "asr_model": pl.String, "compute_type": pl.String, "language": pl.String,
        }  # fmt: skip
    )
