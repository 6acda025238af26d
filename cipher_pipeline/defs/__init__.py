"""Cipher's Dagster definitions: three tiers of daily-partitioned assets, their gate checks, and automation.

Thin by design: every asset calls the engine in ``cipher_pipeline`` and only adds Dagster's view of it
(partitions, lineage, metadata, check results).
"""

import warnings

import dagster as dg

from cipher_pipeline.settings import keep_offline

# No network in a Part 2 environment: never try to phone home, whatever dagster.yaml says.
keep_offline()
# Partitioned asset checks (qa_coverage) are "preview" in Dagster 1.13; we rely on them knowingly and pin the
# version, so the warning says nothing new on every load.
warnings.filterwarnings("ignore", category=dg.PreviewWarning, message=".*partitions_def on an AssetCheckSpec.*")

from cipher_pipeline.defs import audit, automation, insights, tier1, tier2, tier3  # noqa: E402
from cipher_pipeline.defs.resources import CipherResource  # noqa: E402

defs = dg.Definitions(
    assets=[
        tier1.raw_calls,
        tier1.transcripts,
        tier2.redacted_transcripts,
        tier2.qa_sample,
        tier3.marketing_calls,
        insights.insights_daily,
        insights.insights_weekly,
        insights.insights_monthly,
        audit.access_audit,
    ],
    asset_checks=[tier2.qa_coverage],
    jobs=[automation.process_calls_job, automation.release_insights_job, automation.end_to_end_job,
          insights.insight_rollups_job, insights.insight_monthly_job, audit.retention_job],
    sensors=[automation.inbox_sensor, automation.release_sensor],
    schedules=[automation.nightly_schedule, audit.retention_schedule],
    resources={"cipher": CipherResource()},
)
