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
        ("agent: what insurance does he have?\ncaller: Stack here, prime, through his retirement.", "Stack here, prime"),
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
        ("agent: what insurance?\ncaller: it's the blue one with the green, I think.", "the green"),
        ("agent: what insurance?\ncaller: I'm enrolled with the tribe, if that matters.", "the tribe"),
    ],
)
def test_what_is_clearly_no_carrier_stays(redactor, text, words):
    assert not _covered(redactor, text, words, "INSURER")


def test_no_insurance_question_no_heard_carrier(redactor):
    """Without the agent's insurance question the same opening is ordinary speech."""
    text = "agent: how was the drive over?\ncaller: glen tower, the traffic was fine."
    assert not _covered(redactor, text, "glen tower", "INSURER")
