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
        ("caller: i'm calling about my husband. my husband is lance vukovich he's fifty\n"
         "agent: okay\ncaller: he says lance wants to come in monday\n", "lance"),
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
        ("caller: my name's grant grant okonjo\ncaller: we got two grant checks last year\n", "two grant checks"),
        ("caller: my name's grant grant okonjo\ncaller: they said they will grant the extension\n",
         "will grant the"),
        # no introduction: a restart after no naming frame, a word going on after a listed given name
        ("caller: we were so so tired\ncaller: i was so glad to get home\n", "so glad"),
        # English's most frequent words are never carried by an introduction alone (names.very_common)
        ("caller: my name's will will pruett\nagent: will you be driving yourself\n", "will you be"),
        ("caller: my husband is mark okonjo\ncaller: he said he will mark the date\n", "will mark the"),
        ("caller: my name is hope hope delacroix-ward\ncaller: we hope to get there by noon\n", "hope to get"),
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


# the surname that is a word, introduced after a given name, said again as the speaker introduces themself again
@pytest.mark.parametrize(
    "text,name",
    [
        ("caller: good morning this is bertrand cotton with the public defender\nagent: go ahead\n"
         "caller: yes. this is cotton again, the hearing got moved\n", "cotton"),
        ("caller: hi i'm marisol frost from the shelter on fifth\nagent: okay\ncaller: hi, it's me. i'm frost "
         "from the shelter\n", "frost"),
    ],
)
def test_an_introduced_word_surname_said_in_a_new_introduction_is_masked(redactor, text, name):
    assert _last_mention_masked(redactor, text, name)


@pytest.mark.parametrize(
    "text,phrase",
    [
        # the surname's word anywhere but a turn's own introduction stays
        ("caller: this is bertrand cotton with the public defender\ncaller: his shirt is cotton and it's soaked\n",
         "shirt is cotton and"),
        ("caller: this is bertrand cotton\ncaller: she said this is cotton not wool\n", "this is cotton not"),
    ],
)
def test_an_introduced_word_surname_as_its_word_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_introduced_surnames_need_a_given_name_and_an_introduction():
    text = "caller: this is bertrand cotton\ncaller: this is pretty cotton\ncaller: a bertrand cotton shirt\n"
    spans = [Span(m, m + len("bertrand cotton"), "NAME", "ner") for m in (text.index("bertrand"), text.rindex("bertrand"))]
    spans.append(Span(text.index("pretty"), text.index("pretty") + len("pretty cotton"), "NAME", "ner"))
    # the first: an introduction; "pretty" is a word and no given name; the last: no introduction before it
    assert ner._introduced_surnames(text, spans[:1]) == {"cotton"}
    assert ner._introduced_surnames(text, spans[1:]) == set()
