"""Fixtures of the unit tests (tests/unit: nothing built, within the CPU budget that
benchmarks/unit_suite.py measures).

A data folder is validated once per content when it is loaded. ``analysis.data.loading.load``
validates the file it reads, and the files that one refers to, on every call; the unit tests
load the same unchanged files many times over (the shipped data, which no command writes,
hundreds of times through the registry, the planner and the report functions; a folder a test
wrote, several times through ``edition`` or the planner). Here ``load`` reuses the report of an
earlier validation of the same files (a copy of it: its typed frames and its problems) while
they are unchanged: the shipped folder's files by size and modification time, any other folder's
by their bytes. ``validate_directory`` called directly (the validator's own tests, the
``validate`` command) validates every time, but each file in it is checked once per content:
``validate.check_file`` depends on nothing but the file's contract entry, its bytes and its
label, and most folders the tests write are a copy of the shipped data or of a small study with
one file changed. The changed file is checked again, and everything that spans files (references,
sites, years, regency names) runs on every validation. The scan for personal data, which looks at
each file's text columns on their own, is likewise done once per file name and content of those
columns (their names, types, line numbers and cells).

The garbage collector skips the objects the suite keeps. Some 800,000 objects stay alive (the
imported packages, the test modules, their parameters), which every full collection traversed,
and the collections set off while the interpreter exits traversed them once more: together
about a sixth of the suite's CPU. What collecting the tests created is frozen once they are
collected (nothing is collected while they are), what is alive at the end is frozen before the
interpreter exits, and in between the youngest generation is collected every 50,000
allocations rather than every 700.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import pickle
from collections import OrderedDict
from pathlib import Path

import pytest

from analysis.data import loading, validate
from analysis.project import DATA_DIR

SHIPPED = DATA_DIR.resolve()
#: Reports kept for folders the tests write (the most recent ones; the shipped folder's stay).
WRITTEN_KEPT = 16
#: Allocations between two collections of the youngest generation, and the older generations'.
GC_THRESHOLD = (50_000, 20, 20)

_validate_directory = loading.validate_directory
_check_file = validate.check_file
#: Files' checks kept (the most recent ones), by contract entry, label and content.
CHECKS_KEPT = 256
_checks: OrderedDict[tuple, tuple] = OrderedDict()
_scan_for_personal_data = validate.scan_for_personal_data
_scans: OrderedDict[tuple, list] = OrderedDict()
_gc_threshold = gc.get_threshold()
_shipped: dict[tuple, object] = {}
_written: OrderedDict[tuple, object] = OrderedDict()


def _files(folder: Path) -> tuple:
    """What a validation of ``folder`` reads, as a key: each file's path and its content (the
    shipped folder's by size and modification time)."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if folder == SHIPPED:
            found.append((name, path.stat().st_size, path.stat().st_mtime_ns))
        else:
            found.append((name, hashlib.sha256(path.read_bytes()).hexdigest()))
    return tuple(found)


def validate_once(directory, keys=None):
    """``validate_directory`` as ``load`` calls it, once per content of the files it reads."""
    folder = Path(directory).resolve()
    if not folder.is_dir():
        return _validate_directory(directory, keys=keys)
    key = (Path(directory), None if keys is None else tuple(keys), _files(folder))
    reports = _shipped if folder == SHIPPED else _written
    if key not in reports:
        reports[key] = _validate_directory(directory, keys=keys)
        if reports is _written and len(_written) > WRITTEN_KEPT:
            _written.popitem(last=False)
    elif reports is _written:
        _written.move_to_end(key)
    return copy.deepcopy(reports[key])


def check_file_once(spec, path, label):
    """``validate.check_file`` once per contract entry, label and bytes of the file: a copy of
    the typed rows and of the problems found the first time."""
    key = (spec.key, id(spec), label, hashlib.sha256(Path(path).read_bytes()).hexdigest())
    if key not in _checks:
        _checks[key] = _check_file(spec, path, label)
        if len(_checks) > CHECKS_KEPT:
            _checks.popitem(last=False)
    else:
        _checks.move_to_end(key)
    typed, problems = _checks[key]
    return (None if typed is None else typed.copy(deep=True)), list(problems)


def _content(frame) -> str:
    """A digest of a frame as pickle writes it (its column names, types, index and cells): equal
    digests mean equal frames (an equal frame may, rarely, be written otherwise and scanned anew)."""
    return hashlib.sha256(pickle.dumps(frame, protocol=5)).hexdigest()


def scan_once(frames):
    """``validate``'s ``scan_for_personal_data``, once per file name and content of its frame
    (the scan looks at each file on its own): the problems found the first time."""
    problems = []
    for name, frame in frames.items():
        try:
            key = (name, _content(frame))
        except (pickle.PicklingError, TypeError, AttributeError):  # scanned every time
            problems.extend(_scan_for_personal_data({name: frame}))
            continue
        if key not in _scans:
            _scans[key] = _scan_for_personal_data({name: frame})
            if len(_scans) > CHECKS_KEPT:
                _scans.popitem(last=False)
        else:
            _scans.move_to_end(key)
        problems.extend(_scans[key])
    return problems


# From here on, so that the shipped data the test modules read at import count too.
loading.validate_directory = validate_once
validate.check_file = check_file_once
validate.scan_for_personal_data = scan_once
gc.disable()


@pytest.fixture(scope="session")
def indonesian_catalog_problems() -> tuple[str, ...]:
    """``translations.problems("id")``, read once for the tests that check the Indonesian
    catalogs (no unit test writes to the catalogs or the sources they are checked against)."""
    from analysis.pipeline import translations

    return tuple(translations.problems("id"))


def pytest_collection_finish(session):
    gc.enable()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def pytest_unconfigure(config):
    loading.validate_directory = _validate_directory
    validate.check_file = _check_file
    validate.scan_for_personal_data = _scan_for_personal_data
    gc.freeze()
    gc.set_threshold(*_gc_threshold)
    gc.enable()
