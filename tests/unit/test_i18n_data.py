"""The data layer in two languages: translated labels, companion columns ``<column>@id`` (validated,
read in the current language by load() and the registry), the data dictionary in Indonesian."""

import pandas as pd
import pytest

from analysis.data import contract, dictionary
from analysis.data.datapackage import build_descriptor
from analysis.data.loading import load
from analysis.data.registry import all_studies, study
from analysis.data.validate import validate_directory
from analysis.i18n import use_language
from analysis.illustrative.make import generate
from analysis.project import PROJECT_ROOT
from analysis.report import dictionary as words
from support.data_fixtures import STUDY_TEXT, write_study

DATA_DIR = PROJECT_ROOT / "data"
CODEBOOK = (
    "code,theme,description,description@id\n"
    "working_capital,programmes,Credit used as working capital,Kredit dipakai sebagai modal kerja\n"
    "top_down_planning,strategies,Planning decided above,\n"
)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    use_language("en")


def codebook_with(column: str, value: str) -> str:
    """The fixture's codebook with one more column (``value`` in the first row)."""
    return (
        f"code,theme,description,{column}\n"
        f"working_capital,programmes,Credit used as working capital,{value}\n"
        "top_down_planning,strategies,Planning decided above,\n"
    )


def errors(tmp_path, name: str, text: str):
    report = validate_directory(write_study(tmp_path, {name: text}))
    return [(p.file, p.line, p.column, p.expected) for p in report.errors]


# --- labels -----------------------------------------------------------------------------------


def test_labels_are_translated_in_the_indonesian_edition():
    use_language("id")
    assert contract.label("component", "revolving_credit") == "kredit bergulir"
    assert contract.label("role", "resident") == "warga"
    assert contract.label("informant_type", "core") == "informan inti"
    assert (
        contract.label("selection", "two-stage cluster") == "pengambilan sampel klaster dua tahap"
    )
    assert contract.label("credit_use", "raw_materials") == "bahan baku"
    assert contract.label("theme", "empowerment") == "pemberdayaan"
    assert contract.INFORMANTS.field("role").label("kelurahan_staff") == "staf kelurahan"
    assert contract.label_map("source_type") == {
        "interview": "wawancara",
        "observation": "observasi",
        "document": "dokumen",
    }
    assert contract.edition_label("illustrative") == "ilustratif"


def test_labels_in_english_are_unchanged_and_unlabelled_values_read_as_words():
    assert contract.label("component", "revolving_credit") == "revolving credit"
    assert contract.label_map("role")["regency_official"] == "regency official"
    assert contract.label("level", "kecamatan") == "kecamatan"
    assert contract.label("theme", "meaning") == "meaning"
    use_language("id")
    assert contract.label("business_type", "batik_maker") == "batik maker"  # not declared
    assert contract.label("role", None) == ""


def test_the_label_tables_keep_the_english_source_text():
    # Modules that show labels call _() on them or, better, contract.label(): the tables hold English.
    use_language("id")
    assert contract.ROLE_LABELS["resident"] == "resident"


# --- validation of companion columns --------------------------------------------------------------


def test_a_companion_column_of_a_translatable_field_is_valid(tmp_path):
    assert errors(tmp_path, "codebook.csv", CODEBOOK) == []
    report = validate_directory(write_study(tmp_path, {"codebook.csv": CODEBOOK}))
    assert not [p for p in report.warnings if p.column == "description@id"]


def test_the_shipped_data_with_its_companion_columns_is_valid():
    report = validate_directory(DATA_DIR)
    assert report.ok, report.summary()
    columns = pd.read_csv(DATA_DIR / "study" / "studies.csv", nrows=0).columns
    assert "context_note@id" in columns and "place@id" in columns


def test_a_companion_of_a_field_that_is_not_translatable_is_an_error(tmp_path):
    text = codebook_with("theme@id", "program")
    found = errors(tmp_path, "codebook.csv", text)
    assert [(f, line, c) for f, line, c, _ in found] == [("study/codebook.csv", 1, "theme@id")]
    assert "theme is not translatable" in found[0][3]


def test_a_companion_of_an_unknown_column_is_an_error(tmp_path):
    text = codebook_with("meaning@id", "arti")
    found = errors(tmp_path, "codebook.csv", text)
    assert [(f, line, c) for f, line, c, _ in found] == [("study/codebook.csv", 1, "meaning@id")]
    assert "'meaning' is not a column" in found[0][3]


def test_a_companion_in_a_language_without_an_edition_is_an_error(tmp_path):
    text = codebook_with("description@fr", "Crédit")
    found = errors(tmp_path, "codebook.csv", text)
    assert [(f, line, c) for f, line, c, _ in found] == [
        ("study/codebook.csv", 1, "description@fr")
    ]
    assert "description@id" in found[0][3]
    text = codebook_with("description@en", "Credit")
    assert [c for _, _, c, _ in errors(tmp_path, "codebook.csv", text)] == ["description@en"]


# --- load() and the registry --------------------------------------------------------------------


def test_load_returns_the_indonesian_text_with_english_where_the_companion_is_empty(tmp_path):
    root = write_study(tmp_path, {"codebook.csv": CODEBOOK})
    use_language("id")
    codebook = load(root, "codebook")
    assert list(codebook["description"]) == [
        "Kredit dipakai sebagai modal kerja",
        "Planning decided above",
    ]
    assert "description@id" not in codebook.columns


def test_load_in_english_is_the_file_without_its_companion_columns(tmp_path):
    with_companions = load(write_study(tmp_path / "a", {"codebook.csv": CODEBOOK}), "codebook")
    without = load(write_study(tmp_path / "b"), "codebook")
    pd.testing.assert_frame_equal(with_companions, without)
    assert list(with_companions.columns) == ["code", "theme", "description"]


@pytest.mark.parametrize("key", ["studies", "codebook", "programmes"])
def test_the_shipped_files_read_in_english_as_their_english_columns(key):
    raw = pd.read_csv(DATA_DIR / contract.study_file(key).path, dtype=str)
    frame = load(DATA_DIR, key)
    assert list(frame.columns) == [c for c in raw.columns if "@" not in c]
    for name in contract.study_file(key).translatable:
        if name in raw:
            assert list(frame[name].fillna("")) == list(raw[name].fillna("")), name


def test_the_registry_gives_the_indonesian_text_of_the_studies():
    use_language("id")
    jombang = study(DATA_DIR, "jombang")
    assert jombang.place == "Kabupaten Jombang, Jawa Timur"
    assert jombang.context_note.startswith("tahun-tahun seri BPS")
    assert "reduksi data, penyajian data" in study(DATA_DIR, "pakis").analysis_method
    # a cell without a translation (already Indonesian) keeps the column's text
    assert study(DATA_DIR, "pakis").programme == "P2KP"
    # identifiers and numbers do not change with the language
    pakis = study(DATA_DIR, "pakis")
    assert pakis.selection == "purposive" and pakis.claim["claim_rp_low"] == 300000


def test_the_registry_in_english_is_unchanged():
    jombang = study(DATA_DIR, "jombang")
    assert jombang.place == "Kabupaten Jombang, East Java"
    assert jombang.headline == "how the regency implements poverty alleviation"
    assert [s.site for s in all_studies(DATA_DIR)] == ["jombang", "pakis"]


def test_codebook_and_programmes_come_in_indonesian():
    use_language("id")
    codebook = load(DATA_DIR, "codebook").set_index("code")
    assert codebook.at["credit_raw_materials", "label"] == "kredit: bahan baku"
    assert codebook.at["strat_top_down", "finding"] == "Perencanaan masih top-down"
    assert codebook.at["strat_top_down", "theme"] == "strategies"  # an identifier, labelled
    programmes = load(DATA_DIR, "programmes").set_index("programme")
    assert programmes.at["P2KP: kredit bergulir", "instrument"] == "kredit bergulir"
    # the source of a central programme is Indonesian already: no companion text, same text
    assert programmes.at["Raskin / Rastra", "source"].startswith("Pedoman Umum Raskin 2014")


# --- the illustrative generator ----------------------------------------------------------------


def test_the_generator_writes_a_translation_for_every_row_of_codebook_and_programmes():
    frames = generate(20170301)
    for key, columns in (
        ("codebook", ["label@id", "description@id"]),
        ("programmes", ["sector@id", "instrument@id", "target@id", "description@id"]),
    ):
        assert frames[key][columns].notna().all().all(), key
    assert frames["studies"]["context_note@id"].notna().all()


# --- the data dictionary and the descriptor ---------------------------------------------------


def test_the_descriptor_describes_companion_columns_and_marks_translatable_fields():
    descriptor = build_descriptor(DATA_DIR)
    studies = next(r for r in descriptor["resources"] if r["name"] == "studies")
    fields = {f["name"]: f for f in studies["schema"]["fields"]}
    assert fields["place"]["x-translatable"] is True
    assert "x-translatable" not in fields["site"]
    assert fields["place@id"]["x-translation-of"] == "place"
    assert fields["place@id"]["description"] == (
        "Indonesian text of place for the id edition; an empty cell shows the text of place."
    )


def test_the_data_dictionary_in_indonesian():
    descriptor = dictionary.read(DATA_DIR)
    files = words.readable(dictionary.files_table(descriptor), "id")
    assert list(files.columns) == ["berkas", "judul", "edisi", "lisensi", "jumlah kolom", "sha256"]
    row = files.set_index("berkas").loc["study/codebook.csv"]
    assert row["judul"] == "Ilustratif: Buku kode" and row["edisi"] == "ilustratif"
    fields = words.readable(words.fields_table(descriptor, "studies", "id"), "id")
    fields = fields.set_index("kolom")
    assert fields.at["site", "wajib"] == "ya"
    assert fields.at["title", "arti"] == "Judul studi (sebagaimana diterbitkan)."
    incomes = words.readable(words.fields_table(descriptor, "households", "id"), "id")
    assert incomes.set_index("kolom").at["income_before", "satuan"] == "rupiah per bulan"
    assert fields.at["context_note@id", "arti"].startswith("Teks `context_note` dalam bahasa")
    assert words.header("allowed values", "id") == "nilai yang diizinkan"
    codebook = next(r for r in descriptor["resources"] if r["name"] == "codebook")
    assert words.file_description(codebook, "id").startswith("DATA ILUSTRATIF, bukan hasil")
    assert "`place@id`" in words.companion_note(descriptor, "id")


def test_the_data_dictionary_words_follow_the_argument_not_the_current_language():
    descriptor = dictionary.read(DATA_DIR)
    use_language("id")
    files = words.readable(dictionary.files_table(descriptor), "en")
    assert list(files.columns)[0] == "file"
    assert words.companion_note(descriptor, "en").startswith("Text that readers see")


def test_the_data_dictionary_in_english_is_the_descriptor_unchanged():
    descriptor = dictionary.read(DATA_DIR)
    files = dictionary.files_table(descriptor)
    pd.testing.assert_frame_equal(words.readable(files, "en"), files)
    fields = words.fields_table(descriptor, "households", "en")
    pd.testing.assert_frame_equal(words.readable(fields, "en"), fields)
    for resource in descriptor["resources"]:
        assert words.file_description(resource, "en") == resource["description"]
    note = words.companion_note(descriptor, "en")
    assert note.startswith("Text that readers see may come in two languages.")


def test_a_researchers_own_titles_and_descriptions_stay_as_written():
    assert words.file_title("My own survey", "id") == "My own survey"
    resource = {"name": "codebook", "description": "Our codes."}
    assert words.file_description(resource, "id") == "Our codes."


def test_the_fixture_codebook_is_the_one_the_other_tests_use():
    assert STUDY_TEXT["codebook.csv"].splitlines()[0] == "code,theme,description"


def test_the_registry_gives_a_language_on_request_whatever_the_current_one():
    # what the runner needs for an Indonesian run's period_label: context_note@id
    assert study(DATA_DIR, "pakis", lang="id").context_note.startswith("tahun-tahun perbandingan")
    assert study(DATA_DIR, "pakis").context_note.startswith("the years of the Pakis")
    use_language("id")
    assert study(DATA_DIR, "pakis", lang="en").context_note.startswith("the years of the Pakis")
    assert load(DATA_DIR, "codebook", lang="en").set_index("code").at["income_rise", "label"] == (
        "income rose"
    )
    with pytest.raises(ValueError, match="not a language of the book"):
        load(DATA_DIR, "codebook", lang="fr")


def test_the_data_dictionary_gives_the_registry_as_published_facts_in_both_editions():
    """studies.csv holds the studies' real published facts: the dictionary says so, not
    "ILLUSTRATIVE DATA", in English and in Indonesian."""
    descriptor = dictionary.read(DATA_DIR)
    studies = next(r for r in descriptor["resources"] if r["name"] == "studies")
    english = words.file_description(studies, "en")
    indonesian = words.file_description(studies, "id")
    assert english.startswith("PUBLISHED FACTS of the studies") and "ILLUSTRATIVE" not in english
    assert indonesian.startswith("FAKTA TERBITAN penelitian") and "ILUSTRATIF" not in indonesian
    status = dictionary.hash_status(DATA_DIR, descriptor)
    brief = " ".join(p.markdown for p in words.in_brief(descriptor, status, lang="en"))
    assert "1 published (the studies' own facts" in brief
    brief_id = " ".join(p.markdown for p in words.in_brief(descriptor, status, lang="id"))
    assert "1 terbitan (fakta penelitian itu sendiri" in brief_id
