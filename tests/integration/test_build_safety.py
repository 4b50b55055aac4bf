"""The build writes only into its own --out folder, one build at a time, and publishes nothing
unless everything succeeded and no built file holds personal data (bad cases are exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.pipeline import book, jupyterbook, runner
from analysis.pipeline.jupyterbook import BOOK_KEY, BookFailed
from analysis.pipeline.publish import swap_in
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.safety import (
    MARKER,
    BuildBusy,
    OutRefused,
    PersonalDataPublished,
    build_lock,
    check_out_dir,
    prepare_out_dir,
)
from analysis.project import DATA_DIR, EXIT_BAD_INPUT, PROJECT_ROOT


def cli_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--no-book", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "out, inside",
    [
        ("data/mybook", "data"),
        ("data", "data"),
        ("analysis/book", "analysis"),
        ("book", "book"),
        ("book/chapters", "book"),
        ("tests/out", "tests"),
        ("scripts/x", "scripts"),
    ],
)
def test_out_inside_a_data_or_source_folder_is_refused(out, inside):
    with pytest.raises(OutRefused, match=f"is inside {PROJECT_ROOT / inside}"):
        check_out_dir(PROJECT_ROOT / out, DATA_DIR)


def test_out_as_the_project_folder_itself_is_refused():
    with pytest.raises(OutRefused, match="is the project folder itself"):
        check_out_dir(PROJECT_ROOT / "book" / "..", DATA_DIR)


def test_out_inside_the_data_folder_given_with_data_is_refused(tmp_path):
    with pytest.raises(OutRefused, match=f"is inside {tmp_path / 'mydata'}"):
        check_out_dir(tmp_path / "mydata" / "book", tmp_path / "mydata")


def test_an_existing_folder_not_built_by_the_tool_is_refused_and_left_alone(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "important.txt").write_text("mine")
    with pytest.raises(OutRefused, match=f"not a book this tool built \\(no {MARKER}"):
        check_out_dir(tmp_path, DATA_DIR)
    assert (tmp_path / "html" / "important.txt").read_text() == "mine"


def test_a_new_or_empty_folder_is_accepted_and_marked(tmp_path):
    check_out_dir(tmp_path / "new", DATA_DIR)
    prepare_out_dir(tmp_path / "new")
    assert (tmp_path / "new" / MARKER).is_file()
    (tmp_path / "new" / "html").mkdir()
    check_out_dir(tmp_path / "new", DATA_DIR)  # not empty, but marked: accepted again
    (tmp_path / "empty").mkdir()
    check_out_dir(tmp_path / "empty", DATA_DIR)


def test_a_missing_parent_is_refused(tmp_path):
    with pytest.raises(OutRefused, match="its parent folder .* does not exist"):
        check_out_dir(tmp_path / "no" / "such" / "out", DATA_DIR)


def test_a_read_only_parent_is_refused(tmp_path, monkeypatch):
    # As root every folder passes os.access; for the check, the parent is made read-only to it.
    parent = tmp_path / "ro"
    parent.mkdir(mode=0o555)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == parent else real(p, mode))
    with pytest.raises(OutRefused, match=f"its parent folder {parent} is not writable"):
        check_out_dir(parent / "book", DATA_DIR)


def test_an_out_that_cannot_be_created_is_exit_2_not_a_traceback():
    with pytest.raises(OutRefused, match="cannot write there"):
        prepare_out_dir(Path("/sys/book"))


@pytest.mark.parametrize("out", ["data/mybook", ".", "book", "/sys/book"])
def test_the_command_refuses_a_bad_out_with_exit_2_and_writes_nothing(out):
    before = sorted(p.name for p in DATA_DIR.iterdir())
    completed = cli_build("--out", out)
    assert completed.returncode == EXIT_BAD_INPUT, completed.stderr
    assert "\nerror: --out " in "\n" + completed.stderr and "Traceback" not in completed.stderr
    assert not (PROJECT_ROOT / "data" / "mybook").exists()
    assert sorted(p.name for p in DATA_DIR.iterdir()) == before
    assert not (PROJECT_ROOT / MARKER).exists()


def test_a_second_build_on_the_same_folder_exits_2_naming_the_pid(tmp_path):
    prepare_out_dir(tmp_path)
    with build_lock(tmp_path):
        completed = cli_build("--out", str(tmp_path))
        with pytest.raises(BuildBusy):
            with build_lock(tmp_path):
                pass
    assert completed.returncode == EXIT_BAD_INPUT
    assert f"another build is running on {tmp_path}, pid {os.getpid()}" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "results.json").exists()
    with build_lock(tmp_path):  # released: the next build may go on
        pass


def test_the_swap_replaces_only_a_folder_the_tool_built(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "important.txt").write_text("mine")
    new = tmp_path / ".html-x" / "_build" / "html"
    new.mkdir(parents=True)
    (new / "index.html").write_text("<p>book</p>")
    with pytest.raises(OutRefused, match="was not built by this tool"):
        swap_in(new, tmp_path / "html")
    assert (tmp_path / "html" / "important.txt").read_text() == "mine"
    (tmp_path / "html" / BOOK_KEY).write_text("k\n")
    new.mkdir(parents=True)
    (new / "index.html").write_text("<p>book</p>")
    swap_in(new, tmp_path / "html")
    assert [p.name for p in (tmp_path / "html").iterdir()] == ["index.html"]


# --------------------------------------------------------------------------- a build, faked
# (the fake_build fixture is in tests/integration/conftest.py)


def test_a_good_build_publishes_the_book_results_and_durations_together(fake_build):
    run, out, _ = fake_build
    run()
    assert (out / "html" / "index.html").read_text() == "<p>a good book</p>"
    assert (out / "results.json").is_file() and (out / "runs.json").is_file()
    assert (out / MARKER).is_file()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name.endswith("new")]


def test_personal_data_in_a_built_file_stops_the_build_and_publishes_nothing(fake_build, capsys):
    run, out, pages = fake_build
    run()
    good = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    pages["index.html"] = "<p>a new page</p>"
    pages["searchindex.js"] = 'Search.setIndex({"x": "hubungi tel.081234567890"})'
    with pytest.raises(PersonalDataPublished) as error:
        run(force=True)
    message = str(error.value)
    assert "searchindex.js:1:" in message and "an Indonesian phone number" in message
    assert "081234567890" not in message and "08••••••••90" in message
    assert (out / "html" / "index.html").read_text() == "<p>a good book</p>"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == good
    assert not list(out.glob(".html-*"))


def test_the_command_exits_2_on_personal_data_in_the_built_book(fake_build, capsys):
    run, out, pages = fake_build
    args = BuildRequest(data_dir=Path(out).parent / "data", out_dir=out, jobs=1)
    pages["q.html"] = "<p>NIK 3517 0123 4567 8901</p>"
    assert book.main(args) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "q.html:1:" in err and "a NIK (national identity number)" in err
    assert "4567" not in err
    assert not (out / "html").exists()


def test_a_failed_book_build_changes_none_of_the_good_files(fake_build, monkeypatch):
    run, out, _ = fake_build
    run()
    good = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".build.lock"
    }

    def failing(layout, builder, strict, pdf=None, languages=("en",)):
        raise BookFailed(builder, "sphinx said no")

    monkeypatch.setattr(jupyterbook, "jupyter_book", failing)
    monkeypatch.setattr(runner, "collect_results", lambda runs, root: {"r": {"value": 2}})
    with pytest.raises(BookFailed):
        run(force=True)
    after = {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".build.lock"
    }
    assert after == good  # results.json, runs.json, provenance page and html/ as they were


def test_two_builds_started_together_on_one_folder_never_corrupt_each_other(tmp_path):
    command = [sys.executable, "-m", "analysis", "build", "--no-book", "--out", str(tmp_path)]
    both = [
        subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    ended = [(p.wait(timeout=300), p.stderr.read()) for p in both]
    for code, err in ended:
        assert "Traceback" not in err
        assert code == 0 or (code == EXIT_BAD_INPUT and "another build is running on" in err)
    assert any(code == 0 for code, _ in ended)
    assert json.loads((tmp_path / "results.json").read_text())  # whole, not half-written
