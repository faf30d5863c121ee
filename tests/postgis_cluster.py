"""A private PostgreSQL + PostGIS cluster for tests and bench/, on 127.0.0.1 in a temp folder.

``postgis_cluster()`` runs ``initdb`` into a temporary folder, starts the server listening only
on 127.0.0.1 (its unix socket in that folder), creates a database with the postgis extension,
yields its SQLAlchemy URL, then stops the server by its PID and removes the folder. As root
(CI), PostgreSQL refuses to run, so the folder is given to Debian's ``postgres`` user and the
server runs through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

DATABASE = "creative_map"
SUPERUSER = "postgres"


class PostgresMissing(RuntimeError):  # noqa: N818
    """PostgreSQL or PostGIS is not installed (``make install-test`` installs them)."""


def postgres_bindir() -> Path:
    """Return the folder of ``initdb``, ``pg_ctl`` and ``postgres``.

    Raises
    ------
    PostgresMissing
        If no PostgreSQL server binaries or no PostGIS extension are found.
    """
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("pg_config"):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates.insert(0, out)
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            if not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
                msg = "PostGIS is not installed: run `make postgis` (installs postgresql-postgis)"
                raise PostgresMissing(msg)
            return Path(folder)
    msg = "PostgreSQL server binaries not found: run `make postgis` (apt-get install postgresql)"
    raise PostgresMissing(msg)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], *, as_postgres: bool) -> None:
    full = ["runuser", "-u", "postgres", "--", *cmd] if as_postgres else cmd
    done = subprocess.run(full, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"{' '.join(full)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        raise RuntimeError(msg)


@contextmanager
def postgis_cluster() -> Iterator[str]:
    """Run a private PostgreSQL cluster with a PostGIS database for the duration of a block.

    Yields
    ------
    str
        ``postgresql+psycopg2://postgres:<random password>@127.0.0.1:<port>/creative_map``. Password
        authentication is required over TCP, so a wrong password is refused as in production.

    Raises
    ------
    PostgresMissing
        If PostgreSQL or PostGIS is not installed.
    """
    bindir = postgres_bindir()
    as_postgres = os.getuid() == 0
    # As root, under /tmp: the postgres user must reach the folder (TMPDIR may be private).
    folder = Path(tempfile.mkdtemp(prefix="creative-map-pg-", dir="/tmp" if as_postgres else None))
    data = folder / "data"
    password = secrets.token_hex(12)
    pid: int | None = None
    try:
        (folder / "pwfile").write_text(password + "\n", encoding="utf-8")
        if as_postgres:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(folder / "pwfile", "postgres", "postgres")
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                f"--pwfile={folder / 'pwfile'}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            ],
            as_postgres=as_postgres,
        )
        port = _start(bindir, data, folder, as_postgres=as_postgres)
        pid = int((data / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0])
        admin = f"postgresql+psycopg2://{SUPERUSER}:{password}@127.0.0.1:{port}"
        engine = sa.create_engine(f"{admin}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
        engine.dispose()
        engine = sa.create_engine(f"{admin}/{DATABASE}")
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION postgis"))
        engine.dispose()
        yield f"{admin}/{DATABASE}"
    finally:
        if pid is not None:
            _run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                as_postgres=as_postgres,
            )
            _wait_gone(pid)
        shutil.rmtree(folder, ignore_errors=True)


def _start(bindir: Path, data: Path, folder: Path, *, as_postgres: bool) -> int:
    """Start the server on a free port, trying again if another process took the port first."""
    for attempt in range(3):
        port = free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        try:
            _run(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ],
                as_postgres=as_postgres,
            )
        except RuntimeError:
            if attempt == 2:
                raise
            continue
        return port
    raise AssertionError  # unreachable: the last attempt returns or raises


def _wait_gone(pid: int) -> None:
    """Make sure the server process has exited (pg_ctl -w waited for it); kill it if not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    os.kill(pid, 9)


def clone_database(url: str, name: str) -> str:
    """Create a new database as a copy of the one ``url`` names (its template) and return its URL.

    The template must have no open connections; ``postgis_cluster``'s database has none.

    Parameters
    ----------
    url
        The URL ``postgis_cluster`` yielded.
    name
        The new database's name: lower-case letters, digits and ``_`` (a test's own name).

    Returns
    -------
    str
        The new database's URL (same user and password).
    """
    if not name.replace("_", "").isalnum() or not name.islower():
        msg = f"database name must be lower-case snake_case, got {name!r}"
        raise ValueError(msg)
    parsed = sa.make_url(url)
    engine = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {parsed.database}"))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)
