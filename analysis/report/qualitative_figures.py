"""The figures of the qualitative chapter, drawn in the edition's language: the dot chart of
codes, the count heatmaps (informant × code, informant × theme) and the co-occurrence heatmap.

Each figure is sized for print (:mod:`analysis.figures`) and works at every size a study may have:
beyond what a page can hold it draws the largest part and its title says what is left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import figures
from analysis.methods import qualitative as q
from analysis.report.labels import Labels
from analysis.report.words import Words

#: Most codes a frequency chart shows (those most informants used; the table has every code):
#: at 0.2 inch a code the chart then stays within a printed page.
MAX_CODES_SHOWN = 45


#: Longest code label a chart writes in full (longer labels end with an ellipsis).
MAX_LABEL_CHARS = 40


#: Most rows and columns a heatmap draws (rows at least about 0.12 inch, columns 0.1 inch at
#: print size, so that every label stays legible); the others are in the chapter's downloads.
MAX_HEATMAP_ROWS, MAX_HEATMAP_COLUMNS = 60, 45


#: Most columns a count heatmap writes its numbers into.
MAX_ANNOTATED_COLUMNS = 15


def theme_colours(themes) -> dict[str, str]:
    """A colour for each theme of a chart, ``themes`` most important first (see
    :func:`analysis.figures.category_colours`): beyond eight themes the first seven keep a colour
    of their own and the others share grey, named in the legend as "other themes"."""
    return figures.category_colours(themes)


def _theme_legend(colours: dict[str, str], labels: Labels) -> list[tuple[str, str, list[str]]]:
    """(colour, legend label, themes) a legend entry: one per coloured theme, one for the others."""
    entries = [
        (colour, labels.theme(theme), [theme])
        for theme, colour in colours.items()
        if colour != figures.OTHER_COLOUR
    ]
    others = [t for t, colour in colours.items() if colour == figures.OTHER_COLOUR]
    if others:
        label = labels.w.ngettext("{n} other theme", "{n} other themes", len(others)).format(
            n=labels.w.integer(len(others))
        )
        entries.append((figures.OTHER_COLOUR, label, others))
    return entries


def plot_code_frequencies(
    frequencies: pd.DataFrame,
    *,
    title: str,
    lang: str,
    codebook: pd.DataFrame | None = None,
    top: int | None = None,
):
    """Share of informants who used each code (no interval: the informants were chosen, not
    drawn), coloured by theme.

    At most ``top`` codes (by default :data:`MAX_CODES_SHOWN`) are drawn, those most informants
    used; the title says how many of how many (the table and download have all). Any number of
    themes: beyond eight, the themes with the most codes drawn keep a colour and the others share
    grey under "other themes" in the legend. The figure grows with the number of codes drawn.
    Labels in the edition's language ``lang`` (themes named as the ``codebook`` names them).
    """
    import matplotlib.pyplot as plt

    labels = Labels.of(lang, codebook)
    w = labels.w
    f = frequencies.dropna(subset=["share_informants"]).sort_values(
        ["share_informants", "label"], ascending=[False, True]
    )
    total = len(f)
    f = f.head(top or MAX_CODES_SHOWN)
    fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_IN, 1.4 + 0.2 * max(len(f), 1)))
    themes = list(dict.fromkeys(f["theme"]))
    if len(themes) > len(figures.OKABE_ITO):  # the themes with most codes drawn come first
        drawn = f["theme"].value_counts()
        themes = sorted(themes, key=lambda t: -drawn[t])
    colours = theme_colours(themes)
    y = np.arange(len(f))
    for k, (colour, label, members) in enumerate(_theme_legend(colours, labels)):
        part = f["theme"].isin(members).to_numpy()
        ax.plot(
            100 * f["share_informants"].to_numpy()[part],
            y[part],
            figures.MARKERS[k % len(figures.MARKERS)],
            color=colour,
            label=label,
            markersize=4,
            linestyle="none",
        )
    ax.set_yticks(y, [q.excerpt(v, MAX_LABEL_CHARS) for v in f["label"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(w._("informants who used the code (% of the site's informants)"))
    ax.set_ylabel(w._("code"))
    if len(f) < total:
        title += "\n" + w.ngettext(
            "the code most informants used, of {total}; every code is in the table",
            "the {n} codes most informants used, of {total}; every code is in the table",
            len(f),
        ).format(n=w.integer(len(f)), total=w.integer(total))
    ax.set_title(title)
    if themes:
        ax.legend(title=w._("theme"), fontsize=7, title_fontsize=8, loc="lower right")
    return fig


def label_columns(matrix: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The same matrix with code columns (and index, where codes) renamed to the codebook's labels."""
    names = q.code_labels(codebook)
    out = matrix.rename(columns=names)
    if set(matrix.index) <= set(names):
        out = out.rename(index=names)
    return out


def largest_part(
    matrix: pd.DataFrame,
    max_rows: int | None = MAX_HEATMAP_ROWS,
    max_columns: int | None = MAX_HEATMAP_COLUMNS,
    *,
    symmetric: bool = False,
) -> pd.DataFrame:
    """The rows and columns of ``matrix`` with the largest totals (at most ``max_rows`` and
    ``max_columns``; None: all), in their original order; the whole matrix when it fits.

    ``symmetric``: a square matrix of codes by codes keeps the same codes on both axes (those
    with the largest totals off the diagonal, ties in their order).
    """
    values = np.nan_to_num(matrix.to_numpy(dtype=float), nan=0.0)

    def keep(totals, limit):
        if limit is None or len(totals) <= limit:
            return np.arange(len(totals))
        return np.sort(np.argsort(-totals, kind="stable")[:limit])

    if symmetric:
        limit = min(x for x in (max_rows, max_columns, len(matrix)) if x is not None)
        off = values.copy()
        np.fill_diagonal(off, 0.0)
        codes = keep(off.sum(axis=0) + off.sum(axis=1), limit)
        return matrix.iloc[codes, codes]
    rows = keep(values.sum(axis=1), max_rows)
    columns = keep(values.sum(axis=0), max_columns)
    if len(rows) == matrix.shape[0] and len(columns) == matrix.shape[1]:
        return matrix
    return matrix.iloc[rows, columns]


def trim_note(matrix: pd.DataFrame, shown: pd.DataFrame, w: Words) -> str:
    """What a heatmap of ``shown`` leaves out of ``matrix`` ("" when nothing): for its title."""
    (rows, columns), (all_rows, all_columns) = shown.shape, matrix.shape
    numbers = {
        "rows": w.integer(rows),
        "all_rows": w.integer(all_rows),
        "columns": w.integer(columns),
        "all_columns": w.integer(all_columns),
    }
    if rows < all_rows and columns < all_columns:
        return w._(
            "the {rows} of {all_rows} rows and {columns} of {all_columns} columns with the "
            "largest totals"
        ).format(**numbers)
    if rows < all_rows:
        return w._("the {rows} of {all_rows} rows with the largest totals").format(**numbers)
    if columns < all_columns:
        return w._("the {columns} of {all_columns} columns with the largest totals").format(
            **numbers
        )
    return ""


def _heatmap_size(matrix: pd.DataFrame) -> tuple[float, float]:
    """Inches for a heatmap at print size: at most the text width, rows about 0.16 in high."""
    rows, cols = matrix.shape
    width = min(figures.TEXT_WIDTH_IN, 2.6 + 0.15 * cols)
    return width, min(9.0, 2.0 + 0.16 * rows)


def plot_count_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    axes: tuple[str, str, str],
    lang: str,
    annot: bool = False,
    figsize=None,
    limits: tuple[int | None, int | None] = (MAX_HEATMAP_ROWS, MAX_HEATMAP_COLUMNS),
):
    """Heatmap of whole-number counts on a discrete scale: one colour step (and tick) a count.

    ``axes`` are the labels of the x axis, the y axis and the colour bar. A continuous colour bar
    would suggest values between 1 and 2 that no cell can hold. Sized for print
    (:mod:`analysis.figures`): at most the text width, text at least 7 pt. A matrix larger than
    ``limits`` (rows, columns) is drawn in part (:func:`largest_part`), the title saying what is
    left out (said in ``lang``). Returns the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    w = Words(lang)
    xlabel, ylabel, count_label = axes
    whole, matrix = matrix, largest_part(matrix, *limits)
    note = trim_note(whole, matrix, w)
    title = title + (f"\n{note}" if note else "")
    values = matrix.to_numpy(dtype=float)
    top = int(np.nanmax(values)) if values.size and np.isfinite(values).any() else 1
    cmap, norm, ticks = figures.count_scale(top)
    fig, ax = plt.subplots(figsize=figsize or _heatmap_size(matrix))
    sns.heatmap(
        matrix,
        ax=ax,
        cmap=cmap,
        norm=norm,
        annot=annot,
        fmt="d" if annot else ".2g",
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": count_label, "ticks": ticks, "shrink": 0.8},
        annot_kws={"size": 7.5},
        xticklabels=True,
        yticklabels=True,
    )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="both", labelsize=7)
    colorbar = ax.collections[0].colorbar
    colorbar.ax.tick_params(labelsize=7.5)
    colorbar.ax.minorticks_off()
    return fig


def plot_conceptually_clustered(
    counts: pd.DataFrame, *, title: str, lang: str, codebook: pd.DataFrame | None = None
):
    """Heatmap of a conceptually clustered count matrix (columns (group, theme)), groups divided
    and named.

    Counts of distinct codes are whole numbers: the scale is discrete (:func:`plot_count_heatmap`).
    At most :data:`MAX_HEATMAP_ROWS` informants and :data:`MAX_HEATMAP_COLUMNS` themes are
    drawn (those with the most codes named; the title says so); cells carry their number while
    they are large enough to read it. Labels in ``lang``, themes as the ``codebook`` names them.
    """
    labels = Labels.of(lang, codebook)
    w = labels.w
    shown = largest_part(counts)
    note = trim_note(counts, shown, w)
    flat = shown.copy()
    groups = flat.columns.get_level_values(0)
    flat.columns = [labels.theme(t) for t in flat.columns.get_level_values(-1)]
    fig = plot_count_heatmap(
        flat,
        title=title,
        axes=(w._("theme"), w._("informant"), w._("distinct codes named in the theme")),
        lang=lang,
        annot=flat.shape[1] <= MAX_ANNOTATED_COLUMNS,
        figsize=(
            min(figures.TEXT_WIDTH_IN, 2.8 + 0.45 * flat.shape[1]),
            min(9.0, 1.8 + 0.18 * len(flat)),
        ),
        limits=(None, None),
    )
    ax = fig.axes[0]
    ax.set_title(title + (f"\n{note}" if note else ""), pad=18)  # room for the group names
    bounds = [k for k in range(1, len(groups)) if groups[k] != groups[k - 1]]
    for k in bounds:
        ax.axvline(k, color="black", linewidth=1.5)
    starts = [0] + bounds
    ends = bounds + [len(groups)]
    for a, b in zip(starts, ends):
        group_words = labels.theme(groups[a]).split()
        ax.text(
            (a + b) / 2,
            -0.6,
            group_words[0] if group_words else "",
            ha="center",
            va="bottom",
            fontsize=8,
            fontstyle="italic",
            transform=ax.transData,
            clip_on=False,
        )
    return fig


def plot_cooccurrence(coefficient: pd.DataFrame, *, title: str, lang: str, figsize=None):
    """Heatmap of co-occurrence coefficients with the diagonal masked (a code always meets itself).

    The scale runs from 0 to the largest coefficient off the diagonal, so the pairs that do meet
    are told apart instead of being drowned by the diagonal's ones. Labels in ``lang``. Returns
    the Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    w = Words(lang)

    whole = coefficient
    coefficient = largest_part(coefficient, symmetric=True)
    if len(coefficient) < len(whole):
        title += "\n" + w._("the {n} of {total} codes that co-occur most").format(
            n=w.integer(len(coefficient)), total=w.integer(len(whole))
        )
    mask = figures.mask_diagonal(coefficient)
    off = coefficient.to_numpy(dtype=float)[~mask]
    top = float(np.nanmax(off)) if off.size and np.isfinite(off).any() else 1.0
    top = max(0.1, np.ceil(top * 10) / 10)
    size = _heatmap_size(coefficient)
    fig, ax = plt.subplots(figsize=figsize or (size[0], min(size[0] - 0.4, 8.0)))
    sns.heatmap(
        coefficient,
        ax=ax,
        mask=mask,
        cmap="rocket_r",
        vmin=0,
        vmax=top,
        linewidths=0.3,
        linecolor="white",
        cbar_kws={"label": w._("n12 / (n1 + n2 - n12); diagonal left blank"), "shrink": 0.8},
        xticklabels=True,
        yticklabels=True,
    )
    ax.grid(False)  # no grid lines through the blank diagonal
    ax.set_title(title)
    ax.set_xlabel(w._("code"))
    ax.set_ylabel(w._("code"))
    ax.tick_params(axis="both", labelsize=7)
    ax.collections[0].colorbar.ax.tick_params(labelsize=7.5)
    return fig


__all__ = [
    "label_columns",
    "largest_part",
    "plot_code_frequencies",
    "plot_conceptually_clustered",
    "plot_cooccurrence",
    "plot_count_heatmap",
    "trim_note",
]
