"""One look for every figure: print sizes, a colour-blind-safe palette, count scales, the mark.

The methods' plot functions and :func:`analysis.chapter.setup_plots` both use this module (it
imports matplotlib, never IPython). Sizes are chosen for print: the PDF's text width is about
:data:`TEXT_WIDTH_IN` inches, so a figure drawn at that width is printed at 100 % and every text
of at least :data:`MIN_TEXT_PT` points stays legible (:func:`smallest_text_pt` checks it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n import N_, _

#: Text width of the PDF (A4, the book's margins), in inches: the widest a figure is printed.
TEXT_WIDTH_IN = 6.3
#: Smallest text size at print size, in points.
MIN_TEXT_PT = 7.0
#: Default figure size (inches): the text width, golden-ish proportions.
FIGSIZE = (TEXT_WIDTH_IN, 3.9)

#: Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), darker colours first:
#: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black. One pink-ish
#: colour and no brown, so eight categories stay apart for readers with any colour vision.
OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
#: Line styles and markers that tell series apart without colour (slope chart, several lines).
LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: The text every figure drawn from illustrative data carries in its image (in English; the
#: image carries it in the edition's language, :func:`illustrative_mark`).
ILLUSTRATIVE_MARK = N_("Illustrative data: not field results")
#: The mark of a figure over studies of both kinds (registry ``data_kind``).
PARTLY_ILLUSTRATIVE_MARK = N_("Partly illustrative data: not all field results")

#: matplotlib settings for the book (font sizes in points at print size).
RC = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 144,
    "savefig.dpi": 144,
    "figure.autolayout": True,
    "svg.hashsalt": "poverty-book",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8.5,
    "figure.titlesize": 10,
    "lines.linewidth": 1.5,
    # labels come from data (code labels, names of places): a "$" in one is a dollar sign, never
    # the start of mathtext (analysis.literal); no label of the book's own uses mathtext
    "text.parse_math": False,
}


def palette(n: int | None = None) -> list[str]:
    """``n`` colours of :data:`OKABE_ITO` (all eight by default); more than eight is an error.

    A chart that needs more than eight colours needs another encoding (facets, labels, a table).
    """
    n = len(OKABE_ITO) if n is None else n
    if n > len(OKABE_ITO):
        raise ValueError(f"{n} categories: more than the {len(OKABE_ITO)} colours that stay apart")
    return list(OKABE_ITO[:n])


#: Colour of the categories grouped as "other" when a chart has more than its palette holds.
OTHER_COLOUR = "#999999"


def category_colours(categories, max_colours: int = len(OKABE_ITO)) -> dict:
    """A colour for every category, never more colours than stay apart.

    ``categories`` in order of importance (most important first). Up to ``max_colours`` (at most
    the eight of :data:`OKABE_ITO`) categories get a colour of their own, in that order; when
    there are more, the first ``max_colours - 1`` keep theirs and every other category gets
    :data:`OTHER_COLOUR` (the chart's legend groups them as "other").
    """
    categories = list(dict.fromkeys(categories))
    max_colours = max(1, min(int(max_colours), len(OKABE_ITO)))
    if len(categories) <= max_colours:
        return dict(zip(categories, palette(len(categories))))
    own = max_colours - 1
    return dict(zip(categories[:own], palette(own))) | {c: OTHER_COLOUR for c in categories[own:]}


def apply_style() -> None:
    """Set the book's matplotlib and seaborn look (whitegrid theme, :data:`RC`, the palette)."""
    import matplotlib
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=list(OKABE_ITO))
    matplotlib.rcParams.update(RC)


def illustrative_mark() -> str:
    """:data:`ILLUSTRATIVE_MARK` in the language chapters are being written in."""
    return _(ILLUSTRATIVE_MARK)


def mark_illustrative(fig, edition: str | None):
    """Write :data:`ILLUSTRATIVE_MARK` (in the edition's language) into the image when ``edition`` is ``"illustrative"``
    (:data:`PARTLY_ILLUSTRATIVE_MARK` when it is ``"mixed"``: studies of both kinds).

    The mark sits above the figure's top left corner; the tight bounding box with which notebooks
    save figures grows to hold it, so it never covers data. Marking twice is harmless.
    Returns the figure.
    """
    if fig is None or edition not in ("illustrative", "mixed"):
        return fig
    if any(getattr(t, "_illustrative_mark", False) for t in fig.texts):
        return fig
    text = fig.text(
        0.0,
        1.0,
        illustrative_mark() if edition == "illustrative" else _(PARTLY_ILLUSTRATIVE_MARK),
        ha="left",
        va="bottom",
        fontsize=8.5,
        fontweight="bold",
        color="#8B0000",
        bbox={"boxstyle": "round,pad=0.3", "facecolor": "#FFF4E5", "edgecolor": "#D55E00"},
    )
    text._illustrative_mark = True
    return fig


def is_marked(fig) -> bool:
    """True when the figure carries the illustrative-data mark (in any language)."""
    return any(
        getattr(t, "_illustrative_mark", False)
        or t.get_text() in (ILLUSTRATIVE_MARK, illustrative_mark(), _(PARTLY_ILLUSTRATIVE_MARK))
        for t in fig.texts
    )


def printed_width_in(fig) -> float:
    """Width of the saved image in inches (tight bounding box, as notebooks save figures)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return fig.get_tightbbox(renderer).width


def smallest_text_pt(fig, text_width_in: float = TEXT_WIDTH_IN) -> float:
    """Smallest visible text of the figure in points once printed at most ``text_width_in`` wide.

    A figure wider than the text width is scaled down in the PDF, and its text with it.
    """
    scale = min(1.0, text_width_in / printed_width_in(fig))
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return scale * min(sizes) if sizes else float("inf")


def _texts(fig):
    return [
        t
        for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
        if t.get_visible() and str(t.get_text()).strip()
    ]


def fit_for_print(fig, text_width_in: float = TEXT_WIDTH_IN, min_pt: float = MIN_TEXT_PT):
    """Make a figure print legibly: no wider than the text width, no text below ``min_pt``.

    A figure drawn wider than the page is resized to the text width (its text keeps its size in
    points, so it stays legible once printed); text set smaller than ``min_pt`` is raised to it.
    What the figure shows is unchanged. Returns the figure.
    """
    for ax in fig.axes:  # tick labels are remade at each draw: raise them through the axes
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for which, labels in (
                ("major", axis.get_majorticklabels()),
                ("minor", axis.get_minorticklabels()),
            ):
                if labels and min(t.get_fontsize() for t in labels) < min_pt:
                    ax.tick_params(axis=name, which=which, labelsize=min_pt)
    for text in _texts(fig):
        if text.get_fontsize() < min_pt:
            text.set_fontsize(min_pt)
    for _attempt in range(4):  # the tight box can exceed the figure (labels outside the axes)
        printed = printed_width_in(fig)
        if printed <= text_width_in:
            break
        width, height = fig.get_size_inches()
        factor = (text_width_in - 0.02) / printed
        fig.set_size_inches(width * factor, height * max(factor, 0.8))
    return fig


def count_scale(max_count: int, cmap: str = "Blues"):
    """A discrete colour scale for counts 0..``max_count``: (colormap, norm, ticks).

    Each whole number gets its own colour step, centred on its tick, so a colour bar for counts
    reads 0, 1, 2, ... and never suggests values in between. Very large counts are binned into at
    most 10 steps.
    """
    import matplotlib as mpl

    max_count = max(1, int(max_count))
    step = max(1, int(np.ceil((max_count + 1) / 10)))
    bounds = np.arange(-0.5, max_count + step + 0.5, step)
    colours = mpl.colormaps[cmap].resampled(len(bounds) - 1)
    norm = mpl.colors.BoundaryNorm(bounds, colours.N)
    ticks = np.arange(0, max_count + 1, step)
    return colours, norm, ticks


def mask_diagonal(matrix: pd.DataFrame) -> np.ndarray:
    """A boolean mask of a square matrix's diagonal (a code always co-occurs with itself)."""
    mask = np.zeros(matrix.shape, dtype=bool)
    np.fill_diagonal(mask, True)
    return mask


def rupiah_axis(ax, axis: str = "y", label: str | None = None, locale: str | None = None) -> None:
    """Tick labels of ``axis`` as Rupiah ("Rp 1,250,000"; in Babel's ``locale``, by default the
    current language's); ``label`` (with "Rp") as its title."""
    from matplotlib.ticker import FuncFormatter

    from analysis import formatting

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(
        FuncFormatter(
            lambda v, _pos: formatting.rupiah(v, locale=locale).replace(formatting.NBSP, " ")
        )
    )
    if label:
        target.set_label_text(label)


def percent_axis(ax, axis: str = "x") -> None:
    """Tick labels of ``axis`` as percentages ("40 %"), for values in percent (0-100)."""
    from matplotlib.ticker import FuncFormatter

    from analysis import formatting

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(
        FuncFormatter(lambda v, _pos: formatting.percent(v).replace(formatting.NBSP, " "))
    )


def number_axis(ax, axis: str = "y", digits: int = 0) -> None:
    """Tick labels of ``axis`` as numbers in the edition's format ("1,250" / "1.250", "0,5")."""
    from matplotlib.ticker import FuncFormatter

    from analysis import formatting

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: formatting.number(v, digits)))


__all__ = [
    "FIGSIZE",
    "ILLUSTRATIVE_MARK",
    "LINESTYLES",
    "MARKERS",
    "MIN_TEXT_PT",
    "OKABE_ITO",
    "OTHER_COLOUR",
    "RC",
    "TEXT_WIDTH_IN",
    "apply_style",
    "category_colours",
    "count_scale",
    "fit_for_print",
    "illustrative_mark",
    "is_marked",
    "mark_illustrative",
    "mask_diagonal",
    "number_axis",
    "palette",
    "percent_axis",
    "printed_width_in",
    "rupiah_axis",
    "smallest_text_pt",
]
