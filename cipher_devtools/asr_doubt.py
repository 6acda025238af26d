"""Whisper's own doubt as evidence for the residual scan: a measurement (issue 9, session 16), not a detector.

Six in ten of the scan's unflagged misses on Whisper's text are ordinary English where a name or a place was said
(checks/README.md, scan15): no reader of the text can see them. The decoder's per-word probability comes from the
audio, not from the text or the redactor. This asks how well it separates the redactor's misses from the words it
rightly kept, on the saved transcripts of ``cipher bench --only asr --transcripts-dir`` (``Segment.words``: each
word's offsets in its segment and its probability, since session 16), with ``scan_eval``'s definitions:

- a **miss** is a gold identifier whose required words the redactor left (``scan_eval.residual_gold``); its doubt
  is the lowest probability of a decoded word overlapping what survived of it (a miss with no such word, e.g. a
  name the term normaliser rewrote, is never flagged by doubt);
- a **clean token** is a surviving decoded word that touches no gold character; flagging one is a false alarm,
  counted per 10,000 whitespace tokens of the redacted text (``residual.count_tokens``, the scan's denominator);
- the signal flags every surviving word whose probability is below a threshold; the operating points are the
  highest thresholds whose false alarms stay within 1, 2, 5 and 10 per 10,000 tokens, read off the same words (so
  they are the best the signal can do on this text, not a threshold tested on other text: ``--transfer`` applies one
  band's threshold to the other band);
- **restrictions**: *unlisted*, only words the scan's own lists do not explain (common English, not in its name and
  place lists, no digit: ``scan_eval.miss_visibility``'s reading), on both sides; *caller*, only caller turns;
  *answer*, only the opening of a caller's answer to an identifier question (``answer_regions``); *content*, only
  words Whisper has no reason of its own to doubt (``_content``: no filler, stop word or very common word);
- **union**: the scan's findings (rules only, as the gate runs) plus the doubt words; its false alarms are the
  scan's plus the doubt words on clean tokens no scan false alarm already covers; its points are read at the scan's
  false alarms plus 1, 2, 5, 10 per 10,000.

The cheap version needs no new decode: the stored segment ``avg_logprob`` (and ``no_speech_prob``), a segment below
the threshold flags what survives of it (one finding a segment; a false alarm when it touches no gold character).

Prints counts and figures only; no word of a transcript is printed or written.

    python -m cipher_devtools.asr_doubt --source NAME=DIR/<band>[:half] ... [--calls-dev] [--json OUT] [--csv CURVE.csv]
    [--cache /tmp/scan-cache]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cipher_devtools import evaluate as deid_evaluate
from cipher_devtools.scan_eval import Doc, load_asr_corpus, miss_visibility, redact_docs, residual_gold
from cipher_pipeline.gate.residual import count_tokens, scan_text
from cipher_pipeline.gate.thresholds import load_thresholds

BUDGETS = (1, 2, 5, 10, 20, 50)  # false alarms per 10,000 tokens at which the share flagged is read
_DIGIT = re.compile(r"\d")


@dataclass
class Word:
    start: int  # offsets into the record's text
    end: int
    probability: float
    speaker: str


@dataclass
class Piece:
    """One segment's place in the record's text, with the decoder's segment-level figures."""
    start: int
    end: int
    avg_logprob: float
    no_speech_prob: float
    speaker: str


def placed(record: dict) -> tuple[list[Word], list[Piece]]:
    """The record's words and segments in its text (``Transcript.text``: one speaker's consecutive segments joined
    by a space on one ``speaker: `` line). Raises if the segments do not rebuild the text."""
    text, words, pieces = [], [], []
    length, speaker = 0, None
    for seg in record["segments"]:
        if seg["speaker"] == speaker:
            text.append(" ")
            length += 1
        else:
            if speaker is not None:
                text.append("\n")
                length += 1
            label = f"{seg['speaker']}: "
            text.append(label)
            length += len(label)
            speaker = seg["speaker"]
        pieces.append(Piece(length, length + len(seg["text"]), seg["avg_logprob"], seg["no_speech_prob"], speaker))
        words.extend(Word(length + s, length + e, p, speaker) for s, e, p in seg.get("words", ()))
        text.append(seg["text"])
        length += len(seg["text"])
    rebuilt = "".join(text) + ("\n" if record["segments"] else "")
    if rebuilt != record["text"]:
        raise ValueError(f"{record['id']}: the segments do not rebuild the transcript's text")
    return words, pieces


def answer_regions(text: str) -> list[tuple[int, int]]:
    """Where a caller answers an agent's question for an identifier, as the scan's slot rule reads it (the first
    100 characters of a caller line after an agent line whose last 120 characters ask for a name, a birth date, a
    place, a number): the position the decoder's doubt is read in by the *answer* restriction."""
    from cipher_pipeline.gate import residual  # the scan's own reading of a question: the position, not the words

    masked = residual.mask_placeholders(text)
    lines = residual._lines_with_speakers(text)
    return [(start, min(end, start + 100)) for (start, end, speaker), previous in zip(lines[1:], lines)
            if speaker == "caller" and previous[2] == "agent"
            and residual._IDENTIFIER_QUESTION.search(masked[max(previous[0], previous[1] - 120) : previous[1]])]


def _content(word: str) -> bool:
    """Not a word Whisper doubts for its own reasons: three letters or more, none of the scan's ordinary words (stop
    words, fillers, clinical and payer words, months), and not among English's commonest (wordfreq Zipf under 5)."""
    from cipher_pipeline.gate import residual

    low = re.sub(r"[^\w']", "", word).lower()
    return len(low) >= 3 and not residual._ordinary_word(low) and residual._word_zipf(low) < 5.0


def _listed(word: str) -> bool:
    """The scan's own lists explain the word (a digit, a month, no common English word, a name or place they
    hold): ``scan_eval.miss_visibility``'s "shape", for one word."""
    return _DIGIT.search(word) is not None or miss_visibility(word, [(0, len(word))]) == "shape"


@dataclass
class Source:
    """One development set's figures: per miss and per clean token, what each signal says (no text)."""
    name: str
    tokens: int = 0  # residual.count_tokens (whitespace tokens), the denominator of every scan figure
    docs: int = 0
    with_words: int = 0  # documents whose segments carry word probabilities
    # per miss: lowest word probability (None: no decoded word over it) under each restriction, caller turn,
    # scan-flagged, lowest segment avg_logprob, highest no_speech_prob
    misses: list[dict] = field(default_factory=list)
    # per clean surviving word: probability, unlisted, caller, covered by a scan false alarm, in an answer, content
    clean: list[tuple[float, bool, bool, bool, bool, bool]] = field(default_factory=list)
    scan_false_alarms: int = 0
    # per segment that keeps a clean word and touches no gold character: (avg_logprob, no_speech_prob, tokens)
    clean_segments: list[tuple[float, float, int]] = field(default_factory=list)


def measure(name: str, docs: list[Doc], records: list[dict], cache: Path | None) -> Source:
    source = Source(name)
    redacted = redact_docs(docs, cache, speech_recognized=True)
    learned = load_thresholds().learned_min_probability
    for doc, record, red in zip(docs, records, redacted):
        if red is None:
            continue
        source.docs += 1
        words, pieces = placed(record)
        source.with_words += bool(words)
        findings = scan_text(red.text, learned_min_probability=learned)
        source.tokens += count_tokens(red.text)
        misses, gold_chars = residual_gold(doc, red)
        false_findings = [f for f in findings if not any(p in gold_chars for p in range(f.start, f.end))]
        source.scan_false_alarms += len(false_findings)
        kept = []  # surviving words in the redacted text: (start, end, Word)
        for w in words:
            rs, re_ = red.to_redacted(w.start), red.to_redacted(w.end - 1)
            if rs is not None and re_ is not None and re_ - rs == w.end - 1 - w.start:
                kept.append((rs, re_ + 1, w))
        answers = answer_regions(red.text)
        in_answer = lambda rs: any(a <= rs < b for a, b in answers)  # noqa: E731
        for rs, re_, w in kept:
            if any(p in gold_chars for p in range(rs, re_)):
                continue
            covered = any(f.start < re_ and rs < f.end for f in false_findings)
            source.clean.append((w.probability, not _listed(red.text[rs:re_]), w.speaker == "caller", covered,
                                 in_answer(rs), _content(red.text[rs:re_])))
        placed_pieces = []
        for piece in pieces:
            ranges = []
            for m in re.finditer(r"\S+", doc.text[piece.start : piece.end]):
                s, e = piece.start + m.start(), piece.start + m.end()
                rs, re_ = red.to_redacted(s), red.to_redacted(e - 1)
                if rs is not None and re_ is not None:
                    ranges.append((rs, re_ + 1))
            placed_pieces.append((piece, ranges))
            if ranges and not any(p in gold_chars for s, e in ranges for p in range(s, e)):
                source.clean_segments.append((piece.avg_logprob, piece.no_speech_prob, len(ranges)))
        for g, mapped in misses:
            over = [(w, red.text[rs:re_]) for rs, re_, w in kept if any(rs < e and s < re_ for s, e in mapped)]
            unlisted = [w.probability for w, word in over if not _listed(word)]
            line_start = red.text.rfind("\n", 0, mapped[0][0]) + 1
            segs = [p for p, ranges in placed_pieces if any(a < e and s < b for a, b in ranges for s, e in mapped)]
            source.misses.append({
                "doubt": min((w.probability for w, _ in over), default=None),
                "doubt_unlisted": min(unlisted, default=None),
                "doubt_content": min((w.probability for rs, re_, w in kept if _content(red.text[rs:re_])
                                      and any(rs < e and s < re_ for s, e in mapped)), default=None),
                "doubt_answer": min((w.probability for rs, re_, w in kept
                                     if in_answer(rs) and any(rs < e and s < re_ for s, e in mapped)), default=None),
                "caller": red.text.startswith("caller", line_start),
                "visibility": miss_visibility(red.text, mapped),
                "scan": any(f.start < e and s < f.end for f in findings for s, e in mapped),
                "avg_logprob": min((p.avg_logprob for p in segs), default=None),
                "no_speech_prob": max((p.no_speech_prob for p in segs), default=None),
            })
    return source


def _per_10k(count: int, tokens: int) -> float:
    return round(10_000 * count / max(tokens, 1), 3)


def _threshold(values: list[float], allowed: int) -> float:
    """The highest threshold ``t`` (flag what is below it) at which at most ``allowed`` of ``values`` are flagged."""
    ordered = sorted(values)
    return ordered[allowed] if allowed < len(ordered) else 1.0 + 1e-9


def word_points(sources: list[Source], restriction: str = "all", union: bool = False) -> list[dict]:
    """The word signal's share of misses flagged at each budget, over ``sources`` pooled (tokens summed)."""
    tokens = sum(s.tokens for s in sources)
    key = "doubt_unlisted" if "unlisted" in restriction else {"answer": "doubt_answer", "content": "doubt_content"}.get(
        restriction, "doubt")

    def clean_ok(item) -> bool:
        probability, unlisted, caller, covered, answer, content = item
        return ("unlisted" not in restriction or unlisted) and ("caller" not in restriction or caller) \
            and (restriction != "answer" or answer) and (restriction != "content" or content) \
            and not (union and covered)

    def miss_ok(m) -> bool:
        return "caller" not in restriction or m["caller"]

    clean = [c[0] for s in sources for c in s.clean if clean_ok(c)]
    misses = [m for s in sources for m in s.misses]
    scan_fa = sum(s.scan_false_alarms for s in sources)
    scan_caught = sum(m["scan"] for m in misses)
    points = []
    for budget in BUDGETS:
        allowed = int(budget * tokens / 10_000)
        t = _threshold(clean, allowed)
        doubt = [miss_ok(m) and m[key] is not None and m[key] < t for m in misses]
        fa = sum(p < t for p in clean)
        caught = sum(d or (union and m["scan"]) for d, m in zip(doubt, misses))
        point = {"budget_per_10k": budget, "threshold": round(t, 4), "misses": len(misses), "flagged": caught,
                 "share": round(caught / len(misses), 4) if misses else None,
                 "false_alarms": fa + (scan_fa if union else 0),
                 "false_alarms_per_10k": _per_10k(fa + (scan_fa if union else 0), tokens), "tokens": tokens}
        if union:
            point |= {"scan_flagged": scan_caught, "scan_false_alarms": scan_fa,
                      "gain": round((caught - scan_caught) / len(misses), 4) if misses else None}
        points.append(point)
    return points


def segment_points(sources: list[Source], signal: str = "avg_logprob") -> list[dict]:
    """The cheap version: a segment whose ``avg_logprob`` is below (``no_speech_prob`` above) the threshold flags
    what survives of it; one false alarm per flagged segment that touches no gold character."""
    tokens = sum(s.tokens for s in sources)
    sign = 1 if signal == "avg_logprob" else -1  # flag low avg_logprob, high no_speech_prob
    clean = [sign * (a if signal == "avg_logprob" else n) for s in sources for a, n, _ in s.clean_segments]
    misses = [m for s in sources for m in s.misses]
    points = []
    for budget in BUDGETS:
        allowed = int(budget * tokens / 10_000)
        t = _threshold(clean, allowed)
        caught = sum(m[signal] is not None and sign * m[signal] < t for m in misses)
        flagged_segments = [x for x in clean if x < t]
        flagged_tokens = sum(k for s in sources for a, n, k in s.clean_segments
                             if sign * (a if signal == "avg_logprob" else n) < t)
        points.append({"budget_per_10k": budget, "threshold": round(sign * t, 4), "misses": len(misses),
                       "flagged": caught, "share": round(caught / len(misses), 4) if misses else None,
                       "false_alarms": len(flagged_segments), "clean_tokens_in_them": flagged_tokens,
                       "tokens": tokens})
    return points


FIXED = (0.1, 0.2, 0.3, 0.5)  # word-probability thresholds read as they are (not fitted to a budget)


def fixed_points(source: Source) -> list[dict]:
    """The word signal at fixed thresholds: share of misses flagged and the clean words flagged, per 10,000 tokens."""
    out = []
    for t in FIXED:
        caught = sum(m["doubt"] is not None and m["doubt"] < t for m in source.misses)
        fa = sum(c[0] < t for c in source.clean)
        out.append({"threshold": t, "flagged": caught, "misses": len(source.misses),
                    "share": round(caught / len(source.misses), 4) if source.misses else None, "false_alarms": fa,
                    "false_alarms_per_10k": _per_10k(fa, source.tokens)})
    return out


def transfer(train: list[Source], test: list[Source], restriction: str = "all") -> list[dict]:
    """The word signal with each budget's threshold chosen on ``train`` and applied to ``test``: the figure a
    threshold fixed in advance would give on other text."""
    out = []
    for point in word_points(train, restriction):
        t = point["threshold"]
        tokens = sum(s.tokens for s in test)
        key = "doubt_unlisted" if restriction == "unlisted" else "doubt"
        misses = [m for s in test for m in s.misses]
        clean = [c for s in test for c in s.clean if restriction != "unlisted" or c[1]]
        caught = sum(m[key] is not None and m[key] < t for m in misses)
        fa = sum(c[0] < t for c in clean)
        out.append({"budget_per_10k": point["budget_per_10k"], "threshold": t, "misses": len(misses), "flagged": caught,
                    "share": round(caught / len(misses), 4) if misses else None, "false_alarms": fa,
                    "false_alarms_per_10k": _per_10k(fa, tokens)})
    return out


def distribution(source_list: list[Source]) -> dict:
    """Quantiles of the lowest word probability in each miss against the clean tokens' probabilities."""
    def quantiles(values: list[float]) -> dict:
        values = sorted(values)
        if not values:
            return {}
        return {f"q{int(q * 100):02d}": round(values[min(int(q * len(values)), len(values) - 1)], 4)
                for q in (0.01, 0.05, 0.1, 0.25, 0.5, 0.75)} | {"n": len(values)}

    misses = [m for s in source_list for m in s.misses]
    return {"misses_lowest_word": quantiles([m["doubt"] for m in misses if m["doubt"] is not None]),
            # scan15's "ordinary" misses (English where a name or place was said) are the ones doubt was hoped for
            "misses_lowest_word_by_visibility": {
                v: quantiles([m["doubt"] for m in misses if m["doubt"] is not None and m["visibility"] == v])
                for v in ("shape", "slot", "ordinary")},
            "misses_without_a_word": sum(m["doubt"] is None for m in misses),
            "clean_words": quantiles([c[0] for s in source_list for c in s.clean])}


def load(spec: str, calls_dev: bool = False) -> tuple[str, list[Doc], list[dict]]:
    """``NAME=DIR[:half]``: a band directory of saved transcripts and the calls to read (default odd)."""
    name, _, rest = spec.partition("=")
    path, _, half = rest.partition(":")
    half = half or "odd"
    # a folder of decodes does not say which corpus was spoken, so it is read as a blind corpus's (odd half only)
    # unless --calls-dev says it is calls_dev's (any half since session 19's swap): the rule asr_deid_misses and
    # scan_eval follow, from the one place that states it
    if not deid_evaluate.may_list_misses(half, calls_dev=calls_dev):
        raise SystemExit(f"{spec}: development halves only (a blind corpus's odd half; any half of calls_dev's decodes "
                         "with --calls-dev)")
    docs = load_asr_corpus(Path(path), half)
    keep = deid_evaluate.CALLS_DEV_HALVES[half]
    records = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(Path(path).glob("call_*.json"))
               if keep(int(re.sub(r"\D", "", f.stem)))]
    if [d.id for d in docs] != [str(r["id"]) for r in records]:
        raise SystemExit(f"{spec}: the corpus reader and the records disagree")
    return name, docs, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", action="append", required=True,
                        help="NAME=DIR[:half]: a band directory of saved transcripts (development halves only); a "
                        "NAME's band is what follows its last '/' (e.g. calls_dev_s16/phone)")
    parser.add_argument("--calls-dev", action="store_true",
                        help="the folders hold decodes of calls_dev (every half readable); without it, of a blind corpus")
    parser.add_argument("--cache", help="keep the redactor's output here (outside the repository)")
    parser.add_argument("--json", help="write every figure here")
    parser.add_argument("--csv", help="write the curves here (source, signal, budget, share, false alarms per 10k)")
    args = parser.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    sources = []
    for spec in args.source:
        name, docs, records = load(spec, calls_dev=args.calls_dev)
        sources.append(measure(name, docs, records, cache))
    report: dict = {"sources": {}}
    rows = []
    for s in sources:
        entry = {"docs": s.docs, "with_word_probabilities": s.with_words, "tokens": s.tokens,
                 "misses": len(s.misses), "scan_flagged": sum(m["scan"] for m in s.misses),
                 "scan_false_alarms": s.scan_false_alarms,
                 "visibility": {v: sum(m["visibility"] == v for m in s.misses) for v in ("shape", "slot", "ordinary")},
                 "caller_misses": sum(m["caller"] for m in s.misses),
                 "segment_avg_logprob": segment_points([s]), "segment_no_speech_prob": segment_points([s], "no_speech_prob")}
        if s.with_words:
            entry |= {"distribution": distribution([s]), "fixed": fixed_points(s), "word": word_points([s]),
                      "word_unlisted": word_points([s], "unlisted"), "word_caller": word_points([s], "caller"),
                      "word_unlisted_caller": word_points([s], "unlisted caller"),
                      "union": word_points([s], union=True), "union_unlisted": word_points([s], "unlisted", union=True),
                      "union_caller": word_points([s], "caller", union=True),
                      "union_unlisted_caller": word_points([s], "unlisted caller", union=True),
                      "word_answer": word_points([s], "answer"), "union_answer": word_points([s], "answer", union=True),
                      "word_content": word_points([s], "content"),
                      "union_content": word_points([s], "content", union=True)}
        report["sources"][s.name] = entry
        for signal in ("word", "union", "union_caller", "segment_avg_logprob"):
            for p in entry.get(signal, []):
                rows.append((s.name, signal, p["budget_per_10k"], p["share"],
                             p.get("false_alarms_per_10k", _per_10k(p["false_alarms"], p["tokens"]))))
    bands: dict[str, list[Source]] = {}
    for s in sources:
        bands.setdefault(s.name.rsplit("/", 1)[-1], []).append(s)
    report["pooled"] = {}
    for band, group in bands.items():
        if len(group) < 2:
            continue
        pooled = {"sources": len(group), "misses": sum(len(s.misses) for s in group),
                  "tokens": sum(s.tokens for s in group),
                  "scan_flagged": sum(m["scan"] for s in group for m in s.misses),
                  "scan_false_alarms": sum(s.scan_false_alarms for s in group),
                  "segment_avg_logprob": segment_points(group),
                  "segment_no_speech_prob": segment_points(group, "no_speech_prob")}
        report["pooled"][band] = pooled
        print(f"pooled {band} ({len(group)} sources, {pooled['misses']} misses, scan {pooled['scan_flagged']} at "
              f"{pooled['scan_false_alarms']} false alarms, {pooled['tokens']} tokens):")
        for signal in ("segment_avg_logprob", "segment_no_speech_prob"):
            print(f"  {signal:24s} " + "  ".join(
                f"@{p['budget_per_10k']}: {p['flagged']}/{p['misses']} (t {p['threshold']}, fa {p['false_alarms']})"
                for p in pooled[signal]))
            rows.extend((f"{len(group)} stored sources/{band}", signal, p["budget_per_10k"], p["share"],
                         _per_10k(p["false_alarms"], p["tokens"])) for p in pooled[signal] if signal == "segment_avg_logprob")
    worded = [s for s in sources if s.with_words]
    if len(worded) == 2:
        a, b = worded
        report["transfer"] = {f"{a.name} -> {b.name}": transfer([a], [b]), f"{b.name} -> {a.name}": transfer([b], [a])}
    for name, entry in report["sources"].items():
        print(f"{name}: {entry['docs']} calls ({entry['with_word_probabilities']} with word probabilities), "
              f"{entry['misses']} misses ({entry['caller_misses']} in caller turns; visibility {entry['visibility']}), "
              f"scan {entry['scan_flagged']} flagged at {entry['scan_false_alarms']} false alarms, {entry['tokens']} tokens")
        for signal in ("word", "word_unlisted", "word_caller", "word_unlisted_caller", "union", "union_unlisted",
                       "union_caller", "union_unlisted_caller", "word_answer", "union_answer",
                       "word_content", "union_content",
                       "segment_avg_logprob", "segment_no_speech_prob"):
            if signal in entry:
                print(f"  {signal:24s} " + "  ".join(
                    f"@{p['budget_per_10k']}: {p['flagged']}/{p['misses']} (t {p['threshold']}, fa {p['false_alarms']})"
                    for p in entry[signal]))
    for name, entry in report["sources"].items():
        if "fixed" in entry:
            print(f"{name} fixed thresholds: " + "  ".join(
                f"p<{p['threshold']}: {p['flagged']}/{p['misses']} at {p['false_alarms_per_10k']}" for p in entry["fixed"]))
    for pair, points in report.get("transfer", {}).items():
        print(f"transfer {pair}: " + "  ".join(
            f"@{p['budget_per_10k']}: {p['flagged']}/{p['misses']} at {p['false_alarms_per_10k']}" for p in points))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.csv:
        with open(args.csv, "w", encoding="utf-8") as handle:
            handle.write("source,signal,budget_per_10k,share,false_alarms_per_10k\n")
            handle.writelines(f"{n},{sig},{b},{sh},{fa}\n" for n, sig, b, sh, fa in rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
