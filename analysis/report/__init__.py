"""The report layer: turns the numbers and codes of :mod:`analysis.methods` into what a reader
sees, in the edition's language.

Every function here takes the language as an argument (``lang``) and returns a list of typed
parts (:mod:`analysis.report.parts`): text, tables, figures and downloads. A chapter notebook
passes such a function to :func:`analysis.chapter.show`, which calls it in the edition's language
and displays the parts. Words go through :class:`analysis.report.words.Words` (gettext catalogs and
the one number formatter, :mod:`analysis.formatting`); values from data files go through
:mod:`analysis.literal` before they become Markdown.
"""
