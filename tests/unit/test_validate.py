"""The validation: every problem of a file at once, each with file, line, column, value, expectation."""

import json
import os
import subprocess
import sys

import pandera.pandas as pa
import pytest

from analysis.data.contract import ALL_FILES, HOUSEHOLDS, STUDY_FILES
from analysis.data.validate import schema_for, validate_directory
from analysis.pipeline import cli
from analysis.project import PROJECT_ROOT
from support.data_fixtures import STUDY_TEXT, write_study

ROOT = PROJECT_ROOT
HOUSEHOLDS_HEADER = STUDY_TEXT["households.csv"].splitlines()[0]


def households(*rows: str) -> dict[str, str]:
    return {"households.csv": "\n".join([HOUSEHOLDS_HEADER, *rows]) + "\n"}


def where(report) -> set[tuple]:
    return {(p.file, p.line, p.column) for p in report.errors}


def test_valid_study_directory_passes(tmp_path):
    report = validate_directory(write_study(tmp_path))
    assert report.ok, report.summary()
    assert report.exit_code == 0
    assert set(report.checked) == {s.path for s in STUDY_FILES}


def test_validation_names_line_and_column(tmp_path):
    write_study(
        tmp_path,
        households(
            "H001,pakis,Pakis,RW 01,true,revolving_credit,900000,1250000,2014,2017,",
            "H002,pakis,Pakis,RW 01,true,direct_aid,0,1100000,2014,2017,",
        ),
    )
    report = validate_directory(tmp_path)
    [problem] = report.errors
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "study/households.csv",
        3,
        "income_before",
        "0",
    )
    assert "positive" in problem.expected
    assert str(problem).startswith("study/households.csv:3: error: column income_before: value '0'")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    write_study(
        tmp_path,
        households(
            "H001,pakis,Pakis,RW 01,yes please,revolving_credit,900000,1250000,2014,2017,",
            "H002,pakis,Pakis,RW 01,true,grant,800000,-5,2014,2017,",
            "H003,pakis,Pakis,RW 02,false,none,,900000,dua ribu,2017,",
        ),
    )
    report = validate_directory(tmp_path)
    f = "study/households.csv"
    assert where(report) == {
        (f, 2, "recipient"),
        (f, 3, "component"),
        (f, 3, "income_after"),
        (f, 4, "income_before"),
        (f, 4, "year_before"),
    }


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0", "zero or negative is not allowed"),
        ("-100000", "zero or negative is not allowed"),
        ("", "missing"),
    ],
)
def test_income_zero_negative_or_missing_is_an_error(tmp_path, value, expected):
    write_study(
        tmp_path, households(f"H001,pakis,Pakis,RW 01,true,direct_aid,{value},1100000,2014,2017,")
    )
    [problem] = validate_directory(tmp_path).errors
    assert (problem.line, problem.column) == (2, "income_before") and expected in problem.expected


def test_indonesian_money_is_parsed_to_whole_rupiah(tmp_path):
    write_study(
        tmp_path,
        households(
            'H001,pakis,Pakis,RW 01,true,revolving_credit,Rp 900.000,"Rp1.250.000,00",2014,2017,"2.000.000,-"',
            "H002,pakis,Pakis,RW 01,true,direct_aid,1.250,1100000,2014,2017,",
        ),
    )
    report = validate_directory(tmp_path)
    [problem] = report.errors
    assert (problem.line, problem.column, problem.value) == (3, "income_before", "1.250")
    assert "ambiguous" in problem.expected
    row = report.frames["households"].loc[2]
    assert (row["income_before"], row["income_after"], row["loan_amount"]) == (
        900_000,
        1_250_000,
        2_000_000,
    )


def test_semicolon_decimal_comma_csv_is_read(tmp_path):
    text = (
        HOUSEHOLDS_HEADER.replace(",", ";") + "\n"
        "H001;pakis;Pakis;RW 01;TRUE;revolving_credit;900.000;1.250.000,00;2014;2017;2000000\n"
        "H002;pakis;Pakis;RW 01;FALSE;none;800000;1.100.000,-;2014;2017;\n"
        "H003;pakis;Pakis;RW 02;YA;direct_aid;700.000;850.000;2014;2017;\n"
    )
    write_study(tmp_path, {"households.csv": text})
    report = validate_directory(tmp_path)
    assert report.ok, report.summary()
    frame = report.frames["households"]
    assert frame["income_after"].tolist() == [1_250_000, 1_100_000, 850_000]
    assert frame["recipient"].tolist() == [True, False, True]


def test_semicolon_file_with_decimal_comma_numbers_is_read(tmp_path):
    header = ";".join(
        c
        for c in (
            "area_code",
            "area_name",
            "year",
            "indicator",
            "value",
            "unit",
            "release",
            "source",
            "source_url",
            "note",
        )
    )
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "cpi_inflation_national.csv").write_text(
        header + "\n00;Indonesia;2016;cpi_inflation_dec_on_dec;3,02;percent;BPS, Dec 2016;BPS;;\n"
        "00;Indonesia;2016;cpi_level_dec;126,71;index (2012=100);BPS, Dec 2016;BPS;;\n",
        encoding="utf-8",
    )
    report = validate_directory(tmp_path)
    assert report.ok, report.summary()
    assert report.frames["cpi_inflation_national"]["value"].tolist() == [3.02, 126.71]


def test_non_utf8_file_is_reported(tmp_path):
    text = (
        STUDY_TEXT["codebook.csv"]
        + "pembangunan_jalan,infrastructure,Jalan dibangun – akses lebih baik (café)\n"
    )
    write_study(tmp_path, {"codebook.csv": text}, encoding="cp1252")
    report = validate_directory(tmp_path)
    [problem] = report.errors
    assert (problem.file, problem.line) == ("study/codebook.csv", 4)
    assert "UTF-8" in problem.expected
    assert "pembangunan_jalan" in set(
        report.frames["codebook"]["code"]
    )  # the rest is still checked


def test_missing_column_is_an_error_and_unknown_column_a_warning(tmp_path):
    text = (
        "household_id,site,kelurahan,recipient,component,income_before,income_after,year_before,year_after,remark\n"
        "H001,pakis,Pakis,true,none,900000,950000,2014,2017,ok\n"
    )
    write_study(tmp_path, {"households.csv": text})
    report = validate_directory(tmp_path)
    assert [(p.line, p.column) for p in report.errors] == [(1, "cluster")]
    assert [(p.line, p.column, p.severity) for p in report.warnings] == [(1, "remark", "warning")]


@pytest.mark.parametrize("text", ["", "\n\n", HOUSEHOLDS_HEADER + "\n"])
def test_empty_file_is_an_error(tmp_path, text):
    write_study(tmp_path, {"households.csv": text})
    [problem] = validate_directory(tmp_path).errors
    assert problem.file == "study/households.csv"
    assert "empty" in problem.expected or "at least one data row" in problem.expected


def test_duplicate_ids_are_reported_on_every_line(tmp_path):
    write_study(
        tmp_path,
        households(
            "H001,pakis,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H002,pakis,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H001,pakis,Pakis,RW 02,false,none,850000,900000,2014,2017,",
        ),
    )
    report = validate_directory(tmp_path)
    assert where(report) == {
        ("study/households.csv", 2, "household_id"),
        ("study/households.csv", 4, "household_id"),
    }
    assert all("unique" in p.expected for p in report.errors)


def test_duplicate_segment_code_coder_rows_are_reported(tmp_path):
    text = (
        STUDY_TEXT["segments.csv"]
        + "S001,pakis,INT-01,interview,working_capital,coder_a,again,PKS-R01\n"
    )
    write_study(tmp_path, {"segments.csv": text})
    lines = {p.line for p in validate_directory(tmp_path).errors}
    assert lines == {2, 6}


def test_code_not_in_codebook_is_reported(tmp_path):
    text = STUDY_TEXT["segments.csv"].replace("top_down_planning,coder_a", "bottom_up,coder_a")
    write_study(tmp_path, {"segments.csv": text})
    [problem] = validate_directory(tmp_path).errors
    assert (problem.line, problem.column, problem.value) == (5, "code", "bottom_up")
    assert "study/codebook.csv" in problem.expected


def test_segment_or_household_naming_unknown_informant_or_site_is_reported(tmp_path):
    segments = (
        STUDY_TEXT["segments.csv"]
        + "S004,pakis,INT-09,interview,working_capital,coder_a,teks,PKS-R99\n"
    )
    write_study(
        tmp_path,
        {
            "segments.csv": segments,
            **households("H001,bandung,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,"),
        },
    )
    report = validate_directory(tmp_path)
    assert where(report) == {
        ("study/segments.csv", 6, "informant_id"),
        ("study/households.csv", 2, "site"),
    }


def test_site_names_differing_only_in_case_or_spaces_are_reported(tmp_path):
    write_study(
        tmp_path,
        households(
            "H001,Pakis ,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H002,pakis,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H003,pakis,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H004,pakis, pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
        ),
    )
    report = validate_directory(tmp_path)
    by_column = {p.column: p for p in report.errors}
    assert set(by_column) == {"site", "kelurahan"}
    assert by_column["site"].line == 2 and "only in case or spaces" in by_column["site"].expected
    assert by_column["kelurahan"].line == 5 and "'Pakis'" in by_column["kelurahan"].expected


def test_segment_of_an_informant_at_another_site_is_reported(tmp_path):
    text = STUDY_TEXT["segments.csv"].replace("S002,pakis", "S002,jombang")
    write_study(tmp_path, {"segments.csv": text})
    [problem] = validate_directory(tmp_path).errors
    assert (problem.line, problem.column) == (4, "site") and "PKS-R02" in problem.expected


def test_personal_data_in_a_text_column_is_an_error(tmp_path):
    text = STUDY_TEXT["segments.csv"].replace("Saya beli alat", "Telepon saya 0812-3456-7890")
    write_study(tmp_path, {"segments.csv": text})
    [problem] = validate_directory(tmp_path).errors
    assert (problem.file, problem.line, problem.column) == ("study/segments.csv", 4, "text")


def test_line_numbers_count_lines_inside_quoted_cells(tmp_path):
    text = 'code,theme,description\na,t,"first line\nsecond line"\nb,t,\n'
    write_study(tmp_path, {"codebook.csv": text}, drop=("segments.csv",))
    [problem] = validate_directory(tmp_path).errors
    assert (problem.line, problem.column) == (4, "description")


def test_row_with_too_many_cells_is_reported_with_its_line(tmp_path):
    write_study(
        tmp_path,
        households(
            "H001,pakis,Pakis,RW 01,true,direct_aid,900000,1250000,2014,2017,",
            "H002,pakis,Pakis,RW 01,true,direct_aid,Rp1.250.000,00,1300000,2014,2017,",
        ),
    )
    [problem] = validate_directory(tmp_path).errors
    assert problem.line == 3 and "11 cells" in problem.expected


def test_directory_with_some_study_files_validates_them_and_lists_the_absent(tmp_path):
    write_study(tmp_path, drop=("segments.csv", "codebook.csv", "programmes.csv"))
    report = validate_directory(tmp_path)
    assert report.ok, report.summary()
    assert "study/segments.csv" in report.absent and "study/programmes.csv" in report.absent
    assert "not present" in report.summary()


def test_file_a_present_file_refers_to_is_required(tmp_path):
    write_study(tmp_path, drop=("codebook.csv",))
    [problem] = validate_directory(tmp_path).errors
    assert problem.file == "study/segments.csv" and problem.column == "code"
    assert "study/codebook.csv" in problem.expected


def test_file_listed_in_datapackage_must_be_present(tmp_path):
    write_study(tmp_path, drop=("programmes.csv",))
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "programmes", "path": "study/programmes.csv"}]})
    )
    [problem] = validate_directory(tmp_path).errors
    assert problem.file == "study/programmes.csv" and "missing" in problem.expected


def test_flat_folder_of_csv_files_is_accepted(tmp_path):
    for name, text in STUDY_TEXT.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = validate_directory(tmp_path)
    assert report.ok and "households.csv" in report.checked


def test_validation_writes_nothing(tmp_path):
    write_study(tmp_path, households("H001,pakis,Pakis,RW 01,true,direct_aid,0,1250000,2014,2017,"))
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    validate_directory(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_schemas_are_built_from_the_contract():
    for spec in ALL_FILES:
        schema = schema_for(spec)
        assert list(schema.columns) == spec.columns
        for f in spec.fields:
            column = schema.columns[f.name]
            assert (
                column.nullable == f.nullable
                and column.unique == f.unique
                and column.required == f.required
            )
            if f.enum:
                assert any(
                    c.statistics.get("allowed_values") == list(f.enum) for c in column.checks
                )
    assert isinstance(schema_for(HOUSEHOLDS), pa.DataFrameSchema)
    assert schema_for(HOUSEHOLDS).columns["income_before"].checks[0].statistics["min_value"] == 1


def test_shipped_data_directory_is_valid():
    report = validate_directory(ROOT / "data")
    assert report.ok, report.summary()


def test_validate_cli_exits_2_on_bad_input(tmp_path, capsys):
    write_study(tmp_path, households("H001,pakis,Pakis,RW 01,true,direct_aid,0,1250000,2014,2017,"))
    assert cli.main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "study/households.csv:2: error: column income_before: value '0'" in err


def test_validate_cli_exits_0_on_valid_input(tmp_path, capsys):
    assert cli.main(["validate", str(write_study(tmp_path))]) == 0
    assert "OK: 7 file(s) checked" in capsys.readouterr().out


def test_validate_command_runs_as_a_module(tmp_path):
    write_study(tmp_path, {"codebook.csv": ""})
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 2, done.stderr
    assert "study/codebook.csv: error" in done.stderr


def test_an_after_year_before_the_before_year_is_an_error_naming_both(tmp_path):
    write_study(
        tmp_path,
        households("H001,pakis,Pakis,RW 01,true,revolving_credit,900000,1250000,2017,2015,"),
    )
    [problem] = validate_directory(tmp_path).errors
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "study/households.csv",
        2,
        "year_after",
        2015,
    )
    assert "year_before (2017)" in problem.expected


def test_an_invalid_datapackage_json_is_an_error_with_its_line(tmp_path):
    write_study(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"resources": [\n  {"path": }\n]}')
    [problem] = validate_directory(tmp_path).errors
    assert problem.file == "datapackage.json" and problem.line == 2
    assert "valid JSON" in problem.expected
    (tmp_path / "datapackage.json").write_text('{"resources": [{"name": "x"}]}')
    [problem] = validate_directory(tmp_path).errors
    assert problem.column == "resources[1]" and "'path'" in problem.expected


def test_a_site_not_in_the_registry_is_an_error_naming_the_registry(tmp_path):
    write_study(
        tmp_path,
        households("H001,kampung-baru,Pakis,RW 01,true,revolving_credit,900000,1250000,2014,2017,"),
    )
    [problem] = [p for p in validate_directory(tmp_path).errors if p.column == "site"]
    assert (problem.line, problem.value) == (2, "kampung-baru")
    assert problem.expected == "a site listed in study/studies.csv"


def test_a_site_id_must_be_lower_case_letters_digits_and_hyphens(tmp_path):
    text = STUDY_TEXT["studies.csv"].replace("\npakis,", "\nPakis Kota,")
    report = validate_directory(write_study(tmp_path, {"studies.csv": text}))
    assert ("study/studies.csv", 2, "site") in where(report)


@pytest.mark.parametrize(
    ("rows", "line", "column", "value", "says"),
    [
        (  # one recipient household with both incomes: no change can be estimated
            (
                "H001,pakis,Pakis,RW 01,true,revolving_credit,900000,1250000,2015,2017,",
                "H002,pakis,Pakis,RW 01,false,none,800000,1100000,2015,2017,",
            ),
            2,
            "site",
            "pakis",
            "study 'pakis' has 1",
        ),
        (  # two recipients, both with the same income before and after
            (
                "H001,pakis,Pakis,RW 01,true,revolving_credit,900000,900000,2015,2017,",
                "H002,pakis,Pakis,RW 01,true,direct_aid,800000,800000,2015,2017,",
            ),
            2,
            "income_after",
            900000,
            "all 2 report the same income",
        ),
    ],
)
def test_a_study_whose_income_change_cannot_be_estimated_is_an_error(
    tmp_path, rows, line, column, value, says
):
    """Whatever validation accepts builds: the income chapter needs 2 recipient households with
    both incomes, not all unchanged (the build's property test found a study with none)."""
    write_study(tmp_path, households(*rows))
    [problem] = validate_directory(tmp_path).errors
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "study/households.csv",
        line,
        column,
        value,
    )
    assert says in problem.expected
