"""`make data`: fetch existing venues from OpenStreetMap for both cities into data/osm_venues.gpkg.

Offline, or when a fetch fails or returns clearly less than the file already holds, it says so
and leaves the file as it was: the new file replaces the old one only whole and validated.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import InputError
from geo.schema import CITIES, CITY_BBOX_LON_LAT
from geo.validate import validate_places
from geo.venues import OSM_LICENCE, OSM_TAGS, normalise_venues

log = logging.getLogger("osm_import")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "osm_venues.gpkg"
LAYER = "venues"
USER_AGENT = "creative-spaces-kz/1.0 (map of creative spaces in Astana and Almaty; osmnx)"
MIN_SHARE_OF_PREVIOUS = 0.8  # a city whose new count falls below this share of the old is refused
TIMEOUT_S = 180


class FetchError(RuntimeError):
    """OpenStreetMap could not be reached or answered badly."""


def check_online(url: str, *, timeout_s: float = 10.0) -> None:
    """Fail fast, with a plain message, when the Overpass API's host cannot be reached.

    Parameters
    ----------
    url
        The Overpass API's address.
    timeout_s
        How long to wait for a connection, in seconds.

    Raises
    ------
    FetchError
        If the host does not resolve or accept a connection.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as err:
        msg = (
            "OpenStreetMap could not be reached: this machine is offline or cannot reach "
            f"{host} ({err})"
        )
        raise FetchError(msg) from err


def fetch_city(city: str) -> gpd.GeoDataFrame:
    """Return the OSM features with venue tags inside a city's envelope (needs internet).

    Parameters
    ----------
    city
        ``"astana"`` or ``"almaty"``.

    Returns
    -------
    geopandas.GeoDataFrame
        osmnx features (index ``element``, ``id``; one column per tag).

    Raises
    ------
    FetchError
        If the Overpass API cannot be reached or returns an error.
    """
    import osmnx as ox  # noqa: PLC0415 - only the importer needs it
    import requests  # noqa: PLC0415

    ox.settings.http_user_agent = USER_AGENT
    ox.settings.requests_timeout = TIMEOUT_S
    ox.settings.use_cache = False
    ox.settings.log_console = False
    try:
        return ox.features_from_bbox(CITY_BBOX_LON_LAT[city], tags=OSM_TAGS)
    except requests.exceptions.RequestException as err:
        msg = f"OpenStreetMap could not be reached for {city} (no internet?): {err}"
        raise FetchError(msg) from err
    except (ox._errors.InsufficientResponseError, ox._errors.ResponseStatusCodeError) as err:
        msg = f"OpenStreetMap's Overpass API answered badly for {city}: {err}"
        raise FetchError(msg) from err


def _previous_counts(path: Path) -> dict[str, int]:
    if not path.is_file():
        return {}
    try:
        old = pyogrio.read_dataframe(path, layer=LAYER, columns=["city"], read_geometry=False)
    except Exception:  # noqa: BLE001 - an unreadable old file is replaced, not trusted
        log.warning("the existing %s could not be read; it will be replaced", path)
        return {}
    return {str(k): int(v) for k, v in old["city"].value_counts().items()}


def build(raw: dict[str, gpd.GeoDataFrame], *, fetched: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Normalise and validate each city's raw features into one venues layer.

    Parameters
    ----------
    raw
        City id to osmnx features.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    tuple
        The validated venues (EPSG:4326) and one report line per city.

    Raises
    ------
    InputError
        If a record fails validation.
    """
    parts, report = [], []
    for city, features in raw.items():
        venues, skipped = normalise_venues(features, city=city, fetched=fetched)
        parts.append(venues)
        counts = venues["kind"].value_counts().to_dict()
        report.append(
            f"{city}: {len(venues)} venues {dict(sorted(counts.items()))}; skipped "
            f"{skipped['no_name']} without a name, {skipped['not_a_venue']} not venues, "
            f"{skipped['no_geometry']} without geometry"
        )
    venues = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    return validate_places(venues), report


def refuse_worse(new: gpd.GeoDataFrame, previous: dict[str, int]) -> list[str]:
    """Return why the new data is worse than the file it would replace (empty: it is not).

    Parameters
    ----------
    new
        The new venues.
    previous
        Venues per city in the current file.

    Returns
    -------
    list of str
        One line per city that lost more than ``1 - MIN_SHARE_OF_PREVIOUS`` of its venues.
    """
    counts = new["city"].value_counts().to_dict()
    problems = []
    for city, before in previous.items():
        after = int(counts.get(city, 0))
        if after < MIN_SHARE_OF_PREVIOUS * before:
            problems.append(f"{city}: {after} venues now against {before} in the current file")
    return problems


def write_atomically(venues: gpd.GeoDataFrame, path: Path) -> None:
    """Write the layer to a temporary file beside ``path``, then move it into place.

    Parameters
    ----------
    venues
        The layer to write.
    path
        The GeoPackage to replace.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".osm_venues.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    Path(tmp).unlink()  # GDAL creates the file itself
    try:
        venues.to_file(tmp, layer=LAYER, driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Run the import; return the process exit code (0 written, 1 nothing changed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="GeoPackage to write")
    parser.add_argument(
        "--force", action="store_true", help="write even if a city has far fewer venues than now"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    fetched = datetime.now(UTC).date().isoformat()
    try:
        import osmnx as ox  # noqa: PLC0415 - only the importer needs it

        check_online(ox.settings.overpass_url)
        raw = {city: fetch_city(city) for city in CITIES}
        venues, report = build(raw, fetched=fetched)
    except (FetchError, InputError) as err:
        log.error("%s\nNothing was written: %s is unchanged.", err, args.out)
        return 1
    for line in report:
        log.info(line)
    problems = refuse_worse(venues, _previous_counts(args.out))
    if problems and not args.force:
        log.error(
            "The new data looks worse than the current file, so it was not written:\n  %s\n"
            "Check OpenStreetMap's status and try again, or pass --force.",
            "\n  ".join(problems),
        )
        return 1
    write_atomically(venues, args.out)
    log.info("Wrote %d venues to %s (%s).", len(venues), args.out, OSM_LICENCE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
