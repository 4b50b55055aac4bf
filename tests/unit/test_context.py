"""Poverty context of a regency: series, gaps, ranks, medians and the study-period change.

Small frames check each rule on numbers worked out by hand; the real BPS files check the
figures the chapters quote (Jombang's 2010 rate and rank among East Java's 38 areas,
Banyuwangi's two 2013 figures; every area of them in
tests/integration/test_context_all_areas.py); a slow test builds the chapter for a third area
(Surabaya).
"""

from __future__ import annotations

import csv
import math

import matplotlib
import pandas as pd
import pytest

from analysis.methods import context, province
from analysis.project import PROJECT_ROOT
from analysis.report import context as report

matplotlib.use("Agg")

DATA = PROJECT_ROOT / "data"
PUBLIC = DATA / "public"
TEMPLATE = PROJECT_ROOT / "book" / "templates" / "context.ipynb"
has_public = pytest.mark.skipif(
    not (PUBLIC / "bps_regency_p0_2010_2018.csv").is_file(), reason="data/public not present"
)


# --------------------------------------------------------------------------- small frames
def fact(
    code,
    year,
    value,
    *,
    indicator="p0",
    series="bps_regency_p0",
    name=None,
    area_type="regency",
    round_="March",
    source="BPS series",
    province="Jawa Timur",
):
    return {
        "area_code": code,
        "area_name": name or f"Area {code}",
        "area_type": area_type,
        "province": province,
        "year": year,
        "round": round_,
        "indicator": indicator,
        "value": value,
        "unit": "percent",
        "source": source,
        "source_url": f"https://example.org/{series}",
        "note": "",
        "series": series,
    }


def facts_of(rows) -> pd.DataFrame:
    return context.tidy_facts(pd.DataFrame(rows))


@pytest.fixture
def province_of_four() -> pd.DataFrame:
    """Four areas of province 35 in 2010 and 2011, one area of province 36, provincial rows for 2015."""
    rows = []
    for year, values in {2010: (10.0, 12.0, 12.0, 8.0), 2011: (9.0, 11.0, 13.0, 7.0)}.items():
        for code, value in zip(("3501", "3502", "3503", "3571"), values):
            rows.append(fact(code, year, value, area_type="city" if code == "3571" else "regency"))
        rows.append(fact("3601", year, 30.0, province="Banten"))
    return facts_of(rows)


def test_rank_counts_from_the_highest_rate_and_ties_share_the_better_rank(province_of_four):
    table = province.province_table(province_of_four, "35")
    in_2010 = table[table["year"] == 2010].set_index("area_code")
    assert in_2010["rank"].to_dict() == {"3502": 1, "3503": 1, "3501": 3, "3571": 4}
    assert set(in_2010["n_areas"]) == {4}


def test_median_and_distance_are_computed_within_the_province_only(province_of_four):
    ranks = context.province_ranks(province_of_four, 3501)
    row = ranks.table.set_index("year").loc[2010]
    assert row["median"] == pytest.approx(11.0)  # median of 8, 10, 12, 12; Banten's 30 left out
    assert row["distance_pp"] == pytest.approx(-1.0)
    assert ranks.table.set_index("year").loc[2011, "rank"] == 3


def test_figures_of_another_series_do_not_enter_the_ranks(province_of_four):
    extra = facts_of([fact("3501", 2010, 50.0, series="regency_updates", source="news")])
    ranks = context.province_ranks(pd.concat([province_of_four, extra]), 3501)
    assert ranks.table.set_index("year").loc[2010, "rank"] == 3


def test_a_missing_year_is_a_gap_not_an_interpolated_point():
    facts = facts_of([fact("3517", 2010, 13.0), fact("3517", 2012, 11.0), fact("3501", 2011, 20.0)])
    history = context.p0_history(facts, 3517, 2010, 2012)
    line = history.line.set_index("year")["value"]
    assert math.isnan(line.loc[2011])
    assert history.missing_years == [2011]
    fig = report.plot_p0_history(history, lang="en")
    drawn = [
        line
        for line in fig.axes[0].get_lines()
        if len(line.get_xdata()) == 3 and line.get_color() == "C0"
    ][0]
    assert math.isnan(drawn.get_ydata()[1]), "the area's line must break at the missing year"
    assert "2011" in report.history_sentences(history, lang="en")["gaps"]


def test_the_primary_series_is_drawn_and_a_disagreeing_source_is_kept_beside_it():
    facts = facts_of(
        [
            fact("3510", 2013, 9.61),
            fact("3510", 2014, 9.29),
            fact("3510", 2013, 9.57, series="regency_updates", source="BPS Banyuwangi official"),
            fact("3510", 2014, 9.29, series="regency_updates", source="BPS Banyuwangi official"),
        ]
    )
    history = context.p0_history(facts, 3510, 2013, 2014)
    assert history.line.set_index("year").loc[2013, "value"] == 9.61
    assert history.line.set_index("year").loc[2013, "series"] == "bps_regency_p0"
    disagreements = history.disagreements
    assert disagreements["year"].tolist() == [2013]
    assert disagreements["value"].tolist() == [9.57]
    assert disagreements["difference"].tolist() == [pytest.approx(-0.04)]
    assert history.alternatives["agrees"].tolist() == [False, True]
    assert (
        "9.57" in report.history_sentences(history, lang="en")["sources"]
        and "9.61" in report.history_sentences(history, lang="en")["sources"]
    )


def test_later_figures_fill_the_years_the_primary_series_does_not_cover():
    facts = facts_of(
        [
            fact("3517", 2018, 9.56),
            fact("3517", 2021, 10.0, series="regency_updates", source="Bappeda"),
        ]
    )
    line = context.p0_history(facts, 3517, 2018, 2021).line.set_index("year")
    assert line.loc[2021, "series"] == "regency_updates"
    assert line.loc[[2019, 2020], "value"].isna().all()


def test_province_and_national_rates_come_from_the_provincial_table_and_the_median_from_the_regencies(
    province_of_four,
):
    provincial = facts_of(
        [
            fact(
                "35",
                2011,
                12.5,
                series="bps_province_poverty",
                area_type="province",
                name="Jawa Timur",
            ),
            fact(
                "00",
                2011,
                10.0,
                series="bps_province_poverty",
                area_type="country",
                name="Indonesia",
                province="",
            ),
            fact(
                "35",
                2011,
                12.0,
                series="bps_province_poverty",
                area_type="province",
                name="Jawa Timur",
                round_="September",
            ),
        ]
    )
    comparison = context.p0_history(
        pd.concat([province_of_four, provincial]), 3501, 2010, 2011
    ).comparison.set_index("year")
    assert math.isnan(comparison.loc[2010, "province_p0"])
    assert comparison.loc[2011, "province_p0"] == 12.5  # March, not September
    assert comparison.loc[2011, "national_p0"] == 10.0
    assert comparison.loc[2011, "median"] == pytest.approx(10.0)  # median of 7, 9, 11, 13


def test_number_of_poor_is_given_in_thousands_whatever_unit_the_source_used():
    facts = facts_of(
        [
            fact("3517", 2018, 120190, indicator="poor_persons", series="regency_updates"),
            fact("3517", 2023, 117.36, indicator="poor_thousands", series="regency_updates"),
            fact("3517", 2023, 488754, indicator="poverty_line", series="regency_updates"),
        ]
    )
    table = context.indicator_table(facts, 3517).set_index("year")
    assert table.loc[2018, "poor_thousands"] == pytest.approx(120.19)
    assert table.loc[2023, "poverty_line"] == 488754
    shown = report.indicators_frame(table.reset_index(), lang="en")
    assert "488,754" in shown["Poverty line (Rp per capita per month)"].tolist()


def test_an_unknown_area_code_names_the_codes_that_exist(province_of_four):
    with pytest.raises(
        context.UnknownAreaError, match=r"3599 is not among the 5 regencies and cities.*3501.*3571"
    ):
        context.find_area(province_of_four, 3599)
    with pytest.raises(context.UnknownAreaError, match="35 is not among"):
        context.find_area(province_of_four, "35")  # a province is not a regency
    with pytest.raises(context.UnknownAreaError, match="not a BPS area code"):
        context.find_area(province_of_four, "Jombang")
    assert context.find_area(province_of_four, "3571").area_type == "city"


def test_period_change_reports_rate_rank_and_median_at_both_ends(province_of_four):
    change = context.period_change(province_of_four, 3501, 2010, 2011)
    assert (change.p0_start, change.p0_end, change.change_pp) == (10.0, 9.0, -1.0)
    assert change.change_relative_pct == pytest.approx(-10.0)
    assert (change.rank_start, change.rank_end, change.n_areas) == (3, 3, 4)
    assert (change.median_start, change.median_end) == (11.0, 10.0)
    assert (
        change.province_p0_start is None
        and "2015" in report.change_sentences(change, lang="en")["province"]
    )
    assert change.to_dict()["distance_end"] == pytest.approx(-1.0)
    assert change.to_frame().set_index("measure").loc["p0", "change"] == -1.0


def test_a_study_period_past_the_series_compares_the_years_the_series_has(province_of_four):
    change = context.period_change(province_of_four, 3501, 2010, 2014)
    assert (change.start_year, change.end_year) == (2010, 2011)
    assert (change.study_start, change.study_end) == (2010, 2014)
    assert change.years_without_figure == "2012\u20132014"
    assert report.change_sentences(change, lang="en")["outside"] == (
        "The study period of the registry is 2010\u20132014; the data hold no P0 figure for "
        "Area 3501 in 2012\u20132014, so the comparison runs from 2010 to 2011, the first and "
        "last years of the period with a figure."
    )


def test_a_study_wholly_after_or_before_the_series_gets_the_series_and_names_its_years(
    province_of_four,
):
    for start, end, lacking in (
        (2024, 2024, "2024"),
        (2019, 2026, "2019\u20132026"),
        (2001, 2005, "2001\u20132005"),
    ):
        change = context.period_change(province_of_four, 3501, start, end)
        assert (change.start_year, change.end_year) == (2010, 2011)
        assert change.years_without_figure == lacking
        assert (
            f"no P0 figure for Area 3501 in {lacking}"
            in report.change_sentences(change, lang="en")["outside"]
        )
        assert (
            "the years the series has, from 2010 to 2011"
            in report.change_sentences(change, lang="en")["outside"]
        )


def test_a_study_period_within_the_series_says_nothing_more(province_of_four):
    change = context.period_change(province_of_four, 3501, 2010, 2011)
    assert (
        change.years_without_figure == ""
        and report.change_sentences(change, lang="en")["outside"] == ""
    )


def test_only_an_area_with_fewer_than_two_years_or_a_backward_period_is_an_error(
    province_of_four,
):
    one_year = facts_of([fact("3501", 2010, 10.0), fact("3502", 2010, 12.0)])
    with pytest.raises(ValueError, match="Area 3501 has a P0 figure for 2010 only"):
        context.period_change(one_year, 3501, 2010, 2024)
    with pytest.raises(ValueError, match="must run forward"):
        context.period_change(province_of_four, 3501, 2011, 2010)


def test_the_outside_sentence_is_indonesian_in_the_indonesian_edition(province_of_four):
    change = context.period_change(province_of_four, 3501, 2024, 2024)
    text = report.change_sentences(change, lang="id")["outside"]
    assert text.startswith("Periode penelitian menurut registri adalah 2024;")


def test_year_ranges_and_ordinals_read_naturally():
    assert context.year_ranges([2019, 2020, 2022, 2010]) == "2010, 2019\u20132020, 2022"
    assert [report.ordinal(n, lang="en") for n in (1, 2, 3, 11, 12, 22, 38)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "12th",
        "22nd",
        "38th",
    ]


# --------------------------------------------------------------------------- the real BPS files
@pytest.fixture(scope="module")
def bps() -> pd.DataFrame:
    return context.load_bps(DATA)


def east_java_2010_from_the_file() -> dict[str, float]:
    """P0 2010 of every East Java area, read from the CSV with the csv module (no analysis code)."""
    with open(PUBLIC / "bps_regency_p0_2010_2018.csv", newline="", encoding="utf-8") as handle:
        return {
            row["area_code"]: float(row["value"])
            for row in csv.DictReader(handle)
            if row["area_code"].startswith("35")
            and row["year"] == "2010"
            and row["indicator"] == "p0"
        }


@has_public
def test_jombang_2010_rate_and_rank_among_east_javas_38(bps):
    rates = east_java_2010_from_the_file()
    assert len(rates) == 38
    assert rates["3517"] == 13.84
    higher = sum(1 for value in rates.values() if value > rates["3517"])
    ranks = context.province_ranks(bps, 3517).table.set_index("year")
    assert ranks.loc[2010, "rank"] == higher + 1 == 20
    assert ranks.loc[2010, "n_areas"] == 38
    assert ranks.loc[2010, "median"] == pytest.approx(pd.Series(list(rates.values())).median())
    assert context.p0_history(bps, 3517).line.set_index("year").loc[2010, "value"] == 13.84


@has_public
def test_banyuwangi_2013_chart_uses_the_bps_series_and_keeps_the_other_figure(bps):
    history = context.p0_history(bps, 3510)
    assert history.line.set_index("year").loc[2013, "value"] == 9.61
    other = history.disagreements.set_index("year")
    assert other.loc[2013, "value"] == 9.57


@has_public
def test_jombang_2019_and_2020_come_from_the_verified_bps_quotes_and_no_year_is_a_gap(bps):
    history = context.p0_history(bps, 3517)
    assert history.missing_years == []
    series = history.to_dict()
    assert series["last_year"] == 2025
    p0 = bps.query("series == 'regency_updates' and area_code == '3517' and indicator == 'p0'")
    assert p0.set_index("year").loc[[2019, 2020], "value"].tolist() == [9.22, 9.94]


@has_public
def test_the_rates_the_chart_compares_with_are_percentages(bps):
    """Provincial and national P0 drawn in the chapter lie between 0 and 100 (catches shifted columns)."""
    comparison = context.p0_history(bps, 3517).comparison.set_index("year")
    drawn = comparison[["province_p0", "national_p0"]].stack()
    outside = drawn[~drawn.between(0, 100)]
    assert outside.empty, f"not a percentage (year, line): {outside.to_dict()}"


# --------------------------------------------------------------------------- the template


def test_the_context_figures_print_at_text_width_with_legible_text():
    import matplotlib.pyplot as plt

    from analysis import figures

    figures.apply_style()
    facts = context.load_bps(PROJECT_ROOT / "data")
    area = context.find_area(facts, 3517)
    drawn = [
        report.plot_p0_history(context.p0_history(facts, area.code), lang="en"),
        report.plot_province_rank(context.province_ranks(facts, area.code), lang="en"),
    ]
    for fig in drawn:
        assert fig.get_size_inches()[0] <= figures.TEXT_WIDTH_IN
        assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT
        plt.close(fig)


HOSTILE_NAME = "*x* <b>y</b> {glue}`k`"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_hostile_area_name_reaches_markdown_only_escaped(lang):
    """BPS names are data: every Markdown part of the context chapter escapes them."""
    from analysis.literal import markdown_literal

    rows = [
        fact("3501", year, value, name=HOSTILE_NAME) for year, value in ((2010, 10.0), (2011, 9.0))
    ] + [fact("3502", year, 12.0) for year in (2010, 2011)]
    facts = facts_of(rows)
    area = context.find_area(facts, 3501)
    change = context.period_change(facts, 3501, 2010, 2014)  # past the series: the outside text
    markdown = [
        report.outside(change, lang=lang).markdown,
        report.indicators(context.indicator_table(facts, 3501), area, lang=lang).markdown,
        report.sources(context.sources_table(facts, [3501]), lang=lang).markdown,
    ]
    assert all(markdown), markdown
    for text in markdown:
        assert HOSTILE_NAME not in text, text
        assert markdown_literal(HOSTILE_NAME) in text, text
    # the plain-text sentences (glue:text, never parsed) keep the name as written
    assert HOSTILE_NAME in report.change_sentences(change, lang=lang)["outside"]


@pytest.mark.parametrize(
    "lang, first, last", [("en", "10.00 %", "9.00 %"), ("id", "10,00%", "9,00%")]
)
def test_context_figures_carry_alt_text_with_their_key_numbers(province_of_four, lang, first, last):
    history = context.p0_history(province_of_four, 3501, 2010, 2011)
    part = report.history_figure(history, lang=lang)
    assert first in part.alt and last in part.alt and "2010" in part.alt
    ranks = report.ranks_figure(context.province_ranks(province_of_four, 3501), lang=lang)
    assert ("3rd" if lang == "en" else "ke-3") in ranks.alt
    overview = province.province_overview(province_of_four, 35, 2011, marked=[3501])
    alt = report.overview_figure(overview, lang=lang).alt
    assert "Area 3501 (3501)" in alt and ("9.00" if lang == "en" else "9,00") in alt
