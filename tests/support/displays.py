"""Every display of the qualitative chapter run on a study of a given shape, its claims checked
(tests/unit/test_display_scale.py runs the smallest study, tests/integration/test_display_scale_property.py
a few fixed sizes and sizes drawn from the contract's ranges)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis import figures  # noqa: E402
from analysis.methods import agreement as agr  # noqa: E402
from analysis.methods import qualitative as q  # noqa: E402
from analysis.report import agreement as report_agreement  # noqa: E402
from analysis.report import findings as report_findings  # noqa: E402
from analysis.report import qualitative as report  # noqa: E402
from analysis.report import qualitative_figures as report_figures  # noqa: E402
from analysis.report.labels import Labels  # noqa: E402
from analysis.report.parts import Download, Figure, Text  # noqa: E402
from support.strategies import StudyShape, describe_shape, scaled_dataset  # noqa: E402

SITE = "study-x"


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
