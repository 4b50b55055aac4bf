"""What the chapters say when the data cannot fill a display, and the design-weighted shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import registry
from analysis.data.loading import load, load_optional
from analysis.methods import narrative, sampling
from analysis.methods import qualitative as q
from analysis.project import DATA_DIR

JOMBANG = registry.study(DATA_DIR, "jombang")
PAKIS = registry.study(DATA_DIR, "pakis")


def _households(years=(2015, 2017)) -> pd.DataFrame:
    frame = load(DATA_DIR, "households")
    frame = frame[frame["site"] == "pakis"].reset_index(drop=True)
    return frame.assign(year_before=years[0], year_after=years[1])


def test_segments_without_informants_leave_the_informant_code_matrix_out_with_a_sentence():
    segments, informants, codebook = (
        load(DATA_DIR, k) for k in ("segments", "informants", "codebook")
    )
    counted = q.primary_codings(segments[segments["site"] == "pakis"].drop(columns="informant_id"))
    parts = narrative.informant_matrix_parts(counted, informants, codebook)
    assert parts == [parts[0]] and "no informant" in parts[0].lower()
    with_ids = q.primary_codings(segments[segments["site"] == "pakis"])
    assert narrative.informant_matrix_parts(with_ids, informants, codebook)[0][0] == "figure"


def test_finding_supporters_count_what_the_findings_table_counts():
    segments, informants, codebook = (
        load(DATA_DIR, k) for k in ("segments", "informants", "codebook")
    )
    counted = q.primary_codings(segments[segments["site"] == "jombang"])
    support = q.finding_supporters(counted, informants, codebook, site="jombang")
    table = q.findings_table(counted, informants, codebook, site="jombang", reliability=False)
    assert support.sum().to_dict() == table.set_index("finding")["informants"].to_dict()
    assert len(support) == (informants["site"] == "jombang").sum()


def test_design_weighted_shares_weight_the_drawn_informants_by_one_over_pi():
    segments, informants, codebook = (
        load(DATA_DIR, k) for k in ("segments", "informants", "codebook")
    )
    informants = informants[informants["site"] == "jombang"]
    counted = q.primary_codings(segments[segments["site"] == "jombang"])
    frame = load_optional(DATA_DIR, "sampling_frame")
    parts, facts = narrative.weighted_share_parts(JOMBANG, frame, informants, counted, codebook)
    table = next(p[1] for p in parts if isinstance(p, tuple)).set_index("finding")
    # independent: the Hajek ratio by hand from the redrawn sample's pi
    drawn, _, _ = narrative.redrawn_sample(JOMBANG, frame)
    pi = drawn.sample.groupby(["cluster", "stratum"])["pi"].first()
    units = informants.dropna(subset=["cluster"])
    units = units[[(c, r) in pi.index for c, r in zip(units["cluster"], units["role"])]]
    weights = np.array([1 / pi[(c, r)] for c, r in zip(units["cluster"], units["role"])])
    support = q.finding_supporters(counted, informants, codebook, site="jombang")
    for finding in support.columns:
        y = units["informant_id"].map(support[finding]).to_numpy(dtype=float)
        assert table.loc[finding, "design-weighted share (%)"] == pytest.approx(
            100 * (weights * y).sum() / weights.sum()
        )
    assert facts["weighted_drawn_informants"] == len(units)
    assert facts["weighted_purposive_informants"] == len(informants) - len(units)
    assert any("purposively" in p for p in parts if isinstance(p, str))
    assert any("self-weighting" in p for p in parts if isinstance(p, str))


def test_a_purposive_study_has_no_design_weighted_section():
    assert narrative.weighted_share_parts(PAKIS, None, pd.DataFrame(), None, None) == ([], {})


def test_a_two_stage_study_without_a_frame_says_why_there_are_no_weights():
    parts, facts = narrative.weighted_share_parts(JOMBANG, None, pd.DataFrame(), None, None)
    assert len(parts) == 2 and "no sampling frame" in parts[1] and facts == {}


def test_informant_inclusion_gives_no_pi_to_informants_outside_the_draw():
    frame = load_optional(DATA_DIR, "sampling_frame")
    drawn, _, _ = narrative.redrawn_sample(JOMBANG, frame)
    informants = load(DATA_DIR, "informants")
    informants = informants[informants["site"] == "jombang"]
    weighted = sampling.informant_inclusion(drawn, informants)
    assert weighted.loc[weighted["cluster"].isna(), "pi"].isna().all()
    assert (weighted["pi"].dropna().between(0, 1)).all()


def test_the_findings_table_shows_the_verdict_before_the_long_reliability_note():
    columns = narrative.FINDING_COLUMNS
    assert columns.index("verdict") == 1 and columns[-1] == "reliability"


def test_agreement_tables_show_the_columns_a_reader_needs_with_shares_in_percent():
    assert narrative.AGREEMENT_COLUMNS[-1] == "alpha_verdict"
    assert "units" not in narrative.AGREEMENT_COLUMNS + narrative.PAIR_COLUMNS
    assert narrative.AGREEMENT_FORMATS["prevalence"] == "share"


@pytest.mark.parametrize(
    "sampled, said, unsaid",
    [(True, "from 4 sampled clusters", " in 4 clusters"), (False, " in 4 clusters", "sampled")],
)
def test_clusters_are_called_sampled_only_when_the_study_drew_them(sampled, said, unsaid):
    """A census or a purposive study has clusters, not a sample of them (issue 21)."""
    from types import SimpleNamespace

    numbers = {
        "s_officials": 1,
        "s_residents": 20,
        "s_staff": 0,
        "s_clusters": 4,
        "s_sampled": sampled,
        "s_households": 0,
        "s_programmes": 1,
        "s_informants": 21,
    }
    from analysis.report import synthesis as report

    text = report.data_text(
        SimpleNamespace(numbers=numbers, labels={"s": "Pasie Nan Tigo"}), "field", lang="en"
    )
    assert said in text and unsaid not in text
