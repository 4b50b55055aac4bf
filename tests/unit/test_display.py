"""What chapters show: glued values and tables that render in HTML and in the PDF."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd

from analysis import chapter as display


def shown_table(frame: pd.DataFrame, **options):
    captured = []
    with mock.patch.object(display, "display", captured.append):
        display.table(frame, **options)
    return captured[0]


def test_table_headers_read_as_words_so_the_pdf_can_wrap_them():
    rendered = shown_table(pd.DataFrame({"income_before": [1], "percent_agreement": [0.5]}))
    header = rendered._repr_markdown_().splitlines()[0]
    assert header == "| income before | percent agreement |"
    assert "<th>income before</th>" in rendered._repr_html_()


def test_table_shows_booleans_as_yes_no_and_whole_floats_without_decimals():
    frame = pd.DataFrame({"rank": [20.0, np.nan], "share": [0.125, 0.5], "selected": [True, False]})
    rows = shown_table(frame)._repr_markdown_().splitlines()[2:]
    assert rows == ["| 20 | 0.12 | yes |", "|  | 0.50 | no |"]


def test_markdown_table_escapes_pipes_and_newlines():
    rows = shown_table(pd.DataFrame({"text": ["a|b\nc"]}))._repr_markdown_().splitlines()
    assert rows[2] == "| a\\|b c |"


def test_plain_converts_numpy_scalars_for_glue_and_results():
    assert display.plain(np.float64(1.5)) == 1.5 and type(display.plain(np.float64(1.5))) is float
    assert type(display.plain(np.int64(3))) is int
    assert display.plain(np.bool_(True)) is True
    assert display.plain(float("nan")) is None
    assert display.plain({"a": [np.int32(1)]}) == {"a": [1]}
