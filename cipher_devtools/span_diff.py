"""``python -m cipher_devtools.span_diff --save DIR`` / ``--compare DIR``: a golden check for engine refactors.

A change that means to move code without changing what it finds (rules.py into recognizer classes, a layer split
in two) is checked by running the engine over every corpus before and after and comparing every span. ``--save``
writes, per corpus, each document's final spans (start, end, category, layer, recognizer) and the raw findings of the
``rules`` layer alone (``rules.find`` before any merge, which a merge could hide a change in); ``--compare`` runs the
same again and reports the documents whose spans differ (by (start, end, category, layer); the recognizer name is
metadata, counted but not compared), with a per-recognizer count of the spans now found.

Corpora: calls_dev (all 80 calls, and the clean half rewritten in the raw half's style), presidio-research, the
PhysioNet notes (when a mirror of cliffordlab/DEID-2023 is found), and synthetic calls from the generator (plain and
ASR-styled). Offsets, categories and layer names only are written and printed: never any text of a document. Write
DIR outside the repository (/tmp/...).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from cipher_devtools import evaluate as ev
from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid import rules as rules_layer
from cipher_pipeline.deid.normalize import normalize

# where a session's `fetch` of cliffordlab/DEID-2023 puts its git directory
PHYSIONET_MIRRORS = (Path("/work/.mirror/cliffordlab+DEID-2023/repo"),)


def _physionet_path(given: str | None) -> Path | None:
    for candidate in ([Path(given)] if given else []) + list(PHYSIONET_MIRRORS):
        if (candidate / "HEAD").exists():
            return candidate
    return None


def corpora(args: argparse.Namespace) -> dict[str, Callable[[], list[ev.GoldDoc]]]:
    """Each corpus's name and a loader for its documents (loaded lazily, one corpus at a time)."""
    out: dict[str, Callable[[], list[ev.GoldDoc]]] = {}
    if ev.CALLS_DEV_DEFAULT_PATH.exists():
        out["calls_dev"] = lambda: ev.load_calls_dev()
        out["calls_dev_projected"] = lambda: ev.load_calls_dev(style="projected")
    if ev.PRESIDIO_DEFAULT_PATH.exists():
        out["presidio"] = lambda: ev.load_presidio()
    physionet = _physionet_path(args.physionet)
    if physionet is not None:
        out["physionet"] = lambda: ev.load_physionet(physionet)
    out["synth"] = lambda: ev.load_synth(args.synth_n, args.synth_seed)
    out["synth_asr"] = lambda: ev.load_synth(args.synth_n, args.synth_seed + 1, asr_style=True)
    if args.only:
        out = {name: load for name, load in out.items() if name in args.only}
    return out


def _rules_raw(text: str) -> list[list]:
    """What the rules layer finds on its own, in a stable order (the engine feeds it the normalised text)."""
    spans = rules_layer.find(normalize(text)[0])
    return sorted([s.start, s.end, s.category, s.layer] for s in spans)


def collect(redactor: Redactor, docs: list[ev.GoldDoc], batch_size: int = 64) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i in range(0, len(docs), batch_size):
        batch = docs[i : i + batch_size]
        for n, (doc, result) in enumerate(zip(batch, redactor.redact_many([d.text for d in batch])), start=i):
            out[f"{n}:{doc.id}"] = {  # the position too: a corpus's ids need not be unique
                "final": [[s.start, s.end, s.category, s.layer, s.recognizer] for s in result.spans],
                "rules": _rules_raw(doc.text),
            }
    return out


def _key(span: list) -> tuple:
    return tuple(span[:4])


def compare(saved: dict[str, dict], now: dict[str, dict]) -> dict:
    """Documents whose final spans or raw rules findings differ, by (start, end, category, layer)."""
    report = {"docs": len(now), "missing_docs": sorted(set(saved) - set(now)), "new_docs": sorted(set(now) - set(saved)),
              "final_differs": [], "rules_differs": [], "final_spans": 0, "rules_spans": 0, "by_recognizer": Counter()}
    for doc_id in sorted(set(saved) & set(now)):
        before, after = saved[doc_id], now[doc_id]
        report["final_spans"] += len(after["final"])
        report["rules_spans"] += len(after["rules"])
        if [_key(s) for s in before["final"]] != [_key(s) for s in after["final"]]:
            gone = Counter(_key(s) for s in before["final"]) - Counter(_key(s) for s in after["final"])
            added = Counter(_key(s) for s in after["final"]) - Counter(_key(s) for s in before["final"])
            report["final_differs"].append({"id": doc_id, "lost": [list(k[:4]) for k in gone],
                                            "gained": [list(k[:4]) for k in added]})
        if Counter(map(_key, before["rules"])) != Counter(map(_key, after["rules"])):
            report["rules_differs"].append({"id": doc_id})
        for span in after["final"]:
            report["by_recognizer"][f"{span[3]}/{span[4] or '-'}"] += 1
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cipher_devtools.span_diff", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="DIR", help="write every corpus's spans here")
    mode.add_argument("--compare", metavar="DIR", help="compare against the spans saved here")
    parser.add_argument("--only", nargs="+", help="these corpora only (calls_dev, calls_dev_projected, presidio, "
                                                  "physionet, synth, synth_asr)")
    parser.add_argument("--physionet", help="git directory of a cliffordlab/DEID-2023 mirror")
    parser.add_argument("--synth-n", type=int, default=200)
    parser.add_argument("--synth-seed", type=int, default=61)
    args = parser.parse_args(argv)
    folder = Path(args.save or args.compare)
    redactor = Redactor.default()
    failed = False
    for name, load in corpora(args).items():
        t0 = time.perf_counter()
        docs = load()
        spans = collect(redactor, docs)
        seconds = time.perf_counter() - t0
        path = folder / f"{name}.json"
        if args.save:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"engine_version": redactor.version, "docs": spans}), encoding="utf-8")
            print(f"{name}: saved {len(spans)} docs, {sum(len(d['final']) for d in spans.values())} final spans, "
                  f"{sum(len(d['rules']) for d in spans.values())} rules findings ({seconds:.0f} s)", flush=True)
            continue
        if not path.exists():
            print(f"{name}: nothing saved at {path}", flush=True)
            failed = True
            continue
        saved = json.loads(path.read_text(encoding="utf-8"))
        report = compare(saved["docs"], spans)
        same = not (report["final_differs"] or report["rules_differs"] or report["missing_docs"] or report["new_docs"])
        failed |= not same
        print(f"{name}: {'IDENTICAL' if same else 'DIFFERS'} docs={report['docs']} final_spans={report['final_spans']} "
              f"rules_findings={report['rules_spans']} final_differs={len(report['final_differs'])} "
              f"rules_differs={len(report['rules_differs'])} missing={len(report['missing_docs'])} "
              f"new={len(report['new_docs'])} ({seconds:.0f} s; saved by {saved['engine_version']})", flush=True)
        for diff in report["final_differs"][:10]:
            print(f"  {diff['id']}: lost {diff['lost'][:4]} gained {diff['gained'][:4]}")
        rules_counts = {k: v for k, v in report["by_recognizer"].items() if k.startswith("rules/")}
        if rules_counts:
            print("  rules spans by recognizer: " + ", ".join(f"{k[6:]}={v}" for k, v in sorted(rules_counts.items())))
        unnamed = {k.split("/")[0]: v for k, v in report["by_recognizer"].items() if k.endswith("/-")}
        print("  spans naming no recognizer: " + (", ".join(f"{k}={v}" for k, v in sorted(unnamed.items())) or "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
