"""Property-based: every display of the qualitative chapter works at every size a study may have.

The sizes come from the contract (:data:`analysis.data.contract.STUDY_RANGES`: 1-60 themes,
1-400 codes, 1-300 informants, 1-10 coders, segments up to 20,000 characters, GUIDs and tool ids
as ids), drawn by :func:`support.strategies.study_shapes`; the smallest and the largest study are
always among the examples. Each display returns its figure or table, and every category is
accounted for: drawn, grouped under "other", or counted in a note that sends the reader to the
table or download. A failing example prints its shape and what the study holds.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, example, given, note, settings  # noqa: E402

from analysis import figures  # noqa: E402
from analysis.data.contract import STUDY_RANGES  # noqa: E402
from analysis.methods import agreement as agr  # noqa: E402
from analysis.methods import qualitative as q  # noqa: E402
from analysis.report import agreement as report_agreement  # noqa: E402
from analysis.report import findings as report_findings  # noqa: E402
from analysis.report import qualitative as report  # noqa: E402
from analysis.report import qualitative_figures as report_figures  # noqa: E402
from analysis.report.labels import Labels  # noqa: E402
from analysis.report.parts import Download, Figure, Text  # noqa: E402
from support.strategies import StudyShape, describe_shape, scaled_dataset, study_shapes  # noqa: E402

SITE = "study-x"
SCALE = settings(
    max_examples=int(os.environ.get("PROPERTY_SCALE_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=os.environ.get("PROPERTY_RANDOM") != "1",
)


def _figures(parts) -> list:
    """The figures of a list of display parts, drawn."""
    drawn = []
    for part in parts:
        if isinstance(part, Figure):
            assert part.alt  # every figure says what it shows
            fig = part.draw()
            fig.canvas.draw()
            drawn.append(fig)
    return drawn


def _ticks(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def check_every_display(shape: StudyShape, say=print) -> None:
    """Run every display of the qualitative chapter on a study of ``shape`` and check its claims.

    ``say`` reports what the study holds (``hypothesis.note`` in a property, printed otherwise:
    pytest shows it when the test fails).
    """
    data = scaled_dataset(shape, SITE)
    say(f"{shape!r}: {describe_shape(data)}")
    informants, codebook, segments = data["informants"], data["codebook"], data["segments"]
    counted = q.primary_codings(segments)
    theme_of = codebook.set_index("code")["theme"]
    try:
        # frequencies: a row per code used; the chart draws the most used, grouped themes
        frequencies = q.code_frequencies(counted, informants, codebook)
        assert set(frequencies["code"]) == set(counted["code"])
        fig = report_figures.plot_code_frequencies(frequencies, title="codes", lang="en")
        ax = fig.axes[0]
        with_share = frequencies.dropna(subset=["share_informants"])
        drawn = with_share.sort_values(["share_informants", "label"], ascending=[False, True])
        drawn = drawn.head(report_figures.MAX_CODES_SHOWN)
        assert len(ax.get_yticks()) == len(drawn)
        if len(with_share) > len(drawn):
            assert f"of {len(with_share)}" in ax.get_title()
        themes_drawn = drawn["theme"].nunique()
        legend = [t.get_text() for t in ax.get_legend().get_texts()] if themes_drawn else []
        if themes_drawn <= len(figures.OKABE_ITO):
            assert len(legend) == themes_drawn
        else:  # seven themes in colour, the others under one entry that counts them
            assert len(legend) == len(figures.OKABE_ITO)
            assert legend[-1] == f"{themes_drawn - len(figures.OKABE_ITO) + 1} other themes"
        plt.close(fig)

        # informant x code: every informant with a coding and every code, drawn or downloaded
        matrix = q.informant_code_matrix(counted, informants, codebook)
        parts = report.informant_matrix_parts(counted, informants, codebook, lang="en")
        for fig in _figures(parts):
            ax = fig.axes[0]
            rows, columns = (
                min(len(matrix), report_figures.MAX_HEATMAP_ROWS),
                report_figures.MAX_HEATMAP_COLUMNS,
            )
            assert len(_ticks(ax.yaxis)) == rows
            assert len(_ticks(ax.xaxis)) == min(matrix.shape[1], columns)
            trimmed = matrix.shape[0] > rows or matrix.shape[1] > columns
            assert trimmed == any(isinstance(p, Download) for p in parts)
            if trimmed:
                assert "with the largest totals" in ax.get_title()
            plt.close(fig)

        # matrices of roles and themes: every theme spoken of is a column
        spoken = counted.dropna(subset=["informant_id"])
        themes_spoken = set(spoken["code"].map(theme_of))
        role_matrix = q.role_ordered_matrix(counted, informants, codebook)
        assert set(role_matrix.columns) == themes_spoken
        assert len(role_matrix) == informants["role"].nunique()
        labels = Labels.of("en", codebook)
        blocks = report.theme_blocks(role_matrix.columns, q.theme_groups(codebook), labels)
        assert sorted(t for _heading, block in blocks for t in block) == sorted(role_matrix.columns)
        assert all(len(block) <= report.THEMES_PER_TABLE for _heading, block in blocks)
        report.role_matrix_parts(counted, informants, codebook, lang="en")
        clustered = q.conceptually_clustered_matrix(counted, informants, codebook, by="role")
        assert set(clustered.columns.get_level_values("theme")) == themes_spoken
        tables = report.column_blocks(clustered)
        assert [c for t in tables for c in t.columns] == list(clustered.columns)
        assert all(t.shape[1] <= report.COLUMNS_PER_TABLE for t in tables)
        counts = q.conceptually_clustered_matrix(counted, informants, codebook, by="count")
        shown = report.clustered_figure_parts(counted, informants, codebook, lang="en")
        for fig in _figures(shown):
            ax = fig.axes[0]
            assert len(_ticks(ax.xaxis)) == min(counts.shape[1], report_figures.MAX_HEATMAP_COLUMNS)
            assert len(_ticks(ax.yaxis)) == min(counts.shape[0], report_figures.MAX_HEATMAP_ROWS)
            plt.close(fig)
        report.checklist_parts(counted, informants, codebook, lang="en")

        # co-occurrence: the codes drawn are those that co-occur most; the title counts the rest
        for within in ("segment", "informant"):
            result = q.cooccurrence(counted, codebook, within=within)
            coefficient = result.coefficient
            parts = report.cooccurrence_figure_parts(result, codebook, within, lang="en")
            for fig in _figures(parts):
                ax = fig.axes[0]
                shown = min(len(coefficient), report_figures.MAX_HEATMAP_COLUMNS)
                assert len(_ticks(ax.xaxis)) == len(_ticks(ax.yaxis)) == shown
                if len(coefficient) > shown:
                    assert f"of {len(coefficient)} codes" in ax.get_title()
                plt.close(fig)

        # triangulation and findings: a row per code and per finding
        assert len(q.triangulation(counted, codebook)) == counted["code"].nunique()
        findings = q.study_findings(counted, informants, codebook, segments, site=SITE, seed=1)
        assert findings.facts()["n_findings"] == codebook["finding"].nunique()
        report_findings.findings_parts(findings, codebook, lang="en")

        # agreement: computed with two coders or more, and said why not with one
        study = agr.study_agreement(segments, site=SITE)
        facts = study.facts()
        parts = report_agreement.agreement_parts(study, SITE, q.code_labels(codebook), lang="en")
        if segments["coder"].nunique() == 1:
            assert facts == {"agr_computable": False}
            assert isinstance(parts[0], Text) and "one coder" in parts[0].markdown
        if facts["agr_computable"]:
            for fig in _figures(parts):
                most = report_agreement.MAX_CODES_SHOWN
                assert len(fig.axes[0].get_yticks()) == min(facts["agr_codes"], most)
                plt.close(fig)
    finally:
        plt.close("all")


@pytest.mark.slow
@SCALE
@given(study_shapes())
@example(StudyShape.extreme("min"))
@example(StudyShape.extreme("max"))
@example(StudyShape.extreme("min", themes=10, codes=30, informants=11, segments=120))
def test_every_display_works_at_every_size_a_study_may_have(shape):
    check_every_display(shape, say=note)


@pytest.mark.parametrize(
    "shape",
    [
        StudyShape.extreme("min"),
        # the field study: 10 themes, one coder (the palette held 8)
        StudyShape.extreme("min", themes=10, codes=30, informants=11, segments=120, seed=3),
        StudyShape.extreme("max", codes=80, informants=60, segments=400, ids="tool", seed=1),
    ],
    ids=["smallest", "ten-themes-one-coder", "sixty-themes-ten-coders"],
)
def test_displays_work_for_a_few_sizes(shape):
    check_every_display(shape)


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
