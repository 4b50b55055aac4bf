"""Frames of clusters and units for the tests of two-stage cluster sampling
(tests/unit/test_sampling.py, tests/integration/test_sampling_draws.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SIZES = np.array(
    [10, 20, 30, 40, 50, 60, 20, 20, 25, 200]
)  # the last one is a certainty cluster for n=4


def unit_frame(sizes=SIZES, officials=2) -> pd.DataFrame:
    rows = []
    for k, size in enumerate(sizes):
        cluster = f"K{k:02d}"
        for j in range(size):
            rows.append(
                (
                    f"{cluster}-{j:03d}",
                    cluster,
                    f"KEC-{k % 3}",
                    "official" if j < officials else "resident",
                )
            )
    return pd.DataFrame(rows, columns=["unit_id", "cluster", "kecamatan", "stratum"])


def within(observed, expected, draws, sigmas=4.5):
    """Observed frequencies within ``sigmas`` binomial standard errors (plus a small floor) of the probabilities."""
    expected = np.asarray(expected, float)
    se = np.sqrt(expected * (1 - expected) / draws)
    return np.abs(np.asarray(observed) - expected) <= sigmas * se + 1e-9
