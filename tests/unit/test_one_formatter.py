"""One formatter writes every number (issue 22, item 6): no module of ``analysis/`` but
``analysis/formatting.py`` swaps decimal or group separators by hand.

A hand-made separator is a ``.replace(".", ",")`` or ``.replace(",", ".")`` (also through
``str.translate`` with ``ord(".")``/``ord(",")``), or Babel's ``get_decimal_symbol`` /
``get_group_symbol`` read outside the formatter. Found with :mod:`ast`, so comments and strings
that only mention these do not count.
"""

from __future__ import annotations

import ast

import pytest

from analysis.project import PACKAGE_DIR

FORMATTER = PACKAGE_DIR / "formatting.py"
MODULES = sorted(
    p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts and p != FORMATTER
)
SEPARATORS = {".", ","}
SYMBOL_READERS = {"get_decimal_symbol", "get_group_symbol", "get_plus_sign_symbol"}
#: Modules that READ numbers written with a decimal comma (data files), not write them.
READERS = {"data/validate.py": "parses a data file's decimal comma into a float"}


def _constant(node) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def hand_made_separators(source: str) -> list[tuple[int, str]]:
    """(line, what) of every hand-made decimal or group separator in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            args = [_constant(a) for a in node.args[:2]]
            if (
                node.func.attr == "replace"
                and len(args) == 2
                and set(args) == SEPARATORS
                and args[0] != args[1]
            ):
                found.append((node.lineno, f'.replace("{args[0]}", "{args[1]}")'))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "ord"
            and _constant(node.args[0] if node.args else None) in SEPARATORS
        ):
            found.append((node.lineno, f'ord("{_constant(node.args[0])}") (a translate table)'))
        name = (
            node.id
            if isinstance(node, ast.Name)
            else node.attr
            if isinstance(node, ast.Attribute)
            else node.name
            if isinstance(node, ast.alias)
            else None
        )
        if name in SYMBOL_READERS:
            found.append((getattr(node, "lineno", 0), f"{name} (the locale's symbols)"))
    return found


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, id=p.relative_to(PACKAGE_DIR).as_posix())
        for p in MODULES
        if p.relative_to(PACKAGE_DIR).as_posix() not in READERS
    ],
)
def test_no_module_but_the_formatter_swaps_separators_by_hand(path):
    found = hand_made_separators(path.read_text(encoding="utf-8"))
    where = path.relative_to(PACKAGE_DIR.parent).as_posix()
    assert not found, (
        f"{where} writes a decimal or group separator by hand: "
        + "; ".join(f"line {line}: {what}" for line, what in found)
        + ". Write numbers through analysis.formatting (Words(lang).number, .decimal, .percent ...)."
    )


@pytest.mark.parametrize(
    "source",
    [
        'text = format(x, ".3f").replace(".", ",")',
        'value = text.replace(",", ".")',
        'table = {ord(","): "."}',
        "from babel.numbers import get_decimal_symbol",
        "import babel.numbers\nbabel.numbers.get_group_symbol('id_ID')",
    ],
)
def test_the_check_sees_each_kind_of_hand_made_separator(source):
    assert hand_made_separators(source)


def test_the_check_lets_other_replacements_and_mentions_pass():
    assert not hand_made_separators(
        'a = s.replace("_", " ")\nb = s.replace(".", "")\nc = "no .replace(\\".\\", \\",\\") here"'
    )


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [(35, "en", "35"), (2.5, "en", "2.5"), (2.5, "id", "2,5"), (1250.75, "id", "1250,75")],
)
def test_shortest_writes_only_the_decimals_a_number_has(value, locale, expected):
    from analysis.formatting import shortest

    assert shortest(value, locale=locale) == expected
