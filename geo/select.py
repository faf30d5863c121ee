"""Selecting places: by filter values and by the map's visible bounding box."""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.schema import KINDS, STATUSES

UNKNOWN = "unknown"


def _value_or_unknown(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), UNKNOWN).astype(str)


def filter_mask(
    places: gpd.GeoDataFrame,
    *,
    cities: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    banks: Collection[str] | None = None,
    districts: Collection[str] | None = None,
    years: Collection[str] | None = None,
) -> pd.Series:
    """Return a boolean mask of places matching every given filter.

    A filter that is ``None`` or empty does not restrict. A place whose value is missing
    matches the value ``"unknown"``; target years are compared as strings (``"2025"``).

    Parameters
    ----------
    places
        The catalogue.
    cities, kinds, statuses, banks, districts, years
        Allowed values per column (``years`` is for ``target_year``).

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``places.index``.
    """
    mask = pd.Series(True, index=places.index)
    for col, allowed in (
        ("city", cities),
        ("kind", kinds),
        ("status", statuses),
        ("bank", banks),
        ("district", districts),
    ):
        if allowed:
            mask &= _value_or_unknown(places[col]).isin(set(allowed))
    if years:
        year_str = places["target_year"].map(lambda y: UNKNOWN if pd.isna(y) else str(int(y)))
        mask &= year_str.isin(set(years))
    return mask


FILTER_KEY_FIELDS: tuple[str, ...] = ("cities", "kinds", "statuses", "banks", "districts", "years")


def filter_mask_from_key(places: gpd.GeoDataFrame, key: tuple[tuple[str, ...], ...]) -> pd.Series:
    """Return ``filter_mask`` for a filter key, a hashable tuple used as a cache key.

    Parameters
    ----------
    places
        The catalogue.
    key
        One tuple of allowed values per name in ``FILTER_KEY_FIELDS``, in that order.

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``places.index``.
    """
    return filter_mask(places, **dict(zip(FILTER_KEY_FIELDS, key, strict=True)))


def in_bbox_mask(
    places: gpd.GeoDataFrame, bbox_lon_lat: tuple[float, float, float, float]
) -> pd.Series:
    """Return a boolean mask of places whose geometry intersects a lon/lat bounding box.

    Places without a geometry are never in view.

    Parameters
    ----------
    places
        Places in EPSG:4326.
    bbox_lon_lat
        (minx, miny, maxx, maxy) in degrees: west, south, east, north.

    Returns
    -------
    pandas.Series
        Boolean mask aligned to ``places.index``.
    """
    has_geom = places.geometry.notna() & ~places.geometry.is_empty
    mask = pd.Series(False, index=places.index)
    if has_geom.any():
        mask.loc[has_geom] = places.geometry[has_geom].intersects(box(*bbox_lon_lat))
    return mask


def filter_options(places: gpd.GeoDataFrame, city: str) -> dict[str, list[str]]:
    """Return the choices each filter offers for a city choice, in display order.

    Kinds and statuses follow the schema's order; banks come from Astana's places; districts
    and target years from the chosen city's places (``"both"`` means both cities).

    Parameters
    ----------
    places
        The catalogue.
    city
        ``"both"``, ``"astana"`` or ``"almaty"``.

    Returns
    -------
    dict
        Filter name (``kind``, ``status``, ``bank``, ``district``, ``year``) to its choices.
    """
    in_city = places if city == "both" else places[places["city"] == city]
    kinds = set(distinct_values(places["kind"]))
    statuses = set(distinct_values(places["status"]))
    return {
        "kind": [k for k in KINDS if k in kinds],
        "status": [s for s in STATUSES if s in statuses],
        "bank": distinct_values(places.loc[places["city"] == "astana", "bank"]),
        "district": distinct_values(in_city["district"]),
        "year": distinct_values(in_city["target_year"]),
    }


def anchor_points(places: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """Return a point on each placed record, as ``id -> (lat, lon)``, for centring a map on it.

    Lines use their midpoint along the line; other shapes a point guaranteed inside them.

    Parameters
    ----------
    places
        Records with ``id`` and a geometry in EPSG:4326 (unplaced ones are skipped).

    Returns
    -------
    dict
        Id to (latitude, longitude) in degrees.
    """
    out: dict[str, tuple[float, float]] = {}
    placed = places[places.geometry.notna() & ~places.geometry.is_empty]
    for pid, geom in zip(placed["id"], placed.geometry, strict=True):
        point = (
            geom.interpolate(0.5, normalized=True)
            if geom.geom_type == "LineString"
            else geom.representative_point()
        )
        out[str(pid)] = (point.y, point.x)
    return out


def distinct_values(series: pd.Series) -> list[str]:
    """Return the sorted distinct values of a column, with ``"unknown"`` for missing ones last.

    Parameters
    ----------
    series
        Any column of the catalogue.

    Returns
    -------
    list of str
        Sorted values as strings; whole-number floats are shown without ``.0``.
    """
    values = {
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in series.dropna()
    }
    out = sorted(values)
    if series.isna().any():
        out.append(UNKNOWN)
    return out
