"""Cipher's one configuration object, and the only module that reads the environment.

Every ``CIPHER_*`` variable is read here, once, into a ``Settings`` value (``Settings.from_env()``); everything
else (gate paths, partitions, the thresholds in force, the retention policy, the model choice, key injection) is
derived from a ``Settings`` passed in. The demo and the tests configure Cipher by building a ``Settings`` (or the
Dagster resource that builds one), never by writing ``os.environ``. Every setting and its default is listed in
``docs/runbook.md``.

Every path derives from ``CIPHER_DATA_ROOT`` so that each tier is one folder that can be secured, backed up and
handed over on its own (``tier1/`` clinical, ``tier2/`` gate, ``tier3/`` analysis).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from cipher_pipeline.tables import TABLE_TIERS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHECKS_DIR = PROJECT_ROOT / "checks"  # the repository's thresholds and GX suites
DEFAULT_MODEL_CACHE = Path.home() / ".cache" / "cipher" / "models"

# Tier 2 paths of the gate and QA (evidence, QA log, samples, data docs) live in cipher_pipeline.gate.paths.


def _env(name: str) -> str | None:
    """A variable's value, with unset and empty meaning the same: take the default."""
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def shared_data_dir() -> Path:
    """Public test data beside the repository (``../shared/data``), or ``$CIPHER_SHARED_DATA``; never copied in."""
    return Path(_env("CIPHER_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data")


def model_cache_dir() -> Path:
    """Where the packaged Whisper base model is assembled once (``$CIPHER_MODEL_CACHE``)."""
    return Path(_env("CIPHER_MODEL_CACHE") or DEFAULT_MODEL_CACHE)


def dagster_home() -> Path:
    """``$DAGSTER_HOME``, set to ``.dagster_home`` in the repository when unset (Dagster itself reads it)."""
    return Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))


def keep_offline() -> None:
    """No network in a Part 2 environment: third-party telemetry off (Dagster, Great Expectations) and Hugging
    Face offline, whatever else is configured. Sets the libraries' own variables only where the operator has not.
    Called by every entry point that may reach those libraries (the Dagster definitions, the GX runner, the
    embedding model, the benchmarks); calling it again changes nothing."""
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


@dataclass(frozen=True)
class Settings:
    data_root: Path
    inbox: Path
    whisper_model: str = "base"
    whisper_device: str = "cpu"  # "cuda" where a GPU is available
    whisper_compute_type: str = "int8"  # int8 on CPU; float16 on a GPU
    # Whisper worker processes for a day's recordings, each with cpu_count // workers threads; None: one per core
    # on a CPU, one on a GPU (transcribe.default_worker_count, chosen by `cipher bench --only asr-speed`)
    whisper_workers: int | None = None
    timezone: str = "America/Los_Angeles"
    partition_start: str = "2026-01-01"
    require_qa: bool | None = None  # None: whatever checks/gate_thresholds.yaml says
    project_root: Path = field(default=PROJECT_ROOT)
    checks_dir: Path = DEFAULT_CHECKS_DIR  # thresholds and GX suites: the pipeline, reports and `cipher qa` share it
    model_cache: Path = DEFAULT_MODEL_CACHE
    inbox_retention_days: int = 7
    tier1_retention_days: int = 365
    actor: str | None = None  # who the Tier 1 audit log names; None: the OS user (audit.current_actor)
    run_id: str | None = None  # an orchestrator's run id, recorded in each audit entry and added to the actor
    reviewer: str | None = None  # the QA reviewer's name; None: the OS user
    # The Tier 1 key injected by a secret manager (base64); None: the key ring under keys_dir. Never printed.
    tier1_key: str | None = field(default=None, repr=False)
    # Tier 1 (issue 10): where the key ring lives (None: beside the data root, see keys_dir) and how long
    # recordings are kept (None: the Tier 1 period).
    keys_root: Path | None = None
    recordings_retention_days: int | None = None
    # Tier 3 on object storage (s3://bucket/prefix); None: tier3/ under the data root. Tier 1 and 2 stay local
    # (cipher_pipeline.object_store says why). The endpoint is for S3-compatible servers (MinIO, Ceph, moto).
    tier3_root: str | None = None
    s3_endpoint_url: str | None = None
    # Released Tier 2 partitions copied to object storage (s3://bucket/prefix) for readers off the server; None:
    # none leave it. Only released days are copied; the working set (held days, evidence, QA) stays local.
    tier2_release_root: str | None = None
    # The gate's ledger on object storage (s3://bucket/prefix): gate evidence, the QA log and the release log, for a
    # QA tool or an auditor off the server; None: under tier2/ on the data root. The partitions they judge stay local.
    tier2_ledger_root: str | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        data_root = Path(_env("CIPHER_DATA_ROOT") or PROJECT_ROOT / "data").resolve()
        inbox = Path(_env("CIPHER_INBOX") or data_root / "inbox").resolve()
        return cls(
            data_root=data_root,
            inbox=inbox,
            whisper_model=_env("CIPHER_WHISPER_MODEL") or "base",
            whisper_device=_env("CIPHER_WHISPER_DEVICE") or "cpu",
            whisper_compute_type=_env("CIPHER_WHISPER_COMPUTE_TYPE") or "int8",
            whisper_workers=int(_env("CIPHER_WHISPER_WORKERS")) if _env("CIPHER_WHISPER_WORKERS") else None,
            timezone=_env("CIPHER_TIMEZONE") or "America/Los_Angeles",
            partition_start=_env("CIPHER_PARTITION_START") or "2026-01-01",
            require_qa=None if _env("CIPHER_REQUIRE_QA") is None else _env_bool("CIPHER_REQUIRE_QA", True),
            checks_dir=Path(_env("CIPHER_CHECKS_DIR") or DEFAULT_CHECKS_DIR),
            model_cache=model_cache_dir(),
            inbox_retention_days=int(_env("CIPHER_INBOX_RETENTION_DAYS") or 7),
            tier1_retention_days=int(_env("CIPHER_TIER1_RETENTION_DAYS") or 365),
            actor=_env("CIPHER_ACTOR"),
            run_id=_env("CIPHER_RUN_ID"),
            reviewer=_env("CIPHER_REVIEWER"),
            tier1_key=_env("CIPHER_TIER1_KEY"),
            keys_root=Path(_env("CIPHER_KEYS_DIR")).resolve() if _env("CIPHER_KEYS_DIR") else None,
            recordings_retention_days=int(_env("CIPHER_RECORDINGS_RETENTION_DAYS"))
            if _env("CIPHER_RECORDINGS_RETENTION_DAYS") else None,
            tier3_root=_env("CIPHER_TIER3_ROOT"),
            s3_endpoint_url=_env("CIPHER_S3_ENDPOINT_URL"),
            tier2_release_root=_env("CIPHER_TIER2_RELEASE_ROOT"),
            tier2_ledger_root=_env("CIPHER_TIER2_LEDGER_ROOT"),
        )

    def tier_dir(self, tier: int) -> Path:
        return self.data_root / f"tier{tier}"

    def table_dir(self, table: str) -> Path:
        return self.tier_dir(TABLE_TIERS[table]) / table

    @property
    def keys_dir(self) -> Path:
        # Outside the data root by default (``data/`` -> ``data.keys/``): one copied data folder never carries
        # the key that opens it. Production points CIPHER_KEYS_DIR at a secrets mount.
        return self.keys_root or self.data_root.parent / f"{self.data_root.name}.keys"

    @property
    def audio_vault(self) -> Path:
        return self.tier_dir(1) / "audio"

    @property
    def audit_log(self) -> Path:
        return self.tier_dir(1) / "_audit" / "access.jsonl"

    @property
    def qa_reviewer(self) -> str:
        return self.reviewer or getpass.getuser()

    @property
    def catalog_path(self) -> Path:
        return self.data_root / "cipher.duckdb"

    @property
    def thresholds_file(self) -> Path:
        return self.checks_dir / "gate_thresholds.yaml"

    @property
    def specs_dir(self) -> Path:
        return self.project_root / "assets"
