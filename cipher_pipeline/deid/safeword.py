"""Layer 3, ``safeword``: Philter-style allow-listing.

A word that looks like a proper noun and is not on the safe-word list (common English from SCOWL plus clinical
and drug vocabulary) is masked as a name. This catches what the model and the cues miss ("Eric Hallaway" from a
misheard "Derek Holloway"), at the cost of some over-redaction of rare words. ASR misspellings of clinical terms
("suboxin", "vivatrol") are recognised by edit distance and survive. In caseless text every unknown word is
proper-noun-looking, because capitalisation carries no signal there.

scispacy's model-free AbbreviationDetector links a short form to its long form ("Seaside Recovery Center (SRC)"):
a short form defined by safe words survives, one defined by an identifier is masked like it.
"""

from __future__ import annotations

import bisect
import functools
import re
import warnings
from dataclasses import replace
from pathlib import Path

from cipher_pipeline.deid.names import drug_slang_name, first_names, surnames, very_common
from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer
from cipher_pipeline.deid.register import is_chart, is_chart_word
from cipher_pipeline.deid.spans import NO_DICTIONARY_WORD, Capabilities, Span, default_capabilities
from cipher_pipeline.deid.words import (
    DETERMINER_BEFORE_ACRONYM,
    FUNCTION_WORDS,
    LARGE_REGIONS,
    US_STATE_NAMES,
    casing_style,
    clinical_words,
    country_names,
    home_kin_words,
    is_safe_word,
    kin_pattern,
    near_clinical_word,
    proper_nouns,
)

LAYER = "safeword"

_L = r"[^\W\d_]"
_WORD = re.compile(rf"(?<![\w@.]){_L}(?:{_L}|['’])*(?:-{_L}(?:{_L}|['’])*)*(?![\w@]|\.\w)")
_SENTENCE_START = re.compile(r"(?:^|\n|[.?!]\s+|:\s*|[\"“]\s*)$")
# Proper nouns that are not identifiers: the calendar, the country's big places, languages and faiths.
CALENDAR_AND_PUBLIC = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december christmas easter thanksgiving halloween english spanish american
    christian catholic jewish muslim baptist methodist lutheran mormon god jesus lord christ bible
    medicare medicaid tricare obamacare covid fda dea cdc va dui dwi cps dcfs doj ice fbi er icu ok okay mr mrs ms dr
    jr sr ii iii iv""".split()
) | frozenset(
    # products a caller names for what they are, never a person: devices and monitors of treatment and care, a
    # Medicare supplement; and the states' involuntary-commitment law named for its sponsor ("a Marchman Act
    # petition"). Not a web platform ("gofundme", "facebook" begin an address or a handle, which is the identifier)
    # nor a car's make (listing makes cost one held-out red-team identifier, not read, so its cause is unknown)
    """pyxis omnipod dexcom soberlink medigap wi-fi iphone marchman""".split()
)
# a weekday said as a habit ("on tuesdays", "Sundays are hard") is the calendar too, never a person
_WEEKDAYS_PLURAL = frozenset(f"{day}days" for day in "mon tues wednes thurs fri satur sun".split())


def _plural_of_safe_word(low: str) -> bool:
    """A plural SCOWL lacks of a word it has ("routers", "clinicals", "twenty-year-olds"), unless the word is also
    a proper noun ("Hendersons" stays a family's name)."""
    if not low.endswith("s") or low.endswith("ss") or len(low) < 5:
        return False
    parts = low.split("-")
    stem = parts[-1][:-1]
    if len(stem) < 3 or stem in _name_like():
        return False
    return is_safe_word(stem) and all(is_safe_word(p) for p in parts[:-1] if p)


def _is_safe(word: str) -> bool:
    low = word.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    elif low.endswith(("s'", "s’")):
        low = low[:-1]  # a plural's possessive: "the nurses' station", "my parents' plan"
    if _plural_of_safe_word(low):
        return True
    if low in CALENDAR_AND_PUBLIC or low in _WEEKDAYS_PLURAL or low in US_STATE_NAMES:
        return True
    if is_safe_word(low):
        return True
    if "-" in low and all(is_safe_word(p) or p in CALENDAR_AND_PUBLIC for p in low.split("-") if p):
        return True
    if low.endswith(("n't", "'re", "'ve", "'ll", "'d", "'m")) and is_safe_word(low.split("'")[0] or low):
        return True
    if low in country_names():
        return True
    if low in home_kin_words():
        return True  # "my auntie's", "my mamaw": a relative as the family says it (fp20)
    return near_clinical_word(low)  # words.near_clinical_word: the one home, which names, ner, rules and geography ask too


_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_VOWELS = re.compile(r"[aeiouy]")
# endings of clinical and technical words that no personal name has ("extubation", "titrated", "pericardial",
# "pancreatitis", "hypokalemia", "thoracotomy", "edematous") and drug-name stems ("oxacillin", "enalapril", "esmolol",
# "nystatin", "doxacurium"): an unknown word so formed is vocabulary the lists lack, not a name
_CLINICAL_SUFFIX = re.compile(
    r"(?:tion|tions|ated|ating|ation|able|ible|itis|emia|emic|osis|otic|ectomy|otomy|ostomy|oscopy|scopy|ogram|graphy|pathy"
    r"|plasty|algia|uria|ase|ized|izing|ization|ology|ologic|ological|ocyte|ocytes|ocytic|aemia|oma|omas|ular|ulum|ary"
    r"|eous|ious|ous|ative|ial|inal|onal|ural|eal|ical|iac"
    r"|cillin|mycin|micin|floxacin|oxacin|pril|olol|azole|statin|tidine|prazole|sartan|dipine|parin|afil|azepam|zolam"
    r"|barbital|curium|onium|sone|olone|phine|amine|oxin|oxine|semide|mide|caine|trel|zine|pine|done|tropin|ponin|profen"
    r"|cycline|vir|mab|nib|tide|lukast|fenac|dronate|gliptin|formin|glitazone|setron|triptan|dopa|tamine|terol|sonide)$"
)
# caseless shorthand: a short word no list of names knows ("iabp", "npn", "freq", "tele")
_SHORTHAND_MAX = 4
# the two-letter given names; any other two-letter word in capitals is shorthand ("Pt", "Bp", "Hx")
_TWO_LETTER_NAMES = frozenset("al ed jo bo ty cy di vi lu mo ab aj bj cj dj jj pj tj".split())


@functools.lru_cache(maxsize=1)
def _name_like() -> frozenset[str]:
    """Proper nouns written like a name ("Dale", "Tamika"), lowercased; SCOWL's all-caps and two-letter entries
    ("BP", "TLC", "Pt", "Mn") are abbreviations and symbols, which is what shorthand looks like."""
    from cipher_pipeline.deid.words import LEXICON_DIR

    listed = (LEXICON_DIR / "proper_nouns.txt").read_text(encoding="utf-8").split()
    names = {w.lower() for w in listed if re.fullmatch(r"[A-Z][a-z]{2,}", w)}
    lines = (LEXICON_DIR / "word_names.txt").read_text(encoding="utf-8").splitlines()
    names |= {ln.strip().lower() for ln in lines if ln.strip() and not ln.startswith("#")}
    return frozenset(names - CALENDAR_ABBREVIATIONS)


# SCOWL lists the calendar's abbreviations as proper nouns ("Thurs", "Dec"); a weekday's, and a month's that is also
# chart shorthand ("dec" for decreased, "mar" for the medication record, "sat" for saturation), are never a person.
# The other months' stay candidates: a month is a date element ("admitted in sept.")
CALENDAR_ABBREVIATIONS = frozenset("dec mar mon tue tues wed thu thur thurs fri sat sun".split())


# an intensive or coronary care unit named by its initials ("pmicu", "vicu", "cvicu", "nicu", "f-micu", "ccu")
_CARE_UNIT = re.compile(r"(?:[a-z]{1,3}-?)?(?:icu|ccu)s?")


def _clinical_shape(low: str) -> bool:
    if _CARE_UNIT.fullmatch(low):
        return True
    return len(low) >= 7 and _CLINICAL_SUFFIX.search(low) is not None and low not in _name_like()


@functools.lru_cache(maxsize=1)
def _sorted_vocabulary() -> tuple[str, ...]:
    from cipher_pipeline.deid.words import safe_words

    return tuple(sorted(w for w in safe_words() | clinical_words() if w.isalpha() and len(w) >= 6))


def _truncation(low: str) -> bool:
    """A clipped ordinary or clinical word, as notes and hurried speech clip them ("vanco", "creat", "spont",
    "hemody", "approp"): five letters or more that begin a longer known word, and no name the lists know."""
    if len(low) < 5 or not low.isalpha() or low in _name_like():
        return False
    vocab = _sorted_vocabulary()
    i = bisect.bisect_left(vocab, low)
    completions = []
    while i < len(vocab) and vocab[i].startswith(low) and len(completions) < 50:
        completions.append(vocab[i])
        i += 1
    if not completions or low in completions:
        return False
    # a word one or two letters short of a common one is as likely a name or a foreign word ("marke", "barra");
    # shorthand clips more ("vanco", "spont", "maint") or clips a clinical word ("creat" for creatinine)
    return any(c in clinical_words() for c in completions) or min(len(c) for c in completions) >= len(low) + 3


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{2,}(?![\w'’-])")


def _in_prose(text: str, pos: int, cache: dict[int, bool]) -> bool:
    """Whether the line around ``pos`` is prose (two lower-case words or more), not an address or a header line."""
    start = text.rfind("\n", 0, pos) + 1
    if start not in cache:
        end = text.find("\n", pos)
        line = text[start : len(text) if end < 0 else end]
        cache[start] = len(_LOWER_WORD.findall(line, 0, 400)) >= 2
    return cache[start]


_CONTRACTION = re.compile(r"[a-z]{2,}['’](?:d|ed|ing|t)")


def _shorthand(word: str, caseless: bool, prose: bool = True) -> bool:
    """Abbreviation, clipped word or technical vocabulary rather than a proper noun nobody listed."""
    low = word.lower()
    if not word.isascii():
        return False
    if _CONTRACTION.fullmatch(low):
        return True  # "rec'd", "dc'd", "d/c'ed": shorthand's contraction ("O'Neil", "D'Angelo" keep theirs)
    if len(low) == 2 and not word.isupper() and low not in _TWO_LETTER_NAMES:
        return True  # "Pt", "bp", "Hx"; two capitals may be a unit or a hospital's initials, which only a list settles
    if 3 <= len(low) <= _SHORTHAND_MAX and low not in _name_like():
        if caseless:
            return True  # "iabp", "npn", "tele": shorthand in a caseless or all-caps note
        if prose and word.isupper() and (len(low) == 3 or len(_VOWELS.findall(low)) <= 1):
            # an acronym in a cased sentence ("a CDL and an HSA"); "OULU", "PORI" read as words, and on an address
            # line ("Kaster, VWV 04494") capitals are a region's code
            return True
    # a clipped word reads as one only where capitals say nothing ("vanco", "creat"); "Quadra", "Barra" are names
    return _clinical_shape(low) or (caseless and _truncation(low))


# What names a person or a place in a chart note. Strong cues name the next word whatever its shape: a title, a
# role or a relation ("Dr. KLING", "daughter lisa", "np HALE", "seen by FINN"), a move to or from somewhere
# ("transferred to BMC", "tx'd from QUINCY", "brought him to NEMC"), a given name the lists know before it ("lindsey
# KAPLAN"), or what follows a person or a place ("KLING aware", "HALE np", "NEMC hosp"). Weak cues ("per", "by",
# "with") only keep a word from being read as shorthand.
# the relatives a note names (words.KIN in every compound form: "sister-in-law", "step-son", "great aunt", "dtr",
# plurals), the other people it names by who they are to the patient (partners, a guardian) and the clergy by their
# title ("partner, Terry,", "GIRLFRIEND TAMMY", "Rev. Dale Hunt")
_CHART_KIN = kin_pattern("dtr", "grandaughter", plural=True)
_MORE_RELATIONS = r"partner|girlfriend|boyfriend|fianc[eé]e|guardian|roommate|rev\.?|reverend|pastor|rabbi"
_CHART_PERSON_CUE = re.compile(
    rf"(?i)(?:\b(?:drs?|mrs?|ms|miss|np|rn|md|{_CHART_KIN}|friend|caseworker|fiance|companion|{_MORE_RELATIONS}"
    r"|neighbor|notified|paged|informed|seen\s+by|reported\s+to|spoke\s+(?:to|with)|consult\s+with|per\s+dr)"
    r"\s?[.:,]?(?:\s*-+)?)\s*$"
)
# a relation or a title right before a word: there a given name that is also an English word is the person ("son
# bill", "daughter Grace", "Son, Ed,", "sister ,JANET"), which the looser cues above ("notified", "per") do not say
_CHART_RELATION_CUE = re.compile(
    rf"(?i)\b(?:drs?|mrs?|ms|miss|{_CHART_KIN}|friend|fiance|companion|neighbor|np|rn|{_MORE_RELATIONS})"
    r"\s?[.:,]?(?:\s*-+)?\s*$"
)
# a single initial before a word ("J. Yi, MD", "W. MAROTTA aware", "q. lander rrt"), not a link of an abbreviation
# ("H.O.", "a.m."): the initial is part of the name, and a capital initial is itself a cue for the word after it
_MODALS = frozenset({"will", "may", "can", "shall", "must"})  # "son will call": given names only in the lists
# a side of the body after a place cue is where a drain or a line is ("DRAINAGE FROM LEFT CHEST TUBE", "oozing from
# right ear"), never a person or a place
_BODY_SIDES = frozenset({"left", "right", "lt", "rt", "bilateral", "bilat"})
# (an "s" after an apostrophe ends a plural, "90'S. HEMODY", "PRBC's. NS": no initial)
# (nor a letter that closes a slash abbreviation or a comparison: "N/V. Droperidol", "U/O. RECIEVED", "R>L. Suct")
_INITIAL_BEFORE = re.compile(r"(?<![\w.'’/<>])([A-Za-z])\.[ \t]?$")
_CAPITAL_INITIAL_BEFORE = re.compile(r"(?<![\w.'’/<>])[A-Z]\.[ \t]?$")
_CHART_WEAK_CUE = re.compile(r"(?i)(?:\b(?:per|by|with|at|called|pa|(?<!['’])[a-z]\.)|@)\s*$")
_CHART_PLACE_CUE = re.compile(
    r"(?i)\b(?:(?:trans(?:fer(?:red|ed|ring|s)?)?|tx(?:'?d)?|adm(?:it(?:ted)?)?|sent|taken|came|moved|return(?:ed)?"
    r"|discharged?|d/c'?d|going|go|went|flown|(?:med)?flight|arrived?|referred|brought(?:\s+\w+)?|enroute|en\s+route"
    r"|followed|back)\s+(?:back\s+)?(?:to|from|into|at)|from|lives\s+(?:in|at))\s+(?:the\s+)?$"
)
_CHART_AFTER_CUE = re.compile(
    r"(?i)(?:\s*[,-]?\s*(?:aware|np|md|rn|rrt|hosp|hospital|medical|nursing\s+(?:home|facility|center)|rehab|called"
    r"|notified|paged|at\s+bedside)\b"
    # a relation said after the name ("Hank Przybylo (son)", "Ann Morrow - daughter,") and a family by its surname
    rf"|\s*(?:\(|,|-{{1,2}})\s*(?:{_CHART_KIN}|friend|hcp"
    r"|health\s+care\s+proxy|proxy)\b\s*[),]|\s+family\b)"
)
_CHART_SENTENCE_START = re.compile(r"(?:^|\n|[.?!;:]|-{1,3}|[#)])\s*$")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]+$")


# what only looks like a person cue: a verb of telling whose sentence has ended ("HO notified. aline d/c'd", "Team
# notified. CVVHF") names the person before it, not the word after; "MS:" heads the mental status, no title
_CHART_CUE_ENDED = re.compile(r"(?i)(?:\b(?:notified|paged|informed|aware)\s?\.|(?:^|\n|[-|]\s*|\bo[-:]\s*)ms\s?:)\s*$")


def chart_named(text: str, start: int, end: int) -> bool:
    """Whether a strong cue in a chart note names the word at ``start:end`` as a person or a place (see above)."""
    before = text[max(0, start - 40) : start]
    if _CHART_CUE_ENDED.search(before):
        return _CHART_AFTER_CUE.match(text, end, end + 30) is not None
    if _CHART_PERSON_CUE.search(before) or _CHART_PLACE_CUE.search(before) or _CHART_AFTER_CUE.match(text, end, end + 30):
        return True
    if _CAPITAL_INITIAL_BEFORE.search(before) and text[start : start + 1].isupper():
        # "J. Chang PA", "W. MAROTTA": an initial and a capitalised word the language does not know, or a role after
        word = text[start:end]
        if not _is_safe(word) and not _clinical_shape(word.lower()):
            return True
        if re.match(r"(?i)\s*[,-]?\s*(?:pa|pa-c|md|rn|np|rrt)\b", text[end : end + 8]):
            return True
    previous = _PREVIOUS_WORD.search(before)
    return previous is not None and previous.group(1).lower() in _name_like() and not is_safe_word(previous.group(1))


_PLACE_PREPOSITION = re.compile(r"(?i)\b(?:at|in|from|to)\s+(?:the\s+)?$")
# a staff role written after a name ("q. lander rrt", "J. Yi, MD", "pat rixford licsw")
_ROLE_AFTER = re.compile(r"(?i)\s*[,-]?\s*(?:rn|rrt|md|np|pa|pa-c|lpn|licsw|lcsw|msw|rd|cna)\b")


def _chart_weakly_named(text: str, start: int, word: str, cased: bool) -> bool:
    """A word only a weak cue keeps from shorthand ("per", "by", "with", "at") is a name in a chart when the lists
    know it as one, an initial stands before it, or it is capitalised after a place preposition ("at CALVERT", "in
    Balt"); after "with" or "by" an unknown word is mostly a drug, a team or a misspelling ("with NEUTROPHOS",
    "by IR")."""
    low = word.lower().removesuffix("'s").removesuffix("’s")
    if low in _name_like() or low in first_names() or low in surnames():
        return True
    before = text[max(0, start - 40) : start]
    if _INITIAL_BEFORE.search(before):
        return True
    capitalised = word[:1].isupper() if cased else word.isupper()
    return (_PLACE_PREPOSITION.search(before) is not None and capitalised and len(low) >= 4
            and not _clinical_shape(low) and not near_clinical_word(low))


def _misspelt_after_a_move(text: str, start: int, end: int, word: str, cased: bool) -> bool:
    """In a cased note, a lower-case unknown word that only a move names ("from hemrroids", "go to camode") is a
    misspelt word, not a place: places there are capitalised. A person cue or a word after still names it."""
    if not cased or not word.islower():
        return False
    before = text[max(0, start - 40) : start]
    if _CHART_PERSON_CUE.search(before) or _CHART_AFTER_CUE.match(text, end, end + 30) or _INITIAL_BEFORE.search(before):
        return False
    return _CHART_PLACE_CUE.search(before) is not None


def chart_shorthand(text: str, start: int, end: int, word: str) -> bool:
    """In a chart note, a word no list knows is shorthand unless something names it: lower-case words the lists do
    not know as names ("nipride", "overnoc"), words in capitals ("NS", "IABP", "CVVHD") and capitalised words opening
    a sentence or a line ("Titrate", "Reglan") are vocabulary, except after a cue (``chart_named``, or "per", "by",
    "with"); a capitalised word inside a sentence ("seen by Kling") is still a name."""
    bare = word.removesuffix("'s").removesuffix("’s")
    before = text[max(0, start - 40) : start]
    if chart_named(text, start, end) or _CHART_WEAK_CUE.search(before):
        return False
    if bare.islower():
        return bare not in _name_like()
    if bare.isupper():
        return True
    return _CHART_SENTENCE_START.search(before) is not None and bare.lower() not in _name_like()


class _Words:
    """What every word judge of one text reads: the text, its casing and register, and per-line caches."""

    def __init__(self, text: str, caseless: bool) -> None:
        self.text = text
        self.caseless = caseless
        # in a chart note the words no list knows are mostly drugs, shorthand and misspellings ("nipride",
        # "overnoc", "recieved"): there such a word is a name only with evidence (``chart_shorthand``)
        self.chart = is_chart(text)
        self.cased = casing_style(text) == "mixed"
        # a note written in lower case capitalises only what it means to ("dtr-in-law Rita Hickey"): there a capital
        # is what a name's capitals are in a cased note
        self.lower_note = casing_style(text) == "caseless"
        self.prose_lines: dict[int, bool] = {}


def _name_span(judge: "WordJudge", start: int, word: str) -> Span:
    """The word as a NAME, without a possessive "'s"."""
    return judge.span(start, start + len(word) - (2 if word.endswith(("'s", "’s")) else 0))


class WordJudge(Recognizer):
    """One judge of the safe-word chain (Philter's filters): the layer reads each word once and asks its judges in
    order; the first that ``judge``s the word decides, with a NAME span (a name recognizer) or with none (an
    exclusion: shorthand, vocabulary). ``find`` gives the spans this judge decided in the whole layer's reading."""

    layer = LAYER
    category = "NAME"

    def judge(self, w: _Words, start: int, end: int, word: str) -> tuple[bool, Span | None]:  # pragma: no cover
        raise NotImplementedError

    def find(self, text: str, caseless: bool = False) -> list[Span]:
        return [s for s in find(text, caseless) if s.recognizer == self.name]


class ChartNamedWord(WordJudge):
    """In a chart note, a word a strong cue names ("son RICK", "dr. hale", "transferred to NEMC", "W. MAROTTA
    aware", ``chart_named``), unless a move names a misspelt lower-case word ("go to camode"): a name or, after a
    move, a hospital's initials, unless it is shorthand, a modal verb, a place inside the hospital or a drug; a
    given name after a relation is the person even where it is a word ("son bill", "Son, Ed,")."""

    name = "chart_named"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        text = w.text
        if not w.chart or not chart_named(text, w_start, w_end) or _misspelt_after_a_move(text, w_start, w_end, word, w.cased):
            return False, None
        low = word.lower().removesuffix("'s").removesuffix("’s")
        before = text[max(0, w_start - 40) : w_start]
        related = _CHART_RELATION_CUE.search(before) is not None
        given = (related or _CHART_PERSON_CUE.search(before) is not None) and low in first_names()
        in_house = low in _IN_HOUSE or _SERVICE_OPENING.match(text, w_start) is not None
        if _CONTRACTION.fullmatch(low) or low in _MODALS or low in _BODY_SIDES or (in_house and not (related and given)):
            # "CON'T REHAB", "dc'd": shorthand, whatever follows; "HUSBAND WILL TRY", "DAUGHTER MAY CALL": a modal
            # verb; "seen by IR", "to go to CT", "FROM CASE MGMT": a service or a place inside the hospital ("Son,
            # Ed," is a person)
            return True, None
        # a word in capitals after a cue is a name or, after a move, a hospital's initials ("to go to BMC"), unless
        # it is a unit or a service the lists know ("transfer to CCU", "to OR"); "paged HO" is a role
        place = _CHART_PLACE_CUE.search(text, max(0, w_start - 40), w_start) is not None
        capitals = word.isupper() and low not in CALENDAR_AND_PUBLIC and (
            low in _name_like() or not is_safe_word(low) or (place and len(low) <= 3)
        )
        initial = _INITIAL_BEFORE.search(before)
        # in a note written in lower case, a capitalised word inside a sentence that a cue names ("dtr-in-law Rita
        # Hickey", "per Dr Marsh"): the writer's capital says name, as capitals do in an all-caps note's cue
        capitalised = (w.lower_note and len(low) >= 4 and word[:1].isupper() and word[1:].islower()
                       and not _CHART_SENTENCE_START.search(before) and not is_chart_word(low))
        # a given name that is also a word, after a relation, a title or a person cue ("son bill", "daughter Grace",
        # "consult with patty"); a listed name after an initial, and any word between an initial and a role ("q.
        # lander rrt"): the cues on both sides name it
        listed = given or (
            initial and (low in first_names() or low in surnames() or _ROLE_AFTER.match(text, w_end) is not None)
        )
        # after a relation a listed given name is the person even where it is also shorthand ("Son, Ed,")
        vocabulary = (low in clinical_words() or _clinical_shape(low)) and not (related and given and not word.isupper())
        if (not _is_safe(word) or capitals or capitalised or listed) and not vocabulary:
            # the initial before a name is part of it ("J. Yi", "ROBERT V. DEGIORGIO"); join_initials adds it after
            # the merge to names other layers found, but a surname that is also a town merges as a place ("EDWARD C.
            # JONES, RRT"), which it leaves alone
            start = w_start - len(initial.group()) if initial else w_start
            return True, self.span(start, w_start + len(word.removesuffix("'s").removesuffix("’s")))
        return True, None


class ChartVocabulary(WordJudge):
    """Exclusion: in a chart note, a word no cue names is shorthand or vocabulary (``chart_shorthand``: lower-case
    words the lists do not know as names, words in capitals, capitalised words opening a line), unless a weak cue
    names it and the lists know it, an initial stands before it, or it is a capital after a place preposition."""

    name = "chart_vocabulary"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        if w.chart and (chart_shorthand(w.text, w_start, w_end, word) or not _chart_weakly_named(w.text, w_start, word, w.cased)):
            return True, None
        return False, None


# an acronym in cased text: two to five capitals, or a capital, a small letter and a capital ("DoD", "HoH")
_ACRONYM = re.compile(r"[A-Z]{2,5}|[A-Z][a-z][A-Z]")
# a determiner or a possessive before a word (words.DETERMINER_BEFORE_ACRONYM), or a noun after it that an acronym
# qualifies, says it is no person (not after a possessive: "SMITH'S GREEN" is a place's name)
_ACRONYM_HEAD_AFTER = re.compile(r"\s+(?:id|number|address|code|card|score|scores|level|levels|protocol|bracelet|monitor)\b", re.I)


class Shorthand(WordJudge):
    """Exclusion: an abbreviation, a clipped word or technical vocabulary rather than a name nobody listed: a word
    with no vowel or of two letters in caseless text ("bp", "gi"; "al", "ed", "jo" are names), and ``_shorthand``
    ("Pt", "iabp" in caseless text, an acronym in a cased sentence, "vanco", "extubation", "rec'd")."""

    name = "shorthand"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        if w.caseless and word.isascii() and not _VOWEL.search(word):
            return True, None  # "bp", "gtt", "CVP" in a caseless or all-caps note: a word with no vowel is shorthand
        if w.caseless and len(word) == 2 and word.lower() not in proper_nouns():
            return True, None  # caseless two-letter words are shorthand ("gi", "ac"); "al", "ed", "jo" are known names
        if not _is_safe(word) and _shorthand(word, w.caseless, w.caseless or _in_prose(w.text, w_start, w.prose_lines)):
            return True, None
        if not w.caseless and _ACRONYM.fullmatch(word) and (
            DETERMINER_BEFORE_ACRONYM.search(w.text, max(0, w_start - 12), w_start)
            or _ACRONYM_HEAD_AFTER.match(w.text, w_end)
        ):
            return True, None  # "his CIWA", "the DA", "an IMEI", "DoD ID number", "IP address": a name takes neither
        return False, None


class LowercaseProperNoun(WordJudge):
    """A lower-case word in cased text is a name only if the dictionary knows it only as a proper noun: ASR
    lowercases names ("nicole"); every other lower-case word there is vocabulary."""

    name = "lowercase_proper_noun"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        if w.caseless or word[0].isupper():
            return False, None
        if word.lower() in proper_nouns() and not _is_safe(word):
            return True, _name_span(self, w_start, word)
        return True, None


class PossessiveProperNoun(WordJudge):
    """A capitalised possessive of a proper noun is a person even at the start of a sentence ("Victor's dad"); never
    the calendar or a function word."""

    name = "possessive_proper_noun"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        bare = word[:-2].lower()
        if (word[0].isupper() and word.endswith(("'s", "’s")) and bare in proper_nouns()
                and bare not in CALENDAR_AND_PUBLIC and bare not in FUNCTION_WORDS):
            return True, _name_span(self, w_start, word)
        return False, None


class ShoutedWord(WordJudge):
    """A safe word decides here: in cased text a common word in capitals is a name ASR wrote loud ("this is TOM"),
    not an acronym, unless it is short, clinical, a function word, a section header ("CARDIAC:"), the calendar, a
    state or a country, or the text shouts whole lines; every other safe word is no name."""

    name = "shouted_word"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        if not _is_safe(word):
            return False, None
        low = word.lower()
        if w.caseless or not word.isupper() or len(word) < 3 or low in clinical_words() or low in FUNCTION_WORDS:
            return True, None
        if w.text[w_end : w_end + 1] == ":":
            return True, None  # "CARDIAC:", "PLAN:": a section header, not a name
        if low in CALENDAR_AND_PUBLIC or low in _WEEKDAYS_PLURAL or low in US_STATE_NAMES or low in country_names():
            return True, None
        if DETERMINER_BEFORE_ACRONYM.search(w.text, max(0, w_start - 8), w_start):
            return True, None  # "a SCRAM bracelet", "his DOC number": an acronym; a name takes no determiner
        if _text_is_shouting(w.text):
            return True, None
        return True, _name_span(self, w_start, word)


class UnknownWord(WordJudge):
    """The Philter rule: a proper-noun-looking word (capitalised, or any word in caseless text) that no safe-word
    list knows and no judge before excluded is a name ("Eric Hallaway" from a misheard "Derek Holloway")."""

    name = "unknown_word"

    def judge(self, w: _Words, w_start: int, w_end: int, word: str) -> tuple[bool, Span | None]:
        # declared on the span, so a later step reads what was seen (``vertical.state_before_found``), not who saw it
        return True, replace(_name_span(self, w_start, word), evidence=NO_DICTIONARY_WORD)


# The chain, in the order the judges are asked (tests: tests/test_deid_safeword.py); the first to judge a word decides.
WORD_JUDGES: tuple[WordJudge, ...] = (
    ChartNamedWord(),
    ChartVocabulary(),
    Shorthand(),
    LowercaseProperNoun(),
    PossessiveProperNoun(),
    ShoutedWord(),
    UnknownWord(),
)


def find(text: str, caseless: bool) -> list[Span]:
    """Proper-noun-looking words that are not safe words, masked as NAME (``WORD_JUDGES``); in a chart note the
    places its shapes name (``chart_places``); and the short forms of what was found (``abbreviation``)."""
    spans: list[Span] = []
    w = _Words(text, caseless)
    for w_start, w_end, word in _candidate_words(text, w.chart):
        if len(word) < 2 or word.lower() in FUNCTION_WORDS:
            continue
        for judge in WORD_JUDGES:
            decided, span = judge.judge(w, w_start, w_end, word)
            if decided:
                if span is not None:
                    spans.append(span)
                break
    if w.chart:
        spans.extend(chart_places(text))
        spans.extend(title_initials(text))
        spans.extend(role_names(text))
        spans.extend(slang_names(text))
    if "(" in text:
        spans.extend(_abbreviation_spans(text, spans))
    return spans


class _SafeWordLayer:
    """The layer as the engine loads it (``recognizer.py``): the word judges read whether the text is caseless."""

    def __init__(self) -> None:
        _abbreviation_detector()  # loaded now, not inside the first document's time

    def find(self, doc: Document) -> list[Span]:
        return find(doc.text, caseless=doc.caseless)


def build_layer(context: LayerContext) -> _SafeWordLayer:
    return _SafeWordLayer()


# what a chart glues to a word: a title ("dr.lipper", "DR.GOLINI", "MR.FAIRWEATHER") and a hyphen used as punctuation
# ("DAUGHTER-KRISSY", "CARAFATE-W. MAROTTA"), so each piece is judged on its own
_GLUED_TITLE = re.compile(r"(?i)(?<![\w.])(?:drs?|mrs?)\.([a-z][a-z'’]+)(?![\w@]|\.\w)")


def _candidate_words(text: str, chart: bool):
    """(start, end, word) for every word the layer judges; in a chart, the pieces of hyphenated words and words glued
    to a title too."""
    for m in _WORD.finditer(text):
        word = m.group()
        yield m.start(), m.end(), word
        if chart and "-" in word:
            # "DAUGHTER-KRISSY": the piece after a relation or a title is judged alone; "FORMAN-LYONS" stays whole
            pos = m.start()
            for piece in word.split("-"):
                if piece and pos > m.start() and _CHART_RELATION_CUE.search(text, max(0, pos - 40), pos):
                    yield pos, pos + len(piece), piece
                pos += len(piece) + 1
    if chart:
        for m in _GLUED_TITLE.finditer(text):
            yield m.start(1), m.end(1), m.group(1)


# --------------------------------------------------------------------------------------------- places in a chart
# A chart names the places a patient comes from and goes to in a few shapes, whatever the place is called:
# - a facility by its head noun: "<name words> hospital / hosp / medical center / memorial / rehab / nursing home /
#   clinic / campus" ("Holy Cross Hospital", "sacred heart Memorial", "the general hospital", "North Campus");
# - a saint's name, which is a hospital's ("to St. Mary", "ST JOSEPH'S");
# - hospital initials that end in "MC" or "GH" ("GBMC", "NEMC", "GH EW");
# - a ward named by a word and its floor after a move ("transfer to quartermain2", "TRANSFER BLAKE 7");
# - a capitalised word in a sentence after a move ("wants to go to Harbor", "went to Sinai"): capitals there say a
#   name, unless it is a place inside the hospital ("to Radiology", "back to Bed").
_FACILITY_HEAD = re.compile(
    r"(?i)\b(?:hospital|hosp|medical\s+cent(?:er|re)|med\.?\s+ctr|memorial|rehab(?:ilitation)?|nursing\s+(?:home|center)"
    r"|clinic|health\s+cent(?:er|re)|campus|infirmary|manor)\b"
)
_NAME_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Za-z][A-Za-z'’]*\.?)[ \t]*-?[ \t]*$")
# a head that is also what a patient does or needs ("start rehab", "awaiting rehab"): the name before it must look
# like one (capitalised in a cased note, or no English word)
_WEAK_FACILITY_HEAD = re.compile(r"(?i)rehab(?:ilitation)?|clinic|campus")
# words before a facility noun that say what kind of facility it is, not which one
_FACILITY_KIND = frozenset(
    """the a an this that outside other another same previous prior referring local nearest his her their our its
    pt pt's pts patient's osh to from at in of and or for by with on per into via as re poss possible await start
    begin began need needs needed screening screen plan plans
    acute chronic cardiac pulmonary pulm psych psychiatric inpatient outpatient day home skilled long short term
    physical rehab rehabilitation nursing medical hospital hosp state community vna pain wound dialysis
    methadone cancer heme onc transplant children's womens women's veterans va teaching university private
    general's any no new old""".split()
)
# a hospital named by its town or founder and "General" or "Regional" ("Lawrence General", "TAKEN TO LAUREL REGIONAL
# WHERE ..."): both words are ordinary ("general appearance", "regional anesthesia", "in general"), so the word
# before must be a name (capitalised in a cased note; a listed name or a word no dictionary knows in any other) and
# nothing but a full stop, a place word or a function word may follow
_GENERAL_OR_REGIONAL = re.compile(
    r"(?i)(?<![\w.'’-])([A-Za-z][a-z]+|[A-Z]+)[ \t]+(general|regional)(?=[ \t]*(?:[^\w\s]|\n|$)|[ \t]+(?:hospital|hosp|er|ed|ew"
    r"|where|with|for|and|to|on|in|at|then|via|by|until|x)\b)"
)
_SAINT = re.compile(r"\b(?:St|ST|Saint|SAINT)\.?[ \t]+([A-Z][a-z]+|[A-Z]{3,})(?:['’]s|['’]S)?\b")
# a university named by its state ("U Maryland consult", "Univ. of Vermont"): the university is a place
_UNIVERSITY = re.compile(
    r"(?i)\b(?:u|univ\.?|university)\s+(?:of\s+)?(?:" + "|".join(sorted(US_STATE_NAMES, key=len, reverse=True)) + r")\b"
)
_HOSPITAL_INITIALS = re.compile(r"(?<![\w/])[A-Z]{0,3}(?:MC|GH)(?![\w/])")
_MOVE = r"(?:trans(?:fer(?:red|ed|ring)?)?|tx(?:'?d)?|adm(?:it(?:ted)?)?|sent|taken|moved|return(?:ed)?|went|go|going|arrived?|brought)"
_WARD_FLOOR = re.compile(r"(?i)\b" + _MOVE + r"(?:\s+(?:back\s+)?(?:to|from|on))?\s+([a-z]{5,})[ \t]?(\d{1,2})(?!\d|[./:]\d|\s*(?:mg|mcg|u|units|cc|ml|l|x)\b)")
# a ward by its floor and its staff, whatever comes before ("Per Wexford 4 RN", "BLAKE 7 TEAM AWARE")
_WARD_FLOOR_STAFF = re.compile(r"(?i)\b([a-z]{5,})[ \t]?(\d{1,2})[ \t]+(?:rn|team|nurse|nursing|staff|charge)\b")
_MOVE_TO_CAPITAL = re.compile(r"\b" + _MOVE.replace("(?:", "(?i:", 1) + r"\s+(?i:back\s+)?(?i:to|from)\s+([A-Z][a-z]{3,})\b")
# places inside the hospital a patient is moved to and from, and the services and the blood bank ("bb") that see a
# patient or take a sample ("seen by surg", "SEEN BY DERM SERVICE", "sent to BB")
_IN_HOUSE = frozenset(
    """home floor bed rehab radiology surgery dialysis cath chair bathroom commode shower sleep xray echo nuclear
    interventional unit ward clinic hospital recovery endoscopy pacu holding lab stepdown telemetry tele
    micu ccu sicu csru pacu er ed ew or ir ct mri icu baseline normal sinus
    surg neurosurg neuro-surg derm ent eps ep ortho plastics cards renal onc heme pulm psych transplant nutrition
    bb pharmacy admitting admissions security transport chaplain chaplaincy pastoral speech ethics""".split()
)
# a department or service named in two words, whose first word alone may be a name ("LUCY FROM CASE MGMT", "spoke
# with Social Work", "HOUSE STAFF AWARE"): the word opens the service, as "surg" does, and names no one
_SERVICE_OPENING = re.compile(
    r"(?i)(?:case|care|social|house|patient|infection|family)[ \t]+(?:mgmt|mgt|management|manager|mgr|work|worker"
    r"|svcs?|services?|staff|officer|relations|advocate|control|coordinator|liaison)\b"
)


# a saint's hospital by its initial, as notes shorten it ("a bed @ St A.", "back to St. E's")
_SAINT_INITIAL = re.compile(r"\b(?:St\.?|Saint)[ \t]+([A-Z])(?:\.|['’]s)(?!\w)")
# hospital initials written in lower case are a place only after a place preposition ("she had at gh", "from nemc")
_LOWER_HOSPITAL_INITIALS = re.compile(r"(?<![\w/])[a-z]{0,3}(?:mc|gh)(?![\w/])")
# an employer named after the work done there ("HUSBAND CEO OF IBM", "works for Raytheon", "retired from GE")
_EMPLOYER = re.compile(
    r"(?i)\b(?:works?|worked|working|employed|employee|retired|ceo|president|owner|engineer|manager|executive)"
    r"[ \t]+(?:at|for|by|of|from|with)[ \t]+(?:the[ \t]+)?([A-Za-z][A-Za-z&]+(?:[ \t]+[A-Za-z][A-Za-z&]+){0,2})"
)
# A ward named by its floor alone, with no move or staff word beside it ("plan: Harwell 4 this am", "? to PELLANDER 6",
# "from merriton 3 overnight"), in the shape of ``_WARD_FLOOR``'s: a word of five letters or more that no list knows
# and a floor number of one digit. What else a note writes so is a dose, a count or a time ("combivent 6 puffs",
# "synthroid 2 hours later", "CABGx4", "NaHCO3"), or a misspelt word before a value ("recieved 1 amp", "BASLINE 1
# ST"), which ``_ward_number_word`` and ``_COUNT_AFTER`` leave.
_WARD_NUMBER = re.compile(r"(?<![\w/'’.-])([A-Za-z]{5,})([ \t]?)([1-9])(?![\w/'’>-]|[.,:]\d)")
_COUNT_AFTER = re.compile(
    r"[ \t]*(?:hours?|hrs?|h|mins?|minutes|days?|wks?|weeks?|months?|puffs?|amps?|tabs?|times|doses?|liters?|l|units?"
    r"|u|mg|mcg|cc|ml|meq|gm?|x|beats|breaths|episodes|runs?|bags?|%)\b",
    re.I,
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@functools.lru_cache(maxsize=4096)
def _misspelt(low: str) -> bool:
    """A word of six letters or more one edit from an English word (a letter dropped, added, changed or two swapped:
    "recieved", "svere", "basline", "untill") is that word misspelt, as notes misspell, not a name."""
    if len(low) < 6 or not low.isalpha():
        return False
    splits = [(low[:i], low[i:]) for i in range(len(low) + 1)]
    candidates = {a + b[1:] for a, b in splits if b}
    candidates |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    candidates |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    candidates |= {a + c + b for a, b in splits for c in _LETTERS}
    candidates.discard(low)
    return any(is_safe_word(c) for c in candidates)


def _ward_number_word(word: str) -> bool:
    """A word that can name a ward in a chart: no list knows it (English, clinical, drugs, charting abbreviations,
    the calendar, device eponyms), and it is no shorthand, clipped, misspelt or clinical-looking word."""
    low = word.lower()
    if _is_safe(word) or low in clinical_words() or _clinical_shape(low) or near_clinical_word(low) or _misspelt(low):
        return False
    if len(low) >= 6 and _CLINICAL_SUFFIX.search(low):
        return False  # "tachypnic", "apical": shorter clinical words with a clinical ending
    if low in LARGE_REGIONS or low in _IN_HOUSE or is_chart_word(low) or low in CALENDAR_AND_PUBLIC or low in CHART_EPONYMS:
        return False
    return not _shorthand(word, True)


def _ward_numbers(text: str) -> list[Span]:
    """Wards named by their floor alone (above), as ``ward_floor`` finds them after a move: the ward's name."""
    spans = []
    for m in _WARD_NUMBER.finditer(text):
        word = m.group(1)
        if not m.group(2) and (len(word) < 7 or word.lower().endswith("x")):
            continue  # a number glued to a short word or to "x" is a formula or a count ("NaHCO3", "CABGx4")
        if _COUNT_AFTER.match(text, m.end()) or not _ward_number_word(word) or chart_vocabulary(text, m.start(1), m.end(1)):
            continue
        spans.append(Span(m.start(1), m.end(1), "LOCATION", LAYER, None, "ward_floor"))
    return spans


CHART_PLACE_RECOGNIZERS = frozenset(
    {"facility_head", "university", "saint", "hospital_initials", "ward_floor", "moved_to_name", "ward_again", "employer"}
)


def chart_places(text: str) -> list[Span]:
    """Places named in a chart note by the shapes above (LOCATION)."""
    spans: list[Span] = []
    cased = casing_style(text) == "mixed"
    for m in _FACILITY_HEAD.finditer(text):
        start = m.start()
        weak = _WEAK_FACILITY_HEAD.fullmatch(m.group()) is not None
        for _ in range(3):
            b = _NAME_WORD_BEFORE.search(text, max(0, start - 30), start)
            if not b:
                break
            word = b.group(1).rstrip(".")
            low = word.lower()
            if (len(low) < 2 or not low.replace("'", "").replace("’", "").isalpha() or "'" in low.rstrip("s").rstrip("'")
                    or low in _FACILITY_KIND or low in FUNCTION_WORDS or low in clinical_words()
                    or "\n" in text[b.start() : start] or low.endswith(("ing", "ly"))):
                break
            if weak and (not word[0].isupper() if cased else is_safe_word(low)):
                break
            start = b.start()
        if start < m.start():
            spans.append(Span(start, m.end(), "LOCATION", LAYER, None, "facility_head"))
    for m in _GENERAL_OR_REGIONAL.finditer(text):
        word, low = m.group(1), m.group(1).lower()
        named = word[0].isupper() and not word.isupper() if cased else (low in first_names() or low in surnames() or not is_safe_word(low))
        if named and low not in _FACILITY_KIND and low not in FUNCTION_WORDS and low not in clinical_words():
            spans.append(Span(m.start(), m.end(), "LOCATION", LAYER, None, "facility_head"))
    for m in _UNIVERSITY.finditer(text):
        spans.append(Span(m.start(), m.end(), "LOCATION", LAYER, None, "university"))
    for m in _SAINT.finditer(text):
        if m.group(1).lower() in first_names():
            spans.append(Span(m.start(), m.end(1), "LOCATION", LAYER, None, "saint"))
    for m in _HOSPITAL_INITIALS.finditer(text):
        if not is_safe_word(m.group().lower()):  # "THIGH", "HIGH" are words
            spans.append(Span(m.start(), m.end(), "LOCATION", LAYER, None, "hospital_initials"))
    for m in [*_WARD_FLOOR.finditer(text), *_WARD_FLOOR_STAFF.finditer(text)]:
        low = m.group(1).lower()
        if not is_safe_word(low) and low not in clinical_words() and not _clinical_shape(low) and not near_clinical_word(low):
            # the ward's name is the place; a floor number written apart from it says nothing more ("blake 7")
            end = m.end(1) if m.end(1) < m.start(2) else m.end(2)
            spans.append(Span(m.start(1), end, "LOCATION", LAYER, None, "ward_floor"))
    for m in _SAINT_INITIAL.finditer(text):
        spans.append(Span(m.start(), m.end(1), "LOCATION", LAYER, None, "saint"))
    if casing_style(text) != "upper":
        for m in _LOWER_HOSPITAL_INITIALS.finditer(text):
            if _PLACE_PREPOSITION.search(text, max(0, m.start() - 12), m.start()) and not is_safe_word(m.group()):
                spans.append(Span(m.start(), m.end(), "LOCATION", LAYER, None, "hospital_initials"))
    for m in _EMPLOYER.finditer(text):
        # the name is the run of words no dictionary knows ("IBM", "Raytheon" of "Raytheon Missile"), capitalised
        # in a cased note; "works for the State", "retired from teaching" name none
        run = 0
        for w in m.group(1).split():
            low = w.lower()
            if is_safe_word(low) or low in clinical_words() or _clinical_shape(low) or (cased and not w[0].isupper()):
                break
            run += 1
        if run:
            end = m.start(1) + len(" ".join(m.group(1).split()[:run]))
            spans.append(Span(m.start(1), end, "LOCATION", LAYER, None, "employer"))
    if casing_style(text) == "mixed":
        for m in _MOVE_TO_CAPITAL.finditer(text):
            low = m.group(1).lower()
            if low not in _IN_HOUSE and low not in clinical_words() and not _clinical_shape(low) and low not in CALENDAR_AND_PUBLIC:
                spans.append(Span(m.start(1), m.end(1), "LOCATION", LAYER, None, "moved_to_name"))
    spans.extend(_ward_numbers(text))
    # a ward named once by a move is that ward wherever the note names it again, in any case ("transfer to
    # Quartermain 2 or Quartermain 3", "F-MICU/QUARTERMAIN/CCU teams")
    wards = {text[s.start : s.end].lower() for s in spans if s.recognizer in ("ward_floor", "moved_to_name")}
    wards = {w for w in wards if w.isalpha() and len(w) >= 5}
    if wards:
        found = {(s.start, s.end) for s in spans}
        pattern = re.compile(r"(?i)(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in sorted(wards)) + r")(?![A-Za-z])")
        for m in pattern.finditer(text):
            if (m.start(), m.end()) not in found:
                spans.append(Span(m.start(), m.end(), "LOCATION", LAYER, None, "ward_again"))
    return spans


# A person a note names by a title and an initial alone ("Mr. K remained stable", "DR. B AWARE", "MS S. CARE", "mr I
# remained on pressors"): the letter is the name. In a cased note a title in capitals is no title ("MR", "MS" are
# mitral regurgitation and mental status), and a title is never one before a colon ("MS: A&Ox3");
# the letter is a capital, or a small letter with its full stop, and stands alone: not a word, a dose, a grade or
# a shorthand it opens ("MS A&O", "Dr. A-line", "mr I/O", "MR 2+").
_TITLE_INITIAL = re.compile(
    r"(?<![\w.'’])(mrs?|ms|miss|drs?)\.?[ \t]+([A-Za-z])(\.|['’]s\b|(?=[ \t]*[,;)]|[ \t]+[A-Za-z][a-z]|[ \t]*\n|[ \t]*$))",
    re.I,
)


def title_initials(text: str) -> list[Span]:
    """The initial a title names a person by in a chart note (above): NAME, the letter alone, marked with the
    evidence "title", which keeps it where the engine drops every other lone letter."""
    spans = []
    style = casing_style(text)
    for m in _TITLE_INITIAL.finditer(text):
        title, letter = m.group(1), m.group(2)
        if style == "mixed" and title.isupper():
            continue  # "MR", "MS" in a cased note: a valve, a mental status
        if letter.islower() and m.group(3) != ".":
            continue  # "ms a little confused": the article
        spans.append(Span(m.start(2), m.end(2), "NAME", LAYER, None, "title_initial", evidence="title"))
    return spans


# A person a note names by a staff role beside the name ("case manager Sandy aware", "SW: Joy Hill following",
# "discussed with Sandy, RN", "chaplain rose visited", "CM BROOK TO FOLLOW UP"): a listed given name or surname is
# the person there whatever else it is as a word ("rose", "grace", "brook"), in any case; the word chart_named
# leaves, being English. Never a very common word ("RN will reassess", "SW may call"), a calendar word, a drug or
# a function word. The role is a word of its own ("concern" holds no "rn").
_ROLE_BEFORE_NAME = re.compile(
    r"(?i)\b(?:case\s+(?:manager|mgr|management|mgmt)|cm|sw|social\s+work(?:er)?|chaplain|interpreter|translator"
    r"|attending|resident|fellow|intern|nurse|rn|np|pa|pcp|hcp|proxy|nutritionist|dietitian|dietician|pharmacist"
    r"|therapist|coordinator|liaison)\b[ \t]*[:,-]?[ \t]*([A-Za-z][a-z'’]+|[A-Z][A-Z'’]+)(?![\w'’-])"
)
_NAME_BEFORE_ROLE = re.compile(
    r"(?i)(?<![\w'’.-])([A-Za-z][a-z'’]+|[A-Z][A-Z'’]+)(?:[ \t]*[,-][ \t]*|[ \t]+)(?:rn|rrt|md|np|pa|pa-c|lpn|licsw|lcsw|msw|rd|cna|sw|cm"
    r"|slp)\b(?![/'’-])"
)


def _role_named(word: str) -> bool:
    low = word.lower().removesuffix("'s").removesuffix("’s")
    return ((low in first_names() or low in surnames()) and len(low) > 2 and low not in FUNCTION_WORDS
            and low not in CALENDAR_AND_PUBLIC and low not in clinical_words() and low not in _ROLES
            and not is_chart_word(low) and not very_common(low))


def role_names(text: str) -> list[Span]:
    """Listed names a staff role stands beside in a chart note (above): NAME."""
    spans = []
    for pattern in (_ROLE_BEFORE_NAME, _NAME_BEFORE_ROLE):
        for m in pattern.finditer(text):
            if _role_named(m.group(1)):
                spans.append(Span(m.start(1), m.end(1), "NAME", LAYER, None, "role_named"))
    return spans


# A given name the names layer holds back as a drug's street name ("lucy", "molly", "tina", "charlie", "mary") names a
# person in a chart note: a nurse charts a drug by its name ("MDMA", "cocaine", "LSD"), not as a caller says it ("LUCY
# IS ON VACA", "Molly from case mgmt called"). The name is capitalised in a cased or lower-case note, in capitals in an
# all-caps one; never where the note says it is taken ("hx of molly use", "smoked charlie", "tox + for tina") nor a
# saint's hospital ("St. Mary's").
_SLANG_TAKEN_BEFORE = re.compile(
    r"(?i)(?:\b(?:use[sd]?|using|smok\w*|snort\w*|inject\w*|took|tak(?:e|es|ing)|positive\s+for|tox\w*|st\.?|saint)"
    r"|\+)[ \t]*(?:for[ \t]*)?$"
)
_SLANG_TAKEN_AFTER = re.compile(r"(?i)[ \t]*(?:use[sd]?|using|abuse|intox\w*|ingest\w*|overdose|od|withdrawal|w/d)\b")


def slang_names(text: str) -> list[Span]:
    """Given names that are also a drug's street name, as a chart note writes a person (above): NAME."""
    spans = []
    upper = casing_style(text) == "upper"
    for m in _WORD.finditer(text):
        word = m.group().removesuffix("'s").removesuffix("’s").removesuffix("'S").removesuffix("’S")
        if not drug_slang_name(word.lower()):
            continue
        if not (word.isupper() if upper else word[:1].isupper() and word[1:].islower()):
            continue
        if _SLANG_TAKEN_BEFORE.search(text, max(0, m.start() - 20), m.start()) or _SLANG_TAKEN_AFTER.match(text, m.start() + len(word)):
            continue
        spans.append(Span(m.start(), m.start() + len(word), "NAME", LAYER, None, "slang_name"))
    return spans


# ------------------------------------------------------------------------------------ chart vocabulary by context
# What a chart does with a drug or a device says it is one, whatever the word: a device noun or a dose after it
# ("quinton cath", "Hickman placement", "passy muir valve", "Combivent MDI", "Nipride gtt", "Nitro at 100mcg/min",
# "Flovent inhalers", "Doppler pulses") or a verb of giving before it ("started on Levo", "medicated with SERAX",
# "given Toradol", "weaned off Neo"). An eponym or a brand so used is vocabulary, not a person or a town.
_DEVICE_OR_DOSE_AFTER = re.compile(
    r"(?i)(?:['’]?s)?[ \t]*(?:[-/][ \t]*)?(?:cath(?:eter)?s?|line|valve|port|placement|placed|site|gtts?|drips?|mdi['’]?s?|inhalers?"
    r"|nebs?|neb\b|iv|ivp|po|pr|sq|sc|im|bolus|infusion|dose|tube|drain|pump|boots|stockings|patch|pulses?|signals?"
    r"|study|u/s|ultrasound|exam|cream|ointment|oint|tabs?|elixir|spray|suppository|dressing|dsg|restart(?:ed)?"
    r"|(?:at|@)?[ \t]*\d*\.\d+|(?:at|@)?[ \t]*\d+(?:\.\d+)?[ \t]*(?:mg|mcg|mcgs|ug|meq|units?|u|cc|ml|gm?|mg/hr|mcg/kg|mcg/min|/hr)"
    r"|x[ \t]?\d)(?![\w])"
)
_GIVING_BEFORE = re.compile(
    r"(?i)(?:\b(?:started|restarted|cont(?:inued?|s)?|remains|back|placed|maintained)\s+on|\bmedicated\s+(?:with|w/?)"
    r"|\b(?:given|gave|received|rec['’]?d|rcvd|receiving|administered|increased|decreased|titrated|weaned(?:\s+off)?|"
    r"off|d/?c['’]?d|dc['’]?ed|hold(?:ing)?|held|needs?|requiring|req|prn|pre-?medicated(?:\s+with)?)|\bgtt\s+of|"
    r"\bdoses?\s+of|\bamp\s+of|\bmg\s+of|\bx\s?\d\s+of|\bvia"
    # an order written in the imperative or by its route ("increase Nitro", "wean neo", "IV NITRO", "3 gtts of Nitro"),
    # and a dressing by what is done with it ("wrapped in kling", "packed with xeroform", "changes of telfa")
    r"|\b(?:increase|decrease|wean|titrate|start|stop|resume|restart|iv|po|sl|gtts\s+of)"
    r"|\b(?:wrap(?:ped)?|pack(?:ed)?|cover(?:ed)?|dress(?:ed)?|changes?)\s+(?:in|with|of))[ \t]+$"
)


# devices charts call by their inventor's name; in a chart they are the device unless a title or relation names a
# person ("Dr. Hickman"). Only in the chart register: a caller named Foley is a caller.
CHART_EPONYMS = frozenset(
    """doppler dopplered hickman quinton foley swan ganz passy passe muir groshong cordis yankauer pleurevac venodyne
    holter kerlix ambu opsite kaltostat tegaderm duoderm mepilex dobhoff corpak permacath bair hugger""".split()
)


def chart_vocabulary(text: str, start: int, end: int) -> bool:
    """Whether what a chart does with the word at ``start:end`` makes it a drug or a device (see above); a title or a
    relation before it still makes it a person ("son Bill called", "Dr. Hickman")."""
    before = text[max(0, start - 40) : start]
    if _CHART_RELATION_CUE.search(before) or _CHART_PERSON_CUE.search(before):
        return False
    if all(w.lower() in CHART_EPONYMS for w in text[start:end].split()):
        return True
    return _DEVICE_OR_DOSE_AFTER.match(text, end) is not None or _GIVING_BEFORE.search(before) is not None


_VOCABULARY_CATEGORIES = frozenset({"NAME", "LOCATION", "PROVIDER", "COMPETITOR", "OTHER_ID"})
_ONE_OR_TWO_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)?")


_ROLES = frozenset({"rn", "rrt", "md", "np", "pa", "dr", "drs", "ho", "sw", "rnc", "lpn", "cna", "pt", "ot", "rt", "mds"})


def _chart_geography_guess(span: Span, found: str, text: str) -> bool:
    """Call-talk place shapes in a chart (found by a layer declaring ``call_talk_places``, the shape its recognizer
    marked on the span, ``Span.call_talk_shape``; which recognizer it was is not read): a street without a street type
    written out ("SR 50" is a sinus rhythm, "FM 93" a face mask), and a place a weak cue names that is a
    lower-case word in a cased note or a word the lists know ("by thermodilution", "from intubation")."""
    from cipher_pipeline.deid.rules import names_a_street

    if span.call_talk_shape == "street":
        return not names_a_street(found)
    if span.call_talk_shape == "cued_word":
        words = re.findall(r"[A-Za-z]+", found)
        if casing_style(text) == "mixed" and found.islower():
            return True
        return any(is_safe_word(w.lower()) or _clinical_shape(w.lower()) or near_clinical_word(w.lower()) for w in words)
    return False


# words a note writes beside a name that are no part of it: a title or a relation before it ("Dr. Kling", "Son David",
# "dtr suzette", "Husband Rich Martino"), a role or a modal verb after it ("Marie Munroe, RN", "Nicholson will")
_NAME_EDGE_BEFORE = re.compile(
    rf"(?i)^(?:(?:drs?|mrs?|ms|miss|{_CHART_KIN}|friend|fiance|companion|neighbor|pt|patient|{_MORE_RELATIONS})"
    r"(?:['’]s)?[\s,:.-]+)+"
)
_NAME_EDGE_AFTER = re.compile(r"(?i)(?:[\s,.-]+(?:rn|rrt|md|np|pa|pa-c|lpn|licsw|lcsw|msw|rd|cna|will|may|can|shall|must|aware))+\.?$")
_RELATION_ONLY = re.compile(_NAME_EDGE_BEFORE.pattern[:-1] + "$")
# a language named where the note says who speaks it ("speaks Cantonese", "Russian speaking", "understands some
# English"): what the patient speaks, not who the patient is
_LANGUAGE_CUE = re.compile(r"(?i)\b(?:speak\w*|spoke|understand\w*|language|interpret\w*|translat\w*|fluent|only)\b")


@functools.lru_cache(maxsize=1)
def _language_names() -> frozenset[str]:
    """Language names in English (CLDR, through babel): "english", "cantonese", "haitian creole"."""
    from babel import Locale

    return frozenset(name.lower() for name in Locale("en").languages.values())


def _a_language(text: str, span: Span) -> bool:
    found = text[span.start : span.end].lower()
    if found not in _language_names():
        return False
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    around = text[max(line_start, span.start - 30) : min(span.end + 30, len(text) if line_end < 0 else line_end)]
    return _LANGUAGE_CUE.search(around) is not None


def _trim_name(text: str, span: Span) -> Span | None:
    """A chart's NAME span without the title, relation, role or modal beside the name (None when nothing is left)."""
    found = text[span.start : span.end]
    if _RELATION_ONLY.fullmatch(found + " "):
        return None  # "son", "SISTER": the relation alone
    before = _NAME_EDGE_BEFORE.match(found)
    start = span.start + (before.end() if before else 0)
    after = _NAME_EDGE_AFTER.search(text, start, span.end)
    end = after.start() if after else span.end
    if not re.search(r"[^\W\d_]{2}", text[start:end]) and span.evidence != "title":
        return None  # a letter is no name, unless a title names a person by it ("Mr. K")
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, span.category, span.layer, span.canonical, span.recognizer)


_FLOOR_AFTER = re.compile(r"[ \t]+\d{1,2}$")


def chart_filter(text: str, spans: list[Span], merged: bool = False, capabilities: Capabilities | None = None) -> list[Span]:
    """In a chart note, drop the findings that are vocabulary by what the note does with them: a word or two used as
    a drug or a device (``chart_vocabulary``), a language where the note says who speaks it, and the shape guesses of
    the lexicon layer (treatment-center and provider shapes without a dictionary id, "CON'T REHAB", "NEW TLC"), which
    read call talk: places in a chart are the shapes of ``chart_places``. A name loses the title, relation, role or
    modal beside it, a place a ward's floor number. Spans with a dictionary id and every pattern finding (dates,
    phones) stay. ``merged``: the spans are the merged and grown ones, whose layer and category are the winning
    finding's, so the checks of where a finding came from (the call-talk guesses) no longer apply. Where a finding
    came from is read from what its layer declares in layers.yaml (``capabilities``: ``shaped``,
    ``call_talk_organisations``, ``call_talk_places``), the shipped chain's when none are given."""
    if not is_chart(text):
        return spans
    declared = capabilities or default_capabilities()
    out = []
    for span in spans:
        found = text[span.start : span.end]
        if span.category == "NAME" and found.lower().rstrip(".'s") in _ROLES:
            continue  # "RN", "RRT", "MD's": the role, never the person
        if span.category in ("NAME", "LOCATION") and _a_language(text, span):
            continue
        if span.category == "NAME":
            trimmed = _trim_name(text, span)
            if trimmed is None:
                continue
            span, found = trimmed, text[trimmed.start : trimmed.end]
        if span.category == "LOCATION" and _FLOOR_AFTER.search(found) and re.search(r"[A-Za-z]{3}", found):
            # "Quartermain 2", "BLAKE 7": the ward is the place, its floor number says nothing more
            span = Span(span.start, span.start + _FLOOR_AFTER.search(found).start(), span.category, span.layer,
                        span.canonical, span.recognizer, call_talk_shape=span.call_talk_shape)
            found = text[span.start : span.end]
        if not merged and declared.of(span, "call_talk_places") and _chart_geography_guess(span, found, text):
            continue
        if span.recognizer in CHART_PLACE_RECOGNIZERS:
            out.append(span)  # "from GH cath lab": the shape that found it is a place's
            continue
        if span.category in _VOCABULARY_CATEGORIES and span.canonical is None:
            if not merged and declared.of(span, "call_talk_organisations") and span.category in ("PROVIDER", "COMPETITOR", "OTHER_ID"):
                continue
            if not declared.of(span, "shaped") and _ONE_OR_TWO_WORDS.fullmatch(text[span.start : span.end]) and chart_vocabulary(
                text, span.start, span.end
            ):
                continue
        out.append(span)
    return out


_INITIAL_AT = re.compile(r"[A-Za-z]\.[ \t]?")
_GIVEN_BEFORE = re.compile(r"(?<![\w'’.-])([A-Za-z][a-z]+|[A-Z]+)[ \t]+$")


def join_initials(text: str, spans: list[Span]) -> list[Span]:
    """In a chart note, the initial written before a masked name is part of it ("J. Yi, MD", "ROBERT V. DEGIORGIO",
    "q. lander rrt"): notes sign and cite staff so. A lone letter is never masked on its own."""
    if not is_chart(text):
        return spans
    out = list(spans)
    for span in spans:
        if span.category != "NAME":
            continue
        start = span.start
        initial = _INITIAL_BEFORE.search(text, max(0, start - 4), start)
        if not initial and _INITIAL_AT.match(text, start):
            initial = _INITIAL_AT.match(text, start)  # the span already holds its initial ("A. FORMAN-LYONS")
            start = initial.end()
        if initial:
            # and the given name before the initial: "DAN A. FORMAN-LYONS", "robert v. smith"
            given = _GIVEN_BEFORE.search(text, max(0, initial.start() - 20), initial.start())
            first = given.start(1) if given and given.group(1).lower() in first_names() else initial.start()
            out.append(Span(first, span.end, "NAME", span.layer, span.canonical, span.recognizer))
    return out


def _text_is_shouting(text: str) -> bool:
    """Whole lines in capitals (headers, shouted turns) say nothing about names."""
    caps = sum(1 for w in _WORD.findall(text) if w.isupper() and len(w) > 2)
    return caps > 12


@functools.lru_cache(maxsize=1)
def _abbreviation_detector():
    """scispacy's AbbreviationDetector on a blank English pipeline: pure pattern matching, no model weights."""
    import spacy
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    return nlp


def _abbreviation_spans(text: str, found: list[Span]) -> list[Span]:
    """Short forms whose long form overlaps an identifier are identifiers too, wherever they recur."""
    nlp = _abbreviation_detector()
    chunks = _paren_chunks(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scispacy warns that its global matcher has no patterns: by design here
        docs = list(nlp.pipe(chunk for _, chunk in chunks))
    shorts: set[str] = set()
    for (offset, _), abbr_doc in zip(chunks, docs):
        for abrv in abbr_doc._.abbreviations:
            long = abrv._.long_form
            start, end = long.start_char + offset, long.end_char + offset
            long_hit = any(s.start < end and start < s.end for s in found)
            # "Sunny Acres Recovery Center (SARC)": a short form no list knows, defined by a capitalised name, is
            # that organisation's name even when each of its words is English ("IOP", "CCU" are listed, and stay)
            long_words = _WORD.findall(long.text)
            named = len(long_words) >= 2 and all(w[0].isupper() for w in long_words) and not _is_safe(abrv.text)
            if long_hit or named or not all(_is_safe(w) for w in long_words):
                shorts.add(abrv.text)
    if not shorts:
        return []
    # one pass for all short forms, so the cost stays linear however many the text defines
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(x) for x in sorted(shorts, key=len, reverse=True)) + r")\b")
    return [Span(m.start(), m.end(), "NAME", LAYER, None, "abbreviation") for m in pattern.finditer(text)]


_CHUNK_CHARS = 1000
_MAX_DEFINITIONS = 12
_SHORT_FORM_OPEN = re.compile(r"\(\s*[A-Za-z]")


def _paren_chunks(text: str) -> list[tuple[int, str]]:
    """Pieces of ``text`` (offset, text) of at most about ``_CHUNK_CHARS``, cut at line ends or spaces, that hold a
    parenthesis: scispacy finds "long form (SF)" only there, and its matcher grows faster than linearly with the
    length of what it reads, so it never reads a whole long transcript at once."""
    pieces: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", pos, end)
            if cut <= pos:
                cut = text.rfind(" ", pos, end)
            end = cut + 1 if cut > pos else end
        piece = text[pos:end]
        # a short form is defined as "(" and a letter; more than a handful in one piece is a list or noise, not
        # prose that defines abbreviations, and the matcher's cost grows with their number
        if 0 < len(_SHORT_FORM_OPEN.findall(piece)) <= _MAX_DEFINITIONS:
            pieces.append((pos, piece))
        pos = end
    return pieces


def build_safe_word_file(dictionary: Path = Path("/usr/share/dict/american-english"), out: Path | None = None) -> Path:
    """Regenerate ``lexicons/safe_words.txt`` and ``proper_nouns.txt`` from a SCOWL word list (Debian ``wamerican``).

    SCOWL capitalises proper nouns, so its lowercase entries are the safe words (names and places stay out) and
    its capitalised entries are the proper nouns. Possessives are dropped. The licence header of the existing
    files is kept.
    """
    from cipher_pipeline.deid.words import LEXICON_DIR

    out_dir = out or LEXICON_DIR
    entries = [w for w in dictionary.read_text(encoding="utf-8").split() if not w.endswith("'s")]
    for name, keep in (("safe_words.txt", str.islower), ("proper_nouns.txt", str.isupper)):
        path = out_dir / name
        header = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")] if path.exists() else []
        words = sorted({w for w in entries if keep(w[:1])})
        path.write_text("\n".join(header + words) + "\n", encoding="utf-8")
    return out_dir
