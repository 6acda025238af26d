"""Session 17 (vertical17, issue 8): competitor, insurer and facility names by class. Every sentence is invented (no
corpus sentence); each positive case failed on main 3d6a8de, and each has a guard of the same shape that must stay as
it was."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor


def _spans(redactor: Redactor, text: str):
    text = text.replace("\\n", "\n")
    text = text if text.endswith("\n") else text + "\n"
    return [(text[s.start : s.end], s.category) for s in redactor.redact(text).spans]


def _covered(redactor: Redactor, text: str, phrase: str, category: str | None = None) -> bool:
    """Whether every character of ``phrase`` in ``text`` lies inside a span (of ``category`` when given)."""
    text = text.replace("\\n", "\n") + ("\n" if not text.endswith("\n") else "")
    start = text.index(phrase)
    inside = [
        (s.start, s.end) for s in redactor.redact(text).spans if category is None or s.category == category
    ]
    return all(any(a <= i < b for a, b in inside) for i in range(start, start + len(phrase)) if not text[i].isspace())


# ------------------------------------------------------------ a carrier said beside its right name in its sound
@pytest.mark.parametrize(
    "text, sound",
    [
        ("caller: it's ambetter. my mom says and better when she reads the card", "and better"),
        ("caller: tricare west. my husband says try care, like it's a question", "try care"),
        ("caller: anthem, through work. she says ant them", "ant them"),
        ("caller: it's caresource. the kids call it care sores", "care sores"),
        ("caller: mainecare. my uncle wrote main care on the form", "main care"),
        # a tier word dropped: the found carrier run on by its sound
        ("caller: her insurance is paramount advantage. she says paramount vantage", "paramount vantage"),
        # a one-word carrier said apart and run on by its next listed word
        ("caller: the insurance is buckeye. he wrote buck eye health on the form", "buck eye health"),
    ],
)
def test_a_carrier_said_in_its_sound_beside_its_name_is_the_carrier(redactor, text, sound):
    assert _covered(redactor, text, sound, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: we have anthem and them folks never call back", "and them"),  # function words only
        ("caller: it's kidscare. the kids are fine with it", "kids are"),  # a clause runs on past a function word
        ("caller: she has fallon health. she has fallen twice this week", "fallen"),  # one word: the matcher's
        ("caller: ambetter is better than nothing for him", "is better"),  # one dictionary word two letters off
        ("caller: her insurance is paramount advantage, or paramount with a card", "or paramount"),  # its own word
        ("caller: tricare. we tried calling them twice", "tried calling"),
        ("caller: caresource. they had no idea about the bill", "no idea"),
        ("caller: mainecare, but she was at work all day", "at work"),
        ("caller: medicaid id is four four one, and the card is blue", "id is"),  # words after a name
        ("caller: it's caresource\nagent: and care sores? that's a bad rash", "care sores"),  # never across a line
    ],
)
def test_words_near_a_carrier_that_only_resemble_it_stay(redactor, text, words):
    assert not _covered(redactor, text, words, "INSURER"), _spans(redactor, text)


# ------------------------------------------------------------ an employer after the work cues the employer reader missed
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: he retired from copper basin forge last spring", "copper basin forge"),
        ("caller: she's a barista at the blue heron in town", "blue heron"),
        ("caller: i'm a lineman now for north fork electric", "north fork electric"),
        ("caller: i weld for crooked fence gin on nights", "crooked fence gin"),
        ("caller: our employer is sandy point dental", "sandy point dental"),
        ("agent: where do you work\\ncaller: at crooked fence implement, second shift", "crooked fence implement"),
        ("agent: does he work\\ncaller: he did, at blue ox machine until march", "blue ox machine"),
    ],
)
def test_an_employer_after_a_trade_a_retirement_or_a_work_question_is_masked(redactor, text, employer):
    assert _covered(redactor, text, employer), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he retired from the army in 2010", "army"),
        ("caller: our employer is the county", "county"),
        ("agent: does he work\\ncaller: at home mostly, he fixes cars", "home"),
        ("agent: where do you work\\ncaller: at the gas station by the highway", "gas station"),
        ("caller: i cook for my kids every night", "my kids"),
        ("caller: she's a server at the diner on the corner", "diner"),
        ("agent: does she work\\ncaller: we tried calling her boss", "her boss"),
    ],
)
def test_a_generic_workplace_after_the_same_cues_stays(redactor, text, words):
    assert not _covered(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ a program named as the answer to "treatment before?"
@pytest.mark.parametrize(
    "text, program",
    [
        ("agent: any treatment before\\ncaller: copper flats sobriety house in ely, twice", "copper flats sobriety house"),
        ("agent: prior treatment\\ncaller: little bear recovery in minot. he left", "little bear recovery"),
        ("Agent: Have you been to treatment before?\\nCaller: Heron Bluff Commons, in 2019. He hated it.", "Heron Bluff Commons"),
    ],
)
def test_a_program_named_as_the_answer_to_the_treatment_question_is_a_competitor(redactor, text, program):
    assert _covered(redactor, text, program, "COMPETITOR"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("agent: treatment before\\ncaller: just meetings at the church", "just meetings"),
        ("agent: any treatment before\\ncaller: the county detox in tulsa", "county detox"),
        ("agent: any treatment before\\ncaller: outpatient in 2019", "outpatient"),
        ("agent: any treatment before\\ncaller: his doctor tried suboxone", "his doctor"),
        ("agent: treatment before\\ncaller: we tried calling some places", "we tried calling"),
        ("agent: any treatment before\\ncaller: she was at work, she had no idea", "she was at work"),
    ],
)
def test_an_answer_that_names_no_program_stays(redactor, text, words):
    assert not _covered(redactor, text, words), _spans(redactor, text)


# ------------------------------------------------------------ a carrier's letters said one by one
@pytest.mark.parametrize(
    "text, letters",
    [
        ("caller: o h p. the id is on the card", "o h p"),
        ("caller: eastern oregon c c o, through the state", "eastern oregon c c o"),
        ("caller: i think u h c through work", "u h c"),
    ],
)
def test_a_carriers_letters_said_one_by_one_are_the_carrier(redactor, text, letters):
    assert _covered(redactor, text, letters, "INSURER"), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, letters",
    [
        ("caller: the plate is o h p 4 4 1", "o h p"),  # a code goes on from the letters: not a carrier
        ("caller: he got his g e d last year", "g e d"),  # letters that spell no carrier
        ("caller: she was at work, a t and t, all day", "a t and t"),
    ],
)
def test_letters_that_are_no_carrier_stay_no_carrier(redactor, text, letters):
    assert not _covered(redactor, text, letters, "INSURER"), _spans(redactor, text)


# ------------------------------------------------------------ a business head of ordinary words, "for" / "at" it, in work talk
@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: i work the rigs up north most weeks for copper ridge well service", "copper ridge well service"),
        ("caller: i work down at the harbor doing hull paint for skyline marine", "skyline marine"),
        ("caller: he guides hunts in the fall for bitter creek outfitters", "bitter creek outfitters"),
    ],
)
def test_an_employer_of_ordinary_words_for_whom_one_works_is_masked(redactor, text, employer):
    assert _covered(redactor, text, employer), _spans(redactor, text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("caller: he works for a construction company", "construction company"),  # an article: a kind of business
        ("caller: she used to work for the dairy", "dairy"),  # a head alone
        ("caller: we waited for the auto parts all day", "auto parts"),  # no work talk
        ("caller: we were shopping for copper ridge marine paint", "copper ridge marine"),
    ],
)
def test_a_kind_of_business_or_one_outside_work_talk_stays(redactor, text, words):
    assert not _covered(redactor, text, words), _spans(redactor, text)
