"""The layer loader refuses a geometry with an absurd number of vertices before costly work."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from geo.errors import LayerLoadError
from geo.schema import MAX_VERTICES
from layers.load import check_layer
from layers.registry import layer_by_id


def test_a_context_layer_with_a_huge_geometry_is_refused_with_the_limit():
    huge = LineString([(71.40 + i * 1e-7, 51.12) for i in range(MAX_VERTICES + 1)])
    frame = gpd.GeoDataFrame(geometry=[huge], crs="EPSG:4326")
    with pytest.raises(LayerLoadError, match=r"records \[0\] have geometries of up to 100,001"):
        check_layer(layer_by_id("esil_river"), frame, what="esil_river_ne10m.geojson")


def test_a_context_layer_at_the_limit_loads():
    line = LineString([(71.40 + i * 1e-7, 51.12) for i in range(MAX_VERTICES)])
    frame = gpd.GeoDataFrame(geometry=[line], crs="EPSG:4326")
    assert len(check_layer(layer_by_id("esil_river"), frame, what="esil.geojson")) == 1
