"""Programme inventory: the programmes of each site by sector, instrument, level, planning and target.

Functions take the rows of ``study/programmes.csv`` (see :data:`analysis.data.contract.PROGRAMMES`)
and return tables; :func:`plot_inventory` draws the counts per site as a seaborn bar chart.
"""

from __future__ import annotations

import pandas as pd

from analysis.data import contract
from analysis.data.contract import LEVELS, PLANNING
from analysis.i18n import N_, _

DIMENSIONS = ("sector", "instrument", "level", "planning", "target")
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


def value_label(column: str, value) -> str:
    """A value of an inventory column as readers read it, in the edition's language."""
    if contract.labelled(column):
        return _(contract.label(column, value))
    return _(contract.words(value))


def for_readers(frame: pd.DataFrame) -> pd.DataFrame:
    """An inventory table with its headers (and the values of labelled columns) for readers.

    English reads as before (headers are the identifiers' words); the Indonesian edition gets
    "sektor", "jumlah" and translated sectors, levels and instruments. Site columns (study names)
    and programme names stay as they are.
    """
    shown = frame.copy()
    name = shown.index.name
    if name in HEADERS and not isinstance(shown.index, pd.MultiIndex):
        labelled = shown.index.map(lambda v: value_label(name, v))
        shown.index = pd.Index(labelled, name=_(HEADERS[name]))
    for column in shown.columns:
        if column in DIMENSIONS:
            shown[column] = shown[column].map(
                lambda v, c=column: v if pd.isna(v) else value_label(c, v)
            )
    return shown.rename(columns={c: _(HEADERS[c]) for c in shown.columns if c in HEADERS})


def site_labels(programmes: pd.DataFrame, sites: dict[str, str] | None = None) -> dict[str, str]:
    """Site -> label of the sites in ``programmes``, in the order of ``sites`` (the registry's:
    :func:`analysis.data.registry.labels`), else in order of first appearance, labelled by id."""
    present = list(dict.fromkeys(programmes["site"]))
    if sites is None:
        return {s: s for s in present}
    ordered = [s for s in sites if s in present] + [s for s in present if s not in sites]
    return {s: sites.get(s, s) for s in ordered}


def _ordered(frame: pd.DataFrame, sites: dict[str, str] | None = None) -> pd.DataFrame:
    level = {v: k for k, v in enumerate(LEVELS)}
    site = {v: k for k, v in enumerate(site_labels(frame, sites))}
    return (
        frame.assign(_s=frame["site"].map(site), _l=frame["level"].map(level))
        .sort_values(["_s", "_l", "sector", "programme"])
        .drop(columns=["_s", "_l"])
        .reset_index(drop=True)
    )


def inventory_table(
    programmes: pd.DataFrame,
    site: str | None = None,
    columns: tuple[str, ...] = ("programme", "level", "sector", "instrument", "planning", "target"),
) -> pd.DataFrame:
    """The programmes of a site (all sites if None), ordered by level (central first) and sector."""
    frame = programmes if site is None else programmes[programmes["site"] == site]
    cols = (["site"] if site is None else []) + list(columns)
    extra = [c for c in ("regency_innovation",) if c in frame and c not in cols]
    return _ordered(frame)[cols + extra].reset_index(drop=True)


def counts_by(
    programmes: pd.DataFrame, dimension: str, sites: dict[str, str] | None = None
) -> pd.DataFrame:
    """Number of programmes per value of ``dimension`` (rows) and site (columns), with a total column."""
    if dimension not in DIMENSIONS and dimension not in programmes:
        raise ValueError(f"unknown dimension {dimension!r}")
    table = pd.crosstab(programmes[dimension], programmes["site"])
    labels = site_labels(programmes, sites)
    table = table.reindex(columns=list(labels), fill_value=0)
    order = {"level": LEVELS, "planning": PLANNING}.get(dimension)
    if order:
        table = table.reindex([v for v in order if v in table.index])
    table["total"] = table.sum(axis=1)
    if not order:  # most programmes first, then alphabetical
        table = table.sort_index().sort_values("total", ascending=False, kind="stable")
    table.columns.name = None
    return table.rename(columns=labels)


def side_by_side(
    programmes: pd.DataFrame, dimension: str = "sector", sites: dict[str, str] | None = None
) -> pd.DataFrame:
    """Values of ``dimension`` (rows) × sites (columns); each cell lists that site's programmes."""
    labels = site_labels(programmes, sites)
    frame = _ordered(programmes, sites)
    table = (
        frame.groupby([dimension, "site"])["programme"].agg("; ".join).unstack("site").fillna("")
    )
    table = table.reindex(columns=list(labels))
    order = {"level": LEVELS, "planning": PLANNING}.get(dimension)
    if order:
        table = table.reindex([v for v in order if v in table.index])
    table.columns.name = None
    return table.rename(columns=labels).reset_index()


def regency_innovations(programmes: pd.DataFrame) -> pd.DataFrame:
    """The regency's own programmes that reach poor households missing from central data."""
    if "regency_innovation" not in programmes:
        return programmes.iloc[0:0]
    flag = programmes["regency_innovation"].fillna(False).astype(bool)
    return _ordered(programmes[flag])[
        ["site", "programme", "sector", "instrument", "target", "source"]
    ]


def sources(programmes: pd.DataFrame, sites: dict[str, str] | None = None) -> pd.DataFrame:
    """Programme and its documented source (every row of the inventory has one).

    With ``sites`` (the registry's labels), the site column reads as the study's short name.
    """
    out = _ordered(programmes, sites)[["site", "programme", "source"]]
    if sites is not None:
        out = out.assign(site=out["site"].map(site_labels(programmes, sites)))
    return out.rename(columns={"site": "study"}) if sites is not None else out


def cross_counts(
    programmes: pd.DataFrame,
    dimension: str = "sector",
    by: str = "level",
    sites: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Programmes per ``dimension`` value (rows) and site and ``by`` value (columns), and a total.

    The table a bar chart of such small counts would only redraw: columns "Jombang: central",
    "Jombang: regency", ... (only the combinations that occur), most programmes first.
    """
    labels = site_labels(programmes, sites)
    order = {"level": LEVELS, "planning": PLANNING}.get(by)
    values = [v for v in (order or sorted(programmes[by].unique())) if v in set(programmes[by])]
    counts = pd.crosstab(programmes[dimension], [programmes["site"], programmes[by]])
    columns = [(s, v) for s in labels for v in values if (s, v) in counts.columns]
    table = counts.reindex(columns=pd.MultiIndex.from_tuples(columns), fill_value=0)
    table.columns = [
        _("{site}: {value}").format(site=labels[s], value=value_label(by, v)) for s, v in columns
    ]
    table["total"] = table.sum(axis=1)
    table = table.sort_index().sort_values("total", ascending=False, kind="stable")
    table.index.name = dimension
    return table


def plot_inventory(
    programmes: pd.DataFrame,
    dimension: str = "sector",
    hue: str = "level",
    sites: dict[str, str] | None = None,
):
    """Horizontal bars: number of programmes per ``dimension`` value, one panel per site, coloured by ``hue``.

    Returns the matplotlib Figure (titled, axes labelled); the caller shows or closes it.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    counts = programmes.groupby(["site", dimension, hue]).size().rename("programmes").reset_index()
    labels = site_labels(programmes, sites)
    counts["site"] = counts["site"].map(labels).fillna(counts["site"])
    sites = list(labels.values())
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
        len(sites),
        figsize=(7.5, 0.45 * len(order) + 1.8),
        sharey=True,
        sharex=True,
        squeeze=False,
    )
    palette = dict(zip(hue_order, sns.color_palette("colorblind", len(hue_order))))
    for ax_, site in zip(axes[0], sites):
        part = counts[counts["site"] == site].pivot_table(
            index=dimension, columns=hue, values="programmes", aggfunc="sum", fill_value=0
        )
        part = part.reindex(index=order, columns=hue_order, fill_value=0)
        left = pd.Series(0, index=order)
        for h in hue_order:
            ax_.barh(order, part[h], left=left, color=palette[h], label=h)
            left = left + part[h]
        ax_.set_title(site)
        ax_.set_xlabel("programmes (number)")
        ax_.xaxis.get_major_locator().set_params(integer=True)
    axes[0][0].invert_yaxis()  # shared y axis: first category on top in every panel
    axes[0][0].set_ylabel(dimension)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        title=hue,
        loc="lower center",
        ncol=len(hue_order),
        frameon=False,
        bbox_to_anchor=(0.5, -0.02),
    )
    fig.suptitle(f"Poverty-alleviation programmes by {dimension} and {hue}, per site")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
