"""BPS poverty figures: the three tidy files of ``data/public/`` and the areas they cover.

One observation a row: ``area_code`` (a string, "3517"; provinces two digits; Indonesia "00"),
``year``, ``round`` (Susenas March or September), ``indicator`` (p0, poor_thousands,
poverty_line, p1, p2), ``value``, the BPS release it comes from (``release``) and where it was
retrieved (``series``; ``source``, the page's title; ``source_url``).
:mod:`analysis.methods.context` follows one area through these figures and
:mod:`analysis.methods.province` sets the areas of a province side by side.

Series
    ``bps_regency_p0`` (BPS 2010-2018 regency series, via Miranti 2020) is the primary series;
    ``regency_updates`` holds later releases quoted by BPS officials, Bappeda or the press;
    ``bps_province_poverty`` BPS's provincial and national table (2015-2025).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

PRIMARY_SERIES = "bps_regency_p0"
#: Series (file keys) in order of preference for the line: the first one with a figure wins.
SERIES_ORDER = ("bps_regency_p0", "regency_updates", "bps_province_poverty")
NATIONAL_CODE = "00"
LOCAL_TYPES = ("regency", "city")
INDICATORS = ("p0", "poor_thousands", "poverty_line", "p1", "p2")
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
    for column in ("province", "release", "source", "source_url", "note", "unit"):
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
    province_name = row["province"] or area_name_of(facts, province_code) or province_code
    return Area(
        code, str(row["area_name"]), str(row["area_type"]), province_code, str(province_name)
    )


def area_name_of(facts: pd.DataFrame, code: str) -> str | None:
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


def p0_rows(facts: pd.DataFrame, round_: str = "March") -> pd.DataFrame:
    return facts[(facts["indicator"] == "p0") & (facts["round"] == round_)]


def year_ranges(years) -> str:
    """[2010, 2011, 2012, 2014] -> "2010-2012, 2014" (en dash); "" for no year."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    spans = [[years[0], years[0]]]
    for year in years[1:]:
        if year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in spans)
