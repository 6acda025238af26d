"""The ``asr`` layer: identifiers in the shapes faster-whisper writes them, and what it must leave alone.

All transcripts here are synthetic and fictional. The corpus-level test runs the real engine (loaded once per
module) on real Whisper output of synthetic calls and checks that chaining this layer after it catches more of the
structured identifiers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cipher_devtools import evaluate as ev
from cipher_pipeline.deid.asr_shapes import LAYER, combined_predictor, find
from cipher_pipeline.deid.categories import CATEGORIES

ASR_CORPUS = Path(__file__).parent / "data" / "asr_corpus"


def _spans_over(text: str, phrase: str):
    """The spans ``find`` returns that overlap ``phrase`` (which must occur in ``text``)."""
    start = text.index(phrase)
    end = start + len(phrase)
    return [s for s in find(text) if s.start < end and start < s.end]


def _covers(text: str, phrase: str) -> str | None:
    """The category of the span covering all of ``phrase``'s word characters, or None."""
    start = text.index(phrase)
    end = start + len(phrase)
    for s in find(text):
        if s.start <= start + _lead(phrase) and end - _trail(phrase) <= s.end:
            return s.category
    return None


def _lead(phrase: str) -> int:
    return len(phrase) - len(phrase.lstrip(" ,.-"))


def _trail(phrase: str) -> int:
    return len(phrase) - len(phrase.rstrip(" ,.-"))


# ---------------------------------------------------------------------------------------------- positives
@pytest.mark.parametrize(
    "text, phrase, category",
    [
        # phone numbers split at every pause, after the agent's question on the line before
        ("agent: What's the best number to reach you?\ncaller: Sure, my cell is 916, 5, 5, 6, 6, 2, 3.\n",
         "916, 5, 5, 6, 6, 2, 3", "PHONE"),
        ("agent: In case we get cut off, what's a good callback?\ncaller: Um, 6, 1, 9, 5, 5, 3, 4, 6, 8, 0.\n",
         "6, 1, 9, 5, 5, 3, 4, 6, 8, 0", "PHONE"),
        ("caller: You can call me back at 4-4-2, 5-5-5, 5-0-2-3 after six.\n", "4-4-2, 5-5-5, 5-0-2-3", "PHONE"),
        ("caller: It's this one, 442, 555, 9249.\n", "442, 555, 9249", "PHONE"),
        ("caller: Yeah, it's six, six, one, five, five, five, five, eight, two, seven.\n",
         "six, six, one, five, five, five, five, eight, two, seven", "PHONE"),
        ("caller: Sure, my sale is I-51-555-841-6.\n", "I-51-555-841-6", "OTHER_ID"),  # no cue: "sale" is "cell"
        # digits Whisper heard as words, next to a phone run short of ten digits
        ("caller: Sure, my cell is high in 5, 1, 5, 5, 0, 2, 8, 9.\n", "high in 5, 1, 5, 5, 0, 2, 8, 9", "PHONE"),
        ("agent: What's the best number to reach you?\ncaller: Yeah, it's time 5, 1, 5, 5, 5, 7, 4, 5, 9.\n",
         "time 5, 1, 5, 5, 5, 7, 4, 5, 9", "PHONE"),
        # member and group numbers, with the cue misheard
        ("agent: Can you read me the member ID?\ncaller: Remember ID is 3-2-3, 3-6-0, 1-5-7.\n",
         "3-2-3, 3-6-0, 1-5-7", "HEALTH_PLAN"),
        ("agent: Can you read me the member ID off the card?\ncaller: Okay, it's XWB-448,172,093.\n",
         "XWB-448,172,093", "HEALTH_PLAN"),
        ("caller: It says CBH147, 362, 410 and the group number is 174,402.\n", "174,402", "HEALTH_PLAN"),
        ("caller: and the group number is 044, 727. Um, mine is July 30, 1958.\n", "044, 727", "HEALTH_PLAN"),
        ("caller: and the group number in T, 6, 11,\n", "T, 6, 11", "HEALTH_PLAN"),
        ("caller: It's NPCV328675280, and the group number is double U134408.\n", "double U134408", "HEALTH_PLAN"),
        ("agent: Can you read me the member ID off the card?\ncaller: Okay, it's NFQ, 4, 0, 11, 16, 0, 8, 7, and the group\n",
         "NFQ, 4, 0, 11, 16, 0, 8, 7", "HEALTH_PLAN"),
        # one number cut across two segments of the same speaker, the agent's line sorted between them
        ("agent: What's the best number to reach you?\ncaller: Sure, my cell is 916, 555,\nagent: Mm-hmm.\n"
         "caller: 6623. He's 35.\n", "6623", "PHONE"),
        # phone-band audio: "five" heard as "time", "seven" as "heaven"
        ("agent: What's the best number to reach you?\ncaller: It's this one 7-0-2, time-time-time, 4-8-0-3, I'm 60.\n",
         "7-0-2, time-time-time, 4-8-0-3", "PHONE"),
        ("caller: Yeah, it's 6-1. 9-5-5. Heaven 1-7-5.\n", "6-1. 9-5-5. Heaven 1-7-5", "OTHER_ID"),
        # a unit after the run belongs to its last group only
        ("caller: Sure, my cell is 949, 555, 2132, 47 years old, and I need help.\n", "949, 555, 2132", "PHONE"),
        # social security numbers, the cue a line earlier
        ("agent: For the verification I just need the last four on your social.\ncaller: Okay, one for zero six.\n",
         "one for zero six", "SSN"),
        ("agent: And your social security number?\ncaller: It's 5, 0, 8, 6, 2, 1, 4, 4, 9.\n",
         "5, 0, 8, 6, 2, 1, 4, 4, 9", "SSN"),
        # case numbers and spelled identifiers
        ("caller: The judge wants him in a program, the case number in M, 2, 0, 2, 6, 8, 8, 7, 9, 9, if that matters.\n",
         "M, 2, 0, 2, 6, 8, 8, 7, 9, 9", "ACCOUNT"),
        ("caller: Okay, good. It's 3-1-7-8.\n", "3-1-7-8", "OTHER_ID"),
        # dates in digit shapes
        ("agent: And what's his date of birth?\ncaller: 10, 31, 26.\n", "10, 31, 26", "DATE"),
        ("caller: We got the letter on 10, 31, 26 and called right away.\n", "10, 31, 26", "DATE"),
        ("agent: Of course, what else is on your mind?\ncaller: 12, 14, 89\n", "12, 14, 89", "DATE"),
        ("caller: 11-08-95\n", "11-08-95", "DATE"),
        ("caller: She got a DUI on September 9, 20, 26, and a judge wants her in a program.\n", "20, 26", "DATE"),
        # the admission day, however Whisper heard it
        ("agent: If the benefits check out, we could admit you on the salmon. Does that work?\n", "the salmon", "DATE"),
        ("agent: If the benefits check out, we could admit him on Tuesday, the sick does not work.\n",
         "Tuesday, the sick", "DATE"),
        ("agent: If the benefits check out, we could admit the runners made the 8th. Does that work?\n",
         "runners made the 8th", "DATE"),
        # spoken email remnants in the answer to the email question
        ("agent: And an email, where I can send the intake forms?\ncaller: Sure, it's raceign, time to have an ample dot com.\n",
         "raceign, time to have an ample dot com", "EMAIL"),
        ("agent: Is there an email where I can send the consent forms?\n"
         "caller: brace underscore a stroke, kiss it, sign up and sample not com. How much is it?\n",
         "brace underscore a stroke, kiss it, sign up and sample not com", "EMAIL"),
    ],
)
def test_asr_shapes_found(text: str, phrase: str, category: str) -> None:
    assert _covers(text, phrase) == category


def test_spans_are_asr_layer_and_known_categories() -> None:
    text = "agent: What's the best number to reach you?\ncaller: Sure, my cell is 916, 5, 5, 6, 6, 2, 3.\n"
    spans = find(text)
    assert spans, "the split phone number is found"
    for span in spans:
        assert span.layer == LAYER == "asr"
        assert span.category in CATEGORIES
        assert "\n" not in text[span.start : span.end]


@pytest.mark.parametrize(
    "text, phrase, canonical",
    [
        ("agent: What insurance does he have?\ncaller: Huh? I have medical. Do you take that?\n", "medical", "medicaid"),
        ("agent: Can you read me the member ID?\ncaller: Oh, I have signal. It's an HMO.\n", "signal", "cigna"),
        ("caller: Right now she's on my plan, try care through my job.\n", "try care", "tricare"),
        ("agent: To be honest with you, we're not contracted with me decal, but I can still verify the plan.\n",
         "me decal", "medicaid"),
        ("caller: I am eaten through work. Okay, it's on the card.\n", "eaten", "aetna"),
    ],
)
def test_misheard_insurers_tagged(text: str, phrase: str, canonical: str) -> None:
    spans = _spans_over(text, phrase)
    assert [(s.category, s.canonical) for s in spans] == [("INSURER", canonical)]


# ---------------------------------------------------------------------------------------------- negatives
@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: The last place wanted $4,500 up front.\n", "$4,500"),
        ("caller: It was about 4,500 dollars a month.\n", "4,500"),
        ("caller: My dad paid $1,250,000 for the house, he can afford it.\n", "1,250,000"),
        ("agent: Can you read me the member ID?\ncaller: Hold on, it says 1,200,000 members on the back.\n", "1,200,000"),
        ("caller: He did 30 days at another place.\n", "30 days"),
        ("agent: We have a 90-day program.\n", "90-day"),
        ("caller: He's been drinking since 2019.\n", "2019"),
        ("caller: He uses 2 or 3 times a week, sometimes 3, 4 times a day.\n", "3, 4 times"),
        ("caller: He usually wakes up at 7:30 and is drinking by 8.\n", "7:30"),
        ("caller: She takes 8 milligrams of Suboxone, 2, 3, 4 milligrams of Klonopin.\n", "2, 3, 4 milligrams"),
        ("agent: And his date of birth?\ncaller: He's 24, he turns 25 next month.\n", "24"),
        ("agent: Can you read me the member ID?\ncaller: I've been sober 120 days now.\n", "120 days"),
        ("agent: And your date of birth?\ncaller: March 4, 1999.\n", "4, 1999"),
        ("caller: He won't admit he has a problem.\n", "he has a problem"),
        ("agent: If the benefits check out, we could admit you to the program today.\n", "the program"),
        ("caller: It's this one, the blue house on the corner.\n", "this one"),
        ("caller: I've called 3, 4, 5 places already and nobody calls back.\n", "3, 4, 5"),
        ("caller: He has 10, 20 grand in debt.\n", "10, 20"),
        ("agent: We take most insurance plans. We have medical detox on site.\n", "medical detox"),
        ("agent: Insurance may cover it, it depends on medical necessity.\n", "medical necessity"),
        ("agent: Your plan should cover it; where we're different is the medical side.\n", "medical side"),
        ("caller: Sorry, bad signal. Can you hear me?\n", "signal"),
        ("agent: Coordinate with the jail for a pickup on release 3, 4 days out.\ncaller: Oh, and his insurance?\n", "Oh"),
        ("caller: He's 35.\nagent: Okay.\ncaller: 2 kids, both at home.\n", "2 kids"),
        ("caller: Sure, my cell is 949, 555, 2132, 47 years old, and I need help.\n", "47 years"),
        ("caller: It took a long time, 2, 3 years, to get here.\n", "time, 2, 3"),
        ("caller: Take your time, 5 or 6 days is fine.\n", "time, 5"),
        ("caller: six two six five five five zero six high\nagent: And how old are you?\ncaller: 25 it started young.\n",
         "25"),
        ("caller: Please stop sending texts to 699 956 915 after today.\n", "texts to"),
        ("caller: He went to rehab in 2019, 2020 and 2021, it never stuck.\n", "2019, 2020"),
        ("caller: He relapsed on 3, 4 occasions after that.\n", "3, 4"),
        ("caller: It's open 24/7, right? And the 1-2 week detox first?\n", "1-2"),
        ("caller: He's 5'11\", 180 pounds, about 6, 7 drinks a night.\n", "5'11"),
        ("agent: Is there an email where I can send the forms?\ncaller: I don't really use email, can you mail it?\n",
         "I don't really use email"),
    ],
)
def test_asr_shapes_leave_alone(text: str, phrase: str) -> None:
    assert _spans_over(text, phrase) == []


# ---------------------------------------------------------------------------------------------- corpus level
@pytest.fixture(scope="module")
def redactor():
    """The engine without this layer (layers.yaml now chains it), the baseline it is measured against."""
    from cipher_pipeline.deid.engine import Redactor

    return Redactor.default(disabled_layers={"asr"})


def _structured_recall(score: ev.Score) -> float:
    cats = ("PHONE", "HEALTH_PLAN", "SSN")
    total = sum(score.entities[c] for c in cats)
    return sum(score.entities_found[c] for c in cats) / total


@pytest.fixture(scope="module")
def chained(redactor, tmp_path_factory):
    """The engine with this layer chained through the config, as production will run it."""
    import yaml

    from cipher_pipeline.deid.engine import CONFIG_PATH, Redactor

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    if "asr" not in [layer["name"] for layer in config["layers"]]:
        config["layers"].append({"name": "asr", "module": "cipher_pipeline.deid.asr_shapes"})
    path = tmp_path_factory.mktemp("asr") / "layers.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return Redactor.default(config_path=path)


def test_shouted_transcript_has_no_code_letters() -> None:
    text = "AGENT: WHAT'S THE BEST NUMBER?\nCALLER: MY CELL IS 916, 5, 5, 6, 6, 2, 3.\n"
    spans = find(text)
    assert [text[s.start : s.end] for s in spans] == ["916, 5, 5, 6, 6, 2, 3"]


def test_chained_through_config(redactor, chained) -> None:
    # the last of the pattern layers; only the learned layer, which reads what they all leave, runs after it
    assert [name for name in chained.active_layers if name != "learned"][-1] == "asr"
    assert chained.version != redactor.version  # the layer's module is hashed into the engine version
    text = (
        "agent: What's the best number to reach you?\ncaller: Sure, my cell is 916, 5, 5, 6, 6, 2, 3. He's 35.\n"
        "agent: If the benefits check out, we could admit you on the salmon. Does that work?\n"
    )
    out = chained.redact(text).redacted_text
    assert "916" not in out and "2, 3" not in out and "salmon" not in out
    assert "35" in out and "benefits" in out


def test_chained_engine_matches_combined_predictor(redactor, chained) -> None:
    """Chaining through the engine scores at least as well as the resolve-based combination measured here."""
    docs = ev.load_jsonl(ASR_CORPUS / "tiny_wideband.jsonl")
    via_engine = ev.run(docs, ev.cipher_predictor(chained))
    combined = ev.run(docs, combined_predictor(redactor))
    assert via_engine.entity_recall >= combined.entity_recall - 0.02


def test_combined_engine_beats_base_on_real_whisper_output(redactor) -> None:
    docs = ev.load_jsonl(ASR_CORPUS / "base_wideband.jsonl")
    base = ev.run(docs, ev.cipher_predictor(redactor))
    both = ev.run(docs, combined_predictor(redactor))
    assert sum(base.entities[c] for c in ("PHONE", "HEALTH_PLAN", "SSN")) >= 20
    # measured 0.59 -> 0.93 when written (0.68 -> 0.93 once the rules layer read comma-split phones); loose, so
    # engine changes elsewhere do not break it
    assert _structured_recall(both) > _structured_recall(base)
    assert _structured_recall(both) >= 0.8
    assert both.entity_recall > base.entity_recall
    # more recall must not cost precision or mask the words the analytics need
    assert both.token_precision >= base.token_precision - 0.01
    assert len(both.survive_masked) <= len(base.survive_masked)


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: it's 6-1-9, time, time, time, nearly 2-0. She'd been drinking", "6-1-9, time, time, time, nearly 2-0"),
        ("caller: It's 714. Time, time, time.", "714. Time, time, time"),
        ("caller: It's romantic so, time time time. 2413. I'm", "time time time. 2413"),
        ("caller: Time, time, time, time, time 1-0. If ever", "Time, time, time, time, time 1-0"),
        ("caller: she will go on six, one time, time, time, time, three or four, she went", "six, one time, time, time, time, three or four"),
    ],
)
def test_phone_band_soundalike_runs_are_phones(text: str, phrase: str) -> None:
    assert _covers(text, phrase) == "PHONE"


@pytest.mark.parametrize(
    "text",
    [
        "caller: I tried one time, time, time again, five times",
        "caller: it was 3 times, maybe 4, in 2019",
        "caller: it's 6-1-9, time, time, time, nearly 2-0, 66. She'd been",
    ],
)
def test_phone_band_leaves_counts_and_ages(text: str) -> None:
    assert not [s for s in find(text) if s.category == "PHONE" and "66" in text[s.start : s.end] or
                (s.category == "PHONE" and "again" in text[s.start : s.end]) or
                (s.category == "PHONE" and "2019" in text[s.start : s.end])]


@pytest.mark.parametrize(
    "text, day",
    [
        ("caller: it's Oktober 21st, 2026.", "21st"),
        ("agent: we can admit you on the 21st, 2026.", "21st"),
        ("caller: he was born octobered twenty-first, 1988", "twenty-first"),
        ("caller: the first, 2026 works", "first"),
    ],
)
def test_ordinal_day_before_a_year_is_a_date_and_the_year_stays(text: str, day: str) -> None:
    spans = _spans_over(text, day)
    assert spans and {s.category for s in spans} == {"DATE"}
    year = re.search(r"(?:19|20)\d\d", text).group()
    assert not _spans_over(text, year)


def test_ordinal_words_that_are_not_days_stay() -> None:
    assert not _spans_over("caller: give me a second, 2019 was rough", "second")


@pytest.mark.parametrize(
    "text, phrase, category",
    [
        ("agent: can you read me the member ID?\ncaller: So, I am not a UKC, 3M and 3, 5, 5, 5, 5, 7, 8, isn't that",
         "not a UKC, 3M and 3, 5, 5, 5, 5, 7, 8", "HEALTH_PLAN"),
        ("agent: Do you have your driver's license number handy?\ncaller: It's me, four, zero, three, six, two, zero, eight.",
         "me, four, zero, three, six, two, zero, eight", "LICENSE"),
        ("agent: And your member ID? Let me repeat that, M and E, two, one, seven, zero, one, six, three, two, eight",
         "M and E, two, one, seven, zero, one, six, three, two, eight", "HEALTH_PLAN"),
        ("agent: can you read me the member ID?\ncaller: Okay, F, not all UK, 1, 2, 3, 6, 0, 2, 3, 7, 9. June",
         "F, not all UK, 1, 2, 3, 6, 0, 2, 3, 7, 9", "HEALTH_PLAN"),
    ],
)
def test_spelled_code_prefix_as_whisper_heard_it_joins_the_id(text: str, phrase: str, category: str) -> None:
    assert _covers(text, phrase) == category


def test_ordinary_words_before_an_id_stay_without_a_handover() -> None:
    text = "agent: member ID?\ncaller: sure and 1, 2, 3, 6, 0, 2, 3, 7, 9 and you know"
    assert _covers(text, "1, 2, 3, 6, 0, 2, 3, 7, 9") == "HEALTH_PLAN"
    assert not _spans_over(text, "sure and")


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: 619, I'm time, I'm 8479.", "619, I'm time, I'm 8479"),
        ("caller: I'm, I'm, I'm, I'm, I'm, I'm 018.", "I'm, I'm, I'm, I'm, I'm, I'm 018"),
    ],
)
def test_nine_heard_as_im_inside_a_phone_band_run(text: str, phrase: str) -> None:
    assert _covers(text, phrase) == "PHONE"


@pytest.mark.parametrize(
    "text",
    ["caller: I'm, I'm, I'm not sure, I'm 35 and I'm 5 foot", "caller: I'm, I'm, I'm, I'm 45, so", "caller: I'm 35, I'm, I'm tired"],
)
def test_a_stammered_im_is_not_a_phone(text: str) -> None:
    assert not [s for s in find(text) if s.category == "PHONE"]


@pytest.mark.parametrize(
    "text, day",
    [
        ("agent: we could admit you on Monday, but it's not that word. Hang in", "Monday, but it's not"),
        ("agent: we could admit you on Friday but I'm none at work. Thanks", "Friday but I'm none"),
        ("agent: we could admit the wrong Saturday, but then, none at work. Alright", "Saturday, but then, none"),
    ],
)
def test_scheduled_day_runs_on_to_the_mangled_if_that_works(text: str, day: str) -> None:
    assert _covers(text, day) == "DATE"
    assert not _spans_over(text, " wor")


@pytest.mark.parametrize(
    "text, kept",
    [
        ("agent: we could admit you on Monday. Does that work for you?", "Does"),
        ("agent: we could admit you on the sixth if that works", "if"),
        ("agent: we could admit you on Monday, the kids can visit and they work", "kids"),
    ],
)
def test_schedule_tail_stops_at_a_question_or_a_clause(text: str, kept: str) -> None:
    assert not _spans_over(text, kept)


@pytest.mark.parametrize(
    "text, day",
    [
        ("caller: Tuesday, the sick works for me", "the sick"),
        ("caller: Monday the fit, if that is okay", "the fit"),
        ("caller: he was born every fifth, nineteen seventy eight", "fifth"),
        ("agent: so on the twenty-first, twenty twenty six", "twenty-first"),
    ],
)
def test_weekday_day_and_spoken_year_shapes(text: str, day: str) -> None:
    spans = _spans_over(text, day)
    assert spans and {s.category for s in spans} == {"DATE"}
    if "works" in text:
        assert not _spans_over(text, "works")


def test_spoken_year_after_an_ordinal_day_stays() -> None:
    text = "caller: he was born every fifth, nineteen seventy eight"
    assert not _spans_over(text, "nineteen seventy eight")


def test_two_soundalikes_beside_six_real_digits_are_a_phone() -> None:
    assert _covers("caller: 213. Time. 213. Time.", "213. Time. 213. Time") == "PHONE"


def test_years_with_soundalikes_are_not_a_phone() -> None:
    text = "caller: in 2019. Time, time went on, 2020 and 2021"
    assert not [s for s in find(text) if s.category == "PHONE"]


def test_zero_heard_as_nero_counts_in_a_phone_band_run() -> None:
    text = "caller: It's 7-1-4, nero, time, time, time, 4-4-1-2."
    assert _covers(text, "7-1-4, nero, time, time, time, 4-4-1-2") == "PHONE"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("agent: I'll note it for the nurse.\ncaller: Right. It's an 8, 2, 9, 4, 6, 2, 2.", "an 8, 2, 9, 4, 6, 2, 2"),
        ("caller: the member I needed me, I, 1, 6, 2, 7, 9, 4, 0, 8, 9, and the group", "me, I, 1, 6, 2, 7, 9, 4, 0, 8, 9"),
        ("agent: serial number?\ncaller: The serial number on it is easy, 728, 956, 36, hum", "easy, 728, 956, 36"),
    ],
)
def test_letter_prefix_after_a_handover_or_with_no_cue(text: str, phrase: str) -> None:
    assert _covers(text, phrase) is not None


def test_no_letter_prefix_without_a_handover_word() -> None:
    text = "caller: I think I 12345678 was it"
    assert not _spans_over(text, "think I")


@pytest.mark.parametrize(
    "text, month_day",
    [("caller: My limit's over 26, 1984.", "over 26"), ("caller: Made well, 1972.", "Made well")],
)
def test_short_answer_ending_in_a_year_loses_its_month_and_day(text: str, month_day: str) -> None:
    assert _covers(text, month_day) == "DATE"
    year = re.search(r"(?:19|20)\d\d", text).group()
    assert not _spans_over(text, year)


@pytest.mark.parametrize(
    "text",
    ["caller: Yeah, since, 2019.", "caller: He has been using since 2019, 2020.", "caller: about 3 years, 2021.",
     "caller: He has been drinking every single day since it started, 2019."],
)
def test_years_in_ordinary_answers_stay(text: str) -> None:
    assert not [s for s in find(text) if s.category == "DATE"]


def test_a_chain_of_heights_is_a_spoken_number() -> None:
    text = "agent: best number?\ncaller: It's 5'6\", 2'5\", 5'5\", 2'4\", 3'4."
    assert _covers(text, "5'6\", 2'5\", 5'5\", 2'4\", 3'4") == "PHONE"


def test_real_heights_stay() -> None:
    text = "caller: he is 5'6\" and she is 5'2\", the kid 4'1\""
    assert not find(text)


@pytest.mark.parametrize("text", ["svr 1050 to 1300 overnight", "bp 95 to 110 over 40s", "pcwp 18 to 22", "drain 350 cc since 6"])
def test_vitals_and_volumes_are_not_spoken_ids(text):
    from cipher_pipeline.deid import asr_shapes

    assert asr_shapes.find(text) == []


@pytest.mark.parametrize("text, phrase", [("caller: it's k 3 9 2 0 4 1 8", "3 9 2 0 4 1 8"),
                                          ("caller: the hr number is 4 4 0 2 7 1 9", "4 4 0 2 7 1 9")])
def test_ids_read_digit_by_digit_after_a_vital_word_are_still_ids(text, phrase):
    from cipher_pipeline.deid import asr_shapes

    start = text.index(phrase)
    assert any(s.start <= start and start + len(phrase) <= s.end for s in asr_shapes.find(text))


@pytest.mark.parametrize(
    "text, phrase, canonical",
    [
        # a name split or joined otherwise, in a transcript stored before asr_terms put it back
        ("agent: And which plan is she under?\ncaller: Mo lina, through the state.\n", "Mo lina", "molina"),
        ("caller: my card just says Health, Net on the front\n", "Health, Net", "health_net"),
        # the insurance cue on the line before licenses a sound-alike in the answer's slot
        ("agent: What insurance does your son have?\ncaller: Ambeter, I think.\n", "Ambeter", "ambetter"),
    ],
)
def test_names_asr_terms_finds_are_masked_with_their_id(text: str, phrase: str, canonical: str) -> None:
    assert [(s.category, s.canonical) for s in _spans_over(text, phrase)] == [("INSURER", canonical)]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: I am better now than last week, honestly.\n", "am better"),
        ("agent: any insurance?\ncaller: sure and he has the card somewhere\n", "sure and"),
    ],
)
def test_everyday_words_are_no_carrier(text: str, phrase: str) -> None:
    assert not _spans_over(text, phrase)


@pytest.mark.parametrize(
    "text, phrase",
    [
        # a day of the month whose weekday or "the" Whisper garbled
        ("agent: so cold Wednesday 17th works for intake?\n", "17th"),
        ("caller: the hearing's, um, frosty, 3rd, at the courthouse\n", "3rd"),
        ("agent: we can do Mundy 22nd if you can get a ride\n", "22nd"),
    ],
)
def test_a_bare_ordinal_day_is_a_date(text: str, phrase: str) -> None:
    assert [s.category for s in _spans_over(text, phrase)] == ["DATE"]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("caller: she's in 11th grade at the high school\n", "11th"),
        ("caller: this is my 4th time trying to get clean\n", "4th"),
        ("caller: it was the 2nd one we tried\n", "2nd"),
        ("caller: he finished 3rd in state that year\n", "3rd"),
    ],
)
def test_an_ordinal_that_counts_something_stays(text: str, phrase: str) -> None:
    assert not _spans_over(text, phrase)


# ------------------------------------------------------------------------------------------------ the recognizers
# Each shape of the asr layer is one recognizer (asr_shapes.RECOGNIZERS) and names itself on what it finds. Invented
# phrasings, none from calls_dev.
@pytest.mark.parametrize(
    "text, phrase, recognizer",
    [
        ("agent: and the member id?\ncaller: sure it's 6, 1, 8, 3, 3, 0, 2, 7\n", "6, 1, 8, 3, 3, 0, 2, 7", "digit_run"),
        ("agent: we can admit him on the vandal, does that work?\n", "the vandal", "admission_day"),
        ("agent: what's a good email?\ncaller: it's rosa lind forty at gmail dot com\n",
         "rosa lind forty at gmail dot com", "email_remnant"),
        ("caller: it was March 4, 20, 25 or so\n", "20, 25", "split_year"),
        ("agent: who's your insurance with?\ncaller: we have signal through his job\n", "signal", "misheard_carrier"),
        ("agent: how about Thursday, the fit?\n", "Thursday, the fit", "weekday_the_day"),
        ("caller: they said novembre 14th, 2027 for the bed\n", "14th", "ordinal_day_year"),
        ("agent: and her date of birth?\ncaller: Jude tent, 1981.\n", "Jude tent", "short_date_answer"),
        ("caller: my cell is 4'1\", 5'3\", 2'7\", 7'4\"\n", "4'1\", 5'3\", 2'7\", 7'4\"", "height_chain"),
        ("caller: maybe sunday 12th works for us\n", "12th", "bare_ordinal_day"),
        ("caller: call me at 3-1-0, time, time, time, 6-4-2-9\n", "3-1-0, time, time, time, 6-4-2-9", "phone_band_digits"),
        ("caller: my granny lives with us, shoes 98, so\n", "98", "heard_age"),
    ],
)
def test_each_asr_shape_names_its_recognizer(text: str, phrase: str, recognizer: str) -> None:
    start = text.index(phrase)
    named = [s for s in find(text) if s.recognizer == recognizer]
    assert any(s.start <= start and start + len(phrase) <= s.end for s in named), recognizer
    assert all(s.layer == "asr" for s in find(text))


def test_every_asr_span_names_a_recognizer_of_the_chain() -> None:
    from cipher_pipeline.deid.asr_shapes import RECOGNIZERS

    text = ("agent: what's the group number and her birthday?\ncaller: 4, 4, 1, 9, 0, 2, 7, and 10, 31, 26\n"
            "agent: we could admit her on the fist, if that works\n")
    spans = find(text)
    assert spans and {s.recognizer for s in spans} <= {r.name for r in RECOGNIZERS}
