"""The benchmark sections run and report what they claim (no timing is asserted: figures live in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from cipher_devtools.bench_e2e import ProgressFile, bench_day, extrapolate, format_e2e
from cipher_devtools.process_tree import TreeSampler, mib
from cipher_devtools.bench_tier3 import ROLLUPS, bench_tier3, format_tier3


@pytest.mark.slow  # builds two days of real insights (MiniLM for the objections): about 30 s
def test_tier3_section_builds_real_tables_and_times_every_rollup():
    # 60 calls a day: enough for the daily insights (concerns, caller types...) to clear k = 11 distinct calls
    result = bench_tier3(days=2, calls=60, seed=5, pool=6)
    assert result["days"] == 2 and result["calls_per_day"] == 60
    assert result["tier3_rows"]["marketing_calls"] == 120
    assert result["tier3_rows"]["concerns"] > 0 and result["tier3_rows"]["buyer_phrases"] > 0
    assert "phrase_occurrences" not in result["tier3_rows"]  # retired for the insights' buyer phrases
    assert set(result["rollups"]) == set(ROLLUPS)
    assert all(r["result_rows"] > 0 for r in result["rollups"].values())
    assert "roll-up over the month" in "\n".join(format_tier3(result))


def test_extrapolation_scales_the_per_call_part_and_keeps_the_fixed_part():
    rows = [
        {"calls": 10, "run_success": True, "run_wall_seconds": 120.0, "dagster_overhead_seconds": 2.0},
        {"calls": 100, "run_success": True, "run_wall_seconds": 1002.0, "dagster_overhead_seconds": 2.0},
        {"calls": 200, "run_success": False, "run_wall_seconds": 5.0, "dagster_overhead_seconds": 1.0},
    ]
    estimate = extrapolate(rows, 1000)
    assert estimate["extrapolated_from_calls"] == 100  # the largest size that succeeded
    assert estimate["run_wall_seconds"] == 10002.0
    assert extrapolate([], 1000) is None


def test_progress_file_is_rewritten_whole_as_the_bench_goes_and_throttled(tmp_path):
    path = tmp_path / "bench" / "progress.json"
    progress = ProgressFile(path, min_interval=3600)
    progress.update(force=True, calls=1000, phase="synthesis", calls_synthesized=0)
    progress.update(calls_synthesized=10)  # within the interval: kept in memory, not written
    assert json.loads(path.read_text())["current"]["calls_synthesized"] == 0
    progress.update(force=True, calls_synthesized=20)
    assert json.loads(path.read_text())["current"] == {"calls": 1000, "phase": "synthesis", "calls_synthesized": 20}
    progress.finish_size({"calls": 1000, "run_wall_seconds": 1.0})
    state = json.loads(path.read_text())
    assert state["sizes"] == [{"calls": 1000, "run_wall_seconds": 1.0}] and state["current"] is None
    progress.finish({"sizes": state["sizes"]})
    assert json.loads(path.read_text())["complete"] is True
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no temporary file left behind
    ProgressFile(None).update(force=True, calls=1)  # no path: nothing written, no error


@pytest.mark.slow
def test_e2e_section_runs_a_real_day_through_dagster(tmp_path):
    progress = ProgressFile(tmp_path / "progress.json")
    row = bench_day(calls=3, model="tiny.en", seed=11, workdir=tmp_path, progress=progress, poll_seconds=1.0)
    # What a run cut short would have left: counts of calls synthesized and transcribed, the finished steps.
    current = json.loads((tmp_path / "progress.json").read_text())["current"]
    assert current["calls_synthesized"] == 3 and current["answered"] == row["answered"]
    assert current["calls_transcribed"] == current["calls_to_transcribe"] == row["answered"]
    assert {"raw_calls", "transcripts"} <= {s["asset"] for s in current["steps_finished"]}
    assert current["run_cpu_seconds_so_far"] > 0
    # The gate may hold a day of real tiny.en output (residual identifiers): that is the product working.
    assert row["run_success"] or row["gate_held"], row["failed_steps"]
    assets = {a["asset"] for a in row["assets"]}
    assert {"raw_calls", "transcripts", "redacted_transcripts", "marketing_calls"} <= assets
    assert all(0 < a["peak_rss_mib"] <= a["peak_tree_rss_mib"] for a in row["assets"])
    # the Whisper worker pool is child processes: the tree holds the model the main process does not
    (transcripts,) = [a for a in row["assets"] if a["asset"] == "transcripts"]
    assert transcripts["peak_tree_rss_mib"] > transcripts["peak_rss_mib"]
    assert row["peak_tree_rss_mib"] >= row["peak_rss_mib"] and "child processes" in row["memory_scope"]
    assert 0 < row["dagster_overhead_share"] < 1
    assert row["run_cpu_seconds"] > 0
    assert "peak MiB tree" in "\n".join(format_e2e({"sizes": [row]}))


def test_tree_sampler_counts_a_child_process_memory_that_the_main_process_does_not_hold():
    """A child that holds 150 MiB (as a Whisper worker holds its model): the tree's peak has it, the main's not."""
    held = 150
    child = subprocess.Popen([sys.executable, "-c", f"import sys, time; b = bytearray({held} * 2**20); b[::4096] = "
                              f"b'x' * len(b[::4096]); print('ready', flush=True); time.sleep(30)"],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "ready"
        with TreeSampler(interval=0.05) as sampler:
            time.sleep(0.3)
    finally:
        child.kill()
        child.wait()
    main, tree = mib(sampler.peak()), mib(sampler.peak(tree=True))
    assert tree - main >= held, (main, tree)
    assert main < tree and sampler.cpu(sampler.samples[0][0], sampler.samples[-1][0]) >= 0
