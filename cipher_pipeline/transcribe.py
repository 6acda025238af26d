"""Local speech-to-text with faster-whisper, one pass per stereo channel.

Call recorders put the agent and the caller on separate channels. Transcribing each channel on its own gives
speaker labels for free (no diarization model) and keeps a caller's words from being attributed to the agent.
Mono recordings get one pass and the speaker ``unknown``.

Decoding can be given the center's vocabulary (``DecodeOptions.vocabulary``): the insurers, plan products,
competitors, programs and medications named in the shipped de-identification lexicons, never anything a caller
said. faster-whisper's ``hotwords`` go into the prompt of every 30-second window; an ``initial_prompt`` only into
the first one when ``condition_on_previous_text`` is off (as here), so a call's later turns would not see it.
The prompt holds 200 tokens (``PROMPT_TOKEN_BUDGET``, ``DecodeOptions.prompt_token_budget``) of 615 terms; which
ones is ``DecodeOptions.vocabulary_order``
(``vocabulary_prompt``: by declared parts and shares, ``PROMPT_SHARES``, or insurers first).
Which options are on by default is decided by ``cipher bench --only asr`` rows (docs/performance.md).

The batched pipeline stitches a channel's turns into 30 s chunks and decodes each chunk once; the turns a chunk's
decode lost, to a loop or by starting late (no word written there, or a stray one), are decoded again, each as a
window of its own (``DecodeOptions.redecode_loops``, ``redecode_unheard``, ``redecode_sparse_words_per_s``). After decoding, two steps act on the segments: decoding
loops are cut back (``with_loops_collapsed``) and insurer and competitor names Whisper misheard are written as the
lexicons spell them (``asr_terms.normalise_terms``).
``TranscriberPool`` runs recordings in worker processes, so a native crash in the decoder costs one recording.
"""

from __future__ import annotations

import copy
import difflib
import functools
import io
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import re
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import av  # faster-whisper's audio decoder; read here for a recording's own sample rate
import numpy as np
from faster_whisper import BatchedInferencePipeline, WhisperModel
from faster_whisper.audio import decode_audio
from faster_whisper.vad import VadOptions, get_speech_timestamps

from cipher_pipeline.asr_models import whisper_model
from cipher_pipeline.asr_terms import normalise_terms
from cipher_pipeline.vocabulary import SPEAKERS, turn_line

SAMPLE_RATE = 16_000
NARROWBAND_RATE = 8_000  # a recording at this rate or less is a phone line's (``DecodeOptions.vad_threshold_phone``)
BATCHED_WINDOW_S = 30  # faster-whisper's chunk_length: one batched VAD chunk is decoded as one 30 s window
CHANNEL_SPEAKERS = SPEAKERS


@dataclass(frozen=True)
class Segment:
    speaker: str
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    # Whisper's own doubt, word by word: (start, end, probability) per decoded word, offsets into ``text`` (numbers
    # only, never a copy of the words). A word a later step rewrote or dropped (a loop cut back, an insurer's name
    # spelled as the lexicon spells it) has none: ``_words_moved``. Empty for segments stored before session 16.
    words: tuple[tuple[int, int, float], ...] = ()

    def __post_init__(self):
        # read back from JSON the triples are lists: held as tuples, so a segment stays hashable and compares equal
        object.__setattr__(self, "words", tuple(tuple(w) for w in self.words))

    @property
    def confidence(self) -> float:
        return math.exp(self.avg_logprob)


@dataclass(frozen=True)
class Transcript:
    segments: list[Segment]  # ordered by start time across both channels
    duration_s: float
    language: str

    def turns(self) -> list[tuple[str, float, float, str]]:
        """Consecutive segments of one speaker merged: (speaker, start, end, text)."""
        merged: list[list] = []
        for seg in self.segments:
            if merged and merged[-1][0] == seg.speaker:
                merged[-1][2] = seg.end
                merged[-1][3] = f"{merged[-1][3]} {seg.text}"
            else:
                merged.append([seg.speaker, seg.start, seg.end, seg.text])
        return [tuple(turn) for turn in merged]

    def text(self) -> str:
        """The call as one turn per line, ``agent: ...`` / ``caller: ...``, as Whisper wrote it. The pipeline
        stores it with the digits in one form (``asr_text.normalise_digits``) for the redactor."""
        return "".join(turn_line(speaker, text) for speaker, _, _, text in self.turns())


PAUSE_SPLIT_S = 1.0


def _split_at_pauses(piece) -> list[tuple[float, float, str, tuple[tuple[int, int, float], ...]]]:
    """Cut a Whisper segment wherever its words pause for a second or more: (start, end, text, words), ``words``
    each word's (start, end) in ``text`` and its probability (``Segment.words``).

    With the VAD on, the silence while the agent speaks is removed before decoding, so one caller segment can
    hold the answer before and the answer after the agent's question ("Dana. ... Okay, 3104."). Kept whole, it
    would sort before the question and a cue like "last four of your social" would follow its answer.
    """
    words = [w for w in (piece.words or []) if w.word.strip()]
    if not words:
        text = piece.text.strip()
        return [(piece.start, piece.end, text, ())] if text else []
    parts, current = [], [words[0]]
    for previous, word in zip(words, words[1:]):
        if word.start - previous.end >= PAUSE_SPLIT_S:
            parts.append(current)
            current = []
        current.append(word)
    parts.append(current)
    return [(p[0].start, p[-1].end, *_joined_words(p)) for p in parts]


def _joined_words(words) -> tuple[str, tuple[tuple[int, int, float], ...]]:
    """The words' text as ``_split_at_pauses`` writes it (joined, stripped) and each word's (start, end,
    probability) in it, the word's own leading and trailing spaces left out."""
    joined = "".join(w.word for w in words)
    lead = len(joined) - len(joined.lstrip())
    spans, position = [], -lead
    for w in words:
        start = position + len(w.word) - len(w.word.lstrip())
        spans.append((start, position + len(w.word.rstrip()), round(float(w.probability), 4)))
        position += len(w.word)
    return joined.strip(), tuple(spans)


def _words_moved(old: str, new: str, words: tuple[tuple[int, int, float], ...]) -> tuple[tuple[int, int, float], ...]:
    """``words`` (offsets into ``old``) moved to ``new``, a rewrite of it: a word keeps its probability only where
    its characters are all in one unchanged stretch (``difflib``'s matching blocks); a word cut or respelled has
    none, since its probability was the decoder's for other text."""
    if old == new or not words:
        return words
    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    moved = []
    for start, end, probability in words:
        for a, b, size in blocks:
            if a <= start and end <= a + size:
                moved.append((start - a + b, end - a + b, probability))
                break
    return tuple(moved)


LOOP_COMPRESSION_RATIO = 2.4  # Whisper's own threshold for a decode that failed by looping (not tuned here)
LOOP_MIN_REPEATS = 4  # "five five five" (a spoken 555) is three: a loop repeats more
# Six rounds in a row is a loop whatever the compression ratio says: a short segment ("-1-1-1-1-1-1-1", the tail
# of a loop cut at a pause) compresses badly because it is short, and nobody says one digit six times running.
LOOP_ALWAYS_REPEATS = 6
# The longest unit a loop repeats, in words (``collapse_loops``) or atoms (``loops_across``). Whisper also loops on a
# whole misheard phrase ("That's fine, I'm <garbled>, <garbled>, ..." eight words, six rounds: session 9, a phone
# channel of the formant voice, 148 word errors of 150); people do not say a phrase of 7-12 words four times running
# in text that compresses like a loop, nor six times in any text. Up to session 8: 6.
LOOP_MAX_UNIT = 12
# a digit group repeated with hyphens or commas between, inside one written word: "3-1-1-1-1-1-1", "30,000,000,000,..."
_GLUED_LOOP = re.compile(rf"(\d{{1,3}})(?:[-,.]\1(?!\d)){{{LOOP_ALWAYS_REPEATS - 1},}}")


# Re-decoding a stretch a batched decoding loop swallowed (``DecodeOptions.redecode_loops``) starts half a second
# before the loop's segment
REDECODE_MARGIN_S = 0.5


def _words_once_looped(texts) -> int:
    """Words the texts hold once their loops are cut back (``collapse_loops``)."""
    return sum(len(collapse_loops(text).split()) for text in texts)


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def collapse_loops(text: str) -> str:
    """A decoding loop ("I'm sorry, I'm sorry, I'm sorry, ...") cut back to one round of what it repeats.

    Sequential decoding re-decodes such a window at a higher temperature (compression ratio over 2.4); the
    batched pipeline has no fallback and keeps the loop, which counts as dozens of inserted words. In text over
    Whisper's 2.4 ratio, 1 to ``LOOP_MAX_UNIT`` words repeated ``LOOP_MIN_REPEATS`` times or more in a row are kept once; in
    any text, ``LOOP_ALWAYS_REPEATS`` times or more. Ordinary text, spelled digits included, never reaches that
    ratio. Whisper also loops inside one written word, a digit glued to itself by hyphens or commas
    ("0-9-9-0-0-0-0-0-0-0-0", "30,000,000,000,000"): six rounds or more are kept once there too (session 5's
    error-class audit: a sixth of the even-a phone calls' word errors were such digits).
    """
    text = _GLUED_LOOP.sub(r"\1", text)
    gated = _compression_ratio(text) > LOOP_COMPRESSION_RATIO
    words = text.split()
    keys = [re.sub(r"[^\w']", "", w.lower()) for w in words]
    min_repeats = LOOP_MIN_REPEATS if gated else LOOP_ALWAYS_REPEATS
    kept: list[str] = []
    cut = False
    i = 0
    while i < len(words):
        if loop := _loop_at(keys, i, min_repeats):
            n, repeats = loop
            kept.extend(words[i : i + n])
            i += repeats * n
            cut = True
        else:
            kept.append(words[i])
            i += 1
    return " ".join(kept) if cut else text


def _loop_at(keys: list[str], i: int, min_repeats: int) -> tuple[int, int] | None:
    """(unit length, rounds) of the shortest unit of 1 to ``LOOP_MAX_UNIT`` keys starting at ``i`` said
    ``min_repeats`` times or more in a row (an empty key, punctuation alone, is no unit), else None."""
    for n in range(1, LOOP_MAX_UNIT + 1):
        unit = keys[i : i + n]
        repeats = 1
        while keys[i + repeats * n : i + (repeats + 1) * n] == unit and len(unit) == n:
            repeats += 1
        if repeats >= min_repeats and any(unit):
            return n, repeats
    return None


_ATOM = re.compile(r"[A-Za-z0-9]+")


def loops_across(texts: list[str]) -> list[tuple[int, list[tuple[int, int]]]]:
    """The loops in texts read as one run of words (one speaker's segments in time order): for each, the unit's
    length ``n`` and the atoms of every round, as (text index, atom index), first round first. An atom is a run
    of letters and digits, whatever joins them ("nine-year-old", "O'Neil"); a unit of 1 to ``LOOP_MAX_UNIT`` atoms said
    ``LOOP_ALWAYS_REPEATS`` times or more in a row is a loop, across segment boundaries."""
    atoms = [(i, k, m.group().lower()) for i, text in enumerate(texts) for k, m in enumerate(_ATOM.finditer(text))]
    keys = [key for _, _, key in atoms]
    loops = []
    j = 0
    while j < len(keys):
        if loop := _loop_at(keys, j, LOOP_ALWAYS_REPEATS):
            n, repeats = loop
            loops.append((n, [(i, k) for i, k, _ in atoms[j : j + repeats * n]]))
            j += repeats * n
        else:
            j += 1
    return loops


def with_loops_collapsed(segments: list[Segment]) -> list[Segment]:
    """Each segment through ``collapse_loops``, then each speaker's segments read as one run of words
    (``loops_across``): a loop is kept once. A loop runs on past a pause, where ``_split_at_pauses`` cut it into
    segments of two or three rounds each, which no segment alone shows; the segments left empty are dropped.
    """
    texts = [collapse_loops(seg.text) for seg in segments]
    dropped_atoms: dict[int, set[int]] = {}  # segment index -> positions of its atoms to drop
    for speaker in dict.fromkeys(seg.speaker for seg in segments):
        mine = [i for i, seg in enumerate(segments) if seg.speaker == speaker]
        for n, rounds in loops_across([texts[i] for i in mine]):
            for i, k in rounds[n:]:
                dropped_atoms.setdefault(mine[i], set()).add(k)
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        text = texts[i]
        if i in dropped_atoms:
            matches = list(_ATOM.finditer(text))
            if len(dropped_atoms[i]) == len(matches):
                continue  # nothing but the loop
            pieces = [text[: matches[0].start()]]
            for k, m in enumerate(matches):
                if k not in dropped_atoms[i]:
                    pieces.append(text[m.start() : matches[k + 1].start() if k + 1 < len(matches) else len(text)])
            text = "".join(pieces).strip()
        out.append(seg if text == seg.text else replace(seg, text=text, words=_words_moved(seg.text, text, seg.words)))
    return out


def with_terms_normalised(segments: list[Segment]) -> list[Segment]:
    """Each segment (in time order) with misheard insurer and competitor names written as the lexicon spells
    them; the segment before, either speaker's, is the context (the agent's "what insurance do you have?")."""
    out, previous = [], ""
    for seg in segments:
        text = normalise_terms(seg.text, previous)
        out.append(replace(seg, text=text, words=_words_moved(seg.text, text, seg.words)))
        previous = seg.text
    return out


def _same_signal(left: np.ndarray, right: np.ndarray) -> bool:
    """True when both channels carry the same speech (a mono source), not two sides of a call."""
    scale = float(np.mean(np.abs(left)) + np.mean(np.abs(right))) or 1.0
    return float(np.mean(np.abs(left - right))) < 0.05 * scale


LEXICON_DIR = Path(__file__).parent / "deid" / "lexicons"
PROMPT_TOKEN_BUDGET = 200  # Whisper's prompt holds 223 tokens (half its 448-token context, less one)


# The prompt's parts in the order the decoder reads them, each with its share of the token budget (``prompt_parts``).
# A part that needs less than its share leaves the rest to the parts after it; terms still outside once every part
# has had its turn fill what is left, in the same order. Declared here so the prompt is the same for a given
# configuration: lexicon files in, one string out.
PROMPT_SHARES = (("center", 0.10), ("market", 0.20), ("payers", 0.55), ("drugs", 0.15))
# "market" (session 9): the same parts, the payers being those sold in the center's own states first
# (``insurers.yaml`` ``coverage``, ``center.yaml`` ``states``), then the national ones; most of the budget to them
MARKET_PROMPT_SHARES = (("center", 0.05), ("market", 0.10), ("local_payers", 0.40), ("payers", 0.40), ("drugs", 0.05))
# "lexicon": the order before session 8, late (every insurer's main name first: 49 insurers filled the budget and no
# competitor, drug or the center's own name reached the decoder); "center": ``PROMPT_SHARES``; "market": the center's
# market (``payer_names``)
VOCABULARY_ORDERS = ("lexicon", "center", "market")
NATIONAL = "national"


def _yaml(name: str) -> dict:
    import yaml  # only the vocabulary builder needs it

    return yaml.safe_load((LEXICON_DIR / name).read_text(encoding="utf-8"))


def _clinical_sections() -> tuple[list[str], list[str], list[str]]:
    """(medications for opioid use disorder, levels of care written as letters, substances) of
    ``clinical_safe.txt``, in file order."""
    medications: list[str] = []
    programs: list[str] = []
    substances: list[str] = []
    section = ""
    for line in (LEXICON_DIR / "clinical_safe.txt").read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word.startswith("# ---"):
            section = word
        elif word and not word.startswith("#"):
            if "medications for opioid" in section:
                medications.append(word.capitalize())
            elif "substances commonly" in section:
                substances.append(word.capitalize())
            elif "levels of care" in section and word.isalpha() and len(word) <= 4:
                programs.append(word.upper())  # IOP, PHP, MAT ...
    return medications, programs, substances


def _entry_names(name: str) -> tuple[list[str], list[str]]:
    """(each entry's first name, every other name) of a lexicon file, in file order."""
    main, other = [], []
    for entry in _yaml(name)["entries"]:
        main.append(entry["names"][0])
        other.extend(entry["names"][1:])
    return main, other


def _coverage_of(entry: dict) -> dict[str, frozenset[str] | None]:
    """Each name of an ``insurers.yaml`` entry -> the states it is sold in (None: national), from its ``coverage``."""
    coverage = entry.get("coverage", NATIONAL)
    if coverage == NATIONAL:
        return {name: None for name in entry["names"]}
    if isinstance(coverage, list):
        return {name: frozenset(coverage) for name in entry["names"]}
    if not isinstance(coverage, dict):
        raise ValueError(f"insurers.yaml entry {entry['id']!r}: coverage must be 'national', a list of states or a map")
    by_name: dict[str, frozenset[str] | None] = {}
    for where, names in coverage.items():
        for name in names:
            by_name[name] = None if where == NATIONAL else frozenset(str(where).split())
    if sorted(by_name) != sorted(entry["names"]):
        raise ValueError(f"insurers.yaml entry {entry['id']!r}: its coverage map must list each of its names once")
    return by_name


@functools.lru_cache(maxsize=None)
def payer_names(states: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(the payers sold in ``states``, the national main names, the national other names) from ``insurers.yaml``'s declared ``coverage``, each most
    likely first; names sold only elsewhere are in neither.

    - sold in ``states`` (USPS codes; a center's own market: its Medicaid programs and their managed-care plans, its
      Blue plans, regional carriers): the first name of each entry's group of names sold there, in file order, then
      the rest; a name that only adds words to such a first name ("Premera Blue Cross" after "Premera") waits with
      the rest, since the words it adds are the common ones;
    - national: each entry's main name, in file order (the carriers a center hears most head the file); the other
      names apart.
    """
    wanted = frozenset(states)
    local_first, local_rest, national_main, national_other = [], [], [], []
    for entry in _yaml("insurers.yaml")["entries"]:
        coverage = _coverage_of(entry)
        groups_seen: set = set()
        for name in entry["names"]:
            where = coverage[name]
            if where is None:
                (national_main if name == entry["names"][0] else national_other).append(name)
            elif where & wanted:
                (local_rest if where in groups_seen else local_first).append(name)
                groups_seen.add(where)
    firsts = {_term_key(name) for name in (*local_first, *national_main)}
    extension = [name for name in local_first
                 if any(_term_key(name) != key and _term_key(name).startswith(key) for key in firsts)]
    local = [name for name in local_first if name not in extension] + extension + local_rest
    return tuple(local), tuple(national_main), tuple(national_other)


def center_states() -> tuple[str, ...]:
    """The states the center admits from (``center.yaml`` ``states``), configuration, never a caller's."""
    return tuple(_yaml("center.yaml").get("states") or ())


@functools.lru_cache(maxsize=None)
def prompt_parts(states: tuple[str, ...] | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The center's vocabulary by ``PROMPT_SHARES`` part, each part most likely first, from configuration only:

    - center: the center's own name (``center.yaml``'s first ``keep``) and its programs (IOP, PHP, MAT ...);
    - market: the competitors the center configured (``competitors.yaml``), then its referral partners
      (``providers.yaml``), main names first;
    - payers: every insurer's main name in ``insurers.yaml``'s order (the center's own market's carriers head the
      file), then their other names; with ``states`` (the center's, ``center_states``), the national ones of
      ``payer_names(states)``;
    - local_payers (only with ``states``): the payers sold there (``payer_names``);
    - drugs: the medications for opioid use disorder, then the substances.

    A name already inside an earlier one ("Blue Cross" in "Blue Cross Blue Shield") is left out. Nothing is
    taken from a call, so no caller's identifier can reach a prompt.
    """
    insurers, insurer_other = _entry_names("insurers.yaml")
    competitors, competitor_other = _entry_names("competitors.yaml")
    partners, partner_other = _entry_names("providers.yaml")
    medications, programs, substances = _clinical_sections()
    keys: list[str] = []
    center = _new_terms([_yaml("center.yaml")["keep"][0], *programs], keys)
    market = _new_terms([*competitors, *partners, *competitor_other, *partner_other], keys)
    if states is None:
        payers = _new_terms([*insurers, *insurer_other], keys)
    else:
        # Only a payer name said already is left out here, not one inside a longer name: the budget may keep the
        # shorter one ("Anthem", "Medicaid") and not the longer ("Anthem MediBlue", "Georgia Medicaid").
        local_names, national_main, national_other = payer_names(tuple(states))
        said = {_term_key(term) for term in (*center, *market)}
        local = _unsaid(local_names, said)
        payers = _unsaid([*national_main, *national_other], said)
    drugs = _new_terms([*medications, *substances], keys)
    parts = (("center", center), ("market", market), *((("local_payers", local),) if states is not None else ()),
             ("payers", payers), ("drugs", drugs))
    return tuple((part, tuple(terms)) for part, terms in parts)


def _term_key(term: str) -> str:
    return re.sub(r"[^a-z]", "", term.lower())


def _kept(term: str, key: str, keys: list[str]) -> bool:
    """A term goes in unless it is too short to help, the everyday word "united", or inside one already in."""
    return len(key) >= 3 and term.lower() != "united" and not any(key in k for k in keys)


def _new_terms(terms, keys: list[str]) -> list[str]:
    """The terms ``_kept`` lets in, in order; each one taken adds its key to ``keys`` (shared across calls, so a
    later part leaves out what an earlier one holds)."""
    chosen = []
    for term in terms:
        key = _term_key(term)
        if _kept(term, key, keys):
            chosen.append(term)
            keys.append(key)
    return chosen


def _unsaid(terms, said: set[str]) -> list[str]:
    """The terms ``_kept`` would let in against nothing (long enough, not "united") whose key is not in ``said``,
    in order; each one taken joins ``said``."""
    chosen = []
    for term in terms:
        key = _term_key(term)
        if key not in said and _kept(term, key, []):
            chosen.append(term)
            said.add(key)
    return chosen


@functools.lru_cache(maxsize=1)
def center_vocabulary() -> tuple[str, ...]:
    """The words a center's calls are about, from the shipped lexicons, in the order of ``PROMPT_SHARES``: the
    center's own name and programs, its competitors and referral partners, the payers, the drugs. Which of them
    reach the decoder is ``vocabulary_prompt``'s choice: by default (``DecodeOptions.vocabulary_order="market"``)
    the center's own market, its states' payers before the national ones (docs/performance-history.md, session 9)."""
    return tuple(term for _, terms in prompt_parts() for term in terms)


@functools.lru_cache(maxsize=1)
def _lexicon_order_vocabulary() -> tuple[str, ...]:
    """The vocabulary in the order before session 8, late (``vocabulary_order="lexicon"``): every insurer's and
    competitor's main name and the center's own name; then medications, levels of care, the other names and the
    substances. Its first 200 tokens were 49 insurers."""
    insurers, insurer_other = _entry_names("insurers.yaml")
    competitors, competitor_other = _entry_names("competitors.yaml")
    medications, programs, substances = _clinical_sections()
    terms = [*insurers, *competitors, _yaml("center.yaml")["keep"][0], *medications, *programs,
             *insurer_other, *competitor_other, *substances]
    return tuple(_new_terms(terms, []))


def vocabulary_prompt(count_tokens, budget: int = PROMPT_TOKEN_BUDGET, order: str = "center",
                      shares: tuple[tuple[str, float], ...] = PROMPT_SHARES,
                      states: tuple[str, ...] | None = None) -> str:
    """The vocabulary that fits in ``budget`` tokens (``count_tokens``: the model's own tokenizer), comma-separated.

    ``order="center"``: each part of ``PROMPT_SHARES`` in turn takes terms, most likely first, while the prompt
    stays within the shares so far (a part's unused share passes on; its first term only needs to fit the whole
    budget, so every part reaches the decoder); then what is left of the budget is filled
    with the terms still out, in the same order. ``order="market"``: the same, the payers being the center's market
    (``payer_names(states)``; ``states`` None: ``center_states()``). ``order="lexicon"``: terms in the order before
    session 8, late until the budget is full. Deterministic: the same lexicons, states and tokenizer give the same
    prompt.
    """
    if order not in VOCABULARY_ORDERS:
        raise ValueError(f"vocabulary order must be one of {VOCABULARY_ORDERS}, not {order!r}")
    chosen: list[str] = []

    def fits(term: str, limit: float) -> bool:
        return count_tokens(" " + ", ".join([*chosen, term])) <= limit

    if order == "lexicon":
        for term in _lexicon_order_vocabulary():
            if not fits(term, budget):
                break
            chosen.append(term)
        return ", ".join(chosen)
    share_of = dict(shares)
    allowed = 0.0
    left_out: list[str] = []
    market = (center_states() if states is None else tuple(states)) if order == "market" else None
    for part, terms in prompt_parts(market):
        allowed += share_of.get(part, 0.0) * budget
        for i, term in enumerate(terms):
            # a part's first term goes in wherever the whole budget holds it, so a small share (or a small
            # budget) never keeps a part from the decoder entirely
            if not fits(term, budget if i == 0 else allowed):
                left_out.extend(terms[i:])
                break
            chosen.append(term)
    # The parts' leftovers, in order, into what the shares left unused; a term that does not fit is skipped,
    # so a shorter one after it may still go in.
    for term in left_out:
        if fits(term, budget):
            chosen.append(term)
    return ", ".join(chosen)


@dataclass(frozen=True)
class DecodeOptions:
    """How each channel is decoded; the defaults are the settings the benchmark rows support."""

    # Beam width for wideband recordings, and for a recording at 8 kHz or less (a phone line). Half the decoder's CPU
    # is the beam search; on ten development calls (session 10) beam 3 and beam 2 cost about 30 and 60 word errors
    # of 3,022 on each band, both voices worse on both bands, for 5-12% and about 20% less CPU: 5 stays on both.
    beam_size: int = 5
    beam_size_phone: int = 5
    # "none", "hotwords" (every window) or "prompt" (initial_prompt: first window only). Hotwords: on odd calls of
    # calls_dev, phone band, base, WER 0.362 -> 0.331, insurers 1/4 -> 2/4, identifiers 2/15 -> 6/15; again on five
    # other odd calls, 0.448 -> 0.363 (prompt: 0.378, fewer insurers).
    vocabulary: str = "hotwords"
    # Which terms fill the vocabulary's 200 tokens (``vocabulary_prompt``): "market" (since session 9), the center's
    # own market: its name and programs, its competitors, the payers sold in its states (``center_states``, else
    # ``center.yaml``'s, by ``insurers.yaml``'s declared ``coverage``), then the national payers, the drugs
    # (``MARKET_PROMPT_SHARES``). Ten development calls, each center in the call's own region (session 9): insurers
    # 21 -> 23 of 27 phone, 23 -> 24 wideband; word errors 837 -> 837 phone (once a phrase loop it set off on one
    # channel is cut: ``LOOP_MAX_UNIT``), 513 -> 490 wideband; nothing written on line hiss. "lexicon": every insurer's
    # main name first (49 insurers, nothing else; the default before). "center": ``PROMPT_SHARES``'s parts, payers
    # in file order (session 8, late: insurers 21 -> 18 phone, 23 -> 21 wideband, 28 insurers fit: off).
    vocabulary_order: str = "market"
    prompt_shares: tuple[tuple[str, float], ...] = MARKET_PROMPT_SHARES  # each part's share of the budget
    # The vocabulary prompt's length in the model's tokens (``vocabulary_prompt``'s budget). Every batched window
    # and every re-decoded region carries it into the decoder.
    prompt_token_budget: int = PROMPT_TOKEN_BUDGET
    # With "market": the center's states (USPS codes) whose payers the prompt holds; None: ``center.yaml``'s
    # ``states`` (a deployment's configuration; the bench sets a calls_dev call's region here)
    center_states: tuple[str, ...] | None = None
    # The VAD's speech threshold for wideband recordings. Faster-whisper's batched default (160 ms silence)
    # measured 0.363 -> 0.437; its sequential defaults stay. 0.35 on wideband: WER 0.213 -> 0.214, one insurer and
    # one drug fewer on ten development calls (session 6), and the VAD already covers every wideband turn.
    vad_threshold: float = 0.5
    # The same for a recording at 8 kHz or less (a phone line). At 0.5 the VAD starts a phone turn late: on the 40
    # development calls it cut the first 0.3 s or more off 171 of 828 turns (Piper's 135 of 413), 212 s of turn
    # time in all, and Whisper never hears a word the VAD cut; at 0.35, 10 turns, 8 s (``asr_misses.vad_heads``).
    # WER 0.388 -> 0.284 on ten development calls (espeak-ng 0.514 -> 0.410, Piper 0.269 -> 0.165), insurers
    # 16 -> 21 of 27, the same CPU time; 0.320 -> 0.265 on five others (session 5). (Session 2's 0.35 with 700 ms
    # silence and 300 ms pad measured mixed; at 0.35 a 400 ms pad leaves three times what 800 ms does out, so likely the
    # short padding.)
    vad_threshold_phone: float = 0.35
    vad_min_silence_ms: int = 2000
    # Padding around each VAD region: 800 ms (400 before). A phone line's soft word onsets and tails fall under the
    # VAD's threshold; with twice the padding Whisper gets them back. Phone band, WER 0.504 -> 0.427 (six even-a
    # calls) and 0.359 -> 0.312 (four odd calls), both voice engines better; wideband 0.182 -> 0.170 (four
    # even-a calls); nothing on line hiss (docs/performance-history.md, session 4 tuning).
    vad_speech_pad_ms: int = 800
    normalise_gain: bool = False  # scale each channel to a -3 dBFS peak: measured worse (WER 0.362 -> 0.39), off
    # First-order pre-emphasis y[n] = x[n] - a*x[n-1] before Whisper (0: off): lifts the 1-3.4 kHz consonant cues a
    # phone line keeps, relative to its vowels
    pre_emphasis: float = 0.0
    # 0: one 30 s window after another; N: faster-whisper's batched pipeline, N VAD chunks side by side. Batched:
    # WER 0.415 -> 0.362 and 2.4x -> 4.4x realtime (odd calls, phone band, base; docs/performance.md).
    batch_size: int = 8
    # How 8 kHz phone audio reaches Whisper's 16 kHz: "av" (faster-whisper's decode_audio, libswresample) or
    # "poly" (decoded at its own rate, then scipy's polyphase filter). Both give the same signal to 1e-7 on a
    # phone call; "poly" measured 0.06 lower WER on five odd calls, which is the noise floor: "av" stays.
    resampler: str = "av"
    # Sequential decoding only: faster-whisper's batched pipeline ignores these (its transcribe() docstring lists
    # them as unused; it decodes each VAD chunk once at the first temperature, never conditioned on earlier text).
    condition_on_previous_text: bool = False  # off: one misheard turn cannot derail the next
    # (0.0,): no fallback. A fallback re-decodes by random sampling, so a re-run could give another transcript.
    temperature: tuple[float, ...] = (0.0,)
    compression_ratio_threshold: float | None = 2.4
    no_speech_threshold: float = 0.6
    log_prob_threshold: float | None = -1.0
    # Both modes: penalties against a decoder stuck repeating itself (1.0 / 0: off)
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    # After decoding: insurer and competitor names Whisper misheard written as the lexicon spells them
    # (``asr_terms.normalise_terms``). On the 40 development calls' saved segments (odd and even-a): insurers
    # 46 -> 49 of 93 phone, 75 -> 78 of 93 wideband, no replacement that was not a name (docs/performance.md).
    vertical_terms: bool = True
    # Batched only. The batched pipeline stitches a channel's VAD regions (turns) into 30 s chunks and decodes each
    # chunk once, with no fallback. Two ways it loses turns, both mended by decoding the lost regions again, each
    # as a window of its own (``Transcriber._decode_regions``):
    # - ``redecode_loops``: the decoder loops on a spoken number ("1-0-0-0 ...") and the loop runs to the end of the
    #   chunk; the loop is found across the channel's pieces (``loops_across``) and the chunk from the loop on is
    #   decoded again (``Transcriber._with_loops_redecoded``);
    # - ``redecode_unheard``: the decoder starts writing at a chunk's second or third turn; a region no piece
    #   overlaps is decoded again (``Transcriber._with_unheard_redecoded``).
    # Both on, ten development calls (session 7): word errors 643 -> 548 wideband (WER 0.213 -> 0.181; the Piper
    # voice's 0.240 -> 0.187), 859 -> 837 phone, no insurer, drug or identifier lost; CPU in docs/performance.md.
    # Session 6's first form (the looped segment's stretch decoded again sequentially): 643 -> 637, 859 -> 834.
    redecode_loops: bool = True
    redecode_unheard: bool = True
    # With ``redecode_unheard``: a VAD region of ``redecode_sparse_min_s`` or more whose pieces hold fewer words
    # than this per second (speech runs at 2-3) is decoded again as well (0: off). A stray word of a later turn,
    # placed in the region by the word timestamps, makes a turn the decoder skipped look heard (session 7: call
    # 061's first turn). Ten development calls (session 8): 1 phone and 4 wideband regions of 382 under the
    # floor; wideband word errors 548 -> 513 (WER 0.181 -> 0.170; the Piper voice's dropped stretches 51 -> 0),
    # phone unchanged, no name lost; CPU in docs/performance.md. Held-out even-b: wideband identical, one phone
    # transcript of 20 changed, 4 word errors more (a rare class: neutral there).
    redecode_sparse_words_per_s: float = 0.5
    redecode_sparse_min_s: float = 3.0
    extra: dict = field(default_factory=dict)  # any other faster-whisper transcribe() argument, for experiments

    def __post_init__(self):
        if self.vocabulary not in ("none", "hotwords", "prompt"):
            raise ValueError(f"vocabulary must be 'none', 'hotwords' or 'prompt', not {self.vocabulary!r}")
        if self.vocabulary_order not in VOCABULARY_ORDERS:
            raise ValueError(f"vocabulary_order must be one of {VOCABULARY_ORDERS}, not {self.vocabulary_order!r}")
        if self.resampler not in ("av", "poly"):
            raise ValueError(f"resampler must be 'av' or 'poly', not {self.resampler!r}")


def decode_channels(audio: bytes, resampler: str = "av") -> tuple[np.ndarray, np.ndarray]:
    """Both channels of a recording as 16 kHz float32 (a mono file gives the same channel twice).

    ``resampler``: "av" lets faster-whisper's decoder resample (libswresample); "poly" decodes at the file's own
    rate and resamples with scipy's polyphase filter (``DecodeOptions.resampler``).
    """
    if resampler == "poly":
        rate = _sample_rate(audio)
        if rate != SAMPLE_RATE:
            from scipy.signal import resample_poly  # only this resampler needs scipy (seconds to import)

            native = decode_audio(io.BytesIO(audio), sampling_rate=rate, split_stereo=True)
            g = math.gcd(SAMPLE_RATE, rate)
            left, right = (resample_poly(x, SAMPLE_RATE // g, rate // g).astype(np.float32) for x in native)
            return left, right
    left, right = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE, split_stereo=True)
    return left, right


def _sample_rate(audio: bytes) -> int:
    """The first audio stream's sample rate (8000 for a G.711 phone recording)."""
    with av.open(io.BytesIO(audio), metadata_errors="ignore") as container:
        return int(container.streams.audio[0].sample_rate)


class Transcriber:
    """One Whisper model, loaded once; ``transcribe`` is called per recording."""

    def __init__(self, model_name: str = "base", compute_type: str = "int8", cpu_threads: int | None = None,
                 device: str = "cpu", options: DecodeOptions | None = None):
        info = whisper_model(model_name)
        self.model_name = model_name
        self.compute_type = compute_type
        self.device = device
        self.options = options or DecodeOptions()
        self._model = WhisperModel(
            str(info.path), device=device, compute_type=compute_type, cpu_threads=cpu_threads or os.cpu_count() or 2
        )
        self._english_only = model_name.endswith(".en")
        self._batched = BatchedInferencePipeline(self._model) if self.options.batch_size else None
        tokenizer = self._model.hf_tokenizer
        self.vocabulary = vocabulary_prompt(lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids),
                                            budget=self.options.prompt_token_budget,
                                            order=self.options.vocabulary_order, shares=self.options.prompt_shares,
                                            states=self.options.center_states)

    def _decode_arguments(self, narrowband: bool = False) -> dict:
        """faster-whisper's transcribe() arguments from the options; ``narrowband``: the recording is a phone
        line's 8 kHz (``vad_threshold_phone``)."""
        o = self.options
        arguments = dict(
            beam_size=o.beam_size_phone if narrowband else o.beam_size,
            # Batched: Whisper decodes 30 s at most, and faster-whisper caps VAD regions at that window only when
            # vad_parameters is None or a dict, not for VadOptions. Uncapped, a region over 30 s is cut to 30 s (the
            # rest is never decoded) and, when it opens the channel, leaves an empty chunk before it whose word
            # alignment segfaults CTranslate2 (calls_dev 020 and 047, phone band).
            vad_parameters=VadOptions(threshold=o.vad_threshold_phone if narrowband else o.vad_threshold,
                                      min_silence_duration_ms=o.vad_min_silence_ms,
                                      speech_pad_ms=o.vad_speech_pad_ms,
                                      max_speech_duration_s=BATCHED_WINDOW_S if o.batch_size else math.inf),
            no_speech_threshold=o.no_speech_threshold,
            log_prob_threshold=o.log_prob_threshold,
            compression_ratio_threshold=o.compression_ratio_threshold,
            repetition_penalty=o.repetition_penalty,
            no_repeat_ngram_size=o.no_repeat_ngram_size,
        )
        if o.vocabulary == "hotwords":
            arguments["hotwords"] = self.vocabulary
        elif o.vocabulary == "prompt":
            arguments["initial_prompt"] = self.vocabulary
        arguments.update(o.extra)
        return arguments

    def _conditioned(self, samples: np.ndarray) -> np.ndarray:
        """The channel as the decoder gets it: pre-emphasis and gain, where the options ask for them."""
        if self.options.pre_emphasis and samples.size > 1:
            samples = np.append(samples[:1], samples[1:] - self.options.pre_emphasis * samples[:-1]).astype(np.float32)
        if self.options.normalise_gain:
            peak = float(np.max(np.abs(samples))) if samples.size else 0.0
            if peak > 1e-4:
                samples = samples * (0.708 / peak)
        return samples

    def decode_channel(self, samples: np.ndarray, narrowband: bool = False):
        """One mono 16 kHz channel through Whisper: (segments iterator, info). ``narrowband``: it came from a
        recording at 8 kHz or less."""
        samples = self._conditioned(samples)
        if self._batched is not None:
            # the batched pipeline decodes VAD chunks side by side; it never conditions on previous text
            arguments = self._decode_arguments(narrowband)
            return self._batched.transcribe(
                samples, language="en", word_timestamps=True, temperature=0.0, batch_size=self.options.batch_size,
                **arguments,
            )
        return self._model.transcribe(
            samples,
            language="en",
            vad_filter=True,  # skips the long silences where the other party speaks
            condition_on_previous_text=self.options.condition_on_previous_text,
            # Word times let a segment that spans the other party's turn be cut at the pause (below).
            word_timestamps=True,
            temperature=list(self.options.temperature),
            **self._decode_arguments(narrowband),
        )

    def _speech_regions(self, samples: np.ndarray, narrowband: bool = False) -> list[tuple[float, float]]:
        """The channel's VAD regions in seconds, as the decode's own VAD finds them (the same options, the same
        conditioned audio): a turn of this speaker each, the other party's turns being silence here."""
        vad = self._decode_arguments(narrowband)["vad_parameters"]
        return [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE)
                for r in get_speech_timestamps(self._conditioned(samples), vad)]

    def _decode_regions(self, samples: np.ndarray, regions: list[tuple[float, float]],
                        narrowband: bool = False) -> list[tuple]:
        """Each region (channel seconds, at most one 30 s window) decoded as a window of its own, not stitched to
        its neighbours as the batched pipeline stitches a channel's regions, so that a loop the decoder falls
        into costs the rest of its own turn, not the turns after it. The pieces as (start, end, text, avg_logprob,
        no_speech_prob, words) in channel time, cut at pauses. Temperature 0 only: Whisper's sampling fallback would
        make a re-run give other words (ctranslate2's seed did not make it repeatable here)."""
        if not regions:
            return []
        arguments = self._decode_arguments(narrowband)
        del arguments["vad_parameters"]  # the regions are the clips: the pipeline's VAD is not run
        pieces, _ = self._batched.transcribe(
            self._conditioned(samples), language="en", word_timestamps=True, temperature=0.0,
            batch_size=self.options.batch_size, clip_timestamps=[{"start": s, "end": e} for s, e in regions],
            **arguments,
        )
        return [(s, e, text, piece.avg_logprob, piece.no_speech_prob, words)
                for piece in pieces for s, e, text, words in _split_at_pauses(piece)]

    def _redecode_loop(self, samples: np.ndarray, start: float, end: float,
                       narrowband: bool = False) -> list[tuple] | None:
        """``samples[start:end]`` (seconds) decoded again, each of its VAD regions a window of its own
        (``_decode_regions``): the pieces in channel time, or None when nothing was heard."""
        first, last = int(max(start, 0.0) * SAMPLE_RATE), int(end * SAMPLE_RATE)
        if last - first < SAMPLE_RATE // 2:
            return None
        offset = first / SAMPLE_RATE
        regions = [(offset + s, offset + e) for s, e in self._speech_regions(samples[first:last], narrowband)]
        return self._decode_regions(samples, regions, narrowband) or None

    def _channel_pieces(self, samples: np.ndarray,
                        narrowband: bool = False) -> tuple[list[tuple], str]:
        """One channel's segments as (start, end, text, avg_logprob, no_speech_prob, words), cut at pauses, and the
        language; with ``redecode_loops``, what a batched decoding loop swallowed decoded again
        (``_with_loops_redecoded``)."""
        pieces, info = self.decode_channel(samples, narrowband)
        # (batched chunk, start, end, text, avg_logprob, no_speech_prob); a batched piece's ``seek`` is its chunk's
        # offset, shared by every piece of one chunk
        parts = [(piece.seek, s, e, text, piece.avg_logprob, piece.no_speech_prob, words)
                 for piece in pieces for s, e, text, words in _split_at_pauses(piece)]
        if self.options.redecode_loops and self._batched is not None:
            parts = self._with_loops_redecoded(samples, parts, narrowband)
        if self.options.redecode_unheard and self._batched is not None:
            parts = self._with_unheard_redecoded(samples, parts, narrowband)
        return [part[1:] for part in parts], info.language

    def _with_unheard_redecoded(self, samples: np.ndarray, parts: list[tuple], narrowband: bool) -> list[tuple]:
        """A VAD region no piece of the batched decode overlaps, decoded again as a window of its own
        (``_decode_regions``). The batched pipeline stitches a channel's regions into 30 s chunks and decodes each
        chunk once, without timestamp tokens; Whisper sometimes starts writing a chunk's text only at its second or
        third turn (a Piper voice's first wideband turn, session 7), and nothing decodes the turns it skipped.

        With ``redecode_sparse_words_per_s``, a region that looks heard but holds far fewer words than speech
        does (a stray word of a later turn, placed there by the word timestamps, over a turn never written) is
        decoded again too, and its re-decode replaces the pieces inside it when it holds more words."""
        o = self.options
        unheard, sparse = [], []
        for s, e in self._speech_regions(samples, narrowband):
            inside = [k for k, part in enumerate(parts) if part[1] < e and part[2] > s]
            if not inside:
                unheard.append((s, e))
            elif o.redecode_sparse_words_per_s and e - s >= o.redecode_sparse_min_s:
                # a piece's words count for the region in the share of its time that lies there: a piece that
                # runs on from the turn before, or into the next, makes this region look heard only for its part
                words = sum(len(parts[k][3].split()) * (min(e, parts[k][2]) - max(s, parts[k][1]))
                            / max(parts[k][2] - parts[k][1], 1e-3) for k in inside)
                if words < o.redecode_sparse_words_per_s * (e - s):
                    # replaced, if the re-decode holds more words: the pieces whose middle lies in the region
                    sparse.append(((s, e), [k for k in inside if s <= (parts[k][1] + parts[k][2]) / 2 < e]))
        regions = unheard + [region for region, _ in sparse]
        if not regions:
            return parts
        # Whisper's own silence rule, which the batched pipeline does not apply: a region that held a cough or
        # line noise, not a turn, gives no text
        redone = [piece for piece in self._decode_regions(samples, regions, narrowband)
                  if not (o.no_speech_threshold is not None and piece[4] > o.no_speech_threshold
                          and o.log_prob_threshold is not None and piece[3] < o.log_prob_threshold)]
        # each re-decoded piece belongs to the region its middle is nearest to (word times can run a little past a
        # clip's edge)
        owner = [min(range(len(regions)), key=lambda r: max(regions[r][0] - (piece[0] + piece[1]) / 2,
                                                            (piece[0] + piece[1]) / 2 - regions[r][1], 0.0))
                 for piece in redone]
        dropped: set[int] = set()
        added = [(None, *piece) for piece, r in zip(redone, owner) if r < len(unheard)]
        for r, (_, mine) in enumerate(sparse, start=len(unheard)):
            again = [(None, *piece) for piece, mine_r in zip(redone, owner) if mine_r == r]
            if _words_once_looped(p[3] for p in again) > _words_once_looped(parts[k][3] for k in mine):
                dropped.update(mine)
                added += again
        if not added:
            return parts
        kept = [part for k, part in enumerate(parts) if k not in dropped]
        return sorted(kept + added, key=lambda part: part[1])

    def _with_loops_redecoded(self, samples: np.ndarray, parts: list[tuple], narrowband: bool) -> list[tuple]:
        """A batched chunk whose decode looped ("1-0-0-0 ..."): the batched pipeline has no fallback, so the loop
        runs to the end of the chunk's 30 s window and the turns stitched after it are never written. The loop is
        found as ``with_loops_collapsed`` finds it, across the channel's pieces (``_split_at_pauses`` cuts a loop
        into pieces of a round or two, which no piece alone shows), and the chunk from half a second before the
        loop's first piece to the next chunk's first piece is decoded again (``_redecode_loop``); the re-decode
        replaces the chunk's pieces from the loop on when it holds more words once loops are cut."""
        texts = [part[3] for part in parts]
        looped = {i for i, text in enumerate(texts) if collapse_loops(text) != text}
        looped |= {rounds[0][0] for _, rounds in loops_across([collapse_loops(text) for text in texts])}
        out: list[tuple] = []
        i = 0
        while i < len(parts):
            chunk = parts[i][0]
            end = i
            while end < len(parts) and parts[end][0] == chunk:
                end += 1  # parts[i:end] are this chunk's
            loop_at = next((k for k in range(i, end) if k in looped), None)
            if loop_at is None:
                out.extend(parts[i:end])
                i = end
                continue
            out.extend(parts[i:loop_at])
            kept = parts[loop_at:end]
            until = parts[end][1] if end < len(parts) else len(samples) / SAMPLE_RATE
            redone = self._redecode_loop(samples, parts[loop_at][1] - REDECODE_MARGIN_S,
                                         max(until, parts[end - 1][2]), narrowband)
            if redone and _words_once_looped(r[2] for r in redone) > _words_once_looped(p[3] for p in kept):
                kept = [(chunk, *piece) for piece in redone]
            out.extend(kept)
            i = end
        return out

    def transcribe(self, audio: bytes) -> Transcript:
        left, right = decode_channels(audio, self.options.resampler)
        narrowband = _sample_rate(audio) <= NARROWBAND_RATE
        if _same_signal(left, right):  # mono (or a mono mix saved as stereo): one speaker track
            tracks = [("unknown", left)]
        else:
            tracks = list(zip(CHANNEL_SPEAKERS, (left, right)))
        segments: list[Segment] = []
        language = "en"
        for speaker, samples in tracks:
            if not np.any(np.abs(samples) > 1e-4):
                continue  # a silent channel (one-sided recording) would only invite hallucinated text
            pieces, language = self._channel_pieces(samples, narrowband)
            for start, end, text, avg_logprob, no_speech_prob, words in pieces:
                segments.append(Segment(speaker, round(start, 2), round(end, 2), text, avg_logprob, no_speech_prob,
                                        words))
        segments.sort(key=lambda s: (s.start, s.speaker))
        # on odd calls of calls_dev, phone band: WER 0.359 -> 0.342, 2 of 399 segments changed (word loops, session
        # 4); glued digit loops and their tails past a pause (session 5): docs/performance-history.md
        segments = with_loops_collapsed(segments)
        if self.options.vertical_terms:
            segments = with_terms_normalised(segments)
        return Transcript(segments, len(left) / SAMPLE_RATE, language)

    def map(self, payloads):
        """Each recording's Transcript, or the exception it raised, in input order: ``TranscriberPool.map`` in
        this process (no isolation from a native crash)."""
        for audio in payloads:
            try:
                yield self.transcribe(audio)
            except Exception as exc:  # noqa: BLE001 - reported per recording, the caller counts it
                yield exc


# ---- recordings in worker processes: the model loaded once per process, a native crash costs one recording -----


class TranscriberCrashed(RuntimeError):
    """The decoder's worker process died on a recording twice: batched, then sequential decode (a native crash in
    CTranslate2, or the process killed by a signal). The message names no recording content."""


def _sequential_twin(transcriber: Transcriber) -> Transcriber:
    """The same loaded model decoding one 30 s window after another (batch_size 0): the fallback decode."""
    twin = copy.copy(transcriber)
    twin.options = replace(transcriber.options, batch_size=0)
    twin._batched = None
    return twin


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling back to the parent, else a RuntimeError naming its class
    (never its message: a decoder's message could quote what it read)."""
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to round-trip means: send something that can
        return RuntimeError(f"{type(exc).__name__} in the transcription worker")


def _worker_main(connection, arguments: dict) -> None:
    """A worker process: load the model once, then decode what the parent sends, one recording at a time.

    Messages to the parent: ("ready", None) or ("load_error", exc) once, then ("ok", Transcript) or ("error",
    exc) per recording. A load error is reported, not raised: left to escape it would look like a recording
    that crashes the decoder. ``None`` from the parent, or the parent gone, ends the process.
    """
    try:
        transcriber = Transcriber(**arguments)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("load_error", _portable(exc)))
        return
    sequential = _sequential_twin(transcriber)
    connection.send(("ready", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        audio, fallback = message
        try:
            connection.send(("ok", (sequential if fallback else transcriber).transcribe(audio)))
        except Exception as exc:  # noqa: BLE001 - one recording's error, reported for that recording
            connection.send(("error", _portable(exc)))


def default_worker_count(device: str = "cpu") -> int:
    """Worker processes for a day's recordings when the configuration names none: one per core on a CPU (each
    single-threaded, decoding whole recordings side by side), one on a GPU (a single device; the batched pipeline
    keeps it busy). On 2 cores the pool of two ran 4.7x realtime against 3.2x for one two-threaded worker, at the
    same CPU time (6.47 vs 6.34 audio minutes per CPU minute; `cipher bench --only asr-speed`, load 5-8)."""
    return 1 if device != "cpu" else max(1, os.cpu_count() or 1)


MAX_FAILED_STARTS = 3  # workers that die before their model is loaded, per pool, before it gives up


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: object  # the parent's end of the pipe
    ready: bool = False
    task: tuple[int, int] | None = None  # (index in the batch, attempt) of the recording it decodes


class TranscriberPool:
    """``workers`` processes, each with its own model loaded once and ``cpu_count // workers`` threads.

    ``map`` decodes recordings side by side and yields, in input order, a Transcript or the exception that
    recording raised, so one bad file never sinks the rest. A worker that dies while decoding (a native crash in
    CTranslate2, a signal) is replaced by a fresh process and costs nothing but that recording's time: it is
    retried once with the sequential decode, and if that dies too the recording yields ``TranscriberCrashed``;
    the other recordings go on. ``transcribe`` is ``map`` of one recording, raising its exception. Use as a
    context manager; the processes end with it.
    """

    def __init__(self, workers: int, model_name: str = "base", compute_type: str = "int8", device: str = "cpu",
                 options: DecodeOptions | None = None):
        self.workers = max(1, workers)
        self.model_name = model_name
        self.compute_type = compute_type
        threads = max(1, (os.cpu_count() or 2) // self.workers)
        self._arguments = dict(model_name=model_name, compute_type=compute_type, cpu_threads=threads, device=device,
                               options=options)
        # spawn: a forked copy of a parent that already holds CTranslate2 threads can deadlock
        self._context = multiprocessing.get_context("spawn")
        self.crashes = 0  # worker deaths while decoding, each one retried or counted as TranscriberCrashed
        self._failed_starts = 0
        self._workers = [self._start() for _ in range(self.workers)]

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self._arguments), daemon=True,
                                        name="cipher-transcriber")
        process.start()
        child.close()  # the parent keeps only its end: the worker's death then reads as end of file
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.connection.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        fresh = self._start()
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def _receive(self, worker: _Worker):
        """The worker's next message, or None when it died (end of file on its pipe)."""
        try:
            return worker.connection.recv()
        except (EOFError, OSError):
            return None

    def ready(self) -> "TranscriberPool":
        """Wait until every worker has loaded the model: a missing or corrupt model fails here, not as a failure
        of every recording."""
        for worker in self._workers:
            while not worker.ready:
                message = self._receive(worker)
                if message is None:
                    self._count_failed_start()
                    worker = self._replace(worker)
                    continue
                self._on_load(message)
                worker.ready = True
        return self

    @staticmethod
    def _on_load(message) -> None:
        kind, payload = message
        if kind == "load_error":
            raise payload
        assert kind == "ready", kind

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live workers that have loaded the model (tests signal them to prove that a crash
        costs one recording)."""
        return [w.process.pid for w in self._workers if w.ready and w.process.is_alive()]

    @property
    def busy_pids(self) -> list[int]:
        """Process ids of the workers decoding a recording right now."""
        return [w.process.pid for w in self._workers if w.task is not None and w.process.is_alive()]

    def map(self, payloads):
        """Transcripts (or each recording's exception) in input order. At most ``workers`` recordings are read
        from ``payloads`` ahead of the one being yielded, so a day is never held in memory at once."""
        source = iter(payloads)
        exhausted = False
        audio: dict[int, bytes] = {}  # recordings read and not yet answered, kept for a retry
        queue: list[tuple[int, int]] = []  # (index, attempt) to send before reading more: retries first
        done: dict[int, object] = {}
        read = yielded = 0
        try:
            while True:
                while yielded in done:
                    result = done.pop(yielded)
                    yielded += 1
                    yield result
                for worker in self._workers:
                    if not worker.ready or worker.task is not None:
                        continue
                    if not queue and not exhausted and read - yielded < self.workers:
                        try:
                            audio[read] = next(source)
                            queue.append((read, 0))
                            read += 1
                        except StopIteration:
                            exhausted = True
                    if not queue:
                        continue
                    index, attempt = queue.pop(0)
                    try:
                        worker.connection.send((audio[index], attempt > 0))
                        worker.task = (index, attempt)
                    except (BrokenPipeError, OSError):  # it died while idle: not this recording's doing
                        queue.insert(0, (index, attempt))
                        self._replace(worker)
                if exhausted and not audio:
                    return
                waiting = {w.connection: w for w in self._workers if w.task is not None or not w.ready}
                assert waiting, "recordings outstanding but no worker busy or loading"
                for connection in multiprocessing.connection.wait(list(waiting)):
                    worker = waiting[connection]
                    message = self._receive(worker)
                    if message is None:  # the worker died
                        if worker.task is not None:
                            self._on_crash(worker.task, queue, audio, done)
                        elif not worker.ready:
                            self._count_failed_start()
                        self._replace(worker)
                    elif not worker.ready:
                        self._on_load(message)
                        worker.ready = True
                    else:
                        index, _ = worker.task
                        worker.task = None
                        done[index] = message[1]  # a Transcript, or the exception the recording raised
                        del audio[index]
        finally:
            self._drain()

    def _on_crash(self, task: tuple[int, int], queue: list, audio: dict, done: dict) -> None:
        """A worker died decoding ``task``: retried once with the sequential decode, then given up."""
        index, attempt = task
        self.crashes += 1
        if attempt == 0:
            queue.append((index, 1))
        else:
            done[index] = TranscriberCrashed(
                "the transcription worker died on this recording with the batched and the sequential decode")
            del audio[index]

    def _count_failed_start(self) -> None:
        self._failed_starts += 1
        if self._failed_starts > MAX_FAILED_STARTS:  # no recording's doing: the machine cannot run a worker
            raise TranscriberCrashed(f"{self._failed_starts} transcription workers died before loading the model")

    def _drain(self) -> None:
        """A caller that stopped reading ``map`` early leaves recordings in flight: their answers are read and
        dropped here, so the next call never receives them."""
        for worker in list(self._workers):
            if worker.task is not None:
                worker.task = None
                if self._receive(worker) is None:
                    self._replace(worker)

    def transcribe(self, audio: bytes) -> Transcript:
        (result,) = self.map([audio])
        if isinstance(result, Exception):
            raise result
        return result

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        for worker in self._workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()

    def __enter__(self) -> "TranscriberPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
