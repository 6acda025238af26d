"""The residual scan's learned token model: its trainer, its findings, its switch in the thresholds file.

Every text here is invented for these tests (no corpus text): the trainer learns from a few made-up turns, and the
shipped model is asked about made-up residuals and made-up clean speech."""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil

import pytest
import yaml

from cipher_devtools.train_scan_model import Example, sequences, train
from cipher_pipeline.gate import residual
from cipher_pipeline.gate.paths import default_checks_dir
from cipher_pipeline.gate.thresholds import ThresholdsError, load_thresholds, parse_thresholds


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
        ("Agent: Can I get your last name?\nCaller: Yeah, it's [NAME] Wrzesniewski-Oduya.", "Wrzesniewski", "NAME"),
        ("Agent: And the best callback number?\nCaller: Sure, it's 413 555 0178, that's my cell.", "413 555 0178", "OTHER_ID"),
        ("Agent: What's your date of birth?\nCaller: March 3rd, 1984.", "March 3rd", "DATE"),
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
RESIDUAL_ONLY_THE_MODEL_WINS = "Agent: And your last name?\nCaller: It's [NAME] Wrzesniewski-Oduya."


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
    (finding,) = json.loads(out.read_text())["findings"]
    text = RESIDUAL_ONLY_THE_MODEL_WINS
    # the model's run covers the whole hyphenated surname; the rules' remnant finding only its first part
    assert (text[finding["start"] : finding["end"]] == "Wrzesniewski-Oduya") is enabled
    # the reviewer is shown the same turn either way (turn 1); the scan it reflects is the one in force
    probability = load_thresholds_probability() if enabled else None
    assert flagged_turns(text, probability) == {1: ["NAME"]}
