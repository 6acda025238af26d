"""Tier 3 insights on planted truth: the aggregates recover known patterns, and the protections (small-cell,
complementary and roll-up suppression, no verbatim quotes) hold on what is published and fail on planted
violations. Text level: planted transcripts go through the real de-identification engine, then the real
insight engine (real MiniLM embeddings, real scikit-learn clustering)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from cipher_pipeline.insights import aggregate, features, intake, periods, suppression, verbatim
from cipher_pipeline.insights import taxonomy as tx
from cipher_devtools.synth.planted import PlantedSpec, generate, tracking_frame

# Slow: the planted month goes through the real redactor (about 20 s of fixtures). `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
K = 11
SPEC = PlantedSpec()
N_CALLS, DAYS = 560, 35  # five weeks from Monday 2026-03-02, 16 calls a day


@pytest.fixture(scope="module")
def planted(redactor):
    calls = generate(SPEC, N_CALLS, DAYS)
    redacted = redactor.redact_many([c.text for c in calls])
    taxonomy = tx.load(ROOT / "assets" / "insights" / "taxonomy.yaml")
    feats = [features.extract(c.day, c.call_id, r.redacted_text, taxonomy) for c, r in zip(calls, redacted)]
    return calls, feats, taxonomy


@pytest.fixture(scope="module")
def published(planted):
    """Daily, weekly and monthly tables as the pipeline publishes them (roll-ups checked against days)."""
    _, feats, taxonomy = planted
    by_day = defaultdict(list)
    for f in feats:
        by_day[f.day].append(f)
    daily = {day: aggregate.build(fs, taxonomy, K, day) for day, fs in sorted(by_day.items())}
    rollups = {}
    for key_fn in (periods.week_of, periods.month_of):  # weeks first: a month is also checked against its weeks
        groups = defaultdict(list)
        for day in daily:
            groups[key_fn(day)].append(day)
        for period, days in groups.items():
            calls = [f for d in days for f in by_day[d]]
            weeks = {w: rollups[w][0] for w in periods.weeks_of_month(period) if w in rollups} if key_fn is periods.month_of else {}
            parts = aggregate.constituents({d: daily[d] for d in days}, weeks)
            rollups[period] = (aggregate.build(calls, taxonomy, K, period, parts), parts)
    return daily, rollups


def _month(published):
    return published[1]["2026-03"][0]


WEEKS = ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]


def _weeks(published):
    return [published[1][w][0] for w in WEEKS]


def _pooled(published, pick) -> float:
    """A rate over the five published weeks: the sum of each week's published count over the sum of its calls.
    (March is these five weeks, whole: test_month_is_the_sum_of_its_weeks.)"""
    counts = [pick(t) for t in _weeks(published)]
    assert all(c is not None for c in counts), counts  # every week publishes it
    return sum(counts) / sum(int(t["overview"]["calls"][0]) for t in _weeks(published))


def _any(kind):
    return lambda t: t["entity_mentions"].filter((pl.col("kind") == kind) & (pl.col("entity") == "any"))["calls"][0]


def test_first_concern_shares_recovered(published):
    for concern, planted_share in SPEC.first_concern_shares.items():
        share = _pooled(published, lambda t: t["concerns"].filter(pl.col("concern") == concern)["first_calls"][0])
        assert abs(share - planted_share) <= 0.06, (concern, share, planted_share)  # ~3 standard errors at n~500
    # The month is its five weeks, whole: it publishes every first-concern cell.
    month = _month(published)["concerns"]
    assert month["first_calls"].null_count() == 0


def test_competitor_and_insurer_rates_caller_side_only(planted, published):
    calls, feats, _ = planted
    assert abs(_pooled(published, _any("COMPETITOR")) - SPEC.competitor_rate) <= 0.04
    assert abs(_pooled(published, _any("INSURER")) - SPEC.insurer_rate) <= 0.05
    # The center's name (misspelled by ASR in some greetings) is never a competitor: per call, the competitors
    # found are exactly the ones the caller named.
    for call, f in zip(calls, feats):
        found = {m.entity for m in f.mentions if m.kind == "COMPETITOR"}
        assert found == ({call.truth["competitor"]} if call.truth["competitor"] else set()), call.call_id
    # Framing splits a week's ~22 competitor calls below k; the month publishes it (checked against its weeks).
    framing = set(_month(published)["entity_framing"].filter(pl.col("entity") == "any")["framing"])
    assert {"left_early", "insurance_not_accepted"} <= framing


def test_center_addressed_by_misheard_name_is_not_a_competitor(planted):
    taxonomy = planted[2]
    text = "agent: Thanks for calling [COMPETITOR], this is [NAME].\ncaller: Hi, is this [COMPETITOR]? My son went to [COMPETITOR:seaside_recovery] and left early."
    f = features.extract("2026-03-02", "T1", text, taxonomy)
    assert [(m.entity, m.framing) for m in f.mentions] == [("seaside_recovery", ("left_early",))]
    assert f.center_mentions == 1


def test_family_only_objection_and_caller_groups(planted, published):
    calls, feats, _ = planted
    assert sum(f.caller_group == c.truth["caller_group"] for c, f in zip(calls, feats)) / len(calls) >= 0.98
    found = family = 0
    for week, tables in zip(WEEKS, _weeks(published)):
        diff = tables["family_vs_patient"]
        assert "denial_refusal" in diff.filter(pl.col("family_only"))["item"].to_list(), week
        found += diff.filter(pl.col("item") == "denial_refusal")["family_calls"][0]
        family += sum(f.caller_group == "family" for f in feats if periods.week_of(f.day) == week)
        shared = diff.filter(pl.col("item") == "leaving_job")
        assert shared.is_empty() or not shared["family_only"][0]  # said by both: never family-only
    planted_rate = sum(c.truth["family_objection"] for c in calls) / sum(c.truth["caller_group"] == "family" for c in calls)
    # The denial rule (assets/insights/taxonomy.yaml) reads relayed and negated denials; it was written on invented
    # paraphrases (tests/test_insights_rules.py), not on the planted ones. Within the stated tolerance.
    assert abs(found / family - planted_rate) <= 0.06, (found / family, planted_rate)


def test_signature_phrase_recovered_and_outranks_generic_language(published):
    def signature_calls(t):
        sig = t["buyer_phrases"].filter(pl.col("phrase").str.contains("get away from everything"))
        return None if sig.is_empty() else sig["calls"].max()

    assert abs(_pooled(published, signature_calls) - SPEC.signature_rate) <= 0.05
    for tables in _weeks(published):
        phrases = tables["buyer_phrases"]
        best = phrases.filter(pl.col("phrase").str.contains("get away from everything")).sort("calls", descending=True).row(0, named=True)
        # Ranked by lift over general English it beats everyday chatter such as "thank you so much".
        generic = phrases.filter(pl.col("phrase").str.contains("thank"))
        if not generic.is_empty():
            assert best["log10_lift"] > generic["log10_lift"].max()
        assert all(2 <= n <= 6 for n in phrases["words"])


def test_objection_cluster_ids_stable_across_weeks(published):
    weeks = [t for p, (t, _) in published[1].items() if "-W" in p]
    ids = [set(t["objection_clusters"]["cluster_id"]) for t in weeks]
    assert len(weeks) >= 4
    common = set.intersection(*ids)
    assert {"denial_refusal", "leaving_job"} <= common


def test_month_is_the_sum_of_its_weeks(published):
    """A month of whole ISO weeks: every count the weeks publish adds up to the month's, so nothing is left to
    withhold at the month's edges and differencing the month against its weeks recovers nothing."""
    daily, rollups = published
    month = rollups["2026-03"][0]
    for name in ("concerns", "entity_mentions", "caller_types"):
        keys, columns = aggregate.ROLLUP_KEYS[name]
        column = columns[0]
        weeks = pl.concat([rollups[w][0][name].select(*keys, column) for w in WEEKS])
        # A row a week leaves out (never said that week, or withheld) cannot be summed: rows every week publishes.
        whole = weeks.group_by(keys).agg(pl.col(column).sum(), pl.col(column).is_not_null().sum().alias("_weeks"))
        joined = month[name].select(*keys, column).join(whole, on=keys, suffix="_weeks")
        published_everywhere = joined.filter((pl.col("_weeks") == len(WEEKS)) & pl.col(column).is_not_null())
        assert published_everywhere.height > 0, name
        assert (published_everywhere[column] == published_everywhere[f"{column}_weeks"]).all(), name
    assert int(month["overview"]["calls"][0]) == sum(int(rollups[w][0]["overview"]["calls"][0]) for w in WEEKS)


def test_every_aggregate_exists_per_day_week_and_month(published):
    daily, rollups = published
    assert len(daily) == DAYS
    assert {p for p in rollups if "-W" in p} == {"2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"}
    assert {p for p in rollups if len(p) == 7} == {"2026-03"}  # the five weeks from 2 March are March, whole
    for tables in [*daily.values(), *(t for t, _ in rollups.values())]:
        assert set(aggregate.COUNT_COLUMNS) <= set(tables)


def test_suppression_and_no_verbatim_hold_on_everything_published(planted, published):
    _, feats, _ = planted
    daily, rollups = published
    for tables in daily.values():
        assert aggregate.check(tables, K) == []
    for tables, days_tables in rollups.values():
        assert aggregate.check(tables, K, days_tables) == []
    strings = [s for t in [*daily.values(), *(t for t, _ in rollups.values())] for s in verbatim.table_strings(t)]
    assert verbatim.find_quotes(strings, feats, K) == []


def test_suppression_checks_fail_on_planted_violations(published):
    daily, rollups = published
    week, days_tables = rollups["2026-W10"]
    # A small cell slipped through.
    bad = dict(week, caller_types=week["caller_types"].with_columns(pl.lit(3, pl.Int64).alias("calls")))
    assert any("between 1 and 10" in p for p in aggregate.check(bad, K))
    # A complementary cell un-withheld: the withheld cells of an exclusive split add up to 1..10.
    types = pl.DataFrame({"caller_type": ["patient", "parent", "sibling"], "calls": [30, 20, None]})
    assert suppression.check_partition(types, "calls", {None: 55}, K)
    fixed = suppression.complementary(suppression.primary(pl.DataFrame({"caller_type": ["patient", "parent", "sibling"], "calls": [30, 20, 5]}), ["calls"], K), "calls", {None: 55}, K)
    assert fixed["calls"].to_list() == [30, None, None]  # 5 withheld, then 20 with it (5 alone = 55 - 50)
    assert suppression.check_partition(fixed, "calls", {None: 55}, K) == []
    # Differencing a week against its published days recovers a withheld daily cell.
    day = pl.DataFrame({"caller_type": ["parent"] * 3, "calls": [12, 13, None]})
    rollup = pl.DataFrame({"caller_type": ["parent"], "calls": [30]})
    assert suppression.check_rollup(rollup, ["caller_type"], "calls", day, K)
    safe = suppression.against_constituents(rollup, ["caller_type"], "calls", day, K)
    assert safe["calls"].to_list() == [None]
    assert suppression.check_rollup(safe, ["caller_type"], "calls", day, K) == []


def test_no_verbatim_check_catches_a_quote(planted):
    _, feats, _ = planted
    quote = "honestly he just needs to get away from everything for a while"
    assert verbatim.find_quotes(["a normal label", quote.replace(" ", ", ", 1)], feats, 10_000)
    unique = features.extract("2026-03-02", "Tq", "caller: my cousin drove a purple tractor into the lake", planted[2])
    assert verbatim.find_quotes(["my cousin drove a purple tractor into"], feats + [unique], K) == [
        "cousin drove a purple tractor into", "my cousin drove a purple tractor"]


def test_threshold_can_only_be_raised():
    assert suppression.effective_k(None) == 11 and suppression.effective_k(20) == 20
    with pytest.raises(ValueError):
        suppression.effective_k(3)


def test_intake_metrics_and_conversion_export_carry_no_individual_signal(planted):
    calls = planted[0]
    tracking = tracking_frame(calls)
    tables = intake.metrics(tracking.with_columns(pl.col("start_time")), K)
    cb = tables["intake_callbacks"].row(0, named=True)
    assert cb["called_back"] == cb["missed_after_hours_calls"] >= K
    assert 20 <= cb["median_callback_minutes"] <= 120  # planted latency range
    for t in tables.values():
        assert "caller_number" not in t.columns
        assert suppression.check_cells(t, [c for c, d in t.schema.items() if d == pl.Int64 and c != "hour"], K) == []
    # The export needs volume: 16 calls a day over three campaigns never reaches k per row, so the rows are
    # withheld; a busier center (90 calls a day) gets rows.
    assert intake.conversion_export(tracking, K).height == 0
    export = intake.conversion_export(tracking_frame(generate(SPEC, 180, 2)), K)
    assert set(export.columns) == {"day", "campaign", "calls", "answered_calls", "qualified_calls"}
    assert export.height and export["calls"].min() >= K


def test_report_renders_offline_in_headless_chromium(planted, published, tmp_path):
    import shutil
    import subprocess

    from cipher_pipeline.insights import report

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian chromium is not installed (scripts/install-system-deps.sh installs it)")
    _, feats, _ = planted
    # A week's report (the month's is the same renderer).
    week, _ = published[1]["2026-W11"]
    days = sorted((d, t) for d, t in published[0].items() if periods.week_of(d) == "2026-W11")
    trend = [(d, t["entity_mentions"].filter((pl.col("kind") == "COMPETITOR") & (pl.col("entity") == "any"))["calls"][0]) for d, t in days]
    page = report.render("2026-W11", week, trend, intake.metrics(tracking_frame(planted[0]), K))
    assert "http://" not in page and "https://" not in page and "src=" not in page  # nothing to fetch
    assert verbatim.find_quotes(report.phrases_in(page), feats, K) == []
    path = tmp_path / "report.html"
    path.write_text(page)
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    import re

    charts = int(re.search(r'data-charts="(\d+)"', dom).group(1))
    bars = int(re.search(r'data-bars="(\d+)"', dom).group(1))
    assert charts >= 10 and bars >= 30  # the script ran in the browser and counted what it drew
    for heading in ("Concern order", "Buyer language", "Competitors and insurers", "Objections and who raises them", "Intake"):
        assert heading in dom
    assert "insurance and cost" in dom and "get away from everything" in dom and "denial refusal" in dom


def test_spoken_competitor_and_insurer_recall_on_held_out_calls():
    """Even-numbered calls of the independently written set (never tuned on): the figures docs/insights.md
    reports. Low competitor recall is measured, not hidden: unlisted program names without a shape cue are
    redacted as a name or place before Tier 3 sees them."""
    from cipher_devtools.insights_eval import entity_recall
    from cipher_pipeline.settings import shared_data_dir

    path = shared_data_dir() / "calls_dev" / "calls_dev.md"
    if not path.exists():
        pytest.skip(f"shared data absent: {path}")
    scores = entity_recall(path, "even")
    assert scores["INSURER"]["recall"] >= 0.6 and scores["INSURER"]["call_recall"] >= 0.8
    # the de-identification engine tags unlisted programs by treatment phrase (deid/vertical.py): recall 0.69 for
    # 3 extra tags on 16 spoken mentions, measured 2026-11-29 (was 0.25 for 0 before that recognizer)
    assert scores["COMPETITOR"]["recall"] >= 0.6
    assert scores["COMPETITOR"]["extra_mentions"] <= 3  # the center's own name is not counted as a competitor
    # Tier 3 loses nothing the redactor tagged on a caller line (only "is this [COMPETITOR]?" may be the center):
    # whatever recall the redactor's competitor shapes reach is what Tier 3 reports.
    for kind in ("COMPETITOR", "INSURER"):
        assert scores[kind]["found"] >= 0.9 * scores[kind]["caller_tags"], (kind, scores[kind])


def test_a_day_under_k_calls_publishes_nothing_countable(planted):
    _, feats, taxonomy = planted
    tables = aggregate.build(feats[:8], taxonomy, K, "2026-03-02")
    assert tables["overview"]["calls"][0] == 8  # public anyway: the marketing view lists every call
    assert aggregate.check(tables, K) == []
    # The exclusive splits of fewer than k calls are withheld whole, zeros included.
    assert tables["caller_types"]["calls"].null_count() == tables["caller_types"].height
    assert tables["buyer_phrases"].is_empty() and tables["concern_sequences"].is_empty()
