"""Session 22 (recipe22, issue 8): two classes the newest corpora written to calls_dev's recipe still missed.

1. A description that singles a person out by what they are known for doing somewhere (quasi.yaml's "the guy who
   <does> ... at" pattern), said as what one has been or used to be, with a past-tense feat, a community trade as the
   person, or "outside"/"behind" before the place. Development evidence: the twenty-first corpus's odd half (one) and
   the twenty-second's (four, two calls in two styles and two more calls).
2. A date element said in Spanish with no day: a feast ("en navidad") or a month alone after a Spanish time word
   ("en noviembre"). Development evidence: the twenty-first corpus's odd half (one) and the twenty-second's (two).

Every example is invented here (other people, trades, towns, feasts, months and wordings than the calls that showed
the class); each positive case fails on 052c503 (before this change). The guards are the same shapes said of what
anyone does or did, an ordinary visit, a Spanish word that is no date.
"""

from __future__ import annotations

import pytest

from tests.test_deid_call_classes import _covered, _readable


@pytest.mark.parametrize(
    "text,description",
    [
        # what one has been ("i been", "i've been")
        ("caller: yeah i been the big bearded guy that fixes the church bells in harlowton for years",
         "the big bearded guy that fixes the church bells in"),
        ("Caller: I've been the lady that bakes the pies at the Grange supper since forever.",
         "the lady that bakes the pies at"),
        # what one used to be, a feat in the past tense
        ("Caller: She used to be the woman who organized the quilt show at the Hadley fairgrounds.",
         "the woman who organized the quilt show at"),
        ("caller: he was the guy who refereed the little league games at the ball field",
         "the guy who refereed the little league games at"),
        # a community trade as the person
        ("caller: i'm the retired mechanic who restores the old tractors behind the feed store",
         "the retired mechanic who restores the old tractors behind"),
        ("Caller: He's the night bartender who pours the free shots on Fridays at Gus's.",
         "the night bartender who pours the free shots on"),
        # "outside" before the place
        ("caller: i'm the tall kid who sells tamales outside the courthouse every saturday",
         "the tall kid who sells tamales outside"),
        # a word of its own that begins with "one" before the person
        ("caller: everybody knows me, i'm the one-eyed dude that runs the bait shop by the marina",
         "the one-eyed dude that runs the bait shop by"),
    ],
)
def test_a_known_for_description_as_been_or_past_or_trade_is_masked(redactor, text, description):
    assert _covered(redactor, text, description)


@pytest.mark.parametrize(
    "text,readable",
    [
        # what anyone did, in the past tense
        ("Caller: he's the guy who lived in the trailer behind us.", "the guy who lived in the trailer behind us"),
        ("Caller: she's the waitress who worked at the diner with me.", "the waitress who worked at the diner"),
        ("caller: will it be the driver who picked me up at the bus station", "the driver who picked me up at the bus"),
        ("Agent: it might be the counselor who answered at the front desk.", "the counselor who answered at the front desk"),
        ("caller: it'll be the nurse who checked him in at intake right", "the nurse who checked him in at intake"),
        # "be" with what anyone does
        ("caller: i don't want to be the one who drinks at every party", "the one who drinks at every party"),
        # no person as the head
        ("Caller: that's the truck that hauled the hay in from Kiowa.", "the truck that hauled the hay in"),
    ],
)
def test_what_anyone_does_or_did_stays_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)


@pytest.mark.parametrize(
    "text,date",
    [
        ("Caller: Dice que en Navidad se puso muy mal. Caller: He says he got very sick at Christmas.", "Navidad"),
        ("caller: para año nuevo ya estaba tomando otra vez", "año nuevo"),
        ("Caller: Vino para el día de acción de gracias. Caller: He came for Thanksgiving.", "día de acción de gracias"),
        ("Caller: Trabaja en el campo hasta octubre. Caller: He works the fields until October.", "octubre"),
        ("caller: no ha tomado desde marzo he says he hasn't drunk since march", "marzo"),
        ("Caller: Se fue a principios de septiembre. Caller: He left in early September.", "septiembre"),
    ],
)
def test_a_spanish_feast_or_month_alone_is_a_date(redactor, text, date):
    assert _covered(redactor, text, date)


@pytest.mark.parametrize(
    "text,readable",
    [
        ("Caller: Quiere un sándwich con mayo y queso.", "con mayo y queso"),
        ("Caller: En el mes pasado tomó mucho.", "En el mes pasado"),
        ("Caller: Vive en Nuevo León con su hermana.", "con su hermana"),
    ],
)
def test_spanish_words_that_are_no_date_stay_readable(redactor, text, readable):
    assert _readable(redactor, text, readable)
