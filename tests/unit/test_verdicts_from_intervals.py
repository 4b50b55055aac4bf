"""Verdicts follow intervals and the finding's logic (issue 24, item 4), on small hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.i18n import use_language
from analysis.methods import agreement as agr
from analysis.methods import qualitative as q
from analysis.report import agreement as report_agreement
from analysis.report import findings as report_findings
from analysis.report.labels import Labels

SITE = "s"


@pytest.fixture(autouse=True)
def _english():
    use_language("en")
    yield
    use_language("en")


def _informants(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "informant_id": [f"I{k}" for k in range(n)],
            "site": SITE,
            "role": "resident",
            "consent_quote": True,
        }
    )


def _codebook(logic: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["a", "b", "z"],
            "theme": "strategies",
            "description": ["A", "B", "Z"],
            "label": ["code a", "code b", "code z"],
            "finding": ["F", "F", None],
            "finding_site": [SITE, SITE, None],
            "finding_logic": [logic, logic, None],
        }
    )


def _row(segment, informant, code, coder="C1", source_type="interview"):
    return {
        "segment_id": segment,
        "site": SITE,
        "source_type": source_type,
        "informant_id": informant,
        "code": code,
        "coder": coder,
        "text": f"teks {segment} {code}",
        "gloss_en": "",
    }


# --- "all of" findings --------------------------------------------------------------------------


def _all_of_data():
    """I0 used a and b, I1 only a, I2 only b, I3 neither (z); one document carries a alone."""
    rows = [
        _row("s0", "I0", "a"),
        _row("s1", "I0", "b"),
        _row("s2", "I1", "a"),
        _row("s3", "I2", "b"),
        _row("s4", "I3", "z"),
        _row("d1", None, "a", source_type="document"),
    ]
    return pd.DataFrame(rows), _informants(4)


def test_an_all_of_finding_counts_only_informants_who_used_every_code():
    segments, informants = _all_of_data()
    table = q.findings_table(
        segments, informants, _codebook("all"), site=SITE, reliability=False
    ).set_index("finding")
    assert table.at["F", "logic"] == "all"
    assert table.at["F", "informants"] == 1  # I0 only
    assert table.at["F", "segments"] == 2  # I0's two segments; the document carries a alone
    assert table.at["F", "source_types"] == "interview"
    supporters = q.finding_supporters(segments, informants, _codebook("all"), site=SITE)
    assert supporters["F"].to_dict() == {"I0": True, "I1": False, "I2": False, "I3": False}


def test_an_any_finding_and_an_undeclared_logic_count_anyone_with_one_code():
    segments, informants = _all_of_data()
    for codebook in (
        _codebook("any"),
        _codebook(None),
        _codebook(None).drop(columns="finding_logic"),
    ):
        table = q.findings_table(
            segments, informants, codebook, site=SITE, reliability=False
        ).set_index("finding")
        assert table.at["F", "logic"] == "any"
        assert table.at["F", "informants"] == 3  # I0, I1, I2
        assert table.at["F", "source_types"] == "interview, document"


def test_a_document_supports_an_all_of_finding_only_when_one_segment_carries_every_code():
    segments, informants = _all_of_data()
    both = pd.DataFrame(
        [
            _row("d2", None, "a", source_type="document"),
            _row("d2", None, "b", source_type="document"),
        ]
    )
    table = q.findings_table(
        pd.concat([segments, both]), informants, _codebook("all"), site=SITE, reliability=False
    ).set_index("finding")
    assert table.at["F", "source_types"] == "interview, document"
    assert table.at["F", "informants"] == 1


# --- no interval on shares of informants ---------------------------------------------------------


def test_shares_of_informants_carry_no_interval():
    segments, informants = _all_of_data()
    table = q.findings_table(segments, informants, _codebook("any"), site=SITE, reliability=False)
    frequencies = q.code_frequencies(segments, informants, _codebook("any"))
    for frame in (table, frequencies):
        assert not {"ci_low", "ci_high"} & set(frame.columns)
        assert "share_informants" in frame
    assert table["share_informants"].iloc[0] == pytest.approx(3 / 4)


# --- strong only on codes reliable by their interval's lower bound ------------------------------


def _reliability_data(disagree: int, units: int = 40, seed: int = 1) -> pd.DataFrame:
    """Two coders on ``units`` segments; code a on half of them for C1; C2 differs on ``disagree``."""
    rng = np.random.default_rng(seed)
    c1 = np.zeros(units, dtype=bool)
    c1[rng.choice(units, units // 2, replace=False)] = True
    c2 = c1.copy()
    c2[rng.choice(units, disagree, replace=False)] ^= True
    rows = []
    for k in range(units):
        for coder, has in (("C1", c1[k]), ("C2", c2[k])):
            rows.append(_row(f"s{k}", f"I{k % 10}", "a" if has else "z", coder=coder))
    return pd.DataFrame(rows)


def test_a_code_with_point_alpha_above_0_8_but_lower_bound_below_is_not_reliable_enough():
    segments = _reliability_data(disagree=3)
    intervals = agr.code_alpha_intervals(segments, site=SITE, seed=3, resamples=300)
    a = intervals.set_index("code").loc["a"]
    assert a["alpha"] >= 0.8  # the point estimate alone would say "reliable"
    assert a["alpha_low"] < 0.8 <= a["alpha_high"]
    assert a["verdict"] in ("tentative", "unclear")
    codebook = _codebook("any")
    codebook.loc[1, ["finding", "finding_site"]] = [None, None]  # F rests on code a only
    informants = _informants(10)
    unrated = q.findings_table(segments, informants, codebook, site=SITE, reliability=False)
    rated = q.findings_table(segments, informants, codebook, site=SITE, seed=3, resamples=300)
    assert rated["min_alpha"].iloc[0] == pytest.approx(a["alpha"])
    assert rated["alpha_low"].iloc[0] == pytest.approx(a["alpha_low"])
    # support alone would make it strong if it had two source types; give it a document too
    doc = pd.DataFrame([_row("d1", None, "a", source_type="document")])
    with_doc = pd.concat([segments, doc])
    unrated = q.findings_table(with_doc, informants, codebook, site=SITE, reliability=False)
    assert unrated["verdict"].iloc[0] == "strong"
    rated = q.findings_table(with_doc, informants, codebook, site=SITE, seed=3, resamples=300)
    assert rated["verdict"].iloc[0] == "moderate" and rated["capped"].iloc[0]
    said = report_findings.reliability_text(rated.iloc[0], Labels.of("en"), {})
    assert said.startswith(f"a: alpha {a['alpha']:.2f}") and "at most moderate" in said


def test_a_finding_on_codes_reliable_by_their_lower_bound_stays_strong():
    segments = pd.concat([_reliability_data(disagree=0, units=60)])
    doc = pd.DataFrame([_row("d1", None, "a", source_type="document")])
    codebook = _codebook("any")
    codebook.loc[1, ["finding", "finding_site"]] = [None, None]
    rated = q.findings_table(
        pd.concat([segments, doc]), _informants(10), codebook, site=SITE, seed=3, resamples=200
    )
    assert rated["alpha_low"].iloc[0] == pytest.approx(1.0)
    assert rated["verdict"].iloc[0] == "strong"


def test_one_coder_means_reliability_not_assessed_and_at_most_moderate():
    segments = _reliability_data(disagree=0)
    segments = segments[segments["coder"] == "C1"]
    doc = pd.DataFrame([_row("d1", None, "a", source_type="document")])
    codebook = _codebook("any")
    codebook.loc[1, ["finding", "finding_site"]] = [None, None]
    data = pd.concat([segments, doc])
    assert (
        q.findings_table(data, _informants(10), codebook, site=SITE, reliability=False)[
            "verdict"
        ].iloc[0]
        == "strong"
    )
    rated = q.findings_table(data, _informants(10), codebook, site=SITE)
    assert rated["verdict"].iloc[0] == "moderate"
    assert rated["reliability_status"].iloc[0] == q.ONE_CODER
    row = rated.iloc[0]
    english = report_findings.reliability_text(row, Labels.of("en"), {})
    assert english == "not assessed (one coder): at most moderate"
    assert "tidak dinilai" in report_findings.reliability_text(row, Labels.of("id"), {})


def test_the_per_code_bootstrap_is_seeded():
    segments = _reliability_data(disagree=4)
    one = agr.code_alpha_intervals(segments, site=SITE, seed=11, resamples=100)
    two = agr.code_alpha_intervals(segments, site=SITE, seed=11, resamples=100)
    pd.testing.assert_frame_equal(one, two)


def test_the_per_code_alpha_is_krippendorffs_nominal_alpha():
    import krippendorff

    segments = _reliability_data(disagree=5)
    presence = agr.presence_table(segments)
    expected = krippendorff.alpha(
        reliability_data=presence.xs("a", level="code").to_numpy().T,
        level_of_measurement="nominal",
    )
    got = agr.code_alpha_intervals(segments, site=SITE, resamples=0).set_index("code")
    assert got.at["a", "alpha"] == pytest.approx(expected)
    assert np.isnan(got.at["a", "alpha_low"])  # no resamples, no interval
    assert got.at["a", "verdict"] == "not assessed"


# --- agreement verdicts from intervals ----------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [
        (0.81, 0.95, "reliable"),
        (0.80, 0.90, "reliable"),
        (0.71, 0.89, "tentative"),  # Pakis: point 0.8005, interval 0.71-0.89: not "reliable"
        (0.667, 0.75, "tentative"),
        (0.60, 0.85, "unclear"),
        (0.30, 0.66, "not reliable"),
        (np.nan, np.nan, "not assessed"),
    ],
)
def test_agreement_verdict_comes_from_the_interval(low, high, verdict):
    assert agr.interval_verdict(low, high) == verdict


@settings(max_examples=60, deadline=None)
@given(st.floats(-1, 1), st.floats(0, 1))
def test_a_reliable_interval_never_reaches_below_0_8(low, width):
    high = min(1.0, low + width)
    verdict = agr.interval_verdict(low, high)
    assert (verdict == "reliable") == (low >= 0.8)
    if verdict == "tentative":
        assert 0.667 <= low < 0.8


def test_the_coder_pairs_table_judges_alpha_by_its_interval():
    segments = _reliability_data(disagree=3)
    pairs = agr.coder_pairs_table(segments, site=SITE, seed=5, resamples=300)
    row = pairs.iloc[-1]
    assert row["alpha"] >= 0.8
    assert row["alpha_verdict"] == agr.interval_verdict(
        row["alpha_boot_low"], row["alpha_boot_high"]
    )
    assert row["alpha_verdict"] != "reliable"
    assert row["kappa_verdict"] == agr.interval_verdict(
        row["kappa_boot_low"], row["kappa_boot_high"]
    )


def test_the_agreement_section_judges_alpha_and_kappa_by_their_intervals():
    segments = _reliability_data(disagree=3)
    study = agr.study_agreement(segments, site=SITE, seed=5)
    facts = study.facts()
    parts = report_agreement.agreement_parts(study, SITE, {}, lang="en")
    assert facts["agr_alpha"] >= 0.8  # the point estimate alone would say "reliable"
    assert facts["agr_alpha_boot_low"] < 0.8
    assert facts["agr_alpha_interval_verdict"] == agr.interval_verdict(
        facts["agr_alpha_boot_low"], facts["agr_alpha_boot_high"]
    )
    assert facts["agr_kappa_interval_verdict"] == agr.interval_verdict(
        facts["agr_kappa_boot_low"], facts["agr_kappa_boot_high"]
    )
    assert f'it is "{facts["agr_alpha_interval_verdict"]}"' in parts[0].markdown
    per_code = parts[1].frame
    pooled = per_code.iloc[0]
    assert pooled["alpha_low"] == pytest.approx(facts["agr_alpha_boot_low"])
    assert pooled["kappa_low"] == pytest.approx(facts["agr_kappa_boot_low"])
    assert "reliable" not in set(per_code["alpha_verdict"])
