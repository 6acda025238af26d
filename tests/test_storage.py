"""Tier 1 vault, per-partition store, access audit and pseudonyms."""

import os

import polars as pl
import pytest

from cipher_pipeline.audit import read_log
from cipher_pipeline.gate.ledger import fingerprint_file
from cipher_pipeline.storage import PartitionHeld, PartitionNotFound, PartitionStore, analyst_connection
from cipher_pipeline.vault import Tier1Vault, VaultError


def test_tier1_partition_is_encrypted_audited_and_round_trips(settings):
    store = PartitionStore(settings)
    df = pl.DataFrame({"call_id": ["CAL01"], "caller_number": ["619-555-0142"]})
    receipt = store.write("raw_calls", "2026-11-18", df, purpose="test")
    raw_bytes = receipt.path.read_bytes()
    assert b"619-555-0142" not in raw_bytes and b"PAR1" not in raw_bytes  # not readable Parquet on disk
    assert store.read("raw_calls", "2026-11-18", purpose="test").equals(df)
    log = read_log(settings.audit_log)
    assert [(e["action"], e["table"], e["count"]) for e in log] == [("write", "raw_calls", 1), ("read", "raw_calls", 1)]
    assert oct(receipt.path.stat().st_mode & 0o777) == "0o600"
    assert oct(receipt.path.parent.stat().st_mode & 0o777) == "0o700"
    assert "619-555-0142" not in settings.audit_log.read_text()  # (bare "619" can occur in an entry hash)


def test_vault_refuses_a_file_moved_to_another_path(settings):
    vault = Tier1Vault.open(settings.data_root, settings.keys_dir)
    original = settings.data_root / "tier1" / "audio" / "2026-11-18" / "a.enc"
    vault.write(original, b"recording")
    moved = original.with_name("b.enc")
    os.replace(original, moved)
    with pytest.raises(VaultError, match="failed authentication"):
        vault.read(moved)


def test_key_file_is_owner_only_and_outside_the_data_root(settings):
    ring = Tier1Vault.open(settings.data_root, settings.keys_dir).ring
    key_file = settings.keys_dir / "tier1" / f"{ring.current}.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert oct(settings.keys_dir.stat().st_mode & 0o777) == "0o700"
    assert not settings.keys_dir.resolve().is_relative_to(settings.data_root.resolve())


def test_rewriting_a_partition_replaces_it_whole_with_a_stable_fingerprint(settings):
    store = PartitionStore(settings)
    first = store.write("marketing_calls", "2026-11-18", pl.DataFrame({"phrase": ["detox", "insurance"]}))
    again = store.write("marketing_calls", "2026-11-18", pl.DataFrame({"phrase": ["detox", "insurance"]}))
    assert first.sha256 == again.sha256 == fingerprint_file(store.path("marketing_calls", "2026-11-18"))
    store.write("marketing_calls", "2026-11-18", pl.DataFrame({"phrase": ["cost"]}))
    assert store.read("marketing_calls", "2026-11-18")["phrase"].to_list() == ["cost"]
    assert not [p for p in first.path.parent.iterdir() if p.name.startswith(".")]  # no temp files left
    with pytest.raises(PartitionNotFound):
        store.read("marketing_calls", "2026-11-19")


def test_analyst_views_cover_tiers_2_and_3_only(settings):
    store = PartitionStore(settings)
    store.write("raw_calls", "2026-11-18", pl.DataFrame({"call_id": ["CAL01"]}))
    for day in ("2026-11-18", "2026-11-19"):
        store.write("marketing_calls", day, pl.DataFrame({"day": [day], "phrase": ["detox"], "calls": [3]}))
    con = analyst_connection(settings)
    views = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert views == {"marketing_calls"}
    assert con.execute("SELECT SUM(calls) FROM marketing_calls").fetchone()[0] == 6


def test_file_modes_by_tier_and_a_held_partition_is_out_of_tier3_reach(settings):
    store = PartitionStore(settings)
    store.write("qa_sample", "2026-11-18", pl.DataFrame({"transcript_id": ["T" + "0" * 16]}))
    store.write("marketing_calls", "2026-11-18", pl.DataFrame({"phrase": ["detox"], "calls": [3]}))
    assert oct(store.path("qa_sample", "2026-11-18").stat().st_mode & 0o777) == "0o640"
    assert oct(store.path("marketing_calls", "2026-11-18").stat().st_mode & 0o777) == "0o644"
    frame = pl.DataFrame({"transcript_id": ["T" + "1" * 16], "redacted_text": ["a day the gate failed"]})
    store.write("redacted_transcripts", "2026-11-18", frame)
    path = store.path("redacted_transcripts", "2026-11-18")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # held until the gate passes
    with pytest.raises(PartitionHeld):
        store.read("redacted_transcripts", "2026-11-18", purpose="tier 3 aggregates")
    assert store.read("redacted_transcripts", "2026-11-18", purpose="gate: residual scan").equals(frame)
    assert "redacted_transcripts" not in {r[0] for r in analyst_connection(settings).execute("SHOW TABLES").fetchall()}
    store.set_released("redacted_transcripts", "2026-11-18", True)
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert store.read("redacted_transcripts", "2026-11-18", purpose="tier 3 aggregates").equals(frame)


def test_a_full_disk_mid_write_leaves_the_old_partition_whole_and_no_temp_file(settings, monkeypatch):
    import errno

    store = PartitionStore(settings)
    store.write("raw_calls", "2026-11-18", pl.DataFrame({"call_id": ["CAL01"]}), purpose="test")
    store.write("marketing_calls", "2026-11-18", pl.DataFrame({"phrase": ["detox"]}))

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    for table, frame in (("raw_calls", pl.DataFrame({"call_id": ["CAL02"]})), ("marketing_calls", pl.DataFrame({"phrase": ["cost"]}))):
        with pytest.raises(OSError, match="No space left"):
            store.write(table, "2026-11-18", frame, purpose="test")
        assert not [p for p in store.path(table, "2026-11-18").parent.iterdir() if p.name.startswith(".")]
    monkeypatch.undo()
    assert store.read("raw_calls", "2026-11-18", purpose="test")["call_id"].to_list() == ["CAL01"]
    assert store.read("marketing_calls", "2026-11-18")["phrase"].to_list() == ["detox"]


def test_analyst_views_include_every_published_insight_period(settings):
    root = settings.tier_dir(3) / "insights"
    for period, calls in (("2026-11-16", 12), ("2026-W47", 80), ("2026-11", 300)):
        (root / "concerns").mkdir(parents=True, exist_ok=True)
        pl.DataFrame({"period": [period], "concern": ["insurance_and_cost"], "calls": [calls]}).write_parquet(root / "concerns" / f"{period}.parquet")
    (root / "reports").mkdir()
    (root / "reports" / "2026-W47.html").write_text("<html></html>")
    con = analyst_connection(settings)
    assert {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()} == {"insight_concerns"}
    assert con.execute("SELECT calls FROM insight_concerns WHERE period = '2026-W47'").fetchone()[0] == 80
