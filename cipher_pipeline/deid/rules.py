"""Layer 1, ``rules``: identifiers with a shape, found by regular expressions and spoken-number parsing.

The layer is a chain of recognizers (``recognizer.py``), one class per kind of identifier, each with its category,
its patterns, the context words it reads and its own validation: ``EmailRecognizer`` ... ``SpelledLetters``, listed
in ``RECOGNIZERS``. :func:`find` runs them all, adds the times written after a found date (a step that needs every
date the layer found) and, in a written chart note, drops what is a measurement there. After the engine has merged
every layer's findings, :func:`id_tails` and :func:`id_echoes` grow or repeat the identifiers found by any layer.
Every span names the recognizer that found it (``Span.recognizer``), so an auditor can tell which detector masked
what. Validation that is the same for several recognizers (a dose is no code, a sentence is no street) lives in the
module-level helpers they share.

Numbers are classified by their shape (digit count, written grouping) and by the nearest keyword in the
context before them, including the previous turn ("what's the member ID?" / "it's XWB-448,172,093"). Years,
durations and money are left alone on purpose: they carry the insight and are not Safe Harbor identifiers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterator, NamedTuple

from cipher_pipeline.deid import chart_dates
from cipher_pipeline.deid.numbers import DIGIT_WORDS, find_number_runs
from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer, run_all
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import read_turns
from cipher_pipeline.deid.words import (
    CORE_FUNCTION_WORDS,
    ELDER_KIN,
    OFF_NOT_STREET,
    US_OUTLYING_CODES,
    US_STATE_BY_CODE,
    casing_style,
    clinical_words,
    is_safe_word,
    kin_pattern,
    near_clinical_word,
    opens_clause,
)
from cipher_pipeline.vocabulary import ONES, ORDINALS, SCALE_WORDS, TENS

LAYER = "rules"

# ---------------------------------------------------------------- vocabulary
MONTHS_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS_ABBR = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
MONTH = rf"(?:{MONTHS_FULL}|(?:{MONTHS_ABBR})\.?)"
# Months that are also ordinary words: only trusted when capitalised or next to a day number
AMBIGUOUS_MONTHS = {"may", "march", "august", "jan", "mar", "sep", "dec"}
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|Thurs|Thu|Fri|Sat|Sun)\.?"
# the number words are cipher_pipeline.vocabulary's (ONES, TENS, ORDINALS): the one list; a day of the month goes to
# thirty-one, so only "twenty"/"thirty" take a unit
_ORD_UNITS = "|".join(ORDINALS[i] for i in range(1, 10))
ORD_WORD = (
    rf"(?:(?:twenty|thirty)[- ](?:{_ORD_UNITS})|{_ORD_UNITS}|"
    + "|".join(ORDINALS[i] for i in (*range(10, 20), 20, 30))
    + ")"
)
_CARD_UNITS = "|".join(ONES[1:10])
CARD_DAY = rf"(?:(?:twenty|thirty)[- ](?:{_CARD_UNITS})|twenty|thirty|{_CARD_UNITS}|" + "|".join(ONES[10:20]) + ")"
DAY_NUM = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,]\d)|{ORD_WORD})"
# A holiday dates the day it names (Safe Harbor: every date element but the year), whoever keeps it: the federal
# ones, the days a state or a region keeps, and the religious and cultural feasts callers date things by. Only
# names that are no ordinary phrase are listed; a feast said by its saint is ``_FEAST_DAY``.
HOLIDAYS = (
    # federal and nationwide
    r"christmas(?:\s+eve|\s+day)?|thanksgiving(?:\s+day)?|new\s+year'?s(?:\s+eve|\s+day)?|easter(?:\s+sunday|\s+monday)?"
    r"|fourth\s+of\s+july|independence\s+day|memorial\s+day|labor\s+day|halloween|valentine'?s(?:\s+day)?"
    r"|mother'?s\s+day|father'?s\s+day|st\.?\s+patrick'?s(?:\s+day)?|saint\s+patrick'?s(?:\s+day)?|veterans'?\s+day"
    r"|presidents'?\s+day|(?:mlk|martin\s+luther\s+king(?:\s+jr\.?)?)\s+day|juneteenth|cinco\s+de\s+mayo"
    r"|black\s+friday|cyber\s+monday|good\s+friday|columbus\s+day|indigenous\s+peoples'?\s+day|groundhog\s+day"
    r"|april\s+fool'?s(?:'?\s+day)?|election\s+day|inauguration\s+day|super\s+bowl\s+sunday|flag\s+day|arbor\s+day"
    r"|earth\s+day|tax\s+day|leap\s+day|armistice\s+day|grandparents'?\s+day|sweetest\s+day|boxing\s+day"
    r"|washington'?s\s+birthday|lincoln'?s\s+birthday"
    # session 17 (rules17b): the rest of the US calendar's named days, from the federal observances of 36 U.S.C. ch. 1
    # and the anniversaries and astronomical days callers date a birth by ("born on D-Day", "the first day of spring")
    r"|d-day|v-?e\s+day|v-?j\s+day|(?:national\s+)?pearl\s+harbor(?:\s+remembrance)?\s+day|patriot\s+day|loyalty\s+day"
    r"|law\s+day|leif\s+erik?s(?:s)?on\s+day|wright\s+brothers'?\s+day|bill\s+of\s+rights\s+day|women'?s\s+equality\s+day"
    r"|armed\s+forces\s+day|citizenship\s+day|national\s+day\s+of\s+prayer|peace\s+officers'?\s+memorial\s+day"
    r"|gold\s+star\s+mothers?'?s?\s+day|national\s+maritime\s+day|national\s+aviation\s+day|white\s+cane\s+safety\s+day"
    r"|national\s+freedom\s+day|pow[/ ]?mia\s+recognition\s+day|stephen\s+foster\s+memorial\s+day|child\s+health\s+day"
    r"|(?:the\s+)?first\s+day\s+of\s+(?:spring|summer|fall|autumn|winter)|(?:the\s+)?(?:summer|winter)\s+solstice"
    r"|(?:the\s+)?(?:spring|vernal|fall|autumn|autumnal)\s+equinox"
    # kept by a state or a region
    r"|mardi\s+gras|fat\s+tuesday|pioneer\s+day|patriots'?\s+day|emancipation\s+day|(?:casimir\s+)?pulaski\s+day"
    r"|seward'?s\s+day|alaska\s+day|nevada\s+day|statehood\s+day|san\s+jacinto\s+day|evacuation\s+day"
    r"|lee-jackson\s+day|k[uū]hi[oō]\s+day|kamehameha\s+day|lei\s+day|town\s+meeting\s+day"
    # religious and cultural
    r"|ash\s+wednesday|palm\s+sunday|maundy\s+thursday|holy\s+(?:thursday|saturday)|pentecost(?:\s+sunday)?"
    r"|all\s+saints'?\s+day|all\s+souls'?\s+day|day\s+of\s+the\s+dead|d[ií]a\s+de(?:\s+los)?\s+muertos"
    r"|three\s+kings'?\s+day|d[ií]a\s+de(?:\s+los)?\s+reyes|noche\s*buena|yom\s+kippur|rosh\s+hashan(?:n)?ah?"
    r"|passover|purim|sukkot|sukkos|shavuot|hanukk?ah|hannukk?ah|chanukk?ah|kwanzaa|diwali|deepavali|holi|navratri"
    r"|ramadan|eid(?:\s+(?:al|ul|el)[- ]?(?:fitr|adha))?|nowruz|norooz|vesak|chuseok|obon|new\s+year'?s"
    # session 22 (recipe22): the calendar's feasts said in Spanish in an interpreted call ("una vez en navidad", "para
    # año nuevo", "en semana santa"); a feast said by its saint or title is ``_FEAST_DAY``'s
    r"|navidad(?:es)?|a[ñn]o\s+nuevo|semana\s+santa|d[ií]a\s+de\s+acci[oó]n\s+de\s+gracias"
    # a people's or a faith's own new year (session 12, clean12: "around Hmong New Year", "we celebrate it at hmong new
    # year"); the new year alone is the calendar's, and "new year's" is listed above
    r"|(?:lunar|chinese|vietnamese|korean|hmong|tibetan|mongolian|khmer|cambodian|lao|laotian|thai|persian|iranian"
    r"|jewish|islamic|hijri|ethiopian|orthodox|sikh|hindu|tamil|bengali|nepali)\s+new\s+year|losar|songkran|vaisakhi"
    r"|baisakhi"
    # kept by a territory (session 12: Guam's and the Northern Marianas' "liberation day", the Virgin Islands'
    # "transfer day", Puerto Rico's "constitution day")
    r"|liberation\s+day|transfer\s+day|constitution\s+day"
)
# Carnival dates the days of its season only when said as a time ("since Carnival", "after carnival"); "a carnival",
# "the carnival in town" and "Carnival Cruise" are a fair, an event and a company
_CARNIVAL = r"(?:(?<=\bsince\s)|(?<=\bafter\s)|(?<=\bbefore\s)|(?<=\buntil\s)|(?<=\btill\s)|(?<=\bduring\s)|(?<=\baround\s))carnival\b(?!\s+(?:cruises?|rides?|games?|food))"
# The months of the Hebrew and the Islamic calendars, which callers give a birthday or a yahrzeit in ("the 27th of
# Shevat", "15 Nisan", "Rajab 3rd"); a month is a date element only with its day (some are words or acronyms alone:
# "Safar", "Sivan"), so these stay out of MONTH and its month-alone rules; Av is read only after "of" (MonthDay)
OTHER_CALENDAR_MONTH = (
    r"(?:tishrei|tishri|cheshvan|heshvan|marcheshvan|kislev|tevet|teves|shevat|shvat|adar(?:\s+(?:i{1,2}|alef|bet|sheni))?"
    r"|nisan|iyar|sivan|tammuz|elul|muharram|safar|rabi[ʿ']?\s+al[- ](?:awwal|thani|akhir)"
    r"|jumad[ae]\s+al[- ](?:ula|awwal|akhirah|thani)|rajab|sha[ʿ']?ban|shawwal|dhu\s+al[- ](?:qa[ʿ']?dah|hijjah))"
)
# a feast said by its saint or title: "Saint Joseph's Day", "St. Lucy's feast", "Our Lady of Guadalupe day", "the
# feast of Saint Anne"; a saint of two names or with an epithet ("St. John the Baptist day", "san juan bautista day",
# never "st louis every day"); in Spanish by its saint or title ("el día de san juan", "día de la candelaria", never
# "el día de hoy")
_NOT_A_SAINTS_NAME = r"(?!(?:every|each|one|some|any|all|next|that|this|other|same|a|an|per|of|on|in|to|for|and|or|the)\b)"
_FEAST_DAY = (
    rf"(?:(?:saint|st\.?|san|santa|santo)\s+[a-z]+(?:\s+(?:the\s+)?{_NOT_A_SAINTS_NAME}[a-z]+)?(?:'s)?"
    r"|our\s+lady\s+of\s+[a-z]+(?:'s)?)\s+(?:feast\s+)?day"
    r"|(?:the\s+)?feast\s+(?:day\s+)?of\s+(?:saint|st\.?|san|santa|our\s+lady\s+of)\s+[a-z]+(?:'s)?"
    r"|(?:el\s+)?d[ií]a\s+de\s+(?:la|las|los|san|santa|santo|nuestra\s+señora\s+de(?:\s+la)?)\s+"
    r"(?!(?:semana|mañana|tarde|noche|cita|visita|corte|escuela|trabajo)\b)[a-záéíóúñ]+"
)
# what a holiday's name also says that names no day: "an easter egg" (a hidden feature, a sweet), "a good friday
# night", "the easter bunny"
_HOLIDAY_THING_AFTER = re.compile(r"\s+(?:eggs?|bunny|bunnies)\b", re.I)
_DAY_IS_THE_NOUNS = re.compile(r"\s+(?:care|center|centre|program|treatment|school|shelter|labou?r(?:er)?s?)\b", re.I)
_NOT_A_HOLIDAY_BEFORE = re.compile(r"\b(?:a|an|another|such\s+a|pretty|really|very|so)\s+$", re.I)
# Spanish dates in interpreted calls: "quince de marzo de mil novecientos setenta y ocho", "3 de mayo"
_ES_NUM = (r"(?:un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieci\w+|veinte"
           r"|veinti\w+|treinta(?:\s+y\s+un[oa]?)?|primero|\d{1,2})")
_ES_MONTH = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre)"
_ES_YEAR = (r"(?:(?:mil\s+novecientos|dos\s+mil)(?:\s+(?:y\s+)?(?:un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once"
            r"|doce|trece|catorce|quince|dieci\w+|veinte|veinti\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta"
            r"|noventa)){0,3}|\d{4}"
            # a year said by its last two digits after "del", as Spanish speakers date a birth ("del noventa y siete")
            r"|(?<=del\s)(?:(?:cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)(?:\s+y\s+(?:un[oa]?|dos|tres|cuatro|cinco"
            r"|seis|siete|ocho|nueve))?|\d{2}))")
STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir"
    r"|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Alley|Row|Crescent|Pike|Plaza|Point|Pt|Ridge|Run|Path"
    r"|Heights|Hts|Expressway|Freeway|Route|Rte|Crossing|Xing|Cove|Bend|Glen|Grove|Hollow|Landing|Manor|Meadows?"
    r"|Park|Pass|Spur|Summit|Walk|View|Vista|Gardens?|Estates?|Hills?|Harbor|Creek|Street|Strasse|Katu|Gatan"
    # the rest of the USPS Publication 28 suffixes
    r"|Close|Cliffs?|Bay|Brooks?|Mews|Quay|Wharf|Rapids|Squares|Streets|Falls|Fords?|Forks?|Gateway|Greens?|Haven"
    r"|Islands?|Isle|Knolls?|Lakes?|Mills?|Mount|Mountain|Orchard|Parade|Port|Prairie|Ranch|Springs?|Station|Trace"
    r"|Track|Valleys?|Village|Ville|Wells|Woods?|Shores?|Turnpike|Underpass|Union|Views|Ways|Courts|Drives|Lanes"
    r"|Roads|Circles|Points|Ridges|Crest|Crossroad|Divide|Dam|Expy|Extension|Flats?|Freeway|Junction|Keys?|Ln"
    r"|Motorway|Oval|Overpass|Passage|Pines|Plains?|Ramp|Rest|Route|Shoal|Skyway|Stream|Throughway|Tunnel|Vis"
    # European abbreviations, only with their dot: "Piroska u. 97", "Filadelfeos Str."
    r"|u(?=\.)|ul(?=\.)|str(?=\.)|rkp(?=\.)|utca|út|vej|gade|gata|straat|platz|gasse)"
)
# a digit said as a word, one by one ("two one four", "oh one four two")
# ("oh" is the spoken zero here, as in vocabulary.DIGIT_WORDS; "double"/"triple" are numbers.py's, not a word's)
_SPOKEN_DIGITS = ("zero", "oh", *ONES[1:10])
DIGIT_WORD = "(?:" + "|".join(_SPOKEN_DIGITS) + ")"
NUM_WORD = "(?:" + "|".join((*_SPOKEN_DIGITS, *ONES[10:], *TENS[2:], *SCALE_WORDS)) + ")"
# words.py's table of states and territories: the codes, and the names as written ("District of Columbia"); a number
# of any shape after a state is read as a ZIP after the states' and DC's codes only (US_OUTLYING_CODES)
US_STATE_ABBR = "|".join(US_STATE_BY_CODE)
_STATE_ABBR_BEFORE_ANY_NUMBER = "|".join(code for code in US_STATE_BY_CODE if code not in US_OUTLYING_CODES)
US_STATES = "|".join(
    " ".join(w if w == "of" else w.title() for w in name.split()) for name in sorted(US_STATE_BY_CODE.values(), key=len, reverse=True)
)

# ---------------------------------------------------------------- context keywords for number runs
# Ordered longest-first inside one alternation; the keyword nearest to the number decides its category.
_CONTEXT_KEYWORDS: list[tuple[str, str]] = [
    (r"license\s+plate|licence\s+plate|plate(?:\s+number)?|tag\s+number|\bvin\b|vehicle\s+identification", "VEHICLE"),
    (r"social\s+security|\bsocial\b|\bssn\b|\bss\s*#", "SSN"),
    (r"fax", "FAX"),
    (r"medical\s+record|\bmrn\b|chart\s+number|record\s+number|patient\s+(?:id|number)|\bmr\s*#", "MRN"),
    (r"member|subscriber|policy|group\s+(?:number|id|no|#)|\bgroup\b|insurance\s+(?:id|card|number)|medicaid|medi-?cal|medicare|\bmbi\b"
     r"|\bcin\b|plan\s+(?:id|number)|\brx\s*(?:bin|pcn|group)\b|\bbin\b|\bpcn\b", "HEALTH_PLAN"),
    (r"account|acct|claim|case|reference|confirmation|ticket|docket|invoice|authorization|auth\s+(?:number|code)"
     r"|routing|card\s+number|credit\s+card|debit|visa|mastercard|amex|iban|bank|billing|order\s+number", "ACCOUNT"),
    (r"licen[cs]e|driver'?s|\bdl\b|certificate|\bnpi\b|\bdea\b|badge|permit|passport", "LICENSE"),
    (r"serial|device|\bimei\b|pacemaker|pump|implant|model\s+number|\bmac\s+address", "DEVICE"),
    (r"zip|postal", "ZIP"),
    # a worker's own number, said as the call opens: "interpreter number 5 0 2 7 7", "this is the relay operator, number
    # 4417", "operator id 6 2 0 4"
    (r"booking|inmate|jail\s+id|prisoner|employee\s+(?:number|id|no)|staff\s+(?:number|id)|student\s+(?:number|id)"
     r"|\binterpreter\b|\brelay\b|\boperator\s+(?:number|id|no|#)", "OTHER_ID"),
    # billing and diagnosis codes name a service, not a person
    (r"\bcpt\b|\bicd(?:-?10)?\b|diagnosis\s+code|billing\s+code|procedure\s+code|\bdsm\b|\bhcpcs\b|\bndc\b", "CODE"),
    (r"date\s+of\s+birth|\bdob\b|\bborn\b|birthday|birth\s*date", "DATE"),
    # a pager or beeper is reached by its number as a phone is ("pager 5-4421", "beeper # 34567")
    (r"phone|cell|mobile|landline|call\s+(?:me|back|him|her|us)|callback|call\s+back|reach\s+(?:me|him|her|us)|text\s+me"
     r"|contact|extension|\bext\b|best\s+number|home\s+number|work\s+number|number\s+is|my\s+number|pager|beeper|\bpgr\b"
     r"|number", "PHONE"),
]
_CONTEXT_RE = re.compile("|".join(f"(?P<k{i}>{pat})" for i, (pat, _) in enumerate(_CONTEXT_KEYWORDS)), re.I)
# a vital sign's or lab value's name just before a number ("bp 100-120/40-60", "svr 1100"): one home for the
# rules' number runs and the ASR shapes' spoken runs
MEASURE_BEFORE = re.compile(
    r"\b(?:bp|sbp|dbp|map|hr|rr|cvp|pap|pad|pcwp|temp|tmax|spo2|sao2|sats?|u/?o|fio2|peep|psv|ps|tv|vt|glucose|bs|fs|fsbs"
    r"|k|na|hct|hgb|inr|ptt|wbc|plt|cr|bun|co|ci|svr|abg)(?:'s)?\s*[:=-]?\s*(?:of\s+|at\s+|to\s+|ranging\s+)?$",
    re.I,
)
_MONEY_BEFORE = re.compile(r"(?:\$|usd|dollars?\s+(?:of|was|is)?)\s*$", re.I)
_MONEY_AFTER = re.compile(
    r"^\s*(?:dollars|bucks|grand|k\b|usd|a\s+(?:month|year|week|day)|per\b|percent|%|people|patients|beds|calls|mg|milligrams|miles|feet|pounds)",
    re.I,
)
_LAST_FOUR = re.compile(r"last\s+(?:four|4)\b", re.I)
# what is dialled by four or five digits: an extension (matched anywhere in a word, as "ext" always was) or a pager
_SHORT_NUMBER_CUE = re.compile(r"ext|\b(?:pager|beeper|pgr)\b", re.I)
# clinical quantities: a number or range with a unit of dose, volume, rate or count ("40meq", "50mcg", "30-60cc",
# "1000cc", "80s", "x2"); none of them single a person out, in a chart or in a call
_UNIT = (
    r"(?:mcg|mcq|mics?|mg|gms?|g|kg|cc|ccs|ml|mls|l|meq|mmol|units?|u|iu|mmhg|cm|mm|hrs?|mins?|sec|gtts?|lpm|bpm"
    r"|puffs?|tabs?|caps?|amps?|s|x|%)"
)
_QUANTITY = re.compile(
    rf"(?:x\s*)?[<>~]?\d{{1,5}}(?:\.\d+)?(?:\s*(?:-|to)\s*\d{{1,5}}(?:\.\d+)?)?\s*{_UNIT}s?"
    rf"(?:/(?:kg|min|hr|h|day|d|dose))*",
    re.I,
)
# a word of three letters or more ending a sentence ("doses. Pt"): initials and "St." / "N." stay inside an address
_SENTENCE_INSIDE = re.compile(
    r"(?<![A-Za-z])(?!(?i:apt|apartment|ste|suite|bldg|unit|avda|avd|rkp|str|ave|blvd|hwy|pkwy|rte|ter|cir|trl|xing|hts"
    r"|expy|fwy|tpke|dept|box)\.)[A-Za-z][a-z]{2,}\.\s+[A-Z]"
)
_DECIMAL = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,2}(?![\d.])")
# a unit said after a number ("2000 ml"), but not "x" ("555-0142 x 12" is an extension)
_UNIT_AFTER = re.compile(rf"^\s*(?!x\b|s\b){_UNIT}s?\b", re.I)

# ---------------------------------------------------------------- the recognizer machinery
class _Pattern(NamedTuple):
    regex: re.Pattern[str]
    group: int  # the group that is the identifier (0: the whole match)
    hint: re.Pattern[str] | None  # with a hint, the (costly) pattern only runs in windows around the hint's matches


def _pattern(source: str, flags: int = re.I, group: int = 0, hint: re.Pattern[str] | None = None) -> _Pattern:
    """One pattern of a recognizer, gated by its possible first characters (prefilter.py: same matches, fewer tries)."""
    return _Pattern(gate(re.compile(source, flags)), group, hint)


def _scan(pattern: re.Pattern[str], hint: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, or only over merged windows around ``hint`` matches."""
    if hint is None:
        yield from pattern.finditer(text)
        return
    windows: list[list[int]] = []
    for h in hint.finditer(text):
        lo, hi = max(0, h.start() - 260), min(len(text), h.end() + 160)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    seen_end = -1
    for lo, hi in windows:
        line_lo = text.rfind("\n", 0, lo) + 1  # start at a line start so \b and lookbehinds see real context
        for m in pattern.finditer(text, line_lo, hi):
            if m.start() >= seen_end:
                seen_end = m.end()
                yield m


class RuleRecognizer(Recognizer):
    """A recognizer of the rules layer: its spans carry ``LAYER`` and its ``name``."""

    def span(self, start: int, end: int, category: str | None = None) -> Span:
        return Span(start, end, category or self.category, LAYER, None, self.name)

    def add(self, spans: list[Span], start: int, end: int, category: str | None = None) -> None:
        """Append the span ``start..end`` to ``spans`` unless it is empty."""
        if end > start:
            spans.append(self.span(start, end, category))


class PatternRecognizer(RuleRecognizer):
    """A recognizer made of regular expressions: each match of one of its ``patterns`` (the pattern's group) that
    ``accept`` keeps is a span of ``category``. ``accept`` may move the span's edges, or return None to drop it."""

    patterns: tuple[_Pattern, ...] = ()

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return start, end

    def find(self, text: str) -> list[Span]:
        spans = []
        for pattern in self.patterns:
            for m in _scan(pattern.regex, pattern.hint, text):
                if pattern.group and m.group(pattern.group) is None:
                    continue
                kept = self.accept(text, m, *m.span(pattern.group))
                if kept:
                    self.add(spans, *kept)
        return spans


# ---------------------------------------------------------------- validation shared by several recognizers
def _dose_or_volume(m: re.Match[str]) -> bool:
    """"40meq", "150mcg", "30-60cc": a dose or a volume, not a code (every code and account shape)."""
    return _QUANTITY.fullmatch(m.group()) is not None


def _word_with_number(m: re.Match[str]) -> bool:
    """"covid19", "mp3s", "b12": a word with a number, not a code (mixed letter-digit shapes, unless all capitals)."""
    if m.group().isupper():
        return False
    letters = re.sub(r"[^A-Za-z]", "", m.group()).lower()
    digits = sum(c.isdigit() for c in m.group())
    return digits <= 3 and (is_safe_word(letters) or letters in clinical_words())


def _not_a_place(text: str, m: re.Match[str], start: int) -> bool:
    """What no street, address or intersection shape may be: a number starting a sentence, a state of being after
    "off", drugs as speech recognition spells them, a run across a full stop, a route of giving ("via ETT")."""
    if re.match(r"\s*(?:\d|" + NUM_WORD + r")", m.group(), re.I):
        inner = re.findall(r"[A-Za-z]+", m.group())
        if any(w.lower() in _ADDRESS_STOP for w in inner):
            return True  # "2024 and now he takes way more" is a year and a sentence, not an address
    if text[max(0, start - 4) : start].lower() == "off " and any(
        w.lower() in OFF_NOT_STREET for w in re.findall(r"[A-Za-z]+", m.group())
    ):
        return True  # "off probation and off meds": states of being, not an intersection
    if not re.search(r"\d", m.group()) and any(
        w.lower() in clinical_words() or not is_safe_word(w) and near_clinical_word(w.lower())
        for w in re.findall(r"[A-Za-z]+", m.group()) if w.lower() not in CORE_FUNCTION_WORDS
    ):
        return True  # "on gabapenton and trazadone": drugs as speech recognition spells them, not streets
    if _SENTENCE_INSIDE.search(m.group()):
        return True  # "... 2400 doses. Pt ...": an address never runs across a full stop
    via = re.search(r"(?<![\w-])via\s+(.*)", m.group(), re.I | re.S)
    if via and (
        (m.group()[-1].isdigit() and any(w.lower() in CORE_FUNCTION_WORDS for w in re.findall(r"[A-Za-z]+", via.group(1))))
        or not re.search(r"\b[A-Z][a-z]{2,}", via.group(1))
    ):
        return True  # "via ETT with 1200", "2 via pt": a route of giving, unless a capitalised name follows
    return False


class _CodeShape(PatternRecognizer):
    """A recognizer of codes that mix letters and digits: a dose or a word with a number is none."""

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if _dose_or_volume(m) or _word_with_number(m) else (start, end)


class _PlaceShape(PatternRecognizer):
    """A recognizer of addresses and intersections: what ``_not_a_place`` says is none."""

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if _not_a_place(text, m, start) else (start, end)


# ---------------------------------------------------------------- contact: email, phone pieces, web, handles, IP
_MAIL_HOSTS = r"gmail|yahoo|hotmail|outlook|aol|icloud|comcast|msn|live|protonmail|proton|me|att|verizon|sbcglobal|cox|charter|earthlink|ymail|mail"
_SPOKEN_TLD = r"com|net|org|edu|gov|us|io|co|info|biz|me"
_SPOKEN_LOCAL = (
    rf"[a-z0-9]+(?:(?:\s+(?:dot|underscore|dash|hyphen|period)\s+|\s*[._-]\s*|\s+(?={NUM_WORD}\b)|\s+(?=\d)"
    rf"|(?<=\b[a-z])\s(?=[a-z]\b))[a-z0-9]+){{0,30}}"
)
# a spoken address always has "at <host> dot ..." or "at <mail host>" or "@": the costly local-part patterns run
# only in windows around those
_EMAIL_HINT = re.compile(rf"\bat\s+[a-z0-9-]+(?:\s+(?:dot|period)\s)|\bat\s+(?:{_MAIL_HOSTS})\b|@", re.I)


class EmailRecognizer(PatternRecognizer):
    """An email address, written or spoken ("maria dot lopez at gmail dot com", "mlopez eighty four at yahoo")."""

    name = "email"
    category = "EMAIL"
    patterns = (
        _pattern(r"(?<![\w.+%-])[\w.+%-]{1,64}@[\w-]{1,63}(?:\.[\w-]+)+"),
        _pattern(rf"(?<![\w'’]){_SPOKEN_LOCAL}\s+at\s+[a-z0-9-]+(?:\s+(?:dot|period)\s+[a-z0-9-]+)*\s+(?:dot|period)\s+(?:{_SPOKEN_TLD})\b", hint=_EMAIL_HINT),
        _pattern(rf"(?<![\w'’]){_SPOKEN_LOCAL}\s+at\s+(?:{_MAIL_HOSTS})\b(?:\s+(?:dot|period)\s+(?:{_SPOKEN_TLD})\b)?", hint=_EMAIL_HINT),
        # "@" with spaces around it: the host has a letter and a written dot has no space after it ("pt @ 1400. Alert"
        # is a chart's "at", not an address)
        _pattern(rf"(?<![\w'’]){_SPOKEN_LOCAL}\s*@\s*[a-z0-9-]*[a-z][a-z0-9-]*(?:(?:\s*dot\s*|\.)[a-z0-9-]+)+", hint=_EMAIL_HINT),
        _pattern(r"(?<![\w.+-])[\w.+-]{1,64}\s+at\s+[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|edu|gov|us|io|me|example)\b"),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if " at " in m.group():
            local = m.group().split(" at ")[0].strip().lower()
            if local in _NOT_EMAIL_LOCAL or text[max(0, start - 1) : start] in ("'", "’"):
                return None  # "it's at gofundme dot com" is a web address, not an email
            # ASR splits a local part in two: "begay chase at aol.com"
            prev = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 25) : start])
            if prev and not is_safe_word(prev.group(1)) and prev.group(1).lower() not in _NOT_EMAIL_LOCAL:
                start -= len(prev.group())
        return start, end


class PhonePieces(PatternRecognizer):
    """Pieces of a phone number said apart from it: "area code 713, then ...", "her number ends in 0119", "the last
    four of my cell are 0148". Whole numbers are ``NumberRuns``', extensions ``PhoneExtension``'s."""

    name = "phone_piece"
    category = "PHONE"
    patterns = (
        _pattern(r"\barea\s+code\s+(?:is\s+)?(\(?\d{3}\)?)(?!\d)", group=1),
        _pattern(r"\b(?:number|phone|cell|line|landline)\s+(?:that\s+)?(?:ends|ending|ended)\s+(?:in|with)\s+(\d{4}|\d\s\d\s\d\s\d|\d{2}-?\d{2})(?!\d)", group=1),
        _pattern(r"\blast\s+(?:four|4)\s+(?:digits\s+)?of\s+(?:my|his|her|the|their|your)\s+(?:cell|phone|number|line)\s+(?:is|are|was|were)?\s*(\d{4})(?!\d)", group=1),
    )


# an extension's digits, written or said ("214", "two one four", "3 0 7", "twenty two", "double four")
_EXT_TOKEN = rf"(?:\d{{1,6}}|{NUM_WORD}|double|triple)"
_EXT_DIGITS = rf"{_EXT_TOKEN}(?:[\s,-]{{1,2}}{_EXT_TOKEN}){{0,5}}(?![\w'’])"
# "an extension two weeks", "extension of ninety days": the word extension means more time; "extension 90 degrees",
# "Ext: 1+ edema": a joint's movement, a chart's extremities
_EXT_TIME_AFTER = re.compile(
    r"[\s,]*(?:(?:weeks?|wks?|days?|months?|years?|hours?|hrs?|minutes?|mins?|more|times?|of|dollars|bucks|degrees?|deg)\b|[+/%°])",
    re.I,
)
_EXT_GRANTED_BEFORE = re.compile(r"\b(?:an|another|any|get|got|gave|give|grant(?:ed)?|asked\s+for|request(?:ed)?)\s+(?:\w+\s+)?$", re.I)


class PhoneExtension(PatternRecognizer):
    """A phone extension, written or said, its own PHONE span: after the word ("..., extension 4", "extension two one
    four", "ext. 3 0 7", "just ask for extension twelve") and after a phone's last four digits as "x" ("555-0142 x 12",
    "..., oh one four two, x twenty one"); not "600 x 14" (a rate) nor an extension of time ("got an extension, two
    weeks")."""

    name = "phone_extension"
    category = "PHONE"
    context = ("extension", "ext")
    patterns = (
        _pattern(rf"\b(?:extension|ext\b\.?)(?:\s+(?:is|number|was|at))?[\s#:,]*({_EXT_DIGITS})", group=1),
        # "x" is an extension only after a phone's last four digits, written or said; "600 x 14" is a rate
        _pattern(rf"(?:(?<=\d[-. )]\d{{4}})|(?<=\d{{10}})),?\s*x\s*({_EXT_DIGITS})", group=1),
        _pattern(rf"(?:(?:\b{DIGIT_WORD}[\s,-]+){{3}}{DIGIT_WORD}),?\s+x\s+({_EXT_DIGITS})", group=1),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if _EXT_TIME_AFTER.match(text, end) or _EXT_GRANTED_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            return None
        if m.group().lower().startswith("ext") and not m.group().lower().startswith("extension") and is_chart(text):
            return None  # a chart's "Ext" is the extremities
        return start, end


class UrlRecognizer(PatternRecognizer):
    """URLs and domains, written ("www.x.org/intake") and spoken ("w w w dot x dot com slash intake")."""

    name = "url"
    category = "URL"
    patterns = (
        _pattern(r"\bhttps?://[^\s<>\"']+|\bwww\.[^\s<>\"']+"),
        _pattern(r"\b(?<![@\w.-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|us|info|biz|co|ly|me|health|care|app)\b(?:/[^\s<>\"']*)?(?![\w@])"),
        _pattern(rf"\b(?:w\s+w\s+w|www|triple\s+w)\s+(?:dot|period)\s+[a-z0-9-]+(?:\s+(?:dot|period)\s+[a-z0-9-]+)*"),
        _pattern(rf"\b(?:[a-z0-9-]{{1,63}}\s+dot\s+){{0,3}}[a-z0-9-]{{1,63}}(?:\s+[a-z0-9-]{{1,63}})?\s+dot\s+(?:com|org|net|edu|gov|io|us|me)\b(?:\s+slash\s+[a-z0-9-]+(?:\s+(?!slash\b)[a-z0-9'-]+){{0,5}})*"),
        _pattern(r"\b[a-z0-9-]{1,63}\.(?:com|org|net|me)/[^\s,]*(?:\s+(?!and\b|or\b|if\b)[a-z0-9'-]+){0,4}", re.I),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if re.fullmatch(r"[a-z]+\.(?:co|me|us)", m.group(), re.I):
            return None  # "e.g.co"-like fragments and sentence joins
        # the "s" of a contraction before it is no part of the address ("it's <address>": the match starts at its
        # "s"; fp21)
        if start and text[start - 1] in "'’":
            contraction = re.match(r"s\s+", text[start:end])
            if contraction and contraction.end() < end - start:
                start += contraction.end()
        lead = re.match(r"(?:(?:at|is|it's|on|to|in|go|visit|site|the)\s+)+", text[start:end], re.I)
        if lead and lead.end() < end - start:
            start += lead.end()
        return start, _path_end(text, start, end)


# the last piece of a web address's path: written after "/" or said after "slash"
_PATH_PIECE = re.compile(r"/[^\s]*|\bslash\s+\S+", re.I)
_SENTENCE_STOP = re.compile(r"[.?!]+$")
_NEXT_WORD = re.compile(r"\s+(\S+)")
_JOINS_CLAUSES = frozenset("and or if but so because".split())  # "... slash help my dad beat cancer and people gave"


def _path_end(text: str, start: int, end: int) -> int:
    """Where a web address's path ends: the words Whisper or a speaker says after its last piece ("gofundme dot com
    slash f slash help rowan get well") are the path until a sentence's stop ("/hcp. What's the best number") or a
    word that opens or joins a new clause (``words.opens_clause``: "slash family it explains ...", "slash hcp what's
    ..."; "and", "or"; fp22). A sentence's stop written onto the path is left out of it."""
    pieces = list(_PATH_PIECE.finditer(text, start, end))
    if not pieces:
        return end
    word_start, pos = pieces[-1].span()
    while True:
        stop = _SENTENCE_STOP.search(text, word_start, pos)  # within the last word read: a stop never spans a space
        if stop:
            return stop.start()  # "/hcp." ends the sentence: the words after it are the next one
        word = _NEXT_WORD.match(text, pos, end)
        said = word.group(1).strip(",;:.?!") if word else ""
        if not word or opens_clause(said) or said.lower() in _JOINS_CLAUSES:
            return pos
        word_start, pos = word.start(1), word.end()


_HANDLE_TAIL = rf"(?:\s+(?:[a-z]\b|\d+|{NUM_WORD}(?:-{NUM_WORD})?)(?![\w'-])){{0,4}}"


class SocialHandle(_CodeShape):
    """A social media handle, written ("@kyle_l08", "will_h78") or spoken ("sean underscore h eighty-three")."""

    name = "social_handle"
    category = "OTHER_ID"
    patterns = (
        _pattern(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?" + _HANDLE_TAIL),
        _pattern(r"(?<![\w@.])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9]" + _HANDLE_TAIL + r"(?![\w@])"),
        _pattern(rf"\b[a-z][a-z0-9]*(?:\s+underscore\s+[a-z0-9]+)+{_HANDLE_TAIL}", re.I),
    )


# an IP address read out: "1 9 2 dot 0 dot 2 dot 1 4 4", "one ninety two dot one sixty eight dot oh dot one",
# "10 point 0 point 0 point 5": four groups of one to three digits or number words joined by "dot"/"point"
_IP_WORD = r"(?:\d{1,3}|zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)"
_IP_GROUP = rf"{_IP_WORD}(?:[\s-]+{_IP_WORD}){{0,3}}"


class IpAddress(PatternRecognizer):
    """An IPv4 address written or read out, or an IPv6 address."""

    name = "ip_address"
    category = "IP"
    patterns = (
        _pattern(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b"),
        _pattern(rf"(?<![\w.])\b{_IP_GROUP}(?:\s+(?:dot|point)\s+{_IP_GROUP}){{3}}\b"),
        _pattern(r"\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:])"),
    )


# ---------------------------------------------------------------- numbers and codes
class SsnWritten(PatternRecognizer):
    """A Social Security number written in its 3-2-4 grouping (one said without it is ``NumberRuns``')."""

    name = "ssn"
    category = "SSN"
    patterns = (_pattern(r"\b(?!000|666|9\d\d)\d{3}[- ](?!00)\d{2}[- ](?!0000)\d{4}\b"),)


class VehicleId(_CodeShape):
    """A VIN (17 characters, no I/O/Q), a plate after its keyword ("plate is 7ABC123"), California-style plates."""

    name = "vehicle"
    category = "VEHICLE"
    context = ("license plate", "plate number")
    patterns = (
        # a VIN: 17 characters, no I/O/Q
        _pattern(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b", 0),
        # a plate after its keyword: "plate is 7ABC123", "plate number is seven a b c..."
        _pattern(r"(?:license|licence)?\s*plate(?:\s+number)?(?:\s+is|\s+was|:)?\s+((?=[A-Z0-9 -]*\d)[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){3,9})\b", re.I, 1),
        # California-style plates and other short mixed codes: "4GRC452", "7ABC123"
        _pattern(r"\b\d[A-Z]{3}\d{3}\b|\b\d{1,3}-[A-Z]{2,4}-\d{2,4}\b", re.I),
    )


class MixedCode(_CodeShape):
    """A code mixing letters and digits: "AB12CD34", Medicare's MBI "1EG4-TE5-MK73", "XWB448172093", "MRN-00123";
    not a word with a number ("covid19", "b12") nor a dose ("40meq")."""

    name = "mixed_code"
    category = "OTHER_ID"
    patterns = (
        _pattern(r"\b(?=[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z0-9]{5,12}\b", re.I),
        # hyphenated: Medicare's MBI "1EG4-TE5-MK73", "AB12-34CD"
        _pattern(r"\b(?=(?:[A-Z-]{0,34}\d){3})(?=(?:[\d-]{0,34}[A-Z]){2})[A-Z0-9]{2,6}(?:-[A-Z0-9]{2,6}){1,4}\b", re.I),
        # letters, then 4+ digits: "XWB448172093", "A1234567", "MRN-00123"
        _pattern(r"\b(?=[A-Z]*\d)(?=(?:[A-Z-]*\d){4})[A-Z]{1,5}-?\d[\d,-]*\d[A-Z]?\b", re.I),
    )


_IBAN_SHAPE = r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b"


class Iban(PatternRecognizer):
    """An international bank account number (two letters, two check digits, groups of four) with six digits in a
    row somewhere: a run of capitals and a few digits is no account."""

    name = "iban"
    category = "ACCOUNT"
    patterns = (_pattern(_IBAN_SHAPE, 0),)

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        if _dose_or_volume(m) or not re.search(r"\d{6}", m.group().replace(" ", "")):
            return None
        return start, end


class PaymentCard(PatternRecognizer):
    """A card number: 13 to 19 digits, optionally grouped by four."""

    name = "payment_card"
    category = "ACCOUNT"
    patterns = (_pattern(r"\b(?:\d{4}[- ]){3}\d{1,7}\b|\b\d{13,19}\b"),)

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if _dose_or_volume(m) else (start, end)


class DriverLicense(PatternRecognizer):
    """A US driver licence shape with a letter prefix after its keyword (one of digits only is ``NumberRuns``')."""

    name = "driver_license"
    category = "LICENSE"
    context = ("license", "licence", "driver's", "dl")
    patterns = (_pattern(r"(?:licen[cs]e|driver'?s|\bdl)\b[^\n]{0,25}?\b([A-Z]{1,2}\d{5,14}|\d{1,3}[A-Z]{1,3}\d{3,8})\b", re.I, 1),)

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if _dose_or_volume(m) else (start, end)


# an extension said right after a phone number: its digits (group 1), with the "x" or "ext" written onto them ("x4587")
_EXTENSION_AFTER = re.compile(r",?\s*(?:(?:x|ext\.?|extension)\s+|(?=x|ext))((?:x|ext\.?)?(?:\d(?:[ ,]{1,2}\d){1,5}|\d{1,6}))\b", re.I)


class NumberRuns(RuleRecognizer):
    """Runs of digits, written, spoken or split by speech recognition (``numbers.find_number_runs``), classified by
    their shape and by the nearest keyword before them (``_CONTEXT_KEYWORDS``, this line and the previous): phone,
    fax, SSN, ZIP, date of birth, member, account, licence, plate, device and other numbers; money, doses, vitals,
    counts and bare years are none. A letter prefix or suffix said with the number belongs to it."""

    name = "number_run"
    category = ""  # decided per run by its shape and context
    categories = ("PHONE", "FAX", "SSN", "ZIP", "DATE", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
                  "OTHER_ID")
    context = tuple(category for _, category in _CONTEXT_KEYWORDS)

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for run in find_number_runs(text, min_digits=4):
            start, end = run.start, run.end
            has_prefix = False
            # searched in place (not on a slice) so the look-behind sees the real text: "it's S C, ..." keeps its "s"
            pm = _CAPS_PREFIX.search(text, max(0, start - 14), start)
            word_caps = None  # a capitalised prefix that is also a word ("PHP", "CARE"), judged by the run's category
            if pm:
                spelled, caps = pm.group(1), pm.group(2)
                if caps and is_safe_word(caps):
                    word_caps = caps
                    caps = None  # "SINCE 2017" in shouted text: a word, not an ID prefix
                keyword, dist = _context_category(text, run.start)
                id_context = keyword in _ID_CATEGORIES and dist < 80
                if id_context and (spelled or caps) and not re.fullmatch(r"(?:a|i|I)", (spelled or caps).strip()):
                    has_prefix = True
                    start = start - len(pm.group(0))
                elif caps and caps not in _COMMON_CAPS:
                    has_prefix = True
                    start = start - len(pm.group(0))
                elif spelled and len(re.sub(r"[^A-Za-z]", "", spelled)) >= 2 and (spelled.isupper() or len(re.sub(r"[^A-Za-z]", "", spelled)) >= 3):
                    has_prefix = True
                    start = start - len(pm.group(0))
                elif spelled and len(run.digits) >= 6 and _SPOKEN_LETTERS.fullmatch(spelled.strip()):
                    # letters read out one by one before a long number, in lower case ("a p 2 2 9 1 4 ..."): the
                    # code's letters, the "a" among them a letter since another follows it
                    has_prefix = True
                    start = start - len(pm.group(0))
            if not has_prefix and _is_year(run.digits, run.spoken, run.written_groups):
                keyword, dist = _context_category(text, start)
                id_context = keyword not in (None, "PHONE", "DATE", "ZIP") and dist < 40
                year_word = re.search(r"\b(?:since|in|from|until|till|by|of|around|back|year|early|late|mid|summer|fall|winter|spring)\s+$",
                                      text[max(0, start - 12) : start], re.I)
                if year_word or not (_LAST_FOUR.search(_turn_window(text, start)) or id_context):
                    continue
            category = _classify_run(text, start, end, run.digits, run.spoken, run.written_groups, has_prefix, run.listed)
            if category in _ID_CATEGORIES and word_caps and not has_prefix and _plan_prefix(text, word_caps):
                start -= len(pm.group(0))  # "It says PHP 601947233 01": a member id's letters that spell a word too
            if category:
                # letters that follow an ID ("448172093 B") belong to it
                tail = re.match(r"([A-Z]{1,3})\b", text[end : end + 4]) or _LETTERS_AFTER.match(text[end : end + 14])
                attached = tail is not None and tail.start(1) == 0  # "91234567A": no gap, so no article
                if tail and category not in ("PHONE", "FAX", "SSN", "ZIP", "DATE") and (attached or tail.group(1).strip() not in ("I", "A", "I'm")):
                    end += tail.end(1)
                elif category != "DATE" and len(run.digits) >= 6:
                    # letters read out in lower case after a long number, ending the clause ("... 4 4 8 a.", "... 7 7
                    # w a | agent:"): the ID's letters, even an "a", which as an article would need its noun after it
                    spoken_tail = _SPOKEN_LETTERS_AFTER.match(text, end)
                    if spoken_tail:
                        end = spoken_tail.end(1)
                if category in ("PHONE", "FAX") and text[start - 1 : start] == "+":
                    start -= 1  # "+1-903-140-4508"
                if category in ("PHONE", "FAX"):
                    # the extension's digits are a PHONE span of their own and the word between stays readable
                    # (calls_dev's convention: "[402-555-0178], extension [3316]"; fp21)
                    ext = _EXTENSION_AFTER.match(text[end : end + 26])
                    if ext:
                        self.add(spans, end + ext.start(1), end + ext.end(1), "PHONE")
                self.add(spans, start, end, category)
        return spans


class SpokenCode(RuleRecognizer):
    """A code read out mixing letters and digits ("nine, R B R, four two eight", "d as in david 4 4 1") where the
    context names an identifier; after a phone question, letters make it no phone number but still a code."""

    name = "spoken_code"
    category = ""  # the identifier the context names
    categories = ("MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _CODE_RUN.finditer(text):
            toks = re.findall(r"[A-Za-z]+|\d+", re.sub(r"(?i)\b([a-z])\s+as\s+in\s+[a-z]+", r"\1", m.group()))
            # "I" and "a" are words, not letters of a code ("back in twenty twenty-four. I think ...", "4 1 4 2. i have")
            letters = sum(
                1 for t in toks
                if (len(t) == 1 or t.isupper()) and t.isalpha() and t.lower() not in _DIGIT_WORD_SET and t not in ("I", "i", "a", "A")
            )
            digits = sum(len(t) if t.isdigit() else 1 for t in toks if t.isdigit() or t.lower() in _DIGIT_WORD_SET or t.lower() in _SPOKEN_PAIR_WORDS)
            if letters < 1 or digits < 3:
                continue
            keyword, dist = _context_category(text, m.start())
            if keyword in _ID_CATEGORIES and dist < 100:
                self.add(spans, m.start(), m.end(), keyword)
            elif keyword == "PHONE" and dist < 100 and letters >= 2 and digits >= 4:
                self.add(spans, m.start(), m.end(), "OTHER_ID")  # "her number is r k 4 4 0 9": letters make it no phone number
        return spans


# what names a vehicle before its plate is read out: the plate's own words, or the vehicle ("the blue accord, n j x
# 7 2", "my boat's registered, it's l a four four ...")
# the makes and models callers name a vehicle by (the cue below reads them; ``vehicle_names`` keeps them unmasked);
# regex alternatives, not words: "f-?150" is "f150" and "f-150"
VEHICLE_NAMES = (
    "jeep", "ford", "chevy", "chevrolet", "toyota", "honda", "nissan", "dodge", "gmc", "subaru", "hyundai", "kia", "mazda",
    "volkswagen", "vw", "buick", "chrysler", "tesla", "harley", "accord", "civic", "camry", "corolla", "tacoma", "tundra",
    "silverado", "altima", "malibu", "impala", "mustang", "wrangler", "outback", "tahoe", "equinox", "prius", "sentra",
    "elantra", "jetta", "f-?150", "f-?250",
)  # fmt: skip
_VEHICLE_CUE = re.compile(
    r"\b(?:plates?|tags?|licen[cs]e|registered|registration|vin|vehicle|car|cars|truck|van|suv|pickup|motorcycle"
    r"|bike|boat|trailer|camper|rv|" + "|".join(VEHICLE_NAMES) + r")\b",
    re.I,
)
_PLATE_MIN, _PLATE_MAX = 5, 8  # a US plate has five to eight characters


class SpokenPlate(RuleRecognizer):
    """A licence plate read out letter by letter with its digits after a plate or vehicle cue ("plate is k, x, j, two,
    nine, one", "the gray pickup, m r seven seven four k", "my car's registered ... it's l a four four seven one f t"):
    two letters and two digits at least, five to eight characters, the run starting after the cue; never in a chart
    note (a vital's letters and numbers)."""

    name = "spoken_plate"
    category = "VEHICLE"
    context = ("plate", "tag", "registered", "car", "truck")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        chart: bool | None = None
        for m in _CODE_RUN.finditer(text):
            toks = list(re.finditer(r"[A-Za-z]+|\d+", m.group()))
            while toks and toks[0].group() in ("a", "A", "i", "I") and not (len(toks) > 1 and re.fullmatch(r"[A-Za-z]", toks[1].group())):
                toks.pop(0)  # "it's a 4 4 ..." opens with the article
            letters = sum(len(t.group()) for t in toks if t.group().isalpha() and t.group().lower() not in _DIGIT_WORD_SET
                          and t.group().lower() not in _SPOKEN_PAIR_WORDS and (len(t.group()) == 1 or t.group().isupper()))
            words = sum(1 for t in toks if t.group().isalpha() and len(t.group()) > 1 and not t.group().isupper()
                        and t.group().lower() not in _DIGIT_WORD_SET and t.group().lower() not in _SPOKEN_PAIR_WORDS)
            digits = sum(len(t.group()) if t.group().isdigit() else 2 if t.group().lower() in _SPOKEN_PAIR_WORDS else 1
                         for t in toks if t.group().isdigit() or t.group().lower() in _DIGIT_WORD_SET or t.group().lower() in _SPOKEN_PAIR_WORDS)
            if words or letters < 2 or digits < 2 or not _PLATE_MIN <= letters + digits <= _PLATE_MAX:
                continue
            start = m.start() + toks[0].start()
            if not _VEHICLE_CUE.search(_turn_window(text, start)[-120:]):
                continue
            if chart is None:
                chart = is_chart(text)
            if not chart:
                self.add(spans, start, m.end())
        return spans


# a spelled address's local part: letters, digits and digit words one by one ("t, a, y, ... nine, zero", "j o e 7 7")
_SPELLED_PART = rf"(?:[a-z]|\d+|{DIGIT_WORD}|dot|underscore|dash)"
_SPELLED_LOCAL = re.compile(rf"(?<![\w'’]){_SPELLED_PART}(?:(?:[ .-]{{1,2}}|,\s){_SPELLED_PART}){{2,40}}(?![\w'’])", re.I)
# a chart's "@" is "at" ("a-paced @ rate"): only an address's "@", between its parts, cues a spelling
_EMAIL_CUE = re.compile(r"\b(?:e-?mail|gmail|yahoo|hotmail|outlook|icloud|username|user\s+name)\b|\w@\w", re.I)
_AT_HOST_AFTER = re.compile(rf",?\s*(?:at|@)\s*(?:{_MAIL_HOSTS}|[a-z0-9-]+\s+(?:dot|period)\s)", re.I)


class SpelledEmail(RuleRecognizer):
    """An e-mail address's local part spelled out with its digits, after an e-mail cue or before "at <host>":
    "that's t, a, y, l, o, r, nine, zero" said after the address, "r, o, s, a, four, two at hotmail dot com". A
    spelling of letters alone is a name's (``SpelledLetters``); here letters and digits go together."""

    name = "spelled_email"
    category = "EMAIL"
    context = ("email", "e-mail", "at")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _SPELLED_LOCAL.finditer(text):
            toks = re.findall(r"[A-Za-z]+|\d+", m.group())
            letters = sum(1 for t in toks if len(t) == 1 and t.isalpha())
            digits = sum(1 for t in toks if t.isdigit() or t.lower() in _DIGIT_WORD_SET)
            if letters < 3 or not digits:
                continue  # "300 j x 1": a dose and a count, not a spelling
            if _AT_HOST_AFTER.match(text, m.end()) or _EMAIL_CUE.search(_turn_window(text, m.start())):
                self.add(spans, m.start(), m.end())
        return spans


# ---------------------------------------------------------------- places: addresses, boxes, intersections, ZIP
_ADDR_NUM = rf"(?:\d{{1,3}},\d{{3}}|\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?|{NUM_WORD}(?:[ -]{NUM_WORD}){{0,4}})"
_ADDR_UNIT = r"(?:,?\s+(?:apt|apartment|suite|ste|unit|room|rm|#|number|lot|space|building|bldg)\.?\s*#?\s*[A-Za-z0-9-]{1,6}\b)?"
# a street name is a few words, none of them a function word ("one to 14 Crown Street" starts at 14)
# nor a unit or chart shorthand ("10 mg per dr", "2 via pt")
_STREET_WORD = (
    r"(?!(?:and|to|the|a|in|on|at|of|for|is|was|he|she|i|we|they|it|my|his|her|now|then|but|so|that|this|with"
    r"|after|before|from|by)\b)(?!(?-i:per|via|x|mg|mcg|cc|ml|meq|units?|hrs?|given|doses?|times|tabs?|pt)\b)[A-Za-z0-9][\w'.-]*"
)
# street names written the continental way: "29 Rue de Tanger", "Via delle Coste 41", "ul. Narewska 94"
_FOREIGN_STREET = (
    r"(?:rue|rua|rúa|via|viale|vicolo|avenida|avda\.|calle|c/|ul\.|ulica|piazza|praça|trg|rambla|carrer|avenue|boulevard"
    r"|chemin|allée|allee)"
)


# a "street" whose name is digits alone, said or written, named "extension" or "ext": a phone number and its extension
_PHONE_EXTENSION_AS_STREET = re.compile(rf"(?:(?:\d+|{DIGIT_WORD})[ \t,.-]+)+(?:extension|ext)\b.*", re.I | re.S)


class StreetAddress(_PlaceShape):
    """A street address: "4121 Elm Street", "four twelve elm street apt 3", "1 N. Main St., Suite 200", and streets
    written the continental way ("29 Rue de Tanger", "Via delle Coste 41"); a unit on its own is ``Unit``'s."""

    name = "street_address"
    category = "LOCATION"
    patterns = (
        _pattern(
            rf"\b{_ADDR_NUM}\s+(?:(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\.?\s+)?(?:{_STREET_WORD}\s+){{0,3}}?{_STREET_WORD}\s+{STREET_SUFFIX}\b\.?(?:\s+{STREET_SUFFIX}\b\.?)?"
            rf"(?:\s+\d{{1,4}}[A-Za-z]?\b\.?(?!\s*(?:times|days|years|people|minutes|miles|dollars)))?"  # "Piroska u. 97."
            rf"(?:\s+(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\b\.?)?{_ADDR_UNIT}"
        ),
        _pattern(rf"\b\d{{1,6}}\s+{_FOREIGN_STREET}\s+(?:[^\W\d_][\w'’.-]*\s+){{0,4}}[^\W\d_][\w'’.-]*(?:\s+\d{{1,5}}\b)?", re.I),
        _pattern(
            rf"(?<![\w/])(?!via\s+(?:e-?mail|text|phone|zoom|the|a|an|mail|fax|facebook|instagram|uber|car|bus|train|telehealth)\b)"
            rf"{_FOREIGN_STREET}\s+(?:[^\W\d_][\w'’.-]*\s+){{0,4}}?\d{{1,5}}\b",
            re.I,
        ),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        # a phone number's digits before its "extension" (a USPS suffix too) are no house number and street (fp21)
        if _PHONE_EXTENSION_AS_STREET.fullmatch(text[start:end]):
            return None
        return super().accept(text, m, start, end)


# A unit said on its own, apart from its street (session 15, rules15, widened from "apt 4B"): a room, bed, unit,
# apartment, suite, lot or building with its number or letter, where someone lives or lies ("room 514, bed B",
# "the willows, unit two oh four", "Harbor Road, Lot 17", "apartment two r", "the pines apartments, building c").
# A number said in words is two words at least or one with its letter ("room one night" is a night); a letter alone
# ends the clause, and "a" or "i" only as a capital ("building a house", "bed i guess"); nothing before a time or
# a count ("bed 2 hours ago", "room 10 minutes"), "lot" never after "a" or "whole" ("a lot 5 days a week"), nor a room
# of a kind ("the group room 2", "exam room 3"); a room in digits has three at least (a hospital's or a dorm's rooms
# are numbered by floor: "room 12 at the hospital" stays), and a bed's digits follow its room ("room 514, bed 2"). In a
# chart note only the apartment, suite and unit of before are read: a chart's beds, rooms and lots are its own.
_UNIT_WORDS = r"apt|apartment|suite|ste|unit|room|rm|bed|lot|building|bldg"
_UNIT_CHART_WORDS = ("apt", "apartment", "suite", "unit")
_UNIT_NUMBER = (
    rf"(?P<digits>\d+[A-Za-z]?\b|[A-Za-z][ -]?\d{{1,4}}\b)"
    rf"|(?P<words>{NUM_WORD}(?:[ -]{NUM_WORD}){{0,3}}(?:[ -][A-Za-z]\b)?)"
    r"|(?P<letter>[A-Za-z](?=\s*(?:[.,;?!]|$)))"
)
_AFTER_UNIT_NUMBER = re.compile(
    r"\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|nights?|times?|people|of|or|more|blocks?|miles?|doors?"
    r"|units?|mg|percent|dollars?)\b",
    re.I,
)


_ROOM_OF_A_KIND = re.compile(
    r"\b(?:group|living|dining|waiting|class|break|day|emergency|bath|conference|meeting|family|visiting|common|rec"
    r"|exam|therapy|court|board|school|club|weight|locker|rest|dorm|hospital|er)\s+$",
    re.I,
)


class Unit(_PlaceShape):
    """A unit said on its own (above): "apt 4B", "room 514, bed B", "unit two oh four", "building c"."""

    name = "unit"
    category = "LOCATION"
    patterns = (_pattern(rf"(?<![\w'-])(?P<unit>{_UNIT_WORDS})(?![A-Za-z'-])\.?\s*#?\s*(?:number\s+)?(?:{_UNIT_NUMBER})", re.I | re.M),)

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        unit = m.group("unit").lower()
        if is_chart(text) and (unit not in _UNIT_CHART_WORDS or not m.group("digits")):
            return None
        if not m.group("digits") and unit in ("apt", "suite", "ste", "unit") and m.group("letter"):
            return None  # "unit a." is a ward's letter as often as a home's
        words = m.group("words")
        if words and len(words.split()) < 2:
            return None  # "room one night", "bed one more time"
        letter = m.group("letter")
        if letter and letter in "ai":
            return None  # "building a house", "in bed i guess"
        if _AFTER_UNIT_NUMBER.match(text, end):
            return None
        if unit == "lot" and re.search(r"\b(?:a|whole|parking)\s+$", text[max(0, start - 10) : start], re.I):
            return None
        if unit in ("room", "rm") and _ROOM_OF_A_KIND.search(text, max(0, start - 16), start):
            return None  # "the group room 2", "exam room 3": a program's or a clinic's room, nobody's
        digits = m.group("digits")
        if unit in ("room", "rm") and digits and len(re.sub(r"\D", "", digits)) < 3:
            return None  # "room 12 at the hospital": a hospital's or a dorm's rooms are numbered by floor
        if unit == "bed" and digits and not re.search(r"\broom\s+\S+,?\s+$", text[max(0, start - 24) : start], re.I):
            return None  # "bed 2" alone is a count as often as a place; after its room it is the room's bed
        return super().accept(text, m, start, end)


class PostBox(_PlaceShape):
    """A post office box, and military and postal boxes: "PSC 6293, Box 8158", "Unit 4719 Box 7394", "APO AP 04336";
    a rural route's or highway contract route's box, in digits or words ("RR 4 Box 27", "rural route one box fifty
    two", "HC 61 Box 9"; the box is what makes "rr" a route: "rr 18" in a chart is a breathing rate)."""

    name = "post_box"
    category = "LOCATION"
    patterns = (
        _pattern(r"\b(?:postbox|p\.?\s?o\.?\s+box|post\s+office\s+box)\s+(?:\d+|(?:" + NUM_WORD + r"[ -]?)+)\b"),
        _pattern(r"\b(?:PSC|Unit|CMR)\s+\d{1,5},?\s+Box\s+\d{1,5}\b|\b(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\b(?:\s+\d{5})?|\bUS[NS]V\s+[A-Z][a-z]+", re.I),
        # last: ``accept`` knows it by its place
        _pattern(r"\b(?:rural\s+route|r\.?\s?r\.?|hc|star\s+route)\s+(?:\d{1,3}|" + NUM_WORD + r")\s*,?\s+box\s+(?:\d+|"
                 + NUM_WORD + r"(?:[ -]" + NUM_WORD + r")*)\b"),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        # a route's box said in words has no digit for the place shapes' drug test to see, and "rr" is a clinical
        # word there (a breathing rate): the box said after the route is the evidence
        if m.re is self.patterns[-1].regex:
            return None if _SENTENCE_INSIDE.search(m.group()) else (start, end)
        return super().accept(text, m, start, end)


class Intersection(_PlaceShape):
    """Two streets named together after a place cue: "a friend's place off Lakeshore and Jefferson", "at Fifth & Main",
    "the corner of Fifth and Main", "corner of 159 Venizelou str and Rennie Union". (The case-robust street grammar of
    calls is the geography layer's.)"""

    name = "intersection"
    category = "LOCATION"
    context = ("off", "at", "near", "on", "by", "corner of", "intersection of")
    patterns = (
        _pattern(
            r"(?:(?<=\boff\s)|(?<=\bat\s)|(?<=\bnear\s)|(?<=\bon\s)|(?<=\bby\s))"
            r"(?:[A-Z][\w'-]*\s+){0,2}[A-Z][\w'-]*\s+(?:and|&)\s+(?:[A-Z][\w'-]*\s+){0,2}[A-Z][\w'-]*",
            0,
        ),
        _pattern(
            r"(?:(?<=\boff\s)|(?<=\bcorner\sof\s)|(?<=\bintersection\sof\s))"
            r"[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?\s+(?:and|&)\s+[a-z][\w'-]*(?:\s+(?!by\b|near\b)[a-z][\w'-]*)?(?=\s*[,.;?!]|\s+by\b|\s+near\b|\s*$)",
            0,
        ),
        _pattern(r"\b(?:the\s+)?corner\s+of\s+[\w.'-]+(?:\s+[\w.'-]+){0,4}?\s+(?:and|&)\s+[\w.'-]+(?:\s+(?:[A-Z][\w'-]*|st|street|ave|avenue|rd|road|dr|drive|blvd|courts?|parks?|squares?|pass|lanes?|ways?))*"),
    )


class ZipCode(PatternRecognizer):
    """A ZIP after a state ("San Diego, CA 92101"), or after its keyword, including as Whisper writes a spoken one:
    money ("$4,211"), a thousands comma ("30,303"), digits apart ("7 7 3 0 1"). Not an amount ("OK 10000 dollars")."""

    name = "zip"
    category = "ZIP"
    context = ("zip", "zip code", "postal code")
    patterns = (
        _pattern(rf"(?:\b(?:{US_STATE_ABBR})|\b(?:{US_STATES}))\.?,?\s+(\d{{5}}(?:-\d{{4}})?)\b", 0, 1),
        _pattern(r"\b(?:zip|postal)(?:\s+code)?(?:\s+is|\s+was|:)?\s+((?=[A-Z]{0,4}\d)[A-Z0-9]{2,5}(?:[ -][A-Z0-9]{2,4})?)\b", re.I, 1),
        _pattern(r"\b(?:zip|postal)(?:\s+code)?(?:\s+is|\s+was|'s|:)?,?\s+(?:uh,?\s+|um,?\s+)?(\$?\d{1,2},\d{3}|\d(?:[\s,-]{1,2}\d){4})(?![\d,])", re.I, 1),
    )

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        return None if _MONEY_AFTER.match(text[end : end + 20]) else (start, end)


# ---------------------------------------------------------------- dates and ages
class _DateWords(PatternRecognizer):
    """Dates said in words. The cue that made "the first" a date ("on", "since") is not part of it; a lower-case
    month that is also a word ("may", "march") needs a digit or an ordinal after it."""

    category = "DATE"

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        lead = re.match(r"(?:on|by|since|until|till|before|after|around|as\s+of|starting|effective|from|between)\s+", m.group(), re.I)
        if lead:  # the cue that made "the first" a date is not part of it
            return start + lead.end(), end
        word = m.group().split()[0].lower().rstrip(".,")
        if word in AMBIGUOUS_MONTHS and not m.group()[0].isupper() and not re.search(r"\d|st\b|nd\b|rd\b|th\b", m.group()):
            return None  # "may the third ..." in lowercase is rare; "may one" is a verb
        return start, end


class MonthDay(_DateWords):
    """A month and a day: "Monday, the third of October", "October 3rd", "October twenty three", "3rd October",
    and as Whisper writes the day: "March for 2000" ("four" heard as "for"), "August 9-66"."""

    name = "month_day"
    patterns = (
        # "Monday, the third of October", "the 3rd of Oct."
        _pattern(rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY_NUM}\s+(?:day\s+)?of\s+{MONTH}(?![a-z])", re.I),
        # "October 3rd", "Monday, October the third", "Oct 3"
        _pattern(rf"\b(?:{WEEKDAY},?\s+)?{MONTH}\s+(?:the\s+)?{DAY_NUM}(?![a-z])", re.I),
        # "October twenty three" (cardinal spoken days)
        _pattern(rf"\b(?:{WEEKDAY},?\s+)?{MONTH}\s+{CARD_DAY}\b(?!\s+(?:years?|days?|weeks?|months?|hours?|minutes?|times?|people|dollars))", re.I),
        # "3 October", "3rd October"
        _pattern(rf"\b(?:{WEEKDAY},?\s+)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+{MONTH}(?![a-z])", re.I),
        # the day as Whisper writes it after a month: "four" heard as "for" before a year ("March for 2000"), a day
        # and a two-digit year joined by a dash ("August 9-66")
        _pattern(rf"\b{MONTH}\s+(?:for|fore)(?=,?\s+(?:\d{{4}}|\d{{2}})\b)", re.I),
        _pattern(rf"\b{MONTH}\s+(?:[12]\d|3[01]|0?[1-9])-\d{{2}}\b", re.I),
        # a day of another calendar's month (session 12, clean12): "the 27th of Shevat", "15 Nisan", "Rajab the 3rd"
        _pattern(rf"\b(?:the\s+)?{DAY_NUM}\s+(?:day\s+)?(?:of\s+)?{OTHER_CALENDAR_MONTH}(?![\w'’-])", re.I),
        # Av only after "of": "3rd Av" is an avenue
        _pattern(rf"\b(?:the\s+)?{DAY_NUM}\s+(?:day\s+)?of\s+(?:menachem\s+)?av(?![\w'’-])", re.I),
        _pattern(rf"\b{OTHER_CALENDAR_MONTH}\s+(?:the\s+)?{DAY_NUM}(?![a-z])", re.I),
    )


class Holiday(_DateWords):
    """A holiday, which dates the day it names: "christmas eve", "the fourth of july", "mlk day", regional and
    religious feasts ("fat tuesday", "pioneer day", "lunar new year", "eid", "our lady of guadalupe day"), in any
    case; not an ordinary phrase its name is part of ("a good friday night", "an easter egg", "EID" in capitals)."""

    name = "holiday"
    # a plural's possessive apostrophe may close a holiday said without its "day" ("the day after April Fools'"); an
    # apostrophe or a hyphen going on into a word still ends no holiday ("easter's-egg", "halloween'ish")
    patterns = (_pattern(rf"\b(?:{HOLIDAYS})(?:['’](?![\w'’-]))?(?![\w'’-])", re.I),
                _pattern(rf"\b(?:{_FEAST_DAY})(?![\w'’-])", re.I), _pattern(_CARNIVAL, re.I))

    def accept(self, text: str, m: re.Match[str], start: int, end: int) -> tuple[int, int] | None:
        said = m.group()
        if _NOT_A_HOLIDAY_BEFORE.search(text[max(0, start - 12) : start]) and said.split()[0].lower() in ("good", "black", "fat"):
            return None  # "a good friday night", "a fat tuesday": an adjective and a weekday
        if said.lower().startswith("easter") and _HOLIDAY_THING_AFTER.match(text, end):
            return None
        if said.isupper() and len(said) <= 4 and not text.isupper():
            return None  # "EID", "HOLI" in a cased text are acronyms
        if said.lower().endswith("day") and _DAY_IS_THE_NOUNS.match(text, end):
            return None  # "the san marcos day program", "pioneer day care": the day belongs to what follows
        return super().accept(text, m, start, end)


# Session 17 (rules17b): a local or school event said as a time dates what it anchors ("born the week of <x> Days",
# "he relapsed the week after the rodeo", "three weeks after the <crop> festival", "fine till spring break"), as a
# holiday does; only after a time cue, so "we met at the county fair" and "a fair price" are no date. The event is
# masked, not the cue; a person's own ("my cousin's prom") or another year's ("last year's fair") is not read.
_EVENT_CUE = (
    r"(?:after|before|since|until|till|til|around|during|the\s+(?:day|night|morning|week|weekend|month"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+(?:of|after|before))"
)
_EVENT_NOUN = (
    r"(?:festival|fest|fair|rodeo|stampede|round[- ]?up|roundup|jubilee|pow[- ]?wow|fiesta|regatta|homecoming|prom"
    r"|(?:spring|fall|winter|thanksgiving|easter|christmas)\s+break)"
)
_NOT_AN_EVENT_WORD = r"(?!(?:my|his|her|their|our|your|a|an|this|that|last|next|the|every|each|one|some|any)\b)"


class LocalEvent(PatternRecognizer):
    """A local or school event said as a time (above): "after the county fair", "the week of <Town> Days"."""

    name = "local_event"
    category = "DATE"
    patterns = (
        _pattern(rf"\b{_EVENT_CUE}\s+(?:(?:about|like|right|just|um|uh),?\s+)*(?:the\s+)?"
                 rf"((?:{_NOT_AN_EVENT_WORD}[a-z][\w'’-]*\s+){{0,2}}?{_EVENT_NOUN})(?![\w'’-])", re.I, group=1),
        # a town's festival named "<Name> Days", in a cased text only ("two days", "those days" are no event)
        _pattern(rf"\b(?i:{_EVENT_CUE})\s+(?:the\s+)?((?!(?:The|Those|These|Few|Many|Several|Some|Both|Last|Next|First|Early"
                 rf"|Old|Good|School|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?\s+Days)\b",
                 0, group=1),
    )


class SpanishDate(_DateWords):
    """A Spanish date in an interpreted call, the whole of it (a Spanish year is no English year the rest of the
    engine would recognise): "el quince de marzo de mil novecientos setenta y ocho", "3 de mayo"; a month alone after
    a Spanish time word ("en noviembre", "desde marzo")."""

    name = "spanish_date"
    # the article is said with the day ("nació el diez de agosto"): part of the date, as "the" is of "the 3rd of June"
    patterns = (_pattern(rf"\b(?:el\s+)?{_ES_NUM}\s+de\s+{_ES_MONTH}(?:\s+(?:de(?:l)?\s+)?{_ES_YEAR})?\b", re.I),
                # session 22 (recipe22): a month alone after a Spanish time word ("después de la cosecha, en noviembre",
                # "desde marzo", "a fines de julio"), as MonthName reads "in November"; the month only, never "mayo"
                # without its cue (a sandwich's)
                _pattern(rf"\b(?:en|desde|para|hasta|antes\s+de|despu[eé]s\s+de|a\s+(?:fines|finales|principios|mediados)\s+de"
                         rf"|(?:el\s+)?mes\s+de)\s+(?:este\s+)?({_ES_MONTH})\b", re.I, group=1))


# an ordinal before a place noun numbers a place, never a day: "the ninth ward", "the fifth district", "the third
# precinct", "the seventh street bridge" (the place itself is geography's or the gazetteer's to mask)
_ORDINAL_PLACE_NOUNS = (
    r"ward|wards|district|districts|precinct|precincts|parish|borough|street|st|avenue|ave|road|rd|boulevard|blvd"
    r"|lane|drive|court|circle|highway|floor|grade|congressional|circuit|division|battalion|infantry|army|fleet|regiment"
)


# session 17 (rules17b): a verb that schedules something makes "the first" after it a day of the month as a cue does
# ("if she starts the 2nd", "he gets out the first", "rent's due the fifth"); each a fixed-width lookbehind, so the
# verb stays readable
_SCHEDULE_VERB_BEFORE = "(?:" + "|".join(
    rf"(?<=\b{verb}\s)" for verb in ("starts", "start", "started", "begins", "ends", "due", "out", "leaves", "moves")
) + ")"


class DayOfMonth(_DateWords):
    """A day of the month without its month: "on the tenth", "Tuesday the twenty-seventh", "by the 3rd", a range "from
    the third to the seventeenth"; not "the third time"."""

    name = "day_of_month"
    context = ("on", "by", "since", "until", "before", "after", "around", "as of", "starting", "effective", "from",
               "between")
    patterns = (
        # a range of days of the month: "from the third to the seventeenth", "between the 2nd and the 9th"
        _pattern(
            rf"\b(?:from|between)\s+the\s+(?:{ORD_WORD}|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\s+(?:to|and|through|till|until|-)"
            rf"\s+(?:the\s+)?(?:{ORD_WORD}|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b(?!\s+(?:time|times|floor|grade|step|steps|place|{_ORDINAL_PLACE_NOUNS})\b)",
            re.I,
        ),
        # a day of the month on its own: "on the tenth", "Tuesday the twenty-seventh", "by the 3rd"; not "the third time"
        _pattern(
            rf"(?:\b(?:{WEEKDAY},?\s+)?the\s+(?!first\b|second\b|1st\b|2nd\b)|\b(?:(?:on|by|since|until|till|before|after|around|as\s+of|starting|effective)\s+|{WEEKDAY},?\s+)the\s+"
            rf"|{_SCHEDULE_VERB_BEFORE}\bthe\s+)"
            rf"(?:{ORD_WORD}|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
            r"(?!\s+(?:time|times|floor|grade|step|steps|thing|things|place|day|days|week|weeks|month|months|year|years|one|ones"
            r"|person|people|" + kin_pattern("kid", "child", "baby", plural=True) + r"|round|attempt|try|stint|visit|overdose|relapse|rehab|detox|program|call"
            r"|calls|hour|hours|shift|to|of|in\s+line|choice|option|question|part|half|quarter|night|nights|morning|week's|lady|guy"
            r"|girl|boy|man|woman|doctor|nurse|counselor|center|facility|house|home|job|dose|pill|shot|injection|level|stage"
            r"|phase|session|sessions|meeting|meetings|group|class|semester|trimester|marriage"
            rf"|{_ORDINAL_PLACE_NOUNS})\b)",
            re.I,
        ),
    )


# A weekday on its own ("can he come Monday?") stays: it is no element of a date under Safe Harbor, the annotators
# of independent call corpora leave it, and masking it cost a tenth of all redactions on such calls. A weekday
# joined to a day or month ("Thursday the 9th", "Monday, October 3rd") goes with the date it belongs to.
# a time of day written right after a date belongs to it ("2000-04-16 11:34:35", "March 3rd at 2:15 pm")
_TIME_AFTER_DATE = re.compile(r"^(?:,?\s*(?:at\s+)?|T)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*[ap]\.?m\.?)?", re.I)
# numeric dates: month/day part is redacted; a four-digit year stays
_NUMERIC_DATE = re.compile(r"\b((?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01]))(?:([/.-])(\d{4}|\d{2}))?\b(?![/.-]\d)")
_NUMERIC_DATE_DMY = re.compile(r"\b((?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2]))([/.-])(\d{4})\b")
# a month and a two-digit year that cannot be a day ("AVR 8/88", "s/p MI 12/83"): a history's date, never a ratio's
# tail ("C/O 5.6/67", "81/59/7.31/31" are cut by the lookbehind)
_MONTH_YEAR = re.compile(r"(?<![\d./])((?:0?[1-9]|1[0-2])/(?:3[2-9]|[4-9]\d))\b(?![/.-]\d)")
# a whole date glued to the word before it, as hurried notes type it ("labs on10/14/82")
_GLUED_FULL_DATE = re.compile(r"(?<=[A-Za-z])((?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d{2}))\b(?![/.-]\d)")
_ISO_DATE = re.compile(r"\b(\d{4})([/.-])((?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01]))\b")
_MONTH_ALONE = gate(re.compile(rf"\b{MONTH}(?![a-z])", re.I))
_MONTH_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|til|from|of|early|late|mid|last|next|this|by|around|before|after|during|through|to|on|every|each)\s*-?\s*)$",
    re.I,
)
_SPOKEN_MONTH_CONTEXT = re.compile(
    r"\b(?:in|since|until|till|til|early|late|mid|last|next|of|around|before|after|during|through|back\s+in|end\s+of"
    r"|beginning\s+of|middle\s+of|start\s+of|every|each)\s*-?\s+(?:(?:like|um|uh|about|around),?\s+)*$",
    re.I,
)
# a month said as the answer to when, closing its clause (session 22, who22): "no, it was march.", "that was may,";
# never a month's word going on as another word ("it was march madness", "it's may be")
_MONTH_STATED_BEFORE = re.compile(r"\b(?:it\s+was|that\s+was|it's|it’s|that's|that’s)\s+(?:(?:like|um|uh|in),?\s+)*$", re.I)
_CLAUSE_END_AFTER = re.compile(r"[ \t]*(?:[.,;!?\n]|$)")


class NumericDate(RuleRecognizer):
    """A date in digits: month/day ("3/14", "3/14/88"), day/month/year, month/two-digit year ("AVR 8/88"), glued
    ("on10/14/82") and ISO ("2000-04-16"); the part that is no year is masked, a four-digit year stays."""

    name = "numeric_date"
    category = "DATE"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _NUMERIC_DATE.finditer(text):
            month_day = m.group(1)
            m_part, d_part = re.split(r"[/.-]", month_day)
            sep = re.search(r"[/.-]", month_day).group()
            if m.group(3) is None:
                if sep == "." or sep == "-":
                    continue  # "2.5", "3-4 times": only slashes are dates without a year
                if (int(m_part), int(d_part)) in ((1, 2), (1, 3), (2, 3), (1, 4), (3, 4)) and not re.search(
                    r"\b(?:on|since|by|until|till|from|before|after|around)\s+$", text[max(0, m.start() - 8) : m.start()], re.I
                ):
                    continue  # dosing fractions: 1/2, 1/4, 3/4 (but "on 1/2" is the second of January)
            if len(m.group(3) or "") == 4:
                self.add(spans, m.start(1), m.end(1), "DATE")
            else:
                self.add(spans, m.start(), m.end(), "DATE")
        for m in _NUMERIC_DATE_DMY.finditer(text):
            self.add(spans, m.start(1), m.end(1), "DATE")
        for pattern in (_MONTH_YEAR, _GLUED_FULL_DATE):
            for m in pattern.finditer(text):
                self.add(spans, m.start(1), m.end(1), "DATE")
        for m in _ISO_DATE.finditer(text):
            self.add(spans, m.start(3), m.end(3), "DATE")
        return spans


# a four-digit year after a month names the month a date ("March of 1993", "MAY 2004"); a verb is never followed so
_YEAR_AFTER_MONTH = re.compile(r"\s+(?:of\s+)?(?:19|20)\d\d\b(?![/.-]\d)", re.I)


class MonthName(RuleRecognizer):
    """A month on its own ("back in March", "since may", "every August"): a month that is also a word, or an
    abbreviation, only after a date preposition (capitalised, or in lower case after a spoken cue: "in like march", or
    stated as the answer to when, closing its clause: "no, it was march."); "may be" is a verb."""

    name = "month_name"
    category = "DATE"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _MONTH_ALONE.finditer(text):
            word = m.group().lower().rstrip(".")
            if word in AMBIGUOUS_MONTHS or len(word) <= 4 and word not in ("june", "july"):
                # "may", "march", "sat", abbreviations: only when capitalised and after a date preposition
                context = _MONTH_CONTEXT_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
                spoken = _SPOKEN_MONTH_CONTEXT.search(text[max(0, m.start() - 24) : m.start()])
                # lower case (speech recognition): "in like march", "since may", "back in august"; never "to march";
                # a year after it makes any month a date, in capitals too ("MARCH OF 1993", "may 2004")
                year = _YEAR_AFTER_MONTH.match(text, m.end()) is not None
                stated = word in ("march", "may", "august") and _CLAUSE_END_AFTER.match(text, m.end()) is not None and (
                    _MONTH_STATED_BEFORE.search(text[max(0, m.start() - 24) : m.start()]) is not None)
                if not (m.group()[0].isupper() and context) and not (word in ("march", "may", "august") and spoken) and not year and not stated:
                    continue
                if word == "may" and re.match(r"\s+(?:be|have|not|I|we|you|he|she|they|it)\b", text[m.end() : m.end() + 6]):
                    continue
            self.add(spans, m.start(), m.end(), "DATE")
        return spans


def _times_after_dates(text: str, spans: list[Span]) -> list[Span]:
    """A time of day written right after a found date belongs to it, past an optional year, which stays
    ("2000-04-16 11:34:35", "March 3rd at 2:15 pm"): a step over every date the layer found."""
    out = []
    for span in spans:
        if span.category != "DATE":
            continue
        after = text[span.end : span.end + 40]
        year = re.match(r"[/.,-]?\s*(?:\d{4}|\d{2})\b(?!:)", after)
        offset = year.end() if year else 0
        t = _TIME_AFTER_DATE.match(after[offset:])
        if t:
            digits = re.search(r"\d", t.group())
            start, end = span.end + offset + digits.start(), span.end + offset + t.end()
            if end > start:
                out.append(Span(start, end, "DATE", LAYER, None, "time_after_date"))
    return out


_AGE_RULES = [
    re.compile(r"\b(9\d|1[0-1]\d)(?:\s*|-)(?:years?|yrs?|y/?o|year-old)\b", re.I),
    re.compile(r"\b(?:age|aged|ages)\s*(?:is|of|:)?\s*(9\d|1[0-1]\d)\b", re.I),
    re.compile(r"\b(?:i'm|i\s+am|he's|she's|he\s+is|she\s+is|who's|who\s+is|is|(?:" + kin_pattern(words=ELDER_KIN) + r")'s|turned|turning|turns|just\s+turned)\s+((?:over|almost|nearly|about|like)\s+)?(9\d|1[0-1]\d)\b(?!\s*(?:%|percent|dollars|days|pounds|lbs|mg|minutes|miles|times))", re.I),
    # "in her 90s", "in his nineties": an age over 89 without the number
    re.compile(r"\b((?:in|into)\s+(?:his|her|their|my|your|the)\s+(?:90s|90's|nineties|hundreds))\b", re.I),
    re.compile(
        r"\b((?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|(?:a|one)\s+hundred(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))?))"
        r"(?:\s*|-)(?:years?|year-old)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:i'm|i\s+am|he's|she's|he\s+is|she\s+is|who's|who\s+is|turned|turning|turns|age|aged|(?:" + kin_pattern("husband", "wife", words=ELDER_KIN)
        + r"|patient|client)(?:'s|\s+is))\s+"
        r"((?:(?:over|almost|nearly|about|like)\s+)?(?:(?:a|one)\s+hundred(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?|ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?))\b",
        re.I,
    ),
]
_AGE_RULES = [gate(p) for p in _AGE_RULES]

# An age over 89 said bare, with no "years old" or "she's" before it (session 22, who22): set off after "still living"
# or "still alive" ("her mother is still living, 101, at ...", "grandpa's still alive, ninety-six"), or said again right
# after an age found in the same turn, restated or corrected ("she's a hundred. a hundred and one in july", "he's 93,
# no, 94"). The number is the age only where it stands alone: a unit, money or a count after it keeps it a quantity.
_AGE_NUMBER = (
    r"(?:9\d|1[01]\d|ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:a|one)[ \t]+hundred(?:[ \t]+(?:and[ \t]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)(?![\w'’-])"
    r"(?![ \t-]+(?:and[ \t]+)?(?:eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)\b)"
    r"(?![ \t]*(?:%|percent|dollars|bucks|grand|days|weeks|months|pounds|lbs|mg|minutes|miles|times|degrees)\b)"
)
_AGE_AFTER_LIVING = gate(re.compile(
    r"\bstill[ \t]+(?:living|alive|kicking|around)[ \t]*,?[ \t]+(?:(?:at|like|about)[ \t]+)?(" + _AGE_NUMBER + r")(?=[ \t]*[,.;!?\n]|[ \t]*$|[ \t]+(?:at|and|now)(?![\w'’-]))",
    re.I,
))
_AGE_SAID_AGAIN = re.compile(
    r"[ \t]*[.,;]?[ \t]+(?:(?:no|well|actually|or|i\s+mean|sorry)[ \t]*,?[ \t]+)?(" + _AGE_NUMBER + r")", re.I
)


class AgeOver89(RuleRecognizer):
    """An age over 89 (Safe Harbor keeps younger ages): "94 years old", "aged 93", "she's 91", "in her nineties",
    "a hundred and two years old"; not "91 percent" or "92 dollars"."""

    name = "age_over_89"
    category = "AGE"
    patterns = tuple(_AGE_RULES)

    def find(self, text: str) -> list[Span]:
        spans = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                first = next(g for g in range(1, (pattern.groups or 0) + 1) if m.group(g) is not None)
                self.add(spans, m.start(first), m.end(pattern.groups))
        for m in _AGE_AFTER_LIVING.finditer(text):
            self.add(spans, m.start(1), m.end(1))
        # an age said again right after one found ("she's a hundred. a hundred and one"), and again after that one: a
        # correction corrected ("he's 93, no, 94, no, 95"; read22: one pass over the first findings left the third)
        found = {(span.start, span.end) for span in spans}
        ends = sorted({end for _, end in found})
        while ends:
            again = _AGE_SAID_AGAIN.match(text, ends.pop())
            if again and (again.start(1), again.end(1)) not in found:
                found.add((again.start(1), again.end(1)))
                self.add(spans, again.start(1), again.end(1))
                ends.append(again.end(1))
        return spans


# ---------------------------------------------------------------- letters spelled out
# a letter may be said phonetically inside a spelling: "b as in boy, e, l, l, a, m, y"
_LETTER = r"(?:[A-Za-z](?:\s+as\s+in\s+[A-Za-z]{2,12})?)"
_SPELLED_LETTERS = re.compile(rf"(?<![\w'])(?:{_LETTER}(?:[ .-]{{1,2}}|,\s)){{2,}}{_LETTER}\b(?![\w'])")
_SPELL_CUE = re.compile(r"(?:spell(?:ed|s|ing)?|that's|it's|last\s+name(?:\s+is)?|first\s+name(?:\s+is)?|name\s+is)\s*(?:it\s+)?(?:is\s+)?[:,]?\s*$", re.I)


class SpelledLetters(RuleRecognizer):
    """Letters spelled out, a name's: "that's D E R E K", "h-o-l-l-o-w-a-y", "b as in boy, e, l, l"; three letters
    after a spelling cue or four anywhere; and the word it spells when said just before ("Will Fox. F O X.").
    Programs spelled as letters ("M.A.T.") stay; next to digits, letters are part of an ID (``NumberRuns``)."""

    name = "spelled_letters"
    category = "NAME"
    context = ("spell", "spelled", "that's", "it's", "last name", "first name", "name is")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _SPELLED_LETTERS.finditer(text):
            letters = re.sub(r"[^A-Za-z]", "", re.sub(r"(?i)\b([a-z])\s+as\s+in\s+[a-z]+", r"\1", m.group()))
            if len(letters) < 3 or letters.lower() in clinical_words():
                continue  # "M.A.T.", "P.H.P." are programs
            before = text[max(0, m.start() - 40) : m.start()]
            echoed = re.search(rf"\b({letters})\b[\s.,]*$", before, re.I)
            if _SPELL_CUE.search(before[-30:]) or len(letters) >= 4 or echoed:
                self.add(spans, m.start(), m.end(), "NAME")
                if echoed:  # "Will Fox. F O X.": the word it spells is the name
                    self.add(spans, max(0, m.start() - 40) + echoed.start(1), max(0, m.start() - 40) + echoed.end(1), "NAME")
        return spans


# ---------------------------------------------------------------- shared vocabulary of the number recognizers
_CAPS_PREFIX = re.compile(r"(?:(?<![\w'])((?:[A-Za-z][ .-]{1,2}){0,4}[A-Za-z])|\b([A-Z]{1,5}))[-,.]?\s?$")
_LETTERS_AFTER = re.compile(r"[-,]?\s?((?:[A-Z](?:[ .-]|$)){1,4}[A-Z]?|[A-Z]{2,4})\b(?!')")
# letters read out one by one in lower case, as raw speech recognition writes a code's letters ("a p", "w a", "x j k"):
# one to three, not a lone "a" or "i" before the number (an article, a pronoun), nor "a" and "i" only
_SPOKEN_LETTERS = re.compile(r"(?!(?:[ai][ .-]{1,2})*[ai]$)(?:[a-z][ .-]{1,2}){1,2}[a-z]")
_SPOKEN_LETTERS_AFTER = re.compile(
    r"[ \t]*,?[ \t]+((?!i\b)(?:[a-z][ \t]+){0,2}[a-z])(?=[ \t]*(?:[.,;?!]|\n|$)|[ \t]+(?:if|and|but|so|i|i'm|that's|it's"
    r"|he|she|we|they|please|right|okay|ok|yeah|is|was|can\s+(?:i|you|we|he|she))\b)"
)
_DIGIT_WORD_SET = set(_SPOKEN_DIGITS)
# a letter spelled by a word ("d as in david") is one letter; tens and teens are spoken digit pairs (no "hundred": a
# code is read digit by digit or in pairs)
_CODE_TOKEN = (
    r"(?:(?i:[a-z]\s+as\s+in\s+[a-z]{2,12})|[A-Z]{1,3}|[a-z]|\d+|(?i:"
    + "|".join((*_SPOKEN_DIGITS, *ONES[10:], *TENS[2:]))
    + "))"
)
# separators Whisper writes inside a read-out code, or that the caller says ("dash")
_CODE_RUN = gate(re.compile(rf"(?<!['’])\b{_CODE_TOKEN}(?:(?:[\s,.-]{{1,3}}|\s+(?i:dash|hyphen)\s+){_CODE_TOKEN}){{3,}}\b"))
_SPOKEN_PAIR_WORDS = frozenset((*ONES[10:], *TENS[2:]))
_ADDRESS_STOP = {"and", "now", "he", "she", "i", "we", "they", "takes", "take", "took", "it", "is", "was", "the", "a",
                 "but", "so", "then", "my", "his", "her", "their", "to", "in", "on", "at", "for", "of", "that", "this",
                 "since", "about", "been", "has", "have", "had", "are", "were", "be", "not", "all", "every"}
_ID_CATEGORIES = {"MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID"}
_NOT_EMAIL_LOCAL = {"it", "is", "s", "was", "look", "me", "us", "them", "him", "her", "be", "we", "you", "i", "that", "this", "find", "go", "up", "one", "are", "page", "site", "website", "online", "there", "here", "listed", "email", "it's", "its"}
_COMMON_CAPS = {"I", "A", "ID", "OK", "AM", "PM", "IS", "IT", "MY", "THE", "AND", "TO", "OF", "IN", "ON", "AT", "NO", "SO", "OR", "US", "UH", "UM", "OH", "DOB", "SSN", "MRN", "USD", "APT", "STE"} | set(US_STATE_ABBR.split("|"))


def _plan_prefix(text: str, caps: str) -> bool:
    """Whether capitals that are also a word ("PHP", "TSV") standing right before a number already read as an
    identifier are its prefix: two to five capitals, no everyday capitals ("ID", "OK", a state's code), in cased text
    (shouted text writes every word so) that is no chart note (whose "BP", "HR" stand before vitals)."""
    return (
        2 <= len(caps) <= 5 and caps.isupper() and caps not in _COMMON_CAPS and casing_style(text) != "upper"
        and not is_chart(text)
    )



def _turn_window(text: str, start: int) -> str:
    """This line up to ``start`` and the line before it: the question and its answer."""
    line_start = text.rfind("\n", 0, start)
    prev_line_start = text.rfind("\n", 0, line_start) if line_start > 0 else -1
    return text[max(prev_line_start + 1, start - 200) : start]


def _context_category(text: str, start: int) -> tuple[str | None, int]:
    """The category named by the keyword nearest before ``start`` (this line and the previous), and its distance."""
    line_start = text.rfind("\n", 0, start)
    prev_line_start = text.rfind("\n", 0, line_start) if line_start > 0 else -1
    window_start = max(prev_line_start + 1, start - 160)
    window = text[window_start:start]
    best: tuple[str | None, int] = (None, 10**9)
    generic: tuple[str | None, int] = (None, 10**9)
    for m in _CONTEXT_RE.finditer(window):
        idx = int(m.lastgroup[1:])
        dist = len(window) - m.end()
        # a bare "number" only says "some number": it yields to any named kind ("case number", "member number")
        if re.fullmatch(r"(?:number|number\s+is|my\s+number)", m.group(), re.I):
            generic = (_CONTEXT_KEYWORDS[idx][1], dist)
        elif dist <= best[1]:
            best = (_CONTEXT_KEYWORDS[idx][1], dist)
    return best if best[0] else generic


def _classify_run(
    text: str, start: int, end: int, digits: str, spoken: bool, groups: tuple[str, ...], has_prefix: bool,
    listed: bool = False,
) -> str | None:
    """Decide what a number run is, or ``None`` when it is not an identifier (money, counts, a bare year)."""
    before = text[max(0, start - 12) : start]
    after = text[end : end + 20]
    nd = len(digits)
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
        return None
    if MEASURE_BEFORE.search(before) or _UNIT_AFTER.match(after):
        return None
    if _DECIMAL.search(text, start, end) and re.search(r"\d\s+\d", text[start:end]):
        return None  # "138 4.2 101 24": values said in a row with a decimal among them are a panel of results  # "BP 100-120/40-60", "u/o 100-200": a vital sign or measurement range, not an identifier
    if nd == 4 and _LAST_FOUR.search(_turn_window(text, start)):
        keyword, _ = _context_category(text, start)
        return "SSN" if keyword in (None, "SSN", "PHONE") else keyword
    keyword, dist = _context_category(text, start)
    near = dist < 90
    if keyword == "CODE":
        if dist < 40:
            return None  # "CPT 90837": a billing code names a service, not a person
        keyword, near = None, False  # a code mentioned further back says nothing about this number
    if keyword and near:
        if keyword in ("PHONE", "FAX"):
            if nd >= 7:
                return keyword
            if nd >= 4 and _SHORT_NUMBER_CUE.search(text, max(0, start - 20), start):
                return keyword  # an extension's or a pager's few digits ("ext 4521", "pager 5-4421")
        elif keyword == "SSN":
            if nd in (9, 4):
                return "SSN"
        elif keyword == "ZIP":
            if nd in (5, 9):
                return "ZIP"
        elif keyword == "DATE":
            if 4 <= nd <= 8 and not (nd == 4 and digits[:2] in ("19", "20") and not spoken and len(groups) == 1):
                return "DATE"
        elif nd >= 4 or has_prefix:
            return keyword
    if listed:
        # digits Whisper wrote one by one look like a list: only a named context makes them an identifier,
        # or a phone's length right after a phone question
        return "PHONE" if keyword == "PHONE" and near and nd in (7, 10, 11) else None
    # shapes that identify themselves
    if has_prefix and nd >= 4:
        return "OTHER_ID"
    if len(groups) == 3 and [len(g) for g in groups] == [3, 2, 4]:
        return "SSN"
    if nd == 10 or (nd == 11 and digits[0] == "1"):
        return "PHONE"
    if nd == 7 and (spoken or [len(g) for g in groups] == [3, 4]):
        return "PHONE"
    if has_prefix and nd >= 4:
        return "OTHER_ID"
    if nd >= 6:
        # a long number with thousands separators and no context may be a count ("1,200,000 people"): those
        # are caught by _MONEY_AFTER; everything else this long singles something out
        return "PHONE" if spoken and nd in (7, 10, 11) else "OTHER_ID"
    if nd == 5 and re.search(rf"\b(?:{_STATE_ABBR_BEFORE_ANY_NUMBER}|{US_STATES})\.?,?\s*$", text[max(0, start - 20) : start], re.I):
        return "ZIP"
    if nd == 5 and len(groups) == 1 and not spoken:
        return "OTHER_ID"
    if spoken and nd >= 5 and not (nd == 4):
        return "OTHER_ID"
    return None


def _is_year(digits: str, spoken: bool, groups: tuple[str, ...]) -> bool:
    return len(digits) == 4 and digits[:2] in ("19", "20") and (spoken or len(groups) == 1)


# The chain, in the order it runs; each recognizer has its own tests in tests/test_deid_rules.py.
RECOGNIZERS: tuple[Recognizer, ...] = (
    EmailRecognizer(),
    PhonePieces(),
    PhoneExtension(),
    UrlRecognizer(),
    SocialHandle(),
    IpAddress(),
    SsnWritten(),
    VehicleId(),
    MixedCode(),
    Iban(),
    PaymentCard(),
    DriverLicense(),
    StreetAddress(),
    Unit(),
    PostBox(),
    Intersection(),
    ZipCode(),
    NumberRuns(),
    SpokenCode(),
    SpokenPlate(),
    SpelledEmail(),
    MonthDay(),
    Holiday(),
    LocalEvent(),
    SpanishDate(),
    DayOfMonth(),
    NumericDate(),
    MonthName(),
    AgeOver89(),
    SpelledLetters(),
)


def find(text: str) -> list[Span]:
    """All rule findings in ``text`` (overlaps allowed; :func:`spans.resolve` merges them): every recognizer's, the
    times written after the dates they found, and, in a chart note, none that is a measurement there."""
    spans = run_all(RECOGNIZERS, text)
    spans += _times_after_dates(text, spans)
    if is_chart(text):
        spans = [span for span in spans if not _chart_measurement(text, span)]
        spans += chart_dates.find(text)  # dates only a chart writes ("CVA 74'", "on 7-8")
    return spans


class _RulesLayer:
    """The layer as the engine loads it (``recognizer.py``): the patterns read the text lowercased when it is all
    capitals, where capitals mean nothing ("MEMBER ID XWB448172093")."""

    def find(self, doc: Document) -> list[Span]:
        return find(doc.plain)


def build_layer(context: LayerContext) -> _RulesLayer:
    return _RulesLayer()


# ---------------------------------------------------------------- after the merge: steps over every layer's findings
_ECHO_CATEGORIES = _ID_CATEGORIES | {"PHONE", "FAX", "SSN"}
# the rest of a number said after a pause: "..., 0 1 7, and then there's like a 0 0 at the end"
_ID_TAIL = re.compile(
    r"[,.]?\s+(?:and\s+)?(?:then\s+)?(?:(?:there's|it's|it\s+has|there\s+is)\s+)?(?:like\s+)?(?:an?\s+)?"
    r"(\d(?:[ ,-]{1,2}\d){1,5}|\d{1,4})(\s+(?:at|on)\s+the\s+end)?(?![\d\w])",
    re.I,
)


# "four" as Whisper writes it inside a number said digit by digit: "6088 for 021773", "for 7-855-50116", "zero for."
_FOUR_THEN_DIGITS = re.compile(r"(?:[\s,-]+(?:for|fore)){1,3}(?:[\s,-]+(\d[\d,-]*\d|\d))?(?![\w'-])", re.I)
_FOUR_BEFORE = re.compile(r"(?:^|(?<=[\s,.:]))(?:for|fore)[\s,-]+$", re.I)
_CLAUSE_END = re.compile(r"[\s,]*(?:[.?!;]|\n|$|and\b|or\b|um\b|uh\b)", re.I)


def _four_homophones(text: str, span: Span) -> list[Span]:
    """Grow a number-bearing identifier over the "for" Whisper heard for "four" next to its digits: between two digit
    groups, or at its edge where the clause ends ("... zero for.") or the run starts ("for 7-855-50116")."""
    start, end = span.start, span.end
    for _ in range(3):  # bounded: a run of "1234 for 1234 for ..." costs each span three steps, not the whole run
        m = _FOUR_THEN_DIGITS.match(text, end, min(len(text), end + 40))
        if not m or "\n" in m.group():
            break
        if m.group(1) is None and not _CLAUSE_END.match(text, m.end()):
            break  # "... 0937 for the front desk": a preposition
        end = m.end()
    before = _FOUR_BEFORE.search(text[max(0, start - 8) : start])
    if before and sum(c.isdigit() for c in text[start:end]) >= 4:
        start = max(0, start - 8) + before.start()
    if (start, end) == (span.start, span.end):
        return []
    return [Span(start, end, span.category, LAYER, None, "four_homophone")]


def id_tails(text: str, spans: list[Span]) -> list[Span]:
    """Digits said after a found identifier as its rest: two or more digits said apart, or any digits said to be
    at its end ("like a 0 0 at the end"); a count with a unit ("and then 2 weeks") is none. And the "for" Whisper
    writes for "four" beside an identifier's digits."""
    out = []
    for span in spans:
        if span.category not in _ECHO_CATEGORIES:
            continue
        if re.search(r"\d", text[span.start : span.end]):
            out += _four_homophones(text, span)
        m = _ID_TAIL.match(text, span.end, min(len(text), span.end + 60))
        if not m or "\n" in m.group():
            continue
        said_apart = re.search(r"\d[ ,-]", m.group(1)) is not None
        if (said_apart or m.group(2)) and not _UNIT_AFTER.match(text[m.end(1) : m.end(1) + 20]):
            out.append(Span(m.start(1), m.end(1), span.category, LAYER, None, "id_tail"))
    return out


_ALNUM_TOKEN = re.compile(r"[A-Za-z]+|\d+")


def id_echoes(text: str, spans: list[Span]) -> list[Span]:
    """An identifier said again in another spacing ("j k d, 4 4 1 8" ... "got it, jkd 4418"): every run of words and
    digits whose letters and digits spell a found identifier (six characters or more, with a digit) is that
    identifier. One pass over the text per distinct identifier, each window bounded: linear in the text.

    A finding is no echo of itself, whichever layer found it: "fort bragg" or "the only nurse in town" (OTHER_ID from
    the lexicon) keeps its recognizer, and only where the same words are said again is it an echo."""
    keys: dict[str, str] = {}
    for span in spans:
        if span.category in _ECHO_CATEGORIES:
            key = re.sub(r"[^a-z0-9]", "", text[span.start : span.end].lower())
            if len(key) >= 6 and any(c.isdigit() for c in key) and any(c.isalpha() for c in key) or len(key) >= 7:
                keys.setdefault(key, span.category)
    if not keys:
        return []
    prefixes = {key[:n] for key in keys for n in range(1, len(key) + 1)}  # linear in the keys' length
    # the identifier where a recognizer found it is no echo of itself: it keeps that recognizer's name
    found = {(span.start, span.end, span.category) for span in spans}
    tokens = list(_ALNUM_TOKEN.finditer(text))
    out = []
    for i, first in enumerate(tokens):
        built = ""
        for j in range(i, min(len(tokens), i + 16)):
            if j > i and "\n" in text[tokens[j - 1].end() : tokens[j].start()]:
                break
            built += tokens[j].group().lower()
            if built not in prefixes:
                break
            if built in keys:
                if (first.start(), tokens[j].end(), keys[built]) not in found:
                    out.append(Span(first.start(), tokens[j].end(), keys[built], LAYER, None, "id_echo"))
                break
    return out


# What the other side says that only lets the speaker go on reading: an acknowledgement ("uh huh", "go ahead",
# "okay", "mm hm") or a read-back of what was read (letters and digits). Any other word is a turn of its own, a
# question the next line answers ("how many kids?").
_GO_ON_WORDS = frozenset(
    "uh huh uh-huh mhm mm mm-hmm hm hmm okay ok go ahead on got it yeah yes yep right sure alright all keep going "
    "and sorry".split()
)
_READ_BACK_TOKEN = re.compile(r"[a-z]|\d+|dash|" + "|".join(sorted(_DIGIT_WORD_SET | _SPOKEN_PAIR_WORDS)), re.I)
# what may trail an identifier left unfinished at the end of a turn: a comma, a dash, a filler
_LEFT_OPEN = re.compile(r"[\s,.\-]*(?:(?:uh|um|dash|and)[\s,.\-]*)*$", re.I)
# letters read out at the end of a turn ("member id p s c"): the spoken letters of a code
_LETTERS_AT_END = re.compile(r"(?<![\w'’])((?:[a-z][ .-]{1,2}){1,2}[a-z])[\s,.\-]*$")
# how the rest may start its turn, and how it ends: at its clause's end, never before a noun ("30 days", "2 kids")
_REST_LEAD = re.compile(r"[ \t]*(?:(?:uh|um|and|then|it's|its)[\s,]+)*", re.I)
_REST_END = re.compile(r"[ \t]*(?:[.,;!?]|$|(?:but|and|that's|sorry|yeah|okay|ok)\b)", re.I)


def _turns(text: str) -> list[tuple[str, int, int]]:
    """(speaker, start of what is said, end of the line) for every labelled line. Any short label ("Interpreter:",
    "Speaker 2:"): an identifier read over two turns is one speaker's whatever the transcript calls them."""
    return [(t.speaker, t.start, t.end) for t in read_turns(text, loose=True)]


def _lets_speaker_go_on(said: str) -> bool:
    """A turn of acknowledgements and read-back letters and digits only ("uh huh", "go ahead", "k w r, okay")."""
    words = re.findall(r"[a-z0-9'-]+", said.lower())
    return 0 < len(words) <= 8 and all(w in _GO_ON_WORDS or _READ_BACK_TOKEN.fullmatch(w) for w in words)


def _rest_at_turn_start(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Digits opening a turn as a number's rest: two digits at least, written or said ("1 1 8 7", "forty three"),
    ending their clause."""
    lead = _REST_LEAD.match(text, start, end)
    head = lead.end() if lead else start
    runs = find_number_runs(text[head:end], min_digits=2)
    if not runs or runs[0].start != 0:
        return None
    run_end = head + runs[0].end
    if not _REST_END.match(text, run_end, end):
        return None
    return head, run_end


def id_across_turns(text: str, spans: list[Span], turns: list[tuple[str, int, int]] | None = None) -> list[Span]:
    """An identifier read out over two turns of the same speaker, with at most an acknowledgement or a read-back of
    the other side between them ("member id p s c" / "go ahead" / "oh oh nine one four ..."): the letters that end
    the first turn and the digits that open the next are one identifier, when either piece is a found identifier
    (a number left open at the turn's end: "case number c r 2 4 dash" / "uh huh" / "1 1 8 7"), or the letters follow
    an identifier's keyword ("plate j k r" / "ok" / "4 4 1 9"). A phone with all ten digits is complete; digits
    before a noun ("2 kids"), or after a question of the other side, are no rest."""
    if "\n" not in text:
        return []  # one line: no turns to join
    turns = _turns(text) if turns is None else turns
    found = sorted((s for s in spans if s.category in _ECHO_CATEGORIES), key=lambda s: s.start)
    starts = [s.start for s in found]

    def first_in(lo: int, hi: int, fits) -> Span | None:
        """The first found identifier starting in [lo, hi] that ``fits`` (bisected: linear in the text overall)."""
        for s in found[bisect_left(starts, lo) : bisect_right(starts, hi)]:
            if fits(s):
                return s
        return None

    out: list[Span] = []
    for k, (speaker, start, end) in enumerate(turns):
        nxt = k + 1
        if nxt < len(turns) and turns[nxt][0] != speaker and _lets_speaker_go_on(text[turns[nxt][1] : turns[nxt][2]]):
            nxt += 1
        if nxt >= len(turns) or turns[nxt][0] != speaker or start >= end:
            continue
        rest = _rest_at_turn_start(text, turns[nxt][1], turns[nxt][2])
        head = first_in(turns[nxt][1], turns[nxt][1] + 12, lambda s: s.end <= turns[nxt][2])
        tail = first_in(start, end, lambda s: s.end <= end and _LEFT_OPEN.fullmatch(text, s.end, end) is not None)
        if tail is not None:
            complete = tail.category == "PHONE" and sum(c.isdigit() for c in text[tail.start : tail.end]) >= 10
            if rest and head is None and not complete:
                out.append(Span(rest[0], rest[1], tail.category, LAYER, None, "id_across_turns"))
            continue
        letters = _LETTERS_AT_END.search(text, start, end)
        spelled = re.sub(r"[^a-z]", "", letters.group(1)) if letters else ""
        if not spelled or set(spelled) <= {"a", "i"} or spelled in clinical_words():
            continue  # "a", "i" are words; "i o p", "a a" are programs, "a m" a time (the clinical words list them)
        if head is not None:
            out.append(Span(letters.start(1), letters.end(1), head.category, LAYER, None, "id_across_turns"))
            continue
        cue, _ = _context_category(text, letters.start(1))
        if rest and cue in _ECHO_CATEGORIES:
            out.append(Span(letters.start(1), letters.end(1), cue, LAYER, None, "id_across_turns"))
            out.append(Span(rest[0], rest[1], cue, LAYER, None, "id_across_turns"))
    return out


# A piece of an identifier said before the whole (session 17): spoken letters and digits, two or more, read apart
# ("k r t", "four seven dash", "9-4-6"), ending their clause ("... hold on", ", hang on", ".")
_PIECE_TOKEN = r"(?:[a-z]|\d{1,4}|" + "|".join(sorted(_DIGIT_WORD_SET)) + r"|dash)"
_PIECE = re.compile(rf"(?<![\w'’-]){_PIECE_TOKEN}(?:[ \t,-]+{_PIECE_TOKEN}){{1,5}}(?![\w'’])", re.I)
_PIECE_END = re.compile(
    r"[ \t,.-]*(?:[.;!?]|$|(?:hold|hang)\s+on\b|wait\b|let\s+me\b|sorry\b|uh\b|um\b)",
    re.I,
)
# a caller correcting what the other side read back: "no, it ends 9-4-6", "no, it's ..."
_CORRECTION = re.compile(r"[\s,.]*(?:(?:no|nope|nah)\b|(?:it\s+)?ends\b)", re.I)
_KEY_SKIP = frozenset("dash hyphen uh um".split())


def _spelled_key(said: str) -> str:
    """What letters and digits ``said`` spells, a spoken digit as its digit and "o" as zero ("k r o 6" -> "kr06",
    "four seven dash" -> "47"), so a piece and the whole compare however each was said."""
    out = []
    for tok in _ALNUM_TOKEN.findall(said.lower()):
        if tok in _KEY_SKIP:
            continue
        out.append(DIGIT_WORDS.get(tok, tok))
    return "".join(out).replace("o", "0")


def id_pieces_said_first(text: str, spans: list[Span], turns: list[tuple[str, int, int]] | None = None) -> list[Span]:
    """A piece of an identifier said before its whole: a short run of spoken letters or digits ("it starts k r t,
    hang on, the card's in my bag"; "it says four seven dash. hold on") that is how an identifier found in one of
    the next three turns begins ("... k r t 5 5 2 0 9 ..."), whoever says that whole, is that identifier; and a
    piece a speaker says after "no" to correct a read-back is how a found identifier of the three turns before ends
    ("no, it ends 9-4-6"). The piece alone is too short for any shape; the whole said near it names it. A piece that
    spells no found identifier's start or end stays ("m m", "a b c" of a song, "2 4" of a count)."""
    if "\n" not in text:
        return []
    turns = _turns(text) if turns is None else turns
    found = [s for s in spans if s.category in _ECHO_CATEGORIES]
    if not turns or not found:
        return []
    line_starts = [start for _, start, _ in turns]
    by_turn: dict[int, list[tuple[Span, str]]] = {}  # each turn's found identifiers, with what each spells
    for s in found:
        by_turn.setdefault(bisect_right(line_starts, s.start) - 1, []).append((s, _spelled_key(text[s.start : s.end])))
    out: list[Span] = []
    for k, (_, start, end) in enumerate(turns):
        near = [(turn, s, key) for turn in range(k - 3, k + 4) for s, key in by_turn.get(turn, ()) if len(key) >= 5]
        if not near:
            continue  # bounded: a piece is compared with the identifiers of seven turns only, so a long call stays linear
        correcting = _CORRECTION.match(text, start, end) is not None
        for m in _PIECE.finditer(text, start, end):
            if not _PIECE_END.match(text, m.end(), end):
                continue
            if any(s.start < m.end() and m.start() < s.end for s, _ in by_turn.get(k, ())):
                continue  # found already, or a part of a found identifier
            piece = _spelled_key(m.group())
            if len(piece) < 2 or not any(c.isdigit() for c in piece) and len(piece) < 3:
                continue  # two letters alone are a person's initials or a grade more often than a code's start
            for turn, s, key in near:
                if len(key) <= len(piece):
                    continue
                ahead = turn >= k and s.start >= m.end() and key.startswith(piece)
                back = correcting and turn < k and key.endswith(piece)
                if ahead or back:
                    out.append(Span(m.start(), m.end(), s.category, LAYER, None, "id_piece"))
                    break
    return out


def identifier_rest(text: str, spans: list[Span]) -> list[Span]:
    """The step after the merge (``layers.yaml``): an identifier's rest said after a pause, the same identifier
    said again in another spacing, an identifier read out over two turns, and a piece of one said before its whole,
    whichever layer found it ("4 0 8, and then a 1 1 at the end"; "j k d, 4 4 1 8" ... "jkd 4418"; "member id p s c" /
    "go ahead" / "oh oh nine ..."; "it starts k r t, hang on" ... "k r t 5 5 2 0 ...")."""
    turns = _turns(text) if "\n" in text else []  # read once for both readers of turns
    return (spans + id_tails(text, spans) + id_echoes(text, spans) + id_across_turns(text, spans, turns)
            + id_pieces_said_first(text, spans, turns))


# In a chart note numbers are doses, vitals, settings and clock times. A number run read as a code, an address, an
# SSN's last four, a device, plate or IP there needs its own keyword close by ("MRN 448172", "pager #"); without one
# it is a value ("PSV15", "100-110", "until 2100", "56.141.32").
_CHART_CODE_CATEGORIES = _ID_CATEGORIES | {"SSN", "IP", "LOCATION", "NAME"}
_CHART_KEYWORD_DISTANCE = 24
# a street the chart names in full: a house number and words before one of these; "5 IV. PT", "1 amp atropine. pt",
# "RN and RRT" are doses and staff, not addresses
_FULL_STREET_TYPE = re.compile(
    r"(?i)\b(?:street|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|place|way|highway|hwy|parkway|pkwy|terrace"
    r"|circle|square)\.?$"
)
# a ratio, a score or a decimal's tail, not a month and day: "PSV 12/10", "pain 6/10", "CO/CI 6.9/3.22", "imv 10/5"
_CHART_RATIO_BEFORE = re.compile(
    r"(?i)(?:\d\.|\b(?:psv|ps|cpap|bipap|imv|simv|peep|ie|i:e|pain|co/ci|ci|co|settings?|of|rate)\s*[:=]?\s*)$"
)
# what names the number after it as an identifier in a note: "pager # 41522", "ref # 1093", "beeper number 4"
# ventilator talk on the line before a pair ("on bi-pap 10/5", "weaning trial 5/5", "cpap .4%, 5/10", "PS - 5/5
# PEEP") or a setting's unit right after it ("10/5 peep", "5/5 ips"): pressure settings, not a month and a day
_VENT_BEFORE = re.compile(
    r"(?i)\b(?:psv|ps|ips|cpap|c-pap|bi-?pap|imv|simv|peep|vent(?:ilat\w*)?|flowby|settings?|trial|fio2)\b[^\n]{0,24}$"
)
_VENT_AFTER = re.compile(r"(?i)\s*(?:\(?(?:peep|ips|psv|ps|cpap|fio2)\b|%)")
# a symptom on the line before a score out of ten ("c/o midsternal chest pressure 6/10", "decrease in CP to 3/10")
_SYMPTOM_BEFORE = re.compile(
    r"(?i)\b(?:pain|angina|discomfort|ache|headache|ha|cp|c/o|pressure|tightness|nausea|score|scale|severe)\b[^\n]{0,40}$"
)
_NOTE_ID_CUE = re.compile(
    r"(?i)(?:#|\bref\.?|\bno\.|\bpager|\bbeeper|\bbeep|\bpgr?|\bbpr|\bext\.?)\s*(?:number|no\.?)?\s*[:#]?\s*$|(?<![\w.])x$"
)


def names_a_street(found: str) -> bool:
    """Whether ``found`` ends in a street type written out ("41 Larch Lane", "Route 9" does not): what a street needs
    to be one in a chart note, where "SR 50" is a rhythm and "5 IV" a dose."""
    return _FULL_STREET_TYPE.search(found.rstrip(" ,.")) is not None or _NUMBERED_STREET.fullmatch(found.strip(" ,")) is not None


# a house number, a name and an abbreviated street type: "19 Clover St.", "402 Fenwick Ave"
_NUMBERED_STREET = re.compile(r"(?i)\d{1,5}\s+[a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+)?\s+(?:st|ave|rd|ln|blvd|dr|ct|pl|ter|hwy)\.?")


def named_identifier(text: str, start: int, distance: int = _CHART_KEYWORD_DISTANCE) -> bool:
    """Whether a keyword close before ``start`` names what follows as an identifier ("MRN", "pager #", "phone",
    "policy"); a billing code's keyword names a service, not a person."""
    if _NOTE_ID_CUE.search(text, max(0, start - 16), start):
        return True
    keyword, dist = _context_category(text, start)
    return keyword not in (None, "CODE") and dist <= distance


_PAIN_SCORE_AROUND = re.compile(r"(?i)\b(?:pain|angina|discomfort|ache|headache|ha|cp|c/o|rates?|score|severe)\b")
def identifier_in_chart(text: str, span: Span) -> bool:
    """Whether a speech-shape finding in a chart note is an identifier: a keyword names it, or it is a phone number
    with its area code ("(301 273 4516)"), which no dose or vital reaches."""
    if named_identifier(text, span.start):
        return True
    return span.category in ("PHONE", "FAX") and _PHONE_LAYOUT.fullmatch(text[span.start : span.end].strip("() ")) is not None


_PHONE_LAYOUT = re.compile(r"\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4,5}")


# what makes a pair a date in a note whatever surrounds it: "on 5/5", "since 3/10", "dated 10/5"
_DATE_CUE_BEFORE = re.compile(r"(?i)\b(?:on|since|from|until|till|dated|of|started|placed|done|sent)\s*$")
_AGE_WORD = re.compile(r"(?i)\b(?:y/?o|yrs?|years?|year-old|aged?|ages)\b")


def _chart_measurement(text: str, span: Span) -> bool:
    """Whether a rule finding in a chart note is a measurement rather than an identifier (see above)."""
    found = text[span.start : span.end]
    if span.category in _CHART_CODE_CATEGORIES:
        if span.category == "LOCATION":
            return _FULL_STREET_TYPE.search(found.rstrip(" ,")) is None
        if span.category == "NAME":
            return False
        return not named_identifier(text, span.start)
    if span.category == "DATE":
        if re.fullmatch(r"(?i)the\s+\w+", found) and re.match(r"\s+(?!of\b|at\b|in\b|on\b|and\b|or\b)[a-z]{3,}", text[span.end :], re.I):
            return True  # an ordinal of a noun: "into the 4th ventricle", "on the second ABG", not "the 3rd of May"
        if re.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{1,3})?", found) and (
            text[span.end : span.end + 3].lstrip().startswith("%") or text[span.start - 1 : span.start] == "+"
        ):
            return True  # "psv 10/5/40%": settings with an oxygen share; "+3/6 SEM": a murmur's grade
        if re.fullmatch(r"\d{1,2}(?:\.\d+)?/\d{1,2}(?:\.\d+)?", found) and re.search(r"(?:[\d/]|\b[x.])$|\dx\.$",
                                                                           text[max(0, span.start - 2) : span.start]):
            return True  # a link in a chain of values: "81/59/7.31/31", "600x12x.4/5", "5.2/3.06"
        if re.fullmatch(r"\d{1,2}\.\d+/\d{1,2}(?:\.\d+)?", found):
            return True  # a decimal over a value: "C/O 5.6/67", "CPAP 7.5/12"; no month has a decimal
        if re.fullmatch(r"\d{1,2}/\d{1,2}(?:\.\d+)?", found) is None:
            return False
        if "." in found or _CHART_RATIO_BEFORE.search(text[max(0, span.start - 12) : span.start]):
            return True
        line_before = text[max(0, span.start - 40) : span.start]
        if _VENT_AFTER.match(text, span.end) or (_VENT_BEFORE.search(line_before) and not _DATE_CUE_BEFORE.search(line_before)):
            return True
        if found.endswith("/10") and _SYMPTOM_BEFORE.search(text[max(0, span.start - 60) : span.start]) and not (
            _DATE_CUE_BEFORE.search(line_before)
        ):
            return True
        # a score out of ten: "c/o 3/10 back pain", "severe 10/10 angina"; "on 3/10" keeps its date cue
        return found.endswith("/10") and _PAIN_SCORE_AROUND.search(
            text[max(0, span.start - 16) : span.end + 24]
        ) is not None
    if span.category == "AGE":
        # "in the 90's" of a vital; an age has its noun ("92 yo", "aged 93", "a 91 year old woman")
        return re.search(r"(?i)\bthe\s+(?:90|nineties)", found) is not None and not _AGE_WORD.search(
            text[max(0, span.start - 30) : span.end + 12]
        )
    return False



# A make or model said as the vehicle ("a red tacoma", "the used silverado", "my buick", "'09 tacoma", "a white 2016
# silverado", "a silver honda civic"): an article, a possessive, a colour, "old"/"new"/"used" or a model year right
# before it, or before the make said before a model. Safe Harbor's vehicle identifiers are plates and serial numbers,
# never the make; a town of the same name keeps its place preposition ("in tacoma", "up at tahoe") and stays a place.
# A make is no description of its own (read20b): "Harley Ford", "Kia Dodge" are a person's first name and surname.
_VEHICLE_NAME = re.compile(r"(?:" + "|".join(VEHICLE_NAMES) + r")(?:'s|’s)?", re.I)
_VEHICLE_DESCRIBED = re.compile(
    r"(?:(?<![\w'’])(?:a|an|the|my|his|her|their|our|your|old|new|used|black|white|silver|gray|grey|blue|red|green|tan"
    r"|gold|maroon|brown|beige)|'\d\d|’\d\d|\b(?:19|20)\d\d|\b(?:nineteen|twenty)(?:[ \t]+[a-z]+){1,2})[ \t]+$",
    re.I,
)
# the whole word before a position (the make before a model)
_WORD_BEFORE = re.compile(r"(?<!\S)(\S+)[ \t]+$")


def vehicle_names(text: str, spans: list[Span]) -> list[Span]:
    """The step before the merge (``layers.yaml``, session 20, fp20): a NAME or LOCATION finding that is only a
    vehicle's make or model (``VEHICLE_NAMES``, one or two words: "honda civic") said as the vehicle
    (``_VEHICLE_DESCRIBED`` right before it) is dropped; a finding that goes on past it (a name, a plate) stays."""
    return [span for span in spans if span.category not in ("NAME", "LOCATION") or not _said_as_vehicle(text, span)]


def _said_as_vehicle(text: str, span: Span) -> bool:
    words = list(re.finditer(r"\S+", text[span.start : span.end]))
    # the description may be inside the finding ("used silverado" read as a town's name): the vehicle's words are
    # its last ones
    lead = 0
    while lead < len(words) - 1 and _VEHICLE_DESCRIBED.fullmatch(words[lead].group() + " "):
        lead += 1
    vehicle = words[lead:]
    if not (1 <= len(vehicle) <= 2 and all(_VEHICLE_NAME.fullmatch(w.group().strip(".,")) for w in vehicle)):
        return False
    first = span.start + vehicle[0].start()
    if not lead:
        # a make before a model may be a finding of its own ("honda" before "civic"): the description is read
        # before the make; one word back at most, so the cost stays linear in the findings
        before = _WORD_BEFORE.search(text, max(0, first - 40), first)
        if before and _VEHICLE_NAME.fullmatch(before.group(1)):
            first = before.start()
    return _VEHICLE_DESCRIBED.search(text, max(0, first - 40), first) is not None
