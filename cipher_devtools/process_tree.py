"""Memory and CPU of a benchmark's whole process tree: this process and its children (the Whisper worker pool).

A benchmark that reads only its own process's resident memory misses the transcriber's workers, which are
separate processes (``TranscriberPool``, spawned) holding the model and the audio they decode. ``TreeSampler``
samples, on a thread, the resident memory of this process alone ("main") and of this process plus every live
descendant summed at the same instant ("tree"), and the CPU seconds of both. The tree figure sums each process's
RSS, so pages two processes share (shared libraries; spawned workers share little else) are counted in each: an
upper bound of what the tree holds, the figure to size a machine by.
"""

from __future__ import annotations

import os
import threading
import time

import psutil

MEMORY_SCOPE = ("main: the benchmark's own process; tree: that process plus its child processes (the Whisper "
                "worker pool), resident memory summed per sample")  # fmt: skip


def cpu_with_live_children(process: psutil.Process) -> float:
    """CPU seconds of this process and of the children still running (the transcriber's worker pool: a child's
    time reaches ``cpu_times().children_*`` only once it has exited and been waited for)."""
    own = process.cpu_times()
    total = own.user + own.system + own.children_user + own.children_system
    for child in process.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:  # it ended between the listing and the read
            continue
        total += times.user + times.system
    return total


def tree_rss(process: psutil.Process) -> tuple[int, int]:
    """(resident bytes of the process, of the process and its live descendants summed)."""
    main = process.memory_info().rss
    total = main
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:  # it ended between the listing and the read
            continue
    return main, total


class TreeSampler:
    """Samples (wall-clock time, main RSS, tree RSS, CPU seconds with live children) every ``interval`` seconds
    on a thread while in its ``with`` block."""

    def __init__(self, interval: float = 0.1, pid: int | None = None):
        self.interval = interval
        self.samples: list[tuple[float, int, int, float]] = []
        self._process = psutil.Process(pid or os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        main, tree = tree_rss(self._process)
        self.samples.append((time.time(), main, tree, cpu_with_live_children(self._process)))

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()  # the state at the end, whatever the interval

    def peak(self, start: float | None = None, end: float | None = None, tree: bool = False) -> int:
        """Peak resident bytes between ``start`` and ``end`` (default: the whole block), of the main process or
        (``tree``) of the tree."""
        column = 2 if tree else 1
        start = float("-inf") if start is None else start
        end = float("inf") if end is None else end
        inside = [s[column] for s in self.samples if start <= s[0] <= end]
        if inside:
            return max(inside)
        # A step shorter than the sampling interval: what was held at the last sample before it ended.
        before = [s[column] for s in self.samples if s[0] <= end]
        return before[-1] if before else (self.samples[0][column] if self.samples else 0)

    def cpu(self, start: float, end: float) -> float:
        inside = [s[3] for s in self.samples if start <= s[0] <= end]
        return inside[-1] - inside[0] if len(inside) > 1 else 0.0


def mib(n_bytes: int) -> int:
    return round(n_bytes / 2**20)
