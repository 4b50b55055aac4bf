"""Every display of the qualitative chapter run on a study of a given shape, its claims checked
(tests/unit/test_display_scale.py runs a few sizes, tests/integration/test_display_scale_property.py
draws sizes from the contract's ranges)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis import figures  # noqa: E402
from analysis.methods import agreement as agr  # noqa: E402
from analysis.methods import narrative  # noqa: E402
from analysis.methods import qualitative as q  # noqa: E402
from support.strategies import StudyShape, describe_shape, scaled_dataset  # noqa: E402

SITE = "study-x"


def _figures(parts) -> list:
    """The figures of a list of display parts, drawn."""
    drawn = []
    for part in parts:
        if not isinstance(part, str) and part[0] == "figure":
            fig = part[1]()
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
        fig = q.plot_code_frequencies(frequencies, title="codes")
        ax = fig.axes[0]
        with_share = frequencies.dropna(subset=["share_informants"])
        drawn = with_share.sort_values(["share_informants", "label"], ascending=[False, True])
        drawn = drawn.head(q.MAX_CODES_SHOWN)
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
        parts = narrative.informant_matrix_parts(counted, informants, codebook)
        for fig in _figures(parts):
            ax = fig.axes[0]
            rows, columns = min(len(matrix), q.MAX_HEATMAP_ROWS), q.MAX_HEATMAP_COLUMNS
            assert len(_ticks(ax.yaxis)) == rows
            assert len(_ticks(ax.xaxis)) == min(matrix.shape[1], columns)
            trimmed = matrix.shape[0] > rows or matrix.shape[1] > columns
            assert trimmed == any(p[0] == "download" for p in parts if not isinstance(p, str))
            if trimmed:
                assert "with the largest totals" in ax.get_title()
            plt.close(fig)

        # matrices of roles and themes: every theme spoken of is a column
        spoken = counted.dropna(subset=["informant_id"])
        themes_spoken = set(spoken["code"].map(theme_of))
        role_matrix = q.role_ordered_matrix(counted, informants, codebook, max_chars=60)
        assert set(role_matrix.columns) == themes_spoken
        assert len(role_matrix) == informants["role"].nunique()
        blocks = q.theme_blocks(role_matrix.columns, q.theme_groups(codebook))
        assert sorted(t for _heading, block in blocks for t in block) == sorted(role_matrix.columns)
        assert all(len(block) <= q.THEMES_PER_TABLE for _heading, block in blocks)
        clustered = q.conceptually_clustered_matrix(counted, informants, codebook, by="role")
        assert set(clustered.columns.get_level_values("theme")) == themes_spoken
        tables = q.column_blocks(clustered)
        assert [c for t in tables for c in t.columns] == list(clustered.columns)
        assert all(t.shape[1] <= q.COLUMNS_PER_TABLE for t in tables)
        counts = q.conceptually_clustered_matrix(counted, informants, codebook, by="count")
        for fig in _figures(narrative.clustered_figure_parts(counts)):
            ax = fig.axes[0]
            assert len(_ticks(ax.xaxis)) == min(counts.shape[1], q.MAX_HEATMAP_COLUMNS)
            assert len(_ticks(ax.yaxis)) == min(counts.shape[0], q.MAX_HEATMAP_ROWS)
            plt.close(fig)
        narrative.checklist_parts(counted, informants, codebook)

        # co-occurrence: the codes drawn are those that co-occur most; the title counts the rest
        for within in ("segment", "informant"):
            coefficient = q.cooccurrence(counted, codebook, within=within).coefficient
            for fig in _figures(narrative.cooccurrence_figure_parts(coefficient, codebook, within)):
                ax = fig.axes[0]
                shown = min(len(coefficient), q.MAX_HEATMAP_COLUMNS)
                assert len(_ticks(ax.xaxis)) == len(_ticks(ax.yaxis)) == shown
                if len(coefficient) > shown:
                    assert f"of {len(coefficient)} codes" in ax.get_title()
                plt.close(fig)

        # triangulation and findings: a row per code and per finding
        assert len(q.triangulation(counted, codebook)) == counted["code"].nunique()
        _parts, facts = narrative.findings_parts(counted, informants, codebook, SITE, segments)
        assert facts["n_findings"] == codebook["finding"].nunique()

        # agreement: computed with two coders or more, and said why not with one
        parts, facts = narrative.agreement_parts(segments, SITE, q.code_labels(codebook))
        if segments["coder"].nunique() == 1:
            assert facts == {"agr_computable": False}
            assert "one coder" in parts[0]
        if facts["agr_computable"]:
            for fig in _figures(parts):
                assert len(fig.axes[0].get_yticks()) == min(facts["agr_codes"], agr.MAX_CODES_SHOWN)
                plt.close(fig)
    finally:
        plt.close("all")
