"""data/datapackage.json describes every file from the contract; the check reports changed files."""

import json
import shutil

import frictionless
import pytest

from analysis.data.contract import ALL_FILES
from analysis.data.datapackage import (
    OTHER_RESOURCES,
    build_descriptor,
    check_hashes,
    main,
    write_datapackage,
)
from analysis.pipeline import cli
from analysis.project import PROJECT_ROOT
from support.data_fixtures import write_study

ROOT = PROJECT_ROOT


@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(ROOT / "data" / "public", tmp_path / "public")
    write_study(tmp_path, {"book.csv": "title,subtitle\nA book,\n"})  # every file of the contract
    write_datapackage(
        tmp_path, editions={s.key: "illustrative" for s in ALL_FILES if s.path.startswith("study/")}
    )
    return tmp_path


def test_descriptor_is_a_valid_frictionless_data_package(data_copy):
    report = frictionless.validate(str(data_copy / "datapackage.json"))
    package = frictionless.Package(str(data_copy / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(package.resources) == len(ALL_FILES) + len(OTHER_RESOURCES)  # + the boundaries


def test_every_resource_has_provenance_edition_hash_and_field_units(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert (
            resource["title"]
            and resource["description"]
            and resource["sources"]
            and resource["licenses"]
        )
        assert resource["edition"] in ("real", "illustrative", "published")
        assert resource["hash"].startswith("sha256:") and len(resource["hash"]) == 7 + 64
        for f in resource["schema"]["fields"]:
            assert {"name", "type", "description", "unit"} <= set(f)
    households = next(r for r in descriptor["resources"] if r["name"] == "households")
    income = next(f for f in households["schema"]["fields"] if f["name"] == "income_before")
    assert (income["type"], income["unit"]) == ("integer", "Rupiah per month")


def test_illustrative_files_say_so_in_their_metadata(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == "study/studies.csv":  # the studies' own published facts
            assert resource["edition"] == "published"
        elif resource["path"].startswith("study/"):
            assert resource["edition"] == "illustrative"
            assert resource["description"].startswith("ILLUSTRATIVE DATA, not field results")
            assert resource["title"].startswith("Illustrative")
        else:
            assert resource["edition"] == "real"


def test_descriptor_is_generated_from_the_contract(data_copy):
    descriptor = build_descriptor(data_copy)
    for spec, resource in zip(ALL_FILES, descriptor["resources"]):
        assert resource["name"] == spec.key and resource["path"] == spec.path
        for described in resource["schema"]["fields"]:
            declared = spec.field(described["name"])
            assert (described["type"], described["description"], described["unit"]) == (
                declared.type,
                declared.description,
                declared.unit,
            )
        assert {f.name for f in spec.fields if f.required} <= {
            f["name"] for f in resource["schema"]["fields"]
        }


def test_extra_columns_are_described_as_outside_the_contract(tmp_path):
    write_study(tmp_path)
    path = tmp_path / "study" / "codebook.csv"
    path.write_text(
        path.read_text()
        .replace("description\n", "description,colour\n")
        .replace("\n", ",red\n")
        .replace("colour,red", "colour")
    )
    descriptor = build_descriptor(tmp_path)
    codebook = next(r for r in descriptor["resources"] if r["name"] == "codebook")
    assert codebook["schema"]["fields"][-1] == {
        "name": "colour",
        "type": "string",
        "description": "Extra column, not in the data contract.",
        "unit": None,
    }


def test_writing_keeps_recorded_editions_and_is_stable(data_copy):
    first = (data_copy / "datapackage.json").read_bytes()
    assert main(data_copy) == 0
    assert (data_copy / "datapackage.json").read_bytes() == first


def test_datapackage_hash_mismatch_is_reported(data_copy, capsys):
    with open(data_copy / "study" / "codebook.csv", "a", encoding="utf-8") as handle:
        handle.write("new_code,programmes,Added later\n")
    assert main(data_copy, check=True) == 1
    err = capsys.readouterr().err
    assert "study/codebook.csv: sha256 differs from datapackage.json" in err
    assert check_hashes(
        data_copy, json.loads((data_copy / "datapackage.json").read_text())
    ).changed == ["study/codebook.csv"]


def test_datapackage_check_reports_missing_and_undescribed_files(data_copy):
    (data_copy / "study" / "programmes.csv").unlink()
    descriptor = json.loads((data_copy / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "households"]
    result = check_hashes(data_copy, descriptor)
    assert result.missing == ["study/programmes.csv"] and result.undescribed == [
        "study/households.csv"
    ]


def test_datapackage_check_passes_on_unchanged_data_and_writes_nothing(data_copy, capsys):
    before = {p: p.stat().st_mtime_ns for p in data_copy.rglob("*")}
    assert cli.main(["datapackage", str(data_copy), "--check"]) == 0
    assert {p: p.stat().st_mtime_ns for p in data_copy.rglob("*")} == before


def test_datapackage_check_without_descriptor_exits_2(tmp_path):
    assert main(write_study(tmp_path), check=True) == 2


def test_shipped_datapackage_matches_the_shipped_files():
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    result = check_hashes(ROOT / "data", descriptor)
    assert result.ok, result.summary()


def test_the_registry_is_described_as_the_studies_published_facts_not_as_illustrative(data_copy):
    """studies.csv holds the studies' real titles, places, designs and claims: its edition is
    "published", whatever the generator that writes it beside the illustrative files says."""
    from analysis.data.datapackage import PUBLISHED_NOTE, build_descriptor
    from analysis.data.loading import edition

    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    studies = next(r for r in descriptor["resources"] if r["name"] == "studies")
    assert studies["edition"] == "published"
    assert studies["description"].startswith(PUBLISHED_NOTE)
    assert "ILLUSTRATIVE" not in studies["description"] and "Illustrative" not in studies["title"]
    assert edition(data_copy, "studies") == "published"
    rebuilt = build_descriptor(data_copy, {"studies": "illustrative", "segments": "illustrative"})
    kinds = {r["name"]: r["edition"] for r in rebuilt["resources"]}
    assert kinds["studies"] == "published" and kinds["segments"] == "illustrative"
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    registry = next(r for r in shipped["resources"] if r["name"] == "studies")
    assert registry["edition"] == "published"
    fields = {f["name"]: f for f in registry["schema"]["fields"]}
    assert fields["sampling_description"]["type"] == "string"  # the studies' own words
