"""Households of one neighbourhood share shocks: the mean change with cluster-robust errors.

- :func:`with_cluster_labels`: the rows whose cluster (neighbourhood, RW) is recorded.
- :func:`has_clusters`, :func:`cluster_robust_change` -> :class:`ClusterRobust` (OLS on a
  constant, errors clustered by ``cluster``, t with G - 1 degrees of freedom), and
  :func:`optional_cluster_change` for a chapter that shows it only when there are clusters, on
  the incomes of the primary test (real where they were deflated).

When every cluster's mean change is the overall mean, the clustered standard error is zero up
to rounding (1e-14, not a figure): ``se``, the interval and ``p`` are then None
(:attr:`ClusterRobust.degenerate`), never recorded as numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.methods.income.change import household_changes
from analysis.methods.income.checks import (
    IncomeDataError,
    plain,
    require_columns,
    require_estimable,
)
from analysis.methods.income.prices import primary_columns

#: Below this many clusters the cluster-robust standard error is itself imprecise.
FEW_CLUSTERS_FOR_ROBUST = 30
#: A standard error below this share of the outcome's spread is zero up to rounding: degenerate.
DEGENERATE_SE = 1e-8


def degenerate_se(se: float, values: np.ndarray) -> bool:
    """True when ``se`` is zero up to rounding, relative to the spread of ``values``."""
    spread = float(np.std(values))
    return not se > DEGENERATE_SE * (spread if spread > 0 else 1.0)


@dataclass(frozen=True)
class ClusterRobust:
    """Mean change with cluster-robust standard error (OLS on a constant, t with G - 1 df).

    ``se``, ``ci95_low``, ``ci95_high`` and ``p`` are None when the standard error is
    degenerate (every cluster's mean change the same: zero up to rounding).
    """

    outcome: str  # abs_change (Rupiah a month) or log_change
    n: int
    n_clusters: int
    estimate: float
    se: float | None
    ci95_low: float | None
    ci95_high: float | None
    p: float | None
    df: int
    prices: str = "nominal"  # or "real Rupiah of YYYY"

    @property
    def degenerate(self) -> bool:
        return self.se is None

    def to_dict(self) -> dict:
        return {k: plain(v) for k, v in asdict(self).items()}


def cluster_robust_change(
    households: pd.DataFrame,
    *,
    outcome: str = "abs_change",
    before: str = "income_before",
    after: str = "income_after",
    prices: str = "nominal",
) -> ClusterRobust:
    """Mean change of recipients with standard errors clustered by ``cluster`` (statsmodels OLS, use_t).

    ``prices`` names the Rupiah of ``before`` and ``after`` (a code, as
    :func:`analysis.methods.income.prices.primary_columns` gives it).
    """
    import statsmodels.api as sm

    require_columns(households, ["cluster"])
    changes = household_changes(households, before=before, after=after)
    changes = with_cluster_labels(changes)
    require_estimable(changes, households)
    groups, labels = pd.factorize(changes["cluster"])
    if labels.size < 2:
        raise IncomeDataError(
            f"cluster-robust errors need at least 2 clusters; the recipients are all in '{labels[0]}'"
        )
    y = changes[outcome].to_numpy(dtype=float)
    fit = sm.OLS(y, np.ones((y.size, 1))).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    low, high = fit.conf_int(0.05)[0]
    degenerate = degenerate_se(float(fit.bse[0]), y)
    return ClusterRobust(
        outcome,
        int(y.size),
        int(labels.size),
        float(fit.params[0]),
        None if degenerate else float(fit.bse[0]),
        None if degenerate else float(low),
        None if degenerate else float(high),
        None if degenerate else float(fit.pvalues[0]),
        int(labels.size - 1),
        prices,
    )


def with_cluster_labels(changes: pd.DataFrame) -> pd.DataFrame:
    """Rows whose cluster is recorded, as text; ``attrs["n_missing_cluster"]`` counts the others.

    A missing label is not a cluster called "nan": those households are left out of any
    clustered analysis (and counted), not pooled into a cluster of their own.
    """
    label = changes["cluster"].astype("string").str.strip()
    known = label.notna() & (label != "") & (label.str.lower() != "nan")
    out = changes.loc[known.to_numpy()].copy(deep=False)
    out["cluster"] = label[known].astype(str).to_numpy()
    out.attrs = {**changes.attrs, "n_missing_cluster": int((~known).sum())}
    return out


def has_clusters(households: pd.DataFrame) -> bool:
    """True when recipients with both incomes come from at least two clusters."""
    if "cluster" not in households.columns:
        return False
    changes = household_changes(households)
    return with_cluster_labels(changes)["cluster"].nunique() >= 2


def optional_cluster_change(
    households: pd.DataFrame, real: pd.DataFrame | None = None
) -> ClusterRobust | None:
    """:func:`cluster_robust_change` when the recipients come from two clusters or more, else None.

    On the incomes of the primary test: ``real`` (the deflated frame of
    :func:`analysis.methods.income.prices.real_terms`) where there is one, else nominal.
    """
    if not has_clusters(households):
        return None
    frame, before, after, prices = primary_columns(households, real)
    return cluster_robust_change(frame, before=before, after=after, prices=prices)


def cluster_facts(clustered: ClusterRobust | None) -> dict:
    """What results.json records of the clustered change (``cluster_``-prefixed); none without."""
    return {} if clustered is None else {f"cluster_{k}": v for k, v in clustered.to_dict().items()}
