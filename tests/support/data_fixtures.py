"""A small valid study directory, written as text so tests can break it line by line."""

from __future__ import annotations

import csv
from pathlib import Path

STUDY_TEXT = {
    "studies.csv": (
        "site,short_name,title,place,regency_code,programme,selection,claim_pct_low,"
        "claim_pct_high,sample_clusters,sample_per_cluster,sampling_seed,reference\n"
        'pakis,Kelurahan Pakis,Pelaksanaan P2KP,"Kelurahan Pakis, Kabupaten Banyuwangi",3510,'
        "P2KP,purposive,35,45,,,,Pakis thesis\n"
        'jombang,Jombang,Implementasi kebijakan,"Kabupaten Jombang",3517,regency programmes,'
        "two-stage cluster,,,1,resident=1,7,Jombang article\n"
    ),
    "programmes.csv": (
        "site,programme,level,sector,instrument,planning,target,source\n"
        "pakis,P2KP,central,economy,revolving credit,mixed,poor urban households,Pakis thesis\n"
        "jombang,Jamkesda,regency,health,health insurance,top-down,poor households missing from central data,Jombang article\n"
    ),
    "informants.csv": (
        "informant_id,site,role,level,cluster,consent_quote\n"
        "PKS-R01,pakis,resident,community,RW 01,true\n"
        "PKS-R02,pakis,resident,community,RW 02,false\n"
        "PKS-S01,pakis,kelurahan_staff,kelurahan,,true\n"
        "JBG-001,jombang,regency_official,regency,,true\n"
    ),
    "codebook.csv": (
        "code,theme,description\n"
        "working_capital,programmes,Credit used as working capital\n"
        "top_down_planning,strategies,Planning decided above\n"
    ),
    "segments.csv": (
        "segment_id,site,source_id,source_type,code,coder,text,informant_id\n"
        "S001,pakis,INT-01,interview,working_capital,coder_a,Modal untuk beli bahan baku,PKS-R01\n"
        "S001,pakis,INT-01,interview,working_capital,coder_b,Modal untuk beli bahan baku,PKS-R01\n"
        "S002,pakis,INT-02,interview,working_capital,coder_a,Saya beli alat,PKS-R02\n"
        "S003,jombang,DOC-01,document,top_down_planning,coder_a,Program dari pusat,\n"
    ),
    "households.csv": (
        "household_id,site,kelurahan,cluster,recipient,component,income_before,income_after,year_before,year_after,loan_amount\n"
        "H001,pakis,Pakis,RW 01,true,revolving_credit,900000,1250000,2014,2017,2000000\n"
        "H002,pakis,Pakis,RW 01,true,direct_aid,800000,1100000,2014,2017,\n"
        "H003,pakis,Pakis,RW 02,false,none,850000,900000,2014,2017,\n"
    ),
    "sampling_frame.csv": (
        "site,cluster,cluster_type,kecamatan,stratum,size\n"
        "jombang,DS-001,desa,KEC-01,resident,20\n"
        "jombang,KL-1,kelurahan,KEC-01,resident,35\n"
    ),
}


def write_study(
    root: Path,
    replace: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
    encoding: str = "utf-8",
) -> Path:
    """Write the valid study files into ``root/study/`` with some replaced or dropped; returns root."""
    study = Path(root) / "study"
    study.mkdir(parents=True, exist_ok=True)
    texts = {**STUDY_TEXT, **(replace or {})}
    for name, text in texts.items():
        if name in drop:
            continue
        (study / name).write_bytes(text.encode(encoding))
    return Path(root)


SITE_COLUMNS = ("site", "finding_site")


def rename_site(data: Path, old: str, new: str) -> None:
    """Give the study ``old`` the id ``new`` in every study file of ``data``."""
    for path in sorted((data / "study").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        columns = [i for i, name in enumerate(header) if name in SITE_COLUMNS]
        for row in rows[1:]:
            for i in columns:
                if i < len(row) and row[i] == old:
                    row[i] = new
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
