"""``make db-load``: copy every dataset of the GeoPackage store into PostGIS, validated first.

Run as ``python -m store.load_db`` with ``DATABASE_URL`` set. Each dataset present in the data
and context folders is checked exactly as the app checks it; if any fails, nothing is written.
Otherwise all of them are written in one transaction, and the counts are printed.
"""

from __future__ import annotations

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401

# isort: split

import sys
import warnings
from collections.abc import Callable, Mapping

import pandas as pd

from geo.errors import InputError
from geo.tour import validate_tour
from layers.load import (
    check_gazetteer,
    check_layer,
    check_population,
    check_population_grid,
    check_streets,
    check_targets,
)
from layers.registry import layer_by_id
from settings import DATABASE_URL_VAR, load_settings
from store.datasets import DATASETS, Dataset
from store.errors import StoreUnavailable
from store.gpkg import GeoPackageStore
from store.postgis import PostGISStore

USAGE = (
    f"db-load: set {DATABASE_URL_VAR} to the PostGIS database to load, e.g.\n"
    "  make db-load DATABASE_URL=postgresql://user:password@host:5432/database"
)


def _check(ds: Dataset, frame: pd.DataFrame, *, what: str) -> None:
    """Check one dataset's frame as the app does (the checked copy is thrown away)."""
    if ds.name == "targets":
        check_targets(frame)
    elif ds.name == "tour":
        validate_tour(pd.DataFrame(frame).drop(columns="geometry", errors="ignore"))
    elif ds.name == "gazetteer":
        check_gazetteer(frame, what=what)
    elif ds.name == "district_population":
        check_population(frame, what=what)
    elif ds.name == "population_grid":
        check_population_grid(frame, what=what)
    elif ds.name in ("astana_streets", "almaty_streets"):
        check_streets(frame, what=what)
    else:
        check_layer(layer_by_id(ds.name), frame, what=what)


def read_checked(
    source: GeoPackageStore, *, note: Callable[[str], None] = print
) -> dict[str, pd.DataFrame]:
    """Read every dataset the GeoPackage store has, as stored, after checking each one.

    Parameters
    ----------
    source
        The GeoPackage store (the data and context folders).
    note
        Called with each loader warning (skipped rows), which does not stop the load.

    Returns
    -------
    dict of str to DataFrame
        Dataset name to its frame as stored (a GeoDataFrame for a layer), in table order.

    Raises
    ------
    InputError
        If a required dataset is missing or any dataset fails its checks; the message lists
        every failure, naming the dataset and the record.
    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for ds in DATASETS:
        if not source.has(ds.name):
            if not ds.optional:
                problems.append(f"{ds.name}: missing from {source.describe()}")
            continue
        what = source.path(ds.name).name
        try:
            frame = source.read_layer(ds.name) if ds.spatial else source.read_table(ds.name)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                _check(ds, frame, what=what)
        except InputError as err:
            problems.append(f"{ds.name} ({what}): {err}")
            continue
        for warning in caught:
            note(f"{ds.name}: {warning.message}")
        frames[ds.name] = frame
    if problems:
        msg = "validation failed, nothing was loaded:\n" + "\n".join(f"- {p}" for p in problems)
        raise InputError(msg)
    return frames


def load(source: GeoPackageStore, target: PostGISStore) -> dict[str, int]:
    """Check every dataset of ``source`` and write them all into ``target`` in one transaction.

    Parameters
    ----------
    source
        The GeoPackage store to read.
    target
        The PostGIS store to replace the datasets in.

    Returns
    -------
    dict of str to int
        Dataset name to the number of rows loaded.

    Raises
    ------
    InputError
        If validation fails (nothing is written).
    StoreUnavailable
        If the database cannot be reached or refuses the write (nothing is written).
    """
    frames = read_checked(source)
    target.write_all(frames)
    return {name: len(frame) for name, frame in frames.items()}


def main(environ: Mapping[str, str] | None = None) -> int:
    """Run ``make db-load``: print what was loaded, or why nothing was.

    Parameters
    ----------
    environ
        The environment to read the settings from; ``None`` reads ``os.environ``.

    Returns
    -------
    int
        The exit status: 0 loaded, 1 refused or failed, 2 no ``DATABASE_URL``.
    """
    settings = load_settings(environ)
    if not settings.database_url:
        print(USAGE, file=sys.stderr)
        return 2
    source = GeoPackageStore(data_dir=settings.data_dir, context_dir=settings.context_dir)
    try:
        target = PostGISStore(settings.database_url)
    except StoreUnavailable as err:
        print(f"db-load: {err}", file=sys.stderr)
        return 1
    try:
        counts = load(source, target)
    except InputError as err:  # StoreUnavailable is one too
        print(f"db-load: {err}", file=sys.stderr)
        return 1
    finally:
        target.dispose()
    print(f"db-load: loaded into {target.describe()} from {source.describe()}:")
    for name, count in counts.items():
        print(f"  {name}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
