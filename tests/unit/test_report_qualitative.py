"""The qualitative chapter's report functions: what they say when the data cannot fill a display,
the design-weighted shares, the words for the drawn units, and figures with alt text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import registry
from analysis.data.loading import load, load_optional
from analysis.literal import markdown_literal
from analysis.methods import agreement as agr
from analysis.methods import qualitative as q
from analysis.methods import sampling
from analysis.project import DATA_DIR
from analysis.report import agreement as report_agreement
from analysis.report import findings as report_findings
from analysis.report import qualitative as report
from analysis.report import sampling as report_sampling
from analysis.report.parts import Figure, Table, Text

JOMBANG = registry.study(DATA_DIR, "jombang")
PAKIS = registry.study(DATA_DIR, "pakis")


def _site(site: str):
    segments, informants, codebook = (
        load(DATA_DIR, k) for k in ("segments", "informants", "codebook")
    )
    informants = informants[informants["site"] == site].reset_index(drop=True)
    segments = segments[segments["site"] == site].reset_index(drop=True)
    return segments, informants, codebook


def _text(parts) -> str:
    return "\n".join(p.markdown for p in parts if isinstance(p, Text))


def test_segments_without_informants_leave_the_informant_code_matrix_out_with_a_sentence():
    segments, informants, codebook = _site("pakis")
    counted = q.primary_codings(segments.drop(columns="informant_id"))
    parts = report.informant_matrix_parts(counted, informants, codebook, lang="en")
    assert len(parts) == 1 and "no informant" in parts[0].markdown.lower()
    with_ids = q.primary_codings(segments)
    drawn = report.informant_matrix_parts(with_ids, informants, codebook, lang="en")
    assert isinstance(drawn[0], Figure)


def test_finding_supporters_count_what_the_findings_table_counts():
    segments, informants, codebook = _site("jombang")
    counted = q.primary_codings(segments)
    support = q.finding_supporters(counted, informants, codebook, site="jombang")
    table = q.findings_table(counted, informants, codebook, site="jombang", reliability=False)
    assert support.sum().to_dict() == table.set_index("finding")["informants"].to_dict()
    assert len(support) == len(informants)


def _shares(study=JOMBANG, frame="sampling_frame"):
    segments, informants, codebook = _site(study.site)
    counted = q.primary_codings(segments)
    draw = sampling.redrawn_sample(study, load_optional(DATA_DIR, frame) if frame else None)
    support = q.finding_supporters(counted, informants, codebook, site=study.site)
    return draw, informants, support, sampling.weighted_shares(draw, informants, support)


def test_design_weighted_shares_weight_the_drawn_informants_by_one_over_pi():
    draw, informants, support, shares = _shares()
    table = shares.table.set_index("finding")
    # independent: the Hajek ratio by hand from the redrawn sample's pi
    pi = draw.sample.sample.groupby(["cluster", "stratum"])["pi"].first()
    units = informants.dropna(subset=["cluster"])
    units = units[[(c, r) in pi.index for c, r in zip(units["cluster"], units["role"])]]
    weights = np.array([1 / pi[(c, r)] for c, r in zip(units["cluster"], units["role"])])
    for finding in support.columns:
        y = units["informant_id"].map(support[finding]).to_numpy(dtype=float)
        assert table.loc[finding, "share"] == pytest.approx((weights * y).sum() / weights.sum())
    facts = shares.facts()
    assert facts["weighted_drawn_informants"] == len(units)
    assert facts["weighted_purposive_informants"] == len(informants) - len(units)
    parts = report_sampling.weighted_share_parts(JOMBANG, shares, lang="en")
    shown = next(p.frame for p in parts if isinstance(p, Table)).set_index("finding")
    assert list(shown["design-weighted share (%)"]) == [f"{100 * v:.0f}" for v in table["share"]]
    assert "purposively" in _text(parts) and "self-weighting" in _text(parts)


def test_a_purposive_study_has_no_design_weighted_section():
    _draw, _informants, _support, shares = _shares(PAKIS)
    assert shares.facts() == {}
    assert report_sampling.weighted_share_parts(PAKIS, shares, lang="en") == []


def test_a_two_stage_study_without_a_frame_says_why_there_are_no_weights():
    draw, _informants, _support, shares = _shares(frame=None)
    assert draw.problem == sampling.NO_FRAME and shares.facts() == {}
    parts = report_sampling.weighted_share_parts(JOMBANG, shares, lang="en")
    assert len(parts) == 2 and "no sampling frame" in parts[1].markdown


def test_informant_inclusion_gives_no_pi_to_informants_outside_the_draw():
    draw = sampling.redrawn_sample(JOMBANG, load_optional(DATA_DIR, "sampling_frame"))
    _segments, informants, _codebook = _site("jombang")
    weighted = sampling.informant_inclusion(draw.sample, informants)
    assert weighted.loc[weighted["cluster"].isna(), "pi"].isna().all()
    assert (weighted["pi"].dropna().between(0, 1)).all()


def test_the_findings_table_shows_the_verdict_before_the_long_reliability_note():
    columns = report_findings.FINDING_COLUMNS
    assert columns.index("verdict") == 1 and columns[-1] == "reliability"


def test_agreement_tables_show_the_columns_a_reader_needs_with_shares_in_percent():
    from analysis.report.words import Words

    assert report_agreement.AGREEMENT_COLUMNS[-1] == "alpha_verdict"
    assert "units" not in report_agreement.AGREEMENT_COLUMNS + report_agreement.PAIR_COLUMNS
    assert report_agreement._formats(Words("en"))["prevalence"] == "share"


# --- issue 24: the words for the drawn units ---------------------------------------------------


def test_jombangs_drawn_clusters_are_desa_and_its_officials_are_desa_officials():
    """All five drawn clusters are desa: no "kelurahan official in each selected desa"."""
    draw = sampling.redrawn_sample(JOMBANG, load_optional(DATA_DIR, "sampling_frame"))
    assert draw.selected_types() == ["desa"]
    unit = sampling.official_unit(draw)
    assert unit == "desa"
    _segments, informants, _codebook = _site("jombang")
    said = _text(report.informants_parts(JOMBANG, informants, lang="en", official_unit=unit))
    said += _text(report_sampling.design_parts(JOMBANG, draw, informants, lang="en"))
    n = int((informants["role"] == "kelurahan_official").sum())
    assert f"{n} desa officials" in said
    assert "1 desa official, 3 residents in each selected desa by" in said
    assert "kelurahan official" not in said
    indonesian = _text(
        report.informants_parts(JOMBANG, informants, lang="id", official_unit=unit)
        + report_sampling.design_parts(JOMBANG, draw, informants, lang="id")
    )
    assert f"{n} aparatur desa" in indonesian and "aparatur kelurahan" not in indonesian
    assert "di setiap desa terpilih" in indonesian


def test_a_draw_of_both_kinds_of_cluster_says_desa_or_kelurahan_and_no_draw_says_nothing():
    draw = sampling.redrawn_sample(JOMBANG, load_optional(DATA_DIR, "sampling_frame"))
    frame = draw.sample.frame.copy()
    frame.loc[frame["selected"].to_numpy().nonzero()[0][0], "cluster_type"] = "kelurahan"
    both = sampling.StudyDraw(
        sampling.ClusterSample(
            frame=frame,
            draw=draw.sample.draw,
            sample=draw.sample.sample,
            method=draw.sample.method,
            seed=draw.sample.seed,
            n_clusters=draw.sample.n_clusters,
        ),
        draw.rows,
    )
    assert sampling.official_unit(both) == "desa/kelurahan"
    assert sampling.official_unit(sampling.StudyDraw(None, problem=sampling.NO_FRAME)) is None


# --- figures carry their numbers in words -------------------------------------------------------


def test_every_figure_of_the_chapter_has_alt_text_with_its_key_numbers():
    segments, informants, codebook = _site("jombang")
    counted = q.primary_codings(segments)
    frequencies = q.code_frequencies(counted, informants, codebook)
    co = q.cooccurrence(counted, codebook, within="segment")
    study = agr.study_agreement(segments, site="jombang", seed=1)
    figures = [
        *report.frequency_figure_parts(frequencies, codebook, lang="en"),
        *report.informant_matrix_parts(counted, informants, codebook, lang="en"),
        *report.clustered_figure_parts(counted, informants, codebook, lang="en"),
        *report.cooccurrence_figure_parts(co, codebook, "segment", lang="en"),
        *report_agreement.agreement_parts(study, "jombang", q.code_labels(codebook), lang="en"),
    ]
    figures = [f for f in figures if isinstance(f, Figure)]
    assert len(figures) == 5 and all(f.alt for f in figures)
    top = frequencies.sort_values(["informants", "segments"], ascending=False).iloc[0]
    assert f"{top['label']} ({100 * top['share_informants']:.0f}\u00a0%)" in figures[0].alt
    assert f"{len(informants)} informants" in figures[1].alt
    pair, c = q.strongest_pair(co)
    assert (
        report.pair_name(pair, codebook, lang="en") in figures[3].alt
        and f"c = {c:.2f}" in figures[3].alt
    )
    assert f"{study.result.to_dict()['codes']} codes" in figures[4].alt


def test_alt_text_is_in_the_editions_language_with_its_digits():
    segments, informants, codebook = _site("jombang")
    co = q.cooccurrence(q.primary_codings(segments), codebook, within="segment")
    (figure,) = report.cooccurrence_figure_parts(co, codebook, "segment", lang="id")
    _pair, c = q.strongest_pair(co)
    assert figure.alt.startswith("Peta panas") and f"c = {c:.2f}".replace(".", ",") in figure.alt


def test_an_empty_findings_codebook_says_so_in_a_sentence():
    segments, informants, codebook = _site("jombang")
    counted = q.primary_codings(segments)
    found = q.study_findings(
        counted, informants, codebook.drop(columns="finding"), segments, site="jombang", seed=1
    )
    assert found.table is None and found.facts()["n_findings"] == 0
    (part,) = report_findings.findings_parts(found, codebook, lang="en")
    assert part.markdown.startswith("No findings table:")


def test_roles_in_tables_are_the_editions_words_and_the_methods_keep_codes():
    segments, informants, codebook = _site("jombang")
    counted = q.primary_codings(segments)
    matrix = q.conceptually_clustered_matrix(counted, informants, codebook, by="role")
    assert "kelurahan_official" in matrix.index and "resident" in matrix.index
    parts = report.clustered_parts(counted, informants, codebook, "jombang", lang="id")
    assert "warga" in parts[0].frame.index


def test_the_role_ordered_matrix_holds_quotes_as_records_and_the_report_writes_them():
    segments, informants, codebook = _site("pakis")
    matrix = q.role_ordered_matrix(q.primary_codings(segments), informants, codebook)
    cells = [c for c in matrix.to_numpy().ravel() if c is not None]
    assert cells and all(isinstance(c, q.RoleCell) for c in cells)
    quoted = next(c for c in cells if c.quote is not None)
    from analysis.report.words import Words

    english = report.role_cell(quoted, "illustrative", Words("en"))
    indonesian = report.role_cell(quoted, "illustrative", Words("id"))
    assert english.startswith(f"{quoted.k}/{quoted.n}: “") and "invented" not in english
    assert "[" not in indonesian and "rekaan" not in indonesian  # the display says it, once


def test_methods_results_of_the_chapter_hold_no_words():
    segments, informants, codebook = _site("jombang")
    counted = q.primary_codings(segments)
    table = q.findings_table(counted, informants, codebook, site="jombang", seed=1, resamples=20)
    assert set(table["reliability_status"]) <= {
        q.ONE_CODER,
        q.NO_DOUBLE_CODING,
        q.NOT_ASSESSED,
        q.ASSESSED,
    }
    assert all(isinstance(x, q.Quote) for quotes in table["quotes"] for x in quotes)
    assert set(pd.Series(agr.agreement(segments, site="jombang").to_frame()["code"]).tail(1)) == {
        agr.POOLED
    }


def test_the_design_section_gives_the_registrys_own_description_of_the_design():
    import dataclasses

    draw = sampling.redrawn_sample(JOMBANG, load_optional(DATA_DIR, "sampling_frame"))
    _segments, informants, _codebook = _site("jombang")
    intro = report_sampling.design_parts(JOMBANG, draw, informants, lang="en")[0].markdown
    design = markdown_literal(JOMBANG.design)  # data, shown as written
    own = markdown_literal(JOMBANG.sampling_description)
    assert intro.endswith(
        f"The registry records the study's design as: {design}. In the study's own words: “{own}”"
    )
    without = dataclasses.replace(JOMBANG, design=None, sampling_description=None)
    plain = report_sampling.design_parts(without, draw, informants, lang="en")[0].markdown
    assert "registry records" not in plain and plain.endswith("design weights.")


def test_the_sampling_section_quotes_the_study_and_says_the_seed_is_this_projects():
    """Jombang's own words ("sample purposive yaitu two stage cluster random sampling") are
    quoted from the registry, as data (escaped), in both editions; the seed is the project's."""
    import dataclasses

    draw = sampling.redrawn_sample(JOMBANG, load_optional(DATA_DIR, "sampling_frame"))
    _segments, informants, _codebook = _site("jombang")
    assert "two stage cluster random sampling" in JOMBANG.sampling_description
    for lang, seed_words in (("en", "this project's seed"), ("id", "*seed* milik proyek ini")):
        said = _text(report_sampling.design_parts(JOMBANG, draw, informants, lang=lang))
        assert markdown_literal(JOMBANG.sampling_description) in said
        assert seed_words in said
        assert "(desa dan kelurahan)" in said or "(desa and kelurahan)" in said
    marked = dataclasses.replace(JOMBANG, sampling_description="*not* `markup`")
    said = report_sampling.design_parts(marked, draw, informants, lang="en")[0].markdown
    assert markdown_literal("*not* `markup`") in said and "*not*" not in said
    pakis = registry.study(DATA_DIR, "pakis")
    purposive = _text(report_sampling.design_parts(pakis, draw, informants, lang="en"))
    assert "9 informan inti dan 2 informan tambahan" in purposive


# ------------------------------------------------- computed once, named in each edition's words
def test_results_computed_from_a_codes_only_codebook_hold_codes_that_each_edition_names():
    """The qualitative chapter is executed once for both editions: its methods compute from a
    codebook whose words are codes (``codes_only``), and the report names the codes, pairs and
    findings from each edition's codebook (issue 22)."""
    segments, informants, _codebook = _site("jombang")
    english, indonesian = load(DATA_DIR, "codebook", "en"), load(DATA_DIR, "codebook", "id")
    codes = q.codes_only(english)
    assert (codes["label"] == codes["code"]).all()
    counted = q.primary_codings(segments)
    top = q.top_code(q.code_frequencies(counted, informants, codes))
    assert top["top_code_id"] in set(english["code"])
    assert (
        report.code_name(top["top_code_id"], indonesian, lang="id")
        == (indonesian.set_index("code").loc[top["top_code_id"], "label"])
    )
    pair, _c = q.strongest_pair(q.cooccurrence(counted, codes, within="segment"))
    assert set(pair) <= set(english["code"])
    assert report.pair_name(pair, english, lang="en") == " + ".join(
        english.set_index("code").loc[list(pair), "label"]
    )
    assert report.pair_name(None, english, lang="id") == "tidak ada"

    found = q.study_findings(counted, informants, codes, segments, site="jombang", seed=1)
    assert set(found.table["finding"]) <= set(english["code"])  # each named by its first code
    for lang, codebook in (("en", english), ("id", indonesian)):
        shown = set(report_findings.findings_parts(found, codebook, lang=lang)[0].frame.iloc[:, 0])
        assert len(shown) == len(found.table)
        assert shown <= set(codebook["finding"].dropna())  # the edition's words, no id
    assert "Planning is still top-down" not in set(indonesian["finding"].dropna())


def test_the_same_results_give_the_same_numbers_and_each_editions_words():
    """What the per-edition executions gave, the one execution gives: the findings computed from
    the English codebook's words and from the codes agree in every number."""
    segments, informants, english = _site("pakis")
    counted = q.primary_codings(segments)
    by_words = q.findings_table(counted, informants, english, site="pakis", reliability=False)
    by_codes = q.findings_table(
        counted, informants, q.codes_only(english), site="pakis", reliability=False
    )
    numbers = ["informants", "informants_total", "segments", "n_source_types", "verdict", "logic"]
    pd.testing.assert_frame_equal(by_words[numbers], by_codes[numbers])
    names = q.finding_names(english)
    assert [names[f] for f in by_codes["finding"]] == list(by_words["finding"])


def test_a_codebook_without_findings_is_said_in_the_editions_language():
    from analysis.methods.findings import NO_FINDING_COLUMN
    from analysis.report import findings as report_findings

    none = q.StudyFindings(None, NO_FINDING_COLUMN)
    _segments, _informants, codebook = _site("jombang")
    english = _text(report_findings.findings_parts(none, codebook, lang="en"))
    indonesian = _text(report_findings.findings_parts(none, codebook, lang="id"))
    assert markdown_literal("no 'finding' column") in english
    assert markdown_literal("tidak memiliki kolom 'finding'") in indonesian
    assert "no findings to tabulate" not in indonesian and "codebook" not in indonesian
