"""The gate's thresholds, loaded from ``checks/gate_thresholds.yaml`` and validated.

Thresholds are data so that an auditor reads them in one place with the reason for each value; validation is
code so that the file cannot quietly weaken the gate (a tolerated direct identifier or a QA sample under 10% is
refused at load time, not discovered in an incident).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from cipher_pipeline.settings import DEFAULT_CHECKS_DIR, Settings

# The residual scan's learned token model (gate/residual.py reads it, cipher_devtools.train_scan_model writes it).
# Named here because the thresholds digest covers the file's bytes when the family is on (residual imports this
# module, not the other way round).
TOKEN_MODEL_FILE = "scan_token_model.crfsuite"

RATE_CATEGORIES = ("NAME", "LOCATION", "DATE", "PROVIDER")
MIN_QA_FRACTION = 0.10


class ThresholdsError(ValueError):
    """The thresholds file is missing a value or holds one the gate does not allow."""


@dataclass(frozen=True)
class GateThresholds:
    max_direct: int = 0
    max_quasi_rate_per_10k_tokens: Mapping[str, float] = field(
        default_factory=lambda: {"NAME": 5.0, "LOCATION": 5.0, "DATE": 5.0, "PROVIDER": 5.0}
    )
    max_day_precise_dates: int = 0
    forbid_tier1_overlap: bool = True
    qa_sample_fraction: float = MIN_QA_FRACTION
    qa_min_sample: int = 1
    qa_required_for_release: bool = True
    # True when the deployment states the QA switch now (CIPHER_REQUIRE_QA, the Dagster resource's require_qa, the
    # demo): it then holds for every day. Unstated, a day keeps the requirement its gate run recorded
    # (``ledger.qa_required``), so a day gated and released with QA off is not reported as refused later.
    qa_required_stated: bool = False
    # The residual scan's learned token model: the marginal probability at which a token counts as an identifier,
    # or None when the family is off (``residual.learned_token_model`` in the checks file; absent means off).
    learned_min_probability: float | None = None
    source: str = "defaults"

    def with_qa_required(self, required: bool) -> "GateThresholds":
        """A copy with release waiting (or not) on human QA, stated; the demo calls this with ``False`` explicitly."""
        return replace(self, qa_required_for_release=required, qa_required_stated=True)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["max_quasi_rate_per_10k_tokens"] = dict(self.max_quasi_rate_per_10k_tokens)
        return data

    def digest(self) -> str:
        """sha256 of the values the automated checks and the sample use: evidence made under others is stale.

        Leaves out the source path and whether QA is required (switching the QA requirement on or off changes
        what release waits on, not what the checks measured)."""
        values = {k: v for k, v in self.to_dict().items() if k not in ("source", "qa_required_for_release", "qa_required_stated")}
        if values["learned_min_probability"] is None:  # the family off: evidence made before it existed stays valid
            del values["learned_min_probability"]
        else:  # on: a retrained model is another gate, so evidence judged by the old file goes stale
            values["learned_model_sha256"] = token_model_sha256()
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def token_model_path():
    """Where the package carries the learned token model (the file may be absent: the family is then off)."""
    return resources.files("cipher_pipeline.gate").joinpath("data", TOKEN_MODEL_FILE)


def token_model_sha256() -> str | None:
    """sha256 of the shipped learned token model, None when the package carries no model file."""
    path = token_model_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise ThresholdsError(f"gate thresholds: missing {where}{key}")
    return mapping[key]


def parse_thresholds(raw: Mapping[str, Any], source: str = "<mapping>") -> GateThresholds:
    """Validate a parsed thresholds document and return it as :class:`GateThresholds`."""
    if _require(raw, "version", "") != 1:
        raise ThresholdsError(f"gate thresholds: unsupported version {raw.get('version')!r}")
    residual = _require(raw, "residual", "")
    ids = _require(raw, "ids", "")
    qa = _require(raw, "qa", "")

    max_direct = _require(residual, "max_direct", "residual.")
    if max_direct != 0 or isinstance(max_direct, bool):
        raise ThresholdsError("gate thresholds: residual.max_direct must be 0 (Safe Harbor removes every one)")

    rates_raw = _require(residual, "max_quasi_rate_per_10k_tokens", "residual.")
    if not isinstance(rates_raw, Mapping) or set(rates_raw) != set(RATE_CATEGORIES):
        raise ThresholdsError(
            f"gate thresholds: residual.max_quasi_rate_per_10k_tokens must name exactly {RATE_CATEGORIES}"
        )
    rates: dict[str, float] = {}
    for category, value in rates_raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise ThresholdsError(f"gate thresholds: rate for {category} must be a number in [0, 100]")
        rates[category] = float(value)

    day_precise = _require(residual, "max_day_precise_dates", "residual.")
    if day_precise != 0 or isinstance(day_precise, bool):
        raise ThresholdsError("gate thresholds: residual.max_day_precise_dates must be 0 (dates reduce to year)")

    overlap = _require(ids, "forbid_tier1_overlap", "ids.")
    if overlap is not True:
        raise ThresholdsError("gate thresholds: ids.forbid_tier1_overlap must be true")

    learned = residual.get("learned_token_model", {"enabled": False})
    if not isinstance(learned, Mapping) or not isinstance(learned.get("enabled"), bool):
        raise ThresholdsError("gate thresholds: residual.learned_token_model.enabled must be true or false")
    value = learned.get("min_probability")
    if (learned["enabled"] or value is not None) and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1
    ):
        raise ThresholdsError("gate thresholds: residual.learned_token_model.min_probability must be in (0, 1)")
    learned_min_probability = float(value) if learned["enabled"] else None

    fraction = _require(qa, "sample_fraction", "qa.")
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not MIN_QA_FRACTION <= fraction <= 1:
        raise ThresholdsError(f"gate thresholds: qa.sample_fraction must be in [{MIN_QA_FRACTION}, 1]")
    min_sample = _require(qa, "min_sample", "qa.")
    if isinstance(min_sample, bool) or not isinstance(min_sample, int) or min_sample < 1:
        raise ThresholdsError("gate thresholds: qa.min_sample must be an integer >= 1")
    required = _require(qa, "required_for_release", "qa.")
    if not isinstance(required, bool):
        raise ThresholdsError("gate thresholds: qa.required_for_release must be true or false")

    return GateThresholds(
        max_direct=0,
        max_quasi_rate_per_10k_tokens=rates,
        max_day_precise_dates=0,
        forbid_tier1_overlap=True,
        qa_sample_fraction=float(fraction),
        qa_min_sample=min_sample,
        qa_required_for_release=required,
        learned_min_probability=learned_min_probability,
        source=source,
    )


def thresholds_in_force(settings: Settings) -> GateThresholds:
    """The thresholds the pipeline, the reports and ``cipher qa`` all judge by: the settings' checks folder
    (``CIPHER_CHECKS_DIR``), with the deployment's QA switch (``CIPHER_REQUIRE_QA``) applied when it is set."""
    thresholds = load_thresholds(settings.thresholds_file)
    return thresholds if settings.require_qa is None else thresholds.with_qa_required(settings.require_qa)


def load_thresholds(path: str | Path | None = None) -> GateThresholds:
    """Load ``path`` (default: the repository's ``checks/gate_thresholds.yaml``) and validate it.

    The pipeline never relies on the default: it asks ``thresholds_in_force(settings)``."""
    path = Path(path) if path is not None else DEFAULT_CHECKS_DIR / "gate_thresholds.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ThresholdsError(f"gate thresholds file not found: {path}") from exc
    return parse_thresholds(raw, source=str(path))
