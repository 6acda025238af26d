"""Object storage against a real S3 protocol server: Tier 3 (the partition store, the insights and their reports,
withdrawal, and DuckDB's analyst views), and released Tier 2 partitions copied to their own prefix (promotion bound to the released bytes, the manifest readers
go through, withdrawal), through the real gate and release code.

The server is moto's (PyPI ``moto[server]``, dev extra), started here on 127.0.0.1 on a free port: S3 itself
is outside the system under test, so a local S3-compatible server stands in for it. Skips, saying why, when
moto is not installed or the server cannot start.
"""

from __future__ import annotations

import gc
import socket
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from cipher_pipeline.gate.ledger import GateClosed, evidence_days, fingerprint_file, read_evidence, record_qa_coverage, require_release_for_day
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.qa_log import read_reviews
from cipher_pipeline.gate.release import (
    insight_files_of, published_tables, record_release, release_events, withdraw_day, withdraw_on_finding,
)  # fmt: skip
from cipher_pipeline.gate.thresholds import load_thresholds
from cipher_pipeline.insights.publish import PeriodInsights, audit_month, insight_lines, read_period, write_period
from cipher_pipeline.object_store import LocalRoot, ObjectLog, ObjectRoot, ReleaseCopyMismatch, ReleasedPrefix, StorageRootError
from cipher_pipeline.pipeline import insights_root, publish_insights_period
from cipher_pipeline.storage import PartitionNotFound, PartitionStore, analyst_connection, object_root
from tests.test_gate_fixtures import PLANTED, redacted_frame
from tests.test_gate_ledger import DAY, review_all, run_gate

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
    # Each ObjectRoot has its own s3fs filesystem (skip_instance_cache), whose aiobotocore session and client sit in
    # reference cycles: dropped, they wait for the cyclic collector, which with the suite's large heap runs a full
    # collection rarely, at whatever allocation crosses its threshold, in some later test (run before
    # test_release_paths, this file left some 413,000 objects uncollected, a dozen aiobotocore sessions and clients
    # and the moto server's werkzeug state among them: ci22). Their finalizers (s3fs closes its client on fsspec's IO
    # thread) then run inside another test's native-heavy code; collected here, they run at a known point.
    gc.collect()
    server.stop()
    gc.collect()


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


def _insights(period: str, calls: int) -> PeriodInsights:
    """Published-shape insight tables of one period (what ``build_period`` hands ``write_period``)."""
    return PeriodInsights(period, {
        "overview": pl.DataFrame({"period": [period], "calls": [calls], "center_named_calls": [0]}),
        "concerns": pl.DataFrame({"period": [period] * 2, "concern": ["insurance_and_cost", "detox_and_withdrawal"],
                                  "calls": [calls // 2, None], "first_calls": [calls // 4, None]}),
    })  # fmt: skip


@pytest.mark.slow  # some two hundred requests to the local S3 server: 5-15 s on the shared machine
def test_insights_reports_views_and_withdrawal_all_live_on_the_store(s3_settings):
    """With ``CIPHER_TIER3_ROOT=s3://...`` every Tier 3 output goes there: the insight tables of a day, its ISO week
    and month, the reports; the release state, the DuckDB views and withdrawal read and delete them there; nothing
    is written under the local tier3/ folder."""
    day, week, month, other_week = "2026-11-03", "2026-W45", "2026-11", "2026-W47"
    root = insights_root(s3_settings)
    assert isinstance(root, ObjectRoot) and root.url == f"{s3_settings.tier3_root}/insights"
    for period, calls in ((day, 14), (week, 90), (month, 380), (other_week, 70)):
        written = write_period(root, _insights(period, calls))
        assert written["overview"] == f"{s3_settings.tier3_root}/insights/overview/{period}.parquet"
    root.write_bytes(b"<html>week</html>", "reports", f"{week}.html")  # as write_period writes a rendered report
    assert not s3_settings.tier_dir(3).exists()

    assert read_period(root, week)["overview"]["calls"].to_list() == [90]
    assert set(read_period(root, day)) == {"overview", "concerns"}
    paths = GatePaths.of(s3_settings)
    assert published_tables(paths, day) == ("insights/concerns", "insights/overview")
    assert {p.as_posix() for p in insight_files_of(paths, day)} == {
        f"{t}/{p}.parquet" for t in ("overview", "concerns") for p in (day, week, month)} | {f"reports/{week}.html"}

    con = analyst_connection(s3_settings)
    assert con.execute("SELECT period, calls FROM insight_overview ORDER BY period").fetchall() == [
        ("2026-11", 380), ("2026-11-03", 14), (week, 90), (other_week, 70)]
    assert "insight_reports" not in {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}

    withdrawn = withdraw_day(paths, day, "human QA found 1 residual identifier(s) after release: NAME 1")
    assert set(withdrawn) == {f"insights/{t}/{p}" for t in ("overview", "concerns") for p in (day, week, month)} | {
        f"insights/reports/{week}"}
    assert published_tables(paths, day) == () and insight_files_of(paths, day) == []
    assert root.names("overview") == [f"{other_week}.parquet"]  # another week's roll-up stays
    (event,) = [e for e in release_events(paths, day) if e["action"] == "withdraw"]
    assert set(event["tables"]) == set(withdrawn)
    con = analyst_connection(s3_settings)
    assert con.execute("SELECT period FROM insight_overview").fetchall() == [(other_week,)]
    assert withdraw_day(paths, day, "again") == ()
    assert not s3_settings.tier_dir(3).exists()


def test_local_insights_root_is_the_default_and_writes_whole_files_for_the_marketing_role(settings):
    root = insights_root(settings)
    assert isinstance(root, LocalRoot) and root.path == settings.tier_dir(3) / "insights"
    written = write_period(root, _insights("2026-11-03", 14))
    path = Path(written["overview"])
    assert path == settings.tier_dir(3) / "insights" / "overview" / "2026-11-03.parquet"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644) and oct(path.parent.stat().st_mode & 0o777) == oct(0o755)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left beside it
    assert read_period(root, "2026-11-03")["overview"]["calls"].to_list() == [14]


def test_tiers_1_and_2_stay_local_whatever_the_tier3_root(s3_settings):
    # The working set (held and released partitions, the QA sample) is written locally; only a release copies
    # a redacted partition to the store (the tests below).
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


# ---- released Tier 2 on object storage ----------------------------------------------------------------------------


def _parquet(frame: pl.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


@pytest.fixture
def released_prefix(s3_settings) -> ReleasedPrefix:
    return ReleasedPrefix.at(f"{s3_settings.tier3_root}-tier2-released", s3_settings.s3_endpoint_url)


def test_a_copy_is_promoted_only_as_the_released_bytes_and_readers_see_only_verified_copies(released_prefix):
    import hashlib

    payload = _parquet(redacted_frame("2026-11-02", 4))
    sha = hashlib.sha256(payload).hexdigest()
    # Bytes that are not the released fingerprint are refused before anything is written.
    with pytest.raises(ReleaseCopyMismatch):
        released_prefix.promote("redacted_transcripts", "2026-11-02", payload + b"x", sha)
    assert released_prefix.released("redacted_transcripts") == []
    assert not released_prefix.root.exists("redacted_transcripts", "2026-11-02.parquet")

    copy = released_prefix.promote("redacted_transcripts", "2026-11-02", payload, sha)
    assert copy.sha256 == sha and copy.etag and copy.bytes == len(payload)
    assert copy.url == released_prefix.root.url_of("redacted_transcripts", "2026-11-02.parquet")
    assert released_prefix.released("redacted_transcripts") == [copy]
    assert released_prefix.read_verified("redacted_transcripts", "2026-11-02") == payload
    # Idempotent: the same bytes again leave the listed copy (and its time) as it was.
    assert released_prefix.promote("redacted_transcripts", "2026-11-02", payload, sha) == copy

    # An object written behind the manifest's back: a stray day is not listed, a replaced copy drops out and
    # its bytes are refused to a verified read.
    released_prefix.root.write_bytes(payload, "redacted_transcripts", "2026-11-03.parquet")
    released_prefix.root.write_bytes(_parquet(redacted_frame("2026-11-02", 5)), "redacted_transcripts", "2026-11-02.parquet")
    assert released_prefix.released("redacted_transcripts") == []
    with pytest.raises(ReleaseCopyMismatch):
        released_prefix.read_verified("redacted_transcripts", "2026-11-02")

    assert released_prefix.withdraw("redacted_transcripts", "2026-11-02") == copy
    assert released_prefix.entry("redacted_transcripts", "2026-11-02") is None
    assert not released_prefix.root.exists("redacted_transcripts", "2026-11-02.parquet")
    with pytest.raises(FileNotFoundError):
        released_prefix.read_verified("redacted_transcripts", "2026-11-02")
    with pytest.raises(ValueError):
        released_prefix.entry("redacted_transcripts", "../2026-11-02")


@pytest.mark.slow  # the real gate and three Tier 3 builds: tens of seconds on the shared machine
def test_a_released_day_reaches_the_store_a_held_day_never_does_and_withdrawal_takes_both_tiers_back(s3_settings):
    """Through the real gate and release code: the release copies the day's redacted partition, bound to the
    evidence's fingerprint, with the store's ETag in the release log; a day the gate holds leaves nothing on the
    store; the analyst view reads only the released copy; withdrawal takes the copy and the day's Tier 3 (also on
    the store) back."""
    settings = replace(s3_settings, tier2_release_root=f"{s3_settings.tier3_root}-tier2-released", require_qa=False)
    paths = GatePaths.of(settings)
    store = PartitionStore(settings)
    clean, held = "2026-11-02", "2026-11-03"
    evidence, fingerprint, _ = run_gate(paths, redacted_frame(clean, 12), day=clean)
    assert evidence.passed
    failed, _, _ = run_gate(paths, redacted_frame(held, 12, planted={1: PLANTED["PHONE"], 4: PLANTED["SSN"]}), day=held)
    assert not failed.passed

    for _ in range(2):  # a re-run promotes nothing new
        published = publish_insights_period(settings, store, clean, [clean], with_report=False)
        assert published.released_tier2_copy["sha256"] == fingerprint
    with pytest.raises(GateClosed):
        publish_insights_period(settings, store, held, [held], with_report=False)
    prefix = paths.released_tier2()
    (copy,) = prefix.released("redacted_transcripts")
    assert copy.day == clean and copy.sha256 == fingerprint_file(paths.redacted_partition(clean))
    assert prefix.entry("redacted_transcripts", held) is None
    assert not prefix.root.exists("redacted_transcripts", f"{held}.parquet")
    (promoted,) = [e for e in release_events(paths, clean) if e["action"] == "promote"]  # once, not once per run
    assert (promoted["fingerprint"], promoted["etag"]) == (fingerprint, copy.etag)
    assert not [e for e in release_events(paths, held) if e["action"] == "promote"]

    # The day's week (with its report) and month: every insight goes to the store, none to the local tier3/.
    week, month = "2026-W45", "2026-11"
    weekly = publish_insights_period(settings, store, week, [clean], with_report=True)
    monthly = publish_insights_period(settings, store, month, [clean], with_report=True)
    assert weekly.written["report"] == f"{settings.tier3_root}/insights/reports/{week}.html"
    assert all(url.startswith(f"{settings.tier3_root}/insights/") for url in {**weekly.written, **monthly.written}.values())
    assert not settings.tier_dir(3).exists()
    root = insights_root(settings)
    assert audit_month(root, month) == []  # the month, its weeks and days read back from the store
    assert f"report: {root.url_of('reports', f'{week}.html')}" in insight_lines(root, [week])

    con = analyst_connection(settings)
    days = con.execute("SELECT day, count(*) FROM redacted_transcripts GROUP BY day").fetchall()
    assert days == [(clean, 12)]
    periods_ = con.execute("SELECT period, calls FROM insight_overview ORDER BY period").fetchall()
    assert periods_ == [(month, 12), (clean, 12), (week, 12)]

    insight_tables = set(published.written) - {"report"}
    assert insight_tables
    withdrawn = withdraw_day(paths, clean, "human QA found 1 residual identifier(s) after release: NAME 1")
    assert set(withdrawn) == {"tier2-release/redacted_transcripts", *(f"insights/{t}/{clean}" for t in insight_tables),
                              *(f"insights/{t}/{p}" for t in set(weekly.written) - {"report"} for p in (week, month)),
                              f"insights/reports/{week}", f"insights/reports/{month}"}  # fmt: skip
    assert prefix.released("redacted_transcripts") == []
    assert root.folders() == []  # nothing left on the store (a prefix without objects is no folder)
    views = {r[0] for r in analyst_connection(settings).execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert "redacted_transcripts" not in views and "insight_overview" not in views
    assert withdraw_day(paths, clean, "again") == ()


# ---- the gate's ledger on object storage (CIPHER_TIER2_LEDGER_ROOT) ------------------------------------------------


@pytest.mark.slow  # the residual scan of a day and a hundred requests to the local S3 server: about 10 s here
def test_the_gate_ledger_lives_on_the_store_and_the_gate_reads_it_there(s3_settings):
    """Evidence, QA reviews and the release log under ``CIPHER_TIER2_LEDGER_ROOT``: the real gate writes its evidence
    there, QA reviews land there one object per line, release is refused until they cover the sample and granted
    from them, and a later finding withdraws the day with the withdrawal logged there. Only the partition (and
    nothing of the ledger) is on the local disk."""
    settings = replace(s3_settings, tier2_ledger_root=f"{s3_settings.tier3_root}-ledger")
    paths = GatePaths.of(settings)
    assert isinstance(paths.gate_evidence_dir, ObjectRoot) and isinstance(paths.qa_log, ObjectLog)
    evidence, fingerprint, sample = run_gate(paths, redacted_frame(DAY, 20))
    assert evidence.passed and sample
    assert evidence_days(paths.gate_evidence_dir) == [DAY]
    assert read_evidence(paths.gate_evidence_dir, DAY).fingerprint == fingerprint
    with pytest.raises(GateClosed, match="incomplete: 0/"):
        require_release_for_day(paths, DAY, load_thresholds())

    review_all(paths, sample, fingerprint)
    assert len(paths.qa_log.root.names(DAY)) == len(sample)  # one object per review, under the day
    assert [r.transcript_id for r in read_reviews(paths.qa_log, DAY)] == sample  # in the order written
    assert require_release_for_day(paths, DAY, load_thresholds()).fingerprint == fingerprint
    recorded = record_qa_coverage(paths.gate_evidence_dir, DAY, paths.qa_log)
    assert recorded.qa["coverage"]["complete"] is True
    assert read_evidence(paths.gate_evidence_dir, DAY).qa["coverage"]["complete"] is True  # rewritten on the store
    record_release(paths, DAY, "insights", fingerprint, True, recorded.qa["coverage"])
    assert [e["action"] for e in release_events(paths, DAY)] == ["release"]

    review_all(paths, sample[:1], fingerprint, finding_on=sample[0])  # a later look finds a name
    paths.insights().write_bytes(b"published", "overview", f"{DAY}.parquet")  # what the release had published
    assert withdraw_on_finding(paths, DAY) == (f"insights/overview/{DAY}",)
    assert [e["action"] for e in release_events(paths, DAY)] == ["release", "withdraw"]
    with pytest.raises(GateClosed, match="found 1 residual identifier"):
        require_release_for_day(paths, DAY, load_thresholds())
    tier2 = sorted(p.relative_to(paths.tier2).as_posix() for p in paths.tier2.rglob("*") if p.is_file())
    assert tier2 == [f"redacted_transcripts/{DAY}.parquet"]


def test_an_object_log_orders_lines_as_written_and_reads_one_day_by_one_listing(s3_settings):
    log = ObjectLog(ObjectRoot(f"{s3_settings.tier3_root}-log", s3_settings.s3_endpoint_url))
    assert log.lines() == [] and not log.exists()
    for n, day in enumerate(["2026-11-03", "2026-11-02", "2026-11-03", None]):
        log.append(f'{{"n": {n}}}', day)
    assert log.lines("2026-11-03") == ['{"n": 0}', '{"n": 2}']
    assert log.lines() == ['{"n": 0}', '{"n": 1}', '{"n": 2}', '{"n": 3}']  # across days, in the order written
    assert log.root.folders() == ["2026-11-02", "2026-11-03", "_undated"]
