"""The residual scan's own Unicode normalisation, with a map back to the input's offsets.

A phone number split by a zero-width space ("619\u200b555 0142"), an SSN in full-width digits or an email broken by
a soft hyphen would pass every pattern of the scan, which is written for plain text. So the scan reads a normalised
copy and maps each finding back onto the text it was given:

- format characters (Unicode category Cf: zero-width space and joiners, word joiner, BOM, soft hyphen) and control
  characters (Cc) are removed, except newline, carriage return and tab; a control or separator that is whitespace
  (NEL, line and paragraph separators, no-break and ideographic spaces) becomes a plain space;
- any Unicode decimal digit (Arabic-Indic, Devanagari, full-width, ...) becomes its ASCII digit;
- dashes and minus signs become "-";
- everything else takes its NFKC form, a base character together with the combining marks after it.

This is deliberately not the redactor's ``cipher_pipeline.deid.normalize``: the scan shares no code with the
redactor (see ``residual.py``), so that one bug cannot blind both. Cost is one pass over the text; ASCII text
without control characters (the common case) is returned unchanged after one check.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d")
_KEPT_CONTROLS = frozenset("\n\r\t")


@dataclass(frozen=True)
class NormalizedText:
    """The normalised text and, for each of its characters, the span of input characters it came from.

    ``starts``/``ends`` are None when the text needed no change; then offsets are the same in both."""

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Input offsets of the normalised span [start, end) (end > start): from the first input character of its
        first character to the last input character of its last one. Characters removed inside the span (a
        zero-width space between two digits) are covered; ones removed at its edges are not part of the finding."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _replacement(cluster: str) -> str:
    """What one input cluster (a character and the combining marks after it) becomes in the normalised text."""
    c = cluster[0]
    category = unicodedata.category(c)
    if len(cluster) == 1:
        if c in _KEPT_CONTROLS:
            return c
        if category in ("Cf", "Cc") and not c.isspace():
            return ""
        if c.isspace():
            return " "
        if category == "Nd":
            return str(unicodedata.decimal(c))
        if c in _DASHES:
            return "-"
    return unicodedata.normalize("NFKC", cluster)


def normalize_for_scan(text: str) -> NormalizedText:
    """Normalise ``text`` for the residual scan (see the module docstring); linear in the text's length."""
    if text.isascii() and all(c >= " " or c in _KEPT_CONTROLS for c in text) and "\x7f" not in text:
        return NormalizedText(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        # A base character keeps the combining marks that follow it, so NFKC composes them ("e" + U+0301 -> "é").
        while j < n and unicodedata.combining(text[j]) and unicodedata.category(text[i]) not in ("Cf", "Cc"):
            j += 1
        cluster = text[i:j]
        printable_ascii = len(cluster) == 1 and " " <= cluster <= "~"
        for ch in cluster if printable_ascii else _replacement(cluster):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    normalised = "".join(out)
    if normalised == text and len(starts) == n:
        return NormalizedText(text)
    return NormalizedText(normalised, tuple(starts), tuple(ends))


__all__ = ["NormalizedText", "normalize_for_scan"]
