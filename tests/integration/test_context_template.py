"""Template executions moved from tests/unit/test_context.py (they run papermill)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.pipeline.runner import glued_values
from analysis.project import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
PUBLIC = DATA / "public"
TEMPLATE = PROJECT_ROOT / "book" / "templates" / "context.ipynb"
has_public = pytest.mark.skipif(
    not (PUBLIC / "bps_regency_p0_2010_2018.csv").is_file(), reason="data/public not present"
)
HOSTILE_NAME = "*x* <b>y</b> {glue}`k`"


def execute_template(tmp_path: Path, **parameters) -> Path:
    import papermill

    output = tmp_path / "context.ipynb"
    papermill.execute_notebook(
        str(TEMPLATE),
        str(output),
        parameters={"data_dir": str(DATA), **parameters},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    return output


@pytest.mark.slow
@has_public
def test_template_builds_a_chapter_for_a_third_area_surabaya(tmp_path):
    output = execute_template(tmp_path, area_code=3578)
    nb = json.loads(output.read_text())
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert out.get("name") != "stderr", "".join(out.get("text", ""))
    values = glued_values(output)
    assert values["area_name"] == "Kota Surabaya"
    assert values["p0_first_p0"] == 7.07 and values["p0_missing_years"] == list(range(2019, 2026))
    assert values["rank_n_areas"] == 38 and values["change_start_year"] == 2010
    from analysis.i18n import output_language

    figures = [
        output_language(o)
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert sorted(figures) == ["en", "en", "id", "id"]  # one execution draws both editions'


@pytest.mark.slow
@has_public
def test_template_builds_the_context_of_a_study_whose_years_pass_the_series(tmp_path):
    """Lamongan (3524, figures 2010-2018 only), fieldwork 2024: a chapter, never a skip."""
    output = execute_template(tmp_path, area_code=3524, period_start=2024, period_end=2024)
    nb = json.loads(output.read_text())
    assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    values = glued_values(output)
    assert (values["change_start_year"], values["change_end_year"]) == (2010, 2018)
    assert values["change_years_without_figure"] == "2024"
    shown = "".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )
    assert "no P0 figure for Lamongan in 2024" in shown


@pytest.mark.slow
@has_public
def test_template_stops_with_a_clear_message_for_an_unknown_area(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as failure:
        execute_template(tmp_path, area_code=9999)
    assert failure.value.ename == "UnknownAreaError"
    assert "9999 is not among the 514 regencies and cities" in failure.value.evalue
