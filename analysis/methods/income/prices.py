"""Prices: incomes of different years in the Rupiah of one year (real terms).

- :func:`inflation_series`, :func:`price_factor`, :func:`deflate`, :func:`cumulative_inflation`:
  the national CPI inflation series (December on December) turned into price factors.
- :func:`real_terms`: the chapter's real-terms estimate, or the reason there is none.
- :func:`primary_columns`: the incomes the primary test uses (real where they were deflated).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.methods.income.change import IncomeChange, income_change
from analysis.methods.income.checks import (
    INCOME_COLUMNS,
    CpiYearMissingError,
    IncomeDataError,
    check_years,
    require_columns,
)

#: Why there are no real terms when the data hold no price series (``real_reason``; the
#: report layer says it in the edition's language).
NO_PRICE_SERIES = "the data hold no consumer price series"


def real_prices(year: int) -> str:
    """The ``prices`` of a real-terms :class:`IncomeChange`: "real Rupiah of 2017" (a code)."""
    return f"real Rupiah of {year}"


def inflation_series(
    cpi: pd.DataFrame, *, indicator: str = "cpi_inflation_dec_on_dec", area_code: str = "00"
) -> pd.Series:
    """Inflation in percent by year (December on December) from the tidy CPI file.

    Expects columns year, indicator, value (and optionally area_code); one value a year.
    """
    require_columns(cpi, ["year", "indicator", "value"], what="the CPI file")
    rows = cpi[cpi["indicator"] == indicator]
    if "area_code" in rows.columns:
        codes = rows["area_code"].astype(str).str.zfill(2)
        rows = rows[codes == area_code]
    if rows.empty:
        raise IncomeDataError(
            f"the CPI file has no rows with indicator '{indicator}' (area {area_code}); "
            f"indicators present: {sorted(cpi['indicator'].astype(str).unique())}"
        )
    years = rows["year"].astype(int)
    duplicated = years[years.duplicated()].unique()
    if duplicated.size:
        raise IncomeDataError(
            f"the CPI file has more than one '{indicator}' value for year(s) "
            f"{', '.join(map(str, sorted(duplicated)))}; expected one value a year"
        )
    return pd.Series(
        rows["value"].astype(float).to_numpy(), index=years.to_numpy(), name="inflation_pct"
    ).sort_index()


def price_factor(inflation: pd.Series, years, base_year: int) -> np.ndarray:
    """Factor turning Rupiah of each year into Rupiah of ``base_year`` (vectorised over years).

    Prices of year y are taken as December of y; moving from y to the base multiplies by the
    product of (1 + inflation/100) over the years after y up to the base year.
    Raises :class:`CpiYearMissingError` naming the years missing.
    """
    years = np.asarray(years, dtype=int)
    lo = int(min(years.min(), base_year))
    hi = int(max(years.max(), base_year))
    needed = range(lo + 1, hi + 1)
    missing = [y for y in needed if y not in inflation.index]
    if missing:
        raise CpiYearMissingError(
            f"the CPI series has no inflation for year(s) {', '.join(map(str, missing))}; deflating incomes of "
            f"{lo}-{hi} needs December-on-December inflation for every year from {lo + 1} to {hi} "
            f"(the series covers {inflation.index.min()}-{inflation.index.max()})"
        )
    level = np.cumprod([1.0] + [1 + inflation[y] / 100 for y in needed])  # level[k] = year lo + k
    return level[base_year - lo] / level[years - lo]


def deflate(
    households: pd.DataFrame, cpi: pd.DataFrame, *, base_year: int | None = None
) -> pd.DataFrame:
    """Copy with ``income_before_real`` and ``income_after_real`` in Rupiah of ``base_year`` prices.

    ``base_year`` defaults to the latest year_after in the data (stored in ``attrs["price_base_year"]``).
    """
    require_columns(households, list(INCOME_COLUMNS))
    check_years(households)
    inflation = inflation_series(cpi)
    base = int(households["year_after"].max()) if base_year is None else int(base_year)
    out = households.copy()
    for when in ("before", "after"):
        factor = price_factor(inflation, out[f"year_{when}"].to_numpy(), base)
        out[f"income_{when}_real"] = (
            pd.to_numeric(out[f"income_{when}"], errors="coerce").to_numpy(dtype=float) * factor
        )
    out.attrs["price_base_year"] = base
    return out


def cumulative_inflation(cpi: pd.DataFrame, year_from: int, year_to: int) -> float:
    """Price rise from December of ``year_from`` to December of ``year_to``, percent."""
    return float((price_factor(inflation_series(cpi), [year_from], year_to)[0] - 1) * 100)


def real_terms(
    households: pd.DataFrame,
    cpi: pd.DataFrame | None,
    *,
    seed: int,
    bootstrap_resamples: int = 0,
):
    """(real frame, real IncomeChange, facts) or (None, None, {"real_reason": why}).

    The incomes are deflated with the national CPI series; when the data have no price series
    (``real_reason`` :data:`NO_PRICE_SERIES`) or it does not cover the incomes' years (the
    error's message), the chapter gives nominal changes only and says why. The real estimate's
    small-sample tests (the robustness checks of the primary test, :mod:`.primary`) use ``seed``;
    its bootstrap runs with ``bootstrap_resamples`` (0: not run). The facts hold every field of
    the real estimate, ``real_``-prefixed, with the price years and the inflation between them.
    """
    if cpi is None:
        return None, None, {"real_reason": NO_PRICE_SERIES}
    try:
        real = deflate(households, cpi)
    except IncomeDataError as problem:  # CpiYearMissingError among them
        return None, None, {"real_reason": str(problem)}
    base_year, from_year = int(real.attrs["price_base_year"]), int(households["year_before"].min())
    real_result: IncomeChange = income_change(
        real,
        before="income_before_real",
        after="income_after_real",
        prices=real_prices(base_year),
        seed=seed,
        bootstrap_resamples=bootstrap_resamples,
    )
    facts = {
        "price_base_year": base_year,
        "price_from_year": from_year,
        "inflation_pct": cumulative_inflation(cpi, from_year, base_year),
    }
    facts.update({f"real_{k}": v for k, v in real_result.to_dict().items()})
    return real, real_result, facts


def primary_columns(
    households: pd.DataFrame, real: pd.DataFrame | None
) -> tuple[pd.DataFrame, str, str, str]:
    """(frame, before column, after column, prices) of the incomes the primary test uses.

    The deflated frame of :func:`real_terms` where there is one (``prices`` "real Rupiah of
    YYYY"), else the households' nominal incomes (``prices`` "nominal").
    """
    if real is None:
        return households, "income_before", "income_after", "nominal"
    return (
        real,
        "income_before_real",
        "income_after_real",
        real_prices(int(real.attrs["price_base_year"])),
    )
