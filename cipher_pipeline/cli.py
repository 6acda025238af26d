"""The ``cipher`` command line.

Each area of the engine owns its sub-commands: a module named in ``_COMMAND_MODULES`` exposes
``register(subparsers)`` which adds its parsers and sets ``func`` on them. Imports are lazy so that
``cipher --help`` stays fast and one broken area does not take the others down.
"""

from __future__ import annotations

import argparse
import importlib
import sys

_COMMAND_MODULES = [
    "cipher_devtools.synth.cli",  # cipher synth
    "cipher_pipeline.deid.cli",  # cipher deid
    "cipher_devtools.eval_cli",  # cipher eval (dev tooling: scores the engine on annotated corpora)
    "cipher_pipeline.gate.scan_cli",  # cipher scan
    "cipher_pipeline.qa.cli",  # cipher qa ...
    "cipher_pipeline.runner",  # cipher demo, cipher materialize, cipher status
    "cipher_devtools.bench",  # cipher bench
    "cipher_pipeline.retention",  # cipher retention
    "cipher_pipeline.access",  # cipher keys, cipher audit
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cipher", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that area is not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
