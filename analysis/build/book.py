"""``python -m analysis build``: data → executed chapters → Jupyter Book HTML (and PDF).

Order: validate the data (stop on bad data, exit 2), check the runs file and every run's
parameters (exit 2), execute stale runs with papermill (exit 1 naming the chapter and cell on
failure), write ``results.json`` and the provenance appendix, build the book with Jupyter Book
into a temporary folder and swap it in only on success (a failed build keeps the last good book).

The shipped book executes into ``book/chapters/`` (the committed nbval references). A build with
``--data DIR`` never touches them: it copies the book's sources into ``OUT/source/``, executes the
runs whose inputs DIR has, and builds ``OUT/html``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

from analysis.build import plan, runner
from analysis.build.runner import ChapterFailed, Run, RunsFileError
from analysis.project import (
    BUILD_DIR,
    DATA_DIR,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    PROJECT_ROOT,
)

DEFAULT_DATA = DATA_DIR
DEFAULT_OUT = BUILD_DIR
GENERATED = "book/_generated"
MAIN_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "krippendorff",
    "papermill",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)
BOOK_SOURCES = (
    "_config.yml",
    "_toc.yml",
    "CITATION.cff",
    "book/pages",
    "book/references.bib",
    "book/_ext",
)


@dataclass
class BookLayout:
    """Where a build reads its book sources and writes its chapters and output."""

    source_root: Path  # folder with _config.yml and _toc.yml given to jupyter-book
    chapters_root: Path  # run outputs are relative to this (the book/ folder of source_root)
    data_dir: Path
    out_dir: Path

    @property
    def generated(self) -> Path:
        return self.source_root / GENERATED


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data checks
def check_data(data_dir: Path) -> bool:
    """Validate the data directory; print every problem. True when the build may go on."""
    from analysis.data.validate import validate_directory

    report = validate_directory(data_dir)
    text = report.summary()
    if text.strip():
        _say(text)
    return report.ok


def missing_inputs(run: Run, data_dir: Path) -> list[str]:
    return [name for name in run.inputs if not (Path(data_dir) / name).is_file()]


# --------------------------------------------------------------------------- provenance
def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in MAIN_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _durations_file(out_dir: Path) -> Path:
    return Path(out_dir) / "runs.json"


def record_durations(
    outcomes: list[runner.RunOutcome], out_dir: Path, staged: Staged | None = None
) -> dict:
    """Keep each executed run's duration in the build folder (never in the committed chapter).

    With ``staged``, ``runs.json`` is staged to be moved in with the rest of a good build.
    """
    path = _durations_file(out_dir)
    try:
        known = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        known = {}
    for outcome in outcomes:
        if outcome.executed:
            known[outcome.run.id] = {"duration_s": round(outcome.duration or 0.0, 2)}
    text = json.dumps(known, indent=2, sort_keys=True)
    if staged is not None:
        staged.write(path, text)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return known


def provenance_markdown(
    runs: list[Run],
    outcomes: list[runner.RunOutcome],
    data_dir: Path,
    durations: dict,
    skipped: dict[str, str],
) -> str:
    """The provenance appendix: per chapter its parameters, input sha256, commit, versions, duration."""
    commit, versions = git_commit(), package_versions()
    lines = [
        "# Run details and provenance",
        "",
        "Every chapter of this book is a notebook executed by papermill from a template in "
        "`book/templates/`, with the parameters and input files below (see `book/runs.yml`). "
        "A chapter is executed again only when its template, parameters, inputs, the `analysis` "
        "package or the lock file change.",
        "",
        f"- Commit: `{commit}`",
        "- Packages: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
    ]
    for run in runs:
        lines += [
            f"(run-details-{run.id})=",
            f"## {runner.markdown_text(run.title)}",
            "",
            f"- Run id: `{run.id}`",
            f"- Template: `book/templates/{run.template}`",
            f"- Executed chapter: `book/{run.output}`",
        ]
        if run.id in skipped:
            lines += [f"- Not built: {skipped[run.id]}", ""]
            continue
        params = (
            ", ".join(f"`{k} = {v!r}`" for k, v in run.parameters.items())
            or "none besides `data_dir`"
        )
        lines.append(f"- Parameters: {params}")
        # The same words whether the run executed in this build or was reused, so that a no-op
        # rebuild produces the same page (and the book need not be rendered again).
        if run.id in durations:
            lines.append(
                f"- Duration when last executed on this machine: {durations[run.id]['duration_s']:.1f} s"
            )
        else:
            lines.append(
                "- Duration: not measured on this machine (the stored chapter's cache key matched, so it was not executed)"
            )
        lines.append("- Inputs (sha256):")
        for name, digest in runner.input_digests(run, data_dir).items():
            lines.append(f"  - `{name}`: `{digest}`")
        lines.append("")
    return "\n".join(lines) + "\n"


def edition_markdown(data_dir: Path) -> str:
    """The landing page's line on which data this build shows (``book/_generated/edition.md``).

    Illustrative when every study file present is the shipped illustrative data (its sha256 still
    matches ``datapackage.json``), field data otherwise.
    """
    from analysis.data.contract import STUDY_FILES
    from analysis.data.loading import edition

    present = [spec.key for spec in STUDY_FILES if (Path(data_dir) / spec.path).is_file()]
    editions = {key: edition(data_dir, key) for key in present}
    if not editions:
        return (
            ":::{note}\n**This build** holds no study data: only the BPS context chapters.\n:::\n"
        )
    illustrative = sorted(k for k, v in editions.items() if v == "illustrative")
    if len(illustrative) == len(editions):
        return (
            ":::{warning}\n**This build shows illustrative study data**, generated by the project's "
            "seeded code: its numbers, quotes and codings are not field results.\n:::\n"
        )
    field = sorted(k for k, v in editions.items() if v != "illustrative")
    mixed = f" (still illustrative: {', '.join(illustrative)})" if illustrative else ""
    return (
        f":::{{note}}\n**This build shows field data** supplied by the researcher for "
        f"{', '.join(field)}{mixed}.\n:::\n"
    )


# --------------------------------------------------------------------------- layouts
def shipped_layout(out_dir: Path) -> BookLayout:
    return BookLayout(PROJECT_ROOT, PROJECT_ROOT / "book", DEFAULT_DATA, out_dir)


def copy_book_sources(target_root: Path) -> None:
    """Copy what Jupyter Book reads besides the chapters (config, contents, pages, bibliography)."""
    Path(target_root).mkdir(parents=True, exist_ok=True)
    for name in BOOK_SOURCES:
        origin, target = PROJECT_ROOT / name, Path(target_root) / name
        if origin.is_dir():
            shutil.copytree(origin, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)


def staged_layout(
    data_dir: Path,
    out_dir: Path,
    runs: list[Run],
    skipped: dict[str, str],
    toc: dict | None = None,
) -> BookLayout:
    """Copy the book sources into OUT/source for a build from another data directory.

    The table of contents there is ``toc`` (default: the shipped ``_toc.yml``; a registry's
    plan, :func:`analysis.build.plan.derive_toc`) without the chapters that are skipped.
    """
    source = Path(out_dir) / "source"
    copy_book_sources(source)
    skipped_docs = {run.docname for run in runs if run.id in skipped}
    toc = copy.deepcopy(toc) if toc else yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    for part in toc.get("parts", []):
        part["chapters"] = [
            c for c in part.get("chapters", []) if c.get("file") not in skipped_docs
        ]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    return BookLayout(source, source / "book", Path(data_dir), Path(out_dir))


# --------------------------------------------------------------------------- jupyter-book
BOOK_KEY = ".book-key"  # in the built folder: digest of the sources it was built from


def book_key(layout: BookLayout, builder: str, strict: bool) -> str:
    """Digest of everything Jupyter Book reads: config, table of contents, pages, executed
    chapters and their downloads, generated pages, bibliography, the Sphinx extension in
    book/_ext, the lock file, the builder and the strictness."""
    digest = hashlib.sha256(f"{builder}|{strict}|".encode())
    sources = [layout.source_root / name for name in ("_config.yml", "_toc.yml", "CITATION.cff")]
    sources += sorted(
        p
        for p in (layout.source_root / "book").rglob("*")
        if p.is_file()
        and "templates" not in p.relative_to(layout.source_root / "book").parts[:1]
        and ".ipynb_checkpoints" not in p.parts
        and not p.name.startswith(".")
        and "__pycache__" not in p.parts
    )
    for path in sources:
        digest.update(path.relative_to(layout.source_root).as_posix().encode() + b"\0")
        digest.update(runner.sha256_file(path).encode())
    digest.update(
        runner.sha256_file(runner.LOCK_FILE).encode() if runner.LOCK_FILE.exists() else b""
    )
    return digest.hexdigest()


def up_to_date(built: Path, key: str) -> bool:
    """True when ``built`` (an html/ or latex/ folder) was built from sources with this key."""
    marker = built / BOOK_KEY
    return marker.is_file() and marker.read_text().strip() == key


def jupyter_book(layout: BookLayout, builder: str, strict: bool) -> Path:
    """Build with Jupyter Book into a temporary folder; return the folder holding the result."""
    work = Path(tempfile.mkdtemp(prefix=f".{builder}-", dir=layout.out_dir))
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(layout.source_root),
        "--path-output",
        str(work),
        "--builder",
        builder,
    ]
    if strict:
        command += ["-W", "-n", "--keep-going"]
    _say(
        f"book: jupyter-book build --builder {builder}{' (warnings are errors)' if strict else ''}"
    )
    completed = subprocess.run(command, cwd=layout.source_root, capture_output=True, text=True)
    if completed.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        output = (completed.stdout + completed.stderr).strip().splitlines()
        raise BookFailed(builder, "\n".join(output[-60:]))
    return work / "_build"


class BookFailed(RuntimeError):
    def __init__(self, builder: str, log: str):
        super().__init__(
            f"jupyter-book ({builder}) failed; the last good book is left in place.\n{log}"
        )


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` so that a reader never sees a half-built folder.

    Only a folder this tool built (it holds the BOOK_KEY file) is replaced: anything else of
    that name is left alone and the build refused (OutRefused).
    """
    if target.exists() and not (target / BOOK_KEY).is_file():
        shutil.rmtree(new.parent, ignore_errors=True)
        raise OutRefused(
            f"{target}: was not built by this tool (no {BOOK_KEY} file in it); it is left alone: "
            "move it away or choose another --out"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- safety
MARKER = ".poverty-book-build"  # in a build folder this tool made: it may replace what is in it
LOCK_NAME = ".build.lock"  # fcntl lock of a running build, holding its pid
SOURCE_FOLDERS = ("analysis", "book", "tests", "data", "scripts")
MADE_BY_THE_TOOL = ("html", "latex", "source", "results.json", "runs.json")
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
        raise OutRefused(f"--out {out}: is the project folder itself; choose e.g. {DEFAULT_OUT}")
    for folder in (
        *(PROJECT_ROOT / name for name in SOURCE_FOLDERS),
        DEFAULT_DATA,
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
        if not (out / MARKER).is_file() and out != DEFAULT_OUT.resolve() and any(out.iterdir()):
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


def prepare_out_dir(out_dir: Path) -> None:
    """Create the build folder (its parent must exist) and mark it as made by this tool."""
    out = Path(out_dir)
    try:
        out.mkdir(exist_ok=True)
        marker = out / MARKER
        if not marker.is_file():
            marker.write_text(
                "This folder was made by `python -m analysis build`; the next build replaces "
                f"{', '.join(MADE_BY_THE_TOOL)} in it.\n"
            )
    except OSError as exc:
        raise OutRefused(f"--out {out}: cannot write there ({exc.strerror or exc})") from None


@contextlib.contextmanager
def build_lock(folder: Path):
    """Hold an exclusive lock on ``folder`` for the build (a second build exits 2 naming the pid)."""
    path = Path(folder) / LOCK_NAME
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole build)
    except OSError as exc:
        raise OutRefused(f"{folder}: cannot write the lock file ({exc.strerror or exc})") from None
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


class Staged:
    """Files written beside their targets and moved in together at the end of a good build.

    ``commit()`` moves them in; ``discard()`` removes them. Pages the book's sources need before
    Jupyter Book runs (``sources``) are written in place, their previous text kept to be put back
    when the build fails.
    """

    def __init__(self) -> None:
        self.files: dict[Path, Path] = {}
        self.previous: dict[Path, bytes | None] = {}

    def write(self, target: Path, text: str) -> None:
        staged = target.with_name(f".{target.name}.new")
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_text(text, encoding="utf-8")
        self.files[target] = staged

    def write_source(self, target: Path, text: str) -> None:
        if target not in self.previous:
            self.previous[target] = target.read_bytes() if target.is_file() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self) -> None:
        for target, staged in self.files.items():
            os.replace(staged, target)
        self.files, self.previous = {}, {}

    def discard(self) -> None:
        for staged in self.files.values():
            staged.unlink(missing_ok=True)
        for target, before in self.previous.items():
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
        self.files, self.previous = {}, {}


# --------------------------------------------------------------------------- main
def build(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    html: bool = True,
    pdf: bool = False,
    strict: bool = False,
    runs_file: Path = runner.RUNS_FILE,
) -> Path:
    """Build the book; return the build folder.

    Raises RunsFileError, DataInvalid, OutRefused, BuildBusy, PersonalDataPublished (exit 2),
    ChapterFailed, BookFailed (exit 1).
    """
    started = time.perf_counter()
    custom = data_dir is not None and Path(data_dir).resolve() != DEFAULT_DATA.resolve()
    data_dir = Path(data_dir or DEFAULT_DATA).resolve()
    out_dir = Path(out_dir or DEFAULT_OUT).resolve()
    check_out_dir(out_dir, data_dir)
    derived = custom and data_dir.is_dir() and plan.has_registry(data_dir)
    if not derived:  # the runs file is checked before the data, as before there was a registry
        runs, toc = _checked_plan(data_dir, custom, runs_file)
    if not data_dir.is_dir():
        raise DataInvalid(f"{data_dir}: data directory not found")
    if not check_data(data_dir):
        raise DataInvalid(
            f"{data_dir}: the data are not valid (problems above); nothing was executed"
        )
    if derived:  # the registry is read once it is known to be valid
        runs, toc = _checked_plan(data_dir, custom, runs_file)
    skipped = {}
    for run in runs:
        absent = missing_inputs(run, data_dir)
        if absent:
            skipped[run.id] = (
                f"its input{'s' if len(absent) > 1 else ''} {', '.join(absent)} not in {data_dir}"
            )
    skipped.update({k: v for k, v in plan.skip_reasons(runs, data_dir).items() if k not in skipped})
    if skipped and not custom:
        first = next(iter(skipped))
        raise DataInvalid(f"{data_dir}: run '{first}' cannot run: {skipped[first]}")
    for run_id, reason in skipped.items():
        _say(f"skipping chapter '{run_id}': {reason}")
    prepare_out_dir(out_dir)
    with contextlib.ExitStack() as locks:
        locks.enter_context(build_lock(out_dir))
        if not custom:  # the shipped chapters and generated pages are shared by every --out
            shipped_layout(out_dir).generated.mkdir(parents=True, exist_ok=True)
            locks.enter_context(build_lock(shipped_layout(out_dir).generated))
        _build_locked(
            runs, toc, skipped, data_dir, out_dir, custom, force, jobs, html, pdf, strict, started
        )
    return out_dir


def _build_locked(
    runs, toc, skipped, data_dir, out_dir, custom, force, jobs, html, pdf, strict, started
):
    """The build once the folders are checked and locked: results.json, runs.json, the generated
    pages and the books are replaced together, only when everything succeeded."""
    layout = (
        staged_layout(data_dir, out_dir, runs, skipped, toc) if custom else shipped_layout(out_dir)
    )
    active = [run for run in runs if run.id not in skipped]
    outcomes = runner.execute_runs(active, data_dir, layout.chapters_root, force=force, jobs=jobs)
    staged, built_books = Staged(), []
    try:
        durations = record_durations(outcomes, out_dir, staged)
        results = runner.collect_results(active, layout.chapters_root)
        staged.write(
            out_dir / "results.json",
            json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
        staged.write_source(layout.generated / "edition.md", edition_markdown(data_dir))
        staged.write_source(
            layout.generated / "provenance.md",
            provenance_markdown(runs, outcomes, data_dir, durations, skipped),
        )
        for wanted, builder, folder in ((html, "html", "html"), (pdf, "pdflatex", "latex")):
            if not wanted:
                continue
            key = book_key(layout, builder, strict)
            if up_to_date(out_dir / folder, key):
                _say(f"book: {folder}/ is up to date with its sources; not rebuilt")
                continue
            built = jupyter_book(layout, builder, strict) / folder
            (built / BOOK_KEY).write_text(key + "\n")
            built_books.append((built, out_dir / folder))
        gate_personal_data(None, *staged.files.values(), *staged.previous)
        for built, _ in built_books:
            gate_personal_data(built)
        for built, target in built_books:
            swap_in(built, target)
        staged.commit()
    except BaseException:
        staged.discard()
        for built, _ in built_books:
            shutil.rmtree(built.parent.parent, ignore_errors=True)
        raise
    if html:
        _say(f"book: HTML in {out_dir / 'html'}  (open {out_dir / 'html' / 'index.html'})")
    if pdf:
        _say(f"book: PDF in {out_dir / 'latex' / 'book.pdf'}")
    for leftover in out_dir.glob(".html-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.glob(".pdflatex-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    _say(
        f"build: done in {time.perf_counter() - started:.1f} s; results in {out_dir / 'results.json'}"
    )


def _checked_plan(data_dir: Path, custom: bool, runs_file: Path) -> tuple[list[Run], dict]:
    """The runs (parameters checked against the templates) and the contents of this build."""
    runs, toc = plan.runs_for(data_dir, custom, runs_file)
    for run in runs:
        runner.check_parameters(run, runs_file)
    return runs, toc


class DataInvalid(ValueError):
    """The data directory failed validation (exit code 2)."""


def main(args: argparse.Namespace) -> int:
    try:
        out = build(
            args.data,
            args.out,
            force=args.force,
            jobs=args.jobs,
            html=not (args.no_book or args.only_pdf),
            pdf=args.pdf or args.only_pdf,
            strict=args.strict,
        )
    except (RunsFileError, DataInvalid, OutRefused, BuildBusy, PersonalDataPublished) as exc:
        _say(f"error: {exc}")
        return EXIT_BAD_INPUT
    except ChapterFailed as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    except BookFailed as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    if args.data is not None and not args.no_book and not args.only_pdf:
        print(out / "html" / "index.html")
    return EXIT_OK
