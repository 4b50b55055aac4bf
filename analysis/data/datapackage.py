"""``data/datapackage.json``: a Frictionless Data Package describing every data file, built from the contract.

Each resource carries title, description, sources, licence, ``edition`` (real / illustrative /
field, a custom property), the file's sha256 (``hash: "sha256:..."``) and size, and a table
schema whose fields have type, description, constraints and ``unit`` (custom property). The
book's data-dictionary appendix is generated from this file.

``python -m analysis datapackage [DIR]`` writes it; ``--check`` writes nothing and compares every
file with its recorded sha256. Exit codes of the check, like ``diff``: 0 every file matches,
1 a file changed, is missing, or is not described (re-run without ``--check`` after reviewing the
change), 2 the descriptor is missing or unreadable.

Edition when writing: the edition the existing descriptor records for a resource is kept
(regenerated illustrative data stays illustrative); a file not yet described takes the contract's
edition (``real`` for the BPS files, ``illustrative`` for study files); :func:`write_datapackage`
accepts explicit editions (``"field"`` for a researcher's own data).
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.contract import (
    ALL_FILES,
    PUBLIC_FILES,
    FileSpec,
    companion_problem,
    split_companion,
)
from analysis.data.csvfile import _separator
from analysis.data.loading import sha256
from analysis.data.validate import resolve
from analysis.i18n import N_
from analysis.project import EXIT_BAD_INPUT, EXIT_CHANGED, EXIT_OK

DESCRIPTOR = "datapackage.json"
#: Languages companion columns are in, as the descriptor names them (English text).
LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}

STUDY_SOURCES = [
    {
        "title": N_("Jombang study (qualitative descriptive; article abstract)"),
        "path": "https://garuda.kemdiktisaintek.go.id/documents/detail/2389141",
    },
    {
        "title": N_("Kelurahan Pakis, Banyuwangi study (thesis, 2017)"),
        "path": "https://repository.unej.ac.id/handle/123456789/87943",
    },
]
PUBLIC_SOURCES = {
    "bps_regency_p0": [
        {
            "title": N_(
                "Badan Pusat Statistik, headcount poverty rate by regency/city, as compiled by Miranti (2020), "
                "Regional Poverty Convergence across Districts in Indonesia: A Distribution Dynamics Approach"
            ),
            "path": "https://github.com/quarcs-lab/tutorial-distribution-dynamics--Master-s-Thesis-Cani-Chapter-2/blob/acbaec75eee6ed15373c346a4058910b70e4eb6e/data/poverty.csv",
        },
    ],
    "bps_province_poverty": [
        {
            "title": N_(
                "Badan Pusat Statistik, Jumlah dan Persentase Penduduk Miskin Menurut Provinsi (2015-2025), "
                "as kept in akbaralqahri/Kemiskinan-Indonesia"
            ),
            "path": "https://github.com/akbaralqahri/Kemiskinan-Indonesia/tree/424c0a5e83fd2050e165b220de1a36f8dc033e80/data/raw/poverty",
        },
    ],
    "regency_updates": [
        {
            "title": N_(
                "News pages quoting BPS and regency officials; each row names its page (column source_url)"
            ),
            "path": "https://discoverybanyuwangi.blogspot.com/2016/01/3900-penduduk-miskin-berhasil-dientas.html",
        },
    ],
    "cpi_inflation_national": [
        {
            "title": N_(
                "News pages quoting the head of BPS on December-on-December inflation; each row names its page"
            ),
            "path": "https://infobanknews.com/bps-inflasi-sepanjang-2016-sentuh-302/amp",
        },
    ],
}
LICENSES = {
    "real": [
        {
            "name": "other-at",
            "title": N_(
                "Official statistics of BPS-Statistics Indonesia: public information, "
                "reused with attribution to Badan Pusat Statistik and to the page cited on each row"
            ),
            "path": "https://www.bps.go.id",
        }
    ],
    "illustrative": [
        {
            "name": "CC-BY-4.0",
            "title": N_("Creative Commons Attribution 4.0"),
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ],
    "published": [
        {
            "name": "other-at",
            "title": N_(
                "Facts of published studies, quoted from their records with attribution (the "
                "reference column of each row)"
            ),
        }
    ],
    "field": [
        {
            "name": "other-closed",
            "title": N_("Researcher's own field data: terms set by the researcher"),
        }
    ],
}
#: The source repository of the regency boundaries, at the commit the vendored file was made from.
BOUNDARY_REPOSITORY = "https://github.com/cahyadsn/wilayah_boundaries"
BOUNDARY_COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
#: Data files that are not tables of the contract, described here: the regency boundaries the
#: P0 map is drawn from (:mod:`analysis.methods.geography`). Their size and sha256 are added
#: when the descriptor is written and checked like every other file's.
OTHER_RESOURCES = (
    {
        "name": "regency_boundaries",
        "path": "public/regency_boundaries.geojson",
        "profile": "data-resource",
        "title": N_("Boundaries of the 514 regencies and cities (simplified, for maps)"),
        "description": N_(
            "GeoJSON FeatureCollection, one feature a regency or city (Polygon or MultiPolygon, "
            "longitude and latitude in degrees, WGS 84), from cahyadsn/wilayah_boundaries "
            "(db/kab/wilayah_boundaries_kab_*.sql, boundaries after Kepmendagri 300.2.2-2430/2025, "
            "already simplified by their author; MIT licence). Made by "
            "scripts/vendor_regency_boundaries.py: points as longitude, latitude; simplified as "
            "one coverage with shapely's coverage_simplify (tolerance 0.01 degree, about 1 km; "
            "shared borders simplified once), islets under 0.0005 square degrees left out unless "
            "they are the whole area, coordinates rounded to 3 decimals. Codes are Kemendagri's, "
            "which differ from BPS's for some areas: analysis.methods.geography matches by code "
            "where the names agree, else by name. For drawing maps, not for measuring areas."
        ),
        "edition": "real",
        "format": "geojson",
        "mediatype": "application/geo+json",
        "encoding": "utf-8",
        "sources": [
            {
                "title": N_(
                    "cahyadsn/wilayah_boundaries, Data boundaries wilayah administrasi "
                    "pemerintahan Indonesia (Cahya DSN), retrieved 2026-12-07"
                ),
                "path": f"{BOUNDARY_REPOSITORY}/tree/{BOUNDARY_COMMIT}/db/kab",
            }
        ],
        "licenses": [
            {
                "name": "MIT",
                "title": N_(
                    "MIT License, copyright (c) 2024 Cahya DSN (the source repository's "
                    "licence, in data/public/regency_boundaries.LICENSE); redistribution allowed with "
                    "the notice"
                ),
                "path": f"{BOUNDARY_REPOSITORY}/blob/{BOUNDARY_COMMIT}/LICENSE",
            }
        ],
        "schema": {
            "fields": [
                {
                    "name": "area_code",
                    "type": "string",
                    "description": N_(
                        "Feature property: 4-digit Kemendagri code of the regency or "
                        "city (3517 Jombang, 3510 Banyuwangi)."
                    ),
                    "unit": None,
                    "constraints": {"required": True, "unique": True},
                },
                {
                    "name": "name",
                    "type": "string",
                    "description": N_(
                        "Feature property: name as Kemendagri writes it (Kabupaten Jombang)."
                    ),
                    "unit": None,
                    "constraints": {"required": True},
                },
                {
                    "name": "geometry",
                    "type": "geojson",
                    "description": N_(
                        "The area's outline: Polygon or MultiPolygon, [longitude, "
                        "latitude] in degrees."
                    ),
                    "unit": "degree",
                },
            ]
        },
    },
)


def _texts(value) -> set[str]:
    """Every ``title`` and ``description`` inside ``value`` (dicts and lists, walked)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("title", "description") and isinstance(item, str):
                found.add(item)
            else:
                found |= _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= _texts(item)
    return found


#: The texts this module writes into a descriptor (titles of sources and licences, descriptions of
#: the files outside the contract and of their fields), all marked for translation: the report
#: layer shows them in the edition's language (a researcher's own text stays as written).
DESCRIPTOR_TEXTS = frozenset(
    _texts([STUDY_SOURCES, PUBLIC_SOURCES, LICENSES, OTHER_RESOURCES])
    | {"The researcher's own study (see study/studies.csv)"}
)
ILLUSTRATIVE_NOTE = N_(
    "ILLUSTRATIVE DATA, not field results: generated by seeded code (analysis/illustrative.py) and "
    "calibrated to what the two studies report. "
)
FIELD_NOTE = N_("Field data supplied by the researcher. ")
PUBLISHED_NOTE = N_(
    "PUBLISHED FACTS of the studies, not generated: their titles, places, designs and claims as "
    "their published records give them. "
)
#: The notes that open a resource's description, by edition.
EDITION_NOTES = {
    "illustrative": ILLUSTRATIVE_NOTE,
    "field": FIELD_NOTE,
    "published": PUBLISHED_NOTE,
}


def _field(f) -> dict:
    out = {"name": f.name, "type": f.type, "description": f.description, "unit": f.unit}
    constraints = {}
    if not f.nullable:
        constraints["required"] = True
    if f.unique:
        constraints["unique"] = True
    if f.enum:
        constraints["enum"] = list(f.enum)
    if f.minimum is not None:
        constraints["minimum"] = int(f.minimum) if f.type == "integer" else f.minimum
    if f.maximum is not None:
        constraints["maximum"] = int(f.maximum) if f.type == "integer" else f.maximum
    if constraints:
        out["constraints"] = constraints
    if f.references:
        out["references"] = {"resource": f.references[0], "field": f.references[1]}
    if f.translatable:
        out["x-translatable"] = True
    return out


def _extra_field(spec: FileSpec, column: str) -> dict:
    """A column the contract does not list: a companion column with a translation, or an extra."""
    pair = split_companion(column)
    if pair is not None and companion_problem(spec, column) is None:
        base, lang = pair
        return {
            "name": column,
            "type": "string",
            "description": (
                f"{LANGUAGE_NAMES.get(lang, lang)} text of {base} for the {lang} edition; "
                f"an empty cell shows the text of {base}."
            ),
            "unit": None,
            "x-translation-of": base,
            "x-language": lang,
        }
    return {
        "name": column,
        "type": "string",
        "description": "Extra column, not in the data contract.",
        "unit": None,
    }


def _header(path: Path) -> tuple[list[str], str]:
    """Column names and separator of a CSV file (first line)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
    separator = _separator(first)
    return next(csv.reader([first], delimiter=separator)), separator


def _sources(spec: FileSpec, edition: str) -> list[dict]:
    """Where a file's rows come from: the BPS releases of a public file, the shipped studies of
    the illustrative data, the researcher's own study of field data."""
    if spec in PUBLIC_FILES:
        return PUBLIC_SOURCES.get(spec.key, [])
    if edition == "field":
        return [{"title": N_("The researcher's own study (see study/studies.csv)")}]
    return STUDY_SOURCES


def resource_for(spec: FileSpec, path: Path, relative: str, edition: str) -> dict:
    """The descriptor of one data file: the contract's fields for the columns the file has, in its order."""
    note = EDITION_NOTES.get(edition, "")
    columns, separator = _header(path)
    declared = {f.name: f for f in spec.fields}
    fields = [
        _field(declared[c]) if c in declared else _extra_field(spec, c)
        for c in (c.strip() for c in columns)
    ]
    schema = {"fields": fields, "missingValues": [""]}
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    foreign = [
        {"fields": f.name, "reference": {"resource": f.references[0], "fields": f.references[1]}}
        for f in spec.fields
        if f.references
    ]
    if foreign:
        schema["x-references"] = (
            foreign  # informative: validated by analysis.data.validate, not by frictionless
        )
    resource = {
        "name": spec.key,
        "path": relative,
        "profile": "tabular-data-resource",
        "title": ("Illustrative: " if edition == "illustrative" else "") + spec.title,
        "description": note + spec.description,
        "edition": edition,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": path.stat().st_size,
        "hash": "sha256:" + sha256(path),
        "sources": _sources(spec, edition),
        "licenses": LICENSES[edition],
        "schema": schema,
    }
    if separator != ",":
        resource["dialect"] = {"delimiter": separator}
    return resource


def read_descriptor(directory: Path) -> dict | None:
    path = Path(directory) / DESCRIPTOR
    if not path.is_file():
        return None
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return descriptor if isinstance(descriptor, dict) else None


def build_descriptor(
    directory: Path, editions: dict[str, str] | None = None, notes: dict[str, dict] | None = None
) -> dict:
    """The descriptor of every contract file present in ``directory`` (nothing is written).

    ``notes`` (by key) become a resource's ``illustrative`` property: how a generated file was
    made (e.g. the calibration of the illustrative incomes), for the chapters to quote. Notes
    already recorded are kept while the file stays illustrative.
    """
    directory = Path(directory)
    old = [
        r for r in (read_descriptor(directory) or {}).get("resources", []) if isinstance(r, dict)
    ]
    previous = {r.get("name"): r.get("edition") for r in old}
    kept_notes = {r.get("name"): r["illustrative"] for r in old if "illustrative" in r}
    kept_notes.update(notes or {})
    resources = []
    for spec in ALL_FILES:
        path = resolve(directory, spec)
        if path is None:
            continue
        edition = (editions or {}).get(spec.key) or previous.get(spec.key) or spec.edition
        if spec.edition == "published" and edition == "illustrative":
            edition = "published"  # the registry's facts are the studies', never generated
        resource = resource_for(spec, path, path.relative_to(directory).as_posix(), edition)
        if edition == "illustrative" and spec.key in kept_notes:
            resource["illustrative"] = kept_notes[spec.key]
        resources.append(resource)
    for other in OTHER_RESOURCES:
        path = directory / other["path"]
        if path.is_file():
            resources.append(
                {**other, "bytes": path.stat().st_size, "hash": "sha256:" + sha256(path)}
            )
    kinds = sorted({r["edition"] for r in resources})
    tabular = all(r.get("profile") == "tabular-data-resource" for r in resources)
    return {
        # a package with a non-tabular file (the boundaries) is a plain data package
        "profile": "tabular-data-package" if tabular else "data-package",
        "name": "poverty-programmes-data",
        "title": "Data of the poverty-programmes book (Jombang; Kelurahan Pakis, Banyuwangi)",
        "description": (
            "Real published BPS statistics (edition 'real'), the studies' published facts (the "
            "registry, edition 'published') and the study files (edition 'illustrative' for the "
            "generated dataset shipped with the book, 'field' for a researcher's own data). "
            "Editions present: " + ", ".join(kinds) + ". Each resource records its sha256: "
            "`python -m analysis datapackage --check` reports files that changed."
        ),
        "licenses": LICENSES["illustrative"],
        "resources": resources,
    }


def write_datapackage(
    directory: Path | str,
    editions: dict[str, str] | None = None,
    notes: dict[str, dict] | None = None,
) -> Path:
    """Write ``directory/datapackage.json`` (sorted keys, stable: same files, same bytes)."""
    directory = Path(directory)
    descriptor = build_descriptor(directory, editions, notes)
    path = directory / DESCRIPTOR
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@dataclass
class HashCheck:
    """Result of comparing files with the sha256 the descriptor records."""

    directory: Path
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    undescribed: list[str] = field(default_factory=list)
    matching: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.undescribed)

    def summary(self) -> str:
        lines = [
            f"{p}: sha256 differs from datapackage.json: the data changed since it was described"
            for p in self.changed
        ]
        lines += [f"{p}: listed in datapackage.json but missing" for p in self.missing]
        lines += [f"{p}: a data file datapackage.json does not describe" for p in self.undescribed]
        lines.append(
            f"{'OK' if self.ok else 'CHANGED'}: {len(self.matching)} file(s) match their recorded sha256"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "changed": self.changed,
            "missing": self.missing,
            "undescribed": self.undescribed,
            "matching": self.matching,
        }


def check_hashes(directory: Path | str, descriptor: dict) -> HashCheck:
    directory = Path(directory)
    result = HashCheck(directory)
    described = set()
    for resource in descriptor.get("resources", []):
        relative = resource.get("path")
        described.add(relative)
        path = directory / str(relative)
        if not path.is_file():
            result.missing.append(relative)
        elif str(resource.get("hash", "")).removeprefix("sha256:") != sha256(path):
            result.changed.append(relative)
        else:
            result.matching.append(relative)
    for spec in ALL_FILES:
        path = resolve(directory, spec)
        if path is not None and path.relative_to(directory).as_posix() not in described:
            result.undescribed.append(path.relative_to(directory).as_posix())
    for other in OTHER_RESOURCES:
        if (directory / other["path"]).is_file() and other["path"] not in described:
            result.undescribed.append(other["path"])
    return result


def main(directory: Path | str, check: bool = False) -> int:
    """``python -m analysis datapackage [DIR] [--check]`` (exit codes in the module docstring)."""
    directory = Path(directory)
    if not check:
        path = write_datapackage(directory)
        print(f"wrote {path}")
        return EXIT_OK
    descriptor = read_descriptor(directory)
    if descriptor is None:
        print(
            f"{directory / DESCRIPTOR}: missing or not valid JSON; write it with `python -m analysis datapackage {directory}`",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    result = check_hashes(directory, descriptor)
    print(result.summary(), file=sys.stdout if result.ok else sys.stderr)
    return EXIT_OK if result.ok else EXIT_CHANGED
