"""The "In brief" block that opens every chapter: what the chapter finds, with its key numbers,
what it can and cannot say, and where in the chapter to read more.

Each chapter kind writes its own points (``in_brief`` in its report module) from the results the
chapter records; this module gives them one shape: an admonition titled "In brief" holding one
bullet a point (:func:`block`), the pointers to the chapter's sections (:func:`read_more`, the
sections named as the chapter's headings are, in the edition's language) and the one sentence a
brief says about illustrative data (:func:`illustrative_point`).
"""

from __future__ import annotations

from analysis.i18n import N_
from analysis.report.parts import Text
from analysis.report.words import Words

#: The title of the block.
IN_BRIEF = N_("In brief")
#: The admonition's class (the theme's styling of a tip: set apart from the banner's warning).
BLOCK_CLASS = "tip"
#: The one sentence a brief says about illustrative data (the banner above says the rest).
ILLUSTRATIVE_POINT = N_(
    "These are illustrative data: the numbers show how the analysis works, not field results."
)


def block(points, w: Words) -> Text:
    """The brief as a MyST admonition titled "In brief", one bullet a point (empty points are
    left out)."""
    bullets = "\n".join(f"- {point}" for point in points if point)
    return Text(f":::{{admonition}} {w._(IN_BRIEF)}\n:class: {BLOCK_CLASS}\n\n{bullets}\n:::")


def section(name: str, w: Words) -> str:
    """A section of the chapter by its heading (a msgid marked with ``N_``), in the edition's
    words and quotes: “Checking the claims against the data”."""
    return f"“{w._(name)}”"


def read_more(pointers, w: Words) -> str:
    """The last point of a brief: "Read more: the claims under “...” and the coders under “...”."

    ``pointers`` are (what, heading) pairs: ``what`` already in the edition's words, ``heading``
    a msgid of the template's heading (its translation is the chapter catalog's).
    """
    places = [
        w._("{what} under {section}").format(what=what, section=section(heading, w))
        for what, heading in pointers
    ]
    return w._("Read more: {places}.").format(places=w.conjunction(places)) if places else ""


def illustrative_point(edition: str | None, w: Words, message: str = ILLUSTRATIVE_POINT) -> str:
    """``message`` (:data:`ILLUSTRATIVE_POINT`, or a chapter's own msgid saying the same of its
    data) when the chapter's data are illustrative, else ""."""
    return w._(message) if edition == "illustrative" else ""


def count_words(counts, w: Words) -> str:
    """Counts by kind in words, the zero ones left out: "5 moderate, 1 weak" (``counts``: pairs
    of a number and its word, already in the edition's language); "" when every count is zero."""
    return ", ".join(f"{w.integer(n)} {word}" for n, word in counts if n)


__all__ = [
    "ILLUSTRATIVE_POINT",
    "IN_BRIEF",
    "block",
    "count_words",
    "illustrative_point",
    "read_more",
    "section",
]
