"""Import a coded REFI-QDA project (``.qdpx``) into a study: codebook, segments, informants.

``python -m analysis import-qdpx FILE.qdpx --site SITE --out DIR [--force]`` writes
``DIR/study/codebook.csv``, ``segments.csv``, ``informants.csv`` and a row of
``DIR/study/studies.csv``, then prints what was imported and what was skipped, and why.

What real exporters write, and how it is read (REFI-QDA Project 1.0, namespace
``urn:QDA-XML:project:1.0``; checked on real exports of qc 1.3.2, ATLAS.ti 8.4 and MAXQDA 24):

* The archive: ``project.qde`` or ``Project.qde`` (ATLAS.ti), texts in ``sources/`` or
  ``Sources/``: member names are matched without regard to case. Members are streamed with a cap
  on their size and on their compression ratio; nothing is inflated whole before it is checked.
* ``plainTextPath``: ``internal://NAME`` (the standard, ATLAS.ti, MAXQDA), a bare file name
  (qc 1.3.2 writes ``board_2017.txt``), a relative path; an absolute path or ``relative://`` /
  ``file://`` points outside the archive: that source's text is named as missing. Inline
  ``<PlainTextContent>`` is read too. Texts: UTF-8 with or without BOM, UTF-16 with BOM, LF or
  CRLF; any other encoding is decoded only when ``charset-normalizer`` identifies it, and said.
* Positions: the standard counts characters of the plain text from 0. Tools differ in what a
  character is (Unicode code points, UTF-16 code units, UTF-8 bytes) and in how they count a
  line end (CRLF as one or two) and a BOM. For each source every counting in :data:`COUNTINGS`
  is tried and the one under which the most selections begin and end where words do (and
  match a quotation the tool stored in the selection's ``name``) is used; the standard's counting
  wins ties. ``--positions`` forces one. The summary says which counting each source used.
  What was found per tool: qc 1.3.2 counts code points in a UTF-8 LF text without BOM (its 158
  selections are whole lines: each one equals the line its ``line:N`` name gives); ATLAS.ti 8.4
  leaves the texts out of the archive (``Sources/`` is empty) and stores the quotation, cut with
  '…', in the selection's ``name``, which is not taken for the text; MAXQDA 24 writes UTF-8 LF
  texts without BOM (QualCoder's exporter offers to add line-end characters for MAXQDA: a line end
  counted as two); NVivo 12 (Windows, Mac) exports were not available: their shifts (the coder's
  words begin a few characters later) are what UTF-16, UTF-8 or CRLF/BOM counting produce when
  read as code points, and the tests reproduce each of them.
* Codes: nested ``Code`` elements (a parent's name becomes its children's ``theme``); ATLAS.ti's
  ``Parent::child`` names likewise. Non-codable codes are themes, not codebook rows.
* Codings: one ``PlainTextSelection`` may carry several ``Coding``s; the coder is the coding's
  ``creatingUser``, else the selection's, named from ``<Users>``.
* Cases become informants (their ``SourceRef``s make a source an interview of that informant);
  a project without cases gets one informant per source with coded text (an interview, unless
  its ``source_type`` variable says otherwise), its role and level left for the researcher; sets,
  notes, links and graphs are counted and ignored.
* What export-qdpx stores comes back as it was: a code's id (``code: ...`` in its Description),
  a segment's informant and gloss (in the selection's Description), the study's registry row (in
  the project's Description, after :data:`REGISTRY_MARKER`).
* The study's title: ``--title``, else the stored registry row's, else the project's ``name``,
  else (a tool's default name such as 'Untitled') the first line of its description, said.
* Bounds: ``--site`` at most :data:`MAX_SITE_LENGTH` characters (exit 2); ids from the project
  longer than :data:`MAX_ID_LENGTH` are cut and end with a hash (said); code nesting of any depth
  is walked with a stack, not by recursion.

Standard library XML (``xml.etree``; a DOCTYPE is refused, so no entity expansion).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from analysis.data.contract import (
    CODEBOOK,
    COMPANION_LANGUAGES,
    INFORMANTS,
    SEGMENTS,
    STUDIES,
    companion,
)
from analysis.data.contract import SITE_PATTERN as SITE_ID_PATTERN
from analysis.data.csvfile import read_csv_text, to_csv_text
from analysis.project import DATA_DIR, EXIT_BAD_INPUT, EXIT_OK

NAMESPACE = "urn:QDA-XML:project:1.0"
#: The ``origin`` export-qdpx writes: its selection names are segment ids.
EXPORT_ORIGIN = "poverty-book analysis export-qdpx"
NS = {"q": NAMESPACE}
SITE_PATTERN = re.compile(SITE_ID_PATTERN)

MAX_MEMBER_BYTES = 64 * 2**20  # one inflated member (project.qde or a text)
MAX_TOTAL_BYTES = 256 * 2**20  # all inflated members read
MAX_RATIO = 200  # inflated size / compressed size of a member
_CHUNK = 2**16

NO_DESCRIPTION = "No description in the REFI-QDA project."
#: Longest study id (``--site``): it names the study's chapters and their files.
MAX_SITE_LENGTH = 40
#: Longest id taken from a project (code, informant, segment, source, coder): longer ones are
#: shortened, kept unique by a hash of the whole, and said in the summary.
MAX_ID_LENGTH = 64
#: Longest informant id made for a source when the project has no cases.
MAX_MADE_ID_LENGTH = 40
#: Project names that are a tool's default, not a title.
UNTITLED = re.compile(r"(untitled|new|unnamed|unbenannt|sans titre)( project)?( ?\d+)?", re.I)
#: The line that opens the study's registry row in the project's ``Description`` (export-qdpx
#: writes it; import-qdpx reads the ``field: value`` lines after it back into studies.csv).
REGISTRY_MARKER = "Study registry row (written by export-qdpx, read back by import-qdpx):"
CASE_VARIABLES = (
    "role",
    "level",
    "cluster",
    "consent_quote",
    "informant_type",
    "business_type",
    "agency",
)
STUDIES_PATH = STUDIES.path
STUDIES_COLUMNS = tuple(STUDIES.columns)

# Why a selection was not imported (the summary counts each).
NON_TEXT = "non-text source"
TEXT_MISSING = "source text missing"
OUT_OF_RANGE = "position out of range"
EMPTY = "empty"
NOT_CODED = "no coding"
UNKNOWN_CODE = "coding refers to a code not in the codebook"
SKIP_REASONS = (NON_TEXT, TEXT_MISSING, OUT_OF_RANGE, EMPTY, NOT_CODED, UNKNOWN_CODE)

NON_TEXT_SELECTIONS = ("PictureSelection", "PDFSelection", "AudioSelection", "VideoSelection")
IGNORED = {"Sets": "Set", "Notes": "Note", "Links": "Link", "Graphs": "Graph"}
ELLIPSIS = "\u2026"
MAX_LISTED = 12  # themes listed in the summary (sources: twice as many)


class QdpxError(ValueError):
    """The file is not a readable REFI-QDA project (the message names the member and value)."""


def snake_case(name: str) -> str:
    """'THEME - Affinity Spaces (Gee)' → 'theme_affinity_spaces_gee' (ASCII, lower case)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", ascii_name).strip("_").lower()
    return slug or "code"


# --- positions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counting:
    """How a tool counts positions: the unit, how a line end counts, whether a BOM counts."""

    unit: str  # "codepoint" | "utf16" | "utf8"
    newline: str = "as-stored"  # "as-stored" | "crlf-as-one" | "lf-as-two"
    bom: bool = False  # a byte-order mark at the start of the file counts as one unit

    @property
    def label(self) -> str:
        unit = {"codepoint": "Unicode code points", "utf16": "UTF-16 code units"}.get(
            self.unit, "UTF-8 bytes"
        )
        extra = {"crlf-as-one": ", CRLF counted as one", "lf-as-two": ", LF counted as two"}
        return unit + extra.get(self.newline, "") + (", BOM counted" if self.bom else "")

    @property
    def key(self) -> str:
        return f"{self.unit}/{self.newline}" + ("/bom" if self.bom else "")


STANDARD = Counting("codepoint")
COUNTINGS = tuple(
    Counting(unit, newline, bom)
    for bom in (False, True)
    for newline in ("as-stored", "crlf-as-one", "lf-as-two")
    for unit in ("codepoint", "utf16", "utf8")
)
COUNTING_KEYS = {c.key: c for c in COUNTINGS}


def unit_offsets(text: str, counting: Counting, bom: bool = False) -> np.ndarray:
    """``offsets[i]``: the tool's position of character ``i`` of ``text`` (``len(text) + 1``
    values, the last one being the position just after the text)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    if counting.unit == "utf16":
        widths = np.where(codes > 0xFFFF, 2, 1)
    elif counting.unit == "utf8":
        widths = 1 + (codes > 0x7F) + (codes > 0x7FF) + (codes > 0xFFFF)
    else:
        widths = np.ones(len(codes), dtype=np.int64)
    widths = widths.astype(np.int64)
    if counting.newline != "as-stored" and len(codes):
        cr = codes == 0x0D
        lf = codes == 0x0A
        after_cr = np.concatenate([[False], cr[:-1]])
        if counting.newline == "crlf-as-one":
            widths[np.concatenate([cr[:-1] & lf[1:], [False]])] = 0
        else:
            widths[lf & ~after_cr] += 1
    start = 1 if (counting.bom and bom) else 0
    return np.concatenate([[start], start + np.cumsum(widths)])


def char_span(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """Character indices of the tool positions ``start``-``end``, or None when either falls
    outside the text or inside a character (between the units of one character)."""
    if not 0 <= start <= end <= offsets[-1] or start < offsets[0]:
        return None
    i = int(np.searchsorted(offsets, start, side="left"))
    j = int(np.searchsorted(offsets, end, side="left"))
    if offsets[i] != start or offsets[j] != end:
        return None
    return i, j


def edge_points(text: str, s: int, e: int) -> int:
    """0-4: how much a span looks like a coder's selection: it does not begin right after a
    letter or digit, does not end right before one, and neither begins nor ends with a space
    (a line end may end it)."""
    if e <= s:
        return 0
    return (
        (s == 0 or not text[s - 1].isalnum())
        + (e >= len(text) or not text[e].isalnum())
        + (not text[s].isspace())
        + (not text[e - 1].isspace() or text[e - 1] == "\n")
    )


def _quote_of(name: str) -> str | None:
    """The quotation a tool stored in a selection's name, cut with '…' (ATLAS.ti), else None."""
    name = name.strip()
    if name.endswith(ELLIPSIS) and len(name) > 12:
        return name[:-1].rstrip()
    return None


def score(text: str, spans: list[tuple[int, int] | None], names: list[str]) -> int:
    """How plausible a counting is: :func:`edge_points` of each selection, 5 more per match of
    a quotation stored in the name."""
    total = 0
    for span, name in zip(spans, names):
        if span is None:
            continue
        s, e = span
        total += edge_points(text, s, e)
        quote = _quote_of(name) or (name.strip() if len(name.strip()) > 12 else None)
        if quote and " ".join(text[s:e].split()).startswith(" ".join(quote.split())):
            total += 5
    return total


def choose_counting(
    text: str, positions: list[tuple[int, int]], names: list[str], bom: bool, forced=None
) -> tuple[Counting, list[tuple[int, int] | None]]:
    """The counting under which the selections fit the text best (the standard's on a tie)."""
    candidates = [forced] if forced else [c for c in COUNTINGS if bom or not c.bom]
    best = None
    for counting in candidates:
        offsets = unit_offsets(text, counting, bom)
        spans = [char_span(offsets, s, e) for s, e in positions]
        key = (score(text, spans, names), sum(s is not None for s in spans))
        if best is None or key > best[0]:
            best = (key, counting, spans)
    return best[1], best[2]


# --- the archive ------------------------------------------------------------------------------


class Archive:
    """A ``.qdpx`` zip read member by member, each capped in size and compression ratio."""

    def __init__(self, file: Path):
        self.file = file
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError) as exc:
            raise QdpxError(f"{file}: not a REFI-QDA project (.qdpx is a zip file): {exc}") from exc
        self.members = {info.filename.lower(): info for info in self.zip.infolist()}
        self.read_bytes = 0

    def close(self) -> None:
        self.zip.close()

    def find(self, *names: str) -> zipfile.ZipInfo | None:
        for name in names:
            info = self.members.get(name.lower().lstrip("/"))
            if info is not None:
                return info
        return None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        where = f"{self.file}: {info.filename}"
        if info.file_size > MAX_MEMBER_BYTES:
            raise QdpxError(
                f"{where} inflates to {info.file_size:,} bytes, more than the limit of "
                f"{MAX_MEMBER_BYTES:,}; refused"
            )
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise QdpxError(
                f"{where}: compression ratio {info.file_size / max(info.compress_size, 1):,.0f}:1 "
                f"is above the limit of {MAX_RATIO}:1 (a zip bomb?); refused"
            )
        chunks, size = [], 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.read_bytes += len(chunk)
                    if size > MAX_MEMBER_BYTES or self.read_bytes > MAX_TOTAL_BYTES:
                        raise QdpxError(
                            f"{where} inflates beyond the limit of {MAX_MEMBER_BYTES:,} bytes "
                            f"(or {MAX_TOTAL_BYTES:,} in all); refused"
                        )
                    if size > 2**20 and size > MAX_RATIO * max(info.compress_size, 1):
                        raise QdpxError(
                            f"{where}: inflates more than {MAX_RATIO} times its compressed size "
                            f"({info.compress_size:,} bytes; a zip bomb?); refused"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise QdpxError(f"{where}: cannot be read from the zip: {exc}") from exc
        return b"".join(chunks)


def decode_text(data: bytes, where: str) -> tuple[str, bool, str | None]:
    """``(text, had_bom, note)``: UTF-8 (BOM or not), UTF-16 with BOM, else what
    charset-normalizer finds (said in the note); undecodable text is a :class:`QdpxError`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), True, f"{where} is UTF-16; read as such"
        except UnicodeDecodeError as exc:
            raise QdpxError(f"{where}: starts as UTF-16 but is not valid UTF-16: {exc}") from exc
    else:
        bom = False
    try:
        return data.decode("utf-8"), bom, None
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        found = from_bytes(data).best()
        if found is None or b"\x00" in data:
            raise QdpxError(
                f"{where}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}) "
                "and no other text encoding recognised; save it as UTF-8"
            ) from exc
        return (
            str(found),
            False,
            f"{where} is not UTF-8; decoded as {found.encoding} (found by charset-normalizer): "
            "check its accented letters",
        )


# --- the import -------------------------------------------------------------------------------


@dataclass
class QdpxImport:
    """What a REFI-QDA project holds, as contract frames, plus what happened (for the report)."""

    project: str
    origin: str
    codebook: pd.DataFrame
    segments: pd.DataFrame
    informants: pd.DataFrame
    sources: pd.DataFrame  # name, guid, source_type, informant_id, characters, selections, counting
    users: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> details
    ignored: dict[str, int] = field(default_factory=dict)  # Sets/Notes/Links/Graphs -> count
    texts: dict[str, str] = field(default_factory=dict)  # source name -> plain text
    notes: list[str] = field(default_factory=list)
    selections: int = 0  # every selection in the project, of any kind
    codings: int = 0  # every Coding of a selection in the project
    site: str | None = None
    registry: dict[str, str] = field(default_factory=dict)  # the row export-qdpx stored
    description: str = ""  # the project's own description (registry block left out)
    made_informants: list[dict] = field(default_factory=list)  # one per source, when no cases
    title: str = ""
    title_note: str | None = None
    named: bool = True  # the project has a name (else ``project`` is the file's)

    def study_row(self) -> dict[str, str]:
        """The study's row of studies.csv: the stored registry row, the title, this site."""
        return study_row(self.site or "", self.title or self.project, self.registry)

    def to_fill(self) -> list[str]:
        """What the project cannot say and the researcher must write, one line a file."""
        row = self.study_row()
        lines = []
        empty = [
            f.name
            for f in STUDIES.fields
            if f.required and not f.nullable and not str(row.get(f.name, "")).strip()
        ]
        if empty:
            lines.append(
                f"{STUDIES_PATH}, row {self.site!r}: {', '.join(empty)} (the project does not "
                "hold them)"
            )
        if len(self.informants):
            for column in ("role", "level"):
                missing = self.informants[column].isna() | (
                    self.informants[column].astype(str).str.strip() == ""
                )
                if missing.any():
                    choices = ", ".join(INFORMANTS.field(column).enum or ())
                    lines.append(
                        f"{INFORMANTS.path}: {column} of {int(missing.sum())} informant(s) "
                        f"(one of: {choices})"
                    )
        return lines

    @property
    def imported_selections(self) -> int:
        return self.segments["segment_id"].nunique() if len(self.segments) else 0

    @property
    def coders(self) -> list[str]:
        return sorted(self.segments["coder"].unique()) if len(self.segments) else []

    def summary(self) -> str:
        lines = [f"REFI-QDA project {self.project!r} ({self.origin or 'origin not stated'})"]
        themes = self.codebook["theme"].nunique() if len(self.codebook) else 0
        lines.append(f"codes: {len(self.codebook)} in {themes} theme(s)")
        groups = list(self.codebook.groupby("theme", sort=False)["label"])
        for theme, codes in groups[:MAX_LISTED]:
            shown = [c for c in codes if c != theme]
            more = f" ... ({len(shown) - 6} more)" if len(shown) > 6 else ""
            lines.append(f"  {theme} ({len(shown)} codes): {'; '.join(shown[:6])}{more}")
        if len(groups) > MAX_LISTED:
            lines.append(f"  ... ({len(groups) - MAX_LISTED} more themes)")
        lines.append(f"sources: {len(self.sources)}")
        for row in self.sources.head(MAX_LISTED * 2).itertuples(index=False):
            who = f", informant {row.informant_id}" if isinstance(row.informant_id, str) else ""
            counted = f"; positions in {row.counting}" if row.counting else ""
            lines.append(
                f"  {row.name} ({row.source_type}{who}; {row.characters} characters, "
                f"{row.selections} selection(s){counted})"
            )
        if len(self.sources) > MAX_LISTED * 2:
            lines.append(f"  ... ({len(self.sources) - MAX_LISTED * 2} more sources)")
        lines.append(
            f"selections imported: {self.imported_selections} of {self.selections}; "
            f"segment rows (selection x code x coder): {len(self.segments)}"
        )
        skipped = sum(len(v) for k, v in self.skipped.items() if k != UNKNOWN_CODE)
        lines.append(f"selections skipped: {skipped}")
        for reason in SKIP_REASONS:
            if reason == UNKNOWN_CODE and self.skipped.get(reason):
                lines.append(f"codings skipped ({reason}): {len(self.skipped[reason])}")
            details = self.skipped.get(reason, [])
            if details:
                lines.append(f"  {reason}: {len(details)}")
                lines.extend(f"    {d}" for d in details[:8])
                if len(details) > 8:
                    lines.append(f"    ... ({len(details) - 8} more)")
        lines.append(f"coders: {len(self.coders)} ({', '.join(self.coders) or 'none'})")
        if self.made_informants:
            lines.append(
                f"cases (informants): none in the project, so each of the "
                f"{len(self.made_informants)} source(s) with coded text is taken as one "
                "informant's interview (consent to quote: false until you set it):"
            )
            lines.extend(
                f"  {m['informant_id']}: {m['source']}" for m in self.made_informants[:MAX_LISTED]
            )
            if len(self.made_informants) > MAX_LISTED:
                lines.append(f"  ... ({len(self.made_informants) - MAX_LISTED} more)")
        else:
            lines.append(f"cases (informants): {len(self.informants)}")
        if self.ignored:
            lines.append(
                "ignored (not part of a study): "
                + ", ".join(f"{n} {k.lower()}" for k, n in self.ignored.items())
            )
        lines.extend(f"note: {n}" for n in self.notes)
        lines.append(f"study title: {self.title or self.project!r}")
        if self.title_note:
            lines.append(f"warning: {self.title_note}")
        if self.registry:
            lines.append(
                f"registry row: {len(self.registry)} field(s) stored in the project, read back"
            )
        fill = self.to_fill()
        if fill:
            lines.append("to fill in (the project cannot say; validate lists the same):")
            lines.extend(f"  {line}" for line in fill)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "project": self.project,
            "origin": self.origin,
            "codes": self.codebook["code"].tolist(),
            "sources": self.sources["name"].tolist(),
            "segments": len(self.segments),
            "selections_imported": self.imported_selections,
            "skipped": {k: len(v) for k, v in self.skipped.items()},
            "coders": self.coders,
            "informants": self.informants["informant_id"].tolist(),
            "notes": self.notes,
        }


def _text(element: ET.Element | None, tag: str) -> str:
    child = None if element is None else element.find(f"q:{tag}", NS)
    return (child.text or "").strip() if child is not None else ""


#: Codebook columns kept in a code's Description as ``field: value`` lines, the translations of
#: its text (``label@id``, ``description@id``, ...) included.
CODE_FIELDS = (
    "label",
    "theme_label",
    "theme_group",
    "finding",
    "finding_site",
    "finding_logic",
) + tuple(companion(name, lang) for name in CODEBOOK.translatable for lang in COMPANION_LANGUAGES)
#: The lines a code's Description may end with: the code's id (``code: ...``, written by
#: export-qdpx so that ids come back as they were), then the columns above.
DESCRIPTION_FIELDS = ("code", *CODE_FIELDS)
#: The lines a selection's Description may hold (an informant only where it is not the case's).
SELECTION_FIELDS = ("gloss_en", "informant_id")


def _field_line(fields) -> re.Pattern:
    return re.compile(rf"^({'|'.join(map(re.escape, fields))}): ?(.*)$")


_CODE_FIELD = _field_line(DESCRIPTION_FIELDS)
_SELECTION_FIELD = _field_line(SELECTION_FIELDS)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def encode_value(value: str) -> str:
    """``value`` for a ``field: value`` line: as it is, or as a JSON string when it would not
    read back the same (empty, several lines, control characters, spaces at either end, or a
    leading quote); :func:`decode_value` undoes it."""
    if not value or value != value.strip() or value.startswith('"') or _CONTROL.search(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def decode_value(text: str) -> str:
    """The value of a ``field: value`` line (see :func:`encode_value`)."""
    text = text.strip()
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def split_fields(text: str, pattern: re.Pattern = _CODE_FIELD) -> tuple[str, dict[str, str]]:
    """A Description and the ``field: value`` lines export-qdpx appends after it."""
    lines, extra = text.split("\n"), {}
    while lines and (match := pattern.match(lines[-1].strip())):
        extra.setdefault(match.group(1), decode_value(match.group(2)))
        lines.pop()
    return "\n".join(lines).strip(), extra


def split_description(text: str) -> tuple[str, dict[str, str]]:
    """A code's Description and the ``field: value`` lines export-qdpx appends after it."""
    return split_fields(text, _CODE_FIELD)


class _Ids:
    """Ids taken from a project, bounded to :data:`MAX_ID_LENGTH` characters: a longer one is
    cut and ends with a hash of the whole (so that two long ids stay apart); each kind of
    shortened id is counted for the summary."""

    def __init__(self) -> None:
        self.shortened: dict[str, list[tuple[str, str]]] = {}
        self.memo: dict[tuple[str, str], str] = {}

    def __call__(self, value: str, kind: str, limit: int = MAX_ID_LENGTH) -> str:
        if len(value) <= limit:
            return value
        key = (kind, value)
        if key not in self.memo:
            digest = hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            short = value[: limit - 9].rstrip() + "-" + digest
            self.memo[key] = short
            self.shortened.setdefault(kind, []).append((value, short))
        return self.memo[key]

    def notes(self) -> list[str]:
        out = []
        for kind, pairs in self.shortened.items():
            value, short = pairs[0]
            out.append(
                f"{len(pairs)} {kind}(s) longer than {MAX_ID_LENGTH} characters shortened (cut, "
                f"then a hash of the whole keeps them apart), e.g. {value[:24]!r}... "
                f"({len(value):,} characters) became {short!r}"
            )
        return out


def _codebook(root: ET.Element, ids: _Ids | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The codes of the project in document order; walked with a stack, so that any depth of
    nesting is read (no recursion over the input's depth)."""
    ids = ids or _Ids()
    rows, by_guid, seen = [], {}, set()
    codes = root.find("q:CodeBook/q:Codes", NS)
    elements = list(codes.iter(f"{{{NAMESPACE}}}Code")) if codes is not None else []
    split = {id(code): split_description(_text(code, "Description")) for code in elements}
    # ids written by export-qdpx (``code: ...``) are kept; derived ones keep clear of them
    reserved = {ids(extra.get("code", "").strip(), "code id") for _, extra in split.values()}
    reserved.discard("")
    stack = (
        [(code, None, None) for code in reversed(codes.findall("q:Code", NS))] if elements else []
    )
    while stack:
        code, parent, parent_slug = stack.pop()
        name = code.get("name", "").strip()
        description, extra = split[id(code)]
        stored = ids(extra.pop("code", "").strip(), "code id")
        if stored and stored not in seen:
            slug = stored
        else:
            slug = ids(snake_case(name), "code id")
            if slug in seen or slug in reserved:
                slug = ids(f"{parent_slug}__{slug}" if parent_slug else slug, "code id")
                base, k = slug, 2
                while slug in seen or slug in reserved:
                    slug, k = ids(f"{base}_{k}", "code id"), k + 1
        seen.add(slug)
        by_guid[code.get("guid", "")] = slug
        theme = parent
        if theme is None:
            theme = name.split("::")[0].strip() if "::" in name else name
        row = {
            "code": slug,
            "theme": theme,
            "description": description or NO_DESCRIPTION,
            "label": name,
            "codable": code.get("isCodable", "true").strip().lower() == "true",
        }
        rows.append(row | extra)
        stack.extend((child, name, slug) for child in reversed(code.findall("q:Code", NS)))
    columns = ["code", "theme", "description", "label", "codable"]
    columns += [c for c in CODE_FIELDS if any(c in r for r in rows) and c not in columns]
    return pd.DataFrame(rows, columns=columns), by_guid


def _cases(
    root: ET.Element, variables: dict[str, str], site: str | None, ids: _Ids | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    ids = ids or _Ids()
    rows, informant_of_source = [], {}
    for case in root.findall("q:Cases/q:Case", NS):
        informant_id = ids(case.get("name", "").strip() or case.get("guid", ""), "informant id")
        row = {"informant_id": informant_id, "site": site}
        row.update(_variable_values(case, variables, CASE_VARIABLES))
        if row.get("consent_quote") is None:
            row["consent_quote"] = "false"
        rows.append(row)
        for ref in case.findall("q:SourceRef", NS):
            informant_of_source[ref.get("targetGUID", "")] = informant_id
    columns = INFORMANTS.columns
    frame = pd.DataFrame(rows)
    frame = frame.reindex(columns=list(columns) + [c for c in frame.columns if c not in columns])
    return frame, informant_of_source


def _source_informant_id(site: str | None, name: str, guid: str, taken: set[str]) -> str:
    """An informant id for a source of a project without cases: the site and the source's name
    (its file extension dropped; ASCII letters and digits), else its GUID; at most
    :data:`MAX_MADE_ID_LENGTH` characters; unique."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.strip())
    ascii_name = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^0-9A-Za-z]+", "-", ascii_name).strip("-").lower()
    if not slug:
        slug = re.sub(r"[^0-9A-Za-z]+", "", guid).lower()[:12] or "source"
    prefix = f"{site}-" if site else ""
    room = max(MAX_MADE_ID_LENGTH - len(prefix), 8)
    base = (prefix + slug[:room].strip("-"))[:MAX_MADE_ID_LENGTH]
    candidate, k = base, 2
    while candidate in taken:
        suffix = f"-{k}"
        candidate, k = base[: MAX_MADE_ID_LENGTH - len(suffix)] + suffix, k + 1
    taken.add(candidate)
    return candidate


def _variable_values(element: ET.Element, variables: dict[str, str], keys) -> dict[str, str]:
    out = {}
    for value in element.findall("q:VariableValue", NS):
        ref = value.find("q:VariableRef", NS)
        key = snake_case(variables.get(ref.get("targetGUID", "") if ref is not None else "", ""))
        if key in keys:
            text = next(
                (c.text for c in value if c.tag != f"{{{NAMESPACE}}}VariableRef" and c.text), None
            )
            out[key] = text.strip() if text else None
    return out


def _position(selection: ET.Element, attribute: str, where: str) -> int:
    raw = selection.get(attribute)
    if raw is None or not re.fullmatch(r"\s*\d{1,12}\s*", raw):
        raise QdpxError(
            f"{where}: PlainTextSelection {selection.get('guid', '(no guid)')} has "
            f"{attribute}={raw!r}; expected a whole number of characters (0 or more)"
        )
    return int(raw)


def _member_for(archive: Archive, path: str) -> tuple[zipfile.ZipInfo | None, str | None]:
    """The archive member a ``plainTextPath`` names, or why it cannot be in the archive."""
    if path.startswith("internal://"):
        name = path.removeprefix("internal://").lstrip("/")
        return archive.find(f"sources/{name}", name), None
    if re.match(r"^(relative|file|absolute)://", path) or re.match(
        r"^([A-Za-z]:[\\/]|[\\/])", path
    ):
        return None, f"its text is at {path}, outside the project file"
    name = str(PurePosixPath(path.replace("\\", "/")))
    if ".." in PurePosixPath(name).parts:
        return None, f"its text is at {path}, outside the project file"
    return archive.find(f"sources/{name}", name), None


def _source_text(archive: Archive, source: ET.Element, label: str, notes: list[str]):
    """``(text, bom, missing_reason)`` of a text source (or representation)."""
    inline = source.find("q:PlainTextContent", NS)
    if inline is not None:
        return inline.text or "", False, None
    path = source.get("plainTextPath", "").strip()
    if not path:
        return None, False, f"{label}: no plainTextPath and no PlainTextContent"
    info, outside = _member_for(archive, path)
    if outside:
        return None, False, f"{label}: {outside}"
    if info is None:
        return None, False, f"{label}: {path} is not in the project file"
    text, bom, note = decode_text(archive.read(info), f"{archive.file}: {info.filename}")
    if note:
        notes.append(note)
    return text, bom, None


def _segment_ids(root: ET.Element, own_export: bool = False) -> dict[str, str]:
    """Selection GUID → segment id: the selections' names when every one is a unique id-like
    name, or a unique non-empty name in a project :mod:`analysis.data.qdpx_export` wrote (its
    names are the segment ids), else their GUIDs."""
    selections = root.iter(f"{{{NAMESPACE}}}PlainTextSelection")
    pairs = [(s.get("guid", ""), s.get("name", "")) for s in selections]
    names = [n for _, n in pairs]
    if (
        names
        and len(set(names)) == len(names)
        and all(
            (own_export and n.strip() == n and n)
            or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", n)
            for n in names
        )
    ):
        return dict(pairs)
    return {g: g for g, _ in pairs}


def _selection_fields(description: str) -> dict[str, str]:
    """``gloss_en`` and ``informant_id`` from a selection's Description (see export-qdpx); a
    Description of another tool that opens with ``gloss_en:`` is a gloss as a whole."""
    head, said = split_fields(description, _SELECTION_FIELD)
    if head.startswith("gloss_en:") and "gloss_en" not in said:
        said["gloss_en"] = head.removeprefix("gloss_en:").strip()
    return said


def _made_informants(made: list[dict], site: str | None) -> pd.DataFrame:
    """Informants made for the sources of a project without cases: what the project cannot say
    (role, level) is left empty for the researcher; quoting needs their consent, so it is off."""
    rows = [
        {"informant_id": m["informant_id"], "site": site, "consent_quote": "false"} for m in made
    ]
    return pd.DataFrame(rows).reindex(columns=INFORMANTS.columns)


#: Registry columns a project may carry back (companions of translatable columns included).
REGISTRY_COLUMNS = STUDIES_COLUMNS + tuple(
    companion(name, lang) for name in STUDIES.translatable for lang in COMPANION_LANGUAGES
)
_REGISTRY_FIELD = _field_line(REGISTRY_COLUMNS)


def _registry(root: ET.Element) -> tuple[dict[str, str], str]:
    """The registry row export-qdpx stored in the project's Description (``field: value`` lines
    after :data:`REGISTRY_MARKER`), and the rest of that Description (the project's own)."""
    text = _text(root, "Description")
    before, marker, after = text.partition(REGISTRY_MARKER)
    row = {}
    if marker:
        for line in after.split("\n"):
            match = _REGISTRY_FIELD.match(line.strip())
            if match:
                row.setdefault(match.group(1), decode_value(match.group(2)))
    return row, before.strip()


def project_title(
    name: str,
    description: str,
    registry: dict[str, str],
    given: str | None = None,
    fallback: str = "Untitled",
) -> tuple[str, str | None]:
    """The study's title and, when it is not the researcher's own, why: ``--title``, else the
    registry row stored in the project, else the project's name unless it is a tool's default
    ('Untitled'), else the first line of its description; else the name, with a warning."""
    for title in (given, registry.get("title")):
        if title and title.strip():
            return " ".join(title.split()), None
    if name and not UNTITLED.fullmatch(name.strip()):
        return name, None
    first = next((" ".join(line.split()) for line in description.splitlines() if line.strip()), "")
    if first:
        return first, (
            f"the project's name is {name!r}, not a title: the title is the first line of its "
            "description; change it with --title or in studies.csv"
        )
    return name or fallback, (
        f"the project's name is {name or '(none)'!r} and it has no description, so the title is "
        f"{name or fallback!r}: give the study's title with --title, or write it in studies.csv"
    )


def read_qdpx(
    file: str | Path,
    site: str | None = None,
    counting: Counting | None = None,
    title: str | None = None,
) -> QdpxImport:
    """Read a ``.qdpx`` file into contract frames (nothing is written); ``title`` is the
    study's title when given (else :func:`project_title` finds one)."""
    archive = Archive(Path(file))
    try:
        result = _read(archive, site, counting)
    finally:
        archive.close()
    result.title, result.title_note = project_title(
        result.project if result.named else "",
        result.description,
        result.registry,
        title,
        fallback=result.project,
    )
    return result


def _read(archive: Archive, site: str | None, forced: Counting | None) -> QdpxImport:
    file = archive.file
    qde = [info for name, info in archive.members.items() if name.endswith(".qde")]
    if not qde:
        raise QdpxError(f"{file}: no project.qde inside (members: {len(archive.members)})")
    member = min(qde, key=lambda i: (i.filename.count("/"), i.filename))
    data = archive.read(member)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise QdpxError(f"{file}: {member.filename} declares a DOCTYPE or entities; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise QdpxError(f"{file}: {member.filename} is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{NAMESPACE}}}Project":
        raise QdpxError(
            f"{file}: {member.filename}: root element is {root.tag}, expected Project of {NAMESPACE}"
        )
    where = f"{file}: {member.filename}"
    notes: list[str] = []
    ids = _Ids()
    users = {
        u.get("guid", ""): ids(" ".join((u.get("name", "") or u.get("guid", "")).split()), "coder")
        for u in root.findall("q:Users/q:User", NS)
    }
    codes, code_of = _codebook(root, ids)
    variables = {
        v.get("guid", ""): v.get("name", "") for v in root.findall("q:Variables/q:Variable", NS)
    }
    informants, informant_of_source = _cases(root, variables, site, ids)
    own_export = root.get("origin", "").startswith(EXPORT_ORIGIN)
    segment_id = {
        guid: ids(name, "segment id") for guid, name in _segment_ids(root, own_export).items()
    }
    made_informants: list[dict] = []
    taken_ids = set(informants["informant_id"]) if len(informants) else set()
    skipped: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    segment_rows, source_rows = [], []
    n_selections = 0
    truncated_names = 0

    def skip(reason: str, detail: str) -> None:
        skipped.setdefault(reason, []).append(detail)

    sources = root.find("q:Sources", NS)
    for source in list(sources) if sources is not None else []:
        kind = source.tag.rsplit("}", 1)[-1]
        name = source.get("name") or source.get("plainTextPath") or source.get("guid", "")
        name = ids(" ".join(name.split()), "source name")
        for tag in NON_TEXT_SELECTIONS + ("TranscriptSelection",):
            for sel in source.iter(f"{{{NAMESPACE}}}{tag}"):
                n_selections += 1
                skip(NON_TEXT, f"{tag} {sel.get('guid', '')} in {name!r} ({kind})")
        # text: the source itself, or the plain-text representation of a PDF
        holders = [source] if kind == "TextSource" else source.findall("q:Representation", NS)
        for holder in holders:
            selections = holder.findall("q:PlainTextSelection", NS)
            if kind != "TextSource" and not selections:
                continue
            n_selections += len(selections)
            label = name if holder is source else f"{name} (text of the {kind})"
            guid = source.get("guid", "")
            informant_id = informant_of_source.get(guid)
            own = _variable_values(holder, variables, ("source_type",)).get("source_type")
            if informant_id is None and informants.empty and own in (None, "interview"):
                # no cases at all: each source is taken as one informant's interview
                informant_id = _source_informant_id(site, label, guid, taken_ids)
                made_informants.append({"informant_id": informant_id, "source": label})
            source_type = own or ("interview" if informant_id else "document")
            positions = [
                (_position(s, "startPosition", where), _position(s, "endPosition", where))
                for s in selections
            ]
            text, bom, missing = _source_text(archive, holder, repr(label), notes)
            row = {
                "name": label,
                "guid": guid,
                "source_type": source_type,
                "informant_id": informant_id,
                "characters": len(text) if text is not None else 0,
                "selections": len(selections),
                "counting": None,
            }
            source_rows.append(row)
            if text is None:
                for sel in selections:
                    quote = _quote_of(sel.get("name", ""))
                    detail = f"selection {sel.get('guid', '')}: {missing}"
                    if quote:
                        truncated_names += 1
                        detail += " (its name holds a truncated quotation, not used as the text)"
                    skip(TEXT_MISSING, detail)
                continue
            texts[label] = text
            if not selections:
                continue
            names = [s.get("name", "") for s in selections]
            used, spans = choose_counting(text, positions, names, bom, forced)
            row["counting"] = used.label
            for sel, (start, end), span in zip(selections, positions, spans):
                sel_guid = sel.get("guid", "")
                if span is None:
                    skip(
                        OUT_OF_RANGE,
                        f"selection {sel_guid} in {label!r}: {start}-{end} is not a span of the "
                        f"text ({len(text)} characters) counted in {used.label}",
                    )
                    continue
                passage = text[span[0] : span[1]].strip()
                if not passage:
                    skip(EMPTY, f"selection {sel_guid} in {label!r}: {start}-{end} holds no text")
                    continue
                codings = sel.findall("q:Coding", NS)
                if not codings:
                    skip(NOT_CODED, f"selection {sel_guid} in {label!r} carries no Coding")
                    continue
                said = _selection_fields(_text(sel, "Description"))
                gloss = said.get("gloss_en") or None
                speaker = informant_id
                if "informant_id" in said:  # another informant than the source's case
                    speaker = ids(said["informant_id"], "informant id") or None
                for coding in codings:
                    ref = coding.find("q:CodeRef", NS)
                    code = code_of.get(ref.get("targetGUID", "") if ref is not None else "")
                    if code is None:
                        skip(UNKNOWN_CODE, f"coding {coding.get('guid', '')} of {sel_guid}")
                        continue
                    user = coding.get("creatingUser") or sel.get("creatingUser") or ""
                    segment_rows.append(
                        {
                            "segment_id": segment_id.get(sel_guid, sel_guid),
                            "site": site,
                            "source_id": label,
                            "source_type": source_type,
                            "code": code,
                            "coder": users.get(user, user) or "unknown",
                            "text": passage,
                            "informant_id": speaker,
                            "gloss_en": gloss,
                        }
                    )
    if truncated_names:
        notes.append(
            f"{truncated_names} selection(s) whose text is missing have a quotation in their "
            "name; the tool cuts it short ('…'), so it is not used as the coded text"
        )
    ignored = {}
    for group, tag in IGNORED.items():
        n = len(root.findall(f"q:{group}/q:{tag}", NS))
        if n:
            ignored[group] = n
    segments = pd.DataFrame(segment_rows, columns=SEGMENTS.columns)
    segments = segments.drop_duplicates(["segment_id", "code", "coder"]).reset_index(drop=True)
    if made_informants:
        speaking = set(segments["informant_id"].dropna())
        made_informants = [m for m in made_informants if m["informant_id"] in speaking]
        informants = _made_informants(made_informants, site)
    notes.extend(ids.notes())
    registry, description = _registry(root)
    project = " ".join(root.get("name", "").split()) or file.stem
    used_codes = set(segments["code"])
    codebook = codes[codes["codable"] | codes["code"].isin(used_codes)].drop(columns="codable")
    sources_frame = pd.DataFrame(
        source_rows,
        columns=[
            "name",
            "guid",
            "source_type",
            "informant_id",
            "characters",
            "selections",
            "counting",
        ],
    )
    return QdpxImport(
        project=project,
        site=site,
        registry=registry,
        description=description,
        made_informants=made_informants,
        named=bool(" ".join(root.get("name", "").split())),
        origin=root.get("origin", ""),
        codebook=codebook.reset_index(drop=True),
        segments=segments,
        informants=informants,
        sources=sources_frame,
        users=users,
        skipped=skipped,
        ignored=ignored,
        texts=texts,
        notes=notes,
        selections=n_selections,
        codings=len(list(sources.iter(f"{{{NAMESPACE}}}Coding"))) if sources is not None else 0,
    )


# --- writing a study --------------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def study_row(site: str, title: str, registry: dict[str, str] | None = None) -> dict[str, str]:
    """A studies.csv row: the registry row stored in the project (every column it names, its
    companions included), the title, ``site``; ``selection`` is 'other' when not known."""
    row = dict.fromkeys(STUDIES_COLUMNS, "")
    row.update(short_name=title, selection="other")
    row.update({k: v for k, v in (registry or {}).items() if v is not None})
    row.update(site=site, title=title)
    return row


def write_study(result: QdpxImport, out: str | Path, site: str, force: bool = False) -> list[str]:
    """Write codebook, segments, informants into ``out/study/`` and register the study in
    ``out/study/studies.csv``; returns one line per file written.

    ``data/`` is refused. Existing files are refused without ``force``; with it the study joins
    them: rows of other sites are kept and this site's replaced, codes already in the codebook are
    kept and new ones added. A file that cannot be read as a study file is replaced whole."""
    out = Path(out)
    if _inside(out, DATA_DIR):
        raise QdpxError(
            f"--out {out} is the project's own data folder ({DATA_DIR}); the shipped study files "
            "are never overwritten: give another folder"
        )
    targets = [
        (CODEBOOK, result.codebook, "code"),
        (SEGMENTS, result.segments, "site"),
        (INFORMANTS, result.informants, "site"),
    ]
    if result.informants.empty and not (out / INFORMANTS.path).exists():
        targets.pop()  # no informants (documents only): no file, which validate accepts
    existing = [str(out / spec.path) for spec, _, _ in targets if (out / spec.path).exists()]
    if existing and not force:
        raise QdpxError(
            "these files exist and would be overwritten (pass --force to add the study to them, "
            "replacing its own rows): " + ", ".join(existing)
        )
    frames = []
    targets[0] = (
        CODEBOOK,
        _local_findings(result.codebook, _registered_sites(out) | {site}),
        "code",
    )
    for spec, frame, key in targets:
        path = out / spec.path
        frame, detail = _join(path, spec, frame, key, site) if path.exists() else (frame, "")
        frames.append((spec, frame, path, detail))
    if len(frames) > 2:
        _check_informant_ids(frames[2][1], out / INFORMANTS.path)
    try:
        (out / "study").mkdir(parents=True, exist_ok=True)
        written = []
        for spec, frame, path, detail in frames:
            path.write_bytes(to_csv_text(frame, spec).encode("utf-8"))
            written.append(f"wrote {path} ({len(frame)} rows{detail})")
        studies = out / STUDIES_PATH
        if _register(studies, site, result.study_row()):
            written.append(f"wrote {studies} (study {site!r} registered)")
    except OSError as exc:
        raise QdpxError(f"--out {out}: cannot write there: {exc.strerror or exc}") from exc
    return written


def _registered_sites(out: Path) -> set[str]:
    """The sites of ``out/study/studies.csv`` (none when it does not exist or cannot be read)."""
    path = out / STUDIES_PATH
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {row.get("site", "") for row in csv.DictReader(handle)} - {""}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()


def _local_findings(codebook: pd.DataFrame, sites: set[str]) -> pd.DataFrame:
    """The codebook with ``finding_site`` emptied where it names a study this folder lacks.

    A code's finding belongs to the study that reported it; a project exported from a book with
    several studies carries findings of the others, which the imported folder cannot refer to.
    """
    if "finding_site" not in codebook.columns:
        return codebook
    foreign = codebook["finding_site"].notna() & ~codebook["finding_site"].isin(sites)
    local = codebook.copy()
    for column in ("finding_site", "finding", "finding_logic"):
        if column in local.columns:
            local[column] = local[column].where(~foreign)
    return local


def _join(path: Path, spec, frame: pd.DataFrame, key: str, site: str):
    """The imported rows joined with those already in ``path`` (see :func:`write_study`)."""
    table = read_csv_text(path, spec.path)
    old = table.frame
    if table.problems or key not in old.columns:
        return frame, "; the file there could not be read as a study file and was replaced"
    if key == "site":
        kept = old[old["site"] != site]
        detail = f"; kept {len(kept)} rows of other studies" if len(kept) else ""
    else:
        kept = old
        frame = frame[~frame["code"].isin(set(old["code"]))]
        detail = f"; kept the {len(old)} codes already there, added {len(frame)}"
    joined = pd.concat([kept.reset_index(drop=True), frame.astype(object)], ignore_index=True)
    return joined, detail


def _check_informant_ids(informants: pd.DataFrame, path: Path) -> None:
    duplicated = informants.loc[informants["informant_id"].duplicated(), "informant_id"]
    if len(duplicated):
        raise QdpxError(
            f"{path}: informant id(s) {', '.join(sorted(set(duplicated)))} already belong to "
            "another study; rename the cases in the project (ids are unique across studies)"
        )


def _register(studies: Path, site: str, row: dict[str, str]) -> bool:
    """Add the study's row to studies.csv (made if missing); False when the site is listed.
    Columns the row fills and the file lacks (companions, say) are added to the file."""
    extra = [c for c in row if c not in STUDIES_COLUMNS and row[c]]
    if not studies.exists():
        buffer = io.StringIO()
        columns = [*STUDIES_COLUMNS, *extra]
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerow({c: row.get(c, "") for c in columns})
        studies.write_text(buffer.getvalue(), encoding="utf-8")
        return True
    text = studies.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    if any((r.get("site") or "").strip() == site for r in rows):
        return False
    columns = reader.fieldnames or list(STUDIES_COLUMNS)
    added = [c for c in row if row[c] and c not in columns]
    if added:
        columns = [*columns, *added]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{c: r.get(c) or "" for c in columns} for r in rows])
        writer.writerow({c: row.get(c, "") for c in columns})
        studies.write_text(buffer.getvalue(), encoding="utf-8")
        return True
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writerow({c: row.get(c, "") for c in columns})
    prefix = "" if text.endswith("\n") or not text else "\n"
    with studies.open("a", encoding="utf-8") as handle:
        handle.write(prefix + buffer.getvalue())
    return True


def check_site(site: str | None) -> str | None:
    """The reason a site id is refused, or None."""
    if site is not None and len(site) > MAX_SITE_LENGTH:
        return (
            f"--site must be at most {MAX_SITE_LENGTH} characters (it names the study's chapters "
            f"and their files), not {len(site):,}: {site[:MAX_SITE_LENGTH]!r}..."
        )
    if site is None or not SITE_PATTERN.fullmatch(site):
        return f"--site must be a study id of lower-case letters, digits and '-', not {site!r}"
    return None


def main(
    file: str | Path,
    out: str | Path,
    site: str | None = None,
    force: bool = False,
    positions: str | None = None,
    title: str | None = None,
) -> int:
    """``python -m analysis import-qdpx FILE --site S --out DIR``: 0 written, 2 bad input."""
    problem = check_site(site)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    forced = COUNTING_KEYS.get(positions) if positions else None
    if positions and forced is None:
        print(f"--positions must be one of {', '.join(COUNTING_KEYS)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        result = read_qdpx(file, site=site, counting=forced, title=title)
    except QdpxError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.summary())
    if result.codings and result.segments.empty:
        reasons = "; ".join(f"{k}: {len(v)}" for k, v in result.skipped.items())
        print(
            f"{file}: the project has {result.codings} coding(s) in {result.selections} "
            f"selection(s) and none could be imported ({reasons}); nothing written",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        written = write_study(result, out, site, force=force)
    except QdpxError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    for line in written:
        print(line)
    if result.to_fill():
        print(f"next: fill in what is listed above, then python -m analysis validate {out}")
    else:
        print(
            f"next: python -m analysis validate {out}, then python -m analysis build --data {out}"
        )
    return EXIT_OK
