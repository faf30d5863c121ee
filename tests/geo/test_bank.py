import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.bank import classify_bank_by_polygons, classify_bank_by_river
from geo.errors import CRSError, InputError

CRS = "EPSG:32642"


@pytest.fixture
def banks():
    # River along y = 0 flowing west (x decreasing): the left bank is the south side.
    return gpd.GeoDataFrame(
        {"bank": ["left", "right"]},
        geometry=[box(0, -1000, 2000, 0), box(0, 0, 2000, 1000)],
        crs=CRS,
    )


@pytest.fixture
def river():
    return gpd.GeoDataFrame(geometry=[LineString([(2000, 0), (0, 0)])], crs=CRS)


@pytest.fixture
def places():
    return gpd.GeoDataFrame(
        {"id": ["south", "north", "outside", "nowhere"]},
        geometry=[Point(1000, -500), Point(1000, 500), Point(5000, 5000), None],
        crs=CRS,
    )


def test_polygons_decide_the_bank(places, banks):
    result = classify_bank_by_polygons(places, banks)
    assert list(result) == ["left", "right", None, None]


def test_polygons_work_across_crs(places, banks):
    result = classify_bank_by_polygons(places.to_crs(4326), banks)
    assert list(result) == ["left", "right", None, None]


def test_river_side_decides_the_bank_facing_downstream(places, river):
    result = classify_bank_by_river(places, river)
    assert list(result[:2]) == ["left", "right"]
    assert result.iloc[3] is None


def test_places_near_a_coarse_river_line_are_left_undecided(river):
    near = gpd.GeoDataFrame(geometry=[Point(1000, 300), Point(1000, -900)], crs=CRS)
    result = classify_bank_by_river(near, river, ambiguous_within_m=500)
    assert list(result) == [None, "left"]


def test_bank_layer_without_bank_column_is_rejected(places):
    bad = gpd.GeoDataFrame({"side": ["left"]}, geometry=[box(0, 0, 1, 1)], crs=CRS)
    with pytest.raises(InputError, match="bank layer must have a 'bank' column"):
        classify_bank_by_polygons(places, bad)


def test_bank_layer_with_unknown_values_is_rejected(places):
    bad = gpd.GeoDataFrame({"bank": ["north"]}, geometry=[box(0, 0, 1, 1)], crs=CRS)
    with pytest.raises(InputError, match=r"must hold only \('left', 'right'\), got \['north'\]"):
        classify_bank_by_polygons(places, bad)


def test_negative_ambiguity_distance_is_rejected(places, river):
    with pytest.raises(InputError, match="ambiguous_within_m must be >= 0"):
        classify_bank_by_river(places, river, ambiguous_within_m=-1)


def test_places_without_crs_are_rejected(banks):
    with pytest.raises(CRSError, match="places has no coordinate reference system"):
        classify_bank_by_polygons(gpd.GeoDataFrame(geometry=[Point(0, 0)]), banks)
