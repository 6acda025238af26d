"""Numbers in transcripts: spoken words and Whisper's digit formatting brought into one form.

Whisper writes the same spoken number many ways: "seven one three, five five five" as "713-555", "7135", "713,555"
or "seven one three"; a phone number as "5,551,012" (thousands separators) or "555-01 twelve". Two consumers
need them in one form:

- the ASR benchmark, which compares a transcript with the written reference: ``score_tokens`` turns both into
  lower-case word tokens where every digit is its own token, so "713-555-0148", "7135550148" and
  "seven one three five five five zero one four eight" all read ``7 1 3 5 5 5 0 1 4 8``; ``wer_tokens`` (the
  word error rate's tokens) first applies Whisper's English text normaliser (fillers, contractions, spellings);
- de-identification, which looks for digit runs: ``normalise_digits`` rewrites a transcript's digit groups
  ("5,551,012" -> "5551012") and spelled digit runs inside a number ("555-01 twelve" -> "555-0112") into digits,
  and returns the character map back to the spoken form, so a span found on the normalised text can be located
  on what Whisper wrote (alignment with the audio's word times).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
         "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30}
_ZERO_LETTERS = {"oh", "o"}  # "seven oh two": zero only between other number words
_NUMBER_WORDS = set(ONES) | set(TEENS) | set(TENS) | {"hundred", "thousand", "double", "triple"}


def _words_to_numbers(words: list[str]) -> list[str]:
    """A run of number words as the digit strings a reader would write: 'twenty twenty one' -> ['20', '21'],
    'eight hundred eighty four' -> ['884'], 'seven one three' -> ['7', '1', '3'], 'double five' -> ['5', '5']."""
    out: list[str] = []
    big = small = 0
    last = None  # kind of the previous word in the current number, None when no number is open

    def flush():
        nonlocal big, small, last
        if last is not None:
            out.append(str(big + small))
        big = small = 0
        last = None

    repeat = 1
    for word in words:
        if word in ("double", "triple"):
            flush()
            repeat = 2 if word == "double" else 3
            continue
        if word in _ZERO_LETTERS:
            word = "zero"
        if word in ONES:
            value = ONES[word]
            if repeat > 1:
                out.extend([str(value)] * repeat)
                repeat = 1
                continue
            if last == "tens" or (last in ("hundred", "thousand")):
                small += value
                last = "ones_closed"
            else:
                flush()
                small, last = value, "ones"
        elif word in TEENS:
            if last in ("hundred", "thousand"):
                small += TEENS[word]
                last = "teen"
            else:
                flush()
                small, last = TEENS[word], "teen"
        elif word in TENS:
            if last in ("hundred", "thousand") and small % 100 == 0:
                small += TENS[word]
            else:
                flush()
                small = TENS[word]
            last = "tens"
        elif word == "hundred":
            if last is not None and 0 < small < 100:
                small *= 100
            else:
                flush()
                small = 100
            last = "hundred"
        elif word == "thousand":
            if last is not None and 0 < big + small < 1000:
                big, small = (big + small) * 1000, 0
            else:
                flush()
                big = 1000
            last = "thousand"
        repeat = 1
    flush()
    return out


_SCORE_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+")


def score_tokens(text: str) -> list[str]:
    """Lower-case word tokens for word error rate, with every number as single-digit tokens (see module doc)."""
    text = text.lower()
    text = re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", text)  # thousands separators: 5,551,012 -> 5551012
    text = re.sub(r"(\d+)(?:st|nd|rd|th)\b", r"\1", text)  # 14th -> 14
    text = text.replace("%", " percent").replace("&", " and ")
    raw = _SCORE_TOKEN.findall(text.replace("-", " "))
    tokens: list[str] = []
    run: list[str] = []

    def flush_run():
        for number in _words_to_numbers(run):
            tokens.extend(number)
        run.clear()

    for index, token in enumerate(raw):
        is_number_word = token in _NUMBER_WORDS or (
            token in _ZERO_LETTERS and (run or (index + 1 < len(raw) and raw[index + 1] in ONES))
        )
        if is_number_word:
            run.append(token)
            continue
        if run and token == "and" and run[-1] in ("hundred", "thousand") and index + 1 < len(raw) and raw[index + 1] in _NUMBER_WORDS:
            continue  # "three hundred and five"
        flush_run()
        if token in ORDINALS:
            tokens.extend(str(ORDINALS[token]))
        elif token.isdigit():
            tokens.extend(token)
        else:
            tokens.append({"okay": "ok", "alright": "all", "mm": "mhm"}.get(token, token))
            if token == "alright":
                tokens.append("right")
    flush_run()
    return tokens


@functools.lru_cache(maxsize=1)
def _whisper_normaliser():
    # Here, not at the top: whisper-normalizer is a dev dependency (the benchmark scores with it; the pipeline never)
    from whisper_normalizer.english import EnglishTextNormalizer

    normaliser = EnglishTextNormalizer()
    # Its number step is replaced by ``score_tokens``'s: it drops a leading zero ("0148" -> "148"), turns "1, 2, 3"
    # into "one 2 3" and joins "seven one three" into "713" but leaves "713-555" as "713 555": formatting, not hearing
    normaliser.standardize_numbers = lambda text: text
    return normaliser


# "'s" after these is "is" or "has" ("it's", "who's"); after any other word it is a possessive or a noun's
# contraction ("the nurse's station", "my number's 555..."), which sounds exactly like the plural
_S_CONTRACTS = frozenset(
    """it he she that what there here who where how when why this everyone everybody everything someone somebody
    something nobody nothing one""".split()
)
_POSSESSIVE = re.compile(r"\b([A-Za-z]+)['’]s\b")
# a web or email address, or a dotted number run (an IP address): its symbols are said as words
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?(?:[\w-]+\.)+(?:com|org|net|edu|gov|us|io|co)"
                      r"\b(?:/[\w./-]*\w)?|\b\d+(?:\.\d+){2,}\b", re.I)
_ADDRESS_SYMBOLS = {".": " dot ", "@": " at ", "/": " slash ", "_": " underscore ", "-": " dash "}
_SPOKEN_DASH = re.compile(r"(?<=[\w])[\s,]+(?:dash|hyphen)[\s,]+(?=[\w])", re.I)
_VOWEL = re.compile(r"[aeiouy]")
# words that never open or close a compound in speech: "am in" is not "amin", "in to" stays two words
_NOT_COMPOUND = frozenset(
    """am is are was were be been being do does did has have had will would can could shall should may might must
    not no in on at to of by for from with as if or and but so than then the an my me we us he him his her she it
    its our you your they them their this that these those who what when where why how here there i""".split()
)
COMPOUND_ZIPF = 3.0  # "every day" is scored as "everyday" where "everyday" is at least this common a word


def _spoken_symbols(text: str) -> str:
    """The written forms of things said aloud, as said: an address's symbols as words ("gmail.com" -> "gmail dot
    com", "192.0.2.1" -> "192 dot 0 dot 2 dot 1"), a noun's "'s" as the plural it sounds like ("nurse's" ->
    "nurses"; Whisper's normaliser would read "nurse is"), and a "dash" said inside a code dropped as the written
    hyphen is ("4400 dash 2177" -> "4400 2177")."""
    text = _ADDRESS.sub(lambda m: "".join(_ADDRESS_SYMBOLS.get(c, c) for c in m.group()), text)
    text = _POSSESSIVE.sub(lambda m: m.group() if m.group(1).lower() in _S_CONTRACTS else m.group(1) + "s", text)
    return _SPOKEN_DASH.sub(" ", text)


@functools.lru_cache(maxsize=4096)
def _compound(first: str, second: str) -> str | None:
    """"everyday" for "every day": two words of two letters or more whose join is itself a common word."""
    if (len(first) < 2 or len(second) < 2 or not (first + second).isalpha() or first in _NOT_COMPOUND
            or second in _NOT_COMPOUND):
        return None
    from wordfreq import zipf_frequency  # a pipeline dependency already (asr_terms); imported with the scorer

    return first + second if zipf_frequency(first + second, "en") >= COMPOUND_ZIPF else None


@functools.lru_cache(maxsize=4096)
def _spelled(token: str) -> bool:
    """A run of letters with no vowel that is no common word ("mk", "rfv", "xjt"): letters said one by one."""
    if len(token) < 2 or not token.isalpha() or _VOWEL.search(token):
        return False
    from wordfreq import zipf_frequency

    return zipf_frequency(token, "en") < 4.0  # "ms", "hmm" are words


def wer_tokens(text: str) -> list[str]:
    """The tokens word error rate is counted on, following the Whisper English normaliser's conventions.

    OpenAI's ``EnglishTextNormalizer`` (Whisper paper, appendix C) lower-cases, drops bracketed text and the
    fillers hmm/mm/mhm/mmm/uh/um, expands contractions ("can't" -> "can not", "it's" -> "it is"), maps British
    spellings to American and turns hyphens and other symbols into spaces ("co-pay" -> "co pay"). Numbers are
    then made single-digit tokens by ``score_tokens`` (so a phone number's ten digits weigh ten words, however
    Whisper grouped them), which also joins two spellings Whisper's list leaves apart: okay/ok, alright/all right;
    and "cannot" reads "can not" like the "can't" the normaliser expands.

    Four more forms of the same words are made one, each on both sides (the error-class audit of session 5,
    ``cipher_devtools/asr_errors.py``, found them counted as errors): symbols said aloud (``_spoken_symbols``:
    addresses, a noun's "'s", a spoken "dash" in a code); letters spelled one by one, as digits are ("M-K", "MK",
    "m k" all read ``m k``); and a compound written as one word or two ("every day" / "everyday", "wi-fi" /
    "wifi") as one word when the joined form is a common English word.
    """
    tokens: list[str] = []
    for token in score_tokens(_whisper_normaliser()(_spoken_symbols(text))):
        if tokens and (joined := _compound(tokens[-1], token)):
            tokens[-1] = joined
        elif _spelled(token):
            tokens.extend(token)
        else:
            tokens.append(token)
    out: list[str] = []
    for token in tokens:
        out.extend(("can", "not") if token == "cannot" else (token,))  # as Whisper's list expands "can't"
    return out


def alnum_key(text: str) -> str:
    """Letters and digits only, numbers as digits: how an identifier is matched whatever its separators."""
    return "".join(score_tokens(text))


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions), linear memory."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1]


# ---- normalisation before de-identification ------------------------------------------------------------------

_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")  # 5,551,012
# a digit group followed by spelled digits inside the same number: "555-01 twelve", "713 five five five"
_DIGITS_THEN_WORDS = re.compile(
    r"\b(\d[\d-]*\d|\d)((?:[\s,-]+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NormalisedText:
    text: str  # digits in one form, for de-identification
    spoken: str  # what Whisper wrote, for alignment with the audio
    offsets: list[int]  # offsets[i]: index in ``spoken`` of the character at ``text[i]`` (len(text)+1 entries)

    def spoken_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the spoken form that ``text[start:end]`` came from."""
        return self.offsets[start], self.offsets[end]

    def text_span(self, start: int, end: int) -> tuple[int, int]:
        """The other way: the stretch of ``text`` whose characters came from ``spoken[start:end]`` (empty when the
        stretch was merged into a replacement that starts before it)."""
        starts = self.offsets[: len(self.text)]  # non-decreasing
        return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def normalise_digits(spoken: str) -> NormalisedText:
    """Whisper's number formatting in one form: thousands separators dropped ('5,551,012' -> '5551012') and
    spelled digits that continue a digit group written as digits ('555-01 twelve' -> '555-0112').

    Only these two shapes change: everything else (years, money, "two weeks") stays as Whisper wrote it, so the
    redactor's other rules see what they were built on.
    """
    pieces: list[tuple[int, int, str]] = []  # (start, end, replacement) on ``spoken``
    for match in _GROUPED.finditer(spoken):
        pieces.append((match.start(), match.end(), match.group().replace(",", "")))
    for match in _DIGITS_THEN_WORDS.finditer(spoken):
        if any(s < match.end() and match.start() < e for s, e, _ in pieces):
            continue
        words = re.findall(r"[a-z]+", match.group(2).lower())
        digits = "".join(_words_to_numbers(words))
        pieces.append((match.start(), match.end(), match.group(1) + digits))
    pieces.sort()
    text_parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for start, end, replacement in pieces:
        text_parts.append(spoken[pos:start])
        offsets.extend(range(pos, start))
        text_parts.append(replacement)
        # every character of a replacement maps to the start of what it replaced; the end maps to its end
        offsets.extend([start] * len(replacement))
        pos = end
    text_parts.append(spoken[pos:])
    offsets.extend(range(pos, len(spoken) + 1))
    return NormalisedText("".join(text_parts), spoken, offsets)
