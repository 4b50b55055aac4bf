"""Privacy: text that looks like personal data, and characters no cell may hold.

Informants are pseudonymous ids. The build refuses to publish text holding

* a NIK (Nomor Induk Kependudukan, the 16-digit national identity number), written unbroken or
  in groups separated by spaces, dots or dashes (``3517 0123 4567 8901``, ``35.17.01-...``),
  recognised by its structure: a province code, regency and district digits, a date of birth
  ``DDMMYY`` (women add 40 to the day) and a serial number;
* an Indonesian phone number, found by ``phonenumbers``' matcher for region ``ID`` in its
  ``+62``, ``62`` and ``0`` forms, with any separators and behind prefixes such as ``tel.``,
  ``hp`` or ``WA``;
* an e-mail address, also written to dodge a scraper (``budi.santoso [at] gmail [dot] com``,
  ``budi(at)gmail(dot)com``, ``budi at gmail dot com``, ``budi at gmail.com``).

Whatever Unicode dresses them in: before searching, a text is folded (:func:`fold`): NFKC,
digits of every script to ASCII (full-width ``３５１０``, Arabic-Indic ``٣٥١٠``), format
characters such as zero-width spaces and joiners removed, every dash (en dash, em dash, minus,
hyphens) read as ``-`` and every space (no-break, thin, ideographic) as a space, so that a NIK
with mixed separators (``3510 0145.0188-0017``) is one. A hit is reported where it stands in the
original text. In built files, JSON ``\\uXXXX`` escapes and HTML character references are read
as the characters they stand for.

What is not text is not searched: base64 payloads (``data:...;base64,`` URIs, long base64 runs,
the ``image/png`` and other binary outputs of a notebook) and identifiers (GUIDs, and tokens of
letters and digits joined by dashes such as ``85e31d3f-0412-4a1b``): a digit run inside them is
no phone number. Alt text and captions around a picture are text, and searched.

Each text is scanned on its own. :func:`scan_for_personal_data` checks the data before anything
runs (the validation reports hits as errors); :func:`scan_built_files` checks every file of a
built site before it is published. A hit is reported with the kind of data and a masked excerpt,
never the number in full. NUL and other control characters in a cell are
reported by :mod:`analysis.data.csvfile`. Quotes of informants without consent are kept out of the book by
:func:`analysis.methods.qualitative.consented_segments`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from analysis.data.problems import ERROR, Problem

NIK = "a NIK (national identity number)"
PHONE = "an Indonesian phone number"
EMAIL = "an e-mail address"

#: Province codes a NIK starts with (Kemendagri/BPS codes: Aceh 11 ... Papua and the provinces
#: split from it in 2022, 91-97).
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21]
    + [31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65]
    + [71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97]
)

# Sixteen digits, unbroken or in the groups people write (4-4-4-4; 2-2-2-6-4 as on the KTP;
# 6-6-4), separated by spaces, dots or dashes (mixed, as copy-paste leaves them, and a dash may
# stand between spaces), not inside a longer number, a decimal or a word (a hexadecimal digest,
# an id such as H0000001).
_SEP = r"(?: ?[.\-] ?| )"
_NIK_CANDIDATE = re.compile(
    rf"(?<![\w.,])(?:\d{{16}}|\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}"
    rf"|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{6}}{_SEP}\d{{4}}"
    rf"|\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{4}})(?![\w]|[.,]\d)",
    re.ASCII,
)
# "NIK 3517 ...", "No. KTP: ...", "nomor induk kependudukan ...": 16 digits after these words are
# a NIK whatever their structure.
_NIK_WORDS = re.compile(r"(?:\bNIK|\bKTP|\bnomor induk(?: kependudukan)?)\W{0,6}$", re.IGNORECASE)
# The same words written against the number ("NIK3517...", "ktp:3517 0123 ..."), any grouping.
_NIK_AFTER_WORD = re.compile(
    r"(?:NIK|KTP)[\W_]{0,6}(\d(?:[ .\-]?\d){15})(?![\d])", re.IGNORECASE | re.ASCII
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# E-mail written to dodge a scraper: "@" as "[at]", "(at)", "{at}", "<at>" (or " at " between
# name-like parts), "." as "[dot]", "(dot)", " dot " (Indonesian "titik" too).
_AT_MARK = r"\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*"
_DOT_MARK = r"(?:\s*[\[({<]\s*(?:dot|titik)\s*[\])}>]\s*|\s+(?:dot|titik)\s+)"
_LOCAL = r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9])?"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: Mail providers people name after a bare " at " ("budi.santoso at gmail.com").
MAIL_PROVIDERS = (
    "gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|msn|icloud|aol|gmx|"
    "protonmail|proton|yandex|zoho"
)
_EMAIL_OBFUSCATED = re.compile(
    rf"{_LOCAL}(?:(?:@|{_AT_MARK}){_LABEL}(?:(?:\.|{_DOT_MARK}){_LABEL})*(?:\.|{_DOT_MARK})"
    rf"|\s+at\s+{_LABEL}(?:(?:\.|{_DOT_MARK}){_LABEL})*{_DOT_MARK}"
    rf"|\s+at\s+(?:{MAIL_PROVIDERS})(?:\.{_LABEL})*\.)[A-Za-z]{{2,24}}(?![\w-])",
    re.IGNORECASE | re.ASCII,
)
_HEX_TOKEN = re.compile(r"[0-9a-fA-F]{32,}")
_DECIMAL_START = re.compile(r"0[.,]\d")
#: What a text must hold to be searched at all: a NIK-length run of digits, a phone-like run
#: after a trunk prefix or the country code (at least 9 digits in all), an "@", or the marks of
#: a disguised e-mail address ("[at]", " at ... dot ", " at gmail.").
_MAYBE = re.compile(
    r"(?:\+?62|0)\D{0,3}\d(?:[ .\-()]{0,3}\d){6,}|\d(?:[ .\-]{0,3}\d){15}|@"
    rf"|(?i:[\[({{<]\s*at\s*[\])}}>]|\sat\s+\S+?{_DOT_MARK}|\sat\s+(?:{MAIL_PROVIDERS})\.)"
)

# What is not text: identifiers and payloads, blanked (same length, so positions stay) before
# searching. A GUID (NVivo's, Atlas.ti's, any tool's), and a token of letters and digits joined by
# dashes or underscores with a digit followed by a letter in it (an id such as 85e31d3f-0412-4a1b,
# unlike "WA-0812-3456-7890" or "NIK3517-0145-0890-0001").
_IDENTIFIER = re.compile(
    r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?"
    r"|(?<![\w-])(?=[0-9A-Za-z_-]*\d[A-Za-z])[0-9A-Za-z]+(?:[-_][0-9A-Za-z]+)+(?![\w-])",
    re.ASCII,
)
# A base64 payload: after "data:...;base64," (any length; in JSON its line breaks are "\n"
# escapes), or a run of 64 or more base64 characters holding a letter.
_BASE64 = re.compile(
    r"(?<=;base64,)(?:[A-Za-z0-9+/=]|\\[nr/]|%0[aAdD])+"
    r"|(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[A-Za-z])(?:[A-Za-z0-9+/]|\\n){64,}={0,2}",
)
# In a notebook (or any JSON), the value of a binary MIME type: base64 of a picture, a PDF, sound.
_BINARY_OUTPUT = re.compile(
    r'"(?:image/(?!svg)[\w.+-]+|application/(?:pdf|octet-stream|zip)|audio/[\w.+-]+'
    r'|video/[\w.+-]+)"\s*:\s*'
    r'(?:"[^"\\]*(?:\\.[^"\\]*)*"|\[\s*(?:"[^"\\]*(?:\\.[^"\\]*)*"\s*,?\s*)*\])'
)
# JSON \uXXXX escapes (a surrogate pair as one) and HTML character references, in built files.
_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# What LaTeX (as Sphinx escapes text) writes for a character of the text, in a .tex file.
LATEX_ESCAPES = {
    **{rf"\{name}{{}}": "-" for name in ("sphinxhyphen", "textendash", "textemdash", "textminus")},
    r"\textasciitilde{}": "~",
    r"\textbackslash{}": "\\",
    r"\textunderscore{}": "_",
    "{[}": "[",
    "{]}": "]",
    "~": " ",
    r"\ ": " ",
    r"\,": " ",
    r"\-": "",
    r"\@": "",
    **{f"\\{c}": c for c in "_&%#{}$"},
}
_LATEX = re.compile("|".join(re.escape(e) for e in sorted(LATEX_ESCAPES, key=len, reverse=True)))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_OR_ESCAPE = re.compile(rf"[^\x00-\x7f]|{_ESCAPE.pattern}")
_NON_ASCII_OR_LATEX = re.compile(rf"[^\x00-\x7f]|{_LATEX.pattern}")
#: Characters read as a dash besides Unicode's dash punctuation (Pd): minus signs.
MINUS_SIGNS = frozenset("\u2212\u2043\u2796\u02d7\u2e3a\u2e3b\u207b\u208b")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One non-ASCII character as the scan reads it (may be empty, or several characters)."""
    category = unicodedata.category(c)
    if category == "Cf":
        return ""  # zero-width space, joiners, soft hyphen, byte-order mark, direction marks
    if category == "Nd":
        return str(unicodedata.decimal(c))
    if category == "Pd" or c in MINUS_SIGNS:
        return "-"
    if category == "Zs":
        return " "
    folded = unicodedata.normalize("NFKC", c)
    if folded == c:
        return c
    return "".join(ch if ch.isascii() else _fold_char(ch) for ch in folded)


def _decode(escape: str) -> str:
    if escape in LATEX_ESCAPES:
        return LATEX_ESCAPES[escape]
    if escape.startswith("&"):
        return html.unescape(escape)
    if len(escape) == 12:  # a surrogate pair
        high, low = int(escape[2:6], 16), int(escape[8:12], 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return chr(int(escape[2:6], 16))


def fold(text: str, *, escapes: bool = False, latex: bool = False) -> tuple[str, list[int] | None]:
    """``text`` as the scan reads it, and where each of its characters starts in ``text``.

    NFKC; digits of every script as ASCII digits; format characters (zero-width space and
    joiners, soft hyphen, direction marks) removed; every dash and minus as ``-``, every space as
    `` ``. With ``escapes``, JSON ``\\uXXXX`` escapes and HTML character references are read as
    their characters; with ``latex``, LaTeX's escapes as Sphinx writes them (``\\sphinxhyphen{}``,
    ``{[}``, ``\\_``, ``~``: :data:`LATEX_ESCAPES`). The positions (one more at the end:
    ``len(text)``) are None when nothing changed (plain ASCII).
    """
    if text.isascii() and not (
        (escapes and ("\\u" in text or "&" in text))
        or (latex and ("\\" in text or "~" in text or "{" in text))
    ):
        return text, None
    pattern = _NON_ASCII_OR_LATEX if latex else _NON_ASCII_OR_ESCAPE if escapes else _NON_ASCII
    out: list[str] = []
    starts: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            out.append(text[last : m.start()])
            starts.extend(range(last, m.start()))
        piece = m.group(0)
        if piece.isascii():
            piece = _decode(piece)
        folded = "".join(c if c.isascii() else _fold_char(c) for c in piece)
        out.append(folded)
        starts.extend([m.start()] * len(folded))
        last = m.end()
    out.append(text[last:])
    starts.extend(range(last, len(text) + 1))
    return "".join(out), starts


def _blank(text: str, pattern: re.Pattern) -> str:
    """``text`` with each match of ``pattern`` replaced by spaces, line breaks kept: same length,
    same lines."""

    def spaces(m: re.Match) -> str:
        return "\n".join(" " * len(part) for part in m.group(0).split("\n"))

    return pattern.sub(spaces, text)


def blank_payloads(text: str) -> str:
    """``text`` with what is not text blanked: base64 payloads and identifiers (GUIDs)."""
    if len(text) >= 64 or "base64," in text:
        text = _blank(text, _BASE64)
    if "-" in text or "_" in text:
        text = _blank(text, _IDENTIFIER)
    return text


@dataclass(frozen=True)
class Hit:
    """One personal-data look-alike in a text: its kind, where it starts and ends."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        return mask(self.text)


def mask(text: str) -> str:
    """``text`` with all but its first two and last two digits (or letters) hidden."""
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    keep = set(positions[:2] + positions[-2:]) if len(positions) > 6 else set(positions[:1])
    return "".join(c if (i in keep or not c.isalnum()) else "•" for i, c in enumerate(text))


def is_nik(digits: str) -> bool:
    """True when 16 digits have a NIK's structure.

    Positions: province (2, a known code), regency (2, not 00), district (2, not 00), date of
    birth DDMMYY (day 01-31, or 41-71 for women), serial (4, not 0000).
    """
    if len(digits) != 16 or not digits.isdigit():
        return False
    province, regency, district = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    day, month, serial = int(digits[6:8]), int(digits[8:10]), int(digits[12:16])
    day = day - 40 if day > 40 else day
    return (
        province in PROVINCE_CODES
        and regency >= 1
        and district >= 1
        and 1 <= day <= 31
        and 1 <= month <= 12
        and serial >= 1
    )


def _inside_digest(text: str, start: int, end: int) -> bool:
    """True when text[start:end] lies inside a long hexadecimal token (a sha256 digest)."""
    return any(m.start() <= start and end <= m.end() for m in _HEX_TOKEN.finditer(text))


def _written_like_a_phone(raw: str) -> bool:
    """Digit groups of two or more (a lone leading 0 aside), dots never mixed with other separators:
    how people write numbers, unlike decimals in a list (``0 2.5-3.1 4.4``)."""
    groups = re.findall(r"\d+", raw)
    if any(len(g) < 2 for g in groups[1:]):
        return False
    separators = set(re.sub(r"[\d+]", "", raw))
    return not ("." in separators and separators - {"."})


def _phone_hits(text: str) -> Iterator[Hit]:
    for match in PhoneNumberMatcher(text, "ID", leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        digits = re.sub(r"\D", "", raw)
        if not (raw.startswith("+62") or digits.startswith(("62", "0"))):
            continue  # a Rupiah amount, a year, a code: no trunk prefix or country code
        if not phonenumbers.is_valid_number(match.number) or not _written_like_a_phone(raw):
            continue
        before = text[max(0, match.start - 2) : match.start]
        if (
            _DECIMAL_START.match(raw)
            or re.fullmatch(r"\d[.,]", before)
            or re.fullmatch(r"\d+[.,]\d+", raw)
        ):
            continue  # 0.321123456 is a decimal number
        if _inside_digest(text, match.start, match.end):
            continue
        yield Hit(PHONE, match.start, match.end, raw)


def _find_in_folded(text: str) -> list[Hit]:
    """Every personal-data look-alike in a folded text whose payloads are blanked."""
    hits: list[Hit] = []
    for m in _NIK_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if is_nik(digits) or _NIK_WORDS.search(text[max(0, m.start() - 40) : m.start()]):
            hits.append(Hit(NIK, m.start(), m.end(), m.group(0)))
    for m in _NIK_AFTER_WORD.finditer(text):
        if not any(h.start == m.start(1) for h in hits):
            hits.append(Hit(NIK, m.start(1), m.end(1), m.group(1)))
    niks = [(h.start, h.end) for h in hits]
    for hit in _phone_hits(text):
        if not any(s <= hit.start < e for s, e in niks):
            hits.append(hit)
    emails = []
    if "@" in text:
        emails = [Hit(EMAIL, m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(text)]
    for m in _EMAIL_OBFUSCATED.finditer(text):
        if not any(h.start < m.end() and m.start() < h.end for h in emails):
            emails.append(Hit(EMAIL, m.start(), m.end(), m.group(0)))
    return sorted(hits + emails, key=lambda h: h.start)


def find_hits(text: str, *, escapes: bool = False, latex: bool = False) -> list[Hit]:
    """Every personal-data look-alike in one text, in order of position.

    The text is folded first (:func:`fold`; with ``escapes``, JSON and HTML escapes decoded, with
    ``latex`` LaTeX's) and
    its payloads and identifiers blanked (:func:`blank_payloads`); each hit's ``start``, ``end``
    and ``text`` are those of the original text.
    """
    text = str(text)
    folded, starts = fold(text, escapes=escapes, latex=latex)
    if not _MAYBE.search(folded):
        return []
    searched = blank_payloads(folded)
    if searched != folded and not _MAYBE.search(searched):
        return []
    hits = _find_in_folded(searched)
    if starts is None:
        return hits
    located = []
    for hit in hits:
        start, last = starts[hit.start], starts[hit.end - 1]
        end = starts[hit.end] if starts[hit.end] > last else last + 1
        located.append(Hit(hit.kind, start, end, text[start:end]))
    return located


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) for every personal-data look-alike in one text."""
    return [(h.kind, h.text) for h in find_hits(text)]


def masked_text(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with every hit masked (what a report may show)."""
    out, last = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out += [text[last : hit.start], hit.masked]
        last = hit.end
    return "".join(out) + text[last:]


def _line_numbers(frame: pd.DataFrame) -> pd.Index:
    """File line numbers of a frame's rows: the index when it is named "line", else header + 1 + position."""
    if frame.index.name == "line":
        return frame.index
    return pd.RangeIndex(2, len(frame) + 2)


def _text_columns(frame: pd.DataFrame) -> Iterator[str]:
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            yield column


def _candidates(values: pd.Series) -> pd.Series:
    """The distinct texts that could hold personal data (enough digits, an "@", the marks of a
    disguised address), each alone; texts beyond ASCII are folded (:func:`fold`) to be judged."""
    texts = pd.Series(values.dropna().unique(), dtype="object").map(str)
    if texts.empty:
        return texts
    maybe = texts.str.contains(_MAYBE).to_numpy(dtype=bool)
    other = ~texts.map(str.isascii).to_numpy(dtype=bool) & ~maybe
    if other.any():
        maybe[other] = [bool(_MAYBE.search(fold(t)[0])) for t in texts[other]]
    return texts[maybe]


def scan_for_personal_data(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Problems (errors) for every cell of a text column that looks like personal data.

    ``frames`` maps a file name to its rows; line numbers come from an index named "line" (as the
    validation builds them) or else count from line 2 (line 1 is the header). Each distinct text
    is searched once and on its own. The value reported is masked.
    """
    problems: list[Problem] = []
    for name, frame in frames.items():
        lines = _line_numbers(frame)
        for column in _text_columns(frame):
            series = frame[column]
            found = {t: h for t in _candidates(series) if (h := find_hits(t))}
            if not found:
                continue
            cells = series.astype("object").map(lambda v: None if pd.isna(v) else str(v))
            for position in cells.isin(list(found)).to_numpy().nonzero()[0]:
                value = cells.iloc[position]
                hits = found[value]
                kinds = ", ".join(sorted({h.kind for h in hits}))
                problems.append(
                    Problem(
                        file=name,
                        line=int(lines[position]),
                        column=column,
                        value=masked_text(value, hits),
                        expected=f"no personal data (found {kinds}); use pseudonymous ids and "
                        "remove contact details",
                        severity=ERROR,
                    )
                )
    return problems


# --------------------------------------------------------------------------- built files
#: Files of a built site that are not text (pictures, fonts): nothing to read in them.
BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .ico .webp .woff .woff2 .ttf .eot .otf .pdf .zip .gz .pickle .doctree"
    " .inv".split()
)


#: Folders of a built site copied verbatim from the installed theme and extensions (scripts,
#: styles, icons): no text of the book or its data is in them, and minified code is full of
#: digit runs. Pictures of the book are in _images/, downloads in _downloads/: both scanned.
SKIPPED = frozenset({"_static", "_sphinx_design_static"})
#: TeX support files Sphinx copies into the LaTeX build (packages, index styles, Makefile): the
#: toolchain's own files, with their authors' addresses; the book's text is in the .tex file.
#: Its by-products (log, bookmarks in octal escapes, aux files) are not published either.
TEX_SUPPORT = frozenset(
    ".sty .cls .xdy .ist .fd .def .cfg .ldf .log .out .aux .toc .idx .ilg .ind .fls .fdb_latexmk"
    " .xdv .synctex .lof .lot".split()
)
TEX_SUPPORT_NAMES = frozenset({"Makefile", "latexmkrc", "make.bat", "latexmkjarc"})


@dataclass(frozen=True)
class Finding:
    """Personal data in a built file: where and what kind (the text itself is masked)."""

    file: Path
    line: int
    column: int
    kind: str
    masked: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.kind} ({self.masked})"


def scan_text(text: str, path: Path) -> list[Finding]:
    """Personal data in one file's text, line by line (line and column counted from 1, in the
    file as written). JSON and HTML escapes (LaTeX's in a .tex file) are read as their
    characters; base64 payloads (data URIs, a notebook's pictures and other binary outputs) are
    not searched."""
    latex = Path(path).suffix.lower() == ".tex"
    if '"image/' in text or '"application/' in text or '"audio/' in text or '"video/' in text:
        text = _blank(text, _BINARY_OUTPUT)
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        for hit in find_hits(line, escapes=not latex, latex=latex):
            findings.append(Finding(path, number, hit.start + 1, hit.kind, hit.masked))
    return findings


def scan_built_files(root: Path) -> list[Finding]:
    """Personal data in every text file under ``root`` (HTML, searchindex.js, _sources,
    downloads, CSV, JSON), each file read on its own; paths are relative to ``root``."""
    root = Path(root)
    findings: list[Finding] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts = path.relative_to(root).parts
        # The theme's own files, at the root of a site and of each edition's site (id/_static).
        if path.suffix.lower() in BINARY_SUFFIXES or SKIPPED.intersection(parts[:-1]):
            continue
        if path.suffix.lower() in TEX_SUPPORT or path.name in TEX_SUPPORT_NAMES:
            continue
        data = path.read_bytes()
        if b"\x00" in data[:8192]:
            continue  # not text
        text = data.decode("utf-8", errors="replace")
        findings += scan_text(text, path.relative_to(root))
    return findings
