"""The insight assets in real Dagster runs, at a smaller size than ``cipher bench --only insights-volume``: two
weeks of planted calls go through the real gate (redacted_transcripts with its blocking checks, qa_sample,
qa_coverage), marketing_calls and insights_daily per day, then insights_weekly per ISO week and
insights_monthly; every run and check passes, the published month cannot be differenced against its weeks and
days, the planted patterns come back from the published files, and a day whose gate evidence is missing holds
the roll-up."""

from __future__ import annotations

import dagster as dg
import pytest

from cipher_devtools.insights_volume import run_volume
from cipher_pipeline.defs import insights as insight_defs
from cipher_pipeline.defs.resources import CipherResource

pytestmark = pytest.mark.slow
WEEKS, PER_WEEK = 2, 84  # 12 calls a day: every daily cell under k, the weeks and the month above it


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    root = tmp_path_factory.mktemp("insights-volume")
    return run_volume(weeks=WEEKS, calls_per_week=PER_WEEK, root=root), root


def test_every_day_week_and_month_materializes_with_passing_checks(volume):
    run, root = volume
    assert run.calls_in == WEEKS * PER_WEEK
    assert sorted(run.runs) == sorted([*run.days, "2026-W10", "2026-W11", "2026-03"])
    assert all(r["success"] and not r["checks_failed"] for r in run.runs.values()), {k: r for k, r in run.runs.items() if not r["success"]}
    assert all(r["checks"] >= 2 for r in run.runs.values())  # the suppression and no-verbatim checks at least
    assert run.report_pages == ["reports/2026-03.html", "reports/2026-W10.html", "reports/2026-W11.html"]
    assert run.nesting_problems == {"2026-03": []}


def test_planted_patterns_recovered_from_the_published_month(volume):
    run, _ = volume
    month = {r["pattern"]: r for r in run.recovery if r["period"] == "2026-03"}
    # 168 calls: competitor, insurer and signature rates are exact counts of what was planted; first concerns
    # are within the stated tolerance where published.
    for pattern in ("competitor", "insurer", "signature"):
        assert month[pattern]["within"], month[pattern]
    assert sum(month[f"first:{c}"]["within"] for c in ("insurance_and_cost", "length_of_stay", "detox_and_withdrawal")) == 3


def test_roll_up_refuses_a_day_the_gate_did_not_release(volume):
    run, root = volume
    resource = CipherResource(data_root=str(root / "data"), inbox=str(root / "inbox"), require_qa=False)
    evidence = root / "data" / "tier2" / "gate_evidence" / f"{run.days[3]}.json"
    saved = evidence.read_bytes()
    evidence.unlink()
    try:
        result = dg.materialize([insight_defs.insights_weekly], partition_key=run.days[0], resources={"cipher": resource}, raise_on_error=False)
        assert not result.success
        failure = [e for e in result.all_events if e.is_step_failure][0]
        assert "Release refused" in str(failure.event_specific_data.error)
    finally:
        evidence.write_bytes(saved)
