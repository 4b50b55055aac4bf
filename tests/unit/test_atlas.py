"""The atlas (--areas) and the province overview chapter (analysis.pipeline.atlas, methods.context)."""

from __future__ import annotations

import csv

import pytest
import yaml

from analysis.methods import context, province
from analysis.pipeline import atlas, runner
from analysis.pipeline.runner import RunsFileError
from analysis.project import DATA_DIR, PROJECT_ROOT, RUNS_FILE
from analysis.report import context as report

PUBLIC = DATA_DIR / "public"


def rows(name: str) -> list[dict]:
    with (PUBLIC / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_prefix_35_is_the_38_regencies_and_cities_of_jawa_timur_and_all_is_514():
    east_java = atlas.matching_areas("35", DATA_DIR)
    assert len(east_java) == 38
    assert {a["province"] for a in east_java} == {"Jawa Timur"}
    assert {"3517", "3510"} <= {a["code"] for a in east_java}
    assert len(atlas.matching_areas("all", DATA_DIR)) == 514
    assert [a["code"] for a in atlas.matching_areas("3517, 3510", DATA_DIR)] == ["3510", "3517"]


@pytest.mark.parametrize("codes", ["", "35x", "jatim", "99"])
def test_codes_that_are_not_bps_codes_or_match_nothing_are_a_clear_error(codes):
    with pytest.raises(RunsFileError, match="--areas"):
        atlas.matching_areas(codes, DATA_DIR)


def test_atlas_runs_use_the_one_context_template_with_valid_parameters():
    runs = atlas.atlas_runs("35", DATA_DIR)
    assert {r.template for r in runs} == {"context.ipynb"}
    assert len({r.output for r in runs}) == 38
    for run in runs[:3]:
        assert runner.check_parameters(run)["area_code"] == int(run.id.removeprefix("atlas-"))
    part = atlas.toc_part(runs, "35")
    assert part["caption"].startswith("Atlas: 38 regencies and cities")
    assert [c["file"] for c in part["chapters"]] == [r.docname for r in runs]


# --------------------------------------------------------------------------- the overview
@pytest.fixture(scope="module")
def facts():
    return context.load_bps(DATA_DIR)


def test_overview_ranks_all_38_areas_of_jawa_timur_in_2018_like_the_bps_file(facts):
    overview = province.province_overview(facts, 35, 2018, marked=[3517, 3510])
    expected = {
        r["area_code"]: float(r["value"])
        for r in rows("bps_regency_p0_2010_2018.csv")
        if r["area_code"].startswith("35")
        and r["year"] == "2018"
        and r["indicator"] == "p0"
        and r["round"] == "March"
    }
    table = overview.table
    assert len(table) == 38 and dict(zip(table["area_code"], table["p0"])) == expected
    assert list(table["p0"]) == sorted(expected.values(), reverse=True)
    assert table["rank"].iloc[0] == 1 and table["rank"].is_monotonic_increasing
    assert set(table.loc[table["marked"], "area_code"]) == {"3517", "3510"}


def test_overview_lines_are_bps_province_and_national_rates_of_the_same_year(facts):
    overview = province.province_overview(facts, "35", 2018)
    published = {
        (r["area_code"], r["round"]): float(r["value"])
        for r in rows("bps_province_poverty_2015_2025.csv")
        if r["year"] == "2018" and r["indicator"] == "p0"
    }
    assert overview.province_p0 == published["35", "March"]
    assert overview.province_round == "March"
    # the national March 2018 figure (9.82, from the verified BPS reference) is the one used
    assert (overview.national_p0, overview.national_round) == (published["00", "March"], "March")
    assert overview.province_p0 == published["35", "March"]
    d = overview.to_dict()
    assert d["n_above_province"] == int((overview.table["p0"] > published["35", "March"]).sum())
    assert d["median_p0"] == pytest.approx(overview.table["p0"].median())


def test_overview_of_a_year_outside_the_series_names_the_years_it_has(facts):
    with pytest.raises(context.UnknownAreaError, match="2010"):
        province.province_overview(facts, 35, 2024)


def test_overview_plot_draws_one_dot_per_area_and_both_lines(facts):
    import matplotlib

    matplotlib.use("Agg")
    overview = province.province_overview(facts, 35, 2018, marked=[3517, 3510])
    fig = report.plot_province_overview(overview, lang="en")
    ax = fig.axes[0]
    dots = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets"))
    assert dots >= 38
    assert len(ax.get_yticklabels()) == 38
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("Jawa Timur" in label for label in labels) and any("Indonesia" in t for t in labels)


def test_the_overview_chapter_is_in_the_runs_file_and_the_table_of_contents():
    runs = {r.id: r for r in runner.load_runs(RUNS_FILE)}
    assert runs["overview-jawa-timur"].template == "overview.ipynb"
    toc = yaml.safe_load((PROJECT_ROOT / "_toc.yml").read_text())
    files = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert runs["overview-jawa-timur"].docname in files
