"""Nearest places to a position: parsing a position, a spatial index per city, walking times."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.crs import metric_crs_for_city
from geo.errors import InputError
from geo.schema import CITY_BBOX_LON_LAT

WALKING_SPEED_KMH = 4.8  # a usual adult pace; stated beside every walking time
MAX_RESULTS = 50
# Kinds that are context, not creative spaces: places to start from (on the map and in
# search), listed among the nearest results only when the user asks for them.
CONTEXT_KINDS: frozenset[str] = frozenset({"landmark"})
_PAD = 1 + 1e-9
_NEAR_RE = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*,\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$")


class PositionError(InputError):
    """A position that cannot be used: unreadable, out of range, or outside both cities.

    ``code`` names the problem for translated messages: ``"format"``, ``"latitude"``,
    ``"longitude"`` or ``"outside"``.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def parse_near(text: str) -> tuple[float, float]:
    """Return (lat, lon) from ``"LAT,LON"`` in decimal degrees (WGS 84).

    Parameters
    ----------
    text
        For example ``"51.128,71.430"``.

    Returns
    -------
    tuple of float
        Latitude and longitude in degrees.

    Raises
    ------
    PositionError
        If the text is not two numbers separated by a comma, or they are out of range.
    """
    match = _NEAR_RE.match(text or "")
    if not match:
        msg = f"{text!r} is not a position: write it as LAT,LON in degrees, e.g. 51.128,71.430"
        raise PositionError(msg, code="format")
    lat, lon = float(match.group(1)), float(match.group(2))
    if not -90 <= lat <= 90:  # noqa: PLR2004 - the range of latitude
        msg = f"latitude {lat} is out of range: it must be between -90 and 90"
        raise PositionError(msg, code="latitude")
    if not -180 <= lon <= 180:  # noqa: PLR2004 - the range of longitude
        msg = f"longitude {lon} is out of range: it must be between -180 and 180"
        raise PositionError(msg, code="longitude")
    return lat, lon


def city_of(lat: float, lon: float) -> str:
    """Return the city whose area holds a position.

    Parameters
    ----------
    lat, lon
        Position in WGS 84 degrees.

    Returns
    -------
    str
        ``"astana"`` or ``"almaty"``.

    Raises
    ------
    PositionError
        If the position is in neither city.
    """
    for city, (minx, miny, maxx, maxy) in CITY_BBOX_LON_LAT.items():
        if minx <= lon <= maxx and miny <= lat <= maxy:
            return city
    msg = (
        f"{lat:.5f},{lon:.5f} is outside Astana and Almaty; this map covers only those two "
        "cities. Pick a point in one of them"
    )
    raise PositionError(msg, code="outside")


@dataclass(frozen=True)
class PlaceIndex:
    """Places of one city in its metric CRS, with an STRtree over their geometries.

    ``rows`` are positions in the frame the index was built from; ``geoms`` are the places'
    geometries in ``crs`` (metres). Build once per data version with ``build_index``.
    """

    city: str
    crs: str
    rows: np.ndarray
    geoms: np.ndarray
    tree: shapely.STRtree
    bounds: tuple[float, float, float, float]
    spacing_m: float  # typical distance between places, for the first search radius
    to_metric: Transformer  # WGS 84 lon/lat to ``crs``

    def __len__(self) -> int:
        """Return how many places the index holds."""
        return len(self.rows)


def build_index(places: gpd.GeoDataFrame, city: str) -> PlaceIndex:
    """Return the spatial index of a city's placed features.

    Parameters
    ----------
    places
        Places with a CRS and a ``city`` column; rows without geometry are left out.
    city
        ``"astana"`` or ``"almaty"``.

    Returns
    -------
    PlaceIndex
        The index; ``rows`` are positions (``iloc``) in ``places``.

    Raises
    ------
    InputError
        If the city is unknown.
    """
    crs = metric_crs_for_city(city)
    keep = (
        (places["city"] == city).to_numpy()
        & places.geometry.notna().to_numpy()
        & ~places.geometry.is_empty.to_numpy()
    )
    rows = np.flatnonzero(keep)
    geoms = places.geometry.iloc[rows].to_crs(crs).to_numpy()
    tree = shapely.STRtree(geoms)
    bounds = tuple(float(v) for v in shapely.total_bounds(geoms)) if len(geoms) else (0.0,) * 4
    minx, miny, maxx, maxy = bounds
    spacing = max(math.sqrt(max((maxx - minx) * (maxy - miny), 1.0) / max(len(geoms), 1)), 1.0)
    return PlaceIndex(
        city=city,
        crs=crs,
        rows=rows,
        geoms=geoms,
        tree=tree,
        bounds=bounds,  # type: ignore[arg-type]
        spacing_m=spacing,
        to_metric=Transformer.from_crs("EPSG:4326", crs, always_xy=True),
    )


@dataclass(frozen=True)
class Hit:
    """One result: the place's position in the source frame and its distance in metres."""

    row: int
    distance_m: float


def _to_metric(index: PlaceIndex, lat: float, lon: float) -> shapely.Point:
    x, y = index.to_metric.transform(lon, lat)
    return shapely.Point(x, y)


def _ordered(index: PlaceIndex, members: np.ndarray, dist: np.ndarray, k: int) -> list[Hit]:
    # Ties break on the row (the frame's order), so the same query always lists the same places.
    order = np.lexsort((index.rows[members], dist))[:k]
    return [Hit(int(index.rows[members[i]]), float(dist[i])) for i in order]


def nearest(
    index: PlaceIndex,
    lat: float,
    lon: float,
    *,
    k: int = 5,
    allowed: np.ndarray | None = None,
    max_distance_m: float | None = None,
) -> list[Hit]:
    """Return the ``k`` nearest allowed places, nearest first, using the index.

    The search looks within a radius that starts at a few times the typical spacing and
    doubles until it holds ``k`` allowed places (or covers the city), so a query touches
    only nearby places.

    Parameters
    ----------
    index
        From ``build_index``.
    lat, lon
        The position in WGS 84 degrees.
    k
        How many places at most.
    allowed
        Boolean array over the source frame's rows (for example the filters); ``None``
        allows all.
    max_distance_m
        Leave out places farther than this, in metres.

    Returns
    -------
    list of Hit
        Ordered by distance (metres, in the city's metric CRS), ties by row.
    """
    if len(index) == 0 or k <= 0:
        return []
    point = _to_metric(index, lat, lon)
    radius = index.spacing_m * math.sqrt(k) * 2
    minx, miny, maxx, maxy = index.bounds
    extent = math.hypot(max(abs(point.x - minx), abs(point.x - maxx)),
                        max(abs(point.y - miny), abs(point.y - maxy)))  # fmt: skip
    while True:
        if max_distance_m is None and radius >= extent:
            # The search covers the whole city: measure every allowed place, so no place at
            # the very edge is lost to rounding in the tree's distance test.
            return nearest_brute_force(index, lat, lon, k=k, allowed=allowed)
        if max_distance_m is not None:
            radius = min(radius, max_distance_m)
        # The tree's test is padded by a hair; the exact distance decides below.
        members = index.tree.query(point, predicate="dwithin", distance=radius * _PAD + 1e-6)
        if allowed is not None:  # only the candidates are looked up: the query stays local
            members = members[allowed[index.rows[members]]]
        dist = shapely.distance(index.geoms[members], point)
        inside = dist <= radius
        # Only places within the searched radius are sure to be the nearest ones.
        if inside.sum() >= k or (max_distance_m is not None and radius >= max_distance_m):
            return _ordered(index, members[inside], dist[inside], k)
        radius *= 2


def nearest_brute_force(
    index: PlaceIndex,
    lat: float,
    lon: float,
    *,
    k: int = 5,
    allowed: np.ndarray | None = None,
    max_distance_m: float | None = None,
) -> list[Hit]:
    """Return the same as ``nearest`` by measuring every place (the benchmark's baseline).

    Parameters
    ----------
    index
        From ``build_index`` (only its geometries are used, not its tree).
    lat, lon
        The position in WGS 84 degrees.
    k
        How many places at most.
    allowed
        Boolean array over the source frame's rows; ``None`` allows all.
    max_distance_m
        Leave out places farther than this, in metres.

    Returns
    -------
    list of Hit
        Ordered by distance, ties by row.
    """
    if len(index) == 0 or k <= 0:
        return []
    point = _to_metric(index, lat, lon)
    members = np.arange(len(index))
    if allowed is not None:
        members = members[allowed[index.rows]]
    dist = shapely.distance(index.geoms[members], point)
    if max_distance_m is not None:
        keep = dist <= max_distance_m
        members, dist = members[keep], dist[keep]
    return _ordered(index, members, dist, k)


def listed_near(
    places: pd.DataFrame, *, with_landmarks: bool = False, chosen_kinds: tuple[str, ...] = ()
) -> np.ndarray:
    """Return which places the nearest results may list: all but context landmarks.

    Landmarks (``CONTEXT_KINDS``) are listed when the user asks for them: with the
    near-me page's checkbox, or by choosing a context kind in the kind filter.

    Parameters
    ----------
    places
        Places with a ``kind`` column (the frame the index was built from).
    with_landmarks
        Whether the user asked for landmarks too.
    chosen_kinds
        The kinds chosen in the filters (empty: no choice).

    Returns
    -------
    numpy.ndarray
        Boolean array over ``places``' rows, for ``nearest``'s ``allowed``.
    """
    if with_landmarks or CONTEXT_KINDS & set(chosen_kinds):
        return np.ones(len(places), dtype=bool)
    context: np.ndarray = places["kind"].isin(CONTEXT_KINDS).to_numpy(dtype=bool)
    return ~context


def walking_minutes(distance_m: float, *, speed_kmh: float = WALKING_SPEED_KMH) -> int:
    """Return the walking time along a straight line, in whole minutes (at least 1).

    Parameters
    ----------
    distance_m
        Distance in metres.
    speed_kmh
        Walking speed in km/h.

    Returns
    -------
    int
        Minutes, rounded up.
    """
    return max(1, math.ceil(distance_m / (speed_kmh * 1000 / 60)))
