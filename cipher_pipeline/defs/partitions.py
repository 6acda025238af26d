"""One partition per call day, in the center's local time (a call at 23:30 belongs to that evening's day).

Dagster needs the partitions definition when the code loads, so it is built from the settings in force then
(``CIPHER_TIMEZONE``, ``CIPHER_PARTITION_START``); the engine reads the same two values from ``Settings``.
"""

import dagster as dg

from cipher_pipeline.settings import Settings

_SETTINGS = Settings.from_env()
CALL_DAY_TIMEZONE = _SETTINGS.timezone

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=_SETTINGS.partition_start,
    timezone=CALL_DAY_TIMEZONE,
    end_offset=1,  # today's partition exists, so recordings landing today are processed today
)
