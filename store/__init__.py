"""Data access behind one protocol: read a dataset by name, its version token, and write it.

``open_store(settings)`` returns the GeoPackage store (files in ``data/``, the default) or,
when ``settings.database_url`` is set, the PostGIS store. Dataset names form a closed set,
``store.datasets.NAMES``; an unknown name raises ``UnknownDataset``.
"""

from __future__ import annotations

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401

# isort: split

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

from settings import Settings
from store.datasets import DATASETS, NAMES, Dataset, dataset
from store.errors import StoreUnavailable, UnknownDataset

__all__ = [
    "DATASETS",
    "NAMES",
    "Dataset",
    "Store",
    "StoreUnavailable",
    "UnknownDataset",
    "dataset",
    "open_store",
]


@runtime_checkable
class Store(Protocol):
    """What every back end offers; the UI caches reads keyed on ``(name, version(name))``.

    Take the version before reading the data: a write in between then costs one extra read
    on the next rerun, never a stale cache entry. Every method refuses a name outside
    ``store.datasets.NAMES`` with ``UnknownDataset``; a missing dataset raises
    ``LayerLoadError`` (from ``read_layer`` / ``read_table``); a database that cannot be
    reached raises ``StoreUnavailable``. All three are ``geo.errors.InputError``.
    """

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """Return a layer as stored, with its CRS; the caller validates it (``check_layer``)."""
        ...

    def read_table(self, name: str) -> pd.DataFrame:
        """Return a table without geometry (``"targets"``) as stored."""
        ...

    def has(self, name: str) -> bool:
        """Return whether the dataset exists in this store."""
        ...

    def version(self, name: str) -> str:
        """Return a cheap token that changes whenever the data behind ``name`` changes."""
        ...

    def versions(self, names: Iterable[str]) -> dict[str, str]:
        """Return the tokens of several datasets (one round trip for PostGIS)."""
        ...

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """Replace a dataset atomically and change its version token."""
        ...

    def describe(self) -> str:
        """Return a short description for messages; it never contains a password."""
        ...


def open_store(settings: Settings) -> Store:
    """Return the store the settings choose: PostGIS if ``database_url`` is set, else files.

    Nothing connects to a database here; the first read does (and fails clearly).

    Parameters
    ----------
    settings
        The app's settings (``settings.load_settings()``).

    Returns
    -------
    Store
        A ``PostGISStore`` or a ``GeoPackageStore``.

    Raises
    ------
    StoreUnavailable
        If ``database_url`` is set but is not a usable database URL.
    """
    if settings.database_url:
        from store.postgis import PostGISStore  # noqa: PLC0415 (SQLAlchemy only when used)

        return PostGISStore(settings.database_url)
    from store.gpkg import GeoPackageStore  # noqa: PLC0415

    return GeoPackageStore(data_dir=settings.data_dir, context_dir=settings.context_dir)
