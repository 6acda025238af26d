"""One day through every tier in-process: real espeak-ng audio, real faster-whisper (tiny.en), real spaCy,
real Great Expectations, Parquet and DuckDB. Asserts on the data, not only on run success."""

import json
import re

import dagster as dg
import polars as pl
import pytest

from cipher_pipeline.defs import defs
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore
from tests.conftest import SYNTH_DAY

pytestmark = pytest.mark.slow
DAY = SYNTH_DAY.isoformat()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _all_tier23_strings(data_root) -> list[str]:
    values = []
    for tier in ("tier2", "tier3"):
        for path in (data_root / tier).rglob("*"):
            if path.suffix == ".parquet":
                frame = pl.read_parquet(path)
                for column, dtype in frame.schema.items():
                    if dtype == pl.String:
                        values += [v for v in frame[column].to_list() if v]
            elif path.suffix == ".json":
                values.append(path.read_text())
    return values


@pytest.fixture(scope="module")
def materialized(synth_day, tmp_path_factory):
    base, synth = synth_day
    data_root = tmp_path_factory.mktemp("pipeline") / "data"
    resource = CipherResource(data_root=str(data_root), inbox=str(base / "inbox"), whisper_model="tiny.en", require_qa=False)
    result = dg.materialize(
        # One run takes one partitions definition: the daily assets (the weekly and monthly roll-ups have their own).
        [*(a for a in defs.assets if a.partitions_def == daily_partitions), *defs.asset_checks],
        partition_key=DAY,
        resources={"cipher": resource},
        raise_on_error=False,
    )
    return result, resource, data_root, base, synth


def test_tier1_holds_every_call_and_real_transcripts(materialized):
    result, resource, data_root, base, synth = materialized
    store = PartitionStore(resource.settings)
    raw = store.read("raw_calls", DAY, purpose="test")
    assert sorted(raw["call_id"]) == sorted(c.call_id for c in synth.calls)
    transcripts = store.read("transcripts", DAY, purpose="test")
    answered = [c for c in synth.calls if c.answered]
    assert len(transcripts) == len(answered)
    for call in answered:
        gold = json.loads(call.gold_path.read_text())
        text = transcripts.filter(pl.col("call_id") == call.call_id)["text"][0].lower()
        spoken = set(re.findall(r"[a-z]+", " ".join(t.get("speech") or t["text"] for t in gold["turns"]).lower()))
        heard = set(re.findall(r"[a-z]+", text))
        assert len(spoken & heard) / len(spoken) > 0.6, "transcript misses most of the spoken words"
        speakers = {line.split(":")[0] for line in text.splitlines()}
        assert speakers == {"agent", "caller"}


def test_planted_identifiers_never_leave_tier1(materialized):
    result, resource, data_root, base, synth = materialized
    leaks = []
    haystack = _all_tier23_strings(data_root)
    digit_haystack = [_digits(v) for v in haystack]
    for call in synth.calls:
        gold = json.loads(call.gold_path.read_text())
        metadata = {m["field"]: m["value"] for m in gold["metadata_identifiers"]}
        planted = [i["value"] for i in gold["identifiers"]] + list(metadata.values())
        for value in planted:
            digits = _digits(value)
            if len(digits) >= 7:  # phone, member and account numbers: as digits, whatever the formatting
                leaks += [i for i, d in enumerate(digit_haystack) if digits[-10:] in d]
        # The caller's number from the call-tracking export is the identifier marketing would most like to see.
        phone = _digits(metadata["caller_number"])[-10:]
        assert len(phone) == 10 and not any(phone in d for d in digit_haystack)
    assert not leaks


def test_gate_evidence_and_release_agree(materialized):
    result, resource, data_root, base, synth = materialized
    evidence = json.loads((data_root / "tier2" / "gate_evidence" / f"{DAY}.json").read_text())
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    gate = {"residual_direct_identifiers", "residual_quasi_rate", "dates_reduced_to_year", "no_tier1_id_in_tier2", "great_expectations"}
    assert gate <= set(checks)
    assert evidence["status"] == ("pass" if all(checks[name] for name in gate) else "fail")
    tier3 = data_root / "tier3" / "phrase_counts" / f"{DAY}.parquet"
    # Blocking checks: Tier 3 exists exactly when the gate passed (QA is off in this test).
    assert tier3.exists() == (evidence["status"] == "pass")
    assert ("qa_coverage" in checks) == (evidence["status"] == "pass")
    assert (data_root / "tier3" / "marketing_calls" / f"{DAY}.parquet").exists()
