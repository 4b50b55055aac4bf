"""Income change of programme households, estimated honestly for a tiny sample.

Input: a ``households`` frame as :data:`analysis.data.contract.HOUSEHOLDS` declares it (one row a
household; ``income_before`` and ``income_after`` in Rupiah a month). Everything is computed on
recipient households with both incomes unless said otherwise. Percentages are 0-100.

- :func:`household_changes`: absolute (Rupiah a month), percent and log change per household.
- :func:`income_change` -> :class:`IncomeChange`: named estimators (mean of percent changes is
  not the percent change of the means), paired t interval, Wilcoxon signed-rank (exact where
  possible), sign-flip permutation test (exact enumeration for small n), BCa bootstrap.
- :func:`cluster_robust_change` -> :class:`ClusterRobust`: mean change with cluster-robust errors.
- :func:`difference_in_differences` -> :class:`DiffInDiff`: recipients against non-recipients.
- :func:`deflate`: real incomes from the national CPI inflation series.
- :func:`change_by_group`, :func:`power_analysis`, :func:`loan_return`, :func:`reproduction_check`.

Bad input raises :class:`IncomeDataError` with a message naming the problem and what was expected.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd
from scipy import stats

from analysis import formatting, i18n
from analysis.data.contract import label as reader_label
from analysis.i18n import N_, _

# --- published figures and literature benchmarks ------------------------------------------------
# The claims a study makes (income change, informants, uses of credit) come from the study
# registry (:attr:`analysis.data.registry.Study.all_claims`), never from this module.
DE_MEL_MONTHLY_RETURN = (
    4.6,
    5.3,
)  # de Mel, McKenzie & Woodruff (2008): real return, percent a month

# --- small-sample policy ------------------------------------------------------------------------
EXPLORATORY_BELOW_N = 20  # bootstrap intervals below this n are marked exploratory
EXACT_PERMUTATION_MAX_N = 16  # enumerate all 2**n sign flips up to here (65,536 at n = 16)
PERMUTATION_MAX_N = (
    10_000  # Monte-Carlo sign flips up to here; above, the t test is the large-n equivalent
)
PERMUTATION_WORK = (
    10_000_000  # Monte-Carlo resamples are capped so that n x resamples stays below this
)
EXACT_WILCOXON_MAX_N = 50  # exact null distribution of the signed ranks (ties allowed) up to here
HODGES_LEHMANN_MAX_N = 2_000  # n(n+1)/2 Walsh averages: 2 million at this n; above, not computed
BOOTSTRAP_MIN_N = 5  # below this n the BCa interval is not run (at n = 2 it returns the data range)
BOOTSTRAP_MAX_N = 2_000  # the BCa jackknife is O(n^2); above this n the bootstrap is not run
PRIMARY_TEST = N_("paired t test of the mean change (nominal Rupiah a month)")
PRIMARY_ROLE = N_("primary")
ROBUSTNESS_NOTE = N_("robustness check")
INCOME_COLUMNS = ("income_before", "income_after", "year_before", "year_after")


class IncomeDataError(ValueError):
    """The household or price data cannot support the income analysis; the message says why."""


class CpiYearMissingError(IncomeDataError):
    """The price series lacks a year that the household data need."""


# --------------------------------------------------------------------------- per household
def household_changes(
    households: pd.DataFrame,
    *,
    recipients_only: bool = True,
    before: str = "income_before",
    after: str = "income_after",
) -> pd.DataFrame:
    """Households with both incomes, plus ``abs_change`` (Rupiah a month), ``pct_change`` (0-100) and ``log_change``.

    Rows missing an income are dropped (their count is in ``attrs["n_missing_income"]``).
    Raises :class:`IncomeDataError` for missing columns, non-positive incomes or a year_after
    earlier than year_before.
    """
    needed = [before, after, "year_before", "year_after"] + (
        ["recipient"] if recipients_only else []
    )
    _require_columns(households, needed)
    _check_years(households)
    selected = (
        _as_bool(households["recipient"], "recipient").to_numpy()
        if recipients_only
        else np.ones(len(households), bool)
    )
    b = pd.to_numeric(households[before], errors="coerce").to_numpy(dtype=float)
    a = pd.to_numeric(households[after], errors="coerce").to_numpy(dtype=float)
    both = ~(np.isnan(b) | np.isnan(a))
    bad = selected & both & ((b <= 0) | (a <= 0))
    if bad.any():
        raise IncomeDataError(
            f"income must be a positive amount of Rupiah a month; {int(bad.sum())} household(s) have zero "
            f"or negative income: {_ids(households, bad)}"
        )
    keep = selected & both
    # Shallow: the new columns below are the copy's own; the caller's frame is never modified.
    out = (households if keep.all() else households.loc[keep]).copy(deep=False)
    b, a = b[keep], a[keep]
    out["abs_change"] = a - b
    out["pct_change"] = (a / b - 1.0) * 100.0
    out["log_change"] = np.log(a) - np.log(b)
    out.attrs = {
        "n_missing_income": int((selected & ~both).sum()),
        "before": before,
        "after": after,
    }
    return out


# --------------------------------------------------------------------------- main estimate
@dataclass(frozen=True)
class IncomeChange:
    """Before/after income change of recipient households (Rupiah a month; percent 0-100).

    ``mean_pct_change`` is the mean of per-household percent changes; ``pct_change_of_means`` is
    (mean after / mean before - 1) x 100: they differ whenever poorer households grow faster or
    slower in percent. ``geo_mean_ratio`` is exp(mean log change) with a t interval on the log scale.
    """

    prices: str  # "nominal" or "real, YYYY prices"
    n: int
    n_missing_income: int
    mean_before: float
    mean_after: float
    mean_abs_change: float
    median_abs_change: float
    sd_abs_change: float
    mean_pct_change: float
    median_pct_change: float
    pct_change_of_means: float
    geo_mean_ratio: float
    geo_ci95_low: float
    geo_ci95_high: float
    t_ci95_low: float | None  # None when every change is the same (no spread: no t interval)
    t_ci95_high: float | None
    t_p: float | None
    pct_t_ci95_low: float | None  # paired t 95 % CI of the mean of percent changes
    pct_t_ci95_high: float | None
    hodges_lehmann: float | None  # median of the Walsh averages (None above 2,000 households)
    hodges_lehmann_ci95_low: (
        float | None
    )  # exact CI from the Walsh averages (signed-rank quantiles)
    hodges_lehmann_ci95_high: float | None
    hodges_lehmann_confidence: (
        float | None
    )  # the interval's exact coverage (>= 0.95 where attainable)
    wilcoxon_statistic: float
    wilcoxon_p: float
    wilcoxon_method: str
    wilcoxon_min_p: float
    permutation_p: float | None
    permutation_method: str
    permutation_resamples: int | None
    bootstrap_ci95_low: float | None
    bootstrap_ci95_high: float | None
    bootstrap_resamples: int | None
    bootstrap_method: str
    exploratory: bool  # n below EXPLORATORY_BELOW_N: the bootstrap interval is exploratory

    def to_dict(self) -> dict:
        """Plain Python values by field name (for results.json)."""
        return {k: _plain(v) for k, v in asdict(self).items()}

    def to_frame(self) -> pd.DataFrame:
        """One row a statistic: statistic, value, unit."""
        units = _UNITS
        return pd.DataFrame(
            [(f.name, _plain(getattr(self, f.name)), units.get(f.name, "")) for f in fields(self)],
            columns=["statistic", "value", "unit"],
        )

    def summary(self) -> str:
        """A few lines for people."""
        lines = [
            f"Income change of {self.n} recipient households, Rupiah a month ({self.prices})",
            f"  mean before {self.mean_before:,.0f}, mean after {self.mean_after:,.0f}",
            f"  mean change {self.mean_abs_change:,.0f} (paired t 95 % CI {_fmt(self.t_ci95_low, ',.0f')} to "
            f"{_fmt(self.t_ci95_high, ',.0f')}), median change {self.median_abs_change:,.0f}",
            f"  Hodges-Lehmann median change {_fmt(self.hodges_lehmann, ',.0f')} (CI "
            f"{_fmt(self.hodges_lehmann_ci95_low, ',.0f')} to {_fmt(self.hodges_lehmann_ci95_high, ',.0f')})",
            f"  mean of percent changes {self.mean_pct_change:.1f} %; percent change of the means {self.pct_change_of_means:.1f} %",
            f"  geometric mean ratio {self.geo_mean_ratio:.3f} (95 % CI {self.geo_ci95_low:.3f} to {self.geo_ci95_high:.3f})",
            f"  Wilcoxon signed-rank {_p_clause(self.wilcoxon_p)} ({self.wilcoxon_method}; smallest attainable {_p(self.wilcoxon_min_p)})",
            f"  sign-flip permutation {_p_clause(self.permutation_p)} ({self.permutation_method})",
            f"  BCa bootstrap 95 % CI {_fmt(self.bootstrap_ci95_low, ',.0f')} to {_fmt(self.bootstrap_ci95_high, ',.0f')}"
            f" ({self.bootstrap_method}{', exploratory' if self.exploratory else ''})",
        ]
        return "\n".join(lines)


_UNITS = {
    "mean_before": "Rupiah a month",
    "mean_after": "Rupiah a month",
    "mean_abs_change": "Rupiah a month",
    "median_abs_change": "Rupiah a month",
    "sd_abs_change": "Rupiah a month",
    "mean_pct_change": "percent",
    "median_pct_change": "percent",
    "pct_change_of_means": "percent",
    "geo_mean_ratio": "ratio",
    "geo_ci95_low": "ratio",
    "geo_ci95_high": "ratio",
    "t_ci95_low": "Rupiah a month",
    "t_ci95_high": "Rupiah a month",
    "pct_t_ci95_low": "percent",
    "pct_t_ci95_high": "percent",
    "hodges_lehmann": "Rupiah a month",
    "hodges_lehmann_ci95_low": "Rupiah a month",
    "hodges_lehmann_ci95_high": "Rupiah a month",
    "hodges_lehmann_confidence": "probability",
    "bootstrap_ci95_low": "Rupiah a month",
    "bootstrap_ci95_high": "Rupiah a month",
    "n": "households",
    "n_missing_income": "households",
}


def income_change(
    households: pd.DataFrame,
    *,
    before: str = "income_before",
    after: str = "income_after",
    prices: str = "nominal",
    seed: int = 0,
    bootstrap_resamples: int = 9999,
    permutation_resamples: int = 9999,
) -> IncomeChange:
    """Estimate the income change of recipient households with both incomes.

    ``seed`` drives the BCa bootstrap and, above :data:`EXACT_PERMUTATION_MAX_N` households, the
    Monte-Carlo permutation test (exact enumeration of all 2^n sign flips below). The bootstrap
    is skipped when ``bootstrap_resamples`` is 0 or n exceeds :data:`BOOTSTRAP_MAX_N`.
    """
    changes = household_changes(households, before=before, after=after)
    _require_estimable(changes, households)
    b = changes[before].to_numpy(dtype=float)
    a = changes[after].to_numpy(dtype=float)
    d = a - b
    logd = changes["log_change"].to_numpy()
    n = d.size
    t_low, t_high, t_p = _t_interval(d)
    pct_low, pct_high, _unused = _t_interval(changes["pct_change"].to_numpy())
    g_low, g_high, _unused = _t_interval(logd) if np.std(logd) > 0 else (logd[0], logd[0], 0.0)
    hl, hl_low, hl_high, hl_conf = hodges_lehmann(d)
    w_stat, w_p, w_method, w_min = _wilcoxon(d)
    perm_p, perm_method, perm_r = _sign_flip(d, seed, permutation_resamples)
    boot_low, boot_high, boot_r, boot_method = _bootstrap(d, seed, bootstrap_resamples)
    return IncomeChange(
        prices=prices,
        n=n,
        n_missing_income=changes.attrs["n_missing_income"],
        mean_before=float(b.mean()),
        mean_after=float(a.mean()),
        mean_abs_change=float(d.mean()),
        median_abs_change=float(np.median(d)),
        sd_abs_change=float(d.std(ddof=1)),
        mean_pct_change=float(changes["pct_change"].mean()),
        median_pct_change=float(changes["pct_change"].median()),
        pct_change_of_means=float((a.mean() / b.mean() - 1.0) * 100.0),
        geo_mean_ratio=float(np.exp(logd.mean())),
        geo_ci95_low=float(np.exp(g_low)),
        geo_ci95_high=float(np.exp(g_high)),
        t_ci95_low=t_low,
        t_ci95_high=t_high,
        t_p=t_p,
        pct_t_ci95_low=pct_low,
        pct_t_ci95_high=pct_high,
        hodges_lehmann=hl,
        hodges_lehmann_ci95_low=hl_low,
        hodges_lehmann_ci95_high=hl_high,
        hodges_lehmann_confidence=hl_conf,
        wilcoxon_statistic=w_stat,
        wilcoxon_p=w_p,
        wilcoxon_method=w_method,
        wilcoxon_min_p=w_min,
        permutation_p=perm_p,
        permutation_method=perm_method,
        permutation_resamples=perm_r,
        bootstrap_ci95_low=boot_low,
        bootstrap_ci95_high=boot_high,
        bootstrap_resamples=boot_r,
        bootstrap_method=boot_method,
        exploratory=n < EXPLORATORY_BELOW_N,
    )


def _t_interval(values: np.ndarray) -> tuple[float | None, float | None, float | None]:
    """Paired (one-sample on differences) t interval at 95 % and two-sided p against zero.

    (None, None, None) when every value is the same: with no spread there is no t interval.
    """
    if np.all(values == values[0]):
        return None, None, None
    result = stats.ttest_1samp(values, 0.0)
    ci = result.confidence_interval(0.95)
    return float(ci.low), float(ci.high), float(result.pvalue)


def signed_rank_null(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact null distribution of W+ (sum of the ranks with a positive sign) for the given ranks.

    Under the null each change is equally likely positive or negative, independently, so W+ is a
    sum of independent two-point variables {0, r_i}; its distribution is the convolution of
    those, computed by the shift algorithm of Streitberg and Roehmel (1986), which handles tied
    (mid-)ranks exactly. Mid-ranks are multiples of 1/2, so the support is on a half-integer
    grid. Returns (support values, probabilities).
    """
    doubled = np.rint(2 * np.asarray(ranks, dtype=float)).astype(int)
    counts = np.zeros(int(doubled.sum()) + 1)
    counts[0] = 1.0
    for r in doubled:  # multiply the generating function by (1 + x^r) / 2
        shifted = np.zeros_like(counts)
        shifted[r:] = counts[: counts.size - r]
        counts = (counts + shifted) / 2
    support = np.arange(counts.size) / 2
    keep = counts > 0
    return support[keep], counts[keep]


def _wilcoxon(d: np.ndarray) -> tuple[float, float, str, float]:
    """Two-sided Wilcoxon signed-rank: exact null distribution up to :data:`EXACT_WILCOXON_MAX_N`.

    No ties and no zero changes: scipy's exact distribution. Ties (mid-ranks) or zeros: the exact
    permutation distribution of the signed ranks, all 2^n sign patterns, by the shift algorithm
    (:func:`signed_rank_null`); two-sided p = 2 x the smaller tail, as scipy's permutation
    version gives. Above n = 50 non-zero changes, the normal approximation with tie correction.
    Zero changes are dropped (Wilcoxon's convention). Smallest attainable p: 2 / 2^n (n non-zero).
    """
    nonzero = d[d != 0]
    m = nonzero.size
    ties = np.unique(np.abs(nonzero)).size < m
    zeros = m < d.size
    min_p = float(min(1.0, 2.0 ** (1 - m)))  # underflows to 0.0 for very large n
    if m > EXACT_WILCOXON_MAX_N:
        result = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided", method="approx")
        label = _("normal approximation with tie correction")
        return float(result.statistic), float(result.pvalue), label, min_p
    if not ties and not zeros and np.ptp(nonzero) > 0:
        result = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided", method="exact")
        return float(result.statistic), float(result.pvalue), _("exact"), min_p
    ranks = stats.rankdata(np.abs(nonzero))
    w_plus = float(ranks[nonzero > 0].sum())
    support, prob = signed_rank_null(ranks)
    tol = 1e-9
    lower, upper = prob[support <= w_plus + tol].sum(), prob[support >= w_plus - tol].sum()
    p = float(min(1.0, 2 * min(lower, upper)))
    if ties and zeros:
        label = _(
            "exact permutation distribution of the signed ranks (shift algorithm, ties and zeros "
            "dropped)"
        )
    elif ties:
        label = _("exact permutation distribution of the signed ranks (shift algorithm, ties)")
    else:
        label = _(
            "exact permutation distribution of the signed ranks (shift algorithm, zeros dropped)"
        )
    statistic = float(min(w_plus, ranks.sum() - w_plus))
    return statistic, p, label, min_p


def hodges_lehmann(d: np.ndarray, confidence: float = 0.95):
    """Hodges-Lehmann estimate of the median change and its exact CI from the Walsh averages.

    The estimate is the median of the n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j. The
    interval is [W_(k), W_(N+1-k)] with k the smallest integer whose signed-rank null
    probability P(W+ <= k) reaches (1 - confidence) / 2 (Bauer 1972; R's ``wilcox.test(conf.int =
    TRUE)`` uses the same rule), from the exact distribution without ties. Returns (estimate,
    low, high, achieved confidence); the interval is None when n is too small for any k
    (n < 6 at 95 %). Above 50 households the quantile comes from the normal approximation
    (achieved confidence None); above :data:`HODGES_LEHMANN_MAX_N` nothing is computed.
    """
    d = np.asarray(d, dtype=float)
    n = d.size
    if n > HODGES_LEHMANN_MAX_N:
        return None, None, None, None
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    estimate = float(np.median(walsh))
    alpha = (1 - confidence) / 2
    if n > EXACT_WILCOXON_MAX_N:  # normal approximation of the signed-rank quantile
        total = n * (n + 1) / 2
        sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        k = max(1, int(math.floor(total / 2 - stats.norm.ppf(1 - alpha) * sd)))
        return estimate, float(walsh[k - 1]), float(walsh[walsh.size - k]), None
    support, prob = signed_rank_null(np.arange(1, n + 1))
    cdf = np.cumsum(prob)
    k = int(support[np.searchsorted(cdf, alpha - 1e-12)])  # R's qsignrank(alpha, n)
    if k == 0:  # even "all positive" is not rare enough: no interval at this level
        return estimate, None, None, None
    achieved = float(1 - 2 * cdf[k - 1])  # 1 - 2 P(W+ <= k - 1)
    return estimate, float(walsh[k - 1]), float(walsh[walsh.size - k]), achieved


def _sign_flip(d: np.ndarray, seed: int, resamples: int) -> tuple[float | None, str, int | None]:
    """Sign-flip permutation test of a zero mean change (scipy.stats.permutation_test, paired)."""
    n = d.size
    if n > PERMUTATION_MAX_N:
        return (
            None,
            _(
                "not computed (n > {max_n}: the paired t test is its large-sample equivalent)"
            ).format(max_n=formatting.integer(PERMUTATION_MAX_N)),
            None,
        )
    exact = n <= EXACT_PERMUTATION_MAX_N
    r = 2**n if exact else int(max(999, min(resamples, PERMUTATION_WORK // n)))
    result = stats.permutation_test(
        (d,),
        _mean_statistic,
        permutation_type="samples",
        vectorized=True,
        n_resamples=np.inf if exact else r,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
        batch=None if r * n <= 5_000_000 else max(1, 5_000_000 // n),
    )
    label = (
        _("exact: all {flips} sign flips").format(flips=formatting.integer(2**n))
        if exact
        else _("Monte Carlo: {flips} random sign flips, seeded").format(flips=formatting.integer(r))
    )
    return float(result.pvalue), label, r


def _mean_statistic(x, axis):
    return np.mean(x, axis=axis)


def _bootstrap(d: np.ndarray, seed: int, resamples: int):
    """Seeded BCa bootstrap interval of the mean change (None when not run)."""
    n = d.size
    if resamples <= 0:
        return None, None, None, _("not run (0 resamples requested)")
    if n < BOOTSTRAP_MIN_N:
        return (
            None,
            None,
            None,
            _(
                "not run (n < {min_n}: a bootstrap of so few households gives back about their "
                "range)"
            ).format(min_n=formatting.integer(BOOTSTRAP_MIN_N)),
        )
    if np.all(d == d[0]):
        return None, None, None, _("not run (every change is the same: nothing to resample)")
    if n > BOOTSTRAP_MAX_N:
        return (
            None,
            None,
            None,
            _("not run (n > {max_n}; the t interval suffices at this n)").format(
                max_n=formatting.integer(BOOTSTRAP_MAX_N)
            ),
        )
    result = stats.bootstrap(
        (d,),
        _mean_statistic,
        vectorized=True,
        n_resamples=resamples,
        method="BCa",
        confidence_level=0.95,
        rng=np.random.default_rng(seed),
    )
    ci = result.confidence_interval
    return (
        float(ci.low),
        float(ci.high),
        int(resamples),
        _("BCa, {resamples} resamples, seed {seed}").format(
            resamples=formatting.integer(resamples), seed=seed
        ),
    )


# --------------------------------------------------------------------------- clusters
@dataclass(frozen=True)
class ClusterRobust:
    """Mean change with cluster-robust standard error (OLS on a constant, t with G - 1 df)."""

    outcome: str  # abs_change (Rupiah a month) or log_change
    n: int
    n_clusters: int
    estimate: float
    se: float
    ci95_low: float
    ci95_high: float
    p: float
    df: int

    def to_dict(self) -> dict:
        return {k: _plain(v) for k, v in asdict(self).items()}

    def summary(self) -> str:
        return (
            f"Mean {self.outcome} {self.estimate:,.4g}, cluster-robust SE {self.se:,.4g} "
            f"({self.n_clusters} clusters, t with {self.df} df): 95 % CI {self.ci95_low:,.4g} to {self.ci95_high:,.4g}"
        )


def cluster_robust_change(
    households: pd.DataFrame,
    *,
    outcome: str = "abs_change",
    before: str = "income_before",
    after: str = "income_after",
) -> ClusterRobust:
    """Mean change of recipients with standard errors clustered by ``cluster`` (statsmodels OLS, use_t)."""
    import statsmodels.api as sm

    _require_columns(households, ["cluster"])
    changes = household_changes(households, before=before, after=after)
    changes = _with_cluster_labels(changes)
    _require_estimable(changes, households)
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
    return ClusterRobust(
        outcome,
        int(y.size),
        int(labels.size),
        float(fit.params[0]),
        float(fit.bse[0]),
        float(low),
        float(high),
        float(fit.pvalues[0]),
        int(labels.size - 1),
    )


# --------------------------------------------------------------------------- comparison group
def has_comparison_group(households: pd.DataFrame, minimum: int = 2) -> bool:
    """True when at least ``minimum`` non-recipient households have both incomes."""
    if "recipient" not in households.columns:
        return False
    others = households[~_as_bool(households["recipient"], "recipient")]
    both = others["income_before"].notna() & others["income_after"].notna()
    return int(both.sum()) >= minimum


#: Below this many treated or comparison clusters, cluster-robust p-values over-reject (with the
#: programme constant within clusters, 2 + 2 clusters reject a true null about 11 % of the time at
#: 5 %, 1 + 1 always): the p-value then comes from randomization inference over cluster assignments.
FEW_CLUSTERS = 10
RANDOMIZATION_MAX_EXACT = 20_000  # enumerate every assignment up to this many, else sample
RANDOMIZATION_RESAMPLES = 9_999

ONE_TREATED_CLUSTER_REASON = N_(
    "no p-value: all recipients live in one cluster, so the programme cannot be told apart from "
    "anything else that happened to that one neighbourhood (a market, a road, a flood); "
    "cluster-robust errors have no between-cluster variation to estimate from (they give absurdly "
    "small p-values), and randomization over which cluster was treated has only as many "
    "assignments as clusters, none of them a real replication"
)


@dataclass(frozen=True)
class DiffInDiff:
    """Difference-in-differences on log income (recipient x period), with few-clusters inference.

    ``did_log`` is the coefficient on recipient x after; ``did_pct`` is (exp(did_log) - 1) x 100.
    Valid only if, without the programme, recipients' incomes would have grown like the others'
    (parallel trends), which two periods cannot test.

    ``inference`` says where ``p`` comes from: ``cluster-robust`` (statsmodels, t with G - 1 df;
    only with at least :data:`FEW_CLUSTERS` treated and comparison clusters),
    ``randomization (clusters)`` (the programme constant within clusters: every assignment of
    the treated clusters, or a seeded sample), ``randomization (within clusters)`` (recipients
    and others share clusters: labels permuted within each cluster), or ``none`` (one treated
    cluster, or no assignment to compare with: ``p`` is None and ``no_p_reason`` says why). The
    cluster-robust interval is kept for reference; with few clusters it is too narrow and is
    labelled so. With a single treated cluster it is degenerate and is None, like ``se``
    and ``cluster_robust_p``.
    """

    n_recipients: int
    n_comparison: int
    n_clusters: int
    n_treated_clusters: int  # clusters holding at least one recipient
    n_comparison_clusters: int  # clusters holding at least one non-recipient
    n_mixed_clusters: int  # clusters holding both
    n_missing_cluster: int  # households left out because their cluster is not recorded
    recipient_log_change: float
    comparison_log_change: float
    did_log: float
    se: float | None  # None (with the interval and the robust p) with one treated cluster
    ci95_low: float | None
    ci95_high: float | None
    cluster_robust_p: float | None
    p: float | None
    inference: str
    randomization_assignments: int | None
    randomization_exact: bool | None
    no_p_reason: str | None
    did_pct: float
    did_pct_ci95_low: float | None
    did_pct_ci95_high: float | None

    @property
    def few_clusters(self) -> bool:
        return min(self.n_treated_clusters, self.n_comparison_clusters) < FEW_CLUSTERS

    def to_dict(self) -> dict:
        values = {k: _plain(v) for k, v in asdict(self).items()}
        values["few_clusters"] = self.few_clusters
        return values

    def summary(self) -> str:
        p = "no p-value" if self.p is None else f"{_p_clause(self.p)} ({self.inference})"
        return (
            f"Difference-in-differences ({self.n_recipients} recipients, {self.n_comparison} comparison; "
            f"{self.n_treated_clusters} treated and {self.n_comparison_clusters} comparison clusters): "
            f"{self.did_pct:.1f} %, {p}"
        )


def _with_cluster_labels(changes: pd.DataFrame) -> pd.DataFrame:
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


def _did_estimate(logd: np.ndarray, treated: np.ndarray) -> float:
    """The DiD coefficient of the two-period panel: mean log change of recipients minus others'."""
    return float(logd[treated].mean() - logd[~treated].mean())


def difference_in_differences(
    households: pd.DataFrame,
    *,
    before: str = "income_before",
    after: str = "income_after",
    seed: int = 0,
    resamples: int = RANDOMIZATION_RESAMPLES,
) -> DiffInDiff:
    """OLS of log income on recipient, after and recipient x after, with few-clusters inference.

    Counts treated and comparison clusters. With at least :data:`FEW_CLUSTERS` of each, the
    p-value is cluster-robust (statsmodels, ``cov_type="cluster"``, t with G - 1 df). With fewer,
    it comes from randomization inference (Fisher's sharp null of no effect on anyone): when the
    programme is constant within clusters, over every assignment of the same number of treated
    clusters (exact enumeration up to :data:`RANDOMIZATION_MAX_EXACT` assignments, else a seeded
    sample of ``resamples``); when recipients and others share clusters, by permuting the
    recipient labels within clusters. With one treated cluster (programme constant within
    clusters) no p-value is given (:data:`ONE_TREATED_CLUSTER_REASON`).
    """
    import statsmodels.api as sm

    _require_columns(households, ["cluster", "recipient"])
    changes = household_changes(households, recipients_only=False, before=before, after=after)
    changes = _with_cluster_labels(changes)
    treated = _as_bool(changes["recipient"], "recipient").to_numpy()
    n_t, n_c = int(treated.sum()), int((~treated).sum())
    if n_t < 2 or n_c < 2:
        raise IncomeDataError(
            f"difference-in-differences needs at least 2 recipient and 2 non-recipient households with both "
            f"incomes and a recorded cluster; found {n_t} recipient(s) and {n_c} non-recipient(s)"
        )
    groups, labels = pd.factorize(changes["cluster"])
    if labels.size < 2:
        raise IncomeDataError(
            "difference-in-differences with clustered errors needs at least 2 clusters"
        )
    share = pd.Series(treated).groupby(groups).mean().to_numpy()
    n_treated_cl = int((share > 0).sum())
    n_comparison_cl = int((share < 1).sum())
    n_mixed = int(((share > 0) & (share < 1)).sum())
    m = treated.size
    y = np.concatenate(
        [
            np.log(changes[before].to_numpy(dtype=float)),
            np.log(changes[after].to_numpy(dtype=float)),
        ]
    )
    rec = np.concatenate([treated, treated]).astype(float)
    post = np.repeat([0.0, 1.0], m)
    X = np.column_stack([np.ones(2 * m), rec, post, rec * post])
    fit = sm.OLS(y, X).fit(
        cov_type="cluster", cov_kwds={"groups": np.concatenate([groups, groups])}, use_t=True
    )
    low, high = fit.conf_int(0.05)[3]
    logd = changes["log_change"].to_numpy()
    est = float(fit.params[3])
    robust_p = float(fit.pvalues[3])
    assignments, exact, reason = None, None, None
    if min(n_treated_cl, n_comparison_cl) >= FEW_CLUSTERS:
        p, inference = robust_p, "cluster-robust"
    elif n_mixed == 0 and n_treated_cl == 1:
        p, inference, reason = None, "none", _(ONE_TREATED_CLUSTER_REASON)
    elif n_mixed == 0:
        p, assignments, exact = _randomization_over_clusters(
            logd, groups, share > 0, seed=seed, resamples=resamples
        )
        inference = "randomization (clusters)"
    else:
        p, assignments, exact = _randomization_within_clusters(
            logd, groups, treated, seed=seed, resamples=resamples
        )
        inference = "randomization (within clusters)"
        if assignments <= 1:
            p, inference, reason = None, "none", _("no p-value: no other assignment of the labels")
    # With one treated cluster (and none shared), the cluster-robust variance has no
    # between-cluster variation to estimate the effect's from: its SE, p and interval are
    # artefacts (SE ~1e-14), not figures, and are not reported.
    degenerate = n_mixed == 0 and n_treated_cl == 1
    return DiffInDiff(
        n_recipients=n_t,
        n_comparison=n_c,
        n_clusters=int(labels.size),
        n_treated_clusters=n_treated_cl,
        n_comparison_clusters=n_comparison_cl,
        n_mixed_clusters=n_mixed,
        n_missing_cluster=int(changes.attrs.get("n_missing_cluster", 0)),
        recipient_log_change=float(logd[treated].mean()),
        comparison_log_change=float(logd[~treated].mean()),
        did_log=est,
        se=None if degenerate else float(fit.bse[3]),
        ci95_low=None if degenerate else float(low),
        ci95_high=None if degenerate else float(high),
        cluster_robust_p=None if degenerate else robust_p,
        p=p,
        inference=inference,
        randomization_assignments=assignments,
        randomization_exact=exact,
        no_p_reason=reason,
        did_pct=(math.exp(est) - 1) * 100,
        did_pct_ci95_low=None if degenerate else (math.exp(low) - 1) * 100,
        did_pct_ci95_high=None if degenerate else (math.exp(high) - 1) * 100,
    )


def _two_sided_p(observed: float, null: np.ndarray) -> float:
    """Share of assignments whose |estimate| is at least the observed one (the observed included)."""
    tol = 1e-12 * max(1.0, abs(observed))
    return float(np.mean(np.abs(null) >= abs(observed) - tol))


def _randomization_over_clusters(logd, groups, cluster_treated, *, seed, resamples):
    """p of the DiD over assignments of the same number of treated clusters (exact or sampled)."""
    from itertools import combinations

    n_groups, n_treated = cluster_treated.size, int(cluster_treated.sum())
    observed = _did_estimate(logd, cluster_treated[groups])
    total = math.comb(n_groups, n_treated)
    if total <= RANDOMIZATION_MAX_EXACT:
        draws = []
        for chosen in combinations(range(n_groups), n_treated):
            mask = np.zeros(n_groups, bool)
            mask[list(chosen)] = True
            draws.append(mask)
        exact = True
    else:
        rng = np.random.default_rng(seed)
        draws = [cluster_treated] + [rng.permutation(cluster_treated) for _draw in range(resamples)]
        exact = False
    null = np.array([_did_estimate(logd, mask[groups]) for mask in draws])
    return _two_sided_p(observed, null), int(total if exact else len(draws)), exact


def _randomization_within_clusters(logd, groups, treated, *, seed, resamples):
    """p of the DiD permuting recipient labels within clusters (seeded sample)."""
    observed = _did_estimate(logd, treated)
    sizes = np.bincount(groups)
    counts = np.bincount(groups, weights=treated.astype(float)).astype(int)
    total = math.prod(math.comb(int(s), int(c)) for s, c in zip(sizes, counts))
    if total <= 1:
        return None, total, True
    rng = np.random.default_rng(seed)
    order = np.argsort(groups, kind="stable")
    null = [observed]
    for _draw in range(resamples):
        shuffled = treated.copy()
        for g in range(sizes.size):
            members = order[np.searchsorted(groups[order], g) :][: sizes[g]]
            shuffled[members] = rng.permutation(treated[members])
        null.append(_did_estimate(logd, shuffled))
    return _two_sided_p(observed, np.array(null)), len(null), False


# --------------------------------------------------------------------------- prices
def inflation_series(
    cpi: pd.DataFrame, *, indicator: str = "cpi_inflation_dec_on_dec", area_code: str = "00"
) -> pd.Series:
    """Inflation in percent by year (December on December) from the tidy CPI file.

    Expects columns year, indicator, value (and optionally area_code); one value a year.
    """
    _require_columns(cpi, ["year", "indicator", "value"], what="the CPI file")
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
    _require_columns(households, list(INCOME_COLUMNS))
    _check_years(households)
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


# --------------------------------------------------------------------------- groups and power
def change_by_group(
    households: pd.DataFrame, by: str, *, before: str = "income_before", after: str = "income_after"
) -> pd.DataFrame:
    """Recipients' change by ``by`` (component, business_type, ...): n, means, mean and median change, percent."""
    _require_columns(households, [by])
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
    values = households.loc[_as_bool(households["recipient"], "recipient"), by].dropna()
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

    def to_dict(self) -> dict:
        return {k: _plain(v) for k, v in asdict(self).items()}

    def summary(self) -> str:
        """The sentence the chapter shows, in the edition's language and number format."""
        return _(
            "At n = {n}, the smallest mean change detectable with {power} % power is {mde} a "
            "month ({mde_pct} %); detecting a {target} % change needs {needed} households."
        ).format(
            n=formatting.integer(self.n),
            power=_fixed(self.power * 100, 0),
            mde=_rp_space(self.mde_abs_change),
            mde_pct=_fixed(self.mde_pct_change, 1),
            target=_g(self.target_pct),
            needed=formatting.integer(self.n_for_target),
        )


def power_analysis(
    households: pd.DataFrame,
    *,
    target_pct: float = 10.0,
    alpha: float = 0.05,
    power: float = 0.8,
    before: str = "income_before",
    after: str = "income_after",
) -> Power:
    """Minimum detectable change at the observed n and variance; n for ``power`` to detect ``target_pct``.

    Uses statsmodels' TTestPower (one-sample t on the paired changes); the percent change is
    taken on the log scale (a 10 % change is log(1.10) against the sd of log changes).
    """
    from statsmodels.stats.power import TTestPower

    changes = household_changes(households, before=before, after=after)
    _require_estimable(changes, households)
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
        n, alpha, power, sd_abs, sd_log, effect * sd_abs, mde_pct, float(target_pct), int(n_needed)
    )


# --------------------------------------------------------------------------- loans
@dataclass(frozen=True)
class LoanReturn:
    """Monthly return on the loan that the income gain implies, if all of it were the loan's doing."""

    n: int  # recipient households with a loan amount
    mean_loan: float  # Rupiah
    median_loan: float
    mean_change: float  # Rupiah a month, households with loans
    return_of_means_pct: float  # mean change / mean loan x 100, percent a month
    median_return_pct: float  # median of household change / loan x 100
    benchmark_low_pct: float = DE_MEL_MONTHLY_RETURN[0]
    benchmark_high_pct: float = DE_MEL_MONTHLY_RETURN[1]

    @property
    def multiple_of_benchmark(self) -> float:
        """Implied return over the upper de Mel et al. (2008) estimate."""
        return self.return_of_means_pct / self.benchmark_high_pct

    def to_dict(self) -> dict:
        values = {k: _plain(v) for k, v in asdict(self).items()}
        values["multiple_of_benchmark"] = self.multiple_of_benchmark
        return values

    def summary(self) -> str:
        return (
            f"{self.n} households with loans: mean loan Rp {self.mean_loan:,.0f}, mean gain Rp {self.mean_change:,.0f} "
            f"a month = {self.return_of_means_pct:.1f} % of the loan a month (de Mel et al.: "
            f"{self.benchmark_low_pct}-{self.benchmark_high_pct} %)"
        )


def loan_return(
    households: pd.DataFrame,
    *,
    change: str = "abs_change",
    before: str = "income_before",
    after: str = "income_after",
) -> LoanReturn | None:
    """Implied monthly return on revolving-credit loans; None when the data carry no loan amounts."""
    if "loan_amount" not in households.columns:
        return None
    changes = household_changes(households, before=before, after=after)
    loans = pd.to_numeric(changes["loan_amount"], errors="coerce").to_numpy(dtype=float)
    has = ~np.isnan(loans) & (loans > 0)
    if not has.any():
        return None
    loans, gain = loans[has], changes[change].to_numpy(dtype=float)[has]
    return LoanReturn(
        int(has.sum()),
        float(loans.mean()),
        float(np.median(loans)),
        float(gain.mean()),
        float(gain.mean() / loans.mean() * 100),
        float(np.median(gain / loans) * 100),
    )


# --------------------------------------------------------------------------- reproduction
# Verdicts and kinds are machine values (compared by code, counted in results.json); they are
# marked for translation and shown in the edition's language with ``_()``.
CONSISTENT = N_("consistent")
INCONSISTENT = N_("inconsistent")
INCONCLUSIVE = N_("inconclusive")
NOT_TESTABLE = N_("not testable")
BY_CONSTRUCTION = N_("not testable (illustrative data built to match the claim)")
NO_CLAIM = N_("no claim")
INCOME_CLAIM = N_("income")  # kind of claim: about household income (counted as income claims)
DESIGN_CLAIM = N_("design")  # about how the study was done (informants, uses of credit)


def interval_verdict(
    values: np.ndarray, low: float, high: float, *, alpha: float = 0.05
) -> tuple[str, float | None, float | None, float | None]:
    """Verdict of a published range [low, high] for the mean of ``values``, from intervals.

    ``consistent``: the equivalence test (TOST, statsmodels ``DescrStatsW.ttost_mean``) against
    the range rejects non-equivalence at ``alpha``, i.e. the 90 % t interval lies within the range
    (so does any 95 % interval inside it); ``inconsistent``: the 95 % t interval lies wholly
    outside the range; ``inconclusive``: otherwise. Returns (verdict, 95 % low, 95 % high, TOST p).
    With no spread the mean is compared with the range directly (TOST p None). A single published
    figure (low = high) can never be shown equivalent: it is inconsistent or inconclusive.
    """
    from statsmodels.stats.weightstats import DescrStatsW

    values = np.asarray(values, dtype=float)
    ci_low, ci_high, _unused = _t_interval(values)
    if ci_low is None:
        mean = float(values[0])
        tol = 1e-9 * max(1.0, abs(mean))  # float noise of a round figure (1.1e6 / 1e6 - 1)
        inside = low - tol <= mean <= high + tol
        return (CONSISTENT if inside else INCONSISTENT), mean, mean, None
    tost_p = float(DescrStatsW(values).ttost_mean(low, high)[0]) if low < high else 1.0
    if tost_p < alpha:
        verdict = CONSISTENT
    elif ci_high < low or ci_low > high:
        verdict = INCONSISTENT
    else:
        verdict = INCONCLUSIVE
    return verdict, ci_low, ci_high, tost_p


def claim_range(claim: dict | None, what: str) -> tuple[float, float] | None:
    """(low, high) of the registry's ``claim_{what}_low/high``; one end given = a single figure."""
    if not claim:
        return None
    low, high = claim.get(f"claim_{what}_low"), claim.get(f"claim_{what}_high")
    if low is None and high is None:
        return None
    low = high if low is None else low
    high = low if high is None else high
    return float(low), float(high)


def _range_text(bounds: tuple[float, float], what: str) -> str:
    def show(v):
        return _g(v) if what == "pct" else _rp_space(v)

    low, high = bounds
    text = show(low) if low == high else f"{show(low)}-{show(high)}".replace("-Rp ", "-")
    return f"{text} %" if what == "pct" else text


def reproduction_check(
    households: pd.DataFrame,
    *,
    edition: str,
    informants: pd.DataFrame | None = None,
    site: str | None = None,
    result: IncomeChange | None = None,
    claim: dict | None = None,
    real: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each published claim of a study against the data, judged on intervals, not point estimates.

    ``claim`` is the study's registry claim (:attr:`analysis.data.registry.Study.all_claims`):
    ``claim_pct_low``/``claim_pct_high`` (mean percent change), ``claim_rp_low``/``claim_rp_high``
    (mean change, Rupiah a month), None where the study makes no such claim; optional
    ``claim_informants_core``/``claim_informants_additional`` and ``claim_credit_use`` (uses
    separated by ``;``). A claim that is not there has no row: the table may be empty.
    Income claims get :func:`interval_verdict`: ``consistent`` / ``inconsistent`` /
    ``inconclusive``, in nominal terms and, with ``real`` (a :func:`deflate` frame), in real
    terms. ``edition`` is the data edition ("illustrative" or "field"); on illustrative data every
    verdict is :data:`BY_CONSTRUCTION`: the generator made the data match the claims.
    Columns: claim, kind (income or design), prices, published, data, verdict, basis.
    """
    claim = dict(claim or {})
    if site is not None and "site" in households.columns:
        households = households[households["site"] == site]
        if real is not None and "site" in real.columns:
            real = real[real["site"] == site]
    arguments = (households, edition, informants, site, claim, real)
    with _in_language(i18n.SOURCE_LANGUAGE):
        frame = _reproduction_frame(*arguments)
    shown = frame if i18n.language() == i18n.SOURCE_LANGUAGE else _reproduction_frame(*arguments)
    frame.attrs["shown"] = shown.to_dict("records")
    return frame


@contextmanager
def _in_language(lang: str):
    """Write in ``lang`` inside the block, then go back to the language before."""
    before = i18n.language()
    i18n.use_language(lang)
    try:
        yield
    finally:
        i18n.use_language(before)


#: Headers of the reproduction table (its columns are machine names; readers see these).
REPRODUCTION_HEADERS = (
    N_("claim"),
    N_("kind"),
    N_("prices"),
    N_("published"),
    N_("data"),
    N_("verdict"),
    N_("basis"),
)


def reproduction_table(check: pd.DataFrame) -> pd.DataFrame:
    """The reproduction check as readers see it, in the edition's language.

    :func:`reproduction_check` returns machine values (English claims, verdicts and kinds that
    code compares and counts); this is the same table with every text, kind and verdict in the
    language chapters are written in (identical to ``check`` in English).
    """
    rows = check.attrs.get("shown")
    shown = (
        pd.DataFrame(rows, columns=check.columns)
        if rows is not None and len(rows) == len(check)
        else check.copy()
    )
    for column in ("kind", "verdict"):
        if column in shown:
            shown[column] = shown[column].map(lambda v: _(v) if isinstance(v, str) else v)
    shown.attrs = {}
    return shown


def _reproduction_frame(households, edition, informants, site, claim, real) -> pd.DataFrame:
    """The rows of :func:`reproduction_check`, their texts in the current language."""
    by_construction = edition == "illustrative"
    basis = (
        _("by construction: the illustrative data were generated to match this claim")
        if by_construction
        else _("field data: 95 % t interval and equivalence test (TOST) against the range")
    )
    rows = []
    frames = [("nominal", households, "income_before", "income_after")]
    if real is not None:
        frames.append(("real", real, "income_before_real", "income_after_real"))
    for what in ("pct", "rp"):
        bounds = claim_range(claim, what)
        if bounds is None:
            continue
        for prices, frame, before, after in frames:
            changes = household_changes(frame, before=before, after=after)
            _require_estimable(changes, frame)
            column = "pct_change" if what == "pct" else "abs_change"
            verdict, low, high, tost_p = interval_verdict(changes[column].to_numpy(), *bounds)
            mean = float(changes[column].mean())
            numbers = {
                "mean": _fixed(mean, 1 if what == "pct" else 0),
                "low": _fixed(low, 1 if what == "pct" else 0),
                "high": _fixed(high, 1 if what == "pct" else 0),
                "tost": _p_clause(tost_p),
                "n": formatting.integer(len(changes)),
            }
            shown = (
                _(
                    "mean of percent changes {mean} % (95 % CI {low} to {high} %; TOST {tost}; "
                    "n = {n})"
                )
                if what == "pct"
                else _("mean change Rp {mean} (95 % CI {low} to {high}; TOST {tost}; n = {n})")
            ).format(**numbers)
            published = _range_text(bounds, what)
            rows.append(
                (
                    (
                        _("Mean income increase of {range}")
                        if what == "pct"
                        else _("Mean income increase in Rupiah of {range}")
                    ).format(range=published),
                    INCOME_CLAIM,
                    _("nominal")
                    if prices == "nominal"
                    else _("real ({year} prices)").format(
                        year=real.attrs.get("price_base_year", "")
                    ),
                    published,
                    shown,
                    BY_CONSTRUCTION if by_construction else verdict,
                    basis,
                )
            )
    design_basis = (
        basis if by_construction else _("field data: the count or the uses recorded, compared")
    )

    def verdict(ok: bool | None) -> str:
        if ok is None:
            return NOT_TESTABLE
        if by_construction:
            return BY_CONSTRUCTION
        return CONSISTENT if ok else INCONSISTENT

    if claim.get("claim_informants_core") is not None:
        rows.append(_informant_claim(informants, site, design_basis, verdict, claim))
    if claim.get("claim_credit_use"):
        rows.append(_credit_use_claim(households, design_basis, verdict, claim))
    frame = pd.DataFrame(
        rows, columns=["claim", "kind", "prices", "published", "data", "verdict", "basis"]
    )
    frame.loc[frame["verdict"] == NOT_TESTABLE, "basis"] = _("the data needed are missing")
    return frame


def reproduction_counts(check: pd.DataFrame) -> dict:
    """Counts of the income claims by verdict, for results.json; empty on illustrative data.

    Only income claims count (not the informants or credit-use rows), and only verdicts judged
    on field data: with illustrative data there is nothing to count (:data:`BY_CONSTRUCTION`).
    """
    income_rows = check[check["kind"] == INCOME_CLAIM]
    judged = income_rows[income_rows["verdict"].isin([CONSISTENT, INCONSISTENT, INCONCLUSIVE])]
    if judged.empty:
        return {}
    out = {"income_claims_tested": int(len(judged))}
    for verdict in (CONSISTENT, INCONSISTENT, INCONCLUSIVE):
        out[f"income_claims_{verdict}"] = int((judged["verdict"] == verdict).sum())
    return out


def recall_bias_table(
    households: pd.DataFrame,
    *,
    claim: dict | None,
    edition: str,
    understatements=(0, 5, 10, 15, 20, 25, 30),
    before: str = "income_before",
    after: str = "income_after",
) -> pd.DataFrame:
    """How the mean change moves if the remembered "before" incomes were understated.

    An understatement of u % means the household reported (1 - u/100) x its true income before,
    so the true before is reported / (1 - u/100). Per u: mean change (Rupiah a month), mean of
    percent changes with its 95 % t interval, and the verdict against the claimed percent range
    (:func:`interval_verdict`; on illustrative data :data:`BY_CONSTRUCTION`). A last row gives the
    understatement at which the mean percent change leaves the claimed range (root of a monotone
    function, scipy ``brentq``), when it does within 0-99 %. ``attrs["leaves_range_at_pct"]``
    holds that value (None when it never does).
    """
    from scipy.optimize import brentq

    changes = household_changes(households, before=before, after=after)
    _require_estimable(changes, households)
    b = changes[before].to_numpy(dtype=float)
    a = changes[after].to_numpy(dtype=float)
    bounds = claim_range(claim, "pct")

    def pct(u):
        return (a / (b / (1 - u / 100)) - 1) * 100

    def row(u, label):
        values = pct(u)
        mean = float(values.mean())
        low, high, _unused = _t_interval(values)
        if bounds is None:
            verdict, where = NO_CLAIM, ""
        else:
            verdict = interval_verdict(values, *bounds)[0]
            verdict = BY_CONSTRUCTION if edition == "illustrative" else verdict
            where = (
                _("below the claimed range")
                if mean < bounds[0]
                else (
                    _("above the claimed range")
                    if mean > bounds[1]
                    else _("within the claimed range")
                )
            )
        return {
            "understatement (%)": label,
            "mean change (Rp/month)": _rupiah(float((a - b / (1 - u / 100)).mean())),
            "mean of percent changes (%)": _fixed(mean, 1),
            "95 % CI (%)": ""
            if low is None
            else _("{low} to {high}").format(low=_fixed(low, 1), high=_fixed(high, 1)),
            "mean vs claim": where,
            "verdict": _(verdict),
        }

    rows = [row(u, _g(u)) for u in understatements]
    leaves = None
    if bounds is not None:
        start = float(pct(0).mean())
        edge = bounds[0] if start >= bounds[0] else None
        if edge is not None and not math.isinf(edge) and float(pct(99).mean()) < edge:
            leaves = float(brentq(lambda u: float(pct(u).mean()) - edge, 0, 99))
            rows.append(
                row(
                    leaves,
                    _("{u} (mean leaves the range)").format(u=_fixed(leaves, 1)),
                )
            )
    out = pd.DataFrame(rows)
    out.attrs["leaves_range_at_pct"] = leaves
    return out


#: Headers of the recall-bias table (shown in the edition's language, :func:`chapter.header`).
RECALL_HEADERS = (
    N_("understatement (%)"),
    N_("mean change (Rp/month)"),
    N_("mean of percent changes (%)"),
    N_("95 % CI (%)"),
    N_("mean vs claim"),
)


def _informant_claim(informants, site, basis, verdict, claim_values):
    core_claim = int(claim_values["claim_informants_core"])
    extra_claim = int(claim_values.get("claim_informants_additional") or 0)
    counts = {"core": formatting.integer(core_claim), "additional": formatting.integer(extra_claim)}
    claim, published = (
        _("{core} core informants and {additional} additional").format(**counts),
        _("{core} core, {additional} additional").format(**counts),
    )
    if informants is None or informants.empty:
        return claim, DESIGN_CLAIM, "", published, _("no informants file"), verdict(None), basis
    rows = (
        informants
        if site is None or "site" not in informants.columns
        else informants[informants["site"] == site]
    )
    if "informant_type" in rows.columns and rows["informant_type"].notna().any():
        kind = rows["informant_type"]
    elif "role" in rows.columns:
        kind = np.where(rows["role"] == "resident", "core", "additional")
        kind = pd.Series(kind, index=rows.index)
    else:
        return (
            claim,
            DESIGN_CLAIM,
            "",
            published,
            _("informants file has neither informant_type nor role"),
            verdict(None),
            basis,
        )
    core, extra = int((kind == "core").sum()), int((kind == "additional").sum())
    ok = core == core_claim and extra == extra_claim
    return (
        claim,
        DESIGN_CLAIM,
        "",
        published,
        _("{core} core, {additional} additional").format(
            core=formatting.integer(core), additional=formatting.integer(extra)
        ),
        verdict(ok),
        basis,
    )


def _credit_use_claim(households, basis, verdict, claim_values):
    uses_claimed = [
        u.strip() for u in str(claim_values["claim_credit_use"]).split(";") if u.strip()
    ]
    published = ", ".join(reader_label("credit_use", u) for u in uses_claimed)
    claim = _("Revolving credit used as working capital: {uses}").format(uses=published)
    if "credit_use" not in households.columns or "component" not in households.columns:
        return claim, DESIGN_CLAIM, "", published, _("no credit_use column"), verdict(None), basis
    credit = households[households["component"] == "revolving_credit"]
    uses = credit["credit_use"].dropna().astype(str)
    if uses.empty:
        return (
            claim,
            DESIGN_CLAIM,
            "",
            published,
            _("no credit use recorded"),
            verdict(None),
            basis,
        )
    counts = uses.value_counts()
    text = _("{uses} (of {n} credit households)").format(
        uses=", ".join(
            f"{reader_label('credit_use', k)} {formatting.integer(v)}" for k, v in counts.items()
        ),
        n=formatting.integer(len(credit)),
    )
    ok = set(counts.index) <= set(uses_claimed)
    return claim, DESIGN_CLAIM, "", published, text, verdict(ok), basis


# --------------------------------------------------------------------------- figure
def plot_slopes(households: pd.DataFrame, *, max_households: int = 200, ax=None):
    """Before -> after slope chart (Rp a month), one line a household, the mean in bold black.

    Lines are coloured by programme component (with a comparison group: recipients and
    non-recipients, solid and dashed), so that they can be told apart without reading each;
    up to :data:`LABELLED_LINES` households each line also carries its household id at its end.
    Above ``max_households`` lines per group only the first ones (by household_id) are drawn.
    """
    import matplotlib.pyplot as plt

    from analysis import figures
    from analysis.data.contract import label

    changes = household_changes(households, recipients_only=False)
    if "recipient" in changes.columns:
        recipient = _as_bool(changes["recipient"], "recipient")
        changes = changes.assign(group=np.where(recipient, "recipients", "non-recipients"))
    else:
        changes = changes.assign(group="recipients")
    comparison = changes["group"].nunique() > 1
    if comparison or "component" not in changes.columns:
        changes = changes.assign(colour_by=changes["group"])
    else:
        changes = changes.assign(
            colour_by=changes["component"].map(lambda c: label("component", c))
        )
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    kinds = list(dict.fromkeys(changes.sort_values("colour_by")["colour_by"]))
    colours = dict(zip(kinds, figures.palette(min(len(kinds), len(figures.OKABE_ITO) - 1))))
    styles = {"recipients": "-", "non-recipients": "--"}
    xs = np.array([0, 1])
    ends = []
    for (group, kind), part in changes.groupby(["group", "colour_by"], sort=False):
        shown = (
            part.sort_values("household_id").head(max_households)
            if "household_id" in part
            else part.head(max_households)
        )
        many = len(changes) > 20
        for k, row in enumerate(shown.itertuples()):
            ax.plot(
                xs,
                [row.income_before, row.income_after],
                color=colours.get(kind, "0.4"),
                ls=styles[group],
                alpha=0.45 if many else 0.9,
                lw=1.2,
                label=_("{group} (n = {n})").format(
                    group=_(kind) if kind in _GROUP_LABELS else kind,
                    n=formatting.integer(len(part)),
                )
                if k == 0
                else None,
            )
            ends.append((row.income_after, getattr(row, "household_id", "")))
    for group, part in changes.groupby("group", sort=False):
        ax.plot(
            xs,
            [part["income_before"].mean(), part["income_after"].mean()],
            color="black",
            ls=styles[group],
            lw=3,
            marker="o",
            zorder=5,
            label=(
                _("mean of the {n} recipients")
                if group == "recipients"
                else _("mean of the {n} non-recipients")
            ).format(n=formatting.integer(len(part))),
        )
    if len(ends) <= LABELLED_LINES:
        _label_line_ends(ax, ends)
    years_b, years_a = changes["year_before"].unique(), changes["year_after"].unique()
    label_b = _("before ({year})").format(year=years_b[0]) if years_b.size == 1 else _("before")
    label_a = _("after ({year})").format(year=years_a[0]) if years_a.size == 1 else _("after")
    ax.set_xticks([0, 1], [label_b, label_a])
    ax.set_xlim(-0.12, 1.3 if len(ends) <= LABELLED_LINES else 1.12)
    figures.rupiah_axis(ax, "y", _("Household income (Rp a month, nominal)"))
    ax.set_xlabel(_("Period"))
    ax.set_title(_("Household income before and after the programme"))
    ax.legend(
        loc="upper left",
        frameon=False,
        title=_("lines coloured by group")
        if comparison or "component" not in households.columns
        else _("lines coloured by component"),
    )
    return fig


#: The groups of the slope chart (machine values; the legend shows them translated).
_GROUP_LABELS = (N_("recipients"), N_("non-recipients"))


#: Up to this many households, each line of the slope chart is labelled with its household id.
LABELLED_LINES = 12


def _label_line_ends(ax, ends: list[tuple[float, str]]) -> None:
    """Household ids at the right end of their lines, nudged apart so that none overlaps."""
    if not ends:
        return
    ends = sorted(ends)
    low, high = ax.get_ylim()
    gap = 0.045 * (high - low)
    placed = []
    for value, name in ends:
        y = value if not placed or value - placed[-1] >= gap else placed[-1] + gap
        placed.append(y)
        ax.annotate(
            str(name),
            xy=(1, value),
            xytext=(1.04, y),
            textcoords="data",
            va="center",
            fontsize=7,
            color="0.25",
            arrowprops={"arrowstyle": "-", "color": "0.7", "lw": 0.6},
        )


# --------------------------------------------------------------------------- checks
def _require_columns(frame: pd.DataFrame, columns, what: str = "households.csv") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IncomeDataError(
            f"{what} lacks column(s) {', '.join(missing)}; expected at least {', '.join(columns)}"
        )


def _check_years(households: pd.DataFrame) -> None:
    yb = pd.to_numeric(households["year_before"], errors="coerce")
    ya = pd.to_numeric(households["year_after"], errors="coerce")
    wrong = (ya < yb).to_numpy()
    if wrong.any():
        raise IncomeDataError(
            f"year_after must not be earlier than year_before; {int(wrong.sum())} household(s) have it earlier: "
            f"{_ids(households, wrong)}"
        )


def _require_estimable(changes: pd.DataFrame, households: pd.DataFrame) -> None:
    n = len(changes)
    if n < 2:
        n_rec = (
            int(_as_bool(households["recipient"], "recipient").sum())
            if "recipient" in households
            else 0
        )
        raise IncomeDataError(
            f"the income analysis needs at least 2 recipient households with both incomes; found {n} "
            f"({n_rec} recipient household(s), {changes.attrs.get('n_missing_income', 0)} missing an income)"
        )
    d = changes["abs_change"].to_numpy()
    if np.all(d == 0):
        raise IncomeDataError(
            f"all {n} recipient households report the same income before and after (every change is zero); "
            "expected incomes that differ between the two periods for at least one household"
        )


def _as_bool(series: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.fillna(False).astype(bool)
    text = series.astype(str).str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
    mapped = text.map(mapping)
    if mapped.isna().any():
        bad = sorted(text[mapped.isna()].unique())[:5]
        raise IncomeDataError(f"column {name} must be true/false; found {bad}")
    return mapped.astype(bool)


def _ids(frame: pd.DataFrame, mask) -> str:
    mask = np.asarray(mask)
    if "household_id" in frame.columns:
        ids = frame.loc[mask, "household_id"].astype(str).tolist()
    else:
        ids = [str(i) for i in frame.index[mask]]
    more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
    return ", ".join(ids[:5]) + more


def _plain(value):
    from analysis.methods.results import plain

    return plain(value)


def _fmt(value, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


# --------------------------------------------------------------------------- what a chapter shows
#: Keys of the results contract (results.json), in the order the chapter documents them.
CONTRACT_KEYS = (
    "n",
    "mean_before",
    "mean_after",
    "mean_abs_change",
    "median_abs_change",
    "mean_pct_change",
    "pct_change_of_means",
    "t_ci95_low",
    "t_ci95_high",
    "wilcoxon_p",
    "geo_mean_ratio",
)

NO_COMPARISON_TEXT = N_(
    "**No comparison group.** Every household in these data received the programme, so the "
    "before/after change is not an effect of the programme: it also holds everything else that changed "
    "between the two years: inflation (see the real figures below), the general growth of incomes in the "
    "town, the households' own life course, and the way the 'before' income was remembered. A comparison "
    "group of similar non-recipient households, interviewed the same way, would allow a "
    "difference-in-differences; the chapter shows one automatically when the data hold one."
)


def has_clusters(households: pd.DataFrame) -> bool:
    """True when recipients with both incomes come from at least two clusters."""
    if "cluster" not in households.columns:
        return False
    changes = household_changes(households)
    return _with_cluster_labels(changes)["cluster"].nunique() >= 2


#: Headers of the household table as readers see them (the CSV keeps the column names).
HOUSEHOLD_HEADERS = (
    N_("household id"),
    N_("informant id"),
    N_("cluster"),
    N_("component"),
    N_("business type"),
    N_("loan (Rp)"),
    N_("income before (Rp/month)"),
    N_("income after (Rp/month)"),
    N_("change (Rp/month)"),
    N_("change (%)"),
    N_("log change"),
)
#: How the chapter shows the household table's numbers (the CSV keeps them unformatted).
HOUSEHOLD_FORMATS = {
    "income before (Rp/month)": "rupiah",
    "income after (Rp/month)": "rupiah",
    "change (Rp/month)": "rupiah",
    "loan (Rp)": "rupiah",
    "change (%)": lambda v: formatting.number(v, 1),
    "log change": lambda v: formatting.number(v, 3),
}
#: The columns a reader needs on the page (the download has every column).
HOUSEHOLD_COLUMNS = (
    "household_id",
    "component",
    "business_type",
    "income before (Rp/month)",
    "income after (Rp/month)",
    "change (Rp/month)",
    "change (%)",
)


def household_table(changes: pd.DataFrame, max_rows: int = 20) -> pd.DataFrame:
    """Per-household changes: ids, component, business, incomes and changes (first ``max_rows``).

    Numbers stay numbers (Rupiah a month, percent 0-100) for the CSV download; the chapter shows
    them with :data:`HOUSEHOLD_FORMATS` and the columns of :data:`HOUSEHOLD_COLUMNS`.
    """
    columns = [
        "household_id",
        "informant_id",
        "cluster",
        "component",
        "business_type",
        "loan_amount",
    ]
    shown = (
        changes.sort_values("household_id").head(max_rows)
        if "household_id" in changes
        else changes.head(max_rows)
    )
    out = shown[[c for c in columns if c in shown.columns]].copy()
    before, after = (
        changes.attrs.get("before", "income_before"),
        changes.attrs.get("after", "income_after"),
    )
    out["income before (Rp/month)"] = shown[before]
    out["income after (Rp/month)"] = shown[after]
    out["change (Rp/month)"] = shown["abs_change"]
    out["change (%)"] = shown["pct_change"].round(1)
    out["log change"] = shown["log_change"].round(3)
    return out.rename(columns={"loan_amount": "loan (Rp)"}).reset_index(drop=True)


#: Headers of the chapter's income tables (columns are machine names; readers see these).
TABLE_HEADERS = (
    N_("estimator"),
    N_("value"),
    N_("meaning"),
    N_("role"),
    N_("method"),
    N_("interval (Rp/month)"),
    N_("p (two-sided)"),
    N_("how"),
    N_("statistic"),
    N_("n"),
    N_("mean before"),
    N_("mean after"),
    N_("mean abs change"),
    N_("median abs change"),
    N_("mean pct change"),
    N_("pct change of means"),
)


def summary_table(result: IncomeChange) -> pd.DataFrame:
    """The named estimators, one row each, formatted for people."""
    rows = [
        (_("Households (recipients with both incomes)"), formatting.integer(result.n), "n"),
        (_("Mean income before"), _rupiah(result.mean_before), _("Rupiah a month")),
        (_("Mean income after"), _rupiah(result.mean_after), _("Rupiah a month")),
        (
            _("Mean absolute change"),
            _rupiah(result.mean_abs_change),
            _("mean of after - before"),
        ),
        (
            _("Median absolute change"),
            _rupiah(result.median_abs_change),
            _("half the households gained less"),
        ),
        (
            _("Mean of percent changes"),
            _pct(result.mean_pct_change, 1),
            _("average of each household's percent change"),
        ),
        (
            _("Percent change of the means"),
            _pct(result.pct_change_of_means, 1),
            _("(mean after / mean before - 1) x 100"),
        ),
        (
            _("Geometric mean ratio"),
            _("{ratio} (95 % CI {low} to {high})").format(
                ratio=_fixed(result.geo_mean_ratio, 3),
                low=_fixed(result.geo_ci95_low, 3),
                high=_fixed(result.geo_ci95_high, 3),
            ),
            _("exp(mean log change); t interval on the log scale"),
        ),
    ]
    return pd.DataFrame(rows, columns=["estimator", "value", "meaning"])


def _rupiah_range(low, high) -> str:
    return _("{low} to {high}").format(low=_rupiah(low), high=_rupiah(high))


def inference_table(result: IncomeChange) -> pd.DataFrame:
    """Intervals and tests of a zero mean change, one row a method, with how each was computed."""
    boot = (
        _("not run")
        if result.bootstrap_ci95_low is None
        else _rupiah_range(result.bootstrap_ci95_low, result.bootstrap_ci95_high)
    )
    t_interval = (
        _("no spread")
        if result.t_ci95_low is None
        else _rupiah_range(result.t_ci95_low, result.t_ci95_high)
    )
    hl_interval = (
        _("not computed (fewer than {min_n} or more than {max_n} households)").format(
            min_n=formatting.integer(6), max_n=formatting.integer(HODGES_LEHMANN_MAX_N)
        )
        if result.hodges_lehmann_ci95_low is None
        else _rupiah_range(result.hodges_lehmann_ci95_low, result.hodges_lehmann_ci95_high)
    )
    hl_how = _("median of the Walsh averages; exact interval from the signed-rank distribution")
    if result.hodges_lehmann_confidence:
        hl_how = _(
            "median of the Walsh averages; exact interval from the signed-rank distribution "
            "(coverage {coverage} %)"
        ).format(coverage=_fixed(result.hodges_lehmann_confidence * 100, 1))
    boot_how = result.bootstrap_method
    if result.exploratory and result.bootstrap_resamples:
        boot_how = _("{method} - exploratory: n below 20").format(method=result.bootstrap_method)
    rows = [
        (
            _(PRIMARY_ROLE),
            _("Paired t interval (95 %)"),
            t_interval,
            _p(result.t_p),
            _("t distribution with n - 1 df; assumes roughly normal changes"),
        ),
        (
            _(ROBUSTNESS_NOTE),
            _("Wilcoxon signed-rank"),
            "",
            _p(result.wilcoxon_p),
            _("{method}; smallest p the exact test can give at this n: {p}").format(
                method=result.wilcoxon_method, p=_p(result.wilcoxon_min_p)
            ),
        ),
        (
            _(ROBUSTNESS_NOTE),
            _("Hodges-Lehmann median change {estimate}").format(
                estimate=_rupiah(result.hodges_lehmann) or _("(not computed)")
            ),
            hl_interval,
            "",
            hl_how,
        ),
        (
            _(ROBUSTNESS_NOTE),
            _("Sign-flip permutation test"),
            "",
            _p(result.permutation_p),
            result.permutation_method,
        ),
        (
            _(ROBUSTNESS_NOTE),
            _("BCa bootstrap interval (95 %)"),
            boot,
            "",
            boot_how,
        ),
    ]
    return pd.DataFrame(
        rows, columns=["role", "method", "interval (Rp/month)", "p (two-sided)", "how"]
    )


def describe_primary_test() -> str:
    """The one primary test, named before the results; the others are robustness checks."""
    return _(
        "**Primary test.** The question is how the average household's income changed, so the "
        "primary test is the {test}, with its 95 % interval. The Wilcoxon signed-rank test, the "
        "Hodges-Lehmann median change, the sign-flip permutation test, the bootstrap, the "
        "clustered interval and the real-terms figures are **robustness checks**: they ask whether "
        "the answer survives other assumptions, and are not further chances to find a small p."
    ).format(test=_(PRIMARY_TEST))


_REAL_PRICES = re.compile(r"^real Rupiah of (\d{4})$")


def prices_label(prices: str) -> str:
    """The prices of an estimate as readers read them: "nominal", "real Rupiah of 2017"."""
    if prices == "nominal":
        return _("nominal")
    match = _REAL_PRICES.match(str(prices))
    if match:
        return _("real Rupiah of {year}").format(year=match.group(1))
    return _(prices)


#: The rows of :func:`nominal_real_table`, by field of :class:`IncomeChange`.
NOMINAL_REAL_LABELS = {
    "mean_before": N_("Mean income before"),
    "mean_after": N_("Mean income after"),
    "mean_abs_change": N_("Mean absolute change"),
    "median_abs_change": N_("Median absolute change"),
    "t_ci95_low": N_("Paired t 95 % CI, low"),
    "t_ci95_high": N_("Paired t 95 % CI, high"),
    "mean_pct_change": N_("Mean of percent changes"),
    "pct_change_of_means": N_("Percent change of the means"),
    "geo_mean_ratio": N_("Geometric mean ratio"),
}


def nominal_real_table(nominal: IncomeChange, real: IncomeChange) -> pd.DataFrame:
    """Nominal and real summaries side by side (Rupiah a month; percent)."""
    labels = NOMINAL_REAL_LABELS

    def show(key, value):
        if key == "geo_mean_ratio":
            return _fixed(value, 3)
        return _pct(value, 1) if key.endswith(("pct_change", "of_means")) else _rupiah(value)

    return pd.DataFrame(
        {
            "statistic": [_(label) for label in labels.values()],
            prices_label(nominal.prices): [show(k, getattr(nominal, k)) for k in labels],
            prices_label(real.prices): [show(k, getattr(real, k)) for k in labels],
        }
    )


def group_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A :func:`change_by_group` frame formatted for people."""
    out = frame.copy()
    for column in ("mean_before", "mean_after", "mean_abs_change", "median_abs_change"):
        out[column] = out[column].map(_rupiah)
    for column in ("mean_pct_change", "pct_change_of_means"):
        out[column] = out[column].map(lambda v: _pct(v, 1))
    return out


def group_heading(column: str) -> str:
    """The bold line above a :func:`group_table`: "**By component** (recipients, ...)"."""
    if column == "component":
        return _("**By component** (recipients, nominal Rupiah a month)")
    if column == "business_type":
        return _("**By business type** (recipients, nominal Rupiah a month)")
    return _("**By {column}** (recipients, nominal Rupiah a month)").format(
        column=column.replace("_", " ")
    )


def describe_inference(result: IncomeChange) -> str:
    """Markdown sentences on the tests that depend on n (permutation, bootstrap)."""
    parts = [
        _("The sign-flip permutation test gives {p} ({method}).").format(
            p=_p_clause(result.permutation_p), method=result.permutation_method
        )
    ]
    if result.bootstrap_ci95_low is None:
        parts.append(
            _("The bootstrap interval was {method}.").format(method=result.bootstrap_method)
        )
    elif result.exploratory:
        parts.append(
            _(
                "The BCa bootstrap interval ({low} to {high}) is **exploratory**: with {n} "
                "households (fewer than {minimum}) the bootstrap distribution is a coarse picture "
                "of a few values and its intervals tend to be too narrow."
            ).format(
                low=_rupiah(result.bootstrap_ci95_low),
                high=_rupiah(result.bootstrap_ci95_high),
                n=formatting.integer(result.n),
                minimum=formatting.integer(EXPLORATORY_BELOW_N),
            )
        )
    else:
        parts.append(
            _("The BCa bootstrap interval is {low} to {high} ({method}).").format(
                low=_rupiah(result.bootstrap_ci95_low),
                high=_rupiah(result.bootstrap_ci95_high),
                method=result.bootstrap_method,
            )
        )
    return " ".join(parts)


def describe_clusters(clustered: ClusterRobust) -> str:
    """Markdown sentences on the cluster-robust interval, with the few-clusters caveat."""
    clusters = formatting.integer(clustered.n_clusters)
    text = _(
        "**Clustered by neighbourhood.** With standard errors clustered by the {clusters} "
        "clusters (OLS on a constant, t with {df} degrees of freedom), the mean change is "
        "{estimate} a month, 95 % CI {low} to {high}."
    ).format(
        clusters=clusters,
        df=formatting.integer(clustered.df),
        estimate=_rupiah(clustered.estimate),
        low=_rupiah(clustered.ci95_low),
        high=_rupiah(clustered.ci95_high),
    )
    if clustered.n_clusters < 30:
        text += " " + _(
            "With only {clusters} clusters the cluster-robust standard error is itself "
            "imprecise and tends to be too small; the wide t reference distribution partly offsets "
            "this, but the interval should be read as indicative."
        ).format(clusters=clusters)
    return text


def describe_did(did: DiffInDiff) -> str:
    """Markdown paragraph on the difference-in-differences, with the few-clusters and parallel-trends caveats."""
    text = (
        _(
            "**Difference-in-differences.** The data hold {comparison} non-recipient households "
            "besides {recipients} recipients, in {treated} cluster(s) with recipients and {others} "
            "with non-recipients."
        ).format(
            comparison=formatting.integer(did.n_comparison),
            recipients=formatting.integer(did.n_recipients),
            treated=formatting.integer(did.n_treated_clusters),
            others=formatting.integer(did.n_comparison_clusters),
        )
        + " "
        + (
            _(
                "Mean log income rose by {recipient_change} among recipients and by "
                "{comparison_change} among non-recipients: an estimated effect of {effect} % "
                "(recipient x period in a regression of log income on recipient and period)."
            )
            if did.cluster_robust_p is not None
            else _(
                "Mean log income rose by {recipient_change} among recipients and by "
                "{comparison_change} among non-recipients: a difference of {effect} % between "
                "the two groups' changes, which one treated cluster cannot attribute to the "
                "programme."
            )
        ).format(
            recipient_change=_fixed(did.recipient_log_change, 3),
            comparison_change=_fixed(did.comparison_log_change, 3),
            effect=_fixed(did.did_pct, 1),
        )
        + " "
    )
    if did.inference == "cluster-robust":
        text += (
            _(
                "With errors clustered by the {clusters} clusters, the 95 % CI is {low} to "
                "{high} % ({p})."
            ).format(
                clusters=formatting.integer(did.n_clusters),
                low=_fixed(did.did_pct_ci95_low, 1),
                high=_fixed(did.did_pct_ci95_high, 1),
                p=_p_clause(did.p),
            )
            + " "
        )
    elif did.p is None:
        text += _("There is **{reason}**.").format(reason=did.no_p_reason) + " "
    else:
        assignments = formatting.integer(did.randomization_assignments)
        over_clusters = did.inference == "randomization (clusters)"
        if did.randomization_exact:
            how = (
                _("every one of {n} assignments of the same number of treated clusters")
                if over_clusters
                else _("every one of {n} assignments of the recipient labels within clusters")
            )
        else:
            how = (
                _("a seeded sample of {n} assignments of the same number of treated clusters")
                if over_clusters
                else _("a seeded sample of {n} assignments of the recipient labels within clusters")
            )
        text += (
            _(
                "**Few clusters**: with {treated} treated and {comparison} comparison clusters "
                "(fewer than {few} of either), cluster-robust standard errors are far too small "
                "(here p = {robust_p}), so the p-value comes from randomization inference over "
                "{how}: {p} under the sharp null that the programme changed no household's income."
            ).format(
                treated=formatting.integer(did.n_treated_clusters),
                comparison=formatting.integer(did.n_comparison_clusters),
                few=formatting.integer(FEW_CLUSTERS),
                robust_p=_sig(did.cluster_robust_p, 2),
                how=how.format(n=assignments),
                p=_p_clause(did.p),
            )
            + " "
        )
    if did.n_missing_cluster:
        text += (
            _("{n} household(s) without a recorded cluster are left out.").format(
                n=formatting.integer(did.n_missing_cluster)
            )
            + " "
        )
    return text + _(
        "This is an effect only under **parallel trends**: without the programme, recipients' "
        "incomes would have grown like non-recipients'. Two periods cannot test that, and "
        "recipients chosen for their business prospects, or who sought credit because their "
        "business was growing, would break it."
    )


#: Programme names (upper case) whose history :data:`PROGRAMME_HISTORY` tells.
PROGRAMME_HISTORY_NAMES = ("P2KP", "PNPM MANDIRI PERKOTAAN", "KOTAKU")
#: Where a P2KP study's "before" year may lie; ``{study}`` is e.g. "A 2017 study".
PROGRAMME_HISTORY = N_(
    "**Which P2KP?** P2KP (*Proyek Penanggulangan Kemiskinan di Perkotaan*) began in 1999 "
    "{cite:p}`p2kp_juklak2007`; from 2007 it ran as PNPM Mandiri Perkotaan; in 2015 PNPM Mandiri "
    "Perkotaan was declared finished and the work went on as *Program Peningkatan Kualitas "
    "Permukiman*, again abbreviated P2KP {cite:p}`p2kp_renamed2015`; from 2016 KOTAKU (*Kota Tanpa "
    "Kumuh*) built on the same community boards (BKM) {cite:p}`kotaku2016`. {study} about "
    '"P2KP" may therefore describe the revolving-credit groups (BKM/KSM) of the original project '
    'as they ran on, and the "before" year of its incomes could lie anywhere from the household\'s '
    "first loan onwards: the year assumed here is an assumption, not a finding. Evaluations of the "
    "urban programme are few and mixed: in Tasikmalaya revolving loans were associated with higher "
    "household consumption (OLS, 110 households) {cite:p}`nafiana_tasikmalaya`; in Kelurahan "
    "Jamika, Bandung, the programme had no significant effect on the number of poor households "
    "{cite:p}`santoso_jamika`; for contrast, the impact evaluation of the rural PNPM found higher "
    "real consumption per head and better chances of escaping poverty {cite:p}`voss2012`."
)


def programme_history_text(fieldwork_year: int | None = None) -> str:
    """:data:`PROGRAMME_HISTORY` in the edition's language, its ``{study}`` filled in.

    ``{study}`` reads "A 2017 study" (the study's fieldwork year), or "A study" without one.
    The text holds MyST roles (``{cite:p}``), so it is filled by replacement, not ``format``.
    """
    study = _("A {year} study").format(year=fieldwork_year) if fieldwork_year else _("A study")
    return _(PROGRAMME_HISTORY).replace("{study}", study)


def describe_reproduction(edition: str, *, real: bool = True) -> str:
    """Markdown on how the claims are judged: on intervals, never "reproduced" on illustrative data.

    ``real``: whether the claims are also judged in real terms (False when not deflated).
    """
    text = (
        _(
            "**How the claims are judged.** An income claim is *consistent* with the data when an "
            "equivalence test (two one-sided t tests, TOST, at 5 %) shows the mean inside the "
            "published range, i.e. its 90 % interval lies within it; *inconsistent* when the 95 % "
            "interval lies wholly outside the range; *inconclusive* otherwise: a mean inside the "
            "range with an interval reaching beyond it is not a reproduction."
        )
        + " "
        + (
            _("Each income claim is judged in nominal and in real terms.")
            if real
            else _(
                "The claims are judged in nominal terms only (the incomes could not be deflated)."
            )
        )
        + " "
        + _("A verdict says nothing about whether the change is an effect of the programme.")
    )
    if edition == "illustrative":
        text += " " + _(
            "These are **illustrative data**, generated to match the published claims, so every "
            "verdict is *{verdict}*: only field data can support or contradict a claim."
        ).format(verdict=_(BY_CONSTRUCTION))
    return text


def describe_recall_bias(table: pd.DataFrame) -> str:
    """Markdown on the recall-bias sensitivity table (:func:`recall_bias_table`)."""
    leaves = table.attrs.get("leaves_range_at_pct")
    text = (
        _(
            "**If the 'before' incomes were remembered as lower than they were.** The table "
            "assumes each household reported only (100 - u) % of its true income before and "
            "recomputes the change."
        )
        + " "
    )
    if leaves is None:
        return text + _(
            "Within 0-99 % the mean percent change does not leave the claimed range from below."
        )
    return text + _(
        "An understatement of only **{u} %** already takes the mean of percent changes below the "
        "claimed range: the claim is very sensitive to how the past was remembered."
    ).format(u=_fixed(leaves, 1))


def describe_loans(loans: LoanReturn | None, prices: str) -> str:
    """Markdown sentences on the household income gain per Rupiah borrowed, and what it is not."""
    if loans is None:
        return _(
            "The data carry no loan amounts, so the income gain per Rupiah borrowed cannot be "
            "computed."
        )
    return _(
        "The {n} households with a revolving-credit loan borrowed {mean_loan} on average "
        "(median {median_loan}) and their household income rose by {gain} a month, in {prices}: "
        "**{return_pct} % of the loan a month** (median household {median_return} %). This is a "
        "household's whole income gain divided by its loan, not a return on capital: it credits "
        "the loan with every other change in the household's earnings, and it ignores the "
        "household's own capital and labour. De Mel, McKenzie and Woodruff measured something "
        "different, the return on capital of Sri Lankan microenterprises given randomised grants, "
        "{low}-{high} % a month; the ratio of {multiple} is a sign of how much of the gain the loan "
        "alone would have to explain, not a comparison of like with like."
    ).format(
        n=formatting.integer(loans.n),
        mean_loan=_rupiah(loans.mean_loan),
        median_loan=_rupiah(loans.median_loan),
        gain=_rupiah(loans.mean_change),
        prices=prices_label(prices),
        return_pct=_fixed(loans.return_of_means_pct, 1),
        median_return=_fixed(loans.median_return_pct, 1),
        low=_g(loans.benchmark_low_pct),
        high=_g(loans.benchmark_high_pct),
        multiple=_fixed(loans.multiple_of_benchmark, 1),
    )


def _rupiah(value) -> str:
    """Rupiah as the book writes them (:func:`analysis.formatting.rupiah`): "Rp 1,250,000"."""
    if formatting.missing(value):
        return ""
    return formatting.rupiah(float(value))


def _rp_space(value) -> str:
    """Rupiah with an ordinary space after "Rp" (as the claims and summaries have always read)."""
    return _rupiah(value).replace(formatting.NBSP, " ")


def _fixed(value, digits: int) -> str:
    """``value`` with ``digits`` decimals in the edition's number format: "40.1" / "40,1".

    Rounded by Python first, so that the digits are those of ``f"{value:.1f}"`` (Babel rounds
    the decimal text half-even, which can differ in the last digit).
    """
    if value is None or formatting.missing(value):
        return ""
    return formatting.number(round(float(value), digits), digits)


def _pct(value, digits: int = 1) -> str:
    """A percentage for a table cell: "40.1 %" (ordinary space, as the tables have always had)."""
    text = _fixed(value, digits)
    return f"{text} %" if text else ""


def _decimal_symbol() -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(formatting.current_locale())


def _g(value) -> str:
    """``f"{value:g}"`` with the edition's decimal sign: "35", "4.6" / "4,6"."""
    return format(float(value), "g").replace(".", _decimal_symbol())


def _sig(value, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits (``f"{value:.2g}"``), edition's decimal sign."""
    return format(float(value), f".{digits}g").replace(".", _decimal_symbol())


def _p_clause(value) -> str:
    """ "p = 0.0390" or "p < 0.001" (or "no p-value"), for a sentence."""
    return (
        _("no p-value")
        if value is None or formatting.missing(value)
        else formatting.p_clause(value)
    )


def _p(value) -> str:
    """A p-value as the book writes it: three significant digits, or "< 0.001"; "n/a" if none."""
    return _("n/a") if value is None or formatting.missing(value) else formatting.p_value(value)
