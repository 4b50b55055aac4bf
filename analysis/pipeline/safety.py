"""What keeps a build inside its own ``--out`` folder: the folder checked (:func:`check_out_dir`)
and marked (:func:`prepare_out_dir`), no link followed where the build writes, one build at a time
(:func:`build_lock`), nothing published that holds personal data (:func:`gate_personal_data`),
and a failure to write reported as such (:func:`write_failure`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from pathlib import Path

from analysis.pipeline import nofollow, runner
from analysis.pipeline.nofollow import LinkFound
from analysis.project import BUILD_DIR, DATA_DIR, PROJECT_ROOT

MARKER = ".poverty-book-build"  # in a build folder this tool made: it may replace what is in it
LOCK_NAME = ".build.lock"  # fcntl lock of a running build, holding its pid
SOURCE_FOLDERS = ("analysis", "book", "tests", "data", "scripts")
MADE_BY_THE_TOOL = (
    "html",
    "latex",
    "source",
    "results.json",
    "runs.json",
    *(f"source-{lang}" for lang in runner.LANGUAGES[1:]),
    *(f"latex-{lang}" for lang in runner.LANGUAGES[1:]),
)
MAX_REPORTED = 20  # personal-data findings listed before "and N more"


class OutRefused(ValueError):
    """The --out folder may not be written (exit code 2)."""


class BuildBusy(ValueError):
    """Another build holds the lock on the build folder (exit code 2)."""


class PersonalDataPublished(ValueError):
    """A built file holds personal data: nothing was published (exit code 2)."""


def check_out_dir(out_dir: Path, data_dir: Path) -> None:
    """Refuse an --out folder where a build must not write (raises OutRefused).

    Not the project root, its source folders (analysis, book, tests, data, scripts) or anything
    inside them, not inside a data folder (the shipped data/ or --data); an existing folder must
    be a book this tool built (its marker file), empty, or the default _build/; its parent must
    exist and be writable.
    """
    out = Path(out_dir).resolve()
    if out == PROJECT_ROOT.resolve():
        raise OutRefused(f"--out {out}: is the project folder itself; choose e.g. {BUILD_DIR}")
    for folder in (
        *(PROJECT_ROOT / name for name in SOURCE_FOLDERS),
        DATA_DIR,
        Path(data_dir),
    ):
        if out.is_relative_to(folder.resolve()):
            raise OutRefused(
                f"--out {out}: is inside {folder.resolve()} (a data or source folder of the "
                "project; a build writes nothing there): choose a folder outside it"
            )
    if out.exists() and not out.is_dir():
        raise OutRefused(f"--out {out}: exists and is not a folder")
    if out.is_dir():
        nofollow.refuse_link(out / MARKER)  # a planted marker says nothing about the folder
        if not (out / MARKER).is_file() and out != BUILD_DIR.resolve() and any(out.iterdir()):
            raise OutRefused(
                f"--out {out}: exists and is not a book this tool built (no {MARKER} file in "
                "it); its files are left alone: choose a new or empty folder"
            )
        if not os.access(out, os.W_OK):
            raise OutRefused(f"--out {out}: the folder is not writable")
        return
    if not out.parent.is_dir():
        raise OutRefused(f"--out {out}: its parent folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise OutRefused(f"--out {out}: its parent folder {out.parent} is not writable")


def refuse_links_in_out(out_dir: Path) -> None:
    """Raise LinkFound (exit 2) for a symbolic link where the build writes in ``out_dir``: its
    marker, lock, results and folders (and anything in them), and its temporary names."""
    names = (*MADE_BY_THE_TOOL, MARKER, LOCK_NAME)
    folders = tuple(name for name in MADE_BY_THE_TOOL if "." not in name)
    nofollow.refuse_links(Path(out_dir), names, folders)


def prepare_out_dir(out_dir: Path) -> None:
    """Create the build folder (its parent must exist) and mark it as made by this tool.

    The marker is created without following a link (``O_EXCL | O_NOFOLLOW``); an existing marker
    must be a plain file (LinkFound otherwise).
    """
    out = Path(out_dir)
    try:
        out.mkdir(exist_ok=True)
        marker = out / MARKER
        nofollow.refuse_link(marker)
        if not marker.exists():
            try:
                nofollow.write_new(
                    marker,
                    (
                        "This folder was made by `python -m analysis build`; the next build "
                        f"replaces {', '.join(MADE_BY_THE_TOOL)} in it.\n"
                    ).encode(),
                )
            except FileExistsError:  # a build started at the same moment made it first
                nofollow.refuse_link(marker)
        if not marker.is_file():
            raise LinkFound(marker, "not a plain file")
    except OSError as exc:
        raise OutRefused(f"--out {out}: cannot write there ({exc.strerror or exc})") from None


@contextlib.contextmanager
def build_lock(folder: Path):
    """Hold an exclusive lock on ``folder`` for the build (a second build exits 2 naming the pid).

    The lock file is opened without following a link and must be a plain file with no other
    name (LinkFound otherwise): a lock planted as a link to someone's file is never truncated.
    """
    nofollow.refuse_link(Path(folder))
    path = Path(folder) / LOCK_NAME
    try:
        fd = nofollow.open_file(path, os.O_RDWR | os.O_CREAT)
    except OSError as exc:
        raise OutRefused(f"{folder}: cannot write the lock file ({exc.strerror or exc})") from None
    handle = os.fdopen(fd, "r+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "unknown"
        handle.close()
        raise BuildBusy(f"another build is running on {folder}, pid {pid}") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.truncate(0)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def gate_personal_data(folder: Path | None, *files: Path) -> None:
    """Raise PersonalDataPublished when a file of the built ``folder`` (every file: HTML,
    searchindex.js, _sources, downloads) or one of ``files`` holds personal data (masked)."""
    from analysis.data.privacy import scan_built_files, scan_text

    findings = scan_built_files(folder) if folder is not None else []
    for path in files:
        if path.is_file():
            findings += scan_text(path.read_text(encoding="utf-8", errors="replace"), path)
    if not findings:
        return
    shown = "\n".join(f"  {f}" for f in findings[:MAX_REPORTED])
    more = f"\n  and {len(findings) - MAX_REPORTED} more" if len(findings) > MAX_REPORTED else ""
    raise PersonalDataPublished(
        f"personal data in {len(findings)} place(s) of the built book; nothing was published "
        f"(the last good book is left in place):\n{shown}{more}"
    )


#: Errors of the disk, not of the book: exit 2 with a message wherever they happen.
DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.ENAMETOOLONG)


def write_failure(exc: OSError, out_dir: Path) -> str | None:
    """The message for a failure to write (a full disk, a write into ``out_dir`` refused), or
    None for an OSError that is not one (a defect: its traceback is shown)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list):
        _, target, why = (list(exc.args[0][0]) + [None, None, ""])[:3]
        path, reason = target, str(why)
        disk = any(os.strerror(n) in reason for n in DISK_ERRORS)
    else:
        path, reason = exc.filename, exc.strerror or str(exc)
        disk = exc.errno in DISK_ERRORS
    inside = path is not None and Path(os.fsdecode(path)).resolve().is_relative_to(out_dir)
    if not (disk or inside):
        return None
    where = f"cannot write {path}" if path is not None else f"cannot write into {out_dir}"
    return (
        f"{where}: {reason}; the build stopped, the last good book in {out_dir} is left in "
        "place and no half-written folder is kept: free some space (or choose another --out) "
        "and build again"
    )
