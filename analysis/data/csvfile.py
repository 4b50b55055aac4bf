"""Reading a CSV file as text cells, keeping each row's line number as in the file.

Handles what researchers' files look like: a UTF-8 byte-order mark, Windows line ends, files
saved by a spreadsheet with ``;`` as separator and a decimal comma, quoted cells spanning lines,
and files that are not UTF-8 (reported, then read as Windows-1252 so the other problems can be
reported too). Nothing is converted here: every cell is text or NA (empty).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.problems import Problem

MAX_LINE_PROBLEMS = 50  # per kind and file; more are summarised in one extra problem


@dataclass
class CsvTable:
    """Cells of a CSV file as text (NA for empty), indexed by line number (header = line 1)."""

    frame: pd.DataFrame
    separator: str = ","
    decimal_comma: bool = False
    problems: list[Problem] = field(default_factory=list)


#: Control characters no cell may hold (tab, line feed and carriage return are text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2400]")
#: pandas ends a cell at a NUL byte: NUL is read as this visible stand-in, then reported.
NUL_STAND_IN = "\u2400"
#: Share of control bytes above which a file is not text at all.
BINARY_SHARE = 0.3
#: How files that are not text begin: PNG, JPEG, GIF, PDF, ZIP (xlsx, docx, odt, qdpx), OLE (xls).
BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
)
#: Encodings a researcher's spreadsheet may have saved besides UTF-8 (Windows, Mac, DOS, UTF-16).
LIKELY_ENCODINGS = (
    "utf_8",
    "utf_16",
    "utf_32",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "mac_roman",
    "cp850",
    "cp437",
)
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])


def _control_share(data: bytes) -> float:
    head = data[:65536]
    return len(head) - len(head.translate(None, _CONTROL_BYTES)) if head else 0


def _binary(data: bytes) -> bool:
    head = data[:65536]
    return data.startswith(BINARY_SIGNATURES) or (
        bool(head) and _control_share(head) / len(head) > BINARY_SHARE
    )


def _encoding_name(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for bytes that are not UTF-8 (None: not text)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144], cp_isolation=list(LIKELY_ENCODINGS)).best()
    return None if best is None else best.encoding


_NOT_TEXT = (
    "a CSV text file (this file holds binary data: a picture, a spreadsheet or an archive "
    "renamed .csv?); save the table as 'CSV UTF-8'"
)


def _decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text and the problems of its encoding; text None when the file is not text.

    UTF-8 (with or without a byte-order mark) and UTF-16/32 with a byte-order mark are read as
    they are. Other encodings are named (charset-normalizer) and reported line by line, then
    decoded with that encoding so that the other problems can be reported too.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), []
            except UnicodeDecodeError as exc:
                return None, [
                    Problem(
                        label,
                        None,
                        None,
                        None,
                        f"text in {codec.upper()} as its byte-order mark says (byte "
                        f"{exc.start + 1} is not): save it as 'CSV UTF-8'",
                    )
                ]
    if data.startswith(BINARY_SIGNATURES):
        return None, [Problem(label, None, None, None, _NOT_TEXT)]
    if data.count(b"\x00") < len(data) / 10:  # UTF-16 text without its byte-order mark has many
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            pass
    for codec, zeros in (("utf_16_le", data[1:4096:2]), ("utf_16_be", data[0:4096:2])):
        if len(data) % 2 == 0 and zeros and zeros.count(0) > 0.9 * len(zeros):
            try:  # UTF-16 without its byte-order mark: every other byte of ASCII text is zero
                return data.decode(codec), []
            except UnicodeDecodeError:
                pass
    found = _encoding_name(data)
    if found is None or (not found.startswith(("utf_16", "utf_32")) and _binary(data)):
        return None, [Problem(label, None, None, None, _NOT_TEXT)]
    if found.startswith(("utf_16", "utf_32")):  # without a byte-order mark: still text
        return data.decode(found), []
    shown = found.replace("_", "-")
    problems = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if len(problems) == MAX_LINE_PROBLEMS:
                problems.append(
                    Problem(label, None, None, None, "UTF-8 text (more lines are not UTF-8)")
                )
                break
            bad = raw[exc.start : exc.end + 8].decode(found, errors="replace")
            problems.append(
                Problem(
                    label,
                    number,
                    None,
                    bad,
                    f"UTF-8 text: byte 0x{raw[exc.start]:02x} at position {exc.start + 1} is not "
                    f"UTF-8 (the file looks like {shown}: save it as 'CSV UTF-8')",
                )
            )
    return data.decode(found, errors="replace"), problems


def _control_problems(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Errors for every cell holding NUL or another control character."""
    problems: list[Problem] = []
    for column in frame.columns:
        texts = frame[column].astype("object")
        flagged = texts.fillna("").astype(str).str.contains(CONTROL)
        for line, value in texts[flagged.to_numpy()].items():
            char = CONTROL.search(value).group(0)
            code = 0 if char == NUL_STAND_IN else ord(char)
            problems.append(
                Problem(
                    label,
                    int(line),
                    str(column),
                    CONTROL.sub("?", value),
                    f"text without control characters (found U+{code:04X}"
                    f"{' (NUL)' if code == 0 else ''} at character {value.index(char) + 1})",
                )
            )
    return problems[:MAX_LINE_PROBLEMS]


def _header_problems(header: str, separator: str, label: str) -> list[Problem]:
    """Errors for column names that occur more than once in the header, named as written."""
    names = [n.strip() for n in next(csv.reader([header], delimiter=separator), [])]
    problems = []
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        where = [str(i + 1) for i, n in enumerate(names) if n == name]
        problems.append(
            Problem(
                label,
                1,
                name,
                name,
                f"each column named once in the header (column {name!r} appears "
                f"{len(where)} times: positions {', '.join(where)})",
            )
        )
    return problems


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _record_lines(encoded: bytes, records: int) -> np.ndarray | None:
    """Line number of the start of each record (header first), vectorised.

    A newline ends a record unless it lies inside quotes (an odd number of quote characters
    before it). Returns None when the count does not match what the parser found.
    """
    data = np.frombuffer(encoded, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    quotes = np.flatnonzero(data == 34)
    if len(quotes):
        outside = np.searchsorted(quotes, newlines) % 2 == 0
        ends = np.flatnonzero(outside)
    else:
        ends = np.arange(len(newlines))
    starts = np.concatenate(([1], ends + 2))  # the line after a record-ending newline
    if len(data) and data[-1] == 10:
        starts = starts[:-1]  # the final newline does not start a record
    if len(starts) != records + 1:
        return None
    return starts[1:]


def _read_slowly(text: str, separator: str, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The csv module, record by record: only for files pandas cannot read (ragged rows)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = next(reader)
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if len(row) != len(header) and any(cell.strip() for cell in row):
            if len([p for p in problems]) < MAX_LINE_PROBLEMS:
                problems.append(
                    Problem(
                        label,
                        start,
                        None,
                        separator.join(row),
                        f"{len(header)} cells separated by {separator!r} like the header (found {len(row)})",
                    )
                )
        elif any(cell.strip() for cell in row):
            rows.append(row)
            lines.append(start)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=header, dtype="object")
    frame.index = pd.Index(lines, name="line")
    return frame, problems


_TRAILING_BLANK = re.compile(r"(?:\n[ \t]*)+\Z")


def _first_of_each_name(frame: pd.DataFrame, header: str, separator: str) -> pd.DataFrame:
    """Columns named as written in the header (stripped); a repeated name keeps its first column
    (pandas would call the repeat ``name.1``; the repeat is reported by _header_problems)."""
    written = [n.strip() for n in next(csv.reader([header], delimiter=separator), [])]
    if len(written) != len(frame.columns) or len(set(written)) == len(written):
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    keep = [i for i, name in enumerate(written) if written.index(name) == i]
    frame = frame.iloc[:, keep]
    frame.columns = [written[i] for i in keep]
    return frame


def read_csv_text(path: Path, label: str) -> CsvTable:
    """Every cell of ``path`` as text; problems of encoding and shape are collected, not raised."""
    data = Path(path).read_bytes()
    text, problems = _decode(data, label)
    if text is None:
        return CsvTable(pd.DataFrame(), problems=problems)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", NUL_STAND_IN)
    blank_end = _TRAILING_BLANK.search(text[-65536:])
    trimmed = blank_end is not None and blank_end.group(0) != "\n"
    if trimmed:  # blank last lines (or a last line of spaces) end nothing
        text = text[: len(text) - len(blank_end.group(0))] + "\n"
    if not text.strip():
        problems.append(
            Problem(
                label,
                None,
                None,
                None,
                "a header line naming the columns, then data rows (the file is empty)",
            )
        )
        return CsvTable(pd.DataFrame(), problems=problems)
    header = text.split("\n", 1)[0]
    separator = _separator(header)
    problems.extend(_header_problems(header, separator, label))
    clean = (
        not problems
        and b"\r" not in data
        and b"\x00" not in data
        and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
        and not trimmed
    )
    encoded = (
        data if clean else text.encode("utf-8")
    )  # pandas reads bytes twice as fast as a StringIO
    try:
        frame = pd.read_csv(
            io.BytesIO(encoded),
            sep=separator,
            dtype=str,
            encoding="utf-8",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
        lines = _record_lines(encoded, len(frame))
        if lines is None:
            raise pd.errors.ParserError("line numbers do not match")
        frame.index = pd.Index(lines, name="line")
        if "\n\n" in text or text.startswith(
            "\n"
        ):  # blank lines give rows of empty cells: drop them
            frame = frame[~frame.isna().all(axis=1).to_numpy()]
    except pd.errors.ParserError:
        frame, shape_problems = _read_slowly(text, separator, label)
        problems.extend(shape_problems)
        frame = frame.mask(frame == "")
    frame = _first_of_each_name(frame, header, separator)
    problems.extend(_control_problems(frame, label))
    return CsvTable(frame, separator=separator, decimal_comma=separator == ";", problems=problems)


def to_csv_text(frame: pd.DataFrame, spec) -> str:
    """A frame as the project's CSV text (UTF-8, comma, ``\\n``, booleans ``true``/``false``,
    integers without ``.0``); contract columns first, extra columns after. Same frame, same text."""
    ordered = [c for c in spec.columns if c in frame.columns] + [
        c for c in frame.columns if c not in spec.columns
    ]
    out = frame[ordered].copy()
    for f in spec.fields:
        if f.name not in out.columns:
            continue
        if (
            f.type == "boolean"
        ):  # True/False as true/false; text (from an import) is kept as written
            out[f.name] = out[f.name].map(
                lambda v: ("true" if v else "false") if isinstance(v, (bool, np.bool_)) else v
            )
        elif f.type == "integer":
            out[f.name] = out[f.name].astype("Int64").astype("string").astype("object")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n", na_rep="")
    return buffer.getvalue()
