"""Great Expectations (1.x) suites of the gate, run on one partition at a time.

The suites are data, in ``checks/gx/<table>.json`` (GX's own suite format), so an auditor reads what is expected
without reading code. This module runs a suite through an ephemeral GX context (pandas datasource, a dataframe
asset, a whole-dataframe batch definition, a ValidationDefinition and a Checkpoint) and returns a plain
:class:`GXResult`.

No unexpected value ever leaves this module: a failing value of ``redacted_text`` *is* the residual identifier.
GX is asked for ``SUMMARY`` results with ``partial_unexpected_count: 0`` (so its result and its Data Docs carry
counts, not values), and :func:`_strip` removes every value-bearing key again in case a GX version adds one.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from cipher_pipeline.gate.paths import default_checks_dir
from cipher_pipeline.settings import keep_offline

RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0}
# Keys of a GX expectation result that can hold row values; dropped from everything we keep or show.
_VALUE_KEYS = frozenset(
    {
        "partial_unexpected_list", "partial_unexpected_counts", "partial_unexpected_index_list", "unexpected_list",
        "unexpected_index_list", "unexpected_index_query", "unexpected_rows", "observed_value", "details",
    }
)  # fmt: skip


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation_type: str
    column: str | None
    success: bool
    unexpected_count: int | None
    unexpected_percent: float | None
    why: str  # the suite's reason for the expectation (its meta "why")
    exception: str | None = None  # GX's message when the expectation could not be evaluated (e.g. a missing column)
    note: str = ""  # for the column-set expectation: which column names are extra or missing (schema, not values)

    @property
    def label(self) -> str:
        return f"{self.expectation_type}({self.column})" if self.column else self.expectation_type


@dataclass(frozen=True)
class GXResult:
    suite_name: str
    success: bool
    results: tuple[ExpectationOutcome, ...]
    statistics: Mapping[str, Any]
    data_docs_index: str | None = None
    gx_version: str = field(default="")

    @property
    def failed(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.results if not r.success)

    def summary(self) -> dict[str, Any]:
        """JSON-ready, value-free: what the gate evidence and the asset check metadata carry."""
        return {
            "suite_name": self.suite_name,
            "success": self.success,
            "statistics": dict(self.statistics),
            "results": [asdict(r) for r in self.results],
            "failed": [f"{r.label}: {r.why or r.note}".rstrip(": ") for r in self.failed],
            "data_docs_index": self.data_docs_index,
            "gx_version": self.gx_version,
        }


def suite_path(suite_name: str, checks_dir: str | Path | None = None) -> Path:
    return Path(checks_dir or default_checks_dir()) / "gx" / f"{suite_name}.json"


def load_suite_config(suite_name: str, checks_dir: str | Path | None = None) -> dict[str, Any]:
    """The suite as stored in ``checks/gx/<suite_name>.json``."""
    config = json.loads(suite_path(suite_name, checks_dir).read_text(encoding="utf-8"))
    if config.get("name") != suite_name:
        raise ValueError(f"suite file {suite_name}.json names itself {config.get('name')!r}")
    return config


def _quiet_gx() -> None:
    # GX prints progress bars and info logs per metric; a pipeline log wants one line per suite, from us. Its
    # analytics are switched off with the other offline switches, in settings (the one module that writes them).
    keep_offline()
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


def _sanitize_exception(message: str | None) -> str | None:
    """First line of a GX exception with quoted strings and long numbers removed: a conversion error can quote
    the offending cell ("could not convert string to float: '555-0100'"), and a cell can be an identifier."""
    if not message:
        return None
    first = message.strip().splitlines()[0] if message.strip() else ""
    first = re.sub(r"'[^']*'|\"[^\"]*\"", "<value>", first)
    return re.sub(r"\d[\d\s().-]{3,}\d", "<number>", first)[:300]


def _strip(result: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in _VALUE_KEYS}


def _to_pandas(frame: Any) -> Any:
    """polars -> pandas without pyarrow (pyarrow 26 needs NumPy 2, while GX 1.24 pins NumPy 1 here)."""
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        return frame
    return pd.DataFrame(frame.to_dict(as_series=False), columns=list(frame.columns))


def run_suite(
    frame: Any,
    suite_name: str,
    data_docs_dir: str | Path | None = None,
    checks_dir: str | Path | None = None,
    run_name: str | None = None,
) -> GXResult:
    """Validate ``frame`` (polars or pandas) against ``checks/gx/<suite_name>.json``.

    With ``data_docs_dir``, also build GX Data Docs there (static HTML, value-free) and return the path of its
    ``index.html`` in :attr:`GXResult.data_docs_index`. The (value-free) validation results are kept under
    ``<data_docs_dir>/_validation_results`` so the site's index lists every partition validated so far, each
    under its ``run_name`` (pass the partition day).
    """
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    config = load_suite_config(suite_name, checks_dir)
    pandas_frame = _to_pandas(frame)

    context = gx.get_context(mode="ephemeral")
    # One line per suite in the run log is enough; GX's per-metric progress bars flood the terminal.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    actions = []
    if data_docs_dir is not None:
        docs = Path(data_docs_dir).resolve()
        docs.mkdir(parents=True, exist_ok=True)
        # An ephemeral context keeps results in memory, so its Data Docs index would show only this run; a
        # filesystem results store beside the site lets the auditors' index accumulate across runs.
        context.add_store(
            "cipher_validation_results",
            {
                "class_name": "ValidationResultsStore",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs / "_validation_results"),
                },
            },
        )
        context.variables.validation_results_store_name = "cipher_validation_results"
        context.add_data_docs_site(
            "cipher_gate",
            {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        actions.append(UpdateDataDocsAction(name="update_data_docs", site_names=["cipher_gate"]))

    suffix = uuid.uuid4().hex[:8]
    asset = context.data_sources.add_pandas(f"cipher_{suffix}").add_dataframe_asset(suite_name)
    batch_definition = asset.add_batch_definition_whole_dataframe("partition")
    suite = context.suites.add(
        gx.ExpectationSuite(name=suite_name, expectations=config["expectations"], meta=config.get("meta"))
    )
    if len(suite.expectations) != len(config["expectations"]):
        # GX logs and skips an expectation it cannot parse; a gate must not silently run a smaller suite.
        raise ValueError(f"GX could not load every expectation of suite {suite_name}")
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite_name}_{suffix}", data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{suite_name}_checkpoint_{suffix}",
            validation_definitions=[validation],
            actions=actions,
            result_format=RESULT_FORMAT,
        )
    )
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint_result = checkpoint.run(
        batch_parameters={"dataframe": pandas_frame}, run_id=RunIdentifier(run_name=run_name) if run_name else None
    )
    (validation_result,) = checkpoint_result.run_results.values()
    raw = validation_result.to_json_dict()

    outcomes = []
    for item in raw["results"]:
        expectation = item["expectation_config"]
        result = _strip(item.get("result") or {})
        exception = (item.get("exception_info") or {}).get("exception_message")
        note = ""
        if expectation["type"] == "expect_table_columns_to_match_set":
            expected = set(expectation["kwargs"].get("column_set") or [])
            extra, missing = sorted(set(pandas_frame.columns) - expected), sorted(expected - set(pandas_frame.columns))
            note = "; ".join(p for p in (f"extra columns {extra}" if extra else "", f"missing columns {missing}" if missing else "") if p)
        outcomes.append(
            ExpectationOutcome(
                expectation_type=expectation["type"],
                column=expectation["kwargs"].get("column"),
                success=bool(item["success"]),
                unexpected_count=result.get("unexpected_count"),
                unexpected_percent=result.get("unexpected_percent"),
                why=str((expectation.get("meta") or {}).get("why", "")),
                exception=_sanitize_exception(exception),
                note=note,
            )
        )
    result = GXResult(
        suite_name=suite_name,
        success=bool(raw["success"]),
        results=tuple(outcomes),
        statistics=raw.get("statistics", {}),
        data_docs_index=None,
        gx_version=gx.__version__,
    )
    if data_docs_dir is not None:
        docs = Path(data_docs_dir).resolve()
        make_site_offline(docs)
        index = write_offline_report(docs, result, run_name or "latest")
        result = GXResult(**{**result.__dict__, "data_docs_index": str(index)})
    return result


# ----------------------------------------------------------------------------------------- offline evidence
# GX's Data Docs load Bootstrap, jQuery and Font Awesome from CDNs, so on a closed network an auditor sees
# unstyled pages whose status columns (Font Awesome icons) are empty. Two remedies, both offline:
# 1. Cipher's own report (``cipher_report.html``): plain HTML with inline CSS, no script, no external URL, one
#    row per expectation per validated partition, statuses written as words. This is what ``data_docs_index``
#    points to.
# 2. GX's own pages with every external <script>/<link> removed and a small inline stylesheet that writes the
#    status icons as words, so they are readable too.
OFFLINE_REPORT = "cipher_report.html"
_RESULTS_DIR = "_cipher_results"
_EXTERNAL_TAG = re.compile(
    r"<script[^>]*\ssrc=[\"']?(?:https?:)?//[^>]*>\s*</script>|<link[^>]*\shref=[\"']?(?:https?:)?//[^>]*>", re.I
)
_OFFLINE_CSS = (
    "<style id=\"cipher-offline\">body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:3px 6px}"
    ".fa-check-circle::before{content:'passed';color:#060}.fa-times::before,.fa-times-circle::before"
    "{content:'FAILED';color:#a00}.fa-exclamation-triangle::before{content:'error';color:#a60}"
    ".collapse:not(.show){display:block}</style>"
)


def make_site_offline(docs: Path) -> int:
    """Remove every CDN <script>/<link> from GX's Data Docs pages under ``docs``; returns pages rewritten."""
    changed = 0
    for page in docs.rglob("*.html"):
        if page.name == OFFLINE_REPORT:
            continue
        html = page.read_text(encoding="utf-8")
        stripped = _EXTERNAL_TAG.sub("", html)
        if "cipher-offline" not in stripped:
            stripped = stripped.replace("</head>", _OFFLINE_CSS + "</head>", 1)
        if stripped != html:
            page.write_text(stripped, encoding="utf-8")
            changed += 1
    return changed


def write_offline_report(docs: Path, result: GXResult, run_name: str) -> Path:
    """Record this (value-free) result and re-render the offline report of every partition validated so far."""
    safe_run = re.sub(r"[^A-Za-z0-9._-]", "_", run_name)[:80]
    record_dir = docs / _RESULTS_DIR / result.suite_name
    record_dir.mkdir(parents=True, exist_ok=True)
    (record_dir / f"{safe_run}.json").write_text(json.dumps({"run_name": run_name, **result.summary()}), encoding="utf-8")
    rows = []
    for path in sorted((docs / _RESULTS_DIR).glob("*/*.json"), key=lambda p: (p.parent.name, p.stem), reverse=True):
        record = json.loads(path.read_text(encoding="utf-8"))
        rows.append(record)
    out = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cipher gate: Great Expectations results</title>",
        "<style>body{font-family:sans-serif;margin:1.5em;color:#111}table{border-collapse:collapse;margin-bottom:1.5em}"
        "td,th{border:1px solid #999;padding:3px 8px;text-align:left;vertical-align:top}.passed{color:#060;font-weight:bold}"
        ".failed{color:#a00;font-weight:bold}caption{text-align:left;font-weight:bold;padding:4px 0}</style></head><body>",
        "<h1>Cipher gate: Great Expectations results</h1>",
        "<p>Rendered by Cipher from GX's value-free results: counts only, never a row value. Needs no network.</p>",
        "<table id=\"partitions\"><caption>Partitions validated</caption><tr><th>suite</th><th>partition</th><th>status</th>"
        "<th>expectations</th><th>failed</th></tr>",
    ]
    for r in rows:
        stats = r.get("statistics") or {}
        status = "passed" if r["success"] else "failed"
        out.append(
            f"<tr class=\"partition\"><td>{_esc(r['suite_name'])}</td><td><a href=\"#{_esc(r['suite_name'])}-{_esc(r['run_name'])}\">"
            f"{_esc(r['run_name'])}</a></td><td class=\"{status}\">{status}</td>"
            f"<td>{_esc(stats.get('evaluated_expectations', len(r['results'])))}</td>"
            f"<td>{_esc(stats.get('unsuccessful_expectations', sum(not x['success'] for x in r['results'])))}</td></tr>"
        )
    out.append("</table>")
    for r in rows:
        out.append(
            f"<table id=\"{_esc(r['suite_name'])}-{_esc(r['run_name'])}\"><caption>{_esc(r['suite_name'])}, partition "
            f"{_esc(r['run_name'])} (GX {_esc(r.get('gx_version', ''))})</caption><tr><th>expectation</th><th>column</th>"
            "<th>status</th><th>unexpected rows</th><th>why</th></tr>"
        )
        for x in r["results"]:
            status = "passed" if x["success"] else "failed"
            unexpected = "" if x.get("unexpected_count") is None else x["unexpected_count"]
            why = x.get("why") or x.get("note") or x.get("exception") or ""
            out.append(
                f"<tr class=\"expectation\"><td>{_esc(x['expectation_type'])}</td><td>{_esc(x.get('column') or '')}</td>"
                f"<td class=\"{status}\">{status}</td><td>{_esc(unexpected)}</td><td>{_esc(why)}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    report = docs / OFFLINE_REPORT
    report.write_text("\n".join(out), encoding="utf-8")
    return report


def _esc(value: object) -> str:
    return html_lib.escape(str(value), quote=True)


__all__ = [
    "OFFLINE_REPORT",
    "ExpectationOutcome",
    "GXResult",
    "RESULT_FORMAT",
    "load_suite_config",
    "make_site_offline",
    "run_suite",
    "suite_path",
    "write_offline_report",
]
