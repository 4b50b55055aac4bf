"""Illustrative qualitative data for both studies: programmes, informants, codebook, coded segments.

The transcripts, field notes and codings of the two studies are not public. This module writes a
seeded stand-in, calibrated to what the studies report (see the book's introduction):

* **Jombang**: officials from the regency (Bappeda, Dinas Sosial, TKPK, ...) down to the
  kecamatan and the kelurahan, and residents; kelurahan officials and residents are drawn by the
  two-stage cluster sample of :mod:`analysis.methods.sampling` (kelurahan first, informants within) from
  the invented frame :func:`jombang_sampling_frame`, with ``sampling_seed`` (the same seed the
  Jombang chapter uses, so its methods section redraws exactly the informants in the data).
  Interview, observation and document segments cover the study's seven themes and its findings.
* **Pakis**: 9 core informants PKS-R01..PKS-R09 (residents who received P2KP, small-business
  owners) and 2 additional informants PKS-S01, PKS-S02 (kelurahan staff). The interviews and the
  households are generated together: a resident whose household is in ``households.csv`` speaks
  from that row (residents.yaml): the income change and incomes they name are the household's,
  said in words as people round them (:mod:`analysis.illustrative.spoken`); a loan, its amount
  and instalments only if the household has one, its use only as recorded, direct aid only in a
  direct-aid household; every such resident speaks of the income change and of the component
  received, a credit household of what the loan bought. No coder (slips included) codes what the
  row rules out, nor a credit code on a sentence that does not speak of the loan. These
  sentences draw from their own stream, so the other informants' segments, Jombang's and the
  kelurahan staff's, are what they would be without the households.

Every segment text is a short Indonesian sentence written for this dataset (no real person, no
names, no identity numbers), with an English gloss. Desa, kelurahan and kecamatan are invented ids
(``DS-017``, ``KL-2``, ``KEC-03``). Who says what follows role-specific probabilities; which informants agreed
to be quoted is drawn at random (some did not). A subset of segments is coded again by a second
coder (C2) and part of it by a third (C3), with realistic slips (codes missed, a neighbouring code
of the same theme chosen, a code added), so the agreement statistics have something to measure.
C1 codes every segment and is the primary coder.

Nothing here is a field result: the numbers the chapters compute from these data show how the
analysis works.
"""

from __future__ import annotations

import csv
from collections import namedtuple
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.data.contract import (
    CODEBOOK,
    INFORMANTS,
    PROGRAMMES,
    SAMPLING_FRAME,
    SEGMENTS,
    split_companion,
)
from analysis.illustrative import spoken
from analysis.illustrative.pakis import PAKIS_BUSINESS_TYPES
from analysis.methods.sampling import ClusterSample, redraw

#: Seed of the Jombang two-stage draw; book/runs.yml passes the same value as ``sampling_seed``.
HERE = Path(__file__).resolve().parent  # the texts and codes are data files beside this module
SAMPLING_SEED = 20170301
#: Design of the Jombang draw: kelurahan (clusters) at stage 1, informants per stratum at stage 2.
JOMBANG_CLUSTERS_DRAWN = 5
JOMBANG_PER_CLUSTER = {"kelurahan_official": 1, "resident": 3}
FRAME_SEED = 3517  # fixes the invented frame (BPS code of Jombang); not a parameter
PRIMARY_CODER, SECOND_CODER, THIRD_CODER = "C1", "C2", "C3"
#: Share of segments coded by the second coder, and share of those coded by the third too.
DOUBLE_CODED_SHARE = {"jombang": 0.40, "pakis": 0.50}
TRIPLE_CODED_SHARE = 0.5
#: Slips of the second and third coder per code the primary coder applied: probability of missing
#: it, of choosing a neighbouring code of the same theme instead, and of adding a code (per segment).
CODER_SLIPS = {"C2": (0.15, 0.12, 0.15), "C3": (0.20, 0.15, 0.20)}

THEME_GROUP = {t: "understanding poverty" for t in ("meaning", "indicators", "causes")} | {
    t: "responding to poverty"
    for t in ("strategies", "programmes", "empowerment", "infrastructure", "outcomes")
}


# The codebook: code, theme, label, description, finding (as the study reports it), finding site,
# finding logic ("all": the study states the codes jointly; "any").
_CODE_COLUMNS = (
    "code",
    "theme",
    "label",
    "description",
    "finding",
    "finding_site",
    "finding_logic",
)


def _read_code_rows() -> tuple[dict, ...]:
    """The rows of codes.csv beside this module, empty cells as None."""
    with (HERE / "codes.csv").open(encoding="utf-8", newline="") as handle:
        return tuple({k: v or None for k, v in row.items()} for row in csv.DictReader(handle))


def _read_codes() -> tuple[tuple, ...]:
    """The illustrative codebook (codes.csv beside this module): code, theme, label, description,
    finding, finding_site (empty: none)."""
    return tuple(tuple(row[c] for c in _CODE_COLUMNS) for row in _read_code_rows())


_CODES = _read_codes()

# One text variant: who says it ("official", "resident", "observation", "document"), Indonesian
# text, English gloss, codes besides the one it was chosen for, site it fits (None: both).
V = namedtuple("V", "who id en extra site", defaults=((), None))


def _read_texts() -> dict[str, tuple[V, ...]]:
    """The illustrative segment texts (texts.yaml beside this module), by code."""
    document = yaml.safe_load((HERE / "texts.yaml").read_text(encoding="utf-8"))
    return {
        code: tuple(
            V(v["who"], v["id"], v["en"], tuple(v.get("extra", ())), v.get("site"))
            for v in variants
        )
        for code, variants in document.items()
    }


TEXTS: dict[str, tuple[V, ...]] = _read_texts()

# What a Pakis resident whose household is in households.csv says: a sentence filled from that
# household's record (residents.yaml beside this module), with the record it fits (``when``).
R = namedtuple("R", "id en extra when")


def _read_residents() -> tuple[dict[str, tuple[R, ...]], dict[str, dict[str, tuple[str, str]]]]:
    """The residents' sentences by code and the words of each business (residents.yaml)."""
    document = yaml.safe_load((HERE / "residents.yaml").read_text(encoding="utf-8"))
    texts = {
        code: tuple(
            R(v["id"], v["en"], tuple(v.get("extra", ())), dict(v.get("when", {})))
            for v in variants
        )
        for code, variants in document["texts"].items()
    }
    words = {
        business: {field: tuple(pair) for field, pair in fields.items()}
        for business, fields in document["businesses"].items()
    }
    return texts, words


RESIDENT_TEXTS, BUSINESS_WORDS = _read_residents()
#: Codes that speak of a revolving-credit loan: only a household with a loan carries them.
CREDIT_CODES = frozenset(
    ("p2kp_revolving_credit", "credit_raw_materials", "credit_equipment", "credit_repayment")
)
#: The code of each use of the credit households.csv records (``credit_use``).
CREDIT_USE_CODES = {"raw_materials": "credit_raw_materials", "equipment": "credit_equipment"}
#: The code of the component a household received, said by every such household.
COMPONENT_CODES = {
    "revolving_credit": "p2kp_revolving_credit",
    "direct_aid": "p2kp_direct_aid",
    "infrastructure": "p2kp_infrastructure",
}
#: Entropy added to the seed for what household-linked residents say (its own stream, so that
#: the rest of the data, Jombang's above all, draws exactly what it drew before).
RESIDENTS_STREAM = 24

# Fillers that open an interview answer (Indonesian, English).
_OPENERS = (
    ("", ""),
    ("Menurut saya, ", "In my view, "),
    ("Ya, ", "Well, "),
    ("Begini, ", "It is like this: "),
    ("Jujur saja, ", "To be honest, "),
)

_J_OFFICIAL = {  # probability that an official mentions a code (Jombang)
    "meaning_basic_needs": 0.5,
    "meaning_multidimensional": 0.75,
    "meaning_income": 0.3,
    "ind_low_income": 0.5,
    "ind_food": 0.35,
    "ind_housing": 0.55,
    "ind_education": 0.35,
    "ind_health": 0.35,
    "ind_assets": 0.25,
    "ind_work": 0.35,
    "cause_low_education": 0.45,
    "cause_lack_capital": 0.45,
    "cause_jobs": 0.35,
    "cause_health_shock": 0.2,
    "cause_mindset": 0.3,
    "strat_top_down": 0.6,
    "strat_basic_needs": 0.65,
    "strat_priority_food": 0.5,
    "strat_priority_health": 0.5,
    "strat_priority_infrastructure": 0.5,
    "strat_coordination_tkpk": 0.4,
    "strat_musrenbang": 0.3,
    "strat_proposals_ignored": 0.1,
    "prog_central": 0.55,
    "prog_regency_innovation": 0.75,
    "prog_rtm_missing_data": 0.65,
    "emp_ukm_training": 0.45,
    "emp_ukm_promotion": 0.35,
    "emp_participation": 0.3,
    "infra_poor_neighbourhoods": 0.55,
    "infra_housing_rehab": 0.35,
    "infra_water_sanitation": 0.3,
}
_J_ROLE = {
    "regency_official": _J_OFFICIAL,
    "kecamatan_official": _J_OFFICIAL
    | {
        "strat_top_down": 0.65,
        "strat_proposals_ignored": 0.35,
        "strat_musrenbang": 0.5,
        "prog_regency_innovation": 0.45,
        "strat_coordination_tkpk": 0.25,
    },
    "kelurahan_official": _J_OFFICIAL
    | {
        "strat_top_down": 0.55,
        "strat_proposals_ignored": 0.7,
        "strat_musrenbang": 0.65,
        "prog_regency_innovation": 0.35,
        "prog_rtm_missing_data": 0.7,
        "strat_basic_needs": 0.3,
        "strat_priority_food": 0.2,
        "strat_priority_health": 0.2,
        "strat_priority_infrastructure": 0.25,
        "strat_coordination_tkpk": 0.1,
        "infra_poor_neighbourhoods": 0.6,
        "infra_housing_rehab": 0.5,
    },
    "resident": {
        "meaning_basic_needs": 0.7,
        "meaning_multidimensional": 0.25,
        "meaning_income": 0.5,
        "ind_low_income": 0.55,
        "ind_food": 0.5,
        "ind_housing": 0.5,
        "ind_education": 0.3,
        "ind_health": 0.4,
        "ind_assets": 0.3,
        "ind_work": 0.5,
        "cause_low_education": 0.35,
        "cause_lack_capital": 0.5,
        "cause_jobs": 0.55,
        "cause_health_shock": 0.3,
        "strat_top_down": 0.4,
        "strat_proposals_ignored": 0.2,
        "strat_musrenbang": 0.2,
        "strat_priority_food": 0.3,
        "prog_central": 0.7,
        "prog_regency_innovation": 0.3,
        "prog_rtm_missing_data": 0.3,
        "emp_ukm_training": 0.3,
        "emp_ukm_promotion": 0.15,
        "emp_participation": 0.3,
        "infra_poor_neighbourhoods": 0.45,
        "infra_housing_rehab": 0.2,
        "infra_water_sanitation": 0.3,
    },
}
# Regency offices and the codes their officials speak about more often.
_J_AGENCIES = (
    (
        "Bappeda",
        {
            "strat_top_down": 0.85,
            "strat_priority_food": 0.8,
            "strat_priority_health": 0.8,
            "strat_priority_infrastructure": 0.8,
            "strat_basic_needs": 0.85,
        },
    ),
    (
        "Dinas Sosial",
        {"prog_central": 0.95, "prog_rtm_missing_data": 0.9, "prog_regency_innovation": 0.9},
    ),
    (
        "Sekretariat TKPK",
        {
            "strat_coordination_tkpk": 0.95,
            "prog_rtm_missing_data": 0.9,
            "meaning_multidimensional": 0.9,
        },
    ),
    (
        "Dinas Koperasi dan UMKM",
        {"emp_ukm_training": 0.95, "emp_ukm_promotion": 0.9, "cause_lack_capital": 0.8},
    ),
    (
        "Dinas Pekerjaan Umum",
        {
            "infra_poor_neighbourhoods": 0.95,
            "infra_housing_rehab": 0.8,
            "infra_water_sanitation": 0.7,
            "strat_priority_infrastructure": 0.8,
        },
    ),
)
_P_ROLE = {
    "resident": {
        "meaning_basic_needs": 0.45,
        "meaning_income": 0.4,
        "ind_low_income": 0.45,
        "ind_housing": 0.25,
        "ind_food": 0.2,
        "cause_lack_capital": 0.7,
        "cause_jobs": 0.2,
        "p2kp_revolving_credit": 0.95,
        "p2kp_direct_aid": 0.3,
        "p2kp_infrastructure": 0.45,
        "p2kp_not_all_poor": 0.4,
        "p2kp_bkm_ksm": 0.6,
        "credit_raw_materials": 0.8,
        "credit_equipment": 0.55,
        "income_rise": 0.9,
        "credit_repayment": 0.5,
    },
    "kelurahan_staff": {
        "meaning_multidimensional": 0.5,
        "meaning_basic_needs": 0.5,
        "ind_low_income": 0.5,
        "ind_housing": 0.5,
        "ind_work": 0.4,
        "cause_lack_capital": 0.6,
        "cause_low_education": 0.4,
        "p2kp_direct_aid": 0.95,
        "p2kp_revolving_credit": 0.95,
        "p2kp_infrastructure": 0.95,
        "p2kp_not_all_poor": 0.9,
        "p2kp_bkm_ksm": 0.9,
        "credit_raw_materials": 0.5,
        "income_rise": 0.6,
        "credit_repayment": 0.6,
    },
}
# Observation notes and documents: (source id, source type, codes they may carry, number of segments).
_J_OBS_CODES = (
    "ind_food",
    "ind_housing",
    "strat_top_down",
    "prog_central",
    "emp_ukm_promotion",
    "emp_participation",
    "infra_poor_neighbourhoods",
    "infra_water_sanitation",
)
_J_DOCUMENTS = (
    (
        "DOC-JBG-01",
        ("meaning_multidimensional", "meaning_basic_needs", "strat_basic_needs", "strat_top_down"),
    ),  # regional poverty strategy
    (
        "DOC-JBG-02",
        (
            "strat_priority_food",
            "strat_priority_health",
            "strat_priority_infrastructure",
            "strat_basic_needs",
        ),
    ),  # medium-term plan
    (
        "DOC-JBG-03",
        ("strat_coordination_tkpk", "prog_rtm_missing_data", "prog_central"),
    ),  # TKPK annual report
    (
        "DOC-JBG-04",
        ("prog_regency_innovation", "prog_central"),
    ),  # regent's regulation on social aid
    ("DOC-JBG-05", ("emp_ukm_training",)),  # cooperative and SME office report
    ("DOC-JBG-06", ("infra_poor_neighbourhoods", "infra_housing_rehab")),  # public works report
    ("DOC-JBG-07", ("strat_musrenbang", "strat_top_down")),  # planning-meeting minutes
)
_P_OBS = (
    ("OBS-PKS-01", ("credit_raw_materials", "credit_equipment")),
    ("OBS-PKS-02", ("p2kp_infrastructure",)),
    ("OBS-PKS-03", ("p2kp_bkm_ksm", "credit_raw_materials")),
)
_P_DOCUMENTS = (
    ("DOC-PKS-01", ("p2kp_revolving_credit", "credit_repayment")),
    ("DOC-PKS-02", ("p2kp_infrastructure", "p2kp_direct_aid")),
    ("DOC-PKS-03", ("p2kp_not_all_poor", "income_rise", "p2kp_direct_aid")),
)


def codebook_frame() -> pd.DataFrame:
    """The codebook (code, theme, description, theme_group, label, finding, finding_site,
    finding_logic)."""
    rows = [
        {
            "code": c,
            "theme": t,
            "description": d,
            "theme_group": THEME_GROUP[t],
            "label": lab,
            "finding": f,
            "finding_site": s,
            "finding_logic": logic,
        }
        for c, t, lab, d, f, s, logic in _CODES
    ]
    # the contract's order; no theme_label: the shipped themes are named by the catalogs
    return pd.DataFrame(rows, columns=[c for c in CODEBOOK.columns if c in rows[0]])


def codebook_translations() -> pd.DataFrame:
    """The codebook's companion columns (``label@id``, ...; codes.csv), by ``code``."""
    rows = _read_code_rows()
    extra = [c for c in rows[0] if split_companion(c) is not None]
    return pd.DataFrame([{c: row[c] for c in ("code", *extra)} for row in rows])


def programmes_translations() -> pd.DataFrame:
    """The programme inventory's companion columns (``sector@id``, ...), by site and programme."""
    rows = [{"site": site, "programme": name, **texts} for (site, name), texts in PROGRAMMES_ID]
    return pd.DataFrame(rows)


def programmes_frame() -> pd.DataFrame:
    """The programme inventory: programmes the studies name, and central programmes of the period with their legal basis."""
    J, P = "jombang", "pakis"
    jstudy = "Jombang study (garuda.kemdiktisaintek.go.id/documents/detail/2389141)"
    pstudy = "Pakis study (repository.unej.ac.id/handle/123456789/87943)"
    p2kp = "; Petunjuk Pelaksanaan PNPM Mandiri P2KP, 2007"
    recon = "Illustrative reconstruction: the study reports such programmes, not their names or details. "
    central = "Central programme of the period, listed with its legal basis; the study's abstract does not name it. "
    rows = [
        (
            P,
            "P2KP: bantuan langsung",
            "central",
            "social protection",
            "direct aid",
            "mixed",
            "poorest households of the kelurahan (elderly, widows)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: direct social aid, chosen by the community board (BKM).",
        ),
        (
            P,
            "P2KP: kredit bergulir",
            "central",
            "economy",
            "revolving credit",
            "mixed",
            "poor residents with a small business, in self-help groups (KSM)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: revolving credit through KSM, used as working capital.",
        ),
        (
            P,
            "P2KP: prasarana lingkungan",
            "central",
            "infrastructure",
            "infrastructure",
            "mixed",
            "neighbourhoods of the kelurahan (paving, drains)",
            pstudy + p2kp,
            False,
            "P2KP component named by the study: neighbourhood infrastructure planned in the BKM's mid-term plan.",
        ),
        (
            J,
            "Bantuan pangan daerah",
            "regency",
            "food security",
            "direct aid",
            "top-down",
            "poor households (RTM) missing from central data",
            jstudy + "; model: Raskin Daerah in Pedoman Umum Raskin 2014",
            True,
            recon
            + "Regency food aid like the central rice programme, for RTM the central data miss (the Raskin guideline "
            "lets regencies add households from their own budget, 'Raskin Daerah').",
        ),
        (
            J,
            "Jaminan kesehatan daerah",
            "regency",
            "health",
            "health insurance",
            "top-down",
            "poor households (RTM) missing from central data",
            jstudy,
            True,
            recon + "Regency-funded health cover for poor residents without a central card.",
        ),
        (
            J,
            "Bedah rumah tidak layak huni (daerah)",
            "regency",
            "infrastructure",
            "housing repair",
            "top-down",
            "poor households in substandard houses, outside central lists",
            jstudy,
            True,
            recon
            + "Regency house-repair programme for poor households the central programmes do not reach.",
        ),
        (
            J,
            "Pelatihan dan promosi UKM",
            "regency",
            "economy",
            "training and promotion",
            "top-down",
            "small enterprises (UKM) of poor households",
            jstudy,
            False,
            recon
            + "The study names training and promotion as the stimulants for small enterprises.",
        ),
        (
            J,
            "Pembangunan fisik di kantong kemiskinan",
            "regency",
            "infrastructure",
            "infrastructure",
            "top-down",
            "neighbourhoods with many poor residents",
            jstudy,
            False,
            recon + "The study reports physical works placed where many poor residents live.",
        ),
        (
            J,
            "PKH (Program Keluarga Harapan)",
            "central",
            "social protection",
            "conditional cash transfer",
            "top-down",
            "very poor families with children, pregnant women",
            "Peraturan Menteri Sosial No. 1 Tahun 2018 tentang Program Keluarga Harapan (programme running since 2007)",
            False,
            central + "Conditional cash transfer to very poor families.",
        ),
        (
            J,
            "Raskin / Rastra",
            "central",
            "food security",
            "subsidised rice",
            "top-down",
            "poor households in the unified database",
            "Pedoman Umum Raskin 2014 (Tim Koordinasi Raskin Pusat)",
            False,
            central + "Subsidised rice for poor households (Raskin; later renamed Rastra).",
        ),
        (
            J,
            "Jamkesmas / BPJS Kesehatan PBI",
            "central",
            "health",
            "health insurance",
            "top-down",
            "poor and near-poor residents",
            "Permenkes No. 40 Tahun 2012 (Jamkesmas); UU No. 24 Tahun 2011 tentang BPJS; PP No. 101 Tahun 2012 tentang Penerima Bantuan Iuran",
            False,
            central
            + "Health insurance with contributions paid by the state (Jamkesmas until 2013, then BPJS Kesehatan PBI).",
        ),
        (
            J,
            "PNPM Mandiri",
            "central",
            "community empowerment",
            "block grants",
            "mixed",
            "kecamatan and kelurahan communities",
            "Peraturan Presiden No. 15 Tahun 2010 tentang Percepatan Penanggulangan Kemiskinan (cluster II: community empowerment)",
            False,
            central
            + "National community-empowerment programme (block grants planned by communities).",
        ),
    ]
    frame = pd.DataFrame(rows, columns=PROGRAMMES.columns)
    frame["regency_innovation"] = frame["regency_innovation"].astype(bool)
    return frame


# Indonesian text of the programme inventory (companion columns ``<column>@id``); names are
# Indonesian already and stay as they are. An empty text falls back to the English column.
_JSTUDY_ID = "Studi Jombang (garuda.kemdiktisaintek.go.id/documents/detail/2389141)"
_PSTUDY_ID = "Studi Pakis (repository.unej.ac.id/handle/123456789/87943)"
_P2KP_ID = "; Petunjuk Pelaksanaan PNPM Mandiri P2KP, 2007"
_RECON_ID = (
    "Rekonstruksi ilustratif: studi melaporkan program semacam ini, bukan nama atau rinciannya. "
)
_CENTRAL_ID = (
    "Program pusat pada periode tersebut, dicantumkan dengan dasar hukumnya; "
    "abstrak studi tidak menyebutnya. "
)


def _id(sector, instrument, target, source, description) -> dict:
    return {
        "sector@id": sector,
        "instrument@id": instrument,
        "target@id": target,
        "source@id": source,
        "description@id": description,
    }


PROGRAMMES_ID = (
    (
        ("pakis", "P2KP: bantuan langsung"),
        _id(
            "perlindungan sosial",
            "bantuan langsung",
            "rumah tangga termiskin di kelurahan (lansia, janda)",
            _PSTUDY_ID + _P2KP_ID,
            "Komponen P2KP yang disebut studi: bantuan sosial langsung, yang penerimanya dipilih "
            "oleh Badan Keswadayaan Masyarakat (BKM).",
        ),
    ),
    (
        ("pakis", "P2KP: kredit bergulir"),
        _id(
            "ekonomi",
            "kredit bergulir",
            "warga miskin yang memiliki usaha kecil, dalam kelompok swadaya masyarakat (KSM)",
            _PSTUDY_ID + _P2KP_ID,
            "Komponen P2KP yang disebut studi: kredit bergulir melalui KSM, dipakai sebagai "
            "modal kerja.",
        ),
    ),
    (
        ("pakis", "P2KP: prasarana lingkungan"),
        _id(
            "infrastruktur",
            "infrastruktur",
            "lingkungan di kelurahan (paving, saluran air)",
            _PSTUDY_ID + _P2KP_ID,
            "Komponen P2KP yang disebut studi: prasarana lingkungan yang direncanakan dalam "
            "rencana jangka menengah BKM.",
        ),
    ),
    (
        ("jombang", "Bantuan pangan daerah"),
        _id(
            "ketahanan pangan",
            "bantuan langsung",
            "rumah tangga miskin (RTM) yang belum tercakup data pusat",
            _JSTUDY_ID + "; model: Raskin Daerah dalam Pedoman Umum Raskin 2014",
            _RECON_ID + "Bantuan pangan kabupaten seperti program beras pusat, untuk RTM yang "
            "tidak tercakup data pusat (pedoman Raskin membolehkan kabupaten menambah rumah "
            "tangga dari anggarannya sendiri, 'Raskin Daerah').",
        ),
    ),
    (
        ("jombang", "Jaminan kesehatan daerah"),
        _id(
            "kesehatan",
            "jaminan kesehatan",
            "rumah tangga miskin (RTM) yang belum tercakup data pusat",
            _JSTUDY_ID,
            _RECON_ID + "Jaminan kesehatan yang dibiayai kabupaten bagi warga miskin yang tidak "
            "memiliki kartu dari pusat.",
        ),
    ),
    (
        ("jombang", "Bedah rumah tidak layak huni (daerah)"),
        _id(
            "infrastruktur",
            "perbaikan rumah",
            "rumah tangga miskin yang menempati rumah tidak layak huni, di luar daftar pusat",
            _JSTUDY_ID,
            _RECON_ID + "Program bedah rumah kabupaten bagi rumah tangga miskin yang tidak "
            "terjangkau program pusat.",
        ),
    ),
    (
        ("jombang", "Pelatihan dan promosi UKM"),
        _id(
            "ekonomi",
            "pelatihan dan promosi",
            "usaha kecil dan menengah (UKM) milik rumah tangga miskin",
            _JSTUDY_ID,
            _RECON_ID + "Studi menyebut pelatihan dan promosi sebagai stimulan bagi UKM.",
        ),
    ),
    (
        ("jombang", "Pembangunan fisik di kantong kemiskinan"),
        _id(
            "infrastruktur",
            "infrastruktur",
            "lingkungan yang banyak warga miskinnya",
            _JSTUDY_ID,
            _RECON_ID + "Studi melaporkan pembangunan fisik yang ditempatkan di lingkungan yang "
            "banyak warga miskinnya.",
        ),
    ),
    (
        ("jombang", "PKH (Program Keluarga Harapan)"),
        _id(
            "perlindungan sosial",
            "bantuan tunai bersyarat",
            "keluarga sangat miskin yang memiliki anak atau ibu hamil",
            "Peraturan Menteri Sosial No. 1 Tahun 2018 tentang Program Keluarga Harapan "
            "(program berjalan sejak 2007)",
            _CENTRAL_ID + "Bantuan tunai bersyarat bagi keluarga sangat miskin.",
        ),
    ),
    (
        ("jombang", "Raskin / Rastra"),
        _id(
            "ketahanan pangan",
            "beras bersubsidi",
            "rumah tangga miskin dalam basis data terpadu",
            None,  # the source is Indonesian already
            _CENTRAL_ID + "Beras bersubsidi bagi rumah tangga miskin (Raskin; kemudian berganti "
            "nama menjadi Rastra).",
        ),
    ),
    (
        ("jombang", "Jamkesmas / BPJS Kesehatan PBI"),
        _id(
            "kesehatan",
            "jaminan kesehatan",
            "warga miskin dan hampir miskin",
            None,
            _CENTRAL_ID + "Jaminan kesehatan yang iurannya dibayar negara (Jamkesmas sampai 2013, "
            "kemudian BPJS Kesehatan PBI).",
        ),
    ),
    (
        ("jombang", "PNPM Mandiri"),
        _id(
            "pemberdayaan masyarakat",
            "bantuan langsung masyarakat (BLM)",
            "masyarakat kecamatan dan kelurahan",
            "Peraturan Presiden No. 15 Tahun 2010 tentang Percepatan Penanggulangan Kemiskinan "
            "(klaster II: pemberdayaan masyarakat)",
            _CENTRAL_ID + "Program nasional pemberdayaan masyarakat (bantuan langsung masyarakat "
            "yang direncanakan oleh masyarakat).",
        ),
    ),
)


def jombang_sampling_frame() -> pd.DataFrame:
    """The invented frame of the Jombang draw, as sizes (contract file ``study/sampling_frame.csv``).

    Kabupaten Jombang has 21 kecamatan with 302 desa and 4 kelurahan (RPJMD Jombang, Bab II): the
    frame lists all 306 clusters (invented ids ``DS-001`` ... ``DS-302`` for the desa, ``KL-1`` ...
    ``KL-4`` for the kelurahan, all four in ``KEC-01``), each with 3-5 listed officials and 20-120
    listed residents of poor households. Fixed (not seeded by the caller): it stands for the list
    the researchers would have had.
    """
    rng = np.random.default_rng(FRAME_SEED)
    clusters = [(f"KL-{k + 1}", "kelurahan", "KEC-01") for k in range(4)]
    clusters += [(f"DS-{k + 1:03d}", "desa", f"KEC-{k % 21 + 1:02d}") for k in range(302)]
    rows = []
    for cluster, kind, kecamatan in clusters:
        officials, residents = int(rng.integers(3, 6)), int(rng.integers(20, 121))
        rows.append(("jombang", cluster, kind, kecamatan, "kelurahan_official", officials))
        rows.append(("jombang", cluster, kind, kecamatan, "resident", residents))
    return pd.DataFrame(rows, columns=[f.name for f in SAMPLING_FRAME.fields])


def jombang_sample(sampling_seed: int = SAMPLING_SEED) -> ClusterSample:
    """The Jombang two-stage draw: 5 desa/kelurahan by PPS, then 1 official and 3 residents in each."""
    return redraw(
        jombang_sampling_frame(),
        n_clusters=JOMBANG_CLUSTERS_DRAWN,
        per_cluster=JOMBANG_PER_CLUSTER,
        seed=sampling_seed,
    )


def _informants(rng: np.random.Generator, sampling_seed: int) -> pd.DataFrame:
    rows = []
    for k, (agency, _) in enumerate(_J_AGENCIES):
        rows.append(
            dict(
                informant_id=f"JBG-REG{k + 1:02d}",
                site="jombang",
                role="regency_official",
                level="regency",
                cluster=None,
                agency=agency,
            )
        )
    sample = jombang_sample(sampling_seed).sample
    for k, kec in enumerate(sorted(sample["kecamatan"].unique())):
        rows.append(
            dict(
                informant_id=f"JBG-KEC{k + 1:02d}",
                site="jombang",
                role="kecamatan_official",
                level="kecamatan",
                cluster=None,
                agency=f"Kantor Kecamatan {kec}",
            )
        )
    for stratum, prefix, level in (
        ("kelurahan_official", "KEL", "kelurahan"),
        ("resident", "RES", "community"),
    ):
        part = sample[sample["stratum"] == stratum]
        for k, unit in enumerate(part.itertuples()):
            rows.append(
                dict(
                    informant_id=f"JBG-{prefix}{k + 1:02d}",
                    site="jombang",
                    role=stratum,
                    level=level,
                    cluster=unit.cluster,
                    agency=(
                        f"Kantor {unit.cluster_type.capitalize()} {unit.cluster}"
                        if stratum != "resident"
                        else None
                    ),
                )
            )
    for k in range(9):
        iid = f"PKS-R{k + 1:02d}"
        rows.append(
            dict(
                informant_id=iid,
                site="pakis",
                role="resident",
                level="community",
                cluster=None,
                informant_type="core",
                business_type=PAKIS_BUSINESS_TYPES[iid],
            )
        )
    for k in range(2):
        rows.append(
            dict(
                informant_id=f"PKS-S{k + 1:02d}",
                site="pakis",
                role="kelurahan_staff",
                level="kelurahan",
                cluster=None,
                informant_type="additional",
                agency="Kantor Kelurahan Pakis",
            )
        )
    frame = pd.DataFrame(rows).reindex(columns=INFORMANTS.columns)
    # Consent to quotation: about one in six declines; at least one per site declines and at least
    # one informant of every role agrees (so every role can be illustrated).
    consent = rng.random(len(frame)) > 0.17
    for site in ("jombang", "pakis"):
        idx = np.flatnonzero(frame["site"] == site)
        if consent[idx].all():
            consent[idx[rng.integers(len(idx))]] = False
    for _, idx in frame.groupby(["site", "role"]).indices.items():
        if not consent[idx].any():
            consent[idx[0]] = True
    frame["consent_quote"] = consent
    return frame


def _pick(rng, variants):
    return variants[int(rng.integers(len(variants)))]


def _variants(code: str, who: str, site: str) -> list[V]:
    return [v for v in TEXTS.get(code, ()) if v.who == who and v.site in (None, site)]


def _keeps_capital(sentence: str) -> bool:
    """Whether the first word keeps its capital after an opener: "I", acronyms (PKH, P2KP), names."""
    first = sentence.split()[0].strip(",;:.")
    return first in ("I", "Alhamdulillah") or (len(first) > 1 and first.isupper())


def _apply_opener(opener: tuple[str, str], text: str, gloss: str) -> tuple[str, str]:
    o_id, o_en = opener
    if o_id and not _keeps_capital(text):
        text = text[0].lower() + text[1:]
    if o_en and not _keeps_capital(gloss):
        gloss = gloss[0].lower() + gloss[1:]
    return o_id + text, o_en + gloss


_OPINION = _OPENERS[1]
_THEME_OF = {code: theme for code, theme, *_ in _CODES}


def household_facts(record) -> dict:
    """What a household's row says that its informant's words must agree with.

    ``loan`` (a revolving-credit loan recorded), ``component``, ``credit_use`` (None if none),
    ``business_type`` and the amounts as spoken, in Rupiah a month: ``before``, ``after``,
    ``change`` (after minus before) and ``loan_amount`` (None without a loan).
    """
    loan = record["loan_amount"]
    has_loan = bool(pd.notna(loan) and int(loan) > 0)
    use = record["credit_use"]
    before, after = int(record["income_before"]), int(record["income_after"])
    return {
        "loan": has_loan,
        "component": record["component"],
        "credit_use": use if isinstance(use, str) and use else None,
        "business_type": record["business_type"],
        "before": before,
        "after": after,
        "change": after - before,
        "loan_amount": int(loan) if has_loan else None,
    }


def forbidden_codes(facts: dict) -> frozenset[str]:
    """Codes no segment of the household's informant may carry (any coder): what the record rules out.

    No loan: none of :data:`CREDIT_CODES`; a loan: not the credit use the record does not give;
    not direct aid unless that is the household's component.
    """
    out = set()
    if not facts["loan"]:
        out |= CREDIT_CODES
    else:
        out |= {code for use, code in CREDIT_USE_CODES.items() if use != facts["credit_use"]}
    if facts["component"] != "direct_aid":
        out.add("p2kp_direct_aid")
    return frozenset(out)


def required_codes(facts: dict) -> tuple[str, ...]:
    """Codes the household's informant always speaks to: the income change, the component
    received, and for a loan, its use (the study: credit used as working capital)."""
    codes = ["income_rise"]
    if facts["component"] in COMPONENT_CODES:
        codes.append(COMPONENT_CODES[facts["component"]])
    if facts["loan"] and facts["credit_use"] in CREDIT_USE_CODES:
        codes.append(CREDIT_USE_CODES[facts["credit_use"]])
    return tuple(codes)


def _fits(r: R, facts: dict) -> bool:
    if any(facts.get(key) != value for key, value in r.when.items()):
        return False
    needs_amount = ("{change}", "{before}", "{after}")
    if (
        any(f in r.id or f in r.en for f in needs_amount)
        and min(facts["change"], facts["before"], facts["after"]) < spoken.SPOKEN_ROUND_TO
    ):
        return False  # no "about zero more a month"
    return not ("{loan}" in r.id and not facts["loan_amount"])


def _fill(template: str, facts: dict, lang: str) -> str:
    k = 0 if lang == "id" else 1
    words = BUSINESS_WORDS[facts["business_type"]]
    fields = {name: pair[k] for name, pair in words.items()}
    for name in ("change", "before", "after", "loan_amount"):
        amount = facts[name]
        fields["loan" if name == "loan_amount" else name] = (
            spoken.rupiah_words(amount, lang) if amount and amount >= spoken.SPOKEN_ROUND_TO else ""
        )
    return template.format(**fields)


def _resident_segments(rng, informant_id: str, planned, facts: dict) -> list[dict]:
    """A household-linked resident's segments: the planned topics the record allows, plus the
    topics the record requires, each in sentences filled from the record (no sentence twice)."""
    forbidden = forbidden_codes(facts)
    openers: dict[str, list] = {}
    for code, _v, opener in planned:
        if code not in forbidden:
            openers.setdefault(code, []).append(opener)
    for code in required_codes(facts):
        openers.setdefault(code, [("", "")])
    segments = []
    for code, code_openers in openers.items():
        variants = [
            r
            for r in RESIDENT_TEXTS.get(code, ())
            if _fits(r, facts) and not set(r.extra) & forbidden
        ]
        if not variants:
            continue
        chosen = rng.permutation(len(variants))[: len(code_openers)]
        for k, opener in zip(chosen, code_openers):
            r = variants[int(k)]
            if opener == _OPINION and _THEME_OF[code] not in ("meaning", "causes"):
                opener = ("", "")  # "in my view" opens a view, not what the household received
            text, gloss = _apply_opener(opener, _fill(r.id, facts, "id"), _fill(r.en, facts, "en"))
            codes = tuple(dict.fromkeys((code,) + r.extra))
            # a sentence not about the loan gets no credit code from any coder either
            own = forbidden if set(codes) & CREDIT_CODES else forbidden | CREDIT_CODES
            segments.append(
                dict(
                    site="pakis",
                    source_id=f"INT-{informant_id}",
                    source_type="interview",
                    informant_id=informant_id,
                    text=text,
                    gloss_en=gloss,
                    codes=codes,
                    forbidden=own,
                )
            )
    return segments


def _primary_segments(
    rng: np.random.Generator,
    informants: pd.DataFrame,
    households: dict[str, dict] | None = None,
    rng_residents: np.random.Generator | None = None,
) -> list[dict]:
    """Segments with the primary coder's codes: one dict per segment (codes as a tuple).

    Every informant's topics are drawn from the role's probabilities. A Pakis resident with a
    row in ``households`` (by informant id: :func:`household_facts`) then speaks from that
    record (:func:`_resident_segments`, drawing from ``rng_residents``); the draws from ``rng``
    are the same either way, so the other informants' segments do not depend on the households.
    """
    households = households or {}
    agency_boost = dict(_J_AGENCIES)
    segments = []
    for inf in informants.itertuples():
        probs = (_J_ROLE if inf.site == "jombang" else _P_ROLE)[inf.role]
        if inf.role == "regency_official":
            probs = probs | agency_boost.get(inf.agency, {})
        who = "resident" if inf.role == "resident" else "official"
        codes = [c for c, p in probs.items() if _variants(c, who, inf.site) and rng.random() < p]
        if len(codes) < 3:  # everyone interviewed says something on at least three codes
            spare = [c for c in probs if c not in codes and _variants(c, who, inf.site)]
            codes += list(rng.choice(spare, size=min(3 - len(codes), len(spare)), replace=False))
        planned = []
        for code in codes:
            for _ in range(1 + int(rng.poisson(0.35))):
                v = _pick(rng, _variants(code, who, inf.site))
                planned.append((code, v, _OPENERS[int(rng.integers(len(_OPENERS)))]))
        facts = households.get(inf.informant_id) if inf.site == "pakis" else None
        if facts is not None and inf.role == "resident":
            segments += _resident_segments(rng_residents, inf.informant_id, planned, facts)
            continue
        for code, v, opener in planned:
            text, gloss = _apply_opener(opener, v.id, v.en)
            segments.append(
                dict(
                    site=inf.site,
                    source_id=f"INT-{inf.informant_id}",
                    source_type="interview",
                    informant_id=inf.informant_id,
                    text=text,
                    gloss_en=gloss,
                    codes=tuple(dict.fromkeys((code,) + tuple(v.extra))),
                )
            )
    return segments


def _source_segments(rng, site: str, sources, source_type: str, n_range=(2, 4)) -> list[dict]:
    who = source_type
    segments = []
    for source_id, codes in sources:
        available = [c for c in codes if _variants(c, who, site)]
        n = int(rng.integers(n_range[0], n_range[1] + 1))
        for _ in range(n):
            code = available[int(rng.integers(len(available)))]
            v = _pick(rng, _variants(code, who, site))
            segments.append(
                dict(
                    site=site,
                    source_id=source_id,
                    source_type=source_type,
                    informant_id=None,
                    text=v.id,
                    gloss_en=v.en,
                    codes=tuple(dict.fromkeys((code,) + tuple(v.extra))),
                )
            )
    return segments


_SIBLINGS = {}
for _c, _t, *_ in _CODES:
    _SIBLINGS.setdefault(_t, []).append(_c)


def _recode(
    rng,
    codes: tuple[str, ...],
    site_codes: set[str],
    p_drop: float,
    p_swap: float,
    p_add: float,
    ruled_out: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """Another coder's codes for a segment the primary coder coded ``codes``: misses, neighbours, additions.

    ``ruled_out``: codes the speaker's household record (or the sentence, if it does not speak of
    the loan) rules out, which no coder chooses; a neighbour drawn when every neighbour is ruled
    out becomes a miss.
    """
    theme_of = {c: t for c, t, *_ in _CODES}
    out = []
    for code in codes:
        u = rng.random()
        neighbours = [s for s in _SIBLINGS[theme_of[code]] if s != code and s in site_codes]
        siblings = [s for s in neighbours if s not in ruled_out]
        if u < p_drop:
            continue
        if u < p_drop + p_swap and neighbours:
            if siblings:
                out.append(siblings[int(rng.integers(len(siblings)))])
        else:
            out.append(code)
    if rng.random() < p_add:
        siblings = [
            s for s in _SIBLINGS[theme_of[codes[0]]] if s in site_codes and s not in ruled_out
        ]
        out.append(siblings[int(rng.integers(len(siblings)))])
    out = list(dict.fromkeys(out))
    return tuple(out) if out else (codes[0],)


def generate_qualitative(
    seed: int,
    *,
    sampling_seed: int = SAMPLING_SEED,
    households: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Illustrative programmes, informants, codebook and segments (columns as in analysis.data.contract).

    Deterministic for ``seed`` (texts, codings, consent) and ``sampling_seed`` (which kelurahan
    and informants the Jombang two-stage draw selects; the Jombang chapter redraws it).
    ``households`` (``households.csv`` rows; default: :func:`generate_households` with ``seed``,
    the shipped pairing) are the Pakis residents' own: each core resident with a row speaks from
    it (amounts, loan, its use, the component) and no coder codes what the row rules out.
    """
    if households is None:
        from analysis.illustrative.households import generate_households

        households = generate_households(seed)
    records = {
        row["informant_id"]: household_facts(row)
        for row in households.to_dict("records")
        if row["site"] == "pakis" and isinstance(row["informant_id"], str)
    }
    rng = np.random.default_rng(seed)
    informants = _informants(rng, sampling_seed)
    rng_residents = np.random.default_rng((seed, RESIDENTS_STREAM))
    segs = _primary_segments(rng, informants, records, rng_residents)
    clusters = sorted(informants.loc[informants["site"] == "jombang", "cluster"].dropna().unique())
    j_obs = [(f"OBS-JBG-{k + 1:02d}", _J_OBS_CODES) for k in range(len(clusters))]
    segs += _source_segments(rng, "jombang", j_obs, "observation", (2, 4))
    segs += _source_segments(rng, "jombang", _J_DOCUMENTS, "document", (2, 4))
    segs += _source_segments(rng, "pakis", _P_OBS, "observation", (2, 4))
    segs += _source_segments(rng, "pakis", _P_DOCUMENTS, "document", (2, 3))

    rows = []
    counters = {"jombang": 0, "pakis": 0}
    type_order = {"interview": 0, "observation": 1, "document": 2}
    segs.sort(key=lambda s: (s["site"], type_order[s["source_type"]], s["source_id"]))
    site_codes = {
        site: {c for s in segs if s["site"] == site for c in s["codes"]} for site in counters
    }
    for s in segs:
        counters[s["site"]] += 1
        s["segment_id"] = f"{'JBG' if s['site'] == 'jombang' else 'PKS'}-S{counters[s['site']]:04d}"
    for site in ("jombang", "pakis"):
        site_segs = [s for s in segs if s["site"] == site]
        n_double = int(round(DOUBLE_CODED_SHARE[site] * len(site_segs)))
        double = set(rng.choice(len(site_segs), size=n_double, replace=False).tolist())
        triple = set(sorted(double)[:: int(round(1 / TRIPLE_CODED_SHARE))])
        for k, s in enumerate(site_segs):
            coders = [(PRIMARY_CODER, s["codes"])]
            # a slip may not code what the speaker's household record rules out
            ruled_out = s.get("forbidden", frozenset())
            if k in double:
                coders.append(
                    (
                        SECOND_CODER,
                        _recode(
                            rng,
                            s["codes"],
                            site_codes[site],
                            *CODER_SLIPS[SECOND_CODER],
                            ruled_out,
                        ),
                    )
                )
            if k in triple:
                coders.append(
                    (
                        THIRD_CODER,
                        _recode(
                            rng,
                            s["codes"],
                            site_codes[site],
                            *CODER_SLIPS[THIRD_CODER],
                            ruled_out,
                        ),
                    )
                )
            for coder, codes in coders:
                for code in codes:
                    rows.append(
                        dict(
                            segment_id=s["segment_id"],
                            site=site,
                            source_id=s["source_id"],
                            source_type=s["source_type"],
                            code=code,
                            coder=coder,
                            text=s["text"],
                            informant_id=s["informant_id"],
                            gloss_en=s["gloss_en"],
                        )
                    )
    segments = pd.DataFrame(rows, columns=SEGMENTS.columns)
    return {
        "programmes": programmes_frame(),
        "informants": informants,
        "codebook": codebook_frame(),
        "segments": segments,
        "sampling_frame": jombang_sampling_frame(),
    }
