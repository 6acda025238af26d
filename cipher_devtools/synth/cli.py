"""``cipher synth calls``, ``cipher synth speak`` and ``cipher synth corpus``: make synthetic admissions calls."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from cipher_devtools.synth import generate_calls
from cipher_devtools.synth.corpus import generate_corpus


def _calls(args: argparse.Namespace) -> int:
    start = date.fromisoformat(args.start)
    days = [start + timedelta(days=i) for i in range(args.days)]

    def progress(done: int, total: int) -> None:
        print(f"\rsynth: {done}/{total} calls", end="" if done < total else "\n", file=sys.stderr, flush=True)

    result = generate_calls(inbox=Path(args.inbox), gold=Path(args.gold), days=days, calls_per_day=args.calls_per_day,
                            seed=args.seed, phone_band=args.phone_band, progress=progress)
    answered = sum(c.answered for c in result.calls)
    print(f"synth: {len(result.calls)} calls over {len(days)} day(s), {answered} answered, "
          f"{result.audio_seconds:.0f} s of audio", file=sys.stderr)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    records = generate_corpus(args.n, args.seed, asr_style=args.asr_style)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    spans = sum(len(r["spans"]) for r in records)
    print(f"synth: wrote {len(records)} calls with {spans} identifier spans to {out}", file=sys.stderr)
    return 0


def _speak(args: argparse.Namespace) -> int:
    from cipher_devtools.synth.markup import MarkupError, parse_call_numbers, speak_corpus

    def progress(done: int, total: int) -> None:
        print(f"\rsynth: {done}/{total} calls", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        numbers = parse_call_numbers(args.calls) if args.calls else None
        spoken = speak_corpus(Path(args.corpus), Path(args.out), numbers, tuple(args.bands), args.seed, progress)
    except (MarkupError, ValueError, FileNotFoundError) as exc:
        print(f"synth speak: {exc}", file=sys.stderr)
        return 2
    seconds = sum(c.duration_s for c in spoken)
    print(f"synth: spoke {len(spoken)} calls ({seconds:.0f} s each band) into {args.out}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``synth`` with its ``calls`` and ``corpus`` sub-commands."""
    synth = subparsers.add_parser("synth", help="generate synthetic, fictional admissions calls")
    sub = synth.add_subparsers(dest="synth_command", metavar="WHAT")

    calls = sub.add_parser("calls", help="stereo call recordings + call_tracking.csv into an inbox, gold labels apart")
    calls.add_argument("--inbox", default="data/inbox", help="inbox root (default: data/inbox)")
    calls.add_argument("--gold", default="data/gold", help="gold annotation root (default: data/gold)")
    calls.add_argument("--days", type=int, default=3, help="number of consecutive days (default: 3)")
    calls.add_argument("--start", default="2026-11-18", help="first day, YYYY-MM-DD (default: 2026-11-18)")
    calls.add_argument("--calls-per-day", type=int, default=4, help="calls per day (default: 4)")
    calls.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    calls.add_argument("--phone-band", action="store_true", help="8 kHz audio band-limited to 300-3400 Hz")
    calls.set_defaults(func=_calls)

    speak = sub.add_parser("speak", help="speak a [[CATEGORY|text]] call corpus (calls_dev.md) into stereo recordings + gold")
    speak.add_argument("corpus", help="marked-up corpus, e.g. ../shared/data/calls_dev/calls_dev.md")
    speak.add_argument("--out", required=True, help="output folder: <band>/call_NNN.wav and call_NNN.json")
    speak.add_argument("--calls", help="which calls: 2,4,6 or 2-24:2 (default: all)")
    speak.add_argument("--bands", nargs="+", default=["wideband", "phone"], choices=["wideband", "phone"])
    speak.add_argument("--seed", type=int, default=12, help="voice and timing seed (default: 12)")
    speak.set_defaults(func=_speak)

    corpus = sub.add_parser("corpus", help="text-only calls with identifier spans, as JSON lines")
    corpus.add_argument("--n", type=int, default=300, help="number of calls (default: 300)")
    corpus.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    corpus.add_argument("-o", "--output", required=True, help="output .jsonl path")
    corpus.add_argument("--asr-style", action="store_true", help="render like Whisper output on phone calls")
    corpus.set_defaults(func=_corpus)

    synth.set_defaults(func=lambda args: (synth.print_help(), 2)[1])
