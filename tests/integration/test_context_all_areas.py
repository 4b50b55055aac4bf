"""Every area of the real BPS files: all 514 are found, and each of East Java's 38 has a rank and
a change over the study period (the rules, and the figures the chapters quote, are checked on
small frames and single areas in tests/unit/test_context.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.methods import context
from analysis.project import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
has_public = pytest.mark.skipif(
    not (DATA / "public" / "bps_regency_p0_2010_2018.csv").is_file(),
    reason="data/public not present",
)


@pytest.fixture(scope="module")
def bps() -> pd.DataFrame:
    return context.load_bps(DATA)


@has_public
def test_all_514_areas_are_found_and_each_of_east_javas_38_has_a_rank_and_a_period_change(bps):
    areas = context.local_areas(bps)
    assert len(areas) == 514
    east_java = areas[areas["area_code"].str.startswith("35")]
    assert len(east_java) == 38
    for code in east_java["area_code"]:
        change = context.period_change(bps, code, 2010, 2018)
        assert change.rank_start is not None and change.n_areas == 38
