"""Turn a QA finding into a regression case for the de-identification engine.

A case says where the redactor missed an identifier (category, day, transcript id, turn) and under which engine
version, never what the identifier was: the text stays in Tier 2 redacted form (and the original in Tier 1), so
the engine's maintainers reproduce the miss from the transcript, not from a copy of the identifier.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cipher_pipeline.gate.qa_log import QAReview


@dataclass(frozen=True)
class RegressionCase:
    case_id: str
    day: str
    transcript_id: str
    turn: int
    category: str
    engine_version: str
    partition_fingerprint: str
    reviewer: str
    reported_at: str
    note: str


def regression_cases(review: QAReview, engine_version: str = "") -> list[RegressionCase]:
    """One case per finding of a failing review."""
    cases = []
    for index, finding in enumerate(review.findings):
        key = f"{review.day}:{review.transcript_id}:{finding.turn}:{finding.category}:{review.reviewed_at}:{index}"
        cases.append(
            RegressionCase(
                case_id="QA" + hashlib.sha256(key.encode()).hexdigest()[:12],
                day=review.day,
                transcript_id=review.transcript_id,
                turn=finding.turn,
                category=finding.category,
                engine_version=engine_version,
                partition_fingerprint=review.fingerprint,
                reviewer=review.reviewer,
                reported_at=review.reviewed_at,
                note=finding.note,
            )
        )
    return cases


def write_regression_cases(cases_dir: str | Path, cases: list[RegressionCase]) -> list[Path]:
    """Write each case as ``<cases_dir>/<case_id>.json`` (atomic; an existing case is left as it is)."""
    cases_dir = Path(cases_dir)
    cases_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases:
        path = cases_dir / f"{case.case_id}.json"
        if not path.exists():
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps(asdict(case), indent=2, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        written.append(path)
    return written


def read_regression_cases(cases_dir: str | Path) -> list[RegressionCase]:
    """Every case in ``cases_dir``, oldest report first."""
    cases_dir = Path(cases_dir)
    if not cases_dir.exists():
        return []
    cases = [RegressionCase(**json.loads(p.read_text(encoding="utf-8"))) for p in cases_dir.glob("QA*.json")]
    return sorted(cases, key=lambda c: (c.reported_at, c.case_id))
