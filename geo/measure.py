"""Distances, lengths and areas in metres, measured in each city's UTM zone."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.crs import metric_crs_for_city, require_crs


def distance_m(
    a_lon_lat: tuple[float, float], b_lon_lat: tuple[float, float], *, city: str
) -> float:
    """Return the straight-line distance between two WGS 84 points in metres.

    Parameters
    ----------
    a_lon_lat, b_lon_lat
        Points as (longitude, latitude) in degrees, EPSG:4326.
    city
        City whose UTM zone to measure in (``"astana"`` or ``"almaty"``).

    Returns
    -------
    float
        Distance in metres.

    Raises
    ------
    InputError
        If the city is unknown.
    """
    pts = gpd.GeoSeries([Point(a_lon_lat), Point(b_lon_lat)], crs="EPSG:4326")
    a, b = pts.to_crs(metric_crs_for_city(city))
    return float(a.distance(b))


def _by_city(gdf: gpd.GeoDataFrame, *, city_col: str, what: str) -> pd.Series:
    require_crs(gdf, what=what)
    out = pd.Series(float("nan"), index=gdf.index, dtype="float64")
    for city, part in gdf.groupby(city_col):
        metric = part.geometry.to_crs(metric_crs_for_city(str(city)))
        out.loc[part.index] = metric.area if what == "area" else metric.length
    return out


def areas_m2(gdf: gpd.GeoDataFrame, *, city_col: str = "city") -> pd.Series:
    """Return each geometry's area in square metres, in its own city's UTM zone.

    Parameters
    ----------
    gdf
        Frame with a CRS and a city column.
    city_col
        Name of the column holding the city id.

    Returns
    -------
    pandas.Series
        Areas in m2 (0 for points and lines, NaN for missing geometries).

    Raises
    ------
    CRSError
        If the frame has no CRS.
    InputError
        If a city id is unknown.
    """
    return _by_city(gdf, city_col=city_col, what="area")


def lengths_m(gdf: gpd.GeoDataFrame, *, city_col: str = "city") -> pd.Series:
    """Return each geometry's length in metres, in its own city's UTM zone.

    Parameters
    ----------
    gdf
        Frame with a CRS and a city column.
    city_col
        Name of the column holding the city id.

    Returns
    -------
    pandas.Series
        Lengths in metres (0 for points, NaN for missing geometries).

    Raises
    ------
    CRSError
        If the frame has no CRS.
    InputError
        If a city id is unknown.
    """
    return _by_city(gdf, city_col=city_col, what="length")
