"""Given-name and surname lists with ambiguity classes, as PhysioNet deid keeps them.

The lists are the US given names (SSA baby-name data) and surnames (Census) that ``faker`` ships in its ``en`` and
``en_US`` person providers (MIT licence; already a runtime dependency for the residual scan), about 7,500 given names
and 1,400 surnames. A name's ambiguity class says how much evidence it needs before it is masked:

- ``unambiguous``: no English word ("kayla", "dequan", "holloway"): a name wherever it stands, in any case;
- ``weak``: an English word, but a rare one (wordfreq Zipf frequency under 4.0: "brandy", "troy", "rusty", "dale"):
  a name next to other name evidence (an adjacent name, a relation word, a title);
- ``strong``: a common English word ("hope", "will", "grace", "bill", "june", "crystal"): a name only with that
  evidence and never alone.

Wordfreq counts a word's uses as a name too, so its frequency only grades words the SCOWL dictionary already lists
in lower case (an English word); it never turns a name into a word.
"""

from __future__ import annotations

import functools
import re

from cipher_pipeline.deid.recognizer import Recognizer, run_all
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import AGENT_PATTERN, ANY_SHORT_LABEL_PATTERN
from cipher_pipeline.deid.words import (
    FUNCTION_WORDS, US_STATE_NAMES, casing_style, clinical_words, country_names, is_safe_word, near_clinical_word,
    DETERMINER_BEFORE_WEAK_SUBJECT, kin_pattern, kin_tokens,
)

LAYER = "names"
_POSSESSIVE_END = re.compile(r"(?:'s|’s)$")


def _without_possessive(word: str) -> str:
    """The word without a trailing possessive "'s" ("brandy's" -> "brandy"), its case kept."""
    return _POSSESSIVE_END.sub("", word)


_COMMON_ZIPF = 4.0

# given names that are also street names of drugs callers use ("tina" is crystal meth, "molly" MDMA, "charlie" and
# "henry" cocaine and an eighth): names only with evidence, so the drug survives for Tier 3
_DRUG_SLANG_NAMES = frozenset({"tina", "molly", "charlie", "lucy", "henry", "mary", "jane", "molly's", "kitty", "tina's"})


def drug_slang_name(low: str) -> bool:
    """Whether the lower-case word is a given name held back as a drug's street name ("lucy", "molly", "tina")."""
    return low in _DRUG_SLANG_NAMES


MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    from faker.providers.person.en import Provider as En
    from faker.providers.person.en_US import Provider as EnUS

    return frozenset(n.lower() for n in (*En.first_names, *EnUS.first_names) if n.isalpha() and len(n) > 1)


@functools.lru_cache(maxsize=1)
def _common_us_given_names() -> frozenset[str]:
    """Given names people are actually called: the ~690 most common US ones (faker ``en_US``, SSA-weighted) and those
    SCOWL also lists as proper nouns ("Rusty", "Wade"); not the long tail's "infant", "unnamed" or "colon"."""
    from faker.providers.person.en_US import Provider as EnUS

    from cipher_pipeline.deid.words import proper_nouns

    return frozenset(n.lower() for n in EnUS.first_names if n.isalpha()) | (first_names() & proper_nouns())


@functools.lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    from faker.providers.person.en import Provider as En
    from faker.providers.person.en_US import Provider as EnUS

    return frozenset(n.lower() for n in (*En.last_names, *EnUS.last_names) if n.isalpha() and len(n) > 1)


def ambiguity(word: str) -> str | None:
    """``"unambiguous"``, ``"weak"`` or ``"strong"`` for a word on the name lists; ``None`` for any other word."""
    return _classes().get(word.lower())


@functools.lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Every listed name's class, computed once (wordfreq's tables load here, at engine start, not in a document)."""
    from wordfreq import zipf_frequency

    classes = {}
    state_words = {w for state in US_STATE_NAMES for w in state.split()}  # "carolina", "dakota", "jersey"
    for low in first_names() | surnames():
        if low in state_words or low in _DRUG_SLANG_NAMES:
            classes[low] = "strong"
        elif low in FUNCTION_WORDS or low in US_STATE_NAMES or low in MONTHS_AND_DAYS or low in clinical_words() or (
            not is_safe_word(low) and near_clinical_word(low)
        ):  # a drug as speech recognition spells it is no name without a cue
            classes[low] = "strong"
        elif low in country_names():
            classes[low] = "strong"
        elif not is_safe_word(low):
            classes[low] = "unambiguous"
        else:
            classes[low] = "strong" if zipf_frequency(low, "en") >= _COMMON_ZIPF else "weak"
    return classes


_WORD = re.compile(r"(?<![\w'’-])([A-Za-z][a-z'’-]*|[A-Z][A-Za-z'’-]*)(?![\w-])")


class NameListRecognizer(Recognizer):
    """An unambiguous given name or surname is a name anywhere, lower case included ("talked to kayla")."""

    name = "name_list"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        shouting = casing_style(text) == "upper"  # in all-caps text capitals say nothing ("BEA TURA AWARE")
        for m in _WORD.finditer(text):
            word = m.group(1)
            if word.isupper() and len(word) > 1 and not shouting:
                continue  # acronyms ("ALI", "DEA") are not names in cased text
            bare = _without_possessive(word)
            if len(bare) > 2 and ambiguity(bare) == "unambiguous":
                spans.append(Span(m.start(1), m.start(1) + len(bare), self.category, LAYER, None, self.name))
        return spans


# what a person does in a caller's story, right after the person's name: "so brandy called me", "rusty said"
_PERSON_VERB = re.compile(
    r"\s+(?:called|calls|calling|said|says|told|tells|texted|came|comes|went|goes|got|gets|has|had|was|is|does|did|started"
    r"|stopped|left|keeps|kept|needs|needed|wants|wanted|drinks|drank|uses|used|relapsed|overdosed|ran|lives|lived|works"
    r"|worked|knows|knew|thinks|thought|tried|asked|won't|can't|doesn't|didn't|isn't|wasn't|hasn't|would|will|could)\b",
    re.I,
)


def person_verb_after(text: str, end: int) -> bool:
    """What a person does, said right after ``end``: "brandy called", "crystal keeps", "molly won't"."""
    return _PERSON_VERB.match(text, end) is not None


# what a speaker says to the person spoken to right before that person's name, in the same breath: a greeting, thanks,
# an apology or an acknowledgement ("hi mercy", "thank you summer", "sorry about that summer", "okay crystal check your
# email"); the raw style writes no comma after it
_GREETED_BEFORE = re.compile(
    r"(?<![\w'’-])(?:hi|hey|hello|thanks|thank\s+you(?:\s+so\s+much)?|bye|goodbye|sorry(?:\s+about\s+that)?"
    r"|good\s+(?:morning|afternoon|evening)|you're\s+welcome)[ \t]*,?[ \t]+$",
    re.I,
)
_ACKNOWLEDGED_BEFORE = re.compile(r"(?<![\w'’-])(?:okay|ok|alright|all\s+right|got\s+it|no\s+problem|perfect)[ \t]*,?[ \t]+$", re.I)
# what after such a word makes it the word's own phrase, not a name said to someone: "thanks will do", "hi hope you're
# well", "okay mark it down", "okay crystal is the worst"
_OWN_PHRASE_AFTER = re.compile(
    r"[ \t]+(?:do|does|did|be|is|was|are|were|has|have|had|you|you're|your|it|it's|its|that|that's|this|these|those|so|i|i'm"
    r"|we|they|he|she|me|him|her|us|them|to|the|a|an|and|or|of|for|not|down|up|out|off|on|in)(?![\w'’-])",
    re.I,
)


def addressed(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` is said to the person it names: right after a greeting, thanks or an apology
    ("hi mercy", "thank you summer", "sorry about that summer let me look you up"), or after an acknowledgement when
    it is no very common word ("okay crystal check your email"; "okay will do" is the word), and never running on as
    the word's own phrase ("thanks will do", "hi hope you're well"). The raw style of speech recognition marks a
    vocative with no comma, so the words around it are the evidence."""
    if _OWN_PHRASE_AFTER.match(text, end):
        return False
    before = text[max(0, start - 24) : start]
    if _GREETED_BEFORE.search(before):
        return True
    return _ACKNOWLEDGED_BEFORE.search(before) is not None and not very_common(text[start:end].lower())


class WeakNameSubjectRecognizer(Recognizer):
    """A given name that is only a rare English word ("weak": "brandy", "rusty", "troy") as the subject of what a person
    does ("so brandy called me last night"). Common words ("hope", "will", "grace") never qualify here."""

    name = "weak_name_subject"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _WORD.finditer(text):
            word = m.group(1)
            low = word.lower()
            if low not in _common_us_given_names() or ambiguity(low) != "weak" or low in _NOT_LEADING:
                continue
            before = text[max(0, m.start(1) - 12) : m.start(1)]
            if DETERMINER_BEFORE_WEAK_SUBJECT.search(before):
                continue  # "cheap brandy was", "the holly was": a thing, not a person
            if _PERSON_VERB.match(text, m.end(1)):
                spans.append(Span(m.start(1), m.end(1), self.category, LAYER, None, self.name))
        return spans


# the people a caller names by who they are to someone: "my cousin tee-boy said", "my hr lady deb said", "his sponsor
# rusty called"; the word between the person noun and what the person does is that person's name or nickname
_PERSON_NOUNS = (
    kin_pattern()  # relatives in every compound form: "my sister in law deb said", "my step dad ray called"
    + r"|boyfriend|girlfriend|partner|fiance|fiancee|friend|buddy|bestie|roommate|neighbor"
    r"|sponsor|boss|supervisor|manager|coworker|co-worker|landlord|caseworker|counselor|lady|guy|man|woman|girl|dude"
)
_APPOSITIVE = re.compile(
    rf"(?<![\w'’-])(?:my|his|her|our|their|your)\s+(?:[a-z]+\s+)?(?:{_PERSON_NOUNS})\s+(?:(?:um|uh),?\s+)?"
    r"([A-Za-z][a-z'’]*(?:-[a-z'’]+)?)(?![\w'’-])",
    re.I,
)


class AppositiveNameRecognizer(Recognizer):
    """A listed given name of any class, or a word no dictionary knows, after a person noun and before what the
    person does: "my cousin tee-boy said", "my hr lady deb said" (never "my friend just said")."""

    name = "appositive_name"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _APPOSITIVE.finditer(text):
            word = m.group(1)
            low = word.lower()
            if low in FUNCTION_WORDS or low in _NOT_LEADING or low in MONTHS_AND_DAYS or not _PERSON_VERB.match(text, m.end(1)):
                continue
            listed = low in first_names()
            # a nickname of two words joined ("tee-boy", "t-bone") is no dictionary word, whatever its parts are
            unknown = ("-" in low or not is_safe_word(low)) and not near_clinical_word(low) and low not in clinical_words()
            if listed or unknown:
                spans.append(Span(m.start(1), m.end(1), self.category, LAYER, None, self.name))
        return spans


@functools.lru_cache(maxsize=65536)
def very_common(low: str) -> bool:
    """A word among English's most frequent (wordfreq Zipf >= 5.0: "will", "hope", "may"), asked once per word."""
    from wordfreq import zipf_frequency  # heavy optional import; its tables load once, at engine start (``_classes``)

    return zipf_frequency(low, "en") >= _VERY_COMMON_ZIPF


def _given_name_word(low: str) -> bool:
    """A listed given name of any class that is no function word, relation, calendar word, drug or very common
    word ("will", "hope", "may" stay: they are said as words far more often)."""
    return (
        low in first_names() and low not in FUNCTION_WORDS and low not in _NOT_LEADING and low not in MONTHS_AND_DAYS
        and low not in _DRUG_SLANG_NAMES and low not in clinical_words() and low not in US_STATE_NAMES
        and not very_common(low)
    )


# a caller introducing someone by given name and surname, the surname an everyday word: "this is lorraine pack, i'm the
# coordinator", "my name is carla bird.", "his name's dale street and"; the pause or the clause after the two words
# says the second is the surname, not the sentence going on ("this is tammy again", "it's brandy speaking")
_INTRODUCED = re.compile(
    r"(?<![\w'’-])(?:this\s+is|my\s+name\s+is|my\s+name's|(?:his|her|their|the)\s+name\s+is|(?:his|her)\s+name's|"
    r"name's|i'm|i\s+am|it's)\s+(?:(?:um|uh),?\s+)?([a-z][a-z'’-]{1,30})\s+([a-z][a-z'’-]{1,30})"
    r"(?=\s*[,.;?!\n]|\s*$|\s+(?:i'm|i\s+am|from|with|at|calling|over\s+at|here\s+at|and\s+i|i\s+work|i\s+was)\b)",
    re.I,
)
_NOT_SURNAME = kin_tokens() | frozenset(
    """again here there speaking calling too also now today tonight yesterday tomorrow back home again actually
    honestly really though anyway please thanks sorry okay ok yeah yes no right now again either still just only
    nurse again""".split()
)


def _word_surname(low: str) -> bool:
    """Whether a lower-case word said after a given name may be its surname: no function word, adverb, filler, relation,
    calendar word, drug or state ("this is tammy again", "i'm gus. gus here")."""
    return not (
        len(low) < 2 or low in FUNCTION_WORDS or low in _NOT_SURNAME or low in MONTHS_AND_DAYS or low.endswith("ly")
        or low in clinical_words() or low in US_STATE_NAMES
    )


def _listed_given(low: str) -> bool:
    """A listed given name of any class that is no function word, relation word, title or calendar word."""
    return low in first_names() and low not in FUNCTION_WORDS and low not in _NOT_LEADING and low not in MONTHS_AND_DAYS


class IntroducedSurnameRecognizer(Recognizer):
    """The second word of a given name and surname said in an introduction, where the surname is an everyday word
    the surname lists and the model leave ("pack", "street", "bird"): "this is lorraine pack, i'm ..."."""

    name = "introduced_surname"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _INTRODUCED.finditer(text):
            first, second = m.group(1).lower(), m.group(2).lower()
            if not _given_name_word(first) or first in _classes() and ambiguity(first) == "strong":
                continue  # "it's grace actually": only a given name that is rarely a word opens an introduction
            if not _word_surname(second) or second.endswith(("'s", "’s")):
                continue
            spans.append(Span(m.start(1), m.end(2), self.category, LAYER, None, self.name))
        return spans


# A caller saying a given name, then saying it again with the surname: "i'm gus. gus pike. i'm a junior", "this is
# reva, reva stone", "my name's abe abe lark", or the answer to "what's your name" opening a turn ("cal. cal van
# horn."). The repetition is the evidence: the second word after the repeated given name is the surname whatever word
# it is ("pike", "stone", "lark"), and the first mention is the name even where it is a drug's ("crystal") or a
# common word. Only at a name's place (an introduction or a turn's start), and only where the clause ends after the
# surname, so "i'm sorry. sorry i'm late" (no given name) and "i'm will. will you call" (a function word) stay.
_TURN_OR_INTRO = (
    r"(?:^[ \t]*(?:" + ANY_SHORT_LABEL_PATTERN + r")[ \t]*:[ \t]*|^[ \t]*"
    r"|(?<![\w'’-])(?:this\s+is|my\s+name\s+is|my\s+name's|my\s+name’s|name's|name’s|i'm|i’m|i\s+am|it's|it’s)\s+)"
)
_REPEATED_NAME = re.compile(
    _TURN_OR_INTRO + r"(?:(?:um|uh|hey|hi|yeah|yes|so)[ \t]*[.,]?[ \t]+)*"
    r"(?P<given>[A-Za-z][a-z'’-]+)[ \t]*[.,]?[ \t]+(?P<again>(?P=given))"
    r"(?P<surname>(?:[ \t]+(?:van|von|de|del|della|la|le|mc|st\.?))?[ \t]+(?P<last>[A-Za-z][a-z'’-]+))"
    r"(?=[ \t]*[,.;?!]|[ \t]*$|[ \t]+(?:i'm|i’m|i|my|he's|she's|he|she|we|and|from|with|at|calling|here)(?![\w'’-]))",
    re.I | re.M,
)


class RepeatedNameRecognizer(Recognizer):
    """A given name said and then said again with its surname at an introduction or a turn's start: "i'm gus. gus pike."
    (both mentions and the surname, whatever words they are); never a word that is no given name said twice."""

    name = "repeated_name"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _REPEATED_NAME.finditer(text):
            given, last = m.group("given").lower(), m.group("last").lower()
            if not _listed_given(given) or not _word_surname(last):
                continue
            spans.append(Span(m.start("given"), m.end("given"), self.category, LAYER, None, self.name))
            spans.append(Span(m.start("again"), m.end("surname"), self.category, LAYER, None, self.name))
        return spans


# The agent answering the line and saying who answers: "admissions this is <x>", "thanks for calling, intake, <x>
# speaking". The opening is a name's place whatever word the name is: a drug's street name ("molly"), a virtue's
# ("mercy"), a colour's ("heather"), which the cue readers hold back elsewhere. Only a listed given name or a word no
# dictionary knows, so "admissions this is the main line" and "admissions, this is tough" stay.
_AGENT_ANSWERS = re.compile(
    r"^[ \t]*(?:" + AGENT_PATTERN + r")[ \t]*:[ \t]*(?:[^\n]{0,60}?(?<![\w'’-]))?(?:admissions|intake)[ \t]*[,.]?[ \t]+"
    r"(?:(?:this\s+is|it's|it’s|my\s+name\s+is|you've\s+got|you’ve\s+got)[ \t]+(?P<named>[A-Za-z][a-z'’-]+)(?![\w'’-])"
    r"|(?P<speaking>[A-Za-z][a-z'’-]+)[ \t]+speaking(?![\w'’-]))",
    re.I | re.M,
)


class AgentAnswersRecognizer(Recognizer):
    """The agent's name in the answer of the line: "admissions this is mercy", "admissions heather speaking"."""

    name = "agent_answers"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _AGENT_ANSWERS.finditer(text):
            group = "named" if m.group("named") else "speaking"
            low = m.group(group).lower()
            if low in FUNCTION_WORDS or low in MONTHS_AND_DAYS or not (low in first_names() or not is_safe_word(low)):
                continue
            spans.append(Span(m.start(group), m.end(group), self.category, LAYER, None, self.name))
        return spans


# A parent naming the children: by the school grade a child is in ("<x>'s in second grade", "my oldest, <x>, he's in
# kindergarten") or in the count of the children ("i got two kids, <x> and <y>"). The grade or the count is the
# evidence a given name that is a word needs ("mason", "hunter", "colt"); "summer's in full swing", "two kids, young
# and old" and "mine's in third grade" stay (no grade, no given name, or not every word a given name).
_GRADE = (
    r"(?:(?:the[ \t]+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))"
    r"[ \t]+grade|kindergarten|pre-?k|preschool|pre-school|daycare|day[ \t]+care|head[ \t]+start)(?![\w'’-])"
)
_CHILD_IN_GRADE = re.compile(
    r"(?<![\w'’-])(?P<child>[A-Za-z][a-z'’-]+?)(?:'s|’s|[ \t]+is|[ \t]*,[ \t]*(?:he's|she's|he’s|she’s|he[ \t]+is|she[ \t]+is))"
    r"[ \t]+(?:in|at|starting|starts|started)[ \t]+" + _GRADE,
    re.I,
)
_CHILDREN_COUNTED = re.compile(
    r"(?<![\w'’-])(?:two|three|four|five|six|\d)[ \t]+(?:kids|boys|girls|sons|daughters|children|grandkids|little[ \t]+ones)"
    r"[ \t]*[,:]?[ \t]+(?P<children>[A-Za-z][a-z'’-]+(?:[ \t]*,[ \t]*[A-Za-z][a-z'’-]+)*[ \t]*,?[ \t]+and[ \t]+[A-Za-z][a-z'’-]+)",
    re.I,
)


def _child_name(low: str) -> bool:
    return _listed_given(low) and low not in clinical_words() and low not in US_STATE_NAMES


class ChildrenRecognizer(Recognizer):
    """A child named by school grade or in the count of the children: "<x>'s in second grade", "two kids, <x> and <y>"."""

    name = "children_named"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans = []
        for m in _CHILD_IN_GRADE.finditer(text):
            if _child_name(m.group("child").lower()) and not DETERMINER_BEFORE_WEAK_SUBJECT.search(text[max(0, m.start() - 12) : m.start()]):
                spans.append(Span(m.start("child"), m.end("child"), self.category, LAYER, None, self.name))
        for m in _CHILDREN_COUNTED.finditer(text):
            words = list(re.finditer(r"[A-Za-z][a-z'’-]+", m.group("children")))
            named = [w for w in words if w.group().lower() != "and"]
            if named and all(_child_name(w.group().lower()) for w in named):
                base = m.start("children")
                spans += [Span(base + w.start(), base + w.end(), self.category, LAYER, None, self.name) for w in named]
        return spans


# A frame in which whatever word follows is said as a name, the caller's or someone's, because the sentence is about
# what the person is called: a name disowned or corrected ("my name's not actually <x>", "his name isn't <x>", "i told
# you <x> but it's really <y>"), a real or legal name ("my legal name is <x>"), what a person goes by ("he goes by
# <x>") and what everyone calls them ("everybody calls him <x>", "we call her sissy"). The frame is the evidence even
# a common word needs ("brig", "peanut", "junior"), and it holds for the whole call (``framed_words``:
# ``ner.propagate_names`` carries such a name to every mention, in any case).
_FRAME_FILLER = r"(?:(?:um|uh|like|well|even|actually|really|just|,)\s*)*"
_NAME_FRAMES = (
    # disowned: "my name's not <x>", "my name is not actually <x>", "her name isn't <x>", "name ain't <x>"
    r"(?:my|his|her|their|your|the)\s+(?:real\s+|legal\s+|actual\s+|first\s+|last\s+|full\s+)?name"
    r"(?:(?:'s|’s|\s+is|\s+was)\s+not|\s+(?:isn't|isn’t|ain't|ain’t|aint|wasn't|wasn’t))\s+",
    # a real, legal or birth name: "my legal name is <x>", "his real name's <x>"
    r"(?:my|his|her|their|your)\s+(?:real|legal|actual|given|birth|full\s+legal)\s+name(?:'s|’s|\s+is|\s+was)\s+",
    # corrected: "i told you <x>", "i said <x>" (before a "but"), "it's really <y>", "it's actually <y>"
    r"(?<![\w'’-])i\s+(?:told\s+you|said|gave\s+you)\s+(?=[a-z'’-]+(?:\s+[a-z'’-]+)?\s*,?\s+but\b)",
    r"(?:but|,|\.)\s+(?:it's|it’s|it\s+is|my\s+name's|my\s+name\s+is)\s+(?:really|actually)\s+",
    # "it ain't <x>. it's <y>", "that's not <x>, it's <y>"
    r"(?<![\w'’-])(?:it|that)(?:\s+(?:ain't|ain’t|isn't|isn’t|is\s+not)|(?:'s|’s)\s+not)\s+"
    r"(?=[a-z'’-]+(?:\s+[a-z'’-]+)?\s*[,.]?\s+(?:it's|it’s|it\s+is)\s)",
    # what a person goes by: "he goes by <x>", "i go by <x> now", "she went by <x> in school"
    r"(?<![\w'’-])(?:i|he|she|they|we|who|everyone|everybody|mostly|usually|just|also|now|and)\s+"
    r"(?:go|goes|went)\s+by\s+(?:the\s+name\s+(?:of\s+)?)?",
    # what everyone calls a person: "everybody calls him <x>", "people call me <x>", "we call her <x>"
    r"(?<![\w'’-])(?:everybody|everyone|people|folks|y'all|we|they|friends|(?:the|his|her|my|our)\s+(?:family|friends|"
    r"kids|boys|girls|guys|crew))\s+(?:all\s+|just\s+|always\s+|still\s+|used\s+to\s+)?(?:call|calls|called|calling)"
    r"\s+(?:me|him|her|them)\s+",
    # what everyone knows a person as (session 22, who22): "everybody knows me as <x>", "he's known as <x>"
    r"(?<![\w'’-])(?:(?:everybody|everyone|people|folks|y'all|we|they|friends|(?:the|his|her|my|our)\s+(?:family|friends|"
    r"kids|boys|girls|guys|crew))\s+(?:all\s+|just\s+|still\s+)?(?:know|knows|knew)\s+(?:me|him|her|them)"
    r"|(?:i'm|i’m|i\s+am|he's|he’s|she's|she’s|he\s+is|she\s+is|i\s+was|he\s+was|she\s+was)\s+(?:also\s+|better\s+|mostly\s+)?known)"
    r"\s+as\s+",
)
_NAME_WORDS = r"([A-Za-z][A-Za-z'’-]{0,24})(?=(?:\s+([A-Za-z][A-Za-z'’-]{0,24}))?)"  # the second word only looked at
# the first five frames are sentences about a name: the word in them is a name where it is one by its look (a listed
# name, a word no dictionary knows, a capital: "my name's not important" stays); after the last two, which say what a
# person is called, any word is ("brig", "peanut", "sissy") but the few ordinary speech puts there (``_NOT_FRAMED``)
_NAME_FRAME = re.compile(r"(?:" + "|".join(_NAME_FRAMES[:5]) + r")" + _FRAME_FILLER + _NAME_WORDS, re.I)
_CALLED_FRAMES = r"(?:" + "|".join(_NAME_FRAMES[5:]) + r")"  # what a person goes by or is called
_CALLED_FRAME = re.compile(_CALLED_FRAMES + _FRAME_FILLER + _NAME_WORDS, re.I)
# a disowning said after the name: "that's not my real name", "nobody calls me that": the names said just before it
NAME_DISOWNED_AFTER = re.compile(
    r"(?:not|n't|n’t)\s+(?:even\s+|really\s+|actually\s+)?my\s+(?:real\s+|legal\s+|actual\s+)?name\b"
    r"|\bnobody\s+(?:calls|call)\s+(?:me|him|her)\s+that\b",
    re.I,
)
# what follows such a frame without being a name: "i go by bus", "goes by the house", "call him crazy", "not even sure"
_NOT_FRAMED = frozenset(
    """bus car train foot bike plane cab uber taxi boat fast quick quickly slow slowly so too there here then now
    soon every each day days week weeks month year years time way road street house place anyone anybody someone
    that's either neither whatever crazy stupid dumb lazy selfish weird names liar junkie addict drunk
    loser worthless useless sure certain sorry ready right wrong sick tired clean sober bad good fine okay ok
    home back later tomorrow tonight today yesterday out up over down off in on at to from with about for
    baby babe honey sweetie buddy bro dude man sir ma'am miss mister nothing something anything everything that this those these it them what who once twice again
    anytime collect aside away around ahead along apart together forward forth through across into onto upon after
    before behind past under toward towards""".split()
) | kin_tokens()  # "call him dad": a relative (words.KIN) is no name the frame gives


_GOES_BY = re.compile(r"\b(?:go|goes|went)\s+by\s", re.I)
# what a name someone goes by ends on: the clause ("he goes by chip now", "she went by lulu in school, but ...")
_AFTER_GOES_BY = re.compile(
    r"\s*(?:[,.;:?!]|$)|\s+(?:now|these\s+days|mostly|usually|anymore|too|though|and|but|since|cause|because|so|in\s+school"
    r"|at\s+work|here|there|around|with|instead|i|he|she|they|we|his|her|my|um|uh)\b",
    re.I,
)


def _framed_word(word: str) -> bool:
    low = _without_possessive(word.lower())
    return not (
        len(low) < 2 or low in FUNCTION_WORDS or low in _NOT_FRAMED or low in MONTHS_AND_DAYS or low in clinical_words()
        or low in US_STATE_NAMES or low.endswith("ly")
    )


def _looks_like_a_name(word: str) -> bool:
    low = _without_possessive(word.lower())
    return low in first_names() or low in surnames() or not is_safe_word(low) or word[0].isupper()


def name_frames(text: str) -> list[tuple[int, int]]:
    """The name said in each name frame of ``text``: its first word, and a second when that one is a name too (a listed
    name, a word no dictionary knows, or a capital: "my name's not actually john smith", "it ain't bobby jones")."""
    found = []
    matches = [(m, False) for m in _NAME_FRAME.finditer(text)] + [(m, True) for m in _CALLED_FRAME.finditer(text)]
    for m, called in matches:
        first = m.group(1)
        if not _framed_word(first) or not called and not _looks_like_a_name(first):
            continue
        end = m.start(1) + len(_without_possessive(first))
        second = m.group(2)
        if second and _framed_word(second) and not first.endswith(("'s", "’s")) and (
            _looks_like_a_name(second) and (second[0].islower() or first[0].isupper())
            # a surname that is a word, closing the clause after a given name: "her name isn't gwen bolt, ..."
            or first.lower() in first_names() and re.match(r"\s*(?:[,.;?!]|$)", text[m.start(2) + len(second) :]) is not None
        ):
            end = m.start(2) + len(_without_possessive(second))
        if called and _GOES_BY.search(text, m.start(), m.start(1)) and not _AFTER_GOES_BY.match(text, end):
            continue  # "we go by walmart on the way": a place passed, not a name gone by
        found.append((m.start(1), end))
    return sorted(found)


# A nickname said beside the legal name (session 22, who22): quoted between the given name and the surname ('Leonard
# "Tiny" Baptiste'), or said first in an introduction and corrected to the full name ("i'm tiny. well, leonard
# baptiste."). The full name vouches for the nickname; the word before the correction must be a listed given name or
# a word English rarely uses (Zipf < 4: "i'm sorry. well, ...", "i'm worried. well, ..." stay), and the full name a
# listed given name with a surname, closing its clause or before another clause about a person ("and he's ...").
_QUOTED_NICKNAME = re.compile(
    r"(?<![\w'’-])(?P<given>[A-Za-z][a-z'’-]{1,24})[ \t]+[\"“](?P<nick>[A-Za-z][A-Za-z'’-]{0,24}(?:[ \t]+[A-Za-z][A-Za-z'’-]{0,24})?)"
    r"[\"”][ \t]+(?P<surname>[A-Za-z][a-z'’-]{1,24})(?![\w'’-])"
)
_NICKNAME_CORRECTED = re.compile(
    r"(?<![\w'’-])(?:i'm|i’m|i\s+am|this\s+is|he's|he’s|she's|she’s)[ \t]+(?P<nick>[A-Za-z][A-Za-z'’-]{1,24})[ \t]*[.,]?[ \t]+"
    r"(?:well|or|i\s+mean|actually|officially)[ \t]*,?[ \t]+(?P<given>[A-Za-z][a-z'’-]{1,24})[ \t]+(?P<surname>[A-Za-z][a-z'’-]{1,24})"
    r"(?=[ \t]*(?:[.,;?!\n]|$)|[ \t]+and[ \t]+(?:he|he's|she|she's|this|that|my|his|her)(?![\w'’-]))",
    re.I,
)


def _nickname_word(low: str) -> bool:
    """A listed given name, or a word English uses less than a weak name's bound (Zipf < 4: "rowdy", "peanut"; never
    "worried", "nervous", "fine")."""
    from wordfreq import zipf_frequency  # tables loaded at engine start (``_classes``)

    return _framed_word(low) and (low in first_names() or zipf_frequency(low, "en") < _COMMON_ZIPF)


def nicknames(text: str) -> list[tuple[int, int]]:
    """Each nickname ``text`` says beside a legal name, quoted inside it or corrected to it."""
    found = []
    for m in _QUOTED_NICKNAME.finditer(text):
        given, surname = m.group("given").lower(), m.group("surname").lower()
        if _listed_given(given) and (surname in surnames() or not is_safe_word(surname)):
            found.append((m.start("nick"), m.end("nick")))
    for m in _NICKNAME_CORRECTED.finditer(text):
        nick, given, surname = (m.group(g).lower() for g in ("nick", "given", "surname"))
        if nick != given and _nickname_word(nick) and _listed_given(given) and _word_surname(surname):
            found.append((m.start("nick"), m.end("nick")))
    return found


def framed_words(text: str) -> set[str]:
    """Every word said in a name frame of ``text``, lower case: a name wherever the call says it again."""
    return {w.lower() for start, end in name_frames(text) + nicknames(text) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text[start:end])}


# Initials a person goes by or is called by, after the same frames: "he goes by j.t.", "she goes by k c", "everybody
# called me double d". Two letters at least, or "double" and a letter, then the clause's end or another word: "goes by
# a lot of names" is no name ("lot" is a word, not a letter).
_CALLED_INITIALS = re.compile(
    _CALLED_FRAMES + _FRAME_FILLER
    + r"(?P<initials>double[ \t]+[A-Za-z](?:\.|(?![\w'’-]))|[A-Za-z]\.?(?:[ \t]*[A-Za-z]\.){1,3}|[A-Za-z](?:[ \t]+[A-Za-z]){1,3}(?![\w'’-]))",
    re.I,
)


def called_initials(text: str) -> list[tuple[int, int]]:
    """Each name a person goes by or is called by that is said as initials, and every other mention of those same
    initials in the call ("what's going on with j t"): the frame is the evidence for the whole call, as for a word."""
    found = []
    for m in _CALLED_INITIALS.finditer(text):
        letters = re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", m.group("initials"))
        doubled = m.group("initials").lower().startswith("double")
        if not letters or _GOES_BY.search(text, m.start(), m.start("initials")) and not (
            _AFTER_GOES_BY.match(text, m.end("initials")) or re.match(r"[ \t]*(?:\n|$)", text[m.end("initials") :])
        ):
            continue  # "we go by a b c order": an order gone by, not a name
        again = (r"(?<![\w'’-])double[ \t]+" + letters[0] if doubled
                 else r"(?<![\w'’-])" + r"\.?[ \t]*".join(letters)) + r"(?:\.|(?![\w'’-]))"
        found += [(a.start(), a.end()) for a in re.finditer(again, text, re.I)]
    return found


class NameFrameRecognizer(Recognizer):
    """A word said in a name frame, whatever word it is: "my name's not actually john smith", "i told you mike but it's
    really lane", "he goes by junior", "everybody calls her sissy", or initials ("he goes by j t", "they called me
    double d"), and a nickname beside the legal name ('leonard "tiny" baptiste', "i'm tiny. well, leonard baptiste.");
    never what ordinary speech puts there ("i go by bus", "they call him crazy", "my name's not important",
    "he goes by a lot of names")."""

    name = "name_frame"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        found = name_frames(text) + called_initials(text) + nicknames(text)
        return [Span(start, end, self.category, LAYER, None, self.name) for start, end in found]


RECOGNIZERS: tuple[Recognizer, ...] = (
    NameListRecognizer(), WeakNameSubjectRecognizer(), AppositiveNameRecognizer(),
    IntroducedSurnameRecognizer(),  # "this is lorraine pack, i'm ..."
    RepeatedNameRecognizer(),  # "i'm gus. gus pike. i'm a junior"
    AgentAnswersRecognizer(),  # "admissions this is mercy", "admissions heather speaking"
    ChildrenRecognizer(),  # "<x>'s in second grade", "two kids, <x> and <y>"
    NameFrameRecognizer(),  # "my name's not actually john smith", "everybody calls him peanut"
)


def find(text: str) -> list[Span]:
    return run_all(RECOGNIZERS, text)


# words that stand before a name without being one ("my son jesse", "judge pappas", "coach reed")
_NOT_LEADING = kin_tokens("kid", "child", plural=True) | frozenset(
    """boyfriend girlfriend partner friend baby sponsor boss coworker neighbor roommate judge
    officer coach nurse doctor pastor sergeant deputy detective counselor therapist lawyer attorney sir miss ma'am
    mister dear hi hey hello bye thanks""".split()
)
_VERY_COMMON_ZIPF = 5.0


def _can_join(word: str, names: frozenset[str]) -> bool:
    """A listed name that may join the name beside it: not a relation word or title, not a very common word
    ("will", "hope", "young"), but "mike", "dale", "brandy", "jones" are."""
    low = word.lower()
    if low not in names or low in FUNCTION_WORDS or low in MONTHS_AND_DAYS or low in _NOT_LEADING:
        return False
    if ambiguity(low) != "strong":
        return True
    return not very_common(low)


_ADJACENT_BEFORE = re.compile(r"(?<![\w'’-])([A-Za-z][a-z'’-]*)\s+$")
_ADJACENT_AFTER = re.compile(r"^\s+([A-Za-z][a-z'’-]*)(?![\w'’-])")


def adjacent_names(text: str, spans: list[Span]) -> list[Span]:
    """Grow a found name over an adjacent listed name: "mike [jones]", "[brandy] tillman".

    A given name of any class right before a masked name, or a surname of any class right after one, is part of
    that name (an adjacent name is the evidence an ambiguous name needs). Function words never join."""
    out = list(spans)
    for span in spans:
        if span.category != "NAME":
            continue
        before = _ADJACENT_BEFORE.search(text[max(0, span.start - 30) : span.start])
        if before:
            word = before.group(1)
            low = word.lower()
            if _can_join(word, first_names()) and "\n" not in before.group():
                start = span.start - len(before.group())
                out.append(Span(start, span.end, "NAME", span.layer, None, span.recognizer))
        after = _ADJACENT_AFTER.match(text[span.end : span.end + 30])
        if after:
            low = after.group(1).lower()
            last_word = re.findall(r"[A-Za-z'’-]+", text[span.start : span.end])[-1:]
            first_ok = bool(last_word) and last_word[0].lower() in first_names()
            if first_ok and _can_join(low, surnames()):
                out.append(Span(span.start, span.end + after.end(), "NAME", span.layer, None, span.recognizer))
    return out
