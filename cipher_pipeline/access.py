"""``cipher keys`` and ``cipher audit``: the key ring's life cycle and the audit log's integrity.

Rotation re-encrypts every Tier 1 file under a new key without a window where anything is unreadable: the new
key is written and made current first (so new writes use it), each file is then decrypted and atomically
replaced under the new key (a reader sees the old or the new file, both readable, since both keys are in the
ring), passes repeat until none is left under an old key, and only then are the old keys removed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from cipher_pipeline import audit
from cipher_pipeline.keys import KeyProblem, add_current_key, init_keys, load_ring, retire_key
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore
from cipher_pipeline.vault import Tier1Vault, file_key_id


def _vault_files(settings: Settings) -> list[Path]:
    tier1 = settings.tier_dir(1)
    return sorted(p for p in tier1.rglob("*.enc") if not p.name.startswith(".")) if tier1.exists() else []


@dataclass(frozen=True)
class Rotation:
    new_key: str
    retired: tuple[str, ...]
    files: int


def rotate_keys(settings: Settings) -> Rotation:
    if settings.tier1_key:
        raise KeyProblem("the Tier 1 key is injected through CIPHER_TIER1_KEY: rotate it in the secret manager "
                         "(unset it and run `cipher keys rotate` against a key folder); nothing was changed")  # fmt: skip
    store = PartitionStore(settings)
    old = set(store.vault.ring.keys)  # also checks every file's key is present before anything changes
    new_key = add_current_key(settings.keys_dir)
    vault = Tier1Vault(settings.data_root, load_ring(settings.keys_dir))
    rewritten = 0
    while True:  # repeat: a run that wrote under the old key while we worked is caught by the next pass
        stale = [p for p in _vault_files(settings) if file_key_id(p) != new_key]
        if not stale:
            break
        for path in stale:
            vault.write(path, vault.read(path), new_key)
        rewritten += len(stale)
    for key_id in sorted(old):
        retire_key(settings.keys_dir, key_id)
    store.audit("rotate_key", "keys", "-", rewritten, f"re-encrypted Tier 1 under key {new_key}; retired {len(old)}")
    return Rotation(new_key, tuple(sorted(old)), rewritten)


def run_keys(args) -> int:
    settings = Settings.from_env()
    try:
        if args.action == "init":
            key_id = init_keys(settings.keys_dir)
            PartitionStore(settings).audit("create_key", "keys", "-", 1, "cipher keys init")
            print(f"created Tier 1 key {key_id} in {settings.keys_dir}/tier1/ (0600). Back it up now, apart from the data.")
        elif args.action == "rotate":
            done = rotate_keys(settings)
            print(f"Tier 1 now under key {done.new_key}: {done.files} file(s) re-encrypted, retired {list(done.retired)}. "
                  "Back up the new key; backups taken before today still need the retired key.")  # fmt: skip
        else:
            ring = load_ring(settings.keys_dir, settings.tier1_key)
            by_key: dict[str, int] = {}
            for path in _vault_files(settings):
                key_id = file_key_id(path) or "old format (no key id)"
                by_key[key_id] = by_key.get(key_id, 0) + 1
            print(f"key folder {settings.keys_dir}; current key {ring.current}; keys in ring {sorted(ring.keys)}")
            for key_id, count in sorted(by_key.items()):
                print(f"  {count} file(s) under {key_id}{'' if key_id in ring.keys else '  <- NOT IN RING'}")
    except KeyProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def run_audit(args) -> int:
    settings = Settings.from_env()
    log = Path(args.log) if args.log else settings.audit_log
    if args.action == "verify":
        verdict = audit.verify(log)
        print(verdict.describe())
        return 0 if verdict.ok else 1
    for heading, counts in audit.summary(log).items():
        print(heading.replace("_", " ") + ":")
        for key, value in sorted(counts.items()):
            print(f"  {key}: {value}")
    return 0


def register(subparsers) -> None:
    keys = subparsers.add_parser("keys", help="create, rotate and inspect the Tier 1 key ring")
    keys.add_argument("action", choices=["init", "rotate", "status"])
    keys.set_defaults(func=run_keys)
    log = subparsers.add_parser("audit", help="verify the audit log's hash chain, or summarize it (counts only)")
    log.add_argument("action", choices=["verify", "summary"])
    log.add_argument("--log", help="audit log path (default: the data root's)")
    log.set_defaults(func=run_audit)
