"""One day through the engine's day functions, with no Dagster: configured by a ``Settings`` value, the real
ingest, vault, redactor, residual scan, Great Expectations, ledger and Tier 3 SQL."""

from __future__ import annotations

import polars as pl
import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.gate.ledger import GateClosed
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.release import published_tables, release_events
from cipher_pipeline.keys import init_keys
from cipher_pipeline.pipeline import (
    InboxGone,
    check_qa_coverage,
    draw_qa_sample,
    ingest_day,
    publish_insights_period,
    redact_day,
)
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore
from tests.test_ingest import DAY, _row, _wav, _write_day
from tests.test_release_paths import CALLS, LAYERS_THAT_FIND_NUMBERS, seed_tier1


@pytest.fixture
def settings(tmp_path) -> Settings:
    settings = Settings(data_root=tmp_path / "data", inbox=tmp_path / "inbox", require_qa=False)
    init_keys(settings.keys_dir)  # as `cipher keys init` would; a run never makes a key
    return settings


def test_ingest_day_vaults_recordings_quarantines_the_bad_and_reruns_to_the_same_bytes(settings):
    _write_day(settings.inbox, [_row("CAL1", "CAL1.wav"), _row("CAL2", "CAL2.wav")],
               {"CAL1.wav": _wav(), "CAL2.wav": b"RIFF\x00\x00\x00\x00WAVEgarbage" * 10})  # fmt: skip
    store = PartitionStore(settings)
    first = ingest_day(settings, store, DAY)
    assert first.raw_calls["call_id"].to_list() == ["CAL1", "CAL2"]
    assert first.recording_status == {"ok": 1, "quarantined": 1}
    assert first.quarantine_reasons == {"undecodable audio": 1}
    assert [p.name for p in (settings.audio_vault / DAY).iterdir()] == ["CAL1.audio.enc"]
    assert b"RIFF" not in (settings.audio_vault / DAY / "CAL1.audio.enc").read_bytes()  # encrypted at rest
    assert ingest_day(settings, store, DAY).receipt.sha256 == first.receipt.sha256

    for path in (settings.inbox / DAY).iterdir():  # retention removed the drop: the ingested day stays
        path.unlink()
    (settings.inbox / DAY).rmdir()
    with pytest.raises(InboxGone):
        ingest_day(settings, store, DAY)
    assert store.read("raw_calls", DAY, purpose="test")["call_id"].to_list() == ["CAL1", "CAL2"]


def test_an_ingest_that_fails_part_way_writes_no_day_and_a_rerun_writes_it_whole(settings, monkeypatch):
    _write_day(settings.inbox, [_row(f"CAL{i}", f"CAL{i}.wav") for i in range(1, 4)],
               {f"CAL{i}.wav": _wav(seconds=0.5 + i / 10) for i in range(1, 4)})  # fmt: skip
    store = PartitionStore(settings)
    real_write_blob, calls = store.write_blob, []

    def disk_fills_on_the_second_recording(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write_blob(*args, **kwargs)

    monkeypatch.setattr(store, "write_blob", disk_fills_on_the_second_recording)
    with pytest.raises(OSError):
        ingest_day(settings, store, DAY)
    assert not store.exists("raw_calls", DAY) and not store.exists("inbox_manifest", DAY)  # no half day
    monkeypatch.setattr(store, "write_blob", real_write_blob)
    ingested = ingest_day(settings, store, DAY)
    assert ingested.recording_status == {"ok": 3}
    assert sorted(p.name for p in (settings.audio_vault / DAY).iterdir()) == [f"CAL{i}.audio.enc" for i in range(1, 4)]


def _redact_and_sample(settings: Settings, store: PartitionStore, redactor: Redactor, day: str):
    done = redact_day(settings, store, redactor, day)
    drawn = draw_qa_sample(settings, store, day)
    return done, drawn


@pytest.mark.slow
def test_a_clean_day_passes_the_gate_and_publishes_every_insight(settings, redactor):
    store = PartitionStore(settings)
    seed_tier1(store, DAY)
    done, drawn = _redact_and_sample(settings, store, redactor, DAY)
    assert done.evidence.passed and len(done.redacted) == len(CALLS)
    assert done.removed["PHONE"] >= 2 and done.removed["EMAIL"] == 1
    assert drawn.sample and set(drawn.sample) <= set(done.redacted["transcript_id"])
    coverage = check_qa_coverage(settings, DAY)
    assert (coverage.reviewed, coverage.findings, coverage.qa_required, coverage.passed) == (0, 0, False, True)
    published = publish_insights_period(settings, store, DAY, [DAY], with_report=False)
    for table, frame in published.tables.items():
        assert pl.read_parquet(published.written[table]).equals(frame)
    release = [e for e in release_events(GatePaths.of(settings), DAY) if e["action"] == "release"]
    assert [(e["table"], e["fingerprint"]) for e in release] == [("insights", done.receipt.sha256)]


def test_a_day_the_gate_fails_is_not_published(settings):
    store = PartitionStore(settings)
    seed_tier1(store, DAY)
    done, _ = _redact_and_sample(settings, store, Redactor.default(disabled_layers=LAYERS_THAT_FIND_NUMBERS), DAY)
    assert not done.evidence.passed
    with pytest.raises(GateClosed, match="gate checks failed"):
        publish_insights_period(settings, store, DAY, [DAY], with_report=False)
    assert published_tables(GatePaths.of(settings), DAY) == ()


def test_release_waits_for_qa_when_the_settings_require_it(settings, redactor):
    store = PartitionStore(settings)
    seed_tier1(store, DAY)
    required = Settings(data_root=settings.data_root, inbox=settings.inbox, require_qa=True)
    _redact_and_sample(required, store, redactor, DAY)
    assert not check_qa_coverage(required, DAY).passed
    with pytest.raises(GateClosed, match="QA is incomplete"):
        publish_insights_period(required, store, DAY, [DAY], with_report=False)
    assert isinstance(publish_insights_period(settings, store, DAY, [DAY], with_report=False).tables["caller_types"], pl.DataFrame)


def test_status_reads_the_release_truth_and_counts_the_calls_not_transcribed(settings, redactor, monkeypatch):
    """`cipher status` in a shell states no QA switch: a day gated and released with QA off (as the demo runs) is
    reported released without a "refused: QA incomplete", as the gate and the release log see it; and each day
    shows the answered calls that have no transcript, by why (ingest's quarantine, a lost file, Whisper failing)."""
    from cipher_pipeline.report import gate_status_table, release_state
    from cipher_pipeline.tables import RAW_CALLS_SCHEMA

    monkeypatch.delenv("CIPHER_REQUIRE_QA", raising=False)
    store = PartitionStore(settings)  # settings state QA off, as the demo's runs do
    seed_tier1(store, DAY)
    raw = store.read("raw_calls", DAY, purpose="test seed").to_dicts()
    extra = [("CALFAILED", True, "ok"), ("CALBROKEN", True, "quarantined"), ("CALLOST", True, "missing"),
             ("CALUNANSWERED", False, "no_recording")]  # fmt: skip
    raw += [{**raw[0], "call_id": cid, "answered": answered, "audio_status": status} for cid, answered, status in extra]
    store.write("raw_calls", DAY, pl.DataFrame(raw, schema=RAW_CALLS_SCHEMA), purpose="test seed")
    done, _ = _redact_and_sample(settings, store, redactor, DAY)
    assert done.evidence.passed and done.evidence.qa["required_for_release"] is False
    publish_insights_period(settings, store, DAY, [DAY], with_report=False)

    shell = Settings(data_root=settings.data_root, inbox=settings.inbox)  # nothing stated: CIPHER_REQUIRE_QA unset
    state = release_state(shell, DAY)
    assert state.state == "released" and "without human QA" in state.reason and "refused" not in state.reason
    header, row = gate_status_table(shell).splitlines()
    assert "untranscribed" in header.split()
    assert row.split()[:6] == [DAY, "pass", "released", str(sum(done.removed.values())), "0", "3"]
    assert "not transcribed: quarantined 1, missing 1, failed 1" in row and "refused" not in row
    # A switch stated now holds for every day: with QA required the released day says a new release would wait.
    stated = Settings(data_root=settings.data_root, inbox=settings.inbox, require_qa=True)
    assert "a new release is refused: human QA is incomplete" in release_state(stated, DAY).reason
