"""The insight assets in a real Dagster run: a week of planted calls goes through the real de-identification
and gate (redacted_transcripts, qa_sample), then insights_daily per day and insights_weekly for the week, whose
report and tables land in tier3/insights/. A day whose gate evidence is missing holds the roll-up."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg
import polars as pl
import pytest

from cipher_pipeline.defs import insights as insight_defs
from cipher_pipeline.defs import tier2
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.keys import init_keys
from cipher_pipeline.tables import RAW_CALLS_SCHEMA
from cipher_devtools.synth.planted import PlantedSpec, generate, tracking_frame

pytestmark = pytest.mark.slow
WEEK_START = date(2026, 3, 2)  # a Monday
DAYS = [(WEEK_START + timedelta(days=i)).isoformat() for i in range(7)]


def _seed_tier1(resource: CipherResource, calls) -> None:
    """What tier1.raw_calls and tier1.transcripts would have written for these calls (ASR skipped: text-level)."""
    store = resource.store
    tracking = tracking_frame(calls)
    for day in DAYS:
        rows = tracking.filter(pl.col("day") == day)
        raw = pl.DataFrame(
            {name: (rows[name].cast(dtype) if name in rows.columns else pl.Series(name, [None] * rows.height, dtype)) for name, dtype in RAW_CALLS_SCHEMA.items()}
        )
        store.write("raw_calls", day, raw, purpose="test seed")
        texts = [(c.call_id, c.text) for c in calls if c.day == day]
        store.write("transcripts", day, pl.DataFrame({"call_id": [i for i, _ in texts], "day": day, "text": [t for _, t in texts], "asr_model": "text"}), purpose="test seed")


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    root = tmp_path_factory.mktemp("insights") / "data"
    resource = CipherResource(data_root=str(root), require_qa=False)
    init_keys(resource.settings.keys_dir)  # made on purpose, as `cipher keys init` would
    calls = generate(PlantedSpec(), 7 * 24, 7, start=WEEK_START)
    _seed_tier1(resource, calls)
    for day in DAYS:
        result = dg.materialize([tier2.redacted_transcripts, tier2.qa_sample, insight_defs.insights_daily], partition_key=day,
                                resources={"cipher": resource}, raise_on_error=False)  # fmt: skip
        assert result.success, day
    return resource, root


def test_daily_and_weekly_insights_materialize_with_checks_and_report(week):
    resource, root = week
    result = dg.materialize([insight_defs.insights_weekly], partition_key=WEEK_START.isoformat(), resources={"cipher": resource})
    assert result.success
    meta = result.asset_materializations_for_node("insights_weekly")[0].metadata
    assert meta["calls"].value == 7 * 24
    assert 0.3 <= meta["first_share_insurance_and_cost"].value <= 0.5
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"small_cells_suppressed": True, "no_verbatim_quotes": True}
    base = root / "tier3" / "insights"
    assert (base / "reports" / "2026-W10.html").exists()
    for day in DAYS:
        assert (base / "concerns" / f"{day}.parquet").exists()
        assert (base / "conversion_export" / f"{day}.parquet").exists()
    weekly = pl.read_parquet(base / "concerns" / "2026-W10.parquet")
    assert weekly["calls"].drop_nulls().min() == 0 or weekly["calls"].drop_nulls().min() >= 11


def test_roll_up_refuses_a_day_the_gate_did_not_release(week):
    resource, root = week
    evidence = root / "tier2" / "gate_evidence" / f"{DAYS[3]}.json"
    saved = evidence.read_bytes()
    evidence.unlink()
    try:
        result = dg.materialize([insight_defs.insights_weekly], partition_key=WEEK_START.isoformat(), resources={"cipher": resource}, raise_on_error=False)
        assert not result.success
        failure = [e for e in result.all_events if e.is_step_failure][0]
        assert "Release refused" in str(failure.event_specific_data.error)
    finally:
        evidence.write_bytes(saved)
