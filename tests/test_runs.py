"""Concurrent runs of one day are refused; a CLI run whose process was killed is marked failed."""

import os
import subprocess

import dagster as dg
import pytest
from dagster._core.storage.dagster_run import DagsterRun

from cipher_pipeline import runner
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionBusy, partition_lock


def test_a_second_run_of_the_same_day_is_refused_and_other_days_go_on(data_root):
    settings = Settings.from_env()
    with partition_lock(settings, "2026-11-18"):
        with pytest.raises(PartitionBusy, match="another run is processing 2026-11-18"):
            with partition_lock(settings, "2026-11-18"):
                pass
        with partition_lock(settings, "2026-11-19"):
            pass
    with partition_lock(settings, "2026-11-18"):  # released when the holder is done
        pass


def test_a_killed_cli_run_is_marked_failed():
    dead = subprocess.Popen(["true"])
    dead.wait()
    with dg.DagsterInstance.ephemeral() as instance:
        tags = {"cipher/trigger": "cli", "cipher/pid": str(dead.pid)}
        killed = DagsterRun(job_name="end_to_end", run_id="a" * 36, status=dg.DagsterRunStatus.STARTED, tags=tags)
        alive = DagsterRun(job_name="end_to_end", run_id="b" * 36, status=dg.DagsterRunStatus.STARTED,
                           tags={**tags, "cipher/pid": str(os.getpid())})  # fmt: skip
        instance.add_run(killed)
        instance.add_run(alive)
        runner._fail_dead_cli_runs(instance)
        assert instance.get_run_by_id("a" * 36).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id("b" * 36).status == dg.DagsterRunStatus.STARTED
