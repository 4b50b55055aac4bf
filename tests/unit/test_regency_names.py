"""A registry row's regency name must be the name of its BPS code, and no two context runs share a file.

A name that contradicts the code is a validation error naming file, line, column, value and the
name the BPS series gives (a "Kabupaten"/"Kota" prefix and case do not matter). Studies sharing a
code share one context chapter whatever names they give it; codes whose names give the same file
name get distinct files (Jupyter Book stops on "document file used multiple times").
"""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data.registry import Study
from analysis.data.validate import regency_name_key, validate_directory
from analysis.pipeline import plan
from analysis.pipeline.catalogue import load_catalogue
from analysis.project import DATA_DIR

CATALOGUE = load_catalogue()


def _context_runs(studies: list[Study]):
    """The context runs of ``studies`` as the catalogue's context chapter makes them."""
    rows = plan.regency_rows(studies, CATALOGUE.series, "en")
    return plan.chapter_runs(CATALOGUE.chapter("context"), rows, DATA_DIR, CATALOGUE)


def _context_title(area: str, start: int | None, end: int | None) -> str:
    study = dataclasses.replace(_study("a", "3510", area), context_start=start, context_end=end)
    return _context_runs([study])[0].title


def _registry_with(tmp_path, rows: list[dict]):
    """A copy of the shipped data whose registry has ``rows`` added (each a study of its own)."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "study" / "studies.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    added = []
    for k, changes in enumerate(rows):
        row = table.iloc[1].to_dict() | {"site": f"added-{k}"} | changes
        added.append(row)
    pd.concat([table, pd.DataFrame(added)], ignore_index=True).to_csv(
        path, index=False, lineterminator="\n"
    )
    (data / "datapackage.json").unlink()  # its checksums are the shipped files'
    return data


def test_a_regency_name_that_contradicts_its_code_is_an_error_with_where_and_what(tmp_path):
    data = _registry_with(tmp_path, [{"regency_code": "3517", "regency_name": "Banyuwangi"}])
    report = validate_directory(data)
    problems = [p for p in report.errors if p.column == "regency_name"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == "study/studies.csv"
    assert problem.line == 4  # header, the two shipped studies, then the added row
    assert problem.value == "Banyuwangi"
    assert "'Jombang'" in problem.expected and "3517" in problem.expected
    assert "study/studies.csv:4: error: column regency_name: value 'Banyuwangi'" in str(problem)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("3517", "Kabupaten Jombang"),
        ("3517", "JOMBANG"),
        ("3517", "  kab.  jombang "),
        ("3517", "Jombang Regency"),
        ("3579", "Kota Batu"),
        ("3579", "batu"),
        ("3579", "Batu City"),
        ("6302", "Kota Baru"),  # a regency whose name begins with "Kota"
        ("6302", "Kabupaten Kota Baru"),
    ],
)
def test_case_spaces_and_a_kabupaten_or_kota_prefix_do_not_matter(tmp_path, code, name):
    data = _registry_with(tmp_path, [{"regency_code": code, "regency_name": name}])
    report = validate_directory(data)
    assert report.ok, report.summary()


@pytest.mark.parametrize(
    ("code", "name"), [("3517", "Kota Jombang"), ("3579", "Kabupaten Batu"), ("6302", "Baru")]
)
def test_a_city_called_a_regency_or_the_reverse_is_an_error(tmp_path, code, name):
    data = _registry_with(tmp_path, [{"regency_code": code, "regency_name": name}])
    report = validate_directory(data)
    assert [p.value for p in report.errors] == [name]


def test_the_name_key_sets_aside_case_spaces_and_the_kind_of_area():
    assert regency_name_key("Kabupaten  Jombang") == ("regency", "jombang")
    assert regency_name_key("Kota Malang") == ("city", "malang")
    assert regency_name_key("Banyuwangi") == (None, "banyuwangi")
    assert regency_name_key("Kota") == (None, "kota")  # a name that is only the word stays


def _study(site: str, code: str | None, name: str | None) -> Study:
    return Study(
        site=site,
        short_name=site,
        title=site,
        place=site,
        regency_code=code,
        regency_name=name,
        programme="P2KP",
        selection="purposive",
        headline=None,
        fieldwork_year=None,
        reference="ref",
        claim={},
        other_claims={},
    )


def test_two_names_for_one_code_give_one_context_chapter():
    runs = _context_runs([_study("a", "3517", "Jombang"), _study("b", "3517", "Kabupaten Jombang")])
    assert [(r.id, r.output) for r in runs] == [
        ("context-jombang", "chapters/context_jombang.ipynb")
    ]


def test_two_codes_whose_names_make_one_file_name_get_two_files():
    runs = _context_runs([_study("a", "3507", "Malang"), _study("b", "3573", "Malang")])
    assert [r.output for r in runs] == [
        "chapters/context_malang_3507.ipynb",
        "chapters/context_malang_3573.ipynb",
    ]
    assert len({r.id for r in runs}) == 2


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["3507", "3573", "3517", "3510", "3579", None]),
            st.sampled_from(["Malang", "Kota Malang", "malang", "Jombang", "Batu", "", None]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_two_context_runs_ever_write_one_file(rows):
    runs = _context_runs(
        [_study(f"s{k}", code, name or None) for k, (code, name) in enumerate(rows)]
    )
    outputs = [r.output for r in runs]
    assert len(outputs) == len(set(outputs)) == len({c for c, _ in rows if c})
    assert len({r.id for r in runs}) == len(runs)


def test_the_context_title_follows_the_registry_years():
    assert _context_title("Banyuwangi", 2010, 2016) == "Poverty in Banyuwangi, 2010-2016"
    assert _context_title("Lamongan", 2024, 2024) == "Poverty in Lamongan, 2024"
    assert _context_title("Lamongan", None, 2024) == "Poverty in Lamongan, 2024"
    assert _context_title("Jombang", None, None) == "Poverty in Jombang, 2010-2025"
    runs = _context_runs(
        [
            _study("a", "3510", "Banyuwangi").__class__(
                **{**_study("a", "3510", "Banyuwangi").__dict__, "context_start": 2010}
                | {"context_end": 2016}
            )
        ]
    )
    assert runs[0].title == "Poverty in Banyuwangi, 2010-2016"


def test_every_one_of_the_514_names_is_accepted_as_bps_writes_it_and_with_its_prefix():
    from analysis.data.validate import _regency_name_problems, regency_names

    names, series = regency_names(DATA_DIR, {})
    assert len(names) == 514
    rows = [
        (code, written)
        for code, (name, kind) in names.items()
        for written in (
            name,
            name.upper(),
            f"Kabupaten {name}" if kind == "regency" else name.removeprefix("Kota "),
        )
    ]
    frame = pd.DataFrame(rows, columns=["regency_code", "regency_name"])
    frame.index = frame.index + 2
    assert _regency_name_problems(frame, "study/studies.csv", names, series) == []
