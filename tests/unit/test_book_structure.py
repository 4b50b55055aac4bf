"""The book's sources agree with each other: runs file, templates, table of contents, chapters."""

from __future__ import annotations

import json

import yaml

from analysis.pipeline import runner
from analysis.project import PROJECT_ROOT, TEMPLATES_DIR

ROOT = PROJECT_ROOT


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def test_every_run_is_in_the_table_of_contents():
    listed = set(toc_files())
    missing = [run.id for run in runner.load_runs() if run.docname not in listed]
    assert missing == [], f"runs not in _toc.yml: {missing}"


def test_every_template_is_used_by_a_run():
    used = {run.template for run in runner.load_runs()}
    templates = {path.name for path in TEMPLATES_DIR.glob("*.ipynb")}
    assert templates - used == set(), f"templates no run uses: {sorted(templates - used)}"


def test_every_page_of_the_table_of_contents_exists_or_is_generated():
    generated = {"book/_generated/provenance", "book/_generated/replication"}
    for name in toc_files():
        if name in generated:
            continue
        assert any((ROOT / f"{name}{suffix}").is_file() for suffix in (".md", ".ipynb")), name


def test_templates_are_stored_without_outputs_and_have_a_parameters_cell():
    for path in sorted(TEMPLATES_DIR.glob("*.ipynb")):
        nb = json.loads(path.read_text())
        with_outputs = [
            i for i, c in enumerate(nb["cells"]) if c.get("outputs") or c.get("execution_count")
        ]
        assert with_outputs == [], f"{path.name}: cells {with_outputs} have outputs"
        tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
        assert "data_dir" in "".join(tagged[0]["source"]), (
            f"{path.name}: parameters cell lacks data_dir"
        )


def test_template_cells_are_thin():
    """Logic lives in analysis/: no code cell of a template holds more than a dozen statements."""
    import ast

    for path in sorted(TEMPLATES_DIR.glob("*.ipynb")):
        nb = json.loads(path.read_text())
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            statements = sum(
                1
                for node in ast.walk(ast.parse("".join(cell["source"])))
                if isinstance(node, ast.stmt)
            )
            assert statements <= 12, f"{path.name} cell {index + 1}: {statements} statements"


def test_executed_chapters_are_up_to_date_with_their_cache_keys():
    """A clean clone's `make book` executes nothing: stored chapters match templates, data and code."""
    runs = runner.load_runs()
    stale = [
        run.id
        for run in runs
        if runner.stored_key(ROOT / "book" / run.output) != runner.cache_key(run, ROOT / "data")
    ]
    assert stale == [], f"chapters to re-execute and commit (python -m analysis build): {stale}"


def test_executed_chapters_show_no_errors_and_hide_their_parameters():
    for run in runner.load_runs():
        nb = json.loads((ROOT / "book" / run.output).read_text())
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            if {"parameters", "injected-parameters"} & set(tags):
                assert "remove-cell" in tags, run.id
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", f"{run.id}: error output"
                assert output.get("name") != "stderr", (
                    f"{run.id}: stderr output {''.join(output.get('text', ''))[:200]}"
                )


def test_nothing_in_the_repository_reads_the_shared_reference_folder_at_run_time():
    offenders = []
    for path in list((ROOT / "analysis").rglob("*.py")) + list(TEMPLATES_DIR.glob("*.ipynb")):
        if (
            path.name == "reference_import.py"
        ):  # maintainers' one-off converter, never called by a build
            continue
        if "../shared" in path.read_text() or "shared/reference" in path.read_text():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def chapter_text(run) -> str:
    """Everything a chapter shows: Markdown cells and every text output."""
    nb = json.loads((ROOT / "book" / run.output).read_text())
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("text/plain"):
                    parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def test_no_chapter_quotes_an_informant_who_did_not_consent():
    from analysis.data.loading import load

    informants, segments = load(ROOT / "data", "informants"), load(ROOT / "data", "segments")
    declined = set(informants.loc[~informants["consent_quote"].astype(bool), "informant_id"])
    assert declined, "the illustrative data should exercise the consent rule"
    said_by_declined = segments["informant_id"].isin(declined)
    # A sentence that a consenting informant (or a document) also holds may be shown as theirs;
    # excerpts may be shortened: look for the first 40 characters of every other declined text.
    other_texts = list(segments.loc[~said_by_declined, "text"])
    probes = {
        text[:40]
        for text in segments.loc[said_by_declined, "text"]
        if len(text) >= 40 and not any(text[:40] in other for other in other_texts)
    }
    assert probes, "the illustrative data should hold sentences only informants who declined said"
    for run in runner.load_runs():
        shown = chapter_text(run)
        leaked = [probe for probe in probes if probe in shown]
        assert leaked == [], (
            f"{run.id} shows text of informants who declined quotation: {leaked[:2]}"
        )


def test_no_chapter_publishes_text_that_looks_like_personal_data():
    import pandas as pd

    from analysis.data.privacy import scan_for_personal_data

    frames = {
        run.id: pd.DataFrame({"text": chapter_text(run).splitlines()}) for run in runner.load_runs()
    }
    problems = scan_for_personal_data(frames)
    assert problems == [], [str(p) for p in problems[:3]]


def test_every_chapter_built_on_illustrative_study_data_shows_the_banner():
    from analysis.chapter import ILLUSTRATIVE_BANNER
    from analysis.data.loading import edition

    for run in runner.load_runs():
        study_inputs = [name for name in run.inputs if name.startswith("study/")]
        if not study_inputs:
            continue
        key = study_inputs[0].removeprefix("study/").removesuffix(".csv")
        if edition(ROOT / "data", key) == "illustrative":
            assert ILLUSTRATIVE_BANNER[:60] in chapter_text(run), (
                f"{run.id}: no illustrative-data banner"
            )


def test_the_rerun_pages_example_registry_row_is_a_valid_study_with_its_chapters(tmp_path):
    """The row the rerun page shows, added to the shipped registry, validates and gets chapters."""
    import re
    import shutil

    import pandas as pd

    from analysis.data.validate import validate_directory
    from analysis.pipeline import plan

    page = (ROOT / "book" / "pages" / "rerun.md").read_text(encoding="utf-8")
    example = {}  # the page's table: | `column`[, `column`] | `value`[, `value`] | meaning |
    for line in page.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[1].startswith("`"):
            names = re.findall(r"`([^`]+)`", cells[0])
            values = re.findall(r"`([^`]*)`", cells[1])
            if len(names) == len(values):
                example.update(zip(names, values, strict=True))
    assert {"site", "regency_code", "selection", "reference"} <= set(example), example
    shutil.copytree(ROOT / "data", tmp_path / "data")
    studies = tmp_path / "data" / "study" / "studies.csv"
    table = pd.read_csv(studies, dtype=str, keep_default_na=False)
    row = pd.DataFrame([example])
    pd.concat([table, row], ignore_index=True).to_csv(studies, index=False, lineterminator="\n")
    report = validate_directory(tmp_path / "data")
    assert report.ok, report.summary()
    ids = {r.id for r in plan.derive_runs(tmp_path / "data")}
    assert {"qualitative-sisir", "context-kota-batu"} <= ids
