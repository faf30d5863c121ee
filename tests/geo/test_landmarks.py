"""The search gazetteer from OpenStreetMap: landmarks, streets merged by name, validation."""

from __future__ import annotations

import osmnx as ox
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.landmarks import normalise_landmarks, normalise_streets, validate_gazetteer
from geo.search import landmark_entries, search
from sources.osm import build_gazetteer
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_gazetteer_sample.osm"


@pytest.fixture(scope="module")
def features():
    return ox.features_from_xml(SAMPLE)


def test_named_landmarks_become_points_with_their_kind(features):
    landmarks = normalise_landmarks(features, city="astana", fetched="2026-11-22").set_index("id")
    assert list(landmarks.index) == ["osm_node_new402", "osm_node_new401"]
    monument = landmarks.loc["osm_node_new401"]
    assert (monument["name_ru"], monument["name_en"]) == ("Тестовый монумент", "Test Monument")
    assert monument["kind"] == "landmark"
    assert monument.geometry.equals_exact(Point(71.42, 51.15), tolerance=1e-9)
    assert landmarks.loc["osm_node_new402", "kind"] == "station"


def test_streets_merge_their_ways_and_take_each_language_from_any_part(features):
    streets = normalise_streets(features, city="astana", fetched="2026-11-22")
    assert len(streets) == 1  # the service road is not a street people give as an address
    street = streets.iloc[0]
    assert (street["name_kk"], street["name_ru"], street["name_en"]) == (
        "Тестовая көшесі",
        "улица Тестовая",
        "Testovaya Street",
    )
    # Two ways from 71.40 to 71.42 E at 51.17 N: the middle is 71.41, ~700 m from either end.
    assert street.geometry.x == pytest.approx(71.41, abs=1e-6)
    assert street.geometry.y == pytest.approx(51.17, abs=1e-6)
    assert street["accuracy_m"] == pytest.approx(700, abs=10)


def test_the_gazetteer_validates_and_is_searchable_in_any_script(features):
    entries, report = build_gazetteer({"astana": (features, features)}, fetched="2026-11-22")
    assert report == ["astana: 2 landmarks, 1 named streets"]
    found = landmark_entries(entries)
    (hit, *_) = search("Testovaya", found)
    assert hit.entry.origin == "street"
    assert hit.entry.label_in("kk") == "Тестовая көшесі"
    assert hit.entry.accuracy_m == pytest.approx(700, abs=10)
    assert search("тестовый монумент", found)[0].entry.label_in("en") == "Test Monument"


def test_entries_outside_the_city_are_left_out(features):
    assert normalise_landmarks(features, city="almaty", fetched="2026-11-22").empty
    assert normalise_streets(features, city="almaty", fetched="2026-11-22").empty


def test_validation_names_the_problem(features):
    entries, _ = build_gazetteer({"astana": (features, features)}, fetched="2026-11-22")
    moved = entries.copy()
    moved.loc[0, "geometry"] = Point(76.9, 43.2)  # Almaty, but the record says Astana
    with pytest.raises(InputError, match=r"records \['osm_node_new402'\] lie outside astana"):
        validate_gazetteer(moved)
    nameless = entries.copy()
    nameless.loc[1, "name_kk"] = " "
    with pytest.raises(InputError, match="have no name_kk"):
        validate_gazetteer(nameless)
