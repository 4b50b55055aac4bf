"""Docstrings and comments name modules that exist: every dotted name under the package (a module,
or a module and a name it defines) and every path of a package file they give is there."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

from analysis.pipeline import imports
from analysis.project import PROJECT_ROOT

DOTTED = re.compile(r"(?<![\w./])analysis(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
SLASHED = re.compile(r"(?<![\w./])analysis/[\w/]+\.py\b")
FOLDERS = ("analysis", "tests", "benchmarks", "scripts", "book/_ext")
#: A line whose comment (from its "#" to the line's end) may name a module or a package file.
COMMENT_NAMING = re.compile(r"#.*analysis[./]")


def _definitions(node: ast.AST):
    """The module, classes and functions in ``node``, through the statements that hold them
    (a docstring is the first statement of a body; expressions hold none)."""
    if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        yield node
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, None) or ():
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                yield from _definitions(child)


def prose(source: str):
    """The docstrings and comments of a module's source (comments only when a line could hold
    one that names something: tokenizing the rest would find nothing)."""
    for node in _definitions(ast.parse(source)):
        docstring = ast.get_docstring(node, clean=False)
        if docstring:
            yield docstring
    if not COMMENT_NAMING.search(source):
        return
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.string


def defined(body: list[ast.stmt]) -> dict[str, ast.AST]:
    """The names a module or class body defines (functions, classes, assignments, imports)."""
    names: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        names[name.id] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names[(alias.asname or alias.name).split(".")[0]] = node
        elif isinstance(node, (ast.If, ast.Try)):
            names |= defined(node.body)
    return names


@cache
def module_names(path: Path) -> dict[str, ast.AST]:
    return defined(ast.parse(path.read_text(encoding="utf-8")).body)


def exists(dotted: str) -> bool:
    """Whether ``dotted`` is a module of the package, or one followed by a name it defines (and a
    name that class defines), read from the sources (nothing is imported)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        path = imports.module_file(".".join(parts[:cut]))
        if path is None:
            continue
        rest = parts[cut:]
        if not rest:
            return True
        names = module_names(path)
        if rest[0] not in names:
            return False
        node = names[rest[0]]
        if len(rest) > 1 and isinstance(node, ast.ClassDef):
            return rest[1] in defined(node.body)
        return True
    return False


def named_paths(source: str) -> tuple[set[str], set[str]]:
    dotted, slashed = set(), set()
    for text in prose(source):
        dotted |= {name.rstrip(".") for name in DOTTED.findall(text)}
        slashed |= set(SLASHED.findall(text))
    return dotted, slashed


def test_the_finder_reads_docstrings_and_comments_only():
    source = (
        '"""See :mod:`analysis.nothing_here` and analysis/gone.py."""\n'
        "# analysis.pipeline.book.build\n"
        'x = "analysis.not_prose"\n'
    )
    dotted, slashed = named_paths(source)
    assert dotted == {"analysis.nothing_here", "analysis.pipeline.book.build"}
    assert slashed == {"analysis/gone.py"}
    assert not exists("analysis.nothing_here") and exists("analysis.pipeline.book.build")
    assert not exists("analysis.pipeline.book.no_such_function")
    assert exists("analysis.pipeline.publish.Staged.write")
    assert not exists("analysis.pipeline.publish.Staged.no_such_method")


def test_every_module_path_named_in_docstrings_and_comments_exists():
    missing = []
    for folder in FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            dotted, slashed = named_paths(path.read_text(encoding="utf-8"))
            where = path.relative_to(PROJECT_ROOT).as_posix()
            missing += [f"{where}: {name}" for name in sorted(dotted) if not exists(name)]
            missing += [
                f"{where}: {name}"
                for name in sorted(slashed)
                if not (PROJECT_ROOT / name).is_file()
            ]
    assert missing == []
