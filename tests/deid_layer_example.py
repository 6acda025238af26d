"""A layer and a step the engine has never heard of, loaded only through a layers.yaml-shaped config
(tests/test_deid_layer_protocol.py): a badge number a (made-up) employer prints as "<prefix>-<5 digits>"."""

from __future__ import annotations

import re

from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer, run_all
from cipher_pipeline.deid.spans import Span

LAYER = "badges"


class BadgeNumber(Recognizer):
    name = "badge_number"
    category = "OTHER_ID"
    layer = LAYER

    def __init__(self, prefix: str) -> None:
        self.pattern = re.compile(rf"(?<![\w-]){re.escape(prefix)}-\d{{5}}(?![\w-])", re.I)

    def find(self, text: str) -> list[Span]:
        return [self.span(m.start(), m.end()) for m in self.pattern.finditer(text)]


class BadgeLayer:
    def __init__(self, context: LayerContext) -> None:
        self.name = context.name
        self.recognizers = (BadgeNumber(context.settings["prefix"]),)  # its own setting, from its config entry

    def find(self, doc: Document) -> list[Span]:
        return run_all(self.recognizers, doc.text)


def build_layer(context: LayerContext) -> BadgeLayer:
    return BadgeLayer(context)


def badge_digits_again(text: str, spans: list[Span], caseless: bool) -> list[Span]:
    """After the merge: a badge's five digits said again on their own ("it's 41522, yeah 41522"); the engine hands
    it ``caseless`` because it names it, and the spans it adds record it (their recognizer) so the test can see."""
    out = list(spans)
    for span in spans:
        if span.recognizer != "badge_number":
            continue
        digits = re.search(r"\d{5}", text[span.start : span.end]).group()
        for m in re.finditer(rf"(?<!\d){digits}(?!\d)", text):
            if not any(s.start <= m.start() < s.end for s in spans):
                out.append(Span(m.start(), m.end(), "OTHER_ID", LAYER, None, "badge_again_caseless" if caseless else "badge_again"))
    return out
