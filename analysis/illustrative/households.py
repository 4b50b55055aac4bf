"""Illustrative household incomes for Kelurahan Pakis (P2KP), calibrated to what the study reports.

The Pakis study (a 2017 thesis) reports one quantitative result: after P2KP, the income of the
households it spoke to rose by 35-45 % on average, Rp 300,000-500,000 a month, with nine core
informants, all P2KP recipients running small businesses; revolving credit was used as working
capital (raw materials bought in larger quantities, equipment). Its microdata are not public.

:func:`generate_households` makes a seeded stand-in. **The agreement with the published figures
is by construction**: the per-household percent changes are scaled so that their mean is exactly
:data:`TARGET_MEAN_PCT` (the midpoint of 35-45 %), and the incomes before are scaled so that the
mean absolute change is exactly :data:`TARGET_MEAN_ABS` (the midpoint of Rp 300,000-500,000);
rounding to the nearest Rp 10,000 then moves both by far less than the width of the published
ranges (checked on every call). Reproducing the claim on these data proves nothing about the field.

Years: the "before" income refers to 2015 and the "after" income to 2017 (:data:`YEAR_BEFORE`,
:data:`YEAR_AFTER`). The study is dated 2017, so the "now" of its interviews is 2017 at the
latest; 2015 is an *assumption* of a two-year recall window within the P2KP period before the
study, not a date the study gives. The national CPI series in ``data/public`` covers both years.

The core informants' interviews are drawn from these rows (amounts, loan, its use, component:
:func:`analysis.illustrative.qualitative.generate_qualitative` takes the households), so the
quotes beside a household never contradict it.

The shipped data are faithful to the study (nine recipient households, no comparison group).
``n_recipients``, ``n_comparison`` and ``n_clusters`` make larger data, with non-recipients, for
tests and benchmarks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.contract import HOUSEHOLDS
from analysis.i18n import N_, _, in_language
from analysis.illustrative.pakis import PAKIS_BUSINESS_TYPES

SITE = "pakis"
KELURAHAN = "Pakis"
YEAR_BEFORE = 2015  # assumed (see module docstring)
YEAR_AFTER = 2017  # the study's year
N_CORE_INFORMANTS = 9
PUBLISHED_MEAN_PCT = (35.0, 45.0)  # percent (0-100)
PUBLISHED_MEAN_ABS = (300_000, 500_000)  # Rupiah per month
TARGET_MEAN_PCT = 40.0  # midpoint of the published range, percent
TARGET_MEAN_ABS = 400_000  # midpoint of the published range, Rupiah per month
ROUND_TO = 10_000  # incomes are rounded to the nearest Rp 10,000, as people state them


def calibration() -> dict:
    """How the illustrative incomes were calibrated, for the chapter to quote (Rupiah, percent 0-100)."""
    return {
        "target_mean_pct": TARGET_MEAN_PCT,
        "target_mean_abs": TARGET_MEAN_ABS,
        "round_to": ROUND_TO,
    }


ILLUSTRATIVE_YEARS_NOTE = N_(
    "In the illustrative data the 'before' income refers to {before} and the 'after' income to "
    "{after}. The study is dated 2017 and gives no recall year: {before} is an assumption "
    "(a two-year recall window within the P2KP period before the study), and the real figures "
    "depend on it."
)


def years_note(lang: str = "en") -> str:
    """The note on the illustrative incomes' years, in ``lang`` (datapackage.json keeps both)."""
    with in_language(lang):
        return _(ILLUSTRATIVE_YEARS_NOTE).format(before=YEAR_BEFORE, after=YEAR_AFTER)


#: Small businesses of the kind the study describes (English labels, snake_case).
BUSINESS_TYPES = (
    "food_stall",
    "grocery_kiosk",
    "snack_maker",
    "tailoring",
    "motorcycle_repair",
    "vegetable_seller",
    "laundry",
    "handicraft",
)
#: Revolving-credit loans (Rupiah), illustrative sizes: the study gives none.
LOAN_SIZES = (1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000)
#: Components of the nine core households: mostly revolving credit (the study's focus).
CORE_COMPONENTS = ("revolving_credit",) * 7 + ("direct_aid", "infrastructure")
#: What the seven credit households used the credit for (study: raw materials and equipment).
CORE_CREDIT_USES = ("raw_materials",) * 4 + ("equipment",) * 3


def generate_households(
    seed: int,
    n_recipients: int = N_CORE_INFORMANTS,
    n_comparison: int = 0,
    n_clusters: int | None = None,
) -> pd.DataFrame:
    """Illustrative ``households.csv`` rows for Pakis: one row a household, money in whole Rupiah a month.

    With the defaults: the nine core informants' households (``PKS-R01`` ... ``PKS-R09``), all
    recipients, in three neighbourhoods (RW). ``n_comparison`` adds non-recipient households
    (component ``none``, no loan) whose income grows by about 8 % over the two years, so that a
    difference-in-differences has something to find. ``n_clusters`` defaults to 3 for the
    shipped size and to about one RW per 25 households (at most 500) for larger data.
    The recipients' mean percent change and mean absolute change equal the published midpoints
    by construction (see the module docstring). Same seed, same data.
    """
    if n_recipients < 1:
        raise ValueError(f"n_recipients must be at least 1, got {n_recipients}")
    if n_comparison < 0:
        raise ValueError(f"n_comparison must be 0 or more, got {n_comparison}")
    n_total = n_recipients + n_comparison
    if n_clusters is None:
        n_clusters = 3 if n_total <= 30 else int(min(500, max(3, n_total // 25)))
    if not 1 <= n_clusters <= n_total:
        raise ValueError(
            f"n_clusters must be between 1 and the number of households ({n_total}), got {n_clusters}"
        )
    rng = np.random.default_rng(seed)

    # Neighbourhoods (RW): every cluster gets at least one household, then a random order.
    cluster_index = rng.permutation(np.arange(n_total) % n_clusters)
    width = max(2, len(str(n_clusters)))
    cluster_names = np.array([f"RW{c + 1:0{width}d}" for c in range(n_clusters)], dtype=object)
    cluster_growth = rng.normal(
        0.0, 0.08, n_clusters
    )  # shared neighbourhood shock to growth (log scale)

    recipient = np.zeros(n_total, dtype=bool)
    recipient[:n_recipients] = True

    components = _components(rng, n_recipients, n_comparison)
    credit = components == "revolving_credit"
    credit_use = _credit_uses(rng, credit, n_recipients)
    loan = np.where(credit, rng.choice(LOAN_SIZES, n_total), 0)
    business = rng.choice(np.array(BUSINESS_TYPES, dtype=object), n_total)

    before_raw = np.exp(rng.normal(np.log(1_000_000), 0.35, n_total))
    shock = np.exp(cluster_growth[cluster_index])
    # Recipients: relative growth positive, mean 1 before scaling (gamma, CV about 0.35).
    growth = np.empty(n_total)
    growth[recipient] = rng.gamma(8.0, 1 / 8.0, n_recipients) * shock[recipient]
    growth[~recipient] = rng.normal(0.08, 0.10, n_comparison) + (shock[~recipient] - 1)

    before, after = _calibrated_incomes(before_raw, growth, recipient)

    width = max(2, len(str(n_total)))
    informant = np.full(n_total, None, dtype=object)
    n_core = min(n_recipients, N_CORE_INFORMANTS)
    informant[:n_core] = [f"PKS-R{i + 1:02d}" for i in range(n_core)]
    # The core households run the businesses their informants are recorded with (informants.csv).
    business[:n_core] = [PAKIS_BUSINESS_TYPES[informant_id] for informant_id in informant[:n_core]]
    frame = pd.DataFrame(
        {
            "household_id": [f"PKS-H{i + 1:0{width}d}" for i in range(n_total)],
            "site": SITE,
            "kelurahan": KELURAHAN,
            "cluster": cluster_names[cluster_index],
            "recipient": recipient,
            "component": components,
            "income_before": before,
            "income_after": after,
            "year_before": np.full(n_total, YEAR_BEFORE, dtype=np.int64),
            "year_after": np.full(n_total, YEAR_AFTER, dtype=np.int64),
            "loan_amount": pd.array(np.where(credit, loan, 0), dtype="Int64"),
            "business_type": business,
            "informant_id": informant,
            "credit_use": credit_use,
        }
    )
    frame.loc[~credit, "loan_amount"] = pd.NA
    return frame[[c for c in HOUSEHOLDS.columns if c in frame.columns]]


def _components(rng: np.random.Generator, n_recipients: int, n_comparison: int) -> np.ndarray:
    """Component of each household: the core pattern for the first nine, random for the rest."""
    n_core = min(n_recipients, N_CORE_INFORMANTS)
    core = rng.permutation(np.array(CORE_COMPONENTS, dtype=object))[:n_core]
    extra = rng.choice(
        np.array(("revolving_credit", "direct_aid", "infrastructure"), dtype=object),
        n_recipients - n_core,
        p=(0.75, 0.15, 0.10),
    )
    return np.concatenate([core, extra, np.full(n_comparison, "none", dtype=object)])


def _credit_uses(rng: np.random.Generator, credit: np.ndarray, n_recipients: int) -> np.ndarray:
    """raw_materials or equipment for credit households (both appear among the core), else empty."""
    uses = np.full(credit.size, None, dtype=object)
    core_credit = np.flatnonzero(credit[: min(n_recipients, N_CORE_INFORMANTS)])
    pattern = rng.permutation(np.array(CORE_CREDIT_USES, dtype=object))
    uses[core_credit] = pattern[: core_credit.size]
    rest = np.flatnonzero(credit)
    rest = rest[rest >= N_CORE_INFORMANTS]
    uses[rest] = rng.choice(
        np.array(("raw_materials", "equipment"), dtype=object), rest.size, p=(0.6, 0.4)
    )
    return uses


def _calibrated_incomes(before_raw: np.ndarray, growth: np.ndarray, recipient: np.ndarray):
    """Incomes before and after, rounded to Rp 10,000; recipients calibrated to the targets.

    Recipients' relative changes are scaled to a mean of TARGET_MEAN_PCT, then their incomes
    before are scaled so that the mean absolute change is TARGET_MEAN_ABS.
    """
    before = before_raw.copy()
    change = growth.copy()
    r = recipient
    change[r] = growth[r] / growth[r].mean() * (TARGET_MEAN_PCT / 100)
    before[r] = before_raw[r] * TARGET_MEAN_ABS / np.mean(before_raw[r] * change[r])
    after = before * (1 + change)
    rounded_before = np.maximum(ROUND_TO, np.round(before / ROUND_TO) * ROUND_TO).astype(np.int64)
    rounded_after = np.maximum(ROUND_TO, np.round(after / ROUND_TO) * ROUND_TO).astype(np.int64)
    mean_pct = float(np.mean(rounded_after[r] / rounded_before[r] - 1) * 100)
    mean_abs = float(np.mean(rounded_after[r] - rounded_before[r]))
    if not (
        PUBLISHED_MEAN_PCT[0] <= mean_pct <= PUBLISHED_MEAN_PCT[1]
        and PUBLISHED_MEAN_ABS[0] <= mean_abs <= PUBLISHED_MEAN_ABS[1]
    ):
        raise RuntimeError(  # a guarantee of this module, not a property of the seed
            f"calibration failed after rounding: mean change {mean_pct:.1f} %, Rp {mean_abs:,.0f}"
        )
    return rounded_before, rounded_after
