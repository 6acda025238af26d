"""A Tier 3 storage root that is a URL: a local folder by default, or object storage (``s3://bucket/prefix``).

Why only Tier 3: Tier 1 is clinical and stays in the encrypted, audited local vault whatever the store; Tier 2
is the gate's working set, whose evidence is bound to the exact bytes of each local partition and whose file
modes (issue 10) are the access control of held days, so it stays on the pipeline server. Tier 3 is the tier
that scales out: aggregates and the marketing view that many analysts and BI tools read through DuckDB.

Object storage goes through fsspec (s3fs for ``s3://``, any S3-compatible server through an endpoint URL);
credentials come from the standard AWS chain (environment, profile, instance role), never from Cipher's
settings. DuckDB reads the Parquet through the same filesystem registered on its connection, since its httpfs
extension is a download that a Part 2 network may not allow.

A write is one PUT of the whole partition: S3 makes an object visible whole or not at all, so readers see a
complete old or new partition, as ``os.replace`` gives on a local disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def _key(self, *parts: str) -> str:
        return self.url_of(*parts).split("://", 1)[1]

    def write_bytes(self, payload: bytes, *parts: str) -> None:
        self.fs.pipe_file(self._key(*parts), payload)
        self.fs.invalidate_cache()

    def read_bytes(self, *parts: str) -> bytes:
        try:
            return self.fs.cat_file(self._key(*parts))
        except FileNotFoundError:
            raise FileNotFoundError(self.url_of(*parts)) from None

    def exists(self, *parts: str) -> bool:
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

    def register(self, con) -> None:
        """Let a DuckDB connection read ``scheme://`` URLs through this filesystem."""
        con.register_filesystem(self.fs)
