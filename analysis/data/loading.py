"""Loading the data files for the chapters: validated, typed, and honest about their edition.

``load(data_dir, "segments")`` returns the rows of ``study/segments.csv`` after the validation of
:mod:`analysis.data.validate` (the file and the files it refers to); any error stops with the full list.
Booleans come back as ``bool``, money and other integers as ``int64``, number as ``float64``;
columns the contract declares nullable keep NA (``boolean``, ``Int64``, ``Float64``).
Text columns readers see come in the current language (:func:`analysis.i18n.use_language`): a
translatable column takes its companion column's text (``place@id``; an empty cell keeps the
English text), and companion columns are never returned (:func:`analysis.data.contract.localise`).

``edition(data_dir, key, site)`` says what the numbers are:

* for a study file, the registry's ``data_kind`` first: whether data are illustrative is a
  property of each study, so the shipped studies stay illustrative beside a researcher's field
  study in the same folder. Without ``site``, a study file whose studies all declare one kind
  has that kind, and ``"mixed"`` when they declare both (:func:`illustrative_sites` names them);
* otherwise ``"illustrative"`` when ``datapackage.json`` marks the file illustrative *and* its
  sha256 still matches (the shipped, generated data);
* ``"real"``: published figures (BPS) the descriptor marks real and whose hash matches;
* ``"published"``: the studies' published facts (the registry) the descriptor marks so, hash matching;
* ``"field"``: anything else: a researcher's own data (no descriptor, not listed, or changed
  since the descriptor was written).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from analysis.data.contract import STUDIES, STUDY_FILES, FileSpec, file_spec, localise, public_file
from analysis.data.validate import resolve, validate_directory


class DataError(ValueError):
    """The data files did not pass validation; the message lists every problem."""

    def __init__(self, report, files):
        self.report = report
        problems = report.errors_in(files) or report.errors
        super().__init__(
            f"{report.directory}: {len(problems)} problem(s) in the data "
            "(run `python -m analysis validate DIR` for the full report):\n"
            + "\n".join(str(p) for p in problems)
        )


def _typed(frame: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """Plain numpy dtypes for columns that may not be empty; nullable types for the others."""
    out = frame.reset_index(drop=True)
    for f in spec.fields:
        if f.name not in out.columns:
            continue
        if f.type == "boolean":
            out[f.name] = out[f.name].astype("boolean" if f.nullable else bool)
        elif f.type == "integer":
            out[f.name] = out[f.name].astype("Int64" if f.nullable else "int64")
        elif f.type == "number":
            out[f.name] = out[f.name].astype("Float64" if f.nullable else "float64")
    return out


def load(data_dir: str | Path, key: str, lang: str | None = None) -> pd.DataFrame:
    """Validated, typed rows of a data file by its contract key ("segments", "bps_regency_p0", ...).

    Translatable text comes in ``lang`` (default: the current language, see the module
    docstring). Raises :class:`DataError` (listing every problem) when the file or a file it refers to is
    invalid, ``FileNotFoundError`` when it is absent.
    """
    spec = file_spec(key)
    data_dir = Path(data_dir)
    if resolve(data_dir, spec) is None:
        raise FileNotFoundError(f"{data_dir / spec.path}: not found (contract file {spec.key!r})")
    report = validate_directory(data_dir, keys=[spec.key])
    files = {p for p in report.checked}
    if report.errors:
        raise DataError(report, files)
    return localise(_typed(report.frames[spec.key], spec), spec, lang)


def load_optional(data_dir: str | Path, key: str, lang: str | None = None) -> pd.DataFrame | None:
    """:func:`load`, or None when the (optional) file is not in ``data_dir``."""
    if resolve(Path(data_dir), file_spec(key)) is None:
        return None
    return load(data_dir, key, lang)


def load_public(data_dir: str | Path, key: str) -> pd.DataFrame:
    """Validated rows of a public (BPS) file by key or file name ("bps_regency_p0_2010_2018.csv")."""
    return load(data_dir, public_file(key).key)


def sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MIXED = "mixed"  # a study file holding illustrative and field studies (registry data_kind)


def declared_data_kinds(data_dir: str | Path) -> dict[str, str]:
    """Site -> ``data_kind`` ("illustrative" or "field") for the registry rows that declare one."""
    data_dir = Path(data_dir)
    if resolve(data_dir, STUDIES) is None:
        return {}
    registry = load(data_dir, "studies")
    if "data_kind" not in registry:
        return {}
    declared = registry.dropna(subset=["data_kind"])
    return dict(zip(declared["site"].astype(str), declared["data_kind"].astype(str)))


def _sites_in(data_dir: Path, spec: FileSpec) -> list[str]:
    """The sites a study file holds rows of (its ``site`` column), in order of appearance."""
    if "site" not in spec.columns:
        return []
    return list(dict.fromkeys(load(data_dir, spec.key)["site"].astype(str)))


def illustrative_sites(data_dir: str | Path, key: str) -> list[str]:
    """The sites of a study file whose registry rows declare illustrative data."""
    kinds = declared_data_kinds(data_dir)
    spec = file_spec(key)
    if resolve(Path(data_dir), spec) is None:
        return []
    return [s for s in _sites_in(Path(data_dir), spec) if kinds.get(s) == "illustrative"]


def edition(data_dir: str | Path, key: str, site: str | None = None) -> str:
    """ "illustrative", "real", "field" or "mixed" for a data file, or for one study's rows of it
    when ``site`` is given (see the module docstring)."""
    spec = file_spec(key)
    data_dir = Path(data_dir)
    path = resolve(data_dir, spec)
    if path is not None and spec in STUDY_FILES and spec is not STUDIES:
        kinds = declared_data_kinds(data_dir)
        if site is not None and site in kinds:
            return kinds[site]
        if site is None and kinds:
            declared = {kinds[s] for s in _sites_in(data_dir, spec) if s in kinds}
            undeclared = [s for s in _sites_in(data_dir, spec) if s not in kinds]
            if declared and not undeclared:
                return declared.pop() if len(declared) == 1 else MIXED
            if declared and "illustrative" in declared:
                return MIXED
    descriptor = data_dir / "datapackage.json"
    if path is None or not descriptor.is_file():
        return "field"
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources", [])
    except ValueError:
        return "field"
    relative = path.relative_to(data_dir).as_posix()
    for resource in resources:
        if resource.get("name") == spec.key or resource.get("path") == relative:
            marked = resource.get("edition")
            recorded = str(resource.get("hash", "")).removeprefix("sha256:")
            if marked in ("illustrative", "real", "published") and recorded == sha256(path):
                return marked
            return "field"
    return "field"


def _in_language(notes: dict, lang: str | None = None) -> dict:
    """Generator notes with each ``key@<lang>`` of ``lang`` (default: the current language) in
    place of ``key``."""
    from analysis.i18n import language

    suffix = f"@{lang or language()}"
    chosen = {k: v for k, v in notes.items() if "@" not in k}
    chosen.update({k.removesuffix(suffix): v for k, v in notes.items() if k.endswith(suffix) and v})
    return chosen


def generation_notes(
    data_dir: str | Path, key: str, site: str | None = None, lang: str | None = None
) -> dict:
    """How an illustrative file was generated (its ``illustrative`` property in datapackage.json),
    its texts in ``lang`` (default: the current language).

    Empty unless :func:`edition` says the file (or ``site``'s rows of it) is illustrative: a
    researcher's own data never carry the generator's notes.
    """
    if edition(data_dir, key, site) != "illustrative":
        return {}
    spec = file_spec(key)
    descriptor = Path(data_dir) / "datapackage.json"
    if not descriptor.is_file():
        return {}
    resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources", [])
    for resource in resources:
        if isinstance(resource, dict) and resource.get("name") == spec.key:
            notes = resource.get("illustrative")
            return _in_language(dict(notes), lang) if isinstance(notes, dict) else {}
    return {}
