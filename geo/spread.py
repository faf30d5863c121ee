"""How residents are spread inside a district: uniformly over its area, or by a population grid.

Both spreads are the same computation on different *pieces*: a piece is a polygon inside one
district with a density (residents per square metre), and the residents within any area ``G``
are the sum over pieces of ``density × area(piece ∩ G)``.

- ``uniform``: one piece per district, the district's effective polygon, with density
  ``population / area``. So residents within ``G`` = population × area(G ∩ district) / area.
- ``grid``: the grid's cells clipped to each district; a cell's residents are spread uniformly
  over the cell, and each district's pieces are scaled so that they sum to the district's
  population from the partition (the grid says *where* inside the district people live, the
  population table *how many* live there). A district of unknown population takes the grid's
  own count. A district the grid gives no residents falls back to the uniform spread; the
  ``spread`` of its row says so.

A grid lists the cells where people live: **a place the grid has no cell for has no residents**
(an absent cell is an empty cell, not an unknown one). So inside a district the grid reaches,
all of the district's residents are put in the cells it has, however few. A grid with no cell
at all in a district (or in the whole city, e.g. a grid of the other city) says nothing about
it: that district (or every district) is spread uniformly and reported ``"uniform"``, never
``"grid"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.districts import Partition
from geo.errors import InputError

SpreadKind = Literal["uniform", "grid"]


@dataclass(frozen=True)
class ResidentSpread:
    """Pieces of a partition's districts, each with a density of residents.

    Attributes
    ----------
    kind
        ``"grid"`` when the grid spread at least one district (even if others fell back),
        else ``"uniform"`` (no grid, or a grid with no residents in any district).
    pieces
        Polygons in the partition's CRS.
    district_index
        For each piece, the row number of its district in ``partition.frame``.
    density
        Residents per square metre of each piece (NaN when the district's population is
        unknown).
    population
        Residents per district (partition order), NaN when unknown.
    row_spread
        ``"uniform"`` or ``"grid"`` per district (partition order).
    """

    kind: SpreadKind
    pieces: np.ndarray
    district_index: np.ndarray
    density: np.ndarray
    population: np.ndarray
    row_spread: tuple[str, ...]

    def residents_within(self, area: BaseGeometry) -> np.ndarray:
        """Return the residents within an area, per district (partition order).

        Parameters
        ----------
        area
            A polygonal geometry in the partition's CRS.

        Returns
        -------
        numpy.ndarray
            One float per district; NaN where the population is unknown.
        """
        n = len(self.population)
        out = np.zeros(n, dtype=float)
        if area.is_empty or len(self.pieces) == 0:
            return np.where(np.isnan(self.population), np.nan, out)
        # Only the pieces whose envelope meets the area are intersected.
        tree = shapely.STRtree(self.pieces)
        hits = tree.query(area, predicate="intersects")
        if len(hits):
            inside = shapely.area(shapely.intersection(self.pieces[hits], area))
            np.add.at(out, self.district_index[hits], self.density[hits] * inside)
        return np.where(np.isnan(self.population), np.nan, out)


def resident_spread(
    partition: Partition, population_grid: gpd.GeoDataFrame | None = None
) -> ResidentSpread:
    """Return how residents are spread inside each district of a partition.

    Parameters
    ----------
    partition
        Districts with their effective polygons, areas and populations (metric CRS).
    population_grid
        Optional finer population: polygons (cells) with a ``population`` column, any CRS;
        a ``city`` column, when present, keeps only the partition's city. Where the grid has
        no cell there are no residents; a district without any cell with residents (or a city
        without any) is spread uniformly and reported ``"uniform"``.

    Returns
    -------
    ResidentSpread
        The pieces with their densities.

    Raises
    ------
    InputError
        If the grid has no ``population`` column or no CRS.
    """
    frame = partition.frame
    geoms = np.asarray(frame.geometry.values, dtype=object)
    areas = shapely.area(geoms)
    population = pd.to_numeric(frame["population"], errors="coerce").to_numpy(dtype=float)
    uniform_density = np.divide(population, areas, out=np.full(len(areas), np.nan), where=areas > 0)
    if population_grid is None:
        return ResidentSpread(
            kind="uniform",
            pieces=geoms,
            district_index=np.arange(len(geoms)),
            density=uniform_density,
            population=population,
            row_spread=("uniform",) * len(geoms),
        )
    cells, cell_pop = _grid_cells(population_grid, partition)
    tree = shapely.STRtree(cells)
    pieces: list[np.ndarray] = []
    index: list[np.ndarray] = []
    density: list[np.ndarray] = []
    row_spread: list[str] = []
    population_out = population.copy()
    for i, district in enumerate(geoms):
        hits = tree.query(district, predicate="intersects")
        clipped = shapely.intersection(cells[hits], district)
        cell_density = cell_pop[hits] / shapely.area(cells[hits])
        in_grid = float(np.sum(cell_density * shapely.area(clipped)))
        if in_grid <= 0:
            pieces.append(geoms[i : i + 1])
            index.append(np.array([i]))
            density.append(uniform_density[i : i + 1])
            row_spread.append("uniform")
            continue
        if np.isnan(population[i]):
            population_out[i] = in_grid
        scale = population_out[i] / in_grid
        pieces.append(clipped)
        index.append(np.full(len(clipped), i))
        density.append(cell_density * scale)
        row_spread.append("grid")
    return ResidentSpread(
        kind="grid" if "grid" in row_spread else "uniform",
        pieces=np.concatenate(pieces) if pieces else np.array([], dtype=object),
        district_index=np.concatenate(index) if index else np.array([], dtype=int),
        density=np.concatenate(density) if density else np.array([], dtype=float),
        population=population_out,
        row_spread=tuple(row_spread),
    )


def _grid_cells(
    population_grid: gpd.GeoDataFrame, partition: Partition
) -> tuple[np.ndarray, np.ndarray]:
    if "population" not in population_grid.columns:
        msg = (
            "population_grid must have a 'population' column, got columns "
            f"{list(population_grid.columns)!r}"
        )
        raise InputError(msg)
    if population_grid.crs is None:
        msg = "population_grid has no coordinate reference system; set one (e.g. EPSG:4326)"
        raise InputError(msg)
    grid = population_grid
    if "city" in grid.columns:
        grid = grid[grid["city"] == partition.city]
    grid = grid.to_crs(partition.crs)
    pop = pd.to_numeric(grid["population"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    cells = np.asarray(grid.geometry.values, dtype=object)
    keep = (pop > 0) & ~shapely.is_missing(cells) & (shapely.area(cells) > 0)
    return cells[keep], pop[keep]
