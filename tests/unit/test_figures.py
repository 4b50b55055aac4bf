"""Every figure: legible at print size, colour-blind-safe, discrete for counts, marked when invented."""

from __future__ import annotations

import colorsys
import io

import matplotlib
import numpy as np
import pandas as pd
import pytest
import seaborn as sns
from matplotlib.colors import to_rgb
from PIL import Image

from analysis import figures

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def book_style():
    figures.apply_style()
    yield
    plt.close("all")


def saved_size(fig) -> tuple[int, int]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return Image.open(io.BytesIO(buffer.getvalue())).size


def simple_figure():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [2, 3])
    ax.set(title="Title", xlabel="x", ylabel="y")
    return fig


def test_the_mark_is_inside_the_saved_image_and_does_not_cover_the_plot():
    plain, marked = simple_figure(), figures.mark_illustrative(simple_figure(), "illustrative")
    width, height = saved_size(plain)
    marked_width, marked_height = saved_size(marked)
    assert figures.is_marked(marked)
    assert marked_height > height  # the image grew to hold the mark above the axes
    assert marked_width >= width


def test_only_illustrative_figures_are_marked_and_only_once():
    assert not figures.is_marked(figures.mark_illustrative(simple_figure(), "real"))
    fig = figures.mark_illustrative(simple_figure(), "illustrative")
    figures.mark_illustrative(fig, "illustrative")
    assert sum(t.get_text() == figures.ILLUSTRATIVE_MARK for t in fig.texts) == 1


def test_the_default_figure_is_printed_at_full_size_with_text_of_at_least_7_pt():
    fig = simple_figure()
    assert figures.printed_width_in(fig) <= figures.TEXT_WIDTH_IN + 0.05
    assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT


def test_text_shrinks_with_a_figure_wider_than_the_page():
    fig, ax = plt.subplots(figsize=(2 * figures.TEXT_WIDTH_IN, 4))
    ax.set_title("x", fontsize=10)
    ax.tick_params(labelsize=10)
    assert figures.smallest_text_pt(fig) == pytest.approx(5.0, abs=0.3)


def hue_class(colour) -> str:
    """ "pink" (purple-red hues), "brown" (dull orange hues) or "other", from HSV."""
    h, sat, v = colorsys.rgb_to_hsv(*to_rgb(colour))
    if 280 <= 360 * h <= 350 and sat > 0.2:
        return "pink"
    if 15 <= 360 * h <= 45 and 0.25 < sat < 0.9 and v < 0.85:
        return "brown"
    return "other"


def test_the_rule_finds_the_two_pinks_and_the_brown_of_seaborns_colorblind_palette():
    classes = [hue_class(c) for c in sns.color_palette("colorblind", 7)]
    assert classes.count("pink") == 2 and classes.count("brown") == 1


def test_the_palette_is_okabe_ito_with_one_pink_and_no_brown():
    colours = figures.palette()
    assert len({to_rgb(c) for c in colours}) == 8
    classes = [hue_class(c) for c in colours]
    assert classes.count("pink") == 1 and classes.count("brown") == 0


def test_more_categories_than_colours_that_stay_apart_is_an_error():
    with pytest.raises(ValueError, match="more than the 8"):
        figures.palette(9)


def test_count_scales_have_one_colour_step_per_whole_number():
    cmap, norm, ticks = figures.count_scale(4)
    assert list(ticks) == [0, 1, 2, 3, 4]
    assert cmap.N == 5
    assert [norm(v) for v in (0, 1, 4)] == [0, 1, 4]  # each count its own colour step


def test_large_counts_are_binned_into_at_most_ten_steps():
    cmap, _, ticks = figures.count_scale(95)
    assert cmap.N <= 10 and ticks[0] == 0 and all(t == int(t) for t in ticks)


def test_the_diagonal_mask_covers_exactly_the_diagonal():
    mask = figures.mask_diagonal(pd.DataFrame(np.ones((3, 3))))
    assert mask.tolist() == [[True, False, False], [False, True, False], [False, False, True]]


def test_rupiah_axes_say_rp():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [500000, 1500000])
    figures.rupiah_axis(ax, "y", "Household income (Rp a month)")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and all(label.startswith("Rp ") for label in labels)
    assert "Rp" in ax.get_ylabel()


@pytest.mark.parametrize("width,size", [(7.5, 5), (12, 7), (5, 6.5)])
def test_any_figure_fitted_for_print_has_text_of_at_least_7_pt(width, size):
    fig, ax = plt.subplots(figsize=(width, 4))
    ax.plot([0, 1], [0, 1], label="a series")
    ax.set_title("A title", fontsize=size)
    ax.tick_params(labelsize=size)
    ax.set_ylabel("a long label " * 3, fontsize=size)
    ax.legend(fontsize=size)
    figures.fit_for_print(fig)
    assert figures.printed_width_in(fig) <= figures.TEXT_WIDTH_IN + 0.05
    assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT - 1e-9
