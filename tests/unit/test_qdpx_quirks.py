"""What exporters do differently, reproduced in exports written here: positions counted in
another unit, CRLF with a BOM, capitalised folders, embedded text, several coders, paths outside
the archive, broken attributes, other encodings, zip bombs, and a safe place to write."""

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data import qdpx
from analysis.data.qdpx import (
    COUNTINGS,
    STANDARD,
    STUDIES_COLUMNS,
    Counting,
    QdpxError,
    char_span,
    read_qdpx,
    unit_offsets,
)
from analysis.pipeline import cli

# Hungarian, as in the NVivo for Mac export of the issue: accents before the coded words.
HUNGARIAN = (
    "Kérdező: Mit gondol a törvényről?\r\n"
    "Válaszadó: Nehéz kérdés, őszintén szólva.\r\n"
    "A Politikusoknak kötelező lenne meghallgatni a lakosságot. 🙂 Ez a lényeg.\r\n"
)
UTF16 = Counting("utf16")
PASSAGES = ("A Politikusoknak kötelező lenne meghallgatni a lakosságot.", "Ez a lényeg.")


def tool_position(text: str, index: int, counting: Counting, bom: bool = False) -> int:
    """The position a tool writes for character ``index``, computed from the encodings (not
    from the importer's tables)."""
    before = text[:index]
    if counting.newline == "crlf-as-one":
        before = before.replace("\r\n", "\n")
    elif counting.newline == "lf-as-two":
        before = re.sub(r"(?<!\r)\n", "\r\n", before)
    if counting.unit == "utf16":
        n = len(before.encode("utf-16-le")) // 2
    elif counting.unit == "utf8":
        n = len(before.encode("utf-8"))
    else:
        n = len(before)
    return n + (1 if counting.bom and bom else 0)


def nvivo_like(
    path: Path,
    text: str = HUNGARIAN,
    passages=PASSAGES,
    counting: Counting = UTF16,
    bom: bool = True,
    qde_name: str = "Project.qde",
    folder: str = "Sources",
    plain_text_path: str | None = None,
    inline: bool = False,
    extra_sources: str = "",
) -> Path:
    """An export shaped like NVivo 12's: capitalised folder and file, a CRLF text with a BOM,
    two users, coder on the coding (first selection) or on the selection only (second)."""
    selections = []
    for k, passage in enumerate(passages):
        i = text.index(passage)
        start = tool_position(text, i, counting, bom)
        end = tool_position(text, i + len(passage), counting, bom)
        coding_user = ' creatingUser="U-2"' if k == 0 else ""
        selections.append(
            f'<PlainTextSelection guid="SEL-{k}" name="Sel {k}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="U-1"><Coding guid="CD-{k}"{coding_user}>'
            f'<CodeRef targetGUID="C-{k % 2}"/></Coding>'
            + (
                f'<Coding guid="CD-{k}b" creatingUser="U-1"><CodeRef targetGUID="C-1"/></Coding>'
                if k == 0
                else ""
            )
            + "</PlainTextSelection>"
        )
    if inline:
        body = f"<PlainTextContent>{text}</PlainTextContent>"
        attribute = ""
    else:
        body = ""
        attribute = f' plainTextPath="{plain_text_path or "internal://T-1.txt"}"'
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews Pakis" origin="NVivo 12 for Windows">
<Users><User guid="U-1" name="Ani"/><User guid="U-2" name="Budi"/></Users>
<CodeBook><Codes><Code guid="C-P" name="Participation" isCodable="false">
<Code guid="C-0" name="Listening" isCodable="true"/><Code guid="C-1" name="Essence" isCodable="true"/>
</Code></Codes></CodeBook>
<Sources><TextSource guid="S-1" name="Interview 1"{attribute}>{body}{"".join(selections)}</TextSource>
{extra_sources}</Sources>
<Sets><Set guid="SET-1" name="All"/></Sets>
</Project>"""
    data = ("\ufeff" if bom else "") + text
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        if not inline:
            archive.writestr(f"{folder}/T-1.txt", data.encode("utf-8"))
    return path


def coded(result) -> dict[str, set[tuple[str, str]]]:
    return {
        text: set(map(tuple, rows[["code", "coder"]].to_numpy()))
        for text, rows in result.segments.groupby("text")
    }


@pytest.mark.parametrize("counting", [Counting("utf16"), Counting("utf8"), STANDARD])
def test_selections_counted_in_another_unit_begin_and_end_at_the_coders_words(tmp_path, counting):
    result = read_qdpx(nvivo_like(tmp_path / "n.qdpx", counting=counting), site="pakis")
    assert set(result.segments["text"]) == set(PASSAGES)
    assert result.sources.loc[0, "counting"] == counting.label


def test_crlf_counted_as_one_and_a_counted_bom_are_found(tmp_path):
    for counting in (Counting("codepoint", "crlf-as-one"), Counting("utf16", "as-stored", True)):
        result = read_qdpx(nvivo_like(tmp_path / f"{counting.unit}.qdpx", counting=counting))
        assert set(result.segments["text"]) == set(PASSAGES), counting


def test_forced_counting_is_used_and_a_wrong_one_is_reported_not_shifted(tmp_path):
    export = nvivo_like(tmp_path / "n.qdpx", counting=Counting("utf8"))
    assert set(read_qdpx(export, counting=Counting("utf8")).segments["text"]) == set(PASSAGES)
    wrong = read_qdpx(export, counting=STANDARD)
    # forced to code points, UTF-8 positions fall after the coder's words (the NVivo for Mac
    # symptom: "itikusoknak ..." for "A Politikusoknak ..."); the last runs past the end
    assert PASSAGES[0] not in set(wrong.segments["text"])
    assert len(wrong.skipped[qdpx.OUT_OF_RANGE]) == 1
    assert wrong.sources.loc[0, "counting"] == "Unicode code points"


def test_several_coders_come_from_the_coding_else_the_selection_named_from_users(tmp_path):
    result = read_qdpx(nvivo_like(tmp_path / "n.qdpx"), site="pakis")
    assert coded(result) == {
        PASSAGES[0]: {("listening", "Budi"), ("essence", "Ani")},
        PASSAGES[1]: {("essence", "Ani")},
    }
    assert result.coders == ["Ani", "Budi"]
    assert set(result.codebook["theme"]) == {"Participation"}  # the parent became the theme
    assert result.ignored == {"Sets": 1}


@pytest.mark.parametrize(
    "qde_name, folder, path",
    [
        ("project.qde", "sources", "internal://T-1.txt"),
        ("PROJECT.QDE", "SOURCES", "internal://t-1.TXT"),
        ("Project.qde", "Sources", "T-1.txt"),  # a bare name, as qc writes
        ("Project.qde", "Sources", "Sources/T-1.txt"),  # a relative path
    ],
)
def test_member_names_in_any_case_and_bare_or_relative_paths(tmp_path, qde_name, folder, path):
    export = nvivo_like(tmp_path / "n.qdpx", qde_name=qde_name, folder=folder, plain_text_path=path)
    assert set(read_qdpx(export).segments["text"]) == set(PASSAGES)


def test_embedded_plain_text_content_is_read(tmp_path):
    text = HUNGARIAN.replace("\r\n", "\n")
    export = nvivo_like(tmp_path / "n.qdpx", text=text, inline=True, counting=Counting("utf16"))
    assert set(read_qdpx(export).segments["text"]) == set(PASSAGES)


@pytest.mark.parametrize(
    "path", [r"C:\Users\ani\NVivo\Interview 1.txt", "/Users/budi/interview.txt", "file:///x.txt"]
)
def test_a_text_outside_the_archive_is_named_and_nothing_importable_is_exit_2(
    tmp_path, capsys, path
):
    export = nvivo_like(tmp_path / "n.qdpx", plain_text_path=path)
    result = read_qdpx(export)
    assert result.segments.empty
    [detail, *_] = result.skipped[qdpx.TEXT_MISSING]
    assert path in detail and "outside the project file" in detail
    out = tmp_path / "out"
    assert cli.main(["import-qdpx", str(export), "--site", "pakis", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert path in captured.out and "none could be imported" in captured.err
    assert "source text missing: 2" in captured.err and not out.exists()


def test_a_missing_member_is_named_but_other_sources_still_import(tmp_path, capsys):
    other = (
        '<TextSource guid="S-2" name="Lost" plainTextPath="internal://gone.txt">'
        '<PlainTextSelection guid="X" startPosition="0" endPosition="4">'
        '<Coding guid="CX"><CodeRef targetGUID="C-0"/></Coding></PlainTextSelection></TextSource>'
    )
    export = nvivo_like(tmp_path / "n.qdpx", extra_sources=other)
    out = tmp_path / "out"
    assert cli.main(["import-qdpx", str(export), "--site", "pakis", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "selections imported: 2 of 3" in printed and "source text missing: 1" in printed
    assert "internal://gone.txt is not in the project file" in printed


def test_position_that_is_not_a_number_is_exit_2_naming_member_and_selection(tmp_path, capsys):
    export = tmp_path / "n.qdpx"
    nvivo_like(export)
    with zipfile.ZipFile(export) as archive:
        qde = archive.read("Project.qde").decode()
        text = archive.read("Sources/T-1.txt")
    broken = re.sub(r'startPosition="\d+"', 'startPosition="five"', qde, count=1)
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Project.qde", broken)
        archive.writestr("Sources/T-1.txt", text)
    code = cli.main(["import-qdpx", str(export), "--site", "pakis", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Project.qde" in err and "SEL-0" in err and "startPosition='five'" in err


def test_latin1_text_is_decoded_when_recognised_and_said(tmp_path):
    text = "Wawancara: Ibu Süsi, kepala kelurahan, berkata: «kredit bergulir» sangat membantu.\n"
    export = tmp_path / "l.qdpx"
    nvivo_like(export, text=text, passages=("kredit bergulir",), counting=STANDARD, bom=False)
    with zipfile.ZipFile(export) as archive:
        qde = archive.read("Project.qde")
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Project.qde", qde)
        archive.writestr("Sources/T-1.txt", text.encode("latin-1"))
    result = read_qdpx(export)
    assert list(result.segments["text"].unique()) == ["kredit bergulir"]
    [note] = [n for n in result.notes if "not UTF-8" in n]
    assert "Sources/T-1.txt" in note and "charset-normalizer" in note


def test_binary_text_is_exit_2_naming_the_member(tmp_path, capsys):
    export = tmp_path / "b.qdpx"
    nvivo_like(export)
    with zipfile.ZipFile(export) as archive:
        qde = archive.read("Project.qde")
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Project.qde", qde)
        archive.writestr("Sources/T-1.txt", bytes(range(256)) * 4)
    code = cli.main(["import-qdpx", str(export), "--site", "pakis", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "Sources/T-1.txt" in err and "not UTF-8" in err


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_inflated(tmp_path, capsys):
    export = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b" " * (8 * 2**20))  # 8 MB of spaces: ~8 KB compressed
    assert export.stat().st_size < 100_000
    code = cli.main(["import-qdpx", str(export), "--site", "x", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "project.qde" in err and "compression ratio" in err


def test_a_member_over_the_size_limit_is_refused_while_streaming(tmp_path, monkeypatch):
    export = tmp_path / "big.qdpx"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", b"<" * 300_000)
    monkeypatch.setattr(qdpx, "MAX_TOTAL_BYTES", 100_000)
    with pytest.raises(QdpxError, match="inflates beyond the limit"):
        read_qdpx(export)
    monkeypatch.setattr(qdpx, "MAX_MEMBER_BYTES", 100_000)
    with pytest.raises(QdpxError, match="more than the limit"):
        read_qdpx(export)


def test_entity_declarations_are_refused(tmp_path):
    export = tmp_path / "e.qdpx"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(
            "project.qde",
            '<!DOCTYPE p [<!ENTITY a "aaaa">]><Project xmlns="urn:QDA-XML:project:1.0">&a;</Project>',
        )
    with pytest.raises(QdpxError, match="DOCTYPE"):
        read_qdpx(export)


# --- where the import writes ---------------------------------------------------------------


def test_import_registers_the_study_and_never_overwrites_without_force(tmp_path, capsys):
    export, out = nvivo_like(tmp_path / "n.qdpx"), tmp_path / "mystudy"
    command = ["import-qdpx", str(export), "--site", "pakis-2", "--out", str(out)]
    assert cli.main(command) == 0
    studies = (out / "study" / "studies.csv").read_text().splitlines()
    assert studies[0] == ",".join(STUDIES_COLUMNS)
    row = dict(zip(STUDIES_COLUMNS, studies[1].split(",")))
    assert row["site"] == "pakis-2" and row["selection"] == "other"
    assert row["title"] == row["short_name"] == "Interviews Pakis"
    assert not any(
        v for k, v in row.items() if k not in ("site", "selection", "title", "short_name")
    )
    before = (out / "study" / "segments.csv").read_bytes()
    (out / "study" / "segments.csv").write_text("mine")
    assert cli.main(command) == 2
    assert "pass --force" in capsys.readouterr().err
    assert (out / "study" / "segments.csv").read_text() == "mine"
    assert cli.main([*command, "--force"]) == 0
    assert (out / "study" / "segments.csv").read_bytes() == before
    assert len((out / "study" / "studies.csv").read_text().splitlines()) == 2  # not twice
    other = ["import-qdpx", str(export), "--site", "other", "--out", str(out), "--force"]
    assert cli.main(other) == 0
    assert (out / "study" / "studies.csv").read_text().splitlines()[2].startswith("other,")


def test_the_projects_own_data_folder_is_refused_even_with_force(tmp_path, capsys):
    export = nvivo_like(tmp_path / "n.qdpx")
    before = {p: p.stat().st_mtime_ns for p in qdpx.DATA_DIR.rglob("*") if p.is_file()}
    for out in (qdpx.DATA_DIR, qdpx.DATA_DIR / "study" / ".."):
        command = ["import-qdpx", str(export), "--site", "pakis", "--out", str(out), "--force"]
        assert cli.main(command) == 2
        assert "data folder" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in qdpx.DATA_DIR.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("site", ["Pakis", "pakis site", "", "../x"])
def test_site_ids_are_lower_case_letters_digits_and_dashes(tmp_path, capsys, site):
    export = nvivo_like(tmp_path / "n.qdpx")
    command = ["import-qdpx", str(export), "--site", site, "--out", str(tmp_path / "o")]
    assert cli.main(command) == 2 and "--site" in capsys.readouterr().err


# --- positions at the edges of multi-byte and astral characters ----------------------------

TEXT = st.text(
    alphabet=st.sampled_from(list("ab \n\r") + ["é", "ő", "€", "漢", "😀", "𝔸", "\u0301"]),
    min_size=0,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, data=st.data())
def test_every_character_boundary_maps_back_in_every_counting(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    bom = data.draw(st.booleans())
    splits_crlf = any(0 < k < len(text) and text[k - 1 : k + 1] == "\r\n" for k in (i, j))
    for counting in COUNTINGS:
        if counting.newline == "crlf-as-one" and splits_crlf:
            continue  # a tool that counts CRLF as one cannot select half of it
        offsets = unit_offsets(text, counting, bom)
        start, end = tool_position(text, i, counting, bom), tool_position(text, j, counting, bom)
        assert char_span(offsets, start, end) == (i, j), counting


@settings(max_examples=100, deadline=None)
@given(prefix=TEXT, char=st.sampled_from(["é", "€", "😀", "𝔸"]))
def test_a_position_inside_a_character_is_never_accepted(prefix, char):
    text = prefix + char + "z"
    for counting in (Counting("utf16"), Counting("utf8")):
        width = (
            len(char.encode("utf-16-le")) // 2 if counting.unit == "utf16" else len(char.encode())
        )
        inside = tool_position(text, len(prefix), counting) + 1
        offsets = unit_offsets(text, counting)
        assert (char_span(offsets, inside, inside) is None) == (width > 1)


def test_empty_and_uncoded_selections_are_counted_by_reason(tmp_path):
    extra = (
        '<TextSource guid="S-3" name="Notes"><PlainTextContent>Catatan lapangan.</PlainTextContent>'
        '<PlainTextSelection guid="E" startPosition="3" endPosition="3">'
        '<Coding guid="CE"><CodeRef targetGUID="C-0"/></Coding></PlainTextSelection>'
        '<PlainTextSelection guid="N" startPosition="0" endPosition="7"/>'
        '<PlainTextSelection guid="G" startPosition="0" endPosition="7">'
        '<Coding guid="CG"><CodeRef targetGUID="C-404"/></Coding></PlainTextSelection>'
        "</TextSource>"
    )
    result = read_qdpx(nvivo_like(tmp_path / "n.qdpx", extra_sources=extra))
    assert {k: len(v) for k, v in result.skipped.items()} == {
        qdpx.EMPTY: 1,
        qdpx.NOT_CODED: 1,
        qdpx.UNKNOWN_CODE: 1,
    }
    assert result.imported_selections == 2
    summary = result.summary()
    assert "selections skipped: 2" in summary and "  empty: 1" in summary
    assert "codings skipped (coding refers to a code not in the codebook): 1" in summary


def test_positions_option_forces_a_counting_and_rejects_unknown_ones(tmp_path, capsys):
    export = nvivo_like(tmp_path / "n.qdpx", counting=Counting("utf8"))
    command = ["import-qdpx", str(export), "--site", "pakis", "--out", str(tmp_path / "o")]
    assert cli.main([*command, "--positions", "utf8/as-stored"]) == 0
    assert "positions in UTF-8 bytes" in capsys.readouterr().out
    assert cli.main([*command, "--force", "--positions", "bytes"]) == 2
    assert "--positions must be one of codepoint/as-stored" in capsys.readouterr().err


def test_with_force_a_study_joins_a_folder_keeping_the_other_studies(tmp_path, capsys):
    from analysis.data.csvfile import read_csv_text

    out = tmp_path / "data"
    first = nvivo_like(tmp_path / "a.qdpx")
    assert cli.main(["import-qdpx", str(first), "--site", "site-a", "--out", str(out)]) == 0
    text = HUNGARIAN.replace("A Politikusoknak", "B Politikusoknak")
    second = nvivo_like(
        tmp_path / "b.qdpx", text=text, passages=("B Politikusoknak kötelező", "Ez a lényeg.")
    )
    command = ["import-qdpx", str(second), "--site", "site-b", "--out", str(out), "--force"]
    assert cli.main(command) == 0
    assert "kept 3 rows of other studies" in capsys.readouterr().out
    segments = read_csv_text(out / "study" / "segments.csv", "segments").frame
    assert segments.groupby("site")["text"].apply(set).to_dict() == {
        "site-a": set(PASSAGES),
        "site-b": {"B Politikusoknak kötelező", "Ez a lényeg."},
    }
    codes = read_csv_text(out / "study" / "codebook.csv", "codebook").frame["code"]
    assert sorted(codes) == ["essence", "listening"]  # kept once, not twice
    assert cli.main(command) == 0  # again: site-b's rows replaced, not added twice
    assert len(read_csv_text(out / "study" / "segments.csv", "segments").frame) == 6
