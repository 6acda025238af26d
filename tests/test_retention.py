"""Tier 1 retention: old days are purged and audited; un-ingested inbox drops are never removed."""

from datetime import date

import polars as pl

from cipher_pipeline.audit import read_log
from cipher_pipeline.retention import RetentionPolicy, plan_purge, purge
from cipher_pipeline.storage import PartitionStore


def test_purge_removes_old_tier1_days_and_ingested_inbox_folders(settings):
    store = PartitionStore(settings)
    for day in ("2025-01-10", "2026-11-10", "2026-11-20"):
        store.write("raw_calls", day, pl.DataFrame({"call_id": [f"CAL{day}"]}), purpose="test")
        store.vault.write(settings.audio_vault / day / "CAL.audio.enc", b"audio")
        (settings.inbox / day).mkdir(parents=True)
    (settings.inbox / "2026-11-01").mkdir()  # dropped but never ingested: must stay

    plan = plan_purge(settings, RetentionPolicy(inbox_days=7, tier1_days=365), today=date(2026, 11, 22))
    assert plan.inbox == ["2025-01-10", "2026-11-10"]
    assert plan.tier1 == ["2025-01-10"]
    purge(settings, plan)

    assert store.days("raw_calls") == ["2026-11-10", "2026-11-20"]
    assert not (settings.audio_vault / "2025-01-10").exists()
    assert sorted(p.name for p in settings.inbox.iterdir()) == ["2026-11-01", "2026-11-20"]
    deletions = [(e["table"], e["day"]) for e in read_log(settings.audit_log) if e["action"] == "delete"]
    assert ("raw_calls", "2025-01-10") in deletions and ("audio", "2025-01-10") in deletions
    assert ("inbox", "2026-11-10") in deletions
