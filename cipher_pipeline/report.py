"""Plain-text reports for the terminal: the demo summary and the per-day gate status.

Counts, categories, rates and Tier 3 aggregates only; nothing from Tier 1 is printed but how many.
"""

from __future__ import annotations

from collections import Counter

from cipher_pipeline.gate.expectations import OFFLINE_REPORT
from cipher_pipeline.gate.ledger import evidence_days, read_evidence
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.release import RELEASED, DayRelease, day_release
from cipher_pipeline.gate.thresholds import thresholds_in_force
from cipher_pipeline.ingest import describe_quarantine
from cipher_pipeline.retention import purge_note
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionNotFound, PartitionStore, analyst_connection, refresh_catalog


def release_state(settings: Settings, day: str) -> DayRelease:
    """The day's release state: ``gate.release.day_release``, the answer every report, the release sensor and
    the Tier 3 assets share."""
    return day_release(GatePaths.of(settings), day, thresholds_in_force(settings))


def gate_status_table(settings: Settings, days: list[str] | None = None) -> str:
    """Per day: the gate's status, the release state and why (``release_state``, the answer the gate and the release
    log give), identifiers removed, residuals the scan found, and the answered calls that were not transcribed."""
    paths = GatePaths.of(settings)
    if days is None:
        # every day the gate judged (wherever its ledger lives), and every day ingested (one whose calls all failed to
        # transcribe never reaches the gate)
        ingested = {p.name.split(".")[0] for p in settings.table_dir("raw_calls").glob("*.parquet.enc")}
        days = sorted(set(evidence_days(paths.gate_evidence_dir)) | ingested)
    if not days:
        return "no gate evidence yet: materialize a day first"
    lines = [f"{'day':<11} {'gate':<5} {'release':<10} {'removed':>7} {'residual':>8} {'untranscribed':>13}  why"]
    for day in days:
        evidence = read_evidence(paths.gate_evidence_dir, day)
        release = release_state(settings, day)
        why = release.reason + (f"; next: {release.command}" if release.command and release.state != RELEASED else "")
        missed = not_transcribed(settings, day, evidence.transcripts if evidence is not None else None)
        missed_count = "-" if missed is None else str(sum(missed.values()))
        intake = _intake(settings, day, missed)
        if evidence is None:
            lines.append(f"{day:<11} {'-':<5} {release.state:<10} {'-':>7} {'-':>8} {missed_count:>13}  {why}{intake}")
            continue
        removed = sum(evidence.identifiers_removed.values())
        residual = sum(evidence.residuals.get("counts", {}).values())
        lines.append(
            f"{day:<11} {evidence.status:<5} {release.state:<10} {removed:>7} {residual:>8} {missed_count:>13}  {why}{intake}"
        )
    return "\n".join(lines)


# What ingest wrote for a call whose recording never reached Whisper (ingest.py), in the order the status names them.
_NOT_TRANSCRIBED_STATUSES = ("quarantined", "duplicate", "missing")


def not_transcribed(settings: Settings, day: str, transcribed: int | None) -> dict[str, int] | None:
    """Calls with a recording that have no transcript, by why: ingest quarantined the recording (unreadable,
    truncated, silent, oversized), it duplicated another call's, it never arrived, or Whisper failed on it (the
    recordings ingest accepted minus the transcripts the gate saw). ``transcribed``: the gate evidence's
    transcript count (None: the day was not gated; the transcripts partition is counted instead). None when the
    day has no call-tracking partition. Counts only (Tier 1 reads are audited)."""
    store = PartitionStore(settings)
    try:
        raw = store.read("raw_calls", day, purpose="cipher status: calls not transcribed (counts)")
    except PartitionNotFound:
        return None
    by_status = Counter(raw["audio_status"].to_list())
    missed = {status: by_status[status] for status in _NOT_TRANSCRIBED_STATUSES if by_status[status]}
    if transcribed is None and store.exists("transcripts", day):
        transcribed = len(store.read("transcripts", day, purpose="cipher status: calls not transcribed (counts)"))
    if transcribed is not None and by_status["ok"] > transcribed:
        missed["failed"] = by_status["ok"] - transcribed
    return missed


def _intake(settings: Settings, day: str, missed: dict[str, int] | None = None) -> str:
    """'; not transcribed: quarantined 1, failed 1' when calls with a recording have no transcript, then
    '; PARTIAL: n quarantined (...)' when the day's ingest quarantined anything (counts by class only), or
    '; Tier 1 purged by retention on ...' once retention took the day."""
    purged = purge_note(settings, day)
    if purged:
        return f"; {purged}"
    notes = []
    if missed:
        notes.append("not transcribed: " + ", ".join(f"{why} {n}" for why, n in missed.items()))
    try:
        frame = PartitionStore(settings).read("quarantined_recordings", day, purpose="cipher status: quarantine counts")
    except PartitionNotFound:
        frame = None
    if frame is not None and (note := describe_quarantine(frame["reason"].to_list())):
        notes.append(note)
    return "".join(f"; {note}" for note in notes)


def demo_summary(settings: Settings, days: list[str], outcome: dict[str, str], wall_seconds: float, cpu_seconds: float) -> str:
    store = PartitionStore(settings)
    paths = GatePaths.of(settings)
    calls = answered = recordings = quarantined = 0
    audio_seconds = 0.0
    removed: Counter[str] = Counter()
    residual: Counter[str] = Counter()
    gate_lines = []
    for day in days:
        try:
            raw = store.read("raw_calls", day, purpose="demo summary counts")
        except PartitionNotFound:
            raw = None
        if raw is not None:
            calls += len(raw)
            answered += int(raw["answered"].sum())
            recordings += int((raw["audio_status"] == "ok").sum())
            quarantined += int((raw["audio_status"] == "quarantined").sum())
            audio_seconds += float(raw["duration_s"].fill_null(0).sum())
        evidence = read_evidence(paths.gate_evidence_dir, day)
        if evidence is not None:
            removed.update(evidence.identifiers_removed)
            residual.update(evidence.residuals.get("counts", {}))
        release = release_state(settings, day)
        run = outcome.get(day, "failed")
        gate = evidence.status.upper() if evidence else "NOT RUN"
        gate_lines.append(
            f"  {day}  run {run:<6}  gate {gate:<7}  tier 3 {release.state}"
            + ("" if release.state == RELEASED else f" ({release.reason}; next: {release.command})")
        )

    catalog = refresh_catalog(settings)
    con = analyst_connection(settings)
    tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    day_list = ", ".join(f"'{d}'" for d in days)
    # The daily insights as published (cells under k withheld); the weekly roll-ups follow the summary.
    mentions = (
        con.execute(
            f"SELECT kind, entity, SUM(calls) AS calls FROM insight_entity_mentions WHERE period IN ({day_list}) "
            "AND calls > 0 AND entity <> 'any' GROUP BY kind, entity ORDER BY calls DESC, entity LIMIT 6"
        ).fetchall()
        if "insight_entity_mentions" in tables
        else []
    )
    concerns = (
        con.execute(
            f"SELECT label, SUM(calls) AS calls, SUM(first_calls) AS first FROM insight_concerns WHERE period IN ({day_list}) "
            "AND calls > 0 AND concern <> 'none' GROUP BY label ORDER BY calls DESC, label LIMIT 8"
        ).fetchall()
        if "insight_concerns" in tables
        else []
    )
    channels = (
        con.execute(
            f"SELECT source, COUNT(*) AS calls, ROUND(AVG(CASE WHEN answered THEN 1 ELSE 0 END), 2) AS answered_rate "
            f"FROM marketing_calls WHERE day IN ({day_list}) GROUP BY source ORDER BY calls DESC LIMIT 6"
        ).fetchall()
        if "marketing_calls" in tables
        else []
    )

    audio_minutes = audio_seconds / 60
    out = [
        "",
        "Cipher demo summary",
        "===================",
        f"calls: {calls} ({answered} answered, {recordings} recordings transcribed, {quarantined} quarantined)",
        f"audio: {audio_minutes:.1f} minutes; wall time {wall_seconds:.0f}s; "
        f"{audio_minutes / max(cpu_seconds / 60, 1e-9):.2f} audio minutes per CPU minute ({settings.whisper_model} int8)",
        "identifiers redacted: " + (", ".join(f"{k} {v}" for k, v in sorted(removed.items(), key=lambda kv: -kv[1])) or "none"),
        "residuals found by the independent scan: " + (", ".join(f"{k} {v}" for k, v in sorted(residual.items())) or "none"),
        "gate:",
        *gate_lines,
        "concerns callers raise, daily insights (distinct calls; raised first; cells under k withheld):",
        *([f"  {calls:>3}  {label:<24} first in {'withheld' if first is None else first}" for label, calls, first in concerns]
          or ["  (no daily cell reaches k: see the weekly insights below)"]),
        "competitors and insurers named, daily insights (distinct calls):",
        *([f"  {calls:>3}  {kind.lower()}: {entity}" for kind, entity, calls in mentions] or ["  (no daily cell reaches k)"]),
        "calls by channel (marketing view):",
        *([f"  {calls:>3}  {source}  answered {rate}" for source, calls, rate in channels] or ["  (none)"]),
        "outputs:",
        f"  tier 1 (encrypted, audited): {settings.tier_dir(1)}",
        f"  tier 2 (de-identified + gate evidence): {settings.tier_dir(2)}",
        f"  tier 3 (aggregates, marketing view): {GatePaths.of(settings).tier3().url}",
        f"  DuckDB views over tiers 2-3: {catalog}   e.g. duckdb -readonly {catalog}",
        f"  gate report (offline, value-free): {paths.data_docs_dir / OFFLINE_REPORT}",
        "  Dagster UI on the same runs: make ui",
    ]
    return "\n".join(out)
