"""The package's own import graph: layers that import only downwards (core ← files ←
presentation ← site and command line), no circle, and nothing importing the package face."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pledges"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "core",
        (
            "pledges._version",
            "pledges.errors",
            "pledges.escape",
            "pledges._fields",
            "pledges.dates",
            "pledges.model",
            "pledges.lifecycle",
            "pledges.presets",
            "pledges.scales",
            "pledges._integrity",
            "pledges.ledger",
            "pledges.diff",
            "pledges.summary",
            "pledges.edits",
            "pledges.agreement",
        ),
    ),
    (
        "files",
        (
            "pledges._files",
            "pledges._structure",
            "pledges._fast",
            "pledges.serialization",
            "pledges.bundled",
            "pledges.curate",
            "pledges.database",
            "pledges.verify",
            "pledges.importers",
            "pledges.tables",
            "pledges.frames",
            "pledges.package",
            "pledges.schema",
            "pledges.extract",
        ),
    ),
    ("presentation", ("pledges.present", "pledges.testing")),
    ("site and command line", ("pledges.site", "pledges.cli", "pledges.__main__")),
)
"""Each layer and the modules (or packages) in it, lowest first."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer_of(module: str) -> int:
    for rank, (_, members) in enumerate(LAYERS):
        if any(module == m or module.startswith(m + ".") for m in members):
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


DEFERRED = {
    ("pledges.ledger", "pledges.frames"),
    ("pledges.summary", "pledges.frames"),
    ("pledges.diff", "pledges.frames"),
    ("pledges.present.render", "pledges.frames"),
    ("pledges.ledger", "pledges.present.notebook"),
    ("pledges.model", "pledges.present.notebook"),
    ("pledges.summary", "pledges.present.notebook"),
    ("pledges.diff", "pledges.present.notebook"),
    ("pledges.present.render", "pledges.present.notebook"),
}
"""Conveniences a record offers from a higher layer (``Ledger.to_frame``, the notebook's
``_repr_html_``), each imported inside the method that needs it, never when the module
loads."""


def _deferred(tree: ast.AST, module: str) -> set[int]:
    """The import statements inside functions that :data:`DEFERRED` allows this module."""
    allowed = {target for source, target in DEFERRED if source == module}
    return {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module in allowed
    }


def imports_of(module: str) -> set[str]:
    """Every pledges module this one imports, anywhere in it (type-checking imports too),
    but for the deferred conveniences."""
    found: set[str] = set()
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    deferred = _deferred(tree, module)
    for node in ast.walk(tree):
        if id(node) in deferred:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pledges"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pledges"):
            assert node.module is not None
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found - {module}


GRAPH = {m: imports_of(m) for m in MODULES if m != "pledges"}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_only_its_own_layer_and_those_below(module: str) -> None:
    own = layer_of(module)
    for imported in GRAPH[module]:
        assert imported != "pledges", f"{module} imports the package face; import the home"
        assert layer_of(imported) <= own, (
            f"{module} ({LAYERS[own][0]}) imports {imported} ({LAYERS[layer_of(imported)][0]})"
        )


def test_no_module_imports_itself_through_others() -> None:
    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for nxt in GRAPH.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    circles = sorted(m for m in GRAPH if m in reaches(m))
    assert circles == []


def test_the_layers_name_every_module() -> None:
    assert all(layer_of(m) >= 0 for m in GRAPH)
