"""What a report function returns: typed parts that :func:`analysis.chapter.show` displays.

A part holds words already in the edition's language and numbers already formatted for it; it
holds no computation. Figures are drawn lazily (``draw``) so that a report function costs nothing
until its figure is shown, and every figure carries alt text that says what it shows in numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Text:
    """A paragraph (or several) of MyST Markdown. Data values in it are escaped already
    (:mod:`analysis.literal`); an empty text is not shown."""

    markdown: str


@dataclass(frozen=True)
class Table:
    """A table shown in full, formatted by :func:`analysis.chapter.table`.

    ``options`` are that function's keyword arguments (``formats``, ``labels``, ...).
    """

    frame: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Download:
    """A table written whole as CSV beside the chapter, shown by its first ``head`` rows.

    ``label`` is the link's text in the edition's language; ``options`` go to
    :func:`analysis.chapter.download` (``columns``, ``formats``, ...).
    """

    frame: pd.DataFrame
    name: str
    label: str
    head: int | None = 15
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A figure, drawn when shown: ``draw()`` returns a matplotlib figure (or None for nothing).

    ``alt`` is the figure's text alternative in the edition's language: what it shows, with its
    key numbers (WCAG 1.1.1), so that a reader without the image loses nothing.
    """

    draw: Callable[[], Any]
    alt: str = ""


class Spoken(str):
    """Text of a table cell, parts of which are in another language than the page (an
    Indonesian quote on an English page): a ``str`` (it reads, compares and joins as its text)
    that also knows the language of each of its pieces, ``spans`` = ((text, lang or ""), ...).
    The HTML table marks each piece with ``lang`` (WCAG 3.1.2, language of parts); Markdown and
    LaTeX show the text. Joining with ``+`` keeps the pieces; other str operations give plain text.
    """

    spans: tuple[tuple[str, str], ...]

    def __new__(cls, text: str = "", lang: str = "", spans=None):
        spans = tuple(spans) if spans is not None else ((str(text), lang),)
        made = super().__new__(cls, "".join(piece for piece, _lang in spans))
        made.spans = tuple((piece, piece_lang) for piece, piece_lang in spans if piece)
        return made

    @staticmethod
    def _spans_of(other) -> tuple[tuple[str, str], ...]:
        return other.spans if isinstance(other, Spoken) else ((str(other), ""),)

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Spoken(spans=self.spans + Spoken._spans_of(other))

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Spoken(spans=Spoken._spans_of(other) + self.spans)


def join_spoken(separator: str, pieces) -> str:
    """``separator.join(pieces)`` keeping the languages of :class:`Spoken` pieces."""
    joined: str = ""
    for k, piece in enumerate(pieces):
        joined = (joined + separator + piece) if k else ("" + piece)
    return joined


Part = Text | Table | Download | Figure

__all__ = ["Download", "Figure", "Part", "Spoken", "Table", "Text", "join_spoken"]
