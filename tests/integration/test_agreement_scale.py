"""The coder-pairs bootstrap at the contract's largest study: ten coders and four hundred codes (the
statistics of each draw are checked against the packages on small studies in
tests/unit/test_agreement_bootstrap.py)."""

from __future__ import annotations

import time

from analysis.methods import agreement as agr
from support.strategies import StudyShape, scaled_dataset


def test_ten_coders_and_four_hundred_codes_take_seconds_not_hours():
    segments = scaled_dataset(StudyShape.extreme("max", informants=50, segments=600))["segments"]
    started = time.perf_counter()
    pairs = agr.coder_pairs_table(segments, resamples=99)
    assert len(pairs) == 45 + 1  # every pair of the ten coders, then all of them
    assert time.perf_counter() - started < 120
