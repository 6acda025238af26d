"""A name the caller disowns, corrects, goes by or is called by, carried to every mention (session 8, issue 8, branch
names9). Every example is invented here, with other names and words than the calls that showed the class (those are
scored, never tested against). Each positive case fails on the engine before this change; the guard cases beside
them are the everyday phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import names
from tests.test_deid_call_classes import _readable


def _masked_in(redactor, text: str, context: str, word: str) -> bool:
    """Whether ``word``, where it stands inside ``context`` (a mention the frame is not part of), is masked."""
    start = text.index(context) + context.index(word)
    return any(s.start <= start and start + len(word) <= s.end for s in redactor.redact(text).spans)


def _framed(text: str) -> list[str]:
    return [text[start:end] for start, end in names.name_frames(text)]


# ------------------------------------------------------------------------------------------ the frames themselves
@pytest.mark.parametrize(
    "text,said",
    [
        ("caller: ok so my name's not actually tad. it's ansel", ["tad"]),
        ("caller: her name isn't really gwen bolt, that was her maiden name", ["gwen bolt"]),
        ("caller: yeah it ain't rex. it's lorne", ["rex"]),
        ("caller: i told you nell but it's really odessa pike", ["nell", "odessa pike"]),
        ("caller: my legal name is Ngoc Tran but nobody uses it", ["Ngoc Tran"]),
        ("caller: he goes by biscuit now", ["biscuit"]),
        ("caller: everybody calls her pickle, since kindergarten", ["pickle"]),
        ("caller: we call him tater. he's my baby brother", ["tater"]),
    ],
)
def test_a_name_said_in_a_disowning_correcting_or_calling_frame(text, said):
    assert _framed(text) == said


@pytest.mark.parametrize(
    "text",
    [
        "caller: i go by bus most days",
        "caller: time goes by so fast with him gone",
        "caller: they call him crazy but he isn't",
        "caller: i'm not actually sure what he took",
        "caller: my name's not important, it's my son i'm calling about",
        "caller: it's not bad. it's just a lot",
        "caller: i said no but it's actually fine now",
        "caller: nobody calls me that anymore",
        "caller: my real name is on the card",
        "caller: we go by walmart on the way to his place",
        "caller: we called him twice and he didn't pick up",
    ],
)
def test_ordinary_speech_of_the_same_shape_names_no_one(text):
    assert _framed(text) == []


# ------------------------------------------------------------------------------------------ every mention, any case
@pytest.mark.parametrize(
    "text,phrase,word",
    [
        # the disowned name said before and after the frame, in lower case, with no cue at the other mention
        ("caller: hi my name is tad ross\nagent: sure tad what can i do\ncaller: ok look my name isn't tad. it's ansel\n",
         "sure tad what", "tad"),
        # a nickname that is a common word, said again as the subject of a sentence
        ("caller: everybody calls him biscuit. biscuit been drinking since noon\n", "biscuit been", "biscuit"),
        ("caller: we call her pickle\nagent: ok\ncaller: so pickle moved back in with me in march\n", "so pickle moved", "pickle"),
        # the name disowned after it is said: "that's not my real name", "well, not my real name"
        ("caller: this is buck\nagent: ok\ncaller: well, that's not my real name\nagent: no problem\n"
         "caller: so buck is what folks say\n", "buck is", "buck"),
        ("caller: my name is bear, well not my real name\nagent: ok so bear what's going on\n", "so bear what", "bear"),
    ],
)
def test_a_framed_name_is_masked_wherever_the_call_says_it(redactor, text, phrase, word):
    assert _masked_in(redactor, text, phrase, word)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: everybody calls him biscuit\ncaller: he ate a biscuit for breakfast\n", "a biscuit for"),
        ("caller: we call her pickle\ncaller: she's in a real pickle with the court\n", "a real pickle"),
        ("caller: everybody calls him will\ncaller: i will drive him there\n", "i will drive"),
    ],
)
def test_the_word_itself_stays_where_it_is_the_word(redactor, text, phrase):
    assert _readable(redactor, text, phrase)
