"""The illustrative dataset: deterministic, valid, and labelled illustrative in its metadata."""

import json

import pytest

from analysis.data.contract import STUDY_FILES
from analysis.data.loading import edition
from analysis.data.validate import validate_directory
from analysis.illustrative.make import write_illustrative
from analysis.pipeline import cli


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("illustrative")
    write_illustrative(out, seed=11)
    return out


def test_same_seed_gives_byte_identical_csv_files(written, tmp_path):
    write_illustrative(tmp_path, seed=11)
    for spec in STUDY_FILES:
        assert (tmp_path / spec.path).read_bytes() == (written / spec.path).read_bytes(), spec.path
    assert (tmp_path / "datapackage.json").read_bytes() == (
        written / "datapackage.json"
    ).read_bytes()


def test_illustrative_dataset_passes_validation(written):
    report = validate_directory(written)
    assert report.ok, report.summary()
    assert not report.warnings, report.summary()


def test_every_illustrative_file_says_so_in_its_metadata(written):
    descriptor = json.loads((written / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    for spec in STUDY_FILES:
        if spec.key == "studies":  # the registry: the studies' published facts, not generated
            assert resources[spec.key]["edition"] == "published"
            assert "ILLUSTRATIVE" not in resources[spec.key]["description"]
            assert edition(written, spec.key) == "published"
            continue
        assert resources[spec.key]["edition"] == "illustrative"
        assert "ILLUSTRATIVE" in resources[spec.key]["description"]
        assert edition(written, spec.key) == "illustrative"


def test_make_illustrative_command_writes_and_validates(tmp_path, capsys):
    assert cli.main(["make-illustrative", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert "illustrative, seed 3" in capsys.readouterr().out
    assert all((tmp_path / spec.path).is_file() for spec in STUDY_FILES)


def test_csv_files_use_the_project_dialect(written):
    text = (written / "study" / "informants.csv").read_text(encoding="utf-8")
    assert "\r" not in text and ",true" in text and "True" not in text
    households = (written / "study" / "households.csv").read_text(encoding="utf-8")
    assert ".0," not in households  # whole Rupiah, no float formatting


def test_shipped_study_files_are_what_the_generators_make(tmp_path):
    """data/study/ is exactly the seeded output: a changed generator needs `make-illustrative` rerun."""
    from analysis.illustrative.make import DEFAULT_SEED
    from analysis.project import PROJECT_ROOT

    written = tmp_path
    write_illustrative(written, seed=DEFAULT_SEED)
    shipped = PROJECT_ROOT / "data" / "study"
    generated = sorted(p.name for p in (written / "study").glob("*.csv"))
    assert generated == sorted(p.name for p in shipped.glob("*.csv"))
    for name in generated:
        assert (written / "study" / name).read_bytes() == (shipped / name).read_bytes(), name
