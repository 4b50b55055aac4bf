"""Indonesian money texts are read as whole Rupiah; ambiguous ones are refused, never guessed."""

import pandas as pd
import pytest

from analysis.data.money import MoneyError, all_plain_digits, parse_rupiah, parse_rupiah_series


@pytest.mark.parametrize(
    "text, rupiah",
    [
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp 1.250.000", 1_250_000),
        ("Rp1.250.000,00", 1_250_000),
        ("1.250.000,-", 1_250_000),
        ("Rp. 750.000", 750_000),
        ("rp 2.000.000", 2_000_000),
        ("Rp 1.250", 1_250),  # the Rupiah marker settles the convention
        ("-1.250.000", -1_250_000),  # parsed; the range check reports it
    ],
)
def test_money_parser_reads_indonesian_notation_as_whole_rupiah(text, rupiah):
    assert parse_rupiah(text) == rupiah


@pytest.mark.parametrize("text", ["1.250", "12.500"])
def test_money_parser_rejects_ambiguous_thousands(text):
    with pytest.raises(MoneyError, match="ambiguous"):
        parse_rupiah(text)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1,5", "not whole Rupiah"),
        ("1.250.000,50", "not whole Rupiah"),
        ("1,250,000", "ambiguous"),
        ("satu juta", "not a Rupiah amount"),
        ("1.25.000", "not a Rupiah amount"),
    ],
)
def test_money_parser_rejects_decimals_and_foreign_separators(text, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_rupiah(text)


def test_money_series_parser_agrees_with_scalar_parser_and_names_rejected_cells():
    texts = pd.Series(
        ["900000", "Rp 1.250.000", None, "1.250", "1.250.000,-", "1,5", "Rp1.100.000,00"],
        index=[2, 3, 4, 5, 6, 7, 8],
    )
    values, errors = parse_rupiah_series(texts)
    assert values.dtype == "Int64"
    assert values.tolist() == [900_000, 1_250_000, pd.NA, pd.NA, 1_250_000, pd.NA, 1_100_000]
    assert list(errors.index) == [5, 7]
    assert "ambiguous" in errors[5] and "not whole Rupiah" in errors[7]


def test_money_series_fast_path_only_for_plain_digits():
    assert all_plain_digits(pd.Series(["1", "250000"]))
    assert not all_plain_digits(pd.Series(["1", None]))
    assert not all_plain_digits(pd.Series(["1", "1.000"]))
    assert not all_plain_digits(pd.Series(["\u0663"]))  # Arabic-Indic three is not an ASCII digit
    values, errors = parse_rupiah_series(pd.Series(["\u0663"]))
    assert values.isna().all() and len(errors) == 1


def test_one_dot_group_is_thousands_in_a_decimal_comma_file():
    assert parse_rupiah("900.000", decimal_comma=True) == 900_000
    values, errors = parse_rupiah_series(pd.Series(["900.000", "1,5"]), decimal_comma=True)
    assert values[0] == 900_000 and list(errors.index) == [1]


def test_a_cell_holding_a_nul_byte_shifts_no_other_cell():
    import pandas as pd

    from analysis.data.money import all_plain_digits, parse_rupiah_series, plain_digit_mask

    cells = pd.Series(["1\x002", "900000", "x\x00", "5"], dtype="object")
    assert not all_plain_digits(cells)
    assert plain_digit_mask(cells).tolist() == [False, True, False, True]
    amounts, errors = parse_rupiah_series(cells)
    assert amounts.tolist()[1::2] == [900000, 5] and list(errors.index) == [0, 2]
