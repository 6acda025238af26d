"""Buyer language: caller phrases of 2 to 6 words that carry meaning, and their lift over general English.

A candidate is a run of words inside one caller sentence (never across a placeholder) that neither starts nor
ends with a function word and holds at least one content word: "get away from everything", "lose my job",
"how long is the program", not "and then i" or "thank you so". Lift compares how often a phrase occurs per
caller word with how often English would produce that word sequence by chance, from the ``wordfreq``
package's general-English unigram frequencies (books, subtitles, web, news): a phrase made of rare words or
of common words in an unusual combination has high lift; "calling about" has little.
"""

from __future__ import annotations

import math
from functools import lru_cache

MIN_WORDS, MAX_WORDS = 2, 6

# Words a phrase may not start with: conjunctions, articles, auxiliaries, pronouns as subjects, fillers.
NO_START = frozenset(
    "a an the and or but so because if then that which who whom whose of to in on at for with by from as than "
    "is are was were be been being am do does did has have had will would shall should can could may might must "
    "i im ive id ill you youre youve he hes she shes it its we were weve they theyre them him her his their our "
    "your my me us okay yeah yes no well like just really very um uh oh hi hello hey thank thanks please sure "
    "also too even still then there here this these those what whats when where how why all any some every "
    "maybe kind sort actually basically literally right mean know while until since though although unless whether "
    "after before".split()
)
# Words a phrase may not end with: everything that leaves it hanging.
NO_END = NO_START | frozenset("get got getting going go gonna want need about into up out over off around".split())
# Content-free words: a phrase made only of these and function words says nothing.
LIGHT = NO_END | frozenset(
    "call calling called number say said tell told talk talking think thought guess okay thing things stuff "
    "something anything way lot bit time good great fine sorry hear ma'am maam sir name".split()
)


def candidates(words: list[str]) -> list[str]:
    """Every 2-6 word phrase in one run of words that passes the start, end and content rules."""
    found = []
    for i, first in enumerate(words):
        if first in NO_START:
            continue
        for n in range(MIN_WORDS, MAX_WORDS + 1):
            if i + n > len(words):
                break
            gram = words[i : i + n]
            if gram[-1] in NO_END or all(w in LIGHT for w in gram):
                continue
            found.append(" ".join(gram))
    return found


@lru_cache(maxsize=200_000)
def english_frequency(word: str) -> float:
    # Heavy optional import at call time: wordfreq loads its frequency tables on first use.
    from wordfreq import word_frequency

    # Floor at 1e-8 (about one in a hundred million words): unseen words would otherwise give infinite lift.
    return max(word_frequency(word, "en"), 1e-8)


def log10_lift(phrase: str, occurrences: int, caller_words: int) -> float:
    """log10 of (occurrences per caller word) / (chance of this word sequence in general English)."""
    if occurrences <= 0 or caller_words <= 0:
        return 0.0
    expected = sum(math.log10(english_frequency(w)) for w in phrase.split())
    return round(math.log10(occurrences / caller_words) - expected, 3)
