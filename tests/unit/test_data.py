"""load() gives validated, typed frames; edition() says whether numbers are illustrative, real or field data."""

import json

import pytest

from analysis.data.datapackage import write_datapackage
from analysis.data.loading import DataError, edition, load, load_public
from analysis.project import PROJECT_ROOT
from support.data_fixtures import STUDY_TEXT, write_study

ROOT = PROJECT_ROOT


def test_load_returns_contract_types(tmp_path):
    write_study(tmp_path)
    households = load(tmp_path, "households")
    assert households["recipient"].dtype == bool
    assert (
        households["income_before"].dtype == "int64" and households["year_after"].dtype == "int64"
    )
    assert (
        households["loan_amount"].dtype == "Int64" and households["loan_amount"].isna().sum() == 2
    )
    assert list(households.index) == [0, 1, 2]
    informants = load(tmp_path, "informants")
    assert informants["consent_quote"].tolist() == [True, False, True, True]


def test_load_refuses_invalid_data_listing_every_problem(tmp_path):
    text = (
        STUDY_TEXT["segments.csv"]
        .replace("top_down_planning", "unknown_code")
        .replace("PKS-R02", "PKS-R77")
    )
    write_study(tmp_path, {"segments.csv": text})
    with pytest.raises(DataError) as caught:
        load(tmp_path, "segments")
    message = str(caught.value)
    assert "study/segments.csv:5: error: column code: value 'unknown_code'" in message
    assert "study/segments.csv:4: error: column informant_id: value 'PKS-R77'" in message


def test_load_of_an_absent_file_says_which(tmp_path):
    write_study(tmp_path, drop=("households.csv",))
    with pytest.raises(FileNotFoundError, match="households.csv"):
        load(tmp_path, "households")


def test_load_public_reads_the_shipped_bps_series():
    regencies = load_public(ROOT / "data", "bps_regency_p0_2010_2018.csv")
    assert regencies["area_code"].nunique() == 514
    assert regencies["year"].dtype == "int64" and regencies["value"].dtype == "float64"
    jombang_2010 = regencies.query("area_code == '3517' and year == 2010")["value"]
    assert len(jombang_2010) == 1


def test_edition_is_field_without_descriptor(tmp_path):
    write_study(tmp_path)
    assert edition(tmp_path, "segments") == "field"


def test_edition_is_illustrative_only_while_the_hash_matches(tmp_path):
    write_study(tmp_path)
    write_datapackage(tmp_path, editions={"segments": "illustrative"})
    assert edition(tmp_path, "segments") == "illustrative"
    with open(tmp_path / "study" / "segments.csv", "a", encoding="utf-8") as handle:
        handle.write("S009,pakis,INT-03,interview,working_capital,coder_a,data saya,PKS-R01\n")
    assert edition(tmp_path, "segments") == "field"  # a researcher replaced the shipped file


def test_shipped_public_files_are_real():
    for key in (
        "bps_regency_p0",
        "bps_province_poverty",
        "regency_updates",
        "cpi_inflation_national",
    ):
        assert edition(ROOT / "data", key) == "real"


def test_shipped_study_files_are_marked_illustrative_and_the_registry_published():
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    study = [r for r in descriptor["resources"] if r["path"].startswith("study/")]
    assert len(study) == 7, "data/study holds the seven contract files"
    for resource in study:
        expected = "published" if resource["name"] == "studies" else "illustrative"
        assert edition(ROOT / "data", resource["name"]) == expected
