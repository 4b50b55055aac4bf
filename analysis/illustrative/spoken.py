"""Rupiah amounts as residents say them, in Indonesian and in the English gloss.

Interview quotes name money in words ("enam ratus delapan puluh ribu"), rounded as people speak:
to :data:`SPOKEN_ROUND_TO` (the Rp 10,000 the illustrative incomes are rounded to, so a quoted
amount is the household's own), and "dua setengah juta" for two and a half million.
"""

from __future__ import annotations

SPOKEN_ROUND_TO = 10_000

_ID_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_EN_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spoken_amount(amount: int) -> int:
    """``amount`` rounded as it is said (to the nearest :data:`SPOKEN_ROUND_TO`)."""
    return int(round(amount / SPOKEN_ROUND_TO)) * SPOKEN_ROUND_TO


def _id_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_ID_UNITS[hundreds]} ratus")
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words.append(f"{_ID_UNITS[rest - 10]} belas")
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(f"{_ID_UNITS[tens]} puluh" + (f" {_ID_UNITS[ones]}" if ones else ""))
    elif rest:
        words.append(_ID_UNITS[rest])
    return " ".join(words)


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{_EN_UNITS[hundreds]} hundred")
    if rest:
        if hundreds:
            words.append("and")
        if rest < 10:
            words.append(_EN_UNITS[rest])
        elif rest < 20:
            words.append(_EN_TEENS[rest - 10])
        else:
            tens, ones = divmod(rest, 10)
            words.append(_EN_TENS[tens] + (f"-{_EN_UNITS[ones]}" if ones else ""))
    return " ".join(words)


def rupiah_words(amount: int, lang: str = "id") -> str:
    """A positive amount of Rupiah in words as spoken (``lang`` "id" or "en"), without "Rupiah".

    >>> rupiah_words(170_000), rupiah_words(2_500_000), rupiah_words(1_160_000, "en")
    ('seratus tujuh puluh ribu', 'dua setengah juta', 'one million one hundred and sixty thousand')
    """
    n = spoken_amount(amount)
    if not 0 < n < 1_000_000_000:
        raise ValueError(f"no spoken form for Rp {amount:,}")
    millions, thousands = divmod(n // 1000, 1000)
    if lang == "id":
        if 0 < millions < 10 and thousands == 500:
            return f"{_ID_UNITS[millions]} setengah juta"
        words = [f"{_id_below_thousand(millions)} juta"] if millions else []
        if thousands:
            words.append("seribu" if thousands == 1 else f"{_id_below_thousand(thousands)} ribu")
        return " ".join(words)
    if lang == "en":
        if 0 < millions < 10 and thousands == 500:
            return f"{_EN_UNITS[millions]} and a half million"
        words = [f"{_en_below_thousand(millions)} million"] if millions else []
        if thousands:
            words.append(f"{_en_below_thousand(thousands)} thousand")
        return " ".join(words)
    raise ValueError(f"no spoken form in {lang!r}")
