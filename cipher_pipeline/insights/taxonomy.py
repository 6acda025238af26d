"""The editable insight taxonomy (``assets/insights/taxonomy.yaml``) compiled into matchers over token lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cipher_pipeline.insights.text import normalise


@dataclass(frozen=True)
class Term:
    """A whole-word token pattern; a trailing ``*`` on the last word matches any ending."""

    words: tuple[str, ...]
    prefix: bool

    @classmethod
    def parse(cls, text: str) -> "Term":
        prefix = text.endswith("*")
        return cls(tuple(normalise(text.rstrip("*"))), prefix)

    def spans(self, tokens: tuple[str, ...]) -> list[tuple[int, int]]:
        n = len(self.words)
        found = []
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n - 1] != self.words[:-1]:
                continue
            last = tokens[i + n - 1]
            if last == self.words[-1] or (self.prefix and last.startswith(self.words[-1])):
                found.append((i, i + n))
        return found


def _terms(values) -> tuple[Term, ...]:
    return tuple(Term.parse(str(v)) for v in values or [])


@dataclass(frozen=True)
class Near:
    groups: tuple[frozenset[str], ...]
    window: int

    def spans(self, tokens: tuple[str, ...]) -> list[tuple[int, int]]:
        first, second = self.groups[0], self.groups[1]
        found = []
        for i, tok in enumerate(tokens):
            if tok in first:
                for j in range(max(0, i - self.window), min(len(tokens), i + self.window + 1)):
                    if j != i and tokens[j] in second:
                        found.append((min(i, j), max(i, j) + 1))
        return found


@dataclass(frozen=True, kw_only=True)
class Matcher:
    """Whole-word terms, proximity rules and exclusions over a sentence's tokens ("more than keywords"); an
    entity placeholder (``<INSURER>``) of a listed kind matches too."""

    terms: tuple[Term, ...]
    near: tuple[Near, ...] = ()
    exclude: tuple[Term, ...] = ()
    entities: frozenset[str] = field(default_factory=frozenset)

    def excluded(self, tokens: tuple[str, ...]) -> bool:
        return any(term.spans(tokens) for term in self.exclude)

    def first_match(self, tokens: tuple[str, ...]) -> int | None:
        """Token index of the first match in ``tokens``, or None."""
        excluded = [span for term in self.exclude for span in term.spans(tokens)]
        best = None
        for matcher in (*self.terms, *self.near):
            for start, end in matcher.spans(tokens):
                if any(s <= start and end <= e or (s < end and start < e) for s, e in excluded):
                    continue
                best = start if best is None else min(best, start)
        for i, tok in enumerate(tokens):
            if tok.startswith("<") and tok[1:-1].split(":")[0] in self.entities:
                best = i if best is None else min(best, i)
        return best


@dataclass(frozen=True, kw_only=True)
class Concern(Matcher):
    name: str
    label: str


@dataclass(frozen=True)
class CallerType:
    name: str
    group: str
    cues: tuple[Term, ...]


@dataclass(frozen=True)
class Taxonomy:
    concerns: tuple[Concern, ...]
    caller_types: tuple[CallerType, ...]
    calling_for_prefixes: tuple[Term, ...]
    objection_cues: tuple[Term, ...]
    objection_near: tuple[Near, ...]
    objection_rules: dict[str, Matcher]
    objection_prototypes: dict[str, tuple[str, ...]]
    prototype_similarity: float
    ruled_type_similarity: float
    framing: dict[str, tuple[Term, ...]]
    center_names: tuple[Term, ...]
    center_cues: tuple[Term, ...]

    def concern(self, name: str) -> Concern:
        return next(c for c in self.concerns if c.name == name)

    def label(self, name: str) -> str:
        return next((c.label for c in self.concerns if c.name == name), name.replace("_", " "))


def _near(rules) -> tuple[Near, ...]:
    return tuple(
        Near(tuple(frozenset(normalise(" ".join(map(str, g)))) for g in rule["words"]), int(rule.get("window", 4)))
        for rule in rules or []
    )


def parse(spec: dict) -> Taxonomy:
    concerns = tuple(
        Concern(
            name=name,
            label=str(body.get("label", name.replace("_", " "))),
            terms=_terms(body.get("terms")),
            near=_near(body.get("near")),
            exclude=_terms(body.get("exclude")),
            entities=frozenset(body.get("entities") or []),
        )
        for name, body in spec["concerns"].items()
    )
    for concern in concerns:
        if len(concern.label.split()) >= 6:
            raise ValueError(f"concern label {concern.label!r} has six or more words (no-verbatim rule)")
    caller_types = tuple(
        CallerType(name, str(body["group"]), _terms(body["cues"])) for name, body in spec["caller_types"].items()
    )
    objections = spec["objections"]
    return Taxonomy(
        concerns=concerns,
        caller_types=caller_types,
        calling_for_prefixes=_terms(spec.get("calling_for_prefixes")),
        objection_cues=_terms(objections["cues"]),
        objection_near=_near(objections.get("near")),
        objection_rules={
            name: Matcher(terms=_terms(body.get("terms")), near=_near(body.get("near")), exclude=_terms(body.get("exclude")))
            for name, body in (objections.get("rules") or {}).items()
        },
        objection_prototypes={k: tuple(map(str, v)) for k, v in objections["prototypes"].items()},
        prototype_similarity=float(objections.get("similarity_to_prototype", 0.55)),
        ruled_type_similarity=float(objections.get("ruled_type_similarity", 0.55)),
        framing={k: _terms(v) for k, v in spec["competitor_framing"].items()},
        center_names=_terms(spec["center"]["names"]),
        center_cues=_terms(spec["center"]["address_cues"]),
    )


@lru_cache(maxsize=8)
def load(path: Path) -> Taxonomy:
    return parse(yaml.safe_load(Path(path).read_text()))


def default_path(specs_dir: Path) -> Path:
    return Path(specs_dir) / "insights" / "taxonomy.yaml"
