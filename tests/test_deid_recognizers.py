"""The recognizers added for calls nobody here wrote: name lists with ambiguity classes, dialogue slots, places after
cues and neighbourhoods (the rules layer's recognizers: tests/test_deid_rules.py). Every input is invented for this
file, in the shapes speech recognition writes (lower case, little punctuation), and none is copied from calls_dev."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography, names, rules, slots
from cipher_pipeline.deid.engine import Redactor


def _covered(text: str, spans, phrase: str) -> bool:
    start = text.index(phrase)
    end = start + len(phrase)
    return all(any(s.start <= i < s.end for s in spans) for i in range(start, end) if not text[i].isspace())


def _touched(text: str, spans, phrase: str) -> bool:
    start = text.index(phrase)
    end = start + len(phrase)
    return any(s.start < end and start < s.end for s in spans)


# ------------------------------------------------------------------------------------------------ name lists
def test_ambiguity_classes_come_from_the_word_not_the_text() -> None:
    assert names.ambiguity("kayla") == "unambiguous"
    assert names.ambiguity("holloway") in ("unambiguous", None)
    assert names.ambiguity("brandy") == "weak"
    assert names.ambiguity("hope") == "strong"
    assert names.ambiguity("will") == "strong"
    assert names.ambiguity("table") is None


@pytest.mark.parametrize(
    "text, phrase",
    [("caller: i think branden took the car", "branden"), ("agent: Kayleigh called back", "Kayleigh")],
)
def test_unambiguous_names_found_in_any_case(text: str, phrase: str) -> None:
    assert _touched(text, names.find(text), phrase)
    assert _touched(text.lower(), names.find(text.lower()), phrase.lower())


def test_ambiguous_names_and_ordinary_words_alone_stay() -> None:
    text = "caller: i hope she will grace us with a call, she likes brandy and crystal light"
    assert names.find(text) == []


def test_adjacent_name_is_the_evidence_an_ambiguous_name_needs() -> None:
    from cipher_pipeline.deid.spans import Span

    text = "caller: his buddy dale okonkwo was there"
    start = text.index("okonkwo")
    grown = names.adjacent_names(text, [Span(start, start + len("okonkwo"), "NAME", "names")])
    assert any(text[s.start : s.end] == "dale okonkwo" for s in grown)
    # a relation word or a very common word never joins
    text = "caller: my son okonkwo and her hope okonkwo"
    spans = [Span(m, m + 7, "NAME", "names") for m in (text.index("okonkwo"), text.rindex("okonkwo"))]
    assert all(text[s.start : s.end] == "okonkwo" for s in names.adjacent_names(text, spans))


# ------------------------------------------------------------------------------------------------ dialogue slots
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: and who am i speaking with?\ncaller: um, roz. roz pettibone.\n", "roz. roz pettibone"),
        ("agent: okay and your name\ncaller: yeah it's lyle\n", "lyle"),
        ("Agent: What's his full name?\nCaller: Gideon Ashworth-Bell, he goes by Gid.\n", "Gideon Ashworth-Bell"),
    ],
)
def test_name_slot(text: str, phrase: str) -> None:
    assert _covered(text, slots.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: can you confirm the date of birth\ncaller: seven, two, two thousand one\n", "seven, two, two thousand one"),
        ("agent: and her birthday?\ncaller: uh the ninth of may, eighty\n", "the ninth of may, eighty"),
    ],
)
def test_date_slot(text: str, phrase: str) -> None:
    assert _covered(text, slots.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: where does she live now\ncaller: kewanee. with her dad\n", "kewanee"),
        ("agent: ok where are you calling from\ncaller: we live in oakmont, on the hill\n", "oakmont"),
        # "what city" asked with its verb after it, as agents ask it
        ("agent: and what city does he live in?\ncaller: brindle. it's small\n", "brindle"),
        ("agent: what town are you calling from today\ncaller: quillby, near the lake\n", "quillby"),
        ("agent: what area does your son stay in?\ncaller: marrow creek\n", "marrow creek"),
    ],
)
def test_place_slot(text: str, phrase: str) -> None:
    assert _covered(text, slots.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrases",
    [
        # clauses that pin the place down, however Whisper heard their words
        ("agent: where does she live?\ncaller: Brookfield, in sandy bottom, off Kessler lane.\n",
         ["sandy bottom", "Kessler lane"]),
        ("agent: where do you two live?\ncaller: Harlow, near the Hensley feed mill, with my sister.\n",
         ["Hensley feed mill"]),
        ("agent: and where are you all at?\ncaller: dunmore behind the piggly wiggly on route 6\n",
         ["dunmore", "piggly wiggly on route 6"]),
        ("agent: where does he live?\ncaller: Everett, near Maplewood way, and Fircrest Road, I'm in Linwood.\n",
         ["Maplewood way, and Fircrest Road"]),
        ("agent: where's home?\ncaller: Lakeland, off-biscayne, by the river.\n", ["biscayne"]),
    ],
)
def test_place_slot_reads_the_clauses_after_the_place(text: str, phrases: list[str]) -> None:
    found = slots.find(text)
    assert all(_covered(text, found, phrase) for phrase in phrases)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("agent: where does he live?\ncaller: Tucson, on probation though, in a shelter.\n", ["probation", "shelter"]),
        ("agent: where's home?\ncaller: Lakeland, by my mom's, but I'm not going back.\n", ["mom's", "going back"]),
        ("agent: where are you staying?\ncaller: at a motel, off the highway, I don't know the name.\n", ["highway"]),
        ("agent: where does she live?\ncaller: in Tucson, and my mom lives there too.\n", ["mom lives"]),
        ("agent: where are you?\ncaller: I'm at work right now, in the break room.\n", ["break room"]),
    ],
)
def test_place_slot_clauses_that_are_no_place_stay(text: str, kept: list[str]) -> None:
    found = slots.find(text)
    assert not any(_touched(text, found, phrase) for phrase in kept)


@pytest.mark.parametrize(
    "text",
    [
        "agent: where does he live?\ncaller: at home with us\n",
        "agent: where are you calling from?\ncaller: i'm in my car\n",
        "agent: what's your name?\ncaller: i'd rather not say yet\n",
        "agent: date of birth?\ncaller: i don't know it\n",
        "caller: where does he live? pasco\n",  # no agent question
        "agent: what city does he like?\ncaller: boston\n",  # a city asked about, not where he is
    ],
)
def test_slots_leave_answers_that_are_not_identifiers(text: str) -> None:
    assert slots.find(text) == []


def test_slot_answer_across_a_whisper_line_split() -> None:
    text = "agent: thanks. and where is he\nagent: staying right now\ncaller: tuckahoe. at his cousin's\n"
    assert _covered(text, slots.find(text), "tuckahoe")


# ------------------------------------------------------------------------------------------------ places
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she's been staying out in wrenshaw with friends", "wrenshaw"),
        ("caller: we're over by tallowood, near the tracks", "tallowood"),
        ("caller: he moved down to north quillby", "north quillby"),
        ("caller: we live in the cedar bluffs area", "cedar bluffs"),
        ("caller: they're up in the birch meadows subdivision", "birch meadows"),
        ("caller: i'm on the east side, past the bridge", "east side"),
        ("caller: she's from the northside", "northside"),
        ("Caller: We live in Walnut Grove now.", "Walnut Grove"),
    ],
)
def test_places_after_cues_and_neighbourhoods(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: she's been off suboxone for a week",
        "caller: i was in detox by tuesday",
        "caller: we live in texas",
        "caller: on the other side of it",
        "caller: he's in a park somewhere",
        "caller: by the lake",
    ],
)
def test_places_leave_ordinary_phrases(text: str) -> None:
    assert geography.find(text) == []


# ------------------------------------------------------------------------------------------------ the engine
@pytest.mark.slow  # loads the whole engine (spaCy, lexicons, gazetteer)
def test_engine_records_the_layer_of_each_new_recognizer(redactor: Redactor) -> None:
    res = redactor.redact("agent: where does he live?\ncaller: kewanee, with tayshawn\n")
    layers = {s.layer for s in res.spans}
    assert layers <= set(redactor.layer_chain)
    assert "[LOCATION]" in res.redacted_text or "[NAME]" in res.redacted_text
    assert "kewanee" not in res.redacted_text and "tayshawn" not in res.redacted_text


# ------------------------------------------------------------------------------------------------ growing places
def _loc(text: str, phrase: str):
    from cipher_pipeline.deid.spans import Span

    start = text.index(phrase)
    return Span(start, start + len(phrase), "LOCATION", "lexicon")


@pytest.mark.parametrize(
    "text, place, landmark",
    [
        ("caller: she's in kewanee, by the oakton farmers market", "kewanee", "oakton farmers market"),
        ("caller: off route 9 near the lindale exit", "route 9", "lindale exit"),
        ("caller: we're in garland, by brakewood", "garland", "brakewood"),
        ("caller: 2 8 1 0 west dorrance, ludlow, 48,201", "ludlow", "48,201"),
    ],
)
def test_a_found_place_grows_over_its_landmark_or_zip(text: str, place: str, landmark: str) -> None:
    grown = geography.grow_places(text, [_loc(text, place)])
    assert _covered(text, grown, landmark)
    if "by the" in text:  # the connector stays readable: the landmark is its own span
        assert not _touched(text, grown, "by the")


@pytest.mark.parametrize("text", ["caller: i'm in garland, by the way", "caller: in garland near the school"])
def test_generic_phrases_after_a_place_stay(text: str) -> None:
    assert geography.grow_places(text, [_loc(text, "garland")]) == [_loc(text, "garland")]


def test_spoken_house_number_joins_the_street() -> None:
    text = "caller: it's 2 8 1 0 west dorrance"
    grown = geography.grow_places(text, [_loc(text, "0 west dorrance")])
    assert _covered(text, grown, "2 8 1 0 west dorrance")


def test_a_dash_said_aloud_joins_digit_groups() -> None:
    from cipher_pipeline.deid import asr_shapes

    text = "agent: member id?\ncaller: 5 5 1 dash 2 0 4 dash 7 7 3 9\n"
    assert _covered(text, asr_shapes.find(text) + rules.find(text), "5 5 1 dash 2 0 4 dash 7 7 3 9")


@pytest.mark.parametrize(
    "text, phrase",
    [("Caller: He crashed on the 605, near the exit.", "605"), ("caller: we take the 17 north every day", "17")],
)
def test_a_freeway_by_its_number(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize("text", ["caller: he was on the 30 day program", "caller: off the 5 mg dose", "caller: up the 12 steps"])
def test_numbers_that_are_not_freeways(text: str) -> None:
    assert geography.find(text) == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Caller: She's been living out in the Tidewater Flats since spring.", "Tidewater Flats"),
        ("Caller: We moved to the Upper Gorge after that.", "Upper Gorge"),
        ("caller: she's at the family dollar on lamar", "family dollar on lamar"),
        ("Caller: Meet me at the Circle K on Valencia.", "Circle K on Valencia"),
        ("caller: he sleeps under the hawthorne bridge", "hawthorne bridge"),
    ],
)
def test_cased_regions_chain_stores_on_their_street_and_named_features(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "Caller: He was in the Army for six years.",
        "Caller: He's on the Librium taper now.",
        "Caller: She reads the Big Book every night.",
        "caller: i stopped at the walmart on the way",
    ],
)
def test_cased_institutions_and_generic_chain_trips_stay(text: str) -> None:
    assert geography.find(text) == []


# ------------------------------------------------------------------------------------------------ name cues
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: hi dale this is marguerite", "dale"),
        ("caller: my wife ruby drinks every night", "ruby"),
        ("caller: i talked to dusty yesterday", "dusty"),
        ("caller: my niece crystal she's seventeen", "crystal"),
        ("caller: it's penny with two n's", "penny"),
    ],
)
def test_lower_case_names_that_are_words_with_a_cue_and_a_clause_after(text: str, phrase: str) -> None:
    from cipher_pipeline.deid import ner

    assert _covered(text, ner.context_spans(text), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: i hope this works",
        "caller: he's been using crystal every day",
        "caller: my son uses crystal and heroin",
        "caller: we can talk tomorrow",
    ],
)
def test_words_that_are_only_words_stay(text: str) -> None:
    from cipher_pipeline.deid import ner

    assert ner.context_spans(text) == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Caller: My mom lives on Kessler, two blocks down.", "Kessler"),
        ("Caller: We're just off Brightwater Parkway near the school.", "Brightwater"),
        ("Caller: It's 882 Larkspur, Apt 3.", "882 Larkspur"),
    ],
)
def test_cased_street_names_without_a_type(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text",
    ["Caller: She got off Suboxone in May.", "Caller: He lives on Medicaid and disability.", "Caller: I'm off Monday."],
)
def test_drugs_programs_and_days_after_off_and_on_stay(text: str) -> None:
    assert geography.find(text) == []


# ------------------------------------------------------------------------------------------------ the chain
def test_layers_yaml_declares_the_priority_that_labels_a_merged_span() -> None:
    import yaml

    from cipher_pipeline.deid.engine import CONFIG_PATH
    from cipher_pipeline.deid.spans import Span, resolve

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    assert all("priority" in layer and "module" in layer for layer in config["layers"])
    text = "caller: kewanee"
    a = Span(8, 15, "NAME", "names", None, "name_list")
    b = Span(8, 15, "LOCATION", "slots", None, "place_slot")
    assert resolve([a, b], text, {"names": 2, "slots": 1})[0].recognizer == "place_slot"
    assert resolve([a, b], text, {"names": 0, "slots": 1})[0].recognizer == "name_list"


def test_each_geography_span_names_its_recognizer() -> None:
    text = "caller: we're on the west side, off the 605, over in wrenshaw"
    found = {s.recognizer for s in geography.find(text)}
    assert {"side_of_town", "freeway_number", "cued_place"} <= found
    assert all(r.name and r.category for r in geography.RECOGNIZERS + slots.RECOGNIZERS + names.RECOGNIZERS)


def test_the_cross_street_of_a_found_place_and_a_bare_route_number() -> None:
    text = "caller: she's off dunmore and pleasant hills"
    grown = geography.grow_places(text, [_loc(text, "dunmore")])
    assert _covered(text, grown, "pleasant hills")
    text = "caller: he wrecked on 287 near the overpass"
    assert _covered(text, geography.find(text), "287")
    assert geography.find("caller: he's on 30 milligrams") == []


def test_a_street_named_for_a_person_at_an_intersection() -> None:
    from cipher_pipeline.deid.spans import Span

    text = "caller: we're off martin luther king and grove street"
    start = text.index("martin")
    grown = geography.grow_places(text, [Span(start, start + len("martin luther king"), "NAME", "ner")])
    assert _covered(text, grown, "martin luther king and grove street")
    text = "caller: i called martin luther king and grove street"  # no street cue: the name stays a name
    start = text.index("martin")
    assert len(geography.grow_places(text, [Span(start, start + len("martin luther king"), "NAME", "ner")])) == 1


def test_common_spanish_words_are_safe_and_spanish_names_are_not() -> None:
    from cipher_pipeline.deid.words import is_safe_word

    assert all(is_safe_word(w) for w in ("hola", "buenas", "tardes", "llamo", "por", "gracias", "hijo"))
    assert not any(is_safe_word(w) for w in ("maría", "guadalupe"))


def test_slot_answer_that_went_on_after_a_line_break() -> None:
    text = "agent: and where is he staying\ncaller: um, it's uh,\ncaller: tuckahoe.\n"
    assert _covered(text, slots.find(text), "tuckahoe")
    text = "agent: and where is he staying\ncaller: um, it's uh,\nagent: take your time\n"
    assert slots.find(text) == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: it's on 9th street, between walnut and chestnut", "walnut and chestnut"),
        ("caller: it's four one two larkspur, unit c", "four one two larkspur"),
    ],
)
def test_intersections_between_streets_and_spoken_house_numbers(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [("Caller: We're on the Gold Coast now.", "Gold Coast"), ("Caller: She's on the windward side.", "windward side")],
)
def test_regions_on_the_and_island_sides(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


def test_on_the_before_ordinary_capitals_stays() -> None:
    assert geography.find("Caller: He's on the Vivitrol Shot now, and on the Medicaid Plan.") == []


@pytest.mark.parametrize(
    "text, phrase",
    [("caller: she lives out in tidewater. with her dad", "tidewater"), ("caller: we're originally from cherry grove", "cherry grove")],
)
def test_ordinary_words_only_a_place_can_be(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: i live in fear every day", "caller: i'm from work", "caller: he lives in a shelter", "caller: she lives in denial"],
)
def test_what_one_lives_in_that_is_no_place(text: str) -> None:
    assert geography.find(text) == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: my name is uh, lorna", "lorna"),
        ("caller: his name's like, trent", "trent"),
        ("caller: this is um, dusty", "dusty"),
        ("caller: my niece, um, rusty, she's using again", "rusty"),
        ("caller: hey it's me, lorna, from this morning", "lorna"),
    ],
)
def test_fillers_between_a_name_cue_and_the_name(text: str, phrase: str) -> None:
    from cipher_pipeline.deid import ner

    assert _covered(text, ner.context_spans(text), phrase)


def test_fillers_do_not_make_words_names() -> None:
    from cipher_pipeline.deid import ner

    assert ner.context_spans("caller: this is like, crazy, and it's um, hard") == []


@pytest.mark.parametrize(
    "text, phrase",
    [("caller: so dusty called me last night", "dusty"), ("Caller: Then Wade said he was done.", "Wade")],
)
def test_a_rare_word_name_doing_what_people_do(text: str, phrase: str) -> None:
    assert _covered(text, names.find(text), phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: he drinks cheap brandy was the thing", "caller: i hope he called", "caller: the rusty truck was parked"],
)
def test_words_that_are_things_or_common_stay(text: str) -> None:
    assert [s for s in names.find(text) if s.recognizer == "weak_name_subject"] == []


def test_state_words_and_drug_street_names_need_evidence() -> None:
    text = "caller: we moved from north carolina and he's been on tina since"
    assert names.find(text) == []
    assert names.ambiguity("carolina") == "strong" and names.ambiguity("tina") == "strong"


# ------------------------------------------------------------------------------------------------ clinical frames
# Two-letter street types used as shorthand, "sr"/"cr" with a vital or a lab value (the rules layer's clinical
# frames are in tests/test_deid_rules.py). Invented sentences, none from a corpus.
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("rhythm sr 70s with rare pvc", "sr 70s"),
        ("am labs: cr 2.4, bun 40", "cr 2.4"),
        ("To Chest CT at noon.", "Chest CT"),
        ("Paged Renal Dr about the k.", "Renal Dr"),
        ("Monitor shows NSR ST changes", "NSR ST"),
    ],
)
def test_two_letter_street_types_need_a_number_or_a_cue(text: str, phrase: str) -> None:
    assert not _touched(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("she lives on Larkwood Ct near the school", "Larkwood Ct"),
        ("caller: it's 9 Tanager Dr, apartment 2", "Tanager Dr"),
        ("caller: take CR 418 out past the church", "CR 418"),
        ("caller: he stays off cr 27 by the creek", "cr 27"),
        ("caller: down on Quince St by the bakery", "Quince St"),
    ],
)
def test_two_letter_street_types_with_evidence_are_streets(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


def test_model_entities_of_a_number_and_short_words_are_measurements() -> None:
    from cipher_pipeline.deid.ner import entity_spans

    text = "Hr 92 and Svo2 61 noted, seen by Marisol Quintanilla in Tarrytown 4"
    ents = [(text.index("Hr 92"), text.index("Hr 92") + 5, "GPE"),
            (text.index("Svo2 61"), text.index("Svo2 61") + 7, "PERSON"),
            (text.index("Marisol"), text.index("Marisol") + len("Marisol Quintanilla"), "PERSON"),
            (text.index("Tarrytown"), len(text), "GPE")]
    found = {text[s.start : s.end] for s in entity_spans(ents, text)}
    assert "Hr 92" not in found and "Svo2 61" not in found
    dated = "Zq Vek 3/17-Ox"
    spans = entity_spans([(0, len(dated), "PERSON")], dated)
    assert [(dated[s.start : s.end], s.category) for s in spans] == [("3/17", "DATE")]
    assert "Marisol Quintanilla" in found and any(f.startswith("Tarrytown") for f in found)


# ------------------------------------------------------------------------------------------------ rare place words
# A local name can be a dictionary word, only a rare one (wordfreq Zipf < 3): after a cue only a place follows it is
# a place; after a bare preposition it is not ("in shambles", "by himself").
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she lives out in tidewater now", "tidewater"),
        ("caller: we moved to bayberry last spring", "bayberry"),
        ("caller: he grew up in sawgrass, mostly", "sawgrass"),
        ("caller: it's right off sandpiper, past the school", "sandpiper"),
    ],
)
def test_rare_words_after_a_place_cue_are_places(text: str, phrase: str) -> None:
    assert _covered(text, geography.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: honestly things are in shambles", "shambles"),
        ("caller: he lives by himself", "himself"),
        ("caller: she lives in fear of him", "fear"),
        ("caller: he got off probation in june", "probation"),
        ("caller: we moved to the lakefront", "lakefront"),
    ],
)
def test_rare_words_after_a_bare_preposition_stay(text: str, phrase: str) -> None:
    assert not _touched(text, geography.find(text), phrase)

