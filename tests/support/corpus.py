"""A corpus of realistic studies, each unlike the others and unlike the shipped ones.

Every generator is seeded and writes a complete data folder laid out as README.md's "Bring your
own data" says: ``study/studies.csv`` (one registry row with every field ``validate`` needs),
``study/informants.csv``, ``study/codebook.csv``, ``study/segments.csv``,
``study/households.csv`` (absent when the study has none: validate wants a row in a file), ``study/programmes.csv`` and
``public/*.csv`` copied from the shipped ``data/public``. The frames written are returned as well,
so that a test can recompute every number the book reports from them, independently.

- ``bulukumba``: qualitative only, Kabupaten Bulukumba (Sulawesi Selatan), one coder, 32 themes
  and 160 codes, GUIDs as ids;
- ``balikpapan``: an income study with a comparison group (recipient and non-recipient
  households in four clusters), survey years 2023 and 2025, past every public series;
- ``mataram``: a coded project with no cases, written as REFI-QDA ``.qdpx`` and imported with
  ``python -m analysis import-qdpx``, then its registry row filled in as a user would;
- ``padang``: a census (selection ``census``) coded by five coders, no households;
- ``fakfak``: a study written only in Indonesian (Indonesian text in every English column, no
  ``@id`` companions, Indonesian theme names), Kabupaten Fakfak (Papua Barat).

Every value is invented for the tests; nothing here is a field result.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

from analysis.data.contract import study_file
from analysis.data.csvfile import read_csv_text, to_csv_text
from analysis.project import DATA_DIR, PROJECT_ROOT


@dataclass
class Study:
    """A generated study: its data folder, its frames, what the book must show of it."""

    site: str
    data: Path
    short_name: str
    regency_slug: str  # the context chapter is ``context-<slug>``
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def has_households(self) -> bool:
        return len(self.frames.get("households", ())) > 0

    def chapters(self) -> set[str]:
        """The runs the book must have for this study."""
        names = {f"qualitative-{self.site}", f"context-{self.regency_slug}"}
        if self.has_households:
            names.add(f"income-{self.site}")
        return names


def _guid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _write(data: Path, key: str, frame: pd.DataFrame) -> None:
    spec = study_file(key)
    path = data / spec.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if frame.empty:  # an absent optional file, as validate allows: "chapters needing it skip"
        return
    path.write_text(to_csv_text(frame, spec), encoding="utf-8")


def _public(data: Path) -> None:
    shutil.copytree(DATA_DIR / "public", data / "public")


def _registry(**row) -> pd.DataFrame:
    base = {"data_kind": "field"}
    base.update(row)
    return pd.DataFrame([base])


NO_HOUSEHOLDS = pd.DataFrame(columns=[f.name for f in study_file("households").fields])

WORDS = (
    "air bersih",
    "modal usaha",
    "nelayan",
    "pupuk",
    "sekolah",
    "puskesmas",
    "jalan desa",
    "harga beras",
    "utang",
    "gotong royong",
    "kartu sehat",
    "bantuan tunai",
    "rumput laut",
    "kopra",
    "pasar",
    "listrik",
)


def _sentence(rng: np.random.Generator, n: int = 8) -> str:
    words = rng.choice(WORDS, size=n)
    return ("Kata warga, " + " dan ".join(words) + " menentukan hidup kami.").capitalize()


def _programme(site: str, **row) -> pd.DataFrame:
    base = {
        "site": site,
        "programme": "Program Keluarga Harapan",
        "level": "central",
        "sector": "social protection",
        "instrument": "conditional cash transfer",
        "planning": "top-down",
        "target": "poor families with children or pregnant women",
        "source": "invented for the tests",
    }
    base.update(row)
    return pd.DataFrame([base])


def _coded_segments(
    rng, site, informants, codes, coders, per_informant, *, ids=lambda k: f"S{k:05d}"
):
    """Segments: each informant speaks ``per_informant`` times, each segment coded with one
    code by the first coder and, for multi-coder studies, by each other coder with probability
    0.6 (same code with probability 0.8, else another code)."""
    rows = []
    k = 0
    for informant in informants["informant_id"]:
        source = f"INT-{informant}"
        for _ in range(per_informant):
            code = codes[rng.integers(len(codes))]
            text = _sentence(rng)
            segment = ids(k)
            k += 1
            rows.append((segment, site, source, "interview", code, coders[0], text, informant))
            for coder in coders[1:]:
                if rng.random() < 0.6:
                    other = code if rng.random() < 0.8 else codes[rng.integers(len(codes))]
                    if other != code or coder != coders[0]:
                        rows.append(
                            (segment, site, source, "interview", other, coder, text, informant)
                        )
    frame = pd.DataFrame(
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
    return frame.drop_duplicates(["segment_id", "code", "coder"]).reset_index(drop=True)


# --- (a) qualitative only, outside Java, one coder, 32 themes, 160 codes, GUIDs ---------------


def bulukumba(root: Path) -> Study:
    rng = np.random.default_rng(7302)
    site = "bulukumba"
    data = root / site
    _public(data)
    themes = [f"theme {t + 1:02d}: {WORDS[t % len(WORDS)]}" for t in range(32)]
    codes = [_guid(rng) for _ in range(160)]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": [themes[k % 32] for k in range(160)],
            "description": [
                f"Informant speaks of {WORDS[k % len(WORDS)]} ({k})." for k in range(160)
            ],
            "label": [f"{WORDS[k % len(WORDS)]} {k}" for k in range(160)],
        }
    )
    informants = pd.DataFrame(
        {
            "informant_id": [_guid(rng) for _ in range(40)],
            "site": site,
            "role": ["resident"] * 34 + ["kecamatan_official"] * 3 + ["regency_official"] * 3,
            "level": ["community"] * 34 + ["kecamatan"] * 3 + ["regency"] * 3,
            "cluster": [f"Desa {k % 5 + 1}" for k in range(34)] + [""] * 6,
            "consent_quote": [k % 3 != 0 for k in range(40)],
        }
    )
    segments = _coded_segments(rng, site, informants, codes, ["rahma"], 6, ids=lambda k: _guid(rng))
    studies = _registry(
        site=site,
        short_name="Bulukumba",
        title="Nelayan dan petani rumput laut miskin di Kabupaten Bulukumba (invented)",
        place="Kabupaten Bulukumba, Sulawesi Selatan",
        regency_code="7302",
        regency_name="Bulukumba",
        programme="Program Keluarga Harapan",
        selection="purposive",
        fieldwork_year=2017,
        design="qualitative, descriptive",
        reference="Invented study of the test corpus (Bulukumba)",
    )
    frames = {
        "studies": studies,
        "informants": informants,
        "codebook": codebook,
        "segments": segments,
        "households": NO_HOUSEHOLDS,
        "programmes": _programme(site),
    }
    for key, frame in frames.items():
        _write(data, key, frame)
    return Study(site, data, "Bulukumba", "bulukumba", frames)


# --- (b) income study with a comparison group, 2023-2025 --------------------------------------


def balikpapan(root: Path) -> Study:
    rng = np.random.default_rng(6471)
    site = "balikpapan"
    data = root / site
    _public(data)
    n = 48
    clusters = [f"RT{k % 4 + 1:02d}" for k in range(n)]
    recipient = np.array([k % 2 == 0 for k in range(n)])
    before = rng.integers(150, 450, size=n) * 10_000
    growth = np.where(recipient, rng.normal(0.25, 0.1, n), rng.normal(0.08, 0.1, n))
    after = np.maximum(1, np.round(before * (1 + growth), -3)).astype(int)
    households = pd.DataFrame(
        {
            "household_id": [f"BPN-{k + 1:03d}" for k in range(n)],
            "site": site,
            "kelurahan": "Margasari",
            "cluster": clusters,
            "recipient": recipient,
            "component": np.where(recipient, "revolving_credit", "none"),
            "income_before": before,
            "income_after": after,
            "year_before": 2023,
            "year_after": 2025,
        }
    )
    informants = pd.DataFrame(
        {
            "informant_id": [f"BPN-R{k + 1:02d}" for k in range(12)],
            "site": site,
            "role": ["resident"] * 10 + ["kelurahan_official"] * 2,
            "level": ["community"] * 10 + ["kelurahan"] * 2,
            "cluster": [f"RT{k % 4 + 1:02d}" for k in range(10)] + ["", ""],
            "consent_quote": True,
        }
    )
    codes = [f"bpn_{w.replace(' ', '_')}" for w in WORDS[:10]]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": ["income"] * 4 + ["credit"] * 3 + ["services"] * 3,
            "description": [f"Mentions of {w}." for w in WORDS[:10]],
        }
    )
    segments = _coded_segments(rng, site, informants, codes, ["A", "B"], 4)
    studies = _registry(
        site=site,
        short_name="Margasari",
        title="Kredit bergulir dan pendapatan warga Kelurahan Margasari (invented)",
        place="Kelurahan Margasari, Kota Balikpapan, Kalimantan Timur",
        regency_code="6471",
        regency_name="Kota Balikpapan",
        programme="Kotaku kredit bergulir",
        selection="two-stage cluster",
        fieldwork_year=2025,
        claim_pct_low=15,
        claim_pct_high=25,
        sample_clusters=4,
        context_start=2023,
        context_end=2025,
        reference="Invented study of the test corpus (Balikpapan)",
    )
    frames = {
        "studies": studies,
        "informants": informants,
        "codebook": codebook,
        "segments": segments,
        "households": households,
        "programmes": _programme(
            site,
            programme="Kotaku: kredit bergulir",
            sector="economy",
            instrument="revolving credit",
            planning="mixed",
            target="poor households with a small business",
        ),
    }
    for key, frame in frames.items():
        _write(data, key, frame)
    return Study(site, data, "Margasari", "kota-balikpapan", frames)


# --- (c) an imported coded project with no cases ----------------------------------------------


def _qdpx(path: Path, rng: np.random.Generator) -> dict:
    """A REFI-QDA project: 4 themes with 3 codes each, 6 interview sources, two users, no cases."""
    themes = ["Makna kemiskinan", "Penyebab", "Strategi", "Program"]
    code_xml, leaves = [], []
    for theme in themes:
        children = []
        for c in range(3):
            guid = _guid(rng)
            name = f"{theme.split()[0].lower()} {c + 1}"
            leaves.append((guid, name, theme))
            children.append(f'<Code guid="{guid}" name={quoteattr(name)} isCodable="true"/>')
        code_xml.append(
            f'<Code guid="{_guid(rng)}" name={quoteattr(theme)} isCodable="false">'
            + "".join(children)
            + "</Code>"
        )
    users = [(_guid(rng), "Dewi"), (_guid(rng), "Yusuf")]
    sources, texts, selections = [], {}, []
    for s in range(6):
        guid = _guid(rng)
        lines = [_sentence(rng) for _ in range(5)]
        text = "\n".join(lines) + "\n"
        texts[guid] = text
        sels, pos = [], 0
        for line in lines:
            leaf = leaves[rng.integers(len(leaves))]
            start, end = pos, pos + len(line)
            pos = end + 1
            codings = f'<Coding guid="{_guid(rng)}" creatingUser="{users[0][0]}">'
            codings += f'<CodeRef targetGUID="{leaf[0]}"/></Coding>'
            second = leaf
            if rng.random() < 0.5:
                if rng.random() < 0.3:
                    second = leaves[rng.integers(len(leaves))]
                codings += f'<Coding guid="{_guid(rng)}" creatingUser="{users[1][0]}">'
                codings += f'<CodeRef targetGUID="{second[0]}"/></Coding>'
            sels.append(
                f'<PlainTextSelection guid="{_guid(rng)}" startPosition="{start}" '
                f'endPosition="{end}">{codings}</PlainTextSelection>'
            )
            selections.append((f"Wawancara {s + 1}", line, leaf[0]))
        sources.append(
            f'<TextSource guid="{guid}" name="Wawancara {s + 1}.docx" '
            f'plainTextPath="internal://{guid}.txt">' + "".join(sels) + "</TextSource>"
        )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Kemiskinan kota di Mataram" '
        'origin="NVivo 12">'
        "<Users>" + "".join(f'<User guid="{g}" name="{n}"/>' for g, n in users) + "</Users>"
        f"<CodeBook><Codes>{''.join(code_xml)}</Codes></CodeBook>"
        f"<Sources>{''.join(sources)}</Sources>"
        f"<Description>{escape('Kajian kualitatif (invented for the tests)')}</Description>"
        "</Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text)
    return {"sources": 6, "selections": len(selections), "themes": themes}


def mataram(root: Path) -> Study:
    rng = np.random.default_rng(5271)
    site = "mataram"
    data = root / site
    data.mkdir(parents=True)
    project = _qdpx(root / "mataram.qdpx", rng)
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "import-qdpx", str(root / "mataram.qdpx")]
        + ["--site", site, "--out", str(data)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stdout + completed.stderr)
    _public(data)
    # fill in what the import listed, as a user would
    studies = read_csv_text(data / "study" / "studies.csv", "studies").frame.reset_index(drop=True)
    studies.loc[0, ["place", "programme", "reference"]] = [
        "Kota Mataram, Nusa Tenggara Barat",
        "Program Keluarga Harapan",
        "Invented study of the test corpus (Mataram)",
    ]
    studies.loc[0, ["regency_code", "regency_name", "selection", "data_kind"]] = [
        "5271",
        "Kota Mataram",
        "purposive",
        "field",
    ]
    studies.loc[0, "short_name"] = "Mataram"
    informants = read_csv_text(data / "study" / "informants.csv", "informants").frame.reset_index(
        drop=True
    )
    informants["role"] = "resident"
    informants["level"] = "community"
    _write(data, "studies", studies)
    _write(data, "informants", informants)
    if not (data / "study" / "programmes.csv").exists():
        _write(data, "programmes", _programme(site))
    frames = {
        key: read_csv_text(data / "study" / f"{key}.csv", key).frame.reset_index(drop=True)
        for key in ("studies", "informants", "codebook", "segments", "programmes")
    }
    frames["households"] = NO_HOUSEHOLDS
    frames["project"] = pd.DataFrame([{"sources": project["sources"]}])
    return Study(site, data, "Mataram", "kota-mataram", frames)


# --- (d) a census, five coders, no households -------------------------------------------------


def padang(root: Path) -> Study:
    rng = np.random.default_rng(1371)
    site = "padang"
    data = root / site
    _public(data)
    informants = pd.DataFrame(
        {
            "informant_id": [f"PDG-{k + 1:02d}" for k in range(25)],
            "site": site,
            "role": ["resident"] * 20 + ["kelurahan_staff"] * 5,
            "level": ["community"] * 20 + ["kelurahan"] * 5,
            "cluster": ["Pasie Nan Tigo"] * 25,
            "consent_quote": True,
        }
    )
    codes = [f"pdg-{k:02d}" for k in range(24)]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": [f"tema {k // 4 + 1}" for k in range(24)],
            "description": [f"Code {k} of the census codebook." for k in range(24)],
            "label": [f"{WORDS[k % len(WORDS)]}" + (" (2)" if k >= 16 else "") for k in range(24)],
        }
    )
    segments = _coded_segments(rng, site, informants, codes, ["K1", "K2", "K3", "K4", "K5"], 5)
    studies = _registry(
        site=site,
        short_name="Pasie Nan Tigo",
        title="Sensus rumah tangga nelayan di Kelurahan Pasie Nan Tigo (invented)",
        place="Kelurahan Pasie Nan Tigo, Kota Padang, Sumatera Barat",
        regency_code="1371",
        regency_name="Kota Padang",
        programme="Bantuan Langsung Tunai",
        selection="census",
        fieldwork_year=2016,
        context_start=2012,
        context_end=2016,
        reference="Invented study of the test corpus (Padang)",
    )
    frames = {
        "studies": studies,
        "informants": informants,
        "codebook": codebook,
        "segments": segments,
        "households": NO_HOUSEHOLDS,
        "programmes": _programme(site, programme="Bantuan Langsung Tunai"),
    }
    for key, frame in frames.items():
        _write(data, key, frame)
    return Study(site, data, "Pasie Nan Tigo", "kota-padang", frames)


# --- (e) written only in Indonesian -----------------------------------------------------------


def fakfak(root: Path) -> Study:
    rng = np.random.default_rng(9101)
    site = "fakfak"
    data = root / site
    _public(data)
    themes = ["makna kemiskinan", "penyebab kemiskinan", "strategi bertahan", "bantuan pemerintah"]
    codes = [f"ffk_{k:02d}" for k in range(12)]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": [themes[k // 3] for k in range(12)],
            "description": [
                f"Informan menyebut {WORDS[k]} sebagai hal penting." for k in range(12)
            ],
            "label": [WORDS[k] for k in range(12)],
            "theme_group": ["memahami kemiskinan"] * 6 + ["menanggapi kemiskinan"] * 6,
        }
    )
    informants = pd.DataFrame(
        {
            "informant_id": [f"FFK-{k + 1:02d}" for k in range(18)],
            "site": site,
            "role": ["resident"] * 14 + ["kelurahan_official"] * 2 + ["regency_official"] * 2,
            "level": ["community"] * 14 + ["kelurahan"] * 2 + ["regency"] * 2,
            "cluster": ["Kampung Wagom"] * 14 + [""] * 4,
            "consent_quote": True,
            "agency": [""] * 16 + ["Dinas Sosial", "Bappeda"],
        }
    )
    segments = _coded_segments(rng, site, informants, codes, ["P1", "P2"], 5)
    studies = _registry(
        site=site,
        short_name="Kampung Wagom",
        title="Kemiskinan dan bantuan sosial di Kampung Wagom, Kabupaten Fakfak (rekaan)",
        place="Kampung Wagom, Distrik Pariwari, Kabupaten Fakfak, Papua Barat",
        regency_code="9101",
        regency_name="Fakfak",
        programme="bantuan sosial pemerintah kabupaten",
        selection="purposive",
        headline="bantuan sosial di mata warga kampung",
        fieldwork_year=2018,
        design="kualitatif, deskriptif",
        data_collection="wawancara mendalam, observasi",
        analysis_method="deskriptif, menurut tema",
        reported="warga memahami kemiskinan sebagai kekurangan pangan dan modal",
        reference="Studi rekaan untuk pengujian (Fakfak)",
    )
    frames = {
        "studies": studies,
        "informants": informants,
        "codebook": codebook,
        "segments": segments,
        "households": NO_HOUSEHOLDS,
        "programmes": _programme(
            site,
            programme="Bantuan pangan kabupaten",
            level="regency",
            sector="perlindungan sosial",
            instrument="bantuan beras",
            target="keluarga miskin di kampung",
            source="rekaan untuk pengujian",
        ),
    }
    for key, frame in frames.items():
        _write(data, key, frame)
    return Study(site, data, "Kampung Wagom", "fakfak", frames)


GENERATORS = {
    "bulukumba": bulukumba,
    "balikpapan": balikpapan,
    "mataram": mataram,
    "padang": padang,
    "fakfak": fakfak,
}
