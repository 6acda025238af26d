"""The punctuated calls of calls_dev rewritten the way its raw speech-recognition half is written, spans kept.

calls_dev has 40 punctuated calls and 40 raw-style ones (lower case, little punctuation, numbers said as words or
digits read one by one). The raw half is small, so a rule for raw text is measured on few inputs; projecting the
punctuated calls gives a second, larger set of raw-style material with gold spans that are exact by construction.
The projection follows how the raw half writes things (read off the development calls' raw half, never off what
the engine misses on the projection):

- everything lower case, except the ``Agent:``/``Caller:`` prefix the engine reads as the speaker;
- sentence punctuation gone (``. , ? ! ; : " ( )`` and dashes between words); apostrophes and hyphens inside words
  stay ("buc-ee's", "i-45"), and so does the slash of a written date ("7/22/87", as the raw half keeps it);
- an email or web address said aloud ("maria at gmail dot com");
- numbers in one of two renderings, chosen per call by a stable hash of its id so both appear in every subset:
  ``words``: every number said ("october fourteenth nineteen ninety one", "seven one three five five five oh one four
  eight", "twenty eight to thirty days"); ``digits``: an identifier's digits read one by one ("7 1 3 5 5 5 0 1 4 8",
  "x j t 8 8 4 2 0 1") and other numbers left as written.

A span's text is projected on its own, with its category, so offsets stay exact: ``project_raw`` returns the
projected text and the spans of the same identifiers in it.
"""

from __future__ import annotations

import re
import zlib
from typing import Iterable

from cipher_devtools.synth import spoken
from cipher_devtools.synth.spoken import digits_words


# the raw half writes compound numbers with spaces: "ninety eight", "twenty second"
def number_words(n: int) -> str:
    return spoken.number_words(n).replace("-", " ")


def ordinal_words(n: int) -> str:
    return spoken.ordinal_words(n).replace("-", " ")


def year_words(year: int) -> str:
    return spoken.year_words(year).replace("-", " ")

# identifier categories whose digits are read one by one (a phone number, a member ID, a ZIP, an SSN)
_DIGIT_BY_DIGIT = frozenset({
    "PHONE", "FAX", "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID", "IP", "ZIP",
})
_SPEAKER = re.compile(r"^(?:Agent|Caller):[ \t]*", re.M)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(r"\b(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|us|io)\b(?:/[\w/-]*)?", re.I)
_SLASH_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})\b")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)
_TIME = re.compile(r"\b(\d{1,2}):(\d\d)\b")
_MONEY = re.compile(r"\$(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d\d))?(k\b)?", re.I)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?!\w)")
_ROAD_BEFORE = re.compile(r"(?:highway|hwy|route|rte|interstate|exit|i-|fm|sr|us|county road|road)\s*$", re.I)
_PUNCT = re.compile(r"[.,?!;:\"()\[\]{}]|(?<!\w)[-–—]+|[-–—]+(?!\w)|[–—]")


def rendering(doc_id: str) -> str:
    """The number rendering of a call: ``words`` or ``digits``, fixed by its id (stable across runs)."""
    return "words" if zlib.crc32(doc_id.encode("utf-8")) % 2 == 0 else "digits"


def _cardinal(digits: str) -> str:
    n = int(digits.replace(",", ""))
    if len(digits) == 4 and 1900 <= n <= 2099:
        return year_words(n)
    if n >= 1_000_000:
        return digits_words(digits.replace(",", ""))
    return number_words(n)


def _number_in(category: str | None, text: str, words: bool) -> str:
    """The numbers of one piece in the call's rendering."""
    if category in _DIGIT_BY_DIGIT:
        # a code is read a character at a time, its digits as words or as digits: "XJT-884" -> "x j t eight eight
        # four" / "x j t 8 8 4"; a word of the code that is no run of capitals stays a word ("extension")
        def spell(m: re.Match) -> str:
            token = m.group()
            if not any(ch.isdigit() for ch in token) and not (token.isupper() and len(token) <= 4):
                return token
            chars = [ch for ch in token if ch.isalnum()]
            return " ".join((digits_words(ch, zero="oh") if words else ch) if ch.isdigit() else ch for ch in chars)

        return re.sub(r"[A-Za-z0-9]+(?:[,.-][A-Za-z0-9]+)*", spell, text)
    if not words:
        return text
    if category == "DATE":
        def slash(m: re.Match) -> str:
            month, day, year = m.groups()
            year_said = year_words(int(year)) if len(year) == 4 else number_words(int(year)) if int(year) >= 10 else f"oh {number_words(int(year))}"
            return f"{number_words(int(month))} {number_words(int(day))} {year_said}"

        text = _SLASH_DATE.sub(slash, text)
    text = _ORDINAL.sub(lambda m: ordinal_words(int(m.group(1))), text)
    text = _TIME.sub(lambda m: number_words(int(m.group(1))) + ("" if m.group(2) == "00" else
                     f" {'oh ' if m.group(2)[0] == '0' else ''}{number_words(int(m.group(2)))}"), text)
    text = _MONEY.sub(lambda m: _cardinal(m.group(1)) + (" thousand" if m.group(3) else "") + " dollars", text)

    def cardinal(m: re.Match) -> str:
        if category == "LOCATION" or category == "GEO":
            # a road keeps its number as the raw half writes it ("highway 99", "exit 333"); a house number or ZIP
            # is read digit by digit
            if _ROAD_BEFORE.search(text[: m.start()]):
                return m.group()
            return digits_words(m.group(1).replace(",", ""), zero="oh")
        head = _cardinal(m.group(1))
        return head + (" point " + digits_words(m.group(2)) if m.group(2) else "")

    return _NUMBER.sub(cardinal, text)


def project_piece(text: str, category: str | None, words: bool) -> str:
    """One piece of a call (an identifier with its category, or the text between identifiers with None)."""
    text = _EMAIL.sub(lambda m: m.group().replace("@", " at ").replace(".", " dot "), text)
    text = _WEB.sub(lambda m: re.sub(r"^https?://", "", m.group()).replace(".", " dot ").replace("/", " slash "), text)
    text = _number_in(category, text, words)
    text = _PUNCT.sub(" ", text)
    text = re.sub(r"-(?=\s|$)", " ", text).replace("-", " ") if category in _DIGIT_BY_DIGIT else text
    text = re.sub(r"[ \t]{2,}", " ", text.lower())
    return text


def _project_between(text: str, words: bool) -> str:
    """Text between identifiers: the speaker prefix kept as written, the rest projected."""
    out, last = [], 0
    for m in _SPEAKER.finditer(text):
        out.append(project_piece(text[last : m.start()], None, words))
        out.append(m.group())
        last = m.end()
    out.append(project_piece(text[last:], None, words))
    return "".join(out)


def project_raw(doc_id: str, text: str, spans: Iterable[tuple[int, int, str | None]]
                ) -> tuple[str, list[tuple[int, int, str | None, str]]]:
    """A punctuated call's ``text`` with its gold ``spans`` (start, end, category) as the raw half writes calls:
    the projected text and the same identifiers' spans in it, (start, end, category, value)."""
    words = rendering(doc_id) == "words"
    parts: list[str] = []
    new_spans: list[tuple[int, int, str | None, str]] = []
    pos = cursor = 0

    def glue(piece: str) -> str:
        # a space the projection dropped at a boundary must not join two words
        if piece[:1].isalnum() and parts and parts[-1][-1:].isalnum():
            return " " + piece
        return piece

    for start, end, category in sorted(spans):
        if start < cursor:
            continue  # calls_dev never nests spans; an overlapping one is left out rather than misplaced
        between = glue(_project_between(text[cursor:start], words))
        parts.append(between)
        pos += len(between)
        value = project_piece(text[start:end], category, words).strip()
        if value[:1].isalnum() and parts and parts[-1][-1:].isalnum():
            parts.append(" ")
            pos += 1
        new_spans.append((pos, pos + len(value), category, value))
        parts.append(value)
        pos += len(value)
        cursor = end
    parts.append(glue(_project_between(text[cursor:], words)))
    return _squeeze("".join(parts), new_spans)


def _squeeze(text: str, spans: list[tuple[int, int, str | None, str]]) -> tuple[str, list[tuple[int, int, str | None, str]]]:
    """Spaces the dropped punctuation left: none at a line's end, none doubled, one after the speaker's colon (the
    raw half has none of these); span offsets follow."""
    drop = [False] * len(text)
    for m in re.finditer(r"[ \t]+(?=\n|$)|(?<=[ \t])[ \t]+|(?<=: )[ \t]+", text):
        for i in range(m.start(), m.end()):
            drop[i] = True
    new_index, kept, n = [], [], 0
    for i, ch in enumerate(text):
        new_index.append(n)
        if not drop[i]:
            kept.append(ch)
            n += 1
    new_index.append(n)
    return "".join(kept), [(new_index[s], new_index[e], c, v) for s, e, c, v in spans]
