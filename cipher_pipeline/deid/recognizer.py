"""The recognizer: the unit of detection (the Presidio idea, kept small).

A recognizer is one detector for one class of identifier: it names its category, holds its own patterns, context
words and validation, and has its own tests. A layer module named in ``layers.yaml`` groups recognizers and
exposes ``find(text) -> list[Span]``; every span it returns records the layer that found it and, through
``Span.layer``, the engine can tell an auditor which detector masked what.
"""

from __future__ import annotations

from typing import Iterable

from cipher_pipeline.deid.spans import Span


class Recognizer:
    """One detector. Subclasses set ``name`` and ``category`` and implement ``find``."""

    name: str = ""
    category: str = ""

    def find(self, text: str) -> list[Span]:  # pragma: no cover - abstract
        raise NotImplementedError


def run_all(recognizers: Iterable[Recognizer], text: str) -> list[Span]:
    """Every span every recognizer finds in ``text`` (overlaps are resolved later by the engine)."""
    spans: list[Span] = []
    for recognizer in recognizers:
        spans.extend(recognizer.find(text))
    return spans
