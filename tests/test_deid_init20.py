"""Session 20 (init20, issue 8): an organisation's initialism as speech recognition writes it, in lower case, run
together or as single letters, said after "at" ("a counselor at <x y>", "ended up at <xyz>", "serving time at
<wxyz>", "his doctor at <x y> <surname>"): a school, a hospital, a jail, an employer. Every sentence is invented (no
corpus sentence, no corpus initialism); each positive case fails on main a72edd0, and the guards are the generic
initialisms a buyer reads ("at the er", "at aa", "at iop", "at the va"), an e-mail's letters, an ID's letters and the
alphabet, which must stay readable or stay theirs."""

from __future__ import annotations

import pytest

from tests.test_deid_vertical18 import _covered, _spans, _touched


@pytest.mark.parametrize(
    "text, letters",
    [
        ("caller: she ended up at rmh, the psych floor, over the weekend", "rmh"),
        ("caller: she spent the night at tgh. tampa general", "tgh"),
        ("caller: he plays ball at w s u and the coach noticed", "w s u"),
        ("caller: his court date is at the cjc on monday", "cjc"),
        ("caller: he is serving his sentence at mcf now", "mcf"),
        ("caller: so the social worker at l g h gave me your number", "l g h"),
    ],
)
def test_an_initialism_after_at_is_a_name(redactor, text, letters):
    assert _covered(redactor, text, letters), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, letters",
    [
        # the clinical and program initialisms the safe-word list holds, and the generic ones listed beside the rule:
        # a kind of place or a kind of thing, no one organisation
        ("caller: he was at the er twice last month and then at aa on tuesday", "er"),
        ("caller: he was at the er twice last month and then at aa on tuesday", "aa"),
        ("caller: she's at iop three days a week, and at n a meetings at night", "iop"),
        ("caller: she's at iop three days a week, and at n a meetings at night", "n a"),
        ("caller: he gets his care at the va and he was at the dmv this morning", "va"),
        ("caller: he gets his care at the va and he was at the dmv this morning", "dmv"),
        ("caller: she was at the icu for two days and now she's at php", "icu"),
        ("caller: he was at the dui class when they called", "dui"),
        # the alphabet's run after "at"
        ("caller: we're only at a b c with him, he can't read yet", "a b c"),
    ],
)
def test_a_generic_initialism_after_at_stays_readable(redactor, text, letters):
    assert not _touched(redactor, text, letters), _spans(redactor, text)


def test_letters_of_an_address_or_an_id_after_at_are_theirs(redactor):
    # the letters run on into an e-mail's "dot" or an ID's digits: the e-mail or the ID reader owns them
    text = "caller: it's robin 7 7 at q x dot net and my number is nine one"
    assert _covered(redactor, text, "robin 7 7 at q x dot net"), _spans(redactor, text)
    assert not any(s[0] == "q x" for s in _spans(redactor, text))
