"""``cipher qa``: human QA of the Safe Harbor gate from a terminal.

    cipher qa review --day 2026-03-02 [--reviewer NAME]   review the day's sample (works through stdin too)
    cipher qa status --day 2026-03-02                     coverage, gate evidence, whether release is open
    cipher qa sample --day 2026-03-02 [--seed S]          draw the sample by hand (the qa_sample asset does this)
    cipher qa correct --day 2026-03-02 --transcript ID --reason TEXT
                                                          correct a mistaken finding (an audited line in the QA log)

Paths, thresholds and the QA switch come from ``Settings.from_env()`` (``CIPHER_DATA_ROOT``, ``CIPHER_CHECKS_DIR``,
``CIPHER_REQUIRE_QA``), the same settings the pipeline runs with, so status and release agree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from cipher_pipeline.gate.ledger import fingerprint_file, read_evidence, record_qa_coverage
from cipher_pipeline.gate.paths import GatePaths, check_day
from cipher_pipeline.gate.qa_log import QALogError, correct_findings
from cipher_pipeline.gate.thresholds import thresholds_in_force
from cipher_pipeline.qa.review import ReviewSetupError, run_review, status_lines
from cipher_pipeline.qa.sample import draw_day_sample, write_sample
from cipher_pipeline.settings import Settings


def _day(value: str) -> str:
    try:
        return check_day(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``cipher qa ...`` to the top-level parser (see cipher_pipeline/cli.py)."""
    qa = subparsers.add_parser(
        "qa", help="human QA of de-identified transcripts", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    qa.set_defaults(func=lambda args: (qa.print_help(), 2)[1])
    commands = qa.add_subparsers(dest="qa_command", metavar="QA_COMMAND")

    review = commands.add_parser("review", help="review the day's QA sample against the Safe Harbor checklist")
    review.add_argument("--day", required=True, type=_day, help="partition day, YYYY-MM-DD")
    review.add_argument("--reviewer", default=None, help="who reviews (default: $CIPHER_REVIEWER or the login name)")
    review.set_defaults(func=_review)

    status = commands.add_parser("status", help="QA coverage, gate evidence and release state of a day")
    status.add_argument("--day", required=True, type=_day, help="partition day, YYYY-MM-DD")
    status.set_defaults(func=_status)

    sample = commands.add_parser("sample", help="draw (or redraw) the day's QA sample from its redacted partition")
    sample.add_argument("--day", required=True, type=_day, help="partition day, YYYY-MM-DD")
    sample.add_argument(
        "--seed", default=None, help="sample seed (default: the partition's fingerprint, as the qa_sample asset uses)"
    )
    sample.set_defaults(func=_sample)

    correct = commands.add_parser(
        "correct", help="correct a mistaken finding: an audited correction line in the append-only QA log"
    )
    correct.add_argument("--day", required=True, type=_day, help="partition day, YYYY-MM-DD")
    correct.add_argument("--transcript", required=True, help="the transcript id (Tier 2 pseudonym) of the finding")
    correct.add_argument("--reason", required=True, help="why the finding was mistaken (no identifier text)")
    correct.add_argument("--reviewer", default=None, help="who corrects (default: $CIPHER_REVIEWER or the login name)")
    correct.set_defaults(func=_correct)


def _review(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    reviewer = args.reviewer or settings.qa_reviewer
    try:
        coverage = run_review(
            GatePaths.of(settings), args.day, reviewer, sys.stdin, sys.stdout, thresholds_in_force(settings)
        )
    except ReviewSetupError as exc:
        print(f"cipher qa review: {exc}", file=sys.stderr)
        return 2
    return 0 if coverage.passed else 1


def _status(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    for line in status_lines(GatePaths.of(settings), args.day, thresholds_in_force(settings)):
        print(line)
    return 0


def _redacted_partition(command: str, day: str) -> tuple[Settings, GatePaths, Path | None]:
    """The day's de-identified partition, or None after saying on stderr that it does not exist."""
    settings = Settings.from_env()
    paths = GatePaths.of(settings)
    partition = paths.redacted_partition(day)
    if not partition.exists():
        print(f"cipher qa {command}: no redacted_transcripts partition for {day}", file=sys.stderr)
        return settings, paths, None
    return settings, paths, partition


def _sample(args: argparse.Namespace) -> int:
    settings, paths, partition = _redacted_partition("sample", args.day)
    if partition is None:
        return 2

    thresholds = thresholds_in_force(settings)
    ids = pl.read_parquet(partition, columns=["transcript_id"])["transcript_id"].to_list()
    fingerprint = fingerprint_file(partition)
    # drawn, as the gate draws it, from the transcripts the scan did not flag on this partition version
    evidence = read_evidence(paths.gate_evidence_dir, args.day)
    flagged = evidence.scan_flagged if evidence is not None and evidence.fingerprint == fingerprint else ()
    sample, seed = draw_day_sample(ids, args.day, fingerprint, thresholds, args.seed, scan_flagged=flagged)
    write_sample(paths.qa_sample_partition(args.day), sample, args.day, seed)
    # The evidence records the sample that release checks coverage against: keep the two the same.
    record_qa_coverage(paths.gate_evidence_dir, args.day, paths.qa_log, sample)
    print(f"QA sample for {args.day}: {len(sample)} of {len(ids)} transcripts (seed {seed})")
    return 0


def _correct(args: argparse.Namespace) -> int:
    settings, paths, partition = _redacted_partition("correct", args.day)
    if partition is None:
        return 2
    try:
        corrections = correct_findings(
            paths.qa_log, args.day, args.transcript, fingerprint_file(partition),
            args.reviewer or settings.qa_reviewer, args.reason,
        )  # fmt: skip
    except QALogError as exc:
        print(f"cipher qa correct: {exc}", file=sys.stderr)
        return 2
    record_qa_coverage(paths.gate_evidence_dir, args.day, paths.qa_log)
    print(f"Corrected {len(corrections)} review(s) of {args.transcript} on {args.day}; the QA log keeps both lines.")
    for line in status_lines(paths, args.day, thresholds_in_force(settings)):
        print(line)
    return 0
