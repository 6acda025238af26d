"""The Redactor: runs the declarative layer chain of ``layers.yaml`` over transcripts.

Load once (``Redactor.default()`` loads spaCy and the lexicons), then call ``redact`` or ``redact_many`` as often as
needed. ``redactor.version`` changes whenever the engine version, the chain or any rule/lexicon file changes, so
the Dagster asset can use it as its code version.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import yaml

from cipher_pipeline.deid import geography
from cipher_pipeline.deid import lexicon as lexicon_layer
from cipher_pipeline.deid import names as names_layer
from cipher_pipeline.deid import ner as ner_layer
from cipher_pipeline.deid import rules as rules_layer
from cipher_pipeline.deid import safeword as safeword_layer
from cipher_pipeline.deid import vertical
from cipher_pipeline.deid.normalize import normalize, to_original
from cipher_pipeline.deid.register import is_chart
from cipher_pipeline.deid.spans import Ranking, Span, apply, default_ranking, resolve
from cipher_pipeline.deid.words import LEXICON_DIR, casing_style, is_safe_word, truecase

CONFIG_PATH = Path(__file__).parent / "layers.yaml"
KNOWN_LAYERS = ("rules", "ner", "safeword", "lexicon")


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text and the spans (offsets into the input) that were replaced."""

    redacted_text: str
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"redacted_text": self.redacted_text, "spans": [s.to_dict() for s in self.spans]}


_PLACEHOLDER = re.compile(r"\[[A-Z_]+(?::[a-z0-9_]+)?\]")


def _outside(span: Span, ranges: list[tuple[int, int]], text: str) -> list[Span]:
    """``span`` with ``ranges`` cut out of it; pieces without a letter or digit are dropped."""
    pieces = [(span.start, span.end)]
    for r0, r1 in ranges:
        pieces = [p for s, e in pieces for p in ((s, min(e, r0)), (max(s, r1), e)) if p[1] > p[0]] if any(
            s < r1 and r0 < e for s, e in pieces
        ) else pieces
    return [replace(span, start=s, end=e) for s, e in pieces if re.search(r"[^\W_]", text[s:e])]


def _outside_keep(span: Span, keep: list[tuple[int, int]], text: str) -> list[Span]:
    if span.layer == "rules" and span.category == "LOCATION" and not any(k0 <= span.start and span.end <= k1 for k0, k1 in keep):
        return [span]  # an address or intersection on "Harbor View Road" is a place, not the center
    pieces = [(span.start, span.end)]
    for k0, k1 in keep:
        if span.layer == "rules" and span.start < k0 and k1 < span.end:
            continue
        if span.layer == "rules" and (span.start < k0 or k1 < span.end) and k0 < span.end and span.start < k1:
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


class Redactor:
    """Layered de-identification of call transcripts to the Safe Harbor standard."""

    def __init__(self, config: dict, disabled_layers: Iterable[str] = (), lexicon_dir: Path | None = None, config_path: Path | None = None):
        self.config = config
        self.config_path = config_path
        self.layer_chain = [layer["name"] for layer in config["layers"] if layer.get("enabled", True)]
        # a layer beyond the four built-ins is any module with ``find(text) -> list[Span]``, named in the config
        self._extra_layers: dict[str, object] = {}
        for layer in config["layers"]:
            if layer["name"] in KNOWN_LAYERS or not layer.get("enabled", True):
                continue
            if not layer.get("module"):
                raise ValueError(f"unknown layer {layer['name']!r} in config has no module")
            module = importlib.import_module(layer["module"])
            if not callable(getattr(module, "find", None)):
                raise ValueError(f"layer module {layer['module']} has no find(text)")
            self._extra_layers[layer["name"]] = module
        bad_disabled = set(disabled_layers) - set(KNOWN_LAYERS) - set(self.layer_chain)
        if bad_disabled:
            raise ValueError(f"cannot disable unknown layers: {sorted(bad_disabled)}")
        self.disabled_layers = frozenset(disabled_layers)
        self.active_layers = [name for name in self.layer_chain if name not in self.disabled_layers]
        layer_cfg = {layer["name"]: layer for layer in config["layers"]}
        self.lexicon_dir = Path(lexicon_dir) if lexicon_dir else LEXICON_DIR
        self._lexicon = None
        if "lexicon" in self.active_layers or "ner" in self.active_layers:
            files = layer_cfg.get("lexicon", {}).get("files")
            self._lexicon = lexicon_layer.LexiconLayer(
                self.lexicon_dir, files=files, gazetteer="lexicon" in self.active_layers
            )
        self._truecase = bool(layer_cfg.get("ner", {}).get("truecase", True))
        # layers that read what speech recognition writes ("registers: [transcript]"): in a written chart note
        # (``register.is_chart``) their digit-run shapes are doses and vitals, so only keyword-named findings count
        self._transcript_only = frozenset(
            layer["name"] for layer in config["layers"] if layer.get("registers") == ["transcript"]
        )
        # which finding labels a merged span: each layer's declared priority and finer priorities (lower wins), the
        # shipped layers.yaml's where a layer declares none
        self.ranking = Ranking.from_config(config, defaults=default_ranking())
        # one finder per layer, called in the order of the chain: (text, lowercased-if-shouting text, caseless) ->
        # spans. The built-ins need the engine's state (the loaded lexicons, the casing); any other layer is a module
        # with find(text).
        builtins = {
            "rules": lambda text, plain, caseless: rules_layer.find(plain),
            "ner": lambda text, plain, caseless: ner_layer.context_spans(plain),
            "safeword": lambda text, plain, caseless: safeword_layer.find(text, caseless=caseless),
            "lexicon": lambda text, plain, caseless: self._lexicon.find(text, caseless=caseless),
        }
        self._finders = {
            name: builtins.get(name) or (lambda text, plain, caseless, _m=self._extra_layers.get(name): _m.find(text))
            for name in self.active_layers
        }
        self._after_merge = self._after_merge_chain(config)
        # words whose capitals the lexicon layer already explains (the center's own name, insurers, competitors)
        self._view_ignore = self._lexicon.dictionary_words() if self._lexicon is not None else frozenset()
        self.nlp = None
        if "ner" in self.active_layers:
            import spacy

            model = layer_cfg["ner"].get("model", ner_layer.MODEL_NAME)
            # NER carries its own embedding layer in the small model; the tagger, parser and lemmatizer are not
            # needed and would double the cost per document
            self.nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
        self._warm_up()
        self.version = self._compute_version()

    def _after_merge_steps(self) -> dict[str, Callable[[str, list[Span], bool], list[Span]]]:
        """Every step that may run after the merge, by the name ``after_merge`` in layers.yaml gives it: (text, merged
        spans, caseless) -> spans (the merged ones, grown or with more added)."""
        return {
            # an identifier's rest said after a pause, and the same identifier said again in another spacing,
            # whichever layer found it ("4 0 8, and then a 1 1 at the end"; "j k d, 4 4 1 8" ... "jkd 4418")
            "identifier_rest": lambda text, spans, caseless: spans + rules_layer.id_tails(text, spans)
            + rules_layer.id_echoes(text, spans),
            "expand_names": lambda text, spans, caseless: ner_layer.expand_names(text, spans, caseless),
            "adjacent_names": lambda text, spans, caseless: names_layer.adjacent_names(text, spans),
            "expand_locations": lambda text, spans, caseless: lexicon_layer.expand_locations(text, spans),
            "grow_places": lambda text, spans, caseless: geography.grow_places(text, spans),
            "propagate_places": lambda text, spans, caseless: geography.propagate_places(text, spans),
            "propagate_names": lambda text, spans, caseless: ner_layer.propagate_names(text, spans, caseless),
            "join_initials": lambda text, spans, caseless: safeword_layer.join_initials(text, spans),
            # what the steps grew or carried to another mention is judged as the first findings were: a name said
            # again as a device ("her hickman"), a title or a role a name grew over ("Marie Munroe, RN")
            "chart_filter": lambda text, spans, caseless: safeword_layer.chart_filter(text, spans, merged=True),
            # a program, carrier or facility said again by its first words, whichever step found its full name
            "names_said_again": lambda text, spans, caseless: spans
            + vertical.names_said_again(text, spans, self._lexicon.is_place),
        }

    def _after_merge_chain(self, config: dict) -> list[tuple[Callable[[str, list[Span], bool], list[Span]], bool]]:
        """The ``after_merge`` steps of the config (the shipped layers.yaml's where it declares none) whose layers are
        active, in order, each with whether it waits for a NAME or LOCATION to be found."""
        declared = config.get("after_merge")
        if declared is None:
            declared = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))["after_merge"]
        steps = self._after_merge_steps()
        unknown = sorted({entry["step"] for entry in declared} - set(steps))
        if unknown:
            raise ValueError(f"unknown after_merge steps in config: {unknown}")
        return [
            (steps[entry["step"]], bool(entry.get("names_found")))  # see _finish
            for entry in declared
            if set(entry["layers"]) & set(self.active_layers)
        ]

    def _warm_up(self) -> None:
        """Load every word list and index now, so the first document pays nothing extra."""
        from cipher_pipeline.deid import words

        words.safe_words(), words.proper_nouns(), words.country_names(), words.clinical_words()
        names_layer.ambiguity("warm")  # the name lists and their wordfreq classes
        words.near_clinical_word("warmup")  # its symmetric-delete index of clinical words
        if "safeword" in self.active_layers:
            safeword_layer._abbreviation_detector()
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
        # file) and a change there left the version, and so the evidence that names it, unchanged.
        files = sorted(Path(__file__).parent.glob("*.py"))
        for name, module in self._extra_layers.items():
            path = Path(getattr(module, "__file__", None) or "")
            if name in self.active_layers and path.suffix == ".py" and path not in files:
                files.append(path)
        files += sorted(LEXICON_DIR.glob("*.txt"))
        if self._lexicon is not None:
            files += self._lexicon.data_files()
        if self.config_path:
            files.append(self.config_path)
        return files

    def _compute_version(self) -> str:
        digest = hashlib.sha256()
        digest.update(",".join(self.active_layers).encode())
        for path in self._rule_files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return f"{self.config.get('engine_version', '0')}-{digest.hexdigest()[:12]}"

    # ------------------------------------------------------------------ redaction
    def _ner_input(self, text: str) -> tuple[str, bool]:
        style = casing_style(text)
        caseless = style != "mixed"
        if caseless and self._truecase:
            return truecase(text, chart=is_chart(text)), True
        return text, caseless

    def _pre_spans(self, text: str, caseless: bool) -> list[Span]:
        """Every finding but the model's entities, which come last (see ``redact_many``)."""
        found: list[Span] = []
        # in all-caps text capitals mean nothing: the pattern layers read it lowercased (same offsets)
        shouting = caseless and casing_style(text) == "upper" and len(text.lower()) == len(text)
        plain = text.lower() if shouting else text
        chart = bool(self._transcript_only) and is_chart(text)
        for name in self.active_layers:
            spans = self._finders[name](text, plain, caseless)
            if chart and name in self._transcript_only:
                # a written chart note is no Whisper output: what these shapes find there is a dose, a vital or a
                # clock time unless a keyword names it an identifier ("pager # 41522") or it has a phone's ten digits
                spans = [s for s in spans if rules_layer.identifier_in_chart(plain, s)]
            found += spans
        return found

    def _finish(self, text: str, found: list[Span], caseless: bool) -> list[Span]:
        """Merge all findings, grow names and places, propagate names, respect the center's own name."""
        keep = self._lexicon.keep_ranges(text) if self._lexicon is not None else []
        # placeholders already in the text ("[NAME]") stay as they are: redacting twice changes nothing
        placeholders = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]

        def settle(spans: list[Span]) -> list[Span]:
            # the center's own name survives: findings inside it are dropped, and findings reaching into it are cut
            # back before they merge with neighbours. A rules finding that contains it ("6847 Harbor View Road", a
            # street) is a larger identifier and stays whole.
            if keep:
                spans = [piece for s in spans for piece in _outside_keep(s, keep, text)]
            if placeholders:
                spans = [piece for s in spans for piece in _outside(s, placeholders, text)]
            return resolve(spans, text, self.ranking)

        # in a chart note, what the note does with a word can make it a drug or a device ("quinton cath")
        found = safeword_layer.chart_filter(text, found)
        # a lone letter is never a name on its own ("M.A.T.", "Vitamin B"); initials are joined to names later
        found = [s for s in found if not (s.category == "NAME" and s.end - s.start < 2)]
        resolved = settle(found)
        # the steps layers.yaml chains after the merge, in its order (``after_merge``), each merged again when it
        # changed something (settling again costs as much as the step; skipped when nothing grew)
        names_found = None  # read once, at the first step that waits for a name or a place
        for step, needs_names in self._after_merge:
            if needs_names:
                if names_found is None:
                    names_found = any(s.category in ("NAME", "LOCATION") for s in resolved)
                if not names_found:
                    continue
            grown = step(text, resolved, caseless)
            if grown != resolved:
                resolved = settle(grown)
        return resolved

    def redact(self, text: str) -> RedactionResult:
        """De-identify one transcript."""
        return self.redact_many([text])[0]

    def redact_many(self, texts: Iterable[str], batch_size: int = 64) -> list[RedactionResult]:
        """De-identify many transcripts; spaCy runs batched through ``nlp.pipe``.

        Detection reads a Unicode-normalised copy (``normalize.py``: zero-width and control characters, non-ASCII
        digits, dashes, full-width forms); the spans are mapped back and the original text is redacted."""
        originals = list(texts)
        normalised = [normalize(t) for t in originals]
        results = self._redact_plain([n[0] for n in normalised], batch_size)
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

    def _redact_plain(self, texts: list[str], batch_size: int) -> list[RedactionResult]:
        prepared = [self._ner_input(t) for t in texts]
        found = [self._pre_spans(text, caseless) for text, (_, caseless) in zip(texts, prepared)]
        if self.nlp is not None:
            # The model reads only sentences holding a name-capable capital that no other layer has explained:
            # a name the safe-word layer or a cue already masked needs no second opinion, and the model's time
            # is most of the engine's. What it is still needed for: capitalised words that are also ordinary
            # words ("Hope", "Young") and multi-word places and organisations.
            views = [
                ner_layer.ner_view(p[0], self._view_ignore, covered=[(s.start, s.end) for s in spans])
                for p, spans in zip(prepared, found)
            ]
            docs = self.nlp.pipe((v[0] for v in views), batch_size=batch_size)
            classify = self._lexicon.classify_org if self._lexicon else None
            for spans, doc, (text, view) in zip(found, docs, zip(texts, views)):
                spans += ner_layer.entity_spans(ner_layer.view_entities(doc, view[1]), text, classify)
        results = []
        for text, (_, caseless), spans in zip(texts, prepared, found):
            final = self._finish(text, spans, caseless)
            results.append(RedactionResult(apply(text, final), final))
        return results
