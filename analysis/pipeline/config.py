"""The Jupyter Book configuration of an edition: ``_config.yml`` with the edition's settings."""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.project import PROJECT_ROOT

#: Per edition: the settings of ``_config.yml`` that differ from English (title, LaTeX names),
#: merged into the edition's staged ``_config.yml``; the catalogs beside it translate the text.
EDITION_CONFIG = "locales/{lang}/config.yml"


def _merge(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` merged in, mapping by mapping."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def edition_config(lang: str, root: Path = PROJECT_ROOT) -> dict:
    """``_config.yml`` of the edition ``lang``: English's, with ``locales/<lang>/config.yml``
    merged in and Sphinx's ``language`` set."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    overrides_file = root / EDITION_CONFIG.format(lang=lang)
    if overrides_file.is_file():
        config = _merge(config, yaml.safe_load(overrides_file.read_text(encoding="utf-8")) or {})
    config.setdefault("sphinx", {}).setdefault("config", {})["language"] = lang
    return config
