"""What a chapter says about the study it runs for: sentences and display plans from the registry.

Every function here is pure: it takes the study's registry row (:class:`analysis.data.registry.Study`)
and data frames and returns Markdown text or a list of *parts* for :func:`analysis.chapter.show`
(a ``str`` is Markdown; ``("table", frame, options)`` a table; ``("figure", draw)`` a figure drawn
by calling ``draw()``). A display the data cannot fill is left out and replaced by one sentence
saying why, so a chapter has no empty section whatever study it runs for.

The sentences are the code's own Markdown; every value from the data put into one (a title, a
place, a site's name, a coder, a problem naming a value) goes through :func:`_text`
(:func:`analysis.literal.markdown_literal`), so that it is shown as written, never parsed.
"""

from __future__ import annotations

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from analysis import formatting
from analysis.i18n import N_, _, ngettext
from analysis.literal import markdown_literal as _text


def _num(value, digits: int = 0, *, grouping: bool = False, spec: str = "f") -> str:
    """A number as Python writes it (``f"{value:,.1f}"``), with the edition's separators.

    The English text is exactly Python's; Indonesian swaps the separators ("1.250,5").
    """
    text = format(value, f"{',' if grouping else ''}.{digits}{spec}")
    locale = formatting.current_locale()
    if locale == "en":
        return text
    table = {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}
    return text.translate(table)


def _pct(value, digits: int = 0) -> str:
    """A percentage in a sentence, "35.5 %" ("35,5 %" in Indonesian)."""
    return _num(value, digits) + " %"


def _rp(value) -> str:
    """Whole Rupiah in a sentence, "Rp 1,250,000" ("Rp 1.250.000" in Indonesian)."""
    return "Rp " + _num(value, 0, grouping=True)


def site_sentence(study) -> str:
    """Who and where: one sentence naming the study, its place and its programme."""
    if study.fieldwork_year:
        return _(
            "The study of {name} ({place}, {year}) looks at {programme}: *{title}*. "
            "Source: {reference}."
        ).format(
            name=_text(study.short_name),
            place=_text(study.place),
            year=study.fieldwork_year,
            programme=_text(study.programme),
            title=_text(study.title),
            reference=_text(study.reference),
        )
    return _(
        "The study of {name} ({place}) looks at {programme}: *{title}*. Source: {reference}."
    ).format(
        name=_text(study.short_name),
        place=_text(study.place),
        programme=_text(study.programme),
        title=_text(study.title),
        reference=_text(study.reference),
    )


def income_intro(study) -> str:
    """What the income chapter checks: the study's published claim, or that it makes none."""
    c = study.claim
    parts = []
    if c["claim_pct_low"] is not None:
        low, high = c["claim_pct_low"], c["claim_pct_high"] or c["claim_pct_low"]
        parts.append(
            _num(low, spec="g", digits=6) + " %"
            if low == high
            else _("{low} % to {high} %").format(
                low=_num(low, 6, spec="g"), high=_num(high, 6, spec="g")
            )
        )
    if c["claim_rp_low"] is not None:
        low, high = c["claim_rp_low"], c["claim_rp_high"] or c["claim_rp_low"]
        parts.append(
            _("{amount} a month").format(amount=_rp(low))
            if low == high
            else _("{low} to {high} a month").format(low=_rp(low), high=_rp(high))
        )
    lead = site_sentence(study)
    if not parts:
        return (
            lead
            + " "
            + _(
                "The study makes no published claim about the size of the income change "
                "(the registry's claim columns are empty): this chapter estimates the change and "
                "puts its size next to what careful evaluations of microcredit find."
            )
        )
    return (
        lead
        + " "
        + _(
            "It claims that after {programme} the income of the households it spoke to rose on "
            "average by {claims}. This chapter estimates that change as carefully as the "
            "households allow, says how far the data support the claim, and puts its size next "
            "to what careful evaluations of microcredit find."
        ).format(programme=_text(study.programme), claims=_(" or ").join(parts))
    )


def calibration_text(notes: dict) -> str:
    """How the illustrative incomes were made, when the data are the shipped illustrative ones."""
    c = notes.get("calibration")
    if not c:
        return _(
            "The data are not the generated illustrative edition: agreement or disagreement with "
            "the published claims is a finding of these data."
        )
    return _(
        "The data are the illustrative edition, so the agreement is **by construction**: the "
        "generator scaled the incomes so that the mean percent change is {pct} and the mean "
        "change {amount} (the midpoints of the published ranges) before rounding to the "
        "nearest {step}. Only a researcher's own field data can support or contradict the claim."
    ).format(
        pct=_pct(c["target_mean_pct"]), amount=_rp(c["target_mean_abs"]), step=_rp(c["round_to"])
    )


def claims_text(check: pd.DataFrame, notes: dict) -> str:
    """The sentence above the reproduction table: no claims, by construction, or field data."""
    if check.empty:
        return _(
            "The registry records no published claim of this study that the data could check "
            "(claim columns of `study/studies.csv`): there is nothing to reproduce."
        )
    return calibration_text(notes)


#: How the description of a reconstructed programme starts (in the data's language: the
#: Indonesian description of the data layer starts with the translation).
RECONSTRUCTED = N_("Illustrative reconstruction")


def programme_facts(programmes: pd.DataFrame) -> dict:
    """Counts the programmes chapter quotes: per site, national per site, innovations, reconstructed."""
    from analysis.methods import inventory

    facts = {}
    for site, rows in programmes.groupby("site", sort=False):
        facts[f"n_{site}"] = int(len(rows))
        facts[f"n_central_{site}"] = int((rows["level"] == "central").sum())
    facts["n_innovations"] = int(len(inventory.regency_innovations(programmes)))
    description = (
        programmes["description"]
        if "description" in programmes
        else pd.Series("", index=programmes.index)
    )
    starts = (RECONSTRUCTED, _(RECONSTRUCTED))
    facts["n_reconstructed"] = int(description.fillna("").str.startswith(starts).sum())
    return facts


def reconstruction_note(facts: dict) -> str:
    """The note on reconstructed rows, when the inventory has any."""
    n = facts.get("n_reconstructed", 0)
    if not n:
        return ""
    return (
        ":::{note}\n"
        + _(
            "**What is documented and what is reconstructed.** Programmes are listed with the "
            "regulation or guideline that governs them where the studies name one. Where a study "
            "reports what a programme does but names none, the row is built from its findings: "
            "the {n} such rows are **illustrative reconstructions**, and their description says so."
        ).format(n=n)
        + "\n:::"
    )


def programme_parts(programmes: pd.DataFrame, sites: dict[str, str]) -> list:
    """For each study (registry order): a sentence with its counts and its inventory table."""
    from analysis.methods import inventory

    parts = []
    labels = inventory.site_labels(programmes, sites)
    for site, label in labels.items():
        rows = programmes[programmes["site"] == site]
        central = int((rows["level"] == "central").sum())
        own = inventory.regency_innovations(rows)
        counts = ngettext(
            "**{site}**: {n} programme, {central} of them national",
            "**{site}**: {n} programmes, {central} of them national",
            len(rows),
        ).format(site=_text(label), n=len(rows), central=central)
        sentence = counts + (
            ngettext(
                "; {n} regency programme reach poor households missing from the central data "
                "(`regency_innovation`).",
                "; {n} regency programmes reach poor households missing from the central data "
                "(`regency_innovation`).",
                len(own),
            ).format(n=len(own))
            if len(own)
            else "."
        )
        shown = inventory.inventory_table(programmes, site)
        if "regency_innovation" in shown and not shown["regency_innovation"].fillna(False).any():
            shown = shown.drop(columns="regency_innovation")
        parts += [sentence, ("table", shown)]
    missing = [label for site, label in sites.items() if site not in labels]
    if missing:
        parts.append(
            _(
                "The inventory lists no programme for {sites} (no rows of `programmes.csv` with "
                "that site)."
            ).format(sites=", ".join(_text(m) for m in missing))
        )
    return parts


def innovation_parts(programmes: pd.DataFrame, sites: dict[str, str] | None = None) -> list:
    """The regency's own programmes for households the central data miss, or why there are none."""
    from analysis.methods import inventory

    own = inventory.regency_innovations(programmes)
    if own.empty:
        return [
            _(
                "No programme of the inventory is marked as a regency programme reaching poor "
                "households missing from the central data (`regency_innovation`)."
            )
        ]
    return [
        _(
            "These programmes are like the central ones but paid from a regency budget, for poor "
            "households that the central data miss."
        ),
        ("table", own.drop(columns="source"), {"labels": {"site": sites or {}}}),
    ]


def _edition(edition: str) -> str:
    """The data edition as a sentence names it ("In the illustrative data"): the contract's label."""
    from analysis.data.contract import EDITION_LABELS

    return _(EDITION_LABELS[edition]) if edition in EDITION_LABELS else edition


def _informants(n: int) -> str:
    return ngettext("{n} informant", "{n} informants", n).format(n=n)


def _households(n: int) -> str:
    return ngettext("{n} household", "{n} households", n).format(n=n)


def synthesis_data_text(synth, edition: str) -> str:
    """What the data hold for each study: informants by kind, programmes, households."""
    d = synth.numbers
    lines = []
    for site, label in synth.labels.items():
        officials, residents, staff = (
            d[f"{site}_officials"],
            d[f"{site}_residents"],
            d[f"{site}_staff"],
        )
        kinds = [
            ngettext("{n} official", "{n} officials", officials).format(n=officials)
            if officials
            else "",
            ngettext("{n} resident", "{n} residents", residents).format(n=residents)
            if residents
            else "",
            _("{n} kelurahan staff").format(n=staff) if staff else "",
        ]
        kinds = ", ".join(k for k in kinds if k) or _("no informants")
        n_clusters = d[f"{site}_clusters"]
        if not n_clusters:
            clusters = ""
        elif d.get(f"{site}_sampled", True):
            clusters = ngettext(
                " from {n} sampled cluster", " from {n} sampled clusters", n_clusters
            ).format(n=n_clusters)
        else:  # a census or a purposive selection: the clusters were not drawn
            clusters = ngettext(" in {n} cluster", " in {n} clusters", n_clusters).format(
                n=n_clusters
            )
        n_households = d[f"{site}_households"]
        households = (
            ngettext(
                "; {n} household with incomes", "; {n} households with incomes", n_households
            ).format(n=n_households)
            if n_households
            else _("; no household incomes")
        )
        n_programmes = d[f"{site}_programmes"]
        lines.append(
            ngettext(
                "- **{site}**: {informants} ({kinds}){clusters}; {n} programme in the "
                "inventory{households}.",
                "- **{site}**: {informants} ({kinds}){clusters}; {n} programmes in the "
                "inventory{households}.",
                n_programmes,
            ).format(
                site=_text(label),
                informants=_informants(d[f"{site}_informants"]),
                kinds=kinds,
                clusters=clusters,
                n=n_programmes,
                households=households,
            )
        )
    return (
        _("In the {edition} data:").format(edition=_edition(edition))
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _(
            "The table below is computed from the data files; the coding agreement is that of "
            "the double-coded segments (Krippendorff's alpha, nominal level: 0.800 or more "
            "reliable, 0.667 to 0.800 for tentative conclusions only "
            "{cite:p}`krippendorff2019`)."
        )
    )


def synthesis_support_text(synth, edition: str) -> str:
    """The verdict counts per study and how the income claims fare (never "reproduced")."""
    d = synth.numbers
    parts = [
        _("{site}: {strong} of {findings} findings strong and {moderate} moderate").format(
            site=_text(label),
            strong=d[f"{site}_strong"],
            findings=d[f"{site}_findings"],
            moderate=d[f"{site}_moderate"],
        )
        for site, label in synth.labels.items()
    ]
    claims = d["income_claims_text"]
    construction = (
        " "
        + _(
            "On the illustrative edition these verdicts show how the rule works and nothing "
            "more: the generator was written to contain the studies' findings and income "
            "figures, so their support is by construction. Only field codings and incomes can "
            "support or contradict a finding."
        )
        if edition == "illustrative"
        else ""
    )
    return (
        _("In the {edition} data, {verdicts}; and {claims}.").format(
            edition=_edition(edition), verdicts="; ".join(parts), claims=claims
        )
        + construction
    )


def synthesis_limits_parts(synth, edition: str) -> list:
    """Small samples, recalled incomes and, where a study reports top-down planning, who says so."""
    d = synth.numbers
    sizes = "; ".join(
        f"{_text(label)} {_informants(d[f'{site}_informants'])}"
        + (
            " "
            + _("(one informant moves a share by {pp} percentage points)").format(
                pp=_num(d[f"{site}_one_informant_pp"], 0)
            )
            if d[f"{site}_one_informant_pp"]
            else ""
        )
        for site, label in synth.labels.items()
    )
    parts = [
        _(
            "**Small samples.** In the {edition} data: {sizes}. Neither a share of informants "
            "nor a verdict says how common a view or an outcome is; they say what was said, and "
            "by whom."
        ).format(edition=_edition(edition), sizes=sizes)
    ]
    for site, result in synth.income.items():
        label = synth.labels[site]
        real = d.get(f"{site}_real_mean_pct_change")
        real_text = (
            " "
            + _(
                "Deflated with national consumer prices, the mean of the households' percent "
                "changes goes from {nominal} to {real}."
            ).format(nominal=_pct(d[f"{site}_mean_pct_change"], 1), real=_pct(real, 1))
            if real is not None
            else " "
            + _(
                "The incomes could not be deflated (no consumer prices for their years in the "
                "data): the changes are nominal."
            )
        )
        interval = (
            _(
                "the paired t 95 % interval of the mean change runs from {low} to {high} a month"
            ).format(low=_rp(d[f"{site}_t_ci95_low"]), high=_rp(d[f"{site}_t_ci95_high"]))
            if d[f"{site}_t_ci95_low"] is not None
            else _("every household's income changed by the same amount, so there is no t interval")
        )
        parts.append(
            _(
                "**Incomes, {site}.** {households}: {interval}. The 'before' incomes (of {year}) "
                "were recalled after the programme, not measured at the time; recalled living "
                "standards gave weak and biased signals of change {{cite:p}}`ravallion2012`."
            ).format(
                site=_text(label),
                households=_households(result.n),
                interval=interval,
                year=d[f"{site}_income_year_before"],
            )
            + real_text
            + " "
            + (
                ngettext(
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
                if (comparison := d.get(f"{site}_comparison_households") or 0)
                else _(
                    "And a change is not an effect: without comparable households that did not "
                    "receive the programme, the rise cannot be credited to it."
                )
            )
        )
    if d.get("top_down_site"):
        label = synth.labels[d["top_down_site"]]
        share = (
            f" ({_pct(d['top_down_government_pct'])})"
            if d["top_down_government_pct"] is not None
            else ""
        )
        parts += [
            _(
                "**Top-down planning, seen from the inside ({site}).** Of the {supporters} "
                "informants who support the finding that planning is top-down, {government} "
                "speak for the government{share}: {government} of the {government_total} "
                "government informants, against {residents} of the {residents_total} residents. "
                "Officials describing their own planning are well placed to say where decisions "
                "are made and poorly placed to say how they look from a neighbourhood whose "
                "proposals were not taken up; residents' accounts and independent records are "
                "needed before the finding can be called corroborated."
            ).format(
                site=_text(label),
                supporters=d["top_down_supporters"],
                government=d["top_down_government"],
                share=share,
                government_total=d["top_down_government_total"],
                residents=d["top_down_residents"],
                residents_total=d["top_down_residents_total"],
            ),
        ]
        from analysis.methods.synthesis import role_table

        parts.append(("table", role_table(synth.top_down_by_role)))
    return parts


# --- income chapter -----------------------------------------------------------------------------
def programme_history(study) -> str:
    """Where the study's "before" year may lie, for programmes whose history the book records."""
    from analysis.methods import income

    names = {p.strip().upper() for p in str(study.programme).replace("/", ";").split(";")}
    if not names & set(income.PROGRAMME_HISTORY_NAMES):
        return ""
    return income.programme_history_text(study.fieldwork_year)


def real_terms(households: pd.DataFrame, cpi: pd.DataFrame | None, *, seed: int):
    """(real frame, real IncomeChange, facts) or (None, None, {}) with the reason in facts.

    The incomes are deflated with the national CPI series; when the data have no price series or
    it does not cover the incomes' years, the chapter gives nominal changes only and says why.
    """
    from analysis.methods import income

    if cpi is None:
        return None, None, {"real_reason": _("the data hold no consumer price series")}
    try:
        real = income.deflate(households, cpi)
    except income.IncomeDataError as problem:  # CpiYearMissingError among them
        return None, None, {"real_reason": str(problem)}
    base_year, from_year = int(real.attrs["price_base_year"]), int(households["year_before"].min())
    real_result = income.income_change(
        real,
        before="income_before_real",
        after="income_after_real",
        prices=_("real Rupiah of {year}").format(year=base_year),
        seed=seed,
        bootstrap_resamples=0,
    )
    facts = {
        "price_base_year": base_year,
        "price_from_year": from_year,
        "inflation_pct": income.cumulative_inflation(cpi, from_year, base_year),
    }
    facts.update({f"real_{k}": getattr(real_result, k) for k in income.CONTRACT_KEYS})
    return real, real_result, facts


def real_parts(study, nominal, real_result, facts: dict, notes: dict) -> list:
    """The nominal-and-real section: where the years come from, the deflator, the table."""
    from analysis.methods import income

    parts = [_text(notes.get("years_note", "")), programme_history(study)]
    if real_result is None:
        return parts + [
            _(
                "**Nominal changes only.** The incomes cannot be deflated: {reason}. Every figure "
                "of this chapter is in the Rupiah of the households' own years, and the claims are "
                "checked in nominal terms only."
            ).format(reason=_text(facts["real_reason"]))
        ]
    parts.append(
        _(
            "Deflated with national consumer price inflation, December on December, as BPS "
            "reports it (`public/cpi_inflation_national.csv`), both incomes are in the prices of "
            "{base_year}: prices rose {inflation} between December {from_year} and December "
            "{base_year}. In real terms the mean change is {change} a month and the mean of "
            "percent changes {pct_change}. National inflation is a rough deflator for one place; "
            "no regional price series is in the data."
        ).format(
            base_year=facts["price_base_year"],
            inflation=_pct(facts["inflation_pct"], 1),
            from_year=facts["price_from_year"],
            change=_rp(real_result.mean_abs_change),
            pct_change=_pct(real_result.mean_pct_change, 1),
        )
    )
    return parts + [("table", income.nominal_real_table(nominal, real_result))]


def reproduction_parts(
    households: pd.DataFrame,
    study,
    informants: pd.DataFrame,
    real: pd.DataFrame | None,
    result,
    edition: str,
    notes: dict,
) -> tuple[list, dict]:
    """The reproduction check: how claims are judged, the table, and the recall-bias sensitivity."""
    from analysis.methods import income

    check = income.reproduction_check(
        households,
        edition=edition,
        informants=informants,
        site=study.site,
        result=result,
        claim=study.all_claims,
        real=real,
    )
    facts = {f"calibration_{k}": v for k, v in notes.get("calibration", {}).items()}
    facts.update(income.reproduction_counts(check))
    if check.empty:
        return [claims_text(check, notes)], facts
    parts = [
        income.describe_reproduction(edition, real=real is not None),
        claims_text(check, notes),
        ("table", income.reproduction_table(check)),
    ]
    if income.claim_range(study.claim, "pct") is not None:
        recall = income.recall_bias_table(households, claim=study.claim, edition=edition)
        facts["recall_leaves_range_at_pct"] = recall.attrs["leaves_range_at_pct"]
        parts += [income.describe_recall_bias(recall), ("table", recall)]
    return parts, facts


def loan_parts(households, real, result, real_result) -> tuple[list, dict]:
    """The income gain per Rupiah borrowed, in real terms where the incomes could be deflated."""
    from analysis.methods import income

    frame, prices = (households, result.prices) if real is None else (real, real_result.prices)
    before, after = (
        ("income_before", "income_after")
        if real is None
        else ("income_before_real", "income_after_real")
    )
    loans = income.loan_return(frame, before=before, after=after)
    facts = {} if loans is None else {f"loan_{k}": v for k, v in loans.to_dict().items()}
    return [income.describe_loans(loans, prices=prices)], facts
