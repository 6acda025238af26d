"""Whisper's per-word probability kept in a transcript (``Segment.words``) and placed in the call's text
(``cipher_devtools.asr_doubt``): invented words and probabilities, no model needed."""

import dataclasses
import json
import re
from types import SimpleNamespace

from cipher_devtools.asr_doubt import _threshold, placed
from cipher_pipeline.transcribe import (
    Segment,
    Transcript,
    _joined_words,
    _split_at_pauses,
    with_loops_collapsed,
    with_terms_normalised,
)


def _word(text, start, end, probability):
    return SimpleNamespace(word=text, start=start, end=end, probability=probability)


def _spans(text, words):
    return [(text[s:e], p) for s, e, p in words]


def test_each_word_keeps_its_offsets_and_probability_in_the_text_the_pause_split_writes():
    piece = SimpleNamespace(start=0.0, end=6.0, text=" Okay, Marla Vint. Yes.", words=[
        _word(" Okay,", 0.0, 0.4, 0.97), _word(" Marla", 0.5, 0.9, 0.41), _word(" Vint.", 0.9, 1.3, 0.22),
        _word(" ", 1.3, 1.3, 0.5), _word(" Yes.", 3.0, 3.4, 0.99)])
    (first, second) = _split_at_pauses(piece)  # 1.7 s of silence before "Yes."
    assert first[2] == "Okay, Marla Vint." and second[2] == "Yes."
    assert _spans(first[2], first[3]) == [("Okay,", 0.97), ("Marla", 0.41), ("Vint.", 0.22)]
    assert _spans(second[2], second[3]) == [("Yes.", 0.99)]
    text, words = _joined_words([_word("  two", 0, 1, 0.5), _word("-one ", 1, 2, 0.25)])
    assert text == "two-one" and _spans(text, words) == [("two", 0.5), ("-one", 0.25)]
    bare = SimpleNamespace(start=0.0, end=1.0, text=" Hello there.", words=None)
    assert _split_at_pauses(bare) == [(0.0, 1.0, "Hello there.", ())]


def test_a_word_a_later_step_rewrote_or_cut_loses_its_probability_and_the_rest_move_with_the_text():
    text = "Okay. sorry, sorry, sorry, sorry, sorry, sorry, thanks"
    words = tuple((m.start(), m.end(), 0.1 * (k % 9 + 1)) for k, m in enumerate(re.finditer(r"\S+", text)))
    (out,) = with_loops_collapsed([Segment("caller", 0.0, 5.0, text, -0.3, 0.01, words)])
    assert out.text == "Okay. sorry, thanks"
    kept = _spans(out.text, out.words)
    # the round kept is one of the six, whichever the alignment matched: they are the same text
    assert kept[0] == ("Okay.", words[0][2]) and kept[2] == ("thanks", words[7][2]) and len(kept) == 3
    assert kept[1][0] == "sorry," and kept[1][1] in {w[2] for w in words[1:7]}
    asked = "What insurance do you have?"
    heard = "I have signal through work."
    heard_words = ((0, 1, 0.99), (2, 6, 0.95), (7, 13, 0.3), (14, 21, 0.9), (22, 27, 0.8))
    _, caller = with_terms_normalised([Segment("agent", 0.0, 2.0, asked, -0.2, 0.01),
                                       Segment("caller", 2.5, 3.5, heard, -0.3, 0.02, heard_words)])
    assert caller.text == "I have Cigna through work."
    assert _spans(caller.text, caller.words) == [("I", 0.99), ("have", 0.95), ("through", 0.9), ("work.", 0.8)]


def test_the_words_are_placed_in_the_call_text_and_a_record_without_them_still_reads():
    segments = [Segment("agent", 0.0, 1.0, "Who am I speaking with?", -0.2, 0.01, ((0, 3, 0.9), (20, 23, 0.8))),
                Segment("caller", 1.5, 2.0, "Dana Pell.", -0.9, 0.02, ((0, 4, 0.6), (5, 10, 0.05))),
                Segment("caller", 2.5, 3.0, "From Ockley.", -0.7, 0.02, ((0, 4, 0.9), (5, 12, 0.12))),
                Segment("agent", 3.5, 4.0, "Thanks.", -0.1, 0.01)]
    transcript = Transcript(segments, 4.0, "en")
    record = json.loads(json.dumps({"id": "call_999", "text": transcript.text(),
                                    "segments": [dataclasses.asdict(s) for s in segments]}))
    words, pieces = placed(record)
    assert [(record["text"][w.start : w.end], w.probability, w.speaker) for w in words] == [
        ("Who", 0.9, "agent"), ("th?", 0.8, "agent"), ("Dana", 0.6, "caller"), ("Pell.", 0.05, "caller"),
        ("From", 0.9, "caller"), ("Ockley.", 0.12, "caller")]
    assert [record["text"][p.start : p.end] for p in pieces] == [s.text for s in segments]
    assert Segment(**record["segments"][1]) == segments[1]  # a saved transcript reads back as it was written
    for seg in record["segments"]:
        del seg["words"]  # stored before session 16
    assert placed(record)[0] == [] and len(placed(record)[1]) == 4
    record["text"] = record["text"].replace("Dana", "Dina")
    try:
        placed(record)
    except ValueError as exc:
        assert "rebuild" in str(exc) and "Dina" not in str(exc)  # no transcript text in the message
    else:
        raise AssertionError("a record whose segments do not rebuild its text must be refused")


def test_the_threshold_at_a_budget_flags_at_most_that_many_clean_words():
    clean = [0.9, 0.05, 0.3, 0.6, 0.01]
    for allowed in range(6):
        t = _threshold(clean, allowed)
        assert sum(p < t for p in clean) == allowed


def test_an_answer_region_is_the_opening_of_a_caller_line_after_an_agent_asks_for_an_identifier():
    from cipher_devtools.asr_doubt import answer_regions

    text = ("agent: And what's your date of birth?\ncaller: it's march ninth I think\n"
            "agent: Okay, how are you feeling today?\ncaller: pretty rough honestly\n"
            "caller: and where are you calling from\nagent: What town are you in?\ncaller: " + "a" * 150)
    regions = answer_regions(text)
    assert [text[a:b].split(":")[0] for a, b in regions] == ["caller", "caller"]
    assert text[regions[0][0] : regions[0][1]] == "caller: it's march ninth I think"
    assert regions[1][1] - regions[1][0] == 100  # the first 100 characters of a long answer


def test_content_words_are_those_whisper_has_no_reason_of_its_own_to_doubt():
    from cipher_devtools.asr_doubt import _content

    assert [_content(w) for w in ("um,", "the", "really", "I'm", "Ockley.", "Brindlemoor", "Tamsin")] == [
        False, False, False, False, True, True, True]


def test_a_decode_folder_is_a_blind_corpus_unless_said_to_be_calls_dev(tmp_path):
    """A folder of decodes does not say which corpus was spoken: without --calls-dev only its odd half may be read
    (a blind corpus's even half is held out); with it, any half of calls_dev's."""
    import pytest
    from cipher_devtools.asr_doubt import load

    for half in ("even", "even-b", "even-a", "dev"):
        with pytest.raises(SystemExit, match="development halves only"):
            load(f"x={tmp_path}:{half}")
    # with --calls-dev the half is allowed: the empty folder reads as no calls
    assert load(f"x={tmp_path}:even-b", calls_dev=True) == ("x", [], [])
