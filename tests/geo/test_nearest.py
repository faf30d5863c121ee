"""Nearest places: positions, the per-city index against brute force and geodesics, ordering."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from geo.nearest import (
    PositionError,
    build_index,
    city_of,
    nearest,
    nearest_brute_force,
    parse_near,
    walking_minutes,
)

GEOD = Geod(ellps="WGS84")
HERE = (51.1280, 71.4300)  # lat, lon in Astana


def _places(rows):
    """rows: (id, city, geometry or None) in WGS 84."""
    return gpd.GeoDataFrame(
        {"id": [r[0] for r in rows], "city": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs="EPSG:4326",
    )


@pytest.fixture
def astana():
    return _places(
        [
            ("far", "astana", Point(71.50, 51.16)),
            ("near", "astana", Point(71.431, 51.128)),
            ("middle", "astana", Point(71.44, 51.13)),
            ("unknown", "astana", None),
            ("almaty_one", "almaty", Point(76.93, 43.25)),
            ("twin_b", "astana", Point(71.45, 51.12)),
            ("twin_a", "astana", Point(71.45, 51.12)),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("51.128,71.43", (51.128, 71.43)), (" 43.25 , 76.93 ", (43.25, 76.93)), ("-1,2", (-1.0, 2.0))],
)
def test_parse_near_reads_lat_lon(text, expected):
    assert parse_near(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("abc", "not a position"),
        ("", "not a position"),
        ("51.1;71.4", "not a position"),
        ("51.1", "not a position"),
        ("200,71.4", "latitude 200.0 is out of range"),
        ("51.1,200", "longitude 200.0 is out of range"),
    ],
)
def test_parse_near_rejects_bad_input_with_a_reason(text, match):
    with pytest.raises(PositionError, match=match):
        parse_near(text)


def test_city_of_a_position_and_a_point_in_another_country():
    assert city_of(*HERE) == "astana"
    assert city_of(43.25, 76.93) == "almaty"
    with pytest.raises(PositionError, match="outside Astana and Almaty"):
        city_of(55.75, 37.62)  # Moscow


def test_distances_match_geodesics_within_half_a_percent(astana):
    index = build_index(astana, "astana")
    hits = nearest(index, *HERE, k=10)
    placed_here = (astana["city"] == "astana") & astana.geometry.notna()
    assert len(hits) == min(10, int(placed_here.sum()))
    for hit in hits:
        geom = astana.geometry.iloc[hit.row]
        _, _, geodesic = GEOD.inv(HERE[1], HERE[0], geom.x, geom.y)
        assert hit.distance_m == pytest.approx(geodesic, rel=0.005)


def test_order_ties_and_unknown_and_other_city(astana):
    index = build_index(astana, "astana")
    ids = [astana["id"].iloc[h.row] for h in nearest(index, *HERE, k=10)]
    assert ids == ["near", "middle", "twin_b", "twin_a", "far"]  # tie: frame order
    assert "unknown" not in ids
    assert "almaty_one" not in ids
    assert len(index) == 5


def test_k_radius_and_allowed_rows(astana):
    index = build_index(astana, "astana")
    assert [h.row for h in nearest(index, *HERE, k=2)] == [1, 2]
    within = nearest(index, *HERE, k=10, max_distance_m=1_000)
    assert [astana["id"].iloc[h.row] for h in within] == ["near", "middle"]
    assert all(h.distance_m <= 1_000 for h in within)
    allowed = astana["id"].isin(["far", "twin_a"]).to_numpy()
    assert [astana["id"].iloc[h.row] for h in nearest(index, *HERE, allowed=allowed)] == [
        "twin_a",
        "far",
    ]
    assert nearest(index, *HERE, k=0) == []


def test_a_line_is_as_near_as_its_nearest_point():
    line = LineString([(71.40, 51.129), (71.46, 51.129)])
    index = build_index(_places([("boulevard", "astana", line)]), "astana")
    (hit,) = nearest(index, *HERE, k=1)
    _, _, geodesic = GEOD.inv(HERE[1], HERE[0], HERE[1], 51.129)
    assert hit.distance_m == pytest.approx(geodesic, rel=0.005)


def test_index_agrees_with_brute_force_on_random_places():
    rng = np.random.default_rng(7)
    n = 3_000
    lons, lats = rng.uniform(71.30, 71.60, n), rng.uniform(51.05, 51.25, n)
    places = _places(
        [(f"p{i}", "astana", Point(x, y)) for i, (x, y) in enumerate(zip(lons, lats, strict=True))]
    )
    index = build_index(places, "astana")
    allowed = rng.random(n) < 0.3
    for _ in range(50):
        lat, lon = rng.uniform(51.0, 51.3), rng.uniform(71.25, 71.65)
        for kwargs in ({"k": 5}, {"k": 7, "allowed": allowed}, {"k": 50, "max_distance_m": 2_000}):
            fast = nearest(index, lat, lon, **kwargs)
            slow = nearest_brute_force(index, lat, lon, **kwargs)
            assert [h.row for h in fast] == [h.row for h in slow]
            assert [h.distance_m for h in fast] == pytest.approx([h.distance_m for h in slow])


@pytest.mark.parametrize("n_places", [1, 2, 3])
def test_few_places_and_k_above_their_number_find_them_all(n_places):
    """The city's edge: places at the far corners of the index must never be lost."""
    rng = np.random.default_rng(n_places)
    corners = [(71.30, 51.05), (71.60, 51.25), (71.30, 51.25)][:n_places]
    index = build_index(
        _places([(f"c{i}", "astana", Point(c)) for i, c in enumerate(corners)]), "astana"
    )
    for _ in range(500):
        lat, lon = rng.uniform(51.0, 51.3), rng.uniform(71.25, 71.65)
        fast = nearest(index, lat, lon, k=5)
        slow = nearest_brute_force(index, lat, lon, k=5)
        assert [h.row for h in fast] == [h.row for h in slow]
        assert len(fast) == n_places


def test_the_radius_keeps_a_place_at_exactly_its_distance():
    index = build_index(_places([("p", "astana", Point(71.45, 51.13))]), "astana")
    (hit,) = nearest(index, 51.13, 71.43, k=5)
    assert nearest(index, 51.13, 71.43, k=5, max_distance_m=hit.distance_m) == [hit]
    assert nearest(index, 51.13, 71.43, k=5, max_distance_m=hit.distance_m - 0.01) == []


def test_an_empty_city_has_no_results(astana):
    index = build_index(astana[astana["city"] == "almaty"].iloc[:0], "almaty")
    assert nearest(index, 43.25, 76.93) == []


@pytest.mark.parametrize(("metres", "minutes"), [(0, 1), (80, 1), (81, 2), (800, 10), (4_800, 60)])
def test_walking_minutes_at_4_8_kmh(metres, minutes):
    assert walking_minutes(metres) == minutes


def test_directions_links_carry_both_positions():
    from geo.directions import directions_2gis, directions_osm

    here, there = (51.128, 71.43), (51.1322, 71.4039)
    assert directions_2gis(here, there, city="astana") == (
        "https://2gis.kz/astana/directions/points/71.430000%2C51.128000%7C71.403900%2C51.132200"
    )
    assert directions_osm(here, there) == (
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route="
        "51.128000%2C71.430000%3B51.132200%2C71.403900"
    )


def test_filters_of_the_other_city_are_set_aside():
    from geo.near_results import filters_in_city
    from geo.select import Filters, FilterVocabulary

    places = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "city": ["astana", "astana", "almaty"],
            "kind": ["studio", "studio", "studio"],
            "status": ["existing"] * 3,
            "bank": ["left", "right", None],
            "district": ["Yesil", "Almaty", "Almaly"],
            "target_year": [None, None, None],
            "announced_date": [None, None, None],
        },
        geometry=[Point(71.4, 51.1), Point(71.4, 51.2), Point(76.9, 43.25)],
        crs="EPSG:4326",
    )
    key = Filters(city="astana", kinds=("studio",), banks=("left",), districts=("Yesil",))
    vocabulary = FilterVocabulary.of(places)
    allowed, ignored = filters_in_city(places, key, "astana", vocabulary)
    assert allowed.tolist() == [True, False, False]
    assert ignored is False
    allowed, ignored = filters_in_city(places, key, "almaty", vocabulary)
    assert allowed[2]  # Astana's bank and district set aside (the index holds Almaty only)
    assert ignored is True
