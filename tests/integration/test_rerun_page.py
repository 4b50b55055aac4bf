"""The "Rerun it with your data" page works when followed literally (slow: builds a whole book)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from analysis.project import PROJECT_ROOT

pytestmark = pytest.mark.slow
PAGE = PROJECT_ROOT / "book" / "pages" / "rerun.md"


def page_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


#: The set-up commands: what `.ci/run` itself does on a fresh clone (cloning needs the network).
SET_UP = ("git clone ", "cd ", "make book", "make test", "source .venv/bin/activate")


def test_the_page_shows_set_up_import_validate_and_build_commands():
    commands = page_commands()
    assert any(c.startswith("git clone https://") for c in commands)
    assert any(c.startswith("make book") for c in commands)
    assert any(c.startswith("make test") for c in commands)
    assert any(c.startswith("python -m analysis import-qdpx ") for c in commands)
    assert any(c.startswith("python -m analysis validate ") for c in commands)
    assert any(c.startswith("python -m analysis build --data ") for c in commands)


def test_the_registry_example_names_every_required_column():
    """The example row of the page is whole: every column the contract requires is in its table."""
    from analysis.data import contract

    text = PAGE.read_text(encoding="utf-8")
    required = [f.name for f in contract.file_spec("studies").fields if f.required]
    missing = [name for name in required if f"| `{name}`" not in text]
    assert missing == []


def test_following_the_rerun_page_literally_builds_a_book(tmp_path):
    """Run every command of the page, in order, from a folder holding `data/` (the project folder's
    layout); `source .venv/bin/activate` is what makes `python` the project's Python here."""
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    exported = subprocess.run(  # the coded project the page imports: the shipped Pakis study
        [sys.executable, "-m", "analysis", "export-qdpx", "data", "--site", "pakis"]
        + ["--out", "my-project.qdpx"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert exported.returncode == 0, exported.stderr
    printed = []
    for command in page_commands():
        if command.startswith(SET_UP):
            continue
        argv = (
            command.replace("python ", f"{sys.executable} ", 1)
            if command.startswith("python ")
            else command
        )
        completed = subprocess.run(
            argv, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=1500
        )
        assert completed.returncode == 0, f"{command}\n{completed.stderr[-3000:]}"
        printed.append(completed.stdout)
    book = tmp_path / "my-book"
    assert (book / "html" / "index.html").is_file()
    assert str(book.resolve() / "html" / "index.html") in printed[-1]
    assert (tmp_path / "my-study" / "study" / "studies.csv").is_file()
    results = json.loads((book / "results.json").read_text())
    assert "income-pakis" in results and results["income-pakis"]["n"] == 9
