"""The studies side by side: design, informants, programmes, and how strongly this book's data support each finding.

Published facts about the studies (place, design, how informants were chosen, analysis, claims)
are their rows of the study registry (``study/studies.csv``, :mod:`analysis.data.registry`); the
registry's order is the order of every comparison and its short names label the columns.
Everything else is computed from the data files:

* :func:`informant_counts` -- informants by role and site;
* :func:`data_held` -- what the data hold for each site (informants, segments, coding
  agreement, household incomes, programmes and their instruments from the inventory), in numbers;
* :func:`support_table` -- every finding of both studies with its support from
  :func:`analysis.methods.findings.findings_table`, and the income claims of
  :func:`analysis.methods.income.reproduction_check` attached to the finding they bear on;
* :func:`support_by_role` -- who supports a finding (officials describing their own planning, or
  the residents it is meant for);
* :func:`synthesise` -> :class:`Synthesis`, the whole comparison, with ``to_dict()`` for glue.

Everything here is numbers, identifiers and codes; :mod:`analysis.report.synthesis` words them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.contract import ROLE_ORDER, SOURCE_TYPES
from analysis.methods import income, inventory
from analysis.methods.agreement import agreement, coder_pairs_table
from analysis.methods.condensation import codes_only, finding_ids, primary_codings
from analysis.methods.findings import VERDICTS, findings_table
from analysis.methods.income.primary import primary_test
from analysis.methods.sampling import official_unit, redrawn_sample

#: Site -> label of the studies compared, in registry order; None: order of appearance, ids as labels.
Labels = dict[str, str] | None
GOVERNMENT_ROLES = (
    "regency_official",
    "kecamatan_official",
    "kelurahan_official",
    "kelurahan_staff",
)


TOP_DOWN = "top-down"  # the finding on planning is the one whose text names top-down planning

#: The shipped findings by one of their codes. The data layer gives a finding's text in the
#: edition's language (``finding@id``) while its codes stay the same, so the English text, which
#: :data:`analysis.report.synthesis.SHORT_FINDINGS` and :data:`CLAIM_FINDINGS` name, is found
#: through the codes.
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
#: Which finding each income claim bears on: (start of the claim, start of the finding).
CLAIM_FINDINGS = (
    ("Mean income increase", "Household income rose"),
    ("Mean income increase in Rupiah", "Household income rose"),
    ("Revolving credit used as working capital", "Revolving credit is used as working capital"),
)


# --- what the studies report about themselves ---------------------------------------------------


#: The aspects of a study's design the registry records, in the order the page lists them.
DESIGN_KEYS = (
    "place",
    "fieldwork_year",
    "programme",
    "design",
    "selection",
    "data_collection",
    "analysis_method",
    "reported",
    "reference",
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


# --- what the data hold -------------------------------------------------------------------------


def design_table(studies: pd.DataFrame) -> pd.DataFrame:
    """Aspect key (rows, :data:`DESIGN_KEYS`) × study short name (columns): the studies' designs
    as published (registry rows); None where the registry records nothing."""
    columns = {}
    for _row_number, row in studies.iterrows():
        values = {}
        for name in DESIGN_KEYS:
            value = row.get(name) if name in row.index else None
            missing = value is None or (not isinstance(value, str) and pd.isna(value))
            values[name] = None if missing else str(value)
        columns[row["short_name"]] = values
    return pd.DataFrame(columns, index=list(DESIGN_KEYS)).rename_axis("aspect").reset_index()


def _sites(*frames: pd.DataFrame, sites: Labels = None) -> list[str]:
    return list(site_labels(sites, *frames))


def informant_counts(informants: pd.DataFrame, sites_labels: Labels = None) -> pd.DataFrame:
    """Informants by role (rows, regency down to residents and staff, then ``"all informants"``)
    and site label (columns)."""
    labels = site_labels(sites_labels, informants)
    sites = list(labels)
    counts = pd.crosstab(informants["role"], informants["site"]).reindex(
        index=[r for r in ROLE_ORDER if r in set(informants["role"])], columns=sites, fill_value=0
    )
    counts.loc["all informants"] = counts.sum()
    counts.columns = [labels[s] for s in sites]
    return counts.rename_axis("role").reset_index()


def agreement_numbers(
    segments: pd.DataFrame, site: str, *, seed: int = 0, resamples: int | None = None
) -> dict:
    """Coders and Krippendorff's alpha (nominal) of a site's double-coded segments, with alpha's
    95 % bootstrap interval over segments (all coders; ``resamples`` draws seeded by ``seed``, by
    default as many as the qualitative chapter's, :func:`coder_pairs_table`, so that the same
    seed gives the interval that chapter prints).

    Keys: coders, segments (double-coded), alpha, low, high (None without an interval), problem
    (why alpha is not computed: one coder, or no segment coded twice; else None).
    """
    coders = int(segments.loc[segments["site"] == site, "coder"].nunique())
    resampled = {} if resamples is None else {"resamples": resamples}
    try:
        result = agreement(segments, site=site).to_dict()
    except ValueError as problem:  # one coder, or no segment coded twice
        return {
            "coders": coders,
            "segments": None,
            "alpha": None,
            "low": None,
            "high": None,
            "problem": str(problem),
        }
    pairs = coder_pairs_table(segments, site=site, seed=seed, **resampled)
    everyone = pairs.iloc[-1] if len(pairs) else None  # all coders (or the one pair)
    interval = everyone is not None and np.isfinite(everyone["alpha_boot_low"])
    return {
        "coders": result["n_coders"],
        "segments": result["segments_double_coded"],
        "alpha": result["alpha"],
        "low": float(everyone["alpha_boot_low"]) if interval else None,
        "high": float(everyone["alpha_boot_high"]) if interval else None,
        "problem": None,
    }


def programme_summary(programmes: pd.DataFrame) -> pd.DataFrame:
    """Per site (rows): programmes in the inventory, by level and by planning ({value: count},
    nonzero, in the contract's order), their instruments (identifiers) and regency innovations."""
    rows = []
    level, planning = (
        inventory.counts_by(programmes, "level"),
        inventory.counts_by(programmes, "planning"),
    )
    instrument = inventory.counts_by(programmes, "instrument")
    for site in _sites(programmes):
        instruments = instrument[site]
        rows.append(
            {
                "site": site,
                "programmes": int((programmes["site"] == site).sum()),
                "by_level": {k: int(v) for k, v in level[site].items() if v > 0},
                "by_planning": {k: int(v) for k, v in planning[site].items() if v > 0},
                "instruments": list(instruments[instruments > 0].index),
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


def data_held(
    segments: pd.DataFrame,
    informants: pd.DataFrame,
    programmes: pd.DataFrame,
    households: pd.DataFrame | None = None,
    *,
    agreements: dict[str, dict] | None = None,
    sites_labels: Labels = None,
) -> dict[str, dict]:
    """Site -> what the data of this book hold for it, in numbers: informants by role, primary
    coded segments by source type, the coding agreement (:func:`agreement_numbers`; given in
    ``agreements`` it is not computed again), households and the programme summary (None where
    the inventory has none)."""
    labels = site_labels(sites_labels, informants, segments, programmes)
    agreements = agreements or {}
    progs = programme_summary(programmes).set_index("site")
    held = {}
    for site in labels:
        inf = informants[informants["site"] == site]
        roles = inf["role"].value_counts()
        seg = segments[segments["site"] == site]
        by_type = (
            primary_codings(seg).groupby("source_type")["segment_id"].nunique()
            if len(seg)
            else pd.Series(dtype=int)
        )
        held[site] = {
            "informants": int(len(inf)),
            "roles": {r: int(roles[r]) for r in ROLE_ORDER if r in roles.index},
            "segments": {t: int(by_type[t]) for t in SOURCE_TYPES if t in by_type.index},
            "agreement": agreements.get(site) or agreement_numbers(segments, site),
            "households": _households_held(households, site),
            "programmes": progs.loc[site].to_dict() if site in progs.index else None,
        }
    return held


def _households_held(households: pd.DataFrame | None, site: str) -> dict | None:
    """Households of a site with incomes: n, recipients, first "before" and last "after" year."""
    if households is None or "site" not in households:
        return None
    rows = households[households["site"] == site]
    if rows.empty:
        return None
    return {
        "n": int(len(rows)),
        "recipients": int(
            income._as_bool(rows["recipient"], "recipient").sum()
        ),  # "false" is not True
        "year_before": int(rows["year_before"].min()),
        "year_after": int(rows["year_after"].max()),
    }


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


def claim_finding(claim: str, findings, english: dict | None = None) -> str | None:
    """The finding (one of ``findings``) an income claim bears on, by :data:`CLAIM_FINDINGS`; None if none.

    ``english`` (:func:`english_findings`) matches findings given in Indonesian. Claims are
    matched by the start of their English text (:func:`analysis.methods.income.reproduction_check`).
    """
    english = english or {}
    for claim_start, finding_start in CLAIM_FINDINGS:
        if claim.startswith(claim_start):
            for finding in findings:
                if english.get(finding, finding).startswith(finding_start):
                    return finding
    return None


def household_check(verdicts: pd.Series, by_construction: bool):
    """How the claims bearing on one finding fare: "" (no claim), ``income.BY_CONSTRUCTION``
    (illustrative data built to match), ``income.NOT_TESTABLE``, or a tuple of (verdict, count)
    pairs in the order consistent, inconsistent, inconclusive."""
    if verdicts.empty:
        return ""
    if by_construction or verdicts.eq(income.BY_CONSTRUCTION).all():
        return income.BY_CONSTRUCTION
    judged = verdicts[verdicts != income.NOT_TESTABLE]
    if judged.empty:
        return income.NOT_TESTABLE
    counts = judged.value_counts()
    order = (income.CONSISTENT, income.INCONSISTENT, income.INCONCLUSIVE)
    return tuple((v, int(counts[v])) for v in order if v in counts.index)


#: The reliability of a finding as the findings table gives it: codes and numbers.
RELIABILITY_COLUMNS = (
    "reliability_status",
    "weakest_code",
    "weakest_verdict",
    "min_alpha",
    "alpha_low",
    "alpha_high",
    "codes_unassessed",
    "capped",
)


def support_table(
    findings: dict[str, pd.DataFrame],
    check: pd.DataFrame | None = None,
    *,
    sites_labels: Labels = None,
    codebook: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (site, finding): support from the findings tables plus the income claims that bear on it.

    ``findings`` maps a site to its :func:`analysis.methods.findings.findings_table`; ``check`` is
    :func:`analysis.methods.income.reproduction_check` of each study with households, with a
    ``site`` column. Income claims bearing on no finding
    (other than the claim about the number of informants, a design fact) get a row of their own.
    Columns: site, finding, english (the English text of a shipped finding, else ""), logic,
    informants, informants_total, share_informants (no interval: the informants were chosen, not
    drawn), segments, source_types, n_source_types, verdict, the reliability codes of the findings
    table (reliability_status, weakest_code, weakest_verdict, min_alpha, alpha_low, alpha_high,
    codes_unassessed, capped; :func:`analysis.report.findings.reliability_text` words them) and
    household_check (:func:`household_check`).
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
        *RELIABILITY_COLUMNS,
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
            frame.loc[mask, "household_check"] = pd.Series(
                [household_check(verdicts, by_construction)] * int(mask.sum()),
                index=frame.index[mask],
                dtype=object,
            )
        about_informants = site_check["claim"].str.contains("informants")
        own = site_check[linked.isna() & ~about_informants]
        own = own.drop_duplicates("claim")
        extra = pd.DataFrame(
            {
                "site": check_site,
                "finding": own["claim"],
                "verdict": "",
                "household_check": [
                    household_check(pd.Series([v]), by_construction) for v in own["verdict"]
                ],
            }
        )
        frame = pd.concat([frame, extra], ignore_index=True) if len(extra) else frame
    frame.insert(1, "english", frame["finding"].map(lambda f: english.get(f, "")))
    order = {s: k for k, s in enumerate(site_labels(sites_labels, frame))}
    frame = (
        frame.assign(_s=frame["site"].map(order))
        .sort_values("_s", kind="stable")
        .drop(columns="_s")
    )
    return frame[["site"] + [c for c in frame.columns if c != "site"]].reset_index(drop=True)


def finding_records(support: pd.DataFrame, codebook: pd.DataFrame) -> dict:
    """Each study's findings as numbers and codes, for the landing page's summary (which reads
    them from ``results.json``): per site and finding, ``k`` = 1, 2, ... in the order of the
    support table, ``finding_<site>_<k>_code`` (the finding's first code in the codebook, which
    names the finding in any language), ``_verdict`` (strong, moderate, weak, not supported),
    ``_logic`` (any, all), ``_informants``, ``_informants_total`` and ``_source_types`` (how many
    kinds of source); and ``finding_<site>_n``. Income claims bearing on no finding (rows without
    a verdict) are not findings and are left out. The support table's findings are named by their
    ids (:func:`~analysis.methods.condensation.codes_only`), as :func:`synthesise` makes them."""
    first_code: dict[tuple[str, str], str] = {}
    if codebook is not None and "finding" in codebook:
        codebook = codes_only(codebook)
        stated = codebook.dropna(subset=["finding"])
        for row in stated.itertuples(index=False):
            key = (str(getattr(row, "finding_site", "") or ""), str(row.finding))
            first_code.setdefault(key, str(row.code))
    records: dict = {}
    for site, rows in support.groupby("site", sort=False):
        k = 0
        for row in rows.itertuples(index=False):
            if not isinstance(row.verdict, str) or not row.verdict:
                continue
            k += 1
            prefix = f"finding_{site}_{k}_"
            code = first_code.get((site, str(row.finding)), first_code.get(("", str(row.finding))))
            records.update(
                {
                    f"{prefix}code": code,
                    f"{prefix}verdict": row.verdict,
                    f"{prefix}logic": row.logic if isinstance(row.logic, str) else "any",
                    f"{prefix}informants": int(row.informants),
                    f"{prefix}informants_total": int(row.informants_total),
                    f"{prefix}source_types": int(row.n_source_types),
                }
            )
        records[f"finding_{site}_n"] = k
    return records


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
    counted = primary_codings(segments[segments["site"] == site])
    ids = counted.loc[counted["code"].isin(codes), "informant_id"]
    ids = set(ids[ids.notna() & (ids != "")])
    inf = informants[informants["site"] == site]
    frame = pd.DataFrame({"role": inf["role"], "supports": inf["informant_id"].isin(ids)})
    out = frame.groupby("role")["supports"].agg(informants="sum", informants_total="size")
    out = out.reindex([r for r in ROLE_ORDER if r in out.index]).astype(int).reset_index()
    out.insert(1, "government", out["role"].isin(GOVERNMENT_ROLES))
    return out


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


# --- the whole comparison -----------------------------------------------------------------------


CHECK_COLUMNS = ["site", "claim", "kind", "prices", "published", "data", "verdict", "basis"]
INCOME_KEYS = ("mean_pct_change", "mean_abs_change", "t_ci95_low", "t_ci95_high")
PRIMARY_KEYS = ("null", "prices", "mean_change", "ci95_low", "ci95_high", "p")


@dataclass(frozen=True)
class Synthesis:
    """The studies side by side (see the module docstring); tables are DataFrames, numbers in
    ``to_dict()``; ``notes`` are (code, study label, problem) of what could not be computed:
    ``no_findings``, ``income_not_estimable``, ``not_deflated``, ``no_households``."""

    designs: pd.DataFrame
    held: dict
    informant_counts: pd.DataFrame
    support: pd.DataFrame
    check: pd.DataFrame
    top_down_by_role: pd.DataFrame
    income: dict  # site -> IncomeChange of the studies with households
    real_mean_pct_change: dict  # site -> real mean percent change (None: not deflated)
    numbers: dict
    edition: str
    labels: dict = field(default_factory=dict)
    notes: tuple[tuple[str, str | None, str | None], ...] = field(default_factory=tuple)
    #: site -> what the lowest officials of its drawn clusters serve ("desa", "kelurahan",
    #: "desa/kelurahan"; :func:`analysis.methods.sampling.official_unit`), None without a draw
    official_units: dict = field(default_factory=dict)
    #: site -> the income chapter's primary test (:class:`~analysis.methods.income.primary.
    #: PrimaryTest`: real change against prices where the incomes could be deflated) or None
    primary: dict = field(default_factory=dict)

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
        lines.append(f"  income claims tested: {d['income_claims_tested']}")
        return "\n".join(
            lines + [f"  note: {' '.join(str(x) for x in n if x)}" for n in self.notes]
        )


def _findings(segments, informants, codebook, site, label, notes, seed=0) -> pd.DataFrame | None:
    try:
        return findings_table(segments, informants, codebook, site=site, seed=seed)
    except (ValueError, KeyError) as problem:  # a codebook without findings
        notes.append(("no_findings", label, str(problem)))
        return None


@dataclass(frozen=True)
class _Study:
    """One study's household rows with what :func:`_income_of` needs to judge its claims."""

    site: str
    label: str
    rows: pd.DataFrame
    kind: str  # the data's edition (illustrative or field)
    claim: dict


def _income_of(study: _Study, informants, cpi, notes):
    """(IncomeChange or None, reproduction check, real mean percent change or None, the income
    chapter's primary test or None) of one study."""
    empty = pd.DataFrame(columns=CHECK_COLUMNS)
    try:
        result = income.income_change(study.rows, bootstrap_resamples=0)
    except income.IncomeDataError as problem:
        notes.append(("income_not_estimable", study.label, str(problem)))
        return None, empty, None, None
    real, real_rows = None, None
    if cpi is not None:
        try:
            real_rows = income.deflate(study.rows, cpi)
            real = income.income_change(
                real_rows,
                before="income_before_real",
                after="income_after_real",
                bootstrap_resamples=0,
            ).mean_pct_change
        except (income.IncomeDataError, ValueError, KeyError) as problem:
            notes.append(("not_deflated", study.label, str(problem)))
            real_rows = None
    check = income.reproduction_check(
        study.rows,
        edition=study.kind,
        informants=informants,
        site=study.site,
        result=result,
        claim=study.claim,
        real=real_rows,
    )
    try:  # the income chapter's primary test: against prices where the incomes are deflated
        primary = primary_test(study.rows, real_rows)
    except income.IncomeDataError:
        primary = None
    return result, check.assign(site=study.site)[CHECK_COLUMNS], real, primary


@dataclass(frozen=True)
class _Computed:
    """What :func:`synthesise` computed, for :func:`_numbers`."""

    support: pd.DataFrame
    by_role: pd.DataFrame
    results: dict
    reals: dict
    check: pd.DataFrame
    alphas: dict
    progs: pd.DataFrame


def _site_numbers(site, informants, households, c: _Computed, counts) -> dict:
    out: dict = {}
    inf = informants[informants["site"] == site]
    out[f"{site}_informants"] = int(len(inf))
    out[f"{site}_one_informant_pp"] = 100 / len(inf) if len(inf) else None
    out[f"{site}_officials"] = int(inf["role"].str.endswith("_official").sum())
    out[f"{site}_residents"] = int((inf["role"] == "resident").sum())
    out[f"{site}_staff"] = int((inf["role"] == "kelurahan_staff").sum())
    out[f"{site}_clusters"] = (
        int(inf["cluster"].replace("", np.nan).dropna().nunique()) if "cluster" in inf else 0
    )
    rated = c.support[(c.support["site"] == site) & c.support["verdict"].isin(VERDICTS)]
    out[f"{site}_findings"] = int(len(rated))
    for verdict in VERDICTS:
        out[f"{site}_{verdict.replace(' ', '_')}"] = int(counts.loc[verdict, site])
    out[f"{site}_alpha"] = c.alphas.get(site)
    progs = c.progs
    out[f"{site}_programmes"] = int(progs.loc[site, "programmes"]) if site in progs.index else 0
    result = c.results.get(site)
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
    out[f"{site}_real_mean_pct_change"] = c.reals.get(site)
    return out


def _numbers(informants, households, c: _Computed, labels) -> dict:
    out: dict = {"studies": len(labels)}
    counts = verdict_counts(c.support).reindex(columns=list(labels), fill_value=0)
    for site in labels:
        out.update(_site_numbers(site, informants, households, c, counts))
    progs, support, by_role = c.progs, c.support, c.by_role
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
    out["households"] = int(sum(r.n for r in c.results.values()))
    check = c.check
    for site in labels:  # income claims only (not informants or credit use); empty on illustrative
        site_counts = income.reproduction_counts(check[check["site"] == site])
        out[f"{site}_income_claims_tested"] = site_counts.get("income_claims_tested", 0)
    totals = income.reproduction_counts(check)
    out["income_claims_tested"] = totals.get("income_claims_tested", 0)
    for verdict in (income.CONSISTENT, income.INCONSISTENT, income.INCONCLUSIVE):
        out[f"income_claims_{verdict}"] = totals.get(f"income_claims_{verdict}", 0)
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
    sampling_frame: pd.DataFrame | None = None,
) -> Synthesis:
    """The comparison of the registry's studies from the study files (``edition`` of the household
    data; a study's own registry ``data_kind``, when declared, comes first).

    ``studies`` is the registry (:func:`analysis.data.registry.studies`): its order, labels,
    designs and the claims the household data are checked against. ``seed`` seeds the
    bootstraps over segments behind the reliability of the verdicts and the alpha intervals.
    ``sampling_frame`` (``study/sampling_frame.csv``, optional) names what each drawn study's
    clusters are (desa, kelurahan), and so its lowest officials.

    The results hold codes: a finding is named by its id (its first code,
    :func:`~analysis.methods.condensation.codes_only`), which the report names in each
    edition's words; the codebook's words only find the finding on top-down planning.
    """
    from analysis.data.registry import Study

    words, codebook = codebook, codes_only(codebook)
    notes: list[tuple] = []
    registry = {row["site"]: Study.from_row(row) for _k, row in studies.iterrows()}
    labels = {site: study.short_name for site, study in registry.items()}
    findings = {
        site: _findings(segments, informants, codebook, site, labels[site], notes, seed)
        for site in labels
    }
    results, reals, checks, primaries = {}, {}, [], {}
    for site, study in registry.items():
        rows = None if households is None else households[households["site"] == site]
        if rows is None or rows.empty:
            continue
        kind = study.data_kind or edition  # per study: illustrative beside field stays so
        result, check, real, primary = _income_of(
            _Study(site, labels[site], rows, kind, study.all_claims), informants, cpi, notes
        )
        if result is not None:
            results[site], reals[site], primaries[site] = result, real, primary
        checks.append(check)
    if not results:
        notes.append(("no_households", None, None))
    check = pd.concat(checks, ignore_index=True) if checks else pd.DataFrame(columns=CHECK_COLUMNS)
    support = support_table(findings, check, sites_labels=labels, codebook=codebook)
    top_down = [(site, top_down_finding(words, site)) for site in labels]
    top_down = [(site, finding_ids(words)[f]) for site, f in top_down if f]
    by_role = (
        support_by_role(segments, informants, codebook, site=top_down[0][0], finding=top_down[0][1])
        if top_down
        else pd.DataFrame(columns=["role", "government", "informants", "informants_total"])
    )
    agreements = {
        site: agreement_numbers(segments, site, seed=seed)
        for site in _sites(segments, sites=labels)
    }
    alphas = {site: a["alpha"] for site, a in agreements.items()}
    progs = programme_summary(programmes).set_index("site")
    computed = _Computed(support, by_role, results, reals, check, alphas, progs)
    numbers = _numbers(informants, households, computed, labels)
    numbers["top_down_site"] = top_down[0][0] if top_down else None
    for site in labels:  # the income chapter's primary test, quoted as that chapter quotes it
        test = primaries.get(site)
        for key in PRIMARY_KEYS:
            numbers[f"{site}_primary_{key}"] = getattr(test, key) if test else None
    for site, study in registry.items():  # clusters are "sampled" only in a two-stage draw
        numbers[f"{site}_sampled"] = study.two_stage
    held = data_held(
        segments, informants, programmes, households, agreements=agreements, sites_labels=labels
    )
    return Synthesis(
        designs=design_table(studies),
        held=held,
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
        primary=primaries,
        official_units={
            site: official_unit(redrawn_sample(study, sampling_frame))
            for site, study in registry.items()
        },
    )
