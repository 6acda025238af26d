"""The rules layer, recognizer by recognizer (``cipher_pipeline/deid/rules.py``): what each finds, under its own name,
and what it leaves. Every input is invented for this file or for the test it was moved from (none is copied from a
corpus); the cases the layer's chart register decides are in tests/test_deid_chart.py."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import rules
from cipher_pipeline.deid.spans import Span


def _covered(text: str, spans: list[Span], phrase: str) -> bool:
    start = text.index(phrase)
    end = start + len(phrase)
    return all(any(s.start <= i < s.end for s in spans) for i in range(start, end) if not text[i].isspace())


def _touched(text: str, spans: list[Span], phrase: str) -> bool:
    start = text.index(phrase)
    end = start + len(phrase)
    return any(s.start < end and start < s.end for s in spans)


def _by(text: str, recognizer: str, category: str | None = None) -> list[Span]:
    return [s for s in rules.find(text) if s.recognizer == recognizer and (category is None or s.category == category)]


# ------------------------------------------------------------------------------------------------ the chain
def test_every_recognizer_has_a_unique_name_a_category_and_its_own_spans() -> None:
    names = [r.name for r in rules.RECOGNIZERS]
    assert len(names) == len(set(names)) and all(names)
    for recognizer in rules.RECOGNIZERS:
        assert recognizer.category or getattr(recognizer, "categories", ())
    text = "caller: call me at 480-555-0178, my email is jo.kemp@example.org, born March 3rd, she's 94 years old"
    spans = rules.find(text)
    assert spans and all(s.layer == "rules" and s.recognizer in names for s in spans)


def test_a_recognizer_runs_on_its_own() -> None:
    text = "caller: send it to 4471 Birchwood Ln. or email jo.kemp@example.org"
    assert {text[s.start : s.end] for s in rules.EmailRecognizer().find(text)} == {"jo.kemp@example.org"}
    assert [s.category for s in rules.StreetAddress().find(text)] == ["LOCATION"]


# ------------------------------------------------------------------------------------------------ email
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: it's dwayne.okafor@example.net", "dwayne.okafor@example.net"),
        ("caller: write to rkemp eighty one at yahoo dot com", "rkemp eighty one at yahoo dot com"),
        ("send it to kb71 @ yahoo.com today", "kb71 @ yahoo.com"),
        ("it's tkemp @ gmail dot com", "tkemp @ gmail dot com"),
        ("caller: it's begay chase at aol.com", "begay chase at aol.com"),  # a local part speech recognition split
    ],
)
def test_email(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "email"), phrase)


@pytest.mark.parametrize(
    "text", ["dopa @ 0600. Pt calm", "hep @ 11.5u/kg", "caller: it's at gofundme dot com", "caller: look at yahoo for it"]
)
def test_email_leaves_an_at_sign_in_a_chart_and_web_addresses(text: str) -> None:
    assert not any(s.category == "EMAIL" for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ phone pieces
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Caller: It's area code 602, and then 555-0171.", "602"),
        ("Caller: His cell number ends in 0163.", "0163"),
        ("Caller: The last four of my phone are 0190.", "0190"),
        ("caller: her line ending in 4417, i think", "4417"),
    ],
)
def test_phone_pieces_said_apart(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "phone_piece", "PHONE"), phrase)


@pytest.mark.parametrize("text", ["Caller: The session ends in 2026.", "Caller: It ended in 1999 for him.",
                                  "caller: the rate was 600 x 14"])
def test_years_after_ends_in_and_rates_stay(text: str) -> None:
    assert not any(s.category == "PHONE" for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ url
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: they're at https://quailrun.example/intake", "https://quailrun.example/intake"),
        ("caller: go to w w w dot pinegrove dot org", "w w w dot pinegrove dot org"),
        ("caller: it's sunridge recovery dot com slash insurance", "sunridge recovery dot com slash insurance"),
        ("caller: check kempfamily.net for pictures", "kempfamily.net"),
    ],
)
def test_url(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "url", "URL"), phrase)


def test_url_leaves_its_lead_words_and_sentence_joins() -> None:
    text = "caller: visit pinegrove.org for it"
    assert [text[s.start : s.end] for s in _by(text, "url")] == ["pinegrove.org"]
    assert _by("caller: i said it.co and left", "url") == []


# ------------------------------------------------------------------------------------------------ social handles
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: her insta is @lena_q04", "@lena_q04"),
        ("caller: he goes by marko_v91 online", "marko_v91"),
        ("caller: it's tam underscore j seventy two", "tam underscore j seventy two"),
    ],
)
def test_social_handle(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "social_handle", "OTHER_ID"), phrase)


# ------------------------------------------------------------------------------------------------ IP
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("my ip is 1 0 dot 0 dot 0 dot 2 5", "1 0 dot 0 dot 0 dot 2 5"),
        ("it said one seventy two dot sixteen dot oh dot nine", "one seventy two dot sixteen dot oh dot nine"),
        ("the router is 10 point 1 point 1 point 254", "10 point 1 point 1 point 254"),
        ("the login came from 203.0.113.77", "203.0.113.77"),
        ("and fe80::1ff:fe23:4567:890a too", "fe80::1ff:fe23:4567:890a"),
    ],
)
def test_ip_address(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "ip_address", "IP"), phrase)


def test_ip_address_leaves_a_version_number() -> None:
    assert not any(s.category == "IP" for s in rules.find("caller: the app is on version 2.4.1 now"))


# ------------------------------------------------------------------------------------------------ SSN, vehicle, codes
def test_ssn_written() -> None:
    text = "caller: my social is 412-68-3307"
    assert _covered(text, _by(text, "ssn", "SSN"), "412-68-3307")
    assert _by("caller: it was 000-12-3456 on the form", "ssn") == []  # no SSN starts with 000


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("plate number is 5KRT902", "5KRT902"),
        ("caller: the vin is 1HGCM82633A004352", "1HGCM82633A004352"),
        ("caller: his plate is 8XQL417", "8XQL417"),
    ],
)
def test_vehicle(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "vehicle", "VEHICLE"), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("his member number is QX77310K", "QX77310K"),
        ("caller: the card says 1EG4-TE5-MK72", "1EG4-TE5-MK72"),
        ("caller: the code on the letter is KR55TW91", "KR55TW91"),
    ],
)
def test_mixed_code(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "mixed_code", "OTHER_ID") + _by(text, "number_run"), phrase)
    assert _by(text, "mixed_code")


@pytest.mark.parametrize("text", ["caller: since covid19 he stays in", "caller: he takes b12 shots",
                                  "started heparin at 18units/kg/hr and gave 20meq kcl"])
def test_codes_leave_words_with_a_number_and_doses(text: str) -> None:
    assert not any(s.category in ("OTHER_ID", "VEHICLE") for s in rules.find(text))


def test_iban_and_payment_card() -> None:
    text = "caller: the iban is GB29 NWBK 6016 1331 9268 19 and the card 4111 1111 1111 1111"
    assert _covered(text, _by(text, "iban", "ACCOUNT"), "GB29 NWBK 6016 1331 9268 19")
    assert _covered(text, _by(text, "payment_card", "ACCOUNT"), "4111 1111 1111 1111")
    assert _by("caller: we had AB12 CDEF GHIJ 12 of them", "iban") == []  # no six digits in a row: no account


def test_driver_license() -> None:
    text = "caller: his driver's license is D4471029"
    assert _covered(text, _by(text, "driver_license", "LICENSE"), "D4471029")


# Chart and call shorthand the identifier shapes used to take: doses and volumes with a unit, a sentence that runs
# past a full stop into an address shape, English between "via" and a number.
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("started heparin at 18units/kg/hr and gave 20meq kcl", "20meq"),
        ("dopamine 7mcg/kg/min, then 250cc bolus", "7mcg"),
        ("drain put out 45-90cc overnight", "45-90cc"),
        ("Fluids: 2500cc in, 1800cc out.", "2500cc"),
        ("Gave 3 doses. Pt tolerated well.", "3 doses. Pt"),
        ("Fed via PEG with 400 of formula", "via PEG with 400"),
    ],
)
def test_rules_leave_clinical_quantities_and_sentences(text: str, phrase: str) -> None:
    assert not _touched(text, rules.find(text), phrase)


# ------------------------------------------------------------------------------------------------ number runs
@pytest.mark.parametrize(
    "text, phrase, category",
    [
        ("my cell is 480 555 0178", "480 555 0178", "PHONE"),
        ("call 480-555-0178 x 23 after five", "480-555-0178", "PHONE"),  # "x 23": the extension its own span (fp21)
        ("caller: fax it to six oh two, five five five, oh one four four", "six oh two, five five five, oh one four four", "FAX"),
        ("agent: the member id?\ncaller: it's XWB-448,172,093", "XWB-448,172,093", "HEALTH_PLAN"),
        ("caller: the last four of her social are 7731", "7731", "SSN"),
        ("caller: zip code's 6 0 6 1 4", "6 0 6 1 4", "ZIP"),
    ],
)
def test_number_runs_by_shape_and_context(text: str, phrase: str, category: str) -> None:
    assert _covered(text, _by(text, "number_run", category), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Chem: 141 3.8 104 26 15 0.9 98 this am", "141 3.8 104 26 15 0.9 98"),
        ("Vent AC 550 x 16, peep 5", "16"),
        ("drained 1500 ml since noon", "1500"),
        ("caller: it cost us 12,500 dollars", "12,500"),
        ("caller: she started drinking in 2009", "2009"),
        ("caller: the cpt code was 90837", "90837"),
    ],
)
def test_number_runs_leave_results_amounts_years_and_billing_codes(text: str, phrase: str) -> None:
    assert not _touched(text, rules.find(text), phrase)


# ------------------------------------------------------------------------------------------------ spoken codes
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: the docket number is thirty one dash f dash two two eight", "thirty one dash f dash two two eight"),
        ("caller: my member id is m as in mary 7 7 0 4 1 9", "m as in mary 7 7 0 4 1 9"),
        ("caller: the claim number is nine, R B R, four two eight", "nine, R B R, four two eight"),
    ],
)
def test_read_out_codes_with_spoken_dashes_and_phonetic_letters(text: str, phrase: str) -> None:
    assert _covered(text, rules.find(text), phrase)
    assert _by(text, "spoken_code") or _by(text, "number_run")


def test_a_list_of_counts_is_no_code() -> None:
    text = "caller: he drinks twenty, thirty beers, maybe forty on weekends"
    assert rules.find(text) == []


def test_a_spoken_year_before_the_pronoun_i_is_no_code() -> None:
    text = "caller: she was there back in twenty twenty-four. I think the member id was on the card"
    assert not any(s.category not in ("DATE",) for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ addresses
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("they live at 4471 Birchwood Ln. in town", "4471 Birchwood Ln"),
        ("caller: it's four twelve elm street apt 3", "four twelve elm street apt 3"),
        ("mail goes to Via dei Tigli 18", "Via dei Tigli 18"),
        ("it's 77 Pt Lobos Rd", "77 Pt Lobos Rd"),
        ("send it to 9 Via Veneto, thanks", "9 Via Veneto"),
        ("write to Rúa do Souto 12 now", "Rúa do Souto 12"),
        ("it is 88 Avda. Cervantes 4 Apt. 21", "Avda. Cervantes 4"),
    ],
)
def test_street_address(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "street_address", "LOCATION"), phrase)


# a unit said on its own, after a continental address or apart from its street (session 15 moved "apt 4B" here from
# street_address and widened it: tests/test_deid_rules15.py)
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("mail to 0412 Ostrava 77 apt. 512 please", "apt. 512"),
        ("it was Via dei Tigli 18, apt. 4 then", "apt. 4"),
        ("send it to 412 ul. Lipowa 9 Apt. 7 soon", "Apt. 7"),
        ("caller: he's in room 514 on the third floor", "room 514"),
        ("caller: the willows, unit two oh four", "unit two oh four"),
    ],
)
def test_unit(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "unit", "LOCATION"), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("gave 1 unit ffp and 5 mg per dr, then 2 via ngt", "5 mg per dr"),
        ("then 2 via ngt", "2 via ngt"),
        ("caller: back in 2024 and now he takes way more", "2024 and now he takes"),
    ],
)
def test_street_address_leaves_doses_sentences_and_routes(text: str, phrase: str) -> None:
    assert not _touched(text, rules.find(text), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: send it to p.o. box 4471", "p.o. box 4471"),
        ("caller: it goes to PSC 6120, Box 3381", "PSC 6120, Box 3381"),
        ("caller: the address is APO AE 09012", "APO AE"),
    ],
)
def test_post_box(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "post_box", "LOCATION"), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she stays off Lakeshore and Jefferson", "Lakeshore and Jefferson"),
        ("caller: at the corner of Fifth and Main", "corner of Fifth and Main"),
        ("caller: he's off birchwood and tanager, by the school", "birchwood and tanager"),
    ],
)
def test_intersection(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "intersection", "LOCATION"), phrase)


@pytest.mark.parametrize(
    "text", ["caller: he's off probation and off meds", "caller: she's on gabapenton and trazadone now"]
)
def test_intersection_leaves_states_of_being_and_drugs(text: str) -> None:
    assert _by(text, "intersection") == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: we're in Tucson, AZ 85719", "85719"),
        ("caller: the zip is $7,704", "$7,704"),
        ("caller: postal code is 30,303", "30,303"),
    ],
)
def test_zip(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "zip", "ZIP"), phrase)


@pytest.mark.parametrize("text", ["caller: the zip is on the card somewhere", "caller: OK 10000 dollars then"])
def test_zip_leaves_words_and_amounts(text: str) -> None:
    assert not any(s.category == "ZIP" for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    "text, phrase, recognizer",
    [
        ("caller: he was born October 3rd", "October 3rd", "month_day"),
        ("caller: it was monday, the ninth of june", "the ninth of june", "month_day"),
        ("caller: we came back on March for 2000", "March for", "month_day"),
        ("right after mardi gras", "mardi gras", "holiday"),
        ("the weekend after april fools", "april fools", "holiday"),
        ("caller: since christmas eve", "christmas eve", "holiday"),
        ("nació el veinte de octubre de mil novecientos ochenta", "veinte de octubre de mil novecientos ochenta", "spanish_date"),
        ("llegó el 2 de enero", "2 de enero", "spanish_date"),
        ("caller: she was inpatient from the fourth to the twentieth", "the fourth to the twentieth", "day_of_month"),
        ("caller: the plan changes as of the first", "the first", "day_of_month"),
        ("caller: his court date is on the 14th", "the 14th", "day_of_month"),
        ("caller: he got out back in like august", "august", "month_name"),
        ("caller: since may, she's been clean", "may", "month_name"),
        ("caller: DOB 7/14/1988", "7/14", "numeric_date"),
        ("caller: admitted 2019-06-02 and out", "06-02", "numeric_date"),
        ("s/p MI 12/83, stable", "12/83", "numeric_date"),
    ],
)
def test_dates(text: str, phrase: str, recognizer: str) -> None:
    assert _covered(text, _by(text, recognizer, "DATE"), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: his grandma still lives over in the eighth ward",
        "caller: she votes in the twelfth district",
        "caller: they took him to the 4th precinct",
        "caller: she grew up from the third to the fifth ward, moving around",
        "caller: the bar is on the Sixth Avenue side",
    ],
)
def test_an_ordinal_before_a_place_noun_is_no_day(text: str) -> None:
    assert not any(s.recognizer == "day_of_month" for s in rules.find(text))


@pytest.mark.parametrize(
    "text, phrase",
    [("caller: we moved him on the eleventh, ward staff knew", "the eleventh"), ("caller: see you on the 9th", "the 9th")],
)
def test_a_day_before_other_words_stays_a_day(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "day_of_month", "DATE"), phrase)


def test_a_date_keeps_its_year_and_takes_its_time() -> None:
    text = "seen 2000-04-16 11:34 by the team; caller: 7/14/1988"
    found = {text[s.start : s.end]: s.recognizer for s in rules.find(text) if s.category == "DATE"}
    assert found.get("11:34") == "time_after_date"
    assert "1988" not in "".join(found)


@pytest.mark.parametrize(
    "text",
    ["caller: we may come by later", "caller: they march him down the hall", "caller: it was the first time",
     "caller: take half, 1/2 a tab", "caller: 3-4 times a week"],
)
def test_month_words_that_are_verbs_and_fractions_stay(text: str) -> None:
    assert not any(s.category == "DATE" for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ ages
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: my grandpa's ninety six", "ninety six"),
        ("caller: her mother is 97 and still driving", "97"),
        ("caller: she's in her nineties", "in her nineties"),
        ("caller: he turned a hundred and one", "a hundred and one"),
    ],
)
def test_age_over_89(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "age_over_89", "AGE"), phrase)


@pytest.mark.parametrize("text", ["caller: he is 45 years old", "caller: she is 92 percent sure",
                                  "caller: it's 95 dollars a week"])
def test_ages_under_90_and_amounts_stay(text: str) -> None:
    assert not any(s.category == "AGE" for s in rules.find(text))


# ------------------------------------------------------------------------------------------------ spelled letters
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: spell the last name?\ncaller: p as in paul, a, r, r, i, s, h", "p as in paul, a, r, r, i, s, h"),
        ("caller: it's h-o-l-t-z", "h-o-l-t-z"),
        ("caller: Dana Fox. F O X.", "Fox"),  # the word it spells, said just before
    ],
)
def test_spelled_letters(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "spelled_letters", "NAME"), phrase)


def test_programs_spelled_as_letters_stay() -> None:
    assert _by("caller: he's in the M.A.T. program", "spelled_letters") == []


# ------------------------------------------------------------------------------------------------ after the merge
def test_id_tails_and_echoes_name_their_step() -> None:
    text = "caller: member id 4 0 8 2 2 7, and then a 1 1 at the end"
    found = [Span(text.index("4 0 8"), text.index("4 0 8") + len("4 0 8 2 2 7"), "HEALTH_PLAN", "rules")]
    tails = rules.id_tails(text, found)
    assert [(text[s.start : s.end], s.recognizer) for s in tails] == [("1 1", "id_tail")]
    echo = "caller: j k d, 4 4 1 8\nagent: got it, jkd 4418"
    said = echo.index("j k d")
    echoes = rules.id_echoes(echo, [Span(said, said + len("j k d, 4 4 1 8"), "OTHER_ID", "rules")])
    assert [(echo[s.start : s.end], s.recognizer) for s in echoes] == [("jkd 4418", "id_echo")]  # not itself again


# ------------------------------------------------------------------------------------------------ session 7 (rules7)
# Four recall classes the red-team calls showed; every input is invented here.
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she relapsed right around fat tuesday", "fat tuesday"),
        ("Caller: We were up in Ogden for Pioneer Day.", "Pioneer Day"),
        ("caller: my grandma's birthday is lunar new year", "lunar new year"),
        ("Caller: He was born on Diwali, the year the plant closed.", "Diwali"),
        ("caller: after eid we can drive down", "eid"),
        ("caller: the week after eid al-adha", "eid al-adha"),
        ("caller: he was sober through ramadan", "ramadan"),
        ("Caller: She was born on the feast of Saint Anne.", "the feast of Saint Anne"),
        ("caller: it was our lady of lourdes day", "our lady of lourdes day"),
        ("caller: every st. joseph's day he drinks", "st. joseph's day"),
        ("Caller: since Patriots' Day weekend", "Patriots' Day"),
        ("caller: before passover and after holy thursday", "holy thursday"),
        ("caller: good friday he went missing", "good friday"),
        ("caller: on dia de los muertos", "dia de los muertos"),
    ],
)
def test_holidays_beyond_the_federal_list(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "holiday", "DATE"), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "caller: it was a good friday night, honestly",
        "caller: the kids found an easter egg in the yard",
        "caller: he said the easter bunny thing again",
        "Caller: My EID number is on the badge.",
        "caller: she said it was weird, his holiday plans",
        "caller: the seder plate and the tuesday group",
        "caller: she goes to the san marcos day program now",
    ],
)
def test_holiday_words_inside_ordinary_phrases_stay(text: str) -> None:
    assert not _by(text, "holiday")


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: my desk is 602 555 0148, extension two one four", "two one four"),
        ("caller: call 480-555-0119 ext. 3 0 7 after lunch", "3 0 7"),
        ("caller: it's six oh two, five five five, oh one four two, x twenty one", "twenty one"),
        ("caller: just ask the front desk for extension twelve", "twelve"),
        ("caller: his extension is four four one", "four four one"),
        ("Caller: Call 480-555-0133, extension 12.", "12"),
        ("caller: 719-555-0101, extension, three oh nine", "three oh nine"),
    ],
)
def test_phone_extension_written_or_said(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "phone_extension", "PHONE"), phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: the judge gave him an extension, two more weeks", "caller: we asked for an extension of ninety days",
     "caller: the rate was 600 x 14", "caller: plug it into the extension cord", "caller: she got hair extensions",
     "knee flexion and extension 90 degrees", "Neuro: A+Ox3. Ext: 1+ edema bilat, pulses palp. Resp: LS clear, sats 98% on 2L",
     "Neuro: A+Ox3, MAE. Ext: 2 small bruises L arm. Resp: LS clear, sats 98% on 2L NC. HR 88 SR, BP 120/70. Pt c/o pain"
     " 4/10, given morphine 2mg IV."],
)
def test_an_extension_of_time_is_no_phone(text: str) -> None:
    assert not _by(text, "phone_extension")


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: his plate is w, q, k, three, eight, one", "w, q, k, three, eight, one"),
        ("caller: it's the red civic, p d, x 4 9, m t", "p d, x 4 9, m t"),
        ("caller: the camper is registered in idaho. it's k r seven seven one b", "k r seven seven one b"),
        ("caller: tags are j m, five, five, two, z", "j m, five, five, two, z"),
    ],
)
def test_plate_read_letter_by_letter_after_a_vehicle_cue(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "spoken_plate", "VEHICLE"), phrase)


@pytest.mark.parametrize(
    "text",
    ["caller: his truck broke down on i 35 near exit 12", "caller: my car, a 2019 f 150, is paid off",
     "caller: the car hit him, bp was 120 80, hr 88", "caller: room b 2 1 4, no car needed",
     "caller: it's w q k three eight one"],
)
def test_codes_without_a_vehicle_cue_or_plate_shape_are_no_plate(text: str) -> None:
    assert not _by(text, "spoken_plate")


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: my email's dk@x.org. that's d, e, k, o, four, four.", "d, e, k, o, four, four"),
        ("caller: it's m, a, r, i, seven, one at yahoo dot com", "m, a, r, i, seven, one"),
        ("caller: e-mail, j o e y 2 2", "j o e y 2 2"),
    ],
)
def test_email_local_part_spelled_with_its_digits(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "spelled_email", "EMAIL"), phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [("caller: sure, email me, it's jdoe seven seven at yahoo dot com", "jdoe seven seven at yahoo dot com"),
     ("caller: it's m k nine one at gmail", "m k nine one at gmail")],
)
def test_email_with_spoken_digits_in_the_local_part(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "email", "EMAIL"), phrase)


@pytest.mark.parametrize(
    "text", ["caller: email me, a 1 2 steps thing", "caller: spell it, j o h n, two times", "caller: b 2 1 4 is his room",
             "converted after 300 j x 1, a-paced @ rate 70 x 2 b"]
)
def test_spelled_letters_and_digits_without_an_email_cue_are_no_email(text: str) -> None:
    assert not _by(text, "spelled_email")


# ------------------------------------------------------------------------------------------------ session 12 (clean12)
# Days of other calendars and the new years and feasts of a people or a territory, which the red-team calls of
# three corpora dated things by (cased and raw); every input is invented here.
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Caller: He left the week before Hmong New Year.", "Hmong New Year"),
        ("caller: we do the big dinner at persian new year", "persian new year"),
        ("Caller: Grandma's birthday falls on Ethiopian New Year.", "Ethiopian New Year"),
        ("caller: my uncle came back for songkran", "songkran"),
        ("Caller: The clinic closes for Liberation Day, so call after.", "Liberation Day"),
        ("caller: he was out at the beach on transfer day", "transfer day"),
        ("Caller: She hasn't had a drink since Carnival.", "Carnival"),
        ("caller: things got bad during carnival", "carnival"),
    ],
)
def test_new_years_and_territory_days_are_dates(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "holiday", "DATE"), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "Caller: His wife is Hmong and her family is big on holidays.",
        "caller: happy new year to you too",
        "Caller: The carnival came through town with the rides.",
        "caller: he worked a carnival one summer",
        "Caller: She booked a Carnival cruise for her sister.",
        "caller: after carnival rides he got sick",
        "Caller: He reads a lot about the Liberation of Paris.",
    ],
)
def test_a_people_a_fair_and_a_cruise_line_are_no_dates(text: str) -> None:
    assert not _by(text, "holiday")


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Caller: On the Hebrew calendar he was born the 9th of Adar.", "the 9th of Adar"),
        ("caller: her yahrzeit is the third of tishrei", "the third of tishrei"),
        ("Caller: His birthday is 15 Nisan, same as the seder.", "15 Nisan"),
        ("caller: we lost him on the tenth of av", "the tenth of av"),
        ("Caller: She was born Rajab 3rd, in the Hijri year.", "Rajab 3rd"),
        ("Caller: The 1st of Muharram is when he moved out.", "The 1st of Muharram"),
    ],
)
def test_days_of_the_hebrew_and_islamic_months_are_dates(text: str, phrase: str) -> None:
    assert _covered(text, _by(text, "month_day", "DATE"), phrase)


@pytest.mark.parametrize(
    "text",
    [
        "Caller: We're on 3rd Av, past the deli.",
        "caller: she drives a 2014 nissan now",
        "Caller: In Elul 5785 he started going again.",
        "Caller: My cousin Sivan drove him over.",
        "caller: he stayed in the av club at school",
    ],
)
def test_another_calendars_month_alone_or_an_avenue_is_no_day(text: str) -> None:
    assert not _by(text, "month_day")
