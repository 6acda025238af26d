"""The ASR corpus: projection of gold identifiers onto real Whisper text, and the committed corpus files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cipher_devtools.asr_corpus import corpus_record, project, shape_class, span_shape, tokenize
from cipher_devtools.evaluate import load_jsonl

CORPUS_DIR = Path(__file__).parent / "data" / "asr_corpus"
CORPUS_FILES = sorted(CORPUS_DIR.glob("*.jsonl"))


def _gold(turns: list[tuple[str, str, str | None]], identifiers: list[tuple[int, str, str]],
          keeps: list[tuple[int, str, str]] = ()) -> dict:
    """A gold record shaped like ``generate_calls``' output; spans are located by their written value."""
    gold_turns = []
    for speaker, text, speech in turns:
        turn = {"speaker": speaker, "text": text, "start": 0.0, "end": 1.0}
        if speech is not None:
            turn["speech"] = speech
        gold_turns.append(turn)

    def locate(turn: int, value: str, **extra) -> dict:
        start = turns[turn][1].index(value)
        return {"turn": turn, "start": start, "end": start + len(value), "value": value, **extra}

    return {
        "turns": gold_turns,
        "identifiers": [locate(t, v, category=c) for t, c, v in identifiers],
        "must_survive_spans": [locate(t, v, kind=k) for t, k, v in keeps],
    }


def _projected(gold: dict, asr: str) -> list[tuple[str, str]]:
    result = project(gold, asr)
    return [(s["category"], asr[s["start"] : s["end"]]) for s in result.spans]


def test_tokenize_makes_spoken_and_written_numbers_equal():
    same = [
        ("six one nine, five five five", "619-555"),
        ("6, 1, 9, 5, 5, 5", "619 555"),
        ("August twenty-fourth, twenty twenty-six", "August 24th, 2026"),
        ("five oh two", "502"),
        ("X W B, four four eight", "XWB-448"),
    ]
    for spoken, written in same:
        assert [t.norm for t in tokenize(spoken)] == [t.norm for t in tokenize(written)], (spoken, written)
    # "oh" outside a number is a word, not a zero
    assert [t.norm for t in tokenize("oh well")] == ["oh", "well"]
    # offsets point back at the word each token came from
    text = "call 619-555"
    assert {text[t.start : t.end] for t in tokenize(text) if t.norm.isdigit()} == {"619", "555"}


def test_phone_spoken_digit_by_digit_maps_to_the_comma_separated_digits_whisper_wrote():
    gold = _gold(
        [("agent", "What's a good number?", None),
         ("caller", "It's (619) 555-0142, my cell.", "It's six one nine, five five five, zero one four two, my cell.")],
        [(1, "PHONE", "(619) 555-0142")],
    )
    asr = "agent: What's a good number?\ncaller: It's 6, 1, 9, 5, 5, 5, 0, 1, 4, 2, my cell.\n"
    assert _projected(gold, asr) == [("PHONE", "6, 1, 9, 5, 5, 5, 0, 1, 4, 2")]


def test_grouped_digits_and_member_id_with_letters():
    gold = _gold(
        [("caller", "The member ID is XWB448172093.", "The member ID is X W B, four four eight, one seven two, zero nine three."),
         ("caller", "Call back at 323-360-1570.", "Call back at three two three, three six zero, one five seven zero.")],
        [(0, "HEALTH_PLAN", "XWB448172093"), (1, "PHONE", "323-360-1570")],
    )
    asr = "caller: Remember ID is XWB-448,172,093. Call back at 3-2-3, 3-6-0, 1-5-7-0.\n"
    assert _projected(gold, asr) == [("HEALTH_PLAN", "XWB-448,172,093"), ("PHONE", "3-2-3, 3-6-0, 1-5-7-0")]


def test_misheard_name_takes_the_misheard_words_only():
    gold = _gold([("caller", "Hi, this is Derek Holloway calling about my son.", None)],
                 [(0, "NAME", "Derek Holloway")])
    asr = "caller: Hi, this is Eric Hallaway calling about my son.\n"
    assert _projected(gold, asr) == [("NAME", "Eric Hallaway")]


def test_misheard_region_wider_than_the_identifier_is_trimmed():
    # "from Tri" is heard as "from New York to try": the identifier is only the tail of the replaced block
    gold = _gold([("caller", "He came from Tri-City Medical Center last week.", None)],
                 [(0, "PROVIDER", "Tri-City Medical Center")])
    asr = "caller: He came from New York to try city medical center last week.\n"
    assert _projected(gold, asr) == [("PROVIDER", "try city medical center")]


def test_deleted_and_garbled_identifiers_are_dropped_and_counted():
    gold = _gold(
        [("caller", "I live in Fresno now.", None), ("caller", "We have Cigna through work.", None),
         ("caller", "Ask for Grant tomorrow.", None), ("caller", "My son Will Reyes.", None)],
        [(0, "LOCATION", "Fresno"), (1, "INSURER", "Cigna"), (2, "NAME", "Grant"), (3, "NAME", "Will Reyes")],
    )
    # Fresno deleted; Cigna paired with "the", Grant with "and": nothing of them is left to find
    asr = "caller: I live in now. We have the through work. Ask for and tomorrow. My son will raise.\n"
    result = project(gold, asr)
    assert [asr[s["start"] : s["end"]] for s in result.spans] == ["will raise"]
    assert (result.projected, result.not_heard, result.garbled) == (1, 1, 2)


def test_speakers_align_separately_and_offsets_are_document_offsets():
    gold = _gold(
        [("agent", "Thanks for calling, this is Marcus.", None),
         ("caller", "Hi Marcus, I'm calling for my daughter Ava.", None),
         ("agent", "How old is Ava?", None),
         ("caller", "She's nineteen. She uses fentanyl.", None)],
        [(0, "NAME", "Marcus"), (1, "NAME", "Marcus"), (1, "NAME", "Ava"), (2, "NAME", "Ava")],
        keeps=[(3, "substance", "fentanyl")],
    )
    # Whisper merged the caller's turns into one line and misheard one name
    asr = ("agent: Thanks for calling, this is Marcus.\n"
           "caller: Hi Marcus, I'm calling for my daughter Eva. She's 19. She uses fentanyl.\n"
           "agent: How old is Ava?\n")
    result = project(gold, asr)
    got = [(s["start"], asr[s["start"] : s["end"]]) for s in result.spans]
    assert [v for _, v in got] == ["Marcus", "Marcus", "Eva", "Ava"]
    # the agent's "Ava" is on the third line, after the caller's line
    assert got[-1][0] > asr.index("caller:")
    assert [asr[s["start"] : s["end"]] for s in result.must_survive] == ["fentanyl"]
    assert result.word_recall < 1.0


def test_identifier_cut_across_two_lines_becomes_one_span_per_line():
    gold = _gold(
        [("caller", "Her birthday is August 12, 1999, this is for my sister.",
          "Her birthday is August twelfth, nineteen ninety-nine, this is for my sister."),
         ("agent", "Okay.", None)],
        [(0, "DATE", "August 12, 1999")],
    )
    # the caller's segments straddle the agent's "Okay.", which sorts between them
    asr = "caller: Her birthday is August 12, 19\nagent: Okay.\ncaller: 99, this is for my sister.\n"
    result = project(gold, asr)
    assert [asr[s["start"] : s["end"]] for s in result.spans] == ["August 12, 19", "99"]
    assert (result.projected, result.line_splits) == (1, 1)


def test_corpus_record_has_the_evaluate_format(tmp_path):
    gold = _gold([("caller", "This is Derek Holloway.", None)], [(0, "NAME", "Derek Holloway")])
    gold.update(day="2026-10-01")
    raw = {"call_id": "CAL0", "seed": 1, "model": "base", "phone_band": True, "duration_s": 3.0,
           "transcribe_s": 1.0, "asr_text": "caller: This is Eric Hallaway.\n", "gold": gold}
    record, _ = corpus_record(raw)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,) = load_jsonl(path)
    assert doc.text[doc.spans[0].start : doc.spans[0].end] == "Eric Hallaway"
    assert record["meta"]["band"] == "phone" and record["meta"]["projected"] == 1


# ------------------------------------------------------------------------------------------------ committed files
def test_committed_corpora_exist():
    names = {p.name for p in CORPUS_FILES}
    assert {"base_wideband.jsonl", "base_phone.jsonl", "tiny_wideband.jsonl"} <= names
    assert sum(p.stat().st_size for p in CORPUS_FILES) < 2_500_000


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_committed_corpus_loads_and_every_span_is_in_range(path):
    docs = load_jsonl(path)
    assert len(docs) >= 15
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for doc, record in zip(docs, raw):
        assert re.fullmatch(r"(?:(?:agent|caller): [^\n]*\n)+", doc.text)
        assert doc.spans, "every call plants identifiers"
        for span in doc.spans + doc.must_survive:
            assert 0 <= span.start < span.end <= len(doc.text)
            assert doc.text[span.start : span.end] == span.value
            assert re.search(r"[^\W_]", span.value) and "\n" not in span.value
        meta = record["meta"]
        assert len(doc.spans) == meta["projected"] + meta["line_splits"]
        assert meta["projected"] + meta["not_heard"] + meta["garbled"] == meta["identifiers"]
        assert 0.5 < meta["word_recall"] <= 1.0


@pytest.mark.slow
def test_redactor_on_the_committed_corpora(redactor):
    """The current engine over real ASR text: a loose floor only, the measured numbers go in the corpus README."""
    from cipher_devtools.evaluate import cipher_predictor, run

    for path in CORPUS_FILES:
        score = run(load_jsonl(path), cipher_predictor(redactor))
        summary = score.summary()
        print(f"{path.name}: entity recall {summary['entity_recall']:.3f}, token precision "
              f"{summary['token_precision']:.3f} over {summary['entities']} identifiers")
        assert summary["entities"] > 0
        # loose: de-identification is being improved against these files; phone-band base measured 0.49 at first
        assert summary["entity_recall"] > 0.35
        assert summary["token_precision"] > 0.5


def test_span_shape_describes_form_not_content():
    assert span_shape("6, 1, 9, 5, 5, 3, 4, 6, 8") == span_shape("6, 1, 9, 5, 5, 3, 4, 6, 8, 0") == "9, xN"
    assert span_shape("XWB-448,172,093") == "A- 999, xN"
    assert span_shape("3-2-3, 3-6-0") == "9- xN 9, 9- xN"
    assert span_shape("Eric Hallaway") == "Aa xN"
    assert span_shape("September 11") == "Aa 99"
    assert span_shape("brace underscore a stroke") == "a xN"


@pytest.mark.slow
def test_real_tiny_transcript_of_a_synthetic_call_projects(synth_day):
    """One real call through tiny.en: most identifiers land on the transcript, on words of the right speaker."""
    from cipher_pipeline.transcribe import Transcriber

    _, result = synth_day
    call = next(c for c in result.calls if c.answered)
    gold = json.loads(call.gold_path.read_text(encoding="utf-8"))
    transcript = Transcriber("tiny.en").transcribe(call.path.read_bytes())
    raw = {"call_id": call.call_id, "seed": 7, "model": "tiny.en", "phone_band": False,
           "duration_s": call.duration_s, "transcribe_s": 0.0, "asr_text": transcript.text(), "gold": gold}
    record, proj = corpus_record(raw)
    text = record["text"]
    assert proj.word_recall > 0.6
    assert proj.projected >= 0.7 * len(gold["identifiers"])
    for span in record["spans"]:
        line_start = text.rfind("\n", 0, span["start"]) + 1
        speaker = text[line_start : text.index(":", line_start)]
        assert speaker in ("agent", "caller")
        assert text[span["start"] : span["end"]] == span["value"] and "\n" not in span["value"]


def test_shape_class_names_the_forms_whisper_writes():
    assert shape_class("6, 1, 9, 5, 5, 3, 4, 6, 8") == "comma/space-separated single digits ('6, 1, 9')"
    assert shape_class("3-2-3, 3-6-0, 1-5-7") == "dash-joined digit triples ('3-2-3, 3-6-0')"
    assert shape_class("XWB-448,172,093") == "letter prefix with digits (ID code)"
    assert shape_class("September 11") == "month name with day number"
    assert shape_class("high in 5, 1, 5, 5") == "misheard words mixed with digits"
    assert shape_class("eric hallaway") == "lower-case words"
    assert shape_class("brace underscore a stroke at example dot com") == "spoken email or web address (words, 'at', 'dot')"
