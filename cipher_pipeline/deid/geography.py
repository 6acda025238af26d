"""Geography recognizer: streets, numbered roads, exits, intersections and landmarks that place a person, in any case.

Safe Harbor removes every geographic subdivision smaller than a state, and callers place themselves with far more
than a house number: "off spencer highway", "county road 12", "i-35, exit 189", "fifth and main", "the walmart on
oglethorpe highway", "i-20 by the love's". Speech recognition writes these in lower case, so this recognizer reads
shapes, not capitals:

- a street: one to three name words before a street type ("peach orchard road", "Madison Avenue"); types that are
  also ordinary nouns ("drive", "court", "place", "way") need a capital or a word that is no common English word;
- a numbered road or exit: "highway 84", "route 72", "county road 12", "fm 1960", "i-45", "interstate 70", "exit 40";
- an intersection: "<street or ordinal> and <street or name>" where one side is already a street shape;
- a landmark: a national chain store or truck stop ("the walmart", "love's", "buc-ee's") joined to the street,
  road or place it is on, by or near ("the dollar general on pine", "route 72 by the auto auction");
- a mile marker or milepost by its number ("mile marker two forty three", "milepost 6 and a half").

Every span is LOCATION. Name words exclude function words and a short list of generic modifiers ("a dirt road",
"the back road", "down the road" stay readable).
"""

from __future__ import annotations

import bisect
import functools
import re

from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.recognizer import Recognizer, run_all
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.safeword import chart_shorthand
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.words import (
    CORE_FUNCTION_WORDS,
    FUNCTION_WORDS,
    OFF_NOT_STREET,
    US_STATE_BY_CODE,
    US_STATE_NAMES,
    is_hospital_ward,
    is_rare_word,
    is_safe_word,
    near_clinical_word,
)
from cipher_pipeline.vocabulary import ONES, TENS

LAYER = "geography"

# street types that are not ordinary nouns on their own
_CLEAR_TYPES = (
    r"road|rd|street|st|avenue|ave|boulevard|blvd|lane|ln|parkway|pkwy|highway|hwy|expressway|expy|freeway|fwy"
    r"|turnpike|tpke|pike|byway"
)
# street types that are also ordinary words ("a long drive", "drug court", "my place"): need evidence
_SOFT_TYPES = (
    r"drive|dr|court|ct|place|pl|way|trail|circle|terrace|square|plaza|mall|loop|row|crossing|heights|isle"
)
# modifiers that make a road generic, not a named one ("a dirt road", "the back road", "the main road")
_GENERIC = frozenset(
    """dirt gravel back side long same other next wrong right open busy toll private main paved winding country
    little big old new this that these those his her my our their your its one two three whole entire only
    parking shopping strip outlet""".split()
)
# verbs, prepositions and fillers that end a street name going leftwards ("i live off peach orchard road")
_STOP = frozenset(
    """off live lives living lived near past up down out onto toward towards across along take took get got go going
    turn turned left right just like um uh by stay stays staying stayed moved move over around behind yeah okay ok
    today tonight tomorrow yesterday now soon later home away fine sure maybe anyway""".split()
)
# bounded lengths keep every pattern linear on adversarial input ("a-a-a-a-...")
_NAME_WORD = r"(?<![\w'.-])(?:[A-Za-z][A-Za-z'.-]{0,30}|\d{1,3}(?:st|nd|rd|th))"
_STREET = re.compile(
    rf"\b((?:{_NAME_WORD}\s+){{0,2}}{_NAME_WORD})\s+({_CLEAR_TYPES}|{_SOFT_TYPES})\b\.?", re.I
)
_NUMBERED = re.compile(
    r"\b(?:(?:state|county|farm(?:\s+to\s+market)?|us|u\.s\.|ranch)\s+)?(?:highway|hwy|route|rte|road|rd|interstate|fm|sr|cr|exit)"
    r"[\s#-]*\d{1,4}[a-z]?\b(?:,?\s+exit\s+\d{1,4}[a-z]?\b)?"
    r"|\b[iI]-?\d{1,3}\b(?:,?\s+exit\s+\d{1,4}[a-z]?\b)?"
    # a road's number said in words: "route nine", "county road twelve", "exit forty two", "highway one oh one"
    r"|\b(?:(?:state|county|farm(?:\s+to\s+market)?|us)\s+)?(?:highway|route|road|interstate|exit)\s+"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred)(?:[\s-]+(?:oh|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred)){0,3}\b(?!\s+(?:minutes?|miles?|hours?|times?|days?|years?|dollars?))"
    # a street named by its letter or number after the type: "avenue q", "Avenue 52" ("avenue a" needs its capital)
    r"|\bavenue\s+(?:[b-hj-zB-HJ-Z]|A|I|\d{1,3})\b(?![\w'-])",
    re.I,
)
# national chains and truck stops people give as landmarks; a landmark alone is not an identifier, one on a named
# road is ("the walmart on oglethorpe highway")
_CHAINS = (
    r"walmart|wal-mart|kroger|publix|target|costco|sam's\s+club|home\s+depot|lowe's|dollar\s+general|family\s+dollar"
    r"|dollar\s+tree|big\s+lots|buc-ee's|bucees|love's|pilot|flying\s+j|petro|ta\s+truck\s+stop|truck\s+stop|waffle\s+house"
    r"|cracker\s+barrel|mcdonald's|wendy's|taco\s+bell|sonic|dunkin(?:'|\s+donuts)?|starbucks|wawa|sheetz|quiktrip|qt"
    r"|racetrac|circle\s+k|7-eleven|walgreens|cvs|rite\s+aid|autozone|tractor\s+supply|piggly\s+wiggly|h-e-b|heb|meijer"
    r"|safeway|fred\s+meyer|winco|food\s+lion|ingles|aldi|lidl|market\s+basket|stop\s+&\s+shop|hannaford|giant\s+eagle"
    r"|shoprite|wegmans|hy-vee|casey's|speedway|marathon|shell|chevron|exxon|circle\s+k|ihop|denny's|applebee's"
    r"|chick-fil-a|whataburger|dairy\s+queen|arby's|burger\s+king|popeyes|kfc|pizza\s+hut|domino's|golden\s+corral"
    # regional grocers, convenience stores and drive-ins, the landmarks of the regions the national list misses
    r"|family\s+fare|dillons|smith's|fry's|king\s+soopers|ralphs|vons|albertsons|jewel-osco|jewel|harris\s+teeter"
    r"|winn-dixie|schnucks|dierbergs|weis|stewart's|kwik\s+trip|kwik\s+star|maverik|stripes|allsup's|town\s+pump"
    r"|checkers|rally's|krystal|bojangles|zaxby's|culver's|runza|braum's|hardee's|carl's\s+jr|jack\s+in\s+the\s+box"
    r"|in-n-out|del\s+taco|white\s+castle|steak\s+n\s+shake|huddle\s+house|shoney's|bi-lo|ingles|spartan\s+nash"
    r"|fareway|piggly|brookshire's|brookshire\s+brothers|tom\s+thumb|randalls|market\s+street|united\s+supermarkets"
    r"|love's\s+travel\s+stop|pilot\s+flying\s+j|loaf\s+['’]?n['’]?\s+jug|thorntons|kum\s+&\s+go|kum\s+and\s+go|cumberland\s+farms"
)
_LANDMARK_BEFORE = re.compile(rf"\b(?:the\s+)?({_CHAINS})\s+(?:on|off|at|by|near)\s+$", re.I)
_LANDMARK_AFTER = re.compile(
    rf"^(?:,?\s+(?:by|near|past|behind|across\s+from|next\s+to)\s+(?:the\s+)?(?:(?:{_CHAINS})|[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?"
    rf"\s+(?:exit|auction|stop|station|market|mall|plaza|bridge|dam|lake|park|church|school|stadium|airport|depot))"
    rf"(?:\s+(?:exit|auction|stop|station|market))?)",
    re.I,
)
_ORDINAL_STREET = (
    # "thirty fifth", "forty-second": a tens word before a unit ordinal is one ordinal
    r"(?:(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-])?(?:first|second|third|fourth|fifth|sixth"
    r"|seventh|eighth|ninth)|tenth|eleventh|twelfth|\w+teenth|(?:twen|thir|for|fif|six|seven|eigh|nine)tieth"
    r"|\d{1,3}(?:st|nd|rd|th))"
)
_INTERSECTION = re.compile(
    rf"(?<![\w'-])({_ORDINAL_STREET}|[A-Za-z][\w'-]{{0,30}})\s+(?:and|&)\s+({_ORDINAL_STREET}|[A-Za-z][\w'-]{{0,30}})\b", re.I
)
_CORNER_CUE = re.compile(r"\b(?:between|corner\s+of|intersection\s+of)\s+$", re.I)
_INTERSECTION_CUE = re.compile(
    r"\b(?:off(?:\s+of)?|on|at|by|near|corner\s+of|live[sd]?\s+(?:on|off|by|at)|over\s+(?:on|by|off))\s+(?:(?:um+|uh+),?\s+)?$", re.I
)
_STREETY = frozenset({"main", "broad", "market", "church", "elm", "oak", "pine", "maple", "walnut", "chestnut", "cedar",
                      "spruce", "washington", "lincoln", "jefferson", "park", "high", "state", "center", "mill", "water",
                      "broadway", "grand", "central", "front", "railroad", "university", "college", "division", "commerce"})


def _name_words(words: list[str], soft: bool, cased_head: bool) -> int:
    """How many trailing ``words`` name the street (0: none). Stops at a function word or a generic modifier."""
    n = 0
    for w in reversed(words):
        low = w.lower().rstrip(".")
        if low in CORE_FUNCTION_WORDS or low in _STOP:
            break
        n += 1
    if n == 0:
        return 0
    kept = words[len(words) - n :]
    if all(w.lower() in _GENERIC for w in kept) and not (len(kept) == 1 and kept[0].lower() == "main" and not soft):
        return 0  # "a dirt road", "the back road"; but "main street" and "old mill road" are named
    if soft:
        capitalised = all(w[0].isupper() or w[0].isdigit() for w in kept) and cased_head
        unknown = any(not is_safe_word(w) and not w[0].isdigit() for w in kept)
        if not (capitalised or unknown):
            return 0
    return n


# ---------------------------------------------------------------------------------------------- places after cues
# A caller places someone with a preposition or a verb of living before the place: "out in whitecap", "up by
# wollaston", "moved to conimicut". The gazetteer (lexicon layer) knows post-office towns; neighbourhoods, villages
# and local names are not in it, so after such a cue a word no English dictionary knows is a place.
_PLACE_CUE = re.compile(
    r"(?<![\w'-])(?:(?:out|over|up|down|back|here|right|way)\s+(?:in|by|near|past|around|off)|live[sd]?\s+(?:in|on|by|near|off)"
    r"|living\s+(?:in|on|by|near|off)|stay(?:s|ed|ing)?\s+(?:in|on|by|near|off)|moved\s+(?:to|out\s+to|down\s+to|up\s+to)"
    r"|(?:drive|drives|drove|driving|came|come|coming|calling)\s+(?:from|to|down\s+from|up\s+from)|grew\s+up\s+(?:in|on)"
    r"|raised\s+(?:in|on)|outside\s+(?:of\s+)?|near|in|from|off|by|around|past)\s+(?:(?:um|uh|like),?\s+)*$",
    re.I,
)
_STRONG_PLACE_CUE = re.compile(
    r"(?<![\w'-])(?:(?:out|over|up|down|back|way)\s+(?:in|by|near|past|around|off)|live[sd]?\s+(?:in|on|by|near|off)"
    r"|living\s+(?:in|on|by|near|off)|stay(?:s|ed|ing)?\s+(?:in|by|near|off)|moved\s+(?:to|out\s+to|down\s+to|up\s+to)"
    r"|(?:drive|drives|drove|driving|coming|calling)\s+(?:from|down\s+from|up\s+from)|grew\s+up\s+(?:in|on)"
    r"|raised\s+(?:in|on)|(?:town|city|area|place)\s+(?:of|called)|outside\s+(?:of\s+)?|off)\s+(?:(?:um|uh|like),?\s+)*$",
    re.I,
)
_PLACE_PREFIX = frozenset(
    """north south east west northeast northwest southeast southwest downtown uptown midtown lower upper old new fort ft
    saint st san santa port mount mt lake la el le""".split()
)
_CANDIDATE = re.compile(r"[A-Za-z][a-z'’-]{1,30}(?:\s+[A-Za-z][a-z'’-]{1,30})?")


@functools.lru_cache(maxsize=1)
def _not_place_words() -> frozenset[str]:
    from cipher_pipeline.deid.words import US_STATE_NAMES, clinical_words, country_names

    months_days = """january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday""".split()
    return frozenset(US_STATE_NAMES) | clinical_words() | country_names() | frozenset(months_days)


# both word tests are pure functions of the word over fixed lists, asked for every word of a text by several place
# rules (about 900 calls per call transcript, a tenth of them distinct): cached per word
@functools.lru_cache(maxsize=65536)
def _unknown_place_word(word: str) -> bool:
    low = word.lower().rstrip(".")
    if low.endswith(("'s", "’s")):
        return False  # "in kayla's car": a possessive is a person, the name layers have it
    if low in CORE_FUNCTION_WORDS or low in _not_place_words() or low in _NOT_PLACE_NAMES or _NUMBER_WORDS.fullmatch(low):
        return False
    # "on naltrexon", "off sublocaid": a drug as speech recognition spells it is no local name
    return not is_safe_word(low) and not word.isupper() and not near_clinical_word(low)


@functools.lru_cache(maxsize=65536)
def _rare_place_word(word: str) -> bool:
    """A word of a local name: unknown to the dictionary, or known but rare, and no function word or clinical word."""
    low = word.lower().rstrip(".")
    if _unknown_place_word(word):
        return True
    if word.isupper() or low.endswith(("'s", "’s")) or low in CORE_FUNCTION_WORDS or low in _not_place_words():
        return False
    if not is_safe_word(low) and near_clinical_word(low):
        return False  # "out by naltrexon": a drug as speech recognition spells it
    return low not in _NOT_PLACE_NAMES and low not in _NOT_A_PLACE and not _NUMBER_WORDS.fullmatch(low) and is_rare_word(low)


_NUMBER_WORDS = re.compile(
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand)(?:-\w+)?",
    re.I,
)


def _cued_places(text: str) -> list[tuple[int, int]]:
    """Unknown words right after a place cue ("over in conimicut", "by firewheel", "off whitecap")."""
    found = []
    for w in re.finditer(r"(?<![\w'’-])[A-Za-z][a-z'’.-]{1,30}(?![\w'’-])", text):
        unknown = _unknown_place_word(w.group())
        if not unknown and not _rare_place_word(w.group()):
            continue
        start = w.start()
        if not unknown:
            # a rare word of the dictionary needs a cue only a place follows ("out in", "lives by", "moved to"),
            # never a bare preposition ("in shambles", "by myself")
            if _STRONG_PLACE_CUE.search(text[max(0, start - 40) : start]):
                end = w.end()
                nxt = re.match(r"\s+([A-Za-z][a-z'’-]{1,30})(?![\w'’-])", text[end : end + 32])
                if nxt and (_rare_place_word(nxt.group(1)) or nxt.group(1).lower() in _PLACE_HEADS):
                    end += nxt.end()
                found.append((start, end))
            continue
        before = text[max(0, start - 40) : start]
        prefix = re.search(r"(?<![\w'-])([A-Za-z]+)\s+$", before)
        if prefix and prefix.group(1).lower() in _PLACE_PREFIX:
            cue_window = before[: prefix.start()]
            if _PLACE_CUE.search(cue_window):
                found.append((max(0, start - 40) + prefix.start(1), w.end()))
                continue
        if _PLACE_CUE.search(before):
            end = w.end()
            # a second word of the same place: "whitecap beach", "north padre island"
            nxt = re.match(r"\s+([A-Za-z][a-z'’-]{1,30})(?![\w'’-])", text[end : end + 32])
            if nxt and (_unknown_place_word(nxt.group(1)) or nxt.group(1).lower() in _PLACE_HEADS):
                end += nxt.end()
            found.append((start, end))
    return found


# After a cue that can only be followed by a place ("we live in", "moved down to", "i'm from"), one or two ordinary
# words before a pause are a place name too ("out in whitecap.", "moved to crystal springs now"), unless they are a
# thing one lives in or comes from that is no place ("in fear", "from work", "in a shelter").
_LIVING_CUE = re.compile(
    r"(?<![\w'-])(?:live[sd]?|living|stay(?:s|ed|ing)?|(?:grew\s+up|raised|born|settled))\s+(?:out\s+|over\s+|up\s+|down\s+)?in\s+$"
    r"|(?<![\w'-])moved\s+(?:back\s+|out\s+|down\s+|up\s+|over\s+)?to\s+$"
    r"|(?<![\w'-])(?:i'm|we're|he's|she's|they're|am|are|is|was|were|originally|came|come|comes)\s+(?:originally\s+)?from\s+$"
    r"|(?<![\w'-])(?:out|over|up|down)\s+in\s+$",
    re.I,
)
_PAUSE_AFTER = re.compile(
    r"(?:\s*[.,;?!]|\s*$|\s*\n|\s+(?:with|now|since|and|off|on|by|near|right|for|but|so|until|anymore|too|though|area|these"
    r"|at|where|which|because|i|we|he|she|they|it's|that's)\b)",
    re.I,
)
_NOT_A_PLACE = frozenset(
    """town city state country area fear peace sin denial shame pain recovery treatment rehab detox jail prison shelter
    hospital house home apartment apartments car truck van motel hotel camp tent woods streets street work school
    church there here nowhere somewhere everywhere anywhere general particular person public private secret trouble
    debt love hell heaven bed bad good fine ok okay place places touch contact line charge control custody foster
    care hiding front back general hell""".split()
)


def _lived_in_places(text: str) -> list[tuple[int, int]]:
    """One or two ordinary words after a cue only a place can follow, before a pause."""
    found = []
    for cue in _LIVING_CUE_SCAN.finditer(text):
        m = re.compile(r"([a-z][a-z'-]{1,30})(?:\s+([a-z][a-z'-]{1,30}))?").match(text, cue.end())
        if not m:
            continue
        words = [w for w in m.groups() if w]
        for n in (len(words), 1):
            phrase = words[:n]
            end = cue.end() + len(" ".join(phrase))
            if _PAUSE_AFTER.match(text, end) is None:
                continue
            lows = [w.lower() for w in phrase]
            if any(w in CORE_FUNCTION_WORDS or w in _NOT_A_PLACE or w in _GENERIC or w in _STOP or w in _not_place_words()
                   or w in _NOT_PLACE_NAMES or _NUMBER_WORDS.fullmatch(w) for w in lows):
                continue
            found.append((cue.end(), end))
            break
    return found


# the head of a neighbourhood, subdivision or local place name: "maple heights", "the pine hills area"
_PLACE_HEADS = frozenset(
    """heights park hills hill valley springs village landing estates woods gardens point ridge creek lake grove
    meadows acres commons mills falls harbor shores bluff bluffs hollow bend junction township crossing
    manor terrace plaza square beach island pointe glen oaks pines bridge desert mountain mountains canyon mesa
    butte peak bayou bay cove quarter ward district reservation pueblo flats gulch corners""".split()
)
_AREA_AFTER = re.compile(r"^\s+(?:area|neighborhood|neighbourhood|subdivision|apartments|complex|projects|trailer\s+park|side)\b", re.I)
_NEIGHBOURHOOD = re.compile(
    r"(?<![\w'’-])((?:[A-Za-z][a-z'’-]{1,30}\s+){1,2})(" + "|".join(sorted(_PLACE_HEADS)) + r")(?![\w'’-])", re.I
)
_SIDE_OF_TOWN = re.compile(
    r"(?<![\w'’-])(?:(?:north|south|east|west|windward|leeward)(?:\s*(?:side|end))|(?:northside|southside|eastside|westside))(?![\w'’-])",
    re.I,
)


# a freeway by its number alone, as Californians and Arizonans say it: "off the 91", "take the 405 north"
_FREEWAY_NUMBER = re.compile(
    r"\b(?:on|off|take|took|taking|via|onto|from|down|up|near|by|exit|exited|get\s+on)\s+the\s+(\d{1,3})"
    r"(?=\s*(?:[.,;?!]|$|\n|freeway|fwy|highway|north|south|east|west|northbound|southbound|eastbound|westbound|and|near|by|to|at|past|exit))"
    # without "the" only where a road's words follow: "a guardrail on 101 near the bedford exit"
    r"|\b(?:on|off|onto|take|took|via)\s+(\d{2,3})(?=\s+(?:near|by|past|north|south|east|west|northbound|southbound|eastbound"
    r"|westbound|at\s+exit|exit|freeway|fwy|highway)\b)",
    re.I | re.M,
)


# in written text a capitalised name after a place cue and "the" is a part of town or a region: "out in the Inland
# Empire", "down in the French Quarter", "we live on the Eastern Shore"
_CUED_THE_NAME = re.compile(
    r"(?<![\w'-])(?:in|from|near|off|outside|out\s+(?:in|on|by)|over\s+(?:in|on|by)|up\s+(?:in|on|by)|down\s+(?:in|on|by)"
    r"|live[sd]?\s+(?:in|on)|moved\s+to|grew\s+up\s+in)\s+the\s+((?:[A-Z][a-z'-]{1,30}\s+){0,2}[A-Z][a-z'-]{1,30})(?![\w'-])"
    # after a bare "on the" only a region's own head: "we're on the North Shore", "on the West Bank"
    r"|(?<![\w'-])on\s+the\s+((?:[A-Z][a-z'-]{1,30}\s+){1,2}(?:Shore|Bank|Coast|Island|Peninsula|Strip|Mesa|Bayou|Reservation|Rez"
    r"|Side|Point|Loop|Heights|Hill|Flats|Range))(?![\w'-])"
    # raw speech writes a region in lower case: after "on the" or "from the" a region's head alone ("on the big island",
    # "from the iron range", "on the upper peninsula"); a determiner's word before it names none ("on the other island")
    r"|(?<![\w'-])(?:on|from)\s+the\s+((?:[a-z][a-z'-]{1,30}\s+){1,2}(?:island|range|peninsula|shore|panhandle))(?![\w'-])"
)
# capitalised words after "in the" that are institutions or texts, not places
_NOT_PLACE_NAMES = frozenset(
    """army navy marines marine corps air force guard national bible lord book big word program military service
    system state city county government church hospital er icu court jail world news morning evening afternoon night
    spring summer fall winter medicaid medicare medi-cal tricare cobra disability ssi ssdi snap welfare unemployment
    probation parole facebook instagram tiktok snapchat youtube zoom google""".split()
)
# a chain store given with the street it is on, even without a street type: "the circle k on baseline", "the
# dollar general on pine"
_CHAIN_ON = re.compile(
    rf"(?<![\w'-])(?:{_CHAINS})\s+(?:on|off)\s+((?:[A-Za-z][\w'-]{{1,30}}\s+)?[A-Za-z][\w'-]{{1,30}})(?![\w'-])", re.I
)
_CHAIN_ON = gate(_CHAIN_ON)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)


# in written text a capitalised word after "off" or after living "on" is a street said without its type: "we're off
# Broadway", "she lives on Division", "right off Colfax"; and a house number before one is an address ("1420
# Juniper, Apartment 6")
_CUED_STREET_NAME = re.compile(
    r"(?<![\w'-])(?:(?:right|just|way|over|down|up|out)\s+(?:off|on)|off(?:\s+of)?|(?:live[sd]?|living|stay(?:s|ed|ing)?|house"
    r"|place|apartment|trailer)\s+on)\s+([A-Z][a-z'-]{1,30}(?:\s+[A-Z][a-z'-]{1,30})?)(?![\w'-])"
)
_HOUSE_NUMBER_NAME = re.compile(
    r"(?<![\w,.-])(\d{2,6}\s+[A-Z][a-z'-]{1,30}(?:\s+[A-Z][a-z'-]{1,30})?)(?=,?\s+(?:apartment|apt\.?|unit|suite|#|lot)\b)", re.I
)


# in any case, a street said by its direction and name without its type: "off north state", "we're on west granite"
_DIRECTION_STREET = re.compile(
    r"(?<![\w'-])(?:on|off|onto|off\s+of|live[sd]?\s+on|living\s+on)\s+(?:(?:um+|uh+),?\s+)?"
    r"((?:north|south|east|west|n|s|e|w)\.?\s+([a-z][\w'-]{2,30}))(?![\w'-])",
    re.I,
)


_PART_OF_A_BUILDING = frozenset("campus wing unit building tower side end entrance lobby hall floor lot parking".split())


def _direction_streets(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _DIRECTION_STREET.finditer(text):
        low = m.group(2).lower()
        if low in FUNCTION_WORDS or low in _STOP or low in _GENERIC or low in _PART_OF_A_BUILDING or _NUMBER_WORDS.fullmatch(low):
            continue  # "on north campus", "off east wing": a part of the hospital
        if m.group(1).lower().replace(".", "") in US_STATE_NAMES or near_clinical_word(low) and not is_safe_word(low):
            continue  # "on north carolina medicaid"
        found.append((m.start(1), m.end(1)))
    return found


def _cued_street_names(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _CUED_STREET_NAME.finditer(text):
        words = m.group(1).split()
        lows = [w.lower() for w in words]
        if lows[0] in _NOT_PLACE_NAMES or lows[0] in _not_place_words() or lows[0] in CORE_FUNCTION_WORDS:
            continue
        if not is_safe_word(lows[0]) and near_clinical_word(lows[0]):
            continue  # "living off Sublocaid": a drug as speech recognition spells it
        if len(words) == 2 and (lows[1] in _not_place_words() or lows[1] in CORE_FUNCTION_WORDS):
            words = words[:1]
        found.append((m.start(1), m.start(1) + len(" ".join(words))))
    return found


_SPOKEN_HOUSE_NUMBER = re.compile(
    r"(?<![\w'-])((?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]+){2,6}[a-z][a-z'-]{1,30}(?:\s+[a-z][a-z'-]{1,30})?)"
    r"(?=,?\s+(?:apartment|apt\.?|unit|suite|lot|number)\b)",
    re.I,
)


def _house_number_names(text: str) -> list[tuple[int, int]]:
    found = [(m.start(1), m.end(1)) for m in _HOUSE_NUMBER_NAME.finditer(text) if m.group(1).split()[1][0].isupper()]
    # spoken: "three oh seven elm, apartment b"
    for m in _SPOKEN_HOUSE_NUMBER.finditer(text):
        street = m.group(1).split()[-2:]
        if not any(w.lower() in CORE_FUNCTION_WORDS for w in street[-1:]):
            found.append((m.start(1), m.end(1)))
    return found


def _cued_regions(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _CUED_THE_NAME.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        lows = [w.lower() for w in m.group(group).split()]
        if group == 3:
            # the region's head is said, so only a determiner's word or a state or drug before it names none ("on the
            # other island", "from the same shore"); "big" names the island as "the Big Book" names no place
            if any(low in CORE_FUNCTION_WORDS or low in _STOP or low in _not_place_words() for low in lows):
                continue
        elif any(low in _NOT_PLACE_NAMES or low in _not_place_words() for low in lows):
            continue
        found.append((m.start(group), m.end(group)))
    return found


def _chains_on_streets(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _CHAIN_ON.finditer(text):
        words = m.group(1).split()
        if words[0].lower() in CORE_FUNCTION_WORDS or words[0].lower() in _STOP or words[0].lower() in _GENERIC:
            continue
        if len(words) == 2 and (words[1].lower() in CORE_FUNCTION_WORDS or words[1].lower() in _STOP):
            words = words[:1]
        found.append((m.start(), m.start(1) + len(" ".join(words))))
    return found


# any business given by the street it is on, after a cue that places something: "a guy at the smith's on antelope
# drive", "near the um the cups on duling", "a seizure at the dillons on tenth", "past the dairy queen on 23"; the
# street must name one (an ordinal, a road's number, a found street, a word English rarely uses), so "at the party on
# friday" and "by the bed on the floor" stay
_BUSINESS_ON = re.compile(
    r"(?<![\w'-])(?:at|by|near|past|behind|across\s+from|next\s+to|outside|in\s+front\s+of|from)\s+the\s+"
    r"(?:(?:um+|uh+),?\s+(?:the\s+)?)?((?:[a-z][\w'&-]{0,30}\s+){0,2}[a-z][\w'&-]{0,30})\s+(?:on|off)\s+"
    r"((?:[a-z][\w'-]{1,30}\s+)?[a-z0-9][\w'-]{0,30})(?![\w'-])",
    re.I,
)
_BUSINESS_ON = gate(_BUSINESS_ON)
_GENERIC_BUSINESS = frozenset(
    """store shop bar diner restaurant cafe clinic office station gas gym library park motel hotel laundromat bank
    pharmacy mall market plaza building lot corner lights light stop sign""".split()
)


def _businesses_on_streets(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _BUSINESS_ON.finditer(text):
        business = [w.lower() for w in m.group(1).split()]
        if any(w in FUNCTION_WORDS or w in _STOP or w in _not_place_words() or near_clinical_word(w) for w in business):
            continue
        if all(w in _GENERIC_BUSINESS or w in _NOT_A_PLACE or w in _GENERIC for w in business):
            continue  # "the shelter on fifth": a kind of place names none; the street alone is the streets' finding
        street = m.group(2).split()
        first = street[0].lower()
        if len(street) == 2 and not re.fullmatch(rf"{_CLEAR_TYPES}|{_SOFT_TYPES}", street[1], re.I):
            street = street[:1]  # "on duling near": the street is the word; a second word is no part of it
        if first in FUNCTION_WORDS or first in _STOP or first in _not_place_words() or _NUMBER_WORDS.fullmatch(first):
            continue
        tail = text[m.start(2) + len(" ".join(street)) :]
        if first.isdigit():
            ok = len(first) <= 3 and not _TIME_OR_UNIT_AFTER.match(tail[:30])
        else:
            ok = (re.fullmatch(_ORDINAL_STREET, first, re.I) is not None or len(street) == 2
                  or _unknown_place_word(first) or _rare_place_word(first) or first in _STREETY)
        if ok:
            found.append((m.start(1), m.start(2) + len(" ".join(street))))
    return found


def _neighbourhoods(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _NEIGHBOURHOOD.finditer(text):
        mods = m.group(1).split()
        # drop leading function words and generic modifiers: "the pine hills" -> "pine hills"
        while mods and (mods[0].lower() in CORE_FUNCTION_WORDS or mods[0].lower() in _GENERIC or mods[0].lower() in _STOP):
            mods = mods[1:]
        if not mods or any(w.lower() in CORE_FUNCTION_WORDS or w.lower() in _STOP for w in mods):
            continue
        if is_hospital_ward(mods[-1], m.group(2)):
            continue  # "in the psych ward": a hospital unit
        start = m.end(1) - len(" ".join(mods)) - 1
        start = text.rfind(mods[0], m.start(), m.end(1))
        before = text[max(0, start - 40) : start]
        cued = _PLACE_CUE.search(re.sub(r"(?:the|a)\s+$", "", before, flags=re.I)) is not None
        area = _AREA_AFTER.match(text[m.end() : m.end() + 30]) is not None
        capitalised = all(w[0].isupper() for w in mods) and m.group(2)[0].isupper()
        unknown = any(_unknown_place_word(w) for w in mods)
        if cued or area or capitalised or unknown:
            found.append((start, m.end()))
    return found


# Session 18 (geo18): a named landmark on its own after a word that places someone by it: "lives right by the <x>
# gate", "past the <x> casino", "across from the <x> theatre", "down from the <x> grounds", "the um the <x> bar". Only
# heads that are a single named place (a gate, a mall, a casino, an inn, a theatre, a park, grounds, a bar) and
# words before them that say which one, not what kind: "by the front gate", "past the bus station", "at the sports
# bar", "by the state park" name none, nor does a word of the dictionary's commonest stock ("the old mall", "the big
# park"). Raw speech is where the capitals that would say so are lost.
_PLACED_BY_LANDMARK = re.compile(
    r"(?<![\w'’-])(?:by|past|near|behind|above|below|across\s+from|next\s+to|down\s+from|up\s+from|in\s+front\s+of)"
    r"\s+the\s+(?:(?:um+|uh+),?\s+(?:the\s+)?)?((?:[a-z][\w'’&-]{0,30}\s+){0,2}[a-z][\w'’&-]{0,30})\s+"
    r"(gate|mall|casino|inn|theatre|theater|grounds|park|bar|tavern|saloon|lighthouse|museum|stadium|arena|marina)(?![\w'’-])",
    re.I,
)
_PLACED_BY_LANDMARK = gate(_PLACED_BY_LANDMARK)
# words that say what kind of gate, park, bar or venue it is, not which one
_LANDMARK_KINDS = frozenset(
    """front back side main rear north south east west upper lower security school garden airport boarding cattle
    bus train gas police fire grocery liquor corner convenience coffee book hardware feed dollar water dog skate
    trailer ball ballpark amusement theme city county state national regional local community public private
    memorial industrial business office car truck rv mobile home sports dive biker gay strip piano karaoke wine
    oyster salad candy snack juice cash open hotel motel tiki beer cocktail movie drive-in art history science
    children's kids football baseball basketball soccer hockey softball high middle elementary junior senior
    shopping outlet indian tribal fair festival rodeo camp church burial hospital parking picnic play
    recreation rec skateboard bike hiking nature wildlife state's town village neighborhood neighbourhood apartment
    housing mall gym sober halfway""".split()
)


def _placed_by_landmarks(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _PLACED_BY_LANDMARK.finditer(text):
        words = [w.lower() for w in m.group(1).split()]
        if any(w in FUNCTION_WORDS or w in _STOP or w in _GENERIC or w in _LANDMARK_KINDS or w in _not_place_words()
               or w in _NOT_PLACE_NAMES or w in _NOT_A_PLACE or near_clinical_word(w) or _NUMBER_WORDS.fullmatch(w)
               for w in words):
            continue
        found.append((m.start(1), m.end()))
    return found


_LIVING_CUE_SCAN = re.compile(_LIVING_CUE.pattern.replace("\\s+$", "\\s+(?=[a-z])"), re.I)


def _sides_of_town(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SIDE_OF_TOWN.finditer(text)]


# a road's number said bare where the talk is of driving: "about an hour up 91.", "will you take 126 or 58?"
_BARE_ROUTE = re.compile(
    r"\b(?:up|down|take|taking|took|via|hop\s+on|get\s+on|jump\s+on)\s+(\d{2,3})((?:\s+(?:or|and|to)\s+\d{2,3})?)"
    r"(?=\s*(?:[.,;?!]|$|through|thru|into|then|past|all\s+the\s+way)|\s+(?:or|and|to)\s+\d)",
    re.I | re.M,
)
_TRAVEL_CUE = re.compile(
    r"\b(?:drive|driving|drove|coming|come\s+(?:over|up|down|in)|headed|heading|hours?|miles|minutes\s+(?:away|from)|exit"
    r"|highway|freeway|interstate|route|traffic|ride|pick\s+(?:you|him|her)\s+up|from\s+[A-Za-z]+)\b",
    re.I,
)
_TIME_OR_UNIT_AFTER = re.compile(
    r"^\s*(?:,|or|and|to|maybe|\s)*\d*\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|miles?|mg|milligrams?"
    r"|pills?|dollars?|bucks|percent|pounds?|lbs?|times?)\b",
    re.I,
)


# an ordinal street said bare after a street preposition: "the shelter on fifth", "right off 3rd, by the bank"
_BARE_ORDINAL_STREET = re.compile(
    rf"\b(?:on|off|onto|down|up)\s+({_ORDINAL_STREET})(?=\s*(?:[.,;?!]|$|\s+(?:and|near|by|past|across|street|st|avenue|ave)\b))",
    re.I | re.M,
)


def _bare_ordinal_streets(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _BARE_ORDINAL_STREET.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"\b(?:grade|floor|try|time|round|day|place|base|shift|step)s?\s*$", text[m.end(1) : m.end(1) + 12], re.I):
            continue
        if re.search(r"\b(?:live|lives|living|stay|stays|staying|shelter|house|apartment|place|store|church|bar|motel|hotel"
                     r"|corner|station|office|clinic|army|mission|walmart|park|one|it's|its|right|just)\W+(?:\w+\W+){0,2}$", before, re.I):
            out.append((m.start(1), m.end(1)))
    return out


def _freeway_numbers(text: str) -> list[tuple[int, int]]:
    group = lambda m: 1 if m.group(1) else 2  # noqa: E731 - with or without "the"
    found = [(m.start(group(m)), m.end(group(m))) for m in _FREEWAY_NUMBER.finditer(text)]
    for m in _BARE_ROUTE.finditer(text):
        if _TIME_OR_UNIT_AFTER.match(text[m.end(1) : m.end(1) + 30]) and not m.group(2):
            continue  # "it'll take 30, maybe 40 minutes": a time, not a road
        if re.search(r"\b(?:go|goes|going|went|gone|bump\w*|move\w*|tick\w*|it|dose|that|them|count|numbers?)\s+$",
                     text[max(0, m.start() - 12) : m.start()], re.I):
            continue  # "wants to go up 10", "bumped it up 20": a rise, not a road
        line_start = text.rfind("\n", 0, m.start())
        window = text[max(0, text.rfind("\n", 0, line_start) + 1 if line_start > 0 else 0, m.start() - 200) : m.start() + 80]
        if _TRAVEL_CUE.search(window):
            found.append((m.start(1), m.start(1) + len(m.group(1))))
            if m.group(2):  # "126 or 58": the second road of the choice
                second = re.search(r"\d{2,3}$", m.group(2))
                found.append((m.start(2) + second.start(), m.end(2)))
    # a road said again later in the call ("we'll take 58, through town") is that road
    numbers = {text[s:e] for s, e in found}
    if numbers:
        for m in re.finditer(r"\b(?:take|taking|took|up|down|on|off|via)\s+(\d{2,3})\b", text, re.I):
            if m.group(1) in numbers and not _TIME_OR_UNIT_AFTER.match(text[m.end(1) : m.end(1) + 30]):
                found.append((m.start(1), m.end(1)))
    return found


# two-letter street types are also chart shorthand ("CT" scan, "Dr" Smith, "ST" elevation, "SR" sinus rhythm):
# they need a house number before the name or a cue that a street follows
_TWO_LETTER_TYPE = re.compile(r"dr|ct|pl|st", re.I)
_ROAD_CUE_BEFORE = re.compile(
    r"\b(?:on|off|onto|take|took|along|down|up|live[sd]?\s+(?:on|off|at|by)|living\s+(?:on|off|at)|address(?:\s+is)?|at)"
    r"\s+(?:of\s+)?(?:the\s+)?$",
    re.I,
)


# Session 18 (geo18): raw speech writes "on cedar ridge drive", "off <x> way" in lower case and of dictionary words,
# which _name_words leaves (a long drive, the same way, a paper trail). A street cue said right before the name, with
# no article or possessive between ("lives on", "off of", "by"), makes it a street; the types that are most often
# ordinary nouns after "on" ("on drug court", "on my place", "on the square") still need capitals or an unknown word,
# and a drive that is a computer's ("on hard drive", "off a thumb drive") is none.
_SOFT_STREET_CUE = re.compile(
    r"(?<![\w'-])(?:on|off|off\s+of|onto|by|live[sd]?\s+on|living\s+on)\s+(?:(?:um+|uh+),?\s+)?$", re.I
)
_CUED_SOFT_TYPES = frozenset({"drive", "way", "trail", "terrace", "loop"})
_NOT_A_STREET_BEFORE = frozenset("hard flash thumb disk disc usb test sex joy memory external tape cd dvd shared paper".split())


def _cued_soft_street(text: str, m: re.Match, words: list[re.Match]) -> int:
    """How many name words a lower-case street of a soft type has when a street cue stands right before it (0: none)."""
    if m.group(2).lower() not in _CUED_SOFT_TYPES:
        return 0
    n = _name_words([w.group() for w in words], False, False)
    if not n:
        return 0
    kept = [w.group().lower() for w in words[len(words) - n :]]
    if any(w in _NOT_A_STREET_BEFORE or w in _GENERIC or _NUMBER_WORDS.fullmatch(w) or w in _not_place_words() for w in kept):
        return 0
    start = m.start(1) + words[len(words) - n].start()
    return n if _SOFT_STREET_CUE.search(text[max(0, start - 24) : start]) else 0


def _street_evidence(text: str, start: int) -> bool:
    before = text[max(0, start - 24) : start]
    return re.search(r"\b\d{1,6}[A-Za-z]?\s+$", before) is not None or _ROAD_CUE_BEFORE.search(before) is not None


# a direction said after a street is part of its name in capitals ("Harbor Parkway West") and in an address after a
# house number ("1820 route 4 south"); in lower-case talk of driving it is the way one goes ("take i-5 north"), and
# "north of", "east side" say where, not which street (geo18)
_DIRECTION_AFTER = re.compile(
    r"[ \t]+(north|south|east|west|northeast|northwest|southeast|southwest)(?![\w'’-])"
    r"(?![ \t]+(?:of|on|to|side|end|part|bound)\b)",
    re.I,
)
_HOUSE_NUMBER_BEFORE = re.compile(r"(?<![\w.,-])\d{1,6}[A-Za-z]?\s+$")


def _streets(text: str) -> list[tuple[int, int]]:
    """Streets, numbered roads and exits, intersections, each with the chain-store landmark said with it."""
    found: list[tuple[int, int]] = []
    streets: list[tuple[int, int]] = []
    for m in _STREET.finditer(text):
        words = list(re.finditer(r"\S+", m.group(1)))
        head = m.group(2)
        if re.match(r"[\s#-]*\d", text[m.end() :]):
            continue  # "county road 12": the numbered-road shape takes it
        soft = re.fullmatch(_SOFT_TYPES, head, re.I) is not None
        if soft and head.lower() in ("dr", "st", "ct", "pl") and not head[0].isupper():
            continue
        n = _name_words([w.group() for w in words], soft, head[0].isupper())
        if not n and soft:
            n = _cued_soft_street(text, m, words)
        if not n:
            continue
        start = m.start(1) + words[len(words) - n].start()
        if head.lower() == "place" and re.search(r"\b(?:the|our|your|their|that|his|her|my)\s+(?:(?:um|uh),?\s+)?$", text[max(0, start - 14) : start], re.I):
            continue  # "the chillicothe place", "your Dayton place": a program's site, not Chillicothe Place
        if _TWO_LETTER_TYPE.fullmatch(head) and (head.isupper() or head.lower() != "st") and not _street_evidence(text, start):
            continue  # "head CT", "notified Dr", "NSR ST": a chart's shorthand unless a house number or cue says street
        streets.append((start, m.end()))
    for m in _NUMBERED.finditer(text):
        road = re.match(r"[A-Za-z.]+", m.group())
        if road and len(road.group()) == 2 and road.group().lower() in ("sr", "cr", "fm") and (
            re.match(r"\d*(?:s\b|\.\d)", text[m.end() - 1 : m.end() + 3]) or (
                not road.group().isupper() and not _ROAD_CUE_BEFORE.search(text[max(0, m.start() - 24) : m.start()]))
        ):
            continue  # "sr 80s", "cr 1.2": sinus rhythm and creatinine; "CR 12" or "off cr 12" is a county road
        streets.append((m.start(), m.end()))
    for m in _INTERSECTION.finditer(text):
        a, b = m.group(1).lower(), m.group(2).lower()
        if a in CORE_FUNCTION_WORDS or b in CORE_FUNCTION_WORDS:
            continue
        ordinal_a = re.fullmatch(_ORDINAL_STREET, a) is not None
        ordinal_b = re.fullmatch(_ORDINAL_STREET, b) is not None
        # "fifth and main", "main and 3rd": an ordinal beside a street-like word; two ordinals are a date range
        if (ordinal_a and b in _STREETY) or (ordinal_b and a in _STREETY):
            streets.append((m.start(), m.end()))
        elif a in _STREETY and b in _STREETY and _CORNER_CUE.search(text[max(0, m.start() - 20) : m.start()]):
            streets.append((m.start(), m.end()))  # "between main and market", "the corner of elm and walnut"
        elif (ordinal_a or ordinal_b) and _INTERSECTION_CUE.search(text[max(0, m.start() - 24) : m.start()]):
            # "off of um sunnylane and fifteenth", "we're on 41st and kiwanis": after a street cue an ordinal and any
            # name word are two streets crossing; two ordinals are a date range ("on the first and second")
            other = b if ordinal_a else a
            if not (ordinal_a and ordinal_b) and other not in _GENERIC and other not in _STOP and not _NUMBER_WORDS.fullmatch(other):
                streets.append((m.start(), m.end()))
    # an intersection of two named streets: "cesar chavez and pleasant valley" when one side is a found street
    for s, e in list(streets):
        tail = re.match(r"\s+(?:and|&)\s+((?:[A-Za-z][\w'-]{0,30}\s+){0,2}[A-Za-z][\w'-]{0,30})", text[e : e + 120])
        if tail and not any(w.lower() in CORE_FUNCTION_WORDS for w in tail.group(1).split()):
            streets.append((s, e + tail.end()))
    for s, e in streets:
        direction = _DIRECTION_AFTER.match(text, e)
        if direction and (direction.group(1)[0].isupper() or _HOUSE_NUMBER_BEFORE.search(text[max(0, s - 10) : s])):
            e = direction.end()  # "Harbor Parkway West", "1820 route 4 south": the direction is the street's
        before = _LANDMARK_BEFORE.search(text[max(0, s - 40) : s])  # bounded windows: linear in the text
        if before:
            s = max(0, s - 40) + before.start(1)
        after = _LANDMARK_AFTER.match(text[e : e + 60]) if text[e - 1] != "." else None  # no landmark past a full stop
        if after and _landmark_named(re.sub(r"^,?\s+\S+(?:\s+from|\s+to)?\s+", "", after.group())):
            e += after.end()
        found.append((s, e))
    return found


# ------------------------------------------------------------------------------------- session 8 (geo8) shapes
# Tribal land named by its people or its own name before its head, in any case: "the crow reservation", "up on the
# rosebud rez", "out at laguna pueblo", "the hoopa valley rancheria", "the osage nation". A reservation is also a
# booking ("a dinner reservation", "the hotel reservation"), a doubt ("my reservations about") and "the whole nation"
# is no place, so the words before the head are a name only when none is a function word or a booking's thing, and
# before "nation" only a word the dictionary lacks or finds rare ("navajo", "muscogee"; never "this great nation").
_TRIBAL_HEAD = re.compile(
    r"(?<![\w'’-])((?:[a-z][a-z'’-]{1,30}\s+){1,3})(reservation|rez|rancheria|pueblo|nation)(?![\w'’-])", re.I
)
_BOOKED = frozenset(
    """dinner lunch breakfast brunch hotel motel table flight room bed beds restaurant campsite camping car rental
    online advance phone tee court spa ticket tickets train bus cabin rv room's group party""".split()
)


def _tribal_lands(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _TRIBAL_HEAD.finditer(text):
        mods = m.group(1).split()
        kept: list[str] = []
        for w in reversed(mods):  # the name is the run of name words right before the head
            low = w.lower()
            if low in CORE_FUNCTION_WORDS or low in _STOP or low in _GENERIC or low in _BOOKED or _NUMBER_WORDS.fullmatch(low):
                break
            kept.insert(0, w)
        if not kept or any(w.lower() in _not_place_words() or w.lower() in _NOT_PLACE_NAMES for w in kept):
            continue
        if m.group(2).lower() == "nation" and not any(_unknown_place_word(w) or _rare_place_word(w) for w in kept):
            continue  # "the whole nation", "a great nation"
        start = m.end(1) - len(" ".join(kept)) - 1
        found.append((start, m.end(2)))
    return found


# A number said in words, as a house number or a road's number is: "one oh five", "ninety nine"
# (vocabulary's words with the spoken zero "oh"; "hundred" but not "thousand": no house number is said with it)
_HOUSE_NUMBER_WORD = "(?:" + "|".join(("zero", "oh", *ONES[1:], *TENS[2:], "hundred")) + ")"


# Streets whose type is said first, as French and Spanish name them in Louisiana, the Southwest and Florida: "105 rue
# de la vie", "on calle ocho", "off camino del rio", "avenida juarez". "Via" and "rue" are also words ("via email",
# "rue the day"), so the type needs a house number or a street cue before it, and a name word after it.
_TYPE_FIRST_STREET = re.compile(
    r"(?<![\w'’-])(rue|calle|camino|avenida|chemin)\s+((?:(?:de|del|de\s+la|de\s+las|de\s+los|la|las|los|el|du|des|st|saint|san|santa)\s+)?"
    r"[a-z][a-z'’-]{1,30}(?:\s+[a-z][a-z'’-]{1,30})?)(?![\w'’-])",
    re.I,
)
_TYPE_FIRST_CUE = re.compile(
    r"(?:\b\d{1,6}[a-z]?|\b(?:on|off|onto|of|at|live[sd]?\s+on|living\s+on|address\s+is|it's)|"
    rf"{_HOUSE_NUMBER_WORD})\s+(?:the\s+)?$",
    re.I,
)


def _type_first_streets(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _TYPE_FIRST_STREET.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()]
        if not _TYPE_FIRST_CUE.search(before):
            continue
        words = m.group(2).split()
        # the name ends at a function word or a word of the sentence going on: "calle ocho and the bakery"
        while len(words) > 1 and (words[-1].lower() in CORE_FUNCTION_WORDS or words[-1].lower() in _STOP):
            words = words[:-1]
        if words[-1].lower() in CORE_FUNCTION_WORDS or words[-1].lower() in _STOP:
            continue
        end = m.start(2) + len(" ".join(words))
        if text[m.start(2) : end] != " ".join(words):
            end = m.end(2)
        start = m.start(1)
        digits = re.search(r"\b\d{1,6}[a-z]?\s+$", before, re.I)
        if digits:
            start = max(0, m.start() - 24) + digits.start()
        found.append((start, end))
    return found


# A road by its number said in words or with a bare "i", as raw speech recognition writes what Whisper would write
# "the 101" or "I-80": "about an hour up the ninety nine", "four hours down the one oh one", "the flying j off i 80",
# "right off i ten". A number is a count or a time as often ("up the ninety nine steps", "i ten years ago" is not
# said, "i 20 bucks" is), so the road needs a verb or preposition of travel before it ("up the", "down the", "off",
# "take") and, for the freeway said in words, "the" before it and a pause, a direction or a road word after it.
_NUMBER_WORD_RUN = rf"{_HOUSE_NUMBER_WORD}(?:[\s-]+{_HOUSE_NUMBER_WORD}){{0,2}}"
_ROAD_IN_WORDS = re.compile(
    rf"\b(?:up|down|on|off|onto|take|took|taking|via|get\s+on|hop\s+on|jump\s+on|exit|near|by|from)\s+the\s+({_NUMBER_WORD_RUN})"
    r"(?=\s*(?:[.,;?!\n]|$|freeway|fwy|highway|north|south|east|west|northbound|southbound|eastbound|westbound|and\b|near\b"
    r"|by\b|to\b|at\b|past\b|exit\b))",
    re.I,
)
_BARE_INTERSTATE = re.compile(
    rf"\b(?:up|down|on|off|onto|take|took|taking|via|near|by|from|of|along|get\s+on)\s+(?:the\s+)?(i\s+(?:\d{{1,3}}|{_NUMBER_WORD_RUN}))"
    r"(?![\w'-])(?!\s+(?:minutes?|miles?|hours?|times?|days?|years?|dollars?|bucks|percent))",
    re.I,
)


def _roads_by_number(text: str) -> list[tuple[int, int]]:
    found = []
    for m in (*_ROAD_IN_WORDS.finditer(text), *_BARE_INTERSTATE.finditer(text)):
        start = m.start(1)
        before = _LANDMARK_BEFORE.search(text[max(0, m.start() - 40) : m.start() + len(m.group().split()[0]) + 1])
        if before:  # "the flying j off i 80": the chain on the road is one place with it, as on a named street
            start = max(0, m.start() - 40) + before.start(1)
        found.append((start, m.end(1)))
    return found


# geo22: a mile marker or milepost by its number, the address of a place on a road with no house numbers ("milepost 8
# and a half on the bypass", "i just passed mile marker five sixty one"): the marker's words are the cue, the number
# (digits, a decimal or up to three number words, with "and a half") is which one. "the mile marker" with no number, "a
# mile or two" stay.
_MILE_MARKER = re.compile(
    rf"(?<![\w'’-])(?:mile[ \t]*post|mile[ \t]+marker)[ \t]+(?:number[ \t]+|#[ \t]*)?(?:\d{{1,4}}(?:\.\d{{1,2}})?|{_NUMBER_WORD_RUN})"
    r"(?:[ \t]+and[ \t]+a[ \t]+half)?(?![\w'’-])",
    re.I,
)


def _mile_markers(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MILE_MARKER.finditer(text)]


# ------------------------------------------------------------------------------------- a town said with its state
_STATE_SAID = re.compile(
    r"(?<![\w'’-])(" + "|".join(r"\s+".join(n.split()) for n in sorted(US_STATE_BY_CODE.values(), key=len, reverse=True))
    + r")(?![\w'’-])",
    re.I,
)
_WORDS_BEFORE_STATE = re.compile(r"((?:[A-Za-z][\w'’.-]*[ \t]+){0,2}[A-Za-z][\w'’.-]*)[ \t]*,?[ \t]+$")


@functools.lru_cache(maxsize=1)
def _towns_by_state() -> dict[str, frozenset[str]]:
    """Every US post-office town and its accepted alternates, lowercased, by the name of its state (``zipcodes``,
    which the gazetteer loads too; read here once more because this needs each town's state)."""
    import zipcodes  # heavy optional import: a data file, loaded once at engine start by the gazetteer as well

    towns: dict[str, set[str]] = {}
    for row in zipcodes.list_all():
        state = US_STATE_BY_CODE.get(row["state"])
        if state:
            for city in [row["city"], *(row.get("acceptable_cities") or [])]:
                towns.setdefault(state, set()).add(" ".join(city.lower().split()))
    return {state: frozenset(names) for state, names in towns.items()}


def _towns_with_state(text: str) -> list[tuple[int, int]]:
    """A town said with its own state after it, "hope, arkansas", "embarrass minnesota", "virginia, minnesota": the
    state says the word before it is that state's town, however ordinary the word ("money mississippi"), where the
    gazetteer needs a capital or a residence cue. Only a town of that very state: "rural arkansas", "the university of
    minnesota", "blue cross minnesota" name none."""
    spans = []
    for m in _STATE_SAID.finditer(text):
        towns = _towns_by_state().get(" ".join(m.group(1).lower().split()))
        before = _WORDS_BEFORE_STATE.search(text, max(0, m.start() - 60), m.start())
        if not towns or not before:
            continue
        words = list(re.finditer(r"[A-Za-z][\w'’.-]*", before.group(1)))
        for k in range(len(words)):  # the longest run of words before the state that is one of its towns
            name = " ".join(w.group().lower().rstrip(".") for w in words[k:])
            if name in towns and words[k].group().lower() not in CORE_FUNCTION_WORDS:
                spans.append((before.start(1) + words[k].start(), before.start(1) + words[-1].end() - words[-1].group().endswith(".")))
                break
    return spans


# geo20: Main Street said without its type ("the blue house on main.", "by main and sycamore", "lives on west main,
# above the bakery", "it's north main"): the commonest US street name, which the street grammar reads only with its type and
# `direction_street` not at all (its word is generic: "the main road"). After a word that puts something on or by a
# street, or after a compass direction, and before a pause or what a place goes on with ("by", "past", "and <cross
# street>"); never before a noun, where it is the adjective ("on main campus", "the main desk", "the west main entrance").
_MAIN_STREET = re.compile(
    r"(?<![\w'’-])(?:(?:on|off|onto|off\s+of|by|near|past|corner\s+of)\s+(?:(?:um+|uh+),?\s+)?"
    r"((?:(?:north|south|east|west)\s+)?main)|((?:north|south|east|west)\s+main))"
    r"(?:\s+(?:and|&)\s+([a-z][\w'’-]{1,30}))?"
    r"(?=[ \t]*(?:[.,;:?!\n]|$)|[ \t]+(?:by|near|past|across|behind|next|above|below|and|not|in|off|then|right|where)\b)",
    re.I,
)


def _main_streets(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _MAIN_STREET.finditer(text):
        start = m.start(1) if m.group(1) else m.start(2)
        end = m.end(1) if m.group(1) else m.end(2)
        cross = m.group(3)
        if cross and not (cross.lower() in FUNCTION_WORDS or cross.lower() in _STOP or near_clinical_word(cross.lower())):
            end = m.end(3)  # "main and sycamore": an intersection is one place
        found.append((start, end))
    return found


class _PlaceRecognizer(Recognizer):
    """A geography recognizer: ``shapes(text)`` gives (start, end) pairs, every one a LOCATION."""

    category = "LOCATION"

    def __init__(self, name: str, shapes, call_talk_shape: str | None = None):
        self.name = name
        self._shapes = shapes
        self._call_talk_shape = call_talk_shape  # what a chart note judges its findings as (spans.CALL_TALK_SHAPES)

    def find(self, text: str) -> list[Span]:
        return [
            Span(s, e, self.category, LAYER, None, self.name, call_talk_shape=self._call_talk_shape)
            for s, e in self._shapes(text)
        ]


# geo21: a pass, an inlet, a gorge or a mountain said by its name after the word that takes someone there or keeps them
# there: "drive him over <name> pass", "the charter boats out of <name> inlet", "the beds out at <name> inlet", "over
# mount <name>". These name one place the way a town does; callers say them for where they work or how they will get
# to a campus. The name word is one no common English stock has (Zipf < 4: "over tarnow pass"), a state's or a
# town's name ("out of <state> inlet"), or capitalised inside a sentence; an ordinary word before the head names a
# kind of thing, not a place ("a weekend pass", "the bus pass", "the air inlet"). After "mount" any word that is no
# function word, number or generic modifier ("over mount <x>", never "to mount the tv").
_NAMED_FEATURE = re.compile(
    r"(?<![\w'’-])(?:over|through|across|via|at|on|to|from|near|by|past|up|down|off|out\s+(?:of|at|on|by|past|to))"
    r"[ \t]+(?:the[ \t]+)?"
    r"(?:((?:[A-Za-z][a-z'’-]{1,30}[ \t]+){1,2})(pass|inlet|gorge|notch|gap)|(mount|mt\.?)[ \t]+([A-Za-z][a-z'’-]{1,30}))"
    r"(?![\w'’-])",
    re.I,
)


# "mount" after "to" with a word of wanting, needing or knowing how before it is the verb ("we need to mount <x>",
# "trying to mount <x>", "how to mount <x>"), never a mountain (read21): only on the same line, as the head's reader
_MOUNT_THE_VERB_BEFORE = re.compile(
    r"(?<![\w'’-])(?:need|needs|needed|want|wants|wanted|have|has|had|got|trying|try|tried|able|how|where|used|supposed"
    r"|help|helped|hard|easy|someone|somebody|anyone|anybody)[ \t]+to[ \t]+(?:mount|mt\.?)[ \t]*$",
    re.I,
)


def _no_features_name(low: str) -> bool:
    """A function word, a generic modifier or a number: no pass's or mountain's name ("a weekend pass", "to mount the")."""
    return low in CORE_FUNCTION_WORDS or low in _GENERIC or low in _STOP or _NUMBER_WORDS.fullmatch(low) is not None


def _named_feature_word(word: str, text: str, start: int) -> bool:
    from wordfreq import zipf_frequency  # heavy optional import; the engine loads its tables at start

    low = word.lower()
    if _no_features_name(low) or low.endswith(("'s", "’s")):
        return False
    if word[0].isupper() and not re.search(r"(?:^|[.?!:]\s*|\n)$", text[max(0, start - 3) : start]):
        return True  # capitalised inside a sentence: a name
    return low in US_STATE_NAMES or low in _all_towns() or zipf_frequency(low, "en") < 4.0


def _named_features(text: str) -> list[tuple[int, int]]:
    """Named passes, inlets, gorges and mountains after a word of travel or place ("over <name> pass", "out of <name>
    inlet", "over mount <name>")."""
    found = []
    for m in _NAMED_FEATURE.finditer(text):
        if m.group(3):  # mount <name>
            word = m.group(4)
            if _no_features_name(word.lower()):
                continue
            if _MOUNT_THE_VERB_BEFORE.search(text, max(0, m.start() - 16), m.end(3)):
                continue  # "i need to mount <x>", "how to mount <x>": the verb, whatever its object (read21)
            found.append((m.start(3), m.end()))
            continue
        words = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", m.group(1)))  # the words as the match read them (re.I)
        # the head's own name: the words right before it that name (a leading generic or function word is dropped)
        while words and not _named_feature_word(words[0].group(), text, m.start(1) + words[0].start()):
            words = words[1:]
        if not words or not all(_named_feature_word(w.group(), text, m.start(1) + w.start()) for w in words):
            continue
        found.append((m.start(1) + words[0].start(), m.end()))
    return found


# the recognizers of this layer, each with its own tests in tests/test_deid_geography.py and test_deid_recognizers.py
RECOGNIZERS: tuple[Recognizer, ...] = (
    _PlaceRecognizer("street", _streets, call_talk_shape="street"),  # street grammar, numbered roads, exits, intersections, chain landmarks
    _PlaceRecognizer("cued_place", _cued_places, call_talk_shape="cued_word"),  # an unknown word after a place cue: "over in conimicut"
    _PlaceRecognizer("lived_in_place", _lived_in_places),  # ordinary words only a place can be: "out in whitecap."
    _PlaceRecognizer("neighbourhood", _neighbourhoods),  # "<words> heights/park/hills", "the pine hills area"
    _PlaceRecognizer("side_of_town", _sides_of_town),  # "the west side", "northside"
    _PlaceRecognizer("placed_by_landmark", _placed_by_landmarks),  # "right by the <x> gate", "past the <x> casino"
    _PlaceRecognizer("freeway_number", _freeway_numbers),  # "off the 605"
    _PlaceRecognizer("bare_ordinal_street", _bare_ordinal_streets),  # "the shelter on fifth"
    _PlaceRecognizer("cued_region", _cued_regions),  # "out in the Inland Empire", "on the big island"
    _PlaceRecognizer("chain_on_street", _chains_on_streets),  # "the circle k on baseline"
    _PlaceRecognizer("business_on_street", _businesses_on_streets),  # "at the dillons on tenth"
    _PlaceRecognizer("cued_street_name", _cued_street_names),  # "she lives on Division"
    _PlaceRecognizer("direction_street", _direction_streets),  # "off north state", "on west granite"
    _PlaceRecognizer("main_street", _main_streets),  # "the house on main.", "by main and sycamore", "on west main," (geo20)
    _PlaceRecognizer("house_number_name", _house_number_names),  # "882 Larkspur, Apt 3"
    _PlaceRecognizer("tribal_land", _tribal_lands),  # "the crow reservation", "laguna pueblo", "the osage nation"
    _PlaceRecognizer("type_first_street", _type_first_streets),  # "105 rue de la vie", "off calle ocho"
    _PlaceRecognizer("road_by_number", _roads_by_number),  # "up the ninety nine", "off i 80", "right off i ten"
    _PlaceRecognizer("town_with_state", _towns_with_state),  # "hope, arkansas", "embarrass minnesota"
    _PlaceRecognizer("named_feature", _named_features),  # "over <name> pass", "out of <name> inlet", "over mount <name>" (geo21)
    _PlaceRecognizer("mile_marker", _mile_markers),  # "milepost 8 and a half", "mile marker five sixty one" (geo22)
)


# a county road by its number alone ("out on county 14"): no finding of this layer's (the learned layer finds it in
# raw speech), but a road's end all the same
_BARE_COUNTY_ROAD = re.compile(r"\bcounty\s+\d{1,4}[a-z]?\b", re.I)


def road_name_ends(text: str) -> list[int]:
    """Where each road, street or route name in ``text`` ends, by its shape alone ("Elm Street", "county road 12",
    "I-45", "route nine", "County 14"): ``_STREET``'s, ``_NUMBERED``'s and ``_BARE_COUNTY_ROAD``'s matches, with none
    of the evidence a finding needs. The learned layer's ``RoadEnds`` guard reads it to find where a run it claims
    goes on past a road."""
    return sorted({m.end() for pattern in (_STREET, _NUMBERED, _BARE_COUNTY_ROAD) for m in pattern.finditer(text)})


def find(text: str) -> list[Span]:
    spans = run_all(RECOGNIZERS, text)
    if is_chart(text):
        # a nursing note's unknown words are drugs and shorthand ("on pressors", "to ew"): a cued place there is
        # one the safe-word layer would not read as chart vocabulary
        spans = [s for s in spans if s.recognizer != "cued_place" or not _chart_vocabulary(text, s)]
    return spans


def _chart_vocabulary(text: str, span: Span) -> bool:
    words = list(re.finditer(r"[^\W\d_][\w'’-]*", text[span.start : span.end]))
    return bool(words) and all(
        chart_shorthand(text, span.start + w.start(), span.start + w.end(), w.group()) for w in words
    )


# ------------------------------------------------------------------------------------- growing a found place
# what a caller adds after a place to pin it down: "decatur, by the dekalb farmers market", "route 9 near the
# bedford exit", "main street near the dunkin", "pasco, by wollaston"; and a ZIP Whisper wrote as a number
# ("aurora, 80,011")
# the water and land a place is named for, and the settlements named after it (session 10): "the salton sea", "the arcata
# marsh", "merritt reservoir", "wailua homesteads". Unlike a store or a school, none of these is a word a person's
# name runs on into, so after a name found without "the" they still make it a place ("out past merritt reservoir")
_FEATURE_HEADS = r"sea|marsh|marshes|reservoir|homesteads|swamp|slough|lagoon|wetlands|wildlife\s+refuge|refuge|state\s+forest"
_LANDMARK_HEADS = (
    r"exit|market|flea\s+market|farmers\s+market|pond|mall|park|church|school|high\s+school|stadium|airport|depot"
    r"|bridge|dam|station|plant|mill|tracks|fairgrounds|courthouse|library|college|casino|marina|pier|plaza|square"
    r"|auction|stop|center|lake|creek|river|quarry|base|hospital|cemetery|field|elementary|academy|arena|diner|motel"
    r"|bar|tavern|pub|saloon|grill|cafe|shops|store|grain\s+elevator|elevator|water\s+tower|tower|hall|theater|inn"
    # what people meet at or drive by in small towns and on the coast (session 8): "the battery point lighthouse", "the
    # opera house", "the tinker gate", "the selma swap meet", "the festival grounds", "the wichita mountains turn off"
    r"|lighthouse|opera\s+house|swap\s+meet|festival\s+grounds|fairgrounds|rodeo\s+grounds|grounds|gate|turn\s*off"
    r"|overpass|underpass|rest\s+area|trailhead|boat\s+ramp|feed\s+store|arena|ballpark|racetrack|speedway|drive-in"
    r"|theatre"
    # session 15 (rules15): the public buildings and sights directions name, "past the old <x> museum", "by the <x>
    # bowl", "near the <x> metro", "by the <x> cloister"
    r"|museum|bowl|cloister|metro|" + _FEATURE_HEADS
)
_NEAR = (
    r",?\s+(?:um,?\s+|uh,?\s+)?(?:by|near|past|behind|across\s+from|next\s+to|right\s+by|over\s+by|down\s+by|above|below)\s+"
    # speech repairs an article: "past the um, the food lion"
    r"(?:the\s+(?:um+|uh+|like),?\s+(?=the\s))?"
)
_FILLER = re.compile(r"\b(?:um+|uh+)\b", re.I)


def _lead_article(phrase: str) -> int:
    """The length of the "the " a landmark phrase opens with (0 without one): a landmark's own span starts after it."""
    lead = re.match(r"the\s+", phrase, re.I)
    return lead.end() if lead else 0
_GROW_LANDMARK = re.compile(
    rf"^{_NEAR}((?:the\s+)?(?:(?:{_CHAINS})|(?:[a-z][\w'-]{{0,30}}\s+){{1,3}}(?:{_LANDMARK_HEADS})))(?![\w'-])", re.I
)
_GROW_UNKNOWN = re.compile(rf"^{_NEAR}([a-z][\w'-]{{1,30}})(?![\w'-])", re.I)
# the head of a landmark named for its town, its part of town or a person, said right after that name: "the chapel
# hill mall", "the lakewood towne center", "the hendricks county fairgrounds", "the carnegie public library"
_NAMED_LANDMARK_HEAD = re.compile(
    rf"\s+((?:towne?\s+|public\s+|regional\s+|community\s+|municipal\s+|memorial\s+|county\s+)?(?:{_LANDMARK_HEADS}|ymca))"
    r"(?![\w'-])",
    re.I,
)


_FEATURE_HEAD_AFTER = re.compile(rf"\s+(?:{_FEATURE_HEADS})(?![\w'-])", re.I)


def landmark_head_after(text: str, end: int) -> int | None:
    """Where the head of a landmark said right after ``end`` ends ("mall" in "the chapel hill mall"), else None."""
    m = _NAMED_LANDMARK_HEAD.match(text, end, min(len(text), end + 40))
    return m.end() if m else None


def after_the(text: str, start: int) -> bool:
    """Whether "the" is said right before ``start``."""
    return re.search(r"(?<![\w'-])the\s+$", text[max(0, start - 5) : start], re.I) is not None
# the other street of an intersection: "off cesar chavez and pleasant valley", "at Grand and Third Avenue"
_HEADS_ALTERNATION = "|".join(sorted(_PLACE_HEADS))
_GROW_CROSS_STREET = re.compile(
    rf"^\s+(?:and|&)\s+((?:[a-z][\w'-]{{0,30}}\s+){{0,2}}(?:{_CLEAR_TYPES}|{_HEADS_ALTERNATION}))(?![\w'-])", re.I
)
_STREET_CUE_BEFORE = re.compile(r"\b(?:off|on|at|corner\s+of)\s+$", re.I)
_GROW_ZIP = re.compile(r"^,?\s+(\d{5}|\d{2},\d{3}|\d(?:[ -]\d){4})(?![\d,]|\s\d)")  # "48,201", "3 2 0 8 4"
_STREETLIKE_START = re.compile(rf"\d|(?:north|south|east|west)\b|(?:[a-z][\w'-]*\s+){{1,3}}(?:{_CLEAR_TYPES})\b", re.I)
_HOUSE_DIGITS_BEFORE = re.compile(r"(?:(?<=\s)|^)((?:\d\s){1,5}\d?)\s*$")


def grow_places(text: str, spans: list[Span]) -> list[Span]:
    """Grow each place span (any layer) over the landmark, the ZIP or the spoken house number said with it."""
    out = list(spans)
    for span in spans:
        if span.category not in ("LOCATION", "ZIP", "NAME"):
            continue
        start, end = span.start, span.end
        cursor = end
        head_end = landmark_head_after(text, end)
        # a name is a landmark's where "the" is said before it, or before its last word when the name was merged with
        # the street it is on ("on south elm avenue by the jackson library")
        last_word = start + max(text.rfind(" ", start, end) + 1 - start, 0)
        if head_end and (span.category == "LOCATION" or span.category == "NAME" and (
                after_the(text, start) or after_the(text, last_word) or _FEATURE_HEAD_AFTER.match(text, end, head_end))):
            # "the lakewood towne center", "by the jackson library": the landmark named for the place or person
            out.append(Span(start, head_end, "LOCATION", span.layer, None, "named_landmark"))
            if span.category == "LOCATION":
                end = cursor = head_end
        if span.category == "NAME":
            street_cued = _STREET_CUE_BEFORE.search(text[max(0, start - 20) : start]) is not None
            m = _GROW_CROSS_STREET.match(text[cursor : cursor + 90])
            if m and street_cued:
                out.append(Span(span.start, cursor + m.end(), "LOCATION", span.layer, None, "cross_street"))
            m = _GROW_LANDMARK.match(text[cursor : cursor + 90])
            if m and street_cued and _landmark_named(m.group(1)) and not m.group().startswith(","):
                # "off dunlawton by the target": a name after a street cue is the street the landmark is on; after a
                # pause ("by the um the <x>") the landmark is its own span
                first = span.start if not _FILLER.search(m.group(), 0, m.start(1)) else cursor + m.start(1) + _lead_article(m.group(1))
                out.append(Span(first, cursor + m.end(), "LOCATION", span.layer, None, "landmark_after_place"))
            m = _GROW_ZIP.match(text[cursor : cursor + 30])
            if m and re.search(r"\b(?:in|from|of)\s+$", text[max(0, start - 6) : start], re.I):
                # "in st augustine, 3 2 0 8 4": a name said as a town, with its ZIP
                out.append(Span(cursor + m.start(1), cursor + m.end(), "ZIP", span.layer, None, "zip_after_place"))
            prefix = _TOWN_PREFIX_BEFORE.search(text[max(0, start - 10) : start])
            if prefix and prefix.group().strip().lower().rstrip(".") in ("new", "san", "santa", "fort", "ft", "port", "mount", "mt"):
                # "new bronfels", "fort kavazos": a town's prefix before a word no list knows makes it the town
                out.append(Span(max(0, start - 10) + prefix.start(), end, "LOCATION", span.layer, None, "town_prefix"))
            continue
        for _ in range(2):
            # a landmark said in the same breath is one place with it ("east ponce by the dekalb farmers market");
            # after a comma it is its own span and the "by the" between stays readable ("decatur, by the ...")
            tail = text[cursor : cursor + 90]
            m = _GROW_LANDMARK.match(tail)
            if not (m and _landmark_named(m.group(1))) and _names_a_road(text, span, cursor):
                # geo20: after a road the landmark may be a kind of place with "the" ("elm street across from the old
                # cannery", "route 9 past the peach place"): the road already says which one
                m = _GROW_STREET_LANDMARK.match(tail)
                if m and not _street_landmark_ok(m.group(1)):
                    m = None
            if m and (m.re is _GROW_STREET_LANDMARK or _landmark_named(m.group(1))):
                # a pause before the landmark ("by the um the <x>", "um, past the <x>") parts it from the place as a
                # comma does: the connector and the filler stay readable
                joined = not tail.startswith(",") and not _FILLER.search(tail, 0, m.start(1))
                first = span.start if joined else cursor + m.start(1) + _lead_article(m.group(1))
                out.append(Span(first, cursor + m.end(), "LOCATION", span.layer, None, "landmark_after_place"))
                cursor += m.end()
                continue
            m = _GROW_OVER_BUSINESS.match(tail)
            if m and (_names_a_road(text, span, cursor) or _HAS_DIGIT.search(text, span.start, cursor)
                      or span.recognizer in _ADDRESS_RECOGNIZERS) and _street_landmark_ok(m.group(2)):
                # geo22: the business a home on a road is over ("<street> over the laundromat", "<address>. over the
                # pizza place by the <x> plant"); after a pause the landmark is its own span, its "over the" readable
                paused = m.group(1) or _FILLER.search(tail, 0, m.start(2))
                if paused and len(m.group(2).split()) < 3 and m.end() == m.end(2):
                    break  # after a pause a business by its kind alone ("over the bodega") places no one
                first = span.start if not paused else cursor + m.start(2) + _lead_article(m.group(2))
                out.append(Span(first, cursor + m.end(), "LOCATION", span.layer, None, "landmark_after_place"))
                if paused:
                    break  # what is said after the landmark is its own ("above the bakery by <x> park"), not the road's
                cursor += m.end()
                continue
            m = _GROW_UNKNOWN.match(tail)
            if m and _unknown_place_word(m.group(1)):
                first = span.start if not tail.startswith(",") else cursor + m.start(1)
                out.append(Span(first, cursor + m.end(), "LOCATION", span.layer, None, "landmark_after_place"))
                cursor += m.end()
                continue
            m = _GROW_CROSS_STREET.match(tail)
            # a street named for a person ("off cesar chavez and ...") is a place when a street cue stands before it
            street_cued = span.category == "LOCATION" or _STREET_CUE_BEFORE.search(text[max(0, start - 20) : start])
            if m and street_cued and not any(w.lower() in CORE_FUNCTION_WORDS for w in m.group(1).split()[:-1]):
                # an intersection is one place: the "and" goes with it
                out.append(Span(span.start, cursor + m.end(), "LOCATION", span.layer, None, "cross_street"))
                cursor += m.end()
                continue
            m = _GROW_OFF_STREET.match(tail)
            if m and _local_street_word(m.group(1)):
                # "in puyallup, off meridian": a word after "off" past a found town is a street of that town
                out.append(Span(cursor + m.start(1), cursor + m.end(1), "LOCATION", span.layer, None, "street_after_place"))
                cursor += m.end()
                continue
            m = _GROW_ZIP.match(tail)
            if m:
                out.append(Span(cursor + m.start(1), cursor + m.end(), "ZIP", span.layer, None, "zip_after_place"))
                cursor += m.end()
                continue
            break
        # "new bronfels", "fort hood", "san marcos" as speech recognition garbles them: the prefix of a town's name
        # said before a found place or unknown name is part of it
        prefix = _TOWN_PREFIX_BEFORE.search(text[max(0, start - 10) : start])
        if prefix and not re.search(r"\b(?:the|a|my|our|your|his|her)\s+$", text[max(0, start - 20) : start - len(prefix.group())]):
            start = max(0, start - 10) + prefix.start()
        # "1 4 6 2 0 east colfax": a house number read out digit by digit before an address or street
        window = max(0, start - 14)
        before = _HOUSE_DIGITS_BEFORE.search(text[window:start])
        if before and _STREETLIKE_START.match(text, start, end):
            start = window + before.start(1)
        if (start, end) != (span.start, span.end):
            out.append(Span(start, end, span.category, span.layer, span.canonical, span.recognizer))
    out.extend(_chains_around_places(text, out))
    out.extend(_half_road_numbers(text, out))
    out.extend(_landmarks_at_places(text, out))
    out.extend(_buildings_before_units(text, out))
    out.extend(_towns_after_programs(text, out))
    # two places said as one ("off 192 by old town", "the buc-ee's on i-45 by madisonville"): the word between goes
    places = sorted((s for s in out if s.category in ("LOCATION", "ZIP", "NAME")), key=lambda s: s.start)
    for a, b in zip(places, places[1:]):
        if b.recognizer in _PINNED_BY_ITS_STREET and a.recognizer != "street":
            # "<town> by the <x> on <street>": a business pinned by its own street is a whole place; the "by the" before
            # it placed the business, and raw speech has lost the pause that parted it from the town said before (geo18)
            continue
        if a.end < b.start and "LOCATION" in (a.category, b.category) and _PLACE_JOINER.fullmatch(text, a.end, b.start):
            out.append(Span(a.start, b.end, "LOCATION", a.layer, None, "place_joiner"))
        elif a.end < b.start and _place_in_place(text, a, b):
            out.append(Span(a.start, b.end, "LOCATION", a.layer, None, "place_in_place"))
    return out


# geo21: the town a treatment program or a clinic is in, said right after its name: "<x> recovery in <town>", "<x>
# pines in um <town>", "<x> ranch in <town> outpatient". Where a caller has been treated places them; a program's
# town is the town however ordinary its name (a post-office town of any state: "in center", "in ayer"), since the
# name before it already says a place follows. Never a state ("a program in <state>": no subdivision of one), a
# month, a generic word or one a town is also the name of that is no place here ("in home", "in may"), and only the
# town said at once after "in" (a filler allowed), not what follows a pause.
_IN_TOWN_AFTER = re.compile(
    r"[ \t]+in[ \t]+(?:(?:um+|uh+),?[ \t]+)?([A-Za-z][\w'’-]{1,30})(?:[ \t]+([A-Za-z][\w'’-]{1,30}))?(?![\w'’-])", re.I
)
_PROGRAM_CATEGORIES = frozenset({"COMPETITOR", "PROVIDER"})


def _towns_after_programs(text: str, spans: list[Span]) -> list[Span]:
    """The town said right after a program's or clinic's name ("<x> recovery in <town>")."""
    out = []
    for span in spans:
        if span.category not in _PROGRAM_CATEGORIES:
            continue
        m = _IN_TOWN_AFTER.match(text, span.end, min(len(text), span.end + 80))
        if not m:
            continue
        words = [w for w in m.groups() if w]
        for n in (len(words), 1):  # the longest town said: "<x> in fort <y>" before "<x> in fort"
            name = " ".join(w.lower() for w in words[:n])
            if name not in _all_towns():
                continue
            if any(w in CORE_FUNCTION_WORDS or w in _GENERIC or w in _NOT_A_PLACE for w in name.split()):
                break
            if name in _not_place_words() or name in US_STATE_NAMES:
                break
            end = m.end(1) if n == 1 else m.end(2)
            out.append(Span(m.start(1), end, "LOCATION", LAYER, None, "town_after_program"))
            break
    return out


# geo21: a place said with the place it is in or at, in one breath: "the <chain> in <town>", "the <owner>'s in <town>"
# (a store named by its chain or its owner), "<interstate> at exit <n>", "parked at <street> and <street>". The word
# between is the place's as the "by" of a landmark is (_PLACE_JOINER); only between two spans already found, with
# nothing but that one word between them (no pause, no comma). Not a town's street ("<town> on <street>", "<street>
# in <town>": said as two places, each masked and the "on"/"in" left readable), nor a program, a hospital or a
# business named otherwise ("the <x> recovery in <town>", "the <x> inn in <town>"), nor a person ("<name> in <town>").
# "and" joins two places only after "at" or "corner of" (an intersection, not a list: "campuses in <town> and
# <town>" stays two places).
_IN_BETWEEN = re.compile(r"[ \t]+in[ \t]+", re.I)
_AT_EXIT = re.compile(r"[ \t]+at[ \t]+(?=exit\b)", re.I)
_AND_BETWEEN = re.compile(r"[ \t]+(?:and|&)[ \t]+", re.I)
_INTERSECTION_BEFORE = re.compile(r"(?<![\w'-])(?:at|corner\s+of)[ \t]+$", re.I)
_ROAD_NUMBER_END = re.compile(r"\d{1,4}$")
_STORE_BY_CHAIN_OR_OWNER = re.compile(rf"(?:{_CHAINS})|[A-Za-z][\w'’-]{{0,30}}['’]s", re.I)


def _place_in_place(text: str, a: Span, b: Span) -> bool:
    """Whether the places ``a`` and ``b`` (``a`` before ``b``) are said as one: "the <store> in <town>", "<road> at
    exit <n>", "at <street> and <street>"."""
    if _IN_BETWEEN.fullmatch(text, a.end, b.start):
        return (b.category in ("LOCATION", "NAME") and "LOCATION" in (a.category, b.category) and after_the(text, a.start)
                and _STORE_BY_CHAIN_OR_OWNER.fullmatch(text, a.start, a.end) is not None)
    at_exit = _AT_EXIT.match(text, a.end)  # the lookahead reads past b.start: matched, not fullmatched, up to it
    if at_exit and at_exit.end() == b.start:
        # the road may be a name layer's ("I-80" read as a name in punctuated text): its number says it is a road
        return a.category in ("LOCATION", "NAME") and b.category == "LOCATION" and _ROAD_NUMBER_END.search(text, a.start, a.end) is not None
    if _AND_BETWEEN.fullmatch(text, a.end, b.start) and a.category == b.category == "LOCATION":
        return _INTERSECTION_BEFORE.search(text, max(0, a.start - 12), a.start) is not None
    return False


# geo20: a landmark said after a road, in one breath, named only by its kind: "<road> across from the old cannery",
# "<road> past the sorting house", "<street> by the border patrol office". After a road a kind of place with a word that says which
# one pins the place down as a landmark's name does; "the" opens it, one to three words say which one, and it ends on a
# landmark's head or a building's ("house", "place", "entrance": "the peach place"). A head alone ("by the river",
# "near the mill") or a word of time or manner ("by the time", "by the way": no head) is no landmark here.
_STREET_LANDMARK_HEADS = r"house|place|entrance|entry|shop|office|building|yard|warehouse|barn|factory|cannery|refinery"
_GROW_STREET_LANDMARK = re.compile(
    rf"^{_NEAR}(the\s+(?:[a-z][\w'-]{{0,30}}\s+){{1,3}}(?:{_LANDMARK_HEADS}|{_STREET_LANDMARK_HEADS}))(?![\w'-])", re.I
)
# geo22: a home above a business on a road, "<street> over the laundromat", "<address>. over the pizza shop by the
# dam": the business alone says which one where the road or the address is said (a road's "over the weekend", "over
# the phone", "over the bridge" name no business). A pause or a full stop before it parts it from the road; a landmark
# by it ("by the <x> plant", "by the dam") is part of it.
_HOME_OVER_HEADS = (
    r"laundromat|laundry|bakery|pharmacy|drugstore|bar|tavern|pub|diner|cafe|restaurant|pizzeria|pizza\s+(?:place|shop|parlor)"
    r"|store|salon|barbershop|deli|bodega|bank|post\s+office|funeral\s+home|garage|" + _STREET_LANDMARK_HEADS  # shop, office
)
_GROW_OVER_BUSINESS = re.compile(
    r"^([.,])?[ \t]+(?:(?:um+|uh+),?[ \t]+)?(?:right[ \t]+|just[ \t]+)?(?:over|above|upstairs[ \t]+from)[ \t]+"
    rf"(the[ \t]+(?:[a-z][\w'-]{{0,30}}[ \t]+){{0,2}}(?:{_HOME_OVER_HEADS}))(?![\w'-])"
    rf"(?:[ \t]+(?:by|near|next[ \t]+to|across[ \t]+from)[ \t]+the[ \t]+(?:[a-z][\w'-]{{0,30}}[ \t]+){{0,2}}(?:{_LANDMARK_HEADS})(?![\w'-]))?",
    re.I,
)
_HAS_DIGIT = re.compile(r"\d")
_ADDRESS_RECOGNIZERS = frozenset({"street_address", "unit"})
_ROAD_END = re.compile(rf"(?:^|\s)(?:{_CLEAR_TYPES}|{_SOFT_TYPES})$", re.I)
# what a road's span ends on when its number closes it: "highway three forty", "county road nine", "route 9"; the
# number is digits or number words (read20: any words there made "st joseph" or "elm street apartments" a road)
_ROAD_NUMBER = rf"(?:\d{{1,5}}[a-z]?|{_HOUSE_NUMBER_WORD})"
_ROAD_NUMBERED = re.compile(
    rf"(?:^|\s)(?:{_CLEAR_TYPES}|route|rte|county\s+road|state\s+road|us|i|interstate)[\s-]+{_ROAD_NUMBER}"
    rf"(?:[\s-]+{_ROAD_NUMBER}){{0,3}}$",
    re.I,
)


def _names_a_road(text: str, span: Span, end: int) -> bool:
    """Whether the found place ending at ``end`` is a road or street by its type word or its number."""
    if span.category != "LOCATION":
        return False
    found = text[span.start : end]
    return _ROAD_END.search(found) is not None or _ROAD_NUMBERED.search(found) is not None


def _street_landmark_ok(phrase: str) -> bool:
    """The words of a landmark named by its kind after a road: no modifier a function word (but "of", "the port of
    call", and the everyday adjectives of ``_GENERIC``, "the old cannery"), a clinical word or a word no place is named
    by; a head that alone names no place ("house", "place", "church", "hospital") needs a modifier that is no generic
    one ("the sorting house", "the peach place"; "the big church", "the old house" stay readable)."""
    words = [w.lower() for w in phrase.split()[1:]]
    if not words or any(near_clinical_word(w) for w in words):
        return False
    *modifiers, head = words
    if any((w in FUNCTION_WORDS and w != "of" and w not in _GENERIC) or w in _STOP or w in _NOT_A_PLACE for w in modifiers):
        # "the old cannery", "the big barn": an everyday adjective may say which one
        return False
    if head in _NOT_A_PLACE or head == "hospital":
        return any(w not in _GENERIC and w != "of" for w in modifiers)
    return True


# a landmark described by the place it is in or by, after a cue that places someone at it: "at the bowling alley in
# sigourney", "above the bakery by olcott park", "at the rest area at ryegrass", "past the pentecostal church on road
# 7": the described landmark and the found place are one place, and the word between goes with them. The landmark is
# one to three words after "<cue> the", none a function word, a drug or a word for where one lives or is treated
# ("at the shelter in alamo", "at the hospital in santa fe" leave the kind of place readable).
# Session 15 (rules15), directions by landmark: the landmark a described one is at may be a found name of several
# words with a landmark's head ("past the feed store at the <x> bridge", where <x> is no town the gazetteer knows);
# "across from", "next to" and "behind" join them as "by" does; a chain may be the described landmark ("by the dollar
# general in <town>"), never the one it is at alone (a chain alone places nobody: "the diner by the walmart"); and
# after "in", "over" or "inside" (a car, a room: "in the car on route 9" is no landmark) the described one needs a
# landmark's head or a lot, and a word that is not generic ("found in his car in the <x> lot on route 112", "over the
# bakery by the <x> mill"; never "in the parking lot at <x> mall").
_LANDMARK_AT = re.compile(
    r"(?<![\w'’-])(at|behind|past|above|below|by|near|across\s+from|next\s+to|outside(?:\s+of)?|in\s+front\s+of|in|inside|over)"
    r"\s+the\s+(?:(?:um+|uh+),?\s+(?:the\s+)?)?((?:[a-z][\w'’&-]{0,30}\s+){0,2}[a-z][\w'’&-]{0,30})"
    r"\s+(?:in|by|on|at|near|off|across\s+from|next\s+to|behind)\s+(?:the\s+)?$",
    re.I,
)
_LANDMARK_HEAD_END = re.compile(rf"(?:^|\s)(?:{_LANDMARK_HEADS}|lot|parking\s+lot)$", re.I)
_CHAIN_PHRASE = re.compile(rf"(?:{_CHAINS})", re.I)


def _names_a_landmark(text: str, span: Span) -> bool:
    """A found place, or a name found with a landmark's head ("<x> bridge", "<x> mill"): not a chain alone."""
    if span.category == "LOCATION":
        return True
    found = text[span.start : span.end].strip()
    return (span.category in ("NAME", "PROVIDER", "OTHER_ID") and " " in found and _CHAIN_PHRASE.fullmatch(found) is None
            and _LANDMARK_HEAD_END.search(found) is not None)


# geo22: a chain's name of two or three words that a found place covers only in part ("the dollar <tree in town>", "the
# <loaf 'n> jug on ..."): a layer that read the chain's last word as the start of a place (the learned layer's run
# "general in <town>") or stopped inside it leaves its first words readable. The place grows over the whole name.
_CHAIN_WORDS = gate(re.compile(rf"(?<![\w'’-])(?:{_CHAINS})(?![\w'’-])", re.I))  # scanned over whole texts


# geo22: a road numbered in halves, as county roads on a grid are ("county road 14 and a half", "road 7 and a half"):
# the "and a half" after a found road's number is the road's, unless a unit follows ("route 9 and a half miles on").
_AND_A_HALF = re.compile(
    r"[ \t]+and[ \t]+a[ \t]+half(?![\w'’-])(?![ \t]+(?:minutes?|miles?|hours?|times?|days?|weeks?|months?|years?|blocks?"
    r"|mins?|hrs?|mi|feet|foot|ft|dollars?|bucks|grand|pounds?|gallons?|cups?|pills?|percent|mg|of)\b)",
    re.I,
)


# the start of "and a half" a found road's span may end on: the learned layer read "county road 14 and a" as the
# road where the sentence ends after "half" (read22)
_HALF_BEGUN = re.compile(r"[ \t]+and(?:[ \t]+a)?$", re.I)


def _half_road_numbers(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if span.category != "LOCATION":
            continue
        begun = _HALF_BEGUN.search(text, max(span.start, span.end - 12), span.end)  # a short tail: linear
        end = begun.start() if begun else span.end
        m = _AND_A_HALF.match(text, end)  # the anchored test first: most places have no "and a half" after them
        if m and _ROAD_NUMBERED.search(text[span.start : end]):
            out.append(Span(span.start, m.end(), "LOCATION", span.layer, span.canonical, span.recognizer))
    return out


def _chains_around_places(text: str, spans: list[Span]) -> list[Span]:
    places = [s for s in spans if s.category == "LOCATION"]
    if not places:
        return []
    chains = [(m.start(), m.end()) for m in _CHAIN_WORDS.finditer(text)]  # one pass over the text, not one a place
    starts = [c[0] for c in chains]
    out = []
    for span in places:
        # the chains that begin before the place ends and could reach into it (a chain's name is under 30 characters)
        lo = bisect.bisect_left(starts, span.start - 30)
        hi = bisect.bisect_left(starts, span.end)
        for c_start, c_end in chains[lo:hi]:
            if c_start < span.start < c_end or c_start < span.end < c_end:
                out.append(Span(min(c_start, span.start), max(c_end, span.end), "LOCATION", span.layer, None,
                                "chain_in_place"))
    return out


def _landmarks_at_places(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if not _names_a_landmark(text, span):
            continue
        m = _LANDMARK_AT.search(text, max(0, span.start - 80), span.start)
        if not m:
            continue
        phrase = m.group(2)
        words = [w.lower() for w in phrase.split()]
        chain = _CHAIN_PHRASE.fullmatch(phrase) is not None
        headed = _LANDMARK_HEAD_END.search(phrase) is not None
        if m.group(1).lower() in ("in", "inside", "over") and not (chain or headed and _landmark_named(phrase)):
            continue  # "in the car on route 9", "over the phone at ...", "in the parking lot at <x> mall"
        if not chain and any(
                (w in FUNCTION_WORDS and not (headed and i == len(words) - 1)) or w in _STOP or w in _NOT_A_PLACE
                or w in _not_place_words() or near_clinical_word(w) for i, w in enumerate(words)):
            continue
        out.append(Span(m.start(2), span.end, "LOCATION", span.layer, None, "landmark_at_place"))
    return out


# Session 18 (geo18): the building, hall, complex or estate said before a unit ("<x> hall, room 318", "the <x>, unit three
# oh two", "estate <x>, lot 4 7", "<firm> lodging, room b 12"): a unit is a home's only inside what it numbers, and an
# address is one span with its unit (calls_dev README). One to three words opening a phrase, none a function word, a
# kind of place ("the hospital, room 318", "the er, room 4"), a part of a building or an ordinal ("fourth floor, room
# 418": a floor is no building's name), a filler or a state.
_BUILDING_BEFORE_UNIT = re.compile(
    r"(?:^|(?<=[.,;:?!])\s+|(?<![\w'’-])(?:the|in|at)\s+)((?:[A-Za-z][\w'’-]{0,30}\s+){0,2}[A-Za-z][\w'’-]{0,30}),\s+$"
)
_NOT_A_BUILDING = frozenset("upstairs downstairs inside outside here there now yes yeah no okay ok sorry".split())
# the parts of a building a unit is on, not the building ("hall" and "tower" are buildings' names: "<x> hall, room 318")
_FLOOR_OR_WING = _PART_OF_A_BUILDING - {"hall", "tower", "building"}


def _buildings_before_units(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if span.recognizer != "unit" or span.category != "LOCATION":
            continue
        m = _BUILDING_BEFORE_UNIT.search(text, max(0, span.start - 60), span.start)
        if not m:
            continue
        start = m.start(1)
        words = [w.lower() for w in m.group(1).split()]
        while words and words[0] in ("the", "in", "at"):  # "laytonville, the <x>, unit 3": the article stays out
            start = text.index(" ", start) + 1
            words = words[1:]
        if not words or any(w in FUNCTION_WORDS or w in _STOP or w in _NOT_A_PLACE or w in _NOT_A_BUILDING
               or w in _FLOOR_OR_WING or re.fullmatch(_ORDINAL_STREET, w)  # "fourth floor, room 418" or w in _GENERIC
               or w in _not_place_words() or w in _NOT_PLACE_NAMES or near_clinical_word(w) or _NUMBER_WORDS.fullmatch(w)
               for w in words):
            continue
        out.append(Span(start, span.end, "LOCATION", span.layer, None, "building_before_unit"))
    return out


_GROW_OFF_STREET = re.compile(r"^,?\s+(?:(?:um|uh),?\s+)?(?:just\s+|right\s+)?off\s+(?:of\s+)?(?:(?:um|uh),?\s+)?([a-z][\w'-]{2,30})(?![\w'-])", re.I)
def _local_street_word(word: str) -> bool:
    """A word that names a street after "off": not a state of being, not among English's common words (Zipf < 4)."""
    from wordfreq import zipf_frequency  # heavy optional import; the engine loads its tables at start

    low = word.lower()
    if low in OFF_NOT_STREET or low in CORE_FUNCTION_WORDS or low in _not_place_words() or _NUMBER_WORDS.fullmatch(low):
        return False
    return zipf_frequency(low, "en") < 4.0


_TOWN_PREFIX_BEFORE = re.compile(r"(?<![\w'-])(?:new|san|santa|fort|ft\.?|port|mount|mt\.?|saint|st\.?|los|las|el|lake)\s+$", re.I)


# a business or landmark found with the street it is on ("the <x> on <street>"): nothing before it is joined to it
_PINNED_BY_ITS_STREET = frozenset({"landmark_at_place", "business_on_street"})
# the words between two places said as one: "192 by old town", "i-45 past conroe", "main street near the dam"
_PLACE_JOINER = re.compile(r"\s+(?:by|near|past|behind|outside(?:\s+of)?|across\s+from|next\s+to|off\s+of|off)\s+(?:the\s+)?", re.I)


def _landmark_named(phrase: str) -> bool:
    """A landmark phrase that names something: a chain, or a head with a word that is not generic ("the lake" alone,
    "the big church" name nothing)."""
    words = phrase.split()
    if re.fullmatch(_CHAINS, " ".join(w for w in words if w.lower() != "the"), re.I):
        return True
    return not all(w.lower() in CORE_FUNCTION_WORDS or w.lower() in _GENERIC for w in words[:-1] if w.lower() != "the")


# ------------------------------------------------------------------------------------- a place said again
_PLACE_PREP_BEFORE = re.compile(
    r"\b(?:in|from|to|near|around|outside(?:\s+of)?|by|through|toward|towards|at|out|over|up|down|back)\s+(?:in\s+|to\s+)?$", re.I
)
_LETTER_WORDS = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_PLACE_WORD = re.compile(r"(?<![\w'’-])[A-Za-z][A-Za-z'’-]*(?![\w'’-])")


# a place said again on its own, as a caller repeats a town whose name is a word: "in surprise. yeah, surprise. it's a
# real place", "what cheer. i know. what cheer."; the fragment opens a sentence (after fillers and "i know") and a
# pause or the place's state ends it
_ECHO_BEFORE = re.compile(
    r"(?:^|\n|[.?!:][ \t]+)(?:(?:yeah|yes|yep|no|right|i\s+know|um+|uh+|like|so|exactly|it's|its)[ \t]*[,.]?[ \t]+){0,3}$", re.I
)
_ECHO_AFTER = re.compile(r"[ \t]*(?:[.?!,]|$)", re.M)


def _echoed(text: str, start: int, end: int) -> bool:
    """Whether a found place's name at ``start:end`` is said again as a fragment of its own."""
    if not _ECHO_BEFORE.search(text[max(0, start - 40) : start]):
        return False
    return _ECHO_AFTER.match(text, end) is not None or _STATE_SAID.match(text, end + 1) is not None and text[end : end + 1] in " ,"


# a town said as a fragment of its own beside a place already found: the caller names or corrects the town in a word
# ("i'd want chicago. oak park. or near there", "campuses in hattiesburg and oxford?" -> "oxford. my sister's
# there"). Any post-office town of any state, however ordinary its name, in a call where a place was found on this
# line or the one before; never a state, a drug or a month ("texas.", "may.")
_FRAGMENT = re.compile(
    r"(?:^|(?<=[.?!:])[ \t]+)(?:(?:yeah|yes|yep|no|right|um+|uh+|like|so|actually|it's|its)[ \t]*,?[ \t]+)*"
    r"((?:[A-Za-z][\w'’-]*[ \t]+){0,2}[A-Za-z][\w'’-]*)(?=[ \t]*(?:[.?!]|$))",
    re.M | re.I,
)


@functools.lru_cache(maxsize=1)
def _all_towns() -> frozenset[str]:
    return frozenset().union(*_towns_by_state().values())


def _town_fragments(text: str, spans: list[Span]) -> list[Span]:
    places = [s for s in spans if s.category == "LOCATION"]
    if not places:
        return []
    out = []
    for m in _FRAGMENT.finditer(text):
        start = m.start(1)
        words = text[start : m.end(1)].lower().split()
        name = " ".join(words)
        if not words or name not in _all_towns() or any(w in CORE_FUNCTION_WORDS for w in words):
            continue
        if name in _not_place_words() or name in _NOT_A_PLACE or len(words) == 1 and (near_clinical_word(name) or name in _GENERIC):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        window_start = text.rfind("\n", 0, line_start - 1) + 1 if line_start else 0  # the line before, or this one
        line_end = text.find("\n", m.end(1))  # no copy of the rest of the text per fragment: linear in its length
        window_end = line_end if line_end != -1 else len(text)
        if any(p.start < window_end and p.end > window_start and (p.start, p.end) != (start, m.end(1)) for p in places):
            out.append(Span(start, m.end(1), "LOCATION", LAYER, None, "town_fragment"))
    return out


def propagate_places(text: str, spans: list[Span]) -> list[Span]:
    """A place found once in a call is masked where it recurs: the cue that revealed it ("our bend program", "out in
    tidewater") is said once, the town again bare ("everybody in bend knows"). A place of several words, or of a word
    no dictionary knows, recurs anywhere; a one-word place that is an English word only capitalised inside a
    sentence or after a place preposition ("back to Bend", never "a bend in the road"). States and generic place
    words are none of a caller's places."""
    from cipher_pipeline.deid.words import US_STATE_NAMES, country_names

    spans = spans + _town_fragments(text, spans)
    phrases: dict[str, bool] = {}
    for span in spans:
        if span.category != "LOCATION":
            continue
        words = [w.group().lower().rstrip(".") for w in _LETTER_WORDS.finditer(text[span.start : span.end])]
        if not 1 <= len(words) <= 3 or re.search(r"\d", text[span.start : span.end]):
            continue
        words = [w for w in words if w not in ("the",)]
        # a town of several words the gazetteer knows may hold a function word ("what cheer", "truth or consequences")
        town = span.recognizer == "gazetteer" and len(words) > 1
        if not words or any(w in CORE_FUNCTION_WORDS for w in words) and not town:
            continue
        phrase = " ".join(words)
        if phrase in US_STATE_NAMES or phrase in country_names() or phrase in _not_place_words() or len(phrase) < 4:
            continue
        if len(words) == 1 and (words[0] in _GENERIC or words[0] in _PLACE_HEADS or near_clinical_word(words[0])):
            continue
        phrases[phrase] = len(words) > 1 or not is_safe_word(words[0])
    if not phrases:
        return spans
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase.split()[0], []).append(tuple(phrase.split()))
    covered = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in covered]
    out = list(spans)
    words = list(_PLACE_WORD.finditer(text))  # one pass over the words: linear however many places were found
    for i, w in enumerate(words):
        candidates = by_first.get(w.group().lower())
        if not candidates:
            continue
        for parts in sorted(candidates, key=len, reverse=True):
            last = words[i + len(parts) - 1] if i + len(parts) - 1 < len(words) else None
            if last is None or tuple(x.group().lower() for x in words[i : i + len(parts)]) != parts:
                continue
            if "\n" in text[w.start() : last.end()] or re.search(r"[.,;?!]", text[w.end() : last.start()]):
                continue
            m_start, m_end = w.start(), last.end()
            k = bisect.bisect_right(starts, m_start) - 1
            if k >= 0 and covered[k][1] >= m_end:
                break  # already masked
            if not phrases[" ".join(parts)]:
                mid_capital = w.group()[0].isupper() and not re.search(r"(?:^|[.?!:]\s*|\n)$", text[max(0, m_start - 3) : m_start])
                if not mid_capital and not _PLACE_PREP_BEFORE.search(text[max(0, m_start - 16) : m_start]) and not _echoed(
                    text, m_start, m_end
                ):
                    break
            out.append(Span(m_start, m_end, "LOCATION", LAYER, None, "place_again"))
            break
    return out
