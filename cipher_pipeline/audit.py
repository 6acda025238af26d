"""Append-only access log for Tier 1 (42 CFR Part 2 wants every access to a record accounted for).

A line per access: when, who, what (action, table, day) and how much. Never the content, never a caller
identifier: the log must be shareable with an auditor who is not cleared for Tier 1.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from pathlib import Path


def current_actor() -> str:
    """The OS user, for callers that pass no actor (``Settings.audit_actor`` adds CIPHER_ACTOR / CIPHER_RUN_ID)."""
    return getpass.getuser()


def record_access(
    log_path: Path, action: str, table: str, day: str, count: int, purpose: str, actor: str | None = None
) -> None:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "actor": actor or current_actor(),
        "action": action,
        "table": table,
        "day": day,
        "count": count,
        "purpose": purpose,
    }
    # O_APPEND makes each single write land whole at the end, even with several writers.
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as fh:
        fh.write(json.dumps(entry, sort_keys=True) + "\n")


def read_log(log_path: Path) -> list[dict]:
    if not log_path.exists():
        return []
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
