"""Quotes a display may show: a quote's record, and when two quotes are one.

An interview answer often opens with a filler ("Begini, ...", "Ya, menurut saya, ..."): two
quotes that differ only in their opener, case or punctuation are one quote, shown once
(:func:`quote_key`). The displays choose their quotes here and return them as :class:`Quote`
records; the report layer writes them (the gloss only in the English edition, the attribution
marked as invented in the illustrative one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Quote:
    """A segment a display may quote: its text as recorded (Indonesian), its English gloss (""
    when none) and its informant (None when the display names no one)."""

    text: str
    gloss: str = ""
    informant_id: str | None = None


def quote_of(row, with_id: bool = True) -> Quote:
    """The :class:`Quote` of a segment row (``text``, optional ``gloss_en``, ``informant_id``)."""
    gloss = row.get("gloss_en")
    who = row.get("informant_id") if with_id else None
    return Quote(
        text=str(row["text"]),
        gloss=gloss if isinstance(gloss, str) else "",
        informant_id=None if who is None or who != who else str(who),
    )


def _near_duplicate_key(text: pd.Series) -> pd.Series:
    """Texts that end alike (last 40 letters, case, punctuation and opener ignored) are one
    excerpt: "Begini, kesehatan kami dahulukan" and "Menurut saya, kesehatan kami dahulukan"."""
    return text.map(lambda t: quote_key(t).replace(" ", "")[-40:])


#: Words that open an interview answer without adding to it, in lower case: "Begini, kesehatan
#: kami dahulukan" and "Menurut saya, kesehatan kami dahulukan" are one quote.
OPENERS = (
    "kalau menurut saya",
    "menurut saya",
    "jujur saja",
    "terus terang",
    "sebenarnya",
    "ya begini",
    "begini",
    "memang",
    "jadi",
    "nah",
    "iya",
    "ya",
)


_OPENER = re.compile(
    r"^\s*(?:" + "|".join(re.escape(o) for o in OPENERS) + r")\s*[,:;.]?\s+", re.IGNORECASE
)


def without_opener(text: str) -> str:
    """The quote without the fillers that open it ("Begini, ...", "Ya, menurut saya, ...").

    The first remaining letter is capitalised again; a text that is nothing but an opener is
    returned unchanged.
    """
    text = str(text)
    rest = text
    while True:
        stripped = _OPENER.sub("", rest, count=1)
        if stripped == rest or not stripped.strip():
            break
        rest = stripped
    if rest is text or rest == text:
        return text
    return rest[:1].upper() + rest[1:]


def quote_key(text: str) -> str:
    """What makes two quotes the same: the words without opener, case and punctuation."""
    return re.sub(r"[^\w]+", " ", without_opener(text).lower()).strip()


def distinct_quotes(quotes: pd.DataFrame, column: str = "text") -> pd.DataFrame:
    """The rows of ``quotes`` whose text was not already shown (first one kept, order kept).

    Two texts are one quote when they differ only in their opener, case or punctuation
    (:func:`quote_key`).
    """
    if quotes.empty:
        return quotes
    keys = quotes[column].map(quote_key)
    return quotes[~keys.duplicated()]
