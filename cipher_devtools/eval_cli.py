"""``cipher eval``: score the de-identification engine on an annotated corpus (presidio-research, calls_dev,
PhysioNet, the synthetic generator or a .jsonl file); and ``python -m cipher_devtools.eval_cli CORPUS ...``, which
scores the engine with and without the ``asr`` layer's spans added again (see :func:`score_asr_layer`).

Dev tooling, not product: it needs the evaluation loaders (``evaluate.py``) and the generator, so it lives here and
``cipher_pipeline/cli.py`` registers it from its list of command modules, like ``cipher synth`` and ``cipher bench``.
It prints counts and rates only, except ``--show-leaks`` on synthetic corpora (calls_dev: the odd half only), which
lists what was missed so a developer can fix it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from cipher_devtools import evaluate as ev
from cipher_devtools.evaluate import CALLS_DEV_HALVES, PHYSIONET_SPLITS
from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.engine import layer_names
from cipher_pipeline.deid.asr_shapes import combined_predictor


def _eval(args: argparse.Namespace) -> int:
    if args.split and args.corpus != "physionet":
        # only PhysioNet has a development split; scoring a whole corpus under a split's name would pass a held-out
        # figure off as a development one (presidio-research is scored whole: a guard, never tuned on; calls_dev and
        # a blind corpus by --path choose calls with --half, and "--split dev" there scored a blind corpus's held-out
        # half too, read20)
        print(f"eval: --split applies to --corpus physionet only ({args.corpus} has no development split; calls_dev "
              "and the blind corpora take --half)", file=sys.stderr)
        return 2
    if args.corpus == "calls_dev":
        return _eval_calls_dev(args)
    synthetic = True
    if args.corpus == "presidio":
        docs = ev.load_presidio(Path(args.path) if args.path else ev.PRESIDIO_DEFAULT_PATH, limit=args.limit,
                                ignore_weekdays=not args.count_weekdays)
    elif args.corpus == "physionet":
        if not args.path:
            print(f"eval: --corpus physionet needs --path, the git directory of a mirror of {ev.PHYSIONET_REPO}",
                  file=sys.stderr)
            return 2
        docs = ev.load_physionet(Path(args.path), limit=args.limit, split=args.split)
        synthetic = False  # real (de-identified) clinical notes: never print what was missed
    elif args.corpus == "synth":
        docs = ev.load_synth(args.n, args.seed, asr_style=args.asr_style)
    else:
        docs = ev.load_jsonl(Path(args.corpus))
        synthetic = args.synthetic
    if args.limit:
        docs = docs[: args.limit]
    t0 = time.perf_counter()
    redactor = Redactor.default(disabled_layers=set(args.disable_layer or []))
    load_s = time.perf_counter() - t0
    corpus_name = args.corpus + (f" split={args.split}" if args.corpus == "physionet" and args.split else "")
    report: dict = {"corpus": corpus_name, "engine_version": redactor.version, "layers": redactor.active_layers,
                    "load_seconds": round(load_s, 2)}
    cipher = ev.run(docs, ev.cipher_predictor(redactor, args.by_recognizer), batch_size=args.batch_size)
    report["cipher"] = cipher.summary(with_leaks=args.show_leaks and synthetic)
    if args.compare_presidio:
        presidio = ev.run(docs, ev.presidio_predictor(), batch_size=args.batch_size)
        report["presidio"] = presidio.summary()
        if presidio.seconds and cipher.seconds:
            report["speedup_vs_presidio"] = round(presidio.seconds / cipher.seconds, 2)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    _print_report(report)
    return 0


def _eval_calls_dev(args: argparse.Namespace) -> int:
    """calls_dev (or a blind corpus in its format, ``--path``), scored per style on one subset. Leaks are listed only
    for development calls (``evaluate.may_list_misses``): any subset of calls_dev since session 19's swap of halves; a
    blind corpus's odd half only, since its even half is held out and reading its misses would be tuning on it."""
    calls_dev = ev.is_calls_dev_file(Path(args.path) if args.path else None)
    if args.show_leaks and not ev.may_list_misses(args.half, calls_dev=calls_dev):
        print("eval: --show-leaks lists development calls only: any --half of calls_dev, a blind corpus's --half odd "
              "(its even half is held out)", file=sys.stderr)
        return 2
    path = Path(args.path) if args.path else ev.CALLS_DEV_DEFAULT_PATH
    if not path.exists():
        print(f"eval: calls_dev corpus not found at {path} (set CIPHER_SHARED_DATA)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    redactor = Redactor.default(disabled_layers=set(args.disable_layer or []))
    load_s = time.perf_counter() - t0
    report: dict = {"corpus": f"calls_dev half={args.half or 'all'}", "engine_version": redactor.version,
                    "layers": redactor.active_layers, "load_seconds": round(load_s, 2), "styles": {}}
    presidio = ev.presidio_predictor() if args.compare_presidio else None
    for style in ("clean", "asr") + (("projected",) if args.project_raw else ()):
        docs = ev.load_calls_dev(path, half=args.half, style=style)
        score = ev.run(docs, ev.cipher_predictor(redactor, args.by_recognizer), batch_size=args.batch_size)
        entry = {"cipher": score.summary(with_leaks=args.show_leaks)}
        if presidio is not None:
            entry["presidio"] = ev.run(docs, presidio, batch_size=args.batch_size).summary()
        report["styles"][style] = entry
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"engine {report['engine_version']} layers={','.join(report['layers'])} corpus={report['corpus']}")
    for style, entry in report["styles"].items():
        for who, s in entry.items():
            print(f"{style:9s} {who:8s} docs={s['docs']} safe_harbor_entities={s['entities']} "
                  f"entity_recall={s['entity_recall']:.4f} token_recall={s['token_recall']:.4f} "
                  f"token_precision={s['token_precision']:.4f} vertical_entities={s['vertical_entities']} "
                  f"vertical_recall={s['vertical_recall']}")
    for style, entry in report["styles"].items():
        print(f"{style}: {'category':14s} {'n':>5s} {'entity':>8s} {'token':>8s}")
        for cat, row in entry["cipher"]["per_category"].items():
            print(f"{style}: {cat:14s} {row['entities']:5d} {row['entity_recall']:8.4f} {row['token_recall']:8.4f}")
    for style, entry in report["styles"].items():
        _print_recognizers(entry["cipher"], f"{style}: ")
    for style, entry in report["styles"].items():
        for leak in entry["cipher"].get("leaks", []):
            print(f"LEAK {style} {leak['id']} {leak['category']}: {leak['value']!r} missed {leak['missed']}")
        for over in entry["cipher"].get("overmasked", []):
            print(f"OVER {style} {over['id']}: {over['token']!r} in {over['span']!r}")
    return 0


def _print_recognizers(summary: dict, prefix: str = "") -> None:
    """The per-detector table (``--by-recognizer``): which layer and recognizer masked how much, and how much of it
    was an identifier."""
    rows = summary.get("per_recognizer")
    if not rows:
        return
    print(f"{prefix}{'detector':34s} {'spans':>6s} {'tokens':>7s} {'precision':>9s} {'covered':>8s}")
    for label, row in sorted(rows.items(), key=lambda item: -item[1]["tokens"]):
        print(f"{prefix}{label:34s} {row['spans']:6d} {row['tokens']:7d} {row['token_precision']:9.4f} "
              f"{row['entities_covered']:8d}")


def _print_report(report: dict) -> None:
    def line(name: str, s: dict) -> str:
        return (f"{name:9s} docs={s['docs']} entities={s['entities']} entity_recall={s['entity_recall']:.4f} "
                f"token_recall={s['token_recall']:.4f} token_precision={s['token_precision']:.4f} "
                f"docs/s={s['docs_per_sec']} chars/s={s['chars_per_sec']} "
                f"must_survive_masked={s['must_survive_masked']}/{s['must_survive']}")

    print(f"engine {report['engine_version']} layers={','.join(report['layers'])} corpus={report['corpus']}")
    print(line("cipher", report["cipher"]))
    if "presidio" in report:
        print(line("presidio", report["presidio"]))
        print(f"speedup vs presidio: {report.get('speedup_vs_presidio')}x")
    print(f"{'category':12s} {'n':>5s} {'cipher_ent':>10s} {'cipher_tok':>10s}" + (" presidio_ent presidio_tok" if "presidio" in report else ""))
    for cat, row in report["cipher"]["per_category"].items():
        extra = ""
        if "presidio" in report:
            p = report["presidio"]["per_category"].get(cat, {})
            extra = f" {p.get('entity_recall', 0):12.4f} {p.get('token_recall', 0):12.4f}"
        print(f"{cat:12s} {row['entities']:5d} {row['entity_recall']:10.4f} {row['token_recall']:10.4f}{extra}")
    _print_recognizers(report["cipher"])
    for leak in report["cipher"].get("leaks", []):
        print(f"LEAK {leak['id']} {leak['category']}: {leak['value']!r} missed {leak['missed']}")
    for kept in report["cipher"].get("masked_must_survive", []):
        print(f"OVERMASK {kept['id']} {kept['kind']}: {kept['value']!r}")


def score_asr_layer(argv: list[str] | None = None) -> int:
    """Score the engine alone and with the ``asr`` layer's spans added again (``asr_shapes.combined_predictor``):
    ``python -m cipher_devtools.eval_cli CORPUS ...``.

    Prints counts and rates only; with ``--leaks`` (synthetic corpora only) it lists what is still missed.
    """
    parser = argparse.ArgumentParser(prog="python -m cipher_devtools.eval_cli", description=score_asr_layer.__doc__)
    parser.add_argument("corpora", nargs="+", help="annotated .jsonl paths, synth:N:SEED, synth-asr:N:SEED or presidio")
    parser.add_argument("--leaks", action="store_true", help="list what is still missed (synthetic corpora only)")
    parser.add_argument("--synthetic", action="store_true", help="declare .jsonl corpora synthetic so leaks may be listed")
    args = parser.parse_args(argv)
    redactor = Redactor.default()
    for corpus in args.corpora:
        synthetic = True
        if corpus.startswith(("synth:", "synth-asr:")):
            kind, n, seed = corpus.split(":")
            docs = ev.load_synth(int(n), int(seed), asr_style=kind == "synth-asr")
        elif corpus == "presidio":
            docs = ev.load_presidio()
        else:
            docs = ev.load_jsonl(corpus)
            synthetic = args.synthetic
        base = ev.run(docs, ev.cipher_predictor(redactor))
        both = ev.run(docs, combined_predictor(redactor))
        print(f"== {corpus}: docs={len(docs)}")
        for name, score in (("base", base), ("base+asr", both)):
            s = score.summary()
            print(f"{name:9s} entity_recall={s['entity_recall']:.4f} token_recall={s['token_recall']:.4f} "
                  f"token_precision={s['token_precision']:.4f} must_survive_masked={s['must_survive_masked']}/{s['must_survive']}")
        pb, pc = base.per_category(), both.per_category()
        for cat in sorted(pc):
            print(f"  {cat:12s} n={pc[cat]['entities']:4d} {pb[cat]['entity_recall']:.3f} -> {pc[cat]['entity_recall']:.3f}")
        if args.leaks and synthetic:  # never print identifiers from a corpus not declared synthetic
            for leak in both.leaks:
                print("LEAK", json.dumps(leak))
            for kept in both.survive_masked:
                print("MASKED", json.dumps(kept))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``eval``."""
    ev = subparsers.add_parser("eval", help="score de-identification on an annotated corpus")
    ev.add_argument("--corpus", default="presidio",
                    help="'presidio', 'calls_dev', 'physionet', 'synth', or an annotated .jsonl path")
    ev.add_argument("--path", help="presidio-research or calls_dev file (default: shared data); physionet: git dir of its mirror")
    ev.add_argument("--half", choices=sorted(CALLS_DEV_HALVES),
                    help="calls_dev: odd / even-a / even-b (0 mod 4) / dev (odd + even-a) / even (both even quarters), "
                    "all development calls since session 19's swap of halves (default: all 80 calls); a blind corpus "
                    "(--path): odd = development, even = held out")
    ev.add_argument("--split", choices=sorted(PHYSIONET_SPLITS),
                    help="physionet only: dev (odd patient numbers: develop here) / held-out (even: scores only); "
                    "default: all 2,434 notes")
    ev.add_argument("--project-raw", action="store_true",
                    help="calls_dev: also score the punctuated calls rewritten in the raw half's style (style 'projected': "
                    "lower case, no punctuation, numbers said; cipher_devtools/raw_projection.py)")
    ev.add_argument("--n", type=int, default=300, help="synth: number of calls")
    ev.add_argument("--seed", type=int, default=11, help="synth: random seed (hold out seeds you tuned on)")
    ev.add_argument("--asr-style", action="store_true", help="synth: render like Whisper output")
    ev.add_argument("--limit", type=int, help="score only the first N documents")
    ev.add_argument("--count-weekdays", action="store_true",
                    help="presidio: score a weekday alone as a date (the default ignores it, as calls_dev does)")
    ev.add_argument("--batch-size", type=int, default=64)
    ev.add_argument("--compare-presidio", action="store_true", help="also run presidio-analyzer on the same texts")
    ev.add_argument("--disable-layer", action="append", choices=layer_names())
    ev.add_argument("--show-leaks", action="store_true", help="list missed identifiers (synthetic corpora; calls_dev --half odd only)")
    ev.add_argument("--synthetic", action="store_true", help="declare a .jsonl corpus synthetic so leaks may be listed")
    ev.add_argument("--json", help="also write the full report as JSON here")
    ev.add_argument("--by-recognizer", action="store_true",
                    help="also break masked tokens, token precision and identifiers covered down by the layer and "
                         "recognizer that found each span")
    ev.set_defaults(func=_eval)


if __name__ == "__main__":
    raise SystemExit(score_asr_layer())
