"""Maintainers' tool: carry the BPS reference tables into tidy files in ``data/public/``.

Run once by a maintainer (``python scripts/reference_import.py ../shared/reference data``); the
committed CSVs are the product. The build never runs this module and never reads the reference
folder. Tests compare the committed files with a fresh conversion when the reference is present.

Tidy layout (see :data:`analysis.data.contract.PUBLIC_FILES`): one observation a row with area_code,
area_name, area_type, province, year, round, indicator, value, unit, release, source, source_url,
note. ``release`` names the BPS release a figure comes from (:func:`release_and_retrieval`), at
the precision its page supports; ``source`` and ``source_url`` name the page it was retrieved from.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from analysis.data.contract import (
    BPS_PROVINCE_POVERTY,
    BPS_REGENCY_P0,
    CPI_INFLATION_NATIONAL,
    POVERTY_UNITS,
    REGENCY_UPDATES,
)

#: BPS two-digit province codes. The provinces created in 2022 carry BPS's codes (92, 95, 96, 97),
#: which differ from the Ministry of Home Affairs' (Kemendagri) numbering.
PROVINCE_CODES = {
    "Aceh": "11",
    "Sumatera Utara": "12",
    "Sumatera Barat": "13",
    "Riau": "14",
    "Jambi": "15",
    "Sumatera Selatan": "16",
    "Bengkulu": "17",
    "Lampung": "18",
    "Kepulauan Bangka Belitung": "19",
    "Kepulauan Riau": "21",
    "DKI Jakarta": "31",
    "Jawa Barat": "32",
    "Jawa Tengah": "33",
    "DI Yogyakarta": "34",
    "Jawa Timur": "35",
    "Banten": "36",
    "Bali": "51",
    "Nusa Tenggara Barat": "52",
    "Nusa Tenggara Timur": "53",
    "Kalimantan Barat": "61",
    "Kalimantan Tengah": "62",
    "Kalimantan Selatan": "63",
    "Kalimantan Timur": "64",
    "Kalimantan Utara": "65",
    "Sulawesi Utara": "71",
    "Sulawesi Tengah": "72",
    "Sulawesi Selatan": "73",
    "Sulawesi Tenggara": "74",
    "Gorontalo": "75",
    "Sulawesi Barat": "76",
    "Maluku": "81",
    "Maluku Utara": "82",
    "Papua Barat": "91",
    "Papua Barat Daya": "92",
    "Papua": "94",
    "Papua Selatan": "95",
    "Papua Tengah": "96",
    "Papua Pegunungan": "97",
    "Indonesia": "00",
}
PROVINCE_NAMES = {code: name for name, code in PROVINCE_CODES.items()}

REGENCY_SOURCE = (
    "BPS, via Miranti (2020), Regional Poverty Convergence across Districts in Indonesia"
)
REGENCY_URL = (
    "https://github.com/quarcs-lab/tutorial-distribution-dynamics--Master-s-Thesis-Cani-Chapter-2/blob/"
    "acbaec75eee6ed15373c346a4058910b70e4eb6e/data/poverty.csv"
)
PROVINCE_SOURCE = "BPS, Jumlah dan Persentase Penduduk Miskin Menurut Provinsi {year}"
PROVINCE_URL = (
    "https://github.com/akbaralqahri/Kemiskinan-Indonesia/tree/"
    "424c0a5e83fd2050e165b220de1a36f8dc033e80/data/raw/poverty"
)
PROVINCE_NOTES = {
    (
        "35",
        2024,
        "September",
        "poverty_line",
    ): "One press report gives 547,571 (digits transposed); the BPS table gives 547,751.",
}

#: Cells of the province tables that are defective in the source and are left out (no row),
#: rather than corrected from memory. Any other implausible value stops the conversion.
PROVINCE_DEFECTS = {
    (
        "00",
        2018,
        "March",
        "p0",
    ): "the cell repeats the September number of poor (25674.58), not a percentage",
    (
        "00",
        2022,
        "March",
        "poverty_line",
    ): "the cell reads 505, not a poverty line in Rupiah (truncated)",
}
#: Plausible ranges (inclusive) of each indicator, for the check above.
PLAUSIBLE = {
    "p0": (0.1, 60.0),
    "poor_thousands": (1.0, 40_000.0),
    "poverty_line": (100_000.0, 2_000_000.0),
}

POVERTY_COLUMNS = BPS_REGENCY_P0.columns
# Source column of the province tables -> (indicator, round). Columns differ by year: 2015 and
# 2016 have no poverty line.
_PROVINCE_COLUMN = re.compile(
    r"^(?P<what>Garis Kemiskinan|Jumlah Penduduk Miskin|Persentase Penduduk Miskin) - (?P<month>Maret|September)"
)
_WHAT = {
    "Garis Kemiskinan": "poverty_line",
    "Jumlah Penduduk Miskin": "poor_thousands",
    "Persentase Penduduk Miskin": "p0",
}
_ROUND = {"Maret": "March", "September": "September"}


def area_type(code: str) -> str:
    """regency, city, province or country from a BPS code (cities have digits 3-4 of 71 and above).

    The code decides, not the name: Kabupaten Kotabaru (6302) is written "Kota Baru" but is a regency.
    """
    if code == "00":
        return "country"
    if len(code) == 2:
        return "province"
    return "city" if int(code[2:4]) >= 71 else "regency"


def _format_value(value: float) -> str:
    """Shortest exact decimal text of a figure (9.56, 488754, 1463.67)."""
    return format(float(value), ".15g")


#: Where the two compiled series were retrieved (their ``source``): the repository, not BPS.
REGENCY_RETRIEVAL = "quarcs-lab/tutorial-distribution-dynamics (GitHub), data/poverty.csv, compiled for Miranti (2020)"
PROVINCE_RETRIEVAL = "akbaralqahri/Kemiskinan-Indonesia (GitHub), data/raw/poverty"
PROVINCE_TABLE = "BPS, Jumlah dan Persentase Penduduk Miskin Menurut Provinsi"
_MONTH = {"March": "Maret", "September": "September"}
_BRS_NATIONAL = re.compile(r"BRS No\. ([^:]+): (Profil Kemiskinan di Indonesia \w+ \d{4})")
_BRS_JATIM = re.compile(r"BRS BPS Jatim No\. ([^:]+): (Profil Kemiskinan di Jawa Timur \w+ \d{4})")
_BRS_NUMBER = re.compile(r"\(BRS No\. ([^)]+)\)")


def release_and_retrieval(row) -> tuple[str, str]:
    """(release, source) of a row: the BPS release its figure comes from, and the title of the
    page it was retrieved from.

    A release is named no more precisely than the row's page supports: a Berita Resmi Statistik
    with its number where the page names one; else the publication series and the figure's round
    (each round's figures are first published in that round's "Profil Kemiskinan"); for figures
    quoted by officials or the press, the issuing office, the figures and the round. No number,
    table or date is made up.
    """
    source, url = str(row["source"]), str(row["source_url"])
    if row["indicator"].startswith("cpi_"):
        return f"BPS, consumer price inflation, December {row['year']}", source
    if url == REGENCY_URL:
        return f"BPS, headcount poverty rate (P0) by regency and city, March {row['year']}", (
            REGENCY_RETRIEVAL
        )
    if url == PROVINCE_URL:
        return f"{PROVINCE_TABLE}, {row['year']}", PROVINCE_RETRIEVAL
    round_ = f"{_MONTH[row['round']]} {row['year']}"
    if row["area_code"] == "00":
        if m := _BRS_NATIONAL.search(source):
            return f"BPS, Berita Resmi Statistik No. {m.group(1)}: {m.group(2)}", source
        return f"BPS, Berita Resmi Statistik: Profil Kemiskinan di Indonesia {round_}", source
    if row["area_code"] == "35":
        office = "BPS Provinsi Jawa Timur, Berita Resmi Statistik"
        if m := _BRS_JATIM.search(source):
            return f"{office} No. {m.group(1)}: {m.group(2)}", source
        if m := _BRS_NUMBER.search(source):
            return f"{office} No. {m.group(1)}: Profil Kemiskinan di Jawa Timur {round_}", source
        return f"{office}: Profil Kemiskinan di Jawa Timur {round_}", source
    when = f"{row['round']} {row['year']}"
    if "BPS Banyuwangi official" in source:
        return f"BPS Kabupaten Banyuwangi, poverty figures, {when}", source
    return f"BPS, poverty figures of Kabupaten {row['area_name']}, {when}", source


def _finish(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    named = frame.apply(release_and_retrieval, axis=1, result_type="expand")
    frame["release"], frame["source"] = named[0], named[1]
    frame = frame[columns].copy()
    frame["value"] = frame["value"].map(_format_value)
    return frame.reset_index(drop=True)


def regency_p0(reference: Path) -> pd.DataFrame:
    """All 514 regencies and cities, P0 March 2010-2018, from ``bps/district_p0_2010_2018.csv``."""
    wide = pd.read_csv(reference / "bps" / "district_p0_2010_2018.csv", dtype={"Code": str})
    long = wide.melt(id_vars=["District", "Code"], var_name="column", value_name="value").dropna(
        subset=["value"]
    )
    long["year"] = long["column"].str.removeprefix("pov").astype(int)
    out = pd.DataFrame(
        {
            "area_code": long["Code"],
            "area_name": long["District"],
            "area_type": long["Code"].map(area_type),
            "province": long["Code"].str[:2].map(PROVINCE_NAMES),
            "year": long["year"],
            "round": "March",
            "indicator": "p0",
            "value": long["value"].astype(float),
            "unit": POVERTY_UNITS["p0"],
            "source": REGENCY_SOURCE,
            "source_url": REGENCY_URL,
            "note": "",
        }
    )
    out.loc[(out["area_code"] == "3510") & (out["year"] == 2013), "note"] = (
        "A BPS Banyuwangi official quoted 9.57 for 2013 (see regency_updates_2013_2025.csv): a different release."
    )
    if out["province"].isna().any():
        raise ValueError(
            f"unknown province code in {sorted(out.loc[out['province'].isna(), 'area_code'].unique())}"
        )
    return _finish(out.sort_values(["area_code", "year"]), POVERTY_COLUMNS)


def province_poverty(reference: Path) -> pd.DataFrame:
    """All provinces and Indonesia, 2015-2025, from ``bps/province_poverty_2015_2025/province_poverty_YYYY.csv``.

    "..." (not published) and empty cells give no row; footnote lines ("Keterangan") are dropped.
    """
    frames = []
    for path in sorted(
        (reference / "bps" / "province_poverty_2015_2025").glob("province_poverty_*.csv")
    ):
        year = int(path.stem.rsplit("_", 1)[1])
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table = table[table["Provinsi"].isin(PROVINCE_CODES)]
        renames = {}
        for column in table.columns[1:]:
            match = _PROVINCE_COLUMN.match(column)
            if match is None:
                raise ValueError(f"{path.name}: unexpected column {column!r}")
            renames[column] = f"{_WHAT[match['what']]}|{_ROUND[match['month']]}"
        long = table.rename(columns=renames).melt(
            id_vars=["Provinsi"], var_name="column", value_name="text"
        )
        long = long[~long["text"].str.strip().isin(["...", "", "-"])]
        long[["indicator", "round"]] = long["column"].str.split("|", expand=True)
        long["year"] = year
        frames.append(long)
    long = pd.concat(frames, ignore_index=True)
    codes = long["Provinsi"].map(PROVINCE_CODES)
    out = pd.DataFrame(
        {
            "area_code": codes,
            "area_name": long["Provinsi"],
            "area_type": codes.map(area_type),
            "province": long["Provinsi"].where(codes != "00", ""),
            "year": long["year"],
            "round": long["round"],
            "indicator": long["indicator"],
            "value": pd.to_numeric(long["text"], errors="raise"),
            "unit": long["indicator"].map(POVERTY_UNITS),
            "source": long["year"].map(lambda y: PROVINCE_SOURCE.format(year=y)),
            "source_url": PROVINCE_URL,
            "note": "",
        }
    )
    keys = list(zip(out["area_code"], out["year"], out["round"], out["indicator"]))
    out["note"] = [PROVINCE_NOTES.get(key, "") for key in keys]
    out = out[[key not in PROVINCE_DEFECTS for key in keys]]
    low = out["indicator"].map(lambda i: PLAUSIBLE[i][0])
    high = out["indicator"].map(lambda i: PLAUSIBLE[i][1])
    implausible = out[(out["value"] < low) | (out["value"] > high)]
    if not implausible.empty:
        raise ValueError(f"implausible values in the province tables:\n{implausible.to_string()}")
    out = _with_verified_national_jatim(out, reference)
    order = {name: i for i, name in enumerate(("p0", "poor_thousands", "poverty_line"))}
    out = out.assign(_i=out["indicator"].map(order)).sort_values(
        ["area_code", "year", "round", "_i"]
    )
    return _finish(out, POVERTY_COLUMNS)


#: Areas whose rows come from ``bps/verified_national_jatim_2015_2025.csv`` (checked against BPS
#: releases): Indonesia's rows in the province tables are defective (March 2017 P0 10.12 is the
#: September figure, the March 2017 poverty line is wrong, March 2018 P0 and the March 2022
#: poverty line are missing). A verified row replaces the province-table row with the same key;
#: Indonesia keeps no unverified row; Jawa Timur keeps the province-table rows the verified file
#: lacks (every Jawa Timur value the two share agrees).
VERIFIED_AREAS = {"Indonesia": "00", "Jawa Timur": "35"}
VERIFIED_ONLY = {"00"}
NO_SEPTEMBER_2023 = (
    "There was no September 2023 round: BPS computed no poverty figures for September 2023 "
    "('September 2023 tidak dilakukan penghitungan kemiskinan'); this release compares with "
    "March 2023 and September 2022."
)


def verified_national_jatim(reference: Path) -> pd.DataFrame:
    """Indonesia and Jawa Timur rows from ``bps/verified_national_jatim_2015_2025.csv``, tidy.

    ``poor_millions`` (as the press reported it) becomes ``poor_thousands`` (x 1000) with the
    reported figure in the note. Rows without a value (the September 2023 round BPS never ran)
    give no row; the March 2024 P0 rows say that there was no September 2023 round.
    """
    raw = pd.read_csv(
        reference / "bps" / "verified_national_jatim_2015_2025.csv",
        dtype=str,
        keep_default_na=False,
    )
    raw = raw[raw["value"].str.strip() != ""]
    value = pd.to_numeric(raw["value"], errors="raise")
    millions = raw["indicator"] == "poor_millions"
    indicator = raw["indicator"].where(~millions, "poor_thousands")
    reported = "reported as " + raw["value"] + " million"
    note = raw["note"].str.strip()
    note = note.where(~millions, (reported + "; " + note).str.rstrip("; "))
    codes = raw["area"].map(VERIFIED_AREAS)
    out = pd.DataFrame(
        {
            "area_code": codes,
            "area_name": raw["area"],
            "area_type": codes.map(area_type),
            "province": raw["area"].where(codes != "00", ""),
            "year": raw["year"].astype(int),
            "round": raw["round"],
            "indicator": indicator,
            "value": value.where(~millions, (value * 1000).round(6)),
            "unit": indicator.map(POVERTY_UNITS),
            "source": raw["source_title"],
            "source_url": raw["source_url"],
            "note": note,
        }
    )
    march_2024_p0 = (out["year"] == 2024) & (out["round"] == "March") & (out["indicator"] == "p0")
    out.loc[march_2024_p0, "note"] = NO_SEPTEMBER_2023
    duplicated = out.duplicated(["area_code", "year", "round", "indicator"], keep=False)
    if duplicated.any():
        raise ValueError(f"the verified file has more than one row for:\n{out[duplicated]}")
    return out


def _with_verified_national_jatim(tables: pd.DataFrame, reference: Path) -> pd.DataFrame:
    """Province-table rows with Indonesia and Jawa Timur replaced by the verified rows."""
    verified = verified_national_jatim(reference)
    key = ["area_code", "year", "round", "indicator"]
    has_verified = pd.MultiIndex.from_frame(tables[key]).isin(
        pd.MultiIndex.from_frame(verified[key])
    )
    drop = has_verified | tables["area_code"].isin(VERIFIED_ONLY)
    return pd.concat([tables[~drop], verified], ignore_index=True)


def _source_from_url(url: str, note: str) -> str:
    """Short citation of a news page: who is quoted and the site that reports it."""
    host = urlparse(url).netloc.removeprefix("www.").removeprefix("opera.")
    if "BPS Banyuwangi" in note:
        return f"BPS Banyuwangi official, quoted by {host}"
    if "Bappeda" in note:
        return f"Bappeda Jombang presentation, reported by {host}"
    if "BPS" in note:
        return f"BPS, quoted by {host}"
    return f"News report, {host}"


def _read_with_unquoted_note(path: Path) -> pd.DataFrame:
    """Read a reference table whose last column (note) may hold unquoted commas ("107,82 ribu")."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, width = rows[0], len(rows[0])
    fixed = [row[: width - 1] + [",".join(row[width - 1 :])] for row in rows[1:] if row]
    return pd.DataFrame(fixed, columns=header)


def regency_updates(reference: Path) -> pd.DataFrame:
    """Later and extra figures for Jombang and Banyuwangi from ``bps/regency_updates_2013_2025.csv``."""
    raw = _read_with_unquoted_note(reference / "bps" / "regency_updates_2013_2025.csv")
    out = pd.DataFrame(
        {
            "area_code": raw["code"],
            "area_name": raw["district"],
            "area_type": raw["code"].map(area_type),
            "province": raw["code"].str[:2].map(PROVINCE_NAMES),
            "year": raw["year"].astype(int),
            "round": raw["round"],
            "indicator": raw["indicator"],
            "value": pd.to_numeric(raw["value"]),
            "unit": raw["indicator"].map(POVERTY_UNITS),
            "source": [_source_from_url(u, n) for u, n in zip(raw["source_url"], raw["note"])],
            "source_url": raw["source_url"],
            "note": raw["note"],
        }
    )
    out = pd.concat([out, _verified_regency_additions(reference, out)], ignore_index=True)
    return _finish(out.sort_values(["area_code", "year", "round"], kind="stable"), POVERTY_COLUMNS)


def _verified_regency_additions(reference: Path, existing: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``bps/regency_updates_verified_2026.csv`` that the older updates file lacks.

    These are the years missing elsewhere (Jombang 2019 and 2020, Banyuwangi 2025, and the number
    poor that goes with them); where both files have a figure they agree, and the older row stays.
    """
    raw = _read_with_unquoted_note(reference / "bps" / "regency_updates_verified_2026.csv")
    out = pd.DataFrame(
        {
            "area_code": raw["code"],
            "area_name": raw["district"],
            "area_type": raw["code"].map(area_type),
            "province": raw["code"].str[:2].map(PROVINCE_NAMES),
            "year": raw["year"].astype(int),
            "round": raw["round"],
            "indicator": raw["indicator"],
            "value": pd.to_numeric(raw["value"]),
            "unit": raw["indicator"].map(POVERTY_UNITS),
            "source": [
                _source_from_url(u, n if n else "BPS")
                for u, n in zip(raw["source_url"], raw["note"])
            ],
            "source_url": raw["source_url"],
            "note": raw["note"],
        }
    )
    key = ["area_code", "year", "round", "indicator"]
    known = pd.MultiIndex.from_frame(existing[key].astype({"year": int}))
    return out[~pd.MultiIndex.from_frame(out[key]).isin(known)]


def cpi_inflation_national(reference: Path) -> pd.DataFrame:
    """National CPI inflation (December on December) and the CPI level of December 2016 (2012=100)."""
    raw = _read_with_unquoted_note(reference / "bps" / "inflation_national_2011_2017.csv")
    out = pd.DataFrame(
        {
            "area_code": "00",
            "area_name": "Indonesia",
            "year": raw["year"].astype(int),
            "indicator": raw["indicator"],
            "value": pd.to_numeric(raw["value"]),
            "unit": raw["unit"],
            "source": [_source_from_url(u, n) for u, n in zip(raw["source_url"], raw["note"])],
            "source_url": raw["source_url"],
            "note": raw["note"],
        }
    )
    level = out[(out["year"] == 2016)].iloc[[0]].copy()
    level["indicator"] = "cpi_level_dec"
    level["value"] = 126.71
    level["unit"] = "index (2012=100)"
    level["note"] = "BPS: CPI (IHK) December 2016 = 126.71 (2012=100)"
    out = pd.concat([out, level], ignore_index=True)
    return _finish(out, CPI_INFLATION_NATIONAL.columns)


CONVERTERS = {
    BPS_REGENCY_P0.path: regency_p0,
    BPS_PROVINCE_POVERTY.path: province_poverty,
    REGENCY_UPDATES.path: regency_updates,
    CPI_INFLATION_NATIONAL.path: cpi_inflation_national,
}


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """The project's CSV dialect: UTF-8, comma, '\\n' line ends, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def import_reference(reference: Path, data_dir: Path) -> dict[str, int]:
    """Convert every reference table into ``data_dir/public/``; returns rows written per file."""
    written = {}
    for relpath, convert in CONVERTERS.items():
        frame = convert(Path(reference))
        write_csv(frame, Path(data_dir) / relpath)
        written[relpath] = len(frame)
    return written


if __name__ == "__main__":  # pragma: no cover - maintainers' entry point
    if len(sys.argv) != 3:
        sys.exit("usage: python scripts/reference_import.py REFERENCE_DIR DATA_DIR")
    for name, rows in import_reference(Path(sys.argv[1]), Path(sys.argv[2])).items():
        print(f"{name}: {rows} rows")
