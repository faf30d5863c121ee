"""The online part of place search: Nominatim (OpenStreetMap) through geopy, within one city.

Nominatim's usage policy asks for a real user agent, at most one request per second and
cached results: every request in the process goes through one geopy ``RateLimiter`` (one
request per second; it holds its lock only to take a turn, never over the network), answers
are kept for a day in a bounded least-recently-used cache (a failure is not kept, so a
machine that comes back online asks again), and only a submitted search asks, never each
keystroke.

A geocoder is a server on someone else's network, so every request is bounded: one overall
deadline for the whole exchange (a watchdog closes the connection when it passes, however
slowly the server sends), a cap on the answer's size in bytes and on its number of results,
and a check of its form. Any failure (offline, refused, too slow, too large, malformed)
returns no results with the reason, is logged, and is never raised: the offline gazetteer
still answers. ``CREATIVE_MAP_GEOCODER=off`` (read by ``settings.py``) switches it off; set to
an ``http://`` or ``https://`` URL, it names the Nominatim server to ask.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.schema import CITY_BBOX_LON_LAT
from geo.search import MAX_QUERY_CHARS, Entry
from settings import load_settings

log = logging.getLogger(__name__)

USER_AGENT = "creative-spaces-kz/1.0 (map of creative spaces in Astana and Almaty)"
MIN_INTERVAL_S = 1.0
# No retry: offline (a forum hall) a retry would only make every search wait longer, and the
# next search asks again anyway (failures are never cached).
MAX_RETRIES = 0
ERROR_WAIT_S = 2.0
TIMEOUT_S = 4.0  # each connect and each read of the socket
DEADLINE_S = 5.0  # the whole exchange, however slowly the server sends
MAX_RESULTS = 5
MAX_BYTES = 128 * 1024  # five results take a few kilobytes
MAX_LABEL_CHARS = 300

CACHE_TTL_S = 24 * 3600
CACHE_MAX = 1024

# Why a lookup found nothing online (``Answer.problem``); the UI words each one.
TIMED_OUT = "timed_out"
TOO_LARGE = "too_large"
FAILED = "failed"

CacheKey = tuple[str, str, str, str]
# Least recently used first. The lock guards the dictionary only, never a request.
_cache: OrderedDict[CacheKey, tuple[float, list[Entry]]] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class Answer:
    """What the geocoder found, and, when it found nothing, why (``None``: no problem)."""

    entries: tuple[Entry, ...]
    problem: str | None = None


class AnswerTooLargeError(GeocoderServiceError):  # type: ignore[misc]
    """The server's answer is larger than ``MAX_BYTES``."""


def _cut_off(conn: http.client.HTTPConnection, expired: threading.Event) -> None:
    """Mark the deadline passed and shut the connection's socket, waking a blocked read."""
    expired.set()
    sock = conn.sock
    if sock is not None:
        with suppress(OSError):
            # The plain socket's shutdown, also under TLS: it ends a read blocked in another
            # thread, where the TLS layer's own shutdown would first try to talk to the server.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def fetch(
    url: str, headers: Mapping[str, str], *, ssl_context: ssl.SSLContext | None = None
) -> bytes:
    """Return the body of a GET, within ``DEADLINE_S`` in all and at most ``MAX_BYTES``.

    Parameters
    ----------
    url
        An ``http`` or ``https`` URL.
    headers
        Request headers.
    ssl_context
        For ``https``; ``None`` uses the system's default (verified) context.

    Returns
    -------
    bytes
        The body of a 200 answer.

    Raises
    ------
    GeocoderTimedOut
        If the exchange is not over within the deadline (or a socket read times out).
    AnswerTooLargeError
        If the answer is (or says it is) larger than ``MAX_BYTES``.
    AdapterHTTPError
        If the status is not 200 (geopy turns it into its error for that status).
    GeocoderUnavailable
        If the connection fails.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl_context or ssl.create_default_context()
        conn = http.client.HTTPSConnection(host, port, timeout=TIMEOUT_S, context=context)
    elif parts.scheme == "http":
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
    else:
        msg = f"geocoder URL: expected http or https, got {parts.scheme!r}"
        raise GeocoderServiceError(msg)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    expired = threading.Event()
    watchdog = threading.Timer(DEADLINE_S, _cut_off, args=(conn, expired))
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.connect()
        if expired.is_set():  # the deadline passed while connecting, before the socket was set
            raise TimeoutError(DEADLINE_S)
        conn.request("GET", target or "/", headers=dict(headers))
        response = conn.getresponse()
        declared = response.getheader("Content-Length") or ""
        if declared.strip().isdigit() and int(declared) > MAX_BYTES:
            msg = f"geocoder answer: {int(declared):,} bytes declared, at most {MAX_BYTES:,}"
            raise AnswerTooLargeError(msg)
        body = response.read(MAX_BYTES + 1)
        if expired.is_set():  # a read cut short by the watchdog ends early, not in error
            raise TimeoutError(DEADLINE_S)
        if len(body) > MAX_BYTES:
            msg = f"geocoder answer: more than {MAX_BYTES:,} bytes"
            raise AnswerTooLargeError(msg)
        if response.status != 200:  # noqa: PLR2004 - HTTP OK
            text = body[:500].decode("utf-8", "replace")
            msg = f"Non-successful status code {response.status}"
            raise AdapterHTTPError(
                msg,
                status_code=response.status,
                headers=dict(response.getheaders()),
                text=text,
            )
        return body
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set() or isinstance(err, TimeoutError):
            msg = f"geocoder: no whole answer within {DEADLINE_S:g} s"
            raise GeocoderTimedOut(msg) from err
        msg = f"geocoder unavailable: {err}"
        raise GeocoderUnavailable(msg) from err
    finally:
        watchdog.cancel()
        conn.close()


def _results(body: bytes) -> list[dict[str, Any]]:
    """Return the first ``MAX_RESULTS`` results of a Nominatim JSON answer, checked for form."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as err:  # RecursionError: JSON nested too deep
        msg = f"geocoder answer: not JSON ({type(err).__name__})"
        raise GeocoderParseError(msg) from err
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        msg = f"geocoder answer: expected a list of results, got {type(doc).__name__}"
        raise GeocoderParseError(msg)
    return doc[:MAX_RESULTS]


class BoundedAdapter(BaseSyncAdapter):  # type: ignore[misc]
    """A geopy adapter whose every request is bounded in time and size (see ``fetch``)."""

    def __init__(self, *, proxies: Any, ssl_context: ssl.SSLContext | None) -> None:
        """Keep the TLS context; proxies are not used (the app talks to one server)."""
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self._ssl_context = ssl_context

    def get_json(self, url: str, *, timeout: float, headers: Mapping[str, str]) -> Any:
        """Return the answer's results (see ``_results``); ``timeout`` is ``TIMEOUT_S``."""
        del timeout
        return _results(fetch(url, headers, ssl_context=self._ssl_context))

    def get_text(self, url: str, *, timeout: float, headers: Mapping[str, str]) -> str:
        """Return the answer as text."""
        del timeout
        return fetch(url, headers, ssl_context=self._ssl_context).decode("utf-8", "replace")


def _search(geocoder: Nominatim, query: str, **options: Any) -> Any:
    """Ask one Nominatim server; the limiter below wraps this, so it paces every server."""
    return geocoder.geocode(query, **options)


# One limiter for the whole process, as the policy asks (it is thread-safe), used by every
# request of the process: the search box and `make data`'s geocoding. Errors are not
# swallowed: after the retry they reach ``geocode``, which decides what a failure means.
limited_search = RateLimiter(
    _search,
    min_delay_seconds=MIN_INTERVAL_S,
    max_retries=MAX_RETRIES,
    error_wait_seconds=ERROR_WAIT_S,
    swallow_exceptions=False,
)


def _cache_get(key: CacheKey) -> list[Entry] | None:
    with _cache_lock:
        kept = _cache.get(key)
        if kept is None:
            return None
        if time.monotonic() - kept[0] >= CACHE_TTL_S:
            del _cache[key]
            return None
        _cache.move_to_end(key)
        return kept[1]


def _cache_put(key: CacheKey, entries: list[Entry]) -> None:
    with _cache_lock:
        _cache[key] = (time.monotonic(), entries)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_MAX:
            _cache.popitem(last=False)  # the least recently used


def lookup(
    query: str,
    city: str,
    *,
    lang: str = "ru",
    domain: str | None = None,
    scheme: str | None = None,
) -> Answer:
    """Return up to ``MAX_RESULTS`` places Nominatim finds for a query inside a city.

    Parameters
    ----------
    query
        What the user typed (not empty, at most ``geo.search.MAX_QUERY_CHARS``).
    city
        ``"astana"`` or ``"almaty"``: results are limited to its envelope.
    lang
        Preferred language of the returned names.
    domain, scheme
        The Nominatim server (host, port and any path; ``"http"`` or ``"https"``); ``None``
        takes it from ``settings.Settings.geocoder_url``.

    Returns
    -------
    Answer
        Entries with ``origin="geocoder"``; none when offline, disabled or on any error, with
        the reason in ``problem`` (``TIMED_OUT``, ``TOO_LARGE`` or ``FAILED``) for an error.
    """
    settings = load_settings()
    if not settings.geocoder_online or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return Answer(())
    url = urlsplit(settings.geocoder_url)
    scheme = scheme or url.scheme
    domain = domain or (url.netloc + url.path)
    key = (" ".join(query.lower().split()), city, lang, domain)
    kept = _cache_get(key)
    if kept is not None:
        return Answer(tuple(kept))
    minx, miny, maxx, maxy = CITY_BBOX_LON_LAT[city]
    geocoder = Nominatim(
        user_agent=USER_AGENT,
        timeout=TIMEOUT_S,
        domain=domain,
        scheme=scheme,
        adapter_factory=BoundedAdapter,
    )
    try:
        found = limited_search(
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
        if isinstance(err, GeocoderTimedOut):
            return Answer((), TIMED_OUT)
        return Answer((), TOO_LARGE if isinstance(err, AnswerTooLargeError) else FAILED)
    entries = []
    for i, loc in enumerate((found or [])[:MAX_RESULTS]):
        # Nominatim is asked to stay in the box; only what is really in it is kept.
        if not (minx <= float(loc.longitude) <= maxx and miny <= float(loc.latitude) <= maxy):
            continue
        name = str(loc.address)[:MAX_LABEL_CHARS]
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
    _cache_put(key, entries)
    return Answer(tuple(entries))


def geocode(
    query: str,
    city: str,
    *,
    lang: str = "ru",
    domain: str | None = None,
    scheme: str | None = None,
) -> list[Entry]:
    """Return the places ``lookup`` finds (none on any error; see ``lookup``)."""
    return list(lookup(query, city, lang=lang, domain=domain, scheme=scheme).entries)
