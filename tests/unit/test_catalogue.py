"""The chapter catalogue (book/chapters.yml) is the book's list of chapters: the planner reads it,
runs no analysis and names no template."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.data.registry import all_studies
from analysis.i18n import LANGUAGES
from analysis.pipeline import atlas, catalogue, imports, plan
from analysis.pipeline.runner import RunsFileError
from analysis.pipeline.translations import placeholders
from analysis.project import DATA_DIR, PACKAGE_DIR

CATALOGUE = catalogue.load_catalogue()
PLANNERS = [PACKAGE_DIR / "pipeline" / "plan.py", PACKAGE_DIR / "pipeline" / "atlas.py"]


@pytest.mark.parametrize("path", PLANNERS, ids=lambda p: p.name)
def test_the_planner_names_no_template_and_imports_no_analysis(path):
    source = path.read_text(encoding="utf-8")
    assert not re.findall(r"\b[a-z][a-z0-9_]*\.ipynb", source)  # (a file NAME.ipynb is fine)
    names = imports.imported_names(source, imports._module_name(path))
    assert not [n for n in names if n.startswith("analysis.methods")]


def test_every_title_has_every_language_with_the_same_placeholders():
    texts = [t for c in CATALOGUE.chapters for t in c.title]
    texts += [d for c in CATALOGUE.chapters for d in c.defaults.values()]
    assert texts
    for text in texts:
        assert set(LANGUAGES) <= set(text), text
        english = placeholders(text["en"])
        assert all(placeholders(text[lang]) == english for lang in LANGUAGES), text


def _catalogue_copy(tmp_path, edit) -> catalogue.Catalogue:
    document = yaml.safe_load(catalogue.CATALOGUE_FILE.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "chapters.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return catalogue.load_catalogue(path)


def test_a_chapter_added_to_the_catalogue_is_planned_without_a_code_change(tmp_path):
    def add(document):
        document["chapters"].append(
            {
                "name": "sampling",
                "template": "sampling.ipynb",
                "for_each": "study",
                "only_when": [{"rows_in": "study/sampling_frame.csv", "where": {"site": "{site}"}}],
                "id": "sampling-{site}",
                "output": "chapters/sampling_{slug}.ipynb",
                "inputs": ["study/sampling_frame.csv"],
                "parameters": {"site": "{site}", "draws": 5},
                "title": [{"en": "{short_name}: the sample", "id": "{short_name}: sampel"}],
            }
        )
        document["contents"]["parts"][2]["chapters"].append("sampling")

    edited = _catalogue_copy(tmp_path, add)
    frame = pd.read_csv(DATA_DIR / "study" / "sampling_frame.csv", dtype=str)
    runs = plan.derive_runs(DATA_DIR, edited)
    added = [r for r in runs if r.template == "sampling.ipynb"]
    sites = [s.site for s in all_studies(DATA_DIR) if s.site in set(frame["site"])]
    assert [r.parameters["site"] for r in added] == sites
    assert added and added[0].parameters["draws"] == 5
    assert added[0].translated["id"]["title"].endswith(": sampel")
    toc = plan.derive_toc(DATA_DIR, runs, edited)
    files = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert added[0].docname in files


def test_a_chapter_removed_from_the_catalogue_is_planned_no_more(tmp_path):
    def remove(document):
        document["chapters"] = [c for c in document["chapters"] if c["name"] != "income"]
        for part in document["contents"]["parts"]:
            part["chapters"] = [c for c in part.get("chapters", []) if c != "income"]
            part["pages"] = [p for p in part.get("pages", []) if not isinstance(p, dict)]

    edited = _catalogue_copy(tmp_path, remove)
    runs = plan.derive_runs(DATA_DIR, edited)
    assert [r.id for r in runs] == [
        r.id for r in plan.derive_runs(DATA_DIR) if r.id != "income-pakis"
    ]


def test_a_page_kept_for_a_chapter_goes_when_the_chapter_has_no_run(tmp_path):
    def files(data):
        return [c["file"] for p in plan.derive_toc(data)["parts"] for c in p["chapters"]]

    assert "book/pages/results-keys" in files(DATA_DIR)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    households = data / "study" / "households.csv"
    households.write_text(households.read_text(encoding="utf-8").splitlines()[0] + "\n")
    assert "book/pages/results-keys" not in files(data)
    assert not [f for f in files(data) if "income" in f]


def _public_with_one_year(tmp_path, code: str) -> Path:
    """A copy of the shipped data in which ``code`` has a P0 figure for 2010 only."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    for path in (data / "public").glob("*.csv"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "area_code" not in table:
            continue
        drop = (
            (table["area_code"] == code) & (table["indicator"] == "p0") & (table["year"] != "2010")
        )
        table[~drop].to_csv(path, index=False, lineterminator="\n")
    return data


def test_the_period_rule_is_read_from_the_data_files(tmp_path):
    data = _public_with_one_year(tmp_path, "3510")
    reasons = plan.skip_reasons(plan.derive_runs(data), data)
    assert list(reasons) == ["context-banyuwangi"]
    assert "fewer than two years" in reasons["context-banyuwangi"]
    assert "3510" in reasons["context-banyuwangi"]


def test_the_atlas_runs_the_catalogues_context_chapter(tmp_path):
    def rename(document):
        for chapter in document["chapters"]:
            if chapter["name"] == "context":
                chapter["template"] = "area.ipynb"
                chapter["inputs"] = ["public/bps_regency_p0_2010_2018.csv"]

    edited = _catalogue_copy(tmp_path, rename)
    runs = atlas.atlas_runs("3517", DATA_DIR, catalogue=edited)
    assert [(r.template, r.inputs) for r in runs] == [
        ("area.ipynb", ("public/bps_regency_p0_2010_2018.csv",))
    ]
    assert runs[0].output == "chapters/atlas/area_3517.ipynb"


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda d: d["chapters"][0].update(for_each="village"), "key 'for_each'"),
        (lambda d: d["chapters"][0].update(colour="red"), "unknown key 'colour'"),
        (lambda d: d["chapters"][1].pop("template"), "key 'template' missing"),
        (lambda d: d["chapters"][0].update(skip_unless=[{"where": {}}]), "key 'skip_unless'"),
        (lambda d: d["chapters"][2].update(title=[{"id": "x"}]), "key 'title'"),
        (lambda d: d["contents"]["parts"][0]["chapters"].append("atlas"), "no chapter 'atlas'"),
        (lambda d: d["contents"]["parts"].pop(1), "chapter 'programmes' is in no part"),
    ],
)
def test_a_bad_catalogue_is_refused_naming_the_key(tmp_path, edit, expected):
    with pytest.raises(RunsFileError, match=re.escape(expected)):
        _catalogue_copy(tmp_path, edit)


def test_a_parameter_is_a_field_with_its_type_or_a_filled_pattern():
    fields = {"code": 3517, "name": "Jombang", "codes": [1, 2]}
    assert catalogue.value_of("{code}", fields) == 3517
    assert catalogue.value_of("{codes}", fields) == [1, 2]
    assert catalogue.value_of("area {code} of {name}", fields) == "area 3517 of Jombang"
    assert catalogue.value_of(9999, fields) == 9999
