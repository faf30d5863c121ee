import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from geo.crs import metric_crs_for_city, require_crs, require_projected, to_display, to_metric
from geo.errors import CRSError, InputError
from geo.measure import areas_m2, distance_m, lengths_m

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(("city", "epsg"), [("astana", "EPSG:32642"), ("almaty", "EPSG:32643")])
def test_metric_crs_for_each_city(city, epsg):
    assert metric_crs_for_city(city) == epsg


@pytest.mark.parametrize("bad", ["paris", "", "ASTANA"])
def test_unknown_city_is_rejected_with_the_known_ones(bad):
    with pytest.raises(InputError, match=r"city must be one of \['almaty', 'astana'\]"):
        metric_crs_for_city(bad)


def test_frame_without_crs_is_an_error_never_a_guess():
    gdf = gpd.GeoDataFrame(geometry=[Point(71.4, 51.1)])
    with pytest.raises(CRSError, match="has no coordinate reference system"):
        require_crs(gdf, what="test layer")


def test_metric_work_refuses_a_geographic_crs():
    gdf = gpd.GeoDataFrame(geometry=[Point(71.4, 51.1)], crs="EPSG:4326")
    with pytest.raises(CRSError, match="projected CRS in metres"):
        require_projected(gdf, what="places")
    require_projected(to_metric(gdf, city="astana"), what="places")


def test_to_display_returns_wgs84_and_leaves_input_alone():
    metric = gpd.GeoDataFrame(geometry=[Point(500000, 5660000)], crs="EPSG:32642")
    shown = to_display(metric)
    assert shown.crs.to_epsg() == 4326
    assert metric.crs.to_epsg() == 32642


@pytest.mark.parametrize(
    ("city", "a", "b"),
    [
        ("astana", (71.40389, 51.13222), (71.44639, 51.12583)),  # Khan Shatyr -> Ak Orda
        ("almaty", (76.9265, 43.2595), (76.92889, 43.24833)),  # depot -> Tselinny
        ("astana", (71.40250, 51.10817), (71.4164, 51.0893)),
    ],
)
def test_distance_matches_geodesic_within_half_a_percent(city, a, b):
    _, _, geodesic = GEOD.inv(a[0], a[1], b[0], b[1])
    assert distance_m(a, b, city=city) == pytest.approx(geodesic, rel=0.005)


def test_areas_and_lengths_are_measured_per_city_in_metres():
    metric_astana = gpd.GeoSeries([box(500000, 5660000, 500100, 5660100)], crs="EPSG:32642")
    metric_almaty = gpd.GeoSeries([box(500000, 4790000, 500200, 4790050)], crs="EPSG:32643")
    line = gpd.GeoSeries([LineString([(500000, 5660000), (503000, 5660000)])], crs="EPSG:32642")
    gdf = gpd.GeoDataFrame(
        {"city": ["astana", "almaty", "astana"]},
        geometry=[
            metric_astana.to_crs(4326).iloc[0],
            metric_almaty.to_crs(4326).iloc[0],
            line.to_crs(4326).iloc[0],
        ],
        crs="EPSG:4326",
    )
    areas = areas_m2(gdf)
    assert areas.iloc[0] == pytest.approx(10_000, rel=1e-3)
    assert areas.iloc[1] == pytest.approx(10_000, rel=1e-3)
    assert lengths_m(gdf).iloc[2] == pytest.approx(3_000, rel=1e-3)
