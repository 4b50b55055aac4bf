"""Bounded, clear failures of a build: a 300-character site id stops the build with exit 2,
and a full disk is exit 2 with a message, the last good book kept and no half-written folder
left (the bounds of the contract and of names are checked in tests/unit/test_bounds.py)."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.pipeline import book, jupyterbook, publish, safety
from analysis.pipeline.request import BuildRequest
from analysis.project import DATA_DIR, EXIT_BAD_INPUT, EXIT_OK, PROJECT_ROOT
from support.data_fixtures import rename_site


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def test_the_build_stops_at_a_300_character_site_id_with_exit_2_not_a_file_name_error(
    data_copy, tmp_path
):
    rename_site(data_copy, "pakis", "p" * 300)
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--no-book", "--data", str(data_copy)]
        + ["--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == EXIT_BAD_INPUT
    assert "at most 40 characters" in completed.stderr
    assert "File name too long" not in completed.stderr and "Traceback" not in completed.stderr


# --------------------------------------------------------------------------- a full disk
def cli_args(out: Path) -> BuildRequest:
    return BuildRequest(data_dir=Path(out).parent / "data", out_dir=out, force=True, jobs=1)


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/out/.results.json.new")


def test_a_full_disk_on_a_new_out_is_exit_2_and_leaves_no_half_written_folder(
    fake_build,
    monkeypatch,
    capsys,
):
    _, out, _ = fake_build
    monkeypatch.setattr(publish.Staged, "write", no_space)  # the first file the build stages
    assert book.main(cli_args(out)) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "error: cannot write /out/.results.json.new: No space left on device" in err
    assert "free some space" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [safety.LOCK_NAME, safety.MARKER]


def test_a_full_disk_keeps_the_last_good_book_and_its_results(
    fake_build,
    monkeypatch,
    capsys,
):
    run, out, pages = fake_build
    run()
    good = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    page = (out / "html" / "index.html").read_text()
    real = jupyterbook.jupyter_book

    def disk_full_while_rendering(*args, **kwargs):
        built = real(*args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(built / "html" / "x.html"))

    monkeypatch.setattr(jupyterbook, "jupyter_book", disk_full_while_rendering)
    pages["index.html"] = "<p>a new book</p>"
    assert book.main(cli_args(out)) == EXIT_BAD_INPUT
    assert "No space left on device" in capsys.readouterr().err
    assert (out / "html" / "index.html").read_text() == page
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == good
    assert not list(out.glob(".html-*")) and not list(out.glob(".*.new"))


@pytest.fixture()
def small_disk(tmp_path):
    """A 2 MB file system mounted at tmp_path/out (skipped where mounting is not allowed)."""
    disk = tmp_path / "out"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_really_full_disk_is_exit_2_with_a_message_and_nothing_half_written(
    small_disk,
    fake_build,
    capsys,
):
    _, out, pages = fake_build
    assert out == small_disk
    pages["big.bin"] = "x" * 3_000_000  # more than the disk holds
    assert book.main(cli_args(out)) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == [safety.LOCK_NAME, safety.MARKER]
    assert book.main(cli_args(out)) == EXIT_BAD_INPUT  # and again: nothing was left to fill it
    pages.pop("big.bin")
    assert book.main(cli_args(out)) == EXIT_OK  # once there is room, the book is built
    assert (out / "html" / "index.html").is_file()
