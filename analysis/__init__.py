"""Analysis package of the poverty-programmes book.

One module a concept: ``contract`` (what the data files hold), ``validate`` (checking them),
``datapackage`` (metadata and provenance), ``illustrative`` (the seeded illustrative dataset),
``qdpx`` (REFI-QDA import), ``sampling``, ``inventory``, ``qualitative``, ``agreement``,
``income``, ``context``, ``synthesis`` (the analyses), ``display`` (what chapters show),
``runner`` and ``build`` (executing the chapters and building the book), ``cli``.
"""
__version__ = "0.1.0"
