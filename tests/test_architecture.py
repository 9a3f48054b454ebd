"""The house rules import-linter cannot state: no import circles inside the lower layers
(counting imports tucked inside functions, which hide a circle rather than break it), and
no hook between the app and its screens looked up by name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "planner_tui"


def _imports(path: Path) -> set[str]:
    """Every planner_tui module `path` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("planner_tui"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("planner_tui"))
    return found


def _graph(package: str) -> dict[str, set[str]]:
    """Module → the modules of the same package it imports."""
    modules = {
        f"planner_tui.{package}.{path.stem}": path
        for path in (SRC / package).glob("*.py")
        if path.stem != "__init__"
    }
    return {name: _imports(path) & modules.keys() - {name} for name, path in modules.items()}


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in `graph`, or None."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


@pytest.mark.parametrize("package", ["domain", "store", "services", "exchange"])
def test_no_import_circle_in_the_lower_layers(package: str) -> None:
    graph = _graph(package)
    assert len(graph) > 3, f"found no modules in {package}"
    assert _circle(graph) is None, " → ".join(_circle(graph) or [])


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _circle(graph) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None


def test_no_hook_is_looked_up_by_name() -> None:
    lookups = re.compile(r"getattr\(\s*self\.(app|screen)\b|getattr\(\s*(app|screen)\s*,")
    offenders = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if lookups.search(line)
    ]
    assert offenders == []
