"""AppTest: the near-me page, from a link, a search or typed coordinates, with bad input."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.app.test_dashboard import _run
from tests.catalogue import (
    BAITEREK_LAT_LON,
    DEFAULT_N,
    EXPO_LAT_LON,
    PLACED,
    PLACES,
    RIGHT_BANK_LAT_LON,
    TSELINNY_LAT_LON,
    metres_to,
    nearest_names,
    write_catalogue,
)

RESULT = re.compile(r"^\*\*(\d+)\. (.+?)\*\* — ")
BAITEREK = BAITEREK_LAT_LON


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
    expected = nearest_names((51.128, 71.43))
    assert len(expected) == DEFAULT_N
    assert _names(at) == expected
    assert expected[:2] == ["Water-Green Boulevard", "Nura recording studio"]  # a line, a point
    assert at.query_params["near"] == "51.12800,71.43000"
    assert "mode" not in at.query_params  # the page is in the URL's path now: /near


def test_distances_agree_with_geodesics():
    at = _run(lang="en", near="51.15,71.47")
    results = _results(at)
    assert len(results) == DEFAULT_N
    for name, text in results:
        (row,) = [row for _, row in PLACES.iterrows() if row["name_en"] == name]
        metres = metres_to(row, (51.15, 71.47))
        match = re.search(r"(\d[\d,.]*) (km|m) · ≈ (\d+) min on foot", text)
        assert match, text
        shown = float(match.group(1).replace(",", "")) * (1000 if match.group(2) == "km" else 1)
        tolerance = 50 if match.group(2) == "km" else 5  # shown to 0.1 km or 10 m
        assert abs(shown - metres) <= tolerance + 0.005 * metres, (name, shown, metres)
        assert abs(int(match.group(3)) - metres / 80) <= 1  # 4.8 km/h is 80 m a minute


def test_ties_keep_the_catalogue_order_and_n_limits():
    at = _run(lang="en", near=f"{EXPO_LAT_LON[0]},{EXPO_LAT_LON[1]}", n="4")
    names = _names(at)
    assert len(names) == 4
    at_expo = PLACED[[p.equals(Point(EXPO_LAT_LON[1], EXPO_LAT_LON[0])) for p in PLACED.geometry]]
    tied = list(at_expo["name_en"])  # in the catalogue's order
    assert len(tied) >= 2
    assert tied != sorted(tied)  # so the catalogue's order is not also the alphabet's
    assert names[: len(tied)] == tied
    assert names == nearest_names(EXPO_LAT_LON, n=4)


def test_radius_and_filters_apply_to_results():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", radius="2", n="50")
    within = nearest_names(BAITEREK, n=50, radius_km=2)
    beyond = set(nearest_names(BAITEREK, n=50)) - set(within)
    assert "Water-Green Boulevard" in within
    assert beyond  # the radius leaves some Astana places out
    assert _names(at) == within
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", kind="creative_cluster", n="50")
    names = _names(at)
    assert names == nearest_names(BAITEREK, n=50, kind="creative_cluster")
    shown = PLACES[PLACES["name_en"].isin(names)]
    assert set(shown["kind"]) == {"creative_cluster"}
    assert set(shown["city"]) == {"astana"}  # the position decides the city
    assert (PLACED.loc[PLACED["kind"] == "creative_cluster", "city"] == "almaty").any()


def test_unknown_locations_are_counted_and_approximate_ones_marked():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="50")
    unplaced = PLACES[(PLACES["city"] == "astana") & PLACES.geometry.isna()]
    assert len(unplaced) > 0
    some = "place has" if len(unplaced) == 1 else "places have"
    assert any(
        f"{len(unplaced)} matching {some} no confirmed location" in c.value for c in at.caption
    )
    results = dict(_results(at))
    listed = PLACED[(PLACED["city"] == "astana") & (PLACED["kind"] != "landmark")]
    assert set(results) == set(listed["name_en"])
    for _, row in listed.iterrows():
        accuracy = int(row["location_accuracy_m"])
        marked = f"approximate location (±{accuracy} m)" in results[row["name_en"]]
        assert marked == (accuracy > 50), (row["name_en"], accuracy)
    joined = " ".join(results.values())
    for name in unplaced["name_en"]:
        assert name not in joined


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
    landmarks = int((PLACES["kind"] == "landmark").sum())
    line = f"{landmarks} of {len(PLACES)} places match the filters"
    assert any(line in m.value for m in at.markdown)


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
    assert len(_names(at)) == DEFAULT_N


@pytest.mark.parametrize("query", ["Бәйтерек", "Байтерек", "Baiterek", "bayterek"])
def test_search_in_any_script_sets_the_position(query):
    at = _run(lang="en", mode="near")
    _search(at, query)
    lat, lon = (float(v) for v in at.query_params["near"].split(","))
    assert lat == pytest.approx(BAITEREK[0], abs=2e-4)
    assert lon == pytest.approx(BAITEREK[1], abs=2e-4)
    assert _names(at) == nearest_names((lat, lon))
    assert _names(at)[0] == "Water-Green Boulevard"  # Baiterek itself is a place to start from


def test_empty_search_and_nothing_found_say_so_and_keep_the_position():
    at = _run(lang="en", near="51.128,71.43")
    _search(at, "   ")
    assert "Type a place name or an address" in _errors(at)
    assert at.query_params["near"] == "51.12800,71.43000"
    assert len(_names(at)) == DEFAULT_N
    _search(at, "zzzqqq")
    assert "Nothing found for “zzzqqq”" in _errors(at)
    assert len(_names(at)) == DEFAULT_N


def test_typed_coordinates_are_a_position_and_bad_ones_are_refused():
    at = _run(lang="en", mode="near")
    _search(at, f"{TSELINNY_LAT_LON[0]}, {TSELINNY_LAT_LON[1]}")
    first = "Tselinny Center of Contemporary Culture"
    assert _names(at)[0] == first
    _search(at, f"{TSELINNY_LAT_LON[0]}, 276.9")
    assert "Longitude must be between" in _errors(at)
    assert _names(at)[0] == first


def test_n_widget_changes_the_count_and_the_url():
    at = _run(lang="en", near="51.128,71.43")
    at.number_input(key="n").set_value(3).run()
    assert _names(at) == nearest_names((51.128, 71.43), n=3)
    assert at.query_params["n"] == "3"


def test_n_and_radius_survive_a_visit_to_the_map():
    expected = nearest_names((51.128, 71.43), n=10, radius_km=5, landmarks=True)
    assert len(expected) > DEFAULT_N  # n=10 shows more than the default would
    at = _run(lang="en", near="51.128,71.43", n="10", radius="5", landmarks="1")
    assert _names(at) == expected
    at.segmented_control(key="mode").set_value("map").run()
    at.segmented_control(key="mode").set_value("near").run()
    assert at.number_input(key="n").value == 10
    assert at.selectbox(key="radius").value == 5
    assert _names(at) == expected
    assert at.query_params["n"] == "10"
    assert at.query_params["radius"] == "5"
    assert at.query_params["landmarks"] == "1"


def test_switching_mode_keeps_filters_and_language():
    at = _run(lang="kk", status="existing")
    at.segmented_control(key="mode").set_value("near").run()
    assert at.segmented_control(key="mode").value == "near"
    assert at.query_params["status"] == "existing"
    assert at.query_params["lang"] == "kk"
    assert any("Алдымен орныңызды көрсетіңіз" in i.value for i in at.info)


CROSSING = {
    ("left", "right"): "Left bank · you must cross the river",
    ("left", "left"): "Left bank · no river crossing",
    ("right", "right"): "Right bank · no river crossing",
    ("right", "left"): "Right bank · you must cross the river",
}


def _bank_of(name: str) -> str | None:
    (bank,) = PLACES.loc[PLACES["name_en"] == name, "bank"]
    return bank if isinstance(bank, str) else None


def test_river_crossing_uses_the_bank_polygons(shared_geodata, monkeypatch):
    monkeypatch.setenv(CONTEXT_DIR_VAR, str(shared_geodata))
    lat, lon = RIGHT_BANK_LAT_LON
    at = _run(lang="en", near=f"{lat:.4f},{lon:.4f}", n="3")
    assert any("You are on this bank of the Esil: Right bank" in c.value for c in at.caption)
    results = _results(at)
    assert [name for name, _ in results] == nearest_names(RIGHT_BANK_LAT_LON, n=3)
    outcomes = set()
    for name, text in results:
        phrase = CROSSING[(_bank_of(name), "right")]
        assert phrase in text, (name, text)
        outcomes.add(phrase)
    assert len(outcomes) == 2  # one place across the river, one on this bank
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="3")
    results = _results(at)
    assert len(results) == 3
    for name, text in results:
        assert CROSSING[(_bank_of(name), "left")] in text, (name, text)


def test_without_bank_polygons_the_crossing_is_unknown():
    at = _run(lang="en", near="51.1700,71.4300", n="2")
    results = _results(at)
    assert len(results) == 2
    for _, text in results:
        assert "river crossing unknown: the banks layer is not installed" in text


LANDMARKS = set(PLACES.loc[PLACES["kind"] == "landmark", "name_en"])


def test_near_me_from_a_landmark_lists_creative_spaces_not_landmarks():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="50")
    names = _names(at)
    assert names  # an empty list would prove nothing
    assert names == nearest_names(BAITEREK, n=50)
    assert not set(names) & LANDMARKS
    shown = PLACES[PLACES["name_en"].isin(names)]
    assert "landmark" not in set(shown["kind"])
    assert at.checkbox(key="landmarks").value is False
    assert "landmarks" not in at.query_params
    in_astana = int(((PLACES["kind"] == "landmark") & (PLACES["city"] == "astana")).sum())
    assert any(
        f"Landmarks ({in_astana}) are not listed: tick “Include landmarks”" in c.value
        for c in at.caption
    )


def test_ticking_include_landmarks_lists_them_and_the_url_keeps_it():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}")
    at.checkbox(key="landmarks").check().run()
    assert not at.exception
    expected = nearest_names(BAITEREK, landmarks=True)
    assert expected[0] == "Baiterek"
    assert _names(at) == expected
    assert at.query_params["landmarks"] == "1"
    assert not any("are not listed" in c.value for c in at.caption)
    # The box and the results survive a visit to the map.
    at.segmented_control(key="mode").set_value("map").run()
    at.segmented_control(key="mode").set_value("near").run()
    assert at.checkbox(key="landmarks").value is True
    assert _names(at) == expected
    at.checkbox(key="landmarks").uncheck().run()
    assert _names(at) == nearest_names(BAITEREK)
    assert "landmarks" not in at.query_params


def test_a_shared_link_with_landmarks_restores_the_box_and_its_results():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", n="3", landmarks="1")
    assert at.checkbox(key="landmarks").value is True
    assert _names(at) == nearest_names(BAITEREK, n=3, landmarks=True)
    assert set(_names(at)) & LANDMARKS
    assert at.query_params["landmarks"] == "1"
    at = _run(lang="ru", near=f"{BAITEREK[0]},{BAITEREK[1]}", landmarks="0")
    assert at.checkbox(key="landmarks").value is False
    assert at.checkbox(key="landmarks").label == "Показывать и достопримечательности"


def test_a_bad_landmarks_value_is_ignored_with_a_notice():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", landmarks="yes")
    assert any("Ignored landmarks=yes" in w.value.replace("\\", "") for w in at.warning)
    assert at.checkbox(key="landmarks").value is False
    assert _names(at) == nearest_names(BAITEREK)


def test_choosing_the_landmark_kind_lists_landmarks_without_the_box():
    at = _run(lang="en", near=f"{BAITEREK[0]},{BAITEREK[1]}", kind="landmark", n="50")
    names = _names(at)
    assert names == nearest_names(BAITEREK, n=50, kind="landmark")
    assert names
    assert set(names) <= LANDMARKS


def test_search_for_a_landmark_still_starts_from_it():
    at = _run(lang="en", mode="near")
    _search(at, "Baiterek")
    lat, lon = (float(v) for v in at.query_params["near"].split(","))
    assert (lat, lon) == pytest.approx(BAITEREK, abs=2e-4)
    names = _names(at)
    assert names == nearest_names(BAITEREK)
    assert not set(names) & LANDMARKS


def _infos(at: AppTest) -> str:
    return " ".join(i.value.replace("\\", "") for i in at.info)


def test_a_search_that_finds_only_a_place_without_a_position_says_so():
    at = _run(lang="en", mode="near")
    _search(at, "Zhastar")
    info = _infos(at)
    assert "Found, but with no known position: Zhastar Palace of Youth." in info
    assert "Found: pick one" not in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.key and b.key.startswith("near_pick_")]
    assert "near" not in at.query_params
    assert not _results(at)


def test_an_unplaced_find_keeps_the_previous_position_and_says_the_list_is_from_it():
    at = _run(lang="ru", near=f"{BAITEREK[0]},{BAITEREK[1]}")
    before = _names(at)
    assert before
    _search(at, "Жастар", button_label="Найти")
    info = _infos(at)
    assert "Дворец молодёжи «Жастар»" in info
    assert "список ниже — по-прежнему от вашей предыдущей точки" in info
    assert _names(at) == before
    lat, lon = (float(v) for v in at.query_params["near"].split(","))
    assert (lat, lon) == pytest.approx(BAITEREK, abs=2e-4)


def test_unplaced_finds_beside_placed_ones_are_listed_apart(tmp_path, monkeypatch):
    """A placed "Zhastar square" and the unplaced Zhastar Palace: one to pick, one named apart."""
    square = PLACES[PLACES["name_en"] == "Baiterek"].copy()
    square["id"] = "test_zhastar_square"
    for lang, name in (
        ("kk", "Жастар алаңы"),
        ("ru", "Площадь «Жастар»"),
        ("en", "Zhastar square"),
    ):
        square[f"name_{lang}"] = name
    write_catalogue(tmp_path, pd.concat([PLACES, square], ignore_index=True))
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    at = _run(lang="en", mode="near")
    _search(at, "Zhastar")
    captions = [c.value.replace("\\", "") for c in at.caption]
    picks = [
        b.label.replace("\\", "") for b in at.button if b.key and b.key.startswith("near_pick_")
    ]
    assert [p.split(" · ")[0] for p in picks] == ["Zhastar square"], captions
    assert "Found: pick one" in captions
    apart = captions.index("Also found, position not known (not on the map):")
    assert any(c.startswith("Zhastar Palace of Youth") for c in captions[apart + 1 :])
    assert not _infos(at)
