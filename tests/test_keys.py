"""Keys: made only on purpose, a missing or wrong key stops with a remedy and changes nothing, rotation."""

import base64
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import polars as pl
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cipher_pipeline.access import rotate_keys
from cipher_pipeline.audit import read_log, verify
from cipher_pipeline.keys import KeysExist, MissingKey, init_keys, load_ring
from cipher_pipeline.storage import PartitionStore
from cipher_pipeline.vault import DecryptionFailed, Tier1Vault, file_key_id

DAY = "2026-11-18"


def _snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != "access.jsonl" and "_audit" not in p.parts}


def test_a_missing_key_stops_with_the_remedy_and_mints_nothing(settings):
    store = PartitionStore(settings)
    store.write("raw_calls", DAY, pl.DataFrame({"call_id": ["CAL1"]}), purpose="test")
    shutil.rmtree(settings.keys_dir)  # a restore that forgot the keys, or a wrong mount
    before = _snapshot(settings.data_root)
    for action in (
        lambda s: s.read("raw_calls", DAY, purpose="test"),
        lambda s: s.write("raw_calls", "2026-11-19", pl.DataFrame({"call_id": ["CAL2"]}), purpose="test"),
    ):
        with pytest.raises(MissingKey, match="no Tier 1 key.*`cipher keys init`.*restore the keys folder"):
            action(PartitionStore(settings))
    assert not settings.keys_dir.exists()  # no key minted as a side effect
    assert _snapshot(settings.data_root) == before
    assert [e["action"] for e in read_log(settings.audit_log)][-1] == "key_missing"


def test_a_wrong_key_is_named_by_id_and_nothing_is_written(settings):
    PartitionStore(settings).write("raw_calls", DAY, pl.DataFrame({"call_id": ["CAL1"]}), purpose="test")
    right = load_ring(settings.keys_dir).current
    shutil.rmtree(settings.keys_dir)
    settings = replace(settings, tier1_key=base64.b64encode(os.urandom(32)).decode())  # an injected, wrong key
    before = _snapshot(settings.data_root)
    with pytest.raises(MissingKey, match=f"Tier 1 key {right} is not in the key ring.*Restore that key file"):
        PartitionStore(settings).write("raw_calls", "2026-11-19", pl.DataFrame({"call_id": ["CAL2"]}), purpose="test")
    assert _snapshot(settings.data_root) == before


def test_init_refuses_to_replace_a_key(settings):
    with pytest.raises(KeysExist):
        init_keys(settings.keys_dir)


def test_a_tampered_file_fails_and_the_failed_decryption_is_audited(settings):
    store = PartitionStore(settings)
    receipt = store.write("raw_calls", DAY, pl.DataFrame({"call_id": ["CAL1"]}), purpose="test")
    blob = bytearray(receipt.path.read_bytes())
    blob[-1] ^= 1
    receipt.path.write_bytes(bytes(blob))
    with pytest.raises(DecryptionFailed, match="failed authentication under key"):
        store.read("raw_calls", DAY, purpose="test")
    assert read_log(settings.audit_log)[-1]["action"] == "decrypt_failed"


def test_old_format_files_are_read_and_rotation_rewrites_everything_under_a_new_key(settings):
    store = PartitionStore(settings)
    store.write("raw_calls", DAY, pl.DataFrame({"call_id": ["CAL1"]}), purpose="test")
    store.write_blob(store.audio_path(DAY, "CAL1.audio.enc"), b"recording bytes", "recordings", DAY, "test")
    # A file written before key ids (CPR1: magic, nonce, ciphertext, the path alone as associated data).
    ring = load_ring(settings.keys_dir)
    old_path = store.quarantine_path(DAY, "old.enc")
    old_path.parent.mkdir(parents=True)
    nonce = os.urandom(12)
    aad = old_path.relative_to(settings.data_root).as_posix().encode()
    old_path.write_bytes(b"CPR1" + nonce + AESGCM(ring.key(ring.current)).encrypt(nonce, b"quarantined", aad))
    assert file_key_id(old_path) is None and store.read_blob(old_path, "quarantine", DAY, "test") == b"quarantined"

    old_key = ring.current
    done = rotate_keys(settings)
    assert done.files == 3 and done.retired == (old_key,) and done.new_key != old_key
    assert not (settings.keys_dir / "tier1" / f"{old_key}.key").exists()
    fresh = PartitionStore(settings)
    for path in (fresh.path("raw_calls", DAY), fresh.audio_path(DAY, "CAL1.audio.enc"), old_path):
        assert file_key_id(path) == done.new_key
    assert fresh.read("raw_calls", DAY, purpose="test")["call_id"].to_list() == ["CAL1"]
    assert fresh.read_blob(old_path, "quarantine", DAY, "test") == b"quarantined"
    assert verify(settings.audit_log).ok


def test_no_unreadable_window_during_rotation(settings, monkeypatch):
    """Read every file at every step of the rotation: each is readable with the ring on disk at that moment."""
    store = PartitionStore(settings)
    for day in ("2026-11-17", DAY):
        store.write("raw_calls", day, pl.DataFrame({"call_id": [f"CAL{day}"]}), purpose="test")
    paths = [store.path("raw_calls", d) for d in ("2026-11-17", DAY)]
    original_write, checks = Tier1Vault.write, []

    def write_and_check(self, path, plaintext, key_id=None):
        size = original_write(self, path, plaintext, key_id)
        reader = Tier1Vault(settings.data_root, load_ring(settings.keys_dir))
        checks.append([reader.read(p) is not None for p in paths])
        return size

    monkeypatch.setattr(Tier1Vault, "write", write_and_check)
    rotate_keys(settings)
    assert len(checks) == 2 and all(all(row) for row in checks)


@pytest.mark.slow
def test_cipher_keys_init_is_the_only_maker_of_keys(tmp_path):
    env = {**os.environ, "CIPHER_DATA_ROOT": str(tmp_path / "data"), "PYTHONPATH": os.getcwd()}
    env.pop("CIPHER_TIER1_KEY", None)
    env.pop("CIPHER_KEYS_DIR", None)
    status = subprocess.run([sys.executable, "-m", "cipher_pipeline", "keys", "status"], env=env, capture_output=True, text=True)
    assert status.returncode == 1 and "cipher keys init" in status.stderr and not (tmp_path / "data.keys").exists()
    made = subprocess.run([sys.executable, "-m", "cipher_pipeline", "keys", "init"], env=env, capture_output=True, text=True)
    assert made.returncode == 0 and (tmp_path / "data.keys" / "tier1" / "current").exists()
    again = subprocess.run([sys.executable, "-m", "cipher_pipeline", "keys", "init"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already holds a Tier 1 key" in again.stderr


def test_an_older_install_with_its_key_inside_the_data_root_is_told_where_to_move_it(settings):
    PartitionStore(settings).write("raw_calls", DAY, pl.DataFrame({"call_id": ["CAL1"]}), purpose="test")
    key = next((settings.keys_dir / "tier1").glob("*.key")).read_bytes()
    shutil.rmtree(settings.keys_dir)
    (settings.data_root / "keys").mkdir(parents=True)
    (settings.data_root / "keys" / "tier1.key").write_bytes(key)
    with pytest.raises(MissingKey, match="older install.*move the folder to"):
        PartitionStore(settings).read("raw_calls", DAY, purpose="test")
    # Moved as told, it is read as the legacy key of the ring (and current until a rotation).
    os.rename(settings.data_root / "keys", settings.keys_dir)
    assert PartitionStore(settings).read("raw_calls", DAY, purpose="test")["call_id"].to_list() == ["CAL1"]
