"""Geocoding address-only records against a real HTTP server on this machine (no internet).

The server answers /search in Nominatim's ``format=json`` form (the fields of a real answer,
positions made up inside each city) and records every request, so the tests see exactly what
was asked, with which limits, and what was written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pyogrio
import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.errors import InputError
from geo.geocoded import (
    AREA,
    BUILDING,
    MIN_ACCURACY_M,
    STREET,
    RejectedAnswerError,
    address_query,
    name_query,
    placement_from_answer,
    validate_geocoded,
)
from settings import GEOCODER_VAR
from sources import geocode_venues as gv
from sources import nominatim

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"
GEOD = Geod(ellps="WGS84")


def _result(lat, lon, box, *, cls, typ, rank, addresstype, name, osm=("way", 4242)):
    """One result as Nominatim's format=json writes it (numbers as strings, as it does)."""
    south, north, west, east = box
    return {
        "place_id": 100 + rank,
        "licence": LICENCE,
        "osm_type": osm[0],
        "osm_id": osm[1],
        "lat": f"{lat}",
        "lon": f"{lon}",
        "class": cls,
        "type": typ,
        "place_rank": rank,
        "importance": 0.4,
        "addresstype": addresstype,
        "name": name.split(",")[0],
        "display_name": name,
        "boundingbox": [f"{south}", f"{north}", f"{west}", f"{east}"],
    }


THEATRE_BOX = (43.2414, 43.2420, 76.9176, 76.9186)
THEATRE = _result(
    43.2417,
    76.9181,
    THEATRE_BOX,
    cls="amenity",
    typ="theatre",
    rank=30,
    addresstype="amenity",
    name="Auezov Theatre, 103, Abai Avenue, Almaly District, Almaty, 050000, Kazakhstan",
)
STREET_BOX = (43.2380, 43.2400, 76.9000, 76.9200)
ABAI_AVENUE = _result(
    43.2390,
    76.9100,
    STREET_BOX,
    cls="highway",
    typ="primary",
    rank=26,
    addresstype="road",
    name="Abai Avenue, Almaly District, Almaty, Kazakhstan",
)
DISTRICT_BOX = (43.2000, 43.2300, 76.8800, 76.9300)
DISTRICT = _result(
    43.2150,
    76.9050,
    DISTRICT_BOX,
    cls="place",
    typ="suburb",
    rank=20,
    addresstype="suburb",
    name="Orbita, Bostandyk District, Almaty, Kazakhstan",
    osm=("relation", 77),
)
ALMATY_CITY = _result(
    43.2380,
    76.9452,
    (43.0, 43.4, 76.7, 77.2),
    cls="boundary",
    typ="administrative",
    rank=16,
    addresstype="city",
    name="Almaty, Kazakhstan",
    osm=("relation", 1),
)
IN_MOSCOW = _result(
    55.75,
    37.62,
    (55.74, 55.76, 37.61, 37.63),
    cls="amenity",
    typ="theatre",
    rank=30,
    addresstype="amenity",
    name="Bolshoi Theatre, Moscow",
)
HUGE_STREET = _result(
    43.2390,
    76.9100,
    (43.0, 43.4, 76.7, 77.2),  # a "street" the size of the city
    cls="highway",
    typ="primary",
    rank=26,
    addresstype="road",
    name="Some very long road, Almaty",
)
BAD_LAT = {**THEATRE, "lat": "fifty"}
HOSTILE_NAME = {**THEATRE, "display_name": "<script>alert(1)</script>{{ 7*7 }}" + "x" * 1000}

# What the server answers for each query (``q``); anything else finds nothing.
ANSWERS: dict[str, object] = {
    "Abai street 103, Almaty": [THEATRE],
    "Abai Avenue, Almaty": [ABAI_AVENUE],
    "Orbita microdistrict 6, Almaty": [DISTRICT],
    "Somewhere in the centre, Almaty": [ALMATY_CITY],
    "Outside first 1, Almaty": [IN_MOSCOW, THEATRE],
    "Hostile only 1, Almaty": [IN_MOSCOW, HUGE_STREET, ALMATY_CITY],
    "Malformed lat 1, Almaty": [BAD_LAT, THEATRE],
    "Hostile text 1, Almaty": [HOSTILE_NAME],
    "Puppet Theatre, Almaty": [THEATRE],
}
NOT_A_LIST = {"features": []}


class _Nominatim(BaseHTTPRequestHandler):
    """Answers /search from ``ANSWERS`` and records (time, path, query, user agent)."""

    seen: list[tuple[float, str, dict[str, list[str]], str]] = []
    status = 200

    def do_GET(self):  # noqa: N802 - the http.server API
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.seen.append((time.monotonic(), url.path, query, self.headers.get("User-Agent", "")))
        q = query.get("q", [""])[0]
        answer = NOT_A_LIST if q.startswith("Not a list") else ANSWERS.get(q, [])
        body = json.dumps(answer if self.status == 200 else {"error": "boom"}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """A Nominatim on 127.0.0.1 named by the setting, with the limiter's pause shortened.

    The pause is shortened so these tests run quickly; ``test_requests_go_through_the_
    clients_one_per_second_limiter`` restores it and checks the spacing.
    """
    _Nominatim.seen = []
    _Nominatim.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv(GEOCODER_VAR, f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.setattr(nominatim.limited_search, "min_delay_seconds", 0.0)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _catalogue(tmp_path, records):
    """Write a catalogue ``places`` layer of (id, city, name_en, address, point or None)."""
    frame = gpd.GeoDataFrame(
        {
            "id": [r[0] for r in records],
            "city": [r[1] for r in records],
            "name_kk": [""] * len(records),
            "name_ru": [""] * len(records),
            "name_en": [r[2] for r in records],
            "address": [r[3] for r in records],
        },
        geometry=[r[4] for r in records],
        crs="EPSG:4326",
    )
    path = tmp_path / "catalogue.gpkg"
    frame.to_file(path, layer="places", driver="GPKG", engine="pyogrio")
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _asked(server_seen):
    return [query["q"][0] for _, _, query, _ in server_seen]


RECORDS = [
    ("almaty_auezov", "almaty", "Auezov Theatre", "Abai str. 103 (opposite the metro)", None),
    ("almaty_street", "almaty", "Abai Avenue venue", "Abai Avenue", None),
    ("almaty_orbita", "almaty", "Orbita hall", "Orbita microdistrict 6, Bostandyk district", None),
    ("almaty_vague", "almaty", "Vague gallery", "Somewhere in the centre (street not given)", None),
    ("almaty_puppets", "almaty", "Puppet Theatre (Almaty)", "Nowhere lane 9", None),
    ("almaty_no_address", "almaty", "Kazakhfilm", "", None),
    ("almaty_placed", "almaty", "Placed venue", "Abai Avenue 103", Point(76.95, 43.25)),
]


@pytest.mark.parametrize(
    ("address", "city", "query"),
    [
        ("Abai str. 103 (opposite the metro)", "almaty", "Abai street 103, Almaty"),
        ("30A Satpaev st (corner of Satpaev street)", "almaty", "30A Satpaev street, Almaty"),
        ("Tulebaev Street 117, entrance 1, 2nd floor", "almaty", "Tulebaev Street 117, Almaty"),
        ("11 Zheltoksan street", "astana", "11 Zheltoksan street, Astana"),
        ("'In the very centre' (street not given)", "almaty", "In the very centre, Almaty"),
        ("(street not given)", "astana", ""),
        ("Children's Palace lane 2", "astana", "Children's Palace lane 2, Astana"),
        ("«Keruen» mall, 2nd floor", "astana", "Keruen mall, Astana"),
        ("   ", "astana", ""),
    ],
)
def test_the_query_is_the_cleaned_address_and_the_city(address, city, query):
    assert address_query(address, city) == query


def test_the_name_query_drops_remarks_and_ends_with_the_city():
    assert name_query('State Puppet Theatre (Almaty) "Akzhelken"', "almaty") == (
        "State Puppet Theatre Akzhelken, Almaty"
    )
    assert len(name_query("x" * 1000, "astana")) == 200  # the client's query limit


def test_each_request_is_limited_to_the_city_and_names_the_app(server):
    assert gv.ask_nominatim("Abai street 103, Almaty", "almaty") == [THEATRE]
    ((_, path, query, agent),) = _Nominatim.seen
    assert path == "/search"
    assert query["q"] == ["Abai street 103, Almaty"]
    assert query["viewbox"] == ["76.6,42.95,77.25,43.45"]  # Almaty's envelope, lon,lat
    assert query["bounded"] == ["1"]
    assert query["countrycodes"] == ["kz"]
    assert query["format"] == ["json"]
    assert agent == nominatim.USER_AGENT
    gv.ask_nominatim("11 Zheltoksan street, Astana", "astana")
    assert _Nominatim.seen[-1][2]["viewbox"] == ["71.15,50.8,71.85,51.4"]


def _half_diagonal_m(box):
    south, north, west, east = box
    return GEOD.inv(west, south, east, north)[2] / 2


@pytest.mark.parametrize(
    ("answer", "precision", "box"),
    [(THEATRE, BUILDING, THEATRE_BOX), (ABAI_AVENUE, STREET, STREET_BOX), (DISTRICT, AREA, None)],
)
def test_the_accuracy_follows_the_answer_type_and_its_extent(answer, precision, box):
    placement = placement_from_answer(answer, city="almaty")
    assert placement.precision == precision
    assert placement.lon_lat == (float(answer["lon"]), float(answer["lat"]))
    assert placement.answer_type == f"{answer['class']}={answer['type']} ({answer['addresstype']})"
    if precision == BUILDING:  # a building's box is ~50 m across: the floor for a building
        assert _half_diagonal_m(THEATRE_BOX) < 60
        assert placement.accuracy_m == pytest.approx(max(15.0, _half_diagonal_m(THEATRE_BOX)), 0.01)
    else:  # a street or a district is as coarse as its extent
        expected = _half_diagonal_m(box or DISTRICT_BOX)
        assert placement.accuracy_m == pytest.approx(expected, rel=0.01)
        assert placement.accuracy_m > 10 * MIN_ACCURACY_M[BUILDING]


def test_a_point_answer_with_a_tiny_box_is_never_more_exact_than_its_floor():
    node = {**ABAI_AVENUE, "boundingbox": ["43.23899", "43.23901", "76.90999", "76.91001"]}
    assert placement_from_answer(node, city="almaty").accuracy_m == MIN_ACCURACY_M[STREET]


@pytest.mark.parametrize(
    ("answer", "reason", "match"),
    [
        (IN_MOSCOW, "outside_city", "outside Almaty"),
        (ALMATY_CITY, "too_coarse", "a city or larger"),
        (HUGE_STREET, "too_coarse", "coarser than 5,000 m"),
        (BAD_LAT, "malformed", "lat must be a number"),
        ({**THEATRE, "lat": "nan"}, "malformed", "not finite"),
        ({**THEATRE, "boundingbox": ["43.2", "43.3"]}, "malformed", "four numbers"),
        ({**THEATRE, "boundingbox": ["43.3", "43.2", "76.9", "77.0"]}, "malformed", "order"),
        (
            {**THEATRE, "boundingbox": ["43.0", "43.01", "76.7", "76.71"]},
            "malformed",
            "outside its own bounding box",
        ),
        ({**THEATRE, "place_rank": "thirty"}, "malformed", "place_rank"),
        ({**THEATRE, "place_rank": 31}, "malformed", "place_rank"),
        ({**THEATRE, "class": ["amenity"]}, "malformed", "'class' must be text"),
        ({k: v for k, v in THEATRE.items() if k != "type"}, "malformed", "'type' must be text"),
        (["not", "an", "object"], "malformed", "must be an object"),
    ],
)
def test_a_hostile_answer_is_rejected_with_its_reason(answer, reason, match):
    with pytest.raises(RejectedAnswerError, match=match) as caught:
        placement_from_answer(answer, city="almaty")
    assert caught.value.reason == reason


def test_a_run_writes_every_unplaced_record_and_leaves_the_catalogue_byte_identical(
    server, tmp_path
):
    catalogue = _catalogue(tmp_path, RECORDS)
    before = _digest(catalogue)
    out = tmp_path / "geocoded_venues.gpkg"
    assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 0
    assert _digest(catalogue) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.gpkg", out.name]

    layer = pyogrio.read_dataframe(out, layer=gv.LAYER).set_index("id")
    assert list(layer.index) == [r[0] for r in RECORDS if r[4] is None]
    assert layer.crs.to_epsg() == 4326
    theatre = layer.loc["almaty_auezov"]
    assert theatre["query"] == "Abai street 103, Almaty"
    assert theatre[["status", "query_basis", "precision"]].tolist() == [
        "placed",
        "address",
        "building",
    ]
    assert theatre["display_name"] == THEATRE["display_name"]
    assert theatre[["osm_class", "osm_type", "addresstype", "osm_ref"]].tolist() == [
        "amenity",
        "theatre",
        "amenity",
        "way/4242",
    ]
    assert theatre["answer_type"] == "amenity=theatre (amenity)"
    assert (theatre.geometry.x, theatre.geometry.y) == (76.9181, 43.2417)
    assert theatre["location_accuracy_m"] == pytest.approx(_half_diagonal_m(THEATRE_BOX), 0.01)
    assert theatre["licence"] == "© OpenStreetMap contributors, ODbL 1.0"
    assert "Nominatim" in theatre["source"]
    assert theatre["geocoded_date"] == time.strftime("%Y-%m-%d", time.gmtime())

    assert layer.loc["almaty_street", "precision"] == "street"
    assert layer.loc["almaty_street", "location_accuracy_m"] > 500
    assert layer.loc["almaty_orbita", "answer_type"] == "place=suburb (suburb)"
    # Nothing usable for the address, and then the name found the building: it says so.
    puppets = layer.loc["almaty_puppets"]
    assert puppets[["status", "query_basis", "query"]].tolist() == [
        "placed",
        "name",
        "Puppet Theatre, Almaty",
    ]
    assert puppets["reason"].startswith("address: Nominatim found nothing")
    # A city answer places nothing: listed, with an empty geometry and the reason.
    vague = layer.loc["almaty_vague"]
    assert vague["status"] == "rejected"
    assert vague.geometry is None or vague.geometry.is_empty
    assert "too_coarse" in vague["reason"]
    assert layer.loc["almaty_no_address", "status"] == "not_asked"

    asked = _asked(_Nominatim.seen)
    assert "Abai Avenue 103, Almaty" not in asked  # the placed record's address
    assert asked == [
        "Abai street 103, Almaty",
        "Abai Avenue, Almaty",
        "Orbita microdistrict 6, Almaty",
        "Somewhere in the centre, Almaty",
        "Vague gallery, Almaty",
        "Nowhere lane 9, Almaty",
        "Puppet Theatre, Almaty",
    ]


def test_the_layer_check_refuses_a_row_that_does_not_fit_its_status(server, tmp_path):
    places = gpd.read_file(_catalogue(tmp_path, RECORDS), layer="places")
    layer = gv.build_layer(places, ask=gv.ask_nominatim, today="2026-11-29")
    assert validate_geocoded(layer) is layer
    outside = layer.copy()
    outside.loc[outside["id"] == "almaty_auezov", "geometry"] = Point(71.43, 51.13)  # Astana
    with pytest.raises(InputError, match="'almaty_auezov': a placed row needs a point inside"):
        validate_geocoded(outside)
    unplaced = layer.copy()
    unplaced.loc[unplaced["id"] == "almaty_vague", "geometry"] = Point(76.9, 43.2)
    with pytest.raises(InputError, match="'almaty_vague': status 'rejected' does not fit"):
        validate_geocoded(unplaced)
    with pytest.raises(InputError, match="missing columns \\['reason'\\]"):
        validate_geocoded(layer.drop(columns="reason"))


def test_a_name_missing_in_one_language_is_shown_in_another(server, tmp_path):
    places = gpd.read_file(_catalogue(tmp_path, RECORDS[:1]), layer="places")
    (row,) = gv.build_layer(places, ask=gv.ask_nominatim, today="2026-11-29").itertuples()
    assert (row.name_kk, row.name_ru, row.name_en) == ("Auezov Theatre",) * 3


def test_a_record_with_a_position_is_never_asked_about(server, tmp_path):
    placed = [r for r in RECORDS if r[4] is not None]
    assert placed
    catalogue = _catalogue(tmp_path, placed)
    out = tmp_path / "geocoded_venues.gpkg"
    assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 0
    assert _Nominatim.seen == []
    assert len(pyogrio.read_dataframe(out, layer=gv.LAYER)) == 0


def test_an_outside_answer_is_skipped_and_hostile_ones_place_nothing(server, tmp_path):
    catalogue = _catalogue(
        tmp_path,
        [
            ("a_outside_first", "almaty", "A", "Outside first 1", None),
            ("b_hostile_only", "almaty", "", "Hostile only 1", None),
            ("c_hostile_text", "almaty", "", "Hostile text 1", None),
            ("d_not_a_list", "almaty", "", "Not a list 1", None),
            ("e_malformed_lat", "almaty", "", "Malformed lat 1", None),
        ],
    )
    out = tmp_path / "geocoded_venues.gpkg"
    assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 0
    layer = pyogrio.read_dataframe(out, layer=gv.LAYER).set_index("id")
    first = layer.loc["a_outside_first"]
    assert first["status"] == "placed"
    assert (first.geometry.x, first.geometry.y) == (76.9181, 43.2417)  # the second answer
    assert "outside_city" in first["reason"]
    hostile = layer.loc["b_hostile_only"]
    assert hostile["status"] == "rejected"
    assert hostile.geometry is None or hostile.geometry.is_empty
    assert hostile["reason"].count("outside_city") == 1
    assert hostile["reason"].count("too_coarse") == 2
    # geopy reads every result's position first: one it cannot read spoils the whole answer.
    malformed = layer.loc["e_malformed_lat"]
    assert malformed["status"] == "failed"
    assert malformed.geometry is None or malformed.geometry.is_empty
    assert "malformed answer" in malformed["reason"]
    text = layer.loc["c_hostile_text"]
    assert text["status"] == "placed"
    assert len(text["display_name"]) == 300  # cut; escaped only where it is shown
    assert layer.loc["d_not_a_list", "status"] == "failed"
    assert "expected a list of results" in layer.loc["d_not_a_list", "reason"]


NOTHING_TO_ASK = [r for r in RECORDS if r[4] is not None or not r[3]]


@pytest.mark.parametrize(
    ("setting", "records"),
    [("closed", RECORDS), ("unresolvable", RECORDS), ("closed", NOTHING_TO_ASK)],
    ids=["refused", "no-dns", "refused-nothing-to-ask"],
)
def test_offline_it_says_so_and_changes_nothing(tmp_path, monkeypatch, caplog, setting, records):
    if setting == "closed":
        with socket.socket() as probe:  # a port nothing listens on: refused, like offline
            probe.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    else:
        url = "http://nominatim.invalid"  # .invalid never resolves (RFC 2606)
    monkeypatch.setenv(GEOCODER_VAR, url)
    catalogue = _catalogue(tmp_path, records)
    out = tmp_path / "geocoded_venues.gpkg"
    out.write_bytes(b"the previous layer")
    before = {p.name: _digest(p) for p in tmp_path.iterdir()}
    with caplog.at_level(logging.INFO, logger="sources.geocode_venues"):
        assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 1
    assert "could not be reached" in caplog.text
    assert "this machine looks offline" in caplog.text
    assert "Nothing was written" in caplog.text
    assert {p.name: _digest(p) for p in tmp_path.iterdir()} == before


def test_switched_off_it_says_so_asks_nothing_and_changes_nothing(
    server, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv(GEOCODER_VAR, "off")
    catalogue = _catalogue(tmp_path, RECORDS)
    before = {p.name: _digest(p) for p in tmp_path.iterdir()}
    with caplog.at_level(logging.INFO, logger="sources.geocode_venues"):
        assert gv.main(["--catalogue", str(catalogue), "--out", str(tmp_path / "g.gpkg")]) == 0
    assert "switched off" in caplog.text
    assert _Nominatim.seen == []
    assert {p.name: _digest(p) for p in tmp_path.iterdir()} == before


def test_a_server_answering_errors_stops_the_run_and_the_previous_layer_stays(
    server, tmp_path, caplog
):
    catalogue = _catalogue(tmp_path, RECORDS)
    out = tmp_path / "geocoded_venues.gpkg"
    assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 0
    good = _digest(out)
    _Nominatim.status = 500
    seen_before = len(_Nominatim.seen)
    with caplog.at_level(logging.INFO, logger="sources.geocode_venues"):
        assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 1
    assert "refused to answer" in caplog.text
    assert "status code 500" in caplog.text
    assert "Nothing was written" in caplog.text
    assert len(_Nominatim.seen) - seen_before == 1  # not asked again for every record
    assert _digest(out) == good


def test_failures_in_a_row_stop_the_run_and_the_previous_layer_stays(server, tmp_path, caplog):
    out = tmp_path / "geocoded_venues.gpkg"
    good = _catalogue(tmp_path, RECORDS[:1])
    assert gv.main(["--catalogue", str(good), "--out", str(out)]) == 0
    before = _digest(out)
    failing = [(f"r{i}", "almaty", "", f"Not a list {i}", None) for i in range(5)]
    catalogue = _catalogue(tmp_path, failing)
    seen_before = len(_Nominatim.seen)
    with caplog.at_level(logging.INFO, logger="sources.geocode_venues"):
        assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 1
    assert "3 requests in a row failed" in caplog.text
    assert len(_Nominatim.seen) - seen_before == gv.MAX_FAILED_IN_A_ROW
    assert _digest(out) == before


def test_a_run_where_most_requests_fail_is_not_written(server, tmp_path, caplog):
    # Never three failures in a row, but three of five: the layer would mostly say "failed".
    records = [
        ("r0", "almaty", "", "Not a list 0", None),
        ("r1", "almaty", "", "Abai Avenue", None),
        ("r2", "almaty", "", "Not a list 2", None),
        ("r3", "almaty", "", "Abai Avenue", None),
        ("r4", "almaty", "", "Not a list 4", None),
    ]
    catalogue = _catalogue(tmp_path, records)
    out = tmp_path / "geocoded_venues.gpkg"
    with caplog.at_level(logging.INFO, logger="sources.geocode_venues"):
        assert gv.main(["--catalogue", str(catalogue), "--out", str(out)]) == 1
    assert "3 of 5 requests failed" in caplog.text
    assert not out.exists()


def test_the_catalogue_is_never_the_output(server, tmp_path, caplog):
    catalogue = _catalogue(tmp_path, RECORDS)
    before = _digest(catalogue)
    assert gv.main(["--catalogue", str(catalogue), "--out", str(catalogue)]) == 1
    assert "never the catalogue" in caplog.text
    assert _digest(catalogue) == before
    assert _Nominatim.seen == []


def test_a_missing_or_invalid_catalogue_stops_with_a_message(server, tmp_path, caplog):
    out = tmp_path / "geocoded_venues.gpkg"
    missing = tmp_path / "missing.gpkg"
    assert gv.main(["--catalogue", str(missing), "--out", str(out)]) == 1
    assert "the catalogue" in caplog.text
    assert "missing.gpkg could not be used" in caplog.text
    in_paris = _catalogue(tmp_path, [("paris_venue", "paris", "X", "Rue 1", None)])
    caplog.clear()
    assert gv.main(["--catalogue", str(in_paris), "--out", str(out)]) == 1
    assert "city must be one of ['almaty', 'astana'], got 'paris'" in caplog.text
    assert not out.exists()
    assert _Nominatim.seen == []


def test_the_report_counts_answer_types_and_lists_what_was_not_placed(server, tmp_path):
    catalogue = _catalogue(tmp_path, RECORDS)
    places = gpd.read_file(catalogue, layer="places")
    layer = gv.build_layer(places, ask=gv.ask_nominatim, today="2026-11-29")
    lines = gv.report(layer)
    assert lines[0] == "Geocoded 4 of 5 addresses without a position."
    assert lines[1] == "  by precision: building 2, street 1, area 1"
    assert lines[2] == (
        "  by answer type: amenity=theatre (amenity) 2, highway=primary (road) 1, "
        "place=suburb (suburb) 1"
    )
    assert lines[3].startswith(
        "  not placed: almaty_vague (rejected; 'Somewhere in the centre, Almaty') "
        "address: too_coarse"
    )
    assert (
        lines[4] == "  not placed: almaty_no_address (not_asked; no address) no address to ask for"
    )
    assert len(lines) == 5


def test_requests_go_through_the_clients_one_per_second_limiter(server, tmp_path, monkeypatch):
    monkeypatch.setattr(nominatim.limited_search, "min_delay_seconds", nominatim.MIN_INTERVAL_S)
    catalogue = _catalogue(tmp_path, RECORDS[:3])
    start = time.monotonic()
    assert gv.main(["--catalogue", str(catalogue), "--out", str(tmp_path / "g.gpkg")]) == 0
    assert len(_Nominatim.seen) == 3
    # A lower bound only: a slow machine takes longer, never less.
    assert time.monotonic() - start >= 2 * nominatim.MIN_INTERVAL_S
