"""Which finding labels a merged span (``spans.Ranking``): only what ``layers.yaml`` declares, the priority of each
layer and the finer priorities a layer declares for some of its findings, and the evidence a recognizer marked on a
span (the gazetteer's "place_preposition"); and the steps after the merge, the chain layers.yaml declares under
``after_merge``. Every input is invented for this file."""

from __future__ import annotations

import pytest

from cipher_pipeline.deid.spans import Ranking, Span, default_ranking, resolve

TEXT = "caller: her cousin has a place in tyler"
START = TEXT.index("tyler")


def _town(evidence: str | None = None) -> Span:
    return Span(START, START + 5, "LOCATION", "lexicon", None, "gazetteer", evidence)


NAME = Span(START, START + 5, "NAME", "ner", None, "model_person")


def test_the_shipped_chain_declares_the_finer_priorities_of_the_lexicon_layer() -> None:
    ranking = default_ranking()
    said_after_a_preposition = ranking.priority(_town("place_preposition"))
    assert ranking.layers["rules"] < said_after_a_preposition < ranking.priority(NAME) < ranking.priority(_town())
    # the layer's own dictionary and shape finds keep the layer's priority
    program = Span(0, 5, "COMPETITOR", "lexicon", None, "program_shape")
    assert ranking.priority(program) == ranking.layers["lexicon"] < said_after_a_preposition


def test_a_town_marked_as_said_after_a_preposition_labels_the_merge_a_place() -> None:
    assert [s.category for s in resolve([NAME, _town("place_preposition")], TEXT)] == ["LOCATION"]
    assert [s.category for s in resolve([NAME, _town()], TEXT)] == ["NAME"]
    merged = resolve([_town("place_preposition"), NAME], TEXT)[0]
    assert (merged.recognizer, merged.evidence) == ("gazetteer", "place_preposition")  # the mark survives a merge


def test_the_ranking_is_what_the_config_declares() -> None:
    config = {"layers": [{"name": "lexicon", "priority": 1}, {"name": "ner", "priority": 2}]}
    plain = Ranking.from_config(config)
    assert plain.priority(_town()) == 1.0  # no finer priorities declared: the layer's own
    assert [s.category for s in resolve([NAME, _town()], TEXT, plain)] == ["LOCATION"]
    config["layers"][0]["priorities"] = [{"category": "LOCATION", "priority": 3}]
    assert Ranking.from_config(config).priority(_town()) == 3.0
    # a layer that declares nothing takes the shipped chain's priority; one the shipped chain lacks ranks last
    partial = Ranking.from_config({"layers": [{"name": "extra"}]}, defaults=default_ranking())
    assert partial.priority(NAME) == default_ranking().priority(NAME)
    assert partial.priority(Span(0, 3, "NAME", "extra")) == 9.0
    # a plain mapping of layer priorities still works
    assert [s.category for s in resolve([NAME, _town()], TEXT, {"ner": 0, "lexicon": 1})] == ["NAME"]


@pytest.mark.slow  # loads the lexicons and the gazetteer
@pytest.mark.parametrize(
    "text, town, evidence",
    [
        ("caller: we were living in brandon for a year", "brandon", "place_preposition"),
        ("caller: he works outside of tyler now", "tyler", "place_preposition"),
        ("caller: they moved out near Jackson", "Jackson", "place_preposition"),
        ("caller: she moved to tyler last year", "tyler", None),  # "to": a person can follow ("talked to tyler")
    ],
)
def test_the_gazetteer_marks_a_town_said_after_a_place_preposition(text: str, town: str, evidence: str | None) -> None:
    from cipher_pipeline.deid.lexicon import LexiconLayer

    spans = [s for s in LexiconLayer().find(text, caseless=text == text.lower()) if s.recognizer == "gazetteer"]
    start = text.index(town)
    assert [(s.start, s.evidence) for s in spans if s.start <= start < s.end] == [(start, evidence)]


# ------------------------------------------------------------------------------------------------ after the merge
@pytest.mark.slow  # loads the engine three times
def test_layers_yaml_chains_the_steps_after_the_merge(redactor, tmp_path) -> None:
    """The engine runs the after_merge steps layers.yaml lists, in its order, those of active layers only."""
    import yaml

    from cipher_pipeline.deid.engine import CONFIG_PATH, Redactor

    config = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    steps = [entry["step"] for entry in config["after_merge"]]
    assert steps[0] == "identifier_rest"
    # rules15 added quasi_before_found; repair20 (session 20) the reparandum, last: it reads every finding; plan21
    # (session 21) plan_after_carrier, after the institutions
    assert steps[-5:] == ["names_said_again", "institution_after_found", "plan_after_carrier", "quasi_before_found", "reparandum"]
    assert "propagate_names" in steps
    assert len(redactor._after_merge) == len(steps)  # every layer active: every step runs
    text = "caller: my son is named grace, no wait, my daughter grace\nagent: and grace is how old\n"
    assert redactor.redact(text).redacted_text.count("[NAME]") == 3  # the agent's mention: propagate_names
    # without the propagation step the name said again stays: the chain is the config's
    config["after_merge"] = [entry for entry in config["after_merge"] if entry["step"] != "propagate_names"]
    path = tmp_path / "layers.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert Redactor.default(config_path=path).redact(text).redacted_text.count("[NAME]") == 2
    config["after_merge"].append({"step": "no_such_step", "layers": ["rules"]})
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_step"):
        Redactor.default(config_path=path)


@pytest.mark.slow  # loads the engine
def test_a_disabled_layer_takes_its_steps_after_the_merge_with_it() -> None:
    from cipher_pipeline.deid.engine import Redactor

    bare = Redactor.default(disabled_layers={"ner", "safeword", "lexicon"})
    # identifier_rest (rules) and the reparandum, which reads any layer's findings (a rules number said twice too)
    assert [step.name for step in bare._after_merge] == ["identifier_rest", "reparandum"]
