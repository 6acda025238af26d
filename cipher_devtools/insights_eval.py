"""Recall of spoken competitor and insurer mentions in Tier 3, against independently annotated calls.

``shared/data/calls_dev/calls_dev.md`` marks every competitor and insurer a speaker names
(``[[COMPETITOR|Pinebrook Detox]]``). The markup is removed, the text goes through the real de-identification
engine and the insight features, and each call's caller-side mentions found by Tier 3 are compared with the
caller-side mentions annotated. Report on the even-numbered calls (the odd ones are for development).
"""

from __future__ import annotations

from pathlib import Path

from cipher_devtools.evaluate import load_calls_dev

SPEAKERS = ("agent", "caller")


def parse_calls(path: Path) -> list[tuple[int, str, dict[str, int]]]:
    """(number, plain text as ``agent:``/``caller:`` lines, caller-side gold counts per kind), read through the
    one calls_dev reader (``evaluate.load_calls_dev``): a gold span is the caller's when the line it sits on
    is a caller line."""
    calls = []
    for doc in load_calls_dev(path):
        gold = {"COMPETITOR": 0, "INSURER": 0}
        for span in doc.spans:
            line_start = doc.text.rfind("\n", 0, span.start) + 1
            speaker = doc.text[line_start:].partition(":")[0].strip().lower()
            if span.category in gold and speaker == "caller":
                gold[span.category] += 1
        lines = []
        for raw in doc.text.splitlines():
            speaker, sep, rest = raw.partition(":")
            if sep and speaker.strip().lower() in SPEAKERS:
                lines.append(f"{speaker.strip().lower()}: {rest.strip()}")
        calls.append((int(doc.id.removeprefix("call_")), "\n".join(lines), gold))
    return calls


def entity_recall(path: Path, half: str = "even") -> dict:
    """Spoken competitor and insurer mentions (caller side) recovered as Tier 3 mentions on a calls_dev subset
    (``half``: a key of ``evaluate.CALLS_DEV_HALVES``; "even-b" is the quarter never read, scores only)."""
    from cipher_devtools.evaluate import CALLS_DEV_HALVES
    from cipher_pipeline.deid import Redactor
    from cipher_pipeline.insights import features
    from cipher_pipeline.insights import taxonomy as tx
    from cipher_pipeline.insights.text import PLACEHOLDER, caller_lines
    from cipher_pipeline.settings import PROJECT_ROOT

    taxonomy = tx.load(PROJECT_ROOT / "assets" / "insights" / "taxonomy.yaml")
    calls = [c for c in parse_calls(path) if CALLS_DEV_HALVES[half](c[0])]
    redacted = Redactor.default().redact_many([text for _, text, _ in calls])
    out = {}
    for kind in ("COMPETITOR", "INSURER"):
        gold_total = found_matched = extra = calls_with = calls_hit = tags = found_total = 0
        for (_, _, gold), result in zip(calls, redacted):
            f = features.extract("2026-01-01", "T", result.redacted_text, taxonomy)
            found = sum(m.kind == kind for m in f.mentions)
            # What the redactor handed Tier 3: placeholders of this kind on caller lines (Tier 3's own share of
            # any miss is tags - found; the rest is the redactor's).
            tags += sum(m.group(1) == kind for line in caller_lines(result.redacted_text) for m in PLACEHOLDER.finditer(line))
            found_total += found
            gold_total += gold[kind]
            found_matched += min(found, gold[kind])
            extra += max(0, found - gold[kind])
            calls_with += gold[kind] > 0
            calls_hit += gold[kind] > 0 and found > 0
        out[kind] = {"calls": len(calls), "gold_mentions": gold_total, "recall": round(found_matched / max(gold_total, 1), 3),
                     "extra_mentions": extra, "calls_with_mention": calls_with, "caller_tags": tags, "found": found_total,
                     "call_recall": round(calls_hit / max(calls_with, 1), 3)}  # fmt: skip
    return out


def asr_entity_recall(data_root: Path, gold_root: Path, days: list[str]) -> dict:
    """The same recall after real transcription: synthetic calls spoken into the inbox (``cipher demo``), their
    released redacted transcripts read by Tier 3, against the generator's spoken truth (caller turns only).

    Tier 2 ids are derived from each row's own content, so no row can be tied back to its call (by design); the
    comparison is therefore per day: mentions found across the day's transcripts against mentions spoken across
    its calls, capped at the spoken count so extra finds never hide misses."""
    import polars as pl

    from cipher_pipeline.insights import features
    from cipher_pipeline.insights import taxonomy as tx
    from cipher_pipeline.settings import PROJECT_ROOT
    from cipher_devtools.synth.gold import load_gold

    taxonomy = tx.load(PROJECT_ROOT / "assets" / "insights" / "taxonomy.yaml")
    totals = {k: {"gold_mentions": 0, "found": 0, "extra_mentions": 0} for k in ("COMPETITOR", "INSURER")}
    calls = 0
    for day in days:
        path = Path(data_root) / "tier2" / "redacted_transcripts" / f"{day}.parquet"
        if not path.exists():
            continue
        texts = pl.read_parquet(path)["redacted_text"].to_list()
        calls += len(texts)
        found_by_kind = {kind: 0 for kind in totals}
        for text in texts:
            for m in features.extract(day, "T", text, taxonomy).mentions:
                if m.kind in found_by_kind:
                    found_by_kind[m.kind] += 1
        for kind in totals:
            spoken = sum(
                1
                for gold in load_gold(gold_root, day)
                for s in gold["identifiers"]
                if s["category"] == kind and gold["turns"][s["turn"]]["speaker"] == "caller"
            )
            totals[kind]["gold_mentions"] += spoken
            totals[kind]["found"] += min(found_by_kind[kind], spoken)
            totals[kind]["extra_mentions"] += max(0, found_by_kind[kind] - spoken)
    return {"calls": calls, **{k: {**v, "recall": round(v["found"] / max(v["gold_mentions"], 1), 3)} for k, v in totals.items()}}
