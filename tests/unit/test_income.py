"""Income-change estimates: each statistic against an independent computation or a published example."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.data import registry
from analysis.illustrative.households import generate_households
from analysis.methods import income
from analysis.methods.income import claims, comparison, primary
from analysis.project import PROJECT_ROOT
from analysis.report import income as report

ROOT = PROJECT_ROOT
CPI_ROWS = [  # national CPI inflation, December on December (data/public/cpi_inflation_national.csv)
    ("00", 2014, "cpi_inflation_dec_on_dec", 8.36),
    ("00", 2015, "cpi_inflation_dec_on_dec", 3.35),
    ("00", 2016, "cpi_inflation_dec_on_dec", 3.02),
    ("00", 2017, "cpi_inflation_dec_on_dec", 3.61),
    ("00", 2016, "cpi_level_dec", 126.71),
]


def households_from(
    before, after, *, recipient=True, cluster=None, years=(2015, 2017), **extra
) -> pd.DataFrame:
    """A households frame built by hand (Rupiah a month)."""
    n = len(before)
    frame = pd.DataFrame(
        {
            "household_id": [f"H{i + 1:03d}" for i in range(n)],
            "site": "pakis",
            "kelurahan": "Pakis",
            "cluster": cluster if cluster is not None else ["RW01"] * n,
            "recipient": recipient if isinstance(recipient, list) else [recipient] * n,
            "component": "revolving_credit",
            "income_before": before,
            "income_after": after,
            "year_before": years[0],
            "year_after": years[1],
        }
    )
    for name, values in extra.items():
        frame[name] = values
    return frame


@pytest.fixture
def cpi() -> pd.DataFrame:
    return pd.DataFrame(CPI_ROWS, columns=["area_code", "year", "indicator", "value"])


# ----------------------------------------------------------------------------- per household
def test_absolute_percent_and_log_changes_per_household():
    changes = income.household_changes(
        households_from([800_000, 1_000_000], [1_000_000, 1_500_000])
    )
    assert changes["abs_change"].tolist() == [200_000, 500_000]
    assert changes["pct_change"].tolist() == pytest.approx([25.0, 50.0])
    assert changes["log_change"].tolist() == pytest.approx([math.log(1.25), math.log(1.5)])


def test_household_changes_leave_the_callers_frame_untouched():
    frame = households_from([800_000, 1_000_000], [1_000_000, 1_500_000])
    before = frame.copy()
    income.household_changes(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_only_recipients_with_both_incomes_are_counted():
    frame = households_from(
        [800_000, 900_000, 1_000_000, 700_000],
        [1_000_000, None, 1_300_000, 2_000_000],
        recipient=[True, True, True, False],
    )
    result = income.income_change(frame, bootstrap_resamples=0)
    assert result.n == 2 and result.n_missing_income == 1
    assert result.mean_before == 900_000 and result.mean_after == 1_150_000


def test_mean_of_percent_changes_differs_from_percent_change_of_the_means():
    result = income.income_change(
        households_from([100_000, 200_000], [200_000, 220_000]), bootstrap_resamples=0
    )
    assert result.mean_pct_change == pytest.approx((100 + 10) / 2)  # 55 %
    assert result.pct_change_of_means == pytest.approx((420_000 / 300_000 - 1) * 100)  # 40 %
    assert result.median_abs_change == pytest.approx(60_000)


# ----------------------------------------------------------------------------- inference
EXAMPLE_BEFORE = [910_000, 1_180_000, 1_260_000, 970_000, 1_600_000, 750_000, 880_000]
EXAMPLE_AFTER = [1_230_000, 1_810_000, 1_150_000, 1_430_000, 2_110_000, 1_190_000, 1_170_000]


def test_paired_t_interval_matches_the_hand_formula():
    d = np.subtract(EXAMPLE_AFTER, EXAMPLE_BEFORE, dtype=float)
    n = d.size
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    result = income.income_change(
        households_from(EXAMPLE_BEFORE, EXAMPLE_AFTER), bootstrap_resamples=0
    )
    assert result.mean_abs_change == pytest.approx(d.mean())
    assert result.t_ci95_low == pytest.approx(d.mean() - half)
    assert result.t_ci95_high == pytest.approx(d.mean() + half)
    t_stat = d.mean() / (d.std(ddof=1) / math.sqrt(n))
    assert result.t_p == pytest.approx(2 * stats.t.sf(abs(t_stat), n - 1))


def test_wilcoxon_matches_published_example():
    """Hollander & Wolfe (1973, p. 29) depression scores, first (x) and second (y) visit.

    Published (R's wilcox.test help page): V = 40, two-sided exact p-value = 0.03906 (= 20/512).
    """
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    result = income.income_change(households_from(y, x), bootstrap_resamples=0)
    assert result.wilcoxon_method == "exact"
    assert result.wilcoxon_p == pytest.approx(0.03906, abs=5e-6)
    assert result.wilcoxon_p == pytest.approx(20 / 512)
    assert result.wilcoxon_statistic == 45 - 40  # scipy reports min(R+, R-); R reports V = R+ = 40


def test_wilcoxon_smallest_attainable_p_is_two_over_two_to_the_n():
    before = [900_000 + 10_000 * i for i in range(9)]
    after = [
        b + 100_000 + 7_000 * i for i, b in enumerate(before)
    ]  # every household gains, no ties
    result = income.income_change(households_from(before, after), bootstrap_resamples=0)
    assert result.wilcoxon_min_p == pytest.approx(2 / 2**9)
    assert result.wilcoxon_p == pytest.approx(2 / 2**9)


def test_wilcoxon_with_ties_uses_the_exact_permutation_distribution():
    d = np.array([50_000, 50_000, 120_000, -30_000, 80_000, 80_000, 200_000])
    before = np.full(d.size, 1_000_000)
    result = income.income_change(households_from(before, before + d), bootstrap_resamples=0)
    assert result.wilcoxon_method == "shift_ties"
    # Independent: enumerate every sign pattern of the mid-ranks and count statistics as extreme.
    ranks = stats.rankdata(np.abs(d))
    observed = ranks[d > 0].sum()
    null = [
        sum(r for r, s in zip(ranks, signs) if s)
        for signs in itertools.product([0, 1], repeat=d.size)
    ]
    null = np.array(null)
    centre = ranks.sum() / 2
    expected = np.mean(np.abs(null - centre) >= abs(observed - centre) - 1e-9)
    assert result.wilcoxon_p == pytest.approx(expected)


def test_wilcoxon_with_ties_between_17_and_50_changes_is_exact_not_normal():
    """18 changes with ties: scipy's permutation_test over all 2^18 sign patterns of the signed ranks."""
    d = np.array([5, 5, 5, 8, 8, 10, 12, 12, 15, -3, 20, 20, 25, 30, 30, 35, -5, 40]) * 10_000.0
    before = np.full(d.size, 2_000_000.0)
    result = income.income_change(households_from(before, before + d), bootstrap_resamples=0)
    assert result.wilcoxon_method == "shift_ties"
    signed = np.sign(d) * stats.rankdata(np.abs(d))
    independent = stats.permutation_test(
        (signed,),
        lambda x, axis: np.sum(np.where(x > 0, x, 0), axis=axis),
        permutation_type="samples",
        n_resamples=np.inf,
        alternative="two-sided",
        vectorized=True,
        batch=2**15,
    )
    assert result.wilcoxon_p == pytest.approx(independent.pvalue, rel=1e-9)
    approx = stats.wilcoxon(d, method="approx").pvalue
    assert result.wilcoxon_p != pytest.approx(approx, rel=0.05)  # the old fallback was off


def test_signed_rank_null_without_ties_equals_scipys_exact_distribution():
    for n in (5, 12, 30):
        support, prob = income.signed_rank_null(np.arange(1, n + 1))
        d = np.arange(1, n + 1, dtype=float)
        d[: n // 3] *= -1  # W+ = sum of the positive ranks
        w_plus = d[d > 0].sum()
        expected = stats.wilcoxon(d, method="exact", alternative="greater").pvalue
        assert prob[support >= w_plus].sum() == pytest.approx(expected)


def test_sign_flip_permutation_p_matches_explicit_enumeration_on_five_households():
    before = np.array([1_000_000, 800_000, 1_200_000, 950_000, 700_000])
    d = np.array([120_000, -30_000, 45_000, 80_000, 10_000])
    result = income.income_change(households_from(before, before + d), bootstrap_resamples=0)
    means = np.array([np.mean(np.array(s) * d) for s in itertools.product([-1, 1], repeat=5)])
    expected = np.mean(np.abs(means) >= abs(d.mean()) - 1e-9)
    assert result.permutation_p == pytest.approx(expected)
    assert result.permutation_method == "exact"
    assert result.to_dict()["permutation_method"] == "exact: all 32 sign flips"  # as recorded
    assert result.permutation_resamples == 32


def test_permutation_test_falls_back_to_seeded_monte_carlo_above_sixteen_households():
    frame = generate_households(2, n_recipients=30)
    first = income.income_change(frame, seed=5, bootstrap_resamples=0)
    again = income.income_change(frame, seed=5, bootstrap_resamples=0)
    assert first.permutation_method == "monte_carlo"
    assert first.permutation_p == again.permutation_p
    assert first.permutation_resamples == 9999
    # Every household gained: one-sided (0 + 1) / (9999 + 1), doubled for the two-sided p.
    assert first.permutation_p == pytest.approx(2 / 10_000)


def test_bootstrap_is_seeded_bca_and_exploratory_below_twenty():
    frame = households_from(EXAMPLE_BEFORE, EXAMPLE_AFTER)
    a = income.income_change(frame, seed=11, bootstrap_resamples=1999)
    b = income.income_change(frame, seed=11, bootstrap_resamples=1999)
    assert (a.bootstrap_ci95_low, a.bootstrap_ci95_high) == (
        b.bootstrap_ci95_low,
        b.bootstrap_ci95_high,
    )
    assert a.exploratory and a.bootstrap_method == "bca"
    assert a.to_dict()["bootstrap_method"] == "BCa, 1,999 resamples, seed 11"
    d = np.subtract(EXAMPLE_AFTER, EXAMPLE_BEFORE, dtype=float)
    independent = stats.bootstrap(
        (d,), np.mean, method="BCa", n_resamples=1999, rng=np.random.default_rng(11)
    )
    assert a.bootstrap_ci95_low == pytest.approx(independent.confidence_interval.low)
    assert a.bootstrap_ci95_high == pytest.approx(independent.confidence_interval.high)
    larger = income.income_change(generate_households(1, n_recipients=25), bootstrap_resamples=999)
    assert not larger.exploratory


def test_geometric_mean_ratio_and_its_interval_come_from_log_changes():
    logs = np.log(np.divide(EXAMPLE_AFTER, EXAMPLE_BEFORE))
    half = stats.t.ppf(0.975, logs.size - 1) * logs.std(ddof=1) / math.sqrt(logs.size)
    result = income.income_change(
        households_from(EXAMPLE_BEFORE, EXAMPLE_AFTER), bootstrap_resamples=0
    )
    assert result.geo_mean_ratio == pytest.approx(math.exp(logs.mean()))
    assert result.geo_ci95_low == pytest.approx(math.exp(logs.mean() - half))
    assert result.geo_ci95_high == pytest.approx(math.exp(logs.mean() + half))


def test_results_contract_keys_are_plain_python_values():
    values = income.income_change(
        generate_households(20170801), seed=1, bootstrap_resamples=999
    ).to_dict()
    for key in income.CONTRACT_KEYS:
        assert key in values
        assert type(values[key]) in (int, float), key
    assert values["n"] == 9
    assert (
        0 < values["wilcoxon_p"] < 1
        and values["t_ci95_low"] < values["mean_abs_change"] < values["t_ci95_high"]
    )


def test_large_samples_skip_permutation_and_bootstrap_and_say_why():
    frame = generate_households(3, n_recipients=12_000)
    result = income.income_change(frame, bootstrap_resamples=999)
    assert result.permutation_p is None and result.permutation_method == "not_computed"
    assert result.bootstrap_ci95_low is None and result.bootstrap_method == "not_run_many"
    assert result.wilcoxon_method == "normal"
    assert result.to_dict()["wilcoxon_method"] == "normal approximation with tie correction"


# ----------------------------------------------------------------------------- clusters and DiD
def _cr1_covariance(X: np.ndarray, resid: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Cluster-robust (CR1) covariance by the textbook sandwich formula."""
    n, k = X.shape
    labels = np.unique(groups)
    bread = np.linalg.inv(X.T @ X)
    meat = sum(
        np.outer(X[groups == g].T @ resid[groups == g], X[groups == g].T @ resid[groups == g])
        for g in labels
    )
    g = labels.size
    return g / (g - 1) * (n - 1) / (n - k) * bread @ meat @ bread


def test_cluster_robust_interval_matches_the_sandwich_formula():
    frame = generate_households(4, n_recipients=40, n_clusters=6)
    result = income.cluster_robust_change(frame)
    d = (frame["income_after"] - frame["income_before"]).to_numpy(dtype=float)
    groups = frame["cluster"].to_numpy()
    cov = _cr1_covariance(np.ones((d.size, 1)), d - d.mean(), groups)
    se = math.sqrt(cov[0, 0])
    half = stats.t.ppf(0.975, 6 - 1) * se
    assert result.n_clusters == 6 and result.df == 5
    assert result.estimate == pytest.approx(d.mean())
    assert result.se == pytest.approx(se)
    assert (result.ci95_low, result.ci95_high) == pytest.approx((d.mean() - half, d.mean() + half))


def test_difference_in_differences_equals_difference_of_mean_log_changes():
    frame = generate_households(8, n_recipients=60, n_comparison=40, n_clusters=10)
    did = comparison.difference_in_differences(frame)
    logs = np.log(frame["income_after"] / frame["income_before"])
    expected = logs[frame["recipient"]].mean() - logs[~frame["recipient"]].mean()
    assert did.did_log == pytest.approx(expected)
    assert did.did_pct == pytest.approx((math.exp(expected) - 1) * 100)
    # Standard error: the cluster sandwich of the long (household x period) regression.
    m = len(frame)
    y = np.concatenate([np.log(frame["income_before"]), np.log(frame["income_after"])])
    rec = np.tile(frame["recipient"].to_numpy(dtype=float), 2)
    post = np.repeat([0.0, 1.0], m)
    X = np.column_stack([np.ones(2 * m), rec, post, rec * post])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    cov = _cr1_covariance(X, y - X @ beta, np.tile(frame["cluster"].to_numpy(), 2))
    assert did.se == pytest.approx(math.sqrt(cov[3, 3]))
    assert did.n_recipients == 60 and did.n_comparison == 40 and did.n_clusters == 10


def _two_neighbourhoods(seed: int, shock: float = 0.3, effect: float = 0.0) -> pd.DataFrame:
    """All recipients in one RW, all others in another; the recipients' RW has a shock."""
    rng = np.random.default_rng(seed)
    n = 20
    before = rng.lognormal(13.7, 0.3, size=2 * n)
    treated = np.repeat([True, False], n)
    growth = 0.05 + rng.normal(0, 0.1, size=2 * n) + np.where(treated, shock + effect, 0.0)
    return households_from(
        before.round(-3),
        (before * np.exp(growth)).round(-3),
        recipient=treated.tolist(),
        cluster=np.where(treated, "RW01", "RW02").tolist(),
    )


def test_one_treated_neighbourhood_with_a_shock_and_no_effect_reports_no_p_below_005():
    """Done-when: the DiD is estimated; no p-value at all with one treated cluster, and why."""
    did = comparison.difference_in_differences(_two_neighbourhoods(1))
    assert did.did_log == pytest.approx(did.recipient_log_change - did.comparison_log_change)
    assert did.did_log > 0.15  # the shock looks like an effect
    # the degenerate cluster-robust figures (SE ~1e-14, p ~1e-13) are not reported at all
    assert did.cluster_robust_p is None and did.se is None
    assert did.ci95_low is None and did.did_pct_ci95_low is None
    assert did.p is None and did.inference == "none"
    assert did.no_p_reason == comparison.ONE_TREATED_CLUSTER
    assert did.n_treated_clusters == 1 and did.n_comparison_clusters == 1
    text = report.describe_did(did, lang="en")
    assert "no p-value" in text and "parallel trends" in text
    assert "estimated effect" not in text and "cannot attribute" in text
    assert did.to_dict()["p"] is None


def _clustered_panel(seed: int, n_treated: int, n_comparison: int, per: int = 8, effect=0.0):
    """Programme constant within clusters; each cluster has its own shock; no effect by default."""
    rng = np.random.default_rng(seed)
    g = n_treated + n_comparison
    cluster = np.repeat([f"RW{i:02d}" for i in range(g)], per)
    treated = np.repeat(np.arange(g) < n_treated, per)
    shock = np.repeat(rng.normal(0, 0.15, size=g), per)
    before = rng.lognormal(13.7, 0.3, size=g * per)
    growth = 0.05 + shock + rng.normal(0, 0.05, size=g * per) + np.where(treated, effect, 0)
    return households_from(
        before, before * np.exp(growth), recipient=treated.tolist(), cluster=cluster.tolist()
    )


def test_randomization_inference_over_cluster_assignments_equals_explicit_enumeration():
    frame = _clustered_panel(2, 3, 3)
    did = comparison.difference_in_differences(frame)
    assert did.inference == "randomization (clusters)" and did.randomization_exact
    assert did.randomization_assignments == math.comb(6, 3) == 20
    logs = np.log(frame["income_after"] / frame["income_before"]).to_numpy()
    labels = frame["cluster"].to_numpy()
    observed = abs(did.did_log)
    count = 0
    for chosen in itertools.combinations(sorted(set(labels)), 3):
        t = np.isin(labels, chosen)
        count += abs(logs[t].mean() - logs[~t].mean()) >= observed - 1e-12
    assert did.p == pytest.approx(count / 20)


def test_few_clusters_keep_the_false_rejection_rate_at_or_below_five_percent():
    """2 + 2 clusters under the null: cluster-robust p rejects too often, randomization does not."""
    robust, randomized = [], []
    for seed in range(150):
        did = comparison.difference_in_differences(_clustered_panel(seed, 4, 4, per=5))
        robust.append(did.cluster_robust_p < 0.05)
        randomized.append(did.p < 0.05)
    assert np.mean(randomized) <= 0.07  # exact test: at most 5 % in expectation (MC slack)
    assert np.mean(robust) > np.mean(randomized)


def test_many_clusters_use_the_cluster_robust_p():
    frame = _clustered_panel(5, 10, 10, per=4)
    did = comparison.difference_in_differences(frame)
    assert did.inference == "cluster-robust" and did.p == did.cluster_robust_p


def test_missing_cluster_labels_are_left_out_not_a_cluster_called_nan():
    frame = _clustered_panel(6, 3, 3)
    frame.loc[[0, 9], "cluster"] = None
    did = comparison.difference_in_differences(frame)
    assert did.n_missing_cluster == 2 and did.n_clusters == 6
    clustered = income.cluster_robust_change(frame)
    assert clustered.n_clusters == 3 and clustered.n == 22  # rows 0 and 9 are both recipients


def test_difference_in_differences_needs_a_comparison_group():
    frame = generate_households(1)
    assert not comparison.has_comparison_group(frame)
    with pytest.raises(income.IncomeDataError, match="at least 2 recipient and 2 non-recipient"):
        comparison.difference_in_differences(frame)


# ----------------------------------------------------------------------------- prices
def test_deflating_uses_compounded_december_on_december_inflation(cpi):
    frame = households_from([1_000_000, 2_000_000], [1_300_000, 2_500_000])
    real = income.deflate(frame, cpi)
    factor = 1.0302 * 1.0361  # 2015 prices -> 2017 prices
    assert real.attrs["price_base_year"] == 2017
    assert real["income_before_real"].tolist() == pytest.approx(
        [1_000_000 * factor, 2_000_000 * factor]
    )
    assert real["income_after_real"].tolist() == pytest.approx([1_300_000, 2_500_000])
    assert income.cumulative_inflation(cpi, 2015, 2017) == pytest.approx((factor - 1) * 100)
    result = income.income_change(
        real, before="income_before_real", after="income_after_real", bootstrap_resamples=0
    )
    assert result.mean_abs_change == pytest.approx((1_300_000 + 2_500_000 - 3_000_000 * factor) / 2)


def test_deflating_with_the_shipped_cpi_file():
    path = ROOT / "data" / "public" / "cpi_inflation_national.csv"
    if not path.exists():
        pytest.skip("data/public/cpi_inflation_national.csv not present")
    series = income.inflation_series(pd.read_csv(path, dtype={"area_code": str}))
    assert series[2016] == pytest.approx(3.02) and series[2017] == pytest.approx(3.61)


def test_real_change_of_illustrative_data_is_smaller_than_nominal(cpi):
    frame = generate_households(20170801)
    nominal = income.income_change(frame, bootstrap_resamples=0)
    real = income.income_change(
        income.deflate(frame, cpi),
        before="income_before_real",
        after="income_after_real",
        bootstrap_resamples=0,
    )
    assert real.mean_pct_change < nominal.mean_pct_change
    assert real.mean_after == pytest.approx(nominal.mean_after)  # 2017 incomes are in 2017 prices


# ----------------------------------------------------------------------------- groups, power, loans
def test_change_by_component_matches_a_manual_groupby():
    frame = generate_households(6, n_recipients=40)
    table = income.change_by_group(frame, "component").set_index("component")
    d = frame["income_after"] - frame["income_before"]
    manual = d.groupby(frame["component"]).agg(["size", "mean", "median"])
    assert table["n"].to_dict() == manual["size"].to_dict()
    assert table["mean_abs_change"].to_numpy() == pytest.approx(
        manual.loc[table.index, "mean"].to_numpy()
    )
    assert table["median_abs_change"].to_numpy() == pytest.approx(
        manual.loc[table.index, "median"].to_numpy()
    )


def _t_power(effect: float, n: int, alpha: float = 0.05) -> float:
    """Power of a two-sided one-sample t test, from the noncentral t distribution."""
    crit = stats.t.ppf(1 - alpha / 2, n - 1)
    nc = effect * math.sqrt(n)
    return stats.nct.sf(crit, n - 1, nc) + stats.nct.cdf(-crit, n - 1, nc)


def test_power_minimum_detectable_change_and_sample_size():
    frame = generate_households(20170801)
    power = income.power_analysis(frame, target_pct=10.0)
    d = (frame["income_after"] - frame["income_before"]).to_numpy(dtype=float)
    logs = np.log(frame["income_after"] / frame["income_before"]).to_numpy()
    assert power.sd_abs_change == pytest.approx(d.std(ddof=1))
    assert _t_power(power.mde_abs_change / d.std(ddof=1), power.n) == pytest.approx(0.8, abs=1e-4)
    effect = math.log(1.10) / logs.std(ddof=1)
    assert _t_power(effect, power.n_for_target) >= 0.8
    if power.n_for_target > 2:
        assert _t_power(effect, power.n_for_target - 1) < 0.8


def test_power_with_noisy_changes_needs_many_households():
    rng = np.random.default_rng(0)
    before = rng.integers(50, 150, 30) * 10_000
    after = (before * np.exp(rng.normal(0.05, 0.5, 30))).round(-4)
    power = income.power_analysis(households_from(before, after))
    assert power.n_for_target > 100
    effect = math.log(1.10) / power.sd_log_change
    assert _t_power(effect, power.n_for_target) >= 0.8 > _t_power(effect, power.n_for_target - 1)


def test_loan_return_is_gain_over_loan_per_month():
    frame = households_from(
        [1_000_000, 800_000, 900_000],
        [1_400_000, 1_000_000, 1_000_000],
        loan_amount=pd.array([2_000_000, 1_000_000, None], dtype="Int64"),
    )
    loans = income.loan_return(frame)
    assert loans.n == 2 and loans.mean_loan == 1_500_000
    assert loans.return_of_means_pct == pytest.approx(300_000 / 1_500_000 * 100)
    assert loans.median_return_pct == pytest.approx(np.median([20.0, 20.0]))
    assert loans.multiple_of_benchmark == pytest.approx(20 / 5.3)
    assert income.loan_return(households_from([1, 2], [2, 3])) is None


# ----------------------------------------------------------------------------- reproduction check
#: The Pakis study's row of the shipped registry: the claims the check compares the data with.
PAKIS_CLAIM = registry.study(PROJECT_ROOT / "data", "pakis").all_claims


def test_a_study_without_claims_has_an_empty_reproduction_table():
    check = income.reproduction_check(
        generate_households(20170801), edition="field", claim=dict.fromkeys(registry.CLAIM_KEYS)
    )
    assert check.empty
    assert tuple(check.columns) == claims.CHECK_COLUMNS
    assert report.claims(check, None, "field", {}, real=False, lang="en")[0].markdown.endswith(
        "there is nothing to check."
    )


def test_a_single_published_figure_is_a_range_of_one_value():
    frame = households_from([1_000_000, 2_000_000], [1_100_000, 2_200_000])  # +10 % each
    claim = {"claim_pct_low": 10.0, "claim_pct_high": None, "claim_rp_low": None}
    check = income.reproduction_check(frame, edition="field", claim=claim)
    assert check["claim"].tolist() == ["Mean income increase of 10 %"]
    assert check["published"].tolist() == [(10.0, 10.0)]
    assert report.claims_table(check, lang="en")["published"].tolist() == ["10\u00a0%"]
    assert check["verdict"].tolist() == ["consistent"]  # no spread: the mean is the figure


def _informants(core: int, additional: int) -> pd.DataFrame:
    ids = [f"PKS-R{i:02d}" for i in range(1, core + 1)] + [
        f"PKS-S{i:02d}" for i in range(1, additional + 1)
    ]
    return pd.DataFrame(
        {
            "informant_id": ids,
            "site": "pakis",
            "role": ["resident"] * core + ["kelurahan_staff"] * additional,
        }
    )


SHIPPED = ROOT / "data" / "study" / "households.csv"


def test_reproduction_check_on_illustrative_data_is_never_reproduced_but_not_testable():
    check = income.reproduction_check(
        generate_households(20170801),
        edition="illustrative",
        informants=_informants(9, 2),
        site="pakis",
        claim=PAKIS_CLAIM,
    )
    assert len(check) == 4 and not check["verdict"].str.contains("reproduced").any()
    assert (check["verdict"] == income.BY_CONSTRUCTION).all()
    assert (check["basis"] == claims.BASIS_CONSTRUCTION).all()
    shown = report.claims_table(check, lang="en")
    assert shown["basis"].str.startswith("by construction").all()
    assert not shown["verdict"].str.contains("reproduced").any()
    assert income.reproduction_counts(check) == {}  # nothing to count: claims_reproduced is gone


def test_a_claim_of_none_is_no_claim():
    frame = households_from([1_000_000, 1_200_000, 900_000], [1_400_000, 1_650_000, 1_250_000])
    only_pct = {**PAKIS_CLAIM, "claim_rp_low": None, "claim_rp_high": None}
    check = income.reproduction_check(
        frame, edition="field", informants=None, site=None, result=None, claim=only_pct
    )
    assert check.query("kind == 'income'")["published"].tolist() == [(35.0, 45.0)]
    incomes = check.query("kind == 'income'")
    assert report.claims_table(incomes, lang="en")["published"].tolist() == ["35-45\u00a0%"]


def test_interval_verdict_follows_the_interval_not_the_point_estimate():
    """Noisy data whose mean lies in the range but whose interval is wide: inconclusive."""
    rng = np.random.default_rng(3)
    noisy = 40 + rng.normal(0, 60, size=9)
    verdict, low, high, tost_p = income.interval_verdict(noisy, 35, 45)
    assert verdict == "inconclusive" and low < 35 and high > 45
    # TOST equals statsmodels' two one-sided t tests (independent: scipy's one-sided t tests)
    lower = stats.ttest_1samp(noisy, 35, alternative="greater").pvalue
    upper = stats.ttest_1samp(noisy, 45, alternative="less").pvalue
    assert tost_p == pytest.approx(max(lower, upper))
    precise = 40 + rng.normal(0, 1, size=30)
    assert income.interval_verdict(precise, 35, 45)[0] == "consistent"
    assert income.interval_verdict(precise - 20, 35, 45)[0] == "inconsistent"


@pytest.mark.skipif(not SHIPPED.exists(), reason="shipped study data not present")
def test_shipped_data_judged_as_field_data_are_inconclusive_nominal_and_real(cpi):
    households = pd.read_csv(SHIPPED)
    real = income.deflate(households, cpi)
    check = income.reproduction_check(
        households,
        edition="field",
        informants=None,
        site="pakis",
        result=None,
        claim=PAKIS_CLAIM,
        real=real,
    )
    incomes = check.query("kind == 'income'")
    assert incomes["prices"].str.startswith("real").sum() == 2
    assert set(incomes["verdict"]) == {"inconclusive"}
    real_pct = incomes[incomes["prices"].str.startswith("real")]["data"].iloc[0]
    assert round(real_pct["mean"], 1) == 31.2  # outside 35-45 % as a point; the interval reaches it
    assert real_pct["high"] > 35
    shown = report.claims_table(check, lang="en")
    assert "mean of percent changes 31.2 %" in shown.loc[1, "data"]
    assert income.reproduction_counts(check) == {
        "income_claims_tested": 4,
        "income_claims_consistent": 0,
        "income_claims_inconsistent": 0,
        "income_claims_inconclusive": 4,
    }


@pytest.mark.skipif(not SHIPPED.exists(), reason="shipped study data not present")
def test_recall_bias_of_3_7_percent_already_takes_the_mean_below_35_percent():
    households = pd.read_csv(SHIPPED)
    recall = income.recall_bias(households, claim=PAKIS_CLAIM, edition="field")
    table = report.recall_table(recall, lang="en")
    leaves = recall.attrs["leaves_range_at_pct"]
    # Independent: reported before = (1 - u) x true before, so the true ratio is (1 - u) x a / b
    ratio = (households["income_after"] / households["income_before"]).to_numpy()
    assert np.mean(ratio * (1 - leaves / 100)) == pytest.approx(1.35)
    assert 3.6 < leaves < 3.7 and np.mean(ratio * (1 - 0.037)) < 1.35
    assert table["understatement (%)"].iloc[:7].tolist() == ["0", "5", "10", "15", "20", "25", "30"]
    assert table.loc[0, "mean vs claim"] == "within the claimed range"
    assert table.loc[1, "mean vs claim"] == "below the claimed range"
    assert recall["leaves"].tolist() == [False] * 7 + [True]
    illustrative = income.recall_bias(households, claim=PAKIS_CLAIM, edition="illustrative")
    assert (illustrative["verdict"] == income.BY_CONSTRUCTION).all()


# ----------------------------------------------------------------------------- Hodges-Lehmann
def _signrank_quantile(n: int, p: float) -> int:
    """R's qsignrank by brute force: smallest k with P(W+ <= k) >= p over all 2^n sign patterns."""
    totals = np.array(
        [
            sum(r for r, s in zip(range(1, n + 1), signs) if s)
            for signs in itertools.product([0, 1], repeat=n)
        ]
    )
    return next(k for k in range(n * (n + 1) // 2 + 1) if np.mean(totals <= k) >= p)


@pytest.mark.skipif(not SHIPPED.exists(), reason="shipped study data not present")
def test_hodges_lehmann_on_the_shipped_data_equals_an_independent_computation():
    households = pd.read_csv(SHIPPED)
    result = income.income_change(households, bootstrap_resamples=0)
    d = (households["income_after"] - households["income_before"]).to_numpy(dtype=float)
    walsh = sorted((a + b) / 2 for a, b in itertools.combinations_with_replacement(d, 2))
    k = _signrank_quantile(d.size, 0.025)
    assert result.hodges_lehmann == np.median(walsh) == 395_000
    assert (result.hodges_lehmann_ci95_low, result.hodges_lehmann_ci95_high) == (
        walsh[k - 1],
        walsh[len(walsh) - k],
    )
    assert (result.hodges_lehmann_ci95_low, result.hodges_lehmann_ci95_high) == (210_000, 590_000)
    values = result.to_dict()
    assert {"hodges_lehmann", "hodges_lehmann_ci95_low", "hodges_lehmann_ci95_high"} <= set(values)


def test_hodges_lehmann_interval_is_where_the_exact_wilcoxon_test_does_not_reject():
    """Test inversion: mu inside the interval iff the exact signed-rank test of d - mu has p > 0.05."""
    d = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]) - np.array(
        [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    )
    estimate, low, high, achieved = income.hodges_lehmann(d)
    assert estimate == pytest.approx(0.46)  # R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE)
    inside = np.linspace(low + 1e-6, high - 1e-6, 25)
    outside = [low - 1e-3, high + 1e-3]
    assert all(stats.wilcoxon(d - mu, method="exact").pvalue > 0.05 for mu in inside)
    assert all(stats.wilcoxon(d - mu, method="exact").pvalue <= 0.05 for mu in outside)
    assert achieved == pytest.approx(1 - 2 * 10 / 512)  # 1 - 2 P(W+ <= 5) at n = 9
    assert income.hodges_lehmann(d[:5])[1:] == (None, None, None)  # n = 5: no 95 % interval


def test_reproduction_check_on_field_data_can_fail_and_says_what_is_not_testable():
    frame = households_from([1_000_000, 1_200_000, 900_000], [1_100_000, 1_250_000, 1_000_000])
    check = income.reproduction_check(
        frame, edition="field", informants=_informants(8, 2), claim=PAKIS_CLAIM
    )
    verdicts = check["verdict"].tolist()
    # changes of +10 %, +4 % and +11 %: both 95 % intervals lie wholly below the claimed ranges
    assert verdicts[:3] == ["inconsistent", "inconsistent", "inconsistent"]
    assert check["kind"].tolist() == ["income", "income", "design", "design"]
    assert check["data"].iloc[2] == {"core": 8, "additional": 2}
    assert verdicts[3] == income.NOT_TESTABLE  # no credit_use column
    assert check["data"].iloc[3] == {"missing": claims.NO_CREDIT_USE_COLUMN}
    shown = report.claims_table(check, lang="en")
    assert "8 core, 2 additional" in shown["data"].iloc[2]
    assert shown["verdict"].iloc[3] == "not testable"
    assert shown["data"].iloc[3] == "no credit_use column"
    assert shown["basis"].iloc[0].startswith("field data")
    no_informants = income.reproduction_check(frame, edition="field", claim=PAKIS_CLAIM)
    assert no_informants.loc[2, "verdict"] == income.NOT_TESTABLE


# ----------------------------------------------------------------------------- bad input
def test_fewer_than_two_households_with_both_incomes_is_a_clear_error():
    frame = households_from([1_000_000, 900_000], [1_200_000, None])
    with pytest.raises(
        income.IncomeDataError, match=r"at least 2 recipient households with both incomes; found 1"
    ):
        income.income_change(frame)


def test_all_changes_zero_is_a_clear_error():
    frame = households_from([1_000_000, 900_000, 800_000], [1_000_000, 900_000, 800_000])
    with pytest.raises(income.IncomeDataError, match="every change is zero"):
        income.income_change(frame)


def test_identical_changes_still_get_the_rank_and_sign_tests_p_two_over_two_to_the_n():
    frame = households_from(
        [1_000_000, 900_000, 800_000, 700_000], [1_100_000, 1_000_000, 900_000, 800_000]
    )
    result = income.income_change(frame, bootstrap_resamples=999)
    assert result.wilcoxon_p == pytest.approx(2 / 2**4)
    assert result.permutation_p == pytest.approx(2 / 2**4)
    assert result.t_ci95_low is None and result.t_p is None  # no spread, no t interval
    assert result.bootstrap_ci95_low is None and result.bootstrap_method == "not_run_few"


def test_bca_is_not_run_on_two_households():
    result = income.income_change(households_from([1_000_000, 900_000], [1_200_000, 950_000]))
    assert result.bootstrap_ci95_low is None and result.bootstrap_method == "not_run_few"
    assert "n < 5" in result.to_dict()["bootstrap_method"]
    assert "n < 5" in report.method_text(result, "bootstrap_method", lang="en")


def test_year_after_before_year_before_names_the_household():
    frame = households_from([1_000_000, 900_000], [1_100_000, 1_000_000])
    frame.loc[1, "year_after"] = 2013
    with pytest.raises(
        income.IncomeDataError, match=r"year_after must not be earlier than year_before.*H002"
    ):
        income.income_change(frame)


def test_a_missing_cpi_year_names_the_year_and_what_is_needed(cpi):
    frame = households_from([1_000_000, 900_000], [1_100_000, 1_000_000], years=(2015, 2018))
    with pytest.raises(
        income.CpiYearMissingError, match=r"no inflation for year\(s\) 2018.*from 2016 to 2018"
    ):
        income.deflate(frame, cpi)
    assert issubclass(income.CpiYearMissingError, income.IncomeDataError)


def test_two_values_for_one_cpi_year_is_an_error(cpi):
    doubled = pd.concat([cpi, cpi.iloc[[2]].assign(value=3.1)])
    with pytest.raises(
        income.IncomeDataError, match="more than one 'cpi_inflation_dec_on_dec' value for year"
    ):
        income.inflation_series(doubled)


def test_missing_column_and_non_positive_income_are_clear_errors():
    frame = households_from([1_000_000, 900_000], [1_100_000, 1_000_000]).drop(columns="year_after")
    with pytest.raises(income.IncomeDataError, match="lacks column"):
        income.income_change(frame)
    frame = households_from([1_000_000, 0], [1_100_000, 1_000_000])
    with pytest.raises(income.IncomeDataError, match="positive amount.*H002"):
        income.income_change(frame)


# ----------------------------------------------------------------------------- the template


# --- what the chapter shows: numbers stay numbers, labels, one way to write p and Rupiah --------


def test_the_household_table_keeps_numbers_as_numbers_for_its_csv():
    households = _shipped_pakis()
    shown = report.household_table(income.household_changes(households), max_rows=50)
    for column in ("income before (Rp/month)", "change (Rp/month)", "change (%)"):
        assert pd.api.types.is_numeric_dtype(shown[column]), column
    assert set(report.HOUSEHOLD_COLUMNS) <= set(shown.columns)
    assert set(report.household_formats(report.Words("en"))) <= set(shown.columns)


def test_inference_p_values_have_three_significant_digits():
    result = income.income_change(_shipped_pakis(), seed=1, bootstrap_resamples=0)
    test = primary.primary_test(_shipped_pakis())
    p_values = [p for p in report.inference_table(test, result, lang="en")["p (two-sided)"] if p]
    assert p_values and all(
        re.fullmatch(r"<\u00a00\.001|0\.\d*[1-9]\d{2}|1\.00|n/a", p) for p in p_values
    ), p_values


def test_credit_uses_read_as_words_in_the_reproduction_check():
    households = _shipped_pakis()
    claim = {"claim_credit_use": "raw_materials; equipment"}
    check = claims.claims_check(households, edition="field", claim=claim)
    assert check.loc[0, "published"] == ("raw_materials", "equipment")  # codes in the check
    shown = report.claims_table(check, lang="en")
    text = " ".join(shown.loc[0, ["claim", "published", "data"]])
    assert "raw materials" in text and "raw_materials" not in text


def test_the_slope_chart_tells_lines_apart_and_writes_rupiah():
    import matplotlib.pyplot as plt

    fig = report.plot_slopes(_shipped_pakis(), lang="en")
    ax = fig.axes[0]
    colours = {line.get_color() for line in ax.get_lines() if line.get_linewidth() < 2}
    assert len(colours) > 1  # coloured by component
    fig.canvas.draw()
    assert all(t.get_text().startswith("Rp ") for t in ax.get_yticklabels() if t.get_text())
    assert "Rp" in ax.get_ylabel()
    ids = {t.get_text() for t in ax.texts}
    assert set(_shipped_pakis()["household_id"]) <= ids  # each line labelled at its end
    plt.close(fig)


def _shipped_pakis():
    from analysis.data.loading import load
    from analysis.project import DATA_DIR

    households = load(DATA_DIR, "households")
    return households[households["site"] == "pakis"].reset_index(drop=True)
