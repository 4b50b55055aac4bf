"""Where things are and how the commands end: the project's paths and exit codes, defined once."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PROJECT_ROOT / "data"  # the shipped data: never written by any command
BOOK_DIR = PROJECT_ROOT / "book"
TEMPLATES_DIR = BOOK_DIR / "templates"
CHAPTERS_DIR = BOOK_DIR / "chapters"
RUNS_FILE = BOOK_DIR / "runs.yml"
TOC_FILE = PROJECT_ROOT / "_toc.yml"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
BUILD_DIR = PROJECT_ROOT / "_build"

EXIT_OK = 0  # success
EXIT_FAILED = 1  # a chapter failed to execute or the book failed to build
EXIT_BAD_INPUT = 2  # bad input: data, runs file, parameters, arguments
EXIT_CHANGED = 1  # `datapackage --check`: a file's sha256 no longer matches
