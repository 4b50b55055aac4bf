"""Write ``data/public/regency_boundaries.geojson`` from cahyadsn/wilayah_boundaries (MIT).

One-off preparation step, not part of a build (the book reads only the vendored file, with no
network). Input: the repository's ``db/kab/wilayah_boundaries_kab_<province>.sql`` files (one
``INSERT`` a province; each row ``('35.17','Kabupaten Jombang',lat,lng,'<polygon as JSON>')``,
polygon points as ``[latitude, longitude]``, already simplified by their author). Output: a GeoJSON
FeatureCollection, one feature an area, ``properties`` = ``area_code`` (the 4-digit code,
``35.17`` -> ``3517``) and ``name``; points turned to GeoJSON's ``[longitude, latitude]`` and
simplified as one coverage with shapely's ``coverage_simplify`` (``--tolerance`` degrees: borders
shared by two areas are simplified once, so neighbours keep meeting without gaps), rounded to
``--digits`` decimals (3 = about 110 m), points repeated by the rounding dropped, rings left with
fewer than four points dropped, and islets under ``--min-area`` square degrees (0.0005, about
6 km2, a speck on a province map) left out unless they are the whole area. shapely (PyPI) is needed for this step only, not by the book.

    python scripts/vendor_regency_boundaries.py DIR_WITH_SQL_FILES data/public/regency_boundaries.geojson
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROW = re.compile(
    r"\('(?P<code>\d\d\.\d\d)','(?P<name>(?:[^']|'')*)',(?P<lat>-?[\d.]+),(?P<lng>-?[\d.]+),'(?P<path>\[.*?\])'\)\s*[,;]",
    re.S,
)


def _ring(points: list, digits: int) -> list | None:
    out: list[list[float]] = []
    for lng, lat in points:
        point = [round(float(lng), digits), round(float(lat), digits)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def _polygons(path: list) -> list[list]:
    """The polygons of a row's path, a polygon (rings of points) or a list of them."""
    depth, node = 0, path
    while isinstance(node, list):
        depth, node = depth + 1, node[0] if node else None
    return [path] if depth == 3 else path


def geometry(path: list, digits: int) -> dict | None:
    polygons = []
    for polygon in _polygons(path):
        rings = [_ring(ring, digits) for ring in polygon]
        if rings and rings[0] is not None:
            polygons.append([rings[0]] + [r for r in rings[1:] if r is not None])
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _lng_lat(node):
    """The path with every ``[latitude, longitude]`` point turned to ``[longitude, latitude]``."""
    if node and isinstance(node[0], list):
        return [_lng_lat(child) for child in node]
    return [node[1], node[0]]


def simplify(paths: list[list], tolerance: float, min_area: float = 0.0) -> list[list]:
    """The areas' polygons simplified together as one coverage (shapely >= 2.1), without the
    islets smaller than ``min_area`` square degrees (an area's largest polygon is always kept)."""
    import shapely  # noqa: PLC0415 - needed by this preparation step only

    shapes = [shapely.geometry.shape(geometry(path, 12)) for path in paths]
    shapes = [shapely.make_valid(s) if not s.is_valid else s for s in shapes]
    simplified = shapely.coverage_simplify(shapes, tolerance)
    out = []
    for shape in simplified:
        mapping = shapely.geometry.mapping(shape)
        polygons = [mapping["coordinates"]] if mapping["type"] == "Polygon" else None
        if mapping["type"] == "MultiPolygon":
            polygons = list(mapping["coordinates"])
        if mapping["type"] == "GeometryCollection":
            polygons = [
                g["coordinates"] for g in mapping["geometries"] if g["type"] == "Polygon"
            ] + [
                p
                for g in mapping["geometries"]
                if g["type"] == "MultiPolygon"
                for p in g["coordinates"]
            ]
        if min_area > 0 and len(polygons) > 1:
            areas = [shapely.geometry.Polygon(p[0], p[1:]).area for p in polygons]
            largest = max(areas)
            polygons = [
                p for p, a in zip(polygons, areas, strict=True) if a >= min_area or a == largest
            ]
        out.append([[list(map(list, ring)) for ring in polygon] for polygon in polygons])
    return out


def features(
    texts: list[str], digits: int, tolerance: float = 0.0, min_area: float = 0.0
) -> list[dict]:
    rows = [m for text in texts for m in ROW.finditer(text)]
    paths = [_polygons(_lng_lat(json.loads(m["path"]))) for m in rows]
    if tolerance > 0:
        paths = simplify(paths, tolerance, min_area)
    out = []
    for match, path in zip(rows, paths, strict=True):
        shape = geometry(path, digits)
        if shape is None:
            continue
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "area_code": match["code"].replace(".", ""),
                    "name": match["name"].replace("''", "'"),
                },
                "geometry": shape,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with wilayah_boundaries_kab_*.sql")
    parser.add_argument("out", type=Path)
    parser.add_argument("--digits", type=int, default=3)
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--min-area", type=float, default=0.0005)
    args = parser.parse_args(argv)
    texts = [
        sql.read_text(encoding="utf-8")
        for sql in sorted(args.source.glob("wilayah_boundaries_kab_*.sql"))
    ]
    collected = features(texts, args.digits, args.tolerance, args.min_area)
    collected.sort(key=lambda f: f["properties"]["area_code"])
    collection = {"type": "FeatureCollection", "features": collected}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    # one feature a line: diffs stay readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(collected)} areas, {args.out.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
