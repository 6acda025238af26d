"""Self-repairs in spoken calls (session 20, repair20): the first form of an identifier a caller said and then
corrected, restarted or said again in another sound.

A caller says a name, place or plan, then corrects it ("<x>? no, the other one, i mean <y>"), restarts it
("lindell lindall health plan", "june uh june ninth"), or re-says it as it sounds ("atascadero. at a scadero."). The layers
usually find the form the caller settled on and miss the other one, the *reparandum*, which names the same person,
place or organisation (or, corrected, another one just as identifying). ``reparandum`` is one step after the merge
(``layers.yaml``): for each finding it reads the few words right before it, and right after it, on its own line, and
masks a phrase there that is

- joined to the finding by a repair: sentence punctuation, a filler, a repair marker ("no", "i mean", "sorry", "or",
  "wait", "?", "actually") or nothing at all (a plain repeat); a short aside ("no, the other one, i mean") only
  when a marker that takes something back ("no", "i mean", "wait", "sorry", "actually") is in it;
- alike the finding: the same words; a word they share that is no function word, no generic head ("recovery",
  "county") and no common English word (unless it is a listed given name); a first word with the finding's first
  letters ("harmony care" / "harmonia"), the same first letter and nearly the same letters ("lindell" / "lindall"),
  or the same consonant skeleton ("at a scadero" / "atascadero"), said as one word or run together from several
  ("and a" / "anna", "oh kala" / "okala").

Bounded and guarded: at most 200 findings, 90 characters each side, on the finding's own line after the speaker's
label (so never into the other speaker's turn); a phrase no longer than the finding plus two words, each of its words
one a name may hold (in the finding, no common English word, a listed given name, "st."/"mt."/"ft.", a generic head
last); an aside only before the finding, and a form said after it only across a stop or a marker; never a phrase of
function words alone unless its letters run together are the finding's to one letter, never one holding digits or a
number word, a state, a month or weekday where the finding is no date, a title grown over ("ms. <x>" keeps "ms."),
a kin or role word grown over; no OTHER_ID finding (a one-person description's role word recurs as itself); call
talk only (never a chart note). The engine's merge cuts the center's own names out of what the step adds. The phrase
takes the finding's category and layer and names this step as its recognizer (``reparandum``).
"""
from __future__ import annotations

import re

import jellyfish
from wordfreq import zipf_frequency

from cipher_pipeline.deid.names import MONTHS_AND_DAYS, ambiguity
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import label_at
from cipher_pipeline.deid.words import FUNCTION_WORDS, US_STATE_NAMES, is_safe_word
from cipher_pipeline.vocabulary import ONES, ORDINALS, SCALE_WORDS, TENS

RECOGNIZER = "reparandum"
# the categories a repair is read around: what people name in words (a number said twice is the rules' to read)
# (OTHER_ID is left out: it holds a one-person description, "the only <role> at", whose role word recurs as itself)
_CATEGORIES = frozenset({"NAME", "LOCATION", "COMPETITOR", "INSURER", "PROVIDER", "DATE"})
_MAX_FINDINGS = 200  # bounded work per text: each finding costs a few words' reading each side
_WINDOW_CHARS = 90  # how far each side of a finding the repair is looked for
_LONGEST_WORD = 40  # a word the window's end cuts is read whole up to this many characters past it
_MAX_GAP_WORDS = 9  # the repair between the phrase and the finding: markers, fillers and a short aside
_MAX_ASIDE_WORDS = 4  # words of an aside ("the other one") allowed where a marker takes something back
_MAX_EXTRA_WORDS = 2  # the phrase is at most the finding's length plus this: a word heard as several ("at a scadero")
_MAX_PHRASE_WORDS = 4
# what joins a first form to the one said after it
_FILLERS = frozenset("um umm uh uhh uhm er ah hmm like oh well yeah".split())
_MARKERS = frozenset("no nope or wait sorry actually rather i mean i'm im".split())
# a marker that takes back what was said: only with one is an aside allowed in the repair
_RETRACTING = re.compile(r"\b(?:no|nope|wait|sorry|actually|i\s+mean|rather)\b")
# heads shared by many names: a word of these shared is no evidence the two phrases name one thing
_GENERIC = frozenset(
    """recovery treatment center centre behavioral health healthcare mental wellness services service hospital clinic
    regional general memorial medical county city state plan plans care blue cross shield advantage house home
    program programs street road avenue drive lane way park lake river creek mountain valley north south east west
    saint st san santa fort mount new old big little high""".split()
)
# what neither starts nor ends a first form: the repair's own words
_EDGE_NOT = frozenset("no nope or wait sorry actually rather mean excuse".split())
# where a form said after the finding may end: a stop, or a marker or filler that starts what comes next ("oh kala
# that's what it says")
_ENDS_AFTER = _MARKERS | _FILLERS | frozenset({"that's", "thats", "right", "yes"})
_TOKEN = re.compile(r"[a-z][a-z'’]*|\d+|[^\sa-z\d]", re.I)
_ABBREVIATION = frozenset("st mt ft".split())  # a place's, grown over; never a title ("ms. <x>" keeps "ms.")
_COMMON_ZIPF = 4.0  # a word shared is evidence below this (wordfreq Zipf), or as a listed given name
_ORDINARY_ZIPF = 4.5  # a phrase's other words: none this common unless the finding has it
_MONTHS = frozenset(w for w in MONTHS_AND_DAYS if not w.endswith("day"))
# vocabulary's cardinals and the ordinals to "tenth" (no "oh": a repair's "oh" is the interjection)
_NUMBER_WORDS = frozenset((*ONES, *TENS[2:], *SCALE_WORDS, *(ORDINALS[i] for i in range(1, 11))))


def _letters(words: list[str]) -> str:
    return re.sub(r"[^a-z]", "", "".join(words).lower())


def _skeleton(key: str) -> str:
    """A cheap sound key: the first letter, then the consonants but h, w, y, doubles collapsed ("okala" and "oh
    kala" are both "okl")."""
    if not key:
        return ""
    rest = re.sub(r"[aeiouhwy]", "", key[1:])
    return key[0] + re.sub(r"(.)\1+", r"\1", rest)


def _near(a: str, b: str) -> bool:
    """Two letter strings alike as a caller's two tries at one word are: one the other's start (four letters at
    least), the same first letter and nearly the same letters, or the same consonant skeleton."""
    if len(a) < 3 or len(b) < 3:
        return False
    if a == b:
        return True
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    if (prefix >= 5 or (prefix >= 4 and min(len(a), len(b)) <= 6)) and abs(len(a) - len(b)) <= 2:
        return True
    if a[0] != b[0]:
        return False
    limit = max(1, min(len(a), len(b)) // 3)
    if abs(len(a) - len(b)) <= limit and jellyfish.levenshtein_distance(a, b) <= limit:
        return True
    sa, sb = _skeleton(a), _skeleton(b)
    return len(sa) >= 4 and sa == sb


def _shared_word_ok(word: str) -> bool:
    """A word two phrases share that says they name one thing: no function word, no generic head, no common English
    word but a given name ("robert")."""
    if len(word) < 3 or word in FUNCTION_WORDS or word in _GENERIC or word in US_STATE_NAMES:
        return False
    return zipf_frequency(word, "en") < _COMMON_ZIPF or _is_given_name(word)


def _is_given_name(word: str) -> bool:
    """A listed name that is no common English word ("robert", "troy"; never "will" or "grace")."""
    return ambiguity(word) in ("unambiguous", "weak")


_ORDINAL_SUFFIX = frozenset("st nd rd th".split())


def _content(words: list[str]) -> list[str]:
    """A phrase's words that carry it: no function word, no ordinal's suffix ("22nd")."""
    return [w for w in words if w not in FUNCTION_WORDS and w not in _ORDINAL_SUFFIX and len(w) >= 2]


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def _word_ok(word: str, found: list[str], last: bool) -> bool:
    """A word a first form may hold: one the finding has, an abbreviation ("st."), a word no common English word
    (or a listed given name), or, last, a generic head ("harmony care"). The head is allowed whatever the finding's
    category: an organisation's second form is often found by a layer that names it a person or a place (read20 tried
    organisations only, and lost a development catch)."""
    return (
        word in found or word in _ABBREVIATION or zipf_frequency(word, "en") < _ORDINARY_ZIPF or _is_given_name(word)
        or (last and word in _GENERIC)
    )


def _alike(phrase: list[str], finding: list[str], category: str = "NAME") -> bool:
    low = [w.lower() for w in phrase]
    found = _content([w.lower() for w in finding])
    if not found:
        return False
    content = _content(low)
    if any(w in US_STATE_NAMES and w not in found for w in low) or " ".join(low) in US_STATE_NAMES:
        return False
    if any(w in _NUMBER_WORDS for w in low):
        return False  # a number said again is the rules' to read, whatever its category
    # a form of content words only, each one a name may hold
    if len(content) == len(low) and all(_word_ok(w, found, k == len(low) - 1) for k, w in enumerate(low)):
        if any(w in found and (_shared_word_ok(w) or (category == "DATE" and w in _MONTHS)) for w in low):
            return True  # the same word, one that names ("robert", "serenity"), or a month said again
        first, found_first = re.sub(r"[^a-z]", "", low[0]), re.sub(r"[^a-z]", "", found[0])
        if first != found_first and _near(first, found_first):
            return True  # "lindell" / "lindall", "harmony care" / "harmonia"
    if len(low) < 2 or len(content) > 1 or any(_bare(w) in {_bare(f) for f in found} for w in content):
        return False  # a word of the finding said again with words around it is no sound of it ("<x> on <x>'s")
    # a word heard as several, run together ("at a scadero" / "atascadero", "oh kala" / "okala"), or function words alone
    # ("and a" / "anna"): only where the letters are the finding's to one letter in four (one at most in a short word)
    key, target = _letters(low), _letters(found)
    if len(key) < 4 or key[0] != target[:1]:
        return False
    limit = 1 if not content or len(target) < 6 else len(target) // 3
    return abs(len(key) - len(target)) <= limit and jellyfish.levenshtein_distance(key, target) <= limit


def _tokens(text: str, start: int, end: int) -> list[re.Match]:
    return list(_TOKEN.finditer(text, start, end))


def _whole_tokens_before(text: str, start: int, end: int, line_start: int) -> list[re.Match]:
    """The tokens in ``text[start:end]`` but a word the window's start cuts ("...emiere" of "premiere"): a phrase
    begun inside a word would leave its first letters readable."""
    toks = _tokens(text, start, end)
    if toks and start > line_start and toks[0].start() == start:
        straddling = _TOKEN.match(text, start - 1, start + 1)  # the characters either side of the cut, one token?
        if straddling and straddling.end() > start:
            toks = toks[1:]
    return toks


def _whole_tokens_after(text: str, start: int, window_end: int, line_end: int) -> tuple[list[re.Match], bool]:
    """The tokens from ``start`` that begin before ``window_end``, each read whole (a word the window's end cuts is
    read to its end, up to ``_LONGEST_WORD`` characters past it), and whether they run to the line's end."""
    bound = min(line_end, window_end + _LONGEST_WORD)
    toks = []
    for tok in _TOKEN.finditer(text, start, bound):
        if tok.start() >= window_end or (tok.end() == bound < line_end):
            return toks, False  # past the window, or a word longer than any read whole: the line goes on
        toks.append(tok)
    return toks, bound == line_end


def _is_word(tok: str) -> bool:
    return tok[0].isalpha()


def _joins(tok: str) -> bool:
    return not _is_word(tok) or tok.lower() in _FILLERS or tok.lower() in _MARKERS


def _gap_ok(gap: list[str], edge: int, aside: bool) -> bool:
    """What lies between the first form and the finding reads as a repair: punctuation, fillers, markers, and (with
    ``aside``) a few other words only after a marker that takes something back. Nothing at all is a plain restart.
    The gap's ``edge`` token (its first before the finding, its last after it) is a stop, filler or marker, so an
    aside never eats the first words of the form it leaves ("no. saint <x>" is no aside before "<x>")."""
    if not gap:
        return True
    words = [t.lower() for t in gap if _is_word(t)]
    if len(words) > _MAX_GAP_WORDS or any(t in {"\n", ":"} for t in gap) or not _joins(gap[edge]):
        return False
    other = [w for w in words if w not in _FILLERS and w not in _MARKERS and w not in {"that's", "what"}]
    if not other:
        return True
    return aside and len(other) <= _MAX_ASIDE_WORDS and bool(_RETRACTING.search(" ".join(words)))


def _phrase_ok(words: list[str], category: str) -> bool:
    low = [w.lower() for w in words]
    if any(not w[0].isalpha() for w in low):
        return False  # digits or punctuation inside: a number is another recognizer's
    if " ".join(low) in US_STATE_NAMES or any(w in US_STATE_NAMES for w in low if len(low) == 1):
        return False
    if category != "DATE" and any(w in MONTHS_AND_DAYS for w in low):  # a month or weekday is a date's
        return False
    if low[0] in _EDGE_NOT or low[-1] in _EDGE_NOT or low[-1] in _FILLERS:
        return False
    return True


def _phrase_before(toks: list[re.Match], gap_end: int, finding: list[str], category: str) -> tuple[int, int] | None:
    """The first form ending at ``toks[gap_end - 1]``: the shortest run of words alike the finding, grown to the left
    to the finding's length while its words are content words."""
    limit = min(_MAX_PHRASE_WORDS, max(1, len(finding)) + _MAX_EXTRA_WORDS)
    run: list[re.Match] = []
    i = gap_end - 1
    while i >= 0 and len(run) < limit:
        tok = toks[i]
        if not _is_word(tok.group()):
            # an abbreviation's full stop inside a name ("st. ignace") is part of it
            if tok.group() == "." and i >= 1 and toks[i - 1].group().lower() in _ABBREVIATION and run:
                i -= 1
                continue
            break
        run.insert(0, tok)
        words = [t.group() for t in run]
        if _phrase_ok(words, category) and _alike(words, finding, category):
            finding_low = {w.lower() for w in finding}
            # grow it over the content words before it, up to the finding's length
            j = i - 1
            while len(run) < min(limit, len(finding)) and j >= 0:
                prev = toks[j]
                if prev.group() == "." and j >= 1 and toks[j - 1].group().lower() in _ABBREVIATION:
                    j -= 1
                    continue
                low = prev.group().lower()
                if not _is_word(low) or low in FUNCTION_WORDS or low in _MARKERS or not _phrase_ok([low], category):
                    break
                # only a word of the name: an abbreviation of one ("st."), one the finding has, or one no dictionary
                # knows as ordinary English; never a kin or role word before a name ("my uncle <x>. <y> <z>")
                if not (low in _ABBREVIATION or low in finding_low or not is_safe_word(low)):
                    break
                run.insert(0, prev)
                j -= 1
            return run[0].start(), run[-1].end()
        i -= 1
    return None


def _phrase_after(
    toks: list[re.Match], gap_start: int, finding: list[str], category: str, line_ends: bool = True
) -> tuple[int, int] | None:
    """The form said after the finding, from ``toks[gap_start]``. ``line_ends``: the tokens run to the line's end, so
    past the last one the speaker stopped; otherwise what follows the last one is unknown and no form ends there."""
    limit = min(_MAX_PHRASE_WORDS, max(1, len(finding)) + _MAX_EXTRA_WORDS)
    run: list[re.Match] = []
    i = gap_start
    while i < len(toks) and len(run) < limit:
        tok = toks[i]
        if not _is_word(tok.group()):
            break
        run.append(tok)
        words = [t.group() for t in run]
        # the form said after must end where the speaker stops: at punctuation or the line's end ("atascadero. at
        # a scadero."), never running on into the clause ("okala. oh and then ...")
        if i + 1 == len(toks) and not line_ends:
            return None  # the window ends here, the line does not: the form may run on past it
        nxt = toks[i + 1].group().lower() if i + 1 < len(toks) else "."
        if (not _is_word(nxt) or nxt in _ENDS_AFTER) and _phrase_ok(words, category) and _alike(words, finding, category):
            return run[0].start(), run[-1].end()
        i += 1
    return None


def reparandum(text: str, spans: list[Span]) -> list[Span]:
    """Mask the first form of a finding the caller corrected, restarted or said again in another sound (see the
    module's docstring). Returns ``spans`` with those forms added."""
    if not spans or is_chart(text):
        return spans
    covered = sorted((s.start, s.end) for s in spans)
    out: list[Span] = []

    def inside(a: int, b: int) -> bool:
        return any(x <= a and b <= y for x, y in covered)

    for s in [s for s in spans if s.category in _CATEGORIES][:_MAX_FINDINGS]:
        finding = [t.group() for t in _tokens(text, s.start, s.end) if _is_word(t.group())]
        if not _content([w.lower() for w in finding]):
            continue
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.end)
        line_end = len(text) if line_end < 0 else line_end
        # the speaker's label is no part of what was said
        label = label_at(text, line_start, s.start, loose=True)
        said_from = label.end() if label else line_start
        before = _whole_tokens_before(text, max(said_from, s.start - _WINDOW_CHARS), s.start, said_from)
        after, after_to_line_end = _whole_tokens_after(text, s.end, s.end + _WINDOW_CHARS, line_end)
        found = None
        # before it: try each gap, nearest first; the gap is what lies between a first form and the finding
        for gap_end in range(len(before), 0, -1):
            gap = [t.group() for t in before[gap_end:]]
            if len([t for t in gap if _is_word(t)]) > _MAX_GAP_WORDS:
                break
            if not _gap_ok(gap, 0, aside=True):
                continue
            found = _phrase_before(before, gap_end, finding, s.category)
            if found:
                break
        if found and not inside(*found):
            out.append(Span(found[0], found[1], s.category, s.layer, s.canonical, RECOGNIZER))
            covered.append(found)
        found = None
        for gap_start in range(0, len(after)):
            gap = [t.group() for t in after[:gap_start]]
            if not _gap_ok(gap, -1, aside=False):
                if gap and not _joins(gap[-1]):
                    break  # a word that is no part of a repair: the form said after would have begun there
                continue
            if gap_start == 0 or not any(not _is_word(t) or t.lower() in _MARKERS for t in gap):
                continue  # said after, the form is a repair only across a stop or a marker ("atascadero. at a scadero")
            found = _phrase_after(after, gap_start, finding, s.category, after_to_line_end)
            if found:
                break
        if found and not inside(*found):
            out.append(Span(found[0], found[1], s.category, s.layer, s.canonical, RECOGNIZER))
            covered.append(found)
    return spans + out if out else spans
