"""Classes of call-transcript identifiers added in session 4 (issue 8), each tested on invented phrasings in other
words, towns and regions than the calls that showed the class (calls_dev is scored, never tested against)."""

from __future__ import annotations

import shutil

import pytest

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.words import LEXICON_DIR


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


def _category_at(redactor: Redactor, text: str, phrase: str) -> str:
    """The category of the one span that masks ``phrase``."""
    text = text if text.endswith("\n") else text + "\n"
    start = text.index(phrase)
    (span,) = [s for s in redactor.redact(text).spans if s.start <= start < s.end]
    return span.category


def _last_mention_masked(redactor: Redactor, text: str, name: str) -> bool:
    """Whether the last mention of ``name`` (the one no cue stands before) lies inside a span."""
    last = text.rindex(name)
    return any(s.start <= last and last + len(name) <= s.end for s in redactor.redact(text).spans)


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


# ----------------------------------------------------------------------------------------- roads said bare
@pytest.mark.parametrize(
    "text,numbers",
    [
        ("agent: are you driving down from Medford? will you take 62 or 140?\ncaller: we'll take 140, through town", ["62", "140"]),
        ("agent: the campus is about two hours down 84.", ["84"]),
        ("caller: we'll hop on 17 then all the way down, it's a long drive", ["17"]),
    ],
)
def test_a_road_number_said_bare_while_talking_of_driving(redactor, text, numbers):
    for number in numbers:
        assert _covered(redactor, text, number), number


@pytest.mark.parametrize(
    "text",
    ["caller: it'll take 30, maybe 40 minutes to drive", "caller: the doctor wants to go up 10. it's a long drive",
     "caller: i take 20 mg twice a day", "caller: we got up 40. that was the count"],
)
def test_numbers_that_are_no_roads_stay(redactor, text):
    assert not any(s.category == "LOCATION" for s in redactor.redact(text + "\n").spans)


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: she's at the shelter on avenue j by the park", "avenue j"),
     ("caller: north end, in spokane, off hamilton", "hamilton"),
     ("caller: we're in tulsa, right off yale", "yale"),
     ("caller: it's 4 1 1 birch lane, in flagstaff, 8 6 0 0 1", "8 6 0 0 1")],
)
def test_streets_and_zips_said_after_a_place(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_a_state_of_being_after_off_is_no_street(redactor):
    assert _readable(redactor, "caller: he's in mesa, off probation and off meds", "off probation and off meds")


# --------------------------------------------------------------------------------- codes read out and echoed
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: employee number k, b, w, 4, 4, 1, 9, 0", "k, b, w, 4, 4, 1, 9, 0"),
        ("caller: the medicare one is 7 h j 2, r e 4, k p 9 1", "7 h j 2, r e 4, k p 9 1"),
        ("caller: her number is r k 4 4 0 9 at the front desk", "r k 4 4 0 9"),
        ("caller: member id 7 2 0, 3 3 1, 4 0 8, and then there's like a 1 1 at the end", "1 1"),
        ("caller: 602-555-0188, extension 4 1", "4 1"),
        ("caller: the plate is r t m, 7 7 2 0\nagent: got it, rtm 7720. and your cell", "rtm 7720"),
        ("caller: my cell is 480-555-0107\nagent: so that's 4 8 0 5 5 5 0 1 0 7, right", "4 8 0 5 5 5 0 1 0 7"),
        ("caller: it's um. portal dot mycarehub dot example dot com", "portal dot mycarehub dot example dot com"),
    ],
)
def test_codes_read_out_their_tails_and_echoes(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_a_count_after_a_phone_number_is_no_tail(redactor):
    assert _readable(redactor, "caller: call me at 555-0134 and then 2 weeks later i go in", "2 weeks")


# ------------------------------------------------------------------- drugs as speech recognition spells them
@pytest.mark.parametrize(
    "text,drugs",
    [
        ("caller: Dr. Okafor put me on Gabapenton and Trazadone last week", ["Gabapenton", "Trazadone"]),
        ("caller: he came off of klonopen and methadoen in march", ["klonopen", "methadoen"]),
        ("caller: he's out by Naltrexon now, living off Sublocaid shots", ["Naltrexon", "Sublocaid"]),
        ("agent: we can start vivatrol or vivitral before discharge", ["vivatrol", "vivitral"]),
    ],
)
def test_a_misspelt_drug_is_no_name_or_place(redactor, text, drugs):
    for drug in drugs:
        assert _readable(redactor, text, drug), drug


def test_a_drug_word_after_a_name_cue_is_still_a_name(redactor):
    assert _covered(redactor, "caller: hi, my name is brandy, brandy okafor", "brandy okafor")


# ------------------------------------------------------------------------------------ workplaces and practices
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: she's a dental hygienist at um sunny meadow dental in deland", "sunny meadow dental"),
        ("caller: he's a phlebotomist at Riverbend Labs now", "Riverbend Labs"),
        ("caller: he worked at Portland General Electric for years", "Portland General Electric"),
        ("caller: my husband's job is at tucson cold storage", "tucson cold storage"),
    ],
)
def test_workplaces_named_for_a_place_or_after_a_role(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_a_place_before_a_kind_of_therapy_is_only_the_place(redactor):
    assert _readable(redactor, "caller: we live in Tucson and he goes to Tucson group therapy", "group therapy")


# ---------------------------------------------------------------------------------------- a place said again
def test_a_place_found_once_is_masked_where_it_recurs(redactor):
    text = "caller: i finished your eagle program last spring. everybody back in eagle knows me. we drove to Eagle again"
    masked = _masked(redactor, text)
    assert masked.count("eagle") == 2 and "Eagle" in masked, masked


def test_a_common_word_place_recurs_only_as_a_place(redactor):
    text = "caller: i finished your eagle program last spring. i saw an eagle by the river"
    assert _readable(redactor, text, "saw an eagle")


def test_a_place_of_several_words_recurs_anywhere(redactor):
    text = "caller: we're in cedar falls now. cedar falls is small"
    assert _masked(redactor, text).count("cedar falls") == 2


# -------------------------------------------------------------------------- numbers and towns Whisper garbles
@pytest.mark.parametrize(
    "text,phrase",
    [
        ("caller: the member id is 4172 for 339015. and the group is 2201", "4172 for 339015"),
        ("caller: my number is for 5-201-550132 and that's my cell", "for 5-201-550132"),
        ("caller: the claim number is 7731902 for for 55120 and that's it", "7731902 for for 55120"),
        ("caller: his case is CR4471 for. we go to court tuesday", "CR4471 for"),
    ],
)
def test_four_written_as_for_inside_a_number(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_for_after_a_number_before_other_words_stays(redactor):
    assert _readable(redactor, "caller: call 480-555-0107 for the front desk", "for the front desk")


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("agent: our sable campus has a bed open", "sable"),  # a town garbled into an English word
        ("caller: it's a haul to new brunsfeld from here", "new brunsfeld"),
        ("caller: he's stationed at fort kavazzo now", "fort kavazzo"),
    ],
)
def test_towns_as_whisper_garbles_them(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_a_campus_described_not_named_stays(redactor):
    assert _readable(redactor, "agent: our beautiful campus is quiet, the whole campus is gated", "our beautiful campus")


@pytest.mark.parametrize(
    "text,phrase",
    [
        # a town's first word before a site name that is no town by itself is the town's, not the campus's age
        ("agent: our new brumfeld campus has a bed tonight", "new brumfeld"),
        ("agent: we could start you at our new ulmbridge campus", "new ulmbridge"),
        ("agent: okay, your new haverton's campus is six hours out", "new haverton's"),
    ],
)
def test_a_town_prefix_before_a_garbled_site_name_is_the_towns(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("agent: our new detox campus opened in the spring", "new detox campus"),
        ("agent: our new beautiful campus is quiet", "new beautiful campus"),
    ],
)
def test_new_before_a_campus_that_is_described_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


# ------------------------------------------------------------------------------- greetings, nicknames, dates
@pytest.mark.parametrize(
    "text,name",
    [
        ("agent: Admissions, this is grocery, how can I help you?\ncaller: hi", "grocery"),  # a name Whisper misheard
        ("agent: thanks for calling, my name is Tova, how can i help\ncaller: hi", "Tova"),
    ],
)
def test_the_agents_name_in_the_greeting(redactor, text, name):
    assert _covered(redactor, text, name)


def test_the_department_in_the_greeting_stays(redactor):
    assert _readable(redactor, "agent: thank you for calling, this is admissions, how can i help\n", "this is admissions")


@pytest.mark.parametrize(
    "text,name",
    [("caller: back home they call him Big Rooster, he's my uncle", "Big Rooster"),
     ("caller: everybody calls me Dot at work", "Dot"),
     ("caller: we call her tink, she's my sister", "tink")],
)
def test_nicknames(redactor, text, name):
    assert _covered(redactor, text, name)


def test_call_me_back_is_no_nickname(redactor):
    text = "caller: call me back at noon, she called me crazy, can you call him tomorrow"
    assert not any(s.category == "NAME" for s in redactor.redact(text + "\n").spans)


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: he was born June for 2003, in texas", "June for"), ("caller: her birthday is October 7-71.", "October 7-71")],
)
def test_dates_as_whisper_writes_them(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_the_person_asked_for_on_a_call_back(redactor):
    assert _covered(redactor, "agent: hi, is this dale?\ncaller: yeah who's this", "dale")
    assert _readable(redactor, "agent: hi is this the admissions line? is this it?\n", "is this it")


def test_a_zip_after_a_town_the_name_lists_know(redactor):
    assert _covered(redactor, "caller: it's 4 4 1 elm street, in st augustine, 3 2 0 8 4", "3 2 0 8 4")


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: he's the guy who plays the easter bunny at the dayton mall", "the guy who plays the easter bunny at"),
     ("caller: she's the lady who sings the anthem at every home game", "the lady who sings the anthem at")],
)
def test_what_a_person_is_known_for_doing_somewhere(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


def test_what_anyone_does_is_no_quasi_identifier(redactor):
    assert _readable(redactor, "caller: she's the one who lives in the blue house", "the one who lives in")


# session 12 (clean12): the same description said of oneself or as what others call one, with words before the
# person, and a feat in the past; the cue that says who is described stays readable. Invented inputs.
@pytest.mark.parametrize(
    "text,phrase",
    [("Caller: Everybody knows him as the bearded guy who sells tamales at the flea market.",
      "the bearded guy who sells tamales at"),
     ("caller: i'm the short redheaded lady who teaches zumba at the legion hall", "the short redheaded lady who teaches zumba at"),
     ("Caller: She's the girl that broke the state pole vault record at Central.", "the girl that broke the state pole vault record at"),
     ("caller: he's like the kid who won rookie of the year in the league", "the kid who won rookie of the year in"),
     ("Caller: I'm the one who used to paint the murals on the feed store.", "the one who used to paint the murals on")],
)
def test_what_one_is_known_for_said_of_oneself_or_in_the_past(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: i'm the one who works at the diner on weekends", "the one who works at"),
     ("Caller: I'm the one that set up the appointment for him.", "the one that set up the appointment for"),
     ("caller: he's the one who won at cards last night", "the one who won at"),
     ("Caller: He's the guy who used to drink at the bar on Main.", "the guy who used to drink at"),
     ("caller: i'm the worried mom who takes him to group on fridays", "the worried mom who takes him to group on")],
)
def test_what_anyone_does_said_of_oneself_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_the_cue_before_a_description_stays_readable(redactor):
    assert _readable(redactor, "caller: she's the lady who sings the anthem at every home game", "she's")


@pytest.mark.parametrize(
    "text,phrase",
    [("caller: up by the reservoir on route nine", "route nine"),
     ("caller: take highway one oh one north", "highway one oh one"),
     ("caller: he lives at the salvation army on fifth.", "fifth")],
)
def test_roads_in_words_and_bare_ordinal_streets(redactor, text, phrase):
    assert _covered(redactor, text, phrase)


@pytest.mark.parametrize(
    "text", ["caller: she's on second shift, he's on third now, third try", "caller: we're in fifth and sixth grade"]
)
def test_ordinals_that_are_no_streets_stay(redactor, text):
    assert not any(s.category == "LOCATION" for s in redactor.redact(text + "\n").spans)


# -------------------------------------------------- a phrasal verb's particle after "called him/her" (session 5)
@pytest.mark.parametrize(
    "text,particle",
    [
        ("caller: my mom called her out on it at thanksgiving", " out on it"),
        ("caller: and then his sponsor called him up at two in the morning", " up at two"),
        ("caller: the nurse called her back in for another test", " back in for"),
        ("caller: his probation officer called him, uh, down to the office", " down to the office"),
        ("caller: so the school called her over and she just walked off", " over and she"),
        ("caller: my brother called him out.", " out."),
        ("caller: they called her aside after group", " aside after group"),
    ],
)
def test_a_particle_after_called_him_or_her_is_no_name(redactor, text, particle):
    assert _readable(redactor, text, particle)


@pytest.mark.parametrize(
    "text,name",
    [
        ("caller: the counselor called her Marisol, which isn't her name", "Marisol"),
        ("caller: everyone called him tavi growing up", "tavi"),
    ],
)
def test_a_name_after_called_him_or_her_is_still_masked(redactor, text, name):
    assert _covered(redactor, text, name)


# ------------------------------------------------------------------------ session 5: a found name said again, raw style
# In raw speech-recognition text a vocative has no comma: the turn's end marks it. A name the call already revealed
# is the person where it closes a turn or owns something; invented calls, other names than any calls_dev call.
@pytest.mark.parametrize(
    "text,name",
    [
        ("agent: admissions this is joy\ncaller: hi um my dad needs detox\nagent: we can get him in tomorrow joy\n", "joy"),
        ("caller: my name's dusty, dusty ferrell\nagent: i'll call you back after lunch dusty\n", "dusty"),
        ("caller: my wife's name is hazel\nagent: does she want to come in\ncaller: yes hazel's sister drives her\n", "hazel"),
        ("caller: this is grant calling about my son\nagent: we'll set it up today grant\ncaller: ok\n", "grant"),
    ],
)
def test_a_found_name_closing_a_turn_or_owning_something_is_masked_again(redactor, text, name):
    assert _last_mention_masked(redactor, text, name)


@pytest.mark.parametrize(
    "text,phrase",
    [
        # the same word as an ordinary word after a determiner, or a turn-final word no cue revealed as a name
        ("caller: my name is grant\nagent: did you apply for the grant\n", "the grant"),
        ("caller: my name's bill\nagent: okay and who pays the bill's balance\n", "the bill's"),
        ("caller: we just want some joy\nagent: i understand\n", "some joy"),
    ],
)
def test_the_same_word_as_a_word_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


# ----------------------------------------------- session 6: what someone was called is no name ("called her crazy")
@pytest.mark.parametrize(
    "text,epithet",
    [
        ("caller: her boyfriend called her worthless in front of the kids", "worthless"),
        ("caller: and my dad called him lazy every single day", "lazy"),
        ("caller: the other guys called him names at school", "names"),
        ("caller: he called her stupid, then he left", "stupid"),
        ("caller: so he calls her, um, useless when he's drinking", "useless"),
        ("caller: he called her honey and she threw the phone", "honey"),
    ],
)
def test_what_someone_was_called_stays_readable(redactor, text, epithet):
    assert _readable(redactor, text, epithet)


@pytest.mark.parametrize(
    "text,name",
    [
        ("caller: the new counselor called her Dolores by mistake", "Dolores"),
        ("caller: everybody called him rusty back then", "rusty"),
        ("caller: my mom called her brittany and she hung up", "brittany"),
    ],
)
def test_a_name_after_name_calling_words_is_still_masked(redactor, text, name):
    assert _covered(redactor, text, name)


# ------------------------------------------------- session 6: a hospital unit is no place ("the psych ward")
@pytest.mark.parametrize(
    "text,unit",
    [
        ("caller: they kept her in the psych ward over the weekend", "psych ward"),
        ("caller: He spent four days on the Psychiatric Ward.", "Psychiatric Ward"),
        ("caller: my uncle was in the mental ward in the nineties", "mental ward"),
        ("caller: she ended up on a locked ward for a while", "locked ward"),
        ("caller: they moved him up to the detox unit last night", "detox unit"),
        ("caller: he's on the rehab floor until monday", "rehab floor"),
        ("caller: she was on the behavioral health unit for ten days", "behavioral health unit"),
    ],
)
def test_a_hospital_unit_is_no_place(redactor, text, unit):
    assert _readable(redactor, text, unit)


@pytest.mark.parametrize(
    "text,place",
    [
        ("caller: we live over in the Lower Ninth Ward", "Ninth Ward"),
        ("caller: she grew up in the Fourth Ward, by the old mill", "Fourth Ward"),
    ],
)
def test_a_city_ward_is_still_a_place(redactor, text, place):
    assert _covered(redactor, text, place)


# ------------------------ session 6: a given name that is also a drug's name, found by a cue, is masked where it recurs
def test_a_drug_named_person_is_masked_where_she_recurs_and_the_drug_stays(redactor):
    text = (
        "caller: my niece's name is molly.\n"
        "agent: okay, and how old is molly?\n"
        "caller: twenty. molly won't come home and molly's phone is off. she's doing molly and pills every weekend.\n"
        "agent: thanks molly's aunt, we'll help. hi molly\n"
    )
    redacted = redactor.redact(text).redacted_text
    assert redacted.count("molly") == 1 and "doing molly and pills" in redacted
    assert redacted.count("[NAME]") == 6


@pytest.mark.parametrize(
    "text,drug",
    [
        ("caller: my sister's name is Crystal. She smokes crystal on weekends. Crystal's kids live with me.\n",
         "smokes crystal on"),
        ("caller: his girlfriend is named crystal and crystal meth is what he uses.\n", "crystal meth"),
        ("caller: my daughter's name is crystal. she's on crystal again.\n", "on crystal again"),
    ],
)
def test_the_drug_reading_stays_beside_a_person_of_that_name(redactor, text, drug):
    redacted = redactor.redact(text).redacted_text
    assert drug in redacted and "[NAME]" in redacted


@pytest.mark.parametrize(
    "text",
    [
        "caller: my daughter's name is crystal. crystal keeps taking my car.\n",
        "caller: her name is crystal, okay? anyway crystal, she said she'd call.\n",
        "caller: my stepdaughter crystal she's seventeen.\nagent: okay. and does crystal's dad live with you?\n",
    ],
)
def test_a_drug_named_person_found_by_a_cue_is_masked_again(redactor, text):
    assert "crystal" not in redactor.redact(text).redacted_text


# ------------------------------------------------------------------------------- session 6, precision (late)
@pytest.mark.parametrize(
    "text, place",
    [
        ("caller: his mother's house is in the eighth ward", "eighth ward"),
        ("caller: we stayed down in the lower seventh ward", "lower seventh ward"),
    ],
)
def test_an_ordinal_ward_is_a_place_not_a_date(redactor, text, place):
    spans = redactor.redact(text + "\n").spans
    assert _covered(redactor, text, place)
    assert not any(s.category == "DATE" for s in spans)


@pytest.mark.parametrize(
    "text, name, after",
    [
        ("caller: my brother called her Tammy yesterday", "Tammy", "yesterday"),
        ("caller: we called him Junior last week", "Junior", "last"),
        ("caller: she calls him Bubba next to his friends", "Bubba", "next"),
    ],
)
def test_a_nickname_ends_before_a_time_word(redactor, text, name, after):
    assert _masked(redactor, text) == [name]
    assert _readable(redactor, text, after)


def test_a_two_word_nickname_stays_whole(redactor):
    assert _masked(redactor, "caller: everybody calls him Little Joe") == ["Little Joe"]


@pytest.mark.parametrize(
    "text, verb",
    [
        ("caller: I asked my sister to call.", "to call."),
        ("caller: the nurse told him to wait.", "to wait."),
        ("caller: he just needs to rest.", "to rest."),
    ],
)
def test_a_town_that_is_a_verb_after_to_is_the_verb(redactor, text, verb):
    assert _readable(redactor, text, verb)


@pytest.mark.parametrize(
    "text, town",
    [("caller: his dad moved to Call, Texas", "Call"), ("caller: she's from Call.", "Call"), ("caller: they moved to call, texas", "call")],
)
def test_a_town_named_by_a_verb_stays_a_place_after_a_residence_cue(redactor, text, town):
    assert town in _masked(redactor, text)


@pytest.mark.parametrize(
    "text, town",
    [
        ("caller: her cousin has a place in tyler", "tyler"),
        ("caller: we were staying near jackson for a while", "jackson"),
        ("caller: he works outside of lafayette", "lafayette"),
    ],
)
def test_a_town_after_a_place_preposition_is_a_place_even_when_it_is_a_surname(redactor, text, town):
    assert _category_at(redactor, text, town) == "LOCATION"


@pytest.mark.parametrize("text, name", [("caller: I got a text from tyler", "tyler"), ("caller: my name is brandon", "brandon")])
def test_a_town_that_is_a_name_stays_a_name_without_a_place_preposition(redactor, text, name):
    assert _category_at(redactor, text, name) == "NAME"


# --------------------------- session 19 (evenb19): an everyday-word given name introduced with its surname, said again
# In caseless speech a given name that is an everyday word ("journey", "haven") and was introduced with its surname is
# the person where the call says it again with no cue before it; invented calls, names no corpus call uses.
@pytest.mark.parametrize(
    "text,name",
    [
        ("agent: intake this is mara\ncaller: hi my name's journey pettigrew i was there last spring\n"
         "agent: welcome back journey i'm pulling your chart now\n", "journey"),
        ("caller: yeah it's haven dubrowski\nagent: sure haven date of birth\n", "haven"),
        ("caller: i'm sterling przybylski calling for myself\n"
         "agent: i'll text you the address now sterling we open at eight\n",
         "sterling"),
    ],
)
def test_a_word_given_name_introduced_with_its_surname_is_masked_again(redactor, text, name):
    assert _last_mention_masked(redactor, text, name)


@pytest.mark.parametrize(
    "text,phrase",
    [
        # the same word doing its word's job: after a determiner, "be", a subject; or a given name found alone
        ("caller: my name's journey pettigrew\ncaller: the journey up there took all day\n", "journey up there"),
        ("caller: it's haven dubrowski\ncaller: that house was never a safe haven for me\n", "safe haven for"),
        ("caller: i'm sterling przybylski\ncaller: his record was sterling till last year\n", "was sterling till"),
        ("caller: my name's stormy quennell\nagent: it's supposed to be stormy tomorrow so walk over\n",
         "be stormy tomorrow"),
        ("caller: this is hung tran\ncaller: and then he hung up on the nurse\n", "hung up on"),
        # no introduction: a name read off a list is not the evidence
        ("caller: female patient haven dubrowski\nagent: sure haven date of birth\n", "sure haven date"),
    ],
)
def test_a_word_given_name_as_its_word_stays(redactor, text, phrase):
    assert _readable(redactor, text, phrase)


def test_a_look_behind_at_a_window_s_edge_sees_the_word_it_cuts():
    """The windows before a name said again are searched in the whole text, not sliced out of it: a slice that starts
    inside "this" leaves "is", which read as a yes/no question's verb ("is gus wants ..."). Invented text; the wide
    gap is what puts the window's edge inside the word."""
    import re

    from cipher_pipeline.deid import ner

    name = re.compile(r"\b(gus)\b")
    text = "caller: and about this" + " " * 14 + "gus wants to come"
    m = name.search(text)
    assert text[m.start() - 16 : m.start()].startswith("is ")  # the old slice began inside "this"
    assert not ner._asked(text, m)
    asked = "caller: and about that. is gus wants to come"
    assert ner._asked(asked, name.search(asked))
