"""The OpenStreetMap venues layer in the real app: drawn in its own colour, filtered, toggled."""

from __future__ import annotations

import osmnx as ox
import pyogrio
import pytest

from geo.venues import normalise_venues
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_map_browser import CANVAS_PIXEL_JS, choose, map_frame
from tests.conftest import DATA_DIR, ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_sample.osm"
SHOWN_JS = "() => window.map && window.map.getContainer().getAttribute('data-shown-osm_venues')"
THEATRE = (51.1301, 71.4301)
VENUE_RGB = (0x5E, 0x3C, 0x99)


@pytest.fixture(scope="module")
def venues_app(start_app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("venues")
    for layer in ("places", "targets"):
        table = pyogrio.read_dataframe(
            DATA_DIR / "catalogue.gpkg", layer=layer, read_geometry=layer == "places"
        )
        pyogrio.write_dataframe(table, folder / "catalogue.gpkg", layer=layer)
    venues, _ = normalise_venues(ox.features_from_xml(SAMPLE), city="astana", fetched="2026-11-22")
    venues.to_file(folder / "osm_venues.gpkg", layer="venues")
    return start_app(CREATIVE_MAP_DATA_DIR=str(folder), CREATIVE_MAP_CONTEXT_DIR=str(folder))


def _wait_shown(page, expected: str) -> None:
    shown = None
    for _ in range(300):
        shown = map_frame(page).evaluate(SHOWN_JS)
        if shown == expected:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"venues shown: {shown}, expected {expected}")


def _painted(page) -> list[int]:
    rgba = [0, 0, 0, 0]
    for _ in range(30):
        rgba = map_frame(page).evaluate(CANVAS_PIXEL_JS, ["osm_venues", *THEATRE])
        if rgba[3] > 0:
            break
        page.wait_for_timeout(100)
    return rgba


def test_venues_are_drawn_in_their_own_colour_and_follow_the_kind_filter(venues_app, page):
    page.goto(f"{venues_app.url}/?lang=en&city=astana")
    _wait_shown(page, "6")
    map_frame(page).evaluate(f"() => window.map.setView([{THEATRE[0]}, {THEATRE[1]}], 16)")
    rgba = _painted(page)
    assert all(abs(a - b) <= 3 for a, b in zip(rgba[:3], VENUE_RGB, strict=True)), rgba
    map_frame(page).evaluate("() => window.map.setView([51.125, 71.43], 13)")
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "venues.png"))
    choose(page, "kind", "Museum")
    _wait_shown(page, "2")
    for _ in range(30):
        if map_frame(page).evaluate(CANVAS_PIXEL_JS, ["osm_venues", *THEATRE])[3] == 0:
            break
        page.wait_for_timeout(100)
    assert map_frame(page).evaluate(CANVAS_PIXEL_JS, ["osm_venues", *THEATRE])[3] == 0
    page.get_by_text("Existing venues (OpenStreetMap)").click()  # the layer toggle
    _wait_shown(page, "0")
