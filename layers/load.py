"""Checks of layer and table frames as read from a store (spec -> validated frame in WGS 84)."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from geo.cities import CITY_IDS
from geo.crs import to_working
from geo.district_ids import normalise_population
from geo.errors import InputError, LayerLoadError
from geo.landmarks import validate_gazetteer
from geo.schema import MAX_VERTICES
from geo.validate import validate_targets
from layers.safe_files import check_file, without_folders
from layers.spec import LayerSpec


def resolve_path(spec: LayerSpec, *, data_dir: Path, context_dir: Path) -> Path:
    """Return the file a layer is read from: the first of its candidate files that is present.

    Parameters
    ----------
    spec
        The layer.
    data_dir
        The project's ``data/`` folder.
    context_dir
        The folder of optional context layers.

    Returns
    -------
    pathlib.Path
        The first present of ``spec.paths`` in ``data_dir`` or ``context_dir``; the first
        candidate when none is present (reading it then says it is missing).
    """
    folder = context_dir if spec.folder == "context" else data_dir
    for name in spec.paths:
        if (folder / name).is_file():
            return folder / name
    return folder / spec.path


def _read(path: Path, *, layer: str | None, what: str) -> gpd.GeoDataFrame:
    if not path.is_file():
        msg = f"{what}: file {path.name!r} not found; check the path or restore the file from git"
        raise LayerLoadError(msg)
    check_file(path)
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except (DataSourceError, DataLayerError) as err:
        msg = (
            f"{what}: could not read {path.name!r} ({without_folders(err, path)}); "
            "is it a GeoPackage or GeoJSON file?"
        )
        raise LayerLoadError(msg) from err


def _check_geometry_types(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> None:
    allowed = set(spec.geometry_types) | {f"Multi{t}" for t in spec.geometry_types}
    present = gdf.geometry.dropna()
    types = set(present[~present.is_empty].geom_type)
    wrong = sorted(types - allowed)
    if wrong:
        msg = (
            f"layer {spec.id!r}: geometry types {wrong!r} are not allowed; the layer expects "
            f"{sorted(allowed)!r}. Fix the file or the layer's spec"
        )
        raise LayerLoadError(msg)


def _check_vertex_counts(frame: gpd.GeoDataFrame, spec: LayerSpec) -> None:
    """Refuse geometries past ``MAX_VERTICES`` before anything costly is done with them."""
    vertices = shapely.get_num_coordinates(np.asarray(frame.geometry.values, dtype=object))
    over = np.flatnonzero(vertices > MAX_VERTICES)
    if over.size:
        rows = frame.iloc[over]
        ids = [str(i)[:40] for i in rows["id"]] if "id" in frame.columns else over.tolist()
        msg = (
            f"layer {spec.id!r}: records {ids[:10]!r} have geometries of up to "
            f"{int(vertices.max()):,} vertices, more than the limit of {MAX_VERTICES:,}; "
            "simplify them"
        )
        raise LayerLoadError(msg)


def _skip_unusable_rows(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    invalid = ~missing & ~gdf.geometry.is_valid
    skip = invalid if spec.allow_missing_geometry else (missing | invalid)
    if spec.allow_missing_geometry and invalid.any():
        ids = list(gdf.loc[invalid, "id"]) if "id" in gdf.columns else list(gdf.index[invalid])
        msg = f"layer {spec.id!r}: invalid geometries in records {ids[:10]!r}; repair them"
        raise LayerLoadError(msg)
    if skip.any():
        warnings.warn(
            f"layer {spec.id!r}: skipped {int((skip & missing).sum())} rows with empty geometry "
            f"and {int((skip & invalid).sum())} with invalid geometry",
            stacklevel=3,
        )
        gdf = gdf.loc[~skip].copy()
    return gdf


def check_layer(spec: LayerSpec, frame: gpd.GeoDataFrame, *, what: str) -> gpd.GeoDataFrame:
    """Check and validate one layer's frame as read from a store, returning it in EPSG:4326.

    Parameters
    ----------
    spec
        The layer's record in the registry.
    frame
        The layer as stored (any CRS, but it must have one).
    what
        Where the frame came from, for messages: a file name or a database table.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in EPSG:4326 with only usable rows and a fresh index.

    Raises
    ------
    LayerLoadError
        If the frame lacks required columns, has geometries of the wrong type, or fails the
        layer's normaliser or validator.
    CRSError
        If the frame has no CRS.

    Warns
    -----
    UserWarning
        When rows with empty or invalid geometry are skipped (says how many).
    """
    label = f"layer {spec.id!r}"
    missing_cols = [c for c in spec.required_columns if c not in frame.columns]
    if missing_cols:
        msg = f"{label}: missing columns {missing_cols!r} in {what}; it has {list(frame.columns)!r}"
        raise LayerLoadError(msg)
    _check_vertex_counts(frame, spec)
    gdf = to_working(frame, what=f"{label} ({what})")
    if spec.normaliser is not None:
        try:
            gdf = spec.normaliser(gdf)
        except LayerLoadError:
            raise
        except InputError as err:
            msg = f"{label} ({what}): {err}"
            raise LayerLoadError(msg) from err
    _check_geometry_types(gdf, spec)
    gdf = _skip_unusable_rows(gdf, spec)
    if spec.validator is not None:
        gdf = spec.validator(gdf)
    return gdf.reset_index(drop=True)


def check_targets(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate the table of programme targets as read from a store.

    Parameters
    ----------
    frame
        The table (a geometry column, if any, is dropped).

    Returns
    -------
    pandas.DataFrame
        The validated targets, a plain DataFrame.

    Raises
    ------
    InputError
        If a column is missing or a record fails validation (the message names the record).
    """
    table = pd.DataFrame(frame)
    if "geometry" in table.columns:
        table = table.drop(columns="geometry")
    return validate_targets(table)


def check_gazetteer(frame: gpd.GeoDataFrame, *, what: str = "gazetteer") -> gpd.GeoDataFrame:
    """Validate the search gazetteer as read from a store, returning it in EPSG:4326.

    Parameters
    ----------
    frame
        The gazetteer's entries as stored.
    what
        Where the frame came from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        The entries in EPSG:4326.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    InputError
        If it fails validation.
    """
    return validate_gazetteer(to_working(frame, what=f"gazetteer ({what})"))


def load_layer(spec: LayerSpec, *, path: Path) -> gpd.GeoDataFrame:
    """Read one layer's file and check it with ``check_layer``.

    Parameters
    ----------
    spec
        The layer's record in the registry.
    path
        The file to read (see ``resolve_path``).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in EPSG:4326, with only usable rows.

    Raises
    ------
    LayerLoadError
        If the file is missing or unreadable, or the layer fails ``check_layer``.
    CRSError
        If the file has no CRS.
    """
    what = f"layer {spec.id!r}"
    gdf = _read(path, layer=spec.layer_of(path.name), what=what)
    return check_layer(spec, gdf, what=path.name)


def load_targets(path: Path, *, layer: str = "targets") -> pd.DataFrame:
    """Read and validate the table of programme targets (no geometry).

    Parameters
    ----------
    path
        The catalogue GeoPackage.
    layer
        The table's name inside it.

    Returns
    -------
    pandas.DataFrame
        The validated targets.

    Raises
    ------
    LayerLoadError
        If the file or table is missing or unreadable.
    InputError
        If a record fails validation.
    """
    if not path.is_file():
        msg = f"targets: file {path.name!r} not found; restore data/catalogue.gpkg from git"
        raise LayerLoadError(msg)
    check_file(path)
    try:
        table = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    except (DataSourceError, DataLayerError) as err:
        msg = (
            f"targets: could not read table {layer!r} from {path.name!r} "
            f"({without_folders(err, path)})"
        )
        raise LayerLoadError(msg) from err
    return check_targets(pd.DataFrame(table))


GAZETTEER_FILE = "gazetteer.gpkg"  # in data/, written by `make data` (sources/osm.py)
GAZETTEER_LAYER = "entries"


def load_gazetteer(path: Path, *, layer: str = GAZETTEER_LAYER) -> gpd.GeoDataFrame:
    """Read and validate the search gazetteer of OSM landmarks and streets (``make data``).

    Parameters
    ----------
    path
        ``data/gazetteer.gpkg``.
    layer
        The layer's name inside it.

    Returns
    -------
    geopandas.GeoDataFrame
        The entries in EPSG:4326.

    Raises
    ------
    LayerLoadError
        If the file is missing or unreadable.
    InputError
        If it fails validation.
    """
    return check_gazetteer(_read(path, layer=layer, what="gazetteer"), what=path.name)


def check_population(frame: pd.DataFrame, *, what: str = "district_population") -> pd.DataFrame:
    """Validate and normalise the table of population by district as read from a store.

    Parameters
    ----------
    frame
        The table as stored (``geo.district_ids.normalise_population`` says what it needs).
    what
        Where it came from, for messages.

    Returns
    -------
    pandas.DataFrame
        ``city``, ``district`` (canonical id, ``"__total__"`` for a city's total),
        ``population`` (int), ``reference_date``, ``source``, ``confidence``.

    Raises
    ------
    LayerLoadError
        If a column is missing or a row is invalid (the message names the row).
    """
    try:
        return normalise_population(pd.DataFrame(frame).drop(columns="geometry", errors="ignore"))
    except LayerLoadError:
        raise
    except InputError as err:
        msg = f"{what}: {err}"
        raise LayerLoadError(msg) from err


def _require(frame: pd.DataFrame, columns: tuple[str, ...], *, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what}: missing columns {missing!r}; it has {list(frame.columns)!r}"
        raise LayerLoadError(msg)


def _geometry_types(gdf: gpd.GeoDataFrame, allowed: set[str], *, what: str) -> None:
    present = gdf.geometry.dropna()
    wrong = sorted(set(present[~present.is_empty].geom_type) - allowed)
    if wrong:
        msg = f"{what}: geometry types {wrong!r} are not allowed; expected {sorted(allowed)!r}"
        raise LayerLoadError(msg)


def check_population_grid(
    frame: gpd.GeoDataFrame, *, what: str = "population_grid"
) -> gpd.GeoDataFrame:
    """Validate a finer population layer (cells with residents), returning it in EPSG:4326.

    Parameters
    ----------
    frame
        The layer as stored: ``city``, ``population`` and polygon cells, with a CRS.
    what
        Where it came from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``city``, ``population`` (float) and ``geometry``, rows without a cell dropped.

    Raises
    ------
    LayerLoadError
        If a column is missing, a city is unknown, a population is negative or not a number,
        or a cell is not a valid polygon.
    CRSError
        If the layer has no CRS.
    """
    _require(frame, ("city", "population"), what=what)
    gdf = to_working(frame, what=what)
    _geometry_types(gdf, {"Polygon", "MultiPolygon"}, what=what)
    population = pd.to_numeric(gdf["population"], errors="coerce").astype("float64")
    bad = population.isna() | (population < 0) | ~gdf["city"].isin(CITY_IDS)
    bad |= gdf.geometry.isna() | gdf.geometry.is_empty | ~gdf.geometry.is_valid
    if bad.any():
        rows = [int(i) for i in np.flatnonzero(bad.to_numpy())[:10]]
        msg = (
            f"{what}: rows {rows!r} need a city of {list(CITY_IDS)!r}, a population >= 0 and a "
            "valid polygon"
        )
        raise LayerLoadError(msg)
    out = gpd.GeoDataFrame(
        {"city": gdf["city"], "population": population},
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return out.reset_index(drop=True)


def check_streets(frame: gpd.GeoDataFrame, *, what: str = "streets") -> gpd.GeoDataFrame:
    """Validate a walking network's edges, returning them in EPSG:4326.

    Parameters
    ----------
    frame
        The edges as stored: ``u``, ``v`` (node ids), ``length_m`` (metres) and lines.
    what
        Where it came from, for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        ``u``, ``v`` (int64), ``length_m`` (float) and ``geometry`` (LineString).

    Raises
    ------
    LayerLoadError
        If a column is missing, a node id is not a whole number, a length is negative or not
        a number, or a geometry is not a line.
    CRSError
        If the layer has no CRS.
    """
    _require(frame, ("u", "v", "length_m"), what=what)
    gdf = to_working(frame, what=what)
    _geometry_types(gdf, {"LineString"}, what=what)
    nodes = {c: pd.to_numeric(gdf[c], errors="coerce") for c in ("u", "v")}
    length = pd.to_numeric(gdf["length_m"], errors="coerce").astype("float64")
    bad = length.isna() | (length < 0) | gdf.geometry.isna() | gdf.geometry.is_empty
    for values in nodes.values():
        bad |= values.isna() | (values != values.round())
    if bad.any():
        rows = [int(i) for i in np.flatnonzero(bad.to_numpy())[:10]]
        msg = f"{what}: rows {rows!r} need whole node ids u and v, a length_m >= 0 and a line"
        raise LayerLoadError(msg)
    out = gpd.GeoDataFrame(
        {
            "u": nodes["u"].astype("int64"),
            "v": nodes["v"].astype("int64"),
            "length_m": length,
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return out.reset_index(drop=True)
