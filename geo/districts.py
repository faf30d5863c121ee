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
from shapely.geometry.base import BaseGeometry

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
