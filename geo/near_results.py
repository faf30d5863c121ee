"""What a resident needs about each nearest place: distance, walk, river crossing, route links."""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.ops import nearest_points

from geo.crs import metric_crs_for_city
from geo.directions import directions_2gis, directions_osm
from geo.nearest import Hit, walking_minutes
from geo.schema import EXACT_WITHIN_M
from geo.select import Filters, FilterVocabulary


@dataclass(frozen=True)
class NearPlace:
    """One result, ready to show.

    ``target`` is the (lat, lon) to walk to: the place's point, or the nearest point of a line
    or outline. ``crossing`` is ``None`` when either bank is unknown.
    """

    rank: int
    row: int
    distance_m: float
    walk_min: int
    target: tuple[float, float]
    approximate: bool
    accuracy_m: float
    bank: str | None
    crossing: bool | None
    route_2gis: str
    route_osm: str


def describe(
    places: gpd.GeoDataFrame,
    hits: list[Hit],
    position: tuple[float, float],
    *,
    city: str,
    user_bank: str | None,
) -> list[NearPlace]:
    """Return the details of each hit, in the hits' order.

    Parameters
    ----------
    places
        The frame the index was built from (EPSG:4326, with ``bank`` and
        ``location_accuracy_m``).
    hits
        From ``geo.nearest.nearest``.
    position
        The user's (lat, lon) in WGS 84 degrees.
    city
        The city of the position.
    user_bank
        The bank of the Esil the user is on (Astana), or ``None`` if unknown.

    Returns
    -------
    list of NearPlace
        One per hit.
    """
    out = []
    crs = metric_crs_for_city(city)
    to_metric = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    to_wgs84 = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    here = Point(to_metric.transform(position[1], position[0]))
    for rank, hit in enumerate(hits, start=1):
        row = places.iloc[hit.row]
        # The point of the place nearest to the user, found in metres like the distance.
        shape = shapely.transform(row.geometry, to_metric.transform, interleaved=False)
        nearest_m = nearest_points(shape, here)[0]
        near = Point(to_wgs84.transform(nearest_m.x, nearest_m.y))
        bank = row["bank"] if isinstance(row["bank"], str) else None
        crossing = None if bank is None or user_bank is None else bank != user_bank
        accuracy = float(row["location_accuracy_m"])
        target = (near.y, near.x)
        out.append(
            NearPlace(
                rank=rank,
                row=hit.row,
                distance_m=hit.distance_m,
                walk_min=walking_minutes(hit.distance_m),
                target=target,
                approximate=accuracy > EXACT_WITHIN_M,
                accuracy_m=accuracy,
                bank=bank,
                crossing=crossing,
                route_2gis=directions_2gis(position, target, city=city),
                route_osm=directions_osm(position, target),
            )
        )
    return out


def unknown_count(places: gpd.GeoDataFrame, allowed: np.ndarray, city: str) -> int:
    """Return how many allowed places of a city have no position (left out of the results).

    Parameters
    ----------
    places
        Place records.
    allowed
        Boolean array over ``places`` (the filters).
    city
        The city of the position.

    Returns
    -------
    int
        The count.
    """
    placed = (places.geometry.notna() & ~places.geometry.is_empty).to_numpy()
    return int((allowed & ~placed & (places["city"] == city).to_numpy()).sum())


def filters_in_city(
    places: gpd.GeoDataFrame, filters: Filters, city: str, vocabulary: FilterVocabulary
) -> tuple[np.ndarray, bool]:
    """Return which places the filters allow near a position in ``city``, and what was set aside.

    The position decides the city, so the city filter does not apply; a bank filter applies
    only in a city on both banks, and a district filter only with that city's districts
    (``Filters.in_city``).

    Parameters
    ----------
    places
        Place records.
    filters
        The sidebar's filters.
    city
        The city of the position.
    vocabulary
        The values the places have (``FilterVocabulary.of(places)``, cached by the caller).

    Returns
    -------
    tuple
        A boolean array over ``places``, and ``True`` if a bank or district filter was set aside.
    """
    in_city, ignored = filters.in_city(city, vocabulary)
    return replace(in_city, city="both").mask(places).to_numpy(), ignored
