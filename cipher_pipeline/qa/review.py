"""The terminal review session behind ``cipher qa review``.

It reads and writes plain lines on the given streams, so a person uses it at a terminal and a test (or a script)
drives it through stdin. It shows Tier 2 text only (the already redacted transcript), walks the reviewer through
the Safe Harbor checklist of :data:`cipher_pipeline.gate.qa_log.CHECKLIST`, and appends one review per transcript to
the QA log. A finding is recorded as category and turn, becomes a regression case for the engine, and blocks the
partition's release.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

import polars as pl

from cipher_pipeline.gate.ledger import (
    fingerprint_file, qa_queue, read_evidence, record_qa_coverage, residual_estimate, scan_clearance,
)  # fmt: skip
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.release import RELEASED, day_release, withdraw_on_finding
from cipher_pipeline.gate.qa_log import (
    CHECKLIST,
    Coverage,
    Finding,
    QALogError,
    QAReview,
    append_review,
    latest_reviews,
    qa_coverage,
    read_reviews,
)
from cipher_pipeline.gate.residual import line_of_offset, scan_text
from cipher_pipeline.gate.residual_estimate import describe_estimate
from cipher_pipeline.gate.thresholds import GateThresholds, load_thresholds
from cipher_pipeline.qa.regression import regression_cases, write_regression_cases
from cipher_pipeline.qa.sample import read_sample


class _Quit(Exception):
    """The reviewer typed q, or the input ended: stop, keeping what was recorded."""


@dataclass(frozen=True)
class ReviewPlan:
    """What a session reviews: the partition version (fingerprint), its sample and what is still open."""

    day: str
    fingerprint: str
    sample: tuple[str, ...]
    pending: tuple[str, ...]
    texts: dict[str, str]


class ReviewSetupError(RuntimeError):
    """The partition cannot be reviewed yet (no redacted partition or no QA sample)."""


def plan_review(paths: GatePaths, day: str) -> ReviewPlan:
    """Load the day's sample and redacted texts; pending are the sampled ids not yet reviewed on this version."""

    partition = paths.redacted_partition(day)
    sample_path = paths.qa_sample_partition(day)
    if not partition.exists():
        raise ReviewSetupError(f"no redacted_transcripts partition for {day}; materialize it first")
    fingerprint = fingerprint_file(partition)
    # Prefer the queue the gate evidence records (release checks coverage against it: the random sample plus
    # every scan-flagged transcript), else the qa_sample file.
    recorded = _gating_queue(paths, day, fingerprint)
    if recorded is None and not sample_path.exists():
        # No random sample (QA not required, as in the demo), but the scan flagged transcripts: a day held only
        # by those flags is released by reviewing them, so they are the queue.
        recorded = sorted(_scan_flagged(paths, day, fingerprint)) or None
    if recorded is None and not sample_path.exists():
        raise ReviewSetupError(f"no QA sample for {day}; materialize qa_sample (or run `cipher qa sample --day {day}`)")
    sample = tuple(recorded if recorded is not None else read_sample(sample_path))
    frame = pl.read_parquet(partition, columns=["transcript_id", "redacted_text"])
    wanted = set(sample)
    texts = {tid: text for tid, text in zip(frame["transcript_id"], frame["redacted_text"]) if tid in wanted}
    missing = [tid for tid in sample if tid not in texts]
    if missing:
        raise ReviewSetupError(f"{len(missing)} sampled transcripts are not in the redacted partition; redraw the sample")
    done = latest_reviews(read_reviews(paths.qa_log, day=day), fingerprint=fingerprint)
    # Scan-flagged transcripts first: they are where an identifier most likely is.
    flagged = _scan_flagged(paths, day, fingerprint)
    pending = tuple(sorted((tid for tid in sample if tid not in done), key=lambda tid: (tid not in flagged, tid)))
    return ReviewPlan(day, fingerprint, sample, pending, texts)


def _gating_queue(paths: GatePaths, day: str, fingerprint: str) -> list[str] | None:
    """The review queue the gate evidence of this partition version records (what release checks), if any."""
    evidence = read_evidence(paths.gate_evidence_dir, day)
    if evidence is None or evidence.fingerprint != fingerprint:
        return None
    return qa_queue(evidence)


def _scan_flagged(paths: GatePaths, day: str, fingerprint: str) -> set[str]:
    evidence = read_evidence(paths.gate_evidence_dir, day)
    if evidence is None or evidence.fingerprint != fingerprint:
        return set()
    return set(evidence.scan_flagged)


def coverage_of(paths: GatePaths, plan: ReviewPlan) -> Coverage:
    return qa_coverage(plan.sample, read_reviews(paths.qa_log, day=plan.day), fingerprint=plan.fingerprint)


class _Prompter:
    def __init__(self, stdin: TextIO, stdout: TextIO):
        self.stdin = stdin
        self.stdout = stdout

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if line == "":
            self.say()
            raise _Quit  # input ended: same as q
        answer = line.strip()
        if not self.stdin.isatty():
            self.stdout.write(answer + "\n")  # echo scripted answers so a captured session reads like a terminal one
        if answer.lower() in ("q", "quit"):
            raise _Quit
        return answer

    def yes_no(self, prompt: str) -> bool:
        while True:
            answer = self.ask(f"{prompt} [y/n] ").lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            self.say("  please answer y or n (q to stop)")

    def choose(self, prompt: str, options: tuple[str, ...]) -> str:
        if len(options) == 1:
            return options[0]
        while True:
            answer = self.ask(f"{prompt} ({'/'.join(options)}) ").upper()
            if answer in options:
                return answer
            self.say(f"  one of {', '.join(options)}")

    def turn(self, last: int) -> int:
        while True:
            answer = self.ask(f"    which turn (line number 0-{last})? ")
            if answer.isdigit() and 0 <= int(answer) <= last:
                return int(answer)
            self.say(f"  a line number between 0 and {last}")


def flagged_turns(text: str, learned_min_probability: float | None = None) -> dict[int, list[str]]:
    """Turn (line) index -> categories the independent scan flagged in it: where the scan looked (the learned
    family at the thresholds' value in force, as the gate ran it)."""
    turns: dict[int, list[str]] = {}
    for residual in scan_text(text, learned_min_probability=learned_min_probability):
        cats = turns.setdefault(line_of_offset(text, residual.start), [])
        if residual.category not in cats:
            cats.append(residual.category)
    return turns


def render_for_review(text: str, learned_min_probability: float | None = None) -> list[str]:
    """The redacted (Tier 2) text as numbered turns, each turn the scan flagged marked ``>>`` with its categories.
    Only Tier 2 text is ever shown: the reviewer never sees the Tier 1 transcript."""
    lines = text.splitlines()
    width = len(str(max(len(lines) - 1, 0)))
    flags = flagged_turns(text, learned_min_probability)
    out = []
    for number, line in enumerate(lines):
        mark = ">>" if number in flags else "  "
        out.append(f"{mark}{number:>{width}}  {line}" + (f"    <-- scan: {', '.join(flags[number])}" if number in flags else ""))
    if flags:
        out.append("  the scan flagged the turns marked >> (check these first): "
                   + ", ".join(f"turn {t} {'/'.join(c)}" for t, c in sorted(flags.items())))  # fmt: skip
    return out


def _show(prompter: _Prompter, text: str, learned_min_probability: float | None) -> None:
    for line in render_for_review(text, learned_min_probability):
        prompter.say(line)


def run_review(
    paths: GatePaths, day: str, reviewer: str, stdin: TextIO, stdout: TextIO, thresholds: GateThresholds | None = None
) -> Coverage:
    """Walk ``reviewer`` through every pending sampled transcript of ``day``; returns the coverage afterwards.

    ``thresholds`` is ``thresholds_in_force(settings)`` (None: the repository's): the turns marked for the reviewer
    are the scan's as the gate ran it, learned family included when it is on."""
    learned_min_probability = (thresholds or load_thresholds()).learned_min_probability
    plan = plan_review(paths, day)
    prompter = _Prompter(stdin, stdout)
    coverage = coverage_of(paths, plan)
    prompter.say(
        f"QA review of {day}: {coverage.required} sampled, {coverage.reviewed}/{coverage.required} reviewed, "
        f"{coverage.findings} findings. Answer y if the identifier is still in the text. q stops (saved so far)."
    )
    if not plan.pending:
        prompter.say("Nothing left to review for this partition.")
        return coverage
    engine_version = _engine_version(paths, day)
    try:
        for position, transcript_id in enumerate(plan.pending, start=1):
            text = plan.texts[transcript_id]
            prompter.say("")
            prompter.say(f"=== {position} of {len(plan.pending)} pending: transcript {transcript_id} "
                         f"({coverage.reviewed}/{coverage.required} reviewed) ===")  # fmt: skip
            _show(prompter, text, learned_min_probability)
            checklist: dict[str, bool] = {}
            findings: list[Finding] = []
            last_turn = max(len(text.splitlines()) - 1, 0)
            for key, (question, categories) in CHECKLIST.items():
                found = prompter.yes_no(f"  {question}")
                checklist[key] = found
                while found:
                    category = prompter.choose("    category", categories)
                    turn = prompter.turn(last_turn)
                    findings.append(_finding_with_note(prompter, category, turn))
                    found = prompter.yes_no("    another one of this kind?")
            review = QAReview(
                day=day,
                transcript_id=transcript_id,
                reviewer=reviewer,
                verdict="fail" if findings else "pass",
                checklist=checklist,
                findings=tuple(findings),
                fingerprint=plan.fingerprint,
            )
            append_review(paths.qa_log, review)
            if findings:
                write_regression_cases(paths.regression_cases_dir, regression_cases(review, engine_version))
                # A finding after release takes the day's Tier 3 output back (audited in the release log).
                withdrawn = withdraw_on_finding(paths, day)
                if withdrawn:
                    prompter.say(f"  the day was already released: Tier 3 output WITHDRAWN ({', '.join(withdrawn)})")
            coverage = coverage_of(paths, plan)
            prompter.say(f"  recorded: {review.verdict}" + (f" ({len(findings)} finding(s))" if findings else "")
                         + f". {coverage.reviewed}/{coverage.required} reviewed")  # fmt: skip
    except _Quit:
        prompter.say("Stopped; reviews so far are saved.")
    coverage = coverage_of(paths, plan)
    _refresh_evidence(paths, day)
    prompter.say(_coverage_line(coverage))
    return coverage


def _finding_with_note(prompter: _Prompter, category: str, turn: int) -> Finding:
    while True:
        note = prompter.ask("    note (optional; describe it, do not type the identifier itself): ")
        try:
            return Finding(category, turn, note)
        except QALogError as exc:
            prompter.say(f"  {exc}")


def _coverage_line(coverage: Coverage) -> str:
    state = "complete" if coverage.complete else "incomplete"
    verdict = "releasable" if coverage.passed else ("BLOCKED by findings" if coverage.findings else "waiting on review")
    cats = ", ".join(f"{c} {n}" for c, n in coverage.finding_categories.items())
    return (f"Coverage: {coverage.reviewed}/{coverage.required} reviewed ({state}), {coverage.findings} findings"
            + (f" [{cats}]" if cats else "") + f": {verdict}.")  # fmt: skip


def _engine_version(paths: GatePaths, day: str) -> str:
    evidence = read_evidence(paths.gate_evidence_dir, day)
    return ",".join(evidence.engine_versions) if evidence else ""


def _refresh_evidence(paths: GatePaths, day: str) -> None:
    """Keep the auditor's snapshot of QA coverage in the evidence record current (if the gate has run)."""

    evidence = read_evidence(paths.gate_evidence_dir, day)
    if evidence is not None:
        sample_path = paths.qa_sample_partition(day)
        # a day whose gate failed in the run has no drawn sample (the blocking checks stop qa_sample)
        sample = read_sample(sample_path) if evidence.qa.get("sample") is None and sample_path.exists() else None
        record_qa_coverage(paths.gate_evidence_dir, day, paths.qa_log, sample)


def status_lines(paths: GatePaths, day: str, thresholds: GateThresholds | None = None) -> list[str]:
    """What ``cipher qa status`` prints: coverage, gate evidence and whether release is open. No identifiers.

    ``thresholds`` is ``thresholds_in_force(settings)``, the same the pipeline releases by; None: the repository's."""
    lines = [f"Partition {day}"]
    try:
        plan = plan_review(paths, day)
    except ReviewSetupError as exc:
        lines.append(f"QA: {exc}")
    else:
        lines.append("QA " + _coverage_line(coverage_of(paths, plan)))
    evidence = read_evidence(paths.gate_evidence_dir, day)
    if evidence is None:
        lines.append("Gate: no evidence record (the gate checks have not run)")
    else:
        lines.append(f"Gate: {evidence.status} at {evidence.evaluated_at}; engine {', '.join(evidence.engine_versions)}")
        lines += [f"  {'pass' if c.passed else 'FAIL'}  {c.name}: {c.description}" for c in evidence.checks]
        if not evidence.passed:
            clearance = scan_clearance(evidence, paths.qa_log)
            if clearance.applies:
                lines.append(f"  review of the scan's flags and the random QA sample: {clearance.progress()}"
                             + (" (clears the failed scan checks)" if clearance.clears_gate else ""))  # fmt: skip
        lines.append(describe_estimate(residual_estimate(evidence, paths.qa_log).as_dict()))
    release = day_release(paths, day, thresholds or load_thresholds())
    lines.append(f"Release to Tier 3: {release.state.upper()} ({release.reason})")
    if release.state != RELEASED and release.command:
        lines.append(f"  next: {release.command}")
    return lines
