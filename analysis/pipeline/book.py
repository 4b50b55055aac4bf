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

import contextlib
import copy
import errno
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.pipeline import durations as timings
from analysis.pipeline import editions, nofollow, plan, runner
from analysis.pipeline.bibliography import stage_bibliography
from analysis.pipeline.config import edition_config
from analysis.pipeline.editions import EditionsDisagree, check_editions_agree
from analysis.pipeline.nofollow import LinkFound
from analysis.pipeline.pages import edition_markdown, provenance_markdown, studies_markdown
from analysis.pipeline.provenance import git_commit, package_versions, title_page_facts
from analysis.pipeline.replication import replication_markdown
from analysis.pipeline.request import BuildRequest
from analysis.pipeline.runner import ChapterFailed, Run, RunsFileError
from analysis.pipeline.summary import summary_markdown
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
BOOK_SOURCES = (
    "_config.yml",
    "_toc.yml",
    "CITATION.cff",
    "book/pages",
    "book/references.bib",
    "book/_ext",
    "locales",
)
SOURCE_LANGUAGE = runner.LANGUAGES[0]
#: The PDF of an edition, beside the English one in latex/ and at the root of its site.
PDF_NAMES = {"en": "book.pdf", "id": "book-id.pdf"}


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
    extra_parts: list[dict] = (),
) -> BookLayout:
    """Copy the book sources into OUT/source for a build from another data directory.

    The table of contents there is ``toc`` (default: the shipped ``_toc.yml``; a registry's
    plan, :func:`analysis.pipeline.plan.derive_toc`) without the chapters that are skipped.
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
    if extra_parts:  # before the appendices
        toc["parts"][-1:-1] = list(extra_parts)
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    stage_title(source, data_dir, SOURCE_LANGUAGE)
    return BookLayout(source, source / "book", Path(data_dir), Path(out_dir))


def stage_title(source: Path, data_dir: Path, lang: str) -> None:
    """Give the staged book in ``source`` (edition ``lang``) the title of ``data_dir``'s book
    (:func:`analysis.pipeline.pages.book_title`): in ``_config.yml`` (every page's ``<title>``) and
    as the root page's heading. The shipped title leaves both files as they are."""
    from analysis.pipeline.pages import book_title, shipped_title, title_markdown

    title, subtitle = book_title(data_dir, lang)
    if title == shipped_title(lang) and subtitle is None:
        return
    config_file = Path(source) / "_config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["title"] = title
    config_file.write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    citation = Path(source) / "CITATION.cff"  # the how-to-cite box cites the book by its title
    if citation.is_file():
        cff = yaml.safe_load(citation.read_text(encoding="utf-8"))
        cff["title"] = title
        citation.write_text(yaml.safe_dump(cff, sort_keys=False, allow_unicode=True), "utf-8")
    toc = yaml.safe_load((Path(source) / "_toc.yml").read_text(encoding="utf-8"))
    root = Path(source) / f"{toc['root']}.md"
    lines = root.read_text(encoding="utf-8").split("\n")
    first = next(k for k, line in enumerate(lines) if line.startswith("# "))
    lines[first : first + 1] = title_markdown(title, subtitle).rstrip("\n").split("\n")
    root.write_text("\n".join(lines), encoding="utf-8")


def _documents(toc: dict) -> set[str]:
    """Every document a table of contents names (root included)."""
    found = {toc.get("root")}
    for part in toc.get("parts", []):
        found.update(c.get("file") for c in part.get("chapters", []))
    return found - {None}


def caption_translations(lang: str, root_document: str) -> dict[str, str]:
    """English part caption -> its translation, from the root page's Sphinx catalog.

    Jupyter Book inserts the contents' captions after Sphinx has translated the page (its
    transform runs later), so the edition's table of contents is written with them translated.
    """
    from babel.messages.pofile import read_po

    domain = root_document.removeprefix("book/")
    path = PROJECT_ROOT / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def edition_layout(layout: BookLayout, lang: str, runs: list[Run]) -> BookLayout:
    """The sources of the edition ``lang``, staged in ``OUT/source-<lang>``: the book's sources
    and catalogs, the table of contents of the English book (less the chapters that have no
    ``lang`` edition), and that edition's executed chapters (``chapters/<lang>/``) in place of the
    English ones, under the same document names, so that a page has one name in every edition.
    """
    source = Path(layout.out_dir) / f"source-{lang}"
    shutil.rmtree(source, ignore_errors=True)
    copy_book_sources(source)
    stage_bibliography(source, lang)
    toc = yaml.safe_load((layout.source_root / "_toc.yml").read_text(encoding="utf-8"))
    present = {run.docname for run in runs}
    english_chapters = {
        "book/" + str(p.relative_to(layout.chapters_root).with_suffix("").as_posix())
        for p in (layout.chapters_root / "chapters").glob("*.ipynb")
    }
    for part in toc.get("parts", []):
        part["chapters"] = [
            c
            for c in part.get("chapters", [])
            if c.get("file") not in english_chapters or c.get("file") in present
        ]
    toc["parts"] = [p for p in toc.get("parts", []) if p["chapters"]]
    captions = caption_translations(lang, toc.get("root", ""))
    for part in toc["parts"]:
        part["caption"] = captions.get(part.get("caption"), part.get("caption"))
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
    config = edition_config(lang)
    (source / "_config.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    stage_title(source, layout.data_dir, lang)
    chapters = layout.chapters_root / "chapters" / lang
    if chapters.is_dir():
        shutil.copytree(chapters, source / "book" / "chapters", dirs_exist_ok=True)
    return BookLayout(source, source / "book", Path(layout.data_dir), Path(layout.out_dir))


# --------------------------------------------------------------------------- jupyter-book
BOOK_KEY = ".book-key"  # in the built folder: digest of the sources it was built from


def book_key(
    layout: BookLayout,
    builder: str,
    strict: bool,
    pdf: Path | None = None,
    languages: list[str] = (SOURCE_LANGUAGE,),
) -> str:
    """Digest of everything Jupyter Book reads: config, table of contents, pages, executed
    chapters and their downloads, generated pages, bibliography, the Sphinx extension in
    book/_ext, the lock file, the builder and the strictness, and the PDF that an HTML build
    publishes (``pdf``; None for a site without one)."""
    digest = hashlib.sha256(f"{builder}|{strict}|{','.join(languages)}|".encode())
    digest.update(b"pdf:" + (runner.sha256_file(pdf).encode() if pdf is not None else b"none"))
    sources = [
        layout.source_root / name
        for name in ("_config.yml", "_toc.yml", "CITATION.cff")
        if (layout.source_root / name).is_file()
    ]
    sources += sorted(p for p in (layout.source_root / "locales").rglob("*.po") if p.is_file())
    extension_words = PROJECT_ROOT / "analysis" / "locale"  # the Sphinx extensions' catalogs
    sources += sorted(extension_words.glob(f"*/LC_MESSAGES/{runner.EXTENSION_CATALOGS}*.po"))
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
        root = layout.source_root if path.is_relative_to(layout.source_root) else PROJECT_ROOT
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
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


EDITIONS_ENV = "POVERTY_BOOK_EDITIONS"  # read by book/_ext/reader.py: the language switch


TITLEPAGE_ENV = "POVERTY_BOOK_TITLEPAGE"  # read by book/_ext/titlepage.py: the PDF's title page


def builder_environment(
    pdf: Path | None, languages: list[str] = (SOURCE_LANGUAGE,), data_dir: Path | None = None
) -> dict[str, str]:
    """The environment of a Jupyter Book run: ``POVERTY_BOOK_PDF`` names ``pdf`` or is unset;
    ``POVERTY_BOOK_EDITIONS`` lists the editions this build publishes (``en,id``);
    ``POVERTY_BOOK_TITLEPAGE`` says what the PDF's title page tells of the build and its data
    (``data_dir``; :func:`analysis.pipeline.provenance.title_page_facts`).

    Unset (even when the caller's shell sets them) unless this build made the PDF, so that an
    HTML-only build never links to a PDF, stale or absent; likewise no language switch links to
    an edition this build does not make.
    """
    env = {k: v for k, v in os.environ.items() if k not in (PDF_ENV, EDITIONS_ENV, TITLEPAGE_ENV)}
    if data_dir is not None:
        env[TITLEPAGE_ENV] = json.dumps(title_page_facts(data_dir), sort_keys=True)
    if pdf is not None:
        env[PDF_ENV] = str(Path(pdf).resolve())
    if len(languages) > 1:
        env[EDITIONS_ENV] = ",".join(languages)
    return env


def edition_language(layout: BookLayout) -> str:
    """The language of the sources in ``layout`` (its ``_config.yml``'s Sphinx ``language``)."""
    config = yaml.safe_load((layout.source_root / "_config.yml").read_text(encoding="utf-8"))
    return ((config.get("sphinx") or {}).get("config") or {}).get("language", SOURCE_LANGUAGE)


def built_folder(out_dir: Path, folder: str, lang: str) -> Path:
    """Where the edition ``lang`` of ``folder`` (html, latex) is published in ``out_dir``."""
    if lang == SOURCE_LANGUAGE:
        return Path(out_dir) / folder
    return Path(out_dir) / "html" / lang if folder == "html" else Path(out_dir) / f"{folder}-{lang}"


def jupyter_book(
    layout: BookLayout,
    builder: str,
    strict: bool,
    pdf: Path | None = None,
    languages: list[str] = (SOURCE_LANGUAGE,),
) -> Path:
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
    from analysis.pipeline import stopping

    completed = subprocess.run(
        stopping.guarded(command),  # ended with the build, even a build killed outright
        cwd=layout.source_root,
        capture_output=True,
        text=True,
        env=builder_environment(pdf, languages, layout.data_dir),
    )
    if completed.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        for number in (errno.ENOSPC, errno.EDQUOT):  # the disk, not the book, failed
            if os.strerror(number) in completed.stdout + completed.stderr:
                raise OSError(number, os.strerror(number), str(work))
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
    that name is left alone and the build refused (OutRefused); a link is neither followed nor
    replaced (LinkFound).
    """
    old = target.with_name(f".{target.name}.old")
    for path in (target, target / BOOK_KEY, old):
        if nofollow.is_link(path):
            shutil.rmtree(new.parent, ignore_errors=True)
            raise LinkFound(path)
    if target.exists() and not (target / BOOK_KEY).is_file():
        shutil.rmtree(new.parent, ignore_errors=True)
        raise OutRefused(
            f"{target}: was not built by this tool (no {BOOK_KEY} file in it); it is left alone: "
            "move it away or choose another --out"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def render(
    layout: BookLayout,
    builder: str,
    folder: str,
    strict: bool,
    pdf: Path | None = None,
    languages: list[str] = (SOURCE_LANGUAGE,),
) -> Path | None:
    """Build ``folder`` with ``builder`` into a temporary folder, unless the edition's built
    folder is up to date with its sources (and PDF and editions); return the built folder (not
    yet swapped in) or None."""
    lang = edition_language(layout)
    key = book_key(layout, builder, strict, pdf, languages)
    if up_to_date(built_folder(layout.out_dir, folder, lang), key):
        _say(f"book: {folder}/ ({lang}) is up to date with its sources; not rebuilt")
        return None
    built = jupyter_book(layout, builder, strict, pdf, languages) / folder
    (built / BOOK_KEY).write_text(key + "\n")
    return built


def publish(
    layout: BookLayout,
    *,
    html: bool,
    pdf: bool,
    strict: bool,
    editions: dict[str, BookLayout] | None = None,
) -> list[tuple[Path, Path]]:
    """Render the PDFs first, then the HTML sites carrying them, for every edition.

    ``editions``: the other languages' layouts (:func:`edition_layout`). English is built at
    ``OUT/html`` and ``OUT/latex``; an edition ``xx`` at ``OUT/html/xx`` and ``OUT/latex-xx``,
    its PDF copied beside English's as ``OUT/latex/book-xx.pdf`` (see :func:`place_pdfs`).
    Each site carries its edition's PDF at its root, linked from every page, and links every
    page to the same page of the other editions.

    Returns the (built folder, target) pairs to swap in; nothing is swapped here, so that the
    caller publishes everything together, after its checks. Without ``pdf`` the sites have no
    PDF and no link to one.
    """
    editions = {SOURCE_LANGUAGE: layout, **(editions or {})}
    languages = list(editions)
    out_dir, built_books, pdfs = layout.out_dir, [], {}
    if pdf:
        for lang, edition in editions.items():
            target = out_dir / ("latex" if lang == SOURCE_LANGUAGE else f"latex-{lang}")
            built = render(edition, "pdflatex", "latex", strict, languages=languages)
            if built is not None:
                if PDF_NAMES[lang] != "book.pdf":
                    shutil.copy2(built / "book.pdf", built / PDF_NAMES[lang])
                built_books.append((built, target))
            pdfs[lang] = (built or target) / PDF_NAMES[lang]
    sites = {}
    for lang, edition in editions.items():
        if html:
            sites[lang] = render(edition, "html", "html", strict, pdfs.get(lang), languages)
    english = sites.get(SOURCE_LANGUAGE)
    for lang, built in sites.items():
        if lang == SOURCE_LANGUAGE:
            continue
        target = out_dir / "html" / lang
        if english is not None:  # the new English site takes the edition along, new or kept
            kept = built if built is not None else target
            if kept.is_dir():
                shutil.copytree(kept, english / lang)
            if built is not None:
                shutil.rmtree(built.parent.parent, ignore_errors=True)
        elif built is not None:
            built_books.append((built, target))
    if english is not None:
        built_books.append((english, out_dir / "html"))
    return built_books


def place_pdfs(out_dir: Path, languages: list[str]) -> None:
    """Copy each edition's PDF beside the English one (``OUT/latex/book-id.pdf``), atomically."""
    for lang in languages:
        if lang == SOURCE_LANGUAGE:
            continue
        built = Path(out_dir) / f"latex-{lang}" / PDF_NAMES[lang]
        if built.is_file() and (Path(out_dir) / "latex").is_dir():
            staged = Path(out_dir) / "latex" / f".{PDF_NAMES[lang]}.new"
            nofollow.write_new(staged, built.read_bytes())
            os.replace(staged, Path(out_dir) / "latex" / PDF_NAMES[lang])


def swap_all(built_books: list[tuple[Path, Path]]) -> None:
    """Swap every built folder in (see :func:`swap_in`)."""
    for built, target in built_books:
        swap_in(built, target)


# --------------------------------------------------------------------------- safety
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
        nofollow.refuse_link(out / MARKER)  # a planted marker says nothing about the folder
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
        nofollow.write_new(staged, text.encode("utf-8"))
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
@dataclass(frozen=True)
class PlannedBuild:
    """A request once its folders, data and runs are checked: what :func:`_build_locked`
    executes and publishes (``data_dir`` and ``out_dir`` resolved, ``languages`` English first,
    ``custom`` for a book staged in OUT/source rather than the shipped chapters)."""

    runs: list[Run]
    toc: dict
    extra_parts: list[dict]
    skipped: dict[str, str]
    data_dir: Path
    out_dir: Path
    custom: bool
    languages: list[str]
    started: float


def build(request: BuildRequest) -> Path:
    """Build the book ``request`` asks for, in its languages (default: every edition; English
    alone with ``areas``, whose atlas has no translation); return the build folder.

    Raises RunsFileError, DataInvalid, OutRefused, BuildBusy, PersonalDataPublished (exit 2),
    ChapterFailed, BookFailed (exit 1).
    """
    started = time.perf_counter()
    languages = check_languages(list(request.languages), request.areas)
    areas, runs_file = request.areas, request.runs_file
    data_dir = request.data_dir
    custom = data_dir is not None and Path(data_dir).resolve() != DEFAULT_DATA.resolve()
    data_dir = Path(data_dir or DEFAULT_DATA).resolve()
    out_dir = Path(request.out_dir or DEFAULT_OUT).resolve()
    check_out_dir(out_dir, data_dir)
    refuse_links_in_out(out_dir)
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
    extra_parts = []
    if areas:  # the atlas: a separate (staged) book with a part of its own
        from analysis.pipeline import atlas

        atlas_runs = atlas.atlas_runs(areas, data_dir, Path(runs[0].templates_dir))
        runner.check_parameters(atlas_runs[0], runs_file)  # all alike: one check stands for all
        runs += atlas_runs
        extra_parts.append(atlas.toc_part(atlas_runs, areas))
        custom = True
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
    planned = PlannedBuild(
        runs, toc, extra_parts, skipped, data_dir, out_dir, custom, languages, started
    )
    prepare_out_dir(out_dir)
    with contextlib.ExitStack() as locks:
        locks.enter_context(build_lock(out_dir))
        refuse_links_in_out(out_dir)  # again, now that no other build of this tool writes there
        if not custom:  # the shipped chapters and generated pages are shared by every --out
            generated = shipped_layout(out_dir).generated
            nofollow.refuse_link(generated)
            generated.mkdir(parents=True, exist_ok=True)
            locks.enter_context(build_lock(generated))
        sources = [out_dir / name for name in MADE_BY_THE_TOOL if name.startswith("source")]
        new_sources = [path for path in sources if not path.exists()]
        try:
            _build_locked(request, planned)
        except OSError:  # a full disk, say: no half-written sources are left behind
            for path in new_sources:
                shutil.rmtree(path, ignore_errors=True)
            raise
    return out_dir


def _build_locked(request: BuildRequest, planned: PlannedBuild) -> None:
    """The build once the folders are checked and locked: results.json, runs.json, the generated
    pages and the books are replaced together, only when everything succeeded."""
    runs, toc, extra_parts, skipped = (
        planned.runs,
        planned.toc,
        planned.extra_parts,
        planned.skipped,
    )
    data_dir, out_dir, custom, languages = (
        planned.data_dir,
        planned.out_dir,
        planned.custom,
        planned.languages,
    )
    areas, scheduler, started = request.areas, request.scheduler, planned.started
    force, jobs, html, pdf, strict = (
        request.force,
        request.jobs,
        request.html,
        request.pdf,
        request.strict,
    )
    layout = (
        staged_layout(data_dir, out_dir, runs, skipped, toc, extra_parts)
        if custom
        else shipped_layout(out_dir)
    )
    if areas:  # reuse the shipped chapters where their cache keys still match
        seed = PROJECT_ROOT / "book" / "chapters"
        if not (layout.chapters_root / "chapters").exists() and seed.is_dir():
            shutil.copytree(seed, layout.chapters_root / "chapters")
    active = [run for run in runs if run.id not in skipped]
    outcomes = runner.execute_runs(
        active, data_dir, layout.chapters_root, force=force, jobs=jobs, scheduler=scheduler
    )
    timings.record(outcomes, layout.chapters_root)  # beside the chapters, written with them
    edition_runs = editions.make_editions(
        active,
        languages,
        data_dir,
        layout.chapters_root,
        runner.execute_runs,
        force=force,
        jobs=jobs,
        scheduler=scheduler,
    )
    staged, built_books = Staged(), []
    try:
        record_durations(outcomes, out_dir, staged)
        durations = timings.of_chapters(active, layout.chapters_root)
        results = runner.collect_results(active, layout.chapters_root)
        for lang, lang_runs in edition_runs.items():
            edition_results = runner.collect_results(lang_runs, layout.chapters_root)
            check_editions_agree(results, edition_results, lang)
        staged.write(
            out_dir / "results.json",
            json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
        commit, versions = git_commit(), package_versions()
        staged.write_source(layout.generated / "edition.md", edition_markdown(data_dir))
        staged.write_source(layout.generated / "studies.md", studies_markdown(data_dir))
        staged.write_source(
            layout.generated / "provenance.md",
            provenance_markdown(
                runs, outcomes, data_dir, durations, skipped, commit=commit, versions=versions
            ),
        )
        staged.write_source(
            layout.generated / "summary.md",
            summary_markdown(data_dir, results, active, SOURCE_LANGUAGE),
        )
        staged.write_source(
            layout.generated / "replication.md",
            replication_markdown(SOURCE_LANGUAGE, data_dir, layout.chapters_root, active),
        )
        sites = {}
        for lang, lang_runs in edition_runs.items():
            edition = edition_layout(layout, lang, lang_runs)
            edition.generated.mkdir(parents=True, exist_ok=True)
            (edition.generated / "edition.md").write_text(
                edition_markdown(data_dir, lang), encoding="utf-8"
            )
            (edition.generated / "studies.md").write_text(
                studies_markdown(data_dir, lang), encoding="utf-8"
            )
            all_lang_runs = [run.in_language(lang) for run in runs if lang in run.languages]
            (edition.generated / "provenance.md").write_text(
                provenance_markdown(
                    all_lang_runs,
                    outcomes,
                    data_dir,
                    durations,
                    skipped,
                    commit=commit,
                    versions=versions,
                    lang=lang,
                ),
                encoding="utf-8",
            )
            (edition.generated / "summary.md").write_text(
                summary_markdown(data_dir, results, lang_runs, lang), encoding="utf-8"
            )
            (edition.generated / "replication.md").write_text(
                replication_markdown(lang, data_dir, layout.chapters_root, lang_runs),
                encoding="utf-8",
            )
            sites[lang] = edition
        built_books = publish(layout, html=html, pdf=pdf, strict=strict, editions=sites)
        gate_personal_data(None, *staged.files.values(), *staged.previous)
        for built, _ in built_books:
            gate_personal_data(built)
        swap_all(built_books)
        if pdf:
            place_pdfs(out_dir, languages)
        staged.commit()
    except BaseException:
        staged.discard()
        for built, _ in built_books:
            shutil.rmtree(built.parent.parent, ignore_errors=True)
        for leftover in [*out_dir.glob(".html-*"), *out_dir.glob(".pdflatex-*")]:
            shutil.rmtree(leftover, ignore_errors=True)  # an edition rendered before the failure
        raise
    if html:
        _say(f"book: HTML in {out_dir / 'html'}  (open {out_dir / 'html' / 'index.html'})")
        for lang in languages[1:]:
            _say(f"book: the edition in {lang} in {out_dir / 'html' / lang}")
    if pdf:
        _say(f"book: PDF in {out_dir / 'latex' / 'book.pdf'}")
        for lang in languages[1:]:
            _say(f"book: PDF of the edition in {lang}: {out_dir / 'latex' / PDF_NAMES[lang]}")
        if html:
            _say(f"book: the site carries the PDF as {out_dir / 'html' / 'book.pdf'}")
    for leftover in out_dir.glob(".html-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.glob(".pdflatex-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    _say(
        f"build: done in {time.perf_counter() - started:.1f} s; results in {out_dir / 'results.json'}"
    )


def check_languages(languages: list[str] | None, areas: str | None = None) -> list[str]:
    """The editions to build, English first: ``languages`` checked (RunsFileError naming the
    choices), or every edition (English alone for an atlas: its chapters are not translated)."""
    if not languages:
        return [SOURCE_LANGUAGE] if areas else list(runner.LANGUAGES)
    unknown = [lang for lang in languages if lang not in runner.LANGUAGES]
    if unknown:
        raise RunsFileError(
            f"--lang {unknown[0]!r}: not a language of the book (one of {', '.join(runner.LANGUAGES)})"
        )
    return [SOURCE_LANGUAGE, *(lang for lang in runner.LANGUAGES[1:] if lang in languages)]


def _checked_plan(data_dir: Path, custom: bool, runs_file: Path) -> tuple[list[Run], dict]:
    """The runs (parameters checked against the templates) and the contents of this build."""
    runs, toc = plan.runs_for(data_dir, custom, runs_file)
    for run in runs:
        runner.check_parameters(run, runs_file)
    return runs, toc


class DataInvalid(ValueError):
    """The data directory failed validation (exit code 2)."""


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


def main(request: BuildRequest) -> int:
    """``python -m analysis build``: build what ``request`` asks for; the exit code."""
    from analysis.pipeline import stopping

    try:
        with stopping.on_signals():
            out = build(request)
    except stopping.Stopped as exc:
        stopped = stopping.kill_descendants()
        _say(f"build: {exc}; {stopped} worker and kernel processes ended, nothing more written")
        # Exit now: the process pool's threads wait for workers that no longer exist, and the
        # interpreter would join them at exit.
        sys.stderr.flush()
        os._exit(exc.exit_code)
    except (
        RunsFileError,
        DataInvalid,
        OutRefused,
        BuildBusy,
        PersonalDataPublished,
        LinkFound,
    ) as exc:
        _say(f"error: {exc}")
        return EXIT_BAD_INPUT
    except (ChapterFailed, EditionsDisagree) as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    except BookFailed as exc:
        _say(f"error: {exc}")
        return EXIT_FAILED
    except OSError as exc:
        problem = write_failure(exc, Path(request.out_dir or DEFAULT_OUT).resolve())
        if problem is None:
            raise
        _say(f"error: {problem}")
        return EXIT_BAD_INPUT
    if request.data_dir is not None and request.html:
        print(out / "html" / "index.html")
    return EXIT_OK
