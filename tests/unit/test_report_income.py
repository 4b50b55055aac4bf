"""The income chapter's report layer: parts in the edition's language from numbers and codes,
and a template that only computes, records and shows."""

from __future__ import annotations

import ast
import dataclasses
import json

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.data import registry  # noqa: E402
from analysis.data.loading import load  # noqa: E402
from analysis.i18n import language, use_language  # noqa: E402
from analysis.methods import income  # noqa: E402
from analysis.methods.income import claims, loans, prices  # noqa: E402
from analysis.project import DATA_DIR, TEMPLATES_DIR  # noqa: E402
from analysis.report import income as report  # noqa: E402
from analysis.report.parts import Figure, Table, Text  # noqa: E402

JOMBANG = registry.study(DATA_DIR, "jombang")
PAKIS = registry.study(DATA_DIR, "pakis")
TEMPLATE = TEMPLATES_DIR / "income.ipynb"


@pytest.fixture(autouse=True)
def english_after():
    use_language("en")
    yield
    use_language("en")


def _households(years=(2015, 2017)) -> pd.DataFrame:
    frame = load(DATA_DIR, "households")
    frame = frame[frame["site"] == "pakis"].reset_index(drop=True)
    return frame.assign(year_before=years[0], year_after=years[1])


def _markdown(parts) -> str:
    return "\n".join(p.markdown for p in parts if isinstance(p, Text))


# ----------------------------------------------------------------------------- real terms
def test_incomes_of_years_the_price_data_miss_give_nominal_changes_only_and_say_why():
    cpi = load(DATA_DIR, "cpi_inflation_national")
    households = _households(years=(1950, 1952))
    real, real_result, facts = prices.real_terms(households, cpi, seed=1)
    assert real is None and real_result is None
    assert "1950" in facts["real_reason"] or "1951" in facts["real_reason"]
    nominal = income.income_change(households, bootstrap_resamples=0)
    parts = report.real_terms(PAKIS, nominal, real_result, facts, {}, lang="en")
    assert "Nominal changes only" in _markdown(parts)
    assert not any(isinstance(p, Table) for p in parts)  # no nominal-real table
    check = claims.claims_check(
        households, edition="field", site="pakis", claim=PAKIS.all_claims, real=real
    )
    assert set(check.loc[check["kind"] == "income", "prices"]) == {"nominal"}
    shown = report.claims(check, None, "field", {}, real=real is not None, lang="en")
    assert "nominal terms only" in shown[0].markdown


def test_no_price_series_is_a_code_said_in_the_edition_language():
    households = _households()
    real, real_result, facts = prices.real_terms(households, None, seed=1)
    assert facts == {"real_reason": prices.NO_PRICE_SERIES}
    nominal = income.income_change(households, bootstrap_resamples=0)
    english = _markdown(report.real_terms(PAKIS, nominal, None, facts, {}, lang="en"))
    indonesian = _markdown(report.real_terms(PAKIS, nominal, None, facts, {}, lang="id"))
    assert "the data hold no consumer price series" in english
    assert "data tidak memuat deret harga konsumen" in indonesian


def test_deflated_incomes_match_the_deflate_function():
    cpi = load(DATA_DIR, "cpi_inflation_national")
    households = _households()
    real, real_result, facts = prices.real_terms(households, cpi, seed=1)
    independent = income.deflate(households, cpi)
    assert real["income_before_real"].tolist() == independent["income_before_real"].tolist()
    assert facts["real_mean_pct_change"] == pytest.approx(real_result.mean_pct_change)
    assert facts["price_base_year"] == 2017 and facts["price_from_year"] == 2015
    assert real_result.prices == "real Rupiah of 2017"  # a code, the same in every edition
    assert report.prices_label(real_result.prices, lang="id") == "Rupiah riil tahun 2017"


# ----------------------------------------------------------------------------- claims
def test_a_study_without_a_percent_claim_has_no_recall_bias_table():
    no_claim = dataclasses.replace(
        PAKIS, claim={k: None for k in registry.CLAIM_KEYS}, other_claims={}
    )
    households = _households()
    check = claims.claims_check(
        households, edition="field", site="pakis", claim=no_claim.all_claims
    )
    recall = claims.optional_recall_bias(households, check, no_claim.claim, "field")
    assert recall is None
    facts = claims.claims_facts(check, recall, {})
    assert "recall_leaves_range_at_pct" not in facts
    parts = report.claims(check, recall, "field", {}, real=False, lang="en")
    assert len(parts) == 1 and "no published claim" in parts[0].markdown


def test_the_claims_facts_are_what_the_chapter_has_always_recorded():
    households = _households()
    notes = {"calibration": {"target_mean_pct": 40.0, "target_mean_abs": 400000, "round_to": 10000}}
    check = claims.claims_check(
        households, edition="illustrative", site="pakis", claim=PAKIS.all_claims
    )
    recall = claims.optional_recall_bias(households, check, PAKIS.claim, "illustrative")
    facts = claims.claims_facts(check, recall, notes)
    assert facts == {
        "calibration_target_mean_pct": 40.0,
        "calibration_target_mean_abs": 400000,
        "calibration_round_to": 10000,
        "recall_leaves_range_at_pct": recall.attrs["leaves_range_at_pct"],
    }
    parts = report.claims(check, recall, "illustrative", notes, real=False, lang="en")
    assert [type(p) for p in parts] == [Text, Text, Table, Text, Table]


def test_calibration_sentence_writes_rupiah_the_indonesian_way():
    notes = {"calibration": {"target_mean_pct": 40, "target_mean_abs": 400000, "round_to": 5000}}
    assert "mean change Rp\u00a0400,000" in report.calibration_text(notes, lang="en")
    text = report.calibration_text(notes, lang="id")
    assert "edisi ilustratif" in text and "Rp\u00a0400.000" in text
    assert "Rp\u00a05.000 terdekat" in text


def test_no_words_of_the_claims_section_call_illustrative_data_a_reproduction():
    households = _households()
    check = claims.claims_check(
        households, edition="illustrative", site="pakis", claim=PAKIS.all_claims
    )
    recall = claims.optional_recall_bias(households, check, PAKIS.claim, "illustrative")
    parts = report.claims(check, recall, "illustrative", {}, real=True, lang="en")
    words = _markdown(parts) + " ".join(
        " ".join(map(str, p.frame.to_numpy().ravel())) for p in parts if isinstance(p, Table)
    )
    assert "reproduc" not in words.lower()
    empty = check.iloc[0:0]
    assert "reproduc" not in report.claims_text(empty, {}, lang="en").lower()


# ----------------------------------------------------------------------------- the rest
def test_the_programme_history_is_told_only_for_the_programmes_it_is_about():
    text = report.programme_history(PAKIS, lang="en")
    assert "P2KP" in text and "A 2017 study" in text and "{study}" not in text
    assert report.programme_history(JOMBANG, lang="en") == ""


def test_loans_are_computed_in_real_terms_where_incomes_were_deflated():
    cpi = load(DATA_DIR, "cpi_inflation_national")
    households = _households()
    nominal = income.income_change(households, bootstrap_resamples=0)
    real, real_result, _facts = prices.real_terms(households, cpi, seed=1)
    found, where, facts = loans.loan_terms(households, real, nominal, real_result)
    assert where == "real Rupiah of 2017" and facts["loan_n"] == found.n
    assert set(facts) == {f"loan_{k}" for k in found.to_dict()}
    text = report.loans(found, where, lang="en")[0].markdown
    assert "in real Rupiah of 2017" in text and "4.6-5.3 %" in text


def test_the_slope_chart_has_alt_text_with_its_numbers_in_the_edition_language():
    households = _households()
    (figure,) = report.slopes(households, lang="id")
    assert isinstance(figure, Figure)
    mean_after = households["income_after"].mean()
    assert f"{mean_after:,.0f}".replace(",", ".") in figure.alt
    assert "rumah tangga" in figure.alt and "9" in figure.alt
    english = report.slopes_alt(households, lang="en")
    assert f"Rp\u00a0{mean_after:,.0f}" in english


def test_report_functions_take_the_language_as_an_argument_not_from_the_global():
    result = income.income_change(_households(), seed=1, bootstrap_resamples=0)
    use_language("en")
    indonesian = report.summary_table(result, lang="id")
    assert language() == "en"
    assert indonesian.loc[1, "estimator"] == "Rata-rata pendapatan sebelum"
    assert report.method_text(result, "permutation_method", lang="id").startswith("eksak")


def test_recorded_method_texts_are_english_whatever_the_language():
    result = income.income_change(_households(), seed=3, bootstrap_resamples=99)
    use_language("id")
    values = result.to_dict()
    assert values["bootstrap_method"] == "BCa, 99 resamples, seed 3"
    assert values["permutation_method"] == "exact: all 512 sign flips"
    assert "bootstrap_seed" not in values


# ----------------------------------------------------------------------------- the template
def _template():
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))["cells"]


def test_the_income_template_is_thin():
    """No words, no branches, no direct display: every part goes through show(report...)."""
    for cell in _template():
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.If | ast.For | ast.While | ast.IfExp), source
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                assert name not in {
                    "_",
                    "N_",
                    "ngettext",
                    "display",
                    "Markdown",
                    "table",
                    "download",
                    "figure",
                }, source
                assert not (name == "show" and isinstance(node.func, ast.Attribute)), source
                if name == "show" and node.args:  # show(report.<function>, ...)
                    target = node.args[0]
                    assert isinstance(target, ast.Attribute) and target.value.id == "report"
        assert "matplotlib" not in source and "IPython" not in source, source


def test_the_income_template_headings_promise_only_what_the_chapter_has():
    markdown = "\n".join("".join(c["source"]) for c in _template() if c["cell_type"] == "markdown")
    assert "Reproduction" not in markdown and "reproduc" not in markdown.lower()
    assert "difference-in-differences below" not in markdown
    assert "## The size of the effect" not in markdown
    assert "## Checking the claims against the data" in markdown
