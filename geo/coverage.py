"""Walking coverage: each place's catchment, their union, each district's share within reach.

A place's catchment is everything within ``walk_m`` of it. By default that is a buffer in the
city's metric CRS: a straight-line distance, which knows nothing about bridges, fences or
streets, so **the catchment of a place near the Esil simply crosses the river** (as if a bridge
were everywhere). With a street network (``geo.network.StreetNetwork``) the catchment follows
the streets instead, and the river is crossed only where a street crosses it.

A circle is drawn as a polygon of ``4 × BUFFER_QUAD_SEGS`` = 64 sides inscribed in it: its area
is ``CIRCLE_AREA_DEFICIT`` (0.16 %) smaller than the true circle's, and its edge is at most
0.12 % of the walking distance inside the circle (3.6 m at 3 km). That is the only
approximation: the union and the areas are exact for those polygons.

Speed: one ``shapely.union_all`` of 10,000 such buffers across Astana takes 0.35-0.5 s on the
quiet 2-core test machine. ``union_of_buffers`` gives the same union (the same vertices) with
less work: buffers that lie inside squares holding a place are replaced by those squares
(2-6 times faster from 800 m up, nothing gained at 300 m where most buffers reach uncovered
ground), and the rest are unioned in vertical strips on parallel threads (up to 1.9 times
faster when both cores are free). ``bench/coverage_bench.py`` measures it against a single
union and a naive GeoPandas overlay, and compares their areas. No approximation beyond the
64-sided circles is made.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import GeometryCollection
from shapely.geometry.base import BaseGeometry

from geo.crs import require_crs, require_projected
from geo.districts import Partition
from geo.errors import InputError
from geo.spread import ResidentSpread, SpreadKind, resident_spread

if TYPE_CHECKING:
    from geo.network import StreetNetwork

WALK_MIN_M = 300
WALK_MAX_M = 3000
WALK_DEFAULT_M = 800
BUFFER_QUAD_SEGS = 16
# 1 - (area of the inscribed regular n-gon) / (area of the circle), n = 4 * BUFFER_QUAD_SEGS.
CIRCLE_AREA_DEFICIT = 1 - (4 * BUFFER_QUAD_SEGS / (2 * math.pi)) * math.sin(
    2 * math.pi / (4 * BUFFER_QUAD_SEGS)
)
# Below this many catchments a single union is as fast as threads (a few tens of ms).
PARALLEL_MIN = 2_000
TABLE_COLUMNS = (
    "district",
    "area_m2",
    "covered_m2",
    "area_share",
    "population",
    "covered_residents",
    "residents_share",
    "spread",
)


@dataclass(frozen=True)
class Coverage:
    """The area and residents within walking distance of at least one place.

    Attributes
    ----------
    city
        City id of the partition.
    walk_m
        Walking distance in metres.
    method
        ``"buffer"`` (straight-line distance) or ``"network"`` (along the streets).
    spread
        How residents are spread inside a district: ``"uniform"`` over its area, or by a
        population ``"grid"`` (see ``geo.spread``): ``"grid"`` only when the grid spread at
        least one district; a grid with no cell with residents in the city gives ``"uniform"``.
    union
        The covered area (union of every catchment), in the partition's CRS; not clipped.
    table
        One row per district, partition order: ``district``, ``area_m2`` (effective area),
        ``covered_m2``, ``area_share`` (0..1), ``population`` (NaN unknown),
        ``covered_residents`` (NaN unknown), ``residents_share`` (NaN unknown), ``spread``
        (the spread used for that row: a district the grid gives no residents is uniform).
    total
        The same figures for the whole layer (``area_m2``, ``covered_m2``, ``area_share``,
        ``population``, ``covered_residents``, ``residents_share``: residents over the
        districts of known population only), and ``outside_m2``: covered area in no district.
    places
        Number of places whose catchments were unioned.
    fallback_places
        With a network: places farther than its snapping distance from every street, whose
        catchment is a plain buffer (0 for the buffer method).
    """

    city: str
    walk_m: float
    method: Literal["buffer", "network"]
    spread: SpreadKind
    union: BaseGeometry
    table: pd.DataFrame
    total: dict[str, float]
    places: int = 0
    fallback_places: int = 0
    resident_spread: ResidentSpread | None = field(default=None, repr=False, compare=False)


def check_walk(walk_m: float) -> float:
    """Return a walking distance in metres as a float, or refuse it.

    Parameters
    ----------
    walk_m
        The distance chosen by the user, in metres.

    Returns
    -------
    float
        The same distance.

    Raises
    ------
    InputError
        If it is not a number between ``WALK_MIN_M`` (300) and ``WALK_MAX_M`` (3000) metres.
    """
    if isinstance(walk_m, bool) or not isinstance(walk_m, int | float | np.integer | np.floating):
        msg = f"walk_m must be a number of metres, got {walk_m!r}"
        raise InputError(msg)
    value = float(walk_m)
    if not math.isfinite(value) or not WALK_MIN_M <= value <= WALK_MAX_M:
        msg = (
            f"walk_m must be between {WALK_MIN_M} and {WALK_MAX_M} metres, got {walk_m!r}; "
            "choose a walking distance in that range"
        )
        raise InputError(msg)
    return value


def buffer_catchments(geoms: np.ndarray, walk_m: float) -> np.ndarray:
    """Return the straight-line catchment of each geometry (a metric-CRS array).

    Points become 64-sided polygons inscribed in the circle of radius ``walk_m``; lines and
    polygons are buffered from their outline (a polygon keeps its inside). Missing geometries
    give ``None``.
    """
    return np.asarray(shapely.buffer(geoms, walk_m, quad_segs=BUFFER_QUAD_SEGS), dtype=object)


def union_of_buffers(
    geoms: np.ndarray, walk_m: float, *, workers: int | None = None
) -> BaseGeometry:
    """Return the union of the geometries' buffers (``buffer_catchments``), exactly, fast.

    Two shortcuts, neither of which changes the result:

    - *Cells*: the points are binned in square cells small enough that a cell holding a point
      lies inside that point's buffer polygon (``_point_cells``). A point whose buffer's
      bounding box is made of such cells only is inside their union, so its buffer is left
      out and the cells' union (a coverage of squares, merged by ``coverage_union_all``)
      stands in for it. At 800 m and more, most of 10,000 places across Astana go this way.
    - *Strips in parallel*: the remaining buffers are split into vertical strips (by the west
      edge of each), each strip built and unioned in its own thread (GEOS releases Python's
      GIL), then the strips' unions are unioned.

    Parameters
    ----------
    geoms
        Geometries in a metric CRS (``None`` ignored).
    walk_m
        Buffer distance in metres.
    workers
        Threads (strips); default: the machine's CPU count, at most 4. One, or fewer than
        ``PARALLEL_MIN`` buffers left, gives a single ``shapely.union_all``.

    Returns
    -------
    shapely geometry
        The union (an empty GeometryCollection for no geometries).
    """
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    n_workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if len(geoms) == 0:
        return GeometryCollection()
    is_point = shapely.get_type_id(geoms) == 0
    cells, inside = _point_cells(geoms[is_point], walk_m)
    keep = np.ones(len(geoms), dtype=bool)
    keep[np.flatnonzero(is_point)[inside]] = False
    rest = geoms[keep]
    parts: list[BaseGeometry] = [] if cells is None else [cells]
    if n_workers <= 1 or len(rest) < PARALLEL_MIN:
        parts.append(shapely.union_all(buffer_catchments(rest, walk_m)))
    else:

        def strip_union(strip: np.ndarray) -> BaseGeometry:
            return shapely.union_all(buffer_catchments(strip, walk_m))

        # Neighbours share a strip, so each strip's union does most of the work and the last
        # union only stitches the seams between strips.
        order = np.argsort(shapely.bounds(rest)[:, 0], kind="stable")
        strips = [rest[idx] for idx in np.array_split(order, n_workers)]
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            parts.extend(pool.map(strip_union, strips))
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(np.asarray(parts, dtype=object))


def _point_cells(points: np.ndarray, walk_m: float) -> tuple[BaseGeometry | None, np.ndarray]:
    """Return the union of the cells holding a point, and which points' buffers it contains.

    A cell's side is ``inradius / sqrt(2)`` (a hair less), the inradius being that of the
    buffer polygon (``walk_m * cos(pi / 64)``): every point of a cell is then closer to any
    point in it than the inradius, so the cell lies inside that point's buffer. A buffer lies
    inside its bounding box; when every cell meeting that box holds a point, the buffer lies
    inside the cells' union. Returns ``(None, all False)`` when no buffer is contained, or
    for fewer than ``PARALLEL_MIN`` points (a plain union is fast enough then).
    """
    none = np.zeros(len(points), dtype=bool)
    if len(points) < PARALLEL_MIN:
        return None, none
    xy = shapely.get_coordinates(points)
    side = walk_m * math.cos(math.pi / (4 * BUFFER_QUAD_SEGS)) * (1 - 1e-6) / math.sqrt(2)
    x0, y0 = xy.min(axis=0) - walk_m - side
    col = np.floor((xy[:, 0] - x0) / side).astype(np.int64)
    row = np.floor((xy[:, 1] - y0) / side).astype(np.int64)
    reach = int(math.ceil(walk_m / side)) + 2
    occupied = np.zeros((int(col.max()) + reach + 1, int(row.max()) + reach + 1), dtype=np.int64)
    occupied[col, row] = 1
    # A summed-area table counts the occupied cells of any rectangle of cells at once.
    table = np.zeros((occupied.shape[0] + 1, occupied.shape[1] + 1), dtype=np.int64)
    table[1:, 1:] = occupied.cumsum(axis=0).cumsum(axis=1)
    c_lo = np.floor((xy[:, 0] - walk_m - x0) / side).astype(np.int64)
    c_hi = np.floor((xy[:, 0] + walk_m - x0) / side).astype(np.int64)
    r_lo = np.floor((xy[:, 1] - walk_m - y0) / side).astype(np.int64)
    r_hi = np.floor((xy[:, 1] + walk_m - y0) / side).astype(np.int64)
    count = (
        table[c_hi + 1, r_hi + 1]
        - table[c_lo, r_hi + 1]
        - table[c_hi + 1, r_lo]
        + table[c_lo, r_lo]
    )
    inside = count == (c_hi - c_lo + 1) * (r_hi - r_lo + 1)
    if not inside.any():
        return None, none
    cols, rows = np.nonzero(occupied)
    # Neighbouring squares share their corners exactly (the same arithmetic on the same
    # integers), so they form a valid coverage and merge without an overlay.
    boxes = shapely.box(
        x0 + cols * side, y0 + rows * side, x0 + (cols + 1) * side, y0 + (rows + 1) * side
    )
    return shapely.coverage_union_all(boxes), inside


def catchments(
    points_metric: gpd.GeoSeries, walk_m: float, *, network: StreetNetwork | None = None
) -> gpd.GeoSeries:
    """Return each place's catchment within a walking distance.

    Without a network the catchment is a buffer of ``walk_m`` (straight line: it crosses the
    river wherever the place is near it). With one, it follows the streets
    (``StreetNetwork.catchments``).

    Parameters
    ----------
    points_metric
        Places (points; lines and polygons are buffered from their outline) in a projected
        CRS in metres; a missing or empty geometry gives an empty catchment.
    walk_m
        Walking distance in metres (300..3000).
    network
        Optional street network in the same CRS.

    Returns
    -------
    geopandas.GeoSeries
        One polygon per place, aligned to ``points_metric.index``, same CRS.

    Raises
    ------
    InputError
        If ``walk_m`` is out of range.
    CRSError
        If the series is not in a projected CRS in metres.
    """
    walk = check_walk(walk_m)
    require_projected(gpd.GeoDataFrame(geometry=points_metric), what="places")
    geoms = np.asarray(points_metric.values, dtype=object)
    if network is not None:
        result = np.asarray(network.catchments(geoms, walk), dtype=object)
    else:
        result = buffer_catchments(geoms, walk)
    empty = shapely.is_missing(result)
    result[empty] = GeometryCollection()
    return gpd.GeoSeries(result, index=points_metric.index, crs=points_metric.crs)


def places_metric(places: gpd.GeoDataFrame, crs: str) -> np.ndarray:
    """Return the places' present geometries projected to ``crs`` (missing and empty dropped)."""
    require_crs(places, what="places")
    geoms = places.geometry
    present = geoms.notna() & ~geoms.is_empty
    return np.asarray(geoms[present].to_crs(crs).values, dtype=object)


def compute_coverage(
    places: gpd.GeoDataFrame,
    partition: Partition,
    walk_m: float,
    *,
    population_grid: gpd.GeoDataFrame | None = None,
    network: StreetNetwork | None = None,
) -> Coverage:
    """Return the area and residents of each district within walking distance of a place.

    Each district's covered area is its effective polygon (overlaps already given to one
    district, so nothing is counted twice) intersected with the union of the catchments;
    residents within reach follow the spread (``geo.spread``): uniform over the district's
    area, ``population × covered_m2 / area_m2``, unless a population grid is given.

    Parameters
    ----------
    places
        The places to cover (the filtered ones), with a CRS (WGS 84 in the app); places
        without a position are left out, and so are places of another city when there is a
        ``city`` column (``Coverage.places`` counts the places used).
    partition
        The city's districts (``geo.districts.Partition``, metric CRS).
    walk_m
        Walking distance in metres (300..3000).
    population_grid
        Optional finer population layer (cells with ``population``).
    network
        Optional street network in the partition's CRS: catchments follow the streets.

    Returns
    -------
    Coverage
        The union, the per-district table and the totals.

    Raises
    ------
    InputError
        If ``walk_m`` is out of range, or the network is in another CRS than the partition.
    CRSError
        If the places have no CRS.
    """
    walk = check_walk(walk_m)
    if "city" in places.columns:
        places = places[places["city"] == partition.city]
    geoms = places_metric(places, partition.crs)
    fallback = 0
    if network is not None:
        network.require_crs(partition.crs)
        union, fallback = network.coverage_union(geoms, walk)
        method: Literal["buffer", "network"] = "network"
    else:
        union = union_of_buffers(geoms, walk)
        method = "buffer"
    if union is None or union.is_empty:
        union = GeometryCollection()
    spread = resident_spread(partition, population_grid)
    table = coverage_table(partition, union, spread)
    return Coverage(
        city=partition.city,
        walk_m=walk,
        method=method,
        spread=spread.kind,
        union=union,
        table=table,
        total=_totals(table, union),
        places=len(geoms),
        fallback_places=fallback,
        resident_spread=spread,
    )


def coverage_table(
    partition: Partition, union: BaseGeometry, spread: ResidentSpread
) -> pd.DataFrame:
    """Return the per-district coverage table of a covered area (see ``Coverage.table``)."""
    frame = partition.frame
    geoms = np.asarray(frame.geometry.values, dtype=object)
    area = shapely.area(geoms)
    if union.is_empty:
        covered = np.zeros(len(geoms))
    else:
        covered = shapely.area(shapely.intersection(geoms, union))
    if spread.kind == "uniform":
        # The uniform spread's pieces are the districts themselves: reuse their covered area.
        residents = np.where(np.isnan(spread.population), np.nan, spread.density * covered)
    else:
        residents = spread.residents_within(union)
    population = spread.population
    with np.errstate(invalid="ignore", divide="ignore"):
        area_share = np.where(area > 0, covered / area, 0.0)
        residents_share = np.where(population > 0, residents / population, np.nan)
    return pd.DataFrame(
        {
            "district": frame["district"].astype(str).to_numpy(),
            "area_m2": area,
            "covered_m2": covered,
            "area_share": np.clip(area_share, 0.0, 1.0),
            "population": population,
            "covered_residents": residents,
            "residents_share": np.clip(residents_share, 0.0, 1.0),
            "spread": list(spread.row_spread),
        },
        columns=list(TABLE_COLUMNS),
    )


def _totals(table: pd.DataFrame, union: BaseGeometry) -> dict[str, float]:
    area = float(table["area_m2"].sum())
    covered = float(table["covered_m2"].sum())
    known = table["population"].notna()
    population = float(table.loc[known, "population"].sum()) if known.any() else math.nan
    residents = float(table.loc[known, "covered_residents"].sum()) if known.any() else math.nan
    return {
        "area_m2": area,
        "covered_m2": covered,
        "area_share": min(covered / area, 1.0) if area > 0 else 0.0,
        "population": population,
        "covered_residents": residents,
        "residents_share": min(residents / population, 1.0) if population > 0 else math.nan,
        "outside_m2": max(float(union.area) - covered, 0.0) if not union.is_empty else 0.0,
    }
