"""Coverage and the gap finder on the real files of ../shared/geodata and the catalogue.

The 2024 district layer has no overlaps, so its Partition is built here directly (the
districts' own builder is tested on its own); the catalogue's Astana places are data/catalogue.gpkg
layer ``places``. Skipped when ../shared/geodata is absent.
"""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.coverage import BUFFER_QUAD_SEGS, catchments, compute_coverage
from geo.gaps import evaluate_candidates
from tests.conftest import DATA_DIR
from tests.geo.coverage_helpers import CRS, astana_2024_partition, geodesic_area_m2


@pytest.fixture(scope="module")
def part(shared_geodata):
    return astana_2024_partition(shared_geodata)


@pytest.fixture(scope="module")
def banks(shared_geodata):
    return gpd.read_file(shared_geodata / "astana_banks.geojson")


@pytest.fixture(scope="module")
def astana_places():
    places = gpd.read_file(DATA_DIR / "catalogue.gpkg", layer="places")
    placed = places[(places["city"] == "astana") & places.geometry.notna()]
    assert len(placed) >= 10  # the catalogue's placed Astana places
    return placed


def test_real_partition_is_the_six_districts(part):
    assert sorted(part.frame["district"]) == sorted(
        ["Yesil", "Almaty", "Saryarka", "Baikonur", "Nura", "Saraishyk"]
    )
    assert part.frame["population"].notna().all()
    assert part.frame["area_m2"].sum() / 1e6 == pytest.approx(800.3, abs=0.5)


@pytest.mark.parametrize("walk", [300, 800, 3000])
def test_coverage_of_the_catalogue_against_shapely_directly(part, astana_places, walk):
    result = compute_coverage(astana_places, part, walk)
    # Independent: geopandas and shapely directly, district by district.
    metric = astana_places.to_crs(CRS)
    union = metric.geometry.buffer(walk, quad_segs=BUFFER_QUAD_SEGS).union_all()
    table = result.table.set_index("district")
    for row in part.frame.itertuples():
        covered = row.geometry.intersection(union).area
        assert table.loc[row.district, "covered_m2"] == pytest.approx(covered, rel=1e-6, abs=1)
        share = covered / row.geometry.area
        assert table.loc[row.district, "area_share"] == pytest.approx(share, rel=1e-6, abs=1e-9)
        assert table.loc[row.district, "covered_residents"] == pytest.approx(
            row.population * share, rel=1e-6, abs=1e-6
        )
    assert result.total["covered_m2"] == pytest.approx(
        union.intersection(part.outline).area, rel=1e-6
    )
    assert 0 < result.total["area_share"] <= 1
    assert result.places == len(astana_places)


def test_covered_area_matches_the_geodesic_area(part, astana_places):
    result = compute_coverage(astana_places, part, 800)
    for row in part.frame.itertuples():
        covered = row.geometry.intersection(result.union)
        if covered.is_empty:
            continue
        table = result.table.set_index("district")
        assert table.loc[row.district, "covered_m2"] == pytest.approx(
            geodesic_area_m2(covered), rel=0.005
        )
    assert result.total["area_m2"] == pytest.approx(geodesic_area_m2(part.outline), rel=0.005)


def test_catchments_of_places_near_the_esil_cross_it(part, astana_places, banks):
    # A buffer knows nothing about bridges: several catalogue places near the river reach
    # both banks within 800 m.
    metric = astana_places.to_crs(CRS)
    reach = catchments(metric.geometry, 800)
    banks_m = banks.to_crs(CRS).set_index("bank").geometry
    both = reach.intersects(banks_m["left"]) & reach.intersects(banks_m["right"])
    assert both.sum() >= 2
    # ... and the part across the river is counted in its district like any other.
    crossing = reach[both].union_all()
    assert crossing.intersection(banks_m["left"]).area > 0
    assert crossing.intersection(banks_m["right"]).area > 0


def test_gap_finder_in_nura(part, astana_places, banks):
    coverage = compute_coverage(astana_places, part, 800)
    nura = part.frame.set_index("district").loc["Nura"]
    spot_utm = nura.geometry.representative_point()
    spot = gpd.GeoSeries([spot_utm], crs=CRS).to_crs("EPSG:4326").iloc[0]
    centre = gpd.GeoSeries([Point(71.43, 51.128)], crs="EPSG:4326").iloc[0]
    a, b = evaluate_candidates([spot, centre], coverage, part, places=astana_places, banks=banks)
    assert a.district == "Nura"
    assert a.bank == "left"
    assert a.new_area_m2 > 0
    # Independent: shapely directly and the uniform spread.
    catchment = spot_utm.buffer(800, quad_segs=BUFFER_QUAD_SEGS)
    new = catchment.difference(coverage.union).intersection(part.outline)
    assert a.new_area_m2 == pytest.approx(new.area, rel=1e-4)
    expected = sum(
        row.population * row.geometry.intersection(new).area / row.geometry.area
        for row in part.frame.itertuples()
    )
    assert a.new_residents == pytest.approx(expected, rel=1e-4)
    assert len(a.nearest) == 3
    distances = [m for _, m in a.nearest]
    assert distances == sorted(distances)
    metric = astana_places.to_crs(CRS).set_index("id").geometry
    for place_id, metres in a.nearest:
        assert metres == pytest.approx(metric[place_id].distance(spot_utm), abs=0.5)
    assert min(metric.distance(spot_utm)) == pytest.approx(distances[0], abs=0.5)
    # In the centre, among the existing places, a candidate adds less than in Nura's empty part.
    assert b.new_area_m2 < a.new_area_m2
    assert not math.isnan(b.new_residents)
    assert np.isfinite(b.catchment_area_m2)
    assert shapely.is_valid(coverage.union)
