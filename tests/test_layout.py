"""The layout rules of ``src/`` (docs/architecture.md): small modules, no import cycle, and every
layer importing only from the layers below it.

Imports are read from the source with :mod:`ast`, inside functions too. An import under
``if TYPE_CHECKING:`` is for type checkers only: it counts for the layers (a module may not even
name a type from a layer above it) but not for cycles, since it never runs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "caseload_sim"
MAX_LINES = 450

#: The layers, lowest first: a module may import from its own layer and those below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("calendar", "randomness", "analytic", "files"),
    ("scenario",),
    ("model",),
    ("metrics",),
    ("experiment",),
    ("results",),
    ("charts",),
    ("report",),
    ("calibrate",),
    ("cli", "app", "studies", "__init__", "__main__"),
)
#: What the simulation core may never import, at run time or for types.
MODEL_MAY_NOT_IMPORT = ("metrics", "experiment", "results", "cli", "report", "charts", "calibrate")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. caseload_sim.model.pathway
    target: str  # the imported module
    line: int
    type_only: bool


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """The package modules ``name`` imports (``from a import b`` counts module ``a.b`` when it
    exists, otherwise ``a``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def add(target: str, node: ast.stmt, type_only: bool) -> None:
        if target == PACKAGE or target.startswith(PACKAGE + "."):
            while target not in known and "." in target:
                target = target.rpartition(".")[0]
            if target != name:
                found.append(Import(name, target, node.lineno, type_only))

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node, type_only)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                add(full if full in known else base, node, type_only)
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(tree, False)
    return found


def all_imports() -> list[Import]:
    known = modules()
    return [found for name, path in known.items() for found in imports_of(name, path, known)]


def part(module: str) -> str:
    """The top-level part of the package a module belongs to (``model``, ``calendar``...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(module: str) -> int:
    top = part(module)
    for depth, names in enumerate(LAYERS):
        if top in names:
            return depth
    raise AssertionError(f"{module}: its part {top!r} has no layer in tests/test_layout.py")


def cycles(edges: list[Import]) -> list[list[str]]:
    """The import cycles among modules (run-time imports only), each as a path of modules."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if not edge.type_only:
            graph.setdefault(edge.source, set()).add(edge.target)
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        name: count
        for name, path in modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycle() -> None:
    found = cycles(all_imports())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_model_imports_nothing_from_the_layers_above_it() -> None:
    bad = sorted(
        {
            f"{i.source}:{i.line} imports {i.target}"
            for i in all_imports()
            if part(i.source) == "model" and part(i.target) in MODEL_MAY_NOT_IMPORT
        }
    )
    assert not bad, "\n".join(bad)


def test_every_layer_imports_only_from_below() -> None:
    bad = sorted(
        {
            f"{i.source}:{i.line} imports {i.target}{' (for types)' if i.type_only else ''}"
            for i in all_imports()
            if layer(i.target) > layer(i.source)
        }
    )
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from caseload_sim.model import allocation\n", ["caseload_sim.model.allocation"]),
        ("from caseload_sim.model.allocation import X\n", ["caseload_sim.model.allocation"]),
        ("def f():\n    import caseload_sim.metrics.stats\n", ["caseload_sim.metrics.stats"]),
        ("from . import stats\n", ["caseload_sim.metrics.stats"]),
    ],
)
def test_the_import_reader_finds_imports(source: str, expected: list[str], tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source)
    known = {**modules(), "caseload_sim.metrics.probe": path}
    assert [i.target for i in imports_of("caseload_sim.metrics.probe", path, known)] == expected


def test_the_import_reader_marks_type_only_imports(tmp_path: Path) -> None:
    path = tmp_path / "probe.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from caseload_sim.model import allocation\n"
    )
    known = {**modules(), "caseload_sim.metrics.probe": path}
    (found,) = imports_of("caseload_sim.metrics.probe", path, known)
    assert found.type_only


def test_a_cycle_is_found() -> None:
    edges = [Import("a", "b", 1, False), Import("b", "c", 1, False), Import("c", "a", 1, False)]
    assert cycles(edges) == [["a", "b", "c", "a"]]
    assert cycles([Import("a", "b", 1, False), Import("b", "a", 1, True)]) == []
