"""The one resource the assets use: where the data lives and which models to run.

Engine objects (Whisper, spaCy) are expensive to load, so they are cached per process and model name, not
rebuilt per asset; the resource itself stays a plain, serializable config object.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore


_POOLS: dict[tuple[str, str, str, int], object] = {}  # one Whisper pool per (model, device, compute type, workers)


def _transcriber(model_name: str, device: str = "cpu", compute_type: str = "int8", workers: int | None = None):
    """The process's Whisper pool for this model, started on first use (faster-whisper is imported here: loading
    the definitions for the UI, the sensors or `cipher status` needs neither it nor spaCy)."""
    from cipher_pipeline.transcribe import TranscriberPool, default_worker_count

    workers = workers or default_worker_count(device)
    key = (model_name, device, compute_type, workers)
    if key not in _POOLS:
        # Worker processes hold the model: a recording that crashes the decoder natively (a segfault in
        # CTranslate2) kills its worker, not the step, and costs only its own call (TranscriberPool.map).
        _POOLS[key] = TranscriberPool(workers, model_name, compute_type=compute_type, device=device).ready()
    return _POOLS[key]


def close_transcribers() -> None:
    """End the worker processes of every cached pool (a process that ran jobs in-process, such as `cipher demo`,
    calls it when done: the workers are reaped, so their CPU time counts as its children's)."""
    for pool in _POOLS.values():
        pool.close()
    _POOLS.clear()


@lru_cache(maxsize=4)
def _redactor(disabled_layers: frozenset[str]):
    from cipher_pipeline.deid import Redactor

    return Redactor.default(disabled_layers=set(disabled_layers))


class CipherResource(dg.ConfigurableResource):
    """Data root, inbox and model choices. A field left unset is read from the CIPHER_* environment when the
    run executes (not when the code loads), so `dagster dev`, the CLI and tests all honour the same variables."""

    data_root: str | None = None
    inbox: str | None = None
    whisper_model: str | None = None
    require_qa: bool | None = None
    disabled_deid_layers: list[str] = []  # for gate drills only: switch a redaction layer off to prove the gate
    _run_id: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # The audit log names the run that touched Tier 1.
        self._run_id = context.run.run_id if context.run else None

    @property
    def settings(self) -> Settings:
        env = Settings.from_env()
        data_root = Path(self.data_root) if self.data_root else env.data_root
        return replace(
            env,
            data_root=data_root,
            inbox=Path(self.inbox) if self.inbox else (env.inbox if not self.data_root else data_root / "inbox"),
            whisper_model=self.whisper_model or env.whisper_model,
            require_qa=self.require_qa if self.require_qa is not None else env.require_qa,
            run_id=self._run_id or env.run_id,  # the audit log names the Dagster run that touched Tier 1
        )

    @property
    def qa_required(self) -> bool | None:
        """True/False when configured here or in CIPHER_REQUIRE_QA; None defers to checks/gate_thresholds.yaml."""
        return self.settings.require_qa

    @property
    def store(self) -> PartitionStore:
        return PartitionStore(self.settings, run_id=self._run_id)

    def transcriber(self):
        settings = self.settings
        return _transcriber(settings.whisper_model, settings.whisper_device, settings.whisper_compute_type,
                            settings.whisper_workers)

    def redactor(self):
        return _redactor(frozenset(self.disabled_deid_layers))
