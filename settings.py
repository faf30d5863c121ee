"""Every environment variable the app reads, with its default, in one typed place.

Read once per process with ``load_settings()``; nothing else in the project reads
``os.environ``. The README's "Settings" section lists the same variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent

DATA_DIR_VAR = "CREATIVE_MAP_DATA_DIR"
CONTEXT_DIR_VAR = "CREATIVE_MAP_CONTEXT_DIR"
DATABASE_URL_VAR = "DATABASE_URL"
GEOCODER_VAR = "CREATIVE_MAP_GEOCODER"
DEFAULT_GEOCODER_URL = "https://nominatim.openstreetmap.org"
ALLOWED_HOSTS_VAR = "CREATIVE_MAP_ALLOWED_HOSTS"
# The host names the server answers by default: this machine only.
DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Settings:
    """The app's configuration.

    Attributes
    ----------
    data_dir
        Folder of the GeoPackage store: ``catalogue.gpkg`` and, after ``make data``,
        ``osm_venues.gpkg`` and ``gazetteer.gpkg``. Default ``data/``.
    context_dir
        Folder of the optional context layers (GeoJSON: city outline, river, banks,
        districts). Default ``data/context/``.
    database_url
        A SQLAlchemy URL of a PostGIS database (``postgresql://user:pass@host:5432/db``).
        When set, the app reads its data there instead of from ``data_dir``; empty means the
        GeoPackage store.
    geocoder_online
        Whether the place search may ask OpenStreetMap's Nominatim when no name matches
        (``CREATIVE_MAP_GEOCODER=off`` turns it off; tests do).
    geocoder_url
        The Nominatim server: ``CREATIVE_MAP_GEOCODER`` set to an ``http://`` or
        ``https://`` URL (your own Nominatim, or a test server); default
        ``https://nominatim.openstreetmap.org``.
    allowed_hosts
        Host names the server answers to (the ``Host`` of a request, the host of a
        websocket's ``Origin``): 127.0.0.1 and localhost, plus the comma-separated names in
        ``CREATIVE_MAP_ALLOWED_HOSTS`` (the names or addresses a forum's network reaches the
        server by, when it runs with ``HOST=0.0.0.0``). Exact names, no wildcards.
    """

    data_dir: Path
    context_dir: Path
    database_url: str
    geocoder_online: bool
    geocoder_url: str = DEFAULT_GEOCODER_URL
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Return the settings from the environment, with the defaults for what is not set.

    Parameters
    ----------
    environ
        The variables to read; ``None`` reads ``os.environ``.

    Returns
    -------
    Settings
        Paths resolved to absolute ones.
    """
    env = os.environ if environ is None else environ
    geocoder = (env.get(GEOCODER_VAR) or "on").strip()
    is_url = geocoder.lower().startswith(("http://", "https://"))
    return Settings(
        data_dir=Path(env.get(DATA_DIR_VAR) or ROOT / "data").resolve(),
        context_dir=Path(env.get(CONTEXT_DIR_VAR) or ROOT / "data" / "context").resolve(),
        database_url=(env.get(DATABASE_URL_VAR) or "").strip(),
        geocoder_online=geocoder.lower() != "off",
        geocoder_url=geocoder.rstrip("/") if is_url else DEFAULT_GEOCODER_URL,
        allowed_hosts=_allowed_hosts(env.get(ALLOWED_HOSTS_VAR) or ""),
    )


def _allowed_hosts(raw: str) -> tuple[str, ...]:
    """Return the default hosts and the comma-separated extra ones (lower case, no port)."""
    extra = (name.strip().lower().rstrip(".") for name in raw.split(","))
    names = [*DEFAULT_ALLOWED_HOSTS, *(n for n in extra if n and n != "*")]
    return tuple(dict.fromkeys(names))
