"""What the synthesis chapter says: the studies side by side, in the edition's language.

The numbers and codes come from :mod:`analysis.methods.synthesis` (:class:`Synthesis`); here they
become the designs and evidence tables, the support table and figure (with its alt text), the
notes, and the sentences on what the data hold, how strongly they support each finding and
where they stop. Study names, places and problems are data: put into Markdown they go through
:mod:`analysis.literal`.

Roles, source types and verdicts are named by :class:`analysis.report.labels.Labels`, agreement
verdicts and problems by :func:`analysis.report.agreement.word`, each given the edition's language.
"""

from __future__ import annotations

import dataclasses
import textwrap

import numpy as np
import pandas as pd

from analysis import figures
from analysis.data.contract import EDITION_LABELS, LEVEL_LABELS, PLANNING_LABELS
from analysis.i18n import N_
from analysis.literal import markdown_literal as _text
from analysis.methods import agreement as agr
from analysis.methods import income
from analysis.methods.condensation import excerpt, finding_names
from analysis.methods.findings import STRONG_MIN_SHARE, VERDICTS
from analysis.methods.synthesis import Synthesis, design_table, programme_summary, site_labels
from analysis.report import brief
from analysis.report import findings as report_findings
from analysis.report import income as report_income
from analysis.report.agreement import word
from analysis.report.labels import Labels
from analysis.report.parts import Figure, Part, Table, Text
from analysis.report.words import Words

#: Short labels of the studies' findings for tables and figures (English text -> a few words).
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
#: The aspects of a design (:data:`analysis.methods.synthesis.DESIGN_KEYS`) for readers.
DESIGN_LABELS = {
    "place": N_("place"),
    "fieldwork_year": N_("year"),
    "programme": N_("programme"),
    "design": N_("design"),
    "selection": N_("informants chosen"),
    "data_collection": N_("data collection"),
    "analysis_method": N_("analysis"),
    "reported": N_("what it reports"),
    "reference": N_("source"),
}
#: Verdicts of the income claims as the support table names them.
CHECK_WORDS = {
    "consistent": N_("consistent"),
    "inconsistent": N_("inconsistent"),
    "inconclusive": N_("inconclusive"),
}


def _abbreviation(w: Words, source_type: str) -> str:
    """The short name of a source type ("wwc" for interview in Indonesian)."""
    names = {
        "interview": w.pgettext("source type, abbreviated", "int"),
        "observation": w.pgettext("source type, abbreviated", "obs"),
        "document": w.pgettext("source type, abbreviated", "doc"),
    }
    return names.get(source_type, source_type)


def _pct(w: Words, value, digits: int = 0) -> str:
    """A percentage in a sentence, "35.5 %" ("35,5 %" in Indonesian)."""
    return w.number(value, digits) + " %"


def _rp(w: Words, value) -> str:
    """Whole Rupiah in a sentence, "Rp 1,250,000" ("Rp 1.250.000" in Indonesian)."""
    return "Rp " + w.number(value, 0)


def _edition(w: Words, edition: str) -> str:
    """The data edition as a sentence names it ("In the illustrative data"): the contract's label."""
    return w._(EDITION_LABELS[edition]) if edition in EDITION_LABELS else edition


def _informants(w: Words, n: int) -> str:
    return w.ngettext("{n} informant", "{n} informants", n).format(n=n)


def _households(w: Words, n: int) -> str:
    return w.ngettext("{n} household", "{n} households", n).format(n=n)


# --------------------------------------------------------------------------- words of the tables
def short_finding(finding: str, english: str = "", *, lang: str, max_chars: int = 42) -> str:
    """A few-word label of a finding (:data:`SHORT_FINDINGS`, found by its English text when it
    is given in another language; else the text cut at a word boundary)."""
    short = SHORT_FINDINGS.get(finding) or SHORT_FINDINGS.get(english or "")
    return Words(lang)._(short) if short else excerpt(finding, max_chars)


def labels_of(support: pd.DataFrame, *, lang: str) -> list[str]:
    """The short label of every row of a support table."""
    english = support["english"] if "english" in support else [""] * len(support)
    return [
        short_finding(f, e if isinstance(e, str) else "", lang=lang)
        for f, e in zip(support["finding"], english)
    ]


def household_check_text(check, *, lang: str) -> str:
    """A support row's ``household_check`` code in words ("2 inconclusive", "not testable")."""
    w = Words(lang)
    if isinstance(check, tuple):
        return ", ".join(f"{n} {w._(CHECK_WORDS.get(v, v))}" for v, n in check)
    if check == income.BY_CONSTRUCTION:  # the sentence above the table says why, once
        return w._("by construction")
    if check == income.NOT_TESTABLE:
        return w._("not testable")
    return "" if check is None or (isinstance(check, float) and np.isnan(check)) else str(check)


def income_claims_text(check: pd.DataFrame, edition: str, *, lang: str) -> str:
    """One sentence on the income claims (not the design claims) and how they fared, for the prose."""
    w = Words(lang)
    rows = check[check["kind"] == income.INCOME_CLAIM] if "kind" in check else check.iloc[0:0]
    if rows.empty:
        return w._("no income claim could be checked against household incomes")
    real = "prices" in rows and rows["prices"].astype(str).str.startswith("real").any()
    terms = w._("nominal and real") if real else w._("nominal only")
    if edition == "illustrative" or rows["verdict"].eq(income.BY_CONSTRUCTION).all():
        return w.ngettext(
            "the income claim check ({terms}) is not testable on the illustrative edition, "
            "whose incomes were built to match the claim",
            "the {n} income claim checks ({terms}) are not testable on the illustrative "
            "edition, whose incomes were built to match the claims",
            len(rows),
        ).format(n=len(rows), terms=terms)
    return _tested_claims_text(w, income.reproduction_counts(check), terms)


def _tested_claims_text(w: Words, counts: dict, terms: str) -> str:
    """How the income claims checked on field data fared: one claim by its verdict, several as
    counts of each verdict (no verb to agree with a count of 0 or 1)."""
    tested = counts.get("income_claims_tested", 0)
    if not tested:
        return w._("no income claim could be tested on field data ({terms})").format(terms=terms)
    if tested == 1:
        if counts.get("income_claims_consistent", 0):
            said = w._(
                "the income claim check on field data ({terms}) is consistent with the "
                "published range"
            )
        elif counts.get("income_claims_inconsistent", 0):
            said = w._(
                "the income claim check on field data ({terms}) is inconsistent with the "
                "published range"
            )
        else:
            said = w._("the income claim check on field data ({terms}) is inconclusive")
        return said.format(terms=terms)
    return w._(
        "of {tested} income claim checks on field data ({terms}): {consistent} consistent "
        "with the published range, {inconsistent} inconsistent, {inconclusive} inconclusive"
    ).format(
        tested=tested,
        terms=terms,
        consistent=counts.get("income_claims_consistent", 0),
        inconsistent=counts.get("income_claims_inconsistent", 0),
        inconclusive=counts.get("income_claims_inconclusive", 0),
    )


def in_edition(
    synth: Synthesis,
    studies: pd.DataFrame,
    codebook: pd.DataFrame,
    programmes: pd.DataFrame,
    *,
    lang: str,
) -> Synthesis:
    """The synthesis computed once, named in an edition's words: the studies' names and designs
    from the edition's registry rows (``studies``), each finding (named by its id in the
    results) in the words of the edition's ``codebook``, the programmes' instruments from the
    edition's ``programmes``. Every number is the one computed."""
    labels = dict(zip(studies["site"], studies["short_name"]))
    labels = {site: labels.get(site, label) for site, label in synth.labels.items()}
    shown_name = {synth.labels[site]: label for site, label in labels.items()}
    stated = finding_names(codebook)
    progs = programme_summary(programmes).set_index("site")
    held = {
        site: {**numbers, "programmes": progs.loc[site].to_dict() if site in progs.index else None}
        for site, numbers in synth.held.items()
    }
    counts = synth.informant_counts.rename(columns=shown_name)
    return dataclasses.replace(
        synth,
        designs=design_table(studies),
        held=held,
        informant_counts=counts,
        support=synth.support.assign(
            finding=synth.support["finding"].map(lambda f: stated.get(f, f))
        ),
        labels=labels,
        notes=tuple(
            (code, shown_name.get(site, site), problem) for code, site, problem in synth.notes
        ),
    )


def edition_label(edition: str, *, lang: str) -> str:
    """The data edition's name in the edition's language (``illustrative`` -> "ilustratif")."""
    return _edition(Words(lang), edition)


def design_frame(designs: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Aspect (rows) × study (columns): the studies' designs as published (registry rows,
    :func:`analysis.methods.synthesis.design_table`)."""
    w = Words(lang)
    frame = designs.copy()
    studies = [c for c in frame.columns if c != "aspect"]
    for study in studies:
        frame[study] = [
            w._("not recorded")
            if value is None
            else (w._(value) if aspect == "selection" else value)
            for aspect, value in zip(frame["aspect"], frame[study])
        ]
    frame["aspect"] = frame["aspect"].map(lambda a: w._(DESIGN_LABELS.get(a, a)))
    return frame.rename(columns={"aspect": w._("aspect")})


def _value(w: Words, value) -> str:
    """A level or planning value of the inventory as readers read it (the contract's labels)."""
    for labels in (LEVEL_LABELS, PLANNING_LABELS):
        if value in labels:
            return w._(labels[value])
    return value


def _count_list(w: Words, counts: dict) -> str:
    return ", ".join(f"{n} {_value(w, k)}" for k, n in counts.items()) if counts else w._("none")


def agreement_words(numbers: dict, *, lang: str) -> str:
    """Coders and Krippendorff's alpha of a site, judged on its bootstrap interval."""
    w = Words(lang)
    if numbers["problem"] is not None:
        return w.ngettext(
            "{n} coder: not computed ({problem})",
            "{n} coders: not computed ({problem})",
            int(numbers["coders"]),
        ).format(n=int(numbers["coders"]), problem=word(numbers["problem"], w))
    if numbers["low"] is None:
        return w._(
            "{coders} coders, {segments} segments double-coded; Krippendorff's alpha {alpha} "
            "(no bootstrap interval: not judged)"
        ).format(
            coders=numbers["coders"],
            segments=w.integer(numbers["segments"]),
            alpha=w.number(numbers["alpha"], 3),
        )
    verdict = agr.interval_verdict(numbers["low"], numbers["high"])
    return w._(
        "{coders} coders, {segments} segments double-coded; Krippendorff's alpha {alpha} "
        "(95 % interval {low} to {high}: {verdict})"
    ).format(
        coders=numbers["coders"],
        segments=w.integer(numbers["segments"]),
        alpha=w.number(numbers["alpha"], 3),
        low=w.number(numbers["low"], 2),
        high=w.number(numbers["high"], 2),
        verdict=word(verdict, w),
    )


def _held_column(labels: Labels, held: dict) -> dict:
    """One study's column of the evidence table."""
    w = labels.w
    none = w._("none")
    roles = [labels.role_count(n, r) for r, n in held["roles"].items()]
    types = [f"{w.integer(n)} {labels.source_type(t)}" for t, n in held["segments"].items()]
    households = held["households"]
    p = held["programmes"]
    return {
        w._("informants"): f"{held['informants']}: " + ", ".join(roles) if roles else none,
        w._("coded segments"): (
            f"{w.integer(sum(held['segments'].values()))}: " + ", ".join(types)
            if held["segments"]
            else none
        ),
        w._("coding agreement"): agreement_words(held["agreement"], lang=w.lang),
        w._("household incomes"): none
        if households is None
        else w.ngettext(
            "{n} household ({recipients} recipients), incomes of {before} and {after}",
            "{n} households ({recipients} recipients), incomes of {before} and {after}",
            households["n"],
        ).format(
            n=households["n"],
            recipients=households["recipients"],
            before=households["year_before"],
            after=households["year_after"],
        ),
        w._("programmes (inventory)"): none
        if p is None
        else f"{p['programmes']}: {_count_list(w, p['by_level'])}",
        w._("instruments"): none if p is None else ", ".join(p["instruments"]),
        w._("planning"): none if p is None else _count_list(w, p["by_planning"]),
    }


def evidence_frame(
    held: dict, labels: dict | None = None, *, lang: str, official_units: dict | None = None
) -> pd.DataFrame:
    """Aspect (rows) × study (columns): what the data of this book hold for each study
    (:func:`analysis.methods.synthesis.data_held`); ``official_units`` (site -> "desa",
    "kelurahan", ...) names each drawn study's lowest officials by the unit they serve."""
    w = Labels.of(lang).w
    labels = {**{s: s for s in held}, **(labels or {})}
    units = official_units or {}
    columns = {
        labels[site]: _held_column(Labels.of(lang, official_unit=units.get(site)), numbers)
        for site, numbers in held.items()
    }
    return pd.DataFrame(columns).rename_axis(w._("aspect")).reset_index()


def summary_frame(support: pd.DataFrame, labels: dict | None = None, *, lang: str) -> pd.DataFrame:
    """The support table for a page: site, finding (short), informants k/N, segments, sources,
    verdict, household data. A finding the study states jointly is marked "(all of)": only
    informants who used all of its codes count as its support."""
    w = Words(lang)
    n = support["informants"].astype("Int64").astype(str).where(support["informants"].notna(), "")
    total = support["informants_total"].astype("Int64").astype(str)
    logic = support["logic"] if "logic" in support else [""] * len(support)

    def sources(types) -> str:
        return ", ".join(_abbreviation(w, t) for t in str(types).split(", ") if t)

    verdicts = support["verdict"].fillna("").map(Labels.of(lang).verdict)
    out = pd.DataFrame(
        {
            w._("site"): support["site"].map(site_labels(labels, support)),
            w._("finding"): [
                w._("{finding} (all of)").format(finding=label) if how == "all" else label
                for label, how in zip(labels_of(support, lang=lang), logic)
            ],
            w._("informants"): (n + "/" + total).where(support["informants"].notna(), ""),
            w._("segments"): support["segments"]
            .astype("Int64")
            .astype(str)
            .where(support["segments"].notna(), ""),
            w._("sources"): support["source_types"].fillna("").map(sources),
            w._("verdict"): verdicts,
            w._("household data"): [
                household_check_text(c, lang=lang) for c in support["household_check"]
            ],
        }
    )
    return out.reset_index(drop=True)


def role_frame(
    by_role: pd.DataFrame, *, lang: str, official_unit: str | None = None
) -> pd.DataFrame:
    """Who supports the top-down finding, for a page: role, side (government or residents), k/N
    (the lowest officials named by the unit they serve, ``official_unit``)."""
    names = Labels.of(lang, official_unit=official_unit)
    w = names.w
    roles = by_role["role"].map(names.role)
    return pd.DataFrame(
        {
            w._("role"): roles,
            w._("side"): np.where(
                by_role["government"].astype(bool), w._("government"), w._("residents")
            ),
            w._("supporting"): by_role["informants"].astype(str)
            + "/"
            + by_role["informants_total"].astype(str),
        }
    )


# --------------------------------------------------------------------------- what the chapter shows
NOTES = {
    "no_findings": N_("{site}: no findings table ({problem})"),
    "income_not_estimable": N_("{site}: income change not estimable: {problem}"),
    "not_deflated": N_("{site}: incomes not deflated: {problem}"),
    "no_households": N_("no study has household incomes: no income claim is checked"),
}


#: The chapter's sections its brief points to: the template's headings, whose Indonesian is the
#: chapter catalog's (``locales/id/LC_MESSAGES/chapters/synthesis.po``).
SECTIONS = {
    "support": N_("How strongly does the evidence support each finding?"),
    "limits": N_("Limits"),
}


def in_brief(synth: Synthesis, *, data_edition: str, lang: str) -> list[Part]:
    """The chapter in brief: each study's informants, households and verdicts, how the income
    claims fare, what shares and changes cannot say, once what illustrative data mean here, and
    where to read more. Every number is one the chapter records (``synth.numbers``)."""
    w = Words(lang)
    d = synth.numbers
    studies = [_brief_study(w, d, site, label) for site, label in synth.labels.items()]
    incomes = (
        synth.check[synth.check["kind"] == income.INCOME_CLAIM]
        if "kind" in synth.check
        else synth.check.iloc[0:0]
    )
    by_construction = not incomes.empty and incomes["verdict"].eq(income.BY_CONSTRUCTION).all()
    claims = (
        w._("Income claims: {claims}.").format(
            claims=income_claims_text(synth.check, synth.edition, lang=lang)
        )
        if not incomes.empty and not by_construction
        else ""
    )
    cannot = w._("Shares of informants describe who was heard, not how common a view is.")
    if any(d.get(f"{site}_households") for site in synth.labels):
        cannot += " " + w._("A change in income before and after a programme is not its effect.")
    illustrative = ""
    if data_edition == "illustrative":
        illustrative = (
            w._(
                "These are illustrative data, generated to contain the studies' findings and "
                "income figures: the verdicts show how the rule works, not field results, and the "
                "income claims cannot be tested."
            )
            if by_construction
            else w._(
                "These are illustrative data, generated to contain the studies' findings: the "
                "verdicts show how the rule works, not field results."
            )
        )
    pointers = [
        (w._("the support for each finding"), SECTIONS["support"]),
        (w._("the limits"), SECTIONS["limits"]),
    ]
    return [
        brief.block(
            [*studies, claims, cannot, illustrative, brief.read_more(pointers, w)],
            w,
        )
    ]


def _brief_study(w: Words, d: dict, site: str, label: str) -> str:
    """One study in the brief: informants, households, and its findings by verdict."""
    recipients = d.get(f"{site}_households") or 0
    others = d.get(f"{site}_comparison_households") or 0
    held = [_informants(w, d[f"{site}_informants"])]
    if recipients:
        held.append(
            w.ngettext(
                "{n} recipient household with incomes",
                "{n} recipient households with incomes",
                recipients,
            ).format(n=recipients)
        )
    if others:
        held.append(
            w.ngettext(
                "{n} household without the programme",
                "{n} households without the programme",
                others,
            ).format(n=others)
        )
    held = w.conjunction(held)
    n = d.get(f"{site}_findings") or 0
    if not n:
        return w._("**{site}**: {held}; no finding to weigh.").format(site=_text(label), held=held)
    rated = [w._("none strong")] if not d[f"{site}_strong"] else []
    rated += [
        f"{d[f'{site}_{key}']} {Labels.of(w.lang).verdict(verdict)}"
        for key, verdict in (
            ("strong", "strong"),
            ("moderate", "moderate"),
            ("weak", "weak"),
            ("not_supported", "not supported"),
        )
        if d[f"{site}_{key}"]
    ]
    return w.ngettext(
        "**{site}**: {held}; of its {n} finding, {rated}.",
        "**{site}**: {held}; of its {n} findings, {rated}.",
        n,
    ).format(site=_text(label), held=held, n=n, rated=", ".join(rated))


def note_texts(synth: Synthesis, *, lang: str) -> list[str]:
    """The notes of the synthesis in words (plain text)."""
    w = Words(lang)
    return [
        w._(NOTES[code]).format(
            site=site,
            problem=None if problem is None else report_findings.problem_words(problem, w),
        )
        for code, site, problem in synth.notes
    ]


def notes(synth: Synthesis, *, lang: str) -> list[Part]:
    """What could not be computed, one note a paragraph (data values escaped)."""
    w = Words(lang)
    return [
        Text(w._("*Note:* {note}").format(note=_text(note)))
        for note in note_texts(synth, lang=lang)
    ]


def designs(synth: Synthesis, *, lang: str) -> Table:
    return Table(design_frame(synth.designs, lang=lang))


def data_text(synth: Synthesis, *, data_edition: str, lang: str) -> str:
    """What the data hold for each study: informants by kind, programmes, households."""
    w = Words(lang)
    d = synth.numbers
    lines = []
    for site, label in synth.labels.items():
        officials, residents, staff = (
            d[f"{site}_officials"],
            d[f"{site}_residents"],
            d[f"{site}_staff"],
        )
        kinds = [
            w.ngettext("{n} official", "{n} officials", officials).format(n=officials)
            if officials
            else "",
            w.ngettext("{n} resident", "{n} residents", residents).format(n=residents)
            if residents
            else "",
            w._("{n} kelurahan staff").format(n=staff) if staff else "",
        ]
        kinds = ", ".join(k for k in kinds if k) or w._("no informants")
        n_clusters = d[f"{site}_clusters"]
        if not n_clusters:
            clusters = ""
        elif d.get(f"{site}_sampled", True):
            clusters = w.ngettext(
                " from {n} sampled cluster", " from {n} sampled clusters", n_clusters
            ).format(n=n_clusters)
        else:  # a census or a purposive selection: the clusters were not drawn
            clusters = w.ngettext(" in {n} cluster", " in {n} clusters", n_clusters).format(
                n=n_clusters
            )
        n_households = d[f"{site}_households"]
        households = (
            w.ngettext(
                "; {n} household with incomes", "; {n} households with incomes", n_households
            ).format(n=n_households)
            if n_households
            else w._("; no household incomes")
        )
        n_programmes = d[f"{site}_programmes"]
        lines.append(
            w.ngettext(
                "- **{site}**: {informants} ({kinds}){clusters}; {n} programme in the "
                "inventory{households}.",
                "- **{site}**: {informants} ({kinds}){clusters}; {n} programmes in the "
                "inventory{households}.",
                n_programmes,
            ).format(
                site=_text(label),
                informants=_informants(w, d[f"{site}_informants"]),
                kinds=kinds,
                clusters=clusters,
                n=n_programmes,
                households=households,
            )
        )
    return (
        w._("In the {edition} data:").format(edition=_edition(w, data_edition))
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + w._(
            "The table below is computed from the data files; the coding agreement is that of "
            "the double-coded segments (Krippendorff's alpha, nominal level: 0.800 or more "
            "reliable, 0.667 to 0.800 for tentative conclusions only "
            "{cite:p}`krippendorff2019`)."
        )
    )


def data_held(synth: Synthesis, *, data_edition: str, lang: str) -> list[Part]:
    """The sentences on what the data hold, and the evidence table."""
    return [
        Text(data_text(synth, data_edition=data_edition, lang=lang)),
        Table(
            evidence_frame(synth.held, synth.labels, lang=lang, official_units=synth.official_units)
        ),
    ]


def support_text(synth: Synthesis, *, data_edition: str, lang: str) -> str:
    """The verdict counts per study and how the income claims fare (never "reproduced")."""
    w = Words(lang)
    d = synth.numbers
    parts = [
        w._("{site}: {strong} of {findings} findings strong and {moderate} moderate").format(
            site=_text(label),
            strong=d[f"{site}_strong"],
            findings=d[f"{site}_findings"],
            moderate=d[f"{site}_moderate"],
        )
        for site, label in synth.labels.items()
    ]
    claims = income_claims_text(synth.check, synth.edition, lang=lang)
    construction = (
        " "
        + w._(
            "The generator was written to contain the studies' findings and income figures, so "
            "their support is by construction: these verdicts show how the rule works and "
            "nothing more, and only field codings and incomes can support or contradict a "
            "finding."
        )
        if data_edition == "illustrative"
        else ""
    )
    return (
        w._("In the {edition} data, {verdicts}; and {claims}.").format(
            edition=_edition(w, data_edition), verdicts="; ".join(parts), claims=claims
        )
        + construction
    )


def support(synth: Synthesis, *, data_edition: str, lang: str) -> list[Part]:
    """The verdicts in a sentence, the key to the table, and the support table."""
    w = Words(lang)
    return [
        Text(support_text(synth, data_edition=data_edition, lang=lang)),
        Text(
            w._(
                "**Findings, studies and support.** Informants: supporting the finding, of the "
                "study's informants; sources: kinds of source behind it (int interview, obs "
                "observation, doc document); verdict: the rule above; household data: how the "
                "published claims fare against the household incomes (consistent, inconsistent, "
                "inconclusive, not testable, or by construction)."
            )
        ),
        Table(summary_frame(synth.support, synth.labels, lang=lang)),
    ]


def support_figure(synth: Synthesis, *, data_edition: str, lang: str) -> Figure:
    """The dot chart of support, with alt text giving each study's verdict counts."""
    w = Words(lang)
    d = synth.numbers
    each = " ".join(
        w._(
            "{site}: {findings} findings, {strong} strong, {moderate} moderate, {weak} weak, "
            "{not_supported} not supported."
        ).format(
            site=label,
            findings=d[f"{site}_findings"],
            strong=d[f"{site}_strong"],
            moderate=d[f"{site}_moderate"],
            weak=d[f"{site}_weak"],
            not_supported=d[f"{site}_not_supported"],
        )
        for site, label in synth.labels.items()
    )
    alt = (
        w._(
            "Dot chart, one panel per study: for each finding, the share of the study's "
            "informants who support it, coloured by its verdict; a dashed line marks the {share} "
            "share a strong verdict needs."
        ).format(share=_pct(w, 100 * STRONG_MIN_SHARE))
        + " "
        + each
    )
    return Figure(
        lambda: plot_support(
            synth.support, data_edition=data_edition, sites_labels=synth.labels, lang=lang
        ),
        alt=alt,
    )


def limits(synth: Synthesis, *, data_edition: str, lang: str) -> list[Part]:
    """Small samples, recalled incomes and, where a study reports top-down planning, who says so."""
    w = Words(lang)
    d = synth.numbers
    sizes = "; ".join(
        f"{_text(label)} {_informants(w, d[f'{site}_informants'])}"
        + (
            " "
            + w._("(one informant moves a share by {pp} percentage points)").format(
                pp=w.number(d[f"{site}_one_informant_pp"], 0)
            )
            if d[f"{site}_one_informant_pp"]
            else ""
        )
        for site, label in synth.labels.items()
    )
    parts: list[Part] = [
        Text(
            w._(
                "**Small samples.** In the {edition} data: {sizes}. Neither a share of informants "
                "nor a verdict says how common a view or an outcome is; they say what was said, "
                "and by whom."
            ).format(edition=_edition(w, data_edition), sizes=sizes)
        )
    ]
    for site, result in synth.income.items():
        parts.append(Text(_income_limits(w, synth, site, result)))
    if d.get("top_down_site"):
        label = synth.labels[d["top_down_site"]]
        share = (
            f" ({_pct(w, d['top_down_government_pct'])})"
            if d["top_down_government_pct"] is not None
            else ""
        )
        parts += [
            Text(
                w._(
                    "**Top-down planning, seen from the inside ({site}).** Of the {supporters} "
                    "informants who support the finding that planning is top-down, {government} "
                    "speak for the government{share}: {government} of the {government_total} "
                    "government informants, against {residents} of the {residents_total} "
                    "residents. Officials describing their own planning are well placed to say "
                    "where decisions are made and poorly placed to say how they look from a "
                    "neighbourhood whose proposals were not taken up; residents' accounts and "
                    "independent records are needed before the finding can be called corroborated."
                ).format(
                    site=_text(label),
                    supporters=d["top_down_supporters"],
                    government=d["top_down_government"],
                    share=share,
                    government_total=d["top_down_government_total"],
                    residents=d["top_down_residents"],
                    residents_total=d["top_down_residents_total"],
                )
            ),
            Table(
                role_frame(
                    synth.top_down_by_role,
                    lang=lang,
                    official_unit=synth.official_units.get(d["top_down_site"]),
                )
            ),
        ]
    return parts


def _income_limits(w: Words, synth: Synthesis, site: str, result) -> str:
    """What the household incomes of one study can and cannot say."""
    d = synth.numbers
    label = synth.labels[site]
    real = d.get(f"{site}_real_mean_pct_change")
    real_text = (
        " "
        + w._(
            "Deflated with national consumer prices, the mean of the households' percent "
            "changes goes from {nominal} to {real}."
        ).format(nominal=_pct(w, d[f"{site}_mean_pct_change"], 1), real=_pct(w, real, 1))
        if real is not None
        else " "
        + w._(
            "The incomes could not be deflated (no consumer prices for their years in the "
            "data): the changes are nominal."
        )
    )
    test = synth.primary.get(site)
    interval = (
        report_income.primary_summary(test, lang=w.lang)
        if test is not None
        else w._("the income chapter's primary test could not be computed") + "."
    )
    comparison = d.get(f"{site}_comparison_households") or 0
    effect = (
        w.ngettext(
            "And a change is not an effect: the data also hold {n} household that did "
            "not receive the programme, and the income chapter compares the two groups' "
            "changes (difference-in-differences), which credits the difference to the "
            "programme only if both groups' incomes would otherwise have grown alike.",
            "And a change is not an effect: the data also hold {n} households that did "
            "not receive the programme, and the income chapter compares the two groups' "
            "changes (difference-in-differences), which credits the difference to the "
            "programme only if both groups' incomes would otherwise have grown alike.",
            comparison,
        ).format(n=comparison)
        if comparison
        else w._(
            "And a change is not an effect: without comparable households that did not "
            "receive the programme, the rise cannot be credited to it."
        )
    )
    return (
        w._(
            "**Incomes, {site}.** {households}. {interval} The 'before' incomes (of {year}) "
            "were recalled after the programme, not measured at the time; recalled living "
            "standards gave weak and biased signals of change {{cite:p}}`ravallion2012`."
        ).format(
            site=_text(label),
            households=_households(w, result.n),
            interval=interval,
            year=d[f"{site}_income_year_before"],
        )
        + real_text
        + " "
        + effect
    )


# --------------------------------------------------------------------------- the figure
def plot_support(
    support: pd.DataFrame,
    *,
    data_edition: str | None = None,
    sites_labels: dict | None = None,
    lang: str,
):
    """Dot chart: share of each site's informants supporting each finding, coloured by verdict.

    No interval: the informants of a purposive study were chosen, not drawn, so their share
    describes who was heard and estimates nothing.

    One panel per site (panel heights follow the number of findings); the dashed line is the 25 %
    share the strong verdict needs. Returns the matplotlib Figure (None when no finding is rated);
    the caller shows or closes it.
    """
    import matplotlib.pyplot as plt

    w = Words(lang)
    rated = support[support["verdict"].isin(VERDICTS)].copy()
    rated["label"] = labels_of(rated, lang=lang)
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
    verdict_names = {v: Labels.of(lang).verdict(v) for v in VERDICTS}
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
                    label=verdict_names[verdict],
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
        ax.axvline(100 * STRONG_MIN_SHARE, color="0.4", linestyle="--", linewidth=1)
        ax.set_yticks(y, [textwrap.fill(label, 26) for label in part["label"]])
        ax.set_ylim(len(part) - 0.4, -0.7)
        ax.set_title(
            w._("{site} ({n} informants)").format(
                site=labels[site], n=int(part["informants_total"].iloc[0])
            ),
            fontsize=11,
        )
    axes[-1, 0].set_xlim(0, 105)
    axes[-1, 0].set_xlabel(w._("informants supporting the finding (% of the site's informants)"))
    handles = {lab: h for ax in axes[:, 0] for h, lab in zip(*ax.get_legend_handles_labels())}
    fig.legend(
        list(handles.values()),
        list(handles.keys()),
        title=w._("verdict"),
        loc="lower center",
        ncol=len(handles),
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    fig.suptitle(
        w._("Support for each finding in this book's data (illustrative data)")
        if data_edition == "illustrative"
        else w._("Support for each finding in this book's data")
    )
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def support_caption(synth: Synthesis, *, lang: str) -> str:
    """The caption of the support chart (plain text, pasted by ``{glue:text}``): the studies by
    name with their findings and informants, what a dot and its colour say, and the data's
    edition."""
    w = Words(lang)
    d = synth.numbers
    studies = w.conjunction(
        [
            w._("{site} ({findings}, {informants})").format(
                site=label,
                findings=w.ngettext("{n} finding", "{n} findings", d[f"{site}_findings"]).format(
                    n=w.integer(d[f"{site}_findings"])
                ),
                informants=w.ngettext(
                    "{n} informant", "{n} informants", d[f"{site}_informants"]
                ).format(n=w.integer(d[f"{site}_informants"])),
            )
            for site, label in synth.labels.items()
        ]
    )
    return w._(
        "Support for each finding of {studies}: the share of the study's informants whose coded "
        "segments support it, with the count k/N above each dot (no interval: a share of "
        "informants describes who was heard). Colour gives the verdict of the findings rule; the "
        "dashed line marks the {share} share a strong verdict needs. Data: {edition}."
    ).format(
        studies=studies,
        share=_pct(w, 100 * STRONG_MIN_SHARE),
        edition=_edition(w, synth.edition),
    )
