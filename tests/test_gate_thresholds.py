"""The committed thresholds load, and the loader refuses values that would weaken the gate."""

from __future__ import annotations

import copy

import pytest
import yaml

from cipher_pipeline.gate.paths import default_checks_dir
from cipher_pipeline.gate.thresholds import GateThresholds, ThresholdsError, load_thresholds, parse_thresholds


def committed() -> dict:
    return yaml.safe_load((default_checks_dir() / "gate_thresholds.yaml").read_text())


def test_committed_thresholds_load() -> None:
    thresholds = load_thresholds()
    assert thresholds.max_direct == 0
    assert thresholds.max_day_precise_dates == 0
    assert set(thresholds.max_quasi_rate_per_10k_tokens) == {"NAME", "LOCATION", "DATE", "PROVIDER"}
    assert all(v > 0 for v in thresholds.max_quasi_rate_per_10k_tokens.values())
    assert thresholds.forbid_tier1_overlap is True
    assert thresholds.qa_sample_fraction >= 0.10 and thresholds.qa_min_sample >= 1
    assert thresholds.qa_required_for_release is True  # the demo turns it off explicitly, never the file


def test_every_value_in_the_file_says_why() -> None:
    lines = (default_checks_dir() / "gate_thresholds.yaml").read_text().splitlines()

    def is_value(line: str) -> bool:
        stripped = line.strip()
        return ":" in stripped and not stripped.startswith("#") and bool(stripped.split(":", 1)[1].strip())

    for index, line in enumerate(lines):
        if is_value(line) and not line.startswith("version"):
            above = index - 1
            # Values in one block, and the entries of a nested mapping, share the comment above the block.
            while is_value(lines[above]) or (lines[above].startswith("  ") and lines[above].rstrip().endswith(":")):
                above -= 1
            assert lines[above].strip().startswith("#"), f"no comment above {line.strip()!r}"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("residual", "max_direct"), 1),
        (("residual", "max_day_precise_dates"), 2),
        (("residual", "max_quasi_rate_per_10k_tokens", "NAME"), -1),
        (("ids", "forbid_tier1_overlap"), False),
        (("qa", "sample_fraction"), 0.05),
        (("qa", "min_sample"), 0),
        (("qa", "required_for_release"), "sometimes"),
    ],
)
def test_loader_refuses_a_weakened_gate(path: tuple[str, ...], value: object) -> None:
    raw = copy.deepcopy(committed())
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ThresholdsError):
        parse_thresholds(raw)


def test_missing_value_is_named() -> None:
    raw = copy.deepcopy(committed())
    del raw["qa"]["sample_fraction"]
    with pytest.raises(ThresholdsError, match="qa.sample_fraction"):
        parse_thresholds(raw)


def test_qa_switch_does_not_change_the_digest_but_a_threshold_does() -> None:
    base = load_thresholds()
    assert base.with_qa_required(False).digest() == base.digest()
    assert base.with_qa_required(False).qa_required_for_release is False
    stricter = GateThresholds(max_quasi_rate_per_10k_tokens={"NAME": 1.0, "LOCATION": 1.5, "DATE": 1.5, "PROVIDER": 1.5})
    assert stricter.digest() != base.digest()
