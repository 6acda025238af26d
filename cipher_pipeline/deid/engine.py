"""The Redactor: runs the declarative layer chain of ``layers.yaml`` over transcripts.

Load once (``Redactor.default()`` loads spaCy and the lexicons), then call ``redact`` or ``redact_many`` as often as
needed. ``redactor.version`` changes whenever the engine version, the chain or any rule/lexicon file changes, so
the Dagster asset can use it as its code version.

The engine knows no layer by name: it loads every layer of the chain from the module ``layers.yaml`` names, the one
way ``recognizer.py`` describes, resolves the steps before and after the merge from their declared
``module:function``, and reads what a layer is from what it declares there (``uses``, ``capabilities``,
``registers``, ``priority``). It imports no layer module.
"""

from __future__ import annotations

import ast
import atexit
import functools
import gc
import hashlib
import importlib
import inspect
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import yaml

from cipher_pipeline.deid.normalize import normalize, to_original
from cipher_pipeline.deid.recognizer import Document, LayerConfigError, LayerContext, TextLayer
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Capabilities, Ranking, Span, apply, default_ranking, resolve
from cipher_pipeline.deid.words import (
    LEXICON_DIR,
    casing_style,
    clinical_words,
    country_names,
    is_safe_word,
    near_clinical_word,
    proper_nouns,
    safe_words,
)

CONFIG_PATH = Path(__file__).parent / "layers.yaml"
# the resources a layer may declare it "uses" (layers.yaml's "lexicons" block says how they load)
RESOURCES = ("lexicons", "gazetteer")
# what the engine hands a step that names the parameter: the document's casing, the center's dictionaries, and what
# the chain's layers declare
STEP_VALUES = ("caseless", "lexicons", "capabilities")


_heap_frozen = False


# a relative file name a layer entry may hold ("models/x.crfsuite", "lexicons/safe_words.txt"), not prose
_DATA_FILE = re.compile(r"[\w.-]+(?:/[\w.-]+)*\.[A-Za-z0-9]+")


def freeze_loaded_heap() -> bool:
    """Take every object the process holds now out of the garbage collector's generations, once per process; True
    when this call froze them.

    Why: a full collection walks every container the process holds, and a loaded engine holds many (the lexicons, the
    gazetteer, spaCy, the CRF; in the Dagster step process Dagster and Great Expectations too). One cost 0.34 s CPU in
    `cipher deid`'s process and 0.77 s in the Dagster step's, whatever the record it landed in: a 32,000-character
    record of 1.0 s CPU took up to 1.8 s (3.7 s wall under load) when one did (docs/performance.md, tidy13). Frozen,
    those long-lived objects are never walked again, and a full collection walks only what redaction made since. Once:
    a second freeze would also freeze whatever the process built after the engine (a run's passing objects, a test
    suite's), and a frozen object is never collected; later engines share the first one's word lists and gazetteer."""
    global _heap_frozen
    if _heap_frozen:
        return False
    gc.collect()  # the load's garbage first, since a frozen object is never collected
    gc.freeze()
    # back into the generations at exit, so the interpreter's last collection frees them as before (an extension that
    # counts its objects at shutdown, duckdb's, reports frozen ones as leaked)
    atexit.register(gc.unfreeze)
    _heap_frozen = True
    return True


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text and the spans (offsets into the input) that were replaced."""

    redacted_text: str
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"redacted_text": self.redacted_text, "spans": [s.to_dict() for s in self.spans]}


_PLACEHOLDER = re.compile(r"\[[A-Z_]+(?::[a-z0-9_]+)?\]")


def layer_names(config_path: Path | None = None) -> list[str]:
    """The names of the layers a chain declares, in its order (the shipped ``layers.yaml``'s by default)."""
    config = yaml.safe_load(Path(config_path or CONFIG_PATH).read_text(encoding="utf-8"))
    return [layer["name"] for layer in config["layers"]]


def _outside(span: Span, ranges: list[tuple[int, int]], text: str) -> list[Span]:
    """``span`` with ``ranges`` cut out of it; pieces without a letter or digit are dropped."""
    pieces = [(span.start, span.end)]
    for r0, r1 in ranges:
        pieces = [p for s, e in pieces for p in ((s, min(e, r0)), (max(s, r1), e)) if p[1] > p[0]] if any(
            s < r1 and r0 < e for s, e in pieces
        ) else pieces
    return [replace(span, start=s, end=e) for s, e in pieces if re.search(r"[^\W_]", text[s:e])]


def _outside_keep(span: Span, keep: list[tuple[int, int]], text: str, shaped: bool = False) -> list[Span]:
    """``span`` with the center's own names (``keep``) cut out of it. ``shaped``: its layer declares its findings
    identifiers by their shape, so one that holds the center's name (an address on "Harbor View Road") stays whole."""
    if shaped and span.category == "LOCATION" and not any(k0 <= span.start and span.end <= k1 for k0, k1 in keep):
        return [span]  # an address or intersection on "Harbor View Road" is a place, not the center
    pieces = [(span.start, span.end)]
    for k0, k1 in keep:
        if shaped and span.start < k0 and k1 < span.end:
            continue
        if shaped and (span.start < k0 or k1 < span.end) and k0 < span.end and span.start < k1:
            if re.match(r"\s*(?:\d|[a-z]+\s)", text[span.start : k0], re.I) and span.category == "LOCATION":
                continue  # "1296 Harbor View Avenue": the street named like the center is an address
        new = []
        for s, e in pieces:
            if e <= k0 or k1 <= s:
                new.append((s, e))
                continue
            if s < k0:
                new.append((s, k0))
            if k1 < e:
                new.append((k1, e))
        pieces = new
    out = []
    for s, e in pieces:
        if (s, e) != (span.start, span.end):
            # what is left of a name cut around the center's own name must still look like something
            words = re.findall(r"[^\W_]+", text[s:e])
            if not words or all(is_safe_word(w) for w in words if not w.isdigit()) and not any(w.isdigit() for w in words):
                continue
        out.append(replace(span, start=s, end=e))
    return out


def _resolve_call(ref: Any, where: str) -> Callable:
    """The function a ``module:function`` reference of layers.yaml names."""
    if not isinstance(ref, str) or ref.count(":") != 1:
        raise LayerConfigError(where, f"call must be 'module:function', not {ref!r}")
    module_path, name = ref.split(":")
    try:
        module = importlib.import_module(module_path)
    except ImportError as exc:
        raise LayerConfigError(where, f"module {module_path} cannot be imported ({exc})") from exc
    function = getattr(module, name, None)
    if not callable(function):
        raise LayerConfigError(where, f"module {module_path} has no function {name}")
    return function


@dataclass(frozen=True)
class _Step:
    """One step of ``before_merge`` or ``after_merge``: ``call(text, spans, **fixed, **the values it asks for)``."""

    name: str
    call: Callable[..., list[Span]]
    fixed: Mapping[str, Any]
    wants: tuple[str, ...]  # which of STEP_VALUES its signature names
    names_found: bool  # it waits for a NAME or LOCATION in the merge (see ``_finish``)

    @classmethod
    def from_entry(cls, entry: Any, section: str, declared_layers: set[str]) -> "_Step":
        if not isinstance(entry, dict) or not isinstance(entry.get("step"), str):
            raise LayerConfigError(section, f"each step needs a name (step: ...), not {entry!r}")
        where = f"{section} step {entry['step']!r}"
        if "call" not in entry:
            raise LayerConfigError(where, "names no call (module:function)")
        unknown = sorted(set(entry.get("layers") or ()) - declared_layers)
        if unknown:
            raise LayerConfigError(where, f"runs with layers the chain does not declare: {unknown}")
        call = _resolve_call(entry["call"], where)
        fixed = dict(entry.get("with") or {})
        parameters = list(inspect.signature(call).parameters.values())
        if len(parameters) < 2:
            raise LayerConfigError(where, f"{entry['call']} must take (text, spans, ...)")
        parameters = parameters[2:]
        names = {p.name for p in parameters}
        if set(fixed) - names:
            raise LayerConfigError(where, f"{entry['call']} takes no {sorted(set(fixed) - names)}")
        wants = []
        for p in parameters:
            if p.name in fixed:
                continue
            if p.name in STEP_VALUES:
                wants.append(p.name)
            elif p.default is inspect.Parameter.empty:
                raise LayerConfigError(where, f"{entry['call']} asks for {p.name!r}; a step is given {list(STEP_VALUES)}")
        return cls(entry["step"], call, fixed, tuple(wants), bool(entry.get("names_found")))

    def __call__(self, text: str, spans: list[Span], values: Mapping[str, Any]) -> list[Span]:
        return self.call(text, spans, **self.fixed, **{name: values[name] for name in self.wants})


@functools.lru_cache(maxsize=1)  # parses every module of the package: once a process, not once a Redactor
def _project_modules_read_by_package() -> tuple[str, ...]:
    """The files of ``cipher_pipeline`` modules outside this package that its modules import, read from their import
    statements (not from what a process happens to have loaded, so every process names the same files)."""
    package_dir = Path(__file__).parent
    package = __name__.rsplit(".", 1)[0]
    root = package_dir.parent
    found: set[Path] = set()
    for source in sorted(package_dir.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("cipher_pipeline.") and not (name == package or name.startswith(package + ".")):
                    path = root.joinpath(*name.split(".")[1:]).with_suffix(".py")
                    if path.is_file():
                        found.add(path)
    return tuple(sorted(str(p) for p in found))


class Redactor:
    """Layered de-identification of call transcripts to the Safe Harbor standard."""

    def __init__(self, config: dict, disabled_layers: Iterable[str] = (), lexicon_dir: Path | None = None, config_path: Path | None = None):
        self.config = config
        self.config_path = config_path
        entries = self._layer_entries(config)
        declared = {entry["name"] for entry in entries}
        self.layer_chain = [entry["name"] for entry in entries if entry.get("enabled", True)]
        bad_disabled = set(disabled_layers) - declared
        if bad_disabled:
            raise ValueError(f"cannot disable unknown layers: {sorted(bad_disabled)}")
        self.disabled_layers = frozenset(disabled_layers)
        self.active_layers = [name for name in self.layer_chain if name not in self.disabled_layers]
        entry_of = {entry["name"]: entry for entry in entries}
        # every layer the chain runs is imported and checked, switched off or not: a misdeclared one fails here
        modules = {name: self._layer_module(entry_of[name]) for name in self.layer_chain}
        # which finding labels a merged span: each layer's declared priority and finer priorities (lower wins), the
        # shipped layers.yaml's where a layer declares none
        self.ranking = Ranking.from_config(config, defaults=default_ranking())
        self.capabilities = Capabilities.from_config(config)
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir else LEXICON_DIR
        uses = {resource for name in self.active_layers for resource in entry_of[name].get("uses") or ()}
        self.lexicons = self._load_lexicons(config, uses) if "lexicons" in uses else None
        # a layer that reads one register only ("registers: [transcript]"): what it keeps in a written chart note
        self._in_chart = {
            name: self._register_test(config, entry_of[name]) for name in self.active_layers if entry_of[name].get("registers")
        }
        self._modules = {name: modules[name] for name in self.active_layers}
        self._layers = [
            (name, self._build_layer(name, modules[name], entry_of[name], uses_lexicons="lexicons" in (entry_of[name].get("uses") or ())))
            for name in self.active_layers
        ]
        # layers that read what every other layer found (the model): run after all of them, over the whole batch
        self._late_layers = [(name, layer) for name, layer in self._layers if callable(getattr(layer, "find_after", None))]
        # a step's spans carry the layer name its module writes (its ``LAYER``); where the chain names that layer
        # otherwise (a renamed built-in), they are relabelled to the chain's name before every merge
        self._relabel: dict[str, str] = {}
        for name, module in self._modules.items():
            native = getattr(module, "LAYER", None)
            if isinstance(native, str) and native != name and native not in declared:
                self._relabel.setdefault(native, name)
        self._before_merge = self._steps(config, "before_merge", declared)
        self._after_merge = self._steps(config, "after_merge", declared)
        self._warm_up()
        self.version = self._compute_version()
        freeze_loaded_heap()

    # ------------------------------------------------------------------ loading the chain
    @staticmethod
    def _layer_entries(config: dict) -> list[dict]:
        entries = config.get("layers") if isinstance(config, dict) else None
        if not isinstance(entries, list) or not entries:
            raise LayerConfigError("layers", "the config declares no list of layers")
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
                raise LayerConfigError(f"layer #{i + 1}", "each layer needs a name")
            where = f"layer {entry['name']!r}"
            if entry["name"] in seen:
                raise LayerConfigError(where, "is declared twice")
            seen.add(entry["name"])
            if "priority" in entry and (isinstance(entry["priority"], bool) or not isinstance(entry["priority"], (int, float))):
                raise LayerConfigError(where, f"priority must be a number, not {entry['priority']!r}")
            unknown = sorted(set(entry.get("uses") or ()) - set(RESOURCES))
            if unknown:
                raise LayerConfigError(where, f"uses unknown resources {unknown}; known: {list(RESOURCES)}")
            if "gazetteer" in (entry.get("uses") or ()) and "lexicons" not in entry["uses"]:
                raise LayerConfigError(where, "the gazetteer comes with the lexicons: declare uses: [lexicons, gazetteer]")
        try:
            Capabilities.from_config(config)
        except ValueError as exc:
            raise LayerConfigError("capabilities", str(exc)) from exc
        return entries

    @staticmethod
    def _layer_module(entry: dict):
        """The module a layer entry names, checked to offer ``build_layer(context)`` or ``find(text)``."""
        where = f"layer {entry['name']!r}"
        if not entry.get("module"):
            raise LayerConfigError(where, "names no module")
        try:
            module = importlib.import_module(entry["module"])
        except ImportError as exc:
            raise LayerConfigError(where, f"module {entry['module']} cannot be imported ({exc})") from exc
        if not callable(getattr(module, "build_layer", None)) and not callable(getattr(module, "find", None)):
            raise LayerConfigError(where, f"module {entry['module']} has neither build_layer(context) nor find(text)")
        return module

    def _build_layer(self, name: str, module, entry: dict, uses_lexicons: bool):
        build = getattr(module, "build_layer", None)
        if build is None:
            return TextLayer(module.find)
        layer = build(LayerContext(name, entry, self.lexicons if uses_lexicons else None))
        if not callable(getattr(layer, "find", None)):
            raise LayerConfigError(f"layer {name!r}", f"{entry['module']}.build_layer returned no layer with find(doc)")
        return layer

    def _shipped(self, config: dict, key: str):
        """``config[key]``, or the shipped layers.yaml's where the config declares none."""
        if key in config:
            return config[key]
        return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8")).get(key)

    def _load_lexicons(self, config: dict, uses: set[str]):
        declared = self._shipped(config, "lexicons") or {}
        load = _resolve_call(declared.get("load"), "lexicons")
        return load(self.lexicon_dir, files=declared.get("files"), gazetteer="gazetteer" in uses)

    def _register_test(self, config: dict, entry: dict) -> Callable[[str, Span], bool]:
        registers = self._shipped(config, "registers") or {}
        declared = entry["registers"]
        where = f"layer {entry['name']!r}"
        if declared != ["transcript"] or "transcript" not in registers:
            raise LayerConfigError(where, f"registers must be [transcript], one the config's registers declare, not {declared!r}")
        return _resolve_call(registers["transcript"].get("in_chart"), "registers: transcript")

    def _steps(self, config: dict, section: str, declared: set[str]) -> list[_Step]:
        """The steps of ``section`` (the shipped layers.yaml's where the config declares none) that run with the
        active layers, in order."""
        entries = self._shipped(config, section) or []
        steps = []
        for entry in entries:
            step = _Step.from_entry(entry, section, declared)
            if entry.get("layers") and not set(entry["layers"]) & set(self.active_layers):
                continue
            if "lexicons" in step.wants and self.lexicons is None:
                raise LayerConfigError(f"{section} step {step.name!r}", "reads the center's dictionaries, which no active layer uses")
            steps.append(step)
        return steps

    def _warm_up(self) -> None:
        """Load every word list and index now, so the first document pays nothing extra."""
        safe_words(), proper_nouns(), country_names(), clinical_words()
        near_clinical_word("warmup")  # its symmetric-delete index of clinical words
        self.redact_many(["agent: warm up.\ncaller: Derek at 619-555-0142 (DH).\n"])

    @classmethod
    def default(cls, disabled_layers: Iterable[str] | None = None, config_path: Path | None = None, lexicon_dir: Path | None = None) -> "Redactor":
        """The engine as configured in ``layers.yaml`` (or ``config_path``), with optional layers switched off."""
        path = Path(config_path) if config_path else CONFIG_PATH
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(config, disabled_layers=disabled_layers or (), lexicon_dir=lexicon_dir, config_path=path)

    # ------------------------------------------------------------------ versioning
    def _rule_files(self) -> list[Path]:
        # Every module of the package, not a hand-kept list: a list went stale (categories, a new recognizer
        # file) and a change there left the version, and so the evidence that names it, unchanged. A layer or a step
        # from outside the package adds its module's file.
        files = sorted(Path(__file__).parent.glob("*.py"))
        outside = [getattr(module, "__file__", None) for module in self._modules.values()]
        outside += [getattr(inspect.getmodule(step.call), "__file__", None) for step in self._before_merge + self._after_merge]
        # and the project modules the package reads from outside it (``asr_terms``: how Whisper mishears a carrier;
        # a change there changed spans and left the version as it was, session 18)
        outside += _project_modules_read_by_package()
        for path in (Path(p) for p in outside if p):
            if path.suffix == ".py" and path not in files:
                files.append(path)
        files += sorted(LEXICON_DIR.glob("*.txt"))
        if self.lexicons is not None:
            files += self.lexicons.data_files()
        if self.config_path:
            files.append(self.config_path)
        # The data files a layer's entry names (the learned layer's models): a model retrained in place, its
        # layers.yaml untouched, is another engine, and the evidence that names the version must say so.
        base = Path(self.config_path).parent if self.config_path else CONFIG_PATH.parent
        for entry in self.config.get("layers") or ():
            for value in entry.values() if isinstance(entry, dict) else ():
                if isinstance(value, str) and _DATA_FILE.fullmatch(value) and (base / value).is_file():
                    if (base / value) not in files:
                        files.append(base / value)
        return files

    def _compute_version(self) -> str:
        digest = hashlib.sha256()
        digest.update(",".join(self.active_layers).encode())
        for path in self._rule_files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return f"{self.config.get('engine_version', '0')}-{digest.hexdigest()[:12]}"

    # ------------------------------------------------------------------ redaction
    @staticmethod
    def _document(text: str, speech_recognized: bool = False) -> Document:
        style = casing_style(text)
        caseless = style != "mixed"
        # in all-caps text capitals mean nothing: the pattern layers read it lowercased (same offsets)
        shouting = caseless and style == "upper" and len(text.lower()) == len(text)
        return Document(text, text.lower() if shouting else text, caseless, speech_recognized)

    def _own(self, name: str, spans: list[Span], doc: Document, chart: bool) -> list[Span]:
        """A layer's findings under its name in the chain; in a chart note, those of a layer that reads another
        register only where its register's test keeps them (a dose, a vital or a clock time is no identifier)."""
        spans = [s if s.layer == name else replace(s, layer=name) for s in spans]
        if chart and name in self._in_chart:
            keep = self._in_chart[name]
            spans = [s for s in spans if keep(doc.plain, s)]
        return spans

    def _pre_spans(self, doc: Document) -> list[Span]:
        """Every layer's ``find``, in the order of the chain."""
        chart = bool(self._in_chart) and is_chart(doc.text)
        found: list[Span] = []
        for name, layer in self._layers:
            found += self._own(name, layer.find(doc), doc, chart)
        return found

    def _finish(self, doc: Document, found: list[Span]) -> list[Span]:
        """Merge all findings, run the steps before and after the merge, respect the center's own name."""
        text = doc.text
        keep = self.lexicons.keep_ranges(text) if self.lexicons is not None else []
        # placeholders already in the text ("[NAME]") stay as they are: redacting twice changes nothing
        placeholders = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
        values = {"caseless": doc.caseless, "lexicons": self.lexicons, "capabilities": self.capabilities}

        def settle(spans: list[Span]) -> list[Span]:
            if self._relabel:
                spans = [replace(s, layer=self._relabel[s.layer]) if s.layer in self._relabel else s for s in spans]
            # the center's own name survives: findings inside it are dropped, and findings reaching into it are cut
            # back before they merge with neighbours. A shaped finding that contains it ("6847 Harbor View Road", a
            # street) is a larger identifier and stays whole.
            if keep:
                spans = [piece for s in spans for piece in _outside_keep(s, keep, text, self.capabilities.of(s, "shaped"))]
            if placeholders:
                spans = [piece for s in spans for piece in _outside(s, placeholders, text)]
            return resolve(spans, text, self.ranking)

        for step in self._before_merge:
            found = step(text, found, values)
        # a lone letter is never a name on its own ("M.A.T.", "Vitamin B"); initials are joined to names later. The
        # one exception is a letter a title names a person by ("Mr. K"), which its recognizer marks "title"
        found = [s for s in found if not (s.category == "NAME" and s.end - s.start < 2 and s.evidence != "title")]
        resolved = settle(found)
        # the steps layers.yaml chains after the merge, in its order (``after_merge``), each merged again when it
        # changed something (settling again costs as much as the step; skipped when nothing grew)
        names_found = None  # read once, at the first step that waits for a name or a place
        for step in self._after_merge:
            if step.names_found:
                if names_found is None:
                    names_found = any(s.category in ("NAME", "LOCATION") for s in resolved)
                if not names_found:
                    continue
            grown = step(text, resolved, values)
            if grown != resolved:
                resolved = settle(grown)
        return resolved

    def redact(self, text: str, speech_recognized: bool = False) -> RedactionResult:
        """De-identify one transcript."""
        return self.redact_many([text], speech_recognized=speech_recognized)[0]

    def redact_many(self, texts: Iterable[str], batch_size: int = 64, speech_recognized: bool = False) -> list[RedactionResult]:
        """De-identify many transcripts; a layer that reads what the others found (the model) runs batched.

        ``speech_recognized``: the texts are a speech recognizer's output (the pipeline's Whisper transcripts), which a
        layer may read differently from written text (``Document.speech_recognized``; the learned layer's
        ``speech_recognized`` setting). Detection reads a Unicode-normalised copy (``normalize.py``: zero-width and
        control characters, non-ASCII digits, dashes, full-width forms); the spans are mapped back and the original
        text is redacted."""
        originals = list(texts)
        normalised = [normalize(t) for t in originals]
        results = self._redact_plain([n[0] for n in normalised], batch_size, speech_recognized)
        out = []
        for original, (_, index), res in zip(originals, normalised, results):
            if index is None:
                out.append(res)
                continue
            spans = []
            for span in res.spans:
                start, end = to_original(index, span.start, span.end)
                spans.append(replace(span, start=start, end=end))
            out.append(RedactionResult(apply(original, spans), spans))
        return out

    def _redact_plain(self, texts: list[str], batch_size: int, speech_recognized: bool = False) -> list[RedactionResult]:
        docs = [self._document(t, speech_recognized) for t in texts]
        found = [self._pre_spans(doc) for doc in docs]
        for name, layer in self._late_layers:
            late = layer.find_after(docs, found, batch_size)
            for doc, spans, more in zip(docs, found, late):
                spans += self._own(name, more, doc, bool(self._in_chart) and name in self._in_chart and is_chart(doc.text))
        results = []
        for doc, spans in zip(docs, found):
            final = self._finish(doc, spans)
            results.append(RedactionResult(apply(doc.text, final), final))
        return results
