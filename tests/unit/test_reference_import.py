"""data/public carries the BPS reference tables faithfully (compared with ../shared when present)."""

import pandas as pd
import pytest

import reference_import
from analysis.data.contract import PUBLIC_FILES
from analysis.data.loading import load_public
from analysis.project import PROJECT_ROOT

ROOT = PROJECT_ROOT
# ../shared beside the project, or beside the folder of worktrees (/work/wt/<name> -> /work/shared)
REFERENCE = next(
    (
        p / "shared" / "reference"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared").is_dir()
    ),
    ROOT.parent / "shared" / "reference",
)
DATA = ROOT / "data"
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "bps").is_dir(), reason="../shared/reference is not present"
)


@needs_reference
@pytest.mark.parametrize("spec", PUBLIC_FILES, ids=lambda s: s.key)
def test_public_data_matches_reference_when_present(spec, tmp_path):
    convert = reference_import.CONVERTERS[spec.path]
    reference_import.write_csv(convert(REFERENCE), tmp_path / "fresh.csv")
    assert (tmp_path / "fresh.csv").read_bytes() == (DATA / spec.path).read_bytes()


@needs_reference
def test_every_reference_figure_is_carried():
    wide = pd.read_csv(REFERENCE / "bps" / "district_p0_2010_2018.csv", dtype={"Code": str})
    tidy = load_public(DATA, "bps_regency_p0")
    assert len(tidy) == wide.filter(like="pov").notna().sum().sum() == 514 * 9
    jombang = tidy.query("area_code == '3517'").set_index("year")["value"]
    assert (
        jombang.to_dict()
        == wide.set_index("Code")
        .loc["3517"]
        .filter(like="pov")
        .rename(lambda c: int(c[3:]))
        .to_dict()
    )


def test_regency_series_has_all_514_areas_for_every_year_2010_2018():
    tidy = load_public(DATA, "bps_regency_p0")
    assert tidy.groupby("year")["area_code"].nunique().to_dict() == {
        y: 514 for y in range(2010, 2019)
    }
    assert set(tidy["round"]) == {"March"} and set(tidy["indicator"]) == {"p0"}
    assert tidy.query("area_code == '3578'")["area_type"].iloc[0] == "city"  # Kota Surabaya
    assert (
        tidy.query("area_code == '6302'")["area_type"].iloc[0] == "regency"
    )  # "Kota Baru" is Kabupaten Kotabaru


def test_province_table_has_no_row_for_figures_bps_did_not_publish():
    tidy = load_public(DATA, "bps_province_poverty")
    assert not tidy["value"].isna().any()
    september_2023 = tidy.query("year == 2023 and round == 'September'")
    assert september_2023.empty  # "September 2023 tidak dilakukan penghitungan kemiskinan"
    tables_only = tidy.query("area_code not in ('00', '35')")  # those two come from BPS releases
    assert set(tables_only.query("year in (2015, 2016)")["indicator"]) == {
        "p0",
        "poor_thousands",
    }  # no poverty line
    indonesia = tidy.query(
        "area_code == '00' and year == 2024 and round == 'March' and indicator == 'p0'"
    )
    assert indonesia["value"].tolist() == [9.03] and indonesia["area_type"].tolist() == ["country"]
    assert tidy["area_code"].nunique() == 39  # 38 provinces since 2022, and Indonesia


def test_disagreeing_sources_are_both_kept_with_their_sources():
    series = load_public(DATA, "bps_regency_p0").query("area_code == '3510' and year == 2013")
    update = load_public(DATA, "regency_updates").query(
        "area_code == '3510' and year == 2013 and indicator == 'p0'"
    )
    assert series["value"].tolist() == [9.61] and update["value"].tolist() == [9.57]
    assert series["source"].iloc[0] != update["source"].iloc[0]
    assert "9.57" in series["note"].iloc[0]


def test_inflation_series_keeps_each_rows_source_and_the_cpi_level():
    cpi = load_public(DATA, "cpi_inflation_national")
    inflation = cpi.query("indicator == 'cpi_inflation_dec_on_dec'").set_index("year")["value"]
    assert inflation.index.tolist() == list(range(2011, 2018)) and inflation[2016] == 3.02
    assert cpi.query("indicator == 'cpi_level_dec'")["value"].tolist() == [126.71]
    assert cpi["source_url"].str.startswith("https://").all()
    assert "4.30" in cpi.query("year == 2012")["note"].iloc[0]


def test_defective_province_cells_of_other_provinces_are_left_out_and_values_plausible():
    tidy = load_public(DATA, "bps_province_poverty")
    for indicator, (low, high) in reference_import.PLAUSIBLE.items():
        values = tidy.query("indicator == @indicator")["value"]
        assert values.between(low, high).all(), indicator


def test_national_figures_are_the_ones_bps_released():
    """The defects of the province tables' Indonesia rows are gone (BPS press releases)."""
    tidy = load_public(DATA, "bps_province_poverty")
    indonesia = tidy.query("area_code == '00'").set_index(["year", "round", "indicator"])["value"]
    assert indonesia[(2017, "March", "p0")] == 10.64  # 10.12 was September 2017
    assert indonesia[(2017, "September", "p0")] == 10.12
    assert indonesia[(2017, "March", "poverty_line")] == 374478  # not 385,621
    assert indonesia[(2018, "March", "p0")] == 9.82  # was missing
    assert indonesia[(2022, "March", "poverty_line")] == 505469  # was truncated to 505
    for year in (2019, 2020, 2021, 2022):  # the September rounds the province tables lack
        assert (year, "September", "p0") in indonesia.index
    rows = tidy.query("area_code in ('00', '35')")
    assert rows["source_url"].str.match(r"https?://").all() and (rows["source"] != "").all()


def test_the_missing_september_2023_round_is_said_not_filled():
    tidy = load_public(DATA, "bps_province_poverty")
    assert tidy.query("year == 2023 and round == 'September'").empty
    march_2024 = tidy.query(
        "area_code in ('00', '35') and year == 2024 and round == 'March' and indicator == 'p0'"
    )
    assert len(march_2024) == 2
    assert march_2024["note"].str.contains("no September 2023 round").all()


def _verified(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "bps" / name, dtype=str, keep_default_na=False)


@needs_reference
def test_every_national_and_east_java_figure_equals_the_verified_reference():
    verified = _verified("verified_national_jatim_2015_2025.csv")
    verified = verified[verified["value"] != ""]
    expected = {}
    for row in verified.itertuples():
        value = float(row.value)
        indicator = row.indicator
        if indicator == "poor_millions":  # the project keeps thousands of persons
            indicator, value = "poor_thousands", value * 1000
        expected[
            (reference_import.VERIFIED_AREAS[row.area], int(row.year), row.round, indicator)
        ] = value
    tidy = load_public(DATA, "bps_province_poverty").query("area_code in ('00', '35')")
    carried = {
        (r.area_code, int(r.year), r.round, r.indicator): float(r.value) for r in tidy.itertuples()
    }
    assert {k: carried.get(k) for k in expected} == pytest.approx(expected, rel=1e-12)
    extra = set(carried) - set(expected)
    assert all(code == "35" for code, *_ in extra)  # Indonesia: verified rows only


@needs_reference
def test_regency_years_missing_elsewhere_are_added_from_the_verified_file():
    updates = load_public(DATA, "regency_updates").query("indicator == 'p0'")
    p0 = updates.set_index(["area_code", "year"])["value"]
    assert p0[("3517", 2019)] == 9.22 and p0[("3517", 2020)] == 9.94
    assert p0[("3510", 2025)] == 6.13
    verified = _verified("regency_updates_verified_2026.csv").query("indicator == 'p0'")
    for row in verified.itertuples():
        assert p0[(row.code, int(row.year))] == pytest.approx(float(row.value)), row
