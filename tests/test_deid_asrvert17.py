"""Session 17 (asrvert17, issue 8): a carrier's name as Whisper writes it, its pause inside the name written as a
comma ("<carrier>, <state>", "<carrier>, choice plus", "blue cross, and blue shield of <state>"). Every sentence is
invented (no corpus sentence); each positive case failed on main 3b72269, and each has a guard of the same shape
that must stay as it was: a comma ends the name where what follows is the sentence going on."""

from __future__ import annotations

import pytest

from tests.test_deid_vertical17 import _covered  # whether a phrase lies wholly inside spans of a category


@pytest.mark.parametrize(
    "text, tail",
    [
        ("agent: what insurance?\ncaller: she has Humana, Ohio, through her husband's work.", "Ohio"),
        ("agent: insurance?\ncaller: Aetna, Choice Plus, I think, it's on the card.", "Choice Plus"),
        ("agent: and the plan?\ncaller: it's Cigna, open access plus, from his job.", "open access plus"),
        ("agent: insurance?\ncaller: Blue Cross, and Blue Shield of Montana, the silver one.", "and Blue Shield of Montana"),
        ("agent: insurance?\ncaller: Tricare, Prime, through his retirement.", "Prime"),
        ("agent: insurance?\ncaller: Ambetter from Magnolia Health, and wellness, off the marketplace.", "and wellness"),
        ("agent: insurance?\ncaller: we have Humana, of Kentucky, through the state.", "of Kentucky"),
    ],
)
def test_carrier_runs_on_over_whispers_comma(redactor, text, tail):
    assert _covered(redactor, text, tail, "INSURER")


@pytest.mark.parametrize(
    "text, words",
    [
        # a comma then a plain word the sentence goes on with: "plus", "family", "select", "medicare" stay words
        ("agent: insurance?\ncaller: Aetna, plus my wife's plan as a backup.", "plus my"),
        ("agent: insurance?\ncaller: Cigna, family is covered too.", "family is"),
        ("agent: insurance?\ncaller: Humana, select the one for seniors, she said.", "select the"),
        # a state after the comma that is where the caller is, said as a place: "in", "from" before it
        ("agent: insurance?\ncaller: Aetna, in Ohio they call it something else.", "in"),
        # "and" then anything but the Blue Shield
        ("agent: insurance?\ncaller: Blue Cross, and blue jeans are all he wears.", "blue jeans"),
        ("agent: insurance?\ncaller: Ambetter from Magnolia Health, and well, that's it.", "well"),
    ],
)
def test_comma_ends_the_name_where_the_sentence_goes_on(redactor, text, words):
    assert not _covered(redactor, text, words, "INSURER")
