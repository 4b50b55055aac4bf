"""The context, overview, programmes, sampling and agreement texts in the Indonesian edition.

Each test writes a text in Indonesian (``use_language("id")``) and checks real Indonesian words
and Indonesian number formats ("9,56%", "ke-20"), and that the English text is unchanged.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.i18n import use_language
from analysis.literal import markdown_literal
from analysis.methods import agreement, context, inventory, province, sampling
from analysis.project import PROJECT_ROOT
from analysis.report import context as report
from analysis.report import programmes as programmes_report

matplotlib.use("Agg")

DATA = PROJECT_ROOT / "data"
has_public = pytest.mark.skipif(
    not (DATA / "public" / "bps_regency_p0_2010_2018.csv").is_file(),
    reason="data/public not present",
)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    use_language("en")


@pytest.fixture(scope="module")
def facts():
    return context.load_bps(DATA)


# --------------------------------------------------------------------------- context
@has_public
def test_jombang_sentences_in_indonesian_with_indonesian_numbers(facts):
    history = context.p0_history(facts, 3517)
    change = context.period_change(facts, 3517, 2010, 2018)
    rank = report.change_sentences(change, lang="id")["rank"]
    assert rank.startswith("Di antara 38 kabupaten/kota di Jawa Timur")
    assert "peringkat ke-20 pada 2010" in rank and "poin persen" in rank
    assert "-0,07" in rank  # distance from the median, decimal comma
    comparison = report.history_sentences(history, lang="id")["comparison"]
    assert comparison.startswith("Pada Maret ") and "Indonesia " in comparison
    assert "%" in comparison and "." not in comparison.split(":")[1].rstrip(".")
    poor = report.change_sentences(change, lang="id")["poor"]
    assert poor == "Jumlah penduduk miskin hanya ada dalam data untuk 2018: 120,19 ribu jiwa."
    assert report.change_sentences(change, lang="en")["poor"] == (
        "The number of poor people is in the data for 2018 only: 120.19 thousand."
    )
    assert "it ranked 20th in 2010" in report.change_sentences(change, lang="en")["rank"]


@has_public
def test_context_tables_have_indonesian_headers_and_numbers(facts):
    history = context.p0_history(facts, 3517)
    ranks = context.province_ranks(facts, 3517)
    p0 = report.p0_frame(history, lang="id")
    assert list(p0.columns)[:3] == ["Tahun", "P0 Jombang (%)", "Seri pada garis"]
    assert p0["Seri pada garis"].iloc[0] == "seri kabupaten/kota BPS 2010\u20132018"
    assert "Peringkat dari 38" in report.rank_frame(ranks, lang="id").columns
    table = context.indicator_table(facts, 3517).drop(columns=["release"])
    shown = report.indicators_frame(table, lang="id")
    assert {"Periode", "Penduduk miskin (ribu jiwa)"} <= set(shown.columns)
    assert set(shown["Periode"]) <= {"Maret", "September"}
    assert "9,56" in set(shown["P0 (%)"])
    lines = report.sources(context.sources_table(facts, [3517]), lang="id").markdown
    assert markdown_literal("BPS, headcount poverty rate (P0) by regency and city") in lines
    assert "Diambil dari: [github" in lines
    assert list(report.p0_frame(history, lang="en").columns)[:2] == ["Year", "Jombang P0 (%)"]
    english = report.indicators_frame(table, lang="en")
    assert "9.56" in set(english["P0 (%)"])


@has_public
def test_province_overview_in_indonesian(facts):
    overview = province.province_overview(facts, 35, 2018, marked=[3517, 3510])
    text = report.marked_sentences(overview, lang="id")
    assert "P0 Jombang (3517) sebesar 9,56%, peringkat ke-" in text and "dari 38." in text
    table = report.overview_frame(overview, lang="id")
    assert list(table.columns) == [
        "Peringkat",
        "Wilayah",
        "Kode",
        "Jenis",
        "P0 (%)",
        "Selisih dari provinsi (poin persen)",
    ]
    assert set(table["Jenis"]) == {"kabupaten", "kota"}
    assert all("," in v for v in table["P0 (%)"])
    fig = report.plot_province_overview(overview, lang="id")
    ax = fig.axes[0]
    assert ax.get_title() == "P0 38 kabupaten/kota di Jawa Timur, 2018"
    assert ax.get_xlabel() == "Penduduk di bawah garis kemiskinan, Maret (%)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "wilayah studi" in legend and any(t.startswith("Indonesia (BPS, Maret)") for t in legend)
    assert "Jombang (3517) had 9.56 %" in report.marked_sentences(overview, lang="en")
    assert list(report.overview_frame(overview, lang="en").columns)[0] == "Rank"


@has_public
def test_p0_history_figure_in_indonesian(facts):
    history = context.p0_history(facts, 3517)
    fig = report.plot_p0_history(history, lang="id")
    ax = fig.axes[0]
    assert ax.get_title() == "Persentase penduduk miskin (P0), Jombang, Maret"
    assert ax.get_ylabel() == "Penduduk di bawah garis kemiskinan (%)"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "median kabupaten/kota di Jawa Timur" in labels


def test_ordinals_follow_the_language_and_year_ranges_are_digits():
    assert report.ordinal(22, lang="en") == "22nd" and context.year_ranges([]) == ""
    assert report.ordinal(22, lang="id") == "ke-22"
    assert context.year_ranges([2010, 2011, 2013]) == "2010\u20132011, 2013"


# --------------------------------------------------------------------------- agreement
def _coded(rows):
    frame = pd.DataFrame(rows, columns=["segment_id", "coder", "code"])
    return frame.assign(
        site="s", source_id="x", source_type="interview", text="t", informant_id="I1"
    )


SEGMENTS = [
    ("S1", "A", "x"),
    ("S1", "B", "x"),
    ("S2", "A", "y"),
    ("S2", "B", "y"),
    ("S3", "A", "x"),
    ("S3", "B", "y"),
]


def test_agreement_bands_verdicts_and_notes_in_indonesian():
    from analysis.report import agreement as report_agreement
    from analysis.report.words import Words

    w = Words("id")
    assert report_agreement.word(agreement.landis_koch(0.5), w) == "sedang"
    assert report_agreement.word(agreement.landis_koch(0.9), w) == "hampir sempurna"
    verdict = agreement.krippendorff_verdict(0.7)
    assert report_agreement.word(verdict, w) == "hanya untuk kesimpulan sementara"
    nan = agreement.krippendorff_verdict(float("nan"))
    assert report_agreement.word(nan, w) == "tidak terdefinisi"
    result = agreement.agreement(_coded(SEGMENTS))
    pooled = result.to_frame()["code"].iloc[-1]
    assert pooled == agreement.POOLED
    assert report_agreement.word(pooled, w) == "(semua kode, digabung)"
    assert [report_agreement.word(note, w) for note in result.notes] == [
        "Kappa Fleiss memerlukan tiga koder atau lebih pada unit yang sama: tidak dihitung.",
    ]
    assert report_agreement.fleiss_sentence(result, w).startswith("tidak dihitung")
    assert "alfa Krippendorff (nominal)" in report_agreement.agreement_summary(result, lang="id")
    fig = report_agreement.plot_agreement(result, title="t", lang="id")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("kesepakatan di luar peluang")
    ax.figure.canvas.draw()
    assert "0,2" in [t.get_text() for t in ax.get_xticklabels()]
    assert agreement.landis_koch(0.5) == "moderate"  # the methods give codes, in any edition


def test_fleiss_sentence_in_indonesian_with_indonesian_numbers():
    rows = [
        (f"S{k}", c, "x" if (k + i) % 3 else "y") for k in range(40) for i, c in enumerate("ABC")
    ]
    from analysis.report import agreement as report_agreement
    from analysis.report.words import Words

    result = agreement.agreement(_coded(rows))
    text = report_agreement.fleiss_sentence(result, Words("id"))
    assert text.startswith("pada ") and "segmen yang dikode oleh semua koder (3 koder)" in text
    kappa = text.split("), ")[-1].split(" ")[0]
    assert "," in kappa or kappa in {"0", "1"}


# --------------------------------------------------------------------------- sampling
def _frame() -> pd.DataFrame:
    rows = []
    for k, size in enumerate([10, 20, 30, 40, 50, 60, 1200, 20, 25, 200]):
        for j in range(size):
            rows.append((f"K{k:02d}-{j:04d}", f"K{k:02d}", "official" if j < 2 else "resident"))
    return pd.DataFrame(rows, columns=["unit_id", "cluster", "stratum"])


def test_sampling_paragraph_in_indonesian_with_indonesian_numbers():
    sample = sampling.two_stage_cluster_sample(
        _frame(),
        n_clusters=4,
        per_cluster={"official": 1, "resident": 3},
        seed=2,
        stratum="stratum",
    )
    from analysis.report import sampling as report_sampling
    from analysis.report.labels import Labels

    english = report_sampling.describe(sample, Labels.of("en"))
    assert english.startswith("**Stage 1** drew 4 of the 10 kelurahan of the frame")
    assert "1 official, 3 residents" in english and "1,655 listed people" in english
    text = report_sampling.describe(sample, Labels.of("id"))
    assert text.startswith("**Tahap 1** menarik 4 dari 10 kelurahan dalam kerangka sampel")
    assert "pengambilan sampel acak sederhana tanpa pengembalian" in text
    assert "1.655 orang terdaftar dalam kerangka sampel." in text
    assert "seed 2" in text
    assert "tahap 1: 4 dari 10 klaster" in report_sampling.sample_summary(sample, lang="id")


# --------------------------------------------------------------------------- inventory
PROGRAMMES = pd.DataFrame(
    {
        "site": ["a", "a", "b"],
        "programme": ["P1", "P2", "P3"],
        "level": ["central", "regency", "central"],
        "sector": ["health", "economy", "economy"],
        "instrument": ["direct aid", "training", "revolving credit"],
        "planning": ["top-down", "top-down", "mixed"],
        "target": ["t", "t", "t"],
        "source": ["s", "s", "s"],
    }
)


def test_inventory_headers_in_indonesian_and_english_unchanged():
    counts = inventory.counts_by(PROGRAMMES, "level", {"a": "A", "b": "B"})
    assert programmes_report.for_readers(counts, lang="en").equals(counts)
    sources = inventory.sources(PROGRAMMES, {"a": "A", "b": "B"})
    english = programmes_report.for_readers(sources, lang="en")
    assert list(english.columns) == ["study", "programme", "source"]
    shown = programmes_report.for_readers(counts, lang="id")
    assert shown.index.name == "tingkat" and "jumlah" in shown.columns
    indonesian = programmes_report.for_readers(sources, lang="id")
    assert list(indonesian.columns) == ["studi", "program", "sumber"]
    side = programmes_report.for_readers(
        inventory.side_by_side(PROGRAMMES, "sector", {"a": "A"}), lang="id"
    )
    assert side.columns[0] == "sektor"
    assert np.array_equal(counts.to_numpy(), shown.to_numpy())


@has_public
def test_overview_rounds_glued_into_prose_follow_the_language(facts):
    overview = province.province_overview(facts, 35, 2018, marked=[3517])
    assert overview.to_dict()["province_round"] == "March"  # the data's key, no words
    assert report.overview_record(overview, lang="en")["province_round"] == "March"
    d = report.overview_record(overview, lang="id")
    assert (d["province_round"], d["national_round"]) == ("Maret", "Maret")
    assert overview.province_round == "March"  # the attribute stays the data's key
