"""Tier 2, the one-way gate: de-identified transcripts, the checks that must pass before anything is
released, and the human QA sample.

The gate's evidence is written to a ledger (``tier2/gate_evidence/<day>.json``) bound to the exact bytes of the
redacted partition, because a blocking asset check only blocks downstream steps of its own run; Tier 3 assets
re-check the ledger themselves (see ``released_redacted``).
"""


import hashlib
import io
import json
from collections import Counter

import dagster as dg
import polars as pl

from cipher_pipeline.defs.metadata import counts_table, standard
from cipher_pipeline.defs.partitions import daily_partitions
from cipher_pipeline.defs.resources import CipherResource
from cipher_pipeline.defs.tier1 import raw_calls, transcripts
from cipher_pipeline.gate.expectations import run_suite
from cipher_pipeline.gate.ledger import (
    GateClosed,
    evaluate_partition,
    read_evidence,
    record_qa_coverage,
    require_release,
    write_evidence,
)
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.thresholds import GateThresholds, thresholds_in_force
from cipher_pipeline.pseudonyms import assign_ids
from cipher_pipeline.qa.sample import draw_sample, read_sample, sample_seed_for, write_sample

TIER2 = "tier2_gate"
GATE_CHECKS = (
    ("residual_direct_identifiers", "Zero phone, fax, email, SSN, record, plan, account, licence, vehicle, device, URL, IP, ZIP left after redaction (independent scan)."),
    ("residual_quasi_rate", "Residual names, places and dates per 10,000 tokens at or under the thresholds in checks/gate_thresholds.yaml."),
    ("dates_reduced_to_year", "No residual date element that pins a day; years may stay."),
    ("no_tier1_id_in_tier2", "No transcript id equals a Tier 1 id: Tier 2 rows cannot be joined back to calls."),
    ("great_expectations", "The Great Expectations suite checks/gx/redacted_transcripts.json passes."),
)  # fmt: skip


def gate_paths(cipher: CipherResource) -> GatePaths:
    return GatePaths(cipher.settings.data_root)


def gate_thresholds(cipher: CipherResource) -> GateThresholds:
    return thresholds_in_force(cipher.qa_required, cipher.settings.checks_dir / "gate_thresholds.yaml")


@dg.asset(
    partitions_def=daily_partitions,
    group_name=TIER2,
    deps=[transcripts],
    kinds={"parquet", "spacy"},
    tags={"tier": "2"},
    check_specs=[
        dg.AssetCheckSpec(name, asset="redacted_transcripts", description=why, blocking=True) for name, why in GATE_CHECKS
    ],
)
def redacted_transcripts(context: dg.AssetExecutionContext, cipher: CipherResource) -> dg.MaterializeResult:
    """Transcripts after layered de-identification (rules, spaCy NER, safe words, vertical lexicons), under an
    id derived from the row's own content (no key, no call id). Gate checks run on the partition as written and
    their evidence goes to the ledger."""
    day = context.partition_key
    store, paths = cipher.store, gate_paths(cipher)
    source = store.read("transcripts", day, purpose="de-identification")
    redactor = cipher.redactor()

    results = redactor.redact_many(source["text"].to_list())
    removed: Counter[str] = Counter()
    rows = []
    for call_id, asr_model, result in zip(source["call_id"], source["asr_model"], results):
        counts = Counter(span.category for span in result.spans)
        removed.update(counts)
        rows.append(
            {
                "transcript_id": None,  # assigned from the row's own content below: no link to the call
                "day": day,
                "redacted_text": result.redacted_text,
                "turn_count": result.redacted_text.count("\n"),
                "token_count": len(result.redacted_text.split()),
                "redaction_counts": json.dumps(dict(sorted(counts.items()))),
                "engine_version": redactor.version,
                "asr_model": asr_model,
            }
        )
    schema = {
        "transcript_id": pl.String, "day": pl.String, "redacted_text": pl.String, "turn_count": pl.Int64,
        "token_count": pl.Int64, "redaction_counts": pl.String, "engine_version": pl.String, "asr_model": pl.String,
    }  # fmt: skip
    # Ids from the row's own content, sorted by id: neither the id nor the row order mirrors Tier 1.
    df = assign_ids(pl.DataFrame(rows, schema=schema), "transcript_id", "transcript", day,
                    ["redacted_text", "redaction_counts", "engine_version", "asr_model"])  # fmt: skip
    receipt = store.write("redacted_transcripts", day, df)

    thresholds = gate_thresholds(cipher)
    tier1_ids = store.read("raw_calls", day, purpose="gate: tier1 id overlap check")["call_id"].to_list()
    gx = run_suite(
        df, "redacted_transcripts", data_docs_dir=paths.data_docs_dir, checks_dir=cipher.settings.checks_dir, run_name=day
    )
    evidence = evaluate_partition(day, df, receipt.sha256, thresholds, tier1_ids, gx_summary=gx.summary())
    evidence_path = write_evidence(paths.gate_evidence_dir, evidence)
    store.set_released("redacted_transcripts", day, evidence.passed)  # a failed day stays 0600, out of Tier 3's reach
    context.log.info(f"gate {evidence.status} for {day}: {len(evidence.reasons)} failing check(s)")

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
            **standard(df, receipt),
            "gate_status": evidence.status,
            "identifiers_removed": sum(removed.values()),
            "residual_direct": int(evidence.residuals.get("direct_total", 0)),
            "tokens": evidence.tokens,
            "engine_version": redactor.version,
            "disabled_layers": ", ".join(sorted(cipher.disabled_deid_layers)) or "none",
            "gate_evidence": dg.MetadataValue.path(str(evidence_path)),
            "gx_data_docs": dg.MetadataValue.path(str(gx.data_docs_index or paths.data_docs_dir)),
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
    day = context.partition_key
    paths, thresholds = gate_paths(cipher), gate_thresholds(cipher)
    redacted = cipher.store.read("redacted_transcripts", day)
    evidence = read_evidence(paths.gate_evidence_dir, day)
    # Seeded by the partition's fingerprint: the same redacted bytes always give the same sample, and a
    # re-redacted partition (new bytes) gets a fresh one that reviewers have not seen yet.
    seed = sample_seed_for(evidence.fingerprint) if evidence else "none"
    sample = draw_sample(redacted["transcript_id"].to_list(), day, thresholds.qa_sample_fraction, seed, thresholds.qa_min_sample)
    path = write_sample(paths.qa_sample_partition(day), sample, day, seed)
    record_qa_coverage(paths.gate_evidence_dir, day, paths.qa_log, sample)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(sample),
            "path": dg.MetadataValue.path(str(path)),
            "partition_size": len(redacted),
            "sample_fraction": round(len(sample) / max(len(redacted), 1), 3),
            "qa_required_for_release": thresholds.qa_required_for_release,
        }
    )


@dg.asset_check(asset=qa_sample, partitions_def=daily_partitions, blocking=True, description="The QA sample is fully reviewed with no finding (or QA is not required by configuration).")
def qa_coverage(context: dg.AssetCheckExecutionContext, cipher: CipherResource) -> dg.AssetCheckResult:
    """Re-run this check (or the qa_sample asset) after reviewing; Tier 3 release reads the QA log itself."""
    day = context.partition_key
    paths, thresholds = gate_paths(cipher), gate_thresholds(cipher)
    sample_path = paths.qa_sample_partition(day)
    sample = read_sample(sample_path) if sample_path.exists() else None
    evidence = record_qa_coverage(paths.gate_evidence_dir, day, paths.qa_log, sample)
    coverage = (evidence.qa.get("coverage") if evidence else None) or {}
    findings = int(coverage.get("findings", 0))
    complete = bool(coverage.get("complete")) and not findings
    required = thresholds.qa_required_for_release
    description = (
        f"{coverage.get('reviewed', 0)}/{coverage.get('required', len(sample or []))} sampled transcripts reviewed, "
        f"{coverage.get('findings', 0)} finding(s)"
        + ("" if required else "; QA is NOT required for release by configuration (demo)")
    )
    # A finding fails the check even when review is not required: a person saw an identifier, and release
    # (require_release) refuses the day on any finding.
    return dg.AssetCheckResult(
        passed=complete or (not required and not findings),
        severity=dg.AssetCheckSeverity.ERROR if required else dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "reviewed": int(coverage.get("reviewed", 0)),
            "required": int(coverage.get("required", len(sample or []))),
            "findings": int(coverage.get("findings", 0)),
            "qa_required_for_release": required,
        },
    )


def released_redacted(cipher: CipherResource, day: str) -> tuple[pl.DataFrame, dict]:
    """The day's redacted partition, only if the gate released exactly these bytes; else the step fails.

    The bytes are read once and both fingerprinted and parsed, so the partition cannot change between the
    gate's answer and its use.
    """
    paths = gate_paths(cipher)
    partition = paths.redacted_partition(day)
    payload = partition.read_bytes() if partition.exists() else None
    fingerprint = hashlib.sha256(payload).hexdigest() if payload is not None else None
    try:
        evidence = require_release(paths.gate_evidence_dir, day, fingerprint, paths.qa_log, gate_thresholds(cipher))
    except GateClosed as closed:
        raise dg.Failure(
            description=f"Release refused: {closed}. Tier 3 output for {day} is unchanged.",
            metadata={"gate": "closed", "reason": closed.reason},
        ) from None
    meta = {
        "released_from_fingerprint": evidence.fingerprint[:16],
        "gate_evaluated_at": evidence.evaluated_at,
    }
    return pl.read_parquet(io.BytesIO(payload)), meta
