"""An attacker holding everything on disk (every key, every table, the logs) tries to link Tier 2/3 rows to
Tier 1 calls through ids. Shared by the fast engine test and the slow end-to-end test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import polars as pl

from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore


def _all_keys(keys_dir: Path) -> list[bytes]:
    keys = []
    for path in keys_dir.rglob("*"):
        if path.is_file():
            try:
                raw = base64.b64decode(path.read_bytes(), validate=True)
            except ValueError:
                continue
            if len(raw) == 32:
                keys.append(raw)
    return keys


def _candidate_ids(call_id: str, keys: list[bytes]) -> set[str]:
    """Every id a keyed or unkeyed function of the call id could give (the old HMAC scheme included)."""
    digests = {hashlib.sha256(call_id.encode()).hexdigest(), hashlib.md5(call_id.encode()).hexdigest()}
    for key in keys:
        digests.add(hmac.new(key, call_id.encode(), hashlib.sha256).hexdigest())
        for purpose in ("transcript", "marketing"):
            sub = hmac.new(key, f"cipher-pseudonym/{purpose}".encode(), hashlib.sha256).digest()
            digests.add(hmac.new(sub, call_id.encode(), hashlib.sha256).hexdigest())
    return {d[:16] for d in digests}


def released_ids(data_root: Path) -> dict[str, str]:
    """Id (without its T/M prefix) -> table, for every Tier 2 and Tier 3 row id on disk."""
    ids = {}
    for tier in ("tier2", "tier3"):
        for path in (data_root / tier).rglob("*.parquet"):
            frame = pl.read_parquet(path)
            for column in ("transcript_id", "marketing_call_id"):
                if column in frame.columns:
                    ids.update({v[1:]: path.parent.name for v in frame[column].to_list() if v})
    return ids


def try_relink(settings: Settings) -> list[str]:
    """Links found, as descriptions; empty when no Tier 2/3 row can be tied to a Tier 1 call."""
    store = PartitionStore(settings)
    calls: set[str] = set()
    for day in store.days("raw_calls"):
        calls |= set(store.read("raw_calls", day, purpose="link test")["call_id"].to_list())
    released = released_ids(settings.data_root)
    keys = _all_keys(settings.keys_dir)
    links = []
    for call in calls:
        for candidate in _candidate_ids(call, keys):
            if candidate in released:
                links.append(f"an id in {released[candidate]} is a function of a Tier 1 call id")
    # A readable file outside the encrypted Tier 1 files and the vendor's inbox (Tier 2/3 tables, gate
    # evidence, QA log, the audit log, holds, tombstones) that names a call id could hold a mapping.
    for path in settings.data_root.rglob("*"):
        top = path.relative_to(settings.data_root).parts[0]
        if not path.is_file() or top == "inbox" or path.suffix in {".enc", ".duckdb"}:
            continue
        text = path.read_bytes().decode("latin-1")
        if path.suffix == ".parquet":
            text = json.dumps(pl.read_parquet(path).to_dicts(), default=str)
        if any(call in text for call in calls):
            links.append(f"{path.relative_to(settings.data_root)} names a Tier 1 call id")
    return links
