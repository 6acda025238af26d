"""One partition per call day, in the center's local time (a call at 23:30 belongs to that evening's day)."""

import os

import dagster as dg

CALL_DAY_TIMEZONE = os.environ.get("CIPHER_TIMEZONE", "America/Los_Angeles")

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=os.environ.get("CIPHER_PARTITION_START", "2026-01-01"),
    timezone=CALL_DAY_TIMEZONE,
    end_offset=1,  # today's partition exists, so recordings landing today are processed today
)
