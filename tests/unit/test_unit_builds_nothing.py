"""tests/unit builds nothing: no unit test module imports papermill, nbclient or jupyter_book, nor
what builds a Sphinx project (``sphinx.application``, ``sphinx.cmd.build``), nor starts `analysis
build` or `jupyter-book` in a subprocess, nor marks a test ``slow`` (a build, an execution or a
browser), all read from the modules' syntax trees. Builds, chapter executions and kernels belong
in tests/integration, which `make test` runs right after the unit tests."""

from __future__ import annotations

import ast
from pathlib import Path

UNIT = Path(__file__).parent
FORBIDDEN_MODULES = ("papermill", "nbclient", "jupyter_book")
#: Modules whose import means a Sphinx build (reading Sphinx's utilities or nodes is fine).
SPHINX_BUILDS = ("sphinx.application", "sphinx.cmd")
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
IMPORTING_CALLS = {"importorskip", "import_module", "__import__"}

# Modules other sessions are editing, with the execution tests the lead moves to
# tests/integration after merging them; remove an entry once its module is clean (a test below
# fails while an entry names a clean module, so the list only shrinks).
PENDING_MOVE: dict[str, str] = {}


def _forbidden_module(name: str) -> bool:
    return name.split(".")[0] in FORBIDDEN_MODULES or any(
        name == m or name.startswith(m + ".") for m in SPHINX_BUILDS
    )


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _starts_a_build(strings: list[str]) -> bool:
    """Whether the arguments of a subprocess call start `analysis build` or `jupyter-book`."""
    joined = " ".join(strings)
    if "jupyter-book" in joined or "jupyter_book" in joined or "analysis build" in joined:
        return True
    return any(a == "analysis" and b == "build" for a, b in zip(strings, strings[1:]))


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _marks_slow(node: ast.AST) -> bool:
    """``pytest.mark.slow`` (as a decorator, a ``pytestmark`` or a parameter's mark)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "slow"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "mark"
    )


def builds(source: str) -> list[str]:
    """What a test module's source does that a unit test may not, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: imports {a.name}"
                for a in node.names
                if _forbidden_module(a.name)
            ]
        elif isinstance(node, ast.ImportFrom) and node.module and _forbidden_module(node.module):
            found.append(f"line {node.lineno}: imports from {node.module}")
        elif _marks_slow(node):
            found.append(f"line {node.lineno}: marked slow")
        elif isinstance(node, ast.Call):
            name = _call_name(node.func)
            arguments = [*node.args, *(k.value for k in node.keywords)]
            strings = [s for a in arguments for s in _strings(a)]
            if name in IMPORTING_CALLS and any(_forbidden_module(s) for s in strings):
                found.append(f"line {node.lineno}: {name}({', '.join(strings)})")
            elif name in SUBPROCESS_CALLS and _starts_a_build(strings):
                found.append(f"line {node.lineno}: {name} starts a build")
    return found


def test_no_unit_test_module_executes_a_notebook_or_starts_a_build():
    offending = {
        path.name: builds(path.read_text(encoding="utf-8"))
        for path in sorted(UNIT.glob("*.py"))
        if path.name not in PENDING_MOVE
    }
    offending = {name: lines for name, lines in offending.items() if lines}
    assert offending == {}, "move these tests to tests/integration: " + repr(offending)


def test_the_modules_pending_a_move_still_need_it():
    clean = [name for name in PENDING_MOVE if not builds((UNIT / name).read_text(encoding="utf-8"))]
    assert clean == [], f"remove from PENDING_MOVE, they build nothing now: {clean}"


def test_the_guard_sees_imports_importorskip_and_subprocess_builds():
    source = (
        "import papermill\n"
        "from nbclient import NotebookClient\n"
        "import jupyter_book.cli\n"
        "pm = pytest.importorskip('papermill')\n"
        "subprocess.run([sys.executable, '-m', 'analysis', 'build', '--out', str(out)])\n"
        "subprocess.Popen(['jupyter-book', 'build', '.'])\n"
        "subprocess.run('python -m analysis build', shell=True)\n"
        "@pytest.mark.slow\n"
        "def test_x(): pass\n"
        "from sphinx.application import Sphinx\n"
        "from sphinx.cmd.build import build_main\n"
    )
    lines = sorted((line.split(":")[0] for line in builds(source)), key=lambda s: int(s.split()[1]))
    assert lines == [f"line {n}" for n in (*range(1, 9), 10, 11)]


def test_the_guard_lets_validation_subprocesses_and_faked_builders_pass():
    source = (
        "import nbformat\n"
        "subprocess.run([sys.executable, '-m', 'analysis', 'validate', str(data)])\n"
        "monkeypatch.setattr(book, 'jupyter_book', fake)\n"
        "from analysis.pipeline import book\n"
        "from sphinx.util.docutils import docutils_namespace\n"
        "import sphinx_fixes\n"
    )
    assert builds(source) == []
