"""How a study chose its informants, in the edition's language: the redrawn two-stage sample
(frame, draw, sample, a paragraph that lets a reader redraw it) and design-weighted shares.

The draw and the shares come from :mod:`analysis.methods.sampling`; the clusters are named by
what the selected ones are (desa, kelurahan), and so are the officials drawn in them.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.i18n import N_
from analysis.literal import markdown_literal as _text
from analysis.methods import sampling
from analysis.methods.condensation import finding_names
from analysis.methods.sampling import ClusterSample, StudyDraw, WeightedShares
from analysis.report.labels import Labels, field_label
from analysis.report.parts import Part, Table, Text
from analysis.report.words import Words

DESIGN_INTRO = N_(
    "The study drew its informants by two-stage cluster sampling; it publishes neither its frame "
    "nor its draw. This book redoes such a draw with a seed of this project's own (the registry's "
    "`sampling_seed`), so that another team can repeat this book's draw, which is not the "
    "study's: first the clusters ({clusters}) from a frame, then informants within each selected "
    "cluster. The frame (`study/sampling_frame.csv`) lists the clusters with the number of people "
    "listed in each (officials and members of poor households). The draw reports its inclusion "
    "probabilities and design weights."
)
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


def units_taken(count: int, stratum: str, labels: Labels) -> str:
    """ "3 residents": a stratum's sample size per cluster (the stratum is a role: the lowest
    officials named by the unit they serve)."""
    w = labels.w
    label = labels.role_words(stratum)
    return w.ngettext("{n} {stratum}", "{n} {stratum}s", count).format(
        n=w.integer(count), stratum=_text(label)
    )


def sample_summary(sample: ClusterSample, *, lang: str) -> str:
    """A few lines for people (a console or a log): the design and the draw."""
    w = Words(lang)
    d = sample.to_dict()
    take = ", ".join(f"{k}: {v}" for k, v in sample.per_cluster.items())
    stage1 = (
        w._("PPS (randomised systematic, size = units listed)")
        if sample.method == "pps"
        else w._("simple random sampling without replacement")
    )
    return "\n".join(
        [
            w._("Two-stage cluster sample (seed {seed})").format(seed=d["seed"]),
            w._("  stage 1: {drawn} of {in_frame} clusters, {stage1}").format(
                drawn=w.integer(d["clusters_drawn"]),
                in_frame=w.integer(d["clusters_in_frame"]),
                stage1=stage1,
            ),
            w._("  stage 2: simple random sampling within clusters ({take})").format(take=take),
            w._("  selected clusters: {clusters}").format(clusters=d["selected_clusters"]),
            w._(
                "  units: {drawn} of {in_frame}; weights {min_weight}-{max_weight}, sum {total}"
            ).format(
                drawn=w.integer(d["units_drawn"]),
                in_frame=w.integer(d["units_in_frame"]),
                min_weight=w.number(d["min_weight"], 1),
                max_weight=w.number(d["max_weight"], 1),
                total=w.number(d["sum_of_weights"], 1),
            ),
        ]
    )


def describe(
    sample: ClusterSample,
    labels: Labels,
    *,
    clusters: str = "kelurahan",
    selected: str | None = None,
    units: str | None = None,
) -> str:
    """A methods paragraph (Markdown) that lets a reader redraw the sample: design, seed, numbers.

    ``clusters`` names the clusters of the frame ("desa and kelurahan"), ``selected`` those drawn
    ("desa"; default ``clusters``), ``units`` the listed units (default "listed people").
    """
    w = labels.w
    units = w._("listed people") if units is None else units
    selected = clusters if selected is None else selected
    d = sample.to_dict()
    take = ", ".join(units_taken(v, k, labels) for k, v in sample.per_cluster.items())
    if sample.method == "pps":
        start = sample.draw["selection_point"].min()
        stage1 = w._(
            "with probability proportional to size (the number of {units}), by randomised "
            "systematic sampling: the {clusters} were put in a random order, their inclusion "
            "probabilities $\\pi_1 = n M_i / M$ cumulated, and the {clusters} whose interval holds "
            "one of the points $u, u+1, \\dots, u+n-1$ were taken ($u$ = {start})"
        ).format(units=units, clusters=clusters, start=w.number(start, 4))
    else:
        stage1 = w._("by simple random sampling without replacement ($\\pi_1 = n / N$)")
    return w._(
        "**Stage 1** drew {clusters_drawn} of the {clusters_in_frame} {clusters} of the frame "
        "{stage1}. **Stage 2** drew {take} in each selected {selected} by simple random sampling "
        "without replacement ($\\pi_2 = m / M_i$ within each group). Both stages use one "
        "random-number generator (numpy PCG64) seeded with {seed}, this project's seed (the "
        "study publishes none), so the same seed redraws the same sample. An informant's inclusion probability is $\\pi = \\pi_1 \\pi_2$ and the "
        "design weight $1/\\pi$ is the number of {units} the informant stands for: weights run "
        "from {min_weight} to {max_weight} and add up to {sum_of_weights}, the {units_in_frame} "
        "{units} of the frame."
    ).format(
        clusters_drawn=w.integer(d["clusters_drawn"]),
        clusters_in_frame=w.integer(d["clusters_in_frame"]),
        clusters=clusters,
        selected=selected,
        stage1=stage1,
        take=take,
        seed=d["seed"],
        units=units,
        min_weight=w.number(d["min_weight"], 1),
        max_weight=w.number(d["max_weight"], 1),
        sum_of_weights=w.number(d["sum_of_weights"], 0),
        units_in_frame=w.integer(d["units_in_frame"]),
    )


def own_words(study, w: Words) -> str:
    """The study's design as the registry records it (``design``) and how it says it chose its
    informants, quoted in its own words and language (``sampling_description``), each after a
    space; "" when the registry gives neither."""
    said = ""
    if study.design:
        said += " " + w._("The registry records the study's design as: {design}.").format(
            design=_text(study.design)
        )
    return said + sampling_words(study, w)


def sampling_words(study, w: Words) -> str:
    """How the study says it chose its informants, quoted as data in its own words and language
    (the registry's ``sampling_description``), after a space; "" when the registry has none."""
    quoted = getattr(study, "sampling_description", None)
    if not quoted:
        return ""
    return " " + w._("In the study's own words: {quote}").format(quote="“" + _text(quoted) + "”")


def draw_problem(draw: StudyDraw, w: Words) -> str:
    """Why a two-stage study's draw is not redone here."""
    if draw.problem == sampling.TOO_FEW_CLUSTERS:
        return w._(
            "The design draws {n} clusters but the frame lists only {listed}: "
            "the draw is not redone here."
        ).format(n=w.integer(draw.n_clusters), listed=w.integer(draw.listed))
    missing = (
        w._("the registry gives no design (sample_clusters, sample_per_cluster, sampling_seed)")
        if draw.problem == sampling.NO_DESIGN
        else w._("the data hold no sampling frame for it (study/sampling_frame.csv)")
    )
    return w._(
        "The study drew its informants by two-stage cluster sampling, but "
        "{missing}: the draw is not redone here."
    ).format(missing=missing)


def _sampling_table(frame: pd.DataFrame, labels: Labels, digits: int) -> Table:
    """A sampling table with its headers and labelled values in the edition's language, and its
    non-whole float columns with ``digits`` decimals."""
    w = labels.w
    out = frame.copy()
    if "stratum" in out:
        out["stratum"] = out["stratum"].map(labels.role_words)
    if "cluster_type" in out:
        out["cluster_type"] = out["cluster_type"].map(
            lambda v: v if v is None or v != v else field_label(w, "cluster_type", v)
        )

    def header(c):
        return w._(SAMPLING_HEADERS[c]) if c in SAMPLING_HEADERS else c

    formats = {
        header(c): (lambda v, d=digits: w.decimal(v, d))
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c])
        and not frame[c].dropna().map(float.is_integer).all()
    }
    return Table(out.rename(columns=header), {"formats": formats})


def _types_word(types, w: Words) -> str:
    """Cluster kinds as one word list ("desa and kelurahan"), escaped."""
    return _text(w._(" and ").join(sorted(set(types))))


def design_parts(study, draw: StudyDraw, informants: pd.DataFrame, *, lang: str) -> list[Part]:
    """How the informants were chosen: the redrawn two-stage sample (frame, draw, sample, and
    whether the data's informants are those of the draw), or one sentence."""
    w = Words(lang)
    if not study.two_stage:
        return [
            Text(
                w._(
                    "The informants were chosen by {selection} selection, as the study "
                    "describes: there is no sampling frame, and no inclusion probabilities or "
                    "weights to report."
                ).format(
                    selection=_text(w._(SELECTION_WORDS.get(study.selection, study.selection)))
                )
                + sampling_words(study, w)
            )
        ]
    if not draw.drawn:
        return [Text(draw_problem(draw, w))]
    drawn, rows = draw.sample, draw.rows
    frame_types = sorted(set(rows["cluster_type"].dropna().astype(str)))
    selected_types = draw.selected_types() or frame_types
    in_frame = Labels(w, official_unit="/".join(frame_types) or None)
    in_sample = Labels(w, official_unit=sampling.official_unit(draw))
    agrees = bool(sampling.compare_with_informants(drawn, informants)["agrees"].all())
    frame_table = drawn.frame.rename(columns={"pi_stage1": "pi_1"})
    frame_table = frame_table.rename(
        columns=lambda c: (
            w._("listed {role}").format(role=in_frame.role_words(c[len("size_") :]))
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
    shown = drawn.sample.rename(columns={"pi_stage1": "pi_1", "pi_stage2": "pi_2"})
    sample = shown[["unit_id", "cluster", "kecamatan", "stratum", "pi_1", "pi_2", "pi", "weight"]]
    return [
        Text(w._(DESIGN_INTRO).format(clusters=_types_word(frame_types, w)) + own_words(study, w)),
        Text(
            describe(
                drawn,
                in_sample,
                clusters=_types_word(frame_types, w),
                selected=_types_word(selected_types, w),
            )
        ),
        Text(
            w._(
                "**The frame** (one row a cluster, {n} in all, the selected ones first; "
                "`pi_1` is the stage-1 inclusion probability):"
            ).format(n=w.integer(len(frame_table)))
        ),
        _sampling_table(frame_head, in_frame, 3),
        Text(
            w._(
                "**The draw** (clusters in their random order, the first rows; a cluster is "
                "taken when a selection point falls in its interval of the cumulated "
                "probabilities):"
            )
        ),
        _sampling_table(draw_head, in_frame, 3),
        Text(w._("**The sample** (stage 2; `pi` = `pi_1` × `pi_2`, `weight` = 1/`pi`):")),
        _sampling_table(sample, in_sample, 4),
        Text(
            w._(
                "The clusters and the number of informants per cluster and role in the data are "
                "exactly those of this draw."
            )
            if agrees
            else w._(
                "The clusters and the number of informants per cluster and role in the data are "
                "**not** those of this draw: the data were not drawn with this seed."
            )
        ),
    ]


def _probability(value: float, w: Words) -> str:
    """A probability with at most two significant digits ("0.012"), in the edition's digits."""
    if value == 0 or value != value:
        return w.number(value, 0)
    digits = max(0, 1 - math.floor(math.log10(abs(value))))
    text = w.number(value, digits)
    if digits == 0:
        return text
    return text.rstrip("0").rstrip(w.number(0.5, 1)[1])


def weighted_share_parts(
    study,
    shares: WeightedShares,
    *,
    lang: str,
    official_unit: str | None = None,
    codebook: pd.DataFrame | None = None,
) -> list[Part]:
    """Design-weighted shares of informants supporting each finding, for two-stage studies; a
    finding named by its id (:func:`analysis.methods.qualitative.codes_only`) is given the words
    of the edition's ``codebook``.

    Nothing (no section) for a study that did not sample; one sentence when the draw cannot be
    redone or no drawn informant can be weighted.
    """
    if not study.two_stage:
        return []
    labels = Labels(Words(lang), official_unit=official_unit)
    w = labels.w
    heading = Text(w._("### Design-weighted shares"))
    if shares.table is None:
        if shares.problem in (sampling.NO_DESIGN, sampling.NO_FRAME, sampling.TOO_FEW_CLUSTERS):
            draw = StudyDraw(None, problem=shares.problem)
            why = (
                draw_problem(draw, w)
                + " "
                + w._("There are no inclusion probabilities to weight by.")
            )
            return [heading, Text(why)]
        why = (
            w._("no informant of the data is a unit of the redrawn sample")
            if shares.problem == sampling.NO_DRAWN_INFORMANT
            else w._("the codebook names no finding for this study")
        )
        return [heading, Text(w._("No design-weighted share can be given: {why}.").format(why=why))]
    t = shares.table
    stated = {} if codebook is None else finding_names(codebook)
    table = pd.DataFrame(
        {
            w._("finding"): t["finding"].map(lambda f: stated.get(f, f)),
            w._("all informants (k/N)"): [
                f"{w.integer(k)}/{w.integer(n)}" for k, n in zip(t["supporters"], t["informants"])
            ],
            w._("drawn informants (k/n)"): [
                f"{w.integer(k)}/{w.integer(n)}" for k, n in zip(t["drawn_supporters"], t["drawn"])
            ],
            w._("unweighted share of drawn (%)"): [w.integer(100 * v) for v in t["unweighted"]],
            w._("design-weighted share (%)"): [w.integer(100 * v) for v in t["share"]],
            w._("95 % CI (design-based)"): [
                f"{w.integer(100 * lo)}-{w.integer(100 * hi)}"
                for lo, hi in zip(t["ci95_low"], t["ci95_high"])
            ],
        }
    )
    ranges = "; ".join(
        w._("{role} {low} to {high}").format(
            role=_text(labels.role_words(role)),
            low=_probability(lo, w),
            high=_probability(hi, w),
        )
        for role, (lo, hi) in shares.pi_ranges.items()
    )
    purposive = shares.purposive
    text = (
        w._(
            "The shares above treat the informants as if each stood for the same number of "
            "people, as in a simple random sample. They do not. "
        )
        + (
            w.ngettext(
                "{n} informant (officials above the sampled clusters, for instance) were chosen "
                "purposively, outside the draw: they have no inclusion probability and are left "
                "out of the weighted shares. ",
                "{n} informants (officials above the sampled clusters, for instance) were chosen "
                "purposively, outside the draw: they have no inclusion probability and are left "
                "out of the weighted shares. ",
                purposive,
            ).format(n=w.integer(purposive))
            if purposive
            else ""
        )
        + w._(
            "The {n} informants drawn in the sampled clusters are not self-weighting either: "
            "their inclusion probabilities differ by role ({ranges}), so a drawn resident stands "
            "for many more people of the frame than a drawn official. The design-weighted "
            "(Horvitz-Thompson, Hajek ratio) share weights each drawn informant by 1/pi, and its "
            "interval comes from the design (clusters as primary units, {clusters} of them), not "
            "from a binomial formula. Where the weighted and unweighted shares differ, the views "
            "of the rarely drawn (residents) and of the often drawn (officials) differ."
        ).format(n=w.integer(shares.drawn), ranges=ranges, clusters=w.integer(shares.clusters))
    )
    return [heading, Text(text), Table(table)]


__all__ = ["design_parts", "describe", "sample_summary", "weighted_share_parts"]
