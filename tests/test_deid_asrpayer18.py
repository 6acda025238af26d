"""Session 18 (asrpayer18, issue 8): the answer to the insurance question is a carrier even when Whisper heard it as
everyday or function words. The agent's question is the slot's evidence; a short phrase that opens the caller's answer
(or follows a frame: "he's on", "his plan is") and ends its clause, or stands before the plan's source ("through
...", "from ..."), is the carrier's name as Whisper wrote it. Every sentence is invented (no corpus sentence); each
positive case failed on main 2bb3833, and each has a guard of the same shape that must stay unmasked: a phrase that
is clearly no carrier (a subject and its verb, a stalling phrase, a kind of thing, a number, a relative, one
everyday noun after an article)."""

from __future__ import annotations

import pytest

from tests.test_deid_vertical17 import _covered  # whether a phrase lies wholly inside spans of a category


@pytest.mark.parametrize(
    "text, heard",
    [
        # the answer's opening phrase, ending at Whisper's comma or before the plan's source
        ("agent: what insurance does she have?\ncaller: glen tower, the member number is on the back.", "glen tower"),
        ("agent: and who's the carrier?\ncaller: Orchard shield through his union, I believe.", "Orchard shield"),
        ("agent: okay, do you have insurance?\ncaller: yeah, Lantern river from the marketplace.", "Lantern river"),
        # a frame, then the heard words
        ("agent: what insurance does he have?\ncaller: he's on dip with the county, I think.", "dip"),
        ("agent: any insurance?\ncaller: Medicaid, her plan is a lower tree, the card's at home.", "a lower tree"),
        # the heard carrier runs on over Whisper's comma into its product, as a found carrier does
        ("agent: what insurance does he have?\ncaller: Stack here, prime, from his old job.", "Stack here, prime"),
    ],
)
def test_the_answer_to_the_insurance_question_is_a_carrier(redactor, text, heard):
    assert _covered(redactor, text, heard, "INSURER")


@pytest.mark.parametrize(
    "text, words",
    [
        # the same openings, clearly no carrier: a subject and its verb, a negation, a stalling phrase
        ("agent: what insurance does she have?\ncaller: I don't know, her mom handles that.", "I don't know"),
        ("agent: and who's the carrier?\ncaller: we don't have any, through his union it lapsed.", "we don't have any"),
        ("agent: okay, do you have insurance?\ncaller: hold on, let me find the card.", "hold on"),
        ("agent: okay, do you have insurance?\ncaller: here, from his wallet, one second.", "here"),
        # a kind of thing, a relative, a number, a state, an everyday participle
        ("agent: what insurance does he have?\ncaller: he's on my dad's, through his job.", "dad's"),
        ("agent: any insurance?\ncaller: the card, it's in the truck.", "the card"),
        ("agent: what insurance?\ncaller: two kids, and they're on mine.", "two kids"),
        ("agent: do you have insurance?\ncaller: Ohio, through the exchange.", "Ohio"),
        ("agent: do you have insurance?\ncaller: it's expired, since March.", "expired"),
        # an article and one everyday noun: what the caller points at, no name
        ("agent: what insurance?\ncaller: it's the one with the stripe, I think.", "the stripe"),
        ("agent: what insurance?\ncaller: she signed up with the school, last fall.", "the school"),
    ],
)
def test_what_is_clearly_no_carrier_stays(redactor, text, words):
    assert not _covered(redactor, text, words, "INSURER")


def test_no_insurance_question_no_heard_carrier(redactor):
    """Without the agent's insurance question the same opening is ordinary speech."""
    text = "agent: how was the drive over?\ncaller: glen tower, the traffic was fine."
    assert not _covered(redactor, text, "glen tower", "INSURER")


# ------------------------------------------------------------ the sound search honours the lexicon's "ambiguous" mark
# A product the lexicon marks ambiguous (everyday words: "Superior", "Oscar", "Blue Local") is matched by sound only in
# a name's slot where the call talks of insurance there: the agent's question in the line before, or a plan word
# right after. These sound-alikes were masked on main 2bb3833 (an insurance word elsewhere in the line, or the exact
# word "blue" as an anchor, was enough); each has a kept case of the same shape beside it.
@pytest.mark.parametrize(
    "line, before",
    [
        ("the front desk put me on speaker, their member line is down.", "agent: what brings you in?"),
        ("oh sorry. sam here, it's about my plan", "agent: and who am i speaking with?"),
        ("he keeps it in the blue lockle by the door", "agent: where does he keep the card?"),
    ],
)
def test_an_ambiguous_products_sound_alike_needs_insurance_there(line, before):
    from cipher_pipeline.asr_terms import misheard_terms

    assert misheard_terms(line, before) == []


@pytest.mark.parametrize(
    "line, before, heard, name",
    [
        ("he's on spirior.", "agent: what insurance does he have?", "spirior", "Superior"),  # the answer's window
        ("he has spirior plan through the state", "agent: and his date of birth?", "spirior", "Superior"),  # plan word
        ("ohio medicaid, it says buck eye health on it", "agent: insurance?", "buck eye", "Buckeye"),  # split spelling
    ],
)
def test_an_ambiguous_products_sound_alike_in_the_answer_is_kept(line, before, heard, name):
    from cipher_pipeline.asr_terms import misheard_terms

    assert [(line[s:e], term.name) for s, e, term in misheard_terms(line, before)] == [(heard, name)]


def test_speaker_after_an_insurance_word_is_no_carrier_in_the_engine(redactor):
    text = "agent: what brings you in today?\ncaller: the front desk put me on speaker, their member line is down."
    assert not _covered(redactor, text, "speaker", "INSURER")
