"""Property-based: every dataset drawn from the contract's declarations validates (the
build of drawn datasets is tests/integration/test_properties_build.py).

The strategies (tests/support/strategies.py) are generated from the contract, not hand-listed:
any optional column or file may be absent, any number of studies, coders, households. The build
test executes every chapter through papermill for a few examples (``slow``); set
``PROPERTY_BUILD_EXAMPLES=50`` for a longer run. The examples are drawn from a fixed seed, so
that ``make test`` gives the same verdict on every machine; ``PROPERTY_RANDOM=1`` draws fresh ones
(the slow job). A failing example prints the dataset.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings

from analysis.data.validate import validate_directory
from support.strategies import datasets, describe, write_dataset

QUICK = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=os.environ.get("PROPERTY_RANDOM") != "1",
)


@QUICK
@given(datasets())
def test_every_dataset_drawn_from_the_contract_passes_validation(dataset):
    note(describe(dataset))
    with tempfile.TemporaryDirectory() as tmp:
        report = validate_directory(write_dataset(dataset, Path(tmp)))
    assert report.ok, report.summary()
