"""Where the gate and QA keep their files under the data root: one module, so that the Dagster assets, the
``cipher qa`` command and the tests agree on every path.

Everything here is Tier 2 (``<data_root>/tier2/``): de-identified transcripts, the QA sample, the QA log and the
gate evidence. Nothing in this module points into Tier 1. Two roots may be object storage, and the release code
needs them to publish and take a day back: Tier 3's (``CIPHER_TIER3_ROOT``: the marketing view, the insights and
their reports; ``tier3/`` under the data root by default) and the released-Tier-2 prefix
(``CIPHER_TIER2_RELEASE_ROOT``). The gate's ledger (evidence, QA log, release log) may be on object storage too
(``CIPHER_TIER2_LEDGER_ROOT``): then ``gate_evidence_dir`` is an ``ObjectRoot`` and ``qa_log`` / ``release_log``
are ``ObjectLog``s, which the ledger's readers and writers (``gate/ledger.py``, ``gate/qa_log.py``) accept beside
local paths. The partitions, the QA sample and the regression cases stay local.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cipher_pipeline.object_store import ObjectLog, ObjectRoot, ReleasedPrefix, StorageRoot, is_object_url, open_root
from cipher_pipeline.settings import DEFAULT_CHECKS_DIR, Settings
from cipher_pipeline.tables import INSIGHTS_DIR

DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_day(day: str) -> str:
    """Return ``day`` if it is a ``YYYY-MM-DD`` partition key; refuse anything else (it becomes a file name)."""
    if not DAY_PATTERN.match(day):
        raise ValueError(f"a partition day must look like YYYY-MM-DD, got {day!r}")
    return day


def default_checks_dir() -> Path:
    """The repository's declarative gate data (thresholds, GX suites). A deployment's folder is
    ``Settings.checks_dir`` (``CIPHER_CHECKS_DIR``); code that runs the gate passes that one in."""
    return DEFAULT_CHECKS_DIR


@dataclass(frozen=True)
class GatePaths:
    """The Tier 2 paths of one data root."""

    data_root: Path
    tier3_root: str | None = None  # s3://...: Tier 3 on object storage (None: tier3/ under the data root)
    tier2_release_root: str | None = None  # s3://...: where released Tier 2 partitions are copied (None: nowhere)
    s3_endpoint_url: str | None = None
    tier2_ledger_root: str | None = None  # s3://...: gate evidence, QA log and release log there (None: under tier2/)

    @classmethod
    def of(cls, settings: Settings) -> "GatePaths":
        """The Tier 2 paths under the settings' data root (the one every other part of Cipher uses)."""
        return cls(settings.data_root, settings.tier3_root, settings.tier2_release_root, settings.s3_endpoint_url,
                   settings.tier2_ledger_root)  # fmt: skip

    @cached_property
    def _ledger(self) -> ObjectRoot | None:
        # One filesystem client per GatePaths: the evidence, QA log and release log are read many times a run.
        return ObjectRoot(self.tier2_ledger_root, self.s3_endpoint_url) if is_object_url(self.tier2_ledger_root) else None

    def ledger(self) -> ObjectRoot | None:
        """The gate's ledger on object storage, or None when it is under tier2/ on the data root."""
        return self._ledger

    @cached_property
    def _tier3(self) -> StorageRoot:
        return open_root(self.tier3_root, self.data_root / "tier3", self.s3_endpoint_url)

    def tier3(self) -> StorageRoot:
        """Tier 3's storage root: the object-store prefix of ``CIPHER_TIER3_ROOT``, else ``tier3/`` under the data root."""
        return self._tier3

    def insights(self) -> StorageRoot:
        """Where the insights live: ``<tier 3>/insights/<table>/<period>.parquet`` and ``reports/<period>.html``."""
        return self.tier3().child(INSIGHTS_DIR)

    def released_tier2(self) -> ReleasedPrefix | None:
        """The released-Tier-2 prefix on object storage, or None when released partitions stay on the server."""
        if not self.tier2_release_root:
            return None
        return ReleasedPrefix.at(self.tier2_release_root, self.s3_endpoint_url)

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
    def qa_log(self) -> Path | ObjectLog:
        if ledger := self.ledger():
            return ObjectLog(ledger.child("qa_log"))
        return self.qa_dir / "qa_log.jsonl"

    @property
    def regression_cases_dir(self) -> Path:
        return self.qa_dir / "regression_cases"

    @property
    def release_log(self) -> Path | ObjectLog:
        """Append-only log of every Tier 3 release and withdrawal (gate/release.py)."""
        if ledger := self.ledger():
            return ObjectLog(ledger.child("release_log"))
        return self.tier2 / "release_log.jsonl"

    @property
    def gate_evidence_dir(self) -> Path | ObjectRoot:
        if ledger := self.ledger():
            return ledger.child("gate_evidence")
        return self.tier2 / "gate_evidence"

    def gate_evidence(self, day: str) -> Path:
        """The local evidence file of ``day`` (``gate.ledger.read_evidence`` reads it wherever the ledger is)."""
        return self.tier2 / "gate_evidence" / f"{check_day(day)}.json"

    @property
    def data_docs_dir(self) -> Path:
        return self.tier2 / "gx_data_docs"
