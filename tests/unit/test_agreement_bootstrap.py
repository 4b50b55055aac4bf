"""The coder-pairs bootstrap adds per-segment sums: exactly the packages' alpha and kappa, fast.

Each draw used to rebuild every (segment, code) unit and call ``krippendorff.alpha``: hours for
10 coders and 400 codes. A draw now weighs per-segment sums; the statistics are the same (the
largest study, ten coders and 400 codes: tests/integration/test_agreement_scale.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.methods import agreement as agr
from support.strategies import StudyShape, scaled_dataset


@pytest.mark.parametrize("coders", [2, 3, 5])
def test_alpha_and_kappa_from_segment_sums_equal_the_packages_on_every_draw(coders):
    segments = scaled_dataset(
        StudyShape.extreme("min", coders=coders, codes=25, informants=10, segments=150, seed=7)
    )["segments"]
    ranking = agr.coder_ranking(segments)
    for group in (ranking[:2], ranking):
        ids, _codes, values = agr._presence(segments, group)
        sums = agr._segment_sums(values)
        rng = np.random.default_rng(11)
        for _draw in range(25):
            pick = rng.integers(0, len(ids), len(ids))
            flat = values[pick].transpose(0, 2, 1).reshape(-1, len(group))
            both = ~np.isnan(flat[:, :2]).any(axis=1)
            x, y = flat[both, 0].astype(int), flat[both, 1].astype(int)
            table = np.bincount(2 * x + y, minlength=4).reshape(2, 2)
            alpha, kappa = agr._alpha_kappa(np.bincount(pick, minlength=len(ids)) @ sums)
            assert alpha == pytest.approx(agr.krippendorff_nominal(flat.T), rel=1e-9, nan_ok=True)
            assert kappa == pytest.approx(agr.cohen_kappa(table)["kappa"], rel=1e-9, nan_ok=True)
