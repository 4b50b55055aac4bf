"""Sentences about coders are true for any number of them, in both editions.

One coder: no "1 coders", no "the other coders' codings", and the chapter says that agreement
between coders cannot be computed, in the edition's language (the issue found "agreement needs at
least two coders" in English in the Indonesian edition). Zero counts: an indicator nobody named
is never "the indicator named by most informants (0 of 11)".
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.i18n import in_language
from analysis.methods import agreement as agr
from analysis.methods import narrative
from analysis.methods import qualitative as q
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
    text = q.coders_text(segments)
    assert text.startswith(f"One coder, {coder}, coded every segment")
    assert "agreement between coders cannot be computed" in text
    assert "1 coders" not in text and "other coders" not in text


@pytest.mark.parametrize("coders", [2, 3, 10])
def test_several_coders_are_counted_and_the_primary_named(coders):
    segments = _study(coders)["segments"]
    text = q.coders_text(segments)
    assert text.startswith(f"{coders} coders coded segments. **Every count in this chapter")
    assert f"**, {q.primary_coder(segments)}: the coder who coded the most" in text
    assert "The other coders' codings serve the agreement statistics" in text


def test_the_coder_sentences_are_indonesian_in_the_indonesian_edition():
    with in_language("id"):
        one = q.coders_text(_study(1)["segments"])
        three = q.coders_text(_study(3)["segments"])
    assert one.startswith("Satu koder, ") and "kesepakatan antarkoder tidak dapat dihitung" in one
    assert three.startswith("Sebanyak 3 koder mengode segmen. **Setiap hitungan")


def test_no_segments_no_sentence():
    assert q.coders_text(_study(1)["segments"].iloc[0:0]) == ""


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
    with in_language(lang):
        parts, facts = narrative.agreement_parts(segments, SITE, {})
    assert facts == {"agr_computable": False}
    assert parts[0].startswith(expected)
    assert "needs at least two coders" not in parts[0]


def test_agreement_errors_are_in_the_editions_language():
    segments = _study(1)["segments"]
    with in_language("id"), pytest.raises(ValueError, match="membutuhkan sedikitnya dua koder"):
        agr.agreement(segments, site=SITE)
    with pytest.raises(ValueError, match="agreement needs at least two coders"):
        agr.coder_pairs_table(segments, site=SITE)


def test_two_coders_who_never_coded_one_segment_together_are_told_apart_from_one_coder():
    segments = _study(1)["segments"]
    half = segments["segment_id"].isin(segments["segment_id"].unique()[::2])
    segments = segments.assign(coder=segments["coder"].where(half, "coder-b"))
    with in_language("id"):
        parts, _facts = narrative.agreement_parts(segments, SITE, {})
    assert "tidak ada segmen yang dikode oleh dua koder atau lebih" in parts[0]
    assert "(segmen memiliki 2 koder)" in parts[0]


def test_the_findings_reliability_of_a_one_coder_study_says_one_coder():
    data = _study(1)
    table = q.findings_table(
        q.primary_codings(data["segments"]), data["informants"], data["codebook"], site=SITE
    )
    assert len(table) and set(table["reliability"]) == {
        "not assessed (one coder): at most moderate"
    }
    assert "strong" not in set(table["verdict"])


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
    parts, facts = narrative.checklist_parts(
        q.primary_codings(data["segments"]), data["informants"], data["codebook"]
    )
    assert facts["top_indicator_n"] > 0
    assert parts[0] == (
        f'The indicator named by most informants is "{facts["top_indicator"]}" '
        f"({facts['top_indicator_n']} of {len(data['informants'])} informants)."
    )
    assert parts[1][0] == "table"


def test_an_indicator_nobody_named_is_never_the_one_named_by_most_informants():
    data = _indicators(named=False)
    parts, facts = narrative.checklist_parts(
        q.primary_codings(data["segments"]), data["informants"], data["codebook"]
    )
    assert facts == {"top_indicator": "none", "top_indicator_n": 0}
    assert parts == [
        "No informant of this study named a code of the theme `indicators`, so there is no "
        "checklist."
    ]
    with in_language("id"):
        parts, _facts = narrative.checklist_parts(
            q.primary_codings(data["segments"]), data["informants"], data["codebook"]
        )
    assert "(0 dari" not in parts[0] and "indicators" in parts[0]
