"""`make data`: fetch OpenStreetMap data for both cities: venues and the search gazetteer.

It writes data/osm_venues.gpkg (existing cultural and creative venues, a map layer) and
data/gazetteer.gpkg (landmarks and named streets, for the offline place search).

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
from geo.landmarks import (
    GAZETTEER_TAGS,
    STREET_TAGS,
    normalise_landmarks,
    normalise_streets,
    validate_gazetteer,
)
from geo.schema import CITIES, CITY_BBOX_LON_LAT
from geo.validate import validate_places
from geo.venues import OSM_LICENCE, OSM_TAGS, normalise_venues
from layers.load import GAZETTEER_FILE, GAZETTEER_LAYER
from layers.safe_files import check_file

log = logging.getLogger("sources.osm")

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


def fetch_city(city: str, tags: dict[str, bool | str | list[str]] = OSM_TAGS) -> gpd.GeoDataFrame:
    """Return the OSM features with some tags inside a city's envelope (needs internet).

    Parameters
    ----------
    city
        ``"astana"`` or ``"almaty"``.
    tags
        What to ask for, in osmnx's form (default: the venue tags).

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
        return ox.features_from_bbox(CITY_BBOX_LON_LAT[city], tags=tags)
    except requests.exceptions.RequestException as err:
        msg = f"OpenStreetMap could not be reached for {city} (no internet?): {err}"
        raise FetchError(msg) from err
    except (ox._errors.InsufficientResponseError, ox._errors.ResponseStatusCodeError) as err:
        msg = f"OpenStreetMap's Overpass API answered badly for {city}: {err}"
        raise FetchError(msg) from err


def _previous_counts(path: Path, layer: str = LAYER) -> dict[str, int]:
    if not path.is_file():
        return {}
    try:
        check_file(path)
        old = pyogrio.read_dataframe(path, layer=layer, columns=["city"], read_geometry=False)
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
            f"{skipped['no_geometry']} without geometry, {skipped['outside']} outside the city"
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


def build_gazetteer(
    raw: dict[str, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]], *, fetched: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Turn each city's landmark and street features into the validated search gazetteer.

    Parameters
    ----------
    raw
        City id to (landmark features, street features) from osmnx.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    tuple
        The gazetteer (EPSG:4326) and one report line per city.

    Raises
    ------
    InputError
        If it fails validation.
    """
    parts, report = [], []
    for city, (landmark_features, street_features) in raw.items():
        landmarks = normalise_landmarks(landmark_features, city=city, fetched=fetched)
        streets = normalise_streets(street_features, city=city, fetched=fetched)
        parts += [landmarks, streets]
        report.append(f"{city}: {len(landmarks)} landmarks, {len(streets)} named streets")
    entries = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    return validate_gazetteer(entries), report


def write_atomically(venues: gpd.GeoDataFrame, path: Path, *, layer: str = LAYER) -> None:
    """Write the layer to a temporary file beside ``path``, then move it into place.

    Parameters
    ----------
    venues
        The layer to write.
    path
        The GeoPackage to replace.
    layer
        The layer's name inside it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".osm_venues.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    Path(tmp).unlink()  # GDAL creates the file itself
    try:
        venues.to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Run the import; return the process exit code (0 written, 1 nothing changed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="venues GeoPackage to write; the gazetteer goes beside it",
    )
    parser.add_argument(
        "--force", action="store_true", help="write even if a city has far fewer venues than now"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    fetched = datetime.now(UTC).date().isoformat()
    gazetteer = args.out.parent / GAZETTEER_FILE
    try:
        import osmnx as ox  # noqa: PLC0415 - only the importer needs it

        check_online(ox.settings.overpass_url)
        raw = {city: fetch_city(city) for city in CITIES}
        places = {
            city: (fetch_city(city, GAZETTEER_TAGS), fetch_city(city, STREET_TAGS))
            for city in CITIES
        }
        venues, report = build(raw, fetched=fetched)
        entries, gazetteer_report = build_gazetteer(places, fetched=fetched)
    except (FetchError, InputError) as err:
        log.error("%s\nNothing was written: %s and %s are unchanged.", err, args.out, gazetteer)
        return 1
    for line in [*report, *gazetteer_report]:
        log.info(line)
    problems = refuse_worse(venues, _previous_counts(args.out))
    problems += refuse_worse(entries, _previous_counts(gazetteer, GAZETTEER_LAYER))
    if problems and not args.force:
        log.error(
            "The new data looks worse than the current file, so it was not written:\n  %s\n"
            "Check OpenStreetMap's status and try again, or pass --force.",
            "\n  ".join(problems),
        )
        return 1
    write_atomically(venues, args.out)
    write_atomically(entries, gazetteer, layer=GAZETTEER_LAYER)
    log.info(
        "Wrote %d venues to %s and %d search entries to %s (%s).",
        len(venues),
        args.out,
        len(entries),
        gazetteer,
        OSM_LICENCE,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
