"""``cipher bench``: the speed and quality figures Cipher is held to, measured on this machine.

- ASR: synthetic calls (wideband 16 kHz and phone-band 8 kHz) through each packaged Whisper model; audio
  minutes per CPU minute, realtime factor, and word recall against the script that was spoken.
- De-identification: Cipher's engine and presidio-analyzer (same spaCy model) side by side on held-out
  synthetic call transcripts and on the presidio-research set: entity recall, token precision, throughput.

Targets are reported next to each figure; nothing here fails a build.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from cipher_devtools.asr_corpus import measure_records, spoken_call_record
from cipher_devtools.bench_e2e import bench_e2e, format_e2e
from cipher_devtools.bench_long import bench_deid_long, format_deid_long
from cipher_devtools.bench_tier3 import bench_tier3, format_tier3
from cipher_devtools.insights_volume import format_volume, run_volume
from cipher_devtools.process_tree import MEMORY_SCOPE, TreeSampler, mib
from cipher_devtools.evaluate import cipher_predictor, load_presidio, load_synth, presidio_predictor, run
from cipher_devtools.synth import generate_calls
from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.words import US_STATE_BY_CODE
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


def asr_markdown(rows: list[dict]) -> str:
    """The ASR rows as a markdown table (docs/performance.md)."""
    head = ("| model | variant | band | calls | audio min | x realtime | audio min / CPU min | peak MB | WER | WER before "
            "normaliser | WER espeak / piper | insurer | competitor | drug | identifiers | leaked after de-id (as written "
            "/ digits normalised) | de-id entity recall on the projection (as written / digits normalised) (ids); spans "
            "projected of marked | token precision "
            "| silence words | jfk WER |")
    lines = [head, "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|"]
    for r in rows:
        v, t = r["wer_by_voice"], r["terms_recognized"]
        c = r["terms_counted"]
        term = lambda k: f"{t.get(k)} ({c.get(k, 0)})" if k in t else "-"  # noqa: E731
        leaks = (f"{r['identifiers_leaked_after_deid']} / {r['identifiers_leaked_after_deid_digits_normalised']}"
                 f" of {r['identifiers_checked_for_leaks']}" if r.get("identifiers_checked_for_leaks") is not None else "-")
        d = r.get("deid_on_projection")
        recall = (f"{d['as_written']['entity_recall']} / {d['digits_normalised']['entity_recall']} "
                  f"({d['as_written']['entities']}); {d['projected']} of {d['projected'] + d['not_heard'] + d['garbled']}"
                  if d else "-")
        precision = f"{d['as_written']['token_precision']} / {d['digits_normalised']['token_precision']}" if d else "-"
        lines.append(
            f"| {r['model']} | {r['variant']} | {r['band']} | {r['calls']} | {r['audio_minutes']} | {r['x_realtime']} "
            f"| {r['audio_minutes_per_cpu_minute']} | {r['peak_rss_mb']} | {r['wer']} | {r.get('wer_without_whisper_normaliser', '-')} "
            f"| {v.get('espeak-ng')} / {v.get('piper')} "
            f"| {term('insurer')} | {term('competitor')} | {term('drug')} | {r['identifiers_recognized']} ({r['identifiers_counted']}) "
            f"| {leaks} | {recall} | {precision} | {r['silence_hallucinated_words']} | {r['jfk_wer']} |"
        )
    return "\n".join(lines)


def run_bench(args) -> int:
    keep_offline()
    for variant in args.variants:
        variant_options(variant)  # an unknown variant fails here, before any audio is made
    run_asr = args.only in (None, "asr")
    if run_asr and not Path(args.corpus).exists():
        _say(f"bench: the call corpus {args.corpus} is not there (set CIPHER_SHARED_DATA or pass --corpus)")
        if args.only == "asr":
            return 2
        run_asr = False  # `cipher bench` still runs the de-identification part
    report: dict = {"machine": machine(), "load_average_at_start": load_average()}
    if args.only == "asr-synth":
        report["asr"] = bench_asr(args.models, args.calls, args.seed)
    if args.only == "asr-rescore":
        from cipher_devtools.synth.markup import parse_call_numbers

        report["asr_rescore"] = rescore_transcripts(Path(args.transcripts_dir), Path(args.audio_dir),
                                                    parse_call_numbers(args.call_numbers), args.bands)
        print(json.dumps(report["asr_rescore"], indent=1))
    if args.only == "asr-speed":
        from cipher_devtools.synth.markup import parse_call_numbers

        report["asr_speed"] = bench_asr_speed(Path(args.audio_dir), args.bands, args.models[-1], args.variants[0],
                                              args.device, args.compute_type, parse_call_numbers(args.call_numbers),
                                              tuple(args.speed_ways))
    if run_asr:
        from cipher_devtools.synth.markup import parse_call_numbers

        report["asr_calls"] = {
            "corpus": str(args.corpus), "calls": args.call_numbers, "voice_seed": args.voice_seed,
            "rows": bench_asr_calls(Path(args.corpus), parse_call_numbers(args.call_numbers), args.models, args.bands,
                                    args.variants, Path(args.audio_dir), args.voice_seed, args.device,
                                    args.compute_type, not args.no_deid, None if args.no_jfk else Path(args.jfk),
                                    Path(args.transcripts_dir) if args.transcripts_dir else None,
                                    args.center_states, args.cpu_threads),
            "center_states": args.center_states, "cpu_threads": args.cpu_threads or os.cpu_count() or 2,
        }
        report["load_average_at_end"] = load_average()
    if args.only in (None, "deid"):
        report["deid"] = bench_deid(args.docs, args.seed + 1000, args.presidio_limit)
    if args.only in (None, "deid", "deid-long"):
        report["deid_long"] = bench_deid_long()
    if args.only in (None, "tier3"):
        report["tier3"] = bench_tier3(args.tier3_days, args.tier3_calls, args.seed)
    if args.only == "e2e":  # an hour or more on 2 cores: run only when asked
        report["e2e"] = bench_e2e(args.e2e_sizes, args.e2e_model, args.seed, extrapolate_to=[1000],
                                  progress_path=Path(args.e2e_progress) if args.e2e_progress else None,
                                  workdir=Path(args.e2e_workdir) if args.e2e_workdir else None)
    if args.only == "insights-volume":  # several minutes (more with --volume-audio-calls): run only when asked
        from dataclasses import asdict

        run = run_volume(args.volume_weeks, args.volume_calls_per_week, args.volume_audio_calls, args.e2e_model)
        report["insights_volume"] = asdict(run)
        print("\n".join(format_volume(run)))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    if report.get("asr_calls"):
        table = asr_markdown(report["asr_calls"]["rows"])
        if args.markdown:
            Path(args.markdown).write_text(table + "\n")
        print(table)
    print(format_report(report))
    if report.get("deid_long"):
        print("\n".join(format_deid_long(report["deid_long"])))
    if report.get("tier3"):
        print("\n".join(format_tier3(report["tier3"])))
    if report.get("e2e"):
        print("\n".join(format_e2e(report["e2e"])))
    if report.get("asr_speed"):
        print("\n".join(format_asr_speed(report["asr_speed"])))
    return 0


def format_asr_speed(rows: list[dict]) -> list[str]:
    lines = ["", "Transcription step (TranscriberPool, model loading included)",
             f"{'way':<26} {'workers':>7} {'audio min':>9} {'x realtime':>10} {'audio/CPU min':>13} {'peak MiB main':>13} {'peak MiB tree':>13}"]
    for r in rows:
        lines.append(f"{r['way']:<26} {r['workers']:>7} {r['audio_minutes']:>9} {r['x_realtime']:>10} "
                     f"{str(r['audio_minutes_per_cpu_minute']):>13} {r['peak_rss_mib_main']:>13} {r['peak_rss_mib_tree']:>13}")
    lines.append(f"memory: {MEMORY_SCOPE}")
    return lines


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="measure transcription and de-identification speed and quality")
    from cipher_pipeline.settings import shared_data_dir

    parser.add_argument("--only", choices=["asr", "deid", "deid-long", "asr-synth", "asr-speed", "asr-rescore", "tier3",
                                           "e2e", "insights-volume"],
                        help="asr: calls_dev spoken by cipher synth + jfk.flac; deid-long (part of deid): 32,000-character "
                        "inputs, one line and adversarial repeats, timed with the collector's share; asr-synth: the "
                        "generator's own calls; "
                        "asr-rescore: the transcripts saved in --transcripts-dir scored again (gold from --audio-dir), "
                        "with the post-decoding steps of now; "
                        "asr-speed: one process vs process pool vs batched on the calls in --audio-dir; tier3: a month of "
                        "1,000-call days of Tier 3; e2e (only when asked: an hour or more on 2 cores): one day through Dagster; "
                        "insights-volume (only when asked): weeks of planted calls through the Dagster graph, recovery vs truth")
    parser.add_argument("--speed-ways", nargs="+", default=list(SPEED_WAYS), choices=SPEED_WAYS,
                        help="asr-speed: one worker with sequential or batched decoding, and/or one worker per core")
    parser.add_argument("--volume-weeks", type=int, default=5, help="insights-volume: weeks of daily partitions")
    parser.add_argument("--volume-calls-per-week", type=int, default=100, help="insights-volume: planted calls per week")
    parser.add_argument("--volume-audio-calls", type=int, default=0,
                        help="insights-volume: calls of one day spoken by espeak-ng and transcribed by Whisper (--e2e-model)")
    parser.add_argument("--e2e-sizes", nargs="+", type=int, default=[10, 100], help="calls in the benchmark day")
    parser.add_argument("--e2e-model", default="tiny.en", choices=["tiny.en", "base"])
    parser.add_argument("--e2e-progress", help="e2e: rewrite what has been measured so far to this JSON file as the "
                        "bench goes (calls synthesized and transcribed, finished steps), so a run cut short leaves figures")
    parser.add_argument("--e2e-workdir", help="e2e: keep each day's data root and Dagster instance here (default: a "
                        "temporary folder removed at the end)")
    parser.add_argument("--tier3-days", type=int, default=30, help="days of de-identified-shaped Parquet")
    parser.add_argument("--tier3-calls", type=int, default=1000, help="calls per day")
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"], choices=["tiny.en", "base"])
    parser.add_argument("--calls", type=int, default=3, help="asr-synth: synthetic calls per band (about 15%% are missed)")
    parser.add_argument("--corpus", default=str(shared_data_dir() / "calls_dev" / "calls_dev.md"),
                        help="asr: a [[CATEGORY|text]] call corpus to speak and score")
    parser.add_argument("--call-numbers", default="2-16:2",
                        help="asr: which calls, e.g. 1-15:2 (odd: tuning) or 2-16:2 (even: reporting; the default)")
    parser.add_argument("--bands", nargs="+", default=["wideband", "phone"], choices=["wideband", "phone"])
    parser.add_argument("--variants", nargs="+", default=["default"],
                        help=f"asr: decoding variants to compare, each a row: {', '.join(sorted(ASR_VARIANTS))}, "
                        "or several joined with '+' (batched+hotwords)")
    parser.add_argument("--audio-dir", default=str(Path.home() / ".cache" / "cipher" / "bench-calls"),
                        help="asr: where the spoken calls are kept between runs (synthetic audio, outside the repo)")
    parser.add_argument("--center-states",
                        help="asr, with a 'market' variant: each call's center states, from a JSON file {call number: "
                        "[USPS codes]} (a corpus's regions, written by whoever read the calls) or 'named': the states "
                        "the call's own written text names (no state named: national payers only), or 'regions': calls_dev's region "
                        "each call's states and places point to (calls_dev_regions). Default: center.yaml's "
                        "(the demo center's CA, no region of calls_dev)")
    parser.add_argument("--voice-seed", type=int, default=12, help="asr: voice and timing seed for speaking the corpus")
    parser.add_argument("--device", default="cpu", help="asr: cpu or cuda")
    parser.add_argument("--compute-type", default="int8", help="asr: int8 on CPU, float16 on a GPU")
    parser.add_argument("--cpu-threads", type=int, default=None,
                        help="asr: the decoder's threads (default: every core); 1 counts CPU seconds as a pool worker "
                        "does, the figure to compare variants by on a loaded machine")
    parser.add_argument("--no-deid", action="store_true", help="asr: skip de-identifying the transcripts")
    parser.add_argument("--no-jfk", action="store_true", help="asr: skip jfk.flac")
    parser.add_argument("--jfk", default=str(shared_data_dir() / "audio" / "jfk.flac"))
    parser.add_argument("--markdown", help="asr: also write the rows as a markdown table here")
    parser.add_argument("--transcripts-dir", help="asr: write the first model and variant's transcripts here as "
                        "<band>/<call_id>.json (text, projected gold spans, segments; synthetic calls only)")
    parser.add_argument("--docs", type=int, default=300, help="held-out synthetic transcripts per corpus")
    parser.add_argument("--presidio-limit", type=int, default=None, help="score only the first N presidio-research docs")
    parser.add_argument("--seed", type=int, default=9001, help="held out: the de-id engine was not developed on it")
    parser.add_argument("--json", help="also write the report as JSON here")
    parser.set_defaults(func=run_bench)


# ---- ASR on a spoken, marked-up corpus (calls_dev) -------------------------------------------------------------

JFK_TEXT = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
# decoding variants a benchmark row can be asked for; "default" is what the pipeline runs
ASR_VARIANTS = {
    "default": {},
    "previous": {"batch_size": 0, "vocabulary": "none"},  # the settings before issue 12: sequential, no vocabulary
    "sequential": {"batch_size": 0},
    "hotwords": {"vocabulary": "hotwords"},
    "prompt": {"vocabulary": "prompt"},
    "gain": {"normalise_gain": True},
    "vad-phone": {"vad_threshold": 0.35, "vad_threshold_phone": 0.35, "vad_min_silence_ms": 700,
                  "vad_speech_pad_ms": 300},
    # beam width on both bands; "wide-" / "phone-": one band's only (``DecodeOptions.beam_size``, ``beam_size_phone``)
    "beam1": {"beam_size": 1, "beam_size_phone": 1},
    "beam2": {"beam_size": 2, "beam_size_phone": 2},
    "beam3": {"beam_size": 3, "beam_size_phone": 3},
    "beam5": {"beam_size": 5, "beam_size_phone": 5},
    "beam8": {"beam_size": 8, "beam_size_phone": 8},
    "wide-beam2": {"beam_size": 2},
    "wide-beam3": {"beam_size": 3},
    "phone-beam3": {"beam_size_phone": 3},
    # session 13: a wider beam on a phone line only, where the formant voices' phrases are heard as other words
    "phone-beam8": {"beam_size_phone": 8},
    "batched": {"batch_size": 8},
    "no-vocabulary": {"vocabulary": "none"},
    # 8 kHz -> 16 kHz by scipy's polyphase filter instead of libswresample
    "poly": {"resampler": "poly"},
    # faster-whisper's own VAD setting for its batched pipeline: cut at 160 ms pauses (2 s otherwise)
    "vad-short": {"vad_min_silence_ms": 160},
    # VAD speech threshold 0.35 on both bands (session 5-6); phone band alone is the default since session 6
    "vad-0.35": {"vad_threshold": 0.35, "vad_threshold_phone": 0.35},
    "vad-phone-0.5": {"vad_threshold_phone": 0.5},  # the phone band's threshold before session 6
    # sequential decoding only (the batched pipeline ignores them): earlier text as the prompt, temperature fallback
    "condition": {"condition_on_previous_text": True},
    "fallback": {"temperature": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)},
    "no-speech-0.4": {"no_speech_threshold": 0.4},
    # against a decoder repeating itself ("I'm calling, I'm calling, ...")
    "repetition": {"repetition_penalty": 1.1},
    "no-repeat-3": {"no_repeat_ngram_size": 3},
    # session 4, phone band: pre-emphasis 0.97, longer VAD padding for clipped 8 kHz onsets, beam patience 2
    "pre-emphasis": {"pre_emphasis": 0.97},
    "vad-pad": {"vad_speech_pad_ms": 800},  # the default since session 4
    "vad-pad-400": {"vad_speech_pad_ms": 400},  # faster-whisper's padding, the default before
    "patience2": {"extra": {"patience": 2.0}},
    # misheard insurer / competitor names left as Whisper wrote them (asr_terms.normalise_terms off)
    "no-terms": {"vertical_terms": False},
    # what a batched decoding loop swallowed (session 6; found across pieces and re-decoded region by region since
    # session 7), and a VAD region the batched decode wrote nothing for (session 7), decoded again: the default
    # since session 7; "no-redecode" is the decoding before it
    "redecode-loops": {"redecode_loops": True},
    "redecode-unheard": {"redecode_unheard": True},
    "no-redecode": {"redecode_loops": False, "redecode_unheard": False, "redecode_sparse_words_per_s": 0.0},
    # session 8: a region of 3 s or more holding under 0.5 decoded words a second is decoded again too (the
    # default since session 8); "no-sparse" is the decoding before it
    "redecode-sparse": {"redecode_unheard": True, "redecode_sparse_words_per_s": 0.5},
    "no-sparse": {"redecode_sparse_words_per_s": 0.0},
    # session 7: the batched pipeline decodes with timestamp tokens (faster-whisper's batched default is without)
    "timestamps": {"extra": {"without_timestamps": False}},
    # session 8, late: the vocabulary's 200 tokens by declared parts and shares (the center's own name and programs,
    # competitors and referral partners, payers, drugs: ``transcribe.PROMPT_SHARES``) or, "prompt-lexicon", every
    # insurer's main name first (the prompt before)
    "prompt-center": {"vocabulary_order": "center", "prompt_shares": (("center", 0.10), ("market", 0.20),
                                                                      ("payers", 0.55), ("drugs", 0.15))},
    # the same parts with three quarters of the budget to the payers (about as many insurers as before)
    "prompt-center-payers": {"vocabulary_order": "center",
                             "prompt_shares": (("center", 0.05), ("market", 0.10), ("payers", 0.75), ("drugs", 0.10))},
    "prompt-lexicon": {"vocabulary_order": "lexicon"},  # the default before session 9
    # session 10: the vocabulary prompt's length in tokens (``DecodeOptions.prompt_token_budget``; 200 by default)
    "prompt-150": {"prompt_token_budget": 150},
    "prompt-100": {"prompt_token_budget": 100},
    # session 9: the center's own market (``transcribe.MARKET_PROMPT_SHARES``): the payers sold in its states
    # (``--center-states``; without it center.yaml's, the demo center's CA) then the national ones: the default
    # since session 9; "+prompt" puts it in initial_prompt instead of hotwords
    # (the shares written out: transcribe imports faster-whisper, which this module leaves to its jobs; a test
    # holds them equal)
    "prompt-market": {"vocabulary_order": "market",
                      "prompt_shares": (("center", 0.05), ("market", 0.10), ("local_payers", 0.40), ("payers", 0.40),
                                        ("drugs", 0.05))},
}


def variant_options(name: str) -> dict:
    """DecodeOptions arguments of a variant; parts combine with '+': 'batched+hotwords'."""
    options: dict = {}
    for part in name.split("+"):
        if part not in ASR_VARIANTS:
            raise ValueError(f"unknown ASR variant {part!r}; choose from {sorted(ASR_VARIANTS)}, joined with '+'")
        options.update(ASR_VARIANTS[part])
    return options
ID_CATEGORIES = ("PHONE", "FAX", "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID")


def _drug_words() -> set[str]:
    from cipher_pipeline.transcribe import LEXICON_DIR

    words, section = set(), ""
    for line in (LEXICON_DIR / "clinical_safe.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("# ---"):
            section = line
        elif line and not line.startswith("#") and ("medications for opioid" in section or "substances commonly" in section
                                                     or "psychiatric medications" in section):
            words.add(line.lower())
    return words


def _transcribe_job(model: str, variant: str, device: str, compute_type: str, cpu_threads: int,
                    files: list[tuple[str, str, str]], silence_seconds: float,
                    states_by_call: dict[str, tuple[str, ...]] | None = None) -> dict:
    """Runs in a fresh process: load the model once, transcribe every (band, call_id, path), report times and the
    process's peak memory. Text comes back to the parent for scoring and is never printed. ``states_by_call``: each
    call's center states (``DecodeOptions.center_states``; the model is loaded again for each set of states)."""
    import numpy as np

    from cipher_pipeline.transcribe import DecodeOptions, Transcriber, Transcript, with_terms_normalised

    def channels(segments) -> dict[str, str]:
        return {speaker: " ".join(s.text for s in segments if s.speaker == speaker)
                for speaker in ("agent", "caller", "unknown")}

    options = DecodeOptions(**variant_options(variant))
    t0 = time.perf_counter()
    # decoded without the term normaliser, which is applied here as Transcriber.transcribe applies it, so each
    # row scores the vertical terms both as Whisper heard them and as the pipeline stores them
    transcriber = Transcriber(model, compute_type=compute_type, cpu_threads=cpu_threads, device=device,
                              options=dataclasses.replace(options, vertical_terms=False))
    load_seconds = time.perf_counter() - t0
    results = []
    states_by_call = states_by_call or {}
    for band, call_id, path in sorted(files, key=lambda f: states_by_call.get(f[1], ())):
        states = states_by_call.get(call_id)
        if states is not None and states != transcriber.options.center_states:
            t0 = time.perf_counter()
            transcriber = Transcriber(model, compute_type=compute_type, cpu_threads=cpu_threads, device=device,
                                      options=dataclasses.replace(options, vertical_terms=False, center_states=states))
            load_seconds += time.perf_counter() - t0
        c0, w0 = _cpu(), time.perf_counter()
        heard = transcriber.transcribe(Path(path).read_bytes())
        transcript = (Transcript(with_terms_normalised(heard.segments), heard.duration_s, heard.language)
                      if options.vertical_terms else heard)
        results.append({
            "band": band, "call_id": call_id, "duration_s": transcript.duration_s,
            "wall_s": time.perf_counter() - w0, "cpu_s": _cpu() - c0,
            "channels": channels(transcript.segments),
            "channels_heard": channels(heard.segments),
            "text": transcript.text(),
            "segments": [dataclasses.asdict(s) for s in transcript.segments],
        })
    # hallucination on silence: a line's idle hiss (seeded white noise at -60 dBFS) where nobody speaks
    noise = (np.random.default_rng(0).standard_normal(int(16000 * silence_seconds)) * 1e-3).astype(np.float32)
    pieces, _ = transcriber.decode_channel(noise)
    silence_words = sum(len(p.text.split()) for p in pieces)
    return {"results": results, "load_s": load_seconds, "silence_words": silence_words,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _occurrences(tokens: list[str], phrase: list[str]) -> int:
    n = len(phrase)
    return sum(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1)) if n else 0


def leak_counts(gold: dict, redacted: str) -> tuple[int, int]:
    """(identifiers still readable after de-identification, identifiers checked): number-bearing ones matched
    on letters and digits whatever the separators, names as whole words. A value Whisper misheard can no longer
    be matched, so this undercounts leaks of misheard values (the residual scan covers those)."""
    from cipher_pipeline.asr_text import alnum_key

    redacted_key, lowered = alnum_key(redacted), redacted.lower()
    leaked = checked = 0
    for t in gold["turns"]:
        for span in t["spans"]:
            if span["category"] not in ID_CATEGORIES and span["category"] != "NAME":
                continue
            if len(alnum_key(span["text"])) < 4:
                continue
            checked += 1
            if span["category"] == "NAME":
                leaked += bool(re.search(rf"\b{re.escape(span['text'].lower())}\b", lowered))
            else:
                leaked += alnum_key(span["text"]) in redacted_key
    return leaked, checked


def score_call(gold: dict, channels: dict[str, str], drug_words: set[str]) -> dict:
    """Counts for one call: word errors per voice engine, vertical terms and spoken identifiers recognized."""
    from cipher_pipeline.asr_text import alnum_key, edit_distance, score_tokens, wer_tokens

    out: dict = {"ref_words": 0, "errors": 0, "by_voice": {}, "by_voice_name": {}, "terms": {}, "ids": [0, 0],
                 "unnormalised": [0, 0]}
    for speaker in ("agent", "caller"):
        turns = [t for t in gold["turns"] if t["speaker"] == speaker]
        reference_text = " ".join(t["text"] for t in turns)
        hyp_text = channels.get(speaker, "") or ""
        ref, hyp = wer_tokens(reference_text), wer_tokens(hyp_text)
        errors = edit_distance(ref, hyp)
        # the figure before Whisper's normaliser (issue 12's first session): fillers and contractions counted
        ref_plain = score_tokens(reference_text)
        out["unnormalised"][0] += edit_distance(ref_plain, score_tokens(hyp_text))
        out["unnormalised"][1] += len(ref_plain)
        engine = gold["voices"][speaker]["engine"]
        for group, key in (("by_voice", engine), ("by_voice_name", gold["voices"][speaker].get("name", engine))):
            voice = out[group].setdefault(key, [0, 0])
            voice[0] += errors
            voice[1] += len(ref)
        out["errors"] += errors
        out["ref_words"] += len(ref)
        # vertical terms: each reference occurrence counts as recognized while the channel has as many
        wanted: dict[tuple[str, str], int] = {}
        for t in turns:
            for span in t["spans"]:
                if span["category"] in ("INSURER", "COMPETITOR"):
                    key = (span["category"].lower(), " ".join(wer_tokens(span["text"])))
                    wanted[key] = wanted.get(key, 0) + 1
            for word in re.findall(r"[a-z]+", t["text"].lower()):
                if word in drug_words:
                    wanted[("drug", word)] = wanted.get(("drug", word), 0) + 1
        for (kind, phrase), count in wanted.items():
            found = min(count, _occurrences(hyp, phrase.split()))
            counts = out["terms"].setdefault(kind, [0, 0])
            counts[0] += found
            counts[1] += count
        hyp_key = alnum_key(hyp_text)
        for t in turns:
            for span in t["spans"]:
                if span["category"] in ID_CATEGORIES:
                    out["ids"][1] += 1
                    out["ids"][0] += alnum_key(span["text"]) in hyp_key
    return out


def _voice_what_if(by_voice: dict[str, list[int]], ref_words: int) -> float | None:
    piper, espeak = by_voice.get("piper"), by_voice.get("espeak-ng")
    if not piper or not espeak or not piper[1] or not ref_words:
        return None
    return round((piper[0] / piper[1] * espeak[1] + piper[0]) / ref_words, 3)


def _ratio(pair) -> float | None:
    return round(pair[0] / pair[1], 3) if pair and pair[1] else None


def write_transcript(directory: Path, band: str, record: dict, segments: list[dict]) -> Path:
    """``<directory>/<band>/<call_id>.json``: a corpus record (``evaluate.load_jsonl`` fields: text, projected
    gold spans) with the Whisper segments and the settings that made it. Synthetic calls only. Since session 16
    each segment also keeps ``words``: [start, end, probability] per decoded word, offsets into the segment's
    ``text`` (numbers only, ``transcribe.Segment.words``; ``cipher_devtools.asr_doubt`` reads them)."""
    path = directory / band / f"{record['id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({**record, "segments": segments}, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a file
    return path


def _deid_figures(records: list[dict], redactor) -> dict:
    """Entity recall and token precision of the redactor on the projected records, as Whisper wrote the digits and
    with ``asr_text.normalise_digits`` first (spans mapped back)."""
    out = {"projected": sum(r["meta"]["projected"] for r in records),
           "not_heard": sum(r["meta"]["not_heard"] for r in records),
           "garbled": sum(r["meta"]["garbled"] for r in records)}
    for key, normalised in (("as_written", False), ("digits_normalised", True)):
        summary = measure_records(records, redactor, digits_normalised=normalised)
        out[key] = {k: summary[k] for k in ("entities", "entity_recall", "vertical_entities", "vertical_recall",
                                            "token_recall", "token_precision", "leaked")}
    return out


def bench_asr_calls(corpus: Path, numbers: set[int], models: list[str], bands: list[str], variants: list[str],
                    out_dir: Path, seed: int, device: str, compute_type: str, redact: bool, jfk: Path | None,
                    transcripts_dir: Path | None = None, center_states: str | None = None,
                    cpu_threads: int | None = None) -> list[dict]:
    """Speak the chosen calls (reused when already spoken with this seed), transcribe them per model, band and
    decoding variant in a fresh process each (peak memory per row), and score them against the written text.

    With ``redact``, each row also scores de-identification on the real Whisper text: the calls' marked
    identifiers projected onto it (``asr_corpus.project``), the redactor's entity recall and token precision.
    With ``transcripts_dir``, each transcript of the first (model, variant) is written there (``write_transcript``).
    ``center_states``: each call's center states for a "market" variant (``calls_center_states``).
    ``cpu_threads``: the decoder's threads (default: every core). One thread counts CPU seconds as a pool worker
    spends them; with two, a thread that waits for the other under a shared machine's load spins and counts too.
    """
    import multiprocessing
    import subprocess
    from concurrent.futures import ProcessPoolExecutor

    from cipher_pipeline.asr_text import normalise_digits
    from cipher_devtools.synth.markup import speak_corpus

    _say(f"asr: speaking {len(numbers)} calls ({', '.join(bands)}) into {out_dir}")
    spoken = speak_corpus(corpus, out_dir, numbers, tuple(bands), seed)
    golds = {c.call_id: json.loads(c.gold_path.read_text(encoding="utf-8")) for c in spoken}
    states_by_call = calls_center_states(center_states, golds) if center_states else None
    files = [(band, c.call_id, str(c.audio[band])) for band in bands for c in spoken]
    if jfk is not None and jfk.exists():
        phone_jfk = out_dir / "jfk_phone.wav"
        if not phone_jfk.exists():  # the same phone leg as the calls: 300-3400 Hz, 8 kHz, mu-law
            subprocess.run(["sox", "-R", "-D", "-V1", str(jfk), "-e", "u-law", "-c", "1", "-t", "wav", str(phone_jfk),
                            "sinc", "300-3400", "rate", "-h", "8000"], check=True, capture_output=True)
        files += [("wideband", "jfk", str(jfk)), ("phone", "jfk", str(phone_jfk))]
    redactor = None
    if redact:
        from cipher_pipeline.deid import Redactor

        redactor = Redactor.default()
    drug_words = _drug_words()
    rows = []
    threads = cpu_threads or os.cpu_count() or 2
    for model in models:
        for variant in variants:
            _say(f"asr: {model} {variant}: transcribing {len(files)} recordings in a fresh process")
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                job = pool.submit(_transcribe_job, model, variant, device, compute_type, threads, files, 30.0,
                                  states_by_call).result()
            for band in bands:
                results = [r for r in job["results"] if r["band"] == band and r["call_id"] != "jfk"]
                audio = sum(r["duration_s"] for r in results)
                wall = sum(r["wall_s"] for r in results)
                cpu = sum(r["cpu_s"] for r in results)
                total = {"ref_words": 0, "errors": 0, "by_voice": {}, "by_voice_name": {}, "terms": {}, "terms_heard": {},
                         "ids": [0, 0],
                         "leaks": [0, 0], "leaks_normalised": [0, 0], "unnormalised": [0, 0]}
                records = []
                for r in results:
                    gold = golds[r["call_id"]]
                    if redactor or transcripts_dir is not None:
                        meta = {"model": model, "variant": variant, "band": band, "device": device,
                                "compute_type": compute_type, "voice_seed": seed, "duration_s": r["duration_s"],
                                "decode_options": {k: list(v) if isinstance(v, tuple) else v
                                                   for k, v in variant_options(variant).items()}}
                        records.append(spoken_call_record(gold, r["text"], meta))
                        if transcripts_dir is not None and (model, variant) == (models[0], variants[0]):
                            write_transcript(transcripts_dir, band, records[-1], r["segments"])
                    if redactor:
                        # as Whisper wrote the digits, and with them in one form first (asr_text.normalise_digits)
                        for key, text in (("leaks", r["text"]), ("leaks_normalised", normalise_digits(r["text"]).text)):
                            leaked, checked = leak_counts(gold, redactor.redact(text).redacted_text)
                            total[key] = [total[key][0] + leaked, total[key][1] + checked]
                    s = score_call(gold, r["channels"], drug_words)
                    for k, (a, b) in score_call(gold, r.get("channels_heard", r["channels"]), drug_words)["terms"].items():
                        pair = total["terms_heard"].setdefault(k, [0, 0])
                        pair[0] += a
                        pair[1] += b
                    total["ref_words"] += s["ref_words"]
                    total["errors"] += s["errors"]
                    for group in ("by_voice", "by_voice_name", "terms"):
                        for k, (a, b) in s[group].items():
                            pair = total[group].setdefault(k, [0, 0])
                            pair[0] += a
                            pair[1] += b
                    for key in ("ids", "unnormalised"):
                        total[key] = [total[key][0] + s[key][0], total[key][1] + s[key][1]]
                jfk_rows = [r for r in job["results"] if r["band"] == band and r["call_id"] == "jfk"]
                jfk_wer = None
                if jfk_rows:
                    from cipher_pipeline.asr_text import edit_distance, wer_tokens

                    ref = wer_tokens(JFK_TEXT)
                    heard = " ".join(jfk_rows[0]["channels"][k] for k in ("unknown", "caller", "agent"))
                    jfk_wer = round(edit_distance(ref, wer_tokens(heard)) / len(ref), 3)
                rows.append({
                    "model": model, "variant": variant, "band": band, "device": device, "compute_type": compute_type,
                    "calls": len(results), "audio_minutes": round(audio / 60, 2), "wall_seconds": round(wall, 1),
                    "cpu_seconds": round(cpu, 1), "realtime_factor": round(wall / audio, 3) if audio else None,
                    "x_realtime": round(audio / wall, 1) if wall else None,
                    "audio_minutes_per_cpu_minute": round(audio / cpu, 2) if cpu else None,
                    "model_load_seconds": round(job["load_s"], 1), "peak_rss_mb": round(job["peak_rss_mb"]),
                    "wer": _ratio([total["errors"], total["ref_words"]]),
                    "word_errors": total["errors"], "reference_words": total["ref_words"],  # to pool rows
                    "wer_without_whisper_normaliser": _ratio(total["unnormalised"]),
                    "wer_by_voice": {k: _ratio(v) for k, v in sorted(total["by_voice"].items())},
                    "wer_by_voice_name": {k: _ratio(v) for k, v in sorted(total["by_voice_name"].items())},
                    # the WER had the espeak-ng channels been heard as well as the Piper ones: what the synthetic
                    # formant voices, not the band or the content, cost
                    "wer_if_espeak_as_piper": _voice_what_if(total["by_voice"], total["ref_words"]),
                    "terms_recognized": {k: _ratio(v) for k, v in sorted(total["terms"].items())},
                    "terms_counted": {k: v[1] for k, v in sorted(total["terms"].items())},
                    # before asr_terms.normalise_terms put misheard names back
                    "terms_recognized_as_heard": {k: _ratio(v) for k, v in sorted(total["terms_heard"].items())},
                    "identifiers_recognized": _ratio(total["ids"]), "identifiers_counted": total["ids"][1],
                    "identifiers_leaked_after_deid": total["leaks"][0] if redactor else None,
                    "identifiers_checked_for_leaks": total["leaks"][1] if redactor else None,
                    "identifiers_leaked_after_deid_digits_normalised": total["leaks_normalised"][0] if redactor else None,
                    "silence_hallucinated_words": job["silence_words"],
                    "jfk_wer": jfk_wer,
                    "deid_on_projection": _deid_figures(records, redactor) if redactor and records else None,
                })
                _say(f"asr: {model} {variant} {band}: WER {rows[-1]['wer']}, {rows[-1]['x_realtime']}x realtime")
    return rows


US_STATE_CODES = {name: code for code, name in US_STATE_BY_CODE.items()}  # "west virginia" -> "WV"
_STATE_NAMED = re.compile(r"\b(" + "|".join(sorted(US_STATE_CODES, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def states_named(text: str) -> tuple[str, ...]:
    """The USPS codes of the states a text names, sorted ("West Virginia" is WV, not VA)."""
    return tuple(sorted({US_STATE_CODES[m.lower()] for m in _STATE_NAMED.findall(text)}))


# calls_dev's centers: ten calls in each of these regions (its README, "Coverage"), whose market is all of the
# region's states; the corpus marks no single call's region, so ``calls_dev_regions`` infers it
CALLS_DEV_REGIONS = (("TX",), ("FL",), ("OH",), ("PA",), ("GA",), ("WA", "OR"), ("MA", "RI", "CT", "NH", "VT", "ME"),
                     ("CO",))


def _place_states() -> dict[str, frozenset[str]]:
    """A US post-office town's name (and its accepted alternates), lowercased -> the codes of the states a town of that
    name is in: the redactor's own towns-by-state table (``geography._towns_by_state``, read from ``zipcodes`` once)
    turned around."""
    from cipher_pipeline.deid.geography import _towns_by_state

    states: dict[str, set[str]] = {}
    for state, towns in _towns_by_state().items():
        for town in towns:
            states.setdefault(town, set()).add(US_STATE_CODES[state])
    return {name: frozenset(codes) for name, codes in states.items()}


def calls_dev_regions(golds: dict[str, dict], regions: tuple[tuple[str, ...], ...] = CALLS_DEV_REGIONS,
                      ) -> dict[str, tuple[str, ...]]:
    """Each call's center region, all its states, as session 9 read ten calls by hand, now by rule, so held-out
    calls get one without anyone reading them: every state the call's turns name outside an insurer's name (a plan
    named for a state is sold there, not a sign of where the center is) is a vote for its region, and every place
    span (GEO) a town of the corpus's regions is a vote split across the regions a town of that name is in. The
    region with the most votes wins; a tie or no vote: no states (the national payers only). Then once more with
    what the decided calls teach: a place said in two or more of them, all of one region (a center's own site, "our
    Mansfield campus", recurs across its calls), votes for that region alone. Only the region goes into a prompt,
    never the place that voted for it."""
    region_of = {code: region for region in regions for code in region}
    towns = _place_states()

    def places(gold: dict) -> list[str]:
        return [s["text"].lower() for t in gold["turns"] for s in t.get("spans") or () if s["category"] == "GEO"]

    def decide(gold: dict, learned: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        votes: Counter = Counter()
        for turn in gold["turns"]:
            text = turn["text"]
            for span in turn.get("spans") or ():  # an insurer's words blanked: "Blue Cross Blue Shield of Texas"
                if span["category"] == "INSURER":
                    text = text[:span["start"]] + " " * (span["end"] - span["start"]) + text[span["end"]:]
            for code in states_named(text):
                if code in region_of:
                    votes[region_of[code]] += 1.0
        for place in places(gold):
            hit = ({learned[place]} if place in learned
                   else {region_of[c] for c in towns.get(place, ()) if c in region_of})
            for region in hit:
                votes[region] += 1.0 / len(hit)
        ranked = votes.most_common(2)
        return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else ()

    first = {call_id: decide(gold, {}) for call_id, gold in golds.items()}
    seen: dict[str, Counter] = {}
    for call_id, region in first.items():
        for place in set(places(golds[call_id])) if region else ():
            seen.setdefault(place, Counter())[region] += 1
    learned = {place: next(iter(c)) for place, c in seen.items() if len(c) == 1 and sum(c.values()) >= 2}
    return {call_id: region or decide(golds[call_id], learned) for call_id, region in first.items()}


def calls_center_states(source: str, golds: dict[str, dict]) -> dict[str, tuple[str, ...]]:
    """Each call's center states for a "market" prompt: ``source`` a JSON file {call number: [codes]} (calls it does
    not list: no states, national payers only), "named": the states each call's written turns name, or "regions":
    calls_dev's region each call's states and places point to (``calls_dev_regions``). None is what a deployment
    hears: a center configures its states; the bench stands in for that with the corpus's own regions, and says
    which."""
    def number(call_id: str) -> str:
        return str(int(call_id.rsplit("_", 1)[-1]))

    if source == "named":
        return {call_id: states_named(" ".join(t["text"] for t in gold["turns"])) for call_id, gold in golds.items()}
    if source == "regions":
        return calls_dev_regions(golds)
    declared = {str(int(k)): tuple(v) for k, v in json.loads(Path(source).read_text(encoding="utf-8")).items()}
    return {call_id: declared.get(number(call_id), ()) for call_id in golds}


SPEED_WAYS = ("sequential", "batched", "pool")


def bench_asr_speed(audio_dir: Path, bands: list[str], model: str, variant: str, device: str, compute_type: str,
                    numbers: set[int] | None = None, ways: tuple[str, ...] = SPEED_WAYS) -> list[dict]:
    """The whole transcription step on the already spoken calls (``numbers`` of them, default all), model loading
    included, three ways, each through ``TranscriberPool`` as the ``transcripts`` asset runs it: one worker using
    every core (sequential 30 s windows, then faster-whisper's batched pipeline) and one single-threaded worker per
    core decoding whole recordings side by side (batched pipeline inside each).

    Besides wall time, each row counts the workers' CPU time. On a shared machine wall time measures the
    neighbours too; CPU time much less. One single-threaded worker per core is busy only while it decodes, so
    ``cores x audio / CPU`` is what the pool gives on idle cores (less the start-up and the last recording's
    tail); for one worker with threads the same figure is only an upper bound (its serial parts leave a core idle).
    """
    from dataclasses import replace

    from cipher_pipeline.transcribe import DecodeOptions, TranscriberPool

    paths = [p for band in bands for p in sorted((audio_dir / band).glob("call_*.wav"))
             if numbers is None or int(p.stem.split("_")[-1]) in numbers]
    payloads = [p.read_bytes() for p in paths]
    options = DecodeOptions(**variant_options(variant))
    cores = os.cpu_count() or 2
    rows = []
    for way, workers, batch in (("one process, sequential", 1, 0), ("one process, batched", 1, options.batch_size or 8),
                                ("process pool", cores, options.batch_size or 8)):
        if way.split()[-1] not in ways:
            continue
        _say(f"asr-speed: {way}, {len(payloads)} recordings")
        c0, w0 = _children_cpu(), time.perf_counter()
        with TreeSampler(interval=0.2) as memory:  # the workers are child processes: the tree holds the models
            with TranscriberPool(workers, model, compute_type, device, replace(options, batch_size=batch)) as pool:
                results = list(pool.map(payloads))
        wall = time.perf_counter() - w0
        cpu = _children_cpu() - c0  # the workers are reaped when the pool closes: their CPU time is counted
        failed = [r for r in results if isinstance(r, Exception)]
        audio = sum(r.duration_s for r in results if not isinstance(r, Exception))
        rows.append({"way": way, "workers": workers, "threads_per_worker": max(1, cores // workers), "model": model,
                     "variant": variant, "recordings": len(payloads), "failed": len(failed),
                     "audio_minutes": round(audio / 60, 2), "wall_seconds_with_load": round(wall, 1),
                     "x_realtime": round(audio / wall, 1), "cpu_seconds": round(cpu, 1),
                     "audio_minutes_per_cpu_minute": round(audio / cpu, 2) if cpu else None,
                     ("idle_x_realtime_estimate" if workers == cores else "idle_x_realtime_upper_bound"):
                         round(cores * audio / cpu, 1) if cpu else None,
                     "peak_rss_mib_main": mib(memory.peak()), "peak_rss_mib_tree": mib(memory.peak(tree=True)),
                     "memory_scope": MEMORY_SCOPE, "load_average": load_average()})
        _say(f"asr-speed: {way}: {rows[-1]['x_realtime']}x realtime, {rows[-1]['audio_minutes_per_cpu_minute']} "
             f"audio min per CPU min, peak memory {rows[-1]['peak_rss_mib_main']} MiB main process / "
             f"{rows[-1]['peak_rss_mib_tree']} MiB with its {workers} worker(s)")
    return rows


def rescore_transcripts(transcripts_dir: Path, audio_dir: Path, numbers: set[int], bands: list[str]) -> list[dict]:
    """Saved transcripts (``--transcripts-dir`` of an earlier ``--only asr`` run) scored again against the calls'
    gold, as Whisper's segments were saved and with ``asr_terms.normalise_terms`` applied to them (what the
    pipeline stores now), without decoding anything: a post-decoding step measured on hundreds of segments in
    seconds. The gold comes from the ``cipher synth speak`` folder (``audio_dir/call_NNN.json``)."""
    from cipher_devtools.asr_errors import ERROR_CLASSES, channel_error_classes
    from cipher_pipeline.transcribe import Segment, with_loops_collapsed, with_terms_normalised

    drug_words = _drug_words()
    rows = []
    for band in bands:
        totals = {"heard": {}, "normalised": {}}
        classes: Counter = Counter()
        classes_by_voice: dict[str, Counter] = {}
        calls = 0
        for number in sorted(numbers):
            saved = transcripts_dir / band / f"call_{number:03d}.json"
            gold_path = audio_dir / f"call_{number:03d}.json"
            if not saved.exists() or not gold_path.exists():
                continue
            calls += 1
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            segments = [Segment(**seg) for seg in json.loads(saved.read_text(encoding="utf-8"))["segments"]]
            for key, segs in (("heard", segments),
                              ("normalised", with_terms_normalised(with_loops_collapsed(segments)))):
                channels = {spk: " ".join(x.text for x in segs if x.speaker == spk) for spk in ("agent", "caller")}
                score = score_call(gold, channels, drug_words)
                if key == "normalised":
                    for speaker, counts in channel_error_classes(gold, channels, drug_words).items():
                        classes.update(counts)
                        classes_by_voice.setdefault(gold["voices"][speaker]["engine"], Counter()).update(counts)
                total = totals[key]
                for field in ("errors", "ref_words"):
                    total[field] = total.get(field, 0) + score[field]
                for group in ("by_voice", "by_voice_name", "terms"):
                    for k, (a, b) in score[group].items():
                        pair = total.setdefault(group, {}).setdefault(k, [0, 0])
                        pair[0] += a
                        pair[1] += b
                total["ids"] = [x + y for x, y in zip(total.get("ids", [0, 0]), score["ids"])]
        if not calls:
            continue
        t, h = totals["normalised"], totals["heard"]
        rows.append({
            "band": band, "calls": calls, "transcripts": str(transcripts_dir),
            "wer": _ratio([t["errors"], t["ref_words"]]), "word_errors": t["errors"], "reference_words": t["ref_words"],
            "wer_as_saved": _ratio([h["errors"], h["ref_words"]]),
            "wer_by_voice": {k: _ratio(v) for k, v in sorted(t["by_voice"].items())},
            "wer_by_voice_name": {k: _ratio(v) for k, v in sorted(t["by_voice_name"].items())},
            "wer_if_espeak_as_piper": _voice_what_if(t["by_voice"], t["ref_words"]),
            "terms_recognized": {k: f"{a}/{b}" for k, (a, b) in sorted(t["terms"].items())},
            "terms_recognized_as_saved": {k: f"{a}/{b}" for k, (a, b) in sorted(h["terms"].items())},
            "identifiers_recognized": f"{t['ids'][0]}/{t['ids'][1]}",
            # word errors by class (cipher_devtools/asr_errors.py), on the reference tokenised span by span
            "errors_by_class": {k: classes[k] for k in ERROR_CLASSES},
            "errors_by_class_reference_words": classes["_ref_words"],
            # the same split per voice engine (espeak-ng / piper), each with its reference words
            "errors_by_class_by_voice": {voice: {k: c[k] for k in (*ERROR_CLASSES, "_ref_words")}
                                         for voice, c in sorted(classes_by_voice.items())},
        })
        _say(f"asr-rescore: {band}: {calls} calls, WER {rows[-1]['wer']}, terms {rows[-1]['terms_recognized']} "
             f"(as saved {rows[-1]['terms_recognized_as_saved']})")
    return rows


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
