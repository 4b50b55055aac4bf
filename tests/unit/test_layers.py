"""The package shows its layers: what imports what, and what a chapter's cache key covers."""

from __future__ import annotations

import json

import pytest

from analysis.pipeline import imports, runner
from analysis.project import PACKAGE_DIR, TEMPLATES_DIR

MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _imports_of(path):
    name = imports._module_name(path)
    return imports.imported_names(
        path.read_text(encoding="utf-8"), name, path.name == "__init__.py"
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
    assert "methods/income.py" in files and "__init__.py" in files
    assert not any(f.startswith(("build/", "illustrative/")) for f in files)


def test_editing_the_income_methods_changes_only_the_keys_of_chapters_that_import_them(monkeypatch):
    income = (PACKAGE_DIR / "methods" / "income.py").resolve()
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
    machinery = {
        (PACKAGE_DIR / "pipeline" / name).resolve()
        for name in ("runner.py", "book.py", "cli.py", "imports.py")
    }
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


# --------------------------------------------------------------------------- methods speak no words
#: The methods modules whose words moved to the report layer (issue 22, item 1). Each helper of
#: the issue lists its own; the lead merges the lists.
WORDLESS_METHODS = [
    "methods/agreement.py",
    "methods/condensation.py",
    "methods/findings.py",
    "methods/quotes.py",
    "methods/qualitative.py",
    "methods/sampling.py",
]
#: What a wordless module may not call or import: gettext, the formatter, the escaper, plots.
SPOKEN = {"_", "N_", "ngettext", "gettext", "pgettext"}
PRESENTATION = ("analysis.formatting", "analysis.literal", "matplotlib", "seaborn", "analysis.i18n")


def _spoken(path) -> list[str]:
    """Calls of gettext functions and imports of presentation modules in ``path`` (by the AST)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in SPOKEN:
                found.append(f"line {node.lineno}: call of {name}()")
        elif isinstance(node, ast.Name) and node.id in ("formatting", "fmt", "literal"):
            found.append(f"line {node.lineno}: {node.id}")
    names = imports.imported_names(path.read_text(encoding="utf-8"), "analysis.methods.module")
    found += [f"imports {n}" for n in sorted(names) if n.startswith(PRESENTATION)]
    return found


@pytest.mark.parametrize("module", WORDLESS_METHODS)
def test_methods_speak_no_words(module):
    """Numbers and codes only: no gettext, no formatter, no escaper, no matplotlib."""
    assert _spoken(PACKAGE_DIR / module) == []


def test_a_module_that_speaks_is_caught(tmp_path):
    path = tmp_path / "speaks.py"
    path.write_text(
        "from analysis import formatting\nimport matplotlib.pyplot as plt\n"
        "def f(w):\n    return w._('x') + formatting.integer(1)\n",
        encoding="utf-8",
    )
    found = " ".join(_spoken(path))
    assert "call of _()" in found and "imports matplotlib" in found
    assert "imports analysis.formatting" in found


def test_the_qualitative_and_agreement_methods_do_not_import_each_other_both_ways():
    """The circle methods.qualitative <-> methods.agreement is broken (function-level imports
    count): the coder ranking both need lives in methods.coding."""
    qualitative = _imports_of(PACKAGE_DIR / "methods" / "qualitative.py")
    agreement = _imports_of(PACKAGE_DIR / "methods" / "agreement.py")
    assert not (
        any(n.startswith("analysis.methods.agreement") for n in qualitative)
        and any(n.startswith("analysis.methods.qualitative") for n in agreement)
    )
    assert not any(n.startswith("analysis.methods.qualitative") for n in agreement)


@pytest.mark.parametrize(
    "module",
    [
        *WORDLESS_METHODS,
        "report/agreement.py",
        "report/findings.py",
        "report/qualitative.py",
        "report/qualitative_figures.py",
        "report/sampling.py",
    ],
)
def test_no_function_takes_more_than_ten_parameters(module):
    import ast

    tree = ast.parse((PACKAGE_DIR / module).read_text(encoding="utf-8"))
    wide = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and len(node.args.posonlyargs + node.args.args + node.args.kwonlyargs) > 10
    ]
    assert wide == []


#: Templates made thin (issue 22): every display through show(report function, ...). Each helper
#: lists the templates it thinned; the lead merges the lists.
THIN_TEMPLATES = ["qualitative.ipynb"]
#: Names a thin template never calls: words, displays and figures belong to the report layer.
NOT_IN_A_TEMPLATE = {"_", "ngettext", "display", "Markdown", "table", "download", "figure"}


@pytest.mark.parametrize("template", THIN_TEMPLATES)
def test_a_thin_template_has_no_words_no_displays_and_no_branches(template):
    import ast

    notebook = json.loads((TEMPLATES_DIR / template).read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, ast.For | ast.While | ast.If | ast.IfExp | ast.comprehension):
                found.append(f"{cell.get('id')}: {type(node).__name__}")
            elif isinstance(node, ast.Call):
                f = node.func
                name = (
                    f.id
                    if isinstance(f, ast.Name)
                    else f.attr
                    if isinstance(f, ast.Attribute)
                    else ""
                )
                if name in NOT_IN_A_TEMPLATE or (name == "show" and isinstance(f, ast.Attribute)):
                    found.append(f"{cell.get('id')}: {name}()")
    assert found == []
