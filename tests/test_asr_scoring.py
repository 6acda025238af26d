"""The ASR benchmark's scoring and the decoder vocabulary: plain functions, no model needed."""

import pytest

from cipher_devtools.bench import leak_counts, score_call, variant_options
from cipher_pipeline.transcribe import DecodeOptions, center_vocabulary, vocabulary_prompt

GOLD = {
    "voices": {"agent": {"engine": "espeak-ng"}, "caller": {"engine": "piper"}},
    "turns": [
        {"speaker": "agent", "text": "Do you have insurance?", "spans": []},
        {"speaker": "caller", "text": "Yes, Aetna. Call Rosa at 602-555-0114, I was on Suboxone.",
         "spans": [{"category": "INSURER", "text": "Aetna"}, {"category": "NAME", "text": "Rosa"},
                   {"category": "PHONE", "text": "602-555-0114"}]},
    ],
}


def test_a_perfect_transcript_scores_zero_errors_whatever_the_number_formatting():
    channels = {"agent": "Do you have insurance?", "caller": "yes aetna call rosa at six oh two 5550114 i was on suboxone"}
    s = score_call(GOLD, channels, {"suboxone"})
    assert s["errors"] == 0 and s["ref_words"] == 4 + 19  # ten digits, one token each
    assert s["terms"] == {"insurer": [1, 1], "drug": [1, 1]}
    assert s["ids"] == [1, 1]
    assert s["by_voice"] == {"espeak-ng": [0, 4], "piper": [0, 19]}


def test_misheard_terms_and_identifiers_count_as_missed_on_their_own_channel():
    channels = {"agent": "Do you have insurance? Aetna 6025550114", "caller": "yes etna call rosa at 602 555 01 for"}
    s = score_call(GOLD, channels, {"suboxone"})
    assert s["terms"]["insurer"] == [0, 1]  # said by the caller: the agent's channel does not count
    assert s["ids"] == [0, 1]
    assert s["errors"] > 0


def test_leaks_are_counted_on_letters_and_digits_and_whole_names():
    assert leak_counts(GOLD, "Yes, Aetna. Call [NAME] at [PHONE], I was on Suboxone.") == (0, 2)
    assert leak_counts(GOLD, "Yes, Aetna. Call Rosa at 602 555 0114.") == (2, 2)
    assert leak_counts(GOLD, "Call Rosalind at [PHONE]") == (0, 2)  # a longer word is not the name


def test_variants_combine_and_unknown_ones_fail():
    assert variant_options("batched+hotwords") == {"batch_size": 8, "vocabulary": "hotwords"}
    assert variant_options("default") == {}
    with pytest.raises(ValueError):
        variant_options("batched+turbo")
    with pytest.raises(ValueError):
        DecodeOptions(vocabulary="callers")


def test_vocabulary_comes_from_the_lexicons_in_priority_order_and_fits_the_budget():
    terms = center_vocabulary()
    assert terms[:2] == ("Aetna", "Cigna")
    assert "Seaside Recovery" in terms and "Suboxone" in terms
    assert "Blue Cross" not in terms  # inside "Blue Cross Blue Shield", already there
    words = lambda text: len(text.split())  # noqa: E731 - a stand-in token counter
    prompt = vocabulary_prompt(words, budget=20)
    assert words(" " + prompt) <= 20 and prompt.startswith("Aetna, Cigna")
