"""export-qdpx then import-qdpx gives back the same study: every code (id, label, theme and
the rest of its row), every segment (code, coder, text, source, informant, gloss), the
informants and the registry row; on generated studies with strange names and on the projects
of real tools."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from analysis.data.contract import CODEBOOK, INFORMANTS, LEVELS, ROLES, SEGMENTS, STUDIES
from analysis.data.csvfile import read_csv_text, to_csv_text
from analysis.data.qdpx import COUNTINGS
from analysis.data.qdpx_export import code_parents
from analysis.pipeline import cli
from tests.unit.test_qdpx_quirks import PASSAGES, nvivo_like
from tests.unit.test_qdpx_real import QC, needs

FILES = (CODEBOOK, SEGMENTS, INFORMANTS, STUDIES)


def rows(folder: Path, spec) -> list[tuple]:
    """The rows of one study file as text, sorted (row order is not part of a study)."""
    frame = read_csv_text(folder / spec.path, spec.path).frame
    frame = frame.reindex(columns=sorted(frame.columns))
    return sorted(
        tuple((c, v) for c, v in zip(frame.columns, r) if isinstance(v, str))
        for r in frame.itertuples(index=False)
    )


def write_study(folder: Path, frames: dict) -> Path:
    (folder / "study").mkdir(parents=True, exist_ok=True)
    for spec, frame in zip(FILES, frames):
        (folder / spec.path).write_text(to_csv_text(frame, spec), encoding="utf-8")
    return folder


def round_trip(folder: Path, site: str, tmp: Path) -> Path:
    """``folder``'s study ``site`` exported, then imported into a new folder (via the CLI)."""
    project = tmp / f"{site}.qdpx"
    assert cli.main(["export-qdpx", str(folder), "--site", site, "--out", str(project)]) == 0
    again = tmp / "again"
    assert cli.main(["import-qdpx", str(project), "--site", site, "--out", str(again)]) == 0
    return again


def assert_same_study(before: Path, after: Path) -> None:
    for spec in FILES:
        assert rows(after, spec) == rows(before, spec), spec.path


# --- generated studies ---------------------------------------------------------------------

# letters of several scripts, digits, the punctuation real code names carry, '::' and '"'
ALPHABET = "abcxyz019 _-.:/()&'\"éőÁ漢字ğ"
NAME = (
    st.text(alphabet=ALPHABET, min_size=1, max_size=16)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s[0] not in "=+-@")
)
GUID = st.uuids().map(lambda u: str(u).upper())
ID = st.one_of(
    NAME,
    GUID,
    st.sampled_from(["2_distrust__media", "2_distrust_media", "1_oltas_tipusa", "a__b__c"]),
)
TEXT = st.text(alphabet="abc őé漢 .,\n", min_size=1, max_size=60).map(str.strip).filter(bool)


@st.composite
def studies(draw):
    """A study of 1-8 codes (themes that are other codes' labels: hierarchies up to the codes'
    number deep, cycles included), 1-10 segments in 1-4 sources, 1-3 coders, informants."""
    site = draw(st.sampled_from(["rt", "x-1", "studi-panjang-sekali-namanya-0123456789a"]))
    codes = draw(st.lists(ID, min_size=1, max_size=8, unique=True))
    labels = [draw(st.one_of(st.none(), NAME, st.sampled_from(codes))) for _ in codes]
    names = [lab if lab is not None else code for code, lab in zip(codes, labels)]
    themes = [draw(st.one_of(NAME, st.sampled_from(names))) for _ in codes]
    codebook = pd.DataFrame(
        {
            "code": codes,
            "theme": themes,
            "description": [draw(TEXT) for _ in codes],
            "theme_group": [draw(st.one_of(st.none(), NAME)) for _ in codes],
            "label": labels,
            "label@id": [draw(st.one_of(st.none(), NAME)) for _ in codes],
        }
    )
    coders = draw(st.lists(NAME, min_size=1, max_size=3, unique=True))
    sources = draw(st.lists(ID, min_size=1, max_size=4, unique=True))
    informant_ids = draw(st.lists(ID, min_size=1, max_size=4, unique=True))
    speaker = {s: draw(st.one_of(st.none(), st.sampled_from(informant_ids))) for s in sources}
    kind = {
        s: "interview" if speaker[s] else draw(st.sampled_from(["document", "observation"]))
        for s in sources
    }
    segment_ids = draw(st.lists(ID, min_size=1, max_size=10, unique=True))
    segment_rows = []
    for segment in segment_ids:
        source = draw(st.sampled_from(sources))
        # now and then a segment of an interview is another informant's (a group interview)
        who = speaker[source]
        if who and draw(st.booleans()) and draw(st.booleans()):
            who = draw(st.sampled_from(informant_ids))
        text, gloss = draw(TEXT), draw(st.one_of(st.none(), TEXT))
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(codes), st.sampled_from(coders)),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        for code, coder in pairs:
            segment_rows.append(
                (segment, site, source, kind[source], code, coder, text, who, gloss)
            )
    segments = pd.DataFrame(segment_rows, columns=SEGMENTS.columns)
    informants = pd.DataFrame(
        [
            {
                "informant_id": i,
                "site": site,
                "role": draw(st.sampled_from(ROLES)),
                "level": draw(st.sampled_from(LEVELS)),
                "cluster": draw(st.one_of(st.none(), NAME)),
                "consent_quote": draw(st.sampled_from(["true", "false"])),
                "agency": draw(st.one_of(st.none(), NAME)),
            }
            for i in informant_ids
        ]
    )
    registry = pd.DataFrame(
        [
            {
                "site": site,
                "short_name": draw(NAME),
                "title": draw(NAME),
                "place": draw(TEXT),  # several lines, even
                "programme": draw(NAME),
                "selection": draw(st.sampled_from(["purposive", "census", "other"])),
                "headline": draw(st.one_of(st.none(), NAME)),
                "fieldwork_year": draw(st.one_of(st.none(), st.sampled_from(["2016", "2024"]))),
                "reference": draw(TEXT),
                "place@id": draw(st.one_of(st.none(), TEXT)),
            }
        ]
    )
    return site, (codebook, segments, informants, registry)


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(study=studies())
def test_export_then_import_gives_back_every_code_segment_informant_and_the_registry_row(
    tmp_path_factory, study
):
    site, frames = study
    for frame, spec in zip(frames, FILES):
        note(f"{spec.path}:\n{to_csv_text(frame, spec)}")
    tmp = tmp_path_factory.mktemp("rt")
    before = write_study(tmp / "before", frames)
    assert_same_study(before, round_trip(before, site, tmp))


def test_names_that_differ_by_a_doubled_underscore_or_punctuation_stay_apart(tmp_path):
    """The real project of the issue: '2_distrust__media' must not become '2_distrust_media',
    and a theme's own code must not come back doubled ('1_oltas_tipusa__1_oltas_tipusa')."""
    codebook = pd.DataFrame(
        {
            "code": [
                "1_oltas_tipusa",
                "1_oltas_tipusa__media",
                "2_distrust__media",
                "2_distrust_media",
                "a.b",
                "a-b",
            ],
            "theme": ["1. Oltás típusa", "1. Oltás típusa", "2_distrust", "2_distrust", "x", "x"],
            "description": ["d"] * 6,
            "label": ["1. Oltás típusa", "media", "media", "media ", "a.b", "a-b"],
        }
    )
    segments = pd.DataFrame(
        [
            (f"s{i}", "hu", "INT-1", "document", code, "C1", f"text {i}", None, None)
            for i, code in enumerate(codebook["code"])
        ],
        columns=SEGMENTS.columns,
    )
    registry = pd.DataFrame(
        [
            {
                "site": "hu",
                "short_name": "HU",
                "title": "T",
                "place": "Szeged",
                "programme": "P",
                "selection": "other",
                "reference": "R",
            }
        ]
    )
    informants = pd.DataFrame(columns=INFORMANTS.columns)
    before = write_study(tmp_path / "before", (codebook, segments, informants, registry))
    (before / INFORMANTS.path).unlink()  # no informants: no file
    again = round_trip(before, "hu", tmp_path)
    for spec in (CODEBOOK, SEGMENTS, STUDIES):
        assert rows(again, spec) == rows(before, spec)
    codes = set(read_csv_text(again / CODEBOOK.path, "c").frame["code"])
    assert "1_oltas_tipusa__1_oltas_tipusa" not in codes and "2_distrust__media" in codes


def test_a_cycle_of_themes_and_a_deep_chain_are_written_without_recursion():
    n = 5000
    chain = pd.DataFrame(
        {
            "code": [f"c{i}" for i in range(n)] + ["p", "q"],
            "theme": ["top"] + [f"c{i}" for i in range(n - 1)] + ["q", "p"],  # p and q: a cycle
            "label": [f"c{i}" for i in range(n)] + ["p", "q"],
        }
    )
    parents = code_parents(chain)
    assert parents[1] == 0 and parents[2] == 1
    depth, i = 0, n - 1
    while i is not None:
        depth, i = depth + 1, parents[i]
    assert depth <= 32  # the nesting written is bounded
    assert None in (parents[n], parents[n + 1])  # the cycle is cut


# --- shipped and real projects -------------------------------------------------------------


@needs(QC)
def test_a_real_tools_project_imported_filled_in_exported_and_imported_is_unchanged(
    tmp_path, capsys
):
    first = tmp_path / "first"
    assert cli.main(["import-qdpx", str(QC), "--site", "qc", "--out", str(first)]) == 0
    # the researcher fills in what the import listed: the registry row and the informant's role
    studies = read_csv_text(first / STUDIES.path, "s").frame
    studies[["place", "programme", "reference"]] = ["Kota Malang", "PKH", "Board minutes, 2017"]
    studies["place@id"] = "Kota Malang, Jawa Timur"
    (first / STUDIES.path).write_text(to_csv_text(studies, STUDIES), encoding="utf-8")
    informants = read_csv_text(first / INFORMANTS.path, "i").frame
    informants[["role", "level"]] = ["regency_official", "regency"]
    (first / INFORMANTS.path).write_text(to_csv_text(informants, INFORMANTS), encoding="utf-8")
    capsys.readouterr()
    again = round_trip(first, "qc", tmp_path)
    assert_same_study(first, again)
    assert "to fill in" not in capsys.readouterr().out  # nothing left to fill


@pytest.mark.parametrize("counting", COUNTINGS[:9], ids=lambda c: c.key)
def test_an_nvivo_shaped_project_filled_in_exported_and_imported_is_unchanged(tmp_path, counting):
    """The NVivo-shaped exports of test_qdpx_quirks (CRLF text with a BOM, positions in each
    unit): imported, its registry row filled in, exported, imported again: the same study."""
    file = nvivo_like(tmp_path / "n.qdpx", counting=counting)
    first = tmp_path / "first"
    assert cli.main(["import-qdpx", str(file), "--site", "hu", "--out", str(first)]) == 0
    studies = read_csv_text(first / STUDIES.path, "s").frame
    studies[["place", "programme", "reference"]] = ["Szeged", "PKH", "Interviews, 2021"]
    (first / STUDIES.path).write_text(to_csv_text(studies, STUDIES), encoding="utf-8")
    again = round_trip(first, "hu", tmp_path)
    assert_same_study(first, again)
    segments = read_csv_text(again / SEGMENTS.path, "s").frame
    assert set(segments["text"]) == set(PASSAGES)
