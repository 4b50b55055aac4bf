"""Sentences about coders are true for any number of them, in both editions.

One coder: no "1 coders", no "the other coders' codings", and the chapter says that agreement
between coders cannot be computed, in the edition's language (the issue found "agreement needs at
least two coders" in English in the Indonesian edition). Zero counts: an indicator nobody named
is never "the indicator named by most informants (0 of 11)".
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.literal import markdown_literal
from analysis.methods import agreement as agr
from analysis.methods import qualitative as q
from analysis.report import agreement as report_agreement
from analysis.report import findings as report_findings
from analysis.report import qualitative as report
from analysis.report.parts import Table, Text
from analysis.report.words import Words
from support.strategies import StudyShape, scaled_dataset

SITE = "study-x"


def _study(coders: int) -> dict[str, pd.DataFrame]:
    return scaled_dataset(
        StudyShape.extreme("min", coders=coders, codes=12, informants=6, segments=60, seed=5),
        SITE,
    )


def test_one_coder_is_one_coder_and_agreement_is_said_to_be_impossible():
    segments = _study(1)["segments"]
    coder = segments["coder"].iloc[0]
    text = report.coders_text(segments, Words("en"))
    assert text.startswith(f"One coder, {markdown_literal(coder)}, coded every segment")
    assert "agreement between coders cannot be computed" in text
    assert "1 coders" not in text and "other coders" not in text


@pytest.mark.parametrize("coders", [2, 3, 10])
def test_several_coders_are_counted_and_the_primary_named(coders):
    segments = _study(coders)["segments"]
    text = report.coders_text(segments, Words("en"))
    assert text.startswith(f"{coders} coders coded segments. **Every count in this chapter")
    primary = markdown_literal(q.primary_coder(segments))  # a coder's name is data, not markup
    assert f"**, {primary}: the coder who coded the most" in text
    assert "The other coders' codings serve the agreement statistics" in text


def test_the_coder_sentences_are_indonesian_in_the_indonesian_edition():
    one = report.coders_text(_study(1)["segments"], Words("id"))
    three = report.coders_text(_study(3)["segments"], Words("id"))
    assert one.startswith("Satu koder, ") and "kesepakatan antarkoder tidak dapat dihitung" in one
    assert three.startswith("Sebanyak 3 koder mengode segmen. **Setiap hitungan")


def test_no_segments_no_sentence():
    assert report.coders_text(_study(1)["segments"].iloc[0:0], Words("en")) == ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This study has one coder, so agreement between coders cannot be computed"),
        ("id", "Penelitian ini hanya memiliki satu koder, sehingga kesepakatan antarkoder"),
    ],
)
def test_the_agreement_section_of_a_one_coder_study_says_why_in_the_editions_language(
    lang, expected
):
    segments = _study(1)["segments"]
    study = agr.study_agreement(segments, site=SITE)
    parts = report_agreement.agreement_parts(study, SITE, {}, lang=lang)
    assert study.facts() == {"agr_computable": False}
    assert report_agreement.recorded_words(study, lang=lang) == {}
    assert parts[0].markdown.startswith(expected)
    assert "needs at least two coders" not in parts[0].markdown


def test_agreement_errors_are_codes_the_report_says_in_the_editions_language():
    segments = _study(1)["segments"]
    with pytest.raises(ValueError, match=agr.NEEDS_TWO_CODERS):
        agr.agreement(segments, site=SITE)
    with pytest.raises(ValueError, match="agreement needs at least two coders"):
        agr.coder_pairs_table(segments, site=SITE)
    said = report_agreement.word(agr.NEEDS_TWO_CODERS, Words("id"))
    assert "membutuhkan sedikitnya dua koder" in said


def test_two_coders_who_never_coded_one_segment_together_are_told_apart_from_one_coder():
    segments = _study(1)["segments"]
    half = segments["segment_id"].isin(segments["segment_id"].unique()[::2])
    segments = segments.assign(coder=segments["coder"].where(half, "coder-b"))
    study = agr.study_agreement(segments, site=SITE)
    parts = report_agreement.agreement_parts(study, SITE, {}, lang="id")
    assert "tidak ada segmen yang dikode oleh dua koder atau lebih" in parts[0].markdown
    assert "(segmen memiliki 2 koder)" in parts[0].markdown


def test_the_findings_reliability_of_a_one_coder_study_says_one_coder():
    data = _study(1)
    table = q.findings_table(
        q.primary_codings(data["segments"]), data["informants"], data["codebook"], site=SITE
    )
    assert len(table) and set(table["reliability_status"]) == {q.ONE_CODER}
    assert "strong" not in set(table["verdict"])
    findings = q.StudyFindings(table)
    shown = report_findings.findings_parts(findings, data["codebook"], lang="en")[0].frame
    assert set(shown["reliability"]) == {"not assessed (one coder): at most moderate"}


# --- zero counts -------------------------------------------------------------------------------


def _indicators(named: bool) -> dict[str, pd.DataFrame]:
    """A study whose codebook has the theme `indicators`, named by informants or by nobody."""
    data = _study(1)
    codebook = data["codebook"].copy()
    codebook.loc[codebook.index[:2], "theme"] = "indicators"
    segments = data["segments"]
    if not named:  # the indicator codes appear only in observation notes
        indicator = segments["code"].isin(codebook.loc[codebook.index[:2], "code"])
        segments = segments.assign(
            source_type=segments["source_type"].where(~indicator, "observation"),
            informant_id=segments["informant_id"].where(~indicator, None),
        )
    return {**data, "codebook": codebook, "segments": segments}


def test_the_most_named_indicator_is_said_with_its_count_of_informants():
    data = _indicators(named=True)
    counted = q.primary_codings(data["segments"])
    parts = report.checklist_parts(counted, data["informants"], data["codebook"], lang="en")
    facts = q.indicator_facts(q.checklist_matrix(counted, data["informants"], data["codebook"]))
    assert facts["top_indicator_n"] > 0
    named = q.code_labels(data["codebook"])[
        facts["top_indicator_id"]
    ]  # a code; the report names it
    assert report.code_name(facts["top_indicator_id"], data["codebook"], lang="en") == named
    assert parts[0].markdown == (
        f'The indicator named by most informants is "{named}" '
        f"({facts['top_indicator_n']} of {len(data['informants'])} informants)."
    )
    assert isinstance(parts[1], Table)


def test_an_indicator_nobody_named_is_never_the_one_named_by_most_informants():
    data = _indicators(named=False)
    counted = q.primary_codings(data["segments"])
    parts = report.checklist_parts(counted, data["informants"], data["codebook"], lang="en")
    facts = q.indicator_facts(q.checklist_matrix(counted, data["informants"], data["codebook"]))
    assert facts == {"top_indicator_id": None, "top_indicator_n": 0}
    assert report.code_name(None, data["codebook"], lang="id") == "tidak ada"
    assert parts == [
        Text(
            "No informant of this study named a code of the theme `indicators`, so there is no "
            "checklist."
        )
    ]
    parts = report.checklist_parts(counted, data["informants"], data["codebook"], lang="id")
    assert "(0 dari" not in parts[0].markdown and "indicators" in parts[0].markdown
