"""The Nominatim adapter against a real HTTP server on this machine (no internet)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from settings import GEOCODER_VAR
from sources import nominatim


class _Nominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim's JSON format, and records what it was asked.

    ``statuses`` is the status of each next answer (popped first to last); when it is empty
    the answer is 200 with two results.
    """

    seen: list[tuple[str, dict[str, list[str]], str]] = []
    statuses: list[int] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        url = urlparse(self.path)
        self.seen.append((url.path, parse_qs(url.query), self.headers.get("User-Agent", "")))
        status = self.statuses.pop(0) if self.statuses else 200
        body = json.dumps(
            [
                {"lat": "51.1281", "lon": "71.4303", "display_name": "Test result, Astana"},
                {"lat": "55.75", "lon": "37.62", "display_name": "Test result out of the box"},
            ]
            if status == 200
            else {"error": "busy"}
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv(GEOCODER_VAR, "on")
    _Nominatim.seen = []
    _Nominatim.statuses = []
    nominatim._cache.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_results_come_back_as_entries_limited_to_the_city(server):
    entries = nominatim.geocode("Baiterek", "astana", lang="en", domain=server, scheme="http")
    assert [(e.label, e.lat, e.lon, e.city, e.origin) for e in entries] == [
        ("Test result, Astana", 51.1281, 71.4303, "astana", "geocoder")
    ]
    ((path, query, agent),) = _Nominatim.seen
    assert path == "/search"
    assert query["q"] == ["Baiterek"]
    assert query["bounded"] == ["1"]
    assert query["countrycodes"] == ["kz"]
    assert query["viewbox"] == ["71.15,50.8,71.85,51.4"]  # lon,lat of two corners
    assert query["accept-language"] == ["en"]
    assert agent.startswith("creative-spaces-kz/")


def test_answers_are_kept_and_asked_once(server):
    first = nominatim.geocode("Khan Shatyr", "astana", domain=server, scheme="http")
    again = nominatim.geocode("  khan   shatyr ", "astana", domain=server, scheme="http")
    assert first
    assert first == again
    assert len(_Nominatim.seen) == 1


def test_requests_are_paced_one_per_second(server):
    start = time.monotonic()
    for query in ("one", "two", "three"):
        assert nominatim.geocode(query, "astana", domain=server, scheme="http")
    # A lower bound only: a slow machine takes longer, never less.
    assert time.monotonic() - start >= 2 * nominatim.MIN_INTERVAL_S
    assert len(_Nominatim.seen) == 3


def test_a_busy_server_gets_no_answer_kept_and_the_next_search_asks_again(server):
    tries = 1 + nominatim.MAX_RETRIES
    _Nominatim.statuses = [503] * tries  # busy through one whole search
    assert nominatim.geocode("Baiterek", "astana", domain=server, scheme="http") == []
    assert len(_Nominatim.seen) == tries
    # Not cached: the same search asks again, and gets the answer.
    entries = nominatim.geocode("Baiterek", "astana", domain=server, scheme="http")
    assert [e.label for e in entries] == ["Test result, Astana"]
    assert len(_Nominatim.seen) == tries + 1


def test_an_unreachable_geocoder_is_skipped_quietly(monkeypatch):
    monkeypatch.setenv(GEOCODER_VAR, "on")
    closed = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    port = closed.server_address[1]
    closed.server_close()  # nothing listens there now: connection refused, like offline
    assert nominatim.geocode("Baiterek", "astana", domain=f"127.0.0.1:{port}", scheme="http") == []


def test_switched_off_or_empty_asks_nothing(server, monkeypatch):
    assert nominatim.geocode("  ", "astana", domain=server, scheme="http") == []
    monkeypatch.setenv(GEOCODER_VAR, "off")
    assert nominatim.geocode("Baiterek", "astana", domain=server, scheme="http") == []
    assert _Nominatim.seen == []
    monkeypatch.setenv(GEOCODER_VAR, "on")
    assert nominatim.geocode("Baiterek", "astana", domain=server, scheme="http")
    assert len(_Nominatim.seen) == 1
