"""The ASR benchmark's scoring and the decoder vocabulary: plain functions, no model needed."""

import re

import pytest

from cipher_devtools.bench import calls_center_states, leak_counts, score_call, states_named, variant_options
from cipher_pipeline.transcribe import (
    MARKET_PROMPT_SHARES,
    PROMPT_SHARES,
    PROMPT_TOKEN_BUDGET,
    DecodeOptions,
    _coverage_of,
    center_states,
    center_vocabulary,
    payer_names,
    prompt_parts,
    vocabulary_prompt,
)

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
    assert terms[0] == "Harborview Recovery Center"  # the center's own name opens it
    order = [terms.index(t) for t in ("IOP", "Seaside Recovery", "Mission Valley Family Medicine", "Aetna", "Suboxone")]
    assert order == sorted(order)  # center and programs, competitors, referral partners, payers, drugs
    assert "Blue Cross" not in terms  # inside "Blue Cross Blue Shield", already there
    words = lambda text: len(text.split())  # noqa: E731 - a stand-in token counter
    prompt = vocabulary_prompt(words, budget=20)
    # each part's first term, even where its share (2 words of 20 for the center) is too small for it
    assert words(" " + prompt) <= 20 and prompt.startswith("Harborview Recovery Center, Seaside Recovery, Aetna")
    assert "Suboxone" in prompt
    before = vocabulary_prompt(words, budget=20, order="lexicon")  # the order before session 8, late: insurers first
    assert words(" " + before) <= 20 and before.startswith("Aetna, Cigna")
    with pytest.raises(ValueError):
        vocabulary_prompt(words, order="alphabetical")
    with pytest.raises(ValueError):
        DecodeOptions(vocabulary_order="alphabetical")


def test_every_part_gets_its_share_of_the_budget_and_hands_on_what_it_leaves():
    words = lambda text: len(text.split())  # noqa: E731 - a stand-in token counter
    budget = 60
    chosen = vocabulary_prompt(words, budget=budget).split(", ")
    parts = dict(prompt_parts())
    shares = dict(PROMPT_SHARES)
    assert words(" " + ", ".join(chosen)) <= budget
    for part, terms in parts.items():
        taken = [t for t in chosen if t in terms]
        assert taken, part  # every part reaches the decoder, drugs included
        assert taken == list(terms[: len(taken)])  # most likely first, none skipped inside a share
    # the center's part is short: what it leaves of its share goes to the parts after it
    center_words = sum(words(t) for t in chosen if t in parts["center"])
    if len(parts["center"]) == len([t for t in chosen if t in parts["center"]]):
        assert center_words <= shares["center"] * budget
    # deterministic: the same configuration and counter give the same prompt
    assert vocabulary_prompt(words, budget=budget) == ", ".join(chosen)
    # a larger payers' share takes more payers, and every part still reaches the decoder
    payers_heavy = DecodeOptions(**variant_options("prompt-center-payers")).prompt_shares
    more = vocabulary_prompt(words, budget=budget, shares=payers_heavy).split(", ")
    assert len([t for t in more if t in parts["payers"]]) > len([t for t in chosen if t in parts["payers"]])
    assert all(set(more) & set(terms) for terms in parts.values())


def test_every_insurer_entry_declares_where_it_is_sold_and_a_coverage_map_lists_each_name_once():
    import yaml

    from cipher_pipeline.transcribe import LEXICON_DIR

    entries = yaml.safe_load((LEXICON_DIR / "insurers.yaml").read_text(encoding="utf-8"))["entries"]
    codes = re.compile(r"^[A-Z]{2}$")
    for entry in entries:
        assert "coverage" in entry, entry["id"]  # an entry appended without it would count as national
        for name, where in _coverage_of(entry).items():  # raises on a map that misses or repeats a name
            assert where is None or all(codes.match(code) for code in where), (entry["id"], name)
    with pytest.raises(ValueError):
        _coverage_of({"id": "invented", "names": ["Prairie Plan", "Prairie"], "coverage": {"KS": ["Prairie Plan"]}})
    assert _coverage_of({"id": "invented", "names": ["Prairie Plan"]}) == {"Prairie Plan": None}  # national
    assert _coverage_of({"id": "x", "names": ["A B", "C D"], "coverage": {"national": ["A B"], "KS MO": ["C D"]}}) == {
        "A B": None, "C D": frozenset({"KS", "MO"})}


def test_a_centers_market_holds_its_own_states_payers_then_the_national_ones_and_nothing_sold_only_elsewhere():
    local, main, other = payer_names(("OR",))
    assert {"CareOregon", "PacificSource", "Oregon Health Plan", "Regence"} <= set(local)
    assert not {"Peach State Health Plan", "CareSource Georgia", "Apple Health", "L.A. Care"} & {*local, *main, *other}
    assert main[:4] == ("Aetna", "Cigna", "United Healthcare", "Blue Cross Blue Shield")  # the head of the file
    assert {"Medicaid", "Medicare", "Tricare"} <= set(main) and "Kaiser Permanente" in local  # Kaiser: not national
    georgia = payer_names(("GA",))[0]
    assert "Peach State Health Plan" in georgia and "CareOregon" not in georgia
    # an entry's first name sold there comes before its other names; a name that only adds words waits
    assert local.index("Regence") < local.index("Regence BlueShield")
    both = payer_names(("OR", "WA"))[0]
    assert {"Apple Health", "CareOregon"} <= set(both)
    assert payer_names(()) [0] == ()  # no states: national payers only


def test_the_market_prompt_is_the_centers_configuration_deterministic_and_within_budget():
    words = lambda text: len(text.split())  # noqa: E731 - a stand-in token counter
    oregon = vocabulary_prompt(words, budget=80, order="market", shares=MARKET_PROMPT_SHARES, states=("OR",))
    assert words(" " + oregon) <= 80
    assert oregon == vocabulary_prompt(words, budget=80, order="market", shares=MARKET_PROMPT_SHARES, states=("OR",))
    terms = oregon.split(", ")
    assert "Regence" in terms and "Aetna" in terms and "Peach State Health Plan" not in terms
    # the local part is listed before the national one
    assert terms.index("Regence") < terms.index("Aetna")
    georgia = vocabulary_prompt(words, budget=80, order="market", shares=MARKET_PROMPT_SHARES, states=("GA",))
    assert "Peach State Health Plan" in georgia and "Regence" not in georgia
    # a shorter payer name is not left out because a longer one holds it: both may go in
    assert "Medicaid" in georgia.split(", ")
    # no states given: the center's own, from center.yaml
    assert center_states() and vocabulary_prompt(words, order="market", shares=MARKET_PROMPT_SHARES) == (
        vocabulary_prompt(words, order="market", shares=MARKET_PROMPT_SHARES, states=center_states()))
    assert DecodeOptions(**variant_options("prompt-market")).prompt_shares == MARKET_PROMPT_SHARES
    # the default since session 9; the earlier orders stay reachable with their own shares
    assert (DecodeOptions().vocabulary_order, DecodeOptions().prompt_shares) == ("market", MARKET_PROMPT_SHARES)
    assert DecodeOptions(**variant_options("prompt-center")).prompt_shares == PROMPT_SHARES
    assert DecodeOptions(**variant_options("prompt-lexicon")).vocabulary_order == "lexicon"


def test_the_bench_takes_a_calls_center_states_from_a_declared_map_or_from_the_states_its_text_names(tmp_path):
    assert states_named("we moved from West Virginia to Ohio, then back to west virginia") == ("OH", "WV")
    assert states_named("she lives on Washington Street in Georgetown") == ("WA",)  # a name is a name: said so
    golds = {"call_003": {"turns": [{"text": "I'm in Dayton, Ohio."}]}, "call_008": {"turns": [{"text": "Hi."}]}}
    assert calls_center_states("named", golds) == {"call_003": ("OH",), "call_008": ()}
    declared = tmp_path / "states.json"
    declared.write_text('{"3": ["OH"], "8": ["WA", "OR"]}')
    assert calls_center_states(str(declared), golds) == {"call_003": ("OH",), "call_008": ("WA", "OR")}


def _gold(*turns: str) -> dict:
    """A written call whose [[CATEGORY|text]] marks become spans, as calls_dev's gold records hold them."""
    import re

    out = []
    for turn in turns:
        text, spans = "", []
        for part in re.split(r"(\[\[[A-Z_]+\|[^\]]+\]\])", turn):
            mark = re.fullmatch(r"\[\[([A-Z_]+)\|([^\]]+)\]\]", part)
            if mark:
                spans.append({"start": len(text), "end": len(text) + len(mark[2]), "category": mark[1], "text": mark[2]})
                part = mark[2]
            text += part
        out.append({"text": text, "spans": spans})
    return {"turns": out}


def test_the_bench_infers_a_calls_dev_calls_region_from_its_states_and_places_never_its_insurer():
    golds = {
        # a state said outright; Mansfield is a town in twelve states, Winchester in sixteen
        "call_001": _gold("I'm in Dayton, Ohio.", "Our [[GEO|Mansfield]] campus.", "Off [[GEO|Winchester]] Pike."),
        "call_005": _gold("We're near Columbus, Ohio.", "Our [[GEO|Mansfield]] campus has a bed."),
        # Mansfield alone ties; the two decided calls teach it, a center's site, as Ohio's
        "call_009": _gold("Is that the [[GEO|Mansfield]] one?"),
        # a plan named for a state is not where the center is: nothing else -> no region
        "call_013": _gold("I have [[INSURER|Blue Cross Blue Shield of Texas]]."),
        # Salem alone ties, and no decided call teaches it -> no region
        "call_017": _gold("Near [[GEO|Salem]]."),
        # a state and a town of one state, widened to the region
        "call_021": _gold("I'm in Portland, Oregon.", "By [[GEO|Pasco]].", "Then [[GEO|Winchester]]."),
        "call_025": _gold("Up in [[GEO|Brattleboro]]."),
        # Winchester was said in decided calls of two regions: it teaches nothing
        "call_029": _gold("Out past [[GEO|Winchester]]."),
    }
    assert calls_center_states("regions", golds) == {
        "call_001": ("OH",), "call_005": ("OH",), "call_009": ("OH",), "call_013": (), "call_017": (),
        "call_021": ("WA", "OR"), "call_025": ("MA", "RI", "CT", "NH", "VT", "ME"), "call_029": ()}


def test_the_prompt_holds_configuration_only_never_a_caller_identifier():
    from cipher_devtools.synth import vocab

    words = lambda text: len(text.split())  # noqa: E731 - a stand-in token counter
    prompt = vocabulary_prompt(words, budget=10_000)  # every term, not only those that fit 200 tokens
    # no number, code or address of anyone: digits only inside a carrier's name ("Care1st", "Medallion 4.0")
    assert not re.search(r"\d{3}|\d[-.\s]\d|@", prompt.replace("4.0", ""))
    caller_words = {w.lower() for w in [*vocab.FIRST_NAMES_FEMALE, *vocab.FIRST_NAMES_MALE, *vocab.LAST_NAMES,
                                        *vocab.WORD_NAMES_FEMALE, *vocab.WORD_NAMES_MALE, *vocab.STREET_NAMES]}
    prompt_words = {w.lower() for term in prompt.split(", ") for w in term.split()}
    configured = {w.lower() for term in center_vocabulary() for w in term.split()}
    assert prompt_words <= configured  # every word is a configured term's
    # a term that is also a caller's name alone is a drug's street name ("Crystal"), configured vocabulary
    drugs = set(dict(prompt_parts())["drugs"])
    for term in prompt.split(", "):
        assert not (len(term.split()) == 1 and term.lower() in caller_words) or term in drugs, term
    # the center's market prompt, for any states, is made of the same configured terms
    configured_payers = {w.lower() for local, main, other in (payer_names(("GA", "OR", "TX", "CA")),)
                         for term in (*local, *main, *other) for w in term.split()}
    for states in (("GA",), ("OR", "WA"), ("TX",)):
        market = vocabulary_prompt(words, budget=10_000, order="market", states=states)
        assert not re.search(r"\d{3}|\d[-.\s]\d|@", market.replace("4.0", ""))
        assert {w.lower() for term in market.split(", ") for w in term.split()} <= configured | configured_payers


def test_new_variants_are_real_decode_options():
    for name in ("poly", "vad-short", "condition+fallback+sequential", "beam8", "repetition", "no-repeat-3",
                 "redecode-sparse"):
        DecodeOptions(**variant_options(name))
    with pytest.raises(ValueError):
        DecodeOptions(resampler="cubic")


def test_a_beam_variant_sets_both_bands_or_only_the_band_it_names():
    both = DecodeOptions(**variant_options("beam2"))
    assert (both.beam_size, both.beam_size_phone) == (2, 2)
    wide = DecodeOptions(**variant_options("wide-beam3"))
    assert (wide.beam_size, wide.beam_size_phone) == (3, DecodeOptions().beam_size_phone)
    for name, width in (("phone-beam3", 3), ("phone-beam8", 8)):
        phone = DecodeOptions(**variant_options(name))
        assert (phone.beam_size, phone.beam_size_phone) == (DecodeOptions().beam_size, width)


def test_a_shorter_prompt_budget_keeps_the_head_of_the_same_prompt():
    words = lambda text: len(text.split())  # noqa: E731 - a stand-in tokenizer: one token a word
    for name in ("prompt-150", "prompt-100"):
        options = DecodeOptions(**variant_options(name))
        assert options.prompt_token_budget < PROMPT_TOKEN_BUDGET == DecodeOptions().prompt_token_budget
        short = vocabulary_prompt(words, budget=options.prompt_token_budget, order="market",
                                  shares=options.prompt_shares, states=("GA",)).split(", ")
        full = vocabulary_prompt(words, order="market", shares=options.prompt_shares, states=("GA",)).split(", ")
        assert words(" " + ", ".join(short)) <= options.prompt_token_budget
        assert short[:2] == full[:2] and set(short) < set(full)


def test_wer_is_scored_after_whisper_normalisation_and_the_plain_figure_is_kept():
    channels = {"agent": "Um, do you have insurance?", "caller": "yes aetna call rosa at six oh two 5550114 i was on suboxone"}
    s = score_call(GOLD, channels, {"suboxone"})
    assert s["errors"] == 0  # the filler "um" is not a word heard wrong
    assert s["unnormalised"][0] == 1  # before the normaliser it counted as an insertion


@pytest.mark.slow  # the projection imports spaCy's stop words (2 s)
def test_spoken_call_gold_projects_every_marked_span_onto_the_transcript():
    from cipher_devtools.asr_corpus import spoken_call_record

    gold = {"call_id": "call_002", "turns": [
        {"speaker": "agent", "text": "Do you have insurance?", "speech": "Do you have insurance?", "spans": []},
        {"speaker": "caller", "text": "Yes, Aetna. Call Rosa at 602-555-0114.",
         "speech": "Yes, Aetna. Call Rosa at six oh two, five five five, oh one one four.",
         "spans": [{"start": 5, "end": 10, "category": "INSURER", "text": "Aetna"},
                   {"start": 17, "end": 21, "category": "NAME", "text": "Rosa"},
                   {"start": 25, "end": 37, "category": "PHONE", "text": "602-555-0114"}]},
    ]}
    text = "agent: Do you have insurance?\ncaller: Yes, Etna. Call Rosa at 602-555-01 14.\n"
    record = spoken_call_record(gold, text, {"band": "phone"})
    by_category = {s["category"]: s["value"] for s in record["spans"]}
    assert by_category["NAME"] == "Rosa" and by_category["PHONE"].startswith("602-555-01")
    assert record["meta"]["identifiers"] == 3 and record["meta"]["band"] == "phone"


@pytest.mark.slow  # loads the real redactor (spaCy model)
def test_digits_normalised_predictor_maps_spans_back_to_what_whisper_wrote(redactor):
    from cipher_devtools.asr_corpus import digits_normalised_predictor

    text = "caller: my number is 555-01 twelve okay\n"
    (spans,) = digits_normalised_predictor(redactor)([text])
    assert any(text[s:e].startswith("555") for s, e in spans)
    assert all(0 <= s < e <= len(text) for s, e in spans)


def test_both_resamplers_bring_phone_audio_to_16_khz_alike(tmp_path):
    """An 8 kHz stereo recording (a tone per channel) reaches Whisper at 16 kHz either way, channels kept."""
    import io
    import wave

    import numpy as np

    from cipher_pipeline.transcribe import decode_channels

    t = np.arange(8000) / 8000
    left, right = np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 1000 * t)
    frames = (np.stack([left, right], axis=1) * 0.5 * 32767).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(2), w.setsampwidth(2), w.setframerate(8000), w.writeframes(frames)
    by_av, by_poly = decode_channels(buffer.getvalue(), "av"), decode_channels(buffer.getvalue(), "poly")
    for channels in (by_av, by_poly):
        assert all(abs(len(x) - 16000) <= 32 and x.dtype == np.float32 for x in channels)
    middle = slice(1000, 15000)  # away from the filters' edges
    for a, p in zip(by_av, by_poly):
        assert np.corrcoef(a[middle], p[: len(a)][middle])[0, 1] > 0.99
    peak = lambda x: np.argmax(np.abs(np.fft.rfft(x[middle])))  # noqa: E731 - dominant frequency bin
    assert peak(by_poly[0]) != peak(by_poly[1])  # left and right stay apart


def test_a_decoding_loop_is_cut_to_one_round_and_ordinary_text_is_left_alone():
    from cipher_pipeline.transcribe import collapse_loops

    assert collapse_loops("Okay. " + "no, " * 40 + "thanks") == "Okay. no, thanks"
    assert collapse_loops("I am sorry " * 8 + "bye") == "I am sorry bye"
    for ordinary in ("My number is five five five, one two one two.", "No, no, no, that's fine.",
                     "It's double five, seven seven seven seven.", ""):
        assert collapse_loops(ordinary) == ordinary  # under Whisper's 2.4 compression ratio: untouched


def test_rescoring_saved_transcripts_applies_the_term_normaliser_and_splits_by_voice(tmp_path):
    """``cipher bench --only asr-rescore``: a saved transcript scored as saved and with today's post-decoding
    steps (an invented call; the misheard insurer is put back by asr_terms)."""
    import json

    from cipher_devtools.bench import rescore_transcripts

    gold = {**GOLD, "voices": {"agent": {"engine": "espeak-ng", "name": "en-us+m3"},
                               "caller": {"engine": "piper", "name": "piper:joe"}}}
    (tmp_path / "call_007.json").write_text(json.dumps(gold))
    segments = [
        {"speaker": "agent", "start": 0.0, "end": 2.0, "text": "Do you have insurance?", "avg_logprob": -0.2,
         "no_speech_prob": 0.01},
        {"speaker": "caller", "start": 2.5, "end": 8.0, "text": "Yes, Etna. Call Rosa at 602-555-0114, I was on Suboxone.",
         "avg_logprob": -0.3, "no_speech_prob": 0.01},
    ]
    (tmp_path / "saved" / "phone").mkdir(parents=True)
    (tmp_path / "saved" / "phone" / "call_007.json").write_text(json.dumps({"segments": segments}))
    (row,) = rescore_transcripts(tmp_path / "saved", tmp_path, {7, 8}, ["phone", "wideband"])
    assert row["calls"] == 1 and row["band"] == "phone"
    assert row["terms_recognized_as_saved"]["insurer"] == "0/1" and row["terms_recognized"]["insurer"] == "1/1"
    assert row["wer"] == 0.0 and row["wer_as_saved"] > 0
    assert row["wer_by_voice_name"] == {"en-us+m3": 0.0, "piper:joe": 0.0}
    assert row["identifiers_recognized"] == "1/1"
    by_voice = row["errors_by_class_by_voice"]
    assert set(by_voice) == {"espeak-ng", "piper"}
    assert sum(v["_ref_words"] for v in by_voice.values()) == row["errors_by_class_reference_words"]
    for name in row["errors_by_class"]:
        assert sum(v[name] for v in by_voice.values()) == row["errors_by_class"][name]


def test_a_digit_glued_to_itself_is_a_loop_and_its_tail_past_a_pause_goes_too():
    from cipher_pipeline.transcribe import Segment, collapse_loops, with_loops_collapsed

    assert collapse_loops("my number is 2-0-3-0-1-1-3-1-1-1-1-1-1-1-1") == "my number is 2-0-3-0-1-1-3-1"
    assert collapse_loops("He did 30,000,000,000,000,000,000,000 days") == "He did 30,000 days"
    for ordinary in ("1,000,000 dollars", "555-0000", "7-7-7-7-4", "call 1-800-555-1212"):
        assert collapse_loops(ordinary) == ordinary  # fewer than six rounds
    seg = lambda speaker, text: Segment(speaker, 0.0, 1.0, text, -0.3, 0.01)  # noqa: E731 - invented segments
    segments = [seg("caller", "It is 4-4-1, twelve-year-old, twelve-year-old,"), seg("agent", "Okay."),
                seg("caller", "twelve-year-old, twelve"), seg("caller", "-year-old, twelve-year-old,"),
                seg("caller", "twelve-year-old, twelve-year-old,"), seg("caller", "Thanks, bye.")]
    out = with_loops_collapsed(segments)
    assert [s.text for s in out if s.speaker == "agent"] == ["Okay."]
    caller = " ".join(s.text for s in out if s.speaker == "caller")
    assert caller.count("twelve") == 1 and caller.endswith("Thanks, bye.")
    plain = [seg("caller", "No, no, no."), seg("caller", "no, I said no.")]  # five "no"s: speech, not a loop
    assert with_loops_collapsed(plain) == plain


def test_a_loop_on_a_whole_phrase_of_up_to_twelve_words_is_a_loop_and_a_repeated_sentence_in_speech_is_not():
    """Whisper loops on a misheard phrase too, not only on a word or a digit (session 9: eight words, six rounds).
    Invented phrases; a phrase said twice or three times, as people do, stays."""
    from cipher_pipeline.transcribe import LOOP_MAX_UNIT, collapse_loops, loops_across

    phrase = "That's fine, we can do Tuesday at Bayside. "  # eight words, nine atoms ("That's" is two)
    assert len(phrase.split()) + 1 <= LOOP_MAX_UNIT
    assert collapse_loops("Okay. " + phrase * 5 + "Bye.") == "Okay. " + phrase + "Bye."
    pieces = ["So I said", phrase * 2, phrase * 3, phrase + "and then", "nothing else"]
    ((unit, rounds),) = loops_across(pieces)
    assert unit == 9 and len(rounds) == 6 * unit and rounds[0] == (1, 0)
    for ordinary in ("I said I love you. " * 3, "Can you hear me now, can you hear me now? Hello?",
                     "The plan is the plan and the plan is the plan and that is that"):
        assert collapse_loops(ordinary) == ordinary
    assert loops_across([phrase * 3, phrase * 2]) == []  # five rounds: under six, whatever it compresses to


def test_words_are_counted_once_a_loop_is_cut():
    from cipher_pipeline.transcribe import _words_once_looped

    assert _words_once_looped(["It's 1-0-0-0-0-0-0-0-0-0", "and my email is"]) == 2 + 4
    assert _words_once_looped(["I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry"]) == 2
    assert _words_once_looped([]) == 0


def test_a_loop_cut_into_pieces_is_found_across_them_from_the_piece_it_starts_in():
    """``loops_across`` reads a channel's pieces as one run of words: a loop whose rounds ``_split_at_pauses``
    spread over several pieces ("1-0" / "-0-0" / "-0") is one loop, found from the piece holding its first round
    (where ``Transcriber._with_loops_redecoded`` starts decoding again); a number said with a digit three times
    is none."""
    from cipher_pipeline.transcribe import loops_across

    texts = ["Sure, my member number is", "it's like 7-0", "-0-0", "-0", "-0-0"]
    ((unit, rounds),) = loops_across(texts)
    assert unit == 1 and rounds[0] == (1, 4) and {i for i, _ in rounds} == {1, 2, 3, 4} and len(rounds) == 6
    assert loops_across(["no, no, no, no, no, I said no"]) == []  # six "no"s, but a word between: five in a row
    assert loops_across(["it's 555-0100", "then 0-0-0 again"]) == []
    ((unit, rounds),) = loops_across(["Oh, so sorry, so", "sorry, so sorry, so sorry,", "so sorry, so sorry, so sorry"])
    assert unit == 2 and rounds[0] == (0, 1) and len(rounds) == 14


def test_the_whisper_prompt_fits_its_token_limit_with_every_part_counted_by_the_model_tokenizer():
    from cipher_pipeline.asr_models import ModelUnavailable, whisper_model

    try:
        path = whisper_model("base").path / "tokenizer.json"
    except ModelUnavailable as exc:
        pytest.skip(f"Whisper base is not installed: {exc}")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    count = lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)  # noqa: E731 - as Transcriber
    for order in ("center", "lexicon", "market"):
        assert count(" " + vocabulary_prompt(count, order=order)) <= PROMPT_TOKEN_BUDGET < 224  # Whisper holds 223
    for states in (("GA",), ("WA", "OR"), ("PA",), ()):
        market = vocabulary_prompt(count, order="market", shares=MARKET_PROMPT_SHARES, states=states).split(", ")
        assert count(" " + ", ".join(market)) <= PROMPT_TOKEN_BUDGET
        # the carriers a center hears most stay in whatever its state
        assert {"Aetna", "Cigna", "United Healthcare", "Blue Cross Blue Shield", "Medicaid", "Medicare"} <= set(market)
    terms = vocabulary_prompt(count).split(", ")
    assert terms[0] == "Harborview Recovery Center"
    for part, part_terms in prompt_parts():
        assert set(part_terms) & set(terms), part  # the center, its market, payers and drugs all reach the decoder
