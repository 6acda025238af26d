"""``cipher bench --only insights-volume``: Tier 3 at volume through real Dagster runs, against planted truth.

Weeks of planted calls (``cipher_devtools/synth/planted.py``, ~100 a week by default, daily partitions) go
through the Dagster graph on a scratch data root and a scratch Dagster instance:

* **text-level days** (most of them): the planted transcript is written where ``transcripts`` would have put
  Whisper's output (Tier 1, encrypted, audited), with the call-tracking rows in ``raw_calls``; from there every
  step is the real graph: ``redacted_transcripts`` (the real redactor, the independent residual scan, Great
  Expectations, the five blocking gate checks), ``qa_sample`` + ``qa_coverage``, ``marketing_calls`` and
  ``insights_daily`` (k-suppression and no-verbatim checks, blocking);
* **one real-audio day** (``audio_calls`` > 0): that day's planted calls are spoken by espeak-ng into the inbox
  (stereo WAV + ``call_tracking.csv``) and go through the whole graph from ``raw_calls`` (ingest) and
  ``transcripts`` (faster-whisper) onward;

then ``insights_weekly`` for every ISO week and ``insights_monthly`` for every month the days touch. The
published tables are read back from disk and compared with the truth of the calls that went in: the recovery
table of docs/insights.md. Nothing here is tuned on: tolerances are the ones ``tests/test_insights.py`` states.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from cipher_devtools.synth.planted import PlantedCall, PlantedSpec, generate, tracking_frame
from cipher_pipeline.insights import periods
from cipher_pipeline.insights.publish import audit_month, read_period
from cipher_pipeline.tables import RAW_CALLS_SCHEMA

START = date(2026, 3, 2)  # March's first Monday: five weeks to Sunday 2026-04-05 are March, whole (periods.py)
# Tolerances: about three standard errors of a share at ~450 calls (tests/test_insights.py states the same).
TOLERANCE = {"first_concern": 0.06, "competitor": 0.04, "insurer": 0.05, "family_objection": 0.06, "signature": 0.05}
SIGNATURE = "get away from everything"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed_text_day(store, day: str, calls: list[PlantedCall], tracking: pl.DataFrame) -> None:
    """Write what ``raw_calls`` and ``transcripts`` would have written for ``day``'s planted calls (the
    transcript is the planted text: ASR skipped). Through ``PartitionStore``: encrypted and audited like any
    Tier 1 write."""
    rows = tracking.filter(pl.col("day") == day)
    raw = pl.DataFrame(
        {name: (rows[name].cast(dtype) if name in rows.columns else pl.Series(name, [None] * rows.height, dtype)) for name, dtype in RAW_CALLS_SCHEMA.items()}
    )  # fmt: skip
    store.write("raw_calls", day, raw, purpose="insights volume run: planted call tracking")
    texts = [(c.call_id, c.text) for c in calls if c.day == day]
    store.write("transcripts", day, pl.DataFrame({"call_id": [i for i, _ in texts], "day": day, "text": [t for _, t in texts],
                                                  "asr_model": "text"}), purpose="insights volume run: planted transcripts")  # fmt: skip


def speak_day(inbox: Path, day: str, calls: list[PlantedCall], seed: int = 11) -> list[PlantedCall]:
    """Speak ``day``'s answered planted calls into ``inbox/<day>/`` (espeak-ng, wideband) with their
    call-tracking CSV, as a vendor drop; returns the calls that have a recording (the unanswered ones have a
    CSV row and no audio, as in production)."""
    from cipher_devtools.synth import CSV_COLUMNS
    from cipher_devtools.synth.audio import Voice, render_call
    from cipher_devtools.synth.vocab import VOICES_AGENT, VOICES_CALLER

    folder = Path(inbox) / day
    folder.mkdir(parents=True, exist_ok=True)
    rows, spoken = [], []
    for call in calls:
        rng = random.Random(f"cipher-planted-audio:{seed}:{call.call_id}")
        t = call.tracking
        row = {name: "" for name in CSV_COLUMNS}
        row.update({k: str(t[k]) for k in ("call_id", "start_time", "direction", "ring_seconds", "talk_seconds", "source", "medium", "campaign", "landing_page")})
        row.update({"answered": "true" if t["answered"] else "false", "caller_number": "+1" + t["caller_number"].replace("-", ""),
                    "tracking_number": "+18005550100", "keyword": "rehab near me"})  # fmt: skip
        if t["answered"]:
            turns = [tuple(line.split(": ", 1)) for line in call.text.splitlines()]
            voices = {"agent": Voice(*rng.choice(VOICES_AGENT)), "caller": Voice(*rng.choice(VOICES_CALLER))}
            _, duration, _ = render_call(turns, voices, folder / f"{call.call_id}.wav", rng)
            row.update({"recording_file": f"{call.call_id}.wav", "talk_seconds": str(round(duration))})
            spoken.append(call)
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "call_tracking.csv").write_text(buffer.getvalue())
    return spoken


@dataclass
class VolumeRun:
    weeks: int
    calls_per_week: int
    days: list[str]
    audio_day: str | None
    calls_in: int = 0
    audio_recordings: int = 0
    runs: dict[str, dict] = field(default_factory=dict)  # partition -> {job, success, wall_s, checks}
    recovery: list[dict] = field(default_factory=list)
    audio_recovery: dict = field(default_factory=dict)
    nesting_problems: dict[str, list[str]] = field(default_factory=dict)
    report_pages: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0


def _record(run: VolumeRun, key: str, job: str, result, started: float) -> None:
    checks = {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in result.get_asset_check_evaluations()}
    run.runs[key] = {"job": job, "success": result.success, "wall_s": round(time.monotonic() - started, 1),
                     "checks_failed": sorted(k for k, ok in checks.items() if not ok), "checks": len(checks)}  # fmt: skip
    _say(f"insights-volume: {job} {key} {'ok' if result.success else 'FAILED'} ({run.runs[key]['wall_s']} s)")


def run_volume(weeks: int = 5, calls_per_week: int = 100, audio_calls: int = 0, model: str = "tiny.en",
               seed: int = 11, root: Path | None = None) -> VolumeRun:  # fmt: skip
    """The volume run (module docstring). ``audio_calls``: how many calls of one day (the first week's
    Wednesday) are spoken and transcribed instead of fed as text; 0 keeps every day text-level."""
    import dagster as dg

    from cipher_pipeline.defs import insights as insight_defs
    from cipher_pipeline.defs import tier1, tier2, tier3
    from cipher_pipeline.defs.resources import CipherResource
    from cipher_pipeline.keys import init_keys

    started_all = time.monotonic()
    n_days = weeks * 7
    days = [(START + timedelta(days=i)).isoformat() for i in range(n_days)]
    calls = generate(PlantedSpec(), weeks * calls_per_week, n_days, seed=seed, start=START)
    audio_day = days[2] if audio_calls else None
    if audio_day:  # that day carries audio_calls calls, spoken; its other planted calls are not used
        keep = [c for c in calls if c.day == audio_day][:audio_calls]
        calls = [c for c in calls if c.day != audio_day] + keep
    tmp = None
    if root is None:
        tmp = tempfile.TemporaryDirectory(prefix="cipher-insights-volume-")
        root = Path(tmp.name)
    data_root = root / "data"
    resource = CipherResource(data_root=str(data_root), inbox=str(root / "inbox"), require_qa=False, whisper_model=model)
    init_keys(resource.settings.keys_dir)  # a scratch key, made on purpose as `cipher keys init` would
    run = VolumeRun(weeks, calls_per_week, days, audio_day)
    tracking = tracking_frame(calls, seed)
    store = resource.store
    used: list[PlantedCall] = []
    with dg.DagsterInstance.ephemeral() as instance:
        gate_and_tier3 = [tier2.redacted_transcripts, tier2.qa_sample, tier2.qa_coverage, tier3.marketing_calls, insight_defs.insights_daily]
        for day in days:
            day_calls = [c for c in calls if c.day == day]
            started = time.monotonic()
            if day == audio_day:
                spoken = speak_day(root / "inbox", day, day_calls, seed)
                run.audio_recordings = len(spoken)
                used += spoken
                selection, job = [tier1.raw_calls, tier1.transcripts, *gate_and_tier3], "ingest+whisper+gate+tier3"
            else:
                seed_text_day(store, day, calls, tracking)
                used += day_calls
                selection, job = gate_and_tier3, "gate+tier3"
            result = dg.materialize(selection, partition_key=day, instance=instance, resources={"cipher": resource}, raise_on_error=False)
            _record(run, day, job, result, started)
        run.calls_in = len(used)
        for week in sorted({periods.week_start(d) for d in days}):
            started = time.monotonic()
            result = dg.materialize([insight_defs.insights_weekly], partition_key=week, instance=instance, resources={"cipher": resource}, raise_on_error=False)
            _record(run, periods.week_of(week), "insights_weekly", result, started)
        for month in sorted({periods.month_of(d) for d in days}):
            started = time.monotonic()
            result = dg.materialize([insight_defs.insights_monthly], partition_key=month, instance=instance, resources={"cipher": resource}, raise_on_error=False)
            _record(run, month, "insights_monthly", result, started)
    base = data_root / "tier3" / "insights"
    run.report_pages = sorted(str(p.relative_to(base)) for p in (base / "reports").glob("*.html")) if (base / "reports").exists() else []
    months = sorted({periods.month_of(d) for d in days})
    full_month = next((m for m in months if sum(periods.month_of(d) == m for d in days) >= 28), months[0])
    run.recovery = recovery(used, read_period(base, full_month), full_month)
    for week in sorted({periods.week_of(d) for d in days}):
        run.recovery += recovery([c for c in used if periods.week_of(c.day) == week], read_period(base, week), week)
    if audio_day:
        run.audio_recovery = audio_recovery(used, data_root, audio_day, resource.settings.specs_dir)
    run.nesting_problems = {m: audit_month(base, m) for m in months}
    run.wall_seconds = round(time.monotonic() - started_all, 1)
    if tmp is not None:
        tmp.cleanup()
    return run


def truth_rates(calls: list[PlantedCall]) -> dict[str, float]:
    n = max(len(calls), 1)
    family = [c for c in calls if c.truth["caller_group"] == "family"]
    out = {f"first:{c}": sum(x.truth["first_concern"] == c for x in calls) / n for c in PlantedSpec().first_concern_shares}
    out["competitor"] = sum(bool(c.truth["competitor"]) for c in calls) / n
    out["insurer"] = sum(bool(c.truth["insurer"]) for c in calls) / n
    out["family_objection"] = sum(c.truth["family_objection"] for c in family) / max(len(family), 1)
    out["signature"] = sum(c.truth["signature"] for c in calls) / n
    return out


def recovery(calls: list[PlantedCall], tables: dict[str, pl.DataFrame], period: str) -> list[dict]:
    """Planted rate (realised in ``calls``) against what ``period``'s published tables say; None where the
    table withholds it (suppression), which counts as not recovered."""
    truth = truth_rates(calls)
    if "overview" not in tables:
        return [{"period": period, "pattern": p, "planted": round(v, 3), "published": None, "tolerance": None, "within": False}
                for p, v in truth.items()]  # fmt: skip
    total = int(tables["overview"]["calls"][0])
    concerns = tables["concerns"]
    ents = tables["entity_mentions"]
    fam = tables["family_vs_patient"].filter(pl.col("item") == "denial_refusal")
    sig = tables["buyer_phrases"].filter(pl.col("phrase").str.contains(SIGNATURE)).sort("calls", descending=True)

    def first(concern):
        row = concerns.filter(pl.col("concern") == concern)
        return None if row.is_empty() or row["first_calls"][0] is None else row["first_calls"][0] / total

    def any_share(kind):
        row = ents.filter((pl.col("kind") == kind) & (pl.col("entity") == "any"))
        return None if row.is_empty() else row["share"][0]

    published = {f"first:{c}": first(c) for c in PlantedSpec().first_concern_shares}
    published["competitor"] = any_share("COMPETITOR")
    published["insurer"] = any_share("INSURER")
    published["family_objection"] = None if fam.is_empty() else fam["family_share"][0]
    published["signature"] = None if sig.is_empty() else sig["share"][0]
    rows = []
    for pattern, planted in truth.items():
        tol = TOLERANCE["first_concern" if pattern.startswith("first:") else pattern]
        got = published[pattern]
        rows.append({"period": period, "pattern": pattern, "planted": round(planted, 3),
                     "published": None if got is None else round(got, 3), "tolerance": tol,
                     "within": got is not None and abs(got - planted) <= tol})  # fmt: skip
    return rows


def audio_recovery(spoken: list[PlantedCall], data_root: Path, day: str, specs_dir: Path) -> dict:
    """On the spoken day: what Tier 3's features read from the released (Whisper-transcribed, redacted)
    transcripts against what was spoken. Tier 2 ids are content-derived, so the comparison is per day, not per
    call: counts per first concern, calls naming a competitor or insurer, caller groups."""
    from cipher_pipeline.insights import features
    from cipher_pipeline.insights import taxonomy as tx

    taxonomy = tx.load(tx.default_path(specs_dir))
    path = Path(data_root) / "tier2" / "redacted_transcripts" / f"{day}.parquet"
    evidence = Path(data_root) / "tier2" / "gate_evidence" / f"{day}.json"
    if not path.exists() or not evidence.exists():
        return {"gate": "not run"}
    # Read for the measurement even when the gate held the day (dev tooling on a scratch root): what the gate
    # decided is reported beside it, and a held day's roll-ups were refused above.
    gate = json.loads(evidence.read_text())["status"]
    feats = features.extract_frame(pl.read_parquet(path), taxonomy)
    truth = [c for c in spoken if c.day == day]
    first_truth, first_found = defaultdict(int), defaultdict(int)
    for c in truth:
        first_truth[c.truth["first_concern"]] += 1
    for f in feats:
        first_found[f.concern_order[0] if f.concern_order else "none"] += 1
    return {
        "gate": gate, "recordings": len(truth), "transcripts": len(feats),
        "first_concern_spoken": dict(first_truth), "first_concern_found": dict(first_found),
        "competitor_calls_spoken": sum(bool(c.truth["competitor"]) for c in truth),
        "competitor_calls_found": sum(any(m.kind == "COMPETITOR" for m in f.mentions) for f in feats),
        "insurer_calls_spoken": sum(bool(c.truth["insurer"]) for c in truth),
        "insurer_calls_found": sum(any(m.kind == "INSURER" for m in f.mentions) for f in feats),
        "family_calls_spoken": sum(c.truth["caller_group"] == "family" for c in truth),
        "family_calls_found": sum(f.caller_group == "family" for f in feats),
    }


def format_volume(run: VolumeRun) -> list[str]:
    failed = {k: v for k, v in run.runs.items() if not v["success"]}
    daily = [v for k, v in run.runs.items() if len(k) == 10]
    lines = [
        f"insights-volume: {run.calls_in} planted calls over {len(run.days)} days ({run.weeks} weeks x ~{run.calls_per_week}), "
        f"{run.audio_recordings} spoken and transcribed on {run.audio_day or '-'}; wall {run.wall_seconds:.0f} s",
        f"  Dagster runs: {len(run.runs)} ({len(daily)} days, {sum('-W' in k for k in run.runs)} weeks, "
        f"{sum(len(k) == 7 for k in run.runs)} months); failed: {', '.join(failed) or 'none'}",
        f"  asset checks evaluated: {sum(v['checks'] for v in run.runs.values())}, failed: "
        f"{sum(len(v['checks_failed']) for v in run.runs.values())}",
        f"  median day run {sorted(v['wall_s'] for v in daily)[len(daily) // 2] if daily else 0} s; reports: {', '.join(run.report_pages)}",
        "  month vs weeks vs days differencing audit: " + ("; ".join(f"{m}: {len(p)} problem(s)" for m, p in run.nesting_problems.items()) or "-"),
        "  | period | pattern | planted | published | tolerance | within |",
    ]
    for r in run.recovery:
        lines.append(f"  | {r['period']} | {r['pattern']} | {r['planted']} | {'withheld' if r['published'] is None else r['published']} | "
                     f"{r['tolerance']} | {'yes' if r['within'] else 'NO'} |")  # fmt: skip
    if run.audio_recovery:
        lines.append(f"  spoken day {run.audio_day}: {run.audio_recovery}")
    return lines
