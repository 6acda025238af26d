"""The register of a text: a written clinical chart note, or anything else (a call transcript, prose).

Cipher is built for admissions calls, where an unknown word in caseless text is most likely a name Whisper wrote in
lower case, and a bare number near "number" is most likely an identifier. A nurse's note reads otherwise: unknown
words are drug names, shorthand and misspellings ("nipride", "overnoc", "recieved"), and numbers are doses, vitals
and times. Layers that guess from weak evidence ask :func:`is_chart` and, in a chart, ask for more evidence.

A chart is recognised by its notation, which conversation does not use: doses with units ("40meq", "5 mcg/kg"),
slash shorthand ("s/p", "c/o", "w/"), vitals before a value ("bp 90/50", "hr 70's"), charting abbreviations ("prn",
"npn", "gtt", "afeb") and system headers at a line start ("neuro:", "resp--", "gi-"). A dialogue transcript (two or
more speaker-labelled lines) is never a chart, whatever it talks about: a caller reading out a dose stays a caller.
"""

from __future__ import annotations

import functools
import re

from cipher_pipeline.deid.turns import LABEL

_UNIT = re.compile(
    r"(?i)(?<![\w.])\d+(?:\.\d+)?\s?(?:mg|mcg|meq|cc|ml|kg|units?|gm?|mmhg|mm|cm|gtts?|l|u)(?:/(?:hr|h|min|kg|day|d))?\b"
)
_SLASH = re.compile(r"(?i)(?<![\w/])(?:s/p|c/o|w/o?|d/c|n/v|a&ox?\d?|r/o|h/o|b/l|u/o|f/u|y/o|i/o|o/n)(?![\w/])")
_VITAL = re.compile(
    r"(?i)\b(?:bp|hr|rr|cvp|map|sbp|dbp|o2|sats?|temp|tmax|spo2|pap|pcwp|inr|hct|hgb|wbc|ci|svr|fio2|peep|abg|k|na|bun)"
    r"\b\s*[:=]?\s*\d"
)
# charting abbreviations no conversation uses; each one is evidence of the register, not a rule about itself
_CHART_WORDS = frozenset(
    """prn npn nsg gtt gtts afeb vss tol noc bid tid qid qd qhs qh po npo ivf ivp sq sc abd ext bs ls cta pt's pts
    prbc ffp dsg drsg resp neuro gu gi cv micu ccu sicu tsicu csru hct plt inr ptt ett ngt ogt peg foley abx
    diuresed diuresis sedated intubated extubated titrated weaned lytes coags sputum
    pt pts peep psv cpap bipap simv imv ips fio2 abg abgs cxr ekg ecg nsr rvr afib sob mae hoh ntg ivf tf tfs picc aline
    iabp cathed sxn sxned suctioned ambulated oob npn addendum vss perrla uop kvo dsd ett trach vent vented""".split()
)


def is_chart_word(low: str) -> bool:
    """Whether the lower-case word is a charting abbreviation ("prn", "npn", "gtt", "micu"): notation, never a name."""
    return low in _CHART_WORDS


_HEADER = re.compile(
    r"(?im)^[ \t]*(?:neuro|resp|cv|cvs|gi|gu|id|heme|endo|skin|renal|social|dispo|pulm|card|cardiac|a/p|plan|assess|"
    r"s|o|a|p)[ \t]*(?::|-{1,3}|=)"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][a-z]+)?|\d+")

# a chart: at least this many notation marks, and at least this share of its word tokens
MIN_MARKS = 3
MIN_DENSITY = 0.02


def chart_marks(text: str) -> tuple[int, int]:
    """(notation marks, word tokens) in ``text``."""
    words = _WORD.findall(text)
    marks = len(_UNIT.findall(text)) + len(_SLASH.findall(text)) + len(_VITAL.findall(text)) + len(_HEADER.findall(text))
    marks += sum(1 for w in words if w.lower() in _CHART_WORDS)
    return marks, len(words)


@functools.lru_cache(maxsize=256)
def is_chart(text: str) -> bool:
    """Whether ``text`` is written in clinical chart register (a nursing or progress note), not a transcript."""
    if len(LABEL.findall(text, 0, 20_000)) >= 2:
        return False
    marks, words = chart_marks(text)
    return marks >= MIN_MARKS and marks >= MIN_DENSITY * words
