"""Property-based: every dataset drawn from the contract's declarations validates and builds.

The strategies (tests/support/strategies.py) are generated from the contract, not hand-listed:
any optional column or file may be absent, any number of studies, coders, households. The build
test executes every chapter through papermill for a few examples (``slow``); set
``PROPERTY_BUILD_EXAMPLES=50`` for a longer run. The examples are drawn from a fixed seed, so
that ``make test`` gives the same verdict on every machine; ``PROPERTY_RANDOM=1`` draws fresh ones
(the slow job). A failing example prints the dataset.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings

from analysis.data.validate import validate_directory
from analysis.project import DATA_DIR, PROJECT_ROOT
from support.strategies import datasets, describe, write_dataset

QUICK = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=os.environ.get("PROPERTY_RANDOM") != "1",
)
BUILD_EXAMPLES = int(os.environ.get("PROPERTY_BUILD_EXAMPLES", "3"))
FIXED_SEED = os.environ.get("PROPERTY_RANDOM") != "1"  # derandomised: same examples everywhere


@QUICK
@given(datasets())
def test_every_dataset_drawn_from_the_contract_passes_validation(dataset):
    note(describe(dataset))
    with tempfile.TemporaryDirectory() as tmp:
        report = validate_directory(write_dataset(dataset, Path(tmp)))
    assert report.ok, report.summary()


@pytest.mark.slow
@settings(
    max_examples=BUILD_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    derandomize=FIXED_SEED,
)
@given(datasets())
def test_every_valid_dataset_builds_its_chapters_without_a_traceback(dataset):
    note(describe(dataset))
    with tempfile.TemporaryDirectory() as tmp:
        data = write_dataset(dataset, Path(tmp) / "data", public=DATA_DIR / "public")
        completed = subprocess.run(
            [sys.executable, "-m", "analysis", "build", "--data", str(data)]
            + ["--out", str(Path(tmp) / "out"), "--no-book", "--jobs", "2"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    assert completed.returncode == 0, describe(dataset) + "\n" + completed.stderr[-4000:]
    assert "Traceback" not in completed.stderr
