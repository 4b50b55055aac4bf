"""Publishing a build transactionally: every edition's PDF and HTML site rendered into temporary
folders (:func:`publish`), then swapped in together (:func:`swap_all`) only after the build's
checks, and the files of the build folder (``results.json``, ``runs.json``, the generated pages)
staged beside their targets and moved in with them (:class:`Staged`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from analysis.pipeline import nofollow
from analysis.pipeline.jupyterbook import BOOK_KEY, render
from analysis.pipeline.layout import PDF_NAMES, SOURCE_LANGUAGE, BookLayout
from analysis.pipeline.nofollow import LinkFound
from analysis.pipeline.safety import OutRefused


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


def publish(
    layout: BookLayout,
    *,
    html: bool,
    pdf: bool,
    strict: bool,
    editions: dict[str, BookLayout] | None = None,
) -> list[tuple[Path, Path]]:
    """Render the PDFs first, then the HTML sites carrying them, for every edition.

    ``editions``: the other languages' layouts (:func:`analysis.pipeline.layout.edition_layout`). English is built at
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
