"""Hash-chained access log for Tier 1 (42 CFR Part 2 wants every access to a record accounted for).

A line per access: when, who (OS user and, inside a run, the run id), what (action, asset, day), why
(purpose) and how much (count). Never the content, never a caller identifier: the log must be shareable with
an auditor who is not cleared for Tier 1.

Integrity: each entry carries its sequence number ``seq``, the hash of the entry before it (``prev``) and its own
``hash`` (SHA-256 over the canonical JSON of everything else), so an edited, deleted, inserted or reordered
entry breaks the chain at that point. A truncated tail (the last entries cut off, which leaves a valid shorter
chain) is caught by the head file beside the log, which holds the last seq and hash; ``verify`` prints that
head so an operator can also record it off the machine (a root attacker could rewrite log and head together;
the off-box head is what defeats that). Appends take an exclusive lock so parallel partition runs chain
correctly.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

GENESIS = "0" * 64


def current_actor(user: str | None = None, run_id: str | None = None) -> str:
    user = user or getpass.getuser()
    return f"{user}/run:{run_id}" if run_id else user


def _entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _head_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name + ".head")


@contextmanager
def _locked(log_path: Path):
    lock = log_path.with_name(log_path.name + ".lock")
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_head(log_path: Path) -> tuple[int, str]:
    head = _head_path(log_path)
    if not head.exists():
        return -1, GENESIS
    data = json.loads(head.read_text())
    return int(data["seq"]), str(data["hash"])


def record_access(
    log_path: Path, action: str, table: str, day: str, count: int, purpose: str,
    run_id: str | None = None, user: str | None = None,
) -> dict:  # fmt: skip
    """Append one chained entry; returns it."""
    log_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _locked(log_path):
        seq, prev = _read_head(log_path)
        entry = {
            "seq": seq + 1,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "actor": current_actor(user, run_id),
            "user": user or getpass.getuser(),
            "run_id": run_id,
            "action": action,
            "table": table,
            "day": day,
            "count": int(count),
            "purpose": purpose,
            "prev": prev,
        }
        entry["hash"] = _entry_hash(entry)
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as fh:
            fh.write(json.dumps(entry, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        head = _head_path(log_path)
        tmp = head.with_name(head.name + ".tmp")
        tmp.write_text(json.dumps({"seq": entry["seq"], "hash": entry["hash"]}))
        os.chmod(tmp, 0o600)
        os.replace(tmp, head)
    return entry


def read_log(log_path: Path) -> list[dict]:
    if not log_path.exists():
        return []
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    problem: str | None = None
    line: int | None = None  # 1-based line of the log where the chain first breaks
    head: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit log intact: {self.entries} entries, head {self.head}"
        where = f" at line {self.line}" if self.line else ""
        return f"audit log TAMPERED{where}: {self.problem}"


def verify(log_path: Path) -> Verdict:
    """Walk the chain; the first break is reported with its line number and kind."""
    head_seq, head_hash = _read_head(log_path)
    if not log_path.exists():
        if head_seq >= 0:
            return Verdict(False, 0, f"the log is gone but its head records {head_seq + 1} entries", 1)
        return Verdict(True, 0, head=GENESIS)
    prev, expected_seq, count = GENESIS, 0, 0
    for number, line in enumerate(log_path.read_text().splitlines(), start=1):
        if not line.strip():
            return Verdict(False, count, "blank line inside the log", number)
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            return Verdict(False, count, "a line that is not a JSON entry", number)
        if not isinstance(entry, dict) or "hash" not in entry:
            return Verdict(False, count, "an entry without a hash", number)
        if entry.get("hash") != _entry_hash(entry):
            return Verdict(False, count, f"entry seq {entry.get('seq')} was edited (its hash does not match its content)", number)
        if entry.get("seq") != expected_seq:
            kind = "deleted" if isinstance(entry.get("seq"), int) and entry["seq"] > expected_seq else "inserted or reordered"
            return Verdict(False, count, f"expected seq {expected_seq}, found {entry.get('seq')}: an entry was {kind}", number)
        if entry.get("prev") != prev:
            return Verdict(False, count, f"entry seq {expected_seq} does not chain to the entry before it (inserted or reordered)", number)
        prev, expected_seq, count = entry["hash"], expected_seq + 1, count + 1
    if head_seq != expected_seq - 1 or (count and head_hash != prev):
        if head_seq > expected_seq - 1:
            return Verdict(False, count, f"truncated tail: the head records {head_seq + 1} entries, the log holds {count}", count + 1)
        return Verdict(False, count, "the head does not match the last entry (the tail was rewritten)", count)
    return Verdict(True, count, head=prev)


def summary(log_path: Path) -> dict[str, dict[str, int]]:
    """Counts by actor (user, not run), action, table and day: what the browsable asset shows. Never content."""
    entries = read_log(log_path)
    return {
        "by_user": dict(Counter(e.get("user", e.get("actor", "?")) for e in entries)),
        "by_action": dict(Counter(e["action"] for e in entries)),
        "by_table": dict(Counter(e["table"] for e in entries)),
        "by_day": dict(Counter(e["day"] for e in entries)),
    }
