"""Release state, one truth: is a day's transcript-derived Tier 3 output published, held, releasable or withdrawn?

Every place that says or acts on a day's release asks :func:`day_release`: ``cipher status``, the demo's summary,
``cipher materialize``, ``cipher qa status``, the release sensor, and (through the same ``require_release``) the
Tier 3 assets. The state follows what is on disk, so it cannot disagree with the files:

- ``released``: the day's insight files exist, on disk or on Tier 3's object store (published by a release the
  release log records);
- ``withdrawn``: they were published and later withdrawn (a QA finding after release), none exist now;
- ``releasable``: none exist, and the gate would release the day now (the release sensor requests these);
- ``held``: none exist, and the gate refuses the day; ``reason`` says why and ``command`` what releases it.

A released day is not re-judged by today's settings: a demo day released with QA switched off stays
``released`` (the release record says QA was not required), it is not reported "held" while its files exist.
What takes a released day back is a human finding: :func:`withdraw_day` deletes its insight files and those of
the week and month that hold it, and appends the withdrawal to the release log.

The release log (``tier2/release_log.jsonl``, or one object per line under ``CIPHER_TIER2_LEDGER_ROOT``) is
append-only, like the QA log: one JSON line per release or withdrawal with time, actor, day, tables, the redacted
partition's fingerprint and the reason. Counts and ids only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import PurePosixPath
from typing import Mapping

from cipher_pipeline.audit import current_actor
from cipher_pipeline.gate.ledger import (
    GateClosed, ScanClearance, fingerprint_file, qa_status, read_evidence, require_release, scan_clearance,
)  # fmt: skip
from cipher_pipeline.gate.paths import GatePaths, check_day
from cipher_pipeline.gate.qa_log import append_line, log_lines
from cipher_pipeline.gate.thresholds import GateThresholds
from cipher_pipeline.object_store import StorageRoot
from cipher_pipeline.tables import INSIGHT_RELEASE_TABLE, INSIGHTS_DIR

RELEASED, WITHDRAWN, RELEASABLE, HELD = "released", "withdrawn", "releasable", "held"
# What publishes a releasable day by hand (the release sensor does it on its own); docs/runbook.md explains it.
RELEASE_COMMAND = "cipher materialize {day} --job release_insights"


@dataclass(frozen=True)
class DayRelease:
    """The release state of one day: ``state`` (one of the four above), why, and what to do next."""

    day: str
    state: str
    reason: str
    command: str = ""  # the command that moves a held day on ("cipher qa review --day ..."), if any
    tables: tuple[str, ...] = ()  # transcript-derived Tier 3 tables published for the day
    gate_open: bool = False  # the gate would release the redacted partition on disk now
    fingerprint: str | None = None  # that partition's sha256 (None: none on disk)
    released_fingerprint: str | None = None  # the partition version the last release was made from

    @property
    def published(self) -> bool:
        return self.state == RELEASED

    @property
    def needs_release(self) -> bool:
        """The gate is open for a partition version not yet published (what the release sensor requests)."""
        return self.gate_open and (self.state != RELEASED or self.released_fingerprint != self.fingerprint)


def insights_dir(paths: GatePaths) -> StorageRoot:
    """Where the insights live (``<tier 3>/insights/<table>/<period>.parquet``, tables.py): a local folder, or the
    object-store prefix under ``CIPHER_TIER3_ROOT``."""
    return paths.insights()


def published_tables(paths: GatePaths, day: str) -> tuple[str, ...]:
    """The insight tables published for ``day`` (``insights/<table>``); empty when the day is not released."""
    root = insights_dir(paths)
    if not root.exists(INSIGHT_RELEASE_TABLE, f"{check_day(day)}.parquet"):
        return ()
    return tuple(sorted(f"{INSIGHTS_DIR}/{t}" for t in root.folders() if root.exists(t, f"{day}.parquet")))


RELEASED_TIER2_TABLE = "redacted_transcripts"


def promote_released_partition(paths: GatePaths, day: str, fingerprint: str) -> dict | None:
    """Copy the day's released redacted partition to the released-Tier-2 prefix (``CIPHER_TIER2_RELEASE_ROOT``),
    bound to ``fingerprint`` (what ``read_released`` just released): the copy is refused unless the local bytes
    hash to it, and verified on the store by reading it back. A new copy is logged in the release log with the
    store's ETag and version id. Returns the manifest entry, or None when no release prefix is configured.

    Called only after the gate released the day, so a held day never reaches the store."""
    prefix = paths.released_tier2()
    if prefix is None:
        return None
    before = prefix.entry(RELEASED_TIER2_TABLE, day)
    copy = prefix.promote(RELEASED_TIER2_TABLE, day, paths.redacted_partition(day).read_bytes(), fingerprint)
    if before != copy:
        append_release_event(paths, {
            "action": "promote", "day": day, "table": RELEASED_TIER2_TABLE, "fingerprint": fingerprint,
            "url": copy.url, "etag": copy.etag, "version_id": copy.version_id, "bytes": copy.bytes,
        })  # fmt: skip
    return copy.to_dict()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def append_release_event(paths: GatePaths, entry: Mapping[str, object]) -> None:
    """One line in the append-only release log."""
    append_line(paths.release_log, json.dumps({"time": _now(), "actor": current_actor(), **entry}, sort_keys=True))


def release_events(paths: GatePaths, day: str | None = None) -> list[dict]:
    """Every release and withdrawal in the log (of ``day`` if given), oldest first."""
    events = [json.loads(line) for line in log_lines(paths.release_log, day)]
    return [e for e in events if day is None or e.get("day") == day]


def record_release(
    paths: GatePaths, day: str, table: str, fingerprint: str, qa_required: bool, qa: Mapping | None,
    clearance: ScanClearance | None = None,
) -> None:
    """Written by every Tier 3 publish of a transcript-derived table: what was released, on which evidence.
    ``clearance``: the day failed only on scan flags and was released on review; the entry records how many
    flagged transcripts a reviewer cleared (``released_on_review_clearance``) and how many of the random QA
    sample were reviewed with no finding (``clearance_sample_reviewed``)."""
    entry = {
        "action": "release", "day": day, "table": table, "fingerprint": fingerprint,
        "qa_required": qa_required, "qa_reviewed": int((qa or {}).get("reviewed", 0)),
    }  # fmt: skip
    if clearance is not None:
        entry["released_on_review_clearance"] = clearance.cleared
        entry["clearance_sample_reviewed"] = clearance.sample_reviewed
    append_release_event(paths, entry)


def insight_files_of(paths: GatePaths, day: str) -> list[PurePosixPath]:
    """The insight files that carry ``day`` (``<table>/<period>.parquet`` and ``reports/<period>.html``, relative to
    the insights root): its own, and those of the ISO week and the month that hold it (a roll-up built on a
    withdrawn day would publish the day's counts on). Periods are named as ``insights/periods.py`` names them (a
    month is the ISO weeks that start in it); the date arithmetic is repeated here so the gate does not import
    Tier 3 code (tests/test_release_paths.py holds the two to the same answer)."""
    d = date.fromisoformat(check_day(day))
    year, week, _ = d.isocalendar()
    month = date.fromordinal(d.toordinal() - d.weekday()).isoformat()[:7]  # the month of the week's Monday
    root = insights_dir(paths)
    folders = root.folders()  # one listing; then one existence check per table and period
    found = []
    for period in (day, f"{year}-W{week:02d}", month):
        found += [PurePosixPath(t, f"{period}.parquet") for t in folders if t != "reports" and root.exists(t, f"{period}.parquet")]
        found += [page] if root.exists(*(page := PurePosixPath("reports", f"{period}.html")).parts) else []
    return found


def withdraw_day(paths: GatePaths, day: str, reason: str) -> tuple[str, ...]:
    """Withdraw a day's transcript-derived Tier 3 output: delete its insight files and the weekly and monthly
    insight roll-ups that hold it, where Tier 3 lives (disk or object store; they are rebuilt, without it, by
    materializing the period again once the day is released; the DuckDB views read the files, so the day leaves
    them too), and log the withdrawal. Returns the
    files withdrawn (``insights/<table>/<period>``; none: nothing logged).

    Idempotent: a day with nothing published is left alone and nothing is written."""
    insight_files = insight_files_of(paths, day)
    prefix = paths.released_tier2()
    copied = prefix is not None and (prefix.entry(RELEASED_TIER2_TABLE, day) is not None
                                     or prefix.root.exists(RELEASED_TIER2_TABLE, f"{check_day(day)}.parquet"))
    if not insight_files and not copied:
        return ()
    if copied:  # the released Tier 2 copy first: readers off the server lose it before anything else
        prefix.withdraw(RELEASED_TIER2_TABLE, day)
    root = insights_dir(paths)
    for path in insight_files:
        root.delete(*path.parts)
    evidence = read_evidence(paths.gate_evidence_dir, day)
    withdrawn = ((f"tier2-release/{RELEASED_TIER2_TABLE}",) if copied else ()) + tuple(
        sorted({f"{INSIGHTS_DIR}/{p.parent.name}/{p.stem}" for p in insight_files}))
    append_release_event(paths, {
        "action": "withdraw", "day": day, "tables": list(withdrawn), "reason": reason,
        "fingerprint": evidence.fingerprint if evidence else None,
    })  # fmt: skip
    return withdrawn


def _current_fingerprint(paths: GatePaths, day: str) -> str | None:
    partition = paths.redacted_partition(day)
    return fingerprint_file(partition) if partition.exists() else None


def qa_finding_after_release(paths: GatePaths, day: str) -> str | None:
    """The reason to withdraw a day, if a reviewer recorded a finding in the partition version now on disk."""
    evidence = read_evidence(paths.gate_evidence_dir, day)
    if evidence is None or evidence.fingerprint != _current_fingerprint(paths, day):
        return None
    coverage = qa_status(evidence, paths.qa_log)
    if coverage is None or not coverage.findings:
        # an evidence record naming no QA sample (written before the gate named one at judgment) has no queue:
        # a flag confirmed after a release on clearance still takes the day back
        confirmed = 0 if evidence.passed else scan_clearance(evidence, paths.qa_log).confirmed
        if confirmed:
            return f"human QA confirmed a scan flag in {confirmed} transcript(s) after release"
        return None
    cats = ", ".join(f"{c} {n}" for c, n in coverage.finding_categories.items())
    return f"human QA found {coverage.findings} residual identifier(s) after release: {cats}"


def withdraw_on_finding(paths: GatePaths, day: str) -> tuple[str, ...]:
    """Withdraw the day's Tier 3 output if a QA finding now stands against it (called wherever findings land)."""
    reason = qa_finding_after_release(paths, day)
    return withdraw_day(paths, day, reason) if reason else ()


def day_release(paths: GatePaths, day: str, thresholds: GateThresholds) -> DayRelease:
    """The one answer to "is this day released?" (see the module docstring for the four states)."""
    check_day(day)
    fingerprint = _current_fingerprint(paths, day)
    try:
        evidence = require_release(paths.gate_evidence_dir, day, fingerprint, paths.qa_log, thresholds)
        closed = None
    except GateClosed as refused:
        closed, evidence = refused, None
    tables = published_tables(paths, day)
    events = release_events(paths, day)
    last = next((e for e in reversed(events) if e.get("action") == "release"), None)
    known = {"gate_open": closed is None, "fingerprint": fingerprint,
             "released_fingerprint": last.get("fingerprint") if last else None}  # fmt: skip
    if tables:
        if last is not None and last.get("released_on_review_clearance") is not None:
            why = (f"released after a reviewer cleared all {last['released_on_review_clearance']} transcripts the "
                   "residual scan flagged (the automated checks failed only on those flags)")  # fmt: skip
            if last.get("clearance_sample_reviewed") is not None:  # releases logged before session 13 lack it
                why += f" and reviewed {last['clearance_sample_reviewed']} of the random QA sample with no finding"
        elif last is not None and not last.get("qa_required", True):
            why = "released without human QA (QA was not required when it was released)"
        else:
            why = "released after the gate passed" + (" and human QA completed" if last else "")
        if closed is not None:
            why += f"; a new release is refused: {closed.reason}"
        return DayRelease(day, RELEASED, why, tables=tables, **known)
    if closed is None:
        passed = "the gate passed" if evidence is None or evidence.passed else (
            "the automated checks failed only on the residual scan's flags, and a reviewer cleared every flag and "
            "reviewed the random QA sample with no finding"
        )
        return DayRelease(day, RELEASABLE, f"{passed}; Tier 3 not yet published",
                          command=RELEASE_COMMAND.format(day=day), **known)  # fmt: skip
    withdrawal = next((e for e in reversed(events) if e.get("action") == "withdraw"), None)
    if withdrawal is not None:
        return DayRelease(day, WITHDRAWN, f"withdrawn at {withdrawal['time']}: {withdrawal['reason']}",
                          command=_releasing_command(day, closed.reason), **known)  # fmt: skip
    return DayRelease(day, HELD, closed.reason, command=_releasing_command(day, closed.reason), **known)


def _releasing_command(day: str, reason: str) -> str:
    if "confirmed an identifier" in reason:
        return f"fix the redactor (the confirmed flag is a regression case), then cipher materialize {day}; a mistaken finding: cipher qa correct --day {day} --transcript <id> --reason \"...\""
    if "no QA sample" in reason:  # a day whose gate failed in its run has none: qa_sample runs after the checks
        return f"cipher qa sample --day {day}, then cipher qa review --day {day}"
    if "QA is incomplete" in reason or "cleared by review" in reason:
        return f"cipher qa review --day {day}"
    if "human QA found" in reason:
        return f"fix the redactor (the finding is a regression case), then cipher materialize {day}; a mistaken finding: cipher qa correct --day {day} --transcript <id> --reason \"...\""
    if "no redacted_transcripts" in reason or "never ran" in reason or "stale" in reason:
        return f"cipher materialize {day}"
    return f"cipher qa status --day {day} (gate evidence), then fix the redactor and cipher materialize {day}"


__all__ = [
    "DayRelease", "HELD", "RELEASABLE", "RELEASED", "WITHDRAWN", "day_release", "promote_released_partition",
    "published_tables", "record_release", "release_events", "withdraw_day", "withdraw_on_finding",
]  # fmt: skip
