"""The fast suite runs in parallel (`make test-fast`, pytest-xdist): each test process keeps what it writes to itself."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from cipher_pipeline.settings import PROJECT_ROOT, dagster_home


def test_each_test_process_has_its_own_dagster_instance_folder(tmp_path_factory):
    home = Path(os.environ["DAGSTER_HOME"])
    assert dagster_home() == home != PROJECT_ROOT / ".dagster_home"
    # under this process's own temporary root (an xdist worker's is its own: popen-gw0, popen-gw1, ...)
    assert home.resolve().is_relative_to(tmp_path_factory.getbasetemp().resolve())
    assert (home / "dagster.yaml").read_text() == (PROJECT_ROOT / "dagster.yaml").read_text()


def test_the_fast_suite_runs_on_every_core_with_a_pinned_xdist():
    recipe = re.search(r"^test-fast:.*\n((?:\t.*\n)+)", (PROJECT_ROOT / "Makefile").read_text(), re.M)
    assert recipe and re.search(r"pytest .*-m \"not slow\".* -n auto", recipe.group(1))
    dev = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    assert any(re.fullmatch(r"pytest-xdist==[\d.]+", d) for d in dev)
