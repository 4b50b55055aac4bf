"""The data-dictionary appendix's content: tables generated from ``data/datapackage.json``.

The descriptor is the single description of the data (built from :mod:`analysis.data.contract` by
:mod:`analysis.data.datapackage`); the appendix only reshapes it for readers.

:func:`files_table`, :func:`fields_table` and :func:`hash_status` return the descriptor's
content under English column names (what the chapter records and the tests read), with no words
for readers: :mod:`analysis.report.dictionary` shows them in the edition's language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from analysis.data.datapackage import DESCRIPTOR, check_hashes


def read(data_dir: str | Path) -> dict:
    """The Frictionless descriptor of a data directory."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no data package descriptor (python -m analysis datapackage DIR writes one)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def files_table(descriptor: dict) -> pd.DataFrame:
    """One row a data file: path, title, edition, licence, sha256 (first 12 hex digits)."""
    rows = []
    for resource in descriptor.get("resources", []):
        licences = ", ".join(lic.get("name", "") for lic in resource.get("licenses", []))
        rows.append(
            {
                "file": resource["path"],
                "title": resource.get("title", ""),
                "edition": resource.get("edition", ""),
                "licence": licences,
                "rows described": len(resource.get("schema", {}).get("fields", [])),
                "sha256": resource.get("hash", "").removeprefix("sha256:")[:12],
            }
        )
    frame = pd.DataFrame(rows)
    return frame.rename(columns={"rows described": "columns"})


#: A name as a program writes it (a column, a stored value): ``income_before``, ``p0``.
_CODE_NAME = re.compile(r"(?<![\w`/.])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|p[012])(?![\w`])")


_PATH = re.compile(r"(?<![\w`])((?:[\w.-]+/)+[\w.-]+\.[A-Za-z]+)(?![\w`])")


def as_code(text: str) -> str:
    """``text`` with file paths and snake_case names (and p0, p1, p2) between backticks."""
    return _CODE_NAME.sub(r"`\1`", _PATH.sub(r"`\1`", str(text)))


def fields_table(descriptor: dict, name: str) -> pd.DataFrame:
    """The columns of one resource: name, type, unit, required, allowed values, meaning.

    Column names, allowed values and the names a meaning mentions are marked as code
    (between backticks): the chapter shows them as code (``table(..., code=("column",),
    markup=("allowed values", "meaning"))``), since they are what a data file holds. The meaning
    is the descriptor's (:func:`analysis.report.dictionary.fields_table` gives it translated).
    """
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    rows = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        allowed = ", ".join(f"`{v}`" for v in constraints.get("enum", []))
        bounds = [
            f"≥ {constraints['minimum']}" if "minimum" in constraints else "",
            f"≤ {constraints['maximum']}" if "maximum" in constraints else "",
        ]
        rows.append(
            {
                "column": field["name"],
                "type": field["type"],
                "unit": field.get("unit") or "",
                "required": "yes" if constraints.get("required") else "no",
                "allowed values": allowed or " ".join(b for b in bounds if b),
                "meaning": as_code(field.get("description", "")),
            }
        )
    return pd.DataFrame(rows)


def hash_status(data_dir: str | Path, descriptor: dict) -> pd.DataFrame:
    """Whether each file still has the sha256 the descriptor records."""
    check = check_hashes(data_dir, descriptor)
    status = {
        "matches": check.matching,
        "CHANGED since described": check.changed,
        "missing": check.missing,
        "not described": check.undescribed,
    }
    rows = [
        {"file": path, "sha256 check": label} for label, paths in status.items() for path in paths
    ]
    return pd.DataFrame(rows, columns=["file", "sha256 check"]).sort_values(
        "file", ignore_index=True
    )
