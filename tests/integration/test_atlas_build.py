"""The atlas built: `analysis build --areas` adds a context chapter per area with its 2018 P0 and
its sources, and leaves the shipped book untouched (the atlas itself: tests/unit/test_atlas.py)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
import yaml

from analysis.project import DATA_DIR, PROJECT_ROOT


def rows(name: str) -> list[dict]:
    with (DATA_DIR / "public" / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_areas_build_adds_a_context_chapter_per_area_with_its_2018_p0_and_sources(tmp_path):
    out = tmp_path / "atlas"
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--areas", "3517,3510,3578"]
        + ["--out", str(out), "--no-book"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    p0_2018 = {
        r["area_code"]: float(r["value"])
        for r in rows("bps_regency_p0_2010_2018.csv")
        if r["year"] == "2018" and r["indicator"] == "p0" and r["round"] == "March"
    }
    for code in ("3517", "3510", "3578"):
        chapter = results[f"atlas-{code}"]
        assert chapter["area_code"] == code
        assert chapter["change_end_year"] == 2018 and chapter["change_p0_end"] == p0_2018[code]
        text = (out / "source/book/chapters/atlas" / f"context_{code}.ipynb").read_text()
        assert "{cite:p}`miranti2020`" in text  # the series' citation in the text
        # the source list: the BPS release, then where it was retrieved (Miranti's repository)
        assert "headcount poverty rate \\\\(P0\\\\) by regency and city" in text
        assert "Retrieved from" in text and "quarcs-lab/tutorial-distribution-dynamics" in text
    toc = yaml.safe_load((out / "source" / "_toc.yml").read_text())
    part = next(p for p in toc["parts"] if p["caption"].startswith("Atlas"))
    assert len(part["chapters"]) == 3
    assert "context-jombang" in results  # the book's own chapters too
    assert not (PROJECT_ROOT / "book/chapters/atlas").exists()  # the shipped book is untouched
