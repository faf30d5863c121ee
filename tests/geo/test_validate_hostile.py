"""Hostile values in the catalogue are reported as bad records, never raised as crashes.

Each message names the record, the column and the value (cut short), and states the limit.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from geo.errors import GeometryError, InputError
from geo.schema import MAX_NAME_CHARS, MAX_VERTICES
from geo.validate import MAX_SHOWN_CHARS, validate_places, validate_targets
from tests.geo.test_validate_select import _frame, _place


def _problems(frame: gpd.GeoDataFrame, error: type[InputError] = InputError) -> str:
    with pytest.raises(error) as caught:
        validate_places(frame)
    assert type(caught.value) is error
    return str(caught.value)


@pytest.mark.parametrize(
    ("column", "value", "error", "message"),
    [
        ("target_year", "abc", InputError, "target_year must be a whole year 1990-2100"),
        ("target_year", "inf", InputError, "target_year must be a whole year 1990-2100"),
        ("area_m2", "abc", InputError, "area_m2 must be a positive number of m2"),
        ("area_m2", math.inf, InputError, "area_m2 must be a positive number of m2"),
        ("location_accuracy_m", "abc", GeometryError, "has a geometry, so location_accuracy_m"),
        ("location_accuracy_m", math.inf, GeometryError, "has a geometry, so location_accura"),
    ],
)
def test_text_in_a_numeric_column_is_a_bad_record_not_a_crash(column, value, error, message):
    # The column holds text, as a GeoPackage column of type TEXT reads.
    frame = _frame(_place(id="astana_ok"), _place(id="astana_text", **{column: value}))
    frame[column] = frame[column].astype(object)
    text = _problems(frame, error)
    assert f"record 'astana_text': {message}" in text
    assert f"got {value!r}" in text
    assert "astana_ok" not in text


def test_text_in_a_numeric_column_of_the_targets_is_a_bad_record():
    from tests.catalogue import TARGETS

    targets = TARGETS.astype(object).copy()
    first, second = targets["id"].iloc[0], targets["id"].iloc[1]
    targets.loc[targets.index[0], "deadline_year"] = "abc"
    targets.loc[targets.index[1], "quantity"] = "lots"
    with pytest.raises(InputError) as caught:
        validate_targets(pd.DataFrame(targets))
    text = str(caught.value)
    assert f"record {first!r}: deadline_year must be a year 1990-2100, got 'abc'" in text
    assert f"record {second!r}: quantity must be >= 0 or empty, got 'lots'" in text


@pytest.mark.parametrize(
    "geometry", [Point(math.nan, math.nan), Point(71.43, math.nan), Point(math.inf, 51.12)]
)
def test_nan_or_infinite_coordinates_are_invalid_coordinates(geometry):
    text = _problems(_frame(_place(geometry=geometry)), GeometryError)
    assert "record 'astana_test': geometry has an invalid coordinate (NaN or infinite)" in text
    assert "no geometry" not in text


def test_a_nan_point_read_back_from_a_geopackage_is_not_a_missing_geometry(tmp_path):
    # GeoPackage stores POINT (NaN NaN) as an empty point: it comes back empty, not NULL.
    path = tmp_path / "nan.gpkg"
    _frame(_place(geometry=Point(math.nan, math.nan))).to_file(path, layer="places")
    frame = gpd.read_file(path, layer="places")
    assert frame.geometry.iloc[0] is not None
    text = _problems(frame, GeometryError)
    assert "record 'astana_test': geometry has no valid coordinates" in text
    assert "has no geometry, so" not in text


def test_an_out_of_range_coordinate_is_shown_short():
    text = _problems(_frame(_place(geometry=Point(1e300, -1e300))), GeometryError)
    assert "got bounds (1.000e+300, -1.000e+300, 1.000e+300, -1.000e+300)" in text
    assert "0" * 20 not in text
    assert len(text) < 400


def test_z_coordinates_are_refused():
    text = _problems(_frame(_place(geometry=Point(71.43, 51.12, 350.0))), GeometryError)
    assert "record 'astana_test': geometry has Z (height) coordinates" in text


def test_a_very_long_name_is_refused_with_the_limit():
    name = "Ы" * 20_000
    text = _problems(_frame(_place(name_ru=name)))
    assert (
        f"record 'astana_test': name_ru is 20,000 characters long, more than the limit of "
        f"{MAX_NAME_CHARS}" in text
    )
    assert name not in text
    assert len(text) < 400


def test_a_name_at_the_limit_passes():
    validate_places(_frame(_place(name_en="x" * MAX_NAME_CHARS)))


def test_a_long_value_is_quoted_short():
    text = _problems(_frame(_place(kind="k" * 100_000)))
    assert "k" * (MAX_SHOWN_CHARS + 1) not in text
    assert "(100,000 characters)" in text


@pytest.mark.parametrize(
    "make",
    [
        lambda n: Polygon(
            [
                (
                    71.43 + 0.01 * math.cos(2 * math.pi * i / n),
                    51.12 + 0.01 * math.sin(2 * math.pi * i / n),
                )
                for i in range(n)
            ]
        ),
        lambda n: LineString([(71.40 + i * 1e-7, 51.12) for i in range(n)]),
    ],
)
def test_a_geometry_with_too_many_vertices_is_refused_with_the_limit(make):
    geometry = make(MAX_VERTICES + 8)
    assert shapely.get_num_coordinates(geometry) > MAX_VERTICES
    text = _problems(_frame(_place(geometry=geometry, location_accuracy_m=500.0)), GeometryError)
    assert "record 'astana_test': geometry has " in text
    assert f"vertices, more than the limit of {MAX_VERTICES:,}; simplify it" in text


def test_a_geometry_at_the_vertex_limit_passes():
    line = LineString([(71.40 + i * 1e-7, 51.12) for i in range(MAX_VERTICES)])
    validate_places(_frame(_place(geometry=line, location_accuracy_m=500.0)))
