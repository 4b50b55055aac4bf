"""Hypothesis strategies for whole study datasets, generated from the contract's declarations.

:func:`datasets` draws a registry of 1-3 studies and, for every study file of
:data:`analysis.data.contract.STUDY_FILES`, rows whose columns are the declared fields (each
optional column present or not, each optional file present or not) and whose values follow the
field's declaration: its type, enum, pattern, minimum and maximum, nullability, uniqueness and
the file and column it references. The few rules that span several fields (the 'after' year not
before the 'before' year, an informant named at its own site) are the validation's cross-file
rules and are honoured too. A drawn dataset is a dict ``{file key: DataFrame}``; write it with
:func:`write_dataset`.

:func:`study_shapes` draws the size of a study from the whole of the contract's
:data:`~analysis.data.contract.STUDY_RANGES` (1-60 themes, 1-400 codes, 1-300 informants, 1-10
coders, segments up to 20,000 characters, GUIDs and tool ids as ids) and :func:`scaled_dataset`
makes the study of that size: the displays are tested at every size a study may have.
"""

from __future__ import annotations

import shutil
import string
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from analysis.data.contract import (
    LEVELS,
    MIN_INCOME_RECIPIENTS,
    ROLES,
    SITE_PATTERN,
    SOURCE_TYPES,
    STUDY_FILES,
    STUDY_RANGES,
    Field,
    FileSpec,
)
from analysis.data.csvfile import to_csv_text
from analysis.project import DATA_DIR

WORDS = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


def _bps_areas() -> dict[str, tuple[str, str]]:
    """Code -> (BPS name, area type) of the 514 regencies and cities of the shipped series."""
    path = DATA_DIR / "public" / "bps_regency_p0_2010_2018.csv"
    if not path.is_file():
        return {"3510": ("Banyuwangi", "regency"), "3517": ("Jombang", "regency")}
    frame = pd.read_csv(path, dtype=str, usecols=["area_code", "area_name", "area_type"])
    frame = frame.drop_duplicates("area_code")
    return dict(zip(frame["area_code"], zip(frame["area_name"], frame["area_type"])))


BPS_AREAS = _bps_areas()
#: Regency codes to draw: any of the 514 with a BPS series, and one with no series at all.
REGENCY_CODES = (*sorted(BPS_AREAS), "3599")


def regency_names(code: str) -> tuple[str, ...]:
    """Names a registry may give a code (validation checks them against the BPS series; a code
    without a series may have any name): the BPS name, and the name with its prefix written out
    for a regency or set aside for a city."""
    if code not in BPS_AREAS:
        return ("Kota Malang",)
    name, kind = BPS_AREAS[code]
    other = f"Kabupaten {name}" if kind == "regency" else name.removeprefix("Kota ")
    return (name, other)


SPECS = {spec.key: spec for spec in STUDY_FILES}
#: Rows drawn per file (households: up to 40 to keep a build short; the contract allows any).
MAX_ROWS = {"households": 40, "segments": 30, "sampling_frame": 12}


def _value(f: Field, draw, k: int):
    """One value of field ``f`` for row ``k`` (references are filled by the caller)."""
    if f.unique:
        return f"{f.name.split('_')[0]}-{k}"
    if f.enum:
        return draw(st.sampled_from(f.enum))
    if f.pattern:
        if f.name == "regency_code":
            return draw(st.sampled_from(REGENCY_CODES))
        return draw(st.from_regex(f.pattern, fullmatch=True).filter(lambda s: len(s) < 12))
    if f.type == "boolean":
        return draw(st.booleans())
    if f.type == "integer":
        low = int(f.minimum) if f.minimum is not None else 0
        high = int(f.maximum) if f.maximum is not None else (5_000_000 if f.money else 50)
        return draw(st.integers(low, high))
    if f.type == "number":
        return draw(st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)))
    return draw(TEXT)


@st.composite
def _columns(draw, spec: FileSpec) -> list[Field]:
    return [
        f for f in spec.fields if f.required or f.name in spec.primary_key or draw(st.booleans())
    ]


@st.composite
def _frame(draw, spec: FileSpec, n: int, pools: dict[str, list]) -> pd.DataFrame:
    fields = draw(_columns(spec))
    rows = []
    for k in range(n):
        row = {}
        for f in fields:
            if f.references:
                pool = pools.get(f.references[0] + "." + f.references[1], [])
                if not pool:
                    row[f.name] = None
                    continue
                row[f.name] = draw(st.sampled_from(pool))
            elif f.nullable and not f.unique and draw(st.integers(0, 4)) == 0:
                row[f.name] = None
            else:
                row[f.name] = _value(f, draw, k)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[f.name for f in fields])
    key = [c for c in spec.primary_key if c in frame]
    if len(key) > 1:
        frame = frame.drop_duplicates(key).reset_index(drop=True)
    return frame


@st.composite
def datasets(draw) -> dict[str, pd.DataFrame]:
    """A valid study dataset: registry, informants, codebook, segments, optional files."""
    sites = draw(
        st.lists(
            st.from_regex(SITE_PATTERN, fullmatch=True).filter(lambda s: 2 <= len(s) <= 10),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    studies = draw(_frame(SPECS["studies"], len(sites), {}))
    studies["site"] = sites
    for low, high in (
        ("claim_pct_low", "claim_pct_high"),
        ("claim_rp_low", "claim_rp_high"),
        ("context_start", "context_end"),
    ):
        if {low, high} <= set(studies):
            pair = studies[[low, high]]
            studies[low], studies[high] = pair.min(axis=1), pair.max(axis=1)
    if "regency_name" in studies:  # the name of the code, or none
        studies["regency_name"] = [
            draw(st.sampled_from((None, *regency_names(code)))) if isinstance(code, str) else name
            for code, name in zip(studies["regency_code"], studies["regency_name"])
        ]
    if "sample_per_cluster" in studies:
        studies["sample_per_cluster"] = draw(
            st.sampled_from(["resident=2", "kelurahan_official=1; resident=1", None])
        )
    out = {"studies": studies}
    pools = {"studies.site": sites}
    for key in ("informants", "codebook"):
        spec = SPECS[key]
        n = draw(st.integers(1, 8))
        frame = draw(_frame(spec, n, pools))
        out[key] = frame
        for column in ("informant_id", "code"):
            if column in frame:
                pools[f"{key}.{column}"] = list(frame[column])
    informant_site = dict(zip(out["informants"]["informant_id"], out["informants"]["site"]))
    for key in ("segments", "programmes", "households", "sampling_frame"):
        if key not in ("segments",) and not draw(st.booleans()):
            continue  # an optional file (for this dataset) left out
        n = draw(st.integers(1, MAX_ROWS.get(key, 8)))
        frame = draw(_frame(SPECS[key], n, pools))
        if "informant_id" in frame:  # an informant is named at its own site
            named = frame["informant_id"].notna()
            frame.loc[named, "site"] = frame.loc[named, "informant_id"].map(informant_site)
        if {"year_before", "year_after"} <= set(frame):
            years = frame[["year_before", "year_after"]]
            frame["year_before"], frame["year_after"] = years.min(axis=1), years.max(axis=1)
        if key == "households":
            frame = _estimable_studies(frame)
            if frame.empty:
                continue
        out[key] = frame
    return out


def _estimable_studies(households: pd.DataFrame) -> pd.DataFrame:
    """The rows of the studies whose income change can be estimated, as validation asks:
    MIN_INCOME_RECIPIENTS recipient households with both incomes, not all unchanged."""
    needed = {"site", "recipient", "income_before", "income_after"}
    if not needed <= set(households):
        return households
    recipient = households["recipient"].astype("boolean").fillna(False).astype(bool)
    both = households["income_before"].notna() & households["income_after"].notna()
    kept = [
        site
        for site, rows in households[recipient & both].groupby("site")
        if len(rows) >= MIN_INCOME_RECIPIENTS
        and not (rows["income_after"] == rows["income_before"]).all()
    ]
    return households[households["site"].isin(kept)].reset_index(drop=True)


def describe(dataset: dict[str, pd.DataFrame]) -> str:
    """The dataset as CSV text, file by file (printed when a property fails)."""
    return "\n".join(
        f"--- study/{key}.csv\n" + to_csv_text(frame, SPECS[key]) for key, frame in dataset.items()
    )


def write_dataset(dataset: dict[str, pd.DataFrame], root: Path, public: Path | None = None) -> Path:
    """Write the dataset as ``root/study/*.csv`` (and copy ``public`` to ``root/public``)."""
    study = Path(root) / "study"
    study.mkdir(parents=True, exist_ok=True)
    for key, frame in dataset.items():
        spec = SPECS[key]
        (Path(root) / spec.path).write_text(to_csv_text(frame, spec), encoding="utf-8")
    if public is not None:
        shutil.copytree(public, Path(root) / "public", dirs_exist_ok=True)
    return Path(root)


# --- studies at every size the contract declares ---------------------------------------------------

#: How a tool writes its ids: GUIDs (NVivo), tool ids with spaces and punctuation (ATLAS.ti,
#: QualCoder), or short plain ids.
ID_STYLES = ("guid", "tool", "plain")


@dataclass(frozen=True)
class StudyShape:
    """The size and kind of a generated study (its repr is what a failing example prints).

    ``segment_chars`` is the length of the longest segment's text; ``groups`` whether the codebook
    has theme groups; ``seed`` seeds everything else (:func:`scaled_dataset`).
    """

    themes: int
    codes: int
    informants: int
    coders: int
    segments: int
    segment_chars: int
    ids: str
    groups: bool
    seed: int

    @classmethod
    def extreme(cls, end: str, **changes) -> StudyShape:
        """The smallest (``"min"``) or largest (``"max"``) study of :data:`STUDY_RANGES`."""
        k = 0 if end == "min" else 1
        values = {name: STUDY_RANGES[name][k] for name in STUDY_RANGES}
        values = {
            "segments": 1 if k == 0 else MAX_SCALED_SEGMENTS,
            "ids": "guid",
            "groups": bool(k),
            "seed": 0,
            **values,
        }
        return cls(**{**values, **changes})


#: Most coded segments of a generated study (enough for every code and informant of the largest).
MAX_SCALED_SEGMENTS = 1500


@st.composite
def study_shapes(draw) -> StudyShape:
    """Study sizes from the whole of :data:`analysis.data.contract.STUDY_RANGES`."""
    size = {name: draw(st.integers(*STUDY_RANGES[name])) for name in STUDY_RANGES}
    size["codes"] = max(size["codes"], size["themes"])  # every theme has a code
    return StudyShape(
        **size,
        segments=draw(st.integers(1, MAX_SCALED_SEGMENTS)),
        ids=draw(st.sampled_from(ID_STYLES)),
        groups=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)),
    )


def _ids(style: str, prefix: str, n: int, rng) -> list[str]:
    if style == "guid":
        return [str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | k)) for k in range(n)]
    if style == "tool":
        return [f"{prefix.title()} {k // 7 + 1}:{k % 7 + 1} «{prefix}» (v2)" for k in range(n)]
    return [f"{prefix}{k + 1}" for k in range(n)]


def scaled_dataset(shape: StudyShape, site: str = "study-x") -> dict[str, pd.DataFrame]:
    """A valid study of ``shape``: informants, codebook and segments of one site (seeded).

    Codes are used unevenly (a few often, many rarely); segments come from interviews (with an
    informant), observation notes and documents; the first coder codes every segment, the others
    recode about a third, agreeing most of the time.
    """
    rng = np.random.default_rng(shape.seed)
    informant_ids = _ids(shape.ids, "informant", shape.informants, rng)
    informants = pd.DataFrame(
        {
            "informant_id": informant_ids,
            "site": site,
            "role": rng.choice(ROLES, shape.informants),
            "level": rng.choice(LEVELS, shape.informants),
            "cluster": [f"RW {k % 9 + 1}" for k in range(shape.informants)],
            "consent_quote": rng.random(shape.informants) < 0.7,
        }
    )
    themes = [f"tema {k + 1}: {'panjang ' * (k % 3)}kemiskinan" for k in range(shape.themes)]
    theme_of = [themes[k % shape.themes] for k in range(shape.codes)]
    codes = _ids(shape.ids, "code", shape.codes, rng)
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": theme_of,
            "description": [f"segmen tentang {c}" for c in codes],
            "label": [f"label {k + 1} " + "x" * (k % 50) for k in range(shape.codes)],
            "finding": [f"temuan {k % 5 + 1}" if k % 4 == 0 else None for k in range(shape.codes)],
        }
    )
    if shape.groups:
        codebook["theme_group"] = [
            ("understanding poverty", "responding to poverty", f"kelompok {k % 7}")[k % 3]
            for k in range(shape.codes)
        ]
    n = shape.segments
    weights = 1.0 / np.arange(1, shape.codes + 1)
    code_index = rng.choice(shape.codes, n, p=weights / weights.sum())
    code_index[: min(n, shape.codes)] = np.arange(min(n, shape.codes))  # every code, if room
    source_type = rng.choice(SOURCE_TYPES, n, p=[0.8, 0.1, 0.1])
    speaker = rng.integers(0, shape.informants, n)
    speaker[: min(n, shape.informants)] = np.arange(min(n, shape.informants))
    texts = [f"kata {k} " * 3 for k in range(n)]
    texts[0] = ("kemiskinan " * (shape.segment_chars // 11 + 1))[
        : shape.segment_chars
    ].strip() or "x"
    segment_ids = _ids(shape.ids, "segment", n, rng)
    coders = _ids("plain" if shape.ids == "plain" else shape.ids, "coder", shape.coders, rng)
    rows = {
        "segment_id": segment_ids,
        "site": site,
        "source_id": [f"source {k % 25}" for k in range(n)],
        "source_type": source_type,
        "code": [codes[k] for k in code_index],
        "coder": coders[0],
        "text": texts,
        "informant_id": [
            informant_ids[s] if t == "interview" else None for s, t in zip(speaker, source_type)
        ],
    }
    segments = [pd.DataFrame(rows)]
    for coder in coders[1:]:
        again = rng.random(n) < 0.35
        recoded = pd.DataFrame(rows)[again].assign(coder=coder)
        differ = rng.random(len(recoded)) < 0.2
        recoded.loc[differ, "code"] = [codes[k] for k in rng.integers(0, shape.codes, differ.sum())]
        segments.append(recoded)
    segments = pd.concat(segments, ignore_index=True).drop_duplicates(
        ["segment_id", "code", "coder"]
    )
    return {
        "informants": informants,
        "codebook": codebook,
        "segments": segments.reset_index(drop=True),
    }


def describe_shape(dataset: dict[str, pd.DataFrame]) -> str:
    """What a generated study holds, in a few lines (for ``hypothesis.note``)."""
    seg = dataset["segments"]
    return (
        f"{len(dataset['codebook'])} codes under {dataset['codebook']['theme'].nunique()} themes; "
        f"{len(dataset['informants'])} informants; {seg['segment_id'].nunique()} segments, "
        f"{len(seg)} codings by {seg['coder'].nunique()} coders; longest text "
        f"{seg['text'].str.len().max()} characters; first ids "
        f"{dataset['informants']['informant_id'].iloc[0]!r}, {seg['segment_id'].iloc[0]!r}"
    )
