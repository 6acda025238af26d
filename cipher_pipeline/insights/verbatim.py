"""The no-verbatim rule: no published string carries a run of 6+ consecutive words that occurs in fewer than
k distinct calls. Strings are normalised the way the transcripts are (``text.normalise``), punctuation and
separators ignored, so splitting a quote with commas or slashes does not hide it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import polars as pl

from cipher_pipeline.insights.features import QUOTE_WORDS, CallFeatures
from cipher_pipeline.insights.text import normalise


# A namespace prefix on a published id ("emergent:" in "emergent:need to get away") is the system's label, not
# speech: it is left out so that it does not lengthen the phrase after it into a run no caller said.
_ID_PREFIX = re.compile(r"^[a-z_]+:(?=\S)")


def windows(value: str) -> list[str]:
    # A snake_case id ("insurance_and_cost") is one token: it names a taxonomy entry, it quotes nobody.
    value = _ID_PREFIX.sub("", value)
    tokens: list[str] = []
    for piece in value.split():
        if "_" in piece and piece.replace("_", "").isalnum():
            tokens.append(piece.lower())
        else:
            # Placeholders break a run in the transcripts; in a published string they are words like any other.
            tokens.extend(t.strip("<>").lower() for t in normalise(piece))
    return [" ".join(tokens[i : i + QUOTE_WORDS]) for i in range(len(tokens) - QUOTE_WORDS + 1)]


def table_strings(tables: dict[str, pl.DataFrame]) -> list[str]:
    out = []
    for df in tables.values():
        for name, dtype in df.schema.items():
            if dtype == pl.String:
                out.extend(v for v in df[name].to_list() if v)
    return out


def find_quotes(strings: Iterable[str], calls: list[CallFeatures], k: int) -> list[str]:
    """Runs of 6+ words in ``strings`` found in fewer than k of ``calls`` (the offending runs, not the calls)."""
    wanted = {w for s in strings for w in windows(s)}
    if not wanted:
        return []
    seen: Counter = Counter()
    for call in calls:
        seen.update(wanted & call.quote_windows)
    return sorted(w for w in wanted if seen[w] < k)
