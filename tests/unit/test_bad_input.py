"""Every kind of bad data file is one clear error (file, line, column, value, expected), never a
traceback: binary files, other encodings, control characters, repeated headers, huge numbers."""

import contextlib
import io
import subprocess

import pytest

from analysis.data.csvfile import read_csv_text
from analysis.data.privacy import find_hits
from analysis.data.validate import validate_directory
from analysis.pipeline import cli
from analysis.project import EXIT_BAD_INPUT
from support.data_fixtures import STUDY_TEXT, write_study

HOUSEHOLDS = STUDY_TEXT["households.csv"]
HEADER, FIRST = HOUSEHOLDS.split("\n")[:2]


def with_cell(column: str, value: str) -> str:
    """households.csv with ``column`` of its first data row set to ``value``."""
    names = HEADER.split(",")
    cells = FIRST.split(",")
    cells[names.index(column)] = value
    return HOUSEHOLDS.replace(FIRST, ",".join(cells), 1)


def validate_cli(directory) -> subprocess.CompletedProcess:
    """`analysis validate directory`, in-process: the ``main`` that ``python -m analysis`` exits
    with (tests/unit/test_validate.py runs the module itself once); an exception would be the
    traceback these tests rule out, so it fails them."""
    argv = ["validate", str(directory)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,  # a picture renamed .csv
        b"PK\x03\x04" + bytes(range(256)) * 8,  # a spreadsheet (xlsx is a zip)
        bytes(range(256)) * 40,  # random bytes
    ],
)
def test_a_binary_file_is_one_error_and_exit_2_without_a_traceback(tmp_path, content):
    write_study(tmp_path)
    (tmp_path / "study" / "codebook.csv").write_bytes(content)
    run = validate_cli(tmp_path)
    assert run.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in run.stderr
    assert "study/codebook.csv: error: expected a CSV text file (this file holds binary data" in (
        run.stderr
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_utf8_with_a_byte_order_mark_are_read(tmp_path, codec):
    write_study(tmp_path, encoding=codec)
    report = validate_directory(tmp_path)
    assert report.errors == [] and report.warnings == []
    assert list(report.frames["households"].columns[:2]) == ["household_id", "site"]


def test_another_encoding_is_named_as_charset_normalizer_finds_it(tmp_path):
    text = STUDY_TEXT["codebook.csv"] + "jalan,infrastructure,Jalan – akses lebih baik (café)\n"
    write_study(tmp_path, {"codebook.csv": text}, encoding="cp1252")
    [problem] = validate_directory(tmp_path).errors
    assert problem.line == 4 and "is not UTF-8 (the file looks like cp125" in problem.expected


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_nul_and_other_control_characters_in_a_cell_are_errors(tmp_path, char):
    write_study(tmp_path, {"households.csv": with_cell("kelurahan", f"Pa{char}kis")})
    [problem] = [p for p in validate_directory(tmp_path).errors if "control" in p.expected]
    assert (problem.file, problem.line, problem.column) == ("study/households.csv", 2, "kelurahan")
    assert f"U+{ord(char):04X}" in problem.expected and problem.value == "Pa?kis"


def test_a_repeated_header_is_named_as_written_not_as_pandas_renames_it(tmp_path):
    text = HOUSEHOLDS.replace(HEADER, HEADER + ",site", 1)
    text = "\n".join(line + ",x" if line and i else line for i, line in enumerate(text.split("\n")))
    write_study(tmp_path, {"households.csv": text.replace(HEADER + ",site,x", HEADER + ",site")})
    problems = validate_directory(tmp_path).problems
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.line, problem.column) == (1, "site")
    assert "'site' appears 2 times" in problem.expected
    assert not any("site.1" in str(p) for p in problems)


@pytest.mark.parametrize("tail", ["\n\n\n", "\n   ", "\n   \n\t\n", "\n  \n"])
def test_blank_trailing_lines_and_a_last_line_of_spaces_are_ignored(tmp_path, tail):
    write_study(tmp_path, {"households.csv": HOUSEHOLDS.rstrip("\n") + tail})
    assert validate_directory(tmp_path).problems == []


@pytest.mark.parametrize(
    "column, expected",
    [
        ("income_before", "too large: more than 18 digits"),
        ("year_before", "a whole number of at most 2100"),
        ("loan_amount", "too large: more than 18 digits"),
    ],
)
def test_a_twenty_digit_number_is_an_error_not_an_overflow(tmp_path, column, expected):
    write_study(tmp_path, {"households.csv": with_cell(column, "99999999999999999999")})
    [problem] = validate_directory(tmp_path).errors
    assert (problem.line, problem.column) == (2, column) and expected in problem.expected


def test_money_has_a_declared_maximum_of_a_trillion_rupiah(tmp_path):
    write_study(tmp_path, {"households.csv": with_cell("income_after", "1000000000001")})
    [problem] = validate_directory(tmp_path).errors
    assert problem.column == "income_after"
    assert problem.expected == "at most 1,000,000,000,000 Rupiah per month"


def test_read_csv_text_reports_a_nul_byte_where_pandas_would_cut_the_cell(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"id,name\n1,x\x00y\n2,ok\n")
    table = read_csv_text(path, "x.csv")
    [problem] = table.problems
    assert (problem.line, problem.column, problem.value) == (2, "name", "x?y")
    assert "U+0000 (NUL)" in problem.expected
    assert table.frame.loc[3, "name"] == "ok"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("NIK 3517 0123 4567 8901", "NIK"),
        ("NIK 3517-0123-4567-8901", "NIK"),
        ("hubungi tel.081234567890", "phone"),
        ("hp6281234567890 ya", "phone"),
        ("WA +62 (812) 3456-7890", "phone"),
        ("surel sari@example.co.id", "e-mail"),
    ],
)
def test_validate_refuses_a_segment_holding_personal_data_and_masks_it(tmp_path, text, kind):
    segments = STUDY_TEXT["segments.csv"].replace("Saya beli alat", text)
    write_study(tmp_path, {"segments.csv": segments})
    run = validate_cli(tmp_path)
    assert run.returncode == EXIT_BAD_INPUT and "Traceback" not in run.stderr
    [line] = [line for line in run.stderr.splitlines() if "personal data" in line]
    assert line.startswith("study/segments.csv:4: error: column text: value ")
    assert kind in line
    [hit] = find_hits(text)
    assert hit.text not in line and hit.masked in line  # never echoed in full
