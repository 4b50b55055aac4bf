"""The income chapter's primary test: did incomes rise more than prices alone would have raised
them (against zero nominal change only without a price series)? Checked against scipy on incomes
deflated by hand; the words of both editions call no before/after change an effect; no
degenerate standard error is recorded as a number."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po
from scipy import stats

from analysis.data import registry
from analysis.data.loading import load
from analysis.methods import income
from analysis.methods.income import claims, clusters, power, prices, primary
from analysis.project import DATA_DIR, PROJECT_ROOT, TEMPLATES_DIR
from analysis.report import income as report
from analysis.report.parts import Table, Text

PAKIS = registry.study(DATA_DIR, "pakis")
CPI = load(DATA_DIR, "cpi_inflation_national")


def _shipped_pakis() -> pd.DataFrame:
    households = load(DATA_DIR, "households")
    return households[households["site"] == "pakis"].reset_index(drop=True)


def _inflation(year: int) -> float:
    """December-on-December inflation of ``year`` (percent), read from the CPI file directly."""
    rows = CPI[
        (CPI["indicator"] == "cpi_inflation_dec_on_dec")
        & (CPI["year"].astype(int) == year)
        & (CPI["area_code"].astype(str).str.zfill(2) == "00")
    ]
    (value,) = rows["value"].astype(float)
    return value


def _price_level(year: int, base: int = 2010) -> float:
    """December price level of ``year`` relative to December of ``base`` (by hand)."""
    return float(np.prod([1 + _inflation(y) / 100 for y in range(base + 1, year + 1)]))


# ----------------------------------------------------------------------------- the method
def test_the_primary_test_on_the_shipped_data_is_scipys_paired_t_test_of_real_incomes():
    households = _shipped_pakis()
    b = households["income_before"].to_numpy(float)
    a = households["income_after"].to_numpy(float)
    factor = (1 + _inflation(2016) / 100) * (1 + _inflation(2017) / 100)  # Dec 2015 -> Dec 2017
    independent = stats.ttest_rel(a, b * factor)
    ci = independent.confidence_interval(0.95)
    real, _real_result, _facts = prices.real_terms(households, CPI, seed=1)
    test = primary.primary_test(households, real)
    assert test.null == primary.KEPT_PACE_WITH_PRICES and test.prices == "real Rupiah of 2017"
    assert test.t == pytest.approx(independent.statistic, rel=1e-9)
    assert test.p == pytest.approx(independent.pvalue, rel=1e-9)
    assert test.df == independent.df == 8
    assert (test.ci95_low, test.ci95_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    # the null "incomes kept pace with prices" is "the nominal change is the price-only change"
    assert test.price_only_change == pytest.approx(float((b * (factor - 1)).mean()))
    assert test.mean_change == pytest.approx(test.mean_nominal_change - test.price_only_change)
    nominal_minus_prices = stats.ttest_1samp((a - b) - b * (factor - 1), 0.0)
    assert test.p == pytest.approx(nominal_minus_prices.pvalue, rel=1e-9)
    # the values the chapter records (results.json rounds them)
    assert test.mean_change == pytest.approx(335_667.72, abs=0.01)
    assert (test.ci95_low, test.ci95_high) == pytest.approx((185_784.37, 485_551.07), abs=0.01)
    assert test.t == pytest.approx(5.16436, abs=1e-5) and test.p == pytest.approx(0.000859057)


def test_households_of_different_years_are_tested_in_the_prices_of_the_latest_year():
    rng = np.random.default_rng(7)
    n = 12
    years_before = rng.choice([2013, 2014, 2015], size=n)
    years_after = years_before + rng.choice([1, 2], size=n)
    b = rng.integers(60, 200, size=n) * 10_000.0
    a = np.round(b * rng.uniform(0.95, 1.4, size=n), -4)
    households = pd.DataFrame(
        {
            "household_id": [f"H{i:02d}" for i in range(n)],
            "recipient": True,
            "income_before": b,
            "income_after": a,
            "year_before": years_before,
            "year_after": years_after,
        }
    )
    base = int(years_after.max())
    level_b = np.array([_price_level(y) for y in years_before])
    level_a = np.array([_price_level(y) for y in years_after])
    real_b, real_a = b * _price_level(base) / level_b, a * _price_level(base) / level_a
    independent = stats.ttest_rel(real_a, real_b)
    real, _real_result, facts = prices.real_terms(households, CPI, seed=1)
    test = primary.primary_test(households, real)
    assert test.prices == f"real Rupiah of {base}" and facts["price_base_year"] == base
    assert test.t == pytest.approx(independent.statistic, rel=1e-9)
    assert test.p == pytest.approx(independent.pvalue, rel=1e-9)
    ci = independent.confidence_interval(0.95)
    assert (test.ci95_low, test.ci95_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    kept_pace = b * level_a / level_b  # the income before, carried to the "after" year's prices
    assert test.price_only_change == pytest.approx(float((kept_pace - b).mean()))


def test_without_a_price_series_the_primary_test_is_against_zero_nominal_change():
    households = _shipped_pakis()
    real, _real_result, facts = prices.real_terms(households, None, seed=1)
    test = primary.primary_test(households, real)
    d = (households["income_after"] - households["income_before"]).to_numpy(float)
    independent = stats.ttest_1samp(d, 0.0)
    assert test.null == primary.NO_NOMINAL_CHANGE and test.prices == "nominal"
    assert test.price_only_change is None and test.mean_change == pytest.approx(d.mean())
    assert test.p == pytest.approx(independent.pvalue, rel=1e-9)
    for lang, said in (("en", "only whether nominal income changed"), ("id", "hanya menanyakan")):
        text = report.describe_primary_test(test, facts, lang=lang)
        assert said in text and ("prices" in text or "harga" in text)


def test_the_primary_test_and_the_real_estimate_agree_and_are_recorded_under_primary_keys():
    households = _shipped_pakis()
    real, real_result, facts = prices.real_terms(households, CPI, seed=1)
    test = primary.primary_test(households, real)
    assert (test.ci95_low, test.ci95_high) == pytest.approx(
        (real_result.t_ci95_low, real_result.t_ci95_high)
    )
    assert test.p == pytest.approx(real_result.t_p)
    recorded = primary.primary_facts(test)
    assert set(recorded) == {
        f"primary_{k}"
        for k in (
            "null",
            "prices",
            "n",
            "mean_nominal_change",
            "price_only_change",
            "mean_change",
            "sd_change",
            "t",
            "df",
            "ci95_low",
            "ci95_high",
            "p",
        )
    }
    json.dumps(recorded)  # plain values
    assert facts["real_t_p"] == pytest.approx(test.p)  # every field of the real estimate
    assert facts["real_permutation_p"] == real_result.permutation_p


def test_no_spread_no_t_test_and_none_recorded():
    households = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "recipient": True,
            "income_before": [1_000_000, 800_000, 900_000],
            "income_after": [1_100_000, 900_000, 1_000_000],
            "year_before": 2015,
            "year_after": 2015,
        }
    )
    test = primary.primary_test(households)
    assert test.t is None and test.p is None and test.ci95_low is None
    assert report.describe_primary_result(test, lang="en").endswith("there is no t test.")


# ----------------------------------------------------------------------------- degenerate errors
def test_a_degenerate_clustered_standard_error_is_not_recorded_as_a_number():
    households = pd.DataFrame(
        {
            "household_id": [f"H{i}" for i in range(4)],
            "recipient": True,
            "cluster": ["RW01", "RW01", "RW02", "RW02"],
            "income_before": [1_000_000, 1_000_000, 1_000_000, 1_000_000],
            "income_after": [1_100_000, 1_300_000, 1_200_000, 1_200_000],  # both means +200,000
            "year_before": 2015,
            "year_after": 2017,
        }
    )
    clustered = clusters.optional_cluster_change(households)
    assert clustered.degenerate and clustered.estimate == pytest.approx(200_000)
    facts = clusters.cluster_facts(clustered)
    assert facts["cluster_se"] is None and facts["cluster_p"] is None
    assert facts["cluster_ci95_low"] is None and facts["cluster_prices"] == "nominal"
    assert "zero up to rounding" in report.describe_clusters(clustered, lang="en")
    assert "praktis nol" in report.describe_clusters(clustered, lang="id")


def test_the_degenerate_rule_keeps_small_but_real_standard_errors():
    values = np.array([1.0, 2.0, 3.0])
    assert clusters.degenerate_se(1e-14, values) and clusters.degenerate_se(0.0, values)
    assert not clusters.degenerate_se(1e-3, values)


def test_clustered_interval_and_power_use_the_primary_tests_changes():
    households = _shipped_pakis()
    real, real_result, _facts = prices.real_terms(households, CPI, seed=1)
    clustered = clusters.optional_cluster_change(households, real)
    assert clustered.prices == "real Rupiah of 2017"
    assert clustered.estimate == pytest.approx(real_result.mean_abs_change)
    design = power.primary_power(households, real)
    assert design.prices == "real Rupiah of 2017"
    assert design.sd_abs_change == pytest.approx(real_result.sd_abs_change)


# ----------------------------------------------------------------------------- the words
def _chapter_words(lang: str, cpi) -> str:
    """Every text and table cell the report writes for the shipped Pakis data (no comparison)."""
    households = _shipped_pakis()
    nominal = income.income_change(households, seed=1, bootstrap_resamples=0)
    real, real_result, facts = prices.real_terms(households, cpi, seed=1)
    test = primary.primary_test(households, real)
    check = claims.claims_check(
        households, edition="illustrative", site="pakis", claim=PAKIS.all_claims, real=real
    )
    recall = claims.optional_recall_bias(households, check, PAKIS.claim, "illustrative")
    parts = [
        *report.intro(PAKIS, lang=lang),
        *report.estimates(nominal, test, facts, lang=lang),
        *report.real_terms(PAKIS, nominal, real_result, facts, {}, test, lang=lang),
        *report.inference(test, real_result, nominal, lang=lang),
        *report.clusters(clusters.optional_cluster_change(households, real), lang=lang),
        *report.comparison(None, lang=lang),
        *report.power(power.primary_power(households, real), lang=lang),
        *report.claims(check, recall, "illustrative", {}, real=real is not None, lang=lang),
    ]
    words = [p.markdown for p in parts if isinstance(p, Text)]
    words += [" ".join(map(str, p.frame.to_numpy().ravel())) for p in parts if isinstance(p, Table)]
    return "\n".join(words)


#: What a sentence that mentions an effect must also hold, so that it denies one (no comparison).
#: (One sentence cites another study's evaluation: "no significant effect", "tidak berpengaruh".)
NEGATIONS = {"en": ("not", "no", "whether"), "id": ("bukan", "tidak", "apakah")}
EFFECT = {"en": "effect", "id": "dampak"}


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("with_prices", [True, False])
def test_without_a_comparison_group_no_sentence_calls_the_change_an_effect(lang, with_prices):
    words = _chapter_words(lang, CPI if with_prices else None)
    sentences = re.split(r"(?<=[.!?])\s+", words)
    speaking = [s for s in sentences if EFFECT[lang] in s.lower()]
    assert speaking  # the chapter does say that a change is not an effect
    for sentence in speaking:
        said = set(re.findall(r"\w+", sentence.lower()))
        assert said & set(NEGATIONS[lang]), sentence
    assert "reproduc" not in words.lower()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_primary_test_is_named_with_its_null_and_the_nominal_test_is_secondary(lang):
    households = _shipped_pakis()
    real, real_result, facts = prices.real_terms(households, CPI, seed=1)
    test = primary.primary_test(households, real)
    named = report.describe_primary_test(test, facts, lang=lang)
    nominal = income.income_change(households, seed=1, bootstrap_resamples=0)
    table = report.inference_table(test, real_result, nominal, lang=lang)
    result = report.describe_primary_result(test, lang=lang)
    if lang == "en":
        assert "only kept pace with prices" in named and "6.7\u00a0%" in named
        assert list(table["role"][:2]) == ["primary", "secondary"]
        assert "tests only that nominal income changed" in table.loc[1, "how"]
        assert "The data reject the null that incomes only kept pace with prices" in result
        assert "Rp\u00a0335,668" in result and "t = 5.16 with 8 degrees of freedom" in result
    else:
        assert "hanya mengikuti kenaikan harga" in named and "6,7%" in named
        assert list(table["role"][:2]) == ["utama", "sekunder"]
        assert "hanya menguji bahwa pendapatan nominal berubah" in table.loc[1, "how"]
        assert "Data menolak hipotesis nol bahwa pendapatan hanya mengikuti" in result
        assert "Rp\u00a0335.668" in result and "t = 5,16 dengan derajat bebas 8" in result


def test_the_intro_asks_whether_the_data_are_consistent_with_the_claim():
    assert "consistent with the claim" in report.intro(PAKIS, lang="en")[0].markdown
    assert "konsisten dengan klaim" in report.intro(PAKIS, lang="id")[0].markdown


# ----------------------------------------------------------------------------- the template
def _template_cells():
    return json.loads((TEMPLATES_DIR / "income.ipynb").read_text(encoding="utf-8"))["cells"]


def test_the_template_names_the_primary_test_before_any_test_result():
    sources = ["".join(c["source"]) for c in _template_cells()]
    named = next(i for i, s in enumerate(sources) if "show(report.estimates" in s)
    computed = next(i for i, s in enumerate(sources) if "primary.primary_test(" in s)
    tested = next(i for i, s in enumerate(sources) if "show(report.inference" in s)
    assert computed <= named < tested
    assert "record_all(primary.primary_facts(test))" in sources[computed]


def test_no_heading_of_either_edition_calls_a_change_an_effect():
    headings = [
        line.lstrip("#").strip()
        for cell in _template_cells()
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.startswith("#")
    ]
    assert "The size of the change in context" in headings
    assert not any("more than chance" in h for h in headings)
    catalog = read_po((PROJECT_ROOT / "locales/id/LC_MESSAGES/chapters/income.po").open("rb"))
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    for heading in headings[1:]:  # the first is the chapter's title, from the catalogue
        assert translated.get(heading), f"no Indonesian heading for {heading!r}"
        if "effect" in heading.lower():
            assert " not " in heading, heading
        if "dampak" in translated[heading].lower():
            assert "bukan" in translated[heading].lower(), translated[heading]
