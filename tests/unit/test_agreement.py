"""Inter-coder agreement: each statistic reproduces a published worked example; units are formed as documented."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.illustrative.qualitative import generate_qualitative
from analysis.methods.agreement import (
    POOLED,
    Agreement,
    agreement,
    cohen_kappa,
    fleiss,
    krippendorff_nominal,
    krippendorff_verdict,
    landis_koch,
    presence_table,
)
from analysis.report.agreement import agreement_summary

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5),
# 378-382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression, 2 personality
# disorder, 3 schizophrenia, 4 neurosis, 5 other). Raw ratings as in R package irr, data "diagnoses".
FLEISS_1971_DIAGNOSES = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", Departmental Papers (ASC) 43,
# University of Pennsylvania, section C: 4 observers (A-D) x 12 units, nominal values, missing data.
N = np.nan
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
)


def test_cohen_kappa_and_its_confidence_interval_match_the_sas_skin_condition_example():
    """SAS/STAT User's Guide, PROC FREQ, Getting Started "Agreement Study" (skin condition rated by two
    dermatologists, 4 categories, 88 patients): simple kappa 0.3449, ASE 0.0724, 95 % CL 0.2030-0.4868."""
    table = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]
    r = cohen_kappa(table)
    assert r["n"] == 88
    assert r["kappa"] == pytest.approx(0.3449, abs=5e-5)
    assert r["kappa_se"] == pytest.approx(0.0724, abs=5e-5)
    assert r["kappa_low"] == pytest.approx(0.2030, abs=5e-5)
    assert r["kappa_high"] == pytest.approx(0.4868, abs=5e-5)
    assert r["percent_agreement"] == pytest.approx(100 * 45 / 88)


def test_cohen_kappa_and_percent_agreement_match_the_textbook_two_reader_example():
    """Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by A and B; both yes 20,
    A yes B no 5, A no B yes 10, both no 15: p_o = 0.70, p_e = 0.50, kappa = 0.40."""
    r = cohen_kappa([[20, 5], [10, 15]])
    assert r["percent_agreement"] == pytest.approx(70.0)
    assert r["kappa"] == pytest.approx(0.40)


def test_fleiss_kappa_matches_fleiss_1971_psychiatric_diagnoses():
    """Fleiss (1971) Table 1 (30 patients x 6 raters): kappa = 0.430 (R irr::kappam.fleiss 0.4302445)."""
    assert fleiss(FLEISS_1971_DIAGNOSES) == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_kappa_matches_the_wikipedia_worked_example_of_14_raters():
    """Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories; kappa = 0.210."""
    counts = np.array(
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
    )
    ratings = np.array([np.repeat(np.arange(1, 6), row) for row in counts])
    assert fleiss(ratings) == pytest.approx(0.210, abs=5e-4)


def test_krippendorff_alpha_nominal_matches_krippendorffs_own_example_with_missing_values():
    """Krippendorff (2011) "Computing Krippendorff's alpha-reliability", 4 observers x 12 units with
    missing values, nominal data: alpha = 0.743. (At the package's default interval level the same
    data give 0.849: the reason the nominal level must be passed.)"""
    assert krippendorff_nominal(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)
    import krippendorff

    assert krippendorff.alpha(reliability_data=KRIPPENDORFF_2011) == pytest.approx(0.849, abs=5e-4)


def test_landis_koch_bands_and_krippendorff_thresholds():
    """Landis & Koch (1977) bands; Krippendorff (2019) 0.667 and 0.800 thresholds."""
    assert [
        landis_koch(k) for k in (-0.1, 0.0, 0.2, 0.21, 0.4, 0.41, 0.6, 0.61, 0.8, 0.81, 1.0, np.nan)
    ] == [
        "poor",
        "slight",
        "slight",
        "fair",
        "fair",
        "moderate",
        "moderate",
        "substantial",
        "substantial",
        "almost perfect",
        "almost perfect",
        "undefined",
    ]
    assert [krippendorff_verdict(a) for a in (0.85, 0.8, 0.7, 0.667, 0.6, np.nan)] == [
        "reliable",
        "reliable",
        "tentative only",
        "tentative only",
        "not reliable",
        "undefined",
    ]


def _coded(rows):
    """segments rows (segment, coder, code) with the other contract columns filled in."""
    frame = pd.DataFrame(rows, columns=["segment_id", "coder", "code"])
    return frame.assign(
        site="s", source_id="x", source_type="interview", text="t", informant_id="I1"
    )


def test_units_are_segments_coded_by_two_coders_and_values_are_presence_or_absence():
    seg = _coded(
        [
            ("S1", "A", "x"),
            ("S1", "B", "x"),  # agree on x
            ("S2", "A", "x"),
            ("S2", "B", "y"),  # disagree
            ("S3", "A", "y"),
            ("S3", "B", "y"),
            ("S3", "B", "x"),  # B adds x
            ("S4", "A", "x"),  # single-coded: not a unit
            ("S5", "A", "y"),
            ("S5", "C", "y"),  # A and C only: B missing
        ]
    )
    t = presence_table(seg, coders=["A", "B", "C"])
    assert set(t.index.get_level_values("segment_id")) == {"S1", "S2", "S3", "S5"}
    assert t.loc[("S2", "x")].tolist()[:2] == [1.0, 0.0] and t.loc[("S2", "y")].tolist()[:2] == [
        0.0,
        1.0,
    ]
    assert np.isnan(t.loc[("S5", "y"), "B"]) and np.isnan(t.loc[("S1", "x"), "C"])

    a = agreement(seg)
    assert a.pair == ("A", "B") and a.coders == ("A", "B", "C")
    x = a.per_code.set_index("code").loc["x"]
    # code x on S1, S2, S3 (the units A and B both coded): A = 1, 1, 0; B = 1, 0, 1
    assert x["units"] == 3 and x["percent_agreement"] == pytest.approx(100 / 3)
    expected = cohen_kappa([[0, 1], [1, 1]])["kappa"]
    assert x["kappa"] == pytest.approx(expected)
    assert a.overall["units"] == 6  # (S1, S2, S3) x (x, y) for the pair
    assert a.segments == 4 and a.segments_all_coders == 0


def test_agreement_on_two_coders_reports_no_fleiss_kappa_and_says_why():
    seg = _coded(
        [
            ("S1", "A", "x"),
            ("S1", "B", "x"),
            ("S2", "A", "y"),
            ("S2", "B", "y"),
            ("S3", "A", "x"),
            ("S3", "B", "y"),
        ]
    )
    a = agreement(seg)
    assert np.isnan(a.overall["fleiss_kappa"]) and a.overall["fleiss_band"] == "undefined"
    assert any("Fleiss" in n for n in a.notes)


def test_perfect_agreement_gives_one_and_a_code_without_variation_is_undefined_without_warnings():
    seg = _coded(
        [(f"S{k}", c, "x" if k % 2 else "y") for k in range(10) for c in ("A", "B", "C")]
        + [("S0", c, "z") for c in ("A", "B", "C")]
    )  # z on one segment by all: still varies
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = agreement(seg)
    assert a.overall["kappa"] == pytest.approx(1.0) and a.overall["alpha"] == pytest.approx(1.0)
    assert a.overall["fleiss_kappa"] == pytest.approx(1.0)
    assert np.isnan(
        cohen_kappa([[10, 0], [0, 0]])["kappa"]
    )  # both coders always "absent": chance agreement 1
    assert np.isnan(krippendorff_nominal([[0, 0, 0], [0, 0, 0]]))


def test_a_kappa_interval_never_leaves_minus_one_to_one_and_degenerate_variance_gives_no_interval():
    r = cohen_kappa([[3, 1], [0, 1]])
    assert -1 <= r["kappa_low"] <= r["kappa"] <= r["kappa_high"] <= 1
    r = cohen_kappa([[61, 1], [0, 0]])  # the second coder never used the code
    assert r["kappa"] == pytest.approx(0.0) and np.isnan(r["kappa_low"]) and np.isnan(r["kappa_se"])


def test_agreement_result_reports_statistics_as_frame_dict_and_summary():
    data = generate_qualitative(3)
    a = agreement(data["segments"], site="pakis")
    assert isinstance(a, Agreement)
    frame = a.to_frame()
    assert frame["code"].iloc[-1] == POOLED and len(frame) == len(a.per_code) + 1
    assert {
        "percent_agreement",
        "kappa",
        "kappa_low",
        "kappa_high",
        "fleiss_kappa",
        "alpha",
        "kappa_band",
        "alpha_verdict",
    } <= set(frame.columns)
    d = a.to_dict()
    assert all(type(v) in (int, float, str) for v in d.values())
    assert d["n_coders"] == 3 and d["primary_coder"] == "C1" and d["second_coder"] == "C2"
    assert d["kappa_low"] < d["kappa"] < d["kappa_high"]
    summary = agreement_summary(a, lang="en")  # the words live in the report layer
    assert "Krippendorff's alpha (nominal)" in summary and f"coders {d['coders']}" in summary
    # the per-code statistics are the statistics of each code's own units
    row = a.per_code.iloc[0]
    units = presence_table(
        data["segments"][data["segments"]["site"] == "pakis"], coders=list(a.coders)
    )
    block = units.xs(row["code"], level="code")
    assert row["alpha"] == pytest.approx(krippendorff_nominal(block.to_numpy().T))


def test_fleiss_on_many_units_equals_statsmodels_on_every_row():
    """fleiss() aggregates each distinct rating pattern once; the result must not change."""
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 2000)
    ratings = np.where(rng.random((2000, 4)) < 0.8, truth[:, None], rng.integers(0, 3, (2000, 4)))
    direct = fleiss_kappa(aggregate_raters(ratings)[0])
    assert fleiss(ratings) == pytest.approx(direct, abs=1e-12)


def test_landis_koch_bands_use_the_unrounded_value():
    """0.805-0.809 are substantial (the band ends below 0.81), not moved up by rounding."""
    from analysis.methods.agreement import landis_koch

    assert [landis_koch(k) for k in (0.80, 0.805, 0.809, 0.81, 1.0)] == [
        "substantial",
        "substantial",
        "substantial",
        "almost perfect",
        "almost perfect",
    ]
    assert landis_koch(0.205) == "slight" and landis_koch(0.21) == "fair"


def test_coder_pairs_table_puts_kappa_and_alpha_of_the_same_coders_side_by_side():
    import krippendorff
    from statsmodels.stats.inter_rater import cohens_kappa

    from analysis.methods.agreement import coder_pairs_table, presence_table

    segments = generate_qualitative(7)["segments"]
    table = coder_pairs_table(segments, site="jombang", seed=3, resamples=99)
    coders = sorted(segments.loc[segments["site"] == "jombang", "coder"].unique())
    assert len(table) == len(coders) * (len(coders) - 1) // 2 + (len(coders) >= 3)
    first = table.iloc[0]
    a, b = first["coders"].split("-")
    units = presence_table(segments[segments["site"] == "jombang"], coders=[a, b]).dropna()
    x, y = units[a].astype(int), units[b].astype(int)
    independent = cohens_kappa(pd.crosstab(x, y).to_numpy()).kappa
    alpha = krippendorff.alpha(
        reliability_data=units[[a, b]].to_numpy().T, level_of_measurement="nominal"
    )
    assert first["kappa"] == pytest.approx(independent)
    assert first["alpha"] == pytest.approx(alpha)
    po = (x == y).mean()
    assert first["pabak"] == pytest.approx(2 * po - 1)  # Byrt, Bishop & Carlin (1993), 2 categories
    assert first["kappa_boot_low"] < first["kappa"] < first["kappa_boot_high"]
    again = coder_pairs_table(segments, site="jombang", seed=3, resamples=99)
    pd.testing.assert_frame_equal(table, again)  # seeded


def test_perfect_agreement_gives_no_collapsed_wald_interval():
    from analysis.methods.agreement import cohen_kappa

    perfect = cohen_kappa([[20, 0], [0, 5]])
    assert perfect["kappa"] == 1.0
    assert np.isnan(perfect["kappa_low"]) and np.isnan(perfect["kappa_high"])
