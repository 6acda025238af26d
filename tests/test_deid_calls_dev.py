"""The calls_dev scorer: the hand-written corpus loads with exact offsets, halves and styles split as documented, and
scoring follows the issue's rules (category-agnostic, every word token covered, the year of a full date may stay,
competitors/insurers/facilities as their own recall)."""

from __future__ import annotations

import pytest

from cipher_devtools import evaluate as ev

CALLS_DEV = ev.CALLS_DEV_DEFAULT_PATH
needs_calls_dev = pytest.mark.skipif(not CALLS_DEV.exists(), reason=f"calls_dev corpus not at {CALLS_DEV} (shared data)")


@needs_calls_dev
def test_calls_dev_loads_every_span_at_its_offsets():
    docs = ev.load_calls_dev()
    assert len(docs) == 80
    assert sum(len(d.spans) for d in docs) == 1697  # the count the corpus README gives
    for doc in docs:
        assert "[[" not in doc.text
        for g in doc.spans:
            assert doc.text[g.start : g.end] == g.value


@needs_calls_dev
def test_calls_dev_halves_and_styles():
    odd = ev.load_calls_dev(half="odd")
    even = ev.load_calls_dev(half="even")
    assert [d.id for d in odd][:2] == ["call_001", "call_003"] and len(odd) == 40
    assert {d.id for d in odd}.isdisjoint(d.id for d in even)
    asr = ev.load_calls_dev(half="even", style="asr")
    assert len(asr) == 20 and all(41 <= int(d.id[-3:]) <= 80 for d in asr)
    letters = [c for d in asr for line in d.text.splitlines() for c in line.split(":", 1)[1] if c.isalpha()]
    assert sum(c.isupper() for c in letters) / len(letters) < 0.02  # the raw-ASR style is (almost) caseless


@pytest.mark.parametrize(
    "value,year",
    [("October 14th, 1991", "1991"), ("3/3/88", "88"), ("10, 12, 56", "56"), ("march third eighty eight", "eighty eight"),
     ("the twenty third of september, ninety four", "ninety four"), ("may fifth. two thousand one", "two thousand one"),
     ("June twenty three", None), ("March 23", None), ("ninety one", None), ("Thursday the 9th", None)],
)
def test_year_of_a_full_date_may_stay_but_a_day_or_an_age_may_not(value, year):
    r = ev._date_year_range(value)
    assert (value[r[0] : r[1]] if r else None) == year


def _doc(text: str, spans: list[tuple[str, str]]) -> ev.GoldDoc:
    gold = []
    for category, value in spans:
        start = text.index(value)
        gold.append(ev.GoldSpan(start, start + len(value), category, value))
    return ev.GoldDoc("t", text, gold)


def test_every_token_must_be_covered_category_agnostic_and_verticals_apart():
    text = "Caller: I'm Rosa Quintero, born March 3rd, 1990, on Cigna through Acme Mills.\n"
    doc = _doc(text, [("NAME", "Rosa Quintero"), ("DATE", "March 3rd, 1990"), ("INSURER", "Cigna"),
                      ("FACILITY", "Acme Mills")])
    score = ev.Score()
    rosa = text.index("Rosa")
    march = text.index("March")
    acme = text.index("Acme")
    # the surname is missed; the date is covered up to its year; Cigna missed; Acme Mills covered (as any category)
    ev.score_doc(score, doc, [(rosa, rosa + 4), (march, march + len("March 3rd")), (acme, acme + len("Acme Mills"))])
    assert score.entities["NAME"] == 1 and score.entities_found["NAME"] == 0
    assert score.entities_found["DATE"] == 1
    assert score.entity_recall == 0.5  # Safe Harbor: NAME and DATE only
    assert score.vertical_recall == 0.5  # FACILITY caught, INSURER missed
    assert score.token_precision == 1.0


def test_labelled_predictions_are_also_scored_by_detector():
    text = "Caller: I'm Rosa Quintero, call me at 480-555-0178, it's a great place.\n"
    doc = _doc(text, [("NAME", "Rosa Quintero"), ("PHONE", "480-555-0178")])
    rosa, phone, place = text.index("Rosa"), text.index("480"), text.index("great place")
    predicted = [(rosa, rosa + len("Rosa Quintero"), "ner/name_cue"), (phone, phone + 12, "rules/number_run"),
                 (place, place + len("great place"), "geography/street")]
    score = ev.Score()
    ev.score_doc(score, doc, predicted)
    rows = score.summary()["per_recognizer"]
    assert rows["rules/number_run"] == {"spans": 1, "tokens": 3, "entities_covered": 1, "token_precision": 1.0}
    assert rows["geography/street"]["token_precision"] == 0.0 and rows["geography/street"]["entities_covered"] == 0
    assert score.entity_recall == 1.0  # the labels change nothing in the corpus figures
    plain = ev.Score()
    ev.score_doc(plain, doc, [p[:2] for p in predicted])
    assert plain.token_precision == score.token_precision and "per_recognizer" not in plain.summary()


@pytest.mark.slow  # runs the whole engine
def test_the_engine_labels_every_span_by_layer_and_recognizer(redactor):
    text = ("agent: thanks for calling, this is odette, who am i speaking with?\n"
            "caller: hi it's wendell, wendell okafor, my cell is 5 0 3, 5 5 5, 0 1 4 7\n"
            "agent: okay wendell, and do you live in salem?\n")
    doc = _doc(text, [("NAME", "odette"), ("NAME", "wendell, wendell okafor"), ("PHONE", "5 0 3, 5 5 5, 0 1 4 7")])
    score = ev.run([doc], ev.cipher_predictor(redactor, by_recognizer=True))
    labels = set(score.summary()["per_recognizer"])
    assert labels and all(label.split("/")[0] in redactor.layer_chain and not label.endswith("/-") for label in labels)
