"""AppTest: the near-me page, from a link, a search or typed coordinates, with bad input."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import Point
from shapely.ops import nearest_points
from streamlit.testing.v1 import AppTest

from tests.app.test_dashboard import _run
from tests.conftest import DATA_DIR

PLACES = gpd.read_file(DATA_DIR / "catalogue.gpkg", layer="places")
GEOD = Geod(ellps="WGS84")
BAITEREK = (51.1281, 71.4303)  # lat, lon: Baiterek's position in the catalogue (rounded)
RESULT = re.compile(r"^\*\*(\d+)\. (.+?)\*\* — ")


def _results(at: AppTest) -> list[tuple[str, str]]:
    """Return (name, whole text) of each result, in the order shown."""
    out = []
    for m in at.markdown:
        text = m.value.replace("\\", "")
        match = RESULT.match(text)
        if match:
            out.append((match.group(2), text))
    return out


def _names(at: AppTest) -> list[str]:
    return [name for name, _ in _results(at)]


def _errors(at: AppTest) -> str:
    return " ".join(e.value.replace("\\", "") for e in at.error)


def _search(at: AppTest, text: str, button_label: str = "Search") -> AppTest:
    at.text_input(key="near_query").input(text)
    (button,) = [b for b in at.button if b.label == button_label]
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_a_link_with_near_opens_the_nearest_places_in_distance_order():
    at = _run(lang="en", near="51.12800,71.43000")
    assert at.segmented_control(key="mode").value == "near"
    names = _names(at)
    assert len(names) == 5
    assert names[:2] == ["Water-Green Boulevard", "Baiterek"]
    assert at.query_params["near"] == "51.12800,71.43000"
    assert at.query_params["mode"] == "near"


def test_distances_agree_with_geodesics():
    at = _run(lang="en", near="51.15,71.47")
    for name, text in _results(at):
        row = PLACES[PLACES["name_en"] == name].iloc[0]
        point = nearest_points(row.geometry, Point(71.47, 51.15))[0]  # a line: its nearest point
        _, _, metres = GEOD.inv(71.47, 51.15, point.x, point.y)
        match = re.search(r"(\d[\d,.]*) (km|m) · ≈ (\d+) min on foot", text)
        assert match, text
        shown = float(match.group(1).replace(",", "")) * (1000 if match.group(2) == "km" else 1)
        tolerance = 50 if match.group(2) == "km" else 5  # shown to 0.1 km or 10 m
        assert abs(shown - metres) <= tolerance + 0.005 * metres, (name, shown, metres)
        assert abs(int(match.group(3)) - metres / 80) <= 1  # 4.8 km/h is 80 m a minute


def test_ties_keep_the_catalogue_order_and_n_limits():
    expo = (51.0893, 71.4164)
    at = _run(lang="en", near=f"{expo[0]},{expo[1]}", n="4")
    tied = _names(at)
    same_point = ["astana_expo_cluster", "astana_nur_alem", "astana_hub", "astana_aifc"]
    assert set(tied) == set(PLACES.loc[PLACES["id"].isin(same_point), "name_en"])
    order = list(PLACES.loc[PLACES["name_en"].isin(tied), "name_en"])
    assert tied == order  # equal distances: the catalogue's order


def test_radius_and_filters_apply_to_results():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", radius="2", n="50")
    names = _names(at)
    assert "Baiterek" in names
    assert "Khan Shatyr" in names  # about 1.8 km
    assert "Nur Alem" not in names  # about 4.4 km
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", kind="creative_cluster", n="50")
    kinds = set(PLACES.loc[PLACES["name_en"].isin(_names(at)), "kind"])
    assert kinds == {"creative_cluster"}
    cities = set(PLACES.loc[PLACES["name_en"].isin(_names(at)), "city"])
    assert cities == {"astana"}  # the position decides the city


def test_unknown_locations_are_counted_and_approximate_ones_marked():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="50")
    unplaced_astana = int(((PLACES["city"] == "astana") & PLACES.geometry.isna()).sum())
    assert any(
        f"{unplaced_astana} matching places have no confirmed location" in c.value
        for c in at.caption
    )
    results = dict(_results(at))
    assert "approximate location (±150 m)" in results["Water-Green Boulevard"]
    assert "approximate" not in results["Baiterek"]
    assert "Zhastar" not in " ".join(results)


def test_each_result_links_to_directions_from_here():
    at = _run(lang="en", near="51.12800,71.43000", n="1")
    ((_, text),) = _results(at)
    assert "https://2gis.kz/astana/directions/points/71.430000%2C51.128000%7C" in text
    assert "engine=fossgis_osrm_foot&route=51.128000%2C71.430000%3B" in text


def test_walking_assumption_is_stated():
    at = _run(lang="en", near="51.12800,71.43000")
    assert any("walking times assume 4.8 km/h" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("near", "message"),
    [
        ("abc", "That is not a position"),
        ("200,71.4", "Latitude must be between"),
        ("51.1,500", "Longitude must be between"),
        ("55.75,37.62", "outside Astana and Almaty"),
        ("", "That is not a position"),
    ],
)
def test_bad_near_values_get_a_message_beside_the_input_and_the_page_works(near, message):
    at = _run(lang="en", near=near, kind="landmark")
    assert message in _errors(at)
    assert _names(at) == []
    assert any("First say where you are" in i.value for i in at.info)
    assert at.multiselect(key="kind").value == ["landmark"]  # other choices survive
    at.segmented_control(key="mode").set_value("map").run()
    assert not at.exception
    assert any("of 17 places" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"n": "abc"}, "Ignored n=abc"),
        ({"n": "²"}, "Ignored n=²"),
        ({"n": "0"}, "Ignored n=0"),
        ({"radius": "3"}, "Ignored radius=3"),
        ({"radius": "¹"}, "Ignored radius=¹"),
    ],
)
def test_bad_n_and_radius_are_ignored_with_a_notice(params, notice):
    at = _run(lang="en", near="51.128,71.43", **params)
    assert any(notice in w.value.replace("\\", "") for w in at.warning)
    assert len(_names(at)) == 5


@pytest.mark.parametrize("query", ["Бәйтерек", "Байтерек", "Baiterek", "bayterek"])
def test_search_in_any_script_sets_the_position(query):
    at = _run(lang="en", mode="near")
    _search(at, query)
    lat, lon = (float(v) for v in at.query_params["near"].split(","))
    assert lat == pytest.approx(BAITEREK[0], abs=2e-4)
    assert lon == pytest.approx(BAITEREK[1], abs=2e-4)
    assert _names(at)[1] == "Baiterek" or _names(at)[0] == "Baiterek"


def test_empty_search_and_nothing_found_say_so_and_keep_the_position():
    at = _run(lang="en", near="51.128,71.43")
    _search(at, "   ")
    assert "Type a place name or an address" in _errors(at)
    assert at.query_params["near"] == "51.12800,71.43000"
    assert len(_names(at)) == 5
    _search(at, "zzzqqq")
    assert "Nothing found for “zzzqqq”" in _errors(at)
    assert len(_names(at)) == 5


def test_typed_coordinates_are_a_position_and_bad_ones_are_refused():
    at = _run(lang="en", mode="near")
    _search(at, "43.2483, 76.9289")
    assert _names(at)[0] == "Tselinny Center of Contemporary Culture"
    _search(at, "43.2483, 276.9")
    assert "Longitude must be between" in _errors(at)
    assert _names(at)[0] == "Tselinny Center of Contemporary Culture"


def test_n_widget_changes_the_count_and_the_url():
    at = _run(lang="en", near="51.128,71.43")
    at.number_input(key="n").set_value(3).run()
    assert len(_names(at)) == 3
    assert at.query_params["n"] == "3"


def test_n_and_radius_survive_a_visit_to_the_map():
    at = _run(lang="en", near="51.128,71.43", n="10", radius="5")
    assert len(_names(at)) == 10
    at.segmented_control(key="mode").set_value("map").run()
    at.segmented_control(key="mode").set_value("near").run()
    assert at.number_input(key="n").value == 10
    assert at.selectbox(key="radius").value == 5
    assert len(_names(at)) == 10
    assert at.query_params["n"] == "10"
    assert at.query_params["radius"] == "5"


def test_switching_mode_keeps_filters_and_language():
    at = _run(lang="kk", status="existing")
    at.segmented_control(key="mode").set_value("near").run()
    assert at.query_params["mode"] == "near"
    assert at.query_params["status"] == "existing"
    assert at.query_params["lang"] == "kk"
    assert any("Алдымен орныңызды көрсетіңіз" in i.value for i in at.info)


def test_river_crossing_uses_the_bank_polygons(shared_geodata, monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_CONTEXT_DIR", str(shared_geodata))
    at = _run(lang="en", near="51.1700,71.4300", n="3")  # the right bank, north of the river
    assert any("You are on this bank of the Esil: Right bank" in c.value for c in at.caption)
    for _, text in _results(at):
        assert "Left bank · you must cross the river" in text
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="3")
    for _, text in _results(at):
        assert "Left bank · no river crossing" in text


def test_without_bank_polygons_the_crossing_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv("CREATIVE_MAP_CONTEXT_DIR", str(tmp_path))
    at = _run(lang="en", near="51.1700,71.4300", n="2")
    for _, text in _results(at):
        assert "river crossing unknown: the banks layer is not installed" in text
