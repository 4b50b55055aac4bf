"""Groups and power: the change by component or business, and what n households could detect.

- :func:`change_by_group`, :func:`has_groups`, :func:`groups_of`: recipients' change by a column.
- :func:`power_analysis` -> :class:`Power`: minimum detectable change at the observed n and
  spread; households needed for a target change; :func:`primary_power` for the changes the
  primary test uses (real where the incomes were deflated).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.methods.income.change import household_changes
from analysis.methods.income.checks import as_bool, plain, require_columns, require_estimable
from analysis.methods.income.prices import primary_columns

#: The columns a chapter splits the change by, in order, when the data have them.
GROUP_COLUMNS = ("component", "business_type")


def change_by_group(
    households: pd.DataFrame, by: str, *, before: str = "income_before", after: str = "income_after"
) -> pd.DataFrame:
    """Recipients' change by ``by`` (component, business_type, ...): n, means, mean and median change, percent."""
    require_columns(households, [by])
    changes = household_changes(households, before=before, after=after)
    key = changes[by].astype(object).where(changes[by].notna(), "(missing)")
    grouped = changes.assign(_group=key).groupby("_group", sort=True)
    out = grouped.agg(
        n=("abs_change", "size"),
        mean_before=(before, "mean"),
        mean_after=(after, "mean"),
        mean_abs_change=("abs_change", "mean"),
        median_abs_change=("abs_change", "median"),
        mean_pct_change=("pct_change", "mean"),
    )
    out["pct_change_of_means"] = (out["mean_after"] / out["mean_before"] - 1) * 100
    out = out.reset_index().rename(columns={"_group": by})
    out["n"] = out["n"].astype(int)
    return out


def has_groups(households: pd.DataFrame, by: str) -> bool:
    """True when ``by`` is a column with at least two distinct values among recipients."""
    if by not in households.columns or "recipient" not in households.columns:
        return False
    values = households.loc[as_bool(households["recipient"], "recipient"), by].dropna()
    return values.nunique() >= 2


@dataclass(frozen=True)
class Power:
    """Power of the paired t test at the observed n and spread (alpha two-sided)."""

    n: int
    alpha: float
    power: float
    sd_abs_change: float  # Rupiah a month
    sd_log_change: float
    mde_abs_change: float  # minimum detectable mean change, Rupiah a month
    mde_pct_change: float  # minimum detectable change, percent (from the log scale)
    target_pct: float  # the change to detect, percent
    n_for_target: int  # households needed to detect target_pct with the given power
    prices: str = "nominal"  # the Rupiah of the changes ("real Rupiah of YYYY" or "nominal")

    def to_dict(self) -> dict:
        return {k: plain(v) for k, v in asdict(self).items()}


def power_analysis(
    households: pd.DataFrame,
    *,
    target_pct: float = 10.0,
    alpha: float = 0.05,
    power: float = 0.8,
    before: str = "income_before",
    after: str = "income_after",
    prices: str = "nominal",
) -> Power:
    """Minimum detectable change at the observed n and variance; n for ``power`` to detect ``target_pct``.

    Uses statsmodels' TTestPower (one-sample t on the paired changes); the percent change is
    taken on the log scale (a 10 % change is log(1.10) against the sd of log changes).
    """
    from statsmodels.stats.power import TTestPower

    changes = household_changes(households, before=before, after=after)
    require_estimable(changes, households)
    n = len(changes)
    sd_abs = float(changes["abs_change"].std(ddof=1))
    sd_log = float(changes["log_change"].std(ddof=1))
    analysis = TTestPower()
    effect = float(analysis.solve_power(effect_size=None, nobs=n, alpha=alpha, power=power))
    mde_pct = (math.exp(effect * sd_log) - 1) * 100 if sd_log > 0 else 0.0
    if sd_log > 0:
        target_effect = math.log(1 + target_pct / 100) / sd_log
        needed = float(
            analysis.solve_power(effect_size=target_effect, nobs=None, alpha=alpha, power=power)
        )
        n_needed = max(2, math.ceil(needed - 1e-9))
    else:
        n_needed = 2
    return Power(
        n,
        alpha,
        power,
        sd_abs,
        sd_log,
        effect * sd_abs,
        mde_pct,
        float(target_pct),
        int(n_needed),
        prices,
    )


def primary_power(
    households: pd.DataFrame, real: pd.DataFrame | None = None, *, target_pct: float = 10.0
) -> Power:
    """:func:`power_analysis` of the primary test: on real changes where ``real`` (the deflated
    frame of :func:`analysis.methods.income.prices.real_terms`) is given, else nominal."""
    frame, before, after, prices = primary_columns(households, real)
    return power_analysis(frame, target_pct=target_pct, before=before, after=after, prices=prices)


def groups_of(households: pd.DataFrame, columns=GROUP_COLUMNS) -> dict[str, pd.DataFrame]:
    """:func:`change_by_group` for each of ``columns`` with at least two groups, by column."""
    return {c: change_by_group(households, c) for c in columns if has_groups(households, c)}
