"""export-qdpx writes a study as a REFI-QDA project that reads back into the same study."""

import re
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest

from analysis.data.csvfile import read_csv_text
from analysis.data.qdpx import read_qdpx
from analysis.data.qdpx_export import export_qdpx, source_texts
from analysis.pipeline import cli
from analysis.project import DATA_DIR

NS = "{urn:QDA-XML:project:1.0}"
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
COLUMNS = ["segment_id", "site", "source_id", "source_type", "code", "coder", "text"]
COLUMNS += ["informant_id", "gloss_en"]


def study(site: str) -> pd.DataFrame:
    frame = read_csv_text(DATA_DIR / "study" / "segments.csv", "segments").frame
    return frame[frame["site"] == site]


def table(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    )


def rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        frame[COLUMNS]
        .astype(object)
        .where(frame[COLUMNS].notna(), None)
        .itertuples(index=False, name=None)
    )


@pytest.mark.parametrize("site", ["pakis", "jombang"])
def test_export_then_import_gives_the_same_segments_codes_coders_and_texts(tmp_path, site):
    out = tmp_path / f"{site}.qdpx"
    export_qdpx(DATA_DIR, site, out)
    result = read_qdpx(out, site=site)
    original = study(site)
    assert rows(result.segments) == rows(original)
    assert result.skipped == {} and result.imported_selections == original["segment_id"].nunique()
    codebook = read_csv_text(DATA_DIR / "study" / "codebook.csv", "codebook").frame
    columns = list(codebook.columns)  # code, theme, description, label, finding, ...
    assert table(result.codebook.reindex(columns=columns)) == table(codebook)
    assert result.coders == sorted(original["coder"].unique())
    assert result.texts == {k: v[0] for k, v in source_texts(original).items()}
    assert set(result.sources["counting"]) == {"Unicode code points"}


def test_the_exported_project_has_the_structure_the_standard_documents(tmp_path):
    out = tmp_path / "pakis.qdpx"
    export_qdpx(DATA_DIR, "pakis", out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        root = ET.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in names if n != "project.qde"}
    assert root.tag == f"{NS}Project" and root.get("name") and root.get("origin")
    # top-level elements in the order of the schema's sequence (the registry row in Description)
    order = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Description"]
    assert [child.tag.removeprefix(NS) for child in root] == order
    # every element with a guid has a GUID; every reference points at something that exists
    guids = {e.get("guid") for e in root.iter() if e.get("guid")}
    assert all(GUID.match(g) for g in guids)
    users = {u.get("guid") for u in root.iter(f"{NS}User")}
    codes = {c.get("guid") for c in root.iter(f"{NS}Code")}
    sources = {s.get("guid") for s in root.iter(f"{NS}TextSource")}
    assert all(
        c.get("name") and c.get("isCodable") in ("true", "false") for c in root.iter(f"{NS}Code")
    )
    assert {r.get("targetGUID") for r in root.iter(f"{NS}CodeRef")} <= codes
    assert {c.get("creatingUser") for c in root.iter(f"{NS}Coding")} <= users
    assert {r.get("targetGUID") for r in root.iter(f"{NS}SourceRef")} <= sources
    for variable in root.iter(f"{NS}Variable"):
        assert variable.get("name") and variable.get("typeOfVariable") in ("Text", "Boolean")
    for source in root.iter(f"{NS}TextSource"):
        member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        text = texts[member]
        assert not text.startswith("\ufeff") and "\r" not in text
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            assert selection.find(f"{NS}Coding") is not None
    assert len(texts) == len(sources) == study("pakis")["source_id"].nunique()


def test_the_same_study_gives_the_same_file(tmp_path):
    export_qdpx(DATA_DIR, "pakis", tmp_path / "a.qdpx")
    export_qdpx(DATA_DIR, "pakis", tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_command_refuses_to_overwrite_and_unknown_sites(tmp_path, capsys):
    out = tmp_path / "p.qdpx"
    command = ["export-qdpx", str(DATA_DIR), "--site", "pakis", "--out", str(out)]
    assert cli.main(command) == 0
    assert "coders: C1, C2, C3" in capsys.readouterr().out
    assert cli.main(command) == 2 and "--force" in capsys.readouterr().err
    assert cli.main([*command, "--force"]) == 0
    capsys.readouterr()
    other = ["export-qdpx", str(DATA_DIR), "--site", "nowhere", "--out", str(tmp_path / "n.qdpx")]
    assert cli.main(other) == 2
    assert "no segments of site 'nowhere'" in capsys.readouterr().err


def test_an_exported_study_imports_into_a_folder_that_validates(tmp_path, capsys):
    from analysis.data.validate import validate_directory

    export_qdpx(DATA_DIR, "pakis", tmp_path / "p.qdpx")
    out = tmp_path / "again"
    assert (
        cli.main(["import-qdpx", str(tmp_path / "p.qdpx"), "--site", "pakis", "--out", str(out)])
        == 0
    )
    report = validate_directory(out)
    # the registry row travels in the project: nothing is left to fill in
    assert [str(p) for p in report.errors] == []
    assert "to fill in" not in capsys.readouterr().out
