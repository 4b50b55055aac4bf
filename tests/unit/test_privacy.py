"""Text that looks like personal data is found, located (file, line, column) and never echoed
(the scanner over large corpora of identifiers and pictures: tests/integration/test_privacy_corpora.py)."""

import base64
import html
import json

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.util import texescape

from analysis.data.privacy import (
    EMAIL,
    NIK,
    PHONE,
    find_hits,
    find_personal_data,
    fold,
    is_nik,
    mask,
    scan_built_files,
    scan_for_personal_data,
)
from analysis.data.validate import validate_directory
from analysis.project import PROJECT_ROOT
from support.data_fixtures import STUDY_TEXT, write_study
from support.random_corpora import random_pngs

# A NIK with a valid structure: East Java (35), Jombang (17), district 01, a woman born on
# 5 August 1990 (day 05 + 40 = 45), serial 0001.
WOMAN_NIK = "3517014508900001"


def kinds(text):
    return {kind for kind, _ in find_personal_data(text)}


NIK_FORMS = [
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
]


@pytest.mark.parametrize("text", NIK_FORMS)
def test_a_nik_is_found_with_spaces_dots_or_dashes(text):
    assert kinds(text) == {NIK}


PHONE_FORMS = [
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
]


@pytest.mark.parametrize("text", PHONE_FORMS)
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


CLEAN_TEXTS = [
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
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
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


# ----------------------------------------------------------------- personal data in disguise
# A NIK with a valid structure: Banyuwangi (35 10), district 01, a woman born on 5 January 1988
# (day 05 + 40 = 45), serial 0017; written as word processors, copy-paste and evasion leave it.
DISGUISED_NIK = "3510014501880017"
FULL_WIDTH = {ord(d): 0xFF10 + int(d) for d in "0123456789"}
ARABIC_INDIC = {ord(d): 0x0660 + int(d) for d in "0123456789"}
PERSIAN = {ord(d): 0x06F0 + int(d) for d in "0123456789"}
DEVANAGARI = {ord(d): 0x0966 + int(d) for d in "0123456789"}

DISGUISES = {
    "zero-width spaces between the groups": ("3510\u200b0145\u200b0188\u200b0017", NIK),
    "word joiners and a soft hyphen": ("3510\u20600145\u00ad0188\u20600017", NIK),
    "full-width digits": ("3510 0145 0188 0017".translate(FULL_WIDTH), NIK),
    "Arabic-Indic digits": ("3510 0145 0188 0017".translate(ARABIC_INDIC), NIK),
    "Persian digits, unbroken": (DISGUISED_NIK.translate(PERSIAN), NIK),
    "Devanagari digits with dots": ("35.10.01.450188.0017".translate(DEVANAGARI), NIK),
    "en dashes": ("3510\u20130145\u20130188\u20130017", NIK),
    "em dashes": ("3510\u20140145\u20140188\u20140017", NIK),
    "minus signs": ("3510\u22120145\u22120188\u22120017", NIK),
    "non-breaking hyphens": ("351001\u2011450188\u20110017", NIK),
    "no-break, thin and narrow spaces": ("3510\u00a00145\u20090188\u202f0017", NIK),
    "mixed separators": ("3510 0145.0188-0017", NIK),
    "en dashes between spaces": ("3510 \u2013 0145 \u2013 0188 \u2013 0017", NIK),
    "full-width digits and an ideographic space": (
        "351001\u3000450188\u30000017".translate(FULL_WIDTH),
        NIK,
    ),
    "a phone number with zero-width non-joiners": ("0812\u200c3456\u200c7890", PHONE),
    "a phone number in full-width digits and hyphens": (
        "0812\uff0d3456\uff0d7890".translate(FULL_WIDTH),
        PHONE,
    ),
    "a phone number with no-break spaces": ("+62\u00a0812\u00a03456\u00a07890", PHONE),
    "a phone number in Arabic-Indic digits": ("0812 3456 7890".translate(ARABIC_INDIC), PHONE),
    "an e-mail address with [at] and [dot]": ("budi.santoso [at] gmail [dot] com", EMAIL),
    "an e-mail address with (at) and (dot)": ("budi.santoso(at)gmail(dot)com", EMAIL),
    "an e-mail address with at and dot as words": ("budi.santoso at gmail dot com", EMAIL),
    "an e-mail address with AT and DOT, .co.id": ("budi_s AT ugm DOT ac DOT id", EMAIL),
    "an e-mail address with at before a mail provider": ("budi.santoso at gmail.com", EMAIL),
    "an e-mail address with {at}": ("budi {at} mail.ugm.ac.id", EMAIL),
    "an e-mail address with @ and [titik]": ("budi@gmail[titik]com", EMAIL),
    "an e-mail address with a full-width @": ("budi.santoso\uff20gmail.com", EMAIL),
}
# Text around a disguise that shifts positions when folded: a soft hyphen, a zero-width space, a
# full-width letter, an em dash.
BEFORE, AFTER = "Cata\u00adtan\u200b \uff21 \u2014 ", " (dicatat)."


def case(name):
    return pytest.param(*DISGUISES[name], id=name)


@pytest.mark.parametrize(("disguise", "kind"), [case(name) for name in DISGUISES])
def test_personal_data_in_any_unicode_disguise_is_found_where_it_stands(disguise, kind):
    text = BEFORE + disguise + AFTER
    [hit] = find_hits(text)
    assert hit.kind == kind
    assert (hit.start, hit.end, hit.text) == (len(BEFORE), len(BEFORE) + len(disguise), disguise)
    # masked: at most the first two and last two digits of the number are shown
    assert sum(c.isdigit() for c in hit.masked) <= 4
    assert len(hit.masked) == len(disguise)


def test_folding_reads_digits_of_every_script_dashes_and_spaces_and_drops_format_characters():
    folded, starts = fold("a\u200b\uff13\u0665\u2013\u00a0\u2212x")
    assert folded == "a35- -x"
    assert starts == [0, 2, 3, 4, 5, 6, 7, 8]  # where each character was, then the end
    assert fold("plain ASCII") == ("plain ASCII", None)


DIGIT_SCRIPTS = [{}, FULL_WIDTH, ARABIC_INDIC, PERSIAN, DEVANAGARI]
VISIBLE = [" ", ".", "-", "\u2013", "\u2014", "\u2212", "\u00a0", "\u2009", " \u2013 ", " - "]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@settings(max_examples=60, deadline=None)
@given(
    script=st.sampled_from(DIGIT_SCRIPTS),
    visible=st.booleans(),
    gaps=st.lists(st.integers(0, 9), min_size=3, max_size=3),
    hidden=st.lists(st.tuples(st.integers(0, 15), st.sampled_from(INVISIBLE)), max_size=4),
)
def test_a_nik_is_found_however_its_groups_are_separated_and_its_digits_written(
    script, visible, gaps, hidden
):
    groups = [DISGUISED_NIK[i : i + 4] for i in range(0, 16, 4)]
    for position, char in sorted(hidden, reverse=True):  # invisible characters inside the groups
        g, i = divmod(position, 4)
        groups[g] = groups[g][: i + 1] + char + groups[g][i + 1 :]
    separators = [(VISIBLE if visible else INVISIBLE)[g % (10 if visible else 6)] for g in gaps]
    number = groups[0] + "".join(s + g for s, g in zip(separators, groups[1:], strict=True))
    number = number.translate(script)
    [hit] = find_hits(f"Ibu itu {number} tinggal di RT 03")
    assert hit.kind == NIK and hit.text == number


def write_segment(root, text):
    quoted = '"' + text.replace('"', '""') + '"'
    segments = STUDY_TEXT["segments.csv"].replace("Saya beli alat", quoted)
    return write_study(root, {"segments.csv": segments})


@pytest.mark.parametrize(("disguise", "kind"), [case(name) for name in DISGUISES])
def test_validate_refuses_every_disguise_and_masks_it(tmp_path, disguise, kind):
    report = validate_directory(write_segment(tmp_path, f"Hubungi {disguise} ya"))
    [problem] = [p for p in report.problems if "personal data" in p.expected]
    assert (problem.file, problem.line, problem.column) == ("study/segments.csv", 4, "text")
    assert kind in problem.expected
    assert disguise not in problem.value and find_hits(disguise)[0].masked in problem.value


FORMS = [
    *[(text, NIK) for text in NIK_FORMS],
    *[(text, PHONE) for text in PHONE_FORMS],
    ("email: ibu.sari@example.co.id", EMAIL),
    *[(f"Hubungi {disguise}", kind) for disguise, kind in DISGUISES.values()],
]


@pytest.mark.parametrize(("text", "kind"), FORMS)
def test_the_built_site_scan_finds_every_form_in_pages_sources_and_search_index(
    tmp_path, text, kind
):
    """In HTML as written (entities for markup characters), in a notebook of _sources (JSON,
    with or without \\u escapes), in searchindex.js (JSON with \\u escapes) and in the LaTeX
    build (escaped as Sphinx escapes text: ``\\sphinxhyphen{}``, ``{[}at{]}``)."""
    page = f"<html>\n<p>{html.escape(text)}</p>\n</html>\n"
    notebook = {"cells": [{"cell_type": "markdown", "source": [text]}]}
    (tmp_path / "_sources").mkdir()
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (tmp_path / "_sources" / "a.ipynb").write_text(
        json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "_sources" / "b.ipynb").write_text(json.dumps(notebook, indent=1))
    (tmp_path / "searchindex.js").write_text(f"Search.setIndex({json.dumps({'t': [text]})})")
    (tmp_path / "latex").mkdir()
    texescape.init()
    tex = f"\\begin{{document}}\n{texescape.escape(text, 'xelatex')}\n\\end{{document}}\n"
    (tmp_path / "latex" / "book.tex").write_text(tex, encoding="utf-8")
    findings = scan_built_files(tmp_path)
    assert [(str(f.file), f.kind) for f in findings] == [
        ("_sources/a.ipynb", kind),
        ("_sources/b.ipynb", kind),
        ("latex/book.tex", kind),
        ("page.html", kind),
        ("searchindex.js", kind),
    ]
    [hit] = find_hits(text)
    in_page = next(f for f in findings if f.file.name == "page.html")
    assert (in_page.line, in_page.column) == (
        2,
        len("<p>") + len(html.escape(text[: hit.start])) + 1,
    )
    assert all(hit.text not in str(f) for f in findings)


# ------------------------------------------------------------------ what is not text
def test_an_identifier_is_not_a_phone_number_nor_a_nik():
    for text in [
        "85e31d3f-0412-3456-89dd-ae1dc08369e5",
        "{85E31D3F-0812-3456-7890-081234567890}",
        "segmen 3f2a9c80-8123-4567-8901-234567890123 dipilih",
        "sel-4a1b-0812345678901",
        "nvivo_85e31d3f_081234567890",
    ]:
        assert find_personal_data(text) == [], text
    # a word before a number is not an identifier
    assert kinds("WA-0812-3456-7890") == {PHONE}
    assert kinds("NIK3517-0145-0890-0001") == {NIK}


def test_the_text_around_a_picture_is_still_read(tmp_path):
    png = base64.b64encode(random_pngs(1)[0]).decode()
    (tmp_path / "page.html").write_text(
        f'<img alt="hubungi 0812 3456 7890" src="data:image/png;base64,{png}"/>'
    )
    output = {"data": {"image/png": png, "text/plain": ["NIK 3510 0145 0188 0017"]}}
    (tmp_path / "c.ipynb").write_text(json.dumps({"cells": [{"outputs": [output]}]}, indent=1))
    notebook = (tmp_path / "c.ipynb").read_text().splitlines()
    [line] = [i for i, text in enumerate(notebook, start=1) if "NIK" in text]
    column = notebook[line - 1].index("3510") + 1
    assert [(str(f.file), f.line, f.column, f.kind) for f in scan_built_files(tmp_path)] == [
        ("c.ipynb", line, column, NIK),
        ("page.html", 1, len('<img alt="hubungi ') + 1, PHONE),
    ]


def test_the_shipped_study_data_hold_no_personal_data():
    data = PROJECT_ROOT / "data"
    frames = {
        str(path.relative_to(data)): pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted(data.rglob("*.csv"))
    }
    assert len(frames) >= 10
    assert scan_for_personal_data(frames) == []
    assert scan_built_files(data) == []
