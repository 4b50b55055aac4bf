"""The P0 map of a province's regencies and cities, in the edition's language.

:func:`p0_map` returns the map (a choropleth on a colour-blind-safe sequential scale, cividis,
the study areas outlined and named), its alt text with the numbers, and the table beside it; the
areas the boundary file has no shape for are named in a second table. Drawing needs no network:
the shapes come from :mod:`analysis.methods.geography` (the vendored boundary file).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import figures
from analysis.methods.geography import AreaMap, label_point
from analysis.report.parts import Figure, Part, Table, Text
from analysis.report.words import Words

#: The sequential scale: cividis (Nuñez, Anderton & Renslow 2018), readable with any colour
#: vision and in greyscale; reversed so that a higher poverty rate is darker.
CMAP = "cividis_r"
#: Outline of the marked (study) areas.
MARK_COLOUR, MARK_WIDTH = "#D55E00", 1.8


def _ring_path(polygon):
    """A matplotlib path of a polygon: its outer ring, and its holes drawn the other way round."""
    from matplotlib.path import Path

    def signed(ring):
        x, y = ring[:, 0], ring[:, 1]
        return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))

    rings = []
    for k, ring in enumerate(polygon):
        counter_clockwise = signed(ring) > 0
        if counter_clockwise != (k == 0):
            ring = ring[::-1]
        rings.append(Path(ring, closed=True))
    return Path.make_compound_path(*rings)


def _area_path(polygons):
    from matplotlib.path import Path

    return Path.make_compound_path(*(_ring_path(p) for p in polygons))


def plot_p0_map(area_map: AreaMap, *, lang: str):
    """The choropleth: every mapped area coloured by P0, the marked areas outlined and named."""
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.collections import PathCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    w = Words(lang)
    t = area_map.table[area_map.table["mapped"]]
    west, south, east, north = area_map.extent()
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    width = figures.TEXT_WIDTH_IN
    height = min(7.5, max(2.6, width * 0.8 * (north - south) * aspect / (east - west) + 1.1))
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    paths = [_area_path(area_map.shapes[code]) for code in t["area_code"]]
    norm = Normalize(vmin=float(t["p0"].min()), vmax=float(t["p0"].max()))
    areas = PathCollection(
        paths, array=t["p0"].to_numpy(dtype=float), cmap=CMAP, norm=norm, edgecolor="white"
    )
    areas.set_linewidth(0.4)
    ax.add_collection(areas)
    marked = t[t["marked"]]
    ax.add_collection(
        PathCollection(
            [_area_path(area_map.shapes[code]) for code in marked["area_code"]],
            facecolor="none",
            edgecolor=MARK_COLOUR,
            linewidth=MARK_WIDTH,
        )
    )
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for row in marked.itertuples():
        x, y = label_point(area_map.shapes[row.area_code])
        ax.annotate(
            f"{row.area_name}\n{w.percent(row.p0, 2)}",
            (x, y),
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold",
            path_effects=halo,
        )
    pad = 0.02 * max(east - west, north - south)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)
    ax.set_aspect(aspect)
    ax.set_axis_off()
    ax.set_title(
        w._("P0 by regency and city, {place}, {year}").format(
            place=area_map.place, year=area_map.year
        )
    )
    bar = fig.colorbar(areas, ax=ax, orientation="horizontal", shrink=0.6, pad=0.02, aspect=40)
    bar.set_label(w._("Population below the poverty line, March (%)"))
    ticks = [
        v
        for v in MaxNLocator(6, steps=[1, 2, 5, 10]).tick_values(norm.vmin, norm.vmax)
        if norm.vmin <= v <= norm.vmax
    ]
    bar.set_ticks(ticks, labels=[w.number(v, 0 if float(v).is_integer() else 1) for v in ticks])
    if len(marked):
        outline = Patch(
            facecolor="none",
            edgecolor=MARK_COLOUR,
            linewidth=MARK_WIDTH,
            label=w._("the study areas"),
        )
        ax.legend(handles=[outline], loc="lower left", fontsize=7.5, frameon=False)
    return fig


def alt_text(area_map: AreaMap, *, lang: str) -> str:
    """What the map shows, with its numbers: the range, the study areas, what is not drawn."""
    w = Words(lang)
    d = area_map.to_dict()
    text = w._(
        "Map of the {n} regencies and cities of {place}, each coloured by its P0 in March {year} "
        "(share of the people below the poverty line; darker is higher). Lowest: {lowest} "
        "({lowest_p0}); highest: {highest} ({highest_p0})."
    ).format(
        n=w.integer(d["n_areas"]),
        place=area_map.place,
        year=area_map.year,
        lowest=d["lowest_name"],
        lowest_p0=w.percent(d["lowest_p0"], 2),
        highest=d["highest_name"],
        highest_p0=w.percent(d["highest_p0"], 2),
    )
    if d["marked"]:
        text += " " + w._("Outlined, the study areas: {areas}.").format(
            areas=w.conjunction(f"{m['area_name']} ({w.percent(m['p0'], 2)})" for m in d["marked"])
        )
    if d["n_missing"]:
        text += " " + w.ngettext(
            "{n} area has no shape in the boundary file and is not drawn: {names}.",
            "{n} areas have no shape in the boundary file and are not drawn: {names}.",
            d["n_missing"],
        ).format(n=w.integer(d["n_missing"]), names=w.conjunction(area_map.missing["area_name"]))
    return text


def map_table(area_map: AreaMap, *, lang: str) -> pd.DataFrame:
    """The map's data beside it: every area with its code and P0, highest first."""
    w = Words(lang)
    t = area_map.table
    return pd.DataFrame(
        {
            w._("Area"): t["area_name"] + np.where(t["marked"], " \u25c6", ""),
            w._("Code"): t["area_code"],
            w._("P0 (%)"): t["p0"].map(lambda v: w.number(v, 2)),
        }
    )


def p0_map(area_map: AreaMap, *, lang: str, with_table: bool = True) -> list[Part]:
    """The map, its alt text, the table of its data (unless ``with_table`` is false: a chapter
    that shows the same numbers in a table of its own) and the areas it cannot draw (if any)."""
    w = Words(lang)
    parts: list[Part] = []
    if area_map.shapes:  # no map of areas the boundary file has none of: the tables say it all
        parts.append(
            Figure(lambda: plot_p0_map(area_map, lang=lang), alt=alt_text(area_map, lang=lang))
        )
    if with_table:
        parts.append(Table(map_table(area_map, lang=lang)))
    missing = area_map.missing
    if len(missing):
        parts.append(
            Text(
                w.ngettext(
                    "The boundary file has no shape for this area; it is not on the map:",
                    "The boundary file has no shape for these areas; they are not on the map:",
                    len(missing),
                )
            )
        )
        parts.append(
            Table(
                pd.DataFrame(
                    {
                        w._("Area"): missing["area_name"],
                        w._("Code"): missing["area_code"],
                        w._("P0 (%)"): missing["p0"].map(lambda v: w.number(v, 2)),
                    }
                )
            )
        )
    return parts


__all__ = ["CMAP", "alt_text", "map_table", "p0_map", "plot_p0_map"]
