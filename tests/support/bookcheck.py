"""Checks of the built book as a reader meets it: pages in a browser, links, glued values, PDF.

``tests/test_built_book.py`` runs them on what the strict build just produced in ``_build/``
(``html/``, ``results.json``, ``latex/book.pdf``). Everything is offline: the browser reads the
HTML from a local server on 127.0.0.1 and blocks any other host; external links are only listed.
The PDF is read with poppler's ``pdftotext``, ``pdfimages``, ``pdftoppm`` and ``pdfinfo``; its
link annotations and bookmarks with the standard library (``check_pdf_links``).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTICLE = "article.bd-article"  # the page's own content in sphinx-book-theme (not the sidebars)


# --------------------------------------------------------------------------- the book's pages
def toc_docnames(source_root: Path) -> list[str]:
    """Every document of ``_toc.yml``, root first, in reading order (``book/chapters/x``)."""
    toc = yaml.safe_load((Path(source_root) / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [name.removesuffix(".md").removesuffix(".ipynb") for name in names]


def source_file(source_root: Path, docname: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = Path(source_root) / f"{docname}{suffix}"
        if path.is_file():
            return path
    return None


def run_id_of(source: Path | None) -> str | None:
    """The run id the runner wrote into an executed chapter's metadata (None for prose pages)."""
    if source is None or source.suffix != ".ipynb":
        return None
    nb = json.loads(source.read_text(encoding="utf-8"))
    return nb.get("metadata", {}).get("poverty_book", {}).get("run_id")


def read_html(html_dir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup(
        (Path(html_dir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser"
    )


def page_title(soup: BeautifulSoup) -> str:
    heading = soup.select_one(f"{ARTICLE} h1")
    return heading.get_text(" ", strip=True).rstrip("#").strip() if heading else ""


# --------------------------------------------------------------------------- local server
class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- links
LINKING_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}
IGNORED_SCHEMES = {"javascript", "data", "blob"}


@dataclass
class BrokenLink:
    page: str  # html file relative to the html folder
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} ({self.reason})"


@dataclass
class LinkReport:
    """Internal links checked, the broken ones, and the external links and resources by page."""

    checked: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    external_links: dict[str, set[str]] = field(default_factory=dict)  # url -> pages (<a href>)
    external_resources: dict[str, set[str]] = field(
        default_factory=dict
    )  # url -> pages (scripts, styles, images)

    def external_links_text(self) -> str:
        """The report file: every external link with the pages that carry it (not checked offline)."""
        lines = [
            "# External links of the built book, with the pages that carry them.",
            "# Listed, not checked: the build and its tests run offline.",
            "",
        ]
        for url in sorted(self.external_links):
            lines.append(url)
            lines += [f"    {page}" for page in sorted(self.external_links[url])]
        return "\n".join(lines) + "\n"

    def external_links_json(self) -> str:
        """The same list for programs: ``{url: [pages]}``, sorted."""
        listing = {url: sorted(pages) for url, pages in sorted(self.external_links.items())}
        return json.dumps(listing, indent=1, ensure_ascii=False) + "\n"


def _html_files(html_dir: Path) -> list[Path]:
    skip = {"_static", "_sources", "_images"}
    return sorted(
        p for p in Path(html_dir).rglob("*.html") if not skip & set(p.relative_to(html_dir).parts)
    )


def _anchors(soup: BeautifulSoup) -> set[str]:
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    return ids | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def check_links(html_dir: Path) -> LinkReport:
    """Resolve every internal link and anchor of the built HTML; list the external ones.

    A link to another page must name a file that exists; a fragment (``page.html#anchor``
    or ``#anchor``) must be an ``id`` (or ``<a name>``) of the target page.
    """
    html_dir = Path(html_dir).resolve()
    files = _html_files(html_dir)
    soups = {path: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for path in files}
    anchors: dict[Path, set[str]] = {}
    report = LinkReport()
    for path, soup in soups.items():
        page = path.relative_to(html_dir).as_posix()
        for tag_name, attribute in LINKING_ATTRIBUTES.items():
            for tag in soup.find_all(tag_name, attrs={attribute: True}):
                url = tag[attribute].strip()
                parts = urlsplit(url)
                if parts.scheme in IGNORED_SCHEMES or url in ("", "#"):
                    continue
                if parts.scheme or url.startswith("//"):
                    bucket = report.external_links if tag_name == "a" else report.external_resources
                    if (
                        tag_name == "link"
                        and "stylesheet" not in (tag.get("rel") or [])
                        and not {"preload", "icon", "modulepreload"} & set(tag.get("rel") or [])
                    ):
                        bucket = (
                            report.external_links
                        )  # <link rel="canonical"> and the like: not loaded
                    bucket.setdefault(url, set()).add(page)
                    continue
                report.checked += 1
                target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    report.broken.append(BrokenLink(page, url, "no such file"))
                    continue
                if parts.fragment and target.suffix == ".html":
                    if target not in anchors:
                        target_soup = soups.get(target) or BeautifulSoup(
                            target.read_text(encoding="utf-8"), "html.parser"
                        )
                        anchors[target] = _anchors(target_soup)
                    if unquote(parts.fragment) not in anchors[target]:
                        report.broken.append(
                            BrokenLink(
                                page,
                                url,
                                f"no anchor #{parts.fragment} in {target.relative_to(html_dir)}",
                            )
                        )
    return report


# --------------------------------------------------------------------------- text comparison
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00ad": None,
    }
)


def comparable(text: str) -> str:
    """Text with typography undone and whitespace removed, to compare HTML with PDF text.

    LaTeX turns quotes and dashes typographic, wraps lines and inserts non-breaking spaces;
    none of that changes what a value says.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_TRANSLATE))


_JOINED_HYPHEN = re.compile(r"(?<=\S)-(?=\S)")


def without_inner_hyphens(text: str) -> str:
    """``two-sided`` -> ``twosided``: pdftotext drops a hyphen that ends a line, even a real one.

    A minus sign after a space (``from -0.07``) is kept.
    """
    return _JOINED_HYPHEN.sub("", text)


def comparable_words(text: str) -> set[str]:
    """The words of a text (:func:`comparable`, lower case), each also without inner hyphens."""
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)
    words = {comparable(word).lower() for word in text.split()} - {""}
    return words | {without_inner_hyphens(word) for word in words}


class ComparableText:
    """A long text (the PDF's) prepared once for many :func:`comparable` membership tests.

    A needle is also looked for with its inner hyphens dropped (see :func:`without_inner_hyphens`)
    and with words hyphenated at a line end joined again.
    """

    def __init__(self, text: str):
        self.text = text
        self._plain = comparable(text)
        self._joined = comparable(re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text))
        self._unhyphenated = comparable(without_inner_hyphens(text))

    def __contains__(self, needle: str) -> bool:
        wanted = comparable(needle)
        return (
            wanted in self._plain
            or wanted in self._joined
            or comparable(without_inner_hyphens(needle)) in self._unhyphenated
        )


# --------------------------------------------------------------------------- glued values
_GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>[a-z]*))?\}`(?P<body>[^`]+)`")


@dataclass(frozen=True)
class GlueUse:
    """A glue role in a page's Markdown: which value it shows, how formatted, from which run."""

    docname: str  # the page showing the value
    run_id: str  # the run whose results.json entry holds it
    key: str
    kind: str  # "text" (formatted), "any" (as recorded), "md"
    format_spec: str

    def displayed(self, value, lang: str = "en") -> str | None:
        """The text the book shows for ``value`` in the edition ``lang`` (None when it is
        rendered Markdown): myst-nb's formatting, with the edition's number signs
        (``book/_ext/translation.py``)."""
        from translation import format_glued

        if self.kind == "text":
            return format_glued(repr(value), self.format_spec, lang)
        if self.kind == "any":
            return repr(value)
        return None


def _markdown_sources(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def glue_uses(source_root: Path, docnames: list[str]) -> list[GlueUse]:
    """Every value glued into the prose of the given pages, with the run that recorded it.

    ``{glue:text}`key:fmt``` is formatted like myst-nb does; ``{glue}``/``{glue:any}`` show the
    recorded value; ``path.ipynb::key`` names another chapter's value.
    """
    source_root = Path(source_root)
    run_of_file = {}
    for docname in docnames:
        source = source_file(source_root, docname)
        run_id = run_id_of(source)
        if run_id:
            run_of_file[source.resolve()] = run_id
    uses = []
    for docname in docnames:
        source = source_file(source_root, docname)
        if source is None:
            continue
        for text in _markdown_sources(source):
            for match in _GLUE_ROLE.finditer(text):
                kind = {"": "any", None: "any"}.get(match["kind"], match["kind"])
                body = match["body"].strip()
                doc = source
                if "::" in body:
                    other, body = body.split("::", 1)
                    doc = (source.parent / other).resolve()
                key, spec = (
                    (body.rsplit(":", 1) + [""])[:2]
                    if kind in ("text", "md") and ":" in body
                    else (body, "")
                )
                run_id = run_of_file.get(doc.resolve())
                if run_id is not None:
                    uses.append(GlueUse(docname, run_id, key, kind, spec))
    return uses


@dataclass(frozen=True)
class Pasted:
    """A glued value as a page shows it, with the words around it in its paragraph."""

    docname: str
    text: str
    before: str  # the word before it ("" at the start of its paragraph)
    after: str  # the word after it

    @property
    def in_context(self) -> str:
        return f"{self.before}{self.text}{self.after}"

    def found_in(self, text: ComparableText) -> bool:
        """Whether ``text`` shows the value next to at least one of its neighbours.

        One neighbour may differ: a cross-reference reads "Fig. 1" in HTML, "Fig. 1.1" in the PDF.
        """
        variants = [self.in_context, f"{self.before}{self.text}", f"{self.text}{self.after}"]
        return any(variant in text for variant in variants)


_BLOCKS = [
    "p",
    "li",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "div",
]


def pasted_values(html_dir: Path, docname: str) -> list[Pasted]:
    """Every glued value shown in a page's prose (myst-nb's ``pasted-text`` and ``pasted-inline``)."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    shown = []
    for span in article.select(".pasted-text, .pasted-inline") if article else []:
        block = span.find_parent(_BLOCKS) or span.parent
        before = "".join(
            reversed([t for t in span.find_all_previous(string=True) if block in t.parents])
        )
        after_parts = []
        for t in span.find_all_next(string=True):
            if block not in t.parents:
                break
            if any("headerlink" in (p.get("class") or []) for p in t.parents if p.name == "a"):
                continue  # the permalink sign after a caption: web only, not text
            if span not in t.parents:
                after_parts.append(t)
        words_before = re.findall(r"\S+$", before.rstrip()) if before.strip() else []
        words_after = (
            re.findall(r"^\S+", "".join(after_parts).lstrip())
            if "".join(after_parts).strip()
            else []
        )
        gap_before = " " if before and before[-1:].isspace() else ""
        gap_after = " " if after_parts and "".join(after_parts)[:1].isspace() else ""
        shown.append(
            Pasted(
                docname,
                span.get_text(),
                (words_before[0] + gap_before) if words_before else "",
                (gap_after + words_after[0]) if words_after else "",
            )
        )
    return shown


# --------------------------------------------------------------------------- figures and tables
@dataclass(frozen=True)
class Figure:
    docname: str
    src: str
    caption: str  # "" for an image without a caption


def html_figures(html_dir: Path, docnames: list[str]) -> list[Figure]:
    """Every image in the content of the given pages (theme logos and icons are outside it)."""
    figures = []
    for docname in docnames:
        article = read_html(html_dir, docname).select_one(ARTICLE)
        for image in article.find_all("img") if article else []:
            figure = image.find_parent("figure")
            caption = figure.select_one(".caption-text") if figure else None
            figures.append(
                Figure(
                    docname,
                    image.get("src", ""),
                    caption.get_text(" ", strip=True) if caption else "",
                )
            )
    return figures


def html_tables(html_dir: Path, docnames: list[str]) -> list[tuple[str, list[str]]]:
    """(page, header cells) of every table in the content of the given pages."""
    tables = []
    for docname in docnames:
        article = read_html(html_dir, docname).select_one(ARTICLE)
        for table in article.find_all("table") if article else []:
            header = table.find("thead") or table.find("tr")
            cells = (
                [cell.get_text(" ", strip=True) for cell in header.find_all(["th", "td"])]
                if header
                else []
            )
            tables.append((docname, cells))
    return tables


def latex_table_count(tex: str) -> int:
    """Tables in the LaTeX source Sphinx wrote (each one a tabular, tabulary or longtable)."""
    return len(re.findall(r"\\begin\{(?:longtable|tabulary|tabular)\*?\}", tex))


# --------------------------------------------------------------------------- the PDF
def pdf_text(pdf: Path) -> str:
    """The PDF's text in reading order, pages separated by form feeds (pdftotext)."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@dataclass(frozen=True)
class PdfImage:
    page: int
    width: int
    height: int


def pdf_images(pdf: Path) -> list[PdfImage]:
    """Images drawn in the PDF (``pdfimages -list``), without their transparency masks."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    images = []
    for line in listing.splitlines()[2:]:
        columns = line.split()
        if len(columns) > 4 and columns[2] == "image":
            images.append(PdfImage(int(columns[0]), int(columns[3]), int(columns[4])))
    return images


def contents_pages(text: str, heading: str = "Contents", search_first: int = 8) -> str:
    """The table-of-contents pages of the PDF text ("" when there is none).

    The table starts on a page headed ``heading`` ("Contents"; "Daftar Isi" in the Indonesian
    edition) among the first pages and runs until the first page that is not a list of titles
    with page numbers (the first chapter).
    """
    pages = text.split("\f")
    start = next(
        (
            i
            for i, page in enumerate(pages[:search_first])
            if re.search(rf"^\s*{re.escape(heading)}\s*$", page, re.I | re.M)
        ),
        None,
    )
    if start is None:
        return ""
    toc = [pages[start]]
    for page in pages[start + 1 :]:
        numbers = re.findall(r"^\s*\d+\s*$", page, re.M)
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        # the last lines of the contents, alone on a page: a numbered title and its page
        # number, on a page of the front matter (a roman folio)
        # the last page of the contents: numbered titles and their pages, on a page of the
        # front matter (a roman folio), however few
        tail = (
            0 < len(lines)
            and re.match(r"^\d+(\.\d+)* \S", lines[0])
            and re.fullmatch(r"[ivxlc]+", lines[-1])
        )
        if len(numbers) < 5 and not tail:  # a contents page is mostly page numbers
            break
        toc.append(page)
    return "\f".join(toc)


def unresolved_references(text: str) -> list[str]:
    """Lines of the PDF text showing ``??`` (what LaTeX prints for a reference it cannot resolve)."""
    return [line.strip() for line in text.splitlines() if "??" in line]


def latex_undefined(log: str) -> list[str]:
    """References and citations that the last LaTeX pass left undefined (from ``book.log``)."""
    return sorted(
        set(
            re.findall(
                r"LaTeX Warning: ((?:Reference|Citation|Hyper reference) `[^']+' on page \d+ undefined)",
                log,
            )
        )
    )


def render_pdf_pages(
    pdf: Path, pages: list[int], out_dir: Path, resolution: int = 60
) -> list[Path]:
    """Render the given PDF pages (1-based) as PNG files ``pdf-page-N.png`` (pdftoppm)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number in pages:
        prefix = out_dir / f"pdf-page-{number:03d}"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(resolution),
                "-png",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                str(pdf),
                str(prefix),
            ],
            check=True,
            capture_output=True,
        )
        written.append(prefix.with_suffix(".png"))
    return written


def pdf_page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# --------------------------------------------------------------------------- PDF links
# The PDF's link annotations, bookmarks and named destinations are read with pypdf.
@dataclass(frozen=True)
class PdfLink:
    """A link annotation (its page, 1-based, 0 if on none) or a bookmark (its title), and where
    it leads."""

    page: int
    destination: object  # bytes or str: a named destination; list: an explicit one
    kind: str  # "GoTo", "URI", "GoToR", "Launch", ...
    bookmark: str | None = None

    def __str__(self) -> str:
        where = f"bookmark {self.bookmark!r}" if self.bookmark is not None else f"page {self.page}"
        return f"{where}: {self.kind} {self.destination!r}"


@dataclass
class PdfLinkReport:
    """Internal links of a PDF checked, the broken ones, and its external links (URIs)."""

    checked: int = 0
    broken: list[tuple[PdfLink, str]] = field(default_factory=list)
    external_links: dict[str, set[int]] = field(default_factory=dict)  # url -> pages


def _destination_of(item) -> tuple[str, object] | None:
    """(kind, destination) of a link annotation or bookmark: ``/Dest``, or its action's target."""
    if "/Dest" in item:
        return "GoTo", item["/Dest"]
    action = item.get("/A")
    if action is None:
        return None
    action = action.get_object()
    kind = str(action.get("/S", "/?")).lstrip("/")
    return kind, action.get("/URI" if kind == "URI" else "/D", action.get("/F"))


def _bookmarks(reader) -> list:
    """Every outline item (bookmark) of the document, walked through /First and /Next."""
    root = reader.trailer["/Root"].get("/Outlines")
    found, seen = [], set()
    stack = [root.get_object().get("/First")] if root is not None else []
    while stack:
        ref = stack.pop()
        while ref is not None and len(seen) < 100_000:
            key = getattr(ref, "idnum", id(ref))
            if key in seen:
                break
            seen.add(key)
            item = ref.get_object()
            found.append(item)
            if "/First" in item:
                stack.append(item["/First"])
            ref = item.get("/Next")
    return found


def pdf_link_annotations(reader) -> list[PdfLink]:
    """Every link annotation (with its page) and every bookmark with a target."""
    links = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = _destination_of(annotation)
            if target is not None:
                links.append(PdfLink(number, target[1], target[0]))
    for item in _bookmarks(reader):
        target = _destination_of(item)
        if target is not None:
            links.append(PdfLink(0, target[1], target[0], str(item.get("/Title", ""))))
    return links


def _named_destination_pages(reader) -> dict[str, int]:
    """Named destinations of the document and the page (1-based) each leads to; 0: no page."""
    pages = {page.indirect_reference.idnum: k for k, page in enumerate(reader.pages, start=1)}
    found = {}
    for name, destination in reader.named_destinations.items():
        page = destination.get("/Page") if hasattr(destination, "get") else None
        found[str(name)] = pages.get(getattr(page, "idnum", None), 0)
    return found


def pdf_external_links_text(report: PdfLinkReport, name: str) -> str:
    """The PDF's web links with the pages that carry them (listed: the tests run offline)."""
    lines = [f"# External links of {name}, with the pages that carry them.", ""]
    for url in sorted(report.external_links):
        lines.append(url)
        lines += [f"    page {page}" for page in sorted(report.external_links[url])]
    return "\n".join(lines) + "\n"


def pdf_links_missing_from_site(
    report: PdfLinkReport, base_url: str, html_dir: Path
) -> dict[str, set[int]]:
    """The PDF's web links into the published site (``base_url``: the edition's html.baseurl)
    whose file the built site (``html_dir``, published there) does not have: url -> pages."""
    missing = {}
    for url, pages in report.external_links.items():
        if not url.startswith(base_url):
            continue
        path = unquote(urlsplit(url[len(base_url) :]).path)
        target = Path(html_dir) / path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            missing[url] = pages
    return missing


def check_pdf_links(pdf: Path) -> PdfLinkReport:
    """Resolve every internal link of the PDF (link annotations and bookmarks): a named
    destination must exist and lead to a page of the document; an explicit one must name a page
    object. External links (URIs) are listed."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(str(pdf))
    pages = {page.indirect_reference.idnum for page in reader.pages}
    named = _named_destination_pages(reader)
    report = PdfLinkReport()
    for link in pdf_link_annotations(reader):
        destination = link.destination
        destination = destination.get_object() if destination is not None else None
        if isinstance(destination, DictionaryObject):  # a destination dictionary: its /D
            destination = destination.get("/D")
            destination = destination.get_object() if destination is not None else None
        if link.kind == "URI":
            report.external_links.setdefault(str(destination), set()).add(link.page)
            continue
        if link.kind != "GoTo":
            report.broken.append((link, f"a {link.kind} link (leads out of the document)"))
            continue
        report.checked += 1
        if isinstance(destination, ArrayObject) and destination:
            target = destination[0]
            if getattr(target, "idnum", None) not in pages:
                what = f"object {target.idnum}" if hasattr(target, "idnum") else repr(target)
                report.broken.append((link, f"explicit destination to {what}, which is no page"))
        elif destination is not None:
            name = str(destination).removeprefix("/")
            if not named.get(name):
                report.broken.append((link, f"no destination named {name!r} that leads to a page"))
        else:
            report.broken.append((link, "no destination"))
    return report


# --------------------------------------------------------------------------- in the browser
# What a reader must never see in a page's rendered outputs.
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \".*\", line \d+", re.M)
PARAMETERS_CELL = re.compile(r"#\s*Parameters\b|injected-parameters")
PYTHON_WARNING = re.compile(r"\b[A-Z][A-Za-z]*Warning:|\bwarnings\.warn\(")
WARNING_WORD = re.compile(r"\b\w*Warning\b")

_PAGE_STATE_JS = """
async () => {
  const images = Array.from(document.images);
  for (const image of images) { image.loading = 'eager'; }
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  const article = document.querySelector('%(article)s');
  const texts = (selector) => Array.from(document.querySelectorAll(selector)).map(e => e.innerText);
  return {
    title: (article && article.querySelector('h1')) ? article.querySelector('h1').innerText : '',
    text: article ? article.innerText : document.body.innerText,
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src),
    image_count: article ? article.querySelectorAll('img').length : 0,
    error_outputs: texts('.output.traceback, .output.error, .output.stderr, .cell_output .stderr'),
    parameter_cells: document.querySelectorAll('.tag_parameters, .tag_injected-parameters').length,
    text_outputs: texts('.cell_output .output.stream, .cell_output .output.text_plain, .cell_output pre'),
  };
}
""" % {"article": ARTICLE}


@dataclass
class PageVisit:
    """What loading one page in the browser showed."""

    url: str
    status: int | None
    final_url: str = ""  # after redirects
    title: str = ""
    text: str = ""  # the page content's text as rendered
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    image_count: int = 0
    problems: list[str] = field(
        default_factory=list
    )  # tracebacks, parameters cells, warnings shown

    def reader_problems(
        self, text: str, error_outputs: list[str], parameter_cells: int, text_outputs: list[str]
    ) -> list[str]:
        found = []
        if TRACEBACK.search(text):
            found.append("shows a traceback: " + TRACEBACK.search(text).group(0))
        found += [f"shows an error/stderr output: {output[:160]!r}" for output in error_outputs]
        if parameter_cells:
            found.append(f"shows {parameter_cells} parameters cell(s)")
        if PARAMETERS_CELL.search(text):
            found.append(
                "shows a papermill parameters cell: " + PARAMETERS_CELL.search(text).group(0)
            )
        if PYTHON_WARNING.search(text):
            found.append("shows a library warning: " + _around(text, PYTHON_WARNING.search(text)))
        for output in text_outputs:
            match = WARNING_WORD.search(output)
            if match:
                found.append("an output shows a warning: " + _around(output, match))
        return found


def _around(text: str, match: re.Match, width: int = 80) -> str:
    return repr(text[max(0, match.start() - width) : match.end() + width])


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


def block_external_requests(context) -> list[str]:
    """Abort every request of a Playwright browser context that leaves 127.0.0.1; return their list."""
    blocked: list[str] = []

    def route(route_, request):
        if is_local(request.url):
            route_.continue_()
        else:
            blocked.append(request.url)
            route_.abort("blockedbyclient")

    context.route("**/*", route)
    return blocked


def visit(page, url: str, blocked: list[str]) -> PageVisit:
    """Load ``url`` in a Playwright page and report what a reader would meet there."""
    errors, failed = [], []
    blocked_before = len(blocked)
    on_console = lambda message: errors.append(message.text) if message.type == "error" else None
    on_page_error = lambda error: errors.append(f"uncaught: {error}")
    on_failed = lambda request: failed.append(f"{request.url} ({request.failure})")
    on_response = lambda response: (
        failed.append(f"{response.url} (HTTP {response.status})")
        if response.status >= 400
        else None
    )
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        response = page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        state = page.evaluate(_PAGE_STATE_JS)
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.remove_listener("requestfailed", on_failed)
        page.remove_listener("response", on_response)
    result = PageVisit(
        url,
        response.status if response else None,
        final_url=page.url,
        title=state["title"].strip().rstrip("#").strip(),
        text=state["text"],
        console_errors=errors,
        external_requests=blocked[blocked_before:],
        failed_requests=[f for f in failed if is_local(f.split(" ")[0])],
        broken_images=state["broken_images"],
        image_count=state["image_count"],
    )
    result.problems = result.reader_problems(
        state["text"], state["error_outputs"], state["parameter_cells"], state["text_outputs"]
    )
    return result


def follow_redirect(page, url: str, expected: str, timeout_ms: int = 15000) -> str:
    """Open ``url`` and wait for it to lead to ``expected`` (a meta refresh); return where it ended."""
    page.goto(url, wait_until="load")
    try:
        page.wait_for_url(lambda current: same_page(current, expected), timeout=timeout_ms)
    except Exception:  # playwright's TimeoutError: report where the page stayed
        pass
    return page.url


def sidebar_links(page) -> list[str]:
    """Absolute URLs of the links of the book's navigation sidebar on the current page."""
    return page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)"
    )


def search(page, base_url: str, term: str, timeout_ms: int = 30000) -> list[str]:
    """Search the book with its own search page; return the URLs of the pages found."""
    page.goto(urljoin(base_url, f"search.html?q={term}"), wait_until="load")
    page.wait_for_function(
        # Finished (Sphinx's searchtools stops its pulse at the end) with results or a
        # summary, in any language.
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return typeof Search !== 'undefined' && Search._pulse_status === -1 && s &&"
        " (document.querySelector('#search-results ul.search li') || s.innerText.trim()); }",
        timeout=timeout_ms,
    )
    return page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.href)"
    )


def search_term(text: str, avoid: str = "") -> str | None:
    """A distinctive word of a chapter's text to search for: long, alphabetic, not in ``avoid``."""
    counts: dict[str, int] = {}
    for word in re.findall(r"\b[A-Za-z]{8,}\b", text):
        counts[word.lower()] = counts.get(word.lower(), 0) + 1
    avoid_words = set(re.findall(r"[a-z]+", avoid.lower()))
    candidates = [w for w, n in counts.items() if n >= 2 and w not in avoid_words]
    return max(candidates, key=lambda w: (counts[w], len(w)), default=None)


def page_url(base_url: str, docname: str) -> str:
    return urljoin(base_url, f"{docname}.html")


def same_page(a: str, b: str) -> bool:
    """Whether two URLs name the same page (fragments and a trailing index.html aside)."""

    def norm(url):
        path = urlsplit(url).path
        return path[: -len("index.html")] if path.endswith("/index.html") else path

    return norm(a) == norm(b)


# --------------------------------------------------------------------------- what a chapter shows
#: A value as a program stores it: lower case words joined by underscores (``revolving_credit``).
SNAKE_CASE = re.compile(r"(?<![\w/.`-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w`-])")
_URL_OR_PATH = re.compile(r"\S*(?:://|/)\S*|\S+\.(?:csv|json|py|ipynb|qdpx|yml)\b")


def table_cell_texts(html_dir: Path, docname: str) -> list[str]:
    """The text of every table cell of the page, outside code."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    texts = []
    for table in article.find_all("table") if article else []:
        for cell in table.find_all(["td", "th"]):
            for code in cell.find_all(["code", "kbd", "pre"]):
                code.decompose()
            texts.append(cell.get_text(" ", strip=True))
    return texts


def snake_case_in_tables(html_dir: Path, docname: str) -> list[str]:
    """snake_case words in the page's table cells, outside code, URLs and file paths."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    found = []
    for table in article.find_all("table") if article else []:
        for cell in table.find_all(["td", "th"]):
            for code in cell.find_all(["code", "kbd", "pre"]):
                code.decompose()
            text = _URL_OR_PATH.sub(" ", cell.get_text(" ", strip=True))
            found += [f"{m.group(0)!r} in {text[:80]!r}" for m in SNAKE_CASE.finditer(text)]
    return found


def empty_sections(html_dir: Path, docname: str) -> list[str]:
    """Headings of the page's sections that show nothing: no text, table or figure of their own
    and no subsection that shows something."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    empty = []
    for section in article.find_all("section") if article else []:
        heading = section.find(["h1", "h2", "h3", "h4", "h5", "h6"])
        content = [
            child
            for child in section.children
            if getattr(child, "name", None) and child is not heading
        ]
        shows = any(
            child.get_text(strip=True) or child.find(["img", "table", "svg", "math"])
            for child in content
        )
        if not shows:
            empty.append(heading.get_text(" ", strip=True).rstrip("#").strip() if heading else "?")
    return empty


def page_text(html_dir: Path, docname: str) -> str:
    """The text of the page's content (static HTML, without the sidebars)."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    return article.get_text(" ", strip=True) if article else ""


def csv_downloads(html_dir: Path, docname: str) -> list[Path]:
    """The CSV files the page links to (Sphinx copies them into ``_downloads/``)."""
    page = html_dir / f"{docname}.html"
    article = read_html(html_dir, docname).select_one(ARTICLE)
    files = []
    for link in article.find_all("a", href=True) if article else []:
        href = unquote(urlsplit(link["href"]).path)
        if href.endswith(".csv") and not urlsplit(link["href"]).scheme:
            files.append((page.parent / href).resolve())
    return sorted(set(files))


def csv_header(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


_FONT_WEIGHTS_JS = """
() => Array.from(document.querySelectorAll('%(article)s .pasted-text, %(article)s .pasted-inline'))
  .map(e => ({text: e.innerText, weight: getComputedStyle(e).fontWeight,
              parent: getComputedStyle(e.parentElement).fontWeight}))
""" % {"article": ARTICLE}


def bold_glued_values(page) -> list[str]:
    """Glued values that the browser draws bolder than the text around them."""
    return [
        f"{v['text']!r} (weight {v['weight']}, text around {v['parent']})"
        for v in page.evaluate(_FONT_WEIGHTS_JS)
        if int(v["weight"]) > int(v["parent"])
    ]


_CLIPPED_TABLES_JS = """
() => Array.from(document.querySelectorAll('%(article)s table')).map((table, k) => {
  // the nearest ancestor that scrolls sideways (the frame a phone reader swipes in)
  let frame = table.parentElement;
  while (frame && frame.tagName !== 'ARTICLE' &&
         !['auto', 'scroll'].includes(getComputedStyle(frame).overflowX)) {
    frame = frame.parentElement;
  }
  const scrolls = frame && frame.tagName !== 'ARTICLE';
  const cells = Array.from(table.querySelectorAll('th, td'));
  const clipped = cells.filter(c => getComputedStyle(c).overflow === 'hidden' &&
                                    c.scrollWidth > c.clientWidth + 1).length;
  const article = document.querySelector('%(article)s').getBoundingClientRect();
  const box = table.getBoundingClientRect();
  return {k, scrolls, clipped, wider: box.width > article.width + 1,
          header: Array.from(table.querySelectorAll('th')).slice(0, 3).map(t => t.innerText)};
})
""" % {"article": ARTICLE}


def unreachable_table_columns(page) -> list[str]:
    """Tables wider than the page that no scroll frame holds, and tables with clipped cells."""
    problems = []
    for t in page.evaluate(_CLIPPED_TABLES_JS):
        if t["wider"] and not t["scrolls"]:
            problems.append(f"table {t['k']} {t['header']} is wider than the page and cut off")
        if t["clipped"]:
            problems.append(f"table {t['k']} {t['header']} clips {t['clipped']} cells")
    return problems


# --------------------------------------------------------------------------- the book's frame
PDF_NAME = "book.pdf"  # where the site carries the book's PDF (book/_ext/reader.py)
CODE_TOGGLE = re.compile(r"Show code cell (?:source|content|outputs?)")
DEVELOPER_HEADINGS = re.compile(r"^Run details: results keys", re.I)


def resolve(html_dir: Path, docname: str, href: str) -> Path:
    """The file a relative link of page ``docname`` leads to."""
    page = Path(html_dir) / f"{docname}.html"
    return (page.parent / unquote(urlsplit(href).path)).resolve()


def pdf_links(
    html_dir: Path, docname: str, where: str = ARTICLE, name: str = PDF_NAME
) -> list[Path]:
    """Files named ``name`` (``book.pdf``) that the links inside ``where`` (a CSS selector) lead to."""
    soup = read_html(html_dir, docname)
    return [
        resolve(html_dir, docname, a["href"])
        for a in soup.select(f"{where} a[href]")
        if urlsplit(a["href"]).path.endswith(name) and not urlsplit(a["href"]).scheme
    ]


def code_toggles(html_dir: Path, docname: str) -> list[str]:
    """The "Show code cell source" bars (and the like) a page shows."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    return CODE_TOGGLE.findall(article.get_text(" ")) if article else []


def headings(html_dir: Path, docname: str) -> list[str]:
    article = read_html(html_dir, docname).select_one(ARTICLE)
    tags = article.find_all(["h1", "h2", "h3", "h4"]) if article else []
    return [tag.get_text(" ", strip=True).rstrip("#").strip() for tag in tags]


def download_links(html_dir: Path, docname: str) -> list[str]:
    """The CSV downloads a page offers (Sphinx's ``a.download``)."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    return [a["href"] for a in article.select("a.download[href]")] if article else []


def bibliography_entries(html_dir: Path, docname: str) -> list[str]:
    """The text of each entry of a page's bibliography (sphinxcontrib-bibtex's citation list)."""
    article = read_html(html_dir, docname).select_one(ARTICLE)
    entries = article.select("div.citation-list > div.citation") if article else []
    return [" ".join(e.find("p").get_text(" ").split()) for e in entries if e.find("p")]


VISIBLE_SEARCH_CONTROLS_JS = """
() => Array.from(document.querySelectorAll('.search-button, .search-button-field, form.bd-search'))
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
  .length
"""


def visible_search_controls(page) -> int:
    """How many search boxes or buttons the current page shows (without opening a dialog)."""
    return page.evaluate(VISIBLE_SEARCH_CONTROLS_JS)


def latex_download_links(tex: str, base_url: str) -> int:
    """Links of the LaTeX source to a file published under ``base_url``'s ``_downloads/``."""
    escaped = re.escape(base_url.rstrip("/") + "/\\_downloads/")
    return len(re.findall(r"\\sphinxhref\{" + escaped, tex))


def pdf_pages(text: str) -> list[str]:
    """The PDF's pages (pdftotext separates them by form feeds; the last one is empty)."""
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_headed(page: str, title: str) -> bool:
    return re.search(rf"^\s*{re.escape(title)}\s*$", page, re.I | re.M) is not None
