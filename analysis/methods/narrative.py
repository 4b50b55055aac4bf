"""What a chapter says about the study it runs for: sentences and display plans from the registry.

Every function here is pure: it takes the study's registry row (:class:`analysis.data.registry.Study`)
and data frames and returns Markdown text or a list of *parts* for :func:`analysis.chapter.show`
(a ``str`` is Markdown; ``("table", frame, options)`` a table; ``("figure", draw)`` a figure drawn
by calling ``draw()``). A display the data cannot fill is left out and replaced by one sentence
saying why, so a chapter has no empty section whatever study it runs for.
"""

from __future__ import annotations

import pandas as pd

from analysis import formatting
from analysis.methods import agreement as agr
from analysis.methods import qualitative as q
from analysis.methods import sampling

DESIGN_INTRO = (
    "The study drew its informants by two-stage cluster sampling, and the draw is redone here "
    "from its seed, so that another team can repeat it: first the clusters (desa or "
    "{term}`kelurahan`) from a frame, then informants within each selected cluster. The frame "
    "(`study/sampling_frame.csv`) lists the clusters with the number of people listed in each "
    "(officials and members of poor households). The draw reports its inclusion probabilities "
    "and design weights."
)


def site_sentence(study) -> str:
    """Who and where: one sentence naming the study, its place and its programme."""
    year = f", {study.fieldwork_year}" if study.fieldwork_year else ""
    return (
        f"The study of {study.short_name} ({study.place}{year}) looks at {study.programme}: "
        f"*{study.title}*. Source: {study.reference}."
    )


def levels_sentence(informants: pd.DataFrame) -> str:
    """The levels and roles the informants speak from, in the order of the chain of government."""
    if informants.empty:
        return "The data hold no informants for this study."
    from analysis.data.contract import LEVELS, ROLE_ORDER

    levels = [lv for lv in LEVELS if lv in set(informants["level"])]
    roles = [r for r in ROLE_ORDER if r in set(informants["role"])]
    return (
        f"The informants speak from {len(levels)} level{'s' if len(levels) != 1 else ''} "
        f"({', '.join(levels)}) in {len(roles)} role{'s' if len(roles) != 1 else ''} "
        f"({', '.join(r.replace('_', ' ') for r in roles)})."
    )


def redrawn_sample(study, frame: pd.DataFrame | None):
    """(the redrawn two-stage sample, the study's frame rows, "") or (None, None, why not)."""
    rows = None if frame is None else frame[frame["site"] == study.site]
    design = study.sampling_design
    if design is None or rows is None or rows.empty:
        missing = (
            "the registry gives no design (sample_clusters, sample_per_cluster, sampling_seed)"
            if design is None
            else "the data hold no sampling frame for it (study/sampling_frame.csv)"
        )
        return (
            None,
            None,
            (
                "The study drew its informants by two-stage cluster sampling, but "
                f"{missing}: the draw is not redone here."
            ),
        )
    if design["n_clusters"] > rows["cluster"].nunique():
        return (
            None,
            None,
            (
                f"The design draws {design['n_clusters']} clusters but the frame lists only "
                f"{rows['cluster'].nunique()}: the draw is not redone here."
            ),
        )
    return sampling.redraw(rows, **design), rows, ""


def weighted_share_parts(
    study,
    frame: pd.DataFrame | None,
    informants: pd.DataFrame,
    counted: pd.DataFrame,
    codebook: pd.DataFrame,
) -> tuple[list, dict]:
    """Design-weighted shares of informants supporting each finding, for two-stage studies.

    Nothing (no section) for a study that did not sample; one sentence when the draw cannot be
    redone or no drawn informant can be weighted. The weights are 1 / pi of the redrawn sample
    (:func:`analysis.methods.sampling.informant_inclusion`); the share is the Hajek ratio with a
    design-based SE, clusters as primary units (:func:`sampling.design_weighted_share`).
    """
    if not study.two_stage:
        return [], {}
    heading = "### Design-weighted shares"
    drawn, _, reason = redrawn_sample(study, frame)
    if drawn is None:
        return [heading, reason + " There are no inclusion probabilities to weight by."], {}
    weighted = sampling.informant_inclusion(drawn, informants)
    drawn_units = weighted[weighted["pi"].notna()]
    try:
        support = q.finding_supporters(counted, informants, codebook, site=study.site)
    except KeyError:
        support = pd.DataFrame()
    if drawn_units.empty or support.empty or len(support.columns) == 0:
        why = (
            "no informant of the data is a unit of the redrawn sample"
            if drawn_units.empty
            else "the codebook names no finding for this study"
        )
        return [heading, f"No design-weighted share can be given: {why}."], {}
    rows = []
    for finding in support.columns:
        units = drawn_units.assign(
            y=drawn_units["informant_id"].map(support[finding]).fillna(False)
        )
        share = sampling.design_weighted_share(units, indicator="y", pi="pi", stratum=None)
        rows.append(
            {
                "finding": finding,
                "all informants (k/N)": f"{int(support[finding].sum())}/{len(support)}",
                "drawn informants (k/n)": f"{int(units['y'].sum())}/{len(units)}",
                "unweighted share of drawn (%)": 100 * share.unweighted,
                "design-weighted share (%)": 100 * share.share,
                "95 % CI (design-based)": f"{100 * share.ci95_low:.0f}-{100 * share.ci95_high:.0f}",
            }
        )
    purposive = int(weighted["pi"].isna().sum())
    pis = drawn_units.groupby("role")["pi"].agg(["min", "max"])
    ranges = "; ".join(
        f"{role.replace('_', ' ')} {lo:.2g} to {hi:.2g}" for role, (lo, hi) in pis.iterrows()
    )
    facts = {
        "weighted_drawn_informants": int(len(drawn_units)),
        "weighted_purposive_informants": purposive,
    }
    text = (
        "The shares above treat the informants as if each stood for the same number of people, "
        "as in a simple random sample. They do not. "
        + (
            f"{_n(purposive, 'informant')} (officials above the sampled clusters, for instance) "
            "were chosen purposively, outside the draw: they have no inclusion probability and are left out of the weighted "
            "shares. "
            if purposive
            else ""
        )
        + f"The {len(drawn_units)} informants drawn in the sampled clusters are not "
        f"self-weighting either: their inclusion probabilities differ by role ({ranges}), so a "
        "drawn resident stands for many more people of the frame than a drawn official. The "
        "design-weighted (Horvitz-Thompson, Hajek ratio) share weights each drawn informant by "
        "1/pi, and its interval comes from the design (clusters as primary units, "
        f"{drawn.to_dict().get('n_clusters', len(set(drawn_units['cluster'])))} of them), not from "
        "a binomial formula. Where the weighted and unweighted shares differ, the views of the "
        "rarely drawn (residents) and of the often drawn (officials) differ."
    )
    return [heading, text, ("table", pd.DataFrame(rows), {"float_format": "{:.0f}"})], facts


def design_parts(study, frame: pd.DataFrame | None, informants: pd.DataFrame) -> tuple[list, dict]:
    """How the informants were chosen: the redrawn two-stage sample, or one sentence.

    Returns ``(parts, facts)``; ``facts`` are the values to record (empty when nothing is drawn).
    """
    if not study.two_stage:
        return [
            f"The informants were chosen by {study.selection} selection, as the study describes: "
            "there is no sampling frame, and no inclusion probabilities or weights to report."
        ], {}
    drawn, rows, reason = redrawn_sample(study, frame)
    if drawn is None:
        return [reason], {}
    check = sampling.compare_with_informants(drawn, informants)
    agrees = bool(check["agrees"].all())
    facts = {f"sampling_{k}": v for k, v in drawn.to_dict().items()}
    facts["sampling_matches_data"] = agrees
    cluster_label = " and ".join(sorted(set(rows["cluster_type"])))
    shown = drawn.sample.rename(columns={"pi_stage1": "pi_1", "pi_stage2": "pi_2"})
    frame_table = drawn.frame.rename(columns={"pi_stage1": "pi_1"})
    frame_table = frame_table.rename(columns=lambda c: c.replace("size_", "listed "))
    draw_columns = [
        "random_order",
        "cluster",
        "size",
        "pi_stage1",
        "interval_from",
        "interval_to",
        "selection_point",
        "selected",
    ]
    parts = [
        DESIGN_INTRO,
        sampling.describe(drawn, cluster_label=cluster_label),
        f"**The frame** (one row a cluster, {len(frame_table)} in all, the selected ones first; "
        "`pi_1` is the stage-1 inclusion probability):",
        (
            "table",
            frame_table.sort_values("selected", ascending=False, kind="stable").head(20),
            {"float_format": "{:.3f}"},
        ),
        "**The draw** (clusters in their random order, the first rows; a cluster is taken when a "
        "selection point falls in its interval of the cumulated probabilities):",
        (
            "table",
            drawn.draw[draw_columns].rename(columns={"pi_stage1": "pi_1"}).head(20),
            {"float_format": "{:.3f}"},
        ),
        "**The sample** (stage 2; `pi` = `pi_1` × `pi_2`, `weight` = 1/`pi`):",
        (
            "table",
            shown[["unit_id", "cluster", "kecamatan", "stratum", "pi_1", "pi_2", "pi", "weight"]],
            {"float_format": "{:.4f}"},
        ),
        "The clusters and the number of informants per cluster and role in the data are "
        + (
            "exactly those of this draw."
            if agrees
            else "**not** those of this draw: the data were not drawn with this seed."
        ),
    ]
    return parts, facts


def case_matrix_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    households: pd.DataFrame | None,
    codebook: pd.DataFrame,
    site: str,
) -> list:
    """The case-ordered meta-matrix when the study's households name its informants, else a sentence."""
    usable = (
        households is not None
        and "informant_id" in households.columns
        and households["informant_id"].isin(informants["informant_id"]).any()
    )
    if not usable:
        return [
            "The data hold no household incomes for this study's informants "
            "(`households.csv` with `informant_id`), so there is no case-ordered meta-matrix "
            "sorting informants by their income change."
        ]
    themes = [t for t in ("programmes", "outcomes") if t in set(codebook["theme"])]
    meta = q.case_ordered_meta_matrix(
        counted, informants, households, codebook, site=site, themes=themes or None
    )
    money = {c: meta[c].map("{:,.0f}".format) for c in ("income_before", "income_after", "change")}
    return [
        "### Case-ordered meta-matrix",
        "The informants whose household incomes the data hold are sorted by the change in their "
        "household's monthly income, largest rise first, next to what they said about the "
        "programme and its outcomes. If credit use and talk of rising income line up with the "
        "largest rises, the display shows it; if not, that is worth knowing too.",
        ("table", meta.assign(**money), {"float_format": "{:,.0f}"}),
    ]


def reliability(segments: pd.DataFrame, site: str) -> tuple[agr.Agreement | None, str]:
    """The agreement of the study's coders, or None and the reason it cannot be computed."""
    try:
        return agr.agreement(segments, site=site), ""
    except ValueError as exc:
        coders = segments.loc[segments["site"] == site, "coder"].nunique()
        return None, (
            f"Agreement between coders is not computable for this study: {exc} "
            f"(the segments have {coders} coder{'s' if coders != 1 else ''}). "
            "Its findings rest on one reading of the segments."
        )


AGREEMENT_SEED = 20170801  # seeds the bootstrap over segments of the coder-pairs table


#: The agreement table's columns on the page (the CSV has every statistic) and their formats.
AGREEMENT_COLUMNS = [
    "code",
    "prevalence",
    "percent_agreement",
    "kappa",
    "kappa_low",
    "kappa_high",
    "alpha",
    "alpha_verdict",
]
#: The coder-pairs table's columns on the page (the CSV adds units, prevalence, intervals).
PAIR_COLUMNS = [
    "coders",
    "segments",
    "percent_agreement",
    "pabak",
    "kappa",
    "fleiss_kappa",
    "alpha",
    "alpha_verdict",
]
AGREEMENT_FORMATS = {
    "prevalence": "share",
    "percent_agreement": lambda v: formatting.percent(v, 1),
}


def agreement_parts(
    segments: pd.DataFrame, site: str, labels: dict, *, seed: int = AGREEMENT_SEED
) -> tuple[list, dict]:
    """The agreement section: text, per-code table (download), figure and the coder-pairs table.

    The pairs table gives kappa and alpha for the same coders (each pair, then all coders), with
    PABAK and bootstrap intervals over segments; without two coders, why there is none.
    """
    result, reason = reliability(segments, site)
    if result is None:
        return [reason], {"agr_computable": False}
    d = result.to_dict()
    d["fleiss_sentence"] = agr.describe_fleiss(result)
    facts = {f"agr_{k}": v for k, v in d.items()}
    facts["agr_computable"] = True
    per_code = result.to_frame().assign(code=lambda t: t["code"].map(labels).fillna(t["code"]))
    shown = pd.concat(
        [per_code.tail(1), per_code.iloc[:-1].sort_values("prevalence", ascending=False)]
    )
    parts = [
        agreement_text(d),
        (
            "download",
            shown,
            f"agreement_{site}",
            "Agreement per code (first row: all codes pooled)",
            12,
            {"columns": AGREEMENT_COLUMNS, "formats": AGREEMENT_FORMATS},
        ),
        (
            "figure",
            lambda: agr.plot_agreement(
                result, title="Inter-coder agreement per code", labels=labels
            ),
        ),
        "**The same coders, side by side.** Cohen's kappa compares two coders, Fleiss' kappa "
        "and Krippendorff's alpha any number; to compare like with like, the table gives them "
        "for each pair of coders and for all coders together, with PABAK (prevalence- and "
        "bias-adjusted kappa) beside the raw agreement, which the many codes both coders left "
        "off inflate. The intervals come from a bootstrap that resamples segments, because the "
        "pooled units of one segment are not independent.",
        (
            "download",
            agr.coder_pairs_table(segments, site=site, seed=seed),
            f"agreement_pairs_{site}",
            "Agreement of each pair of coders and of all coders, with bootstrap intervals",
            10,
            {"columns": PAIR_COLUMNS, "formats": AGREEMENT_FORMATS, "float_format": "{:.3f}"},
        ),
    ]
    return parts, facts


def agreement_text(d: dict) -> str:
    """The paragraphs on inter-coder agreement, from :meth:`Agreement.to_dict` (and fleiss sentence)."""
    return (
        f"{d['segments_double_coded']} segments were coded independently by a second coder "
        f"({d['second_coder']}). For one code, a **unit** is a double-coded segment and its value "
        "is whether the coder applied the code (presence or absence); the overall statistics pool "
        f"every (segment, code) decision, {d['units']} units. The primary and the second coder "
        f"agreed on {d['percent_agreement']:.1f} % of the decisions. Most codes are absent from "
        "most segments, so raw agreement flatters; Cohen's kappa {cite:p}`cohen1960` discounts "
        f"the agreement expected by chance: {d['kappa']:.2f} (95 % confidence interval "
        f'{d["kappa_low"]:.2f} to {d["kappa_high"]:.2f}), "{d["kappa_band"]}" agreement in the '
        "bands of Landis and Koch {cite:p}`landis1977`. Fleiss' kappa {cite:p}`fleiss1971`: "
        f"{d['fleiss_sentence']}\n\n"
        "Krippendorff's alpha {cite:p}`krippendorff2019`, at the nominal level, uses every "
        f"coder's values and tolerates segments a coder did not code: alpha = {d['alpha']:.3f}, "
        f'which is "{d["alpha_verdict"]}" by Krippendorff\'s standard (data are relied on from '
        "0.800; between 0.667 and 0.800 only tentative conclusions are drawn). Per code, the "
        f"picture is uneven: {d['codes_alpha_reliable']} of {d['codes']} codes reach 0.800 and "
        f"{d['codes_alpha_below_tentative']} stay below 0.667. Counts of those codes deserve the "
        "least trust, and a rare code's statistics rest on few segments."
    )


def income_intro(study) -> str:
    """What the income chapter checks: the study's published claim, or that it makes none."""
    c = study.claim
    parts = []
    if c["claim_pct_low"] is not None:
        low, high = c["claim_pct_low"], c["claim_pct_high"] or c["claim_pct_low"]
        parts.append(f"{low:g} %" if low == high else f"{low:g} % to {high:g} %")
    if c["claim_rp_low"] is not None:
        low, high = c["claim_rp_low"], c["claim_rp_high"] or c["claim_rp_low"]
        parts.append(
            f"Rp {low:,.0f} a month" if low == high else f"Rp {low:,.0f} to Rp {high:,.0f} a month"
        )
    lead = site_sentence(study)
    if not parts:
        return (
            f"{lead} The study makes no published claim about the size of the income change "
            "(the registry's claim columns are empty): this chapter estimates the change and "
            "puts its size next to what careful evaluations of microcredit find."
        )
    return (
        f"{lead} It claims that after {study.programme} the income of the households it spoke "
        f"to rose on average by {' or '.join(parts)}. This chapter estimates that change as "
        "carefully as the households allow, says how far the data support the claim, and puts "
        "its size next to what careful evaluations of microcredit find."
    )


def calibration_text(notes: dict) -> str:
    """How the illustrative incomes were made, when the data are the shipped illustrative ones."""
    c = notes.get("calibration")
    if not c:
        return (
            "The data are not the generated illustrative edition: agreement or disagreement with "
            "the published claims is a finding of these data."
        )
    return (
        "The data are the illustrative edition, so the agreement is **by construction**: the "
        f"generator scaled the incomes so that the mean percent change is "
        f"{c['target_mean_pct']:.0f} % and the mean change Rp {c['target_mean_abs']:,.0f} (the "
        "midpoints of the published ranges) before rounding to the nearest Rp "
        f"{c['round_to']:,.0f}. Only a researcher's own field data can support or contradict "
        "the claim."
    )


def claims_text(check: pd.DataFrame, notes: dict) -> str:
    """The sentence above the reproduction table: no claims, by construction, or field data."""
    if check.empty:
        return (
            "The registry records no published claim of this study that the data could check "
            "(claim columns of `study/studies.csv`): there is nothing to reproduce."
        )
    return calibration_text(notes)


RECONSTRUCTED = "Illustrative reconstruction"


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
    facts["n_reconstructed"] = int(description.fillna("").str.startswith(RECONSTRUCTED).sum())
    return facts


def reconstruction_note(facts: dict) -> str:
    """The note on reconstructed rows, when the inventory has any."""
    n = facts.get("n_reconstructed", 0)
    if not n:
        return ""
    return (
        ":::{note}\n**What is documented and what is reconstructed.** Programmes are listed with "
        "the regulation or guideline that governs them where the studies name one. Where a study "
        f"reports what a programme does but names none, the row is built from its findings: the "
        f"{n} such rows are **illustrative reconstructions**, and their description says so.\n:::"
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
        sentence = (
            f"**{label}**: {len(rows)} programme{'s' if len(rows) != 1 else ''}, {central} of them "
            "national"
            + (
                f"; {len(own)} regency programme{'s' if len(own) != 1 else ''} reach poor "
                "households missing from the central data (`regency_innovation`)."
                if len(own)
                else "."
            )
        )
        shown = inventory.inventory_table(programmes, site)
        if "regency_innovation" in shown and not shown["regency_innovation"].fillna(False).any():
            shown = shown.drop(columns="regency_innovation")
        parts += [sentence, ("table", shown)]
    missing = [label for site, label in sites.items() if site not in labels]
    if missing:
        parts.append(
            "The inventory lists no programme for "
            + ", ".join(missing)
            + " (no rows of `programmes.csv` with that site)."
        )
    return parts


def innovation_parts(programmes: pd.DataFrame, sites: dict[str, str] | None = None) -> list:
    """The regency's own programmes for households the central data miss, or why there are none."""
    from analysis.methods import inventory

    own = inventory.regency_innovations(programmes)
    if own.empty:
        return [
            "No programme of the inventory is marked as a regency programme reaching poor "
            "households missing from the central data (`regency_innovation`)."
        ]
    return [
        "These programmes are like the central ones but paid from a regency budget, for poor "
        "households that the central data miss.",
        ("table", own.drop(columns="source"), {"labels": {"site": sites or {}}}),
    ]


def _n(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def synthesis_data_text(synth, edition: str) -> str:
    """What the data hold for each study: informants by kind, programmes, households."""
    d = synth.numbers
    lines = []
    for site, label in synth.labels.items():
        kinds = [
            _n(d[f"{site}_officials"], "official") if d[f"{site}_officials"] else "",
            _n(d[f"{site}_residents"], "resident") if d[f"{site}_residents"] else "",
            f"{d[f'{site}_staff']} kelurahan staff" if d[f"{site}_staff"] else "",
        ]
        kinds = ", ".join(k for k in kinds if k) or "no informants"
        clusters = (
            f" from {_n(d[f'{site}_clusters'], 'sampled cluster')}" if d[f"{site}_clusters"] else ""
        )
        households = (
            f"; {_n(d[f'{site}_households'], 'household')} with incomes"
            if d[f"{site}_households"]
            else "; no household incomes"
        )
        lines.append(
            f"- **{label}**: {_n(d[f'{site}_informants'], 'informant')} ({kinds}){clusters}; "
            f"{_n(d[f'{site}_programmes'], 'programme')} in the inventory{households}."
        )
    return (
        f"In the {edition} data:\n\n"
        + "\n".join(lines)
        + "\n\nThe table below is computed from the data files; the coding agreement is that of "
        "the double-coded segments (Krippendorff's alpha, nominal level: 0.800 or more reliable, "
        "0.667 to 0.800 for tentative conclusions only {cite:p}`krippendorff2019`)."
    )


def synthesis_support_text(synth, edition: str) -> str:
    """The verdict counts per study and how the income claims fare (never "reproduced")."""
    d = synth.numbers
    parts = [
        f"{label}: {d[f'{site}_strong']} of {d[f'{site}_findings']} findings strong and "
        f"{d[f'{site}_moderate']} moderate"
        for site, label in synth.labels.items()
    ]
    claims = d["income_claims_text"]
    construction = (
        " On the illustrative edition these verdicts show how the rule works and nothing more: "
        "the generator was written to contain the studies' findings and income figures, so "
        "their support is by construction. Only field codings and incomes can support or "
        "contradict a finding."
        if edition == "illustrative"
        else ""
    )
    return f"In the {edition} data, " + "; ".join(parts) + f"; and {claims}." + construction


def synthesis_limits_parts(synth, edition: str) -> list:
    """Small samples, recalled incomes and, where a study reports top-down planning, who says so."""
    d = synth.numbers
    sizes = "; ".join(
        f"{label} {_n(d[f'{site}_informants'], 'informant')}"
        + (
            f" (one informant moves a share by {d[f'{site}_one_informant_pp']:.0f} percentage points)"
            if d[f"{site}_one_informant_pp"]
            else ""
        )
        for site, label in synth.labels.items()
    )
    parts = [
        "**Small samples.** " + f"In the {edition} data: {sizes}. Neither a share of informants "
        "nor a verdict says how common a view or an outcome is; they say what was said, and by whom."
    ]
    for site, result in synth.income.items():
        label = synth.labels[site]
        real = d.get(f"{site}_real_mean_pct_change")
        real_text = (
            f" Deflated with national consumer prices, the mean of the households' percent changes "
            f"goes from {d[f'{site}_mean_pct_change']:.1f} % to {real:.1f} %."
            if real is not None
            else " The incomes could not be deflated (no consumer prices for their years in the "
            "data): the changes are nominal."
        )
        interval = (
            f"the paired t 95 % interval of the mean change runs from Rp "
            f"{d[f'{site}_t_ci95_low']:,.0f} to Rp {d[f'{site}_t_ci95_high']:,.0f} a month"
            if d[f"{site}_t_ci95_low"] is not None
            else "every household's income changed by the same amount, so there is no t interval"
        )
        parts.append(
            f"**Incomes, {label}.** {_n(result.n, 'household')}: {interval}. The 'before' incomes (of "
            f"{d[f'{site}_income_year_before']}) were recalled after the programme, not measured "
            "at the time; recalled living standards gave weak and biased signals of change "
            "{cite:p}`ravallion2012`." + real_text + " And a change is not an effect: without "
            "comparable households that did not receive the programme, the rise cannot be "
            "credited to it."
        )
    if d.get("top_down_site"):
        label = synth.labels[d["top_down_site"]]
        share = (
            f" ({d['top_down_government_pct']:.0f} %)"
            if d["top_down_government_pct"] is not None
            else ""
        )
        parts += [
            f"**Top-down planning, seen from the inside ({label}).** Of the "
            f"{d['top_down_supporters']} informants who support the finding that planning is "
            f"top-down, {d['top_down_government']} speak for the government{share}: "
            f"{d['top_down_government']} of the {d['top_down_government_total']} government "
            f"informants, against {d['top_down_residents']} of the "
            f"{d['top_down_residents_total']} residents. Officials describing their own planning "
            "are well placed to say where decisions are made and poorly placed to say how they "
            "look from a neighbourhood whose proposals were not taken up; residents' accounts and "
            "independent records are needed before the finding can be called corroborated.",
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
    year = f"A {study.fieldwork_year} study" if study.fieldwork_year else "A study"
    return income.PROGRAMME_HISTORY.replace("{study}", year)


def real_terms(households: pd.DataFrame, cpi: pd.DataFrame | None, *, seed: int):
    """(real frame, real IncomeChange, facts) or (None, None, {}) with the reason in facts.

    The incomes are deflated with the national CPI series; when the data have no price series or
    it does not cover the incomes' years, the chapter gives nominal changes only and says why.
    """
    from analysis.methods import income

    if cpi is None:
        return None, None, {"real_reason": "the data hold no consumer price series"}
    try:
        real = income.deflate(households, cpi)
    except income.IncomeDataError as problem:  # CpiYearMissingError among them
        return None, None, {"real_reason": str(problem)}
    base_year, from_year = int(real.attrs["price_base_year"]), int(households["year_before"].min())
    real_result = income.income_change(
        real,
        before="income_before_real",
        after="income_after_real",
        prices=f"real Rupiah of {base_year}",
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

    parts = [notes.get("years_note", ""), programme_history(study)]
    if real_result is None:
        return parts + [
            f"**Nominal changes only.** The incomes cannot be deflated: {facts['real_reason']}. "
            "Every figure of this chapter is in the Rupiah of the households' own years, and the "
            "claims are checked in nominal terms only."
        ]
    parts.append(
        "Deflated with national consumer price inflation, December on December, as BPS reports "
        "it (`public/cpi_inflation_national.csv`), both incomes are in the prices of "
        f"{facts['price_base_year']}: prices rose {facts['inflation_pct']:.1f} % between December "
        f"{facts['price_from_year']} and December {facts['price_base_year']}. In real terms the "
        f"mean change is Rp {real_result.mean_abs_change:,.0f} a month and the mean of percent "
        f"changes {real_result.mean_pct_change:.1f} %. National inflation is a rough deflator for "
        "one place; no regional price series is in the data."
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
        ("table", check),
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


def informant_matrix_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame
) -> list:
    """The informant x code heatmap, or one sentence when no segment names its informant."""
    matrix = q.informant_code_matrix(counted, informants, codebook)
    if matrix.empty or matrix.shape[1] == 0 or not matrix.to_numpy().any():
        return [
            "No coded segment of this study names its informant (`segments.csv` without "
            "`informant_id`, or only observation notes and documents), so there is no informant "
            "× code matrix."
        ]
    return [
        (
            "figure",
            lambda: q.plot_count_heatmap(
                q.label_columns(matrix, codebook),
                title="Segments per informant and code",
                xlabel="code (grouped by theme)",
                ylabel="informant (in role order)",
                count_label="segments (number)",
            ),
        )
    ]


def clustered_figure_parts(counts: pd.DataFrame) -> list:
    """The heatmap of distinct codes per informant and theme, or why there is none."""
    if counts.empty or counts.shape[1] == 0:
        return [
            "No informant of this study has a coded segment (segments without `informant_id`, "
            "or only notes and documents), so there is no heatmap of codes per informant and theme."
        ]
    return [
        (
            "figure",
            lambda: q.plot_conceptually_clustered(
                counts, title="Distinct codes per informant and theme"
            ),
        )
    ]


def cooccurrence_figure_parts(
    coefficient: pd.DataFrame, codebook: pd.DataFrame, within: str
) -> list:
    """The co-occurrence heatmap within segments or informants, or why there is none."""
    if coefficient.empty or min(coefficient.shape) < 2:
        unit = "segment" if within == "segment" else "informant"
        return [
            f"Fewer than two codes occur in this study's {unit}s, so there is no co-occurrence "
            f"heatmap within {unit}s."
        ]
    return [
        (
            "figure",
            lambda: q.plot_cooccurrence(
                q.label_columns(coefficient, codebook), title=f"Code co-occurrence within {within}s"
            ),
        )
    ]


def checklist_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame
) -> tuple[list, dict]:
    """The checklist of poverty indicators by role, or why there is none; facts for the prose."""
    checklist = q.checklist_matrix(counted, informants, codebook, theme="indicators")
    named = checklist.sum().sort_values(ascending=False, kind="stable")
    facts = {
        "top_indicator": named.index[0] if len(named) else "none",
        "top_indicator_n": int(named.iloc[0]) if len(named) else 0,
    }
    if checklist.empty or checklist.shape[1] == 0:
        return [
            "No informant of this study named a code of the theme `indicators`, so there is no "
            "checklist."
        ], facts
    return [("table", q.checklist_summary(checklist, informants), {"index": True})], facts


VERDICT_NAMES = ("strong", "moderate", "weak", "not supported")
#: The findings table as a reader meets it: the verdict beside the evidence, before the (long)
#: reliability note, so that it is never the column cut off at the page's right edge.
FINDING_COLUMNS = [
    "finding",
    "verdict",
    "informants (k/N)",
    "share % (95 % CI)",
    "segments",
    "source_types",
    "reliability",
]


def findings_parts(
    counted: pd.DataFrame,
    informants: pd.DataFrame,
    codebook: pd.DataFrame,
    site: str,
    segments: pd.DataFrame,
    edition: str | None = None,
) -> tuple[list, dict]:
    """The findings table with reliability and the quotations, or why there is none; verdict counts.

    In the illustrative edition every quotation is marked as invented.
    """
    facts = {f"n_findings_{v.replace(' ', '_')}": 0 for v in VERDICT_NAMES} | {"n_findings": 0}
    try:
        findings = q.findings_table(
            counted, informants, codebook, site=site, reliability=segments, edition=edition
        )
    except ValueError as problem:
        return [f"No findings table: {problem}."], facts
    if findings.empty:
        return [
            "The codebook names no finding of this study, so there is no findings table."
        ], facts
    for verdict in VERDICT_NAMES:
        facts[f"n_findings_{verdict.replace(' ', '_')}"] = int(
            (findings["verdict"] == verdict).sum()
        )
    facts["n_findings"] = len(findings)
    findings["informants (k/N)"] = (
        findings["informants"].astype(str) + "/" + findings["informants_total"].astype(str)
    )
    findings["share % (95 % CI)"] = [
        f"{100 * s:.0f} ({100 * lo:.0f}-{100 * hi:.0f})" if s == s else ""
        for s, lo, hi in findings[["share_informants", "ci_low", "ci_high"]].to_numpy()
    ]
    return [
        ("table", findings[[c for c in FINDING_COLUMNS if c in findings]]),
        "The quotations that illustrate each finding, from consenting informants only "
        "(Indonesian, English gloss in brackets, informant id in parentheses"
        + (
            "; every one invented for the illustrative dataset, and marked so):"
            if edition == "illustrative"
            else "):"
        ),
        ("table", findings[["finding", "quotes"]]),
    ], facts
