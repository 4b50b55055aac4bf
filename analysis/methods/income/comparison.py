"""Recipients against non-recipients: difference-in-differences with few-clusters inference.

A before/after change of recipients is not an effect of the programme; only households that did
not receive it, observed over the same years, can tell the two apart. :func:`has_comparison_group`
says whether the data hold them, :func:`difference_in_differences` -> :class:`DiffInDiff`
estimates the difference. Why a p-value is missing is a code (``no_p_reason``):
``"one_treated_cluster"``, ``"no_other_assignment"`` or ``"degenerate_se"``. A cluster-robust
standard error from a single treated cluster (~1e-14 when the comparison group is one cluster
too), or any that is zero up to rounding, is not a figure: it, its interval and its p are None,
never recorded as numbers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.methods.income.change import household_changes
from analysis.methods.income.checks import IncomeDataError, as_bool, plain, require_columns
from analysis.methods.income.clusters import degenerate_se, with_cluster_labels


def has_comparison_group(households: pd.DataFrame, minimum: int = 2) -> bool:
    """True when at least ``minimum`` non-recipient households have both incomes."""
    if "recipient" not in households.columns:
        return False
    others = households[~as_bool(households["recipient"], "recipient")]
    both = others["income_before"].notna() & others["income_after"].notna()
    return int(both.sum()) >= minimum


#: Below this many treated or comparison clusters, cluster-robust p-values over-reject (with the
#: programme constant within clusters, 2 + 2 clusters reject a true null about 11 % of the time at
#: 5 %, 1 + 1 always): the p-value then comes from randomization inference over cluster assignments.
FEW_CLUSTERS = 10
RANDOMIZATION_MAX_EXACT = 20_000  # enumerate every assignment up to this many, else sample
RANDOMIZATION_RESAMPLES = 9_999


#: Why a difference-in-differences has no p-value (codes of :attr:`DiffInDiff.no_p_reason`).
ONE_TREATED_CLUSTER = "one_treated_cluster"
NO_OTHER_ASSIGNMENT = "no_other_assignment"
DEGENERATE_SE = (
    "degenerate_se"  # many clusters, but the cluster-robust error is zero up to rounding
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
    no_p_reason: str | None  # a code: ONE_TREATED_CLUSTER, NO_OTHER_ASSIGNMENT or DEGENERATE_SE
    did_pct: float
    did_pct_ci95_low: float | None
    did_pct_ci95_high: float | None

    @property
    def few_clusters(self) -> bool:
        return min(self.n_treated_clusters, self.n_comparison_clusters) < FEW_CLUSTERS

    def to_dict(self) -> dict:
        values = {k: plain(v) for k, v in asdict(self).items()}
        values["few_clusters"] = self.few_clusters
        return values


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
    clusters) no p-value is given (:data:`ONE_TREATED_CLUSTER`).
    """
    import statsmodels.api as sm

    require_columns(households, ["cluster", "recipient"])
    changes = household_changes(households, recipients_only=False, before=before, after=after)
    changes = with_cluster_labels(changes)
    treated = as_bool(changes["recipient"], "recipient").to_numpy()
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
    # With one treated cluster (and none shared), the cluster-robust variance has no
    # between-cluster variation to estimate the effect's from: its SE, p and interval are
    # artefacts, not figures, and are not reported; nor is any SE that is zero up to rounding.
    degenerate = (n_mixed == 0 and n_treated_cl == 1) or degenerate_se(float(fit.bse[3]), logd)
    assignments, exact, reason = None, None, None
    if min(n_treated_cl, n_comparison_cl) >= FEW_CLUSTERS and degenerate:
        p, inference, reason = None, "none", DEGENERATE_SE
    elif min(n_treated_cl, n_comparison_cl) >= FEW_CLUSTERS:
        p, inference = robust_p, "cluster-robust"
    elif n_mixed == 0 and n_treated_cl == 1:
        p, inference, reason = None, "none", ONE_TREATED_CLUSTER
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
            p, inference, reason = None, "none", NO_OTHER_ASSIGNMENT
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


def optional_difference_in_differences(households: pd.DataFrame) -> DiffInDiff | None:
    """:func:`difference_in_differences` when the data hold a comparison group, else None."""
    return difference_in_differences(households) if has_comparison_group(households) else None


def did_facts(did: DiffInDiff | None) -> dict:
    """What results.json records of the difference-in-differences (``did_``-prefixed); none without."""
    return {} if did is None else {f"did_{k}": v for k, v in did.to_dict().items()}
