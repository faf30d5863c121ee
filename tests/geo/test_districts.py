"""District partition: overlaps and missing districts resolved, nothing counted twice."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, box

from geo.districts import (
    OUTSIDE,
    OVERLAP_REPORT_MIN_M2,
    UNPLACED,
    assign_districts,
    build_partition,
    district_table,
    is_placed,
)
from geo.errors import CRSError, GeometryError, InputError

CRS = "EPSG:32642"  # Astana's metric CRS (UTM 42N)
# An origin inside Astana (about 51.1 N, 71.4 E), so geodesic areas are comparable.
X0, Y0 = 668_000.0, 5_662_000.0
GEOD = Geod(ellps="WGS84")


def _box(minx: float, miny: float, maxx: float, maxy: float) -> Polygon:
    return box(X0 + minx, Y0 + miny, X0 + maxx, Y0 + maxy)


def _pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


RAW = {
    # Yesil holds Nura entirely (nested), Baikonur overlaps Almaty partly; Yesil and Almaty
    # share the border x = 1000.
    "Yesil": _box(0, 0, 1000, 1000),
    "Nura": _box(200, 200, 400, 400),
    "Almaty": _box(1000, 0, 2000, 1000),
    "Baikonur": _box(1800, 0, 2600, 1000),
}


@pytest.fixture
def layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"district": list(RAW)}, geometry=list(RAW.values()), crs=CRS)


@pytest.fixture
def population() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["astana", "astana", "astana", "astana", "astana", "almaty"],
            "district": ["Yesil", "Nura", "Almaty", "Saraishyk", "__total__", "Medeu"],
            "population": [40_000, 10_000, 25_000, 200_758, 1_649_242, 255_147],
            "reference_date": ["2026-07-01"] * 5 + ["2026-03"],
            "source": ["qazatlas.kz"] * 5 + ["stat.gov.kz"],
        }
    )


@pytest.fixture
def partition(layer, population):
    return build_partition(layer, population, city="astana")


def _expected_effective() -> dict[str, Polygon]:
    # Computed directly: every overlap goes to the smaller district.
    return {
        "Yesil": RAW["Yesil"].difference(RAW["Nura"]),
        "Nura": RAW["Nura"],
        "Almaty": RAW["Almaty"].difference(RAW["Baikonur"]),
        "Baikonur": RAW["Baikonur"],
    }


def test_partition_keeps_the_layer_order_in_the_metric_crs(partition):
    assert partition.city == "astana"
    assert partition.crs == CRS
    assert partition.frame.crs == CRS
    assert list(partition.frame["district"]) == list(RAW)


def test_overlaps_go_to_the_smallest_district(partition):
    expected = _expected_effective()
    for row in partition.frame.itertuples():
        assert row.geometry.symmetric_difference(expected[row.district]).area < 1e-6
        assert row.area_m2 == pytest.approx(expected[row.district].area, rel=1e-6)
    assert partition.frame.set_index("district")["area_m2"]["Nura"] == pytest.approx(40_000, 1e-6)


def test_a_layer_in_wgs84_is_measured_in_the_metric_crs(layer, population):
    partition = build_partition(layer.to_crs("EPSG:4326"), population, city="astana")
    assert partition.frame.crs == CRS
    expected = _expected_effective()
    for row in partition.frame.itertuples():
        # Through WGS 84 and back: equal to well under a square metre.
        assert row.geometry.symmetric_difference(expected[row.district]).area < 1.0


def test_effective_polygons_do_not_overlap_and_cover_the_outline(partition):
    geoms = partition.frame.geometry.to_numpy()
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-3
    union = shapely.union_all(list(RAW.values()))
    assert partition.frame["area_m2"].sum() == pytest.approx(union.area, rel=1e-6)
    assert partition.outline.area == pytest.approx(union.area, rel=1e-6)


def test_overlap_issues_carry_their_area(partition):
    overlaps = {i.districts: i.area_m2 for i in partition.issues if i.kind == "overlap"}
    # The district that keeps the overlap (the smaller) is named first.
    assert overlaps.keys() == {("Nura", "Yesil"), ("Baikonur", "Almaty")}
    nested = RAW["Yesil"].intersection(RAW["Nura"]).area
    partial = RAW["Almaty"].intersection(RAW["Baikonur"]).area
    assert overlaps["Nura", "Yesil"] == pytest.approx(nested, rel=1e-5)
    assert overlaps["Baikonur", "Almaty"] == pytest.approx(partial, rel=1e-5)


def test_areas_match_the_geodesic_area_within_half_a_percent(partition):
    wgs = partition.frame.to_crs("EPSG:4326")
    for geom, area_m2 in zip(wgs.geometry, partition.frame["area_m2"], strict=True):
        geodesic, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
        assert area_m2 == pytest.approx(abs(geodesic), rel=0.005)


def test_missing_district_is_reported_with_its_residents_and_never_spread(partition):
    missing = [i for i in partition.issues if i.kind == "missing"]
    assert missing == [
        type(missing[0])(kind="missing", districts=("Saraishyk",), population=200_758)
    ]
    assert partition.missing_population == 200_758
    pop = partition.frame.set_index("district")["population"]
    assert pop["Yesil"] == 40_000
    assert pop["Nura"] == 10_000
    assert pop["Almaty"] == 25_000
    # Other cities and the city total are never matched.
    assert np.isnan(pop["Baikonur"])
    assert pop.sum() == 75_000


def test_district_without_population_is_reported(partition):
    issues = [i for i in partition.issues if i.kind == "no_population"]
    assert [i.districts for i in issues] == [("Baikonur",)]
    row = partition.frame.set_index("district").loc["Baikonur"]
    assert row["reference_date"] == ""
    assert row["source"] == ""
    assert partition.frame.set_index("district").loc["Yesil", "source"] == "qazatlas.kz"


def test_unknown_population_leaves_every_figure_nan(layer):
    partition = build_partition(layer, None, city="astana")
    assert partition.frame["population"].isna().all()
    assert partition.missing_population == 0
    assert [i for i in partition.issues if i.kind == "no_population"][0].districts == tuple(RAW)
    table = district_table(
        pd.Series(["Nura"], index=[0], dtype=object), pd.Series([True]), partition
    )
    assert table["per_100k"].isna().all()
    assert table.set_index("district").loc["Nura", "places"] == 1


def test_slivers_are_resolved_but_not_reported():
    # Two districts drawn from slightly different traces: a 0.5 m x 1000 m sliver (500 m2).
    a, b = _box(0, 0, 1000.5, 1000), _box(1000, 0, 2000, 1000)
    layer = gpd.GeoDataFrame({"district": ["Yesil", "Almaty"]}, geometry=[a, b], crs=CRS)
    partition = build_partition(layer, None, city="astana")
    assert a.intersection(b).area < OVERLAP_REPORT_MIN_M2
    assert not [i for i in partition.issues if i.kind == "overlap"]
    assert partition.frame["area_m2"].sum() == pytest.approx(a.union(b).area, rel=1e-9)


def test_a_district_in_several_rows_is_one_district():
    layer = gpd.GeoDataFrame(
        {"district": ["Yesil", "Almaty", "Yesil"]},
        geometry=[_box(0, 0, 100, 100), _box(100, 0, 200, 100), _box(300, 0, 400, 100)],
        crs=CRS,
    )
    partition = build_partition(layer, None, city="astana")
    assert list(partition.frame["district"]) == ["Yesil", "Almaty"]
    assert list(partition.frame["area_m2"].round()) == [20_000, 10_000]


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    rows = {
        "in_nura": _pt(300, 300),
        "in_yesil": _pt(600, 600),
        "border_yesil_almaty": _pt(1000, 500),
        "border_nura_yesil": _pt(200, 300),
        "in_overlap": _pt(1900, 500),
        "in_almaty_polygon": _box(1200, 100, 1300, 200),
        "outside": _pt(5000, 5000),
        "no_geometry": None,
        "empty_geometry": Point(),
    }
    return gpd.GeoDataFrame(
        {"id": list(rows)}, geometry=list(rows.values()), crs=CRS, index=range(10, 19)
    )


def _independent_assignment(places: gpd.GeoDataFrame, partition) -> list[str | None]:
    # shapely directly, one place at a time: the first effective polygon that covers it.
    out: list[str | None] = []
    for geom in places.to_crs(partition.crs).geometry:
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        point = geom.representative_point()
        hits = [
            d
            for d, g in zip(partition.frame["district"], partition.frame.geometry, strict=True)
            if g.covers(point)
        ]
        out.append(hits[0] if hits else None)
    return out


def test_assign_districts_counts_each_place_once(places, partition):
    assigned = assign_districts(places, partition)
    assert assigned.index.equals(places.index)
    assert dict(zip(places["id"], assigned, strict=True)) == {
        "in_nura": "Nura",
        "in_yesil": "Yesil",
        "border_yesil_almaty": "Yesil",
        "border_nura_yesil": "Yesil",
        "in_overlap": "Baikonur",
        "in_almaty_polygon": "Almaty",
        "outside": None,
        "no_geometry": None,
        "empty_geometry": None,
    }
    assert list(assigned) == _independent_assignment(places, partition)


def test_a_border_point_is_assigned_the_same_way_whatever_the_order(places, partition):
    forward = assign_districts(places, partition)
    backward = assign_districts(places.iloc[::-1], partition)
    assert backward.reindex(forward.index).equals(forward)
    # The border point touches both effective polygons: counted once.
    border = places.loc[places["id"] == "border_yesil_almaty"].geometry.iloc[0]
    touching = [g for g in partition.frame.geometry if g.intersects(border)]
    assert len(touching) == 2


def test_assign_districts_reprojects_places(places, partition):
    wgs = places[places["id"].isin(["in_nura", "in_overlap", "outside"])].to_crs("EPSG:4326")
    assert list(assign_districts(wgs, partition)) == ["Nura", "Baikonur", None]


def test_district_table_counts_rates_and_leftovers(places, partition):
    assigned = assign_districts(places, partition)
    mask = pd.Series(True, index=places.index)
    table = district_table(assigned, mask, partition, placed=is_placed(places))
    assert list(table["district"]) == [*RAW, OUTSIDE, UNPLACED]
    by = table.set_index("district")
    assert by["places"].to_dict() == {
        "Yesil": 3,
        "Nura": 1,
        "Almaty": 1,
        "Baikonur": 1,
        OUTSIDE: 1,
        UNPLACED: 2,
    }
    assert table["places"].sum() == len(places)
    assert by.loc["Yesil", "per_100k"] == pytest.approx(3 / 40_000 * 100_000)
    assert by.loc["Nura", "per_100k"] == pytest.approx(1 / 10_000 * 100_000)
    assert np.isnan(by.loc["Baikonur", "per_100k"])
    assert by.loc["Nura", "area_km2"] == pytest.approx(0.04, rel=1e-6)
    assert np.isnan(by.loc[OUTSIDE, "area_km2"])
    assert table["places"].dtype == np.int64


def test_district_table_follows_the_mask(places, partition):
    assigned = assign_districts(places, partition)
    mask = places["id"].isin(["in_nura", "outside", "no_geometry"])
    table = district_table(assigned, mask, partition, placed=is_placed(places))
    by = table.set_index("district")["places"]
    assert by.to_dict() == {
        "Yesil": 0,
        "Nura": 1,
        "Almaty": 0,
        "Baikonur": 0,
        OUTSIDE: 1,
        UNPLACED: 1,
    }


def test_zero_population_gives_no_rate(layer):
    population = pd.DataFrame({"city": ["astana"], "district": ["Nura"], "population": [0]})
    partition = build_partition(layer, population, city="astana")
    table = district_table(pd.Series(["Nura"], dtype=object), pd.Series([True]), partition)
    assert np.isnan(table.set_index("district").loc["Nura", "per_100k"])


def test_district_table_needs_placed_to_tell_outside_from_unplaced(places, partition):
    assigned = assign_districts(places, partition)
    mask = pd.Series(True, index=places.index)
    with pytest.raises(InputError, match="pass placed=is_placed"):
        district_table(assigned, mask, partition)


def test_district_table_rejects_foreign_ids(partition):
    with pytest.raises(InputError, match="not in the partition"):
        district_table(pd.Series(["Medeu"], dtype=object), pd.Series([True]), partition)


def test_district_table_counts_unplaced_places_whatever_district_they_state(partition):
    # The app's places frame keeps the catalogue's district for an unplaced place: one not on
    # the layer (Saraishyk) and one that is (Yesil). Both are "__unplaced__", never an error and
    # never counted in Yesil.
    places = gpd.GeoDataFrame(
        {"id": ["p1", "u1", "u2"]}, geometry=[_pt(500, 500), None, None], crs=CRS
    )
    frame_district = pd.Series(["Yesil", "Saraishyk", "Yesil"], index=places.index, dtype=object)
    mask = pd.Series(True, index=places.index)
    table = district_table(frame_district, mask, partition, placed=is_placed(places))
    by = table.set_index("district")["places"]
    assert by["Yesil"] == 1
    assert by[UNPLACED] == 2
    assert by[OUTSIDE] == 0
    assert table["places"].sum() == 3


def test_district_table_still_rejects_a_placed_place_with_a_foreign_id(partition):
    places = gpd.GeoDataFrame({"id": ["p1", "u1"]}, geometry=[_pt(500, 500), None], crs=CRS)
    frame_district = pd.Series(["Medeu", "Medeu"], index=places.index, dtype=object)
    mask = pd.Series(True, index=places.index)
    with pytest.raises(InputError, match=r"not in the partition: \['Medeu'\]"):
        district_table(frame_district, mask, partition, placed=is_placed(places))


def test_bad_layers_are_refused(layer, population):
    no_crs = gpd.GeoDataFrame({"district": ["Yesil"]}, geometry=[_box(0, 0, 1, 1)])
    with pytest.raises(CRSError, match="no coordinate reference system"):
        build_partition(no_crs, None, city="astana")
    with pytest.raises(InputError, match="'district' column"):
        build_partition(layer.rename(columns={"district": "id"}), None, city="astana")
    empty = gpd.GeoDataFrame({"district": ["Yesil"]}, geometry=[Polygon()], crs=CRS)
    with pytest.raises(GeometryError, match="no polygon for"):
        build_partition(empty, None, city="astana")
    twice = pd.concat([population, population.iloc[[0]]])
    with pytest.raises(InputError, match="more than once"):
        build_partition(layer, twice, city="astana")
    with pytest.raises(InputError, match="city"):
        build_partition(layer, None, city="paris")


def test_assign_districts_is_vectorised_for_10000_places(partition):
    # Correctness at scale (timings are measured in the notes, never asserted here).
    rng = np.random.default_rng(11)
    xs = rng.uniform(-500, 3000, 10_000) + X0
    ys = rng.uniform(-500, 1500, 10_000) + Y0
    places = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs=CRS)
    assigned = assign_districts(places, partition)
    sample = places.iloc[::97]
    assert list(assigned.iloc[::97]) == _independent_assignment(sample, partition)
