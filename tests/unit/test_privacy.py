"""Text that looks like personal data is found and located (file, line, column)."""

import pandas as pd
import pytest

from analysis.data.privacy import find_personal_data, scan_for_personal_data


@pytest.mark.parametrize(
    "text, kind",
    [
        ("NIK 3517012345670001 tercatat", "a 16-digit NIK"),
        ("hubungi 0812-3456-7890", "an Indonesian phone number"),
        ("WA +62 812 3456 7890", "an Indonesian phone number"),
        ("telp 081234567890", "an Indonesian phone number"),
        ("email: ibu.sari@example.co.id", "an e-mail address"),
    ],
)
def test_personal_data_patterns_are_recognised(text, kind):
    assert kind in {what for what, _ in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Pendapatan naik Rp 1.250.000 per bulan",
        "PKS-R01",
        "tahun 2017",
        "RW 02",
        "Rp 300.000 - 500.000",
        "kode 3517",
    ],
)
def test_ordinary_study_text_is_not_flagged(text):
    assert find_personal_data(text) == []


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
    assert problem.line == 12 and problem.value == "x@y.org"


def test_scan_of_a_million_ids_without_personal_data_finds_nothing():
    ids = pd.DataFrame({"household_id": [f"H{i:07d}" for i in range(1_000_000)]})
    assert scan_for_personal_data({"households.csv": ids}) == []


def test_decimal_numbers_are_not_taken_for_nik_or_phone_numbers():
    from analysis.data.privacy import find_personal_data

    for number in ("0.3235294117647059", "0.8123456789", "12.3456789012345678", "62.81234567"):
        assert find_personal_data(number) == [], number
    assert find_personal_data("NIK 3517012345678901") == [("a 16-digit NIK", "3517012345678901")]
    assert find_personal_data("hubungi 0812-3456-7890")[0][0] == "an Indonesian phone number"
