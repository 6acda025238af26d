"""Insurer and competitor names as Whisper mishears them, written back as the lexicon spells them.

Whisper writes a name it does not expect as the nearest words it knows: "Regence" as "Regions", "Medicare" as
"maybe care", "Cigna" as "signal", "CareOregon" as "Care, Oregon", "Tricare" as "tri-care". Tier 3 counts payer
mix and competitors by name, so a misheard name is a lost count. ``normalise_terms`` puts back the names of the
shipped lexicons (``deid/lexicons/insurers.yaml``, ``competitors.yaml``; configuration, never a caller's words)
in two classes:

- **spelling**: the same letters as a lexicon name, split or joined differently ("Care, Oregon", "tri-care",
  "Pacific Source"). Replaced wherever it stands: the letters are the evidence; a split made only of everyday
  words ("am better", "health, net") needs an insurance cue or a name's slot, as a sound-alike does ("She has
  Care, First." is CareFirst; "I am better now" stays).
- **sound**: the same Metaphone key as a lexicon name ("Regions" / "Regence": RJNS), one edit away for a key of
  four sounds or more ("maybe care" MBKR / "Medicare" MTKR), or a three-sound key with an ending added
  ("signal" SKNL / "Cigna" SKN). Sound alone is weak evidence, so a sound-alike is
  replaced only (1) in an insurance conversation: a cue (insurance, plan, coverage, card, member, "do you take"
  ...) in the same segment or the one before it, where the agent usually asks; (2) in a name slot: after
  "have / got / through / with / under / is / it's / called", or opening the answer, and followed by the end of the
  clause or a word that goes with a plan name (insurance, plan, PPO, HMO, card, Blue, Health, Advantage ...);
  (3) when the words are not common English: a single word of Zipf frequency 5 or more ("eat", "human",
  "medical", "track") is never replaced, whatever it sounds like, and neither is a run of function words.
  Conditions (1) and (2) are waived for a sound-alike *anchored* by whole words of a several-word name spelled
  exactly at its start or end ("Sunshine Hell", "Regions Blue Shield"; ``_anchored``, session 5): there the
  exact words are the evidence, as the letters are for a spelling.

A name the lexicon marks ``ambiguous`` (a product that is everyday words: "Superior", "Passport", "Network Health")
needs more (session 18, asrpayer18): its sound-alike counts only in a name's slot, and its sound-alike or split
spelling only where the call talks of insurance *there*: an insurance cue in the line before (the agent's question:
the answer's window) or a plan word right after it ("... plan", "... card", "... health"); an insurance word elsewhere in a long line is not enough ("the
front desk put me on speaker, their member line is down" is no Superior), and its exact words anchor nothing ("blue
<word>" is no everyday-word Blue product). So such products can be listed without their sound-alikes masking prose.

Only these replacements are made; everything else is left as Whisper wrote it. Cost is linear in the text: at
each word, n-grams of up to ``MAX_WORDS`` words are looked up in dictionaries keyed by letters and by sound.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import jellyfish
from wordfreq import zipf_frequency

LEXICON_DIR = Path(__file__).parent / "deid" / "lexicons"
MAX_WORDS = 3  # a misheard name spans at most three words ("Simply Hailed Care")
COMMON_ZIPF = 5.0  # a word this frequent in English is that word, not a misheard name
SPLIT_EVERYDAY_ZIPF = 4.0  # a split spelling made only of words this frequent needs an insurance cue
MIN_LETTERS = 5  # names shorter than this ("GEHA", "Aetna" is five) sound like too many ordinary words

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_INSURANCE_CUE = re.compile(
    r"insurance|insured|insurer|\bplans?\b|coverage|\bcover(?:ed|s)?\b|\bcard\b|\bmember\b|\bpolicy\b|carrier|"
    r"benefits|\bnetwork\b|\bppo\b|\bhmo\b|\bepo\b|self[\s-]?pay|verif|\bdo\s+you\s+(?:take|accept)\b|"
    r"\bwe\s+(?:take|accept|work\s+with)\b|\bcontracted\b",
    re.I,
)
# the words right before a name slot ("I have ...", "it's through ...", "called ..."), or nothing (an answer)
_SLOT_BEFORE = frozenset(
    "have has had got through thru with under is it's its was called named by on from and or".split()
)
# The words that say the name before them is a health plan's: the plan itself and its kinds ("<name> plan", "<name>
# ppo"). The one home of them (session 20, fp20): this module's slot and product readers and the redactor's reader of
# a carrier Whisper heard as everyday words (``deid.slots._HEARD_PLAN_WORD``) read it.
PLAN_WORDS = frozenset("plan plans ppo hmo epo pos".split())
# what may follow a name: the end of the clause, or a word that goes with a plan name
_SLOT_AFTER = PLAN_WORDS | frozenset(
    """insurance card coverage through thru blue cross shield health healthcare care
    advantage community medicaid medicare gold silver bronze plus choice complete premier family select prime
    east west north south of for too also as and or but so""".split()
)
_FUNCTION = frozenset(
    """a an the and or but so of to in on at by for with from is it it's its i i'm me my we you he she they this that
    there here be been was were are am do does did have has had not no yes yeah okay ok um uh now then will would
    can could should shall may might must just one two three four five six seven eight nine ten""".split()
)


# the words a treatment program's name ends on: a sound-alike of a carrier before one is that program's name
_PROGRAM_HEADS = frozenset(
    "detox recovery rehab rehabilitation treatment center centre ranch lodge house behavioral wellness sober".split()
)
# possessives and determiners: words with one of these are a noun phrase of the sentence, never a misheard name
_DETERMINERS = frozenset("his her hers him their them your yours our its any some every each all no another".split())


@dataclass(frozen=True)
class Term:
    name: str  # as the lexicon writes it
    letters: str  # lower-case letters only: "careoregon"
    sound: str  # Metaphone of the letters: "KRRKN"
    category: str = ""  # the lexicon's: INSURER or COMPETITOR
    canonical: str = ""  # the lexicon entry's id: "careoregon"
    ambiguous: bool = False  # an entry listing these letters is marked ambiguous: everyday words, more evidence needed


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _sound(letters: str) -> str:
    return jellyfish.metaphone(letters) if letters else ""


@functools.lru_cache(maxsize=1)
def _lexicon_entries() -> tuple[tuple[str, str, str, bool], ...]:
    """(name as written, category, canonical id, marked ambiguous) for every name the insurer and competitor
    lexicons write, in file order: read once for the tables below."""
    import yaml  # only the term tables need it

    out = []
    for file_name in ("insurers.yaml", "competitors.yaml"):
        data = yaml.safe_load((LEXICON_DIR / file_name).read_text(encoding="utf-8"))
        for entry in data["entries"]:
            out.extend((written, data["category"], entry["id"], bool(entry.get("ambiguous"))) for written in entry["names"])
    return tuple(out)


def _lexicon_names() -> tuple[str, ...]:
    return tuple(written for written, *_ in _lexicon_entries())


@functools.lru_cache(maxsize=1)
def lexicon_terms() -> tuple[Term, ...]:
    """Every insurer and competitor name of the shipped lexicons that is long enough to be told by its sound."""
    terms: dict[str, Term] = {}
    # as the lexicon layer reads the mark: letters any marked entry lists are ambiguous wherever else they are listed
    ambiguous = {_letters(written) for written, _, _, marked in _lexicon_entries() if marked}
    for written, category, canonical, _ in _lexicon_entries():
        letters = _letters(written)
        if len(letters) >= MIN_LETTERS and not written.isupper() and letters not in terms:
            terms[letters] = Term(written, letters, _sound(letters), category, canonical, letters in ambiguous)
    return tuple(terms.values())


@functools.lru_cache(maxsize=1)
def _listed_letters() -> frozenset[str]:
    return frozenset(_letters(written) for written in _lexicon_names())


def is_listed_name(words: str) -> bool:
    """Whether ``words`` spell a name of the insurer or competitor lexicons, whatever its length, case or spacing
    ("medicaid", "tricare west"): a name heard right, which the lexicon layer finds by itself."""
    return _letters(words) in _listed_letters()


@functools.lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Every word of every lexicon name ("permanente", "health", "blue"): heard right already, so never a
    sound-alike of another name ("Permanente" is not "Paramount")."""
    return frozenset(w.lower() for written in _lexicon_names() for w in _WORD.findall(written))


@functools.lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, Term], dict[str, list[Term]]]:
    by_letters = {t.letters: t for t in lexicon_terms()}
    by_sound: dict[str, list[Term]] = {}
    for t in lexicon_terms():
        by_sound.setdefault(t.sound, []).append(t)
    return by_letters, by_sound


def _one_edit(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= 1 and jellyfish.levenshtein_distance(a, b) == 1


@functools.lru_cache(maxsize=65536)  # pure in the key; a long transcript says the same words again
def _sounds_like(sound: str) -> Term | None:
    """A lexicon term with this Metaphone key; or one edit from it when the key has four sounds or more; or, for
    a three-sound key, the key with one sound more at the end (Whisper gives a name a word's ending: "Cigna"
    SKN heard as "signal" SKNL). The first sound must agree: Whisper keeps a name's onset far more often than
    its middle."""
    _, by_sound = _indexes()
    if sound in by_sound:
        return by_sound[sound][0]
    if len(sound) < 3:
        return None
    if len(sound) == 4 and sound[:3] in by_sound:
        return by_sound[sound[:3]][0]
    for term in _terms_by_onset().get(sound[0], ()):
        if _one_edit(term.sound, sound):
            return term
    return None


@functools.lru_cache(maxsize=1)
def _terms_by_onset() -> dict[str, tuple[Term, ...]]:
    """The terms of four sounds or more by their first sound, in lexicon order: the one-edit search reads only those
    a sound-alike may match (its onset must agree), so a long transcript of words no list knows stays cheap."""
    out: dict[str, list[Term]] = {}
    for term in lexicon_terms():
        if len(term.sound) >= 4:
            out.setdefault(term.sound[0], []).append(term)
    return {k: tuple(v) for k, v in out.items()}


def _may_sound_like_a_name(words: list[str], gap: str) -> bool:
    """Words that may be a misheard name: not common English, no function word among them ("it's a ...", "not
    now", "will cover", "sure and", "caresource so ohio"), no possessive or determiner ("his date", "call any
    time"), no punctuation inside (a name is said in one breath), not all words of lexicon names already."""
    lowered = [w.lower().strip("'’") for w in words]
    if any(w in _DETERMINERS for w in lowered):  # "his date", "his card", "call any time": a noun phrase, no name
        return False
    if _common(words) or any(w in _FUNCTION for w in lowered) or re.search(r"[^\w\s'’-]", gap):
        return False
    return not all(w in _name_words() for w in lowered)


def _close_in_length(letters: str, term: Term) -> bool:
    """A sound-alike spells about as many letters as the name: "Oscar now" is "Oscar" and a word more."""
    return abs(len(letters) - len(term.letters)) <= max(2, len(term.letters) // 5)


def _common(words: list[str]) -> bool:
    lowered = [w.lower().strip("'’") for w in words]
    if all(w in _FUNCTION for w in lowered):
        return True
    return len(lowered) == 1 and zipf_frequency(lowered[0], "en") >= COMMON_ZIPF


def normalise_terms(text: str, context: str = "") -> str:
    """``text`` (one segment or line) with misheard lexicon names written as the lexicon spells them.

    ``context`` is what was said just before (the previous segment, either speaker): an insurance cue there
    licenses a sound-alike here, as when the agent asks "what insurance do you have?" and the caller answers.
    """
    for start, end, term in reversed(misheard_terms(text, context)):
        text = text[:start] + term.name + text[end:]
    return text


def misheard_terms(text: str, context: str = "") -> list[tuple[int, int, Term]]:
    """Where ``text`` holds a lexicon name split, joined or misheard, as (start, end, term), in order: what
    ``normalise_terms`` replaces, and what the redactor masks when a transcript was stored before the names were
    put back (``deid/asr_shapes.py``). The classes and their evidence are in the module docstring."""
    words = list(_WORD.finditer(text))
    if not words:
        return []
    by_letters, _ = _indexes()
    cue = bool(_INSURANCE_CUE.search(context) or _INSURANCE_CUE.search(text))
    found_terms: list[tuple[int, int, Term]] = []
    i = 0
    while i < len(words):
        found = None
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            span = words[i : i + n]
            gap = text[span[0].start() : span[-1].end()]
            if re.search(r"[.?!;:]", gap):  # a name never spans the end of a sentence
                continue
            letters = _letters(gap)
            term = by_letters.get(letters)
            if term is not None:
                # the name's letters split or joined otherwise; one common word ("medical" for "Medi-Cal") or a
                # difference of case alone is left as it is
                # words that are all everyday English ("am better", "health, net") are the name only where the talk
                # is of insurance or in a name's slot ("she has care, first."): "I am better now" stays
                everyday = n > 1 and all(zipf_frequency(w.group().lower(), "en") >= SPLIT_EVERYDAY_ZIPF for w in span)
                if gap.lower() != term.name.lower() and not (n == 1 and _common([gap])) and (
                        not everyday or cue or _in_slot(text, words, i, n)) and (
                        not term.ambiguous or _insurance_here(text, words, i, n, context, slot=False)):
                    found = (n, term)
                break
            if not _may_sound_like_a_name([w.group() for w in span], gap) or len(letters) < MIN_LETTERS - 1:
                continue
            term = _sounds_like(_sound(letters))
            if term is None or not _close_in_length(letters, term):
                continue
            if term.category == "INSURER" and i + n < len(words) and words[i + n].group().lower() in _PROGRAM_HEADS:
                continue  # "Blue Mesa Detox" is a program's name, not Blue Choice's
            if term.ambiguous:
                if _insurance_here(text, words, i, n, context):
                    found = (n, term)
                    break
                continue
            if _anchored([w.group() for w in span], letters, term) or (cue and _in_slot(text, words, i, n)):
                found = (n, term)
                break
        if found:
            n, term = found
            found_terms.append((words[i].start(), words[i + n - 1].end(), term))
            i += n
        else:
            i += 1
    return found_terms


# Carrier names Whisper writes as ordinary English words. Too common to be put back wherever they stand (a
# single word of Zipf 5 is never replaced above, and "eat her" is two everyday words), so ``normalise_terms``
# leaves them; the redactor masks them only in a carrier's slot of an insurance conversation ("he's on my plan,
# medical, a PPO", "I have signal through work": ``deid/asr_shapes.py``). Heard form -> the lexicon's name.
COMMON_WORD_FORMS = {
    "medical": "Medi-Cal", "me decal": "Medi-Cal", "medicated": "Medi-Cal", "medi cal": "Medi-Cal",
    "signal": "Cigna", "sigma": "Cigna", "signa": "Cigna",
    "try care": "Tricare", "tri care": "Tricare",
    "eaten": "Aetna", "eat her": "Aetna", "etna": "Aetna",
}


def common_word_term(heard: str) -> Term:
    """The lexicon term a ``COMMON_WORD_FORMS`` form stands for (``heard`` in any case and spacing)."""
    by_letters, _ = _indexes()
    return by_letters[_letters(COMMON_WORD_FORMS[" ".join(heard.lower().split())])]


# words too common in plan names to identify one: an anchor (``_anchored``) must be more than these
_GENERIC_NAME_WORDS = frozenset(
    "health healthcare care plan plans healthplan of from the and for family community gold plus advantage medicare "
    "medicaid medical assistance east west north south total complete detox recovery treatment center centers "
    "behavioral wellness institute services house hospital ranch".split()
)


# a word like these beside the exact words is the sentence going on, not the rest of the name ("Tricare for my")
_NOT_NAME_REST = frozenset(
    "a an the and or but so then because for of to in on at by with from my your his her our their is it i we you he she they".split()
)


def _anchored(heard: list[str], letters: str, term: Term) -> bool:
    """Whether the heard letters begin or end with whole words of a several-word name, spelled exactly, and the
    rest sounds like the rest of it: "Sunshine Hell" (Sunshine Health), "Regions Blue Shield" (Regence
    BlueShield), "Molina Health here" (Molina Healthcare). The exact words are evidence of their own, as the
    letters are for a split spelling: no insurance cue or name slot is needed. A one-word name is never
    anchored ("medicate" is not Medicare), nor is one by its generic words alone ("... Health", "... Plan")."""
    if letters.startswith(term.letters) or letters.endswith(term.letters):
        return False  # the name itself and a word more ("STAR Plus it"): the spelling, not a sound-alike
    name_words = [_letters(w) for w in term.name.split()]
    # the anchor must end where a heard word ends: "starts" begins with STAR Kids' "star" but is one word of its own
    from_start = set(itertools.accumulate(len(_letters(w)) for w in heard))
    from_end = set(itertools.accumulate(len(_letters(w)) for w in reversed(heard)))
    for k in range(1, len(name_words)):
        for anchor_words, matches in ((name_words[:k], letters.startswith), (name_words[k:], letters.endswith)):
            anchor = "".join(anchor_words)
            if (len(anchor) >= 4 and len(anchor) < len(letters) and matches(anchor)
                    and len(anchor) in (from_start if matches == letters.startswith else from_end)
                    and not all(w in _GENERIC_NAME_WORDS for w in anchor_words)
                    and _rest_may_be_name(heard if matches == letters.startswith else heard[::-1], len(anchor))):
                return True
    return False


def _rest_may_be_name(heard: list[str], anchor_length: int) -> bool:
    """No heard word beyond the anchor (``heard`` ordered from the anchor's side) is a function word."""
    covered = 0
    for word in heard:
        if covered >= anchor_length and word.lower() in _NOT_NAME_REST:
            return False
        covered += len(_letters(word))
    return True


# the words right after an everyday-word product that say it is a plan ("superior plan", "passport card")
_PLAN_WORD_AFTER = PLAN_WORDS | frozenset("insurance card coverage healthplan health".split())


def _insurance_here(text: str, words: list, i: int, n: int, context: str, slot: bool = True) -> bool:
    """The evidence an ambiguous product's sound-alike (or, with ``slot`` False, its split spelling: the letters are
    evidence of their own) needs: in a name's slot, and the agent's insurance question in the line before or a plan
    word right after the words."""
    if slot and not _in_slot(text, words, i, n):
        return False
    plan_after = i + n < len(words) and words[i + n].group().lower() in _PLAN_WORD_AFTER
    return plan_after or bool(_INSURANCE_CUE.search(context))


def _in_slot(text: str, words: list, i: int, n: int) -> bool:
    """Whether words[i:i+n] stand where a plan's name goes: after a slot word or opening the text, and before
    the end of the clause or a word that goes with a plan name."""
    before_ok = i == 0 or words[i - 1].group().lower() in _SLOT_BEFORE or bool(
        re.search(r"[,.?!;:]\s*$", text[words[i - 1].end() : words[i].start()]))
    end = words[i + n - 1].end()
    rest = text[end:]
    after_ok = i + n == len(words) or bool(re.match(r"\s*[,.?!;:]", rest)) or (
        words[i + n].group().lower() in _SLOT_AFTER)
    return before_ok and after_ok
