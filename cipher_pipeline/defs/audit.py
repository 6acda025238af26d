"""The Tier 1 access log as an asset: its chain verified and its counts (by user, action, table, day) shown in
the UI. Counts only, never content; the log itself stays in ``tier1/_audit/`` (0600)."""

import dagster as dg

from cipher_pipeline import audit
from cipher_pipeline.defs.metadata import counts_table
from cipher_pipeline.defs.partitions import CALL_DAY_TIMEZONE
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.retention import RetentionPolicy, plan_purge, purge


@dg.asset(group_name="audit", kinds={"python"}, tags={"tier": "1"})
def access_audit(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Verify the hash chain of the access log and summarize it; fails when the chain is broken."""
    log = cipher.settings.audit_log
    verdict = audit.verify(log)
    if not verdict.ok:
        raise dg.Failure(description=verdict.describe())
    counts = audit.summary(log)
    return dg.MaterializeResult(
        metadata={
            "entries": verdict.entries,
            "chain_head": verdict.head or "",
            "summary": dg.MetadataValue.md(
                "\n\n".join(counts_table(title.replace("_", " "), values, title.split("_")[1]) for title, values in counts.items())
            ),
        }
    )


@dg.op
def retention_sweep(context: dg.OpExecutionContext, cipher: CipherResource) -> dict:
    """Delete what the retention policy says is past its period (only ingested files; holds kept)."""
    settings = cipher.settings
    plan = plan_purge(settings, RetentionPolicy.from_settings(settings))
    totals = purge(settings, plan)
    context.log.info(f"retention sweep: {totals}; kept under legal hold: {len(plan.held_days)} day(s)")
    return totals


@dg.job(description="The retention sweep: Tier 1 past its period, only what was ingested, legal holds kept.")
def retention_job():
    retention_sweep()


retention_schedule = dg.ScheduleDefinition(
    name="nightly_retention_sweep", job=retention_job, cron_schedule="30 3 * * *",
    execution_timezone=CALL_DAY_TIMEZONE,  # the center's time zone, as the nightly processing schedule
)  # fmt: skip
