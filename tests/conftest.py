"""Shared fixtures: an isolated data root per test, a Dagster instance folder per test process, and one synthetic
call day shared by the slow tests.

The fast suite runs in parallel (`make test-fast`: pytest-xdist, one worker process per core). What a test writes
therefore lives under pytest's temporary folders, which are per worker (``tmp_path``, ``tmp_path_factory``): data
roots, keys, Dagster instances, GX data docs, ports (the object-store tests bind a free one). Module-level caches
are per process and only hold what was read (word lists, models). Hypothesis's example cache (``.hypothesis/``) is
the one shared folder; it writes by atomic rename."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from cipher_pipeline.keys import init_keys
from cipher_pipeline.settings import PROJECT_ROOT, Settings, shared_data_dir

SHARED_DATA = shared_data_dir()
JFK_FLAC = SHARED_DATA / "audio" / "jfk.flac"
JFK_TEXT = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
SYNTH_DAY = date(2026, 11, 18)

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_configure(config):
    """Under pytest-xdist (`make test` runs one worker, `make test-fast` one per core) a worker killed by a signal
    costs a loud rerun of the test it was running, not the whole run: tests/crash_rerun.py."""
    from tests import crash_rerun

    if config.pluginmanager.hasplugin("xdist") and not config.pluginmanager.is_registered(crash_rerun):
        config.pluginmanager.register(crash_rerun, "cipher_crash_rerun")


@pytest.fixture(scope="session", autouse=True)
def _dagster_home_of_this_process(tmp_path_factory):
    """``$DAGSTER_HOME`` for this test process (each xdist worker has its own), never the repository's: a test that
    reaches ``DagsterInstance.get()`` (the CLI's run path) writes runs, event logs and sensor cursors in SQLite
    files there, which two processes must not share. A test that needs a fresh instance still sets its own."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    """An isolated data root, configured by value (tests never configure Cipher through the environment).

    Keys an operator injected into this shell are cleared so that no test touches a real key."""
    monkeypatch.delenv("CIPHER_TIER1_KEY", raising=False)
    monkeypatch.delenv("CIPHER_KEYS_DIR", raising=False)
    root = (tmp_path / "data").resolve()
    settings = Settings(data_root=root, inbox=root / "inbox")
    # Keys are made only on purpose (`cipher keys init`); tests do it as an operator would, beside the root.
    init_keys(settings.keys_dir)
    return settings


@pytest.fixture(scope="session")
def redactor():
    """The engine as ``layers.yaml`` configures it, loaded once for the whole test session and shared by every module
    that redacts (the first load reads every word list, the name and place indexes and the spaCy model: seconds).
    Redacting leaves a ``Redactor`` unchanged, so sharing it changes no test's result. A test that needs another
    configuration (layers switched off, its own lexicons) still builds its own."""
    from cipher_pipeline.deid import Redactor

    return Redactor.default()


@pytest.fixture(scope="session")
def synth_day(tmp_path_factory):
    """Three synthetic calls for one day (audio, CSV, gold), generated once per test session."""
    from cipher_devtools.synth import generate_calls

    base = tmp_path_factory.mktemp("synth")
    result = generate_calls(inbox=base / "inbox", gold=base / "gold", days=[SYNTH_DAY], calls_per_day=3, seed=7)
    return base, result
