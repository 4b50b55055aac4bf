"""How well the data support each finding a study reports: support, verdicts and reliability.

A finding (codebook ``finding``, ``finding_site``, ``finding_logic``) is supported by the
informants who used its codes (all of them for an "all of" finding); its verdict follows the
documented rule (:func:`verdict`) and is capped at moderate unless every code it rests on is
reliable by the lower bound of its bootstrap interval (:mod:`analysis.methods.agreement`). Shares
of informants are descriptive: no interval. Results are numbers and codes; the report layer
(:mod:`analysis.report.qualitative`) writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.contract import ROLE_ORDER, SOURCE_TYPES
from analysis.methods.agreement import CODE_RESAMPLES, code_alpha_intervals
from analysis.methods.condensation import (
    _counted,
    _informant_id,
    _labels,
    _site,
    code_order,
    consented_segments,
    primary_codings,
)
from analysis.methods.quotes import Quote, _near_duplicate_key, quote_of

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
    lower bound (``weakest_code``, its interval verdict ``weakest_verdict``);
    ``reliability_status`` says whether reliability was assessed (:data:`ASSESSED`) or why not,
    ``codes_unassessed`` how many codes lack an interval and ``capped`` whether the rule kept the
    finding from being strong (codes; :func:`analysis.report.findings.reliability_text` says it).
    """
    if "finding" not in codebook:
        raise ValueError(NO_FINDING_COLUMN)
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


#: The verdicts of the findings table, strongest first (codes; the report names them).
VERDICTS = ("strong", "moderate", "weak", "not supported")


#: Why a study has no findings table (besides a problem of its codebook, given as its message).
NO_FINDINGS = "no findings"
#: Why there is no findings table at all: the codebook has no ``finding`` column (a code; the
#: report layer words it in the edition's language).
NO_FINDING_COLUMN = "the codebook has no 'finding' column: no findings to tabulate"


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
