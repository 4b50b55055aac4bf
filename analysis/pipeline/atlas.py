"""The atlas: one context chapter per regency or city whose BPS code matches ``--areas CODES``.

``--areas 35`` gives the 38 regencies and cities of Jawa Timur, ``--areas 3517,3510`` two areas,
``--areas all`` all 514. Every atlas run is a run of the catalogue's context chapter
(``book/chapters.yml``: its template, inputs and skip rules) with the area's code and the whole
2010-2018 regency series as its study period; the chapters form a part of their own in the table
of contents.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.i18n import LANGUAGES, N_, translations
from analysis.pipeline.catalogue import Catalogue, load_catalogue
from analysis.pipeline.runner import Run, RunsFileError
from analysis.project import TEMPLATES_DIR

#: The catalogue's chapter an atlas chapter is a run of.
CHAPTER = "context"
AREA_FILE = "public/bps_regency_p0_2010_2018.csv"
LOCAL_TYPES = ("regency", "city")
PERIOD = (2010, 2018)
PERIOD_LABEL = N_(
    "the years of the BPS regency series (an atlas chapter has no study period of its own)"
)
OUTPUT_FOLDER = "chapters/atlas"


def parse_codes(text: str) -> list[str]:
    """``"35, 3517"`` -> ``["35", "3517"]``; ``"all"`` -> ``[""]`` (the prefix every code has).

    Raises RunsFileError for anything but BPS code digits (exit 2).
    """
    parts = [p.strip() for p in str(text).replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise RunsFileError("--areas: expected BPS codes or prefixes such as 35 or 3517, or 'all'")
    if any(p.lower() == "all" for p in parts):
        return [""]
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise RunsFileError(
            f"--areas: {bad[0]!r} is not a BPS code or prefix (digits, such as 35 or 3517), or 'all'"
        )
    return parts


def areas(data_dir: Path) -> list[dict]:
    """The regencies and cities of the BPS regency file: code, name, type, province (by code)."""
    path = Path(data_dir) / AREA_FILE
    found: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["area_type"] in LOCAL_TYPES and row["area_code"] not in found:
                found[row["area_code"]] = {
                    "code": row["area_code"],
                    "name": row["area_name"],
                    "type": row["area_type"],
                    "province": row["province"],
                }
    return [found[code] for code in sorted(found)]


def matching_areas(codes: str, data_dir: Path) -> list[dict]:
    """The areas whose code starts with one of the codes or prefixes. RunsFileError if none."""
    prefixes = parse_codes(codes)
    chosen = [a for a in areas(data_dir) if any(a["code"].startswith(p) for p in prefixes)]
    if not chosen:
        raise RunsFileError(
            f"--areas {codes}: no regency or city of {Path(data_dir) / AREA_FILE} has such a code"
        )
    return chosen


def atlas_runs(
    codes: str,
    data_dir: Path,
    templates_dir: Path = TEMPLATES_DIR,
    catalogue: Catalogue | None = None,
) -> list[Run]:
    """One context run per matching area (id ``atlas-CODE``), in code order."""
    chapter = (catalogue or load_catalogue()).chapter(CHAPTER)
    return [
        Run(
            id=f"atlas-{area['code']}",
            title=f"{area['name']} ({area['code']}), {area['province']}",
            template=chapter.template,
            output=f"{OUTPUT_FOLDER}/{Path(chapter.template).stem}_{area['code']}.ipynb",
            inputs=chapter.inputs,
            parameters={
                "area_code": int(area["code"]),
                "period_start": PERIOD[0],
                "period_end": PERIOD[1],
                "period_label": PERIOD_LABEL,
            },
            templates_dir=str(templates_dir),
            translated={
                lang: {"parameters": {"period_label": translations(lang).gettext(PERIOD_LABEL)}}
                for lang in LANGUAGES[1:]
            },
        )
        for area in matching_areas(codes, data_dir)
    ]


def toc_part(runs: list[Run], codes: str) -> dict:
    """The table-of-contents part holding the atlas chapters."""
    label = "all regencies and cities" if parse_codes(codes) == [""] else f"BPS codes {codes}"
    return {
        "caption": f"Atlas: {len(runs)} regencies and cities ({label})",
        "chapters": [{"file": run.docname} for run in runs],
    }
