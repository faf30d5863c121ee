"""Drawn shapes measured in the city's UTM zone, checked against geodesics; hostile input."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from geo.errors import InputError
from geo.measure import (
    MAX_DRAWING_VERTICES,
    Measurement,
    city_of_geometry,
    drawing_shape,
    measure_drawing,
)

GEOD = Geod(ellps="WGS84")
TOLERANCE = 0.005  # 0.5 %

# Real-size shapes a planner would draw (lon, lat): a block of the left bank, a walk across the
# centre, a park-sized polygon in Almaty, a street-long line there.
ASTANA_POLYGON = [
    (71.4040, 51.1180),
    (71.4420, 51.1150),
    (71.4530, 51.1330),
    (71.4270, 51.1420),
    (71.3990, 51.1320),
    (71.4040, 51.1180),
]
ASTANA_LINE = [(71.3900, 51.0900), (71.4300, 51.1250), (71.4700, 51.1600)]
ALMATY_POLYGON = [
    (76.9050, 43.2330),
    (76.9420, 43.2310),
    (76.9510, 43.2500),
    (76.9230, 43.2620),
    (76.8990, 43.2510),
    (76.9050, 43.2330),
]
ALMATY_LINE = [(76.8800, 43.2200), (76.9200, 43.2400), (76.9700, 43.2650)]


def _polygon(ring):
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def _line(points):
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def _geodesic_area_perimeter(ring):
    lons, lats = zip(*ring, strict=True)
    area, perimeter = GEOD.polygon_area_perimeter(lons, lats)
    return abs(area), perimeter


def _geodesic_length(points):
    lons, lats = zip(*points, strict=True)
    return GEOD.line_length(lons, lats)


@pytest.mark.parametrize(("city", "ring"), [("astana", ASTANA_POLYGON), ("almaty", ALMATY_POLYGON)])
def test_a_polygons_area_and_perimeter_match_the_geodesic_ones(city, ring):
    measured = measure_drawing(_polygon(ring), city=city)
    area, perimeter = _geodesic_area_perimeter(ring)
    assert area > 5e6  # a few square kilometres: real size
    assert measured.kind == "polygon"
    assert measured.area_m2 == pytest.approx(area, rel=TOLERANCE)
    assert measured.perimeter_m == pytest.approx(perimeter, rel=TOLERANCE)
    assert measured.length_m == 0
    assert not measured.repaired


@pytest.mark.parametrize(("city", "points"), [("astana", ASTANA_LINE), ("almaty", ALMATY_LINE)])
def test_a_lines_length_matches_the_geodesic_one(city, points):
    measured = measure_drawing(_line(points), city=city)
    length = _geodesic_length(points)
    assert length > 5_000
    assert measured == Measurement("line", pytest.approx(length, rel=TOLERANCE), 0.0, 0.0)


@pytest.mark.parametrize(
    ("city", "points", "low", "high"),
    [("astana", ASTANA_LINE, 1.55, 1.63), ("almaty", ALMATY_LINE, 1.33, 1.41)],
)
def test_web_mercator_would_overstate_lengths_by_59_and_37_percent(city, points, low, high):
    """The reason measure_drawing projects to UTM: 1/cos(latitude) in Web Mercator."""
    mercator = gpd.GeoSeries([LineString(points)], crs="EPSG:4326").to_crs("EPSG:3857")
    ratio = float(mercator.length.iloc[0]) / _geodesic_length(points)
    assert low < ratio < high
    assert measure_drawing(_line(points), city=city).length_m / _geodesic_length(
        points
    ) == pytest.approx(1, abs=TOLERANCE)


def test_a_point_has_no_size():
    assert measure_drawing(
        {"type": "Point", "coordinates": [71.43, 51.12]}, city="astana"
    ) == Measurement("point", 0.0, 0.0, 0.0)


def test_a_rectangle_with_a_hole_counts_the_hole_out_and_its_edge_in():
    outer = [(71.40, 51.10), (71.44, 51.10), (71.44, 51.13), (71.40, 51.13), (71.40, 51.10)]
    hole = [(71.41, 51.11), (71.42, 51.11), (71.42, 51.12), (71.41, 51.12), (71.41, 51.11)]
    geometry = {"type": "Polygon", "coordinates": [outer, hole]}
    measured = measure_drawing(geometry, city="astana")
    outer_area, outer_perimeter = _geodesic_area_perimeter(outer)
    hole_area, hole_perimeter = _geodesic_area_perimeter(hole)
    assert measured.area_m2 == pytest.approx(outer_area - hole_area, rel=TOLERANCE)
    assert measured.perimeter_m == pytest.approx(outer_perimeter + hole_perimeter, rel=TOLERANCE)


def test_a_self_intersecting_polygon_is_made_valid_and_says_so():
    """A bow tie: its valid shape is its two triangles, whose areas add up."""
    bow = [(71.40, 51.10), (71.44, 51.13), (71.44, 51.10), (71.40, 51.13), (71.40, 51.10)]
    measured = measure_drawing(_polygon(bow), city="astana")
    assert measured.repaired
    crossing = LineString(bow[0:2]).intersection(LineString(bow[2:4]))  # the diagonals
    mid = (crossing.x, crossing.y)
    left, _ = _geodesic_area_perimeter([bow[0], mid, bow[3], bow[0]])
    right, _ = _geodesic_area_perimeter([bow[1], mid, bow[2], bow[1]])
    assert measured.area_m2 == pytest.approx(left + right, rel=TOLERANCE)
    shape, repaired = drawing_shape(_polygon(bow))
    assert repaired
    assert shape.is_valid
    assert shape.geom_type == "MultiPolygon"


def test_city_of_geometry_picks_the_city_the_drawing_is_in():
    assert city_of_geometry(_polygon(ASTANA_POLYGON)) == "astana"
    assert city_of_geometry(_line(ALMATY_LINE)) == "almaty"
    assert city_of_geometry({"type": "Point", "coordinates": [2.35, 48.85]}) is None


def test_a_drawing_outside_the_city_is_refused_not_measured_in_a_wrong_zone():
    with pytest.raises(InputError, match="lies outside astana's area"):
        measure_drawing(_polygon(ALMATY_POLYGON), city="astana")
    with pytest.raises(InputError, match="city must be one of"):
        measure_drawing(_polygon(ASTANA_POLYGON), city="paris")


def _many(n):
    return [[71.40 + 0.03 * i / n, 51.10 + 0.01 * math.sin(i)] for i in range(n)]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (None, "must be a GeoJSON geometry object"),
        ("POLYGON((0 0, 1 1, 1 0, 0 0))", "must be a GeoJSON geometry object"),
        ([71.4, 51.1], "must be a GeoJSON geometry object"),
        ({}, "type must be one of"),
        ({"type": "MultiPolygon", "coordinates": []}, "type must be one of"),
        ({"type": "GeometryCollection", "geometries": []}, "type must be one of"),
        ({"type": ["Point"], "coordinates": [71.4, 51.1]}, "type must be one of"),
        ({"type": "Point"}, r"must be \[longitude, latitude\]"),
        ({"type": "Point", "coordinates": [71.4]}, r"must be \[longitude, latitude\]"),
        ({"type": "Point", "coordinates": [71.4, 51.1, 0, 0]}, r"must be \[longitude"),
        ({"type": "Point", "coordinates": {"0": 71.4, "1": 51.1}}, r"must be \[longitude"),
        ({"type": "Point", "coordinates": [float("nan"), 51.1]}, "finite number"),
        ({"type": "Point", "coordinates": [71.4, float("inf")]}, "finite number"),
        ({"type": "Point", "coordinates": [True, 51.1]}, "finite number"),
        ({"type": "Point", "coordinates": ["71.4", "51.1"]}, "finite number"),
        ({"type": "Point", "coordinates": [[71.4], 51.1]}, "finite number"),
        ({"type": "Point", "coordinates": [200.0, 51.1]}, r"longitude in \[-180, 180\]"),
        ({"type": "Point", "coordinates": [71.4, -95.0]}, r"latitude in \[-90, 90\]"),
        ({"type": "Point", "coordinates": [1e308 * 10, 51.1]}, "finite number"),
        ({"type": "LineString", "coordinates": [[71.4, 51.1]]}, "at least 2 positions"),
        ({"type": "LineString", "coordinates": "71.4,51.1;71.5,51.2"}, "list of positions"),
        ({"type": "LineString", "coordinates": _many(MAX_DRAWING_VERTICES + 1)}, "at most 10,000"),
        ({"type": "Polygon", "coordinates": []}, "non-empty list of rings"),
        (
            {"type": "Polygon", "coordinates": [[[71.4, 51.1], [71.5, 51.1], [71.4, 51.2]]]},
            "closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[71.4, 51.1], [71.5, 51.1], [71.4, 51.1]]]},
            "at least 4 positions",
        ),
        (
            {"type": "Polygon", "coordinates": [_many(6000) + [_many(6000)[0]]] * 2},
            "at most 10,000",
        ),
    ],
)
def test_hostile_geojson_is_refused_with_a_clear_message(geometry, message):
    with pytest.raises(InputError, match=message):
        measure_drawing(geometry, city="astana")
    with pytest.raises(InputError, match=message):
        city_of_geometry(geometry)


def test_the_vertex_limit_is_checked_before_the_positions_are_read():
    """A huge list of junk fails on its size, not after validating a million positions."""
    junk = {"type": "LineString", "coordinates": [None] * 1_000_000}
    with pytest.raises(InputError, match="at most 10,000"):
        measure_drawing(junk, city="astana")


def test_exactly_the_vertex_limit_is_accepted():
    points = _many(MAX_DRAWING_VERTICES)
    measured = measure_drawing(_line(points), city="astana")
    assert measured.length_m == pytest.approx(_geodesic_length(points), rel=TOLERANCE)
