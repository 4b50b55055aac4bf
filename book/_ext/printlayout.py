"""A Sphinx extension that makes the PDF read as a printed book, and keeps web talk out of it.

Loaded by ``_config.yml`` (``sphinx.local_extensions``). Only the LaTeX builder is changed, except
for the ``web-only`` and ``print-only`` classes, which every builder reads.

- **Web-only and print-only text.** An element with the class ``web-only`` is left out of the
  PDF, one with ``print-only`` out of the web pages. In Markdown (pages, and the Markdown that a
  chapter displays) a phrase is ``[the download menu at the top of the page]{.web-only}``
  (``attrs_inline``), a block ``:::{container} web-only`` ... ``:::``. Sphinx's own
  ``{only} html`` and ``{only} latex`` directives do the same for whole blocks of a page.
- **Long tokens.** TeX breaks a line at a space, after a hyphen, and in code after
  ``. , ; ? ! /``; a file name, a field name, a checksum or a web address shown as text has none
  of these and ran past the margin. The PDF may now break them (with no hyphen added): in code
  after ``_`` and ``@``, in a plain-text token of :data:`LONG_TOKEN` characters or more after
  ``/`` and ``_``, and in a hexadecimal digest every :data:`HEX_CHUNK` characters.
- **Tables** are laid out from what their cells hold, measured in the fonts of the PDF (FreeSerif,
  FreeSans for headers, FreeMono for code): no column is narrower than its widest unbreakable
  word, code token or number (a number is never broken, as in the HTML), the rest of the line is
  shared in proportion to what each column would take on one line, and a table that fits on one
  line at its natural widths keeps them. The type is the smaller the more columns a table has
  (``reader.TABLE_SIZES``) and smaller still when the columns' minimum widths do not fit; as a
  last resort a header word is hyphenated. Every table is a ``longtable``, so a table taller
  than the rest of a page continues on the next (with its header repeated) instead of running
  off the foot of the page or leaving the page half empty.
- **Figures.** An image that a chapter shows without a caption floats like a captioned figure
  (``figure_align``), so that a tall image moves to the next page with the text flowing on,
  instead of leaving the rest of the page empty.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

WEB_ONLY, PRINT_ONLY = "web-only", "print-only"

# --------------------------------------------------------------------------- long tokens
#: A plain-text token (no space) this long may break after "/" and "_" (a web address, a path).
LONG_TOKEN = 24
#: A run of this many hexadecimal digits or more (a checksum) may break every HEX_CHUNK digits.
HEX_RUN, HEX_CHUNK = 24, 16
_HEX = re.compile(rf"[0-9a-fA-F]{{{HEX_RUN},}}")
#: Characters after which Sphinx lets LaTeX break inline code (``inlineliteralwraps``).
CODE_BREAKS_OF_SPHINX = ".,;?!/"
#: Characters after which this extension lets LaTeX break inline code.
CODE_BREAKS_ADDED = "_@"
TEXT_BREAKS_ADDED = "/_"
ALLOW_BREAK = "\\allowbreak{}"
#: Elements whose text is left as it is: titles go into bookmarks and running heads, code blocks
#: wrap by themselves, math and raw output are not text.
UNTOUCHED = (
    nodes.title,
    nodes.subtitle,
    nodes.literal_block,
    nodes.doctest_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    addnodes.desc_signature,
)
#: Spaces LaTeX does not break at (Sphinx writes the first as ~).
NO_BREAK_SPACES = "\u00a0\u202f\u2007"


def added_breaks(token: str, code: bool) -> list[int]:
    """Positions in ``token`` (no space in it) where this extension lets LaTeX break the line."""
    points = set()
    if code or len(token) >= LONG_TOKEN:
        chars = CODE_BREAKS_ADDED if code else TEXT_BREAKS_ADDED
        points |= {i + 1 for i, c in enumerate(token) if c in chars}
    for run in _HEX.finditer(token):
        points |= set(range(run.start() + HEX_CHUNK, run.end(), HEX_CHUNK))
    return sorted(p for p in points if 0 < p < len(token))


def break_points(token: str, code: bool, header: bool = False) -> list[int]:
    """Every position in ``token`` where LaTeX may break it in the PDF (not hyphenation)."""
    points = set(added_breaks(token, code)) if not header else set()
    if code:
        points |= {i + 1 for i, c in enumerate(token) if c in CODE_BREAKS_OF_SPHINX}
    elif not header:  # "-" is a break point in text; the table headers forbid it
        points |= {i + 1 for i, c in enumerate(token) if c == "-"}
    return sorted(p for p in points if 0 < p < len(token))


def pieces(token: str, points: list[int]) -> list[str]:
    bounds = [0, *points, len(token)]
    return [token[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _untouched(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, UNTOUCHED):
            return True
        parent = parent.parent
    return False


def breakable_tokens(doctree: nodes.Node) -> None:
    """Let LaTeX break long code tokens, paths, addresses and digests (see :func:`added_breaks`)."""
    for text in list(doctree.findall(nodes.Text)):
        if text.parent is None or _untouched(text):
            continue
        code = any(isinstance(a, nodes.literal) for a in _ancestors(text))
        value = str(text)
        out, start = [], 0
        for match in re.finditer(r"[^\s" + NO_BREAK_SPACES + "]+", value):
            for point in added_breaks(match.group(), code):
                out.append(value[start : match.start() + point])
                start = match.start() + point
        if not out:
            continue
        out.append(value[start:])
        replacement = []
        for k, part in enumerate(out):
            if k:
                replacement.append(nodes.raw("", ALLOW_BREAK, format="latex"))
            replacement.append(nodes.Text(part))
        text.parent.replace(text, replacement)


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


# --------------------------------------------------------------------------- font metrics
#: The PDF's fonts (Sphinx's defaults for xelatex; Debian package fonts-freefont-otf).
FONT_FILES = {
    ("serif", False, False): "FreeSerif.otf",
    ("serif", True, False): "FreeSerifBold.otf",
    ("serif", False, True): "FreeSerifItalic.otf",
    ("serif", True, True): "FreeSerifBoldItalic.otf",
    ("sans", False, False): "FreeSans.otf",
    ("sans", True, False): "FreeSansBold.otf",
    ("sans", False, True): "FreeSansOblique.otf",
    ("sans", True, True): "FreeSansBoldOblique.otf",
    ("mono", False, False): "FreeMono.otf",
    ("mono", True, False): "FreeMonoBold.otf",
    ("mono", False, True): "FreeMonoOblique.otf",
    ("mono", True, True): "FreeMonoBoldOblique.otf",
}
FONT_DIRS = (
    "/usr/share/fonts/opentype/freefont",
    "/usr/share/fonts/truetype/freefont",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
)
#: Measured widths are taken this much wider: TeX's kerning, and a margin for safety.
WIDTH_MARGIN = 1.04


@cache
def _advances(family: str, bold: bool, italic: bool) -> tuple[dict[int, float], float] | None:
    """Advance widths (in em) of the font's characters, and its average; None without the font."""
    name = FONT_FILES[(family, bold, italic)]
    for folder in FONT_DIRS:
        path = Path(os.path.expanduser(folder)) / name
        if path.is_file():
            break
    else:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    average = sum(widths.values()) / max(1, len(widths))
    return widths, average


def text_width(text: str, size: float, family: str, bold: bool = False, italic: bool = False):
    """Width in pt of ``text`` set in ``family`` at ``size`` pt (an estimate without the font)."""
    metrics = _advances(family, bold, italic)
    if metrics is None:
        em = 0.6 if family == "mono" else 0.52
        return len(text) * em * size * WIDTH_MARGIN
    widths, average = metrics
    return sum(widths.get(ord(c), average) for c in text) * size * WIDTH_MARGIN


# --------------------------------------------------------------------------- tables
#: The text width of the PDF in pt: A4 (597.5 pt) less Sphinx's margins of 1 in (72.27 pt) each.
LINE_WIDTH = 452.96
TABCOLSEP = 6.0  # LaTeX's \tabcolsep, each side of every column
#: Type sizes of tables in pt (the book's 10 pt class), from the largest to the smallest used.
SIZES = {"\\small": 9.0, "\\footnotesize": 8.0, "\\scriptsize": 7.0}
PRECISION = 10000  # a column's share of the line is \X{n}{PRECISION}


@dataclass(frozen=True)
class Style:
    family: str = "serif"  # serif (text), sans (headers), mono (code)
    bold: bool = False
    italic: bool = False


Runs = list[tuple[str, Style]]  # text in the styles it is set in


@dataclass
class Column:
    """What a column's cells hold, for measuring: each cell paragraph on one line (``lines``:
    header and body), and the pieces LaTeX cannot break, of the body (``hard``) and of the
    header (``soft``: a header word is hyphenated when nothing else fits)."""

    numeric: bool = False
    lines: list[Runs] = field(default_factory=list)
    body: list[Runs] = field(default_factory=list)  # the body's paragraphs on one line
    hard: list[Runs] = field(default_factory=list)
    soft: list[Runs] = field(default_factory=list)


def _runs(node: nodes.Node, style: Style) -> Runs:
    """The text of ``node`` as runs, in the styles the PDF sets it in."""
    if isinstance(node, nodes.Text):
        return [(str(node), style)]
    if isinstance(node, nodes.raw | nodes.comment | nodes.target | nodes.system_message):
        return []
    if isinstance(node, nodes.literal):
        style = Style("mono", style.bold, style.italic)
    elif isinstance(node, nodes.strong):
        style = Style(style.family, True, style.italic)
    elif isinstance(node, nodes.emphasis):
        style = Style(style.family, style.bold, True)
    return [run for child in node.children for run in _runs(child, style)]


def _paragraphs(entry: nodes.Element) -> list[nodes.Element]:
    """The paragraphs of a cell (text elements not inside another one)."""
    found = [
        p for p in entry.findall(nodes.TextElement) if not isinstance(p.parent, nodes.TextElement)
    ]
    return found or [entry]


def _words(runs: Runs) -> list[Runs]:
    """Runs cut into words at breakable spaces (a no-break space keeps its neighbours together)."""
    words, current = [], []
    for text, style in runs:
        for k, part in enumerate(re.split(r"[ \t\n\r]+", text)):
            if k and current:
                words.append(current)
                current = []
            if part:
                current.append((part, style))
    if current:
        words.append(current)
    return words


def _unbreakable(word: Runs, header: bool) -> list[Runs]:
    """A word cut where LaTeX may break it (:func:`break_points`)."""
    out: list[Runs] = [[]]
    for text, style in word:
        for k, piece in enumerate(pieces(text, break_points(text, style.family == "mono", header))):
            if k:
                out.append([])
            out[-1].append((piece, style))
    return [p for p in out if p]


def width(runs: Runs, size: float) -> float:
    """Width in pt of ``runs`` at ``size`` pt."""
    return sum(text_width(t, size, s.family, s.bold, s.italic) for t, s in runs)


def table_columns(table: nodes.table) -> list[Column] | None:
    """The columns of ``table`` with what their cells hold; None for a table this layout leaves
    alone (cells spanning rows or columns, a nested table)."""
    group = next(table.findall(nodes.tgroup), None)
    if group is None or len(list(table.findall(nodes.table))) > 1:
        return None
    count = int(group.get("cols", 0))
    columns = [Column() for _ in range(count)]
    for section in group.children:
        if not isinstance(section, nodes.thead | nodes.tbody):
            continue
        header = isinstance(section, nodes.thead)
        base = Style("sans") if header else Style()  # \sphinxstyletheadfamily: sans serif
        for row in section.children:
            entries = [e for e in row.children if isinstance(e, nodes.entry)]
            spanning = any(e.get("morecols") or e.get("morerows") for e in entries)
            if len(entries) != count or spanning:
                return None
            for column, entry in zip(columns, entries, strict=True):
                # a number column is right-aligned (``---:`` in a pipe table)
                column.numeric |= not header and "text-right" in entry.get("classes", [])
                for paragraph in _paragraphs(entry):
                    runs = [(t, s) for t, s in _runs(paragraph, base) if t]
                    if not runs:
                        continue
                    line = [(re.sub(r"\s+", " ", t), s) for t, s in runs]
                    column.lines.append(line)
                    if not header:
                        column.body.append(line)
                    target = column.soft if header else column.hard
                    target += [p for word in _words(runs) for p in _unbreakable(word, header)]
    for column in columns:
        if column.numeric:  # numbers are never broken (as in the HTML): a whole cell is one piece
            column.hard = column.body
    return columns


def _spec_node(table: nodes.table):
    """The ``tabularcolumns`` spec given just before ``table`` (after raw LaTeX, a target), or None."""
    parent = table.parent
    if parent is None:
        return None
    for sibling in reversed(parent.children[: parent.index(table)]):
        if isinstance(sibling, addnodes.tabular_col_spec):
            return sibling
        if not isinstance(sibling, nodes.raw | nodes.target | nodes.comment):
            return None
    return None


@dataclass(frozen=True)
class Layout:
    size: str  # the LaTeX size command
    widths: tuple[float, ...]  # each column's text width in pt
    spec: str  # the tabularcolumns spec


def _needs(columns: list[Column], size: float) -> tuple[list[float], ...]:
    """Per column at ``size`` pt: the minimum of the body (its widest unbreakable piece), the
    minimum of the header, and the natural width (its widest cell on one line)."""

    def widest(runs_list: list[Runs]) -> float:
        return max([width(runs, size) for runs in runs_list] or [0.0])

    return (
        [widest(c.hard) for c in columns],
        [widest(c.soft) for c in columns],
        [widest(c.lines) for c in columns],
    )


def layout(columns: list[Column], start: str, line_width: float = LINE_WIDTH) -> Layout:
    """Widths and type size for a table of ``columns``, in type ``start`` or smaller.

    The first size whose minimum widths (the body's and the header's) fit the line; else the
    first whose body minimums fit (a header word is then hyphenated); else the smallest, its
    columns in proportion to their minimums. Columns whose cells all fit on one line keep their
    natural widths; the room left is shared by the others in proportion to what they lack.
    """
    sizes = list(SIZES)[list(SIZES).index(start) :]
    room = line_width - 2 * TABCOLSEP * len(columns)
    measured = {size: _needs(columns, SIZES[size]) for size in sizes}
    chosen = None
    for with_headers in (True, False):
        for size in sizes:
            hard, soft, _ = measured[size]
            minimum = [max(h, s) if with_headers else h for h, s in zip(hard, soft, strict=True)]
            if sum(minimum) <= room:
                chosen = size, minimum
                break
        if chosen:
            break
    if chosen is None:
        size = sizes[-1]
        hard = measured[size][0]
        chosen = size, [room * h / (sum(hard) or 1.0) for h in hard]
    size, minimum = chosen
    natural = [max(n, m) for n, m in zip(measured[size][2], minimum, strict=True)]
    if sum(natural) <= room:
        widths = natural
    else:
        lacking = [n - m for n, m in zip(natural, minimum, strict=True)]
        spare = room - sum(minimum)
        widths = [
            m + spare * k / (sum(lacking) or 1.0) for m, k in zip(minimum, lacking, strict=True)
        ]
    spec = "".join(
        (r">{\raggedleft\arraybackslash}" if c.numeric else r">{\raggedright\arraybackslash}")
        + rf"\X{{{max(1, round((w + 2 * TABCOLSEP) / line_width * PRECISION))}}}{{{PRECISION}}}"
        for c, w in zip(columns, widths, strict=True)
    )
    return Layout(size, tuple(widths), spec)


def _in_a_box(node: nodes.Node) -> bool:
    """Inside an element LaTeX sets in a box (an admonition, a sidebar, a footnote, a table),
    where neither a longtable nor a float can go."""
    boxes = nodes.Admonition | nodes.sidebar | nodes.topic | nodes.footnote | nodes.table
    return any(isinstance(a, boxes) for a in _ancestors(node))


def laid_out_tables(doctree) -> None:
    """Give every table its column widths and type size, and make it a longtable."""
    from reader import table_size  # the size by number of columns, where the layout starts

    for table in list(doctree.findall(nodes.table)):
        columns = table_columns(table)
        if not columns or _in_a_box(table):
            continue
        for entry in table.findall(nodes.entry):  # an empty paragraph makes its row taller
            for paragraph in list(entry.findall(nodes.paragraph)):
                if not paragraph.astext().strip() and paragraph.parent is not None:
                    paragraph.parent.remove(paragraph)
        chosen = layout(columns, table_size(len(columns)))
        table["latex_size"] = chosen.size  # book/_ext/reader.py sets the table in it
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        spec = _spec_node(table)
        if spec is None:
            spec = addnodes.tabular_col_spec()
            table.parent.insert(table.parent.index(table), spec)
        spec["spec"] = chosen.spec


# --------------------------------------------------------------------------- figures
def floating_images(doctree) -> None:
    """An image a chapter's output shows without a caption becomes an uncaptioned figure, which
    LaTeX floats (``figure_align``)."""
    for image in list(doctree.findall(nodes.image)):
        parent = image.parent
        if isinstance(parent, nodes.figure | nodes.reference) or _in_a_box(image):
            continue
        if not any(
            "cell_output" in a.get("classes", [])
            for a in _ancestors(image)
            if isinstance(a, nodes.Element)
        ):
            continue
        figure = nodes.figure("", classes=["uncaptioned"])
        image.replace_self(figure)
        figure += image


# --------------------------------------------------------------------------- the handlers
def drop_other_medium(app, doctree, docname) -> None:
    """Leave out what is only for the other medium: ``web-only`` in print, ``print-only`` on the web."""
    unwanted = WEB_ONLY if app.builder.format != "html" else PRINT_ONLY
    for node in list(doctree.findall(nodes.Element)):
        if unwanted in node.get("classes", []) and node.parent is not None:
            node.parent.remove(node)


def for_print(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    floating_images(doctree)
    laid_out_tables(doctree)
    breakable_tokens(doctree)


def setup(app):
    app.connect("doctree-resolved", drop_other_medium, priority=300)
    # before reader.sized_tables (500), which sets each table in the size chosen here
    app.connect("doctree-resolved", for_print, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
