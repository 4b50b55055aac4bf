"""The book is cited one way: CITATION.cff, .zenodo.json and the landing page's box agree."""

from __future__ import annotations

import json

import yaml

import reader
from analysis.project import PROJECT_ROOT

CFF = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
ZENODO = json.loads((PROJECT_ROOT / ".zenodo.json").read_text(encoding="utf-8"))


def test_zenodo_metadata_repeats_citation_cff():
    assert ZENODO["title"] == CFF["title"]
    assert ZENODO["version"] == CFF["version"]
    assert ZENODO["license"] == CFF["license"]
    assert ZENODO["keywords"] == CFF["keywords"]
    assert ZENODO["description"] == CFF["abstract"]
    assert ZENODO["publication_date"] == str(CFF["date-released"])
    assert [c["name"] for c in ZENODO["creators"]] == [a["name"] for a in CFF["authors"]]


def test_how_to_cite_line_names_title_year_version_and_repository():
    line = reader.citation_text(CFF)
    assert CFF["title"] in line and str(CFF["date-released"])[:4] in line
    assert f"Version {CFF['version']}" in line and CFF["repository-code"] in line


def test_how_to_cite_uses_family_and_given_names():
    line = reader.citation_text(
        {
            "title": "T",
            "authors": [{"family-names": "Miranti", "given-names": "R. C."}],
            "date-released": "2020-01-01",
        }
    )
    assert line.startswith("Miranti, R. C. (2020). T")


def test_landing_page_shows_the_citation_box():
    assert "```{how-to-cite}" in (PROJECT_ROOT / "book" / "pages" / "intro.md").read_text(
        encoding="utf-8"
    )
