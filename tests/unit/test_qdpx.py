"""REFI-QDA (.qdpx) projects are read into the contract's codebook, segments and informants."""

import os
import zipfile
from pathlib import Path

import pytest

from analysis.data.qdpx import QdpxError, read_qdpx, snake_case
from analysis.data.validate import validate_directory
from analysis.pipeline import cli
from analysis.project import PROJECT_ROOT

REFERENCE_QDPX = (
    Path(os.environ.get("QDA_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference" / "qda"))
    / "maxqda24-export-uncoded.qdpx"
)

INTERVIEW = "Pewawancara: Untuk apa kredit bergulir?\nIbu: Modal usaha, beli bahan baku lebih banyak. Juga alat jahit.\n"
DOCUMENT = "Pedoman P2KP: bantuan langsung, kredit bergulir, dan prasarana lingkungan.\n"


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def build_qdpx(path: Path) -> Path:
    """A small REFI-QDA project: nested codes, two users, two sources, coded selections, a case."""
    credit = _span(INTERVIEW, "Modal usaha, beli bahan baku lebih banyak.")
    tools = _span(INTERVIEW, "Juga alat jahit.")
    components = _span(DOCUMENT, "bantuan langsung, kredit bergulir, dan prasarana lingkungan")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Pakis coding" origin="QualCoder 3.5">
 <Users>
  <User guid="U-1" name="coder_a"/>
  <User guid="U-2" name="coder_b"/>
 </Users>
 <CodeBook><Codes>
  <Code guid="C-PRG" name="Programmes" isCodable="false">
   <Description>What the programmes give.</Description>
   <Code guid="C-WC" name="Working capital" isCodable="true"><Description>Credit used as working capital.</Description></Code>
   <Code guid="C-EQ" name="Equipment" isCodable="true"><Description>Credit used to buy equipment.</Description></Code>
   <Code guid="C-CMP" name="P2KP components" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Variables><Variable guid="V-ROLE" name="role" typeOfVariable="Text"/><Variable guid="V-CONSENT" name="consent_quote" typeOfVariable="Boolean"/></Variables>
 <Sources>
  <TextSource guid="S-INT" name="INT-PKS-R01" plainTextPath="internal://S-INT.txt">
   <PlainTextSelection guid="SEL-1" name="credit" startPosition="{credit[0]}" endPosition="{credit[1]}" creatingUser="U-1">
    <Coding guid="CD-1" creatingUser="U-1"><CodeRef targetGUID="C-WC"/></Coding>
    <Coding guid="CD-2" creatingUser="U-2"><CodeRef targetGUID="C-WC"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="SEL-2" name="tools" startPosition="{tools[0]}" endPosition="{tools[1]}" creatingUser="U-2">
    <Coding guid="CD-3" creatingUser="U-2"><CodeRef targetGUID="C-EQ"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="S-DOC" name="DOC-P2KP-2007">
   <PlainTextContent>{DOCUMENT}</PlainTextContent>
   <PlainTextSelection guid="SEL-3" startPosition="{components[0]}" endPosition="{components[1]}" creatingUser="U-1">
    <Coding guid="CD-4" creatingUser="U-1"><CodeRef targetGUID="C-CMP"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
 <Cases>
  <Case guid="K-1" name="PKS-R01">
   <VariableValue><VariableRef targetGUID="V-ROLE"/><TextValue>resident</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="V-CONSENT"/><BooleanValue>true</BooleanValue></VariableValue>
   <SourceRef targetGUID="S-INT"/>
  </Case>
 </Cases>
</Project>
"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/S-INT.txt", INTERVIEW.encode("utf-8"))
    return path


def test_qdpx_codebook_keeps_nesting_as_themes(tmp_path):
    result = read_qdpx(build_qdpx(tmp_path / "p.qdpx"), site="pakis")
    codebook = result.codebook.set_index("code")
    # the non-codable parent is a theme, not a code
    assert list(codebook.index) == ["working_capital", "equipment", "p2kp_components"]
    assert codebook.loc["working_capital", "theme"] == "Programmes"
    assert codebook.loc["working_capital", "description"] == "Credit used as working capital."
    assert codebook.loc["p2kp_components", "label"] == "P2KP components"


def test_qdpx_coded_selections_become_segments_with_text_coder_and_informant(tmp_path):
    segments = read_qdpx(build_qdpx(tmp_path / "p.qdpx"), site="pakis").segments
    rows = {(r.segment_id, r.code, r.coder): r for r in segments.itertuples()}
    assert set(rows) == {
        ("SEL-1", "working_capital", "coder_a"),
        ("SEL-1", "working_capital", "coder_b"),
        ("SEL-2", "equipment", "coder_b"),
        ("SEL-3", "p2kp_components", "coder_a"),
    }
    credit = rows[("SEL-1", "working_capital", "coder_a")]
    assert credit.text == "Modal usaha, beli bahan baku lebih banyak."
    assert (credit.source_id, credit.source_type, credit.informant_id, credit.site) == (
        "INT-PKS-R01",
        "interview",
        "PKS-R01",
        "pakis",
    )
    document = rows[("SEL-3", "p2kp_components", "coder_a")]
    assert document.source_type == "document" and document.text.startswith("bantuan langsung")


def test_qdpx_cases_become_informants_with_their_variables(tmp_path):
    informants = read_qdpx(build_qdpx(tmp_path / "p.qdpx"), site="pakis").informants
    [row] = informants.to_dict("records")
    assert (row["informant_id"], row["site"], row["role"], row["consent_quote"]) == (
        "PKS-R01",
        "pakis",
        "resident",
        "true",
    )


def test_import_qdpx_command_writes_files_that_validation_reads(tmp_path, capsys):
    qdpx = build_qdpx(tmp_path / "p.qdpx")
    assert (
        cli.main(["import-qdpx", str(qdpx), "--out", str(tmp_path / "out"), "--site", "pakis"]) == 0
    )
    out = capsys.readouterr().out
    assert "codes: 3" in out and "sources: 2" in out and "selections imported: 3 of 3" in out
    assert "coders: 2 (coder_a, coder_b)" in out and "selections skipped: 0" in out
    report = validate_directory(tmp_path / "out")
    assert {"study/codebook.csv", "study/segments.csv", "study/informants.csv"} <= set(
        report.checked
    )
    # the case had no level, and the registry row needs what only the researcher knows: the
    # researcher is told exactly what to fill in, once a file, by validate and by the import
    assert sorted((p.file, p.line, p.column) for p in report.errors) == [
        ("study/informants.csv", 2, "level"),
        ("study/studies.csv", 2, "place, programme, reference"),
    ]
    assert "study/studies.csv, row 'pakis': place, programme, reference" in out
    assert "study/informants.csv: level of 1 informant(s)" in out


def test_import_qdpx_rejects_a_file_that_is_not_a_project(tmp_path, capsys):
    (tmp_path / "x.qdpx").write_text("not a zip")
    command = ["import-qdpx", str(tmp_path / "x.qdpx"), "--out", str(tmp_path / "out")]
    assert cli.main([*command, "--site", "pakis"]) == 2
    assert "not a REFI-QDA project" in capsys.readouterr().err
    with pytest.raises(QdpxError):
        read_qdpx(tmp_path / "x.qdpx")


def test_code_names_become_snake_case():
    assert snake_case("THEME - Affinity Spaces (Gee)") == "theme_affinity_spaces_gee"
    assert snake_case("Pemberdayaan masyarakat") == "pemberdayaan_masyarakat"


@pytest.mark.skipif(not REFERENCE_QDPX.is_file(), reason="reference MAXQDA export not present")
def test_maxqda_export_is_read_with_its_codes_and_ten_sources():
    result = read_qdpx(REFERENCE_QDPX)
    assert result.origin.startswith("MAXQDA 24")
    assert len(result.sources) == 10 and (result.sources["characters"] > 1000).all()
    assert len(result.codebook) == 307 and result.codebook["code"].is_unique
    assert result.segments.empty and result.informants.empty  # uncoded, no cases
    summary = result.summary()
    assert "sources: 10" in summary and "codes: 307" in summary
