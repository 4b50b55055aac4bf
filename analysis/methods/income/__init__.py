"""Income change of programme households, estimated honestly for a tiny sample.

One module an idea, each returning numbers and codes (no words; :mod:`analysis.report.income`
writes them in the edition's language):

- :mod:`~analysis.methods.income.change`: per-household changes and the before/after estimate
  (:func:`income_change` -> :class:`IncomeChange`) with its small-sample tests;
- :mod:`~analysis.methods.income.primary`: the primary test, named before any result: did
  incomes rise more than prices alone would have raised them (against zero nominal change only
  when the data hold no price series);
- :mod:`~analysis.methods.income.clusters`: the mean change with cluster-robust errors;
- :mod:`~analysis.methods.income.comparison`: recipients against non-recipients
  (``difference_in_differences``; imported from its module, not re-exported here, so that only
  the chapters that compare import it);
- :mod:`~analysis.methods.income.prices`: real terms (:func:`deflate`, :func:`real_terms`);
- :mod:`~analysis.methods.income.power`: the change by group, and the power of the design;
- :mod:`~analysis.methods.income.loans`: the income gain per Rupiah borrowed;
- :mod:`~analysis.methods.income.claims`: the study's published claims against the data.

Bad input raises :class:`IncomeDataError` with a message naming the problem and what was expected.
The names below are those the package has always offered.
"""

from __future__ import annotations

from analysis.methods.income.change import (
    BOOTSTRAP_MAX_N,
    BOOTSTRAP_MIN_N,
    CONTRACT_KEYS,
    EXACT_PERMUTATION_MAX_N,
    EXACT_WILCOXON_MAX_N,
    EXPLORATORY_BELOW_N,
    HODGES_LEHMANN_MAX_N,
    PERMUTATION_MAX_N,
    IncomeChange,
    hodges_lehmann,
    household_changes,
    income_change,
    signed_rank_null,
)
from analysis.methods.income.checks import (
    INCOME_COLUMNS,
    CpiYearMissingError,
    IncomeDataError,
    as_bool,
)
from analysis.methods.income.claims import (
    BY_CONSTRUCTION,
    CONSISTENT,
    DESIGN_CLAIM,
    INCOME_CLAIM,
    INCONCLUSIVE,
    INCONSISTENT,
    NO_CLAIM,
    NOT_TESTABLE,
    claim_range,
    claims_check,
    interval_verdict,
    recall_bias,
    reproduction_check,
    reproduction_counts,
)
from analysis.methods.income.clusters import ClusterRobust, cluster_robust_change, has_clusters
from analysis.methods.income.loans import DE_MEL_MONTHLY_RETURN, LoanReturn, loan_return
from analysis.methods.income.power import Power, change_by_group, has_groups, power_analysis
from analysis.methods.income.prices import (
    cumulative_inflation,
    deflate,
    inflation_series,
    price_factor,
    real_terms,
)

_as_bool = as_bool  # the name other modules have used

__all__ = [
    "BOOTSTRAP_MAX_N",
    "BOOTSTRAP_MIN_N",
    "BY_CONSTRUCTION",
    "CONSISTENT",
    "CONTRACT_KEYS",
    "DESIGN_CLAIM",
    "DE_MEL_MONTHLY_RETURN",
    "EXACT_PERMUTATION_MAX_N",
    "EXACT_WILCOXON_MAX_N",
    "EXPLORATORY_BELOW_N",
    "HODGES_LEHMANN_MAX_N",
    "INCOME_CLAIM",
    "INCOME_COLUMNS",
    "INCONCLUSIVE",
    "INCONSISTENT",
    "NOT_TESTABLE",
    "NO_CLAIM",
    "PERMUTATION_MAX_N",
    "ClusterRobust",
    "CpiYearMissingError",
    "IncomeChange",
    "IncomeDataError",
    "LoanReturn",
    "Power",
    "as_bool",
    "change_by_group",
    "claim_range",
    "claims_check",
    "cluster_robust_change",
    "cumulative_inflation",
    "deflate",
    "has_clusters",
    "has_groups",
    "hodges_lehmann",
    "household_changes",
    "income_change",
    "inflation_series",
    "interval_verdict",
    "loan_return",
    "power_analysis",
    "price_factor",
    "real_terms",
    "recall_bias",
    "reproduction_check",
    "reproduction_counts",
    "signed_rank_null",
]
