"""The callers' side of a de-identified transcript, as normalised sentences of words and placeholders.

Tier 2 text is ``agent: ...`` / ``caller: ...`` lines with placeholders such as ``[NAME]`` or
``[COMPETITOR:seaside_recovery]``. Everything in Tier 3 reads the caller's lines only, normalised so that the
spellings Whisper and people vary between count as one pattern: lower case, apostrophes dropped ("don't" ->
"dont"), hyphens as spaces, "gonna" -> "going to", small numbers written as words ("30 days" -> "thirty days"),
fillers ("um", "uh") dropped. A placeholder stays one token (``<NAME>``, ``<COMPETITOR:seaside_recovery>``) so
that no phrase, sentence match or quote can run across a redacted identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A placeholder's id is read leniently ("[COMPETITOR:Seaside-Recovery]" is seaside_recovery): whatever shape the
# redactor gives a canonical id, Tier 3 must count the tag, never read it as words.
PLACEHOLDER = re.compile(r"\[([A-Z_]+)(?::([A-Za-z0-9_-]+))?\]")
_TOKEN = re.compile(r"<[A-Z_]+(?::[a-z0-9_]+)?>|[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.?!;])\s+")

_VARIANTS = {
    "gonna": ["going", "to"], "wanna": ["want", "to"], "gotta": ["got", "to"], "kinda": ["kind", "of"],
    "cuz": ["because"], "cause": ["because"], "coz": ["because"], "ya": ["you"], "yall": ["you", "all"],
    "ok": ["okay"], "k": ["okay"], "alright": ["all", "right"], "rehabilitation": ["rehab"],
    "detoxing": ["detox"], "detoxification": ["detox"], "meds": ["meds"], "cellphone": ["cell", "phone"],
    "im": ["im"], "theyre": ["theyre"], "cant": ["cant"], "harbourview": ["harborview"], "harbour": ["harbor"],
}
FILLERS = frozenset({"um", "uh", "uhm", "umm", "er", "erm", "ah", "hmm", "mm", "mhm", "uhh"})
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    return [str(n)]


def caller_lines(redacted_text: str) -> list[str]:
    return [line.split(":", 1)[1] for line in redacted_text.splitlines() if line.lower().startswith("caller:")]


def agent_lines(redacted_text: str) -> list[str]:
    return [line.split(":", 1)[1] for line in redacted_text.splitlines() if line.lower().startswith("agent:")]


def normalise(text: str) -> list[str]:
    """Tokens of one piece of text: words normalised as described above, placeholders as ``<KIND[:id]>``."""
    marked = PLACEHOLDER.sub(lambda m: f" <{m.group(1)}{':' + m.group(2).lower().replace('-', '_') if m.group(2) else ''}> ", text)
    # Lower-case everything outside placeholders (they are upper-case by construction and must stay so).
    pieces = re.split(r"(<[A-Z_]+(?::[a-z0-9_]+)?>)", marked)
    lowered = "".join(p if p.startswith("<") else p.lower().replace("-", " ").replace("’", "'") for p in pieces)
    tokens: list[str] = []
    for raw in _TOKEN.findall(lowered):
        if raw.startswith("<"):
            tokens.append(raw)
            continue
        word = raw.replace("'", "")
        if word in FILLERS:
            continue
        if word.isdigit():
            tokens.extend(number_words(int(word)) if len(word) <= 2 else [word])
            continue
        tokens.extend(_VARIANTS.get(word, [word]))
    return tokens


@dataclass(frozen=True)
class Sentence:
    turn: int  # index of the caller turn
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def caller_sentences(redacted_text: str) -> list[Sentence]:
    """The caller's turns split into sentences (on . ? ! ;), each normalised; empty sentences dropped."""
    sentences = []
    for turn, line in enumerate(caller_lines(redacted_text)):
        for piece in _SENTENCE_END.split(line.strip()):
            tokens = normalise(piece)
            if tokens:
                sentences.append(Sentence(turn, tuple(tokens)))
    return sentences


def word_runs(tokens: tuple[str, ...] | list[str]) -> list[list[str]]:
    """The runs of plain words between placeholders: phrases and quotes are formed inside one run only."""
    runs, current = [], []
    for token in tokens:
        if token.startswith("<"):
            if current:
                runs.append(current)
            current = []
        else:
            current.append(token)
    if current:
        runs.append(current)
    return runs
