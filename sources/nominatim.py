"""The online part of place search: Nominatim (OpenStreetMap) through geopy, within one city.

Nominatim's usage policy asks for a real user agent, at most one request per second and
cached results: every request in the process goes through one geopy ``RateLimiter`` (one
request per second, one retry two seconds after a failure the service may get over: a
timeout, a 429 or a 5xx), answers are kept for a day (a failure is not kept, so a machine
that comes back online asks again), and only a submitted search asks, never each keystroke.
Any failure that remains (offline, refused, a bad answer) returns no results and is logged,
never raised: the offline gazetteer still answers. ``CREATIVE_MAP_GEOCODER=off`` (read by
``settings.py``) switches it off.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.schema import CITY_BBOX_LON_LAT
from geo.search import Entry
from settings import load_settings

log = logging.getLogger(__name__)

USER_AGENT = "creative-spaces-kz/1.0 (map of creative spaces in Astana and Almaty)"
MIN_INTERVAL_S = 1.0
# No retry: offline (a forum hall) a retry would only make every search wait longer, and the
# next search asks again anyway (failures are never cached).
MAX_RETRIES = 0
ERROR_WAIT_S = 2.0
TIMEOUT_S = 4.0
MAX_RESULTS = 5

CACHE_TTL_S = 24 * 3600
CACHE_MAX = 1024

_cache: dict[tuple[str, str, str, str], tuple[float, list[Entry]]] = {}


def _search(geocoder: Nominatim, query: str, **options: Any) -> Any:
    """Ask one Nominatim server; the limiter below wraps this, so it paces every server."""
    return geocoder.geocode(query, **options)


# One limiter for the whole process, as the policy asks (it is thread-safe). Errors are not
# swallowed: after the retry they reach ``geocode``, which decides what a failure means.
_limited_search = RateLimiter(
    _search,
    min_delay_seconds=MIN_INTERVAL_S,
    max_retries=MAX_RETRIES,
    error_wait_seconds=ERROR_WAIT_S,
    swallow_exceptions=False,
)


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
    if not load_settings().geocoder_online or not query.strip():
        return []
    key = (" ".join(query.lower().split()), city, lang, domain)
    kept = _cache.get(key)
    if kept is not None and time.monotonic() - kept[0] < CACHE_TTL_S:
        return list(kept[1])
    minx, miny, maxx, maxy = CITY_BBOX_LON_LAT[city]
    geocoder = Nominatim(user_agent=USER_AGENT, timeout=TIMEOUT_S, domain=domain, scheme=scheme)
    try:
        found = _limited_search(
            geocoder,
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
