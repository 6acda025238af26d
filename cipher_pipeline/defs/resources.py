"""The one resource the assets use: where the data lives and which models to run.

Engine objects (Whisper, spaCy) are expensive to load, so they are cached per process and model name, not
rebuilt per asset; the resource itself stays a plain, serializable config object.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import dagster as dg

from cipher_pipeline.pseudonyms import Pseudonymizer
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore


@lru_cache(maxsize=2)
def _transcriber(model_name: str):
    from cipher_pipeline.transcribe import Transcriber

    return Transcriber(model_name)


@lru_cache(maxsize=4)
def _redactor(disabled_layers: frozenset[str]):
    from cipher_pipeline.deid import Redactor

    return Redactor.default(disabled_layers=set(disabled_layers))


class CipherResource(dg.ConfigurableResource):
    """Data root, inbox and model choices; defaults come from the CIPHER_* environment variables."""

    data_root: str
    inbox: str
    whisper_model: str = "base"
    require_qa: bool | None = None
    disabled_deid_layers: list[str] = []  # for gate drills only: switch a redaction layer off to prove the gate

    @classmethod
    def from_env(cls) -> "CipherResource":
        env = Settings.from_env()
        return cls(
            data_root=str(env.data_root), inbox=str(env.inbox), whisper_model=env.whisper_model, require_qa=env.require_qa
        )

    @property
    def settings(self) -> Settings:
        env = Settings.from_env()
        return Settings(
            data_root=Path(self.data_root),
            inbox=Path(self.inbox),
            whisper_model=self.whisper_model,
            timezone=env.timezone,
            partition_start=env.partition_start,
            require_qa=self.require_qa,
        )

    @property
    def store(self) -> PartitionStore:
        return PartitionStore(self.settings)

    @property
    def pseudonyms(self) -> Pseudonymizer:
        return Pseudonymizer.open(self.settings.keys_dir)

    def transcriber(self):
        return _transcriber(self.whisper_model)

    def redactor(self):
        return _redactor(frozenset(self.disabled_deid_layers))
