"""Over-masking classes the per-recognizer token precision showed (issue 8, session 7, polish7): each is a class of
ordinary words a recognizer took for an identifier, fixed as a class, with a true identifier of the same shape still
masked beside it. Every input is invented for this file; none is copied from calls_dev or the red-team calls."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import asr_shapes, rules, safeword
from cipher_pipeline.deid.spans import Span


def _masked(redactor, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.category) for s in redactor.redact(text).spans]


# ------------------------------------------------------------------------------ 1. weekdays said as a habit
@pytest.mark.parametrize(
    "text, caseless",
    [
        ("Caller: Sundays are the worst for him.", False),
        ("caller: he does meetings on tuesdays and thursdays", True),
        ("Agent: Family visits are on Saturdays, and Wednesdays are group nights.", False),
        ("Caller: She drinks on Fridays, mostly.", False),
        ("Caller: The bus only comes MONDAYS, so on a MONDAYS schedule we wait.", False),
    ],
)
def test_weekdays_in_the_plural_are_the_calendar(text: str, caseless: bool) -> None:
    assert safeword.find(text, caseless) == []


def test_a_name_beside_a_plural_weekday_is_still_a_name() -> None:
    text = "Caller: On Sundays Quillek takes the kids."
    assert [text[s.start : s.end] for s in safeword.find(text, False)] == ["Quillek"]


# ------------------------------------------------------------------------------ shouted acronyms, plural possessives
@pytest.mark.parametrize(
    "text",
    [
        "Caller: He wears a SCRAM monitor on his ankle.",  # a safe word in capitals after an article: an acronym
        "Caller: His PAWS symptoms are bad and the HALT meeting helps.",
        "Caller: I left the forms at the nurses' station.",  # a plural's possessive is the plural's word
        "Caller: It's on my parents' plan through the teachers' union.",
    ],
)
def test_acronyms_after_a_determiner_and_plural_possessives_are_no_names(text: str) -> None:
    assert safeword.find(text, False) == []


def test_a_shouted_name_without_a_determiner_is_still_a_name() -> None:
    text = "Agent: Thanks for calling, this is ROBIN, how can I help?"
    assert [(text[s.start : s.end], s.recognizer) for s in safeword.find(text, False)] == [("ROBIN", "shouted_word")]


# ------------------------------------------------------------------------------ 2. id_echo and the fort pattern
def test_an_id_echo_is_never_the_finding_itself() -> None:
    # a facility or a description another layer found keeps its recognizer: no echo of itself under id_echo's name
    text = "caller: he was at fort drummond before the army put him out, liberty ridge academy after that"
    words = [Span(text.index("fort"), text.index("fort") + len("fort drummond"), "OTHER_ID", "lexicon"),
             Span(text.index("liberty"), text.index("liberty") + len("liberty ridge academy"), "OTHER_ID", "lexicon")]
    assert rules.id_echoes(text, words) == []
    # said again, it is an echo, words or code
    again = text + "\nagent: and after liberty ridge academy?"
    echoes = rules.id_echoes(again, words)
    assert [again[s.start : s.end] for s in echoes] == ["liberty ridge academy"]
    assert echoes[0].start > len(text)
    code = "caller: it's q v t 7 7 2 1\nagent: so qvt7721, thanks"
    said = code.index("q v t")
    echoes = rules.id_echoes(code, [Span(said, said + len("q v t 7 7 2 1"), "OTHER_ID", "rules")])
    assert [code[s.start : s.end] for s in echoes] == ["qvt7721"]


@pytest.mark.parametrize(
    "text",
    [
        "caller: the kids built a fort with couch cushions last night",
        "caller: fort in the backyard, that's where he hides his bottles",
        "Pt FT. Pre-op teaching done, tolerating diet.",
        "caller: my son's camp was cancelled so he's home all day",
    ],
)
def test_a_fort_or_camp_that_is_the_common_noun_stays(redactor, text: str) -> None:
    assert _masked(redactor, text) == []


@pytest.mark.parametrize(
    "text, post",
    [
        ("caller: he was stationed at fort drum for three years", "fort drum"),
        ("Caller: My husband is at Ft. Carson right now.", "Ft. Carson"),
        ("caller: he did boot camp then went to camp pendleton", "camp pendleton"),
    ],
)
def test_a_military_post_is_still_masked(redactor, text: str, post: str) -> None:
    assert (post, "OTHER_ID") in _masked(redactor, text)


# ------------------------------------------------------------------------------ 3. a carrier inside a description
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she is the head nurse at the aetna building downtown", "the head nurse at the aetna building"),
        ("Caller: He's the only security guard at the Cigna campus.", "the only security guard at the Cigna"),
    ],
)
def test_a_carrier_inside_a_quasi_identifier_is_no_insurer(redactor, text: str, phrase: str) -> None:
    spans = redactor.redact(text).spans
    assert all(s.category != "INSURER" for s in spans)
    start = text.index(phrase)
    assert any(s.start <= start and start + len(phrase) <= s.end for s in spans)  # the description is still masked


def test_a_carrier_named_as_coverage_is_still_an_insurer(redactor) -> None:
    text = "caller: we have aetna through his job. he is the only pharmacist in the county"
    assert ("aetna", "INSURER") in _masked(redactor, text)


# ------------------------------------------------------------------------------ 4. the reply after an e-mail said
def test_the_line_after_a_said_address_is_no_address() -> None:
    text = ("caller: yeah my email is pdelrosario at yahoo dot com\n"
            "agent: thanks, i'll send the packet today. can you come in monday?\n")
    second = text.index("agent:")
    assert [s for s in asr_shapes.find(text) if s.end > second] == []


def test_the_same_speaker_going_on_with_an_address_is_still_the_address() -> None:
    text = "caller: my email is dana r at gmail\ncaller: dot com, the r is for renee\n"
    assert any(s.category == "EMAIL" and text[s.start : s.end].startswith("dot com") for s in asr_shapes.find(text))


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: and what email should we use?\ncaller: um, rtorvald. net\n", "rtorvald. net"),
        ("agent: what's a good email\ncaller: it's jbrandt44 dot calm\n", "jbrandt44 dot calm"),
    ],
)
def test_an_answer_to_the_email_question_is_still_an_address(text: str, phrase: str) -> None:
    assert [text[s.start : s.end] for s in asr_shapes.find(text) if s.category == "EMAIL"] == [phrase]


# ------------------------------------------------------------------------------ 4b. what unknown_word took for names
@pytest.mark.parametrize(
    "text, caseless",
    [
        # an acronym after a determiner, or before the noun it qualifies: a name takes neither
        ("Caller: The intake at the CAIA was fine, and it's on the AODA form.", False),
        ("Caller: Then the ODOE said his OASIE number is on file.", False),
        ("Caller: The VoA caseworker has his DoT number.", False),
        # plurals the dictionary lacks of words it has
        ("caller: the hospital clinicals and the home routers and the eighteen-year-olds", True),
        # products, said for what they are
        ("Caller: He wears a Dexcom and his Omnipod stopped working, and Medigap won't cover it.", False),
        ("caller: she had a soberlink after the marchman act petition", True),
    ],
)
def test_acronyms_plurals_and_products_are_no_names(text: str, caseless: bool) -> None:
    assert safeword.find(text, caseless) == []


@pytest.mark.parametrize(
    "text, caseless, name",
    [
        ("Agent: Hi, this is TEAGAN, how can I help?", False, "TEAGAN"),  # capitals without a determiner
        ("Caller: The Vantreeses came by with the kids.", False, "Vantreeses"),  # a family's name in the plural
        ("caller: we stayed with the quillers last week", True, "quillers"),
    ],
)
def test_names_in_the_same_shapes_are_still_names(text: str, caseless: bool, name: str) -> None:
    assert name in [text[s.start : s.end] for s in safeword.find(text, caseless)]
