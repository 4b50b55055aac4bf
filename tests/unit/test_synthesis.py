"""Cross-site synthesis: the two studies side by side and the support of every finding."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.data.loading import load
from analysis.illustrative.households import generate_households
from analysis.illustrative.qualitative import generate_qualitative
from analysis.methods import agreement, income
from analysis.methods import qualitative as q
from analysis.methods import synthesis as sy
from analysis.project import PROJECT_ROOT
from analysis.report import synthesis as report

matplotlib.use("Agg")

#: The shipped registry: order, short names, designs and claims of the two studies.
STUDIES = load(PROJECT_ROOT / "data", "studies")
LABELS = {"jombang": "Jombang", "pakis": "Kelurahan Pakis"}

CPI = pd.DataFrame(
    [
        ("00", year, "cpi_inflation_dec_on_dec", value)
        for year, value in ((2013, 8.38), (2014, 8.36), (2015, 3.35), (2016, 3.02), (2017, 3.61))
    ],
    columns=["area_code", "year", "indicator", "value"],
)


@pytest.fixture(scope="module")
def illustrative():
    data = generate_qualitative(20170301)
    return {**data, "households": generate_households(20170801)}


@pytest.fixture(scope="module")
def synthesis_result(illustrative):
    d = illustrative
    return sy.synthesise(
        d["segments"],
        d["informants"],
        d["codebook"],
        d["programmes"],
        d["households"],
        CPI,
        studies=STUDIES,
        edition="illustrative",
    )


def _small():
    """Two sites, two coders; Y's codings of S1 must never count (X coded every segment)."""
    informants = pd.DataFrame(
        {
            "informant_id": ["J1", "J2", "J3", "P1", "P2", "S1"],
            "site": ["jombang", "jombang", "jombang", "pakis", "pakis", "pakis"],
            "role": [
                "regency_official",
                "kelurahan_official",
                "resident",
                "resident",
                "resident",
                "kelurahan_staff",
            ],
            "cluster": [None, "K1", "K1", None, None, None],
            "consent_quote": True,
            "informant_type": [None, None, None, "core", "core", "additional"],
        }
    )
    codebook = pd.DataFrame(
        {
            "code": ["top", "income", "other"],
            "theme": ["strategies", "outcomes", "meaning"],
            "description": "",
            "label": ["top-down", "income rose", "other"],
            "finding": ["Planning is still top-down", "Household income rose after P2KP", None],
            "finding_site": ["jombang", "pakis", None],
        }
    )
    rows = [  # segment, site, source type, informant, code, coder
        ("S1", "jombang", "interview", "J1", "top", "X"),
        ("S1", "jombang", "interview", "J1", "other", "Y"),
        ("S2", "jombang", "interview", "J2", "top", "X"),
        ("S3", "jombang", "interview", "J3", "other", "X"),
        ("S3", "jombang", "interview", "J3", "top", "Y"),
        ("S4", "jombang", "document", None, "top", "X"),
        ("S5", "pakis", "interview", "P1", "income", "X"),
        ("S6", "pakis", "interview", "P2", "income", "X"),
        ("S7", "pakis", "observation", None, "income", "X"),
    ]
    segments = pd.DataFrame(
        rows, columns=["segment_id", "site", "source_type", "informant_id", "code", "coder"]
    )
    segments["source_id"] = segments["segment_id"]
    segments["text"] = "teks"
    programmes = pd.DataFrame(
        {
            "site": ["jombang", "jombang", "pakis"],
            "programme": ["A", "B", "P2KP"],
            "level": ["central", "regency", "central"],
            "sector": ["health", "food", "economy"],
            "instrument": ["health insurance", "direct aid", "revolving credit"],
            "planning": ["top-down", "top-down", "mixed"],
            "target": "poor",
            "source": "study",
            "regency_innovation": [False, True, False],
        }
    )
    return segments, informants, codebook, programmes


def _check(verdicts, basis="field data"):
    claims = [
        "Mean income increase of 35-45 %",
        "Mean income increase in Rupiah of Rp 300,000-500,000",
        "9 core informants (residents) and 2 additional (kelurahan staff)",
        "Revolving credit used as working capital: raw materials and equipment",
    ]
    kinds = ["income", "income", "design", "design"]
    return pd.DataFrame(
        {
            "site": "pakis",
            "claim": claims,
            "kind": kinds,
            "prices": ["nominal", "nominal", "", ""],
            "published": "",
            "data": "",
            "verdict": verdicts,
            "basis": basis,
        }
    )


# --- published designs --------------------------------------------------------------------------


def test_design_table_puts_the_published_designs_of_the_registry_side_by_side():
    table = report.design_frame(sy.design_table(STUDIES), lang="en")
    assert list(table.columns) == ["aspect", "Jombang", "Kelurahan Pakis"]
    row = table.set_index("aspect")
    assert row.loc["informants chosen", "Jombang"] == "two-stage cluster"
    pakis = STUDIES.set_index("site").loc["pakis"]
    assert f"{pakis['claim_informants_core']} core" in row.loc["design", "Kelurahan Pakis"]
    low, high = pakis["claim_pct_low"], pakis["claim_pct_high"]
    assert f"{low:.0f}-{high:.0f} %" in row.loc["what it reports", "Kelurahan Pakis"]
    assert row.loc["year", "Jombang"] == "not recorded"  # an empty registry cell says so


# --- what the data hold -------------------------------------------------------------------------


def test_informant_counts_follow_the_role_order_per_site_with_a_total_row():
    _, informants, _, _ = _small()
    counts = sy.informant_counts(informants).set_index("role")
    assert list(counts.index) == [
        "regency_official",
        "kelurahan_official",
        "resident",
        "kelurahan_staff",
        "all informants",
    ]
    assert counts.loc["resident"].tolist() == [1, 2]
    assert counts.loc["all informants"].tolist() == [3, 3]


def test_evidence_table_counts_segments_once_by_source_type_and_says_none_where_a_site_has_no_incomes():
    segments, informants, _, programmes = _small()
    households = generate_households(3)
    held = sy.data_held(segments, informants, programmes, households, sites_labels=LABELS)
    table = report.evidence_frame(held, LABELS, lang="en").set_index("aspect")
    assert table.loc["coded segments", "Jombang"] == "4: 3 interview, 1 document"
    assert table.loc["informants", "Kelurahan Pakis"] == "3: 2 residents, 1 kelurahan staff"
    assert table.loc["household incomes", "Jombang"] == "none"
    assert table.loc["household incomes", "Kelurahan Pakis"].startswith(
        f"{len(households)} households"
    )
    assert table.loc["programmes (inventory)", "Jombang"] == "2: 1 central, 1 regency"
    assert table.loc["planning", "Kelurahan Pakis"] == "1 mixed"


def test_programme_summary_counts_levels_instruments_and_regency_innovations_from_the_inventory():
    _, _, _, programmes = _small()
    summary = sy.programme_summary(programmes).set_index("site")
    assert summary.loc["jombang", "programmes"] == 2
    assert set(summary.loc["jombang", "instruments"]) == {
        "health insurance",
        "direct aid",
    }
    assert (
        summary.loc["jombang", "regency_innovations"] == 1
        and summary.loc["pakis", "regency_innovations"] == 0
    )


def test_agreement_is_reported_as_not_computed_when_no_segment_was_coded_twice():
    segments, _, _, _ = _small()
    numbers = sy.agreement_numbers(segments, "pakis")
    assert numbers["alpha"] is None and numbers["problem"]
    assert "not computed" in report.agreement_words(numbers, lang="en")


def test_why_agreement_was_not_computed_is_said_in_the_editions_language():
    segments, _, _, _ = _small()
    numbers = sy.agreement_numbers(segments, "pakis")
    assert numbers["problem"] == agreement.NEEDS_TWO_CODERS  # a code of the methods
    indonesian = report.agreement_words(numbers, lang="id")
    assert "kesepakatan antarkoder membutuhkan sedikitnya dua koder" in indonesian
    assert numbers["problem"] not in indonesian  # the code, not its English wording


# --- support for each finding -------------------------------------------------------------------


def test_short_labels_replace_known_findings_and_cut_unknown_ones_at_a_word_boundary():
    assert report.short_finding("Planning is still top-down", lang="en") == "planning is top-down"
    long = "A finding nobody has seen before that goes on and on about many things"
    label = report.short_finding(long, lang="en")
    assert len(label) <= 42 and label.endswith("…") and long.startswith(label[:-1])


def test_households_text_counts_the_string_false_as_not_a_recipient():
    households = pd.DataFrame(
        {
            "site": "pakis",
            "recipient": ["true", "false", "false"],
            "year_before": 2015,
            "year_after": 2017,
        }
    )
    assert sy._households_held(households, "pakis")["recipients"] == 1


def test_income_claims_are_linked_to_the_finding_they_bear_on():
    findings = [
        "Household income rose after P2KP",
        "Revolving credit is used as working capital: raw materials",
    ]
    assert sy.claim_finding("Mean income increase of 35-45 %", findings) == findings[0]
    assert (
        sy.claim_finding(
            "Revolving credit used as working capital: raw materials and equipment", findings
        )
        == findings[1]
    )
    assert sy.claim_finding("9 core informants (residents) and 2 additional", findings) is None


def test_support_table_attaches_income_claims_to_the_income_finding_and_marks_construction():
    segments, informants, codebook, _ = _small()
    findings = {
        s: q.findings_table(segments, informants, codebook, site=s) for s in ("jombang", "pakis")
    }
    support = sy.support_table(
        findings, _check([income.BY_CONSTRUCTION] * 4, basis="by construction: generated")
    )
    income_row = support[support["finding"] == "Household income rose after P2KP"].iloc[0]
    assert income_row["site"] == "pakis"
    # the sentence above the table says why, once; each row its code word
    assert report.household_check_text(income_row["household_check"], lang="en") == (
        "by construction"
    )
    assert (
        income_row["verdict"]
        == findings["pakis"].set_index("finding").loc[income_row["finding"], "verdict"]
    )
    # the credit-use claim has no finding here: a row of its own; the informant claim is a design fact, no row
    assert support["finding"].str.startswith("Revolving credit used").sum() == 1
    assert not support["finding"].str.contains("core informants").any()
    assert list(support["site"]) == sorted(support["site"], key=["jombang", "pakis"].index)


def test_support_table_without_field_construction_does_not_say_by_construction():
    segments, informants, codebook, _ = _small()
    findings = {"pakis": q.findings_table(segments, informants, codebook, site="pakis")}
    support = sy.support_table(
        findings, _check(["inconclusive", "consistent", "consistent", "consistent"])
    )
    check = support.loc[
        support["finding"] == "Household income rose after P2KP", "household_check"
    ].item()
    assert report.household_check_text(check, lang="en") == "1 consistent, 1 inconclusive"


def test_support_table_keeps_the_reliability_of_each_finding_as_codes_the_report_words(
    synthesis_result,
):
    from analysis.methods import findings
    from analysis.report.findings import reliability_text
    from analysis.report.labels import Labels

    support = synthesis_result.support
    rated = support[support["verdict"].isin(sy.VERDICTS)]
    assert "reliability" not in support  # no text in the methods' results
    assert set(sy.RELIABILITY_COLUMNS) <= set(support.columns)
    statuses = {findings.ASSESSED, findings.ONE_CODER, findings.NO_DOUBLE_CODING}
    assert set(rated["reliability_status"]) <= statuses | {findings.NOT_ASSESSED}
    row = rated[rated["reliability_status"] == findings.ASSESSED].iloc[0]
    text = reliability_text(row, Labels.of("en"), {})
    assert text.startswith(f"{row['weakest_code']}: alpha ")


def test_the_synthesis_words_pass_the_language_and_never_switch_the_global():
    import ast

    source = (PROJECT_ROOT / "analysis" / "report" / "synthesis.py").read_text(encoding="utf-8")
    names = {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name | ast.Attribute)
    }
    imported = {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not ({"in_language", "use_language"} & (names | imported))


def test_summary_table_fits_a_page_with_few_short_columns(synthesis_result):
    table = report.summary_frame(synthesis_result.support, synthesis_result.labels, lang="en")
    assert list(table.columns) == [
        "site",
        "finding",
        "informants",
        "segments",
        "sources",
        "verdict",
        "household data",
    ]
    assert table.map(lambda v: len(str(v))).to_numpy().max() <= 60
    support = synthesis_result.support
    first = support.iloc[0]
    assert table.loc[0, "informants"] == f"{first['informants']}/{first['informants_total']}"


def test_verdict_counts_tally_the_verdicts_of_each_site():
    support = pd.DataFrame(
        {"site": ["jombang", "jombang", "pakis"], "verdict": ["strong", "weak", "strong"]}
    )
    counts = sy.verdict_counts(support)
    assert list(counts.index) == list(sy.VERDICTS)
    assert counts.loc["strong"].tolist() == [1, 1] and counts.loc["weak"].tolist() == [1, 0]


def test_support_by_role_counts_primary_codings_only():
    segments, informants, codebook, _ = _small()
    by_role = sy.support_by_role(
        segments, informants, codebook, site="jombang", finding="Planning is still top-down"
    )
    by_role = by_role.set_index("role")
    assert (
        by_role.loc["regency_official", "informants"] == 1
        and by_role.loc["kelurahan_official", "informants"] == 1
    )
    # J3's "top" coding is coder Y's; X, the primary coder, coded S3 as "other": J3 does not count
    assert (
        by_role.loc["resident", "informants"] == 0
        and by_role.loc["resident", "informants_total"] == 1
    )
    assert by_role["government"].tolist() == [True, True, False]


def test_the_top_down_finding_is_found_by_its_wording():
    _, _, codebook, _ = _small()
    assert sy.top_down_finding(codebook, "jombang") == "Planning is still top-down"
    assert sy.top_down_finding(codebook.drop(columns="finding"), "jombang") is None


# --- the whole comparison on the illustrative data ----------------------------------------------


def test_synthesis_numbers_agree_with_the_findings_tables_and_the_income_estimate(
    illustrative, synthesis_result
):
    d, numbers = illustrative, synthesis_result.to_dict()
    for site in ("jombang", "pakis"):
        table = q.findings_table(d["segments"], d["informants"], d["codebook"], site=site)
        assert numbers[f"{site}_findings"] == len(table)
        assert numbers[f"{site}_strong"] == int((table["verdict"] == "strong").sum())
        assert numbers[f"{site}_informants"] == int((d["informants"]["site"] == site).sum())
    estimate = income.income_change(
        d["households"][d["households"]["site"] == "pakis"], bootstrap_resamples=0
    )
    assert numbers["households"] == estimate.n
    assert numbers["pakis_mean_pct_change"] == pytest.approx(estimate.mean_pct_change)
    assert numbers["claims_by_construction"] is True
    assert "claims_reproduced" not in numbers and numbers["income_claims_tested"] == 0
    assert "income_claims_text" not in numbers  # words, not a number: the report says it
    said = report.income_claims_text(synthesis_result.check, synthesis_result.edition, lang="en")
    assert "not testable" in said


def test_synthesis_numbers_are_plain_python_values_for_glue(synthesis_result):
    for key, value in synthesis_result.to_dict().items():
        assert value is None or type(value) in (int, float, str, bool), (key, type(value))


def test_real_income_change_is_smaller_than_nominal_when_prices_rose(synthesis_result):
    numbers = synthesis_result.to_dict()
    assert numbers["pakis_real_mean_pct_change"] < numbers["pakis_mean_pct_change"]


def test_top_down_support_splits_into_government_and_residents(synthesis_result):
    n = synthesis_result.to_dict()
    by_role = synthesis_result.top_down_by_role
    assert n["top_down_supporters"] == n["top_down_government"] + n["top_down_residents"]
    assert n["top_down_government_total"] == int(
        by_role.loc[by_role["government"], "informants_total"].sum()
    )
    assert n["top_down_government_pct"] == pytest.approx(
        100 * n["top_down_government"] / n["top_down_supporters"]
    )


def test_field_edition_is_not_said_to_agree_by_construction(illustrative):
    d = illustrative
    result = sy.synthesise(
        d["segments"],
        d["informants"],
        d["codebook"],
        d["programmes"],
        d["households"],
        studies=STUDIES.assign(data_kind="field"),  # the registry declares these rows field data
        edition="field",
    )
    assert result.to_dict()["claims_by_construction"] is False
    numbers = result.to_dict()
    # only the two income claims count (nominal; no price series given), not informants or credit use
    assert numbers["income_claims_tested"] == 2 and numbers["pakis_income_claims_tested"] == 2
    said = report.income_claims_text(result.check, result.edition, lang="en")
    assert "of 2 income claim checks on field data" in said
    assert numbers["pakis_real_mean_pct_change"] is None  # no price series given
    assert not result.support["household_check"].eq(income.BY_CONSTRUCTION).any()


def test_a_study_declared_illustrative_stays_by_construction_whatever_the_file_edition(
    illustrative,
):
    d = illustrative
    result = sy.synthesise(
        d["segments"],
        d["informants"],
        d["codebook"],
        d["programmes"],
        d["households"],
        studies=STUDIES,  # data_kind: illustrative, as shipped
        edition="field",  # e.g. a folder whose files changed when a field study was added
    )
    assert result.to_dict()["claims_by_construction"] is True


def test_a_codebook_without_findings_and_unusable_incomes_give_notes_not_errors(illustrative):
    d = illustrative
    households = d["households"].copy()
    households["income_before"] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sy.synthesise(
            d["segments"],
            d["informants"],
            d["codebook"].drop(columns=["finding", "finding_site"]),
            d["programmes"],
            households,
            studies=STUDIES,
            edition="field",
        )
    assert result.support.empty and result.check.empty
    notes = report.note_texts(result, lang="en")
    assert any("no findings table" in note for note in notes)
    assert any("income change not estimable" in note for note in notes)
    assert result.to_dict()["income_claims_tested"] == 0


def test_support_figure_has_a_panel_per_site_with_labelled_axes_and_no_warnings(synthesis_result):
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = report.plot_support(
            synthesis_result.support,
            data_edition="illustrative",
            sites_labels=synthesis_result.labels,
            lang="en",
        )
    axes = fig.get_axes()
    try:
        assert [ax.get_title().split(" (")[0] for ax in axes] == ["Jombang", "Kelurahan Pakis"]
        assert "informants" in axes[-1].get_xlabel() and "%" in axes[-1].get_xlabel()
        assert "illustrative" in fig._suptitle.get_text()
        n_findings = synthesis_result.support["verdict"].isin(sy.VERDICTS).sum()
        assert sum(len(ax.get_yticks()) for ax in axes) == n_findings
    finally:
        plt.close(fig)
    assert np.isfinite(synthesis_result.support["share_informants"].astype(float)).all()


def test_a_study_with_comparison_households_is_not_said_to_have_none(illustrative):
    d = illustrative
    recipients = d["households"]
    others = recipients.head(3).assign(
        household_id=["PKS-C01", "PKS-C02", "PKS-C03"], recipient=False
    )
    households = pd.concat([recipients, others], ignore_index=True)
    result = sy.synthesise(
        d["segments"],
        d["informants"],
        d["codebook"],
        d["programmes"],
        households,
        studies=STUDIES,
        edition="illustrative",
    )
    assert result.numbers["pakis_comparison_households"] == 3
    assert result.numbers["jombang_comparison_households"] == 0
    text = " ".join(
        p.markdown
        for p in report.limits(result, data_edition="illustrative", lang="en")
        if hasattr(p, "markdown")
    )
    assert "the data also hold 3 households that did not receive the programme" in text
    assert "without comparable households" not in text
    alone = sy.synthesise(
        d["segments"],
        d["informants"],
        d["codebook"],
        d["programmes"],
        recipients,
        studies=STUDIES,
        edition="illustrative",
    )
    text = " ".join(
        p.markdown
        for p in report.limits(alone, data_edition="illustrative", lang="en")
        if hasattr(p, "markdown")
    )
    assert "without comparable households that did not receive the programme" in text


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_support_figure_says_each_studys_verdict_counts_in_its_alt_text(synthesis_result, lang):
    part = report.support_figure(synthesis_result, data_edition="illustrative", lang=lang)
    d = synthesis_result.numbers
    for site, label in synthesis_result.labels.items():
        assert f"{label}: {d[f'{site}_findings']} " in part.alt
    assert "25 %" in part.alt  # the share a strong verdict needs


def test_finding_records_give_each_findings_code_verdict_and_support_without_claim_rows():
    import pandas as pd

    support = pd.DataFrame(
        {
            "site": ["a", "a", "a", "b"],
            # findings named by their ids (their first code), as synthesise names them
            "finding": ["top", "An income claim", "x", "r"],
            "logic": ["any", None, "all", "any"],
            "informants": [5, None, 1, 3],
            "informants_total": [9, None, 9, 4],
            "n_source_types": [2, None, 1, 1],
            "verdict": ["moderate", "", "weak", "not supported"],
        }
    )
    codebook = pd.DataFrame(
        {
            "code": ["top", "top2", "x", "y", "r"],
            "finding": [
                "Planning is top-down",
                "Planning is top-down",
                "Both at once",
                None,
                "Rises",
            ],
            "finding_site": ["a", "a", "a", None, "b"],
        }
    )
    records = sy.finding_records(support, codebook)
    assert records["finding_a_n"] == 2 and records["finding_b_n"] == 1
    assert records["finding_a_1_code"] == "top" and records["finding_a_1_verdict"] == "moderate"
    assert records["finding_a_2_code"] == "x" and records["finding_a_2_logic"] == "all"
    assert records["finding_a_2_informants"] == 1 and records["finding_a_2_informants_total"] == 9
    assert records["finding_b_1_verdict"] == "not supported"
    assert not any("claim" in str(v) for v in records.values())


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
        SimpleNamespace(numbers=numbers, labels={"s": "Pasie Nan Tigo"}),
        data_edition="field",
        lang="en",
    )
    assert said in text and unsaid not in text


def test_the_synthesis_computed_once_is_named_in_each_editions_words(
    illustrative, synthesis_result
):
    """The synthesis chapter is executed once for both editions: the results name findings by
    their ids, and ``report.in_edition`` gives each edition its words and study names, every
    number unchanged (issue 22)."""
    result = synthesis_result
    codes = set(illustrative["codebook"]["code"])
    findings = result.support.loc[result.support["verdict"] != "", "finding"]
    assert len(findings) and set(findings) <= codes
    indonesian = load(PROJECT_ROOT / "data", "codebook", "id")
    programmes = load(PROJECT_ROOT / "data", "programmes", "id")
    shown = report.in_edition(result, STUDIES, indonesian, programmes, lang="id")
    named = shown.support.loc[shown.support["verdict"] != "", "finding"]
    assert set(named) <= set(indonesian["finding"].dropna()) and not set(named) & codes
    assert shown.numbers == result.numbers
    pd.testing.assert_frame_equal(
        shown.support.drop(columns="finding"), result.support.drop(columns="finding")
    )
    assert "Kemiskinan dipahami sebagai masalah multidimensional" in set(named)


def test_the_synthesis_gives_the_alpha_interval_the_qualitative_chapter_prints(illustrative):
    """One seed, one bootstrap: the synthesis's alpha interval is the chapter's, not a shorter
    bootstrap's (it said 0.80-0.91 where the chapter said 0.80-0.92)."""
    segments = illustrative["segments"]
    numbers = sy.agreement_numbers(segments, "pakis", seed=agreement.AGREEMENT_SEED)
    chapter = agreement.study_agreement(segments, site="pakis", seed=agreement.AGREEMENT_SEED)
    assert numbers["low"] == chapter.intervals["alpha_boot_low"]
    assert numbers["high"] == chapter.intervals["alpha_boot_high"]


def test_the_lowest_officials_are_named_by_the_unit_their_drawn_clusters_are():
    data = PROJECT_ROOT / "data"
    frame = load(data, "sampling_frame")
    synth = sy.synthesise(
        load(data, "segments"),
        load(data, "informants"),
        load(data, "codebook"),
        load(data, "programmes"),
        studies=STUDIES,
        sampling_frame=frame,
    )
    drawn = frame[frame["site"] == "jombang"]
    assert synth.official_units["jombang"] == "desa"  # every drawn cluster of Jombang is a desa
    assert set(drawn["cluster_type"]) >= {"desa"}
    held = report.evidence_frame(
        synth.held, synth.labels, lang="en", official_units=synth.official_units
    )
    jombang = held.iloc[0]["Jombang"]
    assert "5 desa officials" in jombang and "kelurahan official" not in jombang
    roles = report.role_frame(synth.top_down_by_role, lang="en", official_unit="desa")
    assert "desa official" in set(roles["role"]) and "kelurahan official" not in set(roles["role"])


def test_the_synthesis_quotes_the_income_chapters_primary_test_against_prices(synthesis_result):
    from analysis.methods.income import prices, primary

    households = generate_households(20170801)
    rows = households[households["site"] == "pakis"]
    real, _, _ = prices.real_terms(rows, CPI, seed=1)
    test = primary.primary_test(rows, real)
    quoted = synthesis_result.primary["pakis"]
    assert quoted.null == primary.KEPT_PACE_WITH_PRICES
    assert (quoted.ci95_low, quoted.ci95_high) == (test.ci95_low, test.ci95_high)
    limits = " ".join(
        getattr(p, "markdown", "")
        for p in report.limits(synthesis_result, data_edition="x", lang="en")
    )
    assert "Deflated to real Rupiah of" in limits and "paired t 95 % interval" not in limits
    assert synthesis_result.numbers["pakis_primary_ci95_low"] == test.ci95_low


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        (
            {
                "income_claims_tested": 1,
                "income_claims_consistent": 0,
                "income_claims_inconclusive": 1,
            },
            "the income claim check on field data (x) is inconclusive",
        ),
        (
            {"income_claims_tested": 1, "income_claims_consistent": 1},
            "the income claim check on field data (x) is consistent with the published range",
        ),
        ({"income_claims_tested": 0}, "no income claim could be tested on field data (x)"),
        (
            {
                "income_claims_tested": 3,
                "income_claims_consistent": 1,
                "income_claims_inconsistent": 0,
                "income_claims_inconclusive": 2,
            },
            "of 3 income claim checks on field data (x): 1 consistent with the published range, "
            "0 inconsistent, 2 inconclusive",
        ),
    ],
)
def test_income_claim_counts_of_zero_and_one_read_as_sentences(counts, said):
    from analysis.report.words import Words

    assert report._tested_claims_text(Words("en"), counts, "x") == said


def test_one_illustrative_income_claim_check_is_singular():
    check = pd.DataFrame(
        {"kind": [income.INCOME_CLAIM], "verdict": [income.BY_CONSTRUCTION], "prices": ["nominal"]}
    )
    said = report.income_claims_text(check, "illustrative", lang="en")
    assert said.startswith("the income claim check (nominal only) is not testable")
