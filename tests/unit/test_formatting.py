"""One way to write numbers: counts, shares, p-values and Rupiah, from Babel's locale data."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import formatting as fmt

NBSP = "\u00a0"


def test_counts_have_thousands_separators_and_no_decimals():
    assert fmt.integer(1204) == "1,204"
    assert fmt.integer(np.int64(7)) == "7"
    assert fmt.integer(3.0) == "3"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_read_like_pythons_own_grouping_in_english(value):
    assert fmt.integer(value) == f"{value:,}"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 4))
def test_decimals_round_the_number_as_written_half_to_even(value, digits):
    """Babel rounds the shortest decimal form of a float (2.675 -> 2.68), half to even."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    expected = f"{abs(exact):,.{digits}f}"
    assert fmt.number(value, digits).removeprefix("-") == expected


def test_halves_round_to_even():
    assert [fmt.number(v) for v in (0.5, 1.5, 2.5)] == ["0", "2", "2"]
    assert fmt.number(2.675, 2) == "2.68"


def test_shares_are_written_with_a_space_before_the_percent_sign():
    assert fmt.percent(71) == f"71{NBSP}%"
    assert fmt.percent(35.46, 1) == f"35.5{NBSP}%"
    assert fmt.share(0.714) == f"71{NBSP}%"


def test_indonesian_shares_are_written_without_a_space_before_the_percent_sign():
    """EYD and CLDR's Indonesian pattern: "40,1%"."""
    assert fmt.percent(40.12, 1, locale="id_ID") == "40,1%"
    assert fmt.share(0.714, locale="id_ID") == "71%"
    assert fmt.percent_sign("id_ID") == "%" and fmt.percent_sign("en") == f"{NBSP}%"


def test_p_values_have_three_significant_digits():
    assert fmt.p_value(0.0039062) == "0.00391"
    assert fmt.p_value(0.5) == "0.500"
    assert fmt.p_value(0.04) == "0.0400"
    assert fmt.p_value(1.0) == "1.00"
    assert fmt.p_value(0.001) == "0.00100"


def test_p_values_below_the_floor_read_less_than_0_001():
    assert fmt.p_value(0.000999) == f"<{NBSP}0.001"
    assert fmt.p_value(0.0) == f"<{NBSP}0.001"
    assert fmt.p_clause(1e-9) == f"p <{NBSP}0.001"
    assert fmt.p_clause(0.0312) == "p = 0.0312"


def test_a_p_value_outside_0_1_is_an_error():
    with pytest.raises(ValueError, match="between 0 and 1"):
        fmt.p_value(1.5)


def test_rupiah_are_whole_with_the_symbol_first():
    assert fmt.rupiah(1250000) == f"Rp{NBSP}1,250,000"
    assert fmt.rupiah(np.int64(500)) == f"Rp{NBSP}500"
    assert fmt.rupiah(-40000.4) == f"-Rp{NBSP}40,000"
    assert fmt.rupiah(-0.2) == f"Rp{NBSP}0"  # no "-Rp 0"


def test_signed_changes_show_their_sign():
    assert fmt.signed(4.2, 2) == "+4.20"
    assert fmt.signed(-1.049, 2) == "-1.05"
    assert fmt.signed(0.001, 2) == "0.00"


@pytest.mark.parametrize("empty", [None, math.nan, np.nan, pd.NA, pd.NaT])
def test_missing_values_are_empty_cells(empty):
    for function in (fmt.integer, fmt.percent, fmt.share, fmt.p_value, fmt.rupiah, fmt.decimal):
        assert function(empty) == ""


def test_text_is_not_a_number():
    with pytest.raises(TypeError):
        fmt.integer("12")
    with pytest.raises(TypeError):
        fmt.rupiah(True)


def test_the_locale_switches_separators_for_another_edition():
    assert fmt.integer(1250000, locale="id") == "1.250.000"
    assert fmt.p_value(0.0039062, locale="id") == "0,00391"
    assert fmt.rupiah(1250000, locale="id") == f"Rp{NBSP}1.250.000"


def test_formats_are_found_by_name_and_unknown_names_are_refused():
    assert fmt.formatter("rupiah") is fmt.rupiah
    assert fmt.formatter(str) is str
    with pytest.raises(ValueError, match="unknown number format"):
        fmt.formatter("dollars")


def test_whole_numbers_are_recognised():
    assert fmt.is_whole(3) and fmt.is_whole(3.0) and fmt.is_whole(np.float64(-2))
    assert not fmt.is_whole(3.5) and not fmt.is_whole(math.nan) and not fmt.is_whole(True)
