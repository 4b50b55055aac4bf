"""The P0 map: boundaries matched to the BPS codes, drawn with no network, described in numbers."""

from __future__ import annotations

import ast
import json
import socket

import matplotlib
import pandas as pd
import pytest

from analysis.data import datapackage
from analysis.data.loading import sha256
from analysis.methods import context, geography, province
from analysis.project import DATA_DIR, PACKAGE_DIR
from analysis.report import map as map_report
from analysis.report.parts import Figure, Table, Text
from analysis.report.words import Words

matplotlib.use("Agg")

BOUNDARIES = DATA_DIR / geography.BOUNDARIES_PATH
STUDY_CODES = ["3517", "3510"]


@pytest.fixture(scope="module")
def facts():
    return context.load_bps(DATA_DIR)


@pytest.fixture(scope="module")
def boundaries():
    return geography.load_boundaries(DATA_DIR)


@pytest.fixture(scope="module")
def overview(facts):
    return province.province_overview(facts, 35, 2018, marked=[int(c) for c in STUDY_CODES])


@pytest.fixture(scope="module")
def jatim_map(overview, boundaries):
    return geography.area_map(overview, boundaries)


def _regencies(facts) -> pd.DataFrame:
    series = facts[(facts["series"] == "bps_regency_p0") & (facts["area_code"].str.len() == 4)]
    return series[["area_code", "area_name"]].drop_duplicates("area_code")


# --------------------------------------------------------------------------- the file
def test_the_boundary_file_is_at_most_one_megabyte():
    assert 0 < BOUNDARIES.stat().st_size <= 1_000_000


def test_the_boundary_file_has_its_licence_and_source_in_the_data_package():
    descriptor = json.loads((DATA_DIR / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == geography.BOUNDARIES_PATH)
    assert [lic["name"] for lic in resource["licenses"]] == ["MIT"]
    assert all(s["path"].startswith(datapackage.BOUNDARY_REPOSITORY) for s in resource["sources"])
    assert resource["hash"] == "sha256:" + sha256(BOUNDARIES)
    assert resource["bytes"] == BOUNDARIES.stat().st_size
    notice = (BOUNDARIES.parent / "regency_boundaries.LICENSE").read_text(encoding="utf-8")
    assert notice.startswith("MIT License") and "Cahya DSN" in notice
    assert datapackage.check_hashes(DATA_DIR, descriptor).ok


def test_a_boundary_file_the_descriptor_lacks_is_reported(tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / geography.BOUNDARIES_PATH).write_text('{"features": []}', encoding="utf-8")
    assert datapackage.check_hashes(tmp_path, {"resources": []}).undescribed == [
        geography.BOUNDARIES_PATH
    ]
    written = datapackage.build_descriptor(tmp_path)
    assert [r["name"] for r in written["resources"]] == ["regency_boundaries"]
    assert written["profile"] == "data-package"  # not every file is a table


# --------------------------------------------------------------------------- matching
def test_all_38_areas_of_jawa_timur_match_by_their_own_code(facts, boundaries):
    jatim = _regencies(facts)
    jatim = jatim[jatim["area_code"].str.startswith("35")]
    found = geography.match(boundaries, jatim)
    assert len(jatim) == 38
    assert found.complete and found.by_name == []
    assert found.codes == {code: code for code in jatim["area_code"]}


def test_every_bps_area_the_file_has_is_matched_to_its_namesake_and_the_rest_are_named(
    facts, boundaries
):
    areas = _regencies(facts)
    found = geography.match(boundaries, areas)
    names = areas.set_index("area_code")["area_name"]
    assert set(found.codes) | set(found.missing["area_code"]) == set(areas["area_code"])
    assert not set(found.codes) & set(found.missing["area_code"])
    for code, file_code in found.codes.items():  # the same area, whatever its code
        assert geography.name_key(names[code]) == geography.name_key(boundaries.names[file_code])
    assert len(set(found.codes.values())) == len(found.codes)  # no shape drawn twice
    assert found.missing["area_name"].str.len().gt(0).all()
    assert len(found.codes) >= 500  # renamed areas only are left (Toba Samosir, now Toba, ...)


def _square(x, y):
    import numpy as np

    return [[np.array([[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]], dtype=float)]]


def test_a_code_that_names_another_area_is_not_taken_and_the_name_is_matched_instead():
    boundaries = geography.Boundaries(
        {"9101": _square(0, 0), "9171": _square(1, 0), "9103": _square(2, 0)},
        {"9101": "Kabupaten Merauke", "9171": "Kota Jayapura", "9103": "Kabupaten Jayapura"},
    )
    areas = pd.DataFrame(
        {
            "area_code": ["9101", "9471", "9403", "9999"],
            "area_name": ["Fakfak", "Kota Jayapura", "Jayapura", "Nowhere"],
        }
    )
    found = geography.match(boundaries, areas)
    assert found.codes == {"9471": "9171", "9403": "9103"}
    assert found.by_name == ["9403", "9471"]
    assert list(found.missing["area_code"]) == ["9101", "9999"]


def test_a_city_and_the_regency_of_its_name_stay_apart():
    assert geography.name_key("Kota Kediri") != geography.name_key("Kediri")
    assert geography.name_key("Kabupaten Fak Fak") == geography.name_key("Fakfak")
    assert geography.name_key("Kota Administrasi Jakarta Pusat") == geography.name_key(
        "Kota Jakarta Pusat"
    )


def test_a_feature_without_a_code_is_refused(tmp_path):
    path = tmp_path / "b.geojson"
    path.write_text(
        json.dumps(
            {
                "features": [
                    {
                        "properties": {"name": "x"},
                        "geometry": {"type": "Polygon", "coordinates": []},
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="area_code"):
        geography.read_boundaries(path)


# --------------------------------------------------------------------------- the map
def test_the_map_has_every_area_of_jawa_timur_and_the_study_areas_marked(jatim_map):
    assert len(jatim_map.table) == 38 and jatim_map.table["mapped"].all()
    assert set(jatim_map.shapes) == set(jatim_map.table["area_code"])
    assert sorted(jatim_map.table.loc[jatim_map.table["marked"], "area_code"]) == sorted(
        STUDY_CODES
    )
    assert jatim_map.missing.empty


def test_the_figure_draws_with_no_network(jatim_map, monkeypatch):
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    def refuse(*args, **kwargs):
        raise AssertionError("the map tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    parts = map_report.p0_map(jatim_map, lang="en")
    assert isinstance(parts[0], Figure) and isinstance(parts[1], Table)
    fig = parts[0].draw()
    try:
        collections = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
        coloured, outlined = collections
        fig.canvas.draw()
        assert len(coloured.get_paths()) == 38
        assert len(set(map(tuple, coloured.get_facecolors()))) > 10  # a scale, not one colour
        assert coloured.get_cmap().name == map_report.CMAP
        assert len(outlined.get_paths()) == len(STUDY_CODES)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_alt_text_holds_the_numbers_in_the_editions_language(jatim_map, overview, lang):
    w = Words(lang)
    t = overview.table
    alt = map_report.p0_map(jatim_map, lang=lang)[0].alt
    lowest, highest = t.loc[t["p0"].idxmin()], t.loc[t["p0"].idxmax()]
    for row in (lowest, highest, *[r for _, r in t[t["marked"]].iterrows()]):
        assert f"{row['area_name']} ({w.percent(row['p0'], 2)})" in alt
    assert w.integer(len(t)) in alt and str(overview.year) in alt
    assert ("Peta" in alt) == (lang == "id")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_table_beside_the_map_lists_every_area_with_its_p0(jatim_map, lang):
    w = Words(lang)
    frame = map_report.p0_map(jatim_map, lang=lang)[1].frame
    assert len(frame) == 38
    assert list(frame[w._("P0 (%)")]) == [w.number(v, 2) for v in jatim_map.table["p0"]]


def test_areas_without_a_shape_are_named_not_drawn(overview, boundaries):
    some = geography.Boundaries(
        {c: s for c, s in boundaries.shapes.items() if c != "3578"}, boundaries.names
    )
    partial = geography.area_map(overview, some)
    parts = map_report.p0_map(partial, lang="en")
    assert "Kota Surabaya" in parts[0].alt and "not drawn" in parts[0].alt
    assert isinstance(parts[2], Text) and isinstance(parts[3], Table)
    assert list(parts[3].frame["Code"]) == ["3578"]


def test_no_figure_when_the_file_has_none_of_the_areas(overview):
    empty = geography.area_map(overview, geography.Boundaries({}, {}))
    parts = map_report.p0_map(empty, lang="en")
    assert not any(isinstance(p, Figure) for p in parts)
    assert len(parts[-1].frame) == 38  # every area named


# --------------------------------------------------------------------------- layers
WORDS = {"_", "N_", "ngettext", "gettext", "pgettext"}
FORBIDDEN_MODULES = ("analysis.formatting", "analysis.literal", "matplotlib", "analysis.i18n")


@pytest.mark.parametrize("module", ["methods/geography.py"])
def test_methods_speak_no_words(module):
    tree = ast.parse((PACKAGE_DIR / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in WORDS, f"{module} calls {node.func.id}()"
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        assert not any(n.startswith(FORBIDDEN_MODULES) for n in names), names
        assert not any(n.endswith((".formatting", ".literal")) for n in names), names


# --------------------------------------------------------------------------- the vendoring script
def test_the_vendoring_script_turns_rows_into_features_with_bps_codes(tmp_path):
    import vendor_regency_boundaries as vendor

    ring = "[[-7.5,112.2],[-7.5,112.3004],[-7.6,112.3004],[-7.6,112.2],[-7.5,112.2]]"
    islet = "[[-7.0,113.0],[-7.0,113.0001],[-7.0001,113.0],[-7.0,113.0]]"  # collapses when rounded
    (tmp_path / "wilayah_boundaries_kab_35.sql").write_text(
        "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n"
        f"\t('35.17','Kabupaten Jombang',-7.55,112.25,'[{ring}]'),\n"
        f"\t('35.78','Kota Surabaya',-7.2,112.7,'[[{ring}],[{islet}]]');\n",
        encoding="utf-8",
    )
    out = tmp_path / "b.geojson"
    assert vendor.main([str(tmp_path), str(out), "--tolerance", "0", "--digits", "3"]) == 0
    read = geography.read_boundaries(out)
    assert read.names == {"3517": "Kabupaten Jombang", "3578": "Kota Surabaya"}
    (outer,) = read.shapes["3517"][0]
    assert outer[0].tolist() == [112.2, -7.5]  # longitude first, as GeoJSON wants
    assert outer[1].tolist() == [112.3, -7.5]  # rounded to 3 decimals
    assert len(read.shapes["3578"]) == 1  # the islet fell below four distinct points


def test_a_data_folder_without_the_boundary_file_has_no_shapes(tmp_path):
    assert geography.load_boundaries(tmp_path) == geography.Boundaries({}, {})


def test_a_chapter_with_its_own_table_shows_the_map_without_a_second_one(jatim_map):
    parts = map_report.p0_map(jatim_map, lang="en", with_table=False)
    assert not any(isinstance(p, Table) for p in parts)
    assert any(isinstance(p, Figure) for p in parts)
    assert any(isinstance(p, Table) for p in map_report.p0_map(jatim_map, lang="en"))
