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
from layers.registry import LAYERS
from layers.spec import LayerSpec
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
        The file inside that folder (GeoPackage, GeoJSON, or CSV for a context table): the
        first choice, and the one ``write`` replaces.
    layer
        The layer inside a GeoPackage; a GeoJSON or CSV file has one (``None`` is read).
    spatial
        Whether it has a geometry column (a layer) or not (a table, read with ``read_table``).
    optional
        Whether the app works without it (``make data`` or a context folder provides it).
    fallbacks
        Further candidate files in the same folder, tried in order when ``file`` is absent:
        the first present is the dataset (a user's or a development file beside ours).
    """

    name: str
    folder: Literal["data", "context"]
    file: str
    layer: str | None
    spatial: bool = True
    optional: bool = True
    fallbacks: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        """Return the candidate files, first choice first."""
        return (self.file, *self.fallbacks)

    def layer_in(self, file_name: str) -> str | None:
        """Return the layer to read in a candidate file (``None``: the file's only layer).

        Parameters
        ----------
        file_name
            One of ``files``.

        Returns
        -------
        str or None
            ``layer`` for a GeoPackage, ``None`` for GeoJSON or CSV.
        """
        return self.layer if file_name.endswith(".gpkg") else None


def _context_layer(spec: LayerSpec) -> Dataset:
    """Return the dataset of a context layer of the registry: its candidate files are the spec's."""
    return Dataset(spec.id, "context", spec.path, spec.layer, fallbacks=spec.fallback_paths)


DATASETS: tuple[Dataset, ...] = (
    Dataset("places", "data", "catalogue.gpkg", "places", optional=False),
    Dataset("targets", "data", "catalogue.gpkg", "targets", spatial=False, optional=False),
    Dataset("tour", "data", "catalogue.gpkg", "tour", spatial=False),
    Dataset("osm_venues", "data", "osm_venues.gpkg", "venues"),
    Dataset("gazetteer", "data", "gazetteer.gpkg", "entries"),
    # The registry's context layers (astana_banks, astana_districts, almaty_districts,
    # city_outlines, esil_river): candidate files declared once, in layers/registry.py.
    *(_context_layer(spec) for spec in LAYERS if spec.folder == "context"),
    Dataset("geocoded_venues", "data", "geocoded_venues.gpkg", "geocoded"),
    # Context tables and layers the analysis reads (not drawn as map layers).
    Dataset("district_population", "context", "district_population.csv", None, spatial=False),
    Dataset("population_grid", "context", "population_grid.gpkg", "grid"),
    Dataset("astana_streets", "context", "astana_streets.gpkg", "edges"),
    Dataset("almaty_streets", "context", "almaty_streets.gpkg", "edges"),
)
# How a CSV table is read: every column as text except these (explicit dtypes, no guessing).
CSV_DTYPES: dict[str, dict[str, str]] = {"district_population": {"population": "int64"}}
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
