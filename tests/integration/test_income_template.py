"""Template executions moved from tests/unit/test_income.py (they run papermill)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data import registry
from analysis.illustrative.households import generate_households
from analysis.methods import income
from analysis.project import PROJECT_ROOT

ROOT = PROJECT_ROOT
CPI_ROWS = [  # national CPI inflation, December on December (data/public/cpi_inflation_national.csv)
    ("00", 2014, "cpi_inflation_dec_on_dec", 8.36),
    ("00", 2015, "cpi_inflation_dec_on_dec", 3.35),
    ("00", 2016, "cpi_inflation_dec_on_dec", 3.02),
    ("00", 2017, "cpi_inflation_dec_on_dec", 3.61),
    ("00", 2016, "cpi_level_dec", 126.71),
]
EXAMPLE_BEFORE = [910_000, 1_180_000, 1_260_000, 970_000, 1_600_000, 750_000, 880_000]
EXAMPLE_AFTER = [1_230_000, 1_810_000, 1_150_000, 1_430_000, 2_110_000, 1_190_000, 1_170_000]
PAKIS_CLAIM = registry.study(PROJECT_ROOT / "data", "pakis").all_claims
SHIPPED = ROOT / "data" / "study" / "households.csv"


def _write_data_dir(root: Path, households: pd.DataFrame, data_kind: str | None = None) -> Path:
    """A data directory with the registry, households, informants and the national CPI file;
    ``data_kind`` ("field", ...) replaces the shipped registry's (illustrative) when given."""
    (root / "study").mkdir(parents=True)
    (root / "public").mkdir()
    registry = pd.read_csv(
        ROOT / "data" / "study" / "studies.csv", dtype=str, keep_default_na=False
    )
    if data_kind is not None:
        registry["data_kind"] = data_kind
    registry.to_csv(root / "study" / "studies.csv", index=False, lineterminator="\n")
    households.to_csv(root / "study" / "households.csv", index=False)
    ids = [f"PKS-R{i:02d}" for i in range(1, 10)] + ["PKS-S01", "PKS-S02"]
    pd.DataFrame(
        {
            "informant_id": ids,
            "site": "pakis",
            "role": ["resident"] * 9 + ["kelurahan_staff"] * 2,
            "level": ["community"] * 9 + ["kelurahan"] * 2,
            "cluster": ["RW01"] * 9 + [None, None],
            "consent_quote": True,
            "informant_type": ["core"] * 9 + ["additional"] * 2,
        }
    ).to_csv(root / "study" / "informants.csv", index=False)
    shutil.copy(ROOT / "data" / "public" / "cpi_inflation_national.csv", root / "public")
    return root


def _execute_template(data_dir: Path, out: Path) -> dict:
    papermill = pytest.importorskip("papermill")
    from analysis.pipeline.runner import glued_values

    papermill.execute_notebook(
        str(ROOT / "book" / "templates" / "income.ipynb"),
        str(out),
        parameters={
            "data_dir": str(data_dir),
            "site": "pakis",
            "bootstrap_seed": 1,
            "bootstrap_resamples": 999,
        },
        cwd=str(out.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    import json

    nb = json.loads(out.read_text(encoding="utf-8"))
    streams = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "stream"]
    assert not streams, streams  # no warnings or prints in the chapter
    markdown = "\n".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )
    return {"values": glued_values(out), "markdown": markdown}


@pytest.mark.slow
def test_template_runs_unchanged_on_larger_data_with_a_comparison_group(tmp_path):
    if not (ROOT / "data" / "public" / "cpi_inflation_national.csv").exists():
        pytest.skip("data/public/cpi_inflation_national.csv not present")
    data = _write_data_dir(
        tmp_path / "data",
        generate_households(7, n_recipients=150, n_comparison=90, n_clusters=12),
        data_kind="field",  # a researcher's own households, declared so in the registry
    )
    run = _execute_template(data, tmp_path / "income_large.ipynb")
    values = run["values"]
    assert set(income.CONTRACT_KEYS) <= set(values)
    assert values["n"] == 150 and values["data_edition"] == "field"
    assert values["did_n_comparison"] == 90 and values["did_n_clusters"] == 12
    assert "Difference-in-differences" in run["markdown"] and "parallel trends" in run["markdown"]
    assert "No comparison group" not in run["markdown"]
    assert values["cluster_n_clusters"] == 12


@pytest.mark.slow
def test_template_on_the_nine_illustrative_households_has_banner_and_no_difference_in_differences(
    tmp_path,
):
    if not (ROOT / "data" / "public" / "cpi_inflation_national.csv").exists():
        pytest.skip("data/public/cpi_inflation_national.csv not present")
    from analysis.data.datapackage import write_datapackage

    data = _write_data_dir(tmp_path / "data", generate_households(20170801))
    write_datapackage(data)  # marks the generated study files illustrative, as in the shipped data/
    run = _execute_template(data, tmp_path / "income_nine.ipynb")
    values = run["values"]
    assert values["data_edition"] == "illustrative"
    assert "Illustrative data" in run["markdown"]  # the banner
    assert "by construction" in run["markdown"]  # the claims table's verdicts and their note
    # where the "before" year lies: the P2KP history (the generator's year note is in the
    # shipped datapackage only, not in one written here)
    assert "Which P2KP?" in run["markdown"] and "A 2017 study" in run["markdown"]
    assert "Primary test" in run["markdown"] and "not a return on capital" in run["markdown"]
    assert "Reproduced* means" not in run["markdown"]
    assert values["n"] == 9 and "claims_reproduced" not in values
    assert not any(key.startswith("income_claims_") for key in values)  # nothing judged
    assert "In brief" in run["markdown"] and "generated to match that claim" in run["markdown"]
    d = income.household_changes(generate_households(20170801))["abs_change"].to_numpy()
    walsh = [(a + b) / 2 for a, b in itertools.combinations_with_replacement(d, 2)]
    assert values["hodges_lehmann"] == np.median(walsh)  # independent: median of Walsh averages
    assert not any(key.startswith("did_") for key in values)
    assert "No comparison group" in run["markdown"] and "inflation" in run["markdown"]
    assert values["real_mean_abs_change"] < values["mean_abs_change"]
    assert values["exploratory"] is True
