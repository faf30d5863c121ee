"""The visible places as GeoJSON, GeoPackage and CSV, and the exports' file names."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.select import Filters
from layers.export_table import (
    CSV_ENCODING,
    GPKG_LAYER,
    csv_bytes,
    csv_frame,
    export_filename,
    geojson_bytes,
    geopackage_bytes,
    neutralise_cell,
    visible_places,
)
from tests.catalogue import BAITEREK_LAT_LON, PLACES

KAZAKH_LETTERS = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
DAY = dt.date(2026, 11, 29)
SAFE_NAME = re.compile(r"^[a-z0-9._-]+$")


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    frame = PLACES.assign(layer="places")
    frame.loc[frame.index[0], "name_kk"] = "Креативті кеңістік " + KAZAKH_LETTERS
    frame.loc[frame.index[0], "name_ru"] = "Пространство «Ёлка» щъыэ"
    return frame


def _same_places(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame) -> None:
    left, right = left.sort_values("id"), right.sort_values("id")
    assert list(left["id"]) == list(right["id"])
    for col in ("name_kk", "name_ru", "name_en", "kind", "status", "source_url"):
        assert list(left[col]) == list(right[col]), col
    for a, b in zip(left.geometry, right.geometry, strict=True):
        if a is None or a.is_empty:
            assert b is None or b.is_empty
        else:
            assert a.equals_exact(b, 1e-9), (a, b)


def test_visible_places_follow_filters_layers_and_bounds(places):
    astana = visible_places(places, Filters(city="astana"), layers=["places"])
    assert len(astana) > 0
    assert set(astana["city"]) == {"astana"}
    assert len(visible_places(places, Filters(), layers=["osm_venues"])) == 0
    lat, lon = BAITEREK_LAT_LON
    bbox = (lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
    near = visible_places(places, Filters(), layers=["places"], bbox_lon_lat=bbox)
    assert len(near) >= 1
    assert near.geometry.intersects(box(*bbox)).all()
    everything = visible_places(places, Filters(), layers=["places"])
    assert len(everything) == len(places)  # unplaced places too, without bounds
    assert len(near) < int(everything.geometry.notna().sum())


def test_geojson_reads_back_to_the_same_places(places, tmp_path):
    shown = visible_places(places, Filters(), layers=["places"])
    path = tmp_path / "places.geojson"
    path.write_bytes(geojson_bytes(shown))
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    _same_places(shown, back)
    assert KAZAKH_LETTERS in set(back["name_kk"].str.slice(-len(KAZAKH_LETTERS)))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert any(f["geometry"] is None for f in doc["features"])  # unplaced places travel too


def test_geopackage_reads_back_to_the_same_places(places, tmp_path):
    shown = visible_places(places, Filters(city="astana"), layers=["places"])
    path = tmp_path / "places.gpkg"
    path.write_bytes(geopackage_bytes(shown))
    back = gpd.read_file(path, layer=GPKG_LAYER)
    assert back.crs.to_epsg() == 4326
    assert len(back) == len(shown) > 0
    _same_places(shown, back)


def test_csv_round_trips_cyrillic_and_kazakh_letters(places):
    shown = visible_places(places, Filters(), layers=["places"])
    data = csv_bytes(shown)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding=CSV_ENCODING, dtype=str, keep_default_na=False)
    assert list(back["id"]) == list(shown["id"])
    for lang in ("kk", "ru", "en"):
        assert list(back[f"name_{lang}"]) == list(shown[f"name_{lang}"])
    assert "Креативті кеңістік " + KAZAKH_LETTERS in set(back["name_kk"])
    assert "Пространство «Ёлка» щъыэ" in set(back["name_ru"])
    for col in ("source_url", "source_title", "lon", "lat", "geometry_type", "other_sources"):
        assert col in back.columns
    kinds = dict(zip(back["kind"], back["kind_ru"], strict=True))
    assert kinds["it_hub"] == "IT-хаб"
    assert dict(zip(back["kind"], back["kind_kk"], strict=True))["creative_cluster"] == (
        "Креативті кластер"
    )
    assert list(back.columns[back.columns.get_loc("kind") :][:4]) == [
        "kind",
        "kind_kk",
        "kind_ru",
        "kind_en",
    ]
    placed = shown.geometry.notna().to_numpy()
    assert placed.any()
    assert not placed.all()
    assert back.loc[~placed, "lon"].eq("").all()
    assert back.loc[placed, "lat"].astype(float).between(40, 56).all()
    assert back.loc[placed, "lon"].astype(float).between(46, 88).all()
    lat, lon = BAITEREK_LAT_LON
    near = (back.loc[placed, "lat"].astype(float) - lat).abs() + (
        back.loc[placed, "lon"].astype(float) - lon
    ).abs()
    assert near.min() < 1e-5  # a point's own position, to six decimals


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+7 701 000 00 00", "'+7 701 000 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Театр = дом", "Театр = дом"),
        ("", ""),
        (-5.0, -5.0),
        (None, None),
    ],
)
def test_neutralise_cell(cell, expected):
    assert neutralise_cell(cell) == expected


def test_csv_neutralises_formula_cells_in_every_text_column(places):
    idx = places.index
    places.loc[idx[0], "name_en"] = "=1+1"
    places.loc[idx[1], "name_ru"] = "+cmd|' /C calc'!A0"
    places.loc[idx[2], "source_url"] = "-2+3"
    places.loc[idx[3], "address"] = "@SUM(1,1)"
    shown = visible_places(places, Filters(), layers=["places"])
    table = csv_frame(shown)
    back = pd.read_csv(
        io.BytesIO(csv_bytes(shown)), encoding=CSV_ENCODING, dtype=str, keep_default_na=False
    )
    for frame in (table, back):
        assert "'=1+1" in set(frame["name_en"])
        assert "'+cmd|' /C calc'!A0" in set(frame["name_ru"])
        assert "'-2+3" in set(frame["source_url"])
        assert "'@SUM(1,1)" in set(frame["address"])
    text_cells = back.to_numpy().ravel()
    assert not [c for c in text_cells if str(c).startswith(("=", "+", "-", "@"))]


def test_file_names_carry_city_filters_and_date_in_safe_characters():
    name = export_filename(Filters(city="almaty", kinds=("theatre",)), day=DAY, extension="geojson")
    assert name == "creative-spaces_almaty_kind-theatre_2026-11-29.geojson"
    both = export_filename(Filters(), day=DAY, extension="csv")
    assert both == "creative-spaces_astana-almaty_2026-11-29.csv"
    many = export_filename(
        Filters(
            city="astana",
            kinds=("theatre", "museum", "gallery", "library"),
            statuses=("existing", "planned"),
        ),
        day=DAY,
        extension="png",
        extra=("1920x1080",),
    )
    assert many == "creative-spaces_astana_kind-4_status-existing.planned_1920x1080_2026-11-29.png"


@pytest.mark.parametrize(
    "value",
    ["../../etc/passwd", "Есиль", 'a/b\\c:d*e?f"g<h>i|j', "{{ 7*7 }}", "x" * 500, "\x00\n"],
)
def test_file_names_stay_safe_for_any_filter_value(value):
    name = export_filename(
        Filters(city="astana", districts=(value,)), day=DAY, extension="html", extra=("tour",)
    )
    assert SAFE_NAME.match(name), name
    assert ".." not in name
    assert len(name) <= 150
    assert name.startswith("creative-spaces_astana_district-")
    assert name.endswith("_tour_2026-11-29.html")


def test_different_long_filters_give_different_names():
    a = export_filename(Filters(districts=("a" * 300,)), day=DAY, extension="csv")
    b = export_filename(Filters(districts=("a" * 299 + "b",)), day=DAY, extension="csv")
    assert a != b
