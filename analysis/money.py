"""Indonesian money written the way people write it, read as whole Rupiah.

Accepted: ``1250000``, ``1.250.000``, ``Rp 1.250.000``, ``Rp1.250.000,00``, ``Rp. 1.250.000``,
``1.250.000,-``, ``-1.250.000`` (dots group thousands, a comma starts the (zero) decimals).
Rejected rather than guessed: a single dot group without a Rupiah marker (``1.250`` is 1,250 in
Indonesian and 1.25 in English), decimals (``1,5``, ``1.250.000,50``: not whole Rupiah), English
thousands commas (``1,250,000``), anything else.
"""
from __future__ import annotations

import re

import pandas as pd

#: What an accepted value looks like, for error messages.
EXPECTED = (
    "whole Rupiah such as 1250000, 1.250.000, Rp 1.250.000, Rp1.250.000,00 or 1.250.000,- "
    "(dots group thousands; '1.250' alone is ambiguous: write 1250 or Rp 1.250)"
)

_MONEY = re.compile(
    r"^\s*(?P<neg>-)?\s*(?P<rp>[Rr][Pp]\.?\s*)?(?P<neg2>-)?"
    r"(?P<body>\d{1,3}(?:\.\d{3})+|\d+)"
    r"(?P<suffix>,-|,0+)?\s*$"
)
_SINGLE_GROUP = re.compile(r"^\d{1,3}\.\d{3}$")


class MoneyError(ValueError):
    """A value that is not unambiguously whole Rupiah."""


def _reason(text: str) -> str:
    """Why a text is not accepted (for the message)."""
    stripped = text.strip()
    if _SINGLE_GROUP.match(stripped):
        return "ambiguous: one dot group can be thousands (Indonesian) or decimals (English)"
    if re.match(r"^(?:[Rr][Pp]\.?\s*)?\d[\d.]*,\d*[1-9]\d*$", stripped):
        return "not whole Rupiah (non-zero decimals)"
    if re.match(r"^\d{1,3}(?:,\d{3})+$", stripped):
        return "ambiguous: commas are decimals in Indonesian; use dots or no separator for thousands"
    return "not a Rupiah amount"


def parse_rupiah(text: str) -> int:
    """One money text → whole Rupiah; raises :class:`MoneyError` for anything ambiguous."""
    match = _MONEY.match(str(text))
    if match is None:
        raise MoneyError(f"{text!r}: {_reason(str(text))}; expected {EXPECTED}")
    marked = bool(match["rp"] or match["suffix"])
    if not marked and _SINGLE_GROUP.match(match["body"]):
        raise MoneyError(f"{text!r}: {_reason(match['body'])}; expected {EXPECTED}")
    value = int(match["body"].replace(".", ""))
    return -value if (match["neg"] or match["neg2"]) else value


_NOT_DIGIT = re.compile(r"[^0-9\x00]")


def all_plain_digits(values: pd.Series) -> bool:
    """True when every cell is a non-empty run of ASCII digits (one C-speed scan of the joined text)."""
    try:
        joined = "\x00".join(values.to_numpy())
    except TypeError:  # NA or a non-text cell
        return False
    return len(values) > 0 and "\x00\x00" not in joined and _NOT_DIGIT.search(joined) is None and not (
        joined.startswith("\x00") or joined.endswith("\x00"))


def _digits_to_int(digits: pd.Series):
    """Digit-only texts to int64 (numpy's parser; pandas' to_numeric for values beyond int64)."""
    try:
        return digits.to_numpy().astype("int64")
    except (OverflowError, ValueError):
        return pd.to_numeric(digits).astype("Int64").to_numpy()


def parse_rupiah_series(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_rupiah` for a column of texts.

    Returns ``(rupiah, errors)``: ``rupiah`` is ``Int64`` with NA for empty or rejected cells;
    ``errors`` holds, for the rejected cells only (same index labels), why they were rejected.
    Plain digit strings (the common case) never go through the regular expression.
    """
    text = values.astype("object")
    if all_plain_digits(text):
        return pd.Series(_digits_to_int(text), index=values.index, dtype="Int64"), pd.Series(index=values.index[:0], dtype="object")
    present = text.notna()
    plain = text.fillna("").str.fullmatch(r"[0-9]+")
    result = pd.Series(pd.NA, index=values.index, dtype="Int64")
    if plain.any():
        result[plain] = _digits_to_int(text[plain])
    rest = text[present & ~plain]
    errors = pd.Series(index=rest.index[:0], dtype="object")
    if len(rest):
        parts = rest.str.extract(_MONEY)
        matched = parts["body"].notna()
        marked = parts["rp"].notna() | parts["suffix"].notna()
        ambiguous = matched & ~marked & parts["body"].fillna("").str.match(_SINGLE_GROUP)
        good = matched & ~ambiguous
        if good.any():
            amount = pd.to_numeric(parts.loc[good, "body"].str.replace(".", "", regex=False)).astype("Int64")
            negative = parts.loc[good, "neg"].notna() | parts.loc[good, "neg2"].notna()
            result[amount.index] = amount.where(~negative, -amount)
        bad = rest[~good]
        errors = pd.Series([_reason(v) for v in bad], index=bad.index, dtype="object")
    return result, errors
