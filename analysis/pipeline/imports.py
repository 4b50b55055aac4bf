"""Which ``analysis`` modules a chapter depends on, read from its imports with :mod:`ast`.

A run's cache key covers exactly the modules its template imports, followed transitively
through the package (and the ``__init__`` of every package on the way, which Python executes
too). Editing a module that no chapter reaches (the build machinery, the generators) therefore
re-executes nothing; editing the income methods re-executes the chapters that import them.
"""

from __future__ import annotations

import ast
import hashlib
import json
from functools import cache
from pathlib import Path

from analysis.project import PACKAGE_DIR

PACKAGE = PACKAGE_DIR.name  # "analysis"


def module_file(name: str) -> Path | None:
    """The source file of a dotted module name inside the package, or None (not ours / absent)."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, current: str = "", is_package: bool = False) -> set[str]:
    """Dotted names of every module an ``import`` in ``source`` may load (relative ones resolved).

    ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (``c`` may be a submodule); imports inside
    functions count as well, since a chapter may call them.
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = current.split(".") if is_package else current.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _with_parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


@cache
def _module_imports(path: Path, mtime_ns: int) -> frozenset[str]:
    name = _module_name(path)
    return frozenset(
        imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    )


def module_closure(names: set[str]) -> list[Path]:
    """Source files of the package modules in ``names`` and everything they import, sorted."""
    seen: set[Path] = set()
    queue = [n for name in names for n in _with_parents(name)]
    while queue:
        path = module_file(queue.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        for imported in _module_imports(path, path.stat().st_mtime_ns):
            queue.extend(_with_parents(imported))
    return sorted(seen)


def notebook_imports(notebook: Path) -> set[str]:
    """Module names imported by the code cells of a notebook (IPython magics skipped)."""
    document = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: set[str] = set()
    for cell in document.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        names |= imported_names("\n".join(lines))
    return names


def notebook_dependencies(notebook: Path) -> list[Path]:
    """The package source files a notebook's execution can load."""
    return module_closure(notebook_imports(notebook))


def dependencies_digest(notebook: Path) -> str:
    """sha256 over the (path, content) of every package file the notebook depends on."""
    digest = hashlib.sha256()
    for path in notebook_dependencies(notebook):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
