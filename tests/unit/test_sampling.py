"""Two-stage cluster sampling: the stated inclusion probabilities are the ones the draws produce
(the whole design over hundreds of seeded draws: tests/integration/test_sampling_draws.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.methods.sampling import (
    ClusterSample,
    pps_inclusion_probabilities,
    pps_select,
    pps_systematic,
    srs_clusters,
    srs_select,
    two_stage_cluster_sample,
)
from analysis.report.sampling import sample_summary
from support.sampling_frames import SIZES, unit_frame, within


def test_pps_probabilities_are_n_times_size_share_with_certainty_clusters_at_one():
    pi, certainty = pps_inclusion_probabilities(SIZES, 4)
    assert certainty.tolist() == [False] * 9 + [True]
    assert pi[-1] == 1.0
    rest = SIZES[:-1]
    np.testing.assert_allclose(pi[:-1], 3 * rest / rest.sum())
    assert pi.sum() == pytest.approx(4)


def test_pps_systematic_selects_each_cluster_with_its_stated_probability():
    draws = 20_000
    rng = np.random.default_rng(7)
    pi, certainty = pps_inclusion_probabilities(SIZES, 4)
    hits = np.zeros(len(SIZES))
    for _ in range(draws):
        selected, _, _ = pps_select(
            pi, certainty, rng
        )  # the draw of pps_systematic without its table
        assert len(selected) == 4 and len(set(selected)) == 4
        hits[selected] += 1
    assert within(hits / draws, pi, draws).all(), (hits / draws, pi)


def test_srs_selects_each_cluster_with_probability_n_over_big_n():
    draws = 20_000
    rng = np.random.default_rng(11)
    hits = np.zeros(10)
    for _ in range(draws):
        selected, _ = srs_select(10, 3, rng)  # the draw of srs_clusters without its table
        hits[selected] += 1
    assert within(hits / draws, np.full(10, 0.3), draws).all()


def test_pps_weights_add_up_to_the_units_in_the_frame_in_every_draw():
    units = unit_frame()
    for seed in range(25):
        s = two_stage_cluster_sample(
            units,
            n_clusters=4,
            per_cluster={"official": 1, "resident": 3},
            seed=seed,
            stratum="stratum",
        )
        assert s.sample["weight"].sum() == pytest.approx(len(units))
        assert s.to_dict()["sum_of_weights"] == pytest.approx(len(units))


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    units = unit_frame()
    a = two_stage_cluster_sample(units, n_clusters=4, per_cluster=3, seed=20170301)
    b = two_stage_cluster_sample(
        units.sample(frac=1, random_state=3), n_clusters=4, per_cluster=3, seed=20170301
    )
    pd.testing.assert_frame_equal(
        a.sample, b.sample
    )  # the order of the frame's rows does not matter
    pd.testing.assert_frame_equal(a.draw, b.draw)
    others = [
        two_stage_cluster_sample(units, n_clusters=4, per_cluster=3, seed=s)
        .sample["unit_id"]
        .tolist()
        for s in range(5)
    ]
    assert any(o != a.sample["unit_id"].tolist() for o in others)


def test_the_draw_tables_agree_with_the_bare_draws_for_the_same_seed():
    pi, certainty = pps_inclusion_probabilities(SIZES, 4)
    bare, _, _ = pps_select(pi, certainty, np.random.default_rng(3))
    selected, draw = pps_systematic(SIZES, 4, np.random.default_rng(3))
    assert bare.tolist() == selected.tolist() == sorted(draw.loc[draw["selected"], "position"])
    bare, _ = srs_select(10, 3, np.random.default_rng(4))
    selected, draw = srs_clusters(10, 3, np.random.default_rng(4))
    assert bare.tolist() == selected.tolist() == sorted(draw.loc[draw["selected"], "position"])


def test_the_draw_table_shows_each_selection_point_inside_its_clusters_interval():
    s = two_stage_cluster_sample(unit_frame(), n_clusters=4, per_cluster=2, seed=5)
    d = s.draw
    hit = d[d["selection_point"].notna()]
    assert (
        (hit["selection_point"] >= hit["interval_from"])
        & (hit["selection_point"] < hit["interval_to"])
    ).all()
    assert set(d.loc[d["selected"], "cluster"]) == set(s.frame.loc[s.frame["selected"], "cluster"])
    assert d.loc[d["certainty"], "cluster"].tolist() == ["K09"]
    assert s.n_clusters == 4 and set(s.sample["cluster"]) <= set(d.loc[d["selected"], "cluster"])


def test_a_stratum_smaller_than_its_take_is_taken_whole_with_probability_one():
    s = two_stage_cluster_sample(
        unit_frame(officials=2),
        n_clusters=4,
        per_cluster={"official": 5, "resident": 1},
        seed=1,
        stratum="stratum",
    )
    officials = s.sample[s.sample["stratum"] == "official"]
    assert (officials["pi_stage2"] == 1.0).all()
    assert officials.groupby("cluster").size().eq(2).all()


def test_result_has_summary_dict_and_frame_and_carries_cluster_attributes():
    s = two_stage_cluster_sample(
        unit_frame(),
        n_clusters=4,
        per_cluster={"official": 1, "resident": 3},
        seed=2,
        stratum="stratum",
    )
    assert isinstance(s, ClusterSample)
    assert "kecamatan" in s.frame.columns and {"size_official", "size_resident"} <= set(
        s.frame.columns
    )
    d = s.to_dict()
    assert (
        d["clusters_drawn"] == 4
        and d["units_drawn"] == 16
        and d["units_in_frame"] == len(unit_frame())
    )
    assert all(type(v) in (int, float, str) for v in d.values())
    assert "stage 1: 4 of 10 clusters" in sample_summary(s, lang="en")
    assert list(s.to_frame().columns[-4:]) == ["pi_stage2", "pi_stage1", "pi", "weight"]


def test_bad_designs_are_refused():
    units = unit_frame()
    with pytest.raises(ValueError):
        two_stage_cluster_sample(units, n_clusters=11, per_cluster=1, seed=1)
    with pytest.raises(ValueError):
        two_stage_cluster_sample(
            units, n_clusters=2, per_cluster={"official": 1}, seed=1
        )  # no stratum column named
    with pytest.raises(ValueError):
        two_stage_cluster_sample(units, n_clusters=2, per_cluster=1, seed=1, method="quota")


def test_design_weighted_share_with_equal_weights_and_one_unit_a_cluster_is_the_srs_share():
    from analysis.methods.sampling import design_weighted_share

    y = np.array([1, 0, 1, 1, 0, 1, 0, 0, 1, 1], dtype=bool)
    frame = pd.DataFrame({"y": y, "pi": 0.1, "cluster": None})
    result = design_weighted_share(frame, indicator="y", stratum=None)
    n = y.size
    assert result.share == pytest.approx(y.mean()) == result.unweighted
    # with-replacement linearisation of a mean: s^2 / n with s^2 the sample variance
    assert result.se == pytest.approx(math.sqrt(np.var(y, ddof=1) / n))


def test_design_weighted_share_with_clusters_matches_statsmodels_cluster_robust_se():
    import statsmodels.api as sm

    from analysis.methods.sampling import design_weighted_share

    rng = np.random.default_rng(4)
    cluster = np.repeat(["A", "B", "C", "D", "E"], 4)
    y = rng.random(20) < np.repeat([0.2, 0.5, 0.7, 0.4, 0.9], 4)
    frame = pd.DataFrame({"y": y, "pi": 0.05, "cluster": cluster})
    result = design_weighted_share(frame, indicator="y", stratum=None)
    fit = sm.OLS(y.astype(float), np.ones((20, 1))).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(cluster)[0]}
    )
    assert result.share == pytest.approx(fit.params[0])
    assert result.se == pytest.approx(fit.bse[0])  # CR1 with G / (G - 1) = linearisation
    assert result.n_psu == 5


def test_design_weights_move_the_share_towards_the_rarely_sampled():
    from analysis.methods.sampling import design_weighted_share

    # 8 officials sampled with pi 0.2-0.4 (all support), 20 residents with pi 0.045 (5 support)
    frame = pd.DataFrame(
        {
            "y": [True] * 8 + [True] * 5 + [False] * 15,
            "pi": [0.2, 0.25, 0.3, 0.35, 0.4, 0.2, 0.3, 0.4] + [0.045] * 20,
            "cluster": [None] * 8 + list(np.repeat(["RW1", "RW2", "RW3", "RW4", "RW5"], 4)),
            "stratum": ["official"] * 8 + ["resident"] * 20,
        }
    )
    result = design_weighted_share(frame, indicator="y")
    w = 1 / frame["pi"]
    assert result.share == pytest.approx((w * frame["y"]).sum() / w.sum())
    assert result.unweighted == pytest.approx(13 / 28) and result.share < result.unweighted


def test_design_interval_uses_t_on_clusters_less_strata_degrees_of_freedom():
    from scipy import stats

    from analysis.methods.sampling import design_weighted_share

    # five clusters of four residents, one stratum: 4 degrees of freedom, t = 2.776, not 1.96
    cluster = np.repeat(["A", "B", "C", "D", "E"], 4)
    y = np.array([1, 0, 0, 0] + [1, 1, 0, 0] + [1, 1, 1, 0] + [0, 0, 0, 0] + [1, 1, 1, 1], bool)
    frame = pd.DataFrame({"y": y, "pi": 0.05, "cluster": cluster})
    result = design_weighted_share(frame, indicator="y", stratum=None)
    assert result.df == 4
    t = stats.t.ppf(0.975, 4)
    assert result.ci95_low == pytest.approx(max(0.0, result.share - t * result.se))
    assert result.ci95_high == pytest.approx(min(1.0, result.share + t * result.se))
    assert result.ci95_high - result.ci95_low > 2 * 1.96 * result.se - 1e-12


def test_design_interval_is_undefined_with_one_primary_unit():
    from analysis.methods.sampling import design_weighted_share

    frame = pd.DataFrame({"y": [True, False, True], "pi": 0.5, "cluster": "A"})
    result = design_weighted_share(frame, indicator="y", stratum=None)
    assert result.df == 0 and math.isnan(result.ci95_low) and math.isnan(result.ci95_high)
