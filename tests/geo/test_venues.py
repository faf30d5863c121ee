"""OpenStreetMap venues: tag mapping, names, outlines, validation (the import: tests/sources/)."""

from __future__ import annotations

import geopandas as gpd
import osmnx as ox
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.schema import VENUE_KINDS
from geo.validate import validate_places
from geo.venues import (
    OSM_TAGS,
    TAG_KINDS,
    address_from_tags,
    kind_from_tags,
    names_from_tags,
    normalise_venues,
    opening_hours_from_tags,
    website_from_tags,
)
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_sample.osm"


@pytest.fixture(scope="module")
def venues():
    features = ox.features_from_xml(SAMPLE)
    return normalise_venues(features, city="astana", fetched="2026-11-22")


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "arts_centre"}, "arts_centre"),
        ({"amenity": "theatre"}, "theatre"),
        ({"tourism": "museum"}, "museum"),
        ({"tourism": "gallery"}, "gallery"),
        ({"amenity": "library"}, "library"),
        ({"amenity": "cinema"}, "cinema"),
        ({"amenity": "music_venue"}, "music_venue"),
        ({"amenity": "concert_hall"}, "concert_hall"),
        ({"amenity": "coworking_space"}, "coworking"),
        ({"office": "coworking"}, "coworking"),
        ({"amenity": "community_centre"}, "community_centre"),
        ({"amenity": "cinema", "tourism": "museum"}, "museum"),
        ({"amenity": "cafe"}, None),
        ({"amenity": float("nan"), "tourism": "hotel"}, None),
        ({}, None),
    ],
)
def test_tags_map_to_kinds(tags, kind):
    assert kind_from_tags(tags) == kind


def test_every_mapped_tag_is_requested_from_osm():
    for key, value, kind in TAG_KINDS:
        assert value in OSM_TAGS[key]
        assert kind_from_tags({key: value}) == kind
    assert {kind for *_, kind in TAG_KINDS} == set(VENUE_KINDS)


def test_names_fall_back_to_the_signed_name_and_are_never_invented():
    assert names_from_tags({"name": "Х", "name:en": "X"}) == {"kk": "Х", "ru": "Х", "en": "X"}
    assert names_from_tags({"name:en": "Only English"}) == {
        "kk": "Only English",
        "ru": "Only English",
        "en": "Only English",
    }
    assert names_from_tags({"amenity": "library"}) is None
    assert names_from_tags({"name": "  "}) is None


def test_address_joins_street_and_number():
    assert address_from_tags({"addr:street": "Street", "addr:housenumber": "7"}) == "Street 7"
    assert address_from_tags({"addr:street": "Street"}) == "Street"
    assert address_from_tags({}) is None


def test_recorded_response_parses_to_valid_catalogue_records(venues):
    frame, skipped = venues
    assert skipped == {"not_a_venue": 1, "no_name": 1, "no_geometry": 0, "outside": 0}
    by_id = frame.set_index("id")
    assert set(by_id.index) == {
        "osm_node_new101",
        "osm_node_new102",
        "osm_node_new105",
        "osm_node_new106",
        "osm_node_new107",
        "osm_way_new301",
    }
    theatre = by_id.loc["osm_node_new101"]
    assert (theatre["name_kk"], theatre["name_ru"], theatre["name_en"]) == (
        "Сынақ театры",
        "Тестовый театр",
        "Test Theatre",
    )
    assert theatre["kind"] == "theatre"
    assert theatre["address"] == "Тестовая улица 7"
    assert theatre["status"] == "existing"
    assert [theatre[f"source_outlet_{lang}"] for lang in ("kk", "ru", "en")] == [
        "OpenStreetMap"
    ] * 3
    assert "ODbL" in theatre["source_title"]
    assert theatre["source_date"] == "2026-11-22"
    assert pd.isna(theatre["source_url"])  # never uploaded: no link that would point elsewhere
    assert theatre.geometry.equals(Point(71.4301, 51.1301))
    assert theatre["location_accuracy_m"] == 10.0
    assert by_id.loc["osm_node_new106", "kind"] == "museum"
    assert by_id.loc["osm_node_new107", "kind"] == "concert_hall"
    assert frame.crs.to_epsg() == 4326
    validate_places(frame)


def test_an_outline_becomes_its_centre_with_the_outline_as_accuracy(venues):
    frame, _ = venues
    centre = frame.set_index("id").loc["osm_way_new301"]
    assert centre.geometry.x == pytest.approx(71.401, abs=1e-4)
    assert centre.geometry.y == pytest.approx(51.1205, abs=1e-4)
    # 0.002° of longitude (~140 m) by 0.001° of latitude (~111 m): half the diagonal is ~89 m.
    assert centre["location_accuracy_m"] == pytest.approx(89, abs=2)
    assert "outline" in centre["location_note_en"]
    assert "контура" in centre["location_note_ru"]
    assert "контурының" in centre["location_note_kk"]


def test_features_outside_the_city_are_skipped_and_counted():
    # osmnx returns whole features that cross the box; these all lie in Astana, not Almaty.
    frame, skipped = normalise_venues(
        ox.features_from_xml(SAMPLE), city="almaty", fetched="2026-11-22"
    )
    assert frame.empty
    assert skipped["outside"] == 6


def test_real_ids_get_links():
    features = ox.features_from_xml(SAMPLE)
    features.index = pd.MultiIndex.from_tuples(
        [(e, -i) for e, i in features.index], names=features.index.names
    )
    frame, _ = normalise_venues(features, city="astana", fetched="2026-11-22")
    row = frame.set_index("id").loc["osm_node_101"]
    assert row["source_url"] == "https://www.openstreetmap.org/node/101"


OSM_FILES = sorted((ROOT / "tests" / "data").glob("osm_*.osm"))


@pytest.mark.parametrize("sample", OSM_FILES, ids=lambda p: p.name)
def test_any_response_maps_every_element_faithfully(sample):
    """Properties that hold for any OSM XML, hand-written or recorded by `make osm-sample`."""
    features = ox.features_from_xml(sample)
    frame, skipped = normalise_venues(features, city="astana", fetched="2026-11-22")
    assert len(frame) + sum(skipped.values()) == len(features)
    validate_places(frame)
    assert len(features) > 0, "an empty response checks nothing"
    for record in frame.itertuples():
        element, number = record.id.split("_")[1], record.id.split("_")[2].replace("new", "-")
        tags = features.loc[(element, int(number))].drop(labels="geometry").to_dict()
        assert record.kind == kind_from_tags(tags)
        for lang in ("kk", "ru", "en"):
            own = tags.get(f"name:{lang}")
            expected = own if isinstance(own, str) else names_from_tags(tags)[lang]
            assert getattr(record, f"name_{lang}") == expected
        if int(number) > 0:
            assert record.source_url == f"https://www.openstreetmap.org/{element}/{number}"
        original = features.loc[(element, int(number)), "geometry"]
        if original.geom_type == "Point":
            assert record.geometry.equals(original)
        else:  # every part of the outline lies within the stated accuracy of the point
            both = gpd.GeoSeries([original, record.geometry], crs=4326).to_crs(32642)
            assert both.iloc[0].hausdorff_distance(both.iloc[1]) <= record.location_accuracy_m


def test_a_venue_keeps_its_website_and_opening_hours_and_a_bad_link_is_left_out(venues):
    frame, _ = venues
    by_name = frame.set_index("name_en")
    theatre = by_name.loc["Test Theatre"]
    assert theatre["website"] == "https://theatre.test.example/afisha"
    assert theatre["opening_hours"] == "Tu-Su 10:00-19:00"
    museum = by_name.loc["Тестовый музей"]
    assert pd.isna(museum["website"])  # contact:website=javascript:alert(1) is not a web link
    assert pd.isna(museum["opening_hours"])


def test_website_and_hours_from_tags():
    assert website_from_tags({"contact:website": "http://museum.test.example/"}) == (
        "http://museum.test.example/"
    )
    assert website_from_tags({"website": "https://a.example/x)![i](http://b/c.gif"}) is None
    assert website_from_tags({}) is None
    assert opening_hours_from_tags({"opening_hours": "Mo-Fr 09:00-18:00"}) == "Mo-Fr 09:00-18:00"
    assert len(opening_hours_from_tags({"opening_hours": "x" * 1000}) or "") == 200
