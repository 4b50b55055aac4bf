"""The before/after income change of recipient households, estimated honestly for a tiny sample.

Input: a ``households`` frame as :data:`analysis.data.contract.HOUSEHOLDS` declares it (one row a
household; ``income_before`` and ``income_after`` in Rupiah a month). Everything is computed on
recipient households with both incomes unless said otherwise. Percentages are 0-100.

- :func:`household_changes`: absolute (Rupiah a month), percent and log change per household.
- :func:`income_change` -> :class:`IncomeChange`: named estimators (mean of percent changes is
  not the percent change of the means), paired t interval and test against zero change,
  Wilcoxon signed-rank (exact where possible), sign-flip permutation test (exact enumeration for
  small n), BCa bootstrap. On real incomes these are the primary test and its robustness checks
  (:mod:`analysis.methods.income.primary`); on nominal incomes, with a price series, the t test
  against zero asks only whether nominal income changed. How each test was run is a code (``wilcoxon_method``, ``permutation_method``,
  ``bootstrap_method``); :mod:`analysis.report.income` says it in the edition's language.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd
from scipy import stats

from analysis.methods.income.checks import (
    IncomeDataError,
    as_bool,
    check_years,
    ids,
    plain,
    require_columns,
    require_estimable,
)

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
    require_columns(households, needed)
    check_years(households)
    selected = (
        as_bool(households["recipient"], "recipient").to_numpy()
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
            f"or negative income: {ids(households, bad)}"
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
    bootstrap_seed: int | None = None  # the seed of the bootstrap when it ran (not recorded)

    def to_dict(self) -> dict:
        """Plain Python values by field name (for results.json).

        The three method codes are recorded as the English descriptions results.json has always
        held (:func:`recorded_method`); the bootstrap's seed is part of its description.
        """
        values = {k: plain(v) for k, v in asdict(self).items() if k != "bootstrap_seed"}
        for key in ("wilcoxon_method", "permutation_method", "bootstrap_method"):
            values[key] = recorded_method(self, key)
        return values

    def to_frame(self) -> pd.DataFrame:
        """One row a statistic: statistic, value, unit."""
        units = _UNITS
        return pd.DataFrame(
            [(f.name, plain(getattr(self, f.name)), units.get(f.name, "")) for f in fields(self)],
            columns=["statistic", "value", "unit"],
        )


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
    require_estimable(changes, households)
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
        bootstrap_seed=seed if boot_method == "bca" else None,
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
        return float(result.statistic), float(result.pvalue), "normal", min_p
    if not ties and not zeros and np.ptp(nonzero) > 0:
        result = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided", method="exact")
        return float(result.statistic), float(result.pvalue), "exact", min_p
    ranks = stats.rankdata(np.abs(nonzero))
    w_plus = float(ranks[nonzero > 0].sum())
    support, prob = signed_rank_null(ranks)
    tol = 1e-9
    lower, upper = prob[support <= w_plus + tol].sum(), prob[support >= w_plus - tol].sum()
    p = float(min(1.0, 2 * min(lower, upper)))
    label = "shift_ties_zeros" if ties and zeros else "shift_ties" if ties else "shift_zeros"
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
        return None, "not_computed", None
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
    label = "exact" if exact else "monte_carlo"
    return float(result.pvalue), label, r


def _mean_statistic(x, axis):
    return np.mean(x, axis=axis)


def _bootstrap(d: np.ndarray, seed: int, resamples: int):
    """Seeded BCa bootstrap interval of the mean change (None when not run)."""
    n = d.size
    if resamples <= 0:
        return None, None, None, "not_run_no_resamples"
    if n < BOOTSTRAP_MIN_N:
        return None, None, None, "not_run_few"
    if np.all(d == d[0]):
        return None, None, None, "not_run_no_spread"
    if n > BOOTSTRAP_MAX_N:
        return None, None, None, "not_run_many"
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
    return float(ci.low), float(ci.high), int(resamples), "bca"


#: How each test was run (the codes of :class:`IncomeChange`), as results.json records it: the
#: English descriptions the key has always held. Readers see :mod:`analysis.report.income`'s words.
RECORDED_METHODS = {
    "wilcoxon_method": {
        "exact": "exact",
        "normal": "normal approximation with tie correction",
        "shift_ties_zeros": "exact permutation distribution of the signed ranks (shift "
        "algorithm, ties and zeros dropped)",
        "shift_ties": "exact permutation distribution of the signed ranks (shift algorithm, ties)",
        "shift_zeros": "exact permutation distribution of the signed ranks (shift algorithm, "
        "zeros dropped)",
    },
    "permutation_method": {
        "exact": "exact: all {flips:,} sign flips",
        "monte_carlo": "Monte Carlo: {flips:,} random sign flips, seeded",
        "not_computed": "not computed (n > {permutation_max:,}: the paired t test is its "
        "large-sample equivalent)",
    },
    "bootstrap_method": {
        "bca": "BCa, {resamples:,} resamples, seed {seed}",
        "not_run_no_resamples": "not run (0 resamples requested)",
        "not_run_few": "not run (n < {bootstrap_min:,}: a bootstrap of so few households gives "
        "back about their range)",
        "not_run_no_spread": "not run (every change is the same: nothing to resample)",
        "not_run_many": "not run (n > {bootstrap_max:,}; the t interval suffices at this n)",
    },
}


def recorded_method(result: IncomeChange, key: str) -> str:
    """The record of how a test ran (``key`` one of :data:`RECORDED_METHODS`), for results.json."""
    return RECORDED_METHODS[key][getattr(result, key)].format(
        flips=result.permutation_resamples or 0,
        permutation_max=PERMUTATION_MAX_N,
        resamples=result.bootstrap_resamples or 0,
        seed=result.bootstrap_seed,
        bootstrap_min=BOOTSTRAP_MIN_N,
        bootstrap_max=BOOTSTRAP_MAX_N,
    )
