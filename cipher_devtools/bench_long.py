"""``cipher bench --only deid-long``: issue 8's budget, one 32,000-character transcript de-identified in under 2 s,
adversarial repeats included, timed in a process that holds the loaded engine as `cipher deid` does.

What a record costs is its own work plus any full collection of Python's garbage collector that lands in it: a full
collection walks every container object the process holds (the engine's lexicons, gazetteer, spaCy, the CRF, and in
the Dagster step process Dagster and Great Expectations too), so its cost grows with the heap, not with the record.
Which record it lands in is chance, so the bench reports both: each case's own time (the collector's share inside it
counted apart) and the time one full collection of this process's heap takes, their sum being the record's worst case.
The texts are invented shapes; nothing here reads a corpus.
"""

from __future__ import annotations

import gc
import os
import statistics
import time

LONG_CHARS = 32_000
_TURNS = ("agent: and what's a good number for you?\ncaller: it's 4 1 3, 5 5 5 and my name is dorrit, "
          "i live off oak road in maple heights.\n")
# issue 8: "a 32,000-character transcript in under 2 s on this machine, including adversarial repeats ('(555) ' or '1-'
# a thousand times)"; a single line is one sequence for the learned layer (the CRF reads a line at a time)
CASES = {
    "transcript, turns on lines": _TURNS,
    "transcript, one line": _TURNS.replace("\n", " "),
    "'(555) ' repeated, one line": "(555) ",
    "'1-' repeated, one line": "1-",
}


def _fill(unit: str) -> str:
    return (unit * (LONG_CHARS // len(unit) + 1))[:LONG_CHARS]


class _CollectorClock:
    """Collections by generation and the wall seconds spent inside them, from ``gc.callbacks``."""

    def __init__(self) -> None:
        self.counts, self.seconds, self._t0 = [0, 0, 0], 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.counts[info["generation"]] += 1
            self.seconds += time.perf_counter() - self._t0

    def reset(self) -> None:
        self.counts, self.seconds = [0, 0, 0], 0.0


def full_collection_seconds(repeats: int = 2) -> float:
    """CPU seconds of one full collection of this process's heap (the best of ``repeats``)."""
    best = None
    for _ in range(repeats):
        t0 = time.process_time()
        gc.collect()
        took = time.process_time() - t0
        best = took if best is None else min(best, took)
    return round(best or 0.0, 3)


def bench_deid_long(redactor=None, repeats: int = 3) -> dict:
    """Each case's CPU and wall seconds (median and worst of ``repeats``), the collections inside them, and the heap
    a full collection walks, in this process as it stands."""
    if redactor is None:
        from cipher_pipeline.deid import Redactor

        redactor = Redactor.default()
    texts = {name: _fill(unit) for name, unit in CASES.items()}
    for text in texts.values():  # lazy caches out of the timing
        redactor.redact(text)
    out: dict = {
        "chars": LONG_CHARS, "engine_version": redactor.version, "repeats": repeats,
        "heap_objects": len(gc.get_objects()), "frozen_objects": gc.get_freeze_count(),
        "full_collection_cpu_s": full_collection_seconds(), "cases": {},
    }
    clock = _CollectorClock()
    gc.callbacks.append(clock)
    try:
        for name, text in texts.items():
            cpu, wall, collector, counts = [], [], [], [0, 0, 0]
            for _ in range(repeats):
                clock.reset()
                c0, w0 = time.process_time(), time.perf_counter()
                redactor.redact(text)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                collector.append(clock.seconds)
                counts = [a + b for a, b in zip(counts, clock.counts)]
            out["cases"][name] = {
                "cpu_s_median": round(statistics.median(cpu), 3), "cpu_s_max": round(max(cpu), 3),
                "wall_s_median": round(statistics.median(wall), 3), "collector_s_max": round(max(collector), 3),
                "collections_by_generation": counts,
                # its own work (the fastest run, least disturbed by neighbours) plus one full collection landing in it
                "with_full_collection_cpu_s": round(min(cpu) + out["full_collection_cpu_s"], 3),
            }
    finally:
        gc.callbacks.remove(clock)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]  # 1, 5, 15 minutes, at the end
    return out


def format_deid_long(d: dict) -> list[str]:
    lines = ["", f"De-identification of {d['chars']:,}-character inputs (engine {d['engine_version']}, {d['repeats']} runs "
             f"each; target under 2 s; load {d['load_average']})",
             f"heap: {d['heap_objects']:,} objects the collector walks, {d['frozen_objects']:,} frozen; one full "
             f"collection {d['full_collection_cpu_s']} s CPU",
             f"{'case':<30} {'CPU s':>6} {'max':>6} {'wall s':>7} {'collector wall s':>16} {'gen 0/1/2':>11} {'+ full collection':>17}"]
    for name, r in d["cases"].items():
        lines.append(f"{name:<30} {r['cpu_s_median']:>6} {r['cpu_s_max']:>6} {r['wall_s_median']:>7} "
                     f"{r['collector_s_max']:>16} {'/'.join(map(str, r['collections_by_generation'])):>11} "
                     f"{r['with_full_collection_cpu_s']:>17}")
    lines.append("+ full collection: the case's fastest run plus one full collection, what the record costs when one lands in it")
    return lines
