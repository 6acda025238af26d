"""Tier 3 aggregation: small cells are suppressed, concern order and caller
type are read from the callers' side, and the marketing view carries only its allowed columns."""

import polars as pl

from cipher_pipeline import analysis
from cipher_pipeline.settings import PROJECT_ROOT

SPECS = PROJECT_ROOT / "assets"


def _redacted(texts: list[str], day: str = "2026-11-18") -> pl.DataFrame:
    return pl.DataFrame(
        {"day": [day] * len(texts), "transcript_id": [f"T{i:016x}" for i in range(len(texts))], "redacted_text": texts}
    )


def test_small_cells_are_suppressed():
    # k = 11 distinct calls, the one threshold of every Tier 3 output (assets/insights/release.yaml)
    texts = ["caller: we looked at [COMPETITOR:seaside_recovery] first\n"] * 11 + ["caller: is [INSURER:aetna] ok\n"] * 10
    counts = analysis.competitor_mentions(SPECS, _redacted(texts))
    assert counts.filter(pl.col("entity") == "seaside_recovery")["calls"].to_list() == [11]
    assert "aetna" not in counts["entity"].to_list()  # named in 10 calls: under k


def test_concern_order_and_caller_type():
    texts = [
        "agent: hi\ncaller: my son is withdrawing. does insurance cover detox? what does it cost\n",
        "agent: hi\ncaller: my daughter needs detox. is it covered by insurance\n",
        "agent: hi\ncaller: i need help. how much does it cost? and detox, do you take [INSURER:aetna] insurance\n",
    ]
    concerns, types = analysis.call_concerns(_redacted(texts), SPECS)
    first = concerns.filter(pl.col("rank") == 1).sort("transcript_id")["concern"].to_list()
    assert first == ["detox_withdrawal", "detox_withdrawal", "cost"]
    assert types.sort("transcript_id")["caller_type"].to_list() == ["parent", "parent", "self"]
    table, type_counts = analysis.caller_concerns(SPECS, _redacted(texts * 6))
    row = table.filter(pl.col("concern") == "detox_withdrawal").row(0, named=True)
    assert (row["calls"], row["calls_raising_it_first"]) == (18, 12)
    assert type_counts["caller_type"].to_list() == ["parent"]  # 12 parents published; 6 self: under k = 11


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


def test_each_concern_table_alone_equals_its_half_of_the_pair():
    texts = ["caller: my son needs detox, what does it cost\n"] * 4 + ["caller: do you take insurance for my husband\n"] * 3
    redacted = _redacted(texts)
    order, types = analysis.caller_concerns(SPECS, redacted)
    assert analysis.concern_order(SPECS, redacted).equals(order)
    assert analysis.caller_types(SPECS, redacted).equals(types)


def test_competitor_and_insurer_mentions_count_what_callers_said_not_the_agents_greeting():
    # The greeting names the center; Whisper's spelling of it can read as an unlisted competitor.
    texts = [
        "agent: thanks for calling [COMPETITOR], this is [NAME]\ncaller: i was at [COMPETITOR:seaside_recovery] last year\n",
        "agent: thank you for calling [COMPETITOR] admissions\ncaller: does [INSURER:aetna] cover it\nagent: we take [INSURER:cigna]\n",
        "agent: [COMPETITOR] admissions, how can i help\ncaller: my mom has [INSURER:aetna]\n",
    ]
    tags = analysis.entity_tags(_redacted(texts))
    assert sorted(zip(tags["kind"], tags["entity"])) == [
        ("COMPETITOR", "seaside_recovery"), ("INSURER", "aetna"), ("INSURER", "aetna"),
    ]  # fmt: skip
