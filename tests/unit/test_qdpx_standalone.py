"""An imported project stands on its own: informants when it has no cases, the study's title,
what is left to fill said once (by the import and by validate), bounded ids and any depth of
nesting read without recursion; bad ids are exit 2 with a message, never a traceback."""

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from analysis.data.csvfile import read_csv_text
from analysis.data.qdpx import MAX_ID_LENGTH, MAX_MADE_ID_LENGTH, read_qdpx
from analysis.data.validate import validate_directory
from analysis.pipeline import cli

TEXT = "Ibu: Modal usaha untuk beli bahan baku.\nBapak: Pelatihan UKM membantu.\n"


def project(
    path: Path,
    name: str = "Kajian P2KP",
    sources=("Wawancara Ibu R01.docx", "Wawancara Bapak R02.docx"),
    codes: str | None = None,
    cases: str = "",
    description: str = "",
    source_type: str | None = None,
) -> Path:
    """A project with one coded selection in each source, no cases unless given."""
    codes = codes or '<Code guid="C1" name="Modal usaha" isCodable="true"/>'
    elements = "".join(
        f'<TextSource guid="S{k}" name={quoteattr(source)} plainTextPath="internal://S{k}.txt">'
        f'<PlainTextSelection guid="SEL{k}" startPosition="0" endPosition="3">'
        f'<Coding guid="CD{k}" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding>'
        "</PlainTextSelection>"
        + (
            f'<VariableValue><VariableRef targetGUID="V1"/><TextValue>{source_type}</TextValue>'
            "</VariableValue>"
            if source_type
            else ""
        )
        + "</TextSource>"
        for k, source in enumerate(sources)
    )
    about = f"<Description>{description}</Description>" if description else ""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name={quoteattr(name)} origin="NVivo 12">'
        '<Users><User guid="U1" name="R"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        '<Variables><Variable guid="V1" name="source_type" typeOfVariable="Text"/></Variables>'
        f"<Sources>{elements}</Sources>"
        f"{cases}{about}</Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for k in range(len(sources)):
            archive.writestr(f"sources/S{k}.txt", TEXT)
    return path


def test_a_project_without_cases_gets_one_informant_per_source_said_in_the_summary(
    tmp_path, capsys
):
    out = tmp_path / "out"
    file = project(tmp_path / "p.qdpx")
    assert cli.main(["import-qdpx", str(file), "--site", "kajian", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "none in the project, so each of the 2 source(s)" in printed
    informants = read_csv_text(out / "study" / "informants.csv", "i").frame
    assert list(informants["informant_id"]) == [
        "kajian-wawancara-ibu-r01",
        "kajian-wawancara-bapak-r02",
    ]
    assert (informants["site"] == "kajian").all() and (informants["consent_quote"] == "false").all()
    assert informants[["role", "level"]].isna().all().all()  # for the researcher to say
    segments = read_csv_text(out / "study" / "segments.csv", "s").frame
    assert set(segments["informant_id"]) == set(informants["informant_id"])
    assert set(segments["source_type"]) == {"interview"}
    # what the project cannot say is listed once a file, by the import and by validate
    assert "study/studies.csv, row 'kajian': place, programme, reference" in printed
    assert "study/informants.csv: role of 2 informant(s)" in printed
    errors = validate_directory(out).errors
    assert sorted((p.file, p.line, p.column) for p in errors) == [
        ("study/informants.csv", None, "role, level"),
        ("study/studies.csv", 2, "place, programme, reference"),
    ]
    assert "empty on 2 lines: 2-3" in str(errors[0]) + str(errors[1])


def test_filling_the_listed_fields_is_all_validate_then_needs(tmp_path):
    out = tmp_path / "out"
    cli.main(
        ["import-qdpx", str(project(tmp_path / "p.qdpx")), "--site", "kajian", "--out", str(out)]
    )
    studies = out / "study" / "studies.csv"
    header, row = studies.read_text().splitlines()
    columns = header.split(",")
    cells = row.split(",")
    for column, value in (("place", "Kota Malang"), ("programme", "P2KP"), ("reference", "Tesis")):
        cells[columns.index(column)] = value
    studies.write_text(f"{header}\n{','.join(cells)}\n")
    informants = out / "study" / "informants.csv"
    informants.write_text(
        informants.read_text().replace(",kajian,,,", ",kajian,resident,community,")
    )
    assert validate_directory(out).errors == []


def test_informant_ids_made_from_long_or_unreadable_source_names_are_bounded_and_unique(tmp_path):
    sources = ("x" * 300 + ".txt", "x" * 300 + ".rtf", "漢字", "")
    result = read_qdpx(project(tmp_path / "p.qdpx", sources=sources), site="s")
    ids = list(result.informants["informant_id"])
    assert len(ids) == len(set(ids)) == 4
    assert all(len(i) <= MAX_MADE_ID_LENGTH and i.startswith("s-") for i in ids)


@pytest.mark.parametrize(
    "name, description, title, warned",
    [
        ("Kajian P2KP di Pakis", "", "Kajian P2KP di Pakis", False),
        ("Untitled", "Kemiskinan di Lamongan\nCatatan lain", "Kemiskinan di Lamongan", True),
        ("Untitled Project 2", "", "Untitled Project 2", True),
        ("", "", "p", True),
    ],
)
def test_the_title_is_the_projects_and_untitled_is_never_taken_silently(
    tmp_path, name, description, title, warned
):
    result = read_qdpx(project(tmp_path / "p.qdpx", name=name, description=description), site="s")
    assert result.title == title
    assert (result.title_note is not None) == warned
    assert ("warning:" in result.summary()) == warned


def test_the_title_option_wins_and_is_stored_as_plain_text(tmp_path):
    file = project(tmp_path / "p.qdpx", name="Untitled")
    out = tmp_path / "out"
    title = "Kemiskinan <b>kota</b> & *desa* $x$"
    assert (
        cli.main(["import-qdpx", str(file), "--site", "s", "--out", str(out), "--title", title])
        == 0
    )
    row = read_csv_text(out / "study" / "studies.csv", "s").frame.iloc[0]
    assert row["title"] == title and row["short_name"] == title


def test_five_thousand_nested_codes_are_read_without_recursion(tmp_path):
    depth = 5000
    nested = "".join(f'<Code guid="N{i}" name="level {i}" isCodable="true">' for i in range(depth))
    codes = '<Code guid="C1" name="Modal usaha" isCodable="true"/>' + nested + "</Code>" * depth
    file = project(tmp_path / "deep.qdpx", codes=codes)
    assert sys.getrecursionlimit() < depth  # a walk by recursion would stop on it
    result = read_qdpx(file, site="deep")
    assert len(result.codebook) == depth + 1
    deepest = result.codebook.set_index("code").loc[f"level_{depth - 1}"]
    assert deepest["theme"] == f"level {depth - 2}"


@pytest.mark.parametrize("site", ["a" * 41, "x" * 300, "a" * 10_000])
def test_a_site_id_longer_than_40_characters_is_exit_2_with_a_message(tmp_path, capsys, site):
    file = project(tmp_path / "p.qdpx")
    assert cli.main(["import-qdpx", str(file), "--site", site, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--site must be at most 40 characters" in err and len(err) < 300
    assert not (tmp_path / "o").exists()
    command = ["export-qdpx", str(tmp_path), "--site", site, "--out", str(tmp_path / "x.qdpx")]
    assert cli.main(command) == 2 and "at most 40" in capsys.readouterr().err


def test_ten_thousand_character_ids_of_a_project_are_shortened_and_said(tmp_path, capsys):
    long = "k" * 10_000
    codes = f'<Code guid="C1" name="{long}" isCodable="true"/>'
    cases = (
        f'<Cases><Case guid="K1" name="{long}"><SourceRef targetGUID="S0"/></Case>'
        f'<Case guid="K2" name="{long}x"><SourceRef targetGUID="S1"/></Case></Cases>'
    )
    file = project(tmp_path / "p.qdpx", codes=codes, cases=cases, sources=(long, long + "y"))
    out = tmp_path / "out"
    assert cli.main(["import-qdpx", str(file), "--site", "s", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for kind in ("code id", "informant id", "source name"):
        assert f"{kind}(s) longer than {MAX_ID_LENGTH} characters shortened" in printed
    segments = read_csv_text(out / "study" / "segments.csv", "s").frame
    informants = read_csv_text(out / "study" / "informants.csv", "i").frame
    for values in (segments["code"], segments["source_id"], informants["informant_id"]):
        assert values.str.len().max() <= MAX_ID_LENGTH
    assert informants["informant_id"].is_unique and segments["source_id"].nunique() == 2


def test_a_project_of_documents_only_needs_no_informants(tmp_path, capsys):
    out = tmp_path / "out"
    file = project(tmp_path / "p.qdpx", source_type="document")
    assert cli.main(["import-qdpx", str(file), "--site", "docs", "--out", str(out)]) == 0
    assert "cases (informants): 0" in capsys.readouterr().out
    assert not (out / "study" / "informants.csv").exists()
    errors = validate_directory(out).errors
    assert [(p.file, p.column) for p in errors] == [
        ("study/studies.csv", "place, programme, reference")
    ]
