"""Jupyter Book, called once per edition and builder: the digest of the sources a built folder was
made from (:func:`book_key`, kept in it as ``BOOK_KEY``), the environment the Sphinx extensions in
``book/_ext`` read, and :func:`render`, which builds into a temporary folder unless the published
one is up to date.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.pipeline import runner
from analysis.pipeline.layout import SOURCE_LANGUAGE, BookLayout, built_folder, edition_language
from analysis.pipeline.provenance import title_page_facts
from analysis.project import PROJECT_ROOT


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
