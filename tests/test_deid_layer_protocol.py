"""The layer chain of layers.yaml is the only place that knows layer names: the engine loads every layer one way
(recognizer.py's protocol), resolves its steps from their declared module:function, and reads what a layer is from
what it declares (``uses``, ``capabilities``, ``registers``), so a new layer, a renamed one and a misdeclared one
need no engine edit."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
import yaml

from cipher_pipeline.deid.engine import CONFIG_PATH, Redactor
from cipher_pipeline.deid.spans import Capabilities, Span

SHIPPED = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
# the layers that need no model and no dictionaries: a chain that loads in a moment
QUICK = ("rules", "names", "slots", "geography", "asr")


def _config(*, rename: dict[str, str] | None = None, extra: list[dict] | None = None, steps: list[dict] | None = None) -> dict:
    config = copy.deepcopy(SHIPPED)
    rename = rename or {}
    for entry in config["layers"]:
        entry["name"] = rename.get(entry["name"], entry["name"])
    for entry in config["before_merge"] + config["after_merge"]:
        if "layers" in entry:
            entry["layers"] = [rename.get(name, name) for name in entry["layers"]]
    config["layers"] += copy.deepcopy(extra or [])
    config["after_merge"] += copy.deepcopy(steps or [])
    return config


def _redactor(config: dict, keep: tuple[str, ...]) -> Redactor:
    return Redactor(config, disabled_layers={entry["name"] for entry in config["layers"]} - set(keep))


BADGE = {"name": "badges", "module": "tests.deid_layer_example", "priority": 1, "prefix": "KX",
         "description": "a made-up employer's badge numbers"}
BADGE_AGAIN = {"step": "badge_again", "call": "tests.deid_layer_example:badge_digits_again", "layers": ["badges"]}


def test_a_layer_the_engine_never_heard_of_is_loaded_from_the_config_alone() -> None:
    redactor = _redactor(_config(extra=[BADGE], steps=[BADGE_AGAIN]), keep=("badges",))
    assert redactor.active_layers == ["badges"]
    text = "caller: my badge is kx-41522, yeah 41522\n"
    spans = redactor.redact(text).spans
    assert [(text[s.start : s.end], s.category, s.layer, s.recognizer) for s in spans] == [
        ("kx-41522", "OTHER_ID", "badges", "badge_number"),  # its own setting (prefix) reached it
        ("41522", "OTHER_ID", "badges", "badge_again_caseless"),  # its step ran, handed the casing it asked for
    ]
    # its module is hashed into the version, like any layer's from outside the package
    assert Path(__file__).with_name("deid_layer_example.py") in redactor._rule_files()


def test_a_new_layer_ranks_by_the_priority_it_declares() -> None:
    text = "caller: my badge is kx-41522 and my cell is 619-555-0142\n"
    for priority, labelled_by in ((1, "rules"), (-1, "badges")):  # the rules layer declares 0
        redactor = _redactor(_config(extra=[dict(BADGE, priority=priority)]), keep=("rules", "badges"))
        spans = {text[s.start : s.end]: s.layer for s in redactor.redact(text).spans}
        assert spans == {"kx-41522": labelled_by, "619-555-0142": "rules"}


def test_a_module_with_only_find_text_is_a_layer_too() -> None:
    extra = {"name": "numbers_again", "module": "cipher_pipeline.deid.numbers", "priority": 1}
    with pytest.raises(ValueError, match="'numbers_again'.*neither build_layer"):
        _redactor(_config(extra=[extra]), keep=("rules",))
    plain = {"name": "slots_again", "module": "cipher_pipeline.deid.slots"}  # find(text), no build_layer
    redactor = _redactor(_config(extra=[plain]), keep=("slots_again",))
    text = "agent: and what's your name?\ncaller: brandy. brandy tillman.\n"
    assert {s.layer for s in redactor.redact(text).spans} == {"slots_again"}


RENAME = {"rules": "patterns", "geography": "streets"}
RENAMED_TEXTS = [
    # a shaped finding holding the center's own name stays whole: "shaped" is declared, not read off the name
    "caller: we live at 6847 Harbor View Road, and I called Harborview Recovery Center\n",
    # the rest of a number said after a pause: a step that writes the rules module's own layer name
    "agent: member id?\ncaller: it's 4 0 8 7 7 2, and then a 1 1 at the end\n",
    "caller: my cell is six one nine, five five five, oh one four two, she was born march third eighty eight\n",
    "caller: she stays off county road 12 by the truck stop, near fifth and main\n",
]


@pytest.mark.slow  # loads the dictionaries and the gazetteer twice
def test_a_renamed_built_in_layer_works_as_before() -> None:
    keep = ("rules", "safeword", "lexicon", "geography")
    before = _redactor(_config(), keep=keep)
    after = _redactor(_config(rename=RENAME), keep=tuple(RENAME.get(name, name) for name in keep))
    assert after.active_layers == ["patterns", "safeword", "lexicon", "streets"]
    for text in RENAMED_TEXTS:
        old, new = before.redact(text), after.redact(text)
        assert new.redacted_text == old.redacted_text
        assert [(s.start, s.end, s.category, RENAME.get(s.layer, s.layer), s.recognizer) for s in old.spans] == [
            (s.start, s.end, s.category, s.layer, s.recognizer) for s in new.spans
        ]
        assert not {s.layer for s in new.spans} & set(RENAME)  # no span names a layer the chain does not have
    assert "[LOCATION]" in after.redact(RENAMED_TEXTS[0]).redacted_text
    assert "Harborview Recovery Center" in after.redact(RENAMED_TEXTS[0]).redacted_text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["layers"].append({"name": "broken"}), "layer 'broken': names no module"),
        (lambda c: c["layers"].append({"name": "ghost", "module": "tests.no_such_module"}), "layer 'ghost': module"),
        (lambda c: c["layers"].append({"name": "inert", "module": "cipher_pipeline.deid.categories"}),
         "layer 'inert'.*neither build_layer"),
        (lambda c: c["layers"][-1].update(capabilities=["psychic"]), "'badges'.*unknown capabilities"),
        (lambda c: c["layers"][-1].update(uses=["crystal_ball"]), "layer 'badges': uses unknown resources"),
        (lambda c: c["layers"][-1].update(priority="high"), "layer 'badges': priority must be a number"),
        (lambda c: c["layers"][-1].update(registers=["fax"]), "layer 'badges': registers"),
        (lambda c: c["layers"].append(dict(BADGE, name="rules")), "layer 'rules': is declared twice"),
        # the dictionary layer reads the center's lexicons: without declaring it uses them, it is told so by name
        (lambda c: c["layers"].append({"name": "dictionaries", "module": "cipher_pipeline.deid.lexicon"}),
         "layer 'dictionaries': reads the center's dictionaries"),
        (lambda c: c["after_merge"].append(dict(BADGE_AGAIN, call="tests.deid_layer_example:no_such_step")),
         "after_merge step 'badge_again': module tests.deid_layer_example has no function no_such_step"),
        (lambda c: c["after_merge"].append(dict(BADGE_AGAIN, call="cipher_pipeline.deid.names:first_names")),
         "step 'badge_again': .*first_names must take \\(text, spans"),
        (lambda c: c["after_merge"].append(dict(BADGE_AGAIN, call="cipher_pipeline.deid.vertical:facility_spans")),
         "step 'badge_again': .*facility_spans asks for 'is_place'"),
        (lambda c: c["after_merge"].append(dict(BADGE_AGAIN, layers=["nowhere"])),
         "step 'badge_again': runs with layers the chain does not declare"),
    ],
)
def test_a_misdeclared_layer_or_step_is_a_configuration_error_naming_it(change, message: str) -> None:
    config = _config(extra=[BADGE])
    change(config)
    names = {entry["name"] for entry in config["layers"]}
    with pytest.raises(ValueError, match=message):
        Redactor(config, disabled_layers=names - {"rules", "badges", "dictionaries"} - {config["layers"][-1]["name"]})


def test_the_engine_imports_no_layer_module() -> None:
    """What the engine may import: the protocol, the spans, and the text utilities every layer shares."""
    tree = ast.parse(Path(__file__).parents[1].joinpath("cipher_pipeline/deid/engine.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    deid = {name.rsplit(".", 1)[1] for name in imported if name.startswith("cipher_pipeline.deid.")}
    assert deid <= {"normalize", "recognizer", "register", "spans", "words"}
    assert "cipher_pipeline.deid" not in imported


def test_steps_read_what_a_layer_declares_not_its_name() -> None:
    """``names_said_again`` repeats the organisations of a layer declaring ``organisation_names``, whatever it is
    called; the center's dictionaries it asks a place of are handed to it (a stand-in that knows no town here)."""
    from cipher_pipeline.deid.vertical import names_said_again

    class NoTowns:
        def is_place(self, phrase: str) -> bool:
            return False

    text = "caller: she was at Tampa Bay Crest Hospital, then from Tampa Bay Crest she went home\n"
    start = text.index("Tampa Bay Crest Hospital")
    found = [Span(start, start + len("Tampa Bay Crest Hospital"), "OTHER_ID", "dictionaries", None, "facility_phrase")]
    declares = Capabilities({"dictionaries": frozenset({"organisation_names"})})
    repeated = names_said_again(text, found, NoTowns(), declares)[1:]
    assert [text[s.start : s.end] for s in repeated] == ["Tampa Bay Crest"]
    assert names_said_again(text, found, NoTowns(), Capabilities({"dictionaries": frozenset()})) == found


def test_the_chart_filter_judges_a_call_talk_place_by_its_declared_shape_not_its_recognizer_name() -> None:
    """In a chart note, a street said without a street type ("FM 93", a face mask) and a cued word the lists know ("by
    thermodilution") are dropped before the merge, a written street kept: the same decisions when the geography
    recognizers that found them are renamed, because the chart filter reads ``Span.call_talk_shape``."""
    from cipher_pipeline.deid import geography
    from cipher_pipeline.deid.safeword import chart_filter

    text = "Pt on FM 93% overnight, SBP 110. Pt was transferred by thermodilution. Pt lives on Maple Street with wife.\n"
    declares = Capabilities({"geography": frozenset({"call_talk_places"})})

    def kept(recognizers) -> list[str]:
        found = [span for recognizer in recognizers for span in recognizer.find(text)]
        return sorted(text[s.start : s.end] for s in chart_filter(text, found, capabilities=declares))

    shipped = [r for r in geography.RECOGNIZERS if r.name in ("street", "cued_place")]
    renamed = []
    for recognizer in shipped:
        clone = copy.copy(recognizer)
        clone.name = "renamed_" + recognizer.name
        renamed.append(clone)
    assert {s.call_talk_shape for r in renamed for s in r.find(text)} == {"street", "cued_word"}
    assert kept(shipped) == kept(renamed) == ["Maple Street"]
    # the shape, not the name, decides: the same finding without a declared shape is kept
    unmarked = [Span(s.start, s.end, s.category, s.layer, None, s.recognizer) for r in shipped for s in r.find(text)]
    assert "FM 93" in [text[s.start : s.end] for s in chart_filter(text, unmarked, capabilities=declares)]
    with pytest.raises(ValueError, match="call-talk shape"):
        Span(0, 2, "LOCATION", "geography", call_talk_shape="psychic")


def test_every_layer_of_the_shipped_chain_declares_a_module_and_only_known_properties() -> None:
    capabilities = Capabilities.from_config(SHIPPED)
    assert all(entry.get("module") for entry in SHIPPED["layers"])
    assert capabilities.by_layer["rules"] == {"shaped"}
    assert all(entry.get("call") for section in ("before_merge", "after_merge") for entry in SHIPPED[section])
