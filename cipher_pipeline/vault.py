"""Tier 1 encryption at rest.

Everything written under ``tier1/`` (recordings, metadata, transcripts, quarantine) goes through this vault:
AES-256-GCM with a fresh nonce per file, and the file's path relative to the data root bound in as associated
data so a ciphertext moved to another place (another call, another day) fails to decrypt instead of being
misread. Keys come from the key ring (``keys.py``); the vault never creates one.

File format ``CPR2``: magic, the 8-byte id of the key it was written under, nonce, ciphertext (the key id is
also bound into the associated data). Files in the older ``CPR1`` format (no key id) are still read, by trying
each key in the ring, and are rewritten as ``CPR2`` by ``cipher keys rotate``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cipher_pipeline.keys import KID_BYTES, KeyRing, MissingKey, load_ring

MAGIC_V1 = b"CPR1"
MAGIC = b"CPR2"
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + KID_BYTES


class VaultError(RuntimeError):
    pass


class DecryptionFailed(VaultError):
    pass


def file_key_id(path: Path) -> str | None:
    """The key id a vault file was written under (None for the old format); reads the header only."""
    with path.open("rb") as fh:
        head = fh.read(HEADER_BYTES)
    if head.startswith(MAGIC) and len(head) == HEADER_BYTES:
        return head[len(MAGIC) :].hex()
    if head.startswith(MAGIC_V1):
        return None
    raise VaultError(f"{path.name} is not a Cipher Tier 1 vault file")


class Tier1Vault:
    def __init__(self, data_root: Path, ring: KeyRing):
        self.data_root = data_root
        self.ring = ring

    @classmethod
    def open(cls, data_root: Path, keys_dir: Path, env_key: str | None = None) -> "Tier1Vault":
        return cls(data_root, load_ring(keys_dir, env_key))

    def _aad(self, path: Path, key_id: str | None) -> bytes:
        relative = path.resolve().relative_to(self.data_root.resolve()).as_posix().encode()
        return relative if key_id is None else relative + b"\0" + bytes.fromhex(key_id)

    def encrypt(self, path: Path, plaintext: bytes, key_id: str | None = None) -> bytes:
        key_id = key_id or self.ring.current
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.ring.key(key_id)).encrypt(nonce, plaintext, self._aad(path, key_id))
        return MAGIC + bytes.fromhex(key_id) + nonce + sealed

    def write(self, path: Path, plaintext: bytes, key_id: str | None = None) -> int:
        """Encrypt to ``path`` atomically (temp file, fsync, rename); returns the bytes written. Mode 0600."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        blob = self.encrypt(path, plaintext, key_id)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:  # a full disk or a crash mid-write leaves the old file whole and no temp behind
            tmp.unlink(missing_ok=True)
            raise
        return len(blob)

    def read(self, path: Path) -> bytes:
        blob = path.read_bytes()
        if blob.startswith(MAGIC) and len(blob) >= HEADER_BYTES + NONCE_BYTES:
            key_id = blob[len(MAGIC) : HEADER_BYTES].hex()
            key = self.ring.key(key_id)  # MissingKey names the id and the remedy
            nonce, sealed = blob[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES], blob[HEADER_BYTES + NONCE_BYTES :]
            try:
                return AESGCM(key).decrypt(nonce, sealed, self._aad(path, key_id))
            except InvalidTag as exc:
                raise DecryptionFailed(
                    f"{path.name} failed authentication under key {key_id} (tampered, truncated or moved file)"
                ) from exc
        if blob.startswith(MAGIC_V1):
            nonce, sealed = blob[len(MAGIC_V1) : len(MAGIC_V1) + NONCE_BYTES], blob[len(MAGIC_V1) + NONCE_BYTES :]
            for key in self.ring.keys.values():
                try:
                    return AESGCM(key).decrypt(nonce, sealed, self._aad(path, None))
                except InvalidTag:
                    continue
            raise DecryptionFailed(
                f"{path.name} (old format, no key id) failed authentication under every key in the ring: the wrong "
                "key is loaded, or the file was tampered with or moved; restore the key it was written under"
            )
        raise VaultError(f"{path.name} is not a Cipher Tier 1 vault file")


__all__ = ["DecryptionFailed", "MissingKey", "Tier1Vault", "VaultError", "file_key_id"]
