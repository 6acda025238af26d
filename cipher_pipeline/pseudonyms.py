"""Keyed, one-way identifiers for Tier 2 and Tier 3 rows.

A Tier 2 transcript and a Tier 3 marketing row must not map back to a caller, and must not join to each other.
Each is an HMAC-SHA256 of the Tier 1 call id under its own sub-key derived from a master secret that lives
with the Tier 1 keys. Without the key the ids cannot be reversed or linked; with it, the mapping is recomputed
rather than stored, so no table ever holds it. Deterministic ids keep re-runs idempotent.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from cipher_pipeline.vault import load_or_create_key

PURPOSES = {"transcript": "T", "marketing": "M"}


class Pseudonymizer:
    def __init__(self, master_key: bytes):
        self._subkeys = {
            purpose: hmac.new(master_key, f"cipher-pseudonym/{purpose}".encode(), hashlib.sha256).digest()
            for purpose in PURPOSES
        }

    @classmethod
    def open(cls, keys_dir: Path, injected_key: str | None = None) -> "Pseudonymizer":
        return cls(load_or_create_key(keys_dir / "pseudonym.key", "CIPHER_PSEUDONYM_KEY", injected_key))

    def pseudonym(self, purpose: str, call_id: str) -> str:
        digest = hmac.new(self._subkeys[purpose], call_id.encode(), hashlib.sha256).hexdigest()
        return PURPOSES[purpose] + digest[:16]

    def transcript_id(self, call_id: str) -> str:
        return self.pseudonym("transcript", call_id)

    def marketing_call_id(self, call_id: str) -> str:
        return self.pseudonym("marketing", call_id)
