"""Period keys: a day is ``2026-03-02``, its ISO week ``2026-W10``, its month ``2026-03``.

**A month is made of whole ISO weeks: the weeks that start (on Monday) in it.** March 2026 is the five weeks
from Monday 2 March to Sunday 5 April; 1 March (a Sunday) belongs to February's last week. So a month is
exactly the sum of its published weeks and nothing of it is left over to difference against them (a calendar
month cuts weeks in two, and the cut days' cells had to be withheld). The rule is the one Dagster's own
calendar can express, a partition starting on the first Monday of each month (``0 0 * * 1#1``), so the monthly
asset depends on exactly these weeks and days through the built-in time-window mapping (docs/insights.md).
"""

from __future__ import annotations

from datetime import date, timedelta


def week_of(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: str) -> str:
    """The Monday of ``day``'s ISO week: the partition key of the weekly roll-up."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def month_of(day: str) -> str:
    """The month ``day`` is published in: the month in which its ISO week starts (Monday 30 March 2026 to
    Sunday 5 April 2026 is March's last week, so 5 April is in ``2026-03``)."""
    return week_start(day)[:7]


def _first_monday(month: str) -> date:
    first = date.fromisoformat(f"{month}-01")
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def days_of_month(month: str) -> list[str]:
    """Every day of ``month`` (``2026-03``) in publication terms: from its first Monday to the Sunday before the
    next month's first Monday (28 or 35 days)."""
    start, end = _first_monday(month), _first_monday(_next_month(month))
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days)]


def weeks_of_month(month: str) -> list[str]:
    """The ISO weeks (``2026-W10``) that make up ``month``: those starting in it (4 or 5)."""
    return [week_of(d) for d in days_of_month(month)[::7]]


def first_month_from(day: str) -> str:
    """The first month whose days all lie on or after ``day`` (where monthly partitions can start)."""
    month = day[:7]
    return month if _first_monday(month).isoformat() >= day else _next_month(month)
