"""Issue 7: settings.py is the only module of the product and the dev tooling that reads or writes the environment,
offline switches included (``keep_offline()``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cipher_pipeline.settings import keep_offline

ROOT = Path(__file__).resolve().parent.parent
_ENV_ACCESS = re.compile(r"\bos\.(?:environ|getenv|putenv|unsetenv)\b|\bfrom\s+os\s+import\s+[^\n]*\b(?:environ|getenv)\b")


def test_only_settings_touches_the_environment() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("cipher_pipeline", "cipher_devtools")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "cipher_pipeline" / "settings.py" and _ENV_ACCESS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_keep_offline_sets_every_switch_but_never_overrides_the_operator(monkeypatch) -> None:
    for name in ("DAGSTER_DISABLE_TELEMETRY", "GX_ANALYTICS_ENABLED", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")  # an operator's explicit choice stays
    keep_offline()
    assert os.environ["DAGSTER_DISABLE_TELEMETRY"] == "1"
    assert os.environ["GX_ANALYTICS_ENABLED"] == "False"
    assert os.environ["HF_HUB_OFFLINE"] == "0"
