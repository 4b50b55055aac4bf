"""The package shows its layers: what imports what, and what a chapter's cache key covers."""

from __future__ import annotations

import ast
import json
from functools import cache

import pytest

from analysis.pipeline import imports, runner
from analysis.project import PACKAGE_DIR, TEMPLATES_DIR

MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


@cache
def _imports_of(path) -> frozenset[str]:
    """The names a module imports, read once for the tests of this file."""
    name = imports._module_name(path)
    return frozenset(
        imports.imported_names(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    )


def _layer(path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def test_only_the_chapter_module_imports_ipython():
    importing = [
        p.relative_to(PACKAGE_DIR).as_posix()
        for p in MODULES
        if any(n.split(".")[0] == "IPython" for n in _imports_of(p))
    ]
    assert importing == ["chapter.py"]


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if _layer(p) not in ("pipeline", "illustrative", "__main__")],
    ids=lambda p: p.relative_to(PACKAGE_DIR).as_posix(),
)
def test_no_module_outside_the_pipeline_imports_the_pipeline_or_the_generators(path):
    names = _imports_of(path)
    assert not any(n.startswith(("analysis.pipeline", "analysis.illustrative")) for n in names), (
        names
    )


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if _layer(p) == "methods"],
    ids=lambda p: p.relative_to(PACKAGE_DIR).as_posix(),
)
def test_methods_do_not_import_the_display_layer(path):
    assert not any(n.startswith("analysis.chapter") for n in _imports_of(path))


@pytest.mark.parametrize("template", sorted(TEMPLATES_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_template_imports_the_build_or_the_generators(template):
    names = imports.notebook_imports(template)
    assert not any(n.startswith(("analysis.pipeline", "analysis.illustrative")) for n in names), (
        names
    )


def test_relative_and_nested_imports_are_followed():
    names = imports.imported_names(
        "from . import b\nfrom .c import d\ndef f():\n    import analysis.x\n", "analysis.methods.a"
    )
    assert {
        "analysis.methods",
        "analysis.methods.b",
        "analysis.methods.c",
        "analysis.methods.c.d",
        "analysis.x",
    } <= names


def test_income_chapter_depends_on_the_income_methods_and_not_on_the_build():
    files = {
        p.relative_to(PACKAGE_DIR).as_posix()
        for p in imports.notebook_dependencies(TEMPLATES_DIR / "income.ipynb")
    }
    assert "methods/income/change.py" in files and "__init__.py" in files
    assert not any(f.startswith(("build/", "illustrative/")) for f in files)


def test_editing_the_income_methods_changes_only_the_keys_of_chapters_that_import_them(monkeypatch):
    income = (PACKAGE_DIR / "methods" / "income" / "change.py").resolve()
    original = imports.dependencies_digest
    before = {t.name: original(t) for t in TEMPLATES_DIR.glob("*.ipynb")}
    real_read = type(income).read_bytes

    def edited(path):
        data = real_read(path)
        return data + b"\n# a comment\n" if path.resolve() == income else data

    monkeypatch.setattr(type(income), "read_bytes", edited)
    after = {t.name: original(t) for t in TEMPLATES_DIR.glob("*.ipynb")}
    changed = {name for name in before if before[name] != after[name]}
    dependent = {
        t.name
        for t in TEMPLATES_DIR.glob("*.ipynb")
        if income in {p.resolve() for p in imports.notebook_dependencies(t)}
    }
    assert changed == dependent
    assert "income.ipynb" in changed and "context.ipynb" not in changed


def test_editing_the_build_machinery_changes_no_chapter_key(monkeypatch):
    machinery = {path.resolve() for path in (PACKAGE_DIR / "pipeline").glob("*.py")}
    for template in TEMPLATES_DIR.glob("*.ipynb"):
        assert not machinery & {p.resolve() for p in imports.notebook_dependencies(template)}


def test_templates_are_stored_without_outputs():
    for template in TEMPLATES_DIR.glob("*.ipynb"):
        cells = json.loads(template.read_text())["cells"]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), template.name


def test_runs_cache_key_uses_the_import_closure():
    assert runner.dependencies_digest is imports.dependencies_digest


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if _layer(p) == "methods"],
    ids=lambda p: p.relative_to(PACKAGE_DIR).as_posix(),
)
def test_methods_do_not_import_the_report_layer(path):
    assert not any(n.startswith("analysis.report") for n in _imports_of(path))


def _keys_changed_by_a_comment_in(module, monkeypatch) -> set[str]:
    """The templates whose cache key changes when a comment is appended to ``module``."""
    module = module.resolve()
    original = imports.dependencies_digest
    before = {t.name: original(t) for t in TEMPLATES_DIR.glob("*.ipynb")}
    real_read = type(module).read_bytes

    def edited(path):
        data = real_read(path)
        return data + b"\n# a comment\n" if path.resolve() == module else data

    monkeypatch.setattr(type(module), "read_bytes", edited)
    after = {t.name: original(t) for t in TEMPLATES_DIR.glob("*.ipynb")}
    return {name for name in before if before[name] != after[name]}


def test_editing_difference_in_differences_reexecutes_at_most_the_income_and_synthesis_chapters(
    monkeypatch,
):
    from analysis.methods.income import comparison

    defining = PACKAGE_DIR / "methods" / "income" / "comparison.py"
    assert comparison.difference_in_differences.__code__.co_filename == str(defining)
    changed = _keys_changed_by_a_comment_in(defining, monkeypatch)
    assert "income.ipynb" in changed and changed <= {"income.ipynb", "synthesis.ipynb"}


# --------------------------------------------------------------------------- methods speak no words
#: Every module of analysis/methods: numbers and codes only (issue 22, item 1).
SILENT_METHODS = sorted(
    p.relative_to(PACKAGE_DIR).as_posix() for p in (PACKAGE_DIR / "methods").rglob("*.py")
)
#: Names a module speaking no words never uses: gettext's functions and their markers.
WORD_FUNCTIONS = {"_", "N_", "gettext", "ngettext", "pgettext"}
#: Modules that write words, numbers for readers, markup or figures.
SPEAKING_MODULES = ("analysis.formatting", "analysis.literal", "analysis.i18n", "matplotlib")


def spoken_words(source: str) -> list[str]:
    """What in ``source`` speaks to readers: gettext calls and markers, and imports of the
    formatter, the escaper, the catalogs or matplotlib (found with :mod:`ast`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name in WORD_FUNCTIONS:
                found.append(f"line {node.lineno}: {name}(...)")
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            )
            for module in modules:
                if module.startswith(SPEAKING_MODULES) or module.split(".")[0] == "matplotlib":
                    found.append(f"line {node.lineno}: imports {module}")
                    break
    return found


@pytest.mark.parametrize("name", SILENT_METHODS)
def test_methods_speak_no_words(name):
    found = spoken_words((PACKAGE_DIR / name).read_text(encoding="utf-8"))
    assert not found, (
        f"analysis/{name} must return numbers and codes only (words, formats, markup and "
        f"figures belong to analysis/report/): " + "; ".join(found)
    )


def test_the_words_check_sees_gettext_formatting_literal_and_matplotlib():
    source = (
        "from analysis.i18n import N_\nfrom analysis import formatting\n"
        "import matplotlib.pyplot as plt\nfrom analysis.literal import markdown_literal\n"
        "x = _('a')\ny = w.ngettext('a', 'b', 2)\n"
    )
    assert len(spoken_words(source)) == 6
    assert not spoken_words("import numpy as np\nx = np.mean([1, 2])\n")


REPORT_MODULES = sorted(
    p.relative_to(PACKAGE_DIR).as_posix() for p in (PACKAGE_DIR / "report").glob("*.py")
)
#: What reads or sets the language from global state (the report layer takes it as an argument).
AMBIENT_LANGUAGE = {"in_language", "use_language", "language"}


@pytest.mark.parametrize("name", REPORT_MODULES)
def test_the_report_layer_takes_the_language_as_an_argument(name):
    tree = ast.parse((PACKAGE_DIR / name).read_text(encoding="utf-8"))
    found = [
        f"line {node.lineno}: {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in AMBIENT_LANGUAGE)
            or (isinstance(node.func, ast.Attribute) and node.func.attr in AMBIENT_LANGUAGE)
        )
    ]
    assert not found, f"analysis/{name} reads the language from global state: {found}"


# --------------------------------------------------------------------------- thin templates
#: Templates made thin by the report layer (issue 22, item 1): every display through show().
THIN_TEMPLATES = [
    "context.ipynb",
    "income.ipynb",
    "overview.ipynb",
    "programmes.ipynb",
    "qualitative.ipynb",
    "synthesis.ipynb",
]
DISPLAY_CALLS = {"_", "display", "Markdown", "table", "download", "figure"}


def _template_code(template) -> list[str]:
    cells = json.loads((TEMPLATES_DIR / template).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("template", THIN_TEMPLATES)
def test_thin_templates_show_through_report_functions_and_branch_nowhere(template):
    found = []
    for k, code in enumerate(_template_code(template)):
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.If | ast.For | ast.While | ast.comprehension):
                found.append(f"code cell {k}: {type(node).__name__.lower()}")
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in DISPLAY_CALLS:
                    found.append(f"code cell {k}: {func.id}(...)")
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "show"
                    and (isinstance(func.value, ast.Name) and func.value.id == "plt")
                ):
                    found.append(f"code cell {k}: plt.show()")
    assert not found, f"{template}: " + "; ".join(found)
