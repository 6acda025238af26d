"""The ner layer, recognizer by recognizer (``cipher_pipeline/deid/ner.py``): the cue recognizers that read the text
(``CUE_RECOGNIZERS``) and the recognizers of the model's entities (``MODEL_RECOGNIZERS``), each finding its shape
under its own name. Every input is invented for this file; none is copied from calls_dev."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import ner


def _named(text: str, spans) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.recognizer) for s in spans]


@pytest.mark.parametrize(
    "text, phrase, recognizer",
    [
        ("caller: her name is um, tamsin okafor", "tamsin okafor", "name_cue"),
        ("Agent: Thanks for calling, who do I have? Caller: This is Orla.", "Orla", "name_cue"),
        ("caller: jasper's been sleeping in his car", "jasper", "person_possessive"),
        ("Agent: the nurse at the county clinic, Brandy, faxed it.", "Brandy", "appositive_name"),
        ("Caller: Nell T Varga drove me.", "Nell T Varga", "first_initial_last"),
    ],
)
def test_each_cue_recognizer_finds_its_shape_under_its_name(text: str, phrase: str, recognizer: str) -> None:
    assert (phrase, recognizer) in _named(text, ner.context_spans(text))
    assert all(s.layer == "ner" and s.category == "NAME" for s in ner.context_spans(text))


@pytest.mark.parametrize(
    "text",
    [
        "caller: my dad called her out on it",  # a phrasal verb's particle
        "caller: he called her crazy in front of everyone",  # an epithet
        "caller: the bill's due friday",  # a possessive after a determiner
    ],
)
def test_cue_recognizers_leave_what_no_cue_names(text: str) -> None:
    assert ner.context_spans(text) == []


def test_and_after_a_name_joins_only_a_name_the_cue_recognizer_found() -> None:
    text = "caller: my sister is Wren and Ashby came too"
    assert ("Ashby", "name_cue") in _named(text, ner.context_spans(text))
    assert ner.NameCue().find("caller: pizza and Ashby came too") == []


def test_model_entities_go_to_the_recognizer_of_their_label() -> None:
    text = "Caller: Odile Marchetti from Reno Nevada 89501 moved on March 3rd, 2019 to Tacoma."
    ents = [
        (text.index("Odile"), text.index(" from"), "PERSON"),
        (text.index("Reno"), text.index(" moved"), "GPE"),
        (text.index("March"), text.index(" to Tacoma"), "DATE"),
        (text.index("Tacoma"), text.index("Tacoma") + 6, "GPE"),
    ]
    found = _named(text, ner.entity_spans(ents, text))
    assert ("Odile Marchetti", "model_person") in found
    assert ("Reno", "model_place") in found  # the state and the ZIP after it are cut off
    assert ("March 3rd", "model_date") in found  # the year stays
    assert ("Tacoma", "model_place") in found


def test_model_organisations_only_where_the_lexicons_know_them() -> None:
    text = "Caller: we tried Bluewater Detox and the Acme Widget Company"
    blue, acme = text.index("Bluewater"), text.index("the Acme")

    def classify(surface: str):
        return ("COMPETITOR", "bluewater_detox") if surface == "Bluewater Detox" else None

    ents = [(blue, blue + len("Bluewater Detox"), "ORG"), (acme, len(text), "ORG")]
    spans = ner.entity_spans(ents, text, classify)
    assert [(text[s.start : s.end], s.category, s.canonical, s.recognizer) for s in spans] == [
        ("Bluewater Detox", "COMPETITOR", "bluewater_detox", "model_organisation")
    ]
    assert ner.entity_spans(ents, text) == []  # no lexicons, no organisation


def test_a_state_alone_and_ordinary_words_are_no_model_finding() -> None:
    text = "Caller: Oregon, Wow."
    ents = [(text.index("Oregon"), text.index(","), "GPE"), (text.index("Wow"), text.index("Wow") + 3, "PERSON")]
    assert ner.entity_spans(ents, text) == []


def test_every_recognizer_of_the_layer_has_a_distinct_name() -> None:
    names = [r.name for r in ner.CUE_RECOGNIZERS + ner.MODEL_RECOGNIZERS]
    assert len(names) == len(set(names)) and all(names)
    with pytest.raises(TypeError):
        ner.ModelPerson().find("the model's recognizers read entities, not text")


# ------------------------------------------------------------------------------------------------ growth steps
def test_a_grown_name_keeps_its_recognizer_and_a_new_one_is_named_by_its_step() -> None:
    from cipher_pipeline.deid.spans import Span

    text = "Caller: Mr Ansel Whitcombe and Ivo came by. Okay Ansel, thanks."
    start = text.index("Ansel")
    found = [Span(start, start + 5, "NAME", "rules", None, "spelled_letters")]
    grown = ner.expand_names(text, found, caseless=False)
    assert ("Ansel Whitcombe", "spelled_letters") in _named(text, grown)  # the same name, grown: its finder's
    assert ("Ivo", "coordinated_name") in _named(text, grown)  # a name listed beside it: the step's
    again = ner.propagate_names(text, grown, caseless=False)
    later = text.rindex("Ansel")
    assert [(s.layer, s.recognizer) for s in again if s.start == later] == [("rules", "name_again")]
    assert all(s.recognizer for s in again)


@pytest.mark.slow  # loads the whole engine (spaCy, lexicons, gazetteer)
def test_every_span_the_engine_returns_names_its_recognizer(redactor) -> None:
    text = (
        "agent: thanks for calling, this is marisol, who am i speaking with?\n"
        "caller: it's t as in tom, r, e, v, o, r. trevor okonkwo, and my wife ines and me live in tacoma\n"
        "agent: okay trevor, and a good number?\n"
        "caller: 2 5 3, 5 5 5, 0 1 9 8\n"
        "agent: thanks trevor, we'll call you at the number\n"
    )
    spans = redactor.redact(text).spans
    assert spans and all(s.recognizer for s in spans), [(s.layer, s.recognizer) for s in spans if not s.recognizer]
