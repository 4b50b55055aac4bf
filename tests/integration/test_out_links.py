"""Nothing is followed inside --out: a link planted where the build writes (its lock, marker,
folders, temporaries) is refused with exit 2 naming it, and nothing is written through it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.pipeline import book
from analysis.pipeline.execute import write_atomically
from analysis.pipeline.layout import BookLayout
from analysis.pipeline.nofollow import LinkFound
from analysis.pipeline.publish import Staged
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.safety import LOCK_NAME, MARKER, build_lock, check_out_dir, prepare_out_dir
from analysis.project import DATA_DIR, EXIT_BAD_INPUT, PROJECT_ROOT


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture()
def other_data(tmp_path) -> Path:
    """Another data folder, whose files a planted link points at."""
    other = tmp_path / "other-data"
    shutil.copytree(DATA_DIR, other)
    return other


def cli_build(data: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--no-book", "--data", str(data)]
        + ["--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "name, points_at",
    [
        (LOCK_NAME, "study/segments.csv"),  # opening the lock truncated it to the pid
        ("source", "."),  # the build wrote _config.yml, _toc.yml, book/_ext/... into it
        (MARKER, "study/studies.csv"),
        ("results.json", "study/codebook.csv"),
        ("html", "study"),
        (".results.json.new", "study/informants.csv"),
        (".html.old", "study"),
    ],
)
def test_a_link_planted_in_out_is_refused_with_exit_2_and_nothing_is_written_through_it(
    tmp_path, other_data, name, points_at
):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    out = tmp_path / "out"
    prepare_out_dir(out)
    (out / name).unlink(missing_ok=True)
    (out / name).symlink_to(other_data / points_at)
    before = snapshot(other_data)
    completed = cli_build(data, out)
    assert completed.returncode == EXIT_BAD_INPUT, completed.stderr
    assert f"error: {out / name}: is a symbolic link (to {other_data / points_at})" in (
        completed.stderr
    )
    assert "wrote nothing through it" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert snapshot(other_data) == before
    assert sorted(p.name for p in other_data.iterdir()) == sorted(
        p.name for p in DATA_DIR.iterdir()
    )
    assert "results.json" not in snapshot(out)  # the build stopped before writing anything


@pytest.mark.parametrize(
    "inside",
    ["source/book", "source/book/chapters", "html/_static", "latex/book.pdf"],
)
def test_a_link_deep_inside_a_folder_the_build_writes_is_refused(fake_build, tmp_path, inside):
    run, out, _ = fake_build
    run()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = out / inside
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    target.unlink(missing_ok=True)
    target.symlink_to(elsewhere)
    with pytest.raises(LinkFound, match=f"^{target}: is a symbolic link"):
        run(force=True)
    assert list(elsewhere.iterdir()) == []


def test_the_lock_is_never_opened_through_a_link(tmp_path, other_data):
    segments = other_data / "study" / "segments.csv"
    before = segments.read_bytes()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / LOCK_NAME).symlink_to(segments)
    with pytest.raises(LinkFound, match=f"{folder / LOCK_NAME}: is a symbolic link"):
        with build_lock(folder):
            pass
    assert segments.read_bytes() == before


def test_a_lock_that_is_a_hard_link_to_another_file_is_refused(tmp_path, other_data):
    segments = other_data / "study" / "segments.csv"
    before = segments.read_bytes()
    folder = tmp_path / "out"
    folder.mkdir()
    try:
        os.link(segments, folder / LOCK_NAME)
    except OSError:
        pytest.skip("no hard links across these folders")
    with pytest.raises(LinkFound, match="is a hard link"):
        with build_lock(folder):
            pass
    assert segments.read_bytes() == before


def test_the_shipped_chapters_lock_is_never_opened_through_a_link(tmp_path, monkeypatch):
    generated = tmp_path / "book" / "_generated"
    generated.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (generated / LOCK_NAME).symlink_to(victim)
    monkeypatch.setattr(
        book,
        "shipped_layout",
        lambda out: BookLayout(tmp_path, tmp_path / "book", DATA_DIR, out),
    )
    with pytest.raises(LinkFound, match=f"{generated / LOCK_NAME}: is a symbolic link"):
        book.build(BuildRequest(out_dir=tmp_path / "out"))
    assert victim.read_text() == "keep me\n"


def test_a_link_planted_while_the_build_runs_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.csv"
    victim.write_text("id,name\n1,a\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".results.json.new").symlink_to(victim)
    staged = Staged()
    staged.write(out / "results.json", "{}\n")
    staged.commit()
    assert (out / "results.json").read_text() == "{}\n" and not (out / "results.json").is_symlink()
    chapter = out / "source" / "book" / "chapters" / "a.ipynb"
    chapter.parent.mkdir(parents=True)
    (chapter.parent / f".a.ipynb.{os.getpid()}.writing").symlink_to(victim)
    write_atomically(chapter, b"{}")
    assert chapter.read_bytes() == b"{}" and not chapter.is_symlink()
    assert victim.read_text() == "id,name\n1,a\n"


def test_a_marker_planted_as_a_link_does_not_make_a_folder_the_tools(tmp_path, other_data):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("mine")
    (out / MARKER).symlink_to(other_data / "study" / "studies.csv")
    with pytest.raises(LinkFound, match=f"{out / MARKER}: is a symbolic link"):
        check_out_dir(out, DATA_DIR)
