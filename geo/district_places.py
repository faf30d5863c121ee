"""Each place's district from the city's district layer, beside the catalogue's stated one."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.districts import Partition, assign_districts, is_placed
from geo.errors import InputError

STATED = "district_stated"


def effective_districts(
    places: gpd.GeoDataFrame, partitions: Mapping[str, Partition]
) -> gpd.GeoDataFrame:
    """Return the places with each one's effective district, the catalogue's value kept apart.

    For a placed place of a city that has a partition, ``district`` becomes the district the
    layer puts it in (``None`` outside every district); every other place keeps the
    catalogue's value. The catalogue's value is kept in ``district_stated`` for every place.

    Parameters
    ----------
    places
        Places with ``city``, ``district`` and a geometry, with a CRS.
    partitions
        City id to its partition (``geo.districts.build_partition``); a city without one is
        left as the catalogue says.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame: the same rows, ``district`` effective (object dtype) and
        ``district_stated``.

    Raises
    ------
    InputError
        If a column is missing.
    CRSError
        If the places have no CRS while a partition applies.
    """
    lacking = [c for c in ("city", "district") if c not in places.columns]
    if lacking:
        msg = f"places lack column(s) {lacking!r}, got {list(places.columns)!r}"
        raise InputError(msg)
    out = places.copy()
    stated = places["district"].astype(object).where(places["district"].notna(), None)
    out[STATED] = stated
    district = stated.to_numpy(dtype=object).copy()
    placed = is_placed(places).to_numpy()
    for city, partition in partitions.items():
        rows = placed & places["city"].astype(str).eq(city).to_numpy()
        if rows.any():
            district[rows] = assign_districts(places[rows], partition).to_numpy(dtype=object)
    out["district"] = pd.Series(district, index=places.index, dtype=object)
    return out


def district_disagreements(places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the places whose stated district is not the one the layer puts them in.

    Parameters
    ----------
    places
        The frame ``effective_districts`` returns (``id``, ``city``, ``district``,
        ``district_stated``).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``city``, ``stated``, ``by_layer`` (``None`` when the place is outside every
        district of its city's layer), one row per place with a stated district that differs.

    Raises
    ------
    InputError
        If a column is missing.
    """
    lacking = [c for c in ("id", "city", "district", STATED) if c not in places.columns]
    if lacking:
        msg = f"places lack column(s) {lacking!r}, got {list(places.columns)!r}"
        raise InputError(msg)
    stated = places[STATED].astype(object)
    layer = places["district"].astype(object)
    has_stated = stated.notna().to_numpy()
    differs = has_stated & (
        layer.isna().to_numpy() | (stated.astype(str).to_numpy() != layer.astype(str).to_numpy())
    )
    rows = np.flatnonzero(differs)
    return pd.DataFrame(
        {
            "id": places["id"].astype(str).to_numpy()[rows],
            "city": places["city"].astype(str).to_numpy()[rows],
            "stated": pd.Series(stated.to_numpy()[rows], dtype=object),
            "by_layer": pd.Series(
                layer.where(layer.notna(), None).to_numpy(dtype=object)[rows], dtype=object
            ),
        }
    )
