"""The landing page's summary: each study's findings with their verdicts and support, the income
claim with what the data can say, from results.json and the data (analysis/pipeline/summary.py)."""

from __future__ import annotations

from analysis.pipeline import runner
from analysis.pipeline.summary import summary_markdown
from analysis.project import DATA_DIR

RULES = {"rule_strong_min_informants": 3, "rule_min_share_pct": 25, "rule_min_source_types": 2}
RESULTS = {
    "qualitative-jombang": dict(RULES),
    "synthesis": {
        "finding_jombang_n": 2,
        "finding_jombang_1_code": "strat_top_down",
        "finding_jombang_1_verdict": "moderate",
        "finding_jombang_1_logic": "any",
        "finding_jombang_1_informants": 19,
        "finding_jombang_1_informants_total": 30,
        "finding_jombang_1_source_types": 3,
        "finding_jombang_2_code": "strat_priority_food",
        "finding_jombang_2_verdict": "not supported",
        "finding_jombang_2_logic": "all",
        "finding_jombang_2_informants": 0,
        "finding_jombang_2_informants_total": 30,
        "finding_jombang_2_source_types": 0,
        "finding_pakis_n": 0,
    },
    "income-pakis": {
        "n": 9,
        "mean_pct_change": 40.09,
        "pct_t_ci95_low": 29.9,
        "pct_t_ci95_high": 50.3,
    },
}


def test_each_study_gets_its_findings_verdicts_support_and_links():
    text = summary_markdown(DATA_DIR, RESULTS, runner.load_runs(), "en")
    assert "**Jombang** (illustrative data)" in text
    assert (
        "planning" in text.lower()
        and "**moderate** (19 of 30 informants, 3 kinds of source)" in text
    )
    assert "**not supported** (0 of 30 informants, 0 kinds of source; all of its parts" in text
    assert "{doc}`interviews and codings </book/chapters/qualitative_jombang>`" in text
    assert "at least 3 informants (25" in text


def test_an_illustrative_income_claim_is_not_called_tested():
    text = summary_markdown(DATA_DIR, RESULTS, runner.load_runs(), "en")
    pakis = text[text.index("**Kelurahan Pakis**") :]
    assert "Not testable here" in pakis and "by construction" in pakis
    assert "35 to 45" in pakis


def test_the_summary_is_written_in_the_editions_language():
    text = summary_markdown(DATA_DIR, RESULTS, runner.load_runs(), "id")
    assert "(data ilustratif)" in text and "**sedang**" in text
    assert "informants" not in text
