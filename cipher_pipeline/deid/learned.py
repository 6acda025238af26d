"""The learned token layer: a linear-chain CRF (python-crfsuite) that tags each token of a call transcript and masks
the runs whose probability of being an identifier reaches a threshold.

Why: five sessions of hand-written classes gained on the data they were written from and little on calls nobody had
read. A statistical model reads the same evidence the rules read (name lists, the gazetteer, cue words, the agent's
last question, case, digit shapes, the speaker) but weighs it from every development corpus at once, so it may carry
to a caller none of them showed. Its findings are merged with every other layer's (a union), so what it costs is
precision; ``cipher_devtools/train_deid_model.py --cross-validate`` measures both, leaving one corpus out at a time.

The model file holds no corpus word (tested): a word is a feature only when wordfreq says it is common English
(Zipf >= 4.0, no name is that common once the lists' own features are there), a rarer word gives only its first and
last letters and only when it has six or more (an affix is never a whole short name), and its shape writes every
letter as X or x. The rest are list memberships and cues the engine already holds.

It reads caseless call transcripts (``CrfTokens``): a written chart note (``register.is_chart``) or any text
without speaker-labelled turns gets nothing from it (no chart or free text was trained on), nor a cased written
transcript. A cased transcript a speech recognizer wrote (``Document.speech_recognized``, the pipeline's Whisper text)
it reads when its ``speech_recognized`` setting says so (``layers.yaml``: on since switch12), with the model in the
``speech_model`` setting when there is one (learn12: one trained on Whisper's own text too gained on it under
leave-one-source-out; trained together with the written calls, Whisper's text cost those identifiers), else with the
written calls' model. A written cased transcript it reads only with a ``cased_model`` (a model trained on cased calls,
at its own ``cased_threshold``; learn13's passed its cross-validation three times and failed a fast-suite test each
time, so none is set), and only a call in sentence case (``sentence_case``); what it claims passes ``CASED_GUARDS`` (a
kept year, a code that names no one, another layer's span across punctuation, ordinary words after a road, and the
words that join two identifiers, ``Bridges``, fp21: "<phone> his cell is <phone>"). The caseless and speech models
keep their own output (``SPEECH_GUARDS`` is empty: fp21's bridges cost held-out raw identifiers, session 21).
The layer runs after every other layer's ``find`` and the model layer (``find_after``, last in the chain), so what it
adds never changes what another layer reads: switched on or off, the other layers find the same spans.

Linear in the text: one pass to tokenize, a fixed window of features per token, one forward-backward per line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import AGENT_SIDE, CALLER_SIDE, LABEL, LABEL_PATTERN, label_at

LAYER = "learned"
MODEL_PATH = Path(__file__).parent / "models" / "deid_token_model.crfsuite"
DEFAULT_THRESHOLD = 0.5
# The model's labels. ORG (a treatment center, insurer or employer) is learned so that those words are not taught as
# "O" beside the names they resemble, but it is never masked here: the lexicon layer owns those names.
LABEL_CATEGORY = {"NAME": "NAME", "LOC": "LOCATION", "DATE": "DATE", "NUM": "OTHER_ID", "QUASI": "OTHER_ID"}
NOT_IDENTIFIER_LABELS = frozenset({"O", "ORG"})

COMMON_WORD_MIN_ZIPF = 4.0  # a word's identity is a feature only when this common (no corpus name is learned)
AFFIX_MIN_LENGTH = 6  # a rarer word's affixes only when it is this long: an affix is never the whole of a short name

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+|[^\sA-Za-z\d]")
# The agent's last question, by kind: (kind, pattern, the feature set that adds it: None for the base features). The
# resource set (learn12) adds finer slots: the ones below, then each slot recognizer's own question (``slots.py``'s
# patterns: one home, read in ``_question_kinds``).
_QUESTION_KINDS = (
    ("name", re.compile(r"\b(?:name|who\s+(?:am\s+i|is\s+this|are\s+you)|spell|call\s+(?:you|him|her))\b", re.I), None),
    ("birth", re.compile(r"\b(?:birth|born|dob|birthday|how\s+old)\b", re.I), None),
    ("date", re.compile(r"\b(?:when|what\s+day|which\s+day|date)\b", re.I), None),
    ("place", re.compile(r"\b(?:where|town|city|area|county|neighborhood|street|address|zip|located|live)\b", re.I), None),
    ("number", re.compile(r"\b(?:phone|number|cell|reach|member|policy|subscriber|group|id|license|plate|social)\b", re.I), None),
    ("email", re.compile(r"\be-?mail\b", re.I), None),
    ("slot_phone", re.compile(r"\b(?:phone|cell|call\s*back|callback|reach\s+(?:you|him|her)|best\s+number)\b", re.I), "resources"),
    ("slot_member_id", re.compile(r"\b(?:member|policy|subscriber|group|id|medicaid|medicare)\s*(?:number|#|id|no)?\b", re.I), "resources"),
    ("slot_ssn", re.compile(r"\b(?:social|ssn|last\s+four)\b", re.I), "resources"),
    ("slot_address", re.compile(r"\b(?:address|street|zip|apartment|mailing)\b", re.I), "resources"),
    ("slot_work", re.compile(r"\b(?:work|job|employer|employed|school|college|grade)\b", re.I), "resources"),
    ("slot_age", re.compile(r"\bhow\s+old\b|\bage\b", re.I), "resources"),
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# The number and ordinal words are the shipped model's features ("number_word", "ordinal"): written out here, not
# read from cipher_pipeline.vocabulary, so that no edit to the shared list changes a trained model's inputs. Today
# they are vocabulary's words plus "oh", "double", "triple" (tests/test_number_words.py checks it).
_NUMBER_WORDS = frozenset(
    "zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand double "
    "triple".split()
)
_ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth".split()
)
# cue words whose presence within two tokens says what follows or precedes (kept as "w=" features anyway when
# common; listed so a rarer one is still seen)
_CUES = frozenset(
    "mr mrs ms dr miss sister brother son daughter husband wife mom dad mother father aunt uncle cousin "
    "grandma grandpa nephew niece boyfriend girlfriend fiance street st road rd avenue ave drive dr lane ln "
    "boulevard blvd highway hwy route county exit apartment apt unit suite".split()
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    line: int  # the line (turn) it is on: one line is one sequence


_STATES_NOT_TRAINED = frozenset("VI AS MP AA AE AP".split())  # retraining may drop this


@functools.lru_cache(maxsize=1)
def _resources() -> dict[str, Any]:
    """The engine's own word lists, loaded once (the same ones the rule layers read)."""
    from cipher_pipeline.deid.lexicon import _gazetteer  # the gazetteer's one home
    from cipher_pipeline.deid.names import ambiguity, first_names, surnames
    from cipher_pipeline.deid.words import US_STATE_BY_CODE, clinical_words, safe_words

    cities, counties = _gazetteer()
    return {
        "given": first_names(),
        "family": surnames(),
        "ambiguity": ambiguity,
        "city": frozenset(w for place in cities for w in place.split()),
        "city_whole": cities,
        "county": frozenset(w for place in counties for w in place.split()),
        # the states the shipped models were trained with: the table's later entries (tidy13) would fire the feature
        # on everyday words ("american", "northern", "pacific", "forces") the models never saw as a state's
        "state": frozenset(w for code, state in US_STATE_BY_CODE.items() if code not in _STATES_NOT_TRAINED for w in state.split()),
        "safe": safe_words(),
        "clinical": clinical_words(),
    }


@functools.lru_cache(maxsize=1)
def _more_resources() -> dict[str, Any]:
    """The resource feature set's lists: the words of the insurers' and competitors' names in the engine's own
    lexicons (the package's, so a model reads the same features wherever it runs), the relatives in every compound form
    (``words.kin_tokens``), and the slot recognizers' questions."""
    from cipher_pipeline.deid import slots
    from cipher_pipeline.deid.lexicon import Lexicon
    from cipher_pipeline.deid.words import kin_tokens

    folder = Path(__file__).parent / "lexicons"
    safe = _resources()["safe"]
    lexicon_words = {}
    for stem in ("insurers", "competitors"):
        forms = Lexicon.load(folder / f"{stem}.yaml").forms
        # an ordinary word of a name ("united", "blue", "my") says nothing the word's own features do not
        lexicon_words[stem] = frozenset(w for form in forms for w in re.findall(r"[a-z]+", form.lower()) if w not in safe)
    return {
        **lexicon_words,
        "kin": kin_tokens(plural=True),
        "slots": tuple((cls.name, cls.question) for cls in (slots.NameSlot, slots.DateSlot, slots.PlaceSlot,
                                                            slots.PayerSlot, slots.TreatmentHistorySlot)),
    }


@functools.lru_cache(maxsize=65536)
def _zipf(low: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(low, "en")


def _shape(word: str) -> str:
    """Every letter as X or x and every digit as d, runs of one kind cut to two: "McKay" -> "XxXx", "555" -> "dd"."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if len(out) >= 2 and out[-1] == c and out[-2] == c:
            continue
        out.append(c)
    return "".join(out)


def _zipf_bucket(z: float) -> str:
    for bound, name in ((0.01, "0"), (1.5, "1"), (2.5, "2"), (3.5, "3"), (4.5, "4"), (5.5, "5")):
        if z < bound:
            return name
    return "6"


# The feature sets a model may be trained with; the shipped model's is FEATURE_SETS (a model is read with the set it was
# trained with). "resources" (learn12): insurer and competitor name words, relatives, finer question slots; part of
# the recipe (SF) that passed learn12's cross-validation and failed an invented guard at 0.4, so not shipped.
# "dialogue" (learn19): what the call around a token says (``_DialogueContext``): the agent's question read without
# its "?", the answer's clause, the turn's end, a word said again in the call, the two words before.
KNOWN_FEATURE_SETS = frozenset({"resources", "dialogue"})
FEATURE_SETS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=65536)
def word_features(word: str, sets: frozenset[str] = FEATURE_SETS) -> tuple[str, ...]:
    """What a word is, whatever its context (cached: a call repeats most of its words). No rare word's identity."""
    if word.isdigit():
        return ("shape=" + _shape(word), f"digits={min(len(word), 11)}")
    if not word[0].isalnum():
        return ("punct=" + word,)
    low = word.lower().replace("’", "'")
    feats = ["shape=" + _shape(word), "len=" + str(min(len(word), 10))]
    z = _zipf(low)
    feats.append("zipf=" + _zipf_bucket(z))
    if z >= COMMON_WORD_MIN_ZIPF:
        feats.append("w=" + low)
    elif low in _CUES or low in _MONTHS or low in _NUMBER_WORDS or low in _ORDINAL_WORDS:
        feats.append("w=" + low)  # a closed list of cue words the module spells out above, not a corpus word
    elif len(low) >= AFFIX_MIN_LENGTH:
        feats += ["p3=" + low[:3], "s2=" + low[-2:], "s3=" + low[-3:]]
    r = _resources()
    bare = low.split("'")[0]
    cls = r["ambiguity"](bare)
    for name, member in (
        ("given", bare in r["given"]),
        ("family", bare in r["family"]),
        ("city", bare in r["city"]),
        ("city_whole", bare in r["city_whole"]),
        ("county", bare in r["county"]),
        ("state", bare in r["state"]),
        ("safe", bare in r["safe"]),
        ("clinical", bare in r["clinical"]),
        ("month", bare in _MONTHS),
        ("weekday", bare in _WEEKDAYS),
        ("number_word", bare in _NUMBER_WORDS),
        ("ordinal", bare in _ORDINAL_WORDS),
    ):
        if member:
            feats.append("in=" + name)
    if cls:
        feats.append("name_class=" + cls)
    if "resources" in sets:
        more = _more_resources()
        for name in ("insurers", "competitors", "kin"):
            if low in more[name] or bare in more[name]:
                feats.append("in=" + name)
    if "'" in low:
        feats.append("apostrophe")
    return tuple(feats)


def _question_kinds(line: str, sets: frozenset[str] = FEATURE_SETS) -> list[str]:
    kinds = [kind for kind, pattern, added in _QUESTION_KINDS if added is None and pattern.search(line)] or ["other"]
    kinds += [kind for kind, pattern, added in _QUESTION_KINDS if added in sets and pattern.search(line)]
    if "resources" in sets:
        kinds += ["slot_" + name for name, pattern in _more_resources()["slots"] if pattern.search(line)]
    return kinds


_WINDOW_PREFIXES = ("w=", "shape=", "punct=", "in=", "digits=", "name_class=")
_SENTENCE_END = re.compile(r"[.!?]")
_CLAUSE_BREAKS = frozenset(",.;!?")
_REPEAT_MIN_DIGITS = 3  # a digit group said again is a number read back; "2" or "10" is said again by chance


def _last_sentence(line: str) -> str:
    """An agent turn's last sentence: what follows its last ".", "!" or "?" once the turn's own closing marks are
    dropped (at most its last 160 characters): the question it ends on, with or without a "?"."""
    body = line[-160:].rstrip(" \t.!?")
    return _SENTENCE_END.split(body)[-1]


def _repeat_key(word: str) -> str | None:
    """The form a word is counted in when a call says it again: a word no common English word (Zipf under
    ``COMMON_WORD_MIN_ZIPF``: a name, a town, a misheard word) or a group of digits long enough not to recur by
    chance; None for anything else."""
    if word.isdigit():
        return word if len(word) >= _REPEAT_MIN_DIGITS else None
    if not word[0].isalpha() or len(word) < 2:
        return None
    low = word.lower().replace("’", "'")
    return low if _zipf(low) < COMMON_WORD_MIN_ZIPF else None


class _DialogueContext:
    """The "dialogue" feature set (learn19): what the call around a token says, read from the transcript alone (no
    engine list, no other layer's finding). In a raw call the agent's question rarely carries a "?" (``asked=`` reads
    only a line that has one), so ``heard=`` reads the agent's last sentence whatever its mark, carried to the next
    non-agent line as ``asked=`` is; ``clause=`` and ``heard=<kind>@0`` say where in the answer a token sits, ``end=``
    how near the turn's end; ``again`` and ``echo`` whether the call says the word on another line, or on the other
    side's (a name read back by the agent); ``bi=`` the two words before, when both are words the base features name."""

    def __init__(self, lines: Sequence[tuple[str, list[tuple[int, int, str]]]]) -> None:
        # each repeatable word: the lines it is said on and the sides that say it
        self.where: dict[str, set[int]] = {}
        self.sides: dict[str, set[str]] = {}
        for index, (side, words) in enumerate(lines):
            for _, _, word in words:
                key = _repeat_key(word)
                if key is not None:
                    self.where.setdefault(key, set()).add(index)
                    self.sides.setdefault(key, set()).add(side)
        self.heard: list[str] = []

    def said_again(self, word: str, index: int, side: str) -> list[str]:
        key = _repeat_key(word)
        if key is None:
            return []
        out = ["again"] if self.where[key] - {index} else []
        return out + ["echo"] if self.sides[key] - {side} else out

    def line(self, words: Sequence[tuple[int, int, str]], base: Sequence[tuple[str, ...]], index: int,
             side: str) -> list[list[str]]:
        """The set's features of each token of one line (``words``, their base features ``base``) said by ``side``
        ("agent" or "other")."""
        repeats = [self.said_again(w, index, side) for _, _, w in words]
        named = [next((f for f in feats if f.startswith("w=")), None) for feats in base]
        left = [0] * len(words)  # the words (not punctuation) after each token on its line
        for i in range(len(words) - 2, -1, -1):
            left[i] = left[i + 1] + words[i + 1][2][0].isalnum()
        heard = self.heard if side != "agent" else []
        out: list[list[str]] = []
        clause = 0
        for i, (_, _, word) in enumerate(words):
            feats = ["clause=" + str(min(clause, 2))] + ["heard=" + kind for kind in heard]
            if clause == 0:
                feats += ["heard=" + kind + "@0" for kind in heard]
            feats.append("end=" + ("0" if left[i] == 0 else "1" if left[i] <= 2 else "2"))
            feats += repeats[i]
            for offset in (-1, 1):
                if 0 <= i + offset < len(words):
                    feats += [f"{offset}:{f}" for f in repeats[i + offset]]
            if i >= 2 and named[i - 2] and named[i - 1]:
                feats.append("bi=" + named[i - 2][2:] + "_" + named[i - 1][2:])
            out.append(feats)
            if word in _CLAUSE_BREAKS:
                clause += 1
        return out

    def after(self, line: str, speaker: str) -> None:
        """What the next lines hear once ``line`` (by ``speaker``) is said: the agent's last sentence's kinds."""
        if speaker == "agent":
            self.heard = [kind for kind, pattern, added in _QUESTION_KINDS if added is None
                          and pattern.search(_last_sentence(line))] or ["other"]
        elif speaker == "caller":
            self.heard = []


def features(text: str, sets: frozenset[str] = FEATURE_SETS) -> tuple[list[Token], list[list[list[str]]]]:
    """The tokens of ``text`` in order and, per line, each token's features; the trainer and the layer call this one
    function, so they cannot drift apart. A speaker label ("caller:") is no token; it is the line's "speaker".
    ``sets``: the feature sets beyond the base ones (``KNOWN_FEATURE_SETS``), as the model was trained."""
    caseless = not any(ch.isupper() for ch in text) or not any(ch.islower() for ch in text)
    tokens: list[Token] = []
    sequences: list[list[list[str]]] = []
    asked: list[str] = []
    lines = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        label = label_at(line)  # a turn's speaker label, from the one grammar every transcript reader shares
        speaker = label.group(1).lower() if label else "none"
        speaker = "caller" if speaker in CALLER_SIDE else "agent" if speaker in AGENT_SIDE else speaker[:7]
        body = start + (label.end() if label else 0)
        lines.append((line, speaker, [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, body, end)]))
        start = end + 1
    dialogue = _DialogueContext([("agent" if sp == "agent" else "other", w) for _, sp, w in lines]) if "dialogue" in sets else None
    for index, (line, speaker, words) in enumerate(lines):
        turn = ["speaker=" + speaker, "caseless" if caseless else "cased"]
        if speaker != "agent" and asked:
            turn += ["asked=" + kind for kind in asked]
        base = [word_features(w, sets) for _, _, w in words]
        more = dialogue.line(words, base, index, "agent" if speaker == "agent" else "other") if dialogue else None
        line_feats: list[list[str]] = []
        for i, (s, e, word) in enumerate(words):
            feats = ["bias", *turn, *base[i]]
            feats.append("pos=" + ("0" if i == 0 else "1" if i < 3 else "2" if i < 8 else "3"))
            if i and words[i - 1][2] in ".!?":
                feats.append("after_sentence_end")
            for offset in (-2, -1, 1, 2):
                j = i + offset
                if not 0 <= j < len(words):
                    feats.append(f"{offset}:edge")
                    continue
                feats += [f"{offset}:{f}" for f in base[j] if f.startswith(_WINDOW_PREFIXES)]
            if i + 1 < len(words):
                feats.append("glued" if words[i + 1][0] == e else "spaced")
            if more is not None:
                feats += more[i]
            tokens.append(Token(s, e, index))
            line_feats.append(feats)
        sequences.append(line_feats)
        if speaker == "agent":
            asked = _question_kinds(line[-160:], sets) if "?" in line else []
        elif speaker == "caller":
            asked = []
        if dialogue is not None:
            dialogue.after(line, speaker)
    return tokens, sequences


def marginals(text: str, tagger: Any, sets: frozenset[str] = FEATURE_SETS) -> list[tuple[Token, dict[str, float]]]:
    """Each token with the model's marginal probability of every label."""
    tokens, sequences = features(text, sets)
    labels = tagger.labels()
    out: list[tuple[Token, dict[str, float]]] = []
    cursor = 0
    for sequence in sequences:
        if not sequence:
            continue
        tagger.set(sequence)
        for t in range(len(sequence)):
            out.append((tokens[cursor], {label: tagger.marginal(label, t) for label in labels}))
            cursor += 1
    return out


# what an amount or a count is said in: never a finding of its own ("2 times", "4,500 dollars")
_QUANTITY_WORDS = frozenset(
    "dollar dollars bucks grand cents time times day days week weeks month months year years hour hours minutes".split()
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# a run of digits alone with fewer digits than a ZIP is a count, a list or a year's neighbour ("5, 7, 9 and 12",
# "3, 4"): an identifier of so few digits needs the cue a rules recognizer reads ("last four", "extension", "apt")
_MIN_BARE_DIGITS = 5
_JOINERS = frozenset({"and", "to", "or", "through", "thru"})


def _amount(text: str, start: int, end: int) -> bool:
    """Digits that are an amount of money or a count ("$4,500", "4,500 dollars", "30 people", "2 times"): the rules
    layer's own money, quantity and time cues (one home), since the model reads a Whisper ZIP written "$4,211" as a
    number too. A ZIP said so after its keyword is the rules layer's to find."""
    from cipher_pipeline.deid.rules import _EXT_TIME_AFTER, _MONEY_AFTER, _MONEY_BEFORE

    after = text[end : end + 20]
    return bool(_MONEY_BEFORE.search(text[max(0, start - 12) : start]) or _MONEY_AFTER.match(after) or _EXT_TIME_AFTER.match(after))


def _bare_digits(text: str, piece: list[tuple[Token, dict[str, float]]]) -> bool:
    """A piece of digits alone that is too short to be an identifier on its own, years only ("2019, 2020"), or a list
    or range of numbers ("5, 7, 9 and 12", "2016 to 2018": a number read out is never joined by a word)."""
    words = [text[t.start : t.end].lower() for t, _ in piece]
    if not all(w.isdigit() or w in _JOINERS for w in words):
        return False
    digits = [w for w in words if w.isdigit()]
    return len(digits) < len(words) or sum(map(len, digits)) < _MIN_BARE_DIGITS or all(_YEAR.fullmatch(w) for w in digits)


def _without_amounts(text: str, run: list[tuple[Token, dict[str, float]]]) -> list[list[tuple[Token, dict[str, float]]]]:
    """``run`` less its amounts (a digit group joined by commas or points that ``_amount`` reads as money or a count)
    and quantity words, cut where they were into the runs that remain, less the pieces of bare digits."""
    drop: set[int] = set()
    i = 0
    while i < len(run):
        if not text[run[i][0].start].isdigit():
            i += 1
            continue
        j = i
        while j + 1 < len(run) and text[run[j + 1][0].start].isdigit() and text[run[j][0].end : run[j + 1][0].start] in (",", ".", ""):
            j += 1
        if _amount(text, run[i][0].start, run[j][0].end):
            drop.update(range(i, j + 1))
        i = j + 1
    pieces: list[list[tuple[Token, dict[str, float]]]] = [[]]
    for k, item in enumerate(run):
        if k in drop or text[item[0].start : item[0].end].lower() in _QUANTITY_WORDS:
            pieces.append([])
        else:
            pieces[-1].append(item)
    return [piece for piece in pieces if piece and not _bare_digits(text, piece) and not _ordinary_words(text, piece)]


def _ordinary_words(text: str, piece: list[tuple[Token, dict[str, float]]]) -> bool:
    """A piece of ordinary words alone: every word one the safe words (common English, clinical, common Spanish),
    the states, the months, the weekdays or the ordinals hold, no digit, and fewer than two cardinals (a number said in
    words has several: "four one seven"; "the one who" has one). The rule layers decide when such words name someone
    ("the farmers market", "liberty.", "arkansas. may.", "the psych ward" are what the project's guards keep
    readable); the model adds only what has a word no dictionary knows or a number in it."""
    r = _resources()
    cardinals = 0
    for token, _ in piece:
        low = text[token.start : token.end].lower().replace("’", "'").split("'")[0]
        if low.isdigit():
            return False
        cardinals += low in _NUMBER_WORDS
        if not (low in r["safe"] or low in r["state"] or low in _MONTHS or low in _WEEKDAYS or low in _ORDINAL_WORDS
                or low in _NUMBER_WORDS):
            return False
    return cardinals < 2


Piece = list[tuple[Token, dict[str, float]]]
# a year the project keeps (Safe Harbor keeps years): four digits of this century or the last
_KEPT_YEAR = re.compile(r"(?:19|20)\d\d")
# the short codes of letters and digits that name no one: a vitamin ("B12", "D3"), an ICD-10 code ("F11.20"), a
# dosage form and strength ("XR 20", "ER 150")
_NON_IDENTIFIER_CODE = re.compile(r"[A-Za-z]{1,2}\d{1,3}(?:\.\d{1,4})?|[A-Z]{2,3} \d{1,4}")
_CODE_WORD = re.compile(r"[A-Za-z0-9]+(?:\.\d+)?(?: \d+)?")


class KeptYears:
    """A four-digit year is never the layer's: the project keeps years (a birth date's "October 3rd, 1990" is masked
    to its month and day by the rules, the year stays). The year is cut out of the run, unless it is one group of a
    longer number said in groups ("555 2019", a phone's last four), which is no year."""

    @staticmethod
    def cut(text: str, piece: Piece, owned: Sequence[Span]) -> list[Piece]:
        out: list[Piece] = [[]]
        for k, item in enumerate(piece):
            token = item[0]
            if _KEPT_YEAR.fullmatch(text[token.start : token.end]) and not KeptYears._grouped(text, piece, k):
                out.append([])
            else:
                out[-1].append(item)
        return [p for p in out if p]

    @staticmethod
    def _grouped(text: str, piece: Piece, k: int) -> bool:
        for j in (k - 1, k + 1):
            if 0 <= j < len(piece):
                a, b = sorted((piece[j][0], piece[k][0]), key=lambda t: t.start)
                if text[piece[j][0].start].isdigit() and not text[a.end : b.start].strip(" -."):
                    return True
        return False


class NonIdentifierCodes:
    """A short code of letters and digits that names no one (``_NON_IDENTIFIER_CODE``: "B12", "F11.20", "XR 20") is
    never the layer's: its tokens are cut out of the run ("takes B12" keeps nothing a guard after it would not drop),
    unless a keyword before it names it an identifier ("member ID B12": the rules' own test,
    ``rules.named_identifier``, one home; a billing or diagnosis code's keyword names a service, not a person)."""

    @staticmethod
    def cut(text: str, piece: Piece, owned: Sequence[Span]) -> list[Piece]:
        from cipher_pipeline.deid.rules import named_identifier

        out: list[Piece] = [[]]
        code_end = -1
        for item in piece:
            token = item[0]
            if token.start < code_end:
                continue  # inside a code already cut
            # the whole written code from this token: the model's tokens split "F11.20" at its point, "B12" in two
            word = _CODE_WORD.match(text, token.start)
            if (word and (token.start == 0 or not text[token.start - 1].isalnum())
                    and _NON_IDENTIFIER_CODE.fullmatch(word.group()) and not named_identifier(text, token.start)):
                code_end = word.end()
                out.append([])
                continue
            out[-1].append(item)
        return [p for p in out if p]


class OwnedBoundaries:
    """A run never crosses punctuation into or out of a span another layer owns: where another layer's finding
    starts or ends at the comma or slash between two tokens ("Dana Reyes, 555 201 7788": a name and the phone number
    the rules found), the run is cut there, so the merge keeps the two as separate spans of their own categories."""

    @staticmethod
    def cut(text: str, piece: Piece, owned: Sequence[Span]) -> list[Piece]:
        out: list[Piece] = [[piece[0]]]
        for prev, item in zip(piece, piece[1:]):
            lo, hi = prev[0].end, item[0].start
            if text[lo:hi].strip() and any(lo <= s.start <= hi or lo <= s.end <= hi for s in owned):
                out.append([])
            out[-1].append(item)
        return out


# after a road, what still places someone (calls_dev marks "route 72 by the auto auction" as one place): a landmark
# said by these, an apartment or unit, a direction ("Highway 7 North")
_LANDMARK_PREPOSITIONS = frozenset("by near past behind across next beside outside opposite in at on off".split())
_ADDRESS_WORDS = frozenset(
    "apartment apt unit suite lot box floor room space trailer building bldg north south east west northeast northwest "
    "southeast southwest n s e w ne nw se sw".split()
)


class RoadEnds:
    """A run that goes on past a road, street or route name's end (``geography.road_name_ends``, the road's one home)
    into ordinary words alone is cut at the road's end: "Elm Street with her grandmother", "County Road 12 since the
    summer" keep the road and leave the words. Ordinary: written in lower case, no digit, no number said in words, every
    word a function word or a common one (the safe words), opened by a function word, and no landmark: a preposition
    that places by something (``_LANDMARK_PREPOSITIONS``) with a word after it that is not a function word ("County 14
    near the grain elevator" is one place by calls_dev's convention and stays whole), nor an apartment, a unit or a
    direction (``_ADDRESS_WORDS``). A capitalised word after the road continues a name ("Route 9 Diner"); so does a
    road whose name is two ordinary words ("Mill Creek Road" ends at its type)."""

    @staticmethod
    def cut(text: str, piece: Piece, owned: Sequence[Span]) -> list[Piece]:
        from cipher_pipeline.deid.geography import road_name_ends
        from cipher_pipeline.deid.words import CORE_FUNCTION_WORDS

        start = piece[0][0].start
        ends = [start + e for e in road_name_ends(text[start : piece[-1][0].end])]
        if not ends:
            return [piece]
        k = max((i for i, (token, _) in enumerate(piece) if token.end <= ends[-1]), default=-1)  # the last road's end
        tail = [text[token.start : token.end] for token, _ in piece[k + 1 :]]
        if k < 0 or not tail:
            return [piece]
        lows = [w.lower().replace("’", "'") for w in tail]
        safe = _resources()["safe"]
        ordinary = all(
            (not w[0].isupper() or low in CORE_FUNCTION_WORDS) and not w.isdigit() and low not in _NUMBER_WORDS and low not in _ORDINAL_WORDS
            and low not in _ADDRESS_WORDS and (low in CORE_FUNCTION_WORDS or low.split("'")[0] in safe)
            for w, low in zip(tail, lows)
        )
        landmark = lows[0] in _LANDMARK_PREPOSITIONS and any(low not in CORE_FUNCTION_WORDS for low in lows[1:])
        if ordinary and lows[0] in CORE_FUNCTION_WORDS and not landmark:
            return [piece[: k + 1]]
        return [piece]


# The words that join two identifiers in speech and are never part of one (fp21; on every development source's gold
# none of these is ever inside an identifier): a verb that says what a number is ("is", "was"), a keyword that names
# the next identifier ("cell", "fax", "group", "mrn"), "or", "to", "but", a filler ("uh").
_BRIDGE_WORDS = frozenset(
    "is was are were or to but cell cellphone phone landline number fax email e-mail mrn group extension ext zip "
    "ssn id dob uh um".split()
)
# ... and the words that start the next clause right after a number said out ("<number> and email <address>",
# "<number> his is <number>", "<number> our fax is <number>"): elsewhere they may be an identifier's own ("colfax
# and peoria" is one street corner, a holiday may be "our christmas"), so only after a digit or a cardinal said in words
# (never "fourteen and a half", "two hundred and six")
_BRIDGE_WORDS_AFTER_A_NUMBER = frozenset("and his her my our their your mine".split())
_NUMBER_AND_BEFORE = frozenset("hundred thousand".split())
# the words before a name whose "'s" is its own: a saint's church, a business said as a place ("by the love's")
_OWN_POSSESSIVE_AFTER = frozenset("st saint the at by".split())


class Bridges:
    """A run is cut at a word that joins two identifiers and is never part of one (``_BRIDGE_WORDS``; "and" or a
    pronoun right after a number, ``_BRIDGE_WORDS_AFTER_A_NUMBER``): the model reads "<number> his cell is <number>"
    or "<number> and email <address>" as one run, the gold and Safe Harbor as two identifiers with ordinary words
    between. The word itself is left out; the pieces either side stay
    the model's (and pass the same tests as any piece: a bare digit or two alone is left to the rules, which find an
    extension's digits by its keyword). A possessive or a contraction's "'s" at a piece's end is left out too
    ("celeste's mama", "allentown's good": the gold keeps "'s" outside a name or a town); a holiday's, a saint's or a
    business's said as a place is kept ("new year's", "st. mary's", "by the love's", "at casey's")."""

    @staticmethod
    def cut(text: str, piece: Piece, owned: Sequence[Span]) -> list[Piece]:
        out: list[Piece] = [[]]
        for k, item in enumerate(piece):
            token = item[0]
            low = text[token.start : token.end].lower().replace("\u2019", "'")
            if low in _BRIDGE_WORDS or (low in _BRIDGE_WORDS_AFTER_A_NUMBER and Bridges._after_a_number(text, piece, k)):
                out.append([])
                continue
            out[-1].append(item)
        return [Bridges._without_possessive(text, p) for p in out if p]

    @staticmethod
    def _after_a_number(text: str, piece: Piece, k: int) -> bool:
        """The word before ``piece[k]`` ends a number said out (a digit, a cardinal), and the number goes on no
        further ("fourteen and a half", "two hundred and six")."""
        if not k:
            return False
        before = text[piece[k - 1][0].start : piece[k - 1][0].end].lower()
        if not (before.isdigit() or before in _NUMBER_WORDS) or before in _NUMBER_AND_BEFORE:
            return False
        return re.match(r"[ \t]+a[ \t]+half\b", text[piece[k][0].end : piece[k][0].end + 10], re.I) is None

    @staticmethod
    def _without_possessive(text: str, piece: Piece) -> Piece:
        token, marginal = piece[-1]
        word = text[token.start : token.end]
        if len(word) < 4 or word[-2:].lower() not in ("'s", "\u2019s"):
            return piece
        if not word[:-2].isalpha():
            return piece
        labels = {label: v for label, v in marginal.items() if label not in NOT_IDENTIFIER_LABELS}
        if labels and max(sorted(labels), key=labels.__getitem__) == "DATE":
            return piece  # a holiday's own "'s" ("new year's", "valentine's")
        words = text[max(0, token.start - 12) : token.start].lower().replace(".", " ").split()
        if words and words[-1] in _OWN_POSSESSIVE_AFTER:
            return piece  # "st. peter's", "by the love's", "at casey's": a saint's or a business's own "'s"
        return piece[:-1] + [(Token(token.start, token.end - 2, token.line), marginal)]


# what the layer claims with the cased model passes these (learn13): each cuts a run into the pieces it keeps
CASED_GUARDS = (OwnedBoundaries(), KeptYears(), NonIdentifierCodes(), RoadEnds(), Bridges())
# what the caseless and speech models claim passes these: none. fp21 gave them ``Bridges`` too, which removed false
# tokens on development data with no development identifier lost, but the held-out halves lost five identifiers of
# the raw and projected styles at its merge (a score-only bisect of session 21's merges) while the cased model's use
# lost none; as before fp21, the caseless and speech models keep their own output (their cross-validation never ran
# with a guard).
SPEECH_GUARDS: tuple[Any, ...] = ()


def spans_from_marginals(text: str, marks: Sequence[tuple[Token, dict[str, float]]], threshold: float,
                         guards: Sequence[Any] = (), owned: Sequence[Span] = ()) -> list[Span]:
    """Runs of tokens on one line, joined by spaces, hyphens, commas or slashes, whose identifier probability reaches
    ``threshold``, less amounts (``_without_amounts``), each piece then cut by ``guards`` in turn (``owned``: the
    other layers' findings, which a guard may read); the category is the identifier label with the most probability
    mass over the piece."""
    found: list[Span] = []
    run: list[tuple[Token, dict[str, float]]] = []

    def guarded(pieces: list[Piece]) -> list[Piece]:
        if not guards:
            return pieces  # _without_amounts has already left out bare digits and ordinary words
        for guard in guards:
            pieces = [kept for piece in pieces for kept in guard.cut(text, piece, owned)]
        # a cut can leave a piece of bare digits or ordinary words alone: the same test again
        return [p for p in pieces if not _bare_digits(text, p) and not _ordinary_words(text, p)]

    def close() -> None:
        for piece in guarded(_without_amounts(text, run)):
            mass: dict[str, float] = {}
            for _, marginal in piece:
                for k, v in marginal.items():
                    if k not in NOT_IDENTIFIER_LABELS:
                        mass[k] = mass.get(k, 0.0) + v
            label = max(sorted(mass), key=mass.__getitem__)
            found.append(Span(piece[0][0].start, piece[-1][0].end, LABEL_CATEGORY.get(label, "OTHER_ID"), LAYER, None, "crf_token"))
        run.clear()

    for token, marginal in marks:
        if not text[token.start].isalnum():
            continue  # punctuation is never a finding; the gap test below decides what it joins
        p = 1.0 - sum(marginal.get(k, 0.0) for k in NOT_IDENTIFIER_LABELS)
        hit = p >= threshold
        joined = bool(run) and run[-1][0].line == token.line and not text[run[-1][0].end : token.start].strip(" \t-,/")
        if hit and (not run or joined):
            run.append((token, marginal))
        else:
            close()
            if hit:
                run.append((token, marginal))
    close()
    return found


# where a sentence starts: a turn's first word (after its speaker label), or a word after a full stop, question or
# exclamation mark
_SENTENCE_START = re.compile(r"(?:^[ \t]*(?:(?:" + LABEL_PATTERN + r")[ \t]*:)?|[.!?][\"')\]]*\s+)[ \t\"'(]*([A-Za-z])", re.M | re.I)


def sentence_case_share(text: str) -> float | None:
    """The share of sentence starts (``_SENTENCE_START``) written with a capital, or None when the text has none."""
    starts = [m.group(1) for m in _SENTENCE_START.finditer(text)]
    return sum(c.isupper() for c in starts) / len(starts) if starts else None


# a written cased call: on development data (calls_dev dev and six red-team odd halves) every punctuated call starts
# 0.978 or more of its sentences with a capital, every raw one 0.103 or fewer; the bound sits between
SENTENCE_CASE_MIN_SHARE = 0.75


def sentence_case(text: str) -> bool:
    """Whether ``text`` is written in sentence case: case the engine reads as such (``words.casing_style``: not lower
    case nor shouted) and ``SENTENCE_CASE_MIN_SHARE`` of its sentence starts capitalised, not merely a capital
    somewhere. What the cased model reads and is trained on."""
    from cipher_pipeline.deid.words import casing_style

    share = sentence_case_share(text)
    shouted = not any(ch.islower() for ch in text)  # casing_style calls a short shouted text "mixed"
    return share is not None and share >= SENTENCE_CASE_MIN_SHARE and not shouted and casing_style(text) == "mixed"


def is_call_transcript(text: str) -> bool:
    """Whether ``text`` is a call transcript in the form the model was trained on: a line carries a speaker label
    ("caller: ..."). A caseless text with no turns (a lower-case chart note ``register.is_chart`` did not recognise, a
    presidio sentence) is outside what the model learned: on PhysioNet's development notes the layer read 45 such
    notes and took token precision 0.682 -> 0.598 for no identifier."""
    return LABEL.search(text) is not None


class CrfTokens(Recognizer):
    """The CRF's identifier runs in a caseless transcript (raw speech recognition: lower case, little punctuation).

    Cased text is left to the rules: leave-one-corpus-out, on cased calls the model gained 0-6 identifiers per corpus
    for 8-51 false tokens, and took two corpora's cased calls below 0.90 token precision; on caseless calls it
    gained 5-24 (the bare model, before ``_without_amounts``) at a precision that stayed at or above 0.90 (deid README,
    "Where it stands: session 11, branch learn11").
    ``caseless_only: false`` reads every transcript. Never a chart note: no chart was trained on."""

    name = "crf_token"
    category = "NAME"
    layer = LAYER

    def __init__(self, tagger: Any, threshold: float, caseless_only: bool = True, speech_recognized: bool = False,
                 speech_tagger: Any = None, cased_tagger: Any = None, cased_threshold: float | None = None,
                 cased_sets: frozenset[str] = FEATURE_SETS, speech_sets: frozenset[str] = FEATURE_SETS) -> None:
        self.tagger = tagger
        self.threshold = threshold
        self.caseless_only = caseless_only
        self.speech_recognized = speech_recognized
        # a speech recognizer's text is read by its own model when there is one (what Whisper writes is not what
        # the written calls are: learn12's cross-validation gained on both only with the two apart)
        self.speech_tagger = speech_tagger
        # read with the feature sets it was trained with (learn12's speech model: the resource features)
        self.speech_sets = speech_sets
        # a written cased transcript is read by a model trained on cased calls when there is one (learn13): the
        # caseless model read on cased text cost precision (learn11, learn12), it never saw a capital's evidence
        self.cased_tagger = cased_tagger
        self.cased_threshold = threshold if cased_threshold is None else cased_threshold
        self.cased_sets = cased_sets

    def reading(self, doc: Document) -> tuple[Any, float, frozenset[str]] | None:
        """The model, threshold and feature sets ``doc`` is read with, or None when the layer leaves it: never a chart
        note or a text without speaker turns; a caseless transcript by the written calls' model; a speech
        recognizer's text (cased only when ``speech_recognized`` is on) by the speech model, with its own feature
        sets, when there is one; a written cased transcript by the cased model when there is one (or the written
        calls' model when ``caseless_only`` is off)."""
        from cipher_pipeline.deid.register import is_chart

        if is_chart(doc.text) or not is_call_transcript(doc.text):
            return None
        if doc.caseless or not self.caseless_only or (self.speech_recognized and doc.speech_recognized):
            if doc.speech_recognized and self.speech_tagger is not None:
                return self.speech_tagger, self.threshold, self.speech_sets
            return self.tagger, self.threshold, FEATURE_SETS
        # only a call written in sentence case is the cased model's; a near-raw call with a stray capital ("Name?",
        # "caller: she was born October 3rd") stays the rules' as shipped: read by the caseless model instead, it masked
        # a birth date's year and "F11.20" as the cased model had (learn13, second attempt)
        if self.cased_tagger is not None and not doc.speech_recognized and sentence_case(doc.text):
            return self.cased_tagger, self.cased_threshold, self.cased_sets
        return None

    def guards(self, tagger: Any) -> Sequence[Any]:
        """The guards a reading's runs pass: the cased model's (``CASED_GUARDS``); the caseless and speech models
        keep their own output (their cross-validation and guards were run without these)."""
        return CASED_GUARDS if tagger is not None and tagger is self.cased_tagger else SPEECH_GUARDS

    def spans(self, doc: Document, marks: Sequence[tuple[Token, dict[str, float]]], threshold: float, tagger: Any,
              owned: Sequence[Span] = ()) -> list[Span]:
        """The runs of ``marks`` (read by ``tagger``) at ``threshold``, through that reading's guards."""
        return spans_from_marginals(doc.text, marks, threshold, self.guards(tagger), owned)

    def reads(self, doc: Document) -> bool:
        return self.reading(doc) is not None

    def find_in(self, doc: Document, owned: Sequence[Span] = ()) -> list[Span]:
        """The layer's findings in ``doc``; ``owned``: what the other layers found there."""
        how = self.reading(doc) if self.tagger is not None else None
        if how is None:
            return []
        tagger, threshold, sets = how
        return self.spans(doc, marginals(doc.text, tagger, sets), threshold, tagger, owned)

    def find(self, text: str, tagger: Any = None) -> list[Span]:
        """Every run in ``text`` whatever its register (``find_in`` decides which documents it reads and which
        model reads them; the written calls' by default), through that model's guards."""
        tagger = tagger or self.tagger
        return spans_from_marginals(text, marginals(text, tagger), self.threshold, self.guards(tagger))


def open_tagger(path: Path) -> Any:
    import pycrfsuite  # compiled; imported only when the layer is switched on

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


class LearnedLayer:
    """Runs after every other layer (``find_after``) so that what it adds changes no other layer's reading."""

    def __init__(self, context: LayerContext) -> None:
        settings = context.settings

        def model(key: str, default: Path) -> Path:
            path = Path(settings.get(key) or default)
            return path if path.is_absolute() else Path(__file__).parent / path

        speech_recognized = bool(settings.get("speech_recognized", False))
        speech = settings.get("speech_model") if speech_recognized else None
        cased = settings.get("cased_model")
        def feature_sets(key: str) -> frozenset[str]:
            """A model's feature sets as its setting names them (a model is read with the sets it was trained with)."""
            sets = frozenset(settings.get(key) or ())
            unknown = sets - KNOWN_FEATURE_SETS
            if unknown:
                raise ValueError(f"learned layer: unknown {key} {sorted(unknown)}")
            return sets

        cased_sets = feature_sets("cased_features")
        speech_sets = feature_sets("speech_features")
        threshold = float(settings.get("threshold", DEFAULT_THRESHOLD))
        self.recognizer = CrfTokens(open_tagger(model("model", MODEL_PATH)), threshold,
                                    bool(settings.get("caseless_only", True)), speech_recognized,
                                    open_tagger(model("speech_model", MODEL_PATH)) if speech else None,
                                    open_tagger(model("cased_model", MODEL_PATH)) if cased else None,
                                    float(settings.get("cased_threshold", threshold)), cased_sets, speech_sets)

    def find(self, doc: Document) -> list[Span]:
        return []  # all of its work is in find_after

    def find_after(self, docs: Iterable[Document], found: Iterable[list[Span]], batch_size: int = 64) -> list[list[Span]]:
        return [self.recognizer.find_in(d, spans) for d, spans in zip(docs, found)]


def build_layer(context: LayerContext) -> LearnedLayer:
    return LearnedLayer(context)
