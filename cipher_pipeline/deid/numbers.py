"""Runs of digits as a phone transcript carries them: written, ASR-split, or spoken as words.

"619-555-0142", "(619) 555 0142", "6195550142", "XWB-448,172,093", "six one nine, five five five, oh one
four two", "double five", "eight hundred" all become one :class:`NumberRun` with the digits it spells and
the character range it covers, so the rules layer can classify it by length, shape and context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cipher_pipeline.vocabulary import ONES, TENS

# The English words are cipher_pipeline.vocabulary's; a run adds the letter "o" as a zero, the Spanish digits, and the
# misspelling "fourty", which a transcript writes and vocabulary (the generator's list too) must not.
DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", **{ONES[i]: str(i) for i in range(1, 10)},
    # callers and interpreters read numbers out in Spanish too ("nueve cinco seis, cinco cinco cinco, ..."); a run
    # needs four digits at least, so a lone "dos" or "uno" in a sentence is none
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9",
}
TEEN_WORDS = {ONES[i]: str(i) for i in range(10, 20)}
TENS_WORDS = {word: str(i) for i, word in enumerate(TENS) if word} | {"fourty": "4"}
REPEAT_WORDS = {"double": 2, "triple": 3}
# "oh"/"o" are zero only inside a run; on their own they are interjections and letters.
_WEAK_START = {"oh", "o"}

_TOKEN = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")
_SEPARATOR_CHARS = set("-.,()/#")  # ASR and writers split digit groups with these
_SEPARATOR_WORDS = {"dash", "hyphen"}


@dataclass(frozen=True)
class NumberRun:
    """A maximal run of number tokens: ``digits`` is what it spells, ``letters`` any alphanumeric prefix."""

    start: int
    end: int
    digits: str
    spoken: bool  # at least one digit came from a word
    written_groups: tuple[str, ...]  # the written digit groups, for shape checks ("619", "555", "0142")
    has_letters: bool
    listed: bool = False  # small groups joined by commas ("916, 5, 5, 6"): a list unless the context names an ID


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_number_token(tok: str) -> bool:
    low = tok.lower()
    return tok.isdigit() or low in DIGIT_WORDS or low in TEEN_WORDS or low in TENS_WORDS or low in REPEAT_WORDS


def find_number_runs(text: str, min_digits: int = 4) -> list[NumberRun]:
    """All runs spelling at least ``min_digits`` digits, in text order."""
    toks = _tokens(text)
    runs: list[NumberRun] = []
    i = 0
    n = len(toks)
    while i < n:
        tok, start, _ = toks[i]
        low = tok.lower()
        weak_start = low in _WEAK_START and not (
            i + 1 < n and toks[i + 1][0].lower() in DIGIT_WORDS and toks[i + 1][0].lower() not in _WEAK_START and toks[i + 1][1] - toks[i][2] == 1
        )
        if not _is_number_token(tok) or weak_start or low in REPEAT_WORDS and i + 1 < n and toks[i + 1][0].lower() not in DIGIT_WORDS:
            i += 1
            continue
        digits: list[str] = []
        groups: list[str] = []
        spoken = False
        listed = False
        j = i
        end = start
        last_kind = ""
        while j < n:
            tok, t_start, t_end = toks[j]
            low = tok.lower()
            # a gap of more than a few characters (or a newline) ends the run
            if j > i and (t_start - end > 3 or "\n" in text[end:t_start]):
                break
            if tok.isdigit():
                # "20 30" is not one number; but "619 555 0142" is: written groups join only if short
                if last_kind == "digit" and text[end:t_start] == " " and len(groups[-1]) > 4:
                    break
                digits.append(tok)
                groups.append(tok)
                last_kind = "digit"
                end = t_end
                j += 1
            elif low in DIGIT_WORDS:
                digits.append(DIGIT_WORDS[low])
                spoken = True
                last_kind = "word"
                end = t_end
                j += 1
            elif low in TEEN_WORDS:
                digits.append(TEEN_WORDS[low])
                spoken = True
                last_kind = "word"
                end = t_end
                j += 1
            elif low in TENS_WORDS:
                tens = TENS_WORDS[low]
                spoken = True
                # "forty two" / "forty-two" is 42; "forty" alone is 40
                k = j + 1
                if k < n and toks[k][0] == "-" and toks[k][2] == toks[k][1] + 1:
                    k += 1
                if k < n and toks[k][0].lower() in DIGIT_WORDS and toks[k][0].lower() not in _WEAK_START and toks[k][1] - toks[k - 1][2] <= 1:
                    digits.append(tens + DIGIT_WORDS[toks[k][0].lower()])
                    end = toks[k][2]
                    j = k + 1
                else:
                    digits.append(tens + "0")
                    end = t_end
                    j += 1
                last_kind = "word"
            elif low == "hundred" and digits and len(digits[-1]) == 1:
                # "eight hundred" -> 800, "five hundred twelve" -> 512, "five hundred two" -> 502
                k = j + 1
                if k < n and toks[k][0].lower() == "and":
                    k += 1
                nxt = toks[k][0].lower() if k < n else ""
                if nxt in TEEN_WORDS or nxt in TENS_WORDS:
                    j += 1 if k == j + 1 else 2
                    end = t_end
                else:  # "eight hundred, five five five" is a toll-free prefix: keep the zeros
                    digits[-1] += "00"
                    end = t_end
                    j += 1
                spoken = True
            elif low in REPEAT_WORDS and j + 1 < n and toks[j + 1][0].lower() in DIGIT_WORDS:
                digits.append(DIGIT_WORDS[toks[j + 1][0].lower()] * REPEAT_WORDS[low])
                spoken = True
                end = toks[j + 1][2]
                j += 2
                last_kind = "word"
            elif (tok in _SEPARATOR_CHARS or low in _SEPARATOR_WORDS) and j + 1 < n and _is_number_token(toks[j + 1][0]):
                # a separator continues a run only if a number follows it closely
                nxt_tok = toks[j + 1][0]
                if tok == "," and last_kind == "digit" and not re.fullmatch(r"\d{3}", nxt_tok) and not nxt_tok.isalpha():
                    # "448,172" is one ASR number; "916, 5, 5, 6, 6" is Whisper writing digits one by one, which
                    # only the context can tell from a list ("3, 4 times"); years listed together stay apart
                    if not (nxt_tok.isdigit() and len(nxt_tok) <= 4 and len(groups[-1]) <= 4) or (
                        re.fullmatch(r"(?:19|20)\d\d", nxt_tok) and re.fullmatch(r"(?:19|20)\d\d", groups[-1])
                    ):
                        break
                    listed = True
                if tok == "/":
                    break  # dates and fractions are the date rules' business
                j += 1
            else:
                break
        digit_str = "".join(digits)
        if len(digit_str) >= min_digits:
            runs.append(NumberRun(start, end, digit_str, spoken, tuple(groups), False, listed))
        i = max(j, i + 1)
    return runs
