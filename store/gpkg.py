"""The embedded store: GeoPackage and GeoJSON files in the data and context folders."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.errors import LayerLoadError
from layers.safe_files import RefusedFile, check_file, without_folders
from store.datasets import CSV_DTYPES, Dataset, check_frame, dataset

ABSENT = "absent"  # the version of a dataset whose file does not exist
MAX_CSV_BYTES = 8 * 1024**2  # 8 MiB: a table of districts is a few KB; read whole into memory
_SQLITE_MAGIC = b"SQLite format 3\x00"


def check_csv(path: Path) -> None:
    """Refuse a file that is not a small UTF-8 text table before pandas reads it.

    CSV never goes through GDAL (its CSV driver is disabled, ``layers.safe_files``): pandas
    reads it, every column as text unless a dtype is declared.

    Parameters
    ----------
    path
        A local file in the context folder.

    Raises
    ------
    LayerLoadError
        If it is not a regular file, is larger than ``MAX_CSV_BYTES``, is a database, or is
        not UTF-8 text.
    """
    text = str(path)
    if text.startswith("/vsi") or "://" in text or not path.is_file():
        msg = f"{path.name!r} is not a regular local file; put the CSV table in the folder"
        raise LayerLoadError(msg)
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        msg = (
            f"{path.name!r} is {size / 1024**2:.1f} MB, more than the limit of "
            f"{MAX_CSV_BYTES // 1024**2} MB for a CSV table; is it the right file?"
        )
        raise LayerLoadError(msg)
    data = path.read_bytes()
    if data.startswith(_SQLITE_MAGIC) or b"\x00" in data:
        msg = f"{path.name!r} is a binary file, not a CSV table"
        raise LayerLoadError(msg)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = (
            f"{path.name!r} is not UTF-8 text ({err.reason} at byte {err.start}); save it as UTF-8"
        )
        raise LayerLoadError(msg) from err


def read_csv_table(path: Path, *, dtypes: dict[str, str], what: str) -> pd.DataFrame:
    """Read a CSV table checked by ``check_csv``: declared dtypes, every other column as text.

    Parameters
    ----------
    path
        The CSV file.
    dtypes
        Column to pandas dtype for the columns that are not text (``{"population": "int64"}``).
    what
        The dataset, for messages.

    Returns
    -------
    pandas.DataFrame
        The rows in file order; an empty cell of a text column reads as ``""``.

    Raises
    ------
    LayerLoadError
        If the file is not a table pandas can parse or a declared column does not parse.
    """
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8").columns
        types = {c: dtypes.get(c, "str") for c in header}
        return pd.read_csv(path, dtype=types, keep_default_na=False, encoding="utf-8")
    except (ValueError, pd.errors.ParserError) as err:
        msg = f"{what}: could not read {path.name!r} as a CSV table ({without_folders(err, path)})"
        raise LayerLoadError(msg) from err


class GeoPackageStore:
    """Datasets in files: ``data_dir`` holds the GeoPackages, ``context_dir`` the GeoJSON layers.

    A version token is the file's ``mtime_ns``, size and inode (as datasette does), so any
    replacement of the file, by ``write`` or by hand, gives a new token. Layers that share a
    file (``places`` and ``targets`` in ``catalogue.gpkg``) share its token.

    Parameters
    ----------
    data_dir
        Folder of ``catalogue.gpkg``, ``osm_venues.gpkg`` and ``gazetteer.gpkg``.
    context_dir
        Folder of the optional context layers (GeoJSON).
    """

    def __init__(self, *, data_dir: Path, context_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.context_dir = Path(context_dir)
        # One writer at a time in this process (the UI shares one store per server): two
        # writes to layers of one GeoPackage would otherwise each copy the old file.
        self._write_lock = threading.Lock()

    def path(self, name: str) -> Path:
        """Return the file a dataset is read from: the first of its candidate files present.

        Parameters
        ----------
        name
            A dataset name (``store.datasets.NAMES``).

        Returns
        -------
        pathlib.Path
            The first present candidate; the first candidate when none is present (it may
            not exist).

        Raises
        ------
        UnknownDataset
            If the name is not a dataset's.
        """
        ds = dataset(name)
        folder = self._folder(ds)
        for file_name in ds.files:
            if (folder / file_name).is_file():
                return folder / file_name
        return folder / ds.file

    def _folder(self, ds: Dataset) -> Path:
        return self.context_dir if ds.folder == "context" else self.data_dir

    def describe(self) -> str:
        """Return a short description of the store for messages.

        Returns
        -------
        str
            The two folders.
        """
        return (
            f"GeoPackage files in {str(self.data_dir)!r} "
            f"(context layers in {str(self.context_dir)!r})"
        )

    def has(self, name: str) -> bool:
        """Return whether a dataset's file exists and holds its layer.

        A file of the context folder holds one dataset: when it is there but lacks its layer
        (or is not a GeoPackage at all) the dataset is *there but broken*, never absent, so
        ``has`` is ``True`` and ``read_layer`` raises an error naming the file and the missing
        layer, which the app shows next to the layer. A GeoPackage of the data folder holds
        several datasets (``catalogue.gpkg``: places, targets, tour), so there a missing layer
        means the dataset is absent.

        Parameters
        ----------
        name
            A dataset name.

        Returns
        -------
        bool
            ``True`` when ``read_layer`` or ``read_table`` can find it, or can say what is
            wrong with its file.
        """
        ds, path = dataset(name), self.path(name)
        if not path.is_file():
            return False
        layer = ds.layer_in(path.name)
        if path.suffix == ".csv" or layer is None or ds.folder == "context":
            return True  # a file of one dataset: reading it says if it is not usable
        try:
            check_file(path)
        except RefusedFile:
            return True  # there, but not a file the app opens: reading it says so
        try:
            return layer in {str(row[0]) for row in pyogrio.list_layers(path)}
        except DataSourceError:
            return False

    def version(self, name: str) -> str:
        """Return a token that changes whenever the dataset's file changes.

        Parameters
        ----------
        name
            A dataset name.

        Returns
        -------
        str
            ``"<mtime_ns>-<size>-<inode>"``, prefixed with ``"<file name>:"`` for a dataset
            of several candidate files (so choosing another file changes it), or
            ``"absent"`` when there is no file.
        """
        path = self.path(name)
        try:
            st = path.stat()
        except FileNotFoundError:
            return ABSENT
        token = f"{st.st_mtime_ns}-{st.st_size}-{st.st_ino}"
        return f"{path.name}:{token}" if dataset(name).fallbacks else token

    def versions(self, names: Iterable[str]) -> dict[str, str]:
        """Return the version token of each dataset.

        Parameters
        ----------
        names
            Dataset names.

        Returns
        -------
        dict of str to str
            Name to token (see ``version``).
        """
        return {name: self.version(name) for name in names}

    def _existing(self, name: str) -> tuple[Dataset, Path]:
        ds, path = dataset(name), self.path(name)
        if not path.is_file():
            msg = (
                f"dataset {name!r}: file {path.name!r} not found in the {ds.folder} folder; "
                "restore it or run `make data`"
            )
            raise LayerLoadError(msg)
        if path.suffix == ".csv":
            check_csv(path)
        else:
            check_file(path)
        return ds, path

    @staticmethod
    def _check_layer(name: str, path: Path, layer: str | None) -> None:
        """Refuse a GeoPackage without the dataset's layer, naming the file and the layer."""
        if layer is None:
            return
        try:
            present = [str(row[0]) for row in pyogrio.list_layers(path)]
        except DataSourceError:
            return  # not a readable data source: reading it says why
        if layer not in present:
            msg = (
                f"dataset {name!r}: {path.name!r} has no layer {layer!r} (its layers: "
                f"{', '.join(repr(p) for p in present) or 'none'}); rebuild it (`make data`) "
                "or move it away so the next candidate file is read"
            )
            raise LayerLoadError(msg)

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """Read a layer as stored, with its CRS (the caller validates it).

        Parameters
        ----------
        name
            A dataset name with geometry.

        Returns
        -------
        geopandas.GeoDataFrame
            The rows in file order, ``NULL`` geometries kept as ``None``.

        Raises
        ------
        LayerLoadError
            If the file or its layer is missing or unreadable, or the dataset is a table.
        UnknownDataset
            If the name is not a dataset's.
        """
        ds, path = self._existing(name)
        if not ds.spatial:
            msg = f"dataset {name!r} is a table without geometry; read it with read_table"
            raise LayerLoadError(msg)
        layer = ds.layer_in(path.name)
        self._check_layer(name, path, layer)
        try:
            # Arrow reads a 100,000-row layer in 0.4 s instead of 1.5 s.
            frame = gpd.read_file(path, layer=layer, engine="pyogrio", use_arrow=True)
        except (DataSourceError, DataLayerError) as err:
            msg = (
                f"dataset {name!r}: could not read layer {layer!r} of {path.name!r} "
                f"({without_folders(err, path)}); "
                "is it a GeoPackage or GeoJSON file with that layer?"
            )
            raise LayerLoadError(msg) from err
        # An all-empty column as the row-by-row reader gives it (object, not text), so both
        # readers, and both back ends, return the same frames.
        info = pyogrio.read_info(path, layer=layer)
        text_fields = {
            f for f, t in zip(info["fields"], info["dtypes"], strict=True) if t == "object"
        }
        empty = [c for c in frame.columns if c in text_fields and frame[c].isna().all()]
        for column in empty:
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        return frame

    def read_table(self, name: str) -> pd.DataFrame:
        """Read a table (no geometry) as stored.

        Parameters
        ----------
        name
            A dataset name without geometry, such as ``"targets"``.

        Returns
        -------
        pandas.DataFrame
            The rows in file order.

        Raises
        ------
        LayerLoadError
            If the file or its table is missing or unreadable, or the dataset is a layer.
        UnknownDataset
            If the name is not a dataset's.
        """
        ds, path = self._existing(name)
        if ds.spatial:
            msg = f"dataset {name!r} is a layer with geometry; read it with read_layer"
            raise LayerLoadError(msg)
        if path.suffix == ".csv":
            return read_csv_table(path, dtypes=CSV_DTYPES.get(name, {}), what=f"dataset {name!r}")
        self._check_layer(name, path, ds.layer)
        try:
            table = pyogrio.read_dataframe(path, layer=ds.layer, read_geometry=False)
        except (DataSourceError, DataLayerError) as err:
            msg = (
                f"dataset {name!r}: could not read table {ds.layer!r} of {path.name!r} "
                f"({without_folders(err, path)})"
            )
            raise LayerLoadError(msg) from err
        return pd.DataFrame(table)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """Replace a dataset atomically: write a copy of its file, then rename it over the file.

        Other layers of the same GeoPackage are kept; a reader sees the old file or the new
        one, never half of one. The version token changes.

        Parameters
        ----------
        name
            A dataset name.
        frame
            A GeoDataFrame with a CRS for a layer, a DataFrame for a table.

        Raises
        ------
        LayerLoadError
            If the frame does not fit the dataset (geometry or CRS missing) or cannot be
            written.
        UnknownDataset
            If the name is not a dataset's.
        """
        ds = dataset(name)
        path = self._folder(ds) / ds.file  # the first choice: ours, never a fallback file
        check_frame(ds, frame)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock:
            self._replace(ds, path, frame)

    def _replace(self, ds: Dataset, path: Path, frame: pd.DataFrame) -> None:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if ds.layer is not None and path.is_file():
                check_file(path)  # its other layers are kept: GDAL opens it to add one
                shutil.copyfile(path, tmp)
            else:
                tmp.unlink()
            if path.suffix == ".csv":
                pd.DataFrame(frame).to_csv(tmp, index=False, encoding="utf-8")
            elif ds.spatial:
                gdf = gpd.GeoDataFrame(frame)
                gdf.to_file(tmp, layer=ds.layer, engine="pyogrio", promote_to_multi=False)
            else:
                pyogrio.write_dataframe(pd.DataFrame(frame), tmp, layer=ds.layer)
            os.replace(tmp, path)
        except (DataSourceError, DataLayerError, OSError) as err:
            msg = (
                f"dataset {ds.name!r}: could not write {path.name!r} "
                f"({without_folders(without_folders(err, tmp), path)})"
            )
            raise LayerLoadError(msg) from err
        finally:
            tmp.unlink(missing_ok=True)
