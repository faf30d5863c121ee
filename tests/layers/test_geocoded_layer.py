"""The optional map layer of geocoded addresses: loaded, checked, drawn and shown in the app."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.geocoded import COLUMNS
from layers.load import load_layer
from layers.payload import layer_document
from layers.registry import LAYERS, layer_by_id
from settings import DATA_DIR_VAR
from sources.geocode_venues import LAYER, write_atomically
from tests.app.test_dashboard import _run
from tests.catalogue import write_catalogue

SPEC = layer_by_id("geocoded_venues")
HOSTILE = "<img src=x onerror=alert(1)>{{ 7*7 }}"


def _row(pid, status, *, point=None, accuracy=None, precision="", answer_type="", name=None):
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=pid,
        city="almaty",
        name_kk=name or f"{pid} kk",
        name_ru=name or f"{pid} ru",
        name_en=name or f"{pid} en",
        address=f"{pid} street 1",
        query=f"{pid} street 1, Almaty",
        query_basis="address",
        status=status,
        reason="" if point else "address: Nominatim found nothing in the city",
        display_name=f"{pid}, Almaty, Kazakhstan" if point else "",
        osm_class=answer_type.split("=")[0],
        osm_type=answer_type.split("=")[-1].split(" ")[0],
        addresstype=answer_type.split("(")[-1].rstrip(")"),
        osm_ref="way/1" if point else "",
        precision=precision,
        answer_type=answer_type,
        place_rank=30 if point else None,
        location_accuracy_m=accuracy,
        geocoded_date="2026-11-29",
        source="Nominatim geocoder (https://nominatim.org), OpenStreetMap data",
        licence="© OpenStreetMap contributors, ODbL 1.0",
        geometry=point,
    )
    return row


def _layer():
    rows = [
        _row(
            "theatre",
            "placed",
            point=Point(76.9181, 43.2417),
            accuracy=41.0,
            precision="building",
            answer_type="amenity=theatre (amenity)",
        ),
        _row(
            "avenue",
            "placed",
            point=Point(76.91, 43.239),
            accuracy=850.0,
            precision="street",
            answer_type="highway=primary (road)",
            name=HOSTILE,
        ),
        _row("vague", "rejected"),
        {**_row("no_address", "not_asked"), "address": "", "query": "", "query_basis": ""},
    ]
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").replace("", None)
    frame["place_rank"] = frame["place_rank"].astype("Int64")
    frame["location_accuracy_m"] = frame["location_accuracy_m"].astype("Float64")
    return frame


@pytest.fixture
def geocoded_file(tmp_path):
    path = tmp_path / SPEC.path
    write_atomically(_layer(), path)
    return path


def test_the_layer_is_last_optional_and_off_by_default():
    assert LAYERS[-1] is SPEC
    assert SPEC.optional
    assert not SPEC.visible_by_default
    assert SPEC.layer == LAYER
    assert SPEC.title_in("en") == "Geocoded addresses (not reviewed)"
    assert SPEC.title_in("ru") == "Геокодированные адреса (не проверены)"
    assert SPEC.title_in("kk") == "Геокодталған мекенжайлар (тексерілмеген)"


def test_it_loads_every_row_and_draws_only_the_placed_ones_as_their_accuracy(geocoded_file):
    layer = load_layer(SPEC, path=geocoded_file)
    assert list(layer["id"]) == ["theatre", "avenue", "vague", "no_address"]
    doc = json.loads(layer_document(SPEC, layer, lang="en"))
    features = doc["features"]
    assert [f["properties"]["id"] for f in features] == ["theatre", "avenue"]
    theatre, avenue = (f["properties"] for f in features)
    assert "a" not in theatre  # within 50 m: a point
    assert avenue["a"] == 850.0  # a street answer: a circle of its accuracy
    assert doc["styles"][avenue["s"]]["dashArray"]  # drawn as approximate
    assert theatre["t"].startswith("<b>theatre en</b><br>amenity=theatre (amenity)<br>")
    assert "850" in avenue["t"]
    assert "highway=primary (road)" in avenue["t"]
    # A name from the catalogue is text on the map, never markup or a template.
    assert "<img" not in avenue["t"]
    assert "&lt;img" in avenue["t"]
    assert "{{" not in avenue["t"]
    ru = json.loads(layer_document(SPEC, layer, lang="ru"))
    assert ru["features"][0]["properties"]["t"].startswith("<b>theatre ru</b>")


def test_a_placed_row_outside_its_city_is_refused_at_load(tmp_path):
    bad = _layer()
    bad.loc[0, "geometry"] = Point(71.43, 51.13)  # Astana, in a row for Almaty
    path = tmp_path / SPEC.path
    bad.to_file(path, layer=LAYER, driver="GPKG", engine="pyogrio")
    with pytest.raises(InputError, match="'theatre': a placed row needs a point inside"):
        load_layer(SPEC, path=path)


def test_the_app_offers_the_layer_off_and_draws_it_when_asked(tmp_path, monkeypatch):
    write_catalogue(tmp_path)
    write_atomically(_layer(), tmp_path / SPEC.path)
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    at = _run(lang="en")
    box = at.checkbox(key="layer_geocoded_venues")
    assert box.value is False
    assert box.label.startswith("Geocoded addresses (not reviewed)")
    assert not at.warning
    box.check().run()
    assert not at.exception
    assert at.checkbox(key="layer_geocoded_venues").value is True


def test_db_load_carries_the_layer_and_both_stores_give_the_same_rows(tmp_path, postgis_url):
    from geopandas.testing import assert_geodataframe_equal

    from layers.load import check_layer
    from store.gpkg import GeoPackageStore
    from store.load_db import load
    from store.postgis import PostGISStore
    from tests.store.conftest import fresh_database

    write_catalogue(tmp_path)
    write_atomically(_layer(), tmp_path / SPEC.path)
    source = GeoPackageStore(data_dir=tmp_path, context_dir=tmp_path / "no_context")
    target = PostGISStore(fresh_database(postgis_url))
    try:
        assert load(source, target)["geocoded_venues"] == 4
        from_db = check_layer(SPEC, target.read_layer(SPEC.id), what="PostGIS")
        from_file = check_layer(SPEC, source.read_layer(SPEC.id), what=SPEC.path)
    finally:
        target.dispose()
    assert_geodataframe_equal(from_db, from_file)
    assert from_db.set_index("id").loc["vague", "geometry"] is None
