"""The marketing view carries only its allowed columns (assets/tier3/marketing_calls.sql). What Tier 3 builds
from transcripts is the insights: tests/test_insights.py and tests/test_insights_rules.py."""

import polars as pl

from cipher_pipeline import analysis
from cipher_pipeline.settings import PROJECT_ROOT

SPECS = PROJECT_ROOT / "assets"


def test_marketing_view_drops_identifying_columns_and_click_ids():
    raw = pl.DataFrame(
        {
            "call_id": ["CAL1"], "day": ["2026-11-18"], "start_time": ["2026-11-18T09:00:00-08:00"],
            "caller_number": ["+16195550142"], "caller_name": ["Dana Example"], "caller_city": ["Fresno"],
            "caller_state": ["CA"], "tracking_number": ["+18005550100"], "campaign": ["Detox - Brand"],
            "source": ["google_ads"], "medium": ["cpc"], "keyword": ["detox near me"],
            "landing_page": ["https://www.harborviewrecovery.example/detox/?gclid=abc123&email=x"],
            "talk_seconds": [312], "ring_seconds": [4], "answered": [True],
        }
    )  # fmt: skip
    view = analysis.marketing_calls(SPECS, raw, lambda call_id: "M" + "0" * 16)
    assert view.columns == [
        "marketing_call_id", "day", "campaign", "source", "medium", "keyword", "landing_page",
        "talk_seconds", "ring_seconds", "answered",
    ]  # fmt: skip
    assert view["landing_page"].to_list() == ["/detox/"]
    assert view["marketing_call_id"].to_list() == ["M" + "0" * 16]
