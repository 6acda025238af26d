"""Session 22 (vert22, issue 8): two classes of development vertical misses. The organisation a professional caller
introduces themselves with ("i'm an interpreter with <x>", "this is <name> with <x>", "i'm a caseworker with <x>"),
and an employer's name whose firm word or conjunction the business shape stopped short of ("<x> marine service",
"<x> cattle co", "<x> slate and roofing."). Every sentence is invented (no corpus sentence); each positive case fails
on main d1555f4, and each has a guard of the same shape that must stay as it was."""

from __future__ import annotations

import time

import pytest

from cipher_pipeline.deid import vertical
from tests.test_deid_vertical18 import _covered, _spans, _touched


# ------------------------------------------------------------ the organisation a professional caller speaks for
@pytest.mark.parametrize(
    "text, organisation",
    [
        ("agent: admissions\\ncaller: hi i'm a translator with lone pine language services interpreter id 5 5 2 1 8",
         "lone pine language services"),
        ("agent: admissions\\ncaller: hi this is anselmo with tidewater interpreting interpreter number 3 3 1 9 0",
         "tidewater interpreting"),
        ("agent: hi\\ncaller: i'm the care coordinator with high desert family partners we're the agency for the county",
         "high desert family partners"),
        ("Agent: Admissions.\\nCaller: Hello, I'm a caseworker with Bridges for Rural Children. We serve two counties.",
         "Bridges for Rural Children"),
        ("Agent: Admissions.\\nCaller: Hi, this is Teodora with Bluestem Language Access, interpreter 2291.",
         "Bluestem Language Access"),
    ],
)
def test_the_organisation_a_caller_speaks_for_is_found(redactor, text, organisation):
    assert _covered(redactor, text, organisation, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        # what a person is with, no organisation
        ("agent: hi\\ncaller: i'm okay with that now", "that now"),
        ("agent: hi\\ncaller: i'm living with my brother on the east side", "my brother"),
        ("agent: hi\\ncaller: i'm calling with a member of my church", "a member"),
        ("agent: hi\\ncaller: this is hard with the kids around", "the kids"),
        ("agent: hi\\ncaller: this is fine with me", "me"),
        ("agent: hi\\ncaller: i'm an interpreter with you guys on the line", "you guys"),
        # a public or generic body
        ("agent: hi\\ncaller: i'm a social worker with child protective services about a mom", "child protective services"),
        ("agent: hi\\ncaller: i'm an officer with the state police out here", "state police"),
        ("Agent: Hi.\\nCaller: This is Dana with the hospital, the social work office.", "the hospital"),
    ],
)
def test_what_a_person_is_with_is_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_the_organisation_ends_at_a_role_or_a_contraction():
    text = "agent: hi\ncaller: i'm the care coordinator with high desert family partners we're the agency\n"
    spans = vertical.speaker_organisation_spans(text, True, lambda _p: False)
    assert [text[s.start : s.end] for s in spans] == ["high desert family partners"]
    text = "agent: hi\ncaller: this is anselmo with tidewater interpreting interpreter number 3 3\n"
    spans = vertical.speaker_organisation_spans(text, True, lambda _p: False)
    assert [text[s.start : s.end] for s in spans] == ["tidewater interpreting"]


# ------------------------------------------------------------ an employer's firm word and conjunction
@pytest.mark.parametrize(
    "text, employer",
    [
        ("Agent: Does he work?\\nCaller: He works on boats at Heron Point Marine Service, by the dock.", "Heron Point Marine Service"),
        ("agent: does he work\\ncaller: he drives a truck for dawson county cattle co out of lamesa", "dawson county cattle co"),
        ("Agent: Where does she work?\\nCaller: She keeps the books for Tillman Feed Co. in Clovis.", "Tillman Feed Co"),
        ("agent: does he work\\ncaller: he's a roofer for mill brook slate and roofing. he drinks on the job", "mill brook slate and roofing"),
    ],
)
def test_an_employer_s_firm_word_is_part_of_its_name(redactor, text, employer):
    assert _covered(redactor, text, employer, "OTHER_ID"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("Agent: Where are you?\\nCaller: Denver, CO. My co-pay is high and my co worker drives me.", "CO"),
        ("agent: hi\\ncaller: my co pay is forty dollars and his co said he can get leave", "co pay"),
        ("agent: hi\\ncaller: my co pay is forty dollars and his co said he can get leave", "his co said"),
        ("agent: hi\\ncaller: he does community service at the church and we had a memorial service", "community service"),
        ("agent: hi\\ncaller: he does community service at the church and we had a memorial service", "memorial service"),
        ("Agent: Hi.\\nCaller: The Secret Service came by. I work in customer service.", "Secret Service"),
    ],
)
def test_ordinary_co_and_service_are_left(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)


def test_a_sentence_s_full_stop_is_no_part_of_the_name(redactor):
    text = "agent: does he work\ncaller: he's a roofer for mill brook slate and roofing. he drinks\n"
    spans = [s for s in redactor.redact(text).spans if s.category == "OTHER_ID"]
    assert [text[s.start : s.end] for s in spans] == ["mill brook slate and roofing"]


@pytest.mark.parametrize(
    "phrase", ["i'm an interpreter with lone pine for and ", "this is anselmo with ", "with pine for pine for "]
)
def test_the_speaker_reader_stays_linear(phrase):
    text = "agent: hi\ncaller: " + phrase * 1000 + "\n"
    t0 = time.process_time()
    vertical.speaker_organisation_spans(text, True, lambda _p: False)
    assert time.process_time() - t0 < 2.0
