"""Objection clusters with ids that stay the same across days.

Objection sentences are embedded (all-MiniLM-L6-v2, ``embed.py``). Each is first matched to the taxonomy's
prototype objections (a few example sentences per type; a sentence is scored against each type's nearest
example): a sentence whose best type is at least ``similarity_to_prototype`` similar joins that type, whose id never changes. The rest are clustered
with scikit-learn (agglomerative, cosine, average linkage, a distance threshold rather than a cluster count,
so a quiet day does not force clusters); such an emergent cluster is named by its most widespread label
phrase, so the same language gives the same id on another day.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from cipher_pipeline.insights import embed
from cipher_pipeline.insights.features import CallFeatures, rule_type
from cipher_pipeline.insights.phrases import candidates
from cipher_pipeline.insights.taxonomy import Taxonomy
from cipher_pipeline.insights.text import word_runs

EMERGENT_DISTANCE = 0.45  # cosine distance under which unmatched objections join one cluster


@dataclass
class Clusters:
    members: dict[str, set[int]]  # cluster id -> indices of calls with an objection in it
    labels: dict[str, list[str]]  # cluster id -> up to three label phrases, most widespread first


@lru_cache(maxsize=4)
def _prototype_matrix(prototypes: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[list[str], np.ndarray]:
    """Every example sentence of every type, embedded: one row per example, ``ids`` naming each row's type."""
    ids = [pid for pid, examples in prototypes for _ in examples]
    return ids, embed.embed([e for _, examples in prototypes for e in examples])


def prototype_scores(vectors: np.ndarray, taxonomy: Taxonomy) -> tuple[list[str], np.ndarray]:
    """Per sentence and type, the similarity to the type's nearest example sentence.

    The nearest example rather than the type's mean: a type holds several shapes of the same objection (an
    outright refusal, a denial, a family member relaying the patient's minimising claim), and their mean sits
    near none of them, so a sentence of the rarer shape fell under the threshold although it echoed one example."""
    prototypes = tuple(sorted(taxonomy.objection_prototypes.items()))
    rows, examples = _prototype_matrix(prototypes)
    types = [t for t, _ in prototypes]
    sims = vectors @ examples.T
    row_type = np.array([types.index(r) for r in rows])
    scores = np.full((len(vectors), len(types)), -1.0)
    for j in range(len(types)):
        scores[:, j] = sims[:, row_type == j].max(1)
    return types, scores


def _sentence_phrases(sentence: str) -> set[str]:
    return {p for run in word_runs(sentence.split()) for p in candidates(run)}


def cluster(calls: list[CallFeatures], taxonomy: Taxonomy, publishable_phrases: set[str]) -> Clusters:
    items = [(i, s) for i, call in enumerate(calls) for s in call.objections]
    if not items:
        return Clusters({}, {})
    # Placeholders read as plain words to the model ("<NAME>" -> "someone").
    texts = [re.sub(r"<[A-Z_]+(?::[a-z0-9_]+)?>", "someone", s) for _, s in items]
    vectors = embed.embed(texts)
    ids, sims = prototype_scores(vectors, taxonomy)
    # A type with a rule: the embedding may assign it only above the stricter ``ruled_type_similarity``, and
    # never to a sentence its exclusions match (an admission, "he says he cant stop", which MiniLM puts next to
    # "he says he can stop").
    for j, t in enumerate(ids):
        rule = taxonomy.objection_rules.get(t)
        if rule is not None:
            for n, (_, sentence) in enumerate(items):
                if rule.excluded(tuple(sentence.split())) or sims[n, j] < taxonomy.ruled_type_similarity:
                    sims[n, j] = -1.0
    assigned: list[str | None] = [ids[j] if sims[n, j] >= taxonomy.prototype_similarity else None for n, j in enumerate(sims.argmax(1))]
    # A type's rule outranks the embedding: it reads the negation the embedding misses.
    assigned = [rule_type(tuple(s.split()), taxonomy) or a for (_, s), a in zip(items, assigned)]
    rest = [n for n, a in enumerate(assigned) if a is None]
    if len(rest) >= 2:
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=EMERGENT_DISTANCE)
        for n, label in zip(rest, model.fit_predict(vectors[rest])):
            assigned[n] = f"_tmp{label}"
    members: dict[str, set[int]] = defaultdict(set)
    phrase_calls: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (call_index, sentence), cid in zip(items, assigned):
        if cid is None:
            continue
        members[cid].add(call_index)
        for phrase in _sentence_phrases(sentence) & publishable_phrases:
            phrase_calls[cid][phrase].add(call_index)
    labels: dict[str, list[str]] = {}
    final: dict[str, set[int]] = {}
    for cid, calls_in in members.items():
        ranked = sorted(phrase_calls[cid].items(), key=lambda kv: (-len(kv[1]), -len(kv[0].split()), kv[0]))
        top = [p for p, _ in ranked[:3]]
        if cid.startswith("_tmp"):
            if not top:
                continue  # no phrase shared widely enough to name it without quoting: not published
            cid_final = "emergent:" + top[0]
        else:
            cid_final = cid
        final.setdefault(cid_final, set()).update(calls_in)
        labels.setdefault(cid_final, top)
    return Clusters(final, labels)
