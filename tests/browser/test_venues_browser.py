"""The OpenStreetMap venues layer in the real app: drawn in its own colour, filtered, toggled."""

from __future__ import annotations

import osmnx as ox
import pytest

from geo.venues import normalise_venues
from settings import CONTEXT_DIR_VAR, DATA_DIR_VAR
from tests.browser.conftest import ARTIFACTS
from tests.browser.map_page import choose, set_view, wait_for_pixel, wait_on_map
from tests.catalogue import write_catalogue
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "osm_sample.osm"
SHOWN_JS = "() => window.map.getContainer().getAttribute('data-shown-osm_venues')"
THEATRE = (51.1301, 71.4301)
VENUE_RGB = (0x5E, 0x3C, 0x99)


@pytest.fixture(scope="module")
def venues():
    frame, _ = normalise_venues(ox.features_from_xml(SAMPLE), city="astana", fetched="2026-11-22")
    return frame


@pytest.fixture(scope="module")
def venues_app(start_app, tmp_path_factory, venues):
    folder = tmp_path_factory.mktemp("venues")
    write_catalogue(folder)
    venues.to_file(folder / "osm_venues.gpkg", layer="venues")
    return start_app(**{DATA_DIR_VAR: str(folder), CONTEXT_DIR_VAR: str(folder)})


def wait_shown(page, expected: int) -> None:
    """Wait until the map says it shows ``expected`` venues."""
    wait_on_map(page, f"() => ({SHOWN_JS})() === '{expected}'", what=f"{expected} venues shown")


def test_venues_are_drawn_in_their_own_colour_and_follow_the_kind_filter(venues_app, venues, page):
    astana = venues[venues["city"] == "astana"]
    museums = int((astana["kind"] == "museum").sum())
    assert 0 < museums < len(astana)
    assert (astana["name_en"] == "Test Theatre").sum() == 1
    page.goto(f"{venues_app.url}/?lang=en&city=astana")
    wait_shown(page, len(astana))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "venues.png"))
    set_view(page, *THEATRE, 16, settle=True)
    wait_for_pixel(page, "osm_venues", THEATRE, VENUE_RGB)
    choose(page, "kind", "Museum")
    wait_shown(page, museums)
    wait_for_pixel(page, "osm_venues", THEATRE, None)
    page.get_by_text("Existing venues (OpenStreetMap)").click()  # the layer toggle
    wait_shown(page, 0)
