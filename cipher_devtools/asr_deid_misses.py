"""The redactor on saved Whisper transcripts of calls_dev: scores per band, and its misses by class.

Reads ``<transcripts-dir>/<band>/call_NNN.json`` (written by ``cipher bench --only asr --transcripts-dir``: the
transcript as the redactor reads it, and the calls' gold spans projected onto it), runs the redactor on the text as
Whisper wrote it and as the pipeline stores it (``asr_text.normalise_digits``), and prints per band:

- the scores: Safe Harbor entity recall, token precision, competitor-insurer-facility recall (``evaluate.run``);
- the misses by category and by what Whisper did to the identifier (``whisper_class``): a line split, digits
  split into groups, number words mixed with digits, number words, letters read one by one, a misheard word (what
  was heard is not what was said), lower case, lost punctuation, or heard as said. Counts only.

``--against DIR2`` compares a second decode of the same calls (another prompt or setting): the Safe Harbor
identifiers caught in one decode and missed in the other, heard the same in both (the redactor read the same words
differently in new surroundings) or heard differently (a decoding difference), and those projected in one only.

``--show-leaks`` also lists each miss (call, band, category, class, what was heard and what was said): development
calls only. A folder of decodes does not say which corpus was spoken, so it is taken as a blind corpus's (only its odd
calls may be read; its even half is held out, refused like ``cipher eval --show-leaks``, and its scores are printed
without a single miss class, so nothing is read off it) unless ``--calls-dev`` says the decodes are calls_dev's, every
call of which is development since session 19's swap of halves.

``python -m cipher_devtools.asr_deid_misses --transcripts-dir /work/cache/calls_dev_whisper --half dev
[--bands wideband phone] [--calls-dev] [--show-leaks] [--against DIR2] [--json OUT]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from cipher_devtools import evaluate as ev
from cipher_devtools.asr_corpus import digits_normalised_predictor
from cipher_pipeline.deid.words import FUNCTION_WORDS
from cipher_pipeline.vocabulary import DIGIT_WORDS, ONES, TENS

BANDS = ("wideband", "phone")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_NUMBER_WORDS = frozenset(DIGIT_WORDS) | frozenset(w for w in ONES if w) | frozenset(w for w in TENS if w) | {
    "oh", "double", "triple", "hundred", "thousand"}
_PUNCTUATION = re.compile(r"[-@./#'&]")


def load_records(transcripts_dir: Path, band: str, half: str) -> list[dict]:
    """The saved records of one band whose call number is in ``half`` (a key of ``evaluate.CALLS_DEV_HALVES``)."""
    keep = ev.CALLS_DEV_HALVES[half]
    folder = transcripts_dir / band
    records = []
    for path in sorted(folder.glob("call_*.json")):
        if keep(int(re.sub(r"\D", "", path.stem))):
            records.append(json.loads(path.read_text(encoding="utf-8")))
    return records


def _letters(value: str) -> str:
    return "".join(w.lower() for w in _WORD.findall(value))


def whisper_class(heard: str, said: str) -> str:
    """What Whisper did to an identifier, from what it wrote (``heard``) and what was said (``said``, the written
    gold): the first class that applies, in the order of the module docstring."""
    if "\n" in heard:
        return "line split"
    words = [w.lower() for w in _WORD.findall(heard)]
    digit_groups = re.findall(r"\d+", heard)
    number_words = [w for w in words if w in _NUMBER_WORDS]
    if digit_groups and number_words:
        return "number words mixed with digits"
    if len(digit_groups) >= 2 and not words:
        return "digits split into groups"
    if number_words and len(number_words) * 2 >= len(words) and not digit_groups:
        return "number words"
    if len(words) >= 3 and all(len(w) == 1 for w in words):
        return "letters one by one"
    if _letters(heard) != _letters(said) or re.sub(r"\D", "", heard) != re.sub(r"\D", "", said):
        return "misheard"
    if heard.islower() and not said.islower():
        return "lower case"
    if set(_PUNCTUATION.findall(said)) - set(_PUNCTUATION.findall(heard)):
        return "lost punctuation"
    return "heard as said"


def _record_misses(record: dict, predicted: list[tuple[int, int]]) -> list[dict]:
    """The record's projected spans the prediction leaves (partly) unmasked, scored one span at a time exactly as
    ``evaluate.score_doc`` scores them."""
    misses = []
    for span in record.get("spans", []):
        gold = ev.GoldSpan(span["start"], span["end"], span.get("category"),
                           span.get("value", record["text"][span["start"]:span["end"]]))
        one = ev.Score()
        ev.score_doc(one, ev.GoldDoc(str(record["id"]), record["text"], [gold]), predicted)
        if one.leaks:
            text = record["text"]
            heard = text[span["start"]:span["end"]]
            line_start = text.rfind("\n", 0, max(0, span["start"] - 60)) + 1
            line_end = text.find("\n", min(len(text), span["end"] + 60))
            misses.append({"id": record["id"], "category": span["category"], "missed": one.leaks[0]["missed"],
                           "context": text[max(line_start, span["start"] - 60):span["start"]] + "[[" + heard + "]]"
                           + text[span["end"]:min(line_end if line_end >= 0 else len(text), span["end"] + 60)],
                           "vertical": span["category"] in ev.VERTICAL_GOLD,
                           "class": whisper_class(heard, span.get("gold_value", heard)),
                           "heard": heard, "said": span.get("gold_value", heard)})
    return misses


def _span_outcomes(records: list[dict], predictions: list[list[tuple[int, int]]]) -> dict[tuple, tuple[str, bool]]:
    """Every projected Safe Harbor span -> (what was heard, missed?), keyed by (call, category, what was said, its
    occurrence), so the same identifier can be found in another decode of the same call."""
    out = {}
    for record, predicted in zip(records, predictions):
        missed = {(m["category"], m["said"], m["heard"]) for m in _record_misses(record, predicted)}
        seen: Counter = Counter()
        for span in record.get("spans", []):
            if span["category"] in ev.VERTICAL_GOLD:
                continue
            heard = record["text"][span["start"]:span["end"]]
            said = span.get("gold_value", heard)
            seen[(record["id"], span["category"], said)] += 1
            key = (record["id"], span["category"], said, seen[(record["id"], span["category"], said)])
            out[key] = (heard, (span["category"], said, heard) in missed)
    return out


def compare_decodes(a: dict[tuple, tuple[str, bool]], b: dict[tuple, tuple[str, bool]]) -> dict:
    """Two decodes of the same calls (``_span_outcomes`` of each): the identifiers caught in one and missed in the
    other, split by whether Whisper wrote them the same way in both (then the redactor read the same words
    differently: an engine rule the new surroundings trip) or not (a decoding difference), and those projected in
    one decode only (heard recognizably in that one only)."""
    flips = []
    for key in sorted(set(a) | set(b), key=str):
        one, two = a.get(key), b.get(key)
        if one and two and one[1] == two[1]:
            continue
        if one is None or two is None:
            kind = "projected in A only" if two is None else "projected in B only"
        else:
            kind = ("caught in A, missed in B" if two[1] else "missed in A, caught in B") + (
                ", heard the same" if one[0] == two[0] else ", heard differently")
        flips.append({"call": key[0], "category": key[1], "said": key[2], "kind": kind,
                      "heard_a": one and one[0], "heard_b": two and two[0]})
    return {"caught": {"A": sum(not v[1] for v in a.values()), "B": sum(not v[1] for v in b.values())},
            "projected": {"A": len(a), "B": len(b)},
            "flips_by_kind": dict(Counter(f["kind"] for f in flips).most_common()), "flips": flips}


def measure_band(records: list[dict], redactor, with_misses: bool) -> dict:
    """Scores as Whisper wrote the digits and as the pipeline stores them; with ``with_misses``, the stored form's
    misses by category and class."""
    docs = [ev._from_record(r) for r in records]
    out: dict = {"calls": len(records)}
    predictors = {"as_written": ev.cipher_predictor(redactor, speech_recognized=True),
                  "digits_normalised": digits_normalised_predictor(redactor)}
    for key, predict in predictors.items():
        summary = ev.run(docs, predict).summary()
        out[key] = {k: summary[k] for k in ("entities", "entity_recall", "vertical_entities", "vertical_recall",
                                            "token_recall", "token_precision", "leaked")}
    if with_misses:
        predictions = predictors["digits_normalised"]([r["text"] for r in records])
        misses = [m for r, p in zip(records, predictions) for m in _record_misses(r, p)]
        out["misses"] = misses
        safe_harbor = [m for m in misses if not m["vertical"]]
        out["misses_by_category"] = dict(Counter(m["category"] for m in misses).most_common())
        # what the projection itself counts: a span Whisper's words stretched over "and", "for", "in" and only those
        # left readable ("Rachel Weiler, and" for "Rachel Oyelaran")
        out["safe_harbor_misses_only_function_words"] = sum(
            all(w.lower() in FUNCTION_WORDS for w in m["missed"]) for m in safe_harbor)
        out["safe_harbor_misses_by_class"] = dict(Counter(m["class"] for m in safe_harbor).most_common())
        out["safe_harbor_misses_by_category_and_class"] = {
            f"{c} / {k}": n for (c, k), n in Counter((m["category"], m["class"]) for m in safe_harbor).most_common()}
    return out


def main(argv: list[str] | None = None) -> int:
    from cipher_pipeline.deid import Redactor

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts-dir", required=True, type=Path)
    parser.add_argument("--half", default="dev", choices=sorted(ev.CALLS_DEV_HALVES))
    parser.add_argument("--bands", nargs="+", default=list(BANDS), choices=BANDS)
    parser.add_argument("--show-leaks", action="store_true", help="list each miss (development calls only)")
    parser.add_argument("--calls-dev", action="store_true",
                        help="the transcripts are decodes of calls_dev (every call development since session 19); "
                        "without it they are taken as a blind corpus's, whose odd calls alone may be read")
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    parser.add_argument("--against", type=Path, help="a second decode of the same calls (another prompt, another "
                        "setting): the identifiers caught in one and missed in the other, heard the same or not "
                        "(development calls only)")
    args = parser.parse_args(argv)
    development = ev.may_list_misses(args.half, calls_dev=args.calls_dev)
    if (args.show_leaks or args.against) and not development:
        parser.error("--show-leaks and --against read development calls only: a blind corpus's odd half, or any half "
                     "of calls_dev's decodes with --calls-dev; a blind corpus's even half is held out: scores only")
    redactor = Redactor.default()
    report: dict = {"engine_version": redactor.version, "half": args.half, "transcripts": str(args.transcripts_dir),
                    "bands": {}}
    for band in args.bands:
        records = load_records(args.transcripts_dir, band, args.half)
        if not records:
            print(f"asr-deid: no {band} transcripts of half {args.half} in {args.transcripts_dir}", file=sys.stderr)
            continue
        row = measure_band(records, redactor, with_misses=development)
        misses = row.pop("misses", [])
        report["bands"][band] = row
        w, n = row["as_written"], row["digits_normalised"]
        print(f"{band} half={args.half} calls={row['calls']}: Safe Harbor recall {w['entity_recall']} "
              f"(stored form {n['entity_recall']}) of {w['entities']}, token precision {w['token_precision']} "
              f"({n['token_precision']}), vertical recall {w['vertical_recall']} ({n['vertical_recall']})")
        if development:
            print(f"  Safe Harbor misses by class: {json.dumps(row['safe_harbor_misses_by_class'])}; of them "
                  f"{row['safe_harbor_misses_only_function_words']} leave only function words readable")
            print(f"  by category and class: {json.dumps(row['safe_harbor_misses_by_category_and_class'])}")
            print(f"  all misses by category: {json.dumps(row['misses_by_category'])}")
        if args.against:
            other = load_records(args.against, band, args.half)
            both = {r["id"] for r in records} & {r["id"] for r in other}  # the calls decoded both ways
            mine, other = [r for r in records if r["id"] in both], [r for r in other if r["id"] in both]
            predict = digits_normalised_predictor(redactor)  # the stored form, as the misses above
            compared = compare_decodes(_span_outcomes(mine, predict([r["text"] for r in mine])),
                                       _span_outcomes(other, predict([r["text"] for r in other])))
            compared["calls"] = len(both)
            flips = compared.pop("flips")
            report["bands"][band]["against"] = {"transcripts": str(args.against), **compared}
            print(f"  against {args.against} (B; A is {args.transcripts_dir}): caught {compared['caught']} of "
                  f"projected {compared['projected']}; {json.dumps(compared['flips_by_kind'])}")
            if args.show_leaks:
                for f in flips:
                    print(f"    {f['call']} {f['category']:<14} {f['kind']:<40} said {f['said']!r} "
                          f"A {f['heard_a']!r} B {f['heard_b']!r}")
        if args.show_leaks:
            for m in misses:
                print(f"  {m['id']} {m['category']:<11} {m['class']:<30} heard {m['heard']!r} said {m['said']!r} "
                      f"missed {m['missed']}\n      {m['context']!r}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
