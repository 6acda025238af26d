"""The append-only QA log: one JSON line per human review of one sampled transcript.

It lives in the gate because it is gate evidence: release (``ledger.require_release``) reads coverage and
findings from it. The human workflow that writes it (sampling, ``cipher qa review``) is ``cipher_pipeline.qa``,
which depends on the gate and never the other way round.

Append-only on purpose: the log is audit evidence, so a review is never edited or deleted; a later review of the
same transcript is a new line and the latest one counts. The file is opened in append mode under an exclusive
lock and fsynced, and nothing in Cipher ever opens it for writing otherwise.

A mistaken finding (the reviewer misread a placeholder, or the scan's flag was a false alarm they confirmed by
mistake) is corrected by a :class:`QACorrection` line in the same log, naming the review it corrects, who corrects
it and why; the original line stays. Readers apply corrections: the corrected review counts as reviewed with no
finding. Nothing is ever rewritten.

A finding records the identifier's category and the turn (line) it sits in, plus an optional note. The note must
not carry the identifier itself (the log is Tier 2): notes are scanned with the gate's residual scanner and one that
holds a direct identifier is refused.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from cipher_pipeline.gate.residual import scan_text
from cipher_pipeline.object_store import ObjectLog

# The short Safe Harbor checklist a reviewer answers for each transcript: key -> (question, categories it covers).
CHECKLIST: dict[str, tuple[str, tuple[str, ...]]] = {
    "names": ("Any name of a person left (caller, patient, family, staff, doctor)?", ("NAME",)),
    "places": (
        "Any place smaller than a state left (street, city, county, ZIP, a clinic or hospital)?",
        ("LOCATION", "ZIP", "PROVIDER"),
    ),
    "dates": ("Any date element but the year left (day, month, birthday), or an age over 89?", ("DATE", "AGE")),
    "contact": ("Any phone or fax number, email, web address or IP address left?", ("PHONE", "FAX", "EMAIL", "URL", "IP")),
    "numbers": (
        "Any SSN, record, plan, account, licence, vehicle or device number, or other code left?",
        ("SSN", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID"),
    ),
    "other": ("Anything else that could single the caller out (a rare job, event, or combination)?", ("OTHER_ID",)),
}
FINDING_CATEGORIES = tuple(sorted({c for _, cats in CHECKLIST.values() for c in cats} | {"BIOMETRIC", "PHOTO"}))
VERDICTS = ("pass", "fail")


class QALogError(ValueError):
    """A review that the log refuses (malformed, or a note that would leak an identifier)."""


@dataclass(frozen=True)
class Finding:
    category: str
    turn: int  # 0-based line index in the redacted text ("agent: ..." / "caller: ..." lines)
    note: str = ""

    def __post_init__(self) -> None:
        if self.category not in FINDING_CATEGORIES:
            raise QALogError(f"unknown finding category {self.category!r}; one of {', '.join(FINDING_CATEGORIES)}")
        if not isinstance(self.turn, int) or self.turn < 0:
            raise QALogError("a finding's turn is a line index >= 0")
        _refuse_identifier_in_note(self.note)


@dataclass(frozen=True)
class QAReview:
    day: str
    transcript_id: str
    reviewer: str
    verdict: str
    checklist: Mapping[str, bool]  # question key -> "an identifier of this kind is left"
    findings: tuple[Finding, ...] = ()
    reviewed_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    fingerprint: str = ""  # sha256 of the redacted partition the reviewer saw: a re-redacted partition is re-reviewed

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise QALogError(f"verdict must be one of {VERDICTS}")
        if not self.reviewer.strip():
            raise QALogError("a review names its reviewer")
        unknown = set(self.checklist) - set(CHECKLIST)
        if unknown:
            raise QALogError(f"unknown checklist keys {sorted(unknown)}")
        flagged = any(self.checklist.values())
        if self.verdict == "pass" and (self.findings or flagged):
            raise QALogError("a passing review has no finding and answers no to every checklist question")
        if self.verdict == "fail" and not self.findings:
            raise QALogError("a failing review records at least one finding (category and turn)")

    def to_json(self) -> str:
        record = asdict(self)
        record["checklist"] = dict(self.checklist)
        record["findings"] = [asdict(f) for f in self.findings]
        return json.dumps(record, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, record: Mapping[str, object]) -> "QAReview":
        findings = tuple(Finding(**f) for f in record.get("findings", []) or [])  # type: ignore[arg-type]
        return cls(
            day=str(record["day"]),
            transcript_id=str(record["transcript_id"]),
            reviewer=str(record["reviewer"]),
            verdict=str(record["verdict"]),
            checklist=dict(record.get("checklist", {}) or {}),  # type: ignore[arg-type]
            findings=findings,
            reviewed_at=str(record["reviewed_at"]),
            fingerprint=str(record.get("fingerprint", "")),
        )


@dataclass(frozen=True)
class QACorrection:
    """An audited correction of one mistaken review: retracts its findings, keeps it as reviewed."""

    day: str
    transcript_id: str
    corrects: str  # reviewed_at of the review it corrects (with transcript_id and fingerprint: one review)
    fingerprint: str
    reviewer: str
    reason: str
    corrected_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    kind: str = "correction"

    def __post_init__(self) -> None:
        if not self.reviewer.strip():
            raise QALogError("a correction names who corrects")
        if not self.reason.strip():
            raise QALogError("a correction says why the finding was mistaken")
        _refuse_identifier_in_note(self.reason)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    def applies_to(self, review: "QAReview") -> bool:
        return (review.transcript_id, review.reviewed_at, review.fingerprint) == (self.transcript_id, self.corrects, self.fingerprint)


def _refuse_identifier_in_note(note: str) -> None:
    if not note:
        return
    # rules only, whatever the thresholds in force: a log line must read back (and validate) the same under any
    # deployment's thresholds, and the learned model was fitted on call turns, not on a reviewer's note
    direct = [r.category for r in scan_text(note, learned_min_probability=None) if r.is_direct]
    if direct:
        raise QALogError(
            f"the note seems to contain a {direct[0]} itself; describe the finding by category and turn only"
        )


def append_review(log_path: "str | Path | ObjectLog", review: "QAReview | QACorrection") -> None:
    """Append one review (or correction) as one line. Never rewrites the file."""
    append_line(log_path, review.to_json())


def append_line(log_path: "str | Path | ObjectLog", line: str) -> None:
    """One line at the end of an append-only log (the QA log, the release log): locally append mode, exclusive
    lock, fsync; on object storage (``CIPHER_TIER2_LEDGER_ROOT``) one new object under the line's day."""
    if isinstance(log_path, ObjectLog):
        log_path.append(line, json.loads(line).get("day"))
        return
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    line = line + "\n"
    with open(log_path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_lines(log_path: "str | Path | ObjectLog", day: str | None = None) -> list[str]:
    """The non-empty lines of an append-only log, oldest first (on object storage, only ``day``'s when given; a
    local log is read whole and the caller filters). A missing log has none."""
    if isinstance(log_path, ObjectLog):
        return [line for line in log_path.lines(day) if line.strip()]
    log_path = Path(log_path)
    if not log_path.exists():
        return []
    with open(log_path, encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def _records(log_path: "str | Path | ObjectLog", day: str | None) -> list[dict]:
    records = []
    for number, line in enumerate(log_lines(log_path, day), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QALogError(f"QA log line {number} is not JSON") from exc
        if day is None or record.get("day") == day:
            records.append(record)
    return records


def read_corrections(log_path: str | Path, day: str | None = None) -> list[QACorrection]:
    """Every correction in the log (of ``day`` if given), in the order written."""
    return [QACorrection(**r) for r in _records(log_path, day) if r.get("kind") == "correction"]


def read_reviews(log_path: str | Path, day: str | None = None, apply_corrections: bool = True) -> list[QAReview]:
    """Every review in the log (of ``day`` if given), in the order written. A missing log has none.

    With ``apply_corrections`` (what release and coverage read), a review a later correction names reads as
    reviewed with no finding; the log itself keeps both lines."""
    records = _records(log_path, day)
    reviews = [QAReview.from_dict(r) for r in records if r.get("kind") != "correction"]
    if not apply_corrections:
        return reviews
    corrections = [QACorrection(**r) for r in records if r.get("kind") == "correction"]
    return [
        replace(review, verdict="pass", findings=(), checklist={k: False for k in review.checklist})
        if any(c.applies_to(review) for c in corrections)
        else review
        for review in reviews
    ]


def correct_findings(log_path: str | Path, day: str, transcript_id: str, fingerprint: str, reviewer: str, reason: str) -> list[QACorrection]:
    """Correct every standing finding of ``transcript_id`` in partition version ``fingerprint``: one audited
    correction line per failing review. Raises :class:`QALogError` when there is nothing to correct."""
    standing = [
        r for r in read_reviews(log_path, day=day)
        if r.transcript_id == transcript_id and r.fingerprint == fingerprint and r.findings
    ]  # fmt: skip
    if not standing:
        raise QALogError(f"no standing finding for transcript {transcript_id} of {day} in the partition on disk")
    corrections = [QACorrection(day, transcript_id, r.reviewed_at, fingerprint, reviewer, reason) for r in standing]
    for correction in corrections:
        append_review(log_path, correction)
    return corrections


@dataclass(frozen=True)
class Coverage:
    """How far the human review of one partition's sample has got."""

    required: int
    reviewed: int
    findings: int
    complete: bool  # every sampled transcript reviewed (vacuously true for an empty partition)
    finding_categories: Mapping[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Fully reviewed and nothing found: what release waits on."""
        return self.complete and self.findings == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "required": self.required,
            "reviewed": self.reviewed,
            "findings": self.findings,
            "complete": self.complete,
            "passed": self.passed,
            "finding_categories": dict(self.finding_categories),
        }


def latest_reviews(reviews: Iterable[QAReview], fingerprint: str | None = None) -> dict[str, QAReview]:
    """The latest review per transcript id, only of the partition version ``fingerprint`` when given."""
    latest: dict[str, QAReview] = {}
    for review in reviews:
        if fingerprint is not None and review.fingerprint != fingerprint:
            continue
        latest[review.transcript_id] = review
    return latest


def qa_coverage(sample: Sequence[str], reviews: Iterable[QAReview], fingerprint: str | None = None) -> Coverage:
    """Coverage of ``sample`` by ``reviews`` (already filtered to the partition's day).

    A finding counts if any review of a sampled transcript of this partition version failed, even if a later
    review passed it: a finding blocks until the partition is re-redacted (new fingerprint) and reviewed again.
    """
    wanted = set(sample)
    relevant = [r for r in reviews if r.transcript_id in wanted and (fingerprint is None or r.fingerprint == fingerprint)]
    reviewed = set(latest_reviews(relevant))
    categories: dict[str, int] = {}
    for review in relevant:
        for finding in review.findings:
            categories[finding.category] = categories.get(finding.category, 0) + 1
    findings = sum(len(r.findings) for r in relevant)
    return Coverage(
        required=len(wanted),
        reviewed=len(reviewed),
        findings=findings,
        complete=reviewed >= wanted,
        finding_categories=dict(sorted(categories.items())),
    )
