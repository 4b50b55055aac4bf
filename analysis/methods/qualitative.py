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

from analysis import figures, formatting
from analysis.data.contract import (
    ROLE_LABELS,
    ROLE_ORDER,
    SOURCE_TYPE_LABELS,
    SOURCE_TYPES,
    THEME_GROUP_LABELS,
    THEME_LABELS,
    untranslated,
)
from analysis.i18n import N_, SOURCE_LANGUAGE, _, language, ngettext
from analysis.literal import markdown_literal

NO_INFORMANT = "observation/document"
# Verdict rule of the findings table (see :func:`findings_table`).
STRONG_MIN_INFORMANTS, STRONG_MIN_SHARE, MIN_SOURCE_TYPES = 3, 0.25, 2
MODERATE_MIN_INFORMANTS = 2

#: Verdicts of the findings table as readers see them (the frames keep the English identifiers).
VERDICT_LABELS = {
    "strong": N_("strong"),
    "moderate": N_("moderate"),
    "weak": N_("weak"),
    "not supported": N_("not supported"),
}
#: The theme group of a codebook without groups (:func:`theme_groups`), as readers see it.
NO_THEME_GROUP = N_("themes")
#: Informant types in the plural, for "(core informants)" after a count of a role.
INFORMANT_TYPES_PLURAL = {"core": N_("core informants"), "additional": N_("additional informants")}
#: Column headers of the displays as readers see them (the frames, tests and CSV downloads keep
#: the identifiers; English headers read as the identifiers without underscores).
HEADERS = {
    "role": N_("role"),
    "theme": N_("theme"),
    "label": N_("label"),
    "code": N_("code"),
    "codes": N_("codes"),
    "code_1": N_("code 1"),
    "code_2": N_("code 2"),
    "coefficient": N_("coefficient"),
    "segments": N_("segments"),
    "informants": N_("informants"),
    "informant_id": N_("informant id"),
    "interview": N_("interview"),
    "observation": N_("observation"),
    "document": N_("document"),
    "source_types": N_("source types"),
    "triangulated": N_("triangulated"),
    "finding": N_("finding"),
    "verdict": N_("verdict"),
    "quotes": N_("quotes"),
    "reliability": N_("reliability"),
    "informants (k/N)": N_("informants (k/N)"),
    "share %": N_("share %"),
    "logic": N_("logic"),
    "business_type": N_("business type"),
    "income_before": N_("income before"),
    "income_after": N_("income after"),
    "change": N_("change"),
    "change_pct": N_("change pct"),
    # the displays' downloads (their CSV keeps the identifiers; the page shows these headers)
    "share_informants": N_("share informants"),
    "ci_low": N_("ci low"),
    "ci_high": N_("ci high"),
    "prevalence": N_("prevalence"),
    "percent_agreement": N_("percent agreement"),
    "kappa": N_("kappa"),
    "kappa_low": N_("kappa low"),
    "kappa_high": N_("kappa high"),
    "alpha": N_("alpha"),
    "alpha_verdict": N_("alpha verdict"),
    "kappa_verdict": N_("kappa verdict"),
    "alpha_low": N_("alpha low"),
    "alpha_high": N_("alpha high"),
    "coders": N_("coders"),
    "pabak": N_("pabak"),
    "fleiss_kappa": N_("fleiss kappa"),
}


def role_label(role) -> str:
    """A role as readers read it, in the current language (the contract's label)."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


#: The themes (and theme groups) of the codebook a chapter is about -> their names in the chapter's
#: language, set by :func:`use_theme_labels`.
_THEME_NAMES: dict[str, dict[str, str]] = {}


def use_theme_labels(codebook: pd.DataFrame) -> dict[str, str]:
    """Name the themes and theme groups of ``codebook`` (as :func:`analysis.data.loading.load`
    returns it, in the current language) the way this codebook does, for every display that
    follows (:func:`theme_label`); returns theme -> name.

    A theme's name is its ``theme_label`` (the first filled one of its codes: the Indonesian
    companion ``theme_label@id`` in the Indonesian edition, else the original, marked); where the
    codebook gives none, the shipped vocabulary's name; else the theme as written, marked as the
    original in another language than English (``contract.untranslated``), so that no edition
    shows a study's words as if they were a translation.
    """
    names: dict[str, str] = {}
    given = {}
    if "theme_label" in codebook:
        for theme, label in zip(codebook["theme"], codebook["theme_label"]):
            if theme not in given and isinstance(label, str) and label.strip():
                given[theme] = label
    groups = codebook["theme_group"] if "theme_group" in codebook else []
    for word in [*codebook["theme"], *(g for g in groups if isinstance(g, str) and g)]:
        if word in names:
            continue
        if word in given:
            names[word] = given[word]
        elif word in THEME_LABELS or word in THEME_GROUP_LABELS:
            names[word] = _vocabulary_label(word)
        else:
            names[word] = untranslated(str(word))
    _THEME_NAMES.clear()
    _THEME_NAMES[language()] = names
    return dict(names)


def _vocabulary_label(theme) -> str | None:
    for labels in (THEME_LABELS, THEME_GROUP_LABELS, {"themes": NO_THEME_GROUP}):
        if theme in labels:
            return _(labels[theme])
    return None


def theme_label(theme) -> str:
    """A theme (or theme group) as readers read it, in the current language: its name in the
    codebook of the chapter (:func:`use_theme_labels`), else the contract's label, else the theme
    as written."""
    named = _THEME_NAMES.get(language(), {})
    if theme in named:
        return named[theme]
    label = _vocabulary_label(theme)
    return theme if label is None else label


def verdict_label(verdict) -> str:
    """A verdict of the findings table as readers read it ("kuat" in Indonesian)."""
    return _(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else verdict


def source_type_label(source_type) -> str:
    """A kind of source (interview, observation, document) in the current language."""
    return _(SOURCE_TYPE_LABELS[source_type]) if source_type in SOURCE_TYPE_LABELS else source_type


def source_types_text(types: str) -> str:
    """A comma-separated list of source types ("interview, document") in the current language."""
    return ", ".join(source_type_label(t) for t in str(types).split(", ") if t)


def header(name) -> str:
    """The header readers see for a column identifier (the identifier itself when unknown)."""
    if isinstance(name, str) and name in HEADERS:
        return _(HEADERS[name])
    return theme_label(name) if isinstance(name, str) else name


def with_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its column (and index) names as readers read them, for a displayed table."""
    out = frame.rename(columns=header)
    out.index = out.index.set_names([header(n) if n is not None else None for n in out.index.names])
    return out


def verdict_rule() -> dict:
    """The thresholds of the findings verdict, for the chapter to quote (share in percent 0-100)."""
    return {
        "strong_min_informants": STRONG_MIN_INFORMANTS,
        "min_share_pct": round(100 * STRONG_MIN_SHARE),
        "min_source_types": MIN_SOURCE_TYPES,
        "moderate_min_informants": MODERATE_MIN_INFORMANTS,
    }


# --- condensation: which codings count, which texts may be shown ---------------------------------


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


def role_ordered_matrix(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str | None = None,
    themes: list[str] | None = None,
    max_chars: int = 70,
    gloss: bool = True,
    edition: str | None = None,
) -> pd.DataFrame:
    """Roles (rows, regency → kecamatan → kelurahan official → resident → staff) × themes.

    Each cell: ``k/N`` informants of the role who spoke on the theme, then one short excerpt from
    a consenting informant (Indonesian, with the English gloss in brackets when ``gloss``), taken
    from the theme's code most informants of that role used (shortest such segment, then by id).
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
    out = pd.DataFrame(
        index=pd.Index([role_label(r) for r in roles], name="role"), columns=themes, dtype=object
    )
    for r in roles:
        shown: set = set()  # a segment that speaks to two themes is quoted once per row
        for t in themes:
            k = int(speakers.get((r, t), 0))
            if k == 0:
                out.loc[role_label(r), t] = ""
                continue
            cell = f"{k}/{int(n_role[r])}"
            rows = options.get((r, t))
            fresh = (
                None
                if rows is None
                else rows[~rows["segment_id"].isin(shown) & ~rows["_key"].isin(shown)]
            )
            if fresh is not None and len(fresh):
                row = fresh.iloc[0]
                shown |= {row["segment_id"], row["_key"]}
                cell += ": " + _quote(row, max_chars, gloss, with_id=False, edition=edition)
            else:
                cell += (
                    _(": (no consented quote)")
                    if rows is None
                    else _(": (quoted in another column)")
                )
            out.loc[role_label(r), t] = cell
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
        cells.index = [role_label(r) for r in roles]
        cells.index.name = "role"
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
    all_row = _("all informants")
    cells.loc[all_row] = checklist.sum().astype(int).astype(str) + f"/{len(checklist)}"
    cells.index = [role_label(r) for r in cells.index]
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
    max_chars: int = 90,
    reliability: bool | pd.DataFrame = True,
    edition: str | None = None,
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
    supporting informants, Indonesian with English gloss), verdict.

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
    quote_text = _finding_quotes(q, informants, codebook, quotes, max_chars, edition)

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
    out["quotes"] = out["finding"].map(quote_text).fillna("")
    out["verdict"] = verdict(
        out["informants"], out["share_informants"], out["n_source_types"], out["segments"]
    )
    if reliability is False:
        return out
    everyone = reliability if isinstance(reliability, pd.DataFrame) else segments
    return _with_reliability(out, cb, everyone, site, labels, seed, resamples)


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


def _fixed2(value: float) -> str:
    return formatting.decimal(round(float(value), 2) + 0.0, 2)


def _with_reliability(out, cb, segments, site, labels, seed=0, resamples=None) -> pd.DataFrame:
    """Add min_alpha, alpha_low, alpha_high and reliability; a finding is strong only if every
    code it rests on is reliable by its interval's lower bound (else at most moderate)."""
    from analysis.methods.agreement import (
        CODE_RESAMPLES,
        code_alpha_intervals,
        interval_verdict_label,
    )

    out = out.assign(min_alpha=np.nan, alpha_low=np.nan, alpha_high=np.nan, reliability="")
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
        out["reliability"] = (
            _("not assessed (one coder): at most moderate")
            if one_coder
            else _("not assessed (no double coding): at most moderate")
        )
        out.loc[strong, "verdict"] = "moderate"
        return out
    for i, finding in out["finding"].items():
        codes = list(dict.fromkeys(cb.loc[cb["finding"] == finding, "code"]))
        rows = per_code.reindex(codes)
        assessed = rows.dropna(subset=["alpha_low"])
        unassessed = [c for c in codes if c not in assessed.index]
        if assessed.empty:
            out.at[i, "reliability"] = _("not assessed: at most moderate")
            if strong[i]:
                out.at[i, "verdict"] = "moderate"
            continue
        worst = assessed["alpha_low"].idxmin()
        row = assessed.loc[worst]
        out.at[i, "min_alpha"] = float(row["alpha"])
        out.at[i, "alpha_low"] = float(row["alpha_low"])
        out.at[i, "alpha_high"] = float(row["alpha_high"])
        text = _("{code}: alpha {alpha} (95 % interval {low} to {high}), {verdict}").format(
            code=labels.get(worst, worst),
            alpha=_fixed2(row["alpha"]),
            low=_fixed2(row["alpha_low"]),
            high=_fixed2(row["alpha_high"]),
            verdict=interval_verdict_label(row["verdict"]),
        )
        if unassessed:
            text += "; " + ngettext(
                "{n} code not assessed", "{n} codes not assessed", len(unassessed)
            ).format(n=len(unassessed))
        if unassessed or row["verdict"] != "reliable":
            text += "; " + _("not every code reliable by its interval: at most moderate")
            if strong[i]:
                out.at[i, "verdict"] = "moderate"
        out.at[i, "reliability"] = text
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
#: Added to every quote shown from an illustrative dataset: its words were made up.
INVENTED = N_("invented")


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


def attribution(informant_id, edition: str | None) -> str:
    """Who said it, in parentheses; in the illustrative edition, that the words are invented.

    ``attribution("PKS-R01", "illustrative")`` is "(PKS-R01, invented)".
    """
    who = "" if informant_id is None or informant_id != informant_id else str(informant_id)
    parts = [p for p in (who, _(INVENTED) if edition == "illustrative" else "") if p]
    return f"({', '.join(parts)})" if parts else ""


def _quote(
    row, max_chars: int, gloss: bool = True, with_id: bool = True, edition: str | None = None
) -> str:
    """«text» [gloss] (informant id), marked as invented in the illustrative edition.

    The quote is always in its original Indonesian; the English gloss is shown in the English
    edition only.
    """
    text = f"«{excerpt(row['text'], max_chars)}»"
    g = row.get("gloss_en")
    if gloss and isinstance(g, str) and g and language() == SOURCE_LANGUAGE:
        text += f" [{excerpt(g, max_chars)}]"
    who = attribution(row["informant_id"] if with_id else None, edition)
    return text + (f" {who}" if who else "")


def _finding_quotes(
    q: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    quotes: int,
    max_chars: int,
    edition: str | None = None,
) -> pd.Series:
    """Up to ``quotes`` excerpts per finding, as varied as the data allow.

    The first excerpt comes from the highest role in the chain (regency first), the next from the
    lowest (residents last), each time preferring a code, an informant and a text not yet quoted
    for the finding. Candidates are first reduced to one per (finding, role, code), so the greedy
    choice runs over a few rows per finding however many segments there are.
    """
    if q.empty or quotes < 1:
        return pd.Series(dtype=object)
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
        chosen[finding] = " ".join(_quote(r, max_chars, edition=edition) for r in picked)
    return pd.Series(chosen, dtype=object)


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


# --- text and figures for the chapters --------------------------------------------------------------


def describe_informants(informants: pd.DataFrame, site: str | None = None) -> str:
    """One Markdown sentence: informants by role (and core/additional), and how many declined quotation."""
    inf = role_sorted_informants(informants, site)
    parts = []
    for role, group in inf.groupby("role", sort=False):
        kind = ""
        if (
            "informant_type" in group
            and group["informant_type"].notna().all()
            and group["informant_type"].nunique() == 1
        ):
            value = group["informant_type"].iloc[0]
            kind = " ({kind})".format(
                kind=_(INFORMANT_TYPES_PLURAL[value])
                if value in INFORMANT_TYPES_PLURAL
                else _("{kind} informants").format(kind=markdown_literal(value))
            )
        parts.append(role_count(len(group), role) + kind)
    declined = int((~inf["consent_quote"].fillna(False).astype(bool)).sum())
    return _(
        "The {n} informants: {parts}. {declined} of them did not agree to be quoted: "
        "their words are counted in every display but never shown."
    ).format(n=len(inf), parts=", ".join(parts), declined=declined)


def coders_text(segments: pd.DataFrame) -> str:
    """Markdown: who coded the segments and whose codings the counts use; with one coder, that
    agreement between coders cannot be computed ("" when there is no coded segment)."""
    if segments.empty:
        return ""
    coders = coder_ranking(segments)
    if len(coders) == 1:
        return _(
            "One coder, {coder}, coded every segment, and every count in this chapter uses those "
            "codings. With one coder, agreement between coders cannot be computed: the findings "
            "rest on one reading of the segments."
        ).format(coder=coders[0])
    return (
        ngettext(
            "{n} coder coded segments.",
            "{n} coders coded segments.",
            len(coders),
        ).format(n=formatting.integer(len(coders)))
        + " "
        + _(
            "**Every count in this chapter uses the codings of the primary coder only**, {primary}: "
            "the coder who coded the most segments (with a division of labour, each segment counts "
            "with the codes of the highest-ranked coder who coded it). The other coders' codings serve "
            "the agreement statistics at the end of the chapter, so double coding never inflates a "
            "count."
        ).format(primary=coders[0])
    )


#: Most themes one table of the role-ordered matrix shows side by side (its cells hold quotes),
#: and most columns of a table of counts: wider tables are cut into blocks, one under the other.
THEMES_PER_TABLE, COLUMNS_PER_TABLE = 6, 10


def theme_blocks(
    themes, groups: dict[str, str], size: int = THEMES_PER_TABLE
) -> list[tuple[str, list]]:
    """(Markdown heading, themes) for each table of a matrix whose columns are ``themes``: one
    table per theme group (in the order the themes come), cut into blocks of at most ``size``
    themes when a group has more ("**Themes: programmes (2 of 3)**")."""
    blocks = []
    for group in dict.fromkeys(groups.get(t, "themes") for t in themes):
        members = [t for t in themes if groups.get(t, "themes") == group]
        parts = [members[k : k + size] for k in range(0, len(members), size)]
        for k, part in enumerate(parts, start=1):
            if group == "themes":  # a codebook without theme groups
                heading = (
                    _("**Themes**")
                    if len(parts) == 1
                    else _("**Themes ({part} of {parts})**").format(part=k, parts=len(parts))
                )
            elif len(parts) == 1:
                heading = _("**Themes: {group}**").format(
                    group=markdown_literal(theme_label(group))
                )
            else:
                heading = _("**Themes: {group} ({part} of {parts})**").format(
                    group=markdown_literal(theme_label(group)), part=k, parts=len(parts)
                )
            blocks.append((heading, part))
    return blocks


def column_blocks(frame: pd.DataFrame, size: int = COLUMNS_PER_TABLE) -> list[pd.DataFrame]:
    """The frame cut into tables of at most ``size`` columns (the index repeated in each)."""
    if frame.shape[1] <= size:
        return [frame]
    return [frame.iloc[:, k : k + size] for k in range(0, frame.shape[1], size)]


def role_count(n: int, role: str) -> str:
    """ "3 kelurahan officials": a count of informants of a role, in the current language.

    English adds the plural "s" to the role's label (not to "staff"); Indonesian nouns keep one
    form ("3 pejabat kelurahan").
    """
    label = role_label(role)
    if language() == SOURCE_LANGUAGE and n != 1 and not label.endswith("staff"):
        label += "s"
    return _("{n} {role}").format(n=n, role=label)


def plot_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    cbar_label: str,
    annot: bool = False,
    fmt: str = "d",
    cmap: str = "Blues",
    vmin=None,
    vmax=None,
    figsize=None,
):
    """A titled, labelled seaborn heatmap of a matrix (rows × columns); returns the Figure."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    rows, cols = matrix.shape
    figsize = figsize or (min(7.5, 2.5 + 0.22 * cols), min(10.0, 1.8 + 0.2 * rows))
    fig, ax = plt.subplots(figsize=figsize)
    sns.heatmap(
        matrix,
        ax=ax,
        cmap=cmap,
        annot=annot,
        fmt=fmt,
        vmin=vmin,
        vmax=vmax,
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": cbar_label},
        annot_kws={"size": 7},
        xticklabels=True,
        yticklabels=True,
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="both", labelsize=7)
    return fig


def label_columns(matrix: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The same matrix with code columns (and index, where codes) renamed to the codebook's labels."""
    labels = _labels(codebook)
    out = matrix.rename(columns=labels)
    if set(matrix.index) <= set(labels):
        out = out.rename(index=labels)
    return out


#: Most codes a frequency chart shows (those most informants used; the table has every code):
#: at 0.2 inch a code the chart then stays within a printed page.
MAX_CODES_SHOWN = 45
#: Longest code label a chart writes in full (longer labels end with an ellipsis).
MAX_LABEL_CHARS = 40


def theme_colours(themes) -> dict[str, str]:
    """A colour for each theme of a chart, ``themes`` most important first (see
    :func:`analysis.figures.category_colours`): beyond eight themes the first seven keep a colour
    of their own and the others share grey, named in the legend as "other themes"."""
    return figures.category_colours(themes)


def _theme_legend(colours: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """(colour, legend label, themes) a legend entry: one per coloured theme, one for the others."""
    entries = [
        (colour, theme_label(theme), [theme])
        for theme, colour in colours.items()
        if colour != figures.OTHER_COLOUR
    ]
    others = [t for t, colour in colours.items() if colour == figures.OTHER_COLOUR]
    if others:
        label = ngettext("{n} other theme", "{n} other themes", len(others)).format(
            n=formatting.integer(len(others))
        )
        entries.append((figures.OTHER_COLOUR, label, others))
    return entries


def plot_code_frequencies(frequencies: pd.DataFrame, *, title: str, top: int | None = None):
    """Share of informants who used each code (no interval: the informants were chosen, not
    drawn), coloured by theme.

    At most ``top`` codes (by default :data:`MAX_CODES_SHOWN`) are drawn, those most informants
    used; the title says how many of how many (the table and download have all). Any number of
    themes: beyond eight, the themes with the most codes drawn keep a colour and the others share
    grey under "other themes" in the legend. The figure grows with the number of codes drawn.
    """
    import matplotlib.pyplot as plt

    f = frequencies.dropna(subset=["share_informants"]).sort_values(
        ["share_informants", "label"], ascending=[False, True]
    )
    total = len(f)
    f = f.head(top or MAX_CODES_SHOWN)
    fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_IN, 1.4 + 0.2 * max(len(f), 1)))
    themes = list(dict.fromkeys(f["theme"]))
    if len(themes) > len(figures.OKABE_ITO):  # the themes with most codes drawn come first
        drawn = f["theme"].value_counts()
        themes = sorted(themes, key=lambda t: -drawn[t])
    colours = theme_colours(themes)
    y = np.arange(len(f))
    for k, (colour, label, members) in enumerate(_theme_legend(colours)):
        part = f["theme"].isin(members).to_numpy()
        ax.plot(
            100 * f["share_informants"].to_numpy()[part],
            y[part],
            figures.MARKERS[k % len(figures.MARKERS)],
            color=colour,
            label=label,
            markersize=4,
            linestyle="none",
        )
    ax.set_yticks(y, [excerpt(v, MAX_LABEL_CHARS) for v in f["label"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("informants who used the code (% of the site's informants)"))
    ax.set_ylabel(_("code"))
    if len(f) < total:
        title += "\n" + ngettext(
            "the code most informants used, of {total}; every code is in the table",
            "the {n} codes most informants used, of {total}; every code is in the table",
            len(f),
        ).format(n=formatting.integer(len(f)), total=formatting.integer(total))
    ax.set_title(title)
    if themes:
        ax.legend(title=_("theme"), fontsize=7, title_fontsize=8, loc="lower right")
    return fig


def plot_conceptually_clustered(counts: pd.DataFrame, *, title: str):
    """Heatmap of a conceptually clustered count matrix (columns (group, theme)), groups divided and named.

    Counts of distinct codes are whole numbers: the scale is discrete (:func:`plot_count_heatmap`).
    At most :data:`MAX_HEATMAP_ROWS` informants and :data:`MAX_HEATMAP_COLUMNS` themes are
    drawn (those with the most codes named; the title says so); cells carry their number while
    they are large enough to read it.
    """
    shown = largest_part(counts)
    note = trim_note(counts, shown)
    flat = shown.copy()
    groups = flat.columns.get_level_values(0)
    flat.columns = [theme_label(t) for t in flat.columns.get_level_values(-1)]
    fig = plot_count_heatmap(
        flat,
        title=title,
        xlabel=_("theme"),
        ylabel=_("informant"),
        count_label=_("distinct codes named in the theme"),
        annot=flat.shape[1] <= MAX_ANNOTATED_COLUMNS,
        figsize=(
            min(figures.TEXT_WIDTH_IN, 2.8 + 0.45 * flat.shape[1]),
            min(9.0, 1.8 + 0.18 * len(flat)),
        ),
        max_rows=None,
        max_columns=None,
    )
    ax = fig.axes[0]
    ax.set_title(title + (f"\n{note}" if note else ""), pad=18)  # room for the group names
    bounds = [k for k in range(1, len(groups)) if groups[k] != groups[k - 1]]
    for k in bounds:
        ax.axvline(k, color="black", linewidth=1.5)
    starts = [0] + bounds
    ends = bounds + [len(groups)]
    for a, b in zip(starts, ends):
        words = theme_label(groups[a]).split()
        ax.text(
            (a + b) / 2,
            -0.6,
            words[0] if words else "",
            ha="center",
            va="bottom",
            fontsize=8,
            fontstyle="italic",
            transform=ax.transData,
            clip_on=False,
        )
    return fig


#: Most rows and columns a heatmap draws (rows at least about 0.12 inch, columns 0.1 inch at
#: print size, so that every label stays legible); the others are in the chapter's downloads.
MAX_HEATMAP_ROWS, MAX_HEATMAP_COLUMNS = 60, 45
#: Most columns a count heatmap writes its numbers into.
MAX_ANNOTATED_COLUMNS = 15


def largest_part(
    matrix: pd.DataFrame,
    max_rows: int | None = MAX_HEATMAP_ROWS,
    max_columns: int | None = MAX_HEATMAP_COLUMNS,
    *,
    symmetric: bool = False,
) -> pd.DataFrame:
    """The rows and columns of ``matrix`` with the largest totals (at most ``max_rows`` and
    ``max_columns``; None: all), in their original order; the whole matrix when it fits.

    ``symmetric``: a square matrix of codes by codes keeps the same codes on both axes (those
    with the largest totals off the diagonal, ties in their order).
    """
    values = np.nan_to_num(matrix.to_numpy(dtype=float), nan=0.0)

    def keep(totals, limit):
        if limit is None or len(totals) <= limit:
            return np.arange(len(totals))
        return np.sort(np.argsort(-totals, kind="stable")[:limit])

    if symmetric:
        limit = min(x for x in (max_rows, max_columns, len(matrix)) if x is not None)
        off = values.copy()
        np.fill_diagonal(off, 0.0)
        codes = keep(off.sum(axis=0) + off.sum(axis=1), limit)
        return matrix.iloc[codes, codes]
    rows = keep(values.sum(axis=1), max_rows)
    columns = keep(values.sum(axis=0), max_columns)
    if len(rows) == matrix.shape[0] and len(columns) == matrix.shape[1]:
        return matrix
    return matrix.iloc[rows, columns]


def trim_note(matrix: pd.DataFrame, shown: pd.DataFrame) -> str:
    """What a heatmap of ``shown`` leaves out of ``matrix`` ("" when nothing): for its title."""
    (rows, columns), (all_rows, all_columns) = shown.shape, matrix.shape
    numbers = {
        "rows": formatting.integer(rows),
        "all_rows": formatting.integer(all_rows),
        "columns": formatting.integer(columns),
        "all_columns": formatting.integer(all_columns),
    }
    if rows < all_rows and columns < all_columns:
        return _(
            "the {rows} of {all_rows} rows and {columns} of {all_columns} columns with the "
            "largest totals"
        ).format(**numbers)
    if rows < all_rows:
        return _("the {rows} of {all_rows} rows with the largest totals").format(**numbers)
    if columns < all_columns:
        return _("the {columns} of {all_columns} columns with the largest totals").format(**numbers)
    return ""


def _heatmap_size(matrix: pd.DataFrame) -> tuple[float, float]:
    """Inches for a heatmap at print size: at most the text width, rows about 0.16 in high."""
    rows, cols = matrix.shape
    width = min(figures.TEXT_WIDTH_IN, 2.6 + 0.15 * cols)
    return width, min(9.0, 2.0 + 0.16 * rows)


def plot_count_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    count_label: str,
    annot: bool = False,
    figsize=None,
    max_rows: int | None = MAX_HEATMAP_ROWS,
    max_columns: int | None = MAX_HEATMAP_COLUMNS,
):
    """Heatmap of whole-number counts on a discrete scale: one colour step (and tick) a count.

    A continuous colour bar would suggest values between 1 and 2 that no cell can hold. Sized for
    print (:mod:`analysis.figures`): at most the text width, text at least 7 pt. A matrix larger
    than ``max_rows`` × ``max_columns`` is drawn in part (:func:`largest_part`), the title saying
    what is left out. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    whole, matrix = matrix, largest_part(matrix, max_rows, max_columns)
    note = trim_note(whole, matrix)
    title = title + (f"\n{note}" if note else "")
    values = matrix.to_numpy(dtype=float)
    top = int(np.nanmax(values)) if values.size and np.isfinite(values).any() else 1
    cmap, norm, ticks = figures.count_scale(top)
    fig, ax = plt.subplots(figsize=figsize or _heatmap_size(matrix))
    sns.heatmap(
        matrix,
        ax=ax,
        cmap=cmap,
        norm=norm,
        annot=annot,
        fmt="d" if annot else ".2g",
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": count_label, "ticks": ticks, "shrink": 0.8},
        annot_kws={"size": 7.5},
        xticklabels=True,
        yticklabels=True,
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="both", labelsize=7)
    colorbar = ax.collections[0].colorbar
    colorbar.ax.tick_params(labelsize=7.5)
    colorbar.ax.minorticks_off()
    return fig


def plot_cooccurrence(coefficient: pd.DataFrame, *, title: str, figsize=None):
    """Heatmap of co-occurrence coefficients with the diagonal masked (a code always meets itself).

    The scale runs from 0 to the largest coefficient off the diagonal, so the pairs that do meet
    are told apart instead of being drowned by the diagonal's ones. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    whole = coefficient
    coefficient = largest_part(coefficient, symmetric=True)
    if len(coefficient) < len(whole):
        title += "\n" + _("the {n} of {total} codes that co-occur most").format(
            n=formatting.integer(len(coefficient)), total=formatting.integer(len(whole))
        )
    mask = figures.mask_diagonal(coefficient)
    off = coefficient.to_numpy(dtype=float)[~mask]
    top = float(np.nanmax(off)) if off.size and np.isfinite(off).any() else 1.0
    top = max(0.1, np.ceil(top * 10) / 10)
    size = _heatmap_size(coefficient)
    fig, ax = plt.subplots(figsize=figsize or (size[0], min(size[0] - 0.4, 8.0)))
    sns.heatmap(
        coefficient,
        ax=ax,
        mask=mask,
        cmap="rocket_r",
        vmin=0,
        vmax=top,
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": _("n12 / (n1 + n2 - n12); diagonal left blank"), "shrink": 0.8},
        xticklabels=True,
        yticklabels=True,
    )
    ax.grid(False)  # no grid lines through the blank diagonal
    ax.set_title(title)
    ax.set_xlabel(_("code"))
    ax.set_ylabel(_("code"))
    ax.tick_params(axis="both", labelsize=7)
    ax.collections[0].colorbar.ax.tick_params(labelsize=7.5)
    return fig


def finding_supporters(
    segments: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame, *, site: str
) -> pd.DataFrame:
    """Informant (rows, the site's informants) x finding (columns): True when the informant
    supports the finding as :func:`findings_table` counts it (one of its codes; all of them for an
    "all" finding)."""
    cb = codebook.dropna(subset=["finding"]) if "finding" in codebook else codebook.iloc[0:0]
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
