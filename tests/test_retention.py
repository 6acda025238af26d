"""Tier 1 retention: only ingested files past their period go, holds keep, counts are true, a purge is final."""

import hashlib
from datetime import date

import polars as pl
import pytest

from cipher_pipeline.audit import read_log, verify
from cipher_pipeline.retention import (
    PurgedDay,
    RetentionPolicy,
    manifest_frame,
    plan_purge,
    purge_note,
    purge,
    refuse_if_purged,
    set_hold,
)
from cipher_pipeline.storage import PartitionStore

TODAY = date(2026, 11, 22)
POLICY = RetentionPolicy(inbox_days=7, recordings_days=365, tier1_days=365)


def _ingested_day(settings, store, day, calls=("CALa", "CALb"), late=False):
    """A day as ingest leaves it: inbox files, their manifest, raw_calls rows and encrypted recordings."""
    folder = settings.inbox / day
    folder.mkdir(parents=True)
    ingested = {}
    for call in calls:
        (folder / f"{call}.wav").write_bytes(f"audio {call} {day}".encode())
        ingested[f"{call}.wav"] = hashlib.sha256((folder / f"{call}.wav").read_bytes()).hexdigest()
        store.write_blob(settings.audio_vault / day / f"{call}.audio.enc", b"audio", "recordings", day, "test")
    store.write("inbox_manifest", day, manifest_frame(day, ingested), purpose="test")
    store.write("raw_calls", day, pl.DataFrame({"call_id": list(calls)}), purpose="test")
    store.write("transcripts", day, pl.DataFrame({"call_id": list(calls), "text": ["t"] * len(calls)}), purpose="test")
    if late:  # a recording that landed after ingest: never ingested
        (folder / "LATE.wav").write_bytes(b"late audio")


def test_sweep_deletes_only_ingested_files_past_their_period_with_true_counts(settings):
    store = PartitionStore(settings)
    _ingested_day(settings, store, "2025-01-10")
    _ingested_day(settings, store, "2026-11-10", late=True)
    _ingested_day(settings, store, "2026-11-20")
    (settings.inbox / "2026-11-01").mkdir()
    (settings.inbox / "2026-11-01" / "X.wav").write_bytes(b"dropped, never ingested")

    plan = plan_purge(settings, POLICY, today=TODAY)
    assert plan.inbox == {"2025-01-10": ["CALa.wav", "CALb.wav"], "2026-11-10": ["CALa.wav", "CALb.wav"]}
    assert plan.inbox_kept == {"2026-11-01": 1, "2026-11-10": 1}
    assert plan.tier1 == ["2025-01-10"] and plan.recordings == ["2025-01-10"]
    totals = purge(settings, plan)

    assert totals == {"inbox_files": 4, "recordings": 2, "quarantine_files": 0, "rows": 4 + 2}
    assert sorted(p.name for p in (settings.inbox / "2026-11-10").iterdir()) == ["LATE.wav"]  # the late one stays
    assert (settings.inbox / "2026-11-01" / "X.wav").exists()
    assert store.days("raw_calls") == ["2026-11-10", "2026-11-20"]
    assert not (settings.audio_vault / "2025-01-10").exists()
    deletes = {(e["table"], e["day"]): e["count"] for e in read_log(settings.audit_log) if e["action"] == "delete"}
    assert deletes[("raw_calls", "2025-01-10")] == 2 and deletes[("recordings", "2025-01-10")] == 2
    assert deletes[("inbox", "2026-11-10")] == 2
    assert verify(settings.audit_log).ok


def test_legal_hold_on_a_day_keeps_it_and_on_a_call_keeps_that_call(settings):
    store = PartitionStore(settings)
    _ingested_day(settings, store, "2025-01-10")
    _ingested_day(settings, store, "2025-01-11")
    set_hold(settings, day="2025-01-10", reason="litigation 2026-7")
    set_hold(settings, call="CALb", reason="records request")
    plan = plan_purge(settings, POLICY, today=TODAY)
    assert plan.held_days == ["2025-01-10"] and "2025-01-10" not in plan.tier1 and "2025-01-10" not in plan.inbox
    purge(settings, plan)
    assert store.read("raw_calls", "2025-01-10", purpose="test")["call_id"].to_list() == ["CALa", "CALb"]
    assert store.read("raw_calls", "2025-01-11", purpose="test")["call_id"].to_list() == ["CALb"]
    assert store.read("transcripts", "2025-01-11", purpose="test")["call_id"].to_list() == ["CALb"]
    assert sorted(p.name for p in (settings.audio_vault / "2025-01-11").iterdir()) == ["CALb.audio.enc"]
    assert "CALb" not in settings.audit_log.read_text()  # the log names holds by kind, never the call id


def test_a_purged_day_is_final(settings):
    store = PartitionStore(settings)
    _ingested_day(settings, store, "2025-01-10")
    purge(settings, plan_purge(settings, POLICY, today=TODAY))
    with pytest.raises(PurgedDay, match="purged by the retention policy.*Tier 2 and Tier 3 for the day are left"):
        refuse_if_purged(settings, "2025-01-10")
    refuse_if_purged(settings, "2026-11-20")  # a day never purged goes on
    assert purge_note(settings, "2025-01-10").startswith("Tier 1 purged by retention on ")
    assert purge_note(settings, "2026-11-20") == ""


def test_the_scheduled_sweep_runs_the_same_purge(settings):
    from cipher_pipeline.defs import defs

    store = PartitionStore(settings)
    _ingested_day(settings, store, "2025-01-10")
    cipher = {"resources": {"cipher": {"config": {"data_root": str(settings.data_root)}}}}  # configured by value
    result = defs.resolve_job_def("retention_job").execute_in_process(run_config=cipher)
    assert result.success and result.output_for_node("retention_sweep")["rows"] == 6  # 2 calls x (raw_calls, transcripts, manifest)
    assert store.days("raw_calls") == []
    assert defs.resolve_schedule_def("nightly_retention_sweep").cron_schedule == "30 3 * * *"
