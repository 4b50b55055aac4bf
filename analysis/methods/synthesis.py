"""The studies side by side: design, informants, programmes, and how strongly this book's data support each finding.

Published facts about the studies (place, design, how informants were chosen, analysis, claims)
are their rows of the study registry (``study/studies.csv``, :mod:`analysis.data.registry`); the
registry's order is the order of every comparison and its short names label the columns.
Everything else is computed from the data files:

* :func:`informant_counts` -- informants by role and site;
* :func:`evidence_table` -- what the data hold for each site (informants, segments, coding
  agreement, household incomes, programmes and their instruments from the inventory);
* :func:`support_table` -- every finding of both studies with its support from
  :func:`analysis.qualitative.findings_table`, and the income claims of
  :func:`analysis.methods.income.reproduction_check` attached to the finding they bear on;
* :func:`support_by_role` -- who supports a finding (officials describing their own planning, or
  the residents it is meant for);
* :func:`synthesise` -> :class:`Synthesis`, the whole comparison, with ``to_dict()`` for glue.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import figures, formatting
from analysis.data.contract import LEVEL_LABELS, PLANNING_LABELS, ROLE_ORDER, SOURCE_TYPES
from analysis.i18n import N_, SOURCE_LANGUAGE, _, language, ngettext, pgettext
from analysis.methods import income, inventory
from analysis.methods import qualitative as q
from analysis.methods.agreement import agreement, coder_pairs_table

#: Site -> label of the studies compared, in registry order; None: order of appearance, ids as labels.
Labels = dict[str, str] | None
VERDICTS = ("strong", "moderate", "weak", "not supported")
GOVERNMENT_ROLES = (
    "regency_official",
    "kecamatan_official",
    "kelurahan_official",
    "kelurahan_staff",
)
#: Short names of the source types in the support table (explained above it on the page).
SOURCE_ABBREVIATIONS = {"interview": "int", "observation": "obs", "document": "doc"}


def _abbreviation(source_type: str) -> str:
    """The short name of a source type in the current language ("wwc" for interview)."""
    names = {
        "interview": pgettext("source type, abbreviated", "int"),
        "observation": pgettext("source type, abbreviated", "obs"),
        "document": pgettext("source type, abbreviated", "doc"),
    }
    return names.get(source_type, source_type)


TOP_DOWN = "top-down"  # the finding on planning is the one whose text names top-down planning

#: Short labels of the studies' findings for tables and figures (long text -> a few words).
SHORT_FINDINGS = {
    "Poverty is understood as multidimensional": N_("poverty is multidimensional"),
    "Planning is still top-down": N_("planning is top-down"),
    "The development model is basic-needs fulfilment": N_("basic-needs model"),
    "Food security, health and infrastructure are the priority sectors": N_(
        "priorities: food, health, infrastructure"
    ),
    "The regency runs its own programmes, like the central ones, reaching poor households (RTM) missing "
    "from central data": N_("regency programmes reach RTM missed by central data"),
    "Small enterprises (UKM) are stimulated by training and promotion": N_(
        "UKM training and promotion"
    ),
    "Physical works are built in neighbourhoods with many poor residents": N_(
        "works where many poor live"
    ),
    "P2KP gives direct aid, revolving credit and infrastructure aid": N_(
        "P2KP: aid, credit, infrastructure"
    ),
    "P2KP does not reach all poor residents": N_("P2KP misses some poor residents"),
    "Revolving credit is used as working capital: raw materials in bulk and equipment": N_(
        "credit used as working capital"
    ),
    "Household income rose after P2KP": N_("household income rose"),
}
#: The shipped findings by one of their codes. The data layer gives a finding's text in the
#: edition's language (``finding@id``) while its codes stay the same, so the English text, which
#: :data:`SHORT_FINDINGS` and :data:`CLAIM_FINDINGS` name, is found through the codes.
FINDING_CODES = {
    "meaning_multidimensional": "Poverty is understood as multidimensional",
    "strat_top_down": "Planning is still top-down",
    "strat_basic_needs": "The development model is basic-needs fulfilment",
    "strat_priority_food": "Food security, health and infrastructure are the priority sectors",
    "prog_regency_innovation": "The regency runs its own programmes, like the central ones, "
    "reaching poor households (RTM) missing from central data",
    "emp_ukm_training": "Small enterprises (UKM) are stimulated by training and promotion",
    "infra_poor_neighbourhoods": "Physical works are built in neighbourhoods with many poor residents",
    "p2kp_direct_aid": "P2KP gives direct aid, revolving credit and infrastructure aid",
    "p2kp_not_all_poor": "P2KP does not reach all poor residents",
    "credit_raw_materials": "Revolving credit is used as working capital: raw materials in bulk "
    "and equipment",
    "income_rise": "Household income rose after P2KP",
}
#: The messages the income claims are written with (:mod:`analysis.methods.income`), by the
#: start of their English text: a claim in another language starts like their translation.
CLAIM_MESSAGES = {
    "Mean income increase": (
        "Mean income increase of {range}",
        "Mean income increase in Rupiah of {range}",
    ),
    "Revolving credit used as working capital": (
        "Revolving credit used as working capital: {uses}",
    ),
}
#: Which finding each income claim bears on: (start of the claim, start of the finding).
CLAIM_FINDINGS = (
    ("Mean income increase", "Household income rose"),
    ("Mean income increase in Rupiah", "Household income rose"),
    ("Revolving credit used as working capital", "Revolving credit is used as working capital"),
)


# --- what the studies report about themselves ---------------------------------------------------


_DESIGN_ROWS = (
    ("place", N_("place")),
    ("fieldwork_year", N_("year")),
    ("programme", N_("programme")),
    ("design", N_("design")),
    ("selection", N_("informants chosen")),
    ("data_collection", N_("data collection")),
    ("analysis_method", N_("analysis")),
    ("reported", N_("what it reports")),
    ("reference", N_("source")),
)


def site_labels(sites: Labels, *frames: pd.DataFrame | None) -> dict[str, str]:
    """Site -> label of the sites present in ``frames``, in the order of ``sites``."""
    present = list(
        dict.fromkeys(
            s for f in frames if f is not None and "site" in f for s in f["site"].dropna()
        )
    )
    if sites is None:
        return {s: s for s in present}
    return {s: sites.get(s, s) for s in [*[s for s in sites if s in present], *present]}


def design_table(studies: pd.DataFrame) -> pd.DataFrame:
    """Aspect (rows) × study (columns): the studies' designs as published (registry rows)."""
    columns = {}
    for _row_number, row in studies.iterrows():
        values = {}
        for name, label in _DESIGN_ROWS:
            value = row.get(name) if name in row.index else None
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                value = _("not recorded")
            # how informants were chosen is a word of the registry's vocabulary: translated
            values[_(label)] = _(str(value)) if name == "selection" else str(value)
        columns[row["short_name"]] = values
    return pd.DataFrame(columns).rename_axis(_("aspect")).reset_index()


# --- what the data hold -------------------------------------------------------------------------


def _sites(*frames: pd.DataFrame, sites: Labels = None) -> list[str]:
    return list(site_labels(sites, *frames))


def _plural(n: int, word: str) -> str:
    """ "3 residents": English plurals by suffix; other languages keep the one form."""
    if n == 1 or word.endswith("staff") or language() != SOURCE_LANGUAGE:
        return f"{n} {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def informant_counts(informants: pd.DataFrame, sites_labels: Labels = None) -> pd.DataFrame:
    """Informants by role (rows, regency down to residents and staff) and site (columns), with a total row."""
    labels = site_labels(sites_labels, informants)
    sites = list(labels)
    counts = pd.crosstab(informants["role"], informants["site"]).reindex(
        index=[r for r in ROLE_ORDER if r in set(informants["role"])], columns=sites, fill_value=0
    )
    counts.loc["all informants"] = counts.sum()
    counts.index = [
        _("all informants") if r == "all informants" else q.role_label(r) for r in counts.index
    ]
    counts.columns = [labels[s] for s in sites]
    return counts.rename_axis(_("role")).reset_index()


def _roles_text(informants: pd.DataFrame) -> str:
    n = informants["role"].value_counts()
    parts = [q.role_count(int(n[r]), r) for r in ROLE_ORDER if r in n.index]
    return f"{len(informants)}: " + ", ".join(parts) if parts else _("none")


def _segments_text(segments: pd.DataFrame) -> str:
    if segments.empty:
        return _("none")
    n = q.primary_codings(segments).groupby("source_type")["segment_id"].nunique()
    parts = [
        f"{formatting.integer(int(n[t]))} {q.source_type_label(t)}"
        for t in SOURCE_TYPES
        if t in n.index
    ]
    return f"{formatting.integer(int(n.sum()))}: " + ", ".join(parts)


def agreement_text(
    segments: pd.DataFrame, site: str, *, seed: int = 0, resamples: int = 199
) -> tuple[str, float | None]:
    """Coders and Krippendorff's alpha (nominal) of a site's double-coded segments, as text and number.

    The verdict judges alpha's 95 % bootstrap interval over segments (all coders; ``resamples``
    draws seeded by ``seed``), not its point estimate
    (:func:`analysis.methods.agreement.interval_verdict`).
    """
    coders = segments.loc[segments["site"] == site, "coder"].nunique()
    try:
        result = agreement(segments, site=site).to_dict()
    except ValueError as problem:  # one coder, or no segment coded twice
        return (
            ngettext(
                "{n} coder: not computed ({problem})",
                "{n} coders: not computed ({problem})",
                int(coders),
            ).format(n=int(coders), problem=problem),
            None,
        )
    pairs = coder_pairs_table(segments, site=site, seed=seed, resamples=resamples)
    everyone = pairs.iloc[-1] if len(pairs) else None  # all coders (or the one pair)
    if everyone is None or not np.isfinite(everyone["alpha_boot_low"]):
        return (
            _(
                "{coders} coders, {segments} segments double-coded; Krippendorff's alpha {alpha} "
                "(no bootstrap interval: not judged)"
            ).format(
                coders=result["n_coders"],
                segments=formatting.integer(result["segments_double_coded"]),
                alpha=_fixed(result["alpha"], 3),
            ),
            result["alpha"],
        )
    return (
        _(
            "{coders} coders, {segments} segments double-coded; Krippendorff's alpha {alpha} "
            "(95 % interval {low} to {high}: {verdict})"
        ).format(
            coders=result["n_coders"],
            segments=formatting.integer(result["segments_double_coded"]),
            alpha=_fixed(result["alpha"], 3),
            low=_fixed(everyone["alpha_boot_low"], 2),
            high=_fixed(everyone["alpha_boot_high"], 2),
            verdict=everyone["alpha_verdict"],
        ),
        result["alpha"],
    )


def _fixed(value, digits: int) -> str:
    """``value`` with ``digits`` decimals in the edition's digits (the one formatter)."""
    return formatting.number(value, digits)


def _households_text(households: pd.DataFrame | None, site: str) -> str:
    if households is None or "site" not in households:
        return _("none")
    rows = households[households["site"] == site]
    if rows.empty:
        return _("none")
    recipients = int(income._as_bool(rows["recipient"], "recipient").sum())  # "false" is not True
    return ngettext(
        "{n} household ({recipients} recipients), incomes of {before} and {after}",
        "{n} households ({recipients} recipients), incomes of {before} and {after}",
        len(rows),
    ).format(
        n=len(rows),
        recipients=recipients,
        before=int(rows["year_before"].min()),
        after=int(rows["year_after"].max()),
    )


def _count_list(counts: pd.Series) -> str:
    counts = counts[counts > 0]
    return (
        ", ".join(f"{int(v)} {_value(k)}" for k, v in counts.items()) if len(counts) else _("none")
    )


def _value(value) -> str:
    """A level or planning value of the inventory as readers read it (the contract's labels)."""
    for labels in (LEVEL_LABELS, PLANNING_LABELS):
        if value in labels:
            return _(labels[value])
    return value


def programme_summary(programmes: pd.DataFrame) -> pd.DataFrame:
    """Per site (rows): programmes in the inventory, by level, by planning, and their instruments."""
    rows = []
    level, planning = (
        inventory.counts_by(programmes, "level"),
        inventory.counts_by(programmes, "planning"),
    )
    instrument = inventory.counts_by(programmes, "instrument")
    for site in _sites(programmes):
        label = site
        instruments = instrument[label]
        rows.append(
            {
                "site": site,
                "programmes": int((programmes["site"] == site).sum()),
                "by_level": _count_list(level[label]),
                "by_planning": _count_list(planning[label]),
                "instruments": ", ".join(instruments[instruments > 0].index),
                "regency_innovations": int(
                    (inventory.regency_innovations(programmes)["site"] == site).sum()
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "site",
            "programmes",
            "by_level",
            "by_planning",
            "instruments",
            "regency_innovations",
        ],
    )


def evidence_table(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    programmes: pd.DataFrame,
    households: pd.DataFrame | None = None,
    *,
    agreements: dict[str, str] | None = None,
    sites_labels: Labels = None,
) -> pd.DataFrame:
    """Aspect (rows) × site (columns): what the data of this book hold for each study.

    ``agreements`` (site -> text of :func:`agreement_text`) saves computing the agreement again.
    """
    labels = site_labels(sites_labels, informants, segments, programmes)
    sites = list(labels)
    agreements = agreements or {}
    progs = programme_summary(programmes).set_index("site")
    columns = {}
    for site in sites:
        p = progs.loc[site] if site in progs.index else None
        columns[labels[site]] = {
            _("informants"): _roles_text(informants[informants["site"] == site]),
            _("coded segments"): _segments_text(segments[segments["site"] == site]),
            _("coding agreement"): agreements.get(site) or agreement_text(segments, site)[0],
            _("household incomes"): _households_text(households, site),
            _("programmes (inventory)"): _("none")
            if p is None
            else f"{p['programmes']}: {p['by_level']}",
            _("instruments"): _("none") if p is None else p["instruments"],
            _("planning"): _("none") if p is None else p["by_planning"],
        }
    return pd.DataFrame(columns).rename_axis(_("aspect")).reset_index()


# --- support for each finding -------------------------------------------------------------------


def english_findings(codebook: pd.DataFrame | None) -> dict[str, str]:
    """Finding as the codebook gives it (any language) -> its English text, for the shipped
    findings (:data:`FINDING_CODES`); other findings are left out."""
    if codebook is None or "finding" not in codebook:
        return {}
    rows = codebook.dropna(subset=["finding"])
    return {
        finding: FINDING_CODES[code]
        for code, finding in zip(rows["code"], rows["finding"])
        if code in FINDING_CODES
    }


def short_finding(finding: str, max_chars: int = 42, english: dict | None = None) -> str:
    """A few-word label of a finding (:data:`SHORT_FINDINGS`, else the text cut at a word boundary).

    ``english`` (:func:`english_findings`) finds the label of a finding given in Indonesian.
    """
    short = SHORT_FINDINGS.get(finding) or SHORT_FINDINGS.get((english or {}).get(finding, ""))
    return _(short) if short else q.excerpt(finding, max_chars)


def _claim_starts(claim_start: str) -> set[str]:
    """The start of a claim in English and in the current language."""
    translated = {
        _(message).split("{")[0].strip() for message in CLAIM_MESSAGES.get(claim_start, ())
    }
    return {claim_start} | {t for t in translated if t}


def claim_finding(claim: str, findings, english: dict | None = None) -> str | None:
    """The finding (one of ``findings``) an income claim bears on, by :data:`CLAIM_FINDINGS`; None if none.

    ``english`` (:func:`english_findings`) matches findings and claims given in Indonesian.
    """
    english = english or {}
    for claim_start, finding_start in CLAIM_FINDINGS:
        if any(claim.startswith(start) for start in _claim_starts(claim_start)):
            for finding in findings:
                if english.get(finding, finding).startswith(finding_start):
                    return finding
    return None


def household_check_text(verdicts: pd.Series, by_construction: bool) -> str:
    """E.g. "2 inconclusive" or "not testable (built to match)" for the claims bearing on one finding."""
    if verdicts.empty:
        return ""
    if by_construction or verdicts.eq(income.BY_CONSTRUCTION).all():
        return _("not testable: illustrative data built to match the claim")
    judged = verdicts[verdicts != income.NOT_TESTABLE]
    if judged.empty:
        return _("not testable")
    counts = judged.value_counts()
    order = (income.CONSISTENT, income.INCONSISTENT, income.INCONCLUSIVE)
    return ", ".join(
        f"{int(counts[v])} {_(CHECK_WORDS.get(v, v))}" for v in order if v in counts.index
    )


#: Verdicts of the income claims as the support table names them.
CHECK_WORDS = {
    "consistent": N_("consistent"),
    "inconsistent": N_("inconsistent"),
    "inconclusive": N_("inconclusive"),
}


def income_claims_text(check: pd.DataFrame, edition: str) -> str:
    """One sentence on the income claims (not the design claims) and how they fared, for the prose."""
    rows = check[check["kind"] == income.INCOME_CLAIM] if "kind" in check else check.iloc[0:0]
    if rows.empty:
        return _("no income claim could be checked against household incomes")
    real = "prices" in rows and rows["prices"].astype(str).str.startswith("real").any()
    terms = _("nominal and real") if real else _("nominal only")
    if edition == "illustrative" or rows["verdict"].eq(income.BY_CONSTRUCTION).all():
        return _(
            "the {n} income claim checks ({terms}) are not testable on the illustrative "
            "edition, whose incomes were built to match the claims"
        ).format(n=len(rows), terms=terms)
    counts = income.reproduction_counts(check)
    return _(
        "of {tested} income claim checks on field data ({terms}), {consistent} are consistent "
        "with the published range, {inconsistent} inconsistent and {inconclusive} inconclusive"
    ).format(
        tested=counts.get("income_claims_tested", 0),
        terms=terms,
        consistent=counts.get("income_claims_consistent", 0),
        inconsistent=counts.get("income_claims_inconsistent", 0),
        inconclusive=counts.get("income_claims_inconclusive", 0),
    )


def _sources_short(types: str) -> str:
    return ", ".join(_abbreviation(t) for t in str(types).split(", ") if t)


def support_table(
    findings: dict[str, pd.DataFrame],
    check: pd.DataFrame | None = None,
    *,
    sites_labels: Labels = None,
    codebook: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (site, finding): support from the findings tables plus the income claims that bear on it.

    ``findings`` maps a site to its :func:`analysis.qualitative.findings_table`; ``check`` is
    :func:`analysis.methods.income.reproduction_check` of each study with households, with a
    ``site`` column. Income claims bearing on no finding
    (other than the claim about the number of informants, a design fact) get a row of their own.
    Columns: site, finding, label, logic, informants, informants_total, share_informants (no
    interval: the informants were chosen, not drawn), segments, source_types, n_source_types,
    verdict, reliability, household_check.
    """
    keep = [
        "finding",
        "logic",
        "informants",
        "informants_total",
        "share_informants",
        "segments",
        "source_types",
        "n_source_types",
        "verdict",
        "reliability",
    ]
    parts = [
        f.reindex(columns=keep).assign(site=site)
        for site, f in findings.items()
        if f is not None and len(f)
    ]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keep + ["site"])
    frame["household_check"] = ""
    english = english_findings(codebook)
    checks = check.groupby("site", sort=False) if check is not None and len(check) else []
    for check_site, site_check in checks:
        by_construction = site_check["verdict"].eq(income.BY_CONSTRUCTION).any()
        site_findings = frame.loc[frame["site"] == check_site, "finding"].tolist()
        linked = site_check["claim"].map(lambda c, f=site_findings: claim_finding(c, f, english))
        for finding, verdicts in site_check.groupby(linked, sort=False)["verdict"]:
            mask = (frame["site"] == check_site) & (frame["finding"] == finding)
            frame.loc[mask, "household_check"] = household_check_text(verdicts, by_construction)
        about_informants = site_check["claim"].str.contains("informants") | site_check[
            "claim"
        ].str.contains(_("informants"), regex=False)
        own = site_check[linked.isna() & ~about_informants]
        own = own.drop_duplicates("claim")
        extra = pd.DataFrame(
            {
                "site": check_site,
                "finding": own["claim"],
                "verdict": "",
                "household_check": [
                    household_check_text(pd.Series([v]), by_construction) for v in own["verdict"]
                ],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True) if len(extra) else frame
    frame.insert(1, "label", frame["finding"].map(lambda f: short_finding(f, english=english)))
    order = {s: k for k, s in enumerate(site_labels(sites_labels, frame))}
    frame = (
        frame.assign(_s=frame["site"].map(order))
        .sort_values("_s", kind="stable")
        .drop(columns="_s")
    )
    return frame[["site"] + [c for c in frame.columns if c != "site"]].reset_index(drop=True)


def summary_table(support: pd.DataFrame, sites_labels: Labels = None) -> pd.DataFrame:
    """The support table for a page: site, finding (short), informants k/N, segments, sources, verdict, household data.

    A finding the study states jointly is marked "(all of)": only informants who used all of its
    codes count as its support."""
    n = support["informants"].astype("Int64").astype(str).where(support["informants"].notna(), "")
    total = support["informants_total"].astype("Int64").astype(str)
    out = pd.DataFrame(
        {
            _("site"): support["site"].map(site_labels(sites_labels, support)),
            _("finding"): [
                _("{finding} (all of)").format(finding=label) if logic == "all" else label
                for label, logic in zip(
                    support["label"],
                    support["logic"] if "logic" in support else [""] * len(support),
                )
            ],
            _("informants"): (n + "/" + total).where(support["informants"].notna(), ""),
            _("segments"): support["segments"]
            .astype("Int64")
            .astype(str)
            .where(support["segments"].notna(), ""),
            _("sources"): support["source_types"].fillna("").map(_sources_short),
            _("verdict"): support["verdict"].fillna("").map(q.verdict_label),
            _("household data"): support["household_check"].fillna(""),
        }
    )
    return out.reset_index(drop=True)


def verdict_counts(support: pd.DataFrame, sites_labels: Labels = None) -> pd.DataFrame:
    """Findings per verdict (rows, strong first) and site (columns)."""
    rated = support[support["verdict"].isin(VERDICTS)]
    counts = pd.crosstab(rated["verdict"], rated["site"]).reindex(
        index=list(VERDICTS), fill_value=0
    )
    counts = counts.reindex(columns=list(site_labels(sites_labels, support)), fill_value=0)
    counts.index.name, counts.columns.name = "verdict", None
    return counts


def support_by_role(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    site: str,
    finding: str,
) -> pd.DataFrame:
    """Who supports ``finding`` at ``site``: per role, informants whose primary codings carry its codes, of all of the role."""
    codes = (
        set(codebook.loc[codebook["finding"] == finding, "code"])
        if "finding" in codebook
        else set()
    )
    counted = q.primary_codings(segments[segments["site"] == site])
    ids = counted.loc[counted["code"].isin(codes), "informant_id"]
    ids = set(ids[ids.notna() & (ids != "")])
    inf = informants[informants["site"] == site]
    frame = pd.DataFrame({"role": inf["role"], "supports": inf["informant_id"].isin(ids)})
    out = frame.groupby("role")["supports"].agg(informants="sum", informants_total="size")
    out = out.reindex([r for r in ROLE_ORDER if r in out.index]).astype(int).reset_index()
    out.insert(1, "government", out["role"].isin(GOVERNMENT_ROLES))
    return out


def role_table(by_role: pd.DataFrame) -> pd.DataFrame:
    """:func:`support_by_role` for a page: role, side (government or residents), supporting k/N."""
    return pd.DataFrame(
        {
            _("role"): by_role["role"].map(q.role_label),
            _("side"): np.where(
                by_role["government"].astype(bool), _("government"), _("residents")
            ),
            _("supporting"): by_role["informants"].astype(str)
            + "/"
            + by_role["informants_total"].astype(str),
        }
    )


def top_down_finding(codebook: pd.DataFrame, site: str) -> str | None:
    """The site's finding about top-down planning (the first whose text names it), or None."""
    if "finding" not in codebook:
        return None
    cb = codebook.dropna(subset=["finding"])
    if "finding_site" in cb:
        cb = cb[cb["finding_site"].isna() | (cb["finding_site"] == site)]
    english = english_findings(cb)
    named = [
        f
        for f in dict.fromkeys(cb["finding"])
        if TOP_DOWN in str(f).lower() or TOP_DOWN in english.get(f, "").lower()
    ]
    return named[0] if named else None


# --- the figure ---------------------------------------------------------------------------------


def plot_support(support: pd.DataFrame, *, edition: str | None = None, sites_labels: Labels = None):
    """Dot chart: share of each site's informants supporting each finding, coloured by verdict.

    No interval: the informants of a purposive study were chosen, not drawn, so their share
    describes who was heard and estimates nothing.

    One panel per site (panel heights follow the number of findings); the dashed line is the 25 %
    share the strong verdict needs. Returns the matplotlib Figure (None when no finding is rated);
    the caller shows or closes it.
    """
    import matplotlib.pyplot as plt

    rated = support[support["verdict"].isin(VERDICTS)]
    labels = site_labels(sites_labels, rated)
    sites = list(labels)
    if not sites:  # no finding rated anywhere: nothing to draw
        return None
    sizes = [int((rated["site"] == s).sum()) for s in sites]
    colours = figures.palette()  # Okabe-Ito: blue, orange, vermillion, and grey for "none"
    palette = dict(zip(VERDICTS, (colours[0], colours[1], colours[3], "#999999")))
    fig, axes = plt.subplots(
        len(sites),
        1,
        figsize=(figures.TEXT_WIDTH_IN, 0.45 * sum(sizes) + 1.1 * len(sites) + 0.8),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": sizes},
    )
    for ax, site in zip(axes[:, 0], sites):
        part = rated[rated["site"] == site].reset_index(drop=True)
        y = np.arange(len(part))
        for verdict in VERDICTS:
            m = (part["verdict"] == verdict).to_numpy()
            if m.any():
                share = 100 * part.loc[m, "share_informants"].astype(float).to_numpy()
                ax.plot(
                    share,
                    y[m],
                    "o",
                    color=palette[verdict],
                    markersize=7,
                    label=q.verdict_label(verdict),
                )
        for k, row in part.iterrows():
            ax.annotate(
                f"{int(row['informants'])}/{int(row['informants_total'])}",
                (100 * row["share_informants"], k),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )
        ax.axvline(100 * q.STRONG_MIN_SHARE, color="0.4", linestyle="--", linewidth=1)
        ax.set_yticks(y, [textwrap.fill(label, 26) for label in part["label"]])
        ax.set_ylim(len(part) - 0.4, -0.7)
        ax.set_title(
            _("{site} ({n} informants)").format(
                site=labels[site], n=int(part["informants_total"].iloc[0])
            ),
            fontsize=11,
        )
    axes[-1, 0].set_xlim(0, 105)
    axes[-1, 0].set_xlabel(_("informants supporting the finding (% of the site's informants)"))
    handles = {lab: h for ax in axes[:, 0] for h, lab in zip(*ax.get_legend_handles_labels())}
    fig.legend(
        list(handles.values()),
        list(handles.keys()),
        title=_("verdict"),
        loc="lower center",
        ncol=len(handles),
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    fig.suptitle(
        _("Support for each finding in this book's data (illustrative data)")
        if edition == "illustrative"
        else _("Support for each finding in this book's data")
    )
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


# --- the whole comparison -----------------------------------------------------------------------


CHECK_COLUMNS = ["site", "claim", "kind", "prices", "published", "data", "verdict", "basis"]
INCOME_KEYS = ("mean_pct_change", "mean_abs_change", "t_ci95_low", "t_ci95_high")


@dataclass(frozen=True)
class Synthesis:
    """The studies side by side (see the module docstring); tables are DataFrames, numbers in ``to_dict()``."""

    designs: pd.DataFrame
    evidence: pd.DataFrame
    informant_counts: pd.DataFrame
    support: pd.DataFrame
    check: pd.DataFrame
    top_down_by_role: pd.DataFrame
    income: dict  # site -> IncomeChange of the studies with households
    real_mean_pct_change: dict  # site -> real mean percent change (None: not deflated)
    numbers: dict
    edition: str
    labels: dict = field(default_factory=dict)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary_table(self) -> pd.DataFrame:
        return summary_table(self.support, self.labels)

    def to_frame(self) -> pd.DataFrame:
        return self.support

    def to_dict(self) -> dict:
        """Plain values for glue and results.json (every key present, None where not computable)."""
        return dict(self.numbers)

    def summary(self) -> str:
        d = self.numbers
        lines = [f"Synthesis of {len(self.labels)} studies ({self.edition} data)"]
        for site, label in self.labels.items():
            lines.append(
                f"  {label}: {d[f'{site}_informants']} informants, {d[f'{site}_findings']} findings "
                f"({d[f'{site}_strong']} strong, {d[f'{site}_moderate']} moderate, {d[f'{site}_weak']} weak, "
                f"{d[f'{site}_not_supported']} not supported)"
            )
        lines.append(f"  income claims: {d['income_claims_text']}")
        return "\n".join(lines + [f"  note: {n}" for n in self.notes])


def _findings(segments, informants, codebook, site, label, notes, seed=0) -> pd.DataFrame | None:
    try:
        return q.findings_table(segments, informants, codebook, site=site, seed=seed)
    except (ValueError, KeyError) as problem:  # a codebook without findings
        notes.append(_("{site}: no findings table ({problem})").format(site=label, problem=problem))
        return None


def _income_of(rows, informants, edition, cpi, claim, site, label, notes):
    """(IncomeChange or None, reproduction check, real mean percent change or None) of one study."""
    empty = pd.DataFrame(columns=CHECK_COLUMNS)
    try:
        result = income.income_change(rows, bootstrap_resamples=0)
    except income.IncomeDataError as problem:
        notes.append(
            _("{site}: income change not estimable: {problem}").format(site=label, problem=problem)
        )
        return None, empty, None
    real, real_rows = None, None
    if cpi is not None:
        try:
            real_rows = income.deflate(rows, cpi)
            real = income.income_change(
                real_rows,
                before="income_before_real",
                after="income_after_real",
                bootstrap_resamples=0,
            ).mean_pct_change
        except (income.IncomeDataError, ValueError, KeyError) as problem:
            notes.append(
                _("{site}: incomes not deflated: {problem}").format(site=label, problem=problem)
            )
            real_rows = None
    check = income.reproduction_check(
        rows,
        edition=edition,
        informants=informants,
        site=site,
        result=result,
        claim=claim,
        real=real_rows,
    )
    return result, check.assign(site=site)[CHECK_COLUMNS], real


def _numbers(
    informants, households, support, by_role, results, reals, check, alphas, progs, labels, edition
):
    out: dict = {"studies": len(labels)}
    counts = verdict_counts(support).reindex(columns=list(labels), fill_value=0)
    for site in labels:
        inf = informants[informants["site"] == site]
        out[f"{site}_informants"] = int(len(inf))
        out[f"{site}_one_informant_pp"] = 100 / len(inf) if len(inf) else None
        out[f"{site}_officials"] = int(inf["role"].str.endswith("_official").sum())
        out[f"{site}_residents"] = int((inf["role"] == "resident").sum())
        out[f"{site}_staff"] = int((inf["role"] == "kelurahan_staff").sum())
        out[f"{site}_clusters"] = (
            int(inf["cluster"].replace("", np.nan).dropna().nunique()) if "cluster" in inf else 0
        )
        rated = support[(support["site"] == site) & support["verdict"].isin(VERDICTS)]
        out[f"{site}_findings"] = int(len(rated))
        for verdict in VERDICTS:
            out[f"{site}_{verdict.replace(' ', '_')}"] = int(counts.loc[verdict, site])
        out[f"{site}_alpha"] = alphas.get(site)
        out[f"{site}_programmes"] = int(progs.loc[site, "programmes"]) if site in progs.index else 0
        result = results.get(site)
        hh = None if households is None else households[households["site"] == site]
        out[f"{site}_households"] = int(result.n) if result else 0
        # households that did not receive the programme: the comparison the income chapter uses
        out[f"{site}_comparison_households"] = (
            int((~income._as_bool(hh["recipient"], "recipient")).sum())
            if hh is not None and len(hh) and "recipient" in hh
            else 0
        )
        out[f"{site}_income_year_before"] = (
            int(hh["year_before"].min()) if hh is not None and len(hh) else None
        )
        out[f"{site}_income_year_after"] = (
            int(hh["year_after"].max()) if hh is not None and len(hh) else None
        )
        for key in INCOME_KEYS:
            out[f"{site}_{key}"] = getattr(result, key) if result else None
        out[f"{site}_real_mean_pct_change"] = reals.get(site)
    out["regency_innovations"] = int(progs["regency_innovations"].sum()) if len(progs) else 0
    rated = support[support["verdict"].isin(VERDICTS)]
    out["findings_all_of"] = int((rated["logic"] == "all").sum()) if "logic" in rated else 0
    gov, res = by_role[by_role["government"].astype(bool)], by_role[by_role["role"] == "resident"]
    out["top_down_supporters"] = int(by_role["informants"].sum())
    out["top_down_government"] = int(gov["informants"].sum())
    out["top_down_government_total"] = int(gov["informants_total"].sum())
    out["top_down_residents"] = int(res["informants"].sum())
    out["top_down_residents_total"] = int(res["informants_total"].sum())
    share = (
        out["top_down_government"] / out["top_down_supporters"]
        if out["top_down_supporters"]
        else math.nan
    )
    out["top_down_government_pct"] = None if math.isnan(share) else 100 * share
    out["households"] = int(sum(r.n for r in results.values()))
    for site in labels:  # income claims only (not informants or credit use); empty on illustrative
        site_counts = income.reproduction_counts(check[check["site"] == site])
        out[f"{site}_income_claims_tested"] = site_counts.get("income_claims_tested", 0)
    counts = income.reproduction_counts(check)
    out["income_claims_tested"] = counts.get("income_claims_tested", 0)
    for verdict in (income.CONSISTENT, income.INCONSISTENT, income.INCONCLUSIVE):
        out[f"income_claims_{verdict}"] = counts.get(f"income_claims_{verdict}", 0)
    out["income_claims_text"] = income_claims_text(check, edition)
    out["claims_by_construction"] = bool(check["verdict"].eq(income.BY_CONSTRUCTION).any())
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in out.items()}


def synthesise(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    programmes: pd.DataFrame,
    households: pd.DataFrame | None = None,
    cpi: pd.DataFrame | None = None,
    *,
    studies: pd.DataFrame,
    edition: str = "field",
    seed: int = 0,
) -> Synthesis:
    """The comparison of the registry's studies from the study files (``edition`` of the household
    data; a study's own registry ``data_kind``, when declared, comes first).

    ``studies`` is the registry (:func:`analysis.data.registry.studies`): its order, labels,
    designs and the claims the household data are checked against. ``seed`` seeds the
    bootstraps over segments behind the reliability of the verdicts and the alpha intervals.
    """
    from analysis.data.registry import Study

    notes: list[str] = []
    registry = {row["site"]: Study.from_row(row) for _k, row in studies.iterrows()}
    labels = {site: study.short_name for site, study in registry.items()}
    findings = {
        site: _findings(segments, informants, codebook, site, labels[site], notes, seed)
        for site in labels
    }
    results, reals, checks = {}, {}, []
    for site, study in registry.items():
        rows = None if households is None else households[households["site"] == site]
        if rows is None or rows.empty:
            continue
        kind = study.data_kind or edition  # per study: illustrative beside field stays so
        result, check, real = _income_of(
            rows, informants, kind, cpi, study.all_claims, site, labels[site], notes
        )
        if result is not None:
            results[site], reals[site] = result, real
        checks.append(check)
    if not results:
        notes.append(_("no study has household incomes: no income claim is checked"))
    check = pd.concat(checks, ignore_index=True) if checks else pd.DataFrame(columns=CHECK_COLUMNS)
    support = support_table(findings, check, sites_labels=labels, codebook=codebook)
    top_down = [(site, top_down_finding(codebook, site)) for site in labels]
    top_down = [(site, f) for site, f in top_down if f]
    by_role = (
        support_by_role(segments, informants, codebook, site=top_down[0][0], finding=top_down[0][1])
        if top_down
        else pd.DataFrame(columns=["role", "government", "informants", "informants_total"])
    )
    agreements = {
        site: agreement_text(segments, site, seed=seed) for site in _sites(segments, sites=labels)
    }
    alphas = {site: alpha for site, (_text, alpha) in agreements.items()}
    progs = programme_summary(programmes).set_index("site")
    numbers = _numbers(
        informants,
        households,
        support,
        by_role,
        results,
        reals,
        check,
        alphas,
        progs,
        labels,
        edition,
    )
    numbers["top_down_site"] = top_down[0][0] if top_down else None
    for site, study in registry.items():  # clusters are "sampled" only in a two-stage draw
        numbers[f"{site}_sampled"] = study.two_stage
    evidence = evidence_table(
        segments,
        informants,
        programmes,
        households,
        agreements={site: text for site, (text, _) in agreements.items()},
        sites_labels=labels,
    )
    return Synthesis(
        designs=design_table(studies),
        evidence=evidence,
        informant_counts=informant_counts(informants, labels),
        support=support,
        check=check,
        top_down_by_role=by_role,
        income=results,
        real_mean_pct_change=reals,
        numbers=numbers,
        edition=edition,
        labels=labels,
        notes=tuple(notes),
    )
