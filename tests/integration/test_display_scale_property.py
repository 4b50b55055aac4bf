"""Every display of the qualitative chapter works at every size a study may have: a few fixed
sizes, and a property over sizes drawn from the contract's ranges (PROPERTY_SCALE_EXAMPLES
examples, 6 by default; PROPERTY_RANDOM=1 draws new ones). The smallest study is checked in
tests/unit/test_display_scale.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, note, settings

from analysis.i18n import use_language
from support.displays import check_every_display
from support.strategies import StudyShape, study_shapes

SCALE = settings(
    max_examples=int(os.environ.get("PROPERTY_SCALE_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=os.environ.get("PROPERTY_RANDOM") != "1",
)


@pytest.mark.slow
@SCALE
@given(study_shapes())
@example(StudyShape.extreme("min"))
@example(StudyShape.extreme("max"))
@example(StudyShape.extreme("min", themes=10, codes=30, informants=11, segments=120))
def test_every_display_works_at_every_size_a_study_may_have(shape):
    use_language("en")
    check_every_display(shape, say=note)


@pytest.mark.slow
@pytest.mark.parametrize(
    "shape",
    [
        # the field study: 10 themes, one coder (the palette held 8)
        StudyShape.extreme("min", themes=10, codes=30, informants=11, segments=120, seed=3),
        StudyShape.extreme("max", codes=80, informants=60, segments=400, ids="tool", seed=1),
    ],
    ids=["ten-themes-one-coder", "sixty-themes-ten-coders"],
)
def test_displays_work_for_a_few_sizes(shape):
    check_every_display(shape)
