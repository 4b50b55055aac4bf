"""The income chapter, the chapter's display helpers and the figures in the Indonesian edition.

Each test writes in Indonesian (``use_language("id")``) and checks real Indonesian text with
Indonesian number formats; the English output is checked to be what it always was.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import chapter, figures  # noqa: E402
from analysis.data import registry  # noqa: E402
from analysis.i18n import in_language, use_language  # noqa: E402
from analysis.methods import income  # noqa: E402
from analysis.methods.income import claims, prices, primary  # noqa: E402
from analysis.project import PROJECT_ROOT  # noqa: E402
from analysis.report import income as report  # noqa: E402

PAKIS = registry.study(PROJECT_ROOT / "data", "pakis")
CLAIM = {"claim_pct_low": 35.0, "claim_pct_high": 45.0, "claim_rp_low": 300000.0}


@pytest.fixture(autouse=True)
def english_after():
    use_language("en")
    yield
    use_language("en")
    plt.close("all")


def households(n: int = 9) -> pd.DataFrame:
    before = [600_000 + 70_000 * k for k in range(n)]
    after = [round(b * (1.3 + 0.03 * k)) for k, b in enumerate(before)]
    return pd.DataFrame(
        {
            "household_id": [f"PKS-H{k + 1:02d}" for k in range(n)],
            "site": "pakis",
            "cluster": [f"RW0{k % 3 + 1}" for k in range(n)],
            "recipient": True,
            "component": "revolving_credit",
            "income_before": before,
            "income_after": after,
            "year_before": 2015,
            "year_after": 2017,
            "loan_amount": 2_000_000,
        }
    )


@pytest.fixture(scope="module")
def result():
    return income.income_change(households(), seed=1, bootstrap_resamples=999)


# ----------------------------------------------------------------------------- catalogs
def test_the_catalogs_of_this_area_are_complete(indonesian_catalog_problems):
    names = ("report.income", "chapter", "figures")
    found = indonesian_catalog_problems
    problems = [p for p in found if any(f"{name}.po" in p for name in names)]
    assert problems == []


# ----------------------------------------------------------------------------- sentences
def test_summary_table_in_indonesian_with_indonesian_numbers(result):
    table = report.summary_table(result, lang="id")
    assert list(table.columns) == ["estimator", "value", "meaning"]  # machine names stay
    assert table.loc[1, "estimator"] == "Rata-rata pendapatan sebelum"
    assert table.loc[1, "value"].startswith("Rp\u00a0") and "." in table.loc[1, "value"]
    assert table.loc[1, "meaning"] == "Rupiah per bulan"
    assert "," in table.loc[5, "value"] and table.loc[5, "value"].endswith(",0%")
    assert "SK 95%" in table.loc[7, "value"] and "sampai" in table.loc[7, "value"]


def test_english_summary_table_is_unchanged(result):
    table = report.summary_table(result, lang="en")
    assert table.loc[1, "estimator"] == "Mean income before"
    assert table.loc[5, "value"] == f"{result.mean_pct_change:.1f}\u00a0%"
    assert table.loc[7, "value"].startswith(f"{result.geo_mean_ratio:.3f} (95 % CI ")


def test_inference_table_and_sentences_in_indonesian(result):
    nominal = income.income_change(households(), seed=1)
    test = primary.primary_test(households())  # no price series: against zero nominal change
    table = report.inference_table(test, nominal, lang="id")
    assert table.loc[0, "role"] == "utama" and table.loc[1, "role"] == "uji ketahanan"
    assert table.loc[1, "method"] == "Uji peringkat bertanda Wilcoxon"
    assert "0,00" in table.loc[1, "p (two-sided)"]
    facts = {"real_reason": prices.NO_PRICE_SERIES}
    text = report.describe_primary_test(test, facts, lang="id")
    assert text.startswith("**Uji utama, ditetapkan sebelum hasil apa pun.**")
    assert "uji t berpasangan" in text and "pendapatan nominal tidak berubah" in text
    inference = report.describe_inference(income.income_change(households(), seed=1), lang="id")
    assert "Uji permutasi pembalikan tanda memberikan p = 0,00" in inference
    assert "eksploratif" in inference


def test_power_sentence_in_indonesian():
    power = income.power_analysis(households(), target_pct=10.0)
    (text,) = [part.markdown for part in report.power(power, lang="id")]
    assert text.startswith("Pada n = 9,") and "kuasa uji 80%" in text and "per bulan" in text
    assert "rumah tangga" in text and "," in text.split("(")[1]  # "(10,5%)"


def test_english_power_sentence_names_the_primary_test_and_its_prices():
    power = income.power_analysis(households(), target_pct=10.0)
    assert report.power(power, lang="en")[0].markdown == (
        f"At n = {power.n}, the smallest mean change the primary test detects with 80 % power is "
        f"Rp\u00a0{power.mde_abs_change:,.0f} a month (nominal; {power.mde_pct_change:.1f} %); "
        f"detecting a 10 % change needs {power.n_for_target} households."
    )


def test_clusters_and_loans_in_indonesian(result):
    text = report.describe_clusters(income.cluster_robust_change(households()), lang="id")
    assert text.startswith("**Berklaster menurut lingkungan.**") and "3 klaster" in text
    assert "selang kepercayaan 95%" in text
    loans = income.loan_return(households())
    (text,) = [p.markdown for p in report.loans(loans, "real Rupiah of 2017", lang="id")]
    assert "kredit bergulir" in text and "Rupiah riil tahun 2017" in text
    assert "Rp\u00a02.000.000" in text and "4,6-5,3% per bulan" in text
    assert report.loans(None, "nominal", lang="id")[0].markdown.startswith("Data tidak memuat")


def test_no_comparison_text_and_banner_in_indonesian():
    (text,) = [p.markdown for p in report.comparison(None, lang="id")]
    assert text.startswith("**Tidak ada kelompok pembanding.**")
    use_language("id")
    from analysis.i18n import _

    assert _(chapter.ILLUSTRATIVE_BANNER).startswith("**Data ilustratif.**")
    heading = report.group_heading("business_type", lang="id")
    assert heading.startswith("**Menurut jenis usaha**")


# ----------------------------------------------------------------------------- reproduction
def test_the_claims_check_holds_codes_and_the_report_shows_indonesian():
    use_language("id")  # the check does not read the language: its values are codes
    check = claims.claims_check(households(), edition="field", claim=CLAIM)
    assert check.loc[0, "claim"] == "Mean income increase of 35-45 %"
    assert set(check["verdict"]) <= {income.CONSISTENT, income.INCONSISTENT, income.INCONCLUSIVE}
    assert set(check["kind"]) == {income.INCOME_CLAIM}
    use_language("en")
    shown = report.claims_table(check, lang="id")
    assert list(shown.columns) == [
        "claim",
        "kind",
        "prices",
        "published",
        "data",
        "verdict",
        "basis",
    ]
    assert shown.loc[0, "claim"] == "Rata-rata kenaikan pendapatan sebesar 35-45%"
    assert shown.loc[0, "kind"] == "pendapatan"
    assert shown.loc[0, "data"].startswith("rata-rata perubahan persentase ")
    assert "SK 95%" in shown.loc[0, "data"] and "," in shown.loc[0, "data"]
    assert shown.loc[1, "published"] == "Rp\u00a0300.000"
    assert shown.loc[0, "verdict"] in {"konsisten", "tidak konsisten", "tidak meyakinkan"}


def test_the_claims_table_in_english_says_not_testable_by_construction_never_reproduced():
    check = claims.claims_check(households(), edition="illustrative", claim=CLAIM)
    assert check.loc[0, "verdict"] == income.BY_CONSTRUCTION
    shown = report.claims_table(check, lang="en")
    # the English key reads as shown (the report's percent sign is the formatter's)
    assert shown.loc[0, "claim"] == check.loc[0, "claim"].replace(" %", "\u00a0%")
    assert set(shown["verdict"]) == {"by construction"}  # the note above the table says why
    rule = report.describe_claims_rule(lang="en")
    assert "reproduc" not in rule and "does not support the claim" in rule


def test_recall_bias_table_in_indonesian():
    recall = income.recall_bias(households(), claim=CLAIM, edition="illustrative")
    table = report.recall_table(recall, lang="id")
    assert table.loc[0, "verdict"] == "menurut konstruksinya"
    assert "sampai" in table.loc[0, "95 % CI (%)"] and "," in table.loc[0, "95 % CI (%)"]
    assert table.loc[0, "mean vs claim"].endswith("rentang klaim")
    text = report.describe_recall_bias(recall, lang="id")
    assert text.startswith("**Jika pendapatan 'sebelum' diingat")


# ----------------------------------------------------------------------------- display
def test_table_headers_and_booleans_are_translated_at_display():
    use_language("id")
    frame = pd.DataFrame(
        {"household_id": ["H1"], "income before (Rp/month)": [680000], "recipient": [True]}
    )
    formats = report.household_formats(report.Words("id"))
    cells, numeric, _code = chapter.prepare(frame, formats=formats)
    assert list(cells.columns) == ["id rumah tangga", "pendapatan sebelum (Rp/bulan)", "recipient"]
    assert cells.iloc[0, 1] == "Rp\u00a0680.000" and cells.iloc[0, 2] == "ya"
    use_language("en")
    formats = report.household_formats(report.Words("en"))
    cells, _numeric, _code = chapter.prepare(frame, formats=formats)
    assert list(cells.columns) == ["household id", "income before (Rp/month)", "recipient"]
    assert cells.iloc[0, 1] == "Rp\u00a0680,000" and cells.iloc[0, 2] == "yes"


def test_download_text_in_both_languages():
    assert chapter.download_text("Households", "downloads/h.csv", 30, 12, 20, ["a"]) == (
        "The first 20 of 30 rows are shown. The download has every column (12). "
        "{download}`Households (CSV, 30 rows) <downloads/h.csv>`"
    )
    use_language("id")
    text = chapter.download_text("Rumah tangga", "downloads/h.csv", 1250, 12, 20)
    assert text == (
        "Ditampilkan 20 baris pertama dari 1.250 baris. "
        "{download}`Rumah tangga (CSV, 1.250 baris) <downloads/h.csv>`"
    )


# ----------------------------------------------------------------------------- figures
def _texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [
        ax.get_title(),
        ax.get_xlabel(),
        ax.get_ylabel(),
        ax.get_legend().get_title().get_text(),
        *(t.get_text() for t in ax.get_legend().get_texts()),
        *(t.get_text() for t in ax.get_xticklabels()),
    ]


def test_slope_chart_in_indonesian_with_indonesian_ticks():
    figures.apply_style()
    with in_language("id"):  # the tick labels are drawn in the edition's language
        fig = report.plot_slopes(households(), lang="id")
        texts = _texts(fig)
        fig.canvas.draw()
        ticks = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert "Pendapatan rumah tangga sebelum dan sesudah program" in texts
    assert "Periode" in texts and "Pendapatan rumah tangga (Rp per bulan, nominal)" in texts
    assert "warna garis menurut komponen" in texts and "rata-rata 9 penerima" in texts
    assert "sebelum (2015)" in texts and "sesudah (2017)" in texts
    assert ticks and all(t.startswith("Rp ") for t in ticks)
    assert any("." in t for t in ticks) and not any("," in t for t in ticks)


def test_english_slope_chart_is_unchanged():
    figures.apply_style()
    fig = report.plot_slopes(households(), lang="en")
    texts = _texts(fig)
    assert "Household income before and after the programme" in texts
    assert "mean of the 9 recipients" in texts and "before (2015)" in texts


def test_the_illustrative_mark_is_in_the_edition_language():
    use_language("id")
    fig, _ax = plt.subplots()
    figures.mark_illustrative(fig, "illustrative")
    assert [t.get_text() for t in fig.texts] == ["Data ilustratif: bukan hasil lapangan"]
    assert figures.is_marked(fig)
    use_language("en")
    assert figures.is_marked(fig)  # a mark drawn in another language is still a mark
    other, _ax = plt.subplots()
    figures.mark_illustrative(other, "illustrative")
    assert [t.get_text() for t in other.texts] == [figures.ILLUSTRATIVE_MARK]


def test_number_axis_follows_the_language():
    use_language("id")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 2500])
    figures.number_axis(ax, "y")
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "2.500" in ticks or "2.000" in ticks


def test_programme_history_in_both_languages():
    english = report.programme_history(PAKIS, lang="en")
    assert english == report.PROGRAMME_HISTORY.replace("{study}", "A 2017 study")
    text = report.programme_history(PAKIS, lang="id")
    assert text.startswith("**P2KP yang mana?**") and "Penelitian tahun 2017 tentang" in text
    assert "{cite:p}`voss2012`" in text and "kredit bergulir" in text
