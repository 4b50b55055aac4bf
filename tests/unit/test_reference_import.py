"""data/public carries the BPS reference tables faithfully (compared with ../shared when present)."""

import pandas as pd
import pytest

import reference_import
from analysis.data.contract import PUBLIC_FILES
from analysis.data.loading import load_public
from analysis.project import PROJECT_ROOT

ROOT = PROJECT_ROOT
REFERENCE = ROOT.parent / "shared" / "reference"
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
    assert set(tidy.query("year in (2015, 2016)")["indicator"]) == {
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


def test_defective_reference_cells_are_left_out_not_guessed():
    tidy = load_public(DATA, "bps_province_poverty")
    indonesia = tidy.query("area_code == '00'").set_index(["year", "round", "indicator"])["value"]
    assert (2018, "March", "p0") not in indonesia.index  # the source cell holds 25674.58
    assert (2022, "March", "poverty_line") not in indonesia.index  # the source cell reads 505
    assert indonesia[(2018, "March", "poor_thousands")] == 25949.8  # the rest of the row is kept
    for indicator, (low, high) in reference_import.PLAUSIBLE.items():
        values = tidy.query("indicator == @indicator")["value"]
        assert values.between(low, high).all(), indicator
