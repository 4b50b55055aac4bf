"""How long each chapter's execution took, kept beside the executed chapters.

An executed chapter holds nothing that differs between machines (two builds give byte-identical
chapters and ``results.json``), so the wall-clock duration of its execution is kept apart: in
``chapters/durations.json`` under the chapters' root (``book/chapters/durations.json`` for the
shipped book, committed with the chapters), by run id, with the cache key of the chapter that
execution made. The run-details appendix reads it, so that a chapter restored from the committed
files (a fresh clone, the CI) still says how long its execution took.

An execution that makes the same chapter again (``--force`` with an unchanged cache key) leaves
the record alone: the file changes only when a chapter does, and a rebuild leaves the work tree
as it was. ``runs.json`` in the build folder keeps what this machine measured, every time.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.pipeline.cache import stored_key
from analysis.pipeline.execute import RunOutcome
from analysis.pipeline.runs import Run

FILE = Path("chapters") / "durations.json"
DECIMALS = 1  # seconds, as the appendix shows them


def path(chapters_root: Path) -> Path:
    return Path(chapters_root) / FILE


def read(chapters_root: Path) -> dict:
    """The records (``{run id: {"cache_key": ..., "seconds": ...}}``); empty when none or unreadable."""
    try:
        records = json.loads(path(chapters_root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def record(outcomes: list[RunOutcome], chapters_root: Path) -> dict:
    """Record the duration of every run executed into a chapter with a new cache key; return
    the records. Writes the file only when a record changed."""
    records = read(chapters_root)
    changed = False
    for outcome in outcomes:
        if not outcome.executed or outcome.duration is None:
            continue
        key = stored_key(Path(chapters_root) / outcome.run.output)
        if key is None or records.get(outcome.run.id, {}).get("cache_key") == key:
            continue
        records[outcome.run.id] = {
            "cache_key": key,
            "seconds": round(float(outcome.duration), DECIMALS),
        }
        changed = True
    if changed:
        target = path(chapters_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_text(json.dumps(records, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        temporary.replace(target)
    return records


def of_chapters(runs: list[Run], chapters_root: Path) -> dict[str, float]:
    """Seconds that each run's execution took, for the runs whose stored chapter is the one the
    record was made with (same cache key); a run without such a record is left out."""
    records = read(chapters_root)
    known = {}
    for run in runs:
        entry = records.get(run.id)
        if not isinstance(entry, dict) or "seconds" not in entry:
            continue
        if entry.get("cache_key") == stored_key(Path(chapters_root) / run.output):
            known[run.id] = float(entry["seconds"])
    return known
