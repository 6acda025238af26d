"""``cipher bench --only e2e``: one daily partition, inbox to Tier 3, through a real Dagster run, at several sizes.

For each size (synthetic calls in one day) it generates the calls, runs the ``end_to_end`` job for the day on a
fresh SQLite-backed Dagster instance (the same storage a one-server install uses) and reports:

- wall time per asset (STEP_START to STEP_SUCCESS/FAILURE in the run's event log) and peak resident memory while
  that step ran, of this process (the run executes in it) and of its process tree (with the Whisper worker pool,
  whose processes hold the model and the audio they decode; ``process_tree``), sampled every 0.1 s;
- Dagster's overhead: everything in the run's wall time that is not inside a step (run start: instance, run
  record, definitions, resources; the event log between steps; run end), as a share of the run;
- per-call cost of the whole run and of transcription, so linearity is read off the rows and a size too big
  for the machine can be extrapolated from a measured one (said so where done).

Human QA is switched off for the run (as in the demo): a benchmark has no reviewer, and Tier 3 would wait.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

from cipher_devtools.process_tree import MEMORY_SCOPE, TreeSampler, cpu_with_live_children, mib, tree_rss
from cipher_devtools.synth import generate_calls
from cipher_pipeline.keys import init_keys
from cipher_pipeline.runner import _step_failures
from cipher_pipeline.settings import PROJECT_ROOT

BENCH_DAY = date(2026, 11, 2)
OVERHEAD_TARGET = 0.10  # issue 13: orchestration under 10% of a 100-call day


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class ProgressFile:
    """What a long benchmark has measured so far, rewritten (atomically) as it goes, so a run cut short still
    leaves figures: finished sizes, and for the size under way its phase, counts of calls synthesized and
    transcribed, each finished step, CPU seconds and load averages. Counts and timings only: no Tier 1 text.

    ``path`` None: a no-op (the in-memory report is all there is)."""

    def __init__(self, path: Path | None, min_interval: float = 20.0):
        self.path = Path(path) if path else None
        self.min_interval = min_interval
        self.state: dict = {"complete": False, "sizes": [], "current": None}
        self._written = 0.0
        self._lock = threading.Lock()

    def update(self, force: bool = False, **current) -> None:
        with self._lock:
            if self.state["current"] is None:
                self.state["current"] = {}
            self.state["current"].update(current)
            self._write(force)

    def finish_size(self, row: dict) -> None:
        with self._lock:
            self.state["sizes"].append(row)
            self.state["current"] = None
            self._write(True)

    def finish(self, report: dict) -> None:
        with self._lock:
            self.state = {**report, "complete": True}
            self._write(True)

    def _write(self, force: bool) -> None:
        now = time.time()
        if self.path is None or (not force and now - self._written < self.min_interval):
            return
        self.state["written_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.state, indent=2))
        tmp.replace(self.path)
        self._written = now


# The transcripts asset's progress line (cipher_pipeline/defs/tier1.py): counts only.
_TRANSCRIBED = re.compile(r"transcribed (\d+)/(\d+) calls")
_TRANSCRIPTION_FAILED = re.compile(r"transcription failed for call (\d+)/(\d+)")


def transcription_progress(instance, run_id: str) -> tuple[int, int, int]:
    """(calls done, calls to do, calls failed) so far, from the transcripts step's progress lines in the run's
    event log; (0, 0, 0) before the step logs its first."""
    done = total = failed = 0
    for record in instance.all_logs(run_id):
        if record.step_key != "transcripts" or not record.user_message:
            continue
        if match := _TRANSCRIBED.search(record.user_message):
            done, total = max(done, int(match[1])), int(match[2])
        elif match := _TRANSCRIPTION_FAILED.search(record.user_message):
            done, total, failed = max(done, int(match[1])), int(match[2]), failed + 1
    return done, total, failed


class _RunWatcher:
    """Polls the (only) run on a fresh instance every ``interval`` seconds while it executes in this process, and
    hands the progress file each finished step and the transcription counts."""

    def __init__(self, instance, progress: ProgressFile, started: float, interval: float = 30.0):
        self.instance, self.progress, self.started, self.interval = instance, progress, started, interval
        self._process = psutil.Process(os.getpid())
        self._cpu0 = cpu_with_live_children(self._process)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "_RunWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._poll_safely()  # the run's end state, whatever the interval

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._poll_safely()

    def _poll_safely(self) -> None:
        try:
            self.poll()
        except Exception as exc:  # a read racing the run's own writes: skip this poll, never sink the run
            _say(f"e2e: progress poll skipped ({type(exc).__name__})")

    def poll(self) -> None:
        runs = self.instance.get_runs(limit=1)
        if not runs:
            return
        run_id = runs[0].run_id
        steps = _steps(self.instance, run_id)
        finished = [
            {"asset": key, "status": s["status"], "wall_seconds": round(s["end"] - s["start"], 2)}
            for key, s in sorted(steps.items(), key=lambda kv: kv[1]["start"] or 0) if s["start"] and s["end"]
        ]  # fmt: skip
        running = [key for key, s in steps.items() if s["start"] and not s["end"]]
        done, total, failed = transcription_progress(self.instance, run_id)
        elapsed = time.time() - self.started
        cpu = cpu_with_live_children(self._process) - self._cpu0
        rss_now = tree_rss(self._process)
        t_step = steps.get("transcripts", {})
        t_wall = (t_step.get("end") or time.time()) - t_step["start"] if t_step.get("start") else None
        self.progress.update(
            force=True, phase="run", run_elapsed_seconds=round(elapsed, 1), run_cpu_seconds_so_far=round(cpu, 1),
            steps_finished=finished, steps_running=running, calls_transcribed=done, calls_to_transcribe=total,
            transcription_failures=failed,
            transcription_wall_seconds_so_far=round(t_wall, 1) if t_wall else None,
            transcription_seconds_per_call_so_far=round(t_wall / done, 2) if t_wall and done else None,
            load_average_now=[round(x, 2) for x in os.getloadavg()],
            rss_mib_now={"main": mib(rss_now[0]), "tree": mib(rss_now[1])},
        )  # fmt: skip
        _say(f"e2e: {elapsed / 60:.0f} min into the run: {len(finished)} step(s) done, transcribed {done}/{total} calls")


def _steps(instance, run_id: str) -> dict[str, dict]:
    """step key -> start, end (wall-clock seconds), status, from the run's event log."""
    steps: dict[str, dict] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or not event.step_key:
            continue
        step = steps.setdefault(event.step_key, {"start": None, "end": None, "status": "?"})
        kind = event.event_type_value
        if kind == "STEP_START":
            step["start"] = record.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            step["end"] = record.timestamp
            step["status"] = "ok" if kind == "STEP_SUCCESS" else "failed"
    return steps


def bench_day(calls: int, model: str, seed: int, workdir: Path, progress: ProgressFile | None = None,
              poll_seconds: float = 30.0) -> dict:
    """One size: synthesize, run the day through Dagster, measure. ``progress`` gets the counts as they come (the
    run's event log read every ``poll_seconds``)."""
    # Dagster after the environment is set up: `cipher` imports this module for every command, and Dagster takes
    # seconds to import.
    from dagster import DagsterInstance

    from cipher_pipeline.defs import defs
    from cipher_pipeline.defs.resources import CipherResource

    root = workdir / f"e2e-{calls}"
    data_root = root / "data"
    progress = progress or ProgressFile(None)
    _say(f"e2e: synthesizing {calls} calls")
    t0 = time.perf_counter()
    progress.update(force=True, calls=calls, model=model, phase="synthesis", calls_synthesized=0,
                    load_average_at_start=[round(x, 2) for x in os.getloadavg()])

    def synthesized(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            _say(f"e2e: synthesized {done}/{total} calls")
        progress.update(force=done == total, calls_synthesized=done, synth_seconds_so_far=round(time.perf_counter() - t0, 1))

    synth = generate_calls(data_root / "inbox", root / "gold", [BENCH_DAY], calls, seed, progress=synthesized)
    synth_seconds = time.perf_counter() - t0
    progress.update(force=True, synth_seconds=round(synth_seconds, 1), answered=sum(c.answered for c in synth.calls),
                    audio_minutes=round(synth.audio_seconds / 60, 1))
    answered = sum(c.answered for c in synth.calls)
    day = BENCH_DAY.isoformat()
    job = defs.resolve_job_def("end_to_end")
    cipher_config = {"data_root": str(data_root), "whisper_model": model, "require_qa": False}
    # The bench's scratch root is set up the way an operator sets up a new one: a key made on purpose (runs never
    # make keys), beside the data root.
    init_keys(CipherResource(**cipher_config).settings.keys_dir)
    load = os.getloadavg()
    _say(f"e2e: {calls} calls ({answered} answered, {synth.audio_seconds / 60:.1f} audio min) through Dagster")
    (root / "dagster_home").mkdir(parents=True, exist_ok=True)
    # The repository's dagster.yaml (pools, run queue), on a fresh SQLite instance of its own.
    shutil.copy(PROJECT_ROOT / "dagster.yaml", root / "dagster_home" / "dagster.yaml")
    with DagsterInstance.from_config(str(root / "dagster_home")) as instance, TreeSampler() as rss:
        started = time.time()
        with _RunWatcher(instance, progress, started, poll_seconds):
            result = job.execute_in_process(
                partition_key=day,
                instance=instance,
                raise_on_error=False,
                tags={"cipher/trigger": "bench"},
                run_config={
                    "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                    "resources": {"cipher": {"config": cipher_config}},
                },
            )
        ended = time.time()
        steps = _steps(instance, result.run_id)
        failures = _step_failures(result)  # step and error class/message: counts, never Tier 1 text
        events = len(instance.all_logs(result.run_id))
    run_wall = ended - started
    per_asset = []
    inside = 0.0
    for key, step in sorted(steps.items(), key=lambda kv: kv[1]["start"] or 0):
        if step["start"] is None or step["end"] is None:
            continue
        wall = step["end"] - step["start"]
        inside += wall
        per_asset.append(
            {"asset": key, "status": step["status"], "wall_seconds": round(wall, 2),
             "cpu_seconds": round(rss.cpu(step["start"], step["end"]), 1),
             "peak_rss_mib": mib(rss.peak(step["start"], step["end"])),
             "peak_tree_rss_mib": mib(rss.peak(step["start"], step["end"], tree=True))}
        )  # fmt: skip
    first_start = min((s["start"] for s in steps.values() if s["start"]), default=ended)
    overhead = run_wall - inside
    # only a finished step's time per call: an interrupted one did not transcribe every answered call
    transcription = next((a["wall_seconds"] for a in per_asset if a["asset"] == "transcripts" and a["status"] == "ok"), None)
    return {
        "calls": calls,
        "answered": answered,
        "audio_minutes": round(synth.audio_seconds / 60, 1),
        "model": model,
        "run_success": result.success,
        "failed_steps": [f"{step}: {reason}" for step, reason in failures],
        # The gate failing closed on real ASR output is the product working, not a failed benchmark: the day ran
        # through transcription, redaction and the gate; Tier 3 (4 s per 1,000 calls, see bench_tier3) did not.
        "gate_held": bool(failures) and all(step == "redacted_transcripts" and "AssetCheckFailed" in reason for step, reason in failures),
        "synth_seconds": round(synth_seconds, 1),
        "run_wall_seconds": round(run_wall, 1),
        "seconds_per_call": round(run_wall / calls, 2),
        "run_cpu_seconds": round(rss.cpu(started, ended), 1),
        "transcription_seconds_per_answered_call": round(transcription / answered, 2) if transcription and answered else None,
        "dagster_overhead_seconds": round(overhead, 2),
        "dagster_run_start_seconds": round(first_start - started, 2),
        "dagster_overhead_share": round(overhead / run_wall, 3),
        "event_log_records": events,
        "peak_rss_mib": mib(rss.peak(started, ended)),  # this process (the run executes in it)
        "peak_tree_rss_mib": mib(rss.peak(started, ended, tree=True)),  # with the Whisper workers
        "memory_scope": MEMORY_SCOPE,
        "load_average_at_start": [round(x, 2) for x in load],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "assets": per_asset,
    }


def extrapolate(rows: list[dict], calls: int) -> dict | None:
    """A size not run, from the largest measured one: per-call steps scale with calls, the fixed part does not.

    Fixed: Dagster's overhead and each step's cost at the smallest size that does not grow with calls is
    ignored (a conservative, slightly high estimate: it scales the whole per-call run cost)."""
    measured = [r for r in rows if r["run_success"] or r.get("gate_held")]
    if not measured:
        return None
    base = max(measured, key=lambda r: r["calls"])
    per_call = (base["run_wall_seconds"] - base["dagster_overhead_seconds"]) / base["calls"]
    return {
        "calls": calls,
        "extrapolated_from_calls": base["calls"],
        "run_wall_seconds": round(per_call * calls + base["dagster_overhead_seconds"], 0),
        "dagster_overhead_share": round(base["dagster_overhead_seconds"] / (per_call * calls + base["dagster_overhead_seconds"]), 4),
    }


def bench_e2e(sizes: list[int], model: str, seed: int, extrapolate_to: list[int] | None = None,
              progress_path: Path | None = None, workdir: Path | None = None) -> dict:
    """Each size in turn. ``progress_path``: a JSON file rewritten as the bench goes (see ``ProgressFile``).
    ``workdir``: where the days' data roots and Dagster instances go and stay (default: a temporary folder,
    removed at the end)."""
    rows = []
    progress = ProgressFile(progress_path)
    with tempfile.TemporaryDirectory(prefix="cipher-bench-e2e-") as tmp:
        for calls in sizes:
            rows.append(bench_day(calls, model, seed, Path(workdir) if workdir else Path(tmp), progress))
            progress.finish_size(rows[-1])
            _say(f"e2e: {calls} calls in {rows[-1]['run_wall_seconds']} s, overhead {rows[-1]['dagster_overhead_share']:.1%}")
    out: dict = {"sizes": rows}
    if extrapolate_to:
        out["extrapolated"] = [e for n in extrapolate_to if n not in sizes and (e := extrapolate(rows, n))]
    progress.finish(out)
    return out


def format_e2e(e2e: dict) -> list[str]:
    lines = ["", "End to end: one daily partition through Dagster (end_to_end job, in-process executor, SQLite instance with the repository's dagster.yaml)"]
    lines.append(f"{'calls':>6} {'answered':>8} {'audio min':>9} {'run s':>7} {'s/call':>7} {'ASR s/call':>10} {'Dagster %':>9} "
                 f"{'peak MiB main':>13} {'peak MiB tree':>13}")
    for r in e2e["sizes"]:
        lines.append(
            f"{r['calls']:>6} {r['answered']:>8} {r['audio_minutes']:>9} {r['run_wall_seconds']:>7} {r['seconds_per_call']:>7} "
            f"{str(r['transcription_seconds_per_answered_call']):>10} {r['dagster_overhead_share']:>9.1%} {r['peak_rss_mib']:>13} "
            f"{str(r.get('peak_tree_rss_mib', '-')):>13}"
            + ("" if r["run_success"] else "  (gate held the day: Tier 3 not run)" if r.get("gate_held") else "  (run FAILED)")
        )
    for e in e2e.get("extrapolated", []):
        lines.append(f"{e['calls']:>6} extrapolated from {e['extrapolated_from_calls']} calls: ~{e['run_wall_seconds']:.0f} s, Dagster {e['dagster_overhead_share']:.1%}")
    lines.append(f"memory: {MEMORY_SCOPE}")
    lines.append(f"target: linear in calls; Dagster's overhead under {OVERHEAD_TARGET:.0%} of a 100-call day")
    return lines
