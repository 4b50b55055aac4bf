"""Where a regency stands: BPS poverty figures for any of the 514 regencies and cities.

Reads the three tidy BPS files in ``data/public/`` (one observation a row) and answers, for one
area code: the headcount rate P0 (percent of the population below the BPS poverty line, March
round) over 2010-2025 from every series, with its source; the comparison with its province and
with Indonesia; its rank among the regencies and cities of its province and its distance from
their median; the number of poor, the poverty line and the P1/P2 indices where known; and what
changed over a study period.

Series and the line a chart draws
    ``bps_regency_p0`` (BPS 2010-2018 regency series, via Miranti 2020) is the primary series:
    where it has a figure, the line uses it. Other figures for the same year (later releases
    quoted by BPS officials, Bappeda or the press, file ``regency_updates``) are kept as points
    of their own and listed when they differ. Years without any figure stay empty: the line
    breaks there, nothing is interpolated.
Province and nation
    The 2010-2018 series has no province or national rows. BPS's provincial and national rates
    come from ``bps_province_poverty`` (2015-2025); before 2015 the only provincial yardstick is
    the unweighted median of the province's regencies and cities (not the provincial rate).
Ranks
    Ranks need every regency's figure in the same year from the same series, so they exist for
    2010-2018 only. Rank 1 is the highest P0 (the poorest area); ties share the lower rank.

The files and areas are :mod:`analysis.methods.bps` (whose loading, area and code helpers this
module re-exports); the province side by side is :mod:`analysis.methods.province`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.methods.bps import (
    FIRST_YEAR,
    INDICATORS,
    LAST_YEAR,
    LOCAL_TYPES,
    NATIONAL_CODE,
    PRIMARY_SERIES,
    SERIES_ORDER,
    Area,
    UnknownAreaError,
    area_name_of,
    find_area,
    load_bps,
    local_areas,
    normalise_code,
    p0_rows,
    tidy_facts,
    year_ranges,
)
from analysis.methods.province import province_median, province_table
from analysis.methods.results import plain

__all__ = [  # the loading and area helpers are the bps module's, re-exported for the chapters
    "FIRST_YEAR",
    "INDICATORS",
    "LAST_YEAR",
    "LOCAL_TYPES",
    "NATIONAL_CODE",
    "PRIMARY_SERIES",
    "SERIES_ORDER",
    "Area",
    "P0History",
    "PeriodChange",
    "ProvinceRanks",
    "UnknownAreaError",
    "find_area",
    "indicator_rounds",
    "indicator_table",
    "indicator_tables",
    "load_bps",
    "local_areas",
    "normalise_code",
    "p0_history",
    "period_change",
    "province_ranks",
    "publication",
    "rounds_by_area",
    "sources_table",
    "tidy_facts",
    "year_ranges",
    "years_compared",
]


# --------------------------------------------------------------------------- P0 history
@dataclass
class P0History:
    """Every P0 figure of an area, the line a chart draws and the comparison lines.

    ``observations``: every figure (year, value, series, release, source, source_url, note,
    on_line); ``release`` is the BPS release, ``source`` the page it was retrieved from.
    ``line``: one row a year FIRST..LAST: value (NaN = no figure: a gap), series, release.
    ``comparison``: year, province P0, national P0 and the median of the province's regencies.
    ``alternatives``: figures for a year that the line does not use, with the difference.
    """

    area: Area
    observations: pd.DataFrame
    line: pd.DataFrame
    comparison: pd.DataFrame
    alternatives: pd.DataFrame
    round: str = "March"

    @property
    def missing_years(self) -> list[int]:
        return [int(y) for y in self.line.loc[self.line["value"].isna(), "year"]]

    @property
    def disagreements(self) -> pd.DataFrame:
        return self.alternatives[~self.alternatives["agrees"]]

    def to_frame(self) -> pd.DataFrame:
        """One row a year: the area's P0 (line), its series, the median, province and nation."""
        frame = self.line[["year", "value", "series"]].rename(columns={"value": "p0"})
        return frame.merge(self.comparison, on="year", how="left")

    def to_dict(self) -> dict:
        known = self.line.dropna(subset=["value"])
        first, last = known.iloc[0], known.iloc[-1]
        both = self.to_frame().dropna(subset=["p0"])
        both = both[both["province_p0"].notna() | both["national_p0"].notna()]
        latest = both.iloc[-1] if len(both) else None
        return plain(
            {
                "area_code": self.area.code,
                "area_name": self.area.name,
                "province_name": self.area.province_name,
                "first_year": int(first["year"]),
                "first_p0": first["value"],
                "last_year": int(last["year"]),
                "last_p0": last["value"],
                "last_series": last["series"],
                "n_years_with_p0": len(known),
                "missing_years": self.missing_years,
                "n_series": self.observations["series"].nunique(),
                "n_disagreements": len(self.disagreements),
                # latest year with a figure for the area and for its province or the nation
                "comparison_year": None if latest is None else int(latest["year"]),
                "comparison_p0": None if latest is None else latest["p0"],
                "comparison_province_p0": None if latest is None else latest["province_p0"],
                "comparison_national_p0": None if latest is None else latest["national_p0"],
            }
        )


def p0_history(
    facts: pd.DataFrame,
    area_code,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    round_: str = "March",
) -> P0History:
    """P0 of an area from every series, the line (primary series first) and its comparisons."""
    area = find_area(facts, area_code)
    p0 = p0_rows(facts, round_)
    rank = {s: i for i, s in enumerate(SERIES_ORDER)}
    obs = p0[p0["area_code"] == area.code].copy()
    obs = obs[(obs["year"] >= first_year) & (obs["year"] <= last_year)]
    obs["priority"] = obs["series"].map(rank).fillna(len(rank))
    obs = obs.sort_values(["year", "priority", "release"], kind="stable").reset_index(drop=True)
    obs["on_line"] = ~obs.duplicated("year")
    years = pd.DataFrame({"year": range(first_year, last_year + 1)})
    chosen = obs[obs["on_line"]][["year", "value", "series", "release"]]
    line = years.merge(chosen, on="year", how="left")
    others = obs[~obs["on_line"]][["year", "value", "series", "release", "source_url"]]
    alternatives = others.merge(
        chosen.rename(
            columns={"value": "line_value", "series": "line_series", "release": "line_release"}
        ),
        on="year",
    )
    alternatives["difference"] = (alternatives["value"] - alternatives["line_value"]).round(4)
    alternatives["agrees"] = alternatives["difference"].abs() < 0.005
    columns = ["year", "value", "series", "release", "source", "source_url", "note", "on_line"]
    return P0History(
        area,
        obs[columns],
        line,
        _comparison(facts, area, years, round_),
        alternatives.reset_index(drop=True),
        round_,
    )


def _comparison(facts: pd.DataFrame, area: Area, years: pd.DataFrame, round_: str) -> pd.DataFrame:
    p0 = p0_rows(facts, round_)
    p0 = p0[p0["area_type"].isin(("province", "country"))]
    province = (
        p0[p0["area_code"] == area.province_code]
        .groupby("year")["value"]
        .first()
        .rename("province_p0")
    )
    national = (
        p0[p0["area_code"] == NATIONAL_CODE].groupby("year")["value"].first().rename("national_p0")
    )
    median = province_median(facts, area.province_code, round_=round_)
    out = years.merge(median, left_on="year", right_index=True, how="left")
    out = out.merge(province, left_on="year", right_index=True, how="left")
    return out.merge(national, left_on="year", right_index=True, how="left").reset_index(drop=True)


# --------------------------------------------------------------------------- ranks
@dataclass
class ProvinceRanks:
    """An area's rank among the regencies and cities of its province, year by year.

    ``table``: year, p0, rank (1 = highest P0), n_areas, median, distance_pp (P0 - median,
    percentage points), province_p0 and distance_province_pp where BPS's provincial rate exists.
    ``peers``: the same figures for every area of the province (for the distribution chart).
    """

    area: Area
    table: pd.DataFrame
    peers: pd.DataFrame
    series: str = PRIMARY_SERIES

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        first, last = self.table.iloc[0], self.table.iloc[-1]
        return plain(
            {
                "first_year": int(first["year"]),
                "first_rank": int(first["rank"]),
                "last_year": int(last["year"]),
                "last_rank": int(last["rank"]),
                "n_areas": int(last["n_areas"]),
                "highest_rank": self.table["rank"].min(),
                "lowest_rank": self.table["rank"].max(),
                "first_distance_pp": first["distance_pp"],
                "last_distance_pp": last["distance_pp"],
                "years_above_median": int((self.table["distance_pp"] > 0).sum()),
                "n_years": len(self.table),
            }
        )


def province_ranks(
    facts: pd.DataFrame, area_code, series: str = PRIMARY_SERIES, round_: str = "March"
) -> ProvinceRanks:
    """Rank and distance from the provincial median of one area, for each year of ``series``."""
    area = find_area(facts, area_code)
    peers = province_table(facts, area.province_code, series, round_)
    table = peers[peers["area_code"] == area.code].drop(columns=["area_code", "area_name"])
    province = _comparison(facts, area, table[["year"]], round_)[["year", "province_p0"]]
    table = table.merge(province, on="year", how="left")
    table["distance_province_pp"] = (table["p0"] - table["province_p0"]).round(4)
    return ProvinceRanks(area, table.reset_index(drop=True), peers, series)


# --------------------------------------------------------------------------- other indicators
def indicator_table(facts: pd.DataFrame, area_code, indicators=INDICATORS) -> pd.DataFrame:
    """Number of poor, poverty line, P0, P1 and P2 of any area (regency, province, "00"), by release.

    One row a (year, round, release) with at least one indicator other than P0, so that a row's
    figures come from one BPS release; empty when the data hold none. Units: P0 percent, poor in
    thousand people, poverty line Rupiah per capita per month, P1 and P2 as BPS publishes them
    (index points).
    """
    code = normalise_code(area_code)
    rows = facts[(facts["area_code"] == code) & facts["indicator"].isin(indicators)]
    if rows.empty:
        return pd.DataFrame(columns=["year", "round", *indicators, "release"])
    wide = rows.pivot_table(
        index=["year", "round", "release"], columns="indicator", values="value", aggfunc="first"
    ).reset_index()
    for indicator in indicators:
        if indicator not in wide:
            wide[indicator] = np.nan
    beyond_p0 = [i for i in indicators if i != "p0"]
    wide = wide[wide[beyond_p0].notna().any(axis=1)]
    wide["round_order"] = wide["round"].map(ROUND_ORDER)
    wide = wide.sort_values(["year", "round_order", "release"]).reset_index(drop=True)
    wide.columns.name = None
    return wide[["year", "round", *indicators, "release"]]


#: BPS's survey rounds in the order of the year.
ROUND_ORDER = {"March": 0, "September": 1}
#: The indicators of BPS's provincial and national table.
WIDER_INDICATORS = ("p0", "poor_thousands", "poverty_line")


def indicator_rounds(facts: pd.DataFrame, area_code, indicators=WIDER_INDICATORS) -> pd.DataFrame:
    """One row a year of an area, the March and September rounds side by side.

    Columns ``year`` and ``{indicator}_{round}`` (``p0_March``, ``poor_thousands_September``, ...);
    each figure is the one of the first series in :data:`SERIES_ORDER` that has it. A round
    without a figure (there was no September 2023 round) is empty; a year without any figure
    has no row.
    """
    code = normalise_code(area_code)
    rows = facts[(facts["area_code"] == code) & facts["indicator"].isin(indicators)].copy()
    columns = [f"{i}_{r}" for i in indicators for r in ROUND_ORDER]
    if rows.empty:
        return pd.DataFrame(columns=["year", *columns])
    rank = {s: i for i, s in enumerate(SERIES_ORDER)}
    rows["priority"] = rows["series"].map(rank).fillna(len(rank))
    rows = rows.sort_values(["year", "priority"], kind="stable")
    rows = rows.drop_duplicates(["year", "round", "indicator"])
    rows["column"] = rows["indicator"] + "_" + rows["round"]
    wide = rows.pivot(index="year", columns="column", values="value")
    wide = wide.reindex(columns=columns).reset_index()
    wide.columns.name = None
    wide.attrs["releases"] = tuple(dict.fromkeys(rows["release"]))
    return wide


def rounds_by_area(facts: pd.DataFrame, codes) -> list[tuple[str, pd.DataFrame]]:
    """:func:`indicator_rounds` of several areas (a province, the nation): (area name, table)."""
    return [
        (area_name_of(facts, normalise_code(code)) or str(code), indicator_rounds(facts, code))
        for code in codes
    ]


#: What differs between the releases of one publication: the round and year ending a release's
#: name ("... Maret 2017", "..., March 2012", "..., 2016") and a Berita Resmi Statistik's number.
_RELEASE_ROUND = re.compile(
    r",?\s+(?:(?:Maret|March|September|Desember|December)\s+)?(?:19|20)\d\d$"
)
_RELEASE_NUMBER = re.compile(r"\s+No\.\s+[^:]+(?=:)")


def publication(release: str) -> str:
    """The publication a release belongs to, without its number, round and year:
    "BPS, Berita Resmi Statistik No. 05/01/Th. XX: Profil Kemiskinan di Indonesia September 2016"
    -> "BPS, Berita Resmi Statistik: Profil Kemiskinan di Indonesia"."""
    return _RELEASE_ROUND.sub("", _RELEASE_NUMBER.sub("", str(release))).strip()


def sources_table(facts: pd.DataFrame, codes, years=None, indicators=None) -> pd.DataFrame:
    """A chapter's list of sources: one row a BPS publication, with the areas, indicators and
    years it gives figures of, and every page those figures were retrieved from (once each).
    ``years`` and ``indicators`` keep only the figures a chapter shows (all by default).

    Columns: publication, releases (its distinct releases, a tuple), areas, indicators, years,
    retrieved (a tuple of (page title, address) pairs).
    """
    codes = [normalise_code(c) for c in codes]
    rows = facts[facts["area_code"].isin(codes)].copy()
    if years is not None:
        rows = rows[rows["year"].isin([int(y) for y in years])]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(list(indicators))]
    rows["publication"] = rows["release"].map(publication)
    rows = rows.sort_values("year", kind="stable")
    out = []
    for name, group in rows.groupby("publication", sort=False):
        pages = group.drop_duplicates("source_url")
        out.append(
            {
                "publication": name,
                "releases": tuple(dict.fromkeys(group["release"])),
                "areas": ", ".join(dict.fromkeys(group["area_name"])),
                "indicators": ", ".join(i for i in INDICATORS if i in set(group["indicator"])),
                "years": year_ranges(sorted(set(group["year"]))),
                "retrieved": tuple(zip(pages["source"], pages["source_url"])),
            }
        )
    columns = ["publication", "releases", "areas", "indicators", "years", "retrieved"]
    return pd.DataFrame(out, columns=columns)


def indicator_tables(facts: pd.DataFrame, codes, round_: str | None = None) -> pd.DataFrame:
    """:func:`indicator_table` of several areas one under the other, with an ``area`` column."""
    frames = []
    for code in codes:
        frame = indicator_table(facts, code)
        if round_ is not None:
            frame = frame[frame["round"] == round_]
        frames.append(frame.assign(area=area_name_of(facts, normalise_code(code))))
    out = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else frames[0]
    )
    return out[["area", *[c for c in out.columns if c != "area"]]]


# --------------------------------------------------------------------------- study period
@dataclass(frozen=True)
class PeriodChange:
    """What changed for an area between two years (P0 in percent; differences in points)."""

    area_code: str
    area_name: str
    province_name: str
    start_year: int
    end_year: int
    p0_start: float
    p0_end: float
    change_pp: float  # p0_end - p0_start, percentage points
    change_relative_pct: float  # change as percent of p0_start
    source_start: str  # the BPS release of the figure at each end
    source_end: str
    n_areas: int | None = None
    rank_start: int | None = None
    rank_end: int | None = None
    median_start: float | None = None
    median_end: float | None = None
    distance_start: float | None = None  # P0 - provincial median, points
    distance_end: float | None = None
    province_p0_start: float | None = None
    province_p0_end: float | None = None
    national_p0_start: float | None = None
    national_p0_end: float | None = None
    poor_thousands_start: float | None = None
    poor_thousands_end: float | None = None
    study_start: int | None = None  # the study period asked for (the registry's years)
    study_end: int | None = None
    years_without_figure: str = ""  # study years with no P0 figure ("2019-2024"), "" when none

    def to_dict(self) -> dict:
        return plain(asdict(self))

    def to_frame(self) -> pd.DataFrame:
        """One row a measure: value at start, at end, and the change."""
        rows = []
        for measure in (
            "p0",
            "rank",
            "median",
            "distance",
            "province_p0",
            "national_p0",
            "poor_thousands",
        ):
            start, end = getattr(self, f"{measure}_start"), getattr(self, f"{measure}_end")
            change = None if start is None or end is None else round(end - start, 4)
            rows.append({"measure": measure, "start": start, "end": end, "change": change})
        frame = pd.DataFrame(rows)
        frame.attrs.update(start_year=self.start_year, end_year=self.end_year)
        return frame


def years_compared(known_years, start_year: int, end_year: int) -> tuple[int, int]:
    """The two years a study period is compared over: the first and last years with a P0 figure
    within the period, or, when the period holds fewer than two, the first and last years of
    the whole series (a study after the series, or before it, still gets its context)."""
    known = sorted({int(y) for y in known_years})
    inside = [y for y in known if start_year <= y <= end_year]
    return (inside[0], inside[-1]) if len(inside) >= 2 else (known[0], known[-1])


def period_change(facts: pd.DataFrame, area_code, start_year: int, end_year: int) -> PeriodChange:
    """P0, rank, median distance, provincial and national rates and number poor at both ends.

    The study period ``start_year``-``end_year`` may run past the years with a figure (a study of
    2024 when the regency series ends in 2018, one of 2005): the comparison then runs over the
    years the series has (:func:`years_compared`), and ``years_without_figure`` names the study
    years it lacks. Only an area with fewer than two years with a figure is an error.
    """
    if start_year > end_year:
        raise ValueError(f"The study period must run forward: start {start_year}, end {end_year}.")
    history = p0_history(facts, area_code, min(FIRST_YEAR, start_year), max(LAST_YEAR, end_year))
    line = history.line.set_index("year")
    known = history.line.dropna(subset=["value"])["year"].tolist()
    if len(known) < 2:
        raise ValueError(
            f"{history.area.name} has a P0 figure for {year_ranges(known)} only: "
            "a change needs two years."
        )
    study_start, study_end = start_year, end_year
    lacking = [y for y in range(study_start, study_end + 1) if y not in set(known)]
    start_year, end_year = years_compared(known, study_start, study_end)
    ranks = province_ranks(facts, area_code).table.set_index("year")
    comparison = history.comparison.set_index("year")
    poor = indicator_table(facts, area_code, ("poor_thousands",))
    poor = poor[poor["round"] == history.round].groupby("year")["poor_thousands"].first()

    def at(frame, column, year):
        return (
            None
            if year not in frame.index or pd.isna(frame.loc[year, column])
            else frame.loc[year, column]
        )

    p0_start, p0_end = line.loc[start_year, "value"], line.loc[end_year, "value"]
    has_ranks = start_year in ranks.index and end_year in ranks.index
    values = dict(
        area_code=history.area.code,
        area_name=history.area.name,
        province_name=history.area.province_name,
        start_year=start_year,
        end_year=end_year,
        p0_start=p0_start,
        p0_end=p0_end,
        change_pp=round(p0_end - p0_start, 4),
        change_relative_pct=round(100 * (p0_end / p0_start - 1), 4),
        source_start=line.loc[start_year, "release"],
        source_end=line.loc[end_year, "release"],
        n_areas=at(ranks, "n_areas", end_year) if has_ranks else None,
        rank_start=at(ranks, "rank", start_year),
        rank_end=at(ranks, "rank", end_year),
        median_start=at(comparison, "median", start_year),
        median_end=at(comparison, "median", end_year),
        distance_start=at(ranks, "distance_pp", start_year),
        distance_end=at(ranks, "distance_pp", end_year),
        province_p0_start=at(comparison, "province_p0", start_year),
        province_p0_end=at(comparison, "province_p0", end_year),
        national_p0_start=at(comparison, "national_p0", start_year),
        national_p0_end=at(comparison, "national_p0", end_year),
        poor_thousands_start=poor.loc[start_year] if start_year in poor.index else None,
        poor_thousands_end=poor.loc[end_year] if end_year in poor.index else None,
        study_start=study_start,
        study_end=study_end,
        years_without_figure=year_ranges(lacking) if lacking else "",
    )
    return PeriodChange(**plain(values))
