"""Coordinate reference systems: the working CRS, each city's metric CRS, display conversion."""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS

from geo.cities import CITIES, city_by_id
from geo.errors import CRSError

# Data is kept in WGS 84 because one layer spans two UTM zones (Astana 42N, Almaty 43N);
# metric work projects each city's rows into that city's own zone (see metric_crs_for_city).
WORKING_CRS = "EPSG:4326"
DISPLAY_CRS = "EPSG:4326"

CITY_METRIC_CRS: dict[str, str] = {c.id: c.metric_crs for c in CITIES}


def metric_crs_for_city(city: str) -> str:
    """Return the projected CRS used for distances and areas in a city.

    Parameters
    ----------
    city
        City id, ``"astana"`` or ``"almaty"``.

    Returns
    -------
    str
        An EPSG code of a UTM zone whose unit is the metre.

    Raises
    ------
    InputError
        If the city is not one the product covers.
    """
    return city_by_id(city).metric_crs


def require_crs(gdf: gpd.GeoDataFrame, *, what: str) -> CRS:
    """Return the CRS of a frame, raising if it has none.

    Parameters
    ----------
    gdf
        Any GeoDataFrame.
    what
        A short description of the frame for the message (a layer id or file name).

    Returns
    -------
    pyproj.CRS
        The frame's CRS.

    Raises
    ------
    CRSError
        If the frame has no CRS: a file without one is an error, never a guess.
    """
    if gdf.crs is None:
        msg = (
            f"{what} has no coordinate reference system; set one in the file "
            "(for example EPSG:4326 for longitude/latitude) and load it again"
        )
        raise CRSError(msg)
    return CRS.from_user_input(gdf.crs)


def require_projected(gdf: gpd.GeoDataFrame, *, what: str) -> None:
    """Raise unless the frame is in a projected CRS whose unit is the metre.

    Parameters
    ----------
    gdf
        The frame about to be measured.
    what
        A short description of the frame for the message.

    Raises
    ------
    CRSError
        If the CRS is missing, geographic, or not in metres.
    """
    crs = require_crs(gdf, what=what)
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in {"metre", "meter"}:
        msg = (
            f"{what} must be in a projected CRS in metres for metric work, "
            f"got {crs.to_string()!r}; "
            "project it first with to_metric()"
        )
        raise CRSError(msg)


def to_working(gdf: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Return a copy of the frame in the working CRS (WGS 84).

    Parameters
    ----------
    gdf
        A frame with a CRS set.
    what
        A short description of the frame for the message.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in EPSG:4326.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    """
    crs = require_crs(gdf, what=what)
    if crs.equals(CRS.from_user_input(WORKING_CRS)):
        return gdf.copy()
    return gdf.to_crs(WORKING_CRS)


def to_metric(gdf: gpd.GeoDataFrame, *, city: str) -> gpd.GeoDataFrame:
    """Return a copy of the frame projected to the city's UTM zone.

    Parameters
    ----------
    gdf
        A frame with a CRS set.
    city
        City id whose metric CRS to use.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in metres.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    InputError
        If the city is unknown.
    """
    require_crs(gdf, what=f"frame for {city}")
    return gdf.to_crs(metric_crs_for_city(city))


def to_display(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of the frame in EPSG:4326, the CRS folium expects.

    Parameters
    ----------
    gdf
        A frame with a CRS set.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in EPSG:4326.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    """
    return to_working(gdf, what="layer for display")
