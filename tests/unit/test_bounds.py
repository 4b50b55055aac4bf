"""Bounded, clear failures: ids have a bounded length in the contract (validate names the file,
line, column and value), names made from data stay short, and Jupyter Book failing for want of
space is a disk error (the builds that stop on a long id or a full disk are in
tests/integration/test_bounds_build.py)."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import subprocess
from pathlib import Path

import pytest

from analysis.data.contract import ALL_FILES, MAX_ID_LENGTH, MAX_SITE_LENGTH
from analysis.data.validate import validate_directory
from analysis.pipeline import cli, jupyterbook
from analysis.pipeline.layout import BookLayout
from analysis.pipeline.plan import MAX_SLUG, slug
from analysis.project import DATA_DIR, EXIT_BAD_INPUT
from support.data_fixtures import rename_site


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def validate_cli(data: Path) -> subprocess.CompletedProcess:
    """`analysis validate directory`, in-process: the ``main`` that ``python -m analysis`` exits
    with (tests/unit/test_validate.py runs the module itself once); an exception would be the
    traceback these tests rule out, so it fails them."""
    argv = ["validate", str(data)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


# --------------------------------------------------------------------------- ids
def test_the_id_columns_are_bounded_in_the_contract():
    bounded = {
        (spec.key, f.name): f.max_length for spec in ALL_FILES for f in spec.fields if f.max_length
    }
    assert bounded[("studies", "site")] == MAX_SITE_LENGTH == 40
    for key, column in [
        ("informants", "informant_id"),
        ("segments", "segment_id"),
        ("segments", "source_id"),
        ("segments", "code"),
        ("codebook", "code"),
        ("households", "household_id"),
    ]:
        assert bounded[(key, column)] == MAX_ID_LENGTH
    for spec in ALL_FILES:  # every column naming a study is bounded as the study's id is
        for f in spec.fields:
            if f.references == ("studies", "site"):
                assert f.max_length == MAX_SITE_LENGTH, (spec.key, f.name)


def test_a_site_id_of_40_characters_is_valid(data_copy):
    rename_site(data_copy, "pakis", "p" * MAX_SITE_LENGTH)
    report = validate_directory(data_copy)
    assert report.ok, report.summary()


@pytest.mark.parametrize("length", [MAX_SITE_LENGTH + 1, 300, 10_000])
def test_a_longer_site_id_is_an_error_naming_file_line_column_and_shortened_value(
    data_copy, length
):
    long_site = "p" * length
    rename_site(data_copy, "pakis", long_site)
    completed = validate_cli(data_copy)
    assert completed.returncode == EXIT_BAD_INPUT
    lines = [line for line in completed.stderr.splitlines() if "at most 40 characters" in line]
    assert lines, completed.stderr
    first = next(line for line in lines if line.startswith("study/studies.csv:"))
    assert first.startswith("study/studies.csv:3: error: column site: value 'ppp")
    assert "expected a site of at most 40 characters" in first
    assert len(first) < 200  # the value is shown shortened, not 10,000 characters long
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    "file, column",
    [
        ("informants.csv", "informant_id"),
        ("segments.csv", "segment_id"),
        ("segments.csv", "source_id"),
        ("households.csv", "household_id"),
    ],
)
def test_an_id_longer_than_the_bound_is_an_error(data_copy, file, column):
    path = data_copy / "study" / file
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    i = rows[0].index(column)
    rows[1][i] = "X" * (MAX_ID_LENGTH + 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = validate_directory(data_copy)
    found = [p for p in report.errors if "at most 200 characters" in p.expected]
    assert [(p.file, p.line, p.column) for p in found][:1] == [(f"study/{file}", 2, column)]
    assert found[0].value == "X" * (MAX_ID_LENGTH + 1)
    assert "'XXXX" in str(found[0]) and "...'" in str(found[0])


# --------------------------------------------------------------------------- names from data
def test_shipped_names_are_short_and_unchanged_by_the_bound():
    assert slug("Kota Batu") == "kota_batu"
    assert slug("Kabupaten Banyuwangi") == "kabupaten_banyuwangi"


@pytest.mark.parametrize("words", [30, 300, 3000])
def test_a_long_name_gives_a_short_distinct_slug(words):
    name = " ".join(["Kabupaten"] * words)
    made, other = slug(name), slug(name + " Selatan")
    assert len(made) <= MAX_SLUG and len(other) <= MAX_SLUG
    assert made != other
    assert made.startswith("kabupaten_kabupaten")


def test_jupyter_book_failing_for_want_of_space_is_a_disk_error_not_a_book_error(
    tmp_path, monkeypatch
):
    layout = BookLayout(tmp_path, tmp_path / "book", tmp_path, tmp_path)

    def full(command, **kwargs):
        return subprocess.CompletedProcess(
            command, 1, "", "OSError: [Errno 28] No space left on device"
        )

    monkeypatch.setattr(jupyterbook.subprocess, "run", full)
    with pytest.raises(OSError) as error:
        jupyterbook.jupyter_book(layout, "html", strict=False)
    assert error.value.errno == errno.ENOSPC
    assert not list(tmp_path.glob(".html-*"))


def test_an_area_code_that_would_name_a_chapter_too_long_is_an_error(data_copy):
    path = data_copy / "public" / "bps_regency_p0_2010_2018.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    i = rows[0].index("area_code")
    rows[1][i] = "3" * 300
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = validate_directory(data_copy)
    assert [(p.file, p.line, p.column) for p in report.errors][:1] == [
        ("public/bps_regency_p0_2010_2018.csv", 2, "area_code")
    ]
