"""The shared store: one PostGIS table per dataset, read and written through SQLAlchemy.

Each data table has statement-level triggers that bump its row in ``store_versions`` on any
insert, update, delete or truncate, so a change made with plain SQL changes the version token
too, and every app server sees it on its next rerun.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    NoSuchModuleError,
    ProgrammingError,
    SQLAlchemyError,
)

from geo.errors import LayerLoadError
from store.datasets import Dataset, check_frame, dataset
from store.errors import StoreUnavailable

ABSENT = "absent"  # the version of a dataset that was never written
GEOMETRY = "geometry"
# The frame's row order, kept so a read returns rows as written (an UPDATE moves a row).
ROW = "store_row"
CONNECT_TIMEOUT_S = 5
UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a missing table

_SCHEMA_SQL = (
    "CREATE TABLE IF NOT EXISTS store_versions (name text PRIMARY KEY, version bigint NOT NULL)",
    """
    CREATE OR REPLACE FUNCTION store_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO store_versions (name, version) VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (name) DO UPDATE SET version = store_versions.version + 1;
        RETURN NULL;
    END
    $$
    """,
)


def safe_url(url: str) -> str:
    """Return a database URL with its password hidden, for messages.

    Parameters
    ----------
    url
        A SQLAlchemy URL.

    Returns
    -------
    str
        The URL with ``***`` for the password, or a placeholder if it cannot be parsed.
    """
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<a DATABASE_URL that is not a valid URL>"


def _reason(err: BaseException, url: str) -> str:
    """Return the first line of a driver error, with the password removed if it shows."""
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    try:
        password = sa.make_url(url).password
    except (ArgumentError, ValueError):
        password = None
    if password:
        text = text.replace(str(password), "***")
    return text


def engine_url(url: str) -> sa.URL:
    """Return the URL SQLAlchemy should use: plain ``postgresql://`` means psycopg2 here.

    SQLAlchemy 2.1 maps ``postgresql://`` to psycopg 3, which the project does not install;
    ``postgres://`` (as some hosts write it) is accepted too.

    Parameters
    ----------
    url
        The ``DATABASE_URL`` as a user wrote it.

    Returns
    -------
    sqlalchemy.URL
        The parsed URL with the psycopg2 driver when none was named.

    Raises
    ------
    sqlalchemy.exc.ArgumentError
        If the text is not a URL.
    ValueError
        If it names another database or driver than PostgreSQL with psycopg2.
    """
    parsed = sa.make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg2")
    if parsed.drivername != "postgresql+psycopg2":
        msg = f"a postgresql:// URL is needed, got the scheme {parsed.drivername!r}"
        raise ValueError(msg)
    return parsed


class PostGISStore:
    """Datasets in a PostGIS database: table ``<name>`` per dataset, plus ``store_versions``.

    The engine is created once, with ``pool_pre_ping``, and shared (the UI caches the store
    with ``st.cache_resource``). Nothing connects until the first call.

    Parameters
    ----------
    url
        A SQLAlchemy URL, ``postgresql://user:password@host:5432/database``.

    Raises
    ------
    StoreUnavailable
        If the URL cannot be parsed or names a driver that is not installed.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        try:
            self.engine: Engine = sa.create_engine(
                engine_url(url),
                pool_pre_ping=True,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
            )
        except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as err:
            msg = (
                f"DATABASE_URL {safe_url(url)!r} is not a usable database URL "
                f"({_reason(err, url)}); set it to postgresql://user:password@host:5432/database"
            )
            raise StoreUnavailable(msg) from err
        self._schema_ready = False

    def describe(self) -> str:
        """Return a short description of the store for messages, without the password.

        Returns
        -------
        str
            ``PostGIS database postgresql://user:***@host:port/db``.
        """
        return f"PostGIS database {safe_url(self._url)}"

    def dispose(self) -> None:
        """Close the engine's pooled connections (tests and short-lived tools call this)."""
        self.engine.dispose()

    @contextmanager
    def _connect(self, doing: str, *, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.begin() if write else self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as err:
            msg = (
                f"{doing}: the PostGIS database at {safe_url(self._url)} failed "
                f"({_reason(err, self._url)}). Check that the server is running and reachable, "
                "and that DATABASE_URL (postgresql://user:password@host:port/database) names a "
                "database this user may use"
            )
            raise StoreUnavailable(msg) from err

    def _exists(self, conn: Connection, ds: Dataset) -> bool:
        found = conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f'public."{ds.name}"'})
        return found.scalar() is not None

    def has(self, name: str) -> bool:
        """Return whether the dataset's table exists.

        Parameters
        ----------
        name
            A dataset name (``store.datasets.NAMES``).

        Returns
        -------
        bool
            ``True`` when it can be read.

        Raises
        ------
        StoreUnavailable
            If the database cannot be reached.
        UnknownDataset
            If the name is not a dataset's.
        """
        ds = dataset(name)
        with self._connect(f"checking dataset {name!r}") as conn:
            return self._exists(conn, ds)

    def version(self, name: str) -> str:
        """Return the dataset's version token, one short query.

        Parameters
        ----------
        name
            A dataset name.

        Returns
        -------
        str
            ``"<table oid>-<counter in store_versions>"``, or ``"absent"`` if never written.

        Raises
        ------
        StoreUnavailable
            If the database cannot be reached.
        UnknownDataset
            If the name is not a dataset's.
        """
        return self.versions([name])[name]

    def versions(self, names: Iterable[str]) -> dict[str, str]:
        """Return the version tokens of several datasets in one round trip.

        Parameters
        ----------
        names
            Dataset names.

        Returns
        -------
        dict of str to str
            Name to token (``"absent"`` for a dataset never written).

        Raises
        ------
        StoreUnavailable
            If the database cannot be reached.
        UnknownDataset
            If a name is not a dataset's.
        """
        wanted = [dataset(n).name for n in names]
        with self._connect("reading the version tokens") as conn:
            try:
                # The table's oid joins the counter: a database dropped and loaded again (or
                # restored from a dump) starts its counters anew, but never with the same oids,
                # so a server's caches can never mistake new data for old.
                rows = conn.execute(
                    sa.text(
                        "SELECT name, coalesce(to_regclass(quote_ident(name))::oid::bigint, 0)"
                        " || '-' || version FROM store_versions WHERE name = ANY(:names)"
                    ),
                    {"names": wanted},
                ).all()
            except ProgrammingError as err:
                if getattr(err.orig, "pgcode", None) != UNDEFINED_TABLE:
                    raise
                rows = []  # nothing was ever written to this database
        found = {str(n): str(v) for n, v in rows}
        return {n: found.get(n, ABSENT) for n in wanted}

    def _existing(self, conn: Connection, name: str) -> Dataset:
        ds = dataset(name)
        if not self._exists(conn, ds):
            msg = (
                f"dataset {name!r}: table {name!r} not found in {self.describe()}; "
                "load it with `make db-load DATABASE_URL=...`"
            )
            raise LayerLoadError(msg)
        return ds

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """Read a layer as stored, with the CRS of its geometry column (the caller validates).

        Parameters
        ----------
        name
            A dataset name with geometry.

        Returns
        -------
        geopandas.GeoDataFrame
            The rows in the order written, ``NULL`` geometries kept as ``None``.

        Raises
        ------
        LayerLoadError
            If the table is missing or the dataset is a table without geometry.
        StoreUnavailable
            If the database cannot be reached.
        UnknownDataset
            If the name is not a dataset's.
        """
        with self._connect(f"reading layer {name!r}") as conn:
            ds = self._existing(conn, name)
            if not ds.spatial:
                msg = f"dataset {name!r} is a table without geometry; read it with read_table"
                raise LayerLoadError(msg)
            srid = conn.execute(
                sa.text("SELECT Find_SRID('public', :t, :g)"), {"t": ds.name, "g": GEOMETRY}
            ).scalar()
            frame = gpd.read_postgis(
                sa.text(_select(ds)),
                conn,
                geom_col=GEOMETRY,
                crs=f"EPSG:{srid}" if srid else None,
            )
        return _drop_row(frame)

    def read_table(self, name: str) -> pd.DataFrame:
        """Read a table (no geometry) as stored.

        Parameters
        ----------
        name
            A dataset name without geometry, such as ``"targets"``.

        Returns
        -------
        pandas.DataFrame
            The rows in the order written.

        Raises
        ------
        LayerLoadError
            If the table is missing or the dataset is a layer.
        StoreUnavailable
            If the database cannot be reached.
        UnknownDataset
            If the name is not a dataset's.
        """
        with self._connect(f"reading table {name!r}") as conn:
            ds = self._existing(conn, name)
            if ds.spatial:
                msg = f"dataset {name!r} is a layer with geometry; read it with read_layer"
                raise LayerLoadError(msg)
            frame = pd.read_sql(sa.text(_select(ds)), conn)
        return _drop_row(frame)

    def ensure_schema(self) -> None:
        """Create the PostGIS extension (if this user may), the versions table and trigger.

        Raises
        ------
        StoreUnavailable
            If the database cannot be reached, or PostGIS is missing and cannot be created.
        """
        if self._schema_ready:
            return
        with self._connect("preparing the database", write=True) as conn:
            has_postgis = conn.execute(
                sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
            if not has_postgis:
                try:
                    with conn.begin_nested():
                        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
                except DBAPIError as err:
                    msg = (
                        f"{self.describe()} has no PostGIS extension and could not create it "
                        f"({_reason(err, self._url)}); install PostGIS on the server and ask a "
                        "superuser to run CREATE EXTENSION postgis in this database"
                    )
                    raise StoreUnavailable(msg) from err
            for statement in _SCHEMA_SQL:
                conn.execute(sa.text(statement))
        self._schema_ready = True

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """Replace a dataset's table in one transaction and bump its version.

        Parameters
        ----------
        name
            A dataset name.
        frame
            A GeoDataFrame with a CRS for a layer, a DataFrame for a table.

        Raises
        ------
        LayerLoadError
            If the frame does not fit the dataset.
        StoreUnavailable
            If the database cannot be reached or refuses the write.
        UnknownDataset
            If the name is not a dataset's.
        """
        self.write_all({name: frame})

    def write_all(self, frames: Mapping[str, pd.DataFrame]) -> None:
        """Replace several datasets in ONE transaction: all of them change, or none.

        Parameters
        ----------
        frames
            Dataset name to frame (see ``write``).

        Raises
        ------
        LayerLoadError
            If a frame does not fit its dataset (checked before anything is written).
        StoreUnavailable
            If the database cannot be reached or refuses the write.
        UnknownDataset
            If a name is not a dataset's.
        """
        checked = [(dataset(name), frame) for name, frame in frames.items()]
        for ds, frame in checked:
            check_frame(ds, frame)
        self.ensure_schema()
        with self._connect(f"writing {list(frames)!r}", write=True) as conn:
            for ds, frame in checked:
                try:
                    _replace_table(conn, ds, frame)
                except (TypeError, ValueError) as err:  # a column PostGIS cannot hold
                    msg = f"dataset {ds.name!r}: could not be written to {self.describe()} ({err})"
                    raise LayerLoadError(msg) from err


def _select(ds: Dataset) -> str:
    # ds.name comes from the closed table in store/datasets.py, never from a user.
    return f'SELECT * FROM public."{ds.name}" ORDER BY "{ROW}" NULLS LAST'


def _drop_row(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=ROW) if ROW in frame.columns else frame


def _replace_table(conn: Connection, ds: Dataset, frame: pd.DataFrame) -> None:
    table = frame.reset_index(drop=True)
    table.index.name = ROW
    conn.execute(sa.text(f'DROP TABLE IF EXISTS public."{ds.name}"'))
    if ds.spatial:
        gdf = gpd.GeoDataFrame(table)
        if gdf.geometry.name != GEOMETRY:
            gdf = gdf.rename_geometry(GEOMETRY)
        gdf.to_postgis(ds.name, conn, schema="public", if_exists="fail", index=True)
    else:
        table.to_sql(ds.name, conn, schema="public", if_exists="fail", index=True)
    conn.execute(
        sa.text(
            f"CREATE TRIGGER store_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON public."{ds.name}" FOR EACH STATEMENT EXECUTE FUNCTION store_bump_version()'
        )
    )
    # An empty frame inserts nothing, so the trigger may not fire: bump here as well.
    conn.execute(
        sa.text(
            "INSERT INTO store_versions (name, version) VALUES (:n, 1) "
            "ON CONFLICT (name) DO UPDATE SET version = store_versions.version + 1"
        ),
        {"n": ds.name},
    )
