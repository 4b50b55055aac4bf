"""Hypothesis strategies for whole study datasets, generated from the contract's declarations.

:func:`datasets` draws a registry of 1-3 studies and, for every study file of
:data:`analysis.data.contract.STUDY_FILES`, rows whose columns are the declared fields (each
optional column present or not, each optional file present or not) and whose values follow the
field's declaration: its type, enum, pattern, minimum and maximum, nullability, uniqueness and
the file and column it references. The few rules that span several fields (the 'after' year not
before the 'before' year, an informant named at its own site) are the validation's cross-file
rules and are honoured too. A drawn dataset is a dict ``{file key: DataFrame}``; write it with
:func:`write_dataset`.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

from analysis.data.contract import SITE_PATTERN, STUDY_FILES, Field, FileSpec
from analysis.data.csvfile import to_csv_text

WORDS = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
#: Regency codes to draw: two with BPS series, one city, one with no series at all.
REGENCY_CODES = ("3510", "3517", "3579", "3599")
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
        out[key] = frame
    return out


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
