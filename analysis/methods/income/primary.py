"""The primary test of the before/after change: did incomes rise more than prices alone?

Without a comparison group nothing in the data says what the recipients would have earned
without the programme. The least that would have happened is that their incomes kept pace with
prices, so where the data hold a price series the primary test's null is that the mean **real**
change is zero: incomes only kept pace with prices (equivalently, the nominal change is the
change prices alone would have given). Testing the nominal change against zero instead asks only
whether nominal income changed, which rising prices alone would make it do; that is the primary
test only when the data hold no price series.

- :func:`primary_test` -> :class:`PrimaryTest`: the paired t test of the mean real change (of
  the nominal change without a price series) with its 95 % interval, t, degrees of freedom and
  two-sided p, and the mean nominal change prices alone would have given.
- :func:`primary_facts`: what results.json records of it (``primary_``-prefixed).

The null is a code (:data:`KEPT_PACE_WITH_PRICES`, :data:`NO_NOMINAL_CHANGE`);
:mod:`analysis.report.income` says it in the edition's language.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.methods.income.change import household_changes
from analysis.methods.income.checks import plain, require_estimable
from analysis.methods.income.prices import primary_columns

#: The null of the primary test (codes of :attr:`PrimaryTest.null`).
KEPT_PACE_WITH_PRICES = "kept_pace_with_prices"  # mean real change zero
NO_NOMINAL_CHANGE = "no_nominal_change"  # mean nominal change zero (no price series)


@dataclass(frozen=True)
class PrimaryTest:
    """The paired t test named before any result, against what prices alone would have done.

    ``mean_change`` and its interval are in the Rupiah of ``prices`` ("real Rupiah of 2017":
    incomes deflated to the prices of the latest "after" year; or "nominal"). With a price series,
    ``price_only_change`` is the mean nominal change the households would have had if each
    income had only kept pace with prices (Rupiah of each household's "after" year); when every
    "after" year is the price base year, ``mean_change`` = ``mean_nominal_change`` -
    ``price_only_change`` exactly. ``t``, ``ci95_low``, ``ci95_high`` and ``p`` are None when
    every tested change is the same (no spread: no t test).
    """

    null: str  # KEPT_PACE_WITH_PRICES or NO_NOMINAL_CHANGE
    prices: str  # "nominal" or "real Rupiah of YYYY"
    n: int
    mean_nominal_change: float  # Rupiah a month
    price_only_change: float | None  # Rupiah a month; None without a price series
    mean_change: float  # the change tested, Rupiah a month in ``prices``
    sd_change: float
    t: float | None
    df: int
    ci95_low: float | None
    ci95_high: float | None
    p: float | None  # two-sided

    def to_dict(self) -> dict:
        return {k: plain(v) for k, v in asdict(self).items()}


def primary_test(households: pd.DataFrame, real: pd.DataFrame | None = None) -> PrimaryTest:
    """The primary test of the recipients' before/after change.

    ``real`` is the deflated frame of :func:`analysis.methods.income.prices.real_terms` (None when
    the data hold no price series or it does not cover the incomes' years). With it: the paired t
    test of the mean real change against zero (null :data:`KEPT_PACE_WITH_PRICES`); without: of
    the mean nominal change (null :data:`NO_NOMINAL_CHANGE`). The t statistic is mean / (sd /
    sqrt(n)) with n - 1 degrees of freedom, the interval mean +/- t(0.975, n - 1) x sd / sqrt(n).
    """
    nominal = household_changes(households)
    require_estimable(nominal, households)
    frame, before, after, prices = primary_columns(households, real)
    tested = household_changes(frame, before=before, after=after)
    require_estimable(tested, frame)
    d = tested["abs_change"].to_numpy(dtype=float)
    n = d.size
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    t = low = high = p = None
    if not np.all(d == d[0]):
        se = sd / math.sqrt(n)
        t = mean / se
        half = float(stats.t.ppf(0.975, n - 1)) * se
        low, high = mean - half, mean + half
        p = float(min(1.0, 2 * stats.t.sf(abs(t), n - 1)))
    return PrimaryTest(
        null=NO_NOMINAL_CHANGE if real is None else KEPT_PACE_WITH_PRICES,
        prices=prices,
        n=int(n),
        mean_nominal_change=float(nominal["abs_change"].mean()),
        price_only_change=None if real is None else _price_only_change(tested),
        mean_change=mean,
        sd_change=sd,
        t=t,
        df=int(n - 1),
        ci95_low=low,
        ci95_high=high,
        p=p,
    )


def _price_only_change(real: pd.DataFrame) -> float:
    """Mean nominal change had every income only kept pace with prices (Rupiah a month).

    A household's income before, b (Rupiah of its "before" year), kept pace with prices becomes
    b x P(after year) / P(before year) in its "after" year. The deflated frame holds b x f_before
    and a x f_after, f the factor to the base year's Rupiah, so P(after) / P(before) is
    f_before / f_after.
    """
    b, a = real["income_before"].to_numpy(float), real["income_after"].to_numpy(float)
    f_before = real["income_before_real"].to_numpy(float) / b
    f_after = real["income_after_real"].to_numpy(float) / a
    return float((b * (f_before / f_after - 1)).mean())


def primary_facts(test: PrimaryTest) -> dict:
    """What results.json records of the primary test (``primary_``-prefixed keys)."""
    return {f"primary_{k}": v for k, v in test.to_dict().items()}
