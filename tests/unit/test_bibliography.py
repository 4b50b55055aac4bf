"""The bibliography reads author-year, like the citations (book/_ext/authoryear.py)."""

from __future__ import annotations

import re

import authoryear
import pytest
import yaml
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from analysis.project import PROJECT_ROOT

BIB = r"""
@book{krippendorff2019,
  author = {Krippendorff, Klaus}, title = {Content Analysis: An Introduction to Its Methodology},
  edition = {4}, publisher = {SAGE}, address = {Thousand Oaks, CA}, year = {2019}
}
@article{cohen1960,
  author = {Cohen, Jacob}, title = {A Coefficient of Agreement for Nominal Scales},
  journal = {Educational and Psychological Measurement}, volume = {20}, number = {1},
  pages = {37--46}, year = {1960}, doi = {10.1177/001316446002000104}
}
@misc{bps,
  author = {{Badan Pusat Statistik}}, title = {Jumlah dan Persentase Penduduk Miskin, 2015--2025},
  howpublished = {Statistical tables}, year = {2025}
}
@misc{pakis,
  author = {{Pakis study author}}, year = {2017},
  title = {Proyek Penanggulangan Kemiskinan di Perkotaan (P2KP) di Kelurahan Pakis},
  howpublished = {Undergraduate thesis, Universitas Jember}
}
"""


def formatted(bib: str) -> list[str]:
    authoryear.register()
    style = find_plugin("pybtex.style.formatting", authoryear.NAME)()
    entries = parse_string(bib, "bibtex").entries.values()
    return [entry.text.render_as("text") for entry in style.format_entries(entries)]


@pytest.mark.parametrize(
    "edition, shown",
    [("1", "1st"), ("2", "2nd"), ("3", "3rd"), ("4", "4th"), ("11", "11th"), ("22", "22nd")],
)
def test_an_edition_number_reads_as_an_ordinal(edition, shown):
    assert authoryear.ordinal(edition) == shown


def test_a_book_reads_authors_year_title_edition_and_publisher():
    book = next(e for e in formatted(BIB) if e.startswith("Krippendorff"))
    assert book == (
        "Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology. "
        "4th edition. Thousand Oaks, CA: SAGE."
    )


def test_an_article_reads_authors_year_title_journal_volume_pages_and_doi():
    article = next(e for e in formatted(BIB) if e.startswith("Cohen"))
    assert article == (
        "Cohen, J. (1960). A Coefficient of Agreement for Nominal Scales. Educational and "
        "Psychological Measurement, 20(1), 37–46. doi:10.1177/001316446002000104."
    )


def test_titles_keep_the_capitalisation_of_the_bib_file():
    pakis = next(e for e in formatted(BIB) if e.startswith("Pakis"))
    assert "(P2KP) di Kelurahan Pakis" in pakis


def test_the_list_is_sorted_by_author_an_organisation_by_its_letters():
    assert [e.split(" (")[0] for e in formatted(BIB)] == [
        "Badan Pusat Statistik",
        "Cohen, J.",
        "Krippendorff, K.",
        "Pakis study author",
    ]


def test_every_entry_of_the_book_formats_with_its_year_after_the_authors():
    bib = (PROJECT_ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entries = formatted(bib)
    assert len(entries) == bib.count("\n@")
    assert all(re.search(r"\((\d{4}|n\.d\.)\)\. ", e) for e in entries), entries
    assert not [e for e in entries if re.search(r"\b\d+ edition", e)], "'4 edition'"


def test_the_book_cites_and_lists_author_year():
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]
    assert sphinx["config"]["bibtex_default_style"] == authoryear.NAME
    assert sphinx["config"]["bibtex_reference_style"] == "author_year_round"
    assert "authoryear" in sphinx["local_extensions"]
