"""CSV files are read as text cells with the line numbers a person sees in an editor."""

from analysis.data.csvfile import read_csv_text


def test_bom_and_windows_line_ends_are_accepted(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbfcode,theme\r\na,t\r\n\r\nb,u\r\n")
    table = read_csv_text(path, "x.csv")
    assert table.problems == []
    assert list(table.frame.columns) == ["code", "theme"]
    assert table.frame["code"].to_dict() == {
        2: "a",
        4: "b",
    }  # the blank line 3 is skipped, not renumbered


def test_quoted_cells_spanning_lines_keep_later_line_numbers_right(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('id,text\n1,"a\nb\nc"\n2,"say ""hi"""\n3,z\n', encoding="utf-8")
    frame = read_csv_text(path, "x.csv").frame
    assert frame["id"].to_dict() == {2: "1", 5: "2", 6: "3"}
    assert frame.loc[5, "text"] == 'say "hi"'


def test_semicolon_separator_is_detected_and_empty_cells_are_na(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1,5;\n", encoding="utf-8")
    table = read_csv_text(path, "x.csv")
    assert (table.separator, table.decimal_comma) == (";", True)
    assert table.frame.loc[2, "a"] == "1,5" and table.frame["b"].isna().all()


def test_latin1_bytes_are_reported_per_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("id,name\n1,Sur\xe9\n2,ok\n3,J\xfcrgen\n".encode("latin-1"))
    table = read_csv_text(path, "x.csv")
    assert [p.line for p in table.problems] == [2, 4]
    assert table.frame.loc[2, "name"] == "Suré"
