"""Tier 1 retention: Part 2 records are kept only as long as the center's policy says, and no longer.

Periods (days; ``Settings`` fields, set through ``CIPHER_INBOX_RETENTION_DAYS``, ``CIPHER_RECORDINGS_RETENTION_DAYS``
and ``CIPHER_TIER1_RETENTION_DAYS``):

- inbox (default 7): the vendor's plaintext drop is a landing zone. A file is removed only when the day's ingest
  manifest names it with the same sha256 as the bytes now on disk: a late recording, or a file replaced after
  ingest, was never ingested and stays.
- recordings (default = the Tier 1 period): the encrypted audio and quarantined files of a day.
- Tier 1 tables (default 365): call-tracking rows, transcripts, quarantine records, the ingest manifest.

A legal hold on a day keeps the whole day; a hold on a call keeps that call's rows and recording (and the
day's quarantine) while the rest of the day is purged. Every deletion is audited with true counts (rows read
before they are deleted, files counted). A purged day is final: a tombstone ``tier1/_purged/<day>.json``
records what went, and ingest refuses the day with that reason, so Tier 2 and Tier 3 stay as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from cipher_pipeline.digests import sha256_file
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore

TIER1_TABLES = ("raw_calls", "transcripts", "quarantined_recordings", "inbox_manifest")
CALL_TABLES = ("raw_calls", "transcripts")  # tables keyed by call_id, filtered under a call hold


class PurgedDay(RuntimeError):
    pass


@dataclass(frozen=True)
class RetentionPolicy:
    inbox_days: int = 7
    recordings_days: int = 365
    tier1_days: int = 365

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetentionPolicy":
        return cls(settings.inbox_retention_days, settings.recordings_retention_days or settings.tier1_retention_days,
                   settings.tier1_retention_days)  # fmt: skip


# Legal holds ----------------------------------------------------------------------------------------------


def _holds_path(settings: Settings) -> Path:
    return settings.tier_dir(1) / "_holds.json"


def read_holds(settings: Settings) -> dict[str, dict[str, str]]:
    path = _holds_path(settings)
    holds = json.loads(path.read_text()) if path.exists() else {}
    return {"days": dict(holds.get("days", {})), "calls": dict(holds.get("calls", {}))}


def _write_holds(settings: Settings, holds: dict) -> None:
    path = _holds_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(".holds.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(holds, fh, sort_keys=True, indent=1)
    os.replace(tmp, path)


def set_hold(settings: Settings, *, day: str | None = None, call: str | None = None, reason: str = "", on: bool = True) -> None:
    """Place (or lift) a legal hold on a day or a call; audited (the call id itself is not logged)."""
    holds = read_holds(settings)
    kind, key = ("days", day) if day else ("calls", call)
    if not key:
        raise ValueError("a hold names a day or a call")
    if on:
        holds[kind][key] = reason or "legal hold"
    else:
        holds[kind].pop(key, None)
    _write_holds(settings, holds)
    PartitionStore(settings).audit("hold" if on else "release_hold", f"hold:{kind}", day or "-", 1, reason or "legal hold")


# Tombstones -----------------------------------------------------------------------------------------------


def _tombstone(settings: Settings, day: str) -> Path:
    return settings.tier_dir(1) / "_purged" / f"{day}.json"


def refuse_if_purged(settings: Settings, day: str) -> None:
    path = _tombstone(settings, day)
    if path.exists():
        record = json.loads(path.read_text())
        raise PurgedDay(
            f"{day} was purged by the retention policy on {record.get('purged_at', '?')[:10]}: its Tier 1 data is "
            "gone by policy and cannot be re-processed; Tier 2 and Tier 3 for the day are left as they were"
        )


def purge_note(settings: Settings, day: str) -> str:
    """'' or 'Tier 1 purged by retention on <date>' for ``cipher status``."""
    path = _tombstone(settings, day)
    if not path.exists():
        return ""
    return f"Tier 1 purged by retention on {json.loads(path.read_text()).get('purged_at', '?')[:10]}"


def _write_tombstone(settings: Settings, day: str, counts: dict[str, int], partial: bool) -> None:
    path = _tombstone(settings, day)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    previous = json.loads(path.read_text())["counts"] if path.exists() else {}
    merged = {k: previous.get(k, 0) + counts.get(k, 0) for k in set(previous) | set(counts)}
    record = {"day": day, "purged_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "counts": merged,
              "calls_on_hold_kept": partial}  # fmt: skip
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(record, fh, sort_keys=True)


# The ingest manifest --------------------------------------------------------------------------------------


def manifest_frame(day: str, ingested: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"day": [day] * len(ingested), "file_name": sorted(ingested), "sha256": [ingested[n] for n in sorted(ingested)]},
        schema={"day": pl.String, "file_name": pl.String, "sha256": pl.String},
    )


# Plan and purge -------------------------------------------------------------------------------------------


@dataclass
class PurgePlan:
    inbox: dict[str, list[str]] = field(default_factory=dict)  # day -> inbox file names ingested and past period
    inbox_kept: dict[str, int] = field(default_factory=dict)  # day -> files past period but never ingested
    recordings: list[str] = field(default_factory=list)  # days
    tier1: list[str] = field(default_factory=list)  # days
    held_days: list[str] = field(default_factory=list)


def _day_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[:1].isdigit()) if folder.exists() else []


def plan_purge(settings: Settings, policy: RetentionPolicy, today: date | None = None) -> PurgePlan:
    today = today or datetime.now(ZoneInfo(settings.timezone)).date()
    store = PartitionStore(settings)
    holds = read_holds(settings)
    plan = PurgePlan()

    def cutoff(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    for day in _day_folders(settings.inbox):
        if day >= cutoff(policy.inbox_days):
            continue
        if day in holds["days"]:
            plan.held_days.append(day)
            continue
        manifest = {}
        if store.exists("inbox_manifest", day):
            frame = store.read("inbox_manifest", day, purpose="retention: which inbox files were ingested")
            manifest = dict(zip(frame["file_name"], frame["sha256"]))
        files = sorted(p for p in (settings.inbox / day).iterdir() if p.is_file())
        ingested = [p.name for p in files if manifest.get(p.name) == sha256_file(p)]
        if ingested:
            plan.inbox[day] = ingested
        if len(files) > len(ingested):
            plan.inbox_kept[day] = len(files) - len(ingested)

    recording_days = set(_day_folders(settings.audio_vault)) | set(_day_folders(settings.tier_dir(1) / "quarantine"))
    plan.recordings = sorted(d for d in recording_days if d < cutoff(policy.recordings_days) and d not in holds["days"])
    table_days = set()
    for table in TIER1_TABLES:
        table_days.update(d for d in store.days(table) if d < cutoff(policy.tier1_days))
    plan.tier1 = sorted(d for d in table_days if d not in holds["days"])
    due = {d for d in recording_days if d < cutoff(policy.recordings_days)} | table_days
    plan.held_days = sorted(set(plan.held_days) | {d for d in due if d in holds["days"]})
    return plan


def _held_calls_of(store: PartitionStore, day: str, held: set[str]) -> set[str]:
    if not held or not store.exists("raw_calls", day):
        return set()
    calls = store.read("raw_calls", day, purpose="retention: legal hold lookup")["call_id"].to_list()
    return held & set(calls)


def purge(settings: Settings, plan: PurgePlan) -> dict[str, int]:
    """Carry out ``plan``; returns the true totals (files and rows), each also in the audit log."""
    store = PartitionStore(settings)
    held_calls = set(read_holds(settings)["calls"])
    totals = {"inbox_files": 0, "recordings": 0, "quarantine_files": 0, "rows": 0}

    for day, names in plan.inbox.items():
        folder = settings.inbox / day
        for name in names:
            (folder / name).unlink()
        totals["inbox_files"] += len(names)
        store.audit("delete", "inbox", day, len(names), "retention: ingested landing-zone copies")
        if not any(folder.iterdir()):
            folder.rmdir()

    for day in sorted(set(plan.recordings) | set(plan.tier1)):
        keep = _held_calls_of(store, day, held_calls)
        counts: dict[str, int] = {}
        if day in plan.recordings:
            audio = settings.audio_vault / day
            if audio.exists():
                doomed = [p for p in audio.iterdir() if p.name.split(".")[0] not in keep]
                for path in doomed:
                    path.unlink()
                if not any(audio.iterdir()):
                    audio.rmdir()
                counts["recordings"] = len(doomed)
                store.audit("delete", "recordings", day, len(doomed), "retention")
            quarantine = settings.tier_dir(1) / "quarantine" / day
            if quarantine.exists() and not keep:  # quarantined files are named by hash: kept whole under a call hold
                n = sum(1 for _ in quarantine.iterdir())
                shutil.rmtree(quarantine)
                counts["quarantine_files"] = n
                store.audit("delete", "quarantine", day, n, "retention")
        if day in plan.tier1:
            rows = 0
            for table in TIER1_TABLES:
                if keep and table in CALL_TABLES and store.exists(table, day):
                    frame = store.read(table, day, purpose="retention: keep calls on legal hold")
                    kept = frame.filter(pl.col("call_id").is_in(sorted(keep)))
                    store.write(table, day, kept, purpose="retention: calls on legal hold kept")
                    removed = len(frame) - len(kept)
                    store.audit("delete", table, day, removed, "retention (calls on legal hold kept)")
                    rows += removed
                elif keep and table == "quarantined_recordings":
                    continue
                else:
                    rows += store.delete(table, day, purpose="retention")
            counts["rows"] = rows
        for key, value in counts.items():
            totals[key] += value
        _write_tombstone(settings, day, counts, partial=bool(keep))
    return totals


# Command line ---------------------------------------------------------------------------------------------


def run_retention(args) -> int:
    settings = Settings.from_env()
    if args.hold or args.release:
        day, call = (args.day, None) if args.day else (None, args.call)
        set_hold(settings, day=day, call=call, reason=args.reason or "", on=bool(args.hold))
        print(f"legal hold {'placed on' if args.hold else 'lifted from'} {'day ' + day if day else 'a call'}")
        return 0
    policy = RetentionPolicy.from_settings(settings)
    plan = plan_purge(settings, policy)
    print(f"policy: inbox {policy.inbox_days} days after ingest, recordings {policy.recordings_days} days, "
          f"Tier 1 tables {policy.tier1_days} days")  # fmt: skip
    print(f"inbox files to remove (ingested, past period): {sum(map(len, plan.inbox.values()))} in {len(plan.inbox)} day(s)")
    if plan.inbox_kept:
        print(f"inbox files past period but never ingested, kept: {sum(plan.inbox_kept.values())} {sorted(plan.inbox_kept)}")
    print(f"recording days to purge: {len(plan.recordings)} {plan.recordings}")
    print(f"Tier 1 table days to purge: {len(plan.tier1)} {plan.tier1}")
    if plan.held_days:
        print(f"days under legal hold, kept: {plan.held_days}")
    if args.apply:
        totals = purge(settings, plan)
        print("purged: " + ", ".join(f"{k} {v}" for k, v in totals.items()) + " (each deletion is in the audit log)")
    else:
        print("dry run: add --apply to delete")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("retention", help="purge Tier 1 data past the retention policy; legal holds")
    parser.add_argument("--apply", action="store_true", help="delete (default is a dry run)")
    parser.add_argument("--hold", action="store_true", help="place a legal hold on --day or --call")
    parser.add_argument("--release", action="store_true", help="lift a legal hold from --day or --call")
    parser.add_argument("--day")
    parser.add_argument("--call")
    parser.add_argument("--reason")
    parser.set_defaults(func=run_retention)
