"""Cache keys: whether a run must execute again, and the key an executed chapter records.

A run's key covers its template, parameters, the sha256 of every declared input, the source of
the ``analysis`` modules the template imports (transitively, :mod:`analysis.pipeline.imports`),
the message catalogs of its editions and the lock file. An executed chapter records its key in
its metadata (:func:`stored_key`); a build executes a run again only when the keys differ.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.data.loading import sha256 as sha256_file
from analysis.pipeline.imports import dependencies_digest
from analysis.pipeline.runs import LANGUAGES, METADATA_KEY, Run, executes_once
from analysis.project import LOCK_FILE

CACHE_FORMAT = 2  # bump when `normalise` changes what a chapter holds: every chapter is re-executed


def input_digests(run: Run, data_dir: Path) -> dict[str, str]:
    """sha256 of every declared input; an absent optional input is recorded as "absent"."""
    digests = {name: sha256_file(Path(data_dir) / name) for name in run.inputs}
    for name in run.optional_inputs:
        path = Path(data_dir) / name
        digests[name] = sha256_file(path) if path.is_file() else "absent"
    return digests


def cache_key(
    run: Run, data_dir: Path, *, dependencies: str | None = None, lock: str | None = None
) -> str:
    """The key that decides whether a run must execute again.

    It covers the template, the parameters, the sha256 of every declared input, the source of
    the ``analysis`` modules the template imports (transitively, :mod:`analysis.pipeline.imports`)
    and the lock file (not the data directory's path: moving data is no change), and the
    catalogs and titles of the edition it writes; a run executed once for all its editions
    (:func:`analysis.pipeline.runs.executes_once`) has one key covering every edition's.
    """
    if executes_once(run):
        editions = [run.in_language(lang) for lang in run.languages]
        language = {
            "editions": list(run.languages),
            "catalogs": {e.lang: catalogs_digest(e.lang) for e in editions},
            "title": {e.lang: e.title for e in editions},
            "edition_parameters": {e.lang: e.parameters for e in editions},
        }
    else:
        language = {"lang": run.lang, "catalogs": catalogs_digest(run.lang), "title": run.title}
    material = {
        "format": CACHE_FORMAT,
        "run": run.id,
        **language,
        "template": sha256_file(run.template_path),
        "parameters": run.parameters,
        "inputs": input_digests(run, data_dir),
        "analysis": dependencies or dependencies_digest(run.template_path),
        "lock": lock or (sha256_file(LOCK_FILE) if LOCK_FILE.exists() else ""),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


EXTENSION_CATALOGS = "ext."  # analysis/locale/<lang>/LC_MESSAGES/ext.*.po (book/_ext)


def catalogs_digest(lang: str) -> str:
    """sha256 of the code's message catalogs of ``lang`` (analysis/locale): a changed translation
    re-executes that edition's chapters. English has none."""
    from analysis.i18n import catalog_files

    digest = hashlib.sha256()
    for path in catalog_files(lang):
        if path.name.startswith(EXTENSION_CATALOGS):
            continue  # words of the Sphinx extensions: in the book's key, not the chapters'
        digest.update(path.name.encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest() if lang != LANGUAGES[0] else ""


def stored_key(notebook_path: Path) -> str | None:
    """The cache key recorded in an executed chapter, or None."""
    try:
        nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return nb.get("metadata", {}).get(METADATA_KEY, {}).get("cache_key")
