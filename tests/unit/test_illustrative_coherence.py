"""The illustrative data agree with themselves: no quote or coding contradicts the household beside it.

A Pakis resident informant with a row in ``households.csv`` speaks from that row: every amount
named in their segments (Indonesian text and English gloss, read back here by an independent
parser of number words) is one of the household's own (change, income before or after, loan),
within the Rp 10,000 the incomes are rounded to; loans, instalments and credit codes appear only
for a household with a loan, a credit use only as the record gives it, direct aid only for a
direct-aid household; and no two informants share a quote that names a number. The checker
is shown to catch a deliberately contradictory fixture (the quotes the issue found).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.illustrative.households import ROUND_TO, generate_households
from analysis.illustrative.make import DEFAULT_SEED, generate, write_illustrative
from analysis.illustrative.qualitative import generate_qualitative
from analysis.project import PROJECT_ROOT

STUDY = PROJECT_ROOT / "data" / "study"

# -- reading amounts back (independent of the generator's own words) ----------------------------
_ID_UNITS = {
    w: k for k, w in enumerate("nol satu dua tiga empat lima enam tujuh delapan sembilan".split())
}
_ID_SE = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 1_000_000}
_EN_UNITS = {
    w: k
    for k, w in enumerate(
        (
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        ).split()
    )
} | {
    w: 10 * k
    for k, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}


def _amounts_id(text: str) -> list[float]:
    """Numbers said in Indonesian words (``dua setengah juta`` = 2,500,000) or digits."""
    found = [float(d.replace(".", "")) for d in re.findall(r"\b\d[\d.]*", text)]
    total = group = last = 0.0
    active = False
    for token in re.findall(r"[a-z]+", text.lower()) + ["."]:
        if token in _ID_UNITS:
            last, active = last + _ID_UNITS[token], True
        elif token in _ID_SE and token in ("sepuluh", "sebelas", "seratus"):
            group, active = group + _ID_SE[token], True
        elif token == "setengah" and active:
            last += 0.5
        elif token == "belas" and active:
            group, last = group + 10 + last, 0
        elif token == "puluh" and active:
            group, last = group + 10 * last, 0
        elif token == "ratus" and active:
            group, last = group + 100 * last, 0
        elif token in ("ribu", "seribu", "juta", "sejuta") and (active or token.startswith("se")):
            scale = 1000 if token.endswith("ribu") else 1_000_000
            total += (group + last or 1) * scale
            group = last = 0
            active = True
        else:
            if active:
                found.append(total + group + last)
            total = group = last = 0
            active = False
    return found


def _amounts_en(text: str) -> list[float]:
    """Numbers said in English words ("two and a half million") or digits."""
    found = [float(d.replace(",", "")) for d in re.findall(r"\b\d[\d,]*", text)]
    total = group = 0.0
    active = False
    for token in re.findall(r"[a-z]+", text.lower().replace("-", " ")) + ["."]:
        if token in _EN_UNITS:
            group, active = group + _EN_UNITS[token], True
        elif token == "hundred" and active:
            group *= 100
        elif token in ("thousand", "million") and active:
            total += group * (1000 if token == "thousand" else 1_000_000)
            group = 0
        elif token == "half" and active:
            group += 0.5
        elif token in ("and", "a") and active:
            continue
        else:
            if active:
                found.append(total + group)
            total = group = 0
            active = False
    return found


LOAN_WORDS_ID = re.compile(r"pinjam|kredit|angsur|cicil|utang", re.I)
LOAN_WORDS_EN = re.compile(r"loan|borrow|credit|instal|repay|debt", re.I)
DIRECT_AID_WORDS = re.compile(r"bantuan langsung|sembako|direct aid", re.I)
CREDIT_CODES = {
    "p2kp_revolving_credit",
    "credit_raw_materials",
    "credit_equipment",
    "credit_repayment",
}
USE_CODE = {"raw_materials": "credit_raw_materials", "equipment": "credit_equipment"}
COMPONENT_CODE = {
    "revolving_credit": "p2kp_revolving_credit",
    "direct_aid": "p2kp_direct_aid",
    "infrastructure": "p2kp_infrastructure",
}


def contradictions(households: pd.DataFrame, segments: pd.DataFrame) -> list[str]:
    """Every way a resident's segments (any coder) contradict their household's row."""
    problems = []
    rows = households.dropna(subset=["informant_id"]).set_index("informant_id")
    by_informant = segments[segments["informant_id"].isin(rows.index)]
    for iid, segs in by_informant.groupby("informant_id"):
        row = rows.loc[iid]
        has_loan = pd.notna(row["loan_amount"]) and row["loan_amount"] > 0
        change = row["income_after"] - row["income_before"]
        own = {change, row["income_before"], row["income_after"]}
        own |= {row["loan_amount"]} if has_loan else set()
        for sid, seg in segs.groupby("segment_id"):
            text, gloss = seg["text"].iloc[0], seg["gloss_en"].iloc[0]
            codes = set(seg["code"])
            where = f"{iid} {sid} ({text!r})"
            money_id = [a for a in _amounts_id(text) if a >= 1000]
            money_en = [a for a in _amounts_en(gloss) if a >= 1000]
            if sorted(money_id) != sorted(money_en):
                problems.append(f"{where}: text names {money_id}, gloss {money_en}")
            for amount in money_id:
                if min(abs(amount - x) for x in own) > ROUND_TO / 2:
                    problems.append(f"{where}: Rp {amount:,.0f} is none of the household's {own}")
            if (
                "income_rise" in codes
                and len(money_id) == 1
                and abs(money_id[0] - change) > ROUND_TO / 2
            ):
                problems.append(f"{where}: income rose by Rp {money_id[0]:,.0f}, record {change:,}")
            speaks_of_loan = bool(LOAN_WORDS_ID.search(text) or LOAN_WORDS_EN.search(gloss))
            if speaks_of_loan and not has_loan:
                problems.append(f"{where}: speaks of a loan the household does not have")
            credit = sorted(codes & CREDIT_CODES)
            if credit and not has_loan:
                problems.append(f"{where}: coded {credit}, but the household has no loan")
            elif credit and not speaks_of_loan:
                problems.append(f"{where}: coded {credit}, but the sentence speaks of no loan")
            for use, code in USE_CODE.items():
                if code in codes and row["credit_use"] != use:
                    problems.append(f"{where}: coded {code}, record says {row['credit_use']}")
            if ("p2kp_direct_aid" in codes or DIRECT_AID_WORDS.search(text + " " + gloss)) and (
                row["component"] != "direct_aid"
            ):
                problems.append(f"{where}: direct aid, but the component is {row['component']}")
        said = set(segs.loc[segs["coder"] == "C1", "code"])
        if COMPONENT_CODE[row["component"]] not in said:
            problems.append(f"{iid}: never speaks of their component {row['component']}")
    return problems


def shared_numeric_quotes(segments: pd.DataFrame, informants: list[str]) -> dict[str, set]:
    """Quotes naming an amount (Rp 1,000 or more) that more than one of ``informants`` gives."""
    segs = segments[segments["informant_id"].isin(informants)].drop_duplicates("segment_id")
    segs = segs.reset_index(drop=True)
    bare = segs["text"].str.replace(r"^(Menurut saya|Ya|Begini|Jujur saja), ", "", regex=True)
    numeric = segs[[any(a >= 1000 for a in _amounts_id(t)) for t in segs["text"]]]
    speakers = numeric.groupby(bare[numeric.index].str.lower())["informant_id"].agg(set)
    return {quote: who for quote, who in speakers.items() if len(who) > 1}


def _shipped(name: str) -> pd.DataFrame:
    return pd.read_csv(STUDY / f"{name}.csv")


@pytest.fixture(scope="module")
def shipped():
    return _shipped("households"), _shipped("segments")


def test_the_parsers_read_spoken_amounts():
    assert _amounts_id("Sebulan sekarang bisa tambah sekitar empat ratus ribu.") == [400_000]
    assert _amounts_id("pinjam dua setengah juta dari kredit") == [2_500_000]
    assert _amounts_id("dulu satu juta seratus enam puluh ribu, sekarang sebelas ribu") == [
        1_160_000,
        11_000,
    ]
    assert _amounts_en("about one million one hundred and sixty thousand more") == [1_160_000]
    assert _amounts_en("I borrowed two and a half million, then seventy-five thousand") == [
        2_500_000,
        75_000,
    ]
    assert _amounts_id("Kami makan dua kali.") == [2]


def test_no_shipped_quote_or_coding_contradicts_its_household(shipped):
    households, segments = shipped
    assert households["informant_id"].notna().sum() == 9  # the nine core residents
    assert contradictions(households, segments) == []


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_other_seeds_give_coherent_residents_too(seed):
    households = generate_households(seed)
    segments = generate_qualitative(seed, households=households)["segments"]
    assert contradictions(households, segments) == []
    assert shared_numeric_quotes(segments, list(households["informant_id"].dropna())) == {}
    assert segments["text"].str.len().max() <= 140  # amounts in words keep quotes short


def test_no_two_residents_share_a_quote_that_names_a_number(shipped):
    households, segments = shipped
    residents = list(households["informant_id"].dropna())
    assert shared_numeric_quotes(segments, residents) == {}
    # nor do residents without a household row (Jombang's): an amount is someone's own
    informants = _shipped("informants")
    everyone = list(informants.loc[informants["role"] == "resident", "informant_id"])
    assert shared_numeric_quotes(segments, everyone) == {}
    # and each resident names their own change or incomes somewhere, in words
    named = segments[segments["informant_id"].isin(residents)]
    with_money = {
        iid
        for iid, text in zip(named["informant_id"], named["text"])
        if any(a >= 1000 for a in _amounts_id(text))
    }
    assert len(with_money) >= len(residents) // 2


def test_residents_supporting_credit_use_are_the_credit_households(shipped):
    households, segments = shipped
    credit = set(households.loc[households["loan_amount"].notna(), "informant_id"])
    c1 = segments[
        (segments["coder"] == "C1")
        & segments["informant_id"].isin(households["informant_id"].dropna())
    ]
    use = set(c1.loc[c1["code"].isin(USE_CODE.values()), "informant_id"])
    assert use == credit  # at most the credit households, and every one says what it bought
    for iid, row in households.dropna(subset=["informant_id"]).set_index("informant_id").iterrows():
        if row["component"] == "revolving_credit":
            codes = set(c1.loc[c1["informant_id"] == iid, "code"])
            assert USE_CODE[row["credit_use"]] in codes, iid


def test_a_contradictory_fixture_is_caught(shipped):
    households, segments = shipped
    rows = households.set_index("informant_id")
    no_loan = rows.index[rows["loan_amount"].isna()].dropna()[0]
    small = (rows["income_after"] - rows["income_before"]).dropna().idxmin()
    seg = segments[segments["informant_id"] == no_loan].iloc[[0]].copy()
    bad = []
    # the quotes: "about four hundred thousand more" from a household whose change differs
    q = segments[segments["informant_id"] == small].iloc[[0]].copy()
    q[["text", "gloss_en", "code", "coder"]] = [
        "Sebulan sekarang bisa tambah sekitar empat ratus ribu.",
        "Now I make about four hundred thousand more a month.",
        "income_rise",
        "C1",
    ]
    q["segment_id"] = "PKS-X0001"
    bad.append(q)
    # a loan told and coded by a household with no loan
    b = seg.copy()
    b[["text", "gloss_en", "code", "coder", "segment_id"]] = [
        "Saya pinjam dua juta dari kredit bergulir P2KP untuk usaha.",
        "I borrowed two million from the P2KP revolving credit for my business.",
        "p2kp_revolving_credit",
        "C1",
        "PKS-X0002",
    ]
    bad.append(b)
    # a second coder's credit code on a sentence about the alley
    c = seg.copy()
    c[["text", "gloss_en", "code", "coder", "segment_id"]] = [
        "Sejak gang dipaving, pembeli lebih mudah datang.",
        "Since the alley was paved, customers come more easily.",
        "credit_equipment",
        "C2",
        "PKS-X0003",
    ]
    bad.append(c)
    found = contradictions(households, pd.concat([segments, *bad], ignore_index=True))
    for sid in ("PKS-X0001", "PKS-X0002", "PKS-X0003"):
        assert any(sid in p for p in found), (sid, found)
    twice = pd.concat([segments, q, q.assign(informant_id=no_loan, segment_id="PKS-X0004")])
    assert shared_numeric_quotes(twice, [small, no_loan])


def test_the_pakis_households_do_not_change_jombang_or_the_staff():
    shipped = generate_qualitative(DEFAULT_SEED)["segments"]
    other = generate_qualitative(DEFAULT_SEED, households=generate_households(5))["segments"]
    for frame in (shipped, other):
        frame.drop(
            frame.index[frame["informant_id"].str.startswith("PKS-R", na=False)], inplace=True
        )
    jombang = [f[f["site"] == "jombang"].reset_index(drop=True) for f in (shipped, other)]
    pd.testing.assert_frame_equal(*jombang)
    staff = [
        f.loc[
            f["informant_id"].str.startswith("PKS-S", na=False) & (f["coder"] == "C1"),
            ["text", "code"],
        ].reset_index(drop=True)
        for f in (shipped, other)
    ]
    pd.testing.assert_frame_equal(*staff)


def test_generation_is_seeded_and_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_illustrative(first, DEFAULT_SEED)
    write_illustrative(second, DEFAULT_SEED)
    for path in sorted((first / "study").glob("*.csv")):
        assert path.read_bytes() == (second / "study" / path.name).read_bytes(), path.name
        assert path.read_bytes() == (STUDY / path.name).read_bytes(), f"{path.name} is not shipped"
    assert not generate(DEFAULT_SEED + 1)["segments"].equals(generate(DEFAULT_SEED)["segments"])
