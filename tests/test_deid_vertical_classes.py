"""Vertical classes added in session 5 (issue 8): programs, plans and facilities in the shapes callers use when no
lexicon lists the name, each tested on invented names and phrasings (calls_dev is scored, never tested against),
with the ordinary phrases each class must leave alone. Also the raw-style projection of the evaluation."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import Redactor, vertical


def _as_call(text: str) -> str:
    """A test sentence as a transcript: its "\\n" marks as line breaks, ending in one."""
    text = text.replace("\\n", "\n")
    return text if text.endswith("\n") else text + "\n"


def _spans(redactor: Redactor, text: str) -> list[tuple[str, str]]:
    text = _as_call(text)
    return [(text[s.start : s.end], s.category) for s in redactor.redact(text).spans]


def _found(redactor: Redactor, text: str, phrase: str, category: str) -> bool:
    return any(phrase in got and cat == category for got, cat in _spans(redactor, text))


def _untouched(redactor: Redactor, text: str, word: str) -> bool:
    return not any(word in got for got, _ in _spans(redactor, text))


# ----------------------------------------------------------------- a bare treatment head after common words
@pytest.mark.parametrize(
    "text, name",
    [
        ("caller: he did two weeks somewhere\\nagent: where was that\\ncaller: silver birch detox over in the valley", "silver birch detox"),
        ("caller: my daughter was at the pines recovery for a while, she hated the program", "pines recovery"),
        ("caller: he needs help. the program said copper canyon recovery was cheaper", "copper canyon recovery"),
        ("caller: she did detox last spring then quail run rehab for a month", "quail run rehab"),
    ],
)
def test_a_lower_case_program_before_a_bare_treatment_head_is_a_competitor(redactor, text, name):
    assert _found(redactor, text, name, "COMPETITOR")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: she's in recovery now, long term recovery, like twelve step recovery, no program", "recovery"),
        ("caller: he needs medical detox, maybe inpatient alcohol detox first, then a program", "detox"),
        ("caller: they do medication assisted treatment and court ordered treatment in that program", "treatment"),
        ("caller: is this drug rehab or mental health rehab, he needs a program", "rehab"),
        ("caller: i'm in early recovery, my own recovery matters, i need a program", "recovery"),
        ("caller: he needs fentanyl detox and then residential treatment", "detox"),
        ("caller: her sister's recovery is going well since the program", "recovery"),
    ],
)
def test_kinds_of_treatment_stay(redactor, text, word):
    assert _untouched(redactor, text, word)


# ----------------------------------------------------------------- a name said again by its first words
@pytest.mark.parametrize(
    "text, again, category",
    [
        ("caller: he was at harbor light behavioral health last year\\nagent: how was harbor light for him", "harbor light", "PROVIDER"),
        ("caller: she has neighborhood health plan of rhode island through work\\nagent: ok, neighborhood health members need a referral", "neighborhood health", "INSURER"),
    ],
)
def test_a_name_said_again_by_its_first_words_is_the_same_one(redactor, text, again, category):
    found = _spans(redactor, text)
    assert sum(1 for got, cat in found if again in got and cat == category) == 2


def test_a_shortened_name_of_shared_words_is_not_said_again(redactor):
    text = "caller: he has community health choice insurance\\nagent: community health centers are different from us"
    assert not any("centers" in got or got == "community health" for got, _ in _spans(redactor, text)[1:])


# ----------------------------------------------------------------- a service after a treatment cue
@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: we called the crisis line twice, he needs treatment", "crisis"),
        ("caller: she was at the psych ward for a week, she needs treatment", "psych"),
    ],
)
def test_a_service_after_a_treatment_cue_is_no_program(redactor, text, word):
    assert _untouched(redactor, text, word)


# ----------------------------------------------------------------- the center's own names
@pytest.mark.parametrize(
    "text",
    [
        "caller: harborview recovery was cheaper than the other detox program",
        "caller: we looked at harborview recovery center for his treatment",
        "caller: is harbor view recovery center in network, i need treatment",
    ],
)
def test_the_centers_own_name_is_never_a_competitor(redactor, text):
    assert not any("harbor" in got.lower() for got, _ in _spans(redactor, text))


# ================================================================= session 8 (vert8): state agencies, membership
# bodies and local services, carriers of more regions; invented names throughout
def _recognized(redactor: Redactor, text: str, phrase: str, recognizer: str) -> bool:
    text = _as_call(text)
    return any(phrase in text[s.start : s.end] and s.recognizer == recognizer for s in redactor.redact(text).spans)


def _covered(redactor: Redactor, text: str, phrase: str) -> bool:
    """Every character of ``phrase`` lies inside some span (whatever found it)."""
    text = _as_call(text)
    at = text.index(phrase)
    spans = redactor.redact(text).spans
    return all(any(s.start <= i < s.end for s in spans) for i in range(at, at + len(phrase)) if not text[i].isspace())


@pytest.mark.parametrize(
    "text, agency",
    [
        ("caller: hi this is carl with kansas probation and parole, i have a client", "kansas probation and parole"),
        ("caller: the caseworker from the georgia department of human services told us to call", "georgia department of human services"),
        ("caller: he works for the nebraska department of correctional services as a guard", "nebraska department of correctional services"),
        ("caller: oregon state police picked him up on the interstate", "oregon state police"),
        ("caller: she's got an open case with alabama dhr, no wait, alabama dhs", "alabama dhs"),
        ("caller: he's been locked up with the iowa d o c since he was twenty", "iowa d o c"),
    ],
)
def test_a_state_agency_said_with_its_state_is_a_facility(redactor, text, agency):
    assert _recognized(redactor, text, agency, "state_agency")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: he's on probation in texas and the state says he needs treatment", "probation"),
        ("caller: the department of corrections said he needs a program", "corrections"),
        ("caller: we moved from ohio to florida, the state police never called back", "police"),
    ],
)
def test_an_agency_without_its_state_stays(redactor, text, word):
    assert not _recognized(redactor, text, word, "state_agency")


@pytest.mark.parametrize(
    "text, org",
    [
        ("caller: We get insurance through the Cattlemen's Bureau, it's a group plan.", "Cattlemen's Bureau"),
        ("caller: I'm the peer coordinator at Dakota Pharmacists Association and he's a member.", "Dakota Pharmacists Association"),
        ("caller: he's in the pipefitters union, local 417, no, boilermakers local 417", "boilermakers local 417"),
        ("caller: my dad drinks at the american legion post 221 every night", "legion post 221"),
        ("caller: she volunteers with the tallapoosa fire department on weekends", "tallapoosa fire department"),
        ("caller: The Okanogan Sheriff's Office picked him up last week.", "Okanogan Sheriff's Office"),
    ],
)
def test_a_named_membership_body_or_local_service_is_a_facility(redactor, text, org):
    assert _covered(redactor, text, org)
    assert _recognized(redactor, text, org.split()[-1], "organisation_name")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: We looked you up on the Better Business Bureau and it was fine.", "Bureau"),
        ("caller: The American Medical Association says addiction is a disease, right?", "Association"),
        ("caller: our homeowners association won't let us park the truck there", "association"),
        ("caller: the fire department came when he overdosed", "department"),
        ("caller: it's in the national association of something, I don't know", "association"),
    ],
)
def test_a_generic_or_national_body_stays(redactor, text, word):
    assert not _recognized(redactor, text, word, "organisation_name")


@pytest.mark.parametrize(
    "text, carrier",
    [
        ("caller: we've got medica through my husband's job", "medica"),
        ("caller: he has vaya health for his medicaid", "vaya health"),
        ("caller: he's got peia because he works for the county schools", "peia"),
        ("caller: we're on medi-share, will that cover anything", "medi-share"),
        ("caller: his coverage is through the indian health service at the clinic", "indian health service"),
        ("caller: the kids have chip, it's called mississippi can i think, no, mississippican", "mississippican"),
        ("caller: she has tricare young adult through her dad", "tricare young adult"),
        ("caller: he's on the empire plan because he was a state worker", "empire plan"),
    ],
)
def test_carriers_of_more_regions_are_insurers(redactor, text, carrier):
    assert _found(redactor, text, carrier, "INSURER")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: there's a horizon of about a week before he can come", "horizon"),
        ("caller: we want healthy kids and a calm house again", "healthy"),
    ],
)
def test_ordinary_words_of_new_carrier_names_need_an_insurance_cue(redactor, text, word):
    assert _untouched(redactor, text, word)


@pytest.mark.parametrize(
    "text, again",
    [
        ("caller: he was at fresno crest hospital for a week\\nagent: and how was fresno crest for him", "fresno crest"),
        ("caller: she has kern harvest health plan\\nagent: does kern harvest need a referral", "kern harvest"),
    ],
)
def test_a_name_said_again_whose_first_word_is_a_place_or_a_name_is_the_same_name(redactor, text, again):
    assert sum(1 for got, _ in _spans(redactor, text) if got == again) == 1
    assert _recognized(redactor, text, again, "name_said_again")


@pytest.mark.parametrize(
    "text, carrier",
    [
        ("caller: we have capital blue cross and blue shield through his job", "capital blue cross and blue shield"),
        ("caller: the company has aetna open access plus, i think", "aetna open access plus"),
        ("caller: it's blue shield access plus, the state one", "blue shield access plus"),
        ("caller: she's on humana silver from the marketplace", "humana silver"),
    ],
)
def test_a_carriers_name_runs_on_over_its_full_name_and_product(redactor, text, carrier):
    assert _found(redactor, text, carrier, "INSURER")


@pytest.mark.parametrize(
    "text, program",
    [
        ("caller: cedar hollow house said no bed till friday, he needs detox now", "cedar hollow house"),
        ("caller: The counselor said Bright Water House is full, so he needs a treatment program", "Bright Water House"),
        ("caller: he liked quillsby house more than any rehab, honestly", "quillsby house"),
        ("caller: una vez en casa de esperanza, en el valle. he needs treatment again", "casa de esperanza"),
        ("caller: she says hogar nueva vida helped her, it was a christian rehab", "hogar nueva vida"),
    ],
)
def test_a_program_named_house_or_in_spanish_is_a_competitor(redactor, text, program):
    assert _recognized(redactor, text, program, "program_house")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: he's staying at his mom's house, he needs treatment", "house"),
        ("caller: they found him in the trap house, he needs detox", "house"),
        ("caller: she lives in a big white house and she needs rehab", "house"),
        ("caller: she's at mi casa right now, she needs detox", "casa"),
        ("caller: the house was quiet after he left for rehab", "house"),
        ("caller: we sold the lake house last year, he needs treatment", "house"),
    ],
)
def test_a_house_that_is_a_home_stays(redactor, text, word):
    assert not any(s.recognizer == "program_house" for s in redactor.redact(text + "\n").spans)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: does my plan cover detox, he needs treatment", "cover"),
        ("caller: they offer detox there? he needs a program", "offer"),
        ("caller: he wants rehab, real rehab, a program", "wants"),
        ("caller: i know they cover rehab, he needs a program", "cover"),
    ],
)
def test_a_verb_before_a_treatment_word_is_no_programs_name(redactor, text, word):
    assert _untouched(redactor, text, word)


# ================================================================= session 9 (vert9): the payer slot, an institution
# named for a found place or name, and the territories' and states' programs. Invented calls; the ordinary phrases
# each class must leave alone beside them.
@pytest.mark.parametrize(
    "text, payer",
    [
        # a program callers say as an everyday word, after the agent's insurance question
        ("agent: does your son have insurance?\\ncaller: he has summit. summit care. i have the card here", "summit"),
        ("agent: ok. and insurance\\ncaller: i have the meadowlark, i think. or it was before", "meadowlark"),
        ("agent: what kind of coverage does she have\\ncaller: she signed up for horizon... the state one", "horizon"),
        ("agent: is he insured\\ncaller: um we had lakeside care back home. here he has nothing yet", "lakeside care"),
        ("agent: insurance?\\ncaller: tiene compass. con compass, el numero es largo", "compass"),
        ("agent: and insurance\\ncaller: yeah it's harvest health, with um prairie care for the dental", "prairie care"),
        # a name no dictionary knows, said alone as a sentence of the answer
        ("agent: who is his insurance with\\ncaller: um. kelvora. kelvora health i mean", "kelvora"),
    ],
)
def test_the_payer_named_in_the_answer_to_the_insurance_question(redactor, text, payer):
    assert _found(redactor, text, payer, "INSURER")


@pytest.mark.parametrize(
    "text, word",
    [
        ("agent: does she have insurance?\\ncaller: no. she lost it when she got fired. i have the card but it's expired", "fired"),
        ("agent: does she have insurance?\\ncaller: no. she lost it when she got fired. i have the card but it's expired", "expired"),
        ("agent: who's the insurance through\\ncaller: through the depot. it's through my husband's job", "depot"),
        ("agent: is he insured?\\ncaller: he has anxiety really bad. and he has a lawyer", "anxiety"),
        ("agent: any insurance?\\ncaller: i have no idea. we have a policy somewhere", "idea"),
        ("agent: any insurance?\\ncaller: he's on methadone, he has suboxone too", "suboxone"),
        ("agent: any insurance?\\ncaller: can you call me back. not today. thursday", "thursday"),
        ("agent: any insurance?\\ncaller: tiene plan de salud. no se cual", "salud"),
        # no insurance question: the same frames say what someone has
        ("agent: how is he doing\\ncaller: he has summit. summit is his dog", "summit"),
    ],
)
def test_an_answer_that_names_no_payer_stays(redactor, text, word):
    assert not any(word in text_ and s.recognizer == "payer_slot"
                   for s in redactor.redact(_as_call(text)).spans
                   for text_ in [_as_call(text)[s.start : s.end]])


@pytest.mark.parametrize(
    "text, institution",
    [
        ("caller: her cardiologist is at visalia heart. she goes monthly", "visalia heart"),
        ("caller: my sister is at chico state. she can take the truck", "chico state"),
        ("caller: his doctor's at redding summit. i'll ask", "redding summit"),
        ("caller: she packs for salinas growers and they test", "salinas growers"),
    ],
)
def test_a_found_place_one_word_short_of_an_institution(redactor, text, institution):
    assert _covered(redactor, text, institution)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: we were at tucson yesterday and he used again", "yesterday"),
        ("caller: i'm calling for dale today, he needs detox", "today"),
        ("caller: he's at phoenix now. he needs a bed", "now"),
        ("caller: she stays at mesa mostly, with her aunt", "mostly"),
        ("caller: he moved for denver hoping to stay clean", "hoping"),
        ("caller: she lives at flagstaff proper, near campus", "proper"),
    ],
)
def test_a_place_said_with_a_time_or_an_adverb_is_no_institution(redactor, text, word):
    assert _untouched(redactor, text, word)


@pytest.mark.parametrize(
    "text, payer",
    [
        ("caller: she's on denali kidcare since the baby", "denali kidcare"),
        ("caller: the kids have the chip and i have iowa health link", "iowa health link"),
        ("caller: he had equalitycare in wyoming but moved", "equalitycare"),
        ("caller: allá tenía plan de salud del gobierno, triple s salud", "triple s salud"),
        ("caller: his card says mmm healthcare, it's medicare", "mmm healthcare"),
        ("caller: the insurance is la reforma, through the state", "la reforma"),
    ],
)
def test_state_and_territory_programs_are_insurers(redactor, text, payer):
    assert _found(redactor, text, payer, "INSURER")


def test_la_reforma_without_an_insurance_cue_is_ordinary_spanish(redactor):
    assert _untouched(redactor, "caller: la reforma de la casa took all summer", "reforma")


@pytest.mark.parametrize(
    "text, program",
    [
        ("caller: he needs treatment. the judge liked yellowstone serenity center for him", "yellowstone serenity center"),
        ("caller: he needs treatment. the judge mentioned lompoc serenity center", "lompoc serenity center"),
        ("caller: he needs rehab. someone said cody healing was good", "cody healing"),
    ],
)
def test_a_found_place_or_name_before_a_programs_head_is_the_program(redactor, text, program):
    assert _found(redactor, text, program, "COMPETITOR")


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: he lives in phoenix. in phoenix recovery is hard, he needs treatment", "recovery"),
        ("caller: he's in tucson inpatient rehab right now, he needs a step down", "rehab"),
        ("caller: we drove to denver. denver is where she relapsed and needs detox", "detox"),
        ("agent: we can admit him to our tulsa detox tonight, he needs treatment", "detox"),
    ],
)
def test_a_place_before_an_ordinary_treatment_word_is_no_program(redactor, text, word):
    assert not any(s.recognizer == "program_after_place" for s in redactor.redact(_as_call(text)).spans)


@pytest.mark.parametrize(
    "text, institution",
    [
        ("agent: where does your wife work\\ncaller: at laredo valley shipping in town. she's a clerk", "laredo valley shipping"),
    ],
)
def test_a_trade_named_by_its_gerund_after_a_found_place(redactor, text, institution):
    assert _covered(redactor, text, institution)


@pytest.mark.parametrize(
    "text, employer",
    [
        ("caller: He works on a frac crew for Coyote Creek Pumping out of Sidney, and he wants to keep his job", "Coyote Creek Pumping"),
        ("caller: she's on a cleaning crew for marisol hospitality in town", "marisol hospitality"),
        ("caller: i clean rooms at the cypress dunes inn in biloxi. i haven't been back", "cypress dunes inn"),
    ],
)
def test_a_job_said_by_its_crew_or_by_cleaning_names_the_employer(redactor, text, employer):
    assert _covered(redactor, text, employer)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: we waited on a crew for the roof, it took weeks. he needs detox", "roof"),
        ("caller: i cleaned up for court. the shift at work was long", "court"),
    ],
)
def test_a_crew_or_a_cleaning_that_names_no_employer_stays(redactor, text, word):
    assert _untouched(redactor, text, word)


def test_a_chart_note_gets_no_institution_from_call_talk(redactor):
    note = "NEURO: A&O X3. HR 88 SR, BP 122/70. RESP: LS CLEAR. PT RESTING AT AL TIMES, ASKING FOR COLA DRINKS. PLAN: MONITOR.\n"
    assert not any(
        s.recognizer in ("institution_after_place", "program_after_place") for s in redactor.redact(note).spans
    )


# ================================================================= session 10 (vert10): a military unit, a name's
# leading state, more heads of small employers, the VA as no payer's name. Invented calls; the ordinary phrases each
# class must leave alone beside them.
@pytest.mark.parametrize(
    "text, unit",
    [
        ("caller: My son is a sergeant at Fort Carson. He's with 2nd Battalion, 12th Infantry, and he drinks alone.", "2nd Battalion, 12th Infantry"),
        ("caller: my wife is active duty, she's eighty second airborne. she's been using since the deployment", "eighty second airborne"),
        ("caller: he's a lance corporal. he's with three slash seven, out of twentynine palms", "three slash seven"),
        ("caller: he's a corporal with third battalion fifth marines and he came home different", "third battalion fifth marines"),
        ("caller: his platoon sergeant in the 1st armored division called me", "1st armored division"),
        ("caller: he's at fort drum. he's tenth mountain, he deployed twice", "tenth mountain"),
    ],
)
def test_a_military_unit_by_its_ordinal_and_head_is_a_facility(redactor, text, unit):
    call = _as_call(text)
    assert unit in [call[s.start : s.end] for s in vertical.military_unit_spans(call, True, lambda _: False)]
    assert _covered(redactor, text, unit)


@pytest.mark.parametrize(
    "text, word",
    [
        # the same words with no talk of the service
        ("caller: his team finished second division in the league, and he started drinking after", "division"),
        ("caller: it was the tenth mountain we climbed that summer. he needs detox", "mountain"),
        ("caller: he was in the first battalion of kids to get there. then the fights started", "battalion"),
        ("caller: my son plays first base. his coach says he's using", "base"),
    ],
)
def test_ordinals_and_unit_words_without_the_service_stay(redactor, text, word):
    assert not vertical.military_unit_spans(_as_call(text), True, lambda _: False)
    assert _untouched(redactor, text, word)


@pytest.mark.parametrize(
    "text, name",
    [
        # a program, a crisis line or an employer named for its state: the state is the name's first word
        ("caller: Two tries. Nebraska Prairie Recovery once, and a detox in Kearney.", "Nebraska Prairie Recovery"),
        ("agent: any treatment before\ncaller: um colorado high country recovery, then nothing", "colorado high country recovery"),
        ("caller: Hi, this is Dana with Idaho Carelink. I have a caller on the line who wants treatment.", "Idaho Carelink"),
    ],
)
def test_a_name_that_begins_with_its_state_keeps_the_state(redactor, text, name):
    assert _covered(redactor, text, name)


@pytest.mark.parametrize(
    "text, state",
    [
        # the state says where: after "in", "from", "near", a move or a residence
        ("caller: he's in nebraska prairie recovery was full so we waited", "nebraska"),
        ("caller: my cousin from Idaho Carelink called me, the one who works there", "Oregon"),
        ("caller: we moved to montana big sky recovery is close now", "montana"),
    ],
)
def test_a_state_that_says_where_stays_beside_the_name(redactor, text, state):
    assert _untouched(redactor, text, state)


@pytest.mark.parametrize(
    "text, word",
    [
        ("agent: insurance\\ncaller: i got the va. and he has medicaid too i think", "va"),
        ("agent: does he have coverage\\ncaller: he has the va. the va in boise", "va"),
    ],
)
def test_the_va_said_as_the_answer_to_the_insurance_question_is_no_payers_name(redactor, text, word):
    call = _as_call(text)
    assert not any(call[s.start : s.end].lower() == word and s.recognizer == "payer_slot" for s in redactor.redact(call).spans)


@pytest.mark.parametrize(
    "text, program",
    [
        # the heads public and tribal programs are named by
        ("agent: You'd need medical detox first. There's Kenai River Withdrawal Center, or our own campus.", "Kenai River Withdrawal Center"),
        ("caller: she did outpatient with the ozark hills substance abuse council, it was ok", "ozark hills substance abuse council"),
        ("caller: he's been to red canyon healing lodge twice. no luck", "red canyon healing lodge"),
        # a found place before a program's head, said after the stay it was: no other talk of treatment needed
        ("caller: his birthday is may fifth. he's been to silver lake healing in reno but he hated it", "silver lake healing"),
    ],
)
def test_a_public_or_tribal_programs_head_names_the_program(redactor, text, program):
    assert _covered(redactor, text, program)


@pytest.mark.parametrize(
    "text, word",
    [
        ("caller: his healing has been slow. the emotional healing takes time", "healing"),
        ("caller: the county substance abuse council paid for his ticket", "council"),
        # a sentence's contraction is no part of the program's name
        ("agent: Then you'd need detox first. There's Kenai River Withdrawal Center in town.", "There's"),
    ],
)
def test_a_programs_head_said_as_a_word_stays(redactor, text, word):
    assert _untouched(redactor, text, word)


@pytest.mark.parametrize(
    "text, plan",
    [
        # public employees' plans: a state's trust fund or benefits board, the federal employees' plans
        ("agent: what insurance\\ncaller: Kaiser, through PEBB. my wife teaches in Olympia", "PEBB"),
        ("agent: insurance?\\ncaller: she has calpers. pers choice i think", "pers choice"),
        ("agent: and coverage\\ncaller: he's a mail carrier, so it's the nalc health benefit plan", "nalc health benefit plan"),
        # a carrier's product said in two words after it
        ("agent: insurance\\ncaller: through my job. cigna. cigna open access plus. the card is in my car", "cigna open access plus"),
        ("agent: insurance\\ncaller: through the school. united. united healthcare choice plus. i have the card", "united healthcare choice plus"),
    ],
)
def test_public_employees_plans_and_two_word_products_are_insurers(redactor, text, plan):
    assert _covered(redactor, text, plan)


def test_a_chart_note_gets_no_military_unit(redactor):
    note = "RESP: LS CLEAR. PT IS ARMY VETERAN, 2ND DEGREE BURN HEALING WELL. COVERAGE: VANCO.\nPLAN: CONT ABX FOR COVERAGE.\n"
    assert not vertical.military_unit_spans(note, False, lambda _: False)
    assert not any(s.recognizer == "military_unit" for s in redactor.redact(note).spans)
