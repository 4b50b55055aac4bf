"""Done when: a third study laid out like the shipped ones builds its own chapters (slow)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from analysis.project import DATA_DIR, PROJECT_ROOT
from support.third_study import SITE, households, write_third_study

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("third")
    data = write_third_study(root / "data", DATA_DIR)
    out = root / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--data", str(data), "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return out, json.loads((out / "results.json").read_text())


def test_the_third_study_has_its_qualitative_income_and_context_chapters(built):
    out, results = built
    assert {f"qualitative-{SITE}", f"income-{SITE}", "context-kota-batu"} <= set(results)
    for page in (f"qualitative_{SITE}", f"income_{SITE}", "context_kota_batu", "synthesis"):
        assert (out / "html" / "book" / "chapters" / f"{page}.html").is_file(), page
    assert results[f"qualitative-{SITE}"]["site"] == SITE
    assert results[f"income-{SITE}"]["claim_pct_low"] == 20.0


def test_the_synthesis_compares_three_studies(built):
    _, results = built
    synthesis = results["synthesis"]
    assert synthesis["studies"] == 3
    assert synthesis[f"{SITE}_informants"] == 7
    assert synthesis[f"{SITE}_households"] == 12


def test_the_third_studys_income_results_match_an_independent_computation(built):
    _, results = built
    got = results[f"income-{SITE}"]
    frame = households()
    change = (frame["income_after"] - frame["income_before"]).to_numpy(float)
    pct = 100 * change / frame["income_before"].to_numpy(float)
    t = stats.ttest_1samp(change, 0.0)
    low, high = t.confidence_interval(0.95)
    assert got["n"] == 12
    assert got["mean_abs_change"] == pytest.approx(change.mean())
    assert got["mean_pct_change"] == pytest.approx(pct.mean())
    assert got["t_ci95_low"] == pytest.approx(low) and got["t_ci95_high"] == pytest.approx(high)
    assert got["wilcoxon_p"] == pytest.approx(stats.wilcoxon(change).pvalue)
    assert got["geo_mean_ratio"] == pytest.approx(
        np.exp(np.mean(np.log(frame["income_after"] / frame["income_before"])))
    )


def _title_and_heading(page) -> tuple[str, str]:
    """The ``<title>`` and the first ``<h1>`` of a built page, as text."""
    import html
    import re

    text = page.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    return html.unescape(title), html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()


def test_the_book_is_titled_after_its_three_studies_in_each_edition(built):
    out, _ = built
    for edition, expected in (
        ("", "Jombang, Kelurahan Pakis, and Kelurahan Sisir: poverty programmes re-analysed"),
        (
            "id",
            "Jombang, Kelurahan Pakis, dan Kelurahan Sisir: "
            "analisis ulang program penanggulangan kemiskinan",
        ),
    ):
        title, heading = _title_and_heading(out / "html" / edition / "book/pages/intro.html")
        assert heading.rstrip("#").strip() == expected
        assert expected in title
        assert "two field studies" not in title and "dua studi lapangan" not in title
        chapter = out / "html" / edition / f"book/chapters/qualitative_{SITE}.html"
        assert expected in _title_and_heading(chapter)[0]
