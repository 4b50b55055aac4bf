"""``python -m analysis``: the project's command line (see :mod:`analysis.pipeline.cli`)."""

import sys

from analysis.pipeline.cli import main

sys.exit(main())
