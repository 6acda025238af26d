"""An annotated corpus of real faster-whisper output on synthetic calls, for scoring de-identification on ASR text.

Templated corpora (``cipher_devtools.synth.corpus``, even with ``asr_style=True``) only imitate Whisper. Here the
synthetic calls are rendered to audio with espeak-ng, transcribed by the production ``Transcriber``, and the
identifiers planted in the script are projected onto the transcript the redactor actually sees
(``Transcript.text()``: ``agent: ...`` / ``caller: ...`` lines).

Projection aligns, per speaker, the gold words (the spoken form when the gold has one, mapped back to the written
turn) with the ASR words using ``difflib.SequenceMatcher`` on normalized tokens: lower case, punctuation dropped,
digit words ("six") and digit groups ("619-555", "448,172") split into single digits, so "6, 1, 9" aligns with
"619". A gold identifier becomes the ASR character range covering the ASR words aligned to its words; inside a
``replace`` block (misheard words) a character-level alignment picks the ASR words that share letters with the
identifier's part of the block ("from Tri" heard as "from New York to try" gives "try"). An identifier with no ASR words at all
(the ASR dropped it) is not projected and is counted as ``not_heard``; one whose projected words share almost
nothing with what was said (character similarity under ``GARBLED_BELOW``: the aligner paired "Cigna" with "the")
or are only function words ("Grant" paired with "and") is dropped as ``garbled``: nothing of it is left to find.

Everything here is synthetic and fictional (espeak-ng voices reading seeded scripts). Each record's ``meta`` holds
the model, band, seed, call duration, word recall and the projection counts.

``python -m cipher_devtools.asr_corpus --n 30 --seed 501 --model base [--phone-band] -o out.jsonl``
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from cipher_devtools.evaluate import _from_record, cipher_predictor, load_jsonl, run
from cipher_devtools.synth.calls import generate_calls, plan_calls
from cipher_pipeline.deid import Redactor
from cipher_pipeline.vocabulary import DIGIT_WORDS, ONES, ORDINALS, TENS

# Days and seeds no other corpus uses: the demo runs recent days with seed 42, tests use seed 7.
FIRST_DAY = date(2026, 10, 1)
CALLS_PER_DAY = 8

# Spoken number words -> digits, from the shared vocabulary; ordinals count as their cardinal ("the fifth").
_UNITS = {**DIGIT_WORDS, **{ORDINALS[i]: str(i) for i in range(1, 10)}}
_TEENS = {**{ONES[i]: str(i) for i in range(10, 20)}, **{ORDINALS[i]: str(i) for i in range(10, 20)}}
_TENS = {**{TENS[i]: str(i) for i in range(2, 10)}, ORDINALS[20]: "2", ORDINALS[30]: "3"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # "don't" is one word; "619-555" is two
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)")


# ------------------------------------------------------------------------------------------------ tokens
@dataclass(frozen=True)
class Token:
    """One normalized alignment unit and the character range of the word it came from."""

    norm: str
    start: int
    end: int


def tokenize(text: str, base: int = 0) -> list[Token]:
    """Words of ``text`` as alignment tokens with offsets (shifted by ``base``).

    Numbers become one token per digit, all sharing their word's offsets, whether written or spoken: "619",
    "6, 1, 9" and "six one nine" give the same tokens, as do "24th", "twenty-fourth" and "2 4", and "twenty
    twenty-six" matches "2026". Codes are spelled out ("XWB" and "X W B" agree). Everything else is lower-cased
    with apostrophes removed.
    """
    words = []
    for m in _WORD.finditer(text):
        word = m.group().lower().replace("'", "").replace("’", "")
        ordinal = _ORDINAL_DIGITS.fullmatch(word)
        words.append((ordinal.group(1) if ordinal else word, m.start() + base, m.end() + base))
    tokens: list[Token] = []
    for k, (word, s, e) in enumerate(words):
        if word in _UNITS and not (word == "oh" and not _next_is_number(words, k)):
            digits = _UNITS[word]
        elif word in _TEENS:
            digits = _TEENS[word]
        elif word in _TENS:
            # "twenty-four" -> "2" here and "4" from the next word; "twenty" alone -> "20"
            following = words[k + 1][0] if k + 1 < len(words) else ""
            digits = _TENS[word] + ("" if following in _UNITS and following not in ("zero", "oh") else "0")
        else:
            # codes are spelled letter by letter ("X W B", "I-N-C"), so a short upper-case word or the letters of
            # a letter-digit mix ("xwb448") become one token per letter; digits always go one by one
            original = text[s - base : e - base]
            spell = (original.isupper() and len(original) <= 5) or any(c.isdigit() for c in word)
            for part in re.finditer(r"\d|[^\d]+", word):
                piece = part.group()
                if spell and not piece.isdigit():
                    tokens.extend(Token(c, s, e) for c in piece)
                else:
                    tokens.append(Token(piece, s, e))
            continue
        tokens.extend(Token(d, s, e) for d in digits)
    return tokens


def _next_is_number(words: list[tuple[str, int, int]], k: int) -> bool:
    """Whether word ``k`` sits among numbers ("five oh two"), so "oh" is a zero and not an interjection."""
    def numeric(w: str) -> bool:
        return w.isdigit() or w in _UNITS or w in _TEENS or w in _TENS

    return (k + 1 < len(words) and numeric(words[k + 1][0])) or (k > 0 and numeric(words[k - 1][0]))


# ------------------------------------------------------------------------------------------------ projection
@dataclass
class Projection:
    """Result of projecting one call's gold spans onto its ASR text."""

    spans: list[dict] = field(default_factory=list)
    must_survive: list[dict] = field(default_factory=list)
    projected: int = 0
    not_heard: int = 0
    garbled: int = 0
    line_splits: int = 0  # projected identifiers that Whisper's segmentation put on two transcript lines
    survive_projected: int = 0
    survive_not_heard: int = 0
    word_recall: float = 0.0  # share of gold (spoken) tokens matched exactly in the ASR


@dataclass
class _GoldSide:
    """One speaker's gold turns joined into a single string, with a way back to turn offsets."""

    text: str  # the alignment text: spoken forms joined with spaces
    turn_base: dict[int, int]  # turn index -> offset of that turn's alignment text in ``text``
    # turn index -> (written offset -> alignment offset) for turns whose spoken form differs
    maps: dict[int, Callable[[int], int]]


def _written_to_spoken(written: str, spoken: str) -> Callable[[int], int]:
    """Map offsets in a turn's written text to its spoken text (espeak's input), e.g. "619-555" -> "six one nine".

    The two differ only where numbers or dates were respelled, so a character-level alignment of the two strings
    pins the unchanged stretches; an offset inside a rewritten stretch goes to that stretch's start (for a span
    start) or end (span end), which is enough to pick the right words.
    """
    matcher = difflib.SequenceMatcher(None, written, spoken, autojunk=False)
    ops = matcher.get_opcodes()

    def convert(offset: int, is_end: bool = False) -> int:
        for tag, i1, i2, j1, j2 in ops:
            if i1 <= offset < i2 or (is_end and i1 < offset <= i2):
                if tag == "equal":
                    return j1 + (offset - i1)
                return j2 if is_end else j1
        return len(spoken)

    return convert  # type: ignore[return-value]


def _gold_side(turns: list[dict], speaker: str) -> _GoldSide:
    parts: list[str] = []
    base: dict[int, int] = {}
    maps: dict[int, Callable] = {}
    pos = 0
    for i, turn in enumerate(turns):
        if turn["speaker"] != speaker:
            continue
        spoken = turn.get("speech") or turn["text"]
        if parts:
            parts.append(" ")
            pos += 1
        base[i] = pos
        parts.append(spoken)
        pos += len(spoken)
        if spoken != turn["text"]:
            maps[i] = _written_to_spoken(turn["text"], spoken)
    return _GoldSide("".join(parts), base, maps)


def _asr_sides(asr_text: str) -> dict[str, list[tuple[int, int]]]:
    """Per speaker, the (start, end) ranges of the line bodies in ``agent: ...`` / ``caller: ...`` text."""
    sides: dict[str, list[tuple[int, int]]] = {}
    pos = 0
    for line in asr_text.split("\n"):
        speaker, sep, _ = line.partition(": ")
        if sep and speaker.isidentifier():
            body = pos + len(speaker) + 2
            sides.setdefault(speaker, []).append((body, pos + len(line)))
        pos += len(line) + 1
    return sides


def _align(gold_tokens: list[Token], asr_tokens: list[Token]) -> list[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, [t.norm for t in gold_tokens], [t.norm for t in asr_tokens], autojunk=False)
    return matcher.get_opcodes()


def _refine_replace(gold_tokens: list[Token], asr_tokens: list[Token], i1: int, i2: int, j1: int, j2: int,
                    gs: int, ge: int) -> tuple[int, int]:
    """Within a ``replace`` block (gold [i1, i2) misheard as ASR [j1, j2)), the ASR tokens for gold [gs, ge).

    A character-level alignment of the block's normalized gold and ASR text decides: the span runs from the first
    to the last ASR word sharing a matched character with the identifier's part of the block, so "from Tri" heard
    as "from New York to try" gives "try". With no shared character at all, the identifier takes the whole ASR
    block when it is the whole gold block, else a proportional slice of it.
    """

    def joined(tokens: list[Token]) -> tuple[str, list[int]]:
        starts, pos = [], 0
        for t in tokens:
            starts.append(pos)
            pos += len(t.norm) + 1
        return " ".join(t.norm for t in tokens), starts

    gold_str, gold_starts = joined(gold_tokens[i1:i2])
    asr_str, asr_starts = joined(asr_tokens[j1:j2])
    first_gold, last_gold = max(gs, i1) - i1, min(ge, i2) - 1 - i1
    c0 = gold_starts[first_gold]
    c1 = gold_starts[last_gold] + len(gold_tokens[i1 + last_gold].norm)
    hit: list[int] = []  # ASR block tokens holding a character matched to the identifier
    for block in difflib.SequenceMatcher(None, gold_str, asr_str, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            if c0 <= block.a + k < c1 and asr_str[block.b + k] != " ":
                hit.append(bisect.bisect_right(asr_starts, block.b + k) - 1)
    if hit:
        return j1 + min(hit), j1 + max(hit) + 1
    if gs <= i1 and ge >= i2:
        return j1, j2
    scale = (j2 - j1) / (i2 - i1)
    first = min(j2 - j1 - 1, int(first_gold * scale))
    return j1 + first, j1 + max(first + 1, min(j2 - j1, round((last_gold + 1) * scale)))


def _project_range(ops, gold_tokens: list[Token], asr_tokens: list[Token], gs: int, ge: int) -> tuple[int, int] | None:
    """ASR token range [a, b) covering gold tokens [gs, ge); None when the ASR has no words there."""
    lo: int | None = None
    hi: int | None = None
    for tag, i1, i2, j1, j2 in ops:
        if i2 <= gs and not (i1 == i2 == gs):
            continue
        if i1 >= ge:
            break
        if tag == "equal":
            a = j1 + max(gs, i1) - i1
            b = j1 + min(ge, i2) - i1
        elif tag == "replace":
            a, b = _refine_replace(gold_tokens, asr_tokens, i1, i2, j1, j2, gs, ge)
        elif tag == "insert":
            # ASR words with no gold counterpart strictly inside the identifier ("Mc Allister") belong to it
            if not (gs < i1 < ge):
                continue
            a, b = j1, j2
        else:  # delete: the gold words are absent from the ASR
            continue
        if a < b:
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
    if lo is None or hi is None:
        return None
    return lo, hi


def _token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    """Indices [first, last+1) of the tokens overlapping characters [start, end)."""
    idx = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
    return (idx[0], idx[-1] + 1) if idx else (0, 0)


GARBLED_BELOW = 0.2  # character similarity under which a projected span shares nothing with what was said


def _garbled(said: str, heard: str) -> bool:
    """Whether the ASR words paired with an identifier carry nothing of it.

    Either they share almost no characters with what was said, or they are only function words while the
    identifier had none ("Grant" paired with "and", "Tom" with "to"): the name was lost and the aligner matched
    a neighbouring word, which no redactor should remove.
    """
    from spacy.lang.en.stop_words import STOP_WORDS  # here: importing spaCy takes seconds the CLI need not pay

    # two shared tokens (digits of a number heard amid misheard words: "time to nero ... one heaven, high four")
    # mean the identifier is there, however low the overall similarity
    shared = Counter(t.norm for t in tokenize(said)) & Counter(t.norm for t in tokenize(heard))
    if _resemblance(said, heard) < GARBLED_BELOW and sum(shared.values()) < 2:
        return True

    heard_words = [w.lower() for w in _WORD.findall(heard)]
    said_words = [w.lower() for w in _WORD.findall(said)]
    return bool(heard_words) and all(w in STOP_WORDS for w in heard_words) and not any(w in STOP_WORDS for w in said_words)


def _resemblance(said: str, heard: str) -> float:
    """Character similarity of two phrases after normalization (digits and digit words compare equal)."""
    a = " ".join(t.norm for t in tokenize(said))
    b = " ".join(t.norm for t in tokenize(heard))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _spoken_value(turn: dict, span: dict, per_speaker: dict) -> str:
    """What was said for a gold span: its stretch of the turn's spoken form (the written value if none)."""
    side = per_speaker[turn["speaker"]][0]
    convert = side.maps.get(span["turn"])
    if convert is None:
        return span["value"]
    return turn["speech"][convert(span["start"]) : convert(span["end"], True)]


def project(gold: dict, asr_text: str) -> Projection:
    """Project a gold call's identifiers and must-survive phrases onto the ASR transcript text.

    ``gold`` is a ``generate_calls`` gold record (``turns``, ``identifiers``, ``must_survive_spans``);
    ``asr_text`` is ``Transcript.text()``. Returned spans carry document offsets into ``asr_text``.
    """
    result = Projection()
    turns = gold["turns"]
    sides = _asr_sides(asr_text)
    gold_total = gold_matched = 0
    per_speaker: dict[str, tuple[_GoldSide, list[Token], list[Token], list]] = {}
    for speaker in sorted({t["speaker"] for t in turns}):
        side = _gold_side(turns, speaker)
        gold_tokens = tokenize(side.text)
        asr_tokens = [tok for s, e in sides.get(speaker, []) for tok in tokenize(asr_text[s:e], base=s)]
        ops = _align(gold_tokens, asr_tokens)
        gold_total += len(gold_tokens)
        gold_matched += sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
        per_speaker[speaker] = (side, gold_tokens, asr_tokens, ops)
    result.word_recall = gold_matched / gold_total if gold_total else 1.0

    line_ends = [m.start() for m in re.finditer("\n", asr_text)]

    def one(span: dict) -> list[tuple[int, int]]:
        """ASR character ranges of a gold span: one per transcript line it lands on, [] when not heard."""
        speaker = turns[span["turn"]]["speaker"]
        side, gold_tokens, asr_tokens, ops = per_speaker[speaker]
        turn = span["turn"]
        convert = side.maps.get(turn)
        s, e = span["start"], span["end"]
        if convert is not None:
            s, e = convert(s), convert(e, True)  # type: ignore[call-arg]
        if e <= s:
            return []
        base = side.turn_base[turn]
        gs, ge = _token_range(gold_tokens, base + s, base + e)
        if gs == ge:
            return []
        rng = _project_range(ops, gold_tokens, asr_tokens, gs, ge)
        if rng is None:
            return []
        # Whisper may cut one utterance into two segments with the other side's line sorted in between: the
        # identifier then sits on two lines of the text, and each part is a span of its own
        pieces: dict[int, list[int]] = {}
        for tok in asr_tokens[rng[0] : rng[1]]:
            line = bisect.bisect_left(line_ends, tok.start)
            piece = pieces.setdefault(line, [tok.start, tok.end])
            piece[0], piece[1] = min(piece[0], tok.start), max(piece[1], tok.end)
        return [(start, end) for start, end in pieces.values()]

    def heard(span: dict, pieces: list[tuple[int, int]]) -> bool:
        said = _spoken_value(turns[span["turn"]], span, per_speaker)
        return bool(pieces) and not _garbled(said, " ".join(asr_text[s:e] for s, e in pieces))

    for span in gold["identifiers"]:
        pieces = one(span)
        if not pieces:
            result.not_heard += 1
            continue
        if not heard(span, pieces):
            result.garbled += 1  # the aligner paired it with unrelated words ("Cigna" with "the"): nothing to find
            continue
        result.projected += 1
        result.line_splits += len(pieces) > 1
        for start, end in pieces:
            assert start < end and re.search(r"[^\W_]", asr_text[start:end]), "projected span must cover a word"
            assert "\n" not in asr_text[start:end]
            result.spans.append({"start": start, "end": end, "category": span["category"],
                                 "value": asr_text[start:end], "gold_value": span["value"]})
    for span in gold.get("must_survive_spans", []):
        pieces = one(span)
        if not heard(span, pieces):
            result.survive_not_heard += 1
            continue
        result.survive_projected += 1
        for start, end in pieces:
            result.must_survive.append({"start": start, "end": end, "kind": span.get("kind"),
                                        "value": asr_text[start:end]})
    result.spans.sort(key=lambda s: (s["start"], s["end"]))
    result.must_survive.sort(key=lambda s: (s["start"], s["end"]))
    return result


# ------------------------------------------------------------------------------------------------ shapes
_SHAPE_PIECE = re.compile(r"(\d+|[^\W\d_]+)([^\w]*)")


def span_shape(value: str) -> str:
    """The form of a span without its content, for reporting misses: "6, 1, 9" -> "9, xN", "Eric Hallaway" -> "Aa xN".

    Digit runs become 9s (one per digit), words ``Aa`` (capitalized), ``a`` (lower) or ``A`` (upper); the
    separator after each piece is kept; two or more consecutive identical pieces collapse into ``<piece> xN``, so
    nine and ten comma-separated digits share a shape.
    """
    units: list[tuple[str, str]] = []
    for m in _SHAPE_PIECE.finditer(value):
        word, sep = m.groups()
        if word.isdigit():
            form = "9" * len(word)
        elif word.isupper():
            form = "A"
        elif word[0].isupper():
            form = "Aa"
        else:
            form = "a"
        units.append((form, re.sub(r"\s+", " ", sep).rstrip() if sep.strip() else ""))
    out: list[str] = []
    k = 0
    while k < len(units):
        form, sep = units[k]
        run = 1
        while k + run < len(units) and units[k + run][0] == form and (
            units[k + run][1] == sep or (k + run == len(units) - 1 and units[k + run][1] == "")
        ):
            run += 1
        out.append(f"{form}{sep}" + (" xN" if run > 1 else ""))
        k += run
    return " ".join(out)


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUMBER_WORDS = set(_UNITS) | set(_TEENS) | set(_TENS) | {"hundred", "thousand"}


def shape_class(value: str) -> str:
    """A coarse, human-readable description of a span's form ("comma-separated single digits"), no content."""
    words = _WORD.findall(value)
    low = [w.lower() for w in words]
    digits = re.findall(r"\d+", value)
    if re.search(rf"\b(?:{_MONTHS})\b", value, re.I) and (digits or any(w in _NUMBER_WORDS for w in low)):
        return "month name with day number"
    if re.search(rf"\b(?:{_WEEKDAYS})\b", value, re.I):
        return "weekday with day ('Monday the 5th')"
    if any(w in ("at", "dot", "underscore") for w in low) and len(words) >= 3 and not digits:
        return "spoken email or web address (words, 'at', 'dot')"
    if digits:
        letters = [w for w in words if not w.isdigit() and not re.fullmatch(r"\d+(?:st|nd|rd|th)", w.lower())]
        if all(len(d) == 1 for d in digits) and len(digits) >= 3 and not letters:
            joined = re.sub(r"\d", "", value)
            if "-" in joined and "," in joined:
                return "dash-joined digit triples ('3-2-3, 3-6-0')"
            if "-" in joined and "," not in joined:
                return "dash-joined single digits ('3-1-7-8')"
            return "comma/space-separated single digits ('6, 1, 9')"
        if not letters:
            return "digit groups ('505, 555, 7653' or '12, 14, 89')"
        if all(len(w) <= 3 and w.isupper() for w in letters) or re.search(r"[A-Za-z]\d|\d[A-Za-z]", value):
            return "letter prefix with digits (ID code)"
        return "misheard words mixed with digits"
    if low and sum(w in _NUMBER_WORDS for w in low) >= max(1, len(low) // 2):
        return "spoken number words"
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return "spelled-out letters"
    caps = [w[0].isupper() for w in words]
    if len(words) == 1:
        return "one capitalized word" if caps[0] else "one lower-case word"
    if all(caps):
        return "capitalized words"
    if not any(caps):
        return "lower-case words"
    return "mixed-case words"


# ------------------------------------------------------------------------------------------------ transcription
def _days_needed(n_calls: int, seed: int) -> list[date]:
    """Enough consecutive days from ``FIRST_DAY`` that at least ``n_calls`` calls are answered."""
    days: list[date] = []
    answered = 0
    while answered < n_calls:
        day = FIRST_DAY + timedelta(days=len(days))
        days.append(day)
        answered += sum(p.answered for p in plan_calls([day], CALLS_PER_DAY, seed))
    return days


def transcribe_synthetic_calls(
    n_calls: int,
    seed: int,
    model: str = "base",
    phone_band: bool = False,
    progress: Callable[[str], None] | None = None,
    raw_cache: Path | None = None,
) -> list[dict]:
    """Generate synthetic calls and transcribe the first ``n_calls`` answered ones with the real ``Transcriber``.

    Returns raw records ``{"call_id", "gold", "asr_text", "duration_s", "transcribe_s"}``. With ``raw_cache``
    each record is appended to that JSONL as it is made and reused on a re-run, so an interrupted build resumes
    and the projection can be revised without transcribing again.
    """
    from cipher_pipeline.transcribe import Transcriber  # here: faster-whisper takes seconds to import

    done: dict[str, dict] = {}
    if raw_cache is not None and raw_cache.exists():
        for line in raw_cache.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec.get("model") == model and rec.get("phone_band") == phone_band and rec.get("seed") == seed:
                    done[rec["call_id"]] = rec
    transcriber: Transcriber | None = None
    out: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="cipher-asr-corpus-") as tmp:
        for day in _days_needed(n_calls, seed):
            if len(out) >= n_calls:
                break
            planned = [c.call_id for c in plan_calls([day], CALLS_PER_DAY, seed) if c.answered]
            wanted = planned[: n_calls - len(out)]
            if all(call_id in done for call_id in wanted):
                out += [done[call_id] for call_id in wanted]  # all cached: no need to synthesize the day again
                continue
            inbox, gold_root = Path(tmp) / "inbox", Path(tmp) / "gold"
            result = generate_calls(inbox, gold_root, [day], calls_per_day=CALLS_PER_DAY, seed=seed,
                                    phone_band=phone_band)
            for call in result.calls:
                if not call.answered or len(out) >= n_calls:
                    continue
                if call.call_id in done:
                    out.append(done[call.call_id])
                    continue
                if transcriber is None:
                    transcriber = Transcriber(model)
                gold = json.loads(call.gold_path.read_text(encoding="utf-8"))
                t0 = time.perf_counter()
                transcript = transcriber.transcribe(call.path.read_bytes())  # type: ignore[union-attr]
                elapsed = time.perf_counter() - t0
                rec = {"call_id": call.call_id, "seed": seed, "model": model, "phone_band": phone_band,
                       "duration_s": call.duration_s, "transcribe_s": round(elapsed, 2),
                       "asr_text": transcript.text(), "gold": gold}
                out.append(rec)
                if raw_cache is not None:
                    raw_cache.parent.mkdir(parents=True, exist_ok=True)
                    with raw_cache.open("a", encoding="utf-8") as fh:
                        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if progress is not None:
                    progress(f"{len(out)}/{n_calls} calls: {call.duration_s:.0f}s audio in {elapsed:.0f}s")
            # the audio of a finished day is no longer needed; keep the temp dir small
            for wav in (inbox / day.isoformat()).glob("*.wav"):
                wav.unlink()
    return out


def corpus_record(raw: dict) -> tuple[dict, Projection]:
    """One corpus line (the ``evaluate.load_jsonl`` format plus ``meta``) from a raw transcription record."""
    proj = project(raw["gold"], raw["asr_text"])
    record = {
        "id": raw["call_id"],
        "text": raw["asr_text"],
        "spans": proj.spans,
        "must_survive": proj.must_survive,
        "meta": {
            "model": raw["model"],
            "band": "phone" if raw["phone_band"] else "wideband",
            "seed": raw["seed"],
            "day": raw["gold"]["day"],
            "duration_s": raw["duration_s"],
            "word_recall": round(proj.word_recall, 4),
            "identifiers": len(raw["gold"]["identifiers"]),
            "projected": proj.projected,
            "not_heard": proj.not_heard,
            "garbled": proj.garbled,
            "line_splits": proj.line_splits,
            "must_survive_projected": proj.survive_projected,
            "must_survive_not_heard": proj.survive_not_heard,
        },
    }
    return record, proj


def build_asr_corpus(
    out_path: Path,
    n_calls: int,
    seed: int,
    model: str = "base",
    phone_band: bool = False,
    progress: Callable[[str], None] | None = None,
    raw_cache: Path | None = None,
) -> dict:
    """Transcribe ``n_calls`` synthetic calls and write the projected corpus to ``out_path`` (JSONL).

    Returns the projection totals: calls, identifiers, projected, not_heard (and the must-survive counterparts),
    mean word recall, audio seconds and transcription seconds.
    """
    raws = transcribe_synthetic_calls(n_calls, seed, model, phone_band, progress, raw_cache)
    totals = {"calls": 0, "identifiers": 0, "projected": 0, "not_heard": 0, "garbled": 0, "line_splits": 0,
              "must_survive_projected": 0, "must_survive_not_heard": 0, "audio_s": 0.0, "transcribe_s": 0.0,
              "word_recall": 0.0}
    lines = []
    for raw in raws:
        record, proj = corpus_record(raw)
        lines.append(json.dumps(record, ensure_ascii=False))
        totals["calls"] += 1
        totals["identifiers"] += len(raw["gold"]["identifiers"])
        totals["projected"] += proj.projected
        totals["not_heard"] += proj.not_heard
        totals["garbled"] += proj.garbled
        totals["line_splits"] += proj.line_splits
        totals["must_survive_projected"] += proj.survive_projected
        totals["must_survive_not_heard"] += proj.survive_not_heard
        totals["audio_s"] += raw["duration_s"]
        totals["transcribe_s"] += raw["transcribe_s"]
        totals["word_recall"] += proj.word_recall
    if totals["calls"]:
        totals["word_recall"] = round(totals["word_recall"] / totals["calls"], 4)
    totals["audio_s"] = round(totals["audio_s"], 1)
    totals["transcribe_s"] = round(totals["transcribe_s"], 1)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return totals


def spoken_call_gold(gold: dict) -> dict:
    """A ``cipher synth speak`` gold record (a calls_dev call spoken) in the form ``project`` reads.

    Every marked span is an identifier to project, as ``cipher eval --corpus calls_dev`` scores them (COMPETITOR,
    INSURER and FACILITY land in the vertical recall); calls_dev marks no must-survive phrases.
    """
    identifiers = [{"turn": i, "start": span["start"], "end": span["end"], "category": span["category"],
                    "value": span["text"]}
                   for i, turn in enumerate(gold["turns"]) for span in turn["spans"]]
    return {"turns": gold["turns"], "identifiers": identifiers, "must_survive_spans": []}


def spoken_call_record(gold: dict, asr_text: str, meta: dict) -> dict:
    """One corpus line (``evaluate.load_jsonl`` format) for a spoken calls_dev call: its ASR text and the gold
    identifiers projected onto it; ``meta`` gains the projection counts."""
    proj = project(spoken_call_gold(gold), asr_text)
    return {"id": gold["call_id"], "text": asr_text, "spans": proj.spans, "must_survive": proj.must_survive,
            "meta": {**meta, "identifiers": proj.projected + proj.not_heard + proj.garbled,
                     "projected": proj.projected, "not_heard": proj.not_heard, "garbled": proj.garbled,
                     "word_recall": round(proj.word_recall, 4)}}


def digits_normalised_predictor(redactor):
    """The redactor run on the transcript with Whisper's digits in one form (``asr_text.normalise_digits``), its
    spans mapped back to what Whisper wrote: how the figures compare with and without that step."""
    from cipher_pipeline.asr_text import normalise_digits

    def predict(texts: list[str]) -> list[list[tuple[int, int]]]:
        forms = [normalise_digits(text) for text in texts]
        results = redactor.redact_many([form.text for form in forms], speech_recognized=True)  # Whisper's, as in the pipeline
        return [[form.spoken_span(s.start, s.end) for s in result.spans] for form, result in zip(forms, results)]

    return predict


def measure_records(records: list[dict], redactor=None, digits_normalised: bool = False) -> dict:
    """De-identification figures (``evaluate.Score.summary``) on in-memory corpus records, e.g. the bench's."""
    redactor = redactor or Redactor.default()
    predict = digits_normalised_predictor(redactor) if digits_normalised else cipher_predictor(redactor, speech_recognized=True)
    return run([_from_record(r) for r in records], predict).summary()


def measure_engine(path: Path, redactor=None) -> dict:
    """Score the de-identification engine on a corpus file the way ``cipher deid eval --corpus <file>`` does.

    Returns the evaluation summary (entity recall, token precision, per category) plus ``missed_shapes`` and
    ``missed_classes``: ``[(category, span_shape or shape_class, count)]`` of the identifiers it missed, most
    common first. Forms only, no values.
    """
    redactor = redactor or Redactor.default()
    score = run(load_jsonl(Path(path)), cipher_predictor(redactor))
    summary = score.summary()
    shapes = Counter((leak["category"], span_shape(leak["value"])) for leak in score.leaks)
    summary["missed_shapes"] = [(cat, shape, n) for (cat, shape), n in shapes.most_common()]
    classes = Counter((leak["category"], shape_class(leak["value"])) for leak in score.leaks)
    summary["missed_classes"] = [(cat, kind, n) for (cat, kind), n in classes.most_common()]
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Annotated corpus of real faster-whisper output on synthetic calls")
    parser.add_argument("--n", type=int, default=30, help="answered calls to transcribe")
    parser.add_argument("--seed", type=int, default=501)
    parser.add_argument("--model", default="base", help="'base' or 'tiny.en'")
    parser.add_argument("--phone-band", action="store_true", help="8 kHz G.711 phone-band audio")
    parser.add_argument("--raw-cache", type=Path, default=None,
                        help="JSONL of raw transcripts to resume from / reuse (keep it under the git-ignored data/)")
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)

    def report(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    totals = build_asr_corpus(args.out, args.n, args.seed, args.model, args.phone_band, report, args.raw_cache)
    print(json.dumps(totals), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
