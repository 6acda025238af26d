"""The de-identification engine on hand-written call transcripts: every category, every hard shape, and what
must survive. All people, numbers and places here are invented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cipher_pipeline.deid import Redactor, RedactionResult, Span
from cipher_pipeline.deid.categories import CATEGORIES


def masked(res: RedactionResult, text: str) -> list[str]:
    return [text[s.start : s.end] for s in res.spans]


def assert_masked(redactor: Redactor, text: str, secret: str, category: str | None = None) -> RedactionResult:
    """Every word of ``secret`` is covered by a span (of ``category`` if given) and is gone from the output."""
    res = redactor.redact(text)
    start = text.index(secret)
    end = start + len(secret)
    for m in re.finditer(r"[^\W_]+", secret):
        a, b = start + m.start(), start + m.end()
        covering = [s for s in res.spans if s.start <= a and b <= s.end]
        assert covering, f"{m.group()!r} of {secret!r} not masked in {res.redacted_text!r}"
        if category:
            assert any(s.category == category for s in covering), (category, [s.category for s in covering])
    return res


def assert_survives(redactor: Redactor, text: str, phrase: str) -> None:
    res = redactor.redact(text)
    start = text.index(phrase)
    end = start + len(phrase)
    hits = [text[s.start : s.end] for s in res.spans if s.start < end and start < s.end]
    assert not hits, f"{phrase!r} was masked ({hits}) in {res.redacted_text!r}"
    assert phrase in res.redacted_text


# ------------------------------------------------------------------------------------------------ API
def test_api_shape_and_offsets(redactor: Redactor) -> None:
    text = "agent: Who am I speaking with?\ncaller: My name is Derek Holloway, call me at 619-555-0142.\n"
    res = redactor.redact(text)
    assert isinstance(res, RedactionResult)
    assert res.redacted_text == "agent: Who am I speaking with?\ncaller: My name is [NAME], call me at [PHONE].\n"
    assert all(isinstance(s, Span) for s in res.spans)
    assert [s.category for s in res.spans] == ["NAME", "PHONE"]
    assert {s.layer for s in res.spans} <= set(redactor.layer_chain)  # each span names the layer that found it
    # sorted, non-overlapping, inside the input, never covering a newline or a turn prefix
    for a, b in zip(res.spans, res.spans[1:]):
        assert a.end <= b.start
    for s in res.spans:
        assert 0 <= s.start < s.end <= len(text)
        assert "\n" not in text[s.start : s.end]
        assert s.category in CATEGORIES


def test_line_structure_is_kept(redactor: Redactor) -> None:
    text = "agent: Name please?\ncaller: Maria\nagent: And the number?\ncaller: 6195550142\n"
    res = redactor.redact(text)
    lines = res.redacted_text.split("\n")
    assert len(lines) == len(text.split("\n"))
    assert [ln.split(":")[0] for ln in lines if ln] == ["agent", "caller", "agent", "caller"]
    assert res.redacted_text.endswith("\n")


def test_redact_many_matches_redact(redactor: Redactor) -> None:
    texts = ["caller: I'm Tanya Okafor from Escondido.\n", "caller: he is on Suboxone\n", "", "caller: 92 years old\n"]
    many = redactor.redact_many(texts)
    assert [r.redacted_text for r in many] == [redactor.redact(t).redacted_text for t in texts]
    assert many[2].redacted_text == "" and many[2].spans == []


def test_version_covers_project_modules_the_package_imports(redactor: Redactor) -> None:
    # asr_terms (how Whisper mishears a carrier) lives outside the package; a change there changes spans, so the
    # version that names the evidence must read it (it did not until session 18)
    names = {Path(p).name for p in redactor._rule_files()}
    assert {"asr_terms.py", "vocabulary.py", "engine.py"} <= names


def test_version_is_stable_and_layer_sensitive(redactor: Redactor) -> None:
    assert redactor.version == Redactor.default().version
    assert re.fullmatch(r"\d+\.\d+\.\d+-[0-9a-f]{12}", redactor.version)
    without_ner = Redactor.default(disabled_layers={"ner"})
    assert without_ner.version != redactor.version
    assert "ner" not in without_ner.active_layers
    with pytest.raises(ValueError):
        Redactor.default(disabled_layers={"no_such_layer"})


def test_the_first_engine_takes_the_loaded_heap_out_of_the_collector_once(redactor: Redactor) -> None:
    # The first engine a process builds freezes what the process then holds (word lists, gazetteer, models), so a full
    # collection landing in a long record walks only what redaction made since (docs/performance.md, tidy13). A later
    # engine freezes nothing more: that would also freeze whatever the process made in between, never to be collected.
    import gc

    from cipher_pipeline.deid import engine

    frozen = gc.get_freeze_count()
    assert frozen > 100_000  # the session's engine and everything loaded before it
    Redactor.default(disabled_layers={"ner"})
    assert engine.freeze_loaded_heap() is False
    assert gc.get_freeze_count() <= frozen  # frozen objects freed since may lower it; nothing raised it


def test_disabled_rules_layer_lets_structured_ids_through(redactor: Redactor) -> None:
    # every layer that reads numbers off: what is left (safe words, lexicons) does not see an SSN
    bare = Redactor.default(disabled_layers=set(redactor.layer_chain) - {"safeword", "lexicon"})
    res = bare.redact("caller: my social is 123-45-6789\n")
    assert "123-45-6789" in res.redacted_text


# ------------------------------------------------------------------------------------------------ phones
@pytest.mark.parametrize(
    "secret",
    [
        "619-555-0142",
        "(619) 555-0142",
        "6195550142",
        "619.555.0142",
        "six one nine, five five five, oh one four two",
        "six one nine five five five oh one four two",
        "eight hundred, five five five, double two one two",
        "619 555 0142",
    ],
)
def test_phone_shapes(redactor: Redactor, secret: str) -> None:
    assert_masked(redactor, f"agent: Best number?\ncaller: Yeah it's {secret}, anytime.\n", secret, "PHONE")


def test_fax_and_extension(redactor: Redactor) -> None:
    assert_masked(redactor, "agent: and the fax for the clinic is 760-555-0199\n", "760-555-0199", "FAX")
    assert_masked(redactor, "caller: call 858-555-0123 x4587 after five\n", "858-555-0123 x4587", "PHONE")


# ------------------------------------------------------------------------------------------------ email, url, ip
@pytest.mark.parametrize(
    "secret",
    ["maria.lopez@gmail.com", "maria dot lopez at gmail dot com", "maria dot lopez at gmail", "mlopez84 at example.com",
     "derek underscore holloway at yahoo dot com"],
)
def test_email_shapes(redactor: Redactor, secret: str) -> None:
    assert_masked(redactor, f"agent: email?\ncaller: sure it's {secret} thanks\n", secret, "EMAIL")


def test_url_and_ip(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: it's on www.helpderekheal.org/story ok\n", "www.helpderekheal.org/story", "URL")
    assert_masked(redactor, "caller: it's at gofundme dot com slash help derek heal, if you want\n",
                  "gofundme dot com slash help derek heal", "URL")
    assert_masked(redactor, "caller: the portal logged 10.24.1.200 as my address\n", "10.24.1.200", "IP")


# ------------------------------------------------------------------------------------------------ ids
def test_ssn_full_and_last_four(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: his social is 512-44-8391\n", "512-44-8391", "SSN")
    assert_masked(redactor, "agent: I just need the last four of your social.\ncaller: um, hold on. oh nine oh five.\n",
                  "oh nine oh five", "SSN")
    assert_masked(redactor, "caller: last four are 1993\n", "1993", "SSN")


def test_member_and_group_ids_with_asr_separators(redactor: Redactor) -> None:
    text = "agent: can you read me the member ID?\ncaller: XWB-448,172,093 and the group number is 174,402.\n"
    assert_masked(redactor, text, "XWB-448,172,093", "HEALTH_PLAN")
    assert_masked(redactor, text, "174,402", "HEALTH_PLAN")
    assert_masked(redactor, "caller: member id XWB448172093\n", "XWB448172093")
    assert_masked(redactor, "agent: member ID?\ncaller: A H P, five four eight, six zero nine, four seven three.\n",
                  "A H P, five four eight, six zero nine, four seven three", "HEALTH_PLAN")


@pytest.mark.parametrize(
    ("text", "secret", "category"),
    [
        ("agent: the medical record number?\ncaller: MRN 00482913\n", "00482913", "MRN"),
        ("caller: my account number is 4471 2290 3381\n", "4471 2290 3381", "ACCOUNT"),
        ("caller: the claim number was 88213-0045\n", "88213-0045", "ACCOUNT"),
        ("caller: his case number is C R, two zero two, five five three, one two four, zero\n",
         "C R, two zero two, five five three, one two four, zero", "ACCOUNT"),
        ("caller: my driver's license is D4471902\n", "D4471902", "LICENSE"),
        ("caller: the plate is 7ABC123\n", "7ABC123", "VEHICLE"),
        ("caller: VIN 1HGCM82633A004352 on the title\n", "1HGCM82633A004352", "VEHICLE"),
        ("caller: the pump serial number is SN 44719-2281\n", "44719-2281", "DEVICE"),
        ("caller: we live in Escondido, California 92025\n", "92025", "ZIP"),
        ("caller: zip code is nine two zero two five\n", "nine two zero two five", None),
        ("caller: his booking number is 2291847\n", "2291847", None),
    ],
)
def test_identifier_numbers(redactor: Redactor, text: str, secret: str, category: str | None) -> None:
    assert_masked(redactor, text, secret, category)


def test_street_addresses(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: 4121 Elm Street, apartment 3B\n", "4121 Elm Street, apartment 3B", "LOCATION")
    assert_masked(redactor, "caller: four twelve elm street\n", "four twelve elm street", "LOCATION")
    assert_masked(redactor, "caller: 855 alder avenue, riverside, california\n", "855 alder avenue, riverside", "LOCATION")
    assert_masked(redactor, "caller: P.O. Box 4410\n", "P.O. Box 4410", "LOCATION")


# ------------------------------------------------------------------------------------------------ dates, ages
@pytest.mark.parametrize(
    "secret",
    ["October 3rd", "the third of October", "Oct. 3", "3 October", "10/03", "Monday, October the third",
     "the tenth", "Tuesday the twenty-seventh", "Christmas Eve", "Thanksgiving", "the Fourth of July", "March",
     "April twenty third"],
)
def test_date_elements(redactor: Redactor, secret: str) -> None:
    assert_masked(redactor, f"caller: he relapsed on {secret}, we think.\n", secret, "DATE")


def test_year_stays_in_dates(redactor: Redactor) -> None:
    text = "caller: she was born October 3rd, 1990 and admitted 10/03/2019.\n"
    res = redactor.redact(text)
    assert "1990" in res.redacted_text and "2019" in res.redacted_text
    assert "October" not in res.redacted_text and "10/03" not in res.redacted_text


def test_spoken_date_of_birth(redactor: Redactor) -> None:
    assert_masked(redactor, "agent: date of birth?\ncaller: oh three, twenty-six, sixty-three\n",
                  "oh three, twenty-six", "DATE")


def test_ages_over_89_only(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: he lives with his grandmother, who's 92.\n", "92", "AGE")
    assert_masked(redactor, "caller: she is ninety-eight years old\n", "ninety-eight", "AGE")
    assert_survives(redactor, "caller: He's 34 and she's twenty-nine.\n", "34")
    assert_survives(redactor, "caller: He's 34 and she's twenty-nine.\n", "twenty-nine")


# ------------------------------------------------------------------------------------------------ names
@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("caller: hi my name is derek holloway and i need help\n", "derek holloway"),
        ("caller: HI MY NAME IS DEREK HOLLOWAY AND I NEED HELP WITH MY SON\n", "DEREK HOLLOWAY"),
        ("caller: Hello yes this is summer I'm calling for my sister priya\n", "summer"),
        ("caller: Hello yes this is summer I'm calling for my sister priya\n", "priya"),
        ("caller: My daughter Hope has been using again.\n", "Hope"),
        ("caller: this is Will, I'm calling about my son Chase.\n", "Will"),
        ("caller: this is Will, I'm calling about my son Chase.\n", "Chase"),
        ("agent: Okay you did the right thing by calling, Summer. In case we get disconnected\n", "Summer"),
        ("caller: Eric Hallaway. H A L L A W A Y.\n", "Eric Hallaway"),
        ("caller: It's Brandon stone. S T O N E.\n", "stone"),
        ("caller: can I call grant while he's there\nagent: yes, Grant can have calls after day three\n", "grant"),
        ("agent: Dr. Okonkwo signed the referral\n", "Okonkwo"),
        ("caller: Monjeau, Graves and Reed were there.\n", "Reed"),
    ],
)
def test_names_in_context(redactor: Redactor, text: str, secret: str) -> None:
    assert_masked(redactor, text, secret, "NAME")


def test_titles_stay_readable(redactor: Redactor) -> None:
    res = redactor.redact("agent: Dr. Okonkwo signed the referral\n")
    assert res.redacted_text == "agent: Dr. [NAME] signed the referral\n"


def test_name_repeated_later_without_cue(redactor: Redactor) -> None:
    text = "caller: my name is Summer\nagent: thanks\nagent: okay so summer, what's going on\n"
    res = redactor.redact(text)
    assert "summer" not in res.redacted_text.lower()


def test_common_word_name_does_not_mask_the_word_everywhere(redactor: Redactor) -> None:
    res = redactor.redact("caller: my son Will is 19\ncaller: he will go if you will take him\n")
    assert res.redacted_text.count("will") == 2


# ------------------------------------------------------------------------------------------------ places, lexicons
def test_places_smaller_than_a_state(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: we're in Chula Vista near the border\n", "Chula Vista", "LOCATION")
    assert_masked(redactor, "caller: she lives up in Oceanside\n", "Oceanside", "LOCATION")
    assert_masked(redactor, "caller: it's in Riverside County\n", "Riverside County", "LOCATION")


def test_competitors_insurers_and_providers(redactor: Redactor) -> None:
    res = redactor.redact("caller: he was at Seaside Recovery, we have Aetna, Dr. Patel at Bayside Memorial Hospital referred us\n")
    assert "[COMPETITOR:seaside_recovery]" in res.redacted_text
    assert "[INSURER:aetna]" in res.redacted_text
    assert "[PROVIDER]" in res.redacted_text
    generic = redactor.redact("caller: she did thirty days at Sunny Acres Recovery and then Blue Mesa Detox\n")
    assert generic.redacted_text.count("[COMPETITOR]") == 2
    assert_masked(redactor, "caller: she went to Lakeview Behavioral Health\n", "Lakeview Behavioral Health", "COMPETITOR")
    assert_masked(redactor, "caller: he works nights at Coastline Logistics\n", "Coastline Logistics")


def test_quasi_identifier(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: she's the head nurse at the hospital in Brawley\n",
                  "head nurse at the hospital in Brawley", "OTHER_ID")


def test_own_center_survives(redactor: Redactor) -> None:
    assert_survives(redactor, "agent: Thank you for calling Harborview Recovery Center, this is Dana.\n",
                    "Harborview Recovery Center")


# ------------------------------------------------------------------------------------------------ must survive
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("caller: he's been on Suboxone and we keep Narcan at home\n", "Suboxone"),
        ("caller: he's been on Suboxone and we keep Narcan at home\n", "Narcan"),
        ("caller: she did IOP, then PHP, and now MAT\n", "IOP"),
        ("caller: she did IOP, then PHP, and now MAT\n", "PHP"),
        ("caller: she did IOP, then PHP, and now MAT\n", "MAT"),
        ("caller: the Vivitrol shot helped\n", "Vivitrol"),
        ("caller: he did 30 days and then a 90-day program\n", "30 days"),
        ("caller: he did 30 days and then a 90-day program\n", "90-day"),
        ("caller: the deductible is $4,500 and out of pocket 4,500 dollars\n", "$4,500"),
        ("caller: we moved from California in 2019\n", "California"),
        ("caller: we moved from California in 2019\n", "2019"),
        ("caller: he started using in twenty nineteen\n", "twenty nineteen"),
        ("caller: Medical detox is right here? he'll need medical detox\n", "medical detox"),
        ("caller: he's using fentanyl and some Xanax, meth too\n", "fentanyl"),
        ("caller: he's using fentanyl and some Xanax, meth too\n", "Xanax"),
        ("caller: She's thirty-five and uses about 3 times a day\n", "thirty-five"),
    ],
)
def test_must_survive(redactor: Redactor, text: str, phrase: str) -> None:
    assert_survives(redactor, text, phrase)


def test_asr_misspelled_drug_survives(redactor: Redactor) -> None:
    assert_survives(redactor, "agent: The doctor can start Saboxone or use comfort meds.\n", "Saboxone")


# ------------------------------------------------------------------------------------------------ configuration
def test_per_center_lexicon_directory(tmp_path) -> None:
    """A center swaps in its own market: its competitors get canonical tags, its own name survives."""
    import shutil

    from cipher_pipeline.deid.words import LEXICON_DIR

    for f in LEXICON_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "competitors.yaml").write_text(
        "category: COMPETITOR\ncanonical_tags: true\nentries:\n"
        "  - id: granite_peak_recovery\n    names: [\"Granite Peak Recovery\", \"Granite Peak\"]\n",
        encoding="utf-8",
    )
    (tmp_path / "center.yaml").write_text("keep:\n  - \"Seaside Recovery\"\n", encoding="utf-8")
    custom = Redactor.default(disabled_layers={"ner"}, lexicon_dir=tmp_path)
    res = custom.redact("caller: she was at Granite Peak before, and now we're calling Seaside Recovery\n")
    assert "[COMPETITOR:granite_peak_recovery]" in res.redacted_text
    assert "Seaside Recovery" in res.redacted_text
    assert custom.version != Redactor.default(disabled_layers={"ner"}).version


def test_layer_chain_is_declarative() -> None:
    import yaml

    from cipher_pipeline.deid.engine import CONFIG_PATH

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    assert [layer["name"] for layer in config["layers"]][:4] == ["rules", "ner", "safeword", "lexicon"]
    assert all(layer.get("description") for layer in config["layers"])


def test_every_span_records_its_layer(redactor: Redactor) -> None:
    text = ("caller: my name is derek holloway, I live in Escondido, we have Aetna, my email is d@x.org, "
            "and Zorblatt said hi\n")
    layers = {s.layer for s in redactor.redact(text).spans}
    assert {"rules", "ner", "lexicon"} <= layers
    # with the model off, the safe-word layer still catches a proper noun no dictionary knows
    no_model = Redactor.default(disabled_layers={"ner"})
    spans = no_model.redact("caller: and Zorblatt said hi\n").spans
    assert [(s.category, s.layer) for s in spans] == [("NAME", "safeword")]


def test_international_street_shapes(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: the address is 29 Rue de Tanger, near the port\n", "29 Rue de Tanger", "LOCATION")
    assert_masked(redactor, "caller: she lives at Via delle Coste 41 now\n", "Via delle Coste 41", "LOCATION")
    assert_survives(redactor, "caller: they sent it via email 2 times\n", "via email 2 times")


def test_social_handles_and_intersections(redactor: Redactor) -> None:
    assert_masked(redactor, "caller: his handle is @kyle_l08 on instagram\n", "@kyle_l08", "OTHER_ID")
    assert_masked(redactor, "caller: it's sean underscore h eighty-three\n", "sean underscore h eighty-three", "OTHER_ID")
    assert_masked(redactor, "caller: crashing at a place off birch and orchard, by the gas station\n", "birch and orchard",
                  "LOCATION")
    assert_masked(redactor, "caller: a friend's place off Maple and Del Mar, by the gas station\n", "Maple and Del Mar",
                  "LOCATION")


def test_abbreviation_follows_its_long_form(redactor: Redactor) -> None:
    text = "caller: she was at Sunny Acres Recovery Center (SARC) and SARC kicked her out\n"
    res = redactor.redact(text)
    assert "SARC" not in res.redacted_text
    kept = redactor.redact("agent: our Intensive Outpatient Program (IOP) meets three days a week; IOP is flexible\n")
    assert kept.redacted_text.count("IOP") == 2


def test_shouted_transcript(redactor: Redactor) -> None:
    text = ("AGENT: WHAT'S YOUR NAME?\nCALLER: MY NAME IS DEREK HOLLOWAY. I'VE USED FENTANYL SINCE 2017 AND DID "
            "MEDICAL DETOX IN CALIFORNIA. MEMBER ID XWB448172093, CALL ME AT 619-555-0142.\n")
    res = redactor.redact(text)
    out = res.redacted_text
    for gone in ("DEREK", "HOLLOWAY", "XWB448172093", "619-555-0142"):
        assert gone not in out
    for kept in ("FENTANYL", "SINCE 2017", "MEDICAL DETOX", "CALIFORNIA", "CALLER:"):
        assert kept in out


def test_lowercase_transcript(redactor: Redactor) -> None:
    text = ("agent: who am i speaking with\ncaller: this is tanya okafor calling for my son marcus he uses meth "
            "and we live in escondido my number is six one nine five five five oh one four two\n")
    out = redactor.redact(text).redacted_text
    for gone in ("tanya", "okafor", "marcus", "escondido", "six one nine"):
        assert gone not in out
    assert "meth" in out and "my son" in out


def test_extra_layer_from_config(tmp_path) -> None:
    """A layer beyond the built-ins is chained by naming its module in the config."""
    import yaml

    from cipher_pipeline.deid.engine import CONFIG_PATH

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    config["layers"].append({"name": "numbers_only", "module": "cipher_pipeline.deid.rules"})
    path = tmp_path / "layers.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    others = {layer["name"] for layer in config["layers"]} - {"safeword", "lexicon", "numbers_only"}
    chained = Redactor.default(config_path=path, disabled_layers=others)
    assert chained.active_layers == ["safeword", "lexicon", "numbers_only"]
    assert chained.redact("caller: 619-555-0142\n").redacted_text == "caller: [PHONE]\n"
    config["layers"].append({"name": "broken"})
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(ValueError):
        Redactor.default(config_path=path)


def test_ids_years_and_modal_verbs(redactor: Redactor) -> None:
    res = redactor.redact("caller: my husband Mark will drive. His Medicare number is 1EG4-TE5-MK73 and his Medi-Cal ID "
                          "is 91234567A. He's been on Medicaid in California since 2021.\n")
    out = res.redacted_text
    assert "[NAME] will drive" in out
    assert "1EG4" not in out and "91234567" not in out and "A." not in out.split("ID is")[1][:20]
    assert "since 2021" in out and "COVID" not in out
    assert_survives(redactor, "caller: he had COVID-19 twice\n", "COVID-19")


@pytest.mark.parametrize(
    ("text", "secret", "category"),
    [
        ("agent: What's the best number?\ncaller: It's 916, 5, 5, 6, 6, 2, 3.\n", "916, 5, 5, 6, 6, 2, 3", "PHONE"),
        ("caller: my cell is 4-4-2, 5-5-5, 5-0-2-3\n", "4-4-2, 5-5-5, 5-0-2-3", "PHONE"),
        ("agent: and your date of birth\ncaller: 10, 31, 26\n", "10, 31, 26", "DATE"),
    ],
)
def test_whisper_digit_shapes(redactor: Redactor, text: str, secret: str, category: str) -> None:
    assert_masked(redactor, text, secret, category)


def test_lists_of_small_numbers_survive(redactor: Redactor) -> None:
    text = "caller: his kids are 5, 7, 9 and 12, he relapsed 3, 4 times, and he used in 2019, 2020 and 2021\n"
    assert redactor.redact(text).redacted_text == text


def test_lowercase_possessive_names(redactor: Redactor) -> None:
    out = redactor.redact("caller: drew's been couch surfing and grant's dad left. the bill's been paid, my son's clean\n")
    assert out.redacted_text == "caller: [NAME]'s been couch surfing and [NAME]'s dad left. the bill's been paid, my son's clean\n"


def test_redacting_twice_changes_nothing(redactor: Redactor) -> None:
    from cipher_devtools.evaluate import load_synth

    docs = load_synth(12, seed=808, asr_style=True) + load_synth(12, seed=808)
    for doc in docs:
        once = redactor.redact(doc.text).redacted_text
        assert redactor.redact(once).redacted_text == once
    assert redactor.redact("caller: [NAME] called [PHONE] about [COMPETITOR:seaside_recovery]\n").spans == []


def test_ordinary_numbers_on_a_call_survive(redactor: Redactor) -> None:
    text = ("agent: We're open 24/7, 7 days a week, we have 24 beds and the program is 25,000 or $25,000.\n"
            "caller: He's 45, been clean 90 days, relapsed 2 times, he's on 16 mg of Suboxone and takes B12.\n"
            "agent: The diagnosis code is F11.20 and the CPT is 99213; call back in 10 minutes, press 2.\n"
            "caller: He did 12 steps at AA, step 4 now, room 12 at the hospital, 5 foot 10, 180 pounds.\n"
            "agent: Intake is at 9 am, visiting hours 2 to 4 pm.\n")
    assert redactor.redact(text).redacted_text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("caller: Yeah hi I'm maria Like I'm sitting in my car\n", "maria"),
        ("caller: Yeah hi I'm tariq bishop Uh I'm sitting in my car\n", "tariq bishop"),
        ("caller: she uses crystal too. May's been couch surfing\n", "May"),
    ],
)
def test_asr_names_before_fillers(redactor: Redactor, text: str, secret: str) -> None:
    assert_masked(redactor, text, secret, "NAME")
    assert "crystal" in redactor.redact("caller: she uses crystal too\n").redacted_text


def test_the_engine_version_covers_every_module_of_the_package():
    """A module added to the deid package changes the version without anyone listing it (a hand-kept list went stale)."""
    from pathlib import Path

    from cipher_pipeline.deid import engine as engine_module

    redactor = Redactor.default()
    hashed = {path.name for path in redactor._rule_files()}
    package = {path.name for path in Path(engine_module.__file__).parent.glob("*.py")}
    assert package <= hashed


def test_the_engine_version_changes_when_a_model_the_layers_name_is_retrained(tmp_path) -> None:
    """The learned layer's model files are named in layers.yaml; retraining one in place (layers.yaml untouched) is
    another engine, so its version, which the gate evidence records, must change."""
    import shutil
    from pathlib import Path

    import yaml

    from cipher_pipeline.deid import engine as engine_module

    package = Path(engine_module.__file__).parent
    config = yaml.safe_load(engine_module.CONFIG_PATH.read_text(encoding="utf-8"))
    learned_entry = next(e for e in config["layers"] if e["name"] == "learned")
    (tmp_path / "models").mkdir()
    for key in ("model", "speech_model"):
        shutil.copy(package / learned_entry[key], tmp_path / learned_entry[key])
    config_path = tmp_path / "layers.yaml"
    config_path.write_text(engine_module.CONFIG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    names = {p.name for p in Redactor(config, config_path=config_path, lexicon_dir=package / "lexicons")._rule_files()}
    assert {Path(learned_entry["model"]).name, Path(learned_entry["speech_model"]).name} <= names
    before = Redactor(config, config_path=config_path, lexicon_dir=package / "lexicons").version
    with open(tmp_path / learned_entry["speech_model"], "ab") as model:
        model.write(b"\0")  # a different file under the same name
    assert Redactor(config, config_path=config_path, lexicon_dir=package / "lexicons").version != before
