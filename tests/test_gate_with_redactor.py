"""The gate against the real de-identification engine on synthetic calls: clean output passes, and output with a
redaction layer switched off fails with the categories that layer should have removed."""

from __future__ import annotations

import polars as pl
import pytest

from cipher_pipeline.gate.ledger import evaluate_partition
from cipher_pipeline.gate.thresholds import load_thresholds

DAY = "2026-03-02"


def redacted_partition(disabled_layers: set[str], n: int = 30) -> pl.DataFrame:
    from cipher_pipeline.deid import Redactor
    from cipher_devtools.synth.corpus import generate_corpus

    calls = generate_corpus(n, seed=20260302)
    results = Redactor.default(disabled_layers=disabled_layers).redact_many([c["text"] for c in calls])
    texts = [r.redacted_text for r in results]
    return pl.DataFrame(
        {
            "transcript_id": [f"T{i:016x}" for i in range(n)],
            "day": [DAY] * n,
            "redacted_text": texts,
            "token_count": [len(t.split()) for t in texts],
            "engine_version": ["engine-under-test"] * n,
        }
    )


@pytest.mark.slow
def test_engine_output_passes_the_direct_identifier_gate() -> None:
    evidence = evaluate_partition(DAY, redacted_partition(set()), "0" * 64, load_thresholds(), [])
    assert evidence.check("residual_direct_identifiers").passed, evidence.check("residual_direct_identifiers").description
    assert evidence.check("dates_reduced_to_year").passed, evidence.check("dates_reduced_to_year").description


@pytest.mark.slow
def test_switching_off_the_rules_layer_fails_the_gate_with_categories() -> None:
    # The asr layer also finds number runs (defence in depth), so the drill switches both off.
    evidence = evaluate_partition(DAY, redacted_partition({"rules", "asr"}), "0" * 64, load_thresholds(), [])
    assert not evidence.passed
    direct = evidence.check("residual_direct_identifiers")
    assert not direct.passed
    # Phone numbers and emails are what those layers remove; the independent scan finds them.
    assert direct.metadata["by_category"].get("PHONE", 0) > 0
    assert direct.metadata["by_category"].get("EMAIL", 0) > 0
    assert direct.metadata["transcripts_with_direct"] >= 20
