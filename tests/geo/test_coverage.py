import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from geo.coverage import (
    BUFFER_QUAD_SEGS,
    CIRCLE_AREA_DEFICIT,
    TABLE_COLUMNS,
    WALK_DEFAULT_M,
    WALK_MAX_M,
    WALK_MIN_M,
    _point_cells,
    catchments,
    check_walk,
    compute_coverage,
    union_of_buffers,
)
from geo.errors import CRSError, InputError
from tests.geo.coverage_helpers import (
    CRS,
    at,
    geodesic_area_m2,
    partition,
    places_wgs84,
)


def test_walk_constants_are_the_contracts():
    assert (WALK_MIN_M, WALK_MAX_M, WALK_DEFAULT_M) == (300, 3000, 800)


@pytest.mark.parametrize("walk", [300, 800, 3000, 812.5, np.int64(500), np.float32(1000)])
def test_walk_in_range_is_accepted(walk):
    assert check_walk(walk) == float(walk)


@pytest.mark.parametrize("walk", [299, 299.99, 3001, 0, -800, math.nan, math.inf])
def test_walk_out_of_range_is_refused_with_the_range(walk):
    with pytest.raises(InputError, match=r"between 300 and 3000 metres, got .*choose"):
        check_walk(walk)


@pytest.mark.parametrize("walk", ["800", None, True, [800]])
def test_walk_that_is_not_a_number_is_refused(walk):
    with pytest.raises(InputError, match="walk_m must be a number of metres"):
        check_walk(walk)


def test_compute_coverage_refuses_a_walk_out_of_range():
    part = partition([("A", box(0, 0, 1000, 1000), 100)])
    with pytest.raises(InputError, match="between 300 and 3000"):
        compute_coverage(places_wgs84([Point(500, 500)]), part, 5000)


def test_circle_approximation_is_as_stated():
    # The stated bound: a 64-gon inscribed in the circle, 0.16 % less area.
    assert 4 * BUFFER_QUAD_SEGS == 64
    assert abs(CIRCLE_AREA_DEFICIT - 0.0016) < 0.0001
    circle = catchments(gpd.GeoSeries([at(Point(0, 0))], crs=CRS), 1000).iloc[0]
    assert shapely.get_num_coordinates(circle) == 65
    true_area = math.pi * 1000**2
    assert circle.area == pytest.approx(true_area * (1 - CIRCLE_AREA_DEFICIT), rel=1e-9)


def test_catchment_crosses_a_river_line():
    # A straight-line buffer does not know about bridges: a place 200 m west of a river
    # running north-south reaches 600 m into the east bank with an 800 m walk.
    river = at(LineString([(0, -5000), (0, 5000)]))
    place = gpd.GeoSeries([at(Point(-200, 0))], crs=CRS)
    catchment = catchments(place, 800).iloc[0]
    assert catchment.intersects(river)
    east_bank = at(box(0, -5000, 5000, 5000))
    east = catchment.intersection(east_bank)
    assert east.bounds[2] == pytest.approx(at(Point(600, 0)).x, abs=1e-6)
    # Independent: shapely's own buffer of the point, cut at the river.
    expected = at(Point(-200, 0)).buffer(800, quad_segs=BUFFER_QUAD_SEGS).intersection(east_bank)
    assert east.symmetric_difference(expected).area < 1e-6
    assert east.area > 0.3 * catchment.area


def test_catchments_of_lines_and_polygons_are_buffered_from_their_outline():
    geoms = gpd.GeoSeries(
        [at(LineString([(0, 0), (1000, 0)])), at(box(0, 0, 500, 500)), None], crs=CRS
    )
    result = catchments(geoms, 300)
    line_area = 1000 * 600 + math.pi * 300**2 * (1 - CIRCLE_AREA_DEFICIT)
    assert result.iloc[0].area == pytest.approx(line_area, rel=1e-3)
    # A polygon keeps its inside and reaches 300 m beyond its outline.
    square = 500**2 + 4 * 500 * 300 + math.pi * 300**2 * (1 - CIRCLE_AREA_DEFICIT)
    assert result.iloc[1].area == pytest.approx(square, rel=1e-3)
    assert result.iloc[1].contains(at(Point(250, 250)))
    assert result.iloc[2].is_empty


def test_catchments_need_a_metric_crs():
    with pytest.raises(CRSError, match="projected CRS in metres"):
        catchments(gpd.GeoSeries([Point(71.4, 51.1)], crs="EPSG:4326"), 800)


def test_overlapping_catchments_are_counted_once():
    part = partition([("A", box(-5000, -5000, 5000, 5000), 100_000)])
    places = places_wgs84([Point(-200, 0), Point(200, 0), Point(200, 0)])
    result = compute_coverage(places, part, 300)
    # Independent: shapely's union of the two distinct buffers (one place is a duplicate).
    a = at(Point(-200, 0)).buffer(300, quad_segs=BUFFER_QUAD_SEGS)
    b = at(Point(200, 0)).buffer(300, quad_segs=BUFFER_QUAD_SEGS)
    expected = a.union(b).area
    covered = result.table.loc[0, "covered_m2"]
    assert covered == pytest.approx(expected, rel=1e-6)  # the places were projected from WGS 84
    assert covered < a.area + b.area - 1000  # the lens between them counted once
    # The lens of two circles of radius r whose centres are d apart, true circles.
    r, d = 300.0, 400.0
    lens = 2 * r**2 * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r**2 - d**2)
    assert covered == pytest.approx(2 * math.pi * r**2 - lens, rel=0.005)
    assert result.places == 3


def test_a_district_half_covered():
    # District 2 km x 1 km; a street-long place (a line) along x = 500 covers x in 0..1000.
    part = partition(
        [("West", box(0, 0, 2000, 1000), 10_000), ("Far", box(2000, 0, 4000, 1000), 5_000)]
    )
    places = places_wgs84([LineString([(500, -3000), (500, 4000)])])
    result = compute_coverage(places, part, 500)
    assert list(result.table.columns) == list(TABLE_COLUMNS)
    row = result.table.set_index("district").loc["West"]
    assert row["area_share"] == pytest.approx(0.5, abs=1e-6)
    assert row["covered_residents"] == pytest.approx(5_000, rel=1e-6)
    assert row["residents_share"] == pytest.approx(0.5, abs=1e-6)
    assert row["spread"] == "uniform"
    far = result.table.set_index("district").loc["Far"]
    assert far["covered_m2"] == 0
    assert far["covered_residents"] == 0
    assert result.spread == "uniform"
    assert result.method == "buffer"
    assert result.total["covered_m2"] == pytest.approx(1000 * 1000, rel=1e-6)
    assert result.total["area_share"] == pytest.approx(0.25, abs=1e-6)
    assert result.total["covered_residents"] == pytest.approx(5_000, rel=1e-6)
    assert result.total["residents_share"] == pytest.approx(5_000 / 15_000, rel=1e-6)
    # The buffer sticks out of the layer north and south of it: counted apart.
    assert result.total["outside_m2"] == pytest.approx(result.union.area - 1_000_000, rel=1e-9)


def test_areas_match_the_geodesic_area_within_half_a_percent():
    part = partition([("A", box(-3000, -3000, 3000, 3000), 50_000)])
    places = places_wgs84([Point(0, 0), Point(900, 300), Point(-2500, 2500)])
    result = compute_coverage(places, part, 1200)
    covered = shapely.intersection(result.union, part.outline)
    geodesic = geodesic_area_m2(covered)
    assert result.total["covered_m2"] == pytest.approx(geodesic, rel=0.005)
    assert result.table.loc[0, "area_m2"] == pytest.approx(
        geodesic_area_m2(part.outline), rel=0.005
    )


def test_unknown_population_gives_nan_residents_not_zero():
    part = partition([("A", box(0, 0, 1000, 1000), 1000), ("B", box(1000, 0, 2000, 1000), np.nan)])
    result = compute_coverage(places_wgs84([Point(1000, 500)]), part, 300)
    table = result.table.set_index("district")
    assert table.loc["A", "covered_residents"] > 0
    assert math.isnan(table.loc["B", "covered_residents"])
    assert math.isnan(table.loc["B", "residents_share"])
    assert table.loc["B", "covered_m2"] > 0
    # Totals over the districts of known population only.
    assert result.total["population"] == 1000
    assert result.total["covered_residents"] == pytest.approx(table.loc["A", "covered_residents"])


def test_no_places_cover_nothing():
    part = partition([("A", box(0, 0, 1000, 1000), 1000)])
    empty = places_wgs84([])
    result = compute_coverage(empty, part, 800)
    assert result.union.is_empty
    assert result.table["covered_m2"].tolist() == [0.0]
    assert result.table["covered_residents"].tolist() == [0.0]
    assert result.total["area_share"] == 0.0


def test_places_without_a_position_are_left_out():
    part = partition([("A", box(0, 0, 1000, 1000), 1000)])
    places = places_wgs84([Point(500, 500)])
    places.loc[1] = ["nowhere", None]
    result = compute_coverage(places, part, 300)
    assert result.places == 1


def test_places_of_another_city_are_left_out():
    part = partition([("A", box(0, 0, 1000, 1000), 1000)])
    places = places_wgs84([Point(500, 500), Point(900, 900)])
    places["city"] = ["astana", "almaty"]
    result = compute_coverage(places, part, 300)
    assert result.places == 1
    only = compute_coverage(places.iloc[:1], part, 300)
    assert result.union.equals(only.union)


def _grid_partition_and_cells(population_a):
    part = partition([("A", box(0, 0, 2000, 1000), population_a)])
    cells = gpd.GeoDataFrame(
        {"city": ["astana", "astana", "almaty"], "population": [9000.0, 2000.0, 1e6]},
        # The second cell reaches 1 km beyond the district: half of it is clipped away.
        geometry=[
            at(box(0, 0, 1000, 1000)),
            at(box(1000, 0, 3000, 1000)),
            at(box(0, 0, 2000, 1000)),
        ],
        crs=CRS,
    ).to_crs("EPSG:4326")
    return part, cells


def test_a_population_grid_spreads_residents_by_cell():
    part, cells = _grid_partition_and_cells(20_000)
    places = places_wgs84([LineString([(500, -3000), (500, 4000)])])  # covers x in 0..1000
    result = compute_coverage(places, part, 500, population_grid=cells)
    row = result.table.iloc[0]
    assert result.spread == "grid"
    assert row["spread"] == "grid"
    # The grid puts 9,000 of its 10,000 residents inside the district in the covered cell
    # (Almaty's cell is another city's); the district's 20,000 are spread the same way.
    assert row["residents_share"] == pytest.approx(0.9, abs=1e-6)
    assert row["covered_residents"] == pytest.approx(18_000, rel=1e-6)
    assert row["area_share"] == pytest.approx(0.5, abs=1e-6)
    uniform = compute_coverage(places, part, 500)
    assert uniform.table.iloc[0]["covered_residents"] == pytest.approx(10_000, rel=1e-6)


def test_a_population_grid_counts_when_the_district_population_is_unknown():
    part, cells = _grid_partition_and_cells(np.nan)
    places = places_wgs84([LineString([(500, -3000), (500, 4000)])])
    row = compute_coverage(places, part, 500, population_grid=cells).table.iloc[0]
    assert row["population"] == pytest.approx(10_000, rel=1e-6)
    assert row["covered_residents"] == pytest.approx(9_000, rel=1e-6)


def test_a_district_the_grid_does_not_reach_falls_back_to_uniform():
    part = partition([("A", box(0, 0, 1000, 1000), 1000), ("B", box(1000, 0, 3000, 1000), 4000)])
    cells = gpd.GeoDataFrame({"population": [500.0]}, geometry=[at(box(0, 0, 1000, 1000))], crs=CRS)
    places = places_wgs84([LineString([(1400, -3000), (1400, 4000)])])  # covers x 1100..1700
    table = compute_coverage(places, part, 300, population_grid=cells).table.set_index("district")
    assert table.loc["A", "spread"] == "grid"
    assert table.loc["B", "spread"] == "uniform"
    assert table.loc["B", "covered_residents"] == pytest.approx(4000 * 0.3, rel=1e-6)
    assert table.loc["A", "covered_residents"] == 0


def test_a_grid_with_no_cell_for_the_city_is_reported_uniform():
    # A grid of the other city only (and a cell of this city with no residents): it spreads
    # nothing here, so the coverage must not claim the grid was used.
    part = partition([("A", box(0, 0, 1000, 1000), 1000), ("B", box(1000, 0, 3000, 1000), 4000)])
    cells = gpd.GeoDataFrame(
        {"city": ["almaty", "astana"], "population": [1e6, 0.0]},
        geometry=[at(box(0, 0, 3000, 1000)), at(box(0, 0, 1000, 1000))],
        crs=CRS,
    ).to_crs("EPSG:4326")
    places = places_wgs84([LineString([(1400, -3000), (1400, 4000)])])
    with_grid = compute_coverage(places, part, 300, population_grid=cells)
    assert with_grid.spread == "uniform"
    assert list(with_grid.table["spread"]) == ["uniform", "uniform"]
    without = compute_coverage(places, part, 300)
    assert with_grid.table["covered_residents"].tolist() == pytest.approx(
        without.table["covered_residents"].tolist(), rel=1e-9
    )


def test_a_grid_s_absent_cells_mean_no_residents_there():
    # The grid reaches a quarter of A: all of A's residents live in that quarter (documented).
    part = partition([("A", box(0, 0, 2000, 2000), 1000)])
    cells = gpd.GeoDataFrame(
        {"population": [50.0]}, geometry=[at(box(0, 0, 1000, 1000))], crs=CRS
    ).to_crs("EPSG:4326")
    places = places_wgs84([LineString([(500, -3000), (500, 5000)])])  # covers x 200..800
    row = compute_coverage(places, part, 300, population_grid=cells).table.iloc[0]
    assert row["spread"] == "grid"
    assert row["area_share"] == pytest.approx(0.3, rel=1e-6)
    assert row["covered_residents"] == pytest.approx(1000 * 0.6, rel=1e-6)


def test_a_grid_without_population_is_refused():
    part = partition([("A", box(0, 0, 1000, 1000), 1000)])
    cells = gpd.GeoDataFrame({"people": [1.0]}, geometry=[at(box(0, 0, 10, 10))], crs=CRS)
    with pytest.raises(InputError, match="population_grid must have a 'population' column"):
        compute_coverage(places_wgs84([Point(0, 0)]), part, 300, population_grid=cells)


@pytest.mark.parametrize("walk", [300, 800, 3000])
def test_union_by_cells_and_parallel_strips_equals_one_union(walk):
    rng = np.random.default_rng(3)
    points = shapely.points(rng.uniform(0, 20_000, 4000), rng.uniform(0, 20_000, 4000))
    points = np.concatenate([points, [LineString([(0, 0), (5000, 5000)]), None]])
    direct = shapely.union_all(shapely.buffer(points, walk, quad_segs=BUFFER_QUAD_SEGS))
    for workers in (1, 3):
        ours = union_of_buffers(points, walk, workers=workers)
        assert ours.area == pytest.approx(direct.area, rel=1e-12)
        assert ours.symmetric_difference(direct).area < 1e-3
        assert shapely.get_num_coordinates(ours) == shapely.get_num_coordinates(direct)


def test_cells_stand_in_only_for_buffers_inside_them():
    rng = np.random.default_rng(4)
    points = shapely.points(rng.uniform(0, 10_000, 5000), rng.uniform(0, 10_000, 5000))
    cells, inside = _point_cells(points, 800)
    assert inside.sum() > 1000  # dense enough that most buffers are inside the cells
    buffers = shapely.buffer(points[inside], 800, quad_segs=BUFFER_QUAD_SEGS)
    assert shapely.covers(cells, buffers).all()
    # Every cell is inside the buffer of a point in it: the cells add nothing of their own.
    all_buffers = shapely.union_all(shapely.buffer(points, 800, quad_segs=BUFFER_QUAD_SEGS))
    assert cells.difference(all_buffers).area < 1e-6
    few, none = _point_cells(points[:100], 800)
    assert few is None
    assert not none.any()
