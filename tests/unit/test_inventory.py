"""Programme inventory: programmes by sector, instrument, level, planning and target, per site."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.illustrative.qualitative import programmes_frame  # noqa: E402
from analysis.methods import inventory  # noqa: E402
from analysis.report import programmes as report  # noqa: E402

LABELS = {"jombang": "Jombang", "pakis": "Kelurahan Pakis"}  # registry order and short names


@pytest.fixture()
def programmes():
    return pd.DataFrame(
        [
            (
                "pakis",
                "P2KP: kredit bergulir",
                "central",
                "economy",
                "revolving credit",
                "mixed",
                "poor with business",
                "thesis",
                False,
            ),
            (
                "pakis",
                "P2KP: prasarana",
                "central",
                "infrastructure",
                "infrastructure",
                "mixed",
                "neighbourhoods",
                "thesis",
                False,
            ),
            (
                "jombang",
                "Jamkesda",
                "regency",
                "health",
                "health insurance",
                "top-down",
                "RTM missing",
                "article",
                True,
            ),
            (
                "jombang",
                "PKH",
                "central",
                "social protection",
                "cash transfer",
                "top-down",
                "very poor",
                "Permensos 1/2018",
                False,
            ),
            (
                "jombang",
                "Paving",
                "regency",
                "infrastructure",
                "infrastructure",
                "top-down",
                "poor neighbourhoods",
                "article",
                False,
            ),
        ],
        columns=[
            "site",
            "programme",
            "level",
            "sector",
            "instrument",
            "planning",
            "target",
            "source",
            "regency_innovation",
        ],
    )


def test_counts_by_sector_give_programmes_per_site_and_a_total(programmes):
    t = inventory.counts_by(programmes, "sector", sites=LABELS)
    assert list(t.columns) == ["Jombang", "Kelurahan Pakis", "total"]
    assert t.loc["infrastructure"].tolist() == [1, 1, 2]
    assert t.index[0] == "infrastructure"  # most programmes first


def test_counts_by_level_follow_the_order_of_government(programmes):
    t = inventory.counts_by(programmes, "level")
    assert list(t.index) == ["central", "regency"]
    assert t.loc["central", "total"] == 3


def test_side_by_side_lists_each_sites_programmes_in_one_row_per_instrument(programmes):
    t = inventory.side_by_side(programmes, "instrument", sites=LABELS).set_index("instrument")
    assert (
        t.loc["infrastructure", "Jombang"] == "Paving"
        and t.loc["infrastructure", "Kelurahan Pakis"] == "P2KP: prasarana"
    )
    assert t.loc["revolving credit", "Jombang"] == ""


def test_inventory_table_orders_central_before_regency_and_keeps_the_innovation_flag(programmes):
    t = inventory.inventory_table(programmes, "jombang")
    assert t["programme"].tolist() == ["PKH", "Jamkesda", "Paving"]
    assert "regency_innovation" in t.columns and "site" not in t.columns
    assert "site" in inventory.inventory_table(programmes).columns


def test_regency_innovations_are_the_flagged_programmes_only(programmes):
    assert inventory.regency_innovations(programmes)["programme"].tolist() == ["Jamkesda"]
    assert inventory.regency_innovations(programmes.drop(columns="regency_innovation")).empty


def test_every_programme_of_the_shipped_inventory_has_a_source():
    sources = inventory.sources(programmes_frame())
    assert sources["source"].str.strip().ne("").all()


def test_inventory_chart_has_a_panel_per_site_with_title_and_axis_labels(programmes):
    fig = report.plot_inventory(programmes, "sector", "level", sites=LABELS, lang="en")
    try:
        assert fig._suptitle.get_text().startswith(
            "Poverty-alleviation programmes by sector and level"
        )
        titles = [ax.get_title() for ax in fig.axes]
        assert titles == ["Jombang", "Kelurahan Pakis"]
        assert all(ax.get_xlabel() == "programmes (number)" for ax in fig.axes)
        assert fig.axes[0].get_ylabel() == "sector"
        assert fig.legends and fig.legends[0].get_title().get_text() == "level"
    finally:
        plt.close(fig)


def test_small_counts_are_a_table_by_study_and_level_with_a_total(programmes):
    table = report.cross_counts(programmes, LABELS, lang="en").frame.rename_axis("sector")
    expected = pd.crosstab(programmes["sector"], [programmes["site"], programmes["level"]])
    assert table.loc["health", "Jombang: regency"] == expected.loc["health", ("jombang", "regency")]
    assert (table["total"] == table.drop(columns="total").sum(axis=1)).all()
    assert table["total"].sum() == len(programmes)
    assert list(table["total"]) == sorted(table["total"], reverse=True)
    assert all(":" in c for c in table.columns if c != "total")


def test_sources_name_the_study_by_its_short_name(programmes):
    shown = inventory.sources(programmes, LABELS)
    assert set(shown["study"]) == {"Jombang", "Kelurahan Pakis"}
    assert list(shown["study"]).index("Jombang") < list(shown["study"]).index("Kelurahan Pakis")


def test_the_inventory_figure_says_each_studys_count_in_its_alt_text(programmes):
    part = report.inventory_figure(programmes, sites=LABELS, lang="id")
    assert "Jombang: 3 program" in part.alt and "Kelurahan Pakis" in part.alt
    fig = part.draw()
    try:
        assert fig._suptitle.get_text().startswith("Program penanggulangan kemiskinan menurut")
    finally:
        plt.close(fig)
