"""Writing inside ``--out`` without following links.

A build folder may hold links planted by someone else: ``OUT/.build.lock`` pointing at another
data folder's ``segments.csv`` (which opening it for the lock would truncate), ``OUT/source``
pointing at another folder (which the build would fill with its sources). Nothing the build
replaces or writes in ``--out`` is reached through a link:

* :func:`refuse_links` looks, before anything is written, at every name the build uses in
  ``--out`` (its folders, files and temporary names) and at everything inside the folders it
  writes or replaces; a symbolic link is refused (:class:`LinkFound`, exit 2, naming it);
* the lock, the marker and the files staged to be moved in are opened with ``O_NOFOLLOW`` (and
  created with ``O_EXCL``), so that a link planted while the build runs is refused too, not
  followed (:func:`open_file`, :func:`write_new`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


class LinkFound(ValueError):
    """A name the build writes or replaces in --out is a symbolic link (exit code 2)."""

    def __init__(self, path: Path, what: str = "a symbolic link"):
        self.path = Path(path)
        try:
            target = f" (to {os.readlink(path)})"
        except OSError:
            target = ""
        super().__init__(
            f"{path}: is {what}{target}; a build follows no link inside its --out folder and "
            "wrote nothing through it: remove it, or choose another --out"
            if what == "a symbolic link"
            else f"{path}: is {what}; the build wrote nothing to it: remove it, or choose "
            "another --out"
        )


def is_link(path: Path) -> bool:
    """True when ``path`` itself is a symbolic link (whatever it points at, if anything)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def refuse_link(path: Path) -> None:
    """Raise LinkFound when ``path`` is a symbolic link."""
    if is_link(path):
        raise LinkFound(path)


def links_under(folder: Path) -> list[Path]:
    """Every symbolic link inside ``folder`` (not followed), in a stable order."""
    found, pending = [], [Path(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_symlink():
                found.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return found


def refuse_links(out_dir: Path, names: tuple[str, ...], folders: tuple[str, ...]) -> None:
    """Raise LinkFound for the first link among what a build in ``out_dir`` writes or replaces.

    ``names``: the files and folders the build writes in ``out_dir``; every hidden name there
    (the build's temporaries: ``.html-*``, ``.results.json.new``, ``.html.old``, ...) counts too.
    ``folders``: those whose whole content the build writes or replaces (looked into).
    """
    out = Path(out_dir)
    try:
        entries = sorted(os.scandir(out), key=lambda e: e.name)
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_symlink() and (entry.name in names or entry.name.startswith(".")):
            raise LinkFound(Path(entry.path))
    for name in folders:
        inside = links_under(out / name) if (out / name).is_dir() else []
        if inside:
            raise LinkFound(inside[0])


def open_file(path: Path, flags: int, mode: int = 0o644) -> int:
    """``os.open`` that never follows a link at ``path`` (LinkFound instead); returns the fd.

    The file must be a plain file with no other name (a hard link to a file elsewhere would be
    written through as surely as a symbolic one).
    """
    try:
        fd = os.open(path, flags | NOFOLLOW, mode)
    except OSError as exc:
        if is_link(path):
            raise LinkFound(path) from None
        raise exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LinkFound(path, "not a plain file")
        raise LinkFound(path, "a hard link (a file with other names elsewhere)")
    return fd


def write_new(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file at ``path``: whatever was there (a stale file, a link) is
    removed, never written through; the file is created with ``O_EXCL | O_NOFOLLOW``."""
    path = Path(path)
    path.unlink(missing_ok=True)
    fd = open_file(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
