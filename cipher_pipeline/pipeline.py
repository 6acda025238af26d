"""One call day through Cipher, step by step, in plain Python: no Dagster needed to run or test it.

Read top to bottom, this module is the day's journey from the inbox to Tier 3:

1. ``ingest_day``: the vendor's drop (``inbox/<day>/``) into Tier 1: recordings into the encrypted audio vault,
   call-tracking rows joined to them in ``raw_calls``, what cannot be used quarantined with its reason.
2. ``transcribe_day``: each recording through local faster-whisper, one pass per channel, into ``transcripts``.
3. ``redact_day``: the layered de-identification into ``redacted_transcripts`` under an id derived from the
   row's own content (no key, no call id), then the gate on the partition as written (independent residual
   scan, Great Expectations, Tier 1 overlap), its evidence written to the ledger; a failed day's file stays
   0600 (held), out of Tier 3's reach.
4. ``draw_qa_sample`` / ``check_qa_coverage``: the human QA sample of the day, and how far its review got.
5. ``publish_insights_period`` (buyer phrases, concerns and their order, competitors and insurers, objections,
   caller types: a day, an ISO week or a month) asks the gate whether each day may be released
   (``gate.ledger.read_released``) and only then aggregates; ``publish_marketing_calls`` builds the marketing
   view from call-tracking metadata under its own Great Expectations suite.

Each step returns what it did as a value (frames, write receipts, counts, gate evidence); the Dagster assets in
``cipher_pipeline/defs/`` call these and turn the values into metadata and check results. Errors are Cipher's
own exceptions (``InboxGone``, ``PurgedDay``, ``DayMissing``, ``GateClosed``, ``MarketingViewRejected``) carrying
counts, never Tier 1 text.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl

from cipher_pipeline import analysis
from cipher_pipeline.asr_text import normalise_digits
from cipher_pipeline.gate.expectations import GXResult, run_suite
from cipher_pipeline.gate.ledger import (
    GateClosed,
    GateEvidence,
    evaluate_partition,
    qa_queue,
    qa_required,
    read_evidence,
    read_released,
    record_qa_coverage,
    scan_clearance,
    write_evidence,
)
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.residual import scan_frame
from cipher_pipeline.gate.release import promote_released_partition, record_release, withdraw_on_finding
from cipher_pipeline.gate.thresholds import GateThresholds, thresholds_in_force
from cipher_pipeline.ingest import Quarantined, collect_day, describe_quarantine, reason_class
from cipher_pipeline.insights import periods as insight_periods
from cipher_pipeline.insights import publish as insight_publish
from cipher_pipeline.insights import suppression as insight_suppression
from cipher_pipeline.object_store import StorageRoot
from cipher_pipeline.pseudonyms import assign_ids
from cipher_pipeline.qa.sample import draw_day_sample, read_sample, write_sample
from cipher_pipeline.retention import manifest_frame, refuse_if_purged
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionNotFound, PartitionStore, WriteReceipt
from cipher_pipeline.tables import (
    QUARANTINE_SCHEMA,
    RAW_CALLS_SCHEMA,
    REDACTED_TRANSCRIPTS_SCHEMA,
    TRANSCRIPTS_SCHEMA,
)


class InboxGone(RuntimeError):
    """Retention removed the day's plaintext drop after ingest; re-ingesting nothing would wipe the day."""


class MarketingViewRejected(RuntimeError):
    """The marketing view failed its Great Expectations suite; nothing was written."""

    def __init__(self, day: str, gx: GXResult):
        super().__init__(f"marketing_calls for {day} failed checks/gx/marketing_calls.json; nothing was written")
        self.gx = gx


# ------------------------------------------------------------------------------------------------ Tier 1
@dataclass
class IngestedDay:
    raw_calls: pl.DataFrame
    receipt: WriteReceipt
    quarantined: list[Quarantined]

    @property
    def recording_status(self) -> Counter[str]:
        return Counter(self.raw_calls["audio_status"].to_list())

    @property
    def quarantine_reasons(self) -> Counter[str]:
        return Counter(reason_class(q.reason) for q in self.quarantined)  # the class of error, never a value

    @property
    def quarantine_note(self) -> str:
        """Counts by reason class ('' when nothing was quarantined): the CLI and ``cipher status`` say PARTIAL."""
        return describe_quarantine([q.reason for q in self.quarantined])

    @property
    def audio_minutes(self) -> float:
        return float(self.raw_calls["duration_s"].fill_null(0).sum()) / 60


def _sync_folder(folder: Path, keep: set[str], store: PartitionStore, table: str, day: str) -> None:
    """Drop vault files of a day that the current ingest no longer produced (a re-run replaces the day whole)."""
    if folder.exists():
        stale = [path for path in folder.iterdir() if path.name not in keep]
        for path in stale:
            path.unlink()
        if stale:
            store.audit("delete", table, day, len(stale), "re-ingest replaced the day")


def ingest_day(settings: Settings, store: PartitionStore, day: str) -> IngestedDay:
    """Every call-tracking row of the day joined to its recording; recordings into the encrypted audio vault.

    A recording that cannot be decoded, or that has no metadata row, is quarantined (kept encrypted, with its
    reason) and the rest of the day goes on. Re-running replaces the day whole. A day retention purged is final
    (``PurgedDay``: Tier 2 and 3 stay as they are); a missing or wrong key stops before anything is written.
    The day's inbox manifest (file names and sha256 of the bytes read) tells retention what it may delete.
    Recordings are encrypted into the vault as they are read, one at a time; ``raw_calls`` is written last, so a
    run that fails part-way (a full disk) leaves the day as it was before and a re-run replaces it whole.
    """
    refuse_if_purged(settings, day)
    if not (settings.inbox / day).is_dir() and store.exists("raw_calls", day):
        raise InboxGone(f"the inbox folder for {day} is gone (retention); the ingested day is kept as it is")
    if (settings.inbox / day).is_dir():
        store.vault  # noqa: B018  a missing or wrong key stops here, before anything is written

    # Recordings stream from the inbox into the vault one at a time (issue 13): collect_day hands each one's
    # bytes here as soon as it is judged and reads the next only after it is encrypted and written.
    audio_dir = settings.audio_vault / day
    quarantine_dir = settings.tier_dir(1) / "quarantine" / day
    kept: set[str] = set()
    q_kept: set[str] = set()

    def keep_audio(call_id: str, payload: bytes) -> None:
        name = f"{call_id}.audio.enc"
        store.write_blob(audio_dir / name, payload, "recordings", day, "ingest")
        kept.add(name)

    def keep_quarantined(item: Quarantined, payload: bytes) -> None:
        name = f"{item.sha256[:16]}.enc"
        store.write_blob(quarantine_dir / name, payload, "quarantine", day, "ingest quarantine")
        q_kept.add(name)

    batch = collect_day(settings.inbox, day, keep_audio, keep_quarantined)  # DayMissing when the day has no drop
    for row in batch.rows:
        row["day"] = day
        row["audio_file"] = f"{row['call_id']}.audio.enc" if row["call_id"] in batch.audio else None
    _sync_folder(audio_dir, kept, store, "recordings", day)
    _sync_folder(quarantine_dir, q_kept, store, "quarantine", day)
    quarantine = pl.DataFrame(
        [{"day": day, "file_name": q.file_name, "reason": q.reason, "sha256": q.sha256} for q in batch.quarantined],
        schema=QUARANTINE_SCHEMA,
    )
    store.write("quarantined_recordings", day, quarantine, purpose="ingest quarantine")
    store.write("inbox_manifest", day, manifest_frame(day, batch.ingested), purpose="ingest manifest")

    df = pl.DataFrame(batch.rows, schema=RAW_CALLS_SCHEMA).sort("call_id")
    receipt = store.write("raw_calls", day, df, purpose="ingest")
    return IngestedDay(df, receipt, list(batch.quarantined))


@dataclass
class TranscribedDay:
    transcripts: pl.DataFrame
    receipt: WriteReceipt
    failures: Counter[str]  # exception class -> calls
    audio_seconds: float
    compute_seconds: float
    model_name: str
    compute_type: str

    @property
    def note(self) -> str:
        """What the day's report says about calls left out: '' for none, else e.g. '1 call not transcribed
        (TranscriberCrashed 1)'. Classes only, never a call's content."""
        count = sum(self.failures.values())
        if not count:
            return ""
        classes = ", ".join(f"{name} {n}" for name, n in sorted(self.failures.items()))
        return f"{count} call{'s' if count > 1 else ''} not transcribed ({classes})"


def transcribe_day(
    settings: Settings,
    store: PartitionStore,
    transcriber,
    day: str,
    on_call: Callable[[int, int, str | None, float], None] | None = None,
) -> TranscribedDay:
    """Each answered call's recording through ``transcriber.map`` (a ``cipher_pipeline.transcribe.TranscriberPool``
    in the pipeline: recordings decoded side by side in worker processes, so a recording that crashes the decoder
    natively costs only its call; or a ``Transcriber``, in this process). Results come back in call order.

    One bad file does not sink the day: its error class is counted and the call left out. ``on_call(index,
    total, error_class, audio_seconds_so_far)`` reports progress (the asset logs it).
    """
    calls = store.read("raw_calls", day, purpose="transcription").filter(pl.col("audio_status") == "ok")
    audio_dir = settings.audio_vault / day
    rows, failures = [], Counter()
    started = time.monotonic()
    audio_seconds = 0.0
    call_files = list(calls.select("call_id", "audio_file").iter_rows())
    # read lazily: the transcriber holds only the recordings it is decoding, whatever the size of the day
    payloads = (store.read_blob(audio_dir / audio_file, "recordings", day, "transcription") for _, audio_file in call_files)
    for index, ((call_id, _), result) in enumerate(zip(call_files, transcriber.map(payloads)), start=1):
        if isinstance(result, Exception):  # one bad file must not sink the day; it is counted and surfaced
            failures[type(result).__name__] += 1
            if on_call:
                on_call(index, len(calls), type(result).__name__, audio_seconds)
            continue
        audio_seconds += result.duration_s
        turns = result.turns()
        rows.append(
            {
                "call_id": call_id,
                "day": day,
                # what the redactor reads: Whisper's digit formatting in one form ('5,551,012' -> '5551012', '555-01
                # twelve' -> '555-0112'); turns and segments keep Whisper's words, aligned with the audio. Measured
                # (docs/performance.md): entity recall on real Whisper text 0.575 -> 0.578 phone, 0.681 -> 0.683
                # wideband (odd calls of calls_dev), precision unchanged
                "text": normalise_digits(result.text()).text,
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
        if on_call:
            on_call(index, len(calls), None, audio_seconds)
    elapsed = time.monotonic() - started
    df = pl.DataFrame(rows) if rows else pl.DataFrame(schema=TRANSCRIPTS_SCHEMA)
    df = df.sort("call_id")
    receipt = store.write("transcripts", day, df, purpose="transcription")
    return TranscribedDay(df, receipt, failures, audio_seconds, elapsed, transcriber.model_name, transcriber.compute_type)


# ------------------------------------------------------------------------------------------------ Tier 2
@dataclass
class RedactedDay:
    redacted: pl.DataFrame
    receipt: WriteReceipt
    removed: Counter[str]  # category -> identifiers the redactor removed
    engine_version: str
    evidence: GateEvidence
    evidence_path: Path
    gx: GXResult


def redact_day(settings: Settings, store: PartitionStore, redactor, day: str) -> RedactedDay:
    """De-identify the day's transcripts under content-derived ids, then run the gate on the partition as written.

    ``redactor`` is a ``cipher_pipeline.deid.Redactor``. The gate's evidence goes to the ledger bound to the
    exact bytes written, so Tier 3 can re-check it in any later run.
    """
    paths = GatePaths.of(settings)
    source = store.read("transcripts", day, purpose="de-identification")
    tracking = store.read("raw_calls", day, purpose="gate: attribution join and tier1 id overlap check")
    attribution = {
        r["call_id"]: (r["campaign"] or "unknown", r["source"] or "unknown")
        for r in tracking.select("call_id", "campaign", "source").iter_rows(named=True)
    }
    results = redactor.redact_many(source["text"].to_list(), speech_recognized=True)  # every transcript here is Whisper's
    removed: Counter[str] = Counter()
    rows = []
    for call_id, asr_model, result in zip(source["call_id"], source["asr_model"], results):
        campaign, channel = attribution.get(call_id, ("unknown", "unknown"))
        counts = Counter(span.category for span in result.spans)
        removed.update(counts)
        rows.append(
            {
                "transcript_id": None,  # assigned from the row's own content below: no link to the call
                "day": day,
                "redacted_text": result.redacted_text,
                "turn_count": result.redacted_text.count("\n"),
                "token_count": len(result.redacted_text.split()),
                "redaction_counts": json.dumps(dict(sorted(counts.items()))),
                "engine_version": redactor.version,
                "asr_model": asr_model,
                "campaign": campaign,
                "source": channel,
            }
        )
    # Ids from the row's own content, sorted by id: neither the id nor the row order mirrors Tier 1.
    df = assign_ids(pl.DataFrame(rows, schema=REDACTED_TRANSCRIPTS_SCHEMA), "transcript_id", "transcript", day,
                    ["redacted_text", "redaction_counts", "engine_version", "asr_model"])  # fmt: skip
    receipt = store.write("redacted_transcripts", day, df)

    thresholds = thresholds_in_force(settings)
    tier1_ids = tracking["call_id"].to_list()
    gx = run_suite(df, "redacted_transcripts", data_docs_dir=paths.data_docs_dir, checks_dir=settings.checks_dir, run_name=day)
    # The day's random QA sample is named in the evidence from the start, drawn as the qa_sample asset and `cipher
    # qa sample` draw it (seeded by these bytes): a day held by the scan's flags alone is released on review only
    # once the flags and this sample are reviewed with no finding, and no sample is drawn later for a failed day.
    # It is drawn from the transcripts the scan did not flag (they are all reviewed anyway), so the scan runs first.
    scan = scan_frame(df, learned_min_probability=thresholds.learned_min_probability)
    sample, seed = draw_day_sample(df["transcript_id"].to_list(), day, receipt.sha256, thresholds,
                                   scan_flagged=scan.flagged_ids())  # fmt: skip
    evidence = evaluate_partition(day, df, receipt.sha256, thresholds, tier1_ids, gx_summary=gx.summary(),
                                  qa_sample=sample, qa_seed=seed, scan=scan)  # fmt: skip
    evidence_path = write_evidence(paths.gate_evidence_dir, evidence)
    store.set_released("redacted_transcripts", day, evidence.passed)  # a failed day stays 0600, out of Tier 3's reach
    return RedactedDay(df, receipt, removed, redactor.version, evidence, evidence_path, gx)


@dataclass
class QASampleDrawn:
    sample: list[str]
    path: Path
    partition_size: int
    thresholds: GateThresholds
    review_queue: int = 0  # the random sample plus every scan-flagged transcript: what the reviewer is shown


def draw_qa_sample(settings: Settings, store: PartitionStore, day: str) -> QASampleDrawn:
    """A reproducible random sample (at least the configured fraction, at least one) of the day's redacted
    transcripts, for ``cipher qa review``; recorded in the gate evidence so release checks coverage against it."""
    paths, thresholds = GatePaths.of(settings), thresholds_in_force(settings)
    redacted = store.read("redacted_transcripts", day, purpose="qa: draw the review sample")  # QA may read a held day
    evidence = read_evidence(paths.gate_evidence_dir, day)
    # Seeded by the partition's fingerprint: the same redacted bytes always give the same sample, and a
    # re-redacted partition (new bytes) gets a fresh one that reviewers have not seen yet.
    sample, seed = draw_day_sample(redacted["transcript_id"].to_list(), day, evidence.fingerprint if evidence else None,
                                   thresholds, scan_flagged=evidence.scan_flagged if evidence else ())  # fmt: skip
    path = write_sample(paths.qa_sample_partition(day), sample, day, seed)
    recorded = record_qa_coverage(paths.gate_evidence_dir, day, paths.qa_log, sample)
    queue = qa_queue(recorded) if recorded is not None else sample
    return QASampleDrawn(sample, path, len(redacted), thresholds, len(queue or ()))


@dataclass(frozen=True)
class QACoverageCheck:
    reviewed: int
    required: int
    findings: int
    complete: bool
    qa_required: bool

    @property
    def passed(self) -> bool:
        # A finding fails the check even when review is not required: a person saw an identifier, and release
        # (require_release) refuses the day on any finding.
        return (self.complete and not self.findings) or (not self.qa_required and not self.findings)

    @property
    def description(self) -> str:
        queue = f"{self.reviewed}/{self.required} queued transcripts reviewed (random sample + scan-flagged)"
        return f"{queue}, {self.findings} finding(s)" + (
            "" if self.qa_required else "; QA is NOT required for release by configuration (demo)"
        )


def check_qa_coverage(settings: Settings, day: str) -> QACoverageCheck:
    """How far human review of the day's sample got, refreshed into the gate evidence."""
    paths, thresholds = GatePaths.of(settings), thresholds_in_force(settings)
    sample_path = paths.qa_sample_partition(day)
    sample = read_sample(sample_path) if sample_path.exists() else None
    evidence = record_qa_coverage(paths.gate_evidence_dir, day, paths.qa_log, sample)
    withdraw_on_finding(paths, day)  # a finding recorded after release takes the day's Tier 3 output back
    coverage = (evidence.qa.get("coverage") if evidence else None) or {}
    return QACoverageCheck(
        reviewed=int(coverage.get("reviewed", 0)),
        required=int(coverage.get("required", len(sample or []))),
        findings=int(coverage.get("findings", 0)),
        complete=bool(coverage.get("complete")),
        qa_required=qa_required(evidence, thresholds),
    )


# ------------------------------------------------------------------------------------------------ Tier 3
@dataclass
class Published:
    table: str
    frame: pl.DataFrame
    receipt: WriteReceipt
    extra: dict = field(default_factory=dict)


def publish_marketing_calls(settings: Settings, store: PartitionStore, day: str) -> Published:
    """The marketing view from call-tracking metadata under an id derived from the released row's own fields
    (never from the call id: no link back to Tier 1); validated by its Great Expectations suite before writing
    (a failing view raises ``MarketingViewRejected``, the previous stays)."""
    raw = store.read("raw_calls", day, purpose="marketing view")
    candidate = analysis.marketing_calls(settings.specs_dir, raw, lambda _call_id: "")
    candidate = assign_ids(candidate, "marketing_call_id", "marketing", day, [c for c in candidate.columns if c != "marketing_call_id"])
    gx = run_suite(candidate, "marketing_calls", data_docs_dir=GatePaths.of(settings).data_docs_dir,
                   checks_dir=settings.checks_dir, run_name=day)  # fmt: skip
    if not gx.success:
        raise MarketingViewRejected(day, gx)
    return Published("marketing_calls", candidate, store.write("marketing_calls", day, candidate), extra={"gx": gx})


@dataclass
class InsightsPublished:
    """One period's insight tables as written, with what the Dagster layer shows as metadata."""

    period: str
    tables: dict[str, pl.DataFrame]
    summary: dict
    written: dict[str, str]  # table (and "report") -> the path or URL written
    root: StorageRoot
    k: int
    # the day's released redacted partition as promoted for readers off the server (CIPHER_TIER2_RELEASE_ROOT): the
    # manifest entry (URL, ETag, sha256), never content; None for a week or month, or with no release prefix
    released_tier2_copy: dict | None = None


def insights_root(settings: Settings) -> StorageRoot:
    """Tier 3's insights root: ``tier3/insights/`` locally, or ``<CIPHER_TIER3_ROOT>/insights`` on object storage."""
    return GatePaths.of(settings).insights()


def insights_k(settings: Settings) -> int:
    """The small-cell threshold for insights (assets/insights/release.yaml; the loader refuses anything under 11)."""
    return insight_suppression.small_cell_k(settings.specs_dir)


def publish_insights_period(
    settings: Settings, store: PartitionStore, period: str, days: list[str], with_report: bool
) -> InsightsPublished:
    """Insights for a day, an ISO week or a month: every day that has a redacted partition must be released (else
    ``GateClosed``, nothing written); aggregates are re-checked for small cells, complementary and roll-up
    differencing and verbatim runs before they are written (else ``InsightCheckFailed``, nothing written).

    A day's insights are its release: each is logged (gate/release.py), and a refusal because of a QA finding
    withdraws what an earlier run published for that day (with its week and month)."""
    paths, thresholds = GatePaths.of(settings), thresholds_in_force(settings)
    taxonomy = insight_publish.taxonomy_for(settings.specs_dir)
    k = insights_k(settings)
    feats_by_day, tracking_frames, evidence_by_day = {}, [], {}
    for day in days:
        # A day with no redacted partition had no calls processed; any day that has one must be released.
        if len(days) > 1 and not paths.redacted_partition(day).exists():
            continue
        try:
            redacted, evidence_by_day[day] = read_released(paths, day, thresholds)
        except GateClosed:
            withdraw_on_finding(paths, day)
            raise
        try:
            tracking = store.read("raw_calls", day, purpose="insights: intake metrics (call-tracking aggregates)")
        except PartitionNotFound:
            tracking = None
        feats_by_day[day] = insight_publish.call_features(redacted, taxonomy)
        if tracking is not None:
            tracking_frames.append(tracking)
    tracking = pl.concat(tracking_frames, how="diagonal_relaxed") if tracking_frames else None
    result = insight_publish.build_period(period, feats_by_day, taxonomy, k, tracking)
    trend = None
    if with_report:
        # The competitor trend: by day within a week, by ISO week within a month.
        by_step: dict[str, dict[str, list]] = {}
        for day, features in sorted(feats_by_day.items()):
            step = day if len(days) <= 7 else insight_periods.week_of(day)
            by_step.setdefault(step, {})[day] = features
        trend = [
            (step, insight_publish.competitor_calls(insight_publish.build_period(step, group, taxonomy, k).tables))
            for step, group in by_step.items()
        ]
    promoted = None
    if period in evidence_by_day:
        # The released partition's copy for readers off the server (CIPHER_TIER2_RELEASE_ROOT) goes before the
        # day's insights: a day's Tier 3 never exists without the Tier 2 partition it was built from.
        promoted = promote_released_partition(paths, period, evidence_by_day[period].fingerprint)
    root = insights_root(settings)
    written = insight_publish.write_period(root, result, trend, k)
    if period in evidence_by_day:  # a day: its release
        evidence = evidence_by_day[period]
        clearance = None if evidence.passed else scan_clearance(evidence, paths.qa_log)
        if clearance is not None:  # released on a reviewer's clearance of the scan's flags: the file leaves its held mode
            store.set_released("redacted_transcripts", period, True)
        record_release(paths, period, "insights", evidence.fingerprint, qa_required(evidence, thresholds),
                       evidence.qa.get("coverage"), clearance=clearance)  # fmt: skip
    return InsightsPublished(period, result.tables, result.summary(), written, root, k, promoted)
