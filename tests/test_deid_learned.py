"""The learned token layer (cipher_pipeline/deid/learned.py) and its trainer: the shipped model's file holds no corpus
word, training is deterministic, switched off it changes nothing, and on invented raw calls it catches the shapes it
was trained for and leaves the words it must leave. Every sentence here is invented."""

from __future__ import annotations

import copy
from typing import Sequence
import hashlib
import re

import pycrfsuite
import pytest
import yaml

from cipher_devtools.evaluate import GoldDoc, GoldSpan
from cipher_devtools.train_deid_model import (Corpus, cased_training, decide, decide_cased, sequences, train,
                                              whisper_corpus)
from cipher_pipeline.deid import Redactor, learned
from cipher_pipeline.deid.engine import CONFIG_PATH
from cipher_pipeline.deid.recognizer import Document, LayerContext


def _doc(text: str, marked: list[tuple[str, str]]) -> GoldDoc:
    spans = []
    for value, category in marked:
        start = text.index(value)
        spans.append(GoldSpan(start, start + len(value), category, value))
    return GoldDoc("invented", text, spans)


TINY = [
    _doc("agent: and who am i speaking with?\ncaller: this is dorrit vakaman.\n", [("dorrit vakaman", "NAME")]),
    _doc("agent: where does he live?\ncaller: out in pellworth, by the lake.\n", [("pellworth", "GEO")]),
    _doc("agent: date of birth?\ncaller: march ninth.\n", [("march ninth", "DATE")]),
    _doc("agent: callback number?\ncaller: 4 1 3 5 5 5 0 1 7 8.\n", [("4 1 3 5 5 5 0 1 7 8", "PHONE")]),
    _doc("agent: insurance?\ncaller: he has aetna.\n", [("aetna", "INSURER")]),
]


@pytest.fixture(scope="module")
def tagger():
    t = learned.open_tagger(learned.MODEL_PATH)
    yield t
    t.close()


def _shipped_threshold() -> float:
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    return float(next(entry for entry in config["layers"] if entry["name"] == learned.LAYER)["threshold"])


SHIPPED_THRESHOLD = _shipped_threshold()  # the guards below hold at the threshold the engine ships


def _found(tagger, text: str, threshold: float = SHIPPED_THRESHOLD) -> list[str]:
    doc = Document(text, text, caseless=True)
    return [text[s.start : s.end] for s in learned.CrfTokens(tagger, threshold).find_in(doc)]


# ------------------------------------------------------------------ the trainer
def test_trainer_labels_tokens_from_gold_character_ranges() -> None:
    _, labels = list(sequences(TINY[0]))[1]
    assert labels == ["O", "O", "NAME", "NAME", "O"]  # "this is dorrit vakaman ."; the speaker label is no token
    _, labels = list(sequences(TINY[4]))[1]
    assert labels == ["O", "O", "ORG", "O"]  # an insurer is learned apart and never masked


def test_training_writes_the_same_file_from_the_same_data(tmp_path) -> None:
    first = train(TINY, tmp_path / "a.crfsuite", {"max_iterations": 20})
    second = train(TINY, tmp_path / "b.crfsuite", {"max_iterations": 20})
    assert first["sha256"] == second["sha256"] == hashlib.sha256((tmp_path / "a.crfsuite").read_bytes()).hexdigest()


def test_trainer_refuses_an_empty_corpus(tmp_path) -> None:
    with pytest.raises(ValueError, match="no training text"):
        train([], tmp_path / "m.crfsuite")


# ------------------------------------------------------------------ the shipped file
_PLAIN = {"bias", "cased", "caseless", "after_sentence_end", "glued", "spaced", "edge", "apostrophe"}
_ATTRIBUTE = re.compile(
    r"(?:-?[12]:)?(?:(?P<plain>[a-z_]+)|w=(?P<word>[a-z']+)|(?:p3|s2|s3)=(?P<affix>[a-z']{2,3})|shape=(?P<shape>[Xxd'’]+|[^\sA-Za-z\d]+)"
    r"|punct=[^\sA-Za-z\d]|digits=\d+|len=\d+|zipf=\d|pos=\d|in=[a-z_]+|name_class=[a-z]+|speaker=[a-z_\d ]+|asked=[a-z_]+)"
)


def _shipped_model_paths() -> list:
    """Every model file the shipped ``layers.yaml`` names (the written calls' model, and the speech model when set)."""
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    entry = next(entry for entry in config["layers"] if entry["name"] == learned.LAYER)
    return [learned.MODEL_PATH.parent.parent / entry[key] for key in ("model", "speech_model", "cased_model")
            if entry.get(key)]


@pytest.mark.parametrize("path", _shipped_model_paths(), ids=lambda p: p.name)
def test_the_shipped_model_is_small_and_holds_no_corpus_word(path) -> None:
    """A word's identity is in the file only when it is common English or on the module's closed cue lists; a rarer
    word gives at most three letters of either end, and its shape writes letters as X/x."""
    assert path.stat().st_size < 3_000_000
    t = pycrfsuite.Tagger()
    t.open(str(path))
    attributes = {attribute for attribute, _ in t.info().state_features}
    t.close()
    assert len(attributes) > 100
    closed = learned._CUES | learned._MONTHS | learned._NUMBER_WORDS | learned._ORDINAL_WORDS
    for attribute in attributes:
        m = _ATTRIBUTE.fullmatch(attribute)
        assert m, attribute
        if m.group("plain"):
            assert m.group("plain") in _PLAIN, attribute
        if m.group("word"):
            assert m.group("word") in closed or learned._zipf(m.group("word")) >= learned.COMMON_WORD_MIN_ZIPF, attribute


def test_features_name_no_rare_word() -> None:
    _, per_line = learned.features("caller: it's quorvantha from brallowickton")
    everything = {f for token in per_line[0] for f in token}
    assert not any("quorvantha" in f or "brallowickton" in f for f in everything)
    assert "p3=quo" in everything and "s3=ton" in everything  # long words: affixes only
    _, per_line = learned.features("caller: ask for zed")
    assert not any("zed" in f for token in per_line[0] for f in token)  # short and rare: nothing of it


def test_the_resource_features_name_lists_not_words() -> None:
    """The resource set (learn12): a relative in any compound form, a word of an insurer's name that is no ordinary
    word, the slot the agent's question asks; never the word itself when it is rare."""
    sets = frozenset({"resources"})
    text = ("agent: and what's the best callback number for you?\n"
            "caller: my stepdad has aetna through work\n"
            "agent: what's his date of birth?\ncaller: the united one i think\n")
    tokens, per_line = learned.features(text, sets)
    words = [text[t.start : t.end] for t in tokens]
    per_token = [token for line in per_line for token in line]
    flat = [f for token in per_token for f in token]
    by_word = dict(zip(words, per_token))
    assert "in=kin" in by_word["stepdad"] and "in=insurers" in by_word["aetna"]
    assert "in=insurers" not in by_word["united"]  # an ordinary word of a name says nothing more
    assert "asked=slot_phone" in by_word["stepdad"] and "asked=slot_date_slot" in by_word["united"]
    assert not any("aetna" in f or "stepdad" in f for f in flat)  # membership only
    _, bare = learned.features(text, frozenset())
    assert not any(f.startswith(("asked=slot_", "in=kin", "in=insurers")) for line in bare for t in line for f in t)


def _dialogue(text: str) -> dict[str, list[list[str]]]:
    """Each word of ``text`` (lower-cased, each time it is said) with the dialogue set's features of that token."""
    sets = frozenset({"dialogue"})
    tokens, per_line = learned.features(text, sets)
    _, bare = learned.features(text, frozenset())
    out: dict[str, list[list[str]]] = {}
    for token, feats, base in zip(tokens, [f for line in per_line for f in line], [f for line in bare for f in line]):
        assert feats[: len(base)] == base  # the set only adds: the base features stay as the shipped model reads them
        out.setdefault(text[token.start : token.end].lower(), []).append(feats[len(base) :])
    return out


def test_the_dialogue_set_hears_the_agent_s_question_without_its_question_mark() -> None:
    """learn19: a raw call's agent rarely writes "?"; the agent's last sentence is read whatever its mark, carried to
    the next line of the caller's side, and forgotten after the caller's line. ``asked=`` still needs the "?"."""
    text = ("agent: okay got it. and where's he living these days\ncaller: over in quellmarsh with his aunt\n"
            "agent: we can help with that. and what's your first name\ncaller: zoravel\n"
            "caller: sorry i mean it's zoravel\n")
    words = _dialogue(text)
    assert "heard=place" in words["quellmarsh"][0] and "heard=place@0" in words["quellmarsh"][0]
    assert words["zoravel"][0][:3] == ["clause=0", "heard=name", "heard=name@0"]
    assert not any(f.startswith("heard=") for f in words["zoravel"][1])  # the caller's line after the answer hears none
    assert not any(f.startswith("heard=") for f in words["help"][0])  # never on the agent's own line
    tokens, per_line = learned.features(text, frozenset({"dialogue"}))
    assert not any(f.startswith("asked=") for line in per_line for t in line for f in t)
    assert learned._last_sentence("agent: got it, 4 1 3. and your date of birth?") == " and your date of birth"


def test_the_dialogue_set_places_a_token_in_its_answer_and_its_turn() -> None:
    words = _dialogue("agent: and where\ncaller: brellick, by the old quarry i think\n")
    assert "clause=0" in words["brellick"][0] and "heard=place@0" in words["brellick"][0]
    assert "clause=1" in words["quarry"][0] and "heard=place@0" not in words["quarry"][0]
    assert "end=0" in words["think"][0] and "end=1" in words["i"][0] and "end=2" in words["old"][0]


def test_the_dialogue_set_marks_a_word_said_again_and_read_back_by_the_other_side() -> None:
    text = ("caller: my name is tovrenna and my number is 4 1 3 8 8 2\n"
            "agent: thank you tovrenna. 882 did you say\ncaller: yes 882\ncaller: from vellisk\ncaller: out in vellisk\n")
    words = _dialogue(text)
    assert {"again", "echo"} <= set(words["tovrenna"][0]) and {"again", "echo"} <= set(words["882"][0])
    assert "1:again" in words["is"][0] and "-1:echo" in words["and"][0]  # the window's neighbours
    assert "again" in words["vellisk"][0] and "echo" not in words["vellisk"][0]  # said twice by one side only
    assert not any(f in ("again", "echo") for f in words["name"][0] + words["yes"][0])  # a common word never counts
    assert not any(f in ("again", "echo") for f in words["4"][0])  # nor a digit or two said by chance
    assert "bi=my_name" in words["is"][0]
    flat = [f for per in words.values() for token in per for f in token]
    assert not any("tovrenna" in f for f in flat)  # no rare word enters a feature


def test_the_dialogue_set_is_read_only_by_a_model_trained_with_it() -> None:
    text = "agent: and the town\ncaller: out near varnholt, varnholt\n"
    assert learned.features(text)[1] == learned.features(text, frozenset())[1]
    assert learned.features(text, frozenset({"dialogue"}))[1] != learned.features(text)[1]
    assert "dialogue" in learned.KNOWN_FEATURE_SETS


def test_whisper_text_is_trained_on_as_the_pipeline_stores_it(tmp_path) -> None:
    """A saved Whisper record's gold spans are carried onto the stored form (digits in one form), and it is scored on
    what Whisper wrote: the stored form's span maps back onto the record's."""
    import json

    text = "agent: Your member ID?\ncaller: It's 4,812,337.\nagent: And your name?\ncaller: Dorrit Vakaman.\n"
    spans = []
    for value, category in (("4,812,337", "HEALTH_PLAN_ID"), ("Dorrit Vakaman", "NAME")):
        start = text.index(value)
        spans.append({"start": start, "end": start + len(value), "category": category, "value": value})
    for band in ("wideband", "phone"):
        (tmp_path / band).mkdir()
        for number in (1, 2):  # call 2 is an even call: never read
            record = {"id": f"call_{number:03d}", "text": text, "spans": spans, "must_survive": []}
            (tmp_path / band / f"call_{number:03d}.json").write_text(json.dumps(record), encoding="utf-8")
    corpus = whisper_corpus("invented", tmp_path)
    assert corpus.speech_recognized and corpus.group == "invented" and len(corpus.docs) == 2
    doc = corpus.docs[0]
    assert [doc.text[g.start : g.end] for g in doc.spans] == ["4812337", "Dorrit Vakaman"]
    assert [getattr(d, "style") for d in corpus.docs] == ["wideband", "phone"]
    g = doc.spans[0]
    assert corpus.back[0](g.start, g.end) == (spans[0]["start"], spans[0]["end"])
    assert [label for _, labels in sequences(doc) for label in labels].count("NUM") == 1


def test_the_decision_rule_counts_wins_losses_and_floors() -> None:
    """learn12's rule as code: 6 of 8 wins (more identifiers, or as many with fewer false tokens), at most one
    source losing identifiers, precision floors per written source (all and raw) and per Whisper band."""
    def row(source, style, recipe, threshold, found, false, precision):
        return {"held_back": source, "style": style, "recipe": recipe, "threshold": threshold, "reading": "caseless",
                "found": found, "false_tokens": false, "token_precision": precision}

    sources = [f"s{i}" for i in range(6)] + ["a whisper", "b whisper"]
    rows = []
    for source in sources:
        rows.append(row(source, "all", "session11", 0.5, 100, 10, 0.95))
        styles = ["phone", "wideband"] if source.endswith("whisper") else ["asr"]
        for style in styles:
            rows.append(row(source, style, "session11", 0.5, 50, 5, 0.95))
    for i, source in enumerate(sources):  # wins on 6 (one by fewer false tokens), ties on s4, loses on s5
        found, false = [(101, 10), (101, 10), (101, 10), (101, 10), (100, 10), (99, 10), (101, 10), (100, 9)][i]
        rows.append(row(source, "all", "X", 0.4, found, false, 0.95))
        for style in ["phone", "wideband"] if source.endswith("whisper") else ["asr"]:
            rows.append(row(source, style, "X", 0.4, 50, 5, 0.81 if source.endswith("whisper") else 0.91))
    verdict = decide(rows)[0]
    assert (verdict["recipe"], verdict["wins"], verdict["lost"], verdict["passes"]) == ("X", 6, ["s5"], True)
    strict = decide(rows, ties_win=False)[0]  # learn18's rule: as many identifiers with fewer false tokens is a tie
    assert (strict["wins"], "b whisper" in strict["won"], strict["passes"]) == (5, False, False)
    rows[-1]["token_precision"] = 0.79  # one Whisper band under its floor
    assert decide(rows)[0]["passes"] is False and decide(rows)[0]["under_floor"] == ["b whisper wideband 0.7900"]


def test_the_cased_rule_counts_wins_losses_floors_and_chooses() -> None:
    """learn13's rule as code: at least 5 of 7 held-back sources won against the layer off on cased calls, none losing
    more than one identifier, every source at or above 0.90; the chosen setting has most identifiers, then fewest
    false tokens, then the higher threshold."""
    def row(source, recipe, threshold, found, false, precision=0.95):
        return {"held_back": source, "recipe": recipe, "threshold": threshold, "found": found, "false_tokens": false,
                "token_precision": precision}

    sources = [f"s{i}" for i in range(7)]
    rows = [row(s, "off", None, 100, 10) for s in sources]
    # C at 0.5: wins on 5 (one by fewer false tokens), ties on s5, loses one identifier on s6: passes
    for s, (found, false) in zip(sources, [(101, 11), (102, 12), (101, 10), (103, 14), (100, 9), (100, 10), (99, 10)]):
        rows.append(row(s, "C", 0.5, found, false))
    # C at 0.7: as many identifiers, fewer false tokens: chosen over 0.5
    for s, (found, false) in zip(sources, [(101, 10), (102, 11), (101, 10), (103, 12), (100, 9), (100, 10), (99, 10)]):
        rows.append(row(s, "C", 0.7, found, false))
    # CR at 0.5: more identifiers, but s6 loses two: fails
    for s, found in zip(sources, [105, 105, 105, 105, 105, 105, 98]):
        rows.append(row(s, "CR", 0.5, found, 10))
    # CF at 0.5: most identifiers, one source under the floor: fails
    for s in sources:
        rows.append(row(s, "CF", 0.5, 110, 12, 0.89 if s == "s3" else 0.95))
    verdicts = {(d["recipe"], d["threshold"]): d for d in decide_cased(rows)}
    c5 = verdicts[("C", 0.5)]
    assert (c5["wins"], c5["lost"], c5["passes"], c5["chosen"]) == (5, [], True, False)
    assert verdicts[("C", 0.7)]["chosen"] is True
    assert verdicts[("CR", 0.5)]["lost"] == ["s6"] and verdicts[("CR", 0.5)]["passes"] is False
    assert verdicts[("CF", 0.5)]["under_floor"] == ["s3 0.8900"] and verdicts[("CF", 0.5)]["passes"] is False


def test_the_cased_model_learns_from_the_other_sources_cased_calls_or_all_their_calls() -> None:
    def doc(i, text, style):
        d = GoldDoc(f"call_{i:03d}", text, [])
        d.style = style  # type: ignore[attr-defined]
        return d

    a = Corpus("a", [doc(1, "Agent: Hi.\nCaller: Hello.", "clean"), doc(3, "AGENT: HI.\nCALLER: HELLO.", "clean"),
                     doc(41, "agent: hi\ncaller: hello", "asr")])
    b = Corpus("b", [doc(5, "Agent: Hi there.\nCaller: Yes.", "clean")])
    speech = Corpus("a whisper", [doc(7, "Agent: Hi.\nCaller: Hello.", "wideband")], group="a", speech_recognized=True)
    corpora = [a, b, speech]
    assert [d.id for d in cased_training(corpora, b, "cased")] == ["call_001"]  # a shouted call carries no case
    assert [d.id for d in cased_training(corpora, b, "written")] == ["call_001", "call_003", "call_041"]
    assert [d.id for d in cased_training(corpora, a, "written")] == ["call_005"]  # never Whisper's text


# ------------------------------------------------------------------ the layer in the engine
def _config(enabled: bool | None) -> dict:
    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    config = copy.deepcopy(config)
    if enabled is None:
        config["layers"] = [entry for entry in config["layers"] if entry["name"] != learned.LAYER]
    else:
        next(entry for entry in config["layers"] if entry["name"] == learned.LAYER)["enabled"] = enabled
    return config


_CALLS = [
    "agent: thanks for calling, who am i speaking with?\ncaller: hi um this is kesbeth orlanov calling for my son\n"
    "agent: what's the address?\ncaller: it's on pelham street, apartment 6 d, over the laundromat\n"
    "agent: and where does his dad live?\ncaller: out on county 14 near the grain elevator\n",
    "Agent: What's his date of birth?\nCaller: June 3rd, 1990. He lives in Fresno.\n",
]


@pytest.fixture(scope="module")
def switched_off() -> Redactor:
    return Redactor(_config(False), config_path=CONFIG_PATH)


def test_switched_off_it_changes_nothing(switched_off) -> None:
    """``enabled: false`` is the engine without the entry at all, span for span."""
    without = Redactor(_config(None), config_path=CONFIG_PATH)
    assert learned.LAYER not in switched_off.active_layers
    for text in _CALLS:
        assert switched_off.redact(text).spans == without.redact(text).spans


def test_switched_on_it_adds_to_the_other_layers_and_reads_only_caseless_calls(switched_off) -> None:
    on = Redactor(_config(True), config_path=CONFIG_PATH)
    assert on.active_layers[-1] == learned.LAYER
    raw, cased = _CALLS

    def masked(spans, text):
        return {i for s in spans for i in range(s.start, s.end) if not text[i].isspace()}

    before, after = masked(switched_off.redact(raw).spans, raw), masked(on.redact(raw).spans, raw)
    assert before < after  # a union, and it adds: the rules leave an apartment's letter and a bare county road
    for value in ("6 d", "county 14"):
        start = raw.index(value)
        chars = {i for i in range(start, start + len(value)) if not raw[i].isspace()}
        assert not chars <= before and chars <= after
    assert on.redact(cased).spans == switched_off.redact(cased).spans  # a cased call is left to the rules


def test_speech_recognized_text_is_read_cased_only_when_the_setting_says_so(switched_off) -> None:
    """The pipeline marks its Whisper transcripts (``redact_many(speech_recognized=True)``); the layer reads them cased
    only with ``speech_recognized: true`` in its entry, as shipped since switch12; with the setting off, a marked call
    is left to the rules. (What the layer does to written cased text is the ``cased_model`` setting's: the test below.)"""
    shipped_entry = next(entry for entry in _config(True)["layers"] if entry["name"] == learned.LAYER)
    assert shipped_entry["speech_recognized"] is True
    shipped = Redactor(_config(True), config_path=CONFIG_PATH)
    marked = shipped.redact(_CASED_CALL, speech_recognized=True).spans
    assert any(s.layer == learned.LAYER for s in marked)

    config = _config(True)
    next(entry for entry in config["layers"] if entry["name"] == learned.LAYER)["speech_recognized"] = False
    setting_off = Redactor(config, config_path=CONFIG_PATH)
    # off, a marked call is the rules' alone (the cased model never reads a speech recognizer's text); learn14 found
    # this line saying "the mark is inert" (marked == unmarked), true only while no cased model reads the unmarked call
    assert (setting_off.redact(_CASED_CALL, speech_recognized=True).spans
            == switched_off.redact(_CASED_CALL, speech_recognized=True).spans)

    # Which documents it reads is the recognizer's rule, not the model's: at a threshold any token reaches, it finds
    # something in a marked cased call only when the setting says so, and never in an unmarked one.
    tagger = learned.open_tagger(learned.MODEL_PATH)
    try:
        doc = Document(_CASED_CALL, _CASED_CALL, caseless=False, speech_recognized=True)
        unmarked = Document(_CASED_CALL, _CASED_CALL, caseless=False)
        assert learned.CrfTokens(tagger, 0.01, speech_recognized=True).find_in(doc)
        assert learned.CrfTokens(tagger, 0.01).find_in(doc) == []
        assert learned.CrfTokens(tagger, 0.01, speech_recognized=True).find_in(unmarked) == []
    finally:
        tagger.close()


# an invented written call in sentence case; its last answer places a person by a landmark (calls_dev's convention:
# "route 72 by the auto auction" is one GEO span), so the words after the road here are an identifier, not ordinary
_CASED_CALL = ("Agent: Thanks for calling, who am I speaking with?\nCaller: Hi, this is Kesbeth Orlanov, calling for my son.\n"
               "Agent: And where does his dad live?\nCaller: Out on County 14 near the grain elevator.\n")


def _with_cased_model(model: str | None, threshold: float = 0.01) -> Redactor:
    config = _config(True)
    entry = next(e for e in config["layers"] if e["name"] == learned.LAYER)
    entry.pop("cased_threshold", None)
    entry.pop("cased_features", None)
    entry["cased_model"] = model
    if model:
        entry["cased_threshold"] = threshold
    return Redactor(config, config_path=CONFIG_PATH)


def test_the_cased_model_setting_decides_who_reads_written_sentence_case_text(switched_off) -> None:
    """What the ``cased_model`` setting does, whichever model it names (learn14 split this from the test above): unset,
    a written cased call is left to the rules; set, a written call in sentence case is read by that model, and nothing
    else changes: not a caseless call, not a speech recognizer's marked text, not a near-raw call with a stray capital.
    The shipped layer reads raw and marked text as it does with the setting unset, whatever model it names."""
    raw = _CASED_CALL.lower()
    near_raw = "agent: Name?\ncaller: this is kesbeth orlanov, out on county 14 near the grain elevator\n"
    unset = _with_cased_model(None)
    assert unset.redact(_CASED_CALL).spans == switched_off.redact(_CASED_CALL).spans  # left to the rules
    # any model file reads the same way: the plumbing is the setting's; at 0.01 it claims the call's name
    read = _with_cased_model(str(learned.MODEL_PATH))
    assert any(s.layer == learned.LAYER for s in read.redact(_CASED_CALL).spans)
    shipped = Redactor(_config(True), config_path=CONFIG_PATH)
    for engine in (read, shipped):
        assert engine.redact(raw).spans == unset.redact(raw).spans
        assert engine.redact(near_raw).spans == unset.redact(near_raw).spans
        assert (engine.redact(_CASED_CALL, speech_recognized=True).spans
                == unset.redact(_CASED_CALL, speech_recognized=True).spans)


# Invented written calls in sentence case: a road, street or route name, then ordinary words that place no one (the
# road may be claimed; the words after it never are). learn13b's guarded cased model claimed a county road with the
# words after it on an invented call; there they were a landmark (above), which calls_dev marks, so these are not.
_ROAD_THEN_ORDINARY = [
    ("Caller: Out on County 14 most of the year, with his cousins.\n", "most of the year, with his cousins"),
    ("Caller: He's out on County Road 12 since the summer.\n", "since the summer"),
    ("Caller: We're off Route 9, and by the time the bus comes it's late.\n", "and by the time the bus comes"),
    ("Caller: She lives on Elm Street with her grandmother, most nights anyway.\n", "with her grandmother"),
    ("Caller: Down on County 7 where the pavement ends, past the mailboxes.\n", "where the pavement ends"),
    ("Caller: On Ferris Avenue in a basement apartment, it's cheap.\n", "in a basement apartment"),
]


@pytest.mark.parametrize("answer, ordinary", _ROAD_THEN_ORDINARY, ids=lambda v: v[:24])
def test_ordinary_words_after_a_road_are_never_the_learned_layer_s(answer: str, ordinary: str) -> None:
    """Precision, whichever model the shipped layer reads written cased calls with (none, or a ``cased_model``)."""
    text = ("Agent: Admissions, who am I speaking with?\nCaller: This is Orla Vantreese, about my son.\n"
            "Agent: And where is he staying?\n" + answer)
    start = text.index(ordinary)
    words = {i for i in range(start, start + len(ordinary)) if text[i].isalpha()}
    shipped = Redactor(_config(True), config_path=CONFIG_PATH)
    claimed = [s for s in shipped.redact(text).spans if s.layer == learned.LAYER]
    assert not any(i in words for s in claimed for i in range(s.start, s.end)), [text[s.start : s.end] for s in claimed]


def _cased_tiny_model(tmp_path_factory, name: str, iterations: int):
    """A model trained here on the invented calls above written with capitals."""
    cased = [GoldDoc(d.id, d.text.replace("agent:", "Agent:").replace("caller:", "Caller:").title(), d.spans) for d in TINY]
    path = tmp_path_factory.mktemp(name) / f"{name}.crfsuite"
    train(cased, path, {"max_iterations": iterations})
    return learned.open_tagger(path)


@pytest.fixture(scope="module")
def speech_tagger(tmp_path_factory):
    """A second model, cased as a speech recognizer writes, trained here on invented calls so the test does not
    depend on the shipped speech model (``layers.yaml``'s ``speech_model``, shipped since session 13)."""
    t = _cased_tiny_model(tmp_path_factory, "speech", 20)
    yield t
    t.close()


def test_a_speech_recognizer_s_text_is_read_by_the_speech_model_when_one_is_set(tagger, speech_tagger) -> None:
    """With ``speech_recognized`` on and a ``speech_model``, a marked transcript is read by that model, and a caseless
    written call by the written calls' model; the two models are not the same."""
    cased = "Agent: Who am I speaking with?\nCaller: Hi, this is Kesbeth Orlanov, calling for my son.\n"
    raw = cased.lower()
    reader = learned.CrfTokens(tagger, 0.01, speech_recognized=True, speech_tagger=speech_tagger)
    assert reader.find_in(Document(cased, cased, caseless=False, speech_recognized=True)) == reader.find(cased, speech_tagger)
    assert reader.find_in(Document(raw, raw, caseless=True)) == reader.find(raw, tagger)
    assert learned.marginals(cased, tagger) != learned.marginals(cased, speech_tagger)
    without = learned.CrfTokens(tagger, 0.01, speech_recognized=True)  # no speech model: the written calls' reads it
    assert without.find_in(Document(cased, cased, caseless=False, speech_recognized=True)) == without.find(cased, tagger)


@pytest.fixture(scope="module")
def cased_tagger(tmp_path_factory):
    """A cased model (learn13; none is shipped), fitted less than the speech one so that the two differ."""
    t = _cased_tiny_model(tmp_path_factory, "cased", 5)
    yield t
    t.close()


def test_a_written_cased_call_is_read_by_the_cased_model_and_nothing_else_is(tagger, speech_tagger, cased_tagger) -> None:
    """With a ``cased_model``, a written cased call is read by it at its own threshold; a caseless call stays the
    written calls' model's, a speech recognizer's text the speech model's (or nobody's with ``speech_recognized``
    off: the cased model never reads it), and a chart note or a text without speaker turns gets nothing."""
    cased = "Agent: Who am I speaking with?\nCaller: Hi, this is Kesbeth Orlanov, calling for my son.\n"
    raw = cased.lower()
    reader = learned.CrfTokens(tagger, 0.9, speech_recognized=True, speech_tagger=speech_tagger,
                               cased_tagger=cased_tagger, cased_threshold=0.01)
    assert reader.find_in(Document(cased, cased, caseless=False)) == learned.spans_from_marginals(
        cased, learned.marginals(cased, cased_tagger), 0.01, learned.CASED_GUARDS)
    assert reader.find_in(Document(cased, cased, caseless=False))  # at 0.01 every word is a finding
    assert learned.marginals(cased, cased_tagger) != learned.marginals(cased, speech_tagger)
    assert reader.find_in(Document(raw, raw, caseless=True)) == learned.CrfTokens(tagger, 0.9).find(raw)
    assert reader.find_in(Document(cased, cased, caseless=False, speech_recognized=True)) == reader.find(cased, speech_tagger)
    no_speech = learned.CrfTokens(tagger, 0.9, cased_tagger=cased_tagger, cased_threshold=0.01)
    assert no_speech.find_in(Document(cased, cased, caseless=False, speech_recognized=True)) == []
    chart = "NPN 7a-7p\nNEURO: A&Ox3, MAE. Seen by Tamsin Okereke.\nGI: TF at goal.\n"
    note = "Pt seen by Tamsin Okereke today, lives at Dunmore Heights with dtr.\n"
    for text in (chart, note):
        assert reader.find_in(Document(text, text, caseless=False)) == []
    without = learned.CrfTokens(tagger, 0.01)  # no cased model: a written cased call is left to the rules
    assert without.find_in(Document(cased, cased, caseless=False)) == []


def test_the_layer_opens_a_cased_model_only_when_set(tmp_path) -> None:
    config = _config(True)
    entry = next(e for e in config["layers"] if e["name"] == learned.LAYER)
    entry.update(cased_model=str(tmp_path / "absent.crfsuite"))
    with pytest.raises(OSError):
        Redactor(config, config_path=CONFIG_PATH)
    entry.update(cased_model=None, cased_features=["no_such_set"])
    with pytest.raises(ValueError):
        Redactor(config, config_path=CONFIG_PATH)


def test_the_layer_opens_a_speech_model_only_when_set_and_switched_on(tmp_path) -> None:
    config = _config(True)
    entry = next(e for e in config["layers"] if e["name"] == learned.LAYER)
    entry.update(speech_recognized=True, speech_model=str(tmp_path / "absent.crfsuite"))
    with pytest.raises(OSError):
        Redactor(config, config_path=CONFIG_PATH)  # set and on: it is opened (and here it is not there)
    entry["speech_recognized"] = False
    assert Redactor(config, config_path=CONFIG_PATH).redact("caller: hi").redacted_text == "caller: hi"
    entry.update(speech_recognized=True, speech_model=None, speech_features=["no_such_set"])
    with pytest.raises(ValueError, match="speech_features"):
        Redactor(config, config_path=CONFIG_PATH)


def test_the_speech_model_is_read_with_its_own_feature_sets(tagger, speech_tagger) -> None:
    """``speech_features`` names the sets the speech model was trained with (learn12's: the resource features); the
    speech recognizer's text is read with them, a caseless written call still with the written model's sets."""
    cased = "Agent: What's the best callback number?\nCaller: My stepdad has Aetna, it's under Kesbeth Orlanov.\n"
    raw = cased.lower()
    resources = frozenset({"resources"})
    reader = learned.CrfTokens(tagger, 0.01, speech_recognized=True, speech_tagger=speech_tagger, speech_sets=resources)
    heard = Document(cased, cased, caseless=False, speech_recognized=True)
    assert reader.reading(heard) == (speech_tagger, 0.01, resources)
    assert reader.reading(Document(raw, raw, caseless=True)) == (tagger, 0.01, learned.FEATURE_SETS)
    assert learned.features(cased, resources)[1] != learned.features(cased, learned.FEATURE_SETS)[1]
    assert reader.find_in(heard) == learned.spans_from_marginals(
        cased, learned.marginals(cased, speech_tagger, resources), 0.01)
    # the setting reaches the recognizer through layers.yaml
    settings = {"speech_recognized": True, "speech_model": str(learned.MODEL_PATH), "speech_features": ["resources"]}
    layer = learned.LearnedLayer(LayerContext(learned.LAYER, settings))
    assert layer.recognizer.speech_sets == resources and layer.recognizer.cased_sets == frozenset()


# ------------------------------------------------------------------ what the shipped model catches and leaves
@pytest.mark.parametrize(
    "text, value",
    [
        ("agent: and who am i speaking with today?\ncaller: this is tamsin okereke i'm calling about my brother", "tamsin okereke"),
        ("agent: can i get your name please?\ncaller: yeah it's corvin maddox", "corvin maddox"),
        ("caller: my sister lorvena picks him up after work", "lorvena"),
        ("agent: where is he staying right now?\ncaller: he's at his dad's place over in dunmore heights", "dunmore heights"),
        ("agent: what's his date of birth?\ncaller: um october fourteenth ninety one", "october fourteenth"),
        ("agent: what's a good number to reach you?\ncaller: four one seven five five five oh one three two",
         "four one seven five five five oh one three two"),
    ],
)
def test_the_shipped_model_catches_invented_identifiers_in_raw_speech(tagger, text: str, value: str) -> None:
    assert any(value in found for found in _found(tagger, text)), _found(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "agent: how old is he?\ncaller: he's forty five and he lives in texas",  # an age under 90, a state
        "caller: he's been on suboxone and methadone and now he drinks every day",  # drugs
        "caller: he's twenty two years old and takes seroquel and gabapentin at night",
        "caller: we moved here from ohio last spring and he started using again in the summer",
        "agent: is there anything else i can help with?\ncaller: no that's it thank you so much for your time",
    ],
)
def test_the_shipped_model_leaves_common_words_states_ages_and_drugs(tagger, text: str) -> None:
    assert _found(tagger, text) == []


def test_a_chart_note_and_a_cased_call_get_nothing(tagger) -> None:
    chart = "NPN 7a-7p\nNEURO: A&Ox3, MAE. CV: HR 80s NSR, BP 120/70. RESP: LS clear, O2 sat 98% on 2L NC.\nGI: TF at goal.\n"
    assert learned.CrfTokens(tagger, 0.01).find_in(Document(chart, chart.lower(), caseless=True)) == []
    cased = "Agent: Who am I speaking with?\nCaller: This is Tamsin Okereke."
    assert learned.CrfTokens(tagger, 0.01).find_in(Document(cased, cased, caseless=False)) == []
    assert learned.CrfTokens(tagger, 0.01, caseless_only=False).find_in(Document(cased, cased, caseless=False))


def test_caseless_text_without_speaker_turns_gets_nothing(tagger) -> None:
    # a lower-case note no chart test recognised, a free sentence: not the call transcripts the model learned from
    note = "pt seen by tamsin okereke today, lives at dunmore heights with dtr.\nf/u with dr corvin maddox next wk\n"
    assert learned.CrfTokens(tagger, 0.01).find_in(Document(note, note, caseless=True)) == []
    turn = "caller: this is tamsin okereke i'm calling about my brother"
    assert learned.CrfTokens(tagger, 0.01).find_in(Document(turn, turn, caseless=True))


def test_the_layer_is_linear_in_text_length(tagger) -> None:
    import gc
    import time

    def seconds(text: str) -> float:
        # The collector off while timing: with the whole suite's heap alive, each full collection the layer's
        # allocations trigger scans every object the other tests left, which grows with the heap, not with the text
        # (measured: one 32,000-character line 1.3-2.0 s with it on, 0.6 s off; 4,000 characters 0.06 s either way).
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            learned.CrfTokens(tagger, 0.5).find(text)
            return time.process_time() - t0
        finally:
            gc.enable()

    # Linearity is asserted as a ratio of CPU times (8x the text may cost at most 20x; quadratic would be 64x), not as
    # a wall-clock budget: an absolute bound fails on a loaded machine for no fault of the code. `cipher deid`'s 2 s
    # per 32,000 characters is held by the fuzz test and measured by `cipher bench`.
    unit = "caller: it's 4 1 3, 5 5 5 and my name is dorrit\n"
    small, large = unit * (4000 // len(unit)), unit * (32000 // len(unit))
    t_small, t_large = seconds(small), seconds(large)
    assert t_large < max(20 * t_small, 1.5), (t_small, t_large)
    # One 32,000-character line is one CRF sequence: still linear, not quadratic in the line's length.
    t_line_small, t_line_large = seconds("1-" * 2000), seconds("1-" * 16000)
    assert t_line_large < max(20 * t_line_small, 1.5), (t_line_small, t_line_large)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("caller: the deductible is $4,500 and out of pocket 4,500 dollars\n", ["4,500", "4,500"]),
        ("caller: they want like 30,000 bucks for thirty days\n", ["30,000"]),
    ],
)
def test_an_amount_is_never_its_finding(tagger, text: str, kept: list[str]) -> None:
    """The model reads "$4,500" as a number-shaped identifier (a Whisper ZIP can look so); the rules' money cues
    keep an amount. The same digits said as a callback number are still found (test above)."""
    assert not any(k in found for k in kept for found in _found(tagger, text))


@pytest.mark.parametrize(
    "text",
    [
        "caller: his kids are 5, 7, 9 and 12, he relapsed 3, 4 times, and he used in 2019, 2020 and 2021\n",
        "caller: they sent it via email 2 times\n",
        "caller: he was clean from 2016 to 2018\n",
    ],
)
def test_counts_lists_and_years_are_never_its_findings(tagger, text: str) -> None:
    found = _found(tagger, text, threshold=0.2)
    assert not any(ch.isdigit() for span in found for ch in span), found


def test_digits_read_apart_are_still_found(tagger) -> None:
    text = "agent: and the zip there?\ncaller: 4 8 2 0 1\n"
    assert any("4 8 2 0 1" in found for found in _found(tagger, text))


# ------------------------------------------------------------------ the cased reading's guards (learn13, second attempt)
def _claimed(text: str, claimed: Sequence[str], owned=(), guards=learned.CASED_GUARDS) -> list[str]:
    """What the layer keeps of ``text`` when the model claims the tokens of ``claimed`` (certain, as a name) and no
    other: the guards alone decide, whatever a model would have read."""
    tokens, _ = learned.features(text)
    within = [(text.index(c), text.index(c) + len(c)) for c in claimed]
    marks = [(t, {"NAME": 1.0, "O": 0.0} if any(a <= t.start and t.end <= b for a, b in within) else {"NAME": 0.0, "O": 1.0})
             for t in tokens]
    return [text[s.start : s.end] for s in learned.spans_from_marginals(text, marks, 0.5, guards, owned)]


def _owned(text: str, *values: str) -> list:
    from cipher_pipeline.deid.spans import Span

    return [Span(text.index(v), text.index(v) + len(v), "NAME", "rules", None, "invented") for v in values]


def test_a_kept_year_is_never_claimed_by_the_cased_reading() -> None:
    text = "Caller: Born June 9th, 1984 in Harlow, moved in 2011.\n"
    claimed = _claimed(text, ["June 9th, 1984", "moved in 2011"])
    assert not any("1984" in c or "2011" in c for c in claimed), claimed
    assert "June 9th" in claimed  # the month and day stay claimed
    assert "June 9th, 1984" in _claimed(text, ["June 9th, 1984"], guards=())  # without the guard the run held the year


def test_a_year_shaped_group_of_a_longer_number_is_no_year() -> None:
    text = "Caller: Reach me at 415 555 2019 tonight.\n"
    assert _claimed(text, ["415 555 2019"]) == ["415 555 2019"]


@pytest.mark.parametrize("code", ["B12", "D3", "F11.20", "XR 20", "ER 150"])
def test_a_short_code_that_names_no_one_is_never_claimed(code: str) -> None:
    text = f"Caller: He takes {code} every morning.\n"
    assert _claimed(text, [f"takes {code}"]) == []
    assert _claimed(text, [f"takes {code}"], guards=()) != []  # without the guard the code was the layer's


@pytest.mark.parametrize("text, value", [
    ("Caller: My member ID is B12 on the card.\n", "B12"),  # a keyword names it an identifier: the rules' own test
    ("Caller: The badge says K4471902 on it.\n", "K4471902"),  # longer than any such code
])
def test_a_code_an_identifier_keyword_names_or_a_long_code_stays_claimed(text: str, value: str) -> None:
    assert any(value in c for c in _claimed(text, [value]))


def test_a_run_never_crosses_punctuation_into_another_layer_s_span() -> None:
    text = "Caller: It's Wren Talbot, 619 555 0142 is my cell.\n"
    run = ["Wren Talbot, 619 555 0142"]
    owned = _owned(text, "Wren Talbot", "619 555 0142")
    assert _claimed(text, run, owned) == ["Wren Talbot", "619 555 0142"]  # two spans, each its own category
    assert _claimed(text, run) == run  # no other layer's span at the comma: one run, as before


def test_a_run_inside_one_owned_span_stays_whole() -> None:
    text = "Caller: It's 12 Orrin Way, Unit 4 by the mill.\n"
    owned = _owned(text, "12 Orrin Way, Unit 4")  # another layer owns both sides of the comma
    assert _claimed(text, ["12 Orrin Way, Unit 4"], owned) == ["12 Orrin Way, Unit 4"]


def test_sentence_case_is_a_share_of_capitalised_sentence_starts_not_one_capital() -> None:
    written = "Agent: Who am I speaking with?\nCaller: Hi. This is Tove, about my brother.\n"
    near_raw = "agent: Name?\ncaller: my name is tove hallam and i need help\n"
    assert learned.sentence_case_share(written) == 1.0 and learned.sentence_case(written)
    assert learned.sentence_case_share(near_raw) == 0.5 and not learned.sentence_case(near_raw)
    assert not learned.sentence_case(written.upper()) and not learned.sentence_case(written.lower())
    assert learned.sentence_case_share("no turns and no sentence start") == 0.0
    assert learned.sentence_case_share("") is None


def test_the_cased_model_reads_only_sentence_case_and_only_it_is_guarded(tagger, cased_tagger) -> None:
    near_raw = "agent: Name?\ncaller: my name is tove hallam, born 1984\n"
    written = "Agent: Name?\nCaller: My name is Tove Hallam, born 1984.\n"
    reader = learned.CrfTokens(tagger, 0.5, cased_tagger=cased_tagger, cased_threshold=0.01)
    assert reader.find_in(Document(near_raw, near_raw, caseless=False)) == []  # left to the rules, as shipped
    assert reader.reading(Document(written, written, caseless=False))[0] is cased_tagger
    assert reader.guards(cased_tagger) == learned.CASED_GUARDS
    # the caseless and speech models keep their own output (fp21's bridges guard withdrawn from them, session 21)
    assert reader.guards(tagger) == learned.SPEECH_GUARDS
    assert not any("1984" in text[s.start : s.end] for text in (written,)
                   for s in reader.find_in(Document(written, written, caseless=False)))


# ------------------------------------------------------------------ RoadEnds (learn14): a run past a road's end
@pytest.mark.parametrize("text, run, kept", [
    ("Caller: She lives on Tolliver Street with her grandmother.\n", "Tolliver Street with her grandmother", "Tolliver Street"),
    ("Caller: He's out on County Road 12 since the summer.\n", "County Road 12 since the summer", "County Road 12"),
    ("Caller: Down on County 7 where the pavement ends.\n", "County 7 where the pavement ends", "County 7"),
    ("Caller: We're off Route 9 by the, um, yeah.\n", "Route 9 by the", "Route 9"),  # a preposition naming nothing
    ("caller: he's out on county road 12 since the summer\n", "county road 12 since the summer", "county road 12"),
])
def test_ordinary_words_after_a_road_are_cut_at_the_road_s_end(text: str, run: str, kept: str) -> None:
    assert _claimed(text, [run]) == [kept]
    assert _claimed(text, [run], guards=()) == [run]  # without the guard the run held the words after the road


@pytest.mark.parametrize("text, run", [
    ("Caller: Out on County 14 near the grain elevator.\n", "County 14 near the grain elevator"),  # a landmark places him
    ("Caller: He cooks at the Route 9 Diner most days.\n", "Route 9 Diner"),  # a capital: the name goes on
    ("Caller: It's 40 Tolliver Street in Harlow, I think.\n", "40 Tolliver Street in Harlow"),  # a town after it
    ("Caller: It's on Highway 7 north, apartment six.\n", "Highway 7 north, apartment six"),  # a direction, a unit
    ("Caller: He lives on Millbrae Creek Road with his dad.\n", "Millbrae Creek Road"),  # ends at its type, not "Creek"
])
def test_a_road_with_a_landmark_unit_direction_or_name_after_it_stays_whole(text: str, run: str) -> None:
    assert _claimed(text, [run]) == [run]


def test_a_two_word_street_name_ends_at_its_type() -> None:
    from cipher_pipeline.deid.geography import road_name_ends

    assert road_name_ends("Mill Creek Road") == [len("Mill Creek Road")]
    assert road_name_ends("out on county road 12 since")[-1] == len("out on county road 12")
    assert road_name_ends("Out on County 14 most days") == [len("Out on County 14")]


def test_road_ends_guards_the_cased_reading_only(tagger, cased_tagger) -> None:
    """On development data it cut nothing the caseless or speech models claimed (learn14: 0 of 264 documents
    changed), so their shipped output stays as their rules measured it; it is one of the cased reading's guards."""
    assert any(isinstance(g, learned.RoadEnds) for g in learned.CASED_GUARDS)
    assert not any(isinstance(g, learned.RoadEnds) for g in learned.CrfTokens(tagger, 0.5, cased_tagger=cased_tagger).guards(tagger))
