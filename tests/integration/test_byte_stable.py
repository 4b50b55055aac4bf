"""An executed chapter is byte-identical when executed again (recorded floats are rounded to 12
significant digits by analysis.chapter.stable, so another CPU's last-digit noise is gone)."""

from __future__ import annotations

from pathlib import Path

from analysis.pipeline import runner
from analysis.project import BOOK_DIR, DATA_DIR


def test_re_executing_a_chapter_gives_the_committed_bytes(tmp_path):
    (run,) = [r for r in runner.load_runs() if r.id == "data-dictionary"]
    committed = BOOK_DIR / run.output
    key = runner.stored_key(committed)
    assert key == runner.cache_key(run, DATA_DIR)  # the committed chapter is current
    output = tmp_path / "book" / run.output
    (outcome,) = runner.execute_runs([run], DATA_DIR, tmp_path / "book", force=True, jobs=1)
    assert outcome.executed
    fresh = output.read_text(encoding="utf-8")
    # The only difference allowed: where the data are, as the chapter's folder sees them.
    where = runner._relative_data_dir(DATA_DIR, output)
    assert f'data_dir = \\"{where}\\"' in fresh
    assert fresh.replace(where, "../../data") == committed.read_text(encoding="utf-8")


def test_nbval_sanitisation_hides_no_float_noise():
    config = (Path(__file__).parents[1] / "nbval_sanitize.cfg").read_text()
    assert "float" not in config.lower() and r"\d{12}" not in config
