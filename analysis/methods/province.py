"""The regencies and cities of a province side by side: ranks, medians and the yardsticks.

Ranks need every regency's figure in the same year from the same series, so they exist for the
years of one series only (2010-2018 for the primary one). Rank 1 is the highest P0 (the poorest
area); ties share the lower rank. Before 2015 the only provincial yardstick is the unweighted
median of the province's regencies and cities (not the provincial rate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.methods.bps import (
    LOCAL_TYPES,
    NATIONAL_CODE,
    PRIMARY_SERIES,
    UnknownAreaError,
    area_name_of,
    local_areas,
    normalise_code,
    p0_rows,
    year_ranges,
)
from analysis.methods.results import plain


def province_median(
    facts: pd.DataFrame, province_code: str, series: str = PRIMARY_SERIES, round_: str = "March"
) -> pd.Series:
    """Unweighted median P0 of a province's regencies and cities per year, from one series."""
    p0 = p0_rows(facts, round_)
    peers = p0[
        (p0["series"] == series)
        & p0["area_type"].isin(LOCAL_TYPES)
        & (p0["area_code"].str[:2] == province_code)
    ]
    return peers.groupby("year")["value"].median().rename("median")


def province_table(
    facts: pd.DataFrame, province_code: str, series: str = PRIMARY_SERIES, round_: str = "March"
) -> pd.DataFrame:
    """Every regency and city of a province per year: P0, rank (1 = highest P0), median, distance.

    Uses one series only, so that every area of a year is measured alike. ``n_areas`` counts the
    areas with a figure that year; ``distance_pp`` is P0 minus the median, in percentage points.
    """
    p0 = p0_rows(facts, round_)
    peers = p0[
        (p0["series"] == series)
        & p0["area_type"].isin(LOCAL_TYPES)
        & (p0["area_code"].str[:2] == province_code)
    ].dropna(subset=["value"])
    table = (
        peers[["year", "area_code", "area_name", "value"]].rename(columns={"value": "p0"}).copy()
    )
    by_year = table.groupby("year")["p0"]
    table["rank"] = by_year.rank(method="min", ascending=False).astype(int)
    table["n_areas"] = by_year.transform("size").astype(int)
    table["median"] = by_year.transform("median")
    table["distance_pp"] = (table["p0"] - table["median"]).round(4)
    return table.sort_values(["year", "rank", "area_code"]).reset_index(drop=True)


# --------------------------------------------------------------------------- province overview
@dataclass
class ProvinceOverview:
    """Every regency and city of one province in one year, ranked by P0, with the yardsticks.

    ``table``: rank (1 = highest P0), area_code, area_name, area_type, p0 (percent), marked
    (one of the areas the chapter points out), distance_province_pp. ``province_p0`` and
    ``national_p0`` are BPS's own rates of that year, from the March round where the data hold
    it, else from the September round (``province_round``, ``national_round`` say which; None
    where the data hold neither).
    """

    province_code: str
    province_name: str
    year: int
    table: pd.DataFrame
    province_p0: float | None
    national_p0: float | None
    median_p0: float
    province_round: str | None = None
    national_round: str | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        t = self.table
        highest, lowest = t.iloc[0], t.iloc[-1]
        above = None if self.province_p0 is None else int((t["p0"] > self.province_p0).sum())
        return plain(
            {
                "province_code": self.province_code,
                "province_name": self.province_name,
                "year": self.year,
                "n_areas": len(t),
                "province_p0": self.province_p0,
                "national_p0": self.national_p0,
                # the rounds as BPS names them ("March"; the report words them)
                "province_round": self.province_round,
                "national_round": self.national_round,
                "median_p0": self.median_p0,
                "highest_name": highest["area_name"],
                "highest_p0": highest["p0"],
                "lowest_name": lowest["area_name"],
                "lowest_p0": lowest["p0"],
                "n_above_province": above,
                "range_pp": round(float(highest["p0"] - lowest["p0"]), 4),
            }
        )

    def marked(self) -> pd.DataFrame:
        return self.table[self.table["marked"]].reset_index(drop=True)


def province_overview(
    facts: pd.DataFrame,
    province_code,
    year: int | None = None,
    marked=(),
    series: str = PRIMARY_SERIES,
    round_: str = "March",
) -> ProvinceOverview:
    """All regencies and cities of a province side by side in ``year`` (default: the series' last).

    Ranks come from one series (:func:`province_table`), so that every area is measured alike.
    """
    code = normalise_code(province_code)
    peers = province_table(facts, code, series, round_)
    if peers.empty:
        raise UnknownAreaError(f"Province code {code!r} has no regencies or cities in the data.")
    year = int(peers["year"].max()) if year is None else int(year)
    table = peers[peers["year"] == year]
    if table.empty:
        years = year_ranges(sorted(peers["year"].unique()))
        raise UnknownAreaError(f"The {series} series has no figures for {year} (it has {years}).")
    kinds = local_areas(facts).set_index("area_code")["area_type"]
    marked_codes = {normalise_code(c) for c in marked}
    p0 = facts[facts["indicator"] == "p0"]
    yardsticks = p0[(p0["year"] == year) & p0["area_type"].isin(("province", "country"))]

    def rate(area_code: str) -> tuple[float | None, str | None]:
        rows = yardsticks[yardsticks["area_code"] == area_code]
        for wanted in (round_, *sorted(set(rows["round"]) - {round_})):
            values = rows.loc[rows["round"] == wanted, "value"]
            if len(values):
                return float(values.iloc[0]), wanted
        return None, None

    (province_p0, province_round), (national_p0, national_round) = (
        rate(code),
        rate(NATIONAL_CODE),
    )
    out = table[["rank", "area_code", "area_name", "p0"]].copy()
    out.insert(3, "area_type", out["area_code"].map(kinds))
    out["marked"] = out["area_code"].isin(marked_codes)
    out["distance_province_pp"] = (
        (out["p0"] - province_p0).round(4) if province_p0 is not None else np.nan
    )
    out = out.sort_values(["rank", "area_code"]).reset_index(drop=True)
    name = area_name_of(facts, code) or code
    return ProvinceOverview(
        code,
        name,
        year,
        out,
        province_p0,
        national_p0,
        float(table["p0"].median()),
        province_round,
        national_round,
    )
