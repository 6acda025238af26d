"""Session 21 (rawvert21, issue 8): treatment programs named in lower case by an ordinary head word. Two readings that
development misses share across sources: a residential program's name before "haven", "harbor", "hollow",
"crossing" (and the "ranch", "lodge" the program shape reads, with a verb or a generic word before the name: "said
try <name> lodge") where the call is on treatment; and who the program is for said between its name and its head
("<name> men's house", "<name> teen harbor", "<name> family recovery"). Every sentence is invented (no corpus
sentence); each positive case fails on main 2480115, and each has a guard of the same shape that must stay as it was."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import vertical
from tests.test_deid_vertical18 import _covered, _spans, _touched

_ASKED = "agent: has he been to treatment before\\n"


# ------------------------------------------------------------ a program by an ordinary head word, in lower case
@pytest.mark.parametrize(
    "text, program",
    [
        (_ASKED + "caller: he liked quiet pines haven, or quiet pines harbor, better than the last one", "quiet pines haven"),
        (_ASKED + "caller: he liked quiet pines haven, or quiet pines harbor, better than the last one", "quiet pines harbor"),
        (_ASKED + "caller: he did copper fox hollow years back and hated it", "copper fox hollow"),
        (_ASKED + "caller: the detox was birch tree crossing, he left after four days", "birch tree crossing"),
        (_ASKED + "caller: no. his doctor said try granite bluff lodge, the one past the dam", "granite bluff lodge"),
    ],
)
def test_a_program_by_an_ordinary_head_is_found(redactor, text, program):
    assert _covered(redactor, text, program, "COMPETITOR"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, program",
    [
        ("agent: any treatment\\ncaller: i manage silver creek men's house in the valley, the sober living", "silver creek men's house"),
        ("agent: any treatment\\ncaller: i run new meadow men's house in the valley, the sober living", "new meadow men's house"),
        (_ASKED + "caller: she saw a counselor at lone elm teen harbor. she stopped going in the spring", "lone elm teen harbor"),
        (_ASKED + "caller: she won't go if it's not tall grass family recovery, that's where her cousin went", "tall grass family recovery"),
    ],
)
def test_who_a_program_is_for_is_part_of_its_name(redactor, text, program):
    assert _covered(redactor, text, program, "COMPETITOR"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        # a kind of place right before the head, or an audience word alone: no name
        (_ASKED + "caller: he needs a safe haven more than anything", "safe haven"),
        (_ASKED + "caller: a men's house would be good for him", "men's house"),
        (_ASKED + "caller: he works on the cattle ranch and we tried the ski lodge job too", "cattle ranch"),
        (_ASKED + "caller: he works on the cattle ranch and the ski lodge job too", "ski lodge"),
        (_ASKED + "caller: the border crossing took hours on the way to detox", "border crossing"),
        (_ASKED + "caller: his family recovery matters to him", "family recovery"),
        (_ASKED + "caller: a teen harbor program is what she needs", "teen harbor"),
        # an owner before the name: someone's place
        (_ASKED + "caller: he stays at his uncle's cedar knoll ranch when he's using", "cedar knoll ranch"),
        # the bare heads and generic words alone
        (_ASKED + "caller: the house, the center, a rehab, my plan, the blue one, the harbor, the hollow", "the harbor"),
    ],
)
def test_kinds_and_owners_are_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_a_verb_of_saying_is_no_part_of_the_name():
    # the reader's own span (the treatment-history slot, which reads the answer, still takes "says": main's too)
    text = _ASKED.replace("\\n", "\n") + "caller: mom says quiet pines haven, up by the reservoir\n"
    spans = vertical.program_house_spans(text, True, lambda _p: False)
    assert [text[s.start : s.end] for s in spans] == ["quiet pines haven"]


def test_no_treatment_talk_no_program(redactor):
    # the same shape in a call about something else is a place's name or the words themselves
    text = "agent: lake association, go ahead\\ncaller: we met at quiet pines haven on the lake for the reunion, the kids loved it"
    assert not _touched(redactor, text, "pines haven"), _spans(redactor, text)


def test_cased_text_reads_no_new_head():
    # in cased text "Safe Harbor" and "New Haven" are no programs: the new heads are read in lower case only
    text = "Agent: any treatment before?\nCaller: He moved to New Haven, a Safe Harbor for him after rehab.\n"
    assert vertical.program_house_spans(text, False, lambda _p: False) == []


def test_audience_words_inside_a_run():
    assert vertical.program_modifiers_ok(["tall", "family"]) and not vertical.program_modifiers_ok(["family", "tall"])
    mods = "if it's not tall grass family "
    assert mods[vertical.program_name_offset(mods):] == "tall grass family "
    assert vertical.program_name_offset("his family ") == len("his family ")


@pytest.mark.parametrize("phrase", ["quiet pines haven men's ", "tall grass family house ", "said try granite lodge "])
def test_the_head_reader_stays_linear(phrase):
    # every head in the text read once, each name at most three words back on its line
    text = _ASKED.replace("\\n", "\n") + "caller: rehab " + phrase * 1000 + "\n"
    t0 = time.process_time()
    vertical.program_house_spans(text, True, lambda _p: False)
    assert time.process_time() - t0 < 2.0


def test_the_name_run_stays_linear():
    mods = "tall family " * 1000
    t0 = time.process_time()
    vertical.program_name_offset(mods)
    assert time.process_time() - t0 < 2.0
