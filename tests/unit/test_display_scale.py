"""Property-based: every display of the qualitative chapter works at every size a study may have.

The sizes come from the contract (:data:`analysis.data.contract.STUDY_RANGES`: 1-60 themes,
1-400 codes, 1-300 informants, 1-10 coders, segments up to 20,000 characters, GUIDs and tool ids
as ids), drawn by :func:`support.strategies.study_shapes`; the smallest and the largest study are
always among the examples. Each display returns its figure or table, and every category is
accounted for: drawn, grouped under "other", or counted in a note that sends the reader to the
table or download. A failing example prints its shape and what the study holds. Here: the
smallest study; larger fixed sizes (each drawing every figure takes seconds) and the property
over drawn sizes are tests/integration/test_display_scale_property.py.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from analysis import figures  # noqa: E402
from analysis.data.contract import STUDY_RANGES  # noqa: E402
from analysis.report import qualitative as report  # noqa: E402
from analysis.report.labels import Labels  # noqa: E402
from support.displays import check_every_display  # noqa: E402
from support.strategies import StudyShape, scaled_dataset  # noqa: E402


def test_displays_work_for_the_smallest_study():
    check_every_display(StudyShape.extreme("min"))


def test_the_ranges_are_declared_once_and_the_strategies_reach_them():
    assert STUDY_RANGES["themes"] == (1, 60) and STUDY_RANGES["codes"] == (1, 400)
    assert STUDY_RANGES["informants"] == (1, 300) and STUDY_RANGES["coders"] == (1, 10)
    largest = scaled_dataset(StudyShape.extreme("max"))
    assert largest["codebook"]["theme"].nunique() == 60
    assert len(largest["codebook"]) == 400
    assert len(largest["informants"]) == 300
    assert largest["segments"]["coder"].nunique() == 10
    assert largest["segments"]["text"].str.len().max() == STUDY_RANGES["segment_chars"][1]
    assert largest["segments"]["code"].nunique() == 400  # every code is used


def test_more_categories_than_colours_are_grouped_never_an_error():
    colours = figures.category_colours([f"t{k}" for k in range(60)])
    assert len(colours) == 60
    assert len(set(colours.values())) == len(figures.OKABE_ITO)
    assert list(colours.values())[7:] == [figures.OTHER_COLOUR] * 53
    assert figures.category_colours(["a", "b"]) == dict(zip("ab", figures.OKABE_ITO[:2]))


def test_a_theme_group_wider_than_a_table_is_cut_into_numbered_blocks():
    themes = [f"t{k}" for k in range(8)] + ["u"]
    groups = {t: "responding to poverty" for t in themes[:8]} | {"u": "themes"}
    labels = Labels.of("en")
    blocks = report.theme_blocks(themes, groups, labels, size=6)
    assert [heading for heading, _block in blocks] == [
        "**Themes: responding to poverty (1 of 2)**",
        "**Themes: responding to poverty (2 of 2)**",
        "**Themes**",
    ]
    assert [h for h, _block in report.theme_blocks(themes, {}, labels, size=6)] == [
        "**Themes (1 of 2)**",
        "**Themes (2 of 2)**",
    ]
    assert [len(block) for _heading, block in blocks] == [6, 2, 1]
