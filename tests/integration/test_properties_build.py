"""Property-based: every dataset drawn from the contract builds its chapters without a traceback
(`analysis build --data`, PROPERTY_BUILD_EXAMPLES examples, 3 by default; PROPERTY_RANDOM=1 draws
new ones). Validation of drawn datasets is checked in tests/unit/test_properties.py."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings

from analysis.project import DATA_DIR, PROJECT_ROOT
from support.strategies import datasets, describe, write_dataset

BUILD_EXAMPLES = int(os.environ.get("PROPERTY_BUILD_EXAMPLES", "3"))
FIXED_SEED = os.environ.get("PROPERTY_RANDOM") != "1"  # derandomised: same examples everywhere


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
