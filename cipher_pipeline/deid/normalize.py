"""Unicode normalisation before detection, with a map back to the caller's offsets.

Detectors are written for plain text. A phone number split by a zero-width space ("619\u200b555 0142"), written in
full-width or Arabic-Indic digits, or broken by a control character would pass every one of them, so the engine
reads a normalised copy and maps what it finds back onto the original, which is what it redacts:

- format characters (zero-width space/joiners, word joiner, BOM, soft hyphen: Unicode category Cf) are dropped;
- control characters other than a newline, and every Unicode space, become a plain space;
- any decimal digit becomes its ASCII digit; dashes and minus signs become "-";
- other compatibility characters take their NFKC form (full-width letters, ligatures).

Redaction spans then cover the original characters, zero-width ones included, so nothing survives inside a span.
"""

from __future__ import annotations

import unicodedata

_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"}


def normalize(text: str) -> tuple[str, list[int] | None]:
    """(normalised text, index map) where ``map[i]`` is the original index of normalised character ``i``;
    the map is None when the text needed no change (the common case, checked in one pass)."""
    if text.isascii() and not any(c < " " and c not in "\n\t\r" for c in text):
        return text, None
    out: list[str] = []
    index: list[int] = []
    changed = False
    for i, c in enumerate(text):
        if c.isascii():
            if c < " " and c not in "\n\t\r" or c == "\x7f":
                out.append(" ")
                changed = True
            else:
                out.append(c)
            index.append(i)
            continue
        cat = unicodedata.category(c)
        if cat == "Cf":
            changed = True
            continue  # zero-width characters vanish
        if cat in ("Cc", "Zs", "Zl", "Zp"):
            rep = " "
        elif cat == "Nd":
            rep = str(unicodedata.digit(c))
        elif c in _DASHES:
            rep = "-"
        else:
            rep = unicodedata.normalize("NFKC", c) or " "
        if rep != c:
            changed = True
        for r in rep:
            out.append(r)
            index.append(i)
    if not changed:
        return text, None
    return "".join(out), index


def to_original(index: list[int], start: int, end: int) -> tuple[int, int]:
    """The original offsets of normalised span [start, end)."""
    return index[start], index[end - 1] + 1
