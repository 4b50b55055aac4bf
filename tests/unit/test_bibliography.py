"""The bibliography reads author-year, like the citations (book/_ext/authoryear.py)."""

from __future__ import annotations

import re
from functools import cache

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


@cache
def formatted(bib: str, name: str = authoryear.NAME) -> tuple[str, ...]:
    """The entries of ``bib`` as the style ``name`` writes them (once per text and style: the
    style is pure)."""
    authoryear.register()
    style = find_plugin("pybtex.style.formatting", name)()
    entries = parse_string(bib, "bibtex").entries.values()
    return tuple(entry.text.render_as("text") for entry in style.format_entries(entries))


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


NO_AUTHOR = r"""
@misc{jombang_study,
  title = {Implementasi Kebijakan Penanggulangan Kemiskinan oleh Pemerintah Daerah Kabupaten Jombang},
  howpublished = {Journal article; authors not recorded},
  howpublished_id = {Artikel jurnal; nama penulis tidak tercatat},
  year = {n.d.}, year_id = {t.t.}
}
@misc{zeta, author = {Zeta, Ann}, title = {Z}, year = {2001}}
@misc{alpha, author = {Alpha, Bo}, title = {A}, year = {2001}}
"""


def test_a_work_without_authors_is_listed_by_its_title_once_and_filed_under_it():
    entries = formatted(NO_AUTHOR)
    jombang = next(e for e in entries if e.startswith("Implementasi"))
    assert jombang.startswith("Implementasi Kebijakan Penanggulangan Kemiskinan oleh Pemerintah")
    assert jombang.count("Implementasi") == 1
    assert "(n.d.)." in jombang
    assert [e[0] for e in entries] == ["A", "I", "Z"]  # Alpha, Implementasi..., Zeta


def test_the_studies_are_cited_by_title_not_by_an_invented_author():
    database = parse_string(
        (PROJECT_ROOT / "book" / "references.bib").read_text(encoding="utf-8"), "bibtex"
    )
    for key in ("jombang_study", "pakis_study"):
        assert "author" not in database.entries[key].persons, key


def test_the_indonesian_edition_reads_its_own_fields_and_words():
    from analysis.pipeline.bibliography import edition_bibliography

    indonesian = edition_bibliography(NO_AUTHOR + BIB, "id")
    english = edition_bibliography(NO_AUTHOR + BIB, "en")
    assert "_id" not in indonesian and "_id" not in english
    entries = formatted(indonesian, authoryear.NAME_ID)
    jombang = next(e for e in entries if e.startswith("Implementasi"))
    assert "(t.t.)." in jombang and "Artikel jurnal; nama penulis tidak tercatat" in jombang
    book = next(e for e in entries if e.startswith("Krippendorff"))
    assert "edisi ke-4" in book and "4th" not in book
    english_jombang = next(e for e in formatted(english) if e.startswith("Implementasi"))
    assert "(n.d.)." in english_jombang and "Journal article" in english_jombang


def test_the_indonesian_edition_is_configured_with_its_bibliography_style():
    config = yaml.safe_load((PROJECT_ROOT / "locales" / "id" / "config.yml").read_text())
    assert config["sphinx"]["config"]["bibtex_default_style"] == authoryear.NAME_ID
