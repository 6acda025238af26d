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
- the days a note or a stay spans, written as a range of dates ("NPN 3/4-3/5", "12/31 -> 1/1", "11/30-12/1/05",
  or chained by a slash, "treated 3/4/3/5"), of
  a month and two days ("12/3-4", a night shift's note) or of two days before a month ("1->2 Nov", "30-31 dec"): the
  general date recognizers keep a date only where no digit follows its separator, so a range loses its first date,
  and a day before a range mark is no date to them. Each end must be a day of the year and the range must go
  forward by a month at most (a night, a stay: "3/4-3/5", "12/31-1/1"); what else a note writes so is a grade out of
  a fixed scale ("strength 4/5-5/5", "reflexes 2/4-3/4": one denominator), a fraction's dose ("1/2-1 tab", "1/2-3/4
  tab", "1/2-2/3": the second end no day after the first, or both ends fractions) or a count ("2-3 days").

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

# a range mark between two dates: a hyphen or an arrow ("-", "--", "->", "-->", "–"), "to", "thru", "through"
_RANGE_MARK = r"[ \t]*(?:-{1,2}>?|–|\bto\b|\bthru\b|\bthrough\b)[ \t]*"
_MONTH_DAY = r"(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:/(?:\d{4}|\d{2}))?"
# "3/4-3/5", "3/4 -> 3/5", "11/30/05-12/1/05": two dates, each with an optional year; or two written as one chain
# of slashes ("treated 10/13/10/14": a month/day/year would end there)
_DATE_TO_DATE = re.compile(
    rf"(?<![\w/.+-])(?:{_MONTH_DAY}{_YEAR}{_RANGE_MARK}{_MONTH_DAY}{_YEAR}|{_MONTH_DAY}/{_MONTH_DAY})(?![\w/+]|\.\d)"
)
# "12/3-4": a month and a day, then the next day
_DATE_TO_DAY = re.compile(rf"(?<![\w/.+-]){_MONTH_DAY}[ \t]*(?:-{{1,2}}>?|–)[ \t]*(3[01]|[12]\d|0?[1-9])(?![\w/+:]|\.\d)")
_MONTH_NAME = (r"jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
               r"|nov(?:ember)?|dec(?:ember)?")
# "1->2 Nov", "30-31 dec": two days, then a month ("may" and "mar" are words as often: left to the rules layer)
_DAYS_BEFORE_MONTH = re.compile(
    rf"(?i)(?<![\w/.+-])(3[01]|[12]\d|0?[1-9]){_RANGE_MARK}(3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?[ \t]+(?:{_MONTH_NAME})\b\.?"
)
# what a note doses by ("1/2 tab", "3/4 strength"), as the rules layer's numeric dates leave them
_FRACTIONS = frozenset({(1, 2), (1, 3), (2, 3), (1, 4), (3, 4)})
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _day_of_year(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def _forward_by_a_month_at_most(m1: int, d1: int, m2: int, d2: int) -> bool:
    """Whether the date (m2, d2) comes after (m1, d1) by a month at most, over a new year too ("12/31-1/1")."""
    if not (_day_of_year(m1, d1) and _day_of_year(m2, d2)):
        return False
    if m1 == m2:
        return d2 > d1
    return (m2 - m1) % 12 == 1 and d2 <= d1


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


class DateRange(_ChartDateRecognizer):
    """The days a note or a stay spans: "NPN 3/4-3/5", "12/31 -> 1/1", "12/3-4", "1->2 Nov"; never a grade
    ("strength 4/5-5/5"), a dose ("1/2-1 tab") or a count ("2-3 days")."""

    name = "date_range"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _DATE_TO_DATE.finditer(text):
            g = 1 if m.group(1) else 5  # which of the two shapes matched: its four groups
            m1, d1, m2, d2 = (int(m.group(i)) for i in range(g, g + 4))
            if m.group(g + 1) == m.group(g + 3) or not _forward_by_a_month_at_most(m1, d1, m2, d2):
                continue  # one denominator is a grade out of a scale ("4/5-5/5"); a range going back is none of days
            if (m1, d1) in _FRACTIONS and (m2, d2) in _FRACTIONS:
                continue  # "1/2-2/3": fractions
            spans += [self.span(m.start(g), m.end(g + 1)), self.span(m.start(g + 2), m.end(g + 3))]
        for m in _DATE_TO_DAY.finditer(text):
            month, d1, d2 = (int(g) for g in m.groups())
            if d2 != d1 + 1 or not _day_of_year(month, d2) or (month, d1) in _FRACTIONS or _COUNT_AFTER.match(text, m.end()):
                continue  # a night shift's two days, never a dose ("1/2-3 tabs", "1/2-1 tab")
            spans.append(self.span(m.start(1), m.end(3)))
        for m in _DAYS_BEFORE_MONTH.finditer(text):
            if int(m.group(1)) < int(m.group(2)):
                spans.append(self.span(m.start(1), m.end()))
        return spans


RECOGNIZERS: tuple[Recognizer, ...] = (ApostropheYear(), HyphenMonthDay(), DateRange())


def find(text: str) -> list[Span]:
    """The chart shorthand dates in ``text``, when it is a chart note; nothing in a call or prose."""
    if not is_chart(text):
        return []
    return run_all(RECOGNIZERS, text)
