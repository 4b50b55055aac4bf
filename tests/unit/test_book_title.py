"""The book's title follows its data: the shipped title for the shipped studies, the data folder's
own ``study/book.csv`` when it has one, else a title made from the registry, in each edition's
language; a staged --data book carries it in ``_config.yml`` and as its landing page's heading."""

import shutil

import pytest
import yaml

from analysis.data import dictionary
from analysis.data.datapackage import build_descriptor
from analysis.data.validate import validate_directory
from analysis.i18n import use_language
from analysis.pipeline.layout import stage_title
from analysis.pipeline.pages import book_title, shipped_title
from analysis.project import PROJECT_ROOT
from support.data_fixtures import STUDY_TEXT, write_study
from support.third_study import write_third_study

SHIPPED_EN = "Poverty programmes in East Java: two field studies re-analysed"
SHIPPED_ID = "Program penanggulangan kemiskinan di Jawa Timur: analisis ulang dua studi lapangan"
BOOK_BOTH = (
    "title,title@id,subtitle,subtitle@id\n"
    "Poverty in Sisir,Kemiskinan di Sisir,A study of one kelurahan,Studi satu kelurahan\n"
)
BOOK_ENGLISH = "title,subtitle\nPoverty in Sisir,\n"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    use_language("en")


def registry_of(sites: list[str]) -> str:
    """The fixture registry's first row once for each of ``sites`` (short name "Site <site>")."""
    header, row = STUDY_TEXT["studies.csv"].splitlines()[:2]
    rest = row.split(",", 2)[2]
    return "\n".join([header] + [f"{s},Site {s},{rest}" for s in sites]) + "\n"


def test_the_shipped_studies_keep_the_shipped_title_in_both_editions(tmp_path):
    assert shipped_title("en") == SHIPPED_EN
    assert shipped_title("id") == SHIPPED_ID
    assert book_title(PROJECT_ROOT / "data", "en") == (SHIPPED_EN, None)
    assert book_title(PROJECT_ROOT / "data", "id") == (SHIPPED_ID, None)
    # a copy of the shipped registry (same studies) is the shipped book
    assert book_title(write_study(tmp_path), "id") == (SHIPPED_ID, None)


def test_a_folder_without_a_registry_keeps_the_shipped_title(tmp_path):
    shutil.copytree(PROJECT_ROOT / "data" / "public", tmp_path / "public")
    assert book_title(tmp_path, "en") == (SHIPPED_EN, None)


def test_another_registry_gets_a_title_naming_its_studies(tmp_path):
    data = write_third_study(tmp_path / "data", PROJECT_ROOT / "data")
    assert book_title(data, "en") == (
        "Jombang, Kelurahan Pakis, and Kelurahan Sisir: poverty programmes re-analysed",
        None,
    )
    assert book_title(data, "id") == (
        "Jombang, Kelurahan Pakis, dan Kelurahan Sisir: "
        "analisis ulang program penanggulangan kemiskinan",
        None,
    )


def test_a_registry_of_many_studies_is_counted_in_the_title(tmp_path):
    root = write_study(tmp_path, {"studies.csv": registry_of(["a", "b", "c", "d"])})
    assert book_title(root, "en")[0] == "Poverty programmes: 4 studies re-analysed"
    assert book_title(root, "id")[0] == "Program penanggulangan kemiskinan: analisis ulang 4 studi"
    one = write_study(tmp_path / "one", {"studies.csv": registry_of(["solo"])})
    assert book_title(one, "en")[0] == "Site solo: poverty programmes re-analysed"


def test_the_data_folders_book_file_gives_the_title_in_each_language(tmp_path):
    root = write_study(tmp_path, {"book.csv": BOOK_BOTH})
    assert validate_directory(root).errors == []
    assert book_title(root, "en") == ("Poverty in Sisir", "A study of one kelurahan")
    assert book_title(root, "id") == ("Kemiskinan di Sisir", "Studi satu kelurahan")


def test_a_title_given_only_in_english_is_marked_in_the_indonesian_edition(tmp_path):
    root = write_study(tmp_path, {"book.csv": BOOK_ENGLISH})
    assert book_title(root, "en") == ("Poverty in Sisir", None)
    assert book_title(root, "id") == ("Poverty in Sisir (teks asli)", None)


def test_a_book_file_describes_one_book(tmp_path):
    root = write_study(tmp_path, {"book.csv": "title\nOne\nTwo\n"})
    errors = validate_directory(root).errors
    assert [(e.file, e.line) for e in errors] == [("study/book.csv", 3)]
    assert "at most 1 data row" in errors[0].expected


def test_the_data_package_and_its_dictionary_describe_the_book_file(tmp_path):
    root = write_study(tmp_path, {"book.csv": BOOK_BOTH})
    descriptor = build_descriptor(root)
    table = dictionary.files_table(descriptor)
    assert "study/book.csv" in set(table["file"])
    book = next(r for r in descriptor["resources"] if r["path"] == "study/book.csv")
    assert {f["name"] for f in book["schema"]["fields"]} == {
        "title",
        "title@id",
        "subtitle",
        "subtitle@id",
    }


def stage(tmp_path, data_dir, lang="en"):
    source = tmp_path / "source"
    (source / "book" / "pages").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "_config.yml", source / "_config.yml")
    shutil.copy(PROJECT_ROOT / "_toc.yml", source / "_toc.yml")
    shutil.copy(PROJECT_ROOT / "book" / "pages" / "intro.md", source / "book/pages/intro.md")
    stage_title(source, data_dir, lang)
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    intro = (source / "book" / "pages" / "intro.md").read_text(encoding="utf-8")
    return source, config, intro


def test_the_shipped_title_leaves_the_staged_sources_byte_identical(tmp_path):
    source, _, _ = stage(tmp_path, PROJECT_ROOT / "data")
    for name in ("_config.yml", "book/pages/intro.md"):
        assert (source / name).read_bytes() == (PROJECT_ROOT / name).read_bytes()


def test_a_staged_book_carries_its_title_in_the_config_and_the_landing_heading(tmp_path):
    data = write_study(tmp_path / "data", {"book.csv": BOOK_BOTH})
    _, config, intro = stage(tmp_path / "en", data, "en")
    assert config["title"] == "Poverty in Sisir"
    assert intro.startswith("# Poverty in Sisir\n\n*A study of one kelurahan*\n")
    assert SHIPPED_EN not in intro
    # the rest of the landing page is the shipped one
    shipped = (PROJECT_ROOT / "book/pages/intro.md").read_text(encoding="utf-8")
    assert intro.split("\n", 3)[3] == shipped.split("\n", 1)[1]
    _, config, intro = stage(tmp_path / "id", data, "id")
    assert config["title"] == "Kemiskinan di Sisir"
    assert intro.startswith("# Kemiskinan di Sisir\n\n*Studi satu kelurahan*\n")


def test_markup_in_a_title_is_shown_as_written(tmp_path):
    data = write_study(tmp_path / "data", {"book.csv": "title\n{include} /etc/passwd *x*\n"})
    _, config, intro = stage(tmp_path, data)
    assert config["title"] == "{include} /etc/passwd *x*"
    heading = intro.splitlines()[0]
    assert heading.startswith("# ") and "*x*" not in heading
