"""Where the regencies and cities lie: their boundaries, matched to the BPS codes (numbers only).

The boundaries are ``data/public/regency_boundaries.geojson`` (one feature an area, ``area_code``
the 4-digit BPS/Kemendagri code, ``name``; longitude and latitude in degrees, WGS 84), vendored
from cahyadsn/wilayah_boundaries (MIT) and simplified to under 1 MB by
``scripts/vendor_regency_boundaries.py``; its source and licence are in ``data/datapackage.json``.
Reading it needs no network and no GIS library: a polygon is a list of rings, a ring an
``(n, 2)`` array of (longitude, latitude).

Nothing here writes words: :mod:`analysis.report.map` draws the map and says what it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: The boundary file, relative to the data directory.
BOUNDARIES_PATH = "public/regency_boundaries.geojson"

Ring = np.ndarray
Polygon = list  # [outer ring, hole, hole, ...]


@dataclass(frozen=True)
class Boundaries:
    """The areas' shapes by 4-digit code (``shapes[code]`` = its polygons) and the file's names."""

    shapes: dict[str, list[Polygon]]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return sorted(self.shapes)


def _polygons(geometry: dict) -> list[Polygon]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coordinates = [coordinates]
    elif kind != "MultiPolygon":
        raise ValueError(f"a boundary must be a Polygon or MultiPolygon, not {kind!r}")
    return [
        [np.asarray(ring, dtype=float).reshape(-1, 2) for ring in polygon]
        for polygon in coordinates
        if polygon
    ]


def read_boundaries(path: Path | str) -> Boundaries:
    """The boundaries in a GeoJSON FeatureCollection whose features carry ``area_code``."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    shapes: dict[str, list[Polygon]] = {}
    names: dict[str, str] = {}
    for feature in collection.get("features", []):
        properties = feature.get("properties") or {}
        code = str(properties.get("area_code", "")).strip()
        if not (len(code) == 4 and code.isdigit()):
            raise ValueError(f"{path}: a feature without a 4-digit area_code: {properties!r}")
        shapes.setdefault(code, []).extend(_polygons(feature.get("geometry") or {}))
        names.setdefault(code, str(properties.get("name", "")))
    return Boundaries(shapes, names)


def load_boundaries(data_dir: Path | str) -> Boundaries:
    """The book's vendored boundary file (:data:`BOUNDARIES_PATH`) of ``data_dir``; no shapes
    when the folder has no such file (a researcher's data folder need not carry one: the map
    then names its areas in a table)."""
    path = Path(data_dir) / BOUNDARIES_PATH
    if not path.is_file():
        return Boundaries({}, {})
    return read_boundaries(path)


def name_key(name: str) -> str:
    """A name as the matching compares it: lower case letters and digits only, without the words
    "Kabupaten" and "Administrasi" (the file writes "Kabupaten Fak Fak" and "Kota Administrasi
    Jakarta Pusat", BPS "Fakfak" and "Kota Jakarta Pusat"); "Kota" stays, so that a city and the
    regency of the same name stay apart. Renamed areas (Toba Samosir, now Toba) do not match."""
    text = str(name).lower()
    for word in ("kabupaten", "kab.", "administrasi"):
        text = text.replace(word, "")
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Match:
    """How a list of areas finds its shapes in the boundary file.

    ``codes``: BPS code -> the file's code of the same area. An area is matched by its code when
    the names agree too, else by its name alone when exactly one unmatched feature of the file has
    that name (codes differ where BPS and Kemendagri number an area differently, e.g. the Papua
    provinces, BPS 94 = Kemendagri 91). ``by_name``: the codes matched by name. ``missing``: the
    areas (area_code, area_name) the file has no shape for, which a map names instead of drawing.
    """

    codes: dict[str, str]
    by_name: list[str]
    missing: pd.DataFrame

    @property
    def mapped(self) -> list[str]:
        return sorted(self.codes)

    @property
    def complete(self) -> bool:
        return self.missing.empty


def match(boundaries: Boundaries, areas: pd.DataFrame) -> Match:
    """Match ``areas`` (columns area_code, area_name) to the boundary file (see :class:`Match`)."""
    rows = areas[["area_code", "area_name"]].astype(str).drop_duplicates("area_code")
    file_keys = {code: name_key(boundaries.names.get(code, "")) for code in boundaries.shapes}
    codes: dict[str, str] = {}
    for code, name in rows.itertuples(index=False):
        if code in boundaries.shapes and file_keys.get(code) == name_key(name):
            codes[code] = code
    taken = set(codes.values())
    free: dict[str, list[str]] = {}
    for code, key in file_keys.items():
        if code not in taken:
            free.setdefault(key, []).append(code)
    by_name = []
    for code, name in rows.itertuples(index=False):
        candidates = free.get(name_key(name), [])
        if code not in codes and len(candidates) == 1:
            codes[code] = candidates[0]
            by_name.append(code)
    missing = rows[~rows["area_code"].isin(codes)]
    return Match(codes, sorted(by_name), missing.sort_values("area_code").reset_index(drop=True))


def bounds(polygons) -> tuple[float, float, float, float]:
    """(west, south, east, north) of some polygons, in degrees."""
    points = np.concatenate([ring for polygon in polygons for ring in polygon])
    west, south = points.min(axis=0)
    east, north = points.max(axis=0)
    return float(west), float(south), float(east), float(north)


def label_point(polygons) -> tuple[float, float]:
    """A point to label an area at: the vertex mean of its largest polygon's outer ring."""

    def area(ring):
        x, y = ring[:, 0], ring[:, 1]
        return abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))) / 2

    largest = max(polygons, key=lambda polygon: area(polygon[0]))[0]
    x, y = largest[:-1].mean(axis=0) if len(largest) > 1 else largest[0]
    return float(x), float(y)


@dataclass(frozen=True)
class AreaMap:
    """What a P0 map of some areas shows.

    ``table``: area_code, area_name, p0 (percent), marked (an area the chapter points out),
    mapped (the boundary file has it), sorted by P0, highest first. ``shapes``: the mapped
    areas' polygons by code. ``place`` and ``year`` say what the areas are (a province's name).
    """

    table: pd.DataFrame
    shapes: dict[str, list[Polygon]]
    place: str
    year: int

    @property
    def missing(self) -> pd.DataFrame:
        return self.table.loc[~self.table["mapped"], ["area_code", "area_name", "p0"]].reset_index(
            drop=True
        )

    def extent(self) -> tuple[float, float, float, float]:
        return bounds([p for polygons in self.shapes.values() for p in polygons])

    def to_dict(self) -> dict:
        """The map's numbers: lowest, highest, the marked areas' values, what is drawn."""
        t = self.table
        highest, lowest = t.iloc[0], t.iloc[-1]
        return {
            "n_areas": int(len(t)),
            "n_mapped": int(t["mapped"].sum()),
            "n_missing": int((~t["mapped"]).sum()),
            "lowest_code": str(lowest["area_code"]),
            "lowest_name": str(lowest["area_name"]),
            "lowest_p0": float(lowest["p0"]),
            "highest_code": str(highest["area_code"]),
            "highest_name": str(highest["area_name"]),
            "highest_p0": float(highest["p0"]),
            "marked": [
                {"area_code": str(r.area_code), "area_name": str(r.area_name), "p0": float(r.p0)}
                for r in t[t["marked"]].itertuples()
            ],
        }


def area_map(overview, boundaries: Boundaries) -> AreaMap:
    """The map of a province overview (:func:`analysis.methods.province.province_overview`):
    its areas' P0 and marks, with the shapes the boundary file has for them."""
    table = overview.table[["area_code", "area_name", "p0", "marked"]].copy()
    table["area_code"] = table["area_code"].astype(str)
    found = match(boundaries, table)
    table["mapped"] = table["area_code"].isin(found.codes)
    table = table.sort_values(["p0", "area_code"], ascending=[False, True]).reset_index(drop=True)
    shapes = {c: boundaries.shapes[found.codes[c]] for c in table.loc[table["mapped"], "area_code"]}
    return AreaMap(table, shapes, str(overview.province_name), int(overview.year))


__all__ = [
    "BOUNDARIES_PATH",
    "AreaMap",
    "Boundaries",
    "Match",
    "area_map",
    "bounds",
    "label_point",
    "load_boundaries",
    "match",
    "name_key",
    "read_boundaries",
]
