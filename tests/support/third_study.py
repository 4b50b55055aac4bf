"""A third study of our own making, laid out like the shipped ones, for end-to-end build tests.

Kelurahan Sisir, Kota Batu (BPS 3579): PNPM Mandiri Perkotaan, informants chosen purposively,
seven informants, segments coded by two coders with codes of the shipped codebook, twelve
households with incomes of 2014 and 2016, and a published claim of a 20-30 % rise. Every value is
invented for the test; nothing here is a field result.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.contract import study_file
from analysis.data.csvfile import to_csv_text

SITE = "sisir"
REGISTRY_ROW = {
    "site": SITE,
    "short_name": "Kelurahan Sisir",
    "title": "Pelaksanaan PNPM Mandiri Perkotaan di Kelurahan Sisir (invented for the tests)",
    "place": "Kelurahan Sisir, Kecamatan Batu, Kota Batu",
    "regency_code": "3579",
    "regency_name": "Kota Batu",
    "programme": "PNPM Mandiri Perkotaan",
    "selection": "purposive",
    "headline": "PNPM seen by its residents",
    "fieldwork_year": "2016",
    "claim_pct_low": "20",
    "claim_pct_high": "30",
    "design": "qualitative, descriptive",
    "reference": "Invented third study of the test suite",
}
CODES = ("p2kp_bkm_ksm", "meaning_basic_needs", "ind_low_income")
TEXTS = (
    "BKM memilih warga yang menerima pinjaman.",
    "Orang miskin itu tidak bisa makan tiga kali sehari.",
    "Penghasilan kami tidak tetap setiap bulan.",
)


def households() -> pd.DataFrame:
    """Twelve recipient households in two RW, incomes of 2014 and 2016 (Rupiah a month)."""
    rng = np.random.default_rng(3579)
    before = rng.integers(60, 160, size=12) * 10_000
    after = before + rng.integers(10, 45, size=12) * 10_000
    return pd.DataFrame(
        {
            "household_id": [f"SSR-H{k + 1:02d}" for k in range(12)],
            "site": SITE,
            "kelurahan": "Sisir",
            "cluster": ["RW01", "RW02"] * 6,
            "recipient": True,
            "component": "revolving_credit",
            "income_before": before,
            "income_after": after,
            "year_before": 2014,
            "year_after": 2016,
        }
    )


def _append(path: Path, key: str, rows: pd.DataFrame) -> None:
    spec = study_file(key)
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = rows.astype(object).astype(str).reindex(columns=old.columns, fill_value="")
    both = pd.concat([old, rows], ignore_index=True)
    path.write_text(to_csv_text(both.replace("", None), spec), encoding="utf-8")


def write_third_study(data: Path, source: Path) -> Path:
    """Copy ``source`` (a data directory like data/) to ``data`` and add the third study."""
    shutil.copytree(source, data)
    study = data / "study"
    _append(study / "studies.csv", "studies", pd.DataFrame([REGISTRY_ROW]))
    informants = pd.DataFrame(
        {
            "informant_id": [f"SSR-R{k}" for k in range(1, 7)] + ["SSR-S1"],
            "site": SITE,
            "role": ["resident"] * 6 + ["kelurahan_staff"],
            "level": ["community"] * 6 + ["kelurahan"],
            "cluster": ["RW01", "RW02"] * 3 + [""],
            "consent_quote": ["true"] * 5 + ["false", "true"],
        }
    )
    _append(study / "informants.csv", "informants", informants)
    rows = []
    for k, informant in enumerate(informants["informant_id"]):
        for j, (code, text) in enumerate(zip(CODES, TEXTS)):
            segment = f"SSR-{k}{j}"
            for coder in ("C1", "C2") if (k + j) % 2 == 0 else ("C1",):
                rows.append(
                    (segment, SITE, f"INT-SSR-{k}", "interview", code, coder, text, informant)
                )
    segments = pd.DataFrame(
        rows,
        columns=[
            "segment_id",
            "site",
            "source_id",
            "source_type",
            "code",
            "coder",
            "text",
            "informant_id",
        ],
    )
    _append(study / "segments.csv", "segments", segments)
    programmes = pd.DataFrame(
        [
            {
                "site": SITE,
                "programme": "PNPM Mandiri Perkotaan: kredit bergulir",
                "level": "central",
                "sector": "economy",
                "instrument": "revolving credit",
                "planning": "mixed",
                "target": "poor residents with a small business",
                "source": "invented for the tests",
            }
        ]
    )
    _append(study / "programmes.csv", "programmes", programmes)
    _append(study / "households.csv", "households", households())
    return data
