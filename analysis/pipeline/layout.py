"""Where a build reads the book's sources: the shipped book, a book staged in ``OUT/source`` for
another data directory, and each further edition staged in ``OUT/source-<lang>``.

:class:`BookLayout` names the folders; :func:`staged_layout` and :func:`edition_layout` copy the
sources Jupyter Book reads (``BOOK_SOURCES``), write their table of contents and configuration,
and give the staged book its data's title (:func:`stage_title`).
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.pipeline import runner
from analysis.pipeline.bibliography import stage_bibliography
from analysis.pipeline.config import edition_config
from analysis.pipeline.runner import Run
from analysis.project import DATA_DIR, PROJECT_ROOT

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


def shipped_layout(out_dir: Path) -> BookLayout:
    return BookLayout(PROJECT_ROOT, PROJECT_ROOT / "book", DATA_DIR, out_dir)


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


def edition_language(layout: BookLayout) -> str:
    """The language of the sources in ``layout`` (its ``_config.yml``'s Sphinx ``language``)."""
    config = yaml.safe_load((layout.source_root / "_config.yml").read_text(encoding="utf-8"))
    return ((config.get("sphinx") or {}).get("config") or {}).get("language", SOURCE_LANGUAGE)


def built_folder(out_dir: Path, folder: str, lang: str) -> Path:
    """Where the edition ``lang`` of ``folder`` (html, latex) is published in ``out_dir``."""
    if lang == SOURCE_LANGUAGE:
        return Path(out_dir) / folder
    return Path(out_dir) / "html" / lang if folder == "html" else Path(out_dir) / f"{folder}-{lang}"
