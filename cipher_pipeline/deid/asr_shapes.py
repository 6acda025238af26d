"""Identifiers in the shapes faster-whisper actually writes them: the ``asr`` layer.

Whisper rarely writes a spoken phone, member or social security number the way a person would type it. It
splits the digits with commas, hyphens, periods or spaces wherever the speaker paused ("916, 5, 5, 6, 6, 2, 3",
"4-4-2, 5-5-5, 5-0-2-3", "XWB-448,172,093", "six, six, one, five, ..."), writes dates as "10, 31, 26", and
mangles the cue before them ("Remember ID" for "member ID", "date on birth" for "date of birth"). The rules
layer reads such runs conservatively (a comma after a short group ends a run, so "3, 4 times" stays a list);
this layer reads them generously and decides by the total digit count and by the cue in the current line or
the line before (the agent asks, the caller answers on the next line):

* 7 or more digits in one run: always an identifier (category from the cue, else PHONE at 10/11 digits,
  else OTHER_ID), unless it is money.
* 5-6 digits: an identifier only after an ID cue (member, group, ID, policy, case, serial, plate, ...).
* 4 digits spoken or split: SSN after "social", "SSN" or "last four".
* month/day(/year) shapes ("10, 31, 26", "11-08-95") after a date cue (born, birth, birthday, date, "on").
* "admit you on the sixth": the words after a scheduling cue, however Whisper heard them.
* what is left of a spoken email address in the answer to "what's your email?".
* a number Whisper cut across two segments of one speaker ("my cell is 916, 555," ... "6623.") is judged by the
  digits of both halves; digit sound-alikes ("high in 5, 1, 5, ...") join a phone run short of ten digits.
* carrier names as Whisper hears them in an insurance frame ("I have signal" = Cigna, "medical" = Medi-Cal), and
  what ``asr_terms.misheard_terms`` finds ("Care, Oregon", "maybe care" after an insurance question), tagged with
  the canonical id of ``lexicons/insurers.yaml``: ``asr_terms`` is the one home for how Whisper mishears a carrier.
* phone numbers heard on 8 kHz audio as mostly sound-alike words ("714. Time, time, time", "619, I'm time, I'm
  8479"), across ". " and one stray word; a chain of height-shaped groups ("5'6\", 2'5\", 5'5\", ...").
* the spelled letter prefix of an ID as Whisper heard it ("M and E, two, one, ...", "not a UKC, 3M and 3, 5, ...").
* a digit ordinal day with its weekday or "the" garbled ("first paper 9th works"), never one that counts a noun.
* an age over 89 with its digits split ("She's 9-3") or after "she's" heard as "shoes" next to an elder relative ("my
  grandma lives with her shoes 96"); the written "she's 93" is the rules layer's.
* date remnants: an ordinal day before a year ("oktober 21st, 2026", "fifth, nineteen seventy eight"; the year
  stays), "Tuesday, the sick", a scheduled day up to the mangled "if that works", and a short answer ending in
  ", <year>." whose month and day became words ("Made well, 1972.").

Money, durations, counts, doses, times and bare years never reach a threshold or are excluded by the words
around them. Each shape is one recognizer of ``RECOGNIZERS`` (its name on every span it finds); call
``find(text)``; spans carry ``layer="asr"``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Callable

from cipher_pipeline.asr_terms import COMMON_WORD_FORMS, common_word_term, misheard_terms
from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.recognizer import Recognizer, run_all
from cipher_pipeline.deid.rules import MEASURE_BEFORE
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import ANY_SHORT_LABEL_PATTERN, label_at, speaker_at, strip_labels
from cipher_pipeline.deid.words import CORE_FUNCTION_WORDS, DETERMINERS, ELDER_KIN, is_safe_word, kin_pattern

LAYER = "asr"

DIGIT_WORDS = {
    "zero": 1, "oh": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1, "seven": 1,
    "eight": 1, "nine": 1,
}
# Words Whisper writes for a spoken digit ("one for zero six", "zero to five"): digits only between digits.
WEAK_DIGIT_WORDS = {"oh", "for", "to", "too", "won", "ate"}
REPEAT_WORDS = {"double": 2, "triple": 3}
# On 8 kHz phone audio Whisper hears "five" as "time", "nine" as "pine", "seven" as "heaven" ("7-0-2,
# time-time-time, 4-8-0-3"). Inside a run that already holds four real digits, these count as digits.
PHONE_BAND_SOUNDALIKES = {"time", "pine", "hine", "heaven", "high", "fine", "tree", "free", "sex", "sick", "hero", "nigh", "dime", "tine", "nero", "niro"}
# All-caps words that are speech, never part of a code, even next to digits.
_CAPS_WORDS = {
    "I", "A", "OK", "IT", "IS", "MY", "THE", "AND", "TO", "OF", "IN", "ON", "AT", "NO", "SO", "OR", "US", "UH",
    "UM", "OH", "HE", "SHE", "WE", "ME", "BUT", "YES", "ITS", "HMO", "PPO", "EPO", "DUI", "ER", "TV", "AM", "PM",
    "DOB", "SSN", "ID", "MAT", "IOP", "PHP", "AA", "NA", "IBAN", "VIN", "MRN", "NPI", "PIN", "ZIP", "DL", "EIN", "TIN",
    "CASE", "APT", "UNIT", "RX",
}

_DETERMINERS = {"this", "that", "the", "a", "which", "each", "every", "no", "any", "another", "one", "new", "other", "only"}

_TOKEN = re.compile(r"[A-Za-z]+\d[A-Za-z\d]*|\d+[A-Za-z]+\d*[A-Za-z\d]*|\d+|[A-Za-z]+(?:'[A-Za-z]+)?|\S")

# Cues, searched in the current line before the run and in the previous line. The nearest named cue wins.
_CUES: list[tuple[str, str]] = [
    (r"social(?:\s+security)?|\bssn\b|\bsocials?\b|last\s+(?:four|4)\b", "SSN"),
    (r"\bfax\b", "FAX"),
    (r"member|subscriber|\bgroup\b|root\s+number|\bpolicy\b|\bplan\s+(?:id|number)\b|\bid\b|\bi\.d\b|\bcard\b", "HEALTH_PLAN"),
    (r"(?<!\bin )\bcase\b|\bclaim\b|\baccount\b|docket|citation", "ACCOUNT"),
    (r"\bbooking\b|\binmate\b|\bhandle\b", "OTHER_ID"),
    (r"\bserial\b|\bmonitor\b|\bdevice\b", "DEVICE"),
    (r"licen[cs]e|\bpermit\b", "LICENSE"),
    (r"\bplate\b|\bvin\b|\btag\b", "VEHICLE"),
    (r"medical\s+record|\bmrn\b|\bchart\b|patient\s+(?:number|id)|record\s+number", "MRN"),
    (r"\bphone\b|\bcell\b|\bnumber\b|\breach\b|\bcall(?:\s+back|ing)?\b|\bcallback\b|this\s+one|\bthis\s+is\b|\bdial\b", "PHONE"),
]
_CUE_RE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_CUES)), re.I)
_ID_CUE_CATEGORIES = {"SSN", "FAX", "HEALTH_PLAN", "ACCOUNT", "OTHER_ID", "DEVICE", "LICENSE", "VEHICLE", "MRN"}

_DATE_CUE = re.compile(
    r"\bborn\b|birth|birthday|\bdob\b|\bdate\b|\bd\.o\.b\b|admit|admission|appointment|\bscheduled?\b", re.I
)
_ON_BEFORE = re.compile(r"\bon\s*$", re.I)

_MONEY_BEFORE = re.compile(r"(?:\$|\busd\s*|\bdollars?\s+)$", re.I)
_NOT_ID_AFTER = re.compile(
    r"^[\s,]*(?:dollars?|bucks|grand|cents?|k\b|thousand|hundred|million|percent|%|per\b|a\s+(?:day|week|month|year)"
    r"|mg|milligrams?|micrograms?|mcg|ml|milliliters?|cc|ccs|meq|mmol|liters?|l\b|gtts?|units?|pills?|tablets?|doses?|times?|days?|weeks?|months?"
    r"|years?|hours?|hrs?|minutes?|mins?|seconds?|miles?|pounds?|lbs?|feet|foot|inches?|people|persons|members|patients"
    r"|clients|residents|users|deaths|overdoses|calls|beds?|sessions?|steps?"
    r"|o'clock|a\.?m\b|p\.?m\b)",
    re.I,
)
_MONTH_NAME = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$",
    re.I,
)

# "we could admit you on the sixth": Whisper hears the day as anything ("the salmon", "the lines"), so after an
# admission/scheduling cue the words up to the next punctuation are the date.
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAYISH = re.compile(
    _WEEKDAY + r"|\d|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\w+teenth|twentieth|thirtieth|one|two|three|four|five|six|seven|eight|nine|ten)\b|\b(?:jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.I,
)
_SCHEDULE = re.compile(
    r"\b(?:could|can|will|would|we'll|to|and)\s+admit\s+(?:(?:you|him|her|them|they're|you're|we're|that|the|he|she)\s+)?"
    r"(?P<on>(?:on|for)\s+)?"
    r"(?P<day>" + _WEEKDAY + r",\s+[^.,;:?!\n]{2,24}?|[^.,;:?!\n]{2,36}?)"
    r"(?=\s*(?:[.,;:?!\n]|$|\bdoes\b|\bdoesn't\b|\bnone\b|\bis\s+that\b))",
    re.I,
)
# what follows "admit you on/for" that is not a day
_NOT_A_DAY = re.compile(
    r"^(?:the\s+)?(?:program|detox|unit|facility|residential|outpatient|phone|wait(?:ing)?\s+list|list|same|"
    r"insurance|medication|meds|suboxone|methadone|it|that|this|a|an|now|today|tonight|tomorrow|soon)\b",
    re.I,
)

_EMAIL_CUE = re.compile(r"e-?mail", re.I)
# where a spoken address ends: "dot com" however heard ("not calm"), ". com", ", net", a bare " com" after the
# domain; "come" and "calm" only after "dot"/"not", since "can you come" or "stay calm" end no address
_EMAIL_END = re.compile(
    r"(?:\b(?:dot|not)\s*(?:com|come|calm|net|org|edu)\b|[\s.,]\s*(?:com|net|org|edu)\b|@\S+|\bat\s+(?:gmail|yahoo|"
    r"hotmail|outlook|aol|icloud|email|mail)\b)",
    re.I,
)
_EMAIL_START = re.compile(r"(?:\bit's|\bit\s+is|\bemail\s+is|\baddress\s+is)[,:]?\s+", re.I)
_LEADING_FILLER = re.compile(
    r"^\s*(?:(?:sure|okay|ok|yeah|yes|yep|um|uh|so|well|right|use\s+mine|mine|is|it's|it\s+is|that's|that\s+would\s+be|"
    r"my\s+email\s+is|email\s+is|the\s+email\s+is)[,.]?\s+)*",
    re.I,
)


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    kind: str  # "D" digits, "W" digit word, "R" repeat word, "L" code letters, "M" mixed code, "X" other
    digits: int = 0


_MIXED = re.compile(r"[A-Za-z]*\d[A-Za-z\d]*")


def _classify(tok: str) -> tuple[str, int]:
    low = tok.lower()
    if tok.isdigit():
        return "D", len(tok)
    if _MIXED.fullmatch(tok):
        return "M", sum(c.isdigit() for c in tok)
    if low in DIGIT_WORDS:
        return "W", 1
    if low in WEAK_DIGIT_WORDS:
        return "w", 1
    if low in PHONE_BAND_SOUNDALIKES:
        return "s", 1
    if low in REPEAT_WORDS:
        return "R", 0
    if tok.isalpha() and tok.isupper() and len(tok) <= 4 and tok not in _CAPS_WORDS:
        return "L", 0
    return "X", 0


def _tokens(line: str, offset: int) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(line):
        tok = m.group()
        if len(tok) == 1 and not tok.isalnum():
            continue  # punctuation is looked at as the gap between tokens
        if tok.lower() in _SPOKEN_SEPARATORS:
            continue  # "4 4 2 dash 9 1 0": a separator said aloud is a gap too (``_joined``)
        kind, n = _classify(tok)
        if kind == "X" and len(tok) == 1 and tok.isalpha() and tok.lower() not in ("a", "i"):
            kind = "L"  # a spelled letter of a code: "h 0 to 5, 5, 3, 8"
        elif tok in ("I", "A") and re.match(r"-[A-Za-z\d]", line[m.end() : m.end() + 2]):
            kind = "L"  # "I-51-555-841-6": hyphenated to the digits, the letter belongs to the code
        out.append(_Tok(tok, m.start() + offset, m.end() + offset, kind, n))
    return out


_SPOKEN_SEPARATORS = frozenset({"dash", "hyphen"})
_SPOKEN_GAP = re.compile(r"[ ,]*(?:dash|hyphen)[ ,]*", re.I)


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    """Whether the gap between two tokens is a separator Whisper puts inside one spoken number."""
    gap = text[a.end : b.start]
    if _SPOKEN_GAP.fullmatch(gap) and a.kind in "DMWw" and b.kind in "DMWw":
        return True
    if "\n" in gap or len(gap) > 3:
        return False
    if re.fullmatch(r"[ ,\-]*", gap):
        return True
    if gap == "." and a.kind in "DMWLw" and b.kind in "DMWw":
        return True  # "5.08.6"
    if re.fullmatch(r"\.[ ,\-]?", gap) and a.kind == "L":
        return True  # "M.B.Q. 977"
    if gap == ". " and text[a.start - 1 : a.start] == "-" and (text[b.end : b.end + 1] == "-" or b.kind == "s"):
        return True  # spelled groups Whisper wrote as sentences: "time 1-6. 5-5-5. Heaven 1-7-5"
    return False


def _runs(text: str, toks: list[_Tok]) -> list[tuple[int, int, int, bool]]:
    """(first token, last token, digit count, has_code_letters) for each maximal joined run holding digits."""
    runs = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].kind not in "DMWRLs":
            i += 1
            continue
        j = i
        while j + 1 < n and _joined(text, toks[j], toks[j + 1]):
            nxt = toks[j + 1]
            if nxt.kind in "DMWRLs":
                j += 1
            elif nxt.kind == "w" and toks[j].kind in "DMW" and j + 2 < n and toks[j + 2].kind in "DMW" and _joined(text, nxt, toks[j + 2]):
                j += 1  # "one for zero six": a weak word counts only between digits
            else:
                break
        # "it's this one, nine one six, ...": "one" after a determiner is a pronoun, not a digit
        if toks[i].text.lower() == "one" and i > 0 and toks[i - 1].text.lower() in _DETERMINERS and i < j:
            i += 1
            while i < j and toks[i].kind == "w":
                i += 1
        # code letters and repeat words only count when digits follow: trim them off the end
        while j >= i and toks[j].kind in "LRw":
            j -= 1
        # a run may not start with a weak or repeat word that does not lead into digits
        while i <= j and toks[i].kind == "R" and not (i + 1 <= j and toks[i + 1].kind in "WDLM"):
            i += 1
        # "Oh, and his insurance": an "oh" is a zero only inside a run of digits
        while i <= j and toks[i].text.lower() == "oh" and not (i < j and toks[i + 1].kind in "DW"):
            i += 1
        while j >= i and toks[j].text.lower() == "oh" and not (j > i and toks[j - 1].kind in "DW"):
            j -= 1
        # sound-alikes count only in a run with four real digits; otherwise they are words and leave its ends
        real = sum(toks[k].digits for k in range(i, j + 1) if toks[k].kind != "s")
        if real < 4:
            while i <= j and toks[i].kind == "s":
                i += 1
            while j >= i and toks[j].kind in "sLRw":
                j -= 1
        if i <= j:
            digits = 0
            for k in range(i, j + 1):
                if toks[k].kind == "s" and real < 4:
                    continue
                t = toks[k]
                if t.kind == "R" and k + 1 <= j and toks[k + 1].kind == "W":
                    digits += REPEAT_WORDS[t.text.lower()] - 1
                digits += t.digits
            if digits:
                has_code = any(toks[k].kind in "LM" for k in range(i, j + 1))
                runs.append((i, j, digits, has_code))
        i = max(j + 1, i + 1)
    return runs


_CUE_REACH = 300


@functools.lru_cache(maxsize=8)
def _all_cues(text: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Every cue in ``text`` once, as (end, start, category) sorted by end, with the ends for bisecting: each
    number then finds its nearest cue in logarithmic time, so a line of a thousand numbers stays linear."""
    found = sorted((m.end(), m.start(), _CUES[int(m.lastgroup[1:])][1]) for m in _CUE_RE.finditer(text))
    return [f[0] for f in found], found


@functools.lru_cache(maxsize=8)
def _all_date_cues(text: str) -> tuple[list[int], list[int]]:
    found = sorted((m.start(), m.end()) for m in _DATE_CUE.finditer(text))
    return [f[0] for f in found], [f[1] for f in found]


def _date_cue_between(text: str, lo: int, hi: int) -> bool:
    """Whether a date cue ("date of birth", "born") lies wholly inside text[lo:hi]; one scan per text."""
    starts, ends = _all_date_cues(text)
    i = bisect.bisect_left(starts, lo)
    while i < len(starts) and starts[i] < hi:
        if ends[i] <= hi:
            return True
        i += 1
    return False


def _cue(text: str, start: int) -> tuple[str | None, int, str]:
    """The nearest named cue before ``start`` in this line and the previous one: (category, distance, window)."""
    line_start = text.rfind("\n", max(0, start - _CUE_REACH), start) + 1
    if line_start == 0 and start > _CUE_REACH:
        line_start = start - _CUE_REACH
    prev_start = text.rfind("\n", max(0, start - _CUE_REACH), max(line_start - 1, 0)) + 1 if line_start > 0 else 0
    # bounded: a cue further back than this says nothing about the number
    window_start = max(prev_start, start - _CUE_REACH)
    window = text[window_start:start]
    ends, cues = _all_cues(text)
    best: tuple[str | None, int] = (None, 10**9)
    generic: tuple[str | None, int] = (None, 10**9)
    i = bisect.bisect_right(ends, start)
    while i > 0:
        i -= 1
        end, cue_start, cat = cues[i]
        if cue_start < window_start:
            if end <= window_start:
                break
            continue
        dist = start - end
        if cat == "PHONE":
            if generic[0] is None:
                generic = (cat, dist)
        elif best[0] is None:
            best = (cat, dist)
        if best[0] is not None:
            break
    cat, dist = best if best[0] else generic
    return cat, dist, window


def _is_date_shape(parts: list[str]) -> bool:
    """month, day(, year) written as digit groups: "10, 31, 26", "11-08-95", "12, 14, 89"."""
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return False
    if not (1 <= len(parts[0]) <= 2 and 1 <= len(parts[1]) <= 2):
        return False
    month, day = int(parts[0]), int(parts[1])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return len(parts) == 2 or len(parts[2]) in (2, 4)


# Words Whisper writes for digits it did not recognise ("my cell is high in 5, 1, 5, ...", "it's time 5, 1, 5"):
# next to a phone-length run that is short of ten digits, they are the missing digits.
_DIGIT_SOUNDALIKES = {
    "high", "hi", "fine", "time", "dime", "nigh", "in", "won", "wan", "tree", "free", "sex", "sick", "heaven",
    "ate", "hate", "tin", "to", "too", "for", "fore", "owe", "hero", "sero", "night", "near", "nero", "niro",
}


_WEAK_SOUNDALIKES = {"in", "to", "too", "for", "fore", "owe"}  # common words: only inside "high in"


def _soundalike_edges(text: str, toks: list[_Tok], i: int, j: int) -> tuple[int, int]:
    """The run's start and end, widened over up to two digit sound-alike words directly before or after it.

    "in", "to", "for" are everyday words: they join only when a stronger sound-alike stands beyond them.
    """

    def widen(step: int, edge: int, pos: int) -> int:
        taken: list[_Tok] = []
        k = edge + step
        while 0 <= k < len(toks) and len(taken) < 2 and toks[k].text.lower() in _DIGIT_SOUNDALIKES:
            inner = taken[-1] if taken else toks[edge]
            gap = text[toks[k].end : inner.start] if step < 0 else text[inner.end : toks[k].start]
            if not re.fullmatch(r"[ ,]{1,2}", gap):
                break
            taken.append(toks[k])
            k += step
        while taken and taken[-1].text.lower() in _WEAK_SOUNDALIKES:
            taken.pop()
        if not taken:
            return pos
        return taken[-1].start if step < 0 else taken[-1].end

    return widen(-1, i, toks[i].start), widen(1, j, toks[j].end)


_LINE_HEAD = re.compile(r"^\s*(?:(?:" + ANY_SHORT_LABEL_PATTERN + r")\s*:)?\s*(?:(?:um|uh|so|and|yeah|okay|ok)[,.]?\s+)*$", re.I)


_HAS_NUMBER = re.compile(r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine)\b", re.I)


def _line_runs(text: str) -> list[tuple[int, list[_Tok], list[tuple[int, int, int, bool]]]]:
    """(line index, tokens, runs) for every line, tokens carrying offsets into ``text``."""
    out = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        # most lines hold no number at all: skip tokenizing them (most of this layer's time)
        toks = _tokens(line, offset) if _HAS_NUMBER.search(line) else []
        out.append((index, toks, _runs(text, toks)))
        offset += len(line) + 1
    return out


def _split_partners(text: str, lines) -> dict[tuple[int, int], int]:
    """Digits a run's other half holds when Whisper cut one number across two segments of the same speaker.

    A run that ends its line and a run that starts the speaker's next line (the other side's line may sort
    between them) are one number: "my cell is 916, 555," / "6623.".
    """
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    raw = text.split("\n")
    speaker = [speaker_at(l, loose=True) for l in raw]  # any short label: the same speaker's, whatever it is called
    partners: dict[tuple[int, int], int] = {}
    for index, toks, runs in lines:
        if not runs or speaker[index] is None:
            continue
        ri, (i, j, digits, _) = len(runs) - 1, runs[-1]
        if not re.fullmatch(r"[\s,.\-]*", text[toks[j].end : starts[index + 1] - 1]):
            continue
        for nxt in (index + 1, index + 2):
            if nxt >= len(lines):
                break
            if speaker[nxt] != speaker[index]:
                if raw[nxt].rstrip().endswith("?") and not re.search(r"[,\-]\s*$", raw[index]):
                    # the other side asked something and this number did not trail off with a comma: the next
                    # line is an answer ("How old is he?" / "25"), not the rest of the number
                    break
                continue
            n_toks, n_runs = lines[nxt][1], lines[nxt][2]
            together = digits + n_runs[0][2] if n_runs else 0
            # only a number still short of a phone's ten digits is waiting for its other half
            if n_runs and digits < 10 and together <= 12 and _LINE_HEAD.match(text[starts[nxt] : n_toks[n_runs[0][0]].start]):
                partners[(index, ri)] = partners.get((index, ri), 0) + n_runs[0][2]
                partners[(nxt, 0)] = partners.get((nxt, 0), 0) + digits
            break
    return partners


# Letters of a code as Whisper heard them when the speaker spelled the prefix ("M and E" = M-N-E, "F, not all UK",
# "double UKC", "my cue" = M-Q, "It's me, four, zero, ..." = M-4-0-...): read only directly before an ID run.
_LETTER_SOUNDS = {
    "and", "not", "all", "a", "an", "are", "you", "why", "see", "sea", "be", "bee", "tea", "gee", "jay", "kay", "okay",
    "pea", "cue", "queue", "ex", "em", "en", "es", "eye", "me", "my", "mini", "near", "of", "oh", "double", "triple",
    "easy", "i",
}
# where a spelled code starts: the words that hand it over ("it's", "the number is", "let me repeat that,")
# ("the member I need is" is how Whisper hears "the member ID is")
_CODE_HANDOVER = {
    "it's", "its", "is", "was", "am", "have", "that", "plate", "number", "id", "license", "licence", "need", "needed",
}


def _letter_prefix_start(text: str, toks: list[_Tok], i: int) -> int:
    """Where an ID run beginning at token ``i`` really starts, once the spelled letters before it are taken in."""
    taken: list[int] = []
    k = i - 1
    while k >= 0 and len(taken) < 5:
        gap = text[toks[k].end : toks[k + 1].start]
        if not re.fullmatch(r"[ ,.\-]{0,3}", gap):
            break
        tok = toks[k]
        strong = tok.kind in "LMDW" or tok.kind == "R" or (len(tok.text) == 1 and tok.text.isalpha() and tok.text != "I")
        if not strong and tok.text.lower() not in _LETTER_SOUNDS:
            break
        taken.append(k)
        k -= 1
    # an ordinary word at the far end counts as a letter only where the code is being handed over
    handover = k < 0 or toks[k].text.lower() in _CODE_HANDOVER
    while taken and not handover:
        tok = toks[taken[-1]]
        if tok.kind in "LMDWR" or (len(tok.text) == 1 and tok.text.isalpha() and tok.text != "I"):
            break
        taken.pop()
    return toks[taken[-1]].start if taken else toks[i].start


def _number_spans(text: str) -> list[Span]:
    """Digit runs judged by their digit count, shape and the cue before them (see the module docstring)."""
    spans: list[Span] = []
    lines = _line_runs(text)
    partners = _split_partners(text, lines)
    for index, toks, runs in lines:
        for ri, (i, j, own_digits, has_code) in enumerate(runs):
            digits = own_digits + partners.get((index, ri), 0)
            start, end = toks[i].start, toks[j].end
            before = text[max(0, start - 12) : start]
            after = text[end : end + 24]
            if _MONEY_BEFORE.search(before):
                continue
            values = [t for t in toks[i : j + 1] if t.kind in "DW"]
            if MEASURE_BEFORE.search(before) and j - i <= 2 and values and all(t.digits >= 2 for t in values):
                continue  # "svr 1100 to 1400", "bp 100 to 120": a vital's values, not an ID read digit by digit
            if _NOT_ID_AFTER.match(after):
                # the unit belongs to the last group only: "555 2132, 47 years old" keeps the phone number
                if j > i and toks[j].kind in "DW" and re.search(r",\s*$", text[toks[j - 1].end : toks[j].start]):
                    digits -= toks[j].digits
                    j -= 1
                    end = toks[j].end
                    after = text[end : end + 24]
                else:
                    continue
            if re.match(r"\s*(?::|'|\")\s*\d", after) or re.search(r"\d\s*:\s*$", before):
                continue  # clock times and heights are not identifiers
            parts = [t.text for t in toks[i : j + 1]]
            cat, dist, window = _cue(text, start)
            line_prefix = text[max(text.rfind("\n", 0, start) + 1, start - 200) : start]
            strong_date_cue = _date_cue_between(text, start - len(window), start)
            date_cue = strong_date_cue or bool(_ON_BEFORE.search(line_prefix))
            # "12, 14, 89" said on its own is a date even when the question was lines ago; inside a sentence
            # three small numbers are more likely a list
            if all(re.fullmatch(r"(?:19|20)\d\d", p) for p in parts):
                continue  # "in 2019, 2020 and 2021": years, which Safe Harbor lets stay
            full_date = len(parts) == 3 and len(parts[2]) in (2, 4) and bool(re.match(r"\s*(?:[.;?!]|$|\n)", after))
            # two small numbers after a bare "on" are as often a count ("on 3, 4 occasions") as a date
            date_ok = strong_date_cue or full_date or (date_cue and len(parts) == 3)
            if _is_date_shape(parts) and date_ok and not _MONTH_NAME.search(line_prefix):
                spans.append(Span(start, end, "DATE", LAYER))
                continue
            if digits >= 7:
                no_cue = cat is None
                if cat is None or (cat == "PHONE" and digits not in (7, 10, 11) and dist > 60):
                    cat = "PHONE" if digits in (10, 11) else "OTHER_ID"
                if digits < 10 and cat in ("PHONE", "OTHER_ID"):
                    start, end = _soundalike_edges(text, toks, i, j)
                if cat in _ID_CUE_CATEGORIES and cat != "SSN" and (dist < 120 or no_cue):
                    start = min(start, _letter_prefix_start(text, toks, i))
                spans.append(Span(start, end, cat, LAYER))
                continue
            if _MONTH_NAME.search(line_prefix[-16:]):
                continue  # "March 4, 1999": the date rules own it
            single_year = len(parts) == 1 and re.fullmatch(r"(?:19|20)\d\d", parts[0])
            if digits == 4 and not single_year and cat == "SSN" and dist < 200:
                spans.append(Span(start, end, "SSN", LAYER))
                continue
            if digits >= 5 and cat in _ID_CUE_CATEGORIES and cat != "SSN" and dist < 120:
                start = _letter_prefix_start(text, toks, i)
            if 5 <= digits <= 6 and cat in _ID_CUE_CATEGORIES and dist < 120:
                spans.append(Span(start, end, cat, LAYER))
                continue
            if 4 <= digits <= 6 and has_code and cat in _ID_CUE_CATEGORIES and dist < 120:
                spans.append(Span(start, end, cat, LAYER))
                continue
            if digits >= 3 and has_code and cat in _ID_CUE_CATEGORIES and dist < 40:
                spans.append(Span(start, end, cat, LAYER))  # "the group number is T, 6, 11"
                continue
            if digits >= 4 and len(parts) >= 4 and re.fullmatch(r"\d(?:-\d)+", text[start:end]):
                # digits read one by one and written "3-1-7-8": a spelled identifier, whatever the cue
                spans.append(Span(start, end, cat if cat in _ID_CUE_CATEGORIES else "OTHER_ID", LAYER))
    return spans


def _phone_band_spans(text: str) -> list[Span]:
    """Phone numbers Whisper heard on 8 kHz audio as mostly sound-alike words: "6-1-9, time, time, time, nearly
    2-0, 66", "714. Time, time, time.", "time time time. 2413".

    The run reader above counts sound-alikes only beside four real digits and stops at a period or an unknown
    word; here a run of digits, digit words and sound-alikes may cross ". " and one stray word ("nearly", "or")
    between two digit tokens, and it is a phone number when it holds at least three sound-alikes and enough
    real digits that an everyday "one time, time and again" does not qualify.
    """
    spans: list[Span] = []
    for _index, toks, _runs_ in _line_runs(text):
        # on phone audio "nine" comes out as "I'm" ("619, I'm time, I'm 8479"): here, and only here, it is a
        # sound-alike, so it counts only inside a run that holds three of them and real digits
        toks = [_Tok(t.text, t.start, t.end, "s", 1) if t.text.lower() in ("i'm", "im") else t for t in toks]
        n = len(toks)
        i = 0
        while i < n:
            if toks[i].kind not in "DWs":
                i += 1
                continue
            seq = [i]
            k = i + 1
            while k < n:
                gap = text[toks[seq[-1]].end : toks[k].start]
                if not re.fullmatch(r"[ ,.\-]{0,3}", gap) or "\n" in gap:
                    break
                if toks[k].kind in "DWs":
                    seq.append(k)
                    k += 1
                    continue
                # one stray word between two digit tokens: "time, time, time, nearly 2-0"
                if (
                    k + 1 < n
                    and toks[k].kind in "Xw"
                    and toks[k].text.isalpha()
                    and len(toks[k].text) <= 7
                    and toks[k + 1].kind in "DWs"
                    and re.fullmatch(r"[ ,.\-]{0,3}", text[toks[k].end : toks[k + 1].start])
                ):
                    seq.append(k)
                    k += 1
                    continue
                break
            while seq and toks[seq[-1]].kind not in "DWs":
                seq.pop()
            # "..., nearly 2-0, 66. She'd been": a lone two-digit number after a comma, once the run already holds
            # seven digits, is more often the next thing said (an age) than the number's tail
            if len(seq) > 7 and toks[seq[-1]].kind == "D" and len(toks[seq[-1]].text) == 2:
                if text[toks[seq[-2]].end : toks[seq[-1]].start] == ", " and text[toks[seq[-2]].start - 1 : toks[seq[-2]].start] == "-":
                    seq.pop()
            sounds = sum(1 for q in seq if toks[q].kind == "s")
            real = sum(toks[q].digits for q in seq if toks[q].kind in "DW")
            total = sounds + real
            stutter = any(toks[q].text.lower() in ("i'm", "im") for q in seq)  # "I'm, I'm, I'm 45" is a stammer
            years = all(re.fullmatch(r"(?:19|20)\d\d", toks[q].text) for q in seq if toks[q].kind == "D")
            enough = sounds >= 3 and total >= 6 and (real >= 3 or (real >= 2 and sounds >= 4 and not stutter))
            # "213. Time. 213. Time.": two sound-alikes are enough beside six real digits that are not years
            enough = enough or (sounds >= 2 and real >= 6 and total >= 8 and not years)
            if enough:
                start, end = toks[seq[0]].start, toks[seq[-1]].end
                if not _NOT_ID_AFTER.match(text[end : end + 24]) and not _MONEY_BEFORE.search(text[max(0, start - 12) : start]):
                    spans.append(Span(start, end, "PHONE", LAYER))
            i = max(k, i + 1)
    return spans


# "October 21st, 2026", "on the 21st, 2026", "oktober 21st, 2026": an ordinal day followed by a four-digit year
# is a date whatever Whisper made of the month; the day goes, the year (which Safe Harbor lets stay) is kept.
_ORDINAL_DAY_YEAR = re.compile(
    r"\b(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
    r"(?=,?\s+(?:(?:19|20)\d\d\b|nineteen[\s-]+(?:oh|hundred|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety)\b|twenty[\s-]+(?:oh|ten|eleven|twelve|\w+teen|twenty)\b|two\s+thousand\b))",
    re.I,
)
_ORDINAL_DAY_YEAR = gate(_ORDINAL_DAY_YEAR)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
# "Tuesday, the sick" (sixth), "Monday the fit" (fifth): after a weekday, "the" and a word Whisper made of an
# ordinal day
_WEEKDAY_THE_DAY = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+the\s+(?P<day>sick|six|sixt|fix|fit|fits|fist|fifth|tent|tense|"
    r"nights?|nine|none|nun|forth|force|fort|turd|thirds?|sevens?|eights?|ate|eighteen|fir|twelve|tooth|truth|tins?)\b",
    re.I,
)


# A short answer that ends in ", <year>." is a date whose month and day Whisper turned into words ("My limit's over
# 26, 1984." = October 26; "Made well, 1972." = May 12): the two words before the comma go, the year stays.
_SHORT_DATE_ANSWER = re.compile(
    r"(?<![\w'-])(?P<md>[A-Za-z][\w'-]{0,30}\s+(?:[A-Za-z][\w'-]{0,30}|\d{1,2}(?:st|nd|rd|th)?)),\s+(?:19|20)\d\d[.!]?\s*$"
)
_NOT_MONTH_DAY = {
    "in", "since", "about", "around", "like", "and", "or", "the", "a", "of", "back", "year", "years", "was", "is", "it's",
    "from", "to", "until", "till", "by", "before", "after", "summer", "winter", "spring", "fall", "early", "late", "end",
    "sober", "clean", "born", "married", "divorced", "maybe", "probably", "think", "i", "i'm", "we", "he", "she", "they",
}


def _short_date_answer_spans(text: str) -> list[Span]:
    spans = []
    offset = 0
    for line in text.split("\n"):
        body = strip_labels(line)
        m = _SHORT_DATE_ANSWER.search(line) if len(body.split()) <= 6 else None
        if m and _MONTH_NAME.search(m.group("md").split()[0]):
            m = None  # "March 4, 1999": written right, the date rules own it
        if m and not any(w.lower() in _NOT_MONTH_DAY for w in m.group("md").split()):
            spans.append(Span(offset + m.start("md"), offset + m.end("md"), "DATE", LAYER))
        offset += len(line) + 1
    return spans


# Digits Whisper wrote as heights ("5'6\", 2'5\", 5'5\", 2'4\", 3'4"): one height is a height, a chain of three or
# more holding seven digits or more is a spoken number.
_HEIGHT_CHAIN = re.compile(r"\b\d{1,2}'\d{1,2}\"?(?:,?\s+\d{1,2}'\d{1,2}\"?){2,}(?:,?\s+\d{1,4}\b)?")


def _height_chain_spans(text: str) -> list[Span]:
    spans = []
    for m in _HEIGHT_CHAIN.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        if digits >= 7 and "\n" not in m.group():
            cat, dist, _window = _cue(text, m.start())
            cat = cat if cat in _ID_CUE_CATEGORIES and dist < 120 else "PHONE"
            spans.append(Span(m.start(), m.end(), cat, LAYER))
    return spans


def _ordinal_year_spans(text: str) -> list[Span]:
    spans = []
    for m in _ORDINAL_DAY_YEAR.finditer(text):
        if m.group().lower() in ("first", "second") and not re.search(r"\bthe\s+$", text[max(0, m.start() - 5) : m.start()], re.I):
            continue  # "for a second, 2019 was bad": only "the first, 2026" is a day
        spans.append(Span(m.start(), m.end(), "DATE", LAYER))
    return spans


def _weekday_the_day_spans(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "DATE", LAYER) for m in _WEEKDAY_THE_DAY.finditer(text)]


def _schedule_spans(text: str) -> list[Span]:
    """"we could admit you on the sixth", however Whisper heard the day ("on the salmon", "unsaturday the third")."""
    spans = []
    for m in _SCHEDULE.finditer(text):
        day = m.group("day")
        works = _WORKS_END.search(day)
        if works:
            day = day[: works.start()]  # "on Monday, but it's not that word": the day ends before "that works"
        if not day.strip() or len(day.split()) > 5 or _NOT_A_DAY.match(day):
            continue
        if not m.group("on") and not _DAYISH.search(day):
            continue  # without "on" only a day-looking phrase is a day
        end = m.start("day") + len(day)
        # "admit you on Monday the ninth, if that works" heard as "on Monday, but it's not that word", "on Friday but
        # I'm none at work", "on this. None that worked": the day runs on to the "if that works" Whisper mangled
        tail = _SCHEDULE_TAIL.match(text, end)
        if tail:
            end = tail.end("tail")
        spans.append(Span(m.start("day"), end, "DATE", LAYER))
    return spans


_NOT_TAIL = r"(?!(?:at|that|matt|if|does|doesn't|do|would|will|is|can|could|should|for|you|he|she|they|we)\b)"
_SCHEDULE_TAIL = re.compile(
    r"(?P<tail>(?:[,.]?\s+" + _NOT_TAIL + r"[\w']+){1,3}?)[,.]?\s+(?:if\s+)?(?:(?:at|that|matt|it)\s+)?wor(?:ks?|ked|d)\b",
    re.I,
)
_WORKS_END = re.compile(r"[,.]?\s+(?:if\s+)?(?:(?:at|that|matt|it)\s+)?wor(?:ks?|ked|d)\b", re.I)


# A day of the month Whisper wrote as a digit ordinal with what stood before it garbled ("first paper 9th works"
# for "Thursday the 9th works", "holon, thil, 14th, ..."): without "the" or a possessive before it and with no noun
# after it that it counts ("9th grade", "my 3rd time", "5th floor"), a digit ordinal is a date element.
_BARE_ORDINAL_DAY = re.compile(
    r"(?<![\w'-])(?<!\bthe )(?<!\bmy )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\byour )(?<!\bour )(?<!\ba )"
    r"(?<!\bevery )(?<!\beach )(?<!\bon )((?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th))"
    r"(?=\s*(?:[,.;?!]|$)|\s+(?:and|or|okay|ok|works?|at|is|so|then|but|if|we|i|you|he|she|they|it|(?-i:[A-Z])\w*)\b)",
    re.I,
)
_BARE_ORDINAL_DAY = gate(_BARE_ORDINAL_DAY)


def _bare_ordinal_day_spans(text: str) -> list[Span]:
    return [Span(m.start(1), m.end(1), "DATE", LAYER) for m in _BARE_ORDINAL_DAY.finditer(text)]


_CONTRACTION_S = re.compile(r"['’]?s\b[ \t,]*(?=\S)")


# where an address's local part ends: a written "@" or a spoken "at"
_LOCAL_PART_END = re.compile(r"@|\s+at\s+", re.I)
# a word of the reply before it, with the punctuation a pause wrote after it ("forms, is <address>", "Yes. <address>")
_LEAD_IN_WORD = re.compile(r"[^\W_][\w'’-]*(?P<pause>[,.:;?!]+(?=\s))?")
_PAUSE_AFTER = re.compile(r"[\s,.:;?!]*")


def _after_lead_in(line: str, begin: int, end: int) -> int:
    """Where the address in a reply begins: after the last word of what the caller said before it, a function word
    or a word a pause ends ("in case you need to send forms, is <address>", "me the information <address>", "Rick's,
    <address>", "Yes. <address>"; fp22). A spelled letter or a digit word is the local part's ("britt oakes eight
    five oh at ...", "t, a, y, ... at ..."), and so is the word right before "at" and every other word, however
    Whisper split or paused the name ("renee tall bear at ...", "Marisol, Vega at ..."): a pause ends the lead-in
    only after a dictionary word or a possessive."""
    ends = list(_LOCAL_PART_END.finditer(line, begin, end))
    if not ends:
        return begin
    words = list(_LEAD_IN_WORD.finditer(line, begin, ends[-1].start()))
    cut = begin
    for w in words[:-1]:  # the last word before "at" / "@" is the local part's, whatever it is ("vega, at gmail")
        word = w.group().rstrip(",.:;?!").lower()
        if len(word) == 1 or word.isdigit() or word in DIGIT_WORDS:
            continue
        paused = w.group("pause") and (is_safe_word(word) or word.endswith(("'s", "’s")))
        if paused or word in CORE_FUNCTION_WORDS:
            cut = w.end()
    return _PAUSE_AFTER.match(line, cut).end() if cut > begin else begin


def _email_spans(text: str) -> list[Span]:
    """The answer to "what's your email?": from "it's" to the last "dot com" Whisper wrote, however garbled."""
    spans = []
    offset = 0
    prev = ""
    for line in text.split("\n"):
        same = _EMAIL_CUE.search(line)
        search_from = same.end() if same else 0
        asked = _EMAIL_CUE.search(prev)
        # a line that said the address after its cue ("my email is x at gmail dot com") was the answer: the other
        # speaker's next line is the reply to it, not an address (the same speaker's may go on with it)
        answered = (asked is not None and _EMAIL_END.search(prev, asked.end()) is not None
                    and speaker_at(line) is not None and speaker_at(line) != speaker_at(prev))
        if asked and not answered or same:
            ends = list(_EMAIL_END.finditer(line, search_from))
            if ends:
                last = ends[0]
                for m in ends[1:]:
                    if m.start() - last.end() <= 40:
                        last = m  # "Raymond.com. You already have an example.com": one address, said twice
                turn = label_at(line)
                head_from = max(search_from, ends[0].start() - 90, turn.end() if turn else 0)
                head = line[head_from : ends[0].start()]
                starts = list(_EMAIL_START.finditer(head))
                if starts:
                    begin = head_from + starts[-1].end()  # "Sure, it's <address>"
                else:  # the answer is the address, after any "um, use mine,"
                    begin = head_from + _LEADING_FILLER.match(head).end()
                # the "'s" of the cue's contraction is no part of the address ("my email's <address>"; fp21)
                contraction = _CONTRACTION_S.match(line, begin)
                if contraction and (line[begin] != "s" or line[begin - 1 : begin] in ("'", "’")):
                    begin = contraction.end()
                    begin += _LEADING_FILLER.match(line[begin:]).end()  # "my email's, uh, <address>"
                begin = _after_lead_in(line, begin, last.end())
                if last.end() - begin > 4:
                    spans.append(Span(offset + begin, offset + last.end(), "EMAIL", LAYER))
        prev = line
        offset += len(line) + 1
    return spans


# An age over 89 as Whisper writes it (session 22, asr22). The written "she's 93" is ``rules.AgeOver89``'s; Whisper
# splits the two digits with a hyphen ("She's 9-3") and hears "she's" before an age as "shoes" ("my grandma lives with
# her shoes 96"). The split form needs the pronoun; the misheard one an elder relative earlier on the line (the
# relatives an age over 89 is said of, ``words.ELDER_KIN``), and no owner or article before it ("my grandma's shoes",
# "the shoes": "her" stays, "lives with her shoes 96" is "with her. She's 96"), so "new shoes 95" stays. Never money, a
# share, a size or a count.
_HEARD_AGE = re.compile(
    r"(?<![\w'-])(?:(?P<pronoun>(?:she|he)['’]s)\s+(?P<split>9-\d|1-[01]-\d)|(?P<shoes>shoes)\s+(?P<age>9\d|1[01]\d))"
    r"(?![\w'-]|[.,]\d|-\d|\s*(?:%|percent|dollars?|bucks|cents?|pounds|lbs|days|minutes|miles|times|degrees|pairs?|"
    r"sizes?)\b)",
    re.I,
)
_HEARD_AGE = gate(_HEARD_AGE)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_ELDER_BEFORE = re.compile(r"\b(?:" + kin_pattern(words=ELDER_KIN) + r")\b", re.I)
_ELDER_REACH = 80  # characters back along the line: the relative is the clause's subject, "my grandma lives with her"
_SHOES_OWNED = re.compile(
    r"(?:['’]s|\b(?:" + "|".join(sorted(DETERMINERS - {"her"})) + r"|new|old|those|these))\s+$", re.I
)


def _heard_age_spans(text: str) -> list[Span]:
    spans = []
    for m in _HEARD_AGE.finditer(text):
        if m.group("shoes"):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not _ELDER_BEFORE.search(text, max(line_start, m.start() - _ELDER_REACH), m.start()):
                continue
            if _SHOES_OWNED.search(text[max(line_start, m.start() - 12) : m.start()]):
                continue
            spans.append(Span(m.start("age"), m.end("age"), "AGE", LAYER))
        else:
            spans.append(Span(m.start("split"), m.end("split"), "AGE", LAYER))
    return spans


# "September 9, 20, 26": Whisper splits a spoken year ("twenty twenty-six") into two groups after the day
_SPLIT_YEAR = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,\s+"
    r"(?P<year>(?:19|20)(?:\d\d)?,\s+\d\d)\b(?![,.]?\s*\d)",
    re.I,
)


def _split_year_spans(text: str) -> list[Span]:
    return [Span(m.start("year"), m.end("year"), "DATE", LAYER) for m in _SPLIT_YEAR.finditer(text)]


# Carrier names as Whisper hears them on a call ("I have signal", "he's on my plan, medical, a PPO", "try care
# through my job"), tagged with the carrier's canonical id from lexicons/insurers.yaml. The forms are
# asr_terms.COMMON_WORD_FORMS: one home for how Whisper mishears a carrier's name.
_INSURER_HEARD = re.compile(
    r"(?<!\bthe )(?<!\bour )\b(?P<name>" + "|".join(sorted((k.replace(" ", r"\s+") for k in COMMON_WORD_FORMS), key=len, reverse=True))
    + r")\b(?=\s*(?:[.,;?!]|$|\n|\s(?:through|thru|ppo|hmo|epo|plan|insurance|card|do\s+you|too)\b))",
    re.I,
)
_INSURER_HEARD = gate(_INSURER_HEARD)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_INSURANCE_CUE = re.compile(
    r"insurance|insured|\bplan\b|\b(?:in|out\s+of)[\s-]+network\b|contracted|\bqualif|coverage|\bcover(?:ed|s)?\b|"
    r"\bcard\b|\bmember\b|self[\s-]?pay|benefits|verif|through\s+(?:work|my\s+job|his\s+job|her\s+job)|\bhmo\b|\bppo\b|"
    r"\bdo\s+you\s+take\b|\bwe\s+(?:take|accept)\b",
    re.I,
)


def _insurer_spans(text: str) -> list[Span]:
    spans = []
    for m in _INSURER_HEARD.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1 if line_start > 0 else 0
        line_end = text.find("\n", m.end())
        window = text[max(prev_start, m.start() - _CUE_REACH) : min(line_end if line_end >= 0 else len(text), m.end() + _CUE_REACH)]
        if not _INSURANCE_CUE.search(window):
            continue
        term = common_word_term(m.group("name"))
        spans.append(Span(m.start("name"), m.end("name"), term.category, LAYER, term.canonical))
    return spans + [t for t in _misheard_term_spans(text) if not any(s.start < t.end and t.start < s.end for s in spans)]


def _misheard_term_spans(text: str) -> list[Span]:
    """Insurer and competitor names split, joined or misheard ("Care, Oregon", "maybe care" in an insurance
    conversation, "Sunshine Hell"), found by ``asr_terms.misheard_terms`` line by line with the line before as its
    context, as the transcription step puts them back: a transcript stored before that step, or one it missed
    because the cue came two lines earlier, is masked all the same, with the lexicon's canonical id."""
    spans = []
    pos, previous = 0, ""
    for line in text.split("\n"):
        for start, end, term in misheard_terms(line, previous):
            spans.append(Span(pos + start, pos + end, term.category, LAYER, term.canonical))
        pos += len(line) + 1
        previous = line
    return spans


class AsrShape(Recognizer):
    """A recognizer of the asr layer: one shape faster-whisper writes an identifier in. Its ``shapes`` function
    (above, with the cues and validation it reads) gives the spans; the recognizer names them."""

    layer = LAYER

    def __init__(self, name: str, category: str, shapes: Callable[[str], list[Span]]) -> None:
        self.name = name
        self.category = category
        self._shapes = shapes

    def find(self, text: str) -> list[Span]:
        return self.claim(self._shapes(text))


# The chain, in the order it runs; each recognizer has its own tests in tests/test_deid_asr_shapes.py. An empty
# category is decided per finding: by the nearest identifier cue ("member ID" -> HEALTH_PLAN, else PHONE or OTHER_ID
# by digit count), or, for a carrier, by the term (INSURER or COMPETITOR, with the lexicon's canonical id).
RECOGNIZERS: tuple[Recognizer, ...] = (
    AsrShape("digit_run", "", _number_spans),  # "916, 5, 5, 6, 6, 2, 3", "XWB-448,172,093", "10, 31, 26"
    AsrShape("admission_day", "DATE", _schedule_spans),  # "we could admit you on the salmon"
    AsrShape("email_remnant", "EMAIL", _email_spans),  # what is left of a spoken address after "what's your email?"
    AsrShape("split_year", "DATE", _split_year_spans),  # "September 9, 20, 26": the year split in two
    AsrShape("misheard_carrier", "", _insurer_spans),  # "I have signal" (Cigna), "Care, Oregon"
    AsrShape("phone_band_digits", "PHONE", _phone_band_spans),  # "714. Time, time, time" on 8 kHz audio
    AsrShape("ordinal_day_year", "DATE", _ordinal_year_spans),  # "oktober 21st, 2026" (the year stays)
    AsrShape("weekday_the_day", "DATE", _weekday_the_day_spans),  # "Tuesday, the sick"
    AsrShape("short_date_answer", "DATE", _short_date_answer_spans),  # "Made well, 1972."
    AsrShape("height_chain", "", _height_chain_spans),  # "5'6\", 2'5\", 5'5\", 2'4\""
    AsrShape("bare_ordinal_day", "DATE", _bare_ordinal_day_spans),  # "first paper 9th works"
    AsrShape("heard_age", "AGE", _heard_age_spans),  # "She's 9-3", "my grandma lives with her shoes 96"
)


def find(text: str) -> list[Span]:
    """Identifiers in ASR shapes: every recognizer's findings (``RECOGNIZERS``)."""
    if not any(c.islower() for c in text) and len(text.lower()) == len(text):
        # in an all-caps transcript capitals mean nothing: "MY CELL IS 916, 5, 5" has no code letters
        text = text.lower()
    return run_all(RECOGNIZERS, text)


# ---------------------------------------------------------------------------------------------- measurement
def combined_predictor(redactor):
    """A predictor for ``evaluate.run``: the engine's spans plus this layer's, resolved as the engine resolves."""
    from cipher_pipeline.deid.spans import resolve

    def predict(texts: list[str]) -> list[list[tuple[int, int]]]:
        out = []
        for text, result in zip(texts, redactor.redact_many(texts)):
            merged = resolve(list(result.spans) + find(text), text)
            out.append([(s.start, s.end) for s in merged])
        return out

    return predict
