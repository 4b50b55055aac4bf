"""Analysis package of the poverty-programmes book.

The flow runs one way, and the subpackages show it:

- ``analysis.data``: the data contract, reading CSV and money, validation, the Frictionless
  descriptor and data dictionary, the privacy scan, REFI-QDA import, loading;
- ``analysis.methods``: the analyses (income, agreement, sampling, qualitative displays,
  inventory, context, synthesis): functions and result objects, no IPython;
- ``analysis.illustrative``: the seeded generators of the illustrative dataset;
- ``analysis.chapter``: what a chapter uses to display (the one module importing IPython);
- ``analysis.pipeline``: the runs file, cache keys, execution, Jupyter Book and the command line
  (no chapter imports it);
- ``analysis.project``: paths and exit codes.
"""

__version__ = "0.2.0"
