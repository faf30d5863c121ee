"""`make data`: geocode the catalogue's address-only records into a separate layer for review.

For every record of ``data/catalogue.gpkg`` (layer ``places``) that has an address and no
position, Nominatim is asked through the app's bounded client (``sources.nominatim``: one
request per second, a real user agent, a deadline and size caps), limited to the record's city
(``viewbox`` of its envelope with ``bounded=1``, ``countrycodes=kz``). The query is the cleaned
address and the city's name; when that finds nothing usable, the record's name and the city
are asked instead (a venue's name often finds the building itself), and the row says which.

The answers go to ``data/geocoded_venues.gpkg``, layer ``geocoded``: one row per record
without a position, placed or not, with the query sent, the answer's display name and type
(OSM class, type, address type), a precision word, the accuracy in metres, the date and the
source. Nothing here is a curated fact: the catalogue is only read, never written, and a
reviewer decides what moves into it.

Offline (the server cannot be reached) or when the geocoder refuses us (rate limit, blocked),
it says so and leaves the file as it was; the new file replaces the old one only whole and
checked. ``CREATIVE_MAP_GEOCODER=off`` skips the step.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import pyogrio
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.geocoders import Nominatim
from shapely.geometry import Point

from geo.errors import InputError
from geo.geocoded import (
    COLUMNS,
    FAILED,
    MAX_TEXT_CHARS,
    NOT_ASKED,
    NOT_FOUND,
    PLACED,
    PRECISIONS,
    REJECTED,
    Placement,
    RejectedAnswerError,
    address_query,
    name_query,
    placement_from_answer,
    validate_geocoded,
)
from geo.schema import CITY_BBOX_LON_LAT
from geo.venues import OSM_LICENCE
from layers.safe_files import check_file
from settings import load_settings
from sources import nominatim

log = logging.getLogger("sources.geocode_venues")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE = ROOT / "data" / "catalogue.gpkg"
CATALOGUE_LAYER = "places"
DEFAULT_OUT = ROOT / "data" / "geocoded_venues.gpkg"
LAYER = "geocoded"
LANG = "en"  # the display names' language (Nominatim falls back to the local name)
SOURCE = "Nominatim geocoder (https://nominatim.org), OpenStreetMap data"
# More failed requests than this share of those asked means the server is in trouble: the
# run is not written, so one bad night does not replace a good layer; this many failures in a
# row (a network that drops packets times out each request) stop the run at once.
MAX_FAILED_SHARE = 0.5
MAX_FAILED_IN_A_ROW = 3

# Ask one query in one city; return Nominatim's results (its JSON objects).
Ask = Callable[[str, str], Sequence[Mapping[str, Any]]]


class GeocoderOfflineError(RuntimeError):
    """The geocoder cannot be reached, or refuses to answer us: stop, write nothing."""


class RequestFailedError(RuntimeError):
    """One request failed (too slow, too large, an error status): that record is not placed."""


def check_online(url: str, *, timeout_s: float = nominatim.TIMEOUT_S) -> None:
    """Fail fast, with a plain message, when the geocoder's host cannot be reached.

    Checked before anything else, so that offline nothing is written even when no record
    needs asking.

    Parameters
    ----------
    url
        The Nominatim server's URL (``settings.Settings.geocoder_url``).
    timeout_s
        How long to wait for a connection, in seconds.

    Raises
    ------
    GeocoderOfflineError
        If the host does not resolve or does not accept a connection.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as err:
        msg = f"the geocoder at {host} could not be reached ({err}); this machine looks offline"
        raise GeocoderOfflineError(msg) from err


def ask_nominatim(query: str, city: str) -> list[Mapping[str, Any]]:
    """Ask the configured Nominatim server for a query inside a city, through the app's client.

    The request goes through ``sources.nominatim``'s process-wide rate limiter (one request
    per second) and bounded adapter (deadline, size cap, form check), with its user agent.

    Parameters
    ----------
    query
        The free-form query.
    city
        City id: results are limited to its envelope (``viewbox`` and ``bounded=1``).

    Returns
    -------
    list of dict
        Nominatim's results (raw JSON objects), at most ``nominatim.MAX_RESULTS``.

    Raises
    ------
    GeocoderOfflineError
        If the server cannot be reached (offline, refused, no DNS) or refuses us (rate limit,
        blocked, quota).
    RequestFailedError
        If this request failed in another way (timed out, too large, malformed, error status).
    """
    url = urlsplit(load_settings().geocoder_url)
    minx, miny, maxx, maxy = CITY_BBOX_LON_LAT[city]
    geocoder = Nominatim(
        user_agent=nominatim.USER_AGENT,
        timeout=nominatim.TIMEOUT_S,
        domain=url.netloc + url.path,
        scheme=url.scheme,
        adapter_factory=nominatim.BoundedAdapter,
    )
    try:
        found = nominatim.limited_search(  # the client's one limiter for the whole process
            geocoder,
            query,
            exactly_one=False,
            limit=nominatim.MAX_RESULTS,
            viewbox=[(miny, minx), (maxy, maxx)],
            bounded=True,
            country_codes="kz",
            language=LANG,
        )
    except (
        GeocoderUnavailable,
        GeocoderRateLimited,
        GeocoderQuotaExceeded,
        GeocoderInsufficientPrivileges,
        GeocoderAuthenticationFailure,
    ) as err:
        # The client reports any answer but 200 as unavailable too: a server that answers
        # with errors is not asked again and again either.
        msg = (
            f"the geocoder at {url.netloc + url.path} could not be reached or refused to answer "
            f"({str(err)[:200]}); this machine looks offline, or the server is refusing us"
        )
        raise GeocoderOfflineError(msg) from err
    except (ValueError, TypeError) as err:  # geopy could not read a result's lat or lon
        msg = f"malformed answer ({str(err)[:200]})"
        raise RequestFailedError(msg) from err
    except GeopyError as err:  # timed out, too large, not a list of results
        msg = f"{type(err).__name__}: {str(err)[:200]}"
        raise RequestFailedError(msg) from err
    return [loc.raw for loc in (found or [])[: nominatim.MAX_RESULTS]]


@dataclass
class _Attempt:
    """What one query gave: a placement, or why not."""

    query: str
    basis: str
    placement: Placement | None = None
    status: str = NOT_FOUND
    reasons: list[str] = field(default_factory=list)


def _try(ask: Ask, query: str, basis: str, city: str) -> _Attempt:
    attempt = _Attempt(query=query, basis=basis)
    try:
        answers = ask(query, city)
    except RequestFailedError as err:
        attempt.status, attempt.reasons = FAILED, [f"request failed: {err}"]
        return attempt
    for answer in answers:
        try:
            attempt.placement = placement_from_answer(answer, city=city)
        except RejectedAnswerError as err:
            attempt.status = REJECTED
            attempt.reasons.append(f"{err.reason}: {err}")
            continue
        attempt.status = PLACED
        return attempt
    if not answers:
        attempt.reasons = ["Nominatim found nothing in the city"]
    return attempt


def _text(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(str(value).split())


def geocode_record(row: Mapping[str, Any], *, ask: Ask, today: str) -> dict[str, Any]:
    """Return the layer's row for one catalogue record without a position.

    The address is asked first; only when it places nothing is the name asked (Russian, else
    English, else Kazakh: OpenStreetMap's names in Kazakhstan are most complete in Russian).
    The row keeps the attempt that placed it, or else the address's, with the reasons of
    both. A name missing in one language is shown in another (the row is for display only).

    Parameters
    ----------
    row
        The catalogue record (``id``, ``city``, ``name_*``, ``address``).
    ask
        How to ask the geocoder (``ask_nominatim``).
    today
        The date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    dict
        One value per ``COLUMNS`` entry, and ``geometry`` (a Point, or ``None``).

    Raises
    ------
    GeocoderOfflineError
        If the geocoder cannot be reached.
    """
    city = str(row["city"])
    address = _text(row, "address")[:MAX_TEXT_CHARS]
    out: dict[str, Any] = {c: "" for c in COLUMNS}
    names = {lang: _text(row, f"name_{lang}") for lang in ("ru", "en", "kk")}
    name = next((n for n in names.values() if n), "")
    out.update(
        id=str(row["id"]),
        city=city,
        **{f"name_{lang}": text or name for lang, text in names.items()},
        address=address,
        place_rank=None,
        location_accuracy_m=None,
        geocoded_date=today,
        source=SOURCE,
        licence=OSM_LICENCE,
        geometry=None,
    )
    query = address_query(address, city)
    if not query:
        out.update(status=NOT_ASKED, reason="no address to ask for")
        return out
    attempts = [_try(ask, query, "address", city)]
    if attempts[0].placement is None and name_query(name, city):
        attempts.append(_try(ask, name_query(name, city), "name", city))
    chosen = next((a for a in attempts if a.placement is not None), attempts[0])
    others = [a for a in attempts if a is not chosen]
    reasons = [f"{a.basis}: {'; '.join(a.reasons)}" for a in [chosen, *others] if a.reasons]
    out.update(
        query=chosen.query,
        query_basis=chosen.basis,
        status=chosen.status,
        reason=" | ".join(reasons)[:1000],
    )
    placement = chosen.placement
    if placement is not None:
        out.update(
            display_name=placement.display_name,
            osm_class=placement.osm_class,
            osm_type=placement.osm_type,
            addresstype=placement.addresstype,
            answer_type=placement.answer_type,
            osm_ref=placement.osm_ref,
            place_rank=placement.place_rank,
            precision=placement.precision,
            location_accuracy_m=placement.accuracy_m,
            geometry=Point(placement.lon_lat),
        )
    return out


def records_to_geocode(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the catalogue's records without a position (the only ones ever asked about).

    Parameters
    ----------
    places
        The catalogue's ``places`` layer.

    Returns
    -------
    geopandas.GeoDataFrame
        The records whose geometry is missing or empty, in catalogue order.
    """
    has_position = places.geometry.notna() & ~places.geometry.is_empty
    return places.loc[~has_position]


def build_layer(places: gpd.GeoDataFrame, *, ask: Ask, today: str) -> gpd.GeoDataFrame:
    """Geocode every record without a position and return the layer (EPSG:4326).

    Parameters
    ----------
    places
        The catalogue's ``places`` layer (only read).
    ask
        How to ask the geocoder (``ask_nominatim``).
    today
        The date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record without a position, columns ``COLUMNS`` and a Point geometry
        (empty for records not placed).

    Raises
    ------
    GeocoderOfflineError
        If the geocoder cannot be reached, or ``MAX_FAILED_IN_A_ROW`` requests in a row fail.
    """
    rows, in_a_row = [], 0
    for record in records_to_geocode(places).to_dict("records"):
        rows.append(geocode_record(record, ask=ask, today=today))
        in_a_row = in_a_row + 1 if rows[-1]["status"] == FAILED else 0
        if in_a_row >= MAX_FAILED_IN_A_ROW:
            msg = f"{in_a_row} requests in a row failed (last: {rows[-1]['reason'][:200]})"
            raise GeocoderOfflineError(msg)
    # Empty text is stored as null: the PostGIS store reads an empty string back as null too.
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "geometry"]).replace("", None)
    frame["place_rank"] = frame["place_rank"].astype("Int64")
    frame["location_accuracy_m"] = frame["location_accuracy_m"].astype("Float64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def write_atomically(layer: gpd.GeoDataFrame, path: Path) -> None:
    """Write the layer to a temporary file beside ``path``, read it back, then move it in.

    Parameters
    ----------
    layer
        The checked layer.
    path
        The GeoPackage to replace.

    Raises
    ------
    ValueError
        If the written file does not read back as the same rows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".geocoded_venues.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    Path(tmp).unlink()  # GDAL creates the file itself
    try:
        if len(layer):
            layer.to_file(tmp, layer=LAYER, driver="GPKG", engine="pyogrio")
        else:  # an empty frame has no geometry type to guess: name it
            layer.to_file(tmp, layer=LAYER, driver="GPKG", engine="pyogrio", geometry_type="Point")
        back = pyogrio.read_dataframe(tmp, layer=LAYER)
        if list(back["id"]) != list(layer["id"]) or list(back["status"]) != list(layer["status"]):
            msg = f"{path.name}: the written layer does not read back as written"
            raise ValueError(msg)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def report(layer: gpd.GeoDataFrame) -> list[str]:
    """Return a short report for the reviewer: placed, per answer type, and the rest.

    Parameters
    ----------
    layer
        The layer ``build_layer`` made.

    Returns
    -------
    list of str
        Lines to print.
    """
    asked = layer[layer["status"] != NOT_ASKED]
    placed = layer[layer["status"] == PLACED]
    lines = [f"Geocoded {len(placed)} of {len(asked)} addresses without a position."]
    if len(placed):
        precision = Counter(placed["precision"])
        lines.append(
            "  by precision: "
            + ", ".join(f"{p} {precision[p]}" for p in PRECISIONS if precision[p])
        )
        types = Counter(placed["answer_type"]).most_common()
        lines.append("  by answer type: " + ", ".join(f"{t} {n}" for t, n in types))
    for row in layer[layer["status"] != PLACED].itertuples(index=False):
        what = repr(row.query) if isinstance(row.query, str) else "no address"
        lines.append(f"  not placed: {row.id} ({row.status}; {what}) {row.reason}"[:400])
    return lines


def _read_catalogue(path: Path) -> gpd.GeoDataFrame:
    check_file(path)
    return gpd.read_file(path, layer=CATALOGUE_LAYER, engine="pyogrio")


def main(argv: list[str] | None = None, *, ask: Ask = ask_nominatim) -> int:
    """Run the geocoding; return the process exit code (0 written or skipped, 1 not written).

    Parameters
    ----------
    argv
        Command-line arguments (``--catalogue``, ``--out``); ``None`` reads ``sys.argv``.
    ask
        How to ask the geocoder (``ask_nominatim``, which reads ``CREATIVE_MAP_GEOCODER``).

    Returns
    -------
    int
        0 when the layer was written or the geocoder is switched off; 1 when nothing was
        written (offline, refused, too many failures, or a bad argument).
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(format="%(message)s")
    log.setLevel(logging.INFO)
    out, catalogue = args.out, args.catalogue
    if out.resolve() == catalogue.resolve() or out.suffix != ".gpkg":
        log.error("--out must be a new .gpkg file, never the catalogue (got %s).", out)
        return 1
    if not load_settings().geocoder_online:
        log.warning(
            "Geocoding skipped: the geocoder is switched off (CREATIVE_MAP_GEOCODER=off). "
            "Nothing was written: %s is unchanged.",
            out,
        )
        return 0
    today = datetime.now(UTC).date().isoformat()
    try:
        check_online(load_settings().geocoder_url)
        places = _read_catalogue(catalogue)
        layer = build_layer(places, ask=ask, today=today)
        validate_geocoded(layer)
    except GeocoderOfflineError as err:
        log.error("Geocoding stopped: %s.\nNothing was written: %s is unchanged.", err, out)
        return 1
    except (InputError, OSError) as err:  # the catalogue is missing, refused or invalid
        log.error(
            "Geocoding stopped: the catalogue %s could not be used (%s).\nNothing was written: "
            "%s is unchanged.",
            catalogue,
            err,
            out,
        )
        return 1
    for line in report(layer):
        log.info(line)
    asked = int((layer["status"] != NOT_ASKED).sum())
    failed = int((layer["status"] == FAILED).sum())
    if asked and failed > MAX_FAILED_SHARE * asked:
        log.error(
            "%d of %d requests failed: the geocoder is in trouble. Nothing was written: %s is "
            "unchanged; try again later.",
            failed,
            asked,
            out,
        )
        return 1
    write_atomically(layer, out)
    log.info(
        "Wrote %d rows to %s, layer %r (not reviewed; the catalogue is unchanged). %s",
        len(layer),
        out,
        LAYER,
        OSM_LICENCE,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
