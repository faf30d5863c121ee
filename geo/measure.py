"""Distances, lengths and areas in metres, measured in each city's UTM zone; drawings checked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.cities import CITIES, city_by_id
from geo.crs import metric_crs_for_city, require_crs
from geo.errors import InputError


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


# A drawing arrives from the browser as GeoJSON: untrusted, so it is checked before shapely sees
# it. Leaflet.draw makes Points (marker), LineStrings (polyline) and Polygons (polygon,
# rectangle); a planner's shape has tens of vertices, so 10,000 is generous.
MAX_DRAWING_VERTICES = 10_000
DRAWING_KINDS: dict[str, Literal["point", "line", "polygon"]] = {
    "Point": "point",
    "LineString": "line",
    "Polygon": "polygon",
}
# How far around a city's envelope a drawing may reach and still be measured in its UTM zone
# (degrees; about 35 km north-south): farther, the zone's scale error is no longer negligible.
DRAWING_MARGIN_DEG = 0.5


@dataclass(frozen=True)
class Measurement:
    """The size of one drawn shape, measured in its city's metric CRS.

    Attributes
    ----------
    kind
        ``"point"``, ``"line"`` or ``"polygon"``.
    length_m
        A line's length in metres (0 for points and polygons).
    perimeter_m
        A polygon's perimeter in metres, holes included (0 for points and lines).
    area_m2
        A polygon's area in square metres (0 for points and lines).
    repaired
        True when the polygon crossed itself and was made valid before measuring
        (``shapely.make_valid``): its area is that of the valid shape, and the page says so.
    """

    kind: Literal["point", "line", "polygon"]
    length_m: float
    perimeter_m: float
    area_m2: float
    repaired: bool = False


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."  # noqa: PLR2004 - message length


def _position(value: object) -> tuple[float, float]:
    """Return (lon, lat) from a GeoJSON position, checking types, finiteness and ranges."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        msg = f"a position must be [longitude, latitude], got {_short(value)}"
        raise InputError(msg)
    lon, lat = value[0], value[1]
    for name, v in (("longitude", lon), ("latitude", lat)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            msg = f"a position's {name} must be a finite number, got {_short(v)}"
            raise InputError(msg)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # noqa: PLR2004 - degree ranges
        msg = (
            f"a position must be longitude in [-180, 180] and latitude in [-90, 90] degrees, "
            f"got {_short(value)}"
        )
        raise InputError(msg)
    return float(lon), float(lat)


def _positions(value: object, *, what: str, budget: list[int]) -> list[tuple[float, float]]:
    """Return a list of positions, counting them against the remaining vertex budget."""
    if not isinstance(value, list | tuple):
        msg = f"{what} must be a list of positions, got {_short(value)}"
        raise InputError(msg)
    budget[0] -= len(value)
    if budget[0] < 0:
        msg = f"a drawing may have at most {MAX_DRAWING_VERTICES:,} vertices; draw a simpler shape"
        raise InputError(msg)
    return [_position(p) for p in value]


def drawing_shape(geometry: object) -> tuple[BaseGeometry, bool]:
    """Return a checked shapely geometry (WGS 84) from a drawing's GeoJSON geometry.

    Parameters
    ----------
    geometry
        A GeoJSON geometry object (``{"type": ..., "coordinates": ...}``) as the browser sent
        it: any JSON value. Point, LineString or Polygon; positions as (longitude, latitude)
        in degrees; at most ``MAX_DRAWING_VERTICES`` positions.

    Returns
    -------
    tuple
        (geometry, repaired): a self-intersecting polygon is made valid (``repaired`` True).

    Raises
    ------
    InputError
        If the value is not such a geometry: wrong type, a position that is not two finite
        numbers in range, too few or too many vertices, an unclosed ring.
    """
    if not isinstance(geometry, Mapping):
        msg = f"a drawing must be a GeoJSON geometry object, got {_short(geometry)}"
        raise InputError(msg)
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(kind, str) or kind not in DRAWING_KINDS:
        msg = f"a drawing's type must be one of {sorted(DRAWING_KINDS)}, got {_short(kind)}"
        raise InputError(msg)
    budget = [MAX_DRAWING_VERTICES]
    if kind == "Point":
        budget[0] -= 1
        return Point(_position(coords)), False
    if kind == "LineString":
        line = _positions(coords, what="a line's coordinates", budget=budget)
        if len(line) < 2:  # noqa: PLR2004 - a line has two ends
            msg = f"a line needs at least 2 positions, got {len(line)}"
            raise InputError(msg)
        return LineString(line), False
    if not isinstance(coords, list | tuple) or not coords:
        msg = f"a polygon's coordinates must be a non-empty list of rings, got {_short(coords)}"
        raise InputError(msg)
    rings = [_positions(r, what="a polygon's ring", budget=budget) for r in coords]
    for ring in rings:
        if len(ring) < 4 or ring[0] != ring[-1]:  # noqa: PLR2004 - GeoJSON's closed ring
            msg = (
                "a polygon's ring must be closed (last position = first) with at least "
                f"4 positions, got {len(ring)} positions"
            )
            raise InputError(msg)
    polygon = Polygon(rings[0], rings[1:])
    if polygon.is_valid:
        return polygon, False
    polygonal = [
        g for g in _parts(make_valid(polygon)) if isinstance(g, Polygon) and not g.is_empty
    ]
    return (MultiPolygon(polygonal) if polygonal else Polygon()), True


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _parts(g)]
    return [geometry]


def city_of_geometry(geometry: object) -> str | None:
    """Return the id of the city whose envelope holds a drawing, or ``None``.

    Parameters
    ----------
    geometry
        A drawing's GeoJSON geometry (checked as ``drawing_shape`` checks it).

    Returns
    -------
    str or None
        ``"astana"`` or ``"almaty"`` when the centre of the drawing's bounds lies in that
        city's envelope (``City.contains``), else ``None``.

    Raises
    ------
    InputError
        If the geometry is not a valid drawing.
    """
    shape, _ = drawing_shape(geometry)
    if shape.is_empty:
        return None
    minx, miny, maxx, maxy = shape.bounds
    lat, lon = (miny + maxy) / 2, (minx + maxx) / 2
    return next((c.id for c in CITIES if c.contains(lat, lon)), None)


def measure_drawing(geometry: object, *, city: str) -> Measurement:
    """Return the length, perimeter and area of a drawn shape, in the city's metric CRS.

    The shape is projected to the city's UTM zone (``metric_crs_for_city``) and measured
    there, never in Web Mercator (which overstates lengths by about 59% in Astana and 37% in
    Almaty, areas by the square of that).

    Parameters
    ----------
    geometry
        A GeoJSON geometry as the browser sent it (see ``drawing_shape``), WGS 84 degrees.
    city
        City id whose metric CRS to measure in; the drawing must lie within its envelope
        enlarged by ``DRAWING_MARGIN_DEG``.

    Returns
    -------
    Measurement
        Metres and square metres; ``repaired`` says a self-intersecting polygon was made valid.

    Raises
    ------
    InputError
        If the geometry is not a valid drawing, the city is unknown, or the drawing lies
        outside the city.
    """
    shape, repaired = drawing_shape(geometry)
    info = city_by_id(city)
    kind = DRAWING_KINDS[str(cast(Mapping[str, object], geometry)["type"])]
    if not shape.is_empty:
        minx, miny, maxx, maxy = info.bbox_lon_lat
        m = DRAWING_MARGIN_DEG
        sx0, sy0, sx1, sy1 = shape.bounds
        if sx0 < minx - m or sy0 < miny - m or sx1 > maxx + m or sy1 > maxy + m:
            msg = (
                f"the drawing (bounds {_short(shape.bounds)}) lies outside {city}'s area "
                f"{info.bbox_lon_lat!r} (lon/lat degrees); draw inside the city"
            )
            raise InputError(msg)
    metric = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(metric_crs_for_city(city)).iloc[0]
    if kind == "line":
        return Measurement(kind, float(metric.length), 0.0, 0.0)
    if kind == "polygon":
        return Measurement(kind, 0.0, float(metric.length), float(metric.area), repaired)
    return Measurement(kind, 0.0, 0.0, 0.0)
