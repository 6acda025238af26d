"""The recognizer: the unit of detection (the Presidio idea, kept small).

A recognizer is one detector for one class of identifier: it names its category, holds its own patterns, context
words and validation, and has its own tests. A layer module named in ``layers.yaml`` groups recognizers in its
``RECOGNIZERS`` chain and exposes ``find(text) -> list[Span]``; every span it returns records the layer that found
it (``Span.layer``) and the recognizer (``Span.recognizer``), so the engine can tell an auditor which detector
masked what (``cipher eval --by-recognizer``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from cipher_pipeline.deid.spans import Span


class Recognizer:
    """One detector. Subclasses set ``name``, ``category`` and ``layer`` and implement ``find``."""

    name: str = ""
    category: str = ""
    layer: str = ""  # the layer whose chain it belongs to (``layers.yaml``)

    def find(self, text: str) -> list[Span]:  # pragma: no cover - abstract
        raise NotImplementedError

    def span(self, start: int, end: int, category: str | None = None, canonical: str | None = None) -> Span:
        """A finding of this recognizer: ``text[start:end]`` as ``category`` (its own unless the context names one)."""
        return Span(start, end, category or self.category, self.layer, canonical, self.name)

    def claim(self, spans: Iterable[Span]) -> list[Span]:
        """``spans`` written by a helper this recognizer calls, under its name where they name no recognizer yet."""
        return [s if s.recognizer else replace(s, recognizer=self.name) for s in spans]


def run_all(recognizers: Iterable[Recognizer], text: str) -> list[Span]:
    """Every span every recognizer finds in ``text`` (overlaps are resolved later by the engine)."""
    spans: list[Span] = []
    for recognizer in recognizers:
        spans.extend(recognizer.find(text))
    return spans
