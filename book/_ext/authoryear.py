"""An author-year bibliography style for sphinxcontrib-bibtex (a pybtex formatting plugin).

The chapters cite author-year ("Miles et al., 2014"); the list should read the same way, so each
entry starts with its authors and year and the list has no numeric labels (``_config.yml`` sets
``bibtex_default_style: authoryear``; ``book/pages/references.md`` shows it as a plain list)::

    Miles, M. B., Huberman, A. M. and Saldaña, J. (2014). Qualitative Data Analysis: A Methods
    Sourcebook. 3rd edition. Thousand Oaks, CA: SAGE.

A work without an author (the two studies, whose authors no copy this project could check
records) is cited and listed by its title, as author-year styles do: "*Title* (2017)." and
"(*Title*, 2017)"; the list files it under its title's first letter.

``authoryear_id`` is the Indonesian edition's: its words ("edisi ke-3", "Tesis magister", "dan")
and its fields (the staged bibliography of that edition takes each entry's ``FIELD_id``, see
``analysis/pipeline/bibliography.py``).

Titles keep the capitalisation of ``references.bib`` (pybtex's ``plain`` lower-cases them, which
spoils Indonesian titles and acronyms such as P2KP), and an edition reads "3rd edition", not
"3 edition". Entry types without a template here fall back to pybtex's ``plain`` layout.
"""

from __future__ import annotations

import re

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import pages
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting
from pybtex.style.template import (
    field,
    first_of,
    join,
    names,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

NAME = "authoryear"


def ordinal(edition: str) -> str:
    """``"4"`` -> ``"4th"``, ``"22"`` -> ``"22nd"``; a word (``"Second"``) is lower-cased."""
    text = edition.strip()
    if not re.fullmatch(r"\d+", text):
        return text.lower()
    number = int(text)
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


class AuthorYearSorting(AuthorYearTitleSorting):
    """Authors, year, title; a name in braces (``{Badan Pusat Statistik}``) sorts by its letters;
    a work without author or editor sorts by its title, where the list shows it."""

    def person_key(self, person):
        return super().person_key(person).replace("{", "").replace("}", "")

    def sorting_key(self, entry):
        if entry.persons.get("author") or entry.persons.get("editor"):
            return super().sorting_key(entry)
        title = entry.fields.get("title", "").replace("{", "").replace("}", "").lower()
        return (title, entry.fields.get("year", ""), "")


class AuthorYearStyle(PlainStyle):
    """Authors (year). Title. Where published. Note. DOI or URL."""

    default_name_style = "lastfirst"
    default_sorting_style = NAME

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(*args, **kwargs)

    #: The edition's words in entries.
    AND = "and"
    EDITION = "{} edition"
    MASTERS_THESIS = "Master's thesis"
    PHD_THESIS = "PhD thesis"
    TECHNICAL_REPORT = "Technical Report"
    PAGES = "pp."

    def ordinal_edition(self, text: str) -> str:
        return self.EDITION.format(ordinal(text))

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=f" {self.AND} ", last_sep=f" {self.AND} ")
        return sentence[formatted] if as_sentence else formatted

    def authors_and_year(self, e=None):
        """``Cohen, J. (1960).``: the names, then the year in parentheses; a work without authors
        starts with its title in italics: ``*Title* (2017).``"""
        if e is not None and not e.persons.get("author"):
            return sentence[words[tag("em")[field("title")], join["(", field("year"), ")"]]]
        return sentence[
            words[self.format_names("author", as_sentence=False), join["(", field("year"), ")"]]
        ]

    def title_unless_first(self, e, italic=True):
        """The title after the authors (in italics for a whole work, upright for an article or
        a report); nothing when it opened the entry (no authors)."""
        if not e.persons.get("author"):
            return optional[""]
        return self.format_btitle(e, "title") if italic else self.format_title(e, "title")

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)  # as written in references.bib
        return sentence[title] if as_sentence else title

    def format_edition(self, e):
        return optional[
            field("edition", apply_func=lambda text: Text(self.ordinal_edition(str(text))))
        ]

    def publisher(self):
        """``Thousand Oaks, CA: SAGE`` (the address only when given)."""
        return first_of[
            optional[join[field("address"), ": ", field("publisher")]],
            optional_field("publisher"),
        ]

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ", ", pages]],
            optional[join[field("volume"), optional["(", field("number"), ")"]]],
            words[self.PAGES, pages],
        ]
        return toplevel[
            self.authors_and_year(e),
            self.title_unless_first(e, italic=False),
            sentence[
                self.format_btitle(e, "journal", as_sentence=False), optional[volume_and_pages]
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return toplevel[
            self.authors_and_year(e),
            self.title_unless_first(e),
            optional[sentence[self.format_edition(e)]],
            sentence[self.publisher()],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            self.authors_and_year(e),
            self.title_unless_first(e),
            sentence[optional_field("howpublished")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            self.authors_and_year(e),
            self.title_unless_first(e, italic=False),
            sentence[
                words[
                    first_of[optional_field("type"), self.TECHNICAL_REPORT],
                    optional_field("number"),
                ],
                field("institution"),
                optional_field("address"),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def _thesis(self, e, kind: str):
        return toplevel[
            self.authors_and_year(e),
            self.title_unless_first(e),
            sentence[
                first_of[optional_field("type"), kind], field("school"), optional_field("address")
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_mastersthesis_template(self, e):
        return self._thesis(e, self.MASTERS_THESIS)

    def get_phdthesis_template(self, e):
        return self._thesis(e, self.PHD_THESIS)


class AuthorYearStyleIndonesian(AuthorYearStyle):
    """The Indonesian edition's list: "Miles, M. B., Huberman, A. M. dan Saldaña, J. (2014)",
    "edisi ke-3", "hlm."."""

    AND = "dan"
    EDITION = "edisi ke-{}"
    MASTERS_THESIS = "Tesis magister"
    PHD_THESIS = "Disertasi"
    TECHNICAL_REPORT = "Laporan teknis"
    PAGES = "hlm."

    def ordinal_edition(self, text: str) -> str:
        plain = text.strip()
        return self.EDITION.format(plain) if re.fullmatch(r"\d+", plain) else plain.lower()


NAME_ID = NAME + "_id"


def register() -> None:
    """Make ``authoryear`` and ``authoryear_id`` known to pybtex (``bibtex_default_style``)."""
    for name in (NAME, NAME_ID):
        register_plugin("pybtex.style.sorting", name, AuthorYearSorting, force=True)
    register_plugin("pybtex.style.formatting", NAME, AuthorYearStyle, force=True)
    register_plugin("pybtex.style.formatting", NAME_ID, AuthorYearStyleIndonesian, force=True)


def setup(app):
    register()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
