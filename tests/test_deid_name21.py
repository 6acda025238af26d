"""Session 21 (name21, issue 8): a name introduced with its surname, said again with no cue, in three more shapes of
introduction: the restart callers make on their own name ("my name's <g> <g> <surname>"), a relative introduced the
same way ("my husband is <g> <surname>"), a given name no list knows after "my name is" with a two-word surname; and
the introduction said again ("yeah this is <g> the shop on ..."). Every call here is invented: names, places and
phrasings no corpus call uses. Guards: the same words doing their word's job, and introductions that are not one."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import ner
from cipher_pipeline.deid.spans import Span


def _last_mention_masked(redactor, text: str, name: str) -> bool:
    last = text.rindex(name)
    return any(s.start <= last and last + len(name) <= s.end for s in redactor.redact(text).spans)


def _readable(redactor, text: str, phrase: str) -> bool:
    text = text if text.endswith("\n") else text + "\n"
    return phrase in redactor.redact(text).redacted_text


@pytest.mark.parametrize(
    "text,name",
    [
        # the restart: the given name said twice, then the surname (here a word too)
        ("caller: hi. my name's chase chase bolt\ncaller: chase hauls freight out of the yard on weekends\n", "chase"),
        ("caller: it's grant grant okonjo calling\nagent: and grant a callback number\n", "grant"),
        # a relative introduced with the surname
        ("caller: i'm calling about my husband. my husband is miles vukovich he's fifty\n"
         "agent: okay\ncaller: he says miles wants to come in monday\n", "miles"),
        # a given name no list knows, after "my name is", with a two-word surname; then confirmed without a cue
        ("caller: um my name is breezy de tarnowski. yes breezy is what my mom picked\n", "breezy"),
        # the introduction said again mid-call: "this is <given>" then the clause goes on
        ("caller: my name's dean pruett-okafor\nagent: hi\ncaller: yeah this is dean the garage off route four\n", "dean"),
    ],
)
def test_an_introduced_name_said_again_without_a_cue_is_masked(redactor, text, name):
    assert _last_mention_masked(redactor, text, name)


@pytest.mark.parametrize(
    "text,phrase",
    [
        # the word's own job after an introduction: a determiner, a subject, a negation or degree word
        ("caller: my name's chase chase bolt\ncaller: the police chase went on an hour\n", "police chase went"),
        ("caller: my name is breezy de tarnowski\ncaller: it was not breezy at all up on the ridge\n",
         "not breezy at"),
        ("caller: my husband is miles vukovich\ncaller: it's about forty miles from us\n", "forty miles from"),
        ("caller: my name's grant grant okonjo\ncaller: they said they will grant the extension\n",
         "will grant the"),
        # no introduction: a restart after no naming frame, a word going on after a listed given name
        ("caller: we were so so tired\ncaller: i was so glad to get home\n", "so glad"),
        ("caller: i'm chase bank's customer\ncaller: chase sent me a letter\n", "chase sent"),
        # a word no list knows as a given name needs "my name is": "i'm" alone is no introduction of it
        ("caller: i'm breezy de tarnowski\ncaller: yes breezy is the word for it\n", "yes breezy is"),
    ],
)
def test_the_same_word_doing_its_job_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_introduced_with_surname_reads_the_restart_and_the_particle():
    text = "caller: my name's chase chase bolt\ncaller: my name is breezy de tarnowski\n"
    spans = [Span(text.index("chase"), text.index("bolt") + 4, "NAME", "ner"),
             Span(text.index("breezy"), text.index("tarnowski") + 9, "NAME", "ner")]
    assert ner._introduced_with_surname(text, spans) == {"chase", "breezy"}
    # a surname that ends on a particle is no surname
    text2 = "caller: my name is breezy de\n"
    assert ner._introduced_with_surname(text2, [Span(19, 28, "NAME", "ner")]) == set()


def test_propagation_of_an_introduced_name_stays_linear():
    head = "caller: hi my name's chase chase bolt\n"
    unit = "caller: yeah this is chase the yard. chase works nights. not chase. "
    for n in (250, 1000):
        text = head + unit * n
        spans = [Span(text.index("chase"), text.index("bolt") + 4, "NAME", "ner")]
        t0 = time.process_time()
        out = ner.propagate_names(text, spans, caseless=True)
        seconds = time.process_time() - t0
        assert len(out) > n  # each unit's mentions as the person are found
    assert seconds < 2.0
