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


def test_the_page_shows_validate_and_build_commands():
    commands = page_commands()
    assert any(c.startswith("python -m analysis validate ") for c in commands)
    assert any(c.startswith("python -m analysis build --data ") for c in commands)


def test_following_the_rerun_page_literally_builds_a_book(tmp_path):
    """Run every command of the page, in order, from a folder holding `data/` (the project folder's
    layout); `source .venv/bin/activate` is what makes `python` the project's Python here."""
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    printed = []
    for command in page_commands():
        if command == "source .venv/bin/activate":
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
    results = json.loads((book / "results.json").read_text())
    assert "income-pakis" in results and results["income-pakis"]["n"] == 9
