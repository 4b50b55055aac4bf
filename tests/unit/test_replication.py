"""The replication README: generated from the project's records, kept equal to REPLICATION.md,
and complete (every data file with its checksum, every run with its outputs and numbers)."""

from __future__ import annotations

import hashlib
import json

from analysis.pipeline import replication, runner
from analysis.project import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"


def test_replication_md_is_what_the_records_give():
    assert replication.REPLICATION_FILE.read_text(encoding="utf-8") == (
        replication.replication_markdown("en")
    ), "REPLICATION.md is stale: python -m analysis.pipeline.replication"


def test_it_has_the_sections_of_the_aea_template():
    text = replication.replication_markdown("en")
    for heading in (
        "## Data availability and provenance",
        "## Data files and checksums",
        "## Computational requirements",
        "## Randomness",
        "## Instructions to replicators",
        "## Tables, figures and numbers, and the programs that make them",
    ):
        assert heading in text


def test_every_data_file_is_listed_with_its_actual_checksum():
    text = replication.replication_markdown("en")
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        digest = hashlib.sha256((DATA / resource["path"]).read_bytes()).hexdigest()
        assert f"`data/{resource['path']}`" in text
        assert f"{digest}  data/{resource['path']}" in text, resource["path"]


def test_the_checksum_block_is_what_sha256sum_checks(tmp_path):
    import re
    import subprocess

    text = replication.replication_markdown("en")
    block = re.search(r"```text\n(.*?)```", text, re.S).group(1)
    (tmp_path / "sums").write_text(block, encoding="utf-8")
    checked = subprocess.run(
        ["sha256sum", "-c", str(tmp_path / "sums")], cwd=PROJECT_ROOT, capture_output=True
    )
    assert checked.returncode == 0, checked.stdout.decode()


def test_every_run_is_listed_with_its_template_figures_tables_and_numbers(tmp_path):
    text = replication.replication_markdown("en")
    for run in runner.load_runs():
        assert f"Run `{run.id}`: template `book/templates/{run.template}`" in text
        contents = replication.chapter_contents(PROJECT_ROOT / "book" / run.output)
        for key in contents.numbers:
            assert f"`{key}`" in text
        assert f"{len(contents.numbers)} glued number" in text


def test_chapter_contents_counts_what_a_chapter_shows(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["## All {glue:text}`n` areas\n"], "metadata": {}},
            {
                "cell_type": "code",
                "source": [],
                "metadata": {},
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {"text/plain": "38"},
                        "metadata": {"scrapbook": {"name": "n", "mime_prefix": ""}},
                    },
                    {
                        "output_type": "display_data",
                        "data": {"image/png": "iVBOR", "text/plain": "<Figure>"},
                        "metadata": {"image/png": {"alt": "38 bars"}},
                    },
                    {
                        "output_type": "display_data",
                        "data": {"text/markdown": "| a |\n|---|\n| 1 |\n", "text/plain": ""},
                        "metadata": {},
                    },
                    {
                        "output_type": "display_data",
                        "data": {"text/markdown": "{download}`All rows <downloads/x.csv>`"},
                        "metadata": {},
                    },
                ],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    contents = replication.chapter_contents(path)
    assert contents.figures == (("All 38 areas", "38 bars"),)
    assert contents.tables == ("All 38 areas",)
    assert contents.downloads == ("downloads/x.csv",)
    assert contents.numbers == ("n",)


def test_software_comes_from_the_lock_file_and_the_install_script():
    pins = replication.locked_packages()
    assert pins["papermill"] and pins["jupyter-book"]
    assert "chromium" in replication.system_packages()
    text = replication.replication_markdown("en")
    assert f"papermill {pins['papermill']}" in text
    assert f"{len(pins)} packages pinned" in text


def test_the_indonesian_appendix_is_written_in_indonesian():
    text = replication.replication_markdown("id")
    assert "## Ketersediaan dan asal-usul data" in text
    assert "Data availability" not in text
    # the sections of the chapters in the book's own Indonesian (its Sphinx catalogs)
    assert "Siapa mengatakan apa" in text and "Who said what" not in text
    # the sources and licences the data package describes, in Indonesian too
    assert "Statistik resmi BPS" in text


def test_a_researchers_own_study_is_described_as_it_is(tmp_path):
    """A one-study field folder without ``datapackage.json``: the package names that study, calls
    its files field data with their real checksums, and says nothing of the shipped studies."""
    from tests.support import corpus

    study = corpus.bulukumba(tmp_path)
    text = replication.replication_markdown("en", study.data, runs=[])
    assert "a re-analysis of the study of Bulukumba on published BPS statistics and field data" in (
        text
    )
    for absent in ("two studies", "illustrative", "make-illustrative"):
        assert absent not in text, absent
    study_rows = [line for line in text.splitlines() if line.startswith("| `study/")]
    assert study_rows and not any("Jombang" in row or "Pakis" in row for row in study_rows)
    segments = study.data / "study" / "segments.csv"
    digest = hashlib.sha256(segments.read_bytes()).hexdigest()
    assert f"{digest}  study/segments.csv" in text
    assert "| `study/segments.csv` | field data |" in text
    assert "the researcher decides" in text
    indonesian = replication.replication_markdown("id", study.data, runs=[])
    assert (
        "studi Bulukumba berdasarkan statistik BPS yang telah dipublikasikan dan data lapangan"
        in (indonesian)
    )


def test_missing_records_leave_the_requirements_short_not_the_build_broken(tmp_path):
    import platform

    assert replication.python_version(tmp_path / "environment.yml") == ".".join(
        platform.python_version_tuple()[:2]
    )
    assert replication.system_packages(tmp_path / "install-system-deps.sh") == []
