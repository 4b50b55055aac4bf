"""Qualitative displays (Miles, Huberman & Saldaña): frequencies, matrices, co-occurrence, triangulation, findings.

Conventions shared by every function:

* **Counting uses the primary coder's codings only.** Coders are ranked by the number of distinct
  segments they coded (most first, ties by name); each segment counts with the codes of the
  highest-ranked coder who coded it (:func:`primary_codings`). In the illustrative data C1 coded
  every segment and is the primary coder; C2 and C3 recoded subsets for the agreement statistics,
  which must not inflate the counts. With a division of labour (each coder codes different
  interviews) the rule still gives every segment exactly one coding.
* **Informants, not only segments.** A theme raised thirty times by one talkative official is one
  informant; frequencies report both. Shares of informants are descriptive, not estimates: the
  informants of a purposive or census study were chosen, not drawn, so no display puts an
  interval on their share (design-based intervals, where informants were drawn, are
  :mod:`analysis.methods.sampling`'s).
* **Quotes only with consent.** Every display that shows text takes it from
  :func:`consented_segments`: interview segments of informants whose ``consent_quote`` is true.
  Observation notes and documents are counted but never quoted.
* Everything is vectorised (group-bys, cross-tabulations, sparse matrix products), so the displays
  of 200,000 segments take seconds (``benchmarks/bench_qualitative.py``). Every display condenses
  its input itself (site, primary codings); a chapter that shows many displays may condense once,
  ``counted = primary_codings(segments of the site)``, and pass ``counted``: the displays then skip
  that work (it is idempotent). Agreement statistics need all coders: give them the full segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from statsmodels.stats.proportion import proportion_confint

from analysis.data.contract import ROLE_ORDER, SOURCE_TYPES
from analysis.methods.agreement import CODE_RESAMPLES, code_alpha_intervals
from analysis.methods.coding import primary_coder, primary_codings

NO_INFORMANT = "observation/document"
#: The row of a by-role summary that counts every informant (a code; the report names it).
ALL_INFORMANTS = "all informants"
# Verdict rule of the findings table (see :func:`findings_table`).
STRONG_MIN_INFORMANTS, STRONG_MIN_SHARE, MIN_SOURCE_TYPES = 3, 0.25, 2
MODERATE_MIN_INFORMANTS = 2


def verdict_rule() -> dict:
    """The thresholds of the findings verdict, for the chapter to quote (share in percent 0-100)."""
    return {
        "strong_min_informants": STRONG_MIN_INFORMANTS,
        "min_share_pct": round(100 * STRONG_MIN_SHARE),
        "min_source_types": MIN_SOURCE_TYPES,
        "moderate_min_informants": MODERATE_MIN_INFORMANTS,
    }


# --- condensation: which codings count, which texts may be shown ---------------------------------


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


def wilson_interval(count, nobs, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportions ``count / nobs`` (NaN where ``nobs`` is 0)."""
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    low = np.full(count.shape, np.nan)
    high = np.full(count.shape, np.nan)
    ok = nobs > 0
    if ok.any():
        lo, hi = proportion_confint(count[ok], nobs[ok], alpha=1 - confidence, method="wilson")
        low[ok], high[ok] = lo, hi
    return low, high


# --- displays ------------------------------------------------------------------------------------


def code_frequencies(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    by: tuple[str, ...] = ("site",),
) -> pd.DataFrame:
    """Segments and distinct informants per code, by ``by`` (any of "site", "role").

    ``informants_total`` is the number of informants of the group in ``informants`` (the
    denominator of ``share_informants``, a descriptive share without an interval: the informants
    were chosen, not drawn). Observation and document segments form the role ``"observation/document"`` (no
    informants, so no share).
    """
    by = list(by)
    data = _counted(segments, informants, None)
    agg = (
        data.groupby(by + ["code"], observed=True)
        .agg(segments=("segment_id", "nunique"), informants=("informant_id", "nunique"))
        .reset_index()
    )
    keys = [c for c in by if c in informants.columns]
    if keys:
        totals = informants.groupby(keys).size().rename("informants_total").reset_index()
        agg = agg.merge(totals, on=keys, how="left")
    else:
        agg["informants_total"] = len(informants)
    agg["informants_total"] = agg["informants_total"].fillna(0).astype(int)
    if "role" in agg:
        agg.loc[agg["role"] == NO_INFORMANT, "informants_total"] = 0
    agg["share_informants"] = agg["informants"] / agg["informants_total"].where(
        agg["informants_total"] > 0
    )
    cb = codebook.set_index("code")
    agg.insert(len(by) + 1, "theme", agg["code"].map(cb["theme"]))
    agg.insert(len(by) + 2, "label", agg["code"].map(_labels(codebook)))
    order = {c: k for k, c in enumerate(code_order(codebook))}
    sort = by + ["_c"]
    if "role" in by:
        roles = {r: k for k, r in enumerate(ROLE_ORDER + (NO_INFORMANT,))}
        agg["_r"] = agg["role"].map(roles)
        sort = [("_r" if c == "role" else c) for c in by] + ["_c"]
    agg["_c"] = agg["code"].map(order)
    return (
        agg.sort_values(sort)
        .drop(columns=[c for c in ("_c", "_r") if c in agg])
        .reset_index(drop=True)
    )


def informant_code_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
) -> pd.DataFrame:
    """Informants (rows, role order) × codes (columns, theme order): number of segments."""
    data = _counted(segments, informants, site).dropna(subset=["informant_id"])
    matrix = _crosstab(data["informant_id"], data["code"])
    rows = [i for i in role_sorted_informants(informants, site)["informant_id"]]
    cols = [c for c in code_order(codebook) if c in matrix.columns]
    return matrix.reindex(index=rows, columns=cols, fill_value=0).rename_axis(
        index="informant_id", columns="code"
    )


@dataclass(frozen=True)
class Quote:
    """A segment a display may quote: its text as recorded (Indonesian), its English gloss (""
    when none) and its informant (None when the display names no one)."""

    text: str
    gloss: str = ""
    informant_id: str | None = None


def quote_of(row, with_id: bool = True) -> Quote:
    """The :class:`Quote` of a segment row (``text``, optional ``gloss_en``, ``informant_id``)."""
    gloss = row.get("gloss_en")
    who = row.get("informant_id") if with_id else None
    return Quote(
        text=str(row["text"]),
        gloss=gloss if isinstance(gloss, str) else "",
        informant_id=None if who is None or who != who else str(who),
    )


#: Why a cell of the role-ordered matrix quotes no one (codes; the report names them).
NO_QUOTE, QUOTED_ELSEWHERE = "no consented quote", "quoted in another column"


@dataclass(frozen=True)
class RoleCell:
    """A cell of the role-ordered matrix: ``k`` of the role's ``n`` informants spoke on the theme;
    ``quote`` one of them, or None and ``missing`` (:data:`NO_QUOTE`, :data:`QUOTED_ELSEWHERE`)."""

    k: int
    n: int
    quote: Quote | None = None
    missing: str = ""


def role_ordered_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
    themes: list[str] | None = None,
) -> pd.DataFrame:
    """Roles (rows, role codes: regency → kecamatan → kelurahan official → resident → staff) × themes.

    Each cell is a :class:`RoleCell` (None where no informant of the role spoke on the theme):
    ``k`` of ``n`` informants of the role spoke on the theme, and one quote from a consenting
    informant, taken from the theme's code most informants of that role used (shortest such
    segment, then by id), or why there is none (:data:`NO_QUOTE`, :data:`QUOTED_ELSEWHERE`).
    """
    data = _counted(segments, informants, site)
    data = data[data["role"] != NO_INFORMANT]
    theme_of = codebook.set_index("code")["theme"]
    data = data.assign(theme=data["code"].map(theme_of))
    present = _present(data["theme"])
    themes = themes or [t for t in theme_order(codebook) if t in present]
    inf = _site(informants, site)
    n_role = inf.groupby("role").size()
    speakers = data.groupby(["role", "theme"])["informant_id"].nunique()
    code_speakers = data.groupby(["role", "code"])["informant_id"].nunique().rename("_popularity")

    quotable = consented_segments(primary_codings(_site(segments, site)), informants)
    q = quotable[
        ["segment_id", "code", "text"] + (["gloss_en"] if "gloss_en" in quotable else [])
    ].copy()
    q["informant_id"] = _informant_id(quotable)
    q["role"] = q["informant_id"].map(inf.set_index("informant_id")["role"])
    q["theme"] = q["code"].map(theme_of)
    q = q.merge(code_speakers.reset_index(), on=["role", "code"], how="left")
    q["_len"] = q["text"].str.len()
    q = q.sort_values(
        ["role", "theme", "_popularity", "_len", "segment_id"],
        ascending=[True, True, False, True, True],
    )
    q = q.groupby(["role", "theme"]).head(
        40
    )  # bound the work: a cell needs only its first few candidates
    q = q.assign(_key=_near_duplicate_key(q["text"]))
    candidates = q.drop_duplicates(["role", "theme", "_key"]).groupby(["role", "theme"]).head(8)
    options = {cell: rows for cell, rows in candidates.groupby(["role", "theme"])}

    roles = [r for r in ROLE_ORDER if r in n_role.index]
    out = pd.DataFrame(index=pd.Index(roles, name="role"), columns=themes, dtype=object)
    for r in roles:
        shown: set = set()  # a segment that speaks to two themes is quoted once per row
        for t in themes:
            k = int(speakers.get((r, t), 0))
            if k == 0:
                out.loc[r, t] = None
                continue
            n = int(n_role[r])
            rows = options.get((r, t))
            fresh = (
                None
                if rows is None
                else rows[~rows["segment_id"].isin(shown) & ~rows["_key"].isin(shown)]
            )
            if fresh is not None and len(fresh):
                row = fresh.iloc[0]
                shown |= {row["segment_id"], row["_key"]}
                cell = RoleCell(k, n, quote_of(row, with_id=False))
            else:
                cell = RoleCell(k, n, None, NO_QUOTE if rows is None else QUOTED_ELSEWHERE)
            out.loc[r, t] = cell
    return out


def conceptually_clustered_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
    by: str = "informant",
) -> pd.DataFrame:
    """Themes grouped conceptually (understanding poverty | responding to poverty) as column groups.

    ``by="informant"``: informants (role order) × themes, cells the labels of the codes named.
    ``by="role"``: roles × themes, cells ``k/N`` informants of the role who named the theme.
    ``by="count"``: informants × themes, number of distinct codes named (for a heatmap).
    """
    data = _counted(segments, informants, site).dropna(subset=["informant_id"])
    cb = codebook.set_index("code")
    data = data.assign(
        theme=data["code"].map(cb["theme"]), label=data["code"].map(_labels(codebook))
    )
    theme_group = theme_groups(codebook)
    present = _present(data["theme"])
    themes = [t for t in theme_order(codebook) if t in present]
    groups = list(dict.fromkeys(theme_group[t] for t in themes))
    themes = [t for g in groups for t in themes if theme_group[t] == g]
    columns = pd.MultiIndex.from_tuples(
        [(theme_group[t], t) for t in themes], names=["group", "theme"]
    )
    inf = role_sorted_informants(informants, site)
    if by == "role":
        k = data.groupby(["role", "theme"])["informant_id"].nunique().unstack(fill_value=0)
        n = inf.groupby("role").size()
        roles = [r for r in ROLE_ORDER if r in n.index]
        k = k.reindex(index=roles, columns=themes, fill_value=0)
        cells = k.astype(str) + "/" + n.reindex(roles).astype(str).to_numpy()[:, None]
        cells.index = pd.Index(roles, name="role")
        cells.columns = columns
        return cells
    distinct = data.drop_duplicates(["informant_id", "code"])
    if by == "count":
        out = _crosstab(distinct["informant_id"], distinct["theme"])
        out = out.reindex(index=inf["informant_id"], columns=themes, fill_value=0)
    elif by == "informant":
        order = {c: k for k, c in enumerate(code_order(codebook))}
        distinct = distinct.assign(_o=distinct["code"].map(order)).sort_values("_o", kind="stable")
        joined = (
            (distinct["label"] + ", ").groupby([distinct["informant_id"], distinct["theme"]]).sum()
        )
        out = joined.str[:-2].unstack()  # string sums keep the sorted order within each group
        out = out.reindex(index=inf["informant_id"], columns=themes).fillna("")
    else:
        raise ValueError("by must be 'informant', 'role' or 'count'")
    out.columns = columns
    out.index.name = "informant_id"
    return out


def checklist_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
    theme: str = "indicators",
) -> pd.DataFrame:
    """Informants (role order) × the codes of ``theme`` (poverty indicators): True where named."""
    data = _counted(segments, informants, site).dropna(subset=["informant_id"])
    in_theme = set(codebook.loc[codebook["theme"] == theme, "code"])
    codes = [c for c in code_order(codebook) if c in in_theme]
    data = data[data["code"].isin(codes)]
    m = _crosstab(data["informant_id"], data["code"]) > 0
    inf = role_sorted_informants(informants, site)
    m = m.reindex(index=inf["informant_id"], columns=codes, fill_value=False).astype(bool)
    m.columns = [_labels(codebook)[c] for c in codes]
    m.index.name = "informant_id"
    return m


def checklist_summary(checklist: pd.DataFrame, informants: pd.DataFrame) -> pd.DataFrame:
    """Roles × indicators: ``k/N`` informants of the role who named the indicator, and an "all" row."""
    role = informants.set_index("informant_id")["role"].reindex(checklist.index)
    k = checklist.groupby(role.to_numpy()).sum()
    n = role.value_counts()
    roles = [r for r in ROLE_ORDER if r in k.index]
    cells = (
        k.loc[roles].astype(int).astype(str)
        + "/"
        + n.reindex(roles).astype(str).to_numpy()[:, None]
    )
    cells.loc[ALL_INFORMANTS] = checklist.sum().astype(int).astype(str) + f"/{len(checklist)}"
    cells.index.name = "role"
    return cells


@dataclass(frozen=True)
class CoOccurrence:
    """Code co-occurrence: counts ``n12`` (diagonal ``n1``) and coefficient ``n12 / (n1 + n2 - n12)``."""

    counts: pd.DataFrame
    coefficient: pd.DataFrame
    within: str
    units: int

    def pairs(self, top: int | None = None) -> pd.DataFrame:
        """Code pairs (each once) sorted by coefficient, then count: code_1, code_2, n1, n2, n12, coefficient."""
        codes = self.counts.index.to_numpy()
        i, j = np.triu_indices(len(codes), k=1)
        n = self.counts.to_numpy()
        out = pd.DataFrame(
            {
                "code_1": codes[i],
                "code_2": codes[j],
                "n1": n[i, i],
                "n2": n[j, j],
                "n12": n[i, j],
                "coefficient": self.coefficient.to_numpy()[i, j],
            }
        )
        out = (
            out[out["n12"] > 0]
            .sort_values(
                ["coefficient", "n12", "code_1", "code_2"], ascending=[False, False, True, True]
            )
            .reset_index(drop=True)
        )
        return out.head(top) if top else out

    def to_frame(self) -> pd.DataFrame:
        return self.pairs()

    def to_dict(self) -> dict:
        p = self.pairs(1)
        return {
            "within": self.within,
            "units": int(self.units),
            "pairs_co_occurring": int(len(self.pairs())),
            "top_pair": f"{p['code_1'][0]} + {p['code_2'][0]}" if len(p) else "",
            "top_coefficient": float(p["coefficient"][0]) if len(p) else float("nan"),
        }

    def summary(self) -> str:
        d = self.to_dict()
        return (
            f"Co-occurrence within {d['within']}s ({d['units']} units): {d['pairs_co_occurring']} code pairs "
            f"co-occur; strongest {d['top_pair']} (coefficient {d['top_coefficient']:.2f})"
        )


def cooccurrence(
    segments: pd.DataFrame,
    codebook: pd.DataFrame | None = None,
    *,
    site: str | None = None,
    within: str = "segment",
    informants: pd.DataFrame | None = None,
) -> CoOccurrence:
    """Co-occurrence of codes within segments or within informants (a sparse incidence product).

    ``n12`` is the number of units (segments, or informants) carrying both codes; the coefficient
    ``n12 / (n1 + n2 - n12)`` is the share of units with either code that carry both (Jaccard;
    the co-occurrence coefficient of ATLAS.ti). Within informants only interview segments count.
    """
    if within not in ("segment", "informant"):
        raise ValueError("within must be 'segment' or 'informant'")
    seg = primary_codings(_site(segments, site))
    unit = seg["segment_id"] if within == "segment" else _informant_id(seg)
    keep = unit.notna()
    unit, code = unit[keep], seg.loc[keep, "code"]
    present = _present(code)
    codes = code_order(codebook) if codebook is not None else sorted(present)
    codes = [c for c in codes if c in present] + sorted(present - set(codes))
    u = pd.Categorical(unit)
    c = pd.Categorical(code, categories=codes)
    x = sparse.coo_matrix(
        (np.ones(len(u), dtype=np.int32), (u.codes, c.codes)), shape=(len(u.categories), len(codes))
    ).tocsr()
    x.sum_duplicates()
    x.data[:] = 1  # presence, not number of rows
    n = (x.T @ x).toarray().astype(np.int64)
    n1 = np.diag(n)
    denom = n1[:, None] + n1[None, :] - n
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = np.where(denom > 0, n / np.where(denom > 0, denom, 1), np.nan)
    idx = pd.Index(codes, name="code")
    return CoOccurrence(
        counts=pd.DataFrame(n, index=idx, columns=idx),
        coefficient=pd.DataFrame(coef, index=idx, columns=idx),
        within=within,
        units=int(len(u.categories)),
    )


def triangulation(
    segments: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
    level: str = "code",
    min_source_types: int = MIN_SOURCE_TYPES,
) -> pd.DataFrame:
    """Codes (or themes) × source types (interview, observation, document): segments of each.

    ``source_types`` counts the types with at least one segment; ``triangulated`` marks rows
    supported by ``min_source_types`` or more (a verification tactic of Miles et al.).
    """
    seg = primary_codings(_site(segments, site))
    key = seg["code"] if level == "code" else seg["code"].map(codebook.set_index("code")["theme"])
    table = _crosstab(key.rename(level), seg["source_type"]).reindex(
        columns=list(SOURCE_TYPES), fill_value=0
    )
    order = code_order(codebook) if level == "code" else theme_order(codebook)
    table = table.reindex([k for k in order if k in table.index])
    table.columns.name = None
    table["source_types"] = (table[list(SOURCE_TYPES)] > 0).sum(axis=1)
    table["triangulated"] = table["source_types"] >= min_source_types
    if level == "code":
        table.insert(0, "theme", table.index.map(codebook.set_index("code")["theme"]))
        table.insert(1, "label", table.index.map(_labels(codebook)))
    return table.reset_index()


def case_ordered_meta_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    households: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = "pakis",
    themes: list[str] | None = None,
) -> pd.DataFrame:
    """Informants with a household, sorted by their income change (largest rise first), with their themes.

    ``households`` needs informant_id, income_before, income_after (Rupiah per month). Columns:
    informant, business type, incomes, change (Rupiah per month and percent), then one column per
    theme listing the labels of the codes the informant used.
    """
    hh = households.dropna(subset=["informant_id"])
    hh = _site(hh, site) if "site" in hh else hh
    hh = hh.groupby("informant_id", as_index=False)[["income_before", "income_after"]].sum()
    labels = conceptually_clustered_matrix(
        segments, informants, codebook, site=site, by="informant"
    )
    labels.columns = labels.columns.get_level_values("theme")
    if themes is not None:
        labels = labels.reindex(columns=[t for t in themes if t in labels.columns])
    out = hh.merge(
        informants[["informant_id"] + (["business_type"] if "business_type" in informants else [])],
        on="informant_id",
        how="left",
    )
    out["change"] = out["income_after"] - out["income_before"]
    out["change_pct"] = 100.0 * out["change"] / out["income_before"]
    out = out.merge(labels.reset_index(), on="informant_id", how="left").fillna(
        {t: "" for t in labels.columns}
    )
    return out.sort_values(["change", "informant_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def findings_table(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str,
    quotes: int = 2,
    reliability: bool | pd.DataFrame = True,
    seed: int = 0,
    resamples: int | None = None,
) -> pd.DataFrame:
    """Each finding the site's study reports (codebook ``finding``/``finding_site``) with its support.

    Columns: finding, logic ("any" or "all", codebook ``finding_logic``), codes, informants
    (distinct informants who support it: with a segment coded with one of the finding's codes, or,
    for an "all" finding, who used every one of its codes), informants_total (informants of the
    site), share_informants (descriptive: the informants of a purposive study are not a sample, so
    the share has no interval), segments and source_types (which of interview/observation/document)
    of the supporting evidence, quotes (up to ``quotes`` consented excerpts from different
    supporting informants: :class:`Quote` records), verdict.

    **"All of" findings.** A finding the study states jointly ("food security, health and
    infrastructure are the priority sectors") is marked ``finding_logic = all`` in the codebook:
    an informant supports it only by using all of its codes (in any of their segments); an
    observation note or document only when one segment carries them all.

    Verdict rule: **strong** when the finding is supported by at least 2 source types and by at
    least 3 informants who are at least 25 % of the site's informants; **moderate** when at least 2
    informants support it and it has either 2 source types or 25 % of the informants; **weak** when
    anything at all supports it; **not supported** when no segment carries its codes.

    Coder reliability: with ``reliability`` (True: from ``segments``; or a frame of all coders'
    segments, when ``segments`` holds only the primary codings), every code's Krippendorff's alpha
    (nominal) gets a 95 % bootstrap interval over segments
    (:func:`analysis.methods.agreement.code_alpha_intervals`, ``resamples`` draws seeded by
    ``seed``). A finding is **strong only if every code it rests on is reliable by the interval's
    lower bound** (at least 0.800); otherwise, and when reliability was not assessed (one coder,
    nothing double-coded, a code never applied on a double-coded segment), it is at most
    moderate. ``min_alpha``, ``alpha_low`` and ``alpha_high`` are those of the code with the lowest
    lower bound; the ``reliability`` column says which code and why.
    """
    if "finding" not in codebook:
        raise ValueError("the codebook has no 'finding' column: no findings to tabulate")
    cb = codebook.dropna(subset=["finding"])
    cb = cb[cb["finding"].astype(str).str.strip() != ""]
    if "finding_site" in cb:
        cb = cb[cb["finding_site"].isna() | (cb["finding_site"] == site)]
    findings = list(dict.fromkeys(cb["finding"]))
    finding_of = cb.set_index("code")["finding"]
    labels = _labels(codebook)
    logic = finding_logic(cb)
    data = _supporting(_counted(segments, informants, site), cb)
    n_total = int((informants["site"] == site).sum())
    g = data.groupby("finding")
    informants_n = g["informant_id"].nunique()
    segments_n = g["segment_id"].nunique()
    types = (
        data.drop_duplicates(["finding", "source_type"])
        .groupby("finding")["source_type"]
        .agg(lambda s: ", ".join(t for t in SOURCE_TYPES if t in set(s)))
    )

    quotable = consented_segments(primary_codings(_site(segments, site)), informants)
    quotable = quotable[quotable["code"].isin(finding_of.index)]
    q = quotable.assign(
        finding=quotable["code"].map(finding_of), informant_id=_informant_id(quotable)
    )
    supporters = set(zip(data["finding"], data["informant_id"]))
    q = q[[pair in supporters for pair in zip(q["finding"], q["informant_id"])]]
    quote_rows = _finding_quotes(q, informants, codebook, quotes)

    out = pd.DataFrame({"finding": findings})
    out["logic"] = out["finding"].map(logic)
    out["codes"] = [
        ", ".join(labels[c] for c in cb.loc[cb["finding"] == f, "code"]) for f in findings
    ]
    out["informants"] = out["finding"].map(informants_n).fillna(0).astype(int)
    out["informants_total"] = n_total
    out["share_informants"] = out["informants"] / n_total if n_total else np.nan
    out["segments"] = out["finding"].map(segments_n).fillna(0).astype(int)
    out["source_types"] = out["finding"].map(types).fillna("")
    out["n_source_types"] = out["source_types"].map(lambda s: len([t for t in s.split(", ") if t]))
    out["quotes"] = [quote_rows.get(f, ()) for f in findings]
    out["verdict"] = verdict(
        out["informants"], out["share_informants"], out["n_source_types"], out["segments"]
    )
    if reliability is False:
        return out
    everyone = reliability if isinstance(reliability, pd.DataFrame) else segments
    return _with_reliability(out, cb, everyone, site, seed, resamples)


def finding_logic(codebook: pd.DataFrame) -> pd.Series:
    """Per finding, "all" when the codebook marks any of its codes ``finding_logic = all`` (the
    study states the codes jointly), else "any"."""
    cb = codebook.dropna(subset=["finding"])
    if "finding_logic" not in cb:
        return pd.Series("any", index=pd.Index(pd.unique(cb["finding"]), name="finding"))
    is_all = cb["finding_logic"].fillna("").astype(str).str.strip().str.lower() == "all"
    return is_all.groupby(cb["finding"], sort=False).any().map({True: "all", False: "any"})


def _supporting(data: pd.DataFrame, cb: pd.DataFrame) -> pd.DataFrame:
    """The counted codings (:func:`_counted`) of the findings in ``cb`` that support them, with
    their ``finding``: for an "any" finding every coding of one of its codes; for an "all" finding
    only the codings of informants who used all of its codes (an observation note or document: of
    segments that carry them all)."""
    finding_of = cb.set_index("code")["finding"]
    data = data[data["code"].isin(finding_of.index)].assign(
        finding=lambda d: d["code"].map(finding_of)
    )
    logic = finding_logic(cb)
    conjunctive = set(logic.index[logic == "all"])
    if not conjunctive or data.empty:
        return data
    needed = cb.groupby("finding")["code"].nunique()
    unit = (
        data["informant_id"]
        .astype("object")
        .where(data["informant_id"].notna(), "segment:" + data["segment_id"].astype(str))
    )
    used = data.assign(_unit=unit).groupby(["finding", "_unit"])["code"].transform("nunique")
    keep = ~data["finding"].isin(conjunctive) | (used >= data["finding"].map(needed))
    return data[keep.to_numpy()]


#: Whether a finding's codes could be judged reliable (``reliability_status`` of the findings
#: table): one coder, nothing double-coded, none of its codes assessed, or assessed.
ONE_CODER, NO_DOUBLE_CODING, NOT_ASSESSED, ASSESSED = (
    "one coder",
    "no double coding",
    "not assessed",
    "assessed",
)


def _with_reliability(out, cb, segments, site, seed=0, resamples=None) -> pd.DataFrame:
    """Add min_alpha, alpha_low, alpha_high (of the code with the lowest lower bound,
    ``weakest_code``, whose interval verdict is ``weakest_verdict``), ``codes_unassessed``,
    ``reliability_status`` and ``capped`` (the finding is not strong for want of reliability); a
    finding is strong only if every code it rests on is reliable by its interval's lower bound
    (else at most moderate)."""
    out = out.assign(
        min_alpha=np.nan,
        alpha_low=np.nan,
        alpha_high=np.nan,
        weakest_code=None,
        weakest_verdict="",
        codes_unassessed=0,
        reliability_status=ASSESSED,
        capped=False,
    )
    strong = out["verdict"] == "strong"
    try:
        per_code = code_alpha_intervals(
            segments,
            site=site,
            seed=seed,
            resamples=CODE_RESAMPLES if resamples is None else resamples,
        ).set_index("code")
    except ValueError:  # one coder, or nothing double-coded: reliability unknown
        one_coder = _site(segments, site)["coder"].nunique() < 2
        out["reliability_status"] = ONE_CODER if one_coder else NO_DOUBLE_CODING
        out["capped"] = True
        out.loc[strong, "verdict"] = "moderate"
        return out
    for i, finding in out["finding"].items():
        codes = list(dict.fromkeys(cb.loc[cb["finding"] == finding, "code"]))
        rows = per_code.reindex(codes)
        assessed = rows.dropna(subset=["alpha_low"])
        unassessed = [c for c in codes if c not in assessed.index]
        if assessed.empty:
            out.at[i, "reliability_status"] = NOT_ASSESSED
            out.at[i, "capped"] = True
            if strong[i]:
                out.at[i, "verdict"] = "moderate"
            continue
        worst = assessed["alpha_low"].idxmin()
        row = assessed.loc[worst]
        out.at[i, "min_alpha"] = float(row["alpha"])
        out.at[i, "alpha_low"] = float(row["alpha_low"])
        out.at[i, "alpha_high"] = float(row["alpha_high"])
        out.at[i, "weakest_code"] = worst
        out.at[i, "weakest_verdict"] = row["verdict"]
        out.at[i, "codes_unassessed"] = len(unassessed)
        if unassessed or row["verdict"] != "reliable":
            out.at[i, "capped"] = True
            if strong[i]:
                out.at[i, "verdict"] = "moderate"
    return out


def _near_duplicate_key(text: pd.Series) -> pd.Series:
    """Texts that end alike (last 40 letters, case, punctuation and opener ignored) are one
    excerpt: "Begini, kesehatan kami dahulukan" and "Menurut saya, kesehatan kami dahulukan"."""
    return text.map(lambda t: quote_key(t).replace(" ", "")[-40:])


#: Words that open an interview answer without adding to it, in lower case: "Begini, kesehatan
#: kami dahulukan" and "Menurut saya, kesehatan kami dahulukan" are one quote.
OPENERS = (
    "kalau menurut saya",
    "menurut saya",
    "jujur saja",
    "terus terang",
    "sebenarnya",
    "ya begini",
    "begini",
    "memang",
    "jadi",
    "nah",
    "iya",
    "ya",
)
_OPENER = re.compile(
    r"^\s*(?:" + "|".join(re.escape(o) for o in OPENERS) + r")\s*[,:;.]?\s+", re.IGNORECASE
)


def without_opener(text: str) -> str:
    """The quote without the fillers that open it ("Begini, ...", "Ya, menurut saya, ...").

    The first remaining letter is capitalised again; a text that is nothing but an opener is
    returned unchanged.
    """
    text = str(text)
    rest = text
    while True:
        stripped = _OPENER.sub("", rest, count=1)
        if stripped == rest or not stripped.strip():
            break
        rest = stripped
    if rest is text or rest == text:
        return text
    return rest[:1].upper() + rest[1:]


def quote_key(text: str) -> str:
    """What makes two quotes the same: the words without opener, case and punctuation."""
    return re.sub(r"[^\w]+", " ", without_opener(text).lower()).strip()


def distinct_quotes(quotes: pd.DataFrame, column: str = "text") -> pd.DataFrame:
    """The rows of ``quotes`` whose text was not already shown (first one kept, order kept).

    Two texts are one quote when they differ only in their opener, case or punctuation
    (:func:`quote_key`).
    """
    if quotes.empty:
        return quotes
    keys = quotes[column].map(quote_key)
    return quotes[~keys.duplicated()]


def _finding_quotes(
    q: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    quotes: int,
) -> dict[str, tuple[Quote, ...]]:
    """Up to ``quotes`` excerpts per finding, as varied as the data allow.

    The first excerpt comes from the highest role in the chain (regency first), the next from the
    lowest (residents last), each time preferring a code, an informant and a text not yet quoted
    for the finding. Candidates are first reduced to one per (finding, role, code), so the greedy
    choice runs over a few rows per finding however many segments there are.
    """
    if q.empty or quotes < 1:
        return {}
    roles = {r: k for k, r in enumerate(ROLE_ORDER)}
    codes = {c: k for k, c in enumerate(code_order(codebook))}
    q = q.assign(
        _role=q["informant_id"].map(informants.set_index("informant_id")["role"]).map(roles),
        _code=q["code"].map(codes),
    )
    q = q.sort_values(["finding", "_role", "_code", "informant_id", "segment_id"])
    q = q.groupby(["finding", "_role", "_code"]).head(20)  # bound the work before comparing texts
    q = q.assign(_key=_near_duplicate_key(q["text"]))
    q = (
        q.drop_duplicates(["finding", "_role", "_code", "_key"])
        .groupby(["finding", "_role", "_code"])
        .head(2)
    )
    chosen, seen = {}, set()  # seen: texts already quoted for another finding (shown once)
    groups = sorted(q.groupby("finding", sort=False), key=lambda g: g[1]["_key"].nunique())
    for finding, rows in groups:  # findings with the fewest texts choose first
        rows = rows[~rows["_key"].isin(seen)]
        picked = []
        for _attempt in range(quotes):
            used = lambda col, picked=picked: {r[col] for r in picked}  # noqa: E731
            pool = rows[
                ~rows["segment_id"].isin(used("segment_id")) & ~rows["_key"].isin(used("_key"))
            ]
            if pool.empty:
                break
            if picked:  # next: the lowest role, a new code and informant where possible
                pool = pool.assign(
                    _new=(~pool["_code"].isin(used("_code"))).astype(int)
                    + (~pool["informant_id"].isin(used("informant_id"))).astype(int)
                )
                pool = pool.sort_values(["_new", "_role"], ascending=[False, False], kind="stable")
            picked.append(pool.iloc[0])
        seen |= {r["_key"] for r in picked}
        chosen[finding] = tuple(quote_of(r) for r in picked)
    return chosen


def verdict(informants, share, source_types, segments) -> pd.Series:
    """The findings table's verdict rule, vectorised (see :func:`findings_table`)."""
    informants, share = pd.Series(informants).to_numpy(), pd.Series(share).fillna(0).to_numpy()
    types, segs = pd.Series(source_types).to_numpy(), pd.Series(segments).to_numpy()
    strong = (
        (types >= MIN_SOURCE_TYPES)
        & (informants >= STRONG_MIN_INFORMANTS)
        & (share >= STRONG_MIN_SHARE)
    )
    moderate = (informants >= MODERATE_MIN_INFORMANTS) & (
        (types >= MIN_SOURCE_TYPES) | (share >= STRONG_MIN_SHARE)
    )
    return pd.Series(
        np.select([strong, moderate, segs > 0], ["strong", "moderate", "weak"], "not supported")
    )


def finding_supporters(
    segments: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame, *, site: str
) -> pd.DataFrame:
    """Informant (rows, the site's informants) x finding (columns): True when the informant
    supports the finding as :func:`findings_table` counts it (one of its codes; all of them for an
    "all" finding)."""
    if "finding" not in codebook:
        return pd.DataFrame(index=pd.Index([], name="informant_id"))
    cb = codebook.dropna(subset=["finding"])
    cb = cb[cb["finding"].astype(str).str.strip() != ""]
    if "finding_site" in cb:
        cb = cb[cb["finding_site"].isna() | (cb["finding_site"] == site)]
    ids = informants.loc[informants["site"] == site, "informant_id"]
    data = _supporting(_counted(segments, informants, site), cb)
    pairs = set(zip(data["informant_id"], data["finding"]))
    findings = list(dict.fromkeys(cb["finding"]))
    return pd.DataFrame(
        {f: [(i, f) in pairs for i in ids] for f in findings},
        index=pd.Index(ids, name="informant_id"),
    )


def indicator_facts(checklist: pd.DataFrame) -> dict:
    """The indicator most informants named and how many named it (``"none"`` and 0 when no one
    named one), from :func:`checklist_matrix`."""
    named = checklist.sum().sort_values(ascending=False, kind="stable")
    top = int(named.iloc[0]) if len(named) else 0
    return {"top_indicator": named.index[0] if top else "none", "top_indicator_n": top}


#: The verdicts of the findings table, strongest first (codes; the report names them).
VERDICTS = ("strong", "moderate", "weak", "not supported")
#: Why a study has no findings table (besides a problem of its codebook, given as its message).
NO_FINDINGS = "no findings"


@dataclass(frozen=True)
class StudyFindings:
    """The findings table of a study (:func:`findings_table`), or None and why there is none
    (``problem``: :data:`NO_FINDINGS`, or the codebook's problem as a message)."""

    table: pd.DataFrame | None
    problem: str = ""

    def facts(self) -> dict:
        """How many findings, how many "all of" findings, and how many of each verdict."""
        t = self.table
        n = {f"n_findings_{v.replace(' ', '_')}": 0 for v in VERDICTS}
        out = n | {"n_findings": 0, "n_findings_all_of": 0}
        if t is None:
            return out
        for v in VERDICTS:
            out[f"n_findings_{v.replace(' ', '_')}"] = int((t["verdict"] == v).sum())
        out["n_findings"] = len(t)
        out["n_findings_all_of"] = int((t["logic"] == "all").sum())
        return out


def study_findings(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    site: str,
    seed: int,
) -> StudyFindings:
    """The findings table of ``site`` from its counted codings, with every coder's ``segments``
    for the per-code reliability (bootstrap seeded by ``seed``), or why there is none."""
    try:
        table = findings_table(
            counted, informants, codebook, site=site, reliability=segments, seed=seed
        )
    except ValueError as problem:
        return StudyFindings(None, str(problem))
    if table.empty:
        return StudyFindings(None, NO_FINDINGS)
    return StudyFindings(table)


def strongest_pair(result: CoOccurrence, labels: dict[str, str]) -> tuple[str | None, float]:
    """The pair of codes that co-occur most, as "label + label", and its coefficient (None and
    0.0 when no two codes meet)."""
    best = result.pairs(1)
    if not len(best):
        return None, 0.0
    pair = f"{labels[best['code_1'][0]]} + {labels[best['code_2'][0]]}"
    return pair, float(best["coefficient"][0])


def segment_counts(counted: pd.DataFrame, codebook: pd.DataFrame, segments: pd.DataFrame) -> dict:
    """How much the study's data hold: segments (by source type), codes and themes used, coders,
    and the primary coder."""
    by_type = counted.drop_duplicates("segment_id")["source_type"].value_counts()
    return {
        "n_segments": counted["segment_id"].nunique(),
        **{f"n_segments_{t}": int(by_type.get(t, 0)) for t in SOURCE_TYPES},
        "n_codes_used": counted["code"].nunique(),
        "n_themes_used": counted["code"].map(codebook.set_index("code")["theme"]).nunique(),
        "n_coders": segments["coder"].nunique(),
        "primary_coder": primary_coder(segments),
    }


def top_code(frequencies: pd.DataFrame) -> dict:
    """The code the most informants used (then the most segments): its label, informants and
    share of the site's informants (percent 0-100)."""
    top = frequencies.sort_values(["informants", "segments"], ascending=False).iloc[0]
    return {
        "top_code": top["label"],
        "top_code_informants": int(top["informants"]),
        "top_code_share": 100 * top["share_informants"],
    }
