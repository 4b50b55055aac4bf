"""Reading a CSV file as text cells, keeping each row's line number as in the file.

Handles what researchers' files look like: a UTF-8 byte-order mark, Windows line ends, files
saved by a spreadsheet with ``;`` as separator and a decimal comma, quoted cells spanning lines,
and files that are not UTF-8 (reported, then read as Windows-1252 so the other problems can be
reported too). Nothing is converted here: every cell is text or NA (empty).
"""

from __future__ import annotations

import csv
import io
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


def _decode(data: bytes, label: str) -> tuple[str, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
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
            bad = raw[exc.start : exc.end + 8].decode("cp1252", errors="replace")
            problems.append(
                Problem(
                    label,
                    number,
                    None,
                    bad,
                    f"UTF-8 text: byte 0x{raw[exc.start]:02x} at position {exc.start + 1} is not UTF-8 "
                    "(the file looks like Windows-1252/Latin-1: save it as 'CSV UTF-8')",
                )
            )
    return data.decode("cp1252", errors="replace"), problems


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


def read_csv_text(path: Path, label: str) -> CsvTable:
    """Every cell of ``path`` as text; problems of encoding and shape are collected, not raised."""
    data = Path(path).read_bytes()
    text, problems = _decode(data, label)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    clean = not problems and b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
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
    frame.columns = [str(c).strip() for c in frame.columns]
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
