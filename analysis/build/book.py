"""``python -m analysis build``: data → executed chapters → Jupyter Book HTML (and PDF).

Order: validate the data (stop on bad data, exit 2), check the runs file and every run's
parameters (exit 2), execute stale runs with papermill (exit 1 naming the chapter and cell on
failure), write ``results.json`` and the provenance appendix, build the book with Jupyter Book
into a temporary folder and swap it in only on success (a failed build keeps the last good book).
With ``--pdf`` the PDF is built first and the HTML after it, carrying the PDF as ``book.pdf``
and linking it from every page (``POVERTY_BOOK_PDF``, read by ``book/_ext/reader.py``).

The shipped book executes into ``book/chapters/`` (the committed nbval references). A build with
``--data DIR`` never touches them: it copies the book's sources into ``OUT/source/``, executes the
runs whose inputs DIR has, and builds ``OUT/html``.
"""

from __future__ import annotations

import argparse
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

from analysis.build import runner
from analysis.build.runner import ChapterFailed, Run, RunsFileError
from analysis.project import BUILD_DIR, DATA_DIR, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, PROJECT_ROOT

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
def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The commit the book is built from, "(with uncommitted changes)" when a tracked file differs.

    Untracked and ignored files (``_build/``, ``book/_generated/``, ``.venv/``) do not count: the
    published build (``.github/workflows/book.yml``) runs in a fresh checkout, so its provenance
    page names a clean commit.
    """
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
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


def record_durations(outcomes: list[runner.RunOutcome], out_dir: Path) -> dict:
    """Keep each executed run's duration in the build folder (never in the committed chapter)."""
    path = _durations_file(out_dir)
    known = json.loads(path.read_text()) if path.exists() else {}
    for outcome in outcomes:
        if outcome.executed:
            known[outcome.run.id] = {"duration_s": round(outcome.duration or 0.0, 2)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=2, sort_keys=True))
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
            f"## {run.title}",
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
    """The landing page's one box on which data this build shows (``book/_generated/edition.md``).

    Illustrative when every study file present is the shipped illustrative data (its sha256 still
    matches ``datapackage.json``), field data otherwise. The BPS figures are real either way.
    """
    from analysis.data.contract import STUDY_FILES
    from analysis.data.loading import edition

    present = [spec.key for spec in STUDY_FILES if (Path(data_dir) / spec.path).is_file()]
    editions = {key: edition(data_dir, key) for key in present}
    real = "The BPS poverty figures are real, each with its source."
    if not editions:
        return _box(
            "note", "Which data this build shows", f"{real} This build holds no study data."
        )
    illustrative = sorted(k for k, v in editions.items() if v == "illustrative")
    if len(illustrative) == len(editions):
        return _box(
            "warning",
            "Illustrative study data",
            f"{real} The interviews, codings and household incomes of the two studies are not "
            "public, so this build shows illustrative study data: a stand-in generated by the "
            "project's seeded code, calibrated to what the studies report. Its numbers, quotes "
            "and codings are not field results.",
        )
    field = sorted(k for k, v in editions.items() if v != "illustrative")
    mixed = f" (still illustrative: {', '.join(illustrative)})" if illustrative else ""
    return _box(
        "note",
        "Field data",
        f"{real} **This build shows field data** supplied by the researcher for "
        f"{', '.join(field)}{mixed}.",
    )


def _box(kind: str, title: str, text: str) -> str:
    """A MyST ``warning`` or ``note`` box opening with its title in bold (like the chapters' own
    banners; a titled generic admonition would lose its colour in the PDF)."""
    return f":::{{{kind}}}\n**{title}.** {text}\n:::\n"


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
    data_dir: Path, out_dir: Path, runs: list[Run], skipped: dict[str, str]
) -> BookLayout:
    """Copy the book sources into OUT/source for a build from another data directory.

    The table of contents there leaves out the chapters that are skipped.
    """
    source = Path(out_dir) / "source"
    copy_book_sources(source)
    skipped_docs = {run.docname for run in runs if run.id in skipped}
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    for part in toc.get("parts", []):
        part["chapters"] = [
            c for c in part.get("chapters", []) if c.get("file") not in skipped_docs
        ]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    return BookLayout(source, source / "book", Path(data_dir), Path(out_dir))


# --------------------------------------------------------------------------- jupyter-book
BOOK_KEY = ".book-key"  # in the built folder: digest of the sources it was built from


def book_key(layout: BookLayout, builder: str, strict: bool, pdf: Path | None = None) -> str:
    """Digest of everything Jupyter Book reads: config, table of contents, pages, executed
    chapters and their downloads, generated pages, bibliography, the Sphinx extension in
    book/_ext, the lock file, the builder and the strictness, and the PDF that an HTML build
    publishes (``pdf``; None for a site without one)."""
    digest = hashlib.sha256(f"{builder}|{strict}|".encode())
    digest.update(b"pdf:" + (runner.sha256_file(pdf).encode() if pdf is not None else b"none"))
    sources = [
        layout.source_root / name
        for name in ("_config.yml", "_toc.yml", "CITATION.cff")
        if (layout.source_root / name).is_file()
    ]
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


PDF_ENV = "POVERTY_BOOK_PDF"  # read by book/_ext/reader.py: the PDF the HTML site publishes


def builder_environment(pdf: Path | None) -> dict[str, str]:
    """The environment of a Jupyter Book run: ``POVERTY_BOOK_PDF`` names ``pdf`` or is unset.

    Unset (even when the caller's shell sets it) unless this build made the PDF, so that an
    HTML-only build never links to a PDF, stale or absent.
    """
    env = {k: v for k, v in os.environ.items() if k != PDF_ENV}
    if pdf is not None:
        env[PDF_ENV] = str(Path(pdf).resolve())
    return env


def jupyter_book(layout: BookLayout, builder: str, strict: bool, pdf: Path | None = None) -> Path:
    """Build with Jupyter Book into a temporary folder; return the folder holding the result.

    ``pdf``: the built PDF that an HTML build copies into the site and links from every page.
    """
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
    completed = subprocess.run(
        command,
        cwd=layout.source_root,
        capture_output=True,
        text=True,
        env=builder_environment(pdf),
    )
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
    """Replace ``target`` by ``new`` so that a reader never sees a half-built folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def render(
    layout: BookLayout, builder: str, folder: str, strict: bool, pdf: Path | None = None
) -> None:
    """Build ``OUT/folder`` with ``builder`` unless it is up to date with its sources (and PDF)."""
    target = layout.out_dir / folder
    key = book_key(layout, builder, strict, pdf)
    if up_to_date(target, key):
        _say(f"book: {folder}/ is up to date with its sources; not rebuilt")
        return
    built = jupyter_book(layout, builder, strict, pdf) / folder
    (built / BOOK_KEY).write_text(key + "\n")
    swap_in(built, target)


def publish(layout: BookLayout, *, html: bool, pdf: bool, strict: bool) -> None:
    """Render the PDF first, then the HTML site carrying it (``book.pdf``, linked from every page).

    Without ``pdf`` the site has no PDF and no link to one.
    """
    out_dir = layout.out_dir
    published_pdf = None
    if pdf:
        render(layout, "pdflatex", "latex", strict)
        published_pdf = out_dir / "latex" / "book.pdf"
        _say(f"book: PDF in {published_pdf}")
    if html:
        render(layout, "html", "html", strict, published_pdf)
        _say(f"book: HTML in {out_dir / 'html'}  (open {out_dir / 'html' / 'index.html'})")
        if published_pdf is not None:
            _say(f"book: the site carries the PDF as {out_dir / 'html' / 'book.pdf'}")


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
    """Build the book; return the build folder. Raises RunsFileError, DataInvalid, ChapterFailed, BookFailed."""
    started = time.perf_counter()
    custom = data_dir is not None and Path(data_dir).resolve() != DEFAULT_DATA.resolve()
    data_dir = Path(data_dir or DEFAULT_DATA).resolve()
    out_dir = Path(out_dir or DEFAULT_OUT).resolve()
    runs = runner.load_runs(runs_file)
    for run in runs:
        runner.check_parameters(run, runs_file)
    if not data_dir.is_dir():
        raise DataInvalid(f"{data_dir}: data directory not found")
    if not check_data(data_dir):
        raise DataInvalid(
            f"{data_dir}: the data are not valid (problems above); nothing was executed"
        )
    skipped = {}
    for run in runs:
        absent = missing_inputs(run, data_dir)
        if absent:
            skipped[run.id] = (
                f"its input{'s' if len(absent) > 1 else ''} {', '.join(absent)} not in {data_dir}"
            )
    if skipped and not custom:
        first = next(iter(skipped))
        raise DataInvalid(f"{data_dir}: run '{first}' cannot run: {skipped[first]}")
    for run_id, reason in skipped.items():
        _say(f"skipping chapter '{run_id}': {reason}")
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = staged_layout(data_dir, out_dir, runs, skipped) if custom else shipped_layout(out_dir)
    active = [run for run in runs if run.id not in skipped]
    outcomes = runner.execute_runs(active, data_dir, layout.chapters_root, force=force, jobs=jobs)
    durations = record_durations(outcomes, out_dir)
    results = runner.collect_results(active, layout.chapters_root)
    (out_dir / "results.json").write_text(
        json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    layout.generated.mkdir(parents=True, exist_ok=True)
    (layout.generated / "edition.md").write_text(edition_markdown(data_dir), encoding="utf-8")
    (layout.generated / "provenance.md").write_text(
        provenance_markdown(runs, outcomes, data_dir, durations, skipped), encoding="utf-8"
    )
    publish(layout, html=html, pdf=pdf, strict=strict)
    for leftover in out_dir.glob(".html-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.glob(".pdflatex-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    _say(
        f"build: done in {time.perf_counter() - started:.1f} s; results in {out_dir / 'results.json'}"
    )
    return out_dir


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
    except (RunsFileError, DataInvalid) as exc:
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
