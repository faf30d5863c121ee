"""The closed table of datasets: each name, where the GeoPackage store keeps it, and its kind.

Names are never taken from a user: they double as PostGIS table names and file look-ups, so
every name used anywhere goes through ``dataset()``, which refuses one not in this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd

from geo.errors import LayerLoadError
from store.errors import UnknownDataset


@dataclass(frozen=True)
class Dataset:
    """One dataset of the store.

    Attributes
    ----------
    name
        The dataset's name: a lower-case snake_case identifier, also its PostGIS table name.
    folder
        ``"data"`` (``Settings.data_dir``) or ``"context"`` (``Settings.context_dir``).
    file
        The file inside that folder (GeoPackage or GeoJSON).
    layer
        The layer inside a GeoPackage; ``None`` for a GeoJSON file (one layer per file).
    spatial
        Whether it has a geometry column (a layer) or not (a table, read with ``read_table``).
    optional
        Whether the app works without it (``make data`` or a context folder provides it).
    """

    name: str
    folder: Literal["data", "context"]
    file: str
    layer: str | None
    spatial: bool = True
    optional: bool = True


DATASETS: tuple[Dataset, ...] = (
    Dataset("places", "data", "catalogue.gpkg", "places", optional=False),
    Dataset("targets", "data", "catalogue.gpkg", "targets", spatial=False, optional=False),
    Dataset("tour", "data", "catalogue.gpkg", "tour", spatial=False),
    Dataset("osm_venues", "data", "osm_venues.gpkg", "venues"),
    Dataset("gazetteer", "data", "gazetteer.gpkg", "entries"),
    Dataset("astana_banks", "context", "astana_banks.geojson", None),
    Dataset("astana_districts", "context", "astana_districts.geojson", None),
    Dataset("astana_city_outline", "context", "astana_city_outline.geojson", None),
    Dataset("esil_river", "context", "esil_river_ne10m.geojson", None),
    Dataset("geocoded_venues", "data", "geocoded_venues.gpkg", "geocoded"),
)
NAMES: tuple[str, ...] = tuple(d.name for d in DATASETS)
_BY_NAME = {d.name: d for d in DATASETS}


def dataset(name: str) -> Dataset:
    """Return the dataset with this name.

    Parameters
    ----------
    name
        One of ``NAMES``.

    Returns
    -------
    Dataset
        Its record.

    Raises
    ------
    UnknownDataset
        If the name is not in the table (it is never used as a path or an SQL identifier).
    """
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        msg = f"unknown dataset {name!r}; the store knows {list(NAMES)!r}"
        raise UnknownDataset(msg) from None


def check_frame(ds: Dataset, frame: pd.DataFrame) -> None:
    """Check that a frame fits a dataset before it is written.

    Parameters
    ----------
    ds
        The dataset.
    frame
        A GeoDataFrame with an EPSG CRS for a layer, a plain DataFrame for a table.

    Raises
    ------
    LayerLoadError
        If a layer's frame has no geometry or no EPSG CRS, or a table's frame has geometry.
    """
    if not ds.spatial:
        if isinstance(frame, gpd.GeoDataFrame):
            msg = f"dataset {ds.name!r} is a table: write a DataFrame without geometry"
            raise LayerLoadError(msg)
        return
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
        msg = (
            f"dataset {ds.name!r}: write a GeoDataFrame with a CRS, got a "
            f"{type(frame).__name__} with crs={getattr(frame, 'crs', None)!r}"
        )
        raise LayerLoadError(msg)
    if frame.crs.to_epsg() is None:
        msg = f"dataset {ds.name!r}: the CRS must have an EPSG code, got {frame.crs.name!r}"
        raise LayerLoadError(msg)
