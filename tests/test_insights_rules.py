"""Fast checks of Tier 3 rules that need no redactor run: every competitor placeholder on a caller line counts
(the center under a misheard name and the agent's greeting never do); a month cannot be differenced against its
whole weeks and remaining days down to a small count (the check passes on a clean month and fails on a planted
violation, in memory and on published files); calls_dev is read through the one reader."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from cipher_devtools.insights_eval import parse_calls
from cipher_pipeline.insights import aggregate, features, objections, periods, suppression, text, verbatim
from cipher_pipeline.insights import taxonomy as tx
from cipher_pipeline.insights.publish import audit_month
from cipher_pipeline.settings import PROJECT_ROOT, shared_data_dir

K = 11
TAXONOMY = tx.load(PROJECT_ROOT / "assets" / "insights" / "taxonomy.yaml")


def test_every_competitor_placeholder_on_a_caller_line_counts():
    text = (
        "agent: Thanks for calling [COMPETITOR], this is [NAME].\n"
        "caller: Hi. My son was at [COMPETITOR] last year and left after a week.\n"
        "agent: I'm sorry to hear that.\n"
        "caller: We also called [COMPETITOR:seaside_recovery]; and [COMPETITOR:Lakeview-Behavioral] didn't take our insurance.\n"
        "caller: Is this [COMPETITOR]? I wanted the place on the highway.\n"
    )
    f = features.extract("2026-03-02", "T1", text, TAXONOMY)
    found = sorted(m.entity for m in f.mentions if m.kind == "COMPETITOR")
    # Three caller-side programs (an unlisted one, two canonical ids in any spelling); the agent's greeting and the
    # caller addressing the center under a misheard name are the center, not a competitor.
    assert found == ["lakeview_behavioral", "seaside_recovery", "unlisted"]
    assert f.center_mentions == 1


def _tables(**rows) -> dict[str, pl.DataFrame]:
    """Every roll-up table, empty unless given: ``concerns=[("insurance_and_cost", calls, first_calls)]``."""
    out = {}
    for name, (keys, columns) in aggregate.ROLLUP_KEYS.items():
        schema = {**{k: pl.String for k in keys}, **{c: pl.Int64 for c in columns}}
        out[name] = pl.DataFrame(rows.get(name, []), schema=schema, orient="row")
    return out


# March 2026 is ISO weeks 10-14 (Monday 2 March to Sunday 5 April). Every day of week 10 withheld its
# first-concern cell (under k), the week published 30; 30 March (week 14, whose roll-up is not published here)
# published 12.
WEEK10_DAYS = [f"2026-03-{d:02d}" for d in range(2, 9)]


def _month_parts(month_first_calls: int):
    daily = {d: _tables(concerns=[("insurance_and_cost", None, None)]) for d in WEEK10_DAYS}
    daily["2026-03-30"] = _tables(concerns=[("insurance_and_cost", 12, 12)])
    weeks = {"2026-W10": _tables(concerns=[("insurance_and_cost", 30, 30)])}
    month = _tables(concerns=[("insurance_and_cost", month_first_calls, month_first_calls)])["concerns"]
    return daily, weeks, month


def test_a_month_is_the_iso_weeks_that_start_in_it():
    assert periods.weeks_of_month("2026-03") == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    assert periods.weeks_of_month("2026-02") == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]  # 2 Feb to 1 March
    assert periods.weeks_of_month("2026-06") == ["2026-W23", "2026-W24", "2026-W25", "2026-W26", "2026-W27"]  # 1 June is a Monday
    assert periods.weeks_of_month("2021-01") == ["2021-W01", "2021-W02", "2021-W03", "2021-W04"]  # ISO year 2020 ends 3 Jan
    # Every day is in exactly one month, and a month is its weeks' days, whole.
    days = [d for m in ("2026-01", "2026-02", "2026-03", "2026-04") for d in periods.days_of_month(m)]
    assert len(days) == len(set(days)) and days[0] == "2026-01-05" and days[-1] == "2026-05-03"
    assert all(periods.month_of(d) == m for m in ("2026-03", "2026-04") for d in periods.days_of_month(m))
    assert periods.month_of("2026-03-01") == "2026-02" and periods.month_of("2026-04-05") == "2026-03"
    assert periods.first_month_from("2026-01-01") == "2026-01" and periods.first_month_from("2026-01-06") == "2026-02"


def test_monthly_partitions_depend_on_exactly_their_weeks_and_days():
    """The Dagster definitions express the rule: the built-in time-window mapping gives the monthly asset the
    days and ISO weeks of periods.days_of_month / weeks_of_month, and each day and week maps to its one month."""
    from datetime import datetime

    import dagster as dg

    from cipher_pipeline.defs import insights as defs
    from cipher_pipeline.defs.partitions import daily_partitions

    mapping, now = dg.TimeWindowPartitionMapping(), datetime(2027, 1, 1)
    for month in ("2026-02", "2026-03", "2026-06"):
        subset = defs.monthly_partitions.subset_with_partition_keys([month])
        days = mapping.get_upstream_mapped_partitions_result_for_partitions(subset, defs.monthly_partitions, daily_partitions, current_time=now)
        weeks = mapping.get_upstream_mapped_partitions_result_for_partitions(subset, defs.monthly_partitions, defs.weekly_partitions, current_time=now)
        assert list(days.partitions_subset.get_partition_keys()) == periods.days_of_month(month)
        assert [periods.week_of(w) for w in weeks.partitions_subset.get_partition_keys()] == periods.weeks_of_month(month)
    for day in ("2026-03-01", "2026-03-02", "2026-04-05", "2026-04-06"):
        down = mapping.get_downstream_partitions_for_partitions(
            daily_partitions.subset_with_partition_keys([day]), daily_partitions, defs.monthly_partitions, current_time=now
        )
        assert list(down.get_partition_keys()) == [periods.month_of(day)]
    asset_deps = {dep.asset_key.to_user_string() for dep in defs.insights_monthly.specs_by_key[defs.insights_monthly.key].deps}
    assert asset_deps == {"insights_daily", "insights_weekly"}


def test_month_minus_weeks_and_days_check_fails_on_a_planted_violation():
    keys, _ = aggregate.ROLLUP_KEYS["concerns"]
    daily, weeks, month = _month_parts(30 + 12 + 5)  # five calls on days no published cell covers
    against_days = aggregate.constituents(daily)["concerns"]
    against_all = aggregate.constituents(daily, weeks)["concerns"]
    # Against the days alone the month looks safe (47 - 12 = 35); with the week it leaves 5: recoverable.
    assert suppression.check_rollup(month, keys, "first_calls", against_days, K) == []
    assert suppression.check_rollup(month, keys, "first_calls", against_all, K) != []
    # The build withholds exactly that cell.
    withheld = suppression.against_constituents(month, keys, "first_calls", against_all, K)
    assert withheld["first_calls"].to_list() == [None]


def test_month_minus_weeks_and_days_check_passes_when_nothing_small_remains():
    keys, _ = aggregate.ROLLUP_KEYS["concerns"]
    for month_value in (30 + 12, 30 + 12 + 11):  # nothing left over, or at least k
        daily, weeks, month = _month_parts(month_value)
        assert suppression.check_rollup(month, keys, "first_calls", aggregate.constituents(daily, weeks)["concerns"], K) == []


def _write(root: Path, period: str, tables: dict[str, pl.DataFrame], calls: int) -> None:
    for name, df in {**tables, "overview": pl.DataFrame({"calls": [calls], "center_named_calls": [0]})}.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        df.with_columns(pl.lit(period).alias("period")).write_parquet(root / name / f"{period}.parquet")


@pytest.mark.parametrize("month_value, problems", [(30 + 12 + 5, 1), (30 + 12, 0)])
def test_audit_of_published_files_sees_month_week_day_differencing(tmp_path, month_value, problems):
    daily, weeks, month = _month_parts(month_value)
    for day, tables in daily.items():
        _write(tmp_path, day, tables, 14)
    _write(tmp_path, "2026-W10", weeks["2026-W10"], 100)
    _write(tmp_path, "2026-03", {**_tables(), "concerns": month}, 400)
    found = audit_month(tmp_path, "2026-03", K)
    assert len([p for p in found if "first_calls" in p]) == problems


def test_calls_dev_is_read_through_the_one_reader():
    path = shared_data_dir() / "calls_dev" / "calls_dev.md"
    if not path.exists():
        pytest.skip(f"calls_dev not present at {path} (set CIPHER_SHARED_DATA)")
    calls = parse_calls(path)
    raw = path.read_text(encoding="utf-8")
    assert [n for n, _, _ in calls] == list(range(1, 81))
    # Independently of both parsers: caller-side markup counted straight from the file.
    for kind in ("COMPETITOR", "INSURER"):
        expected = sum(line.count(f"[[{kind}|") for line in raw.splitlines() if line.lower().startswith("caller:"))
        assert sum(g[kind] for _, _, g in calls) == expected
    assert all(line.split(":", 1)[0] in ("agent", "caller") for _, text, _ in calls for line in text.splitlines())
    assert not any(re.search(r"\[\[|\]\]", text) for _, text, _ in calls)


def test_an_emergent_cluster_id_is_no_quote_but_a_quote_still_is():
    calls = [features.extract("2026-03-02", f"T{i}", "caller: I want to get clean and I can't do it alone.", TAXONOMY) for i in range(K)]
    calls.append(features.extract("2026-03-02", "Tq", "caller: my cousin drove a purple tractor into the lake", TAXONOMY))
    # The id's namespace prefix is the system's, not speech: "emergent" + a five-word phrase is no six-word run.
    assert verbatim.find_quotes(["emergent:get clean and i cant"], calls, K) == []
    assert verbatim.find_quotes(["cousin drove a purple tractor into"], calls, K) == ["cousin drove a purple tractor into"]


# Relayed denial: a family member reporting that the patient denies, minimises or refuses, in the third person,
# and negated. Invented here; none of them is a planted phrasing (cipher_devtools/synth/planted.py).
RELAYED_DENIALS = [
    "He keeps telling me he can stop whenever he wants.",
    "She says she can handle it by herself.",
    "She insists it's not that bad.",
    "He won't admit he has a drinking problem.",
    "she says shes not an addict",
    "She thinks she doesn't have a problem, that everybody parties.",
    "My daughter told me she would never go to a place like that.",
    "He doesn't believe he needs any help.",
    "my mom thinks she can just stop drinking by herself",
    "He doesn't see it as an issue at all.",
]
# The same words turned into an admission or a wish for help, and other objections in the family's voice.
NOT_DENIALS = {
    "He says he can't stop and he's scared.": None,
    "She told me she wants to go today.": None,
    "He finally admitted he needs help.": None,
    "She says she's ready whenever you have a bed.": None,
    "She doesn't want anyone at work to find out.": "privacy_fear",
    "He is afraid he will lose his job.": "leaving_job",
    "We can't afford the deductible.": "cost_barrier",
}


def _objection_type(sentence: str) -> str | None:
    call = features.extract("2026-03-02", "T1", f"caller: {sentence}", TAXONOMY)
    members = objections.cluster([call], TAXONOMY, set()).members
    return next((cid for cid in members if not cid.startswith("emergent:")), None)


@pytest.mark.slow  # loads MiniLM (about 7 s)
def test_relayed_denial_is_a_denial_and_an_admission_is_not():
    found = [s for s in RELAYED_DENIALS if _objection_type(s) == "denial_refusal"]
    assert len(found) >= 9, sorted(set(RELAYED_DENIALS) - set(found))
    for sentence, expected in NOT_DENIALS.items():
        got = _objection_type(sentence)
        assert got != "denial_refusal", sentence
        if expected:
            assert got == expected, (sentence, got)


def test_objection_rule_reads_the_negation():
    rule = TAXONOMY.objection_rules["denial_refusal"]
    tokens = lambda s: tuple(text.normalise(s))  # noqa: E731
    assert rule.first_match(tokens("he says he can stop any time")) is not None
    assert rule.first_match(tokens("he says he cant stop")) is None
    assert rule.first_match(tokens("no problem, thanks")) is None
    assert rule.first_match(tokens("she doesnt think she needs rehab")) is not None


def test_withdrawal_finds_the_week_and_month_a_day_is_published_in(tmp_path):
    """The gate names periods without importing Tier 3 (gate/release.py): it must agree with periods.py."""
    from cipher_pipeline.gate.paths import GatePaths
    from cipher_pipeline.gate.release import insight_files_of

    root = tmp_path / "tier3" / "insights" / "overview"
    root.mkdir(parents=True)
    for day in ("2026-03-01", "2026-04-05", "2026-04-06", "2026-12-31"):
        periods_ = {day, periods.week_of(day), periods.month_of(day)}
        for period in periods_ | {"2026-01", "2026-W20"}:
            (root / f"{period}.parquet").touch()
        found = {p.stem for p in insight_files_of(GatePaths(tmp_path), day)}
        assert found == periods_, day
