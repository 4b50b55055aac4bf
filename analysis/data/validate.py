"""Checking a data directory against the data contract: one function for the build, the CLI and the tests.

:func:`validate_directory` reads every contract file present in a directory, converts its cells
to the declared types (money written the Indonesian way included, :mod:`analysis.data.money`), checks
them with pandera schemas built from :mod:`analysis.data.contract`, then checks the files against each
other (codes in the codebook, informants that exist, names differing only in case or spaces) and
for personal data (:mod:`analysis.data.privacy`). Every problem is collected, none is raised, nothing
is written.

Which files must be there
-------------------------
A directory is laid out like ``data/`` (``study/*.csv``, ``public/*.csv``) or is a flat folder
holding the CSV files themselves. A file is *expected* (its absence is an error) when

* the directory's ``datapackage.json`` lists it, or
* a present file refers to it: ``segments.csv`` needs ``codebook.csv`` (every code must be
  there); ``segments.csv``/``households.csv`` need ``informants.csv`` when they name informants, or
* the directory holds no contract file at all (wrong directory?).

Any other absent file is listed in :attr:`ValidationReport.absent`, not an error: the build skips
the chapters whose inputs are absent, so a researcher may bring only the files they have.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.data.contract import (
    ALL_FILES,
    BOOK_ROWS,
    MIN_INCOME_RECIPIENTS,
    Field,
    FileSpec,
    companion_problem,
    split_companion,
)
from analysis.data.csvfile import MAX_LINE_PROBLEMS, read_csv_text
from analysis.data.money import EXPECTED as MONEY_EXPECTED
from analysis.data.money import (
    all_plain_digits,
    parse_rupiah_series,
    plain_digit_mask,
    too_long,
)
from analysis.data.privacy import scan_for_personal_data
from analysis.data.problems import ERROR, WARNING, Problem
from analysis.project import EXIT_BAD_INPUT, EXIT_OK

#: pandas dtype of each contract type after conversion (nullable extension types).
DTYPES = {"string": "object", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "ya", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "tidak", "0"})
#: Name columns checked for spellings differing only in case or spaces ("Pakis" / "pakis ").
NAME_COLUMNS = ("kelurahan", "cluster", "theme", "coder", "source_id", "area_name", "province")


# --- the report ----------------------------------------------------------------------------------


@dataclass
class ValidationReport:
    """What :func:`validate_directory` found.

    ``problems`` lists errors and warnings in file order; ``checked`` the files read (relative
    paths), ``absent`` the contract files not in the directory; ``frames`` the typed rows of every
    file read (index = line number in the file), for :func:`analysis.data.loading.load`.
    """

    directory: Path
    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_BAD_INPUT

    def errors_in(self, files: set[str]) -> list[Problem]:
        return [p for p in self.errors if p.file in files]

    def summary(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.absent:
            lines.append(
                f"{self.directory}: not present (chapters needing them are skipped): {', '.join(self.absent)}"
            )
        verdict = "OK" if self.ok else "INVALID"
        lines.append(
            f"{verdict}: {len(self.checked)} file(s) checked in {self.directory}, "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [p.to_dict() for p in self.problems],
            columns=["file", "line", "column", "value", "expected", "severity"],
        )

    def to_dict(self) -> dict:
        return {
            "directory": str(self.directory),
            "ok": self.ok,
            "checked": self.checked,
            "absent": self.absent,
            "problems": [p.to_dict() for p in self.problems],
        }


# --- schemas built from the contract ----------------------------------------------------------


def _checks(f: Field) -> list[pa.Check]:
    checks = []
    if f.enum:
        checks.append(pa.Check.isin(list(f.enum)))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(rf"(?:{f.pattern})\Z"))
    if f.max_length is not None:
        checks.append(pa.Check.str_length(max_value=f.max_length))
    return checks


def schema_for(spec: FileSpec) -> pa.DataFrameSchema:
    """The pandera schema of a contract file (typed columns, enums, ranges, uniqueness, keys)."""
    columns = {
        f.name: pa.Column(
            DTYPES[f.type],
            checks=_checks(f),
            nullable=f.nullable,
            unique=f.unique,
            required=f.required,
            coerce=False,
            title=f.name,
            description=f.description,
            metadata={"unit": f.unit, "money": f.money},
        )
        for f in spec.fields
    }
    key = list(spec.primary_key) if len(spec.primary_key) > 1 else None
    return pa.DataFrameSchema(
        columns, unique=key, report_duplicates="all", strict=False, name=spec.key
    )


def _expected(f: Field, check: str, spec: FileSpec) -> str:
    """Plain-language expectation for a failed pandera check on field ``f``."""
    unit = f" {f.unit}" if f.unit and f.unit != "year" else ""
    if check == "not_nullable":
        if f.money and f.minimum:
            return f"an amount in {f.unit} (missing)"
        return f"a value ({f.name} may not be empty)"
    if check.startswith("isin"):
        return "one of: " + ", ".join(f.enum or ())
    if check.startswith("str_length"):
        return f"a {f.name} of at most {f.max_length} characters (this one is longer)"
    if check.startswith("str_matches"):
        return f"{f.description} (text matching {f.pattern})"
    if check.startswith("greater_than_or_equal_to"):
        if f.money and f.minimum and f.minimum >= 1:
            return (
                f"a positive amount (at least {f.minimum:g}{unit}); zero or negative is not allowed"
            )
        return f"at least {f.minimum:g}{unit}"
    if check.startswith("less_than_or_equal_to"):
        return f"at most {_number(f.maximum)}{unit}"
    if check == "field_uniqueness":
        return f"a unique {f.name} (this value occurs on more than one line)"
    if check == "multiple_fields_uniqueness":
        return (
            "a unique combination of "
            + ", ".join(spec.primary_key)
            + " (this combination occurs on more than one line)"
        )
    return check


# --- converting text cells to the declared types -----------------------------------------------


def _convert(series: pd.Series, f: Field, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """(typed column, error message per rejected cell)."""
    present = series.notna()
    if f.type == "string":
        return series.astype("object"), pd.Series(dtype="object")
    if f.type == "integer":
        return parse_rupiah_series(series, decimal_comma) if f.money else _parse_integers(series, f)
    if f.type == "number":
        text = series.astype("object").fillna("").str.strip()
        if decimal_comma:
            comma = text.str.fullmatch(r"-?\d{1,3}(?:\.\d{3})*,\d+|-?\d+,\d+")
            text = text.where(
                ~comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
            )
        values = pd.to_numeric(text.mask(text == ""), errors="coerce").astype("Float64")
        bad = present & values.isna()
        expected = "a number" + (
            " (decimal comma or point)" if decimal_comma else " with a decimal point"
        )
        return values, pd.Series(expected, index=series.index[bad.to_numpy()], dtype="object")
    if f.type == "boolean":
        text = series.astype("object")
        true, false = text.isin(TRUE_WORDS).to_numpy(), text.isin(FALSE_WORDS).to_numpy()
        unusual = present.to_numpy() & ~true & ~false
        if unusual.any():  # "TRUE", " ya " and the like: the slow path only for those cells
            words = text[unusual].str.strip().str.lower()
            true[unusual], false[unusual] = (
                words.isin(TRUE_WORDS).to_numpy(),
                words.isin(FALSE_WORDS).to_numpy(),
            )
        values = pd.Series(pd.NA, index=series.index, dtype="boolean")
        values[true] = True
        values[false] = False
        bad = present & values.isna()
        return values, pd.Series(
            "true or false", index=series.index[bad.to_numpy()], dtype="object"
        )
    raise ValueError(f"unknown contract type {f.type!r}")


def _too_large(f: Field | None) -> str:
    if f is not None and f.maximum is not None:
        return f"a whole number of at most {_number(f.maximum)} (this one is far larger)"
    return "a whole number of at most 18 digits"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1e6 else f"{value:g}"


def _parse_integers(series: pd.Series, f: Field | None = None) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (optional sign); digit-only cells take numpy's fast path."""
    text = series.astype("object")
    huge = too_long(text)
    if huge.any():
        text = text.where(~huge, None)
    elif all_plain_digits(text):
        return pd.Series(
            text.to_numpy().astype("int64"), index=series.index, dtype="Int64"
        ), pd.Series(dtype="object")
    raw = text.to_numpy()
    numbers = np.zeros(len(raw), dtype=np.int64)
    missing = np.ones(len(raw), dtype=bool)
    plain = plain_digit_mask(text)
    numbers[plain] = raw[plain].astype("int64")
    missing[plain] = False
    others = np.flatnonzero(text.notna().to_numpy() & ~plain)
    rest = pd.Series(raw[others], dtype="object").str.strip()
    signed = rest.str.fullmatch(r"[-+]?[0-9]+").to_numpy()
    numbers[others[signed]] = rest[signed].astype("int64").to_numpy()
    missing[others[signed]] = False
    bad = pd.Series("a whole number", index=series.index[others[~signed]], dtype="object")
    if huge.any():
        bad = pd.concat([bad, pd.Series(_too_large(f), index=series.index[huge], dtype="object")])
        bad = bad.iloc[np.argsort(series.index.get_indexer(bad.index), kind="stable")]
    return pd.Series(pd.arrays.IntegerArray(numbers, missing), index=series.index), bad


def _normal(text: pd.Series) -> pd.Series:
    return text.astype(str).str.lower().str.replace(r"\s+", " ", regex=True).str.strip()


# --- one file -------------------------------------------------------------------------------


def _limit(problems: list[Problem], label: str, column: str | None, what: str) -> list[Problem]:
    """At most MAX_LINE_PROBLEMS of one kind, then one line saying how many more there are."""
    if len(problems) <= MAX_LINE_PROBLEMS:
        return problems
    more = len(problems) - MAX_LINE_PROBLEMS
    return problems[:MAX_LINE_PROBLEMS] + [
        Problem(label, None, column, None, f"{what} ({more} more lines like these)")
    ]


def check_file(spec: FileSpec, path: Path, label: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Typed rows of one file (index = line number) and every problem found in it."""
    table = read_csv_text(path, label)
    problems = list(table.problems)
    frame = table.frame
    if frame.columns.empty:
        return None, problems
    declared = set(spec.columns)
    for column in frame.columns:
        if column not in declared and split_companion(column) is not None:
            wrong = companion_problem(spec, column)
            if wrong is not None:
                problems.append(Problem(label, 1, column, column, wrong))
        elif column not in declared:
            problems.append(
                Problem(
                    label,
                    1,
                    column,
                    column,
                    f"one of the contract's columns ({', '.join(spec.columns)}); unknown columns are kept but not checked",
                    WARNING,
                )
            )
    for f in spec.fields:
        if f.required and f.name not in frame.columns:
            problems.append(
                Problem(label, 1, f.name, None, f"a column named {f.name!r} ({f.description})")
            )
    if frame.empty:
        problems.append(
            Problem(
                label,
                None,
                None,
                None,
                "at least one data row below the header (the file has none)",
            )
        )
        return None, problems

    typed = frame.copy()
    rejected: set[tuple[int, str]] = set()
    for f in spec.fields:
        if f.name not in frame.columns:
            continue
        values, errors = _convert(frame[f.name], f, table.decimal_comma)
        typed[f.name] = values
        found = [
            Problem(
                label,
                int(line),
                f.name,
                frame.at[line, f.name],
                (MONEY_EXPECTED + f" [{reason}]") if f.money else f"{reason} ({f.type})",
            )
            for line, reason in errors.items()
        ]
        problems.extend(_limit(found, label, f.name, "values of the declared type"))
        rejected.update((int(line), f.name) for line in errors.index)
    problems.extend(_schema_problems(spec, typed, frame, label, rejected))
    problems.extend(_case_variants(spec, frame, label))
    return typed, problems


def _schema_problems(
    spec: FileSpec,
    typed: pd.DataFrame,
    raw: pd.DataFrame,
    label: str,
    rejected: set[tuple[int, str]],
) -> list[Problem]:
    schema = schema_for(spec)
    present = [c for c in schema.columns if c in typed.columns]
    schema = schema.select_columns(present)
    if schema.unique and not set(schema.unique) <= set(present):
        schema = schema.set_unique(None)
    try:
        schema.validate(typed, lazy=True)
        return []
    except SchemaErrors as exc:
        cases = exc.failure_cases
    problems: dict[tuple, list[Problem]] = {}
    allowed_by_column = {f.name: f for f in spec.fields}
    for row in cases.itertuples(index=False):
        column, check, line = row.column, str(row.check), row.index
        if line is None or pd.isna(line):
            continue
        line = int(line)
        if (line, column) in rejected:
            continue  # already reported as a value of the wrong type
        if check == "multiple_fields_uniqueness" or column not in allowed_by_column:
            f = spec.field(spec.primary_key[0])
            value = (
                ", ".join(str(raw.at[line, c]) for c in spec.primary_key)
                if line in raw.index
                else row.failure_case
            )
            expected = _expected(f, "multiple_fields_uniqueness", spec)
            column = ",".join(spec.primary_key)
        else:
            f = allowed_by_column[column]
            value = raw.at[line, column] if line in raw.index else row.failure_case
            value = (
                "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
            )
            expected = _expected(f, check, spec)
            if f.enum and check.startswith("isin") and isinstance(value, str):
                close = [e for e in f.enum if _normal(pd.Series([value]))[0] == e]
                if close:
                    expected += f" ({value!r} differs from {close[0]!r} only in case or spaces)"
        problems.setdefault((column, check), []).append(
            Problem(label, line, column, value, expected)
        )
    out = _empty_cells(spec, problems, label)
    for (column, _), found in problems.items():
        found = sorted(set(found), key=lambda p: p.line)
        out.extend(_limit(found, label, column, found[0].expected))
    return sorted(out, key=lambda p: p.line or 0)


def _empty_cells(spec: FileSpec, problems: dict[tuple, list[Problem]], label: str) -> list:
    """Cells that may not be empty and are, said once for the file when there are several (an
    imported study's registry row, informants with no role): the columns, then the lines.
    Removes them from ``problems``; amounts of money keep their own message."""
    empty = {
        column: sorted({p.line for p in found})
        for (column, check), found in problems.items()
        if check == "not_nullable" and column in spec.columns and not spec.field(column).money
    }
    if sum(len(lines) for lines in empty.values()) < 2:
        return []
    for column in empty:
        del problems[(column, "not_nullable")]
    columns = [c for c in spec.columns if c in empty]
    lines = sorted({line for found in empty.values() for line in found})
    names = ", ".join(columns)
    if len(lines) == 1:
        return [
            Problem(
                label,
                lines[0],
                names,
                None,
                "a value in each (they may not be empty: fill them in)",
            )
        ]
    return [
        Problem(
            label,
            None,
            names,
            None,
            f"a value in each on every line (empty on {len(lines)} lines: "
            f"{_line_ranges(lines)}; they may not be empty: fill them in)",
        )
    ]


def _line_ranges(lines: list[int], most: int = 8) -> str:
    """'2-13, 15, 20-22' (at most ``most`` ranges, then how many lines more)."""
    ranges, start = [], lines[0]
    for previous, line in zip(lines, lines[1:] + [None]):
        if line != previous + 1:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
            start = line
    more = f", and {len(ranges) - most} more ranges" if len(ranges) > most else ""
    return ", ".join(ranges[:most]) + more


def _case_variants(spec: FileSpec, raw: pd.DataFrame, label: str) -> list[Problem]:
    """Name columns where two spellings differ only in case or spaces ("Pakis" / " pakis")."""
    problems = []
    for column in NAME_COLUMNS:
        if column not in raw.columns or column not in spec.columns:
            continue
        counts = raw[column].value_counts()
        if len(counts) < 2:
            continue
        normal = _normal(pd.Series(counts.index, index=counts.index))
        groups = normal.groupby(normal).size()
        clashing = groups[groups > 1].index
        for key in clashing:
            spellings = counts[normal[normal == key].index]
            usual = spellings.idxmax()
            others = [s for s in spellings.index if s != usual]
            lines = raw.index[raw[column].isin(others).to_numpy()]
            found = [
                Problem(
                    label,
                    int(line),
                    column,
                    raw.at[line, column],
                    f"{usual!r} (same name written differently: differs only in case or spaces)",
                )
                for line in lines
            ]
            problems.extend(
                _limit(found, label, column, f"{usual!r} (differs only in case or spaces)")
            )
    return problems


# --- across files ---------------------------------------------------------------------------


def _references(
    spec: FileSpec,
    frame: pd.DataFrame,
    label: str,
    frames: dict[str, pd.DataFrame],
    labels: dict[str, str],
    specs: dict[str, FileSpec],
) -> list[Problem]:
    problems = []
    for f in spec.fields:
        if not f.references or f.name not in frame.columns:
            continue
        target_key, target_column = f.references
        target_path = labels.get(target_key, specs[target_key].path)
        values = frame[f.name]
        named = values.notna()
        if not named.any():
            continue
        target = frames.get(target_key)
        if target is None or target_column not in target.columns:
            problems.append(
                Problem(
                    label,
                    None,
                    f.name,
                    None,
                    f"{target_path} (with column {target_column}) to check the {f.name} values against; it is absent or unreadable",
                )
            )
            continue
        known = pd.Index(target[target_column].dropna().unique())
        missing = named & ~values.isin(known)
        if not missing.any():
            continue
        known_normal = dict(zip(_normal(pd.Series(known, dtype=object)), known))
        found = []
        for line in frame.index[missing.to_numpy()]:
            value = frame.at[line, f.name]
            expected = f"{_article(target_column)} {target_column} listed in {target_path}"
            near = known_normal.get(_normal(pd.Series([value]))[0])
            if near is not None:
                expected += f" ({value!r} differs from {near!r} only in case or spaces)"
            found.append(Problem(label, int(line), f.name, value, expected))
        problems.extend(
            _limit(
                found,
                label,
                f.name,
                f"{_article(target_column)} {target_column} listed in {target_path}",
            )
        )
    return problems


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _same_site(frame: pd.DataFrame, label: str, informants: pd.DataFrame | None) -> list[Problem]:
    """A row naming an informant must be at that informant's site."""
    if (
        informants is None
        or not {"informant_id", "site"} <= set(frame.columns)
        or "site" not in informants
    ):
        return []
    site_of = informants.drop_duplicates("informant_id").set_index("informant_id")["site"]
    their = frame["informant_id"].map(site_of)
    wrong = their.notna() & (their != frame["site"])
    return [
        Problem(
            label,
            int(line),
            "site",
            frame.at[line, "site"],
            f"{their[line]!r}, the site of informant {frame.at[line, 'informant_id']} in informants.csv",
        )
        for line in frame.index[wrong.to_numpy()]
    ][:MAX_LINE_PROBLEMS]


def _incomes_estimable(frame: pd.DataFrame, label: str) -> list[Problem]:
    """Every study in households.csv gets an income chapter, which estimates a change: the study
    needs MIN_INCOME_RECIPIENTS recipient households with both incomes, not all unchanged."""
    if not {"site", "recipient", "income_before", "income_after"} <= set(frame.columns):
        return []
    found = []
    for site, rows in frame.groupby("site", sort=False, dropna=True):
        recipient = rows["recipient"].astype("boolean").fillna(False).astype(bool)
        usable = rows[recipient & rows["income_before"].notna() & rows["income_after"].notna()]
        if len(usable) < MIN_INCOME_RECIPIENTS:
            found.append(
                Problem(
                    label,
                    int(rows.index[0]),
                    "site",
                    site,
                    f"at least {MIN_INCOME_RECIPIENTS} recipient households (recipient true) with "
                    f"both incomes for each study in this file (its income chapter estimates their "
                    f"change); study {site!r} has {len(usable)}",
                )
            )
        elif (usable["income_after"] == usable["income_before"]).all():
            found.append(
                Problem(
                    label,
                    int(usable.index[0]),
                    "income_after",
                    usable["income_after"].iloc[0],
                    f"an income that changed for at least one recipient household of study "
                    f"{site!r} (all {len(usable)} report the same income before and after, so "
                    f"there is no change to estimate)",
                )
            )
    return found


def _years_in_order(
    frame: pd.DataFrame, label: str, columns: tuple[str, str] = ("year_before", "year_after")
) -> list[Problem]:
    """A later year cannot come before the earlier one (the 'after' income, a period's end)."""
    first, last = columns
    if not {first, last} <= set(frame.columns):
        return []
    wrong = (frame[last] < frame[first]).fillna(False).astype(bool)
    found = [
        Problem(
            label,
            int(line),
            last,
            frame.at[line, last],
            f"a year not before {first} ({frame.at[line, first]}): "
            f"{last} must be the same or a later year",
        )
        for line in frame.index[wrong.to_numpy()]
    ]
    return _limit(found, label, last, f"a year not before {first}")


#: Words before a regency's or city's name (Indonesian) or after it (English) saying which it is.
_PREFIXES = {"kabupaten": "regency", "kab.": "regency", "kab": "regency", "kota": "city"}
_SUFFIXES = {"regency": "regency", "city": "city"}


def regency_name_key(name) -> tuple[str | None, str]:
    """(kind, name) of a regency or city's name with its case, spaces and "Kabupaten" or "Kota"
    set aside: "Kabupaten  Jombang" -> ("regency", "jombang"); "Kota Malang" -> ("city",
    "malang"); "Batu City" -> ("city", "batu"); "Banyuwangi" -> (None, "banyuwangi"). One word
    at most is set aside ("Kabupaten Lima Puluh Kota" keeps its "Kota")."""
    words = str(name).lower().split()
    if len(words) > 1 and words[0] in _PREFIXES:
        return _PREFIXES[words[0]], " ".join(words[1:])
    if len(words) > 1 and words[-1] in _SUFFIXES:
        return _SUFFIXES[words[-1]], " ".join(words[:-1])
    return None, " ".join(words)


def regency_names(directory: Path, frames: dict[str, pd.DataFrame]) -> tuple[dict, str]:
    """BPS code -> (name, area type) of every regency and city, and the file they come from: the
    directory's BPS regency series, or the shipped one when the directory has none."""
    from analysis.data.contract import public_file
    from analysis.project import DATA_DIR

    spec = public_file("bps_regency_p0")
    series = frames.get("bps_regency_p0")
    label = spec.path
    if series is None:
        path = resolve(Path(directory), spec)
        if path is None:
            path = resolve(Path(DATA_DIR), spec)
            label = f"{spec.path} (shipped with the project)"
        if path is None:
            return {}, label
        try:
            series = pd.read_csv(path, dtype=str, usecols=["area_code", "area_name", "area_type"])
        except (ValueError, UnicodeDecodeError, OSError):  # its own problems are reported
            return {}, label
    areas = series.drop_duplicates("area_code")
    names = dict(zip(areas["area_code"].astype(str), zip(areas["area_name"], areas["area_type"])))
    return names, label


def _regency_name_problems(
    frame: pd.DataFrame, label: str, names: dict, series: str
) -> list[Problem]:
    """A registry row's ``regency_name`` must name the regency or city of its ``regency_code``
    (case, spaces and a "Kabupaten"/"Kota" prefix aside; "Kota" for a regency is wrong)."""
    if not {"regency_code", "regency_name"} <= set(frame.columns) or not names:
        return []
    found = []
    for line in frame.index:
        code, name = frame.at[line, "regency_code"], frame.at[line, "regency_name"]
        if pd.isna(code) or pd.isna(name) or str(code) not in names:
            continue
        bps_name, area_type = names[str(code)]
        if " ".join(str(name).lower().split()) == " ".join(str(bps_name).lower().split()):
            continue
        kind, base = regency_name_key(name)
        # a regency's own name may begin with "Kota" (6302 Kota Baru): only a city's is a prefix
        bps_base = (
            regency_name_key(bps_name)[1]
            if area_type == "city"
            else " ".join(str(bps_name).lower().split())
        )
        if base == bps_base and kind in (None, area_type):
            continue
        found.append(
            Problem(
                label,
                int(line),
                "regency_name",
                name,
                f"the name of BPS code {code}: {bps_name!r} ({area_type}) in {series} "
                "(case and a 'Kabupaten' or 'Kota' prefix do not matter)",
            )
        )
    return _limit(found, label, "regency_name", "the name of the BPS code")


def _descriptor_problems(directory: Path) -> list[Problem]:
    """An existing datapackage.json must be a JSON object whose resources name their paths."""
    path = Path(directory) / "datapackage.json"
    if not path.is_file():
        return []
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [Problem("datapackage.json", None, None, None, "UTF-8 text (it is not)")]
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        return [
            Problem(
                "datapackage.json",
                line,
                None,
                None,
                f"valid JSON (a Frictionless data package descriptor): {getattr(exc, 'msg', exc)}",
            )
        ]
    if not isinstance(package, dict) or not isinstance(package.get("resources", []), list):
        return [
            Problem(
                "datapackage.json",
                None,
                "resources",
                None,
                "a JSON object with a list of resources (a Frictionless data package descriptor)",
            )
        ]
    problems = []
    for k, resource in enumerate(package.get("resources", []), start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            problems.append(
                Problem(
                    "datapackage.json",
                    None,
                    f"resources[{k}]",
                    None,
                    "a resource object with a 'path' (text) naming its file",
                )
            )
    return problems


# --- the directory --------------------------------------------------------------------------


def resolve(directory: Path, spec: FileSpec) -> Path | None:
    """Where ``spec``'s file is in ``directory`` (``study/x.csv`` or a flat ``x.csv``), or None."""
    for candidate in (Path(directory) / spec.path, Path(directory) / Path(spec.path).name):
        if candidate.is_file():
            return candidate
    return None


def _declared_paths(directory: Path) -> set[str]:
    descriptor = Path(directory) / "datapackage.json"
    if not descriptor.is_file():
        return set()
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        return {r["path"] for r in package.get("resources", []) if isinstance(r.get("path"), str)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()


def validate_directory(directory: Path | str, keys: list[str] | None = None) -> ValidationReport:
    """Check the contract files in ``directory`` (or only ``keys`` and the files they refer to).

    Returns a :class:`ValidationReport`; never raises for bad data and never writes anything.
    """
    directory = Path(directory)
    specs = {s.key: s for s in ALL_FILES}
    report = ValidationReport(directory)
    if not directory.is_dir():
        report.problems.append(
            Problem(str(directory), None, None, None, "a data directory (it does not exist)")
        )
        return report
    wanted = list(specs) if keys is None else _with_references(keys, specs)
    report.problems.extend(_descriptor_problems(directory))
    declared = _declared_paths(directory)
    labels: dict[str, str] = {}
    frames: dict[str, pd.DataFrame] = {}
    for key in wanted:
        spec = specs[key]
        path = resolve(directory, spec)
        if path is None:
            if spec.path in declared:
                report.problems.append(
                    Problem(
                        spec.path,
                        None,
                        None,
                        None,
                        "this file, which datapackage.json lists (it is missing)",
                    )
                )
            else:
                report.absent.append(spec.path)
            continue
        label = path.relative_to(directory).as_posix()
        labels[key] = label
        report.checked.append(label)
        typed, problems = check_file(spec, path, label)
        report.problems.extend(problems)
        if typed is not None:
            frames[key] = typed
    if not report.checked and keys is None:
        report.problems.append(
            Problem(
                str(directory),
                None,
                None,
                None,
                "at least one data file of the contract: " + ", ".join(s.path for s in ALL_FILES),
            )
        )
    for key, frame in frames.items():
        report.problems.extend(_references(specs[key], frame, labels[key], frames, labels, specs))
        if key in ("segments", "households"):
            report.problems.extend(_same_site(frame, labels[key], frames.get("informants")))
        if key == "households":
            report.problems.extend(_years_in_order(frame, labels[key]))
            if not any(p.file == labels[key] and p.severity == ERROR for p in report.problems):
                report.problems.extend(_incomes_estimable(frame, labels[key]))  # not as a sequel
        if key == "book" and len(frame) > BOOK_ROWS:
            report.problems.append(
                Problem(
                    labels[key],
                    int(frame.index[BOOK_ROWS]),
                    None,
                    None,
                    f"at most {BOOK_ROWS} data row: the title of the one book",
                )
            )
        if key == "studies":
            report.problems.extend(
                _years_in_order(frame, labels[key], ("context_start", "context_end"))
            )
            names, series = regency_names(directory, frames)
            report.problems.extend(_regency_name_problems(frame, labels[key], names, series))
    text_frames = {
        labels[k]: f[[c for c in f.columns if f[c].dtype == object]] for k, f in frames.items()
    }
    report.problems.extend(scan_for_personal_data(text_frames))
    order = {label: i for i, label in enumerate(report.checked)}
    report.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0))
    report.frames = frames
    return report


def _with_references(keys: list[str], specs: dict[str, FileSpec]) -> list[str]:
    out = []
    for key in keys:
        spec = specs[key]
        for k in [key] + [f.references[0] for f in spec.fields if f.references]:
            if k not in out:
                out.append(k)
    return out


def main(directory: Path | str) -> int:
    """``python -m analysis validate [DIR]``: print every problem; exit 0 (valid) or 2 (invalid)."""
    report = validate_directory(directory)
    stream = sys.stdout if report.ok else sys.stderr
    print(report.summary(), file=stream)
    return report.exit_code
