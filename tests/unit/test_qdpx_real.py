"""Real exports (``../shared/reference/qda``, read in place, never copied): every coded text
selection arrives with the words its coder selected, or is reported as skipped with a reason."""

import os
import re
import zipfile
from pathlib import Path

import pytest

from analysis.data import qdpx
from analysis.data.qdpx import read_qdpx
from analysis.pipeline import cli
from analysis.project import PROJECT_ROOT

# QDA_REFERENCE_DIR lets a git worktree (whose parent has no shared/) point at the same files.
REFERENCE = Path(
    os.environ.get("QDA_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference" / "qda")
)
QC = REFERENCE / "qc-1.3.2-demo-coded.qdpx"
ATLAS = REFERENCE / "atlasti-8.4-testproject.qdpx"
MAXQDA = REFERENCE / "maxqda24-export-uncoded.qdpx"


def needs(path: Path):
    return pytest.mark.skipif(not path.is_file(), reason=f"{path.name} not present")


@needs(QC)
def test_qc_every_coded_line_arrives_with_its_words():
    result = read_qdpx(QC, site="demo")
    assert result.origin == "qc 1.3.2"
    assert (result.imported_selections, len(result.segments), result.skipped) == (158, 205, {})
    assert result.coders == ["cp"]
    # qc names each selection "line:N" (0-based): compare with the file's own lines
    with zipfile.ZipFile(QC) as archive:
        lines = archive.read("sources/board_2017.txt").decode("utf-8").split("\n")
        qde = archive.read("project.qde").decode("utf-8")
    line_of = dict(re.findall(r'guid="([^"]+)" name="line:(\d+)"', qde))
    for row in result.segments.drop_duplicates("segment_id").itertuples():
        assert row.text == lines[int(line_of[row.segment_id])].strip()
    assert result.sources.set_index("name").loc["board_2017.txt", "counting"] == (
        "Unicode code points"
    )


@needs(QC)
def test_qc_codes_nest_and_repeated_leaf_names_stay_distinct():
    codebook = read_qdpx(QC, site="demo").codebook
    assert len(codebook) == 262 and codebook["code"].is_unique
    programming = codebook[codebook["label"] == "programming"]
    assert set(programming["theme"]) == {"competencies", "cs_as_programming"}


@needs(QC)
def test_qc_import_validates_as_a_study(tmp_path, capsys):
    out = tmp_path / "qc"
    assert cli.main(["import-qdpx", str(QC), "--site", "qc-demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "selections imported: 158 of 158; segment rows" in printed
    assert "coders: 1 (cp)" in printed
    assert (
        (out / "study" / "studies.csv")
        .read_text()
        .splitlines()[1]
        .startswith("qc-demo,qc project,")
    )


@needs(ATLAS)
def test_atlasti_nothing_importable_is_exit_2_with_each_reason(tmp_path, capsys):
    out = tmp_path / "atlas"
    assert cli.main(["import-qdpx", str(ATLAS), "--site", "atlas", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert not out.exists()
    assert "none could be imported" in captured.err
    assert "source text missing: 8" in captured.err and "non-text source: 7" in captured.err
    # the missing texts are named, member by member
    assert "internal://C1C745F7-8E4D-48B2-9710-655AFE7E54FA.txt is not in the project file" in (
        captured.out
    )
    assert "ignored (not part of a study): 16 sets, 2 notes, 1 links, 1 graphs" in captured.out


@needs(ATLAS)
def test_atlasti_quotations_in_names_are_said_to_be_truncated_and_not_used():
    result = read_qdpx(ATLAS, site="atlas")
    assert result.segments.empty and result.texts == {}
    missing = result.skipped[qdpx.TEXT_MISSING]
    assert sum("truncated quotation" in d for d in missing) == 4
    assert any("cuts it short" in n for n in result.notes)
    # Parent::child names nest like parent codes do
    codebook = result.codebook.set_index("label")
    assert codebook.loc["Coke::diet Coke", "theme"] == "Coke"
    assert result.users["A5DE7584-8296-418B-A322-136F77ADF87B"] == "Sebastian Petrausch"


@needs(MAXQDA)
def test_maxqda_uncoded_export_reads_its_codes_and_texts():
    result = read_qdpx(MAXQDA, site="maxqda")
    assert len(result.codebook) == 307 and result.codings == 0
    assert len(result.texts) == 10 and all(len(t) > 1000 for t in result.texts.values())
