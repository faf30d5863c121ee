"""Effective districts of places, disagreements with the catalogue, and the district filter."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.district_places import STATED, district_disagreements, effective_districts
from geo.districts import build_partition
from geo.errors import InputError
from geo.select import Filters, FilterVocabulary, filter_options

CRS = "EPSG:32642"
X0, Y0 = 668_000.0, 5_662_000.0


@pytest.fixture
def partition():
    layer = gpd.GeoDataFrame(
        {"district": ["Yesil", "Nura", "Saraishyk"]},
        geometry=[
            box(X0, Y0, X0 + 1000, Y0 + 1000),
            box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
            box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000),  # no place in it
        ],
        crs=CRS,
    )
    return build_partition(layer, None, city="astana")


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    metric = [
        Point(X0 + 500, Y0 + 500),  # Yesil, stated Yesil
        Point(X0 + 1500, Y0 + 500),  # Nura, stated Yesil: a disagreement
        LineString([(X0 + 1200, Y0 + 100), (X0 + 1400, Y0 + 100)]),  # Nura, stated none
        Point(X0 + 9000, Y0 + 9000),  # outside the layer, stated Nura
        None,  # no position, stated Saraishyk: kept
        Point(X0 + 500, Y0 + 500),  # an Almaty place: no Almaty partition, kept
    ]
    frame = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d", "e", "f"],
            "city": ["astana"] * 5 + ["almaty"],
            "kind": ["studio"] * 6,
            "status": ["existing"] * 6,
            "bank": [None] * 6,
            "district": ["Yesil", "Yesil", None, "Nura", "Saraishyk", "Medeu"],
            "target_year": [None] * 6,
            "announced_date": [None] * 6,
        },
        geometry=metric,
        crs=CRS,
    )
    return frame.to_crs("EPSG:4326")


def test_placed_places_take_the_layers_district(places, partition):
    out = effective_districts(places, {"astana": partition})
    assert list(out["district"]) == ["Yesil", "Nura", "Nura", None, "Saraishyk", "Medeu"]
    assert list(out[STATED]) == ["Yesil", "Yesil", None, "Nura", "Saraishyk", "Medeu"]
    assert list(places["district"].astype(object).where(places["district"].notna(), None)) == [
        "Yesil",
        "Yesil",
        None,
        "Nura",
        "Saraishyk",
        "Medeu",
    ]  # the input is not changed


def test_without_partitions_the_catalogue_decides(places):
    out = effective_districts(places, {})
    assert list(out["district"]) == list(out[STATED])


def test_disagreements_are_listed(places, partition):
    out = effective_districts(places, {"astana": partition})
    listed = district_disagreements(out)
    assert listed.to_dict("records") == [
        {"id": "b", "city": "astana", "stated": "Yesil", "by_layer": "Nura"},
        {"id": "d", "city": "astana", "stated": "Nura", "by_layer": None},
    ]


def test_missing_columns_are_refused(places):
    with pytest.raises(InputError, match="lack column"):
        effective_districts(places.drop(columns="district"), {})
    with pytest.raises(InputError, match="district_stated"):
        district_disagreements(places)


def test_the_filter_offers_every_district_of_the_layer(places, partition):
    out = effective_districts(places, {"astana": partition})
    layer = {"astana": tuple(partition.frame["district"])}
    options = filter_options(out, "astana", layer_districts=layer)
    # Saraishyk has no placed place in it, Yesil one: both are offered; "unknown" stays last.
    assert options["district"] == ["Nura", "Saraishyk", "Yesil", "unknown"]
    assert "Medeu" not in options["district"]
    both = filter_options(out, "both", layer_districts=layer)["district"]
    assert both == ["Medeu", "Nura", "Saraishyk", "Yesil", "unknown"]
    assert filter_options(out, "almaty", layer_districts=layer)["district"] == ["Medeu"]
    # Without the layer, only the places' districts (as before).
    assert filter_options(out, "astana")["district"] == ["Nura", "Saraishyk", "Yesil", "unknown"]


def test_an_empty_layer_district_survives_the_url_round_trip(places, partition):
    out = effective_districts(places, {"astana": partition})
    empty = out[out["district"].ne("Saraishyk") | out["city"].ne("astana")]
    empty = empty[empty["id"] != "e"]
    layer = {"astana": tuple(partition.frame["district"])}
    assert "Saraishyk" not in filter_options(empty, "astana")["district"]
    vocabulary = FilterVocabulary.of(empty, layer_districts=layer)
    filters = Filters(city="astana", districts=("Saraishyk",))
    assert Filters.from_params(filters.to_params(), vocabulary) == (filters, [])
    # Without the layer it is not a value the data has.
    assert Filters.from_params(filters.to_params(), FilterVocabulary.of(empty))[0] == Filters(
        city="astana"
    )
    assert not filters.mask(empty).any()
    assert pd.Series(filters.mask(out)).sum() == 1
