"""Over-masking, third pass (fp22): a web address's path that ran on into the next sentence, and the words of a
reply said before an email address. Every input is invented for this file (other names, hosts, paths and wordings
than the development calls that showed the class); each shape is tested both ways: the ordinary words left alone, an
identifier of a similar shape still masked."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import asr_shapes, rules
from cipher_pipeline.deid.words import opens_clause


def _url(text: str) -> list[str]:
    """What the url recognizer's findings cover together (two of its patterns may read one address)."""
    spans = [s for s in rules.find(text) if s.recognizer == "url"]
    return [text[min(s.start for s in spans) : max(s.end for s in spans)]] if spans else []


def _remnant(text: str) -> list[str]:
    return [text[s.start : s.end] for s in asr_shapes._email_spans(text)]


# ------------------------------------------------------------------------------------------------ a path's end
@pytest.mark.parametrize(
    "text, address",
    [
        # written: the path ends at the sentence's stop
        ("caller: it's on tinyfund.com/f/help-ezra-heal. Everyone chipped in.", "tinyfund.com/f/help-ezra-heal"),
        ("caller: her page, facebook.com/nell.okoro.31. I'm scared of what she posts.", "facebook.com/nell.okoro.31"),
        ("agent: fill it out at portal.bayside-example.org/parents. What's your cell?", "portal.bayside-example.org/parents"),
        # said: the path ends before a word that opens or joins a clause
        ("caller: it's bayside example dot org slash parents it has the visiting hours", "bayside example dot org slash parents"),
        ("caller: go to helpfund dot com slash f slash kobe comes home what's next", "helpfund dot com slash f slash kobe comes home"),
        ("caller: instagram dot com slash dre wynn 7 alright please call me back", "instagram dot com slash dre wynn 7"),
        ("caller: it's helpfund dot com slash f slash help my dad beat cancer and people gave", "helpfund dot com slash f slash help my dad beat cancer"),
    ],
)
def test_a_path_ends_where_the_next_clause_begins(text: str, address: str) -> None:
    assert _url(text) == [address]


@pytest.mark.parametrize(
    "text, address",
    [
        # a fundraiser's or a profile's words said after the path stay in it: determiners, object pronouns, verbs
        ("caller: helpfund dot com slash f slash bring him home", "helpfund dot com slash f slash bring him home"),
        ("caller: it's helpfund dot com slash f slash help the abara family", "helpfund dot com slash f slash help the abara family"),
        ("caller: linkedin dot com slash in slash tovah brandt c p a", "linkedin dot com slash in slash tovah brandt c p a"),
        ("caller: it's at https://caring.example/visit/rocco-d", "https://caring.example/visit/rocco-d"),
    ],
)
def test_a_path_said_in_words_keeps_its_words(text: str, address: str) -> None:
    assert _url(text) == [address]


def test_clause_openers() -> None:
    assert all(opens_clause(w) for w in ("i'm", "What's", "it", "everybody", "alright", "they’re"))
    assert not any(opens_clause(w) for w in ("the", "my", "him", "help", "home", "get", "well", "kayla's"))


# ------------------------------------------------------------------------------------------------ a reply's lead-in
@pytest.mark.parametrize(
    "text, address",
    [
        ("agent: and an email?\ncaller: so you can send the forms, is odessa.quill@example.net\n", "odessa.quill@example.net"),
        ("agent: and an email?\ncaller: just in case you need it it's odessa dot quill at example dot net\n", "odessa dot quill at example dot net"),
        ("agent: email?\ncaller: you can send me the packet marek dot h at outlook dot com\n", "packet marek dot h at outlook dot com"),
        ("agent: what email?\ncaller: my niece's, tula b 62 at gmail dot com\n", "tula b 62 at gmail dot com"),
        ("agent: what email?\ncaller: from my work account: s.nadeau@mill-example.com\n", "s.nadeau@mill-example.com"),
        ("agent: what email?\ncaller: write to me at fenwick.pa@aol.com\n", "fenwick.pa@aol.com"),
    ],
)
def test_the_words_before_an_address_are_the_reply_not_the_address(text: str, address: str) -> None:
    assert _remnant(text) == [address]


@pytest.mark.parametrize(
    "text, address",
    [
        # a name Whisper split or paused is the local part, and so are spelled letters and digit words
        ("agent: what's your email?\ncaller: it's dora swift bird at gmail dot com\n", "dora swift bird at gmail dot com"),
        ("agent: what's your email?\ncaller: Anneke, Voss at gmail.com.\n", "Anneke, Voss at gmail.com"),
        ("agent: what's your email?\ncaller: Anneke Voss, at gmail.com.\n", "Anneke Voss, at gmail.com"),
        ("agent: what's your email?\ncaller: it's quinn ray six one oh at icloud dot com\n", "quinn ray six one oh at icloud dot com"),
        ("agent: your email?\ncaller: b, r, o, w, n, one, two at yahoo dot com\n", "b, r, o, w, n, one, two at yahoo dot com"),
    ],
)
def test_the_local_part_stays_whole(text: str, address: str) -> None:
    assert _remnant(text) == [address]
