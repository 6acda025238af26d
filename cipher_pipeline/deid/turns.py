"""Speaker turns of a call transcript: the engine's one reader of ``Speaker: text`` lines.

A transcript is one turn per line, ``agent: ...`` / ``caller: ...`` (``vocabulary.turn_line`` writes it; diarized
vendors and hand-written test calls add other labels). Before this module (session 17, issue 8) the engine read that
form in nine places with six label sets, so a call with an interpreter or a relay operator was dialogue to one
recognizer and prose to the next:

- ``words._SPEAKER_LABEL`` (casing): any short label ("Interpreter:"), so labels do not count as words of the speech;
- ``rules._TURN`` (identifiers across turns, rules16): any short label, with "speaker_2";
- ``asr_shapes._SPEAKER`` (a number Whisper split over two lines): any one word, as a same-speaker test;
- ``asr_shapes._TURN``, ``spans._TURN_PREFIX`` (labels are never masked): agent, caller, speaker N, rep, operator,
  patient;
- ``slots._SPEAKER`` (question / answer pairs): agent, caller, rep, operator, patient, no "speaker N";
- ``register._SPEAKER_LINE`` (a transcript is no chart): agent, caller, speaker N, rep, operator, interpreter;
- ``learned._SPEAKER`` (the CRF's "speaker" feature, from ``vocabulary.PREFIX_LABELS``): agent, caller, speaker N or
  bare "speaker", unknown, rep, operator, patient;
- ``ner`` (is a word the first of its sentence): agent, caller only.

Each list grew with the shape its recognizer met first; none excluded a label on purpose. Now there is one declared
set (``LABELS`` plus the numbered forms) that every strict reader uses, and one named loose variant
(``ANY_SHORT_LABEL``) for the readers that must also skip a label nobody declared: casing must not count "Nurse:" as
speech, and a number split over two lines is the same speaker's whatever the speaker is called.

Not here, on purpose: ``gate/residual.py`` keeps its own reader (the residual scan stays independent of the redactor's
code, issue 9); ``cipher_devtools/raw_projection.py`` and ``synth/markup.py`` parse formats the project writes itself,
with exactly "Agent:" and "Caller:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from cipher_pipeline.vocabulary import SPEAKERS

# Every label a turn may carry: the two channels, then labels of other sources (a vendor's "rep" / "operator" /
# "patient", a relay "interpreter", a diarizer's "unknown"). A label is transcript structure, never an identifier.
LABELS: tuple[str, ...] = (*SPEAKERS, "rep", "operator", "patient", "interpreter", "unknown")
# a diarizer's numbered speakers: "Speaker 2:", "speaker_2:", "SPEAKER2:", and a bare "Speaker:"
NUMBERED = r"speaker(?:[ _]?\d+)?"
# who takes the agent's side of a question / answer exchange, and who the caller's; any other label is neither
AGENT_SIDE: frozenset[str] = frozenset({"agent", "rep", "operator"})
CALLER_SIDE: frozenset[str] = frozenset({"caller", "patient"})

# the label alternation, for a pattern that embeds a label (``learned._SENTENCE_START``)
LABEL_PATTERN = "|".join((*LABELS, NUMBERED))
AGENT_PATTERN = "|".join(sorted(AGENT_SIDE))

# A declared label at a line's start, with the spaces around its colon; group 1 is the label.
LABEL = re.compile(r"^[ \t]*(" + LABEL_PATTERN + r")[ \t]*:[ \t]*", re.I | re.M)
# The loose variant: any short label at a line's start (a letter, then up to twenty letters or spaces, an optional
# number of one or two digits), for readers that must skip labels nobody declared. It also takes a chart's heading
# ("Neuro:"); a reader that needs to know who speaks uses ``LABEL``.
ANY_SHORT_LABEL_PATTERN = r"[A-Za-z][A-Za-z ]{0,20}?(?:[ _]?\d{1,2})?"
ANY_SHORT_LABEL = re.compile(r"^[ \t]*(" + ANY_SHORT_LABEL_PATTERN + r")[ \t]*:[ \t]*", re.M)


@dataclass(frozen=True, slots=True)
class Turn:
    """One line of a transcript: ``text[start:end]`` is what was said, without the label or the line end."""

    speaker: str | None  # the label, lower case ("caller", "speaker 2"); None on a line without one
    start: int  # the first character after the label and the spaces after its colon (the line's start if none)
    end: int  # the line's end, before its "\n" (and before the "\r" of a CRLF line end)
    line_start: int  # where the line (and its label) begins

    @property
    def side(self) -> str | None:
        """``"agent"`` or ``"caller"`` for a label on either side of the exchange, else None."""
        return "agent" if self.speaker in AGENT_SIDE else "caller" if self.speaker in CALLER_SIDE else None


def label_at(text: str, pos: int = 0, endpos: int | None = None, loose: bool = False) -> re.Match[str] | None:
    """The label that opens the line starting at ``pos`` (its group 1 is the label), or None."""
    pattern = ANY_SHORT_LABEL if loose else LABEL
    return pattern.match(text, pos, len(text) if endpos is None else endpos)


def speaker_at(text: str, pos: int = 0, loose: bool = False) -> str | None:
    """The lower-case label of the line starting at ``pos``, or None."""
    label = label_at(text, pos, loose=loose)
    return label.group(1).lower() if label else None


def read_turns(text: str, loose: bool = False, unlabelled: bool = False) -> Iterator[Turn]:
    """Every labelled line of ``text`` in order (and, with ``unlabelled``, every other line too, speaker None).

    Offsets index ``text`` itself: nothing is normalised, so a span found in ``text[turn.start:turn.end]`` maps back
    as it is. ``loose``: read ``ANY_SHORT_LABEL``'s labels, not only the declared ones."""
    pattern = ANY_SHORT_LABEL if loose else LABEL
    line_start = 0
    size = len(text)
    while line_start <= size:
        newline = text.find("\n", line_start)
        line_end = size if newline < 0 else newline
        end = line_end - 1 if line_end > line_start and text[line_end - 1] == "\r" else line_end
        label = pattern.match(text, line_start, end)
        if label:
            yield Turn(label.group(1).lower(), label.end(), end, line_start)
        elif unlabelled:
            yield Turn(None, line_start, end, line_start)
        if newline < 0:
            break
        line_start = newline + 1


def strip_labels(text: str, loose: bool = False) -> str:
    """``text`` without its speaker labels (and the spaces after them): the speech alone."""
    return (ANY_SHORT_LABEL if loose else LABEL).sub("", text)
