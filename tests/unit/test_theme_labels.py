"""Themes in both languages: a codebook may name its themes (``theme_label``, ``theme_label@id``);
each edition shows the names in its language, and where a study gives no Indonesian name the
Indonesian edition shows the original, marked "(teks asli)", never as if it were a translation."""

import pytest

from analysis.data import contract
from analysis.data.loading import load
from analysis.data.validate import validate_directory
from analysis.i18n import use_language
from analysis.report.labels import Labels
from analysis.report.qualitative import theme_blocks
from support.data_fixtures import write_study

BOTH = (
    "code,theme,description,theme_label,theme_label@id\n"
    "working_capital,livelihood,Credit used as working capital,Livelihoods,Mata pencaharian\n"
    "top_down_planning,strategies,Planning decided above,,\n"
)
ENGLISH_ONLY = (
    "code,theme,description,label,theme_label\n"
    "working_capital,livelihood,Credit used as working capital,working capital,Livelihoods\n"
    "top_down_planning,governance,Planning decided above,top-down planning,\n"
    "village_meetings,strategies,Meetings in the village,village meetings,\n"
)


@pytest.fixture(autouse=True)
def english_and_no_codebook_afterwards():
    yield
    use_language("en")


def chapter_labels(tmp_path, codebook: str, lang: str) -> Labels:
    """The names a chapter in ``lang`` gives the themes of a study with this codebook (the
    codebook loaded for that edition)."""
    root = write_study(tmp_path, {"codebook.csv": codebook})
    use_language(lang)  # the loader picks the edition's columns of the codebook
    return Labels.of(lang, load(root, "codebook"))


def theme_names(tmp_path, codebook: str, lang: str) -> dict[str, str]:
    """The theme names a chapter in ``lang`` shows for a study with this codebook."""
    labels = chapter_labels(tmp_path, codebook, lang)
    return {t: labels.theme(t) for t in ("livelihood", "governance", "strategies")}


def test_a_codebook_with_theme_names_in_both_languages_is_valid(tmp_path):
    assert validate_directory(write_study(tmp_path, {"codebook.csv": BOTH})).errors == []


def test_each_edition_shows_the_codebooks_theme_names_in_its_language(tmp_path):
    english = theme_names(tmp_path, BOTH, "en")
    indonesian = theme_names(tmp_path, BOTH, "id")
    assert english["livelihood"] == "Livelihoods"
    assert indonesian["livelihood"] == "Mata pencaharian"
    # a theme of the shipped vocabulary without a name in the codebook keeps the vocabulary's
    assert english["strategies"] == "strategies"
    assert indonesian["strategies"] == "strategi"


def test_without_indonesian_names_the_indonesian_edition_shows_the_originals_marked(tmp_path):
    english = theme_names(tmp_path, ENGLISH_ONLY, "en")
    indonesian = theme_names(tmp_path, ENGLISH_ONLY, "id")
    # the English edition shows the originals as they are
    assert english["livelihood"] == "Livelihoods"
    assert english["governance"] == "governance"
    # the Indonesian edition shows the same originals, each marked as the original
    assert indonesian["livelihood"] == "Livelihoods (teks asli)"
    assert indonesian["governance"] == "governance (teks asli)"
    # a shipped theme is translated by the catalogs, not marked
    assert indonesian["strategies"] == "strategi"


def test_code_labels_without_indonesian_companions_are_marked_in_the_indonesian_edition(tmp_path):
    root = write_study(tmp_path, {"codebook.csv": ENGLISH_ONLY})
    assert set(load(root, "codebook", lang="en")["label"]) == {
        "working capital",
        "top-down planning",
        "village meetings",
    }
    assert set(load(root, "codebook", lang="id")["label"]) == {
        "working capital (teks asli)",
        "top-down planning (teks asli)",
        "village meetings (teks asli)",
    }


def test_a_translated_cell_is_not_marked_and_an_empty_one_stays_empty():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "theme": ["x", "x", "y"],
            "label": ["alpha", "beta", None],
            "label@id": ["alfa", "", None],
        }
    )
    out = contract.localise(frame, contract.CODEBOOK, "id")
    assert out["label"].tolist()[:2] == ["alfa", "beta (teks asli)"]
    assert pd.isna(out["label"].tolist()[2])
    assert "label@id" not in out.columns
    assert contract.localise(frame, contract.CODEBOOK, "en")["label"].tolist()[:2] == [
        "alpha",
        "beta",
    ]


def test_the_mark_is_said_in_the_edition_language():
    assert contract.untranslated("Livelihoods", "en") == "Livelihoods"
    assert contract.untranslated("Livelihoods", "id") == "Livelihoods (teks asli)"


def test_theme_names_of_one_chapter_do_not_pass_to_the_other_edition(tmp_path):
    theme_names(tmp_path, BOTH, "id")
    # names made for the Indonesian edition are not used in English: no state is shared
    assert Labels.of("en").theme("livelihood") == "livelihood"


def test_tables_and_headings_whose_columns_are_themes_use_the_names(tmp_path):
    import pandas as pd

    labels = chapter_labels(tmp_path, ENGLISH_ONLY, "id")
    table = labels.with_headers(pd.DataFrame(columns=["livelihood", "governance", "strategies"]))
    assert list(table.columns) == [
        "Livelihoods (teks asli)",
        "governance (teks asli)",
        "strategi",
    ]
    [(heading, themes)] = theme_blocks(["livelihood"], {"livelihood": "livelihood"}, labels)
    # the name as written, made literal for Markdown
    assert heading == r"**Tema: Livelihoods \(teks asli\)**" and themes == ["livelihood"]
