import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from geo.coverage import BUFFER_QUAD_SEGS, CIRCLE_AREA_DEFICIT, compute_coverage
from geo.errors import GeometryError
from geo.gaps import CandidateResult, candidate_label, evaluate_candidates
from geo.network import StreetNetwork, edges_from_lines
from tests.geo.coverage_helpers import CRS, at, partition, places_wgs84


def wgs(geom):
    """A geometry in local metres as WGS 84, as the page passes candidates."""
    return gpd.GeoSeries([at(geom)], crs=CRS).to_crs("EPSG:4326").iloc[0]


@pytest.fixture
def part():
    # Two districts side by side, 4 km x 4 km each: West 40,000 residents, East 10,000.
    return partition(
        [("West", box(0, 0, 4000, 4000), 40_000), ("East", box(4000, 0, 8000, 4000), 10_000)]
    )


@pytest.fixture
def banks():
    # The river along x = 4000: west of it the left bank, east the right.
    return gpd.GeoDataFrame(
        {"bank": ["left", "right"]},
        geometry=[at(box(-1000, -1000, 4000, 5000)), at(box(4000, -1000, 9000, 5000))],
        crs=CRS,
    ).to_crs("EPSG:4326")


@pytest.fixture
def existing():
    return places_wgs84(
        [Point(1000, 1000), Point(1500, 1000), Point(7000, 3000)], ids=["a", "b", "c"]
    )


def test_candidate_inside_existing_coverage_adds_nothing(part, banks):
    # An existing place that is a 3 km square: a candidate in its middle reaches nothing new.
    places = places_wgs84([box(500, 500, 3500, 3500)], ids=["square"])
    coverage = compute_coverage(places, part, 800)
    (result,) = evaluate_candidates(
        [wgs(Point(2000, 2000))], coverage, part, places=places, banks=banks
    )
    assert result.new_area_m2 == 0
    assert result.new_residents == 0
    assert result.catchment_area_m2 > 0
    assert result.nearest == (("square", 0.0),)
    # At the same spot as an existing place: nothing new either.
    places = places_wgs84([Point(1000, 1000)], ids=["a"])
    coverage = compute_coverage(places, part, 500)
    (same,) = evaluate_candidates(
        [wgs(Point(1000, 1000))], coverage, part, places=places, banks=None
    )
    assert same.new_area_m2 < 1.0  # the place went through WGS 84: a sliver at most


def test_point_candidate_against_an_independent_computation(part, banks, existing):
    coverage = compute_coverage(existing, part, 800)
    candidate = Point(2000, 1000)
    (result,) = evaluate_candidates([wgs(candidate)], coverage, part, places=existing, banks=banks)
    assert isinstance(result, CandidateResult)
    assert result.label == "A"
    assert result.district == "West"
    assert result.bank == "left"
    assert result.walk_m == 800
    # Independent: shapely directly, in local metres.
    circle = candidate.buffer(800, quad_segs=BUFFER_QUAD_SEGS)
    covered = shapely.union_all(
        [
            Point(x, y).buffer(800, quad_segs=BUFFER_QUAD_SEGS)
            for x, y in [(1000, 1000), (1500, 1000), (7000, 3000)]
        ]
    )
    new = circle.difference(covered).intersection(box(0, 0, 8000, 4000))
    assert result.new_area_m2 == pytest.approx(new.area, rel=1e-4)
    assert result.new_residents == pytest.approx(40_000 * new.area / 16e6, rel=1e-4)
    assert result.catchment_area_m2 == pytest.approx(
        math.pi * 800**2 * (1 - CIRCLE_AREA_DEFICIT), rel=1e-4
    )
    # Nearest existing places with their distances in metres.
    assert [pid for pid, _ in result.nearest] == ["b", "a", "c"]
    assert result.nearest[0][1] == pytest.approx(500, abs=0.01)
    assert result.nearest[1][1] == pytest.approx(1000, abs=0.01)
    assert result.nearest[2][1] == pytest.approx(math.hypot(5000, 2000), abs=0.01)


def test_new_area_is_clipped_to_the_outline_and_residents_follow_each_district(part, existing):
    coverage = compute_coverage(existing, part, 800)
    # On the border between the districts and at the layer's south edge.
    candidate = Point(4000, 0)
    (result,) = evaluate_candidates([wgs(candidate)], coverage, part, places=existing, banks=None)
    circle = candidate.buffer(800, quad_segs=BUFFER_QUAD_SEGS)
    west = circle.intersection(box(0, 0, 4000, 4000)).area
    east = circle.intersection(box(4000, 0, 8000, 4000)).area
    assert result.new_area_m2 == pytest.approx(west + east, rel=1e-4)
    assert result.new_area_m2 == pytest.approx(result.catchment_area_m2 / 2, rel=1e-4)
    assert result.new_residents == pytest.approx(
        40_000 * west / 16e6 + 10_000 * east / 16e6, rel=1e-4
    )
    # A point on the border (to within the round trip through WGS 84) is in exactly one.
    assert result.district in {"West", "East"}


def test_polygon_candidate_reaches_the_walk_beyond_its_outline(part, banks, existing):
    coverage = compute_coverage(existing, part, 500)
    area = box(5000, 500, 5400, 900)
    (result,) = evaluate_candidates([wgs(area)], coverage, part, places=existing, banks=banks)
    expected = area.buffer(500, quad_segs=BUFFER_QUAD_SEGS)
    assert result.catchment_area_m2 == pytest.approx(expected.area, rel=1e-4)
    assert result.catchment_area_m2 == pytest.approx(
        400 * 400 + 4 * 400 * 500 + math.pi * 500**2, rel=0.002
    )
    assert result.new_area_m2 == pytest.approx(expected.area, rel=1e-4)  # nothing there yet
    assert result.district == "East"  # wholly inside East
    assert result.bank == "right"
    assert result.geometry_wgs84.geom_type == "Polygon"
    assert result.nearest[0][0] == "c"


def test_concave_polygon_candidate_is_placed_by_a_point_on_it_never_its_centroid():
    # Yesil is an L wrapping Nura; the candidate is an L wholly inside Yesil whose centroid
    # (about 1183, 1183) lies in Nura. The banks are drawn the same way.
    yesil = box(0, 0, 4000, 4000).difference(box(1000, 1000, 4000, 4000))
    nura = box(1000, 1000, 4000, 4000)
    part = partition([("Yesil", yesil, 10_000), ("Nura", nura, 10_000)])
    banks = gpd.GeoDataFrame(
        {"bank": ["left", "right"]}, geometry=[at(yesil), at(nura)], crs=CRS
    ).to_crs("EPSG:4326")
    candidate = box(0, 0, 4000, 500).union(box(0, 0, 500, 4000))
    assert nura.contains(candidate.centroid)
    assert yesil.contains(candidate)
    places = places_wgs84([Point(3500, 3500)], ids=["far"])
    coverage = compute_coverage(places, part, 300)
    (result,) = evaluate_candidates([wgs(candidate)], coverage, part, places=places, banks=banks)
    assert result.district == "Yesil"
    assert result.bank == "left"


def test_polygon_candidate_spanning_districts_is_named_by_its_largest_share(part, existing):
    coverage = compute_coverage(existing, part, 300)
    mostly_west = box(3000, 1000, 4600, 1400)  # 1000 m in West, 600 m in East
    # 600,000 m2 in East, 450,000 m2 in a long strip reaching into West: its centroid is in
    # West, but most of it is in East.
    mostly_east = box(4000, 1000, 4600, 2000).union(box(1000, 1000, 4000, 1150))
    assert mostly_east.centroid.x < 4000
    west, east = evaluate_candidates(
        [wgs(mostly_west), wgs(mostly_east)], coverage, part, places=existing, banks=None
    )
    assert (west.district, east.district) == ("West", "East")


def test_candidates_are_independent_so_they_compare_side_by_side(part, banks, existing):
    coverage = compute_coverage(existing, part, 800)
    a, b = wgs(Point(3000, 3000)), wgs(Point(3300, 3000))
    together = evaluate_candidates([a, b], coverage, part, places=existing, banks=banks)
    alone_b = evaluate_candidates([b], coverage, part, places=existing, banks=banks)[0]
    assert [r.label for r in together] == ["A", "B"]
    # B is judged against the existing places only, not against A, which overlaps it.
    assert together[1].new_area_m2 == pytest.approx(alone_b.new_area_m2, rel=1e-9)
    assert together[1].new_residents == pytest.approx(alone_b.new_residents, rel=1e-9)
    # Nothing covers either yet: each brings its whole catchment, though they overlap, so
    # together they claim more than the area they would cover between them.
    both = shapely.union_all(
        [Point(x, 3000).buffer(800, quad_segs=BUFFER_QUAD_SEGS) for x in (3000, 3300)]
    ).area
    assert together[0].new_area_m2 == pytest.approx(together[0].catchment_area_m2, rel=1e-6)
    assert together[1].new_area_m2 == pytest.approx(together[1].catchment_area_m2, rel=1e-6)
    assert together[0].new_area_m2 + together[1].new_area_m2 > both + 400_000


def test_candidate_outside_every_district(part, existing):
    coverage = compute_coverage(existing, part, 800)
    (result,) = evaluate_candidates(
        [wgs(Point(20_000, 20_000))], coverage, part, places=existing, banks=None
    )
    assert result.district is None
    assert result.bank is None
    assert result.new_area_m2 == 0
    assert result.new_residents == 0
    assert result.outside is True


def test_candidate_of_the_other_city_is_outside_and_nearest_places_stay_in_the_city(part):
    astana = places_wgs84([Point(1000, 1000)], ids=["a"])
    almaty_place = gpd.GeoDataFrame(
        {"id": ["alm"]}, geometry=[Point(76.95, 43.24)], crs="EPSG:4326"
    )
    places = gpd.GeoDataFrame(
        pd.concat([astana.assign(city="astana"), almaty_place.assign(city="almaty")]),
        crs="EPSG:4326",
    )
    coverage = compute_coverage(places[places["city"] == "astana"], part, 800)
    in_almaty, in_astana, beyond_outline = evaluate_candidates(
        [Point(76.94, 43.25), wgs(Point(2000, 2000)), wgs(box(20_000, 20_000, 20_500, 20_500))],
        coverage,
        part,
        places=places,
        banks=None,
    )
    assert in_almaty.outside is True
    assert in_almaty.district is None
    assert in_almaty.new_area_m2 == 0
    assert [pid for pid, _ in in_almaty.nearest] == ["a"]  # never Almaty's, in UTM 42N
    assert in_astana.outside is False
    assert in_astana.district == "West"
    assert [pid for pid, _ in in_astana.nearest] == ["a"]
    assert beyond_outline.outside is True
    assert beyond_outline.district is None
    # A polygon reaching into the outline is inside, though partly beyond it.
    (straddling,) = evaluate_candidates(
        [wgs(box(7500, 3500, 8500, 4500))], coverage, part, places=places, banks=None
    )
    assert straddling.outside is False
    assert straddling.district == "East"


def test_new_residents_unknown_when_a_reached_district_has_no_population(existing):
    part = partition(
        [("West", box(0, 0, 4000, 4000), 40_000), ("East", box(4000, 0, 8000, 4000), math.nan)]
    )
    coverage = compute_coverage(existing, part, 800)
    inside_west, on_border = wgs(Point(2000, 3000)), wgs(Point(4000, 3000))
    west, border = evaluate_candidates(
        [inside_west, on_border], coverage, part, places=existing, banks=None
    )
    assert west.new_residents > 0
    assert math.isnan(border.new_residents)


def test_point_candidate_along_a_network(part, existing):
    lines = [LineString([(x, 2000), (x + 100, 2000)]) for x in range(0, 8000, 100)]
    net = StreetNetwork(edges_from_lines([at(line) for line in lines], crs=CRS))
    coverage = compute_coverage(existing, part, 500, network=net)
    (result,) = evaluate_candidates(
        [wgs(Point(6000, 2000))], coverage, part, places=existing, banks=None, network=net
    )
    # One straight street: 1 km of it (500 m each way) with a 50 m margin.
    expected = LineString([(5500, 2000), (6500, 2000)]).buffer(50, quad_segs=16)
    assert result.catchment_area_m2 == pytest.approx(expected.area, rel=1e-4)


def test_candidates_must_be_points_or_polygons(part, existing):
    coverage = compute_coverage(existing, part, 800)
    with pytest.raises(GeometryError, match="non-empty Point or Polygon, got 'LineString'"):
        evaluate_candidates(
            [wgs(LineString([(0, 0), (1, 1)]))], coverage, part, places=existing, banks=None
        )
    assert evaluate_candidates([], coverage, part, places=existing, banks=None) == ()


def test_candidate_labels():
    assert [candidate_label(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "A2", "B2"]
