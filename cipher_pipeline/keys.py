"""The Tier 1 key ring: created only by ``cipher keys init``, never as a side effect of a read or a run.

Layout (default: a folder beside the data root, never inside it, so one copied ``data/`` folder never carries
the key that opens it; ``CIPHER_KEYS_DIR`` moves it, a deployment points it at a secrets mount)::

    <keys_dir>/            0700
      tier1/<key id>.key   0600, base64 of 32 random bytes
      tier1/current        the key id new files are written under

A key id is derived from the key itself (``kid()``), so a key file cannot claim an id it does not have and a
wrong key injected through ``CIPHER_TIER1_KEY`` is told apart from tampering by id, before any decryption.
Every encrypted file names the key id it was written under (see ``vault.py``); rotation adds a key, makes it
current, re-encrypts each file under it (each file is replaced atomically and both keys stay in the ring while
this happens, so no file is ever unreadable) and only then removes the old key.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

KEY_BYTES = 32
KID_BYTES = 8
LEGACY_KEY_FILE = "tier1.key"  # before key ids: one key file straight in the keys folder


class KeyProblem(RuntimeError):
    """Base for key problems; the message names the key and the remedy."""


class MissingKey(KeyProblem):
    pass


class KeysExist(KeyProblem):
    pass


def kid(key: bytes) -> str:
    """The key's id: 16 hex characters of a domain-separated SHA-256 of the key (reveals nothing usable)."""
    return hashlib.sha256(b"cipher-tier1-key-id\0" + key).hexdigest()[: KID_BYTES * 2]


def _decode(text: bytes | str, where: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyProblem(f"{where} is not base64; restore it from your key backup") from exc
    if len(key) != KEY_BYTES:
        raise KeyProblem(f"{where} must hold {KEY_BYTES} bytes of base64, got {len(key)}; restore it from your key backup")
    return key


@dataclass
class KeyRing:
    """Keys by id, and the id new files are written under."""

    keys: dict[str, bytes] = field(repr=False)
    current: str
    folder: Path | None = None

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise MissingKey(
                f"Tier 1 key {key_id} is not in the key ring ({_where(self.folder)}): the data was written under a key "
                "this run does not have. Restore that key file from your key backup (or set CIPHER_TIER1_KEY to it); "
                "`cipher keys init` would make a NEW key and cannot open existing data. Nothing was changed."
            ) from None


def _where(folder: Path | None) -> str:
    return f"{folder}/tier1/" if folder else "CIPHER_TIER1_KEY"


def _ring_dir(keys_dir: Path) -> Path:
    return keys_dir / "tier1"


def load_ring(keys_dir: Path, env_key: str | None = None) -> KeyRing:
    """The ring from ``keys_dir`` (and an injected key, which becomes current). Never creates anything."""
    keys: dict[str, bytes] = {}
    current = None
    ring = _ring_dir(keys_dir)
    if ring.is_dir():
        for path in sorted(ring.glob("*.key")):
            key = _decode(path.read_bytes(), str(path))
            if kid(key) != path.stem:
                raise KeyProblem(f"{path} holds key {kid(key)}, not {path.stem}: the file was altered; restore it from backup")
            keys[path.stem] = key
        marker = ring / "current"
        if marker.exists():
            current = marker.read_text().strip()
    legacy = keys_dir / LEGACY_KEY_FILE
    if legacy.exists():  # files written before key ids: readable, and current until `cipher keys rotate`
        key = _decode(legacy.read_bytes(), str(legacy))
        keys[kid(key)] = key
        current = current or kid(key)
    if env_key:
        key = _decode(env_key, "CIPHER_TIER1_KEY")
        keys[kid(key)] = key
        current = kid(key)
    if not keys:
        raise MissingKey(
            f"no Tier 1 key: neither {keys_dir}/tier1/ nor CIPHER_TIER1_KEY holds one. On a fresh install run "
            f"`cipher keys init`; otherwise restore the keys folder from your key backup (or set CIPHER_KEYS_DIR to "
            "where it is mounted). Nothing was changed."
        )
    if current not in keys:
        raise MissingKey(f"the current Tier 1 key {current} named in {ring}/current is missing; restore it from backup")
    return KeyRing(keys, current, keys_dir)


def _secure_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def _write_key(ring: Path, key: bytes) -> str:
    key_id = kid(key)
    fd = os.open(ring / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(base64.b64encode(key))
        fh.flush()
        os.fsync(fh.fileno())
    return key_id


def _set_current(ring: Path, key_id: str) -> None:
    tmp = ring / f".current.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key_id + "\n")
    os.replace(tmp, ring / "current")


def init_keys(keys_dir: Path) -> str:
    """Create the first Tier 1 key; refuses when any key exists (a second init would orphan the data)."""
    ring = _ring_dir(keys_dir)
    if (ring.is_dir() and any(ring.glob("*.key"))) or (keys_dir / LEGACY_KEY_FILE).exists():
        raise KeysExist(f"{keys_dir} already holds a Tier 1 key; nothing was changed (use `cipher keys rotate` for a new one)")
    _secure_dir(keys_dir)
    _secure_dir(ring)
    key_id = _write_key(ring, secrets.token_bytes(KEY_BYTES))
    _set_current(ring, key_id)
    return key_id


def add_current_key(keys_dir: Path) -> str:
    """Step one of rotation: a new key, written and made current; old keys stay so every file stays readable."""
    ring = _ring_dir(keys_dir)
    _secure_dir(keys_dir)
    _secure_dir(ring)
    legacy = keys_dir / LEGACY_KEY_FILE
    if legacy.exists():  # move the pre-key-id key into the ring so it can be retired like any other
        key = _decode(legacy.read_bytes(), str(legacy))
        if not (ring / f"{kid(key)}.key").exists():
            _write_key(ring, key)
        legacy.unlink()
    key_id = _write_key(ring, secrets.token_bytes(KEY_BYTES))
    _set_current(ring, key_id)
    return key_id


def retire_key(keys_dir: Path, key_id: str) -> None:
    """Last step of rotation, once no file uses ``key_id`` any more."""
    (_ring_dir(keys_dir) / f"{key_id}.key").unlink(missing_ok=True)
