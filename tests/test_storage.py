"""Tier 1 vault, per-partition store, access audit and pseudonyms."""

import os

import polars as pl
import pytest

from cipher_pipeline.audit import read_log
from cipher_pipeline.gate.ledger import fingerprint_file
from cipher_pipeline.pseudonyms import Pseudonymizer
from cipher_pipeline.storage import PartitionNotFound, PartitionStore, analyst_connection
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
    assert "619" not in settings.audit_log.read_text()


def test_vault_refuses_a_file_moved_to_another_path(settings):
    vault = Tier1Vault.open(settings.data_root, settings.keys_dir)
    original = settings.data_root / "tier1" / "audio" / "2026-11-18" / "a.enc"
    vault.write(original, b"recording")
    moved = original.with_name("b.enc")
    os.replace(original, moved)
    with pytest.raises(VaultError, match="failed authentication"):
        vault.read(moved)


def test_key_file_is_owner_only(settings):
    Tier1Vault.open(settings.data_root, settings.keys_dir)
    assert oct((settings.keys_dir / "tier1.key").stat().st_mode & 0o777) == "0o600"


def test_rewriting_a_partition_replaces_it_whole_with_a_stable_fingerprint(settings):
    store = PartitionStore(settings)
    first = store.write("phrase_counts", "2026-11-18", pl.DataFrame({"phrase": ["detox", "insurance"]}))
    again = store.write("phrase_counts", "2026-11-18", pl.DataFrame({"phrase": ["detox", "insurance"]}))
    assert first.sha256 == again.sha256 == fingerprint_file(store.path("phrase_counts", "2026-11-18"))
    store.write("phrase_counts", "2026-11-18", pl.DataFrame({"phrase": ["cost"]}))
    assert store.read("phrase_counts", "2026-11-18")["phrase"].to_list() == ["cost"]
    assert not [p for p in first.path.parent.iterdir() if p.name.startswith(".")]  # no temp files left
    with pytest.raises(PartitionNotFound):
        store.read("phrase_counts", "2026-11-19")


def test_analyst_views_cover_tiers_2_and_3_only(settings):
    store = PartitionStore(settings)
    store.write("raw_calls", "2026-11-18", pl.DataFrame({"call_id": ["CAL01"]}))
    for day in ("2026-11-18", "2026-11-19"):
        store.write("phrase_counts", day, pl.DataFrame({"day": [day], "phrase": ["detox"], "calls": [3]}))
    con = analyst_connection(settings)
    views = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert views == {"phrase_counts"}
    assert con.execute("SELECT SUM(calls) FROM phrase_counts").fetchone()[0] == 6


def test_pseudonyms_are_stable_distinct_per_purpose_and_keyed(settings):
    p = Pseudonymizer.open(settings.keys_dir)
    t, m = p.transcript_id("CALabc"), p.marketing_call_id("CALabc")
    assert t.startswith("T") and m.startswith("M") and t[1:] != m[1:]
    assert Pseudonymizer.open(settings.keys_dir).transcript_id("CALabc") == t
    assert Pseudonymizer(b"\x01" * 32).transcript_id("CALabc") != t  # another key, another id
