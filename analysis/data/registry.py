"""The study registry, ``study/studies.csv``: one row a study, the key of every other study file.

``studies(data_dir)`` gives the validated rows in file order, their text in the current language
(``lang="id"`` asks for one: the Indonesian text of the companion columns, ``context_note@id``
and the like, English where a cell is empty); ``study(data_dir, site)`` one
:class:`Study`, with :attr:`Study.claim` (the published income change the income chapter checks)
and :attr:`Study.sampling_design` (the two-stage design the qualitative chapter redoes). A registry that
is absent is an error only when other study files name sites (validation says so); a build from
a directory without one has no per-study chapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.contract import STUDIES
from analysis.data.loading import load
from analysis.data.validate import resolve

CLAIM_KEYS = ("claim_pct_low", "claim_pct_high", "claim_rp_low", "claim_rp_high")
#: Further published claims the income chapter checks when the registry has them.
OTHER_CLAIM_KEYS = ("claim_informants_core", "claim_informants_additional", "claim_credit_use")


def _value(row: pd.Series, name: str):
    if name not in row.index or pd.isna(row[name]):
        return None
    value = row[name]
    if hasattr(value, "item"):
        value = value.item()
    return value


@dataclass(frozen=True)
class Study:
    """One registry row, with empty cells as ``None``."""

    site: str
    short_name: str
    title: str
    place: str
    regency_code: str | None
    regency_name: str | None
    programme: str
    selection: str
    headline: str | None
    fieldwork_year: int | None
    reference: str
    claim: dict
    other_claims: dict
    sample_clusters: int | None = None
    sample_per_cluster: str | None = None
    sampling_seed: int | None = None
    context_start: int | None = None
    context_end: int | None = None
    context_note: str | None = None
    design: str | None = None
    sampling_description: str | None = None  # the study's own words, as published
    data_collection: str | None = None
    analysis_method: str | None = None
    reported: str | None = None
    data_kind: str | None = None  # "illustrative" or "field"; None: by the data's checksums

    @classmethod
    def from_row(cls, row: pd.Series) -> Study:
        claim = {k: _value(row, k) for k in CLAIM_KEYS}
        for k in ("claim_pct_low", "claim_pct_high"):
            claim[k] = None if claim[k] is None else float(claim[k])
        for k in ("claim_rp_low", "claim_rp_high"):
            claim[k] = None if claim[k] is None else int(claim[k])
        other = {k: _value(row, k) for k in OTHER_CLAIM_KEYS}
        names = [f.name for f in STUDIES.fields if f.name not in CLAIM_KEYS + OTHER_CLAIM_KEYS]
        return cls(claim=claim, other_claims=other, **{n: _value(row, n) for n in names})

    @property
    def all_claims(self) -> dict:
        """:attr:`claim` and the other published claims (for ``income.reproduction_check``)."""
        return {**self.claim, **self.other_claims}

    @property
    def two_stage(self) -> bool:
        return self.selection == "two-stage cluster"

    @property
    def has_claim(self) -> bool:
        return self.claim["claim_pct_low"] is not None or self.claim["claim_rp_low"] is not None

    @property
    def sampling_design(self) -> dict | None:
        """``{"n_clusters", "per_cluster", "seed"}`` of a two-stage study that records them, else None."""
        if not self.two_stage or None in (
            self.sample_clusters,
            self.sample_per_cluster,
            self.sampling_seed,
        ):
            return None
        return {
            "n_clusters": int(self.sample_clusters),
            "per_cluster": parse_per_cluster(self.sample_per_cluster),
            "seed": int(self.sampling_seed),
        }

    def to_dict(self) -> dict:
        """Site and claim, for results.json."""
        return {"site": self.site, **self.claim}


def parse_per_cluster(text: str) -> dict[str, int]:
    """``"kelurahan_official=1; resident=3"`` -> ``{"kelurahan_official": 1, "resident": 3}``."""
    take = {}
    for part in str(text).replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, _, number = part.partition("=")
        if not name.strip() or not number.strip().isdigit():
            raise ValueError(
                f"per-cluster sample {text!r}: expected 'stratum=number; ...', got {part.strip()!r}"
            )
        take[name.strip()] = int(number)
    if not take:
        raise ValueError(f"per-cluster sample {text!r}: no stratum=number pair")
    return take


def has_registry(data_dir: str | Path) -> bool:
    return resolve(Path(data_dir), STUDIES) is not None


def studies(data_dir: str | Path, lang: str | None = None) -> pd.DataFrame:
    """The validated registry rows in file order (an empty frame with its columns when absent).

    Text readers see (place, headline, context_note, ...) is in ``lang``, by default the current
    language (:func:`analysis.i18n.use_language`), English where a row has no translation.
    """
    if not has_registry(data_dir):
        return pd.DataFrame(columns=STUDIES.columns)
    return load(data_dir, "studies", lang)


def all_studies(data_dir: str | Path, lang: str | None = None) -> list[Study]:
    """Every study of the registry, in file order (text in ``lang``, see :func:`studies`)."""
    return [Study.from_row(row) for _, row in studies(data_dir, lang).iterrows()]


def study(data_dir: str | Path, site: str, lang: str | None = None) -> Study:
    """The registry row of ``site`` (text in ``lang``, see :func:`studies`); KeyError naming the
    known sites when it is not there."""
    table = studies(data_dir, lang)
    rows = table[table["site"] == site]
    if rows.empty:
        known = ", ".join(table["site"]) or "none"
        raise KeyError(f"site {site!r} is not in study/studies.csv (sites there: {known})")
    return Study.from_row(rows.iloc[0])


def site_order(data_dir: str | Path) -> list[str]:
    """The sites in registry order (the order of the book's chapters and of every comparison)."""
    return list(studies(data_dir)["site"])


def labels(data_dir: str | Path, lang: str | None = None) -> dict[str, str]:
    """Site -> short name (in ``lang``, see :func:`studies`), in registry order (for tables and
    figures comparing studies)."""
    table = studies(data_dir, lang)
    return dict(zip(table["site"], table["short_name"]))


def illustrative_names(data_dir: str | Path, key: str, lang: str | None = None) -> list[str]:
    """Short names (in ``lang``) of the studies whose rows of a study file are declared
    illustrative (registry ``data_kind``), in registry order: what a partly-illustrative banner
    names."""
    from analysis.data.loading import illustrative_sites

    chosen = set(illustrative_sites(data_dir, key))
    return [name for site, name in labels(data_dir, lang).items() if site in chosen]
