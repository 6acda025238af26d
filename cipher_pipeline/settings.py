"""Where Cipher keeps things, read from the environment once.

Every path the engine uses derives from ``CIPHER_DATA_ROOT`` so that each tier is one folder that can be
secured, backed up and handed over on its own (``tier1/`` clinical, ``tier2/`` gate, ``tier3/`` analysis).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

TABLE_TIERS = {
    "raw_calls": 1,
    "quarantined_recordings": 1,
    "transcripts": 1,
    "redacted_transcripts": 2,
    "qa_sample": 2,
    "marketing_calls": 3,
    "phrase_counts": 3,
    "competitor_mentions": 3,
    "caller_concerns": 3,
    "caller_types": 3,
}


# Tier 2 paths of the gate and QA (evidence, QA log, samples, data docs) live in cipher_pipeline.gate.paths.


def shared_data_dir() -> Path:
    """Public test data beside the repository (``../shared/data``), or ``$CIPHER_SHARED_DATA``; never copied in."""
    return Path(os.environ.get("CIPHER_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_root: Path
    inbox: Path
    whisper_model: str = "base"
    whisper_device: str = "cpu"  # "cuda" where a GPU is available
    whisper_compute_type: str = "int8"  # int8 on CPU; float16 on a GPU
    timezone: str = "America/Los_Angeles"
    partition_start: str = "2026-01-01"
    require_qa: bool | None = None  # None: whatever checks/gate_thresholds.yaml says
    project_root: Path = field(default=PROJECT_ROOT)

    @classmethod
    def from_env(cls) -> "Settings":
        data_root = Path(os.environ.get("CIPHER_DATA_ROOT", PROJECT_ROOT / "data")).resolve()
        inbox = Path(os.environ.get("CIPHER_INBOX", data_root / "inbox")).resolve()
        require_qa = os.environ.get("CIPHER_REQUIRE_QA")
        return cls(
            data_root=data_root,
            inbox=inbox,
            whisper_model=os.environ.get("CIPHER_WHISPER_MODEL", "base"),
            whisper_device=os.environ.get("CIPHER_WHISPER_DEVICE", "cpu"),
            whisper_compute_type=os.environ.get("CIPHER_WHISPER_COMPUTE_TYPE", "int8"),
            timezone=os.environ.get("CIPHER_TIMEZONE", "America/Los_Angeles"),
            partition_start=os.environ.get("CIPHER_PARTITION_START", "2026-01-01"),
            require_qa=None if require_qa in (None, "") else _env_bool("CIPHER_REQUIRE_QA", True),
        )

    def tier_dir(self, tier: int) -> Path:
        return self.data_root / f"tier{tier}"

    def table_dir(self, table: str) -> Path:
        return self.tier_dir(TABLE_TIERS[table]) / table

    @property
    def keys_dir(self) -> Path:
        # Keys sit outside the tier folders: handing over tier2/ or tier3/ never hands over a key.
        return self.data_root / "keys"

    @property
    def audio_vault(self) -> Path:
        return self.tier_dir(1) / "audio"

    @property
    def audit_log(self) -> Path:
        return self.tier_dir(1) / "_audit" / "access.jsonl"

    @property
    def catalog_path(self) -> Path:
        return self.data_root / "cipher.duckdb"

    @property
    def checks_dir(self) -> Path:
        return self.project_root / "checks"

    @property
    def specs_dir(self) -> Path:
        return self.project_root / "assets"
