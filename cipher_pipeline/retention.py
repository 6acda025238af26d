"""Tier 1 retention: Part 2 records are kept only as long as the center's policy says.

The policy is a few numbers (days) from the settings (``Settings.from_env()``), so each deployment sets its own:

- ``CIPHER_INBOX_RETENTION_DAYS`` (default 7): the vendor's plaintext drop is only a landing zone; once a day
  is ingested into the encrypted vault, its inbox folder is removed after this many days.
- ``CIPHER_TIER1_RETENTION_DAYS`` (default 365): recordings, call-tracking rows, transcripts and quarantined
  files of a day older than this are deleted from Tier 1.

Tiers 2 and 3 hold no identifiers and are not purged here. Every deletion is written to the access audit log.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cipher_pipeline.audit import record_access
from cipher_pipeline.ingest import inbox_days
from cipher_pipeline.settings import Settings
from cipher_pipeline.storage import PartitionStore

TIER1_TABLES = ("raw_calls", "transcripts", "quarantined_recordings")


@dataclass(frozen=True)
class RetentionPolicy:
    inbox_days: int = 7
    tier1_days: int = 365

    @classmethod
    def of(cls, settings: Settings) -> "RetentionPolicy":
        return cls(inbox_days=settings.inbox_retention_days, tier1_days=settings.tier1_retention_days)


@dataclass
class PurgePlan:
    inbox: list[str]  # day folders
    tier1: list[str]  # days


def plan_purge(settings: Settings, policy: RetentionPolicy, today: date | None = None) -> PurgePlan:
    today = today or datetime.now(ZoneInfo(settings.timezone)).date()
    store = PartitionStore(settings)
    ingested = set(store.days("raw_calls"))
    inbox_cutoff = (today - timedelta(days=policy.inbox_days)).isoformat()
    tier1_cutoff = (today - timedelta(days=policy.tier1_days)).isoformat()
    # An inbox day is only removed once it has been ingested: never lose a drop that was not yet processed.
    inbox = [day for day in inbox_days(settings.inbox) if day < inbox_cutoff and day in ingested]
    tier1_days = set()
    for table in TIER1_TABLES:
        tier1_days.update(d for d in store.days(table) if d < tier1_cutoff)
    if settings.audio_vault.exists():
        tier1_days.update(p.name for p in settings.audio_vault.iterdir() if p.is_dir() and p.name < tier1_cutoff)
    return PurgePlan(inbox=sorted(inbox), tier1=sorted(tier1_days))


def purge(settings: Settings, plan: PurgePlan) -> None:
    store = PartitionStore(settings)
    for day in plan.inbox:
        shutil.rmtree(settings.inbox / day)
        record_access(settings.audit_log, "delete", "inbox", day, 0, "retention: ingested landing-zone copy", settings.audit_actor)
    for day in plan.tier1:
        for table in TIER1_TABLES:
            store.delete(table, day)
        for folder in (settings.audio_vault / day, settings.tier_dir(1) / "quarantine" / day):
            if folder.exists():
                count = sum(1 for _ in folder.iterdir())
                shutil.rmtree(folder)
                record_access(settings.audit_log, "delete", folder.parent.name, day, count, "retention", settings.audit_actor)


def run_retention(args) -> int:
    settings = Settings.from_env()
    policy = RetentionPolicy.of(settings)
    plan = plan_purge(settings, policy)
    print(f"policy: inbox {policy.inbox_days} days after ingest, Tier 1 {policy.tier1_days} days")
    print(f"inbox day folders to remove: {len(plan.inbox)} {plan.inbox}")
    print(f"Tier 1 days to purge: {len(plan.tier1)} {plan.tier1}")
    if args.apply:
        purge(settings, plan)
        print("purged (each deletion is in the Tier 1 audit log)")
    else:
        print("dry run: add --apply to delete")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("retention", help="purge Tier 1 data older than the retention policy")
    parser.add_argument("--apply", action="store_true", help="delete (default is a dry run)")
    parser.set_defaults(func=run_retention)
