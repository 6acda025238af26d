"""Every development miss (and, with ``--fp``, every false token) of the redactor, across every development source.

The development sources are calls_dev's 80 calls and the odd half of each blind corpus in
``tests/data/calls_redteam/``, each in the punctuated (clean), raw (asr) and projected styles. Held-out halves are
never loaded: each source's half is checked against ``evaluate.may_list_misses`` before it is read. Prints one line a
miss (source, style, call, category, what was missed and its context) or false token, then a per-source summary on
stderr; ``--json`` keeps the records for comparing two engines (a change that keeps every span gives a byte-identical
file).

    python -m cipher_devtools.census [--fp] [--vertical-only | --sh-only] [--style asr ...] [--source NAME ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from cipher_devtools import evaluate as ev

BLIND_CORPORA = Path(__file__).resolve().parents[1] / "tests" / "data" / "calls_redteam"


def _corpus_order(path: Path) -> int:
    digits = re.sub(r"\D", "", path.stem)
    return int(digits) if digits else 7  # calls_redteam.md is session 7's


def development_sources(blind_dir: Path = BLIND_CORPORA) -> list[tuple[str, Path, str | None]]:
    """(name, file, half) of every development source: calls_dev whole, each blind corpus's odd half."""
    sources: list[tuple[str, Path, str | None]] = [("calls_dev", ev.CALLS_DEV_DEFAULT_PATH, None)]
    sources += [(p.stem, p, "odd") for p in sorted(blind_dir.glob("calls_redteam*.md"), key=_corpus_order)]
    return sources


def census(redactor, sources, styles=("clean", "asr", "projected"), with_fp: bool = False,
           context: int = 70) -> tuple[list[dict], dict]:
    """The misses (and false tokens) of ``redactor`` on ``sources``, and per (source, style) the Safe Harbor entities,
    how many were found and the false tokens."""
    records: list[dict] = []
    totals: dict[tuple[str, str], list[int]] = {}
    for name, path, half in sources:
        if not Path(path).exists():
            continue
        if not ev.may_list_misses(half, calls_dev=ev.is_calls_dev_file(Path(path))):
            raise ValueError(f"{name}: half {half!r} is held out; the census reads development halves only")
        for style in styles:
            docs = ev.load_calls_dev(Path(path), half=half, style=style)
            results = redactor.redact_many([d.text for d in docs])
            row = totals.setdefault((name, style), [0, 0, 0])
            for doc, result in zip(docs, results):
                score = ev.Score()
                ev.score_doc(score, doc, [(s.start, s.end) for s in result.spans])
                row[0] += sum(v for k, v in score.entities.items() if k not in ev.VERTICAL_GOLD)
                row[1] += sum(v for k, v in score.entities_found.items() if k not in ev.VERTICAL_GOLD)
                for leak in score.leaks:
                    gold = next(g for g in doc.spans if g.category == leak["category"] and g.value == leak["value"])
                    records.append({"kind": "miss", "source": name, "style": style, "call": doc.id,
                                    "category": leak["category"], "value": leak["value"], "missed": leak["missed"],
                                    "context": doc.text[max(0, gold.start - context): gold.end + context].replace("\n", " ")})
                if with_fp:
                    row[2] += len(score.overmasked)
                    records += [{"kind": "fp", "source": name, "style": style, "call": doc.id,
                                 "token": o["token"], "span": o["span"]} for o in score.overmasked]
    return records, totals


def main(argv: list[str] | None = None) -> int:
    from cipher_pipeline.deid import Redactor

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp", action="store_true", help="also list the false tokens (masked outside every gold span)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--vertical-only", action="store_true", help="competitor, insurer and facility misses only")
    which.add_argument("--sh-only", action="store_true", help="Safe Harbor misses only")
    parser.add_argument("--style", action="append", choices=("clean", "asr", "projected"))
    parser.add_argument("--source", action="append", help="limit to these sources (calls_dev, calls_redteam8 ...)")
    parser.add_argument("--context", type=int, default=70, help="characters of context either side of a miss")
    parser.add_argument("--json", help="write the records here")
    args = parser.parse_args(argv)
    redactor = Redactor.default()
    print(f"engine {redactor.version}", file=sys.stderr)
    sources = [s for s in development_sources() if not args.source or s[0] in args.source]
    records, totals = census(redactor, sources, tuple(args.style or ("clean", "asr", "projected")), args.fp,
                             args.context)
    for rec in records:
        vertical = rec.get("category") in ev.VERTICAL_GOLD
        if rec["kind"] == "miss" and ((args.vertical_only and not vertical) or (args.sh_only and vertical)):
            continue
        if rec["kind"] == "miss":
            print(f"MISS {rec['source']:15s} {rec['style']:9s} {rec['call']:>4s} {rec['category']:14s} "
                  f"{rec['value']!r} missed={rec['missed']}\n     ...{rec['context']}...")
        else:
            print(f"FP   {rec['source']:15s} {rec['style']:9s} {rec['call']:>4s} {rec['token']!r} in {rec['span']!r}")
    print("\nsource style Safe-Harbor-entities found recall" + (" false-tokens" if args.fp else ""), file=sys.stderr)
    for (name, style), (n, found, fp) in totals.items():
        print(f"  {name:15s} {style:9s} {n:5d} {found:5d} {found / n if n else 1.0:.4f}" + (f" {fp}" if args.fp else ""),
              file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(records, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
