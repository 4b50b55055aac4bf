"""The package reads like the pipeline it is: no import circle (module-level and function-level
imports alike) and no function with more than a handful of parameters."""

from __future__ import annotations

import ast
from functools import cache

import pytest

from analysis.pipeline import imports
from analysis.project import PACKAGE_DIR

MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)

#: Import circles other helpers are taking apart: pipeline.runner <-> pipeline.execute (execute
#: forwards to runner, h-editions) and methods.qualitative <-> methods.agreement. The lead empties
#: this at merge; a circle listed here that no longer exists fails the test, so the list cannot
#: outlive its circles.
KNOWN_CIRCLES: set[frozenset[str]] = set()

#: The most parameters a function of the package takes.
MAX_PARAMETERS = 10
#: Functions over the limit that other helpers are changing (emptied by the lead at merge; an
#: entry back under the limit fails the test, so the list cannot outlive them).
KNOWN_LONG: set[str] = set()


@cache
def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at module level or inside a function (the
    ``__init__`` of a package counts as the package's module; built once, the tests only read it)."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        name = imports._module_name(path)
        names = imports.imported_names(
            path.read_text(encoding="utf-8"), name, path.name == "__init__.py"
        )
        targets = {imports._module_name(f) for n in names if (f := imports.module_file(n))}
        graph[name] = targets - {name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_a_circle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    names = imports.imported_names("def f():\n    from analysis.pipeline import book\n")
    assert "analysis.pipeline.book" in names


def test_no_import_circle_in_the_package():
    found = set(circles(import_graph()))
    assert found - KNOWN_CIRCLES == set()
    assert KNOWN_CIRCLES - found == set(), "a known circle is gone: remove it from KNOWN_CIRCLES"


def test_book_and_pages_import_each_other_no_more():
    graph = import_graph()
    assert "analysis.pipeline.pages" in graph["analysis.pipeline.book"]
    assert "analysis.pipeline.book" not in graph["analysis.pipeline.pages"]


@cache
def _functions() -> tuple[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef], ...]:
    """(dotted name, syntax) of every function of the package, read once for this file's tests."""
    found = []
    for path in MODULES:
        module = imports._module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((f"{module}.{node.name}", node))
    return tuple(found)


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Every parameter a call may pass: positional, keyword-only, ``*args``, ``**kwargs``."""
    given = node.args
    named = len(given.posonlyargs) + len(given.args) + len(given.kwonlyargs)
    return named + (given.vararg is not None) + (given.kwarg is not None)


def test_the_parameter_count_counts_every_kind():
    node = ast.parse("def f(a, /, b, *c, d, **e): pass").body[0]
    assert parameters(node) == 5


def test_no_function_takes_more_than_ten_parameters():
    long = {name: parameters(node) for name, node in _functions() if parameters(node) > 10}
    assert {k: v for k, v in long.items() if k not in KNOWN_LONG} == {}
    assert KNOWN_LONG - set(long) == set(), "back under the limit: remove it from KNOWN_LONG"


@pytest.mark.parametrize("name", ["analysis.pipeline.book.build", "analysis.pipeline.book.main"])
def test_the_build_entry_takes_a_request(name):
    node = next(node for full, node in _functions() if full == name)
    assert [a.arg for a in node.args.args] == ["request"]
