"""Render numbers, dates, phone numbers and emails the way people say them on the phone.

Callers rarely say "619-555-0142"; they say "six one nine, five five five, zero one four two". These helpers
produce both the spoken and the written form of a value so that the script generator can plant either, and the
ASR-style corpus can re-render a value the way Whisper tends to write it.
"""

from __future__ import annotations

from datetime import date

from cipher_pipeline.vocabulary import ONES as _ONES
from cipher_pipeline.vocabulary import TENS as _TENS

_ORDINAL_WORDS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
DIGIT_WORDS = {str(i): _ONES[i] for i in range(10)}


def number_words(n: int) -> str:
    """Cardinal words for 0 <= n < 1,000,000: 4500 -> "four thousand five hundred"."""
    if n < 0 or n >= 1_000_000:
        raise ValueError(f"out of range: {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


def ordinal_words(n: int) -> str:
    """Ordinal words: 3 -> "third", 21 -> "twenty-first", 12 -> "twelfth"."""
    words = number_words(n)
    head, sep, last = words.rpartition("-") if "-" in words else ("", "", words)
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last = last + "th"
    return f"{head}{sep}{last}"


def ordinal_suffix(n: int) -> str:
    """3 -> "3rd", 11 -> "11th", 22 -> "22nd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


def year_words(year: int) -> str:
    """How a year is said: 1987 -> "nineteen eighty-seven", 2005 -> "two thousand five", 2026 -> "twenty twenty-six"."""
    if 2000 <= year <= 2009:
        return "two thousand" + (f" {number_words(year - 2000)}" if year > 2000 else "")
    high, low = divmod(year, 100)
    if low == 0:
        return f"{number_words(high)} hundred"
    low_words = f"oh {number_words(low)}" if low < 10 else number_words(low)
    return f"{number_words(high)} {low_words}"


def digits_words(digits: str, zero: str = "zero") -> str:
    """Digit by digit: "0142" -> "zero one four two" (``zero="oh"`` gives "oh one four two")."""
    return " ".join(zero if d == "0" else DIGIT_WORDS[d] for d in digits)


def phone_spoken(digits10: str, zero: str = "zero") -> str:
    """A 10-digit number in the three spoken groups: "six one nine, five five five, zero one four two"."""
    a, b, c = digits10[:3], digits10[3:6], digits10[6:]
    return f"{digits_words(a, zero)}, {digits_words(b, zero)}, {digits_words(c, zero)}"


def phone_written(digits10: str, style: int = 0) -> str:
    """A 10-digit number written: style 0 "(619) 555-0142", 1 "619-555-0142", 2 "619.555.0142"."""
    a, b, c = digits10[:3], digits10[3:6], digits10[6:]
    return [f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}"][style % 3]


def date_spoken(d: date, with_year: bool = True) -> str:
    """ "March third, nineteen eighty-seven" or "March third"."""
    base = f"{MONTHS[d.month - 1]} {ordinal_words(d.day)}"
    return f"{base}, {year_words(d.year)}" if with_year else base


def date_written(d: date, style: int = 0, with_year: bool = True) -> str:
    """Written dates: style 0 "March 3rd, 1987", 1 "3/3/1987", 2 "March 3, 1987"."""
    if not with_year:
        return [f"{MONTHS[d.month - 1]} {ordinal_suffix(d.day)}", f"{d.month}/{d.day}",
                f"{MONTHS[d.month - 1]} {d.day}"][style % 3]
    return [
        f"{MONTHS[d.month - 1]} {ordinal_suffix(d.day)}, {d.year}",
        f"{d.month}/{d.day}/{d.year}",
        f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    ][style % 3]


def email_spoken(local: str, domain: str, spell_local: bool = False) -> str:
    """ "maria.lopez" + "gmail.com" -> "maria dot lopez at gmail dot com" (underscores said as "underscore").

    ``spell_local`` spells the letters of the local part: "M A R I A dot L O P E Z at gmail dot com".
    """
    def say(part: str, spell: bool = False) -> str:
        out = part.replace(".", " dot ").replace("_", " underscore ").replace("-", " dash ")
        # digits in an address are read one by one: "lopez87" -> "lopez eight seven"
        pieces: list[str] = []
        for token in out.split():
            head = token.rstrip("0123456789")
            tail = token[len(head):]
            if head and spell and head not in ("dot", "underscore", "dash"):
                pieces.append(spell_letters(head))
            elif head:
                pieces.append(head)
            if tail:
                pieces.append(digits_words(tail))
        return " ".join(pieces)

    return f"{say(local, spell_local)} at {say(domain)}"


def money_spoken(amount: int) -> str:
    """ "$4,500" said aloud: "four thousand five hundred dollars" (or "forty-five hundred dollars")."""
    return f"{number_words(amount)} dollars"


def money_written(amount: int) -> str:
    """ "$4,500"."""
    return f"${amount:,}"


def spell_letters(word: str) -> str:
    """Spelled out as a caller would: "Holloway" -> "H O L L O W A Y"."""
    return " ".join(ch.upper() for ch in word if ch.isalpha())


def code_runs(code: str) -> list[str]:
    """Split an ID into letter runs and digit runs, in order: "9MML638" -> ["9", "MML", "638"]."""
    runs: list[str] = []
    for ch in code:
        if runs and runs[-1][-1].isdigit() == ch.isdigit():
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def alnum_spoken(code: str) -> str:
    """An ID read aloud, letters spelled and digits in groups of three, in the order written:
    "XWB448172093" -> "X W B, four four eight, one seven two, zero nine three"; "9MML638" -> "nine, M M L, six three eight"."""
    parts: list[str] = []
    for run in code_runs(code):
        if run[0].isdigit():
            parts.extend(digits_words(run[i:i + 3]) for i in range(0, len(run), 3))
        else:
            parts.append(" ".join(run.upper()))
    return ", ".join(parts)
