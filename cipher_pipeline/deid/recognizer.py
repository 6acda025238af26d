"""The recognizer, the unit of detection (the Presidio idea, kept small), and the layer, a chain of them.

A recognizer is one detector for one class of identifier: it names its category, holds its own patterns, context
words and validation, and has its own tests. A layer module named in ``layers.yaml`` groups recognizers in its
``RECOGNIZERS`` chain; every span it returns records the layer that found it (``Span.layer``) and the recognizer
(``Span.recognizer``), so the engine can tell an auditor which detector masked what (``cipher eval --by-recognizer``).

The layer protocol, the one way the engine loads every layer, built-in or not: the module named in ``layers.yaml``
either has ``build_layer(context: LayerContext)`` returning an object with ``find(doc: Document) -> list[Span]``
(and, for a layer that reads what every other layer found, ``find_after(docs, found, batch_size)``), or is a plain
module with ``find(text) -> list[Span]``, which reads the text as given (``TextLayer``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping

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


class LayerConfigError(ValueError):
    """A layer, step or resource of ``layers.yaml`` declared so the engine cannot load it; the message names it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"layers.yaml: {where}: {problem}")


@dataclass(frozen=True)
class Document:
    """One transcript as every layer reads it: ``text`` (Unicode-normalised; spans are offsets into it), ``plain``
    (the same lowercased when it is all capitals, where capitals mean nothing; same offsets), ``caseless`` (the
    text carries no case information: lower case or all capitals) and ``speech_recognized`` (the caller said it is a
    speech recognizer's output, as the pipeline's transcripts are: its capitals are the recognizer's guesses, not a
    writer's)."""

    text: str
    plain: str
    caseless: bool
    speech_recognized: bool = False


@dataclass(frozen=True)
class LayerContext:
    """What the engine hands a layer module's ``build_layer``: the layer's name in the chain (its findings carry it as
    ``Span.layer``), its entry of ``layers.yaml`` (``settings``: the module's own keys, such as a model's name), and
    the resources it declared it ``uses`` (``lexicons``: the center's dictionaries, loaded once and shared; None
    when the layer does not declare them)."""

    name: str
    settings: Mapping[str, Any]
    lexicons: Any = None

    def require_lexicons(self) -> Any:
        """The center's dictionaries, or a configuration error naming this layer when it did not declare them."""
        if self.lexicons is None:
            raise LayerConfigError(f"layer {self.name!r}", "reads the center's dictionaries: declare uses: [lexicons]")
        return self.lexicons


class TextLayer:
    """A layer module that offers only ``find(text)``: it reads the text as given."""

    def __init__(self, find: Callable[[str], list[Span]]) -> None:
        self._find = find

    def find(self, doc: Document) -> list[Span]:
        return self._find(doc.text)
