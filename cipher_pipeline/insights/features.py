"""Per-call features read from one de-identified transcript: the unit every Tier 3 insight aggregates.

Features never leave the engine: they hold de-identified sentences (objections) and phrase sets that are only
published in aggregate, over at least k distinct calls (``aggregate.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cipher_pipeline.insights import phrases as phrase_rules
from cipher_pipeline.insights.taxonomy import Taxonomy, Term
from cipher_pipeline.insights.text import Sentence, caller_sentences, normalise, word_runs

QUOTE_WORDS = 6  # the no-verbatim rule's run length


@dataclass
class Mention:
    kind: str  # COMPETITOR or INSURER
    entity: str  # canonical id, or "unlisted"
    framing: tuple[str, ...]


@dataclass
class CallFeatures:
    day: str
    transcript_id: str
    concern_order: tuple[str, ...]
    caller_type: str
    caller_group: str  # patient, family, professional, unclear
    mentions: tuple[Mention, ...]
    center_mentions: int
    objections: tuple[str, ...]
    phrase_occurrences: Counter
    caller_words: int
    quote_windows: frozenset  # every run of QUOTE_WORDS words in the call, both sides
    campaign: str | None = None
    source: str | None = None


def _any_span(terms: tuple[Term, ...], tokens: tuple[str, ...]) -> list[tuple[int, int]]:
    return [span for term in terms for span in term.spans(tokens)]


def concern_order(sentences: list[Sentence], taxonomy: Taxonomy) -> tuple[str, ...]:
    first: dict[str, int] = {}
    offset = 0
    for sentence in sentences:
        for concern in taxonomy.concerns:
            if concern.name in first:
                continue
            at = concern.first_match(sentence.tokens)
            if at is not None:
                first[concern.name] = offset + at
        offset += len(sentence.tokens)
    order = list(taxonomy.concerns)
    return tuple(sorted(first, key=lambda name: (first[name], [c.name for c in order].index(name))))


def caller_type(sentences: list[Sentence], taxonomy: Taxonomy) -> tuple[str, str]:
    scores: Counter = Counter()
    for sentence in sentences:
        tokens = sentence.tokens
        prefix_ends = {end for _, end in _any_span(taxonomy.calling_for_prefixes, tokens)}
        for kind in taxonomy.caller_types:
            for start, _ in _any_span(kind.cues, tokens):
                weight = 3 if start in prefix_ends else (2 if kind.group == "patient" else 1)
                scores[kind.name] += weight
    if not scores:
        return "unclear", "unclear"
    order = [k.name for k in taxonomy.caller_types]
    best = max(scores, key=lambda name: (scores[name], -order.index(name)))
    return best, next(k.group for k in taxonomy.caller_types if k.name == best)


def _is_center(tokens: tuple[str, ...], at: int, taxonomy: Taxonomy) -> bool:
    """An unlisted competitor tag addressed as the center ("is this [COMPETITOR]", "calling [COMPETITOR]")."""
    return any(end in (at, at - 1) for _, end in _any_span(taxonomy.center_cues, tokens))


def mentions(sentences: list[Sentence], taxonomy: Taxonomy) -> tuple[list[Mention], int]:
    found, center = [], 0
    for index, sentence in enumerate(sentences):
        tokens = sentence.tokens
        center += len(_any_span(taxonomy.center_names, tokens))
        window = tokens
        if index + 1 < len(sentences) and sentences[index + 1].turn == sentence.turn:
            window = tokens + sentences[index + 1].tokens
        for at, token in enumerate(tokens):
            if not token.startswith("<"):
                continue
            kind, _, entity = token[1:-1].partition(":")
            if kind not in ("COMPETITOR", "INSURER"):
                continue
            if kind == "COMPETITOR" and not entity and _is_center(tokens, at, taxonomy):
                center += 1
                continue
            framing = tuple(name for name, terms in taxonomy.framing.items() if _any_span(terms, window)) if kind == "COMPETITOR" else ()
            found.append(Mention(kind, entity or "unlisted", framing))
    return found, center


def objection_sentences(sentences: list[Sentence], taxonomy: Taxonomy) -> tuple[str, ...]:
    """Caller sentences that carry an objection cue (a cue term; a ``near`` cue, such as a family member reporting
    what the patient says or thinks: "he says", "she keeps insisting") or match an objection type's rule."""
    return tuple(
        s.text for s in sentences
        if len(s.tokens) >= 3
        and (_any_span(taxonomy.objection_cues, s.tokens) or _any_span(taxonomy.objection_near, s.tokens) or rule_type(s.tokens, taxonomy) is not None)
    )  # fmt: skip


def rule_type(tokens: tuple[str, ...], taxonomy: Taxonomy) -> str | None:
    """The first objection type (taxonomy order) whose rule matches the sentence, or None."""
    return next((name for name, rule in taxonomy.objection_rules.items() if rule.first_match(tokens) is not None), None)


def quote_windows(redacted_text: str) -> frozenset:
    windows = set()
    for line in redacted_text.splitlines():
        _, _, body = line.partition(":")
        for run in word_runs(normalise(body)):
            for i in range(len(run) - QUOTE_WORDS + 1):
                windows.add(" ".join(run[i : i + QUOTE_WORDS]))
    return frozenset(windows)


def extract(day: str, transcript_id: str, redacted_text: str, taxonomy: Taxonomy) -> CallFeatures:
    sentences = caller_sentences(redacted_text)
    phrase_occurrences: Counter = Counter()
    caller_words = 0
    for sentence in sentences:
        for run in word_runs(sentence.tokens):
            caller_words += len(run)
            phrase_occurrences.update(phrase_rules.candidates(run))
    kind, group = caller_type(sentences, taxonomy)
    found, center = mentions(sentences, taxonomy)
    return CallFeatures(
        day=day,
        transcript_id=transcript_id,
        concern_order=concern_order(sentences, taxonomy),
        caller_type=kind,
        caller_group=group,
        mentions=tuple(found),
        center_mentions=center,
        objections=objection_sentences(sentences, taxonomy),
        phrase_occurrences=phrase_occurrences,
        caller_words=caller_words,
        quote_windows=quote_windows(redacted_text),
    )


def extract_frame(redacted, taxonomy: Taxonomy) -> list[CallFeatures]:
    """Features for every row of a redacted_transcripts frame (columns day, transcript_id, redacted_text)."""
    return [extract(d, t, text or "", taxonomy) for d, t, text in redacted.select("day", "transcript_id", "redacted_text").iter_rows()]
