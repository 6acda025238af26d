"""Daily-partitioned Parquet tables, one file per table per day, with DuckDB over them.

Why a file per partition: DuckDB allows one writer per database file, and Dagster runs partitions in parallel
processes. Writing each partition to its own Parquet file (temp file, then ``os.replace``) makes every write
atomic and every re-run a whole replacement, and readers only ever see a complete old or new partition.

Tier 1 tables are encrypted through the vault and every read and write is audited; Tier 2 and 3 are plain
Parquet so that DuckDB (and an analyst) can query them directly through the views in ``cipher.duckdb``.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from cipher_pipeline.audit import record_access
from cipher_pipeline.object_store import ObjectRoot, is_object_url
from cipher_pipeline.settings import Settings
from cipher_pipeline.tables import TABLE_TIERS
from cipher_pipeline.vault import Tier1Vault


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


def tier3_object_root(settings: Settings) -> ObjectRoot | None:
    """Tier 3's object-storage root, or None when Tier 3 is the local ``tier3/`` folder."""
    return ObjectRoot(settings.tier3_root, settings.s3_endpoint_url) if is_object_url(settings.tier3_root) else None


def object_root(settings: Settings, table: str) -> ObjectRoot | None:
    """The object-storage root of the table's tier, or None when it is a local folder (always for Tier 1 and 2)."""
    return tier3_object_root(settings) if TABLE_TIERS[table] == 3 else None


class PartitionStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._vault: Tier1Vault | None = None
        self._remote = tier3_object_root(settings)  # opened once per store

    @property
    def vault(self) -> Tier1Vault:
        if self._vault is None:
            self._vault = Tier1Vault.open(self.settings.data_root, self.settings.keys_dir, self.settings.tier1_key)
        return self._vault

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
        if TABLE_TIERS[table] == 1:
            size = self.vault.write(path, payload)
            record_access(self.settings.audit_log, "write", table, day, len(df), purpose, self.settings.audit_actor)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            tmp.write_bytes(payload)
            os.replace(tmp, path)
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
            df = pl.read_parquet(io.BytesIO(self.vault.read(path)))
            record_access(self.settings.audit_log, "read", table, day, len(df), purpose, self.settings.audit_actor)
            return df
        return pl.read_parquet(path)

    def delete(self, table: str, day: str) -> bool:
        if remote := self.remote(table):
            return remote.delete(table, f"{day}.parquet")
        path = self.path(table, day)
        if path.exists():
            path.unlink()
            if TABLE_TIERS[table] == 1:
                record_access(self.settings.audit_log, "delete", table, day, 0, "retention", self.settings.audit_actor)
            return True
        return False

    def days(self, table: str) -> list[str]:
        if remote := self.remote(table):
            return [name.split(".")[0] for name in remote.names(table) if name[:1].isdigit() and name.endswith(".parquet")]
        folder = self.settings.table_dir(table)
        if not folder.exists():
            return []
        return sorted(p.name.split(".")[0] for p in folder.iterdir() if p.name[:1].isdigit())


def analyst_connection(settings: Settings, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per Tier 2/3 table over all its partitions.

    Tier 1 is deliberately absent: it is encrypted and only reachable through the audited store.
    """
    con = duckdb.connect(str(database))
    if tier3_remote := tier3_object_root(settings):
        tier3_remote.register(con)  # DuckDB reads s3:// through fsspec; its httpfs extension is not needed
    for table, tier in TABLE_TIERS.items():
        if tier == 1:
            continue
        if remote := (tier3_remote if tier == 3 else None):
            if any(name.endswith(".parquet") for name in remote.names(table)):
                glob = remote.url_of(table, "*.parquet")
                con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name=true)")
            continue
        folder = settings.table_dir(table)
        if any(folder.glob("*.parquet")):
            glob = (folder / "*.parquet").as_posix()
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name=true)")
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
