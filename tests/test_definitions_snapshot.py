"""The Dagster graph, pinned: every asset key, group, partitions definition, dependency, check (with its partitions and
blocking flag), job, sensor and schedule. An accidental change to the graph fails here and shows up in review.

A deliberate change: regenerate ``tests/data/definitions_snapshot.json`` with
``python -m tests.test_definitions_snapshot`` and commit the diff with the change that caused it.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from cipher_pipeline.defs import defs

SNAPSHOT = Path(__file__).parent / "data" / "definitions_snapshot.json"


def _partitions(partitions_def) -> dict | None:
    if partitions_def is None:
        return None
    kinds = {dg.DailyPartitionsDefinition: "daily", dg.WeeklyPartitionsDefinition: "weekly", dg.MonthlyPartitionsDefinition: "monthly"}
    kind = next((name for cls, name in kinds.items() if isinstance(partitions_def, cls)), None)
    extra = {}
    if kind is None and isinstance(partitions_def, dg.TimeWindowPartitionsDefinition):
        # e.g. the months of whole ISO weeks: a window from each month's first Monday (insights/periods.py)
        kind, extra = "time_window", {"cron_schedule": partitions_def.cron_schedule, "fmt": partitions_def.fmt}
    assert kind is not None, type(partitions_def)
    return {
        "kind": kind,
        "start": partitions_def.start.strftime("%Y-%m-%d"),
        "timezone": partitions_def.timezone,
        "end_offset": partitions_def.end_offset,
        **extra,
    }


def definitions_snapshot() -> dict:
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "partitions": _partitions(node.partitions_def),
            "deps": sorted(parent.to_user_string() for parent in node.parent_keys),
            "kinds": sorted(node.kinds),
            "tags": dict(sorted(node.tags.items())),
            "pools": sorted(node.pools),
        }
    checks = {}
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        checks[f"{check_key.asset_key.to_user_string()}:{check_key.name}"] = {
            "blocking": spec.blocking,
            "partitions": _partitions(spec.partitions_def),  # a partitioned check's result carries its day
        }
    jobs = {}
    for job in repo.get_all_jobs():
        if job.name.startswith("__"):
            continue  # Dagster's implicit asset job
        selected = job.asset_layer.selected_asset_keys if job.asset_layer else set()
        jobs[job.name] = {
            "assets": sorted(k.to_user_string() for k in selected),
            "partitions": _partitions(job.partitions_def),
        }
    sensors = {
        s.name: {"job": s.job_name, "minimum_interval_seconds": s.minimum_interval_seconds,
                 "default_status": s.default_status.value}
        for s in repo.sensor_defs
    }  # fmt: skip
    schedules = {
        s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone,
                 "default_status": s.default_status.value}
        for s in repo.schedule_defs
    }  # fmt: skip
    return {"assets": assets, "checks": checks, "jobs": dict(sorted(jobs.items())),
            "sensors": dict(sorted(sensors.items())), "schedules": dict(sorted(schedules.items()))}  # fmt: skip


def test_definitions_match_the_snapshot():
    expected = json.loads(SNAPSHOT.read_text())
    assert definitions_snapshot() == expected, "the Dagster graph changed: see this module's docstring"


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(definitions_snapshot(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT}")
