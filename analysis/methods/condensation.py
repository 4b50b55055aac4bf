"""Data condensation (Miles, Huberman & Saldaña): which codings count, which texts may be shown.

* **Counting uses the primary coder's codings only.** Coders are ranked by the number of distinct
  segments they coded (most first, ties by name); each segment counts with the codes of the
  highest-ranked coder who coded it (:func:`primary_codings`). Double coding serves the agreement
  statistics (:mod:`analysis.methods.agreement`) and never inflates a count. With a division of
  labour (each coder codes different interviews) the rule still gives every segment one coding.
* **Quotes only with consent.** Every display that shows text takes it from
  :func:`consented_segments`: interview segments of informants whose ``consent_quote`` is true.
  Observation notes and documents are counted but never quoted.
* The codebook's order of themes and codes, its labels, and the informants in the order of the
  chain of government (regency first) are read here once for every display.

Both the displays (:mod:`analysis.methods.qualitative`), the findings
(:mod:`analysis.methods.findings`) and the agreement statistics import this module, so that none
of them imports another for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.contract import ROLE_ORDER


def coder_ranking(segments: pd.DataFrame) -> list[str]:
    """Coders from most to fewest distinct segments coded (ties by name); the first is primary."""
    n = segments.groupby("coder")["segment_id"].nunique()
    return sorted(n.index, key=lambda c: (-n[c], str(c)))


def primary_coder(segments: pd.DataFrame) -> str:
    """The coder whose codings count (see the module docstring)."""
    return coder_ranking(segments)[0]


def primary_codings(segments: pd.DataFrame) -> pd.DataFrame:
    """Rows of each segment's highest-ranked coder: one coding per segment, as counted."""
    coder_code, coders = pd.factorize(segments["coder"])
    if len(coders) <= 1:
        return segments
    seg_code, seg_ids = pd.factorize(segments["segment_id"])
    coded = np.zeros((len(seg_ids), len(coders)), dtype=bool)
    coded[seg_code, coder_code] = True
    per_coder = coded.sum(axis=0)  # distinct segments per coder
    ranking = sorted(range(len(coders)), key=lambda k: (-per_coder[k], str(coders[k])))
    rank = np.empty(len(coders), dtype=np.int64)
    rank[ranking] = np.arange(len(coders))
    r = rank[coder_code]
    if per_coder[ranking[0]] == len(seg_ids):  # the primary coder coded every segment
        return segments[r == 0]
    best = np.where(coded[:, ranking], np.arange(len(coders)), len(coders)).min(axis=1)
    return segments[r == best[seg_code]]


NO_INFORMANT = "observation/document"


def _site(frame: pd.DataFrame, site: str | None) -> pd.DataFrame:
    if site is None:
        return frame
    keep = frame["site"].to_numpy() == site
    return frame if keep.all() else frame[keep]


def _present(values: pd.Series) -> set:
    """The distinct values of a column, as a set (hashing each distinct value once)."""
    return set(pd.unique(values))


def _informant_id(segments: pd.DataFrame) -> pd.Series:
    if "informant_id" not in segments:
        return pd.Series(pd.NA, index=segments.index, dtype="object")
    ids = segments["informant_id"]
    return ids.where(ids.notna() & (ids != ""))


def _counted(segments: pd.DataFrame, informants: pd.DataFrame, site: str | None) -> pd.DataFrame:
    """Primary codings of a site with the informant's role (NO_INFORMANT for notes and documents)."""
    cols = [
        c
        for c in ("segment_id", "site", "source_type", "code", "coder", "informant_id")
        if c in segments
    ]
    chosen = _site(segments[cols], site)
    # Coders are ranked within each site, as findings_table does (a coder who coded much of one
    # site must not decide which codings count at the other): one ranking per site.
    seg = (
        pd.concat([primary_codings(part) for _, part in chosen.groupby("site", sort=False)])
        if site is None and "site" in chosen and chosen["site"].nunique() > 1
        else primary_codings(chosen)
    )
    out = seg[["segment_id", "site", "source_type", "code"]].copy()
    out["informant_id"] = _informant_id(seg)
    roles = informants.set_index("informant_id")["role"]
    out["role"] = out["informant_id"].map(roles).astype("object").fillna(NO_INFORMANT)
    return out


def consented_segments(segments: pd.DataFrame, informants: pd.DataFrame) -> pd.DataFrame:
    """Interview segments whose informant agreed to be quoted (the only text any display shows)."""
    ids = _informant_id(segments)
    agreed = informants.loc[informants["consent_quote"].fillna(False).astype(bool), "informant_id"]
    keep = (segments["source_type"] == "interview") & ids.isin(set(agreed))
    return segments[keep]


def excerpt(text: str, max_chars: int = 90) -> str:
    """``text`` cut at a word boundary to at most ``max_chars`` characters, with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def theme_order(codebook: pd.DataFrame) -> list[str]:
    """Themes in the order the codebook introduces them."""
    return list(dict.fromkeys(codebook["theme"]))


def code_order(codebook: pd.DataFrame) -> list[str]:
    """Codes grouped by theme (codebook theme order), codebook order within a theme."""
    themes = {t: k for k, t in enumerate(theme_order(codebook))}
    cb = codebook.assign(_t=codebook["theme"].map(themes), _k=range(len(codebook)))
    return list(cb.sort_values(["_t", "_k"])["code"])


def theme_groups(codebook: pd.DataFrame) -> dict[str, str]:
    """Theme -> conceptual group ("understanding poverty", ...); "themes" when the codebook has none."""
    if "theme_group" not in codebook:
        return {t: "themes" for t in codebook["theme"]}
    first = codebook.drop_duplicates("theme")
    return {
        t: (g if isinstance(g, str) and g else "themes")
        for t, g in zip(first["theme"], first["theme_group"])
    }


def code_labels(codebook: pd.DataFrame) -> dict[str, str]:
    """Code -> short label for tables and figures (the code itself where the codebook has no label)."""
    return _labels(codebook)


def codes_only(codebook: pd.DataFrame) -> pd.DataFrame:
    """The codebook with its words replaced by codes: every label is its code, every finding is
    named by its first code (codebook order). What a chapter written in several languages
    computes with, so that its results hold codes (a table's ``label`` column, ``top_code_id``,
    a finding's name), which the report names from each edition's codebook
    (:func:`finding_names`, :func:`code_labels`)."""
    out = codebook.copy()
    out["label"] = out["code"]
    if "finding" in out:
        out["finding"] = out["finding"].map(finding_ids(codebook))
    return out


def finding_ids(codebook: pd.DataFrame) -> dict[str, str]:
    """A finding's words -> its id, the first code (codebook order) that carries it."""
    if "finding" not in codebook:
        return {}
    stated = codebook.dropna(subset=["finding"])
    stated = stated[stated["finding"].astype(str).str.strip() != ""]
    return dict(zip(stated["finding"][::-1], stated["code"][::-1]))


def finding_names(codebook: pd.DataFrame) -> dict[str, str]:
    """A finding's id (:func:`finding_ids`) -> its words in ``codebook``'s language."""
    return {code: finding for finding, code in finding_ids(codebook).items()}


def _labels(codebook: pd.DataFrame) -> dict[str, str]:
    if "label" in codebook:
        lab = codebook.set_index("code")["label"]
        return {c: (lab[c] if isinstance(lab[c], str) and lab[c] else c) for c in lab.index}
    return dict(zip(codebook["code"], codebook["code"]))


def role_sorted_informants(informants: pd.DataFrame, site: str | None = None) -> pd.DataFrame:
    """Informants of a site ordered regency → kecamatan → kelurahan official → resident → staff, then by id."""
    inf = _site(informants, site)
    order = {r: k for k, r in enumerate(ROLE_ORDER)}
    return (
        inf.assign(_r=inf["role"].map(order)).sort_values(["_r", "informant_id"]).drop(columns="_r")
    )


def _crosstab(rows: pd.Series, columns: pd.Series) -> pd.DataFrame:
    """Counts of (row value, column value) pairs: pandas.crosstab without its per-group Python loop."""
    r, r_names = pd.factorize(rows, sort=True)
    c, c_names = pd.factorize(columns, sort=True)
    counts = np.bincount(
        r.astype(np.int64) * len(c_names) + c, minlength=len(r_names) * len(c_names)
    )
    return pd.DataFrame(
        counts.reshape(len(r_names), len(c_names)),
        index=pd.Index(r_names, name=rows.name),
        columns=pd.Index(c_names, name=columns.name),
    )
