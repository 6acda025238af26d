"""Period keys: a day is ``2026-03-02``, its ISO week ``2026-W10``, its month ``2026-03``."""

from __future__ import annotations

from datetime import date


def week_of(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def month_of(day: str) -> str:
    return day[:7]


def week_start(day: str) -> str:
    """The Monday of ``day``'s ISO week: the partition key of the weekly roll-up."""
    d = date.fromisoformat(day)
    return date.fromordinal(d.toordinal() - d.weekday()).isoformat()
