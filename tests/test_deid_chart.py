"""Chart register (written clinical notes): what the layers read as vocabulary and measurements there, and what they
still mask. Every text here is invented; none is taken from the PhysioNet notes the rules were measured on."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor, rules, safeword
from cipher_pipeline.deid.lexicon import LexiconLayer
from cipher_pipeline.deid.register import chart_marks, is_chart

# an invented nursing note in the shape such notes take: system headers, doses, vitals, slash shorthand
NOTE = (
    "nsg note 7p-7a\n"
    "neuro: a&ox3, mae, c/o ha, given tylenol 650mg po w/ relief.\n"
    "cv: hr 80s sr, bp 100-120/60s, k 3.9 repleted w/ 40meq kcl.\n"
    "resp: ls clear, sats 97% on 2l nc, rr 18.\n"
    "gi: abd soft, +bs, tol clears.\n"
)


def _masked(res, text: str) -> list[str]:
    return [text[s.start : s.end] for s in res.spans]


# ------------------------------------------------------------------------------------------------ register
def test_a_nursing_note_is_chart_register():
    marks, words = chart_marks(NOTE)
    assert marks >= 10 and is_chart(NOTE)


@pytest.mark.parametrize(
    "text",
    [
        # a call transcript that talks about doses is still a call: speaker lines say so
        "agent: how much are you taking?\ncaller: like 8mg of suboxone, bp is fine, s/p detox w/ my son\n"
        "agent: okay.\ncaller: yeah 16 mg a day\n",
        "My name is Harold Quimby and I live at 41 Larch Lane in Dunmore.",
        "He took 2 mg and felt better.",
    ],
)
def test_calls_and_prose_are_not_chart_register(text):
    assert not is_chart(text)


# ------------------------------------------------------------------------------------------------ safe words
@pytest.mark.parametrize("word", ["zorvadil", "overnoc", "NPN", "IABP"])
def test_unknown_chart_vocabulary_is_not_a_name(word):
    text = NOTE + f"plan: cont {word} gtt.\n{word.capitalize()} titrated overnight.\n"
    found = [text[s.start : s.end] for s in safeword.find(text, caseless=True)]
    assert word not in found and word.capitalize() not in found


def test_a_capitalised_word_opening_a_chart_line_is_vocabulary_inside_a_sentence_a_name():
    text = NOTE + "Plexitane titrated overnight.\nseen by Quarbeck this am.\n"
    found = [text[s.start : s.end] for s in safeword.find(text, caseless=False)]
    assert "Plexitane" not in found and "Quarbeck" in found


@pytest.mark.parametrize(
    "line, name",
    [
        ("social: daughter wrenna called twice.\n", "wrenna"),
        ("per dr. QUILLEN, wean as tol.\n", "QUILLEN"),
        ("plan: transfer to NEMX in am.\n", "NEMX"),
        ("ZOLTECK aware of k 3.2.\n", "ZOLTECK"),
    ],
)
def test_chart_words_named_by_a_cue_are_masked(line, name):
    text = NOTE + line
    found = [text[s.start : s.end] for s in safeword.find(text, caseless=True)]
    assert name in found


def test_a_transcript_keeps_masking_unknown_lowercase_words():
    text = "agent: who is calling?\ncaller: this is zorvadil, his brother\n"
    assert "zorvadil" in [text[s.start : s.end] for s in safeword.find(text, caseless=True)]


# ------------------------------------------------------------------------------------------------ rules
@pytest.mark.parametrize(
    "line, value",
    [
        ("vent: psv 12/5 peep, tol well.\n", "12/5"),
        ("c/o 4/10 chest pain, relieved w/ ntg.\n", "4/10"),
        ("co/ci 5.2/2.74, svr 900.\n", "2/2.74"),
        ("weaned to 10/5/40% this am.\n", "10/5/40"),
        ("sr w/ +2/6 sem at lsb.\n", "2/6"),
        ("family visited until 2100.\n", "2100"),
        ("uo 450-1000 cc over shift.\n", "450-1000"),
        ("sbp in the 90's most of shift.\n", "in the 90's"),
        ("given 2 amp d50. Pt more alert.\n", "2 amp d50. Pt"),
    ],
)
def test_chart_measurements_are_not_identifiers(line, value):
    text = NOTE + line
    found = [text[s.start : s.end] for s in rules.find(text)]
    assert not any(value in f or f in value for f in found if f.strip()), found


@pytest.mark.parametrize(
    "line, value",
    [
        ("seen in clinic 3/14, echo done.\n", "3/14"),
        ("mrn 40281937 on band checked.\n", "40281937"),
        ("daughter's phone 617-555-0182.\n", "617-555-0182"),
        ("pt is 93 yo, lives alone.\n", "93 yo"),
    ],
)
def test_chart_identifiers_still_found(line, value):
    text = NOTE + line
    found = [text[s.start : s.end] for s in rules.find(text)]
    assert any(value in f or f in value for f in found), found


def test_named_identifier_reads_note_cues():
    text = "page covering np at pager # 41522 for consent"
    assert rules.named_identifier(text, text.index("41522"))
    assert not rules.named_identifier("bp 100-110 over shift", len("bp "))


# ------------------------------------------------------------------------------------------------ gazetteer
@pytest.mark.parametrize("word", ["comfort", "monitor", "relief"])
def test_a_town_named_by_an_english_word_is_the_word_in_a_chart(word):
    layer = LexiconLayer()
    text = NOTE + f"pt resting on {word}. pain at 2/10 w/ {word}.\n"
    assert word not in [text[s.start : s.end].lower() for s in layer.find(text, caseless=True)]


# ------------------------------------------------------------------------------------------------ engine
def test_engine_on_a_chart_note(redactor):
    text = NOTE + (
        "cv: dopamine 5mcg/kg, hr 70 av paced, svr 1100, ci 2.4.\n"
        "social: son rodrigo and dr. hallworth updated, tx to CCU in am.\n"
    )
    res = redactor.redact(text)
    masked = _masked(res, text)
    assert "rodrigo" in masked and "hallworth" in masked
    for kept in ("tylenol", "650mg", "40meq", "1100", "2.4", "CCU", "clears"):
        assert all(kept not in m for m in masked), (kept, masked)


def test_engine_speech_shapes_need_a_keyword_in_a_chart(redactor):
    text = NOTE + "cv: svr 1100 to 1400, ci 2 4.\npage covering np at pager # 41522.\nwife visited (617 555 01822).\n"
    masked = _masked(redactor.redact(text), text)
    assert any("41522" in m for m in masked)
    assert "01822" in " ".join(masked)
    assert all("1100" not in m and "1400" not in m for m in masked)


# ------------------------------------------------------------------------------------------------ the PhysioNet split
def test_physionet_splits_partition_patients():
    from cipher_devtools.evaluate import PHYSIONET_SPLITS

    for patient in range(1, 200):
        assert PHYSIONET_SPLITS["dev"](patient) != PHYSIONET_SPLITS["held-out"](patient)


def test_physionet_split_loads_disjoint_patients():
    from pathlib import Path

    from cipher_devtools import evaluate as ev

    mirror = Path("/work/.mirror/cliffordlab+DEID-2023/repo")
    if not mirror.exists():
        pytest.skip("no git mirror of cliffordlab/DEID-2023 here (fetch it to score PhysioNet)")
    dev = ev.load_physionet(mirror, split="dev", limit=40)
    held = ev.load_physionet(mirror, split="held-out", limit=40)
    assert dev and held
    assert {d.id.split("-")[0] for d in dev}.isdisjoint({d.id.split("-")[0] for d in held})
