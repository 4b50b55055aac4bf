"""One way to write numbers for readers: counts, ranks, shares, p-values, Rupiah.

Every number a chapter shows in a table or a generated sentence goes through these functions, so
that the English edition writes "1,250,000", "71 %", "p = 0.00390", "p < 0.001" and
"Rp 1,250,000" everywhere. The digits, separators and signs come from Babel's CLDR data for
the edition's language (:func:`current_locale`, set by :func:`analysis.i18n.use_language`): the
Indonesian edition writes "1.250.000", "0,00390", "Rp 1.250.000" and "9,56 %".
Missing values (``None``, NaN) are written as an empty string, so that a table cell stays empty.

Shares are written as each language writes them: English with a space before the percent sign
(SI style, "71 %"), Indonesian without ("71%", as CLDR's and the EYD's patterns do); the Rupiah symbol is
separated from its amount by a non-breaking space so that a line never ends on "Rp".
CSV downloads never use these functions: they keep numbers as numbers.
"""

from __future__ import annotations

import math
import numbers

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, get_currency_symbol

from analysis import i18n

#: Non-breaking space: between "Rp" and its amount, and between a share and "%".
NBSP = "\u00a0"
#: Smallest p-value written as a number; smaller ones read "< 0.001".
P_FLOOR = 0.001
#: The Rupiah's own symbol (CLDR's Indonesian symbol for IDR): "Rp".
RUPIAH_SYMBOL = get_currency_symbol("IDR", locale="id")


def current_locale() -> str:
    """The Babel locale of the language chapters are written in (``"en"``, ``"id_ID"``)."""
    return i18n.babel_locale()


def date(value, *, locale: str | None = None) -> str:
    """A calendar date in words: ``1 December 2026`` (English), ``1 Desember 2026`` (Indonesian)."""
    if missing(value):
        return ""
    return format_date(value, format="d MMMM y", locale=locale or current_locale())


def conjunction(items: list[str], *, locale: str | None = None) -> str:
    """Items joined as a sentence lists them: "A, B and C" / "A, B, dan C" (CLDR list patterns)."""
    return (
        format_list(list(items), style="standard", locale=locale or current_locale())
        if items
        else ""
    )


def missing(value) -> bool:
    """True for None, NaN and pandas' missing markers: the cell shows nothing."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA (raises), NaT
    except (TypeError, ValueError):
        return True


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected a number, got {value!r}")
    return value


def number(value, digits: int = 0, *, locale: str | None = None) -> str:
    """A number with thousands separators and exactly ``digits`` decimals: ``1,250,000``, ``12.35``."""
    if missing(value):
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    text = format_decimal(_number(value), format=pattern, locale=locale or current_locale())
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]  # -0.4 rounds to "0", not "-0"
    return text


def integer(value, *, locale: str | None = None) -> str:
    """A count or a rank: a whole number, never "3.0" (``12``, ``1,204``)."""
    return number(value, 0, locale=locale)


def signed(value, digits: int = 0, *, locale: str | None = None) -> str:
    """A change with its sign, ``+4.20`` or ``-1.05`` (zero is written without a sign)."""
    text = number(value, digits, locale=locale)
    if text and not missing(value) and value > 0 and text.strip("0.,") != "":
        return "+" + text
    return text


#: What stands between a number and "%" per language (English: a non-breaking space).
PERCENT_SEPARATORS = {"en": NBSP, "id": ""}


def percent_sign(locale: str | None = None) -> str:
    """The percent sign with what precedes it in ``locale``: " %" (English), "%" (Indonesian)."""
    language = (locale or current_locale()).split("_")[0]
    return PERCENT_SEPARATORS.get(language, NBSP) + "%"


def percent(value, digits: int = 0, *, locale: str | None = None) -> str:
    """A share given in percent (0-100) with its sign: ``71 %``, ``35.5 %`` (Indonesian
    ``35,5%``).

    Takes percent, not a fraction: ``percent(71)`` is "71 %" (see :func:`share` for fractions).
    """
    if missing(value):
        return ""
    return number(value, digits, locale=locale) + percent_sign(locale)


def share(fraction, digits: int = 0, *, locale: str | None = None) -> str:
    """A share given as a fraction (0-1) written in percent: ``share(0.71)`` is "71 %"."""
    if missing(fraction):
        return ""
    return percent(100 * _number(fraction), digits, locale=locale)


def p_value(value, *, locale: str | None = None) -> str:
    """A p-value with three significant digits (``0.0390``, ``0.500``), or ``< 0.001``."""
    if missing(value):
        return ""
    value = _number(value)
    if not 0 <= value <= 1:
        raise ValueError(f"a p-value lies between 0 and 1, got {value!r}")
    if value < P_FLOOR:
        return (
            "<" + NBSP + format_decimal(P_FLOOR, format="0.###", locale=locale or current_locale())
        )
    return format_decimal(value, format="@@@", locale=locale or current_locale())


def p_clause(value, *, locale: str | None = None) -> str:
    """``p = 0.0390`` or ``p < 0.001``, for a sentence."""
    text = p_value(value, locale=locale)
    return "p " + text if text.startswith("<") else "p = " + text


def rupiah(value, *, locale: str | None = None) -> str:
    """An amount of money in whole Rupiah: ``Rp 1,250,000`` (``-Rp 40,000`` for a loss)."""
    if missing(value):
        return ""
    value = _number(value)
    amount = number(abs(value), 0, locale=locale)
    sign = "-" if value < 0 and amount.strip("0.,") else ""
    return f"{sign}{RUPIAH_SYMBOL}{NBSP}{amount}"


def shortest(value, *, locale: str | None = None) -> str:
    """A number with no more decimals than it has (up to six) and no grouping, as a title or a
    range quotes it: ``35``, ``2.5`` (Indonesian ``2,5``)."""
    if missing(value):
        return ""
    return format_decimal(_number(value), format="0.######", locale=locale or current_locale())


def decimal(value, digits: int = 2, *, locale: str | None = None) -> str:
    """A measured quantity (a coefficient, an index) with ``digits`` decimals: ``0.43``."""
    return number(value, digits, locale=locale)


#: Formats a table column may ask for by name (see :func:`analysis.chapter.table`).
FORMATS = {
    "integer": integer,
    "rank": integer,
    "number": number,
    "decimal": decimal,
    "percent": percent,
    "share": share,
    "p_value": p_value,
    "rupiah": rupiah,
    "signed": signed,
}


def formatter(name_or_function):
    """The formatting function for a format name (``"rupiah"``) or a callable (returned as is)."""
    if callable(name_or_function):
        return name_or_function
    try:
        return FORMATS[name_or_function]
    except KeyError:
        raise ValueError(
            f"unknown number format {name_or_function!r}; one of {', '.join(FORMATS)}"
        ) from None


def is_whole(value) -> bool:
    """True for a finite number without a fractional part (3, 3.0), false for 3.5, NaN, text."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(value) and float(value).is_integer()


__all__ = [
    "FORMATS",
    "current_locale",
    "date",
    "P_FLOOR",
    "RUPIAH_SYMBOL",
    "decimal",
    "formatter",
    "integer",
    "is_whole",
    "missing",
    "number",
    "p_clause",
    "p_value",
    "percent",
    "percent_sign",
    "rupiah",
    "share",
    "signed",
]
