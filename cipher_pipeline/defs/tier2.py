"""Tier 2, the one-way gate: de-identified transcripts, the checks that must pass before anything is
released, and the human QA sample.

The gate's evidence is written to a ledger (``tier2/gate_evidence/<day>.json``) bound to the exact bytes of the
redacted partition, because a blocking asset check only blocks downstream steps of its own run; Tier 3 assets
re-check the ledger themselves (``gate.ledger.read_released``). The work is ``redact_day``, ``draw_qa_sample``
and ``check_qa_coverage`` in ``cipher_pipeline.pipeline``; these assets turn their results into metadata and
check results.
"""


import json

import dagster as dg

from cipher_pipeline.defs.metadata import counts_table, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import transcripts
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.pipeline import check_qa_coverage, draw_qa_sample, redact_day

TIER2 = "tier2_gate"
GATE_CHECKS = (
    ("residual_direct_identifiers", "Zero phone, fax, email, SSN, record, plan, account, licence, vehicle, device, URL, IP, ZIP left after redaction (independent scan)."),
    ("residual_quasi_rate", "Residual names, places and dates per 10,000 tokens at or under the thresholds in checks/gate_thresholds.yaml."),
    ("dates_reduced_to_year", "No residual date element but the year (day, month, holiday); years may stay."),
    ("no_tier1_id_in_tier2", "No transcript id equals a Tier 1 id: Tier 2 rows cannot be joined back to calls."),
    ("great_expectations", "The Great Expectations suite checks/gx/redacted_transcripts.json passes."),
)  # fmt: skip


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER2,
    deps=[transcripts],
    kinds={"parquet", "spacy"},
    tags={"tier": "2"},
    # Partitioned like the asset: each result carries its day, so the UI and GraphQL list a day's evidence by day.
    check_specs=[
        dg.AssetCheckSpec(name, asset="redacted_transcripts", description=why, blocking=True, partitions_def=daily_partitions)
        for name, why in GATE_CHECKS
    ],
)
def redacted_transcripts(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Transcripts after layered de-identification (rules, spaCy NER, safe words, vertical lexicons), under an
    id derived from the row's own content (no key, no call id). Gate checks run on the partition as written and
    their evidence goes to the ledger; a failed day's file stays 0600 (held), out of Tier 3's reach."""
    done = redact_day(cipher.settings, cipher.store, cipher.redactor(), context.partition_key)
    evidence, removed, df = done.evidence, done.removed, done.redacted
    context.log.info(f"gate {evidence.status} for {context.partition_key}: {len(evidence.reasons)} failing check(s)")

    check_results = [
        dg.AssetCheckResult(
            check_name=outcome.name,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=outcome.description,
            metadata={k: _metadata_value(v) for k, v in outcome.metadata.items()},
        )
        for outcome in evidence.checks
    ]
    residual_counts = evidence.residuals.get("counts", {})
    return dg.MaterializeResult(
        metadata={
            **standard(df, done.receipt),
            "gate_status": evidence.status,
            "identifiers_removed": sum(removed.values()),
            "residual_direct": int(evidence.residuals.get("direct_total", 0)),
            "tokens": evidence.tokens,
            "engine_version": done.engine_version,
            "disabled_layers": ", ".join(sorted(cipher.disabled_deid_layers)) or "none",
            "gate_evidence": dg.MetadataValue.path(str(done.evidence_path)),
            "gx_data_docs": dg.MetadataValue.path(str(done.gx.data_docs_index or GatePaths.of(cipher.settings).data_docs_dir)),
            "gate": dg.MetadataValue.md(evidence.markdown()),
            "identifiers_removed_by_category": dg.MetadataValue.md(counts_table("Identifiers removed", removed)),
            "residuals_by_category": dg.MetadataValue.md(counts_table("Residuals (independent scan)", residual_counts)),
        },
        check_results=check_results,
    )


def _metadata_value(value):
    if isinstance(value, (dict, list, tuple)):
        return dg.MetadataValue.json(json.loads(json.dumps(value, default=str)))
    return value


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER2,
    deps=[redacted_transcripts],
    kinds={"parquet"},
    tags={"tier": "2"},
)
def qa_sample(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """A reproducible random sample (at least 10%, at least one) of the day's redacted transcripts for a
    privacy officer to review with `cipher qa review --day <day>`."""
    drawn = draw_qa_sample(cipher.settings, cipher.store, context.partition_key)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(drawn.sample),
            "path": dg.MetadataValue.path(str(drawn.path)),
            "partition_size": drawn.partition_size,
            "sample_fraction": round(len(drawn.sample) / max(drawn.partition_size, 1), 3),
            "review_queue": drawn.review_queue,
            "qa_required_for_release": drawn.thresholds.qa_required_for_release,
        }
    )


@dg.asset_check(asset=qa_sample, partitions_def=daily_partitions, blocking=True, description="The QA queue (random sample plus every scan-flagged transcript) is fully reviewed with no finding (or QA is not required by configuration).")
def qa_coverage(context: dg.AssetCheckExecutionContext, cipher: CipherResource) -> dg.AssetCheckResult:
    """Re-run this check (or the qa_sample asset) after reviewing; Tier 3 release reads the QA log itself."""
    coverage = check_qa_coverage(cipher.settings, context.partition_key)
    return dg.AssetCheckResult(
        passed=coverage.passed,
        severity=dg.AssetCheckSeverity.ERROR if coverage.qa_required else dg.AssetCheckSeverity.WARN,
        description=coverage.description,
        metadata={
            "reviewed": coverage.reviewed,
            "required": coverage.required,
            "findings": coverage.findings,
            "qa_required_for_release": coverage.qa_required,
        },
    )
