"""Daily-partitioned Parquet tables, one file per table per day, with DuckDB over them.

Why a file per partition: DuckDB allows one writer per database file, and Dagster runs partitions in parallel
processes. Writing each partition to its own Parquet file (temp file, then ``os.replace``) makes every write
atomic and every re-run a whole replacement, and readers only ever see a complete old or new partition.

Tier 1 tables are encrypted through the vault and every read and write is audited; Tier 2 and 3 are plain
Parquet so that DuckDB (and an analyst) can query them directly through the views in ``cipher.duckdb``.

File modes by tier (a documented group scheme: the pipeline user owns everything; the gate/QA role is the
group; Tier 3 is world-readable for the marketing role): Tier 1 0600 in 0700 folders, Tier 2 0640 in 0750,
Tier 3 0644 in 0755. A redacted partition is written 0600 ("held") and opened to 0640 only when the gate
passes; a held partition is refused to Tier 3 code and left out of the analyst views.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from cipher_pipeline.audit import record_access
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.keys import KeyProblem, MissingKey
from cipher_pipeline.object_store import ObjectRoot, ReleasedPrefix, make_dirs, write_atomically
from cipher_pipeline.settings import Settings
from cipher_pipeline.tables import TABLE_TIERS
from cipher_pipeline.vault import Tier1Vault, VaultError, file_key_id

FILE_MODES = {1: 0o600, 2: 0o640, 3: 0o644}
DIR_MODES = {1: 0o700, 2: 0o750, 3: 0o755}
HELD_MODE = 0o600  # a Tier 2 partition the gate has not (or not yet) passed


class PartitionHeld(PermissionError):
    pass


@dataclass(frozen=True)
class WriteReceipt:
    table: str
    day: str
    path: Path | str  # a URL when the table's tier lives on object storage
    rows: int
    sha256: str  # of the plaintext Parquet bytes: the partition's fingerprint for the gate
    bytes: int


class PartitionNotFound(FileNotFoundError):
    pass


def _parquet_bytes(df: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    # Statistics off and one row group: deterministic bytes for the same rows, so a re-run that changes
    # nothing yields the same fingerprint and the gate does not go stale for no reason.
    df.write_parquet(buffer, compression="zstd", statistics=False, row_group_size=max(len(df), 1))
    return buffer.getvalue()


def _make_dirs(folder: Path, tier: int) -> None:
    make_dirs(folder, DIR_MODES[tier])


def _newest_vault_file(folder: Path) -> Path | None:
    """The last vault file in name order (days sort by name), descending into day folders; cost O(depth)."""
    entries = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), reverse=True)
    for entry in entries:
        if entry.is_file() and entry.name.endswith(".enc"):
            return entry
        if entry.is_dir():
            found = _newest_vault_file(entry)
            if found is not None:
                return found
    return None


def tier3_object_root(settings: Settings) -> ObjectRoot | None:
    """Tier 3's object-storage root, or None when Tier 3 is the local ``tier3/`` folder (``GatePaths.tier3``)."""
    root = GatePaths.of(settings).tier3()
    return root if isinstance(root, ObjectRoot) else None


def tier2_release_prefix(settings: Settings) -> ReleasedPrefix | None:
    """Where released Tier 2 partitions are copied for readers off the server (``CIPHER_TIER2_RELEASE_ROOT``)."""
    return ReleasedPrefix.at(settings.tier2_release_root, settings.s3_endpoint_url) if settings.tier2_release_root else None


def object_root(settings: Settings, table: str) -> ObjectRoot | None:
    """The object-storage root of the table's tier, or None when it is a local folder (always for Tier 1 and 2)."""
    return tier3_object_root(settings) if TABLE_TIERS[table] == 3 else None


class PartitionStore:
    def __init__(self, settings: Settings, run_id: str | None = None):
        self.settings = settings
        self.run_id = run_id or settings.run_id
        self._vault: Tier1Vault | None = None
        self._remote = tier3_object_root(settings)  # opened once per store

    def audit(self, action: str, table: str, day: str, count: int, purpose: str) -> None:
        record_access(self.settings.audit_log, action, table, day, count, purpose, run_id=self.run_id, user=self.settings.actor)

    @property
    def vault(self) -> Tier1Vault:
        """The vault, opened once; before first use every Tier 1 file's key id is checked against the ring so a
        run with a missing or wrong key stops before it writes anything (never half a day under another key)."""
        if self._vault is None:
            try:
                vault = Tier1Vault.open(self.settings.data_root, self.settings.keys_dir, self.settings.tier1_key)
                self._check_ring(vault)
            except KeyProblem as problem:
                self.audit("key_missing", "keys", "-", 0, "open Tier 1 vault")
                old_home = self.settings.data_root / "keys" / "tier1.key"
                if isinstance(problem, MissingKey) and old_home.exists():
                    raise MissingKey(f"{problem} The key of an older install is at {old_home}, inside the data root: "
                                     f"move the folder to {self.settings.keys_dir} (mode 0700).") from None  # fmt: skip
                raise
            self._vault = vault
        return self._vault

    def _check_ring(self, vault: Tier1Vault) -> None:
        """The newest file of each Tier 1 folder must be under a key in the ring. One file per folder is enough:
        every file is under the current key except during a rotation, when both keys are in the ring."""
        tier1 = self.settings.tier_dir(1)
        if not tier1.exists():
            return
        for folder in sorted(p for p in tier1.iterdir() if p.is_dir()):
            newest = _newest_vault_file(folder)
            if newest is not None:
                key_id = file_key_id(newest)
                if key_id is not None:
                    vault.ring.key(key_id)  # raises MissingKey naming the key and the remedy

    def _vault_read(self, path: Path, table: str, day: str, purpose: str) -> bytes:
        try:
            return self.vault.read(path)
        except (VaultError, KeyProblem):
            self.audit("decrypt_failed", table, day, 1, purpose)
            raise

    # Recordings and quarantined files: one encrypted file each, every access audited.
    def audio_path(self, day: str, name: str) -> Path:
        return self.settings.audio_vault / day / name

    def quarantine_path(self, day: str, name: str) -> Path:
        return self.settings.tier_dir(1) / "quarantine" / day / name

    def write_blob(self, path: Path, payload: bytes, table: str, day: str, purpose: str) -> int:
        vault = self.vault
        _make_dirs(path.parent, 1)
        size = vault.write(path, payload)
        self.audit("write", table, day, 1, purpose)
        return size

    def read_blob(self, path: Path, table: str, day: str, purpose: str) -> bytes:
        payload = self._vault_read(path, table, day, purpose)
        self.audit("read", table, day, 1, purpose)
        return payload

    def path(self, table: str, day: str) -> Path:
        suffix = ".parquet.enc" if TABLE_TIERS[table] == 1 else ".parquet"
        return self.settings.table_dir(table) / f"{day}{suffix}"

    def remote(self, table: str) -> ObjectRoot | None:
        return self._remote if TABLE_TIERS[table] == 3 else None

    def exists(self, table: str, day: str) -> bool:
        if remote := self.remote(table):
            return remote.exists(table, f"{day}.parquet")
        return self.path(table, day).exists()

    def write(self, table: str, day: str, df: pl.DataFrame, purpose: str = "materialize") -> WriteReceipt:
        payload = _parquet_bytes(df)
        if remote := self.remote(table):  # one PUT: the object appears whole (see object_store)
            remote.write_bytes(payload, table, f"{day}.parquet")
            sha = hashlib.sha256(payload).hexdigest()
            return WriteReceipt(table, day, remote.url_of(table, f"{day}.parquet"), len(df), sha, len(payload))
        path = self.path(table, day)
        tier = TABLE_TIERS[table]
        vault = self.vault if tier == 1 else None  # a missing or wrong key stops before any folder is made
        _make_dirs(path.parent, tier)
        if vault is not None:
            size = vault.write(path, payload)
            self.audit("write", table, day, len(df), purpose)
        else:
            write_atomically(path, payload, HELD_MODE if table in GATED_TABLES else FILE_MODES[tier])
            size = len(payload)
        return WriteReceipt(table, day, path, len(df), hashlib.sha256(payload).hexdigest(), size)

    def read(self, table: str, day: str, purpose: str = "materialize") -> pl.DataFrame:
        if remote := self.remote(table):
            try:
                return pl.read_parquet(io.BytesIO(remote.read_bytes(table, f"{day}.parquet")))
            except FileNotFoundError:
                raise PartitionNotFound(f"{table} has no partition {day} (materialize it first)") from None
        path = self.path(table, day)
        if not path.exists():
            raise PartitionNotFound(f"{table} has no partition {day} (materialize it first)")
        if TABLE_TIERS[table] == 1:
            df = pl.read_parquet(io.BytesIO(self._vault_read(path, table, day, purpose)))
            self.audit("read", table, day, len(df), purpose)
            return df
        if table in GATED_TABLES and self.is_held(table, day) and not purpose.startswith(GATE_PURPOSES):
            raise PartitionHeld(f"{table} {day} is held by the gate (mode 0600): Tier 3 code may not read it")
        return pl.read_parquet(path)

    def is_held(self, table: str, day: str) -> bool:
        path = self.path(table, day)
        return path.exists() and not (path.stat().st_mode & 0o077)

    def set_released(self, table: str, day: str, released: bool) -> None:
        """The gate's verdict on the file: 0640 when it passed, 0600 (held) when it failed."""
        path = self.path(table, day)
        if path.exists():
            os.chmod(path, FILE_MODES[TABLE_TIERS[table]] if released else HELD_MODE)

    def delete(self, table: str, day: str, purpose: str = "retention") -> int | bool:
        """Delete a partition; returns the rows it held (Tier 1 is read first, audited, so the count is true)."""
        if remote := self.remote(table):
            return remote.delete(table, f"{day}.parquet")  # True when an object was there (Tier 3 has no row count to audit)
        path = self.path(table, day)
        if not path.exists():
            return 0
        rows = len(self.read(table, day, purpose=purpose)) if TABLE_TIERS[table] == 1 else 0
        path.unlink()
        if TABLE_TIERS[table] == 1:
            self.audit("delete", table, day, rows, purpose)
        return rows

    def days(self, table: str) -> list[str]:
        if remote := self.remote(table):
            return [name.split(".")[0] for name in remote.names(table) if name[:1].isdigit() and name.endswith(".parquet")]
        folder = self.settings.table_dir(table)
        if not folder.exists():
            return []
        return sorted(p.name.split(".")[0] for p in folder.iterdir() if p.name[:1].isdigit())


class PartitionBusy(RuntimeError):
    pass


@contextmanager
def partition_lock(settings: Settings, day: str):
    """Exclusive lock on one day for one run; a second run of the day is refused at once (never waits or
    interleaves). The OS drops the lock when the holder dies, so a killed run never leaves the day locked."""
    folder = settings.tier_dir(1) / "_locks"
    _make_dirs(folder, 1)
    fd = os.open(folder / f"{day}.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PartitionBusy(f"another run is processing {day} right now; try again when it has finished") from None
        yield
    finally:
        os.close(fd)


GATED_TABLES = frozenset({"redacted_transcripts"})
GATE_PURPOSES = ("gate", "qa")


def analyst_connection(settings: Settings, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per Tier 2/3 table over all its partitions.

    Tier 1 is deliberately absent: it is encrypted and only reachable through the audited store.
    """
    con = duckdb.connect(str(database))
    if tier3_remote := tier3_object_root(settings):
        tier3_remote.register(con)  # DuckDB reads s3:// through fsspec; its httpfs extension is not needed
    released_prefix = tier2_release_prefix(settings)
    if released_prefix is not None and not (tier3_remote and tier3_remote.scheme == released_prefix.root.scheme):
        # DuckDB takes one filesystem per scheme; both roots share the endpoint and the AWS credential chain.
        released_prefix.register(con)
    for table, tier in TABLE_TIERS.items():
        if tier == 1:
            continue
        if released_prefix is not None and table in GATED_TABLES:
            # Readers off the server go through the released prefix's manifest: verified copies of released days
            # only (a held day never leaves the server); the list is fixed when the view is made.
            copies = released_prefix.released(table)
            if copies:
                source = "[" + ", ".join("'" + c.url.replace("'", "''") + "'" for c in copies) + "]"
                con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet({source}, union_by_name=true)")
            continue
        if remote := (tier3_remote if tier == 3 else None):
            if any(name.endswith(".parquet") for name in remote.names(table)):
                glob = remote.url_of(table, "*.parquet")
                con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name=true)")
            continue
        folder = settings.table_dir(table)
        if not any(folder.glob("*.parquet")):
            continue
        if table in GATED_TABLES:
            # Only released partitions (a failed gate leaves mode 0600); the list is fixed when the view is made.
            files = sorted(p.as_posix() for p in folder.glob("*.parquet") if p.stat().st_mode & 0o077)
            if not files:
                continue
            source = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
        else:
            source = "'" + (folder / "*.parquet").as_posix() + "'"
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet({source}, union_by_name=true)")
    # The insights (Tier 3 from transcripts): a view per insight table, ``insight_<table>``, over every period
    # published (days, ISO weeks, months: the ``period`` column says which). Each file is already suppressed for
    # its own period; a sum over days is not a published figure (the weekly and monthly rows are). They live where
    # Tier 3 lives (on the store, the filesystem registered above reads them).
    insights = GatePaths.of(settings).insights()
    for name in insights.folders():
        if name != "reports" and any(n.endswith(".parquet") for n in insights.names(name)):
            source = "'" + insights.url_of(name, "*.parquet").replace("'", "''") + "'"
            con.execute(f'CREATE OR REPLACE VIEW "insight_{name}" AS SELECT * FROM read_parquet({source}, union_by_name=true)')
    return con


def refresh_catalog(settings: Settings) -> Path:
    """Write ``cipher.duckdb`` holding only views (no data), for analysts and the auditor to open read-only."""
    target = settings.catalog_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    con = analyst_connection(settings, tmp)
    con.close()
    os.replace(tmp, target)
    return target
