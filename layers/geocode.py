"""The online part of place search: Nominatim (OpenStreetMap) through geopy, within one city.

Nominatim's usage policy asks for a real user agent, at most one request per second and
cached results: requests here share one process-wide pace, answers are kept for a day (a
failure is not kept, so a machine that comes back online asks again), and only a submitted
search asks, never each keystroke. Any failure (offline, timeout, refused) returns no results
and is logged, never raised: the offline gazetteer still answers.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from geo.schema import CITY_BBOX_LON_LAT
from geo.search import Entry

log = logging.getLogger(__name__)

USER_AGENT = "creative-spaces-kz/1.0 (map of creative spaces in Astana and Almaty)"
MIN_INTERVAL_S = 1.0
TIMEOUT_S = 4.0
MAX_RESULTS = 5
# "off" disables it (tests, and machines that must never call out); "on" is the default.
ENV_SWITCH = "CREATIVE_MAP_GEOCODER"

CACHE_TTL_S = 24 * 3600
CACHE_MAX = 1024

_pace = threading.Lock()
_last_request = 0.0
_cache: dict[tuple[str, str, str, str], tuple[float, list[Entry]]] = {}


def enabled() -> bool:
    """Return whether online geocoding is switched on (``CREATIVE_MAP_GEOCODER`` not "off")."""
    return os.environ.get(ENV_SWITCH, "on").strip().lower() != "off"


def geocode(
    query: str,
    city: str,
    *,
    lang: str = "ru",
    domain: str = "nominatim.openstreetmap.org",
    scheme: str = "https",
) -> list[Entry]:
    """Return up to ``MAX_RESULTS`` places Nominatim finds for a query inside a city.

    Parameters
    ----------
    query
        What the user typed (not empty).
    city
        ``"astana"`` or ``"almaty"``: results are limited to its envelope.
    lang
        Preferred language of the returned names.
    domain, scheme
        The Nominatim server.

    Returns
    -------
    list of Entry
        Entries with ``origin="geocoder"``; empty when offline, disabled or on any error.
    """
    global _last_request  # noqa: PLW0603 - one pace for the whole process, as the policy asks
    if not enabled() or not query.strip():
        return []
    key = (" ".join(query.lower().split()), city, lang, domain)
    kept = _cache.get(key)
    if kept is not None and time.monotonic() - kept[0] < CACHE_TTL_S:
        return list(kept[1])
    minx, miny, maxx, maxy = CITY_BBOX_LON_LAT[city]
    geocoder = Nominatim(user_agent=USER_AGENT, timeout=TIMEOUT_S, domain=domain, scheme=scheme)
    with _pace:
        wait = _last_request + MIN_INTERVAL_S - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            found = geocoder.geocode(
                query,
                exactly_one=False,
                limit=MAX_RESULTS,
                viewbox=[(miny, minx), (maxy, maxx)],
                bounded=True,
                country_codes="kz",
                language=lang,
            )
        except (GeopyError, OSError, ValueError) as err:
            log.info("online geocoder skipped for %r: %s", query, err)
            return []
        finally:
            _last_request = time.monotonic()
    entries = []
    for i, loc in enumerate(found or []):
        # Nominatim is asked to stay in the box; only what is really in it is kept.
        if not (minx <= float(loc.longitude) <= maxx and miny <= float(loc.latitude) <= maxy):
            continue
        name = str(loc.address)
        entries.append(
            Entry(
                id=f"nominatim_{i}",
                label=name,
                names=(name,),
                city=city,
                lat=float(loc.latitude),
                lon=float(loc.longitude),
                origin="geocoder",
            )
        )
    if len(_cache) >= CACHE_MAX:
        _cache.pop(next(iter(_cache)))  # the oldest answer
    _cache[key] = (time.monotonic(), entries)
    return list(entries)
