"""Tier 3 insights: patterns across many calls and nothing that singles one out (docs/insights.md).

``features`` reads one de-identified transcript; ``aggregate`` builds every table for a day, week or month;
``suppression`` and ``verbatim`` are the protections and their checks; ``intake`` reads call-tracking
metadata only; ``publish`` is what the Dagster assets call; ``report`` writes the offline HTML page.
"""
