"""What the chapters say when the data cannot fill a display, and the design-weighted shares."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.data import registry
from analysis.data.loading import load
from analysis.methods import income, narrative
from analysis.project import DATA_DIR

JOMBANG = registry.study(DATA_DIR, "jombang")
PAKIS = registry.study(DATA_DIR, "pakis")


def _households(years=(2015, 2017)) -> pd.DataFrame:
    frame = load(DATA_DIR, "households")
    frame = frame[frame["site"] == "pakis"].reset_index(drop=True)
    return frame.assign(year_before=years[0], year_after=years[1])


def test_incomes_of_years_the_price_data_miss_give_nominal_changes_only_and_say_why():
    cpi = load(DATA_DIR, "cpi_inflation_national")
    households = _households(years=(1950, 1952))
    real, real_result, facts = narrative.real_terms(households, cpi, seed=1)
    assert real is None and real_result is None
    assert "1950" in facts["real_reason"] or "1951" in facts["real_reason"]
    nominal = income.income_change(households, bootstrap_resamples=0)
    parts = narrative.real_parts(PAKIS, nominal, real_result, facts, {})
    assert any(isinstance(p, str) and "Nominal changes only" in p for p in parts)
    assert not any(isinstance(p, tuple) for p in parts)  # no nominal-real table
    reproduction, _ = narrative.reproduction_parts(
        households, PAKIS, None, real, nominal, "field", {}
    )
    check = next(p[1] for p in reproduction if isinstance(p, tuple))
    assert set(check.loc[check["kind"] == "income", "prices"]) == {"nominal"}
    assert "nominal terms only" in reproduction[0]


def test_deflated_incomes_match_the_deflate_function():
    cpi = load(DATA_DIR, "cpi_inflation_national")
    households = _households()
    real, real_result, facts = narrative.real_terms(households, cpi, seed=1)
    independent = income.deflate(households, cpi)
    assert real["income_before_real"].tolist() == independent["income_before_real"].tolist()
    assert facts["real_mean_pct_change"] == pytest.approx(real_result.mean_pct_change)
    assert facts["price_base_year"] == 2017 and facts["price_from_year"] == 2015


def test_a_study_without_a_percent_claim_has_no_recall_bias_table():
    no_claim = dataclasses.replace(
        PAKIS, claim={k: None for k in registry.CLAIM_KEYS}, other_claims={}
    )
    households = _households()
    result = income.income_change(households, bootstrap_resamples=0)
    parts, facts = narrative.reproduction_parts(
        households, no_claim, None, None, result, "field", {}
    )
    assert len(parts) == 1 and "no published claim" in parts[0]
    assert "recall_leaves_range_at_pct" not in facts


def test_the_programme_history_is_told_only_for_the_programmes_it_is_about():
    assert "P2KP" in narrative.programme_history(PAKIS) and "A 2017 study" in (
        narrative.programme_history(PAKIS)
    )
    assert narrative.programme_history(JOMBANG) == ""
    assert "{study}" not in narrative.programme_history(PAKIS)


@pytest.mark.parametrize(
    "sampled, said, unsaid",
    [(True, "from 4 sampled clusters", " in 4 clusters"), (False, " in 4 clusters", "sampled")],
)
def test_clusters_are_called_sampled_only_when_the_study_drew_them(sampled, said, unsaid):
    """A census or a purposive study has clusters, not a sample of them (issue 21)."""
    from types import SimpleNamespace

    numbers = {
        "s_officials": 1,
        "s_residents": 20,
        "s_staff": 0,
        "s_clusters": 4,
        "s_sampled": sampled,
        "s_households": 0,
        "s_programmes": 1,
        "s_informants": 21,
    }
    text = narrative.synthesis_data_text(
        SimpleNamespace(numbers=numbers, labels={"s": "Pasie Nan Tigo"}), "field"
    )
    assert said in text and unsaid not in text
