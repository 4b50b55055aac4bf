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


Part = Text | Table | Download | Figure

__all__ = ["Download", "Figure", "Part", "Table", "Text"]
