"""The gate that holds across runs: one evidence record per partition, and ``require_release`` in front of Tier 3.

Why a ledger and not only Dagster asset checks: a check result lives in one run's event log, while Tier 3 can be
started from the UI, a backfill, the sensor, the schedule or the CLI. Every Tier 3 writer calls
:func:`require_release` first; it reads one small JSON file and the QA log, so it is cheap, and it refuses unless
the gate evidence for that day exists, passed, was made for exactly the redacted partition now on disk (sha256
fingerprint) under the thresholds now in force, no reviewer recorded a finding in it, and (when required) human
QA of its sample is complete.

Evidence holds counts, categories, rates, versions and ids (Tier 2 pseudonyms) only: no identifier text.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import polars as pl

from cipher_pipeline.digests import sha256_file
from cipher_pipeline.gate.paths import DAY_PATTERN, GatePaths, check_day
from cipher_pipeline.gate.qa_log import latest_reviews, qa_coverage, read_reviews
from cipher_pipeline.gate.residual import PartitionScan, redaction_totals, scan_frame
from cipher_pipeline.gate.residual_estimate import describe_estimate, estimate_residual_rate
from cipher_pipeline.gate.thresholds import RATE_CATEGORIES, GateThresholds
from cipher_pipeline.object_store import ObjectRoot

# 2 (session 13): ``residuals.residual_estimate.rate`` may be null (not estimated: no unflagged transcript
# reviewed), and the gate names the day's random QA sample (``qa.sample``, ``qa.sample_seed``) when it judges the
# day. Version 1 records load and print unchanged: readers take the estimate's counts, not its stored 0
# (residual_estimate.estimate_is_known).
EVIDENCE_SCHEMA_VERSION = 2


class GateClosed(RuntimeError):
    """Release to Tier 3 is refused for a partition; ``reason`` says why in one sentence (no identifiers)."""

    def __init__(self, day: str, reason: str):
        super().__init__(f"Safe Harbor gate closed for {day}: {reason}")
        self.day = day
        self.reason = reason


@dataclass(frozen=True)
class CheckOutcome:
    """One blocking check of the gate, shaped so that it maps onto one Dagster asset check result."""

    name: str
    passed: bool
    description: str
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GateEvidence:
    """What an auditor reads for one partition: why it was (or was not) released."""

    day: str
    status: str  # "pass" or "fail": the automated checks; human QA is checked live at release
    reasons: tuple[str, ...]
    fingerprint: str
    thresholds_digest: str
    thresholds: Mapping[str, Any]
    engine_versions: tuple[str, ...]
    asr_models: tuple[str, ...]
    transcripts: int
    tokens: int
    identifiers_removed: Mapping[str, int]
    residuals: Mapping[str, Any]
    checks: tuple[CheckOutcome, ...]
    gx: Mapping[str, Any] | None
    qa: Mapping[str, Any]
    evaluated_at: str
    schema_version: int = EVIDENCE_SCHEMA_VERSION

    @property
    def scan_flagged(self) -> tuple[str, ...]:
        """The transcripts the residual scan flagged when the gate judged this partition (the reviewer's queue has
        them all; the random QA sample is drawn from the others)."""
        return tuple(self.qa.get("scan_flagged") or ())

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def check(self, name: str) -> CheckOutcome:
        for outcome in self.checks:
            if outcome.name == name:
                return outcome
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "GateEvidence":
        data = dict(data)
        data["reasons"] = tuple(data.get("reasons", ()))
        data["engine_versions"] = tuple(data.get("engine_versions", ()))
        data["asr_models"] = tuple(data.get("asr_models", ()))
        data["checks"] = tuple(CheckOutcome(**c) for c in data.get("checks", ()))
        return cls(**data)

    def markdown(self) -> str:
        """A short Markdown view for the asset page: counts and categories only."""
        lines = [
            f"**Gate {self.status.upper()}** for {self.day} ({self.transcripts} transcripts, {self.tokens} tokens)",
            "",
            "| check | result |",
            "| --- | --- |",
        ]
        lines += [f"| {c.name} | {'pass' if c.passed else 'FAIL'}: {c.description} |" for c in self.checks]
        if self.identifiers_removed:
            lines += ["", "Identifiers removed: " + ", ".join(f"{k} {v}" for k, v in self.identifiers_removed.items())]
        counts = self.residuals.get("counts", {})
        lines += ["", "Residuals found by the independent scan: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none")]
        lines += ["", describe_estimate(self.residuals.get("residual_estimate"))]
        lines += [f"Engine {', '.join(self.engine_versions) or '?'}; ASR {', '.join(self.asr_models) or '?'}"]
        if self.reasons:
            lines += ["", "Reasons: " + "; ".join(self.reasons)]
        return "\n".join(lines)


def fingerprint_file(path: str | Path) -> str:
    """sha256 of a file's bytes: the identity of a redacted partition as written."""
    return sha256_file(path)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def residual_checks(scan: PartitionScan, thresholds: GateThresholds) -> list[CheckOutcome]:
    """The three residual checks: zero direct identifiers, quasi rates under threshold, dates reduced to year."""
    summary = scan.summary()
    direct_counts = {c: n for c, n in sorted(scan.counts.items()) if c not in RATE_CATEGORIES and n}
    outcomes = [
        CheckOutcome(
            "residual_direct_identifiers",
            scan.direct_total <= thresholds.max_direct,
            f"{scan.direct_total} residual direct identifiers (max {thresholds.max_direct})"
            + (": " + ", ".join(f"{c} {n}" for c, n in direct_counts.items()) if direct_counts else ""),
            {
                "residual_direct_total": scan.direct_total,
                "max_direct": thresholds.max_direct,
                "by_category": direct_counts,
                "transcripts_with_direct": summary["transcripts_with_direct"],
            },
        )
    ]
    rates = {c: round(scan.rate_per_10k(c), 3) for c in RATE_CATEGORIES}
    over = {c: r for c, r in rates.items() if r > thresholds.max_quasi_rate_per_10k_tokens[c]}
    outcomes.append(
        CheckOutcome(
            "residual_quasi_rate",
            not over,
            "residual per 10k tokens: "
            + ", ".join(f"{c} {rates[c]} (max {thresholds.max_quasi_rate_per_10k_tokens[c]})" for c in RATE_CATEGORIES),
            {
                "rates_per_10k_tokens": rates,
                "max_rates_per_10k_tokens": dict(thresholds.max_quasi_rate_per_10k_tokens),
                "counts": {c: scan.counts.get(c, 0) for c in RATE_CATEGORIES},
                "tokens": scan.tokens,
            },
        )
    )
    outcomes.append(
        CheckOutcome(
            "dates_reduced_to_year",
            scan.date_elements <= thresholds.max_day_precise_dates,
            f"{scan.date_elements} residual date elements other than the year (max {thresholds.max_day_precise_dates})",
            {"date_elements": scan.date_elements, "day_precise_dates": scan.day_precise_dates,
             "max": thresholds.max_day_precise_dates},
        )
    )
    return outcomes


def tier1_overlap_check(transcript_ids: Iterable[str], tier1_ids: Iterable[str]) -> CheckOutcome:
    """No Tier 2 transcript id may equal a Tier 1 id (call id or any other): the pseudonym must not link back."""
    overlap = len(set(transcript_ids) & set(tier1_ids))
    return CheckOutcome(
        "no_tier1_id_in_tier2",
        overlap == 0,
        f"{overlap} transcript ids equal a Tier 1 id",
        {"overlapping_ids": overlap},
    )


def gx_check(gx_summary: Mapping[str, Any] | None) -> CheckOutcome | None:
    if gx_summary is None:
        return None
    failed = list(gx_summary.get("failed", []))
    return CheckOutcome(
        "great_expectations",
        bool(gx_summary.get("success")),
        f"GX suite {gx_summary.get('suite_name', '?')}: "
        + ("all expectations met" if not failed else "failed " + ", ".join(failed)),
        {"failed_expectations": failed, "statistics": dict(gx_summary.get("statistics", {}))},
    )


def evaluate_partition(
    day: str,
    redacted: Any,
    fingerprint: str,
    thresholds: GateThresholds,
    tier1_ids: Iterable[str],
    gx_summary: Mapping[str, Any] | None = None,
    qa_sample: Sequence[str] | None = None,
    qa_seed: str | int | None = None,
    scan: PartitionScan | None = None,
) -> GateEvidence:
    """Run the automated gate on one partition's ``redacted_transcripts`` (a polars DataFrame).

    ``fingerprint`` is :func:`fingerprint_file` of the partition Parquet file the frame was read from;
    ``tier1_ids`` every Tier 1 id the transcript ids must not equal (at least the day's call ids);
    ``gx_summary`` :meth:`cipher_pipeline.gate.expectations.GXResult.summary` when GX ran; ``qa_sample`` the
    day's QA sample (recorded here so release checks coverage against exactly that sample).
    """
    check_day(day)
    scan = scan if scan is not None else scan_frame(redacted, learned_min_probability=thresholds.learned_min_probability)
    ids = list(redacted["transcript_id"])
    checks = residual_checks(scan, thresholds)
    checks.append(tier1_overlap_check(ids, tier1_ids))
    gx_outcome = gx_check(gx_summary)
    if gx_outcome is not None:
        checks.append(gx_outcome)
    reasons = tuple(f"{c.name}: {c.description}" for c in checks if not c.passed)
    columns = set(redacted.columns)
    return GateEvidence(
        day=day,
        status="fail" if reasons else "pass",
        reasons=reasons,
        fingerprint=fingerprint,
        thresholds_digest=thresholds.digest(),
        thresholds=thresholds.to_dict(),
        engine_versions=tuple(sorted({str(v) for v in redacted["engine_version"]})) if "engine_version" in columns else (),
        asr_models=tuple(sorted({str(v) for v in redacted["asr_model"]})) if "asr_model" in columns else (),
        transcripts=len(ids),
        tokens=scan.tokens,
        identifiers_removed=redaction_totals(redacted["redaction_counts"]) if "redaction_counts" in columns else {},
        residuals={**scan.summary(), "offsets": scan.offsets()},
        checks=tuple(checks),
        gx=dict(gx_summary) if gx_summary is not None else None,
        qa={
            "required_for_release": thresholds.qa_required_for_release,
            "sample": sorted(qa_sample) if qa_sample is not None else None,
            # Every transcript the scan flagged goes to the reviewer too, beside the random sample.
            "scan_flagged": scan.flagged_ids(),
            "sample_seed": None if qa_seed is None else str(qa_seed),
            "coverage": None,
        },
        evaluated_at=_now(),
    )


def write_evidence(evidence_dir: str | Path | ObjectRoot, evidence: GateEvidence) -> Path | str:
    """Write ``<evidence_dir>/<day>.json`` whole: locally by temp file, fsync and rename, on object storage by one
    PUT (visible whole); readers see old or new. Returns the path (or URL) written."""
    payload = json.dumps(evidence.to_dict(), indent=2, sort_keys=True) + "\n"
    name = f"{check_day(evidence.day)}.json"
    if isinstance(evidence_dir, ObjectRoot):
        evidence_dir.write_bytes(payload.encode("utf-8"), name)
        return evidence_dir.url_of(name)
    evidence_dir = Path(evidence_dir)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    path = evidence_dir / name
    tmp = evidence_dir / f".{path.name}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def read_evidence(evidence_dir: str | Path | ObjectRoot, day: str) -> GateEvidence | None:
    """The evidence record of ``day``, or ``None`` when the gate never ran for it."""
    name = f"{check_day(day)}.json"
    if isinstance(evidence_dir, ObjectRoot):
        try:
            return GateEvidence.from_dict(json.loads(evidence_dir.read_bytes(name)))
        except FileNotFoundError:
            return None
    path = Path(evidence_dir) / name
    if not path.exists():
        return None
    return GateEvidence.from_dict(json.loads(path.read_text(encoding="utf-8")))


def evidence_days(evidence_dir: str | Path | ObjectRoot) -> list[str]:
    """Every day with an evidence record, in order (the days the gate has judged)."""
    if isinstance(evidence_dir, ObjectRoot):
        names = evidence_dir.names()
    else:
        folder = Path(evidence_dir)
        names = [p.name for p in folder.glob("*.json")] if folder.exists() else []
    return sorted(n[:-5] for n in names if n.endswith(".json") and DAY_PATTERN.match(n[:-5]))


def qa_queue(evidence: GateEvidence, qa_sample: Sequence[str] | None = None) -> list[str] | None:
    """What human QA must review in the evidence's partition: the random sample plus every scan-flagged
    transcript (``None`` before a sample was drawn)."""
    sample = list(qa_sample) if qa_sample is not None else evidence.qa.get("sample")
    if sample is None:
        return None
    return sorted(set(sample) | set(evidence.scan_flagged))


def qa_status(evidence: GateEvidence, qa_log_path: str | Path, qa_sample: Sequence[str] | None = None):
    """Live QA coverage of the evidence's review queue (random sample plus scan-flagged transcripts) on its
    partition version (reviews of another fingerprint do not count)."""
    queue = qa_queue(evidence, qa_sample)
    if queue is None:
        return None
    return qa_coverage(queue, read_reviews(qa_log_path, day=evidence.day), fingerprint=evidence.fingerprint)


def residual_estimate(evidence: GateEvidence, qa_log_path: str | Path, qa_sample: Sequence[str] | None = None):
    """The auditor's estimated share of the partition's transcripts holding a residual identifier, and its upper
    bound (gate/residual_estimate.py): scan-flagged transcripts count unless a reviewer cleared them; the random
    sample's reviewed unflagged transcripts estimate what the scan cannot see."""
    flagged = set(evidence.scan_flagged)
    sample = set(qa_sample if qa_sample is not None else evidence.qa.get("sample") or ())
    reviews = [r for r in read_reviews(qa_log_path, day=evidence.day) if r.fingerprint == evidence.fingerprint]
    with_finding = {r.transcript_id for r in reviews if r.findings}
    reviewed = set(latest_reviews(reviews))
    cleared = {t for t in flagged & reviewed if t not in with_finding}
    unflagged_reviewed = (sample - flagged) & reviewed
    return estimate_residual_rate(
        evidence.transcripts,
        len(flagged - cleared),
        len(unflagged_reviewed),
        len(unflagged_reviewed & with_finding),
    )


# The checks whose failure rests on the residual scan's flags alone. A reviewer who reads every flagged
# transcript (the flagged turn marked) and finds no identifier has shown each flag to be a false alarm, so these
# checks are cleared by review; the others (a Tier 1 id in Tier 2, the GX suite) are not a matter of judgment.
SCAN_CHECKS = frozenset({"residual_direct_identifiers", "residual_quasi_rate", "dates_reduced_to_year"})


@dataclass(frozen=True)
class ScanClearance:
    """How far human review has cleared a day that failed only on the residual scan's flags.

    Clearing the flags alone proves nothing about the transcripts the scan did not flag (with QA off, the reviewer
    would have read only those), so a release on review clearance also needs the day's random QA sample (the one
    the evidence names, drawn as ``cipher qa sample`` draws it) reviewed with no finding, whatever the ``qa``
    setting: every such release rests on the flagged transcripts *and* a random sample.

    ``cleared`` counts flagged transcripts reviewed on the evidence's partition version with no standing finding
    (corrections applied); ``confirmed`` flagged ones where a reviewer found an identifier. ``sample`` is the random
    sample's size (None: none drawn for this partition), ``sample_reviewed`` how many of it are reviewed, and
    ``sample_findings`` how many of it hold a finding. A finding anywhere is a regression case and holds the day."""

    scan_checks_failed: tuple[str, ...]
    other_checks_failed: tuple[str, ...]
    flagged: int
    cleared: int
    confirmed: int
    sample: int | None = None
    sample_reviewed: int = 0
    sample_findings: int = 0

    @property
    def sample_cleared(self) -> bool:
        return self.sample is not None and self.sample_reviewed == self.sample and not self.sample_findings

    @property
    def clears_gate(self) -> bool:
        return (
            self.applies and self.flagged > 0 and self.cleared == self.flagged and not self.confirmed
            and self.sample_cleared
        )  # fmt: skip

    @property
    def applies(self) -> bool:
        """Whether review can release the day at all (only scan checks failed)."""
        return bool(self.scan_checks_failed) and not self.other_checks_failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "scan_checks_failed": list(self.scan_checks_failed),
            "other_checks_failed": list(self.other_checks_failed),
            "flagged": self.flagged,
            "cleared": self.cleared,
            "confirmed": self.confirmed,
            "sample": self.sample,
            "sample_reviewed": self.sample_reviewed,
            "sample_findings": self.sample_findings,
            "clears_gate": self.clears_gate,
        }

    def progress(self) -> str:
        """What review has covered so far, flags and sample (``cipher qa status`` prints it)."""
        sample = ("no random QA sample drawn" if self.sample is None
                  else f"{self.sample_reviewed}/{self.sample} of the random QA sample reviewed, {self.sample_findings} with a finding")  # fmt: skip
        return f"{self.cleared}/{self.flagged} flagged transcripts cleared, {self.confirmed} confirmed; {sample}"

    def reason(self) -> str:
        """The sentence :func:`require_release` adds to a failed day's refusal (none when review cannot help)."""
        if not self.applies:
            return ""
        if self.confirmed or self.sample_findings:
            found = []
            if self.confirmed:
                found.append(f"{self.confirmed} of {self.flagged} flagged transcripts")
            if self.sample_findings:
                found.append(f"{self.sample_findings} of {self.sample} transcripts of the random QA sample")
            return f"; a reviewer confirmed an identifier in {' and '.join(found)} (a regression case for the redactor)"
        if self.sample is None:
            return (f"; only the residual scan's flags hold it: {self.cleared}/{self.flagged} flagged transcripts "
                    "cleared by review, and no QA sample was drawn for this partition (a release on review needs the "
                    "flags and the random QA sample reviewed with no finding)")  # fmt: skip
        return (f"; only the residual scan's flags hold it: {self.cleared}/{self.flagged} flagged transcripts "
                f"cleared by review and {self.sample_reviewed}/{self.sample} of the random QA sample reviewed with no "
                "finding (reviewing every flagged and every sampled transcript with no finding releases the day)")  # fmt: skip


def scan_clearance(evidence: GateEvidence, qa_log_path: str | Path, qa_sample: Sequence[str] | None = None) -> ScanClearance:
    """The reviewer's clearance of the scan's flags and of the random QA sample in the evidence's partition
    version, read live from the QA log. ``qa_sample`` overrides the sample the evidence names."""
    failed = [c.name for c in evidence.checks if not c.passed]
    flagged = set(evidence.scan_flagged)
    recorded = qa_sample if qa_sample is not None else evidence.qa.get("sample")
    sample = None if recorded is None else set(recorded)
    reviews = [r for r in read_reviews(qa_log_path, day=evidence.day)
               if r.fingerprint == evidence.fingerprint and (r.transcript_id in flagged or r.transcript_id in (sample or ()))]  # fmt: skip
    with_finding = {r.transcript_id for r in reviews if r.findings}
    reviewed = set(latest_reviews(reviews))
    return ScanClearance(
        scan_checks_failed=tuple(n for n in failed if n in SCAN_CHECKS),
        other_checks_failed=tuple(n for n in failed if n not in SCAN_CHECKS),
        flagged=len(flagged),
        cleared=len((reviewed & flagged) - with_finding),
        confirmed=len(with_finding & flagged),
        sample=None if sample is None else len(sample),
        sample_reviewed=len(reviewed & (sample or set())),
        sample_findings=len(with_finding & (sample or set())),
    )


def record_qa_coverage(
    evidence_dir: str | Path, day: str, qa_log_path: str | Path, qa_sample: Sequence[str] | None = None
) -> GateEvidence | None:
    """Refresh the QA coverage snapshot and the residual-rate estimate in the evidence record (the auditor's
    view: counts, thresholds and the estimated rate with its upper bound side by side); returns the record."""
    evidence = read_evidence(evidence_dir, day)
    if evidence is None:
        return None
    coverage = qa_status(evidence, qa_log_path, qa_sample)
    qa = dict(evidence.qa)
    if qa_sample is not None:
        qa["sample"] = sorted(qa_sample)
    qa["coverage"] = None if coverage is None else {**coverage.as_dict(), "as_of": _now()}
    if not evidence.passed:  # the reviewer's clearance of the scan's flags, beside the checks it answers
        qa["scan_clearance"] = {**scan_clearance(evidence, qa_log_path, qa.get("sample")).as_dict(), "as_of": _now()}
    evidence = replace(evidence, qa=qa)
    estimate = residual_estimate(evidence, qa_log_path)
    evidence = replace(evidence, residuals={**evidence.residuals, "residual_estimate": estimate.as_dict()})
    write_evidence(evidence_dir, evidence)
    return evidence


def require_release(
    evidence_dir: str | Path,
    day: str,
    current_fingerprint: str | None,
    qa_log_path: str | Path,
    thresholds: GateThresholds,
    qa_sample: Sequence[str] | None = None,
) -> GateEvidence:
    """Return the partition's evidence if it may be released to Tier 3; raise :class:`GateClosed` otherwise.

    ``current_fingerprint`` is :func:`fingerprint_file` of the redacted partition on disk now (``None`` if it is
    missing). ``thresholds`` are the ones in force now (whether QA is required: :func:`qa_required`).
    ``qa_sample`` overrides the sample recorded in the evidence.
    """
    check_day(day)
    if current_fingerprint is None:
        raise GateClosed(day, "there is no redacted_transcripts partition for this day")
    evidence = read_evidence(evidence_dir, day)
    if evidence is None:
        raise GateClosed(day, "the gate checks never ran for this partition (no evidence record)")
    if not evidence.passed:
        # A day that failed only on the scan's flags opens once a reviewer cleared every flag and reviewed the
        # day's random QA sample with no finding (the QA log says who and when; the evidence's qa.scan_clearance
        # records it); any other failure, or a finding, holds.
        clearance = scan_clearance(evidence, qa_log_path, qa_sample)
        if not clearance.clears_gate:
            raise GateClosed(day, "the gate checks failed: " + "; ".join(evidence.reasons) + clearance.reason())
    if evidence.fingerprint != current_fingerprint:
        raise GateClosed(day, "the gate evidence is stale: the redacted partition changed after the checks ran")
    if evidence.thresholds_digest != thresholds.digest():
        raise GateClosed(day, "the gate evidence is stale: the thresholds changed after the checks ran")
    coverage = qa_status(evidence, qa_log_path, qa_sample)
    # A finding blocks even when QA is not required: a person saw an identifier in this very partition.
    if coverage is not None and coverage.findings:
        cats = ", ".join(f"{c} {n}" for c, n in coverage.finding_categories.items())
        raise GateClosed(day, f"human QA found {coverage.findings} residual identifier(s): {cats}")
    if qa_required(evidence, thresholds):
        if coverage is None:
            raise GateClosed(day, "human QA is required but no QA sample was drawn for this partition")
        if not coverage.complete:
            raise GateClosed(day, f"human QA is incomplete: {coverage.reviewed}/{coverage.required} reviewed")
    return evidence


def qa_required(evidence: GateEvidence | None, thresholds: GateThresholds) -> bool:
    """Whether the day's release waits on human QA: the deployment's switch when it is stated now
    (``thresholds.qa_required_stated``), else the requirement the day's gate run recorded in its evidence (a day
    gated with QA off, as the demo's are, is released and reported by that; re-gating the day applies the current
    thresholds file). The gate, the release log and every report (``cipher status``, ``cipher qa status``, the
    release sensor) ask this one function."""
    if thresholds.qa_required_stated or evidence is None:
        return thresholds.qa_required_for_release
    recorded = evidence.qa.get("required_for_release")
    return thresholds.qa_required_for_release if recorded is None else bool(recorded)


def read_released(paths: GatePaths, day: str, thresholds: GateThresholds) -> tuple[pl.DataFrame, GateEvidence]:
    """The gate's answer to "may this day be released?": the day's redacted partition and the evidence it was
    released on, only if the gate released exactly these bytes; else :class:`GateClosed`.

    The bytes are read once and both fingerprinted and parsed, so the partition cannot change between the
    gate's answer and its use.
    """
    partition = paths.redacted_partition(day)
    payload = partition.read_bytes() if partition.exists() else None
    fingerprint = hashlib.sha256(payload).hexdigest() if payload is not None else None
    evidence = require_release(paths.gate_evidence_dir, day, fingerprint, paths.qa_log, thresholds)
    return pl.read_parquet(io.BytesIO(payload)), evidence


def require_release_for_day(paths: GatePaths, day: str, thresholds: GateThresholds) -> GateEvidence:
    """:func:`require_release` with every path from the data root's conventions (what Tier 3 assets call)."""
    partition = paths.redacted_partition(day)
    fingerprint = fingerprint_file(partition) if partition.exists() else None
    return require_release(paths.gate_evidence_dir, day, fingerprint, paths.qa_log, thresholds)
