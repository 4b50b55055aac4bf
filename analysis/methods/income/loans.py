"""Loans: the monthly income gain per Rupiah borrowed, if all of it were the loan's doing.

:func:`loan_return` -> :class:`LoanReturn` (None without loan amounts); :func:`loan_terms` picks
real incomes where they could be deflated. The benchmark is de Mel, McKenzie and Woodruff (2008).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.methods.income.change import household_changes
from analysis.methods.income.checks import plain

# The claims a study makes (income change, informants, uses of credit) come from the study
# registry (:attr:`analysis.data.registry.Study.all_claims`), never from this module.
DE_MEL_MONTHLY_RETURN = (
    4.6,
    5.3,
)  # de Mel, McKenzie & Woodruff (2008): real return, percent a month


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
        values = {k: plain(v) for k, v in asdict(self).items()}
        values["multiple_of_benchmark"] = self.multiple_of_benchmark
        return values


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


def loan_terms(households, real, result, real_result) -> tuple[LoanReturn | None, str, dict]:
    """(loans, their prices, facts for results.json): in real terms where incomes were deflated."""
    frame, prices = (households, result.prices) if real is None else (real, real_result.prices)
    before, after = (
        ("income_before", "income_after")
        if real is None
        else ("income_before_real", "income_after_real")
    )
    loans = loan_return(frame, before=before, after=after)
    facts = {} if loans is None else {f"loan_{k}": v for k, v in loans.to_dict().items()}
    return loans, prices, facts
