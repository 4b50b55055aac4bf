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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from analysis import figures
from analysis import formatting as fmt
from analysis.i18n import N_, _, language
from analysis.literal import markdown_link, markdown_literal
from analysis.methods.results import plain

PRIMARY_SERIES = "bps_regency_p0"
#: Series (file keys) in order of preference for the line: the first one with a figure wins.
SERIES_ORDER = ("bps_regency_p0", "regency_updates", "bps_province_poverty")
#: Labels for readers (marked for translation; shown with ``_(SERIES_LABELS[key])``).
SERIES_LABELS = {
    "bps_regency_p0": N_("BPS regency series 2010-2018 (via Miranti 2020)"),
    "regency_updates": N_("Later BPS figures as quoted by BPS officials, Bappeda or the press"),
    "bps_province_poverty": N_("BPS provincial and national table 2015-2025"),
}
SERIES_SHORT = {
    "bps_regency_p0": N_("BPS regency series 2010\u20132018"),
    "regency_updates": N_("later figures quoted from BPS"),
    "bps_province_poverty": N_("BPS provincial table"),
}
SERIES_MARKERS = {"bps_regency_p0": "o", "regency_updates": "s", "bps_province_poverty": "^"}
NATIONAL_CODE = "00"
LOCAL_TYPES = ("regency", "city")
INDICATORS = ("p0", "poor_thousands", "poverty_line", "p1", "p2")
INDICATOR_LABELS = {
    "year": N_("Year"),
    "round": N_("Round"),
    "p0": N_("P0 (%)"),
    "poor_thousands": N_("Poor (thousand people)"),
    "poverty_line": N_("Poverty line (Rp per capita per month)"),
    "p1": N_("P1 (poverty gap index)"),
    "p2": N_("P2 (poverty severity index)"),
    "source": N_("Source"),
    "area": N_("Area"),
}
#: The indicators in words, as the list of sources names them.
INDICATOR_WORDS = {
    "p0": N_("p0"),
    "poor_thousands": N_("poor thousands"),
    "poverty_line": N_("poverty line"),
    "p1": N_("p1"),
    "p2": N_("p2"),
}
#: BPS's survey rounds (Susenas March and September) for readers.
ROUND_LABELS = {"March": N_("March"), "September": N_("September")}
#: Kinds of local area for readers.
AREA_TYPE_LABELS = {"regency": N_("regency (kabupaten)"), "city": N_("city (kota)")}
FIRST_YEAR, LAST_YEAR = 2010, 2025


class UnknownAreaError(ValueError):
    """The area code is not one of the regencies and cities in the data."""


# --------------------------------------------------------------------------- loading
def load_bps(data_dir: str | Path) -> pd.DataFrame:
    """All BPS poverty figures of ``data_dir/public`` in one long frame, with a ``series`` column.

    ``series`` is the file key (``bps_regency_p0``, ``regency_updates``, ``bps_province_poverty``);
    ``area_code`` is a string ("3517"; provinces two digits; Indonesia "00"); ``year`` an int.
    ``poor_persons`` figures are converted to ``poor_thousands`` so that one indicator carries
    the number of poor.
    """
    from analysis.data.loading import load_public

    frames = [load_public(data_dir, key).assign(series=key) for key in SERIES_ORDER]
    return tidy_facts(pd.concat(frames, ignore_index=True))


def tidy_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Normalise a long BPS frame: codes as strings, years as int, one unit for the number poor."""
    facts = facts.copy()
    facts["area_code"] = facts["area_code"].map(normalise_code)
    facts["year"] = facts["year"].astype(int)
    facts["value"] = facts["value"].astype(float)
    for column in ("province", "source", "source_url", "note", "unit"):
        if column not in facts:
            facts[column] = ""
        facts[column] = facts[column].fillna("").astype(str)
    persons = facts["indicator"] == "poor_persons"
    facts.loc[persons, "value"] = facts.loc[persons, "value"] / 1000
    facts.loc[persons, "unit"] = "thousand persons"
    facts.loc[persons, "indicator"] = "poor_thousands"
    if "series" not in facts:
        facts["series"] = PRIMARY_SERIES
    return facts


def normalise_code(code) -> str:
    """An area code as BPS writes it: "3517", "35", "00" (accepts ints and padded strings)."""
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise UnknownAreaError(f"Area code {code!r} is not a BPS area code (digits such as 3517).")
    return text.zfill(2)


# --------------------------------------------------------------------------- areas
@dataclass(frozen=True)
class Area:
    """A regency (kabupaten) or city (kota) with its province."""

    code: str
    name: str
    area_type: str  # regency | city
    province_code: str
    province_name: str

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        key = "city" if self.area_type == "city" else "regency"
        kind = _(AREA_TYPE_LABELS[key])
        return _("{name} ({code}), a {kind} in {province} ({province_code})").format(
            name=self.name,
            code=self.code,
            kind=kind,
            province=self.province_name,
            province_code=self.province_code,
        )


def local_areas(facts: pd.DataFrame) -> pd.DataFrame:
    """One row a regency or city: area_code, area_name, area_type, province (sorted by code)."""
    local = facts[facts["area_type"].isin(LOCAL_TYPES)]
    return (
        local.sort_values(["area_code", "series"])
        .drop_duplicates("area_code")[["area_code", "area_name", "area_type", "province"]]
        .reset_index(drop=True)
    )


def find_area(facts: pd.DataFrame, area_code) -> Area:
    """The regency or city with this BPS code; :class:`UnknownAreaError` naming valid codes if none."""
    code = normalise_code(area_code)
    areas = local_areas(facts)
    match = areas[areas["area_code"] == code]
    if match.empty:
        raise UnknownAreaError(_unknown_area_message(code, areas))
    row = match.iloc[0]
    province_code = code[:2]
    province_name = row["province"] or _name_of(facts, province_code) or province_code
    return Area(
        code, str(row["area_name"]), str(row["area_type"]), province_code, str(province_name)
    )


def _name_of(facts: pd.DataFrame, code: str) -> str | None:
    names = facts.loc[facts["area_code"] == code, "area_name"]
    return str(names.iloc[0]) if len(names) else None


def _unknown_area_message(code: str, areas: pd.DataFrame) -> str:
    same_province = areas[areas["area_code"].str[:2] == code[:2]]
    message = (
        f"Area code {code} is not among the {len(areas)} regencies and cities in the data "
        f"(data/public/bps_regency_p0_2010_2018.csv, column area_code). "
    )
    if len(same_province):
        first, last = same_province.iloc[0], same_province.iloc[-1]
        message += (
            f"Codes of {first['province']} run from {first['area_code']} ({first['area_name']}) "
            f"to {last['area_code']} ({last['area_name']})."
        )
    else:
        message += "Its first two digits match no province; regency codes have four digits, e.g. 3517 for Jombang."
    return message


# --------------------------------------------------------------------------- P0 history
def _p0(facts: pd.DataFrame, round_: str = "March") -> pd.DataFrame:
    return facts[(facts["indicator"] == "p0") & (facts["round"] == round_)]


def province_median(
    facts: pd.DataFrame, province_code: str, series: str = PRIMARY_SERIES, round_: str = "March"
) -> pd.Series:
    """Unweighted median P0 of a province's regencies and cities per year, from one series."""
    p0 = _p0(facts, round_)
    peers = p0[
        (p0["series"] == series)
        & p0["area_type"].isin(LOCAL_TYPES)
        & (p0["area_code"].str[:2] == province_code)
    ]
    return peers.groupby("year")["value"].median().rename("median")


@dataclass
class P0History:
    """Every P0 figure of an area, the line a chart draws and the comparison lines.

    ``observations``: every figure (year, value, series, source, source_url, note, on_line).
    ``line``: one row a year FIRST..LAST: value (NaN = no figure: a gap), series, source.
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

    def sentences(self) -> dict[str, str]:
        """Plain-text sentences for the prose, correct whatever the area and its gaps."""
        return {
            "gaps": _gaps_sentence(self),
            "sources": _disagreement_sentence(self),
            "comparison": _comparison_sentence(self),
        }

    def summary(self) -> str:
        d = self.to_dict()
        head = _("{area}: P0 {first_p0} % in {first_year}, {last_p0} % in {last_year}.").format(
            area=self.area.summary(),
            first_p0=_p(d["first_p0"]),
            first_year=d["first_year"],
            last_p0=_p(d["last_p0"]),
            last_year=d["last_year"],
        )
        return head + " " + " ".join(self.sentences().values())


def p0_history(
    facts: pd.DataFrame,
    area_code,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    round_: str = "March",
) -> P0History:
    """P0 of an area from every series, the line (primary series first) and its comparisons."""
    area = find_area(facts, area_code)
    p0 = _p0(facts, round_)
    rank = {s: i for i, s in enumerate(SERIES_ORDER)}
    obs = p0[p0["area_code"] == area.code].copy()
    obs = obs[(obs["year"] >= first_year) & (obs["year"] <= last_year)]
    obs["priority"] = obs["series"].map(rank).fillna(len(rank))
    obs = obs.sort_values(["year", "priority", "source"], kind="stable").reset_index(drop=True)
    obs["on_line"] = ~obs.duplicated("year")
    years = pd.DataFrame({"year": range(first_year, last_year + 1)})
    chosen = obs[obs["on_line"]][["year", "value", "series", "source"]]
    line = years.merge(chosen, on="year", how="left")
    others = obs[~obs["on_line"]][["year", "value", "series", "source", "source_url"]]
    alternatives = others.merge(
        chosen.rename(
            columns={"value": "line_value", "series": "line_series", "source": "line_source"}
        ),
        on="year",
    )
    alternatives["difference"] = (alternatives["value"] - alternatives["line_value"]).round(4)
    alternatives["agrees"] = alternatives["difference"].abs() < 0.005
    columns = ["year", "value", "series", "source", "source_url", "note", "on_line"]
    return P0History(
        area,
        obs[columns],
        line,
        _comparison(facts, area, years, round_),
        alternatives.reset_index(drop=True),
        round_,
    )


def _comparison(facts: pd.DataFrame, area: Area, years: pd.DataFrame, round_: str) -> pd.DataFrame:
    p0 = _p0(facts, round_)
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
def province_table(
    facts: pd.DataFrame, province_code: str, series: str = PRIMARY_SERIES, round_: str = "March"
) -> pd.DataFrame:
    """Every regency and city of a province per year: P0, rank (1 = highest P0), median, distance.

    Uses one series only, so that every area of a year is measured alike. ``n_areas`` counts the
    areas with a figure that year; ``distance_pp`` is P0 minus the median, in percentage points.
    """
    p0 = _p0(facts, round_)
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

    def summary(self) -> str:
        d = self.to_dict()
        return _(
            "{area} ranked {first_rank} of {n} in {first_year} and {last_rank} in {last_year} "
            "(1 = highest P0 in {province})."
        ).format(
            area=self.area.name,
            first_rank=ordinal(d["first_rank"]),
            n=fmt.integer(d["n_areas"]),
            first_year=d["first_year"],
            last_rank=ordinal(d["last_rank"]),
            last_year=d["last_year"],
            province=self.area.province_name,
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
    """Number of poor, poverty line, P0, P1 and P2 of any area (regency, province, "00"), by source.

    One row a (year, round, source) with at least one indicator other than P0; empty when the
    data hold none. Units: P0 percent, poor in thousand people, poverty line Rupiah per capita
    per month, P1 and P2 as BPS publishes them (index points).
    """
    code = normalise_code(area_code)
    rows = facts[(facts["area_code"] == code) & facts["indicator"].isin(indicators)]
    if rows.empty:
        return pd.DataFrame(columns=["year", "round", *indicators, "source"])
    wide = rows.pivot_table(
        index=["year", "round", "source"], columns="indicator", values="value", aggfunc="first"
    ).reset_index()
    for indicator in indicators:
        if indicator not in wide:
            wide[indicator] = np.nan
    beyond_p0 = [i for i in indicators if i != "p0"]
    wide = wide[wide[beyond_p0].notna().any(axis=1)]
    wide["round_order"] = wide["round"].map({"March": 0, "September": 1})
    wide = wide.sort_values(["year", "round_order", "source"]).reset_index(drop=True)
    wide.columns.name = None
    return wide[["year", "round", *indicators, "source"]]


def format_indicators(table: pd.DataFrame, labels: bool = True) -> pd.DataFrame:
    """The indicator table as text for display: Rupiah with thousands separators, blanks for gaps."""
    shown = table.copy()
    digits = {"p0": 2, "poor_thousands": 2, "poverty_line": 0, "p1": 2, "p2": 2}
    for column, n in digits.items():
        if column in shown:
            shown[column] = shown[column].map(lambda v, n=n: "" if pd.isna(v) else fmt.number(v, n))
    shown = shown.dropna(axis=1, how="all")
    shown = shown.loc[:, [c for c in shown.columns if not (shown[c] == "").all()]]
    if not labels:
        return shown
    if "round" in shown:
        shown["round"] = shown["round"].map(round_label)
    if "year" in shown:
        shown["year"] = _year_text(shown["year"])
    return shown.rename(columns={k: _(v) for k, v in INDICATOR_LABELS.items()})


def sources_table(facts: pd.DataFrame, codes) -> pd.DataFrame:
    """Which source gives which figures for the given area codes: series, source, address, years."""
    codes = [normalise_code(c) for c in codes]
    rows = facts[facts["area_code"].isin(codes)].copy()
    rows["source"] = rows["source"].str.replace(
        r"\s+(19|20)\d\d$", "", regex=True
    )  # one row for a yearly table
    grouped = rows.groupby(["series", "source", "source_url"], sort=False).agg(
        areas=("area_name", lambda s: ", ".join(dict.fromkeys(s))),
        indicators=("indicator", lambda s: ", ".join(sorted(set(s)))),
        years=("year", lambda s: year_ranges(sorted(set(s)))),
    )
    out = grouped.reset_index()
    out["series"] = out["series"].map(lambda s: _(SERIES_LABELS[s]) if s in SERIES_LABELS else s)
    return out[["series", "source", "areas", "indicators", "years", "source_url"]]


def no_indicators_text(area) -> str:
    """Why the indicators table is missing: the data hold only the area's headcount rate."""
    return _(
        "The data hold no number of poor, poverty line, P1 or P2 for {area}; "
        "only its headcount rate (above)."
    ).format(area=markdown_literal(area.name))


def sources_markdown(facts: pd.DataFrame, codes) -> str:
    """The sources of an area's figures as a Markdown list with links (renders in HTML and PDF)."""
    lines = []
    for row in sources_table(facts, codes).itertuples():
        host = urlparse(row.source_url).netloc or row.source_url
        indicators = ", ".join(
            _(INDICATOR_WORDS[i]) if i in INDICATOR_WORDS else i.replace("_", " ")
            for i in row.indicators.split(", ")
        )
        lines.append(  # every value is the data's: literal, the address linked only if http(s)
            _("- **{series}**: {source} ({areas}; {indicators}; {years}), {link}.").format(
                series=markdown_literal(row.series),
                source=markdown_literal(row.source),
                areas=markdown_literal(row.areas),
                indicators=markdown_literal(indicators),
                years=markdown_literal(row.years),
                link=markdown_link(host, row.source_url),
            )
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- display tables
def _year_text(years: pd.Series) -> pd.Series:
    """Years as text ("2010"): a year has no thousands separator in any edition, whatever its
    column is called ("Year", "Tahun")."""
    return years.map(lambda y: "" if pd.isna(y) else str(int(y)))


def p0_table(history: P0History) -> pd.DataFrame:
    """The numbers behind the P0 chart, one row a year, with readable column names (percent)."""
    frame = history.to_frame()
    frame["series"] = frame["series"].map(lambda s: series_short(s) if isinstance(s, str) else "")
    frame["year"] = _year_text(frame["year"])
    return frame.rename(
        columns={
            "year": _("Year"),
            "p0": _("{area} P0 (%)").format(area=history.area.name),
            "series": _("Series on the line"),
            "median": _("Median of the province's regencies and cities (%)"),
            "province_p0": _("{province} (%)").format(province=history.area.province_name),
            "national_p0": _("Indonesia (%)"),
        }
    )


def alternatives_table(history: P0History) -> pd.DataFrame:
    """Figures for a year that the line does not use, next to the line's figure."""
    frame = history.alternatives[
        ["year", "value", "source", "line_value", "line_series", "difference"]
    ].copy()
    frame["line_series"] = frame["line_series"].map(series_short)
    frame["year"] = _year_text(frame["year"])
    return frame.rename(
        columns={
            "year": _("Year"),
            "value": _("Other figure (%)"),
            "source": _("Its source"),
            "line_value": _("Figure on the line (%)"),
            "line_series": _("Series of the line"),
            "difference": _("Difference (points)"),
        }
    )


def rank_table(ranks: ProvinceRanks) -> pd.DataFrame:
    """Rank, median and distances by year, with readable column names."""
    n = int(ranks.table["n_areas"].max())
    frame = ranks.table[
        ["year", "p0", "rank", "median", "distance_pp", "province_p0", "distance_province_pp"]
    ].copy()
    frame["year"] = _year_text(frame["year"])
    province = ranks.area.province_name
    return frame.rename(
        columns={
            "year": _("Year"),
            "p0": _("P0 (%)"),
            "rank": _("Rank of {n}").format(n=fmt.integer(n)),
            "median": _("Median (%)"),
            "distance_pp": _("From median (points)"),
            "province_p0": _("{province} (%)").format(province=province),
            "distance_province_pp": _("From {province} (points)").format(province=province),
        }
    )


def change_table(change: PeriodChange) -> pd.DataFrame:
    """The period change as a small table: measure, start year, end year, change."""
    labels = {
        "p0": _("P0 of {area} (%)").format(area=change.area_name),
        "rank": _("Rank in the province (1 = highest P0)"),
        "median": _("Median of the province's regencies and cities (%)"),
        "distance": _("Distance from the median (points)"),
        "province_p0": _("{province} rate (%)").format(province=change.province_name),
        "national_p0": _("Indonesia rate (%)"),
        "poor_thousands": _("Poor people in {area} (thousand)").format(area=change.area_name),
    }
    frame = change.to_frame()
    frame["measure"] = frame["measure"].map(labels)
    for column in ("start", "end", "change"):
        frame[column] = frame[column].astype(float)
    return frame.rename(
        columns={
            "measure": _("Measure"),
            "start": str(change.start_year),
            "end": str(change.end_year),
            "change": _("Change"),
        }
    )


def indicator_tables(facts: pd.DataFrame, codes, round_: str | None = None) -> pd.DataFrame:
    """:func:`indicator_table` of several areas one under the other, with an ``area`` column."""
    frames = []
    for code in codes:
        frame = indicator_table(facts, code)
        if round_ is not None:
            frame = frame[frame["round"] == round_]
        frames.append(frame.assign(area=_name_of(facts, normalise_code(code))))
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
    source_start: str
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

    def sentences(self) -> dict[str, str]:
        """Plain-text sentences for the parts of the comparison that some areas or years lack."""
        return {
            "rank": _rank_sentence(self),
            "province": _province_sentence(self),
            "poor": _poor_sentence(self),
            "outside": outside_sentence(self),
        }

    def summary(self) -> str:
        head = _(
            "{area}, {start}-{end}: P0 {p0_start} % -> {p0_end} % ({change} points, {relative} %)."
        ).format(
            area=self.area_name,
            start=self.start_year,
            end=self.end_year,
            p0_start=_p(self.p0_start),
            p0_end=_p(self.p0_end),
            change=_plus(self.change_pp),
            relative=_plus(self.change_relative_pct, 1),
        )
        return " ".join([head, *self.sentences().values()])


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
        source_start=line.loc[start_year, "source"],
        source_end=line.loc[end_year, "source"],
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


# --------------------------------------------------------------------------- sentences
def ordinal(n: int) -> str:
    """1 -> "1st", 12 -> "12th", 22 -> "22nd"; in Indonesian "ke-1", "ke-12"."""
    n = int(n)
    if language() == "id":
        return f"ke-{n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def year_ranges(years) -> str:
    """[2010, 2011, 2012, 2014] -> "2010-2012, 2014" (en dash)."""
    years = sorted({int(y) for y in years})
    if not years:
        return _("none")
    spans = [[years[0], years[0]]]
    for year in years[1:]:
        if year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in spans)


def round_label(round_: str) -> str:
    """A BPS survey round for readers: "March" (English), "Maret" (Indonesian)."""
    return _(ROUND_LABELS[round_]) if round_ in ROUND_LABELS else round_


def series_short(series: str) -> str:
    """The short name of a series for readers (the key itself when it has none)."""
    return _(SERIES_SHORT[series]) if series in SERIES_SHORT else series


def _p(value) -> str:
    """A P0 (percent) in a sentence or a cell: two decimals, the edition's separators."""
    return fmt.number(value, 2)


def _plus(value, digits: int = 2) -> str:
    """A difference with its sign always written (``+0.00``, ``-0.07``), the edition's digits."""
    sign = "-" if value < 0 or (value == 0 and np.signbit(value)) else "+"
    return sign + fmt.number(abs(value), digits)


def _gaps_sentence(history: P0History) -> str:
    missing = history.missing_years
    if not missing:
        return _("The data hold a figure for every year from {first} to {last}.").format(
            first=history.line["year"].min(), last=history.line["year"].max()
        )
    return _(
        "The data hold no {round} figure for {area} in {years}; the line breaks there rather "
        "than guess."
    ).format(round=round_label(history.round), area=history.area.name, years=year_ranges(missing))


def _disagreement_sentence(history: P0History) -> str:
    alternatives = history.alternatives
    if alternatives.empty:
        return _("Each year's figure comes from one source only.")
    parts = [
        _("for {year}, {source} gives {value} %, the {series} (on the line) {line_value} %").format(
            year=row.year,
            source=row.source,
            value=_p(row.value),
            series=series_short(row.line_series),
            line_value=_p(row.line_value),
        )
        for row in history.disagreements.itertuples()
    ]
    agreeing = alternatives[alternatives["agrees"]]
    text = ""
    if parts:
        text = _(
            "Sources disagree {differences}. The other figure is drawn as a hollow diamond and "
            "listed under the figure."
        ).format(differences="; ".join(parts))
    if len(agreeing):
        years = year_ranges(agreeing["year"])
        if parts:
            text += " " + _(
                "Where sources overlap otherwise ({years}) they give the same figure."
            ).format(years=years)
        else:
            text += " " + _("Where sources overlap ({years}) they give the same figure.").format(
                years=years
            )
    return text.strip()


def _comparison_sentence(history: P0History) -> str:
    d = history.to_dict()
    if d["comparison_year"] is None:
        return _(
            "The data hold no provincial or national rate for a year with a figure for {area}; "
            "compare with the median of the province instead (below)."
        ).format(area=history.area.name)
    parts = [_("{area} {p0} %").format(area=history.area.name, p0=_p(d["comparison_p0"]))]
    if d["comparison_province_p0"] is not None:
        parts.append(
            _("{province} as a whole {p0} %").format(
                province=history.area.province_name, p0=_p(d["comparison_province_p0"])
            )
        )
    if d["comparison_national_p0"] is not None:
        parts.append(_("Indonesia {p0} %").format(p0=_p(d["comparison_national_p0"])))
    return _("In March {year}, the latest year with figures to compare: {figures}.").format(
        year=d["comparison_year"], figures=", ".join(parts)
    )


def _rank_sentence(change: PeriodChange) -> str:
    if change.rank_start is None or change.rank_end is None:
        return _(
            "Ranks need every regency's figure from one series; the data hold them for "
            "2010\u20132018 only, so no rank is given for {start}\u2013{end}."
        ).format(start=change.start_year, end=change.end_year)
    return _(
        "Among the {n} regencies and cities of {province} it ranked {rank_start} in {start} and "
        "{rank_end} in {end} (1 = highest rate); its distance from the provincial median went "
        "from {distance_start} to {distance_end} percentage points."
    ).format(
        n=fmt.integer(change.n_areas),
        province=change.province_name,
        rank_start=ordinal(change.rank_start),
        start=change.start_year,
        rank_end=ordinal(change.rank_end),
        end=change.end_year,
        distance_start=_plus(change.distance_start),
        distance_end=_plus(change.distance_end),
    )


def outside_sentence(change: PeriodChange) -> str:
    """Which study years have no P0 figure and which years the comparison uses ("" when the
    study period is compared as the registry gives it)."""
    if not change.years_without_figure:
        return ""
    study = (
        str(change.study_start)
        if change.study_start == change.study_end
        else f"{change.study_start}\u2013{change.study_end}"
    )
    within = (
        change.study_start is not None
        and change.study_start <= change.start_year
        and change.end_year <= change.study_end
    )
    if within:
        return _(
            "The study period of the registry is {study}; the data hold no P0 figure for {area} "
            "in {years}, so the comparison runs from {start} to {end}, the first and last years "
            "of the period with a figure."
        ).format(
            study=study,
            area=change.area_name,
            years=change.years_without_figure,
            start=change.start_year,
            end=change.end_year,
        )
    return _(
        "The study period of the registry is {study}; the data hold no P0 figure for {area} in "
        "{years}, so the comparison runs over the years the series has, from {start} to {end}."
    ).format(
        study=study,
        area=change.area_name,
        years=change.years_without_figure,
        start=change.start_year,
        end=change.end_year,
    )


def _province_sentence(change: PeriodChange) -> str:
    s, e = change.start_year, change.end_year
    if None not in (
        change.province_p0_start,
        change.province_p0_end,
        change.national_p0_start,
        change.national_p0_end,
    ):
        return _(
            "Over the same years the rate of {province} as a whole went from {province_start} % "
            "to {province_end} %, and Indonesia's from {national_start} % to {national_end} %."
        ).format(
            province=change.province_name,
            province_start=_p(change.province_p0_start),
            province_end=_p(change.province_p0_end),
            national_start=_p(change.national_p0_start),
            national_end=_p(change.national_p0_end),
        )
    if change.province_p0_end is not None and change.national_p0_end is not None:
        return _(
            "BPS's provincial and national rates are in the data from 2015 only: in {end} "
            "{province} stood at {province_end} % and Indonesia at {national_end} %; for {start} "
            "the median of the regencies is the only yardstick."
        ).format(
            end=e,
            province=change.province_name,
            province_end=_p(change.province_p0_end),
            national_end=_p(change.national_p0_end),
            start=s,
        )
    return _(
        "BPS's provincial and national rates are in the data for 2015\u20132025 only, so for "
        "{start}\u2013{end} the median of {province}'s regencies and cities is the yardstick."
    ).format(start=s, end=e, province=change.province_name)


def _poor_sentence(change: PeriodChange) -> str:
    start, end = change.poor_thousands_start, change.poor_thousands_end
    if start is not None and end is not None:
        return _(
            "The number of poor people went from {start} thousand to {end} thousand "
            "({change} thousand)."
        ).format(start=_p(start), end=_p(end), change=_plus(end - start))
    if start is not None or end is not None:
        year, value = (change.start_year, start) if start is not None else (change.end_year, end)
        return _(
            "The number of poor people is in the data for {year} only: {value} thousand."
        ).format(year=year, value=_p(value))
    return _("The data hold no count of poor people in {area} for {start} or {end}.").format(
        area=change.area_name, start=change.start_year, end=change.end_year
    )


# --------------------------------------------------------------------------- figures
def _edition_ticks(ax, axis: str) -> None:
    """Tick labels of a number axis in the edition's digits ("2,5" in Indonesian).

    The English edition keeps matplotlib's own labels (its figures stay as they were).
    """
    if language() == "en":
        return
    from matplotlib.ticker import FuncFormatter

    def label(value, _position):
        digits = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
        return fmt.number(value, digits)

    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(label))


def plot_p0_history(history: P0History):
    """P0 of the area (line; marker = source; gaps shaded), province, nation and the median."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_IN, 4.8), layout="constrained")
    line, comparison = history.line, history.comparison
    for year in history.missing_years:
        ax.axvspan(
            year - 0.5,
            year + 0.5,
            color="0.92",
            zorder=0,
            label=_("no figure (gap)") if year == history.missing_years[0] else None,
        )
    ax.plot(
        comparison["year"],
        comparison["median"],
        color="0.45",
        ls="-.",
        lw=1.2,
        label=_("median of {province}'s regencies/cities").format(
            province=history.area.province_name
        ),
    )
    ax.plot(
        comparison["year"],
        comparison["province_p0"],
        color="C1",
        ls="--",
        marker=".",
        lw=1.4,
        label=_("{province} (provincial rate)").format(province=history.area.province_name),
    )
    ax.plot(
        comparison["year"],
        comparison["national_p0"],
        color="C2",
        ls=":",
        marker=".",
        lw=1.6,
        label="Indonesia",
    )
    ax.plot(line["year"], line["value"], color="C0", lw=2.2, zorder=3)
    for series, points in line.dropna(subset=["value"]).groupby("series", sort=False):
        ax.scatter(
            points["year"],
            points["value"],
            marker=SERIES_MARKERS.get(series, "o"),
            color="C0",
            s=36,
            zorder=4,
            label=f"{history.area.name}: {series_short(series)}",
        )
    other = history.disagreements
    if len(other):
        ax.scatter(
            other["year"],
            other["value"],
            marker="D",
            facecolors="none",
            edgecolors="C3",
            s=50,
            zorder=5,
            label=_("other source, same year (not on the line)"),
        )
    ax.set(
        title=_("Headcount poverty rate (P0), {area}, {round}").format(
            area=history.area.name, round=round_label(history.round)
        ),
        xlabel=_("Year"),
        ylabel=_("Population below the poverty line (%)"),
        xlim=(line["year"].min() - 0.5, line["year"].max() + 0.5),
    )
    ax.set_xticks(line["year"][::2])
    ax.set_ylim(bottom=0)
    _edition_ticks(ax, "y")
    fig.legend(loc="outside lower center", ncol=2, fontsize="small", frameon=False)
    return fig


def plot_province_rank(ranks: ProvinceRanks):
    """Left: P0 of every area of the province, the median and this area; right: its rank."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(figures.TEXT_WIDTH_IN, 3.6),
        gridspec_kw={"width_ratios": [3, 2]},
        layout="constrained",
    )
    peers, table = ranks.peers, ranks.table
    left.scatter(
        peers["year"],
        peers["p0"],
        color="0.65",
        s=12,
        alpha=0.7,
        label=_("each regency or city"),
    )
    left.plot(
        table["year"], table["median"], color="k", ls="-.", lw=1.2, label=_("provincial median")
    )
    left.plot(table["year"], table["p0"], color="C3", marker="o", lw=2, label=ranks.area.name)
    left.set(
        title=_("P0 in {province}, {n} areas").format(
            province=ranks.area.province_name, n=fmt.integer(table["n_areas"].max())
        ),
        xlabel=_("Year"),
        ylabel=_("Population below the poverty line (%)"),
    )
    _edition_ticks(left, "y")
    left.legend(fontsize="small")
    n = int(table["n_areas"].max())
    right.plot(table["year"], table["rank"], color="C3", marker="o", lw=2)
    right.set(
        title=_("Rank of {area}").format(area=ranks.area.name),
        xlabel=_("Year"),
        ylabel=_("Rank of {n} (1 = highest P0)").format(n=fmt.integer(n)),
        ylim=(n + 0.5, 0.5),
        yticks=sorted({1, *range(5, n, 5), n}),
    )
    for axis in (left, right):
        axis.set_xticks(table["year"][::2])
    return fig


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
                # the rounds for readers ("March"; "Maret" in the Indonesian edition)
                "province_round": round_label(self.province_round),
                "national_round": round_label(self.national_round),
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

    def summary(self) -> str:
        d = self.to_dict()
        return _(
            "{n} regencies and cities of {province} in {year}: P0 from {lowest_p0} % "
            "({lowest}) to {highest_p0} % ({highest})."
        ).format(
            n=fmt.integer(d["n_areas"]),
            province=d["province_name"],
            year=d["year"],
            lowest_p0=_p(d["lowest_p0"]),
            lowest=d["lowest_name"],
            highest_p0=_p(d["highest_p0"]),
            highest=d["highest_name"],
        )

    def marked_sentences(self) -> str:
        """One sentence per marked area: its P0 and rank that year."""
        n = len(self.table)
        return " ".join(
            _("{area} ({code}) had {p0} %, {rank} of {n}.").format(
                area=row.area_name,
                code=row.area_code,
                p0=_p(row.p0),
                rank=ordinal(int(row.rank)),
                n=fmt.integer(n),
            )
            for row in self.marked().itertuples()
        )


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
    name = _name_of(facts, code) or code
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


def overview_table(overview: ProvinceOverview) -> pd.DataFrame:
    """The ranked list for readers: rank, area, type, P0 and distance from the province."""
    t = overview.table
    return pd.DataFrame(
        {
            _("Rank"): t["rank"],
            _("Area"): t["area_name"] + np.where(t["marked"], " \u25c6", ""),
            _("Code"): t["area_code"],
            _("Type"): t["area_type"].map(lambda k: _(AREA_TYPE_LABELS[k])),
            _("P0 (%)"): t["p0"].map(_p),
            _("Difference from the province (pp)"): t["distance_province_pp"].map(
                lambda v: "" if pd.isna(v) else _plus(v)
            ),
        }
    )


def plot_province_overview(overview: ProvinceOverview):
    """A ranked dot plot: one dot per area, the province and national rates as lines."""
    import matplotlib.pyplot as plt

    t = overview.table.iloc[::-1].reset_index(drop=True)  # highest P0 at the top
    fig, ax = plt.subplots(
        figsize=(figures.TEXT_WIDTH_IN, 0.17 * len(t) + 1.6), layout="constrained"
    )
    positions = np.arange(len(t))
    plain_rows, marked_rows = t[~t["marked"]], t[t["marked"]]
    ax.hlines(positions, 0, t["p0"], color="0.88", lw=0.8, zorder=1)
    ax.scatter(
        plain_rows["p0"],
        plain_rows.index,
        color="0.35",
        s=18,
        zorder=2,
        label=_("regency or city"),
    )
    ax.scatter(
        marked_rows["p0"],
        marked_rows.index,
        color="C3",
        marker="D",
        s=42,
        zorder=3,
        label=_("the study areas"),
    )
    for value, style, label in (
        (
            overview.province_p0,
            "-.",
            _("{province} (BPS, {round})").format(
                province=overview.province_name, round=round_label(overview.province_round)
            ),
        ),
        (
            overview.national_p0,
            ":",
            _("Indonesia (BPS, {round})").format(round=round_label(overview.national_round)),
        ),
    ):
        if value is not None:
            ax.axvline(
                value,
                color="k",
                ls=style,
                lw=1.1,
                label=_("{label}: {p0} %").format(label=label, p0=_p(value)),
            )
    ax.set_yticks(positions, t["area_name"], fontsize="small")
    for tick, marked in zip(ax.get_yticklabels(), t["marked"]):
        if marked:
            tick.set_color("C3")
            tick.set_fontweight("bold")
    ax.set(
        xlabel=_("Population below the poverty line, March (%)"),
        ylim=(-0.8, len(t) - 0.2),
        xlim=(0, float(t["p0"].max()) * 1.08),
        title=_("P0 of the {n} regencies and cities of {province}, {year}").format(
            n=fmt.integer(len(t)), province=overview.province_name, year=overview.year
        ),
    )
    _edition_ticks(ax, "x")
    ax.legend(loc="lower right", fontsize="small")
    return fig
