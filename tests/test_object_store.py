"""Tier 3 on object storage: the partition store and DuckDB's analyst views against a real S3 protocol server.

The server is moto's (PyPI ``moto[server]``, dev extra), started here on 127.0.0.1 on a free port: S3 itself
is outside the system under test, so a local S3-compatible server stands in for it. Skips, saying why, when
moto is not installed or the server cannot start.
"""

from __future__ import annotations

import socket
from dataclasses import replace

import polars as pl
import pytest

from cipher_pipeline.object_store import ObjectRoot, StorageRootError
from cipher_pipeline.storage import PartitionNotFound, PartitionStore, analyst_connection, object_root

BUCKET = "cipher-tier3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server_module = pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")
    port = _free_port()
    try:
        server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
    except Exception as error:  # noqa: BLE001 - any failure to start means: no local S3 here
        pytest.skip(f"moto's S3 server could not start on 127.0.0.1:{port}: {type(error).__name__}")
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_settings(settings, s3_endpoint, monkeypatch, request):
    # Credentials come from the standard AWS chain (boto's variables, not Cipher's); moto accepts any.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    root = ObjectRoot(f"s3://{BUCKET}", s3_endpoint)
    if not root.fs.exists(BUCKET):
        root.fs.mkdir(BUCKET)
    prefix = f"s3://{BUCKET}/{request.node.name}"  # each test its own prefix: nothing shared between tests
    return replace(settings, tier3_root=prefix, s3_endpoint_url=s3_endpoint)


def _phrases(day: str, n: int) -> pl.DataFrame:
    return pl.DataFrame({"day": [day] * n, "phrase": [f"phrase {i}" for i in range(n)], "calls": list(range(3, 3 + n))})


def test_tier3_partitions_round_trip_through_s3(s3_settings):
    store = PartitionStore(s3_settings)
    assert store.days("marketing_calls") == []
    receipt = store.write("marketing_calls", "2026-11-02", _phrases("2026-11-02", 5))
    assert receipt.path == f"{s3_settings.tier3_root}/marketing_calls/2026-11-02.parquet"
    assert receipt.rows == 5
    assert store.exists("marketing_calls", "2026-11-02")
    assert store.read("marketing_calls", "2026-11-02").equals(_phrases("2026-11-02", 5))
    # Nothing landed in the local tier3 folder.
    assert not s3_settings.table_dir("marketing_calls").exists()

    # A re-run replaces the day whole; the same rows give the same fingerprint.
    again = store.write("marketing_calls", "2026-11-02", _phrases("2026-11-02", 5))
    assert again.sha256 == receipt.sha256
    store.write("marketing_calls", "2026-11-02", _phrases("2026-11-02", 2))
    assert store.read("marketing_calls", "2026-11-02").height == 2

    store.write("marketing_calls", "2026-11-03", _phrases("2026-11-03", 3))
    assert store.days("marketing_calls") == ["2026-11-02", "2026-11-03"]
    assert store.delete("marketing_calls", "2026-11-02") is True
    assert store.delete("marketing_calls", "2026-11-02") is False
    assert store.days("marketing_calls") == ["2026-11-03"]
    with pytest.raises(PartitionNotFound):
        store.read("marketing_calls", "2026-11-02")


def test_duckdb_views_read_tier3_from_s3_without_httpfs(s3_settings):
    store = PartitionStore(s3_settings)
    for day, n in (("2026-11-02", 4), ("2026-11-03", 6)):
        store.write("marketing_calls", day, _phrases(day, n))
    con = analyst_connection(s3_settings)
    rows = con.execute("SELECT day, count(*), sum(calls) FROM marketing_calls GROUP BY day ORDER BY day").fetchall()
    assert rows == [("2026-11-02", 4, 3 + 4 + 5 + 6), ("2026-11-03", 6, sum(range(3, 9)))]
    extensions = dict(con.execute("SELECT extension_name, loaded FROM duckdb_extensions()").fetchall())
    assert not extensions.get("httpfs"), "DuckDB read s3:// through the registered fsspec filesystem, not httpfs"
    # A table with no partitions yet has no view rather than a view that fails.
    assert {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} == {"marketing_calls"}


def test_tiers_1_and_2_stay_local_whatever_the_tier3_root(s3_settings):
    store = PartitionStore(s3_settings)
    for table in ("raw_calls", "transcripts", "redacted_transcripts", "qa_sample"):
        assert object_root(s3_settings, table) is None
        assert store.remote(table) is None
    frame = pl.DataFrame({"transcript_id": ["t1"], "day": ["2026-11-02"]})
    receipt = store.write("qa_sample", "2026-11-02", frame)
    assert receipt.path == s3_settings.table_dir("qa_sample") / "2026-11-02.parquet"
    assert receipt.path.exists()


def test_local_is_the_default(settings):
    assert settings.tier3_root is None
    store = PartitionStore(settings)
    receipt = store.write("marketing_calls", "2026-11-02", _phrases("2026-11-02", 2))
    assert receipt.path == settings.table_dir("marketing_calls") / "2026-11-02.parquet"


@pytest.mark.parametrize("url", ["gs://bucket/x", "s3://", "ftp://host/x"])
def test_unsupported_roots_are_refused_with_a_reason(url):
    with pytest.raises(StorageRootError):
        ObjectRoot(url)
