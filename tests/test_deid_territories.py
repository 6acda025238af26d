"""The territories and the forces' mail "states" in the one table of states (words.US_STATE_BY_CODE, tidy13): a town
said with its territory is that territory's town, and a ZIP after a territory's or the forces' code is a ZIP. Every
town, street and number is invented or fictional (555 streets and boxes). The town and ZIP cases fail on main before
this change, the guards beside them have the same shape; an address in a territory was masked before (the gazetteer
holds its towns) and must stay so."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid import geography, rules
from cipher_pipeline.deid.words import US_OUTLYING_CODES, US_STATE_BY_CODE
from tests.test_deid_engine import assert_masked


def _towns_with_state(text: str) -> list[str]:
    (recognizer,) = [r for r in geography.RECOGNIZERS if r.name == "town_with_state"]
    return [text[s.start : s.end] for s in recognizer.find(text)]


def test_the_table_holds_every_inhabited_territory_and_the_forces_codes():
    assert {"DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"} <= set(US_STATE_BY_CODE)
    assert len(US_STATE_BY_CODE) == 59 and US_OUTLYING_CODES < set(US_STATE_BY_CODE)


@pytest.mark.parametrize(
    "text,town",
    [
        ("caller: she's staying in cruz bay, virgin islands for now", "cruz bay"),
        ("caller: he's at kingshill virgin islands with his dad", "kingshill"),
        ("caller: my cousin moved back to rota northern mariana islands", "rota"),
        ("caller: We're out in Tinian, Northern Mariana Islands.", "Tinian"),
        ("caller: Her mom is in Pago Pago, American Samoa.", "Pago Pago"),
    ],
)
def test_a_town_said_with_its_territory(text, town):
    assert _towns_with_state(text) == [town]


@pytest.mark.parametrize(
    "text",
    [
        "caller: we honeymooned in the virgin islands",
        "caller: she grew up in the northern mariana islands",
        "caller: my family is from American Samoa.",
        "caller: he's stationed with armed forces europe",
    ],
)
def test_a_territory_with_no_town_of_its_own_before_it_names_no_town(text):
    assert _towns_with_state(text) == []


@pytest.mark.parametrize(
    "text,zip_code",
    [
        ("caller: it's 555 Bay Road, Christiansted, VI 00820.", "00820"),
        ("caller: mail goes to 555 Palm Lane, St. Thomas, VI 00802", "00802"),
        ("caller: 555 Beach Road, Saipan, MP 96950", "96950"),
        ("caller: P.O. Box 555, Pago Pago, AS 96799", "96799"),
        ("caller: 555 Rte 4, Yigo, GU 96929", "96929"),
        ("caller: PSC 555, Box 1234, APO AE 09204", "09204"),
        ("caller: Unit 5555 Box 12, FPO AP 96349", "96349"),
    ],
)
def test_a_zip_after_a_territorys_or_the_forces_code_is_a_zip(text, zip_code):
    assert zip_code in [text[s.start : s.end] for s in rules.find(text) if s.category == "ZIP"]


@pytest.mark.parametrize(
    "text",
    [
        "NPN: IABP 1:1 with AS 89-109, AP 80-100, HR 70s",  # a chart's assisted systolic and arterial pressure
        "PR 60-80 on the monitor overnight",
        "caller: pay as 45-120 a week, he said",
    ],
)
def test_a_territory_code_before_a_range_is_no_zip(text):
    assert not [s for s in rules.find(text) if s.category == "ZIP"]


@pytest.mark.parametrize(
    "text,secrets",
    [
        ("caller: send it to 555 ocean road, kingshill, vi 00850 please\n", ["555 ocean road, kingshill", "00850"]),
        ("caller: she's staying in cruz bay, virgin islands for now\n", ["cruz bay"]),
        ("caller: Send it to 555 Ocean Road, Kingshill, VI 00850.\n", ["555 Ocean Road, Kingshill", "00850"]),
        ("caller: my son's at PSC 555, Box 1234, APO AE 09204\n", ["PSC 555, Box 1234", "09204"]),
    ],
)
def test_an_address_in_a_territory_is_masked_in_any_case(redactor, text, secrets):
    for secret in secrets:
        assert_masked(redactor, text, secret)
