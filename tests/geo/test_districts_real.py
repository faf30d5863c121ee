"""District partition on the real layers of ../shared/geodata and the catalogue's places."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from geo.district_ids import KNOWN_DISTRICTS, normalise_districts, normalise_population
from geo.districts import (
    OUTSIDE,
    OVERLAP_REPORT_MIN_M2,
    UNPLACED,
    assign_districts,
    build_partition,
    district_table,
    is_placed,
)

ROOT = Path(__file__).resolve().parents[2]
SLIVER_MAX_M2 = 10_000.0  # 0.01 km2: the largest overlap tolerated between 2024 districts
GEOD = Geod(ellps="WGS84")


def _layer(folder: Path, name: str) -> gpd.GeoDataFrame:
    # The layer's names matched to the canonical ids as the app does (geo/district_ids.py).
    frame = normalise_districts(gpd.read_file(folder / name), "astana")
    assert set(frame["district"]) <= set(KNOWN_DISTRICTS["astana"])
    return frame


def _population(folder: Path) -> pd.DataFrame:
    return normalise_population(pd.read_csv(folder / "district_population.csv"))


def test_old_layer_nura_inside_yesil_and_saraishyk_missing(shared_geodata):
    layer = _layer(shared_geodata, "astana_districts.geojson")
    partition = build_partition(layer, _population(shared_geodata), city="astana")
    metric = layer.to_crs(partition.crs).set_index("district").geometry
    nested = metric["Yesil"].intersection(metric["Nura"]).area
    # esil fully contains nura: the overlap is all of Nura.
    assert nested == pytest.approx(metric["Nura"].area, rel=1e-3)
    overlaps = [i for i in partition.issues if i.kind == "overlap"]
    assert [i.districts for i in overlaps] == [("Nura", "Yesil")]
    assert overlaps[0].area_m2 == pytest.approx(nested, rel=1e-6)
    missing = [i for i in partition.issues if i.kind == "missing"]
    assert [(i.districts, i.population) for i in missing] == [(("Saraishyk",), 200_758)]
    assert partition.missing_population == 200_758
    by = partition.frame.set_index("district")
    # Nura keeps its whole area; Yesil loses it, so nothing is counted twice.
    assert by.loc["Nura", "area_m2"] == pytest.approx(metric["Nura"].area, rel=1e-6)
    assert by.loc["Yesil", "area_m2"] == pytest.approx(
        metric["Yesil"].difference(metric["Nura"]).area, rel=1e-6
    )
    assert by["area_m2"].sum() == pytest.approx(shapely.union_all(metric.values).area, rel=1e-6)
    # The missing district's residents are not spread over the others.
    assert by["population"].sum() == 349_923 + 333_348 + 328_785 + 256_353 + 213_554


def test_2024_layer_has_only_slivers_and_the_stated_areas(shared_geodata):
    layer = _layer(shared_geodata, "astana_districts_2024.geojson")
    partition = build_partition(layer, _population(shared_geodata), city="astana")
    assert not [i for i in partition.issues if i.kind in {"overlap", "missing", "no_population"}]
    assert partition.missing_population == 0
    metric = layer.to_crs(partition.crs).geometry.to_numpy()
    largest = max(
        metric[i].intersection(metric[j]).area
        for i in range(len(metric))
        for j in range(i + 1, len(metric))
    )
    assert largest < SLIVER_MAX_M2 <= OVERLAP_REPORT_MIN_M2
    # The file's own area column, by row (the normaliser keeps the rows in order).
    raw = gpd.read_file(shared_geodata / "astana_districts_2024.geojson")
    stated = dict(zip(layer["district"], raw["area_km2"], strict=True))
    wgs = partition.frame.to_crs("EPSG:4326")
    for district, area_m2, geom in zip(
        partition.frame["district"], partition.frame["area_m2"], wgs.geometry, strict=True
    ):
        assert area_m2 / 1e6 == pytest.approx(stated[district], rel=0.005)
        geodesic, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
        assert area_m2 == pytest.approx(abs(geodesic), rel=0.005)
    assert partition.frame["population"].sum() == 1_682_721


def test_catalogue_places_are_counted_once(shared_geodata):
    layer = _layer(shared_geodata, "astana_districts_2024.geojson")
    partition = build_partition(layer, _population(shared_geodata), city="astana")
    places = gpd.read_file(ROOT / "data" / "catalogue.gpkg", layer="places")
    astana = places[places["city"] == "astana"]
    placed = is_placed(astana)
    assert placed.sum() > 0
    assigned = assign_districts(astana, partition)
    table = district_table(assigned, pd.Series(True, index=astana.index), partition, placed=placed)
    assert table["places"].sum() == len(astana)
    assert table.set_index("district").loc[UNPLACED, "places"] == (~placed).sum()
    # Independently: how many raw 2024 polygons cover each placed place.
    metric = layer.to_crs(partition.crs)
    in_district = 0
    for geom, district in zip(
        astana.to_crs(partition.crs).geometry[placed], assigned[placed], strict=True
    ):
        point = geom.representative_point()
        covering = [
            d for d, g in zip(metric["district"], metric.geometry, strict=True) if g.covers(point)
        ]
        if covering:
            in_district += 1
            assert district in covering
        else:
            assert district is None
    counted = table[~table["district"].isin([OUTSIDE, UNPLACED])]["places"].sum()
    assert counted == in_district
