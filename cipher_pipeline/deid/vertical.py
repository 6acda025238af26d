"""Vertical entities as callers name them: unlisted competitors and the facilities that place a caller.

The lexicon layer finds what a dictionary or a capitalised name shape knows ("Seaside Recovery", "Toledo Municipal
Court"). Callers, and speech recognition, say most of these in lower case and with ordinary words ("she went to granite
path years ago", "hill country serenity ranch", "down at the tyson plant"), so a name shape alone cannot tell them from
English. What tells them is the phrase around them, and this module reads those phrases:

- a treatment episode at a named place: "did a week at <X>", "they kicked him out of <X>", "compared to <X>", and the
  weaker "went to / was at / been to <X>" when the call is on treatment or a time follows ("... years ago", "last
  year", "for thirty days"); "<X> wanted twenty grand"; "the place in <town>"; a head noun said again ("the ranch")
  after the call named "<X> ranch". All are COMPETITOR, without a canonical id: ``[COMPETITOR]`` is Tier 3's
  "unlisted" competitor.
- facilities: workplaces ("at the <x> plant / mill / refinery"), schools ("<x> high", "<x> community college"),
  courts and jails ("drug court in <x>", "the jail over in <x>"), hospitals named after an ER cue ("the er at <x>",
  "saint <x>'s"), churches, shelters and sober-living houses. OTHER_ID (PROVIDER for hospitals), as the lexicon's
  facility shapes are. A state agency said with its state ("missouri probation and parole"), a membership body or
  local service by its name ("the Farm Bureau", "teamsters local 120", "the bexley fire department") are facilities
  too; a program named "<name> house" or in Spanish ("casa de luz"), or in lower case "<name> haven / harbor / hollow
  / crossing / ranch / lodge" (session 21), is a competitor where the call is on treatment.

Each recognizer stops a name at function words, fillers and punctuation, never crosses a line, and rejects generic
destinations ("went to jail", "was at work", "a cattle ranch"); cost is one regex scan per shape, linear in the text.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable

import jellyfish

from cipher_pipeline.asr_terms import PLAN_WORDS
from cipher_pipeline.deid import turns
from cipher_pipeline.deid.geography import _CHAINS
from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.register import is_chart, is_chart_word
from cipher_pipeline.deid.safeword import CALENDAR_AND_PUBLIC
from cipher_pipeline.deid.spans import NO_DICTIONARY_WORD, Capabilities, Span, default_capabilities
from cipher_pipeline.deid.words import (
    CORE_FUNCTION_WORDS,
    FUNCTION_WORDS,
    US_STATE_NAMES,
    country_names,
    is_rare_word,
    is_safe_word,
    kin_tokens,
    near_clinical_word,
)
from cipher_pipeline.vocabulary import DIGIT_WORDS

LAYER = "lexicon"

# words that end a name going rightwards (or leftwards): function words, fillers, time and quantity words
NAME_STOP_WORDS = (
    FUNCTION_WORDS
    - {"new", "good", "great", "first", "home", "old", "best", "real", "big", "little", "long", "true", "free", "nice"}
) | frozenset(
    """and or but so then like um uh uhm er ah a an the in on at of for to from with by up down out over back around
    about after before during since until last years year months month weeks week days day nights night ago while
    when where because though although which who whose that this these those there here it its it's he she they we
    you i me him her them us my his their our your its was were is are be been being had has have did do does
    two three four five six seven eight nine ten twenty thirty sixty ninety couple few once twice again either
    yeah yes no not never ever just only even also too very really pretty kinda sorta ok okay right well now""".split()
)
# things one goes to, is at, or is kicked out of that are no named place (a relative's house among them: "my
# sister-in-law's", "my great aunt's", every form of words.KIN)
_GENERIC_PLACE = frozenset(f"{kin}'s" for kin in kin_tokens()) | frozenset(
    """jail prison court school work church bed sleep rehab detox treatment meetings meeting aa na hospital er ed icu
    doctor doctors dr college home town therapy counseling counselor outpatient inpatient iop php residential program
    programs class classes juvie lockup probation shelter group groups mass hell war store job bar party parties
    see get go make take do pick stay live visit talk ask find buy help check try start stop use quit pay fill drop
    bring sign look meet pray eat drink play court-ordered halfway sober moms dads mom dad
    grandma friend's girlfriend's boyfriend's
    mine yours his hers theirs ours somewhere anywhere everywhere nowhere place places one ones facility facilities
    center centers clinic methadone suboxone vivitrol meds pills florida california texas church's base army navy
    military service boot camp basic training bootcamp vacation lunch dinner breakfast trial detention jails prisons
    rehabs detoxes that this it them him her there here same other another""".split()
)
# what a weak cue can be followed by that names a service or a kind of help, not a program ("looked into respite
# care", "called the crisis line", "tried group therapy")
_SERVICE_NOUNS = frozenset(
    """care services service line hotline number options option places stuff therapy counseling classes meetings
    groups program programs treatment ward unit units room floor wing icu er"""
    .split()
)
_FILLER = re.compile(r"(?:\s*,?\s*\b(?:um|uh|uhm|er|ah|like|you\s+know)\b,?)*\s*", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")

# a cue that is itself about a treatment episode: the place named after it is a program
_STRONG_CUE = re.compile(
    r"\b(?:"
    # "did thirty days at", "did like a week at", "did outpatient with", "did iop over at"
    r"did\s+(?:(?:like|about|maybe|only|just)\s+)?(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3}|a\s+couple(?:\s+of)?"
    r"|a\s+few|thirty|sixty|ninety|twenty\s+eight|some)\s+)?(?:[a-z-]+\s+)?(?:days?|weeks?|months?|nights?|stint|stay|round|program"
    r"|outpatient|inpatient|iop|php|detox|rehab|residential|treatment|time)\s+(?:of\s+\w+\s+)?(?:(?:over|up|down|out)\s+)?(?:at|with|in)"
    # "kicked him out of", "discharged her from", "graduated from", "left ama from"
    r"|(?:kicked|sent|threw|thrown|booted|walked|ran|discharged|released|graduated|detoxed|relapsed|ama'?d|awol'?d)"
    r"\s+(?:(?:him|her|me|them|us|out|early|ama|after)\s+)?(?:out\s+of|from|after)"
    r"|(?:compared|compare)\s+(?:it\s+|you\s+|that\s+|y'all\s+)?(?:to|with)"
    r"|(?:was|were|been|stayed|stays)\s+in\s+(?:treatment|rehab|detox|residential|outpatient|iop|php)\s+(?:at|with)"
    r"|(?:treatment|rehab|detox|residential|outpatient|inpatient|iop|php|methadone|suboxone|program)\s+(?:at|with|over\s+at|up\s+at|down\s+at)"
    r")\s+",
    re.I,
)
_STRONG_CUE = gate(_STRONG_CUE)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
# a cue that names a place without saying it is a program: needs the call to be on treatment, or a time after it
_WEAK_CUE = re.compile(
    r"\b(?:(?:went|go|goes|going|gone|been|back|was|were|stayed|stay|staying|spent\s+\w+(?:\s+\w+)?\s|admitted\s+(?:\w+\s+)?"
    r"|transferred\s+(?:\w+\s+)?|checked\s+(?:\w+\s+)?)\s*(?:to|at|into|in|with|from|over\s+at|up\s+at|down\s+at|out\s+at)"
    r"|tried|called|came\s+(?:out\s+of|from)|got\s+out\s+of)\s+",
    re.I,
)
_WEAK_CUE = gate(_WEAK_CUE)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_TREATMENT_WORDS = re.compile(
    r"\b(?:treatment|rehab|detox|program|inpatient|outpatient|residential|iop|php|sober|relaps\w*|methadone|suboxone"
    r"|facility|clean|withdrawal|using|help|recovery|addiction"
    # what a call about getting a bed says: "no bed for thirty days", "a campus in missoula", "on the wait list"
    r"|beds?|campus(?:es)?|wait\s*list(?:ed)?|intake)\b",
    re.I,
)
_TIME_AFTER = re.compile(
    r"(?:\s*,?\s*(?:um|uh|like|for|about|maybe|only|just|back)\b,?)*\s*(?:"
    r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|a\s+couple(?:\s+of)?|several|some|many|\d{1,2})\s+)?"
    r"(?:years?|months?|weeks?|days?|nights?)\s+(?:ago|back|before)"
    r"|last\s+(?:year|month|summer|spring|fall|winter|time|week|christmas)|back\s+in|in\s+(?:19|20)\d\d|in\s+(?:twenty|two\s+thousand)"
    r"|(?:for|like)\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple(?:\s+of)?|a\s+few|\w+teen|twenty|thirty|sixty|ninety|\d{1,3})"
    r"\s+(?:\w+\s+)?(?:days?|weeks?|months?|nights?)|over\s+the\s+(?:summer|winter)|when\s+(?:he|she|i|they)\s+was"
    r"|twice|two\s+times|a\s+couple\s+times|(?:and|but)\s+(?:he|she|i|they)\s+(?:left|relapsed|hated|got\s+kicked|walked|ran|used))",
    re.I,
)
_MONEY_AFTER = re.compile(
    r"\s+(?:wanted|wants|charged|charges|charge|quoted|costs?|was|is|asked\s+for|asking|billed(?:\s+us)?|wanted\s+like)\s+"
    r"(?:like\s+|about\s+|almost\s+|over\s+|us\s+)?(?:\$\s?\d|\d[\d,]*\s*(?:k|grand|thousand|dollars)\b|(?:a|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred)[\s-]+(?:\w+\s+)?(?:grand|thousand|k)\b"
    r"|a\s+(?:fortune|ton|lot\s+of\s+money|arm\s+and\s+a\s+leg))",
    re.I,
)
_PLACE_IN = re.compile(
    r"\bthe\s+(?:place|one|rehab|detox|program|facility|center|clinic|treatment\s+center)\s+(?:(?:over|up|down|out|back)\s+)?"
    r"(?:in|on|by|near|outside(?:\s+of)?|off|in\s+the)\s+",
    re.I,
)
# Heads that are ordinary treatment words on their own ("in recovery", "medical detox", "inpatient treatment"): in
# caseless text the words before one name a program only when every one of them could be part of a name, so
# the generic and clinical words that make a kind of treatment are listed here (the modifier test below also
# refuses drugs, function words, activities and numbers)
BARE_PROGRAM_HEADS = frozenset({"recovery", "detox", "rehab", "rehabilitation", "treatment", "behavioral"})
_KIND_OF_TREATMENT = frozenset(
    """term lasting lifelong sustained speedy complete twelve step steps peer person based assisted medication
    medically managed monitored supervised court ordered court-ordered mandated substance use abuse disorder opiate
    opioids meth heroin pill pills coke crack weed pot booze liquor gambling sex eating trauma dual co-occurring
    primary secondary extended aftercare after-care transitional rapid ultra ultra-rapid natural home-based at-home
    in-home online virtual telehealth hospital hospital-based jail prison free low-cost state-funded funded paid
    insurance self self-pay pay cash life lifetime actual proper formal structured intensive traditional standard
    regular normal serious strict recommended required mandatory voluntary involuntary emergency crisis quick
    his her my our their your its own first second third another whole real true full early long short
    withdrawal alcohol drug drugs opioid residential inpatient outpatient medical clinical behavioral
    addiction mental sober women womens mens veterans teen teens adolescent adult adults youth kids family
    christian faith faith-based spiritual holistic luxury cheap expensive local nearby health healthcare care""".split()
)


# verbs said right before a treatment word in a raw transcript, which has no full stop or capital to end a clause
# ("does my plan cover detox", "they offer detox", "he wants rehab"): a verb is no part of a program's name
_VERBS_BEFORE_TREATMENT = frozenset(
    """cover covers offer offers want wants need needs get gets try tries find finds start starts take takes afford
    affords pay pays accept accepts provide provides recommend recommends require requires approve approves deny
    denies refuse refuses finish finishes complete completes avoid avoids hate hates like likes love loves skip
    skips do does did doing go goes gonna wanna gotta include includes allow allows cost costs mean means""".split()
)


# session 21 (rawvert21): who a program is for, said between its name and its head ("<name> men's house", "<name>
# teen harbor", "<name> family recovery"). Said alone before a head it is a kind ("a men's house", "family recovery");
# after a name word it is part of the name, so a run of name words may hold these anywhere but at its left edge.
AUDIENCE_WORDS = frozenset(
    """men's mens women's womens men women teen teens youth adolescent family families veterans veteran kids""".split()
)


def program_modifiers_ok(words: list[str]) -> bool:
    """Whether lower-case words before a bare treatment head can be a program's name ("coral tide detox", "the
    pines recovery"): none is a kind of treatment, a verb said before one ("cover detox"), a function word, a
    generic place, a drug or clinical word as speech recognition spells it, an activity ("-ing") or a number; a word
    for whom the program is (``AUDIENCE_WORDS``) only after a word that passes ("<name> family recovery")."""
    if not words or len(words) > 3:
        return False
    for i, word in enumerate(words):
        low = word.lower().strip("'’")
        if i > 0 and (low in AUDIENCE_WORDS or word.lower() in AUDIENCE_WORDS):
            continue
        if (
            low in _KIND_OF_TREATMENT
            or low in _VERBS_BEFORE_TREATMENT
            or low in NAME_STOP_WORDS
            or low in FUNCTION_WORDS
            or low in _GENERIC_PLACE
            or low in US_STATE_NAMES
            or not low.replace("-", "").replace("'", "").isalpha()
            or (low.endswith("ing") and is_safe_word(low))
            or (low.endswith("ed") and is_safe_word(low))
            or near_clinical_word(low)
        ):
            return False
    return True


def program_name_offset(modifiers: str) -> int:
    """Where the run of name-capable words (``program_modifiers_ok``) that ends ``modifiers`` begins; its length
    when none does. A possessive ("his sister's recovery") belongs to a person, not a program's name; an audience
    word ("<name> women's") is the name's when a name word comes before it, and starts no run itself."""
    words = list(_WORD.finditer(modifiers))
    start = len(modifiers)
    for w in reversed(words):
        low = w.group().lower()
        if low in AUDIENCE_WORDS or low.strip("'’") in AUDIENCE_WORDS:
            continue  # "<name> men's": the run begins only at a name word before it
        if low.endswith(("'s", "’s")) or not program_modifiers_ok([w.group()]):
            break
        start = w.start()
    return start


# heads a call may say again alone after naming the place ("the ranch?")
_REPEATED_HEADS = frozenset({"ranch", "lodge", "retreat", "landing", "manor", "farm", "springs", "village", "oaks", "pines"})

# -------------------------------------------------------------------------------------------- facilities
_WORK_HEADS = (
    r"plant|mill|mills|factory|refinery|warehouse|distribution\s+center|fulfillment\s+center|shipyard|mine|quarry|cannery"
    r"|packing\s+(?:plant|house)|processing\s+plant|foundry|rail\s*yard|depot|terminal|dealership|mine|smelter|paper\s+mill"
    r"|power\s+plant|call\s+center|body\s+shop|garage"
)
_SCHOOL_HEADS = (
    r"high(?:\s+school)?|middle\s+school|elementary(?:\s+school)?|junior\s+high|community\s+college|junior\s+college"
    r"|technical\s+college|tech|state\s+university|university|college|academy|prep|state"
)
_CHURCH_HEADS = (
    r"church|baptist(?:\s+church)?|methodist(?:\s+church)?|fellowship|tabernacle|chapel|ministries|assembly(?:\s+of\s+god)?"
    r"|cathedral|parish|temple|synagogue|mosque"
)
_SHELTER_HEADS = (
    r"shelter|rescue\s+mission|mission|sober\s+living(?:\s+(?:house|home))?|halfway\s+house|recovery\s+house|sober\s+house"
    r"|oxford\s+house|senior\s+living|assisted\s+living|nursing\s+home|nursing\s+and\s+rehab(?:ilitation)?|care\s+center"
)
# session 22 (home22): a care or residential home by a head no shelter list holds ("<x> manor", "<x> masonic",
# "<x> residential"), said where the talk is of where an elder or a resident lives (``_care_home``)
_CARE_HOME_HEADS = r"manor|masonic(?:\s+(?:home|village))?|residential"
# hospitals named by a head that is an ordinary word ("at mercy general", "to baptist memorial", "st. luke's regional")
_HOSPITAL_HEADS = r"general(?:\s+hospital)?(?!\s+sessions)|memorial(?:\s+hospital)?|regional(?:\s+(?:medical\s+center|hospital))?|medical\s+center|hospital"
_FACILITY_SHAPES = (
    # (heads, cue before the name, category)
    (_WORK_HEADS, r"(?:at|for|from|with|in|on)\s+(?:the\s+)?", "OTHER_ID"),
    (_SCHOOL_HEADS, r"(?:at|to|from|attends|attended|for|with|in|of)\s+(?:the\s+)?", "OTHER_ID"),
    (_CHURCH_HEADS, r"(?:at|to|from|attends|attended|for|with|of|in)\s+(?:the\s+)?", "OTHER_ID"),
    (_SHELTER_HEADS, r"(?:at|to|from|in|into|with|of)\s+(?:the\s+)?", "OTHER_ID"),
    (_HOSPITAL_HEADS, r"(?:at|to|from|in|into|of)\s+(?:the\s+)?", "PROVIDER"),
    (_CARE_HOME_HEADS, r"(?:at|to|from|in|into|of)\s+(?:the\s+)?", "OTHER_ID"),
)
# words before a facility head that make it generic ("the paper mill" stays named; "the old mill", "a high school" not)
_GENERIC_FACILITY_MODS = frozenset(
    """old new big little local main same other whole nearest closest county city state public private catholic
    christian homeless women's womens men's mens family domestic violence dv animal emergency youth teen kids
    junior senior high middle elementary community regional night day online virtual his her my their our your its
    a an the this that some any every each pretty really very so too way sky getting got get was is be been as
    one two new good bad best real big huge small nearby different another attorney surgeon""".split()
)
_SCHOOL_EVIDENCE = re.compile(
    r"\b(?:senior|junior|sophomore|freshman|student|class|classes|semester|dorm|campus|grade|graduat\w*|teacher|coach\w*|football|basketball|baseball"
    r"|soccer|team|principal|school|goes\s+to|attends|enrolled)\b",
    re.I,
)
_WORK_EVIDENCE = re.compile(
    r"\b(?:work\w*|job|shift|laid\s+off|let\s+go|fired|hired|employ\w*|boss|supervisor|foreman|union|overtime|payroll"
    r"|down\s+at|out\s+at|line)\b",
    re.I,
)
_COURT_IN = re.compile(
    r"\b(?:(?:drug|family|juvenile|municipal|county|district|veterans?|traffic|circuit|superior|mental\s+health|dui|city"
    r"|treatment|recovery|sobriety)\s+court|(?:county\s+)?(?:jail|lockup|detention(?:\s+center)?|stockade|holding)|probation"
    r"(?:\s+office)?|courthouse)\s+(?:(?:over|up|down|out|back)\s+)?(?:in|of|for|at)\s+",
    re.I,
)
_COURT_IN = gate(_COURT_IN)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_HOSPITAL_CUE = re.compile(
    r"\b(?:the\s+)?(?:er|e\.r\.|emergency\s+room|emergency\s+department|hospital|icu|ed|psych\s+ward|ward|unit)\s+"
    r"(?:(?:over|up|down|out)\s+)?(?:at|in)\s+",
    re.I,
)
_SAINT = re.compile(
    r"\b(?:st\.?|saint)\s+([a-z][a-z'’]+?)('s|’s|s)?(?:\s+(?:hospital|medical\s+center|regional|general|health))?\b(?!\s+day)", re.I
)
# in cased text an abbreviated saint, mount or fort before a capitalised word names a place or an institution
_ABBREVIATED_PLACE = re.compile(r"\b(?:St|Mt|Ft|Pt)\.?\s+[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?")
_CHAIN_NAME = re.compile(rf"(?:{_CHAINS})(?:'s)?", re.I)
_HOSPITAL_WORDS = re.compile(r"\b(?:er|e\.r\.|hospital|emergency|ambulance|icu|admitted|overdos\w*|nurse|doctor|discharg\w*|ward)\b", re.I)


# how far a context or a name is read around a position: bounded, so a long line without breaks costs linear time
_CONTEXT_CHARS = 600
_NAME_CHARS = 160


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", max(0, pos - _CONTEXT_CHARS), pos) + 1 or max(0, pos - _CONTEXT_CHARS)
    end = text.find("\n", pos, pos + _CONTEXT_CHARS)
    return start, min(len(text), pos + _CONTEXT_CHARS) if end < 0 else end


def _context_bounds(text: str, pos: int, lines_before: int = 2) -> tuple[int, int]:
    """Where ``_context`` begins and ends."""
    start, end = _line_bounds(text, pos)
    floor = max(0, pos - _CONTEXT_CHARS)
    for _ in range(lines_before):
        if start <= floor:
            break
        start = max(floor, text.rfind("\n", floor, start - 1) + 1)
    return start, end


def _context(text: str, pos: int, lines_before: int = 2) -> str:
    """This line and the ``lines_before`` lines before it (a question's answer reads the question), at most
    ``_CONTEXT_CHARS`` either side."""
    start, end = _context_bounds(text, pos, lines_before)
    return text[start:end]


class _WordsNear:
    """Where a pattern matches in a text, found once: whether one lies in the context of a position is then a
    bisection, not a search of the context (a recognizer with a candidate at every few words stays linear)."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._text = text
        self._spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
        self._starts = [a for a, _ in self._spans]

    def in_context(self, pos: int, lines_before: int = 2) -> bool:
        start, end = _context_bounds(self._text, pos, lines_before)
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._spans) and self._spans[i][1] <= end


def _name_after(
    text: str, pos: int, caseless: bool, max_words: int = 4, joiners: frozenset[str] = frozenset({"of"}),
    ends: frozenset[str] = frozenset(),
) -> list[re.Match]:
    """The words of a name starting at ``pos`` (fillers skipped), up to a stop word, punctuation or line end; a
    joiner ("of") stays inside between two name words, and a word of ``ends`` ends the name as a stop word does."""
    pos = _FILLER.match(text, pos).end()
    if text[pos : pos + 4].lower() == "the ":
        pos += 4
    words: list[re.Match] = []
    while len(words) < max_words:
        w = _WORD.match(text, pos)
        if not w:
            break
        token = w.group()
        low = token.lower()
        capital = token[0].isupper() or token[0].isdigit()
        if low in joiners and words and len(words) < max_words - 1:
            after = _WORD.match(text, w.end() + 1)
            after_low = after.group().lower() if after else ""
            if after and after_low not in NAME_STOP_WORDS and after_low.replace("’", "'") not in ends and (caseless or after.group()[0].isupper()):
                words.append(w)  # "river of life", "Hill of Hope": "of" inside a name
                pos = w.end() + 1
                continue
        if low in NAME_STOP_WORDS and (caseless or not capital) or low.replace("’", "'") in ends:
            break
        if not caseless and not capital:
            break
        words.append(w)
        if text[w.end() : w.end() + 1] != " ":
            break
        pos = w.end() + 1
    # a name does not end on a conjunction-like or possessive-less dangling word
    while words and words[-1].group().lower() in NAME_STOP_WORDS:
        words.pop()
    return words


def _name_before(text: str, pos: int, caseless: bool, max_words: int = 4) -> list[re.Match]:
    """The words of a name ending right before ``pos`` (whitespace between), going leftwards."""
    line_start = max(text.rfind("\n", max(0, pos - _NAME_CHARS), pos) + 1, pos - _NAME_CHARS, 0)
    prefix = text[line_start:pos]
    found = list(_WORD.finditer(prefix))
    words: list[re.Match] = []
    end = len(prefix.rstrip())
    for w in reversed(found):
        if w.end() != end:
            break
        token = w.group()
        low = token.lower()
        capital = token[0].isupper()
        if (low in NAME_STOP_WORDS or low.rstrip(":") in ("agent", "caller")) and (caseless or not capital):
            break
        if not caseless and not capital:
            break
        if text[line_start + w.end() : line_start + w.end() + 1] == ":":
            break
        words.insert(0, w)
        if len(words) == max_words:
            break
        gap = prefix[: w.start()]
        if not gap.endswith(" ") or gap.endswith(("  ", ", ")):
            break
        end = len(gap) - 1
    return [_Shifted(w, line_start) for w in words]


class _Shifted:
    """A word match moved by an offset (``_name_before`` matches a line slice)."""

    def __init__(self, m: re.Match, offset: int):
        self._m, self._o = m, offset

    def group(self) -> str:
        return self._m.group()

    def start(self) -> int:
        return self._m.start() + self._o

    def end(self) -> int:
        return self._m.end() + self._o


def _plausible_name(words: list, is_place: Callable[[str], bool], head_ok: bool = False) -> bool:
    """Not a generic destination, a verb, a pronoun phrase, a state or a town on its own."""
    if not words:
        return False
    tokens = [w.group() for w in words]
    lows = [t.lower().rstrip(".") for t in tokens]
    if lows[0] in _GENERIC_PLACE or lows[0] in NAME_STOP_WORDS and not tokens[0][0].isupper():
        return False
    if lows[-1] in _GENERIC_PLACE and len(lows) == 1:
        return False
    if any(t.isdigit() for t in lows) or (len(lows) == 1 and lows[0].endswith("ing") and is_safe_word(lows[0])):
        return False  # "went to counseling", "went to 5": an activity or a number is no program
    if lows[-1].endswith(("'s", "’s")) and not head_ok:
        return False  # "went to Mike's": a home, not a program
    phrase = " ".join(lows)
    if phrase in US_STATE_NAMES or phrase in country_names() or (is_place(phrase) and not head_ok):
        return False
    if _CHAIN_NAME.fullmatch(phrase):
        return False  # "was at walmart": a store, not a program
    return True


_EAP_BEFORE = re.compile(r"\b(?:employee\s+assistance(?:\s+program)?|eap(?:\s+program)?)\s+(?:at|with|through|from)\s+$", re.I)
_EAP_EMPLOYER = re.compile(
    r"\b(?:employee\s+assistance(?:\s+program)?|eap(?:\s+program)?)\s+(?:at|with|through|from)\s+(?:(?:his|her|my|their)\s+)?", re.I
)


# the agent's question about treatment before, as its turn ends: one home, read by ``slots.TreatmentHistorySlot`` (a
# program before the town it is in) and by ``competitor_spans`` (a program that opens the answer)
TREATMENT_HISTORY_QUESTION = re.compile(
    r"(?:(?:been|gone|went)\s+(?:to\s+|in\s+|through\s+)?(?:any\s+)?(?:treatment|rehab|detox|anywhere(?:\s+else)?)"
    r"(?:\s+(?:before|else))?|(?:prior|previous|past|any\s+other)\s+treatment|treatment\s+(?:before|history)|tried\s+"
    r"(?:treatment|rehab|anywhere)(?:\s+before)?|where\s+(?:did|has)\s+(?:you|he|she|they)\s+(?:go|been|gone)(?:\s+before)?)"
    r"\W*(?:before|else|at\s+all)?\W*$",
    re.I,
)
# an agent's turn and the caller's line after it: "agent: <question>\ncaller: <answer>"
_AGENT_THEN_CALLER = re.compile(
    r"^[ \t]*(?:" + turns.AGENT_PATTERN + r")[ \t]*:([^\n]*)\n[ \t]*(?:" + turns.LABEL_PATTERN + r")[ \t]*:[ \t]*(?:(?:yes|yeah|yep|once|twice|one\s+time|he\s+did|she\s+did|i\s+did)\b[,.]?[ \t]+)?",
    re.I | re.M,
)
_AGENT_THEN_CALLER = gate(_AGENT_THEN_CALLER)  # scanned over whole texts: same matches, fewer positions tried
# session 17 (vertical17): the answer to the agent's question about treatment before, a program named with no head and
# no cue of its own ("any treatment before?" "<x> in <town>, he walked out"): the words that open the caller's answer
# and end it, run into "in <town>" or a time, or stop at a comma; never a kind of treatment, a generic place, a
# person's pronoun, a yes or no ("just meetings", "the county detox in <town>", "no, never")
_ANSWER_NAME_ENDS = re.compile(
    r"[ \t]*(?:[.,;?!]|\.\.\.|$)|\s+(?:in|at|up\s+in|down\s+in|over\s+in|out\s+in)\s+[A-Za-z]", re.M | re.I
)
_NOT_AN_ANSWER_NAME = frozenset(
    """no nope never none nothing not just only yes yeah yep once twice aa na meetings meeting jail prison detox rehab
    outpatient inpatient iop php therapy counseling counselor doctor the a an county city state local public private
    same other another this that some his her my their our your""".split()
)


def competitor_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """Unlisted treatment programs the caller names by a treatment-episode phrase (see the module docstring)."""
    spans: list[Span] = []
    seen: set[int] = set()
    cues = [(m, True) for m in _STRONG_CUE.finditer(text)] + [(m, False) for m in _WEAK_CUE.finditer(text)]
    for cue, strong in cues:
        pos = cue.end()
        if _EAP_BEFORE.search(text, max(0, cue.start() - 40), cue.end()):
            continue  # "the employee assistance program at boeing": an employer (facility_spans), no program
        words = _name_after(text, pos, caseless)
        if not words or words[0].start() in seen or "\n" in text[cue.start() : words[0].start()]:
            continue
        # after a treatment cue a town's name is the program's ("discharged from harbor oaks"); a state is not
        if not _plausible_name(words, is_place, head_ok=strong):
            continue
        end = words[-1].end()
        if not strong:
            tokens = [x.group() for x in words]
            unknown = any(
                not is_safe_word(bare) or is_rare_word(bare) for bare in (re.sub(r"['’]s$", "", t.lower()) for t in tokens)
            )
            capitalised = not caseless and all(t[0].isupper() for t in tokens)
            on_treatment = _TREATMENT_WORDS.search(_context(text, pos)) is not None
            timed = _TIME_AFTER.match(text, end) is not None
            # a weak cue needs the call to be on treatment here, and a name that reads as one or a time after it
            # ("went to cancun last year" is a holiday)
            if not (on_treatment and (timed or unknown or capitalised or len(tokens) > 1)):
                continue
            if tokens[-1].lower() in _SERVICE_NOUNS:
                continue  # "looked into respite care", "called the crisis line": a service, not a program's name
        seen.add(words[0].start())
        spans.append(Span(words[0].start(), end, "COMPETITOR", LAYER))
    for m in _AGENT_THEN_CALLER.finditer(text):
        if not TREATMENT_HISTORY_QUESTION.search(m.group(1)[-160:]):
            continue
        words = _name_after(text, m.end(), caseless, max_words=6)
        if not words or words[0].start() in seen or not _ANSWER_NAME_ENDS.match(text, words[-1].end()):
            continue
        lows = [w.group().lower() for w in words]
        if (
            lows[0] in _NOT_AN_ANSWER_NAME or lows[0] in NAME_STOP_WORDS or any(x in _GENERIC_PLACE for x in lows)
            or not _plausible_name(words, is_place, head_ok=True) or is_place(" ".join(lows))
            or all(x in _KIND_OF_TREATMENT or x in BARE_PROGRAM_HEADS or x in NAME_STOP_WORDS for x in lows)
            or (len(words) == 1 and is_safe_word(lows[0]) and not is_rare_word(lows[0]))
        ):
            continue
        from cipher_pipeline.deid.slots import names_a_person  # slots reads this module: imported when first needed

        if names_a_person(text, words[0].start(), lows):
            continue  # "yes. <given name> <surname> in <town>, he was my counselor": a person, the names layers'
        seen.add(words[0].start())
        spans.append(Span(words[0].start(), words[-1].end(), "COMPETITOR", LAYER))
    for m in _MONEY_AFTER.finditer(text):
        words = _name_before(text, m.start(), caseless)
        # a town does not quote a price: a place name here is a program named after it ("cedar point wanted ...")
        if words and _plausible_name(words, is_place, head_ok=True) and _TREATMENT_WORDS.search(_context(text, m.start())):
            spans.append(Span(words[0].start(), words[-1].end(), "COMPETITOR", LAYER))
    for m in _PLACE_IN.finditer(text):
        words = _name_after(text, m.end(), caseless, max_words=3)
        if words and (is_place(" ".join(w.group().lower() for w in words)) or not caseless) and _TREATMENT_WORDS.search(
            _context(text, m.start())
        ):
            spans.append(Span(m.start(), words[-1].end(), "COMPETITOR", LAYER))
    return spans


def repeated_heads(text: str, spans: list[Span]) -> list[Span]:
    """"the ranch" said again after the call named "<X> ranch" (or before it) is that competitor."""
    heads = set()
    for s in spans:
        if s.category == "COMPETITOR":
            last = re.findall(r"[A-Za-z]+", text[s.start : s.end])
            if last and last[-1].lower() in _REPEATED_HEADS and len(last) > 1:
                heads.add(last[-1].lower())
    out = []
    for head in heads:
        for m in re.finditer(rf"\bthe\s+({head})\b", text, re.I):
            out.append(Span(m.start(1), m.end(1), "COMPETITOR", LAYER))
    return out


# words a carrier, program or facility name shares with many others: a shortened name of only these ("community
# health", "first choice") is no evidence that the same organisation is meant
_SHARED_NAME_WORDS = frozenset(
    """community health care healthcare plan plans family first choice united national american medical center centers
    recovery treatment behavioral mental wellness services hospital clinic regional general memorial county city state
    blue cross shield advantage complete total select preferred star plus gold silver senior kids partners network
    group new house home life""".split()
)
_SAID_AGAIN_CATEGORIES = ("COMPETITOR", "INSURER", "PROVIDER", "OTHER_ID")
_MAX_NAMES_SAID_AGAIN = 24  # bounded work per text: each name costs one scan
# the longest shortened form looked for: people shorten a name to its first few words ("Neighborhood Health" of a
# six-word plan name). Bounding it keeps each name's work constant; a finding of hundreds of words (a name repeated
# down a whole transcript) otherwise compiled hundreds of ever longer patterns, quadratic in its length (8,000
# characters of "Farm Bureau " took 34 s)
_MAX_SHORT_FORM_WORDS = 6


class _Intervals:
    """Spans of a text by start, asked which overlap a range: only those starting within the longest span's length
    before it are read, so a text with thousands of findings costs linear time, not their square."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self._ranges = sorted(ranges)
        self._longest = max((b - a for a, b in self._ranges), default=0)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._ranges, (start, end))
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        first = bisect.bisect_left(self._ranges, (start - self._longest, -1))
        last = bisect.bisect_left(self._ranges, (end, -1))
        return [(a, b) for a, b in self._ranges[first:last] if b > start]


# what a caller says between a name begun and the same name said in full: a comma or full stop, a filler, a repair
_RESTART_GAP = r"[ \t]*[,.;:-]?(?:[ \t]*\b(?:um|uh|i\s+mean|sorry|no|like|well|it's|its)\b[,.]?)*[ \t]*"


def _restarted(text: str, full_start: int, pattern: str) -> tuple[int, int] | None:
    """Where the name's first words are said right before the full name on its line ("<x> health plan, <x> health
    plan of <state>"), or None."""
    line_start = text.rfind("\n", 0, full_start) + 1
    offset = max(line_start, full_start - 80)
    m = re.search(rf"({pattern}){_RESTART_GAP}\Z", text[offset:full_start], re.I)
    return None if m is None else (m.start(1) + offset, m.end(1) + offset)


# session 17 (vertical17): a carrier said beside its right name in the sound of it, as ordinary words ("<carrier>. he
# said <its sound>", "<its sound>, um, <carrier>"): "and better" / "ambit her" by Ambetter, "try care" by Tricare,
# "ant them" by Anthem, "care sores" by CareSource, "<carrier> vantage" by "<carrier> advantage", "buck eye health" by
# Buckeye. The right name found on the same line is the evidence; the sound is the words within a few words of it
# whose letters, run together, begin as one of the carrier's listed names does and are that name to within three
# letters in ten. Never one word ("fallen" by Fallon), never function words only ("anthem and them"), never a sound
# that begins otherwise ("ambetter is better"), never across a line
_SOUND_WINDOW_WORDS = 6  # words looked at before and after the right name
_SOUND_MAX_WORDS = 4  # the longest sound taken
_SOUND_MIN_LETTERS = 5
_NOT_A_NAME_TAIL = frozenset("id ids card cards number numbers member members plan plans policy group through".split())
_AUXILIARIES = frozenset("am is are was were be been being have has had do does did will would can could should may might must".split())
_SOUND_ENDS = re.compile(r"[ \t]*(?:[.,;?!]|$)", re.M)
_SOUND_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _carrier_keys(lexicons, canonical: str | None, surface: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The letters of a carrier's listed names and of the surface found, whole (what a sound said apart from the name
    is compared with), of their first words ("buckeye", "buckeyehealth": what a found name run on by a word is), and
    their words."""
    forms = [surface]
    if canonical:
        forms += getattr(lexicons, "insurer_forms", {}).get(canonical, ())
    whole, first_words, name_words = set(), set(), set()
    for form in forms:
        words = [w for w in (re.sub(r"[^a-z]", "", w) for w in form.lower().split()) if w]
        whole.add("".join(words))
        first_words |= {"".join(words[:k]) for k in range(1, len(words) + 1)}
        name_words |= set(words)
    return (
        frozenset(k for k in whole if len(k) >= _SOUND_MIN_LETTERS),
        frozenset(k for k in first_words if len(k) >= _SOUND_MIN_LETTERS),
        frozenset(name_words),
    )


def _sound_limit(target: str) -> int:
    return max(1, (3 * len(target)) // 10)


def _said_by_sound(
    text: str, s: Span, keys: tuple[frozenset[str], frozenset[str], frozenset[str]], covered: "_Intervals"
) -> list[tuple[int, int]]:
    """Where the carrier found at ``s`` is said in its sound on the same line, before or after it (see above): words
    no finding touches, close to one of its names whole; or a finding run on by the words after it, close to a
    longer one of its names ("<carrier> vantage" for "<carrier> advantage")."""
    whole, first_words, name_words = keys
    line_start = text.rfind("\n", 0, s.start) + 1
    line_end = text.find("\n", s.end)
    line_end = len(text) if line_end < 0 else line_end
    before = list(_SOUND_WORD.finditer(text, max(line_start, s.start - 80), s.start))[-_SOUND_WINDOW_WORDS:]
    after = list(_SOUND_WORD.finditer(text, s.end, min(line_end, s.end + 80)))[:_SOUND_WINDOW_WORDS]
    found = []
    for words in (before, after):
        best: tuple[int, int, int, int] | None = None  # (distance, -words, start, end)
        for i in range(len(words)):
            for n in range(1, _SOUND_MAX_WORDS + 1):
                run = words[i : i + n]
                if len(run) < n or any(not re.fullmatch(r"[ \t-]+", text[a.end() : b.start()]) for a, b in zip(run, run[1:])):
                    break
                lows = [w.group().lower().replace("’", "'") for w in run]
                if all(w in CORE_FUNCTION_WORDS for w in lows):
                    continue
                if lows[-1] in _AUXILIARIES and not _SOUND_ENDS.match(text, run[-1].end()):
                    continue  # "<carrier>. the kids are fine": a clause runs on past its verb; "ant them", "ambit her" end
                key = re.sub(r"[^a-z]", "", "".join(lows))
                if len(key) < _SOUND_MIN_LETTERS:
                    continue
                start, end = run[0].start(), run[-1].end()
                inside = covered.overlapping(start, end)
                if not inside:
                    if n == 1:
                        continue  # one word close to a name is the letters-only matcher's to judge ("fallen" by "fallon")
                    if key in whole or any(len(w) >= _SOUND_MIN_LETTERS and w in name_words for w in lows):
                        # one of its names said again as listed, or words holding one of its words as it is spelled
                        # ("or <carrier> vantage"): the dictionary's or a run-on finding's, not a sound
                        continue
                    targets = whole
                else:
                    # a finding run on: it starts the words and ends inside them, and the name it makes is longer
                    if len(inside) != 1 or inside[0][0] != start or inside[0][1] >= end:
                        continue
                    if any(w.start() >= inside[0][1] and (w.group().lower() in NAME_STOP_WORDS or w.group().lower() in _NOT_A_NAME_TAIL) for w in run):
                        continue  # "<carrier> id", "<carrier> card", "<carrier> he ...": the words after a name, not its end
                    found_letters = len(re.sub(r"[^a-z]", "", text[start : inside[0][1]].lower()))
                    targets = frozenset(k for k in first_words if len(k) > found_letters)
                distance = min(
                    (
                        d for k in targets
                        # a sound keeps its name's first letter ("ambit her"; never "is better" for "ambetter")
                        if k[0] == key[0] and abs(len(key) - len(k)) <= _sound_limit(k)
                        and (d := jellyfish.levenshtein_distance(key, k)) <= _sound_limit(k)
                    ),
                    default=None,
                )
                if distance is None:
                    continue
                candidate = (distance, -n, start, end)
                if best is None or candidate < best:
                    best = candidate
        if best is not None:
            found.append((best[2], best[3]))
    return found


def names_said_again(text: str, spans: list[Span], lexicons, capabilities: Capabilities | None = None) -> list[Span]:
    """A multi-word program, carrier or facility name said again by its first words ("Neighborhood Health Plan of
    Rhode Island" ... "Neighborhood Health members", "Tampa Bay Crest Hospital" ... "from Tampa Bay Crest"): the
    shortened form is the same organisation, in any case. A shortened form needs two words with one that is not
    shared by many names, or one word no dictionary knows; a carrier's or program's shortened form that is a town
    (``lexicons.is_place``, the center's dictionaries) stays for the place rules (Tier 3 must not count a town as a
    competitor). The names repeated are those a layer declaring ``organisation_names`` found (layers.yaml, the
    shipped chain's when no ``capabilities`` are given). Returns ``spans`` with the repeats added."""
    declared = capabilities or default_capabilities()
    is_place = lexicons.is_place
    out: list[Span] = []
    # a place or a name found inside the shortened form is the organisation's first words, not another finding
    # ("tampa bay" in "from tampa bay crest", "kern" in "through kern family"): only one across its edge, or one as
    # long as the form (a town said again alone stays the town's), or any other finding, blocks it
    places = _Intervals((s.start, s.end) for s in spans if s.category in ("LOCATION", "NAME"))
    covered = _Intervals((s.start, s.end) for s in spans if s.category not in ("LOCATION", "NAME"))
    seen: set[str] = set()
    names = [
        s for s in spans
        if s.category in _SAID_AGAIN_CATEGORIES and declared.of(s, "organisation_names")
        and not re.search(r"\d", text[s.start : s.end])
    ][:_MAX_NAMES_SAID_AGAIN]
    carriers = [
        s for s in spans
        if s.category == "INSURER" and declared.of(s, "organisation_names") and not re.search(r"\d", text[s.start : s.end])
    ][:_MAX_NAMES_SAID_AGAIN] if not is_chart(text) else []  # call talk only; bounded apart from the other names
    for s in carriers:
        keys = _carrier_keys(lexicons, s.canonical, text[s.start : s.end])
        for start, end in _said_by_sound(text, s, keys, covered):
            out.append(Span(start, end, s.category, LAYER, s.canonical, "name_said_again"))
            covered.add(start, end)
    for s in names:
        words = [w.group() for w in _WORD.finditer(text[s.start : s.end])]
        if len(words) < 2:
            continue
        for k in range(min(len(words) - 1, _MAX_SHORT_FORM_WORDS), 0, -1):
            prefix = [w.lower() for w in words[:k]]
            if prefix[-1] in NAME_STOP_WORDS or prefix[-1] in FUNCTION_WORDS:
                continue
            phrase = " ".join(prefix)
            if s.category in ("COMPETITOR", "INSURER") and is_place(phrase):
                continue
            pattern = r"(?<![\w'-])" + r"[\s-]+".join(re.escape(w) for w in prefix) + r"(?![\w-])"
            if (k == 1 and is_safe_word(prefix[0]) and not is_rare_word(prefix[0])) or all(
                w in _SHARED_NAME_WORDS or w in US_STATE_NAMES for w in prefix
            ):
                # ordinary or shared words ("community health plan", "horizon") are a carrier's name only where the
                # caller starts it and says it again in full right away ("<first words>, um, <full name>"); never a
                # word before another kind of name ("his doctor, Doctor <name> at <practice>")
                said = _restarted(text, s.start, pattern) if s.category == "INSURER" else None
                if said and not covered.overlapping(*said) and not places.overlapping(*said):
                    out.append(Span(*said, s.category, LAYER, s.canonical, "name_said_again"))
                    covered.add(*said)
                continue
            if phrase in seen:
                continue
            seen.add(phrase)
            for m in re.finditer(pattern, text, re.I):
                if not covered.overlapping(m.start(), m.end()) and all(
                    m.start() <= a and b <= m.end() and b - a < m.end() - m.start()
                    for a, b in places.overlapping(m.start(), m.end())
                ):
                    out.append(Span(m.start(), m.end(), s.category, LAYER, s.canonical, "name_said_again"))
                    covered.add(m.start(), m.end())
    return spans + out


def _modifiers_before(text: str, head_start: int, max_words: int = 3) -> list:
    words = _name_before(text, head_start, caseless=True, max_words=max_words)
    # generic modifiers on the left end ("the old tyson plant" -> "tyson")
    while words and words[0].group().lower() in _GENERIC_FACILITY_MODS:
        words = words[1:]
    return words


# session 12 (vertical12): a workplace said by its kind, then by its name after a comma ("he works at the trona mine,
# <x>", "cigna through the mine, <x>", "the company, um <x> in <town>"): the name is two to four words that end the
# clause (or run into "in"/"out of" a town), or a word no dictionary knows; never a shift, a role, a time or a
# person's pronoun ("the plant, second shift", "the warehouse, forklift driver", "the mine, monday mornings")
_WORKPLACE_THEN_NAME = re.compile(
    r"\b(?:the|my|his|her|our|their)\s+(?:[a-z]+\s+)?(?:mine|plant|mill|refinery|factory|warehouse|company|employer|yard|rig)"
    r"\s*,\s*(?:(?:um|uh),?\s+)?",
    re.I,
)
_WORKPLACE_THEN_NAME = gate(_WORKPLACE_THEN_NAME)  # scanned over whole texts: same matches, fewer positions tried
_NAME_ENDS_AFTER_WORKPLACE = re.compile(r"[ \t]*(?:[.,;?!]|$)|\s+(?:in|out\s+of|over\s+in|up\s+in|down\s+in)\s", re.M | re.I)
_NOT_A_WORKPLACE_NAME = frozenset(
    """shift shifts crew line driver drivers operator loader supervisor manager foreman mechanic welder cook clerk tech
    technician worker workers hand hands helper laborer cashier boss guys people job jobs morning mornings evening
    evenings weekend weekends overnight overnights monday tuesday wednesday thursday friday saturday sunday mondays
    tuesdays wednesdays thursdays fridays saturdays sundays pay money benefits insurance union""".split()
)


# a facility named on its own, with no preposition before it: at the start of a turn or after a full stop ("i'm at
# school. <x> high.", "<x> regional in <town>. the nurse said ..."), taken only where a name's word is in it and the
# talk is of what the head names (a school, a hospital, work); a church's or a shelter's head is evidence enough
_SAID_ALONE_LEAD = re.compile(r"(?:^|[.?!]|(?:" + turns.LABEL_PATTERN + r")\s*:)(?:\s*,?\s*\b(?:um|uh|oh|yeah|yes|no|well|so|okay|ok)\b,?)*\s*$", re.I)


# where a care home's name may begin with no preposition before it: where a facility is said alone
# (``_SAID_ALONE_LEAD``), or after a speaker's correction ("<x> regional i mean no, <y> manor", "at <x>, no, <x> masonic")
_CORRECTION_LEAD = re.compile(r"(?:,|\bi\s+mean)[ \t]*(?:no|sorry|i\s+mean)\b,?\s*$", re.I)
# the talk of where an elder or a resident lives: a care home's kind, living there, its staff, an elder in the family
_CARE_HOME_TALK = re.compile(
    r"\b(?:nursing\s+home|assisted\s+living|memory\s+care|senior\s+living|care\s+home|group\s+home|retirement"
    r"|lives?|living|resident|residents|staff|aides?|cna|mother|grandm\w*|grandfather|grandpa|alive|ninety|eighty)\b",
    re.I,
)
# a care home's head ends the name: a pause, or the place or street it is in ("<x> manor in <town>", "<x>
# residential, on <street>"); never a noun after it ("the manor house", "a residential program")
_CARE_HOME_ENDS = re.compile(
    r"[ \t]*(?:[.,;?!]|$)|\s+(?:in|on|out\s+in|over\s+in|up\s+in|down\s+in|near|by)\s", re.M | re.I
)


def _care_home(text: str, words: list, h: "re.Match[str]", named: bool, cued: bool, context: str) -> bool:
    """Whether the words before a care home's head (``_CARE_HOME_HEADS``) name one: the head ends the name, a name's
    word is among them or two words a name can be made of (a masonic home's needs one: "<x> masonic"), a preposition, a turn's start or a correction
    comes before them (``cued``: the shape's preposition, as every facility head is read), and the talk is of where
    someone lives (``_CARE_HOME_TALK``, this line and the one before)."""
    if not _CARE_HOME_ENDS.match(text, h.end()):
        return False
    lows = [w.group().lower() for w in words]
    if not named and not ((len(words) > 1 or h.group().lower().startswith("masonic")) and program_modifiers_ok(lows)):
        return False
    line_start = text.rfind("\n", 0, words[0].start()) + 1
    before = text[max(line_start, words[0].start() - 40) : words[0].start()]
    if not (cued or _SAID_ALONE_LEAD.search(before) or _CORRECTION_LEAD.search(before)):
        return False
    return _CARE_HOME_TALK.search(context) is not None


def _said_alone(text: str, start: int, heads: str, context: str) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if not _SAID_ALONE_LEAD.search(text[max(line_start, start - 40) : start]):
        return False
    if heads is _SCHOOL_HEADS:
        return _SCHOOL_EVIDENCE.search(context) is not None
    if heads is _HOSPITAL_HEADS:
        return _HOSPITAL_WORDS.search(context) is not None
    if heads is _WORK_HEADS:
        return _WORK_EVIDENCE.search(context) is not None
    return True


def facility_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """Workplaces, schools, churches, shelters, courts, jails and hospitals as callers name them, in any case."""
    spans: list[Span] = []
    for m in _WORKPLACE_THEN_NAME.finditer(text):
        words = _name_after(text, m.end(), caseless, max_words=4)
        if not words or not _plausible_name(words, is_place) or not _NAME_ENDS_AFTER_WORKPLACE.match(text, words[-1].end()):
            continue
        lows = [w.group().lower().rstrip(".") for w in words]
        if any(x in _NOT_A_WORKPLACE_NAME or x in _GENERIC_PLACE for x in lows):
            continue
        if len(words) >= 2 or not is_safe_word(lows[0]) or (not caseless and words[0].group()[0].isupper()):
            spans.append(Span(words[0].start(), words[-1].end(), "OTHER_ID", LAYER))
    for heads, cue, category in _FACILITY_SHAPES:
        for h in re.finditer(rf"(?<![\w'-])(?:{heads})(?![\w'-])", text, re.I):
            words = _modifiers_before(text, h.start())
            if not words:
                continue
            lows = [w.group().lower() for w in words]
            if lows[0] in _GENERIC_PLACE:
                continue
            # a name: a word the dictionary lacks or rarely uses ("tanglewood plant", "briarcliff high"), a place,
            # or a capital
            bare = [re.sub(r"['’]s$", "", x) for x in lows]  # a possessive's word ("st. mary's"); never "campus" -> "campu"
            name_words = [
                not is_safe_word(x) or is_rare_word(x) or w.group()[0].isupper() for x, w in zip(bare, words)
            ]
            named = any(name_words) or is_place(" ".join(lows))
            # a generic word next to the head makes it a kind of place ("the county high", "the old mill") unless a
            # name's word comes before it ("tri county high", "<x> valley regional")
            if lows[-1] in _GENERIC_FACILITY_MODS and not any(name_words[:-1]):
                continue
            lead = text[max(0, words[0].start() - 30) : words[0].start()]
            cued = re.search(rf"\b{cue}$", lead, re.I) is not None
            context = _context(text, h.start(), lines_before=1)
            head = h.group().lower()
            if heads is _CARE_HOME_HEADS:
                if _care_home(text, words, h, named, cued, context):
                    spans.append(Span(words[0].start(), h.end(), category, LAYER))
                continue
            if not cued and not (named and _said_alone(text, words[0].start(), heads, context)):
                continue
            if heads is _WORK_HEADS and not (named or _WORK_EVIDENCE.search(context)):
                continue
            if heads is _SCHOOL_HEADS and head in ("high", "tech", "prep", "state") and not (
                (named or head == "high" and len(words) > 1 and program_modifiers_ok(lows)) and _SCHOOL_EVIDENCE.search(context)
            ):
                continue  # "canyon ridge high" where the talk is of school: two words a name can be made of
            if heads is _SCHOOL_HEADS and head not in ("high", "tech", "prep") and not (named or _SCHOOL_EVIDENCE.search(context)):
                continue
            if heads is _CHURCH_HEADS and head in ("temple", "parish", "chapel", "mission") and not named:
                continue
            if heads is _SHELTER_HEADS and not (named or len(words) > 1):
                continue
            spans.append(Span(words[0].start(), h.end(), category, LAYER))
    for m in _EAP_EMPLOYER.finditer(text):
        # "the employee assistance program at boeing", "eap through tri-county transit": the employer that runs it
        words = _name_after(text, m.end(), caseless, max_words=4)
        if words and _plausible_name(words, is_place, head_ok=True) and words[0].group().lower() not in ("work", "job"):
            spans.append(Span(words[0].start(), words[-1].end(), "OTHER_ID", LAYER))
    for m in _COURT_IN.finditer(text):
        words = _name_after(text, m.end(), caseless, max_words=3)
        if words and (is_place(" ".join(w.group().lower() for w in words)) or any(
            not is_safe_word(w.group().lower()) for w in words
        ) or words[-1].group().lower() == "county" or (not caseless and words[0].group()[0].isupper())):
            spans.append(Span(m.start(), words[-1].end(), "OTHER_ID", LAYER))
    for m in _HOSPITAL_CUE.finditer(text):
        words = _name_after(text, m.end(), caseless, max_words=4)
        if words and _plausible_name(words, is_place, head_ok=True) and not is_place(" ".join(w.group().lower() for w in words)):
            spans.append(Span(words[0].start(), words[-1].end(), "PROVIDER", LAYER))
    if not caseless:
        for m in _ABBREVIATED_PLACE.finditer(text):
            spans.append(Span(m.start(), m.end(), "LOCATION", LAYER))
    for m in _SAINT.finditer(text):
        # "saint vincent's" (an institution's possessive) or a saint's name where the talk is of hospitals
        institution = m.group(2) is not None and m.group(2) != "s"
        if (institution or _HOSPITAL_WORDS.search(_context(text, m.start(), lines_before=1))) and not is_place(m.group().lower()):
            spans.append(Span(m.start(), m.end(), "PROVIDER", LAYER))
    return spans


# ------------------------------------------------------------------ an initialism said where a place is named
# Session 20 (init20): speech recognition writes an organisation's initialism in lower case, run together or as single
# letters ("a counselor at <x y>", "i ended up at <xyz>", "serving time at <wxyz>", "his doctor at <x y> <surname>").
# After "at" such letters name the school, hospital, jail or employer; what must stay readable is the initialism that
# names a kind of thing, not one organisation ("at the er", "at aa", "at iop", "at the va", "at the dmv"). Those have
# three homes, read in this order: the safe words (er, icu, aa, iop, php, mat, ppo, dmv, cdl ...), the public names
# no one is identified by (``safeword.CALENDAR_AND_PUBLIC``: va, dui, dwi, cps, dcfs, fbi, dea, ice ...) and, for
# the rest, the list below (read20b: it had repeated 45 words the other two hold, and two it could never read,
# "fedex" and "ob-gyn"). Letters that run on into an address ("at q z dot e d u") or a number ("at a b 4 4") are an
# e-mail's or an ID's.
_GENERIC_INITIALISMS = frozenset(
    """vamc cboc duii owi oui ged dhs dss dol dor dod ihs da pds gps hsa fsa tanf ssa ymca ywca picu uds ent cna emt
    atf irs usps nyc atm pc ba phd mba pcp gyn""".split()
)
_INITIALISM_AT = re.compile(
    r"(?<![\w'’-])(?i:at)[ \t]+(?:the[ \t]+)?(?P<letters>[a-z](?:[ ][a-z]){1,4}|[a-z]{2,4})(?![\w'’-])"
    r"(?![ ][a-z](?![\w'’-]))"
)
_INITIALISM_RUNS_ON = re.compile(
    r"[ \t,-]*(?:dot\b|@|\d|(?:" + "|".join(DIGIT_WORDS) + r")\b|(?:and|&)\s+[a-z]\b)", re.I
)


def initialism_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """An organisation's initialism in lower case after "at" ("at <xy>", "at <x y z>"), unless it is a generic one."""
    spans: list[Span] = []
    for m in _INITIALISM_AT.finditer(text):
        letters = m.group("letters")
        compact = letters.replace(" ", "")
        if is_safe_word(compact) or compact in CALENDAR_AND_PUBLIC or compact in _GENERIC_INITIALISMS or is_place(compact):
            continue
        if is_chart_word(compact):
            continue  # a chart's notation ("given at qhs", "at prn"): a time or a dose, no organisation (read20b)
        if compact in "abcdefghijklmnopqrstuvwxyz":
            continue  # "look at a b c", "at x y z": the alphabet's run, no initialism
        if _INITIALISM_RUNS_ON.match(text, m.end()):
            continue  # "at q z dot e d u", "at a t 4 4": an address's or an ID's letters
        if " " not in letters and (len(compact) < 2 or re.search(r"[aeiouy]{2}|[aeiouy][^aeiouy][aeiouy]", compact)):
            continue  # run together, a word that sounds like one ("mavo", "ozark"): other readers' to find, not letters
        spans.append(Span(m.start("letters"), m.end("letters"), "OTHER_ID", LAYER))
    return spans


# ------------------------------------------------------------------ the VA's community-care program
# Session 18 (vertical18): a veteran's coverage outside the VA is its community-care program (the Community Care
# Network; "VA Community Care" is listed), and callers say it bare where the talk is of the VA ("does he go through the
# va?" "yes, they said he can get community care"; "i got community care through the va"). The two words are ordinary
# English elsewhere ("she needs community care after discharge"), so the VA must be named on the line or in the two
# before it; an article before them makes a kind of thing ("a community care referral"), and the plans named with
# them are the dictionary's ("Community Care Plan", "Community Care Behavioral Health").
_VA_TALK = re.compile(r"(?<![\w'-])(?:va|v\.\s?a\.|v\s+a|veterans?\s+(?:affairs|administration))(?![\w'-])", re.I)
_VA_TALK = gate(_VA_TALK)
_COMMUNITY_CARE = re.compile(
    r"(?<![\w'-])(?<!\ba\s)(?<!\ban\s)community\s+care(?:\s+network)?(?![\w'-])(?!\s+(?:plan|behavioral|of)\b)", re.I
)
_COMMUNITY_CARE = gate(_COMMUNITY_CARE)


def va_program_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """The VA's community-care program said bare where the talk is of the VA (above): INSURER, Tier 3's
    ``va_health``."""
    matches = list(_COMMUNITY_CARE.finditer(text))
    if not matches:
        return []
    va = _WordsNear(_VA_TALK, text)
    return [Span(m.start(), m.end(), "INSURER", LAYER, "va_health") for m in matches if va.in_context(m.start())]


# ------------------------------------------------------------------ state agencies, organisations, VA hospitals
# A state agency places a caller as surely as a county jail does ("missouri probation and parole", "the tennessee
# department of children's services", "washington state patrol"): the state is Safe Harbor's to keep on its own,
# but said with the agency it names the office that supervises, employs or holds the person.
_STATE_ALT = "|".join(r"\s+".join(s.split()) for s in sorted(US_STATE_NAMES, key=len, reverse=True))
_AGENCY_TOPICS = (
    r"corrections?|correctional\s+services|probation(?:\s+(?:and|&)\s+parole)?|parole|juvenile\s+justice|youth\s+services"
    r"|children(?:'s)?(?:\s+(?:and\s+family\s+)?services)?|child(?:ren)?\s+and\s+family\s+services|family\s+services"
    r"|human\s+services|social\s+services|health\s+and\s+human\s+services|mental\s+health(?:\s+and\s+\w+\s+services)?"
    r"|behavioral\s+health|community\s+based\s+services|public\s+safety|rehabilitation(?:\s+services)?|veterans'?\s+affairs"
)
_STATE_AGENCY = re.compile(
    rf"(?<![\w'-])(?:{_STATE_ALT})\s+(?:"
    rf"(?:department|dept\.?|division|office|bureau|board)\s+(?:of|for)\s+(?:{_AGENCY_TOPICS})"
    r"|(?:probation|parole)(?:\s+(?:and|&)\s+(?:probation|parole))?(?:\s+(?:office|department|board))?|board\s+of\s+parole"
    r"|(?:state\s+)?(?:police|patrol|penitentiary|prison|hospital)|highway\s+patrol|national\s+guard|d\.?\s?o\.?\s?c\b\.?"
    r"|(?:dcs|dcfs|dfcs|dhs|dss|dhhs|dcf|dcyf|dfs|cps|cys)"
    r")(?![\w'-])",
    re.I,
)
_STATE_AGENCY = gate(_STATE_AGENCY)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)


def state_agency_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """A state's agency said with its state, in any case: corrections, probation and parole, child welfare, state
    police and patrols, state hospitals and penitentiaries ("missouri probation and parole", "ohio d o c")."""
    return [Span(m.start(), m.end(), "OTHER_ID", LAYER) for m in _STATE_AGENCY.finditer(text)]


# heads of a membership body or public service named for its members, its place or its number ("the Farm Bureau",
# "Minnesota Nurses Association", "teamsters local 120", "vfw post 8816", "the Bexley Fire Department")
_ORG_HEADS = (
    r"bureau|association|federation|brotherhood|sisterhood|legion|auxiliary|guild|grange"
    r"|local\s+\d{1,4}|post\s+\d{1,5}|lodge\s+(?:no\.?\s+|number\s+)?\d{1,4}"
    r"|(?:volunteer\s+)?fire\s+(?:department|dept\.?|district|company|rescue)|police\s+(?:department|dept\.?)"
    r"|sheriff'?s?\s+(?:department|dept\.?|office)"
    # session 12 (vertical12): the local office of probation, parole or corrections said by its place, county or tribe
    # ("williams county parole", "menominee tribal probation", "the tulsa district office"); a kind of supervision
    # ("felony probation", "federal parole") has no name before the head
    r"|(?:(?:county|district|tribal|municipal|regional|area|field)\s+)?(?:adult\s+|juvenile\s+)?"
    r"(?:probation(?:\s+(?:and|&)\s+parole)?|parole(?:\s+(?:and|&)\s+probation)?)(?:\s+(?:office|department|dept\.?|services))?"
    r"|(?:district|field|area|regional|parole|probation)\s+office"
)
_ORG_HEAD = re.compile(rf"(?<![\w'-])(?:{_ORG_HEADS})(?![\w'-])", re.I)
_ORG_HEAD = gate(_ORG_HEAD)
# modifiers that make a national or generic body, not one that places a person ("the Better Business Bureau",
# "the American Medical Association", "a homeowners association", "the federal bureau")
_GENERIC_ORG_MODS = frozenset(
    """national american united international federal us u.s. world global better business medical hospital heart cancer
    lung diabetes psychiatric psychological bar dental nurses teachers homeowners homeowner parent parents student
    students alumni neighborhood credit local state county city the a an his her my our their your this that""".split()
)
_NUMBERED_ORG = re.compile(r"(?:local|post|lodge)\b", re.I)
_SUPERVISION_HEAD = re.compile(r"(?:probation|parole)$", re.I)
_OFFICER_AFTER = re.compile(r"\s+(?:officers?|agents?)\b", re.I)


def _named_words(lows: list[str], words: list, is_place: Callable[[str], bool], caseless: bool) -> bool:
    """Whether words before a head name something: a word no dictionary knows or English rarely uses, a place, a
    state, or, in cased text, capitals."""
    return (
        any(not is_safe_word(x.removesuffix("'s")) or is_rare_word(x.removesuffix("'s")) for x in lows)
        or is_place(" ".join(lows))
        or any(x in US_STATE_NAMES for x in lows)
        or (not caseless and all(w.group()[0].isupper() for w in words))
    )


def organisation_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """Membership bodies and local public services by their name and head: a bureau, association, federation,
    legion or guild, a union local or a veterans' post by its number, a town's fire or police department. The name
    is one to three words before the head that are no generic body's ("the Better Business Bureau", "a homeowners
    association" stay); the words must name something: capitals in cased text (the head capitalised too), a word no
    dictionary knows, a place or a state; a numbered local or post needs only a name before it."""
    spans: list[Span] = []
    for h in _ORG_HEAD.finditer(text):
        head = h.group()
        if not caseless and not head[0].isupper():
            continue
        words = _name_before(text, h.start(), caseless, max_words=3)
        if not caseless:  # "Minnesota Nurses Association": the run of capitals
            while words and not words[0].group()[0].isupper():
                words = words[1:]
        lows = [w.group().lower() for w in words]
        while words and lows[0] in CORE_FUNCTION_WORDS:
            words, lows = words[1:], lows[1:]
        if not words or all(x in _GENERIC_ORG_MODS for x in lows) or lows[0] in _GENERIC_PLACE:
            continue
        numbered = _NUMBERED_ORG.match(head) is not None
        if not numbered and not _named_words(lows, words, is_place, caseless):
            continue
        if _SUPERVISION_HEAD.search(head) and _OFFICER_AFTER.match(text, h.end()):
            continue  # "curtis haugen parole officer": a person and the role, not an office named for a place
        spans.append(Span(words[0].start(), h.end(), "OTHER_ID", LAYER))
    return spans


# ------------------------------------------------------------------ the organisation a professional caller speaks for
# Session 22 (vert22): an interpreter, a caseworker, an officer or a counselor opens a call by naming who they are and
# the organisation they speak for ("this is <name> with <x>", "i'm an interpreter with <x>", "i'm the case manager
# with <x>"). The frame is what names it: a role noun, or a self-introduction by a name, right before "with". The
# organisation is the run of name words after it (an article skipped), to punctuation, a line's end, a function word
# or a pronoun's contraction ("... we're the agency for ..."), a role or identifier word ("... interpreter number ...");
# "for", "of" and "and" stay inside between two name words ("<x> for <y> families"). Never what a person is with
# ("i'm okay with that", "i'm living with my brother", "i'm calling with a member"), a generic or public body ("with
# the county", "with child protective services", "with the state health department") or the center itself.
# the roles a professional caller names themselves by; said after the organisation ("<x> language line interpreter
# number ...", "<x> family partners case manager ...") a role's last word ends the organisation's name (read22: the
# roles were listed twice, and "manager" was missing from the second list)
_SPEAKER_ROLE_NAMES = (
    "interpreter", "translator", "caseworker", "case worker", "case manager", "care manager", "social worker",
    "counselor", "counsellor", "therapist", "clinician", "consultant", "coordinator", "navigator", "advocate", "liaison",
    "specialist", "officer", "agent", "aide", "nurse", "representative", "rep", "chaplain", "director", "supervisor",
    "investigator", "worker",
)
_SPEAKER_ROLES = "|".join(r"\s+".join(role.split()) for role in _SPEAKER_ROLE_NAMES)
_SPEAKER_WITH = re.compile(
    r"\b(?:(?:this\s+is|i['’]?m|i\s+am)\s+(?:(?:an?|the|your)\s+)?(?:[a-z-]+\s+){0,3}?(?:" + _SPEAKER_ROLES + r")"
    r"|this\s+is\s+(?P<who>[a-z'’-]+(?:\s+[a-z'’-]+){0,2}))"
    r",?\s+with\s+",
    re.I,
)
_SPEAKER_WITH = gate(_SPEAKER_WITH)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_ORG_JOINERS = frozenset({"for", "of", "and"})
# a role or identifier word ends the organisation's name ("<x> language line interpreter number ..."); written with
# a straight apostrophe (``_name_after`` compares a curly one as straight)
_ORG_NAME_ENDS = frozenset(role.split()[-1] for role in _SPEAKER_ROLE_NAMES) | frozenset(
    "number id badge extension member calling here today that's we've there's who's".split()
)
# words of a public or generic body, no organisation one could be placed by ("with child protective services")
_GENERIC_BODY_WORDS = frozenset(
    """county state city federal public child children adult adults protective protection services service department
    dept agency office court courts hospital hospitals clinic school district team unit program government tribe
    home hospice legal mental behavioral""".split()
)
_SPEAKER_ORG_MAX_WORDS = 6


def speaker_organisation_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """The organisation a professional caller introduces themselves with ("i'm an interpreter with <x>", "this is
    <name> with <x>")."""
    spans: list[Span] = []
    for m in _SPEAKER_WITH.finditer(text):
        who = m.group("who")
        if who is not None:
            # "this is <name> with": the words must be a name's (no English word among them, or capitals in cased text)
            tokens = who.split()
            if any(t.lower() in NAME_STOP_WORDS for t in tokens) or not (
                any(not is_safe_word(t.lower()) for t in tokens) or (not caseless and all(t[0].isupper() for t in tokens))
            ):
                continue
        words = _name_after(text, m.end(), caseless, max_words=_SPEAKER_ORG_MAX_WORDS, joiners=_ORG_JOINERS, ends=_ORG_NAME_ENDS)
        if not words:
            continue
        lows = [w.group().lower() for w in words]
        named = _named_words(lows, words, is_place, caseless)
        if not named and (len(words) < 2 or lows[0] in _GENERIC_BODY_WORDS):
            continue
        if " ".join(lows) in US_STATE_NAMES or all(x in _GENERIC_BODY_WORDS or x in CALENDAR_AND_PUBLIC for x in lows):
            continue
        spans.append(Span(words[0].start(), words[-1].end(), "OTHER_ID", LAYER))
    return spans


# ------------------------------------------------------------------ military units
# A service member's unit narrows a person to a few hundred as a base does ("he's with 1st Battalion, 16th Infantry",
# "second battalion eighth marines", "he's tenth mountain", "two slash eight"): an ordinal, in digits or words, and a
# unit's head, chained with the next echelon. Ordinals and these heads are ordinary words ("the second division of
# the league", "the tenth mountain we climbed"), so the talk must be of the service.
_ORDINAL_WORD = (
    r"(?:(?:one\s+)?hundred(?:\s+and)?\s+|one\s+oh\s+)?"
    r"(?:(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)"
)
_ORDINAL = rf"(?:\d{{1,3}}(?:st|nd|rd|th)|{_ORDINAL_WORD})"
_UNIT_HEAD = (
    r"(?:battalion|brigade(?:\s+combat\s+team)?|regiment|division|infantry|airborne|air\s+assault|cavalry|cav|armou?red"
    r"|mountain|marines|marine\s+regiment|marine\s+expeditionary\s+(?:unit|force)|artillery|field\s+artillery|engineers?"
    r"|signal|aviation|rangers?|ranger\s+battalion|special\s+forces(?:\s+group)?|sfg|squadron|(?:fighter|airlift|bomb|air)\s+wing"
    r"|wing|fleet|support\s+battalion|sustainment\s+brigade|combat\s+aviation\s+brigade|(?:infantry|armou?red|airborne|mountain)\s+division)"
)
_ONE_UNIT = rf"{_ORDINAL}(?:\s+{_UNIT_HEAD}){{1,2}}"
_MILITARY_UNIT = re.compile(
    rf"(?<![\w'-])(?:{_ONE_UNIT}(?:,?\s+{_ONE_UNIT})*"
    # "two slash eight", "3/7": battalion and regiment said as a fraction, after the words that name a unit
    r"|(?<=with\s)(?:\d|one|two|three|four|five|six|seven|eight|nine)\s*(?:/|\s+slash\s+)\s*(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))"
    r"(?![\w'-])",
    re.I,
)
_MILITARY_UNIT = gate(_MILITARY_UNIT)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_MILITARY_TALK = re.compile(
    r"\b(?:army|marines?|marine\s+corps|navy|air\s+force|national\s+guard|reservists?|soldiers?|troops|sergeant"
    r"|sgt|corporal|lieutenant|colonel|airman|sailor|seaman|platoon|deploy(?:ed|ment|ments|s)?|active\s+duty"
    r"|enlisted|(?:on|the|air|army|naval|marine)\s+base|fort|ft|military|dod|tricare"
    r"|veterans?|served|service\s+member|chain\s+of\s+command)\b",
    re.I,
)


def military_unit_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """A military unit by its ordinal and head, in any case and in words ("1st Battalion, 16th Infantry", "second
    battalion eighth marines", "tenth mountain", "eighty second airborne"), or as the fraction a unit is called by
    after "with" ("with two slash eight"), where the talk is of the service (a rank, a branch, a base, deployment)."""
    if is_chart(text):
        return []  # call talk: a chart's "1st degree", "2nd division" of a service are none
    talk = _WordsNear(_MILITARY_TALK, text)
    spans: list[Span] = []
    for m in _MILITARY_UNIT.finditer(text):
        if talk.in_context(m.start()):
            spans.append(Span(m.start(), m.end(), "OTHER_ID", LAYER))
    return spans


# ------------------------------------------------------------------ programs named "<x> house", "casa de <x>", "hogar <x>"
# A recovery house is named like any house ("cedar crest house", "pocomoke house"), and families who speak Spanish
# name a program in Spanish ("casa de luz", "hogar nuevo amanecer"). What tells a program from a home is the talk of
# treatment, a name (two name-capable words, a word no dictionary knows, capitals in cased text) and no owner before it.
# session 21 (rawvert21): the other ordinary words a residential program is named by ("<name> haven", "<name> harbor",
# "<name> hollow", "<name> crossing", and the ranch and lodge the program shape reads), read here the same way: in
# lower case the program shape refuses a name with a verb or a generic word before it ("said try <name> lodge",
# "places before <name> ranch"), and knows no haven, harbor, hollow or crossing (in cased text "Safe Harbor", "New
# Haven" and "Sleepy Hollow" would read as programs there)
_HOUSE = re.compile(r"(?<![\w'-])(?:house|haven|harbou?r|hollow|crossing|ranch|lodge)(?![\w'-])", re.I)
_HOUSE = gate(_HOUSE)
# what is said right before a name with no stop between in a raw transcript ("mom says <name> haven", "he thinks <name>
# harbor"): a verb of saying, knowing or naming is no part of it
_SAYING = frozenset("say says said tell tells told think thinks thought know knows knew hear hears heard mention mentions".split())
# per head, the words right before it that make a kind of place or a place, not a program's name ("a safe haven",
# "a border crossing", "the cattle ranch", "the ski lodge")
HEAD_KINDS = {
    "haven": frozenset("safe tax save".split()),
    "harbor": frozenset("safe boat inner outer small pearl fishing".split()),
    "hollow": frozenset("sleepy".split()),
    "crossing": frozenset("border railroad rail train pedestrian street road river bridge deer animal cattle school zebra".split()),
    "ranch": frozenset("cattle horse dude guest sheep hog cow family boys girls working dairy goat chicken style".split()),
    "lodge": frozenset("ski hunting hunt fishing fish moose elks elk masonic mason masons eagles hotel motor lake".split()),
}
# "<x> house" compounds that are kinds of house, not names ("the trap house", "the white house", "a halfway house")
_HOUSE_KINDS = frozenset(
    """trap crack drug dope meth flop party frat fraternity sorority boarding group halfway sober safe half way white green
    full open big dog farm ranch guest coffee court fire bath club pool tiny mobile town tree summer beach lake country
    haunted fun bounce glass light ware steak pancake waffle opera round bunk ice packing slaughter poor alms work
    rooming lodging recovery treatment mission shelter foster care nursing family whole entire same other new old
    own little small nice empty""".split()
)
_OWNER_BEFORE = re.compile(
    r"\b(?:a|an|some|any|my|his|her|their|our|your|its|that|this|whose|mi|su|tu|nuestra|la|el|una|un)\s+$", re.I
)
_SPANISH_PROGRAM = re.compile(
    r"(?<![\w'-])(?:casa|hogar|centro)\s+(?:de\s+(?:la\s+|el\s+|los\s+|las\s+)?)?"
    r"(?!(?:de|la|el|los|las|en|y|con|que|por|para|mi|su|a|the|in|and|of|for|with|on|at)\b)[a-záéíóúñ][a-záéíóúñ'-]+"
    r"(?:\s+(?!(?:de|en|y|con|que|por|para|in|and|the|of|for|with|on|at|when|where|but|so|or|was|is|he|she|they|i)\b)[a-záéíóúñ][a-záéíóúñ'-]+)?",
    re.I,
)
_SPANISH_PROGRAM = gate(_SPANISH_PROGRAM)
_SPANISH_TREATMENT_WORDS = re.compile(r"\b(?:centro|programa|tratamiento|rehabilitaci[oó]n)\b", re.I)


def program_house_spans(text: str, caseless: bool, is_place: Callable[[str], bool]) -> list[Span]:
    """A program named "<name> house" ("green hollow house", "Cedar Crest House"), in lower case "<name> haven",
    "harbor", "hollow", "crossing", "ranch" or "lodge" (session 21), or in Spanish ("casa de luz", "hogar nuevo
    amanecer") where the call is on treatment; never a kind of house ("the trap house", "a halfway house", "a safe
    haven", "the cattle ranch") or someone's ("his mom's house", "mi casa")."""
    spans: list[Span] = []
    treatment = _WordsNear(_TREATMENT_WORDS, text)
    for h in _HOUSE.finditer(text):
        if not caseless and not h.group()[0].isupper():
            continue
        words = _name_before(text, h.start(), caseless, max_words=3)
        if not caseless:
            while words and not words[0].group()[0].isupper():
                words = words[1:]
        # the name is the run of name-capable words right before the head ("he liked quillsby house": "quillsby");
        # an owner ends it, and a kind of house or an owner right before the head leaves no name ("the trap house",
        # "his mom's house"; but "Green Country Hope House")
        run: list = []
        head = h.group().lower().replace("harbour", "harbor")
        kinds = _HOUSE_KINDS if head == "house" else HEAD_KINDS[head]
        if head != "house" and not caseless:
            continue  # cased text: the program shape reads "<Name> Ranch"; "Safe Harbor" and "New Haven" stay
        audience: list = []  # "<name> men's house": who it is for, between the name and the head
        owned = False  # "his uncle's <name> ranch": someone's place, whatever it is called
        for w in reversed(words):
            low = w.group().lower()
            if (not run and not audience and low in kinds):
                break
            if low in AUDIENCE_WORDS:
                if run:
                    break
                audience.insert(0, w)
                continue
            if low == "new" and run:
                run.insert(0, w)  # "new <name> house": the word so many programs open with, before a name word
                continue
            if low.endswith(("'s", "’s")) or not program_modifiers_ok([low]) or (head != "house" and low in _SAYING):
                owned = low.endswith(("'s", "’s")) and head != "house"
                break
            run.insert(0, w)
        if owned:
            continue
        lows = [w.group().lower() for w in run]  # the name's own words: "<x> men's house" is one name word
        words = run + audience if run else []
        if not words:
            continue
        if _OWNER_BEFORE.search(text, max(0, words[0].start() - 12), words[0].start()):
            continue
        # a name word with who the program is for ("<x> men's house") is a name as two name words are
        named = len(lows) >= 2 or bool(audience) or any(not is_safe_word(x) or is_rare_word(x) for x in lows) or not caseless
        if named and treatment.in_context(h.start()):
            spans.append(Span(words[0].start(), h.end(), "COMPETITOR", LAYER))
    spanish_treatment = _WordsNear(_SPANISH_TREATMENT_WORDS, text)
    for m in _SPANISH_PROGRAM.finditer(text):
        if _OWNER_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if treatment.in_context(m.start()) or spanish_treatment.in_context(m.start()):
            spans.append(Span(m.start(), m.end(), "COMPETITOR", LAYER))
    return spans


# ------------------------------------------------------------------ an institution named for a found place or name
# Callers name a prison, a hospital, a university, an employer or a program by a place or a person and a word or two
# more ("a c o at pelican bay", "my doctor's at sutter coast", "she's at ole miss", "a professor at Wichita State",
# "he works at mesa valley trucking", "he's been to four corners healing", "<x> recovery center"). The place or the
# name is found; the words after it, which make it the institution, are not.
_INSTITUTION_CUE_BEFORE = re.compile(r"\b(?:at|for)\s+(?:the\s+)?(?:(?:um|uh)\s+)?$", re.I)
_ONE_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z][A-Za-z'’-]*)")
# a clause ends here: punctuation or the end of the line (the payer slot reads its answers with it too)
CLAUSE_ENDS = re.compile(r"[ \t]*(?:[.,;?!]|$)", re.M)
# a program's head after a found place or name, with at most one name word between ("tumon serenity center")
_PROGRAM_HEAD_AFTER = re.compile(
    r"[ \t]+(?:([A-Za-z][A-Za-z'’-]*)[ \t]+)??"
    r"(recovery(?:[ \t]+(?:center|centre))?|detox(?:[ \t]+center)?|rehab(?:ilitation)?(?:[ \t]+center)?|treatment[ \t]+(?:center|centre)"
    r"|healing(?:[ \t]+(?:center|lodge))?|wellness[ \t]+center|behavioral[ \t]+health|sober[ \t]+living|center|centre)(?![\w'-])",
    re.I,
)
# an episode said right before the found place ("he's been to <x> healing", "she went to <x> recovery"): with a
# program's head after the place, a stay there, whatever else the call is about
_EPISODE_BEFORE = re.compile(
    r"\b(?:been|went|gone|go|goes|going|was|were|stayed|staying|tried|did\s+(?:\w+\s+){1,3}(?:at|in))\s+(?:(?:to|at|in)\s+)?(?:the\s+)?$", re.I
)
# the center's own site said with its program ("our macon detox", "your tulsa campus"): the center's, no competitor
_OWN_SITE_BEFORE = re.compile(r"\b(?:our|your)\s+$", re.I)
# a word after a place or a name that says where or when, not which institution ("at tucson now", "for dale
# today", "at phoenix proper", "at mesa area"), or a program's own site ("our conroe campus", which the site rule
# reads and keeps the noun of)
_NOT_AN_INSTITUTION_WORD = frozenset(
    """yesterday today tonight tomorrow still again already anymore anyway either lately recently sometimes mostly
    actually honestly basically probably maybe definitely please thanks thank area areas side region metro proper
    downtown city town county north south east west northern southern eastern western too also though monday tuesday
    wednesday thursday friday saturday sunday weekend weekends morning afternoon evening
    campus campuses location locations site branch""".split()
)
# trades and industries named by a gerund: a business's head, where any other "-ing" word says what someone did
# ("at tucson working"); the employer reader (``lexicon.EmployerAfterCue``) ends a name at any other ("hired on at <x>
# stacking pallets")
BUSINESS_GERUNDS = frozenset(
    """shipping trucking roofing plumbing mining drilling welding landscaping staffing towing manufacturing packing
    printing catering cleaning consulting engineering marketing publishing banking farming logging paving fencing
    flooring heating lending lighting nursing recycling pumping hauling freighting processing dairying ranching
    contracting excavating outfitting framing siding converting coating finishing machining molding moulding stamping
    forging plating milling casting brewing distilling bottling packaging tooling wrecking rigging grading dredging
    surveying engraving""".split()
)


def _institution_word_ok(text: str, after: re.Match, covered: "_Intervals") -> bool:
    """Whether the word after a found place or name can be what makes it an institution: no function word, time,
    direction, kind of place, adverb or activity, and nothing found on it already."""
    low = after.group(1).lower().strip("'’")
    if low in BUSINESS_GERUNDS:
        return not covered.overlapping(after.start(1), after.end(1))
    return not (
        low in NAME_STOP_WORDS
        or low in FUNCTION_WORDS
        or low in _GENERIC_PLACE
        or low in _NOT_AN_INSTITUTION_WORD
        or low.endswith(("'s", "’s"))
        or (low.endswith(("ing", "ed", "ly")) and is_safe_word(low))
        or covered.overlapping(after.start(1), after.end(1))
    )


def institution_after_found(text: str, spans: list[Span]) -> list[Span]:
    """A place, a name or a program found right before a program's head where the talk is of treatment ("four
    corners healing", "<x> serenity center", "red dirt" said again before "recovery center") is that program
    (COMPETITOR); a place or a name found right after "at" or "for" that one more word turns into an institution
    before the clause ends ("at pelican bay.", "at sutter coast.", "at ole miss.", "at Wichita State for thirty
    years", "at desert sun trucking in") is that institution (OTHER_ID, which ranks over the place or the name).
    That word must end the clause or stand before a function word, and be no function word, time, direction, kind
    of place, activity or adverb ("at tucson now", "for dale today", "at mesa area", "at phoenix working"); a
    program's head needs a name-capable word between, if any ("tucson inpatient rehab" is no name), and a town said
    after "in" takes no one-word head ("in phoenix recovery is hard"). Call talk only: a chart note
    (``register.is_chart``) is left as it is. Returns ``spans`` with the institutions added."""
    if is_chart(text):
        return spans  # call talk: a chart's shorthand after a found word ("at al times", "for cola drinks") is none
    covered = _Intervals((s.start, s.end) for s in spans)
    treatment = _WordsNear(_TREATMENT_WORDS, text)
    out: list[Span] = []
    for s in spans:
        if s.category not in ("LOCATION", "NAME", "COMPETITOR") or len(text[s.start : s.end].split()) > 3:
            continue
        head = _PROGRAM_HEAD_AFTER.match(text, s.end)
        own_site = _OWN_SITE_BEFORE.search(text, max(0, s.start - 8), s.start) is not None
        episode = head is not None and _EPISODE_BEFORE.search(text, max(0, s.start - 40), s.start) is not None
        if head and not own_site and not covered.overlapping(head.start(2), head.end(2)) and (
            episode or treatment.in_context(s.start)
        ):
            between = head.group(1)
            bare = between is None and " " not in head.group(2).strip()
            if bare and s.evidence == "place_preposition":
                pass  # "in phoenix recovery is hard": the town where, then the word
            elif (between is None and head.group(2).lower() not in ("center", "centre")) or (
                between is not None and program_modifiers_ok([between])
            ):
                out.append(Span(s.start, head.end(), "COMPETITOR", LAYER, None, "program_after_place"))
                continue
        if s.category == "COMPETITOR" or not _INSTITUTION_CUE_BEFORE.search(text, max(0, s.start - 24), s.start):
            continue
        after = _ONE_WORD_AFTER.match(text, s.end)
        if not after or not _institution_word_ok(text, after, covered):
            continue
        if not CLAUSE_ENDS.match(text, after.end()):
            following = _WORD.match(text, _FILLER.match(text, after.end()).end())
            if following is not None and following.group().lower() not in NAME_STOP_WORDS:
                continue  # the clause goes on: "for dale smith said" is a name's
        out.append(Span(s.start, after.end(1), "OTHER_ID", LAYER, None, "institution_after_place"))
    return spans + out


# ------------------------------------------------------------------ a name's leading state
# Programs, crisis lines and employers are named for their state ("Arkansas River Recovery", "Alaska Careline",
# "texas star recovery"). The state alone is Safe Harbor's to keep, so a recognizer stops a name short of it (the
# program shape drops a state from its modifiers, the safe-word layer flags only the word it does not know), and the
# state is left beside the name it begins. Said after "in", "from" or "near", the state is where, not the name's.
_STATE_BEFORE = re.compile(rf"(?<![\w'-])({_STATE_ALT})[ \t]+$", re.I)
_WHERE_BEFORE_STATE = re.compile(
    r"\b(?:in|from|near|outside(?:\s+of)?|across|around|through|of|out\s+of|moved\s+to|back\s+to|lives?|living|stays?)\s+$", re.I
)
_ORGANISATION_CATEGORIES = ("COMPETITOR", "OTHER_ID", "PROVIDER")


def state_before_found(text: str, spans: list[Span]) -> list[Span]:
    """A program, facility or name found right after a state's name that begins it ("Arkansas River Recovery" found
    as "River Recovery", "with Alaska Careline" as "Careline") takes the state in: the organisation, or a word no
    dictionary knows, is the state's program, line or employer. Never where the state says where ("a bed in Texas
    Star Recovery has", "my cousin from ohio dale said"), nor a state found already. Call talk only. Returns
    ``spans`` with the grown ones added."""
    if is_chart(text):
        return spans
    covered = _Intervals((s.start, s.end) for s in spans)
    out: list[Span] = []
    for s in spans:
        if s.category not in _ORGANISATION_CATEGORIES and not (s.category == "NAME" and s.evidence == NO_DICTIONARY_WORD):
            continue
        state = _STATE_BEFORE.search(text, max(0, s.start - 24), s.start)
        if state is None or covered.overlapping(state.start(1), state.end(1)):
            continue
        if _WHERE_BEFORE_STATE.search(text, max(0, state.start(1) - 16), state.start(1)):
            continue
        if s.category == "NAME" and not text[s.start : s.end].split()[0][:1].isupper() == state.group(1)[:1].isupper():
            continue  # "Alaska Careline": in cased text the state and the word are both capitalised, one name
        out.append(Span(state.start(1), s.end, s.category, s.layer, s.canonical, "state_before_found"))
    return spans + out


# ------------------------------------------------------------------ a plan product after its carrier
# Callers answer the insurance question with the carrier and then the product in everyday words ("<blue plan of a
# state>, <x> choice.", "<carrier> the <x> plus network", "<carrier>. the <x> health plan."). The words alone are no
# name (the payer slot rightly refuses a sentence of everyday words); right after a carrier the lexicon found, in the
# same turn, they are its product. Session 21 (plan21).
_PLAN_LINK = re.compile(
    r"(?P<sep>[ \t]*[,.][ \t]*|[ \t]+)(?:(?:it's|its|it\s+is|the|plan\s+(?:called|named)|called|through|thru)[ \t]+){0,2}",
    re.I,
)
_PLAN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PLAN_GAP = re.compile(r"[ \t]+")
# the words that make a run of everyday words a plan's name
# (the plan words and network letters are ``asr_terms.PLAN_WORDS``, their one home; "plans" is no product's head)
_PLAN_HEADS = (PLAN_WORDS - {"plans"}) | frozenset(
    "choice select advantage plus network hdhp gold silver bronze platinum fund".split()
)
# a head that names a plan by itself after a comma ("<carrier>, ppo"), and the heads that do so right after the
# carrier ("<carrier> choice"); never "plan" ("<carrier> plan" is as often talk about it: 20 false tokens for one
# identifier on development data) nor "plus" ("<carrier> plus my wife's")
_PLAN_ALONE = (PLAN_WORDS - {"plan", "plans"}) | {"hdhp"}
_PLAN_ALONE_ADJACENT = _PLAN_ALONE | frozenset("choice select advantage gold silver bronze platinum".split())
# what a plan is like or whose it is, not its name: a run of these and heads is talk about the plan ("<carrier>,
# good plan though", "<carrier>, the family plan")
_GENERIC_PLAN_WORDS = frozenset(
    """good bad great best better worse cheap cheaper cheapest expensive old new regular normal usual basic standard
    family individual private public employer employee work job company group medical dental vision drug drugs
    prescription insurance coverage full main primary secondary backup second crappy decent nice real whole
    same other own current previous health state government federal marketplace exchange medicaid medicare
    supplement supplemental""".split()
)
_PLAN_MAX_WORDS = 6
_FILLER_WORDS = frozenset("um uh uhm er ah like".split())


def _plan_words(text: str, pos: int) -> tuple[list[re.Match], bool]:
    """The run of plan-capable words from ``pos`` (at most ``_PLAN_MAX_WORDS``; "of" inside a run only, "State of
    <x> Employee Plan"), and whether a clause ends right after it (else a function word, or too many words, did)."""
    words: list[re.Match] = []
    while len(words) < _PLAN_MAX_WORDS:
        m = _PLAN_WORD.match(text, pos)
        if m is None:
            break
        w = m.group().lower()
        if w == "of" and words:
            nxt = _PLAN_GAP.match(text, m.end())
            following = _PLAN_WORD.match(text, nxt.end()) if nxt else None
            if following is None or following.group().lower() in NAME_STOP_WORDS:
                break
            pos = nxt.end()
            continue
        if w in NAME_STOP_WORDS or w in _FILLER_WORDS:
            break
        words.append(m)
        gap = _PLAN_GAP.match(text, m.end())
        if gap is None:
            break
        pos = gap.end()
    ends = bool(words) and CLAUSE_ENDS.match(text, words[-1].end()) is not None
    return words, ends



def plan_after_carrier(text: str, spans: list[Span]) -> list[Span]:
    """A plan product said in everyday words right after a carrier the lexicon found, in the same turn ("<carrier>,
    <x> choice.", "<carrier>, the <x> plus network i think", "<carrier>. the <x> health plan.", "<carrier> <x> <y>
    plan", "<carrier>, plan called <x> select") is part of the insurer (INSURER). The product is a run of words no
    function word breaks that holds a plan head (``_PLAN_HEADS``) and a word that is more than talk about a plan
    (``_GENERIC_PLAN_WORDS``: "<carrier>, good plan though"); it runs to the clause's end or ends in its head; one
    word only when it is a network's letters ("ppo") or, right after the carrier, a product head ("<carrier> choice"),
    never "plan" or "plans" first (the carrier's plans, not a name); after a sentence
    break, two words or more ending in the head. Nothing without a found carrier before it, nothing on another line,
    nothing in a chart note. Returns ``spans`` with the products added."""
    if is_chart(text):
        return spans
    out: list[Span] = []
    for s in spans:
        if s.category != "INSURER":
            continue
        link = _PLAN_LINK.match(text, s.end)
        if link is None:
            continue
        sep = link.group("sep")
        words, ends = _plan_words(text, link.end())
        if not words:
            continue
        lowered = [w.group().lower() for w in words]
        if not ends:
            # a function word stopped the run, which ends in its head ("the <x> plus network i think")
            if lowered[-1] not in _PLAN_HEADS or len(words) == _PLAN_MAX_WORDS:
                continue
            gap = _PLAN_GAP.match(text, words[-1].end())
            nxt = _PLAN_WORD.match(text, gap.end()) if gap else None
            if nxt is None or nxt.group().lower() not in NAME_STOP_WORDS:
                continue
        if not any(w in _PLAN_HEADS for w in lowered):
            continue
        if lowered[0] in ("plan", "plans"):
            continue  # "<carrier> plans <another carrier>": the carrier's plans, not a product's name
        if len(lowered) == 1:
            adjacent = link.end() - s.end == len(sep) and not sep.strip()
            if not (lowered[0] in _PLAN_ALONE or (adjacent and lowered[0] in _PLAN_ALONE_ADJACENT)) or sep.strip() == ".":
                continue
        elif not any(w not in _PLAN_HEADS and w not in _GENERIC_PLAN_WORDS for w in lowered):
            continue
        if sep.strip() == "." and lowered[-1] not in _PLAN_HEADS:
            continue
        if "\n" in text[s.end : words[-1].end()]:
            continue
        out.append(Span(words[0].start(), words[-1].end(), "INSURER", LAYER, None, "plan_after_carrier"))
    return spans + out
