"""The WER's error classes (cipher_devtools/asr_errors.py) on invented calls: each class found, and the classes
add up to the word errors the WER counts."""

import pytest

from cipher_devtools.asr_errors import ERROR_CLASSES, align, call_error_classes, classify, tagged_reference
from cipher_pipeline.asr_text import edit_distance, wer_tokens


def _turn(speaker, text, spans=()):
    out = {"speaker": speaker, "text": text, "spans": []}
    for category, value in spans:
        start = text.index(value)
        out["spans"].append({"start": start, "end": start + len(value), "category": category, "text": value})
    return out


GOLD = {"turns": [
    _turn("agent", "Thanks for calling, this is Noor. What insurance do you have?", [("NAME", "Noor")]),
    _turn("caller", "I have Premera through work, and I take Suboxone.", [("INSURER", "Premera")]),
    _turn("agent", "Okay, and what is a good number for you?"),
    _turn("caller", "It is 509-555-0172, my cell, you can text me anytime after six tonight.", [("PHONE", "509-555-0172")]),
]}


def _classes(channels):
    return call_error_classes(GOLD, channels, {"suboxone"})


def test_a_perfect_transcript_has_no_errors_in_any_class():
    channels = {"agent": "Thanks for calling, this is Noor. What insurance do you have? OK, and what's a good number "
                         "for you?",
                "caller": "I have Premera through work and I take Suboxone. It's 5095550172, my cell, you can text "
                          "me any time after six tonight."}
    out = _classes(channels)
    assert sum(out[k] for k in ERROR_CLASSES) == 0 and out["_ref_words"] > 30


def test_each_class_is_found_and_the_classes_add_up_to_the_edit_distance():
    channels = {
        # a name misheard, and a loop
        "agent": "Thanks for calling, this is Nora. What insurance do you have? Okay, okay, okay, okay, okay, okay, "
                 "and what is a good number for you?",
        # an insurer and a drug misheard, a digit, and the rest of the turn dropped
        "caller": "I have premiere through work, and I take sub oxen. It is 509-555-0173, my cell.",
    }
    out = _classes(channels)
    assert out["identifier"] == 1
    assert out["vertical"] >= 2
    assert out["repeated_insertion"] >= 5
    assert out["dropped_stretch"] >= 5
    total = 0
    for speaker in ("agent", "caller"):
        ref = wer_tokens(" ".join(t["text"] for t in GOLD["turns"] if t["speaker"] == speaker))
        total += edit_distance(ref, wer_tokens(channels[speaker]))
    assert sum(out[k] for k in ERROR_CLASSES) == total


def test_small_clusters_by_word_kind_and_phrases_as_garbled():
    ref = "yeah so i will call you at the front desk".split()
    tags = [""] * len(ref)
    assert classify(ref, tags, "so i call you at the front desk".split())["filler"] == 1  # "yeah" dropped
    assert classify(ref, tags, "yeah so i call you at the front desk".split())["contraction"] == 1  # "will"
    assert classify(ref, tags, "yeah so i will call you at a front desk".split())["other"] == 1
    assert classify(ref, tags, "yeah so i will call new add off rant desk".split())["garbled_phrase"] >= 3
    assert classify(ref, tags, "yeah so i will call you at the frontdesk".split()) == {"form": 2}


def test_words_the_other_speaker_said_are_counted_as_heard_on_the_wrong_channel():
    ref = "i can do tuesday".split()
    out = classify(ref, [""] * 4, "what time works i can do tuesday".split(), "what time works for you".split())
    assert out["other_channel"] == 3


def test_the_reference_is_tagged_by_its_spans_and_drug_words():
    tokens, tags = tagged_reference(GOLD["turns"][1:2], {"suboxone"})
    assert dict(zip(tokens, tags))["premera"] == "vertical" and dict(zip(tokens, tags))["suboxone"] == "vertical"
    tokens, tags = tagged_reference(GOLD["turns"][3:4], set())
    assert tags[tokens.index("5")] == "identifier" and tags[tokens.index("cell")] == ""


def test_the_alignment_is_a_minimal_edit_script():
    ref, hyp = "a b c d e".split(), "a x c e f".split()
    ops = align(ref, hyp)
    assert sum(op[0] != "=" for op in ops) == edit_distance(ref, hyp) == 3
    assert [op[1] for op in ops if op[1] is not None] == ref and [op[2] for op in ops if op[2] is not None] == hyp


def test_missed_names_are_sorted_by_where_they_went():
    from cipher_devtools.asr_misses import term_misses
    from cipher_pipeline.transcribe import Segment

    gold = {"turns": [
        _turn("caller", "I have Premera and my wife has Oscar Health, we tried Bayview Recovery once.",
              [("INSURER", "Premera"), ("INSURER", "Oscar Health"), ("COMPETITOR", "Bayview Recovery")]),
        _turn("caller", "Also Humana for my dad.", [("INSURER", "Humana")]),
    ]}
    heard = [Segment("caller", 0.0, 5.0, "I have premier and my wife has Oscar, we tried bay view recovery once.",
                     -0.3, 0.01),
             Segment("caller", 6.0, 8.0, "Also for my dad.", -0.3, 0.01)]
    out = term_misses(gold, heard)
    assert out["insurer_sound_alike"] == 1  # premier / Premera
    assert out["insurer_partly_heard"] == 1  # Oscar of Oscar Health
    assert out["competitor_split_or_joined"] == 1  # "bay view": the same letters, written as two words
    assert out["insurer_dropped"] == 1  # Humana: nothing heard there


def test_a_turn_head_before_the_first_speech_region_is_counted_as_cut():
    from cipher_devtools.asr_misses import uncovered

    # a region that begins 1.2 s into a 4 s turn: the head and that much of the turn are outside
    assert uncovered(10.0, 14.0, [(11.2, 14.5)]) == pytest.approx((1.2, 1.2))
    # a region that opens before the turn (padding) covers its head
    assert uncovered(10.0, 14.0, [(9.5, 14.5)]) == pytest.approx((0.0, 0.0))
    # two regions with a gap: the head is the first one's start, the gap counts as outside too
    assert uncovered(0.0, 10.0, [(0.5, 4.0), (6.0, 10.0)]) == pytest.approx((0.5, 2.5))
    # overlapping padded regions are counted once; regions of other turns are ignored
    assert uncovered(0.0, 4.0, [(-3.0, -1.0), (0.0, 3.0), (2.0, 4.0), (5.0, 6.0)]) == pytest.approx((0.0, 0.0))
    # no region at all: the whole turn
    assert uncovered(2.0, 3.5, [(5.0, 6.0)]) == pytest.approx((1.5, 1.5))

