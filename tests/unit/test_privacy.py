"""Text that looks like personal data is found, located (file, line, column) and never echoed."""

import pandas as pd
import phonenumbers
import pytest

from analysis.data.privacy import (
    EMAIL,
    NIK,
    PHONE,
    find_hits,
    find_personal_data,
    is_nik,
    mask,
    scan_built_files,
    scan_for_personal_data,
)

# A NIK with a valid structure: East Java (35), Jombang (17), district 01, a woman born on
# 5 August 1990 (day 05 + 40 = 45), serial 0001.
WOMAN_NIK = "3517014508900001"


def kinds(text):
    return {kind for kind, _ in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        # the forms the issue found published
        "NIK 3517 0123 4567 8901",
        "NIK 3517-0123-4567-8901",
        "NIK 3517012345670001 tercatat",
        "No. KTP: 3517.0123.4567.8901",
        "NIK3517012345670001",
        "ktp:3517 01 23 4567 8901",
        # structurally valid numbers need no keyword, however they are grouped
        f"ibu {WOMAN_NIK} tinggal di RW 02",
        "ibu 3517 0145 0890 0001",
        "ibu 3517-0145-0890-0001",
        "ibu 35.17.01.450890.0001",
        "ibu 351701 450890 0001",
    ],
)
def test_a_nik_is_found_with_spaces_dots_or_dashes(text):
    assert kinds(text) == {NIK}


@pytest.mark.parametrize(
    "text",
    [
        "tel.081234567890",
        "hp6281234567890",
        "hp62812 3456 7890",
        "+62 (812) 3456-7890",
        "WA 0812-3456-7890",
        "WA:+6281234567890",
        "hubungi 62 812 3456 7890 ya",
        "0812.3456.7890",
        "telp 081234567890",
        "Hp. 0812 3456 7890",
        "kantor (0321) 861234",
    ],
)
def test_an_indonesian_phone_number_is_found_in_every_form(text):
    assert kinds(text) == {PHONE}


def test_phone_numbers_are_the_ones_phonenumbers_parses_for_indonesia():
    [hit] = find_hits("WA +62 (812) 3456-7890")
    parsed = phonenumbers.parse(hit.text, "ID")
    assert parsed.country_code == 62 and phonenumbers.is_valid_number(parsed)


def test_an_email_address_is_found():
    assert kinds("email: ibu.sari@example.co.id") == {EMAIL}


def test_the_nik_structure_is_checked():
    assert is_nik(WOMAN_NIK)
    assert is_nik("3517010508900001")  # a man: day 05
    assert not is_nik("9917014508900001")  # 99 is no province
    assert not is_nik("3500014508900001")  # regency 00
    assert not is_nik("3517013208900001")  # day 32
    assert not is_nik("3517017208900001")  # day 72 (a woman's day is at most 31 + 40)
    assert not is_nik("3517014513900001")  # month 13
    assert not is_nik("3517014508900000")  # serial 0000
    # 16 digits of the wrong structure, without the word NIK, are not taken for one
    assert find_personal_data("nilai 9917014508900001") == []


@pytest.mark.parametrize(
    "text",
    [
        "Pendapatan naik Rp 1.250.000 per bulan",
        "Rp 1.250.000 - 2.500.000",
        "1.250.000,-",
        "PKS-R01",
        "tahun 2017",
        "RW 02",
        "kode 3517 tahun 2015",
        "area_code 3517 3510 3578",
        "20170801",
        "bootstrap_seed = 20170801, bootstrap_resamples = 9999",
        "0.3235294117647059",
        "0.8123456789",
        "12.3456789012345678",
        "62.81234567",
        "0.321123456",
        "p0 = 10.79, 11.28, 12.07, 13.11",
        "sha256 3f2a9c8081234567890123456789012345678901234567890123456789abcd",
        "H0000001 H0000002 H1234567890123456",
        "1250000 2500000 3750000",
        "garis kemiskinan 354.386 Rupiah/kapita/bulan, 2016-2017",
    ],
)
def test_ordinary_study_and_book_text_is_not_flagged(text):
    assert find_personal_data(text) == []


def test_a_report_masks_the_number():
    assert mask("081234567890") == "08••••••••90"
    [problem] = scan_for_personal_data(
        {"segments.csv": pd.DataFrame({"text": ["Nomor saya 0812 3456 7890, ya"]})}
    )
    assert "3456" not in str(problem) and "0812 3456 7890" not in problem.value
    assert problem.value == "Nomor saya 08•• •••• ••90, ya"


def test_scan_names_file_line_and_column_of_personal_data():
    segments = pd.DataFrame(
        {
            "segment_id": ["S1", "S2", "S3"],
            "text": ["Modal untuk bahan baku", "Nomor saya 0812 3456 7890", "NIK 3517012345670001"],
        }
    )
    problems = scan_for_personal_data({"study/segments.csv": segments})
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("study/segments.csv", 3, "text"),
        ("study/segments.csv", 4, "text"),
    ]
    assert "phone" in problems[0].expected and "NIK" in problems[1].expected


def test_scan_uses_line_index_when_frame_carries_file_lines():
    frame = pd.DataFrame({"note": ["ok", "x@y.org"]}, index=pd.Index([7, 12], name="line"))
    [problem] = scan_for_personal_data({"f.csv": frame})
    assert problem.line == 12 and EMAIL in problem.expected


def test_each_text_is_scanned_on_its_own_so_a_nul_byte_shifts_nothing():
    # Joined with NUL, the old scan checked the wrong texts after a cell holding a NUL byte.
    frame = pd.DataFrame(
        {"text": ["a\x00b", "x\x00", "\x00", "NIK 3517012345670001", "hubungi 081234567890"]}
    )
    problems = scan_for_personal_data({"f.csv": frame})
    assert [p.line for p in problems] == [5, 6]


def test_scan_of_a_million_ids_without_personal_data_finds_nothing():
    ids = pd.DataFrame({"household_id": [f"H{i:07d}" for i in range(1_000_000)]})
    assert scan_for_personal_data({"households.csv": ids}) == []


def test_built_files_are_scanned_line_by_line_and_reported_masked(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "q.html").write_text(
        "<p>Rp 1.250.000</p>\n<p>quote: hubungi <b>tel.081234567890</b></p>\n", encoding="utf-8"
    )
    (tmp_path / "searchindex.js").write_text('Search.setIndex({"t":"NIK 3517 0123 4567 8901"})')
    (tmp_path / "_downloads").mkdir()
    (tmp_path / "_downloads" / "s.csv").write_text("id,text\n1,mail sari@example.org\n")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.js").write_text("var x=[0812.3456.7890]")  # theme assets
    findings = scan_built_files(tmp_path)
    assert [(str(f.file), f.line, f.column, f.kind) for f in findings] == [
        ("_downloads/s.csv", 2, 8, EMAIL),
        ("chapters/q.html", 2, 26, PHONE),
        ("searchindex.js", 1, 27, NIK),
    ]
    assert all("4567" not in str(f) and "3456" not in str(f) for f in findings)


def test_a_latex_build_is_scanned_in_its_text_not_in_the_tex_packages_it_ships(tmp_path):
    (tmp_path / "sphinx.sty").write_text("% maintainer: sphinx-dev@googlegroups.com\n")
    (tmp_path / "Makefile").write_text("# bugs to someone@example.org\n")
    (tmp_path / "book.out").write_text("\\BOOKMARK [0][-]{chapter.1}{\\376\\377\\0000\\0004}\n")
    (tmp_path / "book.log").write_text(
        "(/usr/share/texmf/tex/latex/x.sty 2021/01/15 0812-3456-7890)\n"
    )
    (tmp_path / "book.tex").write_text("Hubungi saya di sari@example.org.\n")
    assert [(str(f.file), f.kind) for f in scan_built_files(tmp_path)] == [("book.tex", EMAIL)]
