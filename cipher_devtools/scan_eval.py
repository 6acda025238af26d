"""Measurement harness of the residual scan (a developer tool, not part of the gate's import path).

What the gate is worth is the share of the redactor's *misses* that the scan flags, so this harness runs the
current redactor (``cipher_pipeline.deid``, as a black box that turns raw text into redacted text and spans) over
independently annotated corpora, finds the gold identifiers it left, maps them into the redacted text and asks
whether the scan flags them. It reports:

- ``miss_recall``: of the gold identifiers the redactor missed, the share the scan flags (a finding overlaps a word
  token of the identifier that the redactor left and Safe Harbor requires gone);
- ``false_alarms_per_10k``: scan findings in the redacted text that overlap no gold identifier, per 10,000
  whitespace tokens of redacted text;
- ``raw_recall``: the scan on the *unredacted* text, share of all gold identifiers it flags; it does not depend on
  the redactor, which is being changed in parallel, and says what the scan would catch of any miss;
- ``raw_false_alarms_per_10k``: findings on the raw text outside every gold span, per 10,000 tokens.

Corpora: ``calls_dev`` (80 hand-written calls; develop on odd + even-A, report on even-B), the presidio-research
set and PhysioNet DEID notes when a git mirror of cliffordlab/DEID-2023 is given (both with ``--split dev`` to
develop on and ``--split held-out`` to report), and Whisper's transcripts of calls_dev (``--corpus asr``). The scan
itself (``cipher_pipeline.gate.residual``) never imports the redactor; only this harness does.

Nothing here prints an identifier unless ``--show`` is given, and then only for development data (calls_dev's
development calls, and ``--split dev`` of PhysioNet and presidio).

    python -m cipher_devtools.scan_eval --corpus calls_dev --half odd [--show]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from cipher_devtools import evaluate as deid_evaluate
from cipher_pipeline.gate.residual import Residual, count_tokens, scan_text
from cipher_pipeline.gate.thresholds import load_thresholds
from cipher_pipeline.settings import shared_data_dir

# Gold categories of calls_dev that Safe Harbor requires removed. FACILITY (employers, courts, probation
# departments) can single a caller out, so a finding on one is neither a miss nor a false alarm: it is ignored.
# COMPETITOR and INSURER are not identifiers of a person: a finding on them is a false alarm.
CALLS_IDENTIFIERS = frozenset(
    "NAME GEO DATE PHONE FAX EMAIL URL IP SSN MRN HEALTH_PLAN_ID ACCOUNT LICENSE VEHICLE DEVICE OTHER_ID "
    "OTHER_UNIQUE".split()
)
CALLS_IGNORED = frozenset({"FACILITY"})
PRESIDIO_IDENTIFIERS = {
    "PERSON": "NAME", "STREET_ADDRESS": "GEO", "GPE": "GEO", "CREDIT_CARD": "ACCOUNT", "IBAN_CODE": "ACCOUNT",
    "DATE_TIME": "DATE", "PHONE_NUMBER": "PHONE", "AGE": "AGE", "EMAIL_ADDRESS": "EMAIL", "ZIP_CODE": "GEO",
    "DOMAIN_NAME": "URL", "US_SSN": "SSN", "IP_ADDRESS": "IP", "US_DRIVER_LICENSE": "LICENSE",
}  # fmt: skip
PRESIDIO_IGNORED = frozenset({"ORGANIZATION", "TITLE", "NRP"})

_TOKEN = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SPOKEN_YEAR_TAIL = re.compile(
    r"(?:,?\s+|^)((?:1[89]|20)\d\d|'\d\d|(?:nineteen|twenty)[\s-]+(?:oh[\s-]+\w+|(?!\w+(?:st|nd|rd|th)\b)\w+(?:[\s-]+(?!\w+(?:st|nd|rd|th)\b)\w+)?)|"
    r"two\s+thousand(?:\s+and)?(?:[\s-]+\w+){0,2}|"
    # a two-digit year said after the day: "august ninth, sixty six", "march seventh. eighty one"
    r"(?<=[,.]\s)(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|(?<=[,.]\s)(?:oh[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine)|(?<=[,.]\s)\d\d)\s*$",
    re.I,
)
_YEAR_AFTER_ORDINAL_DAY = re.compile(
    r"\b(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|\w+tieth|"
    r"[0-3]?\d(?:st|nd|rd|th))[\s-]+((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|"
    r"three|four|five|six|seven|eight|nine))?|oh[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))"
    # after the month only what cannot be its day ("june twenty" is the 20th; "may eighty nine" is a year)
    r"|(?:january|february|march|april|may|june|july|august|september|october|november|december)[\s-]+"
    r"((?:forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"oh[\s-]+(?:one|two|three|four|five|six|seven|eight|nine)))\s*$",
    re.I,
)
_STATES = frozenset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois "
    "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri "
    "montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington "
    "wisconsin wyoming al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc usa us".split()
)
_STATE_PAIRS = ("new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
                "rhode island", "south carolina", "south dakota", "west virginia", "united states")  # fmt: skip


_FUNCTION_WORDS = frozenset("a an the on by of at in and or off near to for from with um uh like".split())


@dataclass
class Gold:
    start: int
    end: int
    category: str  # a Safe Harbor category, or "IGNORED"
    required: list[tuple[int, int]]  # word-token ranges Safe Harbor requires gone (years and states may stay)


@dataclass
class Doc:
    id: str
    text: str
    gold: list[Gold]


def _required_tokens(text: str, start: int, end: int, category: str) -> list[tuple[int, int]]:
    value = text[start:end]
    exempt: list[tuple[int, int]] = []
    if category == "DATE":
        m = _SPOKEN_YEAR_TAIL.search(value)
        if m and m.start(1) > 0:  # the year of a full date may stay; a date that is only a year is not marked
            exempt.append((m.start(1), m.end(1)))
        # "may first ninety eight", "the second of may eighty nine": a two-digit year said right after the day's
        # ordinal or the month, with no comma (the tail above needs one)
        m = _YEAR_AFTER_ORDINAL_DAY.search(value)
        if m:
            group = 1 if m.group(1) else 2
            exempt.append((m.start(group), m.end(group)))
    if category == "GEO":
        low = value.lower()
        for pair in _STATE_PAIRS:
            for m in re.finditer(re.escape(pair), low):
                exempt.append((m.start(), m.end()))
        # a country in an address ("..., Tallinn 10115, Estonia") is no smaller than a state, as one alone is not
        for m in _country_pattern().finditer(value):
            exempt.append((m.start(), m.end()))
    tokens = list(_TOKEN.finditer(value))

    def state_alone(index: int) -> bool:
        # "Springs, CO", "Dayton, Ohio 45402": a state after the place may stay; "Colorado Springs" is a city
        if index + 1 >= len(tokens):
            return True
        nxt = tokens[index + 1]
        return "," in value[tokens[index].end() : nxt.start()] or nxt.group().isdigit()

    out = []
    # Function words inside a gold span ("Walmart *on* Oglethorpe Highway", "*the* 4th") identify nobody: a span
    # whose identifying words were all redacted is not a leak because "on" or "the" stayed.
    for index, m in enumerate(tokens):
        if m.group().lower() in _FUNCTION_WORDS:
            continue
        if any(s <= m.start() and m.end() <= e for s, e in exempt):
            continue
        if category == "DATE" and _YEAR.fullmatch(m.group()):
            continue
        if category == "GEO" and m.group().lower() in _STATES and state_alone(index):
            continue
        out.append((start + m.start(), start + m.end()))
    return out


def load_calls_dev(path: Path | None = None, half: str = "all", style: str | None = None) -> list[Doc]:
    """calls_dev.md as documents (one per call, one line per turn), with gold spans in plain-text offsets.

    The markup is read by the one calls_dev reader, ``cipher_devtools.evaluate.load_calls_dev``; this only
    re-labels its spans for the scan (which categories must be flagged, which are ignored). ``style`` is the
    reader's: "clean" (punctuated calls), "asr" (the raw half), "projected" (the punctuated calls rewritten in the raw
    half's style), None for clean and asr together."""
    docs = []
    for source in deid_evaluate.load_calls_dev(path or deid_evaluate.CALLS_DEV_DEFAULT_PATH, half=None if half == "all" else half,
                                               style=style):
        text = source.text[:-1] if source.text.endswith("\n") else source.text  # no newline after the last turn
        gold = [Gold(s.start, s.end, s.category, []) for s in source.spans]
        for g in gold:
            if g.category in CALLS_IGNORED or g.category not in CALLS_IDENTIFIERS:
                g.category = "IGNORED" if g.category in CALLS_IGNORED else "NOT_IDENTIFIER"
            else:
                g.required = _required_tokens(text, g.start, g.end, g.category)
        docs.append(Doc(source.id, text, gold))
    return docs


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from faker.providers.address.en_US import Provider  # Faker (a runtime dependency): its list of countries

    return frozenset(c.lower() for c in Provider.countries)


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names = sorted((re.escape(c) for c in _countries() if len(c) > 3), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:the\s+)?(?:" + "|".join(names) + r")(?![\w-])", re.I)


def _is_country(value: str) -> bool:
    """"Estonia", "Cyprus (Greek)", "the United Kingdom": a country. Safe Harbor removes only geographic units
    smaller than a state, so a country may stay (until session 6 presidio's countries counted as misses)."""
    name = re.sub(r"\s*\(.*?\)\s*$", "", value.strip()).lower()
    return name.removeprefix("the ") in _countries()


# The presidio-research sentences split by position, so a false-alarm class read off one half is checked on the
# other: "dev" (even positions) is where the scan's rules are developed, "held-out" (odd) is scored only. The
# sentences come from shared templates, so the halves are less independent than PhysioNet's patients.
PRESIDIO_SPLITS: dict[str, Callable[[int], bool]] = {"dev": lambda i: i % 2 == 0, "held-out": lambda i: i % 2 == 1}


def load_presidio(path: Path | None = None, split: str | None = None) -> list[Doc]:
    path = path or shared_data_dir() / "deid" / "presidio_synth_dataset_v2.json"
    docs = []
    keep = PRESIDIO_SPLITS[split] if split else (lambda i: True)
    for i, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        if not keep(i):
            continue
        text = item["full_text"]
        gold = []
        for span in item.get("spans", []):
            kind = span["entity_type"]
            s, e = int(span["start_position"]), int(span["end_position"])
            if kind in PRESIDIO_IGNORED:
                gold.append(Gold(s, e, "IGNORED", []))
                continue
            category = PRESIDIO_IDENTIFIERS.get(kind)
            if category is None:
                continue
            value = text[s:e]
            if category == "AGE" and not re.search(r"\b(?:9\d|1[01]\d)\b|ninety|hundred", value, re.I):
                gold.append(Gold(s, e, "NOT_IDENTIFIER", []))  # ages of 89 or under may stay
                continue
            if category == "GEO" and kind == "GPE" and (
                value.lower().strip() in _STATES | set(_STATE_PAIRS) or _is_country(value)
            ):
                gold.append(Gold(s, e, "NOT_IDENTIFIER", []))  # a state or a country is no smaller than a state
                continue
            required = _required_tokens(text, s, e, category)
            gold.append(Gold(s, e, category if required else "NOT_IDENTIFIER", required))
        docs.append(Doc(f"presidio_{i:04d}", text, gold))
    return docs


def load_asr_corpus(path: Path, half: str = "all") -> list[Doc]:
    """Real faster-whisper output with identifiers projected onto what Whisper wrote.

    ``path`` is either a ``tests/data/asr_corpus/*.jsonl`` file (synthetic calls from the project's own generator,
    so not independent of what the redactor was built on) or a directory of ``call_NNN.json`` records (Whisper's
    transcripts of calls_dev, ``cipher bench --only asr --transcripts-dir``; ``half`` picks calls as for
    ``--corpus calls_dev``). INSURER and COMPETITOR are not identifiers of a person; PROVIDER (a clinic or hospital)
    and FACILITY (an employer, a court) are ignored either way, as in calls_dev."""
    rename = {"LOCATION": "GEO", "ZIP": "GEO"}
    if path.is_dir():
        keep = deid_evaluate.CALLS_DEV_HALVES.get(half, lambda n: True)
        records = [
            json.loads(f.read_text(encoding="utf-8"))
            for f in sorted(path.glob("call_*.json"))
            if keep(int(re.sub(r"\D", "", f.stem)))
        ]
    else:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = []
    for record in records:
        text = record["text"]
        gold = []
        for span in record.get("spans", []):
            s, e, category = int(span["start"]), int(span["end"]), span["category"]
            if category in ("INSURER", "COMPETITOR"):
                gold.append(Gold(s, e, "NOT_IDENTIFIER", []))
            elif category in ("PROVIDER", "FACILITY"):
                gold.append(Gold(s, e, "IGNORED", []))
            else:
                category = rename.get(category, category)
                required = _required_tokens(text, s, e, category)
                gold.append(Gold(s, e, category if required else "NOT_IDENTIFIER", required))
        docs.append(Doc(str(record["id"]), text, gold))
    return docs


def load_physionet(root: Path, split: str | None = None) -> list[Doc]:
    """The PhysioNet DEID gold standard (2,434 nursing notes) as the de-id scorer reads it
    (``cipher_devtools.evaluate.load_physionet``: ``id.text`` and the typed ``id-phi.phrase`` of a git mirror of
    cliffordlab/DEID-2023, read in place), re-labelled for the scan: a year on its own (``DateYear``) may stay, and
    a full date keeps its year. ``split``: a key of ``evaluate.PHYSIONET_SPLITS`` (``dev``: odd patients, where the
    scan's chart rules are developed; ``held-out``: even patients, scores only), None for every note.

    Until session 6 this read the untyped ``id.phi``, whose offsets do not fit the text of many notes (it marked
    "stabel", "wein" and lab ranges as PHI); every PhysioNet figure before then counted those as misses and
    excused findings on them."""
    docs = []
    for source in deid_evaluate.load_physionet(root, split=split):
        gold = []
        for span in source.spans:
            if span.category is None:
                gold.append(Gold(span.start, span.end, "NOT_IDENTIFIER", []))
                continue
            category = "GEO" if span.category == "LOCATION" else span.category
            required = _required_tokens(source.text, span.start, span.end, category)
            gold.append(Gold(span.start, span.end, category if required else "NOT_IDENTIFIER", required))
        docs.append(Doc(f"physionet_{source.id}", source.text, gold))
    return docs


# ----------------------------------------------------------------------------------------------- redaction
@dataclass
class Redacted:
    text: str
    spans: list[tuple[int, int]]  # redactor spans, offsets into the raw text
    to_redacted: Callable[[int], int | None]  # raw offset outside every span -> offset in the redacted text
    placed: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, placeholder) per span


def _redactor_fingerprint() -> str:
    """A digest of the redactor's source and data files: a cached redaction is reused only by the same redactor."""
    import cipher_pipeline.deid as deid_package

    digest = hashlib.sha256()
    root = Path(deid_package.__file__).parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def redact_docs(docs: Sequence[Doc], cache_dir: Path | None = None, speech_recognized: bool = False) -> list[Redacted | None]:
    """The current redactor over every document (imported here only: the scan never sees it).

    With ``cache_dir``, the redactor's spans are kept there under a digest of the redactor's files and of the
    documents, so re-scoring a changed scan does not re-run an unchanged redactor (the cache holds corpus text:
    keep it outside the repository, e.g. under /tmp)."""
    if cache_dir is not None:
        key = hashlib.sha256(_redactor_fingerprint().encode() + (b"\x02asr" if speech_recognized else b""))
        for d in docs:
            key.update(d.id.encode() + b"\x00" + d.text.encode() + b"\x01")
        cached = Path(cache_dir) / f"redacted-{key.hexdigest()[:20]}.json"
        if cached.exists():
            stored = json.loads(cached.read_text(encoding="utf-8"))
            return [None if item is None else _redacted_from_spans(doc.text, [tuple(s) for s in item])
                    for doc, item in zip(docs, stored)]
        out = redact_docs(docs, speech_recognized=speech_recognized)
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps([None if r is None else r.placed for r in out]), encoding="utf-8")
        return out
    from cipher_pipeline.deid import Redactor

    redactor = Redactor.default()
    try:
        results = redactor.redact_many([d.text for d in docs], speech_recognized=speech_recognized)
    except Exception:  # one text the redactor cannot handle: redact one by one and leave that one out
        results = []
        for d in docs:
            try:
                results.append(redactor.redact(d.text, speech_recognized=speech_recognized))
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                print(f"redactor failed on {d.id}: {type(exc).__name__}", file=sys.stderr)
                results.append(None)
    out: list[Redacted | None] = []
    for doc, res in zip(docs, results):
        if res is None:
            out.append(None)
            continue
        spans = sorted((s.start, s.end, s.placeholder) for s in res.spans)
        redacted = _redacted_from_spans(doc.text, spans)
        # the offset map is rebuilt from the spans: check it reproduces the redactor's text
        if redacted.text != res.redacted_text:
            raise RuntimeError(f"{doc.id}: the redactor's spans do not reproduce its text")
        out.append(redacted)
    return out


def _redacted_from_spans(raw: str, spans: list[tuple[int, int, str]]) -> Redacted:
    pieces, cursor = [], 0
    for s, e, placeholder in spans:
        pieces.append(raw[cursor:s])
        pieces.append(placeholder)
        cursor = e
    pieces.append(raw[cursor:])
    return Redacted("".join(pieces), [(s, e) for s, e, _ in spans], _make_mapper(spans), spans)


def _make_mapper(spans: list[tuple[int, int, str]]) -> Callable[[int], int | None]:
    starts = [s for s, _, _ in spans]
    cumulative = []  # shift after each span
    shift = 0
    for s, e, placeholder in spans:
        shift += len(placeholder) - (e - s)
        cumulative.append(shift)

    def mapper(offset: int) -> int | None:
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < spans[k][1]:
            return None  # inside a redacted span
        return offset + (cumulative[k] if k >= 0 else 0)

    return mapper


# ----------------------------------------------------------------------------------------------- scoring
@dataclass
class Tally:
    gold: Counter = field(default_factory=Counter)  # identifiers per category (raw)
    raw_flagged: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)  # identifiers the redactor left, per category
    missed_flagged: Counter = field(default_factory=Counter)
    raw_tokens: int = 0
    raw_false_alarms: Counter = field(default_factory=Counter)  # per scan category
    redacted_tokens: int = 0
    false_alarms: Counter = field(default_factory=Counter)
    # per scan rule: misses a finding of that rule overlapped, and false alarms it made (the operating curve)
    caught_by_rule: Counter = field(default_factory=Counter)
    false_alarms_by_rule: Counter = field(default_factory=Counter)
    miss_rule_sets: list[list[str]] = field(default_factory=list)  # per miss, the rules whose findings overlap it
    unflagged: list[dict] = field(default_factory=list)
    false_alarm_examples: list[dict] = field(default_factory=list)
    docs: int = 0
    redactor_failures: int = 0  # documents the redactor raised on: left out of the redacted figures
    scan_seconds: float = 0.0
    # per miss, what a text-only reader could see of it (:func:`miss_visibility`), and how many of each the scan caught
    visibility: Counter = field(default_factory=Counter)
    visibility_caught: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        def share(a: Counter, b: Counter) -> dict:
            return {c: f"{a[c]}/{b[c]}" for c in sorted(b)}

        total_missed = sum(self.missed.values())
        return {
            "docs": self.docs,
            "redactor_failures": self.redactor_failures,
            "miss_recall": round(sum(self.missed_flagged.values()) / total_missed, 4) if total_missed else None,
            "missed": total_missed,
            "missed_flagged": sum(self.missed_flagged.values()),
            "missed_by_category": share(self.missed_flagged, self.missed),
            "false_alarms": sum(self.false_alarms.values()),
            "redacted_tokens": self.redacted_tokens,
            "false_alarms_per_10k": round(10_000 * sum(self.false_alarms.values()) / max(self.redacted_tokens, 1), 3),
            "false_alarms_by_category": dict(sorted(self.false_alarms.items())),
            "caught_by_rule": dict(sorted(self.caught_by_rule.items())),
            "false_alarms_by_rule": dict(sorted(self.false_alarms_by_rule.items())),
            "operating_curve": operating_curve(self.miss_rule_sets, self.false_alarms_by_rule, self.redacted_tokens),
            "without_session5_context": point_without(
                self.miss_rule_sets, self.false_alarms_by_rule, self.redacted_tokens, SESSION5_CONTEXT_FAMILIES
            ),
            "raw_recall": round(sum(self.raw_flagged.values()) / max(sum(self.gold.values()), 1), 4),
            "raw_identifiers": sum(self.gold.values()),
            "raw_by_category": share(self.raw_flagged, self.gold),
            "raw_false_alarms_per_10k": round(10_000 * sum(self.raw_false_alarms.values()) / max(self.raw_tokens, 1), 3),
            "raw_false_alarms_by_category": dict(sorted(self.raw_false_alarms.items())),
            "scan_ms_per_doc": round(1000 * self.scan_seconds / max(self.docs, 1), 2),
            "miss_visibility": {k: f"{self.visibility_caught[k]}/{self.visibility[k]}" for k in VISIBILITY_CLASSES},
            "text_visible_share": round(
                (self.visibility["shape"] + self.visibility["slot"]) / total_missed, 4
            ) if total_missed else None,
        }


# The scan's detectors by family, in the order they were added: the operating curve enables them one family at a
# time. A rule no family names counts with the first (the word lists and cues every version had).
RULE_FAMILIES: dict[str, frozenset[str]] = {
    "structure beside cuts (session 3)": frozenset(
        "given_name_before_cut house_number_before_cut code_part_beside_cut nickname_cue cross_street "
        "travel_road_number name_echo date_answer_day age_answer".split()
    ),
    "dialogue positions (session 4)": frozenset(
        "site_place take_road_number chain_landmark spelled_run zip_after_cut letter_street is_this_name "
        "turn_end_vocative url_remnant".split()
    ),
    "Whisper text classes (session 4)": frozenset(
        "greeting_given_name campus_name town_prefix_before_cut glued_to_cut opening_intro".split()
    ),
    "unlisted places and uncued names (session 5)": frozenset(
        "movement_place near_place known_in_community person_predicate_name elder_age known_by_role".split()
    ),
    # round 3: detectors that need not have seen the shape, strongest context first (each grade its own step)
    "remnant beside a person or place cut (round 3)": frozenset({"remnant_beside_cut"}),
    # its word rule is off at the gate since session 7 (residual.SLOT_ANSWER_WORDS); its number rule stays
    "answers to an identifier question (round 3)": frozenset({"slot_answer_word", "slot_answer_number"}),
    "numbers of 3+ digits in caller turns (round 3)": frozenset({"caller_number"}),
    "Whisper's digit sounds and spoken slashes (session 6)": frozenset({"digit_sounds", "spoken_slash_date"}),
    # read only in the scan's chart register (written notes); the register's filter itself is not a family
    "chart signatures and relatives (session 6)": frozenset({"chart_signature", "chart_relative"}),
    # session 9: shapes beside what says what they are (residual._session9_shape_detectors)
    "shapes beside their cue (session 9)": frozenset({"digit_words_beside_cue", "month_spanish"}),
    # session 12: a surname the redactor left after the given name it cut (residual._beside_cut_detectors, 7)
    "evidence beside a placeholder (session 12)": frozenset({"surname_after_cut"}),
    # session 14: the agent's name in the opening turn, the rest of a spoken birth date beside its cut
    "opening name and birth-date rest (session 14)": frozenset({"opening_name_slot", "date_answer_rest"}),
    # session 15: the caller's name as the agent says it back (the campus as heard is session 4's campus_name, mended)
    "name said back (session 15)": frozenset({"ack_said_back_name"}),
    # the one fitted detector (session 7): on only where checks/gate_thresholds.yaml turns it on, or in --learned's curve
    "learned token model (session 7)": frozenset({"learned_token"}),
    # off at the gate (residual.UNGRADED_RARITY); only --rare-zipf's curve turns them on
    "rare capitalised words in caller turns (round 3, off)": frozenset({"rare_capitalised"}),
    "rare words in caller turns (round 3, off)": frozenset({"rare_word"}),
}


def operating_curve(miss_rule_sets: Sequence[Sequence[str]], false_alarms_by_rule: Counter, tokens: int) -> list[dict]:
    """Catch rate and false alarms per 10,000 tokens with the detector families enabled one after another.

    Read from one run with every detector on: a miss counts as caught by a family set when a finding of one of
    its rules overlapped it; false alarms add up by rule. (A finding that lost an overlap to a disabled rule's
    would have stood on its own; the curve ignores that, which makes its earlier points slightly pessimistic.)"""
    named = set().union(*RULE_FAMILIES.values())
    steps = [("word lists and cues", lambda r: r not in named)]
    for family, rules in RULE_FAMILIES.items():
        steps.append((family, lambda r, rules=rules: r in rules))
    points, active = [], []
    for label, member in steps:
        active.append(member)
        on = lambda r: any(m(r) for m in active)  # noqa: E731
        caught = sum(any(on(r) for r in rules) for rules in miss_rule_sets)
        fa = sum(n for r, n in false_alarms_by_rule.items() if on(r))
        points.append({
            "with": label,
            "miss_recall": round(caught / len(miss_rule_sets), 4) if miss_rule_sets else None,
            "missed_flagged": caught,
            "false_alarms": fa,
            "false_alarms_per_10k": round(10_000 * fa / max(tokens, 1), 3),
        })  # fmt: skip
    return points


# Session 5's round-3 families that two held-out sets said do not generalise (issue 9, session 7 decides them on
# the redteam corpus): the summary also gives the scan's point without them.
SESSION5_CONTEXT_FAMILIES = ("remnant beside a person or place cut (round 3)", "answers to an identifier question (round 3)")


def point_without(miss_rule_sets: Sequence[Sequence[str]], false_alarms_by_rule: Counter, tokens: int,
                  families: Sequence[str]) -> dict:
    """The scan's catch and false alarms with the rules of ``families`` taken out (read from the same run, as
    :func:`operating_curve` is: a finding a dropped rule won an overlap from is not restored)."""
    dropped = set().union(*(RULE_FAMILIES[f] for f in families))
    caught = sum(any(r not in dropped for r in rules) for rules in miss_rule_sets)
    fa = sum(n for r, n in false_alarms_by_rule.items() if r not in dropped)
    return {
        "without": list(families),
        "miss_recall": round(caught / len(miss_rule_sets), 4) if miss_rule_sets else None,
        "missed_flagged": caught,
        "false_alarms": fa,
        "false_alarms_per_10k": round(10_000 * fa / max(tokens, 1), 3),
    }


def learned_curve(docs: Sequence[Doc], redacted: Sequence[Redacted | None], thresholds: Sequence[float]) -> list[dict]:
    """The scan with its learned token model on at each marginal-probability threshold in turn (the redactor ran
    once; only the scan is repeated), each point beside the same scan without session 5's context families."""
    points = []
    for value in thresholds:
        s = score(docs, redacted, learned_min_probability=value).summary()
        points.append({
            "learned_min_probability": value, "miss_recall": s["miss_recall"], "missed_flagged": s["missed_flagged"],
            "false_alarms": s["false_alarms"], "false_alarms_per_10k": s["false_alarms_per_10k"],
            "learned_caught": s["caught_by_rule"].get("learned_token", 0),
            "learned_false_alarms": s["false_alarms_by_rule"].get("learned_token", 0),
            "without_session5_context": s["without_session5_context"],
        })  # fmt: skip
    return points


def rarity_curve(docs: Sequence[Doc], redacted: Sequence[Redacted | None], thresholds: Sequence[float]) -> list[dict]:
    """The scan's summary figures with the rarity threshold (``residual.RARE_WORD_MAX_ZIPF``) set to each value in
    turn: the redactor ran once; only the scan is repeated. Each point keeps its family curve, so a rarity grade
    (beside a cut, in an answer, capitalised, anywhere in a caller turn) can be read at each threshold."""
    from cipher_pipeline.gate import residual

    chosen, ungraded = residual.RARE_WORD_MAX_ZIPF, residual.UNGRADED_RARITY
    points = []
    try:
        residual.UNGRADED_RARITY = True  # the curve's last two steps: rarity with no context, off at the gate
        for value in thresholds:
            residual.RARE_WORD_MAX_ZIPF = value
            s = score(docs, redacted).summary()
            points.append({
                "rare_word_max_zipf": value, "miss_recall": s["miss_recall"], "missed_flagged": s["missed_flagged"],
                "false_alarms_per_10k": s["false_alarms_per_10k"], "operating_curve": s["operating_curve"],
            })  # fmt: skip
    finally:
        residual.RARE_WORD_MAX_ZIPF, residual.UNGRADED_RARITY = chosen, ungraded
    return points


# The honest ceiling of a text-only scan (issue 9): what the words the redactor left of each miss show.
#   shape:    a surviving word still looks like an identifier: it holds a digit, is a digit word or a month, or it is no common
#             English word (a name, a place, a code, or speech recognition's garble of one), or the scan's own name
#             and place lists hold it;
#   slot:     every surviving word is ordinary English, but it stands where identifiers stand: touching a placeholder
#             (the rest of a cut identifier) or in the answer to the agent's question for a name, birth date, place
#             or number;
#   ordinary: ordinary English words in an ordinary position ("in DUI and" for a surname, "walked out" for a town):
#             what speech recognition turned into English, which no reader of the text alone can tell from speech.
VISIBILITY_CLASSES = ("shape", "slot", "ordinary")
_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")


def miss_visibility(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """The class (:data:`VISIBILITY_CLASSES`) of one miss: ``ranges`` are its surviving pieces in the redacted text."""
    from cipher_pipeline.gate import residual  # the scan's own word lists: the question is what *it* could know

    english = residual.english_words()
    given, family = residual.given_and_family_names()
    cities, counties = residual.us_places()
    names = residual.first_names()
    # each piece read as the whole written word it is part of ("I" and "ll" of "I'll" are one word)
    words = []
    for s, e in ranges:
        while s > 0 and (text[s - 1].isalnum() or text[s - 1] in "'-") and text[s - 1 : s + 1] != "-[":
            s -= 1
        while e < len(text) and (text[e].isalnum() or text[e] in "'-"):
            e += 1
        words.extend(w.group() for w in _WORDS.finditer(text[s:e]) if w.group() not in words)
    for word in words:
        low = word.lower().strip("'-")
        if low == "i" or (("'" in low or "-" in low) and residual._word_zipf(low) >= 3.5):
            continue  # "I", "I'm", "she'll", "y'all", "wi-fi": common English written with an apostrophe or hyphen
        title = low.title()
        if any(c.isdigit() for c in word) or low in residual._TRUE_DIGIT_WORDS or title in residual._MONTHS_FULL:
            return "shape"  # a number, a digit said, a month ("it was march")
        if low not in english or title in names or title in given or title in family or title in cities or title in counties:
            return "shape"
    start, end = ranges[0][0], ranges[-1][1]
    # placeholders only: a speaker label is no cut, and a word opening a turn touches nothing (before session 9
    # the label's mask counted as one, so every miss opening a turn was classed "slot")
    masked = residual.mask_placeholders(text, speaker_labels=False)
    before, after = masked[max(0, start - 3) : start], masked[end : end + 3]
    if residual.MASK in before.strip(" -'s") or residual.MASK in after[:2].strip(" -"):
        return "slot"
    line_start = text.rfind("\n", 0, start) + 1
    previous_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    previous = text[previous_start : max(line_start - 1, previous_start)]
    if previous.lower().startswith("agent") and residual._IDENTIFIER_QUESTION.search(previous[-160:]):
        return "slot"
    return "ordinary"


def _overlaps(findings: Iterable[Residual], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in findings)


def residual_gold(doc: Doc, red: Redacted) -> tuple[list[tuple[Gold, list[tuple[int, int]]]], set[int]]:
    """What the redactor left of ``doc``'s identifiers, in the redacted text: each missed identifier with the
    ranges of its required words that survived, and every surviving character of any gold span (an identifier,
    ignored or not required: a finding there is no false alarm)."""
    misses: list[tuple[Gold, list[tuple[int, int]]]] = []
    gold_chars: set[int] = set()
    for g in doc.gold:
        if g.category == "NOT_IDENTIFIER":
            continue
        mapped = []
        for s, e in g.required:
            rs, re_ = red.to_redacted(s), red.to_redacted(e - 1)
            if rs is not None and re_ is not None:
                mapped.append((rs, re_ + 1))
        for pos in range(g.start, g.end):
            r = red.to_redacted(pos)
            if r is not None:
                gold_chars.add(r)
        if g.category == "IGNORED" or not g.required or not mapped:
            continue
        misses.append((g, mapped))
    return misses, gold_chars


def score(
    docs: Sequence[Doc],
    redacted: Sequence[Redacted | None] | None,
    show: bool = False,
    learned_min_probability: float | None = None,
) -> Tally:
    """The scan over ``docs`` (rules only, or with the learned token model on at ``learned_min_probability``)."""
    tally = Tally()
    for index, doc in enumerate(docs):
        tally.docs += 1
        t0 = time.perf_counter()
        raw_findings = scan_text(doc.text, learned_min_probability=learned_min_probability)
        tally.scan_seconds += time.perf_counter() - t0
        tally.raw_tokens += count_tokens(doc.text)
        identifiers = [g for g in doc.gold if g.required]
        for g in identifiers:
            tally.gold[g.category] += 1
            if any(_overlaps(raw_findings, s, e) for s, e in g.required):
                tally.raw_flagged[g.category] += 1
        for f in raw_findings:
            if not any(g.start < f.end and f.start < g.end for g in doc.gold if g.category != "NOT_IDENTIFIER"):
                tally.raw_false_alarms[f.category] += 1
        if redacted is None:
            continue
        red = redacted[index]
        if red is None:
            tally.redactor_failures += 1
            continue
        findings = scan_text(red.text, learned_min_probability=learned_min_probability)
        tally.redacted_tokens += count_tokens(red.text)
        misses, gold_chars = residual_gold(doc, red)
        for g, mapped in misses:
            tally.missed[g.category] += 1
            catching = {f.rule for f in findings for s, e in mapped if f.start < e and s < f.end}
            tally.miss_rule_sets.append(sorted(catching))
            visible = miss_visibility(red.text, mapped)
            tally.visibility[visible] += 1
            tally.visibility_caught[visible] += bool(catching)
            if catching:
                tally.missed_flagged[g.category] += 1
                tally.caught_by_rule.update(catching)
            elif show:
                tally.unflagged.append({"doc": doc.id, "category": g.category, "value": doc.text[g.start : g.end],
                                        "context": red.text[max(0, mapped[0][0] - 60) : mapped[-1][1] + 30]})
        for f in findings:
            if not any(p in gold_chars for p in range(f.start, f.end)):
                tally.false_alarms[f.category] += 1
                tally.false_alarms_by_rule[f.rule] += 1
                if show:
                    tally.false_alarm_examples.append({"doc": doc.id, "category": f.category, "rule": f.rule,
                                                       "value": red.text[f.start : f.end],
                                                       "context": red.text[max(0, f.start - 50) : f.end + 30]})
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["calls_dev", "presidio", "physionet", "asr"], default="calls_dev")
    parser.add_argument("--half", choices=[*sorted(deid_evaluate.CALLS_DEV_HALVES), "all"], default="odd",
                        help="calls_dev: which calls (every half development since session 19's swap); a blind "
                        "corpus (--path) or its decodes: odd = development, even = held out")
    parser.add_argument("--path", help="corpus location (physionet: a checkout or bare mirror of cliffordlab/DEID-2023; "
                        "asr: a tests/data/asr_corpus/*.jsonl file, or a directory of Whisper's calls_dev transcripts "
                        "such as /work/cache/calls_dev_whisper/phone, where --half picks the calls)")
    parser.add_argument("--split", choices=sorted(deid_evaluate.PHYSIONET_SPLITS),
                        help="physionet: dev (odd patients: develop here, --show allowed) / held-out (even: scores "
                        "only); presidio: dev (even positions) / held-out (odd positions), the same way")
    parser.add_argument("--style", choices=deid_evaluate.CALLS_DEV_STYLES,
                        help="calls_dev and the red-team corpora: only the punctuated calls (clean), only the raw half "
                        "(asr), or the punctuated calls rewritten in the raw half's style (projected); default both written styles")
    parser.add_argument("--raw-only", action="store_true", help="skip the redactor; scan recall on raw text only")
    parser.add_argument("--calls-dev", action="store_true",
                        help="asr: the transcripts folder holds decodes of calls_dev (every call development); without "
                        "it they are taken as a blind corpus's, whose odd calls alone may be --show'n")
    parser.add_argument("--show", action="store_true",
                        help="list unflagged misses and false alarms (development calls of calls_dev only)")
    parser.add_argument("--json", help="write the summary here too")
    parser.add_argument("--rare-zipf", help="also score with these rarity thresholds (comma-separated wordfreq Zipf "
                        "values, e.g. 1.5,2,2.5,3): the rarity detectors' operating curve, in the summary as rarity_curve")
    parser.add_argument("--cache", help="keep the redactor's output in this folder (outside the repository: it holds "
                        "corpus text) and reuse it while the redactor's files are unchanged")
    parser.add_argument("--learned", help="also score with the learned token model on at these marginal-probability "
                        "thresholds (comma-separated, e.g. 0.5,0.7,0.9), in the summary as learned_curve")
    args = parser.parse_args(argv)
    if args.corpus == "calls_dev":
        docs = load_calls_dev(Path(args.path) if args.path else None, half=args.half, style=args.style)
    elif args.corpus == "presidio":
        docs = load_presidio(Path(args.path) if args.path else None, args.split)
    else:
        if not args.path:
            parser.error(f"--corpus {args.corpus} needs --path")
        docs = load_physionet(Path(args.path), args.split) if args.corpus == "physionet" else load_asr_corpus(Path(args.path), args.half)
    # identifiers are listed only for development data: calls_dev's development calls, as written or as Whisper
    # heard them, and the dev split of PhysioNet and of the presidio set
    half = None if args.half == "all" else args.half
    show = args.show and (
        (args.corpus == "calls_dev"
         and deid_evaluate.may_list_misses(half, calls_dev=deid_evaluate.is_calls_dev_file(Path(args.path) if args.path else None)))
        or (args.corpus == "asr" and Path(args.path).is_dir() and deid_evaluate.may_list_misses(half, calls_dev=args.calls_dev))
        or (args.corpus in ("physionet", "presidio") and args.split == "dev")
    )
    if args.show and not show:
        print("--show lists identifiers only for development data (any half of calls_dev, or of its decodes with "
              "--calls-dev; a blind corpus's odd half; physionet and presidio --split dev)", file=sys.stderr)
    # Whisper's transcripts are redacted as the pipeline redacts them: as a speech recognizer's output
    redacted = None if args.raw_only else redact_docs(docs, Path(args.cache) if args.cache else None,
                                                      speech_recognized=args.corpus == "asr")
    # the headline is the gate as the repository's checks file configures it (the learned family on or off there)
    tally = score(docs, redacted, show=show, learned_min_probability=load_thresholds().learned_min_probability)
    by_half = args.corpus == "calls_dev" or args.corpus == "asr" and Path(args.path).is_dir()
    summary = {"corpus": args.corpus, "half": args.half if by_half else None,
               **({"split": args.split or "all"} if args.corpus in ("physionet", "presidio") else {}), **tally.summary()}
    if args.rare_zipf and redacted is not None:
        summary["rarity_curve"] = rarity_curve(docs, redacted, [float(v) for v in args.rare_zipf.split(",")])
    if args.learned and redacted is not None:
        summary["learned_curve"] = learned_curve(docs, redacted, [float(v) for v in args.learned.split(",")])
    print(json.dumps(summary, indent=1))
    if show:
        for item in tally.unflagged:
            print("MISS", json.dumps(item, ensure_ascii=False))
        for item in tally.false_alarm_examples:
            print("FALSE", json.dumps(item, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
