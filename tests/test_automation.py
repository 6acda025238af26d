"""The inbox sensor (cursor, late arrivals, restarts), the release sensor, the schedule and the jobs."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from cipher_pipeline.defs import defs
from cipher_pipeline.defs.automation import inbox_sensor, release_sensor
from cipher_pipeline.defs.resources import CipherResource


def _resource(tmp_path) -> CipherResource:
    return CipherResource(data_root=str(tmp_path / "data"), inbox=str(tmp_path / "inbox"), whisper_model="tiny.en")


def _drop(tmp_path, day: str, name: str, payload: bytes = b"x") -> None:
    folder = tmp_path / "inbox" / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(payload)


def _tick(resource, cursor=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"cipher": resource})
    return inbox_sensor(context), context


def test_inbox_sensor_requests_each_new_day_once_and_keeps_a_cursor(tmp_path):
    resource = _resource(tmp_path)
    _drop(tmp_path, "2026-11-17", "call_tracking.csv")
    _drop(tmp_path, "2026-11-18", "call_tracking.csv")
    (tmp_path / "inbox" / "scratch").mkdir()  # not a day folder: ignored
    first, _ = _tick(resource)
    assert [r.partition_key for r in first.run_requests] == ["2026-11-17", "2026-11-18"]
    assert all(r.job_name in (None, "process_calls") for r in first.run_requests)

    # A restart re-reads the same inbox with the stored cursor: nothing is requested twice.
    second, _ = _tick(resource, first.cursor)
    assert not second.run_requests and second.skip_reason

    # A late recording for a past day changes that day's fingerprint: one new run, with a new run key.
    _drop(tmp_path, "2026-11-17", "CAL_late.wav", b"late")
    third, _ = _tick(resource, second.cursor)
    assert [r.partition_key for r in third.run_requests] == ["2026-11-17"]
    assert third.run_requests[0].run_key != first.run_requests[0].run_key
    assert set(json.loads(third.cursor)) == {"2026-11-17", "2026-11-18"}


def test_inbox_sensor_ignores_days_outside_the_partitions(tmp_path):
    resource = _resource(tmp_path)
    _drop(tmp_path, "1999-01-01", "call_tracking.csv")
    result, _ = _tick(resource)
    assert not result.run_requests


def test_release_sensor_requests_nothing_without_gate_evidence(tmp_path):
    context = dg.build_sensor_context(resources={"cipher": _resource(tmp_path)})
    result = release_sensor(context)
    assert not result.run_requests


def test_schedule_runs_yesterdays_partition_at_two():
    schedule = defs.resolve_schedule_def("nightly_process_calls")
    tick = datetime(2026, 11, 20, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    request = schedule(dg.build_schedule_context(scheduled_execution_time=tick))
    assert request.partition_key == "2026-11-19"
    assert schedule.cron_schedule == "0 2 * * *" and schedule.execution_timezone == "America/Los_Angeles"


def test_jobs_split_tiers_so_release_can_wait_for_the_gate():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {
        "raw_calls": "tier1_clinical",
        "transcripts": "tier1_clinical",
        "redacted_transcripts": "tier2_gate",
        "qa_sample": "tier2_gate",
        "marketing_calls": "tier3_analysis",
        "insights_daily": "tier3_analysis",
        "insights_weekly": "tier3_rollups",
        "insights_monthly": "tier3_rollups",
        "access_audit": "audit",  # unpartitioned, in no daily job
    }
    release = defs.resolve_job_def("release_insights")
    assert {k.to_user_string() for k in release.asset_layer.executable_asset_keys} == {
        "marketing_calls", "insights_daily"
    }  # fmt: skip
