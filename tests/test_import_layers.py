"""Imports point one way: no loop between the engine's packages, the gate never imports QA (coverage reaches it
through the QA log in gate/), and the product never imports dev tooling: only the ``cipher`` command list and the
demo reach ``cipher_devtools``."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def _tree(path: Path) -> ast.Module:
    """Each source file parsed once for the whole module's tests (the suite reads the packages four times)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(path: Path, module_level_only: bool) -> set[str]:
    tree = _tree(path)
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("cipher_pipeline", "cipher_devtools")}


def _unit(module: str) -> str:
    """The package a module belongs to: ``cipher_pipeline.gate.ledger`` -> ``cipher_pipeline.gate``; top-level
    engine modules (``cipher_pipeline.storage``) are units of their own."""
    parts = module.split(".")
    if parts[0] == "cipher_devtools":
        return "cipher_devtools"
    if len(parts) >= 2 and (ROOT / parts[0] / parts[1]).is_dir():
        return ".".join(parts[:2])
    return ".".join(parts[:2]) if len(parts) >= 2 else parts[0]


@cache
def _graph(module_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for package in ("cipher_pipeline", "cipher_devtools"):
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            source = _unit(module)
            targets = {_unit(name) for name in _imports(path, module_level_only)} - {source}
            graph.setdefault(source, set()).update(targets)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_import_loop_between_packages_at_module_level():
    assert _cycles(_graph(module_level_only=True)) == []


def test_the_gate_never_imports_qa_or_the_dagster_layer():
    graph = _graph(module_level_only=False)
    assert not graph["cipher_pipeline.gate"] & {"cipher_pipeline.qa", "cipher_pipeline.defs", "cipher_pipeline.pipeline"}


def test_the_product_does_not_import_dev_tooling_at_module_level():
    graph = _graph(module_level_only=True)
    assert not [unit for unit, targets in graph.items() if unit != "cipher_devtools" and "cipher_devtools" in targets]


# The only product modules that may name cipher_devtools, anywhere in them: the command list that registers
# `cipher synth`, `cipher eval` and `cipher bench`, and the demo, which needs the synthetic call generator.
_MAY_IMPORT_DEVTOOLS = {"cipher_pipeline/cli.py", "cipher_pipeline/runner.py"}


def _names_devtools(path: Path) -> bool:
    """An import of cipher_devtools anywhere in the module, or its module name as a string (importlib)."""
    if any(name.split(".")[0] == "cipher_devtools" for name in _imports(path, module_level_only=False)):
        return True
    tree = _tree(path)
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str)
        and (node.value == "cipher_devtools" or node.value.startswith("cipher_devtools."))
        for node in ast.walk(tree)
    )  # fmt: skip


def test_only_the_command_list_and_the_demo_import_dev_tooling():
    offenders = sorted(
        rel
        for path in (ROOT / "cipher_pipeline").rglob("*.py")
        if (rel := path.relative_to(ROOT).as_posix()) not in _MAY_IMPORT_DEVTOOLS and _names_devtools(path)
    )
    assert offenders == []
