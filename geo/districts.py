"""Districts of a city as a partition: overlaps and gaps of a real layer made explicit.

Real district layers are imperfect: two districts may overlap (an older layer where one district
was carved out of another) and a district may be missing (created after the layer was drawn).
A ``Partition`` holds each district's *effective* polygon, with every overlap given to exactly
one district, so that no place and no resident is counted twice, and lists what it found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo.crs import metric_crs_for_city, require_crs
from geo.errors import GeometryError, InputError

IssueKind = Literal["overlap", "missing", "no_population", "not_in_population"]


@dataclass(frozen=True)
class DistrictIssue:
    """One problem found in a district layer or its population table.

    Attributes
    ----------
    kind
        ``"overlap"``: districts whose polygons overlap; ``"missing"``: a district of the
        population table that is not on the layer; ``"no_population"``: a district of the layer
        without a population figure; ``"not_in_population"``: a population row naming no
        district of the layer (reported with ``missing`` when it is a known district).
    districts
        The district ids involved.
    area_m2
        The overlap's area in square metres (``"overlap"`` only), else 0.
    population
        Residents of a missing district (``"missing"`` only), else ``None``.
    """

    kind: IssueKind
    districts: tuple[str, ...]
    area_m2: float = 0.0
    population: int | None = None


@dataclass(frozen=True)
class Partition:
    """A city's districts with overlaps resolved, in the city's metric CRS.

    Attributes
    ----------
    city
        City id.
    crs
        The city's metric CRS (``geo.crs.metric_crs_for_city``).
    frame
        One row per district of the layer, in ``crs``: ``district`` (id), ``geometry`` (the
        effective polygon: an overlap belongs to the smallest of the overlapping districts),
        ``area_m2``, ``population`` (float, NaN when unknown), ``reference_date`` and
        ``source`` of the population figure (``""`` when unknown).
    outline
        The union of every district, in ``crs``.
    issues
        What was found: overlaps, missing districts, districts without a population.
    missing_population
        Residents of the districts that are in the population table but not on the layer: they
        cannot be placed on the map and are reported, never spread over other districts.
    """

    city: str
    crs: str
    frame: gpd.GeoDataFrame
    outline: BaseGeometry
    issues: tuple[DistrictIssue, ...]
    missing_population: int


# Overlaps smaller than this are digitising slivers (two districts drawn from slightly different
# boundary traces): they are resolved like any overlap, so nothing is counted twice, but not
# reported. 0.01 km2 is a square of 100 m; the 2024 Astana layer's largest sliver is 0.001 km2.
OVERLAP_REPORT_MIN_M2 = 10_000.0
OUTSIDE = "__outside__"
UNPLACED = "__unplaced__"
TOTAL = "__total__"
_POPULATION_COLUMNS = ("district", "population")


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """Return the valid polygonal part of a geometry (empty polygon when there is none)."""
    if geom is None or geom.is_empty:
        return Polygon()
    fixed = shapely.make_valid(geom)
    parts = shapely.get_parts(fixed)
    polygons = [p for p in parts if p.geom_type in {"Polygon", "MultiPolygon"}]
    if not polygons:
        return Polygon()
    return shapely.union_all(polygons)


def _district_geometries(districts: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """Return one valid polygonal geometry per district id, in the layer's order, in ``crs``."""
    require_crs(districts, what="district layer")
    if "district" not in districts.columns:
        msg = (
            "district layer must have a 'district' column (the district id), got columns "
            f"{list(districts.columns)!r}; normalise the layer first"
        )
        raise InputError(msg)
    ids = districts["district"]
    if ids.isna().any():
        msg = (
            f"district layer has {int(ids.isna().sum())} row(s) without a district id; "
            "give every row an id (its canonical id or its own name)"
        )
        raise InputError(msg)
    metric = districts[["district", "geometry"]].to_crs(crs)
    geoms = np.array([_polygonal(g) for g in metric.geometry], dtype=object)
    frame = pd.DataFrame({"district": metric["district"].astype(str).to_numpy(), "geom": geoms})
    # A district drawn as several rows is one district: its parts are unioned, in first order.
    order = list(dict.fromkeys(frame["district"]))
    merged = frame.groupby("district", sort=False)["geom"].agg(
        lambda s: shapely.union_all(s.to_numpy())
    )
    merged = merged.reindex(order)
    empty = [d for d in order if merged[d].is_empty]
    if empty:
        msg = (
            f"district layer has no polygon for {empty!r}; a district without an area cannot "
            "hold places (remove the row or fix its geometry)"
        )
        raise GeometryError(msg)
    return gpd.GeoDataFrame(
        {"district": order}, geometry=list(merged.to_numpy()), crs=crs
    ).reset_index(drop=True)


def _resolve_overlaps(
    raw: gpd.GeoDataFrame,
) -> tuple[npt.NDArray[np.object_], list[DistrictIssue]]:
    """Return each district's effective polygon and the overlaps found.

    An overlap belongs to the smallest of the overlapping districts (ties: the one first in the
    layer), so a district nested in another keeps its whole area.
    """
    geoms = raw.geometry.to_numpy()
    area = shapely.area(geoms)
    # rank 0 is the smallest district; every district loses what its smaller neighbours hold.
    rank = np.empty(len(geoms), dtype=np.intp)
    rank[np.lexsort((np.arange(len(geoms)), area))] = np.arange(len(geoms))
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    issues: list[DistrictIssue] = []
    ids = raw["district"].to_numpy()
    for i, j, a in zip(left, right, overlap, strict=True):
        if a >= OVERLAP_REPORT_MIN_M2:
            # The district that keeps the overlap first, then the one that loses it.
            pair = (i, j) if rank[i] < rank[j] else (j, i)
            issues.append(
                DistrictIssue(
                    kind="overlap", districts=tuple(str(ids[k]) for k in pair), area_m2=float(a)
                )
            )
    effective = geoms.copy()
    smaller: dict[int, list[int]] = {}
    for i, j in zip(left[overlap > 0], right[overlap > 0], strict=True):
        small, big = (int(i), int(j)) if rank[i] < rank[j] else (int(j), int(i))
        smaller.setdefault(big, []).append(small)
    for big, others in smaller.items():
        effective[big] = _polygonal(
            shapely.difference(geoms[big], shapely.union_all(geoms[others]))
        )
    return effective, issues


def _city_population(population: pd.DataFrame | None, city: str) -> pd.DataFrame:
    """Return the population rows of one city (no total row), one per district."""
    columns = ["district", "population", "reference_date", "source"]
    if population is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    lacking = [c for c in ("city", *_POPULATION_COLUMNS) if c not in population.columns]
    if lacking:
        msg = (
            f"population table lacks column(s) {lacking!r}, got {list(population.columns)!r}; "
            "it needs city, district, population (reference_date and source are optional)"
        )
        raise InputError(msg)
    rows = population[
        (population["city"].astype(str).str.casefold() == city.casefold())
        & (population["district"].astype(str) != TOTAL)
    ].copy()
    dupes = sorted(set(rows.loc[rows["district"].duplicated(), "district"].astype(str)))
    if dupes:
        msg = f"population table names {dupes!r} more than once for {city!r}; keep one row each"
        raise InputError(msg)
    for column in ("reference_date", "source"):
        if column not in rows.columns:
            rows[column] = ""
        rows[column] = rows[column].fillna("").astype(str)
    rows["district"] = rows["district"].astype(str)
    rows["population"] = pd.to_numeric(rows["population"], errors="coerce").astype(float)
    return rows[columns].reset_index(drop=True)


def build_partition(
    districts: gpd.GeoDataFrame, population: pd.DataFrame | None, *, city: str
) -> Partition:
    """Return a city's districts with overlaps resolved and population attached.

    Parameters
    ----------
    districts
        The city's normalised district layer, any CRS set: ``district`` (id) and geometry
        (polygons). A district drawn as several rows is unioned into one.
    population
        The normalised population table (``city``, ``district``, ``population``,
        ``reference_date``, ``source``; the ``"__total__"`` rows are ignored), or ``None`` when
        the population is unknown. Rows are matched to districts by id, never by position.
    city
        City id; its rows of the population table are used and its metric CRS measures.

    Returns
    -------
    Partition
        The effective polygons (each overlap given to the smallest overlapping district), in
        the layer's order, with the issues found: overlaps of at least
        ``OVERLAP_REPORT_MIN_M2`` (the district that keeps the overlap named first), missing
        districts (in the population table, not on the layer, with their residents),
        districts without a population figure.

    Raises
    ------
    CRSError
        If the layer has no CRS.
    InputError
        If the layer has no ``district`` column or an id is empty, if the city is unknown, or
        if the population table lacks a column or names a district twice.
    GeometryError
        If a district has no polygon.
    """
    crs = metric_crs_for_city(city)
    raw = _district_geometries(districts, crs)
    effective, issues = _resolve_overlaps(raw)
    pop = _city_population(population, city).set_index("district")
    ids = raw["district"].tolist()
    frame = gpd.GeoDataFrame(
        {
            "district": ids,
            "area_m2": shapely.area(effective).astype(float),
            "population": pop["population"].reindex(ids).astype(float).to_numpy(),
            "reference_date": pop["reference_date"].reindex(ids).fillna("").to_numpy(),
            "source": pop["source"].reindex(ids).fillna("").to_numpy(),
        },
        geometry=list(effective),
        crs=crs,
    )
    frame["reference_date"] = frame["reference_date"].astype(str)
    frame["source"] = frame["source"].astype(str)
    missing_rows = pop[~pop.index.isin(ids)]
    missing_population = 0
    for district, row in missing_rows.iterrows():
        residents = None if pd.isna(row["population"]) else round(float(row["population"]))
        missing_population += residents or 0
        issues.append(
            DistrictIssue(kind="missing", districts=(str(district),), population=residents)
        )
    unknown = tuple(frame.loc[frame["population"].isna(), "district"].astype(str))
    if unknown:
        issues.append(DistrictIssue(kind="no_population", districts=unknown))
    return Partition(
        city=city,
        crs=crs,
        frame=frame,
        outline=shapely.union_all(raw.geometry.to_numpy()),
        issues=tuple(issues),
        missing_population=missing_population,
    )


def is_placed(places: gpd.GeoDataFrame) -> pd.Series:
    """Return whether each place has a position (a non-empty geometry), aligned to its index.

    Parameters
    ----------
    places
        Any GeoDataFrame.

    Returns
    -------
    pandas.Series
        Booleans, aligned to ``places.index``.
    """
    geoms = places.geometry.to_numpy()
    placed = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return pd.Series(placed, index=places.index, dtype=bool)


def assign_districts(places: gpd.GeoDataFrame, partition: Partition) -> pd.Series:
    """Return the district of each place from the partition's effective polygons.

    A place lies in a district when its representative point (the point itself for a point)
    is inside or on the boundary of the district's effective polygon. A point on the border
    between two districts goes to the one first in the partition's order, so it is counted
    once, always in the same district.

    Parameters
    ----------
    places
        Places with a CRS set (any geometry type, some may have none).
    partition
        The city's partition (``build_partition``).

    Returns
    -------
    pandas.Series
        District id per place (object dtype), ``None`` outside every district or without a
        geometry (tell the two apart with ``is_placed``); aligned to ``places.index``.

    Raises
    ------
    CRSError
        If the places have no CRS.
    """
    require_crs(places, what="places")
    result = np.full(len(places), None, dtype=object)
    placed = is_placed(places).to_numpy()
    if placed.any():
        metric = places.geometry[placed].to_crs(partition.crs).to_numpy()
        # A point is its own representative point: only other shapes need one computed.
        points = metric.copy()
        shaped = shapely.get_type_id(metric) != int(shapely.GeometryType.POINT)
        if shaped.any():
            points[shaped] = shapely.point_on_surface(metric[shaped])
        polygons = partition.frame.geometry.to_numpy()
        # The tree holds the points and the few polygons are the queries: GEOS prepares each
        # query polygon once, so 10,000 points take a few milliseconds.
        tree = shapely.STRtree(points)
        poly_idx, point_idx = tree.query(polygons, predicate="intersects")
        best = np.full(len(points), len(polygons), dtype=np.intp)
        np.minimum.at(best, point_idx, poly_idx)
        ids = np.array([*partition.frame["district"].tolist(), None], dtype=object)
        result[np.flatnonzero(placed)] = ids[best]
    return pd.Series(result, index=places.index, dtype="object")


def district_table(
    assigned: pd.Series,
    mask: pd.Series,
    partition: Partition,
    *,
    placed: pd.Series | None = None,
) -> pd.DataFrame:
    """Return the places per district, as counts and per 100,000 residents.

    Parameters
    ----------
    assigned
        District id per place (``assign_districts``), ``None`` for none.
    mask
        Which places to count (the filters), aligned to ``assigned``.
    partition
        The partition the districts were assigned from.
    placed
        Whether each place has a position (``is_placed``), aligned to ``assigned``: it tells a
        place outside every district from one without a position. A place without a position is
        counted in ``"__unplaced__"`` whatever its value in ``assigned``, so the app's places
        frame's ``district`` column (which keeps the catalogue's district for an unplaced place)
        may be passed as it is. It may be left out only when every counted place has a district
        of the partition.

    Returns
    -------
    pandas.DataFrame
        One row per district in the partition's order, then ``"__outside__"`` (placed, in no
        district) and ``"__unplaced__"`` (no position): ``district``, ``places`` (int),
        ``population`` (float, NaN when unknown), ``per_100k`` (float, NaN when the population
        is unknown or 0), ``area_km2`` (effective area; NaN for the last two rows). Each place
        is counted at most once.

    Raises
    ------
    InputError
        If the series are not aligned, the id of a placed place (or of any place when ``placed``
        is left out) is not one of the partition's, or ``placed`` is needed and missing. A placed
        place always has the layer's id (``assign_districts``), so a strange id there is a bug.
    """
    if not assigned.index.equals(mask.index):
        msg = "assigned and mask must share one index (both aligned to the places frame)"
        raise InputError(msg)
    if placed is not None and not assigned.index.equals(placed.index):
        msg = "assigned and placed must share one index (both aligned to the places frame)"
        raise InputError(msg)
    chosen = mask.astype(bool).to_numpy()
    counted = assigned[chosen]
    ids = partition.frame["district"].astype(str).tolist()
    known = counted.notna().to_numpy()
    if placed is not None:
        # A place without a position is "__unplaced__" whatever district it states.
        has_position = placed[chosen].astype(bool).to_numpy()
        known = known & has_position
    strange = sorted(set(counted[known].astype(str)) - set(ids))
    if strange:
        msg = f"assigned holds district ids not in the partition: {strange!r}"
        raise InputError(msg)
    none = ~known
    if none.any() and placed is None:
        msg = (
            f"{int(none.sum())} counted place(s) have no district; pass placed=is_placed(places) "
            "so those outside every district are told apart from those without a position"
        )
        raise InputError(msg)
    per_district = counted[known].astype(str).value_counts().reindex(ids, fill_value=0)
    outside = unplaced = 0
    if none.any() and placed is not None:
        outside = int((none & has_position).sum())
        unplaced = int((none & ~has_position).sum())
    population = partition.frame["population"].astype(float).to_numpy()
    places = per_district.to_numpy().astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_100k = np.where(population > 0, places / population * 100_000, np.nan)
    table = pd.DataFrame(
        {
            "district": [*ids, OUTSIDE, UNPLACED],
            "places": np.append(places, [outside, unplaced]).astype(np.int64),
            "population": np.append(population, [np.nan, np.nan]),
            "per_100k": np.append(per_100k, [np.nan, np.nan]),
            "area_km2": np.append(
                partition.frame["area_m2"].to_numpy(dtype=float) / 1e6, [np.nan, np.nan]
            ),
        }
    )
    table["district"] = table["district"].astype(object)
    return table
