"""Qualitative displays: counts of segments and informants, matrices, co-occurrence, triangulation, findings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.illustrative.qualitative import generate_qualitative
from analysis.methods import qualitative as q
from analysis.methods.condensation import coder_ranking
from analysis.report import findings as report_findings
from analysis.report import qualitative as report
from analysis.report import qualitative_figures as report_figures
from analysis.report.words import Words

EN = Words("en")


def _quotes(quotes, edition=None, w=EN) -> str:
    """The quotes of a findings row as the report writes them."""
    return " ".join(
        report_findings.quote_text(x, report_findings.FINDING_QUOTE_CHARS, edition, w)
        for x in quotes
    )


SITE = "s"


def _small():
    informants = pd.DataFrame(
        {
            "informant_id": ["R1", "K1", "L1", "P1", "P2"],
            "site": SITE,
            "role": [
                "regency_official",
                "kecamatan_official",
                "kelurahan_official",
                "resident",
                "resident",
            ],
            "consent_quote": [True, True, False, True, True],
        }
    )
    codebook = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "theme": ["meaning", "indicators", "strategies", "indicators"],
            "description": "",
            "theme_group": [
                "understanding poverty",
                "understanding poverty",
                "responding to poverty",
                "understanding poverty",
            ],
            "label": ["A", "B", "C", "D"],
            "finding": ["F1", None, "F2", None],
            "finding_site": [SITE, None, SITE, None],
        }
    )
    rows = [  # segment, source type, informant, code, coder, text
        ("S1", "interview", "R1", "a", "X", "teks satu"),
        ("S1", "interview", "R1", "c", "X", "teks satu"),
        ("S1", "interview", "R1", "a", "Y", "teks satu"),
        ("S2", "interview", "R1", "a", "X", "teks dua"),
        ("S3", "interview", "L1", "c", "X", "RAHASIA"),
        ("S3", "interview", "L1", "b", "Y", "RAHASIA"),
        ("S4", "interview", "P1", "b", "X", "teks empat"),
        ("S4", "interview", "P1", "d", "X", "teks empat"),
        ("S5", "interview", "P2", "b", "X", "teks lima"),
        ("S6", "observation", None, "c", "X", "catatan"),
        ("S7", "document", None, "a", "X", "dokumen"),
    ]
    segments = pd.DataFrame(
        rows, columns=["segment_id", "source_type", "informant_id", "code", "coder", "text"]
    )
    segments["site"] = SITE
    segments["source_id"] = segments["segment_id"]
    segments["gloss_en"] = segments["text"].str.upper() + " (EN)"
    return segments, informants, codebook


def test_the_primary_coder_is_the_one_who_coded_most_segments_and_only_their_codings_count():
    segments, _, _ = _small()
    assert coder_ranking(segments) == ["X", "Y"] and q.primary_coder(segments) == "X"
    counted = q.primary_codings(segments)
    assert set(counted["coder"]) == {"X"} and counted["segment_id"].nunique() == 7


def test_a_segment_coded_only_by_another_coder_still_counts_once():
    segments, _, _ = _small()
    extra = pd.DataFrame(
        [{**segments.iloc[0].to_dict(), "segment_id": "S8", "coder": "Y", "code": "d"}]
    )
    counted = q.primary_codings(pd.concat([segments, extra], ignore_index=True))
    assert counted.loc[counted["segment_id"] == "S8", "coder"].tolist() == ["Y"]


def test_code_frequencies_count_distinct_informants_not_only_segments():
    segments, informants, codebook = _small()
    f = q.code_frequencies(segments, informants, codebook).set_index("code")
    assert (
        f.loc["a", "segments"] == 3 and f.loc["a", "informants"] == 1
    )  # S1, S2 by R1 and the document S7
    assert f.loc["c", "segments"] == 3 and f.loc["c", "informants"] == 2
    assert f.loc["b", "segments"] == 2  # the second coder's "b" on S3 does not count
    assert (f["informants_total"] == 5).all()
    assert f.loc["a", "share_informants"] == pytest.approx(0.2)
    assert list(f.index) == ["a", "b", "d", "c"]  # theme order of the codebook


def test_frequencies_by_role_put_notes_and_documents_apart_without_a_share():
    segments, informants, codebook = _small()
    f = q.code_frequencies(segments, informants, codebook, by=("site", "role"))
    notes = f[f["role"] == q.NO_INFORMANT]
    assert set(notes["code"]) == {"a", "c"} and notes["share_informants"].isna().all()
    residents = f[(f["role"] == "resident") & (f["code"] == "b")].iloc[0]
    assert residents["informants"] == 2 and residents["informants_total"] == 2
    assert list(dict.fromkeys(f["role"])) == [
        "regency_official",
        "kelurahan_official",
        "resident",
        q.NO_INFORMANT,
    ]


def test_wilson_intervals_match_the_published_formula_and_are_nan_without_informants():
    # Wilson (1927) score interval for 3 of 5: centre (3 + z^2/2) / (5 + z^2), z = 1.95996
    z = 1.959963984540054
    centre = (3 + z**2 / 2) / (5 + z**2)
    half = z * np.sqrt(3 * 2 / 5 + z**2 / 4) / (5 + z**2)
    low, high = q.wilson_interval([3, 1], [5, 0])
    assert low[0] == pytest.approx(centre - half) and high[0] == pytest.approx(centre + half)
    assert np.isnan(low[1]) and np.isnan(high[1])


def test_informant_code_matrix_counts_segments_in_role_order():
    segments, informants, codebook = _small()
    m = q.informant_code_matrix(segments, informants, codebook, site=SITE)
    assert list(m.index) == ["R1", "K1", "L1", "P1", "P2"]
    assert m.loc["R1", "a"] == 2 and m.loc["R1", "c"] == 1 and m.loc["K1"].sum() == 0
    assert list(m.columns) == ["a", "b", "d", "c"]


def test_role_ordered_matrix_reads_from_the_regency_down_and_quotes_only_consenting_informants():
    segments, informants, codebook = _small()
    m = q.role_ordered_matrix(segments, informants, codebook, site=SITE)
    assert list(m.index) == [
        "regency_official",
        "kecamatan_official",
        "kelurahan_official",
        "resident",
    ]
    assert list(m.columns) == ["meaning", "indicators", "strategies"]
    assert m.loc["kelurahan_official", "strategies"] == q.RoleCell(1, 1, None, q.NO_QUOTE)
    shown = m.map(lambda cell: report.role_cell(cell, None, EN))
    assert shown.loc["kelurahan_official", "strategies"] == "1/1: (no consented quote)"
    assert shown.loc["regency_official", "meaning"].startswith("1/1: “teks")
    assert "(EN)" in shown.loc["regency_official", "meaning"]
    assert shown.loc["kecamatan_official"].eq("").all()
    assert shown.loc["resident", "indicators"].startswith("2/2")


def test_conceptually_clustered_matrix_groups_understanding_before_responding():
    segments, informants, codebook = _small()
    m = q.conceptually_clustered_matrix(segments, informants, codebook, site=SITE)
    assert list(m.columns) == [
        ("understanding poverty", "meaning"),
        ("understanding poverty", "indicators"),
        ("responding to poverty", "strategies"),
    ]
    assert m.loc["P1", ("understanding poverty", "indicators")] == "B, D"
    counts = q.conceptually_clustered_matrix(segments, informants, codebook, site=SITE, by="count")
    assert counts.loc["P1", ("understanding poverty", "indicators")] == 2
    by_role = q.conceptually_clustered_matrix(segments, informants, codebook, site=SITE, by="role")
    assert by_role.loc["resident", ("understanding poverty", "indicators")] == q.OfAll(2, 2)
    assert report.of_all(by_role, EN).loc["resident"].tolist() == ["0/2", "2/2", "0/2"]


def test_checklist_matrix_marks_the_indicators_each_informant_named():
    segments, informants, codebook = _small()
    c = q.checklist_matrix(segments, informants, codebook, site=SITE)
    assert list(c.columns) == ["b", "d"]  # codes: the report names them
    assert c.loc["P1"].tolist() == [True, True] and c.loc["P2"].tolist() == [True, False]
    assert (
        not c.loc[["R1", "K1", "L1"]].to_numpy().any()
    )  # the second coder's "b" on L1 does not count
    s = q.checklist_summary(c, informants)
    assert s.loc["resident", "b"] == q.OfAll(2, 2) and s.loc["all informants", "d"] == q.OfAll(1, 5)
    assert report.of_all(s, EN).loc["all informants"].tolist() == ["2/5", "1/5"]


def test_cooccurrence_coefficient_is_n12_over_n1_plus_n2_minus_n12():
    segments, informants, codebook = _small()
    seg = q.cooccurrence(segments, codebook, within="segment")
    assert (
        seg.counts.loc["a", "c"] == 1
        and seg.counts.loc["a", "a"] == 3
        and seg.counts.loc["c", "c"] == 3
    )
    assert seg.coefficient.loc["a", "c"] == pytest.approx(1 / (3 + 3 - 1))
    assert seg.coefficient.loc["b", "d"] == pytest.approx(1 / (2 + 1 - 1))
    assert seg.units == 7
    inf = q.cooccurrence(segments, codebook, within="informant")
    assert inf.units == 4  # observation notes and documents have no informant
    assert inf.counts.loc["a", "c"] == 1 and inf.coefficient.loc["a", "c"] == pytest.approx(
        1 / (1 + 2 - 1)
    )
    pairs = seg.pairs()
    assert pairs.iloc[0][["code_1", "code_2"]].tolist() == ["b", "d"] and len(pairs) == 2
    assert "segments" in seg.summary() and seg.to_dict()["top_pair"] == "b + d"


def test_cooccurrence_by_sparse_product_equals_a_direct_count_on_the_illustrative_data():
    data = generate_qualitative(5)
    seg = data["segments"]
    co = q.cooccurrence(seg, data["codebook"], site="jombang")
    counted = q.primary_codings(seg[seg["site"] == "jombang"])
    sets = counted.groupby("segment_id")["code"].agg(set)
    for a, b in [
        ("prog_regency_innovation", "prog_rtm_missing_data"),
        ("ind_housing", "infra_poor_neighbourhoods"),
    ]:
        assert co.counts.loc[a, b] == sum(1 for s in sets if a in s and b in s)


def test_triangulation_marks_codes_supported_by_two_or_more_source_types():
    segments, _, codebook = _small()
    t = q.triangulation(segments, codebook, site=SITE).set_index("code")
    assert t.loc["a", ["interview", "observation", "document"]].tolist() == [2, 0, 1]
    assert (
        t.loc["a", "triangulated"] and t.loc["c", "triangulated"] and not t.loc["b", "triangulated"]
    )
    themes = q.triangulation(segments, codebook, site=SITE, level="theme").set_index("theme")
    assert (
        themes.loc["indicators", "source_types"] == 1
        and themes.loc["strategies", "source_types"] == 2
    )


def test_case_ordered_meta_matrix_sorts_informants_by_income_change():
    segments, informants, codebook = _small()
    households = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "H3"],
            "site": SITE,
            "informant_id": ["P1", "P2", None],
            "income_before": [100, 100, 100],
            "income_after": [150, 300, 900],
        }
    )
    m = q.case_ordered_meta_matrix(
        segments, informants, households, codebook, site=SITE, themes=["indicators"]
    )
    assert m["informant_id"].tolist() == ["P2", "P1"]
    assert m["change"].tolist() == [200, 50] and m["change_pct"].tolist() == [200.0, 50.0]
    assert m["indicators"].tolist() == ["B", "B, D"]


def test_findings_table_counts_support_and_applies_the_documented_verdict_rule():
    segments, informants, codebook = _small()
    f = q.findings_table(segments, informants, codebook, site=SITE).set_index("finding")
    assert f.loc["F1", "informants"] == 1 and f.loc["F1", "segments"] == 3
    assert f.loc["F1", "source_types"] == "interview, document" and f.loc["F1", "verdict"] == "weak"
    assert f.loc["F2", "informants"] == 2 and f.loc["F2", "verdict"] == "moderate"
    assert "RAHASIA" not in _quotes(f.loc["F2", "quotes"]) and "(R1)" in _quotes(
        f.loc["F2", "quotes"]
    )
    v = q.verdict([3, 3, 2, 1, 0], [0.25, 0.2, 0.5, 0.1, 0.0], [2, 2, 1, 1, 0], [5, 5, 2, 1, 0])
    assert v.tolist() == ["strong", "moderate", "moderate", "weak", "not supported"]


def test_excerpts_are_cut_at_a_word_boundary():
    assert q.excerpt("satu dua tiga empat", 12) == "satu dua…"
    assert q.excerpt("pendek", 12) == "pendek"


def test_no_display_ever_returns_quotes_of_informants_who_did_not_consent():
    data = generate_qualitative(11)
    seg, inf, cb = data["segments"].copy(), data["informants"], data["codebook"]
    declined = set(inf.loc[~inf["consent_quote"], "informant_id"])
    assert declined
    mark = seg["informant_id"].isin(declined)
    seg.loc[mark, "text"] = "RAHASIA " + seg.loc[mark, "segment_id"]
    seg.loc[mark, "gloss_en"] = "SECRET " + seg.loc[mark, "segment_id"]
    households = pd.DataFrame(
        {
            "informant_id": [f"PKS-R{k:02d}" for k in range(1, 10)],
            "site": "pakis",
            "income_before": 1_000_000,
            "income_after": np.arange(1, 10) * 100_000 + 1_000_000,
        }
    )
    shown = []
    for site in ("jombang", "pakis"):
        shown += [
            q.code_frequencies(seg, inf, cb, by=("site", "role")),
            q.informant_code_matrix(seg, inf, cb, site=site),
            q.role_ordered_matrix(seg, inf, cb, site=site),
            q.conceptually_clustered_matrix(seg, inf, cb, site=site),
            q.conceptually_clustered_matrix(seg, inf, cb, site=site, by="role"),
            q.checklist_matrix(seg, inf, cb, site=site),
            q.cooccurrence(seg, cb, site=site).pairs(),
            q.triangulation(seg, cb, site=site),
            q.findings_table(seg, inf, cb, site=site),
        ]
        quoted = q.findings_table(seg, inf, cb, site=site, reliability=False)
        shown += report_findings.findings_parts(q.StudyFindings(quoted), cb, lang="en")[::2]
        site_inf = inf[inf["site"] == site]
        site_seg = q.primary_codings(seg[seg["site"] == site])
        shown += report.role_matrix_parts(site_seg, site_inf, cb, lang="en")[1::2]
    shown.append(q.case_ordered_meta_matrix(seg, inf, households, cb, site="pakis"))
    text = "\n".join(getattr(frame, "frame", frame).to_csv() for frame in shown)
    assert "RAHASIA" not in text and "SECRET" not in text
    assert "“" in text  # the displays did quote consenting informants


def test_consented_segments_keeps_interviews_of_consenting_informants_only():
    segments, informants, _ = _small()
    kept = q.consented_segments(segments, informants)
    assert set(kept["segment_id"]) == {"S1", "S2", "S4", "S5"}


def test_verdict_rule_quoted_by_the_chapter_is_the_rule_the_verdict_applies():
    from analysis.methods.qualitative import verdict, verdict_rule

    rule = verdict_rule()
    k, share, types = (
        rule["strong_min_informants"],
        rule["min_share_pct"] / 100,
        rule["min_source_types"],
    )
    cases = verdict(
        [k, k - 1, rule["moderate_min_informants"], 1, 0],
        [share, share, 0.0, 0.0, 0.0],
        [types, types, types, 1, 0],
        [5, 5, 5, 1, 0],
    )
    assert list(cases) == ["strong", "moderate", "moderate", "weak", "not supported"]


# --- quotes: one text shown once, invented ones marked --------------------------------------------


def test_the_same_quote_with_different_openers_is_one_quote():
    quotes = pd.DataFrame(
        {
            "text": [
                "Begini, kesehatan kami dahulukan: warga miskin yang sakit kami bantu.",
                "Menurut saya, kesehatan kami dahulukan: warga miskin yang sakit kami bantu",
                "Kesehatan kami dahulukan, tetapi pangan juga.",
            ],
            "informant_id": ["A", "B", "C"],
        }
    )
    assert q.distinct_quotes(quotes)["informant_id"].tolist() == ["A", "C"]


def test_openers_are_removed_however_many_and_the_capital_comes_back():
    assert q.without_opener("Ya, menurut saya, kemiskinan itu soal pangan.") == (
        "Kemiskinan itu soal pangan."
    )
    assert q.without_opener("Jujur saja: P2KP membantu") == "P2KP membantu"


def test_a_word_that_only_begins_like_an_opener_is_kept():
    assert q.without_opener("Yayasan kami membantu.") == "Yayasan kami membantu."
    assert q.without_opener("Jadinya begitu.") == "Jadinya begitu."


def test_quotes_differing_in_case_and_punctuation_only_share_a_key():
    assert q.quote_key("Begini, Kesehatan kami dahulukan!") == q.quote_key(
        "kesehatan kami dahulukan"
    )
    assert q.quote_key("kesehatan kami dahulukan") != q.quote_key("pangan kami dahulukan")


def test_an_attribution_names_the_informant_and_the_display_says_once_that_quotes_are_invented():
    assert report_findings.attribution("PKS-R01", "illustrative", EN) == "(PKS-R01)"
    assert report_findings.attribution("PKS-R01", "field", EN) == "(PKS-R01)"
    assert report_findings.attribution(None, "field", EN) == ""
    assert "invented" in report_findings.invented_note("illustrative", EN)
    assert report_findings.invented_note("field", EN) == ""
    assert "rekaan" in report_findings.invented_note("illustrative", Words("id"))


def test_every_opener_of_the_illustrative_generator_is_known():
    from analysis.illustrative.qualitative import _OPENERS

    for opener, _ in _OPENERS:
        text = opener + "kesehatan kami dahulukan"
        assert q.quote_key(text) == "kesehatan kami dahulukan", opener


# --- figures: discrete scales for counts, a masked diagonal, legible at print size ---------------


@pytest.fixture(scope="module")
def jombang_displays():
    import matplotlib

    matplotlib.use("Agg")
    from analysis import figures

    figures.apply_style()
    data = generate_qualitative(5)
    seg = data["segments"][data["segments"]["site"] == "jombang"]
    inf = data["informants"][data["informants"]["site"] == "jombang"]
    counted = q.primary_codings(seg)
    return {
        "matrix": report_figures.label_columns(
            q.informant_code_matrix(counted, inf, data["codebook"]), data["codebook"]
        ),
        "cooccurrence": report_figures.label_columns(
            q.cooccurrence(counted, data["codebook"], within="segment").coefficient,
            data["codebook"],
        ),
    }


def test_count_heatmaps_have_one_colour_step_and_one_tick_per_count(jombang_displays):
    import matplotlib.pyplot as plt

    matrix = jombang_displays["matrix"]
    fig = report_figures.plot_count_heatmap(
        matrix, title="t", axes=("code", "informant", "segments"), lang="en"
    )
    colorbar = fig.axes[0].collections[0].colorbar
    top = int(matrix.to_numpy().max())
    assert list(colorbar.get_ticks()) == list(range(top + 1))
    assert colorbar.cmap.N == top + 1
    plt.close(fig)


def test_heatmaps_are_legible_at_print_size(jombang_displays):
    import matplotlib.pyplot as plt

    from analysis import figures

    for fig in (
        report_figures.plot_count_heatmap(
            jombang_displays["matrix"], title="t", axes=("x", "y", "n"), lang="en"
        ),
        report_figures.plot_cooccurrence(jombang_displays["cooccurrence"], title="t", lang="en"),
    ):
        assert figures.smallest_text_pt(fig) >= figures.MIN_TEXT_PT
        plt.close(fig)


def test_the_cooccurrence_diagonal_is_masked_and_does_not_set_the_scale(jombang_displays):
    import matplotlib.pyplot as plt

    coefficient = jombang_displays["cooccurrence"]
    fig = report_figures.plot_cooccurrence(coefficient, title="t", lang="en")
    mesh = fig.axes[0].collections[0]
    shown = np.ma.masked_invalid(mesh.get_array()).reshape(coefficient.shape)
    assert np.ma.getmaskarray(shown).diagonal().all()
    off_diagonal = coefficient.to_numpy()[~np.eye(len(coefficient), dtype=bool)].max()
    assert mesh.norm.vmax < 1 and mesh.norm.vmax >= off_diagonal
    plt.close(fig)


def test_no_shipped_finding_is_strong_on_a_code_whose_interval_reaches_below_0_8():
    """Shipped data: every strong finding's weakest code has an interval lower bound of 0.8 or
    more; where the rule capped a finding, the reliability column says so."""
    from analysis.data.loading import load
    from analysis.methods.agreement import code_alpha_intervals
    from analysis.project import DATA_DIR

    segments, informants, codebook = (
        load(DATA_DIR, key) for key in ("segments", "informants", "codebook")
    )
    for site in ("jombang", "pakis"):
        table = q.findings_table(segments, informants, codebook, site=site, seed=7)
        unrated = q.findings_table(segments, informants, codebook, site=site, reliability=False)
        lows = code_alpha_intervals(segments, site=site, seed=7).set_index("code")["alpha_low"]
        for k, row in table.iterrows():
            codes = codebook.loc[codebook["finding"] == row["finding"], "code"]
            weakest = lows.reindex(codes).min(skipna=False)
            if row["verdict"] == "strong":
                assert weakest >= 0.8
            if unrated.at[k, "verdict"] == "strong" and not weakest >= 0.8:
                assert row["verdict"] == "moderate"
                assert row["capped"] and row["reliability_status"] in (q.ASSESSED, q.NOT_ASSESSED)
                said = report_findings.reliability_text(row, report.Labels.of("en"), {})
                assert "at most moderate" in said


def test_code_frequencies_rank_coders_per_site_as_the_findings_table_does():
    """Coder A codes most of site X, coder B most of site Y: at Y, B's codings count in both."""
    segments = pd.DataFrame(
        {
            "segment_id": ["x1", "x2", "x3", "x1", "y1", "y1", "y2"],
            "site": ["x", "x", "x", "x", "y", "y", "y"],
            "source_type": "interview",
            "code": ["c1", "c1", "c1", "c2", "c1", "c2", "c2"],
            "coder": ["A", "A", "A", "B", "A", "B", "B"],
            "informant_id": ["i1", "i2", "i3", "i1", "i4", "i4", "i5"],
        }
    )
    informants = pd.DataFrame(
        {
            "informant_id": ["i1", "i2", "i3", "i4", "i5"],
            "site": ["x", "x", "x", "y", "y"],
            "role": "resident",
        }
    )
    codebook = pd.DataFrame({"code": ["c1", "c2"], "label": ["one", "two"], "theme": "t"})
    freq = q.code_frequencies(segments, informants, codebook)
    at_y = freq[freq["site"] == "y"].set_index("code")["segments"].to_dict()
    assert at_y.get("c2") == 2 and "c1" not in at_y  # B is y's primary coder (2 segments vs 1)
    alone = q.code_frequencies(segments[segments["site"] == "y"], informants, codebook)
    assert alone.set_index("code")["segments"].to_dict() == at_y


def test_illustrative_quotes_are_said_to_be_invented_once_per_display_not_per_quote():
    data = generate_qualitative(5)
    seg, inf, cb = data["segments"], data["informants"], data["codebook"]
    counted = q.primary_codings(seg[seg["site"] == "jombang"])
    findings = q.StudyFindings(q.findings_table(counted, inf, cb, site="jombang"))
    said = report_findings.findings_parts(findings, cb, lang="en", data_edition="illustrative")
    quotes = " ".join(said[-1].frame.iloc[:, -1])
    assert quotes.count("“") > 0 and "invented" not in quotes
    assert "invented for the illustrative dataset" in said[-2].markdown  # the one sentence
    parts = report.role_matrix_parts(counted, inf, cb, lang="en", data_edition="illustrative")
    cells = " ".join(str(v) for p in parts[1::2] for v in p.frame.to_numpy().ravel())
    assert cells.count("“") > 0 and "invented" not in cells
    notes = [p.markdown for p in parts[0::2]]
    assert sum("invented" in note for note in notes) == 1 and "invented" in notes[0]
    field = report_findings.findings_parts(findings, cb, lang="en", data_edition="field")[-1]
    assert "invented" not in " ".join(field.frame.iloc[:, -1])


def test_no_quote_illustrates_two_findings_even_with_another_opener():
    data = generate_qualitative(5)
    seg, inf, cb = data["segments"], data["informants"], data["codebook"]
    counted = q.primary_codings(seg[seg["site"] == "jombang"])
    findings = q.findings_table(counted, inf, cb, site="jombang")
    shown = [
        q.quote_key(text)
        for quotes in findings["quotes"]
        for text in re.findall(r"“([^”]*)”", _quotes(quotes))
    ]
    assert shown and len(shown) == len(set(shown))
