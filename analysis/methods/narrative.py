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

from analysis import formatting
from analysis.i18n import N_, _, ngettext
from analysis.literal import markdown_literal as _text
from analysis.methods import agreement as agr
from analysis.methods import qualitative as q
from analysis.methods import sampling

DESIGN_INTRO = N_(
    "The study drew its informants by two-stage cluster sampling, and the draw is redone here "
    "from its seed, so that another team can repeat it: first the clusters (desa or "
    "{term}`kelurahan`) from a frame, then informants within each selected cluster. The frame "
    "(`study/sampling_frame.csv`) lists the clusters with the number of people listed in each "
    "(officials and members of poor households). The draw reports its inclusion probabilities "
    "and design weights."
)


def _num(value, digits: int = 0, *, grouping: bool = False, spec: str = "f") -> str:
    """A number in a sentence through the one formatter (:mod:`analysis.formatting`): ``digits``
    decimals, or with ``spec="g"`` at most ``digits`` significant digits ("0.012", "35").

    ``grouping`` is kept for the callers: the formatter groups thousands in every number.
    """
    if spec == "g":
        value = float(format(float(value), f".{digits or 1}g"))
        digits = next((d for d in range(0, 16) if round(value, d) == value), 15)
    return formatting.number(value, digits)


def _pct(value, digits: int = 0) -> str:
    """A percentage in a sentence, "35.5 %" ("35,5 %" in Indonesian)."""
    return _num(value, digits) + " %"


def _rp(value) -> str:
    """Whole Rupiah in a sentence, "Rp 1,250,000" ("Rp 1.250.000" in Indonesian)."""
    return "Rp " + _num(value, 0, grouping=True)


def _g2(value) -> str:
    """A probability with at most two significant digits ("0.012"), in the edition's digits."""
    return _num(value, 2, spec="g")


def _fixed(digits: int):
    """A table format: ``digits`` decimals, no thousands separator, the edition's decimal mark."""
    return lambda value: _num(value, digits)


def _role_words(role: str) -> str:
    """A role identifier as readers read it (the contract's label)."""
    return q.role_label(role) if role in q.ROLE_LABELS else role.replace("_", " ")


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


def levels_sentence(informants: pd.DataFrame) -> str:
    """The levels and roles the informants speak from, in the order of the chain of government."""
    if informants.empty:
        return _("The data hold no informants for this study.")
    from analysis.data.contract import LEVELS, ROLE_ORDER, label

    levels = [lv for lv in LEVELS if lv in set(informants["level"])]
    roles = [r for r in ROLE_ORDER if r in set(informants["role"])]
    level_text = ngettext("{n} level ({levels})", "{n} levels ({levels})", len(levels)).format(
        n=len(levels), levels=", ".join(label("level", lv) for lv in levels)
    )
    role_text = ngettext("{n} role ({roles})", "{n} roles ({roles})", len(roles)).format(
        n=len(roles), roles=", ".join(_text(_role_words(r)) for r in roles)
    )
    return _("The informants speak from {levels} in {roles}.").format(
        levels=level_text, roles=role_text
    )


def redrawn_sample(study, frame: pd.DataFrame | None):
    """(the redrawn two-stage sample, the study's frame rows, "") or (None, None, why not)."""
    rows = None if frame is None else frame[frame["site"] == study.site]
    design = study.sampling_design
    if design is None or rows is None or rows.empty:
        missing = (
            _("the registry gives no design (sample_clusters, sample_per_cluster, sampling_seed)")
            if design is None
            else _("the data hold no sampling frame for it (study/sampling_frame.csv)")
        )
        return (
            None,
            None,
            _(
                "The study drew its informants by two-stage cluster sampling, but "
                "{missing}: the draw is not redone here."
            ).format(missing=missing),
        )
    if design["n_clusters"] > rows["cluster"].nunique():
        return (
            None,
            None,
            _(
                "The design draws {n} clusters but the frame lists only {listed}: "
                "the draw is not redone here."
            ).format(n=design["n_clusters"], listed=rows["cluster"].nunique()),
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
    heading = _("### Design-weighted shares")
    drawn, _frame, reason = redrawn_sample(study, frame)
    if drawn is None:
        return [heading, reason + " " + _("There are no inclusion probabilities to weight by.")], {}
    weighted = sampling.informant_inclusion(drawn, informants)
    drawn_units = weighted[weighted["pi"].notna()]
    try:
        support = q.finding_supporters(counted, informants, codebook, site=study.site)
    except KeyError:
        support = pd.DataFrame()
    if drawn_units.empty or support.empty or len(support.columns) == 0:
        why = (
            _("no informant of the data is a unit of the redrawn sample")
            if drawn_units.empty
            else _("the codebook names no finding for this study")
        )
        return [heading, _("No design-weighted share can be given: {why}.").format(why=why)], {}
    rows = []
    for finding in support.columns:
        units = drawn_units.assign(
            y=drawn_units["informant_id"].map(support[finding]).fillna(False)
        )
        share = sampling.design_weighted_share(units, indicator="y", pi="pi", stratum=None)
        rows.append(
            {
                _("finding"): finding,
                _("all informants (k/N)"): f"{int(support[finding].sum())}/{len(support)}",
                _("drawn informants (k/n)"): f"{int(units['y'].sum())}/{len(units)}",
                _("unweighted share of drawn (%)"): 100 * share.unweighted,
                _("design-weighted share (%)"): 100 * share.share,
                _(
                    "95 % CI (design-based)"
                ): f"{_num(100 * share.ci95_low)}-{_num(100 * share.ci95_high)}",
            }
        )
    purposive = int(weighted["pi"].isna().sum())
    pis = drawn_units.groupby("role")["pi"].agg(["min", "max"])
    ranges = "; ".join(
        _("{role} {low} to {high}").format(role=_text(_role_words(role)), low=_g2(lo), high=_g2(hi))
        for role, (lo, hi) in pis.iterrows()
    )
    facts = {
        "weighted_drawn_informants": int(len(drawn_units)),
        "weighted_purposive_informants": purposive,
    }
    text = (
        _(
            "The shares above treat the informants as if each stood for the same number of "
            "people, as in a simple random sample. They do not. "
        )
        + (
            ngettext(
                "{n} informant (officials above the sampled clusters, for instance) were chosen "
                "purposively, outside the draw: they have no inclusion probability and are left "
                "out of the weighted shares. ",
                "{n} informants (officials above the sampled clusters, for instance) were chosen "
                "purposively, outside the draw: they have no inclusion probability and are left "
                "out of the weighted shares. ",
                purposive,
            ).format(n=purposive)
            if purposive
            else ""
        )
        + _(
            "The {n} informants drawn in the sampled clusters are not self-weighting either: "
            "their inclusion probabilities differ by role ({ranges}), so a drawn resident stands "
            "for many more people of the frame than a drawn official. The design-weighted "
            "(Horvitz-Thompson, Hajek ratio) share weights each drawn informant by 1/pi, and its "
            "interval comes from the design (clusters as primary units, {clusters} of them), not "
            "from a binomial formula. Where the weighted and unweighted shares differ, the views "
            "of the rarely drawn (residents) and of the often drawn (officials) differ."
        ).format(
            n=len(drawn_units),
            ranges=ranges,
            clusters=drawn.to_dict().get("n_clusters", len(set(drawn_units["cluster"]))),
        )
    )
    return [heading, text, ("table", pd.DataFrame(rows), {"float_format": "{:.0f}"})], facts


#: How informants were chosen, as the design sentence names it ("by purposive selection").
SELECTION_WORDS = {
    "purposive": N_("purposive"),
    "census": N_("census"),
    "other": N_("other"),
    "two-stage cluster": N_("two-stage cluster"),
}
#: Headers of the sampling tables as readers see them.
SAMPLING_HEADERS = {
    "cluster": N_("cluster"),
    "size": N_("size"),
    "cluster_type": N_("cluster type"),
    "kecamatan": N_("kecamatan"),
    "pi_1": N_("pi 1"),
    "pi_2": N_("pi 2"),
    "pi": N_("pi"),
    "selected": N_("selected"),
    "random_order": N_("random order"),
    "interval_from": N_("interval from"),
    "interval_to": N_("interval to"),
    "selection_point": N_("selection point"),
    "unit_id": N_("unit id"),
    "stratum": N_("stratum"),
    "weight": N_("weight"),
}


def _sampling_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """A sampling table with its headers in the current language.

    Columns the contract labels (``stratum``, ``cluster_type``) get their labels first, since
    a translated header is no longer a contract field.
    """
    from analysis.data import contract

    out = frame.copy()
    for c in out.columns:
        if c in SAMPLING_HEADERS and contract.labelled(c):
            out[c] = out[c].map(lambda v, n=c: v if formatting.missing(v) else contract.label(n, v))
    return out.rename(columns=lambda c: _(SAMPLING_HEADERS[c]) if c in SAMPLING_HEADERS else c)


def _decimals(frame: pd.DataFrame, digits: int) -> dict:
    """Formats of a table's non-whole float columns (as ``float_format="{:.3f}"`` chose them):
    ``digits`` decimals with the edition's decimal mark, keyed by the shown header."""
    return {
        (_(SAMPLING_HEADERS[c]) if c in SAMPLING_HEADERS else c): _fixed(digits)
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
        and not frame[c].dropna().map(formatting.is_whole).all()
    }


def design_parts(study, frame: pd.DataFrame | None, informants: pd.DataFrame) -> tuple[list, dict]:
    """How the informants were chosen: the redrawn two-stage sample, or one sentence.

    Returns ``(parts, facts)``; ``facts`` are the values to record (empty when nothing is drawn).
    """
    if not study.two_stage:
        return [
            _(
                "The informants were chosen by {selection} selection, as the study describes: "
                "there is no sampling frame, and no inclusion probabilities or weights to report."
            ).format(selection=_text(_(SELECTION_WORDS.get(study.selection, study.selection))))
        ], {}
    drawn, rows, reason = redrawn_sample(study, frame)
    if drawn is None:
        return [reason], {}
    check = sampling.compare_with_informants(drawn, informants)
    agrees = bool(check["agrees"].all())
    facts = {f"sampling_{k}": v for k, v in drawn.to_dict().items()}
    facts["sampling_matches_data"] = agrees
    cluster_label = _text(_(" and ").join(sorted(set(rows["cluster_type"]))))
    shown = drawn.sample.rename(columns={"pi_stage1": "pi_1", "pi_stage2": "pi_2"})
    frame_table = drawn.frame.rename(columns={"pi_stage1": "pi_1"})
    frame_table = frame_table.rename(
        columns=lambda c: (
            _("listed {role}").format(role=_role_words(c[len("size_") :]))
            if c.startswith("size_")
            else c
        )
    )
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
    frame_head = frame_table.sort_values("selected", ascending=False, kind="stable").head(20)
    draw_head = drawn.draw[draw_columns].rename(columns={"pi_stage1": "pi_1"}).head(20)
    sample = shown[["unit_id", "cluster", "kecamatan", "stratum", "pi_1", "pi_2", "pi", "weight"]]
    parts = [
        _(DESIGN_INTRO),
        sampling.describe(drawn, cluster_label=cluster_label),
        _(
            "**The frame** (one row a cluster, {n} in all, the selected ones first; "
            "`pi_1` is the stage-1 inclusion probability):"
        ).format(n=len(frame_table)),
        ("table", _sampling_headers(frame_head), {"formats": _decimals(frame_head, 3)}),
        _(
            "**The draw** (clusters in their random order, the first rows; a cluster is taken "
            "when a selection point falls in its interval of the cumulated probabilities):"
        ),
        ("table", _sampling_headers(draw_head), {"formats": _decimals(draw_head, 3)}),
        _("**The sample** (stage 2; `pi` = `pi_1` × `pi_2`, `weight` = 1/`pi`):"),
        ("table", _sampling_headers(sample), {"formats": _decimals(sample, 4)}),
        _(
            "The clusters and the number of informants per cluster and role in the data are "
            "exactly those of this draw."
        )
        if agrees
        else _(
            "The clusters and the number of informants per cluster and role in the data are "
            "**not** those of this draw: the data were not drawn with this seed."
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
            _(
                "The data hold no household incomes for this study's informants "
                "(`households.csv` with `informant_id`), so there is no case-ordered meta-matrix "
                "sorting informants by their income change."
            )
        ]
    themes = [t for t in ("programmes", "outcomes") if t in set(codebook["theme"])]
    meta = q.case_ordered_meta_matrix(
        counted, informants, households, codebook, site=site, themes=themes or None
    )
    money = {
        c: meta[c].map(lambda v: _num(v, 0, grouping=True))
        for c in ("income_before", "income_after", "change")
    }
    shown = meta.assign(**money)
    if "business_type" in shown:
        from analysis.data import contract

        shown["business_type"] = shown["business_type"].map(
            lambda v: v if formatting.missing(v) else contract.label("business_type", v)
        )
    return [
        _("### Case-ordered meta-matrix"),
        _(
            "The informants whose household incomes the data hold are sorted by the change in "
            "their household's monthly income, largest rise first, next to what they said about "
            "the programme and its outcomes. If credit use and talk of rising income line up with "
            "the largest rises, the display shows it; if not, that is worth knowing too."
        ),
        (
            "table",
            q.with_headers(shown),
            {"formats": {q.header("change_pct"): lambda v: _num(v, 0, grouping=True)}},
        ),
    ]


def reliability(segments: pd.DataFrame, site: str) -> tuple[agr.Agreement | None, str]:
    """The agreement of the study's coders, or None and the reason it cannot be computed."""
    try:
        return agr.agreement(segments, site=site), ""
    except ValueError as exc:
        coders = segments.loc[segments["site"] == site, "coder"].nunique()
        if coders < 2:
            return None, _(
                "This study has one coder, so agreement between coders cannot be computed: its "
                "findings rest on one reading of the segments."
            )
        return None, ngettext(
            "Agreement between coders is not computable for this study: {problem} "
            "(the segments have {n} coder). Its findings rest on one reading of the segments.",
            "Agreement between coders is not computable for this study: {problem} "
            "(the segments have {n} coders). Its findings rest on one reading of the segments.",
            coders,
        ).format(problem=_text(exc), n=coders)


AGREEMENT_SEED = 20170801  # seeds the bootstrap over segments of the coder-pairs table


#: The agreement table's columns on the page (the CSV has every statistic, kappa's intervals
#: too) and their formats; alpha's verdict judges its bootstrap interval.
AGREEMENT_COLUMNS = [
    "code",
    "prevalence",
    "percent_agreement",
    "kappa",
    "alpha",
    "alpha_low",
    "alpha_high",
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
    pairs = agr.coder_pairs_table(segments, site=site, seed=seed)
    d |= interval_facts(pairs)
    facts = {f"agr_{k}": v for k, v in d.items()}
    facts["agr_computable"] = True
    per_code = with_alpha_intervals(result.to_frame(), segments, site, d, seed=seed)
    per_code = per_code.assign(code=lambda t: t["code"].map(labels).fillna(t["code"]))
    shown = pd.concat(
        [per_code.tail(1), per_code.iloc[:-1].sort_values("prevalence", ascending=False)]
    )
    parts = [
        agreement_text(d),
        (
            "download",
            shown,
            f"agreement_{site}",
            _("Agreement per code (first row: all codes pooled)"),
            12,
            {"columns": AGREEMENT_COLUMNS, "formats": AGREEMENT_FORMATS},
        ),
        (
            "figure",
            lambda: agr.plot_agreement(
                result, title=_("Inter-coder agreement per code"), labels=labels
            ),
        ),
        _(
            "**The same coders, side by side.** Cohen's kappa compares two coders, Fleiss' kappa "
            "and Krippendorff's alpha any number; to compare like with like, the table gives "
            "them for each pair of coders and for all coders together, with PABAK (prevalence- "
            "and bias-adjusted kappa) beside the raw agreement, which the many codes both coders "
            "left off inflate. The intervals come from a bootstrap that resamples segments, "
            "because the pooled units of one segment are not independent."
        ),
        (
            "download",
            pairs,
            f"agreement_pairs_{site}",
            _("Agreement of each pair of coders and of all coders, with bootstrap intervals"),
            10,
            {
                "columns": PAIR_COLUMNS,
                "formats": {**_decimals(pairs[[c for c in PAIR_COLUMNS if c in pairs]], 3)}
                | AGREEMENT_FORMATS,
            },
        ),
    ]
    return parts, facts


def with_alpha_intervals(
    table: pd.DataFrame, segments: pd.DataFrame, site: str, d: dict, *, seed: int
) -> pd.DataFrame:
    """The per-code agreement table (:meth:`Agreement.to_frame`, pooled row last) with alpha's
    bootstrap interval over segments (``alpha_low``, ``alpha_high``) and ``alpha_verdict`` judged
    by the interval (:func:`agreement.interval_verdict`); the pooled row takes the all-coder
    interval of :func:`interval_facts` (``d``) and, for kappa, its segment-bootstrap interval in
    place of the asymptotic one, which treats the pooled decisions as independent."""
    intervals = agr.code_alpha_intervals(segments, site=site, seed=seed).set_index("code")
    out = table.copy()
    codes = out["code"].iloc[:-1]
    out["alpha_low"] = list(codes.map(intervals["alpha_low"])) + [d["alpha_boot_low"]]
    out["alpha_high"] = list(codes.map(intervals["alpha_high"])) + [d["alpha_boot_high"]]
    verdicts = list(codes.map(intervals["verdict"])) + [d["alpha_interval_verdict"]]
    out["alpha_verdict"] = [agr.interval_verdict_label(v) for v in verdicts]
    last = out.index[-1]
    out.loc[last, "kappa_low"] = d["kappa_boot_low"]
    out.loc[last, "kappa_high"] = d["kappa_boot_high"]
    return out


def interval_facts(pairs: pd.DataFrame) -> dict:
    """The study-level intervals and their verdicts, from :func:`agreement.coder_pairs_table`:
    Cohen's kappa of the primary and second coder (its first row) and Krippendorff's alpha of all
    coders (its last row), each with its bootstrap interval over segments and the verdict of that
    interval (:func:`agreement.interval_verdict`, English identifiers)."""
    first, everyone = pairs.iloc[0], pairs.iloc[-1]
    out = {
        "kappa_boot_low": float(first["kappa_boot_low"]),
        "kappa_boot_high": float(first["kappa_boot_high"]),
        "alpha_boot_low": float(everyone["alpha_boot_low"]),
        "alpha_boot_high": float(everyone["alpha_boot_high"]),
    }
    out["kappa_interval_verdict"] = agr.interval_verdict(
        out["kappa_boot_low"], out["kappa_boot_high"]
    )
    out["alpha_interval_verdict"] = agr.interval_verdict(
        out["alpha_boot_low"], out["alpha_boot_high"]
    )
    return out


def agreement_text(d: dict) -> str:
    """The paragraphs on inter-coder agreement, from :meth:`Agreement.to_dict`, the fleiss
    sentence and :func:`interval_facts`.

    The verdicts judge the bootstrap intervals over segments, not the point estimates: "reliable"
    only when the lower bound reaches 0.800, "tentative" when it reaches 0.667, "not reliable"
    when the whole interval lies below 0.667, "unclear" when it straddles 0.667.
    """
    first = _(
        "{segments} segments were coded independently by a second coder ({coder}). For one "
        "code, a **unit** is a double-coded segment and its value is whether the coder applied "
        "the code (presence or absence); the overall statistics pool every (segment, code) "
        "decision, {units} units. The primary and the second coder agreed on {agreement} % of "
        "the decisions. Most codes are absent from most segments, so raw agreement flatters; "
        "Cohen's kappa {{cite:p}}`cohen1960` discounts the agreement expected by chance: "
        '{kappa}, "{band}" agreement in the bands of Landis and Koch {{cite:p}}`landis1977`. '
        "The decisions about one segment are not independent, so its 95 % interval comes from a "
        'bootstrap that resamples segments: {low} to {high}, which is "{verdict}" judged by '
        "the interval's lower bound. Fleiss' kappa {{cite:p}}`fleiss1971`: {fleiss}"
    ).format(
        segments=d["segments_double_coded"],
        coder=_text(d["second_coder"]),
        units=d["units"],
        agreement=_num(d["percent_agreement"], 1),
        kappa=_num(d["kappa"], 2),
        low=_num(d["kappa_boot_low"], 2),
        high=_num(d["kappa_boot_high"], 2),
        verdict=agr.interval_verdict_label(d["kappa_interval_verdict"]),
        band=d["kappa_band"],
        fleiss=d["fleiss_sentence"],
    )
    second = _(
        "Krippendorff's alpha {{cite:p}}`krippendorff2019`, at the nominal level, uses every "
        "coder's values and tolerates segments a coder did not code: alpha = {alpha}, with a "
        "95 % bootstrap interval over segments of {low} to {high}. Judged by the interval, not "
        'by the point, it is "{verdict}": data are relied on when the lower bound reaches 0.800, '
        "tentative conclusions are drawn when it reaches 0.667, and an interval that straddles "
        "0.667 leaves reliability unclear. Per code, the picture is uneven: by their point "
        "estimates {reliable} of {codes} codes reach 0.800 and {below} stay below 0.667; the "
        "findings table judges each code by its own interval. Counts of the weaker codes "
        "deserve the least trust, and a rare code's statistics rest on few segments."
    ).format(
        alpha=_num(d["alpha"], 3),
        low=_num(d["alpha_boot_low"], 2),
        high=_num(d["alpha_boot_high"], 2),
        verdict=agr.interval_verdict_label(d["alpha_interval_verdict"]),
        reliable=d["codes_alpha_reliable"],
        codes=d["codes"],
        below=d["codes_alpha_below_tentative"],
    )
    return first + "\n\n" + second


def informant_matrix_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame
) -> list:
    """The informant x code heatmap, or one sentence when no segment names its informant."""
    matrix = q.informant_code_matrix(counted, informants, codebook)
    if matrix.empty or matrix.shape[1] == 0 or not matrix.to_numpy().any():
        return [
            _(
                "No coded segment of this study names its informant (`segments.csv` without "
                "`informant_id`, or only observation notes and documents), so there is no "
                "informant × code matrix."
            )
        ]
    parts = [
        (
            "figure",
            lambda: q.plot_count_heatmap(
                q.label_columns(matrix, codebook),
                title=_("Segments per informant and code"),
                xlabel=_("code (grouped by theme)"),
                ylabel=_("informant (in role order)"),
                count_label=_("segments (number)"),
            ),
        )
    ]
    if q.largest_part(matrix).shape != matrix.shape:  # the figure draws part: the rest to download
        sites = "_".join(str(s) for s in pd.unique(counted["site"])) if "site" in counted else ""
        parts.append(
            (
                "download",
                matrix.reset_index(),
                f"informant_code_matrix_{sites}".rstrip("_"),
                _("Segments per informant and code (every informant and code)"),
                None,
                {},
            )
        )
    return parts


def clustered_figure_parts(counts: pd.DataFrame) -> list:
    """The heatmap of distinct codes per informant and theme, or why there is none."""
    if counts.empty or counts.shape[1] == 0:
        return [
            _(
                "No informant of this study has a coded segment (segments without "
                "`informant_id`, or only notes and documents), so there is no heatmap of codes "
                "per informant and theme."
            )
        ]
    return [
        (
            "figure",
            lambda: q.plot_conceptually_clustered(
                counts, title=_("Distinct codes per informant and theme")
            ),
        )
    ]


def cooccurrence_figure_parts(
    coefficient: pd.DataFrame, codebook: pd.DataFrame, within: str
) -> list:
    """The co-occurrence heatmap within segments or informants, or why there is none."""
    if coefficient.empty or min(coefficient.shape) < 2:
        return [
            _(
                "Fewer than two codes occur in this study's segments, so there is no "
                "co-occurrence heatmap within segments."
            )
            if within == "segment"
            else _(
                "Fewer than two codes occur in this study's informants, so there is no "
                "co-occurrence heatmap within informants."
            )
        ]
    title = (
        _("Code co-occurrence within segments")
        if within == "segment"
        else _("Code co-occurrence within informants")
        if within == "informant"
        else f"Code co-occurrence within {within}s"
    )
    return [
        (
            "figure",
            lambda: q.plot_cooccurrence(q.label_columns(coefficient, codebook), title=title),
        )
    ]


def checklist_parts(
    counted: pd.DataFrame, informants: pd.DataFrame, codebook: pd.DataFrame
) -> tuple[list, dict]:
    """The indicator most informants named and the checklist of poverty indicators by role, or
    why there is none (no informant named one: never "named by most informants (0 of 11)");
    facts for the results."""
    checklist = q.checklist_matrix(counted, informants, codebook, theme="indicators")
    named = checklist.sum().sort_values(ascending=False, kind="stable")
    top = int(named.iloc[0]) if len(named) else 0
    facts = {
        "top_indicator": named.index[0] if top else "none",
        "top_indicator_n": top,
    }
    if checklist.empty or checklist.shape[1] == 0 or top == 0:
        return [
            _(
                "No informant of this study named a code of the theme `indicators`, so there is "
                "no checklist."
            )
        ], facts
    sentence = ngettext(
        'The indicator named by most informants is "{indicator}" ({n} of {total} informant).',
        'The indicator named by most informants is "{indicator}" ({n} of {total} informants).',
        len(checklist),
    ).format(
        indicator=named.index[0],
        n=formatting.integer(top),
        total=formatting.integer(len(checklist)),
    )
    summary = q.checklist_summary(checklist, informants)
    return [sentence, ("table", q.with_headers(summary), {"index": True})], facts


VERDICT_NAMES = ("strong", "moderate", "weak", "not supported")
#: The findings table as a reader meets it: the verdict beside the evidence, before the (long)
#: reliability note, so that it is never the column cut off at the page's right edge.
FINDING_COLUMNS = [
    "finding",
    "verdict",
    "informants (k/N)",
    "share %",
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
    *,
    seed: int = AGREEMENT_SEED,
) -> tuple[list, dict]:
    """The findings table with reliability and the quotations, or why there is none; verdict counts.

    The chapter states the rule above the table (the verdict rule, reliability by the interval's
    lower bound, "all of" findings); ``seed`` seeds the per-code bootstrap of the reliability
    column. Shares of informants are shown without an interval (the informants
    were chosen, not drawn). In the illustrative edition every quotation is marked as invented.
    """
    facts = {f"n_findings_{v.replace(' ', '_')}": 0 for v in VERDICT_NAMES} | {
        "n_findings": 0,
        "n_findings_all_of": 0,
    }
    try:
        findings = q.findings_table(
            counted,
            informants,
            codebook,
            site=site,
            reliability=segments,
            edition=edition,
            seed=seed,
        )
    except ValueError as problem:
        return [_("No findings table: {problem}.").format(problem=_text(problem))], facts
    if findings.empty:
        return [
            _("The codebook names no finding of this study, so there is no findings table.")
        ], facts
    for verdict in VERDICT_NAMES:
        facts[f"n_findings_{verdict.replace(' ', '_')}"] = int(
            (findings["verdict"] == verdict).sum()
        )
    facts["n_findings"] = len(findings)
    findings["informants (k/N)"] = (
        findings["informants"].astype(str) + "/" + findings["informants_total"].astype(str)
    )
    findings["share %"] = [_num(100 * s) if s == s else "" for s in findings["share_informants"]]
    facts["n_findings_all_of"] = int((findings["logic"] == "all").sum())
    shown = findings[[c for c in FINDING_COLUMNS if c in findings]].copy()
    shown["verdict"] = shown["verdict"].map(q.verdict_label)
    if "source_types" in shown:
        shown["source_types"] = shown["source_types"].map(q.source_types_text)
    if edition == "illustrative":
        intro = _(
            "The quotations that illustrate each finding, from consenting informants only "
            "(Indonesian, English gloss in brackets, informant id in parentheses; every one "
            "invented for the illustrative dataset, and marked so):"
        )
    else:
        intro = _(
            "The quotations that illustrate each finding, from consenting informants only "
            "(Indonesian, English gloss in brackets, informant id in parentheses):"
        )
    return [
        ("table", q.with_headers(shown)),
        intro,
        ("table", q.with_headers(findings[["finding", "quotes"]])),
    ], facts
