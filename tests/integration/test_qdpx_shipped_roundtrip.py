"""export-qdpx then import-qdpx of a whole shipped study gives back its registry row, and the
project it writes reads with nothing to fill in (generated studies and the projects of real tools
go round in tests/unit/test_qdpx_roundtrip.py)."""

from __future__ import annotations

import pytest

from analysis.data.contract import STUDIES
from analysis.data.csvfile import read_csv_text
from analysis.data.qdpx import read_qdpx
from analysis.data.qdpx_export import export_qdpx
from analysis.pipeline import cli
from analysis.project import DATA_DIR


@pytest.mark.parametrize("site", ["pakis", "jombang"])
def test_a_shipped_study_comes_back_with_its_registry_row(tmp_path, site):
    project = tmp_path / f"{site}.qdpx"
    export_qdpx(DATA_DIR, site, project)
    again = tmp_path / "again"
    assert cli.main(["import-qdpx", str(project), "--site", site, "--out", str(again)]) == 0
    shipped = read_csv_text(DATA_DIR / STUDIES.path, "s").frame
    row = shipped[shipped["site"] == site].dropna(axis=1)
    back = read_csv_text(again / STUDIES.path, "s").frame.dropna(axis=1)
    assert back.reset_index(drop=True).to_dict("records") == row.reset_index(drop=True).to_dict(
        "records"
    )
    result = read_qdpx(project, site=site)
    assert result.title == row["title"].iloc[0] and result.to_fill() == []
