"""Storage roots that are URLs: Tier 3 on object storage (``s3://bucket/prefix``), and the released-Tier-2 prefix.

A storage root is a local folder (``LocalRoot``, the default) or an object-store prefix (``ObjectRoot``), with one
interface: write, read, exist, delete, list, a URL DuckDB can glob, and ``register`` on a DuckDB connection.
``open_root`` picks one from a setting. Code that writes Tier 3 (the marketing view, the insights and their
reports) and the code that withdraws it and builds the DuckDB views go through it, so one setting
(``CIPHER_TIER3_ROOT``) moves all of Tier 3.

Tier 1 is clinical and stays in the encrypted, audited local vault whatever the store. Tier 2 is the gate's
working set (redacted partitions held or released, gate evidence, the QA sample and log); it stays on the
pipeline server, where the evidence is bound to each partition's bytes and file modes keep held days from the
analyst role. What leaves the server for object storage is what the gate has released:

- Tier 3 (``ObjectRoot``): aggregates and the marketing view that analysts and BI tools read through DuckDB;
- released Tier 2 partitions (``ReleasedPrefix``): a redacted partition is copied to the released prefix only
  after the gate released exactly its bytes (``gate.ledger.read_released``), verified there by its sha256 and
  recorded with the store's ETag and version id; readers go through the prefix's manifest, which lists only
  verified copies. A held day never leaves the server, so the store's access policy (the analyst role may read
  the released prefix, never write it; only the pipeline role writes it) cannot expose one.

Object storage goes through fsspec (s3fs for ``s3://``, any S3-compatible server through an endpoint URL);
credentials come from the standard AWS chain (environment, profile, instance role), never from Cipher's
settings. DuckDB reads the Parquet through the same filesystem registered on its connection, since its httpfs
extension is a download that a Part 2 network may not allow.

A write is one PUT of the whole partition: S3 makes an object visible whole or not at all, so readers see a
complete old or new partition, as ``os.replace`` gives on a local disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import fsspec

SUPPORTED_SCHEMES = ("s3",)


class StorageRootError(ValueError):
    pass


def is_object_url(root: str | None) -> bool:
    return bool(root) and "://" in root and not root.startswith("file://")


@dataclass
class ObjectRoot:
    """``scheme://bucket/prefix`` and the fsspec filesystem that reaches it."""

    url: str
    endpoint_url: str | None = None
    _fs: fsspec.AbstractFileSystem | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        scheme = self.url.split("://", 1)[0]
        if scheme not in SUPPORTED_SCHEMES:
            raise StorageRootError(f"storage root scheme {scheme}:// is not supported (supported: {', '.join(SUPPORTED_SCHEMES)}://)")
        if not self.url.split("://", 1)[1].strip("/"):
            raise StorageRootError("a storage root URL names a bucket: s3://bucket[/prefix]")
        self.url = self.url.rstrip("/")

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0]

    @property
    def fs(self) -> fsspec.AbstractFileSystem:
        if self._fs is None:
            options = {"client_kwargs": {"endpoint_url": self.endpoint_url}} if self.endpoint_url else {}
            # Our own instance: fsspec's shared cache would hand a listing cached by another Settings to this one.
            self._fs = fsspec.filesystem(self.scheme, skip_instance_cache=True, **options)
        return self._fs

    def url_of(self, *parts: str) -> str:
        return "/".join([self.url, *parts])

    def child(self, *parts: str) -> "ObjectRoot":
        """The root one prefix down, on the same filesystem (DuckDB takes one filesystem per scheme)."""
        return ObjectRoot(self.url_of(*parts), self.endpoint_url, self.fs)

    def _key(self, *parts: str) -> str:
        return self.url_of(*parts).split("://", 1)[1]

    def write_bytes(self, payload: bytes, *parts: str) -> None:
        self.fs.pipe_file(self._key(*parts), payload)
        self.fs.invalidate_cache()

    def stat(self, *parts: str) -> dict:
        """The object's ETag (quotes stripped), version id (None where the bucket is not versioned) and size, as the
        store reports them now (no cached listing)."""
        self.fs.invalidate_cache()
        try:
            info = self.fs.info(self._key(*parts))
        except FileNotFoundError:
            raise FileNotFoundError(self.url_of(*parts)) from None
        return {"etag": _etag(info), "version_id": info.get("VersionId"), "bytes": int(info.get("size") or 0)}

    def etags(self, *parts: str) -> dict[str, str]:
        """File name -> ETag of every object directly under a folder, in one listing."""
        try:
            entries = self.fs.ls(self._key(*parts), detail=True, refresh=True)
        except FileNotFoundError:
            return {}
        return {entry["name"].rsplit("/", 1)[-1]: _etag(entry) for entry in entries if entry.get("type") != "directory"}

    def read_bytes(self, *parts: str) -> bytes:
        try:
            return self.fs.cat_file(self._key(*parts))
        except FileNotFoundError:
            raise FileNotFoundError(self.url_of(*parts)) from None

    def exists(self, *parts: str) -> bool:
        # Not from a cached listing: another process (a parallel Dagster step) may have written or deleted since.
        self.fs.invalidate_cache()
        return self.fs.exists(self._key(*parts))

    def delete(self, *parts: str) -> bool:
        if not self.exists(*parts):
            return False
        self.fs.rm_file(self._key(*parts))
        self.fs.invalidate_cache()
        return True

    def names(self, *parts: str) -> list[str]:
        """File names directly under a folder; none when it does not exist (object stores have no empty folders)."""
        try:
            entries = self.fs.ls(self._key(*parts), detail=False, refresh=True)
        except FileNotFoundError:
            return []
        return sorted(entry.rsplit("/", 1)[-1] for entry in entries)

    def folders(self, *parts: str) -> list[str]:
        """Sub-folder names directly under a folder (prefixes that hold at least one object)."""
        try:
            entries = self.fs.ls(self._key(*parts), detail=True, refresh=True)
        except FileNotFoundError:
            return []
        return sorted(entry["name"].rstrip("/").rsplit("/", 1)[-1] for entry in entries if entry.get("type") == "directory")

    def register(self, con) -> None:
        """Let a DuckDB connection read ``scheme://`` URLs through this filesystem."""
        con.register_filesystem(self.fs)


@dataclass
class ObjectLog:
    """An append-only log of JSON lines on object storage (the gate's ledger: QA log, release log). S3 cannot
    append, so each line is its own object, ``<prefix>/<day>/<nanoseconds>-<random>.json``: written once, never
    rewritten (the bucket's Object Lock and policy keep it so; Cipher never deletes one). A day's lines are one
    listing; the name orders them by the writer's clock (lines written by two machines within their clock skew
    may read in either order). Counts, ids and categories only, as in the local log."""

    root: ObjectRoot

    @property
    def url(self) -> str:
        return self.root.url

    def append(self, line: str, day: str | None) -> str:
        """Store one line; returns its object's URL."""
        folder = day if day and _DAY.match(day) else "_undated"
        name = f"{time.time_ns():020d}-{secrets.token_hex(4)}.json"
        self.root.write_bytes(line.encode("utf-8"), folder, name)
        return self.root.url_of(folder, name)

    def lines(self, day: str | None = None) -> list[str]:
        """The lines of ``day`` (all days when None), oldest first."""
        folders = [day] if day else self.root.folders()
        named = sorted((name, folder) for folder in folders for name in self.root.names(folder) if name.endswith(".json"))
        return [self.root.read_bytes(folder, name).decode("utf-8") for name, folder in named]

    def exists(self) -> bool:
        return bool(self.root.folders())


@dataclass
class LocalRoot:
    """A local folder with ``ObjectRoot``'s interface. A write goes to a temporary name in the same folder and is
    renamed into place (atomic: a reader sees the old file or the new one whole, as a PUT gives on a store), with
    the tier's file and folder modes (Tier 3: 0644 in 0755 folders, for the marketing role)."""

    path: Path
    file_mode: int = 0o644
    dir_mode: int = 0o755

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def url(self) -> str:
        return self.path.as_posix()

    scheme = "file"

    def url_of(self, *parts: str) -> str:
        return self.path.joinpath(*parts).as_posix()

    def child(self, *parts: str) -> "LocalRoot":
        return LocalRoot(self.path.joinpath(*parts), self.file_mode, self.dir_mode)

    def write_bytes(self, payload: bytes, *parts: str) -> None:
        target = self.path.joinpath(*parts)
        make_dirs(target.parent, self.dir_mode)
        write_atomically(target, payload, self.file_mode)

    def read_bytes(self, *parts: str) -> bytes:
        return self.path.joinpath(*parts).read_bytes()

    def exists(self, *parts: str) -> bool:
        return self.path.joinpath(*parts).is_file()

    def delete(self, *parts: str) -> bool:
        target = self.path.joinpath(*parts)
        if not target.is_file():
            return False
        target.unlink()
        return True

    def names(self, *parts: str) -> list[str]:
        """File names directly under a folder (temporary files of a write in progress left out)."""
        folder = self.path.joinpath(*parts)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def folders(self, *parts: str) -> list[str]:
        folder = self.path.joinpath(*parts)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def register(self, con) -> None:
        """DuckDB reads local paths itself."""


def make_dirs(folder: Path, mode: int) -> None:
    """``folder`` and any missing parents, each folder this call creates given ``mode`` (the umask may narrow
    mkdir's)."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, mode)


def write_atomically(path: Path, payload: bytes, mode: int) -> None:
    """``payload`` at ``path`` with ``mode``, whole or not at all: written and synced to a hidden temporary file
    beside it (readers skip dot files), then renamed over it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # the umask may have narrowed it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


StorageRoot = LocalRoot | ObjectRoot


def open_root(url: str | None, local: Path, endpoint_url: str | None = None) -> StorageRoot:
    """The storage root a setting names: the object-store prefix of an ``s3://`` URL, else the tier's local folder."""
    return ObjectRoot(url, endpoint_url) if is_object_url(url) else LocalRoot(local)


def as_root(root: StorageRoot | Path | str) -> StorageRoot:
    """A storage root as given, or a local folder wrapped in one (callers and tests that hold a path)."""
    return root if isinstance(root, (LocalRoot, ObjectRoot)) else LocalRoot(Path(root))


def _etag(info: dict) -> str:
    return str(info.get("ETag") or info.get("etag") or "").strip('"')


class ReleaseCopyMismatch(RuntimeError):
    """The object read back from the released prefix is not the bytes the gate released."""


@dataclass(frozen=True)
class ReleasedCopy:
    """One released partition on the store, as its manifest entry records it: what the gate released (sha256) and
    what the store holds (ETag, version id). Counts and hashes only."""

    table: str
    day: str
    url: str
    sha256: str
    etag: str
    version_id: str | None
    bytes: int
    released_at: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ReleasedPrefix:
    """The released-Tier-2 prefix (``CIPHER_TIER2_RELEASE_ROOT``): ``<root>/<table>/<day>.parquet`` holds a copy of
    a released partition and ``<root>/_manifest/<table>/<day>.json`` its ``ReleasedCopy``.

    The manifest is what readers go through: a copy counts only while its manifest entry exists and the object's
    ETag still matches it (an object written or replaced behind the manifest's back is left out). The manifest is
    written after the copy is verified and deleted before the copy, so a reader never sees an unverified copy.
    One object per day for the manifest too: the Tier 3 steps of a day run in parallel and promote the same bytes,
    which leaves the same objects whichever writes last."""

    root: ObjectRoot

    @classmethod
    def at(cls, url: str, endpoint_url: str | None = None) -> "ReleasedPrefix":
        return cls(ObjectRoot(url, endpoint_url))

    def _check(self, day: str) -> str:
        if not _DAY.match(day):
            raise ValueError(f"a partition day must look like YYYY-MM-DD, got {day!r}")
        return day

    def entry(self, table: str, day: str) -> ReleasedCopy | None:
        try:
            data = json.loads(self.root.read_bytes("_manifest", table, f"{self._check(day)}.json"))
        except FileNotFoundError:
            return None
        return ReleasedCopy(**data)

    def promote(self, table: str, day: str, payload: bytes, sha256: str) -> ReleasedCopy:
        """Copy released bytes into the prefix, verify the copy by reading it back, record it in the manifest.

        ``sha256`` is the fingerprint the gate released (the caller got ``payload`` from ``read_released``, which
        hashed these bytes against the evidence). Idempotent: a copy already listed for the same sha256, whose
        object still has the listed ETag, is left as it is."""
        self._check(day)
        if hashlib.sha256(payload).hexdigest() != sha256:
            raise ReleaseCopyMismatch(f"{table} {day}: the bytes to promote are not the released fingerprint")
        current = self.entry(table, day)
        if current is not None and current.sha256 == sha256:
            try:
                if self.root.stat(table, f"{day}.parquet")["etag"] == current.etag:
                    return current
            except FileNotFoundError:
                pass
        self.root.write_bytes(payload, table, f"{day}.parquet")
        stored = self.root.stat(table, f"{day}.parquet")
        if hashlib.sha256(self.root.read_bytes(table, f"{day}.parquet")).hexdigest() != sha256:
            raise ReleaseCopyMismatch(f"{table} {day}: the copy on the store does not hash to the released fingerprint")
        copy = ReleasedCopy(table, day, self.root.url_of(table, f"{day}.parquet"), sha256, stored["etag"],
                            stored["version_id"], stored["bytes"],
                            datetime.now(timezone.utc).isoformat(timespec="seconds"))  # fmt: skip
        self.root.write_bytes(json.dumps(copy.to_dict(), sort_keys=True).encode("utf-8"), "_manifest", table, f"{day}.json")
        return copy

    def withdraw(self, table: str, day: str) -> ReleasedCopy | None:
        """Take a day's copy back: the manifest entry first (readers stop seeing it), then the object. Returns the
        entry withdrawn (None: nothing was listed; a stray object without an entry is removed all the same)."""
        current = self.entry(table, day)
        self.root.delete("_manifest", table, f"{self._check(day)}.json")
        self.root.delete(table, f"{day}.parquet")
        return current

    def released(self, table: str) -> list[ReleasedCopy]:
        """The copies readers may use, by day: listed in the manifest and still holding the listed ETag."""
        etags = self.root.etags(table)
        copies = []
        for name in self.root.names("_manifest", table):
            if not name.endswith(".json") or not _DAY.match(name[:-5]):
                continue
            copy = self.entry(table, name[:-5])
            if copy is not None and etags.get(f"{copy.day}.parquet") == copy.etag:
                copies.append(copy)
        return sorted(copies, key=lambda c: c.day)

    def read_verified(self, table: str, day: str) -> bytes:
        """A released copy's bytes, refused unless they hash to the sha256 its manifest entry records."""
        copy = self.entry(table, day)
        if copy is None:
            raise FileNotFoundError(f"{table} {day} is not released on {self.root.url}")
        payload = self.root.read_bytes(table, f"{day}.parquet")
        if hashlib.sha256(payload).hexdigest() != copy.sha256:
            raise ReleaseCopyMismatch(f"{table} {day}: the object on the store is not the released partition")
        return payload

    def register(self, con) -> None:
        self.root.register(con)
