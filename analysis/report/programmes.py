"""What the programmes chapter says: each study's programmes and the studies side by side, in the
edition's language.

The tables come from :mod:`analysis.methods.inventory` (identifiers and counts); here their
headers and the values of labelled columns (sector, level, instrument, planning) become words.
Study names and programme names are data: put into Markdown, they go through
:mod:`analysis.literal`.
"""

from __future__ import annotations

import pandas as pd

from analysis.data import contract
from analysis.data.contract import LEVELS, PLANNING
from analysis.i18n import N_
from analysis.literal import markdown_literal
from analysis.methods import inventory
from analysis.report import brief
from analysis.report.parts import Figure, Part, Table, Text
from analysis.report.words import Words

DIMENSIONS = inventory.DIMENSIONS
#: Column headers of the inventory tables for readers (the frames keep the identifiers).
HEADERS = {
    "site": N_("site"),
    "study": N_("study"),
    "programme": N_("programme"),
    "sector": N_("sector"),
    "instrument": N_("instrument"),
    "level": N_("level"),
    "planning": N_("planning"),
    "target": N_("target"),
    "source": N_("source"),
    "total": N_("total"),
    "regency_innovation": N_("regency innovation"),
}
#: How the description of a reconstructed programme starts (in the data's language: the
#: Indonesian description of the data layer starts with the translation).
RECONSTRUCTED = N_("Illustrative reconstruction")


def value_label(column: str, value, *, lang: str) -> str:
    """A value of an inventory column as readers read it, in the edition's language."""
    w = Words(lang)
    if contract.labelled(column):
        return w._(contract.label(column, value))
    return w._(contract.words(value))


def for_readers(frame: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """An inventory table with its headers (and the values of labelled columns) for readers.

    English reads as the identifiers' words; the Indonesian edition gets "sektor", "jumlah" and
    translated sectors, levels and instruments. Site columns (study names) and programme names
    stay as they are.
    """
    w = Words(lang)
    shown = frame.copy()
    name = shown.index.name
    if name in HEADERS and not isinstance(shown.index, pd.MultiIndex):
        labelled = shown.index.map(lambda v: value_label(name, v, lang=lang))
        shown.index = pd.Index(labelled, name=w._(HEADERS[name]))
    for column in shown.columns:
        if column in DIMENSIONS:
            shown[column] = shown[column].map(
                lambda v, c=column: v if pd.isna(v) else value_label(c, v, lang=lang)
            )
    return shown.rename(columns={c: w._(HEADERS[c]) for c in shown.columns if c in HEADERS})


# --------------------------------------------------------------------------- what the chapter shows
def programme_facts(programmes: pd.DataFrame, *, lang: str) -> dict:
    """Counts the programmes chapter quotes (:func:`inventory.programme_facts`); a reconstructed
    row is known by its description's first words, in English or in the edition's language."""
    w = Words(lang)
    return inventory.programme_facts(programmes, (RECONSTRUCTED, w._(RECONSTRUCTED)))


#: The chapter's sections its brief points to: the template's headings, whose Indonesian is the
#: chapter catalog's (``locales/id/LC_MESSAGES/chapters/programmes.po``).
SECTIONS = {
    "side_by_side": N_("The studies side by side"),
    "innovations": N_("Regency programmes for households the central data miss"),
}


def in_brief(
    programmes: pd.DataFrame, sites: dict[str, str], edition: str | None, *, lang: str
) -> list[Part]:
    """The chapter in brief: how many programmes each study names (national ones among them),
    the regency's own programmes, the reconstructed rows, what an inventory cannot say, once
    that illustrative data illustrate the method, and where to read more. Every number is one
    the chapter records (:func:`programme_facts`)."""
    w = Words(lang)
    facts = programme_facts(programmes, lang=lang)
    labels = inventory.site_labels(programmes, sites)
    each = [
        w._("{site} {n} ({central} national)").format(
            site=markdown_literal(label),
            n=w.integer(facts[f"n_{site}"]),
            central=w.integer(facts[f"n_central_{site}"]),
        )
        for site, label in labels.items()
    ]
    listed = (
        w.ngettext(
            "The inventory lists {n} programme: {each}.",
            "The inventory lists {n} programmes: {each}.",
            len(programmes),
        ).format(n=w.integer(len(programmes)), each=w.conjunction(each))
        if len(programmes)
        else w._("The inventory lists no programme.")
    )
    own = facts.get("n_innovations", 0)
    innovations = (
        w.ngettext(
            "{n} regency programme reaches poor households missing from the central data.",
            "{n} regency programmes reach poor households missing from the central data.",
            own,
        ).format(n=w.integer(own))
        if own
        else ""
    )
    rebuilt = facts.get("n_reconstructed", 0)
    reconstructed = (
        w.ngettext(
            "{n} row is reconstructed from a study's findings, not documented by a regulation or "
            "guideline.",
            "{n} rows are reconstructed from a study's findings, not documented by a regulation "
            "or guideline.",
            rebuilt,
        ).format(n=w.integer(rebuilt))
        if rebuilt
        else ""
    )
    cannot = w._(
        "The inventory holds what the studies name, not every programme at their sites, and says "
        "nothing of spending, reach or effects."
    )
    pointers = [
        (w._("sectors and instruments"), SECTIONS["side_by_side"]),
        (w._("the regency's own programmes"), SECTIONS["innovations"]),
    ]
    return [
        brief.block(
            [
                listed,
                " ".join(t for t in (innovations, reconstructed) if t),
                (cannot + " " + brief.illustrative_point(edition, w)).strip(),
                brief.read_more(pointers, w),
            ],
            w,
        )
    ]


def reconstruction_note(programmes: pd.DataFrame, *, lang: str) -> Text:
    """The note on reconstructed rows, when the inventory has any."""
    n = programme_facts(programmes, lang=lang).get("n_reconstructed", 0)
    if not n:
        return Text("")
    w = Words(lang)
    return Text(
        ":::{note}\n"
        + w._(
            "**What is documented and what is reconstructed.** Programmes are listed with the "
            "regulation or guideline that governs them where the studies name one. Where a study "
            "reports what a programme does but names none, the row is built from its findings: "
            "the {n} such rows are **illustrative reconstructions**, and their description says so."
        ).format(n=n)
        + "\n:::"
    )


def programme_parts(programmes: pd.DataFrame, sites: dict[str, str], *, lang: str) -> list[Part]:
    """For each study (registry order): a sentence with its counts and its inventory table."""
    w = Words(lang)
    parts: list[Part] = []
    labels = inventory.site_labels(programmes, sites)
    for site, label in labels.items():
        rows = programmes[programmes["site"] == site]
        central = int((rows["level"] == "central").sum())
        own = inventory.regency_innovations(rows)
        counts = w.ngettext(
            "**{site}**: {n} programme, {central} of them national",
            "**{site}**: {n} programmes, {central} of them national",
            len(rows),
        ).format(site=markdown_literal(label), n=len(rows), central=central)
        sentence = counts + (
            w.ngettext(
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
        parts += [Text(sentence), Table(shown)]
    missing = [label for site, label in sites.items() if site not in labels]
    if missing:
        parts.append(
            Text(
                w._(
                    "The inventory lists no programme for {sites} (no rows of `programmes.csv` "
                    "with that site)."
                ).format(sites=", ".join(markdown_literal(m) for m in missing))
            )
        )
    return parts


def innovation_parts(
    programmes: pd.DataFrame, sites: dict[str, str] | None = None, *, lang: str
) -> list[Part]:
    """The regency's own programmes for households the central data miss, or why there are none."""
    w = Words(lang)
    own = inventory.regency_innovations(programmes)
    if own.empty:
        return [
            Text(
                w._(
                    "No programme of the inventory is marked as a regency programme reaching poor "
                    "households missing from the central data (`regency_innovation`)."
                )
            )
        ]
    return [
        Text(
            w._(
                "These programmes are like the central ones but paid from a regency budget, for "
                "poor households that the central data miss."
            )
        ),
        Table(own.drop(columns="source"), {"labels": {"site": sites or {}}}),
    ]


def side_by_side(programmes: pd.DataFrame, sites: dict[str, str], *, lang: str) -> list[Part]:
    """By sector and by instrument, each cell the programmes of one study."""
    return [
        Table(for_readers(inventory.side_by_side(programmes, dimension, sites), lang=lang))
        for dimension in ("sector", "instrument")
    ]


def counts(programmes: pd.DataFrame, sites: dict[str, str], *, lang: str) -> list[Part]:
    """Programmes by level of government and by planning approach, per study."""
    return [
        Table(
            for_readers(inventory.counts_by(programmes, dimension, sites), lang=lang),
            {"index": True},
        )
        for dimension in ("level", "planning")
    ]


def cross_counts(programmes: pd.DataFrame, sites: dict[str, str], *, lang: str) -> Table:
    """Programmes by sector, per study and level of government."""
    w = Words(lang)
    table = inventory.cross_counts(programmes, "sector", "level", sites)
    table.columns = [
        "total"
        if (site, value) == ("total", "")
        else w._("{site}: {value}").format(site=site, value=value_label("level", value, lang=lang))
        for site, value in table.columns
    ]
    return Table(for_readers(table, lang=lang), {"index": True})


def sources(programmes: pd.DataFrame, sites: dict[str, str], *, lang: str) -> Table:
    """Every programme with the document it comes from."""
    return Table(for_readers(inventory.sources(programmes, sites), lang=lang))


# --------------------------------------------------------------------------- a figure
def inventory_figure(
    programmes: pd.DataFrame,
    dimension: str = "sector",
    hue: str = "level",
    sites: dict[str, str] | None = None,
    *,
    lang: str,
) -> Figure:
    """The counts as bars, with alt text giving each study's number of programmes."""
    w = Words(lang)
    labels = inventory.site_labels(programmes, sites)
    each = "; ".join(
        w.ngettext("{site}: {n} programme", "{site}: {n} programmes", n).format(site=label, n=n)
        for site, label in labels.items()
        for n in [int((programmes["site"] == site).sum())]
    )
    alt = w._("Bar chart of the programmes by {dimension} and {hue}, one panel per study: {each}.")
    alt = alt.format(
        dimension=w._(HEADERS.get(dimension, dimension)), hue=w._(HEADERS.get(hue, hue)), each=each
    )
    return Figure(lambda: plot_inventory(programmes, dimension, hue, sites, lang=lang), alt=alt)


def plot_inventory(
    programmes: pd.DataFrame,
    dimension: str = "sector",
    hue: str = "level",
    sites: dict[str, str] | None = None,
    *,
    lang: str,
):
    """Horizontal bars: number of programmes per ``dimension`` value, one panel per site, coloured by ``hue``.

    Returns the matplotlib Figure (titled, axes labelled); the caller shows or closes it.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    w = Words(lang)
    counts = programmes.groupby(["site", dimension, hue]).size().rename("programmes").reset_index()
    labels = inventory.site_labels(programmes, sites)
    counts["site"] = counts["site"].map(labels).fillna(counts["site"])
    panels = list(labels.values())
    hue_order = [
        v
        for v in ({"level": LEVELS, "planning": PLANNING}.get(hue) or sorted(counts[hue].unique()))
        if v in set(counts[hue])
    ]
    order = list(
        programmes[dimension]
        .value_counts()
        .sort_index()
        .sort_values(ascending=False, kind="stable")
        .index
    )
    order = [str(v) for v in order]
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(7.5, 0.45 * len(order) + 1.8),
        sharey=True,
        sharex=True,
        squeeze=False,
    )
    palette = dict(zip(hue_order, sns.color_palette("colorblind", len(hue_order))))
    for ax_, site in zip(axes[0], panels):
        part = counts[counts["site"] == site].pivot_table(
            index=dimension, columns=hue, values="programmes", aggfunc="sum", fill_value=0
        )
        part = part.reindex(index=order, columns=hue_order, fill_value=0)
        left = pd.Series(0, index=order)
        for h in hue_order:
            ax_.barh(
                [value_label(dimension, v, lang=lang) for v in order],
                part[h],
                left=left,
                color=palette[h],
                label=value_label(hue, h, lang=lang),
            )
            left = left + part[h]
        ax_.set_title(site)
        ax_.set_xlabel(w._("programmes (number)"))
        ax_.xaxis.get_major_locator().set_params(integer=True)
    axes[0][0].invert_yaxis()  # shared y axis: first category on top in every panel
    dimension_word = w._(HEADERS.get(dimension, dimension))
    hue_word = w._(HEADERS.get(hue, hue))
    axes[0][0].set_ylabel(dimension_word)
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(
        handles,
        names,
        title=hue_word,
        loc="lower center",
        ncol=len(hue_order),
        frameon=False,
        bbox_to_anchor=(0.5, -0.02),
    )
    fig.suptitle(
        w._("Poverty-alleviation programmes by {dimension} and {hue}, per site").format(
            dimension=dimension_word, hue=hue_word
        )
    )
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
