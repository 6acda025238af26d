"""Word errors of a transcript sorted into classes: what the ASR benchmark's WER is made of.

``score_call`` counts word errors; this module says which kind they are, so that a scoring artefact (the
reference and the transcript say the same words in another form) can be told from a real error, and the
decoder is tuned against the biggest real class. Each channel's reference and transcript are aligned word by
word (``wer_tokens``, the WER's own tokens; the same minimal edit distance as the WER), the errors between two
matched words form one *cluster*, and each cluster, or each edit inside it, gets one class:

- ``form``: the cluster's reference and transcript have the same letters and digits once spaces are dropped
  ("pipefitter" / "pipe fitter", "wifi" / "wi fi"): the same words written another way;
- ``dropped_stretch``: ``STRETCH`` or more reference words in a row with nothing in the transcript (the VAD cut
  speech, or the decoder skipped a window);
- ``repeated_insertion``: inserted words that repeat what the transcript just said, or repeat themselves
  ("friday friday friday", "0 0 0 0"), and a cluster whose transcript side is such a loop: a decoding loop;
- ``other_channel``: two or more inserted words that the other speaker's reference says (a turn heard on the
  wrong channel, or one side's audio leaking into the other's);
- ``inserted_stretch``: ``STRETCH`` or more inserted words that are none of the above (hallucination);
- then edit by edit, by the reference word (an insertion by its own word): ``number`` (a digit),
  ``identifier`` (inside a span the gold marks as a Safe Harbor identifier: names, places, dates ...),
  ``vertical`` (inside an insurer or competitor span, or a drug word); then, in a cluster of ``PHRASE`` edits or
  more, ``garbled_phrase`` (a stretch heard as other words); in a smaller one ``filler`` (fillers and discourse words
  Whisper's normaliser keeps: oh, ah, like, yeah ...; and a word said twice in a row, "tyler tyler"),
  ``contraction`` (a word a contraction expands to: is, am, will, would, have, not ...; "I'll" heard as "I"),
  ``other``.

Counting only: nothing here is printed or stored but class totals (``error_classes``) and, for development
calls only, the most frequent clusters (``frequent_clusters``), which the benchmark never writes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cipher_pipeline.asr_text import wer_tokens

STRETCH = 5  # words in a row: fewer is a mishearing, this many is a lost or invented stretch of speech
LOOP_ROUNDS = 4  # "5 5 5" is a spoken 555; a unit said four times running in a cluster of errors is a loop
PHRASE = 3  # edits in one cluster from which it is a misheard phrase, not a word heard wrong
ERROR_CLASSES = ("form", "dropped_stretch", "repeated_insertion", "other_channel", "inserted_stretch", "number",
                 "identifier", "vertical", "garbled_phrase", "filler", "contraction", "other")
VERTICAL_CATEGORIES = ("INSURER", "COMPETITOR")
# the gold's identifier categories (Safe Harbor), numbers aside: a digit counts as ``number`` wherever it stands
IDENTIFIER_CATEGORIES = ("NAME", "GEO", "DATE", "FACILITY", "EMAIL", "URL", "IP", "OTHER_UNIQUE", "PHONE", "FAX",
                         "SSN", "MRN", "HEALTH_PLAN_ID", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "OTHER_ID")
FILLERS = frozenset("oh ah uh um er eh hm hmm mhm like yeah yep yes ok so well just i mean you know".split())
CONTRACTION_WORDS = frozenset("is am are will would have has had not us".split())


@dataclass(frozen=True)
class Edit:
    kind: str  # "S" substitution, "D" deletion (reference word missing), "I" insertion
    ref: str | None
    hyp: str | None
    ref_index: int | None  # position of the reference word (for a D or S), else of the next reference word


def align(reference: list[str], hypothesis: list[str]) -> list[tuple[str, str | None, str | None, int]]:
    """A minimal word alignment: ("=", ref, hyp, i), ("S", ref, hyp, i), ("D", ref, None, i), ("I", None, hyp, i),
    ``i`` the reference position. Quadratic time and memory in the words of one channel (a few hundred)."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        row, above, r = cost[i], cost[i - 1], reference[i - 1]
        for j in range(1, m + 1):
            row[j] = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (r != hypothesis[j - 1]))
    ops = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            same = reference[i - 1] == hypothesis[j - 1]
            ops.append(("=" if same else "S", reference[i - 1], hypothesis[j - 1], i - 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            ops.append(("D", reference[i - 1], None, i - 1))
            i -= 1
        else:
            ops.append(("I", None, hypothesis[j - 1], i))
            j -= 1
    return ops[::-1]


def tagged_reference(turns: list[dict], drug_words: set[str]) -> tuple[list[str], list[str]]:
    """One channel's reference tokens (as ``wer_tokens`` makes them) and a tag per token: the gold category of
    the span it lies in ("vertical", "identifier") or "" outside spans. Each turn is tokenised in pieces cut at
    its spans' edges, so a token knows its span; a number said across a span edge would split differently
    than in the WER's tokens, so the two token counts may differ by a few words (both are reported)."""
    tokens: list[str] = []
    tags: list[str] = []
    for turn in turns:
        text, pos = turn["text"], 0
        spans = sorted((s for s in turn.get("spans", []) if "start" in s), key=lambda s: s["start"])
        pieces: list[tuple[str, str]] = []
        for span in spans:
            if span["start"] < pos:
                continue  # overlapping spans: the first one tags the words
            pieces.append((text[pos:span["start"]], ""))
            category = span["category"]
            tag = ("vertical" if category in VERTICAL_CATEGORIES
                   else "identifier" if category in IDENTIFIER_CATEGORIES else "")
            pieces.append((text[span["start"]:span["end"]], tag))
            pos = span["end"]
        pieces.append((text[pos:], ""))
        for piece, tag in pieces:
            for token in wer_tokens(piece):
                tokens.append(token)
                tags.append(tag or ("vertical" if token in drug_words else ""))
    return tokens, tags


def _clusters(ops):
    """Runs of consecutive non-matching edits (the errors between two matched words)."""
    run = []
    for op in ops:
        if op[0] == "=":
            if run:
                yield run
            run = []
        else:
            run.append(op)
    if run:
        yield run


def _letters(words) -> str:
    return "".join(words)


def _loop_run(words: list[str | None]) -> tuple[int, int] | None:
    """(start, end) of the longest stretch where one unit of 1-3 transcript words repeats ``LOOP_ROUNDS`` times or
    more in a row (None where an edit has no transcript word), or None."""
    best = None
    for i in range(len(words)):
        if words[i] is None:
            continue
        for unit in range(1, 4):
            end = i + unit
            while end < len(words) and words[end] is not None and words[end] == words[end - unit]:
                end += 1
            rounds = (end - i) // unit
            if rounds >= LOOP_ROUNDS and (best is None or end - i > best[1] - best[0]):
                best = (i, i + rounds * unit)
    return best


def _repeats(inserted: list[str], before: list[str]) -> bool:
    """The inserted words repeat what came just before them, or one unit of 1-3 words repeats itself."""
    n = len(inserted)
    if n >= 2 and before[-n:] == inserted:
        return True
    for unit in range(1, 4):
        if n >= 3 * unit and all(inserted[k] == inserted[k % unit] for k in range(n)):
            return True
    return False


def classify(ref: list[str], tags: list[str], hyp: list[str], other_reference: list[str] | None = None) -> Counter:
    """Word errors of one channel by class (``ERROR_CLASSES``); the counts add up to the edit distance.
    ``other_reference``: the other speaker's reference tokens (inserted words that pair up as they do there)."""
    ops = align(ref, hyp)
    other_pairs = set(zip(other_reference or [], (other_reference or [])[1:]))
    out: Counter = Counter()
    hyp_before: list[str] = []
    index = 0
    while index < len(ops):
        if ops[index][0] == "=":
            hyp_before.append(ops[index][2])
            index += 1
            continue
        end = index
        while end < len(ops) and ops[end][0] != "=":
            end += 1
        cluster = ops[index:end]
        out.update(_cluster_classes(cluster, ref, tags, hyp_before, other_pairs))
        hyp_before.extend(op[2] for op in cluster if op[2] is not None)
        index = end
    return out


def _cluster_classes(cluster, ref, tags, hyp_before, other_pairs) -> Counter:
    out: Counter = Counter()
    ref_words = [op[1] for op in cluster if op[1] is not None]
    hyp_words = [op[2] for op in cluster if op[2] is not None]
    if ref_words and hyp_words and _letters(ref_words) == _letters(hyp_words):
        out["form"] += len(cluster)
        return out
    edits = list(cluster)
    deleted = sum(op[0] == "D" for op in edits)
    if deleted >= STRETCH and deleted >= 0.8 * len(edits):  # speech the transcript does not have
        out["dropped_stretch"] += len(edits)
        return out
    loop = _loop_run([op[2] for op in edits])
    if loop:  # a loop written over what was said, or beside it: its edits are the loop's
        start, end = loop
        out["repeated_insertion"] += end - start
        edits = edits[:start] + edits[end:]
        if not edits:
            return out
    inserted = [op[2] for op in edits if op[0] == "I"]
    if inserted and _repeats(inserted, hyp_before):
        out["repeated_insertion"] += len(inserted)
        edits = [op for op in edits if op[0] != "I"]
    elif len(inserted) >= 2 and sum(pair in other_pairs for pair in zip(inserted, inserted[1:])) >= 0.5 * (
            len(inserted) - 1):
        out["other_channel"] += len(inserted)
        edits = [op for op in edits if op[0] != "I"]
    elif len(inserted) >= STRETCH and len(inserted) >= 0.8 * len(edits):
        out["inserted_stretch"] += len(edits)
        return out
    previous_tag = ""
    phrase = len(edits) >= PHRASE
    for kind, ref_word, hyp_word, ref_index in edits:
        tag = previous_tag
        if kind != "I":
            tag = previous_tag = tags[ref_index] if ref_index < len(tags) else ""
        said_twice = kind == "D" and ref_index > 0 and ref[ref_index - 1] == ref_word
        out[_edit_class(kind, ref_word, hyp_word, tag, said_twice, phrase)] += 1
    return out


def _edit_class(kind, ref_word, hyp_word, tag, said_twice, phrase) -> str:
    if (ref_word or "").isdigit() or (kind == "I" and (hyp_word or "").isdigit()):
        return "number"
    if tag in ("identifier", "vertical"):
        return tag
    if phrase:  # inside a misheard phrase a word's own kind says nothing ("is she willing" -> "of shivering")
        return "garbled_phrase"
    words = {w for w in (ref_word, hyp_word) if w}
    if said_twice or words & FILLERS:
        return "filler"
    if words & CONTRACTION_WORDS:
        return "contraction"
    return "other"


def channel_error_classes(gold: dict, channels: dict[str, str], drug_words: set[str]) -> dict[str, Counter]:
    """Word errors of each channel of one call by class, plus ``"_ref_words"``, the tagged reference's length:
    {speaker: Counter}. Per channel, so they can be grouped by the voice that spoke it (``gold["voices"]``)."""
    references = {}
    for speaker in ("agent", "caller"):
        references[speaker] = tagged_reference([t for t in gold["turns"] if t["speaker"] == speaker], drug_words)
    out: dict[str, Counter] = {}
    for speaker, other in (("agent", "caller"), ("caller", "agent")):
        ref, tags = references[speaker]
        out[speaker] = classify(ref, tags, wer_tokens(channels.get(speaker, "") or ""), references[other][0])
        out[speaker]["_ref_words"] += len(ref)
    return out


def call_error_classes(gold: dict, channels: dict[str, str], drug_words: set[str]) -> Counter:
    """Word errors of one call (both channels) by class, plus ``"_ref_words"``, the tagged reference's length."""
    return sum(channel_error_classes(gold, channels, drug_words).values(), Counter())


def frequent_clusters(gold: dict, channels: dict[str, str], drug_words: set[str]) -> Counter:
    """(reference words, transcript words) of every error cluster of a call, counted: the audit's reading list.
    Development calls only; the benchmark never writes it."""
    out: Counter = Counter()
    for speaker in ("agent", "caller"):
        ref, _ = tagged_reference([t for t in gold["turns"] if t["speaker"] == speaker], drug_words)
        for cluster in _clusters(align(ref, wer_tokens(channels.get(speaker, "") or ""))):
            out[(" ".join(op[1] for op in cluster if op[1]), " ".join(op[2] for op in cluster if op[2]))] += 1
    return out
