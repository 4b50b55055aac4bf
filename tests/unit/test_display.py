"""What chapters show: glued values, tables, downloads and figures that render in HTML and PDF."""

from __future__ import annotations

import re
from unittest import mock

import matplotlib
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import chapter as display
from analysis import figures

matplotlib.use("Agg")


def shown_table(frame: pd.DataFrame, **options):
    captured = []
    with mock.patch.object(display, "display", captured.append):
        display.table(frame, **options)
    return captured[0]


def markdown_rows(rendered) -> list[str]:
    """The pipe table's lines (header, alignment, rows), without the tabularcolumns directive,
    each cell's backslash escapes undone (every cell is literal text, ``analysis.literal``; the
    escapes of bars that the table itself needs are kept: ``a\\|b``)."""
    return [
        re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line)
        for line in rendered._repr_markdown_().splitlines()
        if line.startswith("|")
    ]


def html_cells(rendered) -> tuple[list, list[list]]:
    soup = BeautifulSoup(rendered._repr_html_(), "html.parser")
    header = soup.find("thead").find_all("th")
    rows = [tr.find_all("td") for tr in soup.find("tbody").find_all("tr")]
    return header, rows


def right_aligned(cell) -> bool:
    return "text-align: right" in (cell.get("style") or "")


def test_table_headers_read_as_words_so_the_pdf_can_wrap_them():
    rendered = shown_table(pd.DataFrame({"income_before": [1], "percent_agreement": [0.5]}))
    assert markdown_rows(rendered)[0] == "| income before | percent agreement |"
    header, _ = html_cells(rendered)
    assert [th.get_text() for th in header] == ["income before", "percent agreement"]


def test_table_shows_booleans_as_yes_no_and_whole_floats_without_decimals():
    frame = pd.DataFrame({"rank": [20.0, np.nan], "share": [0.125, 0.5], "selected": [True, False]})
    rows = markdown_rows(shown_table(frame))[2:]
    assert rows == ["| 20 | 0.12 | yes |", "|  | 0.50 | no |"]


def test_markdown_table_escapes_pipes_and_newlines():
    rows = markdown_rows(shown_table(pd.DataFrame({"text": ["a|b\nc"]})))
    assert rows[2] == "| a\\|b c |"


def test_numbers_are_right_aligned_under_right_aligned_headers_in_html():
    frame = pd.DataFrame(
        {"household": ["H1", "H2"], "income": [1250000, 980000], "change": ["+12 %", "-3 %"]}
    )
    header, rows = html_cells(shown_table(frame))
    assert [right_aligned(th) for th in header] == [False, True, True]
    assert all([right_aligned(td) for td in row] == [False, True, True] for row in rows)
    assert [td.get_text() for td in rows[0]] == ["H1", "1,250,000", "+12 %"]


def test_numbers_are_right_aligned_in_the_pdf_through_the_column_spec():
    rendered = shown_table(pd.DataFrame({"household": ["H1"], "income": [1250000]}))
    text = rendered._repr_markdown_()
    assert text.startswith("```{tabularcolumns} LR\n```")
    assert markdown_rows(rendered)[1] == "|---|---:|"


def test_long_tables_get_ragged_columns_that_longtable_understands():
    frame = pd.DataFrame({"id": [f"H{k}" for k in range(40)], "income": range(40)})
    spec = shown_table(frame)._repr_markdown_().splitlines()[0]
    assert r">{\raggedright\arraybackslash}\X{" in spec
    assert r">{\raggedleft\arraybackslash}\X{" in spec
    assert "J" not in spec and "T" not in spec  # no justified cells with gaps


def test_text_columns_stay_left_aligned_even_with_a_digit_inside():
    header, _ = html_cells(shown_table(pd.DataFrame({"cluster": ["RW03", "RW01"]})))
    assert not right_aligned(header[0])


def test_counts_and_ranks_are_integers_with_thousands_separators():
    rows = markdown_rows(shown_table(pd.DataFrame({"rank": [3.0, 12.0], "n": [1204, 7]})))
    assert rows[2:] == ["| 3 | 1,204 |", "| 12 | 7 |"]


def test_years_are_written_without_a_thousands_separator():
    rows = markdown_rows(shown_table(pd.DataFrame({"year": [2015, 2017], "year_after": [2017, 1]})))
    assert rows[2] == "| 2015 | 2017 |"


def test_p_value_columns_have_three_significant_digits_or_a_floor():
    frame = pd.DataFrame({"p (two-sided)": [0.0039062, 0.00001], "wilcoxon_p": [0.5, 0.04]})
    rows = markdown_rows(shown_table(frame))[2:]
    assert rows == ["| 0.00391 | 0.500 |", "| <\u00a00.001 | 0.0400 |"]


def test_chosen_formats_write_rupiah_and_shares():
    frame = pd.DataFrame({"mean_change": [412500.0], "share": [0.714]})
    rows = markdown_rows(shown_table(frame, formats={"mean_change": "rupiah", "share": "share"}))
    assert rows[2] == "| Rp\u00a0412,500 | 71\u00a0% |"


def test_contract_values_read_as_labels_in_tables():
    frame = pd.DataFrame(
        {"component": ["revolving_credit", "direct_aid"], "role": ["kelurahan_official", None]}
    )
    rows = markdown_rows(shown_table(frame))[2:]
    assert rows == ["| revolving credit | kelurahan official |", "| direct aid |  |"]


def test_extra_labels_name_sites_by_their_short_name():
    frame = pd.DataFrame({"site": ["pakis", "jombang"], "n": [11, 32]}).set_index("site")
    rows = markdown_rows(
        shown_table(frame, index=True, labels={"site": {"pakis": "Kelurahan Pakis"}})
    )
    assert rows[0] == "| site | n |"
    assert rows[2:] == ["| Kelurahan Pakis | 11 |", "| jombang | 32 |"]


def test_labelled_index_values_read_as_labels():
    frame = pd.DataFrame({"n": [2]}, index=pd.Index(["regency_official"], name="role"))
    assert markdown_rows(shown_table(frame, index=True))[2] == "| regency official | 2 |"


def test_code_columns_are_shown_as_code():
    rendered = shown_table(
        pd.DataFrame({"field": ["income_before"], "type": ["integer"]}), code=("field",)
    )
    assert markdown_rows(rendered)[2] == "| `income_before` | integer |"
    assert "<td><code>income_before</code></td>" in rendered._repr_html_()


def test_html_cells_are_escaped():
    assert "&lt;b&gt;" in shown_table(pd.DataFrame({"t": ["<b>"]}))._repr_html_()


def test_plain_converts_numpy_scalars_for_glue_and_results():
    assert display.plain(np.float64(1.5)) == 1.5 and type(display.plain(np.float64(1.5))) is float
    assert type(display.plain(np.int64(3))) is int
    assert display.plain(np.bool_(True)) is True
    assert display.plain(float("nan")) is None
    assert display.plain({"a": [np.int32(1)]}) == {"a": [1]}


# --- downloads ----------------------------------------------------------------------------------


def captured_download(tmp_path, monkeypatch, frame, **options):
    monkeypatch.chdir(tmp_path)
    shown = []
    with mock.patch.object(display, "display", shown.append):
        display.download(frame, "incomes", "Incomes", **options)
    return pd.read_csv(tmp_path / "downloads" / "incomes.csv"), shown


def test_every_csv_download_says_which_data_edition_it_holds(tmp_path, monkeypatch):
    frame = pd.DataFrame({"household_id": ["H1", "H2"], "income": [1250000, 980000]})
    written, _ = captured_download(tmp_path, monkeypatch, frame, edition="illustrative")
    assert list(written.columns) == ["household_id", "income", "data_edition"]
    assert set(written["data_edition"]) == {"illustrative"}


def test_csv_downloads_keep_numbers_as_numbers(tmp_path, monkeypatch):
    frame = pd.DataFrame({"income": [1250000, 980000], "share": [0.714, 0.5]})
    written, shown = captured_download(
        tmp_path, monkeypatch, frame, edition="field", formats={"income": "rupiah"}
    )
    assert written["income"].tolist() == [1250000, 980000]
    assert written["share"].tolist() == [0.714, 0.5]
    assert "Rp\u00a01,250,000" in shown[0]._repr_html_()  # the page shows Rupiah, the CSV numbers


def test_a_download_takes_the_edition_the_banner_declared(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "_EDITION", {"edition": None})
    with mock.patch.object(display, "display", lambda *_: None):
        display.banner("illustrative")
    written, _ = captured_download(tmp_path, monkeypatch, pd.DataFrame({"a": [1]}))
    assert written["data_edition"].tolist() == ["illustrative"]


def test_a_download_without_a_known_edition_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(display, "_EDITION", {"edition": None})
    with pytest.raises(ValueError, match="data edition"):
        captured_download(tmp_path, monkeypatch, pd.DataFrame({"a": [1]}))


def test_a_download_shows_only_the_chosen_columns_and_says_the_csv_has_all(tmp_path, monkeypatch):
    frame = pd.DataFrame({"id": ["H1"], "income": [1], "note": ["long"]})
    written, shown = captured_download(
        tmp_path, monkeypatch, frame, edition="field", columns=["id", "income"]
    )
    assert list(written.columns) == ["id", "income", "note", "data_edition"]
    assert markdown_rows(shown[0])[0] == "| id | income |"
    assert "every column" in shown[1].data


def test_a_chosen_column_the_data_lack_is_left_out_not_an_error(tmp_path, monkeypatch):
    # an optional column (business_type) absent from a researcher's households.csv
    frame = pd.DataFrame({"id": ["H1"], "income": [1]})
    written, shown = captured_download(
        tmp_path, monkeypatch, frame, edition="field", columns=["id", "business_type", "income"]
    )
    assert markdown_rows(shown[0])[0] == "| id | income |"


# --- figures ------------------------------------------------------------------------------------


def test_figures_from_illustrative_data_are_marked_in_the_image():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    shown = []
    with mock.patch.object(display, "display", shown.append):
        display.figure(fig, "illustrative")
    assert shown == [fig] and figures.is_marked(fig)


def test_figures_from_field_or_published_data_carry_no_mark():
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    with mock.patch.object(display, "display", lambda *_: None):
        display.figure(fig, "real")
    assert not figures.is_marked(fig)


def test_setup_plots_draws_at_print_size_with_legible_text():
    import matplotlib.pyplot as plt

    display.setup_plots()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], label="a line")
    ax.set(title="A title", xlabel="x", ylabel="y")
    ax.legend()
    assert fig.get_size_inches()[0] == pytest.approx(figures.TEXT_WIDTH_IN)
    assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT
    assert re.fullmatch(r"#[0-9A-F]{6}", figures.palette()[0])
    plt.close(fig)


def test_every_figure_a_notebook_shows_is_fitted_and_marked(monkeypatch):
    """The PNG formatter setup_plots installs fits and marks any figure, whoever displays it."""
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr(display, "_EDITION", {"edition": "illustrative"})
    with mock.patch("IPython.get_ipython", return_value=shell):
        display._show_figures_for_print()
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.tick_params(labelsize=5)
    png = shell.display_formatter.formatters["image/png"](fig)
    assert png and figures.is_marked(fig)
    assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT - 1e-9
    plt.close(fig)


def test_a_download_part_may_choose_the_columns_and_formats_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    frame = pd.DataFrame({"code": ["a"], "prevalence": [0.04], "units": [201]})
    shown = []
    part = (
        "download",
        frame,
        "agreement",
        "Agreement",
        5,
        {"columns": ["code", "prevalence"], "formats": {"prevalence": "share"}},
    )
    with mock.patch.object(display, "display", shown.append):
        display.show([part], edition="illustrative")
    assert markdown_rows(shown[0])[2] == "| a | 4\u00a0% |"
    assert list(pd.read_csv(tmp_path / "downloads" / "agreement.csv").columns) == [
        "code",
        "prevalence",
        "units",
        "data_edition",
    ]
