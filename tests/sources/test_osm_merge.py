"""OpenStreetMap venues from the real importer merged with the catalogue (geo/merge.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.merge import merge_venues
from layers.load import load_layer
from layers.registry import PLACES_LAYER_ID, layer_by_id
from tests.catalogue import PLACES
from tests.conftest import DATA_DIR
from tests.osm_merge_sample import venues

# OSM venue record -> the catalogue record (tests/catalogue.py) that is the same place.
EXPECTED = {
    "osm_node_9002": "astana_hub",  # a coworking space 140 m from an approximate point
    "osm_node_9003": "astana_zhastar_sarayy",  # no position in the catalogue: by its names
    "osm_node_9102": "almaty_tselinny",  # 20 m away, Cyrillic name against a Latin one
}


@pytest.fixture(scope="module")
def merged():
    return merge_venues(PLACES, venues())


def test_the_sample_is_read_into_both_cities():
    frame = venues()
    assert set(frame["city"]) == {"astana", "almaty"}
    assert len(frame) == 8


def test_each_venue_of_a_catalogue_place_is_merged_into_it_and_no_other(merged):
    assert dict(zip(merged.matches["osm_id"], merged.matches["place_id"], strict=True)) == (
        EXPECTED
    )
    assert not set(EXPECTED) & set(merged.venues["id"])
    # The landmark's museum, a cinema and theatres the test catalogue does not hold stay.
    assert set(merged.venues["id"]) == {
        "osm_node_9001",
        "osm_node_9004",
        "osm_node_9005",
        "osm_node_9006",
        "osm_node_9101",
    }
    assert len(merged.places) == len(PLACES)


def test_merged_records_name_both_sources_and_keep_curated_positions(merged):
    out = merged.places.set_index("id")
    for osm_id, place_id in EXPECTED.items():
        row = out.loc[place_id]
        assert row["osm_id"] == osm_id
        number = osm_id.rsplit("_", 1)[1]
        assert row["other_sources"] == f"https://www.openstreetmap.org/node/{number}"
        assert row["source_url"] == PLACES.set_index("id").loc[place_id, "source_url"]
    for place_id in ("astana_hub", "almaty_tselinny"):  # curated points stay
        assert out.loc[place_id].geometry.equals(PLACES.set_index("id").loc[place_id].geometry)
        assert not out.loc[place_id, "osm_position"]


def test_the_unplaced_palace_takes_the_venues_point_and_address(merged):
    palace = merged.places.set_index("id").loc["astana_zhastar_sarayy"]
    venue = venues().set_index("id").loc["osm_node_9003"]
    assert palace.geometry.equals(venue.geometry)
    assert palace["location_accuracy_m"] == venue["location_accuracy_m"]
    assert palace["osm_position"]
    assert palace["address"] == "проспект Республики 34"
    assert palace["location_note_en"].startswith("Position from OpenStreetMap (node 9003)")
    assert palace["bank"] == "right"  # a curated fact, kept
    assert palace["kind"] == "creative_hub"


def test_a_landmark_is_not_merged_with_its_museum(merged):
    assert "astana_baiterek" not in set(merged.matches["place_id"])
    baiterek = merged.places.set_index("id").loc["astana_baiterek"]
    assert pd.isna(baiterek["osm_id"])


def test_never_uploaded_elements_merge_without_a_link():
    result = merge_venues(PLACES, venues(uploaded=False))
    row = result.places.set_index("id").loc["astana_hub"]
    assert row["osm_id"] == "osm_node_new9002"
    assert pd.isna(row["other_sources"])
    palace = result.places.set_index("id").loc["astana_zhastar_sarayy"]
    assert "(node -9003)" in palace["location_note_en"]


# The same sample against the catalogue as shipped (data/catalogue.gpkg): the venues that
# are its records, named after them in tests/data/osm_merge_sample.osm.
SHIPPED_EXPECTED = {
    "osm_node_9001": "astana_opera",  # 34 m from the published point
    "osm_node_9002": "astana_hub",
    "osm_node_9003": "astana_zhastar_sarayy",  # its address agrees: Respublika avenue
    "osm_node_9101": "almaty_abay_opera_house",  # Russian and Kazakh names, 17 m away
    "osm_node_9102": "almaty_tselinny",
}


@pytest.fixture(scope="module")
def shipped():
    return load_layer(layer_by_id(PLACES_LAYER_ID), path=DATA_DIR / "catalogue.gpkg")


def test_the_shipped_catalogue_takes_in_its_venues_and_only_those(shipped):
    merged = merge_venues(shipped, venues())
    assert dict(zip(merged.matches["osm_id"], merged.matches["place_id"], strict=True)) == (
        SHIPPED_EXPECTED
    )
    # Baiterek (a landmark), a cinema it lacks, and a theatre of operetta 900 m from the
    # opera that shares only "opera" with the Baiseitova opera theatre (no position).
    assert set(merged.venues["id"]) == {"osm_node_9004", "osm_node_9005", "osm_node_9006"}
    out = merged.places.set_index("id")
    opera = out.loc["astana_opera"]
    before = shipped.set_index("id").loc["astana_opera"]
    assert opera.geometry.equals(before.geometry)
    assert opera["address"] == before["address"]  # the curated address, not OSM's
    assert opera["website"] == "https://opera.test.example/"
    assert opera["opening_hours"] == "Tu-Su 10:00-19:00"
    assert opera["other_sources"] == (
        f"{before['other_sources']} ; https://www.openstreetmap.org/node/9001"
    )
    palace = out.loc["astana_zhastar_sarayy"]
    assert palace["osm_position"]
    assert palace["address"] == shipped.set_index("id").loc["astana_zhastar_sarayy", "address"]
    assert palace["location_note_ru"].startswith("Положение взято из OpenStreetMap (node 9003)")
