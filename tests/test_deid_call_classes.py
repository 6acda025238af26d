"""Classes of call-transcript identifiers added in session 4 (issue 8), each tested on invented phrasings in other
words, towns and regions than the calls that showed the class (calls_dev is scored, never tested against)."""

from __future__ import annotations

import shutil

import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.words import LEXICON_DIR


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor.default()


def _masked(redactor: Redactor, text: str) -> list[str]:
    text = text if text.endswith("\n") else text + "\n"
    return [text[s.start : s.end] for s in redactor.redact(text).spans]


def _covered(redactor: Redactor, text: str, phrase: str) -> bool:
    text = text if text.endswith("\n") else text + "\n"
    start = text.index(phrase)
    spans = sorted((s.start, s.end) for s in redactor.redact(text).spans)
    pos = start
    for s, e in spans:
        if s <= pos < e:
            pos = e
    return pos >= start + len(phrase)


def _readable(redactor: Redactor, text: str, phrase: str) -> bool:
    text = text if text.endswith("\n") else text + "\n"
    return phrase in redactor.redact(text).redacted_text


# ------------------------------------------------------------------------------------------ a program's sites
@pytest.mark.parametrize(
    "text,town,noun",
    [
        ("agent: our Flagstaff campus has a bed open friday", "Flagstaff", "campus"),
        ("agent: the Kalispell location does the outpatient side", "Kalispell", "location"),
        ("caller: i finished your mesa program last spring", "mesa", "program"),
        ("caller: she starts at the um lubbock place on monday", "lubbock", "place"),
        ("agent: our Eagle campus is up the valley", "Eagle", "campus"),  # a town named by a common word
    ],
)
def test_a_site_name_is_a_place_and_the_site_noun_stays(redactor, text, town, noun):
    assert _covered(redactor, text, town)
    assert _readable(redactor, text, f" {noun}")


@pytest.mark.parametrize(
    "text",
    ["agent: the residential program is thirty days", "agent: our main campus has detox",
     "agent: the outpatient clinic opens at nine", "caller: is it the same place"],
)
def test_generic_sites_stay(redactor, text):
    assert _masked(redactor, text) == []


def test_a_declared_site_of_the_center_survives_as_its_site_only(tmp_path):
    for f in LEXICON_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "center.yaml").write_text("keep:\n  - \"Seaside Recovery\"\nsites:\n  - Flagstaff\n", encoding="utf-8")
    custom = Redactor.default(disabled_layers={"ner"}, lexicon_dir=tmp_path)
    said_as_site = "agent: our Flagstaff campus has a bed open friday\n"
    assert custom.redact(said_as_site).redacted_text == said_as_site
    # the same town as where a caller lives is the caller's
    assert "Flagstaff" not in custom.redact("caller: i live in Flagstaff with my mom\n").redacted_text


# -------------------------------------------------------------------------------- places said in one breath
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we're over in tempe, off um, off mcclintock by the walmart", "mcclintock by the walmart"),
        ("caller: he's staying off 287 by Old Settlers Park", "287 by Old Settlers Park"),
        ("caller: the truck stop on i-40 past amarillo", "i-40 past amarillo"),
        ("caller: she lives on juniper street near the fairview elementary", "juniper street near the fairview elementary"),
    ],
)
def test_a_landmark_said_with_a_place_is_one_place(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_a_landmark_after_a_full_stop_or_a_generic_one_stays(redactor):
    text = "caller: we live off sandhill road. by the lake there is a dock"
    assert _readable(redactor, text, "by the lake")
