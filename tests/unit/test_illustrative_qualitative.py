"""The illustrative qualitative data: deterministic, in the contract, calibrated to what the studies report."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.contract import CODEBOOK, INFORMANTS, PROGRAMMES, SEGMENTS, SOURCE_TYPES
from analysis.data.privacy import find_personal_data
from analysis.illustrative.qualitative import (
    JOMBANG_PER_CLUSTER,
    PAKIS_BUSINESS_TYPES,
    SAMPLING_SEED,
    TEXTS,
    generate_qualitative,
    jombang_sample,
)
from analysis.methods.agreement import agreement
from analysis.methods.qualitative import findings_table

SEED = 20170301
JOMBANG_THEMES = {
    "meaning",
    "indicators",
    "causes",
    "strategies",
    "programmes",
    "empowerment",
    "infrastructure",
}


@pytest.fixture(scope="module")
def data():
    return generate_qualitative(SEED)


def test_the_same_seed_gives_identical_frames(data):
    again = generate_qualitative(SEED)
    for key, frame in data.items():
        pd.testing.assert_frame_equal(frame, again[key])


def test_a_different_seed_gives_different_segments(data):
    other = generate_qualitative(SEED + 1)
    assert not data["segments"].equals(other["segments"])
    pd.testing.assert_frame_equal(data["codebook"], other["codebook"])  # the codebook is not random


def test_columns_are_exactly_those_the_contract_declares(data):
    for key, spec in (
        ("programmes", PROGRAMMES),
        ("informants", INFORMANTS),
        ("codebook", CODEBOOK),
        ("segments", SEGMENTS),
    ):
        # every column of the contract but a codebook's theme_label: the shipped themes are
        # named by the catalogs (analysis.data.contract.THEME_LABELS)
        assert list(data[key].columns) == [c for c in spec.columns if c != "theme_label"], key


def test_primary_keys_are_unique_and_codes_and_informants_exist(data):
    seg, inf, cb = data["segments"], data["informants"], data["codebook"]
    assert not seg.duplicated(["segment_id", "code", "coder"]).any()
    assert inf["informant_id"].is_unique and cb["code"].is_unique
    assert not data["programmes"].duplicated(["site", "programme"]).any()
    assert set(seg["code"]) <= set(cb["code"])
    assert set(seg["informant_id"].dropna()) <= set(inf["informant_id"])
    interviews = seg["source_type"] == "interview"
    assert (
        seg.loc[interviews, "informant_id"].notna().all()
        and seg.loc[~interviews, "informant_id"].isna().all()
    )
    # a segment has one text, one site, one source whoever codes it
    assert (
        (seg.groupby("segment_id")[["text", "site", "source_id", "gloss_en"]].nunique() == 1)
        .all()
        .all()
    )


def test_pakis_has_nine_core_residents_with_businesses_and_two_kelurahan_staff(data):
    pakis = data["informants"].query("site == 'pakis'").set_index("informant_id")
    core = [f"PKS-R{k:02d}" for k in range(1, 10)]
    assert sorted(pakis.index) == core + ["PKS-S01", "PKS-S02"]
    assert (pakis.loc[core, "role"] == "resident").all() and (
        pakis.loc[core, "informant_type"] == "core"
    ).all()
    assert pakis.loc[core, "business_type"].to_dict() == PAKIS_BUSINESS_TYPES
    staff = pakis.loc[["PKS-S01", "PKS-S02"]]
    assert (staff["role"] == "kelurahan_staff").all() and (
        staff["informant_type"] == "additional"
    ).all()


def test_jombang_informants_reach_from_regency_offices_down_to_residents(data):
    jombang = data["informants"].query("site == 'jombang'")
    assert set(jombang["role"]) == {
        "regency_official",
        "kecamatan_official",
        "kelurahan_official",
        "resident",
    }
    assert jombang["informant_id"].str.startswith("JBG-").all()
    agencies = set(jombang.loc[jombang["role"] == "regency_official", "agency"])
    assert {"Bappeda", "Dinas Sosial", "Sekretariat TKPK"} <= agencies


def test_jombang_kelurahan_informants_are_the_two_stage_draw_with_the_sampling_seed(data):
    sample = jombang_sample(SAMPLING_SEED).sample
    jombang = data["informants"].query(
        "site == 'jombang' and role in ['kelurahan_official', 'resident']"
    )
    drawn = sample.groupby(["cluster", "stratum"]).size().sort_index()
    in_data = jombang.groupby(["cluster", "role"]).size().sort_index()
    assert drawn.to_dict() == in_data.to_dict()
    assert set(in_data.xs("resident", level="role")) == {JOMBANG_PER_CLUSTER["resident"]}
    other = generate_qualitative(SEED, sampling_seed=1)["informants"]
    assert set(other["cluster"].dropna()) == set(jombang_sample(1).sample["cluster"])


def test_jombang_covers_the_seven_themes_and_the_three_source_types(data):
    seg = data["segments"].query("site == 'jombang'")
    themes = set(seg["code"].map(data["codebook"].set_index("code")["theme"]))
    assert JOMBANG_THEMES <= themes
    assert set(seg["source_type"]) == set(SOURCE_TYPES)


def test_every_finding_the_studies_report_has_codes_and_supporting_segments(data):
    """Every finding's codes carry segments (counted as "any of"); whether the informants use
    all the codes of an "all of" finding together is the data's to say, not the generator's."""
    any_of = data["codebook"].drop(columns="finding_logic")
    for site, n_findings in (("jombang", 7), ("pakis", 4)):
        table = findings_table(
            data["segments"], data["informants"], any_of, site=site, reliability=False
        )
        assert len(table) == n_findings
        assert (table["segments"] > 0).all(), table[["finding", "segments"]]
    cb = data["codebook"]
    conjunctive = set(cb.loc[cb["finding_logic"] == "all", "finding"])
    assert {f.split(" ")[0] for f in conjunctive} == {"Food", "Small", "P2KP"}
    assert cb["finding"].notna().sum() >= 11 and set(cb["finding_site"].dropna()) == {
        "jombang",
        "pakis",
    }


def test_pakis_segments_speak_of_p2kp_components_credit_use_and_coverage(data):
    codes = set(data["segments"].query("site == 'pakis'")["code"])
    assert {
        "p2kp_direct_aid",
        "p2kp_revolving_credit",
        "p2kp_infrastructure",
        "p2kp_not_all_poor",
        "p2kp_bkm_ksm",
        "credit_raw_materials",
        "credit_equipment",
        "income_rise",
    } <= codes


def test_some_informants_at_each_site_did_not_agree_to_be_quoted(data):
    inf = data["informants"]
    for site, group in inf.groupby("site"):
        assert (~group["consent_quote"]).any(), site
        assert group.groupby("role")["consent_quote"].any().all(), (
            site
        )  # every role can be illustrated


def test_texts_are_short_indonesian_with_an_english_gloss_and_no_personal_data(data):
    seg = data["segments"].drop_duplicates("segment_id")
    assert seg["gloss_en"].notna().all() and (seg["gloss_en"] != seg["text"]).all()
    assert seg["text"].str.len().max() <= 140
    assert not any(find_personal_data(t) for t in pd.concat([seg["text"], seg["gloss_en"]]))
    for variants in TEXTS.values():
        for v in variants:
            assert v.who in ("official", "resident", "observation", "document") and v.id and v.en


def test_double_coded_subset_is_large_and_its_agreement_high_but_imperfect(data):
    seg = data["segments"]
    for site, minimum in (("jombang", 150), ("pakis", 50)):
        s = seg[seg["site"] == site]
        coded_by = s.groupby("coder")["segment_id"].nunique()
        assert coded_by["C1"] == s["segment_id"].nunique()  # the primary coder coded everything
        assert coded_by["C2"] >= minimum and coded_by["C3"] >= minimum // 2
        a = agreement(seg, site=site)
        assert 0.55 < a.overall["kappa"] < 0.95
        assert 0.5 < a.overall["alpha"] < 0.95
        assert (a.per_code["kappa"] < 1).any() and (a.per_code["kappa"] == 1).any()


def test_programme_inventory_names_the_studies_programmes_each_with_a_source(data):
    p = data["programmes"]
    assert p["source"].str.strip().str.len().gt(10).all()
    pakis = p[p["site"] == "pakis"]
    assert set(pakis["instrument"]) == {"direct aid", "revolving credit", "infrastructure"}
    assert pakis["programme"].str.startswith("P2KP").all()
    innov = p[p["regency_innovation"]]
    assert (
        len(innov) >= 2
        and (innov["site"] == "jombang").all()
        and (innov["level"] == "regency").all()
    )
    assert innov["description"].str.startswith("Illustrative reconstruction").all()
    central = p[(p["site"] == "jombang") & (p["level"] == "central")]
    assert {"PKH", "Raskin", "Jamkesmas", "PNPM"} <= {
        w for name in central["programme"] for w in name.replace("/", " ").split()
    }
    assert central["source"].str.contains(r"Peraturan|Permenkes|Pedoman|UU", regex=True).all()
