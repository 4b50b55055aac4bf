"""Settings every test folder shares.

Property-based tests draw the same examples on every run and every machine (``derandomize``),
so that ``make test`` and CI give the same verdict for the same commit; set
``HYPOTHESIS_PROFILE=explore`` to draw new examples while developing.

A property test draws at most ``EXAMPLES`` examples (10) unless it names its own number: the
tests whose examples cost milliseconds (a validation, a MyST parse, a qdpx round trip) take
this bound, which keeps ``tests/unit`` within its CPU budget (benchmarks/unit_suite.py); tests
whose examples cost microseconds keep the larger number they name. ``explore`` draws ten times
as many. No deadline: a shared machine may run an example slowly without anything being wrong.
"""

from __future__ import annotations

import os

from hypothesis import settings

EXAMPLES = 10

settings.register_profile(
    "repeatable", derandomize=True, database=None, deadline=None, max_examples=EXAMPLES
)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=10 * EXAMPLES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
