"""What a build is made from: the commit and the package versions its provenance appendix names
(:func:`analysis.pipeline.pages.provenance_markdown`)."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

from analysis.project import PROJECT_ROOT

MAIN_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "pandera",
    "krippendorff",
    "papermill",
    "myst-nb",
    "jupyter-book",
    "sphinx",
)


#: What follows the commit when a tracked file differs from it.
UNCOMMITTED = " (with uncommitted changes)"
#: What :func:`git_commit` says outside a git checkout.
NOT_A_CHECKOUT = "unknown (not a git checkout)"


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The commit the book is built from, "(with uncommitted changes)" when a tracked file differs.

    Untracked and ignored files (``_build/``, ``book/_generated/``, ``.venv/``) do not count: the
    published build (``.github/workflows/book.yml``) runs in a fresh checkout, so its provenance
    page names a clean commit.
    """
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return commit + (UNCOMMITTED if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return NOT_A_CHECKOUT


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in MAIN_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def data_date(data_dir: Path, root: Path = PROJECT_ROOT) -> str | None:
    """The date (ISO) of the last commit that changed ``data_dir``, when it lies in the
    repository; None for a folder outside it or not yet committed (a researcher's own data)."""
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_relative_to(Path(root).resolve()):
        return None
    try:
        date = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(data_dir)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return date or None


def title_page_facts(data_dir: Path) -> dict:
    """What the PDF's title page says of the build (``book/_ext/titlepage.py``): the commit (and
    whether tracked files differ from it), the
    kind of the study data (``illustrative``, ``field`` or ``mixed``, from the registry's
    ``data_kind``) and the date of the data."""
    from analysis.data.loading import declared_data_kinds

    kinds = set(declared_data_kinds(data_dir).values())
    commit = git_commit()
    facts = {"commit": commit.removesuffix(UNCOMMITTED)}
    if commit.endswith(UNCOMMITTED):
        facts["uncommitted"] = True  # said in the edition's language by the title page
    if kinds:
        facts["data"] = kinds.pop() if len(kinds) == 1 else "mixed"
    date = data_date(data_dir)
    if date:
        facts["data_date"] = date
    return facts
