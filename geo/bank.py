"""Which bank of the Esil a place lies on, from a bank-polygon layer or a river centreline."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import line_merge
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from geo.crs import metric_crs_for_city, require_crs
from geo.errors import GeometryError, InputError
from geo.schema import BANKS


def classify_bank_by_polygons(
    places: gpd.GeoDataFrame, banks: gpd.GeoDataFrame, *, bank_col: str = "bank"
) -> pd.Series:
    """Return the bank each place lies on, from polygons of the two banks.

    A place counts as on a bank when its representative point lies inside that bank's
    polygon. Places outside every polygon, or with no geometry, get ``None``.

    Parameters
    ----------
    places
        Places with a CRS (any geometry type).
    banks
        Polygons with a CRS and a ``bank_col`` column holding ``"left"`` or ``"right"``.
    bank_col
        Name of the bank column in ``banks``.

    Returns
    -------
    pandas.Series
        ``"left"``, ``"right"`` or ``None`` per place, aligned to ``places.index``.

    Raises
    ------
    CRSError
        If either frame has no CRS.
    InputError
        If ``banks`` lacks the bank column or holds values other than left/right.
    """
    require_crs(places, what="places")
    require_crs(banks, what="bank layer")
    if bank_col not in banks.columns:
        msg = f"bank layer must have a {bank_col!r} column, got columns {list(banks.columns)!r}"
        raise InputError(msg)
    bad = sorted(set(banks[bank_col].dropna()) - set(BANKS))
    if bad:
        msg = f"bank layer column {bank_col!r} must hold only {BANKS!r}, got {bad!r}"
        raise InputError(msg)
    result = pd.Series([None] * len(places), index=places.index, dtype="object")
    has_geom = places.geometry.notna() & ~places.geometry.is_empty
    if not has_geom.any():
        return result
    points = gpd.GeoDataFrame(
        geometry=places.geometry[has_geom].representative_point(), crs=places.crs
    ).to_crs(banks.crs)
    joined = gpd.sjoin(points, banks[[bank_col, "geometry"]], how="left", predicate="within")
    # A point on the shared border can match both polygons: such a point is ambiguous.
    counts = joined.groupby(level=0)[bank_col].nunique()
    first = joined.groupby(level=0)[bank_col].first()
    for idx in first.index:
        if counts.loc[idx] == 1:
            result.loc[idx] = first.loc[idx]
    return result


def _as_single_line(river: BaseGeometry) -> LineString | MultiLineString:
    merged = line_merge(river) if isinstance(river, MultiLineString) else river
    if not isinstance(merged, LineString | MultiLineString):
        msg = f"river must be a LineString or MultiLineString, got {river.geom_type!r}"
        raise GeometryError(msg)
    return merged


def _side_of_line(line: LineString, point: Point) -> float:
    """Return >0 if the point is left of the line's drawing direction, <0 if right."""
    s = line.project(point)
    step = min(25.0, line.length / 2)
    a = line.interpolate(max(s - step, 0.0))
    b = line.interpolate(min(s + step, line.length))
    return float((b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x))


def classify_bank_by_river(
    places: gpd.GeoDataFrame,
    river: gpd.GeoDataFrame,
    *,
    city: str = "astana",
    ambiguous_within_m: float = 0.0,
) -> pd.Series:
    """Return the bank each place lies on, from the side of the river centreline.

    The river line must be drawn in the direction of flow: the left bank is on the left
    when facing downstream. Places closer to the line than ``ambiguous_within_m`` get
    ``None``, so a coarse centreline cannot decide places near the water.

    Parameters
    ----------
    places
        Places with a CRS (any geometry type).
    river
        Line features with a CRS, drawn downstream.
    city
        City whose UTM zone is used to measure.
    ambiguous_within_m
        Distance in metres from the centreline within which no bank is assigned.

    Returns
    -------
    pandas.Series
        ``"left"``, ``"right"`` or ``None`` per place, aligned to ``places.index``.

    Raises
    ------
    CRSError
        If either frame has no CRS.
    GeometryError
        If the river layer has no line geometry.
    InputError
        If ``ambiguous_within_m`` is negative or the city is unknown.
    """
    if ambiguous_within_m < 0:
        msg = f"ambiguous_within_m must be >= 0 metres, got {ambiguous_within_m!r}"
        raise InputError(msg)
    require_crs(places, what="places")
    require_crs(river, what="river layer")
    crs = metric_crs_for_city(city)
    river_m = river.to_crs(crs).geometry.dropna()
    if river_m.empty:
        msg = "river layer has no geometry; give it at least one LineString"
        raise GeometryError(msg)
    line = _as_single_line(river_m.union_all())
    parts = list(line.geoms) if isinstance(line, MultiLineString) else [line]
    result = pd.Series([None] * len(places), index=places.index, dtype="object")
    pts = places.geometry.to_crs(crs)
    for idx, geom in pts.items():
        if geom is None or geom.is_empty:
            continue
        point = geom.representative_point()
        dists = np.array([part.distance(point) for part in parts])
        nearest = parts[int(dists.argmin())]
        if dists.min() <= ambiguous_within_m:
            continue
        side = _side_of_line(nearest, point)
        if side != 0:
            result.loc[idx] = "left" if side > 0 else "right"
    return result
