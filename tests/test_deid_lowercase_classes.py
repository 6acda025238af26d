"""Classes of places and names said in lower case in raw speech (session 8, issue 8, branch geo8). Every example is
invented here, in other towns, streets and names than the calls that showed the class (calls_dev and the red-team
calls are scored, never tested against). Each positive case fails on the engine before this session's change; the
guard cases beside them are the everyday phrases of the same shape that must stay readable."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography, names, slots
from tests.test_deid_call_classes import _covered, _readable


def _found(recognizer, text: str) -> list[str]:
    return [text[s.start : s.end] for s in recognizer.find(text)]


def _recognizer(module, name: str):
    (found,) = [r for r in module.RECOGNIZERS if r.name == name]
    return found


# ------------------------------------------------------------------------------------------ tribal land
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: he's been up on the rosebud reservation since may", "rosebud reservation"),
        ("caller: they live on the rez, the crow rez, out past the river", "crow rez"),
        ("caller: my auntie's at the hoopa valley rancheria", "hoopa valley rancheria"),
        ("caller: we're on the muscogee nation, by the casino", "muscogee nation"),
    ],
)
def test_tribal_land_named_before_its_head(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: i made a dinner reservation for us friday",
        "caller: she has her reservations about rehab",
        "caller: the whole nation has a drug problem",
        "caller: we had a hotel reservation but cancelled it",
        "caller: he said this great nation forgot vets",
    ],
)
def test_a_booking_or_a_country_is_no_tribal_land(text):
    assert _found(_recognizer(geography, "tribal_land"), text) == []


# ------------------------------------------------------------------------------ a street whose type comes first
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we're on rue royale, by the church", "rue royale"),
        ("caller: she lives on calle sol, by the bakery", "calle sol"),
        ("caller: it's on chemin des bois, the gray house", "chemin des bois"),
    ],
)
def test_a_street_type_said_before_its_name(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: you'll rue the day you left", "caller: send it via email", "caller: he walked the camino last summer"],
)
def test_those_type_words_alone_are_no_street(text):
    assert _found(_recognizer(geography, "type_first_street"), text) == []


# ------------------------------------------------------------------- the clauses after a place said unasked
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we're in lufkin, um the pines, behind the old mill", "pines"),
        ("caller: she stays out in mcminnville, out past the tractor pull grounds", "tractor pull grounds"),
        ("caller: she's in natchitoches, uh the east side, past the fairgrounds", "fairgrounds"),
    ],
)
def test_clauses_that_pin_a_stated_place_down(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: we're in trouble, by the way",
        "caller: i'm in recovery, by the grace of god",
        "caller: he's in jail, on a probation hold",
        "caller: we're in the car, on the highway",
        "caller: she's in sedalia, um i think",
        "caller: we're in sedalia, near the park",
        "caller: he's out in pratt, on the highway",
    ],
)
def test_a_state_of_life_or_an_aside_opens_no_place_clause(text):
    assert _found(_recognizer(slots, "living_place_clauses"), text) == []


# ------------------------------------------------------------------------ an everyday word as a surname
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: hi this is darla birch, calling for my son", "darla birch"),
        ("caller: this is darnell tower, calling from the jail", "darnell tower"),
        ("caller: her name's shaniqua field.", "shaniqua field"),
    ],
)
def test_a_surname_that_is_a_word_in_an_introduction(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: this is tammy again",
        "caller: it's brandy speaking",
        "caller: i'm frank honestly",
        "caller: it's crystal clear, he needs help",
        "caller: this is kayla's mom, hi",
    ],
)
def test_the_sentence_going_on_is_no_surname(text):
    assert _found(_recognizer(names, "introduced_surname"), text) == []


# ------------------------------------------------------------------- a road by its number, said in words or "i 80"
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("agent: our stockton site is about an hour up the ninety nine", "ninety nine"),
        ("caller: she's down the one ten, near the harbor", "one ten"),
        ("caller: he lives right off i forty by the lake", "i forty"),
        ("caller: i'm at the pilot off i 70 right now", "pilot off i 70"),
    ],
)
def test_a_road_by_its_number_after_a_travel_cue(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: we walked up the ninety nine steps",
        "caller: i spent like i 20 bucks on it",
        "caller: i did it twenty times",
        "caller: he's on the one hand sorry",
    ],
)
def test_counts_after_travel_words_are_no_roads(text):
    assert _found(_recognizer(geography, "road_by_number"), text) == []


# -------------------------------------------------------------------- landmarks of small towns and coasts
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we're out on route 9 by the pumpkin festival grounds", "pumpkin festival grounds"),
        ("caller: our house is on elm street across from the opera house", "opera house"),
        ("caller: she lives in mendocino by the point cabrillo lighthouse", "point cabrillo lighthouse"),
    ],
)
def test_landmark_heads_of_small_towns(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: we hung out at the swap meet a lot", "swap meet"), ("caller: the festival grounds were packed", "festival grounds")],
)
def test_an_unnamed_landmark_stays_readable(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


# ------------------------------------------------------------- an ordinal crossing a street after a street cue
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: we live off of um mayfield and twelfth, by the park", "mayfield and twelfth"),
        ("caller: she's over on 23rd and rockwell now", "23rd and rockwell"),
    ],
)
def test_an_ordinal_intersection_after_a_street_cue(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: we meet on the first and third", "caller: it's at third and long", "caller: by the second and third week"],
)
def test_ordinals_of_dates_and_downs_are_no_intersection(text):
    assert not [s for s in geography.find(text) if s.recognizer == "street"]


# ------------------------------------------------------------------------- where-answers: a city's head, a pause
@pytest.mark.parametrize(
    "text,phrases",
    [
        ("agent: where do you live\ncaller: dodge city. um sunflower court, by the water tower.\n", ["dodge city", "sunflower court"]),
        ("agent: where is he staying\ncaller: junction city, off grant\n", ["junction city"]),
    ],
)
def test_where_answers_with_a_city_head_and_a_clause_after_a_full_stop(text, phrases):
    found = slots.find(text)
    assert all(any(s.start <= text.index(p) and text.index(p) + len(p) <= s.end for s in found) for p in phrases)


@pytest.mark.parametrize(
    "text",
    ["agent: where do you live\ncaller: the city. um, it's complicated\n", "agent: where do you live\ncaller: my mom's house\n"],
)
def test_a_city_or_a_house_alone_answers_no_where(text):
    words = {"city", "house"}
    assert not [s for s in slots.find(text) if s.recognizer == "place_slot" and words & set(text[s.start : s.end].split())]
