"""The audit log: who, what, where, why, how many; a hash chain that catches every kind of tampering."""

import json
import subprocess
import sys
import os

import pytest

from cipher_pipeline.audit import read_log, record_access, summary, verify


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "_audit" / "access.jsonl"
    for index in range(6):
        record_access(path, "read", "raw_calls", f"2026-11-1{index}", index + 1, "transcription", run_id=f"run{index}")
    return path


def _lines(path):
    return path.read_text().splitlines()


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n")


def test_entries_say_who_what_where_why_how_many_and_when(log):
    entry = read_log(log)[2]
    assert {"time", "user", "run_id", "actor", "action", "table", "day", "count", "purpose", "seq", "prev", "hash"} <= set(entry)
    assert entry["run_id"] == "run2" and entry["actor"].endswith("/run:run2") and entry["count"] == 3
    assert verify(log).ok and verify(log).entries == 6
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_an_edited_entry_is_caught_at_its_line(log):
    lines = _lines(log)
    entry = json.loads(lines[3])
    entry["count"] = 0  # someone hides how many rows were read
    lines[3] = json.dumps(entry, sort_keys=True)
    _write(log, lines)
    verdict = verify(log)
    assert not verdict.ok and verdict.line == 4 and "edited" in verdict.problem


def test_a_deleted_entry_is_caught(log):
    lines = _lines(log)
    del lines[2]
    _write(log, lines)
    verdict = verify(log)
    assert not verdict.ok and verdict.line == 3 and "deleted" in verdict.problem


def test_an_inserted_entry_is_caught_even_with_a_valid_own_hash(log, tmp_path):
    lines = _lines(log)
    forged_log = tmp_path / "forged.jsonl"
    record_access(forged_log, "read", "raw_calls", "2026-11-12", 1, "cover story")
    lines.insert(2, _lines(forged_log)[0])
    _write(log, lines)
    verdict = verify(log)
    assert not verdict.ok and verdict.line == 3 and "inserted or reordered" in verdict.problem


def test_two_swapped_entries_are_caught(log):
    lines = _lines(log)
    lines[1], lines[2] = lines[2], lines[1]
    _write(log, lines)
    verdict = verify(log)
    assert not verdict.ok and verdict.line == 2


def test_a_truncated_tail_is_caught(log):
    _write(log, _lines(log)[:4])
    verdict = verify(log)
    assert not verdict.ok and "truncated tail: the head records 6 entries, the log holds 4" in verdict.problem


def test_a_deleted_log_is_caught(log):
    log.unlink()
    assert not verify(log).ok


def test_summary_is_counts_only(log):
    counts = summary(log)
    assert counts["by_action"] == {"read": 6} and sum(counts["by_day"].values()) == 6
    assert "transcription" not in json.dumps(counts)


@pytest.mark.slow
def test_cipher_audit_verify_exit_codes(log):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    ok = subprocess.run([sys.executable, "-m", "cipher_pipeline", "audit", "verify", "--log", str(log)], env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "intact: 6 entries" in ok.stdout
    _write(log, _lines(log)[1:])
    bad = subprocess.run([sys.executable, "-m", "cipher_pipeline", "audit", "verify", "--log", str(log)], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "TAMPERED at line 1" in bad.stdout


def _append_many(path, worker):
    for index in range(40):
        record_access(path, "write", "recordings", "2026-11-18", 1, f"worker {worker}", run_id=f"w{worker}-{index}")


def test_parallel_writers_keep_one_unbroken_chain(tmp_path):
    """Dagster runs partitions in parallel processes: appends are serialized by a lock, the chain holds."""
    import multiprocessing

    path = tmp_path / "_audit" / "access.jsonl"
    workers = [multiprocessing.Process(target=_append_many, args=(path, w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    verdict = verify(path)
    assert verdict.ok and verdict.entries == 160


def test_the_log_is_browsable_as_an_asset_and_a_broken_chain_fails_it(tmp_path):
    import dagster as dg

    from cipher_pipeline.defs.audit import access_audit
    from cipher_pipeline.defs.resources import CipherResource

    resource = CipherResource(data_root=str(tmp_path / "data"))
    log = resource.settings.audit_log
    for day in ("2026-11-17", "2026-11-18"):
        record_access(log, "read", "raw_calls", day, 3, "transcription", run_id="r1")
    result = dg.materialize([access_audit], resources={"cipher": resource})
    metadata = result.asset_materializations_for_node("access_audit")[0].metadata
    assert metadata["entries"].value == 2 and "2026-11-18" in metadata["summary"].value
    _write(log, _lines(log)[:1])
    assert not dg.materialize([access_audit], resources={"cipher": resource}, raise_on_error=False).success
