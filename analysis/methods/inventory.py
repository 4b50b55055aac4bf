"""Programme inventory: the programmes of each site by sector, instrument, level, planning and target.

Functions take the rows of ``study/programmes.csv`` (see :data:`analysis.data.contract.PROGRAMMES`)
and return tables; :func:`plot_inventory` draws the counts per site as a seaborn bar chart.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.contract import LEVELS, PLANNING

DIMENSIONS = ("sector", "instrument", "level", "planning", "target")


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


def sources(programmes: pd.DataFrame) -> pd.DataFrame:
    """Programme and its documented source (every row of the inventory has one)."""
    return _ordered(programmes)[["site", "programme", "source"]]


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
