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


def whole_weeks_in_month(month: str) -> list[str]:
    """The ISO weeks (``2026-W10``) all seven days of which fall in ``month`` (``2026-03``)."""
    first = date.fromisoformat(f"{month}-01")
    weeks, d = [], first
    while d.strftime("%Y-%m") == month:
        monday = date.fromordinal(d.toordinal() - d.weekday())
        sunday = date.fromordinal(monday.toordinal() + 6)
        if monday.strftime("%Y-%m") == month and sunday.strftime("%Y-%m") == month:
            weeks.append(week_of(monday.isoformat()))
        d = date.fromordinal(sunday.toordinal() + 1)
    return weeks
