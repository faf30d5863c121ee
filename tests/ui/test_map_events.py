"""Forged messages from the map's iframe: every value is checked, nothing raises."""

from __future__ import annotations

import logging
import math
import random

import pytest

from layers.render import clicked_feature_id
from ui.map_events import MapEvent, parse_map_event

SW = {"lat": 51.0, "lng": 71.3}
NE = {"lat": 51.3, "lng": 71.6}
GOOD = {
    "bounds": {"_southWest": SW, "_northEast": NE},
    "center": {"lat": 51.15, "lng": 71.45},
    "zoom": 12,
    "last_active_drawing": {"type": "Feature", "properties": {"layer": "places", "id": "p1"}},
    "last_object_clicked": {"lat": 51.1, "lng": 71.4},
    "last_clicked": {"lat": 51.12, "lng": 71.42},
}
HUGE = 10**400  # Python's json reads this as an int; float() of it overflows
NESTED: object = {"lat": 1}
for _ in range(200):  # deep, with shared parts: a whole repr would never end
    NESTED = {"lat": NESTED, "lng": [dict(NESTED)]}


def test_a_real_message_is_read_whole():
    assert parse_map_event(GOOD) == MapEvent(
        bbox=(71.3, 51.0, 71.6, 51.3),
        center_lat_lon=(51.15, 71.45),
        zoom=12,
        clicked_feature=("places", "p1"),
        object_clicked_lat_lon=(51.1, 71.4),
        clicked_lat_lon=(51.12, 71.42),
    )


def test_nothing_reported_is_an_empty_record_and_no_warning(caplog):
    caplog.set_level(logging.WARNING)
    assert parse_map_event(None) == MapEvent()
    assert parse_map_event({}) == MapEvent()
    assert parse_map_event({k: None for k in GOOD}) == MapEvent()
    # streamlit-folium's defaults before the map has reported anything
    empty_corner = {"lat": None, "lng": None}
    defaults = {"bounds": {"_southWest": empty_corner, "_northEast": empty_corner}, "zoom": {}}
    assert parse_map_event(defaults) == MapEvent()
    assert caplog.records == []


def _sw(corner: object) -> dict[str, object]:
    return {"_southWest": corner, "_northEast": NE}


def _props(**props: object) -> dict[str, object]:
    return {"properties": {"layer": "places", **props}}


# Sixteen and more forged values: (what is forged, the message's field, its forged value, the
# record's field that must be None). The rest of the message stays as GOOD has it.
FORGED = [
    ("bounds as a string", "bounds", "51,71,52,72", "bbox"),
    ("bounds as a list", "bounds", [[51, 71], [52, 72]], "bbox"),
    ("bounds corner as a list", "bounds", _sw([51, 71]), "bbox"),
    ("bounds lat as a string", "bounds", _sw({"lat": "51", "lng": 71}), "bbox"),
    ("bounds inverted", "bounds", {"_southWest": NE, "_northEast": SW}, "bbox"),
    ("bounds NaN", "bounds", _sw({"lat": math.nan, "lng": 71}), "bbox"),
    ("bounds huge", "bounds", _sw({"lat": 51, "lng": -HUGE}), "bbox"),
    ("zoom abc", "zoom", "abc", "zoom"),
    ("zoom NaN", "zoom", math.nan, "zoom"),
    ("zoom inf", "zoom", math.inf, "zoom"),
    ("zoom huge", "zoom", HUGE, "zoom"),
    ("zoom fractional", "zoom", 12.5, "zoom"),
    ("zoom out of range", "zoom", 99, "zoom"),
    ("zoom a bool", "zoom", True, "zoom"),
    ("zoom a dict", "zoom", {"zoom": 12}, "zoom"),
    ("center missing lng", "center", {"lat": 51.1}, "center_lat_lon"),
    ("center missing lat", "center", {"lng": 71.4, "zoom": None}, "center_lat_lon"),
    ("center a list", "center", [51.1, 71.4], "center_lat_lon"),
    ("center -inf", "center", {"lat": -math.inf, "lng": 71.4}, "center_lat_lon"),
    ("center latitude 91", "center", {"lat": 91, "lng": 71.4}, "center_lat_lon"),
    ("center nested garbage", "center", NESTED, "center_lat_lon"),
    ("click a string", "last_active_drawing", "places/p1", "clicked_feature"),
    ("click a list", "last_active_drawing", [{"properties": {}}], "clicked_feature"),
    ("click id a number", "last_active_drawing", _props(id=7), "clicked_feature"),
    ("click id a dict", "last_active_drawing", _props(id={"$ne": 1}), "clicked_feature"),
    ("click id 1 MB", "last_active_drawing", _props(id="x" * 10**6), "clicked_feature"),
    ("click properties a list", "last_active_drawing", {"properties": ["p"]}, "clicked_feature"),
    ("object click a string", "last_object_clicked", "51,71", "object_clicked_lat_lon"),
    ("object click NaN", "last_object_clicked", {"lat": math.nan}, "object_clicked_lat_lon"),
    ("near click a number", "last_clicked", 5, "clicked_lat_lon"),
    ("near click longitude 181", "last_clicked", {"lat": 51, "lng": 181}, "clicked_lat_lon"),
    ("near click lat a bool", "last_clicked", {"lat": True, "lng": 71}, "clicked_lat_lon"),
    ("near click huge", "last_clicked", {"lat": 51, "lng": HUGE}, "clicked_lat_lon"),
]


@pytest.mark.parametrize(("what", "key", "value", "field"), FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_value_is_left_out_and_logged_and_the_rest_kept(what, key, value, field, caplog):
    caplog.set_level(logging.WARNING, logger="ui.map_events")
    event = parse_map_event({**GOOD, key: value})
    assert getattr(event, field) is None, what
    good = parse_map_event(GOOD)
    for name in MapEvent.__dataclass_fields__:
        if name != field:
            assert getattr(event, name) == getattr(good, name)
    assert len(caplog.records) == 1
    assert len(caplog.records[0].getMessage()) < 200  # a short repr, never the whole value


def test_at_least_sixteen_forged_messages():
    assert len(FORGED) >= 16


@pytest.mark.parametrize("message", ["abc", 5, 1.5, True, [GOOD], [], math.nan, HUGE, NESTED])
def test_a_message_that_is_not_an_object_is_ignored(message, caplog):
    caplog.set_level(logging.WARNING, logger="ui.map_events")
    assert parse_map_event(message) == MapEvent()
    assert clicked_feature_id(message) is None


def test_a_deep_nest_of_empty_objects_is_cheap_and_never_raises(caplog):
    caplog.set_level(logging.WARNING, logger="ui.map_events")
    deep: object = None
    for _ in range(100_000):  # far past Python's recursion limit
        deep = {"lat": deep}
    assert parse_map_event({"bounds": deep, "center": deep, "zoom": deep}) == MapEvent()
    assert len(caplog.records) == 3


def test_a_drawing_is_no_click_and_no_warning(caplog):
    caplog.set_level(logging.WARNING, logger="ui.map_events")
    drawing = {"type": "Feature", "properties": {}, "geometry": {"type": "Point"}}
    assert parse_map_event({"last_active_drawing": drawing}).clicked_feature is None
    assert caplog.records == []


def test_a_map_panned_past_the_antimeridian_reports_a_wrapped_centre():
    event = parse_map_event({"center": {"lat": 51.0, "lng": 431.4}, "zoom": 4})
    assert event.center_lat_lon == pytest.approx((51.0, 71.4))


def _random_json(rng: random.Random, depth: int = 0) -> object:
    scalars = [
        None,
        True,
        False,
        0,
        -1,
        12,
        HUGE,
        -HUGE,
        1e308,
        -0.0,
        math.nan,
        math.inf,
        -math.inf,
        "",
        "abc",
        "12",
        "x" * 5000,
        rng.uniform(-1000, 1000),
        rng.randint(-(10**30), 10**30),
    ]
    if depth >= 4 or rng.random() < 0.4:
        return rng.choice(scalars)
    keys = ["lat", "lng", "_southWest", "_northEast", "properties", "layer", "id", "x"]
    if rng.random() < 0.5:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_random_json_in_every_field_never_raises_and_gives_typed_values():
    rng = random.Random(8)
    fields = [*GOOD, "other"]
    for _ in range(3000):
        message = {f: _random_json(rng) for f in fields if rng.random() < 0.7}
        if rng.random() < 0.2:  # sometimes a well-formed part with one random leaf
            message["bounds"] = {
                "_southWest": {"lat": _random_json(rng), "lng": 71},
                "_northEast": NE,
            }
        event = parse_map_event(message)
        clicked_feature_id(message)
        for value in (
            event.bbox,
            event.center_lat_lon,
            event.object_clicked_lat_lon,
            event.clicked_lat_lon,
        ):
            assert value is None or all(type(v) is float and math.isfinite(v) for v in value)
        assert event.zoom is None or (type(event.zoom) is int and 4 <= event.zoom <= 19)
        assert event.clicked_feature is None or all(type(v) is str for v in event.clicked_feature)
