"""Qualitative displays (Miles, Huberman & Saldaña): frequencies, matrices, co-occurrence, triangulation.

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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from statsmodels.stats.proportion import proportion_confint

from analysis.data.contract import ROLE_ORDER, SOURCE_TYPES
from analysis.methods.condensation import (
    NO_INFORMANT,
    _counted,
    _crosstab,
    _informant_id,
    _labels,
    _present,
    _site,
    code_labels,
    code_order,
    codes_only,
    consented_segments,
    excerpt,
    finding_ids,
    finding_names,
    primary_coder,
    primary_codings,
    role_sorted_informants,
    theme_groups,
    theme_order,
)
from analysis.methods.findings import (
    ASSESSED,
    MIN_SOURCE_TYPES,
    MODERATE_MIN_INFORMANTS,
    NO_DOUBLE_CODING,
    NO_FINDING_COLUMN,
    NO_FINDINGS,
    NOT_ASSESSED,
    ONE_CODER,
    STRONG_MIN_INFORMANTS,
    STRONG_MIN_SHARE,
    VERDICTS,
    StudyFindings,
    finding_logic,
    finding_supporters,
    findings_table,
    study_findings,
    verdict,
    verdict_rule,
)
from analysis.methods.quotes import (
    Quote,
    _near_duplicate_key,
    distinct_quotes,
    quote_key,
    quote_of,
    without_opener,
)

#: The row of a by-role summary that counts every informant (a code; the report names it).
ALL_INFORMANTS = "all informants"


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


#: Why a cell of the role-ordered matrix quotes no one (codes; the report names them).
NO_QUOTE, QUOTED_ELSEWHERE = "no consented quote", "quoted in another column"


@dataclass(frozen=True)
class OfAll:
    """``k`` of ``n`` informants (a count and its total; the report writes "k/n")."""

    k: int
    n: int


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
    ``by="role"``: roles × themes, cells :class:`OfAll`: ``k`` of the role's ``n`` informants
    named the theme.
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
        sizes = n.reindex(roles).to_numpy()
        cells = pd.DataFrame(
            [[OfAll(int(x), int(m)) for x in row] for row, m in zip(k.to_numpy(), sizes)],
            index=pd.Index(roles, name="role"),
        )
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
    """Informants (role order) × the codes of ``theme`` (poverty indicators; columns are codes):
    True where named."""
    data = _counted(segments, informants, site).dropna(subset=["informant_id"])
    in_theme = set(codebook.loc[codebook["theme"] == theme, "code"])
    codes = [c for c in code_order(codebook) if c in in_theme]
    data = data[data["code"].isin(codes)]
    m = _crosstab(data["informant_id"], data["code"]) > 0
    inf = role_sorted_informants(informants, site)
    m = m.reindex(index=inf["informant_id"], columns=codes, fill_value=False).astype(bool)
    m.columns.name = None
    m.index.name = "informant_id"
    return m


def checklist_summary(checklist: pd.DataFrame, informants: pd.DataFrame) -> pd.DataFrame:
    """Roles × indicators: :class:`OfAll` (``k`` of the role's ``n`` informants named the
    indicator), and a row :data:`ALL_INFORMANTS`."""
    role = informants.set_index("informant_id")["role"].reindex(checklist.index)
    k = checklist.groupby(role.to_numpy()).sum()
    n = role.value_counts()
    roles = [r for r in ROLE_ORDER if r in k.index]
    rows = [[OfAll(int(x), int(n[r])) for x in k.loc[r]] for r in roles]
    rows.append([OfAll(int(x), len(checklist)) for x in checklist.sum()])
    return pd.DataFrame(
        rows, index=pd.Index([*roles, ALL_INFORMANTS], name="role"), columns=checklist.columns
    )


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


def indicator_facts(checklist: pd.DataFrame) -> dict:
    """The indicator most informants named (``top_indicator_id``: its code, None when no one named
    one) and how many named it, from :func:`checklist_matrix` of a :func:`codes_only` codebook."""
    named = checklist.sum().sort_values(ascending=False, kind="stable")
    top = int(named.iloc[0]) if len(named) else 0
    return {"top_indicator_id": named.index[0] if top else None, "top_indicator_n": top}


def strongest_pair(result: CoOccurrence) -> tuple[tuple[str, str] | None, float]:
    """The pair of codes that co-occur most, and its coefficient (None and 0.0 when no two codes
    meet)."""
    best = result.pairs(1)
    if not len(best):
        return None, 0.0
    return (best["code_1"][0], best["code_2"][0]), float(best["coefficient"][0])


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
    """The code the most informants used (then the most segments): its code (``top_code_id``),
    informants and share of the site's informants (percent 0-100)."""
    top = frequencies.sort_values(["informants", "segments"], ascending=False).iloc[0]
    return {
        "top_code_id": top["code"],
        "top_code_informants": int(top["informants"]),
        "top_code_share": 100 * top["share_informants"],
    }


#: What the displays module offers: its own displays, and the condensation, quotes and findings
#: it builds on (so that ``qualitative.findings_table`` and the like keep working).
__all__ = [
    "ALL_INFORMANTS",
    "ASSESSED",
    "MIN_SOURCE_TYPES",
    "MODERATE_MIN_INFORMANTS",
    "NO_DOUBLE_CODING",
    "NO_FINDING_COLUMN",
    "NO_FINDINGS",
    "NO_INFORMANT",
    "NO_QUOTE",
    "OfAll",
    "NOT_ASSESSED",
    "ONE_CODER",
    "QUOTED_ELSEWHERE",
    "STRONG_MIN_INFORMANTS",
    "STRONG_MIN_SHARE",
    "VERDICTS",
    "CoOccurrence",
    "Quote",
    "RoleCell",
    "StudyFindings",
    "case_ordered_meta_matrix",
    "checklist_matrix",
    "checklist_summary",
    "code_frequencies",
    "code_labels",
    "code_order",
    "codes_only",
    "conceptually_clustered_matrix",
    "consented_segments",
    "cooccurrence",
    "distinct_quotes",
    "excerpt",
    "finding_logic",
    "finding_supporters",
    "finding_ids",
    "finding_names",
    "findings_table",
    "indicator_facts",
    "informant_code_matrix",
    "primary_coder",
    "primary_codings",
    "quote_key",
    "quote_of",
    "role_ordered_matrix",
    "role_sorted_informants",
    "segment_counts",
    "strongest_pair",
    "study_findings",
    "theme_groups",
    "theme_order",
    "top_code",
    "triangulation",
    "verdict",
    "verdict_rule",
    "wilson_interval",
    "without_opener",
]
