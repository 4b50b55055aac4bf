"""Two-stage cluster sampling over many seeded draws: the frequencies of hundreds of draws match
the design's inclusion probabilities, and the weights add up to the frame on average (the
draws' own checks, each seed at a time, are in tests/unit/test_sampling.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.methods.sampling import two_stage_cluster_sample
from support.sampling_frames import unit_frame, within


@pytest.mark.parametrize("method", ["pps", "srs"])
def test_overall_inclusion_probabilities_match_the_frequencies_of_many_seeded_draws(method):
    units = unit_frame(sizes=np.array([8, 12, 16, 24, 30, 10]))
    index = pd.Index(units["unit_id"])
    draws = 400
    hits = np.zeros(len(units))
    first = None
    for seed in range(draws):
        s = two_stage_cluster_sample(
            units,
            n_clusters=3,
            per_cluster={"official": 1, "resident": 2},
            seed=seed,
            stratum="stratum",
            method=method,
        )
        positions = index.get_indexer(s.sample["unit_id"])
        hits[positions] += 1
        if first is None:
            first = s
        if seed < 20:  # the stated probabilities are those of the design, whatever the draw
            stated = pd.Series(np.nan, index=index)
            stated.iloc[positions] = s.sample["pi"].to_numpy()
            expected = _design_pi(units, first.frame.set_index("cluster")["pi_stage1"])
            np.testing.assert_allclose(stated.dropna(), expected[positions])
    assert within(
        hits / draws, _design_pi(units, first.frame.set_index("cluster")["pi_stage1"]), draws
    ).all()


def _design_pi(units: pd.DataFrame, pi_stage1: pd.Series) -> np.ndarray:
    """pi = pi_stage1 * m / M: one of the 2 officials, two of the (size - 2) residents."""
    size = units.groupby("cluster")["unit_id"].transform("size").to_numpy()
    stage2 = np.where(units["stratum"] == "official", 1 / 2, 2 / (size - 2))
    return units["cluster"].map(pi_stage1).to_numpy() * stage2


def test_srs_weights_add_up_to_the_units_in_the_frame_on_average():
    units = unit_frame(sizes=np.array([8, 12, 16, 24, 30, 10]))
    totals = [
        two_stage_cluster_sample(units, n_clusters=3, per_cluster=3, seed=seed, method="srs")
        .sample["weight"]
        .sum()
        for seed in range(200)
    ]
    # E[sum of weights] = N; its spread over draws comes from the cluster sizes
    assert np.mean(totals) == pytest.approx(len(units), rel=0.05)
    assert np.std(totals) > 0
