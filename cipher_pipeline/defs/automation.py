"""Jobs, the inbox sensor, the release sensor and the nightly schedule.

- ``process_calls``: Tier 1 and Tier 2 for a day (ingest, transcribe, redact, gate, draw the QA sample).
- ``release_insights``: Tier 3 for a day. Its assets refuse to run unless the day's gate evidence is a pass
  for the redacted bytes on disk and QA is complete when required, so the job can be started from anywhere.
- ``end_to_end``: both, for the demo and for engineers materializing a day by hand.
"""


import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from cipher_pipeline.defs.partitions import CALL_DAY_TIMEZONE, daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.gate.ledger import evidence_days
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.release import day_release
from cipher_pipeline.gate.thresholds import thresholds_in_force
from cipher_pipeline.ingest import inbox_days

TIER12 = dg.AssetSelection.groups("tier1_clinical", "tier2_gate")
TIER3 = dg.AssetSelection.groups("tier3_analysis")

process_calls_job = dg.define_asset_job(
    "process_calls", selection=TIER12,
    description="Ingest, transcribe, de-identify and gate one call day; draws the QA sample.",
)  # fmt: skip
release_insights_job = dg.define_asset_job(
    "release_insights", selection=TIER3,
    description="Publish Tier 3 output for a day whose gate passed.",
)  # fmt: skip
end_to_end_job = dg.define_asset_job(
    "end_to_end", selection=TIER12 | TIER3,
    description="Every tier for one day, in one run.",
)  # fmt: skip


def inbox_run_requests(inbox_state: dict[str, str], cursor: dict[str, str], valid_days: set[str]) -> list[dg.RunRequest]:
    """A run for every day folder that is new or changed since the cursor.

    The run key carries the day's fingerprint, so a late recording for a past day (new fingerprint) gets a new
    run, while a sensor restart that re-reads an unchanged inbox requests nothing twice.
    """
    requests = []
    for day, fingerprint in sorted(inbox_state.items()):
        if cursor.get(day) == fingerprint or day not in valid_days:
            continue
        requests.append(dg.RunRequest(run_key=f"inbox:{day}:{fingerprint[:16]}", partition_key=day, tags={"cipher/trigger": "inbox_sensor"}))
    return requests


@dg.sensor(job=process_calls_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.STOPPED)
def inbox_sensor(context: dg.SensorEvaluationContext, cipher: CipherResource) -> dg.SensorResult:
    """Watches the inbox for new or changed day folders and requests `process_calls` for those days."""
    cursor = json.loads(context.cursor) if context.cursor else {}
    state = inbox_days(cipher.settings.inbox)
    valid = set(daily_partitions.get_partition_keys(dynamic_partitions_store=None))
    requests = inbox_run_requests(state, cursor, valid)
    skipped = sorted(set(state) - valid)
    if skipped:
        context.log.warning(f"inbox folders outside the partition range are ignored: {len(skipped)}")
    # The cursor keeps every day's fingerprint: it survives restarts (Dagster stores it) and makes late
    # arrivals for past days visible as a changed fingerprint.
    new_cursor = {**cursor, **{day: fp for day, fp in state.items() if day in valid}}
    if not requests:
        return dg.SensorResult(skip_reason="no new or changed recordings", cursor=json.dumps(new_cursor, sort_keys=True))
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(new_cursor, sort_keys=True))


@dg.schedule(
    cron_schedule="0 2 * * *",
    job=process_calls_job,
    execution_timezone=CALL_DAY_TIMEZONE,
    name="nightly_process_calls",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Re-processes yesterday at 02:00 center time: catches anything the inbox sensor missed.

    Written out rather than built from the partitioned job, because the partitions include today (so the
    sensor can process today's calls) and the built-in schedule would target today's still-open day.
    """
    yesterday = (context.scheduled_execution_time.astimezone(ZoneInfo(CALL_DAY_TIMEZONE)) - timedelta(days=1)).date()
    return dg.RunRequest(
        run_key=f"nightly:{yesterday.isoformat()}", partition_key=yesterday.isoformat(), tags={"cipher/trigger": "schedule"}
    )


def releasable_days(cipher: CipherResource) -> list[tuple[str, str]]:
    """(day, release key) for every day whose gate is open for a partition version not yet published: the same
    ``day_release`` that `cipher status` and the demo summary report, so the sensor never disagrees with them."""
    paths, thresholds = GatePaths.of(cipher.settings), thresholds_in_force(cipher.settings)
    ready = []
    for day in evidence_days(paths.gate_evidence_dir):
        release = day_release(paths, day, thresholds)
        if release.needs_release:
            ready.append((release.day, f"{release.fingerprint[:16]}:{release.state}"))
    return ready


@dg.sensor(job=release_insights_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def release_sensor(context: dg.SensorEvaluationContext, cipher: CipherResource) -> dg.SensorResult:
    """Requests `release_insights` for a day once its gate passed and (when required) its QA is complete.

    One run per partition version: the run key is the redacted partition's digest, so a day is released again
    only when it was re-redacted and passed again (or its output was withdrawn and the finding corrected)."""
    requests = [
        dg.RunRequest(run_key=f"release:{day}:{key}", partition_key=day, tags={"cipher/trigger": "release_sensor"})
        for day, key in releasable_days(cipher)
    ]
    if not requests:
        return dg.SensorResult(skip_reason="no day is newly releasable")
    return dg.SensorResult(run_requests=requests)
