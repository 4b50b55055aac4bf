"""The voice of one edition: its translations and its way of writing numbers.

``Words(lang)`` is what a report function writes with. Its ``_``, ``ngettext`` and ``pgettext``
are the edition's gettext functions (the extractor finds ``w._("...")`` calls like ``_("...")``);
its number methods are :mod:`analysis.formatting` in the edition's locale. Nothing here reads the
language from global state: the language is the argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from analysis import formatting, i18n


@dataclass(frozen=True)
class Words:
    """Translations and number formats of the edition written in ``lang`` (``"en"``, ``"id"``)."""

    lang: str

    def __post_init__(self):
        i18n.check_language(self.lang)

    @cached_property
    def _catalog(self):
        return i18n.translations(self.lang)

    @property
    def locale(self) -> str:
        """Babel's locale of the edition (``"en"``, ``"id_ID"``)."""
        return i18n.babel_locale(self.lang)

    # ------------------------------------------------------------------ words
    def _(self, message: str) -> str:
        """``message`` in the edition's language (itself when there is no translation)."""
        return self._catalog.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for the count ``n``."""
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` told apart from the same English word elsewhere by ``context``."""
        return self._catalog.pgettext(context, message)

    def label(self, field_name, value) -> str:
        """How a reader of this edition reads ``value`` of a labelled column of the data contract
        (:func:`analysis.data.contract.label`): ``w.label("component", "revolving_credit")``."""
        from analysis.data.contract import label

        return label(field_name, value, lang=self.lang)

    # ------------------------------------------------------------------ numbers
    def number(self, value, digits: int = 0) -> str:
        return formatting.number(value, digits, locale=self.locale)

    def integer(self, value) -> str:
        return formatting.integer(value, locale=self.locale)

    def signed(self, value, digits: int = 0) -> str:
        return formatting.signed(value, digits, locale=self.locale)

    def decimal(self, value, digits: int = 2) -> str:
        return formatting.decimal(value, digits, locale=self.locale)

    def percent(self, value, digits: int = 0) -> str:
        return formatting.percent(value, digits, locale=self.locale)

    def share(self, fraction, digits: int = 0) -> str:
        return formatting.share(fraction, digits, locale=self.locale)

    @property
    def percent_sign(self) -> str:
        """The percent sign with what precedes it in this edition: " %" (English), "%"."""
        return formatting.percent_sign(self.locale)

    def p_value(self, value) -> str:
        return formatting.p_value(value, locale=self.locale)

    def p_clause(self, value) -> str:
        return formatting.p_clause(value, locale=self.locale)

    def rupiah(self, value) -> str:
        return formatting.rupiah(value, locale=self.locale)

    def date(self, value) -> str:
        return formatting.date(value, locale=self.locale)

    def conjunction(self, items) -> str:
        return formatting.conjunction(list(items), locale=self.locale)


__all__ = ["Words"]
