"""What the income chapter says, in the edition's language: the report of
:mod:`analysis.methods.income`.

Every report function takes the results of the computations and the language (``lang``) and
returns typed parts (:mod:`analysis.report.parts`) for :func:`analysis.chapter.show`; the plot
function (:func:`plot_slopes`) takes the language too. Numbers go through the one formatter
(:class:`analysis.report.words.Words`), values from data files through :mod:`analysis.literal`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from analysis.i18n import N_
from analysis.literal import markdown_literal
from analysis.methods.income import change as ch
from analysis.methods.income import claims as cl
from analysis.methods.income.checks import as_bool
from analysis.methods.income.clusters import FEW_CLUSTERS_FOR_ROBUST, ClusterRobust
from analysis.methods.income.comparison import (
    DEGENERATE_SE,
    FEW_CLUSTERS,
    NO_OTHER_ASSIGNMENT,
    ONE_TREATED_CLUSTER,
    DiffInDiff,
)
from analysis.methods.income.loans import LoanReturn
from analysis.methods.income.power import Power
from analysis.methods.income.prices import NO_PRICE_SERIES
from analysis.methods.income.primary import KEPT_PACE_WITH_PRICES, PrimaryTest
from analysis.report import brief
from analysis.report.parts import Download, Figure, Part, Table, Text
from analysis.report.words import Words

# ------------------------------------------------------------------------------ small formatters
# (the one formatter, :class:`Words`, used the way this chapter writes numbers)


def _fixed(w: Words, value, digits: int) -> str:
    """``digits`` decimals, rounded by Python first (the digits of ``f"{value:.1f}"``)."""
    if value is None or _missing(value):
        return ""
    return w.number(round(float(value), digits), digits)


def _pct(w: Words, value, digits: int = 1) -> str:
    """A percentage: "40.1 %" in the edition's format; "" when missing."""
    return (
        "" if value is None or _missing(value) else w.percent(round(float(value), digits), digits)
    )


def _g(w: Words, value, spec: str = "g") -> str:
    """``value`` with as many digits as ``format(value, spec)`` shows ("35", "4.6"), in the
    edition's format."""
    value = float(value)
    text = format(value, spec)
    if "e" in text:  # tiny or huge: as many decimals as two significant digits need
        digits = max(0, 1 - int(math.floor(math.log10(abs(value))))) if value else 0
        return w.number(value, digits)
    digits = len(text.split(".")[1]) if "." in text else 0
    return w.number(value, digits)


def _p(w: Words, value) -> str:
    """A p-value as the book writes it ("0.0390", "< 0.001"); "n/a" when there is none."""
    return w._("n/a") if value is None or _missing(value) else w.p_value(value)


def _p_clause(w: Words, value) -> str:
    """ "p = 0.0390" or "p < 0.001" (or "no p-value"), for a sentence."""
    return w._("no p-value") if value is None or _missing(value) else w.p_clause(value)


def _missing(value) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


# ------------------------------------------------------------------------------ opening
def intro(study, *, lang: str) -> list[Part]:
    """What the chapter checks: the study's published claim, or that it makes none."""
    from analysis.report.qualitative import site_sentence

    w = Words(lang)
    claims = claims_said(study, w)
    lead = site_sentence(study, w)
    if not claims:
        return [
            Text(
                lead
                + " "
                + w._(
                    "The study makes no published claim about the size of the income change "
                    "(the registry's claim columns are empty): this chapter estimates the change "
                    "and puts its size next to what careful evaluations of microcredit find."
                )
            )
        ]
    return [
        Text(
            lead
            + " "
            + w._(
                "It claims that after {programme} the income of the households it spoke to rose "
                "on average by {claims}. This chapter estimates that change as carefully as the "
                "households allow, checks whether the data are consistent with the claim, and "
                "puts its size next to what careful evaluations of microcredit find."
            ).format(programme=markdown_literal(study.programme), claims=w._(" or ").join(claims))
        )
    ]


#: The chapter's sections its brief points to: the template's headings, whose Indonesian is the
#: chapter catalog's (``locales/id/LC_MESSAGES/chapters/income.po``).
SECTIONS = {
    "primary": N_("Did incomes rise more than prices? Small-sample inference"),
    "effect": N_("A change is not an effect"),
    "claims": N_("Checking the claims against the data"),
}


def in_brief(
    study,
    result: ch.IncomeChange,
    test: PrimaryTest,
    did: DiffInDiff | None,
    check: pd.DataFrame,
    edition: str | None,
    *,
    lang: str,
) -> list[Part]:
    """The chapter in brief: the change (``result``, nominal), the primary test and what its
    interval says, why a change is not an effect (or the comparison group ``did``), the study's
    claim and how it fares in the claims ``check``, once that illustrative data illustrate the
    method, and where to read more. Every number is one the chapter records."""
    w = Words(lang)
    return [
        brief.block(
            [
                _brief_change(result, w),
                _brief_primary(test, w),
                _brief_effect(did, w),
                *_brief_claims(study, check, edition, w),
                brief.read_more(
                    [
                        (w._("the primary test"), SECTIONS["primary"]),
                        (w._("the claims and their verdicts"), SECTIONS["claims"]),
                    ],
                    w,
                ),
            ],
            w,
        )
    ]


def _brief_change(result: ch.IncomeChange, w: Words) -> str:
    return w.ngettext(
        "The {n} recipient household's income went from {before} to {after} a month (nominal "
        "Rupiah): a change of **{change}**, {pct}.",
        "The {n} recipient households' incomes went from {before} to {after} a month on average "
        "(nominal Rupiah): a mean change of **{change}**, and a mean of percent changes of {pct}.",
        result.n,
    ).format(
        n=w.integer(result.n),
        before=w.rupiah(result.mean_before),
        after=w.rupiah(result.mean_after),
        change=w.rupiah(result.mean_abs_change),
        pct=_pct(w, result.mean_pct_change, 1),
    )


def primary_summary(test: PrimaryTest, *, lang: str) -> str:
    """The primary test's result in two sentences, as the chapter's brief gives it (the change
    tested, its 95 % interval, what the data say of the null): for other chapters to quote."""
    return _brief_primary(test, Words(lang))


def _brief_primary(test: PrimaryTest, w: Words) -> str:
    verdict = primary_verdict(test, w)
    if test.ci95_low is None:
        return verdict
    numbers = {**_primary_numbers(test, w), "change": f"**{w.rupiah(test.mean_change)}**"}
    if test.null == KEPT_PACE_WITH_PRICES:
        said = w._(
            "Deflated to {prices}, the mean change is {change} a month (95 % CI {low} to {high})."
        ).format(prices=prices_label(test.prices, lang=w.lang), **numbers)
    else:
        said = w._(
            "The incomes could not be deflated: the mean nominal change is {change} a month "
            "(95 % CI {low} to {high})."
        ).format(**numbers)
    return f"{said} {verdict}"


def _brief_effect(did: DiffInDiff | None, w: Words) -> str:
    if did is None:
        return w._(
            "A change is not an effect: every household in these data received the programme, so "
            "nothing here says what they would have earned without it."
        )
    return w.ngettext(
        "A change is not an effect: the data also hold {n} household that did not receive the "
        "programme, and the chapter compares the two groups' changes, which credits the "
        "difference to the programme only if both groups' incomes would otherwise have grown "
        "alike.",
        "A change is not an effect: the data also hold {n} households that did not receive the "
        "programme, and the chapter compares the two groups' changes, which credits the "
        "difference to the programme only if both groups' incomes would otherwise have grown "
        "alike.",
        did.n_comparison,
    ).format(n=w.integer(did.n_comparison))


def _brief_claims(study, check: pd.DataFrame, edition: str | None, w: Words) -> list[str]:
    """The claim and how it fares; on illustrative data, once, that the numbers illustrate the
    method (with the claim: that it cannot be tested on incomes generated to match it)."""
    said = claims_said(study, w)
    incomes = check[check["kind"] == cl.INCOME_CLAIM] if "kind" in check else check.iloc[0:0]
    if not said:
        return [
            w._("The study publishes no claim about the size of the change."),
            brief.illustrative_point(edition, w),
        ]
    claim = w._("The study claims a rise of {claims}.").format(claims=w._(" or ").join(said))
    if not incomes.empty and incomes["verdict"].eq(cl.BY_CONSTRUCTION).all():
        return [
            claim
            + " "
            + w._(
                "These are illustrative data, generated to match that claim: it cannot be tested "
                "here, and the numbers show how the analysis works, not field results."
            )
        ]
    if incomes.empty:
        return [claim, brief.illustrative_point(edition, w)]
    counts = incomes["verdict"].value_counts()
    verdicts = brief.count_words(
        [(int(counts.get(code, 0)), w._(word)) for code, word in VERDICT_WORDS.items()], w
    )
    real = incomes["prices"].astype(str).str.startswith("real").any()
    judged = w.ngettext(
        "Checked against these data ({terms}), it gets {n} verdict: {verdicts}.",
        "Checked against these data ({terms}), it gets {n} verdicts: {verdicts}.",
        len(incomes),
    ).format(
        terms=w._("nominal and real") if real else w._("nominal only"),
        n=w.integer(len(incomes)),
        verdicts=verdicts,
    )
    return [f"{claim} {judged}", brief.illustrative_point(edition, w)]


def claims_said(study, w: Words) -> list[str]:
    """The study's published claims about the income change, in the edition's words ("35 % to
    45 %", "Rp 300,000 to Rp 500,000 a month"); empty when it publishes none."""
    c = study.claim
    claims = []
    if c["claim_pct_low"] is not None:
        low, high = c["claim_pct_low"], c["claim_pct_high"] or c["claim_pct_low"]
        claims.append(
            w.percent(low, _decimals(low))
            if low == high
            else w._("{low} % to {high} %").format(
                low=w.number(low, _decimals(low)), high=w.number(high, _decimals(high))
            )
        )
    if c["claim_rp_low"] is not None:
        low, high = c["claim_rp_low"], c["claim_rp_high"] or c["claim_rp_low"]
        claims.append(
            w._("{amount} a month").format(amount=w.rupiah(low))
            if low == high
            else w._("{low} to {high} a month").format(low=w.rupiah(low), high=w.rupiah(high))
        )
    return claims


def _decimals(value) -> int:
    """Decimals ``format(value, "g")`` shows (35 -> 0, 4.6 -> 1)."""
    text = format(float(value), "g")
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


# ------------------------------------------------------------------------------ the households
#: Headers of the household table as readers see them (the CSV keeps the column names).
HOUSEHOLD_HEADERS = (
    N_("household id"),
    N_("informant id"),
    N_("cluster"),
    N_("component"),
    N_("business type"),
    N_("loan (Rp)"),
    N_("income before (Rp/month)"),
    N_("income after (Rp/month)"),
    N_("change (Rp/month)"),
    N_("change (%)"),
    N_("log change"),
)
#: The columns a reader needs on the page (the download has every column).
HOUSEHOLD_COLUMNS = (
    "household_id",
    "component",
    "business_type",
    "income before (Rp/month)",
    "income after (Rp/month)",
    "change (Rp/month)",
    "change (%)",
)


def household_table(changes: pd.DataFrame, max_rows: int = 20) -> pd.DataFrame:
    """Per-household changes: ids, component, business, incomes and changes (first ``max_rows``).

    Numbers stay numbers (Rupiah a month, percent 0-100) for the CSV download; the chapter shows
    them with :func:`household_formats` and the columns of :data:`HOUSEHOLD_COLUMNS`.
    """
    columns = [
        "household_id",
        "informant_id",
        "cluster",
        "component",
        "business_type",
        "loan_amount",
    ]
    shown = (
        changes.sort_values("household_id").head(max_rows)
        if "household_id" in changes
        else changes.head(max_rows)
    )
    out = shown[[c for c in columns if c in shown.columns]].copy()
    before = changes.attrs.get("before", "income_before")
    after = changes.attrs.get("after", "income_after")
    out["income before (Rp/month)"] = shown[before]
    out["income after (Rp/month)"] = shown[after]
    out["change (Rp/month)"] = shown["abs_change"]
    out["change (%)"] = shown["pct_change"].round(1)
    out["log change"] = shown["log_change"].round(3)
    return out.rename(columns={"loan_amount": "loan (Rp)"}).reset_index(drop=True)


def household_formats(w: Words) -> dict:
    """How the chapter shows the household table's numbers (the CSV keeps them unformatted)."""
    return {
        "income before (Rp/month)": w.rupiah,
        "income after (Rp/month)": w.rupiah,
        "change (Rp/month)": w.rupiah,
        "loan (Rp)": w.rupiah,
        "change (%)": lambda v: w.number(v, 1),
        "log change": lambda v: w.number(v, 3),
    }


def household_download(changes: pd.DataFrame, site: str, *, lang: str) -> list[Part]:
    """Every recipient household (``household_changes``): a CSV download showing the first 20."""
    w = Words(lang)
    return [
        Download(
            household_table(changes, max_rows=len(changes)),
            f"income_{site}_households",
            w._("Every recipient household: incomes before and after, changes"),
            head=20,
            options={"columns": list(HOUSEHOLD_COLUMNS), "formats": household_formats(w)},
        )
    ]


def slopes(households: pd.DataFrame, *, lang: str) -> list[Part]:
    """The slope chart of incomes before and after (:func:`plot_slopes`), with its alt text."""
    return [
        Figure(lambda: plot_slopes(households, lang=lang), alt=slopes_alt(households, lang=lang))
    ]


def slopes_caption(study, households: pd.DataFrame, *, lang: str) -> str:
    """The slope chart's caption (plain text, pasted by ``{glue:text}``): the study, how many
    households, the years of "before" and "after", and what the lines are."""
    w = Words(lang)
    changes = _slope_groups(households)
    before = sorted({int(y) for y in households["year_before"].dropna()})
    after = sorted({int(y) for y in households["year_after"].dropna()})
    return w.ngettext(
        "{site}: monthly income of {n} household before ({before}) and after ({after}) the "
        "programme, one line a household (nominal Rupiah); the thick line joins the means.",
        "{site}: monthly income of {n} households before ({before}) and after ({after}) the "
        "programme, one line a household (nominal Rupiah); the thick line joins the means.",
        len(changes),
    ).format(
        site=study.short_name,
        n=w.integer(len(changes)),
        before="–".join(str(y) for y in before[:: max(1, len(before) - 1)]),
        after="–".join(str(y) for y in after[:: max(1, len(after) - 1)]),
    )


#: The groups of the slope chart (machine values; the legend shows them translated).
_GROUP_LABELS = (N_("recipients"), N_("non-recipients"))

#: Up to this many households, each line of the slope chart is labelled with its household id.
LABELLED_LINES = 12


def _slope_groups(households: pd.DataFrame) -> pd.DataFrame:
    changes = ch.household_changes(households, recipients_only=False)
    if "recipient" in changes.columns:
        recipient = as_bool(changes["recipient"], "recipient")
        return changes.assign(group=np.where(recipient, "recipients", "non-recipients"))
    return changes.assign(group="recipients")


def slopes_alt(households: pd.DataFrame, *, lang: str) -> str:
    """The slope chart's text alternative: what it shows and its means before and after."""
    w = Words(lang)
    changes = _slope_groups(households)
    sentences = [
        w._(
            "Slope chart of household income before and after the programme, one line a "
            "household ({n} households), in nominal Rupiah a month."
        ).format(n=w.integer(len(changes)))
    ]
    for group, part in changes.groupby("group", sort=False):
        sentences.append(
            (
                w._("The mean of the {n} recipients went from {before} to {after}.")
                if group == "recipients"
                else w._("The mean of the {n} non-recipients went from {before} to {after}.")
            ).format(
                n=w.integer(len(part)),
                before=w.rupiah(part["income_before"].mean()),
                after=w.rupiah(part["income_after"].mean()),
            )
        )
    return " ".join(sentences)


def plot_slopes(households: pd.DataFrame, *, lang: str, max_households: int = 200, ax=None):
    """Before -> after slope chart (Rp a month), one line a household, the mean in bold black.

    Lines are coloured by programme component (with a comparison group: recipients and
    non-recipients, solid and dashed), so that they can be told apart without reading each;
    up to :data:`LABELLED_LINES` households each line also carries its household id at its end.
    Above ``max_households`` lines per group only the first ones (by household_id) are drawn.
    Labels are in ``lang``.
    """
    import matplotlib.pyplot as plt

    from analysis import figures

    w = Words(lang)
    changes = _slope_groups(households)
    comparison = changes["group"].nunique() > 1
    if comparison or "component" not in changes.columns:
        changes = changes.assign(colour_by=changes["group"])
    else:
        changes = changes.assign(
            colour_by=changes["component"].map(lambda c: w.label("component", c))
        )
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    kinds = list(dict.fromkeys(changes.sort_values("colour_by")["colour_by"]))
    colours = dict(zip(kinds, figures.palette(min(len(kinds), len(figures.OKABE_ITO) - 1))))
    styles = {"recipients": "-", "non-recipients": "--"}
    xs = np.array([0, 1])
    ends = []
    many = len(changes) > 20
    for (group, kind), part in changes.groupby(["group", "colour_by"], sort=False):
        shown = (
            part.sort_values("household_id").head(max_households)
            if "household_id" in part
            else part.head(max_households)
        )
        for k, row in enumerate(shown.itertuples()):
            ax.plot(
                xs,
                [row.income_before, row.income_after],
                color=colours.get(kind, "0.4"),
                ls=styles[group],
                alpha=0.45 if many else 0.9,
                lw=1.2,
                label=w._("{group} (n = {n})").format(
                    group=w._(kind) if kind in _GROUP_LABELS else kind,
                    n=w.integer(len(part)),
                )
                if k == 0
                else None,
            )
            ends.append((row.income_after, getattr(row, "household_id", "")))
    for group, part in changes.groupby("group", sort=False):
        ax.plot(
            xs,
            [part["income_before"].mean(), part["income_after"].mean()],
            color="black",
            ls=styles[group],
            lw=3,
            marker="o",
            zorder=5,
            label=(
                w._("mean of the {n} recipients")
                if group == "recipients"
                else w._("mean of the {n} non-recipients")
            ).format(n=w.integer(len(part))),
        )
    if len(ends) <= LABELLED_LINES:
        _label_line_ends(ax, ends)
    years_b, years_a = changes["year_before"].unique(), changes["year_after"].unique()
    label_b = w._("before ({year})").format(year=years_b[0]) if years_b.size == 1 else w._("before")
    label_a = w._("after ({year})").format(year=years_a[0]) if years_a.size == 1 else w._("after")
    ax.set_xticks([0, 1], [label_b, label_a])
    ax.set_xlim(-0.12, 1.3 if len(ends) <= LABELLED_LINES else 1.12)
    figures.rupiah_axis(ax, "y", w._("Household income (Rp a month, nominal)"), locale=w.locale)
    ax.set_xlabel(w._("Period"))
    ax.set_title(w._("Household income before and after the programme"))
    ax.legend(
        loc="upper left",
        frameon=False,
        title=w._("lines coloured by group")
        if comparison or "component" not in households.columns
        else w._("lines coloured by component"),
    )
    return fig


def _label_line_ends(ax, ends: list[tuple[float, str]]) -> None:
    """Household ids at the right end of their lines, nudged apart so that none overlaps."""
    if not ends:
        return
    ends = sorted(ends)
    low, high = ax.get_ylim()
    gap = 0.045 * (high - low)
    placed = []
    for value, name in ends:
        y = value if not placed or value - placed[-1] >= gap else placed[-1] + gap
        placed.append(y)
        ax.annotate(
            str(name),
            xy=(1, value),
            xytext=(1.04, y),
            textcoords="data",
            va="center",
            fontsize=7,
            color="0.25",
            arrowprops={"arrowstyle": "-", "color": "0.7", "lw": 0.6},
        )


# ------------------------------------------------------------------------------ the estimate
#: The primary test by its null (:attr:`PrimaryTest.null`), as readers read it.
PRIMARY_TEST = N_("paired t test of the mean real change (incomes deflated to {year} prices)")
PRIMARY_TEST_NOMINAL = N_("paired t test of the mean change (nominal Rupiah a month)")
PRIMARY_ROLE = N_("primary")
SECONDARY_ROLE = N_("secondary")
ROBUSTNESS_NOTE = N_("robustness check")

#: Headers of the chapter's income tables (columns are machine names; readers see these).
TABLE_HEADERS = (
    N_("estimator"),
    N_("value"),
    N_("meaning"),
    N_("role"),
    N_("method"),
    N_("interval (Rp/month)"),
    N_("p (two-sided)"),
    N_("how"),
    N_("statistic"),
    N_("n"),
    N_("mean before"),
    N_("mean after"),
    N_("mean abs change"),
    N_("median abs change"),
    N_("mean pct change"),
    N_("pct change of means"),
)


def estimates(result: ch.IncomeChange, test: PrimaryTest, facts: dict, *, lang: str) -> list[Part]:
    """The primary test, named before any result, and the named estimators.

    ``facts`` are those of :func:`analysis.methods.income.prices.real_terms` (the price years
    and the inflation between them, or why there are no real terms).
    """
    return [
        Text(describe_primary_test(test, facts, lang=lang)),
        Table(summary_table(result, lang=lang)),
    ]


def _price_year(test: PrimaryTest) -> str:
    match = _REAL_PRICES.match(str(test.prices))
    return match.group(1) if match else ""


def describe_primary_test(test: PrimaryTest, facts: dict, *, lang: str) -> str:
    """The one primary test and its null, named before the results; the others are a secondary
    row (the nominal change against zero) and robustness checks.

    With a price series the null is that incomes only kept pace with prices; without one the
    test can only be against zero nominal change, and the text says what that cannot separate.
    """
    w = Words(lang)
    checks = w._(
        "The Wilcoxon signed-rank test, the Hodges-Lehmann median change, the sign-flip "
        "permutation test, the bootstrap and the clustered interval are **robustness checks** of "
        "the primary test, on the same changes: they ask whether the answer survives other "
        "assumptions, and are not further chances to find a small p."
    )
    if test.null == KEPT_PACE_WITH_PRICES:
        return (
            w._(
                "**Primary test, named before any result.** Without a comparison group nothing "
                "in these data says what the households would have earned without the programme. "
                "The least that would have happened is that their incomes kept pace with prices: "
                "national consumer prices rose {inflation} between December {from_year} and "
                "December {base_year}. The primary test therefore asks whether incomes rose more "
                "than prices alone would have raised them: the {test}, with its 95 % interval, "
                "against the null that the mean real change is zero, that is, that incomes only "
                "kept pace with prices. Even a rejection does not make the rise an effect of the "
                "programme: the incomes of households outside it may also have outgrown prices."
            ).format(
                inflation=_pct(w, facts["inflation_pct"], 1),
                from_year=facts["price_from_year"],
                base_year=facts["price_base_year"],
                test=w._(PRIMARY_TEST).format(year=_price_year(test)),
            )
            + " "
            + w._(
                "The paired t test of the nominal change against zero is a **secondary** row: it "
                "tests only that nominal income changed, which rising prices alone would make it do."
            )
            + " "
            + checks
        )
    return (
        w._(
            "**Primary test, named before any result.** The incomes cannot be deflated ({reason}), "
            "so the primary test can only be the {test}, with its 95 % interval, against the null "
            "of no change in nominal income. It asks only whether nominal income changed: it "
            "cannot separate a rise in what incomes buy from a rise in prices, nor either from "
            "the general growth of incomes, the households' own life course or the way the "
            "'before' income was remembered."
        ).format(
            reason=markdown_literal(_real_reason(facts, w)),
            test=w._(PRIMARY_TEST_NOMINAL),
        )
        + " "
        + checks
    )


def summary_table(result: ch.IncomeChange, *, lang: str) -> pd.DataFrame:
    """The named estimators, one row each, formatted for people."""
    w = Words(lang)
    rows = [
        (w._("Households (recipients with both incomes)"), w.integer(result.n), "n"),
        (w._("Mean income before"), w.rupiah(result.mean_before), w._("Rupiah a month")),
        (w._("Mean income after"), w.rupiah(result.mean_after), w._("Rupiah a month")),
        (
            w._("Mean absolute change"),
            w.rupiah(result.mean_abs_change),
            w._("mean of after - before"),
        ),
        (
            w._("Median absolute change"),
            w.rupiah(result.median_abs_change),
            w._("half the households gained less"),
        ),
        (
            w._("Mean of percent changes"),
            _pct(w, result.mean_pct_change, 1),
            w._("average of each household's percent change"),
        ),
        (
            w._("Percent change of the means"),
            _pct(w, result.pct_change_of_means, 1),
            w._("(mean after / mean before - 1) x 100"),
        ),
        (
            w._("Geometric mean ratio"),
            w._("{ratio} (95 % CI {low} to {high})").format(
                ratio=_fixed(w, result.geo_mean_ratio, 3),
                low=_fixed(w, result.geo_ci95_low, 3),
                high=_fixed(w, result.geo_ci95_high, 3),
            ),
            w._("exp(mean log change); t interval on the log scale"),
        ),
    ]
    return pd.DataFrame(rows, columns=["estimator", "value", "meaning"])


def _rupiah_range(w: Words, low, high) -> str:
    return w._("{low} to {high}").format(low=w.rupiah(low), high=w.rupiah(high))


def method_text(result: ch.IncomeChange, key: str, *, lang: str) -> str:
    """How a test ran (``key``: wilcoxon_method, permutation_method, bootstrap_method) in words."""
    w = Words(lang)
    code = getattr(result, key)
    if key == "wilcoxon_method":
        return {
            "exact": w._("exact"),
            "normal": w._("normal approximation with tie correction"),
            "shift_ties_zeros": w._(
                "exact permutation distribution of the signed ranks (shift algorithm, ties and "
                "zeros dropped)"
            ),
            "shift_ties": w._(
                "exact permutation distribution of the signed ranks (shift algorithm, ties)"
            ),
            "shift_zeros": w._(
                "exact permutation distribution of the signed ranks (shift algorithm, zeros "
                "dropped)"
            ),
        }[code]
    if key == "permutation_method":
        if code == "not_computed":
            return w._(
                "not computed (n > {max_n}: the paired t test is its large-sample equivalent)"
            ).format(max_n=w.integer(ch.PERMUTATION_MAX_N))
        flips = w.integer(result.permutation_resamples)
        if code == "exact":
            return w._("exact: all {flips} sign flips").format(flips=flips)
        return w._("Monte Carlo: {flips} random sign flips, seeded").format(flips=flips)
    return {
        "bca": lambda: w._("BCa, {resamples} resamples, seed {seed}").format(
            resamples=w.integer(result.bootstrap_resamples), seed=result.bootstrap_seed
        ),
        "not_run_no_resamples": lambda: w._("not run (0 resamples requested)"),
        "not_run_few": lambda: w._(
            "not run (n < {min_n}: a bootstrap of so few households gives back about their range)"
        ).format(min_n=w.integer(ch.BOOTSTRAP_MIN_N)),
        "not_run_no_spread": lambda: w._("not run (every change is the same: nothing to resample)"),
        "not_run_many": lambda: w._(
            "not run (n > {max_n}; the t interval suffices at this n)"
        ).format(max_n=w.integer(ch.BOOTSTRAP_MAX_N)),
    }[code]()


#: The rows of the inference table by the prices of the primary test: real (with a price
#: series) or nominal. Each is one message, so that a translator sees it whole.
_METHOD_NAMES = {
    "real": {
        "t": N_("Paired t test of the real change (95 %)"),
        "wilcoxon": N_("Wilcoxon signed-rank, real change"),
        "hodges_lehmann": N_("Hodges-Lehmann median real change {estimate}"),
        "permutation": N_("Sign-flip permutation test, real change"),
        "bootstrap": N_("BCa bootstrap interval (95 %), real change"),
    },
    "nominal": {
        "t": N_("Paired t interval (95 %)"),
        "wilcoxon": N_("Wilcoxon signed-rank"),
        "hodges_lehmann": N_("Hodges-Lehmann median change {estimate}"),
        "permutation": N_("Sign-flip permutation test"),
        "bootstrap": N_("BCa bootstrap interval (95 %)"),
    },
}


def _interval_or_no_spread(w: Words, low, high) -> str:
    return w._("no spread") if low is None else _rupiah_range(w, low, high)


def inference_table(
    test: PrimaryTest,
    tested: ch.IncomeChange,
    nominal: ch.IncomeChange | None = None,
    *,
    lang: str,
) -> pd.DataFrame:
    """Intervals and tests, one row a method, with how each was computed.

    The primary test (``test``); with a price series, the paired t test of the nominal change
    against zero as a secondary row (``nominal``); then the robustness checks, run on the
    changes the primary test uses (``tested``: the real :class:`IncomeChange` with a price
    series, else the nominal one).
    """
    w = Words(lang)
    real = test.null == KEPT_PACE_WITH_PRICES
    names = {k: w._(v) for k, v in _METHOD_NAMES["real" if real else "nominal"].items()}
    result = tested
    boot = (
        w._("not run")
        if result.bootstrap_ci95_low is None
        else _rupiah_range(w, result.bootstrap_ci95_low, result.bootstrap_ci95_high)
    )
    hl_interval = (
        w._("not computed (fewer than {min_n} or more than {max_n} households)").format(
            min_n=w.integer(6), max_n=w.integer(ch.HODGES_LEHMANN_MAX_N)
        )
        if result.hodges_lehmann_ci95_low is None
        else _rupiah_range(w, result.hodges_lehmann_ci95_low, result.hodges_lehmann_ci95_high)
    )
    hl_how = w._("median of the Walsh averages; exact interval from the signed-rank distribution")
    if result.hodges_lehmann_confidence:
        hl_how = w._(
            "median of the Walsh averages; exact interval from the signed-rank distribution "
            "(coverage {coverage} %)"
        ).format(coverage=_fixed(w, result.hodges_lehmann_confidence * 100, 1))
    bootstrap = method_text(result, "bootstrap_method", lang=lang)
    boot_how = bootstrap
    if result.exploratory and result.bootstrap_resamples:
        boot_how = w._("{method} - exploratory: n below 20").format(method=bootstrap)
    rows = [
        (
            w._(PRIMARY_ROLE),
            names["t"],
            _interval_or_no_spread(w, test.ci95_low, test.ci95_high),
            _p(w, test.p),
            w._(
                "null: incomes only kept pace with prices (mean real change zero); t "
                "distribution with n - 1 df; assumes roughly normal changes"
            )
            if real
            else w._(
                "null: no change in nominal income; t distribution with n - 1 df; assumes "
                "roughly normal changes"
            ),
        )
    ]
    if real and nominal is not None:
        rows.append(
            (
                w._(SECONDARY_ROLE),
                w._("Paired t test of the nominal change against zero (95 %)"),
                _interval_or_no_spread(w, nominal.t_ci95_low, nominal.t_ci95_high),
                _p(w, nominal.t_p),
                w._(
                    "tests only that nominal income changed: rising prices alone would make it "
                    "change"
                ),
            )
        )
    rows += [
        (
            w._(ROBUSTNESS_NOTE),
            names["wilcoxon"],
            "",
            _p(w, result.wilcoxon_p),
            w._("{method}; smallest p the exact test can give at this n: {p}").format(
                method=method_text(result, "wilcoxon_method", lang=lang),
                p=_p(w, result.wilcoxon_min_p),
            ),
        ),
        (
            w._(ROBUSTNESS_NOTE),
            names["hodges_lehmann"].format(
                estimate=w.rupiah(result.hodges_lehmann) or w._("(not computed)")
            ),
            hl_interval,
            "",
            hl_how,
        ),
        (
            w._(ROBUSTNESS_NOTE),
            names["permutation"],
            "",
            _p(w, result.permutation_p),
            method_text(result, "permutation_method", lang=lang),
        ),
        (w._(ROBUSTNESS_NOTE), names["bootstrap"], boot, "", boot_how),
    ]
    return pd.DataFrame(
        rows, columns=["role", "method", "interval (Rp/month)", "p (two-sided)", "how"]
    )


def inference(
    test: PrimaryTest,
    real: ch.IncomeChange | None,
    nominal: ch.IncomeChange,
    *,
    lang: str,
) -> list[Part]:
    """The primary test's result, the table of intervals and tests, and what the n-dependent
    ones say. ``real`` is the real-terms estimate (None without a price series): the robustness
    checks are run on the changes the primary test uses."""
    tested = nominal if real is None else real
    return [
        Text(describe_primary_result(test, lang=lang)),
        Table(inference_table(test, tested, nominal, lang=lang)),
        Text(describe_inference(tested, lang=lang)),
    ]


def primary_verdict(test: PrimaryTest, w: Words) -> str:
    """What the data say of the primary test's null, from its interval (it excludes zero or it
    does not); without a spread, that there is no t test."""
    real = test.null == KEPT_PACE_WITH_PRICES
    if test.ci95_low is None:
        return (
            w._(
                "Every household's real income changed by the same amount: with no spread there "
                "is no t test."
            )
            if real
            else w._(
                "Every household's income changed by the same amount: with no spread there is "
                "no t test."
            )
        )
    if real:
        if test.ci95_low > 0:
            return w._(
                "The data reject the null that incomes only kept pace with prices: on average "
                "they rose more than prices alone would have raised them."
            )
        if test.ci95_high < 0:
            return w._(
                "The data reject the null that incomes only kept pace with prices: on average "
                "they fell behind prices."
            )
        return w._("The data cannot reject the null that incomes only kept pace with prices.")
    if test.ci95_low > 0:
        return w._("Nominal income rose; whether it rose more than prices, these data cannot say.")
    if test.ci95_high < 0:
        return w._("Nominal income fell; whether it fell behind prices, these data cannot say.")
    return w._("The data cannot reject the null of no change in nominal income.")


def _primary_numbers(test: PrimaryTest, w: Words) -> dict:
    return {
        "change": w.rupiah(test.mean_change),
        "low": w.rupiah(test.ci95_low),
        "high": w.rupiah(test.ci95_high),
        "t": _fixed(w, test.t, 2),
        "df": w.integer(test.df),
        "p": _p_clause(w, test.p),
    }


def describe_primary_result(test: PrimaryTest, *, lang: str) -> str:
    """Markdown on the primary test's result: the change tested, its interval, t, df and p, and
    what the data say of the null (:func:`primary_verdict`)."""
    w = Words(lang)
    real = test.null == KEPT_PACE_WITH_PRICES
    verdict = primary_verdict(test, w)
    if test.ci95_low is None:
        return w._("**The primary test.**") + " " + verdict
    numbers = _primary_numbers(test, w)
    if real:
        text = w._(
            "**The primary test.** In {prices}, the households' mean income changed by {change} a "
            "month (95 % CI {low} to {high}; t = {t} with {df} degrees of freedom, {p})."
        ).format(prices=prices_label(test.prices, lang=lang), **numbers)
        kept_pace = w._(
            "Had every income only kept pace with prices, the mean nominal change would have been "
            "{price_only} a month; it was {nominal}."
        ).format(
            price_only=w.rupiah(test.price_only_change), nominal=w.rupiah(test.mean_nominal_change)
        )
        return " ".join([text, verdict, kept_pace])
    text = w._(
        "**The primary test.** The households' mean nominal income changed by {change} a month "
        "(95 % CI {low} to {high}; t = {t} with {df} degrees of freedom, {p})."
    ).format(**numbers)
    return text + " " + verdict


def describe_inference(result: ch.IncomeChange, *, lang: str) -> str:
    """Markdown sentences on the tests that depend on n (permutation, bootstrap)."""
    w = Words(lang)
    parts = [
        w._("The sign-flip permutation test gives {p} ({method}).").format(
            p=_p_clause(w, result.permutation_p),
            method=method_text(result, "permutation_method", lang=lang),
        )
    ]
    bootstrap = method_text(result, "bootstrap_method", lang=lang)
    if result.bootstrap_ci95_low is None:
        parts.append(w._("The bootstrap interval was {method}.").format(method=bootstrap))
    elif result.exploratory:
        parts.append(
            w._(
                "The BCa bootstrap interval ({low} to {high}) is **exploratory**: with {n} "
                "households (fewer than {minimum}) the bootstrap distribution is a coarse picture "
                "of a few values and its intervals tend to be too narrow."
            ).format(
                low=w.rupiah(result.bootstrap_ci95_low),
                high=w.rupiah(result.bootstrap_ci95_high),
                n=w.integer(result.n),
                minimum=w.integer(ch.EXPLORATORY_BELOW_N),
            )
        )
    else:
        parts.append(
            w._("The BCa bootstrap interval is {low} to {high} ({method}).").format(
                low=w.rupiah(result.bootstrap_ci95_low),
                high=w.rupiah(result.bootstrap_ci95_high),
                method=bootstrap,
            )
        )
    return " ".join(parts)


# ------------------------------------------------------------------------------ clusters
def clusters(clustered: ClusterRobust | None, *, lang: str) -> list[Part]:
    """The cluster-robust interval with the few-clusters caveat, or why there is none."""
    w = Words(lang)
    if clustered is None:
        return [Text(w._("The recipients all come from one cluster: no cluster-robust interval."))]
    return [Text(describe_clusters(clustered, lang=lang))]


def describe_clusters(clustered: ClusterRobust, *, lang: str) -> str:
    """Markdown sentences on the cluster-robust interval, with the few-clusters caveat; or why
    there is none when its standard error is degenerate (zero up to rounding)."""
    w = Words(lang)
    n_clusters = w.integer(clustered.n_clusters)
    prices = prices_label(clustered.prices, lang=lang)
    if clustered.degenerate:
        return w._(
            "**Clustered by neighbourhood.** The {clusters} clusters have the same mean change "
            "({estimate} a month, {prices}), so the cluster-robust standard error is zero up to "
            "rounding: it measures nothing, and no clustered interval is given."
        ).format(clusters=n_clusters, estimate=w.rupiah(clustered.estimate), prices=prices)
    text = w._(
        "**Clustered by neighbourhood.** With standard errors clustered by the {clusters} "
        "clusters (OLS on a constant, t with {df} degrees of freedom), the mean change is "
        "{estimate} a month ({prices}), 95 % CI {low} to {high}."
    ).format(
        clusters=n_clusters,
        df=w.integer(clustered.df),
        estimate=w.rupiah(clustered.estimate),
        prices=prices,
        low=w.rupiah(clustered.ci95_low),
        high=w.rupiah(clustered.ci95_high),
    )
    if clustered.n_clusters < FEW_CLUSTERS_FOR_ROBUST:
        text += " " + w._(
            "With only {clusters} clusters the cluster-robust standard error is itself "
            "imprecise and tends to be too small; the wide t reference distribution partly offsets "
            "this, but the interval should be read as indicative."
        ).format(clusters=n_clusters)
    return text


# ------------------------------------------------------------------------------ comparison
NO_COMPARISON_TEXT = N_(
    "**No comparison group.** Every household in these data received the programme, so the "
    "before/after change is not an effect of the programme. Beyond prices, which the primary test "
    "allows for where the data hold a price series, the change holds everything else that changed "
    "between the two years: the general growth of real incomes in the town, the households' own "
    "life course, and the way the 'before' income was remembered. A comparison group of similar "
    "non-recipient households, interviewed the same way, would allow a difference-in-differences; "
    "the chapter shows one automatically when the data hold one."
)

#: Why a difference-in-differences has no p-value, by the code of ``DiffInDiff.no_p_reason``.
NO_P_REASONS = {
    ONE_TREATED_CLUSTER: N_(
        "no p-value: all recipients live in one cluster, so the programme cannot be told apart "
        "from anything else that happened to that one neighbourhood (a market, a road, a flood); "
        "cluster-robust errors have no between-cluster variation to estimate from (they give "
        "absurdly small p-values), and randomization over which cluster was treated has only as "
        "many assignments as clusters, none of them a real replication"
    ),
    NO_OTHER_ASSIGNMENT: N_("no p-value: no other assignment of the labels"),
    DEGENERATE_SE: N_(
        "no p-value: the cluster-robust standard error is zero up to rounding, so it measures "
        "nothing"
    ),
}


def comparison(did: DiffInDiff | None, *, lang: str) -> list[Part]:
    """The difference-in-differences, or why a before/after change is not an effect."""
    w = Words(lang)
    if did is None:
        return [Text(w._(NO_COMPARISON_TEXT))]
    return [Text(describe_did(did, lang=lang))]


def describe_did(did: DiffInDiff, *, lang: str) -> str:
    """Markdown paragraph on the difference-in-differences, with the few-clusters and
    parallel-trends caveats."""
    w = Words(lang)
    text = (
        w._(
            "**Difference-in-differences.** The data hold {comparison} non-recipient households "
            "besides {recipients} recipients, in {treated} cluster(s) with recipients and {others} "
            "with non-recipients."
        ).format(
            comparison=w.integer(did.n_comparison),
            recipients=w.integer(did.n_recipients),
            treated=w.integer(did.n_treated_clusters),
            others=w.integer(did.n_comparison_clusters),
        )
        + " "
        + (
            w._(
                "Mean log income rose by {recipient_change} among recipients and by "
                "{comparison_change} among non-recipients: an estimated effect of {effect} % "
                "(recipient x period in a regression of log income on recipient and period)."
            )
            if did.no_p_reason != ONE_TREATED_CLUSTER
            else w._(
                "Mean log income rose by {recipient_change} among recipients and by "
                "{comparison_change} among non-recipients: a difference of {effect} % between "
                "the two groups' changes, which one treated cluster cannot attribute to the "
                "programme."
            )
        ).format(
            recipient_change=_fixed(w, did.recipient_log_change, 3),
            comparison_change=_fixed(w, did.comparison_log_change, 3),
            effect=_fixed(w, did.did_pct, 1),
        )
        + " "
    )
    if did.inference == "cluster-robust":
        text += (
            w._(
                "With errors clustered by the {clusters} clusters, the 95 % CI is {low} to "
                "{high} % ({p})."
            ).format(
                clusters=w.integer(did.n_clusters),
                low=_fixed(w, did.did_pct_ci95_low, 1),
                high=_fixed(w, did.did_pct_ci95_high, 1),
                p=_p_clause(w, did.p),
            )
            + " "
        )
    elif did.p is None:
        reason = NO_P_REASONS.get(did.no_p_reason, did.no_p_reason or "")
        text += w._("There is **{reason}**.").format(reason=w._(reason)) + " "
    else:
        assignments = w.integer(did.randomization_assignments)
        over_clusters = did.inference == "randomization (clusters)"
        if did.randomization_exact:
            how = (
                w._("every one of {n} assignments of the same number of treated clusters")
                if over_clusters
                else w._("every one of {n} assignments of the recipient labels within clusters")
            )
        else:
            how = (
                w._("a seeded sample of {n} assignments of the same number of treated clusters")
                if over_clusters
                else w._(
                    "a seeded sample of {n} assignments of the recipient labels within clusters"
                )
            )
        numbers = {
            "treated": w.integer(did.n_treated_clusters),
            "comparison": w.integer(did.n_comparison_clusters),
            "few": w.integer(FEW_CLUSTERS),
            "how": how.format(n=assignments),
            "p": _p_clause(w, did.p),
        }
        text += (
            w._(
                "**Few clusters**: with {treated} treated and {comparison} comparison "
                "clusters (fewer than {few} of either), cluster-robust standard errors are far "
                "too small (here p = {robust_p}), so the p-value comes from randomization "
                "inference over {how}: {p} under the sharp null that the programme changed no "
                "household's income."
            ).format(robust_p=_g(w, did.cluster_robust_p, ".2g"), **numbers)
            if did.cluster_robust_p is not None
            else w._(
                "**Few clusters**: with {treated} treated and {comparison} comparison "
                "clusters (fewer than {few} of either), the cluster-robust standard error is "
                "zero up to rounding and is not given, so the p-value comes from randomization "
                "inference over {how}: {p} under the sharp null that the programme changed no "
                "household's income."
            ).format(**numbers)
        ) + " "
    if did.n_missing_cluster:
        text += (
            w._("{n} household(s) without a recorded cluster are left out.").format(
                n=w.integer(did.n_missing_cluster)
            )
            + " "
        )
    return text + w._(
        "This is an effect only under **parallel trends**: without the programme, recipients' "
        "incomes would have grown like non-recipients'. Two periods cannot test that, and "
        "recipients chosen for their business prospects, or who sought credit because their "
        "business was growing, would break it."
    )


# ------------------------------------------------------------------------------ prices
_REAL_PRICES = re.compile(r"^real Rupiah of (\d{4})$")


def prices_label(prices: str, *, lang: str) -> str:
    """The prices of an estimate as readers read them: "nominal", "real Rupiah of 2017"."""
    w = Words(lang)
    if prices == "nominal":
        return w._("nominal")
    match = _REAL_PRICES.match(str(prices))
    if match:
        return w._("real Rupiah of {year}").format(year=match.group(1))
    return w._(prices)


#: The rows of :func:`nominal_real_table`, by field of :class:`IncomeChange`.
NOMINAL_REAL_LABELS = {
    "mean_before": N_("Mean income before"),
    "mean_after": N_("Mean income after"),
    "mean_abs_change": N_("Mean absolute change"),
    "median_abs_change": N_("Median absolute change"),
    "t_ci95_low": N_("Paired t 95 % CI, low"),
    "t_ci95_high": N_("Paired t 95 % CI, high"),
    "mean_pct_change": N_("Mean of percent changes"),
    "pct_change_of_means": N_("Percent change of the means"),
    "geo_mean_ratio": N_("Geometric mean ratio"),
}


def nominal_real_table(
    nominal: ch.IncomeChange, real: ch.IncomeChange, *, lang: str
) -> pd.DataFrame:
    """Nominal and real summaries side by side (Rupiah a month; percent)."""
    w = Words(lang)

    def show(key, value):
        if key == "geo_mean_ratio":
            return _fixed(w, value, 3)
        if key.endswith(("pct_change", "of_means")):
            return _pct(w, value, 1)
        return w.rupiah(value)

    labels = NOMINAL_REAL_LABELS
    return pd.DataFrame(
        {
            "statistic": [w._(label) for label in labels.values()],
            prices_label(nominal.prices, lang=lang): [show(k, getattr(nominal, k)) for k in labels],
            prices_label(real.prices, lang=lang): [show(k, getattr(real, k)) for k in labels],
        }
    )


#: Programme names (upper case) whose history :data:`PROGRAMME_HISTORY` tells.
PROGRAMME_HISTORY_NAMES = ("P2KP", "PNPM MANDIRI PERKOTAAN", "KOTAKU")
#: Where a P2KP study's "before" year may lie; ``{study}`` is e.g. "A 2017 study".
PROGRAMME_HISTORY = N_(
    "**Which P2KP?** P2KP (*Proyek Penanggulangan Kemiskinan di Perkotaan*) began in 1999 "
    "{cite:p}`p2kp_juklak2007`; from 2007 it ran as PNPM Mandiri Perkotaan; in 2015 PNPM Mandiri "
    "Perkotaan was declared finished and the work went on as *Program Peningkatan Kualitas "
    "Permukiman*, again abbreviated P2KP {cite:p}`p2kp_renamed2015`; from 2016 KOTAKU (*Kota Tanpa "
    "Kumuh*) built on the same community boards (BKM) {cite:p}`kotaku2016`. {study} about "
    '"P2KP" may therefore describe the revolving-credit groups (BKM/KSM) of the original project '
    'as they ran on, and the "before" year of its incomes could lie anywhere from the household\'s '
    "first loan onwards: the year assumed here is an assumption, not a finding. Evaluations of the "
    "urban programme are few and mixed: in Tasikmalaya revolving loans were associated with higher "
    "household consumption (OLS, 110 households) {cite:p}`nafiana_tasikmalaya`; in Kelurahan "
    "Jamika, Bandung, the programme had no significant effect on the number of poor households "
    "{cite:p}`santoso_jamika`; for contrast, the impact evaluation of the rural PNPM found higher "
    "real consumption per head and better chances of escaping poverty {cite:p}`voss2012`."
)


def programme_history(study, *, lang: str) -> str:
    """Where the study's "before" year may lie, for programmes whose history the book records.

    :data:`PROGRAMME_HISTORY` in ``lang``, its ``{study}`` filled in ("A 2017 study", the study's
    fieldwork year, or "A study" without one); "" for other programmes. The text holds MyST
    roles (``{cite:p}``), so it is filled by replacement, not ``format``.
    """
    names = {p.strip().upper() for p in str(study.programme).replace("/", ";").split(";")}
    if not names & set(PROGRAMME_HISTORY_NAMES):
        return ""
    w = Words(lang)
    year = study.fieldwork_year
    who = w._("A {year} study").format(year=year) if year else w._("A study")
    return w._(PROGRAMME_HISTORY).replace("{study}", who)


#: Why there are no real terms, by the reason ``prices.real_terms`` gives (else its message).
REAL_REASONS = {NO_PRICE_SERIES: N_("the data hold no consumer price series")}


def _real_reason(facts: dict, w: Words) -> str:
    reason = facts["real_reason"]
    return w._(REAL_REASONS[reason]) if reason in REAL_REASONS else reason


def real_terms(
    study,
    nominal,
    real_result,
    facts: dict,
    notes: dict,
    test: PrimaryTest | None = None,
    *,
    lang: str,
) -> list[Part]:
    """The nominal-and-real section: where the years come from, the deflator, what prices alone
    would have done (the null of the primary test ``test``), the table."""
    w = Words(lang)
    parts: list[Part] = [
        Text(markdown_literal(notes.get("years_note", ""))),
        Text(programme_history(study, lang=lang)),
    ]
    if real_result is None:
        return parts + [
            Text(
                w._(
                    "**Nominal changes only.** The incomes cannot be deflated: {reason}. Every "
                    "figure of this chapter is in the Rupiah of the households' own years, the "
                    "primary test is against no change in nominal income, and the claims are "
                    "checked in nominal terms only."
                ).format(reason=markdown_literal(_real_reason(facts, w)))
            )
        ]
    text = w._(
        "Deflated with national consumer price inflation, December on December, as BPS "
        "reports it (`public/cpi_inflation_national.csv`), both incomes are in the prices "
        "of {base_year}: prices rose {inflation} between December {from_year} and "
        "December {base_year}. In real terms the mean change is {change} a month and the "
        "mean of percent changes {pct_change}. National inflation is a rough deflator for "
        "one place; no regional price series is in the data."
    ).format(
        base_year=facts["price_base_year"],
        inflation=_pct(w, facts["inflation_pct"], 1),
        from_year=facts["price_from_year"],
        change=w.rupiah(real_result.mean_abs_change),
        pct_change=_pct(w, real_result.mean_pct_change, 1),
    )
    if test is not None and test.price_only_change is not None:
        text += " " + w._(
            "Had the households' incomes only kept pace with prices, they would have risen by "
            "{price_only} a month on average, against the {nominal} they rose in nominal terms: "
            "that is the null of the primary test below."
        ).format(
            price_only=w.rupiah(test.price_only_change), nominal=w.rupiah(test.mean_nominal_change)
        )
    parts.append(Text(text))
    return parts + [Table(nominal_real_table(nominal, real_result, lang=lang))]


# ------------------------------------------------------------------------------ groups and power
def group_heading(column: str, *, lang: str) -> str:
    """The bold line above a group table: "**By component** (recipients, ...)"."""
    w = Words(lang)
    if column == "component":
        return w._("**By component** (recipients, nominal Rupiah a month)")
    if column == "business_type":
        return w._("**By business type** (recipients, nominal Rupiah a month)")
    return w._("**By {column}** (recipients, nominal Rupiah a month)").format(
        column=markdown_literal(column.replace("_", " "))
    )


def group_table(frame: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """A ``change_by_group`` frame formatted for people."""
    w = Words(lang)
    out = frame.copy()
    for column in ("mean_before", "mean_after", "mean_abs_change", "median_abs_change"):
        out[column] = out[column].map(lambda v: w.rupiah(v))
    for column in ("mean_pct_change", "pct_change_of_means"):
        out[column] = out[column].map(lambda v: _pct(w, v, 1))
    return out


def groups(by_column: dict[str, pd.DataFrame], *, lang: str) -> list[Part]:
    """The change by component and by business type (``power.groups_of``), each with its heading."""
    parts: list[Part] = []
    for column, frame in by_column.items():
        parts += [Text(group_heading(column, lang=lang)), Table(group_table(frame, lang=lang))]
    return parts


def power(result: Power, *, lang: str) -> list[Part]:
    """What the design could detect with the primary test, in one sentence."""
    w = Words(lang)
    return [
        Text(
            w._(
                "At n = {n}, the smallest mean change the primary test detects with {power} % "
                "power is {mde} a month ({prices}; {mde_pct} %); detecting a {target} % change "
                "needs {needed} households."
            ).format(
                prices=prices_label(result.prices, lang=lang),
                n=w.integer(result.n),
                power=_fixed(w, result.power * 100, 0),
                mde=w.rupiah(result.mde_abs_change),
                mde_pct=_fixed(w, result.mde_pct_change, 1),
                target=_g(w, result.target_pct),
                needed=w.integer(result.n_for_target),
            )
        )
    ]


# ------------------------------------------------------------------------------ claims
#: Verdicts and kinds as readers read them, by code.
VERDICT_WORDS = {
    cl.CONSISTENT: N_("consistent"),
    cl.INCONSISTENT: N_("inconsistent"),
    cl.INCONCLUSIVE: N_("inconclusive"),
    cl.NOT_TESTABLE: N_("not testable"),
    cl.BY_CONSTRUCTION: N_("by construction"),  # the note above the claims table says why
    cl.NO_CLAIM: N_("no claim"),
}
KIND_WORDS = {cl.INCOME_CLAIM: N_("income"), cl.DESIGN_CLAIM: N_("design")}
BASIS_WORDS = {
    cl.BASIS_CONSTRUCTION: N_(
        "by construction: the illustrative data were generated to match this claim"
    ),
    cl.BASIS_INTERVAL: N_(
        "field data: 95 % t interval and equivalence test (TOST) against the range"
    ),
    cl.BASIS_COUNT: N_("field data: the count or the uses recorded, compared"),
    cl.BASIS_MISSING: N_("the data needed are missing"),
}
MISSING_WORDS = {
    cl.NO_INFORMANTS_FILE: N_("no informants file"),
    cl.NO_INFORMANT_TYPE: N_("informants file has neither informant_type nor role"),
    cl.NO_CREDIT_USE_COLUMN: N_("no credit_use column"),
    cl.NO_CREDIT_USE: N_("no credit use recorded"),
}

#: Headers of the claims table (its columns are machine names; readers see these).
CLAIM_HEADERS = (
    N_("claim"),
    N_("kind"),
    N_("prices"),
    N_("published"),
    N_("data"),
    N_("verdict"),
    N_("basis"),
)
#: Headers of the recall-bias table.
RECALL_HEADERS = (
    N_("understatement (%)"),
    N_("mean change (Rp/month)"),
    N_("mean of percent changes (%)"),
    N_("95 % CI (%)"),
    N_("mean vs claim"),
)


def verdict_word(code: str, *, lang: str) -> str:
    """A verdict code in the edition's words."""
    return Words(lang)._(VERDICT_WORDS.get(code, code))


def _range_text(w: Words, bounds, what: str) -> str:
    low, high = bounds
    if what == "pct":
        text = _g(w, low) if low == high else f"{_g(w, low)}-{_g(w, high)}"
        return text + w.percent_sign
    return w.rupiah(low) if low == high else f"{w.rupiah(low)}-{w.number(high)}"


def _missing_words(data: dict, w: Words) -> str:
    why = data["missing"]
    return w._(MISSING_WORDS[why])


def _claim_row(row, w: Words) -> dict:
    """One row of the claims table in the edition's words."""
    what, data = row["what"], row["data"]
    if what in ("pct", "rp"):
        published = _range_text(w, row["published"], what)
        digits = 1 if what == "pct" else 0
        numbers = {
            "mean": _fixed(w, data["mean"], digits),
            "low": _fixed(w, data["low"], digits),
            "high": _fixed(w, data["high"], digits),
            "tost": _p_clause(w, data["tost_p"]),
            "n": w.integer(data["n"]),
        }
        claim = (
            w._("Mean income increase of {range}")
            if what == "pct"
            else w._("Mean income increase in Rupiah of {range}")
        ).format(range=published)
        shown = (
            w._(
                "mean of percent changes {mean} % (95 % CI {low} to {high} %; TOST {tost}; n = {n})"
            )
            if what == "pct"
            else w._("mean change Rp {mean} (95 % CI {low} to {high}; TOST {tost}; n = {n})")
        ).format(**numbers)
        prices = (
            w._("nominal")
            if row["prices"] == "nominal"
            else w._("real ({year} prices)").format(year=data.get("price_year") or "")
        )
    elif what == "informants":
        core, extra = row["published"]
        counts = {"core": w.integer(core), "additional": w.integer(extra)}
        claim = w._("{core} core informants and {additional} additional").format(**counts)
        published = w._("{core} core, {additional} additional").format(**counts)
        shown = (
            _missing_words(data, w)
            if "missing" in data
            else w._("{core} core, {additional} additional").format(
                core=w.integer(data["core"]), additional=w.integer(data["additional"])
            )
        )
        prices = ""
    else:
        published = ", ".join(w.label("credit_use", u) for u in row["published"])
        uses = (
            ""
            if "missing" in data
            else ", ".join(
                f"{w.label('credit_use', k)} {w.integer(v)}" for k, v in data["uses"].items()
            )
        )
        claim = w._("Revolving credit used as working capital: {uses}").format(uses=published)
        shown = (
            _missing_words(data, w)
            if "missing" in data
            else w._("{uses} (of {n} credit households)").format(uses=uses, n=w.integer(data["n"]))
        )
        prices = ""
    return {
        "claim": claim,
        "kind": w._(KIND_WORDS.get(row["kind"], row["kind"])),
        "prices": prices,
        "published": published,
        "data": shown,
        "verdict": w._(VERDICT_WORDS.get(row["verdict"], row["verdict"])),
        "basis": w._(BASIS_WORDS.get(row["basis"], row["basis"])),
    }


def claims_table(check: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The claims check (``claims.claims_check``) as readers see it, in the edition's words."""
    w = Words(lang)
    rows = [_claim_row(row, w) for _index, row in check.iterrows()]
    return pd.DataFrame(
        rows, columns=["claim", "kind", "prices", "published", "data", "verdict", "basis"]
    )


def recall_table(recall: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The recall-bias sensitivity (``claims.recall_bias``) as readers see it."""
    w = Words(lang)
    where = {
        "below": w._("below the claimed range"),
        "above": w._("above the claimed range"),
        "within": w._("within the claimed range"),
    }
    rows = []
    for row in recall.to_dict("records"):
        u = row["understatement"]
        rows.append(
            {
                "understatement (%)": w._("{u} (mean leaves the range)").format(u=_fixed(w, u, 1))
                if row["leaves"]
                else _g(w, u),
                "mean change (Rp/month)": w.rupiah(row["mean_change"]),
                "mean of percent changes (%)": _fixed(w, row["mean_pct"], 1),
                "95 % CI (%)": ""
                if row["ci95_low"] is None or _missing(row["ci95_low"])
                else w._("{low} to {high}").format(
                    low=_fixed(w, row["ci95_low"], 1), high=_fixed(w, row["ci95_high"], 1)
                ),
                "mean vs claim": where.get(row["position"], ""),
                "verdict": w._(VERDICT_WORDS.get(row["verdict"], row["verdict"])),
            }
        )
    return pd.DataFrame(rows)


def describe_claims_rule(*, real: bool = True, lang: str) -> str:
    """Markdown on how the claims are judged: on intervals, never "reproduced". ``real``: whether
    the claims are also judged in real terms. What illustrative data mean for the verdicts is said
    once, by :func:`calibration_text`."""
    w = Words(lang)
    text = (
        w._(
            "**How the claims are judged.** An income claim is *consistent* with the data when an "
            "equivalence test (two one-sided t tests, TOST, at 5 %) shows the mean inside the "
            "published range, i.e. its 90 % interval lies within it; *inconsistent* when the 95 % "
            "interval lies wholly outside the range; *inconclusive* otherwise: a mean inside the "
            "range with an interval reaching beyond it does not support the claim."
        )
        + " "
        + (
            w._("Each income claim is judged in nominal and in real terms.")
            if real
            else w._(
                "The claims are judged in nominal terms only (the incomes could not be deflated)."
            )
        )
        + " "
        + w._("A verdict says nothing about whether the change is an effect of the programme.")
    )
    return text


def calibration_text(notes: dict, *, lang: str) -> str:
    """How the illustrative incomes were made, when the data are the shipped illustrative ones."""
    w = Words(lang)
    c = notes.get("calibration")
    if not c:
        return w._(
            "The data are not the generated illustrative edition: agreement or disagreement with "
            "the published claims is a finding of these data."
        )
    return w._(
        "The data are the illustrative edition, so the agreement is **by construction**: the "
        "generator scaled the incomes so that the mean percent change is {pct} and the mean "
        "change {amount} (the midpoints of the published ranges) before rounding to the "
        "nearest {step}. Only a researcher's own field data can support or contradict the claim."
    ).format(
        pct=w.percent(c["target_mean_pct"], 0),
        amount=w.rupiah(c["target_mean_abs"]),
        step=w.rupiah(c["round_to"]),
    )


def claims_text(check: pd.DataFrame, notes: dict, *, lang: str) -> str:
    """The sentence above the claims table: no claims, by construction, or field data."""
    w = Words(lang)
    if check.empty:
        return w._(
            "The registry records no published claim of this study that the data could check "
            "(claim columns of `study/studies.csv`): there is nothing to check."
        )
    return calibration_text(notes, lang=lang)


def describe_recall_bias(recall: pd.DataFrame, *, lang: str) -> str:
    """Markdown on the recall-bias sensitivity table."""
    w = Words(lang)
    leaves = recall.attrs.get("leaves_range_at_pct")
    text = (
        w._(
            "**If the 'before' incomes were remembered as lower than they were.** The table "
            "assumes each household reported only (100 - u) % of its true income before and "
            "recomputes the change."
        )
        + " "
    )
    if leaves is None:
        return text + w._(
            "Within 0-99 % the mean percent change does not leave the claimed range from below."
        )
    return text + w._(
        "An understatement of only **{u} %** already takes the mean of percent changes below the "
        "claimed range: the claim is very sensitive to how the past was remembered."
    ).format(u=_fixed(w, leaves, 1))


def claims(
    check: pd.DataFrame,
    recall: pd.DataFrame | None,
    edition: str,
    notes: dict,
    *,
    real: bool,
    lang: str,
) -> list[Part]:
    """The claims against the data: how they are judged, the table, the recall-bias sensitivity.

    On illustrative data the caveat is said once, by the note above the table
    (:func:`calibration_text`): each claim's verdict is the code word "by construction", its basis
    left empty (the column dropped when every row's is), and the recall table, whose rows would
    all have the same verdict, has no verdict column. ``edition`` is the data's; the verdict codes
    of ``check`` and ``recall`` say what it means for each row."""
    if check.empty:
        return [Text(claims_text(check, notes, lang=lang))]
    shown = claims_table(check, lang=lang)
    built = check["basis"].eq(cl.BASIS_CONSTRUCTION).to_numpy()
    shown.loc[built, "basis"] = ""  # the note above says why, once; the verdict says which rows
    if not shown["basis"].astype(bool).any():
        shown = shown.drop(columns="basis")
    parts: list[Part] = [
        Text(describe_claims_rule(real=real, lang=lang)),
        Text(claims_text(check, notes, lang=lang)),
        Table(shown),
    ]
    if recall is not None:
        sensitivity = recall_table(recall, lang=lang)
        if recall["verdict"].eq(cl.BY_CONSTRUCTION).all():  # every row the same: said above
            sensitivity = sensitivity.drop(columns="verdict")
        parts += [Text(describe_recall_bias(recall, lang=lang)), Table(sensitivity)]
    return parts


# ------------------------------------------------------------------------------ loans
def loans(loans: LoanReturn | None, prices: str, *, lang: str) -> list[Part]:
    """The household income gain per Rupiah borrowed, and what it is not."""
    w = Words(lang)
    if loans is None:
        return [
            Text(
                w._(
                    "The data carry no loan amounts, so the income gain per Rupiah borrowed "
                    "cannot be computed."
                )
            )
        ]
    return [
        Text(
            w._(
                "The {n} households with a revolving-credit loan borrowed {mean_loan} on average "
                "(median {median_loan}) and their household income rose by {gain} a month, in "
                "{prices}: **{return_pct} % of the loan a month** (median household "
                "{median_return} %). This is a household's whole income gain divided by its "
                "loan, not a return on capital: it credits the loan with every other change in "
                "the household's earnings, and it ignores the household's own capital and labour. "
                "De Mel, McKenzie and Woodruff measured something different, the return on "
                "capital of Sri Lankan microenterprises given randomised grants, {low}-{high} % a "
                "month; the ratio of {multiple} is a sign of how much of the gain the loan alone "
                "would have to explain, not a comparison of like with like."
            ).format(
                n=w.integer(loans.n),
                mean_loan=w.rupiah(loans.mean_loan),
                median_loan=w.rupiah(loans.median_loan),
                gain=w.rupiah(loans.mean_change),
                prices=prices_label(prices, lang=lang),
                return_pct=_fixed(w, loans.return_of_means_pct, 1),
                median_return=_fixed(w, loans.median_return_pct, 1),
                low=_g(w, loans.benchmark_low_pct),
                high=_g(w, loans.benchmark_high_pct),
                multiple=_fixed(w, loans.multiple_of_benchmark, 1),
            )
        )
    ]
