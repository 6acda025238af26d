"""The residual scan's learned token model: its trainer, its findings, its switch in the thresholds file.

Every text here is invented for these tests (no corpus text): the trainer learns from a few made-up turns, and the
shipped model is asked about made-up residuals and made-up clean speech."""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import shutil

import pytest
import yaml

from cipher_devtools.train_scan_model import Example, sequences, train
from cipher_pipeline.gate import residual
from cipher_pipeline.gate.paths import default_checks_dir
from cipher_pipeline.gate.thresholds import ThresholdsError, load_thresholds, parse_thresholds, token_model_path


def _labelled(text: str, *values: tuple[str, str]) -> Example:
    ranges = []
    for value, label in values:
        start = text.index(value)
        ranges.append((start, start + len(value), label))
    return Example("invented", text, ranges)


TINY = [
    _labelled("Agent: And your first name?\nCaller: It's Quorvin.", ("Quorvin", "NAME")),
    _labelled("Agent: Where are you calling from?\nCaller: Up in Brallowick, near the lake.", ("Brallowick", "LOC")),
    _labelled("Agent: Best number for you?\nCaller: 612 555 0143.", ("612 555 0143", "NUM")),
    _labelled("Agent: And your name again?\nCaller: [NAME] Tesselbaum.", ("Tesselbaum", "NAME")),
    _labelled("Agent: How long have you been drinking?\nCaller: About two years, mostly on weekends."),
    _labelled("Agent: Are you on any medication?\nCaller: Just the Suboxone, eight milligrams."),
]


def test_trainer_labels_tokens_from_character_ranges() -> None:
    feats, labels = list(sequences(TINY[2]))[1]
    assert labels == ["NUM", "NUM", "NUM", "O"] and len(feats) == 4  # three digit groups and the full stop
    feats, labels = list(sequences(TINY[3]))[1]
    assert labels == ["O", "NAME", "O"]  # the placeholder is a token, never a label
    assert "ph=NAME" in feats[0] and "-1:ph=NAME" in feats[1] and "redacted" in feats[1]


def test_trainer_writes_the_same_file_from_the_same_data(tmp_path) -> None:
    first = train(TINY, tmp_path / "a.crfsuite", {"max_iterations": 30})
    second = train(TINY, tmp_path / "b.crfsuite", {"max_iterations": 30})
    assert first["sha256"] == second["sha256"] == hashlib.sha256((tmp_path / "a.crfsuite").read_bytes()).hexdigest()
    assert first["labels"]["NAME"] == 2 and first["labels"]["LOC"] == 1 and first["labels"]["NUM"] == 3
    assert first["bytes"] > 0


def test_trainer_refuses_an_empty_corpus(tmp_path) -> None:
    with pytest.raises(ValueError, match="no training text"):
        train([], tmp_path / "m.crfsuite")


def test_features_name_no_rare_word() -> None:
    """A word's identity is a feature only when it is common English, so no training name or town is learned."""
    _, per_line = residual.token_model_features("Caller: it's Quorvin from Brallowick")
    everything = {f for token in per_line[0] for f in token}
    assert "w=from" in everything and not any(f.endswith(("=quorvin", "=brallowick")) for f in everything)
    assert "asked=name" not in everything  # no agent question before this caller turn


def _learned(text: str, threshold: float | None = None) -> list[residual.Residual]:
    return residual._learned_findings(text, residual.mask_placeholders(text), threshold or load_thresholds_probability())


def load_thresholds_probability() -> float:
    raw = yaml.safe_load((default_checks_dir() / "gate_thresholds.yaml").read_text())
    return float(raw["residual"]["learned_token_model"]["min_probability"])


@pytest.mark.parametrize(
    ("text", "value", "category"),
    [
        ("Agent: And the best callback number?\nCaller: Sure, it's 413 555 0178, that's my cell.", "413 555 0178", "OTHER_ID"),
        ("Agent: What's your date of birth?\nCaller: March 3rd, 1984.", "March 3rd", "DATE"),
        ("Agent: And the policy number?\nCaller: ends in 4 4 7", "4 4 7", "OTHER_ID"),
        ("Agent: And what city are you in?\nCaller: [LOCATION], right outside Quellbrook", "Quellbrook", "LOCATION"),
    ],
)
def test_shipped_model_flags_invented_residuals(text: str, value: str, category: str) -> None:
    start = text.index(value)
    found = [r for r in _learned(text) if r.start < start + len(value) and start < r.end]
    assert found and found[0].category == category and found[0].rule == "learned_token"


@pytest.mark.parametrize(
    "text",
    [
        "Agent: How long have you been using?\nCaller: About two years now, mostly pills, and I drink on weekends.",
        "Agent: Does your insurance cover detox?\nCaller: I think so, I have [INSURER:aetna] through my job.",
        "Agent: Thanks for calling [LOCATION] Recovery, this is [NAME].\nCaller: Hi, I need help for my son.",
        "Agent: We can admit tomorrow morning.\nCaller: Okay, my mom can drive me, she gets off work at five.",
    ],
)
def test_shipped_model_passes_invented_clean_speech(text: str) -> None:
    assert _learned(text) == []


def test_shipped_model_ranks_a_surname_beside_a_cut_name_above_the_words_around_it() -> None:
    """Trained on the redactor's output alone (session 10), the model has seen few surnames left beside a cut
    name, and gives one less than the threshold; it still ranks it above every ordinary word of the turn."""
    text = "Agent: And your last name?\nCaller: It's [NAME] Wrzesniewski, yeah, with a W."
    scores = {text[t.start : t.end]: 1.0 - m["O"] for t, m in residual.token_model_marginals(text) if t.line == 1}
    assert scores["Wrzesniewski"] > 0.5 > max(v for w, v in scores.items() if w not in ("Wrzesniewski", "[NAME]"))


def test_one_number_is_one_finding() -> None:
    text = "Agent: What's a good callback number?\nCaller: it's 4 1 3, 5 5 5, 0 1 7 8"
    found = _learned(text)
    assert len(found) == 1 and text[found[0].start : found[0].end] == "4 1 3, 5 5 5, 0 1 7 8"


def test_the_family_runs_only_at_the_threshold_its_caller_passes() -> None:
    text = "Agent: And the best callback number?\nCaller: Sure, it's 413 555 0178, that's my cell."
    assert not any(r.rule == "learned_token" for r in residual.scan_text(text))  # None: rules only
    scanned = residual.scan_text(text, learned_min_probability=load_thresholds_probability())
    learned = _learned(text)
    assert learned and all(any(r.start < f.end and f.start < r.end for r in scanned) for f in learned)


def _committed() -> dict:
    return yaml.safe_load((default_checks_dir() / "gate_thresholds.yaml").read_text())


@pytest.mark.parametrize(
    "setting",
    [{"enabled": "yes", "min_probability": 0.9}, {"enabled": True}, {"enabled": True, "min_probability": 1.0},
     {"enabled": False, "min_probability": -0.1}, "on"],
)  # fmt: skip
def test_loader_refuses_a_malformed_learned_model_setting(setting: object) -> None:
    raw = copy.deepcopy(_committed())
    raw["residual"]["learned_token_model"] = setting
    with pytest.raises(ThresholdsError, match="learned_token_model"):
        parse_thresholds(raw)


def test_learned_model_setting_reaches_the_thresholds_and_their_digest() -> None:
    raw = copy.deepcopy(_committed())
    raw["residual"]["learned_token_model"] = {"enabled": True, "min_probability": 0.75}
    on = parse_thresholds(raw)
    raw["residual"]["learned_token_model"] = {"enabled": False, "min_probability": 0.75}
    off = parse_thresholds(raw)
    del raw["residual"]["learned_token_model"]
    absent = parse_thresholds(raw)
    assert on.learned_min_probability == 0.75 and off.learned_min_probability is None
    assert off.digest() == absent.digest() != on.digest()  # off is the gate every earlier evidence record judged by


def test_with_the_family_on_the_digest_names_the_model_file(monkeypatch) -> None:
    """Evidence judged by one trained model goes stale when another file is shipped; with the family off it does not."""
    from cipher_pipeline.gate import thresholds as thresholds_module

    raw = copy.deepcopy(_committed())
    raw["residual"]["learned_token_model"] = {"enabled": True, "min_probability": 0.9}
    on = parse_thresholds(raw)
    del raw["residual"]["learned_token_model"]
    off = parse_thresholds(raw)
    shipped_on, shipped_off = on.digest(), off.digest()
    monkeypatch.setattr(thresholds_module, "token_model_sha256", lambda: "0" * 64)  # a retrained file
    assert on.digest() != shipped_on
    assert off.digest() == shipped_off


# ------------------------------------------------------------------ the switch reaches every scan the gate runs
# The learned model is switched by the deployment's checks folder (CIPHER_CHECKS_DIR -> thresholds_in_force), never
# by the repository's file behind its back: the evidence's digest and the scan that made it must agree.
RESIDUAL_ONLY_THE_MODEL_WINS = "Agent: And the best callback number?\nCaller: it's [PHONE] or 7 1 9 0"


def _deployment(tmp_path, enabled: bool):
    from cipher_pipeline.settings import Settings

    checks = tmp_path / ("checks_on" if enabled else "checks_off")
    shutil.copytree(default_checks_dir(), checks)
    raw = yaml.safe_load((checks / "gate_thresholds.yaml").read_text())
    raw["residual"]["learned_token_model"] = {"enabled": enabled, "min_probability": 0.9}
    (checks / "gate_thresholds.yaml").write_text(yaml.safe_dump(raw))
    return Settings(data_root=tmp_path / "data", inbox=tmp_path / "inbox", checks_dir=checks)


@pytest.mark.parametrize("enabled", [True, False])
def test_a_deployments_checks_folder_switches_the_ledgers_scan(tmp_path, enabled: bool) -> None:
    from cipher_pipeline.gate.ledger import evaluate_partition
    from cipher_pipeline.gate.thresholds import thresholds_in_force
    from tests.test_gate_fixtures import redacted_frame

    thresholds = thresholds_in_force(_deployment(tmp_path, enabled))
    frame = redacted_frame("2026-03-02", 3, planted={1: RESIDUAL_ONLY_THE_MODEL_WINS})
    evidence = evaluate_partition("2026-03-02", frame, "0" * 64, thresholds, [])
    rules = {o["rule"] for o in evidence.residuals["offsets"]}
    assert ("learned_token" in rules) is enabled
    assert evidence.thresholds["learned_min_probability"] == (0.9 if enabled else None)
    assert evidence.thresholds_digest == thresholds.digest()


@pytest.mark.parametrize("enabled", [True, False])
def test_cipher_scan_and_the_review_queue_use_the_thresholds_in_force(tmp_path, monkeypatch, enabled: bool) -> None:
    from cipher_pipeline.gate.scan_cli import _scan
    from cipher_pipeline.qa.review import flagged_turns

    settings = _deployment(tmp_path, enabled)
    monkeypatch.setenv("CIPHER_CHECKS_DIR", str(settings.checks_dir))
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "t1", "text": RESIDUAL_ONLY_THE_MODEL_WINS}) + "\n")
    assert _scan(argparse.Namespace(input=str(source), output=str(out), max_chars=10_000)) == 0
    findings = json.loads(out.read_text())["findings"]
    text = RESIDUAL_ONLY_THE_MODEL_WINS
    # the rules read no number after "[PHONE] or"; the model does
    assert [text[f["start"] : f["end"]] for f in findings] == (["7 1 9 0"] if enabled else [])
    # the reviewer is shown the turn the scan in force flagged
    probability = 0.9 if enabled else None
    assert flagged_turns(text, probability) == ({1: ["OTHER_ID"]} if enabled else {})


# ------------------------------------------------------------------ session 10: features, the file, cross-validation
def test_a_rare_words_affixes_are_features_only_when_the_word_is_long() -> None:
    """A short rare word ("Zev") would be written whole into the model as its own prefix; a long one is not."""
    short = residual._word_features("Zev")
    long = residual._word_features("Quorvinski")
    assert not any(f.startswith(("p2=", "p3=", "s2=", "s3=")) for f in short)
    assert "p3=quo" in long and "s3=ski" in long and not any("quorvinski" in f for f in long)


def test_a_placeholder_a_few_words_away_is_a_feature() -> None:
    text = "Caller: [NAME] and me went down to the Brallowick"
    tokens, per_line = residual.token_model_features(text)
    words = [text[t.start : t.end] for t in tokens]
    feats = dict(zip(words, per_line[0]))
    assert "-2:ph=NAME" in feats["me"] and not any(f.startswith("ph_near") for f in feats["me"])
    assert "ph_near=3" in feats["went"]  # three words on
    assert "ph_near=far" in feats["Brallowick"]


_ALLOWED_ATTRIBUTES = re.compile(
    r"(?:-?\d:)?(?:bias|chart|redacted|after_sentence_end|decimal_part|edge|ph|ph=[A-Z_]+|ph_near=\w+|speaker=\w+|"
    r"asked=\w+|pos=\d|shape=[Xxd'\-.]*|len=\d+|digits=\d+|punct=.|zipf=\d|in=\w+|[ps][23]=[a-z'\-]{1,3}|w=(?P<word>.+))"
)


def test_the_shipped_model_holds_features_only_and_no_rare_word() -> None:
    """Every attribute the model weighs is one of the feature kinds above; a word's identity appears only when the
    word is common English (wordfreq Zipf >= 4: no training name or town), affixes hold at most three letters."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(token_model_path()))
    attributes = {attribute for attribute, _ in tagger.info().state_features}
    tagger.close()
    assert attributes
    for attribute in attributes:
        m = _ALLOWED_ATTRIBUTES.fullmatch(attribute)
        assert m, attribute
        if m.group("word"):
            assert residual._word_zipf(m.group("word")) >= 4.0, attribute


def test_the_shipped_model_loads_offline_and_is_deterministic(monkeypatch) -> None:
    """No network on load or use (a closed network is where the gate runs), and the same text gets the same
    probabilities from two fresh loads of the file."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network refused in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    text = "Agent: And your last name?\nCaller: It's [NAME] Wrzesniewski, I live out past Brallowick."
    residual._token_model.cache_clear()
    first = residual.token_model_marginals(text)
    residual._token_model.cache_clear()
    second = residual.token_model_marginals(text)
    assert first and first == second
    assert all(abs(sum(m.values()) - 1.0) < 1e-6 for _, m in first)


def _invented_source(name: str, group: str, texts: list[tuple[str, list[tuple[str, str]], list[str]]]):
    """A development source of invented calls: (text, [(identifier, scan_eval category)], [identifiers the
    invented redactor cut, as "[NAME]"])."""
    from cipher_devtools import scan_eval
    from cipher_devtools.train_scan_model import Source

    docs, redacted = [], []
    for i, (text, identifiers, cut) in enumerate(texts):
        gold = []
        for value, category in identifiers:
            s = text.index(value)
            gold.append(scan_eval.Gold(s, s + len(value), category, [(s, s + len(value))]))
        spans = sorted((text.index(v), text.index(v) + len(v), "[NAME]") for v in cut)
        docs.append(scan_eval.Doc(f"{name}_{i}", text, gold))
        redacted.append(scan_eval._redacted_from_spans(text, spans))
    return Source(name, group, docs, redacted)


def test_cross_validation_scores_each_corpus_with_a_model_that_never_read_it(tmp_path) -> None:
    from cipher_devtools.train_scan_model import cross_validate, development_examples

    call = "Agent: And your last name?\nCaller: It's {first} {last}, I live in {town}."
    def calls(names):
        return [(call.format(first=f, last=l, town=t), [(f, "NAME"), (l, "NAME"), (t, "GEO")], [f])
                for f, l, t in names]  # fmt: skip
    a = _invented_source("a_written", "a", calls([("Quorvin", "Tesselbaum", "Brallowick"), ("Zarnia", "Oduyamba", "Pellwick")]))
    a_heard = _invented_source("a_heard", "a", calls([("Quorvin", "Tesselbom", "Brallowik")]))
    b = _invented_source("b", "b", calls([("Marvella", "Pintobrook", "Ostervale"), ("Dwyla", "Kestremann", "Frostmoor")]))
    out = cross_validate([a, a_heard, b], [0.5, 0.9], params={"max_iterations": 20}, workdir=tmp_path)
    assert sorted(out["folds"]) == ["a", "b"]
    assert sorted(out["folds"]["a"]["sources"]) == ["a_heard", "a_written"]  # a corpus's two forms are one fold
    fold_b = out["folds"]["b"]["sources"]["b"]
    assert set(fold_b) == {"rules", "0.5", "0.9"}
    assert fold_b["rules"]["misses"] == 4 and fold_b["0.5"]["caught"] >= fold_b["0.9"]["caught"] >= fold_b["rules"]["caught"]
    # each fold trained on the other corpus only: corpus a's raw and redacted text for b's fold
    trained_on_a = train(development_examples([a, a_heard]), tmp_path / "a_only.crfsuite", {"max_iterations": 20})
    assert out["folds"]["b"]["train_tokens"] == trained_on_a["tokens"]
    (tmp_path / "a_only.crfsuite").unlink()
    assert not list(tmp_path.iterdir())  # the fold models are temporary
    assert "Quorvin" not in json.dumps(out)  # counts only


def test_the_trainer_redacts_whispers_text_as_the_pipeline_and_scan_eval_do(tmp_path, monkeypatch) -> None:
    """Whisper's transcripts reach the redactor marked as a speech recognizer's output (as the pipeline and
    ``scan_eval --corpus asr`` pass them), written calls unmarked; an invented call stands for each."""
    from cipher_devtools import scan_eval
    from cipher_devtools.train_scan_model import development_sources

    heard = tmp_path / "wideband"
    heard.mkdir()
    (heard / "call_001.json").write_text(json.dumps({"id": "call_001", "text": "Caller: it's quorvin from brallowick", "spans": []}))
    written = [scan_eval.Doc("w1", "Caller: It's Quorvin from Brallowick.", [])]
    seen: list[tuple[list[str], bool]] = []

    def redactor(docs, cache=None, speech_recognized=False):  # stands in for the redactor only: what it was asked
        seen.append(([d.id for d in docs], speech_recognized))
        return [None] * len(docs)

    monkeypatch.setattr(scan_eval, "load_calls_dev", lambda path=None, half="dev": written)
    monkeypatch.setattr(scan_eval, "load_presidio", lambda path=None, split=None: [])
    monkeypatch.setattr(scan_eval, "redact_docs", redactor)
    args = argparse.Namespace(cache=None, calls_dev_half="odd", whisper_dir=[str(heard)], calls_file=None,
                              calls_whisper_dir=None, physionet=None)
    sources = development_sources(args)
    assert [s.name for s in sources] == ["calls_dev", "calls_dev:whisper_wideband", "presidio"]
    assert seen == [(["w1"], False), (["call_001"], True), ([], False)]
