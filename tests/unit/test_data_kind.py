"""Illustrative or field is a property of each study (the registry's ``data_kind``), not of the
data folder: the shipped illustrative studies stay marked beside a researcher's field study."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import registry
from analysis.data.loading import declared_data_kinds, edition, generation_notes
from analysis.pipeline.pages import edition_markdown
from analysis.project import DATA_DIR
from support.third_study import SITE, write_third_study


@pytest.fixture(scope="module")
def three_studies(tmp_path_factory):
    """The shipped data with a third, field study added (its registry row declares no kind)."""
    return write_third_study(tmp_path_factory.mktemp("three") / "data", DATA_DIR)


def test_the_shipped_registry_declares_both_studies_illustrative():
    assert declared_data_kinds(DATA_DIR) == {"jombang": "illustrative", "pakis": "illustrative"}
    assert edition(DATA_DIR, "segments") == "illustrative"
    assert edition(DATA_DIR, "households", "pakis") == "illustrative"


def test_adding_a_field_study_leaves_the_shipped_studies_illustrative(three_studies):
    # the files changed (their checksums no longer match datapackage.json), the studies did not
    assert edition(three_studies, "households", "pakis") == "illustrative"
    assert edition(three_studies, "segments", "jombang") == "illustrative"
    assert generation_notes(three_studies, "households", "pakis"), "the generator's notes stay"
    # the new study declares nothing and is not the shipped data: field
    assert edition(three_studies, "households", SITE) == "field"
    assert generation_notes(three_studies, "households", SITE) == {}
    # a chapter over every study says it is mixed, and names the illustrative ones
    assert edition(three_studies, "segments") == "mixed"
    assert registry.illustrative_names(three_studies, "segments") == ["Jombang", "Kelurahan Pakis"]


def test_a_study_declared_field_is_field_even_on_the_generated_data(tmp_path, three_studies):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(three_studies, data)
    path = data / "study" / "studies.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["site"] == SITE, "data_kind"] = "field"
    table.loc[table["site"] == "pakis", "data_kind"] = "field"
    path.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    assert edition(data, "households", "pakis") == "field"
    assert edition(data, "households") == "field"  # jombang has no households: pakis and sisir
    assert registry.illustrative_names(data, "households") == []
    assert edition(data, "segments") == "mixed"  # jombang's segments are still illustrative


def test_the_landing_page_names_which_studies_are_illustrative(three_studies):
    shipped = edition_markdown(DATA_DIR)
    assert shipped.startswith(":::{warning}\n**Illustrative study data.**")
    assert "Jombang and Kelurahan Pakis are not public" in shipped
    mixed = edition_markdown(three_studies)
    assert "**Illustrative and field data.**" in mixed
    assert "The data of Jombang and Kelurahan Pakis are illustrative" in mixed
    assert "The data of Kelurahan Sisir are field data" in mixed
    assert "supplied by the researcher for" not in mixed
    indonesian = edition_markdown(three_studies, "id")
    assert "Jombang dan Kelurahan Pakis bersifat ilustratif" in indonesian


def test_validation_refuses_an_unknown_data_kind(tmp_path):
    import shutil

    from analysis.data.validate import validate_directory

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "study" / "studies.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",illustrative,", ",generated,", 1),
        encoding="utf-8",
    )
    report = validate_directory(data)
    messages = [str(p) for p in report.errors]
    assert any("data_kind" in m and "generated" in m for m in messages), messages


def test_the_landing_page_lists_every_study_of_the_registry(three_studies):
    from analysis.pipeline.pages import studies_markdown

    shipped = studies_markdown(DATA_DIR)
    assert shipped.count("\n\n") == 1, "one paragraph a study"
    assert "{cite:p}`jombang_study`" in shipped and "{cite:p}`pakis_study`" in shipped
    three = studies_markdown(three_studies)
    assert three.count("\n\n") == 2 and "**Kelurahan Sisir: PNPM seen by its residents.**" in three
    assert "{cite:p}`sisir_study`" not in three, "no citation without a bibliography entry"
    assert "This book shows this study's field data." in three.split("\n\n")[2]
    assert three.split("\n\n")[0].endswith("This book shows illustrative data for this study.")
    indonesian = studies_markdown(three_studies, "id")
    assert "Kelurahan Pakis: P2KP di mata warganya" in indonesian
    assert "Buku ini menampilkan data lapangan studi ini." in indonesian
