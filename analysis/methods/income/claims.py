"""Claims: each published claim of a study against the data, judged on intervals.

The claims come from the study registry (:attr:`analysis.data.registry.Study.all_claims`).
:func:`claims_check` gives one row a claim with numbers and codes only: the verdict
(:data:`CONSISTENT`, :data:`INCONSISTENT`, :data:`INCONCLUSIVE`, :data:`NOT_TESTABLE`,
:data:`BY_CONSTRUCTION`), the basis it was judged on, the published figures and the data's.
:func:`recall_bias` asks how far the verdict rests on remembered "before" incomes.
:mod:`analysis.report.income` turns both into the edition's words.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.methods.income.change import _t_interval, household_changes
from analysis.methods.income.checks import require_estimable

# Verdicts and kinds are codes (compared by code, counted in results.json).
CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
INCONCLUSIVE = "inconclusive"
NOT_TESTABLE = "not_testable"  # the data needed are missing
BY_CONSTRUCTION = "by_construction"  # illustrative data built to match the claim
NO_CLAIM = "no_claim"
INCOME_CLAIM = "income"  # kind of claim: about household income (counted as income claims)
DESIGN_CLAIM = "design"  # about how the study was done (informants, uses of credit)

# What a verdict rests on (the ``basis`` column).
BASIS_CONSTRUCTION = "by_construction"  # illustrative data: generated to match the claim
BASIS_INTERVAL = "interval"  # field data: 95 % t interval and equivalence test (TOST)
BASIS_COUNT = "count"  # field data: the count or the uses recorded, compared
BASIS_MISSING = "missing"  # the data needed are missing

# Why a design claim cannot be checked (``data["missing"]``).
NO_INFORMANTS_FILE = "no_informants_file"
NO_INFORMANT_TYPE = "no_informant_type"
NO_CREDIT_USE_COLUMN = "no_credit_use_column"
NO_CREDIT_USE = "no_credit_use"

#: Columns of :func:`claims_check`.
CHECK_COLUMNS = ("claim", "what", "kind", "prices", "published", "data", "verdict", "basis")


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


def claim_statement(what: str, published) -> str:
    """The claim as the registry states it, in English: the key other modules match claims on.

    ``"Mean income increase of 35-45 %"``, ``"Mean income increase in Rupiah of Rp
    300,000-500,000"``, ``"9 core informants and 2 additional"``, ``"Revolving credit used as
    working capital: raw_materials, equipment"``. Readers see the claim written by the report
    layer from ``what`` and ``published``, in their language.
    """
    if what in ("pct", "rp"):
        low, high = published
        if what == "pct":
            text = f"{low:g}" if low == high else f"{low:g}-{high:g}"
            return f"Mean income increase of {text} %"
        text = f"Rp {low:,.0f}" if low == high else f"Rp {low:,.0f}-{high:,.0f}"
        return f"Mean income increase in Rupiah of {text}"
    if what == "informants":
        return f"{published[0]} core informants and {published[1]} additional"
    return f"Revolving credit used as working capital: {', '.join(published)}"


def claims_check(
    households: pd.DataFrame,
    *,
    edition: str,
    informants: pd.DataFrame | None = None,
    site: str | None = None,
    result=None,
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
    ``inconclusive``, in nominal terms and, with ``real`` (a ``deflate`` frame), in real
    terms. ``edition`` is the data edition ("illustrative" or "field"); on illustrative data every
    verdict is :data:`BY_CONSTRUCTION`: the generator made the data match the claims.

    Columns (:data:`CHECK_COLUMNS`): ``claim`` (:func:`claim_statement`), ``what`` (pct, rp,
    informants, credit_use), ``kind`` (income or design), ``prices`` (nominal, real or ""),
    ``published`` ((low, high) of a range; (core, additional); the uses claimed), ``data`` (a
    dict: mean, low, high, tost_p, n and price_year of an income claim; core and additional;
    uses counted and n of the credit households; or ``missing``: why not), ``verdict``, ``basis``.
    """
    del result  # the estimate is recomputed from the frames (kept for the callers' signature)
    claim = dict(claim or {})
    if site is not None and "site" in households.columns:
        households = households[households["site"] == site]
        if real is not None and "site" in real.columns:
            real = real[real["site"] == site]
    by_construction = edition == "illustrative"
    basis = BASIS_CONSTRUCTION if by_construction else BASIS_INTERVAL
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
            require_estimable(changes, frame)
            column = "pct_change" if what == "pct" else "abs_change"
            verdict, low, high, tost_p = interval_verdict(changes[column].to_numpy(), *bounds)
            data = {
                "mean": float(changes[column].mean()),
                "low": low,
                "high": high,
                "tost_p": tost_p,
                "n": int(len(changes)),
                "price_year": None if prices == "nominal" else real.attrs.get("price_base_year"),
            }
            rows.append(
                (
                    claim_statement(what, bounds),
                    what,
                    INCOME_CLAIM,
                    prices,
                    bounds,
                    data,
                    BY_CONSTRUCTION if by_construction else verdict,
                    basis,
                )
            )
    design_basis = BASIS_CONSTRUCTION if by_construction else BASIS_COUNT

    def verdict(ok: bool | None) -> str:
        if ok is None:
            return NOT_TESTABLE
        if by_construction:
            return BY_CONSTRUCTION
        return CONSISTENT if ok else INCONSISTENT

    if claim.get("claim_informants_core") is not None:
        published, data, ok = _informant_claim(informants, site, claim)
        rows.append(
            (
                claim_statement("informants", published),
                "informants",
                DESIGN_CLAIM,
                "",
                published,
                data,
                verdict(ok),
                design_basis,
            )
        )
    if claim.get("claim_credit_use"):
        published, data, ok = _credit_use_claim(households, claim)
        rows.append(
            (
                claim_statement("credit_use", published),
                "credit_use",
                DESIGN_CLAIM,
                "",
                published,
                data,
                verdict(ok),
                design_basis,
            )
        )
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    frame.loc[frame["verdict"] == NOT_TESTABLE, "basis"] = BASIS_MISSING
    return frame


#: The name the chapter and the synthesis have always called :func:`claims_check` by.
reproduction_check = claims_check


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


def recall_bias(
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
    so the true before is reported / (1 - u/100). Per u: ``mean_change`` (Rupiah a month),
    ``mean_pct`` (mean of percent changes) with its 95 % t interval (``ci95_low``,
    ``ci95_high``), ``position`` against the claimed percent range (below, within, above; None
    without a claim) and the ``verdict`` (:func:`interval_verdict`; on illustrative data
    :data:`BY_CONSTRUCTION`; :data:`NO_CLAIM` without a claim). A last row (``leaves`` True)
    gives the understatement at which the mean percent change leaves the claimed range (root of
    a monotone function, scipy ``brentq``), when it does within 0-99 %.
    ``attrs["leaves_range_at_pct"]`` holds that value (None when it never does).
    """
    from scipy.optimize import brentq

    changes = household_changes(households, before=before, after=after)
    require_estimable(changes, households)
    b = changes[before].to_numpy(dtype=float)
    a = changes[after].to_numpy(dtype=float)
    bounds = claim_range(claim, "pct")

    def pct(u):
        return (a / (b / (1 - u / 100)) - 1) * 100

    def row(u, leaves=False):
        values = pct(u)
        mean = float(values.mean())
        low, high, _unused = _t_interval(values)
        if bounds is None:
            verdict, position = NO_CLAIM, None
        else:
            verdict = interval_verdict(values, *bounds)[0]
            verdict = BY_CONSTRUCTION if edition == "illustrative" else verdict
            position = "below" if mean < bounds[0] else "above" if mean > bounds[1] else "within"
        return {
            "understatement": float(u),
            "leaves": leaves,
            "mean_change": float((a - b / (1 - u / 100)).mean()),
            "mean_pct": mean,
            "ci95_low": low,
            "ci95_high": high,
            "position": position,
            "verdict": verdict,
        }

    rows = [row(u) for u in understatements]
    leaves = None
    if bounds is not None:
        start = float(pct(0).mean())
        edge = bounds[0] if start >= bounds[0] else None
        if edge is not None and not math.isinf(edge) and float(pct(99).mean()) < edge:
            leaves = float(brentq(lambda u: float(pct(u).mean()) - edge, 0, 99))
            rows.append(row(leaves, leaves=True))
    out = pd.DataFrame(rows)
    out.attrs["leaves_range_at_pct"] = leaves
    return out


def claims_facts(check: pd.DataFrame, recall: pd.DataFrame | None, notes: dict) -> dict:
    """What results.json records of the claims: the calibration, the counts, the recall edge."""
    facts = {f"calibration_{k}": v for k, v in notes.get("calibration", {}).items()}
    facts.update(reproduction_counts(check))
    if recall is not None:
        facts["recall_leaves_range_at_pct"] = recall.attrs["leaves_range_at_pct"]
    return facts


def optional_recall_bias(households, check: pd.DataFrame, claim: dict | None, edition: str):
    """:func:`recall_bias` when there are claims to check and a percent claim, else None."""
    if check.empty or claim_range(claim, "pct") is None:
        return None
    return recall_bias(households, claim=claim, edition=edition)


def _informant_claim(informants, site, claim_values):
    """((core, additional) claimed, data, consistent?) of the claim about the informants."""
    core_claim = int(claim_values["claim_informants_core"])
    extra_claim = int(claim_values.get("claim_informants_additional") or 0)
    published = (core_claim, extra_claim)
    if informants is None or informants.empty:
        return published, {"missing": NO_INFORMANTS_FILE}, None
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
        return published, {"missing": NO_INFORMANT_TYPE}, None
    core, extra = int((kind == "core").sum()), int((kind == "additional").sum())
    ok = core == core_claim and extra == extra_claim
    return published, {"core": core, "additional": extra}, ok


def _credit_use_claim(households, claim_values):
    """(uses claimed, data, consistent?) of the claim about what the credit was used for."""
    uses_claimed = tuple(
        u.strip() for u in str(claim_values["claim_credit_use"]).split(";") if u.strip()
    )
    if "credit_use" not in households.columns or "component" not in households.columns:
        return uses_claimed, {"missing": NO_CREDIT_USE_COLUMN}, None
    credit = households[households["component"] == "revolving_credit"]
    uses = credit["credit_use"].dropna().astype(str)
    if uses.empty:
        return uses_claimed, {"missing": NO_CREDIT_USE}, None
    counts = uses.value_counts()
    data = {"uses": {str(k): int(v) for k, v in counts.items()}, "n": int(len(credit))}
    return uses_claimed, data, set(counts.index) <= set(uses_claimed)
