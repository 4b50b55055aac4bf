"""Every value a reader sees has a label, declared once in the contract beside its enum."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.data import contract
from analysis.project import DATA_DIR

SNAKE = re.compile(r"[a-z0-9]+_[a-z0-9_]+")


def test_programme_components_read_as_words():
    assert contract.label("component", "revolving_credit") == "revolving credit"
    assert contract.label("component", "direct_aid") == "direct aid"


def test_roles_read_as_words_in_the_informants_and_in_the_sampling_frame():
    assert contract.label("role", "kelurahan_official") == "kelurahan official"
    assert contract.label("stratum", "kelurahan_official") == "kelurahan official"


def test_a_field_knows_its_own_labels():
    assert contract.HOUSEHOLDS.field("credit_use").label("raw_materials") == "raw materials"


def test_an_unlabelled_value_reads_as_its_words():
    assert contract.label("business_type", "batik_maker") == "batik maker"
    assert contract.words("grocery_kiosk") == "grocery kiosk"


def test_an_empty_value_reads_as_nothing():
    assert contract.label("role", None) == "" and contract.label("role", float("nan")) == ""


def test_a_column_without_labels_is_named_in_the_error():
    with pytest.raises(KeyError, match="income_before"):
        contract.label("income_before", 1)


@pytest.mark.parametrize(
    "spec_field",
    [(s, f) for s in contract.ALL_FILES for f in s.fields if f.enum and f.labels],
    ids=lambda sf: f"{sf[0].key}.{sf[1].name}",
)
def test_every_value_of_a_labelled_enum_has_its_own_label(spec_field):
    _, field = spec_field
    assert set(field.enum) <= set(field.labels)
    assert not any(SNAKE.fullmatch(field.labels[v]) for v in field.enum)


def test_every_study_enum_with_snake_case_values_is_labelled():
    for spec in contract.STUDY_FILES:
        for field in spec.fields:
            if field.enum and any("_" in v for v in field.enum):
                assert field.labels, f"{spec.key}.{field.name} has no labels"


@pytest.mark.parametrize(
    "key,column",
    [
        ("households", "business_type"),
        ("households", "credit_use"),
        ("informants", "business_type"),
    ],
)
def test_every_value_in_the_shipped_data_has_a_declared_label(key, column):
    spec = contract.study_file(key)
    values = pd.read_csv(DATA_DIR / spec.path)[column].dropna().unique()
    assert set(values) <= set(spec.field(column).labels)


def test_a_column_shared_by_two_files_has_one_set_of_labels():
    labels = contract.field_labels()
    assert labels["business_type"] is contract.BUSINESS_TYPE_LABELS
    assert labels["role"] == labels["stratum"]


def test_the_data_dictionary_marks_field_names_and_paths_as_code():
    from analysis.data import dictionary

    text = "p0 headcount rate; poor_thousands number poor, see data/public/a_b.csv (e.g. pakis)"
    assert dictionary.as_code(text) == (
        "`p0` headcount rate; `poor_thousands` number poor, see `data/public/a_b.csv` (e.g. pakis)"
    )


def test_the_data_dictionary_shows_allowed_values_as_code():
    from analysis.data import dictionary

    descriptor = dictionary.read(DATA_DIR)
    fields = dictionary.fields_table(descriptor, "households").set_index("column")
    assert "`revolving_credit`" in fields.loc["component", "allowed values"]
