"""Gap finder: what a candidate site would newly bring within walking distance.

Each candidate is judged on its own against the existing coverage (never against the other
candidates), so several can be compared side by side. A point candidate's catchment is the same
as a place's (a buffer, or along the streets with a network); a polygon candidate (a candidate
*area*) reaches everything within the walking distance of its outline, inside included: the
polygon buffered by ``walk_m`` (a straight-line buffer even with a network).
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.bank import classify_bank_by_polygons
from geo.coverage import Coverage, buffer_catchments, check_walk
from geo.crs import WORKING_CRS, require_crs
from geo.districts import Partition
from geo.errors import GeometryError
from geo.network import StreetNetwork
from geo.spread import resident_spread

NEAREST_COUNT = 3


@dataclass(frozen=True)
class CandidateResult:
    """What one candidate site would add to the existing coverage.

    Attributes
    ----------
    label
        ``"A"``, ``"B"``, ... in the order the candidates were given.
    geometry_wgs84
        The candidate as given: a Point or a Polygon, WGS 84.
    walk_m
        Walking distance in metres (the coverage's).
    district
        For a point, the district whose effective polygon covers it (the first in the
        partition's order on a border). For a polygon, the district holding the largest share
        of its area (the first in the partition's order on a tie), so a polygon spanning
        several districts is named by the one it mostly lies in. ``None`` outside every
        district.
    bank
        ``"left"`` or ``"right"`` from the bank polygons at the candidate's point (for a
        polygon, its representative point, which always lies on the polygon, never its
        centroid, which may not); ``None`` without bank polygons or outside them.
    new_area_m2
        Catchment minus the existing coverage, inside the partition's outline, in m2.
    new_residents
        Residents in that new area by the coverage's spread; NaN when the population of a
        district it touches is unknown.
    catchment_area_m2
        The whole catchment's area in m2 (not clipped to the outline).
    nearest
        (place id, metres) of up to three nearest existing places of the partition's city,
        nearest first (distance from the candidate's geometry, 0 for a place inside a polygon
        candidate).
    outside
        ``True`` when the candidate lies outside the partition's outline (a point not on it, a
        polygon with no area inside it): it is then not in the city's districts (``district``
        is ``None``) and its new area and residents are 0 because of where it is, not because
        the place is already covered. The page says so in words.
    """

    label: str
    geometry_wgs84: BaseGeometry
    walk_m: float
    district: str | None
    bank: str | None
    new_area_m2: float
    new_residents: float
    catchment_area_m2: float
    nearest: tuple[tuple[str, float], ...]
    outside: bool = False


def candidate_label(i: int) -> str:
    """Return the label of the ``i``-th candidate (0-based): A..Z, then A2..Z2, ..."""
    letters = string.ascii_uppercase
    letter = letters[i % len(letters)]
    return letter if i < len(letters) else f"{letter}{i // len(letters) + 1}"


def evaluate_candidates(
    candidates: Sequence[BaseGeometry],
    coverage: Coverage,
    partition: Partition,
    *,
    places: gpd.GeoDataFrame,
    banks: gpd.GeoDataFrame | None,
    population_grid: gpd.GeoDataFrame | None = None,
    network: StreetNetwork | None = None,
) -> tuple[CandidateResult, ...]:
    """Return what each candidate would newly bring within reach, each on its own.

    Parameters
    ----------
    candidates
        Points or polygons in WGS 84 (longitude, latitude).
    coverage
        The existing coverage (``compute_coverage`` of the existing places, same partition).
    partition
        The city's districts.
    places
        The existing places (any CRS, with an ``id`` column) for the nearest ones; with a
        ``city`` column only those of the partition's city are considered.
    banks
        Bank polygons (``bank`` = left/right, any CRS), or ``None``.
    population_grid
        The finer population layer, when the coverage was computed without its spread at
        hand; by default the coverage's own spread is used, so residents are spread the same.
    network
        Street network for point candidates (``None``: a buffer).

    Returns
    -------
    tuple of CandidateResult
        One per candidate, in order.

    Raises
    ------
    GeometryError
        If a candidate is neither a Point nor a Polygon, or empty.
    InputError
        If the coverage's walking distance is out of range.
    """
    walk = check_walk(coverage.walk_m)
    for geom in candidates:
        if not isinstance(geom, Point | Polygon) or geom.is_empty:
            msg = f"a candidate must be a non-empty Point or Polygon, got {geom.geom_type!r}"
            raise GeometryError(msg)
    if not candidates:
        return ()
    spread = coverage.resident_spread
    if spread is None or population_grid is not None:
        spread = resident_spread(partition, population_grid)
    wgs = gpd.GeoSeries(list(candidates), crs=WORKING_CRS)
    metric = np.asarray(wgs.to_crs(partition.crs).values, dtype=object)
    anchors = np.asarray([_anchor(g) for g in metric], dtype=object)
    catchments = _candidate_catchments(metric, walk, network)
    districts = _districts_of(metric, partition)
    bank_of = _banks_of(anchors, partition.crs, banks)
    if "city" in places.columns:
        places = places[places["city"].astype(str).to_numpy() == partition.city]
    nearest = _nearest(metric, places, partition.crs)
    outline = partition.outline
    outside = _outside(metric, outline)
    district_geoms = np.asarray(partition.frame.geometry.values, dtype=object)
    results = []
    for i, geom in enumerate(candidates):
        catchment = catchments[i]
        new = shapely.intersection(shapely.difference(catchment, coverage.union), outline)
        residents = spread.residents_within(new)
        # Only the districts the new area reaches matter; one of unknown population makes
        # the figure unknown.
        if new.is_empty:
            reached = np.zeros(len(district_geoms), dtype=bool)
        else:
            reached = shapely.area(shapely.intersection(district_geoms, new)) > 0
        unknown = bool(np.isnan(residents[reached]).any())
        new_residents = math.nan if unknown else float(np.nansum(residents[reached]))
        results.append(
            CandidateResult(
                label=candidate_label(i),
                geometry_wgs84=geom,
                walk_m=walk,
                district=districts[i],
                bank=bank_of[i],
                new_area_m2=float(shapely.area(new)),
                new_residents=new_residents,
                catchment_area_m2=float(shapely.area(catchment)),
                nearest=nearest[i],
                outside=outside[i],
            )
        )
    return tuple(results)


def _anchor(geom: BaseGeometry) -> Point:
    """Return the candidate's point: itself, or a polygon's representative point (on it)."""
    return geom if isinstance(geom, Point) else geom.representative_point()


def _outside(metric: np.ndarray, outline: BaseGeometry) -> list[bool]:
    """Return whether each candidate lies outside the outline (no point or area on it)."""
    out = []
    for geom in metric:
        if isinstance(geom, Point):
            out.append(not outline.covers(geom))
        else:
            out.append(not shapely.area(shapely.intersection(geom, outline)) > 0)
    return out


def _candidate_catchments(
    metric: np.ndarray, walk_m: float, network: StreetNetwork | None
) -> list[BaseGeometry]:
    out: list[BaseGeometry] = list(buffer_catchments(metric, walk_m))
    if network is not None:
        points = [i for i, g in enumerate(metric) if isinstance(g, Point)]
        if points:
            along = network.catchments(metric[points], walk_m)
            for i, catchment in zip(points, along, strict=True):
                out[i] = catchment
    return out


def _districts_of(metric: np.ndarray, partition: Partition) -> list[str | None]:
    """Return each candidate's district (see ``CandidateResult.district`` for the rule).

    A point: the first effective polygon covering it, in the partition's order. A polygon: the
    district holding the largest share of its area, the first in order on a tie; ``None`` when
    it has no area in any district.
    """
    geoms = np.asarray(partition.frame.geometry.values, dtype=object)
    ids = partition.frame["district"].astype(str).tolist()
    out: list[str | None] = []
    for geom in metric:
        if isinstance(geom, Point):
            hits = np.flatnonzero(shapely.covers(geoms, geom))
            out.append(ids[int(hits[0])] if len(hits) else None)
            continue
        shares = shapely.area(shapely.intersection(geoms, geom))
        best = int(np.argmax(shares))  # the first of equal maxima
        out.append(ids[best] if shares[best] > 0 else None)
    return out


def _banks_of(anchors: np.ndarray, crs: str, banks: gpd.GeoDataFrame | None) -> list[str | None]:
    if banks is None or banks.empty:
        return [None] * len(anchors)
    points = gpd.GeoDataFrame(geometry=list(anchors), crs=crs)
    found = classify_bank_by_polygons(points, banks)
    return [None if v is None else str(v) for v in found.tolist()]


def _nearest(
    metric: np.ndarray, places: gpd.GeoDataFrame, crs: str
) -> list[tuple[tuple[str, float], ...]]:
    require_crs(places, what="places")
    geoms = places.geometry
    present = geoms.notna() & ~geoms.is_empty
    if not present.any():
        return [() for _ in metric]
    place_geoms = np.asarray(geoms[present].to_crs(crs).values, dtype=object)
    if "id" in places.columns:
        ids = places.loc[present, "id"].astype(str).to_numpy()
    else:
        ids = places.index[present].astype(str).to_numpy()
    out = []
    for geom in metric:
        dist = shapely.distance(place_geoms, geom)
        order = np.argsort(dist, kind="stable")[:NEAREST_COUNT]
        out.append(tuple((str(ids[k]), float(dist[k])) for k in order))
    return out
