"""Settings every test folder shares.

Property-based tests draw the same examples on every run and every machine (``derandomize``),
so that ``make test`` and CI give the same verdict for the same commit; set
``HYPOTHESIS_PROFILE=explore`` to draw new examples while developing.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
