"""``cipher bench``: the speed and quality figures Cipher is held to, measured on this machine.

- ASR: synthetic calls (wideband 16 kHz and phone-band 8 kHz) through each packaged Whisper model; audio
  minutes per CPU minute, realtime factor, and word recall against the script that was spoken.
- De-identification: Cipher's engine and presidio-analyzer (same spaCy model) side by side on held-out
  synthetic call transcripts and on the presidio-research set: entity recall, token precision, throughput.

Targets are reported next to each figure; nothing here fails a build.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from cipher_devtools.bench_e2e import bench_e2e, format_e2e
from cipher_devtools.bench_tier3 import bench_tier3, format_tier3
from cipher_devtools.evaluate import cipher_predictor, load_presidio, load_synth, presidio_predictor, run
from cipher_devtools.synth import generate_calls
from cipher_pipeline.deid import Redactor
from cipher_pipeline.gate.residual import DIRECT, scan_text
from cipher_pipeline.settings import keep_offline

TARGETS = {
    "synth_entity_recall": 0.99,
    "synth_token_precision": 0.85,
    "presidio_entity_recall": 0.95,
    "throughput_vs_presidio": 3.0,
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    return {"cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(), "processor": platform.processor() or "?"}


def _gold_leaks(gold: dict, redacted: str) -> tuple[int, int, dict[str, int]]:
    """(identifiers checked, identifiers leaked, leaks per category) for one call's planted identifiers.

    Number-like identifiers are matched as digit strings (whatever the ASR's formatting); words as whole words,
    case-insensitive. An identifier the ASR misheard can no longer be matched, so this undercounts leaks of
    misheard values; the residual scan, which needs no gold, covers those.
    """
    digits = re.sub(r"\D", "", redacted)
    lowered = redacted.lower()
    checked = leaked = 0
    by_category: dict[str, int] = {}
    for ident in gold["identifiers"] + gold.get("metadata_identifiers", []):
        value = str(ident["value"])
        value_digits = re.sub(r"\D", "", value)
        if len(value_digits) >= 5:
            checked += 1
            hit = value_digits in digits
        elif re.fullmatch(r"[A-Za-z][A-Za-z' .-]+", value) and ident["category"] in {"NAME", "LOCATION"}:
            checked += 1
            hit = any(re.search(rf"\b{re.escape(part.lower())}\b", lowered) for part in value.split() if len(part) > 3)
        else:
            continue
        if hit:
            leaked += 1
            by_category[ident["category"]] = by_category.get(ident["category"], 0) + 1
    return checked, leaked, by_category


def bench_asr(models: list[str], calls: int, seed: int) -> list[dict]:
    # Here, not at the top: `cipher` registers this command on every invocation, and faster-whisper takes
    # seconds to import.
    from cipher_pipeline.transcribe import Transcriber

    redactor = Redactor.default()

    rows = []
    with tempfile.TemporaryDirectory(prefix="cipher-bench-") as tmp:
        for band in ("wideband", "phone"):
            base = Path(tmp) / band
            _say(f"asr: synthesizing {calls} {band} calls")
            synth = generate_calls(base / "inbox", base / "gold", [date(2026, 11, 2)], calls, seed, phone_band=band == "phone")
            answered = [c for c in synth.calls if c.answered]
            for model in models:
                transcriber = Transcriber(model)
                audio = cpu = wall = 0.0
                spoken_words = heard_words = 0
                checked = leaked = residual_direct = 0
                leaks: dict[str, int] = {}
                for index, call in enumerate(answered, start=1):
                    gold = json.loads(call.gold_path.read_text())
                    c0, w0 = _cpu(), time.perf_counter()
                    result = transcriber.transcribe(call.path.read_bytes())
                    cpu += _cpu() - c0
                    wall += time.perf_counter() - w0
                    audio += result.duration_s
                    spoken = re.findall(r"[a-z']+", " ".join(t.get("speech") or t["text"] for t in gold["turns"]).lower())
                    heard = set(re.findall(r"[a-z']+", result.text().lower()))
                    spoken_words += len(spoken)
                    heard_words += sum(w in heard for w in spoken)
                    # De-identification on real ASR output: gold leaks, and what the independent scan still finds.
                    redacted = redactor.redact(result.text()).redacted_text
                    c, l, by_cat = _gold_leaks(gold, redacted)
                    checked, leaked = checked + c, leaked + l
                    for cat, n in by_cat.items():
                        leaks[cat] = leaks.get(cat, 0) + n
                    residual_direct += sum(r.category in DIRECT for r in scan_text(redacted))
                    _say(f"asr: {model} {band} {index}/{len(answered)} calls")
                rows.append(
                    {
                        "model": model,
                        "band": band,
                        "calls": len(answered),
                        "audio_minutes": round(audio / 60, 2),
                        "wall_seconds": round(wall, 1),
                        "cpu_seconds": round(cpu, 1),
                        "realtime_factor": round(wall / audio, 3),
                        "audio_minutes_per_cpu_minute": round(audio / cpu, 2),
                        "word_recall": round(heard_words / max(spoken_words, 1), 3),
                        "identifiers_checked": checked,
                        "identifiers_leaked": leaked,
                        "leaks_by_category": leaks,
                        "residual_direct_by_scan": residual_direct,
                    }
                )
    return rows


def _interleaved_speedup(docs, cipher, presidio, batch: int = 32) -> float | None:
    """Presidio's time over Cipher's on the same batches, timed alternately batch by batch after a warm-up, so
    that both engines see the same load: on a shared machine the two whole-corpus runs above can be minutes
    apart under different load, and their ratio then measures the neighbours as much as the engines."""
    texts = [d.text for d in docs]
    cipher(texts[:4]), presidio(texts[:4])  # warm-up: lazy loads out of the timing
    ours = theirs = 0.0
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        t0 = time.perf_counter()
        cipher(chunk)
        t1 = time.perf_counter()
        presidio(chunk)
        ours, theirs = ours + (t1 - t0), theirs + (time.perf_counter() - t1)
    return round(theirs / ours, 2) if ours else None


def bench_deid(n: int, seed: int, presidio_limit: int | None) -> dict:
    redactor = Redactor.default()
    cipher = cipher_predictor(redactor)
    presidio = presidio_predictor()
    out = {"engine_version": redactor.version}
    corpora = {
        "synth_clean": load_synth(n, seed, asr_style=False),
        "synth_asr": load_synth(n, seed + 1, asr_style=True),
        "presidio": load_presidio(limit=presidio_limit),
    }
    for name, docs in corpora.items():
        _say(f"deid: {name} ({len(docs)} docs), cipher")
        ours = run(docs, cipher).summary()
        _say(f"deid: {name} ({len(docs)} docs), presidio-analyzer")
        theirs = run(docs, presidio).summary()
        words_per_doc = sum(len(d.text.split()) for d in docs) / max(len(docs), 1)  # whitespace tokens
        interleaved = _interleaved_speedup(docs, cipher, presidio)
        for summary in (ours, theirs):
            summary["tokens_per_sec"] = round(summary["docs_per_sec"] * words_per_doc)
        out[name] = {
            "cipher": {k: ours[k] for k in ("docs", "entities", "entity_recall", "token_recall", "token_precision", "docs_per_sec", "tokens_per_sec", "chars_per_sec", "leaked")},
            "presidio": {k: theirs[k] for k in ("entity_recall", "token_recall", "token_precision", "docs_per_sec", "tokens_per_sec", "chars_per_sec")},
            "per_category": ours["per_category"],
            "speedup_vs_presidio": round(ours["chars_per_sec"] / theirs["chars_per_sec"], 2) if theirs["chars_per_sec"] else None,
            "speedup_interleaved": interleaved,
        }
    return out


def format_report(report: dict) -> str:
    lines = [f"Cipher bench on {report['machine']['cpus']} CPUs ({report['machine']['machine']}, Python {report['machine']['python']})"]
    if report.get("asr"):
        lines += [
            "",
            "ASR (faster-whisper int8, CPU), then de-identification of the real ASR output",
            f"{'model':<8} {'band':<9} {'calls':>5} {'audio min':>9} {'RTF':>6} {'audio min/CPU min':>17} {'word recall':>11}"
            f" {'ids leaked':>12} {'scan direct':>11}",
        ]
        for r in report["asr"]:
            lines.append(
                f"{r['model']:<8} {r['band']:<9} {r['calls']:>5} {r['audio_minutes']:>9} {r['realtime_factor']:>6} "
                f"{r['audio_minutes_per_cpu_minute']:>17} {r['word_recall']:>11} "
                f"{str(r['identifiers_leaked']) + '/' + str(r['identifiers_checked']):>12} {r['residual_direct_by_scan']:>11}"
                + (f"  leaks: {r['leaks_by_category']}" if r["leaks_by_category"] else "")
            )
    if report.get("deid"):
        d = report["deid"]
        lines += ["", f"De-identification (engine {d['engine_version']}) vs presidio-analyzer, same spaCy model"]
        lines.append(f"{'corpus':<12} {'engine':<9} {'entity rec':>10} {'token rec':>9} {'token prec':>10} {'docs/s':>7} {'tokens/s':>8} {'chars/s':>9}")
        for name in ("synth_clean", "synth_asr", "presidio"):
            for engine in ("cipher", "presidio"):
                r = d[name][engine]
                lines.append(
                    f"{name:<12} {engine:<9} {r['entity_recall']:>10} {r['token_recall']:>9} {r['token_precision']:>10} {r['docs_per_sec']:>7} {r['tokens_per_sec']:>8} {r['chars_per_sec']:>9}"
                )
            lines.append(f"{'':<12} speed-up {d[name]['speedup_vs_presidio']}x, interleaved batch by batch "
                         f"{d[name].get('speedup_interleaved')}x (target {TARGETS['throughput_vs_presidio']}x)")
        lines.append(
            f"targets: synthetic entity recall >= {TARGETS['synth_entity_recall']}, token precision >= "
            f"{TARGETS['synth_token_precision']}; presidio-set entity recall >= {TARGETS['presidio_entity_recall']}"
        )
    return "\n".join(lines)


def run_bench(args) -> int:
    keep_offline()
    report: dict = {"machine": machine(), "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    if args.only in (None, "asr"):
        report["asr"] = bench_asr(args.models, args.calls, args.seed)
    if args.only in (None, "deid"):
        report["deid"] = bench_deid(args.docs, args.seed + 1000, args.presidio_limit)
    if args.only in (None, "tier3"):
        report["tier3"] = bench_tier3(args.tier3_days, args.tier3_calls, args.seed)
    if args.only in (None, "e2e"):
        report["e2e"] = bench_e2e(args.e2e_sizes, args.e2e_model, args.seed, extrapolate_to=[1000])
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    print(format_report(report))
    if report.get("tier3"):
        print("\n".join(format_tier3(report["tier3"])))
    if report.get("e2e"):
        print("\n".join(format_e2e(report["e2e"])))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="measure transcription and de-identification speed and quality")
    parser.add_argument("--only", choices=["asr", "deid", "tier3", "e2e"])
    parser.add_argument("--e2e-sizes", nargs="+", type=int, default=[10, 100], help="calls in the benchmark day")
    parser.add_argument("--e2e-model", default="tiny.en", choices=["tiny.en", "base"])
    parser.add_argument("--tier3-days", type=int, default=30, help="days of de-identified-shaped Parquet")
    parser.add_argument("--tier3-calls", type=int, default=1000, help="calls per day")
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"], choices=["tiny.en", "base"])
    parser.add_argument("--calls", type=int, default=3, help="synthetic calls per band (about 15%% are missed calls)")
    parser.add_argument("--docs", type=int, default=300, help="held-out synthetic transcripts per corpus")
    parser.add_argument("--presidio-limit", type=int, default=None, help="score only the first N presidio-research docs")
    parser.add_argument("--seed", type=int, default=9001, help="held out: the de-id engine was not developed on it")
    parser.add_argument("--json", help="also write the report as JSON here")
    parser.set_defaults(func=run_bench)
