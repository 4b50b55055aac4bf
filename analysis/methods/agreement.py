"""Inter-coder agreement on the double-coded segments: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

**Units.** A segment coded by two or more coders is a *unit*. For one code, each coder's value on
a unit is 1 when the coder applied the code to the segment and 0 when the coder coded the segment
with other codes only (presence/absence, a nominal variable with two values); a coder who did not
code the segment has no value (missing). **Overall** agreement pools these decisions: every
(segment, code) pair of the double-coded subset is a unit, for the codes that at least one coder
applied there (codes nobody applied add only trivial agreement and are left out). Pooling weights
each code by how many segments there are, so frequent codes weigh more; the per-code table shows
where agreement is weak.

**Statistics** (all from maintained libraries):

* percent agreement and Cohen's kappa with its 95 % confidence interval between the primary coder
  and the second coder (the two coders with most segments; :func:`analysis.methods.condensation.coder_ranking`),
  on the units both coded: ``statsmodels.stats.inter_rater.cohens_kappa`` (asymptotic standard
  error of Fleiss, Cohen & Everitt 1969, as in SAS PROC FREQ);
* Fleiss' kappa when three or more coders coded the same units (units every coder coded):
  ``statsmodels.stats.inter_rater.fleiss_kappa`` on ``aggregate_raters``;
* Krippendorff's alpha at the **nominal** level over all coders, missing values allowed:
  ``krippendorff.alpha(..., level_of_measurement="nominal")`` (the package's default is interval).

**Interpretation**: kappas with Landis & Koch's (1977) bands, alpha with Krippendorff's thresholds
(alpha >= 0.800 reliable; 0.667 <= alpha < 0.800 tentative conclusions only; below 0.667 not
reliable). The verdicts a reader is given judge **intervals**, not points
(:func:`interval_verdict`): percentile bootstrap intervals that resample segments
(:func:`coder_pairs_table` for the study, :func:`code_alpha_intervals` per code) are "reliable"
only when their lower bound reaches 0.800, "tentative" when it reaches 0.667, "not reliable"
when they lie wholly below 0.667 and "unclear" when they straddle it. A statistic is undefined (NaN) when the units show only one value (e.g. a code nobody
applied): chance agreement is then 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import krippendorff
import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from analysis.methods.condensation import coder_ranking

#: Landis & Koch's bands (upper bound, band), codes in English (the report names them).
LANDIS_KOCH = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)
KRIPPENDORFF_RELIABLE, KRIPPENDORFF_TENTATIVE = 0.800, 0.667
#: The code column of the pooled row (a code; the report names it).
POOLED = "(all codes, pooled)"
#: Why agreement cannot be computed (the messages of the ValueError; the report translates them),
#: and the note of a study with two coders.
NEEDS_TWO_CODERS = "agreement needs at least two coders"
NO_DOUBLE_CODED = "no segment was coded by two or more coders"
FLEISS_NOT_COMPUTED = "Fleiss' kappa needs three or more coders on the same units: not computed."


def landis_koch(kappa: float) -> str:
    """Landis & Koch (1977) band: <0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate,
    0.61-0.80 substantial, 0.81-1 almost perfect ("undefined" for NaN).

    The band is a code in English (the report names it in the edition's language).
    """
    if kappa is None or not np.isfinite(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    # Bands as half-open intervals on the unrounded value: [0, 0.21) slight, ..., [0.61, 0.81)
    # substantial, [0.81, 1] almost perfect; 0.805 is substantial (rounding is for display only).
    for upper, band in LANDIS_KOCH[1:-1]:
        if kappa < upper + 0.01 - 1e-12:
            return band
    return "almost perfect"


def krippendorff_verdict(alpha: float) -> str:
    """Krippendorff's rule: >= 0.800 reliable; >= 0.667 tentative conclusions only; else not
    reliable (a code in English)."""
    if alpha is None or not np.isfinite(alpha):
        return "undefined"
    if alpha >= KRIPPENDORFF_RELIABLE:
        return "reliable"
    if alpha >= KRIPPENDORFF_TENTATIVE:
        return "tentative only"
    return "not reliable"


#: Verdicts of a statistic's bootstrap interval (:func:`interval_verdict`).
INTERVAL_VERDICTS = (
    "reliable",
    "tentative",
    "unclear",
    "not reliable",
    "not assessed",
)


def interval_verdict(low: float, high: float) -> str:
    """Krippendorff's thresholds applied to a 95 % interval, not to the point estimate.

    "reliable" when the lower bound is at least 0.800; "tentative" when it is at least 0.667;
    "not reliable" when the whole interval lies below 0.667; "unclear" when the interval straddles
    0.667; "not assessed" without an interval (codes in English: the report names them).
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return "not assessed"
    if low >= KRIPPENDORFF_RELIABLE:
        return "reliable"
    if low >= KRIPPENDORFF_TENTATIVE:
        return "tentative"
    if high < KRIPPENDORFF_TENTATIVE:
        return "not reliable"
    return "unclear"


#: Resamples of the per-code bootstrap (bounded so that a chapter stays fast).
CODE_RESAMPLES = 400


def code_alpha_intervals(
    segments: pd.DataFrame,
    *,
    site: str | None = None,
    seed: int = 0,
    resamples: int = CODE_RESAMPLES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per code: Krippendorff's alpha (nominal) and its percentile bootstrap interval over segments.

    The units are those of :func:`agreement` (presence of the code on each double-coded segment,
    every coder); a draw resamples **segments** with replacement (``resamples`` draws from
    ``numpy.random.default_rng(seed)``) and adds up the per-segment sums of
    :func:`_segment_sums`, so every code's alpha on every draw costs one matrix product. Columns:
    code, alpha, alpha_low, alpha_high, verdict (:func:`interval_verdict`). A code whose alpha is
    undefined (one value only) has no interval. Raises ``ValueError`` like :func:`agreement`.
    """
    seg = segments if site is None else segments[segments["site"] == site]
    coders = coder_ranking(seg)
    if len(coders) < 2:
        raise ValueError(NEEDS_TWO_CODERS)
    ids, codes, values = _presence(seg, coders)
    if len(ids) == 0:
        raise ValueError(NO_DOUBLE_CODED)
    sums = _code_sums(values)  # [segment, code, (pairable values, ones, disagreeing pairs)]
    point = np.array([_alpha_from(sums[:, j, :].sum(axis=0)) for j in range(len(codes))])
    low = np.full(len(codes), np.nan)
    high = np.full(len(codes), np.nan)
    if resamples > 0:
        rng = np.random.default_rng(seed)
        n, flat = len(ids), sums.reshape(len(ids), -1)
        totals = np.empty((resamples, flat.shape[1]))
        for start in range(0, resamples, 50):  # 50 draws at a time: memory stays bounded
            r = min(50, resamples - start)
            draws = rng.integers(0, n, size=(r, n)) + n * np.arange(r)[:, None]
            weights = np.bincount(draws.ravel(), minlength=r * n).reshape(r, n)
            totals[start : start + r] = weights.astype(float) @ flat
        totals = totals.reshape(resamples, len(codes), 3)  # resample × code × sums
        tail = 100 * (1 - confidence) / 2
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            n_, n1, dis = totals[..., 0], totals[..., 1], totals[..., 2]
            n0 = n_ - n1
            alphas = np.where((n0 > 0) & (n1 > 0), 1.0 - (n_ - 1.0) * dis / (n0 * n1), np.nan)
            defined = np.isfinite(point)
            if defined.any():
                low[defined], high[defined] = np.nanpercentile(
                    alphas[:, defined], [tail, 100 - tail], axis=0
                )
    return pd.DataFrame(
        {
            "code": codes,
            "alpha": point,
            "alpha_low": low,
            "alpha_high": high,
            "verdict": [interval_verdict(lo, hi) for lo, hi in zip(low, high)],
        }
    )


def _code_sums(values: np.ndarray) -> np.ndarray:
    """Per segment and code, the first three sums of :func:`_segment_sums` (pairable values, ones
    among them, disagreeing pairs), not added up over the codes: [segment, code, 3]."""
    m = (~np.isnan(values)).sum(axis=1)  # coders per unit (segment, code)
    ones = np.nansum(values, axis=1)
    pairable = m >= 2
    disagreeing = np.where(pairable, (m - ones) * ones / np.where(pairable, m - 1, 1), 0.0)
    return np.stack([np.where(pairable, m, 0), np.where(pairable, ones, 0), disagreeing], axis=2)


def _alpha_from(total: np.ndarray) -> float:
    """Krippendorff's alpha (nominal, two values) from summed (pairable, ones, disagreeing)."""
    n, n1, disagreeing = total[:3]
    n0 = n - n1
    return float(1.0 - (n - 1.0) * disagreeing / (n0 * n1)) if n0 > 0 and n1 > 0 else np.nan


def cohen_kappa(table, confidence: float = 0.95) -> dict:
    """Cohen's kappa of a square agreement table (rows coder 1, columns coder 2), with its CI.

    Returns n, percent_agreement (0-100), kappa, kappa_se (asymptotic, not under the null),
    kappa_low, kappa_high (Wald interval, truncated to [-1, 1]). Kappa is undefined (NaN) when
    chance agreement is 1; standard error and interval are NaN when a coder never used one of the
    categories (an empty margin: the asymptotic variance degenerates).
    """
    table = np.asarray(table, dtype=float)
    n = table.sum()
    po = np.trace(table) / n if n else np.nan
    pe = float((table.sum(0) * table.sum(1)).sum() / n**2) if n else np.nan
    out = {
        "n": int(n),
        "percent_agreement": 100.0 * po if n else np.nan,
        "kappa": np.nan,
        "kappa_se": np.nan,
        "kappa_low": np.nan,
        "kappa_high": np.nan,
    }
    if not n or pe >= 1.0 - 1e-12:
        return out
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # a perfect table has a zero variance; statsmodels divides by it for the z test we do not use
        warnings.simplefilter("ignore", RuntimeWarning)
        res = cohens_kappa(table)
    out.update(kappa=float(res.kappa), kappa_se=float(res.std_kappa))
    empty_margin = (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any()
    if res.std_kappa == 0 or not np.isfinite(res.std_kappa):
        # perfect agreement: the asymptotic SE is 0 and a Wald interval would collapse to [1, 1];
        # no interval here (the bootstrap over segments in coder_pairs_table gives one)
        out["kappa_se"] = np.nan
    elif not empty_margin:
        # Wald interval (statsmodels' own kappa_low/kappa_upp are the 95 % case); kappa cannot exceed 1
        z = float(norm.ppf(0.5 + confidence / 2))
        out.update(
            kappa_low=float(max(res.kappa - z * res.std_kappa, -1.0)),
            kappa_high=float(min(res.kappa + z * res.std_kappa, 1.0)),
        )
    else:  # one coder never used a category: the asymptotic variance degenerates (0 up to rounding)
        out["kappa_se"] = np.nan
    return out


def fleiss(ratings) -> float:
    """Fleiss' kappa of complete ratings (units × raters, category labels); NaN when one category only."""
    ratings = np.asarray(ratings)
    if ratings.size == 0:
        return np.nan
    # aggregate_raters loops over rows in Python: aggregate each distinct rating pattern once and
    # repeat its row (fleiss_kappa does not depend on the order of the units)
    values, inverse = np.unique(ratings.ravel(), return_inverse=True)
    codes = inverse.reshape(ratings.shape).astype(np.int64)
    if len(values) ** ratings.shape[1] < 2**62:  # one integer per rating pattern
        keys = codes @ (len(values) ** np.arange(ratings.shape[1], dtype=np.int64))
        _, first, repeats = np.unique(keys, return_index=True, return_counts=True)
        patterns = ratings[first]
    else:
        patterns, repeats = ratings, np.ones(len(ratings), dtype=int)
    counts, _ = aggregate_raters(patterns)
    counts = np.repeat(counts, repeats, axis=0)
    if counts.shape[1] < 2:
        return np.nan
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(fleiss_kappa(counts, method="fleiss"))


def krippendorff_nominal(reliability_data) -> float:
    """Krippendorff's alpha, nominal level, of coders × units data (NaN = missing); NaN if undefined."""
    data = np.asarray(reliability_data, dtype=float)
    values = np.unique(data[np.isfinite(data)])
    if data.size == 0 or len(values) < 2:
        return np.nan
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _presence(segments: pd.DataFrame, coders: list[str]) -> tuple[pd.Index, list[str], np.ndarray]:
    """(segment ids, codes, values[segment, coder, code]) of the double-coded units: 1, 0 or NaN."""
    seg = segments[segments["coder"].isin(coders)]
    n_coders = seg.groupby("segment_id")["coder"].nunique()
    seg = seg[seg["segment_id"].isin(n_coders.index[n_coders >= 2])]
    s = pd.Categorical(seg["segment_id"])
    c = pd.Categorical(seg["coder"], categories=coders)
    codes = sorted(seg["code"].unique())
    k = pd.Categorical(seg["code"], categories=codes)
    values = np.full((len(s.categories), len(coders), len(codes)), np.nan)
    values[s.codes, c.codes, :] = 0.0  # the coder coded the segment: 0 for every code ...
    values[s.codes, c.codes, k.codes] = 1.0  # ... 1 for the codes applied
    return pd.Index(s.categories, name="segment_id"), codes, values


def presence_table(segments: pd.DataFrame, *, coders: list[str] | None = None) -> pd.DataFrame:
    """Double-coded units: index (segment_id, code), columns coders; 1 applied, 0 not, NaN not coded.

    Only segments coded by two or more of ``coders`` (default: all) and codes that at least one
    coder applied to them.
    """
    coders = coders or sorted(segments["coder"].unique())
    ids, codes, values = _presence(segments, coders)
    index = pd.MultiIndex.from_product([ids, codes], names=["segment_id", "code"])
    flat = values.transpose(0, 2, 1).reshape(-1, len(coders))
    return pd.DataFrame(flat, index=index, columns=pd.Index(coders, name="coder"))


def _statistics(values: np.ndarray, fleiss_too: bool) -> dict:
    """Every statistic for units (rows) × coders (columns, primary and second first) of 0/1/NaN."""
    a, b = values[:, 0], values[:, 1]
    both = ~np.isnan(a) & ~np.isnan(b)
    x, y = a[both].astype(int), b[both].astype(int)
    table = np.bincount(2 * x + y, minlength=4).reshape(2, 2)
    out = cohen_kappa(table)
    out["prevalence"] = float(x.mean()) if len(x) else np.nan
    # prevalence- and bias-adjusted kappa (Byrt, Bishop & Carlin 1993), two categories: 2 p_o - 1
    out["pabak"] = 2 * out["percent_agreement"] / 100 - 1 if len(x) else np.nan
    complete = values[~np.isnan(values).any(axis=1)] if fleiss_too else values[:0]
    out["fleiss_units"] = int(len(complete))
    out["fleiss_kappa"] = fleiss(complete.astype(int)) if len(complete) else np.nan
    out["alpha"] = krippendorff_nominal(values.T)
    out["kappa_band"] = landis_koch(out["kappa"])
    out["fleiss_band"] = landis_koch(out["fleiss_kappa"])
    out["alpha_verdict"] = krippendorff_verdict(out["alpha"])
    return out


_COLUMNS = [
    "code",
    "units",
    "prevalence",
    "percent_agreement",
    "pabak",
    "kappa",
    "kappa_se",
    "kappa_low",
    "kappa_high",
    "kappa_band",
    "fleiss_units",
    "fleiss_kappa",
    "fleiss_band",
    "alpha",
    "alpha_verdict",
]


@dataclass(frozen=True)
class Agreement:
    """Inter-coder agreement of a double-coded subset (see the module docstring for units and statistics).

    ``per_code``: one row per code; ``overall``: the pooled statistics; ``pair``: the coders of
    Cohen's kappa (primary, second); ``coders``: every coder in the subset.
    """

    per_code: pd.DataFrame
    overall: dict
    coders: tuple[str, ...]
    pair: tuple[str, str]
    segments: int
    segments_all_coders: int
    site: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """Per-code rows and the pooled row last."""
        pooled = pd.DataFrame(
            [
                {
                    "code": POOLED,
                    **{k: self.overall[k] for k in _COLUMNS if k != "code" and k in self.overall},
                }
            ]
        )
        return pd.concat([self.per_code, pooled], ignore_index=True)[_COLUMNS]

    def to_dict(self) -> dict:
        """Plain scalars for glue/results.json."""
        k = self.per_code["kappa"]
        a = self.per_code["alpha"]
        o = self.overall
        return {
            "site": self.site or "all",
            "coders": ", ".join(self.coders),
            "n_coders": len(self.coders),
            "primary_coder": self.pair[0],
            "second_coder": self.pair[1],
            "segments_double_coded": int(self.segments),
            "segments_all_coders": int(self.segments_all_coders),
            "codes": int(len(self.per_code)),
            "units": int(o["units"]),
            "percent_agreement": float(o["percent_agreement"]),
            "pabak": float(o["pabak"]),
            "prevalence": float(o["prevalence"]),
            "kappa": float(o["kappa"]),
            "kappa_low": float(o["kappa_low"]),
            "kappa_high": float(o["kappa_high"]),
            "kappa_band": o["kappa_band"],
            "fleiss_kappa": float(o["fleiss_kappa"]),
            "fleiss_band": o["fleiss_band"],
            "fleiss_units": int(o["fleiss_units"]),
            "alpha": float(o["alpha"]),
            "alpha_verdict": o["alpha_verdict"],
            "median_code_kappa": float(k.median()) if k.notna().any() else float("nan"),
            "codes_kappa_substantial_or_better": int((k > 0.60).sum()),
            "codes_alpha_reliable": int((a >= KRIPPENDORFF_RELIABLE).sum()),
            "codes_alpha_below_tentative": int((a < KRIPPENDORFF_TENTATIVE).sum()),
        }


def agreement(
    segments: pd.DataFrame, *, site: str | None = None, coders: list[str] | None = None
) -> Agreement:
    """Agreement statistics of the double-coded segments of ``site`` (all sites if None)."""
    seg = segments if site is None else segments[segments["site"] == site]
    ranking = coder_ranking(seg)
    coders = [c for c in ranking if coders is None or c in coders]
    if len(coders) < 2:
        raise ValueError(NEEDS_TWO_CODERS)
    ids, codes, values = _presence(seg, coders)
    if len(ids) == 0:
        raise ValueError(NO_DOUBLE_CODED)
    pair = (coders[0], coders[1])
    fleiss_too = len(coders) >= 3
    rows = [
        {"code": code, **_statistics(values[:, :, j], fleiss_too)} for j, code in enumerate(codes)
    ]
    per_code = pd.DataFrame(rows)
    per_code["units"] = per_code["n"]
    per_code = per_code[_COLUMNS].reset_index(drop=True)
    pooled = values.transpose(0, 2, 1).reshape(-1, len(coders))
    overall = _statistics(pooled, fleiss_too)
    overall["units"] = overall.pop("n")
    all_coders = int((~np.isnan(values[:, :, 0])).all(axis=1).sum()) if fleiss_too else 0
    notes = []
    if len(coders) < 3:
        notes.append(FLEISS_NOT_COMPUTED)
    return Agreement(
        per_code=per_code,
        overall=overall,
        coders=tuple(coders),
        pair=pair,
        segments=int(len(ids)),
        segments_all_coders=all_coders,
        site=site,
        notes=tuple(notes),
    )


def _segment_sums(values: np.ndarray) -> np.ndarray:
    """Per segment, the sums a resample adds up to get Krippendorff's alpha and Cohen's kappa.

    ``values[segment, coder, code]`` as :func:`_presence` gives them. Columns: pairable values,
    ones among them, disagreeing pairs ``n0 n1 / (m - 1)`` over the segment's units, then the
    2 × 2 table of the first two coders (00, 01, 10, 11) on the units both coded. A bootstrap
    draw weighs the segments by how often it drew them: the work per draw grows with the number
    of segments, not with segments × codes.
    """
    coded = ~np.isnan(values)
    m = coded.sum(axis=1)  # coders per unit (segment, code)
    ones = np.nansum(values, axis=1)
    pairable = m >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        disagreeing = np.where(pairable, (m - ones) * ones / np.where(pairable, m - 1, 1), 0.0)
    a, b = values[:, 0, :], values[:, 1, :] if values.shape[1] > 1 else values[:, 0, :]
    both = ~np.isnan(a) & ~np.isnan(b)
    table = [((a == x) & (b == y) & both).sum(axis=1) for x in (0, 1) for y in (0, 1)]
    return np.column_stack(
        [
            np.where(pairable, m, 0).sum(axis=1),
            np.where(pairable, ones, 0).sum(axis=1),
            disagreeing.sum(axis=1),
            *table,
        ]
    ).astype(float)


def _alpha_kappa(total: np.ndarray) -> tuple[float, float]:
    """Krippendorff's alpha (nominal, two values) and Cohen's kappa from :func:`_segment_sums`
    added up: alpha = 1 - (n - 1) D / (n0 n1), kappa = (po - pe) / (1 - pe); NaN when undefined."""
    n, n1, disagreeing = total[:3]
    n0 = n - n1
    alpha = 1.0 - (n - 1.0) * disagreeing / (n0 * n1) if n0 > 0 and n1 > 0 else np.nan
    table = total[3:].reshape(2, 2)
    units = table.sum()
    kappa = np.nan
    if units:
        po = np.trace(table) / units
        pe = float((table.sum(0) * table.sum(1)).sum() / units**2)
        if pe < 1.0 - 1e-12:
            kappa = (po - pe) / (1.0 - pe)
    return float(alpha), float(kappa)


def coder_pairs_table(
    segments: pd.DataFrame,
    *,
    site: str | None = None,
    seed: int = 0,
    resamples: int = 499,
) -> pd.DataFrame:
    """Kappa and alpha for the same coders side by side: every pair of coders, then all coders.

    Per row: coders, double-coded segments, pooled units (segments x codes), prevalence of codes
    applied, percent agreement with PABAK beside it (percent agreement is inflated by the many
    codes both coders left off), Cohen's kappa (pairs only), Fleiss' kappa (all coders, three or
    more), Krippendorff's alpha (nominal, ``krippendorff`` package), and percentile bootstrap 95 %
    intervals of kappa and alpha that resample **segments** (the pooled units of one segment are
    not independent; ``resamples`` seeded draws; 0 to skip). ``alpha_verdict`` and
    ``kappa_verdict`` judge the interval, not the point (:func:`interval_verdict`): "reliable" only
    when the lower bound reaches 0.800 (without resamples, alpha's point verdict).
    """
    from itertools import combinations

    seg = segments if site is None else segments[segments["site"] == site]
    coders = coder_ranking(seg)
    if len(coders) < 2:
        raise ValueError(NEEDS_TWO_CODERS)
    groups = [list(pair) for pair in combinations(coders, 2)]
    if len(coders) >= 3:
        groups.append(list(coders))
    rows = []
    rng = np.random.default_rng(seed)
    for group in groups:
        ids, codes, values = _presence(seg, group)
        if len(ids) == 0:
            continue
        pooled = values.transpose(0, 2, 1).reshape(-1, len(group))
        stats_ = _statistics(pooled, len(group) >= 3)
        is_pair = len(group) == 2
        kappa_ci, alpha_ci = (np.nan, np.nan), (np.nan, np.nan)
        if resamples > 0:
            sums = _segment_sums(values)
            kappas, alphas = [], []
            for _draw in range(resamples):
                weights = np.bincount(rng.integers(0, len(ids), len(ids)), minlength=len(ids))
                alpha, kappa = _alpha_kappa(weights @ sums)
                alphas.append(alpha)
                kappas.append(kappa)
            with warnings.catch_warnings():  # a draw of one value only: alpha undefined (NaN)
                warnings.simplefilter("ignore", RuntimeWarning)
                alpha_ci = tuple(np.nanpercentile(alphas, [2.5, 97.5]))
                if is_pair:
                    kappa_ci = tuple(np.nanpercentile(kappas, [2.5, 97.5]))
        rows.append(
            {
                "coders": " + ".join(group) if not is_pair else f"{group[0]}-{group[1]}",
                "segments": int(len(ids)),
                "units": int(stats_["n"]) if is_pair else int(pooled.shape[0]),
                "prevalence": stats_["prevalence"],
                "percent_agreement": stats_["percent_agreement"] if is_pair else np.nan,
                "pabak": stats_["pabak"] if is_pair else np.nan,
                "kappa": stats_["kappa"] if is_pair else np.nan,
                "kappa_boot_low": kappa_ci[0],
                "kappa_boot_high": kappa_ci[1],
                "fleiss_kappa": np.nan if is_pair else stats_["fleiss_kappa"],
                "alpha": stats_["alpha"],
                "alpha_boot_low": alpha_ci[0],
                "alpha_boot_high": alpha_ci[1],
                "alpha_verdict": interval_verdict(*alpha_ci)
                if resamples > 0
                else stats_["alpha_verdict"],
                "kappa_verdict": interval_verdict(*kappa_ci) if is_pair else "",
            }
        )
    return pd.DataFrame(rows)


#: Seeds the bootstrap over segments of a study's coder-pairs table and per-code intervals.
AGREEMENT_SEED = 20170801


def interval_facts(pairs: pd.DataFrame) -> dict:
    """The study-level intervals and their verdicts, from :func:`coder_pairs_table`: Cohen's kappa
    of the primary and second coder (its first row) and Krippendorff's alpha of all coders (its
    last row), each with its bootstrap interval over segments and the verdict of that interval
    (:func:`interval_verdict`, codes)."""
    first, everyone = pairs.iloc[0], pairs.iloc[-1]
    out = {
        "kappa_boot_low": float(first["kappa_boot_low"]),
        "kappa_boot_high": float(first["kappa_boot_high"]),
        "alpha_boot_low": float(everyone["alpha_boot_low"]),
        "alpha_boot_high": float(everyone["alpha_boot_high"]),
    }
    out["kappa_interval_verdict"] = interval_verdict(out["kappa_boot_low"], out["kappa_boot_high"])
    out["alpha_interval_verdict"] = interval_verdict(out["alpha_boot_low"], out["alpha_boot_high"])
    return out


def with_alpha_intervals(
    table: pd.DataFrame, segments: pd.DataFrame, site: str, d: dict, *, seed: int
) -> pd.DataFrame:
    """The per-code agreement table (:meth:`Agreement.to_frame`, pooled row last) with alpha's
    bootstrap interval over segments (``alpha_low``, ``alpha_high``) and ``alpha_verdict`` judged
    by the interval (:func:`interval_verdict`, codes); the pooled row takes the all-coder interval
    of :func:`interval_facts` (``d``) and, for kappa, its segment-bootstrap interval in place of
    the asymptotic one, which treats the pooled decisions as independent."""
    intervals = code_alpha_intervals(segments, site=site, seed=seed).set_index("code")
    out = table.copy()
    codes = out["code"].iloc[:-1]
    out["alpha_low"] = list(codes.map(intervals["alpha_low"])) + [d["alpha_boot_low"]]
    out["alpha_high"] = list(codes.map(intervals["alpha_high"])) + [d["alpha_boot_high"]]
    out["alpha_verdict"] = list(codes.map(intervals["verdict"])) + [d["alpha_interval_verdict"]]
    last = out.index[-1]
    out.loc[last, "kappa_low"] = d["kappa_boot_low"]
    out.loc[last, "kappa_high"] = d["kappa_boot_high"]
    return out


@dataclass(frozen=True)
class StudyAgreement:
    """The agreement of a study's coders: the statistics (:class:`Agreement`), the coder-pairs
    table with bootstrap intervals, the per-code table with alpha's intervals, the study-level
    intervals (:func:`interval_facts`); or, when it cannot be computed, ``problem`` (the message
    of :func:`agreement`'s ValueError) and the number of ``coders``."""

    result: Agreement | None
    pairs: pd.DataFrame | None = None
    per_code: pd.DataFrame | None = None
    intervals: dict = field(default_factory=dict)
    problem: str = ""
    coders: int = 0

    def to_dict(self) -> dict:
        """:meth:`Agreement.to_dict` with the study-level intervals (empty without a result)."""
        return {} if self.result is None else self.result.to_dict() | self.intervals

    def facts(self) -> dict:
        """The values a chapter records, prefixed ``agr_``; ``agr_computable`` says whether any."""
        return {f"agr_{k}": v for k, v in self.to_dict().items()} | {
            "agr_computable": self.result is not None
        }


def study_agreement(
    segments: pd.DataFrame, *, site: str, seed: int = AGREEMENT_SEED
) -> StudyAgreement:
    """The agreement of the coders of ``site`` (every coder's ``segments``), with bootstrap
    intervals over segments seeded by ``seed``, or why it cannot be computed."""
    try:
        result = agreement(segments, site=site)
    except ValueError as exc:
        coders = int(segments.loc[segments["site"] == site, "coder"].nunique())
        return StudyAgreement(None, problem=str(exc), coders=coders)
    pairs = coder_pairs_table(segments, site=site, seed=seed)
    intervals = interval_facts(pairs)
    per_code = with_alpha_intervals(
        result.to_frame(), segments, site, intervals | result.to_dict(), seed=seed
    )
    return StudyAgreement(result, pairs, per_code, intervals, coders=len(result.coders))
