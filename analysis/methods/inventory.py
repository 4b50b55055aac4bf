"""Programme inventory: the programmes of each site by sector, instrument, level, planning and target.

Functions take the rows of ``study/programmes.csv`` (see :data:`analysis.data.contract.PROGRAMMES`)
and return tables of identifiers and counts; :mod:`analysis.report.programmes` words them and
draws the counts per site.
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

    The table a bar chart of such small counts would only redraw: columns (site label, ``by``
    value), such as ("Jombang", "central"), ("Jombang", "regency"), ... (only the combinations
    that occur), and ("total", ""); most programmes first.
    """
    labels = site_labels(programmes, sites)
    order = {"level": LEVELS, "planning": PLANNING}.get(by)
    values = [v for v in (order or sorted(programmes[by].unique())) if v in set(programmes[by])]
    counts = pd.crosstab(programmes[dimension], [programmes["site"], programmes[by]])
    columns = [(s, v) for s in labels for v in values if (s, v) in counts.columns]
    table = counts.reindex(columns=pd.MultiIndex.from_tuples(columns), fill_value=0)
    table.columns = pd.MultiIndex.from_tuples([(labels[s], v) for s, v in columns])
    table[("total", "")] = table.sum(axis=1)
    table = table.sort_index().sort_values(("total", ""), ascending=False, kind="stable")
    table.index.name = dimension
    return table


def programme_facts(
    programmes: pd.DataFrame, reconstructed=("Illustrative reconstruction",)
) -> dict:
    """Counts the programmes chapter quotes: per site, national per site, innovations, and the
    rows whose description starts with one of ``reconstructed`` (the words that mark an
    illustrative reconstruction, in the data's languages)."""
    facts = {}
    for site, rows in programmes.groupby("site", sort=False):
        facts[f"n_{site}"] = int(len(rows))
        facts[f"n_central_{site}"] = int((rows["level"] == "central").sum())
    facts["n_innovations"] = int(len(regency_innovations(programmes)))
    description = (
        programmes["description"]
        if "description" in programmes
        else pd.Series("", index=programmes.index)
    )
    facts["n_reconstructed"] = int(
        description.fillna("").str.startswith(tuple(reconstructed)).sum()
    )
    return facts
