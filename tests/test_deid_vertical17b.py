"""Session 17 (vertical17b, issue 8): a carrier's plan products and the administrators and networks on a self-funded
plan's card, listed nationally (`lexicons/insurers.yaml`, "session 17 (vertical17b)"). Every sentence is invented (no
corpus sentence); each positive case failed on main 3b72269, and each guard of the same shape stays as it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor
from tests.test_deid_vertical17 import _covered, _spans  # the readers, one home (the redactor is conftest's)


def _touched(redactor: Redactor, text: str, phrase: str) -> bool:
    """Whether any span touches ``phrase``."""
    text = text if text.endswith("\n") else text + "\n"
    start = text.index(phrase)
    end = start + len(phrase)
    return any(s.start < end and start < s.end for s in redactor.redact(text).spans)


@pytest.mark.parametrize(
    "text, name",
    [
        # a carrier's network or marketplace product, after the carrier or said alone after the insurance question
        ("agent: what insurance does he have?\ncaller: cigna. it's the open access plus one from his job", "open access plus"),
        ("agent: and the insurance?\ncaller: her card says aetna choice pos ii", "aetna choice pos ii"),
        ("agent: insurance?\ncaller: we bought blue premier on the exchange last fall", "blue premier"),
        ("agent: what coverage do you have?\ncaller: simply blue, from the auto plant", "simply blue"),
        ("caller: he switched to Ambetter Essential Care in January and it covers rehab.", "Ambetter Essential Care"),
        ("caller: my sister moved him onto myblue health last month, his old plan ended", "myblue health"),
        # an administrator or a rented network printed on a self-funded plan's card
        ("agent: is there a name on the card?\ncaller: the back says PHCS and the claims go somewhere else", "PHCS"),
        ("caller: the claims go to collective health now, my wife's job changed it", "collective health"),
        ("agent: what does the card say?\ncaller: healthcomp, and a group number under it", "healthcomp"),
        ("caller: his job uses luminare health for the claims since the spring", "luminare health"),
    ],
)
def test_a_plan_product_or_administrator_is_the_insurer(redactor, text, name):
    assert _covered(redactor, text, name, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        # the same everyday words with no insurance cue near them
        ("caller: the clinic has open access hours on tuesdays, so we just walk in", "open access"),
        ("caller: it was his choice plus his brother's idea to come today", "choice plus"),
        ("caller: she painted the porch a simply blue color last summer", "simply blue"),
        ("caller: the blue premier of the boat show was not much, he left early", "blue premier"),
        # a listed carrier followed by an ordinary word, not a product of it
        ("agent: insurance?\ncaller: unitedhealthcare. through the week he works nights at the mill", "through"),
        ("agent: insurance?\ncaller: aetna. open the letter and it says he owes nothing", "open the letter"),
        # a listed product's words said apart in insurance talk, not as its name
        ("agent: insurance?\ncaller: medicaid. the open access to the clinic was the best part", "the clinic"),
    ],
)
def test_everyday_words_and_what_follows_a_carrier_stay(redactor, text, words):
    assert not _touched(redactor, text, words), _spans(redactor, text)
