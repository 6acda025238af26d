"""Vertical recognizers (vertical.py, lexicon.py) and the safe-word layer's shorthand classes, on invented phrasings.

None of these sentences comes from calls_dev: each rule is tested on other words in the same shape.
"""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import safeword
from cipher_pipeline.deid.categories import placeholder
from cipher_pipeline.deid.lexicon import LexiconLayer
from cipher_pipeline.deid.spans import apply, resolve


@pytest.fixture(scope="module")
def layer() -> LexiconLayer:
    return LexiconLayer()  # with the gazetteer: a town is no program


def _found(layer: LexiconLayer, text: str, category: str) -> list[str]:
    caseless = text == text.lower()
    return [text[s.start : s.end] for s in layer.find(text, caseless=caseless) if s.category == category]


def _covered(layer: LexiconLayer, text: str, phrase: str, category: str) -> bool:
    start = text.index(phrase)
    return any(
        s.start <= start and start + len(phrase) <= s.end
        for s in layer.find(text, caseless=text == text.lower())
        if s.category == category
    )


@pytest.mark.parametrize(
    "text,name",
    [
        ("agent: has she been in treatment before\ncaller: yeah she did two weeks at willow bend, back in 2019\n", "willow bend"),
        ("caller: they threw him out of copper canyon for smoking\n", "copper canyon"),
        ("agent: any rehab before\ncaller: my son went to silver lake ranch like three years ago\n", "silver lake ranch"),
        ("caller: Compared to Juniper Hills you guys are cheap.\n", "Juniper Hills"),
        ("agent: any treatment before\ncaller: cedar grove wanted fifteen grand up front\n", "cedar grove"),
        ("agent: where did he do detox\ncaller: the place in el paso, it was awful\n", "place in el paso"),
        ("caller: he did iop over at bright path counseling last spring\n", "bright path counseling"),
        ("caller: they discharged her from harbor oaks after four days\n", "harbor oaks"),
        ("caller: she graduated from the river of life program\n", "river of life program"),
    ],
)
def test_unlisted_competitor_by_treatment_phrase(layer, text, name):
    assert _covered(layer, text, name, "COMPETITOR"), _found(layer, text, "COMPETITOR")


def test_a_program_head_said_again_is_that_program(layer):
    text = ("agent: is he open to treatment\ncaller: yes but not back to the lodge\nagent: the lodge?\n"
            "caller: pine hollow lodge, out past the lake\n")
    found = _found(layer, text, "COMPETITOR")
    assert "pine hollow lodge" in found and found.count("lodge") == 2


@pytest.mark.parametrize(
    "text",
    [
        "agent: any treatment before\ncaller: he went to jail last year\n",
        "agent: any treatment before\ncaller: she went to work this morning\n",
        "agent: any treatment before\ncaller: he went to florida for a week\n",
        "agent: any treatment before\ncaller: he went to his dad's last weekend\n",
        "agent: any treatment before\ncaller: he's been using pills for years\n",
        "agent: is he open to treatment\ncaller: he works on a cattle ranch\n",
        "caller: i went to a meeting last night\n",
        "caller: he sneaks off to Smart Recovery on thursdays\n",
        "agent: any treatment before\ncaller: no, but he went to cancun last year and came back worse\n",
        "agent: any treatment before\ncaller: no. he was at Walmart when he fell out\n",
        "caller: she got it out of the cabinet at work\n",
    ],
)
def test_generic_destinations_are_no_competitor(layer, text):
    assert _found(layer, text, "COMPETITOR") == []


def test_unlisted_competitor_placeholder_is_countable(layer):
    """Tier 3 counts caller-side [COMPETITOR...] tags: an unlisted one is [COMPETITOR] (insights: 'unlisted')."""
    text = "caller: they threw him out of copper canyon for smoking\n"
    spans = resolve(layer.find(text, caseless=True), text)
    assert "[COMPETITOR]" in apply(text, spans)
    assert placeholder("COMPETITOR") == "[COMPETITOR]"


def test_a_facility_named_after_a_treatment_cue_stays_a_facility(layer):
    text = "agent: any treatment before\ncaller: no, he went to Pine Bluff Community College for a year\n"
    spans = resolve(layer.find(text, caseless=False), text)
    assert [s.category for s in spans if "College" in text[s.start : s.end]] == ["OTHER_ID"]


def test_a_carrier_word_inside_a_program_name_is_no_carrier(layer):
    text = "caller: He did outpatient at Molina Heights in Dayton a few years back.\n"
    spans = resolve(layer.find(text, caseless=False), text)
    assert [s.category for s in spans if "Molina" in text[s.start : s.end]] == ["COMPETITOR"]


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: i work at the delmar plant, second shift\n", "delmar plant"),
        ("caller: he's a junior at eastview high, he plays football\n", "eastview high"),
        ("caller: she's taking classes at red rock community college\n", "red rock community college"),
        ("caller: he has drug court in lowndes county on friday\n", "drug court in lowndes county"),
        ("caller: they took her to the er at saint brigid's\n", "saint brigid's"),
        ("caller: she goes to second baptist in pelham\n", "second baptist"),
        ("caller: i got laid off from dixon heating and air last month\n", "dixon heating and air"),
        ("caller: he's staying at the bethany rescue mission\n", "bethany rescue mission"),
        ("caller: they had him at mercy general overnight\n", "mercy general"),
        ("caller: she's a teller at farmers state bank\n", "farmers state bank"),
        ("caller: he got hurt at red hill lumber in march\n", "red hill lumber"),
        ("caller: he's a line cook at the silver spoon diner\n", "silver spoon diner"),
        ("caller: she cleans rooms at the bayside inn\n", "bayside inn"),
        ("caller: he's a guard at the oakdale federal prison\n", "oakdale federal prison"),
        ("caller: he's a deputy with the grady county sheriff's office\n", "grady county sheriff's office"),
        ("caller: she drives a bus for cobb county schools\n", "cobb county schools"),
        ("caller: he works at silver creek farms in the office\n", "silver creek farms"),
        ("caller: she works for morning glory now.\n", "morning glory"),
        ("caller: he's locked up at the piedmont regional jail\n", "piedmont regional jail"),
        ("caller: she's a sophomore at tarleton state, in the dorms\n", "tarleton state"),
    ],
)
def test_facilities_as_callers_name_them(layer, text, phrase):
    found = [text[s.start : s.end] for s in layer.find(text, caseless=True) if s.category in ("OTHER_ID", "PROVIDER")]
    assert any(phrase in f for f in found), found


@pytest.mark.parametrize(
    "text,canonical",
    [
        ("caller: she's on badgercare right now\n", "medicaid"),
        ("caller: he's got healthy blue through the state\n", "healthy_blue"),
        ("caller: he has champva from his dad's service\n", "va_health"),
        # one id per carrier: a carrier is never filed under another carrier's id
        ("caller: it's inland empire health plan\n", "iehp"),
        ("caller: my insurance is wellmark through my job\n", "wellmark"),
        ("caller: she has excellus, the blue cross one\n", "excellus"),
        ("caller: his plan is bright health\n", "bright_health"),
        ("caller: he's on ohio medicaid\n", "medicaid"),
        ("caller: we have ambetter from superior\n", "ambetter"),
    ],
)
def test_insurers_beyond_the_demo_market(layer, text, canonical):
    assert canonical in [s.canonical for s in layer.find(text, caseless=True) if s.category == "INSURER"]


def test_each_insurer_name_has_one_carrier_id():
    """A name maps to one id, and the ids of the demo market (Tier 3's tables) keep their names."""
    import yaml

    from cipher_pipeline.deid.words import LEXICON_DIR

    data = yaml.safe_load((LEXICON_DIR / "insurers.yaml").read_text(encoding="utf-8"))
    ids: dict[str, str] = {}
    for entry in data["entries"]:
        for name in entry["names"]:
            key = " ".join(name.lower().split())
            assert ids.setdefault(key, entry["id"]) == entry["id"], (name, ids[key], entry["id"])
    from cipher_devtools.synth.vocab import INSURERS

    for canonical, forms in INSURERS.items():
        for form in forms:
            assert ids[" ".join(form.lower().split())] == canonical, form


@pytest.mark.parametrize(
    "text",
    ["caller: he went to high school there\n", "caller: he used to work at the shipyard\n", "caller: he was getting pretty high\n",
     "caller: she's at a community college\n", "caller: i work at the plant\n", "caller: the attorney general said so\n",
     "caller: she works at the post office.\n", "caller: he works at the gas station by the school\n",
     "caller: i work at home mostly\n", "caller: he works night shift at the hospital\n"],
)
def test_generic_facilities_stay(layer, text):
    assert [s for s in layer.find(text, caseless=True) if s.category in ("OTHER_ID", "PROVIDER")] == []


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: she's the only female welder at the yard\n", "the only female welder at"),
        ("caller: she was miss teen oregon in 2010\n", "miss teen oregon"),
        ("caller: he made all-state in wrestling\n", "all-state in wrestling"),
        ("caller: she sits on the school board\n", "school board"),
        ("caller: he's the guy from the mattress store commercials\n", "the guy from the mattress store commercials"),
        ("caller: he coaches junior varsity at\n", "coaches junior varsity at"),
        ("caller: she has a tattoo of a red rose on her throat\n", "a tattoo of a red rose on her throat"),
        ("caller: he's the police chief's nephew\n", "police chief's nephew"),
        ("caller: her uncle is the county commissioner\n", "her uncle is the county commissioner"),
        ("caller: she was the youngest paramedic in the state\n", "the youngest paramedic in"),
        ("caller: she was the first woman to make captain there\n", "the first woman to"),
        ("caller: it ended up in the paper last spring\n", "ended up in the paper"),
    ],
)
def test_quasi_identifier_shapes(layer, text, phrase):
    assert any(phrase in f for f in _found(layer, text, "OTHER_ID")), _found(layer, text, "OTHER_ID")


@pytest.mark.parametrize("text", ["caller: it's the only thing in my life that helps\n",
                                  "caller: it was the first time in a year he called\n",
                                  "agent: the first available bed at our campus is monday\n",
                                  "caller: he's the only one at work who knows\n"])
def test_ordinary_only_stays(layer, text):
    assert _found(layer, text, "OTHER_ID") == []


def test_a_town_named_by_a_very_common_word_needs_a_residence_cue(layer):
    assert _found(layer, "caller: he's on monitor and resting at home\n", "LOCATION") == []
    assert "union" in _found(layer, "caller: we live in union, near the school\n", "LOCATION")


# ----------------------------------------------------------------------------------------------- safe-word layer
def _names(text: str, caseless: bool) -> list[str]:
    return [text[s.start : s.end] for s in safeword.find(text, caseless=caseless)]


def test_chart_shorthand_is_no_name():
    note = "pt on iabp overnight, vanco given, extubated this am, creat stable, rec'd 2 units, hemody ok\n"
    assert _names(note, caseless=True) == []
    assert _names(note.upper(), caseless=True) == []


def test_acronyms_in_cased_text_are_no_name():
    assert _names("He has a CDL and an HSA through work, and the PCP wants a CBC.", caseless=False) == []


def test_unlisted_names_still_go():
    assert "Zoltanski" in _names("The Zoltanski family called about Dr. Quarrington.", caseless=False)
    assert "Quarrington" in _names("The Zoltanski family called about Dr. Quarrington.", caseless=False)
    assert "O'Donnell" in _names("Ms. O'Donnell called back.", caseless=False)
    assert "ellerbrook" in _names("caller: this is tamika ellerbrook\n", caseless=True)


# A facility or program name can be a dictionary word, only a rare one (wordfreq Zipf < 3): before a facility head
# or after a weak treatment cue it names the place like an unknown word does; common words still need a cue.
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: he was at the kestrel plant till they cut his shift\n", "kestrel plant"),
        ("caller: she goes to sandpiper high, tenth grade\n", "sandpiper high"),
        ("caller: we went to the foxglove chapel for a while\n", "foxglove chapel"),
    ],
)
def test_rare_word_before_a_facility_head_names_it(layer, text, phrase):
    found = [text[s.start : s.end] for s in layer.find(text, caseless=True) if s.category in ("OTHER_ID", "PROVIDER")]
    assert any(phrase in f for f in found), found


@pytest.mark.parametrize(
    "text",
    ["caller: we go to the big chapel downtown\n", "caller: she was at the old plant by the river\n"],
)
def test_common_words_before_a_facility_head_stay(layer, text):
    assert not [s for s in layer.find(text, caseless=True) if s.category in ("OTHER_ID", "PROVIDER")]
