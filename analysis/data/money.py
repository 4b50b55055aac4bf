"""Indonesian money written the way people write it, read as whole Rupiah.

Accepted: ``1250000``, ``1.250.000``, ``Rp 1.250.000``, ``Rp1.250.000,00``, ``Rp. 1.250.000``,
``1.250.000,-``, ``-1.250.000`` (dots group thousands, a comma starts the (zero) decimals).
Rejected rather than guessed: a single dot group without a Rupiah marker (``1.250`` is 1,250 in
Indonesian and 1.25 in English), decimals (``1,5``, ``1.250.000,50``: not whole Rupiah), English
thousands commas (``1,250,000``), anything else.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: What an accepted value looks like, for error messages.
EXPECTED = (
    "whole Rupiah such as 1250000, 1.250.000, Rp 1.250.000, Rp1.250.000,00 or 1.250.000,- "
    "(dots group thousands; '1.250' alone is ambiguous: write 1250 or Rp 1.250)"
)

_MONEY = re.compile(
    r"^\s*(?P<neg>-)?\s*(?P<rp>[Rr][Pp]\.?\s*)?(?P<neg2>-)?"
    r"(?P<body>\d{1,3}(?:\.\d{3})+|\d+)"
    r"(?P<suffix>,-|,0+)?\s*$",
    re.ASCII,
)
_SINGLE_GROUP = re.compile(r"^\d{1,3}\.\d{3}$", re.ASCII)


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
        return (
            "ambiguous: commas are decimals in Indonesian; use dots or no separator for thousands"
        )
    return "not a Rupiah amount"


def parse_rupiah(text: str, decimal_comma: bool = False) -> int:
    """One money text → whole Rupiah; raises :class:`MoneyError` for anything ambiguous.

    ``decimal_comma``: the file uses the comma for decimals (a spreadsheet's ``;``-separated
    export in an Indonesian locale), so a dot can only group thousands and ``900.000`` is 900,000.
    """
    match = _MONEY.match(str(text))
    if match is None:
        raise MoneyError(f"{text!r}: {_reason(str(text))}; expected {EXPECTED}")
    marked = bool(match["rp"] or match["suffix"]) or decimal_comma
    if not marked and _SINGLE_GROUP.match(match["body"]):
        raise MoneyError(f"{text!r}: {_reason(match['body'])}; expected {EXPECTED}")
    value = int(match["body"].replace(".", ""))
    return -value if (match["neg"] or match["neg2"]) else value


def all_plain_digits(values: pd.Series) -> bool:
    """True when every cell is a non-empty run of ASCII digits (one numpy pass over the joined text)."""
    try:
        joined = "\x00".join(values.to_numpy()).encode("utf-8")
    except TypeError:  # NA or a non-text cell
        return False
    if (
        len(values) == 0
        or b"\x00\x00" in joined
        or joined.startswith(b"\x00")
        or joined.endswith(b"\x00")
        or not joined
    ):
        return False
    buffer = np.frombuffer(joined, dtype=np.uint8)
    if np.count_nonzero(buffer == 0) != len(values) - 1:  # a cell holds NUL itself: not digits
        return False
    return bool((((buffer >= 48) & (buffer <= 57)) | (buffer == 0)).all())


def plain_digit_mask(values: pd.Series) -> np.ndarray:
    """Boolean array: the cell is a non-empty run of ASCII digits (vectorised over one joined buffer)."""
    texts = values.astype("object").where(values.notna(), "").to_numpy()
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    buffer = np.frombuffer("\x00".join(texts).encode("utf-8"), dtype=np.uint8)
    separators = np.flatnonzero(buffer == 0)
    if len(separators) != len(texts) - 1:  # a cell holds NUL itself: each cell on its own
        return pd.Series(texts, dtype="object").str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
    bounds = np.concatenate(([0], separators + 1))
    lengths = np.diff(np.concatenate((bounds, [len(buffer) + 1]))) - 1
    other = ((buffer < 48) | (buffer > 57)) & (buffer != 0)
    if len(buffer) == 0:
        return np.zeros(len(texts), dtype=bool)
    counts = np.add.reduceat(other.astype(np.int32), np.minimum(bounds, len(buffer) - 1))
    counts[lengths == 0] = 1  # empty cells (reduceat gives the next cell's first byte there)
    return counts == 0


#: Most digits a whole number may have here: 18 digits always fit a 64-bit integer. Longer
#: numbers are rejected with a reason (no OverflowError); the contract's bounds are far lower.
MAX_DIGITS = 18
TOO_LARGE = f"too large: more than {MAX_DIGITS} digits"


def _digits_to_int(digits: pd.Series):
    """Digit-only texts (at most MAX_DIGITS digits each) to int64."""
    return digits.to_numpy().astype("int64")


def too_long(values: pd.Series) -> np.ndarray:
    """Boolean array: the cell holds more than MAX_DIGITS digits (it cannot be an int64)."""
    text = values.astype("object").where(values.notna(), "")
    return (text.astype(str).str.count(r"[0-9]") > MAX_DIGITS).to_numpy()


def parse_rupiah_series(
    values: pd.Series, decimal_comma: bool = False
) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_rupiah` for a column of texts.

    Returns ``(rupiah, errors)``: ``rupiah`` is ``Int64`` with NA for empty or rejected cells;
    ``errors`` holds, for the rejected cells only (same index labels), why they were rejected.
    ``decimal_comma`` as for :func:`parse_rupiah`.
    Plain digit strings (the common case) never go through the regular expression.
    """
    text = values.astype("object")
    huge = too_long(text)
    if huge.any():
        text = text.where(~huge, None)
    if not huge.any() and all_plain_digits(text):
        return pd.Series(_digits_to_int(text), index=values.index, dtype="Int64"), pd.Series(
            index=values.index[:0], dtype="object"
        )
    raw = text.to_numpy()
    amounts = np.zeros(len(raw), dtype=np.int64)
    missing = np.ones(len(raw), dtype=bool)
    plain = plain_digit_mask(text)
    if plain.any():
        amounts[plain] = _digits_to_int(pd.Series(raw[plain]))
        missing[plain] = False
    present = (text.notna() & (text != "")).to_numpy()
    others = np.flatnonzero(present & ~plain)
    reasons: list[str] = []
    bad_positions: list[int] = []
    if len(others):
        rest = pd.Series(raw[others], dtype="object")
        parts = rest.str.extract(_MONEY)
        matched = parts["body"].notna().to_numpy()
        marked = (parts["rp"].notna() | parts["suffix"].notna()).to_numpy() | decimal_comma
        single = parts["body"].fillna("").str.match(_SINGLE_GROUP).to_numpy()
        good = matched & ~(single & ~marked)
        if good.any():
            body = parts.loc[good, "body"].str.replace(".", "", regex=False)
            amount = pd.to_numeric(body).to_numpy(dtype=np.int64)
            negative = (parts.loc[good, "neg"].notna() | parts.loc[good, "neg2"].notna()).to_numpy()
            amounts[others[good]] = np.where(negative, -amount, amount)
            missing[others[good]] = False
        bad_positions = others[~good].tolist()
        reasons = [_reason(v) for v in raw[others[~good]]]
    result = pd.Series(pd.arrays.IntegerArray(amounts, missing), index=values.index)
    huge_positions = np.flatnonzero(huge).tolist()
    order = sorted(
        range(len(bad_positions) + len(huge_positions)),
        key=lambda i: (bad_positions + huge_positions)[i],
    )
    positions = [(bad_positions + huge_positions)[i] for i in order]
    texts = [(reasons + [TOO_LARGE] * len(huge_positions))[i] for i in order]
    return result, pd.Series(texts, index=values.index[positions], dtype="object")
