"""``cipher demo``, ``cipher materialize`` and ``cipher status``: run the asset graph headlessly.

Runs go through the Dagster instance in ``$DAGSTER_HOME``, so everything the demo materializes is visible
afterwards in ``make ui`` (runs, metadata, check results, lineage).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cipher_pipeline.gate.ledger import read_evidence
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.keys import MissingKey, init_keys, load_ring
from cipher_pipeline.report import demo_summary, gate_status_table, release_state
from cipher_pipeline.settings import PROJECT_ROOT, Settings, dagster_home
from cipher_pipeline.storage import PartitionBusy, partition_lock


def _ensure_dagster_home() -> Path:
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    source = PROJECT_ROOT / "dagster.yaml"
    if source.exists() and (not config.exists() or config.read_bytes() != source.read_bytes()):
        config.write_bytes(source.read_bytes())
    return home


def _cpu_seconds() -> float:
    """CPU time of this process and its children (espeak-ng, sox): what 'audio minutes per CPU minute' divides by."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Exit statuses of `cipher materialize` (docs/runbook.md): a day the gate or QA holds is a normal state, not a crash.
EXIT_OK, EXIT_FAILED, EXIT_HELD = 0, 1, 3
OK, HELD, FAILED = "ok", "held", "failed"


def materialize_days(days: list[str], job_name: str = "end_to_end", cipher_config: dict | None = None) -> dict[str, str]:
    """Run ``job_name`` for each day on the persistent instance; returns day -> "ok", "held" (the gate or QA
    holds the day: every failed step is a gate check or a refused release) or "failed" (anything else).

    ``cipher_config`` sets fields of the ``cipher`` resource for these runs (the demo's model and QA switch);
    fields left out come from the settings (``CIPHER_*``), as in any other run."""
    _ensure_dagster_home()
    # Imported here, after DAGSTER_HOME is set, and only by the commands that run jobs: loading Dagster and the
    # definitions takes seconds that `cipher --help`, `cipher status` and `cipher qa` do not need.
    from dagster import DagsterInstance, DailyPartitionsDefinition

    from cipher_pipeline.defs import defs
    from cipher_pipeline.defs.resources import CipherResource
    job = defs.resolve_job_def(job_name)
    daily_job = isinstance(job.partitions_def, DailyPartitionsDefinition)
    outcome = {}
    settings = CipherResource(**(cipher_config or {})).settings  # the data root these runs use, for the day lock
    with DagsterInstance.get() as instance:
        _fail_dead_cli_runs(instance)
        for index, day in enumerate(days, start=1):
            started = time.monotonic()
            _say(f"[{index}/{len(days)}] {job_name} {day} ...")
            try:
                with partition_lock(settings, day):  # in-process runs bypass the run queue: one run per day at a time
                    result = job.execute_in_process(
                        partition_key=day,
                        instance=instance,
                        raise_on_error=False,
                        tags={"cipher/trigger": "cli", "cipher/pid": str(os.getpid())},
                        # Every event stays in the run's event log for the UI; the terminal gets one line per failed step.
                        run_config={
                            "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                            **({"resources": {"cipher": {"config": cipher_config}}} if cipher_config else {}),
                        },
                    )
            except PartitionBusy as busy:
                outcome[day] = FAILED
                _say(f"[{index}/{len(days)}] {job_name} {day} REFUSED: {busy}")
                continue
            outcome[day] = _day_outcome(result)
            state = "ok" if result.success else "FAILED (details: `make ui`, run " + result.run_id[:8] + ")"
            if outcome[day] == HELD:
                state = "HELD by the gate (not a failure)"
            note = _quarantine_note(result)
            if note:  # a day with a quarantined row or recording is never reported as plain "ok"
                state = f"{state}; {note}" if not result.success else note
            _say(f"[{index}/{len(days)}] {job_name} {day} {state} in {time.monotonic() - started:.0f}s")
            if outcome[day] == HELD and daily_job:
                _say_held(cipher_config, day)
                continue
            # A roll-up (a week, a month) is held by whichever of its days the gate holds: its step says which.
            for step, reason in _step_failures(result):
                _say(f"      {step}: {reason}")
    return outcome


def _fail_dead_cli_runs(instance) -> None:
    """A CLI run whose process was killed stays STARTED forever in the instance; mark it failed."""
    from dagster import DagsterRunStatus, RunsFilter

    for run in instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED], tags={"cipher/trigger": "cli"})):
        pid = run.tags.get("cipher/pid")
        if pid and pid.isdigit() and not _alive(int(pid)):
            instance.report_run_failed(run, message=f"the CLI process {pid} running it is gone (killed); marked failed")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Per-call losses a day's run reports beside its state: the ingest's quarantine and the calls transcription left out.
_DAY_NOTES = (("raw_calls", "quarantine_note"), ("transcripts", "transcription_note"))


def _quarantine_note(result) -> str:
    """The ingest's quarantine note and the transcription note (counts by class), from the raw_calls and
    transcripts materialization metadata, joined with '; ': 'PARTIAL: ...' whenever a call was left out."""
    notes = []
    for asset, key in _DAY_NOTES:
        for event in result.all_events:
            if event.event_type_value == "ASSET_MATERIALIZATION":
                materialization = event.event_specific_data.materialization
                if materialization.asset_key.path[-1] == asset:
                    note = materialization.metadata.get(key)
                    if note is not None and note.value != "none":
                        notes.append(str(note.value))
                    break
    joined = "; ".join(notes)
    return joined if not joined or joined.startswith("PARTIAL") else f"PARTIAL: {joined}"


_HOLDING_ERRORS = ("DagsterAssetCheckFailedError",)


def _day_outcome(result) -> str:
    if result.success:
        return OK
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    for event in failures:
        data = event.step_failure_data
        error = data.error if data else None
        while error is not None and error.cause is not None and error.cls_name == "DagsterExecutionStepExecutionError":
            error = error.cause
        held = error is not None and (
            error.cls_name in _HOLDING_ERRORS
            or (data.user_failure_data is not None and _gate_closed(data.user_failure_data.metadata))
        )
        if not held:
            return FAILED
    return HELD if failures else FAILED


def _gate_closed(metadata) -> bool:
    value = (metadata or {}).get("gate")
    return getattr(value, "value", value) == "closed"


def _say_held(cipher_config: dict | None, day: str) -> None:
    """What holds the day and the command that moves it on: the same answer `cipher status` gives."""
    from cipher_pipeline.defs.resources import CipherResource  # with Dagster, already loaded by this command

    settings = CipherResource(**(cipher_config or {})).settings
    release = release_state(settings, day)
    _say(f"      tier 3 {release.state}: {release.reason}")
    if release.command:
        _say(f"      to release it: {release.command}")


def _step_failures(result) -> list[tuple[str, str]]:
    """(step, first line of its error) for each failed step; Cipher's errors carry counts, never Tier 1 text."""
    failures = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE" and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            # Dagster wraps the asset's own exception; the cause says what went wrong.
            while error.cause is not None and error.cls_name == "DagsterExecutionStepExecutionError":
                error = error.cause
            # First lines only: "2 blocking asset checks failed ...:" is followed by the checks' names.
            message = " ".join(line.strip() for line in error.message.strip().splitlines()[:3] if line.strip())
            prefix, _, rest = message.partition(": ")
            if rest and " " not in prefix:  # drop the "package.module.ErrorClass: " prefix
                message = rest
            failures.append((event.step_key, f"{error.cls_name}: {message}"[:300]))
    return failures


def demo_days(count: int, tz: str) -> list[date]:
    today = datetime.now(ZoneInfo(tz)).date()
    return [today - timedelta(days=offset) for offset in range(count, 0, -1)]


def planted_preview(settings: Settings, n_calls: int = 100, days: int = 7) -> str:
    """What the weekly insights read like at volume: a few dozen spoken calls leave nearly every cell under
    k = 11, so the demo also runs a week of planted text-level calls (cipher_devtools/synth/planted.py) through
    the same de-identification and insight engine, and says so."""
    from collections import defaultdict

    from cipher_pipeline.deid import Redactor
    from cipher_pipeline.insights import features, periods, publish, report, suppression
    # The planted generator is dev tooling (cipher_devtools); only the demo's preview needs it, so it is imported
    # here and the engine itself never imports cipher_devtools (tests/test_import_layers.py).
    from cipher_devtools.synth.planted import PlantedSpec, generate

    calls = generate(PlantedSpec(), n_calls, days)
    taxonomy = publish.taxonomy_for(settings.specs_dir)
    by_day = defaultdict(list)
    for call, result in zip(calls, Redactor.default().redact_many([c.text for c in calls])):
        by_day[call.day].append(features.extract(call.day, call.call_id, result.redacted_text, taxonomy))
    week = periods.week_of(calls[0].day)
    tables = publish.build_period(week, dict(by_day), taxonomy, suppression.small_cell_k(settings.specs_dir)).tables
    lines = [f"the same insights at volume ({n_calls} planted text-level calls, one week; not the audio above):"]
    return "\n".join(lines + [f"  - {line}" for line in report.headlines(tables)])


def run_demo(args) -> int:
    # The demo configures its runs through the Dagster resource, never the environment.
    cipher_config: dict = {"whisper_model": args.model}
    if not args.require_qa:
        # Said out loud: in production release waits on a human reviewing >=10% of each day.
        cipher_config["require_qa"] = False
    settings = replace(Settings.from_env(), **cipher_config)
    started = time.monotonic()
    cpu_started = _cpu_seconds()
    days = demo_days(args.days, settings.timezone)
    _say(f"Cipher demo: {len(days)} days x {args.calls_per_day} synthetic calls, whisper {args.model}, data in {settings.data_root}")
    if not args.require_qa:
        _say("NOTE: human QA review is switched OFF for this demo (require_qa=false); production requires it.")

    # The generator is dev tooling (cipher_devtools); only the demo needs it, so the engine does not import it.
    from cipher_devtools.synth import generate_calls

    def progress(done: int, total: int) -> None:
        _say(f"  synthesizing calls {done}/{total}")

    synth = generate_calls(
        inbox=settings.inbox, gold=settings.data_root / "synth_gold", days=days, calls_per_day=args.calls_per_day,
        seed=args.seed, phone_band=args.phone_band, progress=progress,
    )  # fmt: skip
    _say(f"  {len(synth.calls)} calls, {synth.audio_seconds / 60:.1f} audio minutes in {settings.inbox}")
    try:
        load_ring(settings.keys_dir, settings.tier1_key)
    except MissingKey:
        # The demo is an explicit set-up command; a run never makes a key (see `cipher keys init`).
        _say(f"  no Tier 1 key yet: creating one in {settings.keys_dir} (as `cipher keys init` does)")
        init_keys(settings.keys_dir)
    keys = [d.isoformat() for d in days]
    outcome = materialize_days(keys, cipher_config=cipher_config)
    # Whisper decodes in a worker process the runs share; ending it now puts its CPU time in this process's
    # children's, which the audio-minutes-per-CPU-minute figure divides by (and frees the model's memory).
    from cipher_pipeline.defs.resources import close_transcribers

    close_transcribers()
    print(demo_summary(settings, keys, outcome, time.monotonic() - started, _cpu_seconds() - cpu_started))
    # Insights roll up by ISO week (a day alone rarely reaches the small-cell threshold): run and show them.
    from cipher_pipeline.insights.periods import week_of, week_start
    from cipher_pipeline.insights.publish import insight_lines

    weeks = sorted({week_start(day) for day, state in outcome.items() if state == OK})
    materialize_days(weeks, "insight_rollups", cipher_config=cipher_config)
    print(insight_lines(GatePaths.of(settings).insights(), [week_of(w) for w in weeks]))
    print(planted_preview(settings))
    # A day the gate held is the product working, not a failed demo; a day that never reached the gate is.
    evidence_dir = GatePaths.of(settings).gate_evidence_dir
    unreached = [day for day, state in outcome.items() if state == FAILED and read_evidence(evidence_dir, day) is None]
    if unreached:
        _say(f"ERROR: {len(unreached)} day(s) failed before reaching the gate: {', '.join(unreached)}")
    return 1 if unreached else 0


def run_materialize(args) -> int:
    """Exit 0: every day ran and nothing holds it; 3: no failure, but the gate or QA holds at least one day (the
    lines above say what and how to release it); 1: a real failure (a step crashed, bad input, a lock)."""
    outcome = materialize_days(args.day, args.job)
    if FAILED in outcome.values():
        return EXIT_FAILED
    return EXIT_HELD if HELD in outcome.values() else EXIT_OK


def run_status(args) -> int:
    print(gate_status_table(Settings.from_env(), args.day or None))
    return 0


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="generate synthetic calls and run every tier end to end")
    demo.add_argument("--days", type=int, default=3)
    # Eight a day: after missed calls, enough answered ones for concerns and phrases to clear small-cell
    # suppression, while the demo stays a few minutes on two cores (k = 11 hides most of a 8-call day: the
    # planted-volume preview below shows what Tier 3 looks like at volume).
    demo.add_argument("--calls-per-day", type=int, default=8)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--model", default=Settings.from_env().whisper_model, choices=["base", "tiny.en"])
    demo.add_argument("--phone-band", action="store_true", help="8 kHz, 300-3400 Hz audio like a real phone line")
    demo.add_argument("--require-qa", action="store_true", help="keep the human QA gate on (Tier 3 then waits)")
    demo.set_defaults(func=run_demo)

    mat = subparsers.add_parser("materialize", help="run a job for one or more days on the Dagster instance")
    mat.add_argument("day", nargs="+", help="partition day(s), YYYY-MM-DD")
    mat.add_argument("--job", default="end_to_end", choices=["end_to_end", "process_calls", "release_insights", "insight_rollups", "insight_monthly"])
    mat.set_defaults(func=run_materialize)

    status = subparsers.add_parser("status", help="gate status per day: released or held, and why")
    status.add_argument("day", nargs="*")
    status.set_defaults(func=run_status)
