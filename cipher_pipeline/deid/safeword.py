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
from pathlib import Path

from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.words import (
    FUNCTION_WORDS,
    US_STATE_NAMES,
    clinical_words,
    country_names,
    is_safe_word,
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
)


def _is_safe(word: str) -> bool:
    low = word.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in CALENDAR_AND_PUBLIC or low in US_STATE_NAMES:
        return True
    if is_safe_word(low):
        return True
    if "-" in low and all(is_safe_word(p) or p in CALENDAR_AND_PUBLIC for p in low.split("-") if p):
        return True
    if low.endswith(("n't", "'re", "'ve", "'ll", "'d", "'m")) and is_safe_word(low.split("'")[0] or low):
        return True
    if low in country_names():
        return True
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
    return frozenset(names | {ln.strip().lower() for ln in lines if ln.strip() and not ln.startswith("#")})


def _clinical_shape(low: str) -> bool:
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


def _shorthand(word: str, caseless: bool, prose: bool = True) -> bool:
    """Abbreviation, clipped word or technical vocabulary rather than a proper noun nobody listed."""
    low = word.lower()
    if not word.isascii():
        return False
    if re.fullmatch(r"[a-z]{2,}['’](?:d|ed|ing|t)", low):
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
_CHART_PERSON_CUE = re.compile(
    r"(?i)(?:\b(?:drs?|mrs?|ms|miss|np|rn|md|son|sons|daughters?|dtr|wife|husband|sister|brother|mother|father|mom"
    r"|dad|niece|nephew|aunt|uncle|friend|grand\s?(?:son|daughter)|grandson|granddaughter|caseworker|fiance|companion"
    r"|neighbor|notified|paged|informed|seen\s+by|reported\s+to|spoke\s+(?:to|with)|consult\s+with|per\s+dr)"
    r"[.:,]?(?:\s*-+)?)\s*$"
)
_CHART_WEAK_CUE = re.compile(r"(?i)(?:\b(?:per|by|with|at|called|pa|[a-z]\.)|@)\s*$")
_CHART_PLACE_CUE = re.compile(
    r"(?i)\b(?:(?:trans(?:fer(?:red|ed|ring|s)?)?|tx(?:'?d)?|adm(?:it(?:ted)?)?|sent|taken|came|moved|return(?:ed)?"
    r"|discharged?|d/c'?d|going|go|went|flown|(?:med)?flight|arrived?|referred|brought(?:\s+\w+)?|enroute|en\s+route"
    r"|followed|back)\s+(?:back\s+)?(?:to|from|into|at)|from|lives\s+(?:in|at))\s+(?:the\s+)?$"
)
_CHART_AFTER_CUE = re.compile(
    r"(?i)(?:\s*[,-]?\s*(?:aware|np|md|rn|hosp|hospital|medical|nursing|rehab|called|notified|paged|at\s+bedside)\b"
    r"|\.\s*[a-z][a-z'-]+\s*[,.])"
)
_CHART_SENTENCE_START = re.compile(r"(?:^|\n|[.?!;:]|-{1,3}|[#)])\s*$")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]+$")


def chart_named(text: str, start: int, end: int) -> bool:
    """Whether a strong cue in a chart note names the word at ``start:end`` as a person or a place (see above)."""
    before = text[max(0, start - 40) : start]
    if _CHART_PERSON_CUE.search(before) or _CHART_PLACE_CUE.search(before) or _CHART_AFTER_CUE.match(text, end, end + 30):
        return True
    previous = _PREVIOUS_WORD.search(before)
    return previous is not None and previous.group(1).lower() in _name_like() and not is_safe_word(previous.group(1))


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


def find(text: str, caseless: bool) -> list[Span]:
    """Proper-noun-looking words that are not safe words, masked as NAME."""
    spans: list[Span] = []
    prose_lines: dict[int, bool] = {}
    # in a chart note the words no list knows are mostly drugs, shorthand and misspellings ("nipride", "overnoc",
    # "recieved"): there such a word is a name only with evidence (``chart_shorthand``)
    chart = is_chart(text)
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < 2 or word.lower() in FUNCTION_WORDS:
            continue
        if chart:
            if chart_named(text, m.start(), m.end()):
                # "son RICK", "dr. hale", "transferred to NEMC": named, unless it is a word of the language
                low = word.lower().removesuffix("'s").removesuffix("’s")
                # a word in capitals after a cue is a name or, after a move, a hospital's initials ("to go to BMC"),
                # unless it is a unit or a service the lists know ("transfer to CCU", "to OR"); "paged HO" is a role
                place = _CHART_PLACE_CUE.search(text, max(0, m.start() - 40), m.start()) is not None
                capitals = word.isupper() and low not in CALENDAR_AND_PUBLIC and (
                    low in _name_like() or not is_safe_word(low) or (place and len(low) <= 3)
                )
                if not _is_safe(word) or capitals:
                    if low not in clinical_words() and not _clinical_shape(low):
                        spans.append(Span(m.start(), m.start() + len(word.removesuffix("'s").removesuffix("’s")), "NAME", LAYER))
                continue
            if chart_shorthand(text, m.start(), m.end(), word):
                continue
        if caseless and word.isascii() and not _VOWEL.search(word):
            continue  # "bp", "gtt", "CVP" in a caseless or all-caps note: a word with no vowel is shorthand
        if caseless and len(word) == 2 and word.lower() not in proper_nouns():
            continue  # caseless two-letter words are shorthand ("gi", "ac"); "al", "ed", "jo" are known names
        if not _is_safe(word) and _shorthand(word, caseless, caseless or _in_prose(text, m.start(), prose_lines)):
            continue
        looks_proper = caseless or word[0].isupper()
        if not looks_proper:
            # ASR lowercases names: a lowercase word the dictionary knows only as a proper noun ("nicole")
            low = word.lower()
            if low in proper_nouns() and not _is_safe(word):
                spans.append(Span(m.start(), m.end() - (2 if word.endswith(("'s", "’s")) else 0), "NAME", LAYER))
            continue
        if (
            word[0].isupper()
            and word.endswith(("'s", "’s"))
            and word[:-2].lower() in proper_nouns()
            and word[:-2].lower() not in CALENDAR_AND_PUBLIC
            and word[:-2].lower() not in FUNCTION_WORDS
        ):
            # "Victor's dad": a possessive proper noun is a person even at the start of a sentence
            spans.append(Span(m.start(), m.end() - 2, "NAME", LAYER))
            continue
        if _is_safe(word):
            # in cased text a common word in capitals is a name ASR wrote loud ("this is TOM"), not an acronym
            low = word.lower()
            if caseless or not word.isupper() or len(word) < 3 or low in clinical_words() or low in FUNCTION_WORDS:
                continue
            if text[m.end() : m.end() + 1] == ":":
                continue  # "CARDIAC:", "PLAN:": a section header, not a name
            if low in CALENDAR_AND_PUBLIC or low in US_STATE_NAMES or low in country_names():
                continue
            if _text_is_shouting(text):
                continue
        spans.append(Span(m.start(), m.end() - (2 if word.endswith(("'s", "’s")) else 0), "NAME", LAYER))
    if "(" in text:
        spans.extend(_abbreviation_spans(text, spans))
    return spans


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
    return [Span(m.start(), m.end(), "NAME", LAYER) for m in pattern.finditer(text)]


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
