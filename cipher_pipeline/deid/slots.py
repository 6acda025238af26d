"""Dialogue slots: what the caller says right after the agent asks for an identifier is that identifier.

Admissions agents ask for the same things on every call: the caller's name, the date of birth, where the person
lives. The answer is an identifier slot whatever shape speech recognition gave it ("brandy. brandy tillman.",
"four, four, two thousand", "warwick. in conimicut."), so each slot recognizer masks the opening of the next
caller turn when the agent's turn ended on its question, unless the answer is clearly not an identifier ("yeah,
hang on", "at home", "i don't know"). Whisper splits turns across lines: the question is read from the end of the
agent's consecutive lines and the answer from the start of the caller's next line.

Transcripts without ``agent:``/``caller:`` labels have no slots (nobody can tell who asked).
"""

from __future__ import annotations

import functools
import re

from cipher_pipeline.asr_terms import PLAN_WORDS, is_listed_name
from cipher_pipeline.deid import lexicon, vertical
from cipher_pipeline.deid.names import ambiguity, very_common
from cipher_pipeline.deid.ner import TITLES
from cipher_pipeline.deid.numbers import find_number_runs
from cipher_pipeline.deid.recognizer import Recognizer, run_all
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import AGENT_PATTERN, AGENT_SIDE, label_at, read_turns
from cipher_pipeline.deid.words import (
    CORE_FUNCTION_WORDS,
    FUNCTION_WORDS,
    US_STATE_NAMES,
    clinical_words,
    is_function_contraction,
    is_rare_word,
    is_safe_word,
    kin_tokens,
    proper_nouns,
)
from cipher_pipeline.vocabulary import DIGIT_WORDS, ONES, ORDINALS, SCALE_WORDS, TENS

LAYER = "slots"

# a line, without the "\r" of a Windows line end, so an answer read to its line's end ends on its last word
_LINE = re.compile(r"[^\n]*?(?=\r?\n|\Z)")
_AGENT_LABEL = re.compile(r"\n[ \t]*(?:" + AGENT_PATTERN + r")[ \t]*:[ \t]*", re.I)
# fillers and framing words before the answer itself ("um, yeah, it's ...", "we live in ...", "my name's ...")
_LEAD = re.compile(
    r"(?:(?:um+|uh+|uhm|er|ah|oh|so|yeah|yes|yep|ok|okay|well|like|sure|right|hi|hey|sorry|it's|its|it\s+is|that's|"
    r"that\s+is|i'm|i\s+am|we're|we\s+are|he's|she's|he\s+is|she\s+is|they're|(?:i|we|he|she|they)\s+(?:live|lives|"
    r"stay|stays|are|is)(?:\s+(?:in|at|on|over\s+in|out\s+in|up\s+in|down\s+in))?|my\s+name(?:'s|\s+is)|name's|"
    r"this\s+is|his\s+name(?:'s|\s+is)|her\s+name(?:'s|\s+is)|born|in|at|on|out\s+in|over\s+in|up\s+in|down\s+in|"
    r"right\s+now|currently|still|off|near|by|outside(?:\s+of)?)[\s,.]+)*",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


# The agent names whom it asks after the question ("where do you live, hunter?", "what's your name, hon?"): one word
# after a comma at the question's end; what it is the names layers judge, the slot reads the answer either way.
_VOCATIVE = r"(?:\s*,\s*[a-z][\w'’-]*)?"


class DialogueSlot(Recognizer):
    """Base: find agent turns ending on ``question``; ``answer`` picks the span out of the caller's reply."""

    question: re.Pattern[str]

    def answer(self, text: str, start: int, end: int) -> tuple[int, int] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def find(self, text: str) -> list[Span]:
        spans = []
        for q_end, a_start, a_end in _question_answer_pairs(text):
            # the question is the end of the agent's turn: read its last 160 characters
            window = _AGENT_LABEL.sub(" ", text[max(0, q_end - 160) : q_end])  # one question split over lines
            window = window.replace("’", "'")  # the questions are written with "'": "who’s the client?" is asked too
            if not self.question.search(window):
                continue
            lead = _LEAD.match(text, a_start, a_end)
            begin = lead.end() if lead else a_start
            if not text[begin:a_end].strip(" ,.-") and a_end < len(text):
                # the answer went on after Whisper's line break ("caller: it's uh," / "caller: pasco."): read the next
                # line when it is the same caller's
                line_end = text.find("\n", a_end)
                nxt = _LINE.match(text, line_end + 1) if line_end >= 0 else None
                label = label_at(nxt.group()) if nxt else None
                if nxt and (label is None or label.group(1).lower() not in AGENT_SIDE):
                    a_start, a_end = nxt.start() + (label.end() if label else 0), nxt.end()
                    lead = _LEAD.match(text, a_start, a_end)
                    begin = lead.end() if lead else a_start
            for found in self.answers(text, begin, a_end):
                spans.append(Span(found[0], found[1], self.category, LAYER, None, self.name))
        return spans

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Every span of the answer; one, ``answer``'s, unless a slot reads more."""
        found = self.answer(text, start, end)
        return [found] if found else []


def _question_answer_pairs(text: str) -> list[tuple[int, int, int]]:
    """(end of an agent turn, start and end of the caller's first line after it), across Whisper's line splits."""
    pairs = []
    speaker = None
    agent_end = -1
    for m in _LINE.finditer(text):
        if m.start() > 0 and text[m.start() - 1] != "\n":
            continue  # the empty match after each line
        label = label_at(m.group())
        who = label.group(1).lower() if label else speaker
        if who in AGENT_SIDE:
            agent_end = m.end()
        elif who is not None and speaker in AGENT_SIDE and agent_end >= 0:
            pairs.append((agent_end, m.start() + (label.end() if label else 0), m.end()))
        speaker = who
    return pairs


def _name_capable(word: str) -> bool:
    low = word.lower().rstrip(".")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in FUNCTION_WORDS or low in US_STATE_NAMES or low in clinical_words():
        return False
    return not is_safe_word(low) or low in proper_nouns() or low in _first_names()


@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    from cipher_pipeline.deid.names import first_names

    return first_names()


class NameSlot(DialogueSlot):
    """"What's your name?" / "Who am I speaking with?" -> "Brandy. Brandy Tillman." (one or two short sentences)."""

    name = "name_slot"
    category = "NAME"
    question = re.compile(
        r"(?:(?:your|his|her|their|the\s+patient'?s|the\s+client'?s|(?:his|her|your)\s+\w+'s)\s+(?:full\s+|first\s+|"
        r"last\s+|legal\s+)?name|who\s+(?:am\s+i|i'm)\s+(?:speaking|talking)\s+(?:with|to)|who(?:'s|\s+is)\s+calling|"
        r"may\s+i\s+ask\s+who|what(?:'s|\s+is)\s+(?:his|her|their)\s+name|and\s+you\s+are|(?:can|could)\s+you\s+spell"
        # asked of a third party (a probation officer, a case manager): "who's the client?", "can i get a first name?"
        r"|who(?:'s|\s+is)\s+the\s+(?:client|patient|participant|resident|person)|(?:can|could|may)\s+i\s+(?:have|get)\s+"
        r"(?:just\s+)?a\s+(?:first\s+)?name(?:\W+even\s+(?:just\s+)?a\s+first\s+name)?)"
        rf"{_VOCATIVE}\W*(?:please|again|for\s+me)?\W*$",
        re.I,
    )

    def answer(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        last = None
        cursor = start
        for _sentence in range(3):
            # the first sentence may be a name of everyday words Whisper wrote for one it did not know
            everyday = _everyday_name(text, cursor, end) if _sentence == 0 else None
            words = []
            for w in _WORD.finditer(text, cursor, end):
                gap = text[cursor : w.start()]
                if words and re.search(r"[.?!,;]", gap):
                    break
                if not words and gap.strip(" ,.") :
                    break
                if not _name_capable(w.group()) or len(words) == 3:
                    break
                words.append(w)
                cursor = w.end()
            if everyday and (not words or everyday > words[-1].end()):
                cursor = everyday
            elif not words:
                break
            else:
                cursor = words[-1].end()
            last = cursor
            nxt = re.match(r"[.,]\s*", text[cursor:end])
            if not nxt:
                break
            cursor += nxt.end()
        return (start, last) if last else None


# what answers "what's your name?" with no name: a reply, a filler, a refusal, a question back
_NOT_A_NAME_ANSWER = frozenset(
    """yes yeah yep yup no nope nah okay ok sure sorry hello hi hey um uh oh well why what who me mine hold on wait
    unknown anonymous none nobody nothing later private pass skip rather not doesn't don't matter same before again
    it's its just only first last full name names""".split()
)


def _everyday_name(text: str, start: int, end: int) -> int | None:
    """The end of a whole first sentence of one to three words that answers a name question though each word is an
    everyday one: speech recognition writes a name it does not know as words it does ("morning" for Marnie, "diary",
    "yahoo"). None when a word is a function word, a clinical word, a digit, or a reply that is no name."""
    sentence = re.match(r"[ \t]*([A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*){0,2})[ \t]*(?=[.?!,;]|$)", text[start:end])
    if not sentence:
        return None
    lows = [w.lower().strip("'’-") for w in sentence.group(1).split()]
    if lows[0] in TITLES:
        return None  # "officer <surname>": the names layers read a title and its name; the title stays readable
    if any(w in FUNCTION_WORDS or w in _NOT_A_NAME_ANSWER or w in clinical_words() or w in US_STATE_NAMES for w in lows):
        return None
    return start + sentence.end(1)


# date words a spoken or written date of birth is made of
# (vocabulary's number words with the spoken zero "oh"; the teen ordinals as "\w+teenth", which also takes a
# misheard one)
_DATE_TOKEN = re.compile(
    r"(?:\d{1,4}(?:st|nd|rd|th)?|"
    + "|".join(("zero", "oh", *ONES[1:], *TENS[2:], *SCALE_WORDS, *(ORDINALS[i] for i in range(1, 13))))
    + r"|\w+teenth|twentieth|thirtieth|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|of|the|and|a)(?![\w'])",
    re.I,
)
_NUMBERISH = re.compile(r"\d|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|first|second|third|fifth", re.I)


class DateSlot(DialogueSlot):
    """"Can you confirm your date of birth?" -> "four, four, two thousand" (a run of date words and digits)."""

    name = "date_slot"
    category = "DATE"
    question = re.compile(
        r"(?:date\s+of\s+birth|\bd\.?o\.?b\b|birth\s*day|birth\s+date|when\s+(?:was|were)\s+(?:you|he|she|they)\s+born)"
        r"\W*(?:please|again|for\s+me|too)?\W*$",
        re.I,
    )

    def answer(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        cursor = start
        last = None
        numbers = 0
        for _ in range(12):
            m = re.compile(r"[\s,/.-]*").match(text, cursor, end)
            tok = _DATE_TOKEN.match(text, m.end(), end)
            if not tok:
                break
            cursor = tok.end()
            if _NUMBERISH.search(tok.group()) or tok.group().lower() not in ("of", "the", "and", "a"):
                last = cursor
                numbers += 1 if _NUMBERISH.search(tok.group()) else 0
        return (start, last) if last and numbers else None

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The date, and each day the answer names in a sentence of its own: callers restate a birthday by the feast or
        holiday it falls on ("december 7 2002. pearl harbor day. he hates that", "june 21st. first day of summer",
        "seventh of january. our christmas. orthodox christmas"), which dates it as surely as the digits."""
        found = self.answer(text, start, end)
        out = [found] if found else []
        for m in _SENTENCE.finditer(text, start, end):
            day = _DAY_NAMED.fullmatch(m.group())
            if not day or found and m.end() <= found[1] or (day.group(1) or "").lower() in _NOT_A_DAYS_NAME:
                continue
            if any(w.lower() in CORE_FUNCTION_WORDS for w in m.group().split()[1:-1] if w.lower() not in ("of", "the")):
                continue  # "the day after valentine's day", "right before christmas": a time around a day (the rules find the day)
            out.append((m.start(), m.end()))
        return out


# a sentence of an answer (between pauses), and one that names a day: two to five words ending on a day's head word, or
# a season's first or last day
_SENTENCE = re.compile(r"[^\s.?!,;](?:[^.?!,;\n]*[^\s.?!,;])?")
_DAY_NAMED = re.compile(
    r"(?:the\s+)?(?:([a-záéíóúñāēīōū'’]+)(?:\s+[a-záéíóúñāēīōū'’]+){0,3}\s+(?:day|birthday|christmas|eve|new\s+year|independence)"
    r"|(?:first|last)\s+day\s+of\s+(?:spring|summer|fall|autumn|winter))",
    re.I,
)
# what opens a phrase ending on "day" that names no particular day: "same day", "every day", "the other day", "a good
# day", "his birthday", "school day"
_NOT_A_DAYS_NAME = frozenset(
    """same every each other next whole all one some any that this a an his her my your our their last first second
    third hard long rough bad good big great nice busy school work pay due birth court visiting visitation day right just
    it it's and but so before after since on around like""".split()
)


# answers to "where do you live?" that are not places
_NOT_PLACE = frozenset(
    """home here there town the city downtown jail prison detox rehab shelter hospital car truck house apartment
    place street road area county state outside nowhere everywhere around somewhere anywhere couch motel hotel
    work school island country woods streets post base campus barracks out""".split()
)


# the words of _NOT_PLACE that end a place's name after a word of it: "crescent city", "orange county", "long island"
_PLACE_NAME_HEADS = frozenset("city county island town".split())


# a further clause of a where-live answer that pins the place down: "southdale, in <x>, off <y>", "everett, near
# <x>", "augusta, behind the <x>"; Whisper writes "off-" glued to what follows
_PLACE_CLAUSE = re.compile(
    # speech puts fillers and adverbs of distance before the preposition ("um, right off <x>", "out past <x>") and
    # repairs the article ("by the um the <x>")
    r"[\s,.]*(?:(?:um+|uh+|like),?\s+)*(?:(?:right|just|out|over|down|up|way)\s+)?"
    r"(?:in|off|of|near|by|on|behind|past|above|below|across\s+from|next\s+to|close\s+to|outside(?:\s+of)?)(?:\s+|-)"
    r"(?:the\s+(?:um+|uh+|like),?\s+(?=the\s))?(?:the\s+)?"
    # or, after a comma, a filler alone before the next part of the place: "paterson, um <x> park, by the <y>"
    r"|[,.]\s+(?:um+|uh+),?\s+(?:the\s+)?",
    re.I,
)
_CLAUSE_PREPOSITIONS = frozenset("in off of near by on behind across next close outside past above below".split())
# inside one clause, a landmark on its street or two crossing streets are one place: "the <x> on <y> boulevard",
# "<x> way, and <y> road"
_CLAUSE_JOINER = re.compile(r",?\s+(?:and|on|&)\s+", re.I)
# what follows such a preposition that is no place: a state of life, not where someone lives
_NOT_PLACE_AFTER_CLAUSE = frozenset("probation parole bail disability welfare medicaid medicare foot".split())
_CLAUSE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")  # "route 6", "exit 40": numbers name places here


def _clause_word_ok(word: str, first: bool) -> bool:
    """A word of a place clause: no function word, no state of life, no clinical word, and no word that alone
    answers "where?" with no place ("the highway", "a motel"), except a street type after a name ("Fircrest Road")."""
    low = word.lower().strip("-")
    if low in _NOT_PLACE and (first or low not in ("road", "street")):
        return False
    if first and low == "way":
        return False  # "by the way": an aside, where "maplewood way" is a street
    return not (low in FUNCTION_WORDS or low in _CLAUSE_PREPOSITIONS or low in _NOT_PLACE_AFTER_CLAUSE or low in clinical_words())


def _place_clauses(text: str, cursor: int, end: int) -> list[tuple[int, int]]:
    """Up to three clauses right after a where-live answer's first place, each a preposition and at most four words
    before the next pause (five with a joiner), every one no function word, no word "where do you live?" is not
    answered by (``_NOT_PLACE``) and no clinical word: the words are the span, the preposition stays readable."""
    spans = []
    for _clause in range(3):
        lead = _PLACE_CLAUSE.match(text, cursor, end)
        if not lead:
            break
        first = last = None
        words = 0
        pos = lead.end()
        while words < 5:
            w = _CLAUSE_WORD.match(text, pos, end)
            if not w or not _clause_word_ok(w.group(), first is None):
                break
            first, last, words = first if first is not None else w.start(), w.end(), words + 1
            pos = w.end()
            joiner = _CLAUSE_JOINER.match(text, pos, end)
            following = _CLAUSE_WORD.match(text, joiner.end(), end) if joiner else None
            if following and _clause_word_ok(following.group(), False):
                pos = joiner.end()
            elif re.match(r" (?=[A-Za-z0-9])", text[pos:end]):
                pos += 1
            else:
                break
        if first is None or text[last : last + 1].isalnum():
            break
        spans.append((first, last))
        cursor = last
    return spans


class PlaceSlot(DialogueSlot):
    """"Where does he live?" -> "pasco." / "northside, on ..." (a short noun phrase before the first pause)."""

    name = "place_slot"
    category = "LOCATION"
    question = re.compile(
        # "where's he from", "where's he living": the contraction has no space before its "'s"
        r"(?:where(?:\s+exactly)?(?:\s+(?:do|does|are|is|did)|'s|’s)\s+(?:you|he|she|they|y'all)(?:\s+(?:two|all|guys|both))?\s+"
        r"(?:live|living|staying|stay|located|calling\s+from|from|based|at\s+now|now)(?:\s+originally)?"
        # the town already said, the question asks where in it: "where do you live in jackson?"
        r"(?:\s+in\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)?|where\s+are\s+you\s+calling\s+from|"
        # said without its verb: "where you at right now?", "where y'all at"
        r"where\s+(?:are\s+)?(?:you|y'all)(?:\s+(?:all|guys|two))?\s+at|"
        r"where\s+are\s+(?:you|y'all)(?:\s+(?:all|guys|two))?(?:\s+at)?|what\s+(?:city|town|area|part\s+of\s+"
        r"town|neighborhood|county)"
        # and asked with its verb: "what city does he live in?", "what town are you calling from?"
        r"(?:\s+(?:do|does|is|are|did)\s+(?:you|he|she|they|y'all|it|that|your\s+\w+|his\s+\w+|her\s+\w+)\s+"
        r"(?:live|living|stay|staying|calling\s+from|from|located|in|at|live\s+in|living\s+in|stay\s+in|staying\s+in))?|(?:your|his|her|the)\s+(?:home\s+|mailing\s+|street\s+)?address|where(?:'s|\s+is)\s+"
        r"(?:home|that|he|she|(?:your|his|her|their)\s+(?:house|place|home|family))"
        # the town said, the part of it asked: "what part of lorain?"
        r"|what\s+part\s+of\s+[a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?"
        # where someone will live after jail or a program: "where will she stay when she's out?", "where would she stay?"
        r"|where\s+(?:will|would|is|are|can)\s+(?:you|he|she|they)\s+(?:go|stay|be\s+staying|live|be\s+living|going)"
        r"(?:\s+when\s+(?:you|he|she|they)(?:'re|'s|\s+is|\s+are|\s+gets?)\s+out)?)"
        rf"{_VOCATIVE}\W*(?:please|again|for\s+me|now|today|these\s+days|right\s+now)?\W*$",
        re.I,
    )

    def answer(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        words = []
        cursor = start
        for w in _WORD.finditer(text, start, end):
            gap = text[cursor : w.start()]
            if words and re.search(r"[.?!,;]", gap) or not words and gap.strip():
                break
            if w.group().lower() in FUNCTION_WORDS or w.group().lower() in _CLAUSE_PREPOSITIONS or len(words) == 4:
                break
            words.append(w)
            cursor = w.end()
        if not words:
            return None
        lows = [w.group().lower() for w in words]
        # "crescent city", "orange county", "long island": a place noun after a name word is the name's head
        named_heads = [i for i, low in enumerate(lows) if i > 0 and low in _PLACE_NAME_HEADS and lows[0] not in _NOT_PLACE]
        if any(low in _NOT_PLACE and i not in named_heads for i, low in enumerate(lows)) or " ".join(lows) in US_STATE_NAMES:
            return None
        if any(low in clinical_words() for low in lows):
            return None
        nxt = text[words[-1].end() : words[-1].end() + 1]
        if nxt.isalnum():
            return None
        return (words[0].start(), words[-1].end())

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The first place, then the clauses that pin it down ("southdale, in <x>, of <y>")."""
        first = self.answer(text, start, end)
        after = first[1] if first else start
        return ([first] if first else []) + _place_clauses(text, after, end)


# A house number said alone (session 17): after a where-do-you-live or address question the caller gives the number
# as a clause of its own, the street later or never ("dayton. three forty", "it's forty two twelve", "he says the
# number is 2214"). What may open that clause before the number, and what after it makes the number a count, a price
# or a time instead ("twelve years", "forty bucks").
_HOUSE_NUMBER_LEAD = re.compile(
    r"(?:(?:no|nope|um+|uh+|oh|and|so|it's|its|it\s+is|(?:he|she|they)\s+says?|(?:the\s+)?(?:house\s+)?number(?:'s|\s+is)"
    r"|address(?:'s|\s+is)?)[\s,]+)*",
    re.I,
)
_COUNT_NOUNS = frozenset(
    "year years yrs month months week weeks day days hour hours minute minutes mile miles dollar dollars bucks buck "
    "grand cents percent times kids people pounds lbs am pm o'clock a.m. p.m. years' foot feet".split()
)
_ADDRESS_SAID = re.compile(r"\b(?:house\s+number|street\s+number|address)\b[^\n.,:;?!]{0,20}[.,:;]\s*", re.I)
# a sentence's end opens the number's clause; a comma does not (Whisper's commas run a list on: "<word>, 20 for ...")
_CLAUSE_BREAK = re.compile(r"[.;:?!]\s+")


def _numbers_said_alone(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Numbers of two to five digits that open the answer or a sentence of it on their own ("three forty", "517,"),
    after at most "no", "it's" or "the number is", and are no count, price, time or year."""
    out = []
    opens = [start] + [m.end() for m in _CLAUSE_BREAK.finditer(text, start, end)]
    for opened in opens:
        lead = _HOUSE_NUMBER_LEAD.match(text, opened, end)
        head = lead.end() if lead else opened
        runs = find_number_runs(text[head:end], min_digits=2)
        if not runs or runs[0].start != 0:
            continue
        run = runs[0]
        if not 2 <= len(run.digits) <= 5 or run.has_letters or text[head + run.end : head + run.end + 1].isalnum():
            continue  # "34th street" is the street's ordinal, no house number
        if len(run.digits) == 4 and run.digits[:2] in ("19", "20"):
            continue  # a year ("2019", "nineteen ninety")
        after = re.match(r"\s*([A-Za-z][\w'.’]*)?", text[head + run.end : end])
        if after and (after.group(1) or "").lower() in _COUNT_NOUNS:
            continue
        out.append((head + run.start, head + run.end))
    return out


class HouseNumberSlot(DialogueSlot):
    """"Where does he live?" -> "dayton. on west elm. four twelve"; "oh, and the address. it's 517, and ...":
    a number that opens its own clause in the answer to an address question, or after "address" in the caller's
    own turn, is the house number; never a count or a price ("we've been there twelve years", "forty bucks a
    week"), an age ("he's 34": only "it's" or "the number is" may lead it) or a year."""

    name = "house_number_slot"
    category = "LOCATION"
    question = re.compile(
        rf"(?:{PlaceSlot.question.pattern})|(?:house|street|building)\s+number\b[^\n]{{0,40}}$"
        r"|where\s+(?:do|does|is|are)\s+(?:you|he|she|they)\s+(?:live|living|staying|located)\s+exactly\W*$", re.I
    )

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        return _numbers_said_alone(text, start, end)

    def find(self, text: str) -> list[Span]:
        spans = super().find(text)
        for line in _LINE.finditer(text):
            label = label_at(line.group())
            if label is None or label.group(1).lower() in AGENT_SIDE:
                continue
            for said in _ADDRESS_SAID.finditer(text, line.start(), line.end()):
                for found in _numbers_said_alone(text, said.end(), line.end()):
                    spans.append(Span(found[0], found[1], self.category, LAYER, None, self.name))
        return spans


# a caller saying where someone is, unasked: "we're in <town>, um <x>, by the <y>", "we live out in <town>, right off
# <x>", "he stays out in <town>, out by the <y>"; the first place is the gazetteer's or the place cues' to judge, the
# clauses after it that pin it down are read as a where-answer's are
_LIVING_STATEMENT = re.compile(
    r"(?<![\w'’-])(?:(?:we|i|he|she|they|y'all|my\s+\w+)\s+(?:live[sd]?|stay(?:s|ed)?|(?:are|is|am|was|were)\s+(?:living|staying))"
    r"|we're|i'm|he's|she's|they're|(?:we|they)\s+are|(?:he|she)\s+is|i\s+am)"
    r"\s+(?:(?:out|over|up|down|back|right)\s+)?(?:in|on)\s+",
    re.I,
)
_STATEMENT_PLACE = re.compile(r"([a-z][a-z'’-]{1,30}(?:\s+[a-z][a-z'’-]{1,30}){0,2})(?=,)", re.I)


_GENERIC_ROADS = frozenset("highway interstate freeway bypass expressway turnpike road street avenue boulevard".split())


@functools.lru_cache(maxsize=65536)
def _everyday_word(low: str, zipf: float = 4.5) -> bool:
    """A word among English's common ones (wordfreq Zipf >= 4.5: "trouble", "recovery", "school"), which a town's name
    said after "we're in" rarely is; asked once per word."""
    from wordfreq import zipf_frequency  # heavy optional import; its tables load at engine start (names._classes)

    return zipf_frequency(low, "en") >= zipf


class LivingStatementClauses(Recognizer):
    """The clauses after a place a caller says someone lives or is in, before the first pause: "we're in paterson,
    um <x> park, by the <y>". The place itself must be one (no function word, no state of life, no word "where?" is
    not answered by: "we're in trouble, by the way" and "i'm in recovery, by the grace of god" read nothing)."""

    name = "living_place_clauses"
    category = "LOCATION"

    def find(self, text: str) -> list[Span]:
        spans = []
        for cue in _LIVING_STATEMENT.finditer(text):
            line_end = text.find("\n", cue.end())
            line_end = len(text) if line_end < 0 else line_end
            place = _STATEMENT_PLACE.match(text, cue.end(), line_end)
            if not place:
                continue
            lows = place.group(1).lower().split()
            if any(low in FUNCTION_WORDS or low in _NOT_PLACE or low in clinical_words() or low in _NOT_PLACE_AFTER_CLAUSE
                   or _everyday_word(low) for low in lows):
                continue  # "we're in trouble, by the way": a town's name is no everyday word
            for found in _place_clauses(text, place.end(), line_end):
                words = text[found[0] : found[1]].lower().split()
                if len(words) == 1 and (words[0] in _GENERIC_ROADS or _everyday_word(words[0], 5.0)):
                    continue  # "near the park", "on the highway": a kind of place, no name of one
                spans.append(Span(found[0], found[1], self.category, LAYER, None, self.name))
        return spans


class GreetingName(Recognizer):
    """The agent's own name in the greeting that opens a call: "admissions, this is dana, how can i help". Agents
    say the same frame every time, so the word in it is a name whatever speech recognition made of it ("this is
    data, how can i help"), unless it is a function word or the center's department ("this is admissions"). Also
    (session 19) the name when the frame itself was misheard ("admission, riddle and <x>"), the names the two sides
    greet each other by right after it ("hi <agent>, my name is ...", "hi <caller>, what's going on?") and the name said
    at thanks or goodbye ("see you thursday, <x>.")."""

    name = "greeting_name"
    category = "NAME"
    _FRAME = re.compile(
        r"^[ \t]*(?:" + AGENT_PATTERN + r")[ \t]*:[^\n]{0,80}?\b(?:this\s+is|my\s+name\s+is|you're\s+speaking\s+with|you've\s+got)"
        r"[ \t]+([A-Za-z][\w'’-]{1,30}(?:[ \t]+[A-Za-z][\w'’-]{1,30})?)(?=\s*(?:[,.]|\s+(?:how|speaking|with|from|at|on|in)\b))",
        re.I | re.M,
    )
    _NOT_NAMES = frozenset("admissions intake the a an it that your our support reception billing help".split())
    _ASKED_FOR = re.compile(
        r"^[ \t]*(?:" + AGENT_PATTERN + r")[ \t]*:[^\n]{0,40}?\b(?:is\s+this|am\s+i\s+speaking\s+(?:with|to)|may\s+i\s+speak\s+(?:with|to)"
        r"|can\s+i\s+speak\s+(?:with|to)|i'm\s+looking\s+for)\s+([A-Za-z][\w'’-]{1,30}(?:\s+[A-Za-z][\w'’-]{1,30})?)(?=\s*(?:[?,.]|$))",
        re.I | re.M,
    )

    # Speech recognition mishears the frame as well as the name ("admission, riddle and <x>", "admissions, <x>,",
    # "admission is in <x>" for "admissions, this is <x>"), which ``_FRAME`` then does not read. The department that
    # opens the agent's first line is the evidence instead: a short rest of that sentence holds only the frame and the
    # name, so its last run of words that are no function word is the name ("admissions, this is <x>", "emissions,
    # <x> speaking", "thanks for calling admissions, this is <x>, how can i help"). A longer sentence is something else
    # ("admissions, are you calling for yourself today?"), and a greeting's own words stay ("admissions, good morning").
    _DEPARTMENT_OPENS = re.compile(
        r"^[ \t]*(?:" + AGENT_PATTERN + r")[ \t]*:[ \t]*(?:(?:thanks|thank\s+you)\s+for\s+calling[ \t,]+(?:[A-Za-z][\w'’-]*[ \t]+){0,3}?)?"
        r"(?:admissions?|emissions?|intake)[ \t]*,?[ \t]+"
        r"((?:(?<![\w'’-])(?:mrs?|ms|dr)\.|[^\n.?!])*?)[ \t,]*(?=[.?!]|\n|$|(?:,[ \t]*)?(?:how|what|who|can|may)(?:\s+(?:can|may|do|am|is|are|i))\b)",
        re.I | re.M,
    )
    _GREETING_WORDS = frozenset(
        """speaking welcome good morning afternoon evening line recorded department center centre office desk team
        please hold moment minute second help assist admissions admission intake emissions reached""".split()
    )
    # read19: the talk of answering a line ("thank you for holding", "go ahead", "hang on", "one sec", "can you hear
    # me?", "speak up", "uh huh", "the night line", "after hours"): a first line that says one of these is that talk,
    # so none of its words is the agent's name (skipping only the word would put the name on the next one back:
    # "this is tough to hear")
    _ANSWERING_TALK = frozenset("holding ahead hang sec hear listening speak huh night hours".split())
    _GREETING_MAX_WORDS = 5
    # The two said to each other right after the greeting: the caller greets the agent by the name just heard before
    # saying its own ("hi <x>, my name is ...", Whisper's "i <x> this is ..." for "hi <x>"), and the agent greets the
    # caller by the name just given before asking why they call ("hi <x>, what's going on?"). The frame is the
    # evidence whatever word Whisper made of the name; one or two words, none a function word or a word of greeting
    # or acknowledgement ("hi, sorry, this is ...", "okay great, what's going on?").
    _CALLER_GREETS_AGENT = re.compile(
        r"[ \t]*(?P<hi>hi|hey|high|hello|i)(?:[ \t]*[,-][ \t]*|[ \t]+)(?P<name>[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*)?)"
        r"[ \t]*[,.]?[ \t]+(?:my\s+name|this\s+is|i'm|i’m|i\s+am)\b",
        re.I,
    )
    _AGENT_GREETS_CALLER = re.compile(
        r"[ \t]*(?:(?P<hi>hi|hey|high|hello|okay|ok)(?:[ \t]*[,-][ \t]*|[ \t]+))?"
        r"(?P<name>[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*)?)(?P<comma>[ \t]*[,.])?[ \t]+"
        r"(?:what's|what’s|what\s+is)\s+(?:going\s+on|happening)(?![\w'’-])",
        re.I,
    )
    # ... and at thanks or goodbye, the name after the comma that ends the sentence: "thank you, <x>.", "see you
    # wednesday, <x>", "drive safe, <x>!"
    _THANKED = re.compile(
        r"(?<![\w'’-])(?:thank\s+you|thanks|bye|goodbye|take\s+care|drive\s+safe|see\s+you(?:\s+[a-z]+)?)[ \t]*,[ \t]*"
        r"(?P<name>[A-Za-z][\w'’-]*)[ \t]*(?=[.!?]|[ \t]*(?:\n|$))",
        re.I,
    )
    # what an agent thanks for and asks next, the pause Whisper wrote as a comma ("thank you, insurance?")
    _ASKED_NEXT = frozenset(
        """insurance address phone number email name birthday date info information everything details
        patience time""".split()
    )
    # and the forms of address that are a rank or an office said alone ("thank you, deacon.", "okay, sergeant, what's
    # going on?"), as ``TITLES`` are
    _NOT_ADDRESSED = _GREETING_WORDS | _ANSWERING_TALK | frozenset(
        """alright perfect wow understood gotcha cool awesome absolutely definitely totally man dude sir ma'am buddy
        friend hon honey sweetheart dear folks guys everybody listen welcome hmm mm love babe baby sweetie darling bro
        sis mama ma pal brother sister son
        bishop pastor deacon elder chaplain rabbi imam coach captain sergeant sarge chief detective deputy counselor
        lieutenant corporal private ranger warden
        hun bud kiddo girl lady ladies doc partner boss cuz papi mami mija mijo god lord jesus though yikes gosh geez
        jeez whoa bye-bye""".split()
    ) | kin_tokens()  # read19: more endearments and exclamations, "thanks, though.", and a relative ("thanks, mom.")

    def find(self, text: str) -> list[Span]:
        spans = []
        first_agent = next((t for t in read_turns(text[:600]) if t.side == "agent"), None)
        department = self._DEPARTMENT_OPENS.match(text, first_agent.line_start, first_agent.end) if first_agent else None
        if department:
            named = self._last_name_run(department.group(1))
            if named:
                spans.append(Span(department.start(1) + named[0], department.start(1) + named[1], self.category, LAYER, None, self.name))
        spans += self._greeted(text)
        for m in self._FRAME.finditer(text[:600]):  # the greeting opens the call
            words = m.group(1).split()
            if words[0].lower() in self._NOT_NAMES or words[0].lower() in FUNCTION_WORDS:
                continue
            if len(words) == 2 and (words[1].lower() in FUNCTION_WORDS or words[1].lower() in self._NOT_NAMES):
                words = words[:1]
            spans.append(Span(m.start(1), m.start(1) + len(" ".join(words)), self.category, LAYER, None, self.name))
            break
        # a call back opens on the person asked for: "hi, is this summer?", "may i speak with dale"
        for m in self._ASKED_FOR.finditer(text[:600]):
            words = m.group(1).split()
            if words[-1].lower() in FUNCTION_WORDS or words[-1].lower() in self._NOT_NAMES:
                words = words[:1]
            if words[0].lower() in FUNCTION_WORDS or words[0].lower() in self._NOT_NAMES:
                continue
            if any(w[0].isupper() for w in words) or any(ambiguity(w) is not None for w in words):
                spans.append(Span(m.start(1), m.start(1) + len(" ".join(words)), self.category, LAYER, None, self.name))
        return spans

    def _greeted(self, text: str) -> list[Span]:
        """The name each side greets the other by right after the greeting (``_CALLER_GREETS_AGENT``: the caller's
        first line; ``_AGENT_GREETS_CALLER``: any agent line that opens on it)."""
        spans = []
        first_caller = True
        for turn in read_turns(text):
            if turn.side == "caller" and first_caller:
                first_caller = False
                m = self._CALLER_GREETS_AGENT.match(text, turn.start, turn.end)
                # Whisper's "i" for "hi" opens ordinary sentences too ("i guess this is ..."): a very common word stays
                # fp20: nor a dictionary word no one is named ("i suppose this is it", "i figure this is ..."): the
                # sentence's own verb, which "hi <name>" would not put there
                if m and self._addressable(m.group("name")) and not (m.group("hi").lower() == "i" and any(
                        very_common(w) or (is_safe_word(w) and w not in _first_names())
                        for w in m.group("name").lower().split())):
                    spans.append(Span(m.start("name"), m.end("name"), self.category, LAYER, None, self.name))
            if turn.side is not None:
                for m in self._THANKED.finditer(text, turn.start, turn.end):
                    if self._addressable(m.group("name")) and m.group("name").lower() not in self._ASKED_NEXT:
                        spans.append(Span(m.start("name"), m.end("name"), self.category, LAYER, None, self.name))
            if turn.side == "agent":
                m = self._AGENT_GREETS_CALLER.match(text, turn.start, turn.end)
                # with no greeting before it, one word before a comma, no very common one ("so, what's going on?")
                if m and self._addressable(m.group("name")) and (m.group("hi") or (
                        m.group("comma") and " " not in m.group("name") and not very_common(m.group("name").lower()))):
                    spans.append(Span(m.start("name"), m.end("name"), self.category, LAYER, None, self.name))
        return spans

    def _addressable(self, words: str) -> bool:
        """Whether one or two words may be the name a person is greeted by: no function word, no greeting's or
        acknowledgement's word, no state, no clinical word, no single letter."""
        lows = [w.lower().strip("'’-") for w in words.split()]
        return all(len(w) > 1 and w not in FUNCTION_WORDS and w not in self._NOT_ADDRESSED and w not in US_STATE_NAMES
                   and w not in clinical_words() and w not in TITLES and not is_function_contraction(w)
                   # an adverb says how ("honestly, what's going on?"); "kelly" and "holly" are given names
                   and not (w.endswith("ly") and is_safe_word(w) and w not in _first_names()) for w in lows)

    def _last_name_run(self, rest: str) -> tuple[int, int] | None:
        """(start, end) in ``rest`` of its last run of one or two words that are no function word and no greeting's
        word, runs parted by those words and by punctuation; None when ``rest`` is long or has no such run."""
        words = list(re.finditer(r"[A-Za-z][\w'’-]*", rest))
        if not words or len(words) > self._GREETING_MAX_WORDS:
            return None
        if any(w.group().lower() in self._ANSWERING_TALK for w in words):
            return None
        run: list[re.Match[str]] = []
        last: list[re.Match[str]] = []
        for w in words:
            low = w.group().lower().strip("'’-")
            if run and rest[run[-1].end() : w.start()].strip():
                run = []  # a comma or a full stop parts two runs
            if (low in FUNCTION_WORDS or low in self._GREETING_WORDS or low in TITLES or len(low) < 2
                    or is_function_contraction(low)):
                run = []
                continue
            run.append(w)
            last = run[-2:]
        if not last:
            return None
        return last[0].start(), last[-1].end()


class Nickname(Recognizer):
    """What people call someone: "everybody called me Double T", "they call him Big Mike", "we call her Tink". The
    words after the frame are a name when one is capitalised inside the sentence or is a given name; "call me
    back", "called me crazy", "call him at ..." are none."""

    name = "nickname"
    category = "NAME"
    _FRAME = re.compile(
        r"\b(?:call|calls|called|calling)\s+(?:me|him|her|them)\s+((?:[A-Za-z][\w'’-]{0,20})(?:\s+[A-Za-z][\w'’-]{0,20})?)", re.I
    )
    _NOT_NICKNAMES = frozenset(
        """back at later tomorrow today tonight yesterday on when if and to directly first again anytime crazy names every
        all about from in after before right now up out over a an the this that that's because so but or whenever sometime
        sometimes asap soon please too also still just once twice every day night morning afternoon evening myself
        himself herself collect last next earlier later lately recently ago yet for with like since until while every
        weekend week monday tuesday wednesday thursday friday saturday sunday""".split()
    )

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in self._FRAME.finditer(text):
            words = m.group(1).split()
            if words[0].lower() in self._NOT_NICKNAMES or words[0].lower() in CORE_FUNCTION_WORDS:
                continue
            if len(words) == 2 and (words[1].lower() in self._NOT_NICKNAMES or words[1].lower() in CORE_FUNCTION_WORDS):
                words = words[:1]
            named = any(w[0].isupper() for w in words) or any(ambiguity(w) is not None for w in words)
            if named:
                spans.append(Span(m.start(1), m.start(1) + len(" ".join(words)), self.category, LAYER, None, self.name))
        return spans


# the programs a caller lists when asked about past treatment: "i done <x> um in hazard, and <y> in prestonsburg",
# "<x> down in laurel, like two years ago", "he went to <x> once in helena": a name said before the town it is in
_PROGRAM_IN_TOWN = re.compile(
    r"(?:^|(?<=[\s,]))(?:(?:i|he|she|they|we)\s+)?(?:(?:done|did|tried|went\s+to|was\s+at|were\s+at|been\s+to|stayed\s+at|and|then|also)\s+)?"
    r"(?:the\s+)?((?:[a-z][\w'’&-]{1,30}\s+){0,3}[a-z][\w'’&-]{1,30})"
    r"(?=,?\s+(?:(?:um+|uh+|once|twice|before),?\s+)?(?:(?:down|up|out|over|back)\s+)?(?:in|at|outside(?:\s+of)?|near|by)\s+[a-z])",
    re.I,
)


class TreatmentHistorySlot(DialogueSlot):
    """"Have you been to treatment before?" -> the programs the caller names, each before the town it is in."""

    name = "treatment_history_slot"
    category = "COMPETITOR"
    question = vertical.TREATMENT_HISTORY_QUESTION  # one home; vertical.competitor_spans reads it too

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        found = []
        for m in _PROGRAM_IN_TOWN.finditer(text, start, end):
            words = list(re.finditer(r"\S+", m.group(1)))
            while words and (words[0].group().lower() in FUNCTION_WORDS or words[0].group().lower() in _HISTORY_LEAD):
                words = words[1:]
            while words and (words[-1].group().lower() in _HISTORY_TRAIL):
                words = words[:-1]  # "<x> um in", "<x> down in", "<x> once in": the name ends before them
            lows = [w.group().lower() for w in words]
            if not lows or any(w in FUNCTION_WORDS or w in vertical.NAME_STOP_WORDS or w in clinical_words() for w in lows):
                continue
            if len(lows) == 1 and (lows[0] in vertical._GENERIC_PLACE or lows[0] in vertical.BARE_PROGRAM_HEADS or is_safe_word(lows[0])):
                continue  # "detox in hazard", "jail in laurel": a kind of place, no program's name
            if lows[-1] in vertical.BARE_PROGRAM_HEADS and not vertical.program_modifiers_ok(lows[:-1]):
                continue  # "inpatient rehab in helena"
            if names_a_person(text, m.start(1) + words[0].start(), lows):
                continue  # "went to see dr. grace holloway in tucson": the names layers have a person, not a program
            found.append((m.start(1) + words[0].start(), m.start(1) + words[-1].end()))
        return found


def names_a_person(text: str, start: int, lows: list[str]) -> bool:
    """Whether the words of a past-treatment answer name a person: said after a title or "see", or every word a
    listed given name or surname, or opened by a given name that is no English word, with no head of a place after
    them ("grace holloway", "darnell okafor", never "grace house")."""
    if _TITLE_BEFORE.search(text, max(0, start - 16), start):
        return True
    if lows[-1] in _PLACE_HEADS_OF_PROGRAMS:
        return False
    listed = _first_names() | _surnames()
    # "darnell okafor": a given name that is no English word opens a person's name
    return all(w.rstrip("'s") in listed for w in lows) or (lows[0] in _first_names() and ambiguity(lows[0]) == "unambiguous")


_TITLE_BEFORE = re.compile(r"\b(?:dr|doctor|mr|mrs|ms|miss|nurse|counselor|therapist|see|saw|seeing|with)\.?\s+$", re.I)
_PLACE_HEADS_OF_PROGRAMS = frozenset(
    "house home ranch lodge center centre recovery detox rehab place manor village farm hall institute clinic hospital"
    " springs ridge hill hills point oaks pines woods haven harbor".split()
)


@functools.lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    from cipher_pipeline.deid.names import surnames

    return surnames()


# what opens an answer before the program's name: "yeah i done ...", "just ...", "only ..."
_HISTORY_LEAD = frozenset("yeah yes yep no nope well just only once twice um uh like done did tried went been".split())
_HISTORY_TRAIL = frozenset("um umm uh uhh once twice before down up out over back".split())


class PayerSlot(DialogueSlot):
    """"Does he have insurance?" -> the payer each frame of the caller's answer names ("he has <x>", "i got <x>",
    "signed up for <x>", "it's <x>", "with <x>", "tiene <x>", "he says <x>"), even when its name is an ordinary word
    as callers and speech recognition say it: "access" for AHCCCS, "quest" for Med-QUEST, "medical" for Medi-Cal,
    "plan vital". A sentence of the answer that is only a name counts when a word of it is no everyday word. The
    question is the slot's evidence; generic answers stay ("i have the card", "he has it through work", "no
    insurance", "medicaid i think" keeps "i think")."""

    name = "payer_slot"
    category = "INSURER"
    question = re.compile(
        r"(?:insurance|insured|coverage|covered|(?:what|which)\s+(?:kind\s+of\s+)?(?:plan|carrier)|carrier|payer"
        r"|how\s+(?:are|will|would|is)\s+(?:you|he|she|they|we)\s+(?:be\s+)?(?:pay|paying|covering))\W*(?:\w+\W*){0,6}$",
        re.I,
    )

    def answers(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        # the frames are read from the start of the caller's line: the slot's lead skipped "yeah it's"
        line_start = text.rfind("\n", 0, start) + 1
        label = label_at(text, line_start, start)
        for m in _PAYER_FRAME.finditer(text, label.end() if label else line_start, end):
            words = vertical._name_after(text, m.end(), caseless=True, max_words=4)
            # the name ends its clause ("he has medical.", "i got hip too, ..."): "he has anxiety really bad" says
            # what he has, not who pays
            if (
                words
                and words[-1].end() <= end
                and _payer_name_ok([w.group().lower() for w in words])
                and (vertical.CLAUSE_ENDS.match(text, words[-1].end()) or _PAYER_TRAILER.match(text, words[-1].end()))
            ):
                found.append((words[0].start(), words[-1].end()))
        # the answer opens with a short phrase, or a frame names one: a carrier Whisper heard as everyday or function
        # words ("and them.", "i got the am better plan", "<three everyday words>, <the id>")
        for pos in [start] + [m.end() for m in _PAYER_FRAME.finditer(text, start, end)]:
            heard = _heard_payer(text, pos, end)
            if heard:
                found.append(heard)
        for sentence in [start] + [m.end() for m in _SENTENCE_BREAK.finditer(text, start, end)]:
            lead = _SENTENCE_LEAD.match(text, sentence, end)
            words = vertical._name_after(text, lead.end(), caseless=True, max_words=4)
            # the sentence is only the name: it ends right after it
            if not words or not vertical.CLAUSE_ENDS.match(text, words[-1].end()):
                continue
            lows = [w.group().lower() for w in words]
            if _PAYER_FRAME.match(text, lead.end()):
                continue  # "tiene access.": the frame's, read above
            if _payer_name_ok(lows) and any(not is_safe_word(x) or is_rare_word(x) for x in lows):
                found.append((words[0].start(), words[-1].end()))
        # the same name said again in the answer ("he has medical. the medical."): each name once, and a few names
        # at most, so an answer repeating frames thousands of times costs linear time
        names = list(dict.fromkeys(text[a:b].lower() for a, b in found))[:_MAX_PAYERS_SAID_AGAIN]
        for name in names:
            for again in re.finditer(rf"(?<![\w'-]){re.escape(name)}(?![\w'-])", text[start:end], re.I):
                found.append((start + again.start(), start + again.end()))
        return sorted(set(found))


_MAX_PAYERS_SAID_AGAIN = 8
# what frames the payer in an answer: "he has", "i got", "she had", "signed up for", "it's", "now it's", "with"
# (never "through": "through the plant" names who pays for it), "tiene", "con", "he says", "the card says"
_PAYER_FRAME = re.compile(
    r"\b(?:(?:i|he|she|we|they|you)\s+(?:have|has|had|got|get|gets|use|uses|used|(?:signed|sign)\s+(?:him\s+|her\s+|me\s+|us\s+)?up\s+for"
    r"|switched\s+(?:him\s+|her\s+)?to|(?:just\s+)?got\s+approved\s+for)"
    r"|(?:it|that)(?:'s|’s|\s+is|\s+was)|(?:plan|card)\s+is(?:\s+called)?|with|tiene|tenemos|tengo|con|(?:he|she|it|card|they)\s+says?)\s+",
    re.I,
)
# a sentence of the answer: the start of the line or after a full stop, a comma or an ellipsis
_SENTENCE_BREAK = re.compile(r"[.,;?!]+\s+")
_SENTENCE_LEAD = re.compile(r"(?:(?:um|uh|oh|and|so|now|yeah|well)[\s,]+)*", re.I)
# what may follow a payer's name in its clause: "i got hip too", "he had plan vital back home", "medicaid and ..."
_PAYER_TRAILER = re.compile(
    r"\s+(?:too|also|now|still|though|i\s+think|i\s+believe|and|but|or|through|from|with|for|since|back|before|right\s+now)\b", re.I
)
# words that end an answer's name or make it generic: a payer is none of these ("i have the card", "he has it
# through work", "no insurance", "she's got a job", "not today. monday", "plan de salud"; "i got the va", the
# government's health care said by the agency, as callers say "the state"; "through my step dad", any relative)
_NOT_A_PAYER = kin_tokens("kid", plural=True) | frozenset(
    """insurance insured coverage covered card cards number id ids policy plan plans benefits private public state county
    federal government va job work employer union nothing none no yes yeah nope not sure idea clue cash money
    self self-pay pay copay deductible disability ssi ssdi unemployment welfare stamps snap income family
    parents ex one ones thing things stuff problem problems question questions kind sort type
    right left now before after it that this through thru via from under off until
    monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight yesterday week weekend
    seguro aseguranza salud tarjeta numero número nada ninguno ninguna""".split()
)
# a plan is a name's first word too ("plan vital", "plan de salud")
_NOT_A_PAYER_FIRST = _NOT_A_PAYER - {"plan"}


# How Whisper writes a carrier it does not know: the nearest everyday words ("am better", "a group", "sigma", "and
# them"). In the answer to the insurance question a short phrase of them, said alone or after a frame, is the answer:
# it ends its clause, or a word that goes with a plan name or the plan's source follows ("... plan", "... through his
# job"). What is clearly no carrier stays: a subject and its verb ("i don't know", "we don't have any"), a negation,
# a stalling phrase ("hold on", "let me look"), a kind of thing (``_NOT_A_PAYER``: "the card", "through my job",
# "none"), a number, a relative, a state, a clinical word, an everyday participle ("it's expired").
_HEARD_MAX_WORDS = 4
_HEARD_NAME_AFTER = re.compile(
    r"[ \t]*(?:[.,;?!]|$)|[ \t]+(?:plan|insurance|card|through|thru|from|with|i\s+think|i\s+believe|right\s+now)\b",
    re.I | re.M,
)
# an article before the heard words ("the am better plan"), in English or Spanish ("tiene el plan vital"); the
# definite ones stay out of the span, "a" / "an" go in it: Whisper writes a name's first syllable so ("a group")
_HEARD_DETERMINER = frozenset("a an the el la los las un una".split())
# a plan word (``asr_terms.PLAN_WORDS``, their one home; fp20 read "epo" and "pos" here too, before only "plan(s)",
# "ppo", "hmo")
_HEARD_PLAN_WORD = re.compile(r"[ \t]+(?:" + "|".join(sorted(PLAN_WORDS, key=len, reverse=True)) + r")\b", re.I)
_ARTICLE_NOT_NAME = frozenset("the el la los las".split())
_HEARD_FILLER = re.compile(r"(?:(?:um+|uh+|uhm|er|ah|oh)[\s,]+)*", re.I)
_NOT_HEARD_PAYER = frozenset(
    """i i'm i've i'd we we're we've you you're he he's she she's they they're it it's that's this these those
    me us him them my mine your yours his her hers our ours their theirs
    not no don't dont doesn't didn't can't cannot never none nothing nobody anything something everything any some
    know knew sure think thought guess remember forget forgot hold hang wait check look looking let see say said
    sec second minute moment hmm hm huh uh um umm mm okay ok alright right correct yes yep yeah nope same one ones
    good fine bad true well what which who how why where when there again also just only still all both either
    for to of in on at by about tiene tengo tenemos have has had got get gets use uses""".split()
) | frozenset(DIGIT_WORDS) | frozenset(w for w in (*ONES, *TENS) if w)

# words that open a stalling answer ("here, let me find it", "so, um") but may end a heard name ("<word> here")
_NOT_HEARD_PAYER_FIRST = frozenset("here so".split())


def _heard_payer(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """A short phrase at ``pos`` in the answer to the insurance question that may be a carrier Whisper heard as
    everyday or function words: up to four words, ending its clause or before a plan word or the plan's source;
    None for what is clearly no carrier (``_NOT_HEARD_PAYER``, ``_NOT_A_PAYER``)."""
    pos = _HEARD_FILLER.match(text, pos, end).end()  # not "and", "so", "well": Whisper's first syllable of a name
    words: list[re.Match[str]] = []
    cursor = pos
    while len(words) < _HEARD_MAX_WORDS + 1:
        w = _WORD.match(text, cursor, end)
        if not w:
            break
        words.append(w)
        if text[w.end() : w.end() + 1] != " ":
            break
        cursor = w.end() + 1
    for n in range(1, min(len(words), _HEARD_MAX_WORDS) + 1):  # the name ends at the first place one may
        phrase = words[:n]
        if not _HEARD_NAME_AFTER.match(text, phrase[-1].end(), end):
            continue
        lows = [w.group().lower().strip("'’-") for w in phrase]
        article = lows[0] in _HEARD_DETERMINER
        if article:
            lows = lows[1:]
            if phrase[0].group().lower() in _ARTICLE_NOT_NAME and len(phrase) > 1:
                phrase = phrase[1:]  # "he has the <name>": the article is the sentence's ("a" may be the name's)
        if not lows or lows[-1] in _HEARD_DETERMINER or lows[0] in _NOT_HEARD_PAYER_FIRST:
            return None
        if article and len(lows) == 1 and is_safe_word(lows[0]) and not is_rare_word(lows[0]):
            return None  # "it's the one with the stripe.", "signed up with the school": one everyday noun, no name
        if any(w in _NOT_HEARD_PAYER or w in _NOT_A_PAYER or w in US_STATE_NAMES or w in clinical_words() for w in lows):
            return None
        if any(w.endswith(("ed", "ing")) and is_safe_word(w) and not is_rare_word(w) for w in lows):
            return None  # "it's expired", "pending": what happened, no payer
        if any(is_listed_name(" ".join(lows[i:k])) for i in range(len(lows)) for k in range(i + 1, len(lows) + 1)):
            return None  # "the medicaid plan", "tricare west out here", "a veteran so tricare": a listed name heard right
        if any(w.endswith("ly") and is_safe_word(w) and not is_rare_word(w) for w in lows):
            return None  # "he has anxiety really bad": an adverb says how, inside a clause, never inside a name
        # the plan word right after is the name's ("<heard> health plan"); then its state or product after Whisper's
        # comma ("<heard>, prime"), as for a carrier the lexicon found
        end_at = phrase[-1].end()
        plan = _HEARD_PLAN_WORD.match(text, end_at, end)
        if plan:
            end_at = plan.end()
        return phrase[0].start(), lexicon.run_on_over_comma(text, phrase[0].start(), end_at)
    return None


def _payer_name_ok(lows: list[str]) -> bool:
    """Whether the words after a payer frame can be a payer's name: no function, generic or clinical word opens or
    ends them, and they are no number, state, pronoun phrase or everyday participle."""
    if not lows or len(lows) > 4:
        return False
    if lows[0] in _NOT_A_PAYER_FIRST or lows[-1] in _NOT_A_PAYER or lows[0] in vertical._GENERIC_PLACE:
        return False
    if any(w.endswith(("ed", "ing")) and is_safe_word(w) and not is_rare_word(w) for w in lows):
        return False  # "he got hired", "it's expired", "i got nothing pending": what happened, no payer
    if " ".join(lows) in US_STATE_NAMES:
        return False
    return not any(
        w in FUNCTION_WORDS or w in vertical.NAME_STOP_WORDS or w in clinical_words() or not w.replace("-", "").isalpha()
        for w in lows
    )


RECOGNIZERS: tuple[Recognizer, ...] = (
    NameSlot(), DateSlot(), PlaceSlot(), HouseNumberSlot(), GreetingName(), Nickname(), TreatmentHistorySlot(),
    LivingStatementClauses(), PayerSlot(),
)


def find(text: str) -> list[Span]:
    return run_all(RECOGNIZERS, text)
