"""Where the gate and QA keep their files under the data root: one module, so that the Dagster assets, the
``cipher qa`` command and the tests agree on every path.

Everything here is Tier 2 (``<data_root>/tier2/``): de-identified transcripts, the QA sample, the QA log and the
gate evidence. Nothing in this module points into Tier 1.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_day(day: str) -> str:
    """Return ``day`` if it is a ``YYYY-MM-DD`` partition key; refuse anything else (it becomes a file name)."""
    if not DAY_PATTERN.match(day):
        raise ValueError(f"a partition day must look like YYYY-MM-DD, got {day!r}")
    return day


def default_checks_dir() -> Path:
    """The declarative gate data (thresholds, GX suites): ``$CIPHER_CHECKS_DIR`` or ``checks/`` in the repo."""
    return Path(os.environ.get("CIPHER_CHECKS_DIR") or PROJECT_ROOT / "checks")


@dataclass(frozen=True)
class GatePaths:
    """The Tier 2 paths of one data root."""

    data_root: Path

    @classmethod
    def from_env(cls) -> "GatePaths":
        """The data root every other part of Cipher uses (``$CIPHER_DATA_ROOT``, default ``data/`` in the repo)."""
        from cipher_pipeline.settings import Settings

        return cls(Settings.from_env().data_root)

    @property
    def tier2(self) -> Path:
        return self.data_root / "tier2"

    def redacted_partition(self, day: str) -> Path:
        return self.tier2 / "redacted_transcripts" / f"{check_day(day)}.parquet"

    def qa_sample_partition(self, day: str) -> Path:
        return self.tier2 / "qa_sample" / f"{check_day(day)}.parquet"

    @property
    def qa_dir(self) -> Path:
        return self.tier2 / "qa"

    @property
    def qa_log(self) -> Path:
        return self.qa_dir / "qa_log.jsonl"

    @property
    def regression_cases_dir(self) -> Path:
        return self.qa_dir / "regression_cases"

    @property
    def gate_evidence_dir(self) -> Path:
        return self.tier2 / "gate_evidence"

    def gate_evidence(self, day: str) -> Path:
        return self.gate_evidence_dir / f"{check_day(day)}.json"

    @property
    def data_docs_dir(self) -> Path:
        return self.tier2 / "gx_data_docs"
