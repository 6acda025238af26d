"""Read the gold annotations that ``generate_calls`` writes next to (never into) the inbox.

Helpers for tests and evaluations downstream: load a day's gold records, list every planted identifier of a
call (script and call-tracking row alike) for leak checks, and turn a call's script into the same
one-turn-per-line record ``generate_corpus`` produces so de-identification can be scored on it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from cipher_pipeline.vocabulary import turn_line


def load_gold(gold_root: Path, day: date | str) -> list[dict]:
    """Every gold record of one day, ordered by the call's start time."""
    folder = Path(gold_root) / (day.isoformat() if isinstance(day, date) else day)
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("CAL*.json"))]
    return sorted(records, key=lambda r: r["start_time"])


def identifier_values(gold: dict) -> list[dict]:
    """All identifiers planted in one call: ``{"source", "category", "value", "normalized"}``.

    ``source`` is ``"script"`` for words spoken in the call or ``"csv:<column>"`` for the call-tracking row.
    ``normalized`` drops formatting (digits only, ISO dates, lower case) so a check can find a value however a
    transcript happened to write it.
    """
    out = [{"source": "script", "category": s["category"], "value": s["value"],
            "normalized": s.get("normalized", s["value"].lower())} for s in gold["identifiers"]]
    out += [{"source": f"csv:{m['field']}", "category": m["category"], "value": m["value"],
             "normalized": m["normalized"]} for m in gold["metadata_identifiers"]]
    return out


def record_from_gold(gold: dict) -> dict:
    """The call's script as a corpus record (``speaker: text`` lines with document-level span offsets)."""
    lines: list[str] = []
    starts: list[int] = []
    offset = 0
    for turn in gold["turns"]:
        line = turn_line(turn["speaker"], turn["text"]).rstrip("\n")
        starts.append(offset + len(line) - len(turn["text"]))
        lines.append(line)
        offset += len(line) + 1

    def shift(span: dict) -> dict:
        base = starts[span["turn"]]
        moved = {k: v for k, v in span.items() if k != "turn"}
        moved.update(start=span["start"] + base, end=span["end"] + base)
        return moved

    return {
        "id": gold["call_id"],
        "day": gold["day"],
        "text": "\n".join(lines),
        "spans": [shift(s) for s in gold["identifiers"]],
        "must_survive": [shift(s) for s in gold["must_survive_spans"]],
        "facts": gold["facts"],
    }
