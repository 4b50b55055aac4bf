"""The book's runs and contents follow the study registry (analysis.pipeline.plan)."""

from __future__ import annotations

import shutil

import pandas as pd
import yaml

from analysis.pipeline import plan
from analysis.pipeline.runner import load_runs
from analysis.project import DATA_DIR, RUNS_FILE, TOC_FILE


def test_committed_runs_file_is_what_the_shipped_registry_gives():
    assert load_runs(RUNS_FILE) == plan.derive_runs(DATA_DIR)


def test_committed_table_of_contents_is_what_the_shipped_registry_gives():
    committed = yaml.safe_load(TOC_FILE.read_text(encoding="utf-8"))
    assert committed == plan.derive_toc(DATA_DIR)


def _with_third_study(tmp_path, regency_code="3573", households=True):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    studies = data / "study" / "studies.csv"
    table = pd.read_csv(studies, dtype=str, keep_default_na=False)
    row = dict.fromkeys(table.columns, "")
    row.update(
        site="batu",
        short_name="Kelurahan Sisir",
        title="Studi P2KP di Kelurahan Sisir",
        place="Kelurahan Sisir, Kota Batu",
        regency_code=regency_code,
        regency_name="Banyuwangi" if regency_code == "3510" else "Kota Malang",
        programme="PNPM Mandiri Perkotaan",
        selection="census",
        claim_pct_low="10",
        reference="Illustrative third study",
    )
    table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    table.to_csv(studies, index=False, lineterminator="\n")
    if households:
        path = data / "study" / "households.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        first = lines[1].split(",")
        first[0], first[1], first[12] = "BTU-H01", "batu", ""
        path.write_text("\n".join(lines + [",".join(first)]) + "\n", encoding="utf-8")
    return data


def test_a_third_study_gets_its_chapters_without_editing_the_runs_file(tmp_path):
    data = _with_third_study(tmp_path)
    runs = {r.id: r for r in plan.derive_runs(data)}
    assert {"qualitative-batu", "income-batu", "context-kota-malang"} <= set(runs)
    assert runs["qualitative-batu"].parameters == {"site": "batu"}
    assert runs["income-batu"].title == "Kelurahan Sisir: did incomes rise 10 %?"
    assert runs["context-kota-malang"].parameters["area_code"] == 3573
    assert runs["synthesis"].title == "The three studies side by side"
    toc = plan.derive_toc(data)
    captions = [p["caption"] for p in toc["parts"]]
    assert "Kelurahan Sisir, Kota Malang" in captions
    files = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert "book/chapters/income_batu" in files and "book/chapters/context_kota_malang" in files


def test_a_study_without_households_has_no_income_chapter(tmp_path):
    data = _with_third_study(tmp_path, households=False)
    ids = {r.id for r in plan.derive_runs(data)}
    assert "qualitative-batu" in ids and "income-batu" not in ids


def test_studies_sharing_a_regency_share_its_context_chapter(tmp_path):
    data = _with_third_study(tmp_path, regency_code="3510")
    contexts = [r for r in plan.derive_runs(data) if r.template == "context.ipynb"]
    assert [r.parameters["area_code"] for r in contexts] == [3517, 3510]


def test_write_plan_writes_files_that_load_back_equal(tmp_path):
    runs = plan.write_plan(DATA_DIR, tmp_path / "runs.yml", tmp_path / "_toc.yml")
    assert load_runs(tmp_path / "runs.yml") == runs
    assert yaml.safe_load((tmp_path / "_toc.yml").read_text()) == plan.derive_toc(DATA_DIR)


def test_a_regency_code_without_a_bps_series_is_skipped_with_the_reason(tmp_path):
    data = _with_third_study(tmp_path, regency_code="3599")
    runs = plan.derive_runs(data)
    reasons = plan.skip_reasons(runs, data)
    assert [k for k in reasons if k.startswith("context-")] == ["context-kota-malang"]
    assert "3599 has no BPS series" in reasons["context-kota-malang"]
    assert plan.skip_reasons(plan.derive_runs(DATA_DIR), DATA_DIR) == {}


def test_a_study_period_past_the_series_keeps_its_context_chapter(tmp_path):
    """Fieldwork in 2044 (the data end in 2025) or in 2005: the chapter is built all the same."""
    data = _with_third_study(tmp_path, regency_code="3510")
    for start, end in ((2040, 2044), (2005, 2008), (2016, 2044)):
        runs = [
            r.__class__(
                **{
                    **r.__dict__,
                    "parameters": r.parameters | {"period_start": start, "period_end": end},
                }
            )
            if r.template == "context.ipynb" and r.parameters["area_code"] == 3510
            else r
            for r in plan.derive_runs(data)
        ]
        assert not [k for k in plan.skip_reasons(runs, data) if k.startswith("context-")]
