"""Words the whole project shares about a call transcript: who speaks and how numbers are said.

A transcript is one turn per line, ``agent: ...`` / ``caller: ...`` (see ``transcribe.Transcript.text``). The
redactor, the residual scan, the synthetic generator and the evaluation all read or write that form and all meet
numbers said as words ("six one nine", "nineteen eighty-seven"); this module is the one list of each, so the speaker
set and the number words cannot drift apart between writer and readers.
"""

from __future__ import annotations


# The two channels of a dual-channel recording, in channel order (left = agent, right = caller).
SPEAKERS: tuple[str, ...] = ("agent", "caller")
AGENT, CALLER = SPEAKERS

# The labels a turn may carry in transcripts from other sources (diarized vendors, hand-written test calls) and the
# one reader of the turn form are the de-identification engine's: ``cipher_pipeline/deid/turns.py``.


def turn_line(speaker: str, text: str) -> str:
    """One transcript line: ``turn_line("caller", "hi") == "caller: hi\\n"``."""
    return f"{speaker}: {text}\n"


# Cardinal number words 0-19 and the tens, in value order: ONES[7] == "seven", TENS[4] == "forty".
ONES: tuple[str, ...] = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
TENS: tuple[str, ...] = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Digit words as said in phone numbers and ids; "oh" is the spoken zero ("six oh two").
DIGIT_WORDS: dict[str, str] = {"zero": "0", "oh": "0", **{ONES[i]: str(i) for i in range(1, 10)}}
SCALE_WORDS: tuple[str, ...] = ("hundred", "thousand")

# Regex alternations over the lists above, for readers that match spoken numbers.
UNITS_PATTERN = r"(?:" + "|".join(ONES[1:10]) + r")"
NUMBER_WORD_PATTERN = r"(?:" + "|".join(("oh", *ONES, *TENS[2:], *SCALE_WORDS)) + r")"
# Ordinal words as said in dates ("the third", "the twenty-first" = "twenty" + ORDINALS[1]).
ORDINALS: dict[int, str] = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth", 9: "ninth",
    10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth", 15: "fifteenth",
    16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth", 20: "twentieth", 30: "thirtieth",
}
