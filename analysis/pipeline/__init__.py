"""The book machinery: runs file, cache keys, execution, Jupyter Book, command line.

No chapter and no module outside this package imports it.
"""
