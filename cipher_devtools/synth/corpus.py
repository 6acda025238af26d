"""Text-only synthetic calls for de-identification development: no audio, exact identifier spans.

``generate_corpus(n, seed)`` formats each call one turn per line (``agent: ...`` / ``caller: ...``) with the
spans of every planted identifier. With ``asr_style=True`` the same calls read like Whisper output on phone
audio: punctuation dropped, names lower-cased, upper-cased or misheard ("Eric Hallaway" for "Derek Holloway"),
IDs written with separators ("XWB-448,172,093"), some numbers as digits and some as words. The spans follow the
rewritten text, so ``text[start:end] == value`` always holds.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cipher_devtools.synth.script import build_script
from cipher_devtools.synth.segments import asr_segments, render_turn
from cipher_pipeline.vocabulary import turn_line

CORPUS_START = date(2026, 1, 5)
CORPUS_DAYS = 330


def format_call(turns: list, rng: random.Random | None = None) -> tuple[str, list[dict], list[dict]]:
    """Join script turns into ``speaker: text`` lines; returns text, identifier spans and must-survive spans.

    With ``rng`` the turns are re-rendered ASR-style first.
    """
    lines: list[str] = []
    spans: list[dict] = []
    keeps: list[dict] = []
    offset = 0
    for turn in turns:
        rendered = render_turn(turn, asr_segments(turn, rng) if rng is not None else None)
        line = turn_line(rendered.speaker, rendered.text).rstrip("\n")
        base = offset + len(line) - len(rendered.text)
        for span in rendered.identifiers:
            spans.append({**span, "start": span["start"] + base, "end": span["end"] + base})
        for span in rendered.must_survive:
            keeps.append({**span, "start": span["start"] + base, "end": span["end"] + base})
        lines.append(line)
        offset += len(line) + 1  # the newline
    return "\n".join(lines), spans, keeps


def generate_corpus(n: int, seed: int, asr_style: bool = False) -> list[dict]:
    """``n`` fictional admissions calls as ``{"id", "day", "style", "text", "spans", "must_survive", "facts"}``.

    ``spans`` are ``{"start", "end", "category", "value"}`` (plus ``normalized`` and, for insurers and
    competitors, ``canonical``); ``must_survive`` are phrases a de-identifier must leave alone
    (``{"start", "end", "kind", "value"}``). The same ``(n, seed)`` gives the same calls; ``asr_style`` changes
    only how they are written, not who is in them.
    """
    records = []
    for i in range(n):
        rng = random.Random(f"cipher-corpus:{seed}:{i}")
        day = CORPUS_START + timedelta(days=rng.randrange(CORPUS_DAYS))
        script = build_script(day, rng)
        asr_rng = random.Random(f"cipher-corpus:{seed}:{i}:asr") if asr_style else None
        text, spans, keeps = format_call(script.turns, asr_rng)
        records.append({
            "id": f"synth-{seed}-{i:05d}",
            "day": day.isoformat(),
            "style": "asr" if asr_style else "clean",
            "text": text,
            "spans": spans,
            "must_survive": keeps,
            "facts": script.facts,
        })
    return records
