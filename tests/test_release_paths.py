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
from cipher_pipeline.defs.tier2 import GATE_CHECKS, qa_coverage, qa_sample, redacted_transcripts
from cipher_pipeline.defs.insights import insights_daily
from cipher_pipeline.gate.qa_log import CHECKLIST, Finding, QAReview, append_review
from cipher_pipeline.storage import PartitionStore
from cipher_pipeline.tables import RAW_CALLS_SCHEMA

# Slow: Dagster materializations on a persistent instance for every trigger path. `make test` runs it, `make test-fast` does not.
pytestmark = pytest.mark.slow

PASSING_DAY, FAILING_DAY = "2026-11-16", "2026-11-17"
CALLS = [
    "agent: Harborview admissions, how can I help?\ncaller: Hi, I'm calling about detox for my son. Does your "
    "program take insurance?\nagent: We work with most plans. What's a good callback number?\ncaller: It's 619.555.0142.\n",
    "agent: Harborview admissions.\ncaller: I need to know about the cost of detox and whether insurance covers it. "
    "My email is jane.doe@example.com.\n",
    "agent: Harborview admissions.\ncaller: We looked at Seaside Recovery but the cost of detox there was too high. "
    "Do you take insurance? My number is 415.555.0199.\n",
]
# A gate drill switches off every layer that can find a written phone number or email: the rules and the
# Whisper-shape layer both do (defence in depth), so disabling one alone leaves nothing for the gate to catch. The
# learned layer stays on, as shipped, and reads these transcripts (the pipeline marks them as Whisper's), so the
# numbers are written with dots: a dot does not join its runs, and it never claims a piece of fewer than five digits
# on its own (learned._bare_digits), a rule of the layer rather than a weight of its model, so the numbers reach
# Tier 2 whatever model file is shipped. Hyphenated, the layer takes them (its catch, not the gate's).
LAYERS_THAT_FIND_NUMBERS = {"rules", "asr"}
PLANTED_NUMBERS = ("619.555.0142", "415.555.0199")
# Tier 3 from transcripts is the insights (insights_daily): a few of its tables stand for all of them here.
TIER3_GATED = ("overview", "concerns", "caller_types")


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


def seed_tier1(store: PartitionStore, day: str, calls: list[str] = CALLS) -> None:
    ids = [f"CAL{day.replace('-', '')}{i:012x}" for i in range(len(calls))]
    raw = [
        {**{c: None for c in RAW_CALLS_SCHEMA}, "call_id": cid, "day": day, "answered": True, "talk_seconds": 60,
         "ring_seconds": 3, "source": "google_ads", "medium": "cpc", "campaign": "Detox - Brand", "keyword": "detox near me",
         "landing_page": "https://www.harborviewrecovery.example/detox?gclid=abc", "audio_status": "ok"}
        for cid in ids
    ]  # fmt: skip
    store.write("raw_calls", day, pl.DataFrame(raw, schema=RAW_CALLS_SCHEMA), purpose="test seed")
    store.write(
        "transcripts", day,
        pl.DataFrame({"call_id": ids, "day": [day] * len(ids), "text": calls, "asr_model": ["faster-whisper/test"] * len(ids)}),
        purpose="test seed",
    )  # fmt: skip


def gate(day: str, disabled=()) -> dg.ExecuteInProcessResult:
    """Redact and gate a day in one run, the way `process_calls` does, plus the Tier 3 assets in the same run."""
    return dg.materialize(
        [redacted_transcripts, qa_sample, qa_coverage, insights_daily],
        partition_key=day,
        resources={"cipher": cipher(disabled_deid_layers=list(disabled))},
        raise_on_error=False,
    )


def tier3_state(store: PartitionStore, day: str) -> dict[str, bytes | None]:
    root = store.settings.tier_dir(3) / "insights"
    return {t: ((root / t / f"{day}.parquet").read_bytes() if (root / t / f"{day}.parquet").exists() else None) for t in TIER3_GATED}


def release_only(day: str, tags=None) -> dg.ExecuteInProcessResult:
    """What the UI's 'Materialize' on the Tier 3 group launches (and a backfill, once per partition)."""
    return dg.materialize(
        [insights_daily], partition_key=day, resources={"cipher": cipher()},
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
    concerns = pl.read_parquet(env.settings.tier_dir(3) / "insights" / "concerns" / f"{PASSING_DAY}.parquet")
    # released (the partition exists), and small cells suppressed: detox is raised in all 3 calls, under k = 11
    assert concerns.filter(pl.col("concern") == "detox_and_withdrawal")["calls"].to_list() == [None]
    published = concerns["calls"].drop_nulls()
    assert ((published == 0) | (published >= 11)).all()
    redacted = pl.read_parquet(env.path("redacted_transcripts", PASSING_DAY))
    assert not any("555" in t for t in redacted["redacted_text"])


def test_planted_residual_fails_the_gate_with_category_and_count_visible(env):
    result = gate(FAILING_DAY, disabled=LAYERS_THAT_FIND_NUMBERS)
    redacted = "\n".join(pl.read_parquet(env.path("redacted_transcripts", FAILING_DAY))["redacted_text"])
    assert all(number in redacted for number in PLANTED_NUMBERS)  # the drill's subject: both reached Tier 2
    direct = next(e for e in result.get_asset_check_evaluations() if e.check_name == "residual_direct_identifiers")
    assert not direct.passed
    by_category = direct.metadata["by_category"].value
    assert by_category.get("PHONE") == 2  # both planted numbers, counted by category, visible on the check
    assert "PHONE 2" in direct.description
    evidence = json.loads((env.settings.data_root / "tier2" / "gate_evidence" / f"{FAILING_DAY}.json").read_text())
    assert evidence["status"] == "fail" and evidence["residuals"]["counts"]["PHONE"] == 2
    # the evidence has offsets and categories, never the text: no planted number in any written form (a bare "555"
    # would also match the hex of a content id, which hashes the redacted text and so changes with the engine)
    dumped = json.dumps(evidence)
    # (nor a dotted tail such as "555.01": the evidence's per-10k rates are decimals)
    forms = ("619.555.0142", "619-555-0142", "6195550142", "415.555.0199", "415-555-0199", "4155550199", "555-01")
    assert not any(number in dumped for number in forms)
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
    assert runner.materialize_days([FAILING_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {FAILING_DAY: "held"}  # refused by the gate: held, not crashed
    # Release sensor: never requests a failed day.
    requests = release_sensor(dg.build_sensor_context(resources={"cipher": cipher()})).run_requests
    assert FAILING_DAY not in {r.partition_key for r in requests or []}
    # Inbox sensor and nightly schedule start process_calls, which holds no Tier 3 asset at all.
    process_calls = defs.resolve_job_def("process_calls")
    assert not {k.to_user_string() for k in process_calls.asset_layer.executable_asset_keys} & {"insights_daily"}

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
    # The finding came after release: the refusal also takes back what the earlier run published.
    assert all(released.values()) and tier3_state(env, PASSING_DAY) == {t: None for t in TIER3_GATED}


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


def _settings(**overrides):
    return cipher(**overrides).settings


def test_a_late_qa_finding_withdraws_the_released_day_audited(env):
    """Released with QA complete; then a reviewer records a finding through `cipher qa review`'s session: the
    day's transcript-derived Tier 3 partitions go, the DuckDB roll-up over all days loses them, the release log
    says who withdrew what and why, and every report says "withdrawn"."""
    import io

    from cipher_pipeline.gate.paths import GatePaths
    from cipher_pipeline.gate.release import WITHDRAWN, release_events
    from cipher_pipeline.qa.review import run_review
    from cipher_pipeline.report import gate_status_table, release_state
    from cipher_pipeline.storage import analyst_connection, refresh_catalog

    seed_tier1(env, PASSING_DAY, CALLS * 4)  # 12 calls: concerns raised in all of them clear k = 11
    gate(PASSING_DAY)  # QA off: released in the same run
    settings = _settings()
    paths = GatePaths.of(settings)
    released = tier3_state(env, PASSING_DAY)
    assert all(released.values()) and release_state(settings, PASSING_DAY).state == "released"
    refresh_catalog(settings)
    assert analyst_connection(settings).execute(
        f"SELECT COUNT(*) FROM insight_concerns WHERE period = '{PASSING_DAY}'").fetchone()[0] > 0

    # The reviewer reports a name left in turn 1 of the first queued transcript (checklist: names yes).
    answers = "y\n1\nfirst name after 'my son'\nn\n" + "n\n" * 5 + "q\n"
    out = io.StringIO()
    run_review(paths, PASSING_DAY, "test-privacy-officer", io.StringIO(answers), out)
    assert "Tier 3 output WITHDRAWN" in out.getvalue()

    assert tier3_state(env, PASSING_DAY) == {t: None for t in TIER3_GATED}
    con = analyst_connection(settings)  # the roll-up over every day no longer holds the withdrawn day
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "insight_concerns" not in tables or con.execute(
        f"SELECT COUNT(*) FROM insight_concerns WHERE period = '{PASSING_DAY}'").fetchone()[0] == 0
    (withdrawal,) = [e for e in release_events(paths, PASSING_DAY) if e["action"] == "withdraw"]
    assert {f"insights/{t}/{PASSING_DAY}" for t in TIER3_GATED} <= set(withdrawal["tables"]) and "human QA found 1" in withdrawal["reason"]
    assert withdrawal["actor"] and withdrawal["fingerprint"] == json.loads(paths.gate_evidence(PASSING_DAY).read_text())["fingerprint"]

    state = release_state(settings, PASSING_DAY)
    assert state.state == WITHDRAWN and "human QA found 1" in state.reason
    assert gate_status_table(settings, [PASSING_DAY]).splitlines()[1].split()[:3] == [PASSING_DAY, "pass", "withdrawn"]
    # Nothing re-releases it: the sensor does not ask, and a direct run is refused.
    requests = release_sensor(dg.build_sensor_context(resources={"cipher": cipher()})).run_requests
    assert PASSING_DAY not in {r.partition_key for r in requests or []}
    assert not release_only(PASSING_DAY).success and tier3_state(env, PASSING_DAY) == {t: None for t in TIER3_GATED}


def test_released_days_are_reported_released_whatever_the_qa_switch_says_now(env):
    """The demo's contradiction: released with QA off, then `cipher status` (QA on by default) said "held" while
    the files existed. Status, summary and sensor now share day_release: files on disk mean released."""
    from cipher_pipeline.report import gate_status_table, release_state

    gate(PASSING_DAY)
    assert all(tier3_state(env, PASSING_DAY).values())
    qa_on = _settings(require_qa=True)
    state = release_state(qa_on, PASSING_DAY)
    assert state.state == "released" and "without human QA" in state.reason
    assert gate_status_table(qa_on, [PASSING_DAY]).splitlines()[1].split()[:3] == [PASSING_DAY, "pass", "released"]
    # The sensor asks the same function: nothing to release for a version already published.
    requests = release_sensor(dg.build_sensor_context(resources={"cipher": cipher(require_qa=True)})).run_requests
    assert PASSING_DAY not in {r.partition_key for r in requests or []}
    # And a day with no Tier 3 files is never reported released.
    gate(FAILING_DAY, disabled=LAYERS_THAT_FIND_NUMBERS)
    assert release_state(qa_on, FAILING_DAY).state == "held"


def test_gate_check_results_carry_their_partition_in_the_instance_and_graphql(env):
    """Every gate check evaluation is stored with its day: an auditor filters a day's evidence by day."""
    from dagster import AssetCheckKey, AssetKey
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    with dg.instance_for_test() as instance:
        for day in (PASSING_DAY, FAILING_DAY):
            dg.materialize([redacted_transcripts, qa_sample, qa_coverage], partition_key=day, instance=instance,
                           resources={"cipher": cipher()}, raise_on_error=False)  # fmt: skip
        names = [name for name, _ in GATE_CHECKS]
        for name in names:
            key = AssetCheckKey(AssetKey("redacted_transcripts"), name)
            records = instance.event_log_storage.get_asset_check_execution_history(key, limit=10)
            assert len(records) == 2
            assert {r.partition for r in records} == {PASSING_DAY, FAILING_DAY}
            assert all(r.status != AssetCheckExecutionRecordStatus.PLANNED for r in records)  # no dangling row
        assert sorted(_graphql_check_partitions(instance, names[0])) == [PASSING_DAY, FAILING_DAY]


def _graphql_check_partitions(instance, check_name: str) -> list[str]:
    """The partition of each execution of a gate check, as the UI reads it: Dagster's GraphQL over the instance
    with Cipher's own definitions loaded in process (dagster_graphql's test helper)."""
    from dagster._core.test_utils import in_process_test_workspace
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster_graphql.test.utils import execute_dagster_graphql

    query = """
    query ($key: AssetKeyInput!, $name: String!) {
      assetCheckExecutions(assetKey: $key, checkName: $name, limit: 20) { partition status evaluation { success } }
    }"""
    origin = LoadableTargetOrigin(module_name="cipher_pipeline.defs", attribute="defs")
    with in_process_test_workspace(instance, origin) as context:
        result = execute_dagster_graphql(context, query, {"key": {"path": ["redacted_transcripts"]}, "name": check_name})
    executions = result.data["assetCheckExecutions"]
    assert executions and all(e["status"] in ("SUCCEEDED", "FAILED") for e in executions)
    return [e["partition"] for e in executions]


def test_a_day_held_for_qa_is_reported_with_the_releasing_command_not_as_a_crash(env, monkeypatch, capsys):
    """`cipher materialize` with QA on: the day is held (exit 3, docs/runbook.md), the terminal says what holds
    it and the command that releases it, and no traceback or Dagster error class is printed."""
    import argparse

    monkeypatch.setitem(CIPHER_CONFIG, "require_qa", True)
    in_run = gate(PASSING_DAY)  # the blocking qa_coverage check fails inside the run: held, not failed
    assert not in_run.success and runner._day_outcome(in_run) == runner.HELD

    monkeypatch.setenv("CIPHER_DATA_ROOT", str(env.settings.data_root))
    monkeypatch.setenv("CIPHER_REQUIRE_QA", "true")
    capsys.readouterr()
    code = runner.run_materialize(argparse.Namespace(day=[PASSING_DAY], job="release_insights"))
    err = capsys.readouterr().err
    assert code == runner.EXIT_HELD == 3
    assert "HELD by the gate" in err and "human QA is incomplete: 0/" in err
    assert f"to release it: cipher qa review --day {PASSING_DAY}" in err
    assert "Traceback" not in err and "Error" not in err

    # A real failure keeps its own status: re-ingesting a day whose inbox folder is gone (InboxGone) fails.
    assert runner.run_materialize(argparse.Namespace(day=[FAILING_DAY], job="process_calls")) == runner.EXIT_FAILED
    assert "FAILED" in capsys.readouterr().err


SCAN_ONLY_DAY = "2026-11-18"
# A day whose only failure is a scan flag: a gate drill switches off every layer that can find a person's name (the
# NER and its cues, safe words, the name lists, the slot answers, the lexicons and the place layer each find some),
# so a caller's full name after "my name is" stays in Tier 2: a real residual identifier, a quasi one (a name, not a
# number), that the scan flags by its plainest cue. Nothing the redactor or GX finds. The learned layer stays on, as
# shipped; the name is one of ordinary words ("Hope Rivers", as "Joy", "Banks" or "Stone" are names too), which the
# layer never claims on their own (learned._ordinary_words, a rule of the layer, not a weight of its model: the
# rule layers decide when such words name someone), so it stays in Tier 2 whatever model file is shipped. A rare
# name ("Marguerite Okonkwo") the shipped model takes: its catch, not the gate's. The test drives what a
# reviewer's clearance of the flag does; whether a clearance is right is the reviewer's call (a confirmed flag holds
# the day: test_gate_ledger).
LAYERS_THAT_FIND_NAMES = {"ner", "safeword", "names", "slots", "lexicon", "geography"}
SCAN_FLAGGED_CALLS = [
    "agent: Harborview admissions. Who am I speaking with?\ncaller: My name is Hope Rivers, I'm calling "
    "for my son who needs detox.\n",
    CALLS[1].replace(" My email is jane.doe@example.com.", ""),
    "agent: Harborview admissions.\ncaller: Do you take insurance for detox? We looked at the cost.\n",
    # A fourth clean call: the day's random QA sample (one of four, seeded by the partition's bytes) is drawn from
    # the three transcripts the scan did not flag, so clearing the flag alone leaves the sample unread, whatever
    # the engine version in the bytes (session 13: drawn from all four, one engine in four drew the flagged one).
    "agent: Harborview admissions.\ncaller: How long is the detox program, and can family visit?\n",
]
# A day held by a false alarm alone (as one day of the gate end to end was, switch12): the whole engine as shipped
# runs, nothing is drilled off, and the scan flags a word Whisper capitalised after "I'm" as a name. The word is an
# ordinary one ("Sober"), which no layer claims (the learned layer never claims ordinary words on their own, by
# rule) and which is no identifier: the reviewer is right to reject the flag, and the day is then released.
FALSE_ALARM_CALLS = [
    "agent: Harborview admissions, how can I help?\ncaller: It's for my son, he needs detox. I'm Sober myself, so I "
    "know how hard it is.\n",
    *SCAN_FLAGGED_CALLS[1:],
]


@pytest.mark.parametrize(
    "calls, disabled, flagged_words",
    [(FALSE_ALARM_CALLS, (), "Sober"), (SCAN_FLAGGED_CALLS, LAYERS_THAT_FIND_NAMES, "Hope Rivers")],
    ids=["false_alarm", "drilled_residual"],
)
def test_a_day_held_only_by_scan_flags_is_released_by_the_documented_command_once_a_reviewer_clears_them(
    env, calls, disabled, flagged_words
):
    """Issue 9: the audited `cipher qa review` decisions count toward the gate. Held while a flag stands (across
    runs), as a normal state that says what holds it; still held once every flag is cleared, because with QA off
    the reviewer has then read only what the scan flagged: the day's random QA sample (named in the evidence when
    the gate judged the day) must be reviewed with no finding too, whatever the QA switch (gate13). `cipher
    materialize DAY --job release_insights` then releases it; the clearance is in the evidence (with the residual
    estimate it leaves), the QA log (who, on which partition version) and the release log. Once for a false alarm
    (the reviewer is right), once for a drilled real residual (the same mechanics)."""
    import io

    from cipher_pipeline.gate.paths import GatePaths
    from cipher_pipeline.gate.qa_log import read_reviews
    from cipher_pipeline.gate.release import HELD, RELEASABLE, RELEASED, release_events
    from cipher_pipeline.qa.review import run_review, status_lines
    from cipher_pipeline.report import release_state

    flagged, sample, settings, paths = _held_by_scan_flags(env, calls, disabled, flagged_words)
    status = "\n".join(status_lines(paths, SCAN_ONLY_DAY))
    assert ("review of the scan's flags and the random QA sample: 0/1 flagged transcripts cleared, 0 confirmed; "
            "0/1 of the random QA sample reviewed, 0 with a finding") in status  # fmt: skip
    assert "Estimated residual rate: not estimated: no unflagged transcript reviewed (upper bound 1.000" in status
    assert f"next: cipher qa review --day {SCAN_ONLY_DAY}" in status and "Traceback" not in status
    # Held across runs: the release job and a re-run of the gate change nothing before the review.
    assert runner.materialize_days([SCAN_ONLY_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {SCAN_ONLY_DAY: "held"}
    gate(SCAN_ONLY_DAY, disabled=disabled)
    assert tier3_state(env, SCAN_ONLY_DAY) == {t: None for t in TIER3_GATED}

    # The reviewer reads the flagged transcript first (flagged turn marked), answers no to every question, and stops.
    out = io.StringIO()
    run_review(paths, SCAN_ONLY_DAY, "test-privacy-officer", io.StringIO("n\n" * len(CHECKLIST) + "q\n"), out)
    assert "<-- scan: NAME" in out.getvalue()
    (review,) = read_reviews(paths.qa_log, day=SCAN_ONLY_DAY)  # the rejection, audited: who, which version
    assert (review.transcript_id, review.reviewer, review.verdict, review.findings) == (flagged, "test-privacy-officer", "pass", ())
    # Every flag cleared, nothing else read: still held, and the status says what remains and the command.
    held = release_state(settings, SCAN_ONLY_DAY)
    assert held.state == HELD and "1/1 flagged transcripts cleared by review and 0/1 of the random QA sample" in held.reason
    assert held.command == f"cipher qa review --day {SCAN_ONLY_DAY}"
    assert runner.materialize_days([SCAN_ONLY_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {SCAN_ONLY_DAY: "held"}
    assert tier3_state(env, SCAN_ONLY_DAY) == {t: None for t in TIER3_GATED}

    # The same command goes on to the random sample; a clean review of it opens the gate.
    run_review(paths, SCAN_ONLY_DAY, "test-privacy-officer", io.StringIO("n\n" * len(CHECKLIST)), io.StringIO())
    assert release_state(settings, SCAN_ONLY_DAY).state == RELEASABLE
    assert {r.transcript_id for r in read_reviews(paths.qa_log, day=SCAN_ONLY_DAY)} == {flagged, *sample}
    evidence = json.loads(paths.gate_evidence(SCAN_ONLY_DAY).read_text())
    assert review.fingerprint == evidence["fingerprint"]
    clearance = evidence["qa"]["scan_clearance"]
    assert evidence["status"] == "fail" and clearance["clears_gate"] is True and clearance["sample_reviewed"] == 1
    # The estimate no longer counts the cleared flag, and now rests on one reviewed unflagged transcript: measured
    # (0), with the wide bound one transcript gives.
    estimate = evidence["residuals"]["residual_estimate"]
    assert (estimate["scan_flagged"], estimate["sample_unflagged_reviewed"], estimate["rate"]) == (0, 1, 0.0)
    assert 0.9 < estimate["upper"] < 1.0

    assert runner.materialize_days([SCAN_ONLY_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {SCAN_ONLY_DAY: "ok"}
    assert all(tier3_state(env, SCAN_ONLY_DAY).values())
    state = release_state(settings, SCAN_ONLY_DAY)
    assert state.state == RELEASED and "reviewer cleared all 1" in state.reason and "1 of the random QA sample" in state.reason
    releases = [e for e in release_events(paths, SCAN_ONLY_DAY) if e["action"] == "release"]
    assert releases and all((e["released_on_review_clearance"], e["clearance_sample_reviewed"]) == (1, 1) for e in releases)


def test_a_finding_in_the_random_sample_keeps_a_day_held_by_false_alarms_held_as_a_regression_case(env):
    """The false-alarm day again: the reviewer rightly rejects the flag, then finds a name the scan never saw in
    the random sample's transcript. The day stays held through the release job, the refusal names the sample and
    the regression path, and the finding is written as a regression case (category and turn, no text)."""
    import io

    from cipher_pipeline.gate.release import HELD
    from cipher_pipeline.qa.review import run_review
    from cipher_pipeline.report import release_state

    flagged, sample, settings, paths = _held_by_scan_flags(env, FALSE_ALARM_CALLS, (), "Sober")
    run_review(paths, SCAN_ONLY_DAY, "test-privacy-officer", io.StringIO("n\n" * len(CHECKLIST) + "q\n"), io.StringIO())
    # names? yes -> NAME (the only category) at turn 1, no note, no other; then no to every other question
    answers = "y\n1\n\nn\n" + "n\n" * (len(CHECKLIST) - 1)
    run_review(paths, SCAN_ONLY_DAY, "test-privacy-officer", io.StringIO(answers), io.StringIO())
    held = release_state(settings, SCAN_ONLY_DAY)
    assert held.state == HELD and "confirmed an identifier in 1 of 1 transcripts of the random QA sample" in held.reason
    assert "regression case" in held.command
    assert runner.materialize_days([SCAN_ONLY_DAY], "release_insights", cipher_config=CIPHER_CONFIG) == {SCAN_ONLY_DAY: "held"}
    assert tier3_state(env, SCAN_ONLY_DAY) == {t: None for t in TIER3_GATED}
    (case,) = [json.loads(p.read_text()) for p in paths.regression_cases_dir.glob("*.json")]
    assert (case["transcript_id"], case["category"], case["turn"]) == (sample[0], "NAME", 1)


def _held_by_scan_flags(env, calls, disabled, flagged_words):
    """Gate a day whose only failed check rests on one scan flag; returns the flagged transcript, the random QA
    sample the evidence names (one transcript, not the flagged one), the settings and the paths."""
    from cipher_pipeline.gate.paths import GatePaths
    from cipher_pipeline.report import release_state

    seed_tier1(env, SCAN_ONLY_DAY, calls)
    in_run = gate(SCAN_ONLY_DAY, disabled=disabled)
    assert not in_run.success and runner._day_outcome(in_run) == runner.HELD  # held, not failed
    assert tier3_state(env, SCAN_ONLY_DAY) == {t: None for t in TIER3_GATED}
    settings, paths = _settings(), GatePaths.of(_settings())
    redacted = pl.read_parquet(paths.redacted_partition(SCAN_ONLY_DAY))
    assert any(flagged_words in text for text in redacted["redacted_text"])  # what the scan saw is in Tier 2
    evidence = json.loads(paths.gate_evidence(SCAN_ONLY_DAY).read_text())
    assert [c["name"] for c in evidence["checks"] if not c["passed"]] == ["residual_quasi_rate"]
    (flagged,) = evidence["qa"]["scan_flagged"]
    # The gate named the day's random QA sample when it judged the day (as `cipher qa sample` draws it): here one
    # transcript of four, drawn from those the scan did not flag, so clearing the flag alone leaves it unread.
    sample = evidence["qa"]["sample"]
    assert len(sample) == 1 and flagged not in sample
    estimate = evidence["residuals"]["residual_estimate"]
    assert (estimate["scan_flagged"], estimate["rate"], estimate["upper"]) == (1, None, 1.0)  # an unreviewed flag counts
    held = release_state(settings, SCAN_ONLY_DAY)
    assert held.state == "held" and "0/1 flagged transcripts cleared by review and 0/1 of the random QA sample" in held.reason
    assert held.command == f"cipher qa review --day {SCAN_ONLY_DAY}"
    return flagged, sample, settings, paths
