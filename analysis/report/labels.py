"""How a qualitative chapter names what its data hold: roles, themes, verdicts, sources, headers.

A :class:`Labels` is made once per report function from the edition's :class:`Words` and the
study's codebook (its own names of its themes). Every name is looked up here, so that a theme or a
role reads the same in a table, a heading, a figure and its alt text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.data import contract
from analysis.data.contract import (
    ROLE_LABELS,
    SOURCE_TYPE_LABELS,
    THEME_GROUP_LABELS,
    THEME_LABELS,
)
from analysis.i18n import N_, SOURCE_LANGUAGE
from analysis.methods.qualitative import ALL_INFORMANTS
from analysis.report.words import Words

#: Verdicts of the findings table as readers see them (the frames keep the English codes).
VERDICT_LABELS = {
    "strong": N_("strong"),
    "moderate": N_("moderate"),
    "weak": N_("weak"),
    "not supported": N_("not supported"),
}
#: The theme group of a codebook without theme groups.
NO_THEME_GROUP = N_("themes")
INFORMANT_TYPES_PLURAL = {"core": N_("core informants"), "additional": N_("additional informants")}
#: The roles of officials of the lowest level, named by the unit they serve when the drawn
#: clusters say which ("desa official" where every cluster is a desa).
OFFICIAL_OF = {
    "desa": N_("desa official"),
    "kelurahan": N_("kelurahan official"),
    "desa/kelurahan": N_("desa/kelurahan official"),
}
#: The level of the lowest officials, named by the unit they serve.
UNIT_LEVELS = {
    "desa": N_("desa"),
    "kelurahan": N_("kelurahan"),
    "desa/kelurahan": N_("desa/kelurahan"),
}

#: Column headers as readers see them.
HEADERS = {
    "role": N_("role"),
    "theme": N_("theme"),
    "label": N_("label"),
    "code": N_("code"),
    "codes": N_("codes"),
    "code_1": N_("code 1"),
    "code_2": N_("code 2"),
    "coefficient": N_("coefficient"),
    "segments": N_("segments"),
    "informants": N_("informants"),
    "informant_id": N_("informant id"),
    "interview": N_("interview"),
    "observation": N_("observation"),
    "document": N_("document"),
    "source_types": N_("source types"),
    "triangulated": N_("triangulated"),
    "finding": N_("finding"),
    "verdict": N_("verdict"),
    "quotes": N_("quotes"),
    "reliability": N_("reliability"),
    "informants (k/N)": N_("informants (k/N)"),
    "share %": N_("share %"),
    "logic": N_("logic"),
    "business_type": N_("business type"),
    "income_before": N_("income before"),
    "income_after": N_("income after"),
    "change": N_("change"),
    "change_pct": N_("change pct"),
    "share_informants": N_("share informants"),
    "ci_low": N_("ci low"),
    "ci_high": N_("ci high"),
    "prevalence": N_("prevalence"),
    "percent_agreement": N_("percent agreement"),
    "kappa": N_("kappa"),
    "kappa_low": N_("kappa low"),
    "kappa_high": N_("kappa high"),
    "alpha": N_("alpha"),
    "alpha_verdict": N_("alpha verdict"),
    "kappa_verdict": N_("kappa verdict"),
    "alpha_low": N_("alpha low"),
    "alpha_high": N_("alpha high"),
    "coders": N_("coders"),
    "pabak": N_("pabak"),
    "fleiss_kappa": N_("fleiss kappa"),
}


def theme_names(codebook: pd.DataFrame | None, w: Words) -> dict[str, str]:
    """Theme (and theme group) -> its name in this edition, as the codebook gives it.

    A theme's name is its ``theme_label`` (the first filled one of its codes: the codebook as
    :func:`analysis.data.loading.load` returns it for the edition); where the codebook gives none,
    the shipped vocabulary's name; else the theme as written, marked as the original in another
    language than English (``contract.untranslated``).
    """
    names: dict[str, str] = {}
    if codebook is None:
        return names
    given = {}
    if "theme_label" in codebook:
        for theme, label in zip(codebook["theme"], codebook["theme_label"]):
            if theme not in given and isinstance(label, str) and label.strip():
                given[theme] = label
    groups = codebook["theme_group"] if "theme_group" in codebook else []
    for word in [*codebook["theme"], *(g for g in groups if isinstance(g, str) and g)]:
        if word in names:
            continue
        if word in given:
            names[word] = given[word]
        elif word in THEME_LABELS or word in THEME_GROUP_LABELS:
            names[word] = _vocabulary_label(word, w)
        else:
            names[word] = contract.untranslated(str(word), w.lang)
    return names


def _vocabulary_label(theme, w: Words) -> str | None:
    for labels in (THEME_LABELS, THEME_GROUP_LABELS, {"themes": NO_THEME_GROUP}):
        if theme in labels:
            return w._(labels[theme])
    return None


def field_label(w: Words, name: str, value) -> str:
    """A value of a labelled column of the contract (``business_type``, ``stratum``, ...)."""
    labels = contract.field_labels().get(name) or {}
    if str(value) in labels:
        return w._(labels[str(value)])
    return contract.words(value)


@dataclass(frozen=True)
class Labels:
    """The names of one chapter in one edition: ``w`` writes, ``themes`` are the codebook's names
    of its themes, ``official_unit`` names the unit the lowest officials serve ("desa",
    "kelurahan", "desa/kelurahan"; None: the contract's "kelurahan official")."""

    w: Words
    themes: dict[str, str] = field(default_factory=dict)
    official_unit: str | None = None

    @classmethod
    def of(cls, lang: str, codebook: pd.DataFrame | None = None, official_unit=None) -> Labels:
        w = Words(lang)
        return cls(w, theme_names(codebook, w), official_unit)

    def role(self, role) -> str:
        """A role as readers read it (the contract's label; the lowest officials by their unit)."""
        if role == "kelurahan_official" and self.official_unit in OFFICIAL_OF:
            return self.w._(OFFICIAL_OF[self.official_unit])
        if role == ALL_INFORMANTS:
            return self.w._("all informants")
        return self.w._(ROLE_LABELS[role]) if role in ROLE_LABELS else role

    def level(self, level) -> str:
        """A level of government ("kecamatan"; the lowest by the unit its officials serve)."""
        if level == "kelurahan" and self.official_unit in UNIT_LEVELS:
            return self.w._(UNIT_LEVELS[self.official_unit])
        return field_label(self.w, "level", level)

    def role_words(self, role: str) -> str:
        """A role identifier as readers read it, also one the contract does not know."""
        return self.role(role) if role in ROLE_LABELS else role.replace("_", " ")

    def role_count(self, n: int, role: str) -> str:
        """ "3 kelurahan officials": a count of informants of a role.

        English adds the plural "s" to the role's label (not to "staff"); Indonesian nouns keep
        one form ("3 aparatur kelurahan").
        """
        label = self.role(role)
        if self.w.lang == SOURCE_LANGUAGE and n != 1 and not label.endswith("staff"):
            label += "s"
        return self.w._("{n} {role}").format(n=self.w.integer(n), role=label)

    def theme(self, theme) -> str:
        """A theme (or theme group): the codebook's name, else the vocabulary's, else as written."""
        if theme in self.themes:
            return self.themes[theme]
        label = _vocabulary_label(theme, self.w)
        return theme if label is None else label

    def verdict(self, verdict) -> str:
        """A verdict of the findings table ("kuat" in Indonesian)."""
        return self.w._(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else verdict

    def source_type(self, source_type) -> str:
        """A kind of source (interview, observation, document)."""
        labels = SOURCE_TYPE_LABELS
        return self.w._(labels[source_type]) if source_type in labels else source_type

    def source_types(self, types: str) -> str:
        """A comma-separated list of source types ("interview, document")."""
        return ", ".join(self.source_type(t) for t in str(types).split(", ") if t)

    def header(self, name) -> str:
        """The header readers see for a column identifier (a theme's name for a theme)."""
        if isinstance(name, str) and name in HEADERS:
            return self.w._(HEADERS[name])
        return self.theme(name) if isinstance(name, str) else name

    def with_headers(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with its column (and index) names as readers read them."""
        out = frame.rename(columns=self.header)
        names = [self.header(n) if n is not None else None for n in out.index.names]
        out.index = out.index.set_names(names)
        return out

    def with_roles(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with its index of role codes as readers read them."""
        out = frame.copy()
        out.index = pd.Index([self.role(r) for r in frame.index], name=frame.index.name)
        return out


__all__ = ["HEADERS", "Labels", "VERDICT_LABELS", "field_label", "theme_names"]
