"""Done when: studies made outside the project, each unlike the others and unlike the shipped
ones, build in both editions with exit 0 and every expected chapter; the landing page names the
study; no "two studies" anywhere; the numbers the book reports are those an independent
computation finds in the generated frames.

The corpus (``tests/support/corpus.py``): a one-coder study in Sulawesi with 32 themes and GUIDs,
an income study with a comparison group in 2023-2025, an imported REFI-QDA project without cases,
a census coded by five coders, a study written only in Indonesian. One of them (the imported
project, the cheapest to build: about a minute) runs in ``make test`` (mark ``slow``); all of them run in ``make test-corpus``
(mark ``corpus``), which ``make test``'s unit step leaves out.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.project import PROJECT_ROOT
from support.corpus import GENERATORS, Study

#: In make test: the imported project (slow only); the others in the corpus job alone.
IN_MAKE_TEST = "mataram"
STUDIES = [
    pytest.param(
        name,
        marks=[pytest.mark.slow]
        if name == IN_MAKE_TEST
        else [pytest.mark.slow, pytest.mark.corpus],
        id=name,
    )
    for name in GENERATORS
]
TWO_STUDIES = re.compile(r"\b(two (field )?studies|(kedua|dua) studi)\b", re.IGNORECASE)


@pytest.fixture(scope="module", params=STUDIES)
def built(request, tmp_path_factory):
    """The study's data folder, built in both editions (the default of ``build``)."""
    root = tmp_path_factory.mktemp(request.param)
    study: Study = GENERATORS[request.param](root)
    out = root / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--data", str(study.data), "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-4000:]
    return study, out, json.loads((out / "results.json").read_text(encoding="utf-8"))


def _text(page) -> str:
    """The words of an HTML page: tags, scripts and styles removed, entities decoded."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def _landing(root):
    """The landing page: ``index.html``, or the page its refresh leads to."""
    index = root / "index.html"
    moved = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index.read_text())
    return root / moved.group(1) if moved else index


def _editions(out):
    return {"en": out / "html", "id": out / "html" / "id"}


def test_every_expected_chapter_is_built_in_both_editions(built):
    study, out, results = built
    assert study.chapters() <= set(results), sorted(results)
    for edition, root in _editions(out).items():
        for run in study.chapters():
            page = root / "book" / "chapters" / (run.replace("-", "_", 1) + ".html")
            if run.startswith("context-"):
                page = (
                    root
                    / "book"
                    / "chapters"
                    / ("context_" + study.regency_slug.replace("-", "_") + ".html")
                )
            assert page.is_file(), (edition, page)


def test_the_landing_page_names_the_study_in_both_editions(built):
    study, out, _ = built
    for edition, root in _editions(out).items():
        assert study.short_name in _text(_landing(root)), edition


def test_no_page_of_either_edition_speaks_of_two_studies(built):
    _, out, _ = built
    for edition, root in _editions(out).items():
        for page in root.rglob("*.html"):
            found = TWO_STUDIES.search(_text(page))
            assert found is None, (edition, page.relative_to(out), found and found.group(0))


def _counted(segments: pd.DataFrame) -> pd.DataFrame:
    """One coding per segment, the highest-ranked coder's: coders ranked by the number of
    distinct segments they coded, then by name (the book's documented rule), recomputed."""
    per_coder = segments.groupby("coder")["segment_id"].nunique().rename("n").reset_index()
    ranking = per_coder.sort_values(["n", "coder"], ascending=[False, True])
    rank = {coder: k for k, coder in enumerate(ranking["coder"])}
    ranked = segments.assign(rank=segments["coder"].map(rank))
    best = ranked.groupby("segment_id")["rank"].transform("min")
    return ranked[ranked["rank"] == best]


def test_the_qualitative_numbers_match_an_independent_computation(built):
    study, _, results = built
    got = results[f"qualitative-{study.site}"]
    informants = study.frames["informants"]
    segments = study.frames["segments"]
    counted = _counted(segments)
    assert got["site"] == study.site
    assert got["n_informants"] == len(informants)
    assert got["n_segments"] == segments["segment_id"].nunique()
    assert got["n_coders"] == segments["coder"].nunique()
    assert got["n_codes_used"] == counted["code"].nunique()
    themes = study.frames["codebook"].set_index("code")["theme"]
    assert got["n_themes_used"] == counted["code"].map(themes).nunique()
    per_code = counted.dropna(subset=["informant_id"]).groupby("code")["informant_id"].nunique()
    assert got["top_code_informants"] == per_code.max()
    assert got["top_code_share"] == pytest.approx(100 * per_code.max() / len(informants))
    # shares of informants chosen, not drawn, are descriptive: no interval is recorded for them
    assert "top_code_low" not in got and "top_code_high" not in got


def test_the_income_numbers_match_an_independent_computation(built):
    study, _, results = built
    if not study.has_households:
        pytest.skip("a study without households has no income chapter")
    got = results[f"income-{study.site}"]
    frame = study.frames["households"]
    recipients = frame[frame["recipient"].astype(bool)]
    before = recipients["income_before"].to_numpy(float)
    after = recipients["income_after"].to_numpy(float)
    assert got["n"] == len(recipients)
    assert got["mean_abs_change"] == pytest.approx((after - before).mean())
    assert got["mean_pct_change"] == pytest.approx((100 * (after - before) / before).mean())
    assert got["geo_mean_ratio"] == pytest.approx(np.exp(np.log(after / before).mean()))
    # difference in differences on log income: recipients' mean log change minus the others'
    log_change = np.log(
        frame["income_after"].to_numpy(float) / frame["income_before"].to_numpy(float)
    )
    treated = frame["recipient"].astype(bool).to_numpy()
    did = log_change[treated].mean() - log_change[~treated].mean()
    keys = [k for k in got if k.endswith("did_log")]
    assert keys, sorted(got)
    for key in keys:
        assert got[key] == pytest.approx(did)
    for key in [k for k in got if k.endswith("did_pct")]:
        assert got[key] == pytest.approx(100 * (np.exp(did) - 1))
    assert got["did_recipient_log_change"] == pytest.approx(log_change[treated].mean())
    assert got["did_comparison_log_change"] == pytest.approx(log_change[~treated].mean())
    assert (got["did_n_recipients"], got["did_n_comparison"]) == (treated.sum(), (~treated).sum())
    share = frame.groupby("cluster")["recipient"].mean()
    assert got["did_n_clusters"] == frame["cluster"].nunique()
    assert got["did_n_treated_clusters"] == (share > 0).sum()
    assert got["did_n_comparison_clusters"] == (share < 1).sum()
    # the synthesis carries the same recipients' change
    synthesis = results["synthesis"]
    assert synthesis[f"{study.site}_mean_pct_change"] == pytest.approx(got["mean_pct_change"])
    assert synthesis[f"{study.site}_income_year_before"] == frame["year_before"].min()
    assert synthesis[f"{study.site}_income_year_after"] == frame["year_after"].max()


def _chapter(out, edition, name):
    return _text(_editions(out)[edition] / "book" / "chapters" / f"{name}.html")


def _one_coder_and_thirty_two_themes_are_said_as_they_are(built):
    study, out, results = built
    got = results[f"qualitative-{study.site}"]
    assert got["n_coders"] == 1
    assert (
        study.frames["codebook"]["theme"].nunique() == 32 and len(study.frames["codebook"]) == 160
    )
    for edition in ("en", "id"):
        text = _chapter(out, edition, f"qualitative_{study.site}")
        assert "1 coders" not in text and "other coders" not in text, edition
        assert "koder lain" not in text, edition


def _study_years_past_every_public_series_are_named_not_skipped(built):
    study, _, results = built
    context = results[f"context-{study.regency_slug}"]
    series_end = context["p0_last_year"]
    assert series_end < 2023
    assert {2023, 2024, 2025} <= set(context["p0_missing_years"])
    assert "2023" in context["change_text_outside"] and "2025" in context["change_text_outside"]


def _an_imported_project_without_cases_has_one_informant_per_source(built):
    study, out, results = built
    sources = int(study.frames["project"]["sources"].iloc[0])
    assert len(study.frames["informants"]) == sources
    assert results[f"qualitative-{study.site}"]["n_informants"] == sources
    assert results["synthesis"][f"{study.site}_informants"] == sources


def _a_census_is_not_called_a_sample(built):
    study, out, results = built
    assert study.frames["studies"]["selection"].iloc[0] == "census"
    assert results[f"qualitative-{study.site}"]["n_coders"] == 5
    for edition in ("en", "id"):
        for chapter in (f"qualitative_{study.site}", "synthesis"):
            text = _chapter(out, edition, chapter)
            assert "sampled cluster" not in text and "klaster sampel" not in text, (
                edition,
                chapter,
            )


def _a_study_written_in_indonesian_shows_its_own_words_in_both_editions(built):
    study, out, _ = built
    themes = set(study.frames["codebook"]["theme"])
    for edition in ("en", "id"):
        text = _chapter(out, edition, f"qualitative_{study.site}")
        assert all(theme in text for theme in themes), edition
        assert study.short_name in text, edition


PARTICULAR = {
    "bulukumba": _one_coder_and_thirty_two_themes_are_said_as_they_are,
    "balikpapan": _study_years_past_every_public_series_are_named_not_skipped,
    "mataram": _an_imported_project_without_cases_has_one_informant_per_source,
    "padang": _a_census_is_not_called_a_sample,
    "fakfak": _a_study_written_in_indonesian_shows_its_own_words_in_both_editions,
}


def test_what_makes_each_study_unlike_the_others_is_said_truly(built):
    """One coder and 32 themes; years past the series; one informant per source; a census; a
    study in Indonesian only: each is checked where the book speaks of it."""
    PARTICULAR[built[0].site](built)
