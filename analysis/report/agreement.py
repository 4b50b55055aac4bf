"""Agreement between coders in the edition's language: the section's text, tables and figure.

The statistics come from :mod:`analysis.methods.agreement` as numbers and codes (bands, verdicts);
here they are named (Landis & Koch's bands, Krippendorff's verdicts) and written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n import N_
from analysis.literal import markdown_literal as _text
from analysis.methods import agreement as agr
from analysis.methods.agreement import Agreement, StudyAgreement
from analysis.methods.condensation import code_labels
from analysis.report.parts import Download, Figure, Part, Text
from analysis.report.words import Words

#: Every band, verdict and message code of :mod:`analysis.methods.agreement`, as msgids.
WORDS = {
    "undefined": N_("undefined"),
    "poor": N_("poor"),
    "slight": N_("slight"),
    "fair": N_("fair"),
    "moderate": N_("moderate"),
    "substantial": N_("substantial"),
    "almost perfect": N_("almost perfect"),
    "reliable": N_("reliable"),
    "tentative": N_("tentative"),
    "tentative only": N_("tentative only"),
    "unclear": N_("unclear"),
    "not reliable": N_("not reliable"),
    "not assessed": N_("not assessed"),
    agr.POOLED: N_("(all codes, pooled)"),
    agr.NEEDS_TWO_CODERS: N_("agreement needs at least two coders"),
    agr.NO_DOUBLE_CODED: N_("no segment was coded by two or more coders"),
    agr.FLEISS_NOT_COMPUTED: N_(
        "Fleiss' kappa needs three or more coders on the same units: not computed."
    ),
}
#: Most codes the agreement chart draws (the most prevalent; the table has every code).
MAX_CODES_SHOWN = 45


def word(code, w: Words) -> str:
    """A band, verdict or message of the agreement methods in the edition's language."""
    return w._(WORDS[code]) if code in WORDS else str(code)


def interval_verdict_label(verdict: str, w: Words) -> str:
    """An :func:`analysis.methods.agreement.interval_verdict` as readers read it."""
    return word(verdict, w)


def fleiss_sentence(result: Agreement, w: Words) -> str:
    """One sentence on Fleiss' kappa: its value and band, or why it was not computed."""
    o = result.overall
    if not np.isfinite(o["fleiss_kappa"]):
        return w._("not computed: it needs three or more coders on the same segments.")
    return w._(
        "on the {units} decisions about the {segments} segments that all {coders} coders coded, "
        '{kappa} ("{band}").'
    ).format(
        units=w.integer(o["fleiss_units"]),
        segments=w.integer(result.segments_all_coders),
        coders=w.integer(len(result.coders)),
        kappa=w.number(o["fleiss_kappa"], 2),
        band=word(o["fleiss_band"], w),
    )


def recorded_words(study: StudyAgreement, *, lang: str) -> dict:
    """The one sentence a chapter records beside the numbers (``agr_fleiss_sentence``), in the
    edition's language; nothing when agreement was not computed."""
    if study.result is None:
        return {}
    return {"agr_fleiss_sentence": fleiss_sentence(study.result, Words(lang))}


def agreement_summary(result: Agreement, *, lang: str) -> str:
    """A few lines for people (a console or a log), in the edition's language."""
    w = Words(lang)
    d = result.to_dict()
    counts = (
        "segments_double_coded",
        "segments_all_coders",
        "codes",
        "units",
        "n_coders",
        "fleiss_units",
        "codes_alpha_reliable",
        "codes_alpha_below_tentative",
    )
    statistics = ("kappa", "kappa_low", "kappa_high", "fleiss_kappa", "alpha", "median_code_kappa")
    n = {k: w.integer(d[k]) for k in counts}
    x = {k: w.number(d[k], 3) for k in statistics}
    return "\n".join(
        [
            w._(
                "Inter-coder agreement ({site}): coders {coders}; {segments_double_coded} "
                "double-coded segments ({segments_all_coders} coded by all), {codes} codes, "
                "{units} pooled units"
            ).format(site=d["site"], coders=d["coders"], **n),
            w._("  percent agreement {primary}-{second}: {percent} %").format(
                primary=d["primary_coder"],
                second=d["second_coder"],
                percent=w.number(d["percent_agreement"], 1),
            ),
            w._("  Cohen's kappa {kappa} (95 % CI {kappa_low}-{kappa_high}): {band}").format(
                band=word(d["kappa_band"], w), **x
            ),
            w._(
                "  Fleiss' kappa ({n_coders} coders, {fleiss_units} units): {fleiss_kappa}: {band}"
            ).format(band=word(d["fleiss_band"], w), **n, **x),
            w._("  Krippendorff's alpha (nominal): {alpha}: {verdict}").format(
                verdict=word(d["alpha_verdict"], w), **x
            ),
            w._(
                "  per code: median kappa {median_code_kappa}; {codes_alpha_reliable} codes "
                "alpha >= 0.800, {codes_alpha_below_tentative} below 0.667"
            ).format(**n, **x),
        ]
        + [w._("  note: {note}").format(note=word(note, w)) for note in result.notes]
    )


def _edition_ticks(ax, w: Words) -> None:
    """The x tick labels in the edition's digits ("0,2" in Indonesian); English keeps matplotlib's."""
    if w.lang == "en":
        return
    from matplotlib.ticker import FuncFormatter

    def label(value, _position):
        digits = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
        return w.number(value, digits)

    ax.xaxis.set_major_formatter(FuncFormatter(label))


def plot_agreement(
    result: Agreement,
    *,
    title: str,
    lang: str,
    min_prevalence: float = 0.0,
    labels: dict | None = None,
):
    """Per-code Cohen's kappa with its 95 % interval and Krippendorff's alpha, with the pooled values.

    Shaded: Krippendorff's "tentative" band (0.667-0.800); dotted line: the 0.800 threshold. At
    most :data:`MAX_CODES_SHOWN` codes are drawn, the most prevalent (the title says how many of
    how many; the per-code table has all). Labels and digits in the edition's language ``lang``.
    """
    import matplotlib.pyplot as plt

    w = Words(lang)

    f = result.per_code[result.per_code["prevalence"] >= min_prevalence]
    total = len(f)
    if total > MAX_CODES_SHOWN:
        f = f.sort_values(["prevalence", "code"], ascending=[False, True], kind="stable")
        f = f.head(MAX_CODES_SHOWN)
        title += "\n" + w._(
            "the {n} most prevalent of {total} codes; every code is in the table"
        ).format(n=w.integer(len(f)), total=w.integer(total))
    f = f.sort_values("kappa", na_position="first")
    fig, ax = plt.subplots(figsize=(7.5, 1.4 + 0.22 * max(len(f), 1)))
    y = np.arange(len(f))
    low = (
        (f["kappa"] - f["kappa_low"]).fillna(0).clip(lower=0).to_numpy()
    )  # clip: rounding at kappa = 1
    high = (f["kappa_high"] - f["kappa"]).fillna(0).clip(lower=0).to_numpy()
    ax.axvspan(
        agr.KRIPPENDORFF_TENTATIVE,
        agr.KRIPPENDORFF_RELIABLE,
        color="0.9",
        zorder=0,
        label=w._("alpha 0.667-0.800 (tentative)"),
    )
    ax.axvline(agr.KRIPPENDORFF_RELIABLE, color="0.4", linestyle=":", linewidth=1)
    ax.errorbar(
        f["kappa"],
        y,
        xerr=[low, high],
        fmt="o",
        color="C0",
        capsize=2,
        markersize=4,
        label=w._("Cohen's kappa (95 % CI), primary vs second coder"),
    )
    ax.plot(
        f["alpha"],
        y,
        "x",
        color="C3",
        markersize=5,
        label=w._("Krippendorff's alpha (nominal), all coders"),
    )
    ax.axvline(result.overall["kappa"], color="C0", linewidth=1, alpha=0.6)
    ax.set_yticks(y, [(labels or {}).get(c, c) for c in f["code"]], fontsize=7)
    ax.set_xlim(-0.2, 1.05)
    _edition_ticks(ax, w)
    ax.set_xlabel(w._("agreement beyond chance (kappa, alpha; 1 = perfect, 0 = chance)"))
    ax.set_ylabel(w._("code"))
    ax.set_title(title)
    ax.legend(
        fontsize=7, loc="upper left"
    )  # the codes with the highest kappa (top) sit on the right
    return fig


def reliability_sentence(study: StudyAgreement, w: Words) -> str:
    """Why agreement between the study's coders cannot be computed."""
    if study.coders < 2:
        return w._(
            "This study has one coder, so agreement between coders cannot be computed: its "
            "findings rest on one reading of the segments."
        )
    return w.ngettext(
        "Agreement between coders is not computable for this study: {problem} "
        "(the segments have {n} coder). Its findings rest on one reading of the segments.",
        "Agreement between coders is not computable for this study: {problem} "
        "(the segments have {n} coders). Its findings rest on one reading of the segments.",
        study.coders,
    ).format(problem=_text(word(study.problem, w)), n=w.integer(study.coders))


def agreement_text(d: dict, w: Words) -> str:
    """The paragraphs on inter-coder agreement, from :meth:`StudyAgreement.to_dict` and the
    Fleiss sentence (``d["fleiss_sentence"]``).

    The verdicts judge the bootstrap intervals over segments, not the point estimates: "reliable"
    only when the lower bound reaches 0.800, "tentative" when it reaches 0.667, "not reliable"
    when the whole interval lies below 0.667, "unclear" when it straddles 0.667.
    """
    first = w._(
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
        segments=w.integer(d["segments_double_coded"]),
        coder=_text(d["second_coder"]),
        units=w.integer(d["units"]),
        agreement=w.number(d["percent_agreement"], 1),
        kappa=w.number(d["kappa"], 2),
        low=w.number(d["kappa_boot_low"], 2),
        high=w.number(d["kappa_boot_high"], 2),
        verdict=word(d["kappa_interval_verdict"], w),
        band=word(d["kappa_band"], w),
        fleiss=d["fleiss_sentence"],
    )
    second = w._(
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
        alpha=w.number(d["alpha"], 3),
        low=w.number(d["alpha_boot_low"], 2),
        high=w.number(d["alpha_boot_high"], 2),
        verdict=word(d["alpha_interval_verdict"], w),
        reliable=w.integer(d["codes_alpha_reliable"]),
        codes=w.integer(d["codes"]),
        below=w.integer(d["codes_alpha_below_tentative"]),
    )
    return first + "\n\n" + second


#: The agreement table's columns on the page (the CSV has every statistic, kappa's intervals
#: too); alpha's verdict judges its bootstrap interval.
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


def _formats(w: Words, frame: pd.DataFrame | None = None, digits: int = 3) -> dict:
    """Formats of the agreement tables: prevalence as a share, agreement in percent, and the
    non-whole float columns of ``frame`` with ``digits`` decimals."""
    out = {}
    if frame is not None:
        for c in frame.columns:
            values = frame[c].dropna()
            if pd.api.types.is_float_dtype(frame[c]) and not values.map(float.is_integer).all():
                out[c] = lambda v, w=w: w.decimal(v, digits)
    return out | {"prevalence": "share", "percent_agreement": lambda v: w.percent(v, 1)}


def agreement_alt(result: Agreement, w: Words) -> str:
    """The agreement chart in words: codes drawn, pooled kappa and alpha, codes reliable."""
    d = result.to_dict()
    return w._(
        "Dot chart of Cohen's kappa (with its 95 % interval) and Krippendorff's alpha for each "
        "of {codes} codes, on a scale from -0.2 to 1 with the tentative band 0.667-0.800 shaded. "
        "Pooled over codes: kappa {kappa}, alpha {alpha}; {reliable} codes have alpha of at "
        "least 0.800 and {below} stay below 0.667."
    ).format(
        codes=w.integer(d["codes"]),
        kappa=w.number(d["kappa"], 2),
        alpha=w.number(d["alpha"], 2),
        reliable=w.integer(d["codes_alpha_reliable"]),
        below=w.integer(d["codes_alpha_below_tentative"]),
    )


def agreement_parts(
    study: StudyAgreement, site: str, labels: dict | pd.DataFrame, *, lang: str
) -> list[Part]:
    """The agreement section: text, per-code table (download), figure and the coder-pairs table.
    ``labels``: code -> label, or the edition's codebook to take them from.

    The pairs table gives kappa and alpha for the same coders (each pair, then all coders), with
    PABAK and bootstrap intervals over segments; without two coders, why there is none.
    """
    w = Words(lang)
    if isinstance(labels, pd.DataFrame):
        labels = code_labels(labels)
    if study.result is None:
        return [Text(reliability_sentence(study, w))]
    d = study.to_dict() | {"fleiss_sentence": fleiss_sentence(study.result, w)}
    per_code = study.per_code.assign(
        code=lambda t: t["code"].map(labels).fillna(t["code"].map(lambda c: word(c, w))),
        alpha_verdict=lambda t: t["alpha_verdict"].map(lambda v: word(v, w)),
    )
    shown = pd.concat(
        [per_code.tail(1), per_code.iloc[:-1].sort_values("prevalence", ascending=False)]
    )
    pairs = study.pairs.assign(
        alpha_verdict=lambda t: t["alpha_verdict"].map(lambda v: word(v, w)),
        kappa_verdict=lambda t: t["kappa_verdict"].map(lambda v: word(v, w) if v else ""),
    )
    on_page = pairs[[c for c in PAIR_COLUMNS if c in pairs]]
    title = w._("Inter-coder agreement per code")
    result = study.result
    return [
        Text(agreement_text(d, w)),
        Download(
            shown,
            f"agreement_{site}",
            w._("Agreement per code (first row: all codes pooled)"),
            head=12,
            options={"columns": AGREEMENT_COLUMNS, "formats": _formats(w)},
        ),
        Figure(
            lambda: plot_agreement(result, title=title, lang=lang, labels=labels),
            alt=agreement_alt(result, w),
        ),
        Text(
            w._(
                "**The same coders, side by side.** Cohen's kappa compares two coders, Fleiss' "
                "kappa and Krippendorff's alpha any number; to compare like with like, the table "
                "gives them for each pair of coders and for all coders together, with PABAK "
                "(prevalence- and bias-adjusted kappa) beside the raw agreement, which the many "
                "codes both coders left off inflate. The intervals come from a bootstrap that "
                "resamples segments, because the pooled units of one segment are not independent."
            )
        ),
        Download(
            pairs,
            f"agreement_pairs_{site}",
            w._("Agreement of each pair of coders and of all coders, with bootstrap intervals"),
            head=10,
            options={"columns": PAIR_COLUMNS, "formats": _formats(w, on_page)},
        ),
    ]


__all__ = [
    "agreement_parts",
    "agreement_summary",
    "fleiss_sentence",
    "interval_verdict_label",
    "plot_agreement",
    "recorded_words",
]
