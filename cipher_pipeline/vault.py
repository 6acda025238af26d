"""Tier 1 encryption at rest.

Everything written under ``tier1/`` (recordings, metadata, transcripts) goes through this vault: AES-256-GCM
with a fresh nonce per file, and the file's path relative to the data root bound in as associated data so a
ciphertext moved to another place (another call, another day) fails to decrypt instead of being misread.
The key is read from ``CIPHER_TIER1_KEY`` (base64) when set, as a deployment would inject it from its secret
manager; otherwise a local key file is created once with owner-only permissions, which is fine for the demo.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"CPR1"
NONCE_BYTES = 12


class VaultError(RuntimeError):
    pass


def load_or_create_key(key_file: Path, env_var: str, injected: str | None = None) -> bytes:
    """A 32-byte key: ``injected`` (base64, the settings' value of ``env_var``) or ``key_file``, creating the
    file on first use."""
    if injected:
        key = base64.b64decode(injected)
    elif key_file.exists():
        key = base64.b64decode(key_file.read_bytes())
    else:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(key_file.parent, 0o700)
        key = secrets.token_bytes(32)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(base64.b64encode(key))
    if len(key) != 32:
        raise VaultError(f"{env_var} / {key_file.name} must hold 32 bytes of base64, got {len(key)} bytes")
    return key


class Tier1Vault:
    def __init__(self, data_root: Path, key: bytes):
        self.data_root = data_root
        self._aead = AESGCM(key)

    @classmethod
    def open(cls, data_root: Path, keys_dir: Path, injected_key: str | None = None) -> "Tier1Vault":
        return cls(data_root, load_or_create_key(keys_dir / "tier1.key", "CIPHER_TIER1_KEY", injected_key))

    def _aad(self, path: Path) -> bytes:
        return path.resolve().relative_to(self.data_root.resolve()).as_posix().encode()

    def write(self, path: Path, plaintext: bytes) -> int:
        """Encrypt to ``path`` atomically; returns the bytes written."""
        path.parent.mkdir(parents=True, exist_ok=True)
        nonce = secrets.token_bytes(NONCE_BYTES)
        blob = MAGIC + nonce + self._aead.encrypt(nonce, plaintext, self._aad(path))
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
        return len(blob)

    def read(self, path: Path) -> bytes:
        blob = path.read_bytes()
        if not blob.startswith(MAGIC):
            raise VaultError(f"{path.name} is not a Cipher Tier 1 vault file")
        nonce, ciphertext = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES], blob[len(MAGIC) + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, ciphertext, self._aad(path))
        except Exception as exc:  # InvalidTag: wrong key, tampered, or moved file
            raise VaultError(f"{path.name} failed authentication (wrong key, tampering, or moved file)") from exc
