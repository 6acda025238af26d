"""Dates in chart shorthand: the date shapes only a written clinical note uses (``register.is_chart``).

A nurse's note dates a patient's history and the days of a stay in a shorthand no call uses, and which the rules
layer's general date recognizers (``rules.NumericDate``, ``rules.MonthDay``) leave alone because elsewhere the same
shapes are not dates:

- a two-digit year marked by an apostrophe, in a history ("CVA 74'", "CABG '93", "AAA repair in 14'"): in a call
  "'93" is rare and a year may stay, but in a note the apostrophe says "a year of this patient's history", which the
  PhysioNet annotators mark as a date. Never a length in feet ("ambulated 50'"), a plural ("90's") or a height
  ("5'10").
- a month and a day joined by a hyphen after a date cue ("returned to OR on 7-8", "since 12-3"): without the cue a
  hyphenated pair is a range ("3-4 times", "2-3L"), and a unit or count after it still makes it one ("on 2-4 L").

Each shape is a recognizer of the rules layer (``rules.find`` runs :data:`RECOGNIZERS` on chart notes only), so its
spans carry layer ``rules`` and the recognizer's name. The module imports nothing of the rules layer: the rules
layer imports it.
"""

from __future__ import annotations

import re

from cipher_pipeline.deid.recognizer import Recognizer, run_all
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span

LAYER = "rules"

# what measures a length, an angle or a while before an apostrophe number: feet walked ("ambulated 50'"), the head
# of the bed's angle ("HOB 30'"), minutes ("visited x 30'")
_MEASURE_BEFORE = re.compile(
    r"(?i)(?:\b(?:amb\w*|walk\w*|distance|feet|ft|length|tall|height|ht|hallway|steps?|hob|head\s+of\s+bed|elevated"
    r"|angle|degrees?)\W*(?:\w+\W+){0,2}|\bx\s*)$"
)
# "'93" / "’93" (the apostrophe before) and "74'" (after, as hurried notes type it): never "5'10", "90's", "50' x2"
_YEAR_AFTER_APOSTROPHE = re.compile(r"(?<![\w'’])['’](\d{2})(?![\w'’\"%]|\.\d)")
_YEAR_BEFORE_APOSTROPHE = re.compile(r"(?<![\w.,/'’-])(\d{2})['’](?![\w'’\"]|\s*\d|\s*x\b)")
# a date cue right before a hyphenated pair makes it a month and a day ("on 7-8"); a unit or a count after it makes
# it a range again ("on 2-4 L", "on 3-4 occasions")
_DATE_CUE = r"(?:on|since|until|till|dated|from)"
_HYPHEN_DAY = re.compile(rf"(?i)\b{_DATE_CUE}\s+((?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))(?![\w/-]|\.\d)")
_COUNT_AFTER = re.compile(
    r"(?i)\s*(?:l\b|lpm|liters?|litres?|mg|mcg|units?|u\b|cc|ml|x\b|times|occasions|days?|hrs?|hours?|min\w*|weeks?|wks?"
    r"|months?|years?|yrs?|%|beats|bpm|mm|cm|kg|g\b|puffs?|tabs?|pills?|drops?|breaths?|sec\w*|liter|l/|per\b|/)"
)


class _ChartDateRecognizer(Recognizer):
    category = "DATE"

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.category, LAYER, None, self.name)


class ApostropheYear(_ChartDateRecognizer):
    """A two-digit year of a patient's history marked by an apostrophe: "CVA 74'", "s/p CABG '93"."""

    name = "apostrophe_year"

    def find(self, text: str) -> list[Span]:
        spans = []
        for pattern in (_YEAR_AFTER_APOSTROPHE, _YEAR_BEFORE_APOSTROPHE):
            for m in pattern.finditer(text):
                if _MEASURE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                    continue  # "ambulated 50'", "HOB 30'": a measure
                spans.append(self.span(m.start(1), m.end(1)))
        return spans


class HyphenMonthDay(_ChartDateRecognizer):
    """A month and a day joined by a hyphen after a date cue: "returned to OR on 7-8", "since 12-3"."""

    name = "hyphen_month_day"

    def find(self, text: str) -> list[Span]:
        return [self.span(m.start(1), m.end(1)) for m in _HYPHEN_DAY.finditer(text)
                if not _COUNT_AFTER.match(text, m.end(1))]


RECOGNIZERS: tuple[Recognizer, ...] = (ApostropheYear(), HyphenMonthDay())


def find(text: str) -> list[Span]:
    """The chart shorthand dates in ``text``, when it is a chart note; nothing in a call or prose."""
    if not is_chart(text):
        return []
    return run_all(RECOGNIZERS, text)
