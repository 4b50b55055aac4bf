"""The qualitative, narrative and synthesis code in the Indonesian edition (and English unchanged)."""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

from analysis.data.loading import load
from analysis.i18n import use_language
from analysis.illustrative.households import generate_households
from analysis.illustrative.qualitative import generate_qualitative
from analysis.methods import qualitative as q
from analysis.methods import synthesis as sy
from analysis.project import PROJECT_ROOT
from analysis.report import agreement as report_agreement
from analysis.report import findings as report_findings
from analysis.report import qualitative as report
from analysis.report import synthesis as report_synthesis
from analysis.report.labels import Labels
from analysis.report.words import Words

matplotlib.use("Agg")

SITE = "s"
STUDIES = load(PROJECT_ROOT / "data", "studies")
CPI = pd.DataFrame(
    [
        ("00", year, "cpi_inflation_dec_on_dec", value)
        for year, value in ((2013, 8.38), (2014, 8.36), (2015, 3.35), (2016, 3.02), (2017, 3.61))
    ],
    columns=["area_code", "year", "indicator", "value"],
)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    use_language("en")


@pytest.fixture(scope="module")
def illustrative():
    return {**generate_qualitative(20170301), "households": generate_households(20170801)}


@pytest.fixture(scope="module")
def synthesis(illustrative):
    """The synthesis of the illustrative data in a language (computed once per language for this
    module; the tests only read it), the language set as ``_synthesis`` sets it."""
    made = {}

    def of(lang):
        if lang not in made:
            made[lang] = _synthesis(illustrative, lang)
        use_language(lang)
        return made[lang]

    return of


def _synthesis(d, lang):
    use_language(lang)
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
    informants = pd.DataFrame(
        {
            "informant_id": ["R1", "L1", "P1", "P2"],
            "site": SITE,
            "role": ["regency_official", "kelurahan_official", "resident", "resident"],
            "informant_type": "core",
            "consent_quote": [True, False, True, True],
        }
    )
    codebook = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "theme": ["meaning", "indicators", "strategies"],
            "description": "",
            "theme_group": [
                "understanding poverty",
                "understanding poverty",
                "responding to poverty",
            ],
            "label": ["A", "B", "C"],
            "finding": ["F1", None, "F2"],
            "finding_site": [SITE, None, SITE],
        }
    )
    rows = [  # segment, source type, informant, code, text
        ("S1", "interview", "R1", "a", "Kemiskinan itu banyak sisinya."),
        ("S2", "interview", "L1", "c", "RAHASIA"),
        ("S3", "interview", "P1", "b", "Rumah kami berlantai tanah."),
        ("S4", "interview", "P2", "c", "Kami tidak pernah ditanya."),
        ("S5", "document", None, "c", "dokumen"),
    ]
    segments = pd.DataFrame(
        rows, columns=["segment_id", "source_type", "informant_id", "code", "text"]
    )
    segments["site"], segments["coder"] = SITE, "X"
    segments["gloss_en"] = "ENGLISH GLOSS"
    return segments, informants, codebook


def test_quotes_stay_indonesian_and_lose_their_english_gloss_only_in_the_indonesian_edition():
    segments, informants, codebook = _small()
    english, indonesian = (
        report.role_matrix_parts(
            segments, informants, codebook, lang=lang, data_edition="illustrative"
        )
        for lang in ("en", "id")
    )
    en_cells = " ".join(" ".join(p.frame.stack()) for p in english[1::2])
    id_cells = " ".join(" ".join(p.frame.stack()) for p in indonesian[1::2])
    assert "“Kemiskinan itu banyak sisinya.”" in en_cells and "[ENGLISH GLOSS]" in en_cells
    assert "“Kemiskinan itu banyak sisinya.”" in id_cells and "ENGLISH GLOSS" not in id_cells
    assert "invented" in english[0].markdown and "rekaan" in indonesian[0].markdown  # once
    assert "invented" not in en_cells and "rekaan" not in id_cells
    assert "RAHASIA" not in id_cells  # consent is honoured in both editions


def test_the_informants_sentence_is_indonesian_with_the_counts_of_the_english_one():
    segments, informants, codebook = _small()
    english = report.describe_informants(informants, Labels.of("en"))
    assert english.startswith("The 4 informants: 1 regency official (core informants)")
    assert "2 residents (core informants)" in english
    text = report.describe_informants(informants, Labels.of("id"))
    assert text.startswith("Ke-4 informan terdiri atas")
    assert (
        "(informan inti)" in text and "Sebanyak 1 orang di antaranya tidak bersedia dikutip" in text
    )


def test_the_findings_section_has_indonesian_headers_verdicts_and_the_same_counts():
    segments, informants, codebook = _small()
    findings = q.study_findings(segments, informants, codebook, segments, site=SITE, seed=0)
    en_parts = report_findings.findings_parts(
        findings, codebook, lang="en", data_edition="illustrative"
    )
    parts = report_findings.findings_parts(
        findings, codebook, lang="id", data_edition="illustrative"
    )
    table = parts[0].frame
    assert list(table.columns)[:3] == ["temuan", "putusan", "informan (k/N)"]
    assert set(table["putusan"]) <= {"kuat", "sedang", "lemah", "tidak didukung"}
    assert "jenis sumber" in table.columns and "wawancara" in " ".join(table["jenis sumber"])
    intro = parts[1].markdown
    assert intro.startswith("Kutipan yang menggambarkan setiap temuan") and "rekaan" in intro
    assert list(parts[2].frame.columns) == ["temuan", "kutipan"]
    assert "ENGLISH GLOSS" not in " ".join(parts[2].frame["kutipan"])
    assert list(en_parts[0].frame.columns)[:2] == ["finding", "verdict"]
    # the counts are the same in both editions: they come from one table
    assert en_parts[0].frame.iloc[:, 2].tolist() == table.iloc[:, 2].tolist()


def test_agreement_paragraphs_use_indonesian_words_and_decimal_commas():
    d = {
        "segments_double_coded": 201,
        "second_coder": "C2",
        "units": 6432,
        "percent_agreement": 99.0,
        "kappa": 0.8642,
        "kappa_low": 0.83,
        "kappa_high": 0.90,
        "kappa_band": "almost perfect",
        "fleiss_sentence": "…",
        "alpha": 0.8111,
        "alpha_verdict": "reliable",
        "kappa_boot_low": 0.79,
        "kappa_boot_high": 0.92,
        "kappa_interval_verdict": "tentative",
        "alpha_boot_low": 0.71,
        "alpha_boot_high": 0.89,
        "alpha_interval_verdict": "tentative",
        "codes_alpha_reliable": 17,
        "codes": 32,
        "codes_alpha_below_tentative": 5,
    }
    english = report_agreement.agreement_text(d, Words("en"))
    assert "agreed on 99.0 % of the decisions" in english and "alpha = 0.811," in english
    # the verdicts judge the intervals: a point alpha of 0.811 with an interval from 0.71 is
    # "tentative", not "reliable"
    assert '0.71 to 0.89. Judged by the interval, not by the point, it is "tentative"' in english
    assert 'resamples segments: 0.79 to 0.92, which is "tentative"' in english
    assert "{cite:p}`cohen1960`" in english
    text = report_agreement.agreement_text(d, Words("id"))
    assert "Sebanyak 201 segmen dikode secara independen oleh koder kedua (C2)" in text
    assert "sepakat pada 99,0% keputusan" in text and "alfa = 0,811" in text
    assert 'menarik ulang segmen: 0,79 sampai 0,92, yang tergolong "sementara"' in text
    assert "selang *bootstrap* 95% atas segmen dari 0,71 sampai 0,89" in text
    assert 'alfa ini tergolong "sementara"' in text
    assert "{cite:p}`cohen1960`" in text and "{cite:p}`krippendorff2019`" in text


def test_synthesis_tables_and_sentences_in_indonesian_keep_the_numbers(synthesis):
    english = synthesis("en")
    synth = synthesis("id")
    assert synth.to_dict() == english.to_dict()  # numbers only: the words are the report's
    summary = report_synthesis.summary_frame(synth.support, synth.labels, lang="id")
    assert list(summary.columns) == [
        "lokasi",
        "temuan",
        "informan",
        "segmen",
        "sumber",
        "putusan",
        "data rumah tangga",
    ]
    assert "pendapatan rumah tangga naik" in set(summary["temuan"])
    assert set(summary["putusan"]) - {""} <= {"kuat", "sedang", "lemah", "tidak didukung"}
    assert "waw" in " ".join(summary["sumber"])
    assert list(report_synthesis.design_frame(synth.designs, lang="id").columns)[0] == "aspek"
    evidence = report_synthesis.evidence_frame(synth.held, synth.labels, lang="id")
    assert "segmen berkode" in set(evidence["aspek"])
    cells = " ".join(evidence["Jombang"])
    assert re.search(r"\d+ aparatur kabupaten", cells) and re.search(r"\d+ wawancara", cells)
    assert "regency official" not in cells and "interview" not in cells
    support = report_synthesis.support_text(synth, data_edition="illustrative", lang="id")
    assert support.startswith("Dalam data ilustratif, Jombang:") and "temuan kuat" in support
    limits = " ".join(
        p.markdown
        for p in report_synthesis.limits(synth, data_edition="illustrative", lang="id")
        if hasattr(p, "markdown")
    )
    assert "**Sampel kecil.** Dalam data ilustratif" in limits
    # the income chapter's primary test and its interval, in Indonesian digits
    assert re.search(r"Rp\s\d{3}\.\d{3} sampai Rp\s\d{3}\.\d{3}\)", limits)
    assert "ravallion2012" in limits and "{{" not in limits


def test_synthesis_english_sentences_are_unchanged(synthesis):
    synth = synthesis("en")
    limits = " ".join(
        p.markdown
        for p in report_synthesis.limits(synth, data_edition="illustrative", lang="en")
        if hasattr(p, "markdown")
    )
    assert re.search(  # the income chapter's primary test, as its brief quotes it
        r"the mean (nominal )?change is \*\*Rp\s\d{3},\d{3}\*\* a month "
        r"\(95\s% CI Rp\s\d{3},\d{3} to Rp\s\d{3},\d{3}\)",
        limits,
    )
    assert re.match(
        r"In the illustrative data, Jombang: \d+ of 7 findings strong and \d+ moderate;",
        report_synthesis.support_text(synth, data_edition="illustrative", lang="en"),
    )


def test_support_figure_speaks_indonesian(synthesis):
    import matplotlib.pyplot as plt

    synth = synthesis("id")
    fig = report_synthesis.plot_support(
        synth.support, data_edition="illustrative", sites_labels=synth.labels, lang="id"
    )
    try:
        texts = [fig._suptitle.get_text(), fig.axes[-1].get_xlabel()]
        texts += [t.get_text() for t in fig.legends[0].get_texts()]
        assert texts[0] == "Dukungan untuk setiap temuan dalam data buku ini (data ilustratif)"
        assert texts[1].startswith("informan yang mendukung temuan")
        assert "sedang" in texts[2:]
    finally:
        plt.close(fig)


def test_findings_given_in_indonesian_keep_their_short_labels_claims_and_numbers(
    illustrative, synthesis
):
    """The data layer gives a finding's text in the edition's language (``finding@id``)."""
    english = synthesis("en")
    codebook = illustrative["codebook"].copy()
    indonesian_text = {
        "Planning is still top-down": "Perencanaan masih dari atas ke bawah",
        "Household income rose after P2KP": "Pendapatan rumah tangga naik sesudah P2KP",
        "Revolving credit is used as working capital: raw materials in bulk and equipment": (
            "Kredit bergulir dipakai sebagai modal kerja"
        ),
    }
    codebook["finding"] = codebook["finding"].map(lambda f: indonesian_text.get(f, f))
    synth = _synthesis({**illustrative, "codebook": codebook}, "id")
    assert synth.to_dict() == english.to_dict()
    summary = report_synthesis.summary_frame(synth.support, synth.labels, lang="id").set_index(
        "temuan"
    )
    assert "perencanaan top-down" in summary.index
    assert summary.loc["pendapatan rumah tangga naik", "data rumah tangga"] == (
        "menurut konstruksinya"
    )
    assert len(summary) == len(
        report_synthesis.summary_frame(english.support, english.labels, lang="en")
    )  # every claim found its finding


def test_reconstructed_programmes_are_counted_in_both_languages_of_their_description():
    programmes = pd.DataFrame(
        {
            "site": ["a", "a", "a"],
            "level": ["central", "regency", "regency"],
            "description": [
                "Illustrative reconstruction: the study reports such programmes.",
                "Rekonstruksi ilustratif: studi melaporkan program semacam itu.",
                "Documented by a regulation.",
            ],
        }
    )
    from analysis.report import programmes as programmes_report

    assert programmes_report.programme_facts(programmes, lang="id")["n_reconstructed"] == 2
    assert programmes_report.programme_facts(programmes, lang="en")["n_reconstructed"] == 1
