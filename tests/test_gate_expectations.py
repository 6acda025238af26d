"""The Great Expectations suites in checks/gx/ run through the GX 1.x API and never carry row values out."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from cipher_pipeline.gate.expectations import load_suite_config, run_suite
from cipher_pipeline.gate.ledger import evaluate_partition
from cipher_pipeline.gate.thresholds import load_thresholds
from tests.test_gate_fixtures import PLANTED, redacted_frame

DAY = "2026-03-02"


def marketing_frame(n: int = 6) -> pl.DataFrame:
    """A fictional Tier 3 marketing view partition as the lead's contract describes it."""
    return pl.DataFrame(
        {
            "marketing_call_id": [f"M{i:016x}" for i in range(n)],
            "day": [DAY] * n,
            "campaign": ["Detox - Brand", "Family Support", "", "Alcohol Rehab - Generic", "", "MAT - Generic"][:n],
            "source": ["google_ads", "facebook", "organic", "bing_ads", "direct", "referral"][:n],
            "medium": ["cpc", "social", "organic", "cpc", "none", "referral"][:n],
            "keyword": ["harborview recovery", "", "does insurance cover rehab", "inpatient alcohol rehab", "", ""][:n],
            "landing_page": ["/alcohol-detox", "/family", "/", "/programs/iop", "", "/admissions"][:n],
            "talk_seconds": [412, 0, 1290, 63, 880, 301][:n],
            "ring_seconds": [9, 31, 4, 12, 7, 15][:n],
            "answered": [True, False, True, True, True, True][:n],
        }
    )


def failed_labels(result) -> set[tuple[str, str | None]]:
    return {(r.expectation_type, r.column) for r in result.failed}


def test_suites_are_files_with_a_reason_for_each_expectation() -> None:
    for name in ("redacted_transcripts", "marketing_calls"):
        config = load_suite_config(name)
        assert config["name"] == name and len(config["expectations"]) >= 10
        for expectation in config["expectations"]:
            if expectation["type"] != "expect_column_values_to_not_be_null":
                assert expectation["meta"].get("why"), expectation


def test_clean_redacted_partition_passes_and_builds_value_free_data_docs(tmp_path: Path) -> None:
    result = run_suite(redacted_frame(DAY, 10), "redacted_transcripts", data_docs_dir=tmp_path / "docs")
    assert result.success, [r.label for r in result.failed]
    assert result.statistics["unsuccessful_expectations"] == 0
    assert result.data_docs_index and Path(result.data_docs_index).is_file()
    assert list((tmp_path / "docs" / "validations").rglob("*.html")), "a validation page for auditors"


def test_planted_phone_fails_the_regex_expectation_with_a_count_and_no_value(tmp_path: Path) -> None:
    frame = redacted_frame(DAY, 10, planted={3: PLANTED["PHONE"], 6: PLANTED["SSN"]})
    result = run_suite(frame, "redacted_transcripts", data_docs_dir=tmp_path / "docs")
    assert not result.success
    failed = {r.why: r.unexpected_count for r in result.failed}
    assert failed == {"no written phone number survives redaction": 1, "no SSN survives redaction": 1}
    summary = json.dumps(result.summary())
    assert "expect_column_values_to_not_match_regex(redacted_text)" in summary
    # Neither the result nor the auditors' HTML carries the identifier (or the row that holds it).
    for text in [summary] + [p.read_text(errors="ignore") for p in (tmp_path / "docs").rglob("*.html")]:
        assert "013-2749" not in text and "078-05-1120" not in text and "any time" not in text


def test_data_docs_index_accumulates_partitions_without_values(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    run_suite(redacted_frame("2026-03-01", 5), "redacted_transcripts", data_docs_dir=docs, run_name="2026-03-01")
    planted = redacted_frame(DAY, 5, planted={1: PLANTED["EMAIL_SPOKEN"], 2: "caller: write to dana.w@example.com"})
    result = run_suite(planted, "redacted_transcripts", data_docs_dir=docs, run_name=DAY)
    index = Path(result.data_docs_index).read_text()
    assert "2026-03-01" in index and DAY in index  # both partitions are listed for the auditor
    stored = [p.read_text() for p in (docs / "_validation_results").rglob("*.json")]
    assert len(stored) == 2
    for text in stored + [p.read_text(errors="ignore") for p in docs.rglob("*.html")]:
        assert "dana.w@example.com" not in text and "whitfield" not in text


def test_bad_transcript_id_fails_shape_and_uniqueness() -> None:
    frame = redacted_frame(DAY, 4)
    ids = frame["transcript_id"].to_list()
    frame = frame.with_columns(pl.Series("transcript_id", ["CAL0123456789abcdef0123", ids[1], ids[1], ids[3]]))
    result = run_suite(frame, "redacted_transcripts")
    assert failed_labels(result) == {
        ("expect_column_values_to_match_regex", "transcript_id"),
        ("expect_column_values_to_be_unique", "transcript_id"),
    }
    shape = next(r for r in result.failed if r.expectation_type == "expect_column_values_to_match_regex")
    assert shape.unexpected_count == 1


def test_extra_column_fails_the_column_set() -> None:
    frame = redacted_frame(DAY, 3).with_columns(pl.lit("x").alias("caller_number"))
    result = run_suite(frame, "redacted_transcripts")
    (outcome,) = result.failed
    assert outcome.expectation_type == "expect_table_columns_to_match_set"
    assert outcome.note == "extra columns ['caller_number']"


def test_an_expectation_that_cannot_run_fails_without_quoting_cells() -> None:
    frame = marketing_frame().with_columns(pl.Series("talk_seconds", ["619-555-0100"] + ["12"] * 5))
    result = run_suite(frame, "marketing_calls")
    outcome = next(r for r in result.results if r.column == "talk_seconds")
    assert not outcome.success
    assert "555-0100" not in json.dumps(result.summary())


def test_clean_marketing_view_passes() -> None:
    result = run_suite(marketing_frame(), "marketing_calls")
    assert result.success, [(r.label, r.why) for r in result.failed]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.with_columns(pl.lit("6195550100").alias("caller_number")),
         {("expect_table_columns_to_match_set", None)}),
        (lambda f: f.with_columns(pl.Series("marketing_call_id", ["CAL0123456789abcdef0123"] + f["marketing_call_id"][1:].to_list())),
         {("expect_column_values_to_match_regex", "marketing_call_id")}),
        (lambda f: f.with_columns(pl.Series("landing_page", ["/thanks?phone=619-555-0100"] + f["landing_page"][1:].to_list())),
         {("expect_column_values_to_match_regex", "landing_page"), ("expect_column_values_to_not_match_regex", "landing_page")}),
        (lambda f: f.with_columns(pl.Series("source", ["craigslist"] + f["source"][1:].to_list())),
         {("expect_column_values_to_be_in_set", "source")}),
        (lambda f: f.with_columns(pl.Series("talk_seconds", [20000] + f["talk_seconds"][1:].to_list())),
         {("expect_column_values_to_be_between", "talk_seconds")}),
    ],
)  # fmt: skip
def test_marketing_view_failures_are_named(change, expected) -> None:
    result = run_suite(change(marketing_frame()), "marketing_calls")
    assert not result.success
    assert failed_labels(result) == expected
    assert "555-0100" not in json.dumps(result.summary())


def test_gx_result_feeds_the_gate_evidence() -> None:
    frame = redacted_frame(DAY, 10, planted={3: PLANTED["PHONE"]})
    gx = run_suite(frame, "redacted_transcripts").summary()
    evidence = evaluate_partition(DAY, frame, "0" * 64, load_thresholds(), [], gx_summary=gx)
    check = evidence.check("great_expectations")
    assert not check.passed
    assert "expect_column_values_to_not_match_regex(redacted_text): no written phone number" in check.description


def test_exception_messages_lose_quoted_cells_and_numbers() -> None:
    from cipher_pipeline.gate.expectations import _sanitize_exception

    message = "could not convert string to float: '619-555-0100'\nTraceback ..."
    assert _sanitize_exception(message) == "could not convert string to float: <value>"
    assert _sanitize_exception("bad value 619 555 0100 in column") == "bad value <number> in column"
    assert _sanitize_exception(None) is None


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium is not installed (Debian package chromium, "
                    "scripts/install-system-deps.sh installs it)")
@pytest.mark.slow
def test_data_docs_render_offline_in_headless_chromium(tmp_path: Path) -> None:
    """An auditor on a closed network sees every partition's status: no page asks for a CDN, statuses are words."""
    import re
    import subprocess

    docs = tmp_path / "docs"
    clean = run_suite(redacted_frame(DAY, 10), "redacted_transcripts", data_docs_dir=docs, run_name="2026-03-02")
    leaky = run_suite(redacted_frame("2026-03-03", 10, planted={3: PLANTED["PHONE"]}), "redacted_transcripts",
                      data_docs_dir=docs, run_name="2026-03-03")
    assert clean.data_docs_index == leaky.data_docs_index and clean.data_docs_index.endswith("cipher_report.html")
    for page in docs.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=[\"']?(?:https?:)?//", html, re.I), page

    def dump_dom(page: Path) -> str:
        proc = subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--proxy-server=127.0.0.1:9", "--dump-dom", page.as_uri()],  # any network request would fail
            capture_output=True, text=True, timeout=90, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-500:]
        return proc.stdout

    dom = dump_dom(Path(clean.data_docs_index))
    rows = re.findall(r'<tr class="partition">(.*?)</tr>', dom, re.S)
    assert len(rows) == 2
    assert "2026-03-03" in rows[0] and ">failed<" in rows[0] and ">passed<" in rows[1]
    # counts only, never the planted phone number: look for it as written and as bare digits (a bare "555" would
    # also match hex in a content id or a hash on the page, which proves nothing about the text)
    number = re.search(r"\d{3}-\d{3}-\d{4}", PLANTED["PHONE"]).group()
    assert number not in dom and number.replace("-", "") not in dom and number[4:] not in dom
    gx_index = dump_dom(docs / "index.html")
    assert "cipher-offline" in gx_index and "redacted_transcripts" in gx_index
