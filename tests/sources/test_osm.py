"""The OpenStreetMap import and recorder: building, refusing worse data, safe writing, queries."""

from __future__ import annotations

import socket

import geopandas as gpd
import osmnx as ox
import pyogrio
import pytest

from geo.venues import TAG_KINDS, normalise_venues
from sources.osm import LAYER, FetchError, build, check_online, refuse_worse, write_atomically
from sources.osm_record import overpass_query
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_sample.osm"


@pytest.fixture(scope="module")
def features():
    return ox.features_from_xml(SAMPLE)


def test_build_validates_and_reports_per_city(features):
    frame, report = build({"astana": features}, fetched="2026-11-22")
    assert len(frame) == 6
    assert report[0].startswith("astana: 6 venues")
    assert "1 without a name" in report[0]


def test_a_much_smaller_fetch_is_refused():
    new = gpd.GeoDataFrame({"city": ["astana"] * 5 + ["almaty"] * 10}, geometry=[None] * 15)
    assert refuse_worse(new, {"astana": 5, "almaty": 10}) == []
    assert refuse_worse(new, {"astana": 5, "almaty": 100}) == [
        "almaty: 10 venues now against 100 in the current file"
    ]
    assert refuse_worse(new, {}) == []


def test_writing_replaces_the_file_whole(tmp_path, features):
    frame, _ = normalise_venues(features, city="astana", fetched="2026-11-22")
    assert len(frame) > 2
    out = tmp_path / "osm_venues.gpkg"
    write_atomically(frame, out)
    write_atomically(frame.iloc[:2], out)
    back = pyogrio.read_dataframe(out, layer=LAYER)
    assert len(back) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["osm_venues.gpkg"]


def test_an_unreachable_overpass_fails_fast_with_a_plain_message():
    with socket.socket() as probe:  # a port nothing listens on: refused, like offline
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match=r"could not be reached: .* 127\.0\.0\.1"):
        check_online(f"http://127.0.0.1:{port}/api/interpreter", timeout_s=2)


def test_the_recorder_asks_for_every_venue_tag_in_its_box():
    query = overpass_query((51.118, 71.405, 51.138, 71.445))
    assert query.startswith("[out:xml]")
    for key, value, _ in TAG_KINDS:
        assert f'nwr["{key}"="{value}"](51.11800,71.40500,51.13800,71.44500);' in query
    assert query.endswith("out body;>;out skel qt;")
