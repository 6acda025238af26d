"""The Safe Harbor gate holds across runs: whatever starts a Tier 3 run, a partition whose gate failed, went
stale, never ran, or waits on QA is not released, and Tier 3 output does not change.

Tier 1 is seeded with fictional transcripts (no audio: the ASR path has its own tests), then the real
redactor, residual scan, Great Expectations and ledger run through real Dagster materializations.
"""

import json
from dataclasses import replace
from datetime import datetime, timezone

import dagster as dg
import polars as pl
import pytest

from cipher_pipeline import runner
from cipher_pipeline.defs import defs
from cipher_pipeline.defs.automation import release_sensor
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier2 import qa_coverage, qa_sample, redacted_transcripts
from cipher_pipeline.defs.tier3 import caller_concerns, caller_types, competitor_mentions, phrase_counts
from cipher_pipeline.gate.qa_log import CHECKLIST, Finding, QAReview, append_review
from cipher_pipeline.storage import PartitionStore
from cipher_pipeline.tables import RAW_CALLS_SCHEMA

PASSING_DAY, FAILING_DAY = "2026-11-16", "2026-11-17"
CALLS = [
    "agent: Harborview admissions, how can I help?\ncaller: Hi, I'm calling about detox for my son. Does your "
    "program take insurance?\nagent: We work with most plans. What's a good callback number?\ncaller: It's 619-555-0142.\n",
    "agent: Harborview admissions.\ncaller: I need to know about the cost of detox and whether insurance covers it. "
    "My email is jane.doe@example.com.\n",
    "agent: Harborview admissions.\ncaller: We looked at Seaside Recovery but the cost of detox there was too high. "
    "Do you take insurance? My number is 415-555-0199.\n",
]
# A gate drill switches off every layer that can find a written phone number or email: the rules and the
# Whisper-shape layer both do (defence in depth), so disabling one alone leaves nothing for the gate to catch.
LAYERS_THAT_FIND_NUMBERS = {"rules", "asr"}
TIER3_GATED = ("phrase_counts", "competitor_mentions", "caller_concerns", "caller_types")


# The cipher resource every run and sensor here uses: the test's data root, QA switched off unless a test
# switches it on. Set per test by the ``env`` fixture (configuration by value, never the environment).
CIPHER_CONFIG: dict = {}


def cipher(**overrides) -> CipherResource:
    return CipherResource(**{**CIPHER_CONFIG, **overrides})


@pytest.fixture
def env(settings, tmp_path, monkeypatch):
    # Dagster's own instance for the CLI path (runner.materialize_days uses the persistent instance).
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    monkeypatch.setitem(CIPHER_CONFIG, "data_root", str(settings.data_root))
    monkeypatch.setitem(CIPHER_CONFIG, "require_qa", False)
    store = PartitionStore(replace(settings, require_qa=False))
    for day in (PASSING_DAY, FAILING_DAY):
        seed_tier1(store, day)
    return store


def seed_tier1(store: PartitionStore, day: str) -> None:
    ids = [f"CAL{day.replace('-', '')}{i:012x}" for i in range(len(CALLS))]
    raw = [
        {**{c: None for c in RAW_CALLS_SCHEMA}, "call_id": cid, "day": day, "answered": True, "talk_seconds": 60,
         "ring_seconds": 3, "source": "google_ads", "medium": "cpc", "campaign": "Detox - Brand", "keyword": "detox near me",
         "landing_page": "https://www.harborviewrecovery.example/detox?gclid=abc", "audio_status": "ok"}
        for cid in ids
    ]  # fmt: skip
    store.write("raw_calls", day, pl.DataFrame(raw, schema=RAW_CALLS_SCHEMA), purpose="test seed")
    store.write(
        "transcripts", day,
        pl.DataFrame({"call_id": ids, "day": [day] * len(ids), "text": CALLS, "asr_model": ["faster-whisper/test"] * len(ids)}),
        purpose="test seed",
    )  # fmt: skip


def gate(day: str, disabled=()) -> dg.ExecuteInProcessResult:
    """Redact and gate a day in one run, the way `process_calls` does, plus the Tier 3 assets in the same run."""
    return dg.materialize(
        [redacted_transcripts, qa_sample, qa_coverage, phrase_counts, competitor_mentions, caller_concerns, caller_types],
        partition_key=day,
        resources={"cipher": cipher(disabled_deid_layers=list(disabled))},
        raise_on_error=False,
    )


def tier3_state(store: PartitionStore, day: str) -> dict[str, bytes | None]:
    return {t: (store.path(t, day).read_bytes() if store.exists(t, day) else None) for t in TIER3_GATED}


def release_only(day: str, tags=None) -> dg.ExecuteInProcessResult:
    """What the UI's 'Materialize' on the Tier 3 group launches (and a backfill, once per partition)."""
    return dg.materialize(
        [phrase_counts, competitor_mentions, caller_concerns, caller_types], partition_key=day, resources={"cipher": cipher()},
        raise_on_error=False, tags=tags or {},
    )  # fmt: skip


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    return " ".join(
        e.step_failure_data.error.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"
    )


def test_clean_partition_passes_and_releases(env):
    result = gate(PASSING_DAY)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["residual_direct_identifiers"].passed and checks["great_expectations"].passed
    assert checks["qa_coverage"].passed  # QA not required here, and the check says so
    counts = pl.read_parquet(env.path("phrase_counts", PASSING_DAY))
    assert "detox" in counts["phrase"].to_list() and counts["calls"].min() >= 3  # small cells suppressed
    redacted = pl.read_parquet(env.path("redacted_transcripts", PASSING_DAY))
    assert not any("555" in t for t in redacted["redacted_text"])


def test_planted_residual_fails_the_gate_with_category_and_count_visible(env):
    result = gate(FAILING_DAY, disabled=LAYERS_THAT_FIND_NUMBERS)
    direct = next(e for e in result.get_asset_check_evaluations() if e.check_name == "residual_direct_identifiers")
    assert not direct.passed
    by_category = direct.metadata["by_category"].value
    assert by_category.get("PHONE") == 2  # both planted numbers, counted by category, visible on the check
    assert "PHONE 2" in direct.description
    evidence = json.loads((env.settings.data_root / "tier2" / "gate_evidence" / f"{FAILING_DAY}.json").read_text())
    assert evidence["status"] == "fail" and evidence["residuals"]["counts"]["PHONE"] == 2
    assert "555" not in json.dumps(evidence)  # the evidence has offsets and categories, never the text
    assert tier3_state(env, FAILING_DAY) == {t: None for t in TIER3_GATED}  # blocked within the run


def test_every_trigger_path_is_refused_for_a_failed_partition(env, monkeypatch):
    gate(FAILING_DAY, disabled=LAYERS_THAT_FIND_NUMBERS)
    before = tier3_state(env, FAILING_DAY)

    # UI: materializing the Tier 3 assets (or the release_insights job) in a later run.
    ui = release_only(FAILING_DAY)
    assert not ui.success and "gate checks failed" in failure_text(ui)
    # Backfill: one run per partition with the backfill tag; the failing partition is refused like any run.
    backfill = release_only(FAILING_DAY, tags={"dagster/backfill": "test-backfill"})
    assert not backfill.success
    # CLI: cipher materialize DAY --job release_insights, on the persistent instance.
    assert runner.materialize_days([FAILING_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {FAILING_DAY: False}
    # Release sensor: never requests a failed day.
    requests = release_sensor(dg.build_sensor_context(resources={"cipher": cipher()})).run_requests
    assert FAILING_DAY not in {r.partition_key for r in requests or []}
    # Inbox sensor and nightly schedule start process_calls, which holds no Tier 3 asset at all.
    process_calls = defs.resolve_job_def("process_calls")
    assert not {k.to_user_string() for k in process_calls.asset_layer.executable_asset_keys} & set(TIER3_GATED)

    assert tier3_state(env, FAILING_DAY) == before


def test_stale_evidence_closes_the_gate_and_keeps_the_last_release(env):
    gate(PASSING_DAY)
    released = tier3_state(env, PASSING_DAY)
    assert all(released.values())
    # The redacted partition changes after its checks ran (here: rewritten by hand), so the evidence is stale.
    path = env.path("redacted_transcripts", PASSING_DAY)
    frame = pl.read_parquet(path).with_columns(pl.lit("caller: it's 619-555-0142\n").alias("redacted_text"))
    frame.write_parquet(path)
    result = release_only(PASSING_DAY)
    assert not result.success and "stale" in failure_text(result)
    assert tier3_state(env, PASSING_DAY) == released


def test_a_partition_whose_gate_never_ran_is_refused(env):
    result = release_only(PASSING_DAY)
    assert not result.success and "no redacted_transcripts partition" in failure_text(result)


def test_release_waits_for_qa_and_a_finding_blocks(env, monkeypatch):
    monkeypatch.setitem(CIPHER_CONFIG, "require_qa", True)
    result = gate(PASSING_DAY)
    coverage = next(e for e in result.get_asset_check_evaluations() if e.check_name == "qa_coverage")
    assert not coverage.passed and coverage.metadata["reviewed"].value == 0
    assert tier3_state(env, PASSING_DAY) == {t: None for t in TIER3_GATED}  # blocked in the same run
    waiting = release_only(PASSING_DAY)
    assert "QA is incomplete" in failure_text(waiting)

    paths = env.settings.data_root / "tier2"
    sample = pl.read_parquet(paths / "qa_sample" / f"{PASSING_DAY}.parquet")["transcript_id"].to_list()
    evidence = json.loads((paths / "gate_evidence" / f"{PASSING_DAY}.json").read_text())
    log = paths / "qa" / "qa_log.jsonl"
    for tid in sample:
        append_review(log, _review(tid, evidence["fingerprint"], "pass"))
    assert release_sensor(dg.build_sensor_context(resources={"cipher": cipher()})).run_requests
    assert release_only(PASSING_DAY).success
    released = tier3_state(env, PASSING_DAY)

    append_review(log, _review(sample[0], evidence["fingerprint"], "fail", finding="NAME"))
    blocked = release_only(PASSING_DAY)
    assert "human QA found 1" in failure_text(blocked)
    assert tier3_state(env, PASSING_DAY) == released


def _review(transcript_id: str, fingerprint: str, verdict: str, finding: str | None = None) -> QAReview:
    return QAReview(
        day=PASSING_DAY,
        transcript_id=transcript_id,
        reviewer="test-privacy-officer",
        verdict=verdict,
        checklist={key: key == "names" and finding is not None for key in CHECKLIST},
        findings=(Finding(category="NAME", turn=1, note="first name left after my son"),) if finding else (),
        reviewed_at=datetime(2026, 11, 17, 9, tzinfo=timezone.utc).isoformat(),
        fingerprint=fingerprint,
    )
