"""Forged messages from the map's iframe leave the page working (issue 8).

Anything that runs in the map's frame can post Streamlit a component value of its own. Each
forged message here carries one value of the wrong type or range beside good ones, and the
page must use the good ones, ignore the bad one and show no exception.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.map_page import (
    IN_VIEW,
    WAIT_MS,
    map_frame,
    on_map,
    set_view,
    wait_for_query,
)

# What streamlit-component-lib's Streamlit.setComponentValue posts from a component's frame.
POST_VALUE_JS = """(value) => { window.parent.postMessage({isStreamlitMessage: true,
    type: 'streamlit:setComponentValue', value: value, dataType: 'json'}, '*'); return true; }"""
EMPTY = {"_southWest": {"lat": 48.0, "lng": 60.0}, "_northEast": {"lat": 48.01, "lng": 60.01}}
WHOLE = {"_southWest": {"lat": 40.0, "lng": 60.0}, "_northEast": {"lat": 56.0, "lng": 90.0}}
SOME_IN_VIEW = re.compile(r"^In view: [1-9]\d*$")
# (field, forged value). JSON has no NaN: the page's JSON.stringify sends those as null.
FORGED = [
    ("zoom", "abc"),
    ("zoom", [12]),
    ("zoom", 1e308),
    ("center", {"lat": 51.1}),
    ("center", "51.1,71.4"),
    ("center", {"lat": {"lat": {"lat": 1}}, "lng": [[]]}),
    ("last_active_drawing", {"properties": {"layer": "places", "id": 7}}),
    ("last_active_drawing", "places/p1"),
    ("last_object_clicked", [1, 2, 3]),
    ("bounds", "51,71,52,72"),
    ("bounds", [[51, 71], [52, 72]]),
    ("bounds", {"_southWest": {"lat": "51", "lng": 71}, "_northEast": {"lat": 52}}),
]


def test_forged_map_messages_are_ignored_and_the_page_keeps_working(app, page):
    page.goto(f"{app.url}/?lang=en&city=astana")
    map_frame(page)
    expect(page.get_by_text(SOME_IN_VIEW)).to_be_visible(timeout=WAIT_MS)
    for i, (field, value) in enumerate(FORGED):
        lat = round(51.1 + 0.001 * (i + 1), 5)
        message = {
            "bounds": EMPTY if i % 2 == 0 else WHOLE,
            "center": {"lat": lat, "lng": 71.4},
            "zoom": 10 + i % 4,
            "last_active_drawing": None,
            "last_object_clicked": None,
            field: value,
        }
        assert on_map(page, POST_VALUE_JS, message) is True
        # The app took the good values of this message: the list of places in view follows its
        # bounds, and the address bar its centre and zoom.
        if field != "bounds":
            in_view = "In view: 0" if i % 2 == 0 else SOME_IN_VIEW
            expect(page.get_by_text(in_view)).to_be_visible(timeout=WAIT_MS)
        if field not in ("center", "zoom"):
            wait_for_query(page, "center", f"{lat:.5f},71.40000")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_text("Traceback")).to_have_count(0)
    # The map still talks to the app: a real move reaches the address bar.
    set_view(page, 43.25, 76.9, 12)
    wait_for_query(page, "zoom", "12")
    wait_for_query(page, "center", re.compile(r"^43\.25"))
    expect(page.get_by_text(IN_VIEW)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
