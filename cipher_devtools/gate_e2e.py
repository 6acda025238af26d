"""The gate end to end on independently written calls spoken with mixed voices (issue 9's "Done when").

calls_dev calls (written by hand, not by the project's generator) are spoken by ``cipher synth speak`` into
``<speech>/<band>/call_NNN.wav`` with ``call_NNN.json`` (reference text and identifier spans per turn). This
harness puts them in an inbox as a call-tracking drop (one CSV per day, fictional metadata), alternating
wideband and phone band, runs each day through the real ``end_to_end`` Dagster job (Whisper and everything else
as the project's defaults have them, human QA off as in the demo) and then asks, per day:

- how many gold identifiers are left in Tier 2: each call's gold spans are projected onto what Whisper wrote
  (``cipher_devtools.asr_corpus.project``, the projection ``cipher bench --only asr`` corpora use), the redactor is
  run as a black box on the Tier 1 transcript (its output must equal the Tier 2 row, which is checked) and a gold
  identifier counts as left when a word Safe Harbor requires gone survived it (``scan_eval``'s rule: years of full
  dates and states may stay);
- how many of those the residual scan flagged, and how many scan findings the day had;
- the gate's verdict and the day's release state.

Done when no day that holds a Safe Harbor identifier in Tier 2 passes the gate. Nothing Tier 1 is printed: counts,
categories and call numbers only.

    nice -n 10 python -m cipher_devtools.gate_e2e --speech /work/cache/calls_dev_speech_even --calls 40 \
        --per-day 10 --json e2e.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from cipher_devtools import scan_eval
from cipher_devtools.asr_corpus import project, tokenize
from cipher_devtools.synth.calls import CENTER_TZ, CSV_COLUMNS, CSV_NAME
from cipher_pipeline.settings import PROJECT_ROOT

FIRST_DAY = date(2026, 10, 20)  # days no other corpus or test uses
BANDS = ("wideband", "phone")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_spoken(speech: Path, calls: int, skip: frozenset[int] = frozenset()) -> list[dict]:
    """The first ``calls`` spoken calls (by number, leaving out ``skip``), each with the band it is played in
    (alternating)."""
    records = []
    for path in sorted(speech.glob("call_*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["number"] in skip:
            continue
        band = BANDS[len(records) % 2]
        wav = speech / band / f"{record['call_id']}.wav"
        if not wav.exists():
            raise FileNotFoundError(f"{wav} is missing: speak the calls first (cipher synth speak)")
        records.append({**record, "band": band, "wav": wav})
        if len(records) == calls:
            break
    if len(records) < calls:
        raise ValueError(f"only {len(records)} spoken calls in {speech}, {calls} asked for")
    return records


def gold_record(spoken: dict) -> dict:
    """A spoken call as the gold record ``asr_corpus.project`` reads (turns, identifiers per turn)."""
    turns = [{"speaker": t["speaker"], "text": t["text"], "speech": t.get("speech") or t["text"]} for t in spoken["turns"]]
    identifiers = [
        {"turn": i, "start": s["start"], "end": s["end"], "category": s["category"], "value": s["text"]}
        for i, t in enumerate(spoken["turns"]) for s in t["spans"]
    ]  # fmt: skip
    return {"turns": turns, "identifiers": identifiers, "must_survive_spans": []}


def _call_id(number: int) -> str:
    return "CAL" + hashlib.sha256(f"gate-e2e:{number}".encode()).hexdigest()[:20]


def write_inbox(inbox: Path, days: list[tuple[str, list[dict]]]) -> dict[str, dict]:
    """One drop per day: the recordings and a call-tracking CSV (fictional numbers and labels). Returns
    call id -> spoken record."""
    by_id = {}
    for day, calls in days:
        folder = inbox / day
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        start = datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=CENTER_TZ)
        for index, call in enumerate(calls):
            call_id = _call_id(call["number"])
            shutil.copyfile(call["wav"], folder / f"{call_id}.wav")
            rows.append({
                "call_id": call_id, "start_time": (start + timedelta(minutes=25 * index)).isoformat(),
                "direction": "inbound", "answered": "true", "ring_seconds": "6",
                "talk_seconds": str(round(call["duration_s"])), "tracking_number": "+18005550100",
                "caller_number": f"+1619555{index:04d}", "caller_name": "WIRELESS CALLER",
                "caller_city": "Springfield", "caller_state": "OR", "source": "google_ads", "medium": "cpc",
                "campaign": "Detox - Brand", "keyword": "detox near me", "landing_page": "/detox",
                "recording_file": f"{call_id}.wav",
            })  # fmt: skip
            by_id[call_id] = call
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (folder / CSV_NAME).write_text(buffer.getvalue(), encoding="utf-8")
    return by_id


def left_as_said(said: str, surviving: str) -> bool:
    """Whether what survived of an identifier in Tier 2 holds one of its own words as it was said (digits and number
    words compare equal, case and apostrophes ignored; function words do not count; a number by three of its digits).
    A residual the projection
    counts may be only Whisper's mishearing ("mailing" where a name was said), which identifies no one by itself;
    this is the stricter count beside it, so the two bracket what an auditor cares about."""
    from spacy.lang.en.stop_words import STOP_WORDS  # here: spaCy's import costs seconds the CLI need not pay

    said_tokens = [t.norm for t in tokenize(said)]
    survived = Counter(t.norm for t in tokenize(surviving))
    words = {w for w in said_tokens if not w.isdigit()} - STOP_WORDS
    digits = Counter(w for w in said_tokens if w.isdigit())
    # a number counts by three of its digits (or all, if shorter): one digit in common is chance, not a trace
    shared_digits = sum((digits & survived).values())
    return any(w in survived for w in words) or (bool(digits) and shared_digits >= min(3, sum(digits.values())))


def measure_day(settings, day: str, calls: dict[str, dict]) -> dict:
    """Leaks left in Tier 2, what the scan flagged of them, and the gate's verdict, for one day."""
    from cipher_pipeline.gate.ledger import read_evidence
    from cipher_pipeline.gate.paths import GatePaths
    from cipher_pipeline.gate.release import day_release
    from cipher_pipeline.gate.thresholds import thresholds_in_force
    from cipher_pipeline.storage import PartitionStore

    paths = GatePaths.of(settings)
    evidence = read_evidence(paths.gate_evidence_dir, day)
    row: dict = {"day": day, "calls": len(calls), "bands": dict(Counter(c["band"] for c in calls.values()))}
    if evidence is None:
        return {**row, "verdict": "no evidence (the run failed before the gate)"}
    store = PartitionStore(settings)
    transcripts = store.read("transcripts", day, purpose="gate e2e: project the gold identifiers")
    redacted = set(pl.read_parquet(paths.redacted_partition(day))["redacted_text"].to_list())
    docs, projected, not_heard, said_values = [], 0, 0, []
    for call_id, text in zip(transcripts["call_id"].to_list(), transcripts["text"].to_list()):
        spoken = calls[call_id]
        text = text[:-1] if text.endswith("\n") else text
        projection = project(gold_record(spoken), text)
        projected += projection.projected
        not_heard += projection.not_heard + projection.garbled
        gold = []
        for span in projection.spans:
            category = span["category"]
            if category in scan_eval.CALLS_IGNORED:
                gold.append(scan_eval.Gold(span["start"], span["end"], "IGNORED", []))
            elif category not in scan_eval.CALLS_IDENTIFIERS:
                gold.append(scan_eval.Gold(span["start"], span["end"], "NOT_IDENTIFIER", []))
            else:
                required = scan_eval._required_tokens(text, span["start"], span["end"], category)
                gold.append(scan_eval.Gold(span["start"], span["end"], category, required))
        docs.append(scan_eval.Doc(f"call_{spoken['number']:03d}", text, gold))
        said_values.append({(span["start"], span["end"]): span["gold_value"] for span in projection.spans})
    red = scan_eval.redact_docs(docs, speech_recognized=True)  # as the pipeline redacted them
    mismatched = sum(1 for r, t in zip(red, transcripts["text"].to_list()) if r is None or (r.text not in redacted and r.text + "\n" not in redacted))
    tally = scan_eval.score(docs, red)
    left_with_a_word_as_said = 0
    for doc, r, said in zip(docs, red, said_values):
        if r is None:
            continue
        for g, mapped in scan_eval.residual_gold(doc, r)[0]:
            left_with_a_word_as_said += left_as_said(said.get((g.start, g.end), ""), " ".join(r.text[a:b] for a, b in mapped))
    summary = tally.summary()
    release = day_release(paths, day, thresholds_in_force(settings))
    residual_counts = dict(evidence.residuals.get("counts", {}))
    return {
        **row,
        "transcripts": len(transcripts),
        "identifiers_projected": projected,
        "identifiers_not_heard_or_garbled": not_heard,
        "left_in_tier2": summary["missed"],
        "left_by_category": dict(tally.missed),
        "left_with_a_word_as_said": left_with_a_word_as_said,
        "left_flagged_by_scan": summary["missed_flagged"],
        "scan_findings": sum(residual_counts.values()),
        "scan_findings_by_category": residual_counts,
        "scan_false_alarms": summary["false_alarms"],
        "tier2_rows_not_reproduced": mismatched,  # the black-box redaction must equal the pipeline's Tier 2 rows
        "gate": evidence.status,
        "failed_checks": [c.name for c in evidence.checks if not c.passed],
        "release_state": release.state,
    }


def _run_day(dagster_home: str, day: str, cipher_config: dict) -> None:
    """One day through ``end_to_end`` in a process of its own (exit 0: the run succeeded, 3: it did not)."""
    from dagster import DagsterInstance

    from cipher_pipeline.defs import defs

    job = defs.resolve_job_def("end_to_end")
    with DagsterInstance.from_config(dagster_home) as instance:
        result = job.execute_in_process(
            partition_key=day, instance=instance, raise_on_error=False, tags={"cipher/trigger": "gate-e2e"},
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                        "resources": {"cipher": {"config": cipher_config}}},
        )  # fmt: skip
    sys.exit(0 if result.success else 3)


def plan_days(spoken: list[dict], per_day: int) -> list[tuple[str, list[dict]]]:
    """The calls in days of ``per_day``, from ``FIRST_DAY`` on: the same plan for a run and its re-scoring."""
    return [((FIRST_DAY + timedelta(days=i // per_day)).isoformat(), spoken[i : i + per_day])
            for i in range(0, len(spoken), per_day)]


def rescore(speech: Path, calls: int, per_day: int, workdir: Path, skip: frozenset[int] = frozenset()) -> dict:
    """A finished run's days measured again with the redactor and scan of now, without running Whisper or Dagster
    again: what the scan of now flags of what the run left in Tier 2 (the redaction is re-run as a black box and
    checked against the run's Tier 2 rows, so a changed redactor shows as rows not reproduced). The gate's verdict,
    failed checks and release state stay the run's own (its evidence), so a row says what the run decided and what
    today's scan would have seen."""
    from cipher_pipeline.defs.resources import CipherResource

    days = plan_days(load_spoken(speech, calls, skip), per_day)
    settings = CipherResource(data_root=str(workdir / "data"), require_qa=False).settings
    rows = []
    for day, day_calls in days:
        row = {**_measure(settings, day, day_calls), "rescored": True}
        rows.append(row)
        _say(f"gate-e2e: {day} re-scored: {row.get('left_in_tier2')} identifiers left in Tier 2, "
             f"{row.get('left_flagged_by_scan')} flagged by the scan of now")  # fmt: skip
    return {**_outcome(speech, calls, per_day, skip, settings.whisper_model, rows), "rescored": True}


def _measure(settings, day: str, day_calls: list[dict]) -> dict:
    """``measure_day`` for one day of the plan; a day whose measurement fails says so and loses no other day."""
    try:
        return measure_day(settings, day, {_call_id(c["number"]): c for c in day_calls})
    except Exception as exc:  # noqa: BLE001 - one day's measurement failing must not lose the other days
        return {"day": day, "calls": len(day_calls), "measure_error": type(exc).__name__}


def _outcome(speech: Path, calls: int, per_day: int, skip: frozenset[int], whisper_model: str, rows: list[dict]) -> dict:
    """The result of a run or a re-scoring: its days, and the Done-when verdict (no day holding an identifier passed)."""
    passed_with_leaks = [r["day"] for r in rows if r.get("left_in_tier2") and r.get("gate") == "pass"]
    return {"speech": str(speech), "calls": calls, "skipped_calls": sorted(skip), "per_day": per_day,
            "whisper_model": whisper_model, "days": rows,
            "days_passed_holding_identifiers": passed_with_leaks, "done": not passed_with_leaks}


def run(speech: Path, calls: int, per_day: int, model: str | None, workdir: Path, attempts: int = 2,
        skip: frozenset[int] = frozenset()) -> dict:
    import multiprocessing

    from cipher_pipeline.defs.resources import CipherResource
    from cipher_pipeline.keys import init_keys

    days = plan_days(load_spoken(speech, calls, skip), per_day)
    data_root = workdir / "data"
    write_inbox(data_root / "inbox", days)
    cipher_config: dict = {"data_root": str(data_root), "require_qa": False}
    if model:
        cipher_config["whisper_model"] = model
    settings = CipherResource(**cipher_config).settings
    if not any(settings.keys_dir.glob("**/*.key")):
        init_keys(settings.keys_dir)  # a scratch root set up as an operator would: a key made on purpose
    (workdir / "dagster_home").mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", workdir / "dagster_home" / "dagster.yaml")
    rows = []
    for day, day_calls in days:
        # Each day in a fresh process: a native crash in one (seen once in a transcription step on the shared
        # 2-core machine) loses that attempt only; a re-run of a day replaces its partitions whole.
        exit_codes = []
        t0 = time.perf_counter()
        for attempt in range(attempts):
            _say(f"gate-e2e: {day}: {len(day_calls)} calls through end_to_end (Whisper {settings.whisper_model}), attempt {attempt + 1}")
            child = multiprocessing.get_context("spawn").Process(
                target=_run_day, args=(str(workdir / "dagster_home"), day, cipher_config)
            )
            child.start()
            child.join()
            exit_codes.append(child.exitcode)
            if child.exitcode in (0, 3):
                break
        wall = time.perf_counter() - t0
        row = _measure(settings, day, day_calls)
        row["run_success"] = exit_codes[-1] == 0
        row["run_exit_codes"] = exit_codes
        row["run_wall_seconds"] = round(wall, 1)
        rows.append(row)
        _say(f"gate-e2e: {day}: {row.get('left_in_tier2')} identifiers left in Tier 2, "
             f"{row.get('left_flagged_by_scan')} flagged; gate {row.get('gate')}, {row.get('release_state')}")  # fmt: skip
    return _outcome(speech, calls, per_day, skip, settings.whisper_model, rows)


def format_table(out: dict) -> list[str]:
    lines = [
        f"Gate end to end: {out['calls']} calls_dev calls spoken (wideband/phone alternating; left out: "
        f"{', '.join(map(str, out.get('skipped_calls', []))) or 'none'}), {out['per_day']} per day, "
        f"Whisper {out['whisper_model']}, QA off"
        + ("; re-scored: the redactor and scan of now on the run's Tier 1 transcripts, gate and release as the run decided"
           if out.get("rescored") else ""),
        f"{'day':<11} {'calls':>5} {'ids heard':>9} {'left in T2':>10} {'as said':>7} {'flagged':>7} {'findings':>8} {'FA':>3} {'gate':>5}  release   failed checks / what was left",
    ]
    for r in out["days"]:
        left = ", ".join(f"{c} {n}" for c, n in sorted(r.get("left_by_category", {}).items()))
        lines.append(
            f"{r['day']:<11} {r['calls']:>5} {r.get('identifiers_projected', '-'):>9} {r.get('left_in_tier2', '-'):>10} {r.get('left_with_a_word_as_said', '-'):>7} "
            f"{r.get('left_flagged_by_scan', '-'):>7} {r.get('scan_findings', '-'):>8} {r.get('scan_false_alarms', '-'):>3} "
            f"{r.get('gate', '-'):>5}  {r.get('release_state', '-'):<9} {', '.join(r.get('failed_checks', []))}; left: {left or 'none'}"
        )
    lines.append(
        "done (no day holding an identifier passed the gate)" if out["done"]
        else f"NOT done: {', '.join(out['days_passed_holding_identifiers'])} passed holding identifiers"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speech", type=Path, required=True, help="cipher synth speak output (call_NNN.json, <band>/call_NNN.wav)")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--per-day", type=int, default=10)
    parser.add_argument("--model", default=None, help="Whisper model (default: the project's)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data root here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="write the result here too")
    parser.add_argument("--skip", default="", help="call numbers to leave out, comma-separated (say why in the report)")
    parser.add_argument("--rescore", action="store_true",
                        help="measure a finished run in --workdir again with the redactor and scan of now (no Whisper, "
                        "no Dagster run); the same --speech, --calls, --per-day and --skip as the run")
    args = parser.parse_args(argv)
    skip = frozenset(int(n) for n in args.skip.split(",") if n.strip())
    if args.rescore:
        if args.workdir is None or not (args.workdir / "data").is_dir():
            parser.error("--rescore needs the --workdir of a finished run")
        out = rescore(args.speech, args.calls, args.per_day, args.workdir, skip=skip)
    elif args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        out = run(args.speech, args.calls, args.per_day, args.model, args.workdir, skip=skip)
    else:
        with tempfile.TemporaryDirectory(prefix="cipher-gate-e2e-") as tmp:
            out = run(args.speech, args.calls, args.per_day, args.model, Path(tmp), skip=skip)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("\n".join(format_table(out)))
    return 0 if out["done"] else 1


if __name__ == "__main__":
    sys.exit(main())
