"""Concurrent runs of one day are refused; a CLI run whose process was killed is marked failed."""

import os
import subprocess

import dagster as dg
import pytest
from dagster._core.storage.dagster_run import DagsterRun

from cipher_pipeline import runner
from cipher_pipeline.storage import PartitionBusy, partition_lock


def test_a_second_run_of_the_same_day_is_refused_and_other_days_go_on(settings):
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


def test_a_day_with_a_quarantined_row_is_reported_partial_not_ok(settings):
    """raw_calls alone (no Whisper needed): a bad CSV row and a silent recording make the day PARTIAL."""
    from cipher_pipeline.defs.resources import CipherResource
    from cipher_pipeline.defs.tier1 import raw_calls
    from cipher_pipeline.report import _intake
    from tests.test_ingest import DAY, _row, _wav, _write_day

    bad = _row("CAL2", "")
    bad["ring_seconds"] = "four"
    silent = _wav(seconds=1.0)
    _write_day(settings.inbox, [_row("CAL1", "CAL1.wav"), bad, _row("CAL3", "CAL3.wav")],
               {"CAL1.wav": _wav(), "CAL3.wav": silent[:44] + bytes(len(silent) - 44)})  # fmt: skip
    resource = CipherResource(data_root=str(settings.data_root))
    result = dg.materialize([raw_calls], partition_key=DAY, resources={"cipher": resource})
    assert result.success
    note = runner._quarantine_note(result)
    assert note == "PARTIAL: 2 quarantined (bad call-tracking row 1, silent 1)"
    assert _intake(resource.settings, DAY) == f"; {note}"
