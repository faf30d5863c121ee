import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from geo.coverage import BUFFER_QUAD_SEGS, catchments, compute_coverage
from geo.errors import InputError
from geo.network import SNAP_MAX_M, STREET_MARGIN_M, StreetNetwork, edges_from_lines
from tests.geo.coverage_helpers import CRS, at, local, partition, places_wgs84

SPACING = 100.0


def grid_lines(n: int = 5) -> list[LineString]:
    """Streets of an n x n grid of crossings 100 m apart, one segment per block side."""
    lines = []
    for i in range(n):
        for j in range(n - 1):
            lines.append(LineString([(j * SPACING, i * SPACING), ((j + 1) * SPACING, i * SPACING)]))
            lines.append(LineString([(i * SPACING, j * SPACING), (i * SPACING, (j + 1) * SPACING)]))
    return lines


def network_of(lines: list[LineString]) -> StreetNetwork:
    return StreetNetwork(edges_from_lines([at(line) for line in lines], crs=CRS))


def diamond(centre: tuple[float, float], radius: float) -> Polygon:
    """The points within ``radius`` of ``centre`` in Manhattan distance (a grid's distance)."""
    x, y = centre
    return Polygon([(x - radius, y), (x, y - radius), (x + radius, y), (x, y + radius)])


def expected_grid_catchment(centre: tuple[float, float], walk: float) -> Polygon:
    # On a complete grid, the walking distance from a crossing to a point on a street is the
    # Manhattan distance: the reachable streets are the streets inside the diamond.
    reach = diamond(centre, walk)
    parts = [line.intersection(reach) for line in grid_lines()]
    return at(
        shapely.union_all([p for p in parts if not p.is_empty]).buffer(
            STREET_MARGIN_M, quad_segs=16
        )
    )


def test_catchment_on_a_grid_is_the_streets_within_the_walk():
    net = network_of(grid_lines())
    place = gpd.GeoSeries([at(Point(200, 200))], crs=CRS)
    catchment = catchments(place, 300, network=net).iloc[0]
    expected = expected_grid_catchment((200, 200), 300)
    assert catchment.symmetric_difference(expected).area < 1.0
    # Partly reached streets are cut where the walk runs out: (200, 200) -> (0, 100) is 300 m,
    # so the street along y = 100 ends at x = 0 exactly, plus the margin.
    assert catchment.contains(at(Point(0 - STREET_MARGIN_M + 1, 100)))
    assert not catchment.contains(at(Point(0, 0 - STREET_MARGIN_M - 1)))
    # Far smaller than the straight-line circle of the same walk.
    assert catchment.area < at(Point(200, 200)).buffer(300).area


def test_a_place_between_crossings_walks_its_own_street_both_ways():
    net = network_of(grid_lines())
    # 20 m south of the street y = 200, halfway between crossings x = 100 and x = 200.
    place = gpd.GeoSeries([at(Point(150, 180))], crs=CRS)
    catchment = catchments(place, 300, network=net).iloc[0]
    # Independent: from (150, 200) with 280 m left, the Manhattan reach along the grid.
    left = 300 - 20
    reach = shapely.union_all(
        [
            diamond((100, 200), left - 50),  # via the west crossing, 50 m away
            diamond((200, 200), left - 50),  # via the east crossing
            LineString([(150 - left, 200), (150 + left, 200)]).buffer(0.01),  # its own street
        ]
    )
    parts = [line.intersection(reach) for line in grid_lines()]
    lines = shapely.union_all([p for p in parts if p.length > 0.05])
    expected = at(lines.buffer(STREET_MARGIN_M, quad_segs=16))
    assert catchment.symmetric_difference(expected).area < 5.0


def test_network_catchment_does_not_cross_the_river_without_a_bridge():
    # River along x = 0; a street on each bank (x = -100 and x = +100) and one bridge at
    # y = 2000. The same place's buffer crosses the river, its walk along the streets doesn't.
    lines = []
    for y in range(-3000, 3000, 100):
        lines.append(LineString([(-100, y), (-100, y + 100)]))
        lines.append(LineString([(100, y), (100, y + 100)]))
    lines.append(LineString([(-100, 2000), (100, 2000)]))
    net = network_of(lines)
    place = gpd.GeoSeries([at(Point(-120, 0))], crs=CRS)
    east_bank = at(box(0, -5000, 5000, 5000))
    by_buffer = catchments(place, 800).iloc[0]
    by_street = catchments(place, 800, network=net).iloc[0]
    assert by_buffer.intersection(east_bank).area > 0
    assert by_street.intersection(east_bank).area == 0
    # With 3 km the walk reaches the bridge (20 + 2000 m), crosses it (200 m) and walks
    # 780 m north and south along the east street.
    far = catchments(place, 3000, network=net).iloc[0].intersection(east_bank)
    expected = (
        shapely.union_all(
            [LineString([(100, 1220), (100, 2780)]), LineString([(-100, 2000), (100, 2000)])]
        )
        .buffer(STREET_MARGIN_M, quad_segs=16)
        .intersection(box(0, -5000, 5000, 5000))
    )
    assert local(far).symmetric_difference(expected).area < 1.0


def test_a_place_far_from_every_street_falls_back_to_a_buffer():
    net = network_of(grid_lines())
    far = at(Point(200, 400 + SNAP_MAX_M + 50))
    catchment = catchments(gpd.GeoSeries([far], crs=CRS), 500, network=net).iloc[0]
    assert catchment.equals(far.buffer(500, quad_segs=BUFFER_QUAD_SEGS))
    part = partition([("A", box(-1000, -1000, 2000, 2000), 1000)])
    places = places_wgs84([Point(200, 400 + SNAP_MAX_M + 50), Point(200, 200)])
    result = compute_coverage(places, part, 500, network=net)
    assert result.method == "network"
    assert result.fallback_places == 1


def test_coverage_union_along_streets_equals_the_union_of_each_catchment():
    net = network_of(grid_lines())
    points = [Point(0, 0), Point(400, 400), Point(150, 310)]
    one_by_one = shapely.union_all(
        catchments(gpd.GeoSeries([at(p) for p in points], crs=CRS), 400, network=net).values
    )
    part = partition([("A", box(-1000, -1000, 2000, 2000), 9000)])
    result = compute_coverage(places_wgs84(points), part, 400, network=net)
    # The places went through WGS 84 and back: allow a millimetre's worth of area.
    assert result.union.symmetric_difference(one_by_one).area < 1.0
    assert result.table.loc[0, "covered_m2"] == pytest.approx(one_by_one.area, rel=1e-4)
    assert result.table.loc[0, "covered_residents"] == pytest.approx(
        9000 * one_by_one.area / 9_000_000, rel=1e-4
    )


def test_parallel_streets_keep_the_shortest():
    # Two edges between the same crossings: a straight 100 m one and a 1 km detour.
    lines = [
        LineString([(0, 0), (100, 0)]),
        LineString([(0, 0), (0, 500), (100, 500), (100, 0)]),
        LineString([(100, 0), (400, 0)]),
    ]
    edges = edges_from_lines([at(line) for line in lines], crs=CRS)
    net = StreetNetwork(edges)
    catchment = catchments(gpd.GeoSeries([at(Point(0, 0))], crs=CRS), 350, network=net).iloc[0]
    assert catchment.contains(at(Point(340, 0)))
    assert not catchment.contains(at(Point(400, 0)))


def test_network_input_is_checked():
    edges = edges_from_lines([at(LineString([(0, 0), (100, 0)]))], crs=CRS)
    with pytest.raises(InputError, match="needs columns u, v, length_m"):
        StreetNetwork(edges.drop(columns="length_m"))
    with pytest.raises(InputError, match="projected CRS in metres"):
        StreetNetwork(edges.to_crs("EPSG:4326"))
    bad = edges.copy()
    bad["length_m"] = -1.0
    with pytest.raises(InputError, match="finite and >= 0"):
        StreetNetwork(bad)
    net = StreetNetwork(edges)
    part = partition([("A", box(0, 0, 100, 100), 1)])
    other = type(part)(
        city=part.city,
        crs="EPSG:32643",
        frame=part.frame.to_crs("EPSG:32643"),
        outline=part.outline,
        issues=(),
        missing_population=0,
    )
    with pytest.raises(InputError, match="project the network"):
        compute_coverage(places_wgs84([Point(0, 0)]), other, 300, network=net)


def test_edges_from_lines_numbers_shared_end_points_once():
    edges = edges_from_lines(grid_lines(3), crs=CRS)
    nodes = set(edges["u"]) | set(edges["v"])
    assert len(nodes) == 9
    assert np.allclose(edges["length_m"], SPACING)
