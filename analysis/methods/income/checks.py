"""What every income computation checks first, and the error it raises when the data cannot serve.

:class:`IncomeDataError` (and :class:`CpiYearMissingError`) carry a message naming the problem and
what was expected; the helpers here are shared by the modules of :mod:`analysis.methods.income`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.contract import MIN_INCOME_RECIPIENTS

INCOME_COLUMNS = ("income_before", "income_after", "year_before", "year_after")


class IncomeDataError(ValueError):
    """The household or price data cannot support the income analysis; the message says why."""


class CpiYearMissingError(IncomeDataError):
    """The price series lacks a year that the household data need."""


def require_columns(frame: pd.DataFrame, columns, what: str = "households.csv") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IncomeDataError(
            f"{what} lacks column(s) {', '.join(missing)}; expected at least {', '.join(columns)}"
        )


def check_years(households: pd.DataFrame) -> None:
    yb = pd.to_numeric(households["year_before"], errors="coerce")
    ya = pd.to_numeric(households["year_after"], errors="coerce")
    wrong = (ya < yb).to_numpy()
    if wrong.any():
        raise IncomeDataError(
            f"year_after must not be earlier than year_before; {int(wrong.sum())} household(s) have it earlier: "
            f"{ids(households, wrong)}"
        )


def require_estimable(changes: pd.DataFrame, households: pd.DataFrame) -> None:
    n = len(changes)
    if n < MIN_INCOME_RECIPIENTS:
        n_rec = (
            int(as_bool(households["recipient"], "recipient").sum())
            if "recipient" in households
            else 0
        )
        raise IncomeDataError(
            f"the income analysis needs at least {MIN_INCOME_RECIPIENTS} recipient households with both incomes; found {n} "
            f"({n_rec} recipient household(s), {changes.attrs.get('n_missing_income', 0)} missing an income)"
        )
    d = changes["abs_change"].to_numpy()
    if np.all(d == 0):
        raise IncomeDataError(
            f"all {n} recipient households report the same income before and after (every change is zero); "
            "expected incomes that differ between the two periods for at least one household"
        )


def as_bool(series: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool)
    text = series.astype(str).str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
    mapped = text.map(mapping)
    if mapped.isna().any():
        bad = sorted(text[mapped.isna()].unique())[:5]
        raise IncomeDataError(f"column {name} must be true/false; found {bad}")
    return mapped.astype(bool)


def ids(frame: pd.DataFrame, mask) -> str:
    """The ids of the households ``mask`` selects, for a message (the first five)."""
    mask = np.asarray(mask)
    if "household_id" in frame.columns:
        names = frame.loc[mask, "household_id"].astype(str).tolist()
    else:
        names = [str(i) for i in frame.index[mask]]
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    return ", ".join(names[:5]) + more


def plain(value):
    """A plain Python value for results.json (:func:`analysis.methods.results.plain`)."""
    from analysis.methods.results import plain as to_plain

    return to_plain(value)
