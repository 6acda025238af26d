"""The shared transcript vocabulary: the prefix readers recognise is the prefix the writers write."""

from cipher_devtools.synth.spoken import number_words
from cipher_pipeline.deid.turns import LABEL
from cipher_pipeline.vocabulary import DIGIT_WORDS, NUMBER_WORD_PATTERN, SPEAKERS, turn_line
import re


def test_every_written_turn_prefix_is_recognised_and_nothing_else():
    text = "".join(turn_line(s, "my number is six one nine") for s in (*SPEAKERS, "unknown", "speaker 2"))
    assert len(LABEL.findall(text)) == 4
    assert LABEL.sub("", text).splitlines() == ["my number is six one nine"] * 4
    assert not LABEL.search("caller said: hello\nMaria: hi\n")


def test_number_words_round_trip_through_the_shared_tables():
    for n in range(100):
        for word in re.split(r"[ -]", number_words(n)):
            assert re.fullmatch(NUMBER_WORD_PATTERN, word), word
    assert "".join(DIGIT_WORDS[w] for w in "six oh two".split()) == "602"
