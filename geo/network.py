"""Walking catchments along a street network (shortest paths with SciPy's Dijkstra).

A place is joined to the network at the nearest point of the nearest street (its distance to
that point is walked first), and from there in both directions along that street; from the
street's two ends, Dijkstra (``scipy.sparse.csgraph.dijkstra``) finds every crossing within the
walking distance. Every street reachable within it is kept, a street reached only partly is cut
where the remaining distance runs out, and the streets kept are buffered by ``STREET_MARGIN_M``
(50 m: the buildings and squares along a street are reachable from it) and unioned.

A place farther than ``SNAP_MAX_M`` (200 m) from every street is not on the network: its
catchment falls back to a straight-line buffer (``geo.coverage.buffer_catchments``), and the
number of such places is reported (``Coverage.fallback_places``).

Streets are walked in both directions whatever their direction for cars. The union of the
catchments of many places is computed in one multi-source Dijkstra (each node's distance to its
nearest place), which gives the same area as unioning each place's catchment.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import dijkstra  # type: ignore[import-untyped]
from shapely.geometry import GeometryCollection, LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geo.crs import require_projected
from geo.errors import InputError

STREET_MARGIN_M = 50.0
SNAP_MAX_M = 200.0
# A cut shorter than this (metres) is dropped: it would only add a dot to the catchment.
_MIN_PIECE_M = 0.01


class StreetNetwork:
    """A walking network: streets as edges between numbered crossings, in a metric CRS.

    Parameters
    ----------
    edges
        One row per street segment: ``u``, ``v`` (node ids, int), ``length_m`` (float,
        metres), geometry LineString drawn from ``u`` to ``v``; a projected CRS in metres.

    Raises
    ------
    InputError
        If a column is missing, a length is negative or a geometry is not a line.
    CRSError
        If the frame is not in a projected CRS in metres.
    """

    def __init__(self, edges: gpd.GeoDataFrame) -> None:
        require_projected(edges, what="street network")
        missing = [c for c in ("u", "v", "length_m") if c not in edges.columns]
        if missing:
            msg = f"street network needs columns u, v, length_m; missing {missing!r}"
            raise InputError(msg)
        geoms = np.asarray(edges.geometry.values, dtype=object)
        kinds = set(shapely.get_type_id(geoms).tolist())
        if not kinds <= {1}:  # 1 = LineString
            msg = "street network geometries must all be LineStrings (one per edge)"
            raise InputError(msg)
        lengths = edges["length_m"].to_numpy(dtype=float)
        if (lengths < 0).any() or not np.isfinite(lengths).all():
            msg = "street network length_m must be finite and >= 0 metres"
            raise InputError(msg)
        node_ids, inverse = np.unique(
            np.concatenate([edges["u"].to_numpy(), edges["v"].to_numpy()]), return_inverse=True
        )
        n_edges = len(edges)
        self.crs = CRS.from_user_input(edges.crs)
        self.node_ids = node_ids
        self.u = inverse[:n_edges]
        self.v = inverse[n_edges:]
        self.length_m = lengths
        self.geometry = geoms
        self._geom_length = shapely.length(geoms)
        self._tree = shapely.STRtree(geoms)
        # Both directions: a pedestrian walks a one-way street either way. A zero-length edge
        # would vanish from a sparse matrix, so it gets a tiny weight.
        self._n_nodes = len(node_ids)
        self._rows = np.concatenate([self.u, self.v])
        self._cols = np.concatenate([self.v, self.u])
        self._vals = np.maximum(np.concatenate([lengths, lengths]), 1e-9)

    def require_crs(self, crs: str) -> None:
        """Raise unless the network is in ``crs``.

        Raises
        ------
        InputError
            If the CRS differs.
        """
        if not self.crs.equals(CRS.from_user_input(crs)):
            msg = (
                f"street network is in {self.crs.to_string()!r}, the districts in {crs!r}; "
                "project the network to the city's metric CRS"
            )
            raise InputError(msg)

    def _snap(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return each point's nearest edge, its distance to it and its position along it.

        The edge is -1 when the point is farther than ``SNAP_MAX_M`` from every street; the
        position is in metres of ``length_m`` from the edge's ``u`` end.
        """
        n = len(geoms)
        edge = np.full(n, -1, dtype=int)
        dist = np.full(n, np.inf)
        along = np.zeros(n)
        if n == 0 or len(self.geometry) == 0:
            return edge, dist, along
        idx, dists = self._tree.query_nearest(
            geoms, max_distance=SNAP_MAX_M, return_distance=True, all_matches=False
        )
        src, tgt = idx
        edge[src] = tgt
        dist[src] = dists
        lines = self.geometry[tgt]
        frac = shapely.line_locate_point(lines, geoms[src], normalized=True)
        along[src] = frac * self.length_m[tgt]
        return edge, dist, along

    def _node_distances(
        self, edge: np.ndarray, dist: np.ndarray, along: np.ndarray, walk_m: float
    ) -> np.ndarray:
        """Return each node's walking distance to the nearest of the snapped places."""
        on = np.flatnonzero(edge >= 0)
        k = len(on)
        source = self._n_nodes  # one extra node linking every place to its street's two ends
        e = edge[on]
        rows = np.concatenate([self._rows, np.full(2 * k, source)])
        cols = np.concatenate([self._cols, self.u[e], self.v[e]])
        to_u = dist[on] + along[on]
        to_v = dist[on] + (self.length_m[e] - along[on])
        vals = np.concatenate([self._vals, np.maximum(to_u, 1e-9), np.maximum(to_v, 1e-9)])
        size = self._n_nodes + 1
        # Parallel edges (and two places on one street) repeat a (row, col) pair, which
        # csr_matrix would sum: keep the shortest instead.
        graph = _min_duplicates(rows, cols, vals, size)
        result = dijkstra(graph, directed=True, indices=source, limit=walk_m)
        return np.asarray(result[: self._n_nodes], dtype=float)

    def _reachable_lines(
        self,
        node_dist: np.ndarray,
        edge: np.ndarray,
        dist: np.ndarray,
        along: np.ndarray,
        walk_m: float,
    ) -> list[BaseGeometry]:
        """Return every street part within ``walk_m``: whole edges and cut pieces."""
        left_from_u = walk_m - node_dist[self.u]  # metres walkable past u along the edge
        left_from_v = walk_m - node_dist[self.v]
        lengths = self.length_m
        whole = (np.maximum(left_from_u, 0) + np.maximum(left_from_v, 0)) >= lengths
        whole &= (left_from_u >= 0) | (left_from_v >= 0)
        lines: list[BaseGeometry] = list(self.geometry[whole])
        intervals: dict[int, list[tuple[float, float]]] = {}
        for e in np.flatnonzero(~whole & (left_from_u > 0)).tolist():
            intervals.setdefault(e, []).append((0.0, float(left_from_u[e])))
        for e in np.flatnonzero(~whole & (left_from_v > 0)).tolist():
            intervals.setdefault(e, []).append(
                (float(lengths[e] - left_from_v[e]), float(lengths[e]))
            )
        # The street a place stands on is walked from the place itself in both directions.
        for j in np.flatnonzero(edge >= 0).tolist():
            e = int(edge[j])
            if whole[e]:
                continue
            left = walk_m - float(dist[j])
            intervals.setdefault(e, []).append((float(along[j]) - left, float(along[j]) + left))
        for e, spans in intervals.items():
            lines.extend(self._cut(e, spans))
        return lines

    def _cut(self, i: int, spans: Sequence[tuple[float, float]]) -> list[BaseGeometry]:
        """Return the parts of edge ``i`` in the spans (metres of ``length_m``), merged."""
        length = float(self.length_m[i])
        scale = float(self._geom_length[i]) / length if length > 0 else 0.0
        merged: list[list[float]] = []
        for lo, hi in sorted((max(a, 0.0), min(b, length)) for a, b in spans):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        line = self.geometry[i]
        out: list[BaseGeometry] = []
        for lo, hi in merged:
            if hi - lo < _MIN_PIECE_M:
                continue
            out.append(substring(line, lo * scale, hi * scale))
        return out

    def _catchment_on(
        self, edge: np.ndarray, dist: np.ndarray, along: np.ndarray, walk_m: float
    ) -> BaseGeometry:
        node_dist = self._node_distances(edge, dist, along, walk_m)
        lines = self._reachable_lines(node_dist, edge, dist, along, walk_m)
        if not lines:
            return GeometryCollection()
        from geo.coverage import union_of_buffers  # noqa: PLC0415 - coverage imports us

        # Each street buffered on its own (64-sided round ends, as a place's buffer) and the
        # buffers unioned in parallel strips: the same area as buffering the streets' union, to
        # within the round ends' polygons, and several times faster for thousands of streets
        # (8.9 s -> 1.9 s for 1,000 places on a grid of 19,800 streets: GEOS nodes every
        # offset curve of a multi-line buffer together).
        return union_of_buffers(np.asarray(lines, dtype=object), STREET_MARGIN_M)

    def catchments(self, geoms: np.ndarray, walk_m: float) -> list[BaseGeometry]:
        """Return each place's catchment along the streets (a buffer when off the network).

        Parameters
        ----------
        geoms
            Points in the network's CRS (a line or polygon is joined by its centroid);
            ``None`` gives an empty catchment.
        walk_m
            Walking distance in metres.

        Returns
        -------
        list of shapely geometries
            One polygon per place.
        """
        from geo.coverage import buffer_catchments  # noqa: PLC0415 - coverage imports us

        out: list[BaseGeometry] = []
        for geom in geoms:
            if geom is None or geom.is_empty:
                out.append(GeometryCollection())
                continue
            point = np.array([_anchor(geom)], dtype=object)
            edge, dist, along = self._snap(point)
            if edge[0] < 0:
                out.append(buffer_catchments(np.array([geom], dtype=object), walk_m)[0])
                continue
            out.append(self._catchment_on(edge, dist, along, walk_m))
        return out

    def coverage_union(self, geoms: np.ndarray, walk_m: float) -> tuple[BaseGeometry, int]:
        """Return the union of the places' catchments and how many fell back to a buffer.

        One multi-source Dijkstra gives each crossing's distance to its nearest place, which
        decides reachability exactly as the union of each place's own catchment would.

        Parameters
        ----------
        geoms
            Places in the network's CRS.
        walk_m
            Walking distance in metres.

        Returns
        -------
        tuple
            (union in the network's CRS, number of places farther than ``SNAP_MAX_M`` from
            every street).
        """
        from geo.coverage import buffer_catchments  # noqa: PLC0415 - coverage imports us

        present = np.asarray([g for g in geoms if g is not None and not g.is_empty], dtype=object)
        if len(present) == 0:
            return GeometryCollection(), 0
        anchors = np.asarray([_anchor(g) for g in present], dtype=object)
        edge, dist, along = self._snap(anchors)
        off = edge < 0
        parts: list[BaseGeometry] = []
        if (~off).any():
            parts.append(self._catchment_on(edge, dist, along, walk_m))
        if off.any():
            parts.extend(buffer_catchments(present[off], walk_m))
        return shapely.union_all(np.asarray(parts, dtype=object)), int(off.sum())


def _anchor(geom: BaseGeometry) -> Point:
    return geom if isinstance(geom, Point) else geom.centroid


def _min_duplicates(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, size: int) -> csr_matrix:
    """Return a sparse matrix keeping the smallest value of each repeated (row, col)."""
    order = np.lexsort((vals, cols, rows))
    r, c, w = rows[order], cols[order], vals[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return csr_matrix((w[first], (r[first], c[first])), shape=(size, size))


def edges_from_lines(lines: Sequence[LineString], *, crs: str) -> gpd.GeoDataFrame:
    """Return a network's edge frame from lines whose shared end points are its crossings.

    Parameters
    ----------
    lines
        Street segments in a metric CRS; two segments meet where an end point is the same.
    crs
        Their CRS.

    Returns
    -------
    geopandas.GeoDataFrame
        ``u``, ``v``, ``length_m`` (the line's length), geometry.
    """
    ids: dict[tuple[float, float], int] = {}
    us, vs = [], []
    for line in lines:
        a, b = line.coords[0], line.coords[-1]
        us.append(ids.setdefault((a[0], a[1]), len(ids)))
        vs.append(ids.setdefault((b[0], b[1]), len(ids)))
    return gpd.GeoDataFrame(
        {"u": us, "v": vs, "length_m": [line.length for line in lines]},
        geometry=list(lines),
        crs=crs,
    )
