"""Sources a reader can trust: every BPS figure names the BPS release it comes from, apart from
the page it was retrieved from; the chapters cite releases, list retrieval pages once per
publication at the end, print figures with the precision their source has, give one row an
area and year, and caption each figure with its own area, shaded years and comparison series.
"""

from __future__ import annotations

import csv
import json
import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from analysis.data.contract import PUBLIC_FILES
from analysis.data.validate import validate_directory
from analysis.methods import context
from analysis.project import PROJECT_ROOT
from analysis.report import context as report

DATA = PROJECT_ROOT / "data"
PUBLIC = DATA / "public"
CHAPTERS = PROJECT_ROOT / "book" / "chapters"
has_public = pytest.mark.skipif(
    not (PUBLIC / "bps_regency_p0_2010_2018.csv").is_file(), reason="data/public not present"
)
#: What introduces the retrieval pages in a chapter's source list, per edition.
RETRIEVED = ("Retrieved from:", "Diambil dari:")


@pytest.fixture(scope="module")
def facts():
    return context.load_bps(DATA)


def _rows(spec):
    with open(DATA / spec.path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _retrieval_hosts() -> set[str]:
    """The sites figures were retrieved from, other than BPS's own and GitHub."""
    hosts = set()
    for spec in PUBLIC_FILES:
        for row in _rows(spec):
            host = urlparse(row["source_url"]).netloc.removeprefix("www.")
            if host and not host.endswith("bps.go.id") and host != "github.com":
                hosts.add(host)
    return hosts


# --------------------------------------------------------------------------- the data
@has_public
@pytest.mark.parametrize("spec", PUBLIC_FILES, ids=lambda s: s.key)
def test_every_public_figure_names_a_bps_release_apart_from_its_retrieval_page(spec):
    rows = _rows(spec)
    hosts = _retrieval_hosts()
    for row in rows:
        assert row["release"].startswith("BPS"), row
        assert not any(host in row["release"] for host in hosts), row["release"]
        assert "http" not in row["release"] and "quoted by" not in row["release"]
        assert row["source"] and row["source_url"].startswith("http")


@has_public
def test_releases_are_named_no_more_precisely_than_their_pages():
    """A Berita Resmi Statistik number appears only where the row's page names it."""
    rows = [r for spec in PUBLIC_FILES for r in _rows(spec)]
    numbered = [r for r in rows if " No. " in r["release"]]
    assert numbered  # the copies of releases name their numbers
    for row in numbered:
        number = re.search(r"No\. ([^:]+):", row["release"]).group(1)
        assert number in row["source"], row
    march_2017 = [
        r
        for r in rows
        if r["area_code"] == "00" and r["year"] == "2017" and r.get("round") == "March"
    ]
    assert {r["release"] for r in march_2017} == {
        "BPS, Berita Resmi Statistik: Profil Kemiskinan di Indonesia Maret 2017"
    }


def test_a_row_without_a_release_is_an_error_naming_file_line_and_column(tmp_path):
    (tmp_path / "public").mkdir()
    source = PUBLIC / "cpi_inflation_national.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert "release" in header
    row = next(csv.reader([lines[3]]))
    row[header.index("release")] = ""
    buffer = [lines[0], lines[1], lines[2]]
    with open(tmp_path / "public" / "cpi_inflation_national.csv", "w", newline="") as handle:
        handle.write("\n".join(buffer) + "\n")
        csv.writer(handle, lineterminator="\n").writerow(row)
    result = validate_directory(tmp_path)
    problems = [p for p in result.problems if p.column == "release"]
    assert not result.ok and len(problems) == 1
    assert problems[0].file.endswith("cpi_inflation_national.csv") and problems[0].line == 4


def test_a_file_without_the_release_column_is_an_error(tmp_path):
    (tmp_path / "public").mkdir()
    frame = pd.read_csv(PUBLIC / "cpi_inflation_national.csv", dtype=str)
    frame.drop(columns="release").to_csv(
        tmp_path / "public" / "cpi_inflation_national.csv", index=False
    )
    result = validate_directory(tmp_path)
    assert any(p.column == "release" and p.line == 1 for p in result.problems)


# --------------------------------------------------------------------------- the chapters' parts
@has_public
def test_the_source_list_gives_one_entry_per_publication_with_each_page_once(facts):
    table = context.sources_table(facts, ["3517", "35", "00"])
    assert table["publication"].is_unique
    assert "BPS, Berita Resmi Statistik: Profil Kemiskinan di Indonesia" in set(
        table["publication"]
    )
    for lang, retrieved in zip(("en", "id"), RETRIEVED):
        markdown = report.sources(table, lang=lang).markdown
        items = markdown.splitlines()
        assert len(items) == len(table)
        urls = [u for pages in table["retrieved"] for _title, u in pages]
        for url in set(urls):
            assert markdown.count(f"(<{url}>)") == urls.count(url) == 1, url
        for item in items:  # a retrieval page is named only after "Retrieved from"
            head = item.split(retrieved)[0]
            assert not any(host in head for host in _retrieval_hosts()), item


@has_public
def test_the_disagreement_sentence_cites_the_release_not_the_page(facts):
    history = context.p0_history(facts, 3510)
    sentence = report.history_sentences(history, lang="en")["sources"]
    assert "BPS Kabupaten Banyuwangi, poverty figures, March 2013 gives 9.57" in sentence
    assert "discoverybanyuwangi" not in sentence and "quoted by" not in sentence
    frame = report.alternatives_frame(history, lang="en")
    assert "Its BPS release" in frame.columns


@has_public
def test_rounded_press_figures_keep_their_precision(facts):
    tables = dict(context.rounds_by_area(facts, ["35", "00"]))
    for lang, rounded, exact in (("en", "3,876", "3,982.69"), ("id", "3.876", "3.982,69")):
        parts = report.wider_indicators(list(tables.items()), lang=lang)
        jatim = parts[1].frame.set_index(parts[1].frame.columns[0])
        poor = [c for c in jatim.columns if "March" in c or "Maret" in c][1]
        assert jatim.loc["2025", poor] == rounded  # "3.876 million" in the press: no decimals
        assert jatim.loc["2024", poor] == exact
        national = parts[4].frame.set_index(parts[4].frame.columns[0])
        poor = [c for c in national.columns if "March" in c or "Maret" in c][1]
        assert national.loc["2015", poor] in ("28,590", "28.590")
    assert report.recorded_decimals(11.2, 2) == 2  # BPS's 11.20, its trailing zero dropped
    assert report.recorded_decimals(10.0, 2) == 0  # Jombang 2021 quoted as "10 %"


@has_public
def test_the_province_and_nation_have_one_row_an_area_and_year(facts):
    for name, table in context.rounds_by_area(facts, ["35", "00"]):
        assert table["year"].is_unique, name
        assert list(table["year"]) == list(range(2015, 2026))
        assert {"p0_March", "p0_September"} <= set(table.columns)
    jatim = context.indicator_rounds(facts, "35").set_index("year")
    assert pd.isna(jatim.loc[2023, "p0_September"])  # no September 2023 round
    assert jatim.loc[2016, "p0_March"] == 12.05 and jatim.loc[2016, "p0_September"] == 11.85
    for code in ("3517", "3510"):
        table = context.indicator_table(facts, code)
        assert not table.duplicated(["year", "round"]).any(), code


@has_public
def test_each_source_line_under_a_table_names_bps_publications_only(facts):
    parts = report.indicators(
        context.indicator_table(facts, 3517), context.find_area(facts, 3517), lang="en"
    )
    line = parts[-1].markdown
    assert line.startswith("Source: BPS") and "kedaiberita" not in line


# --------------------------------------------------------------------------- captions
def _history(missing=()):
    rows = []
    for year in range(2010, 2019):
        if year not in missing:
            rows.append(
                {
                    "area_code": "3501",
                    "area_name": "Pacitan",
                    "area_type": "regency",
                    "province": "Jawa Timur",
                    "year": year,
                    "round": "March",
                    "indicator": "p0",
                    "value": 15.0 - 0.1 * (year - 2010),
                    "unit": "percent",
                    "release": f"BPS, headcount poverty rate (P0) by regency and city, March {year}",
                    "series": "bps_regency_p0",
                }
            )
    facts = context.tidy_facts(pd.DataFrame(rows))
    return context.p0_history(facts, "3501", 2010, 2018)


def test_the_p0_caption_names_its_area_its_shaded_years_and_its_comparisons():
    gaps = report.history_caption(_history(missing=(2013, 2014)), lang="en")
    assert "of Pacitan, 2010\u20132018" in gaps
    assert "Shaded: 2013\u20132014, with no figure for Pacitan" in gaps
    assert (
        "the median of Jawa Timur's regencies and cities (2010\u20132012, 2015\u20132018)" in gaps
    )
    assert "chapter's regency" not in gaps
    full = report.history_caption(_history(), lang="en")
    assert "no year is shaded" in full and "Shaded:" not in full
    assert "BPS rate of Indonesia" not in full  # the data hold no national rate here
    assert "tidak ada tahun yang diarsir" in report.history_caption(_history(), lang="id")


@has_public
def test_the_rank_caption_names_the_province_the_area_and_the_years(facts):
    caption = report.ranks_caption(context.province_ranks(facts, 3510), lang="en")
    assert "of Jawa Timur" in caption and "Banyuwangi (red)" in caption
    assert "March 2010\u20132018" in caption and "among the 38 regencies" in caption


def test_the_context_template_glues_its_captions():
    cells = json.loads((PROJECT_ROOT / "book" / "templates" / "context.ipynb").read_text())["cells"]
    captions = [
        c["metadata"]["mystnb"]["figure"]["caption"]
        for c in cells
        if "figure" in c.get("metadata", {}).get("mystnb", {})
    ]
    assert captions == ["{glue:text}`caption_p0`", "{glue:text}`caption_ranks`"]


# --------------------------------------------------------------------------- the executed book
def _executed_chapters():
    return sorted(CHAPTERS.glob("*.ipynb")) + sorted((CHAPTERS / "id").glob("*.ipynb"))


def _texts(notebook) -> list[str]:
    """What a reader sees of an executed chapter: its Markdown and its outputs' text."""
    texts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            texts.append("".join(cell["source"]))
        caption = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption")
        if caption:
            texts.append(caption)
        for output in cell.get("outputs", []):
            for mime in ("text/markdown", "text/html", "text/plain"):
                value = output.get("data", {}).get(mime)
                if value:
                    texts.append("".join(value) if isinstance(value, list) else value)
    return texts


@has_public
@pytest.mark.skipif(not CHAPTERS.is_dir(), reason="no executed chapters")
@pytest.mark.parametrize("path", _executed_chapters(), ids=lambda p: str(p.relative_to(CHAPTERS)))
def test_no_news_site_is_named_as_a_figures_source_in_an_executed_chapter(path):
    hosts = _retrieval_hosts()
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for text in _texts(notebook):
        for line in text.splitlines():
            named = _hosts_named_as_source(line, hosts)
            assert not named, f"{path.name}: {named} in {line[:200]!r}"


def _hosts_named_as_source(line: str, hosts) -> list[str]:
    """The retrieval hosts ``line`` names before its "Retrieved from" links, read as a reader
    sees the text (Markdown's backslash escapes undone: ``liputan6\\.com`` is liputan6.com)."""
    for marker in RETRIEVED:  # the source list's retrieval links are allowed
        line = line.split(marker)[0]
    shown = re.sub(r"\\(.)", r"\1", line)
    return [h for h in hosts if h in shown]


def test_a_news_site_is_found_in_escaped_markdown_and_allowed_after_retrieved_from():
    hosts = ["liputan6.com"]
    assert _hosts_named_as_source("BPS, quoted by liputan6\\.com", hosts) == hosts
    assert _hosts_named_as_source("BPS, quoted by liputan6.com", hosts) == hosts
    assert (
        _hosts_named_as_source("**BPS** (p0). Retrieved from: [liputan6\\.com](<x>)", hosts) == []
    )


@has_public
def test_the_retrieval_host_list_holds_the_news_sites():
    assert {"liputan6.com", "jatim.tribunnews.com"} <= {
        h.removeprefix("opera.") for h in _retrieval_hosts()
    }


@has_public
def test_the_period_table_prints_ranks_as_whole_numbers(facts):
    change = context.period_change(facts, 3510, 2015, 2017)
    frame = report.change_frame(change, lang="id").set_index("Ukuran")
    rank = next(i for i in frame.index if i.startswith("Peringkat"))
    assert list(frame.loc[rank]) == ["27", "27", "0"]


@has_public
def test_the_overview_lists_only_the_sources_of_the_figures_it_shows(facts):
    codes = [*context.local_areas(facts).query("area_code.str.startswith('35')")["area_code"]]
    every = context.sources_table(facts, [*codes, "35", "00"])
    shown = context.sources_table(facts, [*codes, "35", "00"], years=[2018], indicators=["p0"])
    assert set(shown["years"]) == {"2018"} and set(shown["indicators"]) == {"p0"}
    links = sum(len(r) for r in shown["retrieved"])
    assert links < sum(len(r) for r in every["retrieved"]) and links <= 6
