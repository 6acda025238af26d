"""The independent residual scanner: planted identifiers are caught with the right category, clean text is clean."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cipher_pipeline.deid.categories import CATEGORIES, DIRECT_CATEGORIES
from cipher_pipeline.gate import normalize as scan_normalize
from cipher_pipeline.gate import residual
from cipher_pipeline.gate.residual import line_of_offset, scan_frame, scan_text
from tests.test_gate_fixtures import CLEAN_CALLS, PLANTED, redacted_frame


def categories(text: str) -> list[str]:
    return [r.category for r in scan_text(text)]


def _assert_flagged_as(text: str, fragment: str, category: str) -> None:
    """The scan flags ``fragment`` of ``text`` (some finding of ``category`` overlaps it)."""
    start = text.index(fragment)
    found = scan_text(text)
    assert any(r.category == category and r.start < start + len(fragment) and start < r.end for r in found), found


@pytest.mark.parametrize("text", CLEAN_CALLS)
def test_clean_redacted_calls_have_no_residuals(text: str) -> None:
    assert scan_text(text) == []


@pytest.mark.parametrize(
    ("key", "category"),
    [
        ("PHONE", "PHONE"),
        ("PHONE_SPOKEN", "PHONE"),
        ("EMAIL_SPOKEN", "EMAIL"),
        ("NAME_CUE", "NAME"),
        ("SSN", "SSN"),
    ],
)
def test_planted_residual_is_caught_with_its_category(key: str, category: str) -> None:
    text = CLEAN_CALLS[0] + "\n" + PLANTED[key]
    found = scan_text(text)
    assert [r.category for r in found] == [category]
    # It points at the planted (last) turn, not at any of the clean turns before it.
    assert line_of_offset(text, found[0].start) == text.count("\n")


def test_offsets_cover_the_identifier_and_nothing_is_stored_as_text() -> None:
    text = "caller: Hi, my name is Dana Whitfield, call me on 555 013 2749."
    found = scan_text(text)
    assert [(text[r.start : r.end], r.category) for r in found] == [
        ("Dana Whitfield", "NAME"),
        ("555 013 2749", "PHONE"),
    ]
    # A residual carries offsets, category and the rule that fired: no field can hold the identifier.
    assert set(vars(found[0])) == {"start", "end", "category", "rule"}
    assert all(isinstance(getattr(r, "rule"), str) and "Dana" not in r.rule for r in found)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("caller: My email is jw1987@example.com.", ["EMAIL"]),
        ("caller: it's j smith forty two at yahoo", ["EMAIL"]),
        ("caller: Fax it to 555-013-8800, that's our fax.", ["FAX"]),
        ("caller: You can fax it to (555) 013-8800.", ["FAX"]),
        ("caller: my number is double five five, oh one three, two seven four nine", ["PHONE"]),
        ("caller: His medical record number is 44817230.", ["MRN"]),
        ("caller: The member ID is XJH 447 190 23.", ["HEALTH_PLAN"]),
        ("caller: claim number 99120034", ["ACCOUNT"]),
        ("caller: his driver's license is D1234-5678", ["LICENSE"]),
        ("caller: the plate is 7ABC123", ["VEHICLE"]),
        ("caller: the VIN is 1HGCM82633A004352", ["VEHICLE"]),
        ("caller: serial number on the monitor is SN88213409", ["DEVICE"]),
        ("caller: look at www.example-family.org for the photos", ["URL"]),
        ("caller: it's on dana whitfield dot com slash blog", ["URL"]),
        ("caller: the router said 192.168.40.12", ["IP"]),
        ("caller: it shows 6e40:4041:c617:e898:c11:40d2:c669:2eb4", ["IP"]),
        ("caller: the address is fe80::1ff:fe23:4567:890a", ["IP"]),
        ("caller: the tracker's MAC is 3C:22:FB:91:0A:7E", ["DEVICE"]),
        ("caller: zip code is 93301", ["ZIP"]),
        ("caller: we're in Bakersfield, CA 93301", ["LOCATION", "ZIP"]),
        ("caller: last four of my social are 4471", ["SSN"]),
        ("caller: My grandmother is 93 years old.", ["AGE"]),
        ("caller: she's turning ninety-two next year", ["AGE"]),
        ("caller: He lives in Bakersfield with his aunt.", ["LOCATION"]),
        ("caller: We live at 1420 Maple Grove Drive.", ["LOCATION"]),
        ("caller: over in Kern County", ["LOCATION"]),
        ("caller: He was born March 14th, 1988.", ["DATE"]),
        ("caller: he got out on the 3rd of March", ["DATE"]),
        ("caller: his court date is 4/17/2026", ["DATE"]),
        ("caller: I got a new court date on 10, 31, 26, and the judge", ["DATE"]),  # Whisper's numeric date
        ("caller: So, okay, 8, 1, 0, 6, 2, 8, 0, 2, 4, 2.", ["PHONE"]),  # ten digits read one by one
        ("caller: He relapsed in October.", ["DATE"]),
        ("caller: Ask for Jennifer at the front desk.", ["NAME"]),
        ("caller: My son Tyler has been using since he was 15.", ["NAME"]),
        ("caller: my name is dana", ["NAME"]),
        ("caller: I talked to Dr. Okafor last week.", ["NAME"]),
        # Recall rules added after measuring on the synthetic corpus (each is a way callers really say it):
        ("agent: Thank you for reaching out, Kristen.", ["NAME"]),  # vocative
        ("caller: It's Stone. S T O N E.", ["NAME", "NAME"]),  # a name cue, then the spelled-out name
        ("agent: And how do you spell the last name?\ncaller: stone, like a rock", ["NAME"]),  # answer to a name question
        ("agent: Can I get the last four of your social?\ncaller: Okay, four eight five five.", ["SSN"]),  # context in the previous turn
        ("caller: 4520 Vista Grande Avenue, Riverside, California, nine two five eight six.", ["LOCATION", "LOCATION", "ZIP"]),
        ("caller: forty-five forty-eight Willow Road", ["LOCATION"]),  # spoken house number
        ("agent: And her date of birth?\ncaller: It's twelve, oh one, seventy.", ["DATE"]),
        ("caller: She lives with her grandmother, who's ninety-four.", ["AGE"]),
        ("caller: The ambulance took him to Palomar Medical Center.", ["PROVIDER"]),
        ("caller: Yes, he drives for Coastline Logistics.", ["OTHER_ID"]),
        ("caller: we're out in chula vista now", ["LOCATION"]),  # lower-cased by ASR
        ("agent: harborview admissions this is renee how can i help", ["NAME"]),  # lower-case name after a cue
        ("caller: my daughter thuy is struggling", ["NAME"]),
        ("agent: I'm really glad you called, Ngozi.", ["NAME"]),  # ", Name." closing a sentence
        ("agent: What's been going on with Tariq? How old is he?", ["NAME"]),  # a person's slot
        ("caller: Can I call Efrain while he's there?", ["NAME"]),
    ],
)
def test_each_safe_harbor_pattern(line: str, expected: list[str]) -> None:
    assert categories(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "agent: It costs about $1,200 a day, or $25,000 for 30 days.",
        "agent: We have 48 beds, 24/7 nursing, and intake at 3:30 pm.",
        "caller: He's been sober 18 months, since 2023.",
        "caller: Is it 30, 60 or 90 days?",
        "caller: My name is [NAME] and my number is [PHONE].",
        "caller: email me at [EMAIL], or [NAME] at gmail dot com",
        "agent: We take [INSURER:aetna], [INSURER:cigna] and Blue Cross Blue Shield.",
        "caller: I have hope now. Grace is what got me through. Thank you, God bless.",
        "agent: Press 2 for admissions. We're a Christian-friendly program with AA and NA meetings.",
        "caller: She's 34 and he's 71.",
        "caller: Can I bring my mobile phone?",
        "agent: And her date of birth?\ncaller: [DATE], nineteen seventy-seven.",  # the year alone stays
        "agent: What's the date of birth?\ncaller: It's [DATE]/2005.",
        "caller: I was at Harborview before, back in 2022. I think the insurance changed.",
        "caller: It's Percocet. He lost his job.",
        "agent: Federal confidentiality law, 42 CFR Part 2, protects your records. We're in network with Blue Cross.",
        "caller: He has United, the card's right here.",
        "caller: she lives in california, near the coast",
        "agent: Most people do PHP 30 days, then IOP.",
        "agent: In case we get cut off, what's the best number?",  # not Cut Off, Louisiana
        "agent: Intake is 10:30 to 11:45, visits 1:00:00 on Sundays.",
        "caller: I'm forty-five. It's oxycodone, and this is really hard.",
        "agent: Thank you for calling Harborview, this is [NAME].",
        "agent: Who am I speaking with?\ncaller: Hey. Yeah, this is [NAME].",
    ],
)
def test_ordinary_call_language_is_not_a_residual(line: str) -> None:
    assert scan_text(line) == []


def test_partition_scan_totals_and_rates() -> None:
    frame = redacted_frame("2026-03-02", 6, planted={1: PLANTED["PHONE"], 4: PLANTED["NAME_CUE"]})
    scan = scan_frame(frame)
    assert scan.transcripts == 6
    assert scan.counts == {"PHONE": 1, "NAME": 1}
    assert scan.direct_total == 1
    assert scan.tokens == sum(frame["token_count"])
    assert scan.rate_per_10k("NAME") == pytest.approx(10_000 / scan.tokens)
    offsets = scan.offsets()
    assert {(o["transcript_id"], o["category"]) for o in offsets} == {
        (frame["transcript_id"][1], "PHONE"),
        (frame["transcript_id"][4], "NAME"),
    }
    assert all(set(o) == {"transcript_id", "turn", "start", "end", "category", "rule"} for o in offsets)
    last_turn = frame["redacted_text"][1].count("\n")  # planted lines are appended as the last turn
    assert [o["turn"] for o in offsets if o["category"] == "PHONE"] == [last_turn]


def test_scanner_categories_are_the_shared_ones_and_it_does_not_import_the_redactor() -> None:
    # The same vocabulary as the redactor, declared independently ...
    assert residual.DIRECT <= DIRECT_CATEGORIES
    assert residual.QUASI <= set(CATEGORIES)
    # ... and no import of cipher_pipeline.deid, so that one bug cannot hide in both.
    # The scan's Unicode normalisation is its own too (gate/normalize.py, not deid/normalize.py).
    for module in (residual, scan_normalize):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(name.startswith("cipher_pipeline.deid") for name in imported), module.__name__


def test_misheard_drug_names_and_question_answers_are_not_names() -> None:
    """Seen on real Whisper output of the demo: a drug as Whisper spelled it after "help with", and a question
    answering a name question, were flagged as residual names and failed clean days."""
    from cipher_pipeline.gate.residual import scan_text

    clean = [
        "agent: hi\ncaller: He needs help with Fentahile, and he finally said yes.\n",
        "agent: hi\ncaller: My dad has a problem with Benzol, and he doesn't think he can stop.\n",
        "agent: Can I get the full name, and how do you spell the last name?\ncaller: Do you take human?\n",
    ]
    for text in clean:
        assert scan_text(text) == []
    still_names = "agent: Can I get the full name?\ncaller: Chase Stone.\nagent: ok\ncaller: I want to talk to Hector while he is there.\n"
    assert [r.category for r in scan_text(still_names)] == ["NAME", "NAME"]


def test_an_interjection_before_a_redacted_name_is_not_a_name() -> None:
    """Seen on the demo: "Ah, it's me, [NAME]." answering a name question flagged "Ah" as a residual name."""
    from cipher_pipeline.gate.residual import scan_text

    question = "agent: Can I get the full name, and how do you spell the last name?\n"
    assert scan_text(question + "caller: Ah, it's me, [NAME].\n") == []
    assert [r.rule for r in scan_text(question + "caller: Oh, Chase Stone.\n")] == ["name_answer"]


# Class-level detectors (issue 9): each class tested on sentences written for the test, not taken from calls_dev.
@pytest.mark.parametrize(
    ("text", "category", "fragment"),
    [
        ("caller: we're on um, on birchwood lane now", "LOCATION", "birchwood lane"),
        ("Caller: Off Kessler Boulevard, past the school.", "LOCATION", "Kessler Boulevard"),
        ("caller: take i-75 to exit 212 and call me", "LOCATION", "i-75"),
        ("Caller: She's staying out by the Piggly Wiggly.", "LOCATION", "Piggly Wiggly"),
        ("agent: where is he staying\ncaller: eastgate. with his dad", "LOCATION", "eastgate"),
        ("caller: she rents on the west side of town", "LOCATION", "west side"),
        ("caller: my cousin in fort [LOCATION] said", "LOCATION", "fort"),
        ("Caller: [LOCATION] Parkway, the blue house.", "LOCATION", "Parkway"),
        ("caller: she moved out in june", "DATE", "june"),
        ("caller: they're renting a place out in wimberley now", "LOCATION", "wimberley"),
        ("caller: my brother lives in bee cave with his wife", "LOCATION", "bee cave"),
        ("caller: since like march he's been using", "DATE", "march"),
        ("Caller: we lost him around Labor Day.", "DATE", "Labor Day"),
        ("caller: the main line is [PHONE], extension four one", "PHONE", "four one"),
        ("caller: the router says 1 9 8 dot 51 dot 100 dot 7", "IP", "1 9 8 dot 51 dot 100 dot 7"),
        ("caller: badge number q, r, 7, 7, 0, 3", "OTHER_ID", "q, r, 7, 7, 0, 3"),
        ("caller: he's the fire chief for [LOCATION]", "OTHER_ID", "the fire chief for"),
        ("caller: member id 5 5 1 dash 2 0 9 dash 4 4 8 1", "HEALTH_PLAN", "5 5 1 dash 2 0 9 dash 4 4 8 1"),
    ],
)
def test_class_detectors_flag_what_redactors_leave(text: str, category: str, fragment: str) -> None:
    _assert_flagged_as(text, fragment, category)


@pytest.mark.parametrize(
    "text",
    [
        "caller: I got it off the street, not from a doctor.",
        "caller: he lives alone and that's the problem",
        "caller: it's a long road but we're hopeful",
        "caller: they may march him out of there",
        "caller: she's the oldest of four",
        "caller: we're covered by medicaid now",
        "caller: back in 2019 he did thirty days",
        "agent: where does she live?\ncaller: um, here with me.",
    ],
)
def test_class_detectors_stay_quiet_on_ordinary_speech(text: str) -> None:
    assert scan_text(text) == []


def test_text_in_capitals_is_read_like_lower_case_speech() -> None:
    shouting = "PT SEEN BY NURSE. FAMILY CALLED FROM GOFFSTOWN, WILL VISIT IN JUNE. BP STABLE, NO DISTRESS NOTED TODAY."
    found = scan_text(shouting)
    assert {r.category for r in found} == {"LOCATION", "DATE"}, found
    assert all(shouting[r.start : r.end] in ("GOFFSTOWN", "JUNE") for r in found)


# Turn-level false alarms seen on real Whisper output of the demo (issue 9): each class with sentences written for
# the test, not the demo's.
@pytest.mark.parametrize(
    "text",
    [
        # a greeting or interjection (as Whisper spells it) opening a turn that answers a name question
        "agent: Who do I have on the line today?\ncaller: Hay, I'm calling about my nephew.",
        "agent: And your name, please?\ncaller: Howdy. I'd rather keep that private for now.",
        "agent: Who am I speaking with?\ncaller: Hello there, this is hard for me to say.",
        "agent: Could I get a name for the file?\ncaller: Hiya, um, do I have to give one?",
        # a bare number, written or spoken, answering an age question
        "agent: How old is your daughter?\ncaller: 23, and she has been drinking since high school.",
        "agent: And what's his age?\ncaller: thirty-four. He started with pills.",
        "agent: How old are you, ma'am?\ncaller: 61, I have been sober before.",
        # a garbled token beside a placeholder, with nothing of a place about it
        "caller: it came in a box from Q-Tron, [DEVICE] on the label.",
        "caller: the member number is in Bel-Tro, [HEALTH_PLAN], on the back.",
        # an interjection closing an answer to a place question; a payer after "insurance in" (Whisper's "is")
        "agent: And where are you staying right now?\ncaller: [LOCATION], with my aunt. Ah, well.",
        "caller: I checked, and my coverage in Brevanta, it runs out soon.",
    ],
)
def test_turn_level_false_alarms_stay_quiet(text: str) -> None:
    assert [(text[r.start : r.end], r.category) for r in scan_text(text)] == []


@pytest.mark.parametrize(
    ("text", "fragment", "category"),
    [
        # a name cue before a greeting-like word keeps it a name; a real name after a greeting is still caught
        ("agent: Who is this?\ncaller: Hi, Marisol Quintero.", "Marisol", "NAME"),
        ("agent: What name should I use?\ncaller: my name is Hay, like the grass.", "Hay", "NAME"),
        # a day number answering a date(-of-birth) question is a day-precise date, with or without the year
        ("agent: What is his date of birth?\ncaller: 9, 1982.", "9, 1982", "DATE"),
        ("agent: Okay, and her date a birth?\ncaller: the 27th.", "27th", "DATE"),
        ("agent: When was she born?\ncaller: um, twenty-second, 1990.", "twenty-second, 1990", "DATE"),
        ("agent: What date did he get out?\ncaller: 14.", "14", "DATE"),
        # a place beside a placeholder that looks like one is still a place
        ("caller: she's staying in Tulsa, [NAME] drove her.", "Tulsa", "LOCATION"),
        # a place number after a real placeholder is still a place remnant
        ("caller: take [LOCATION] 61 north and call me", "61", "LOCATION"),
    ],
)
def test_turn_level_classes_keep_real_findings(text: str, fragment: str, category: str) -> None:
    _assert_flagged_as(text, fragment, category)


def test_a_day_answering_a_birth_date_question_counts_as_day_precise() -> None:
    scan = residual.scan_partition(["T1"], ["agent: And his date on birth?\ncaller: 3, 1975."])
    assert scan.date_elements == 1 and scan.day_precise_dates == 1
    assert scan.counts == {"DATE": 1}


def test_a_number_after_a_speaker_label_is_no_place_remnant() -> None:
    """The speaker label is masked like a placeholder, but nothing was redacted there."""
    assert scan_text("agent: How many times has he been to detox?\ncaller: 12, maybe more.") == []


def test_part_of_a_number_answering_a_question_about_it_is_flagged() -> None:
    """A three-digit fragment opening the answer to "the card?" is part of the number asked for; the same
    fragment answering an age question, or with no question before it, is not."""
    asked = "agent: Can you read me the number on your insurance card?\ncaller: 418, then it gets blurry."
    assert [r.category for r in scan_text(asked)] == ["HEALTH_PLAN"]
    assert scan_text("agent: How old is your dad?\ncaller: 104, believe it or not.") != []  # over 89: an AGE
    assert scan_text("caller: 418, that's how many days sober.") == []


# What the redactor leaves beside its own cuts, and where a dialogue says a name or a road stands (issue 9). The
# sentences are written for these tests; none comes from calls_dev.
@pytest.mark.parametrize(
    ("text", "fragment", "category"),
    [
        # a given name before a surname the redactor took for a place, where a name is being given
        ("agent: And who am I speaking with?\ncaller: Yeah, Kayla. Kayla [LOCATION].", "Kayla [", "NAME"),
        ("caller: um my name is uh [NAME]. amber [LOCATION] i mean", "amber", "NAME"),
        # the same name said again where its context says nothing (capitalised in cased text)
        ("agent: Your name?\ncaller: Destiny [NAME].\nagent: Thanks, you did right to call, Destiny.", "Destiny.", "NAME"),
        # a house number before the street the redactor cut; a plate's letters before the number it took
        ("caller: it's 1460 [LOCATION], apartment b", "1460", "LOCATION"),
        ("agent: so the plate is qxr [VEHICLE], right?", "qxr", "VEHICLE"),
        # a code that goes on after its placeholder
        ("caller: [ACCOUNT], and then it ends with 7 1", "7 1", "ACCOUNT"),
        # a nickname
        ("caller: on the block they called him Little Pete, everybody knew him.", "Little Pete", "NAME"),
        # the cross street the redactor left
        ("caller: we're off [NAME] and old mill, by the laundromat.", "old mill", "LOCATION"),
        # a road said by number after a travel word
        ("agent: We're about forty minutes down 75, past the outlet mall.", "75", "LOCATION"),
    ],
)
def test_what_the_redactor_leaves_beside_its_cuts_is_flagged(text: str, fragment: str, category: str) -> None:
    found = scan_text(text)
    start = text.index(fragment)
    end = start + len(fragment.rstrip(" [."))
    assert any(r.category == category and r.start < end and start < r.end for r in found), found


@pytest.mark.parametrize(
    "text",
    [
        "caller: he drinks cheap brandy, mostly, and Brandy is my sister's name, ha.",  # no name rule found her
        "agent: Your name?\ncaller: Crystal [NAME].\nagent: And does he use crystal, or pills?",  # the drug
        "caller: she has [PHONE], and the copay is 250 a month after that.",  # a price after a phone
        "caller: it's Utah [ZIP], same as before.",  # a state before a ZIP placeholder
        "caller: I was up 3 days straight, then I crashed.",  # a count of days, not a road
        "caller: we were off [NAME] and stuff, you know.",  # no cross street
        "agent: call me back when you can, okay?",  # no nickname
        "caller: I'm at [LOCATION], 24 hours a day now.",  # a count after a place, not a house number
    ],
)
def test_structure_detectors_leave_ordinary_speech_alone(text: str) -> None:
    rules = {r.rule for r in scan_text(text)} & {
        "given_name_before_cut", "house_number_before_cut", "code_part_beside_cut", "nickname_cue", "cross_street",
        "travel_road_number", "name_echo",
    }  # fmt: skip
    assert rules == set(), scan_text(text)


@pytest.mark.parametrize(
    "line",
    [
        "agent: BHP is about six hours a day, IOB is three hours.\n",  # PHP / IOP as Whisper heard them
        "caller: She has [INSURER:humana], a BBO, I think.\n",  # a PPO
        "agent: MMHM, what else can I answer for you?\n",
        "caller: UPM, if I drive him up, do you need anything?\n",
        "caller: the CNA said the HVAC was out.\n",
    ],
)
def test_capitals_that_no_name_list_knows_are_acronyms_not_names(line: str) -> None:
    assert [r for r in scan_text(line) if r.category == "NAME"] == []


def test_a_listed_name_in_capitals_is_still_a_name() -> None:
    text = "caller: it's for my son, the file says MORALES on it.\n"
    found = [text[r.start : r.end] for r in scan_text(text) if r.category == "NAME"]
    assert "MORALES" in found


# Session 4 (issue 9): where a dialogue puts what no list knows. Sentences written for these tests, none from
# calls_dev; each class has positives in other words than the call that motivated it, and ordinary speech it
# must leave alone.
@pytest.mark.parametrize(
    ("text", "fragment", "category"),
    [
        # a site of the program named by its town
        ("agent: Our Medford location has a bed opening Thursday.", "Medford", "LOCATION"),
        ("caller: i did thirty days at your eugene campus last spring", "eugene", "LOCATION"),
        # a road taken by number while talking about the way there
        ("agent: Are you driving in tonight?\ncaller: Yeah, we'll take 97 and then 20.", "97", "LOCATION"),
        ("caller: coming from the coast you just take 101 north, then the exit for town", "101", "LOCATION"),
        # a chain store pinning a place the redactor cut, or answering where someone is
        ("caller: she's staying at [LOCATION], behind the dollar general", "dollar general", "LOCATION"),
        ("agent: where is he staying right now?\ncaller: a motel near the waffle house", "waffle house", "LOCATION"),
        # a code read out one character at a time, any case, with or without commas
        ("caller: the member id is k 7 7, r 2 x, 9 0 q", "k 7 7", "OTHER_ID"),
        ("caller: ok it's B, 4, 4, T, 9, Z, 1", "B, 4", "OTHER_ID"),
        # a ZIP said after the place it belongs to
        ("caller: it's [LOCATION], [LOCATION], nine seven 4 0 one", "nine seven 4 0 one", "ZIP"),
        ("caller: [LOCATION], 60623, that's where the mail goes", "60623", "ZIP"),
        # an avenue named by a letter
        ("caller: she rents a room off Avenue J, near the school", "Avenue J", "LOCATION"),
        # checking who answered; a given name closing a turn
        ("agent: hello, is this raven?\ncaller: speaking", "raven", "NAME"),
        ("agent: thanks for holding. how's the week going, jasmine?", "jasmine", "NAME"),
        ("agent: and what time did you eat today destiny", "destiny", "NAME"),
        # after a rank, the name that follows it (a rank alone answering stays a finding for review)
        ("agent: And what's his name?\ncaller: Sergeant Okafor, he's my son.", "Okafor", "NAME"),
        # a given name before the surname the redactor cut, with speech recognition's stop between them
        ("caller: hey it's marisol. [NAME]. calling back about my son", "marisol", "NAME"),
    ],
)
def test_dialogue_positions_flag_what_no_list_knows(text: str, fragment: str, category: str) -> None:
    found = scan_text(text)
    start = text.index(fragment)
    end = start + len(fragment)
    assert any(r.category == category and r.start < end and start < r.end for r in found), found


@pytest.mark.parametrize(
    "text",
    [
        "agent: Our main campus is in the valley, and the outpatient office is closer to town.",  # kinds of site
        "caller: i liked the residential program and the detox house was ok",
        "agent: how many do you take a day?\ncaller: i take 30 or 40, depends.",  # a dose, no travel talk
        "caller: I drove him here and he took 2, that's all.",  # pills taken, not a road
        "caller: I got a job at target last month and I work nights.",  # a store as an employer, no place cut
        "caller: it's about 5 or 6 miles, a b c easy.",  # too few single characters, no code
        "caller: [LOCATION], 45 minutes away.",  # a travel time after a place
        "caller: we paid [LOCATION], 20000 dollars already",  # an amount
        "agent: is this a good time?\ncaller: yes",  # no name after "is this"
        "agent: is this summer or next summer you're thinking of?",  # a season, not a name
        "agent: what are you doing this weekend, honey?",  # an endearment
        "agent: where do you want to go now, detox?",  # a program
        "caller: she came by monday and took the car",  # a weekday, not a landmark
        "caller: he was staying up at [NAME] and came back worse",  # a clause after the cut, no cross street
        "caller: her name is Ms. [NAME], the counselor.",  # a title, not a name
        "agent: And what's his name?\ncaller: Staff [NAME], he's my son.",  # a rank before the cut name
    ],
)
def test_dialogue_positions_leave_ordinary_speech_alone(text: str) -> None:
    assert scan_text(text) == [], [(text[r.start : r.end], r.rule) for r in scan_text(text)]


def test_a_name_echo_before_a_drug_word_is_the_drug() -> None:
    text = "agent: Your name?\ncaller: Crystal [NAME].\nagent: and crystal detox, is that what you need?"
    found = [text[r.start : r.end] for r in scan_text(text)]
    assert found == ["Crystal"]  # the name given, not "crystal detox"


# Session 4, real Whisper text: classes found on Whisper's transcripts of the development calls. Invented sentences.
@pytest.mark.parametrize(
    ("text", "fragment", "category"),
    [
        # a campus named by its town as heard, whatever word speech recognition made of it
        ("agent: our harvest campus is about three hours north of you", "harvest", "LOCATION"),
        ("agent: both are fine, [NAME] Sea Rose Compass has a bed tonight", "Sea Rose", "LOCATION"),
        # the first word of a town left before the cut rest, where a campus or a place is named
        ("agent: our new [NAME] campus opened in the spring", "new", "LOCATION"),
        ("caller: she moved from san [LOCATION] last year", "san", "LOCATION"),
        # a fragment glued by a hyphen to a direct identifier's or a date's placeholder
        ("caller: it's [PHONE]-4-1, that's the extension", "4-1", "PHONE"),
        ("caller: he was born [DATE]-71, I think", "71", "DATE"),
        ("caller: the card says 7-[HEALTH_PLAN] on the front", "7", "HEALTH_PLAN"),
        # digits right after a direct identifier's placeholder are its rest
        ("caller: my work line is [PHONE], extension [PHONE] 4\nagent: got it", "4", "PHONE"),
        # a greeting addressed by a given name that is also a word
        ("agent: Okay, raven, I'll send the forms tonight", "raven", "NAME"),
        ("agent: hi jasmine thanks for waiting", "jasmine", "NAME"),
        # the agent's name in the opening line, as heard
        ("agent: Admissions, this is harbor, how can I help?\ncaller: hi", "harbor", "NAME"),
        # what is left of a web address around the placeholder that took its middle
        ("caller: the page is members.portal [URL], I think", "members.portal", "URL"),
        ("caller: it's um, patient [NAME] [URL], with no spaces", "patient", "URL"),
        ("caller: his cousin made [URL] slash bring marcus home", "bring marcus home", "URL"),
    ],
)
def test_whisper_text_classes_are_flagged(text: str, fragment: str, category: str) -> None:
    found = scan_text(text)
    start = text.index(fragment)
    end = start + len(fragment)
    assert any(r.category == category and r.start < end and start < r.end for r in found), found


@pytest.mark.parametrize(
    "text",
    [
        "agent: Where do you live?\ncaller: Off campus, near my job.",  # a speaker label is no placeholder
        "agent: our main campus and our IOP campus are both open; the detox campus is full.",  # kinds of campus
        "agent: it's a beautiful campus, quiet, and our whole campus is smoke free.",
        "caller: my new [NAME] is great with him",  # "new" before a cut name, no place named
        "caller: she lives at [LOCATION]-2, near the pool",  # beside a place a glued digit is as often a garble
        "caller: the [INSURER:medicare] 1 is the red one",  # a number after a payer is no house number
        "caller: Hi, I'm, my name is [NAME], I'm calling about my son.",  # "I'm" after a greeting is no name
        "caller: the court listed a place that has no meds.",  # "no meds." addresses no one
        "agent: No problem, I'll need the B.I.N. instead, it's on the windshield.",  # an initialism
        "caller: it's on the website and then it's MM, your portal",  # capitals no name list knows
        "caller: he lost his job at UM, at the plant",  # a filler Whisper capitalised
        "agent: I trained in UK, can you read me the number?",  # a country
        "caller: call her office first thing off post and [NAME] will help",  # a kind of place
        "caller: do a phone assessment with him, this may allow it",  # "may" as a verb
        "caller: I asked which place the court named to",  # a function word after "named"
        "caller: She Said To Call Me Directly, Tomorrow Morning At The Office.",  # Whisper's title case
        "agent: okay, great, thanks, bye",  # acknowledgements, no name
        "agent: the website is [URL]. it has the forms",  # a sentence after a web address
        "agent: just go to [NAME] [URL] and click admissions",  # a verb before the address
        "agent: it's [URL].com, all lower case",  # the domain's own ending
    ],
)
def test_whisper_text_classes_leave_ordinary_speech_alone(text: str) -> None:
    assert scan_text(text) == [], [(text[r.start : r.end], r.rule) for r in scan_text(text)]


# Session 5 (issue 9): places said only by their position in a sentence, and names with no cue before them. The
# sentences are written for the tests, in other words than the calls that motivated each class.
@pytest.mark.parametrize(
    ("text", "rule", "fragment"),
    [
        ("caller: I hitchhiked all the way from Quillnook last night", "movement_place", "Quillnook"),
        ("agent: could your aunt drive you over to brambleton tomorrow?", "movement_place", "brambleton"),
        ("caller: we relocated to Dunmore Flats in the spring", "movement_place", "Dunmore Flats"),
        ("caller: my cousin's place out by Harrowgate, the trailer", "near_place", "Harrowgate"),
        ("caller: he sleeps in his truck over by tullamore most nights", "near_place", "tullamore"),
        ("caller: the whole of Pickerington saw the video", "known_in_community", "Pickerington"),
        ("caller: people around halfmoon knew him since he was a kid", "known_in_community", "halfmoon"),
        ("agent: Are you local?\ncaller: Oh, we're in gallowtree, like twenty minutes.", "place_answer", "gallowtree"),
        ("agent: how far away is she?\ncaller: Brookfall.", "place_answer", "Brookfall"),
        ("caller: um, marisol told me you had a bed open", "person_predicate_name", "marisol"),
        ("agent: I think ebony is on call tonight, let me check", "person_predicate_name", "ebony"),
        ("caller: Yolanda knows the whole story, she was there", "person_predicate_name", "Yolanda"),
    ],
)
def test_unlisted_places_and_uncued_names_are_flagged(text: str, rule: str, fragment: str) -> None:
    start = text.index(fragment)
    end = start + len(fragment)
    found = scan_text(text)
    assert any(r.start < end and start < r.end for r in found), [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    "text",
    [
        "caller: I'm going to treatment and then I moved to Texas.",  # a state stays
        "caller: he got to work late and came from church",  # generic destinations
        "caller: we drove down to the beach, then went to bed",
        "caller: everybody in town knows, everyone in recovery knows that",  # kinds of community
        "caller: everybody in AA knew him",
        "caller: people in general know what it's like",
        "caller: my mom said okay and the doctor told me to call",  # kin and roles, no given name
        "caller: the brandy said nothing, it was the pills talking",  # a determiner takes a noun
        "agent: will said yes? hope says so too.",  # names that are common words need a cue
        "caller: I live near the hospital, out by the highway",  # generic places
        "caller: then he went to Walgreens and drove over to Costco",  # a chain is everywhere
        "agent: do you live nearby?\ncaller: yeah, pretty close, like ten minutes.",
    ],
)
def test_unlisted_place_and_name_classes_leave_ordinary_speech_alone(text: str) -> None:
    assert scan_text(text) == [], [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: my great-grandmother, she's, uh, 97 and sharp as a tack", "97"),
        ("caller: I look after my grandpa, ninety-three this fall", "ninety-three"),
        ("caller: my nana shoes 101, she can't be alone", "101"),
    ],
)
def test_an_age_over_89_after_an_elder_word_is_an_age(text: str, fragment: str) -> None:
    start = text.index(fragment)
    found = scan_text(text)
    assert any(r.category == "AGE" and r.start <= start < r.end for r in found), [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    "text",
    [
        "caller: my grandma gave me 90 bucks and grandpa paid 95 dollars",  # amounts
        "caller: grandpa drove 95 the whole way there",  # a speed
        "caller: my grandmother is 88 and still drives",  # under 90
        "caller: grandma sent 95.50 for the copay",
    ],
)
def test_numbers_after_an_elder_word_that_are_no_age(text: str) -> None:
    assert not [r for r in scan_text(text) if r.category == "AGE"], [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: we've been sleeping in the car, by the flying j", "flying j"),
        ("caller: I'm staying at a motel, behind the Walgreens", "Walgreens"),
    ],
)
def test_a_chain_store_beside_where_someone_stays_is_a_place(text: str, fragment: str) -> None:
    start = text.index(fragment)
    found = scan_text(text)
    assert any(r.category == "LOCATION" and r.start <= start < r.end for r in found), [(text[r.start : r.end], r.rule) for r in found]


def test_a_chain_store_without_anyone_staying_there_is_left_alone() -> None:
    text = "caller: I picked up his meds at the pharmacy by the Walgreens, you know, the usual."
    assert not [r for r in scan_text(text) if r.rule == "chain_landmark"]


def test_a_clause_whisper_ran_into_a_place_slot_is_no_place() -> None:
    text = "agent: right, okay in Where's he staying tonight, do you know?"
    assert not [r for r in scan_text(text) if r.category == "LOCATION"], [(text[r.start : r.end], r.rule) for r in scan_text(text)]
    place = "caller: we moved from O'Fallon last year"
    assert [place[r.start : r.end] for r in scan_text(place)] == ["O'Fallon"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: you'd know her, the lady who bartends at the Elks lodge on Fridays", "bartends"),
        ("caller: he's the one, the man who announces for the high school games", "announces"),
        ("caller: she runs the bait shop down at the marina", "runs the bait shop"),
    ],
)
def test_a_person_known_by_what_only_they_do_somewhere(text: str, fragment: str) -> None:
    start = text.index(fragment)
    found = scan_text(text)
    assert any(r.rule == "known_by_role" and r.start <= start < r.end for r in found), [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    "text",
    [
        "caller: she runs errands in town and he drove home in the rain",
        "caller: he played football in high school, she teaches second grade at the school",
        "caller: he runs the risk of losing his job at work",
        "caller: the one who runs the detox at your place was kind",  # care, not a role in a community
        "caller: she owns a house in [LOCATION]",
    ],
)
def test_ordinary_doings_single_no_one_out(text: str) -> None:
    assert not [r for r in scan_text(text) if r.rule == "known_by_role"], [(text[r.start : r.end], r.rule) for r in scan_text(text)]


# ---------------------------------------------- round 3: detectors that need not have seen the shape (issue 9)
def _flagged(text: str, fragment: str) -> bool:
    start = text.index(fragment)
    return any(r.start <= start < r.end for r in scan_text(text))


@pytest.mark.parametrize(
    ("text", "fragment", "rule"),
    [
        # the rest of a place or a name the redactor cut short, capitalised or a word no one uses
        ("caller: we're renting out in [LOCATION] Heights now, near my aunt", "Heights", "remnant_beside_cut"),
        ("caller: she's staying with [NAME] Okonkwo tonight", "Okonkwo", "remnant_beside_cut"),
        ("caller: the trailer is past [LOCATION] quarrytown, second left", "quarrytown", "remnant_beside_cut"),
        ("caller: my uncle Brannagh [NAME] drives me", "Brannagh", "remnant_beside_cut"),
        # what answers an agent's question for an identifier
        ("agent: and where are you staying right now?\ncaller: at my cousin's, up on Tallowbrook", "Tallowbrook", "slot_answer_word"),
        ("agent: can I get his last name?\ncaller: um it's zelinski, with a z", "zelinski", "slot_answer_word"),
        ("agent: and the member id on the card?\ncaller: um it starts 448 and I can't read the rest", "448", "slot_answer_number"),
        # a number of three or more digits in a caller's turn that is no dose, time, amount or count
        ("caller: he sleeps at the church lot on 2250 most nights", "2250", "caller_number"),
    ],
)
def test_unseen_shape_detectors_flag_what_no_rule_has_seen(
    text: str, fragment: str, rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(residual, "SLOT_ANSWER_WORDS", True)  # measured, off at the gate (the next test)
    masked = residual._fold_title_case(residual.mask_placeholders(text))
    start = text.index(fragment)
    found = residual._unseen_shape_detectors(masked, text)
    assert any(r.rule == rule and r.start <= start < r.end for r in found), [(text[r.start : r.end], r.rule) for r in found]
    assert _flagged(text, fragment)


@pytest.mark.parametrize(
    "text",
    [
        "caller: I take 300 mg a day, sometimes 400 milligrams",
        "caller: it was like 250 dollars for the week",
        "caller: back in 2019 he started, he weighs 180 now",
        "caller: he can't just stop his dose 120 at once",
        "caller: 730, that is how long he's been clean, in days",
        "agent: our main campus has 120 beds and 300 staff",  # the agent's turn
        "caller: I went to the [LOCATION] Campus last year",  # the program's site, its town already cut
        "caller: Hi [NAME], I'm calling about my son",
        "caller: I talked to [NAME] and she said to call",
        "agent: what's your name?\ncaller: It's [NAME], and I'm scared, Honestly",
        "agent: where do you live?\ncaller: [LOCATION], Near the lake, Right by the school",
        "caller: I've been taking clonidine and gabapentin for the sweats",  # rare words, no context: off at the gate
        "caller: the judge put him on a scram bracelet last month",
        "agent: can I get your date of birth?\ncaller: [DATE]. Do you need my insurance?",
    ],
)
def test_unseen_shape_detectors_leave_ordinary_speech_alone(text: str) -> None:
    masked = residual._fold_title_case(residual.mask_placeholders(text))
    found = residual._unseen_shape_detectors(masked, text)
    assert not found, [(text[r.start : r.end], r.rule) for r in found]


def test_slot_answer_words_are_measured_but_off_at_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "agent: can I get his last name?\ncaller: um it's zelinski, with a z"
    masked = residual._fold_title_case(residual.mask_placeholders(text))
    assert not [r for r in residual._unseen_shape_detectors(masked, text) if r.rule == "slot_answer_word"]
    monkeypatch.setattr(residual, "SLOT_ANSWER_WORDS", True)
    found = residual._unseen_shape_detectors(masked, text)
    assert [text[r.start : r.end] for r in found if r.rule == "slot_answer_word"] == ["zelinski"]


def test_ungraded_rarity_is_measured_but_off_at_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "caller: honestly the whole thing with tallowmere got out of hand"
    assert not [r for r in scan_text(text) if r.rule in ("rare_word", "rare_capitalised")]
    monkeypatch.setattr(residual, "UNGRADED_RARITY", True)
    assert [text[r.start : r.end] for r in scan_text(text) if r.rule == "rare_word"] == ["tallowmere"]
    monkeypatch.setattr(residual, "RARE_WORD_MAX_ZIPF", 0.0)  # nothing is rarer than zero: the rule goes quiet
    assert not [r for r in scan_text(text) if r.rule == "rare_word"]


def test_unseen_shape_detectors_read_only_caller_turns_of_labelled_text() -> None:
    # text without speaker labels (written notes, the presidio sentences) has no caller turn to read
    assert not residual._unseen_shape_detectors("we're out in Heights now, at 2250 Tallowbrook", "we're out in Heights now, at 2250 Tallowbrook")


# ------------------------------------------ a drug as Whisper spelled it, letters apart but the same sounds (session 5)
@pytest.mark.parametrize(
    "text",
    [
        "agent: who am I speaking with?\ncaller: I'm his mom, he's been on perkusset since the surgery",
        "agent: and your name?\ncaller: it's [NAME], he takes subbocksun now",
        "agent: where's he living?\ncaller: at [LOCATION], they put him on gobbupenton again",
    ],
)
def test_a_drug_heard_as_a_sound_alike_is_not_a_slot_answer(text: str) -> None:
    masked = residual._fold_title_case(residual.mask_placeholders(text))
    assert not residual._unseen_shape_detectors(masked, text)


# each positive word is beyond clinical_like's edit distance from its drug: only the sound check finds it
@pytest.mark.parametrize(("word", "clinical"), [("perkusset", True), ("subbocksun", True), ("marvin", False),
                                                ("morvan", True), ("kristen", False)])
def test_drug_sound_alikes_exclude_known_names(word: str, clinical: bool) -> None:
    """Same first letter and Metaphone key as a listed drug, and no known given or family name ("Marvin" sounds like
    morphine and stays a name)."""
    assert residual.clinical_like(word) is clinical


# ------------------------------------------------ text written as a clinical chart: its own register (session 6)
_CHART_NOTES = [
    "NEURO: A&OX3, MAE. CV: HR 80-90 NSR, BP 110-130/60, ON NITRO GTT 2MCG/KG/MIN, OFF NEO. RESP: PEEP 5, PS 10, "
    "FIO2 40%, ABG 7.41/42/67, SIMV 14 VT 600. GU: FOLEY DRAINING 40-60CC/HR. PLAN: WEAN AS TOLERATED.",
    "resp: remains on vent 12/5/40%, sats 96-98%, sxn'd q2h for thick tan sputum. cv: sbp 100-115, svr 954-1183, "
    "lopressor 25 po given. gi: ngt to lcs, hickman placement tomorrow. brady to 48 this am, md aware.",
    "Pt transferred from OSH to CCU. Foley patent, u/o 30-50cc/hr. Went to cath lab at 10am. Continue PT.",
]


@pytest.mark.parametrize("note", _CHART_NOTES)
def test_chart_shorthand_is_no_identifier(note: str) -> None:
    """Units, vent settings, lab series, drug and device eponyms and unit names read as codes, dates, towns and
    names by the call rules; in a chart they are ordinary."""
    assert residual.reads_as_chart(note)
    assert scan_text(note) == [], [(note[r.start : r.end], r.rule) for r in scan_text(note)]


@pytest.mark.parametrize(
    ("note", "fragment", "category"),
    [
        ("Resp: LS clear. Suctioned for small amts. All is well at this time. r. okafor rrt\n", "okafor", "NAME"),
        ("GI: tol TF at goal 45cc/hr.\nSocial: Wojcik Brannagh (son) in to visit, updated by MD.", "Brannagh", "NAME"),
        ("CV: HR 70s NSR. Family: daughter, Imelda, called and was updated. GU: foley to cd.", "Imelda", "NAME"),
        ("PMH: CHF, CABG. Last dose of adriamycin in this case MARCH OF 1993. BP 100/60, HR 80.", "MARCH", "DATE"),
        ("98 y/o female s/p fall, HR 80s, BP 110/60 on 2L NC, foley placed.", "98", "AGE"),
        ("Neuro: a&ox3. Dtr's cell 617-555-0134, wants a call if any change. BP 120/70.", "617-555-0134", "PHONE"),
        ("PT SEEN BY NURSE. FAMILY CALLED FROM KERRVILLE, WILL VISIT. BP STABLE, HR 80 NSR, FOLEY PATENT.", "KERRVILLE", "LOCATION"),
    ],
)
def test_identifiers_in_a_chart_are_still_flagged(note: str, fragment: str, category: str) -> None:
    assert residual.reads_as_chart(note)
    _assert_flagged_as(note, fragment, category)


@pytest.mark.parametrize(
    "text",
    [
        "agent: what meds is he on?\ncaller: lasix 40 mg, heparin, and his bp is 130/80, hr 90",
        "Please call Dr. Kaur at the clinic about the MRI results from last Tuesday.",
        "My BP was 140/90 so the nurse gave me 25 mg of something.",
    ],
)
def test_calls_and_ordinary_sentences_are_no_chart(text: str) -> None:
    """A call has speaker turns; a sentence of prose has one or two chart words at most."""
    assert not residual.reads_as_chart(text)


# ------------------------------------------- numbers as Whisper heard them in a caller turn (session 6)
@pytest.mark.parametrize(
    ("text", "fragment", "category"),
    [
        ("agent: and his date of birth?\ncaller: it's 4 slash 17 slash 62 I think", "slash 17 slash 62", "DATE"),
        ("agent: birthday?\ncaller: um, nine slush twelve slush eighty", "slush twelve slush eighty", "DATE"),
        ("agent: what's the member id?\ncaller: it's nero, free, heaven, 2, 2, time, ate", "nero, free", "OTHER_ID"),
        ("agent: callback number?\ncaller: sure, for won to, six, 5, fife, nero", "won to", "OTHER_ID"),
    ],
)
def test_numbers_as_whisper_heard_them_are_flagged(text: str, fragment: str, category: str) -> None:
    _assert_flagged_as(text, fragment, category)


@pytest.mark.parametrize(
    "text",
    [
        "agent: how many kids?\ncaller: two, or three, four if you count my stepson",
        "caller: I go to meetings two to three times a week, for one to two hours",
        "caller: it's a slash between the words, like and slash or",
    ],
)
def test_counts_and_ordinary_slashes_are_no_whisper_number(text: str) -> None:
    assert not [r for r in scan_text(text) if r.rule in ("digit_sounds", "spoken_slash_date")]


# ------------------------------------- session 8: false-alarm classes cut from correctly redacted text (issue 9)
def _rules_at(text: str, fragment: str) -> set[str]:
    start = text.index(fragment)
    return {r.rule for r in scan_text(text) if r.start <= start < r.end}


@pytest.mark.parametrize(
    ("text", "fragment", "rule"),
    [
        ("Her brother stays on [LOCATION] street, near the church.", "street", "place_remnant"),
        ("caller: we moved to [LOCATION] avenue last spring", "avenue", "place_remnant"),
        ("The screen says login refused from IP address [IP], call the help desk.", "IP", "place_slot"),
        ("caller: he took cash from ATM with his card again", "ATM", "place_slot"),
        ("The board settled it by invoking Section 12 of the lease.", "invoking", "landmark"),
        ("caller: the judge let him go by citing Rule Nine of the program", "citing", "landmark"),
        ("caller: Hi, this is [NAME], I'm the discharge planner at [PROVIDER], I have a patient for you", "discharge planner", "unique_role"),
        ("caller: i'm the housing case manager at the shelter, calling about a client", "case manager", "unique_role"),
        ("agent: we have a campus on [LOCATION] and one up north past the river", "one up", "cross_street"),
        ("caller: -7-7-7-7-7-7-7-7-7-7-7\nagent: sorry, the line cut out", "7-7-7", "digit_run"),
        ("caller: zero zero zero zero zero zero zero zero zero", "zero zero", "spoken_digits"),
        ("agent: We'll have a bed at noon. Thanks, Deputy.", "Deputy", "vocative"),
        ("caller: Okay, bye, Chaplain.", "Chaplain", "vocative"),
        ("caller: It's D-U-R-A-N-D. It's French, my dad's side.", "French", "name_cue_weak"),
        ("caller: that's O-K-O-N. It's Nigerian.", "Nigerian", "name_cue_weak"),
        ("agent: Where do you live?\ncaller: [LOCATION]. Quillmont, Iowa. Don't laugh.", "Don't laugh", "place_answer"),
        ("agent: where do you live?\ncaller: [LOCATION]. yeah. nobody visits.", "nobody visits", "place_answer"),
        ("caller: the hearing is with Magistrate, no, Judge [NAME] on the docket", "Judge", "remnant_beside_cut"),
        ("caller: we talked to Deacon [NAME] after church", "Deacon", "remnant_beside_cut"),
    ],
)
def test_false_alarm_classes_cut_in_session_8(text: str, fragment: str, rule: str) -> None:
    assert rule not in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("He lived on [LOCATION] Avenue by the old mill.", "Avenue"),  # a capital: the name goes on
        ("caller: she was living over on [LOCATION] 19 for a while", "19"),
        ("caller: he's been calling from NYC all week", "NYC"),  # a city said by its letters
        ("caller: I'm calling from Quillmont, Iowa", "Quillmont"),
        ("caller: we live right by Tessaway Feed and Grain", "Tessaway"),
        ("caller: he's the only paramedic at the Dunmore station", "only paramedic"),  # "only" still singles out
        ("caller: she was the bookkeeper for the Harlan mill", "bookkeeper"),  # the patient's own post, third person
        ("caller: I'm the only counselor at the Ridley clinic", "only counselor"),
        ("caller: it's off [LOCATION] and Pelham Ridge Road", "Pelham"),
        ("caller: the number is 7-7-7-4-1-9-2-0-3-3", "7-7-7-4"),  # digits that change are a number
        ("agent: Thanks, Marisol.", "Marisol"),
        ("agent: Okay, thanks, Grace.", "Grace"),  # a given name that is also an English word
        ("agent: Thanks, Hope, I will call you back.", "Hope"),  # virtue names are no title of address
        ("caller: Sorry, Faith. I did not hear.", "Faith"),
        ("agent: Hi, Summer. How are you?", "Summer"),
        ("caller: this is Oduya, from the shelter", "Oduya"),
        ("agent: Where do you live?\ncaller: [LOCATION]. Tullahoma, out past the dam.", "Tullahoma"),
        ("caller: it was Brannigan [NAME] who drove him", "Brannigan"),  # a name beside the cut, not a title
    ],
)
def test_what_the_session_8_cuts_still_flag(text: str, fragment: str) -> None:
    assert _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


# ------------------------------------- session 9: shapes the scan could see but no family looked at (issue 9)
# Invented sentences for each family kept, both ways: the shape beside its cue flags; the same shape without the
# cue does not.
@pytest.mark.parametrize(
    ("text", "fragment", "rule"),
    [
        ("caller: mi número es cuatro uno siete, dos dos ocho, [PHONE]", "cuatro uno siete", "digit_words_beside_cue"),
        ("caller: the badge number is 4 0 7 7 3, ask the desk", "4 0 7 7 3", "digit_words_beside_cue"),
        ("caller: it's [HEALTH_PLAN], then six two nine", "six two nine", "digit_words_beside_cue"),
        ("agent: and a phone number for you?\ncaller: Seven, Four, Four, Two", "Seven, Four", "digit_words_beside_cue"),
        ("caller: [OTHER_ID] nueve cero cinco", "nueve cero cinco", "digit_words_beside_cue"),
        ("caller: she was born el doce de marzo", "doce de marzo", "month_spanish"),
        ("caller: cumpleaños noviembre tres, uh, two thousand two", "noviembre tres", "month_spanish"),
        ("caller: el quince de mayo", "quince de mayo", "month_spanish"),
        ("agent: okay what's the best phone\ncaller: six one two, um", "six one two", "digit_words_beside_cue"),
    ],
)
def test_session_9_shape_families_flag(text: str, fragment: str, rule: str) -> None:
    assert rule in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: he has like three, two, one kids at home", "three, two"),  # digits with no number cue
        ("caller: we counted one two three and jumped", "one two three"),
        ("caller: [PHONE] and my kids are six, eight, nine years old", "six, eight"),  # ages: a unit follows
        ("agent: what's your phone number?\ncaller: it's on the fridge, one sec, two three kids yelling", "two three"),
        ("caller: we had mayo on the sandwich", "mayo"),  # mayonnaise, no day beside it
    ],
)
def test_session_9_shape_families_leave_alone(text: str, fragment: str) -> None:
    rules = _rules_at(text, fragment)
    assert not rules & {"digit_words_beside_cue", "month_spanish"}, rules


# ------------------------------ session 12: evidence beside a placeholder (issue 9), invented sentences both ways
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: yes this is [NAME] hardy, i'm calling for my son", "hardy"),
        ("Caller: My name is [NAME] Long. I need a bed.", "Long"),
        ("caller: it's [LOCATION] young. he's twenty", "young"),  # a person the redactor took for a place
        ("caller: this is [NAME] sprout, his case manager", "sprout"),  # a name line, no family list needed
        ("agent: who am i speaking with\ncaller: [NAME] rice", "rice"),
    ],
)
def test_session_12_surname_after_a_cut_name_is_flagged(text: str, fragment: str) -> None:
    assert "surname_after_cut" in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: i talked to [NAME] too. then [NAME] said, fine", "too"),  # what follows a name, not a surname
        ("caller: [NAME] here, [NAME] again.", "here"),
        ("caller: ask [NAME] please.", "please"),
        ("caller: he tried [LOCATION] House, it was full", "House"),  # a program named by its town
        ("caller: we drove to [LOCATION] fast.", "fast"),  # no family name, and no name is given
        ("caller: this is [NAME] sorry, bad line", "sorry"),  # a name line, but common English
        ("caller: [NAME] long ago moved away", "long"),  # the phrase goes on: no surname closes it
        ("caller: [PHONE] young.", "young"),  # no person was cut
    ],
)
def test_session_12_surname_after_a_cut_name_leaves_alone(text: str, fragment: str) -> None:
    start = text.index(fragment, text.index("]"))
    rules = {r.rule for r in scan_text(text) if r.start <= start < r.end}
    assert "surname_after_cut" not in rules, rules


# ------------------------------ scan14 (session 14): the agent's name in the opening line, the rest of a spoken
# birth date, territories before a ZIP code. Invented sentences, both ways.
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("agent: Admissions, Pickleford,\ncaller: hi, I need a bed", "Pickleford"),
        ("agent: Emissions, Carpet speaking,\ncaller: hi", "Carpet"),  # the name as an English word
        ("agent: Admission, this is a lantern, how can I help?\ncaller: hi", "lantern"),
        ("agent: Admission [NAME] is Bo-Tan.\ncaller: hey", "Bo-Tan"),  # a surname after the cut given name
        ("agent: Thank you for calling admissions, Fern Hollis here.\ncaller: hi", "Fern Hollis"),
        ("agent: Admission is in crate, okay,\ncaller: yeah", "crate"),
    ],
)
def test_scan14_the_agents_name_in_the_opening_line_is_flagged(text: str, fragment: str) -> None:
    assert "opening_name_slot" in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "agent: Admissions, this is [NAME], how can I help you?\ncaller: hi",  # the name was cut
        "agent: Admissions, good morning, how can I help you?\ncaller: hi",  # no name given
        "agent: Admissions desk, this is [NAME].\ncaller: Hi.",
        "agent: Admissions, is it made of how can I help you?\ncaller: hi",  # a clause, not a name
        "agent: Admission, if you do it.\ncaller: yes",
        "agent: Admissions, Mrs. [NAME] okay,\ncaller: hi",
        "caller: Admissions? Sunflower told me to call\nagent: [NAME] speaking",  # the caller spoke first
        "agent: Hi, this message is for [NAME], please call back\ncaller: hi",  # no desk word opens the line
        "agent: [NAME] speaking.\ncaller: hi\nagent: Admissions, Pickleford transferred you",  # not the opening turn
        "agent: Admissions, this is [NAME]. I have a translator on the line.\ncaller: hola",  # a second sentence
        "agent: Admissions, one moment please.\ncaller: sure",  # courtesy, no name
        "agent: Admissions, you're speaking with [NAME].\ncaller: hi",
    ],
)
def test_scan14_opening_lines_without_a_name_left_are_left_alone(text: str) -> None:
    found = scan_text(text)
    assert "opening_name_slot" not in {r.rule for r in found}, [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("agent: and his date of birth?\ncaller: [DATE] Fur-Lay Day, [DATE].", "Fur-Lay Day"),
        ("agent: Date of birth?\ncaller: [DATE].K.P. [DATE].", "K.P"),  # glued letters of the date
        ("agent: And her birthday?\ncaller: She is [DATE] tooth.", "tooth"),
        ("caller: let me ask, your birthday, he says [DATE] Day, he says so.", "Day"),  # asked in the same line
        ("agent: and his date of birth?\ncaller: [DATE] cinder of the pail.", "cinder of the pail"),
    ],
)
def test_scan14_the_rest_of_a_birth_date_after_its_cut_is_flagged(text: str, fragment: str) -> None:
    assert "date_answer_rest" in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "agent: date of birth?\ncaller: [DATE] and he lives with me.",  # a clause follows the date
        "agent: date of birth?\ncaller: [DATE], 1987.",  # the year, kept
        "agent: date of birth?\ncaller: [DATE] I think.",
        "agent: date of birth?\ncaller: [DATE] sorry.",
        "agent: where does he live?\ncaller: [DATE] Fur-Lay Day.",  # no date question
        "agent: date of birth?\ncaller: [NAME] tooth.",  # no date was cut
        "agent: date of birth?\ncaller: [DATE]\nagent: [DATE] cinder, got it.",  # the agent reading it back
        "agent: his date of birth?\ncaller: [DATE]. yes, on [DATE] exactly-ish",  # talk about the date after it
    ],
)
def test_scan14_what_follows_a_birth_date_that_is_no_date_is_left_alone(text: str) -> None:
    found = scan_text(text)
    assert "date_answer_rest" not in {r.rule for r in found}, [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    ("text", "zip_code"),
    [
        ("Mail went to APO AE 09021 while he was deployed.", "09021"),
        ("She lives in San Juan, PR 00926 now.", "00926"),
        ("We moved to Hagatna, GU 96910 last year.", "96910"),
        ("she lives in Ponce, Puerto Rico, 00716.", "00716"),
        ("he is in Charlotte Amalie, VI 00802", "00802"),
    ],
)
def test_scan14_a_zip_after_a_territory_or_military_code_is_a_zip(text: str, zip_code: str) -> None:
    start = text.index(zip_code)
    assert any(r.category == "ZIP" and r.start <= start < r.end for r in scan_text(text)), scan_text(text)


@pytest.mark.parametrize(
    "text",
    ["Caller: I go to AA 5 times a week.", "Caller: I went to AA, 30 meetings so far.", "Caller: she took AP 12 credits",
     "Caller: as 40 of us waited"],
)
def test_scan14_territory_codes_count_only_before_a_zip(text: str) -> None:
    assert not scan_text(text), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


# ------------------------------ scan15 (session 15): the program's campus named by its town as Whisper heard it, when
# the agent's turn opens with it; the caller's name as the agent says it back. Invented sentences, both ways.
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("agent: Our tumble weed campus is about two hours from you.", "tumble weed"),  # the turn opens with "Our"
        ("agent: Our new fiddle compass takes women.", "fiddle"),  # "new" is the kind, the town follows
        ("caller: The pebble campus was full last time.", "pebble"),  # any determiner opening the turn
        ("Agent: Your lantern campus called me back.", "lantern"),
    ],
)
def test_scan15_a_campus_named_by_its_town_as_heard_is_flagged(text: str, fragment: str) -> None:
    assert "campus_name" in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "agent: Our main campus is in the valley.",  # a kind of site, no town
        "agent: Our new campus opens in the spring.",
        "caller: Off campus, near my job.",  # the label is no placeholder, and no town is named
        "agent: Our IOP campus and our detox campus are both full.",  # kinds of care
        "agent: We have beds at all three campuses.",
        "agent: Our [LOCATION] campus is an hour away.",  # the town was cut
        "agent: He is in the middle of the campus.",
    ],
)
def test_scan15_campus_phrases_that_name_no_town_are_left_alone(text: str) -> None:
    found = scan_text(text)
    assert "campus_name" not in {r.rule for r in found}, [(text[r.start : r.end], r.rule) for r in found]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: It's [PHONE].\nagent: Okay, kettle, we'll call you back tonight.", "kettle"),
        ("caller: My son, [NAME].\nagent: Okay, harbor what's going on with him?", "harbor"),
        ("caller: [PHONE] in case.\nagent: Perfect and saddle, I'll send the forms.", "saddle"),  # "and" for the pause
        ("caller: I'm [NAME].\nagent: Hi there, velvet, how can I help?", "velvet"),
        ("caller: [PHONE].\nagent: Thank you, lantern. I'll call after the review.", "lantern"),
        ("caller: I'm [NAME].\nagent: High kettle, what's your son's name?", "kettle"),  # Whisper's "High" for "Hi"
    ],
)
def test_scan15_the_name_an_agent_says_back_is_flagged(text: str, fragment: str) -> None:
    assert "ack_said_back_name" in _rules_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "caller: It's [PHONE].\nagent: Okay, great, we'll call you back tonight.",  # the frame, no name
        "caller: My son.\nagent: Okay, so what's going on with him?",
        "caller: My son.\nagent: Okay, and what's his name?",  # a question opens
        "caller: [PHONE].\nagent: Okay, insurance.",  # the next field asked for
        "caller: [PHONE].\nagent: Okay, ensurance,",  # the same field as Whisper spelled it
        "caller: [FAX].\nagent: Thank you both.",  # whom the thanks are to
        "caller: I'm [NAME].\nagent: Hi there, how can I help?",
        "caller: I'm [NAME].\nagent: High, how are you?",  # the greeting alone
        "caller: [PHONE].\nagent: Thank you, sir.",
        "caller: It's [PHONE].\nagent: Okay, [NAME], we'll call you back.",  # the name was cut
        "caller: I use daily.\nagent: Okay, you're using now, every day.",  # a clause
        "agent: Hi.\ncaller: Okay, kettle, I'll wait.",  # the caller's turn: not the agent saying a name back
    ],
)
def test_scan15_agent_acknowledgements_without_a_name_are_left_alone(text: str) -> None:
    found = scan_text(text)
    assert "ack_said_back_name" not in {r.rule for r in found}, [(text[r.start : r.end], r.rule) for r in found]


def test_scan15_the_name_said_back_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "caller: It's [PHONE].\nagent: Okay, kettle, we'll call you back tonight."
    assert "ack_said_back_name" in _rules_at(text, "kettle")
    monkeypatch.setattr(residual, "SAID_BACK_NAMES", False)
    assert "ack_said_back_name" not in _rules_at(text, "kettle")


def test_count_tokens_counts_a_placeholder_or_speaker_label_as_one_token_as_the_pipeline_does() -> None:
    # The fallback unit of the per-10k rates must be the pipeline's (``len(redacted_text.split())``); counting a
    # placeholder's characters made every scan_eval false-alarm rate look two to three times lower than it was.
    text = "agent: thanks [NAME], and the town?\ncaller: [ADDRESS] out past the mill"
    assert residual.count_tokens(text) == len(text.split()) == 12
    assert residual.count_tokens("") == 0
    assert residual.count_tokens("[NAME:a1b2] [PHONE]") == 2


# ---------------------------- scanasr19 (session 19): grammar and talk read as a name or a place ("clearly not")
def _flagged_at(text: str, fragment: str) -> list[tuple[str, str]]:
    start = text.index(fragment)
    return [(text[r.start : r.end], r.rule) for r in scan_text(text) if r.start <= start < r.end]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # a closed-class word beside a cut: a pronoun's contraction, a possessive
        ("caller: that was [NAME], They're [NAME] cousins", "They're"),
        ("caller: the car is [NAME] Yours, if you want it", "Yours"),
        # a place answer that is only grammar
        ("agent: where do you stay?\ncaller: out by [LOCATION], the trailer, it's...", "it's"),
        # the same with a typographic apostrophe, as written text has it (read19)
        ("agent: where do you stay?\ncaller: out by [LOCATION], the trailer, it’s...", "it’s"),
        # a title cue before grammar
        ("agent: Thank you, Nurse. What's the room number?", "What's"),
        # talk after a place answer: an apology, a verb of moving or saying
        ("agent: where do you live?\ncaller: [LOCATION], no wait, sorry, I left.", "sorry"),
        ("agent: where do you live?\ncaller: [LOCATION], no wait, sorry, I left.", "left"),
        ("agent: where is he living?\ncaller: [LOCATION]. he said. with friends", "said"),
        # a generic kind of place with no name
        ("agent: where are you staying?\ncaller: [LOCATION], the basement.", "basement"),
        ("agent: where does she live?\ncaller: [LOCATION], off the canal.", "canal"),
        ("agent: where does she live?\ncaller: [LOCATION], past the subdivision.", "subdivision"),
    ],
)
def test_scanasr19_grammar_and_talk_are_no_name_or_place(text: str, fragment: str) -> None:
    assert not _flagged_at(text, fragment)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # the same positions with a name or a place in them stay flagged
        ("caller: that was [NAME], Thaddeus [NAME] cousins", "Thaddeus"),
        ("caller: the car is [NAME] Hollisworth, if you want it", "Hollisworth"),
        ("caller: we stay with [NAME] Andreyev, they're good to us", "Andreyev"),
        ("agent: where are you staying?\ncaller: [LOCATION], the Quellwood.", "Quellwood"),
        ("agent: where does she live?\ncaller: [LOCATION], on the Wendover.", "Wendover"),
        ("agent: where do you live?\ncaller: [LOCATION], no, Sorrento.", "Sorrento"),
        ("agent: Thank you, Nurse Pembry. What's the room number?", "Pembry"),
        ("caller: she can't make it to Mount Keldra this week", "Mount Keldra"),
        ("caller: go past the mill and then it's Quarry Street over", "Quarry Street"),
    ],
)
def test_scanasr19_names_and_places_in_the_guarded_positions_are_still_flagged(text: str, fragment: str) -> None:
    assert _flagged_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment", "rule"),
    [
        # where a name must stand, Whisper's mishearing of it can be any word: the grammar guard does not apply
        ("agent: Admissions, this is because.\ncaller: Hi, I need help.", "because", "opening_name_slot"),
        ("agent: And your name?\ncaller: They're Pelloway.", "They're", "name_answer"),
        # nor where a street, a compass place or a place slot is read: Whisper writes names as grammar there too
        ("caller: go past the mill and then it's another street over", "another street", "named_street"),
        ("caller: we're out past West Them, by the weir", "West Them", "compass_place"),
    ],
)
def test_scanasr19_rules_outside_the_grammar_guard_keep_any_word(text: str, fragment: str, rule: str) -> None:
    assert rule in {r for _, r in _flagged_at(text, fragment)}, [(text[r.start : r.end], r.rule) for r in scan_text(text)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # scanasr19, at the rule's edge: a courtesy title left before the cut name, a field asked for by its short form
        ("caller: hi, I'm calling for a Miss [NAME] at the front desk", "Miss"),
        ("caller: hey, it's about a Mister [NAME] from the shelter", "Mister"),
        ("caller: [PHONE]\nagent: ok, dob?", "dob"),
        ("caller: [PHONE]\nagent: okay, mrn.", "mrn"),
    ],
)
def test_scanasr19_a_title_or_a_field_is_no_name(text: str, fragment: str) -> None:
    assert not _flagged_at(text, fragment)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("caller: hi, I'm calling for a Miss [NAME] Fennimore at the front desk", "Fennimore"),
        ("caller: [PHONE]\nagent: okay, Brenna.", "Brenna"),
        ("caller: I'm [NAME].\nagent: okay, Brisella. what's going on", "Brisella"),
    ],
)
def test_scanasr19_a_name_after_a_title_or_said_back_is_still_flagged(text: str, fragment: str) -> None:
    assert _flagged_at(text, fragment), [(text[r.start : r.end], r.rule) for r in scan_text(text)]
